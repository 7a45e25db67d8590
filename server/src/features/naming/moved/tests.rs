//! The naming memo's reuse, keystroke by keystroke, against fresh checks.

use super::*;
use crate::analysis::shift::EditedFrom;
use crate::analysis::{Analyzer, Edit};
use crate::config::Config;
use crate::features::article::Language;
use crate::features::diagnostics::{diagnostics, diagnostics_reusing};

/// The edit as the server's change handler hands it over (from the memo's text), with the
/// analyzer's word when it moved the last analysis.
fn handed_over(
    memo: &NamingMemo,
    analyzer: &Analyzer,
    edit: Edit,
    text: &str,
) -> Option<EditedFrom> {
    let mut edited = memo
        .text()
        .and_then(|last| EditedFrom::new(Arc::clone(last), &[edit], text.len()))?;
    edited.moved = analyzer.moved_from().cloned();
    Some(edited)
}

const STORY: &str = "Ferry fares rise\n\nOkafor said the vote was close. Later, Chidi Okafor said it again, and Chidi Okafor repeated it.\n\nThe mayor called the plan “a long, slow disaster for the island” on Monday.\n\nAda Kroft, an analyst, said: “Prices will keep rising.”\nKroft said Mila Zelenskiy met Mila Zelensky.\n";

/// At every character of the story: type a letter, then delete it, then type a line break
/// and delete it; after each keystroke the diagnostics reusing the last naming findings
/// equal those computed afresh (names typed into, quotations grown, lines renumbered).
#[test]
fn reused_findings_equal_fresh_ones_keystroke_by_keystroke() {
    let config = Config::default();
    let mut text = STORY.to_owned();
    let mut analyzer = Analyzer::default();
    analyzer.reset(&text);
    let positions: Vec<usize> = STORY.char_indices().map(|(i, _)| i).collect();
    let before = REUSED.with(|r| r.get());
    let trusted = TRUSTED.with(|r| r.get());
    let mut memo = NamingMemo::default();
    let mut moved_whole = 0;
    for at in positions {
        for typed in ["x", "\n"] {
            for (start, old_end, insert) in [(at, at, typed), (at, at + typed.len(), "")] {
                text.replace_range(start..old_end, insert);
                let edit = Edit {
                    start,
                    old_end,
                    new_end: start + insert.len(),
                };
                let analysis = analyzer.update(&text, &[edit]);
                let shared: Arc<str> = Arc::from(text.as_str());
                let article = Article::new(&shared, &analysis, Language::PlainText);
                let edited = handed_over(&memo, &analyzer, edit, &text);
                moved_whole += usize::from(edited.as_ref().is_some_and(|e| e.moved.is_some()));
                let reused = diagnostics_reusing(
                    &mut memo,
                    &shared,
                    edited.as_ref(),
                    &analysis,
                    &article,
                    &config,
                );
                assert_eq!(reused, diagnostics(&article, &config), "{text:?}");
            }
        }
    }
    let fresh = crate::analysis::analyze(STORY);
    let story = Article::new(STORY, &fresh, Language::PlainText);
    assert!(!super::super::check(&story, &config.register).is_empty());
    assert!(REUSED.with(|r| r.get()) > before);
    assert!(moved_whole > 0, "the analyzer's word was given");
    assert!(
        TRUSTED.with(|r| r.get()) > trusted,
        "the analyzer's word was taken"
    );
}

/// What each keystroke of typing `typed` at byte `at` of `story` did with the last naming
/// findings: `Some(true)` moved them all, `Some(false)` kept those of the origins it left
/// alone, `None` checked afresh. Each result is compared with a fresh check; the story's
/// own findings are checked before the first keystroke (as the server does on open).
fn typed_naming(story: &str, at: usize, typed: &str) -> Vec<Option<bool>> {
    let mut pos = at;
    let edits: Vec<(usize, usize, String)> = typed
        .chars()
        .map(|c| {
            let edit = (pos, pos, c.to_string());
            pos += c.len_utf8();
            edit
        })
        .collect();
    edited_naming(story, &edits).0
}

