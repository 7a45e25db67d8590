//! CoNLL-style tokens of news prose, as UTF-8 byte spans: the unit the tagger and analysis share.
//!
//! Conventions follow the CoNLL-2003 / Penn Treebank tokenisation the tagger was trained on:
//! words keep inner hyphens ("two-plus-two"), numbers keep decimal points and thousands
//! separators ("4.5", "1,000"), known abbreviations and initials keep their period ("U.S.",
//! "Jan.", "W."), the possessive and clitics are split off ("China" "’s", "do" "n't"), and quote
//! marks, brackets, dashes and other punctuation are tokens of their own.

use crate::analysis::model::Span;

/// Abbreviations that keep their trailing period (compared case-sensitively, without the period).
#[rustfmt::skip]
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gov", "Sen", "Rep", "Gen", "Lt", "Col", "Maj", "Capt", "Sgt",
    "Cmdr", "Adm", "Rev", "Hon", "Pres", "Amb", "Supt", "Jr", "Sr", "St", "Mt", "Ft", "Ave",
    "Blvd", "Inc", "Corp", "Co", "Ltd", "Bros", "Plc", "No", "Nos", "Jan", "Feb", "Mar", "Apr",
    "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "vs", "etc", "approx", "Dept", "Univ",
    "Assn", "Calif", "Fla", "Ill", "Mass", "Mich", "Minn", "Tenn", "Tex", "Wash", "Penn", "Conn",
    "Ariz", "Okla", "Ore", "Wis", "Colo", "Nev", "Ky", "Ga", "La", "Md", "Va", "Ala", "Ark", "Kan",
    "Neb",
];

/// Split `text` into tokens. Whitespace separates tokens and is never part of one.
/// Never fails: any input, including invalid-looking or empty text, yields a (possibly empty) list.
///
/// Works on byte offsets, decoding characters where it looks (ASCII in one step), instead of
/// collecting every `(offset, char)` pair of the text first.
pub fn tokenize(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(c) = char_at(text, i) {
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        if c == 'n' || c == 'N' {
            // "n't" when it stands alone or after a word: "do" "n't".
            if let Some(apostrophe) = char_at(text, i + 1).filter(|&a| is_apostrophe(a)) {
                let t = i + 1 + apostrophe.len_utf8();
                if char_at(text, t).is_some_and(|t| t == 't' || t == 'T')
                    && !char_at(text, t + 1).is_some_and(char::is_alphanumeric)
                {
                    tokens.push(Span::new(i, t + 1));
                    i = t + 1;
                    continue;
                }
            }
        }
        if c.is_alphanumeric() {
            // Never empty, so the loop always advances.
            let end = scan_word(text, i).max(i + c.len_utf8());
            let mut stop = end;
            // A trailing period belongs to abbreviations and initials ("U.S.", "Jan.", "W.").
            if bytes.get(stop) == Some(&b'.') && keeps_period(&text[i..end]) {
                stop += 1;
            }
            tokens.push(Span::new(i, stop));
            i = stop;
            continue;
        }
        if is_apostrophe(c) {
            if let Some(len) = clitic_len(text, i) {
                // "’s", "'re", "'ll": the clitic is one token when it follows a word.
                tokens.push(Span::new(i, i + len));
                i += len;
                continue;
            }
        }
        // Runs of the same mark that read as one: "...", "--", "!!" (all ASCII).
        let mut stop = i + c.len_utf8();
        if matches!(c, '.' | '-' | '!' | '?') {
            while bytes.get(stop) == Some(&(c as u8)) {
                stop += 1;
            }
        }
        tokens.push(Span::new(i, stop));
        i = stop;
    }
    tokens
}

/// The character starting at byte `i` (`None` at the end, or if `i` is not a boundary).
#[inline]
fn char_at(text: &str, i: usize) -> Option<char> {
    match *text.as_bytes().get(i)? {
        b if b < 0x80 => Some(b as char),
        _ => text.get(i..)?.chars().next(),
    }
}

