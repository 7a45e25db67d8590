//! Helpers shared by the robustness scenarios: a client-side document model and text checks.

use std::collections::HashMap;

use docgen::{range_of, ByteEdit, Encoding};
use serde_json::{json, Value};

use crate::client::Client;

/// The client's copies of its open documents, edited exactly as the server must edit its own.
pub struct Workspace {
    pub encoding: Encoding,
    pub docs: HashMap<String, (i64, String)>,
}

impl Workspace {
    /// Initialises `client` offering `offered` encodings; the workspace uses the negotiated one.
    pub fn start(client: &mut Client, offered: Option<&[&str]>) -> Workspace {
        let result = client.initialize(offered);
        let encoding = result["capabilities"]["positionEncoding"]
            .as_str()
            .and_then(Encoding::from_lsp_name)
            .unwrap_or(Encoding::Utf16);
        Workspace {
            encoding,
            docs: HashMap::new(),
        }
    }

    pub fn open(&mut self, client: &mut Client, uri: &str, text: String) {
        client.open(uri, 1, &text);
        self.docs.insert(uri.to_string(), (1, text));
    }

    /// Sends `edits` (each relative to the text after the previous one) as one didChange.
    pub fn change(&mut self, client: &mut Client, uri: &str, edits: &[ByteEdit]) {
        let (version, text) = self.docs.get_mut(uri).expect("document is open");
        let mut changes = Vec::with_capacity(edits.len());
        for edit in edits {
            let ((sl, sc), (el, ec)) = range_of(text, edit.start, edit.end, self.encoding);
            changes.push(json!({
                "range": {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}},
                "text": edit.text,
            }));
            edit.apply(text);
        }
        *version += 1;
        client.change(uri, *version, changes);
    }

    /// Asserts the server's text and version of every open document equal the client's.
    pub fn assert_in_sync(&self, client: &mut Client) {
        for (uri, (version, text)) in &self.docs {
            assert_document(client, uri, *version, text);
        }
    }
}

pub fn assert_document(client: &mut Client, uri: &str, version: i64, text: &str) {
    let got = client.document_text(uri);
    let server_text = got["text"]
        .as_str()
        .unwrap_or_else(|| panic!("{uri} is not open on the server: {got}"));
    if server_text != text {
        let at = server_text
            .bytes()
            .zip(text.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(server_text.len().min(text.len()));
        panic!(
            "{uri}: server text differs from the client's at byte {at} (server {} bytes, client {} bytes)",
            server_text.len(),
            text.len()
        );
    }
    assert_eq!(got["version"], json!(version), "{uri}: version");
}

/// True if `response` is a JSON-RPC error with `code`.
pub fn is_error(response: &Value, code: i64) -> bool {
    response["error"]["code"] == json!(code)
}
