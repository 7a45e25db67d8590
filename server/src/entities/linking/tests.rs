//! Unit tests of linking: name forms, shared surnames, acronyms, kind consistency.

use super::*;

fn m(text: &str, needle: &str, nth: usize, kind: EntityKind) -> RawMention {
    let start = text.match_indices(needle).nth(nth).unwrap().0;
    RawMention {
        span: Span::new(start, start + needle.len()),
        kind,
    }
}

fn mention_texts<'a>(text: &'a str, e: &Entity) -> Vec<&'a str> {
    e.mentions
        .iter()
        .map(|m| &text[m.span.start..m.span.end])
        .collect()
}

use EntityKind::*;

#[test]
fn partial_titled_and_possessive_mentions_join_the_full_name() {
    let text = "Velorian Prime Minister Ada Kroft arrived. Prime Minister Kroft’s aides said Kroft was tired.";
    let mentions = [
        m(text, "Ada Kroft", 0, Person),
        m(text, "Kroft", 1, Person),
        m(text, "Kroft", 2, Location),
    ];
    let linked = link(text, &mentions);
    assert_eq!(linked.entities.len(), 1);
    let e = &linked.entities[0];
    assert_eq!((e.name.as_str(), e.kind), ("Ada Kroft", Person));
    assert_eq!(
        mention_texts(text, e),
        ["Prime Minister Ada Kroft", "Prime Minister Kroft", "Kroft"]
    );
    assert_eq!(e.descriptors, ["Velorian Prime Minister"]);
    let at = text.rfind("Kroft").unwrap();
    assert_eq!(linked.entity_at(Span::new(at, at + 5)), Some(0));
    assert_eq!(linked.find_name("Kroft", at), Some(0));
}

#[test]
fn family_name_first() {
    let text = "spokesman Wen Baolu said. Wen added that Baolu Street was closed.";
    let mentions = [
        m(text, "Wen Baolu", 0, Person),
        m(text, "Wen", 1, Person),
        m(text, "Baolu Street", 0, Location),
    ];
    let linked = link(text, &mentions);
    assert_eq!(linked.entities.len(), 2);
    assert_eq!(
        mention_texts(text, &linked.entities[0]),
        ["Wen Baolu", "Wen"]
    );
    assert_eq!(linked.entities[1].name, "Baolu Street");
}

#[test]
fn two_people_sharing_a_surname_stay_two() {
    let text = "Ana Moss met Tom Moss. Later Moss said no.";
    let mentions = [
        m(text, "Ana Moss", 0, Person),
        m(text, "Tom Moss", 0, Person),
        m(text, "Moss", 2, Person),
    ];
    let linked = link(text, &mentions);
    assert_eq!(linked.entities.len(), 2);
    assert_eq!(linked.entities[0].name, "Ana Moss");
    assert_eq!(linked.entities[1].name, "Tom Moss");
    // The bare surname goes to the most recently mentioned.
    assert_eq!(
        mention_texts(text, &linked.entities[1]),
        ["Tom Moss", "Moss"]
    );
}

#[test]
fn acronyms_introduced_in_parentheses() {
    let text = "the Velm Port Authority (VPA) said. The VPA later agreed.";
    let mentions = [
        m(text, "Velm Port Authority", 0, Organization),
        m(text, "VPA", 1, Organization),
    ];
    let linked = link(text, &mentions);
    assert_eq!(linked.entities.len(), 1);
    assert_eq!(
        mention_texts(text, &linked.entities[0]),
        ["Velm Port Authority", "VPA", "VPA"]
    );
}

#[test]
fn spellings_group_and_kinds_are_made_consistent() {
    let text = "OSTRAVA (Wire) - Ostrava voted. Ostrava won.";
    let mentions = [
        m(text, "OSTRAVA", 0, Location),
        m(text, "Ostrava", 0, Location),
        m(text, "Ostrava", 1, Organization),
    ];
    let linked = link(text, &mentions);
    assert_eq!(linked.entities.len(), 1);
    assert_eq!(
        (linked.entities[0].name.as_str(), linked.entities[0].kind),
        ("Ostrava", Location)
    );
}
