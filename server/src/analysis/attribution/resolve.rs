//! The document-wide attribution pass: pronoun speakers, continuation, "X said:" before a quoted
//! paragraph, canonical names and entity ids, and the attribution findings.
//!
//! Linear in the number of cues, names and quotations; it never reads raw text.

use std::collections::HashMap;

use super::lexicon::{Gender, Pronoun};
use super::{LocalSpeaker, ParagraphAttribution, SpeakerKind};
use crate::analysis::{
    Attribution, Entity, EntityId, EntityKind, Finding, Quote, QuoteKind, Rule, Span, Speaker,
};

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

/// Someone a later pronoun may mean.
#[derive(Debug, Clone)]
struct Candidate {
    at: usize,
    speaker: Speaker,
    gender: Gender,
}

/// A speech cue in document coordinates, its pronoun resolved.
#[derive(Debug, Clone)]
struct DocEvent {
    paragraph: usize,
    at: usize,
    speaker: Option<Speaker>,
    introduces_next: bool,
    in_last_sentence: bool,
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
                    let resolved = event_by_speaker.get(&span).and_then(|&e| events[e].speaker.clone());
                    let resolved = resolved.or_else(|| resolve_pronoun(&candidates, p, local, base));
                    (Attribution::Pronoun, resolved.unwrap_or_else(|| names.speaker(local, base)))
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
            if let Some(lead) = para.attribution.lead.as_ref().filter(|l| l.span.end <= quotes[i].span.start.saturating_sub(para.base)) {
                quotes[i].attribution = Attribution::Explicit;
                quotes[i].speaker = Some(names.speaker(lead, para.base));
                continue;
            }
        }
        // The subject of the sentence the quotation is woven into, for quotations no cue names.
        let subject = paragraphs.get(first.paragraph).and_then(|para| {
            let local = para.attribution.subjects.get(first.local)?.as_ref()?;
            match local.kind {
                SpeakerKind::Pronoun(Pronoun::FirstPerson) => Some((Attribution::Pronoun, names.speaker(local, para.base))),
                SpeakerKind::Pronoun(p) => {
                    resolve_pronoun(&candidates, p, local, para.base).map(|s| (Attribution::Pronoun, s))
                }
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
        if let Some((speaker, continues, explicit)) = continuation(i, first, quotes, pieces, paragraphs, &events, &lookup) {
            quotes[i].attribution = if explicit { Attribution::Explicit } else { Attribution::Continuation };
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
        let Some(name) = quote.speaker.as_ref().map(|s| s.name.clone()) else { continue };
        if quote.attribution == Attribution::Continuation && quote.continues.is_none() {
            quote.continues = latest.get(&name).copied();
        }
        latest.insert(name, i);
    }
}

/// The speaker an unattributed quotation continues: the last speech before it in its paragraph,
/// or, when it opens its paragraph, the speech that ended the previous one. The flag says the
/// previous paragraph introduced it explicitly ("He said:").
fn continuation(
    i: usize,
    first: QuotePiece,
    quotes: &[Quote],
    pieces: &[Vec<QuotePiece>],
    paragraphs: &[DocParagraph<'_>],
    events: &[DocEvent],
    lookup: &SpeechIndex,
) -> Option<(Speaker, Option<usize>, bool)> {
    let start = quotes[i].span.start;
    // The latest attributed quotation or cue before this quotation in `paragraph`.
    let last_speech = |paragraph: usize, before: usize| -> Option<(usize, Speaker, Option<usize>, Option<&DocEvent>)> {
        let quote = lookup.quotes_ending_in(paragraph, i).rev().find_map(|j| {
            let ends_here = pieces.get(j)?.last()?.paragraph == paragraph;
            (ends_here && quotes[j].span.end <= before)
                .then(|| quotes[j].speaker.clone().map(|s| (quotes[j].span.end, s, Some(j))))
                .flatten()
        });
        let event = events[lookup.events_of(paragraph, events.len())]
            .iter()
            .rfind(|e| e.paragraph == paragraph && e.at < before && e.speaker.is_some());
        match (quote, event) {
            // A later cue that is not the quotation's own ("…,” Duval said.) is the last speech.
            (Some(q), Some(e)) if e.at > q.0 && e.speaker.as_ref().is_some_and(|s| s.span != q.1.span) => {
                e.speaker.clone().map(|s| (e.at, s, None, Some(e)))
            }
            (Some(q), _) => Some((q.0, q.1, q.2, None)),
            (None, Some(e)) => e.speaker.clone().map(|s| (e.at, s, None, Some(e))),
            (None, None) => None,
        }
    };
    let para = paragraphs.get(first.paragraph)?;
    if para.attribution.follows_speech.get(first.local).copied().unwrap_or(false) {
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
        let ends = paragraphs.get(piece.paragraph)?.attribution.ends_paragraph.get(piece.local).copied();
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
struct SpeechIndex {
    /// `events[p]..events[p + 1]`: paragraph `p`'s events; `None` if not in order.
    events: Option<Vec<usize>>,
    /// The same for quotations, by the paragraph of their last piece.
    quotes: Option<Vec<usize>>,
}

impl SpeechIndex {
    fn new(paragraphs: usize, events: &[DocEvent], pieces: &[Vec<QuotePiece>]) -> Self {
        SpeechIndex {
            events: range_starts(paragraphs, events.iter().map(|e| Some(e.paragraph))),
            quotes: range_starts(paragraphs, pieces.iter().map(|p| p.last().map(|p| p.paragraph))),
        }
    }

    fn events_of(&self, paragraph: usize, all: usize) -> std::ops::Range<usize> {
        within(self.events.as_deref(), paragraph, all)
    }

    /// Quotations before `i` that may end in `paragraph`, ascending.
    fn quotes_ending_in(&self, paragraph: usize, i: usize) -> std::ops::Range<usize> {
        let r = within(self.quotes.as_deref(), paragraph, i);
        r.start.min(i)..r.end.min(i)
    }
}

/// For keys in ascending order (all below `paragraphs`), `out[p]` = how many keys are below `p`,
/// for `p` in `0..=paragraphs`; `None` if a key is missing, too large or out of order.
fn range_starts(paragraphs: usize, keys: impl Iterator<Item = Option<usize>>) -> Option<Vec<usize>> {
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

/// Resolves every cue's speaker in document order: pronouns to the nearest compatible earlier
/// speaker or named person.
fn resolve_events(
    paragraphs: &[DocParagraph<'_>],
    names: &NameIndex,
    findings: &mut Vec<Finding>,
) -> (Vec<DocEvent>, Vec<Candidate>) {
    let mut events = Vec::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    for (pi, para) in paragraphs.iter().enumerate() {
        let attribution = para.attribution;
        // Names that are a cue's speaker enter as that speaker, not twice.
        let mut mentions = attribution
            .names
            .iter()
            .filter(|m| !attribution.events.iter().any(|e| e.speaker.span.overlaps(m.span)))
            .peekable();
        for event in &attribution.events {
            let at = event.cue.start + para.base;
            let local = &event.speaker;
            let speaker_at = local.span.start + para.base;
            // Names mentioned before this cue become candidates first.
            while let Some(m) = mentions.next_if(|m| m.span.start + para.base < speaker_at) {
                if let Some(c) = names.mention_candidate(m.span.shifted(para.base), &m.name, m.gender) {
                    candidates.push(c);
                }
            }
            let speaker = match local.kind {
                SpeakerKind::Pronoun(Pronoun::FirstPerson) => Some(names.speaker(local, para.base)),
                SpeakerKind::Pronoun(p) => {
                    let found = candidates.iter().rev().find(|c| c.at < speaker_at && p.agrees_with(c.gender));
                    match found {
                        Some(c) => Some(Speaker { span: local.span.shifted(para.base), ..c.speaker.clone() }),
                        None => {
                            findings.push(Finding {
                                rule: Rule::UnresolvedPronounSpeaker,
                                severity: Rule::UnresolvedPronounSpeaker.default_severity(),
                                span: local.span.shifted(para.base),
                                message: format!("“{}” has no earlier speaker or person to refer to", local.name),
                            });
                            None
                        }
                    }
                }
                _ => Some(names.speaker(local, para.base)),
            };
            if let Some(s) = &speaker {
                let gender = match local.kind {
                    SpeakerKind::Pronoun(_) => candidates
                        .iter()
                        .rev()
                        .find(|c| c.speaker.name == s.name)
                        .map_or(local.gender, |c| c.gender),
                    _ => names.gender_of(&s.name, local.gender),
                };
                if !matches!(local.kind, SpeakerKind::Pronoun(Pronoun::FirstPerson)) {
                    candidates.push(Candidate { at: speaker_at, speaker: s.clone(), gender });
                }
            }
            events.push(DocEvent {
                paragraph: pi,
                at,
                speaker,
                introduces_next: event.introduces_next,
                in_last_sentence: event.in_last_sentence,
            });
        }
        for m in mentions {
            if let Some(c) = names.mention_candidate(m.span.shifted(para.base), &m.name, m.gender) {
                candidates.push(c);
            }
        }
    }
    (events, candidates)
}

/// The nearest candidate before a paragraph's pronoun that agrees with it; the speaker keeps the
/// pronoun as its words in the article.
fn resolve_pronoun(candidates: &[Candidate], p: Pronoun, local: &LocalSpeaker, base: usize) -> Option<Speaker> {
    let span = local.span.shifted(base);
    candidates
        .iter()
        .rev()
        .find(|c| c.at < span.start && p.agrees_with(c.gender))
        .map(|c| Speaker { span, ..c.speaker.clone() })
}

/// The names the document gives people, for canonical names and entity ids.
struct NameIndex<'a> {
    /// Full names seen outside quotations, grouped by their last word; each group in document
    /// order. Keyed so that a lookup costs the names sharing a surname, not every name: this pass
    /// runs on every keystroke.
    full_by_last: HashMap<String, Vec<String>>,
    /// The first known gender given to each full name, in document order.
    gender_by_name: HashMap<String, Gender>,
    entities: &'a [Entity],
    /// Every entity mention as (span, entity index), sorted by start, for `entity_at`.
    mentions: Vec<(Span, usize)>,
    /// The longest mention, bounding how far back a mention overlapping a span can start.
    longest_mention: usize,
}

impl<'a> NameIndex<'a> {
    fn new(paragraphs: &[DocParagraph<'_>], entities: &'a [Entity]) -> Self {
        let mut full_by_last: HashMap<String, Vec<String>> = HashMap::new();
        let mut gender_by_name: HashMap<String, Gender> = HashMap::new();
        let mut add = |name: &str, gender: Gender| {
            if let Some(last) = name.split_whitespace().last() {
                full_by_last.entry(last.to_string()).or_default().push(name.to_string());
            }
            if gender != Gender::Unknown {
                gender_by_name.entry(name.to_string()).or_insert(gender);
            }
        };
        for para in paragraphs {
            for m in &para.attribution.names {
                if m.name.contains(' ') && !matches!(m.gender, Gender::Neuter | Gender::Plural) {
                    add(&m.name, m.gender);
                }
            }
            for e in &para.attribution.events {
                if e.speaker.kind == SpeakerKind::Name && e.speaker.name.contains(' ') {
                    add(&e.speaker.name, e.speaker.gender);
                }
            }
        }
        // One entry per distinct name, in the order of its last occurrence: `canonical` takes the
        // last of the longest, which is the same name as over every occurrence, without
        // rescanning a name once per mention of it.
        for names in full_by_last.values_mut() {
            let mut seen = std::collections::HashSet::new();
            let mut kept: Vec<String> = names.drain(..).rev().filter(|n| seen.insert(n.clone())).collect();
            kept.reverse();
            *names = kept;
        }
        let mut mentions: Vec<(Span, usize)> = entities
            .iter()
            .enumerate()
            .flat_map(|(i, e)| e.mentions.iter().map(move |m| (m.span, i)))
            .collect();
        mentions.sort_unstable();
        let longest_mention = mentions.iter().map(|(s, _)| s.len()).max().unwrap_or(0);
        NameIndex { full_by_last, gender_by_name, entities, mentions, longest_mention }
    }

    /// The first entity (in entity order) with a mention overlapping `span`.
    fn entity_at(&self, span: Span) -> Option<&'a Entity> {
        // Mentions starting before `span.end`, of which only those starting within the longest
        // mention's length of `span.start` can reach into it.
        let upto = self.mentions.partition_point(|(m, _)| m.start < span.end);
        let from = self.mentions[..upto]
            .partition_point(|(m, _)| m.start + self.longest_mention <= span.start);
        self.mentions[from..upto]
            .iter()
            .filter(|(m, _)| m.overlaps(span))
            .map(|(_, i)| *i)
            .min()
            .and_then(|i| self.entities.get(i))
    }

    /// The fullest name the document gives someone called `name` ("Russel" → "Daniel Russel").
    fn canonical(&self, name: &str) -> String {
        let words: Vec<&str> = name.split_whitespace().collect();
        let Some(last) = words.last() else { return name.to_string() };
        self.full_by_last
            .get(*last)
            .into_iter()
            .flatten()
            .filter(|full| {
                let fw: Vec<&str> = full.split_whitespace().collect();
                fw.len() > words.len() && words.iter().all(|w| fw.contains(w))
            })
            .max_by_key(|full| full.len())
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }

    fn gender_of(&self, canonical: &str, fallback: Gender) -> Gender {
        if fallback != Gender::Unknown {
            return fallback;
        }
        self.gender_by_name.get(canonical).copied().unwrap_or(fallback)
    }

    /// The first entity with a mention ending where `span` ends (a name's surname: "Margaret
    /// “Peg” Olsen" is Olsen's entity even if the given name was tagged apart), else
    /// [`Self::entity_at`].
    fn entity_ending_at(&self, span: Span) -> Option<&'a Entity> {
        let upto = self.mentions.partition_point(|(m, _)| m.start < span.end);
        let from = self.mentions[..upto].partition_point(|(m, _)| m.start + self.longest_mention <= span.start);
        self.mentions[from..upto]
            .iter()
            .filter(|(m, _)| m.overlaps(span) && m.end == span.end)
            .map(|(_, i)| *i)
            .min()
            .and_then(|i| self.entities.get(i))
            .or_else(|| self.entity_at(span))
    }

    /// The document speaker for a paragraph's cue.
    fn speaker(&self, local: &LocalSpeaker, base: usize) -> Speaker {
        let span = local.span.shifted(base);
        let found = if local.kind == SpeakerKind::Name { self.entity_ending_at(span) } else { self.entity_at(span) };
        let entity = found.filter(|e| match local.kind {
            SpeakerKind::Name => true,
            // A descriptor is its organisation only when the name is its head ("the White House",
            // not "a spokesman for the White House").
            SpeakerKind::Descriptor => {
                e.kind == EntityKind::Organization && e.mentions.iter().any(|m| m.span.end == span.end)
            }
            SpeakerKind::Pronoun(_) => false,
        });
        let name = match (local.kind, entity) {
            (SpeakerKind::Name, Some(e)) if e.kind == EntityKind::Person => e.name.clone(),
            (SpeakerKind::Name, _) if local.gender != Gender::Neuter => self.canonical(&local.name),
            _ => local.name.clone(),
        };
        Speaker { name, span, entity: entity.map(|e| e.id as EntityId) }
    }

    /// A named mention as a pronoun candidate, when it is evidently a person or organisation.
    fn mention_candidate(&self, span: Span, name: &str, gender: Gender) -> Option<Candidate> {
        if gender == Gender::Plural {
            // A group ("City officials") is nobody's entity mention as a whole.
            let speaker = Speaker { name: name.to_string(), span, entity: None };
            return Some(Candidate { at: span.start, speaker, gender });
        }
        let entity = self.entity_at(span);
        let gender = match entity.map(|e| e.kind) {
            Some(EntityKind::Person) => self.gender_of(&self.canonical(name), gender),
            Some(EntityKind::Organization) => Gender::Neuter,
            Some(_) => return None,
            None if gender == Gender::Unknown => self.gender_of(&self.canonical(name), gender),
            None => gender,
        };
        if gender == Gender::Unknown && entity.is_none() {
            return None;
        }
        let name = match entity {
            Some(e) if e.kind == EntityKind::Person => e.name.clone(),
            _ if gender == Gender::Neuter => name.to_string(),
            _ => self.canonical(name),
        };
        Some(Candidate { at: span.start, speaker: Speaker { name, span, entity: entity.map(|e| e.id) }, gender })
    }
}
