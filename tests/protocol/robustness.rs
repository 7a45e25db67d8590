//! Bad input: malformed frames and unknown methods get JSON-RPC errors; the server keeps serving.

use serde_json::{json, Value};

use crate::client::{frame, Client};

const URI: &str = "file:///story.txt";
const TEXT: &str = "“Still here,” she said. 👍";

/// A server with one open document, to show that nothing was lost afterwards.
fn serving() -> Client {
    let mut client = Client::spawn();
    client.initialize(None);
    client.open(URI, 1, TEXT);
    client
}

fn assert_still_serving(client: &mut Client) {
    assert_eq!(
        client.document_text(URI),
        json!({"text": TEXT, "version": 1})
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn invalid_json_gets_a_parse_error() {
    let mut client = serving();
    client.send_raw(&frame(r#"{"jsonrpc":"2.0","id":5,"method":"#));
    let error = client.response(&Value::Null);
    assert_eq!(error["error"]["code"], -32700, "{error}");
    assert_still_serving(&mut client);
}

#[test]
fn json_that_is_not_a_message_gets_invalid_request_with_its_id() {
    let mut client = serving();
    client.send_raw(&frame(r#"{"jsonrpc":"1.0","id":42,"method":"initialize"}"#));
    let error = client.response(&json!(42));
    assert_eq!(error["error"]["code"], -32600, "{error}");
    client.send_raw(&frame("[1, 2, 3]"));
    let error = client.response(&Value::Null);
    assert_eq!(error["error"]["code"], -32600, "{error}");
    assert_still_serving(&mut client);
}

#[test]
fn invalid_utf8_body_gets_a_parse_error() {
    let mut client = serving();
    let mut bytes = b"Content-Length: 4\r\n\r\n".to_vec();
    bytes.extend_from_slice(&[b'{', 0xFF, 0xFE, b'}']);
    client.send_raw(&bytes);
    assert_eq!(client.response(&Value::Null)["error"]["code"], -32700);
    assert_still_serving(&mut client);
}

#[test]
fn garbage_and_bad_headers_are_skipped() {
    let mut client = serving();
    client.send_raw(b"this is not a header\r\n\r\n");
    assert_eq!(client.response(&Value::Null)["error"]["code"], -32700);
    client.send_raw(b"Content-Length: twelve\r\n\r\n");
    assert_eq!(client.response(&Value::Null)["error"]["code"], -32700);
    client.send_raw(b"Content-Type: application/vscode-jsonrpc\r\n\r\n");
    assert_eq!(client.response(&Value::Null)["error"]["code"], -32700);
    // Garbage glued to the front of a good frame costs one error, not the frame.
    let mut glued = b"noise".to_vec();
    glued.extend(frame(r#"{"jsonrpc":"2.0","id":77,"method":"copydesk/documentText","params":{"textDocument":{"uri":"file:///story.txt"}}}"#));
    client.send_raw(&glued);
    assert_eq!(client.response(&Value::Null)["error"]["code"], -32700);
    assert_eq!(client.response(&json!(77))["result"]["text"], TEXT);
    assert_still_serving(&mut client);
}

#[test]
fn a_short_content_length_costs_one_error() {
    let mut client = serving();
    // The length stops inside the body: the cut body is bad JSON, the rest is garbage up to the
    // next frame.
    let body = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
    client.send_raw(format!("Content-Length: 10\r\n\r\n{body}").as_bytes());
    assert_eq!(client.response(&Value::Null)["error"]["code"], -32700);
    assert_still_serving(&mut client);
}

#[test]
fn a_long_content_length_swallows_the_next_frame_then_recovers() {
    let mut client = serving();
    // The first length runs 20 bytes into the second frame: one bad body, then garbage up to
    // the third frame, which is served.
    let first = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
    let second = frame(r#"{"jsonrpc":"2.0","method":"$/setTrace","params":{"value":"off"}}"#);
    let mut bytes = format!("Content-Length: {}\r\n\r\n{first}", first.len() + 20).into_bytes();
    bytes.extend(second);
    client.send_raw(&bytes);
    assert_eq!(client.response(&Value::Null)["error"]["code"], -32700);
    assert_still_serving(&mut client);
}

#[test]
fn frames_may_arrive_in_pieces() {
    let mut client = serving();
    let bytes = frame(
        r#"{"jsonrpc":"2.0","id":9,"method":"copydesk/documentText","params":{"textDocument":{"uri":"file:///story.txt"}}}"#,
    );
    for piece in bytes.chunks(7) {
        client.send_raw(piece);
    }
    assert_eq!(client.response(&json!(9))["result"]["version"], 1);
    assert_still_serving(&mut client);
}

#[test]
fn unknown_request_gets_method_not_found() {
    let mut client = serving();
    let response = client.request("textDocument/noSuchThing", json!({}));
    assert_eq!(response["error"]["code"], -32601, "{response}");
    let response = client.request("copydesk/unknown", Value::Null);
    assert_eq!(response["error"]["code"], -32601, "{response}");
    // Unknown notifications are ignored.
    client.notify("workspace/noSuchNotification", json!({"x": 1}));
    client.notify("$/setTrace", json!({"value": "off"}));
    assert_still_serving(&mut client);
}

#[test]
fn bad_params_get_invalid_params_and_bad_notifications_are_dropped() {
    let mut client = serving();
    let response = client.request("copydesk/documentText", json!({"uri": 3}));
    assert_eq!(response["error"]["code"], -32602, "{response}");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": "nonsense"}),
    );
    client.notify("textDocument/didOpen", json!({}));
    assert_still_serving(&mut client);
}

#[test]
fn requests_about_documents_that_are_not_open_get_null() {
    let mut client = serving();
    assert_eq!(client.document_text("file:///not-open.txt"), Value::Null);
    assert_still_serving(&mut client);
}
