//! The document pass after an edit, over the paragraphs whose results may differ.
//!
//! Resolving a paragraph's cues reads the name index (every full name of the document), the
//! entities and, for pronouns, the candidates the paragraphs before it added. After an edit that
//! leaves the names and the entities as they were (linking's result moved, the re-split
//! paragraphs naming the same full names), the paragraphs before the edit resolve as before, and
//! so do those after it once the candidates later pronouns can reach are the same as before:
//! [`events`] re-resolves from the first re-split paragraph until a paragraph resolves as before
//! (moved) and every pronoun's nearest candidate from there on is the same, then moves the last
//! run's results for the rest. [`quotes`] does the same for the quotations: those before the
//! re-split paragraphs and those after the paragraph where the events met again keep their last
//! attribution, moved; the others are resolved again and must come out as before where they
//! were reused from.

use rustc_hash::FxHashMap;
use std::ops::Range;
use std::sync::Arc;

use super::super::lexicon::Pronoun;
use super::super::ParagraphAttribution;
use super::names::{NameIndex, NameTable};
use super::renumber::{kept_speaker, Renumbering};
use super::same::{same_candidate, same_event, same_finding, same_kept_speaker};
use super::speakers::{resolve_paragraph, Candidate, DocEvent};
use super::{DocParagraph, QuotePieces};
use crate::analysis::shift::Shift;
use crate::analysis::{Entity, Finding, Quote, QuoteKind, Span, Speaker};

/// The last run's results, per paragraph, in the offsets of the text it ran on.
#[derive(Debug, Default)]
pub struct ResolveCache {
    pub(super) events: Vec<DocEvent>,
    /// `events[event_starts[p]..event_starts[p + 1]]` are paragraph `p`'s.
    pub(super) event_starts: Vec<usize>,
    pub(super) candidates: Vec<Candidate>,
    pub(super) candidate_starts: Vec<usize>,
    /// Attribution's own findings, by paragraph.
    pub(super) findings: Vec<Finding>,
    pub(super) finding_starts: Vec<usize>,
    /// Per quotation: the paragraphs of its first and last piece, its span and its kind as paired.
    pub(super) quote_pieces: Vec<(usize, usize, Span, QuoteKind)>,
    /// Per quotation: whether its `continues` was set by linking continuations (not by its
    /// own resolution).
    pub(super) linked: Vec<bool>,
    /// Whether the first paragraph read as the headline.
    pub(super) headline: bool,
    /// How many paragraphs' cues the last run resolved (for tests and benchmarks).
    pub(super) resolved: usize,
    /// The last run's name table, and the canonical names it answered: kept while the
    /// paragraphs give the same full names, or no other paragraph reads those they changed
    /// (see `reach`).
    pub(super) names: Option<(NameTable, FxHashMap<String, Arc<str>>)>,
    /// The last run's entity mentions (`names::entity_mentions`), in the offsets of the text it ran
    /// on: moved with the entities when linking's result is moved (`None` when not in step).
    pub(super) mentions: Option<Vec<(Span, usize)>>,
    /// Whether the last run reused the name table (for tests).
    pub(super) reused_names: bool,
}

/// More canonical names than this and the kept answers are forgotten (bounds the memory).
pub(super) const CANONICAL_KEPT: usize = 65_536;

/// An edit, as the document pass sees it: paragraphs `first..first + old_count` of the last
/// run were re-split into `first..first + new_count`; offsets outside the edit moved by `shift`.
#[derive(Debug)]
pub struct Change<'a> {
    pub first: usize,
    pub old_count: usize,
    pub new_count: usize,
    pub shift: &'a Shift,
    /// The re-split paragraphs' attribution facts before the edit (empty for a paragraph that
    /// was not prose).
    pub old_cues: Vec<&'a ParagraphAttribution>,
    /// The last result's quotations (old offsets).
    pub old_quotes: &'a [Quote],
    /// The re-split paragraphs' bytes before the edit and after it (from the first one's start
    /// to the last one's end).
    pub old_region: Span,
    pub new_region: Span,
    /// The last result's entities when linking ran again (`None`: its result was the last one
    /// moved by `shift`).
    pub old_entities: Option<&'a [Entity]>,
}

