//! Large results written straight to JSON bytes, without tower-lsp-server's `serde_json::Value`.
//!
//! tower-lsp-server 0.23 turns every handler's result into a `Value` tree before writing it (its
//! `IntoResponse` is sealed). For a 1 MB article's outline that tree is ≈ 80 MiB of maps (one
//! per symbol, range and position) for 4 MB of JSON, and it sets the server's peak memory.
//! [`RawResponses`] wraps the service: for the methods in [`RAW_METHODS`] it runs the handler
//! with a slot ([`answer_streamed`]); a handler that fills it with its result returns `None` to
//! tower-lsp-server, and this layer hands the response frame itself to the output channel
//! (`framing::write_output`) and tells tower-lsp-server there is nothing to send. Without a
//! channel (the in-process service of tests and fuzzing) or outside the layer,
//! [`answer_streamed`] gives the result back and the handler answers the ordinary way.
//!
//! The JSON is never held whole either (a 10 MB article's outline is 36 MB of it): it is
//! measured first (a serialisation into a counter) for the header, then written again in
//! pieces on the blocking pool while `framing::write_output` sends them.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use serde::Serialize;
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Request, Response};
use tower_service::Service;
use tracing::{error, warn};

use super::framing::OutputFrame;

/// Requests whose handlers may answer through [`answer_streamed`].
pub const RAW_METHODS: &[&str] = &["textDocument/documentSymbol"];

tokio::task_local! {
    /// The current request's id and, once its handler gave its result to [`answer_streamed`],
    /// the response frame.
    static SLOT: RefCell<Slot>;
}

struct Slot {
    id: tower_lsp_server::jsonrpc::Id,
    frame: Option<OutputFrame>,
}

/// Answers the current request with `result`, without ever holding its JSON: `Ok` if the current request runs inside
/// [`RawResponses`] with an output channel (the handler must then return `Ok(None)`), else the
/// result back for the handler to return as usual. The result is serialised twice: once to
/// count its bytes for the header, then in pieces of [`PIECE_BYTES`] on the blocking pool, at
/// most [`PIECES_IN_FLIGHT`] ahead of the writer.
pub fn answer_streamed<T: Serialize + Send + 'static>(result: T) -> Result<(), T> {
    let id = match SLOT.try_with(|slot| slot.borrow().id.clone()) {
        Ok(id) => id,
        Err(_) => return Err(result),
    };
    let mut counter = Counter(0);
    if let Err(err) = serde_json::to_writer(&mut counter, &result) {
        warn!(%err, "cannot serialise a result; answering through tower-lsp-server");
        return Err(result);
    }
    let length = counter.0;
    let (tx, rx) = mpsc::channel(PIECES_IN_FLIGHT);
    let opening = match opening(&id, length + 1) {
        Ok(opening) => opening,
        Err(err) => {
            warn!(%err, "cannot serialise a request id; answering through tower-lsp-server");
            return Err(result);
        }
    };
    tokio::task::spawn_blocking(move || {
        let mut pieces = Pieces {
            piece: opening,
            left: length,
            cut: false,
            to: tx,
        };
        // The length is announced: whatever happens, exactly that many bytes follow it. A
        // second serialisation of the same value gives the same bytes; anything else is a bug,
        // and blank padding keeps the client's stream in step.
        let written = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            serde_json::to_writer(&mut pieces, &result)
        }));
        if pieces.to.is_closed() {
            return;
        }
        if !matches!(written, Ok(Ok(()))) || pieces.left > 0 {
            error!(
                missing = pieces.left,
                "a streamed result came out shorter than counted; padding it"
            );
        }
        let padding = vec![b' '; pieces.left];
        pieces.left = 0;
        pieces.piece.extend_from_slice(&padding);
        pieces.piece.push(b'}');
        let last = std::mem::take(&mut pieces.piece);
        let _ = pieces.to.blocking_send(last);
    });
    SLOT.with(|slot| slot.borrow_mut().frame = Some(OutputFrame::Pieces(rx)));
    Ok(())
}

/// Bytes per piece of a streamed result.
const PIECE_BYTES: usize = 64 * 1024;
/// Pieces a streamed result may be ahead of the writer.
const PIECES_IN_FLIGHT: usize = 2;

