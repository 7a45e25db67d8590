//! Large results written straight to JSON bytes, without tower-lsp-server's `serde_json::Value`.
//!
//! tower-lsp-server 0.23 turns every handler's result into a `Value` tree before writing it (its
//! `IntoResponse` is sealed). For a 1 MB article's outline that tree is ≈ 80 MiB of maps (one
//! per symbol, range and position) for 4 MB of JSON, and it sets the server's peak memory.
//! [`RawResponses`] wraps the service: for the methods in [`RAW_METHODS`] it runs the handler
//! with a slot ([`answer`]); a handler that fills it with its result's JSON returns `None` to
//! tower-lsp-server, and this layer writes the response frame itself to the output channel
//! (`framing::write_output`) and tells tower-lsp-server there is nothing to send. Without a
//! channel (the in-process service of tests and fuzzing) or outside the layer, [`answer`] says no
//! and the handler answers the ordinary way.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use serde::Serialize;
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Request, Response};
use tower_service::Service;
use tracing::warn;

/// Requests whose handlers may answer through [`answer`].
pub const RAW_METHODS: &[&str] = &["textDocument/documentSymbol"];

tokio::task_local! {
    /// The current request's id and, once its handler wrote its result with [`answer`], the
    /// whole response frame.
    static SLOT: RefCell<Slot>;
}

struct Slot {
    id: tower_lsp_server::jsonrpc::Id,
    frame: Option<Vec<u8>>,
}

/// Serialises `result` as the current request's response, if the request runs inside
/// [`RawResponses`] with an output channel; true if it did (the handler must then return
/// `Ok(None)`, which is not sent), false if the handler must return its result as usual.
pub fn answer<T: Serialize>(result: &T) -> bool {
    SLOT.try_with(|slot| {
        let mut slot = slot.borrow_mut();
        match frame_with(&slot.id, |out| serde_json::to_writer(out, result)) {
            Ok(frame) => {
                slot.frame = Some(frame);
                true
            }
            Err(err) => {
                warn!(%err, "cannot serialise a result; answering through tower-lsp-server");
                false
            }
        }
    })
    .unwrap_or(false)
}

/// A whole LSP frame (header and body) answering request `id` with `result`, which is JSON.
pub fn frame(id: &tower_lsp_server::jsonrpc::Id, result: &[u8]) -> Option<Vec<u8>> {
    frame_with(id, |out| {
        out.extend_from_slice(result);
        Ok(())
    })
    .ok()
}

/// Room left before the body for the header, which is written once the body's length is known
/// ("Content-Length: " and at most 20 digits and two line breaks).
const HEADER_ROOM: usize = 48;

/// A whole frame answering `id` with the result `write` appends, built in one buffer (a long
/// outline's JSON is several MB: no second copy with the header in front).
fn frame_with(
    id: &tower_lsp_server::jsonrpc::Id,
    write: impl FnOnce(&mut Vec<u8>) -> serde_json::Result<()>,
) -> serde_json::Result<Vec<u8>> {
    const OPEN: &[u8] = br#"{"jsonrpc":"2.0","id":"#;
    const RESULT: &[u8] = br#","result":"#;
    let mut out = vec![b' '; HEADER_ROOM];
    out.extend_from_slice(OPEN);
    serde_json::to_writer(&mut out, id)?;
    out.extend_from_slice(RESULT);
    write(&mut out)?;
    out.push(b'}');
    let header = format!("Content-Length: {}\r\n\r\n", out.len() - HEADER_ROOM);
    let start = HEADER_ROOM - header.len();
    out[start..HEADER_ROOM].copy_from_slice(header.as_bytes());
    // Moves the frame to the buffer's start in place.
    out.drain(..start);
    Ok(out)
}

/// The service wrapper that writes the results of [`RAW_METHODS`] itself (see the module note).
#[derive(Debug)]
pub struct RawResponses<S> {
    pub inner: S,
    /// Where whole frames for the client go; `None`: every response through tower-lsp-server.
    pub output: Option<mpsc::Sender<Vec<u8>>>,
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

    /// A service whose `textDocument/documentSymbol` answers `[1,2]` through [`answer`] when it
    /// can, and echoes everything else.
    struct Echo;

    impl Service<Request> for Echo {
        type Response = Option<Response>;
        type Error = std::convert::Infallible;
        type Future = BoxFuture<Result<Option<Response>, Self::Error>>;

        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, request: Request) -> Self::Future {
            let symbols = request.method() == "textDocument/documentSymbol";
            let (_, id, params) = request.into_parts();
            Box::pin(async move {
                tokio::task::yield_now().await;
                let result = if symbols {
                    if answer(&[1, 2]) {
                        serde_json::Value::Null
                    } else {
                        serde_json::json!([1, 2])
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
            inner: Echo,
            output: Some(tx),
        };
        let response = service
            .call(request("textDocument/documentSymbol", 7))
            .await
            .unwrap();
        assert_eq!(response, None);
        let frame = rx.recv().await.unwrap();
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

    #[tokio::test]
    async fn without_an_output_the_handler_answers_as_usual() {
        let mut service = RawResponses {
            inner: Echo,
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
        assert!(!answer(&1), "no slot outside the layer");
    }

    #[test]
    fn frames_string_ids() {
        let frame = frame(&Id::String("a\"b".into()), b"null").unwrap();
        assert_eq!(
            body(&frame),
            serde_json::json!({"jsonrpc": "2.0", "id": "a\"b", "result": null})
        );
    }
}
