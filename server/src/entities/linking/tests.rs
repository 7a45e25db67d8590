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
    assert_eq!((&*e.name, e.kind), ("Ada Kroft", Person));
    assert_eq!(
        mention_texts(text, e),
        ["Prime Minister Ada Kroft", "Prime Minister Kroft", "Kroft"]
    );
    assert_eq!(e.descriptors, [Arc::from("Velorian Prime Minister")]);
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
    assert_eq!(&*linked.entities[1].name, "Baolu Street");
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
    assert_eq!(&*linked.entities[0].name, "Ana Moss");
    assert_eq!(&*linked.entities[1].name, "Tom Moss");
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
        (&*linked.entities[0].name, linked.entities[0].kind),
        ("Ostrava", Location)
    );
}

/// Lowercase prose long enough to keep mentions on either side of it out of each other's
/// context window.
const FAR: &str =
    " and then the meeting went on for a long while about the harbour, the dues, the \
    dredging, the night shifts, the rates for the small boats, the pension fund, the canteen and \
    the parking by the old gate, until everyone in the room had said what they came to say and \
    more than once, which took most of the afternoon and a good part of the evening as well. ";

/// Links `text` with `cache` after the edit that turned `before` into it (the cache in step
/// with it as the analyzer keeps it), checks the result equals linking from scratch, and returns
/// how many mentions were grouped again.
fn relink(
    cache: &mut LinkCache,
    before: &str,
    text: &str,
    mentions: &[RawMention],
) -> Option<usize> {
    let start = before
        .bytes()
        .zip(text.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let common_end = before
        .bytes()
        .rev()
        .zip(text.bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let tail = common_end.min(before.len() - start).min(text.len() - start);
    let (old_end, new_end) = (before.len() - tail, text.len() - tail);
    let shift = crate::analysis::shift::Shift::new(start, old_end, new_end);
    cache.edited_same(text, (start, old_end, new_end), |x| shift.offset(x));
    let words = super::super::recall::capital_words(text);
    let linked = link_cached(text, mentions, words.into_iter(), cache);
    assert_eq!(linked, link(text, mentions), "text: {text}");
    cache.relinked_mentions()
}

fn first_link(cache: &mut LinkCache, text: &str, mentions: &[RawMention]) {
    let words = super::super::recall::capital_words(text);
    assert_eq!(
        link_cached(text, mentions, words.into_iter(), cache),
        link(text, mentions)
    );
}

#[test]
fn a_renamed_person_lets_go_of_a_distant_bare_surname() {
    // "Moss" far away keeps its context, but its group lost "Ana Moss": linked again.
    let before = format!("Ana Moss spoke.{FAR}Moss left.{FAR}Oda Berg came.");
    let text = format!("Ana Mess spoke.{FAR}Moss left.{FAR}Oda Berg came.");
    let mut cache = LinkCache::default();
    let old = [
        m(&before, "Ana Moss", 0, Person),
        m(&before, "Oda Berg", 0, Person),
    ];
    first_link(&mut cache, &before, &old);
    let mentions = [
        m(&text, "Ana Mess", 0, Person),
        m(&text, "Moss", 0, Person),
        m(&text, "Oda Berg", 0, Person),
    ];
    assert_eq!(relink(&mut cache, &before, &text, &mentions), Some(2));
    assert_eq!(link(&text, &mentions).entities.len(), 3);
}

#[test]
fn a_new_full_name_takes_in_a_distant_bare_surname() {
    let before = format!("Ana Lind spoke.{FAR}Moss left.{FAR}Oda Berg came.");
    let text = format!("Tom Moss spoke.{FAR}Moss left.{FAR}Oda Berg came.");
    let mut cache = LinkCache::default();
    let old = [
        m(&before, "Ana Lind", 0, Person),
        m(&before, "Moss", 0, Person),
        m(&before, "Oda Berg", 0, Person),
    ];
    first_link(&mut cache, &before, &old);
    let mentions = [
        m(&text, "Tom Moss", 0, Person),
        m(&text, "Moss", 1, Person),
        m(&text, "Oda Berg", 0, Person),
    ];
    // Tom Moss (new) and Moss (a sub-name of it); Ana Lind is gone, Oda Berg kept.
    assert_eq!(relink(&mut cache, &before, &text, &mentions), Some(2));
    assert_eq!(link(&text, &mentions).entities.len(), 2);
}

#[test]
fn a_new_use_of_an_acronym_joins_the_name_it_abbreviates() {
    // The authority and its acronym are far from the edit and unchanged, but the new "VPA"
    // shares their group through the acronym.
    let before =
        format!("the Velm Port Authority (VPA) said.{FAR}The board agreed.{FAR}Oda Berg came.");
    let text =
        format!("the Velm Port Authority (VPA) said.{FAR}The VPA agreed.{FAR}Oda Berg came.");
    let mut cache = LinkCache::default();
    let both = |t: &str| {
        [
            m(t, "Velm Port Authority", 0, Organization),
            m(t, "Oda Berg", 0, Person),
        ]
    };
    first_link(&mut cache, &before, &both(&before));
    let mentions = [
        both(&text)[0],
        m(&text, "VPA", 1, Organization),
        both(&text)[1],
    ];
    // The new VPA, the one in parentheses and the authority.
    assert_eq!(relink(&mut cache, &before, &text, &mentions), Some(3));
    assert_eq!(link(&text, &mentions).entities.len(), 2);
}

#[test]
fn an_acronym_edited_next_to_its_name_is_read_again() {
    let before = format!("the Velm Port Authority (VPA) said.{FAR}Oda Berg came.");
    let text = format!("the Velm Port Authority (VPB) said.{FAR}Oda Berg came.");
    let mut cache = LinkCache::default();
    let at = |t: &str| {
        [
            m(t, "Velm Port Authority", 0, Organization),
            m(t, "Oda Berg", 0, Person),
        ]
    };
    first_link(&mut cache, &before, &at(&before));
    assert_eq!(relink(&mut cache, &before, &text, &at(&text)), Some(1));
    assert_eq!(link(&text, &at(&text)).entities[0].mentions.len(), 1);
}

#[test]
fn a_descriptor_edited_next_to_a_name_is_read_again() {
    // The name reads alike: its entity is described anew, nothing is grouped again.
    let before = format!("Ana Moss, the mayor, spoke.{FAR}Oda Berg came.");
    let text = format!("Ana Moss, the governor, spoke.{FAR}Oda Berg came.");
    let mut cache = LinkCache::default();
    let at = |t: &str| [m(t, "Ana Moss", 0, Person), m(t, "Oda Berg", 0, Person)];
    first_link(&mut cache, &before, &at(&before));
    assert_eq!(relink(&mut cache, &before, &text, &at(&text)), Some(0));
    assert_eq!(
        link(&text, &at(&text)).entities[0].descriptors,
        [Arc::from("the governor")]
    );
}

#[test]
fn an_entity_described_anew_reads_all_its_mentions_in_order() {
    // Ana Moss's first mention loses its descriptor, then gets another one: her distant bare
    // "Moss" keeps giving its own, after it; Tom Moss, a place and an organisation of the same
    // group are kept as they were.
    let texts = [
        "Ana Moss, the mayor, spoke.",
        "Ana Moss spoke.",
        "Ana Moss, the port director, spoke.",
    ]
    .map(|first| {
        format!(
            "{first}{FAR}Moss, the harbour chief, left. Moss Bay voted.{FAR}Tom Moss came. \
             Moss Group paid.{FAR}Moss, a former mayor, agreed."
        )
    });
    let at = |t: &str| {
        [
            m(t, "Ana Moss", 0, Person),
            m(t, "Moss", 1, Person),
            m(t, "Moss Bay", 0, Location),
            m(t, "Tom Moss", 0, Person),
            m(t, "Moss Group", 0, Organization),
            m(t, "Moss", 5, Person),
        ]
    };
    let mut cache = LinkCache::default();
    first_link(&mut cache, &texts[0], &at(&texts[0]));
    let described = |t: &str| {
        let linked = link(t, &at(t));
        let ana = linked.entities.iter().find(|e| &*e.name == "Ana Moss");
        let descriptors = ana.map(|e| e.descriptors.iter().map(|d| d.to_string()).collect());
        descriptors.unwrap_or_else(Vec::new)
    };
    assert_eq!(described(&texts[0]), ["the mayor", "the harbour chief"]);
    for (before, text) in [(&texts[0], &texts[1]), (&texts[1], &texts[2])] {
        assert_eq!(relink(&mut cache, before, text, &at(text)), Some(0));
    }
    assert_eq!(described(&texts[1]), ["the harbour chief"]);
    assert_eq!(
        described(&texts[2]),
        ["the port director", "the harbour chief"]
    );
}

#[test]
fn an_edit_that_leaves_every_name_reading_alike_links_nothing_again() {
    // The edit is inside the second "Moss"'s context window, which reads as before.
    let before = format!("Ana Moss spoke.{FAR}Moss left.");
    let text = format!("Ana Moss spoke.{FAR}Moss soon left.");
    let mut cache = LinkCache::default();
    let at = |t: &str| [m(t, "Ana Moss", 0, Person), m(t, "Moss", 1, Person)];
    first_link(&mut cache, &before, &at(&before));
    assert_eq!(relink(&mut cache, &before, &text, &at(&text)), Some(0));
}

#[test]
fn a_spelling_linked_again_votes_over_all_its_mentions() {
    // The new "Ostrava" is tagged an organisation; the article's other two (unchanged, far
    // away) make it a place, one entity.
    let before = format!("Ostrava voted.{FAR}Ostrava won.{FAR}Oda Berg came.");
    let text = format!("Ostrava voted.{FAR}Ostrava won. Ostrava too.{FAR}Oda Berg came.");
    let mut cache = LinkCache::default();
    let place = |t: &str, nth| m(t, "Ostrava", nth, Location);
    let old = [
        place(&before, 0),
        place(&before, 1),
        m(&before, "Oda Berg", 0, Person),
    ];
    first_link(&mut cache, &before, &old);
    let mentions = [
        place(&text, 0),
        place(&text, 1),
        m(&text, "Ostrava", 2, Organization),
        m(&text, "Oda Berg", 0, Person),
    ];
    assert_eq!(relink(&mut cache, &before, &text, &mentions), Some(3));
    assert_eq!(link(&text, &mentions).entities.len(), 2);
}

/// Keystrokes in the prose between names, here and there in the document (after the last one,
/// before it, back again, a letter deleted) with no linking between them, as while the last
/// result is moved: the contexts after each are moved lazily, each is where its mention now
/// is, and linking then groups nothing again.
#[test]
fn contexts_moved_by_keystrokes_here_and_there_are_where_their_mentions_are() {
    let mut text = format!("Ana Moss spoke.{FAR}Moss left.{FAR}Oda Berg came.{FAR}Berg stayed.");
    let mentions = |t: &str| {
        [
            m(t, "Ana Moss", 0, Person),
            m(t, "Moss", 1, Person),
            m(t, "Oda Berg", 0, Person),
            m(t, "Berg", 1, Person),
        ]
    };
    let mut cache = LinkCache::default();
    first_link(&mut cache, &text, &mentions(&text));
    let anchor = " and then the ";
    let far = |t: &str, nth: usize| t.match_indices(anchor).nth(nth).unwrap().0 + anchor.len();
    for (nth, typed) in [(1, "x"), (0, "y"), (2, "zz"), (2, ""), (0, ""), (1, "w")] {
        let at = far(&text, nth);
        let (old_end, new_end) = if typed.is_empty() {
            text.replace_range(at..at + 1, "");
            (at + 1, at)
        } else {
            text.insert_str(at, typed);
            (at, at + typed.len())
        };
        let shift = crate::analysis::shift::Shift::new(at, old_end, new_end);
        assert!(cache.edited_same(&text, (at, old_end, new_end), |x| shift.offset(x)));
        let now: Vec<Span> = mentions(&text).iter().map(|m| m.span).collect();
        assert_eq!(cache.mention_spans(), now, "typed {typed:?} at {at}");
    }
    let words = super::super::recall::capital_words(&text);
    let linked = link_cached(&text, &mentions(&text), words.into_iter(), &mut cache);
    assert_eq!(linked, link(&text, &mentions(&text)));
    assert_eq!(cache.relinked_mentions(), Some(0));
}

#[test]
fn a_name_sharing_words_with_a_non_person_joins_the_person() {
    // Two people share "Moss"; "Moss Fund" and "Lee Moss Fund" are founded as organisations
    // (grouping's second pass), each after the people and just before the short form that
    // holds their words. The bare "Moss" finds its people in the per-word list of people, the
    // two-word "Lee Moss" (tagged an organisation, so grouped in the second pass) its person
    // in the word-pair list, which also holds the fund: both must pass over the organisations
    // though they were mentioned last, and go to the person mentioned most recently.
    let text = "Ana Lee Moss met Tom Moss. The Moss Fund paid. Moss said so. \
                The Lee Moss Fund paid. Lee Moss agreed.";
    let mentions = [
        m(text, "Ana Lee Moss", 0, Person),
        m(text, "Tom Moss", 0, Person),
        m(text, "Moss Fund", 0, Organization),
        m(text, "Moss", 3, Person),
        m(text, "Lee Moss Fund", 0, Organization),
        m(text, "Lee Moss", 2, Organization),
    ];
    let linked = link(text, &mentions);
    let names: Vec<(&str, EntityKind, Vec<&str>)> = linked
        .entities
        .iter()
        .map(|e| (&*e.name, e.kind, mention_texts(text, e)))
        .collect();
    assert_eq!(
        names,
        [
            ("Ana Lee Moss", Person, vec!["Ana Lee Moss", "Lee Moss"]),
            ("Tom Moss", Person, vec!["Tom Moss", "Moss"]),
            ("Moss Fund", Organization, vec!["Moss Fund"]),
            ("Lee Moss Fund", Organization, vec!["Lee Moss Fund"]),
        ]
    );
    // Linked again after an edit far from them, the same.
    let mut cache = LinkCache::default();
    first_link(&mut cache, text, &mentions);
    let edited = text.replacen("paid. Moss", "paid! Moss", 1);
    let moved: Vec<RawMention> = mentions.to_vec();
    relink(&mut cache, text, &edited, &moved);
}

#[test]
fn a_clone_linking_another_text_lends_no_key_nodes() {
    // Mentions spelled alike share their spelling, and on it the node the last grouping run gave
    // their key; a clone of the cache shares the spellings. Between two runs of this cache, the
    // clone links the same names in another order (other nodes): this cache's next run must
    // group as from scratch, not by the clone's nodes.
    let before = format!("Ana Moss spoke.{FAR}Moss left.{FAR}Oda Berg came. Berg said.");
    let text = before.replace("spoke", "spake");
    let mentions = |t: &str| {
        [
            m(t, "Ana Moss", 0, Person),
            m(t, "Moss", 1, Person),
            m(t, "Oda Berg", 0, Person),
            m(t, "Berg", 1, Person),
        ]
    };
    let mut cache = LinkCache::default();
    first_link(&mut cache, &before, &mentions(&before));
    let swapped = format!("Berg said. Oda Berg came.{FAR}Moss left. Ana Moss spoke.");
    let mut other = cache.clone();
    first_link(
        &mut other,
        &swapped,
        &[
            m(&swapped, "Berg", 0, Person),
            m(&swapped, "Oda Berg", 0, Person),
            m(&swapped, "Moss", 0, Person),
            m(&swapped, "Ana Moss", 0, Person),
        ],
    );
    relink(&mut cache, &before, &text, &mentions(&text));
    assert_eq!(link(&text, &mentions(&text)).entities.len(), 2);
}
