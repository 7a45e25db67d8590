//! Words of one paragraph as the attribution patterns see them: word and punctuation tokens with
//! paragraph-relative byte spans, each marked with the quotation (if any) it lies inside.

use super::lexicon;
use crate::analysis::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters and digits, with inner apostrophes, hyphens and abbreviation periods.
    Word,
    /// One punctuation character (a quotation mark, comma, period, dash, colon, …).
    Punct(char),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
    /// Index of the quotation (in the paragraph's list) this token lies inside, marks included.
    pub quote: Option<usize>,
}

impl Token {
    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }
    pub fn is_punct(&self, c: char) -> bool {
        self.kind == TokenKind::Punct(c)
    }
    /// A period, question or exclamation mark: ends a sentence outside quotations.
    pub fn is_terminal(&self) -> bool {
        matches!(self.kind, TokenKind::Punct('.' | '!' | '?'))
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// A party-and-state tag as the wire writes it inside brackets: `D-Conn`, `R-Tex`, `I-Vt`
/// (one or two capitals, a hyphen, a capitalised place).
fn is_party_tag(word: &str) -> bool {
    let Some((party, state)) = word.split_once('-') else {
        return false;
    };
    (1..=2).contains(&party.chars().count())
        && party.chars().all(|c| c.is_ascii_uppercase())
        && state.chars().next().is_some_and(char::is_uppercase)
        && state.chars().all(char::is_alphabetic)
}

/// Splits `text` into tokens; `quotes` are paragraph-relative quotation spans.
pub fn tokenize(text: &str, quotes: &[Span]) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if !is_word_char(c) {
            tokens.push(Token {
                span: Span::new(start, start + c.len_utf8()),
                kind: TokenKind::Punct(c),
                quote: None,
            });
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() {
            let c = chars[j].1;
            if is_word_char(c) {
                j += 1;
                continue;
            }
            // Inner apostrophes, hyphens and periods join when a letter or digit follows: don't,
            // co-operation, U.S, 4.5.
            let next_is_word = chars.get(j + 1).is_some_and(|&(_, n)| is_word_char(n));
            if (is_apostrophe(c) || c == '-' || c == '.' || c == '&') && next_is_word {
                j += 1;
                continue;
            }
            break;
        }
        let mut end = chars.get(j).map_or(text.len(), |&(o, _)| o);
        // A trailing period stays on abbreviations and initials ("Mr.", "U.S.", "W.").
        if chars.get(j).is_some_and(|&(_, c)| c == '.') {
            let with_period = &text[start..end + 1];
            let word = &text[start..end];
            let is_initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
            let dotted = word.contains('.') && word.chars().any(char::is_alphabetic);
            // "Mitch McConnell, R-Ky., said": a period before a comma abbreviates.
            let comma_follows = text[end + 1..].starts_with(',');
            // "Sen. Ana Tovar (D-Conn.) said": the state in a party tag, closed by its bracket.
            let party_tag = text[end + 1..].starts_with(')') && is_party_tag(word);
            if lexicon::is_abbreviation(with_period)
                || is_initial
                || dotted
                || comma_follows
                || party_tag
            {
                end += 1;
                j += 1;
            }
        }
        tokens.push(Token {
            span: Span::new(start, end),
            kind: TokenKind::Word,
            quote: None,
        });
        i = j;
    }
    for token in &mut tokens {
        token.quote = quotes
            .iter()
            .position(|q| q.start <= token.span.start && token.span.end <= q.end);
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(text: &'a str, tokens: &[Token]) -> Vec<&'a str> {
        tokens
            .iter()
            .map(|t| &text[t.span.start..t.span.end])
            .collect()
    }

    #[test]
    fn keeps_abbreviations_and_apostrophes() {
        let text = "Mr. O’Neill said the U.S. won’t pay $4.5 billion.";
        let tokens = tokenize(text, &[]);
        assert_eq!(
            texts(text, &tokens),
            [
                "Mr.",
                "O’Neill",
                "said",
                "the",
                "U.S.",
                "won’t",
                "pay",
                "$",
                "4.5",
                "billion",
                "."
            ]
        );
    }

    #[test]
    fn a_party_tag_keeps_its_period_inside_brackets() {
        let text = "said Sen. Ana Tovar (D-Conn.). Then (it was late.)";
        let tokens = tokenize(text, &[]);
        assert_eq!(
            texts(text, &tokens),
            [
                "said", "Sen.", "Ana", "Tovar", "(", "D-Conn.", ")", ".", "Then", "(", "it", "was",
                "late", ".", ")"
            ]
        );
    }

    #[test]
    fn marks_tokens_inside_quotations() {
        let text = "“We won,” she said.";
        let quote = Span::new(0, text.find(" she").unwrap_or(0));
        let tokens = tokenize(text, &[quote]);
        let inside: Vec<bool> = tokens.iter().map(|t| t.quote.is_some()).collect();
        assert_eq!(inside, [true, true, true, true, true, false, false, false]);
    }
}
