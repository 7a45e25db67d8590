//! Reusing the last document-wide result across an edit that only moved what the passes read.
//!
//! Most keystrokes change nothing the document passes consume except by moving it: a letter
//! typed inside a lowercase word or inside a quotation leaves every block kind, quotation mark,
//! speech cue, mention and residue where it was, a few bytes further on. The passes (quotation
//! pairing, linking, attribution, findings) depend on offsets only through their order, so their
//! result is then the previous one with its offsets moved. [`Shift`] maps old offsets to new
//! ones; [`paragraph_moved`] says whether a re-analysed paragraph reads as the old one moved
//! (everything the passes read of it, strings included); [`moved_analysis`] moves a result.
//! The analyzer also checks the second stage's mentions and linking's contexts around the edit
//! (the text linking reads beyond the paragraph) before it reuses anything.

use std::cell::Cell;
use std::sync::{Arc, Weak};

use super::attribution::{LocalSpeaker, ParagraphAttribution, QuoteSpeaker};
use super::model::{Analysis, Entity, Span};
use super::paragraph::ParagraphAnalysis;
use super::Edit;
use crate::entities::RawMention;

/// Old document offsets to new ones across one replacement of `start..old_end` by
/// `start..new_end`. An offset at `start` stays; one at or after `old_end` moves by the length
/// difference; one strictly inside the replaced bytes has no image. (For an insertion the
/// analyzer also tries the replacement widened by the character before it, which moves an
/// offset at the insertion point along with the inserted text.)
#[derive(Debug)]
pub struct Shift {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
    /// For a pure deletion both `start` and `old_end` map to `start`: two offsets that were in
    /// order become equal. Seeing both among the offsets compared refuses the reuse.
    saw_start: Cell<bool>,
    saw_old_end: Cell<bool>,
    /// `start` and `old_end` for a pure deletion, else `usize::MAX`, which no offset is: what
    /// [`Shift::offset`] watches for with one comparison.
    watch_start: usize,
    watch_end: usize,
}

impl Shift {
    pub fn new(start: usize, old_end: usize, new_end: usize) -> Shift {
        let deletion = new_end == start && old_end > start;
        Shift {
            start,
            old_end,
            new_end,
            saw_start: Cell::new(false),
            saw_old_end: Cell::new(false),
            watch_start: if deletion { start } else { usize::MAX },
            watch_end: if deletion { old_end } else { usize::MAX },
        }
    }

    /// The new offset of old offset `x`.
    // Inlined: a moved keystroke maps every offset of the last result and of the caches
    // through here (≈ 300 K calls at 10 MB), at ≈ 24 instructions a span out of line.
    #[inline]
    pub fn offset(&self, x: usize) -> Option<usize> {
        if x <= self.start {
            if x == self.watch_start {
                self.saw_start.set(true);
            }
            Some(x)
        } else if x >= self.old_end {
            if x == self.watch_end {
                self.saw_old_end.set(true);
            }
            Some(x - self.old_end + self.new_end)
        } else {
            None
        }
    }

    #[inline]
    pub fn span(&self, s: Span) -> Option<Span> {
        Some(Span::new(self.offset(s.start)?, self.offset(s.end)?))
    }

    /// The maps under which what did not change between `old` and `new` keeps its place: the
    /// replacement between their common start and common end, and for an insertion also that
    /// widened by the character before it (see [`Shift`]).
    pub fn between(old: &str, new: &str) -> Vec<Shift> {
        Shift::between_past(old, new, 0, 0)
    }

    /// [`Shift::between`] of texts known to share their first `prefix` and last `suffix`
    /// bytes (at least): the comparison starts there, so it costs the edit, not the text.
    fn between_past(old: &str, new: &str, prefix: usize, suffix: usize) -> Vec<Shift> {
        let mut prefix = common_prefix(old.as_bytes(), new.as_bytes(), prefix);
        while !new.is_char_boundary(prefix) || !old.is_char_boundary(prefix) {
            prefix -= 1;
        }
        let room = old.len().min(new.len()) - prefix;
        let mut suffix = common_suffix(old.as_bytes(), new.as_bytes(), suffix).min(room);
        while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix)
        {
            suffix -= 1;
        }
        let (old_end, new_end) = (old.len() - suffix, new.len() - suffix);
        let mut out = vec![Shift::new(prefix, old_end, new_end)];
        if prefix == old_end && prefix > 0 {
            let before = new[..prefix]
                .char_indices()
                .next_back()
                .map_or(0, |(i, _)| i);
            out.push(Shift::new(before, old_end, new_end));
        }
        out
    }

    /// Whether mapping made two ordered offsets equal (see `saw_start`; only a pure deletion
    /// watches for it).
    pub fn collided(&self) -> bool {
        self.saw_start.get() && self.saw_old_end.get()
    }

    /// Whether a span of the new text touches the replaced bytes (overlaps them or ends or
    /// starts at their edge): its text may differ from the old one's even where its offsets
    /// moved as they should.
    pub fn touches(&self, new: Span) -> bool {
        new.start <= self.new_end && new.end >= self.start
    }
}

