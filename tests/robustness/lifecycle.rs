//! The client vanishing: end of input with or without shutdown ends the server process (and so
//! every thread it had; it starts no child processes) with the exit code the spec asks for.

use crate::client::Client;
use crate::support::Workspace;

const URI: &str = "file:///robustness/vanish.txt";

#[test]
fn end_of_input_without_exit_is_a_clean_exit_with_code_1() {
    let mut client = Client::spawn();
    let mut ws = Workspace::start(&mut client, Some(&["utf-8", "utf-16"]));
    ws.open(&mut client, URI, docgen::article(20_000, 3));
    ws.assert_in_sync(&mut client);
    client.close_stdin();
    assert_eq!(
        client.wait_exit().code(),
        Some(1),
        "no shutdown before the input ended"
    );
    assert!(!client.log().contains("panicked"), "{}", client.log());
}

#[test]
fn end_of_input_after_shutdown_exits_with_code_0() {
    let mut client = Client::spawn();
    let mut ws = Workspace::start(&mut client, None);
    ws.open(&mut client, URI, "Short.\n".to_string());
    ws.assert_in_sync(&mut client);
    let response = client.request("shutdown", serde_json::Value::Null);
    assert!(response.get("error").is_none(), "{response}");
    client.close_stdin();
    assert_eq!(client.wait_exit().code(), Some(0));
}

#[test]
fn end_of_input_while_a_large_document_is_being_analysed_still_exits() {
    let mut client = Client::spawn();
    let mut ws = Workspace::start(&mut client, None);
    ws.open(&mut client, URI, docgen::article(2 * 1024 * 1024, 4));
    client.close_stdin();
    assert_eq!(client.wait_exit().code(), Some(1));
}
