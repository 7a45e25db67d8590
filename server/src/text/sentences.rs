//! Sentence splitting that survives news text: abbreviations, initials, decimals and money,
//! ellipses, and quotations that end sentences.
//!
//! A sentence ends at `.`, `!`, `?` or an ellipsis, together with any closing quote marks and
//! brackets after it, when what follows is whitespace and then something that can start a
//! sentence (an uppercase letter, a digit, an opening quote mark or bracket) or the end of the
//! text. A period does not end a sentence after a known abbreviation ("Sen.", "Jan.", "Inc."),
//! an initial ("George W. Bush") or an initialism ("U.S.") unless a word that typically opens
//! a sentence follows ("… in the U.S. The talks …").

use crate::analysis::Span;

/// Abbreviations that take a period and are normally followed by more of the same sentence.
/// Compared case-sensitively against the word before the period (without the period).
#[rustfmt::skip]
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Messrs", "Dr", "Prof", "Gov", "Govs", "Sen", "Sens", "Rep", "Reps", "Gen",
    "Lt", "Col", "Maj", "Capt", "Cmdr", "Adm", "Sgt", "Cpl", "Pvt", "Rev", "Hon", "Pres", "Supt",
    "Det", "Insp", "Amb", "Sec", "Atty", "Gov", "St", "Ste", "Mt", "Ft", "Jr", "Sr", "Inc", "Corp",
    "Co", "Ltd", "Bros", "Plc", "No", "Nos", "Vol", "Ch", "Art", "Fig", "Jan", "Feb", "Mar", "Apr",
    "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Mon", "Tue", "Tues", "Wed", "Thu",
    "Thur", "Thurs", "Fri", "Sat", "Sun", "vs", "v", "approx", "est", "dept", "Dept", "Univ",
    "Ave", "Blvd", "Rd", "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga", "Ill",
    "Ind", "Kan", "Ky", "La", "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev",
    "Okla", "Ore", "Pa", "Tenn", "Tex", "Va", "Vt", "Wash", "Wis", "Wyo", "a.m", "p.m", "e.g",
    "i.e", "cf", "al",
];

/// Words that usually open a sentence: after an initialism ("U.S.") they mark a boundary.
#[rustfmt::skip]
const SENTENCE_OPENERS: &[&str] = &[
    "The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "His", "Her", "Its", "Their",
    "Our", "This", "That", "These", "Those", "There", "But", "And", "Yet", "So", "In", "On", "At",
    "For", "As", "If", "When", "While", "After", "Before", "Since", "Some", "Many", "Most", "No",
    "Officials", "However",
];

/// Split `text` into sentences: byte spans in order, without surrounding whitespace.
pub fn split_sentences(text: &str) -> Vec<Span> {
    let mut sentences = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if start.is_none() {
            if c.is_whitespace() {
                continue;
            }
            start = Some(i);
        }
        let is_terminal = matches!(c, '.' | '!' | '?' | '…');
        if !is_terminal {
            continue;
        }
        // Absorb a run of terminal punctuation ("?!", "...") and closing marks after it.
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if matches!(d, '.' | '!' | '?' | '…') || is_closing(d) {
                end = j + d.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        if boundary_after(text, i, end) {
            if let Some(s) = start.take() {
                sentences.push(Span::new(s, end));
            }
        }
    }
    if let Some(s) = start {
        let end = text.trim_end().len().max(s);
        if end > s {
            sentences.push(Span::new(s, end));
        }
    }
    sentences
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '”' | '’' | '"' | '\'' | '»' | '›' | ')' | ']' | '“' | '‘' | '*' | '_'
    )
}

fn is_opening(c: char) -> bool {
    matches!(
        c,
        '“' | '‘' | '"' | '\'' | '«' | '‹' | '„' | '‚' | '(' | '[' | '—' | '–' | '-'
    )
}

