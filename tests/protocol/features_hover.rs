//! Hover cards over the protocol: people, anonymous sources and quotations, exact ranges in
//! utf-16 and utf-8 and the Markdown shown.

use serde_json::{json, Value};

use crate::features_support::*;

const URI: &str = "file:///desk/features-harbour-strike.txt";

fn hover(
    client: &mut crate::client::Client,
    text: &str,
    needle: &str,
    nth: usize,
    into: usize,
    enc: Enc,
) -> Value {
    result(
        client,
        "textDocument/hover",
        at_params(URI, at(text, needle, nth, into, enc)),
    )
}

#[test]
fn person_source_and_quotation_cards() {
    let text = fixture("features-harbour-strike.txt");
    for enc in [Enc::Utf16, Enc::Utf8] {
        let mut client = start(enc, None, Value::Null);
        open(&mut client, URI, "plaintext", &text);

        let card = hover(&mut client, &text, "Okafor said", 0, 3, enc);
        assert_eq!(card["range"], range_of(&text, "Okafor", 1, enc));
        assert_eq!(card["contents"]["kind"], "markdown");
        assert_eq!(
            card["contents"]["value"],
            "**Chidi Okafor** — person

- general secretary of the Harbour Workers Union

Mentioned 2 times; first named on line 7 as “Chidi Okafor”

Quoted 3 times:
- line 7: “We have asked for a fair… *(explicit)*
- line 7: “Nobody should be surprised by this.” *(continuation)*
- line 9: “Every day the boats sit here… *(pronoun “he”)*
"
        );

        let card = hover(&mut client, &text, "he added", 0, 1, enc);
        let he = find(&text, "he added", 0).0;
        assert_eq!(
            card["range"],
            json!({"start": position(&text, he, enc), "end": position(&text, he + 2, enc)})
        );
        assert!(card["contents"]["value"].as_str().unwrap().starts_with(
            "“he” → **Chidi Okafor** (pronoun resolved)\n\n**Chidi Okafor** — person\n"
        ));

        let card = hover(&mut client, &text, "a senior port official", 0, 9, enc);
        assert_eq!(
            card["range"],
            range_of(&text, "a senior port official", 0, enc)
        );
        assert_eq!(
            card["contents"]["value"],
            "**a senior port official** — anonymous source

Quoted once:
- line 13: “The authority has made a fair… *(explicit)*
"
        );

        let card = hover(&mut client, &text, "the boats sit", 0, 5, enc);
        assert_eq!(
            card["range"],
            range_of(
                &text,
                "“Every day the boats sit here costs them more than our raise would,”",
                0,
                enc
            )
        );
        assert_eq!(
            card["contents"]["value"],
            "**full quotation** — 13 words, line 9

Speaker: **Chidi Okafor** — pronoun: “he” → resolved to Chidi Okafor

> “Every day the boats sit here costs them more than our raise would,”
"
        );
        let card = hover(&mut client, &text, "should be surprised", 0, 2, enc);
        assert!(card["contents"]["value"].as_str().unwrap().contains(
            "Speaker: **Chidi Okafor** — continuation of Chidi Okafor’s quote on line 7\n"
        ));
        let card = hover(&mut client, &text, "wins a strike", 0, 2, enc);
        assert!(card["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("**No speaker found**"));

        // Nothing to say about plain prose.
        assert_eq!(
            hover(&mut client, &text, "stranding", 0, 2, enc),
            Value::Null
        );
        assert!(client.shutdown_and_exit().success());
    }
}

#[test]
fn the_newsroom_register_shows_on_the_card() {
    let text = fixture("features-harbour-strike.txt");
    let options = json!({"people": [{"name": "Chidi Okafor", "aliases": ["Okafor"], "description": "Union leader since 2018"}]});
    let mut client = start(Enc::Utf16, None, options);
    open(&mut client, URI, "plaintext", &text);
    let card = hover(&mut client, &text, "Chidi Okafor", 0, 0, Enc::Utf16);
    assert!(
        card["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("\nNewsroom register: **Chidi Okafor** — Union leader since 2018\n"),
        "{card}"
    );
    assert!(client.shutdown_and_exit().success());
}

/// A hover sent between two changes answers against the text the client had when it sent it,
/// even when the server's worker skipped that version (it was busy analysing the opening text,
/// and then analysed both changes at once).
#[test]
fn a_hover_among_rapid_changes_answers_for_the_text_it_was_sent_about() {
    let story = fixture("features-harbour-strike.txt");
    // Long enough that the first full analysis is still running when the changes arrive.
    let v1 = format!("{story}\n{}", docgen::article(150_000, 11));
    for enc in [Enc::Utf16, Enc::Utf8] {
        let mut client = start(enc, None, Value::Null);
        // v2 appends a line at the end (no position moves); v3 puts two lines at the top.
        let end = position(&v1, v1.len(), enc);
        let v2 = format!("{v1}Update at 10:40.\n");
        let v3 = format!("CORRECTION\n\n{v2}");
        let open = json!({"textDocument": {"uri": URI, "languageId": "plaintext", "version": 1, "text": v1}});
        let change2 = json!({"textDocument": {"uri": URI, "version": 2},
            "contentChanges": [{"range": {"start": end, "end": end}, "text": "Update at 10:40.\n"}]});
        let change3 = json!({"textDocument": {"uri": URI, "version": 3},
            "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "CORRECTION\n\n"}]});
        client.notify("textDocument/didOpen", open);
        client.notify("textDocument/didChange", change2);
        let asked = client.send_request(
            "textDocument/hover",
            at_params(URI, at(&v2, "Okafor said", 0, 3, enc)),
        );
        client.notify("textDocument/didChange", change3);
        let reply = client.response(&json!(asked));
        let card = &reply["result"];
        assert_eq!(
            card["range"],
            range_of(&v2, "Okafor", 1, enc),
            "the range is in the text the hover was sent about: {reply}"
        );
        let value = card["contents"]["value"].as_str().unwrap_or_default();
        assert!(value.starts_with("**Chidi Okafor** — person\n"), "{reply}");
        assert!(
            value.contains("first named on line 7"),
            "line numbers of that text: {value}"
        );
        // The server's text is the client's, and the next hover is against it.
        assert_eq!(client.document_text(URI)["text"], v3.as_str());
        let card = result(
            &mut client,
            "textDocument/hover",
            at_params(URI, at(&v3, "Okafor said", 0, 3, enc)),
        );
        assert_eq!(card["range"], range_of(&v3, "Okafor", 1, enc));
        assert!(
            card["contents"]["value"]
                .as_str()
                .unwrap()
                .contains("first named on line 9"),
            "{card}"
        );
        assert!(client.shutdown_and_exit().success());
    }
}
