//! Token spans kept for a document's lifetime, in half the memory of a `Vec<Span>`.
//!
//! Every paragraph keeps its tokens' spans (paragraph offsets) for the second stage of the
//! tagger, which re-reads them on every document pass: a 1 MB article has ≈ 200,000 tokens, and
//! a [`Span`] is two `usize`s. Paragraph offsets fit in 32 bits, so [`TokenSpans`] keeps two
//! `u32`s a token; a paragraph longer than 4 GiB (never in practice: the server analyses
//! documents up to 20 MiB, but analysis takes any text) keeps full spans.

use crate::analysis::model::Span;

/// The spans of one text's tokens, in order (see the module note).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSpans {
    /// Every offset fits in a `u32`.
    Compact(Box<[[u32; 2]]>),
    /// Some offset does not.
    Wide(Box<[Span]>),
}

impl Default for TokenSpans {
    fn default() -> Self {
        TokenSpans::Compact(Box::default())
    }
}

impl From<Vec<Span>> for TokenSpans {
    fn from(spans: Vec<Span>) -> Self {
        let fits = |n: usize| u32::try_from(n).is_ok();
        if spans.iter().all(|s| fits(s.start) && fits(s.end)) {
            let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
            TokenSpans::Compact(
                spans
                    .iter()
                    .map(|s| [narrow(s.start), narrow(s.end)])
                    .collect(),
            )
        } else {
            TokenSpans::Wide(spans.into_boxed_slice())
        }
    }
}

impl TokenSpans {
    pub fn len(&self) -> usize {
        match self {
            TokenSpans::Compact(spans) => spans.len(),
            TokenSpans::Wide(spans) => spans.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `i`th token's span.
    pub fn get(&self, i: usize) -> Option<Span> {
        match self {
            TokenSpans::Compact(spans) => spans
                .get(i)
                .map(|&[start, end]| Span::new(start as usize, end as usize)),
            TokenSpans::Wide(spans) => spans.get(i).copied(),
        }
    }

    /// Every span, in order.
    pub fn iter(&self) -> impl Iterator<Item = Span> + '_ {
        let (compact, wide): (&[[u32; 2]], &[Span]) = match self {
            TokenSpans::Compact(spans) => (spans, &[]),
            TokenSpans::Wide(spans) => (&[], spans),
        };
        compact
            .iter()
            .map(|&[start, end]| Span::new(start as usize, end as usize))
            .chain(wide.iter().copied())
    }

    pub fn to_vec(&self) -> Vec<Span> {
        self.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_spans_read_back_as_they_were_given() {
        let text = "Ms. Okafor’s “plan” isn't new, the U.S. envoy said.";
        let spans = crate::text::tokenize(text);
        let kept = TokenSpans::from(spans.clone());
        assert!(matches!(kept, TokenSpans::Compact(_)));
        assert_eq!(kept.len(), spans.len());
        assert_eq!(kept.to_vec(), spans);
        assert_eq!(kept.iter().collect::<Vec<_>>(), spans);
        assert_eq!(kept.get(spans.len()), None);
        assert!(TokenSpans::default().is_empty());
    }

    #[test]
    fn offsets_past_four_gigabytes_keep_full_spans() {
        let far = u32::MAX as usize + 10;
        let spans = vec![Span::new(0, 3), Span::new(far, far + 2)];
        let kept = TokenSpans::from(spans.clone());
        assert!(matches!(kept, TokenSpans::Wide(_)));
        assert_eq!(kept.to_vec(), spans);
        assert_eq!(kept.get(1), Some(Span::new(far, far + 2)));
    }
}
