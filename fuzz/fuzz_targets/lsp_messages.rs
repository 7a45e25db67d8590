//! Fuzz target: sequences of LSP messages through the in-process service (`copydesk::lsp::service`).
//!
//! After `initialize` (offering a fuzzer-chosen set of position encodings), the fuzzer sends any
//! mix of didOpen/didChange/didClose/didSave, hover, documentSymbol, documentText, unknown methods,
//! `$/cancelRequest`, wrong parameter types and requests for documents that are not open, maybe
//! ending in shutdown and exit. No call may panic or hang, and every `copydesk/documentText`
//! answer must equal the client model's text (docgen's independent position code). The service
//! is the real one, panic guard included; libfuzzer-sys's panic hook aborts on any panic, caught
//! or not, so a handler panic is still a crash here.
#![no_main]

use std::collections::HashMap;
use std::future::poll_fn;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use docgen::{edits::edit_boundary, offset_of, range_of, Encoding};
use futures::StreamExt;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use tower_lsp_server::jsonrpc::Request;
use tower_service::Service;

const URIS: &[&str] = &["file:///w/a.txt", "file:///w/b.md", "untitled:Untitled-1", "file:///w/%C3%A9t%C3%A9.txt"];

fuzz_target!(|data: &[u8]| {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
    runtime.block_on(async {
        let _ = session(&mut Unstructured::new(data)).await;
    });
});

