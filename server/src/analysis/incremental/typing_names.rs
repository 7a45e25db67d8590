//! Names typed letter by letter into an article of many people: attribution resolves only the
//! paragraphs the changed names and entities can reach, and every keystroke's result equals a
//! from-scratch analysis, also where another paragraph reads the changed name.

use super::*;
use crate::analysis::analyze;
use proptest::prelude::*;

/// A story in which every paragraph names its own people, some by surname or pronoun only.
const STORY: &str = "Harbour talks resume after strike\n\
By Ola Nordmann\n\
BERGEN (Reuters) – Port officials met on Tuesday, said Kari Lund, the harbour master.\n\
“We will reopen soon,” Lund said. She declined to give a date.\n\
\n\
Ms. Ada Brandt, a union spokeswoman, said members would vote on the offer.\n\
“It is not over,” Brandt said.\n\
\n\
Jonas Berg, an analyst at Fjord Markets, said prices would rise.\n\
“Nobody wins a long strike,” Berg added. He expects a deal within weeks.\n\
\n\
Shipping agent Tor Haugen said three vessels had been diverted to Stavanger.\n\
“We lost a week,” Haugen said.\n\
\n\
The mayor, Liv Dahl, called the dispute “a warning to everyone”.\n\
“Talks go on,” Dahl told reporters.\n\
\n\
The company said it regretted the delay.\n";

/// What each keystroke of a typed name reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Keystroke {
    /// Linking's last result was moved (else linking ran again, or everything was moved).
    linking_moved: bool,
    moved: bool,
    /// Paragraphs whose cues attribution resolved.
    attributed: usize,
    /// The name table was kept (possibly with the changed names' entries made again).
    names_kept: bool,
}

/// Types `typed` one character at a time at byte `at` of `text`, checking every keystroke's
/// result against a from-scratch analysis.
fn type_at(
    analyzer: &mut Analyzer,
    text: &mut String,
    at: usize,
    typed: &str,
) -> Result<Vec<Keystroke>, TestCaseError> {
    let mut pos = at;
    let mut out = Vec::new();
    for c in typed.chars() {
        let edit = Edit::apply(text, pos..pos, c.encode_utf8(&mut [0; 4]));
        pos = edit.new_end;
        let result = analyzer.update(text, &[edit]);
        prop_assert_eq!(&*result, &analyze(text), "after {:?} in {:?}", c, text);
        out.push(Keystroke {
            linking_moved: analyzer.reused_linking(),
            moved: analyzer.reused_moved(),
            attributed: analyzer.attributed_paragraphs(),
            names_kept: analyzer.reused_name_index(),
        });
    }
    Ok(out)
}

/// `typed` typed into `text` where `before` ends (the first occurrence).
fn typed_after(text: &str, before: &str, typed: &str) -> Vec<Keystroke> {
    let at = text.find(before).map(|i| i + before.len()).unwrap();
    let mut text = text.to_owned();
    let mut analyzer = Analyzer::default();
    analyzer.reset(&text);
    type_at(&mut analyzer, &mut text, at, typed).unwrap()
}

#[test]
fn a_new_name_resolves_only_its_paragraphs() {
    let story = STORY.repeat(3);
    let paragraphs = split::paragraphs(&story).len();
    let keys = typed_after(&story, "diverted to Stavanger.", " Njeri Halvorsen");
    // From the surname's second letter on, the person's entity and the full name change with
    // every letter, and nothing outside reads them: a few paragraphs around it are resolved.
    let surname = &keys[keys.len() - 8..];
    assert!(
        surname
            .iter()
            .all(|k| !k.moved && !k.linking_moved && k.names_kept && k.attributed <= 5),
        "{surname:?} of {paragraphs}"
    );
}