/// What the edits to a text left alone, as the change handler saw them: publishing compares
/// the text it last published with the new one ([`Shift::between`]) for each memo it reuses,
/// and at 1 MB those two whole-text `memcmp`s were ≈ 2 % of the server's CPU per keystroke
/// while the edits said where to look.
#[derive(Debug, Clone)]
pub struct EditedFrom {
    /// The text the edits were made to.
    pub text: Arc<str>,
    /// How many bytes at its start and at its end the edits did not touch.
    prefix: usize,
    suffix: usize,
    /// The analyzer's word that the new analysis is the last one moved, when it is.
    pub moved: Option<MovedFrom>,
}

impl EditedFrom {
    /// `edits`, in the order they were applied to `text`, as [`Edit`]s in the offsets of the
    /// text each found; `None` unless they make a text of `new_len` bytes of it (edits that do
    /// not belong to it).
    pub fn new(text: Arc<str>, edits: &[Edit], new_len: usize) -> Option<EditedFrom> {
        let mut len = text.len();
        let (mut prefix, mut suffix) = (len, len);
        for edit in edits {
            if edit.start > edit.old_end || edit.old_end > len || edit.new_end < edit.start {
                return None;
            }
            // Bytes before the first edited one stay in place; those after the last one stay
            // at the same distance from the end, through every later edit that left them alone.
            prefix = prefix.min(edit.start);
            suffix = suffix.min(len - edit.old_end);
            len = len - (edit.old_end - edit.start) + (edit.new_end - edit.start);
        }
        (len == new_len).then_some(EditedFrom {
            text,
            prefix,
            suffix,
            moved: None,
        })
    }

    /// [`Shift::between`] `old` and `new` (the same result), comparing only from where the
    /// edits start and end when `old` is the text they were made to (`edited`) and `new` the
    /// one they made, or not at all when the two are one text.
    pub fn shifts(edited: Option<&EditedFrom>, old: &Arc<str>, new: &Arc<str>) -> Vec<Shift> {
        if Arc::ptr_eq(old, new) {
            return Shift::between_past(old, new, old.len(), old.len());
        }
        match edited.filter(|e| Arc::ptr_eq(&e.text, old)) {
            Some(e) => Shift::between_past(old, new, e.prefix, e.suffix),
            None => Shift::between(old, new),
        }
    }
}

/// An analysis that is another with every offset moved by one replacement, the analyzer's
/// word for it ([`moved_analysis`] made it): what the naming checks otherwise prove by
/// comparing every quotation, block and entity of the two (at 1 MB ≈ 1.4 M instructions a
/// keystroke, the most of the publish). The two are held weakly and told by address: a `Weak`
/// keeps its allocation, so no other analysis can be at either address while it lives.
#[derive(Debug, Clone)]
pub struct MovedFrom {
    from: Weak<Analysis>,
    to: Weak<Analysis>,
    start: usize,
    old_end: usize,
    new_end: usize,
}

impl MovedFrom {
    pub(super) fn new(from: &Arc<Analysis>, to: &Arc<Analysis>, shift: &Shift) -> MovedFrom {
        MovedFrom {
            from: Arc::downgrade(from),
            to: Arc::downgrade(to),
            start: shift.start,
            old_end: shift.old_end,
            new_end: shift.new_end,
        }
    }

    /// Whether `to` is `from` with every offset moved by `shift`.
    pub fn proves(&self, from: &Arc<Analysis>, to: &Arc<Analysis>, shift: &Shift) -> bool {
        std::ptr::eq(self.from.as_ptr(), Arc::as_ptr(from))
            && std::ptr::eq(self.to.as_ptr(), Arc::as_ptr(to))
            && self.moved_by(shift)
    }

    /// Whether the analyzer moved by `shift` (the same replacement).
    pub fn moved_by(&self, shift: &Shift) -> bool {
        (self.start, self.old_end, self.new_end) == (shift.start, shift.old_end, shift.new_end)
    }
}

/// Length of the common prefix of `a` and `b` (whose first `from` bytes are known to be the
/// same), compared a block at a time.
fn common_prefix(a: &[u8], b: &[u8], from: usize) -> usize {
    const BLOCK: usize = 4096;
    let n = a.len().min(b.len());
    let mut at = from.min(n);
    while at + BLOCK <= n && a[at..at + BLOCK] == b[at..at + BLOCK] {
        at += BLOCK;
    }
    at + a[at..n]
        .iter()
        .zip(&b[at..n])
        .take_while(|(x, y)| x == y)
        .count()
}

