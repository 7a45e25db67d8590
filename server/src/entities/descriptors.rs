//! Descriptors of a person as the article presents them: the title phrase before the name
//! ("Japanese Prime Minister"), appositives on either side ("…, an analyst with the …,"; "its
//! ambassador to …, NAME,"), and copular statements ("NAME became Japanese prime minister").

use super::names::{is_capitalised, ROLE_NOUNS, TITLES, TITLE_MODIFIERS};
use crate::analysis::model::Span;
use crate::text::window_tokens;

/// How far around a name (in bytes) descriptors are looked for.
const WINDOW: usize = 240;
/// Longest appositive or copular phrase kept, in tokens.
const MAX_PHRASE: usize = 20;

/// A token of the text around a name, in document offsets.
#[derive(Debug, Clone, Copy)]
pub struct Tok<'a> {
    pub span: Span,
    pub text: &'a str,
}

/// Tokens of `text[from..to]` (clamped to char boundaries) in document offsets: the tokens of
/// that slice, read from one tokenisation of the text shared by the windows around every name
/// ([`window_tokens`]).
pub fn tokens_in(text: &str, from: usize, to: usize) -> Vec<Tok<'_>> {
    window_tokens(text, from, to)
        .into_iter()
        .map(|span| Tok {
            span,
            text: &text[span.start..span.end],
        })
        .collect()
}

/// Tokens that end just before `pos`, starting at a whitespace boundary so none is cut, and
/// after the last blank line: what an earlier paragraph says ("… and residents" left
/// unfinished above "Gallardo said") describes no one in this one.
pub fn tokens_before(text: &str, pos: usize) -> Vec<Tok<'_>> {
    let mut from = pos.saturating_sub(WINDOW);
    while from > 0 && !text.is_char_boundary(from) {
        from -= 1;
    }
    if from > 0 {
        if let Some(ws) = text[from..pos.min(text.len())].find(char::is_whitespace) {
            from += ws;
        }
    }
    if let Some(gap) = text.get(from..pos) {
        if let Some(end) = last_blank_line_end(gap) {
            from += end;
        }
    }
    tokens_in(text, from, pos)
}

/// Where the last blank line of `s` ends (just after its closing line break), if it has one.
fn last_blank_line_end(s: &str) -> Option<usize> {
    let mut end = s.len();
    while let Some(nl) = s[..end].rfind('\n') {
        let before = &s[..nl];
        let line_start = before.rfind('\n')?;
        if before[line_start + 1..].trim().is_empty() {
            return Some(nl + 1);
        }
        end = nl;
    }
    None
}

/// Where the first blank line of `s` starts (at its opening line break), if it has one.
fn first_blank_line_start(s: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(k) = s[from..].find('\n') {
        let nl = from + k;
        let after = &s[nl + 1..];
        let line_end = after.find('\n')?;
        if after[..line_end].trim().is_empty() {
            return Some(nl);
        }
        from = nl + 1;
    }
    None
}

/// Tokens that start at or after `pos`, up to the window's end (cut at whitespace) or the
/// first blank line.
fn tokens_after(text: &str, pos: usize) -> Vec<Tok<'_>> {
    let mut to = (pos + WINDOW).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    if to < text.len() {
        if let Some(ws) = text[pos.min(to)..to].rfind(char::is_whitespace) {
            to = pos + ws;
        }
    }
    if let Some(start) = text.get(pos..to).and_then(first_blank_line_start) {
        to = pos + start;
    }
    tokens_in(text, pos, to)
}

/// Tokens that end a phrase: punctuation, quotation marks and line breaks are handled by callers.
fn ends_phrase(tok: &str) -> bool {
    matches!(
        tok,
        "." | ","
            | ";"
            | ":"
            | "!"
            | "?"
            | "("
            | ")"
            | "["
            | "]"
            | "\""
            | "“"
            | "”"
            | "‘"
            | "’"
            | "–"
            | "—"
            | "--"
            | "-"
    )
}

fn is_role(tok: &str) -> bool {
    let lower = tok.to_lowercase();
    ROLE_NOUNS.contains(&lower.as_str())
}

fn is_title_word(tok: &str) -> bool {
    TITLES.iter().any(|t| t.contains(&tok))
}

