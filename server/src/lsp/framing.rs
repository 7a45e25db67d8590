//! A framing guard in front of tower-lsp-server: malformed input gets a JSON-RPC error, never a crash.
//!
//! tower-lsp-server 0.23 reads stdin through `tokio_util::codec::FramedRead`, which ends the stream
//! after the first decoding error: one malformed frame (bad JSON, a missing `Content-Length`, a
//! body that is not a JSON-RPC message) would stop the server. So the real stdin is read here: each
//! frame is checked, good ones are passed on re-framed (only `Content-Length`), bad ones are answered
//! here with a JSON-RPC error (`-32700` parse error, `-32600` invalid request) and skipped. The
//! server's own output comes back through a pipe and is written to the real stdout a whole frame at
//! a time, so that the two writers never interleave.

use serde_json::json;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Id, Request};
use tracing::{debug, warn};

/// Frames larger than this are refused with an error and their bytes skipped unread into memory.
pub const MAX_FRAME_BYTES: usize = 256 * 1024 * 1024;
/// A reader's buffer is shrunk back to this after a larger message went through.
const RETAINED_BUFFER_BYTES: usize = 128 * 1024;
/// A header block longer than this is garbage, not a header still arriving.
const MAX_HEADER_BYTES: usize = 8 * 1024;
#[rustfmt::skip]
const HEADER_END: &[u8] = b"\r\n\r\n";
#[rustfmt::skip]
const CONTENT_LENGTH: &[u8] = b"Content-Length";

/// What the reader found next in the byte stream.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A frame's body.
    Body(Vec<u8>),
    /// Bytes that are not a frame (bad headers, a frame too large); already skipped.
    Malformed(String),
}

/// Splits a byte stream into LSP frames (`Content-Length: N\r\n\r\n` + N bytes), resynchronising
/// on the next `Content-Length` after garbage. Cancel-safe: all state lives in `self`.
pub struct FrameReader<R> {
    reader: R,
    buffer: Vec<u8>,
    /// Body bytes still to be thrown away after refusing an oversized frame.
    skip: usize,
    eof: bool,
}

impl<R: AsyncRead + Unpin> FrameReader<R> {
    pub fn new(reader: R) -> Self {
        FrameReader {
            reader,
            buffer: Vec::new(),
            skip: 0,
            eof: false,
        }
    }

    /// The next frame, or `None` at the end of input (a trailing partial frame is logged and
    /// dropped: the client went away in the middle of a message).
    pub async fn next(&mut self) -> Option<Frame> {
        loop {
            if self.skip > 0 {
                let n = self.skip.min(self.buffer.len());
                self.buffer.drain(..n);
                self.skip -= n;
            }
            if self.skip == 0 {
                if let Some(frame) = self.parse() {
                    return Some(frame);
                }
            }
            if self.eof {
                if !self.buffer.is_empty() || self.skip > 0 {
                    warn!(
                        "input ended inside a message; {} bytes dropped",
                        self.buffer.len()
                    );
                    self.buffer.clear();
                    self.skip = 0;
                }
                return None;
            }
            // Reserve in steps only when the buffer is nearly full: `parse` has already made room
            // for the whole of a long message, which doubling here would overshoot.
            if self.buffer.capacity() - self.buffer.len() < 16 * 1024 {
                self.buffer.reserve(64 * 1024);
            }
            match self.reader.read_buf(&mut self.buffer).await {
                Ok(0) => self.eof = true,
                Ok(_) => {}
                Err(err) => {
                    warn!("reading input failed: {err}");
                    self.eof = true;
                }
            }
        }
    }

    /// A complete frame or garbage at the front of the buffer, if there is one yet.
    fn parse(&mut self) -> Option<Frame> {
        let Some(header_len) = find(&self.buffer, HEADER_END).map(|i| i + HEADER_END.len()) else {
            if self.buffer.len() > MAX_HEADER_BYTES {
                let keep = CONTENT_LENGTH.len() - 1;
                let seen = self.buffer.len() - keep;
                return Some(self.resynchronise("header too long or missing".into(), seen));
            }
            return None;
        };
        let content_length = match parse_headers(&self.buffer[..header_len]) {
            Ok(length) => length,
            Err(reason) => return Some(self.resynchronise(reason, header_len)),
        };
        if content_length > MAX_FRAME_BYTES {
            self.buffer.drain(..header_len);
            self.skip = content_length;
            return Some(Frame::Malformed(format!(
                "message of {content_length} bytes exceeds the limit of {MAX_FRAME_BYTES}"
            )));
        }
        if self.buffer.len() < header_len + content_length {
            // Room for the rest of the message at once, not by doubling past it.
            self.buffer
                .reserve_exact(header_len + content_length - self.buffer.len());
            return None;
        }
        let body = self.buffer[header_len..header_len + content_length].to_vec();
        self.buffer.drain(..header_len + content_length);
        // One large message (opening a long article) must not keep its buffer for the rest of
        // the session: at 1 MB that is 2 MB per reader, doubled as the buffer grew.
        if self.buffer.capacity() > RETAINED_BUFFER_BYTES {
            self.buffer
                .shrink_to(RETAINED_BUFFER_BYTES.max(self.buffer.len()));
        }
        Some(Frame::Body(body))
    }