/// Where [`events`] met the last run again.
#[derive(Debug)]
pub(super) struct Resync<'a> {
    change: &'a Change<'a>,
    /// The entities' new ids, when they renumbered (the kept quotations take them).
    renumbered: Option<&'a Renumbering>,
    /// The first paragraph whose results were moved from the last run, and its old index;
    /// `None` when every paragraph from the re-split ones on was resolved again.
    tail: Option<(usize, usize)>,
}

/// How many paragraphs after the re-split ones are tried as meeting points before the rest is
/// simply resolved again (bounds the checks' cost).
const TRIES: usize = 64;

const PRONOUNS: [Pronoun; 4] = [Pronoun::He, Pronoun::She, Pronoun::They, Pronoun::It];

impl ResolveCache {
    /// Forget the last run.
    pub(super) fn clear(&mut self) {
        self.events.clear();
        self.candidates.clear();
        self.findings.clear();
        self.event_starts = vec![0];
        self.candidate_starts = vec![0];
        self.finding_starts = vec![0];
        self.quote_pieces.clear();
        self.linked.clear();
        self.resolved = 0;
    }

    /// Moves the results from paragraph `first` on by `shift` (the last result was reused,
    /// moved, for an edit in or after that paragraph); forgets them if one falls inside the
    /// replaced bytes.
    pub fn move_from(&mut self, first: usize, shift: &Shift) {
        self.resolved = 0;
        self.reused_names = false;
        // The whole result moved: so did the entities, and the names are the same.
        let entities = self.mentions.take().and_then(|mut mentions| {
            for (span, _) in &mut mentions {
                *span = shift.span(*span)?;
            }
            Some(mentions)
        });
        self.mentions = entities;
        if self.moved_from(first, shift).is_none() {
            self.event_starts.clear(); // fits no document: the next run resolves everything
            self.names = None;
            self.mentions = None;
        }
    }

    fn moved_from(&mut self, first: usize, shift: &Shift) -> Option<()> {
        let from = |starts: &[usize]| starts.get(first).copied();
        let (e, c, f) = (
            from(&self.event_starts)?,
            from(&self.candidate_starts)?,
            from(&self.finding_starts)?,
        );
        for ev in self.events.get_mut(e..)? {
            ev.at = shift.offset(ev.at)?;
            if let Some(s) = &mut ev.speaker {
                s.span = shift.span(s.span)?;
            }
        }
        for cand in self.candidates.get_mut(c..)? {
            cand.at = shift.offset(cand.at)?;
            cand.speaker.span = shift.span(cand.speaker.span)?;
        }
        for finding in self.findings.get_mut(f..)? {
            finding.span = shift.span(finding.span)?;
        }
        for (_, last, span, _) in &mut self.quote_pieces {
            if *last >= first {
                *span = shift.span(*span)?;
            }
        }
        Some(())
    }

    /// How many paragraphs' cues the last run resolved (the others' results were moved).
    pub fn resolved_paragraphs(&self) -> usize {
        self.resolved
    }

    /// Whether the last run kept the name table of the run before (for tests).
    pub fn reused_names(&self) -> bool {
        self.reused_names
    }

    /// Resolves paragraph `pi` after the ones already held.
    pub(super) fn resolve_paragraph(
        &mut self,
        pi: usize,
        para: &DocParagraph<'_>,
        names: &NameIndex,
    ) {
        self.resolved += 1;
        resolve_paragraph(
            pi,
            para,
            names,
            &mut self.events,
            &mut self.candidates,
            &mut self.findings,
        );
        self.event_starts.push(self.events.len());
        self.candidate_starts.push(self.candidates.len());
        self.finding_starts.push(self.findings.len());
    }
}

/// The last run's entity mentions `old` moved by `shift` (linking's result was moved by it), none
/// touching the edit, if as many as `entities` have.
pub(super) fn moved_mentions(
    mut old: Vec<(Span, usize)>,
    shift: &Shift,
    entities: &[Entity],
) -> Option<Vec<(Span, usize)>> {
    if old.len() != entities.iter().map(|e| e.mentions.len()).sum::<usize>() {
        return None;
    }
    for (span, _) in &mut old {
        *span = shift.span(*span)?;
    }
    Some(old)
}

/// The old results from paragraph `first` on, split off the cache.
struct Old {
    events: Vec<DocEvent>,
    candidates: Vec<Candidate>,
    findings: Vec<Finding>,
    /// `starts.0[k]`: where old paragraph `first + k` starts in `events` (and so on); one more
    /// than the paragraphs.
    starts: (Vec<usize>, Vec<usize>, Vec<usize>),
}

