//! Whether what this run resolved is what the last run resolved, moved by the edit (and with
//! its entities renumbered, when ids moved): the document pass keeps the last run's results
//! from where they agree again.

use super::renumber::{kept_entity, Renumbering};
use super::speakers::{Candidate, DocEvent};
use crate::analysis::shift::Shift;
use crate::analysis::{Finding, Speaker};

pub(super) fn same_speaker(old: &Speaker, new: &Speaker, shift: &Shift) -> bool {
    old.name == new.name && old.entity == new.entity && shift.span(old.span) == Some(new.span)
}

pub(super) fn same_event(
    old: &DocEvent,
    new: &DocEvent,
    shift: &Shift,
    moved_paragraph: impl Fn(usize) -> usize,
) -> bool {
    moved_paragraph(old.paragraph) == new.paragraph
        && shift.offset(old.at) == Some(new.at)
        && old.introduces_next == new.introduces_next
        && old.in_last_sentence == new.in_last_sentence
        && match (&old.speaker, &new.speaker) {
            (None, None) => true,
            (Some(a), Some(b)) => same_speaker(a, b, shift),
            _ => false,
        }
}

pub(super) fn same_candidate(old: &Candidate, new: &Candidate, shift: &Shift) -> bool {
    shift.offset(old.at) == Some(new.at)
        && old.gender == new.gender
        && same_speaker(&old.speaker, &new.speaker, shift)
}

pub(super) fn same_finding(old: &Finding, new: &Finding, shift: &Shift) -> bool {
    old.rule == new.rule
        && old.severity == new.severity
        && old.message == new.message
        && shift.span(old.span) == Some(new.span)
}

/// [`same_speaker`] for a speaker the last run gave a quotation, its entity renumbered.
pub(super) fn same_kept_speaker(
    old: &Speaker,
    new: &Speaker,
    shift: &Shift,
    renumbered: Option<&Renumbering>,
) -> bool {
    kept_entity(renumbered, old.entity) == Some(new.entity)
        && old.name == new.name
        && shift.span(old.span) == Some(new.span)
}
