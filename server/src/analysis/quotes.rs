//! Quotation marks in one paragraph: which marks open and close, which are apostrophes, how
//! they pair (single inside double, any nesting), and what kind of quotation each pair holds.
//!
//! Works on the blanked prose of one paragraph; quotations left open at its end or closed
//! without an opener are reported as such and paired across paragraphs by the document pass.

use super::attribution::lexicon::is_title_case_small_word;
use super::model::{QuoteKind, Span};
use super::paragraph::QuoteCandidate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Double,
    Single,
}

#[derive(Debug, Clone, Copy)]
struct Opener {
    mark: Span,
    family: Family,
}

/// Find the quotations of a paragraph's blanked prose text, ordered by start.
pub fn find_quotes(prose: &str) -> Vec<QuoteCandidate> {
    let first_text = prose.len() - prose.trim_start().len();
    let text_end = prose.trim_end().len();
    let mut stack: Vec<Opener> = Vec::new();
    let mut pairs: Vec<(Option<Span>, Option<Span>)> = Vec::new();
    let mut prev: Option<char> = None;
    let mut iter = prose.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let mut next = iter.peek().map(|&(_, n)| n);
        let mut mark = Span::new(i, i + c.len_utf8());
        let mut c = c;
        // Two apostrophes are one double mark, as the NYT archive writes them: ''Yes,'' he said.
        if c == '\'' && next == Some('\'') {
            iter.next();
            mark = Span::new(i, i + 2);
            next = iter.peek().map(|&(_, n)| n);
            c = '"';
        }
        // A paragraph cannot open by closing a quotation: a right mark there is an opening mark
        // set the wrong way round (`” … what I learned is this,” she said.`), as editors and
        // autocorrect leave after an ellipsis or a dash.
        let role = if c == '”' && i == first_text && stack.is_empty() {
            Some(Role::Open(Family::Double))
        } else {
            classify(c, prev, next, &prose[mark.end..], &stack)
        };
        if let Some(role) = role {
            match role {
                Role::Open(family) => stack.push(Opener { mark, family }),
                Role::Close(family) => close(&mut stack, &mut pairs, mark, family),
            }
        }
        prev = Some(c);
    }
    // Double quotations still open run to the end of the paragraph (or of the next one).
    for opener in stack.into_iter().filter(|o| o.family == Family::Double) {
        pairs.push((Some(opener.mark), None));
    }
    // A closing mark without an opener reaches back to the paragraph's start, or to the end of
    // the last quotation closed before it (it cannot close across that one).
    let closed_ends: Vec<usize> = pairs
        .iter()
        .filter_map(|&(open, close)| open.and(close).map(|c| c.end))
        .collect();
    let mut candidates: Vec<QuoteCandidate> = pairs
        .into_iter()
        .filter_map(|(open, close)| {
            let start = open.map_or_else(
                || {
                    let at = close.map_or(0, |c| c.start);
                    closed_ends
                        .iter()
                        .copied()
                        .filter(|&e| e <= at)
                        .max()
                        .unwrap_or(first_text)
                },
                |m| m.start,
            );
            let end = close.map_or(text_end, |m| m.end);
            if end <= start {
                return None;
            }
            let span = Span::new(start, end);
            Some(QuoteCandidate {
                span,
                open_mark: open,
                close_mark: close,
                depth: 0,
                kind: QuoteKind::Full,
                opens_paragraph: open.is_some_and(|m| m.start == first_text),
            })
        })
        .collect();
    candidates.sort_by(|a, b| {
        a.span
            .start
            .cmp(&b.span.start)
            .then(b.span.end.cmp(&a.span.end))
    });
    // Depth: how many earlier candidates contain this one.
    let mut ends: Vec<usize> = Vec::new();
    for c in &mut candidates {
        while ends.last().is_some_and(|&e| e <= c.span.start) {
            ends.pop();
        }
        c.depth = u8::try_from(ends.len()).unwrap_or(u8::MAX);
        ends.push(c.span.end);
    }
    for c in &mut candidates {
        c.kind = classify_kind(prose, c);
    }
    candidates
}

