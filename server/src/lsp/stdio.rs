//! The process's stdin and stdout, each served by a thread of its own rather than tokio's pool.
//!
//! tokio's `Stdin` and `Stdout` run every read and every write as a task on the blocking pool:
//! each takes the pool's lock, wakes an idle pool thread through its condition variable, and
//! wakes the waiting task again when done. The analysis runs on the same pool, so its idle
//! threads and the I/O contend for that lock on every message: under `strace -f` a 5 KB
//! article's keystroke took ≈ 30–40 futex calls across seven threads, most of them the pool's
//! (session 18), ≈ 0.9 ms of each keystroke's latency on a loaded 2-core machine before any
//! analysis. Here one thread sits in `read(0)` and hands each chunk over a channel, and one
//! thread takes whole frames from the output channel and writes each with one `write(1)`:
//! a chunk or a frame costs one wake-up.

use std::future::Future;
use std::io::{self, Read, Write};
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, ReadBuf};
use tokio::sync::{mpsc, oneshot};
use tracing::{error, warn};

use super::framing::OutputFrame;

/// How much one `read(0)` asks for: a keystroke's didChange is a few hundred bytes, a pasted
/// article's arrives in pieces this long.
const READ_CHUNK: usize = 64 * 1024;

/// Chunks read ahead of the server: enough to keep the reader busy while a message is parsed,
/// few enough that a client writing faster than the server reads is held back by the pipe.
const CHUNKS_AHEAD: usize = 4;

/// The process's stdin as an [`AsyncRead`], read by a thread of its own.
pub struct ThreadedStdin {
    chunks: mpsc::Receiver<io::Result<Vec<u8>>>,
    current: Vec<u8>,
    consumed: usize,
}

/// Starts the stdin thread. If it cannot be started the input reads as ended at once (and the
/// server stops as if the client had closed the pipe), after an error in the log.
pub fn stdin() -> ThreadedStdin {
    let (sender, chunks) = mpsc::channel(CHUNKS_AHEAD);
    let started = std::thread::Builder::new()
        .name("copydesk-stdin".into())
        .spawn(move || read_stdin(sender));
    if let Err(err) = started {
        error!("cannot start the stdin thread: {err}");
    }
    ThreadedStdin {
        chunks,
        current: Vec::new(),
        consumed: 0,
    }
}

/// Reads until end of input, an error, or the server no longer listening. The thread is not
/// joined: it may sit in `read(0)` until the client closes the pipe, and the process exits
/// without it when the server is done.
fn read_stdin(chunks: mpsc::Sender<io::Result<Vec<u8>>>) {
    let mut stdin = io::stdin().lock();
    let mut buffer = vec![0; READ_CHUNK];
    loop {
        let chunk = match stdin.read(&mut buffer) {
            Ok(0) => return,
            Ok(n) => Ok(buffer[..n].to_vec()),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => Err(err),
        };
        let failed = chunk.is_err();
        if chunks.blocking_send(chunk).is_err() || failed {
            return;
        }
    }
}

impl AsyncRead for ThreadedStdin {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        out: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if this.consumed == this.current.len() {
            match this.chunks.poll_recv(cx) {
                Poll::Pending => return Poll::Pending,
                // The end of input: nothing put in `out`.
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Ready(Some(Err(err))) => return Poll::Ready(Err(err)),
                Poll::Ready(Some(Ok(chunk))) => {
                    this.current = chunk;
                    this.consumed = 0;
                }
            }
        }
        let rest = &this.current[this.consumed..];
        let n = rest.len().min(out.remaining());
        out.put_slice(&rest[..n]);
        this.consumed += n;
        Poll::Ready(Ok(()))
    }
}

/// Starts the stdout thread writing `frames` until every sender is gone; the returned future
/// ends when it has written the last one (or could not start, or lost the client).
pub fn write_stdout(frames: mpsc::Receiver<OutputFrame>) -> impl Future<Output = ()> + Send {
    let (done, finished) = oneshot::channel::<()>();
    let started = std::thread::Builder::new()
        .name("copydesk-stdout".into())
        .spawn(move || {
            write_frames(stdout_writer(), frames);
            let _ = done.send(());
        });
    if let Err(err) = started {
        error!("cannot start the stdout thread: {err}");
    }
    async move {
        // Err: the thread dropped `done` without sending (it is gone either way).
        let _ = finished.await;
    }
}

