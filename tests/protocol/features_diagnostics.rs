//! Copy-desk diagnostics over the protocol: the core's findings and the naming checks with
//! their codes, severities, links and exact ranges; configuration and suppression applied; and
//! `unattributed-quote` held back while its paragraph is being typed.

use serde_json::{json, Value};

use crate::features_support::*;

const HARBOUR: &str = "features-harbour-strike.txt";
const COUNCIL: &str = "features-council-quay.md";

/// The diagnostic with `code` at the `nth` occurrence of `needle`, as (severity, message).
fn expect(
    diagnostics: &Value,
    text: &str,
    code: &str,
    needle: &str,
    nth: usize,
    enc: Enc,
) -> (i64, String) {
    let range = range_of(text, needle, nth, enc);
    let found = diagnostics
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code && d["range"] == range)
        .unwrap_or_else(|| panic!("no {code} at {range} in {diagnostics:#}"));
    assert_eq!(found["source"], "copydesk");
    assert_eq!(
        found["codeDescription"]["href"],
        format!(
            "{}/blob/main/docs/rules.md#{code}",
            env!("CARGO_PKG_REPOSITORY")
        )
    );
    (
        found["severity"].as_i64().unwrap(),
        found["message"].as_str().unwrap().to_string(),
    )
}

fn count(diagnostics: &Value, code: &str) -> usize {
    diagnostics
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .count()
}

#[test]
fn wire_story_diagnostics_in_both_encodings() {
    let text = fixture(HARBOUR);
    for enc in [Enc::Utf16, Enc::Utf8] {
        let mut client = start(enc, None, Value::Null);
        let uri = "file:///desk/features-harbour-strike.txt";
        let published = open(&mut client, uri, "plaintext", &text);
        let diagnostics = &published["diagnostics"];
        assert_eq!(published["version"], 1);
        assert_eq!(
            expect(diagnostics, &text, "markup-residue", "[V3RX9QW2A]", 0, enc).0,
            2,
            "markup residue is a warning"
        );
        let (severity, message) = expect(
            diagnostics,
            &text,
            "unattributed-quote",
            "“Nobody wins a strike like this.”",
            0,
            enc,
        );
        assert_eq!(severity, 2);
        assert!(!message.is_empty());
        assert_eq!(
            count(diagnostics, "unattributed-quote"),
            1,
            "{diagnostics:#}"
        );
        assert_eq!(
            expect(diagnostics, &text, "first-reference", "Pettersen", 0, enc),
            (
                3,
                "First reference to Anders Pettersen is the bare “Pettersen”: give the full name here; the full name appears on line 21".to_string()
            )
        );
        assert_eq!(
            expect(diagnostics, &text, "name-variant", "Dorofeev", 0, enc),
            (
                2,
                "“Dorofeev” is the same name as “Dorofeyev” on line 23: one person, two spellings"
                    .to_string()
            )
        );
        // Exact positions, written out once for each encoding: the residue sits after a curly
        // quotation, so its column differs between utf-8 and utf-16.
        let start = match enc {
            Enc::Utf8 => json!({"line": 24, "character": 85}),
            Enc::Utf16 => json!({"line": 24, "character": 81}),
        };
        assert_eq!(range_of(&text, "[V3RX9QW2A]", 0, enc)["start"], start);
        assert!(client.shutdown_and_exit().success());
    }
}

