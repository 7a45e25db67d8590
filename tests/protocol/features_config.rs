//! Configuration over the protocol: `.copydesk.toml` found under the workspace root, a broken
//! file reported once at its line, LSP settings from initializationOptions and
//! didChangeConfiguration, bad settings shown to the user.

use serde_json::{json, Value};

use crate::features_support::*;

const ARTICLE: &str = "Quay vote delayed\n\nThe council will vote on Friday.\n";

#[test]
fn a_broken_config_file_gets_one_diagnostic_at_its_line_and_defaults_apply() {
    for enc in [Enc::Utf16, Enc::Utf8] {
        let root = workspace(&format!("broken-{enc:?}"));
        let desk = root.join("desk");
        std::fs::create_dir_all(&desk).unwrap();
        let config = "# house rules\nmin-quote-words = 3\n  quote-styl = “curly”\n";
        std::fs::write(root.join(".copydesk.toml"), config).unwrap();
        let mut client = start(enc, Some(&root), Value::Null);
        let article = file_uri(&desk.join("quay.txt"));
        let config_uri = file_uri(&root.join(".copydesk.toml"));
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": article, "languageId": "plaintext", "version": 1, "text": ARTICLE}}),
        );
        let published = client.notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == config_uri.as_str()
        })["params"]
            .clone();
        let diagnostics = published["diagnostics"].as_array().unwrap();
        assert_eq!(diagnostics.len(), 1, "{published}");
        let d = &diagnostics[0];
        assert_eq!(d["code"], "bad-config");
        assert_eq!(d["severity"], 1);
        assert_eq!(d["range"]["start"]["line"], 2, "{d}");
        assert!(
            d["message"]
                .as_str()
                .unwrap()
                .ends_with("; using the default configuration"),
            "{d}"
        );
        assert_eq!(
            d["codeDescription"]["href"],
            format!(
                "{}/blob/main/docs/rules.md#bad-config",
                env!("CARGO_PKG_REPOSITORY")
            )
        );
        // The article is still analysed, under the defaults.
        client.diagnostics(&article, 1);
        // Fixed: the next analysis clears the file's diagnostic.
        std::fs::write(root.join(".copydesk.toml"), "min-quote-words = 3\n").unwrap();
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": article, "version": 2}, "contentChanges": [{"text": ARTICLE.replace("Friday", "Monday")}]}),
        );
        let cleared = client.notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == config_uri.as_str() && p["diagnostics"] == json!([])
        });
        assert!(cleared["params"]["version"].is_null());
        assert!(client.shutdown_and_exit().success());
        std::fs::remove_dir_all(&root).unwrap();
    }
}

#[test]
fn a_config_file_above_the_workspace_root_is_not_read() {
    let outer = workspace("above-root");
    let root = outer.join("newsroom");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(outer.join(".copydesk.toml"), "this is = not toml\n").unwrap();
    let mut client = start(Enc::Utf16, Some(&root), Value::Null);
    let article = file_uri(&root.join("story.txt"));
    open(&mut client, &article, "plaintext", ARTICLE);
    let outer_uri = file_uri(&outer.join(".copydesk.toml"));
    assert!(
        !client
            .inbox
            .iter()
            .any(|m| m["params"]["uri"] == outer_uri.as_str()),
        "the file above the root was read"
    );
    assert!(client.shutdown_and_exit().success());
    std::fs::remove_dir_all(&outer).unwrap();
}