/// Counts what is written.
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The header and the response's opening up to its result, for a body whose rest (the result
/// and the closing brace) is `body_rest` bytes long.
fn opening(id: &tower_lsp_server::jsonrpc::Id, body_rest: usize) -> serde_json::Result<Vec<u8>> {
    let mut open = Vec::with_capacity(PIECE_BYTES + 1024);
    open.extend_from_slice(OPEN);
    serde_json::to_writer(&mut open, id)?;
    open.extend_from_slice(RESULT);
    let header = format!("Content-Length: {}\r\n\r\n", open.len() + body_rest);
    open.splice(0..0, header.bytes());
    Ok(open)
}

/// Sends what is written in pieces, never more than `left` bytes in all.
struct Pieces {
    piece: Vec<u8>,
    left: usize,
    /// Something past `left` was cut (logged once).
    cut: bool,
    to: mpsc::Sender<Vec<u8>>,
}

impl std::io::Write for Pieces {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let take = buf.len().min(self.left);
        if take < buf.len() && !self.cut {
            self.cut = true;
            error!("a streamed result came out longer than counted; cutting it");
        }
        self.piece.extend_from_slice(&buf[..take]);
        self.left -= take;
        if self.piece.len() >= PIECE_BYTES {
            let full = std::mem::replace(&mut self.piece, Vec::with_capacity(PIECE_BYTES + 1024));
            if self.to.blocking_send(full).is_err() {
                // The writer is gone (the client went away or the request was cancelled).
                return Err(std::io::ErrorKind::BrokenPipe.into());
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A response's opening up to its id, and from its id to its result.
const OPEN: &[u8] = br#"{"jsonrpc":"2.0","id":"#;
const RESULT: &[u8] = br#","result":"#;

/// The service wrapper that writes the results of [`RAW_METHODS`] itself (see the module note).
#[derive(Debug)]
pub struct RawResponses<S> {
    pub inner: S,
    /// Where whole frames for the client go; `None`: every response through tower-lsp-server.
    pub output: Option<mpsc::Sender<OutputFrame>>,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S> Service<Request> for RawResponses<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Option<Response>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let raw = match (&self.output, request.id()) {
            (Some(output), Some(id)) if RAW_METHODS.contains(&request.method()) => {
                Some((output.clone(), id.clone()))
            }
            _ => None,
        };
        let future = self.inner.call(request);
        let Some((output, id)) = raw else {
            return Box::pin(future);
        };
        Box::pin(async move {
            let slot = Slot {
                id: id.clone(),
                frame: None,
            };
            let (response, frame) = SLOT
                .scope(RefCell::new(slot), async move {
                    let response = future.await;
                    (response, SLOT.with(|slot| slot.borrow_mut().frame.take()))
                })
                .await;
            let response = response?;
            // Only a successful `null` can stand for the written result: an error (the request
            // was cancelled, the server is shutting down, the handler panicked) goes out as is.
            let answered = response
                .as_ref()
                .is_some_and(|r| r.is_ok() && r.result().is_some_and(|v| v.is_null()));
            match frame {
                Some(frame) if answered => {
                    if output.send(frame).await.is_err() {
                        warn!("output closed before a response was written");
                    }
                    Ok(None)
                }
                _ => Ok(response),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::jsonrpc::Id;

    /// A service whose `textDocument/documentSymbol` answers its numbers through
    /// [`answer_streamed`] when it can, and that echoes every other request's params.
    struct Echo(Vec<u32>);

    async fn whole(frame: OutputFrame) -> Vec<u8> {
        match frame {
            OutputFrame::Whole(frame) => frame,
            OutputFrame::Pieces(mut pieces) => {
                let mut frame = Vec::new();
                while let Some(piece) = pieces.recv().await {
                    frame.extend_from_slice(&piece);
                }
                frame
            }
        }
    }

    impl Service<Request> for Echo {
        type Response = Option<Response>;
        type Error = std::convert::Infallible;
        type Future = BoxFuture<Result<Option<Response>, Self::Error>>;

        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, request: Request) -> Self::Future {
            let symbols = request.method() == "textDocument/documentSymbol";
            let numbers = self.0.clone();
            let (_, id, params) = request.into_parts();
            Box::pin(async move {
                tokio::task::yield_now().await;
                let result = if symbols {
                    match answer_streamed(numbers) {
                        Ok(()) => serde_json::Value::Null,
                        Err(numbers) => serde_json::json!(numbers),
                    }
                } else {
                    params.unwrap_or_default()
                };
                Ok(id.map(|id| Response::from_ok(id, result)))
            })
        }
    }

    fn request(method: &str, id: i64) -> Request {
        Request::build(method.to_owned()).id(id).finish()
    }

    fn body(frame: &[u8]) -> serde_json::Value {
        let text = std::str::from_utf8(frame).unwrap();
        let (header, body) = text.split_once("\r\n\r\n").unwrap();
        assert_eq!(header, format!("Content-Length: {}", body.len()));
        serde_json::from_str(body).unwrap()
    }

    #[tokio::test]
    async fn a_raw_result_is_written_as_a_frame_and_not_returned() {
        let (tx, mut rx) = mpsc::channel(4);
        let mut service = RawResponses {
            inner: Echo(vec![1, 2]),
            output: Some(tx),
        };
        let response = service
            .call(request("textDocument/documentSymbol", 7))
            .await
            .unwrap();
        assert_eq!(response, None);
        let frame = whole(rx.recv().await.unwrap()).await;
        assert_eq!(
            body(&frame),
            serde_json::json!({"jsonrpc": "2.0", "id": 7, "result": [1, 2]})
        );
        // Other methods go through untouched.
        let echoed = service
            .call(request("textDocument/hover", 8))
            .await
            .unwrap();
        assert_eq!(
            echoed,
            Some(Response::from_ok(Id::Number(8), serde_json::Value::Null))
        );
        assert!(rx.try_recv().is_err());
    }

    /// A result of any length arrives whole, in order, with its length in the header.
    #[tokio::test]
    async fn a_streamed_result_is_the_whole_frame_in_pieces() {
        for n in [0, 3, 40_000] {
            let (tx, mut rx) = mpsc::channel(4);
            let mut service = RawResponses {
                inner: Echo((0..n).collect()),
                output: Some(tx),
            };
            let response = service
                .call(request("textDocument/documentSymbol", 9))
                .await
                .unwrap();
            assert_eq!(response, None);
            let numbers: Vec<u32> = (0..n).collect();
            let got = rx.recv().await.unwrap();
            assert!(matches!(got, OutputFrame::Pieces(_)));
            let got = whole(got).await;
            if n == 40_000 {
                assert!(got.len() > 2 * PIECE_BYTES);
            }
            let expected = format!(
                r#"{{"jsonrpc":"2.0","id":9,"result":{}}}"#,
                serde_json::to_string(&numbers).unwrap()
            );
            let text = std::str::from_utf8(&got).unwrap();
            assert_eq!(text.split_once("\r\n\r\n").unwrap().1, expected);
            body(&got);
        }
        let mut service = RawResponses {
            inner: Echo(vec![0, 1]),
            output: None,
        };
        let response = service
            .call(request("textDocument/documentSymbol", 1))
            .await
            .unwrap();
        assert_eq!(
            response,
            Some(Response::from_ok(Id::Number(1), serde_json::json!([0, 1])))
        );
    }

    #[tokio::test]
    async fn without_an_output_the_handler_answers_as_usual() {
        let mut service = RawResponses {
            inner: Echo(vec![1, 2]),
            output: None,
        };
        let response = service
            .call(request("textDocument/documentSymbol", 1))
            .await
            .unwrap();
        assert_eq!(
            response,
            Some(Response::from_ok(Id::Number(1), serde_json::json!([1, 2])))
        );
        assert_eq!(answer_streamed(1), Err(1), "no slot outside the layer");
    }

    #[test]
    fn frames_string_ids() {
        let mut frame = opening(&Id::String("a\"b".into()), 5).unwrap();
        frame.extend_from_slice(b"null}");
        assert_eq!(
            body(&frame),
            serde_json::json!({"jsonrpc": "2.0", "id": "a\"b", "result": null})
        );
    }
}