/// Length of the common suffix of `a` and `b` (whose last `from` bytes are known to be the
/// same).
fn common_suffix(a: &[u8], b: &[u8], from: usize) -> usize {
    const BLOCK: usize = 4096;
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut at = n - from.min(n);
    while at >= BLOCK && a[at - BLOCK..at] == b[at - BLOCK..at] {
        at -= BLOCK;
    }
    n - at
        + a[..at]
            .iter()
            .rev()
            .zip(b[..at].iter().rev())
            .take_while(|(x, y)| x == y)
            .count()
}

/// Whether `new` (at `new_base`) reads, for the document passes, as `old` (at `old_base`) with
/// its offsets moved by `shift`: block, length, dateline, quotation candidates, residue,
/// attribution's cues (names included) and capitalised words (none touching the edit, so their
/// text is the same). Tokens and first-stage labels are left to the caller, which compares the
/// second stage's mentions.
pub(super) fn paragraph_moved(
    old: &ParagraphAnalysis,
    old_base: usize,
    new: &ParagraphAnalysis,
    new_base: usize,
    shift: &Shift,
) -> bool {
    let rel = |x: usize| {
        shift
            .offset(x + old_base)
            .and_then(|y| y.checked_sub(new_base))
    };
    let span = |s: Span| Some(Span::new(rel(s.start)?, rel(s.end)?));
    let same_span = |a: Span, b: Span| span(a) == Some(b);
    let same_opt = |a: Option<Span>, b: Option<Span>| match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => same_span(a, b),
        _ => false,
    };
    shift.offset(old_base) == Some(new_base)
        && rel(old.len) == Some(new.len)
        && old.block == new.block
        && same_opt(old.dateline(), new.dateline())
        && old.quotes.len() == new.quotes.len()
        && old.quotes.iter().zip(&new.quotes).all(|(a, b)| {
            same_span(a.span, b.span)
                && same_opt(a.open_mark, b.open_mark)
                && same_opt(a.close_mark, b.close_mark)
                && a.depth == b.depth
                && a.kind == b.kind
                && a.opens_paragraph == b.opens_paragraph
        })
        && old.residue().len() == new.residue().len()
        && old
            .residue()
            .iter()
            .zip(new.residue())
            .all(|(a, b)| a.what == b.what && same_span(a.span, b.span))
        && old.capital_words.len() == new.capital_words.len()
        && old
            .capital_words
            .iter()
            .zip(new.capital_words.iter())
            .all(|(a, b)| same_span(a, b) && !shift.touches(b.shifted(new_base)))
        && cues_moved(&old.cues, &new.cues, &span)
}

/// Attribution's per-paragraph facts, compared with `span` moving the old ones.
fn cues_moved(
    old: &ParagraphAttribution,
    new: &ParagraphAttribution,
    span: &impl Fn(Span) -> Option<Span>,
) -> bool {
    let speaker = |a: &LocalSpeaker, b: &LocalSpeaker| {
        span(a.span) == Some(b.span) && a.name == b.name && a.kind == b.kind && a.gender == b.gender
    };
    let opt_speaker = |a: &Option<&LocalSpeaker>, b: &Option<&LocalSpeaker>| match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => speaker(a, b),
        _ => false,
    };
    let quote_speaker = |a: &QuoteSpeaker, b: &QuoteSpeaker| match (a, b) {
        (QuoteSpeaker::None, QuoteSpeaker::None) => true,
        (QuoteSpeaker::Cue(a), QuoteSpeaker::Cue(b))
        | (QuoteSpeaker::Subject(a), QuoteSpeaker::Subject(b)) => speaker(a, b),
        _ => false,
    };
    old.quotes.len() == new.quotes.len()
        && old.quotes.iter().zip(&new.quotes).all(|(a, b)| {
            quote_speaker(&a.speaker, &b.speaker)
                && a.follows_speech == b.follows_speech
                && a.ends_paragraph == b.ends_paragraph
        })
        && old.opens_with_quote == new.opens_with_quote
        && opt_speaker(&old.lead.as_deref(), &new.lead.as_deref())
        && old.events.len() == new.events.len()
        && old.events.iter().zip(&new.events).all(|(a, b)| {
            span(a.cue) == Some(b.cue)
                && speaker(&a.speaker, &b.speaker)
                && a.introduces_next == b.introduces_next
                && a.in_last_sentence == b.in_last_sentence
        })
        && old.names.len() == new.names.len()
        && old
            .names
            .iter()
            .zip(&new.names)
            .all(|(a, b)| span(a.span) == Some(b.span) && a.name == b.name && a.gender == b.gender)
}

