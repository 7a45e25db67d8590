//! What of the last result an edit leaves valid but for moving it: all of it, linking's entities,
//! or nothing, decided from what the document passes read and how the edit moved it.

use super::{Analyzer, Last, Replaced, Reuse};
use crate::analysis::document::{ParagraphMentions, ParagraphRef};
use crate::analysis::model::{BlockKind, Span};
use crate::analysis::paragraph::ParagraphAnalysis;
use crate::analysis::shift::{self, Shift};
use crate::analysis::Edit;

impl Analyzer {
    /// What of the last result the edit leaves valid but for moving it: all of it, when
    /// everything the document passes read is the same as before but for the move; linking's
    /// entities, when what linking reads is (the prose paragraphs' mentions and capitalised
    /// words, none touching the edit, and the text around the mentions). Either way it leaves
    /// linking's cache in step with the edit.
    pub(super) fn moved(
        &mut self,
        text: &str,
        edit: Edit,
        replaced: &Replaced,
        paragraphs: &[ParagraphRef],
        mentions: &[ParagraphMentions],
        last: &Last,
    ) -> Reuse {
        let paragraph_shift = self.shift_for(text, edit, replaced);
        let whole = paragraph_shift.is_some();
        let shift = paragraph_shift.unwrap_or(Shift::new(edit.start, edit.old_end, edit.new_end));
        // The contexts linking reads around the mentions near the edit (always brought in step
        // with the edit, even when the mentions differ and linking runs again).
        let same_contexts =
            self.links
                .edited_same(text, (shift.start, shift.old_end, shift.new_end), |x| {
                    shift.offset(x)
                });
        // A paragraph after the edit starting where a deletion ended now starts at its start.
        let tail_collides = self
            .slots
            .get(replaced.first + replaced.new)
            .is_some_and(|s| s.span.start == shift.start && shift.new_end == shift.start);
        if tail_collides {
            return Reuse::Nothing;
        }
        if !same_contexts {
            return Reuse::Relinked(shift);
        }
        if whole && self.same_mentions(replaced, mentions, last, &shift) && !shift.collided() {
            debug_assert_eq!(paragraphs.len(), self.slots.len());
            if let Some(analysis) = shift::moved_analysis(&last.analysis, &shift) {
                return Reuse::Whole(analysis, shift, replaced.first);
            }
        }
        if shift.collided() {
            return Reuse::Nothing;
        }
        if !self.linking_inputs_moved(replaced, paragraphs, mentions, last, &shift) {
            return Reuse::Relinked(shift);
        }
        match shift::moved_entities(&last.analysis.entities, &shift) {
            Some(entities) => Reuse::Linking(entities, shift),
            None => Reuse::Relinked(shift),
        }
    }

    /// Whether, paragraph by paragraph (the re-split ones moved, as `shift_for` found them),
    /// the mentions after the second stage are the last ones moved, none touching the edit.
    fn same_mentions(
        &self,
        replaced: &Replaced,
        mentions: &[ParagraphMentions],
        last: &Last,
        shift: &Shift,
    ) -> bool {
        let (first, n) = (replaced.first, replaced.new);
        mentions.len() == last.mentions.len()
            && mentions
                .iter()
                .zip(&last.mentions)
                .enumerate()
                .all(|(i, (new, old))| {
                    if (first..first + n).contains(&i) {
                        let old_base = replaced.old[i - first].span.start;
                        shift::mentions_moved(old, old_base, new, self.slots[i].span.start, shift)
                    } else {
                        same(new, old)
                    }
                })
    }

    /// Whether linking's inputs are the last ones moved by `shift`: the prose paragraphs'
    /// mentions after the second stage and every paragraph's capitalised words, in document
    /// order, none of those in or next to the re-split paragraphs touching the edit (so each
    /// reads the same text). Paragraphs may have been split or joined. The text linking reads
    /// around the mentions is the caller's check ([`LinkCache::edited_same`]).
    fn linking_inputs_moved(
        &self,
        replaced: &Replaced,
        paragraphs: &[ParagraphRef],
        mentions: &[ParagraphMentions],
        last: &Last,
        shift: &Shift,
    ) -> bool {
        let (first, n_new, n_old) = (replaced.first, replaced.new, replaced.old.len());
        let old_blocks = &last.analysis.blocks;
        if paragraphs.len() + n_old != old_blocks.len() + n_new
            || mentions.len() != paragraphs.len()
            || last.mentions.len() != old_blocks.len()
        {
            return false;
        }
        let prose = is_prose;
        // Outside the re-split paragraphs the content is the same: compare prose-ness and the
        // second stage's mentions (paragraph offsets).
        let old_index = |i: usize| if i < first { i } else { i + n_old - n_new };
        let outside = (0..first).chain(first + n_new..paragraphs.len());
        for i in outside {
            let o = old_index(i);
            let is_prose = paragraphs[i].is_prose();
            if is_prose != prose(old_blocks[o].kind)
                || (is_prose && !same(&mentions[i], &last.mentions[o]))
            {
                return false;
            }
        }
        // The first paragraph after them may start where the edit ends.
        if let Some(p) = paragraphs.get(first + n_new) {
            let touches = |s: Span| shift.touches(s.shifted(p.base));
            if mentions[first + n_new].iter().any(|m| touches(m.span))
                || p.analysis.capital_words.iter().any(touches)
            {
                return false;
            }
        }
        // The re-split paragraphs, in document offsets.
        let old_mentions = replaced.old.iter().enumerate().flat_map(|(k, slot)| {
            let o = first + k;
            let base = slot.span.start;
            let listed = if prose(old_blocks[o].kind) {
                &last.mentions[o][..]
            } else {
                &[]
            };
            listed.iter().map(move |m| m.shifted(base))
        });
        let new_mentions = (first..first + n_new).flat_map(|i| {
            let p = &paragraphs[i];
            let listed = if p.is_prose() { &mentions[i][..] } else { &[] };
            listed.iter().map(move |m| m.shifted(p.base))
        });
        let same_mentions = same_moved(
            old_mentions.map(|m| (m.span, m.kind)),
            new_mentions.map(|m| (m.span, m.kind)),
            shift,
        );
        let old_words = replaced.old.iter().flat_map(|slot| {
            let base = slot.span.start;
            slot.analysis
                .capital_words
                .iter()
                .map(move |w| (w.shifted(base), ()))
        });
        let new_words = paragraphs[first..first + n_new].iter().flat_map(|p| {
            p.analysis
                .capital_words
                .iter()
                .map(move |w| (w.shifted(p.base), ()))
        });
        same_mentions && same_moved(old_words, new_words, shift)
    }

