//! Panic containment: a bug in one handler must not crash the user's editor session.
//!
//! [`CatchPanics`] wraps the whole tower-lsp-server service, so every handler is covered without
//! doing anything: a panic is logged with the method's name, a request gets a JSON-RPC internal
//! error (a notification nothing), and the server keeps serving. [`guarded`] does the same inside
//! one handler, for code that wants to recover more precisely. (Analysis panics are contained by
//! the analysis worker, see `diagnostics.rs`.)

use std::any::Any;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll};

use tower_lsp_server::jsonrpc::{Error, Request, Response, Result};
use tower_service::Service;
use tracing::error;

/// A service that answers for the panics of the service it wraps.
#[derive(Debug)]
pub struct CatchPanics<S>(pub S);

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S> Service<Request> for CatchPanics<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = BoxFuture<std::result::Result<Option<Response>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<std::result::Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        // Take the request apart for its method and id and put it back together: no copy of the
        // (possibly megabytes of) params.
        let (method, id, params) = request.into_parts();
        let mut builder = Request::build(method.clone());
        if let Some(id) = id.clone() {
            builder = builder.id(id);
        }
        if let Some(params) = params {
            builder = builder.params(params);
        }
        let request = builder.finish();
        let failed = move |payload: Box<dyn Any + Send>| {
            error!(%method, panic = panic_message(payload.as_ref()), "handler panicked");
            id.map(|id| Response::from_error(id, Error::internal_error()))
        };
        match catch_unwind(AssertUnwindSafe(|| self.0.call(request))) {
            Ok(future) => Box::pin(async move {
                match CatchUnwind::new(future).await {
                    Ok(result) => result,
                    Err(payload) => Ok(failed(payload)),
                }
            }),
            Err(payload) => {
                let response = failed(payload);
                Box::pin(async move { Ok(response) })
            }
        }
    }
}

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
    use std::future::ready;
    use tower_lsp_server::jsonrpc::Id;

    /// A service that panics on `boom` (synchronously) and `later` (while polled).
    struct Fragile;

    impl Service<Request> for Fragile {
        type Response = Option<Response>;
        type Error = std::convert::Infallible;
        type Future = BoxFuture<std::result::Result<Option<Response>, Self::Error>>;

        fn poll_ready(
            &mut self,
            _: &mut Context<'_>,
        ) -> Poll<std::result::Result<(), Self::Error>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, request: Request) -> Self::Future {
            match request.method() {
                "boom" => panic!("synchronous"),
                "later" => Box::pin(async { panic!("asynchronous") }),
                _ => {
                    let (_, id, params) = request.into_parts();
                    let echo = id.map(|id| Response::from_ok(id, params.unwrap_or_default()));
                    Box::pin(ready(Ok(echo)))
                }
            }
        }
    }

    #[tokio::test]
    async fn panics_become_internal_errors_and_the_service_goes_on() {
        let mut service = CatchPanics(Fragile);
        for method in ["boom", "later"] {
            let request = Request::build(method).id(1).finish();
            let response = service.call(request).await.unwrap();
            assert_eq!(
                response,
                Some(Response::from_error(Id::Number(1), Error::internal_error()))
            );
            // A notification that panics gets no response.
            assert_eq!(
                service.call(Request::build(method).finish()).await.unwrap(),
                None
            );
        }
        let request = Request::build("echo")
            .id(2)
            .params(serde_json::json!({"big": "params"}))
            .finish();
        let response = service.call(request).await.unwrap();
        assert_eq!(
            response,
            Some(Response::from_ok(
                Id::Number(2),
                serde_json::json!({"big": "params"})
            ))
        );
    }

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