#[rustfmt::skip]
const DETERMINERS: &[&str] = &[
    "a", "an", "the", "its", "his", "her", "their", "our", "A", "An", "The", "Its", "His", "Her",
    "Their",
];
#[rustfmt::skip]
const CLAUSE_STOPS: &[&str] = &[
    "last", "this", "next", "since", "when", "amid", "after", "before", "until", "but", "because",
    "while", "who", "which", "that", "said", "says", "told", "and", "in", "on", "earlier", "later",
];
#[rustfmt::skip]
const COPULAS: &[&[&str]] = &[
    &["became"],
    &["becomes"],
    &["is"],
    &["was"],
    &["has", "been"],
    &["had", "been"],
    &["remains"],
    &["served", "as"],
    &["serves", "as"],
    &["was", "named"],
    &["was", "appointed"],
    &["was", "elected"],
];
/// Courtesy titles say nothing about who someone is.
const COURTESY: &[&str] = &["Mr.", "Mrs.", "Ms.", "Mr", "Mrs", "Ms"];

/// Whether a phrase reads as a description of a person: a role noun among its first words.
fn describes(phrase: &[Tok<'_>]) -> bool {
    phrase.iter().take(5).any(|t| is_role(t.text))
}

fn text_of(text: &str, phrase: &[Tok<'_>]) -> Option<String> {
    let (first, last) = (phrase.first()?, phrase.last()?);
    Some(
        text.get(first.span.start..last.span.end)?
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Descriptors around one mention whose bare name (no title) is `name`.
pub fn around(text: &str, name: Span) -> Vec<String> {
    let mut found = Vec::new();
    let before = tokens_before(text, name.start);
    let after = tokens_after(text, name.end);
    found.extend(title_before(text, &before));
    found.extend(appositive_before(text, &before, &after));
    found.extend(after_name(text, &after));
    found
}

/// "Japanese Prime Minister", "Chinese foreign ministry spokesman": words before the name that
/// end in a title or role noun.
fn title_before(text: &str, before: &[Tok<'_>]) -> Option<String> {
    let last = before.last()?;
    if !(is_title_word(last.text) || is_role(last.text)) || COURTESY.contains(&last.text) {
        return None;
    }
    let mut start = before.len() - 1;
    while start > 0 {
        let t = before[start - 1].text;
        let fits = (is_capitalised(t) && !DETERMINERS.contains(&t) && !ends_phrase(t))
            || TITLE_MODIFIERS.contains(&t)
            || is_role(t)
            || (t == "of" && start >= 2 && is_capitalised(before[start - 2].text));
        // A line break ends the phrase: the previous line is another paragraph or a dateline.
        let joined = text
            .get(before[start - 1].span.end..before[start].span.start)
            .is_some_and(|gap| !gap.contains('\n'));
        if !fits || !joined {
            break;
        }
        start -= 1;
    }
    // Capitalised words that merely open the sentence ("Of", "Then") are not kept.
    while start < before.len() - 1 && before[start].text == "of" {
        start += 1;
    }
    text_of(text, &before[start..])
}

/// "its ambassador to the United States, NAME," — a descriptive phrase set off before the name.
fn appositive_before(text: &str, before: &[Tok<'_>], after: &[Tok<'_>]) -> Option<String> {
    if before.last()?.text != "," || after.first().map(|t| t.text) != Some(",") {
        return None;
    }
    let end = before.len() - 1;
    let clause = before[..end]
        .iter()
        .rposition(|t| ends_phrase(t.text))
        .map_or(0, |p| p + 1);
    // The phrase opens at a determiner followed closely by a role noun ("its ambassador").
    let start = (clause..end).find(|&p| {
        DETERMINERS.contains(&before[p].text)
            && before[p + 1..end].iter().take(4).any(|t| is_role(t.text))
    })?;
    let phrase = &before[start..end];
    if phrase.len() > 12 {
        return None;
    }
    text_of(text, phrase)
}

/// ", an analyst with …," / ", governor of …," / ", who was …" / " became Japanese prime minister".
fn after_name(text: &str, after: &[Tok<'_>]) -> Option<String> {
    let mut rest = after;
    if rest.first().map(|t| t.text) == Some(",") {
        rest = &rest[1..];
        if rest.first().map(|t| t.text) == Some("who") {
            return copular(text, &rest[1..]).or_else(|| role_clause(text, &rest[1..]));
        }
        let end = rest
            .iter()
            .position(|t| ends_phrase(t.text))
            .unwrap_or(rest.len());
        // "author of “Salt Roads,” about …": a title in quotation marks ends the appositive
        // with the comma inside its closing mark.
        if let Some(titled) = titled_appositive(text, rest, end) {
            return Some(titled);
        }
        let phrase = &rest[..end];
        let opens = phrase.first().is_some_and(|t| {
            DETERMINERS.contains(&t.text) || is_role(t.text) || TITLE_MODIFIERS.contains(&t.text)
        });
        if !opens
            || phrase.len() > MAX_PHRASE
            || !describes(phrase)
            || phrase.iter().any(|t| t.text == "said")
        {
            return None;
        }
        return text_of(text, phrase);
    }
    copular(text, rest)
}

/// An appositive cut at `end` by an opening quotation mark, taken through the quoted title when
/// a comma just inside its closing mark ends it: `author of “Salt Roads”`.
fn titled_appositive(text: &str, rest: &[Tok<'_>], end: usize) -> Option<String> {
    if !matches!(rest.get(end)?.text, "“" | "\"") || end == 0 {
        return None;
    }
    let close =
        (end + 2..rest.len().min(end + 10)).find(|&k| matches!(rest[k].text, "”" | "\""))?;
    let title = &rest[end + 1..close - 1];
    if rest[close - 1].text != ","
        || title.is_empty()
        || title.iter().any(|t| ends_phrase(t.text))
        || !title
            .iter()
            .all(|t| t.text.starts_with(char::is_uppercase) || t.text.len() <= 3)
    {
        return None;
    }
    let head = &rest[..end];
    let opens = head
        .first()
        .is_some_and(|t| DETERMINERS.contains(&t.text) || is_role(t.text));
    if !opens || head.len() > MAX_PHRASE || !describes(head) {
        return None;
    }
    let lead = text.get(head[0].span.start..rest[end].span.start)?;
    let title = text.get(rest[end + 1].span.start..rest[close - 2].span.end)?;
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(format!(
        "{} {}{}{}",
        squash(lead),
        rest[end].text,
        squash(title),
        rest[close].text
    ))
}

/// Verbs that say what someone does in a relative clause: ", who chairs the Residents’ Association,".
#[rustfmt::skip]
const ROLE_VERBS: &[&str] = &[
    "chairs", "chaired", "heads", "headed", "leads", "led", "runs", "ran", "directs", "directed",
    "manages", "managed", "founded", "co-founded", "owns", "represents", "oversees", "oversaw",
    "coaches", "teaches", "advises", "commands", "edits", "presides",
];

/// "chairs the Kestrel Point Residents’ Association": a role verb and the organisation or thing
/// it governs, up to the end of the clause. A possessive mark glued to a word ("Residents’") and
/// "and" inside a capitalised name ("Health and Human Services") do not end it.
fn role_clause(text: &str, toks: &[Tok<'_>]) -> Option<String> {
    let verb = toks.first()?;
    if !ROLE_VERBS.contains(&verb.text) {
        return None;
    }
    let object = toks.get(1)?;
    if !(DETERMINERS.contains(&object.text) || object.text.starts_with(char::is_uppercase)) {
        return None;
    }
    let mut end = toks.len();
    for (i, tok) in toks.iter().enumerate().skip(1) {
        let glued_possessive =
            matches!(tok.text, "’" | "'") && toks[i - 1].span.end == tok.span.start;
        let and_in_name = tok.text == "and"
            && toks
                .get(i + 1)
                .is_some_and(|next| next.text.starts_with(char::is_uppercase));
        if (ends_phrase(tok.text) && !glued_possessive)
            || (CLAUSE_STOPS.contains(&tok.text) && !and_in_name)
        {
            end = i;
            break;
        }
    }
    let phrase = &toks[..end];
    if phrase.len() < 2 || phrase.len() > MAX_PHRASE {
        return None;
    }
    text_of(text, phrase)
}

/// "became Japanese prime minister", "is the top diplomat for Asia": the noun phrase after a copula.
fn copular<'a>(text: &str, toks: &[Tok<'a>]) -> Option<String> {
    let words: Vec<&str> = toks.iter().map(|t| t.text).collect();
    let len = COPULAS
        .iter()
        .filter(|c| words.starts_with(c))
        .map(|c| c.len())
        .max()?;
    let rest = &toks[len..];
    let end = rest
        .iter()
        .position(|t| ends_phrase(t.text) || CLAUSE_STOPS.contains(&t.text))
        .unwrap_or(rest.len());
    let phrase = &rest[..end];
    if phrase.len() > MAX_PHRASE || !describes(phrase) {
        return None;
    }
    text_of(text, phrase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, name: &str) -> Vec<String> {
        let start = text.find(name).unwrap();
        around(text, Span::new(start, start + name.len()))
    }

    #[test]
    fn title_phrases_before_the_name() {
        assert_eq!(
            at(
                "Talks with Velorian Prime Minister Ada Kroft began.",
                "Ada Kroft"
            ),
            ["Velorian Prime Minister"]
        );
        assert_eq!(
            at(
                "said Ostrian foreign ministry spokesman Wen Baolu on Monday",
                "Wen Baolu"
            ),
            ["Ostrian foreign ministry spokesman"]
        );
        assert_eq!(at("He met Mr. Ode.", "Ode"), Vec::<String>::new());
    }

    /// A paragraph left unfinished above or below a name ("… and the resident", typed a
    /// letter at a time) says nothing about it: a blank line ends what is read on either side.
    #[test]
    fn nothing_is_read_across_a_blank_line() {
        assert_eq!(
            at("Ferry fares rose, said the resident Gallardo.", "Gallardo"),
            ["resident"]
        );
        assert_eq!(
            at(
                "Ferry fares rose for the resident\n\nGallardo said so.",
                "Gallardo"
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            at("rose for the head of\r\n \r\nGallardo said so.", "Gallardo"),
            Vec::<String>::new()
        );
        // Without the blank line: the appositive (`appositives_after_and_before`).
        assert_eq!(
            at(
                "“No,” said Per Lund\n\n, chairman of the Velm Port Authority.",
                "Per Lund"
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            at(
                "since Ada Kroft\n\nbecame Velorian prime minister",
                "Ada Kroft"
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn appositives_after_and_before() {
        assert_eq!(
            at(
                "said Rana Idris, an economist with the Harbour Policy Centre, in a note.",
                "Rana Idris"
            ),
            ["an economist with the Harbour Policy Centre"]
        );
        assert_eq!(
            at(
                "“No,” said Per Lund, chairman of the Velm Port Authority.",
                "Per Lund"
            ),
            ["chairman of the Velm Port Authority"]
        );
        assert_eq!(
            at(
                "Tarnow sent its envoy to the United Nations, Mila Roos, to the talks.",
                "Mila Roos"
            ),
            ["its envoy to the United Nations"]
        );
        assert_eq!(
            at("Kroft, Lund and Roos met.", "Kroft"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn copular_statements() {
        assert_eq!(
            at(
                "since Ada Kroft became Velorian prime minister last year",
                "Ada Kroft"
            ),
            ["Velorian prime minister"]
        );
        assert_eq!(
            at(
                "added Lund, who was the top diplomat for Asia under the old government.",
                "Lund"
            ),
            ["the top diplomat for Asia under the old government"]
        );
        assert_eq!(at("Lund is likely to win.", "Lund"), Vec::<String>::new());
    }

    #[test]
    fn relative_clauses_with_a_role_verb() {
        assert_eq!(
            at(
                "said Ines Marr, who chairs the Kestrel Point Residents’ Association.",
                "Ines Marr"
            ),
            ["chairs the Kestrel Point Residents’ Association"]
        );
        assert_eq!(
            at(
                "Tom Ode, who heads the Department of Health and Human Services, said no.",
                "Tom Ode"
            ),
            ["heads the Department of Health and Human Services"]
        );
        assert_eq!(
            at(
                "Ada Kroft, who runs a bakery in Tarnow, said so.",
                "Ada Kroft"
            ),
            ["runs a bakery"]
        );
        assert_eq!(
            at("Ada Kroft, who runs daily, said so.", "Ada Kroft"),
            Vec::<String>::new()
        );
        assert_eq!(
            at("Ada Kroft, who said it, left.", "Ada Kroft"),
            Vec::<String>::new()
        );
    }
}
