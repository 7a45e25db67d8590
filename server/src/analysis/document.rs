//! Document-wide passes over the cached paragraph results: block kinds in context, quotation
//! pairing across paragraphs, entity linking, attribution and the findings.

use std::sync::Arc;

use super::model::{Attribution, Block, Entity, EntityId, QuoteKind, Span, Speaker};
use super::paragraph::ParagraphAnalysis;

/// One paragraph of the document as the document passes see it.
#[derive(Debug, Clone)]
pub struct ParagraphRef {
    /// Document offset of the paragraph's first byte: add it to the analysis' spans.
    pub base: usize,
    pub analysis: Arc<ParagraphAnalysis>,
    /// The block with its final kind (headline and fenced code decided in context), document
    /// offsets.
    pub block: Block,
}

impl ParagraphRef {
    /// Whether quotations and speakers are looked for in this paragraph.
    pub fn is_prose(&self) -> bool {
        use super::model::BlockKind;
        !matches!(self.block.kind, BlockKind::Code | BlockKind::Caption)
    }
}

/// Where a per-paragraph quotation candidate sits: paragraph index and index into its `quotes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CandidateRef {
    pub paragraph: usize,
    pub candidate: usize,
}

/// A quotation of the document (outermost only), after multi-paragraph pairing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocQuote {
    /// Document offsets, marks included.
    pub span: Span,
    pub kind: QuoteKind,
    /// The candidate that opens it (first paragraph) …
    pub first: CandidateRef,
    /// … and the one that closes it (the same as `first` for a one-paragraph quotation).
    pub last: CandidateRef,
}

impl DocQuote {
    /// Whether the quotation runs over more than one paragraph.
    pub fn is_multi_paragraph(&self) -> bool {
        self.first.paragraph != self.last.paragraph
    }
}

/// What the attribution pass found for one quotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteAttribution {
    pub attribution: Attribution,
    pub speaker: Option<Speaker>,
    /// See [`super::model::Quote::continues`].
    pub continues: Option<usize>,
}

impl QuoteAttribution {
    pub const NONE: QuoteAttribution =
        QuoteAttribution { attribution: Attribution::None, speaker: None, continues: None };
}

/// The input of the document-wide attribution pass.
#[derive(Debug, Clone, Copy)]
pub struct DocumentView<'a> {
    pub text: &'a str,
    pub paragraphs: &'a [ParagraphRef],
    pub quotes: &'a [DocQuote],
    pub entities: &'a [Entity],
    /// `mention_entities[p][m]`: the entity of raw mention `m` of paragraph `p`, if linked.
    pub mention_entities: &'a [Vec<Option<EntityId>>],
}
