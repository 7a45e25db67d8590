//! The document-wide attribution pass: pronoun speakers, continuation, "X said:" before a quoted
//! paragraph, canonical names and entity ids, and the attribution findings.
//!
//! Linear in the number of cues, names and quotations; it never reads raw text. The pass itself
//! is here; `speakers` resolves each cue's speaker (pronouns included), `continuation` finds the
//! speech an unattributed quotation continues, `names` gives canonical names and entity ids.

mod continuation;
mod incremental;
mod names;
mod reach;
mod renumber;
mod same;
mod speakers;

use rustc_hash::FxHashMap;
use std::ops::Range;

use super::lexicon::Pronoun;
use super::{ParagraphAttribution, SpeakerKind};
use crate::analysis::{Attribution, Entity, Finding, Quote, QuoteKind, Span};
use continuation::{continuation, SpeechIndex};
pub use incremental::{Change, ResolveCache};
use names::{entity_mentions, NameIndex, NameTable};
pub(super) use reach::asked_words;
use speakers::{resolve_pronoun, Candidate, DocEvent};

/// One paragraph's cached attribution facts and where the paragraph starts in the document.
#[derive(Debug, Clone, Copy)]
pub struct DocParagraph<'a> {
    pub base: usize,
    pub attribution: &'a ParagraphAttribution,
    /// The article's headline: its quotations are its subject's words.
    pub headline: bool,
}

/// Where a document quotation sits in the paragraph results: paragraph index and the index of the
/// quotation in that paragraph's list. A quotation running over several paragraphs has one piece
/// per paragraph, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuotePiece {
    pub paragraph: usize,
    pub local: usize,
}

/// Where a document quotation lies: its first piece and, for one running over paragraphs, its
/// last. A value, not a list: the document pass makes one per quotation on every keystroke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuotePieces {
    pieces: [QuotePiece; 2],
    len: u8,
}

impl QuotePieces {
    /// A quotation from `first` to `last` (one piece when they are the same).
    pub fn new(first: QuotePiece, last: QuotePiece) -> Self {
        QuotePieces {
            pieces: [first, last],
            len: if first == last { 1 } else { 2 },
        }
    }
}

impl std::ops::Deref for QuotePieces {
    type Target = [QuotePiece];

    fn deref(&self) -> &[QuotePiece] {
        &self.pieces[..usize::from(self.len)]
    }
}

