//! The mention contexts of one document kept between linking passes ([`LinkCache`]), moved
//! along with each edit: the few around it worked out again, those after it moved lazily.

use std::ops::Range;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::{MentionContext, Spellings, MARGIN};
use crate::analysis::model::Span;
use crate::entities::RawMention;

#[derive(Debug, Clone)]
struct Entry {
    mention: RawMention,
    /// The bytes the context may depend on (current offsets), clamped to the text.
    window: Span,
    context: Arc<MentionContext>,
}

/// Mention contexts of one document, kept in step with its edits.
#[derive(Debug, Clone, Default)]
pub struct LinkCache {
    /// Sorted by (start, longest first), as linking takes mentions.
    entries: Vec<Entry>,
    /// The entries from this index on are this many bytes further on than they say. The entries
    /// after an edit are a suffix: a keystroke moves them here, not one by one (≈ 4.7 M
    /// instructions at 10 MB), and only those between its place and the last one's are moved
    /// in place.
    pending: (usize, isize),
    /// No window held is longer: how far before an edit a window that touches it may start.
    longest: usize,
    /// Word counts of entity names (titles and possessives aside), which linking asks for every
    /// entity on every pass: a name's count depends on the name alone.
    name_lengths: FxHashMap<String, usize>,
    /// The names' words and spellings the contexts share.
    spellings: Spellings,
    /// The tagger's second-stage labels per paragraph (keyed by content, so edits need no care).
    pub second_stage: crate::entities::SecondStageCache,
    /// What the last linking grouped, by mention context (see `linking::incremental`).
    pub(in crate::entities) linked: Option<crate::entities::linking::LinkState>,
    /// How many items the last linking grouped again (`None`: all of them).
    pub(in crate::entities) relinked: Option<usize>,
    /// What recall found per paragraph (see [`crate::entities::recall_cached`]).
    pub recall: crate::entities::RecallCache,
}

/// `held` and `redone` (each sorted by mention, start then longest first) merged as a stable
/// sort of the two appended would order them: a held entry before a redone one with the same
/// key.
fn merge(held: Vec<Entry>, mut redone: Vec<Entry>) -> Vec<Entry> {
    let key = |e: &Entry| (e.mention.span.start, std::cmp::Reverse(e.mention.span.end));
    redone.sort_by_key(key);
    let mut merged = Vec::with_capacity(held.len() + redone.len());
    let mut held = held.into_iter().peekable();
    for r in redone {
        while let Some(e) = held.next_if(|e| key(e) <= key(&r)) {
            merged.push(e);
        }
        merged.push(r);
    }
    merged.extend(held);
    merged
}

/// `e` moved `delta` bytes.
fn shift_entry(e: &mut Entry, delta: isize) {
    let moved = |x: usize| x.wrapping_add_signed(delta);
    e.mention.span = Span::new(moved(e.mention.span.start), moved(e.mention.span.end));
    e.window = Span::new(moved(e.window.start), moved(e.window.end));
}

/// More distinct names than this and the word counts are forgotten (bounds the memory).
const NAME_LENGTHS_KEPT: usize = 65_536;

impl LinkCache {
    /// The bytes `old_end - start` at `start` were replaced by `new_end - start` bytes: drop the
    /// contexts whose window touches the replaced bytes (or the end of the text, when the
    /// window reaches it and the edit is there) and move those after it.
    pub fn edited(&mut self, start: usize, old_end: usize, new_end: usize) {
        let near = self.near_edit((start, old_end, new_end));
        let kept = self.entries[near.clone()]
            .iter()
            .filter(|e| e.window.end < start)
            .cloned()
            .collect();
        self.replace(near, kept);
    }

    /// Moves the entries after `start..old_end` by the edit's length difference (lazily: see
    /// `pending`) and brings those whose window may touch it into current offsets: the range
    /// returned. Those in it whose window ends before `start` stay as they are; the others
    /// touch the replaced bytes (or the end of the text, when the window reaches it and the
    /// edit is there).
    fn near_edit(&mut self, (start, old_end, new_end): (usize, usize, usize)) -> Range<usize> {
        let (from, delta) = self.pending;
        let window_start = |entries: &[Entry], i: usize| {
            let w = entries[i].window.start;
            if i >= from {
                w.wrapping_add_signed(delta)
            } else {
                w
            }
        };
        // Window starts rise with mention starts: the entries after the edit are a suffix, and
        // a window touching it starts at most `longest` before it.
        let after = first_index(self.entries.len(), |i| {
            window_start(&self.entries, i) > old_end
        });
        let near = first_index(after, |i| {
            window_start(&self.entries, i).saturating_add(self.longest) >= start
        });
        let edit_delta = new_end as isize - old_end as isize;
        if from <= after {
            for e in self.entries.get_mut(from..after).unwrap_or_default() {
                shift_entry(e, delta);
            }
            self.pending = (after, delta + edit_delta);
        } else {
            for e in self.entries.get_mut(after..from).unwrap_or_default() {
                shift_entry(e, edit_delta);
            }
            self.pending = (from, delta + edit_delta);
        }
        near..after
    }

    /// Replaces the entries in `range` (before the lazily moved ones) by `by`, in one move of
    /// those after it, and only when their number changes.
    fn replace(&mut self, range: Range<usize>, by: Vec<Entry>) {
        self.pending.0 = self.pending.0 - range.len() + by.len();
        self.entries.splice(range, by);
    }

    /// Every entry in current offsets.
    fn settle(&mut self) {
        let (from, delta) = std::mem::take(&mut self.pending);
        for e in self.entries.get_mut(from..).unwrap_or_default() {
            shift_entry(e, delta);
        }
    }