#[test]
fn bad_lsp_settings_are_shown_and_ignored() {
    let mut client = start(
        Enc::Utf16,
        None,
        json!({"copydesk": {"quote-style": "fancy"}}),
    );
    let message = client.notification("window/showMessage", |_| true);
    let text = message["params"]["message"].as_str().unwrap();
    assert!(text.contains("fancy"), "{text}");
    assert_eq!(message["params"]["type"], 2);
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"copydesk": {"rules": {"no-such-rule": "off"}}}}),
    );
    let message = client.notification("window/showMessage", |_| true);
    assert!(
        message["params"]["message"]
            .as_str()
            .unwrap()
            .contains("no-such-rule"),
        "{message}"
    );
    // The server keeps serving.
    open(
        &mut client,
        "file:///tmp/copydesk-settings.txt",
        "plaintext",
        ARTICLE,
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn capabilities_advertise_the_features_and_the_token_legend() {
    let mut client = start(Enc::Utf16, None, Value::Null);
    let response = client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    // A second initialize is refused; the capabilities came with the first.
    assert!(response.get("error").is_some());
    drop(client);
    let mut client = crate::client::Client::spawn();
    let result = client.initialize(None);
    let caps = &result["capabilities"];
    for key in [
        "hoverProvider",
        "documentSymbolProvider",
        "referencesProvider",
        "documentHighlightProvider",
        "definitionProvider",
        "inlayHintProvider",
        "foldingRangeProvider",
        "workspaceSymbolProvider",
    ] {
        assert_eq!(caps[key], true, "{key}: {caps}");
    }
    assert_eq!(caps["renameProvider"], json!({"prepareProvider": true}));
    assert_eq!(
        caps["semanticTokensProvider"]["legend"],
        json!({"tokenTypes": ["person", "organization", "location", "quotation", "speaker"], "tokenModifiers": []})
    );
    assert_eq!(
        caps["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix", "refactor.rewrite", "source"])
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn max_document_bytes_from_settings_and_from_the_project_file() {
    let quote = "\n\n“We will not sell the quay to anyone.”\n";
    let long = format!("{ARTICLE}{}", quote.repeat(50));
    assert!(long.len() > 2048);
    // From initializationOptions: a document over the limit gets the one notice, nothing else.
    let mut client = start(Enc::Utf16, None, json!({"max-document-bytes": 2048}));
    let uri = "file:///tmp/copydesk-size-limit/long.txt";
    let published = open(&mut client, uri, "plaintext", &long);
    let diagnostics = published["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{published}");
    assert_eq!(diagnostics[0]["code"], "document-too-large");
    assert_eq!(diagnostics[0]["severity"], 3);
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .contains("above the 0.0 MiB limit (the max-document-bytes setting changes it)"),
        "{published}"
    );
    assert_eq!(
        diagnostics[0]["codeDescription"]["href"],
        format!(
            "{}/blob/main/docs/rules.md#document-too-large",
            env!("CARGO_PKG_REPOSITORY")
        )
    );
    // Raised by didChangeConfiguration: the next analysis checks it.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"max-document-bytes": 1_000_000}}),
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": long.replace("quay", "pier")}]}),
    );
    let published = client.diagnostics(uri, 2);
    let codes: Vec<&str> = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(
        codes,
        vec!["unattributed-quote"; 50],
        "checked once under the limit"
    );
    // A bad value is refused whole and shown.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"max-document-bytes": 0}}),
    );
    let message = client.notification("window/showMessage", |_| true);
    assert!(
        message["params"]["message"]
            .as_str()
            .unwrap()
            .contains("max-document-bytes")
            || message["params"]["message"]
                .as_str()
                .unwrap()
                .contains("nonzero"),
        "{message}"
    );
    assert!(client.shutdown_and_exit().success());

    // From the project's .copydesk.toml.
    let root = workspace("size-limit");
    std::fs::write(root.join(".copydesk.toml"), "max-document-bytes = 2048\n").unwrap();
    let mut client = start(Enc::Utf8, Some(&root), Value::Null);
    let article = file_uri(&root.join("long.txt"));
    let published = open(&mut client, &article, "plaintext", &long);
    assert_eq!(
        published["diagnostics"][0]["code"], "document-too-large",
        "{published}"
    );
    let short = open(
        &mut client,
        &file_uri(&root.join("short.txt")),
        "plaintext",
        ARTICLE,
    );
    assert_eq!(
        short["diagnostics"],
        json!([]),
        "a document under the limit is checked"
    );
    assert!(client.shutdown_and_exit().success());
    std::fs::remove_dir_all(&root).unwrap();
}

/// `speech-verbs` from didChangeConfiguration re-analyses open documents: a quotation whose only
/// cue is the configured verb loses its unattributed-quote warning.
#[test]
fn configured_speech_verbs_reanalyse_open_documents() {
    let text = "Budget row\n\n“The budget is a fairy tale,” deadpanned Mara Holt, the council’s finance chair.\n";
    let mut client = start(Enc::Utf16, None, Value::Null);
    let uri = "untitled:budget-row";
    let codes = |published: &Value| -> Vec<String> {
        published["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    let first = open(&mut client, uri, "plaintext", text);
    assert_eq!(codes(&first), ["unattributed-quote"], "{first}");
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"copydesk": {"speech-verbs": ["deadpan"]}}}),
    );
    let again = client.notification("textDocument/publishDiagnostics", |p| p["uri"] == uri)
        ["params"]
        .clone();
    assert_eq!(again["version"], 1);
    assert_eq!(codes(&again), Vec::<String>::new(), "{again}");
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn rules_url_points_the_rule_links_at_the_newsrooms_own_page() {
    let text = "Quay vote delayed\n\n“We will not sell the quay to anyone.”\n";
    let mut client = start(
        Enc::Utf16,
        None,
        json!({"rules-url": "https://desk.example/copydesk/rules.html"}),
    );
    let published = open(
        &mut client,
        "file:///tmp/copydesk-rules-url/quay.txt",
        "plaintext",
        text,
    );
    assert_eq!(
        published["diagnostics"][0]["code"], "unattributed-quote",
        "{published}"
    );
    assert_eq!(
        published["diagnostics"][0]["codeDescription"]["href"],
        "https://desk.example/copydesk/rules.html#unattributed-quote"
    );
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"rules-url": "ftp://desk.example/rules"}}),
    );
    let message = client.notification("window/showMessage", |_| true);
    assert!(
        message["params"]["message"]
            .as_str()
            .unwrap()
            .contains("rules page"),
        "{message}"
    );
    assert!(client.shutdown_and_exit().success());
}
