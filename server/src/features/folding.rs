//! Folding ranges: quotations that run over several paragraphs, and Markdown sections.

use super::article::Article;
use crate::analysis::{BlockKind, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldKind {
    /// A quotation spanning more than one line.
    Quotation,
    /// A heading and everything up to the next heading of the same or a higher level.
    Section,
}

/// A foldable region; the LSP layer folds from the line of `span.start` to that of `span.end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fold {
    pub span: Span,
    pub kind: FoldKind,
}

/// Every fold, ordered by start.
pub fn folding_ranges(article: &Article) -> Vec<Fold> {
    let mut out: Vec<Fold> = article
        .analysis
        .quotes
        .iter()
        .filter(|q| article.slice(q.span).trim_end().contains('\n'))
        .map(|q| Fold {
            span: q.span,
            kind: FoldKind::Quotation,
        })
        .collect();
    let blocks = &article.analysis.blocks;
    for (i, block) in blocks.iter().enumerate() {
        if block.kind != BlockKind::Heading {
            continue;
        }
        let last = blocks[i + 1..]
            .iter()
            .take_while(|b| !(b.kind == BlockKind::Heading && b.level <= block.level))
            .last();
        if let Some(last) = last {
            out.push(Fold {
                span: Span::new(block.span.start, last.span.end),
                kind: FoldKind::Section,
            });
        }
    }
    out.sort_by_key(|f| (f.span.start, f.span.end));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Attribution, QuoteKind};
    use crate::features::article::Language;
    use crate::features::testkit::{find, Kit};

    #[test]
    fn multi_paragraph_quotations_and_sections_fold() {
        let text = "# Harbour plan\n\n## Reaction\n\n“We waited ten years.\n\n“Now we wait no more,” said one trader.\n\n## Cost\n\nIt will cost $4.5 million.\n";
        let mut kit = Kit::new(text, false);
        let quote = "“We waited ten years.\n\n“Now we wait no more,”";
        kit.quote(
            quote,
            0,
            QuoteKind::Full,
            Attribution::Explicit,
            Some(("one trader", "one trader", None)),
            None,
        );
        kit.quote(
            "“Now we wait no more,”",
            0,
            QuoteKind::Full,
            Attribution::Explicit,
            None,
            None,
        );
        let article = Article::new(&kit.text, &kit.analysis, Language::Markdown);
        let folds: Vec<(&str, FoldKind)> = folding_ranges(&article)
            .iter()
            .map(|f| (article.slice(f.span), f.kind))
            .collect();
        assert_eq!(
            folds,
            vec![
                (text.trim_end(), FoldKind::Section),
                ("## Reaction\n\n“We waited ten years.\n\n“Now we wait no more,” said one trader.", FoldKind::Section),
                (quote, FoldKind::Quotation),
                ("## Cost\n\nIt will cost $4.5 million.", FoldKind::Section),
            ]
        );
        let _ = find(text, "Cost", 0);
    }
}
