//! The incremental analyzer against from-scratch analysis: random edits, keystroke bursts, and
//! when the last result is moved instead of recomputed.

use super::*;
use crate::analysis::analyze;
use proptest::prelude::*;

/// Pieces that edits insert: words, quote marks of every kind, line breaks that split and
/// merge paragraphs, residue and multi-byte text.
#[rustfmt::skip]
const PIECES: &[&str] = &[
    "“", "”", "\"", "'", "’", "‘", "«", "»", "„", "\n", "\n\n", "\r\n", "\u{a0}", "  \n", " ", "é", "—", "😀", ",", ".",
    " said Ana Brandt.", "“We will not stop,” she said.", " he added", "Sen. ", "U.S. ",
    "<b>", "&nbsp;", "[L1N2TZ2LJ]", " |", "# ", "- ", "```", "By Ola Nordmann\n",
    "“The plan is sound.\n\n“It will pass,” Brandt said.\n", "(Writing by Kari Lund)",
    "OSLO (Reuters) – ", "rock ’n’ roll", "the workers’ union",
];

const BASE: &str = "Port strike spreads\nBy Ana Brandt\nOSLO (Reuters) – Dock workers walked out on Monday, the union said.\n“We will not back down,” said Ana Brandt, its leader. She called the offer “insulting”.\n\n“The talks failed.\n“We go on,” she added.\nThe company said: \"We regret it.\" [L1N0AB12CD]\n(Writing by Kari Lund; Editing by Per Dahl)\n";

#[derive(Debug, Clone)]
struct RawEdit {
    at: usize,
    delete: usize,
    insert: usize,
}

fn raw_edit() -> impl Strategy<Value = RawEdit> {
    (
        0usize..10_000,
        prop_oneof![Just(0usize), 0usize..4, 0usize..40],
        0usize..PIECES.len() + 1,
    )
        .prop_map(|(at, delete, insert)| RawEdit { at, delete, insert })
}

/// Apply `raw` to `text` at char boundaries; returns the edit in byte offsets.
fn apply(text: &mut String, raw: &RawEdit) -> Edit {
    let chars: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let start_char = raw.at % chars.len();
    let end_char = (start_char + raw.delete).min(chars.len() - 1);
    let start = chars[start_char];
    let old_end = chars[end_char];
    let insert = PIECES.get(raw.insert).copied().unwrap_or("");
    text.replace_range(start..old_end, insert);
    Edit {
        start,
        old_end,
        new_end: start + insert.len(),
    }
}