/// [`typed_naming`] of edits (`start..end` of the text as the edits before left it replaced
/// by the string), with the naming findings of the story and after each edit. Each edit is
/// handed to the publish as the server hands it: with the analyzer's word when it moved the
/// last analysis.
fn edited_naming(
    story: &str,
    edits: &[(usize, usize, String)],
) -> (Vec<Option<bool>>, Vec<Vec<NamingFinding>>) {
    let config = Config::default();
    let mut text = story.to_owned();
    let mut analyzer = Analyzer::default();
    let mut memo = NamingMemo::default();
    let opened = analyzer.reset(&text);
    let shared: Arc<str> = Arc::from(text.as_str());
    let article = Article::new(&shared, &opened, Language::PlainText);
    diagnostics_reusing(&mut memo, &shared, None, &opened, &article, &config);
    let mut paths = Vec::new();
    let mut found = vec![super::super::check(&article, &config.register)];
    for (start, end, insert) in edits {
        let edit = Edit::apply(&mut text, *start..*end, insert);
        let analysis = analyzer.update(&text, &[edit]);
        let shared: Arc<str> = Arc::from(text.as_str());
        let article = Article::new(&shared, &analysis, Language::PlainText);
        let edited = handed_over(&memo, &analyzer, edit, &text);
        let count = || (REUSED.with(|r| r.get()), PARTLY_REUSED.with(|r| r.get()));
        let before = count();
        let reused = diagnostics_reusing(
            &mut memo,
            &shared,
            edited.as_ref(),
            &analysis,
            &article,
            &config,
        );
        assert_eq!(reused, diagnostics(&article, &config), "{text:?}");
        let after = count();
        paths.push(match (after.0 > before.0, after.1 > before.1) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        });
        found.push(super::super::check(&article, &config.register));
    }
    (paths, found)
}

/// The messages of `found` that quote a line number.
fn line_messages(found: &[NamingFinding]) -> Vec<String> {
    found
        .iter()
        .map(|f| f.finding.message.to_string())
        .filter(|m| m.contains(" on line "))
        .collect()
}

/// A blank line opened at the end of a paragraph (as Enter twice does) changes no name,
/// quotation or block: every finding is moved, and those quoting a line past it quote the
/// line two further on (the rewrite is what a fresh check says: `edited_naming` compares).
#[test]
fn a_blank_line_moves_every_finding_and_renumbers_the_lines_past_it() {
    let story = STORY.repeat(3);
    let at = story.find("repeated it.").unwrap() + "repeated it.".len();
    let (paths, found) = edited_naming(&story, &[(at, at, "\n\n".to_string())]);
    assert_eq!(paths, [Some(true)]);
    let (before, after) = (line_messages(&found[0]), line_messages(&found[1]));
    assert_eq!(before.len(), after.len());
    assert!(before.iter().zip(&after).any(|(b, a)| b != a), "{after:?}");
}

/// Whether a first-reference finding calls "Okafor" a bare first reference.
fn bare_okafor(found: &[NamingFinding]) -> bool {
    found
        .iter()
        .any(|f| f.finding.message.contains("bare “Okafor”"))
}

/// An opening quotation mark typed before a sentence whose closing mark was there already
/// makes a quotation of it: the bare surname in it is no longer the first reference in the
/// copy, though the person's name and mentions only moved.
#[test]
fn a_quotation_mark_that_makes_a_quotation_checks_the_mentions_it_holds_again() {
    let story = "Ferry fares rise\n\nA resident said: We trust Okafor, and the vote was close.”\n\nLater, Chidi Okafor said it again.\n";
    let at = story.find("We trust").unwrap();
    let (paths, found) = edited_naming(story, &[(at, at, "“".to_string())]);
    assert_eq!(paths, [Some(false)]);
    assert!(
        bare_okafor(&found[0]) && !bare_okafor(&found[1]),
        "{found:?}"
    );
}

/// A line break that splits a paragraph so that its first line reads as a byline ("By …"):
/// the full name there is no longer copy, and the bare surname below becomes the first
/// reference, though the person's name and mentions only moved.
#[test]
fn a_line_break_that_makes_a_byline_checks_the_mentions_it_holds_again() {
    let story = "Ferry fares rise\n\nBy Chidi Okafor and the union the vote was close.\n\nLater, Okafor said it again.\n";
    let at = story.find(" the vote").unwrap();
    let (paths, found) = edited_naming(story, &[(at, at + 1, "\n".to_string())]);
    assert_eq!(paths, [Some(false)]);
    assert!(
        !bare_okafor(&found[0]) && bare_okafor(&found[1]),
        "{found:?}"
    );
}

