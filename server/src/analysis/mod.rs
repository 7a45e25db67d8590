//! The analysis core: article text in, an [`Analysis`] out. Pure, synchronous, never fails on text.
//!
//! `analyze` is the from-scratch entry point; [`Analyzer`] keeps per-paragraph results cached by
//! content so that an edit re-analyses only the paragraphs it touched. Both must give identical
//! results (a property test says so).

pub mod model;

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

/// Analyse an article from scratch.
pub fn analyze(text: &str) -> Analysis {
    let mut analyzer = Analyzer::default();
    let analysis = analyzer.reset(text);
    Arc::unwrap_or_clone(analysis)
}

/// Incremental analysis of one document: caches per-paragraph results between edits.
#[derive(Debug, Default)]
pub struct Analyzer {
    // TODO(analysis issue): paragraph cache.
}

impl Analyzer {
    /// Analyse `text` as a new document, dropping any cached state.
    pub fn reset(&mut self, _text: &str) -> Arc<Analysis> {
        Arc::new(Analysis::default())
    }

    /// Re-analyse after `edits` (in the order they were applied) turned the previous text into
    /// `text`. The result equals `analyze(text)`.
    pub fn update(&mut self, text: &str, _edits: &[Edit]) -> Arc<Analysis> {
        self.reset(text)
    }
}