#[derive(Debug, Clone, Copy)]
enum Role {
    Open(Family),
    Close(Family),
}

fn is_space(c: Option<char>) -> bool {
    c.is_none_or(char::is_whitespace)
}

/// Punctuation that may sit right after a closing mark or right before an opening one.
fn is_outer_punct(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
            | '('
            | '['
            | '{'
            | '…'
            | '—'
            | '–'
            | '-'
            | '/'
    ) || is_mark(c)
}

fn is_mark(c: char) -> bool {
    matches!(
        c,
        '“' | '”' | '"' | '„' | '«' | '»' | '‟' | '‘' | '’' | '\'' | '‚' | '‹' | '›'
    )
}

fn family_of(c: char) -> Family {
    if matches!(c, '‘' | '’' | '\'' | '‚' | '‹' | '›') {
        Family::Single
    } else {
        Family::Double
    }
}

fn has_open(stack: &[Opener], family: Family) -> bool {
    match family {
        Family::Double => stack.iter().any(|o| o.family == Family::Double),
        // A single quotation closes only inside the innermost double one.
        Family::Single => stack
            .iter()
            .rev()
            .take_while(|o| o.family == Family::Single)
            .next()
            .is_some(),
    }
}

/// Elisions written with a leading apostrophe: ’90s, ’n’, ’em, ’tis, ’cause.
fn is_elision(after: &str) -> bool {
    let lower: String = after.chars().take(6).flat_map(char::to_lowercase).collect();
    let word_end = lower
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(lower.len());
    let word = &lower[..word_end];
    after.starts_with(|c: char| c.is_ascii_digit())
        || matches!(
            word,
            "em" | "tis" | "twas" | "cause" | "til" | "n" | "nuff" | "bout" | "round"
        )
}

fn classify(
    c: char,
    prev: Option<char>,
    next: Option<char>,
    after: &str,
    stack: &[Opener],
) -> Option<Role> {
    if !is_mark(c) {
        return None;
    }
    let family = family_of(c);
    let prev_alnum = prev.is_some_and(char::is_alphanumeric);
    let next_alnum = next.is_some_and(char::is_alphanumeric);
    let left = !is_space(next) && (is_space(prev) || prev.is_some_and(is_outer_punct));
    let right = !is_space(prev) && (is_space(next) || next.is_some_and(is_outer_punct));
    let open_only = left && !right;
    let close_only = right && !left;
    if family == Family::Single && prev_alnum && next_alnum {
        return None; // don’t, Reuters’s, O’Brien
    }
    match c {
        '“' | '„' | '«' | '‟' => {
            // German „…“ and »…«: a right-flanking “ or « closes.
            if close_only && has_open(stack, Family::Double) {
                Some(Role::Close(Family::Double))
            } else {
                Some(Role::Open(Family::Double))
            }
        }
        '”' | '»' => {
            if open_only && !has_open(stack, Family::Double) {
                Some(Role::Open(Family::Double))
            } else {
                Some(Role::Close(Family::Double))
            }
        }
        '"' => {
            if (has_open(stack, Family::Double) && !open_only) || close_only {
                Some(Role::Close(Family::Double))
            } else if is_space(prev) && is_space(next) {
                None // a stray mark between spaces (or inches)
            } else {
                Some(Role::Open(Family::Double))
            }
        }
        '‚' | '‹' => Some(Role::Open(Family::Single)),
        '›' => Some(Role::Close(Family::Single)),
        '‘' => {
            if close_only && has_open(stack, Family::Single) {
                Some(Role::Close(Family::Single))
            } else if left && !is_elision(after) {
                Some(Role::Open(Family::Single))
            } else {
                None
            }
        }
        '’' | '\'' => {
            if right && has_open(stack, Family::Single) {
                Some(Role::Close(Family::Single))
            } else if c == '\'' && open_only && !is_elision(after) {
                Some(Role::Open(Family::Single))
            } else {
                None // nations’ leaders, ’90s, rock ’n’ roll
            }
        }
        _ => None,
    }
}

