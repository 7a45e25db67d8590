//! What a paired quotation holds: full speech, a partial fragment, or a term (scare quotes,
//! the title of a work).

use super::marks::is_mark;
use crate::analysis::attribution::lexicon::is_title_case_small_word;
use crate::analysis::model::{QuoteKind, Span};
use crate::analysis::paragraph::QuoteCandidate;

/// Words in `text`: runs of non-space characters holding a letter or digit.
fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Kinds of creative work whose titles newsrooms set in quotation marks (AP style: books,
/// films, songs, albums, radio and TV programmes, plays, poems, works of art). Title Case words
/// in marks right after one of them name the work, they quote nobody: `her memoir, “Water at
/// the Door”`. Statements with titles (memos, editorials, columns, speeches, reports) are left
/// out on purpose: their titles are their authors' words.
#[rustfmt::skip]
const WORK_NOUNS: &[&str] = &[
    "book", "books", "novel", "novels", "memoir", "memoirs", "biography", "autobiography", "film", "films",
    "movie", "movies", "documentary", "documentaries", "song", "songs", "anthem", "hymn", "album", "albums",
    "single", "ballad", "show", "shows", "program", "programs", "programme", "programmes", "series", "sitcom",
    "episode", "play", "musical", "opera", "poem", "painting", "podcast", "drama", "dramas", "thriller",
    "comedy", "novella", "miniseries", "essay", "sculpture", "exhibition",
];

/// A part of a work or someone who made or is in it, before "of": `an episode of “Harbour
/// Nights”`, `the star of “The Long Tide”`, `a co-author of “Salt and Iron”`.
#[rustfmt::skip]
const PART_OF_WORK: &[&str] = &[
    "episode", "episodes", "edition", "installment", "instalment", "season", "chapter", "issue", "cast", "star",
    "host", "finale", "premiere", "author", "co-author", "editor", "co-editor", "director", "creator", "producer",
    "composer",
];

/// Whether the quotation at `span` (marks included) of `prose` names a work instead of quoting
/// anyone: its words are in Title Case and it follows a kind of work (`the documentary “Nine
/// Feet of Water”`), a part of one or its maker (`an episode of “The Harbour Hour”`) or a
/// broadcaster's possessive after "on" or "with" (`said on KPEL's “Morning Desk”`), or comes
/// right after "on" or "told" (`speaking on “The Harbour Hour”`), or it stands alone as its
/// paragraph in single marks, the headline style of a subhead (`'The Wall Will Hold.'`).
pub(crate) fn names_a_work(prose: &str, span: Span) -> bool {
    let Some(quoted) = prose.get(span.start..span.end) else {
        return false;
    };
    if !is_title_case(quoted.trim_matches(is_mark)) {
        return false;
    }
    if prose.trim() == quoted
        && quoted.starts_with(['‘', '\''])
        && !quoted.starts_with("''")
        && !quoted.contains('\n')
    {
        return true;
    }
    let before = prose[..span.start].trim_end();
    let before = before.strip_suffix([',', ':']).unwrap_or(before);
    let words: Vec<&str> = before.split_whitespace().rev().take(5).collect();
    let lower = |i: usize| {
        words.get(i).map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
    };
    let Some(last) = lower(0) else { return false };
    if WORK_NOUNS.contains(&last.as_str()) {
        return true;
    }
    // `appeared on “Meet the Harbour”`, `told “Morning Desk”`: a programme or publication
    // someone spoke on or to. Two words at least: one capitalised word after "on" may be a term
    // (`insisted on “Yes”`).
    if matches!(last.as_str(), "on" | "told") && word_count(quoted) >= 2 {
        return true;
    }
    let of_at = usize::from(last == "the");
    if lower(of_at).as_deref() == Some("of")
        && lower(of_at + 1).is_some_and(|w| PART_OF_WORK.contains(&w.as_str()))
    {
        return true;
    }
    broadcaster_before(&words)
}

/// `on KPEL's`, `on Harbour Radio’s`, `an interview with KPEL's`: "on" or "with", then up to
/// three capitalised words, the last a possessive. `words` are the words before the quotation,
/// nearest first.
fn broadcaster_before(words: &[&str]) -> bool {
    let Some(owner) = words.first() else {
        return false;
    };
    let possessive = owner.ends_with("'s") || owner.ends_with("’s") || owner.ends_with(['\'', '’']);
    if !possessive || !owner.starts_with(char::is_uppercase) {
        return false;
    }
    words
        .iter()
        .skip(1)
        .take(3)
        .position(|w| !w.starts_with(char::is_uppercase))
        .is_some_and(|i| matches!(words[i + 1], "on" | "with"))
}

/// Title Case: every word capitalised but the small ones ("a", "of", "the" …), at least one
/// capitalised; digits and punctuation pass (`Sharkfall 2: The Return`).
fn is_title_case(text: &str) -> bool {
    let mut capitalised = false;
    for word in text.split_whitespace() {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        let Some(first) = word.chars().next() else {
            continue;
        };
        if first.is_uppercase() {
            capitalised = true;
        } else if first.is_lowercase() && !is_title_case_small_word(word) {
            return false;
        }
    }
    capitalised
}

/// Full (a sentence or more of speech), partial (a fragment woven into the reporter's sentence)
/// or term (scare quotes, a name of a thing).
pub(super) fn classify_kind(prose: &str, c: &QuoteCandidate) -> QuoteKind {
    let inner = c.inner();
    let words_text = prose[inner.start..inner.end].trim();
    let words = word_count(words_text);
    // Past the closing mark of a nested quotation: “… what they called ‘the rescue,’”.
    let ends_with_punct = words_text
        .trim_end_matches(['’', '\'', '”', '"'])
        .ends_with(['.', ',', '!', '?', ';', ':', '…', '—', '–', '-']);
    if c.open_mark.is_none() || c.close_mark.is_none() {
        return QuoteKind::Full;
    }
    if names_a_work(prose, c.span) {
        return QuoteKind::Term;
    }
    let first_letter = words_text.chars().find(|ch| ch.is_alphanumeric());
    let starts_capital = first_letter.is_some_and(|ch| ch.is_uppercase() || ch.is_ascii_digit());
    let before = prose[..c.span.start].trim_end();
    let opens_sentence = before.is_empty()
        || before.ends_with(['.', '!', '?', ':', '…', '”', '"', '—', '–'])
        || before.ends_with(|ch: char| is_mark(ch));
    let introduced = before.ends_with(',');
    let after = &prose[c.span.end..];
    let punct_after = after.starts_with([',', '.', '!', '?', ';']);
    // A few words inside a sentence are a term (American style puts the period inside even
    // then: a “fair deal.”); at the start of a sentence they are a term only without
    // punctuation of their own (“Sacred” ground).
    let sentence_inside = starts_capital && words_text.ends_with(['.', '!', '?']);
    if words <= 3
        && !sentence_inside
        && (!(opens_sentence || introduced) || !(ends_with_punct || punct_after))
    {
        return QuoteKind::Term;
    }
    if (ends_with_punct || punct_after) && (starts_capital || opens_sentence || introduced) {
        return QuoteKind::Full;
    }
    QuoteKind::Partial
}
