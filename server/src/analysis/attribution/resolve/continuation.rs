//! Continuation: the speech an unattributed quotation continues, and the per-paragraph index
//! that finds it without scanning every cue and quotation.

use super::speakers::DocEvent;
use super::{DocParagraph, QuotePiece, QuotePieces};
use crate::analysis::{Quote, Speaker};

/// The speaker an unattributed quotation continues: the last speech before it in its paragraph,
/// or, when it opens its paragraph, the speech that ended the previous one. The flag says the
/// previous paragraph introduced it explicitly ("He said:").
pub(super) fn continuation(
    i: usize,
    first: QuotePiece,
    quotes: &[Quote],
    pieces: &[QuotePieces],
    paragraphs: &[DocParagraph<'_>],
    events: &[DocEvent],
    lookup: &SpeechIndex,
) -> Option<(Speaker, Option<usize>, bool)> {
    let start = quotes[i].span.start;
    // The latest attributed quotation or cue before this quotation in `paragraph`.
    let last_speech = |paragraph: usize,
                       before: usize|
     -> Option<(usize, Speaker, Option<usize>, Option<&DocEvent>)> {
        let quote = lookup.quotes_ending_in(paragraph, i).rev().find_map(|j| {
            let ends_here = pieces.get(j)?.last()?.paragraph == paragraph;
            (ends_here && quotes[j].span.end <= before)
                .then(|| {
                    quotes[j]
                        .speaker
                        .clone()
                        .map(|s| (quotes[j].span.end, s, Some(j)))
                })
                .flatten()
        });
        let event = events[lookup.events_of(paragraph, events.len())]
            .iter()
            .rfind(|e| e.paragraph == paragraph && e.at < before && e.speaker.is_some());
        match (quote, event) {
            // A later cue that is not the quotation's own ("…,” Duval said.) is the last speech.
            (Some(q), Some(e))
                if e.at > q.0 && e.speaker.as_ref().is_some_and(|s| s.span != q.1.span) =>
            {
                e.speaker.clone().map(|s| (e.at, s, None, Some(e)))
            }
            (Some(q), _) => Some((q.0, q.1, q.2, None)),
            (None, Some(e)) => e.speaker.clone().map(|s| (e.at, s, None, Some(e))),
            (None, None) => None,
        }
    };
    let para = paragraphs.get(first.paragraph)?;
    if para
        .attribution
        .quotes
        .get(first.local)
        .is_some_and(|q| q.follows_speech)
    {
        if let Some((_, speaker, continues, _)) = last_speech(first.paragraph, start) {
            return Some((speaker, continues, false));
        }
    }
    if first.local != 0 || !para.attribution.opens_with_quote || first.paragraph == 0 {
        return None;
    }
    let previous = first.paragraph - 1;
    let (_, speaker, continues, event) = last_speech(previous, start)?;
    if let Some(j) = continues {
        // The continued quotation must end its paragraph, narration after it breaks the thread.
        let piece = pieces.get(j).and_then(|p| p.last())?;
        let ends = paragraphs
            .get(piece.paragraph)?
            .attribution
            .quotes
            .get(piece.local)
            .map(|q| q.ends_paragraph);
        if ends != Some(true) {
            return None;
        }
    }
    match event {
        Some(e) if e.introduces_next => Some((speaker, None, true)),
        Some(e) if !e.in_last_sentence => None,
        _ => Some((speaker, continues, false)),
    }
}

/// Where to look for a paragraph's speech: the range of events in it, and of the quotations whose
/// last piece is in it. Both lists are in paragraph order as built, so each paragraph's entries
/// are contiguous; should a list not be (a caller's own order), all of it is looked at, as
/// before the index.
pub(super) struct SpeechIndex {
    /// `events[p]..events[p + 1]`: paragraph `p`'s events; `None` if not in order.
    events: Option<Vec<usize>>,
    /// The same for quotations, by the paragraph of their last piece.
    quotes: Option<Vec<usize>>,
}

impl SpeechIndex {
    pub(super) fn new(paragraphs: usize, events: &[DocEvent], pieces: &[QuotePieces]) -> Self {
        SpeechIndex {
            events: range_starts(paragraphs, events.iter().map(|e| Some(e.paragraph))),
            quotes: range_starts(
                paragraphs,
                pieces.iter().map(|p| p.last().map(|p| p.paragraph)),
            ),
        }
    }

    pub(super) fn events_of(&self, paragraph: usize, all: usize) -> std::ops::Range<usize> {
        within(self.events.as_deref(), paragraph, all)
    }

    /// Quotations before `i` that may end in `paragraph`, ascending.
    pub(super) fn quotes_ending_in(&self, paragraph: usize, i: usize) -> std::ops::Range<usize> {
        let r = within(self.quotes.as_deref(), paragraph, i);
        r.start.min(i)..r.end.min(i)
    }
}

/// For keys in ascending order (all below `paragraphs`), `out[p]` = how many keys are below `p`,
/// for `p` in `0..=paragraphs`; `None` if a key is missing, too large or out of order.
fn range_starts(
    paragraphs: usize,
    keys: impl Iterator<Item = Option<usize>>,
) -> Option<Vec<usize>> {
    let mut out = vec![0; paragraphs + 1];
    let mut next = 0; // first `p` not yet set
    let mut n = 0;
    for key in keys {
        let key = key.filter(|&k| k < paragraphs && k + 1 >= next)?;
        for slot in &mut out[next..=key] {
            *slot = n;
        }
        next = key + 1;
        n += 1;
    }
    for slot in &mut out[next..] {
        *slot = n;
    }
    Some(out)
}

fn within(starts: Option<&[usize]>, paragraph: usize, all: usize) -> std::ops::Range<usize> {
    match starts {
        Some(s) if paragraph + 1 < s.len() => s[paragraph]..s[paragraph + 1],
        _ => 0..all,
    }
}