/// A letter typed before a byline's "By" makes a paragraph of it: the full name there is copy
/// now, and the bare surname below no longer the first reference.
#[test]
fn a_letter_that_unmakes_a_byline_checks_the_mentions_it_holds_again() {
    let story =
        "Ferry fares rise\n\nBy Chidi Okafor\nThe vote was close, Okafor said.\n\nLater, Okafor said it again.\n";
    let at = story.find("By Chidi").unwrap();
    let (paths, found) = edited_naming(story, &[(at, at, "x".to_string())]);
    assert_eq!(paths, [Some(false)]);
    assert!(
        bare_okafor(&found[0]) && !bare_okafor(&found[1]),
        "{found:?}"
    );
}

/// A deletion that joins two lines maps the offset where it starts and the one where it ends
/// to one (a block ended at the first, a block and a name started at the second): the other
/// findings are still kept, and the joined lines' names checked again.
#[test]
fn a_deletion_that_joins_lines_keeps_the_other_findings() {
    let story = STORY.repeat(3);
    let start = story.find("on Monday.").unwrap() + "on Monday.".len();
    let end = start + story[start..].find("Kroft said").unwrap();
    let (paths, _) = edited_naming(&story, &[(start, end, String::new())]);
    assert_eq!(paths, [Some(false)]);
}

/// A typed paragraph deleted in one edit (its blank line with it), and a block of paragraphs
/// pasted: the findings of the people it did not name are kept.
#[test]
fn a_paragraph_deleted_or_pasted_keeps_the_other_findings() {
    let story = STORY.repeat(3);
    let at = story.find("repeated it.").unwrap() + "repeated it.".len();
    let typed = "\n\nTove Lindqvist said the fares were fair.";
    let paste = "\n\nIngrid Solberg said the ferry was late. Solberg said so twice.";
    let edits = [
        (at, at, typed.to_string()),
        (at, at + typed.len(), String::new()),
        (at, at, paste.to_string()),
    ];
    let (paths, _) = edited_naming(&story, &edits);
    assert_eq!(paths, [Some(false); 3]);
}

/// Sentences typed after a sentence of the story: a name sharing a surname with someone
/// (whose later full names then stop being flagged), a variant spelling that joins a
/// cluster and, letter by letter, leaves it again, a new person, an existing one.
const SENTENCES: [&str; 5] = [
    " Ngozi Okafor said so.",
    " Mila Zelenskyyyy met them.",
    " Ada Krofft agreed.",
    " Tove Lindqvist spoke.",
    " Chidi Okafor left.",
];

/// After each keystroke of names typed letter by letter the findings reusing those of the
/// origins the keystroke left alone equal those computed afresh, and many keystrokes reuse
/// them (the others move every finding, or found or merge an entity: then the number of
/// entities changes and everything is checked).
#[test]
fn names_typed_letter_by_letter_reuse_the_other_findings() {
    let story = STORY.repeat(3);
    let after = ["close.", "Zelensky.", "Monday.", "repeated it.", "close."];
    let mut paths = Vec::new();
    for ((typed, after), k) in SENTENCES.iter().zip(after).zip(1..) {
        let (i, _) = story.match_indices(after).nth(k % 3).unwrap();
        paths.extend(typed_naming(&story, i + after.len(), typed));
    }
    let partly = paths.iter().filter(|&&p| p == Some(false)).count();
    assert!(partly * 3 > paths.len(), "{paths:?}");
}

/// Which path each keystroke of a new person's name takes: until the tagger sees a name
/// the findings only move; the letter that founds the entity ("Tove": one entity more, every
/// later one renumbered), the space and each letter of the surname check only that person
/// again.
#[test]
fn a_new_persons_letters_check_only_that_person_again() {
    let story = STORY.repeat(3);
    let at = story.match_indices("Monday.").nth(1).unwrap().0 + "Monday.".len();
    let paths = typed_naming(&story, at, " Tove Lindqvist");
    let (moved, kept) = (Some(true), Some(false));
    assert_eq!(paths[..4], [moved; 4], "{paths:?}");
    assert_eq!(paths[4..], [kept; 11], "{paths:?}");
}

