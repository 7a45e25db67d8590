//! Each cue's speaker in document coordinates: pronouns resolved to the nearest compatible earlier
//! speaker or named person, and the unresolved ones reported.

use super::super::lexicon::{Gender, Pronoun};
use super::super::{LocalSpeaker, SpeakerKind};
use super::names::NameIndex;
use super::DocParagraph;
use crate::analysis::{Finding, Rule, Speaker};

/// Someone a later pronoun may mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Candidate {
    pub(super) at: usize,
    pub(super) speaker: Speaker,
    pub(super) gender: Gender,
}

/// A speech cue in document coordinates, its pronoun resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct DocEvent {
    pub(super) paragraph: usize,
    pub(super) at: usize,
    pub(super) speaker: Option<Speaker>,
    pub(super) introduces_next: bool,
    pub(super) in_last_sentence: bool,
}

/// One paragraph's share of resolving every cue's speaker in document order (pronouns to the
/// nearest compatible earlier speaker or named person): its cues' speakers (appended to `events`), the
/// candidates it adds for later pronouns (to `candidates`, which holds those of every earlier
/// paragraph) and its unresolved pronouns (to `findings`).
pub(super) fn resolve_paragraph(
    pi: usize,
    para: &DocParagraph<'_>,
    names: &NameIndex,
    events: &mut Vec<DocEvent>,
    candidates: &mut Vec<Candidate>,
    findings: &mut Vec<Finding>,
) {
    let attribution = para.attribution;
    // Names that are a cue's speaker enter as that speaker, not twice.
    let mut mentions = attribution
        .names
        .iter()
        .filter(|m| {
            !attribution
                .events
                .iter()
                .any(|e| e.speaker.span.overlaps(m.span))
        })
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
                let found = candidates
                    .iter()
                    .rev()
                    .find(|c| c.at < speaker_at && p.agrees_with(c.gender));
                match found {
                    Some(c) => Some(Speaker {
                        span: local.span.shifted(para.base),
                        ..c.speaker.clone()
                    }),
                    None => {
                        findings.push(Finding {
                            rule: Rule::UnresolvedPronounSpeaker,
                            severity: Rule::UnresolvedPronounSpeaker.default_severity(),
                            span: local.span.shifted(para.base),
                            message: format!(
                                "“{}” has no earlier speaker or person to refer to",
                                local.name
                            )
                            .into(),
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
                candidates.push(Candidate {
                    at: speaker_at,
                    speaker: s.clone(),
                    gender,
                });
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

/// The nearest candidate before a paragraph's pronoun that agrees with it; the speaker keeps the
/// pronoun as its words in the article.
pub(super) fn resolve_pronoun(
    candidates: &[Candidate],
    p: Pronoun,
    local: &LocalSpeaker,
    base: usize,
) -> Option<Speaker> {
    let span = local.span.shifted(base);
    candidates
        .iter()
        .rev()
        .find(|c| c.at < span.start && p.agrees_with(c.gender))
        .map(|c| Speaker {
            span,
            ..c.speaker.clone()
        })
}
