//! Long `didOpen`/`didChange` bodies handed to the server beside tower-lsp-server's reader.
//!
//! tower-lsp-server 0.23 reads its input through `tokio_util`'s `FramedRead`, whose buffer grows
//! to hold the longest message it has read and never shrinks: after opening a 10 MB article it
//! keeps 16.8 MB (2 MB at 1 MB) for the rest of the session, a fourth copy of the text beside
//! the rope and the analysed text. So the framing guard (`framing::guard_input`) sends such a
//! body here and passes the server a short placeholder ([`placeholder`]) in its place, and
//! [`Unstash`], wrapping the service, swaps the body back in when the placeholder comes.
//!
//! tower-lsp-server calls its service once per message, synchronously and in the order read,
//! and the guard sends a body before it writes its placeholder: the n-th placeholder takes the
//! n-th body, whatever the server does with it (before `initialize`, after `shutdown`). The
//! channel holds one body, so that the guard reads no further ahead than a full pipe let it.

use std::task::{Context, Poll};

use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::Request;
use tower_service::Service;
use tracing::warn;

/// The placeholder's method: no client sends it (one that did would find no body waiting,
/// and the server ignores unknown notifications).
pub const STASHED_METHOD: &str = "copydesk/stashedMessage";

/// Bodies at least this long go beside the reader; shorter ones fit the reader's buffer as
/// it is (it starts at 8 KiB and grows by doubling).
pub const STASH_FROM_BYTES: usize = 64 * 1024;

/// Whether a body of `len` bytes for `method` goes beside the reader: the notifications that
/// carry a document's text, which is what makes a message long.
pub fn stashable(method: &str, len: usize) -> bool {
    len >= STASH_FROM_BYTES && matches!(method, "textDocument/didOpen" | "textDocument/didChange")
}

/// The body the server reads in a stashed message's place.
pub fn placeholder() -> Vec<u8> {
    format!(r#"{{"jsonrpc":"2.0","method":"{STASHED_METHOD}"}}"#).into_bytes()
}

/// A channel for stashed bodies: the guard's end and the service's.
pub fn channel() -> (mpsc::Sender<Vec<u8>>, mpsc::Receiver<Vec<u8>>) {
    mpsc::channel(1)
}

/// Wraps the service: a placeholder becomes the message whose body the guard stashed.
pub struct Unstash<S> {
    pub inner: S,
    pub bodies: mpsc::Receiver<Vec<u8>>,
}

impl<S: Service<Request>> Service<Request> for Unstash<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> S::Future {
        if request.method() != STASHED_METHOD {
            return self.inner.call(request);
        }
        let Ok(body) = self.bodies.try_recv() else {
            warn!("{STASHED_METHOD} with no message waiting; ignored");
            return self.inner.call(request);
        };
        match serde_json::from_slice::<Request>(&body) {
            Ok(stashed) => {
                drop(body);
                self.inner.call(stashed)
            }
            // Unreachable: the guard stashes only bodies that parse as a `Request`.
            Err(err) => {
                warn!("stashed message does not parse: {err}");
                self.inner.call(request)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::{ready, Ready};

    /// Records the methods and the length of the params it is called with.
    struct Record(Vec<(String, usize)>);

    impl Service<Request> for Record {
        type Response = Option<tower_lsp_server::jsonrpc::Response>;
        type Error = std::convert::Infallible;
        type Future = Ready<Result<Self::Response, Self::Error>>;

        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, request: Request) -> Self::Future {
            let params = request.params().map_or(0, |p| p.to_string().len());
            self.0.push((request.method().to_owned(), params));
            ready(Ok(None))
        }
    }

    fn request(body: &[u8]) -> Request {
        serde_json::from_slice(body).unwrap()
    }

    fn did_change(text: &str) -> Vec<u8> {
        serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": "file:///a.txt", "version": 2},
            "contentChanges": [{"text": text}]}})
        .to_string()
        .into_bytes()
    }

    /// Each placeholder takes the body sent before it, in order; other messages pass as they are.
    #[tokio::test]
    async fn placeholders_take_the_stashed_bodies_in_order() {
        let (tx, rx) = channel();
        let mut service = Unstash {
            inner: Record(Vec::new()),
            bodies: rx,
        };
        let (first, second) = ("a".repeat(70_000), "b".repeat(80_000));
        tx.send(did_change(&first)).await.unwrap();
        service.call(request(&placeholder())).await.unwrap();
        service
            .call(request(br#"{"jsonrpc":"2.0","method":"initialized"}"#))
            .await
            .unwrap();
        tx.send(did_change(&second)).await.unwrap();
        service.call(request(&placeholder())).await.unwrap();
        // A placeholder with nothing waiting goes through as the unknown notification it is.
        service.call(request(&placeholder())).await.unwrap();
        let got: Vec<(&str, bool)> = service
            .inner
            .0
            .iter()
            .map(|(m, n)| (m.as_str(), *n > 70_000))
            .collect();
        assert_eq!(
            got,
            [
                ("textDocument/didChange", true),
                ("initialized", false),
                ("textDocument/didChange", true),
                (STASHED_METHOD, false),
            ]
        );
        assert!(service.inner.0[2].1 > 80_000);
    }

    #[test]
    fn only_long_text_notifications_are_stashed() {
        assert!(stashable("textDocument/didOpen", STASH_FROM_BYTES));
        assert!(stashable("textDocument/didChange", 1 << 20));
        assert!(!stashable("textDocument/didChange", STASH_FROM_BYTES - 1));
        assert!(!stashable("textDocument/hover", 1 << 20));
    }
}
