//! The incremental analyzer: paragraphs cached by content, re-split only around an edit.
//!
//! The document is kept as paragraph slots (byte range, content hash, shared per-paragraph
//! result). An edit re-splits from the paragraph before the one it touches until the new split
//! meets an old paragraph boundary again; unchanged paragraphs keep their results and only move.
//! The document-wide passes then run over the paragraph results, unless the edit only moved
//! what they read: then the last result is reused with its offsets moved (see [`super::shift`];
//! what an edit leaves valid is decided in [`reuse`]).

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use super::attribution::{Change, ResolveCache, NO_CUES};
use super::document::{self, ParagraphMentions, ParagraphRef, Placed};
use super::model::{Analysis, Entity, Span};
use super::paragraph::{analyze_paragraph, ParagraphAnalysis, ParagraphOptions};
use super::shift::{MovedFrom, Shift};
use super::split;
use super::Edit;
use crate::entities::LinkCache;
use reuse::{is_prose, prose_alike_outside};

mod reuse;

#[derive(Debug, Clone)]
struct Slot {
    span: Span,
    hash: u64,
    analysis: Arc<ParagraphAnalysis>,
}

/// Incremental analysis of one document: caches per-paragraph results between edits.
#[derive(Debug, Default)]
pub struct Analyzer {
    len: usize,
    slots: Vec<Slot>,
    /// How many paragraphs the last `update` analysed afresh (for tests and benchmarks).
    last_fresh: usize,
    /// Entity linking's per-mention work, moved along with each edit.
    links: LinkCache,
    /// What every cached paragraph was analysed with (part of the cache key).
    options: Arc<ParagraphOptions>,
    /// The options changed since the cache was filled: the next `update` starts afresh.
    options_changed: bool,
    /// The last result and, per slot, the mentions after the second stage it was built from.
    last: Option<Last>,
    /// Whether the last `update` reused the previous result moved (for tests and benchmarks).
    last_moved: bool,
    /// The last `update`'s result as the previous one moved, when it was (for the naming
    /// checks, which then need not compare the two).
    moved_from: Option<MovedFrom>,
    /// Whether the last `update` reused linking's previous result moved, running the other
    /// passes (for tests and benchmarks).
    last_linking_moved: bool,
    /// Attribution's per-paragraph results of the last document pass, kept in step with the
    /// result.
    attribution: ResolveCache,
}

/// What an edit leaves of the last result (see [`Analyzer::moved`]).
enum Reuse {
    /// The result moved by the shift (paragraphs from the given one on moved).
    Whole(Analysis, Shift, usize),
    /// Linking's entities moved by the shift.
    Linking(Vec<Entity>, Shift),
    /// Nothing, but offsets outside the re-split paragraphs moved by the shift (linking runs
    /// again; attribution may keep what the new entities leave valid).
    Relinked(Shift),
    Nothing,
}

#[derive(Debug)]
struct Last {
    analysis: Arc<Analysis>,
    mentions: Vec<ParagraphMentions>,
}

/// The slots an edit re-split: from index `first`, `old` were replaced by `new` slots.
struct Replaced {
    first: usize,
    old: Vec<Slot>,
    new: usize,
}

