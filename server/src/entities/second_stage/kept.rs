//! The local scores the second stage keeps for the paragraphs it re-tagged most recently, within
//! a budget of tokens: the paragraphs a letter makes stale are mostly those the letters before
//! it made stale (every paragraph holding the word being typed next to), so keeping the last
//! ones spares scoring their words again, while keeping every paragraph's would cost 68 bytes
//! per token of text.

use std::collections::VecDeque;

use super::{IdMap, Known, LABELS};

/// How many tokens' local scores (68 bytes each) are kept (≈ 2.2 MB). Small under test, so that
/// the tests evict.
const KEPT_SCORES: usize = if cfg!(test) { 48 } else { 32 * 1024 };

/// The kept scores' bookkeeping: the scores themselves are [`Known::local`].
#[derive(Debug, Clone, Default)]
pub(super) struct KeptScores {
    /// Tokens whose scores are kept, at most [`KEPT_SCORES`] between paragraphs.
    tokens: usize,
    /// Paragraphs whose scores are kept.
    paragraphs: usize,
    /// (paragraph id, pass) each time a paragraph with kept scores was re-tagged, oldest first;
    /// an entry whose paragraph was re-tagged again later ([`Known::labelled`] is another pass)
    /// or is gone is stale and skipped.
    order: VecDeque<(u64, u64)>,
}

impl KeptScores {
    /// Keep `scores` for `known` (paragraph `id`), re-tagged in `pass` and holding none.
    pub(super) fn keep(&mut self, known: &mut Known, scores: Vec<[f32; LABELS]>) {
        if known.local.is_none() {
            self.tokens += scores.len();
            self.paragraphs += 1;
            known.local = Some(scores.into());
        }
    }

    /// `known` (paragraph `id`) was re-tagged in `pass`: its scores, if kept, are the newest.
    pub(super) fn used(&mut self, id: u64, known: &Known, pass: u64) {
        if known.local.is_some() {
            self.order.push_back((id, pass));
        }
    }

    /// `known` is no longer a paragraph of the document.
    pub(super) fn forget(&mut self, known: &Known) {
        if let Some(local) = &known.local {
            self.tokens = self.tokens.saturating_sub(local.len());
            self.paragraphs = self.paragraphs.saturating_sub(1);
        }
    }

    /// Drop the scores used longest ago until the budget holds.
    pub(super) fn evict(&mut self, known: &mut IdMap<Known>) {
        let live = |known: &IdMap<Known>, &(id, pass): &(u64, u64)| {
            known
                .get(&id)
                .is_some_and(|k| k.labelled == pass && k.local.is_some())
        };
        while self.tokens > KEPT_SCORES {
            let Some(entry) = self.order.pop_front() else {
                break;
            };
            if !live(known, &entry) {
                continue;
            }
            if let Some(gone) = known.get_mut(&entry.0).and_then(|k| k.local.take()) {
                self.tokens = self.tokens.saturating_sub(gone.len());
                self.paragraphs = self.paragraphs.saturating_sub(1);
            }
        }
        // Stale entries pile up while the same paragraphs are re-tagged pass after pass.
        if self.order.len() > 2 * self.paragraphs + 256 {
            self.order.retain(|entry| live(known, entry));
        }
    }

    /// Tokens whose scores are kept (for tests).
    #[cfg(test)]
    pub(super) fn tokens(&self) -> usize {
        self.tokens
    }
}
