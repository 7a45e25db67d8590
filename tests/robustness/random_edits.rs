//! Random edits in every position encoding: the server's text never drifts from the client's, and
//! the incremental analysis publishes what a from-scratch analysis of the same text publishes.
//!
//! `COPYDESK_RANDOM_EDITS` sets the number of edits per encoding (default 10,000 here; the 10⁶
//! figure of docs/reliability.md is this test run with a larger number).

use docgen::{random_edit, Rng};
use serde_json::json;

use crate::client::Client;
use crate::support::Workspace;

fn edits_per_encoding() -> usize {
    std::env::var("COPYDESK_RANDOM_EDITS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000)
}

/// The last diagnostics published for `uri` at `version`. Findings in a paragraph being typed
/// are held back and published again for the same version once typing pauses (1.5 s, see
/// features::quiet), so the first publish is not the settled one.
fn settled_diagnostics(client: &mut Client, uri: &str, version: i64) -> serde_json::Value {
    let mut last = client.diagnostics(uri, version);
    std::thread::sleep(std::time::Duration::from_millis(2_500));
    // A request's answer comes after every notification the server wrote before it.
    client.document_text(uri);
    while let Some(i) = client.inbox.iter().position(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["version"] == json!(version)
    }) {
        last = client.inbox.remove(i).expect("index is valid")["params"].clone();
    }
    last
}

fn run(offered: &str, seed: u64) {
    let mut client = Client::spawn();
    let mut ws = Workspace::start(&mut client, Some(&[offered]));
    assert_eq!(
        ws.encoding.lsp_name(),
        offered,
        "the server accepts the only encoding offered"
    );
    let uri = format!("file:///robustness/random-{offered}.txt");
    ws.open(&mut client, &uri, docgen::article(3_000, seed));
    let mut rng = Rng::new(seed);
    let total = edits_per_encoding();
    let mut done = 0;
    while done < total {
        let mut text = ws.docs[&uri].1.clone();
        let batch: Vec<_> = (0..rng.range(1, 3).min(total - done))
            .map(|_| {
                let edit = random_edit(&mut rng, &text);
                edit.apply(&mut text);
                edit
            })
            .collect();
        done += batch.len();
        ws.change(&mut client, &uri, &batch);
        if done % 2_000 < batch.len() {
            ws.assert_in_sync(&mut client);
            client.inbox.clear();
        }
    }
    ws.assert_in_sync(&mut client);

    // Incremental == from scratch, as the client sees it: the edited document's diagnostics equal
    // those of the same text opened fresh.
    let (version, text) = ws.docs[&uri].clone();
    let edited = settled_diagnostics(&mut client, &uri, version);
    let fresh_uri = format!("file:///robustness/fresh-{offered}.txt");
    client.open(&fresh_uri, 1, &text);
    let fresh = settled_diagnostics(&mut client, &fresh_uri, 1);
    assert_eq!(
        edited["diagnostics"], fresh["diagnostics"],
        "incremental and from-scratch diagnostics differ"
    );
    let symbols = |client: &mut Client, uri: &str| {
        client.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )["result"]
            .clone()
    };
    let (a, b) = (symbols(&mut client, &uri), symbols(&mut client, &fresh_uri));
    assert_eq!(a, b, "incremental and from-scratch outlines differ");
    eprintln!(
        "{offered}: {total} edits, {} bytes at the end, {} diagnostics",
        text.len(),
        edited["diagnostics"].as_array().map_or(0, Vec::len)
    );
    client.inbox.clear();
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn random_edits_in_utf8_positions() {
    run("utf-8", 81);
}

#[test]
fn random_edits_in_utf16_positions() {
    run("utf-16", 161);
}

#[test]
fn random_edits_in_utf32_positions() {
    run("utf-32", 321);
}
