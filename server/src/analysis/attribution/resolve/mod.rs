//! The document-wide attribution pass: pronoun speakers, continuation, "X said:" before a quoted
//! paragraph, canonical names and entity ids, and the attribution findings.
//!
//! Linear in the number of cues, names and quotations; it never reads raw text. The pass itself
//! is here; `speakers` resolves each cue's speaker (pronouns included), `continuation` finds the
//! speech an unattributed quotation continues, `names` gives canonical names and entity ids.

mod continuation;
mod names;
mod speakers;

use std::collections::HashMap;

use super::lexicon::Pronoun;
use super::{ParagraphAttribution, SpeakerKind};
use crate::analysis::{Attribution, Entity, Finding, Quote, QuoteKind, Span};
use continuation::{continuation, SpeechIndex};
use names::NameIndex;
use speakers::{resolve_events, resolve_pronoun};

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

/// Fills `attribution`, `speaker` and `continues` of every quotation and returns attribution's
/// own findings (`unresolved-pronoun-speaker`) in document order. A full or partial quotation left
/// with `Attribution::None` is unattributed; the caller flags it.
///
/// `quotes` are in document order with `span` and `kind` set; `pieces[i]` says where quotation `i`
/// lies in `paragraphs`. `entities` may be empty: speakers then carry the names the cues give.
pub fn resolve(
    paragraphs: &[DocParagraph<'_>],
    quotes: &mut [Quote],
    pieces: &[Vec<QuotePiece>],
    entities: &[Entity],
) -> Vec<Finding> {
    let names = NameIndex::new(paragraphs, entities);
    let mut findings = Vec::new();
    let (events, candidates) = resolve_events(paragraphs, &names, &mut findings);
    // Indexes so that each quotation looks up events and earlier quotations directly instead of
    // scanning them all (this pass runs on every keystroke): the first event per speaker span,
    // and per paragraph its events and the quotations ending in it.
    let mut event_by_speaker: HashMap<Span, usize> = HashMap::new();
    for (k, e) in events.iter().enumerate() {
        if let Some(s) = &e.speaker {
            event_by_speaker.entry(s.span).or_insert(k);
        }
    }
    let lookup = SpeechIndex::new(paragraphs.len(), &events, pieces);

    for i in 0..quotes.len() {
        let piece_list = pieces.get(i).map(Vec::as_slice).unwrap_or(&[]);
        let first = piece_list.first().copied();
        quotes[i].attribution = Attribution::None;
        quotes[i].speaker = None;
        quotes[i].continues = None;
        let local = piece_list.iter().find_map(|p| {
            let para = paragraphs.get(p.paragraph)?;
            let speaker = para.attribution.quotes.get(p.local)?.as_ref()?;
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
                        resolved.or_else(|| resolve_pronoun(&candidates, p, local, base));
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
        // The subject of the sentence the quotation is woven into, for quotations no cue names.
        let subject = paragraphs.get(first.paragraph).and_then(|para| {
            let local = para.attribution.subjects.get(first.local)?.as_ref()?;
            match local.kind {
                SpeakerKind::Pronoun(Pronoun::FirstPerson) => {
                    Some((Attribution::Pronoun, names.speaker(local, para.base)))
                }
                SpeakerKind::Pronoun(p) => resolve_pronoun(&candidates, p, local, para.base)
                    .map(|s| (Attribution::Pronoun, s)),
                _ => Some((Attribution::Explicit, names.speaker(local, para.base))),
            }
        });
        // A partial quotation belongs to its sentence's subject before any earlier speaker; a
        // full one continues the speaker before it first.
        if quotes[i].kind == QuoteKind::Partial {
            if let Some((attribution, speaker)) = subject.clone() {
                quotes[i].attribution = attribution;
                quotes[i].speaker = Some(speaker);
                continue;
            }
        }
        if let Some((speaker, continues, explicit)) =
            continuation(i, first, quotes, pieces, paragraphs, &events, &lookup)
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
    link_continuations(quotes);
    findings.sort_by_key(|f| (f.span.start, f.span.end));
    findings
}

/// A continuation of reported speech (`Duval said the port would close.` / `“It is over.”`)
/// still continues someone's quotations when the same speaker was quoted earlier: `continues`
/// then names the latest of them, as it does when the thread runs through a quotation.
fn link_continuations(quotes: &mut [Quote]) {
    let mut latest: HashMap<String, usize> = HashMap::new();
    for (i, quote) in quotes.iter_mut().enumerate() {
        let Some(name) = quote.speaker.as_ref().map(|s| s.name.clone()) else {
            continue;
        };
        if quote.attribution == Attribution::Continuation && quote.continues.is_none() {
            quote.continues = latest.get(&name).copied();
        }
        latest.insert(name, i);
    }
}
