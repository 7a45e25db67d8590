//! The language-server glue: the only module that knows LSP types.
//!
//! - [`server`]: the `LanguageServer` impl (life cycle, capabilities, text sync); feature
//!   handlers delegate from it to their own files here.
//! - [`documents`]: open documents as ropes, edits, analysis state.
//! - [`diagnostics`]: the per-document analysis worker (stale versions skipped, current published).
//! - [`encoding`]: every conversion between byte offsets and LSP positions.
//! - [`framing`]: the guard in front of tower-lsp-server that answers malformed frames.
//! - [`stash`]: long `didOpen`/`didChange` bodies passed beside tower-lsp-server's read buffer.
//! - [`stdio`]: stdin and stdout on threads of their own (not tokio's blocking pool).
//! - [`panic`]: [`panic::guarded`] turns a panicking request handler into an error response.
//! - [`outbox`]: `publishDiagnostics` written as JSON bytes, not through tower-lsp-server.
//! - [`raw_response`]: large results (the outline) written as JSON bytes, not a `serde_json::Value`.
//! - [`size_limit`]: documents above 20 MiB are kept in sync but not analysed, with one notice.
//! - editor features (protocol side of `features`): [`feature_state`] (configuration, recent
//!   edits), [`feature_diagnostics`], [`feature_capabilities`], [`navigation`] (hover,
//!   references, definition, rename), [`symbols`] (outline, workspace symbols), [`editing`]
//!   (code actions, inlay hints, semantic tokens, folding).

#[cfg(test)]
mod close_tests;
pub mod diagnostics;
pub mod documents;
pub mod editing;
pub mod encoding;
pub mod feature_capabilities;
pub mod feature_diagnostics;
pub mod feature_state;
pub mod framing;
pub mod navigation;
pub mod outbox;
pub mod panic;
pub mod published;
pub mod raw_response;
pub mod server;
pub mod size_limit;
pub mod stash;
pub mod stdio;
pub mod symbols;

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc;
use tower_lsp_server::{LspService, Server};
use tracing::info;

pub use server::Backend;

/// The method name of the custom text request (see [`Backend::document_text`]).
pub const DOCUMENT_TEXT_METHOD: &str = "copydesk/documentText";

/// The service with every handler registered and panics contained, for stdio and for
/// in-process tests and fuzzing.
pub fn service(
    shutdown_requested: Arc<AtomicBool>,
) -> (
    panic::CatchPanics<LspService<Backend>>,
    tower_lsp_server::ClientSocket,
) {
    service_writing_to(shutdown_requested, None)
}

/// [`service`], publishing diagnostics straight to the output writer's channel `frames` when
/// given (see [`outbox`]).
fn service_writing_to(
    shutdown_requested: Arc<AtomicBool>,
    frames: Option<mpsc::Sender<framing::OutputFrame>>,
) -> (
    panic::CatchPanics<LspService<Backend>>,
    tower_lsp_server::ClientSocket,
) {
    let (service, socket) =
        LspService::build(move |client| Backend::new(client, frames, shutdown_requested))
            .custom_method(DOCUMENT_TEXT_METHOD, Backend::document_text)
            .finish();
    (panic::CatchPanics(service), socket)
}

/// Serves LSP on `input`/`output` until `exit` or end of input. True if `shutdown` came first.
pub async fn serve<I, O>(input: I, output: O) -> bool
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
{
    serve_writing(input, move |frames| framing::write_output(output, frames)).await
}

/// [`serve`], with the output written by whatever `writer` makes of the frames' channel; its
/// future ends once the last frame is written.
async fn serve_writing<I, W, F>(input: I, writer: W) -> bool
where
    I: AsyncRead + Unpin + Send + 'static,
    W: FnOnce(mpsc::Receiver<framing::OutputFrame>) -> F,
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let shutdown_requested = Arc::new(AtomicBool::new(false));
    let (frames_tx, frames_rx) = mpsc::channel(64);
    let (service, socket) = service_writing_to(shutdown_requested.clone(), Some(frames_tx.clone()));
    let (server_input, guard_output) = tokio::io::duplex(64 * 1024);
    let (server_output, collector_input) = tokio::io::duplex(64 * 1024);
    let service = raw_response::RawResponses {
        inner: service,
        output: Some(frames_tx.clone()),
    };
    let (stash_tx, stash_rx) = stash::channel();
    let service = stash::Unstash {
        inner: service,
        bodies: stash_rx,
    };

    let writer = tokio::spawn(writer(frames_rx));
    let collector = tokio::spawn(framing::collect_output(collector_input, frames_tx.clone()));
    let guard = tokio::spawn(framing::guard_input(
        input,
        guard_output,
        frames_tx,
        Some(stash_tx),
    ));
    Server::new(server_input, server_output, socket)
        .serve(service)
        .await;
    // The server has dropped its output: let the last frames through before returning.
    let _ = collector.await;
    guard.abort();
    let _ = guard.await;
    let _ = writer.await;
    let shutdown = shutdown_requested.load(Ordering::SeqCst);
    info!(shutdown, "server stopped");
    shutdown
}

/// Async worker threads of the server's runtime (analysis runs on tokio's blocking pool).
const RUNTIME_WORKERS: usize = 2;

