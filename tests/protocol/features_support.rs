//! Helpers for the editor-feature protocol tests: fixtures, positions in each encoding, setup.
//!
//! Expected positions are computed here from byte offsets found by searching the fixture, with a
//! converter independent of the server's (so a bug there cannot hide in both).

#![allow(dead_code)] // each feature test file uses a different part

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::client::Client;

/// The text of a fixture article.
pub fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/articles")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enc {
    Utf8,
    Utf16,
}

impl Enc {
    pub fn offered(self) -> &'static [&'static str] {
        match self {
            Enc::Utf8 => &["utf-8"],
            Enc::Utf16 => &["utf-16"],
        }
    }
}

/// The LSP position of byte `offset` in `text`.
pub fn position(text: &str, offset: usize, enc: Enc) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = match enc {
        Enc::Utf8 => offset - line_start,
        Enc::Utf16 => text[line_start..offset].encode_utf16().count(),
    };
    json!({"line": line, "character": column})
}

/// The byte span of the `nth` occurrence of `needle`.
pub fn find(text: &str, needle: &str, nth: usize) -> (usize, usize) {
    let start = text
        .match_indices(needle)
        .nth(nth)
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} not in fixture"));
    (start, start + needle.len())
}

/// The LSP range of the `nth` occurrence of `needle`.
pub fn range_of(text: &str, needle: &str, nth: usize, enc: Enc) -> Value {
    let (start, end) = find(text, needle, nth);
    json!({"start": position(text, start, enc), "end": position(text, end, enc)})
}

/// A position inside the `nth` occurrence of `needle`, `into` bytes from its start.
pub fn at(text: &str, needle: &str, nth: usize, into: usize, enc: Enc) -> Value {
    position(text, find(text, needle, nth).0 + into, enc)
}

/// A fresh empty workspace folder for one test.
pub fn workspace(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("copydesk-features-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Starts a server with a workspace folder and initialization options.
pub fn start(enc: Enc, root: Option<&Path>, options: Value) -> Client {
    let mut client = Client::spawn();
    let folders = match root {
        Some(root) => json!([{"uri": file_uri(root), "name": "newsroom"}]),
        None => Value::Null,
    };
    let response = client.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": null,
            "workspaceFolders": folders,
            "initializationOptions": options,
            "capabilities": {"general": {"positionEncodings": enc.offered()}},
        }),
    );
    assert!(
        response["result"].is_object(),
        "initialize failed: {response}"
    );
    assert_eq!(
        response["result"]["capabilities"]["positionEncoding"],
        match enc {
            Enc::Utf8 => "utf-8",
            Enc::Utf16 => "utf-16",
        }
    );
    client.notify("initialized", json!({}));
    client
}

/// Opens a document with a language id and waits for its first diagnostics.
pub fn open(client: &mut Client, uri: &str, language: &str, text: &str) -> Value {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
    );
    client.diagnostics(uri, 1)
}

/// A request's result, failing the test on an error response.
pub fn result(client: &mut Client, method: &str, params: Value) -> Value {
    let response = client.request(method, params);
    assert!(
        response.get("error").is_none(),
        "{method} failed: {response}"
    );
    response["result"].clone()
}

/// `{"textDocument": {"uri"}, "position"}` params.
pub fn at_params(uri: &str, position: Value) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position})
}
