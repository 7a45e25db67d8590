//! `publishDiagnostics` written to the client as JSON bytes, not through tower-lsp-server.
//!
//! tower-lsp-server 0.23 turns a notification's params into a `serde_json::Value` tree, writes
//! that as JSON into its output pipe, and `framing::collect_output` reads the frame back before
//! `framing::write_output` sends it on. For the ≈ 3,800 diagnostics of a 10 MB article that was
//! ≈ 40 ms per keystroke (a tree of maps per diagnostic, built, written and dropped). The
//! diagnostics' JSON is kept from publish to publish (`published::to_lsp_json`), so
//! [`Outbox`] frames it as it is and hands the frame to the output writer. Every publish of a
//! document's diagnostics goes through here, so that they reach the client in the order they
//! were made. Without an output channel (the in-process service of tests and fuzzing) it
//! publishes through tower-lsp-server's client, the same message.

use tokio::sync::mpsc;
use tower_lsp_server::ls_types::{Diagnostic as LspDiagnostic, Uri};
use tower_lsp_server::Client;
use tracing::{error, warn};

use super::framing::{encode, OutputFrame};

/// Where a document's diagnostics are published.
#[derive(Debug, Clone)]
pub struct Outbox {
    pub client: Client,
    /// The output writer's channel; `None`: through `client`. Weak, because the writer ends
    /// when its last sender goes, and the backend (which holds this) can outlive the server's
    /// loop in a task still running at `exit`: a strong sender here kept the writer, and so the
    /// process, waiting after `exit`.
    frames: Option<mpsc::WeakSender<OutputFrame>>,
}

impl Outbox {
    pub fn new(client: Client, frames: Option<mpsc::Sender<OutputFrame>>) -> Self {
        Outbox {
            client,
            frames: frames.map(|frames| frames.downgrade()),
        }
    }

    /// Publishes `diagnostics`, the JSON array of a document's LSP diagnostics, for `uri`.
    pub async fn publish_diagnostics(&self, uri: &Uri, diagnostics: &[u8], version: Option<i32>) {
        let Some(weak) = &self.frames else {
            let parsed: Vec<LspDiagnostic> = match serde_json::from_slice(diagnostics) {
                Ok(parsed) => parsed,
                Err(err) => {
                    error!(%err, "cannot read back the diagnostics' JSON; publishing none");
                    Vec::new()
                }
            };
            self.client
                .publish_diagnostics(uri.clone(), parsed, version)
                .await;
            return;
        };
        let Some(frames) = weak.upgrade() else {
            warn!("output closed before diagnostics were published");
            return;
        };
        let frame = encode(&notification(uri, diagnostics, version));
        if frames.send(OutputFrame::Whole(frame)).await.is_err() {
            warn!("output closed before diagnostics were published");
        }
    }

    /// Publishes the protocol diagnostics `diagnostics` for `uri`.
    pub async fn publish(&self, uri: &Uri, diagnostics: &[LspDiagnostic], version: Option<i32>) {
        let json = serde_json::to_vec(diagnostics).unwrap_or_else(|err| {
            error!(%err, "cannot serialise diagnostics; publishing none");
            b"[]".to_vec()
        });
        self.publish_diagnostics(uri, &json, version).await;
    }
}

/// The `textDocument/publishDiagnostics` notification's JSON, `diagnostics` being its array.
fn notification(uri: &Uri, diagnostics: &[u8], version: Option<i32>) -> Vec<u8> {
    let uri = serde_json::to_vec(uri).unwrap_or_else(|err| {
        // Unreachable (a URI serialises as its string).
        error!(%err, "cannot serialise a URI");
        b"\"\"".to_vec()
    });
    let version = version
        .map(|v| format!(r#","version":{v}"#))
        .unwrap_or_default();
    let mut body = Vec::with_capacity(OPEN.len() + uri.len() + diagnostics.len() + 40);
    body.extend_from_slice(OPEN);
    body.extend_from_slice(&uri);
    body.extend_from_slice(br#","diagnostics":"#);
    body.extend_from_slice(diagnostics);
    body.extend_from_slice(version.as_bytes());
    body.extend_from_slice(b"}}");
    body
}

const OPEN: &[u8] =
    br#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"#;

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;
    use tower_lsp_server::ls_types::{
        DiagnosticSeverity, NumberOrString, Position, PublishDiagnosticsParams, Range,
    };

    /// The notification is the one tower-lsp-server would have sent, with and without version.
    #[test]
    fn the_notification_is_tower_lsp_servers() {
        let uri = Uri::from_str("file:///news/a%20story.txt").unwrap();
        let diagnostics = vec![LspDiagnostic {
            range: Range::new(Position::new(1, 2), Position::new(1, 9)),
            severity: Some(DiagnosticSeverity::WARNING),
            code: Some(NumberOrString::String("unattributed-quote".into())),
            source: Some("copydesk".into()),
            message: "A “quote” with \"escapes\"\n".into(),
            ..LspDiagnostic::default()
        }];
        let json = serde_json::to_vec(&diagnostics).unwrap();
        for version in [Some(7), None] {
            let got: serde_json::Value =
                serde_json::from_slice(&notification(&uri, &json, version)).unwrap();
            let params = PublishDiagnosticsParams::new(uri.clone(), diagnostics.clone(), version);
            let expected = serde_json::json!({
                "jsonrpc": "2.0",
                "method": "textDocument/publishDiagnostics",
                "params": params,
            });
            assert_eq!(got, expected);
        }
    }
}
