//! Protocol test (in process, framed JSON-RPC over pipes): what the server keeps of a document
//! goes when the client closes it.
//!
//! The publish path keeps the last publish of each document (its naming findings with the
//! analysis they were made from, and the protocol forms of its diagnostics) to reuse after the
//! next edit. That memo belongs to the open document: once `didClose` is handled nothing in the
//! server may still hold the closed document's analysis, while another open document keeps its
//! own.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncWriteExt, DuplexStream};
use tower_lsp_server::ls_types::Uri;
use tower_lsp_server::Server;

use super::documents::Documents;
use super::framing::{encode, Frame, FrameReader};
use crate::analysis::Analysis;

/// A story with naming findings (a surname before the full name) and a quotation.
const STORY: &str = "Ferry fares rise\n\nOkafor said the vote was close. Later, Chidi Okafor said it again.\n\n“Prices will keep rising,” said Ada Kroft, an analyst.\n";

struct Session {
    to_server: DuplexStream,
    from_server: FrameReader<DuplexStream>,
    documents: Arc<Documents>,
}

impl Session {
    async fn start() -> Session {
        let (service, socket) = super::service(Arc::new(AtomicBool::new(false)));
        let documents = Arc::clone(&service.0.inner().documents);
        let (to_server, server_in) = tokio::io::duplex(1 << 20);
        let (server_out, from_server) = tokio::io::duplex(1 << 20);
        tokio::spawn(Server::new(server_in, server_out, socket).serve(service));
        let mut session = Session {
            to_server,
            from_server: FrameReader::new(from_server),
            documents,
        };
        session
            .send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}))
            .await;
        let reply = session.next_message().await;
        assert_eq!(reply["id"], 1, "{reply}");
        session
            .send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
            .await;
        session
    }

    async fn send(&mut self, message: Value) {
        let frame = encode(message.to_string().as_bytes());
        self.to_server.write_all(&frame).await.unwrap();
    }

    async fn next_message(&mut self) -> Value {
        let frame = tokio::time::timeout(Duration::from_secs(60), self.from_server.next())
            .await
            .expect("the server answers within a minute");
        let Some(Frame::Body(body)) = frame else {
            panic!("no frame: {frame:?}")
        };
        serde_json::from_slice(&body).unwrap()
    }

    /// The next `publishDiagnostics` for `uri` (other messages are skipped).
    async fn published(&mut self, uri: &str) -> Value {
        loop {
            let message = self.next_message().await;
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message["params"].clone();
            }
        }
    }

    async fn open(&mut self, uri: &str) -> Value {
        self.send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
                "textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": STORY}
            }}),
        )
        .await;
        self.published(uri).await
    }

    /// The analysis the server holds for `uri`, as a weak reference.
    fn analysis_of(&self, uri: &str) -> Weak<Analysis> {
        let uri: Uri = uri.parse().unwrap();
        let analysed = self.documents.latest_analysis(&uri).unwrap();
        Arc::downgrade(&analysed.analysis)
    }
}

/// Waits (at most a minute: a worker may still be finishing) until nothing holds `analysis`.
async fn released(analysis: &Weak<Analysis>) -> bool {
    let start = Instant::now();
    while analysis.strong_count() > 0 {
        if start.elapsed() > Duration::from_secs(60) {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    true
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_a_document_drops_what_its_publishes_kept() {
    let mut session = Session::start().await;
    let (story, other) = ("file:///desk/story.txt", "file:///desk/other.txt");
    let first = session.open(story).await;
    assert!(
        first["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "first-reference"),
        "{first}"
    );
    session.open(other).await;
    // A letter typed inside a lowercase word: the publish reuses the last one's findings.
    session
        .send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": story, "version": 2},
                "contentChanges": [{"range": {"start": {"line": 2, "character": 13},
                    "end": {"line": 2, "character": 13}}, "text": "x"}]
            }}),
        )
        .await;
    let second = session.published(story).await;
    assert_eq!(second["version"], 2);
    assert_eq!(second["diagnostics"], first["diagnostics"]);

    let story_analysis = session.analysis_of(story);
    let other_analysis = session.analysis_of(other);
    session
        .send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {
                "textDocument": {"uri": story}
            }}),
        )
        .await;
    let cleared = session.published(story).await;
    assert_eq!(cleared["diagnostics"], json!([]));
    assert!(
        released(&story_analysis).await,
        "the closed document's analysis is still held"
    );
    // The open document keeps its analysis (and its memo, which holds the same analysis).
    assert!(other_analysis.strong_count() >= 2);

    // Reopened, the document is published afresh, as the first time.
    let reopened = session.open(story).await;
    assert_eq!(reopened["diagnostics"], first["diagnostics"]);
}