/// Fills `attribution`, `speaker` and `continues` of every quotation and returns attribution's
/// own findings (`unresolved-pronoun-speaker`) in document order. A full or partial quotation left
/// with `Attribution::None` is unattributed; the caller flags it.
///
/// `quotes` are in document order with `span` and `kind` set; `pieces[i]` says where quotation `i`
/// lies in `paragraphs`. `entities` may be empty: speakers then carry the names the cues give.
pub fn resolve(
    paragraphs: &[DocParagraph<'_>],
    quotes: &mut [Quote],
    pieces: &[QuotePieces],
    entities: &[Entity],
) -> Vec<Finding> {
    resolve_cached(
        paragraphs,
        quotes,
        pieces,
        entities,
        &mut ResolveCache::default(),
        None,
    )
}

/// [`resolve`], reusing from `cache` (the last run's per-paragraph results) what `change` (the
/// edit since) leaves valid, and leaving in it this run's. Same result.
pub fn resolve_cached(
    paragraphs: &[DocParagraph<'_>],
    quotes: &mut [Quote],
    pieces: &[QuotePieces],
    entities: &[Entity],
    cache: &mut ResolveCache,
    change: Option<&Change<'_>>,
) -> Vec<Finding> {
    let kept_names = cache.names.take();
    let kept_mentions = cache.mentions.take();
    cache.reused_names = false;
    let change = change.filter(|c| incremental::fits(paragraphs, cache, c));
    // The entity mentions are the last run's moved when linking's result was moved, or when it
    // ran again and left every entity outside the re-split paragraphs as it was (only those
    // inside are new).
    // After a letter that founded, split or merged an entity, ids renumber: the kept results
    // are then kept with their entities' new ids.
    let (moved_mentions, renumbered) = match (change, kept_mentions) {
        (Some(c), Some(old)) => match c.old_entities {
            None => (incremental::moved_mentions(old, c.shift, entities), None),
            Some(old_entities) => match reach::relinked_mentions(&old, old_entities, entities, c) {
                Some(r) => (Some(r.mentions), r.renumbered),
                None => (None, None),
            },
        },
        _ => (None, None),
    };
    // Linking changed what a paragraph outside the re-split ones finds: resolve them all.
    let change = change.filter(|c| c.old_entities.is_none() || moved_mentions.is_some());
    // The name table and its canonical names are the last run's, with the entries of the full
    // names the re-split paragraphs changed made again. The paragraphs outside keep their
    // results when none reads what those entries changed.
    let full_names = change.map(|c| reach::FullNames::of(paragraphs, c));
    let words = full_names
        .as_ref()
        .and_then(reach::FullNames::changed_last_words);
    let change = change.filter(|_| words.is_some());
    let asked = change
        .zip(words.as_deref())
        .map(|(c, w)| reach::Asked::of(paragraphs, c, w));
    let (table, memo, before) = match (kept_names, change, full_names, words.as_deref()) {
        (Some((mut table, mut memo)), Some(_), Some(names), Some(words)) => {
            cache.reused_names = true;
            let before = table.entries_for(words);
            if asked.as_ref().is_some_and(|a| a.gives_full_name) {
                table.rebuild_last_words(words, paragraphs);
            } else if !words.is_empty() {
                table.replace_last_words(words, &names.old, &names.new);
            }
            if !words.is_empty() {
                memo.retain(|name, _| !reach::last_word_in(name, words));
            }
            if memo.len() > incremental::CANONICAL_KEPT {
                memo.clear();
            }
            (table, memo, Some(before))
        }
        _ => (NameTable::new(paragraphs), FxHashMap::default(), None),
    };
    let change = change.filter(|c| {
        let unreached = match (&asked, words.as_deref(), &before) {
            (Some(asked), Some(w), Some(before)) => {
                reach::unreached(asked, c, entities, w, before, &table)
            }
            _ => false,
        };
        unreached
            && renumbered
                .as_ref()
                .is_none_or(|r| cache.renumber(r, c.first, c.old_count).is_some())
    });
    debug_assert!(
        !cache.reused_names || table == NameTable::new(paragraphs),
        "name table kept"
    );
    let mentions = moved_mentions.unwrap_or_else(|| entity_mentions(entities));
    debug_assert!(
        mentions == entity_mentions(entities),
        "moved entity mentions"
    );
    let names = NameIndex::new(&table, entities, &mentions, memo);
    let resync = change.and_then(|change| {
        incremental::events(paragraphs, &names, cache, change, renumbered.as_ref())
    });
    if resync.is_none() {
        cache.clear();
        for (pi, para) in paragraphs.iter().enumerate() {
            cache.resolve_paragraph(pi, para, &names);
        }
    }
    let context = QuoteContext::new(paragraphs, pieces, &names, cache);
    match resync
        .as_ref()
        .and_then(|r| Some((r, incremental::quotes(quotes, pieces, cache, r)?)))
    {
        Some((resync, range)) => {
            context.resolve(quotes, range.clone());
            if !incremental::resolved_as_before(quotes, pieces, cache, resync, range) {
                context.resolve(quotes, 0..quotes.len());
            }
        }
        None => context.resolve(quotes, 0..quotes.len()),
    }
    drop(context);
    cache.linked = link_continuations(quotes);
    cache.quote_pieces = pieces
        .iter()
        .zip(quotes.iter())
        .map(|(p, q)| {
            let first = p.first().map_or(0, |p| p.paragraph);
            let last = p.last().map_or(0, |p| p.paragraph);
            (first, last, q.span, q.kind)
        })
        .collect();
    cache.headline = paragraphs.first().is_some_and(|p| p.headline);
    let memo = names.into_memo();
    cache.names = Some((table, memo));
    cache.mentions = Some(mentions);
    let mut findings = cache.findings.clone();
    findings.sort_by_key(|f| (f.span.start, f.span.end));
    findings
}

/// What resolving the quotations reads: the paragraphs, the name index and the resolved cues.
struct QuoteContext<'a, 'p> {
    paragraphs: &'a [DocParagraph<'p>],
    pieces: &'a [QuotePieces],
    names: &'a NameIndex<'p>,
    events: &'a [DocEvent],
    event_starts: &'a [usize],
    candidates: &'a [Candidate],
    lookup: SpeechIndex,
}

impl<'a, 'p> QuoteContext<'a, 'p> {
    fn new(
        paragraphs: &'a [DocParagraph<'p>],
        pieces: &'a [QuotePieces],
        names: &'a NameIndex<'p>,
        cache: &'a ResolveCache,
    ) -> Self {
        QuoteContext {
            paragraphs,
            pieces,
            names,
            events: &cache.events,
            event_starts: &cache.event_starts,
            candidates: &cache.candidates,
            lookup: SpeechIndex::new(paragraphs.len(), &cache.events, pieces),
        }
    }

    /// Resolves quotations `range` (those before it are resolved, as their own resolution left
    /// them: `continues` not yet linked).
    fn resolve(&self, quotes: &mut [Quote], range: Range<usize>) {
        let (paragraphs, pieces, names) = (self.paragraphs, self.pieces, self.names);
        let (events, candidates) = (self.events, self.candidates);
        // The first event per speaker span, among the paragraphs these quotations are in (a
        // speaker's span is in its cue's paragraph): each quotation looks its pronoun's event
        // up directly instead of scanning them all (this pass runs on every keystroke).
        let mut event_by_speaker: FxHashMap<Span, usize> = FxHashMap::default();
        let looked_at = pieces[range.clone()]
            .iter()
            .flat_map(|p| p.iter())
            .map(|p| p.paragraph);
        if let (Some(lo), Some(hi)) = (looked_at.clone().min(), looked_at.max()) {
            let from = self.event_starts.get(lo).copied().unwrap_or(0);
            let to = self
                .event_starts
                .get(hi + 1)
                .copied()
                .unwrap_or(events.len());
            for (k, e) in events.iter().enumerate().take(to).skip(from) {
                if let Some(s) = &e.speaker {
                    event_by_speaker.entry(s.span).or_insert(k);
                }
            }
        }
        for i in range {
            let piece_list = pieces.get(i).map_or(&[][..], |p| &p[..]);
            let first = piece_list.first().copied();
            quotes[i].attribution = Attribution::None;
            quotes[i].speaker = None;
            quotes[i].continues = None;
            let local = piece_list.iter().find_map(|p| {
                let para = paragraphs.get(p.paragraph)?;
                let speaker = para.attribution.quotes.get(p.local)?.cue()?;
                Some((para.base, speaker))
            });
            if let Some((base, local)) = local {
                let (attribution, speaker) = match local.kind {
                    SpeakerKind::Pronoun(p) => {
                        let span = local.span.shifted(base);
                        let resolved = event_by_speaker
                            .get(&span)
                            .and_then(|&e| events[e].speaker.clone());
                        let resolved =
                            resolved.or_else(|| resolve_pronoun(candidates, p, local, base));
                        (
                            Attribution::Pronoun,
                            resolved.unwrap_or_else(|| names.speaker(local, base)),
                        )
                    }
                    _ => (Attribution::Explicit, names.speaker(local, base)),
                };
                quotes[i].attribution = attribution;
                quotes[i].speaker = Some(speaker);
                continue;
            }
            let Some(first) = first else { continue };
            // A term is only someone's words when a cue frames it (found above); no fallbacks.
            if quotes[i].kind == QuoteKind::Term {
                continue;
            }
            if let Some(para) = paragraphs.get(first.paragraph).filter(|p| p.headline) {
                if let Some(lead) = para
                    .attribution
                    .lead
                    .as_ref()
                    .filter(|l| l.span.end <= quotes[i].span.start.saturating_sub(para.base))
                {
                    quotes[i].attribution = Attribution::Explicit;
                    quotes[i].speaker = Some(names.speaker(lead, para.base));
                    continue;
                }
            }
            // The subject of the sentence the quotation is woven into, for quotations no cue
            // names.
            let subject = paragraphs.get(first.paragraph).and_then(|para| {
                let local = para.attribution.quotes.get(first.local)?.subject()?;
                match local.kind {
                    SpeakerKind::Pronoun(Pronoun::FirstPerson) => {
                        Some((Attribution::Pronoun, names.speaker(local, para.base)))
                    }
                    SpeakerKind::Pronoun(p) => resolve_pronoun(candidates, p, local, para.base)
                        .map(|s| (Attribution::Pronoun, s)),
                    _ => Some((Attribution::Explicit, names.speaker(local, para.base))),
                }
            });
            // A partial quotation belongs to its sentence's subject before any earlier speaker;
            // a full one continues the speaker before it first.
            if quotes[i].kind == QuoteKind::Partial {
                if let Some((attribution, speaker)) = subject.clone() {
                    quotes[i].attribution = attribution;
                    quotes[i].speaker = Some(speaker);
                    continue;
                }
            }
            if let Some((speaker, continues, explicit)) =
                continuation(i, first, quotes, pieces, paragraphs, events, &self.lookup)
            {
                quotes[i].attribution = if explicit {
                    Attribution::Explicit
                } else {
                    Attribution::Continuation
                };
                quotes[i].speaker = Some(speaker);
                quotes[i].continues = continues;
                continue;
            }
            if let Some((attribution, speaker)) = subject {
                quotes[i].attribution = attribution;
                quotes[i].speaker = Some(speaker);
            }
        }
    }
}

