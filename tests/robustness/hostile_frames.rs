//! Garbage, truncated frames and wrong Content-Length between real edits: errors, never lost edits.

use docgen::{random_edit, Rng};
use serde_json::json;

use crate::client::{frame, Client};
use crate::support::{is_error, Workspace};

const URI: &str = "file:///robustness/frames.txt";

/// Bytes that are no frame: random bytes without the `Content-Length` a frame starts with.
fn garbage(rng: &mut Rng) -> Vec<u8> {
    let pieces: [&[u8]; 8] = [
        b"\r\n\r\n",
        b"\r\n",
        b"{\"jsonrpc\":",
        b"Content-Type: x\r\n",
        b"\xff\xfe",
        b"\0\0",
        b":",
        b"}",
    ];
    let mut out = Vec::new();
    for _ in 0..rng.range(1, 12) {
        if rng.chance(1, 2) {
            out.extend_from_slice(pieces[rng.below(pieces.len())]);
        } else {
            out.extend((0..rng.range(1, 40)).map(|_| rng.below(256) as u8));
        }
    }
    // A garbage run never spells the header name, so it cannot start a frame of its own.
    let text = String::from_utf8_lossy(&out).to_ascii_lowercase();
    if text.contains("content-length") {
        return b"junk".to_vec();
    }
    out
}

#[test]
fn garbage_between_edits_costs_errors_not_edits() {
    let mut client = Client::spawn();
    let mut ws = Workspace::start(&mut client, Some(&["utf-16"]));
    ws.open(&mut client, URI, docgen::article(4_000, 11));
    let mut rng = Rng::new(11);
    for round in 0..300 {
        client.send_raw(&garbage(&mut rng));
        let text = ws.docs[URI].1.clone();
        let edit = random_edit(&mut rng, &text);
        ws.change(&mut client, URI, &[edit]);
        if round % 50 == 0 {
            ws.assert_in_sync(&mut client);
        }
    }
    ws.assert_in_sync(&mut client);
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn a_too_long_content_length_swallows_only_what_it_claims() {
    let mut client = Client::spawn();
    let mut ws = Workspace::start(&mut client, Some(&["utf-8"]));
    ws.open(&mut client, URI, "“Quoted,” she said.\n".to_string());
    // Claims 40 bytes more than its body: the start of the next frame is read as its body.
    let body = json!({"jsonrpc": "2.0", "id": 900, "method": "copydesk/documentText", "params": {"textDocument": {"uri": URI}}}).to_string();
    let mut bytes = format!("Content-Length: {}\r\n\r\n{body}", body.len() + 40).into_bytes();
    // The sacrifice: a request whose first 40 bytes go to the frame above.
    bytes.extend(frame(&json!({"jsonrpc": "2.0", "id": 901, "method": "copydesk/documentText", "params": {"textDocument": {"uri": URI}}}).to_string()));
    client.send_raw(&bytes);
    let edit = docgen::ByteEdit {
        start: 0,
        end: 0,
        text: "Update: ".into(),
    };
    ws.change(&mut client, URI, &[edit]);
    ws.assert_in_sync(&mut client);
    let errors: Vec<_> = client
        .inbox
        .iter()
        .filter(|m| m.get("method").is_none())
        .cloned()
        .collect();
    assert!(
        errors.iter().any(|m| is_error(m, -32700)),
        "the cut frame gets a parse error: {errors:?}"
    );
    assert!(!errors
        .iter()
        .any(|m| m["id"] == json!(900) && m.get("result").is_some()));
    assert!(!errors
        .iter()
        .any(|m| m["id"] == json!(901) && m.get("result").is_some()));
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn bad_content_lengths_are_errors_and_the_server_keeps_serving() {
    let mut client = Client::spawn();
    let mut ws = Workspace::start(&mut client, None);
    ws.open(&mut client, URI, "Text before.\n".to_string());
    for header in [
        "Content-Length: -5",
        "Content-Length: 99999999999999999999999",
        "Content-Length: twelve",
        "Content-Length:",
    ] {
        client.send_raw(format!("{header}\r\n\r\n{{}}").as_bytes());
        let edit = docgen::ByteEdit {
            start: 0,
            end: 0,
            text: "x".into(),
        };
        ws.change(&mut client, URI, &[edit]);
    }
    ws.assert_in_sync(&mut client);
    let parse_errors = client.inbox.iter().filter(|m| is_error(m, -32700)).count();
    assert!(
        parse_errors >= 4,
        "one parse error per bad header, got {parse_errors}"
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn a_frame_cut_by_the_end_of_input_ends_the_server_cleanly() {
    let mut client = Client::spawn();
    let mut ws = Workspace::start(&mut client, None);
    ws.open(&mut client, URI, "Almost done.\n".to_string());
    ws.assert_in_sync(&mut client);
    let whole = frame(
        &json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {}}).to_string(),
    );
    client.send_raw(&whole[..whole.len() / 2]);
    client.close_stdin();
    // No shutdown came before the input ended: exit code 1, as for `exit` without `shutdown`.
    assert_eq!(client.wait_exit().code(), Some(1));
    client.wait_for_log("input ended inside a message");
}
