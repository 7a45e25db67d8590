//! Kind votes: a spelling's and an entity's kind is the majority of its mentions' kinds.

use crate::analysis::model::EntityKind;

/// How many mentions gave each kind.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct KindVotes([usize; 4]);

const KINDS: [EntityKind; 4] = [
    EntityKind::Person,
    EntityKind::Organization,
    EntityKind::Location,
    EntityKind::Misc,
];

fn kind_index(kind: EntityKind) -> usize {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Organization => 1,
        EntityKind::Location => 2,
        EntityKind::Misc => 3,
    }
}

impl KindVotes {
    pub(super) fn add(&mut self, kind: EntityKind) {
        self.0[kind_index(kind)] += 1;
    }

    pub(super) fn has(&self, kind: EntityKind) -> bool {
        self.0[kind_index(kind)] > 0
    }

    /// The kind most voted for: `fallback` if it is among the most voted, else the least such
    /// kind; `fallback` when there are no votes.
    pub(super) fn majority(&self, fallback: EntityKind) -> EntityKind {
        let best = self.0.iter().copied().max().unwrap_or(0);
        if best == 0 {
            return fallback;
        }
        if self.0[kind_index(fallback)] == best {
            return fallback;
        }
        KINDS
            .into_iter()
            .filter(|&k| self.0[kind_index(k)] == best)
            .min()
            .unwrap_or(fallback)
    }
}