    /// [`Self::edited`], then the contexts it dropped are worked out again in the new `text` at
    /// their mentions' new places (`moved` maps an old offset to its new one, `None` inside the
    /// replaced bytes) and kept. True when each reads exactly as before, moved: the same bare
    /// name, title, kind and spelling, no acronym, and the same descriptors where linking asked
    /// for them. Then, with the same mentions (moved) and no mention text touched by the edit,
    /// linking's result is the previous one moved.
    pub fn edited_same(
        &mut self,
        text: &str,
        (start, old_end, new_end): (usize, usize, usize),
        moved: impl Fn(usize) -> Option<usize>,
    ) -> bool {
        let near = self.near_edit((start, old_end, new_end));
        let (kept, dropped): (Vec<Entry>, Vec<Entry>) = self.entries[near.clone()]
            .iter()
            .cloned()
            .partition(|e| e.window.end < start);
        let mut same = true;
        let mut redone = Vec::with_capacity(dropped.len());
        for old in dropped {
            let span = moved(old.mention.span.start)
                .zip(moved(old.mention.span.end))
                .map(|(s, e)| Span::new(s, e))
                .filter(|s| s.start <= s.end && s.end <= text.len());
            let Some(span) = span else {
                same = false;
                continue;
            };
            let mention = RawMention {
                span,
                kind: old.mention.kind,
            };
            let mut context = Arc::new(MentionContext::compute(text, mention, &mut self.spellings));
            same = same
                && old
                    .context
                    .reads_as(old.mention.span.start, &context, span.start, text, &moved);
            if old.context.stands_for(&context, span.start, text) {
                context = old.context;
            } else if old.context.acronym.is_none()
                && matches!(old.context.same_item(&context, span.start), Some(Some(_)))
            {
                // Only what describes the name changed ("Njeri Halvorsen, the head" typed a
                // letter at a time): linking keeps its group and describes its entity anew.
                context.take_mark(&old.context);
            }
            redone.push(Entry {
                mention,
                window: Span::new(
                    span.start.saturating_sub(MARGIN),
                    (span.end + MARGIN).min(text.len()),
                ),
                context,
            });
        }
        self.longest = redone
            .iter()
            .map(|e| e.window.len())
            .fold(self.longest, usize::max);
        // The redone order among the entries near the edit: each one before it ends before the
        // edit, each one after it lies after the edit.
        self.replace(near, merge(kept, redone));
        same
    }

    /// Forget everything (a new text).
    pub fn clear(&mut self) {
        self.entries.clear();
        self.pending = (0, 0);
        self.longest = 0;
        self.name_lengths.clear();
        self.spellings = Spellings::default();
        self.second_stage.clear();
        self.linked = None;
        self.relinked = None;
    }

    /// `count(name)`, remembered by name.
    pub(in crate::entities) fn name_length(
        &mut self,
        name: &str,
        count: impl FnOnce(&str) -> usize,
    ) -> usize {
        if let Some(&n) = self.name_lengths.get(name) {
            return n;
        }
        if self.name_lengths.len() >= NAME_LENGTHS_KEPT {
            self.name_lengths.clear();
        }
        let n = count(name);
        self.name_lengths.insert(name.to_owned(), n);
        n
    }

    /// How many mentions the last linking grouped again, keeping the other entities; `None`
    /// when it grouped them all (for tests and benchmarks).
    pub fn relinked_mentions(&self) -> Option<usize> {
        self.relinked
    }

    /// The mentions whose contexts are held, in current offsets (for tests).
    #[cfg(test)]
    pub(crate) fn mention_spans(&self) -> Vec<Span> {
        let (from, delta) = self.pending;
        let moved = |i: usize, x: usize| {
            if i >= from {
                x.wrapping_add_signed(delta)
            } else {
                x
            }
        };
        self.entries
            .iter()
            .enumerate()
            .map(|(i, e)| Span::new(moved(i, e.mention.span.start), moved(i, e.mention.span.end)))
            .collect()
    }

    /// Number of mention contexts held (for tests).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The contexts of `sorted` (sorted as the entries), reused where cached, computed where
    /// not; afterwards the cache holds exactly these.
    pub(in crate::entities) fn contexts(
        &mut self,
        text: &str,
        sorted: &[RawMention],
    ) -> Vec<Arc<MentionContext>> {
        self.settle();
        let key = |m: &RawMention| (m.span.start, std::cmp::Reverse(m.span.end));
        let mut out = Vec::with_capacity(sorted.len());
        let mut entries = Vec::with_capacity(sorted.len());
        let mut old = 0;
        for &m in sorted {
            while old < self.entries.len() && key(&self.entries[old].mention) < key(&m) {
                old += 1;
            }
            let cached = self.entries[old..]
                .iter()
                .take_while(|e| key(&e.mention) == key(&m))
                .find(|e| e.mention == m)
                .map(|e| Arc::clone(&e.context));
            let context = cached
                .unwrap_or_else(|| Arc::new(MentionContext::compute(text, m, &mut self.spellings)));
            let window = Span::new(
                m.span.start.saturating_sub(MARGIN),
                (m.span.end + MARGIN).min(text.len()),
            );
            entries.push(Entry {
                mention: m,
                window,
                context: Arc::clone(&context),
            });
            out.push(context);
        }
        self.longest = entries.iter().map(|e| e.window.len()).max().unwrap_or(0);
        self.entries = entries;
        out
    }
}

/// The first of `0..n` for which `is_past` holds, given that it holds from some index on.
fn first_index(n: usize, is_past: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if is_past(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}