    /// Drops garbage up to the next `Content-Length` after the first byte (so that progress is
    /// certain), or, when there is none yet, the `rejected` bytes already known to be garbage:
    /// one error per run of garbage, not one per byte.
    fn resynchronise(&mut self, reason: String, rejected: usize) -> Frame {
        let next = find(self.buffer.get(1..).unwrap_or_default(), CONTENT_LENGTH)
            .map_or(rejected, |i| i + 1);
        self.buffer.drain(
            ..next
                .clamp(1, self.buffer.len().max(1))
                .min(self.buffer.len()),
        );
        Frame::Malformed(reason)
    }
}

/// The `Content-Length` of a header block (which ends with the blank line).
fn parse_headers(block: &[u8]) -> Result<usize, String> {
    let text = std::str::from_utf8(block).map_err(|_| "header is not UTF-8".to_owned())?;
    let mut length = None;
    for line in text.split("\r\n").filter(|line| !line.is_empty()) {
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("malformed header line {line:?}"));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let value = value.trim();
            length = Some(
                value
                    .parse::<usize>()
                    .map_err(|_| format!("bad Content-Length {value:?}"))?,
            );
        }
        // Content-Type and unknown headers are tolerated: only the length frames a message.
    }
    length.ok_or_else(|| "missing Content-Length header".to_owned())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Frames `body` for the wire.
pub fn encode(body: &[u8]) -> Vec<u8> {
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(body);
    frame
}

/// What to do with one incoming frame body.
#[derive(Debug, PartialEq)]
pub enum Checked {
    /// A JSON-RPC message: pass it on. `exit` says it is the `exit` notification, `stash` that
    /// it goes beside tower-lsp-server's reader (see `stash`).
    Forward { exit: bool, stash: bool },
    /// Not one: send this error response back instead.
    Reject(serde_json::Value),
}

/// Checks that `body` is a JSON-RPC 2.0 message tower-lsp-server will accept.
pub fn check(body: &[u8]) -> Checked {
    match serde_json::from_slice::<Request>(body) {
        // Responses to our own requests parse as a `Request` too (unknown fields are ignored).
        Ok(request) => Checked::Forward {
            exit: request.method() == "exit",
            stash: super::stash::stashable(request.method(), body.len()),
        },
        Err(err) => {
            let value: Option<serde_json::Value> = serde_json::from_slice(body).ok();
            let Some(value) = value else {
                debug!("unparseable message: {err}");
                return Checked::Reject(error_response(Id::Null, -32700, "Parse error", &err));
            };
            // Echo a usable id so that the client can match the error to its request.
            let id = value
                .get("id")
                .and_then(|id| serde_json::from_value::<Id>(id.clone()).ok())
                .unwrap_or(Id::Null);
            Checked::Reject(error_response(id, -32600, "Invalid request", &err))
        }
    }
}

fn error_response(
    id: Id,
    code: i64,
    message: &str,
    detail: &dyn std::fmt::Display,
) -> serde_json::Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": format!("{message}: {detail}")}})
}

fn malformed_response(reason: &str) -> serde_json::Value {
    json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": format!("Parse error: {reason}")}})
}

/// How the client's input ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputEnd {
    /// The `exit` notification was passed on.
    Exit,
    /// End of input without `exit`.
    Eof,
}