/// Writes frames, each whole, in the order they come; stops at the first failed write (the
/// client has gone).
pub fn write_frames(mut output: impl Write, mut frames: mpsc::Receiver<OutputFrame>) {
    while let Some(frame) = frames.blocking_recv() {
        let written = match frame {
            OutputFrame::Whole(frame) => output.write_all(&frame),
            OutputFrame::Pieces(mut pieces) => (|| {
                while let Some(piece) = pieces.blocking_recv() {
                    output.write_all(&piece)?;
                }
                Ok(())
            })(),
        }
        .and_then(|()| output.flush());
        if let Err(err) = written {
            warn!("cannot write to the client: {err}");
            return;
        }
    }
}

/// stdout without std's line buffering, which would split each frame at its header's line
/// breaks into two writes: a duplicate of descriptor 1, written directly.
#[cfg(unix)]
fn stdout_writer() -> Box<dyn Write + Send> {
    use std::os::fd::AsFd;
    match io::stdout().as_fd().try_clone_to_owned() {
        Ok(fd) => Box::new(std::fs::File::from(fd)),
        Err(err) => {
            warn!("cannot duplicate stdout ({err}); writing through std's buffer");
            Box::new(io::stdout())
        }
    }
}

#[cfg(not(unix))]
fn stdout_writer() -> Box<dyn Write + Send> {
    Box::new(io::stdout())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_written_whole_and_in_order_then_the_writer_ends() {
        let (frames, receiver) = mpsc::channel(8);
        let (pieces, pieces_receiver) = mpsc::channel(8);
        frames
            .try_send(OutputFrame::Whole(b"one".to_vec()))
            .unwrap();
        frames
            .try_send(OutputFrame::Pieces(pieces_receiver))
            .unwrap();
        frames
            .try_send(OutputFrame::Whole(b"three".to_vec()))
            .unwrap();
        pieces.try_send(b"t".to_vec()).unwrap();
        pieces.try_send(b"wo".to_vec()).unwrap();
        drop(pieces);
        drop(frames);
        let mut written = Vec::new();
        write_frames(&mut written, receiver);
        assert_eq!(written, b"onetwothree");
    }

    /// A stdin whose chunks the test sends, as the stdin thread would.
    fn fed_by_hand() -> (mpsc::Sender<io::Result<Vec<u8>>>, ThreadedStdin) {
        let (sender, chunks) = mpsc::channel(4);
        let stdin = ThreadedStdin {
            chunks,
            current: Vec::new(),
            consumed: 0,
        };
        (sender, stdin)
    }

    #[tokio::test]
    async fn reads_chunks_across_small_buffers_until_the_input_ends() {
        use tokio::io::AsyncReadExt;
        let (sender, mut stdin) = fed_by_hand();
        sender.send(Ok(b"Content-".to_vec())).await.unwrap();
        sender.send(Ok(b"Length: 2".to_vec())).await.unwrap();
        drop(sender);
        let mut small = [0u8; 5];
        let mut all = Vec::new();
        loop {
            let n = stdin.read(&mut small).await.unwrap();
            if n == 0 {
                break;
            }
            all.extend_from_slice(&small[..n]);
        }
        assert_eq!(all, b"Content-Length: 2");
    }

    #[tokio::test]
    async fn a_read_error_reaches_the_reader() {
        use tokio::io::AsyncReadExt;
        let (sender, mut stdin) = fed_by_hand();
        sender
            .send(Err(io::Error::other("pipe broke")))
            .await
            .unwrap();
        let mut buffer = [0u8; 8];
        let err = stdin.read(&mut buffer).await.unwrap_err();
        assert_eq!(err.to_string(), "pipe broke");
    }
}
