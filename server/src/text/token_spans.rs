//! Token spans kept for a document's lifetime, in a quarter of the memory of a `Vec<Span>`.
//!
//! Every paragraph keeps its tokens' spans (paragraph offsets) for the second stage of the
//! tagger, which re-reads them on every document pass: a 1 MB article has ≈ 200,000 tokens, and
//! a [`Span`] is two `usize`s. A paragraph's offsets fit in 16 bits unless it is longer than
//! 64 KiB, so [`TokenSpans`] keeps two `u16`s a token; a longer paragraph keeps two `u32`s,
//! and one longer than 4 GiB (never in practice: the server analyses documents up to 20 MiB,
//! but analysis takes any text) full spans.

use crate::analysis::model::Span;

/// The spans of one text's tokens, in order (see the module note).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSpans {
    /// Every offset fits in a `u16`.
    Short(Box<[[u16; 2]]>),
    /// Every offset fits in a `u32`.
    Compact(Box<[[u32; 2]]>),
    /// Some offset does not.
    Wide(Box<[Span]>),
}

impl Default for TokenSpans {
    fn default() -> Self {
        TokenSpans::Short(Box::default())
    }
}

impl From<Vec<Span>> for TokenSpans {
    fn from(spans: Vec<Span>) -> Self {
        // Spans are in order and end after they start: the last end is the largest offset.
        let last = spans.iter().map(|s| s.start.max(s.end)).max().unwrap_or(0);
        if u16::try_from(last).is_ok() {
            let narrow = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
            TokenSpans::Short(
                spans
                    .iter()
                    .map(|s| [narrow(s.start), narrow(s.end)])
                    .collect(),
            )
        } else if u32::try_from(last).is_ok() {
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
            TokenSpans::Short(spans) => spans.len(),
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
            TokenSpans::Short(spans) => spans
                .get(i)
                .map(|&[start, end]| Span::new(start as usize, end as usize)),
            TokenSpans::Compact(spans) => spans
                .get(i)
                .map(|&[start, end]| Span::new(start as usize, end as usize)),
            TokenSpans::Wide(spans) => spans.get(i).copied(),
        }
    }

    /// Every span, in order.
    pub fn iter(&self) -> impl Iterator<Item = Span> + '_ {
        let (short, compact, wide): (&[[u16; 2]], &[[u32; 2]], &[Span]) = match self {
            TokenSpans::Short(spans) => (spans, &[], &[]),
            TokenSpans::Compact(spans) => (&[], spans, &[]),
            TokenSpans::Wide(spans) => (&[], &[], spans),
        };
        short
            .iter()
            .map(|&[start, end]| Span::new(start as usize, end as usize))
            .chain(
                compact
                    .iter()
                    .map(|&[start, end]| Span::new(start as usize, end as usize)),
            )
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
    fn short_spans_read_back_as_they_were_given() {
        let text = "Ms. Okafor’s “plan” isn't new, the U.S. envoy said.";
        let spans = crate::text::tokenize(text);
        let kept = TokenSpans::from(spans.clone());
        assert!(matches!(kept, TokenSpans::Short(_)));
        assert_eq!(kept.len(), spans.len());
        assert_eq!(kept.to_vec(), spans);
        assert_eq!(kept.iter().collect::<Vec<_>>(), spans);
        assert_eq!(kept.get(spans.len()), None);
        assert!(TokenSpans::default().is_empty());
    }

    /// The longest offset decides: 65,535 still fits in 16 bits, 65,536 does not.
    #[test]
    fn offsets_past_sixty_four_kilobytes_keep_u32_spans() {
        let edge = vec![Span::new(0, 3), Span::new(65_530, 65_535)];
        let kept = TokenSpans::from(edge.clone());
        assert!(matches!(kept, TokenSpans::Short(_)));
        assert_eq!(kept.to_vec(), edge);
        let past = vec![Span::new(0, 3), Span::new(65_530, 65_536)];
        let kept = TokenSpans::from(past.clone());
        assert!(matches!(kept, TokenSpans::Compact(_)));
        assert_eq!(kept.to_vec(), past);
        assert_eq!(kept.get(1), Some(Span::new(65_530, 65_536)));
        assert_eq!(kept.iter().collect::<Vec<_>>(), past);
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