fn content_hash(text: &str) -> u64 {
    let mut h = DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

impl Analyzer {
    /// An analyzer using `options` (configured speech verbs, …).
    pub fn with_options(options: &crate::config::AnalysisOptions) -> Analyzer {
        Analyzer {
            options: Arc::new(ParagraphOptions::new(options)),
            ..Analyzer::default()
        }
    }

    /// Use `options` from the next `reset` or `update` on; if they differ from the current
    /// ones, every paragraph is analysed afresh then (cached results depend on them).
    pub fn set_options(&mut self, options: &crate::config::AnalysisOptions) {
        let options = ParagraphOptions::new(options);
        if options != *self.options {
            self.options = Arc::new(options);
            self.options_changed = true;
        }
    }

    /// Analyse `text` as a new document, dropping any cached state.
    pub fn reset(&mut self, text: &str) -> Arc<Analysis> {
        self.options_changed = false;
        self.slots = split::paragraphs(text)
            .into_iter()
            .map(|span| {
                let body = &text[span.start..span.end];
                Slot {
                    span,
                    hash: content_hash(body),
                    analysis: Arc::new(analyze_paragraph(body, &self.options)),
                }
            })
            .collect();
        self.len = text.len();
        self.last_fresh = self.slots.len();
        self.links.clear();
        self.finish(text, None)
    }

    /// Re-analyse after `edits` (in the order they were applied) turned the previous text into
    /// `text`. The result equals `analyze(text)`.
    pub fn update(&mut self, text: &str, edits: &[Edit]) -> Arc<Analysis> {
        if self.options_changed {
            return self.reset(text);
        }
        match self.combined(text, edits) {
            Some(edit) => {
                let replaced = self.resplit(text, edit);
                self.finish(text, Some((edit, replaced)))
            }
            None => self.reset(text),
        }
    }

    /// Whether the last `update` reused linking's previous result with its offsets moved (and
    /// ran the other document passes).
    pub fn reused_linking(&self) -> bool {
        self.last_linking_moved
    }

    /// How many paragraphs' speech cues the last document pass resolved (attribution moves
    /// the others' results when linking's were moved).
    pub fn attributed_paragraphs(&self) -> usize {
        self.attribution.resolved_paragraphs()
    }

    /// Whether the last document pass kept attribution's name table (every paragraph's full
    /// names) and its entity mentions from the pass before instead of building them again.
    pub fn reused_name_index(&self) -> bool {
        self.attribution.reused_names()
    }

    /// Number of paragraphs the last `reset` or `update` analysed afresh.
    pub fn fresh_paragraphs(&self) -> usize {
        self.last_fresh
    }

    /// Whether the last `update` reused the previous document-wide result with its offsets
    /// moved instead of running the document passes.
    pub fn reused_moved(&self) -> bool {
        self.last_moved
    }

    /// The last `update`'s result as the one before it moved, when [`Analyzer::reused_moved`].
    pub fn moved_from(&self) -> Option<&MovedFrom> {
        self.moved_from.as_ref()
    }

    /// The edits as one replacement, or `None` when they do not fit the text (then re-analyse).
    fn combined(&self, text: &str, edits: &[Edit]) -> Option<Edit> {
        let mut len = self.len;
        // The changed region in the coordinates of the text after the edits so far.
        let mut dirty: Option<(usize, usize)> = None;
        for e in edits {
            if e.start > e.old_end || e.start > e.new_end || e.old_end > len {
                return None;
            }
            let removed = e.old_end - e.start;
            let inserted = e.new_end - e.start;
            let new_len = len - removed + inserted;
            dirty = Some(match dirty {
                None => (e.start, e.new_end),
                Some((s, d_end)) => {
                    // Map the old dirty end through this edit.
                    let mapped_end = if d_end <= e.start {
                        d_end
                    } else if d_end >= e.old_end {
                        d_end - removed + inserted
                    } else {
                        e.new_end
                    };
                    (s.min(e.start), mapped_end.max(e.new_end))
                }
            });
            len = new_len;
        }
        if len != text.len() {
            return None;
        }
        let (start, new_end) = dirty.unwrap_or((0, 0));
        let old_end = new_end + self.len - len;
        if !text.is_char_boundary(start)
            || !text.is_char_boundary(new_end)
            || new_end < start
            || old_end > self.len
        {
            return None;
        }
        Some(Edit {
            start,
            old_end,
            new_end,
        })
    }

    fn resplit(&mut self, text: &str, edit: Edit) -> Replaced {
        let delta = edit.new_end as isize - edit.old_end as isize;
        // Old offsets after the edit move by `delta`; those before it stay.
        let map = |p: usize| {
            if p >= edit.old_end {
                p.checked_add_signed(delta).unwrap_or(0)
            } else {
                p
            }
        };
        // First paragraph the edit touches (it ends at or after the edit's start); start one
        // paragraph earlier, where the old split is certainly still valid.
        let touched = self.slots.partition_point(|s| s.span.end < edit.start);
        let first = touched.saturating_sub(1);
        let mut pos = if touched == 0 {
            0
        } else {
            self.slots[first].span.start
        };
        // Old results in the region, reusable by content (paragraphs split, merged or moved).
        let mut pool: HashMap<(u64, usize), Arc<ParagraphAnalysis>> = HashMap::new();
        let mut old = first;
        let mut fresh_slots = Vec::new();
        let mut fresh = 0;
        let n = self.slots.len();
        let resume = loop {
            let Some(span) = split::next_paragraph(text, pos) else {
                break n;
            };
            if span.start >= edit.new_end {
                while old < n
                    && (self.slots[old].span.start < edit.old_end
                        || map(self.slots[old].span.start) < span.start)
                {
                    let s = &self.slots[old];
                    pool.insert((s.hash, s.span.len()), Arc::clone(&s.analysis));
                    old += 1;
                }
                // The new split meets an old boundary after the edit: the rest is unchanged.
                if old < n
                    && map(self.slots[old].span.start) == span.start
                    && map(self.slots[old].span.end) == span.end
                {
                    break old;
                }
            } else {
                while old < n && map(self.slots[old].span.start) <= span.end {
                    let s = &self.slots[old];
                    pool.insert((s.hash, s.span.len()), Arc::clone(&s.analysis));
                    old += 1;
                }
            }
            let body = &text[span.start..span.end];
            let hash = content_hash(body);
            let analysis = match pool.get(&(hash, body.len())) {
                Some(a) => Arc::clone(a),
                None => {
                    fresh += 1;
                    Arc::new(analyze_paragraph(body, &self.options))
                }
            };
            fresh_slots.push(Slot {
                span,
                hash,
                analysis,
            });
            pos = span.end;
        };
        let tail: Vec<Slot> = self.slots[resume..]
            .iter()
            .map(|s| Slot {
                span: Span::new(map(s.span.start), map(s.span.end)),
                ..s.clone()
            })
            .collect();
        let old: Vec<Slot> = self.slots.drain(first..).take(resume - first).collect();
        let new = fresh_slots.len();
        self.slots.extend(fresh_slots);
        self.slots.extend(tail);
        self.len = text.len();
        self.last_fresh = fresh;
        Replaced { first, old, new }
    }

    /// Each slot's paragraph analysis at its place in the document, as the document pass reads
    /// them.
    fn placed(&self) -> Vec<Placed> {
        self.slots
            .iter()
            .map(|s| Placed {
                base: s.span.start,
                analysis: Arc::clone(&s.analysis),
            })
            .collect()
    }

    /// The document passes over the current slots, or, after an edit that only moved what they
    /// read, the last result moved; after one that only moved what linking reads, the passes
    /// with linking's last result moved.
    fn finish(&mut self, text: &str, edited: Option<(Edit, Replaced)>) -> Arc<Analysis> {
        let paragraphs = document::blocks_in_context(&self.placed());
        let last = self.last.take();
        let held = |i: usize| {
            let (Some((_, replaced)), Some(last)) = (&edited, &last) else {
                return None;
            };
            held_mentions(replaced, last, &paragraphs, i)
        };
        let mentions = document::second_stage_mentions(text, &paragraphs, &mut self.links, held);
        self.last_moved = false;
        self.last_linking_moved = false;
        self.moved_from = None;
        let mut moved_by = None;
        let mut reuse = Reuse::Nothing;
        if let Some((edit, replaced)) = &edited {
            reuse = match &last {
                Some(last) => self.moved(text, *edit, replaced, &paragraphs, &mentions, last),
                None => {
                    self.links.edited(edit.start, edit.old_end, edit.new_end);
                    Reuse::Nothing
                }
            };
        }
        let analysis = match reuse {
            Reuse::Whole(analysis, shift, first) => {
                self.last_moved = true;
                self.attribution.move_from(first, &shift);
                moved_by = Some(shift);
                analysis
            }
            Reuse::Linking(entities, shift) => {
                self.last_linking_moved = true;
                match (&edited, &last) {
                    (Some((_, replaced)), Some(last)) => {
                        let change = self.change(replaced, last, &shift, None);
                        document::build_from_linked(
                            text,
                            &paragraphs,
                            entities,
                            &mut self.attribution,
                            &change,
                        )
                    }
                    _ => self.build(text, &paragraphs, &mentions, None),
                }
            }
            Reuse::Relinked(shift) => match (&edited, &last) {
                (Some((_, replaced)), Some(last))
                    if prose_alike_outside(replaced, &paragraphs, last) =>
                {
                    let old_entities = Some(&last.analysis.entities[..]);
                    let change = self.change(replaced, last, &shift, old_entities);
                    document::build_from(
                        text,
                        &paragraphs,
                        &mentions,
                        &mut self.links,
                        &mut self.attribution,
                        Some(&change),
                    )
                }
                _ => self.build(text, &paragraphs, &mentions, None),
            },
            Reuse::Nothing => self.build(text, &paragraphs, &mentions, None),
        };
        let analysis = Arc::new(analysis);
        if let (Some(shift), Some(last)) = (&moved_by, &last) {
            self.moved_from = Some(MovedFrom::new(&last.analysis, &analysis, shift));
        }
        self.last = Some(Last {
            analysis: Arc::clone(&analysis),
            mentions,
        });
        analysis
    }

    /// Every document pass over the paragraphs.
    fn build(
        &mut self,
        text: &str,
        paragraphs: &[ParagraphRef],
        mentions: &[ParagraphMentions],
        change: Option<&Change<'_>>,
    ) -> Analysis {
        document::build_from(
            text,
            paragraphs,
            mentions,
            &mut self.links,
            &mut self.attribution,
            change,
        )
    }

    /// The edit as attribution sees it: the re-split paragraphs' cues and bytes before and
    /// after it, offsets outside moved by `shift`, and the last entities if linking ran again.
    fn change<'a>(
        &self,
        replaced: &'a Replaced,
        last: &'a Last,
        shift: &'a Shift,
        old_entities: Option<&'a [Entity]>,
    ) -> Change<'a> {
        let first = replaced.first;
        let old_cues = replaced
            .old
            .iter()
            .zip(&last.analysis.blocks[first..])
            .map(|(slot, block)| {
                if is_prose(block.kind) {
                    &slot.analysis.cues
                } else {
                    &NO_CUES
                }
            })
            .collect();
        let region = |slots: &[Slot]| match (slots.first(), slots.last()) {
            (Some(a), Some(b)) => Span::new(a.span.start, b.span.end),
            _ => Span::new(0, 0),
        };
        Change {
            first,
            old_count: replaced.old.len(),
            new_count: replaced.new,
            shift,
            old_cues,
            old_quotes: &last.analysis.quotes,
            old_region: region(&replaced.old),
            new_region: region(&self.slots[first..first + replaced.new]),
            old_entities,
        }
    }
}

/// The last pass's mentions of paragraph `i`, if it is one the edit did not re-split (the same
/// text as the last pass's paragraph it maps to) and is read as prose or not alike.
fn held_mentions(
    replaced: &Replaced,
    last: &Last,
    paragraphs: &[ParagraphRef],
    i: usize,
) -> Option<ParagraphMentions> {
    let o = if i < replaced.first {
        i
    } else if i >= replaced.first + replaced.new {
        i - replaced.new + replaced.old.len()
    } else {
        return None;
    };
    let old_prose = is_prose(last.analysis.blocks.get(o)?.kind);
    let held = last.mentions.get(o)?;
    (old_prose == paragraphs.get(i)?.is_prose()).then(|| Arc::clone(held))
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod typing_names;