    /// The offset map under which the re-analysed paragraphs read as the old ones moved, if
    /// any: the edit as given, or, for an insertion, widened by the character before it (so
    /// that what ended at the insertion point, a paragraph or an open quotation, grows with it).
    fn shift_for(&self, text: &str, edit: Edit, replaced: &Replaced) -> Option<Shift> {
        if replaced.old.len() != replaced.new {
            return None; // paragraphs split or joined
        }
        let mut shifts = vec![Shift::new(edit.start, edit.old_end, edit.new_end)];
        if edit.start == edit.old_end && edit.start > 0 {
            let before = text[..edit.start]
                .char_indices()
                .next_back()
                .map_or(0, |(i, _)| i);
            shifts.push(Shift::new(before, edit.old_end, edit.new_end));
        }
        let delta = edit.new_end as isize - edit.old_end as isize;
        // The first paragraph after the re-split one moved with the text after the edit.
        let tail = self.slots.get(replaced.first + replaced.new).map(|s| {
            let old = s.span.start.checked_add_signed(-delta).unwrap_or(0);
            (old, s.span.start)
        });
        shifts.into_iter().find(|shift| {
            if tail.is_some_and(|(old, new)| shift.offset(old) != Some(new)) {
                return false;
            }
            let new = &self.slots[replaced.first..replaced.first + replaced.new];
            replaced
                .old
                .iter()
                .zip(new)
                .enumerate()
                .all(|(k, (old, new))| {
                    let i = replaced.first + k;
                    shift::paragraph_moved(
                        &old.analysis,
                        old.span.start,
                        &new.analysis,
                        new.span.start,
                        shift,
                    ) && (i != 0 || first_paragraph_reads_alike(&old.analysis, &new.analysis))
                })
        })
    }
}

/// Whether two paragraphs' mentions are the same (most are the one list, kept).
fn same(a: &ParagraphMentions, b: &ParagraphMentions) -> bool {
    std::sync::Arc::ptr_eq(a, b) || a == b
}

/// Whether a block of this kind is read for quotations and mentions (see
/// [`ParagraphRef::is_prose`]).
pub(super) fn is_prose(kind: BlockKind) -> bool {
    !matches!(kind, BlockKind::Code | BlockKind::Caption)
}

/// Whether every paragraph outside the re-split ones is read for quotations and speakers as it
/// was (a fence typed or deleted changes that of every paragraph after it).
pub(super) fn prose_alike_outside(
    replaced: &Replaced,
    paragraphs: &[ParagraphRef],
    last: &Last,
) -> bool {
    let (first, n_new, n_old) = (replaced.first, replaced.new, replaced.old.len());
    let old_blocks = &last.analysis.blocks;
    paragraphs.len() + n_old == old_blocks.len() + n_new
        && paragraphs[..first]
            .iter()
            .zip(old_blocks)
            .chain(
                paragraphs[first + n_new..]
                    .iter()
                    .zip(&old_blocks[first + n_old..]),
            )
            .all(|(p, old)| p.is_prose() == is_prose(old.kind))
}

/// Whether the spans of `new` are those of `old` moved by `shift` (with the same tags), none
/// touching the edit.
fn same_moved<T: PartialEq>(
    old: impl Iterator<Item = (Span, T)>,
    mut new: impl Iterator<Item = (Span, T)>,
    shift: &Shift,
) -> bool {
    for (span, tag) in old {
        match new.next() {
            Some((n, t)) if t == tag && shift.span(span) == Some(n) && !shift.touches(n) => {}
            _ => return false,
        }
    }
    new.next().is_none()
}

/// What the passes read of the first paragraph beyond its parts: whether it looks like a
/// headline, and whether it is short (see `attribution::attribute`).
fn first_paragraph_reads_alike(old: &ParagraphAnalysis, new: &ParagraphAnalysis) -> bool {
    old.headline_like == new.headline_like && (old.len < 160) == (new.len < 160)
}
