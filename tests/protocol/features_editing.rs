//! Code actions, inlay hints, semantic tokens and folding ranges over the protocol.

use serde_json::{json, Value};

use crate::features_support::*;

const URI: &str = "file:///desk/features-harbour-strike.txt";

fn actions(client: &mut crate::client::Client, range: Value) -> Value {
    result(
        client,
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": range, "context": {"diagnostics": []}}),
    )
}

fn titles(actions: &Value) -> Vec<&str> {
    actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect()
}

#[test]
fn code_actions_fix_residue_attribution_and_naming() {
    let text = fixture("features-harbour-strike.txt");
    for enc in [Enc::Utf16, Enc::Utf8] {
        let mut client = start(enc, None, Value::Null);
        open(&mut client, URI, "plaintext", &text);

        let residue = actions(&mut client, range_of(&text, "V3RX", 0, enc));
        assert_eq!(
            titles(&residue),
            [
                "Remove markup residue",
                "Disable markup-residue for this line"
            ]
        );
        assert_eq!(residue[0]["kind"], "quickfix");
        assert_eq!(residue[0]["isPreferred"], true);
        assert_eq!(residue[0]["diagnostics"][0]["code"], "markup-residue");
        assert_eq!(
            residue[0]["edit"]["changes"][URI],
            json!([{"range": range_of(&text, " [V3RX9QW2A]", 0, enc), "newText": ""}])
        );
        let line = find(&text, "It is the first strike", 0).0;
        assert_eq!(
            residue[1]["edit"]["changes"][URI],
            json!([{"range": {"start": position(&text, line, enc), "end": position(&text, line, enc)},
                    "newText": "# copydesk-disable-next-line markup-residue\n"}])
        );

        let quote = actions(&mut client, range_of(&text, "wins", 0, enc));
        assert_eq!(quote[0]["title"], "Add an attribution after the quotation");
        let (_, end) = find(&text, "“Nobody wins a strike like this.”", 0);
        let period = end - "”".len() - 1;
        assert_eq!(
            quote[0]["edit"]["changes"][URI],
            json!([
                {"range": {"start": position(&text, period, enc), "end": position(&text, period + 1, enc)}, "newText": ","},
                {"range": {"start": position(&text, end, enc), "end": position(&text, end, enc)}, "newText": " [speaker] said."},
            ])
        );

        let bare = actions(&mut client, range_of(&text, "Pettersen", 0, enc));
        assert_eq!(bare[0]["title"], "Use the full name “Anders Pettersen”");
        assert_eq!(
            bare[0]["edit"]["changes"][URI],
            json!([{"range": range_of(&text, "Pettersen", 0, enc), "newText": "Anders Pettersen"}])
        );
        let variant = actions(&mut client, range_of(&text, "Dorofeev", 0, enc));
        assert_eq!(variant[0]["title"], "Spell it “Dorofeyev”");

        // Only what the client asks for.
        let only = result(
            &mut client,
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": range_of(&text, "V3RX", 0, enc), "context": {"diagnostics": [], "only": ["source"]}}),
        );
        assert_eq!(only, json!([]));
        assert!(client.shutdown_and_exit().success());
    }
}

#[test]
fn inlay_hints_name_continuation_and_pronoun_speakers() {
    let text = fixture("features-harbour-strike.txt");
    for enc in [Enc::Utf16, Enc::Utf8] {
        let mut client = start(enc, None, Value::Null);
        open(&mut client, URI, "plaintext", &text);
        let whole =
            json!({"start": position(&text, 0, enc), "end": position(&text, text.len(), enc)});
        let hints = result(
            &mut client,
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": URI}, "range": whole}),
        );
        let after = |needle: &str| position(&text, find(&text, needle, 0).1, enc);
        assert_eq!(
            hints,
            json!([
                {"position": after("“Nobody should be surprised by this.”"), "label": "— Chidi Okafor",
                 "tooltip": "Continuation of Chidi Okafor’s quote on line 7", "paddingLeft": true},
                {"position": after("costs them more than our raise would,”"), "label": "— Chidi Okafor",
                 "tooltip": "“he” resolved to Chidi Okafor", "paddingLeft": true},
            ])
        );
        assert!(client.shutdown_and_exit().success());
    }
}

