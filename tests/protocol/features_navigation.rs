//! References, highlights, definition and rename over the protocol, in utf-16 and utf-8.

use serde_json::{json, Value};

use crate::features_support::*;

const URI: &str = "file:///desk/features-harbour-strike.txt";

#[test]
fn references_highlights_definition_and_rename() {
    let text = fixture("features-harbour-strike.txt");
    for enc in [Enc::Utf16, Enc::Utf8] {
        let mut client = start(enc, None, Value::Null);
        open(&mut client, URI, "plaintext", &text);
        let on_surname = at(&text, "Okafor said", 0, 2, enc);
        let full = range_of(&text, "Chidi Okafor", 0, enc);
        let surname = range_of(&text, "Okafor", 1, enc);

        let refs = result(
            &mut client,
            "textDocument/references",
            json!({"textDocument": {"uri": URI}, "position": on_surname, "context": {"includeDeclaration": true}}),
        );
        assert_eq!(
            refs,
            json!([{"uri": URI, "range": full}, {"uri": URI, "range": surname}])
        );

        let highlights = result(
            &mut client,
            "textDocument/documentHighlight",
            at_params(URI, on_surname.clone()),
        );
        assert_eq!(
            highlights,
            json!([{"range": full, "kind": 1}, {"range": surname, "kind": 1}])
        );

        // Definition: the first full mention, also from the pronoun speaker "he".
        let he = at(&text, "he added", 0, 0, enc);
        for from in [on_surname.clone(), he] {
            let definition = result(&mut client, "textDocument/definition", at_params(URI, from));
            assert_eq!(definition, json!({"uri": URI, "range": full}));
        }

        let prepared = result(
            &mut client,
            "textDocument/prepareRename",
            at_params(URI, on_surname.clone()),
        );
        assert_eq!(prepared, json!({"range": surname, "placeholder": "Okafor"}));
        let refused = client.request(
            "textDocument/prepareRename",
            at_params(URI, at(&text, "stranding", 0, 1, enc)),
        );
        assert_eq!(refused["error"]["code"], -32803, "{refused}");
        assert!(refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("can be renamed"));

        let edit = result(
            &mut client,
            "textDocument/rename",
            json!({"textDocument": {"uri": URI}, "position": on_surname, "newName": "Okafor-Eze"}),
        );
        let okafor_in_full = {
            let (start, end) = find(&text, "Chidi Okafor", 0);
            json!({"start": position(&text, start + 6, enc), "end": position(&text, end, enc)})
        };
        assert_eq!(
            edit,
            json!({"changes": {URI: [
                {"range": okafor_in_full, "newText": "Okafor-Eze"},
                {"range": surname, "newText": "Okafor-Eze"},
            ]}})
        );
        // The full name typed at the surname: only the surname changes, never "Chidi Chidi …".
        let edit = result(
            &mut client,
            "textDocument/rename",
            json!({"textDocument": {"uri": URI}, "position": on_surname, "newName": "Chidi Okoro"}),
        );
        assert_eq!(
            edit,
            json!({"changes": {URI: [
                {"range": okafor_in_full, "newText": "Okoro"},
                {"range": surname, "newText": "Okoro"},
            ]}})
        );
        assert!(client.shutdown_and_exit().success());
    }
}