/// The character ending at byte `i`.
#[inline]
fn char_before(text: &str, i: usize) -> Option<char> {
    match *text.as_bytes().get(i.checked_sub(1)?)? {
        b if b < 0x80 => Some(b as char),
        _ => text.get(..i)?.chars().next_back(),
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// The end (byte offset) of the word starting at `start`: letters and digits joined by inner
/// hyphens, decimal points, thousands separators, "&" ("AT&T") and name apostrophes ("O'Neill"),
/// stopping before a clitic ("’s", "n't").
fn scan_word(text: &str, start: usize) -> usize {
    let mut k = start;
    loop {
        while let Some(c) = char_at(text, k).filter(|c| c.is_alphanumeric()) {
            k += c.len_utf8();
        }
        let Some(joiner) = char_at(text, k) else {
            return k;
        };
        let after = k + joiner.len_utf8();
        let Some(next) = char_at(text, after) else {
            return k;
        };
        if !next.is_alphanumeric() {
            return k;
        }
        let prev = char_before(text, k).unwrap_or(' ');
        let joins = match joiner {
            '-' => true,
            // "4.5", "U.S", "reuters.com"; a final period is handled by the caller.
            '.' => {
                (prev.is_ascii_digit() && next.is_ascii_digit())
                    || next.is_lowercase()
                    || single_before(text, k)
            }
            ',' => prev.is_ascii_digit() && thousands_group(text.as_bytes(), after),
            '&' => prev.is_uppercase() && next.is_uppercase(),
            '\'' | '’' => {
                if clitic_len(text, k).is_some() {
                    return k;
                }
                // "don't": split before the "n" so the clitic is "n't" (the "n" is one byte).
                if (next == 't' || next == 'T')
                    && (prev == 'n' || prev == 'N')
                    && !char_at(text, after + 1).is_some_and(char::is_alphanumeric)
                    && k - 1 > start
                {
                    return k - 1;
                }
                // Name apostrophes join ("O'Neill", "D’Alema"); a plural possessive ("allies’")
                // ends the word, as does anything else.
                next.is_uppercase() && k >= 1 && prev.is_uppercase()
            }
            _ => false,
        };
        if !joins {
            return k;
        }
        k = after;
    }
}

/// Whether exactly one word character precedes byte `k` since the previous non-word character.
fn single_before(text: &str, k: usize) -> bool {
    match char_before(text, k) {
        Some(p) if p.is_alphanumeric() => {
            !char_before(text, k - p.len_utf8()).is_some_and(char::is_alphanumeric)
        }
        _ => false,
    }
}

/// Whether exactly three digits follow at byte `k` and the group ends there (or at another
/// separator).
fn thousands_group(bytes: &[u8], k: usize) -> bool {
    let digit = |k: usize| bytes.get(k).is_some_and(u8::is_ascii_digit);
    digit(k) && digit(k + 1) && digit(k + 2) && !digit(k + 3)
}

/// The length in bytes of a clitic starting at the apostrophe at byte `k` ("’s", "'re", "'ll",
/// "'ve", "'m", "'d"), when it follows a word character and ends at a word boundary.
fn clitic_len(text: &str, k: usize) -> Option<usize> {
    if !char_before(text, k).is_some_and(char::is_alphanumeric) {
        return None;
    }
    let after = k + char_at(text, k)?.len_utf8();
    let bytes = text.as_bytes();
    for clitic in ["s", "re", "ll", "ve", "m", "d"] {
        let n = clitic.len();
        let matches = clitic.bytes().enumerate().all(|(i, want)| {
            bytes
                .get(after + i)
                .is_some_and(|b| b.to_ascii_lowercase() == want)
        });
        if matches && !char_at(text, after + n).is_some_and(char::is_alphanumeric) {
            return Some(after + n - k);
        }
    }
    None
}

/// Whether a word followed by "." keeps the period: initials ("W"), dotted abbreviations ("U.S")
/// and the listed abbreviations ("Jan", "Gov").
fn keeps_period(word: &str) -> bool {
    let mut letters = word.chars();
    let single_capital =
        matches!((letters.next(), letters.next()), (Some(c), None) if c.is_uppercase());
    let dotted = word.contains('.')
        && word
            .split('.')
            .all(|p| p.chars().count() <= 2 && !p.is_empty());
    single_capital || dotted || ABBREVIATIONS.contains(&word)
}

/// The text of each token, for tests and tools.
pub fn token_texts<'a>(text: &'a str, tokens: &[Span]) -> Vec<&'a str> {
    tokens
        .iter()
        .filter_map(|s| text.get(s.start..s.end))
        .collect()
}

