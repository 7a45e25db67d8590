//! Straight and curly quotation marks: the article's majority style and conversions to it.
//!
//! Only the marks that open and close the analysed quotations are converted (and the marks
//! reopening each paragraph of a multi-paragraph quotation), plus apostrophes between letters
//! inside the converted range ("don't" ↔ "don’t"). « » „ and other marks are left alone.

use super::article::Article;
use super::edit::TextEdit;
use crate::analysis::Span;
use crate::config::QuoteStyle;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkStyle {
    Curly,
    Straight,
}

/// Count the quotation marks of each style at the analysed quotations' boundaries.
fn counts(article: &Article) -> (usize, usize) {
    let (mut curly, mut straight) = (0, 0);
    for q in &article.analysis.quotes {
        for (_, mark) in boundary_marks(article, q.span) {
            match mark {
                '"' | '\'' => straight += 1,
                '“' | '”' | '‘' | '’' => curly += 1,
                _ => {}
            }
        }
    }
    (curly, straight)
}

/// The style to convert to: the configured one, else the article's majority (curly on a tie).
pub fn target_style(article: &Article, configured: QuoteStyle) -> MarkStyle {
    match configured {
        QuoteStyle::Curly => MarkStyle::Curly,
        QuoteStyle::Straight => MarkStyle::Straight,
        QuoteStyle::Auto => {
            let (curly, straight) = counts(article);
            if straight > curly {
                MarkStyle::Straight
            } else {
                MarkStyle::Curly
            }
        }
    }
}

/// The opening mark, the closing mark and every paragraph-reopening mark of a quotation, with
/// their offsets.
fn boundary_marks(article: &Article, span: Span) -> Vec<(usize, char)> {
    let text = article.slice(span);
    let mut out = Vec::new();
    if let Some(c) = text.chars().next() {
        out.push((span.start, c));
    }
    for (i, _) in text.match_indices('\n') {
        let rest = &text[i + 1..];
        let trimmed = rest.trim_start_matches([' ', '\t', '\r', '\n']);
        if let Some(c) = trimmed.chars().next().filter(|c| is_mark(*c)) {
            let at = span.start + i + 1 + (rest.len() - trimmed.len());
            if out.last().is_none_or(|(o, _)| *o != at) {
                out.push((at, c));
            }
        }
    }
    if let Some((i, c)) = text.char_indices().last() {
        if i > 0 && is_mark(c) {
            out.push((span.start + i, c));
        }
    }
    out
}

fn is_mark(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’')
}

/// Edits converting the quotations overlapping `within` to `style`.
pub fn convert(article: &Article, within: Span, style: MarkStyle) -> Vec<TextEdit> {
    let mut edits = Vec::new();
    let mut covered: Vec<Span> = Vec::new();
    for q in article
        .analysis
        .quotes
        .iter()
        .filter(|q| q.span.overlaps(within) || q.span.start == within.start)
    {
        covered.push(q.span);
        let marks = boundary_marks(article, q.span);
        let closing_at = marks.last().map(|(o, _)| *o).filter(|o| *o > q.span.start);
        for (offset, mark) in marks {
            let opening = Some(offset) != closing_at;
            let replacement = match (style, mark, opening) {
                (MarkStyle::Curly, '"', true) => '“',
                (MarkStyle::Curly, '"', false) => '”',
                (MarkStyle::Curly, '\'', true) => '‘',
                (MarkStyle::Curly, '\'', false) => '’',
                (MarkStyle::Straight, '“' | '”', _) => '"',
                (MarkStyle::Straight, '‘' | '’', _) => '\'',
                _ => continue,
            };
            edits.push(TextEdit::replace(
                Span::new(offset, offset + mark.len_utf8()),
                replacement.to_string(),
            ));
        }
    }
    // Apostrophes between letters inside the converted quotations.
    for span in covered {
        let text = article.slice(span);
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        for w in chars.windows(3) {
            let [(_, a), (i, mark), (_, b)] = [w[0], w[1], w[2]];
            if !(a.is_alphabetic() && b.is_alphabetic()) {
                continue;
            }
            let replacement = match (style, mark) {
                (MarkStyle::Curly, '\'') => '’',
                (MarkStyle::Straight, '’') => '\'',
                _ => continue,
            };
            let at = span.start + i;
            edits.push(TextEdit::replace(
                Span::new(at, at + mark.len_utf8()),
                replacement.to_string(),
            ));
        }
    }
    edits.sort_by_key(|e| e.span.start);
    edits.dedup_by_key(|e| e.span);
    edits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Attribution, QuoteKind};
    use crate::features::article::Language;
    use crate::features::edit::apply;
    use crate::features::testkit::Kit;

    #[test]
    fn converts_to_the_majority_style() {
        let text = "“We can't stop now,” she said. \"Not after this year,\" she added.\n\n“The ships won’t wait.\n\n“Nor will we,\" said one captain.";
        let mut kit = Kit::new(text, false);
        for q in [
            "“We can't stop now,”",
            "\"Not after this year,\"",
            "“The ships won’t wait.\n\n“Nor will we,\"",
        ] {
            kit.quote(q, 0, QuoteKind::Full, Attribution::None, None, None);
        }
        let article = Article::new(&kit.text, &kit.analysis, Language::PlainText);
        assert_eq!(
            target_style(&article, QuoteStyle::Auto),
            MarkStyle::Curly,
            "4 curly marks, 3 straight"
        );
        assert_eq!(
            target_style(&article, QuoteStyle::Straight),
            MarkStyle::Straight
        );
        let all = Span::new(0, text.len());
        assert_eq!(
            apply(text, &convert(&article, all, MarkStyle::Curly)),
            "“We can’t stop now,” she said. “Not after this year,” she added.\n\n“The ships won’t wait.\n\n“Nor will we,” said one captain."
        );
        assert_eq!(
            apply(text, &convert(&article, all, MarkStyle::Straight)),
            "\"We can't stop now,\" she said. \"Not after this year,\" she added.\n\n\"The ships won't wait.\n\n\"Nor will we,\" said one captain."
        );
        let second = text.find("\"Not").unwrap();
        assert_eq!(
            convert(&article, Span::new(second, second + 1), MarkStyle::Curly).len(),
            2
        );
    }
}
