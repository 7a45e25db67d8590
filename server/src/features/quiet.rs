//! "While a paragraph is being typed, don't nag": hold back `unattributed-quote` in the paragraph
//! under edit until it has been still for [`QUIET_PERIOD`].
//!
//! A pure filter: the LSP layer says which paragraph was last edited and how long ago; this says
//! what to publish now and when to publish again. A reporter typing `“We will…` gets no warning
//! before they have had the chance to write `,” she said.`; every other diagnostic, and this one
//! everywhere else, is published at once.

use std::time::Duration;

use super::article::Article;
use super::diagnostics::Diagnostic;
use crate::analysis::{Rule, Span};

/// How long a paragraph must be still before its unattributed quotations are reported.
pub const QUIET_PERIOD: Duration = Duration::from_millis(1500);

/// The rules held back while their paragraph is being typed.
pub const HELD_RULES: [Rule; 1] = [Rule::UnattributedQuote];

/// The paragraph being typed and how long ago it was last edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Typing {
    pub paragraph: Span,
    pub since_edit: Duration,
}

/// The span of the block an edit at `offset` (in the new text) is typing into: the block holding
/// it, or ending right at it (typing at the end of a paragraph).
pub fn paragraph_under_edit(article: &Article, offset: usize) -> Option<Span> {
    // Blocks are in document order and do not overlap: the first ending at or after `offset`
    // is the only one that can hold it (found by bisection, as `Article::block_at` does: this
    // runs on every publish).
    let blocks = &article.analysis.blocks;
    let i = blocks.partition_point(|b| b.span.end < offset);
    blocks
        .get(i)
        .filter(|b| b.span.start <= offset)
        .map(|b| b.span)
        .or_else(|| Some(article.line_span(offset)).filter(|s| !s.is_empty()))
}

/// What to publish now, and how long until the held-back diagnostics may be shown (then the
/// caller filters again with the new elapsed time, and publishes if nothing was edited since).
pub fn hold_back(
    diagnostics: Vec<Diagnostic>,
    typing: Option<Typing>,
) -> (Vec<Diagnostic>, Option<Duration>) {
    let Some(typing) = typing.filter(|t| t.since_edit < QUIET_PERIOD) else {
        return (diagnostics, None);
    };
    let before = diagnostics.len();
    let kept: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| {
            let held = d.rule.is_some_and(|r| HELD_RULES.contains(&r));
            let touches = d.span.overlaps(typing.paragraph)
                || (typing.paragraph.start <= d.span.start && d.span.start <= typing.paragraph.end);
            !(held && touches)
        })
        .collect();
    let retry = (kept.len() < before).then(|| QUIET_PERIOD.saturating_sub(typing.since_edit));
    (kept, retry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Severity;
    use crate::features::article::Language;
    use crate::features::testkit::{ferry, find, FERRY};

    fn diag(rule: Rule, span: Span) -> Diagnostic {
        Diagnostic {
            rule: Some(rule),
            code: rule.code(),
            severity: Severity::Warning,
            span,
            message: "".into(),
            fix: None,
        }
    }

    #[test]
    fn unattributed_quote_waits_in_the_paragraph_being_typed_only() {
        let kit = ferry();
        let article = Article::new(&kit.text, &kit.analysis, Language::PlainText);
        let last = find(FERRY, "“It is the end of the cheap crossing.”", 0);
        let typing_at = last.end - 3;
        let paragraph = paragraph_under_edit(&article, typing_at).unwrap();
        assert_eq!(paragraph, last);
        let elsewhere = find(FERRY, "“Nobody", 0);
        let all = vec![
            diag(Rule::UnattributedQuote, elsewhere),
            diag(Rule::UnattributedQuote, last),
            diag(Rule::UnbalancedQuote, last),
        ];
        let typing = Typing {
            paragraph,
            since_edit: Duration::from_millis(400),
        };
        let (now, retry) = hold_back(all.clone(), Some(typing));
        assert_eq!(now, vec![all[0].clone(), all[2].clone()]);
        assert_eq!(retry, Some(Duration::from_millis(1100)));
        let still = Typing {
            paragraph,
            since_edit: Duration::from_millis(1500),
        };
        assert_eq!(hold_back(all.clone(), Some(still)), (all.clone(), None));
        assert_eq!(hold_back(all.clone(), None), (all, None));
        assert_eq!(
            paragraph_under_edit(&article, paragraph.end),
            Some(paragraph),
            "typing at the end"
        );
    }

    /// At every offset of a story with a headline, a byline, paragraphs and a list, the block
    /// found by bisection is the first holding the offset or ending at it, as a scan finds it.
    #[test]
    fn the_paragraph_under_an_edit_is_the_first_block_holding_it() {
        let text = format!("{FERRY}\n\n- one item\n- another\n\nBy Ada Kroft\nThe end.\n");
        let analysis = crate::analysis::analyze(&text);
        let article = Article::new(&text, &analysis, Language::PlainText);
        assert!(analysis.blocks.len() > 4, "{:?}", analysis.blocks);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let scanned = analysis
                .blocks
                .iter()
                .find(|b| b.span.start <= offset && offset <= b.span.end)
                .map(|b| b.span)
                .or_else(|| Some(article.line_span(offset)).filter(|s| !s.is_empty()));
            assert_eq!(
                paragraph_under_edit(&article, offset),
                scanned,
                "at {offset}"
            );
        }
    }
}
