//! Inlay hints naming the inferred speaker after quotations attributed by continuation or pronoun.
//!
//! Explicitly attributed quotations need no hint: the name is in the text. A quotation that is
//! a continuation, or whose speaker is "he"/"she"/"they", gets "— Name" after its closing mark,
//! so the reporter sees at a glance whom the copy desk's reading gives it to.

use super::article::Article;
use crate::analysis::{Attribution, Span};

/// A hint shown after `offset`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlayHint {
    pub offset: usize,
    pub label: String,
    pub tooltip: String,
}

/// The hints for quotations ending inside `range`.
pub fn inlay_hints(article: &Article, range: Span) -> Vec<InlayHint> {
    let mut out = Vec::new();
    for (index, quote) in article.analysis.quotes.iter().enumerate() {
        if quote.span.end < range.start || quote.span.end > range.end {
            continue;
        }
        let Some(speaker) = &quote.speaker else {
            continue;
        };
        let tooltip = match quote.attribution {
            Attribution::Continuation => match article.continued_quote(index) {
                Some(previous) => format!(
                    "Continuation of {}’s quote on line {}",
                    speaker.name,
                    article.line(previous.span.start)
                ),
                None => format!("Continuation of {}’s quote", speaker.name),
            },
            Attribution::Pronoun => {
                format!(
                    "“{}” resolved to {}",
                    article.slice(speaker.span),
                    speaker.name
                )
            }
            Attribution::Explicit | Attribution::None => continue,
        };
        out.push(InlayHint {
            offset: quote.span.end,
            label: format!("— {}", speaker.name),
            tooltip,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::article::Language;
    use crate::features::testkit::{ferry, find, FERRY};

    #[test]
    fn hints_follow_continuation_and_pronoun_quotations() {
        let kit = ferry();
        let article = Article::new(&kit.text, &kit.analysis, Language::PlainText);
        let hints = inlay_hints(&article, Span::new(0, FERRY.len()));
        assert_eq!(
            hints,
            vec![
                InlayHint {
                    offset: find(FERRY, "“Fuel is now our biggest single cost.”", 0).end,
                    label: "— Chidi Okafor".into(),
                    tooltip: "Continuation of Chidi Okafor’s quote on line 7".into(),
                },
                InlayHint {
                    offset: find(FERRY, "“Every empty sailing costs us money,”", 0).end,
                    label: "— Chidi Okafor".into(),
                    tooltip: "“he” resolved to Chidi Okafor".into(),
                },
            ]
        );
        assert_eq!(
            inlay_hints(&article, Span::new(0, hints[0].offset - 1)),
            vec![]
        );
    }
}
