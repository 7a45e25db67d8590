//! Settings pulled with `workspace/configuration` (how VS Code's `copydesk.*` settings arrive):
//! asked for after `initialized` and after each didChangeConfiguration, applied like pushed
//! settings; a client that does not advertise the capability is never asked.

use serde_json::{json, Value};

use crate::client::Client;
use crate::features_support::*;

const URI: &str = "file:///desk/pull-harbour.txt";
const CONFIGURATION: &str = "workspace/configuration";

fn residue(params: &Value) -> usize {
    params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "markup-residue")
        .count()
}

/// `initialize` (utf-16) with or without `workspace.configuration`, then `initialized`.
fn start_with(pulls: bool, answer: Value) -> Client {
    let mut client = Client::spawn();
    client.answers.insert(CONFIGURATION.to_string(), answer);
    let workspace = if pulls {
        json!({"configuration": true})
    } else {
        json!({})
    };
    let response = client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {"workspace": workspace, "general": {"positionEncodings": ["utf-16"]}}}),
    );
    assert!(
        response["result"].is_object(),
        "initialize failed: {response}"
    );
    client.notify("initialized", json!({}));
    client
}

#[test]
fn pulled_settings_apply_and_a_null_reply_keeps_them() {
    let text = fixture("features-harbour-strike.txt");
    let mut client = start_with(true, json!([{"rules": {"markup-residue": "off"}}]));
    let asked = client.server_request(CONFIGURATION);
    assert_eq!(asked["params"], json!({"items": [{"section": "copydesk"}]}));
    client.open(URI, 1, &text);
    // Whether the first analysis lands before or after the reply, the rule ends up off.
    client.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == URI && residue(p) == 0
    });

    // A client with nothing to say answers null: the pulled settings stay.
    client
        .answers
        .insert(CONFIGURATION.to_string(), json!([null]));
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    client.server_request(CONFIGURATION);
    let edited = text.replacen("The", "the", 1);
    client.change(URI, 2, vec![json!({"text": edited})]);
    assert_eq!(
        residue(&client.diagnostics(URI, 2)),
        0,
        "settings kept after a null reply"
    );

    // Settings changed in the editor: asked again, the rule is back and diagnostics republished.
    client
        .answers
        .insert(CONFIGURATION.to_string(), json!([{"min-quote-words": 1}]));
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    client.server_request(CONFIGURATION);
    let again = client.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == URI && p["version"] == 2 && residue(p) == 1
    });
    assert_eq!(residue(&again["params"]), 1);

    // Bad pulled settings are refused whole and shown, like pushed ones.
    client
        .answers
        .insert(CONFIGURATION.to_string(), json!([{"quote-style": "fancy"}]));
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    let shown = client.notification("window/showMessage", |_| true);
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap()
            .contains("fancy"),
        "{shown}"
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn a_client_without_the_capability_is_never_asked() {
    let text = fixture("features-harbour-strike.txt");
    let mut client = start_with(false, json!([{"rules": {"markup-residue": "off"}}]));
    client.open(URI, 1, &text);
    assert_eq!(residue(&client.diagnostics(URI, 1)), 1);
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    // The republication after didChangeConfiguration comes after any request it would send.
    let republished = client.notification("textDocument/publishDiagnostics", |p| p["uri"] == URI);
    assert_eq!(residue(&republished["params"]), 1);
    assert!(client.shutdown_and_exit().success());
    let asked: Vec<&Value> = client
        .inbox
        .iter()
        .filter(|m| m["method"] == CONFIGURATION)
        .collect();
    assert!(
        asked.is_empty(),
        "asked a client without the capability: {asked:?}"
    );
}