/// Copies checked frames from the client (`input`) to the server (`to_server`) until `exit` or
/// end of input; errors for bad frames go to `replies`. Long text notifications go to `stash`
/// instead, a placeholder in their place (see `stash`).
pub async fn guard_input<R, W>(
    input: R,
    mut to_server: W,
    replies: mpsc::Sender<OutputFrame>,
    stash: Option<mpsc::Sender<Vec<u8>>>,
) -> InputEnd
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut frames = FrameReader::new(input);
    while let Some(frame) = frames.next().await {
        let rejection = match frame {
            Frame::Malformed(reason) => {
                warn!("malformed frame: {reason}");
                malformed_response(&reason)
            }
            Frame::Body(body) => match check(&body) {
                Checked::Forward {
                    exit,
                    stash: wanted,
                } => {
                    let body = match &stash {
                        Some(stash) if wanted => {
                            if stash.send(body).await.is_err() {
                                return InputEnd::Eof;
                            }
                            super::stash::placeholder()
                        }
                        _ => body,
                    };
                    let framed = encode(&body);
                    if let Err(err) = to_server.write_all(&framed).await {
                        warn!("server stopped reading: {err}");
                        return InputEnd::Eof;
                    }
                    if exit {
                        let _ = to_server.flush().await;
                        return InputEnd::Exit;
                    }
                    continue;
                }
                Checked::Reject(response) => {
                    warn!("rejected message: {}", response["error"]["message"]);
                    response
                }
            },
        };
        if replies
            .send(encode(rejection.to_string().as_bytes()).into())
            .await
            .is_err()
        {
            return InputEnd::Eof;
        }
    }
    InputEnd::Eof
}

/// Moves the server's output frames to `replies` until it closes its output.
pub async fn collect_output<R: AsyncRead + Unpin>(
    from_server: R,
    replies: mpsc::Sender<OutputFrame>,
) {
    let mut frames = FrameReader::new(from_server);
    while let Some(frame) = frames.next().await {
        match frame {
            Frame::Body(body) => {
                if replies.send(encode(&body).into()).await.is_err() {
                    return;
                }
            }
            Frame::Malformed(reason) => warn!("server wrote a malformed frame: {reason}"),
        }
    }
}

/// A frame for the client, as the writer receives it.
#[derive(Debug)]
pub enum OutputFrame {
    /// Header and body in one buffer.
    Whole(Vec<u8>),
    /// Header and body in pieces, written in order as they arrive until their sender is
    /// dropped; nothing else is written meanwhile (see `raw_response::answer_streamed`).
    Pieces(mpsc::Receiver<Vec<u8>>),
}

impl From<Vec<u8>> for OutputFrame {
    fn from(frame: Vec<u8>) -> Self {
        OutputFrame::Whole(frame)
    }
}

