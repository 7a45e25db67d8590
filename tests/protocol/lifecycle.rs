//! Life cycle: initialize and position-encoding negotiation, shutdown and exit codes.

use serde_json::{json, Value};

use crate::client::Client;

/// Writes an `initialize` request framed by hand, byte for byte as a client would.
fn hand_framed_initialize(client: &mut Client, general: &str) -> Value {
    let body = format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"initialize","params":{{"processId":null,"rootUri":null,"capabilities":{{"general":{general}}}}}}}"#
    );
    client.send_raw(format!("Content-Length: {}\r\n\r\n{}", body.len(), body).as_bytes());
    client.response(&json!(1))
}

#[test]
fn hand_framed_initialize_offering_utf8_and_utf16_gets_utf8() {
    let mut client = Client::spawn();
    let response =
        hand_framed_initialize(&mut client, r#"{"positionEncodings":["utf-8","utf-16"]}"#);
    assert_eq!(
        response["result"]["capabilities"]["positionEncoding"], "utf-8",
        "{response}"
    );
    assert_eq!(response["result"]["serverInfo"]["name"], "copydesk");
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn hand_framed_initialize_offering_nothing_gets_utf16() {
    let mut client = Client::spawn();
    let response = hand_framed_initialize(&mut client, "{}");
    assert_eq!(
        response["result"]["capabilities"]["positionEncoding"], "utf-16",
        "{response}"
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn negotiation_prefers_utf8_then_utf32_then_utf16() {
    for (offered, chosen) in [
        (vec!["utf-16", "utf-32"], "utf-32"),
        (vec!["utf-32", "utf-8"], "utf-8"),
        (vec!["utf-16"], "utf-16"),
        (vec![], "utf-16"),
    ] {
        let mut client = Client::spawn();
        let result = client.initialize(Some(&offered));
        assert_eq!(
            result["capabilities"]["positionEncoding"], chosen,
            "offered {offered:?}"
        );
        assert!(client.shutdown_and_exit().success());
    }
}

#[test]
fn advertises_incremental_sync_and_nothing_it_cannot_do() {
    let mut client = Client::spawn_with(&["--stdio"]);
    let capabilities = client.initialize(None)["capabilities"].clone();
    assert_eq!(
        capabilities["textDocumentSync"],
        json!({"openClose": true, "change": 2, "save": {"includeText": false}})
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn exit_after_shutdown_is_code_0() {
    let mut client = Client::spawn_with(&["serve", "--stdio"]);
    client.initialize(Some(&["utf-16"]));
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}

#[test]
fn exit_without_shutdown_is_code_1() {
    let mut client = Client::spawn();
    client.initialize(None);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit().code(), Some(1));
}

#[test]
fn exit_before_initialize_is_code_1() {
    let mut client = Client::spawn();
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit().code(), Some(1));
}

#[test]
fn requests_after_shutdown_are_refused() {
    let mut client = Client::spawn();
    client.initialize(None);
    client.open("file:///a.txt", 1, "text");
    let response = client.request("shutdown", Value::Null);
    assert_eq!(response["result"], Value::Null);
    let refused = client.request(
        "copydesk/documentText",
        json!({"textDocument": {"uri": "file:///a.txt"}}),
    );
    assert_eq!(refused["error"]["code"], -32600, "{refused}");
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit().code(), Some(0));
}

#[test]
fn requests_before_initialize_are_refused() {
    let mut client = Client::spawn();
    let response = client.request(
        "copydesk/documentText",
        json!({"textDocument": {"uri": "file:///a.txt"}}),
    );
    assert_eq!(response["error"]["code"], -32002, "{response}");
    client.initialize(None);
    assert_eq!(client.document_text("file:///a.txt"), Value::Null);
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn client_vanishing_ends_the_server() {
    let mut client = Client::spawn();
    client.initialize(None);
    client.open("file:///a.txt", 1, "“Quote,” he said.");
    client.close_stdin();
    // No shutdown came first, so this is not a clean exit.
    assert_eq!(client.wait_exit().code(), Some(1));
}

#[test]
fn client_vanishing_after_shutdown_is_clean() {
    let mut client = Client::spawn();
    client.initialize(None);
    client.request("shutdown", Value::Null);
    client.close_stdin();
    assert_eq!(client.wait_exit().code(), Some(0));
}
