//! Entity ids that moved: a letter that founds, splits or merges an entity renumbers every
//! entity first mentioned after it (ids follow first mentions), though the entities outside the
//! re-split paragraphs are the same. The last run's results outside them then hold only stale
//! ids: [`Renumbering`] maps them to the new ones, so that the document pass can keep them
//! instead of resolving every paragraph again.

use super::incremental::ResolveCache;
use crate::analysis::{EntityId, Speaker};

/// The last run's entity ids → this run's, for the entities with a mention outside the
/// re-split paragraphs (strictly increasing: the entities outside keep their order, so the first
/// entity a lookup outside finds is the same). The others have no image: a kept result naming
/// one cannot be kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Renumbering(Vec<Option<EntityId>>);

impl Renumbering {
    /// From `map[old] = Some(new)`.
    pub(super) fn new(map: Vec<Option<EntityId>>) -> Self {
        Renumbering(map)
    }

    /// The new id of the entity the last run called `old` (`None`: not kept).
    pub(super) fn id(&self, old: EntityId) -> Option<EntityId> {
        self.0.get(old).copied().flatten()
    }

    /// A kept speaker's entity renumbered: `Some(None)` for no entity, `None` when its entity
    /// has no image.
    pub(super) fn entity(&self, old: Option<EntityId>) -> Option<Option<EntityId>> {
        match old {
            None => Some(None),
            Some(e) => self.id(e).map(Some),
        }
    }

    /// `speaker` with its entity renumbered, if it has an image.
    pub(super) fn speaker(&self, speaker: &Speaker) -> Option<Speaker> {
        Some(Speaker {
            entity: self.entity(speaker.entity)?,
            ..speaker.clone()
        })
    }
}

/// `speaker` as kept across the edit: its entity renumbered when ids moved.
pub(super) fn kept_speaker(renumbered: Option<&Renumbering>, speaker: &Speaker) -> Option<Speaker> {
    match renumbered {
        None => Some(speaker.clone()),
        Some(r) => r.speaker(speaker),
    }
}

/// `entity` as kept across the edit (see [`kept_speaker`]).
pub(super) fn kept_entity(
    renumbered: Option<&Renumbering>,
    entity: Option<EntityId>,
) -> Option<Option<EntityId>> {
    match renumbered {
        None => Some(entity),
        Some(r) => r.entity(entity),
    }
}

impl ResolveCache {
    /// Renumbers the entities of the kept events and pronoun candidates outside the re-split
    /// paragraphs `first..first + old_count` (those inside are resolved again and never read).
    /// `None` when one names an entity with no image (then everything is resolved again).
    pub(super) fn renumber(
        &mut self,
        renumbering: &Renumbering,
        first: usize,
        old_count: usize,
    ) -> Option<()> {
        let skipped = |starts: &[usize]| Some(*starts.get(first)?..*starts.get(first + old_count)?);
        let events = skipped(&self.event_starts)?;
        let candidates = skipped(&self.candidate_starts)?;
        for (k, event) in self.events.iter_mut().enumerate() {
            if events.contains(&k) {
                continue;
            }
            if let Some(s) = &mut event.speaker {
                s.entity = renumbering.entity(s.entity)?;
            }
        }
        for (k, candidate) in self.candidates.iter_mut().enumerate() {
            if !candidates.contains(&k) {
                candidate.speaker.entity = renumbering.entity(candidate.speaker.entity)?;
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Span;

    #[test]
    fn a_kept_speaker_takes_its_entitys_new_id_or_is_not_kept() {
        let map = Renumbering::new(vec![Some(0), None, Some(3)]);
        let speaker = |entity| Speaker {
            name: "Kari Lund".into(),
            span: Span::new(4, 13),
            entity,
        };
        assert_eq!(map.speaker(&speaker(Some(2))), Some(speaker(Some(3))));
        assert_eq!(map.speaker(&speaker(None)), Some(speaker(None)));
        assert_eq!(map.speaker(&speaker(Some(1))), None);
        assert_eq!(map.speaker(&speaker(Some(7))), None);
        assert_eq!(
            kept_speaker(None, &speaker(Some(1))),
            Some(speaker(Some(1)))
        );
        assert_eq!(kept_entity(Some(&map), Some(2)), Some(Some(3)));
    }
}
