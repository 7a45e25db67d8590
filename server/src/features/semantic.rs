//! Semantic tokens: people, organisations, places, quotations and speakers, for highlighting.
//!
//! Tokens never overlap and never cross a line break (what LSP clients accept): where kinds
//! nest, the innermost wins: a speaker's words over an entity mention, a mention over the
//! quotation holding it, which is split around it.

use super::article::Article;
use crate::analysis::{EntityKind, Span};

/// Token types, in legend order (the LSP layer advertises [`LEGEND`] and sends the index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TokenType {
    Person = 0,
    Organization = 1,
    Location = 2,
    Quotation = 3,
    Speaker = 4,
}

/// The token type names, indexed by [`TokenType`] as u32.
pub const LEGEND: [&str; 5] = ["person", "organization", "location", "quotation", "speaker"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SemanticToken {
    pub span: Span,
    pub kind: TokenType,
}

/// Tokens overlapping `range` (whole tokens, split at line breaks), in document order.
pub fn semantic_tokens(article: &Article, range: Span) -> Vec<SemanticToken> {
    let quotes: Vec<SemanticToken> = article
        .analysis
        .quotes
        .iter()
        .map(|q| SemanticToken {
            span: q.span,
            kind: TokenType::Quotation,
        })
        .collect();
    let mentions: Vec<SemanticToken> = article
        .analysis
        .entities
        .iter()
        .flat_map(|e| {
            let kind = match e.kind {
                EntityKind::Person => Some(TokenType::Person),
                EntityKind::Organization => Some(TokenType::Organization),
                EntityKind::Location => Some(TokenType::Location),
                EntityKind::Misc => None,
            };
            e.mentions
                .iter()
                .filter_map(move |m| kind.map(|kind| SemanticToken { span: m.span, kind }))
        })
        .collect();
    let speakers: Vec<SemanticToken> = article
        .analysis
        .quotes
        .iter()
        .filter_map(|q| q.speaker.as_ref())
        .map(|s| SemanticToken {
            span: s.span,
            kind: TokenType::Speaker,
        })
        .collect();
    let layered = overlay(
        overlay(normalize(quotes), normalize(mentions)),
        normalize(speakers),
    );
    let mut out = Vec::new();
    for token in layered
        .into_iter()
        .filter(|t| t.span.overlaps(range) || t.span.start == range.start)
    {
        let mut start = token.span.start;
        for line in article.slice(token.span).split_inclusive('\n') {
            let body = line.trim_end_matches(['\n', '\r']);
            if !body.is_empty() {
                out.push(SemanticToken {
                    span: Span::new(start, start + body.len()),
                    kind: token.kind,
                });
            }
            start += line.len();
        }
    }
    out
}

/// Sorted, with tokens overlapping an earlier one dropped (nested quotations keep the outer).
fn normalize(mut tokens: Vec<SemanticToken>) -> Vec<SemanticToken> {
    tokens.retain(|t| !t.span.is_empty());
    tokens.sort_by_key(|t| (t.span.start, std::cmp::Reverse(t.span.end)));
    let mut out: Vec<SemanticToken> = Vec::with_capacity(tokens.len());
    for t in tokens {
        if out.last().is_none_or(|last| last.span.end <= t.span.start) {
            out.push(t);
        }
    }
    out
}

/// `top` over `base`: base tokens are cut around top tokens. Both sorted and non-overlapping.
fn overlay(base: Vec<SemanticToken>, top: Vec<SemanticToken>) -> Vec<SemanticToken> {
    let mut out = Vec::with_capacity(base.len() + top.len());
    let mut j = 0;
    for b in base {
        let mut start = b.span.start;
        while j < top.len() && top[j].span.end <= start {
            j += 1;
        }
        let mut k = j;
        while k < top.len() && top[k].span.start < b.span.end {
            if top[k].span.start > start {
                out.push(SemanticToken {
                    span: Span::new(start, top[k].span.start),
                    kind: b.kind,
                });
            }
            start = start.max(top[k].span.end);
            k += 1;
        }
        if start < b.span.end {
            out.push(SemanticToken {
                span: Span::new(start, b.span.end),
                kind: b.kind,
            });
        }
    }
    out.extend(top);
    out.sort_by_key(|t| t.span.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Attribution, QuoteKind};
    use crate::features::article::Language;
    use crate::features::testkit::{ferry, Kit};

    fn render(article: &Article, tokens: &[SemanticToken]) -> Vec<(String, TokenType)> {
        tokens
            .iter()
            .map(|t| (article.slice(t.span).to_string(), t.kind))
            .collect()
    }

    #[test]
    fn innermost_kind_wins_and_tokens_stay_on_one_line() {
        let text = "“Ask Okafor, not me.\n\n“The port is shut,” said Okafor.";
        let mut kit = Kit::new(text, false);
        let id = kit.entity(EntityKind::Person, "Chidi Okafor", &["Okafor", "Okafor"]);
        kit.quote(
            text.trim_end_matches(" said Okafor."),
            0,
            QuoteKind::Full,
            Attribution::Explicit,
            Some(("Chidi Okafor", "Okafor", Some(id))),
            None,
        );
        let article = Article::new(&kit.text, &kit.analysis, Language::PlainText);
        let tokens = semantic_tokens(&article, Span::new(0, text.len()));
        use TokenType::*;
        assert_eq!(
            render(&article, &tokens),
            vec![
                ("“Ask ".into(), Quotation),
                ("Okafor".into(), Person),
                (", not me.".into(), Quotation),
                ("“The port is shut,”".into(), Quotation),
                ("Okafor".into(), Speaker),
            ]
        );
    }

    #[test]
    fn ferry_tokens_in_a_range() {
        let kit = ferry();
        let article = Article::new(&kit.text, &kit.analysis, Language::PlainText);
        let line = article.line_span(article.line_start(11));
        let tokens = semantic_tokens(&article, line);
        use TokenType::*;
        assert_eq!(
            render(&article, &tokens),
            vec![
                ("Okafor".into(), Person),
                ("“Every empty sailing costs us money,”".into(), Quotation),
                ("he".into(), Speaker),
            ]
        );
    }
}
