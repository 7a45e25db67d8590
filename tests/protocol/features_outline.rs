//! The outline (hierarchical document symbols) over the protocol: the article's structure, its
//! sources and their quotations, its people, with SymbolKinds and exact ranges.

use serde_json::Value;

use crate::features_support::*;

/// Each symbol as "kind name" lines, indented by depth.
fn render(symbols: &Value, depth: usize, out: &mut String) {
    for s in symbols.as_array().unwrap() {
        out.push_str(&format!(
            "{}{} {}\n",
            "  ".repeat(depth),
            s["kind"],
            s["name"].as_str().unwrap()
        ));
        if let Some(children) = s.get("children") {
            render(children, depth + 1, out);
        }
    }
}

fn named<'a>(symbols: &'a Value, name: &str) -> &'a Value {
    symbols
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {symbols:#}"))
}

#[test]
fn wire_story_outline() {
    let text = fixture("features-harbour-strike.txt");
    for enc in [Enc::Utf16, Enc::Utf8] {
        let mut client = start(enc, None, Value::Null);
        let uri = "file:///desk/features-harbour-strike.txt";
        open(&mut client, uri, "plaintext", &text);
        let symbols = result(
            &mut client,
            "textDocument/documentSymbol",
            serde_json::json!({"textDocument": {"uri": uri}}),
        );
        let article = named(&symbols, "Harbour strike halts ferries to outer islands");
        let mut out = String::new();
        render(&Value::Array(vec![article.clone()]), 0, &mut out);
        // File 1, Property 7, String 15.
        assert_eq!(
            out,
            "1 Harbour strike halts ferries to outer islands
  7 By Lena Dorsey
  15 Ferry services to the outer islands…
  15 “We have asked for a fair…
  15 Okafor said the union would stay…
  15 The Velmar Port Authority said in…
  15 “The authority has made a fair…
  15 Harbour master Ines Halloran said no…
  15 “The islands rely on these boats…
  15 “If this lasts another week, the…
  15 Pettersen, the authority’s chief executive, did…
  15 Deputy mayor Yevhen Dorofeyev urged both…
  15 It is the first strike at…
"
        );
        assert_eq!(article["children"][1]["detail"], "lede");
        assert_eq!(
            article["children"][1]["selectionRange"],
            article["children"][1]["range"]
        );
        assert_eq!(
            article["selectionRange"],
            range_of(
                &text,
                "Harbour strike halts ferries to outer islands",
                0,
                enc
            )
        );

        // Sources (Package 4) → speakers → quotations (Event 24).
        let sources = named(&symbols, "Sources");
        assert_eq!(sources["kind"], 4);
        let okafor = named(&sources["children"], "Chidi Okafor");
        assert_eq!(okafor["kind"], 19, "a person is an Object");
        assert_eq!(okafor["detail"], "3 quotations");
        assert_eq!(
            okafor["selectionRange"],
            range_of(&text, "Chidi Okafor", 0, enc)
        );
        let quotes: Vec<(&Value, &Value, &Value)> = okafor["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| (&q["kind"], &q["detail"], &q["range"]))
            .collect();
        let r = |needle| range_of(&text, needle, 0, enc);
        let first = r("“We have asked for a fair wage for three years, and we are done asking,”");
        let second = r("“Nobody should be surprised by this.”");
        let third = r("“Every day the boats sit here costs them more than our raise would,”");
        assert_eq!(
            quotes,
            vec![
                (&Value::from(24), &Value::from("explicit"), &first),
                (&Value::from(24), &Value::from("continuation"), &second),
                (&Value::from(24), &Value::from("pronoun"), &third),
            ]
        );
        let anonymous = named(&sources["children"], "a senior port official");
        assert_eq!(anonymous["kind"], 13, "an anonymous source is a Variable");
        for speaker in ["Ines Halloran", "Marta Lindqvist"] {
            named(&sources["children"], speaker);
        }
        let unattributed = named(&sources["children"], "Unattributed");
        assert_eq!(
            unattributed["children"][0]["range"],
            r("“Nobody wins a strike like this.”")
        );

        // People at their first mention.
        let people = named(&symbols, "People");
        let okafor = named(&people["children"], "Chidi Okafor");
        assert_eq!(okafor["range"], range_of(&text, "Chidi Okafor", 0, enc));
        assert_eq!(
            okafor["detail"],
            "general secretary of the Harbour Workers Union"
        );
        assert!(client.shutdown_and_exit().success());
    }
}

#[test]
fn markdown_sections_nest() {
    let text = fixture("features-council-quay.md");
    let mut client = start(Enc::Utf16, None, Value::Null);
    let uri = "file:///desk/features-council-quay.md";
    open(&mut client, uri, "markdown", &text);
    let symbols = result(
        &mut client,
        "textDocument/documentSymbol",
        serde_json::json!({"textDocument": {"uri": uri}}),
    );
    let article = named(&symbols, "Council backs new quay after heated debate");
    let mut out = String::new();
    render(&Value::Array(vec![article.clone()]), 0, &mut out);
    // Namespace 3 for sections.
    assert_eq!(
        out,
        "1 Council backs new quay after heated debate
  7 By Priya Raman
  15 The town council voted 7-2 on…
  3 The vote
    15 \"This quay has been falling into…
    15 Councillor Tomasz Wielgosz, who voted against…
    15 \"Nobody asked the fishermen.\"
  3 What comes next
    15 Work is due to start in…
    15 \"We will keep the harbour open…
"
    );
    let sources = named(&symbols, "Sources");
    let halloran = named(&sources["children"], "Ines Halloran");
    assert_eq!(halloran["detail"], "3 quotations");
    assert!(client.shutdown_and_exit().success());
}

/// A dateline names a place: "PORT ELLISON, Maine —" is under Places, never People, gets no
/// person checks; a relative clause ("who chairs …") describes the person it follows.
#[test]
fn a_dateline_is_a_place_and_a_relative_clause_a_descriptor() {
    let text = "Harbour board backs second ferry pier

PORT ELLISON, Maine — The harbour board voted 4-1 on Tuesday to build a second ferry pier, ending a two-year dispute over the waterfront.

“We have waited long enough for this,” said Marjorie Tate, who chairs the Waterfront Residents’ Association.

Tate said construction would begin in the spring.
";
    for enc in [Enc::Utf16, Enc::Utf8] {
        let mut client = start(enc, None, Value::Null);
        let uri = "file:///desk/port-ellison.txt";
        let published = open(&mut client, uri, "plaintext", text);
        assert_eq!(
            published["diagnostics"],
            serde_json::json!([]),
            "no first-reference on the dateline: {published}"
        );
        let symbols = result(
            &mut client,
            "textDocument/documentSymbol",
            serde_json::json!({"textDocument": {"uri": uri}}),
        );
        let people = named(&symbols, "People");
        let names: Vec<&str> = people["children"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        assert_eq!(names, ["Marjorie Tate"]);
        assert_eq!(
            people["children"][0]["detail"],
            "chairs the Waterfront Residents’ Association"
        );
        let place = named(&named(&symbols, "Places")["children"], "PORT ELLISON");
        assert_eq!(place["range"], range_of(text, "PORT ELLISON", 0, enc));
        let card = result(
            &mut client,
            "textDocument/hover",
            at_params(uri, at(text, "PORT ELLISON", 0, 2, enc)),
        );
        let card = card["contents"]["value"].as_str().unwrap();
        assert!(card.starts_with("**PORT ELLISON** — place"), "{card}");
        assert!(client.shutdown_and_exit().success());
    }
}
