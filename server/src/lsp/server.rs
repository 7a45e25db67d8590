//! The `LanguageServer` implementation: life cycle, capabilities and text synchronisation.
//!
//! Feature handlers (hover, symbols, …) live in their own files under `lsp/`; each gets a
//! one-line method here that delegates to it, and its capability in [`capabilities`].

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, InitializeParams, InitializeResult, InitializedParams, SaveOptions,
    ServerCapabilities, ServerInfo, TextDocumentIdentifier, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};
use tower_lsp_server::{Client, LanguageServer};
use tracing::{debug, info, warn};

use super::diagnostics;
use super::documents::{ChangeOutcome, Documents};
use super::encoding::PositionEncoding;

/// State shared by the handlers and the analysis workers.
#[derive(Debug)]
pub struct Backend {
    pub client: Client,
    pub documents: Arc<Documents>,
    encoding: OnceLock<PositionEncoding>,
    shutdown_requested: Arc<AtomicBool>,
}

impl Backend {
    /// `shutdown_requested` is set when the client sends `shutdown` (it decides the exit code).
    pub fn new(client: Client, shutdown_requested: Arc<AtomicBool>) -> Self {
        Backend {
            client,
            documents: Arc::default(),
            encoding: OnceLock::new(),
            shutdown_requested,
        }
    }

    /// The position encoding agreed at `initialize` (utf-16 before that, as the spec says).
    pub fn encoding(&self) -> PositionEncoding {
        self.encoding.get().copied().unwrap_or_default()
    }

    fn start_worker(&self, uri: tower_lsp_server::ls_types::Uri, open_id: u64) {
        let worker = diagnostics::run_worker(
            self.client.clone(),
            self.documents.clone(),
            self.encoding(),
            uri,
            open_id,
        );
        tokio::spawn(worker);
    }

    /// `copydesk/documentText`: the server's copy of a document, so that tests (and curious
    /// clients) can check it equals the editor's buffer.
    pub async fn document_text(&self, params: DocumentTextParams) -> Result<Option<DocumentText>> {
        Ok(self
            .documents
            .snapshot(&params.text_document.uri)
            .map(|snapshot| DocumentText {
                text: snapshot.rope.to_string(),
                version: snapshot.version,
            }))
    }
}

/// The capabilities Copydesk advertises: only those that work.
pub fn capabilities(encoding: PositionEncoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        ..ServerCapabilities::default()
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentTextParams {
    pub text_document: TextDocumentIdentifier,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct DocumentText {
    pub text: String,
    pub version: i32,
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|general| general.position_encodings.as_deref());
        let encoding = PositionEncoding::negotiate(offered);
        // tower-lsp-server answers a second `initialize` with an error, so this is set once.
        let _ = self.encoding.set(encoding);
        info!(?encoding, "initialized");
        Ok(InitializeResult {
            capabilities: capabilities(encoding),
            server_info: Some(ServerInfo {
                name: "copydesk".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        debug!("client initialized");
    }

    async fn shutdown(&self) -> Result<()> {
        self.shutdown_requested.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let document = params.text_document;
        let uri = document.uri;
        let open_id = self.documents.open(
            uri.clone(),
            document.language_id,
            document.version,
            &document.text,
        );
        self.start_worker(uri, open_id);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        // Applied before any await: tower-lsp interleaves notifications at await points.
        let uri = params.text_document.uri;
        let outcome = self.documents.change(
            &uri,
            params.text_document.version,
            params.content_changes,
            self.encoding(),
        );
        if let ChangeOutcome::StartWorker(open_id) = outcome {
            self.start_worker(uri, open_id);
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        // We ask for no text on save; a client that sends it anyway gets its copy checked.
        let uri = params.text_document.uri;
        if let (Some(saved), Some(snapshot)) = (params.text, self.documents.snapshot(&uri)) {
            if snapshot.rope != saved.as_str() {
                warn!(
                    uri = uri.as_str(),
                    "saved text differs from the server's copy"
                );
            }
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if self.documents.close(&uri) {
            // A closed document's diagnostics go with it.
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        } else {
            warn!(
                uri = uri.as_str(),
                "didClose for a document that is not open"
            );
        }
    }
}
