//! The `LanguageServer` implementation: life cycle, capabilities and text synchronisation.
//!
//! Feature handlers (hover, symbols, …) live in their own files under `lsp/`; each gets a
//! one-line method here that delegates to it, and its capability in [`capabilities`].

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use tokio::sync::mpsc;

use serde::{Deserialize, Serialize};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    ConfigurationItem, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, InitializeParams, InitializeResult,
    InitializedParams, MessageType, SaveOptions, ServerCapabilities, ServerInfo,
    TextDocumentIdentifier, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};
use tower_lsp_server::{Client, LanguageServer};
use tracing::{debug, info, warn};

use super::diagnostics;
use super::documents::{ChangeOutcome, Documents};
use super::encoding::{position_to_offset, PositionEncoding};
use super::feature_state::FeatureState;
use super::framing::OutputFrame;
use super::outbox::Outbox;
use super::panic::guarded;
use super::{editing, feature_capabilities, navigation, symbols};
use tower_lsp_server::ls_types::{
    CodeActionParams, CodeActionResponse, DidChangeConfigurationParams, DocumentHighlight,
    DocumentHighlightParams, DocumentSymbolParams, DocumentSymbolResponse, FoldingRange,
    FoldingRangeParams, GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverParams,
    InlayHint, InlayHintParams, Location, PrepareRenameResponse, ReferenceParams, RenameParams,
    SemanticTokensParams, SemanticTokensRangeParams, SemanticTokensRangeResult,
    SemanticTokensResult, TextDocumentPositionParams, WorkspaceEdit, WorkspaceSymbolParams,
    WorkspaceSymbolResponse,
};

/// State shared by the handlers and the analysis workers.
#[derive(Debug)]
pub struct Backend {
    pub client: Client,
    /// Where the documents' diagnostics are published (the client's output, see `outbox`).
    pub outbox: Outbox,
    pub documents: Arc<Documents>,
    /// Configuration and recent edits for the editor features.
    pub features: Arc<FeatureState>,
    encoding: OnceLock<PositionEncoding>,
    shutdown_requested: Arc<AtomicBool>,
    /// Whether the client answers `workspace/configuration` (said at `initialize`).
    pulls_configuration: AtomicBool,
    /// Numbers the `workspace/configuration` requests, so that only the latest reply applies.
    configuration_pull: Arc<AtomicU64>,
}

impl Backend {
    /// `shutdown_requested` is set when the client sends `shutdown` (it decides the exit code).
    /// `frames`: the output writer's channel, for diagnostics (see `outbox`).
    pub fn new(
        client: Client,
        frames: Option<mpsc::Sender<OutputFrame>>,
        shutdown_requested: Arc<AtomicBool>,
    ) -> Self {
        Backend {
            outbox: Outbox::new(client.clone(), frames),
            client,
            documents: Arc::default(),
            features: Arc::default(),
            encoding: OnceLock::new(),
            shutdown_requested,
            pulls_configuration: AtomicBool::new(false),
            configuration_pull: Arc::default(),
        }
    }

    /// The position encoding agreed at `initialize` (utf-16 before that, as the spec says).
    pub fn encoding(&self) -> PositionEncoding {
        self.encoding.get().copied().unwrap_or_default()
    }

    fn start_worker(&self, uri: tower_lsp_server::ls_types::Uri, open_id: u64) {
        let worker = diagnostics::run_worker(
            self.outbox.clone(),
            self.documents.clone(),
            self.features.clone(),
            self.encoding(),
            uri,
            open_id,
        );
        tokio::spawn(worker);
    }

    /// Asks the client for the `copydesk` section, if it can answer, and applies the reply as
    /// pushed settings are applied. Spawned, never awaited: a notification handler that awaits
    /// a client request can hang the server (tower-lsp interleaves at await points).
    fn pull_configuration(&self) {
        if !self.pulls_configuration.load(Ordering::SeqCst) {
            return;
        }
        let pull = self.configuration_pull.fetch_add(1, Ordering::SeqCst) + 1;
        let latest = self.configuration_pull.clone();
        let outbox = self.outbox.clone();
        let documents = self.documents.clone();
        let features = self.features.clone();
        let encoding = self.encoding();
        tokio::spawn(async move {
            let item = ConfigurationItem {
                scope_uri: None,
                section: Some(CONFIGURATION_SECTION.to_string()),
            };
            let reply = match outbox.client.configuration(vec![item]).await {
                Ok(values) => values.into_iter().next().unwrap_or_default(),
                Err(error) => {
                    warn!(%error, "workspace/configuration failed; settings kept");
                    return;
                }
            };
            // A newer request was sent meanwhile (a later didChangeConfiguration): its reply
            // decides.
            if latest.load(Ordering::SeqCst) != pull {
                return;
            }
            // A client with nothing set answers null or {}: keep what we have.
            if reply.is_null() || reply.as_object().is_some_and(|o| o.is_empty()) {
                return;
            }
            apply_settings(&outbox, &documents, &features, encoding, &reply).await;
        });
    }

