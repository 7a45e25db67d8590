//! Titles of works in quotation marks (`the drama “Harbour Lights”`) as one misc mention each.
//!
//! The tagger reads a title's capitalised words as whatever names they resemble ("Salt Roads" a
//! place, "Harbour" of "Harbour Lights" a company), and linking then joins them to real entities
//! of that name. Quotation marks around Title Case words right after a kind of work or its maker
//! ([`crate::analysis::quotes::names_a_work`]) say what the words are: the name of a work, which
//! CoNLL and newsroom style alike treat as misc.

use super::RawMention;
use crate::analysis::model::{EntityKind, QuoteKind, Span};
use crate::analysis::paragraph::QuoteCandidate;

/// More words than this in marks are a quotation that happens to be in Title Case, not a title.
const MAX_TITLE_WORDS: usize = 12;

/// Replaces the mentions inside each quoted title of a work in one paragraph with a single misc
/// mention of the whole title. `prose`, `quotes` and `mentions` are the paragraph's (paragraph
/// offsets); `mentions` stay in text order.
pub(crate) fn name_quoted_works(
    prose: &str,
    quotes: &[QuoteCandidate],
    mentions: &mut Vec<RawMention>,
) {
    for quote in quotes {
        // Classification already read every marked title of a work as a term; the test below
        // runs only on those.
        if quote.kind != QuoteKind::Term || quote.open_mark.is_none() || quote.close_mark.is_none()
        {
            continue;
        }
        if !crate::analysis::quotes::names_a_work(prose, quote.span) {
            continue;
        }
        let Some(title) = title_span(prose, quote.inner()) else {
            continue;
        };
        mentions.retain(|m| m.span.end <= title.start || m.span.start >= title.end);
        let at = mentions.partition_point(|m| m.span.start < title.start);
        mentions.insert(
            at,
            RawMention {
                span: title,
                kind: EntityKind::Misc,
            },
        );
    }
}

/// The title's words inside the marks, without the punctuation American style puts inside them
/// (`“Salt Roads,”`); `None` when empty or too long to be a title.
fn title_span(prose: &str, inner: Span) -> Option<Span> {
    let text = prose.get(inner.start..inner.end)?;
    let start = inner.start + (text.len() - text.trim_start().len());
    let trimmed = text
        .trim()
        .trim_end_matches([',', '.', ';', ':'])
        .trim_end();
    if trimmed.is_empty() || trimmed.split_whitespace().count() > MAX_TITLE_WORDS {
        return None;
    }
    Some(Span::new(start, start + trimmed.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(text: &str, mut mentions: Vec<RawMention>) -> Vec<(String, EntityKind)> {
        let quotes = crate::analysis::quotes::find_quotes(text);
        name_quoted_works(text, &quotes, &mut mentions);
        mentions
            .iter()
            .map(|m| (text[m.span.start..m.span.end].to_owned(), m.kind))
            .collect()
    }

    fn mention(text: &str, words: &str, kind: EntityKind) -> RawMention {
        let start = text.find(words).unwrap();
        RawMention {
            span: Span::new(start, start + words.len()),
            kind,
        }
    }

    #[test]
    fn a_quoted_title_after_a_kind_of_work_is_one_misc_mention() {
        let text = "Kari Lunde, star of the drama “Harbour Lights,” thanked Dahl.";
        let found = titles(
            text,
            vec![
                mention(text, "Kari Lunde", EntityKind::Person),
                mention(text, "Harbour", EntityKind::Organization),
                mention(text, "Dahl", EntityKind::Person),
            ],
        );
        assert_eq!(
            found,
            [
                ("Kari Lunde".to_owned(), EntityKind::Person),
                ("Harbour Lights".to_owned(), EntityKind::Misc),
                ("Dahl".to_owned(), EntityKind::Person),
            ]
        );
    }

    #[test]
    fn a_title_the_tagger_missed_is_still_named() {
        let text = "Lise Moen, author of “Salt Roads,” spoke in Bergen.";
        let found = titles(text, vec![mention(text, "Lise Moen", EntityKind::Person)]);
        assert_eq!(
            found,
            [
                ("Lise Moen".to_owned(), EntityKind::Person),
                ("Salt Roads".to_owned(), EntityKind::Misc),
            ]
        );
    }

    #[test]
    fn quoted_names_without_a_work_before_them_keep_their_kind() {
        let text = "Members of “Save Harbour Freight” met at Oslo, Holm said.";
        let found = titles(
            text,
            vec![mention(text, "Harbour Freight", EntityKind::Organization)],
        );
        assert_eq!(
            found,
            [("Harbour Freight".to_owned(), EntityKind::Organization)]
        );
    }
}
