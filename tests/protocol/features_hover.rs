//! Hover cards over the protocol: people, anonymous sources and quotations, exact ranges in
//! utf-16 and utf-8 and the Markdown shown.

use serde_json::{json, Value};

use crate::features_support::*;

const URI: &str = "file:///desk/features-harbour-strike.txt";

fn hover(client: &mut crate::client::Client, text: &str, needle: &str, nth: usize, into: usize, enc: Enc) -> Value {
    result(client, "textDocument/hover", at_params(URI, at(text, needle, nth, into, enc)))
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
        assert_eq!(card["range"], json!({"start": position(&text, he, enc), "end": position(&text, he + 2, enc)}));
        assert!(card["contents"]["value"].as_str().unwrap().starts_with("“he” → **Chidi Okafor** (pronoun resolved)\n\n**Chidi Okafor** — person\n"));

        let card = hover(&mut client, &text, "a senior port official", 0, 9, enc);
        assert_eq!(card["range"], range_of(&text, "a senior port official", 0, enc));
        assert_eq!(
            card["contents"]["value"],
            "**a senior port official** — anonymous source

Quoted once:
- line 13: “The authority has made a fair… *(explicit)*
"
        );

        let card = hover(&mut client, &text, "the boats sit", 0, 5, enc);
        assert_eq!(card["range"], range_of(&text, "“Every day the boats sit here costs them more than our raise would,”", 0, enc));
        assert_eq!(
            card["contents"]["value"],
            "**full quotation** — 13 words, line 9

Speaker: **Chidi Okafor** — pronoun: “he” → resolved to Chidi Okafor

> “Every day the boats sit here costs them more than our raise would,”
"
        );
        let card = hover(&mut client, &text, "should be surprised", 0, 2, enc);
        assert!(card["contents"]["value"].as_str().unwrap().contains("Speaker: **Chidi Okafor** — continuation of Chidi Okafor’s quote on line 7\n"));
        let card = hover(&mut client, &text, "wins a strike", 0, 2, enc);
        assert!(card["contents"]["value"].as_str().unwrap().contains("**No speaker found**"));

        // Nothing to say about plain prose.
        assert_eq!(hover(&mut client, &text, "stranding", 0, 2, enc), Value::Null);
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
        card["contents"]["value"].as_str().unwrap().contains("\nNewsroom register: **Chidi Okafor** — Union leader since 2018\n"),
        "{card}"
    );
    assert!(client.shutdown_and_exit().success());
}
