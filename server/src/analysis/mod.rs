//! The analysis core: article text in, an [`Analysis`] out. Pure, synchronous, never fails on text.
//!
//! `analyze` is the from-scratch entry point; [`Analyzer`] keeps per-paragraph results cached by
//! content so that an edit re-analyses only the paragraphs it touched. Both must give identical
//! results (a property test says so).
//!
//! # Pipeline (and the contract between structure/quotes and attribution)
//!
//! 1. [`split`] cuts the document into paragraphs (blank lines and single newlines; soft-wrapped
//!    lines stay together). Each paragraph gets a [`paragraph::ParagraphAnalysis`], a pure
//!    function of its text, cached by content hash, all spans paragraph-relative:
//!    block kind, dateline, masked non-prose ranges and the blanked `prose` text, tokens
//!    ([`crate::text::tokenize`]), quotation candidates
//!    with open/closed state and kind, residue, raw entity mentions ([`crate::entities`]), and
//!    `cues`: attribution's own per-paragraph result (see below).
//! 2. [`document`] runs the document-wide passes over the paragraph results, never over raw text:
//!    block kinds in context (headline, fenced code), multi-paragraph quotation pairing
//!    (→ [`document::DocQuote`], outermost quotations only, document offsets), entity linking,
//!    then attribution, then the findings.
//!
//! Attribution (engineer b, `analysis/attribution/`) plugs in at two points:
//! - `attribution::paragraph_cues(&ParagraphAnalysis, &str, &SpeechVerbs) -> attribution::ParagraphCues`: called once
//!   per paragraph *content* (cached with it); read `prose`, `tokens`, `quotes`,
//!   `mentions`; spans paragraph-relative. Must not depend on anything outside the paragraph.
//! - `attribution::attribute(&document::DocumentView) -> attribution::Attributions`: called once
//!   per analysis after linking; gets the paragraphs (with base offsets and final block kinds),
//!   the document quotations and the linked entities. Returns one [`document::QuoteAttribution`] per document quotation (same order) and
//!   any findings of its own (e.g. `unresolved-pronoun-speaker`). Must be linear in quotes and
//!   mentions: it runs on every keystroke.
//!   The `unattributed-quote` finding is emitted by [`document`] from the result: any `Full` or
//!   `Partial` quotation left with `Attribution::None` (never a `Term`).

pub mod attribution;
pub mod document;
mod incremental;
mod markup;
pub mod model;
pub mod paragraph;
pub(crate) mod quotes;
pub mod shift;
mod split;

pub use incremental::Analyzer;

pub use model::*;

use std::sync::Arc;

/// One replacement in the document, in UTF-8 byte offsets: the old bytes `start..old_end` were
/// replaced by the new bytes `start..new_end` (so `new_end - start` bytes were inserted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

impl Edit {
    /// Replaces the bytes `range` of `text` with `with` and returns the edit that did it (how
    /// tests, benchmarks and examples type into an article).
    pub fn apply(text: &mut String, range: std::ops::Range<usize>, with: &str) -> Edit {
        let edit = Edit {
            start: range.start,
            old_end: range.end,
            new_end: range.start + with.len(),
        };
        text.replace_range(range, with);
        edit
    }
}

/// Analyse an article from scratch.
pub fn analyze(text: &str) -> Analysis {
    analyze_with(text, &crate::config::AnalysisOptions::default())
}

/// Analyse an article from scratch with configured options (extra speech verbs, …).
pub fn analyze_with(text: &str, options: &crate::config::AnalysisOptions) -> Analysis {
    let mut analyzer = Analyzer::with_options(options);
    let analysis = analyzer.reset(text);
    Arc::unwrap_or_clone(analysis)
}