/// glibc gives each thread that allocates under contention its own malloc arena (up to 8 per
/// core) and keeps each arena's freed memory for reuse by that arena only. The server's work is
/// sequential (one client, one analysis at a time) but hops between runtime workers and the
/// blocking pool, so every arena ends up holding its own high-water mark of a 1 MB article's
/// analysis and responses: ≈ 50 MB more peak RSS with no gain in throughput. One arena shares that
/// memory between threads; its lock is uncontended in practice. Other allocators: nothing to do.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    // SAFETY: mallopt only sets an allocator parameter; called before the runtime starts any
    // thread. A zero return means the value was refused, which leaves glibc's default in place.
    let accepted = unsafe { libc::mallopt(libc::M_ARENA_MAX, 1) };
    if accepted == 0 {
        tracing::warn!("mallopt(M_ARENA_MAX, 1) refused; keeping glibc's default arenas");
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}

/// Serves LSP over the process's stdin/stdout; exit code 0 if `shutdown` came before `exit` (or
/// the end of input), 1 otherwise, as the specification asks.
pub fn serve_stdio() -> ExitCode {
    limit_malloc_arenas();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        // One client over one pipe: two workers let a notification be applied while a request is
        // being answered; one per core (the default) only multiplies idle threads on big machines.
        .worker_threads(RUNTIME_WORKERS)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("copydesk: cannot start the async runtime: {err}");
            return ExitCode::from(1);
        }
    };
    let clean = runtime.block_on(serve_writing(stdio::stdin(), stdio::write_stdout));
    // The stdin thread is not waited for: it may sit in read() until the client closes the
    // pipe, and the specification says to exit now.
    runtime.shutdown_background();
    if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    /// `serve` runs in process over any byte streams: the seam for fast tests and fuzzing.
    #[tokio::test]
    async fn serves_in_process_over_pipes() {
        let (mut to_server, server_in) = tokio::io::duplex(1 << 16);
        let (server_out, from_server) = tokio::io::duplex(1 << 16);
        let server = tokio::spawn(serve(server_in, server_out));
        let mut frames = framing::FrameReader::new(from_server);
        // Each message waits for its answer, as a client must (`exit` only after `shutdown`'s).
        let exchanges = [
            (
                r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#,
                true,
            ),
            ("{oops", true),
            (r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#, true),
            (r#"{"jsonrpc":"2.0","method":"exit"}"#, false),
        ];
        let mut replies = Vec::new();
        for (body, answered) in exchanges {
            to_server
                .write_all(&framing::encode(body.as_bytes()))
                .await
                .unwrap();
            if answered {
                let Some(framing::Frame::Body(reply)) = frames.next().await else {
                    panic!()
                };
                replies.push(serde_json::from_slice::<serde_json::Value>(&reply).unwrap());
            }
        }
        assert!(server.await.unwrap(), "shutdown came before exit");
        assert_eq!(
            replies[0]["result"]["capabilities"]["positionEncoding"],
            "utf-16"
        );
        assert_eq!(replies[1]["error"]["code"], -32700);
        assert_eq!(
            replies[2],
            serde_json::json!({"jsonrpc": "2.0", "id": 2, "result": null})
        );
        // The server has closed its output.
        assert_eq!(frames.next().await, None);
    }

    /// `exit` ends `serve` while tasks that publish are still alive: a document's diagnostics
    /// worker (editors exit without closing their documents) and a settings request the
    /// client never answered. Fails if their hold on the output writer keeps the writer, and
    /// so `serve`, waiting after `exit`.
    #[tokio::test]
    async fn exit_ends_serving_while_publishing_tasks_live() {
        let (mut to_server, server_in) = tokio::io::duplex(1 << 16);
        let (server_out, from_server) = tokio::io::duplex(1 << 16);
        let server = tokio::spawn(serve(server_in, server_out));
        let mut frames = framing::FrameReader::new(from_server);
        let open = serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": "file:///news/story.txt", "languageId": "plaintext",
            "version": 1, "text": "“We will rebuild,” a spokesman said.\n"}}})
        .to_string();
        // A client that can be asked for settings, and is: the request stays unanswered.
        let initialize = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{"workspace":{"configuration":true}}}}"#;
        let initialized = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let shutdown = r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#;
        // Each step waits for a message: initialize's answer, the document's diagnostics,
        // shutdown's answer.
        let steps: [(&[&str], &str); 3] = [
            (&[initialize], "id 1"),
            (&[initialized, &open], "textDocument/publishDiagnostics"),
            (&[shutdown], "id 2"),
        ];
        for (bodies, awaited) in steps {
            for body in bodies {
                to_server
                    .write_all(&framing::encode(body.as_bytes()))
                    .await
                    .unwrap();
            }
            loop {
                let Some(framing::Frame::Body(reply)) = frames.next().await else {
                    panic!("output ended while waiting for {awaited}")
                };
                let reply: serde_json::Value = serde_json::from_slice(&reply).unwrap();
                let seen = match (&reply["method"], &reply["id"]) {
                    (serde_json::Value::String(method), _) => method.clone(),
                    (_, id) => format!("id {id}"),
                };
                if seen == awaited {
                    break;
                }
            }
        }
        to_server
            .write_all(&framing::encode(br#"{"jsonrpc":"2.0","method":"exit"}"#))
            .await
            .unwrap();
        // A bound so that a hang fails the test instead of CI's whole run.
        let served = tokio::time::timeout(std::time::Duration::from_secs(30), server).await;
        assert!(served.expect("serve did not end after exit").unwrap());
    }
}