async fn session(u: &mut Unstructured<'_>) -> Result<()> {
    let (service, socket) = copydesk::lsp::service(Arc::new(AtomicBool::new(false)));
    // The client side: take every server-to-client message so that publishing never blocks.
    let drain = tokio::spawn(socket.for_each(|_| async {}));
    let mut conn = Conn { service, next_id: 0 };

    let offered: Vec<&str> = (0..u.int_in_range(0..=3)?)
        .map(|_| u.choose(&["utf-8", "utf-16", "utf-32", "latin-1"]).copied())
        .collect::<Result<_>>()?;
    let general = if u.ratio(1, 5)? { json!({}) } else { json!({"general": {"positionEncodings": offered}}) };
    let init = conn.call("initialize", json!({"capabilities": general}), true).await;
    let enc = init
        .as_ref()
        .and_then(|r| r.get("capabilities")?.get("positionEncoding")?.as_str().and_then(Encoding::from_lsp_name))
        .unwrap_or(Encoding::Utf16);
    let mut docs: HashMap<&str, String> = HashMap::new();
    let mut shut_down = false;

    for _ in 0..u.int_in_range(0..=40)? {
        let uri = *u.choose(URIS)?;
        match u.int_in_range(0..=13)? {
            0 | 1 => {
                let text = some_text(u)?;
                conn.call("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}), false).await;
                if !shut_down {
                    docs.insert(uri, text);
                }
            }
            2..=5 => {
                let mut text = docs.get(uri).cloned().unwrap_or_default();
                let change = content_change(u, &mut text, enc)?;
                let version = u.int_in_range(-2..=50)?;
                conn.call("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}), false).await;
                if !shut_down {
                    if let Some(doc) = docs.get_mut(uri) {
                        *doc = text;
                    }
                }
            }
            6 => {
                conn.call("textDocument/didClose", json!({"textDocument": {"uri": uri}}), false).await;
                if !shut_down {
                    docs.remove(uri);
                }
            }
            7 | 8 => {
                let answer = conn.call("copydesk/documentText", json!({"textDocument": {"uri": uri}}), true).await;
                if !shut_down {
                    let got = answer.as_ref().and_then(|a| a.get("text")).and_then(Value::as_str);
                    assert_eq!(got, docs.get(uri).map(String::as_str), "documentText of {uri} differs from the client's");
                }
            }
            9 => {
                let position = json!({"line": u.int_in_range(0..=5)?, "character": u.int_in_range(0..=u32::MAX)?});
                let method = *u.choose(&["textDocument/hover", "textDocument/documentSymbol", "textDocument/definition", "copydesk/nope"])?;
                conn.call(method, json!({"textDocument": {"uri": uri}, "position": position}), true).await;
            }
            10 => {
                // Right method, wrong shapes.
                let params = u.choose(&[json!(null), json!([]), json!({"textDocument": 5}), json!({"textDocument": {"uri": uri}, "contentChanges": "x"}), json!("text")])?.clone();
                let method = *u.choose(&["textDocument/didChange", "textDocument/didOpen", "copydesk/documentText", "textDocument/hover"])?;
                let request = u.arbitrary()?;
                conn.call(method, params, request).await;
            }
            11 => {
                let id = u.int_in_range(0..=64)?;
                conn.call("$/cancelRequest", json!({"id": id}), false).await;
            }
            12 => {
                conn.call("textDocument/didSave", json!({"textDocument": {"uri": uri}, "text": some_text(u)?}), false).await;
            }
            _ => {
                if u.ratio(1, 4)? {
                    conn.call("shutdown", Value::Null, true).await;
                    shut_down = true;
                } else {
                    conn.call("initialized", json!({}), false).await;
                }
            }
        }
    }
    if !shut_down {
        for (uri, text) in &docs {
            let answer = conn.call("copydesk/documentText", json!({"textDocument": {"uri": uri}}), true).await;
            let got = answer.as_ref().and_then(|a| a.get("text")).and_then(Value::as_str);
            assert_eq!(got, Some(text.as_str()), "documentText of {uri} differs at the end");
        }
        conn.call("shutdown", Value::Null, true).await;
    }
    conn.call("exit", Value::Null, false).await;
    drop(conn);
    drain.abort();
    Ok(())
}

struct Conn {
    service: copydesk::lsp::panic::CatchPanics<tower_lsp_server::LspService<copydesk::lsp::Backend>>,
    next_id: i64,
}

impl Conn {
    /// Sends one message and returns the result of a successful response (None for
    /// notifications, errors, or a service that has exited).
    async fn call(&mut self, method: &str, params: Value, request: bool) -> Option<Value> {
        self.next_id += 1;
        let mut builder = Request::build(method.to_string()).params(params);
        if request {
            builder = builder.id(self.next_id);
        }
        if poll_fn(|cx| self.service.poll_ready(cx)).await.is_err() {
            return None;
        }
        let response = self.service.call(builder.finish()).await.ok()??;
        let (_, result) = response.into_parts();
        result.ok()
    }
}

const PIECES: &[&str] = &[
    "“", "”", "’", "—", "👍", "東京", "e\u{301}", "\r\n", "\n", "\n\n", "\r", "\u{2028}", "\"", " ",
    "Zoë Varga", " said. ", "“We will,” she said.", "# Heading", "&nbsp;",
];

fn some_text(u: &mut Unstructured<'_>) -> Result<String> {
    if u.ratio(1, 5)? {
        let s: &str = u.arbitrary()?;
        return Ok(s.chars().take(300).collect());
    }
    let mut s = String::new();
    for _ in 0..u.int_in_range(0..=16)? {
        s.push_str(u.choose(PIECES)?);
    }
    Ok(s)
}

/// A content change for the client's `text`, applied to it as the server must apply it.
fn content_change(u: &mut Unstructured<'_>, text: &mut String, enc: Encoding) -> Result<Value> {
    let insert = some_text(u)?;
    let pos = |(l, c): (u32, u32)| json!({"line": l, "character": c});
    Ok(match u.int_in_range(0..=7)? {
        0 => {
            text.clone_from(&insert);
            json!({"text": insert})
        }
        1 | 2 => {
            let a = (u.int_in_range(0..=6)?, u.int_in_range(0..=30)?);
            let b = (u.int_in_range(0..=6)?, u.int_in_range(0..=30)?);
            let start = offset_of(text, a.0, a.1, enc);
            let end = offset_of(text, b.0, b.1, enc).max(start);
            text.replace_range(start..end, &insert);
            json!({"range": {"start": pos(a), "end": pos(b)}, "text": insert})
        }
        _ => {
            let start = edit_boundary(text, u.int_in_range(0..=text.len())?);
            let end = edit_boundary(text, u.int_in_range(start..=text.len())?).max(start);
            let (a, b) = range_of(text, start, end, enc);
            text.replace_range(start..end, &insert);
            json!({"range": {"start": pos(a), "end": pos(b)}, "text": insert})
        }
    })
}
