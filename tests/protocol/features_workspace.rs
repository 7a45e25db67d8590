//! workspace/symbol over every open article: which articles mention this person?

use serde_json::{json, Value};

use crate::features_support::*;

#[test]
fn a_person_across_open_articles() {
    let harbour = fixture("features-harbour-strike.txt");
    let council = fixture("features-council-quay.md");
    for enc in [Enc::Utf16, Enc::Utf8] {
        let mut client = start(enc, None, Value::Null);
        open(
            &mut client,
            "file:///desk/a-harbour.txt",
            "plaintext",
            &harbour,
        );
        open(
            &mut client,
            "file:///desk/b-council.md",
            "markdown",
            &council,
        );
        let symbols = result(&mut client, "workspace/symbol", json!({"query": "hallor"}));
        assert_eq!(
            symbols,
            json!([
                {"name": "Ines Halloran", "kind": 19, "containerName": "Harbour strike halts ferries to outer islands",
                 "location": {"uri": "file:///desk/a-harbour.txt", "range": range_of(&harbour, "Ines Halloran", 0, enc)}},
                {"name": "Ines Halloran", "kind": 19, "containerName": "Council backs new quay after heated debate",
                 "location": {"uri": "file:///desk/b-council.md", "range": range_of(&council, "Ines Halloran", 0, enc)}},
            ])
        );
        assert_eq!(
            result(&mut client, "workspace/symbol", json!({"query": "zzz"})),
            json!([])
        );
        assert!(client.shutdown_and_exit().success());
    }
}