/// Pair a closing mark with the nearest opener of its family.
fn close(
    stack: &mut Vec<Opener>,
    pairs: &mut Vec<(Option<Span>, Option<Span>)>,
    mark: Span,
    family: Family,
) {
    let found = match family {
        Family::Double => stack.iter().rposition(|o| o.family == Family::Double),
        Family::Single => {
            let top_doubles = stack.iter().rposition(|o| o.family == Family::Double);
            stack
                .iter()
                .rposition(|o| o.family == Family::Single)
                .filter(|&p| top_doubles.is_none_or(|d| p > d))
        }
    };
    match found {
        Some(pos) => {
            // Single openers above it never closed: they were not quotation marks.
            let opener = stack[pos];
            stack.truncate(pos);
            pairs.push((Some(opener.mark), Some(mark)));
        }
        None if family == Family::Double => pairs.push((None, Some(mark))),
        None => {}
    }
}

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
    "episode", "play", "musical", "opera", "poem", "painting", "podcast",
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
/// broadcaster's possessive after "on" or "with" (`said on KPEL's “Morning Desk”`), or it stands alone as its
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
fn classify_kind(prose: &str, c: &QuoteCandidate) -> QuoteKind {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(text: &str) -> Vec<(&str, QuoteKind, u8)> {
        find_quotes(text)
            .into_iter()
            .map(|q| (&text[q.span.start..q.span.end], q.kind, q.depth))
            .collect()
    }

    #[test]
    fn curly_and_straight_pairs_and_kinds() {
        assert_eq!(
            quotes("“We will not back down,” Halvorsen said, calling the plan “a betrayal of every worker here” and the deal “sacred”."),
            vec![
                ("“We will not back down,”", QuoteKind::Full, 0),
                ("“a betrayal of every worker here”", QuoteKind::Partial, 0),
                ("“sacred”", QuoteKind::Term, 0),
            ]
        );
        assert_eq!(
            quotes("\"It is over,\" she said. He called it \"two-plus-two\"."),
            vec![
                ("\"It is over,\"", QuoteKind::Full, 0),
                ("\"two-plus-two\"", QuoteKind::Term, 0)
            ]
        );
    }

    #[test]
    fn a_right_mark_opening_a_paragraph_opens_a_quotation() {
        assert_eq!(
            quotes("” … and that is why we stayed,” Ruiz said."),
            vec![("” … and that is why we stayed,”", QuoteKind::Full, 0)]
        );
        // Anywhere else it still closes: nothing is open, so it is reported, not opened.
        assert_eq!(
            quotes("She left ” early."),
            vec![("She left ”", QuoteKind::Full, 0)]
        );
    }

    #[test]
    fn titles_of_works_are_terms() {
        // A kind of work, a part of one, a broadcaster's programme, a subhead in single marks.
        assert_eq!(
            quotes("Her memoir, “Water at the Door,” sold out. She was on KPEL’s “The Morning Desk With Ana Ruiz” twice."),
            vec![("“Water at the Door,”", QuoteKind::Term, 0), ("“The Morning Desk With Ana Ruiz”", QuoteKind::Term, 0)]
        );
        assert_eq!(
            quotes("He hosted an episode of the “Tides and Tempers Hour” in May."),
            vec![("“Tides and Tempers Hour”", QuoteKind::Term, 0)]
        );
        assert_eq!(
            quotes("'The Wall Will Hold.'"),
            vec![("'The Wall Will Hold.'", QuoteKind::Term, 0)]
        );
        assert_eq!(
            quotes("Ruiz, a co-author of “Salt and Iron on the Coast,” spoke in an interview with KPEL's “The Morning Desk Hour.”"),
            vec![("“Salt and Iron on the Coast,”", QuoteKind::Term, 0), ("“The Morning Desk Hour.”", QuoteKind::Term, 0)]
        );
        // Not titles: words in sentence case after a work noun are a quotation from it; a
        // statement's title is its author's words; a Title Case subhead in double marks and a
        // single-marked line that is more than the quotation stay quotations.
        assert_eq!(
            quotes("In her memoir, “we were never told the truth,” she writes."),
            vec![("“we were never told the truth,”", QuoteKind::Full, 0)]
        );
        assert_eq!(
            quotes("The memo, titled “Costs Come Before the Concrete,” was leaked."),
            vec![("“Costs Come Before the Concrete,”", QuoteKind::Full, 0)]
        );
        assert_eq!(
            quotes("“The Wall Will Hold.”"),
            vec![("“The Wall Will Hold.”", QuoteKind::Full, 0)]
        );
        assert_eq!(
            quotes("He said on Sunday 'The Wall Will Hold Forever.'"),
            vec![("'The Wall Will Hold Forever.'", QuoteKind::Full, 0)]
        );
    }

    #[test]
    fn nested_single_inside_double_and_apostrophes() {
        assert_eq!(
            quotes("“They don’t call it ‘a truce’ in the ’90s sense, and rock ’n’ roll isn’t the Reuters’ beat,” she said."),
            vec![
                ("“They don’t call it ‘a truce’ in the ’90s sense, and rock ’n’ roll isn’t the Reuters’ beat,”", QuoteKind::Full, 0),
                ("‘a truce’", QuoteKind::Term, 1),
            ]
        );
        assert_eq!(
            quotes("The nations’ leaders met at the workers' hall."),
            vec![]
        );
        assert_eq!(
            quotes("He said 'enough is enough' twice."),
            vec![("'enough is enough'", QuoteKind::Term, 0)]
        );
        // The NYT archive's doubled apostrophes are double marks.
        assert_eq!(
            quotes("''We are not done,'' she said, calling it ''a start.''"),
            vec![
                ("''We are not done,''", QuoteKind::Full, 0),
                ("''a start.''", QuoteKind::Term, 0)
            ]
        );
    }

    #[test]
    fn a_nested_quotation_closing_with_the_outer_one_keeps_the_sentence_full() {
        assert_eq!(
            quotes(
                "“Leaders praised what they called ‘the rescue of the decade,’” the article read."
            ),
            vec![
                (
                    "“Leaders praised what they called ‘the rescue of the decade,’”",
                    QuoteKind::Full,
                    0
                ),
                ("‘the rescue of the decade,’", QuoteKind::Partial, 1)
            ]
        );
    }

    #[test]
    fn european_marks() {
        assert_eq!(
            quotes("Er sagte „Wir kommen.“ Dann ging er."),
            vec![("„Wir kommen.“", QuoteKind::Full, 0)]
        );
        assert_eq!(
            quotes("Il a dit « Nous partons. » Puis rien."),
            vec![("« Nous partons. »", QuoteKind::Full, 0)]
        );
        assert_eq!(
            quotes("Er sagte ‚nie‘ dazu."),
            vec![("‚nie‘", QuoteKind::Term, 0)]
        );
    }

    #[test]
    fn open_and_dangling_marks() {
        let open = find_quotes("“We will keep going. And we will win.");
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].close_mark, None);
        assert!(open[0].opens_paragraph);
        let dangling = find_quotes("and that is final,” he said.");
        assert_eq!(dangling.len(), 1);
        assert_eq!(dangling[0].open_mark, None);
        assert_eq!(dangling[0].span, Span::new(0, "and that is final,”".len()));
        assert_eq!(
            quotes("“It stands,” it said. The board was “disappointed.”” No date."),
            vec![
                ("“It stands,”", QuoteKind::Full, 0),
                ("“disappointed.”", QuoteKind::Term, 0),
                ("”", QuoteKind::Full, 0)
            ]
        );
    }
}