/// Applies `edits` to `text` in batches of `batch`, checking after each batch that the
/// incremental analysis equals a from-scratch one.
fn same_as_from_scratch(
    mut text: String,
    edits: &[RawEdit],
    batch: usize,
) -> Result<(), TestCaseError> {
    let mut analyzer = Analyzer::default();
    analyzer.reset(&text);
    for chunk in edits.chunks(batch) {
        let applied: Vec<Edit> = chunk.iter().map(|raw| apply(&mut text, raw)).collect();
        let incremental = analyzer.update(&text, &applied);
        let scratch = analyze(&text);
        prop_assert_eq!(&*incremental, &scratch, "text: {:?}", text);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn incremental_equals_from_scratch(edits in proptest::collection::vec(raw_edit(), 1..25), batch in 1usize..4) {
        same_as_from_scratch(BASE.to_owned(), &edits, batch)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// On an article several times longer than the window around a mention that entity
    /// linking reads, so that its cached per-mention work is reused next to work redone.
    #[test]
    fn incremental_equals_from_scratch_on_a_long_article(edits in proptest::collection::vec(raw_edit(), 1..12), batch in 1usize..3) {
        same_as_from_scratch(BASE.repeat(8), &edits, batch)?;
    }
}

/// What a writer types one character at a time: letters inside a word, a quotation with its
/// attribution, a name, a paragraph break, a possessive, and text inside quotation marks; and
/// names letter by letter: sharing a surname with the story's people, spelled like one of
/// them, an organisation.
#[rustfmt::skip]
const TYPED: &[&str] = &[
    "xyz", "“Not yet,” he said.", " Ola Nordmann", "\n\n", "Brandt", " the ", "’s", "ing",
    " said Kari Lund, a docker", "\n", "“", "”",
    " said Per Brandt.", " Ana Brandtt", " Oslo Dock Workers Union",
];

/// A burst of keystrokes at one place: typing `TYPED[text]` character by character, or
/// deleting `count` characters one by one backwards (backspace).
#[derive(Debug, Clone)]
enum Burst {
    Type { at: usize, text: usize },
    Backspace { at: usize, count: usize },
}

fn burst() -> impl Strategy<Value = Burst> {
    prop_oneof![
        (0usize..10_000, 0usize..TYPED.len()).prop_map(|(at, text)| Burst::Type { at, text }),
        (0usize..10_000, 1usize..8).prop_map(|(at, count)| Burst::Backspace { at, count }),
    ]
}

/// The keystrokes of `burst` on `text`, each applied as it is made; returns one edit each.
fn keystrokes(text: &str, burst: &Burst) -> Vec<(usize, usize, String)> {
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    match *burst {
        Burst::Type { at, text: t } => {
            let mut pos = boundaries[at % boundaries.len()];
            TYPED[t]
                .chars()
                .map(|c| {
                    let k = (pos, pos, c.to_string());
                    pos += c.len_utf8();
                    k
                })
                .collect()
        }
        Burst::Backspace { at, count } => {
            let end = at % boundaries.len();
            (0..count.min(end))
                .map(|k| (boundaries[end - k - 1], boundaries[end - k], String::new()))
                .collect()
        }
    }
}

/// Replays `bursts` keystroke by keystroke, checking each result against a from-scratch
/// analysis; returns for each keystroke whether it reused the previous result moved.
fn typed_as_from_scratch(text: String, bursts: &[Burst]) -> Result<Vec<bool>, TestCaseError> {
    Ok(typed_reusing(text, bursts)?
        .into_iter()
        .map(|r| r == Reused::Whole)
        .collect())
}

/// What a keystroke reused of the last result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reused {
    /// All of it, moved.
    Whole,
    /// Linking's entities, moved; the other passes ran.
    Linking,
    /// Nothing: every pass ran.
    None,
}

/// [`typed_as_from_scratch`], saying for each keystroke what it reused.
fn typed_reusing(mut text: String, bursts: &[Burst]) -> Result<Vec<Reused>, TestCaseError> {
    let mut analyzer = Analyzer::default();
    analyzer.reset(&text);
    let mut moved = Vec::new();
    for b in bursts {
        for (start, old_end, insert) in keystrokes(&text, b) {
            text.replace_range(start..old_end, &insert);
            let edit = Edit {
                start,
                old_end,
                new_end: start + insert.len(),
            };
            let incremental = analyzer.update(&text, &[edit]);
            moved.push(if analyzer.reused_moved() {
                Reused::Whole
            } else if analyzer.reused_linking() {
                Reused::Linking
            } else {
                Reused::None
            });
            prop_assert_eq!(&*incremental, &analyze(&text), "text: {:?}", text);
        }
    }
    Ok(moved)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Keystroke by keystroke, where most edits only move what the document passes read
    /// (the analyzer then moves its last result instead of running them): any offset moved
    /// wrongly, or text read beyond the moved offsets (a name, a descriptor, a quotation's
    /// words), shows as a difference from the from-scratch analysis.
    #[test]
    fn keystrokes_equal_from_scratch(bursts in proptest::collection::vec(burst(), 1..5)) {
        typed_as_from_scratch(BASE.repeat(2), &bursts)?;
    }
}

#[test]
fn typing_inside_a_word_or_a_quotation_moves_the_last_result() {
    let text = BASE.repeat(4);
    // Inside "walked" (a lowercase word), inside the quotation "We will not back down", and
    // before the closing mark of "insulting": letter by letter.
    let inside = |needle: &str, k: usize| text.match_indices(needle).nth(k).map(|(i, _)| i);
    let bursts: Vec<Burst> = [
        inside("alked", 2).map(|i| (i, 0)),
        inside("ill not", 1).map(|i| (i, 0)),
        inside("”.", 3).map(|i| (i, 7)),
    ]
    .into_iter()
    .flatten()
    .map(|(at, t)| Burst::Type {
        at: text[..at].chars().count(),
        text: t,
    })
    .collect();
    assert_eq!(bursts.len(), 3);
    let moved = typed_as_from_scratch(text.clone(), &bursts).unwrap();
    // "xyz" in the word and in the quotation, "ing" before the closing mark.
    assert_eq!(moved, [true; 9]);
}

#[test]
fn typing_inside_a_name_or_a_descriptor_runs_the_passes_where_they_change() {
    let text = BASE.repeat(3);
    let at = |needle: &str| text[..text.find(needle).unwrap()].chars().count();
    // Inside the name "Brandt" the entity's name changes with every letter; inside "leader" in
    // "Ana Brandt, its leader" the first letter ends her descriptor (the next ones change
    // nothing the passes read).
    let name = Burst::Type {
        at: at("randt, its"),
        text: 0,
    };
    let descriptor = Burst::Type {
        at: at("eader."),
        text: 0,
    };
    assert_eq!(
        typed_as_from_scratch(text.clone(), &[name]).unwrap(),
        [false; 3]
    );
    assert_eq!(
        typed_as_from_scratch(text.clone(), &[descriptor]).unwrap(),
        [false, true, true]
    );
}

#[test]
fn a_quotation_mark_or_a_paragraph_break_reuses_linking() {
    let text = BASE.repeat(3);
    let at = |needle: &str| text[..text.find(needle).unwrap()].chars().count();
    // A mark opened at the end of a paragraph, the letters after it; a paragraph split in a
    // lowercase word and joined again (no mention changes: linking's result is moved, the
    // other passes run). A single line break inside the paragraph, and the last backspace of
    // the join, only move things.
    let mark = Burst::Type {
        at: at("\n“We will not"),
        text: 10,
    };
    let letters = Burst::Type {
        at: at("\n“We will not") + 1,
        text: 0,
    };
    let split = Burst::Type {
        at: at("alked out"),
        text: 3,
    };
    use Reused::{Linking, Whole};
    assert_eq!(
        typed_reusing(text.clone(), &[mark, letters]).unwrap(),
        [Linking, Whole, Whole, Whole]
    );
    // Before a paragraph that opens with a quotation: the new mark's quotation is continued.
    let at_break = at("\n\n“The talks");
    let mark = Burst::Type {
        at: at_break,
        text: 10,
    };
    let letters = Burst::Type {
        at: at_break + 1,
        text: 0,
    };
    assert_eq!(
        typed_reusing(text.clone(), &[mark, letters]).unwrap(),
        [Linking, Linking, Whole, Whole]
    );
    assert_eq!(
        typed_reusing(text.clone(), std::slice::from_ref(&split)).unwrap(),
        [Whole, Linking]
    );
    let join = Burst::Backspace {
        at: at("alked out") + 2,
        count: 2,
    };
    assert_eq!(
        typed_reusing(text.clone(), &[split, join]).unwrap(),
        [Whole, Linking, Linking, Whole]
    );
}

#[test]
fn attribution_resolves_the_paragraphs_near_a_structural_keystroke() {
    let text = BASE.repeat(20);
    let mut analyzer = Analyzer::default();
    analyzer.reset(&text);
    let paragraphs = analyzer.slots.len();
    assert_eq!(analyzer.attributed_paragraphs(), paragraphs);
    // A quotation mark and a letter after it at a paragraph's end, then a paragraph split
    // before them and joined again by backspaces, in the middle of the article.
    let at = text.match_indices("\n\n“The talks").nth(10).unwrap().0;
    let mut edited = text.clone();
    let mut attributed = Vec::new();
    let mut names = Vec::new();
    let split = text[..at].rfind(" the offer").unwrap();
    for (start, old_end, insert) in [
        (at, at, "“"),
        (at + 3, at + 3, "x"),
        (split, split, "\n\n"),
        (split + 1, split + 2, ""),
        (split, split + 1, ""),
    ] {
        edited.replace_range(start..old_end, insert);
        let edit = Edit {
            start,
            old_end,
            new_end: start + insert.len(),
        };
        let result = analyzer.update(&edited, &[edit]);
        assert_eq!(*result, analyze(&edited));
        attributed.push((analyzer.reused_linking(), analyzer.attributed_paragraphs()));
        names.push(analyzer.reused_name_index());
    }
    // The last backspace only moves things: nothing is resolved.
    let linking: Vec<bool> = attributed.iter().map(|a| a.0).collect();
    assert_eq!(linking, [true, true, true, true, false]);
    // No full name changed: the name index of the pass before serves each pass.
    assert_eq!(names, [true, true, true, true, false]);
    assert!(
        attributed.iter().all(|&(_, n)| n < 8),
        "{attributed:?} of {paragraphs}"
    );
}

#[test]
fn a_keystroke_reanalyses_one_paragraph() {
    let text = BASE.repeat(20);
    let mut analyzer = Analyzer::default();
    analyzer.reset(&text);
    let at = text.len() / 2;
    let at = (at..text.len())
        .find(|&i| text.is_char_boundary(i) && text[i..].starts_with(' '))
        .unwrap_or(at);
    let mut edited = text.clone();
    edited.insert(at, 'x');
    let result = analyzer.update(
        &edited,
        &[Edit {
            start: at,
            old_end: at,
            new_end: at + 1,
        }],
    );
    assert_eq!(analyzer.fresh_paragraphs(), 1);
    assert_eq!(*result, analyze(&edited));
}

#[test]
fn mismatched_edits_fall_back_to_a_full_analysis() {
    let mut analyzer = Analyzer::default();
    analyzer.reset("One.\nTwo.");
    let result = analyzer.update(
        "One.\nTwo.\nThree.",
        &[Edit {
            start: 0,
            old_end: 99,
            new_end: 0,
        }],
    );
    assert_eq!(*result, analyze("One.\nTwo.\nThree."));
}

/// A paragraph shown by deleting the fence before it is outside the re-split ones (the same
/// text, moved) but was not read as prose: its last mentions are not held for the second stage
/// (they are the first stage's, and its second-stage labels may not change to say so).
#[test]
fn a_paragraph_read_otherwise_than_before_holds_no_mentions() {
    let para = "Lise Moen, author of “Salt Roads,” told Tarnow Holdings the port would reopen.";
    let fence = "```\n\n";
    let mut text =
        format!("Port strike spreads\n\n{para}\n\nThe union met.\n\n{fence}{para}\n\nThe end.\n");
    let mut analyzer = Analyzer::default();
    analyzer.reset(&text);
    let at = text.find(fence).unwrap_or(0);
    let removed = Edit::apply(&mut text, at..at + fence.len(), "");
    let replaced = analyzer.resplit(&text, removed);
    let paragraphs = document::blocks_in_context(&analyzer.placed());
    let last = analyzer.last.as_ref().map(|l| (l, &paragraphs));
    let held = |i: usize| last.and_then(|(l, p)| held_mentions(&replaced, l, p, i));
    let copies: Vec<usize> = (0..paragraphs.len())
        .filter(|&i| paragraphs[i].prose(&text) == para)
        .collect();
    assert_eq!(copies.len(), 2);
    assert!(
        held(copies[0]).is_some(),
        "a prose paragraph the edit left alone"
    );
    assert!(
        held(copies[1]).is_none(),
        "the paragraph the fence no longer hides"
    );
    assert_eq!(
        *analyzer.finish(&text, Some((removed, replaced))),
        analyze(&text)
    );
}