fn speaker_name(q: &Quote) -> Option<&str> {
    q.speaker.as_ref().map(|s| &*s.name)
}

/// Up to this many quotations wanting a `continues` look back for it one by one.
const LOOKED_BACK: usize = 16;

/// A continuation of reported speech (`Duval said the port would close.` / `“It is over.”`)
/// still continues someone's quotations when the same speaker was quoted earlier: `continues`
/// then names the latest of them, as it does when the thread runs through a quotation. Says for
/// each quotation whether its `continues` was set here.
fn link_continuations(quotes: &mut [Quote]) -> Vec<bool> {
    let mut linked = vec![false; quotes.len()];
    let wanted = |q: &Quote| q.attribution == Attribution::Continuation && q.continues.is_none();
    // Few quotations want one: each looks back for its speaker's latest quotation, instead of a
    // map of every speaker's latest (a hashed name per quotation, ≈ 0.7 M instructions at 1 MB
    // on every keystroke). The same answer: the nearest earlier quotation with the name.
    let few = quotes
        .iter()
        .filter(|q| wanted(q))
        .take(LOOKED_BACK + 1)
        .count();
    if few <= LOOKED_BACK {
        let mut set = Vec::with_capacity(few);
        for (i, quote) in quotes.iter().enumerate().filter(|(_, q)| wanted(q)) {
            let Some(name) = speaker_name(quote) else {
                continue;
            };
            if let Some(j) = quotes[..i]
                .iter()
                .rposition(|q| speaker_name(q) == Some(name))
            {
                set.push((i, j));
            }
        }
        for (i, j) in set {
            quotes[i].continues = Some(j);
            linked[i] = true;
        }
        return linked;
    }
    let mut latest: FxHashMap<&str, usize> = FxHashMap::default();
    let mut set = Vec::new();
    for (i, quote) in quotes.iter().enumerate() {
        let Some(name) = quote.speaker.as_ref().map(|s| &*s.name) else {
            continue;
        };
        if quote.attribution == Attribution::Continuation && quote.continues.is_none() {
            if let Some(&j) = latest.get(name) {
                set.push((i, j));
            }
        }
        latest.insert(name, i);
    }
    for (i, j) in set {
        quotes[i].continues = Some(j);
        linked[i] = true;
    }
    linked
}