/// Whether a re-analysed paragraph's mentions after the second stage (paragraph offsets) are
/// the old ones moved, none touching the edit (so each names the same text).
pub(super) fn mentions_moved(
    old: &[RawMention],
    old_base: usize,
    new: &[RawMention],
    new_base: usize,
    shift: &Shift,
) -> bool {
    old.len() == new.len()
        && old.iter().zip(new).all(|(a, b)| {
            a.kind == b.kind
                && shift.span(a.span.shifted(old_base)) == Some(b.span.shifted(new_base))
                && !shift.touches(b.span.shifted(new_base))
        })
}

/// `analysis` with every offset moved by `shift` (`None` if one falls inside the replaced
/// bytes, which a result the checks let through never has).
pub(super) fn moved_analysis(analysis: &Analysis, shift: &Shift) -> Option<Analysis> {
    let mut out = analysis.clone();
    for b in &mut out.blocks {
        b.span = shift.span(b.span)?;
        if let Some(d) = &mut b.dateline {
            *d = shift.span(*d)?;
        }
    }
    move_entities(&mut out.entities, shift)?;
    for q in &mut out.quotes {
        q.span = shift.span(q.span)?;
        if let Some(s) = &mut q.speaker {
            s.span = shift.span(s.span)?;
        }
    }
    for f in &mut out.findings {
        f.span = shift.span(f.span)?;
    }
    Some(out)
}

/// `entities` with every mention moved by `shift` (`None` if one falls inside the replaced
/// bytes).
pub(super) fn moved_entities(entities: &[Entity], shift: &Shift) -> Option<Vec<Entity>> {
    let mut out = entities.to_vec();
    move_entities(&mut out, shift)?;
    Some(out)
}

fn move_entities(entities: &mut [Entity], shift: &Shift) -> Option<()> {
    for e in entities {
        for m in &mut e.mentions {
            m.span = shift.span(m.span)?;
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn maps(shifts: &[Shift]) -> Vec<(usize, usize, usize)> {
        shifts
            .iter()
            .map(|s| (s.start, s.old_end, s.new_end))
            .collect()
    }

    /// Edits in a row (insertions, deletions, replacements, some writing back what was there,
    /// among multi-byte characters): the shifts found from what they left alone are those the
    /// whole texts' comparison finds; edits of another text are not taken.
    #[test]
    fn shifts_from_the_edits_equal_the_comparison() {
        let start = "ab “x” é 東京 abab\nab\n\nxx";
        let pieces = ["", "a", "b", "ab", "“", "é", "\n", "東", "ba"];
        let mut seed = 7u32;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 8) as usize % n
        };
        let mut checked = 0;
        for _ in 0..400 {
            let old: Arc<str> = Arc::from(start);
            let mut text = start.to_owned();
            let mut edits = Vec::new();
            for _ in 0..=next(3) {
                let bounds: Vec<usize> = (0..=text.len())
                    .filter(|&i| text.is_char_boundary(i))
                    .collect();
                let a = bounds[next(bounds.len())];
                let b = bounds[next(bounds.len())];
                let (a, b) = (a.min(b), a.max(b).min(a + 6));
                let b = (b..=text.len())
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(text.len());
                edits.push(Edit::apply(&mut text, a..b, pieces[next(pieces.len())]));
            }
            let new: Arc<str> = Arc::from(text.as_str());
            let edited = EditedFrom::new(Arc::clone(&old), &edits, new.len()).unwrap();
            assert_eq!(
                maps(&EditedFrom::shifts(Some(&edited), &old, &new)),
                maps(&Shift::between(&old, &new)),
                "{old:?} -> {new:?} by {edits:?}"
            );
            let other: Arc<str> = Arc::from(start);
            assert_eq!(
                maps(&EditedFrom::shifts(Some(&edited), &other, &new)),
                maps(&Shift::between(&other, &new)),
            );
            checked += 1;
        }
        assert_eq!(
            maps(&EditedFrom::shifts(
                None,
                &Arc::from(start),
                &Arc::from(start)
            )),
            maps(&Shift::between(start, start))
        );
        let old: Arc<str> = Arc::from(start);
        assert_eq!(
            maps(&EditedFrom::shifts(None, &old, &old)),
            maps(&Shift::between(start, start))
        );
        let too_long = Edit {
            start: 0,
            old_end: start.len() + 1,
            new_end: 0,
        };
        assert!(EditedFrom::new(old, &[too_long], 0).is_none());
        assert_eq!(checked, 400);
    }
}
