//! Panic containment for handlers: a bug in one feature must not crash the user's editor session.
//!
//! Wrap a request handler's body in [`guarded`]: a panic inside it is logged with the request's
//! name and answered with a JSON-RPC internal error, and the server keeps serving. (Analysis
//! panics are already contained by the analysis worker, see `diagnostics.rs`.)

use std::any::Any;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll};

use tower_lsp_server::jsonrpc::{Error, Result};
use tracing::error;

/// Polls a future, turning a panic in any poll into `Err(payload)`.
pub struct CatchUnwind<F>(Pin<Box<F>>);

impl<F> CatchUnwind<F> {
    pub fn new(future: F) -> Self {
        CatchUnwind(Box::pin(future))
    }
}

impl<F: Future> Future for CatchUnwind<F> {
    type Output = std::result::Result<F::Output, Box<dyn Any + Send>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.get_mut().0.as_mut();
        match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Err(payload) => Poll::Ready(Err(payload)),
        }
    }
}

/// Runs a request handler; a panic becomes an internal error response for request `what`.
pub async fn guarded<T>(what: &str, handler: impl Future<Output = Result<T>>) -> Result<T> {
    match CatchUnwind::new(handler).await {
        Ok(result) => result,
        Err(payload) => {
            error!(
                request = what,
                panic = panic_message(payload.as_ref()),
                "handler panicked"
            );
            Err(Error::internal_error())
        }
    }
}

/// The message of a panic payload (`panic!` with a string literal or a formatted string).
pub fn panic_message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_handler_becomes_an_internal_error() {
        let result: Result<u8> = guarded("test/panics", async {
            tokio::task::yield_now().await;
            panic!("boom after an await");
        })
        .await;
        assert_eq!(result, Err(Error::internal_error()));
        assert_eq!(guarded("test/fine", async { Ok(7) }).await, Ok(7));
    }

    #[test]
    fn panic_messages() {
        let payload = catch_unwind(|| panic!("static")).unwrap_err();
        assert_eq!(panic_message(payload.as_ref()), "static");
        let payload = catch_unwind(|| panic!("formatted {}", 1)).unwrap_err();
        assert_eq!(panic_message(payload.as_ref()), "formatted 1");
    }
}
