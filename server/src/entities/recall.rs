//! Mentions the tagger missed: a person's surname standing alone elsewhere in the article.
//!
//! The tagger decides word by word and sometimes misses a bare surname it tagged a paragraph
//! earlier (most often at the start of a sentence: "Lindqvist’s deputy said …"). Once the
//! article has named someone in full, an editor expects every later "Lindqvist" to be that
//! person, so the document pass adds those mentions before linking (the non-local consistency
//! step of Ratinov & Roth's NER, restricted to what linking can attach to a named person).

use rustc_hash::FxHashSet;

use super::RawMention;
use crate::analysis::model::{EntityKind, Span};

/// `mentions` (sorted by position) plus a person mention for every stand-alone occurrence of the
/// last word of a multi-word person name that no mention covers, in text order.
#[cfg(test)]
pub fn with_missed_surnames(text: &str, mentions: &[RawMention]) -> Vec<RawMention> {
    with_missed_surnames_among(text, mentions, capital_words(text).into_iter())
}

/// The words of `text` that may be a missed surname, in text order: those starting with an
/// ASCII capital or a non-ASCII character. Words never cross a line break, so a document's are
/// its paragraphs' (shifted): the analysis keeps them with each paragraph instead of scanning
/// the whole article on every keystroke.
pub fn capital_words(text: &str) -> Vec<Span> {
    words(text)
        // Every surname starts with a capital: other ASCII words need no lookup.
        .filter(|span| {
            !text.as_bytes()[span.start].is_ascii()
                || text.as_bytes()[span.start].is_ascii_uppercase()
        })
        .collect()
}

/// [`with_missed_surnames`], given the [`capital_words`] of `text` (document offsets, in order).
pub fn with_missed_surnames_among(
    text: &str,
    mentions: &[RawMention],
    candidates: impl Iterator<Item = Span>,
) -> Vec<RawMention> {
    let surnames = surnames(text, mentions);
    if surnames.is_empty() {
        return mentions.to_vec();
    }
    let mut covered: Vec<Span> = mentions.iter().map(|m| m.span).collect();
    covered.sort_by_key(|s| s.start);
    let overlaps = |span: Span| {
        let after = covered.partition_point(|s| s.end <= span.start);
        covered.get(after).is_some_and(|s| s.start < span.end)
    };
    let filter = FirstByteAndLength::of(&surnames);
    let mut found: Vec<RawMention> = candidates
        .filter(|span| {
            text.get(span.start..span.end)
                .is_some_and(|w| filter.may_hold(w) && surnames.contains(w))
                && !overlaps(*span)
        })
        .map(|span| RawMention {
            span,
            kind: EntityKind::Person,
        })
        .collect();
    if found.is_empty() {
        return mentions.to_vec();
    }
    found.extend_from_slice(mentions);
    found.sort_by_key(|m| (m.span.start, m.span.end));
    found
}

/// Which (first byte, length) pairs the surnames have: most of an article's capitalised words
/// ("The", "He", sentence starts) have none of them and need no hash lookup, which matters as
/// every capitalised word of the article is looked at on every keystroke.
struct FirstByteAndLength {
    /// Bit `len % 64` of `bits[first byte]`.
    bits: [u64; 256],
}

impl FirstByteAndLength {
    fn of(words: &FxHashSet<&str>) -> Self {
        let mut bits = [0u64; 256];
        for w in words {
            if let Some(&b) = w.as_bytes().first() {
                bits[usize::from(b)] |= 1 << (w.len() % 64);
            }
        }
        FirstByteAndLength { bits }
    }

    /// False only when `word` is certainly none of the words.
    fn may_hold(&self, word: &str) -> bool {
        word.as_bytes()
            .first()
            .is_some_and(|&b| self.bits[usize::from(b)] & (1 << (word.len() % 64)) != 0)
    }
}

/// Last words of the person mentions that have at least two words: capitalised, three letters or
/// more, without a possessive ending.
fn surnames<'t>(text: &'t str, mentions: &[RawMention]) -> FxHashSet<&'t str> {
    let mut out = FxHashSet::default();
    for m in mentions.iter().filter(|m| m.kind == EntityKind::Person) {
        let Some(name) = text.get(m.span.start..m.span.end) else {
            continue;
        };
        let mut words = name.split_whitespace();
        let Some(last) = words.next_back() else {
            continue;
        };
        if words.next().is_none() {
            continue; // a single word
        }
        let last = last
            .strip_suffix("’s")
            .or_else(|| last.strip_suffix("'s"))
            .unwrap_or(last);
        if last.chars().count() >= 3
            && last.chars().next().is_some_and(char::is_uppercase)
            && last.chars().all(char::is_alphanumeric)
        {
            out.insert(last);
        }
    }
    out
}

/// Spans of the words of `text`: maximal runs of letters and digits (hyphens and apostrophes end
/// a word, so "Lindqvist’s" yields "Lindqvist"). This runs over the whole article on every
/// keystroke, so it walks bytes and decodes only non-ASCII characters.
fn words(text: &str) -> impl Iterator<Item = Span> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        let mut start: Option<usize> = None;
        while i < bytes.len() {
            let b = bytes[i];
            let (alphanumeric, len) = if b.is_ascii() {
                (b.is_ascii_alphanumeric(), 1)
            } else {
                text.get(i..)
                    .and_then(|rest| rest.chars().next())
                    .map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8()))
            };
            if alphanumeric {
                start.get_or_insert(i);
            } else if let Some(s) = start {
                let span = Span::new(s, i);
                i += len;
                return Some(span);
            }
            i += len;
        }
        start.map(|s| Span::new(s, text.len()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(text: &str, name: &str, kind: EntityKind) -> RawMention {
        let start = text.find(name).expect("name in text");
        RawMention {
            span: Span::new(start, start + name.len()),
            kind,
        }
    }

    #[test]
    fn a_bare_possessive_surname_the_tagger_missed_becomes_a_mention() {
        let text = "Tobias Lindqvist spoke. Lindqvist’s deputy, Hanne Brekke, agreed.";
        let found = with_missed_surnames(
            text,
            &[
                mention(text, "Tobias Lindqvist", EntityKind::Person),
                mention(text, "Hanne Brekke", EntityKind::Person),
            ],
        );
        let spans: Vec<&str> = found
            .iter()
            .map(|m| &text[m.span.start..m.span.end])
            .collect();
        assert_eq!(spans, ["Tobias Lindqvist", "Lindqvist", "Hanne Brekke"]);
        assert_eq!(found[1].kind, EntityKind::Person);
    }

    #[test]
    fn covered_words_single_names_and_parts_of_other_words_are_left_alone() {
        let text = "Ann Ode met Ode Group. Odense voted; Ode left. Smith said.";
        let found = with_missed_surnames(
            text,
            &[
                mention(text, "Ann Ode", EntityKind::Person),
                mention(text, "Ode Group", EntityKind::Organization),
                mention(text, "Smith", EntityKind::Person),
            ],
        );
        let spans: Vec<(usize, &str)> = found
            .iter()
            .map(|m| (m.span.start, &text[m.span.start..m.span.end]))
            .collect();
        assert_eq!(
            spans,
            [
                (0, "Ann Ode"),
                (12, "Ode Group"),
                (37, "Ode"),
                (47, "Smith")
            ]
        );
    }
}