impl Old {
    fn split(cache: &mut ResolveCache, first: usize) -> Old {
        let relative = |starts: &mut Vec<usize>| {
            let tail = starts.split_off(first + 1);
            let base = starts[first];
            std::iter::once(0)
                .chain(tail.into_iter().map(|s| s - base))
                .collect::<Vec<_>>()
        };
        let starts = (
            relative(&mut cache.event_starts),
            relative(&mut cache.candidate_starts),
            relative(&mut cache.finding_starts),
        );
        Old {
            events: cache.events.split_off(cache.event_starts[first]),
            candidates: cache.candidates.split_off(cache.candidate_starts[first]),
            findings: cache.findings.split_off(cache.finding_starts[first]),
            starts,
        }
    }

    /// Old paragraph `first + k`'s ranges in the three lists.
    fn ranges(&self, k: usize) -> (Range<usize>, Range<usize>, Range<usize>) {
        let (e, c, f) = &self.starts;
        (e[k]..e[k + 1], c[k]..c[k + 1], f[k]..f[k + 1])
    }
}

/// Re-resolves the cues from the re-split paragraphs on (the cache holds the last run's), until
/// the results meet the last run's again; the cache then holds this run's results. `None` when
/// the edit changed what every paragraph reads (the names, the headline) or the cache does not
/// fit: the caller resolves everything.
pub(super) fn events<'c>(
    paragraphs: &[DocParagraph<'_>],
    names: &NameIndex,
    cache: &mut ResolveCache,
    change: &'c Change<'c>,
    renumbered: Option<&'c Renumbering>,
) -> Option<Resync<'c>> {
    let (first, old_count, new_count) = (change.first, change.old_count, change.new_count);
    if !fits(paragraphs, cache, change)
        || (first > 0 && paragraphs.first().is_some_and(|p| p.headline) != cache.headline)
    {
        return None;
    }
    let shift = change.shift;
    let moved_paragraph = |o: usize| o + new_count - old_count;
    let mut old = Old::split(cache, first);
    cache.resolved = 0;
    let prefix = cache.candidates.len();
    // The candidates the re-split (and differing) paragraphs added, in this run and the last:
    // `prefix..region_new` and `..region_old` of the old list. Those after them, up to the
    // paragraph being looked at, resolved as before.
    let (mut region_new, mut region_old) = (prefix, old.starts.1[old_count]);
    for (q, para) in paragraphs.iter().enumerate().skip(first) {
        let at = (
            cache.events.len(),
            cache.candidates.len(),
            cache.findings.len(),
        );
        cache.resolve_paragraph(q, para, names);
        let k = q - first + old_count;
        if q < first + new_count {
            region_new = cache.candidates.len();
            continue;
        }
        if q >= first + new_count + TRIES {
            continue;
        }
        let (e, c, f) = old.ranges(k - new_count);
        let same = e.len() == cache.events.len() - at.0
            && c.len() == cache.candidates.len() - at.1
            && f.len() == cache.findings.len() - at.2
            && old.events[e.clone()]
                .iter()
                .zip(&cache.events[at.0..])
                .all(|(a, b)| same_event(a, b, shift, moved_paragraph))
            && old.candidates[c.clone()]
                .iter()
                .zip(&cache.candidates[at.1..])
                .all(|(a, b)| same_candidate(a, b, shift))
            && old.findings[f.clone()]
                .iter()
                .zip(&cache.findings[at.2..])
                .all(|(a, b)| same_finding(a, b, shift));
        if !same {
            region_new = cache.candidates.len();
            region_old = c.end;
            continue;
        }
        let lookups = Lookups {
            prefix: &cache.candidates[..prefix],
            region_new: &cache.candidates[prefix..region_new],
            region_old: &old.candidates[..region_old],
            since: &cache.candidates[region_new..],
        };
        if lookups.agree() {
            let from = k - new_count + 1;
            splice(cache, &mut old, from, shift, moved_paragraph)?;
            return Some(Resync {
                change,
                renumbered,
                tail: Some((q + 1, first + from)),
            });
        }
    }
    Some(Resync {
        change,
        renumbered,
        tail: None,
    })
}