/// The previous tokenizer, which collected every `(offset, char)` pair first: the oracle that
/// the byte-offset one must agree with.
#[cfg(test)]
mod char_index {
    use super::keeps_period;
    use crate::analysis::model::Span;

    /// Split `text` into tokens. Whitespace separates tokens and is never part of one.
    /// Never fails: any input, including invalid-looking or empty text, yields a (possibly empty) list.
    pub(super) fn tokenize(text: &str) -> Vec<Span> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let end_of = |k: usize| chars.get(k).map_or(text.len(), |&(b, _)| b);
        let ch = |k: usize| chars.get(k).map(|&(_, c)| c);
        let mut tokens = Vec::new();
        let mut k = 0;
        while k < chars.len() {
            let c = chars[k].1;
            if c.is_whitespace() {
                k += 1;
                continue;
            }
            if (c == 'n' || c == 'N')
                && ch(k + 1).is_some_and(is_apostrophe)
                && ch(k + 2).is_some_and(|t| t == 't' || t == 'T')
                && !ch(k + 3).is_some_and(char::is_alphanumeric)
            {
                tokens.push(Span::new(end_of(k), end_of(k + 3)));
                k += 3;
                continue;
            }
            if c.is_alphanumeric() {
                let start = k;
                // Never empty, so the loop always advances.
                let end = scan_word(&chars, k).max(k + 1);
                let mut stop = end;
                // A trailing period belongs to abbreviations and initials ("U.S.", "Jan.", "W.").
                if ch(stop) == Some('.') && keeps_period(&text[end_of(start)..end_of(stop)]) {
                    stop += 1;
                }
                tokens.push(Span::new(end_of(start), end_of(stop)));
                k = stop;
                continue;
            }
            if is_apostrophe(c) {
                if let Some(len) = clitic_len(&chars, k) {
                    // "’s", "'re", "'ll": the clitic is one token when it follows a word.
                    tokens.push(Span::new(end_of(k), end_of(k + len)));
                    k += len;
                    continue;
                }
            }
            // Runs of the same mark that read as one: "...", "--", "!!".
            let mut stop = k + 1;
            if matches!(c, '.' | '-' | '!' | '?') {
                while ch(stop) == Some(c) {
                    stop += 1;
                }
            }
            tokens.push(Span::new(end_of(k), end_of(stop)));
            k = stop;
        }
        tokens
    }

    fn is_apostrophe(c: char) -> bool {
        c == '\'' || c == '’'
    }

    /// The end (char index) of the word starting at `k`: letters and digits joined by inner
    /// hyphens, decimal points, thousands separators, "&" ("AT&T") and name apostrophes ("O'Neill"),
    /// stopping before a clitic ("’s", "n't").
    fn scan_word(chars: &[(usize, char)], start: usize) -> usize {
        let mut k = start;
        let ch = |k: usize| chars.get(k).map(|&(_, c)| c);
        loop {
            while ch(k).is_some_and(char::is_alphanumeric) {
                k += 1;
            }
            let (Some(joiner), Some(next)) = (ch(k), ch(k + 1)) else {
                return k;
            };
            if !next.is_alphanumeric() {
                return k;
            }
            let prev = ch(k.wrapping_sub(1)).unwrap_or(' ');
            let joins = match joiner {
                '-' => true,
                // "4.5", "U.S", "reuters.com"; a final period is handled by the caller.
                '.' => {
                    (prev.is_ascii_digit() && next.is_ascii_digit())
                        || next.is_lowercase()
                        || segment_len(chars, k) == 1
                }
                ',' => prev.is_ascii_digit() && thousands_group(chars, k + 1),
                '&' => prev.is_uppercase() && next.is_uppercase(),
                '\'' | '’' => {
                    if clitic_len(chars, k).is_some() {
                        return k;
                    }
                    // "don't": split before the "n" so the clitic is "n't".
                    if (next == 't' || next == 'T')
                        && (prev == 'n' || prev == 'N')
                        && !ch(k + 2).is_some_and(char::is_alphanumeric)
                        && k - 1 > start
                    {
                        return k - 1;
                    }
                    // Name apostrophes join ("O'Neill", "D’Alema"); a plural possessive ("allies’")
                    // ends the word, as does anything else.
                    next.is_uppercase() && k >= 1 && prev.is_uppercase()
                }
                _ => false,
            };
            if !joins {
                return k;
            }
            k += 1;
        }
    }

    /// How many word characters precede the joiner at `k` since the previous non-word character.
    fn segment_len(chars: &[(usize, char)], k: usize) -> usize {
        chars[..k]
            .iter()
            .rev()
            .take_while(|&&(_, c)| c.is_alphanumeric())
            .count()
    }

    /// Whether exactly three digits follow at `k` and the group ends there (or at another separator).
    fn thousands_group(chars: &[(usize, char)], k: usize) -> bool {
        let digit = |k: usize| chars.get(k).is_some_and(|&(_, c)| c.is_ascii_digit());
        digit(k) && digit(k + 1) && digit(k + 2) && !digit(k + 3)
    }

    /// The length in chars of a clitic starting at the apostrophe at `k` ("’s", "'re", "'ll", "'ve",
    /// "'m", "'d"), when it follows a word character and ends at a word boundary.
    fn clitic_len(chars: &[(usize, char)], k: usize) -> Option<usize> {
        let ch = |k: usize| chars.get(k).map(|&(_, c)| c);
        if k == 0 || !ch(k - 1).is_some_and(char::is_alphanumeric) {
            return None;
        }
        for clitic in ["s", "re", "ll", "ve", "m", "d"] {
            let n = clitic.chars().count();
            let matches = clitic
                .chars()
                .enumerate()
                .all(|(i, want)| ch(k + 1 + i).is_some_and(|c| c.to_ascii_lowercase() == want));
            if matches && !ch(k + 1 + n).is_some_and(char::is_alphanumeric) {
                return Some(n + 1);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    fn toks(text: &str) -> Vec<&str> {
        token_texts(text, &tokenize(text))
    }

    #[test]
    fn words_and_punctuation() {
        assert_eq!(
            toks("The mayor spoke, then left."),
            ["The", "mayor", "spoke", ",", "then", "left", "."]
        );
    }

    #[test]
    fn numbers_keep_decimals_and_thousands() {
        assert_eq!(
            toks("$4.5 billion, 1,000 people, 8.5%"),
            ["$", "4.5", "billion", ",", "1,000", "people", ",", "8.5", "%"]
        );
        assert_eq!(
            toks("on 2026-03-14 at 10,5"),
            ["on", "2026-03-14", "at", "10", ",", "5"]
        );
    }

    #[test]
    fn abbreviations_and_initials_keep_their_period() {
        assert_eq!(
            toks("U.S. Sen. Mara W. Quill met Gov. Ode in Jan. 2025."),
            [
                "U.S.", "Sen.", "Mara", "W.", "Quill", "met", "Gov.", "Ode", "in", "Jan.", "2025",
                "."
            ]
        );
        assert_eq!(
            toks("He left the dock."),
            ["He", "left", "the", "dock", "."]
        );
    }

    #[test]
    fn possessives_and_clitics_split() {
        assert_eq!(toks("Velmar’s plan"), ["Velmar", "’s", "plan"]);
        assert_eq!(toks("the port's crane"), ["the", "port", "'s", "crane"]);
        assert_eq!(toks("don't, we’re"), ["do", "n't", ",", "we", "’re"]);
        assert_eq!(toks("the allies’ talks"), ["the", "allies", "’", "talks"]);
        assert_eq!(toks("O'Neill and D’Arcy"), ["O'Neill", "and", "D’Arcy"]);
    }

    #[test]
    fn quotes_dashes_and_brackets_are_tokens() {
        assert_eq!(
            toks("“two-plus-two” – (for) \"x\" ‘y’"),
            [
                "“",
                "two-plus-two",
                "”",
                "–",
                "(",
                "for",
                ")",
                "\"",
                "x",
                "\"",
                "‘",
                "y",
                "’"
            ]
        );
        assert_eq!(
            toks("wait... no -- yes"),
            ["wait", "...", "no", "--", "yes"]
        );
        assert_eq!(toks("TOKYO/OSLO"), ["TOKYO", "/", "OSLO"]);
        assert_eq!(toks("AT&T"), ["AT&T"]);
    }

    #[test]
    fn spans_are_byte_offsets() {
        let text = "« Ça » — é";
        let spans = tokenize(text);
        assert_eq!(
            spans,
            vec![
                Span::new(0, 2),
                Span::new(3, 6),
                Span::new(7, 9),
                Span::new(10, 13),
                Span::new(14, 16)
            ]
        );
    }

    #[test]
    fn empty_and_odd_input() {
        assert!(tokenize("").is_empty());
        assert!(tokenize(" \n\t ").is_empty());
        assert_eq!(toks("'s"), ["'", "s"]);
        assert_eq!(toks("a’"), ["a", "’"]);
        assert_eq!(toks("x.'"), ["x", ".", "'"]);
        assert_eq!(toks("n't"), ["n't"]);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_spans_are_ordered(text in "\\PC{0,60}") {
            let spans = tokenize(&text);
            let mut last = 0;
            for s in spans {
                proptest::prop_assert!(s.start >= last && s.end > s.start);
                proptest::prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
                proptest::prop_assert!(!text[s.start..s.end].chars().any(char::is_whitespace));
                last = s.end;
            }
        }
    }

    /// Text drawn from the characters the tokenizer treats specially (apostrophes, "n", "t",
    /// joiners, digits, periods, capitals, multi-byte letters and quotes, spaces).
    fn tricky() -> impl Strategy<Value = String> {
        let chars = vec![
            'a', 'n', 'N', 't', 'T', 's', 'r', 'e', 'l', 'v', 'm', 'd', 'U', 'S', 'O', 'J', '\'',
            '’', '.', ',', '-', '&', '!', '?', '1', '0', '5', ' ', '\n', 'É', 'é', 'ß', 'İ', 'ǅ',
            '“', '”', '–', '٣', '\u{a0}', '/',
        ];
        proptest::collection::vec(proptest::sample::select(chars), 0..40)
            .prop_map(|cs| cs.into_iter().collect())
    }

    proptest::proptest! {
        #[test]
        fn byte_offsets_agree_with_char_indices(text in tricky()) {
            proptest::prop_assert_eq!(tokenize(&text), char_index::tokenize(&text));
        }

        #[test]
        fn byte_offsets_agree_with_char_indices_on_any_text(text in "\\PC{0,60}") {
            proptest::prop_assert_eq!(tokenize(&text), char_index::tokenize(&text));
        }
    }
}