    /// `copydesk/documentText`: the server's copy of a document, so that tests (and curious
    /// clients) can check it equals the editor's buffer.
    pub async fn document_text(&self, params: DocumentTextParams) -> Result<Option<DocumentText>> {
        guarded(super::DOCUMENT_TEXT_METHOD, async {
            Ok(self
                .documents
                .snapshot(&params.text_document.uri)
                .map(|snapshot| DocumentText {
                    text: snapshot.rope.to_string(),
                    version: snapshot.version,
                }))
        })
        .await
    }
}

/// The section of the client's settings that is Copydesk's (`copydesk.*` in VS Code).
const CONFIGURATION_SECTION: &str = "copydesk";

/// New settings (pushed or pulled): refused whole with a message to the user if bad, else
/// every open document's diagnostics are published again under them.
async fn apply_settings(
    outbox: &Outbox,
    documents: &Arc<Documents>,
    features: &Arc<FeatureState>,
    encoding: PositionEncoding,
    settings: &serde_json::Value,
) {
    match features.set_settings(settings) {
        Ok(()) => {
            // Analysed again, not just republished: the analysis takes options (speech verbs)
            // from the settings. Each document's worker publishes when done.
            for uri in documents.uris() {
                if let ChangeOutcome::StartWorker(open_id) = documents.reanalyse(&uri) {
                    tokio::spawn(diagnostics::run_worker(
                        outbox.clone(),
                        documents.clone(),
                        features.clone(),
                        encoding,
                        uri,
                        open_id,
                    ));
                }
            }
        }
        Err(message) => {
            warn!(%message, "settings ignored");
            outbox
                .client
                .show_message(MessageType::WARNING, message)
                .await;
        }
    }
}

/// The capabilities Copydesk advertises: only those that work.
pub fn capabilities(encoding: PositionEncoding) -> ServerCapabilities {
    let mut capabilities = ServerCapabilities {
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
    };
    feature_capabilities::register(&mut capabilities);
    capabilities
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
        let pulls = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|workspace| workspace.configuration)
            .unwrap_or(false);
        self.pulls_configuration.store(pulls, Ordering::SeqCst);
        if let Err(message) = self.features.initialize(&params) {
            warn!(%message, "initializationOptions ignored");
            let client = self.client.clone();
            tokio::spawn(async move { client.show_message(MessageType::WARNING, message).await });
        }
        // tower-lsp-server answers a second `initialize` with an error, so this is set once.
        let _ = self.encoding.set(encoding);
        // Load the NER models now, so that the first analysis finds them ready: their tables
        // are laid out at build time and read in place, so this parses two headers.
        let models = crate::entities::tagger::nonlocal::TwoStage::embedded().is_some();
        info!(?encoding, models, "initialized");
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
        self.pull_configuration();
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
        let last = params
            .content_changes
            .last()
            .map(|c| (c.range, c.text.len()));
        let outcome = self.documents.change(
            &uri,
            params.text_document.version,
            params.content_changes,
            self.encoding(),
        );
        if let (Some((Some(range), inserted)), Some(snapshot)) =
            (last, self.documents.snapshot(&uri))
        {
            let at = position_to_offset(&snapshot.rope, range.start, self.encoding()) + inserted;
            self.features.record_edit(&uri, at);
        }
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
        self.features.forget(&uri);
        if self.documents.close(&uri) {
            // A closed document's diagnostics go with it.
            self.outbox.publish(&uri, &[], None).await;
        } else {
            warn!(
                uri = uri.as_str(),
                "didClose for a document that is not open"
            );
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        // Pushed settings first; a client that answers workspace/configuration is then asked
        // (most send `null` here and expect to be asked).
        self.pull_configuration();
        apply_settings(
            &self.outbox,
            &self.documents,
            &self.features,
            self.encoding(),
            &params.settings,
        )
        .await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        navigation::hover(self, params).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        navigation::references(self, params).await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        navigation::highlight(self, params).await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        navigation::definition(self, params).await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        navigation::prepare_rename(self, params).await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        navigation::rename(self, params).await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        symbols::document_symbols(self, params).await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        symbols::workspace(self, params).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        editing::code_action(self, params).await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        editing::inlay_hint(self, params).await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        editing::semantic_tokens_full(self, params).await
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        editing::semantic_tokens_range(self, params).await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        editing::folding_range(self, params).await
    }
}