/// Whether a sentence ends after the punctuation run `punct..end` (the run starts at `punct`).
fn boundary_after(text: &str, punct: usize, end: usize) -> bool {
    let rest = &text[end..];
    let trimmed = rest.trim_start();
    if trimmed.is_empty() {
        return true;
    }
    if trimmed.len() == rest.len() {
        // No whitespace after the punctuation: "4.5", "U.S", "Yahoo!Inc".
        return false;
    }
    let Some(next) = trimmed.chars().next() else {
        return true;
    };
    let starts_sentence = next.is_uppercase() || next.is_ascii_digit() || is_opening(next);
    if !starts_sentence {
        return false;
    }
    let run = &text[punct..end];
    if !run.starts_with('.') || run.starts_with("...") {
        return true;
    }
    if run.len() > 1 && run[1..].chars().any(|c| matches!(c, '.' | '!' | '?' | '…')) {
        return true;
    }
    // A single period: look at the word before it.
    let word = word_before(text, punct);
    if word.is_empty() {
        return true;
    }
    let next_word = first_word(trimmed);
    if is_initialism(word) {
        // "U.S. President" continues; "the U.S. The talks" ends.
        return SENTENCE_OPENERS.contains(&next_word);
    }
    if ABBREVIATIONS.contains(&word) {
        return false;
    }
    if word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase()) {
        // An initial: "George W. Bush". ("… said Plan B. The …" is rarer than initials.)
        return SENTENCE_OPENERS.contains(&next_word);
    }
    true
}

/// The word (letters, digits, inner periods) that ends at byte `end`.
fn word_before(text: &str, end: usize) -> &str {
    let head = &text[..end];
    let start = head
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric() || c == '.')
        .last()
        .map_or(end, |(i, _)| i);
    head[start..].trim_start_matches('.')
}

fn first_word(text: &str) -> &str {
    let text = text.trim_start_matches(|c: char| is_opening(c));
    let end = text
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(text.len());
    &text[..end]
}

/// "U.S", "U.K", "a.m": single letters separated by periods.
fn is_initialism(word: &str) -> bool {
    word.contains('.') && word.split('.').all(|part| part.chars().count() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        split_sentences(text)
            .into_iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn abbreviations_and_titles_do_not_end_sentences() {
        assert_eq!(
            sentences("Sen. Ada Brandt met Gov. Ruiz and Dr. Okafor on Jan. 21. They agreed."),
            vec![
                "Sen. Ada Brandt met Gov. Ruiz and Dr. Okafor on Jan. 21.",
                "They agreed."
            ]
        );
        assert_eq!(
            sentences("Halvorsen Inc. said No. 2 was next. Mr. Lund agreed."),
            vec!["Halvorsen Inc. said No. 2 was next.", "Mr. Lund agreed."]
        );
    }

    #[test]
    fn initials_initialisms_decimals_and_money() {
        assert_eq!(
            sentences("George W. Bush visited the U.S. Senate. Growth was 8.5% and cost $4.5 billion. The U.K. agreed."),
            vec![
                "George W. Bush visited the U.S. Senate.",
                "Growth was 8.5% and cost $4.5 billion.",
                "The U.K. agreed."
            ]
        );
        assert_eq!(
            sentences("He moved to the U.S. The move was quick."),
            vec!["He moved to the U.S.", "The move was quick."]
        );
    }

    #[test]
    fn ellipses() {
        assert_eq!(
            sentences("We will … try again. And then... We left... quietly."),
            vec!["We will … try again.", "And then...", "We left... quietly."]
        );
    }

    #[test]
    fn quotations_that_end_sentences() {
        assert_eq!(
            sentences("“We will win,” he said. “It is over.” She left. \"Why?\" he asked."),
            vec![
                "“We will win,” he said.",
                "“It is over.”",
                "She left.",
                "\"Why?\" he asked."
            ]
        );
        assert_eq!(
            sentences("It said it would change “its policies.” Talks resume on Monday"),
            vec![
                "It said it would change “its policies.”",
                "Talks resume on Monday"
            ]
        );
    }

    #[test]
    fn empty_and_blank_text() {
        assert!(sentences("").is_empty());
        assert!(sentences("   \n ").is_empty());
        assert_eq!(sentences("  No end "), vec!["No end"]);
    }
}