#[test]
fn settings_turn_rules_off_and_raise_the_quotation_threshold() {
    let text = fixture(HARBOUR);
    let options = json!({"copydesk": {"rules": {"markup-residue": "off", "first-reference": "error"}, "min-quote-words": 7}});
    let mut client = start(Enc::Utf16, None, options);
    let uri = "file:///desk/harbour.txt";
    let diagnostics = open(&mut client, uri, "plaintext", &text)["diagnostics"].clone();
    assert_eq!(count(&diagnostics, "markup-residue"), 0);
    assert_eq!(
        count(&diagnostics, "unattributed-quote"),
        0,
        "six words is under seven"
    );
    assert_eq!(
        expect(
            &diagnostics,
            &text,
            "first-reference",
            "Pettersen",
            0,
            Enc::Utf16
        )
        .0,
        1
    );
    // didChangeConfiguration republishes with the new settings.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"copydesk": {}}}),
    );
    let again = client.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri
            && p["diagnostics"]
                .as_array()
                .is_some_and(|d| d.iter().any(|d| d["code"] == "markup-residue"))
    });
    assert_eq!(
        count(&again["params"]["diagnostics"], "unattributed-quote"),
        1
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn suppression_comments_silence_the_next_line() {
    let text = fixture(COUNCIL);
    let mut client = start(Enc::Utf16, None, Value::Null);
    let uri = "file:///desk/features-council-quay.md";
    let diagnostics = open(&mut client, uri, "markdown", &text)["diagnostics"].clone();
    assert_eq!(
        count(&diagnostics, "unattributed-quote"),
        0,
        "{diagnostics:#}"
    );
    assert_eq!(
        count(&diagnostics, "markup-residue"),
        0,
        "the comment is not residue: {diagnostics:#}"
    );
    // A comment for another rule leaves the quotation reported.
    let bare = text.replace("next-line unattributed-quote", "next-line markup-residue");
    let other = "file:///desk/council-bare.md";
    let diagnostics = open(&mut client, other, "markdown", &bare)["diagnostics"].clone();
    expect(
        &diagnostics,
        &bare,
        "unattributed-quote",
        "\"Nobody asked the fishermen.\"",
        0,
        Enc::Utf16,
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn an_unattributed_quotation_waits_while_its_paragraph_is_typed() {
    let text = fixture(COUNCIL);
    let mut client = start(Enc::Utf16, None, Value::Null);
    let uri = "file:///desk/typing.md";
    open(&mut client, uri, "markdown", &text);
    // Type a new paragraph at the end: a quotation with no speaker yet.
    let end = position(&text, text.len(), Enc::Utf16);
    let typed = "\n\"The fishermen will keep their berths.\"";
    client.change(
        uri,
        2,
        vec![json!({"range": {"start": end, "end": end}, "text": typed})],
    );
    let new_text = format!("{text}{typed}");
    let quote_range = range_of(
        &new_text,
        "\"The fishermen will keep their berths.\"",
        0,
        Enc::Utf16,
    );
    let first = client.diagnostics(uri, 2);
    let held = |p: &Value| {
        p["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "unattributed-quote" && d["range"] == quote_range)
    };
    assert!(!held(&first), "published at once while typing: {first:#}");
    // Once the paragraph has been still, the same version is published again with it.
    let later = client.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri && p["version"] == 2 && held(p)
    });
    assert_eq!(later["params"]["version"], 2);
    assert!(client.shutdown_and_exit().success());
}

/// The core's two other findings over the protocol: a "he said" with nobody for "he" to be, and a
/// quotation mark that never closes; an institutional source gets a card; the company is under
/// Organizations.
#[test]
fn pronoun_without_a_speaker_unbalanced_quote_and_an_institutional_source() {
    let text = "Ministry rejects ferry subsidy

“The subsidy is not affordable this year,” the transport ministry said in a statement on Monday.

“We will keep asking until they listen,” he said.

The Northsound Ferries company said fares would rise. “This is the last warning, one union member said.
";
    for enc in [Enc::Utf16, Enc::Utf8] {
        let mut client = start(enc, None, Value::Null);
        let uri = "file:///desk/ministry-subsidy.txt";
        let published = open(&mut client, uri, "plaintext", text);
        let diagnostics = &published["diagnostics"];
        assert_eq!(diagnostics.as_array().unwrap().len(), 2, "{published}");
        let he = find(text, "he said", 0).0;
        let pronoun = diagnostics
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "unresolved-pronoun-speaker")
            .unwrap_or_else(|| panic!("{published}"));
        assert_eq!(
            pronoun["range"],
            json!({"start": position(text, he, enc), "end": position(text, he + 2, enc)})
        );
        assert_eq!(pronoun["severity"], 2);
        assert_eq!(
            pronoun["message"],
            "“he” has no earlier speaker or person to refer to"
        );
        assert_eq!(
            pronoun["codeDescription"]["href"],
            format!(
                "{}/blob/main/docs/rules.md#unresolved-pronoun-speaker",
                env!("CARGO_PKG_REPOSITORY")
            )
        );
        let (severity, message) = expect(diagnostics, text, "unbalanced-quote", "“", 2, enc);
        assert_eq!(
            (severity, message.as_str()),
            (1, "quotation mark opened here is never closed")
        );

        let card = result(
            &mut client,
            "textDocument/hover",
            at_params(uri, at(text, "the transport ministry", 0, 6, enc)),
        );
        assert_eq!(
            card["range"],
            range_of(text, "the transport ministry", 0, enc)
        );
        let value = card["contents"]["value"].as_str().unwrap();
        assert_eq!(value, "**the transport ministry** — institutional source\n\nQuoted once:\n- line 3: “The subsidy is not affordable this… *(explicit)*\n");
        assert!(value.contains("“The subsidy is not affordable"), "{value}");

        let symbols = result(
            &mut client,
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        );
        let organizations = symbols
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == "Organizations")
            .unwrap_or_else(|| panic!("{symbols:#}"));
        assert_eq!(organizations["children"][0]["name"], "Northsound Ferries");
        assert_eq!(
            organizations["children"][0]["range"],
            range_of(text, "Northsound Ferries", 0, enc)
        );
        assert!(client.shutdown_and_exit().success());
    }
}
