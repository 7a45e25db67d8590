use super::*;
use crate::config::RegisterEntry;
use crate::features::article::Language;
use crate::features::testkit::{ferry, find, FERRY};

fn card(offset: usize, register: &Register) -> Option<HoverCard> {
    let kit = ferry();
    let article = Article::new(&kit.text, &kit.analysis, Language::PlainText);
    hover(&article, register, offset)
}

#[test]
fn person_card_lists_descriptors_mentions_and_quotations() {
    let at = find(FERRY, "Okafor said", 0);
    let hover = card(at.start + 2, &Register::default()).unwrap();
    assert_eq!(hover.span, Span::new(at.start, at.start + "Okafor".len()));
    assert_eq!(
        hover.markdown,
        "**Chidi Okafor** — person

- chief executive of Northsound Ferries

Mentioned 2 times; first named on line 7 as “Chidi Okafor”

Quoted 3 times:
- line 7: “We held prices for three winters… *(explicit)*
- line 7: “Fuel is now our biggest single… *(continuation)*
- line 11: “Every empty sailing costs us money,” *(pronoun “he”)*
"
    );
}

#[test]
fn register_description_shows_on_the_card() {
    let mut register = Register::default();
    register.add_person(RegisterEntry {
        name: "Chidi Okafor".into(),
        aliases: vec![],
        description: Some("Chief executive, Northsound Ferries, since 2020".into()),
    });
    let at = find(FERRY, "Chidi Okafor", 0);
    let hover = card(at.start, &register).unwrap();
    assert!(
        hover.markdown.contains(
            "\nNewsroom register: **Chidi Okafor** — Chief executive, Northsound Ferries, since 2020\n\nMentioned 2 times"
        ),
        "{}",
        hover.markdown
    );
}

#[test]
fn pronoun_speaker_card_says_who_he_is() {
    let at = find(FERRY, "he added", 0);
    let hover = card(at.start, &Register::default()).unwrap();
    assert_eq!(hover.span, Span::new(at.start, at.start + 2));
    assert!(
        hover.markdown.starts_with(
            "“he” → **Chidi Okafor** (pronoun resolved)\n\n**Chidi Okafor** — person\n"
        ),
        "{}",
        hover.markdown
    );
}

#[test]
fn anonymous_and_institutional_sources_get_cards() {
    let at = find(FERRY, "a senior council official", 0);
    let hover = card(at.start + 5, &Register::default()).unwrap();
    assert_eq!(hover.span, at);
    assert_eq!(
        hover.markdown,
        "**a senior council official** — anonymous source

Quoted once:
- line 9: “Nobody on the islands can absorb… *(explicit)*
"
    );
    let at = find(FERRY, "The Transport Ministry", 0);
    let hover = card(at.start + 6, &Register::default()).unwrap();
    assert_eq!(
        hover.markdown,
        "**Transport Ministry** — organization · institutional source

Mentioned once; first named on line 13 as “Transport Ministry”

Quoted once:
- line 13: “regrettable but lawful” *(explicit)*
"
    );
    assert_eq!(
        source_kind("the Transport Ministry"),
        "institutional source"
    );
    assert_eq!(source_kind("one islander"), "anonymous source");
    assert_eq!(
        source_kind("the transport ministry"),
        "institutional source"
    );
    assert_eq!(source_kind("the city council"), "institutional source");
    assert_eq!(source_kind("the official"), "anonymous source");
}

#[test]
fn quotation_cards_say_how_the_speaker_was_found() {
    let register = Register::default();
    let text = |needle: &str| {
        card(find(FERRY, needle, 0).start + 3, &register)
            .unwrap()
            .markdown
    };
    assert_eq!(
        text("“We held prices"),
        "**full quotation** — 14 words, line 7

Speaker: **Chidi Okafor** — explicit: named at the quotation as “Chidi Okafor” (line 7)

> “We held prices for three winters, and we cannot hold them for a fourth,”
"
    );
    assert!(text("“Fuel is now")
        .contains("Speaker: **Chidi Okafor** — continuation of Chidi Okafor’s quote on line 7\n"));
    assert!(text("“Every empty")
        .contains("Speaker: **Chidi Okafor** — pronoun: “he” → resolved to Chidi Okafor\n"));
    assert!(text("“It is the end")
        .contains("**No speaker found**: add who said it (`unattributed-quote`).\n"));
    assert!(card(find(FERRY, "fuel costs", 0).start, &register).is_none());
}