/// Whether the cache holds the last run's results for the document `change` turned into
/// `paragraphs`.
pub(super) fn fits(paragraphs: &[DocParagraph<'_>], cache: &ResolveCache, change: &Change) -> bool {
    let n = paragraphs.len();
    let Some(old_n) = cache.event_starts.len().checked_sub(1) else {
        return false;
    };
    let (first, old_count, new_count) = (change.first, change.old_count, change.new_count);
    old_n + new_count == n + old_count
        && first + old_count <= old_n
        && first + new_count <= n
        && cache.candidate_starts.len() == old_n + 1
        && cache.finding_starts.len() == old_n + 1
        && change.old_cues.len() == old_count
}

/// Appends the old results from old paragraph `first + from` on to the cache, moved.
fn splice(
    cache: &mut ResolveCache,
    old: &mut Old,
    from: usize,
    shift: &Shift,
    moved_paragraph: impl Fn(usize) -> usize,
) -> Option<()> {
    let (e0, c0, f0) = (old.starts.0[from], old.starts.1[from], old.starts.2[from]);
    let (ne, nc, nf) = (
        cache.events.len(),
        cache.candidates.len(),
        cache.findings.len(),
    );
    for s in &old.starts.0[from + 1..] {
        cache.event_starts.push(s - e0 + ne);
    }
    for s in &old.starts.1[from + 1..] {
        cache.candidate_starts.push(s - c0 + nc);
    }
    for s in &old.starts.2[from + 1..] {
        cache.finding_starts.push(s - f0 + nf);
    }
    for mut ev in old.events.drain(e0..) {
        ev.paragraph = moved_paragraph(ev.paragraph);
        ev.at = shift.offset(ev.at)?;
        if let Some(s) = &mut ev.speaker {
            s.span = shift.span(s.span)?;
        }
        cache.events.push(ev);
    }
    for mut cand in old.candidates.drain(c0..) {
        cand.at = shift.offset(cand.at)?;
        cand.speaker.span = shift.span(cand.speaker.span)?;
        cache.candidates.push(cand);
    }
    for mut finding in old.findings.drain(f0..) {
        finding.span = shift.span(finding.span)?;
        cache.findings.push(finding);
    }
    Some(())
}

/// Whether what every later lookup of a candidate finds is the same in this run and the last,
/// the candidates before (`prefix`) and since the differing paragraphs being the same (moved).
/// A pronoun finds the last candidate of a gender it agrees with; a pronoun speaker's gender is
/// that of the last candidate with its name.
struct Lookups<'a> {
    prefix: &'a [Candidate],
    region_new: &'a [Candidate],
    region_old: &'a [Candidate],
    since: &'a [Candidate],
}

impl Lookups<'_> {
    fn agree(&self) -> bool {
        let region = || self.region_new.iter().chain(self.region_old);
        PRONOUNS.into_iter().all(|p| {
            if self.since.iter().any(|c| p.agrees_with(c.gender)) {
                return true; // found after the differing paragraphs, in both runs
            }
            if region().any(|c| p.agrees_with(c.gender)) {
                return false;
            }
            // Found before them, in both runs: its name must also find the same candidate.
            match self.prefix.iter().rev().find(|c| p.agrees_with(c.gender)) {
                None => true,
                Some(found) => {
                    let named = |c: &Candidate| c.speaker.name == found.speaker.name;
                    !region().any(named) || self.since.iter().any(named)
                }
            }
        })
    }
}

