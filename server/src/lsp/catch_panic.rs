//! A panic in any request or notification handler becomes an error response, never a dead server.
//!
//! tower-lsp-server runs handler futures inside its own `serve` loop, so a panic in one (a bug in
//! a hover card, an index off by one in a symbol outline) would unwind through the loop and end
//! the process: a crash in someone's editor. [`CatchPanic`] wraps the service and catches the
//! unwind at each handler's future: a request gets a JSON-RPC internal error (-32603) naming the
//! method, a notification is dropped, both are logged with the method and id, and the server goes
//! on serving. Handlers wrapped in `panic::guarded` answer their own panics first; this is the
//! net under every handler, notifications included. Document state stays consistent: edits are applied by synchronous code that holds
//! no lock across a handler's awaits, and DashMap's locks are released (not poisoned) on unwind.

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll};

use tower_lsp_server::jsonrpc::{Error, Id, Request, Response};
use tower_service::Service;
use tracing::error;

use super::panic::panic_message;

/// Wraps an LSP service so that a panicking handler answers with an error instead of unwinding.
#[derive(Debug, Clone)]
pub struct CatchPanic<S> {
    inner: S,
}

impl<S> CatchPanic<S> {
    pub fn new(inner: S) -> Self {
        CatchPanic { inner }
    }
}

impl<S> Service<Request> for CatchPanic<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Option<Response>, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let method = request.method().to_owned();
        let id = request.id().cloned();
        // Building the handler's future runs no handler code in tower-lsp-server, but a panic here
        // is caught all the same.
        let inner = match catch_unwind(AssertUnwindSafe(|| self.inner.call(request))) {
            Ok(future) => future,
            Err(payload) => return Box::pin(std::future::ready(Ok(answer_panic(&method, id, &*payload)))),
        };
        Box::pin(Guarded { inner: Box::pin(inner), method, id })
    }
}

/// A handler's future whose panics are caught at every poll.
struct Guarded<F> {
    inner: Pin<Box<F>>,
    method: String,
    id: Option<Id>,
}

impl<F, E> Future for Guarded<F>
where
    F: Future<Output = Result<Option<Response>, E>>,
{
    type Output = Result<Option<Response>, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        match catch_unwind(AssertUnwindSafe(|| this.inner.as_mut().poll(cx))) {
            Ok(poll) => poll,
            Err(payload) => Poll::Ready(Ok(answer_panic(&this.method, this.id.take(), &*payload))),
        }
    }
}

/// Logs a handler panic and makes the response: an internal error for a request, none otherwise.
fn answer_panic(method: &str, id: Option<Id>, payload: &(dyn std::any::Any + Send)) -> Option<Response> {
    let message = panic_message(payload);
    error!(method, id = ?id, panic = %message, "handler panicked; answered with an error, still serving");
    id.map(|id| {
        let mut error = Error::internal_error();
        error.message = format!("copydesk: internal error in {method}; see the server log").into();
        Response::from_error(id, error)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::convert::Infallible;

    /// A service whose handler panics for method "boom" and answers null otherwise.
    struct Flaky;

    impl Service<Request> for Flaky {
        type Response = Option<Response>;
        type Error = Infallible;
        type Future = Pin<Box<dyn Future<Output = Result<Option<Response>, Infallible>> + Send>>;

        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, request: Request) -> Self::Future {
            let boom = request.method() == "boom";
            let id = request.id().cloned();
            Box::pin(async move {
                tokio::task::yield_now().await;
                if boom {
                    panic!("handler bug");
                }
                Ok(id.map(|id| Response::from_ok(id, serde_json::Value::Null)))
            })
        }
    }

    fn call(service: &mut CatchPanic<Flaky>, request: Request) -> Option<Response> {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        runtime.block_on(service.call(request)).unwrap()
    }

    #[test]
    fn a_panicking_request_gets_an_internal_error_and_the_service_goes_on() {
        let mut service = CatchPanic::new(Flaky);
        let response = call(&mut service, Request::build("boom").id(7).finish()).unwrap();
        let (id, body) = response.into_parts();
        assert_eq!(id, Id::Number(7));
        let error = body.unwrap_err();
        assert_eq!(error.code, tower_lsp_server::jsonrpc::ErrorCode::InternalError);
        assert_eq!(error.message, "copydesk: internal error in boom; see the server log");
        let fine = call(&mut service, Request::build("fine").id(8).finish()).unwrap();
        assert_eq!(fine.into_parts(), (Id::Number(8), Ok(serde_json::Value::Null)));
    }

    #[test]
    fn a_panicking_notification_is_dropped() {
        let mut service = CatchPanic::new(Flaky);
        assert!(call(&mut service, Request::build("boom").finish()).is_none());
    }
}