/// Writes frames to the client until every sender is gone.
pub async fn write_output<W: AsyncWrite + Unpin>(
    mut output: W,
    mut frames: mpsc::Receiver<OutputFrame>,
) {
    while let Some(frame) = frames.recv().await {
        if let Err(err) = async {
            match frame {
                OutputFrame::Whole(frame) => output.write_all(&frame).await?,
                OutputFrame::Pieces(mut pieces) => {
                    while let Some(piece) = pieces.recv().await {
                        output.write_all(&piece).await?;
                    }
                }
            }
            output.flush().await
        }
        .await
        {
            warn!("cannot write to the client: {err}");
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn frames_of(input: &[u8]) -> Vec<Frame> {
        let mut reader = FrameReader::new(input);
        let mut frames = Vec::new();
        while let Some(frame) = reader.next().await {
            frames.push(frame);
        }
        frames
    }

    fn body(text: &str) -> Frame {
        Frame::Body(text.as_bytes().to_vec())
    }

    #[tokio::test]
    async fn a_large_message_does_not_keep_its_buffer() {
        let big = vec![b'x'; 3 * RETAINED_BUFFER_BYTES];
        let mut input = encode(&big);
        input.extend_from_slice(&encode(b"{}"));
        let mut reader = FrameReader::new(&input[..]);
        assert_eq!(reader.next().await, Some(Frame::Body(big)));
        assert!(reader.buffer.capacity() <= RETAINED_BUFFER_BYTES);
        assert_eq!(reader.next().await, Some(body("{}")));
        assert_eq!(reader.next().await, None);
    }

    #[tokio::test]
    async fn splits_frames_and_tolerates_content_type() {
        let input = b"Content-Length: 2\r\n\r\n{}Content-Length: 3\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n[1]";
        assert_eq!(frames_of(input).await, [body("{}"), body("[1]")]);
    }

    #[tokio::test]
    async fn resynchronises_after_garbage() {
        let input = b"garbage\r\n\r\nContent-Length: 2\r\n\r\n{}Content-Length: x\r\n\r\nContent-Length: 4\r\n\r\nnull";
        let frames = frames_of(input).await;
        assert_eq!(frames.len(), 4, "{frames:?}");
        assert!(
            matches!(&frames[0], Frame::Malformed(reason) if reason.contains("malformed header"))
        );
        assert_eq!(frames[1], body("{}"));
        assert!(
            matches!(&frames[2], Frame::Malformed(reason) if reason.contains("bad Content-Length"))
        );
        assert_eq!(frames[3], body("null"));
    }

    #[tokio::test]
    async fn garbage_glued_to_a_header_is_skipped() {
        let input = b"foobarContent-Length: 2\r\n\r\n{}";
        let frames = frames_of(input).await;
        assert!(matches!(frames[0], Frame::Malformed(_)));
        assert_eq!(frames[1..], [body("{}")]);
    }

    #[tokio::test]
    async fn refuses_oversized_frames_and_carries_on() {
        let input = format!(
            "Content-Length: {}\r\n\r\nContent-Length: 2\r\n\r\n{{}}",
            MAX_FRAME_BYTES + 1
        );
        let frames = frames_of(input.as_bytes()).await;
        assert!(matches!(&frames[0], Frame::Malformed(reason) if reason.contains("exceeds")));
        // The oversized body swallowed the rest of the (short) input: nothing else is a frame.
        assert_eq!(frames.len(), 1);
    }

    /// A long text notification goes to the stash and a placeholder to the server, in its
    /// place among the other messages; without a stash it goes to the server as it is.
    #[tokio::test]
    async fn long_text_notifications_go_to_the_stash() {
        let long = serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": "file:///a.txt", "languageId": "plaintext",
            "version": 1, "text": "x".repeat(super::super::stash::STASH_FROM_BYTES)}}})
        .to_string();
        let short = r#"{"jsonrpc":"2.0","method":"initialized"}"#;
        let input = [
            encode(short.as_bytes()),
            encode(long.as_bytes()),
            encode(short.as_bytes()),
        ]
        .concat();
        for stashing in [true, false] {
            let (replies, _) = mpsc::channel(4);
            let (stash_tx, mut stash_rx) = super::super::stash::channel();
            let (to_server, mut server) = tokio::io::duplex(1 << 20);
            let end =
                guard_input(&input[..], to_server, replies, stashing.then_some(stash_tx)).await;
            assert_eq!(end, InputEnd::Eof);
            let mut got = Vec::new();
            server.read_to_end(&mut got).await.unwrap();
            let placeholder = super::super::stash::placeholder();
            let middle: &[u8] = if stashing {
                &placeholder
            } else {
                long.as_bytes()
            };
            let want = [
                encode(short.as_bytes()),
                encode(middle),
                encode(short.as_bytes()),
            ];
            assert_eq!(got, want.concat());
            let stashed = stash_rx.try_recv().ok();
            assert_eq!(stashed.as_deref(), stashing.then_some(long.as_bytes()));
        }
    }

    #[tokio::test]
    async fn truncated_input_ends_quietly() {
        assert_eq!(frames_of(b"Content-Length: 10\r\n\r\n{\"a\"").await, []);
        assert_eq!(frames_of(b"").await, []);
    }

    #[test]
    fn checks_messages() {
        let long = format!(
            r#"{{"jsonrpc":"2.0","method":"textDocument/didChange","params":{{"x":"{}"}}}}"#,
            "a".repeat(super::super::stash::STASH_FROM_BYTES)
        );
        assert_eq!(
            check(long.as_bytes()),
            Checked::Forward {
                exit: false,
                stash: true
            }
        );
        assert_eq!(
            check(br#"{"jsonrpc":"2.0","method":"exit"}"#),
            Checked::Forward {
                exit: true,
                stash: false
            }
        );
        assert_eq!(
            check(br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#),
            Checked::Forward {
                exit: false,
                stash: false
            }
        );
        assert_eq!(
            check(br#"{"jsonrpc":"2.0","id":3,"result":null}"#),
            Checked::Forward {
                exit: false,
                stash: false
            }
        );
        let Checked::Reject(parse) = check(b"{not json") else {
            panic!()
        };
        assert_eq!(parse["error"]["code"], -32700);
        assert_eq!(parse["id"], serde_json::Value::Null);
        let Checked::Reject(invalid) = check(br#"{"jsonrpc":"1.0","id":7,"method":"x"}"#) else {
            panic!()
        };
        assert_eq!(invalid["error"]["code"], -32600);
        assert_eq!(invalid["id"], 7);
        let Checked::Reject(array) = check(b"[1,2]") else {
            panic!()
        };
        assert_eq!(array["error"]["code"], -32600);
    }
}