/// Fills the quotations whose last attribution still holds (before the re-split paragraphs,
/// and from the paragraph after the events' meeting point on) from the last result, moved,
/// with `continues` as their own resolution set it; returns the range left to resolve. `None`
/// when the quotations do not line up with the last run's (the caller resolves them all).
pub(super) fn quotes(
    quotes: &mut [Quote],
    pieces: &[QuotePieces],
    cache: &ResolveCache,
    resync: &Resync<'_>,
) -> Option<Range<usize>> {
    let change = resync.change;
    let (old, old_quotes, linked) = (&cache.quote_pieces, change.old_quotes, &cache.linked);
    if old.len() != old_quotes.len() || linked.len() != old.len() {
        return None;
    }
    let paragraphs_of = |p: &QuotePieces| Some((p.first()?.paragraph, p.last()?.paragraph));
    // Before the re-split paragraphs: the same quotations, resolved as before.
    let before = pieces
        .iter()
        .take_while(|p| paragraphs_of(p).is_some_and(|(_, last)| last < change.first))
        .count();
    let old_before = old
        .iter()
        .take_while(|(_, last, _, _)| *last < change.first)
        .count();
    if before != old_before {
        return None;
    }
    for i in 0..before {
        let (_, _, span, kind) = old[i];
        if quotes[i].span != span || quotes[i].kind != kind {
            return None;
        }
        let was = &old_quotes[i];
        quotes[i].attribution = was.attribution;
        quotes[i].speaker = match &was.speaker {
            Some(s) => Some(kept_speaker(resync.renumbered, s)?),
            None => None,
        };
        quotes[i].continues = if linked[i] { None } else { was.continues };
    }
    let Some((tail, old_tail)) = resync.tail else {
        return Some(before..quotes.len());
    };
    // From the first paragraph moved on: the same quotations moved, none reaching back.
    let dp = |p: usize| p + change.new_count - change.old_count;
    let from = pieces
        .iter()
        .position(|p| paragraphs_of(p).is_some_and(|(first, _)| first >= tail))
        .unwrap_or(quotes.len());
    let old_from = old
        .iter()
        .position(|(first, _, _, _)| *first >= old_tail)
        .unwrap_or(old.len());
    if from < before
        || quotes.len() - from != old.len() - old_from
        || pieces[..from]
            .iter()
            .any(|p| paragraphs_of(p).is_some_and(|(_, last)| last >= tail))
        || old[..old_from]
            .iter()
            .any(|(_, last, _, _)| *last >= old_tail)
    {
        return None;
    }
    let shift = change.shift;
    for (i, j) in (from..quotes.len()).zip(old_from..) {
        let (first, last, span, kind) = old[j];
        let (new_first, new_last) = paragraphs_of(&pieces[i])?;
        if shift.span(span) != Some(quotes[i].span)
            || kind != quotes[i].kind
            || (dp(first), dp(last)) != (new_first, new_last)
        {
            return None;
        }
    }
    // Those of the first moved paragraph are resolved again (and must come out as before):
    // the quotations after them are reused.
    let reused = pieces[from..]
        .iter()
        .position(|p| paragraphs_of(p).is_some_and(|(first, _)| first > tail))
        .map_or(quotes.len(), |k| from + k);
    for (i, quote) in quotes.iter_mut().enumerate().skip(reused) {
        let j = i - from + old_from;
        let was = &old_quotes[j];
        quote.attribution = was.attribution;
        quote.speaker = match &was.speaker {
            Some(s) => Some(Speaker {
                span: shift.span(s.span)?,
                ..kept_speaker(resync.renumbered, s)?
            }),
            None => None,
        };
        quote.continues = match was.continues {
            Some(_) if linked[j] => None,
            Some(c) if c >= old_from => Some(c - old_from + from),
            Some(_) => return None,
            None => None,
        };
    }
    Some(before..reused)
}

/// Whether the quotations of the first moved paragraph (`from..reused` of [`quotes`]'s
/// numbering), resolved again, came out as the last run resolved them, moved: the ones after
/// them were reused on that assumption.
pub(super) fn resolved_as_before(
    quotes: &[Quote],
    pieces: &[QuotePieces],
    cache: &ResolveCache,
    resync: &Resync<'_>,
    resolved: Range<usize>,
) -> bool {
    let Some((tail, old_tail)) = resync.tail else {
        return true;
    };
    let change = resync.change;
    let shift = change.shift;
    let from = pieces
        .iter()
        .position(|p| p.first().is_some_and(|p| p.paragraph >= tail))
        .unwrap_or(quotes.len());
    let old_from = cache
        .quote_pieces
        .iter()
        .position(|(first, _, _, _)| *first >= old_tail)
        .unwrap_or(cache.quote_pieces.len());
    (from.max(resolved.start)..resolved.end).all(|i| {
        let j = i - from + old_from;
        let Some(was) = change.old_quotes.get(j) else {
            return false;
        };
        let continues = match was.continues {
            Some(_) if cache.linked.get(j) == Some(&true) => None,
            Some(c) if c >= old_from => Some(c - old_from + from),
            Some(_) => return false,
            None => None,
        };
        let q = &quotes[i];
        q.attribution == was.attribution
            && q.continues == continues
            && match (&was.speaker, &q.speaker) {
                (None, None) => true,
                (Some(a), Some(b)) => same_kept_speaker(a, b, shift, resync.renumbered),
                _ => false,
            }
    })
}