/// Decode relative semantic tokens to (line, start, length, type) in the client's units.
fn decode(data: &Value) -> Vec<(u64, u64, u64, u64)> {
    let data: Vec<u64> = data
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let (mut line, mut start) = (0, 0);
    data.chunks(5)
        .map(|t| {
            if t[0] > 0 {
                start = 0;
            }
            line += t[0];
            start += t[1];
            (line, start, t[2], t[3])
        })
        .collect()
}

#[test]
fn semantic_tokens_for_a_paragraph() {
    let text = fixture("features-harbour-strike.txt");
    for enc in [Enc::Utf16, Enc::Utf8] {
        let mut client = start(enc, None, Value::Null);
        open(&mut client, URI, "plaintext", &text);
        // The paragraph with a surname, a quotation and a pronoun speaker (line 8).
        let start = find(&text, "Okafor said", 0).0;
        let end = find(&text, "he added.", 0).1;
        let range = json!({"start": position(&text, start, enc), "end": position(&text, end, enc)});
        let tokens = result(
            &mut client,
            "textDocument/semanticTokens/range",
            json!({"textDocument": {"uri": URI}, "range": range}),
        );
        let quote = find(
            &text,
            "“Every day the boats sit here costs them more than our raise would,”",
            0,
        );
        let he = find(&text, "he added", 0).0;
        let col = |offset: usize| position(&text, offset, enc)["character"].as_u64().unwrap();
        let person = 0;
        let quotation = 3;
        let speaker = 4;
        let decoded = decode(&tokens["data"]);
        assert_eq!(decoded.first(), Some(&(8, 0, 6, person)), "{decoded:?}");
        assert_eq!(
            decoded.last(),
            Some(&(8, col(he), 2, speaker)),
            "{decoded:?}"
        );
        // The quotation is covered exactly, by quotation tokens around any names inside it.
        let inside: Vec<&(u64, u64, u64, u64)> = decoded
            .iter()
            .filter(|t| t.1 >= col(quote.0) && t.1 < col(quote.1))
            .collect();
        assert_eq!(
            inside.first().map(|t| (t.1, t.3)),
            Some((col(quote.0), quotation))
        );
        let mut at = col(quote.0);
        for t in &inside {
            assert_eq!(t.1, at, "tokens leave a gap or overlap: {decoded:?}");
            at += t.2;
        }
        assert_eq!(at, col(quote.1), "{decoded:?}");
        assert_eq!(decoded.len(), inside.len() + 2, "{decoded:?}");
        let full = result(
            &mut client,
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": URI}}),
        );
        assert!(decode(&full["data"]).contains(&(8, 0, 6, person)));
        assert!(client.shutdown_and_exit().success());
    }
}

#[test]
fn multi_paragraph_quotations_fold() {
    let text = fixture("features-harbour-strike.txt");
    let mut client = start(Enc::Utf16, None, Value::Null);
    open(&mut client, URI, "plaintext", &text);
    let folds = result(
        &mut client,
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(
        folds,
        json!([{"startLine": 16, "endLine": 18, "kind": "region", "collapsedText": "“…”"}])
    );
    assert!(client.shutdown_and_exit().success());
}

#[test]
fn quotation_marks_convert_to_the_configured_style() {
    let text = fixture("features-council-quay.md");
    let uri = "file:///desk/features-council-quay.md";
    for enc in [Enc::Utf16, Enc::Utf8] {
        let mut client = start(enc, None, json!({"quote-style": "curly"}));
        open(&mut client, uri, "markdown", &text);
        let quote = "\"We will keep the harbour open throughout,\"";
        let actions = result(
            &mut client,
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": range_of(&text, "harbour open", 0, enc), "context": {"diagnostics": []}}),
        );
        let here = actions
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"] == "Use curly quotation marks here (the configured style)")
            .unwrap_or_else(|| panic!("{actions:#}"));
        assert_eq!(here["kind"], "refactor.rewrite");
        let (start, end) = find(&text, quote, 0);
        let mark = |at: usize| json!({"start": position(&text, at, enc), "end": position(&text, at + 1, enc)});
        assert_eq!(
            here["edit"]["changes"][uri],
            json!([{"range": mark(start), "newText": "“"}, {"range": mark(end - 1), "newText": "”"}])
        );
        let throughout = actions
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"] == "Use curly quotation marks throughout (the configured style)")
            .unwrap();
        assert_eq!(throughout["kind"], "source");
        assert_eq!(
            throughout["edit"]["changes"][uri].as_array().unwrap().len(),
            8,
            "four quotations, two marks each"
        );
        assert!(client.shutdown_and_exit().success());
    }
}