#[test]
fn letters_that_found_merge_or_split_an_entity_resolve_only_their_paragraphs() {
    // " Liv" founds a person ("Li"), then joins the mayor Liv Dahl, first mentioned later (one
    // entity fewer); " Liv N" leaves her again (one more): each time every entity first
    // mentioned after the paragraph takes a new id, and the paragraphs outside keep their
    // results with those ids.
    let story = STORY.repeat(3);
    let paragraphs = split::paragraphs(&story).len();
    let at = story.find("diverted to Stavanger.").unwrap() + "diverted to Stavanger.".len();
    let mut text = story.clone();
    let mut analyzer = Analyzer::default();
    let mut counts = vec![analyzer.reset(&text).entities.len()];
    let mut keys = Vec::new();
    for typed in [" Li", "v", " N", "ygaard"] {
        keys.extend(type_at(&mut analyzer, &mut text, at + keys.len(), typed).unwrap());
        counts.push(analyze(&text).entities.len());
    }
    assert_eq!(counts, [11, 12, 11, 12, 12], "{keys:?}");
    assert!(
        keys[1..]
            .iter()
            .all(|k| !k.moved && k.names_kept && k.attributed <= 5),
        "{keys:?} of {paragraphs}"
    );
}

#[test]
fn a_surname_another_paragraph_names_resolves_every_paragraph() {
    // Haugen's quotation paragraph gives his surname: typing "Tor Haugen" anew elsewhere joins
    // him, and the last letter makes the full name another paragraph's speaker reads.
    let story = STORY.repeat(2);
    let paragraphs = split::paragraphs(&story).len();
    let keys = typed_after(&story, "regretted the delay.", " Tor Haugen");
    let last = keys.last().unwrap();
    assert!(last.attributed >= paragraphs / 2, "{keys:?}");
}

#[test]
fn a_surname_others_ask_about_resolves_only_its_paragraphs_while_their_answers_hold() {
    // " Al Haugen" typed in the mayor's paragraph: from "Al H" on, every letter changes the
    // name table's entries other paragraphs read ("Tor Haugen", "Haugen"), but each still finds
    // the name it found ("Tor Haugen" is the longer), so they keep their results.
    let story = STORY.repeat(2);
    let paragraphs = split::paragraphs(&story).len();
    let before = "a warning to everyone”.";
    let at = story.rfind(before).unwrap() + before.len();
    let mut text = story.clone();
    let mut analyzer = Analyzer::default();
    analyzer.reset(&text);
    let keys = type_at(&mut analyzer, &mut text, at, " Al Haugen").unwrap();
    assert!(
        keys[1..].iter().all(|k| k.names_kept && k.attributed <= 5),
        "{keys:?} of {paragraphs}"
    );
}

#[test]
fn a_full_name_put_in_a_quotation_changes_a_pronoun_elsewhere() {
    // "Ms. Njeri Halvorsen" gives the surname a gender the later "she" finds; a quotation mark
    // typed before it takes the name out of the table (names count outside quotations only).
    let story = format!(
        "{STORY}\nMs. Njeri Halvorsen chaired the meeting.\n\nLater Halvorsen spoke again. “It holds,” she said.\n"
    );
    typed_after(&story, "\nMs. Njeri", "”");
    typed_after(
        &story,
        "chaired the meeting.",
        " “Not Ms. Njeri Halvorsen,” Brandt said.",
    );
    typed_after(&story, "\n", "“");
}

#[test]
fn a_fence_typed_before_named_paragraphs_changes_what_they_give_the_table() {
    // Backticks opening a fence make every later paragraph code (no cues, no names), while a
    // name typed after them changes the re-split paragraph's.
    let story = STORY.repeat(2);
    let at = story.find("\nJonas Berg").unwrap() + 1;
    let mut text = story.clone();
    let mut analyzer = Analyzer::default();
    analyzer.reset(&text);
    type_at(&mut analyzer, &mut text, at, "```\nNjeri Halvorsen said.\n").unwrap();
}

/// Names and cues a writer types, letter by letter.
#[rustfmt::skip]
const TYPED: &[&str] = &[
    " Njeri Halvorsen", " said Njeri Halvorsen.", " Kari Lundberg", "Tor ", " Ms. Liv Haugen",
    "“Not yet,” Halvorsen said.", " Ada", "“", "”", "\n\n", " she said", "```\nNjeri Halvorsen\n",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Names typed anywhere in the story, one after another: each keystroke equals a
    /// from-scratch analysis.
    #[test]
    fn typed_names_equal_from_scratch(typed in proptest::collection::vec((0usize..10_000, 0..TYPED.len()), 1..4)) {
        let mut text = STORY.repeat(2);
        let mut analyzer = Analyzer::default();
        analyzer.reset(&text);
        for (at, t) in typed {
            let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let at = boundaries[at % boundaries.len()];
            type_at(&mut analyzer, &mut text, at, TYPED[t])?;
        }
    }
}
