//! A rule-based recogniser from capitalisation alone: runs of capitalised words, typed by cues.
//! It stands in where the statistical tagger is not available and documents the baseline.

use super::names::{is_capitalised, title_ending_at};
use super::RawMention;
use crate::analysis::model::{EntityKind, Span};
use crate::text::tokenize;

/// Capitalised words that open sentences and clauses rather than names.
#[rustfmt::skip]
const FUNCTION_WORDS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "We",
    "They",
    "I",
    "You",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "This",
    "That",
    "These",
    "Those",
    "But",
    "And",
    "Or",
    "In",
    "On",
    "At",
    "For",
    "With",
    "From",
    "By",
    "As",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "Since",
    "Both",
    "Some",
    "All",
    "There",
    "Here",
    "What",
    "Who",
    "How",
    "Why",
    "Except",
    "Deepening",
    "Greater",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan.",
    "Feb.",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
];

/// Words that make a capitalised run an organisation.
#[rustfmt::skip]
const ORG_WORDS: &[&str] = &[
    "University",
    "Institute",
    "Institution",
    "Bank",
    "Agency",
    "Ministry",
    "Party",
    "Council",
    "Committee",
    "Corp.",
    "Inc.",
    "Ltd",
    "Co.",
    "Company",
    "Association",
    "Union",
    "Commission",
    "Organization",
    "Organisation",
    "Group",
    "Court",
    "Department",
    "Foundation",
    "Fund",
    "Army",
    "Police",
    "Congress",
    "Parliament",
    "Reuters",
    "Times",
    "Post",
    "News",
    "Club",
    "Senate",
];

/// Lowercase words that may join capitalised words inside one name ("Bank for International").
const CONNECTORS: &[&str] = &["of", "for", "and", "de", "van", "von", "del", "la", "al"];

pub fn recognize(text: &str) -> Vec<RawMention> {
    let spans = tokenize(text);
    let words: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
    let mut mentions = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if !is_name_word(words[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        loop {
            if end < words.len() && is_name_word(words[end]) {
                end += 1;
            } else if end + 1 < words.len()
                && CONNECTORS.contains(&words[end])
                && is_name_word(words[end + 1])
                && words[start..end].iter().any(|w| ORG_WORDS.contains(w))
            {
                end += 2;
            } else {
                break;
            }
        }
        i = end;
        // Titles lead into a name but are not part of it.
        let mut first = start;
        while first < end {
            let title = (first + 1..=end)
                .rev()
                .find(|&e| title_ending_at(&words[first..e], e - first) == Some(e - first));
            match title {
                Some(e) if e < end => first = e,
                _ => break,
            }
        }
        let titled = first > start;
        let kind = if words[first..end].iter().any(|w| ORG_WORDS.contains(w)) {
            EntityKind::Organization
        } else if titled || (end - first >= 2 && words[first..end].iter().all(|w| !w.contains('.')))
        {
            EntityKind::Person
        } else if end - first == 1
            && is_demonym_shape(words[first])
            && words
                .get(end)
                .is_some_and(|w| w.chars().all(char::is_lowercase))
        {
            EntityKind::Misc
        } else {
            EntityKind::Location
        };
        mentions.push(RawMention {
            span: Span::new(spans[first].start, spans[end - 1].end),
            kind,
        });
    }
    mentions
}

/// "Japanese", "Korean", "Brazilian" before a lowercase noun: an adjective of nationality.
fn is_demonym_shape(word: &str) -> bool {
    ["ese", "ian", "an", "ish", "i"]
        .iter()
        .any(|suffix| word.ends_with(suffix))
}

fn is_name_word(word: &str) -> bool {
    is_capitalised(word) && !FUNCTION_WORDS.contains(&word) && word.chars().any(char::is_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, EntityKind)> {
        recognize(text)
            .into_iter()
            .map(|m| (&text[m.span.start..m.span.end], m.kind))
            .collect()
    }

    #[test]
    fn capitalised_runs_typed_by_cues() {
        assert_eq!(
            found("Mayor Ilse Varga of Tarnow spoke at Ostrava University on Monday."),
            [
                ("Ilse Varga", EntityKind::Person),
                ("Tarnow", EntityKind::Location),
                ("Ostrava University", EntityKind::Organization)
            ]
        );
        assert_eq!(
            found("The Bank for Coastal Trade said."),
            [("Bank for Coastal Trade", EntityKind::Organization)]
        );
    }
}