/// A name that founds a person ("Chidi": one entity more), then joins Chidi Okafor
/// (one fewer) and leaves him again ("Chidi N": one more): each time every entity first
/// mentioned after it takes a new id, and the findings of the people and clusters the letter
/// left alone are kept under the new ids.
#[test]
fn letters_that_found_merge_or_split_a_person_check_only_the_changed_ones_again() {
    let story = STORY.repeat(3);
    let at = story.match_indices("Monday.").nth(1).unwrap().0 + "Monday.".len();
    let typed = " Chidi Nwosu";
    let mut text = story.clone();
    let mut counts = vec![crate::analysis::analyze(&text).entities.len()];
    for (k, c) in typed.char_indices() {
        text.insert(at + k, c);
        counts.push(crate::analysis::analyze(&text).entities.len());
    }
    assert_eq!(counts, [4, 4, 4, 4, 5, 4, 4, 4, 5, 5, 5, 5, 5]);
    let paths = typed_naming(&story, at, typed);
    assert_eq!(paths[3..], [Some(false); 9], "{paths:?}");
}

/// A letter typed at the end of Ngozi Okafor's only mention gives a new person (first
/// mentioned at the same byte) and takes hers away: Chidi Okafor no longer shares his
/// surname with anyone, so his later full names are flagged again; he is checked again for
/// the name that went.
#[test]
fn a_person_that_goes_has_those_sharing_her_name_checked_again() {
    let story = STORY.replace("Okafor said the vote was close.", "Ngozi Okafor said so.");
    let at = story.find("Ngozi Okafor").unwrap() + "Ngozi Okafor".len();
    let paths = typed_naming(&story, at, "x");
    assert_eq!(paths, [Some(false)]);
}

/// Letters typed at the end of a word and a name typed after it, keystroke by keystroke: the
/// analyzer moves its last analysis by the replacement widened by the character before, and
/// the publish takes its word for it (no comparison) whenever the findings are then kept,
/// each time finding what a fresh check finds (`edited_naming` compares).
#[test]
fn letters_typed_at_the_end_of_a_word_take_the_analyzers_word() {
    let story = STORY.repeat(3);
    let at = story.match_indices("disaster").nth(1).unwrap().0 + "disaster".len();
    let trusted = TRUSTED.with(|r| r.get());
    let paths = typed_naming(&story, at, "ous, Njeri Halvorsen said");
    assert!(paths.iter().all(Option::is_some), "{paths:?}");
    assert!(TRUSTED.with(|r| r.get()) - trusted >= 3, "{paths:?}");
}

/// The analyzer's word counts only for the two analyses it names, by address, and the very
/// replacement it moved by.
#[test]
fn the_analyzers_word_names_its_analyses_and_its_shift() {
    let mut analyzer = Analyzer::default();
    let mut text = STORY.to_owned();
    let first = analyzer.reset(&text);
    let at = STORY.find("disaster").unwrap() + "disaster".len();
    let edit = Edit::apply(&mut text, at..at, "s");
    let second = analyzer.update(&text, &[edit]);
    let word = analyzer
        .moved_from()
        .cloned()
        .expect("a letter at a word's end moves");
    let shifts = Shift::between(STORY, &text);
    let by = shifts
        .iter()
        .find(|s| word.moved_by(s))
        .expect("one of the two");
    assert!(word.proves(&first, &second, by));
    let other = shifts
        .iter()
        .find(|s| !word.moved_by(s))
        .expect("an insertion has two");
    assert!(!word.proves(&first, &second, other));
    assert!(!word.proves(&second, &first, by));
    let copy = Arc::new((*second).clone());
    assert!(!word.proves(&first, &copy, by));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..proptest::prelude::ProptestConfig::default() })]

    /// A sentence with a name typed letter by letter anywhere in the story: every keystroke's
    /// reused findings equal a fresh check's.
    #[test]
    fn a_name_typed_anywhere_keeps_the_findings_fresh(sentence in 0usize..SENTENCES.len(), at in 0usize..10_000) {
        let story = STORY.repeat(2);
        let boundaries: Vec<usize> = story.char_indices().map(|(i, _)| i).chain([story.len()]).collect();
        typed_naming(&story, boundaries[at % boundaries.len()], SENTENCES[sentence]);
    }
}
