//! Heavy input: a 50 MB message, 10,000 open documents, 10,000 rapid changes with requests
//! interleaved, and `$/cancelRequest` for a request still running.

use docgen::{random_edit, Rng, StoryWriter};
use serde_json::{json, Value};

use crate::client::Client;
use crate::support::{is_error, Workspace};

#[test]
fn a_50_mb_message_is_read_whole_and_the_document_stays_editable() {
    let mut client = Client::spawn();
    let mut ws = Workspace::start(&mut client, Some(&["utf-16"]));
    let uri = "file:///robustness/huge.txt";
    let text = docgen::article(50 * 1024 * 1024, 5);
    assert!(text.len() >= 50 * 1024 * 1024);
    ws.open(&mut client, uri, text);
    // Above the 20 MiB default limit: not analysed, one information diagnostic says why.
    assert_too_large_notice(&client.diagnostics(uri, 1));
    let mid = docgen::edits::paragraph_end_near(&ws.docs[uri].1, 25 * 1024 * 1024);
    ws.change(
        &mut client,
        uri,
        &[docgen::ByteEdit {
            start: mid,
            end: mid,
            text: "\n\n“Late quote,” he said.".into(),
        }],
    );
    assert_too_large_notice(&client.diagnostics(uri, 2));
    ws.assert_in_sync(&mut client);
    assert!(client.shutdown_and_exit().success());
}

fn assert_too_large_notice(published: &Value) {
    let diagnostics = published["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "{published}");
    assert_eq!(diagnostics[0]["code"], "document-too-large");
    assert_eq!(diagnostics[0]["severity"], 3);
    let message = diagnostics[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with(
            "Copydesk does not check this document: it is 50.0 MiB, above the 20.0 MiB limit"
        ),
        "{message}"
    );
}

#[test]
fn ten_thousand_open_documents_each_keep_their_text() {
    let mut client = Client::spawn();
    let mut ws = Workspace::start(&mut client, Some(&["utf-32"]));
    let mut writer = StoryWriter::new(6);
    for i in 0..10_000 {
        let uri = format!("file:///robustness/many/{i:05}.txt");
        ws.open(&mut client, &uri, writer.paragraph());
    }
    ws.assert_in_sync(&mut client);
    client.inbox.clear();
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn ten_thousand_rapid_changes_across_documents_with_hovers_interleaved() {
    let mut client = Client::spawn();
    let mut ws = Workspace::start(&mut client, Some(&["utf-16"]));
    let uris: Vec<String> = (0..100)
        .map(|i| format!("file:///robustness/rapid/{i:03}.md"))
        .collect();
    for (i, uri) in uris.iter().enumerate() {
        ws.open(&mut client, uri, docgen::article(1_500, 100 + i as u64));
    }
    let mut rng = Rng::new(7);
    let mut requests = Vec::new();
    for n in 0..10_000 {
        let uri = &uris[rng.below(uris.len())];
        let edit = random_edit(&mut rng, &ws.docs[uri].1);
        ws.change(&mut client, uri, &[edit]);
        if n % 10 == 0 {
            let position = json!({"line": rng.below(12), "character": rng.below(80)});
            let method = if n % 20 == 0 {
                "textDocument/hover"
            } else {
                "textDocument/documentSymbol"
            };
            requests.push(client.send_request(
                method,
                json!({"textDocument": {"uri": uri}, "position": position}),
            ));
        }
        // Every request gets exactly one answer: a result, or an error if the method is not
        // served. Collected every 10 changes, as an editor would have them answered while
        // typing goes on (a hover waits for the analysis of the text it was asked about).
        if n % 10 == 9 {
            for id in requests.drain(..) {
                let response = client.response(&json!(id));
                assert!(
                    response.get("result").is_some() || response.get("error").is_some(),
                    "{response}"
                );
            }
            client.inbox.clear();
        }
    }
    assert!(requests.is_empty());
    ws.assert_in_sync(&mut client);
    client.inbox.clear();
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn cancel_request_is_answered_once_and_the_server_keeps_serving() {
    let mut client = Client::spawn();
    let mut ws = Workspace::start(&mut client, None);
    let uri = "file:///robustness/cancel.txt";
    ws.open(&mut client, uri, docgen::article(2 * 1024 * 1024, 8));
    // Requests that need the analysis (or the whole text) of a large document, cancelled at once.
    let mut outcomes = Vec::new();
    for method in [
        "textDocument/hover",
        "textDocument/documentSymbol",
        "copydesk/documentText",
    ] {
        let id = client.send_request(
            method,
            json!({"textDocument": {"uri": uri}, "position": {"line": 40, "character": 3}}),
        );
        client.notify("$/cancelRequest", json!({"id": id}));
        let response = client.response(&json!(id));
        let cancelled = is_error(&response, -32800);
        assert!(
            cancelled || response.get("result").is_some() || is_error(&response, -32601),
            "{method}: {response}"
        );
        outcomes.push((method, cancelled));
    }
    // Cancelling a request that already finished, or never existed, changes nothing.
    client.notify("$/cancelRequest", json!({"id": 424242}));
    ws.assert_in_sync(&mut client);
    eprintln!("cancel outcomes (method, cancelled): {outcomes:?}");
    assert_eq!(
        client.request(
            "copydesk/documentText",
            json!({"textDocument": {"uri": "file:///nope"}})
        )["result"],
        Value::Null
    );
    assert!(client.shutdown_and_exit().success());
}
