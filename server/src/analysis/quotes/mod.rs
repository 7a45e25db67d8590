//! Quotation marks in one paragraph: which marks open and close, which are apostrophes, how
//! they pair (single inside double, any nesting), and what kind of quotation each pair holds.
//!
//! Works on the blanked prose of one paragraph; quotations left open at its end or closed
//! without an opener are reported as such and paired across paragraphs by the document pass.
//! Reading each mark's role and pairing it live in `marks`; full, partial or term in `kind`.

mod kind;
mod marks;
#[cfg(test)]
mod tests;

pub(crate) use kind::names_a_work;

use super::model::{QuoteKind, Span};
use super::paragraph::QuoteCandidate;
use kind::classify_kind;
use marks::{classify, close, Family, Opener, Role};

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
