//! Entities under construction while linking, indexed by word so that each mention is
//! compared only with entities sharing one.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;
use std::sync::Arc;

use crate::analysis::model::{Entity, EntityId};
use crate::entities::context::Item;

/// Entities being built, indexed so that each mention looks only at entities sharing a word
/// with it instead of at every entity (linking stays near-linear in the number of mentions).
#[derive(Default)]
pub(super) struct Table {
    pub(super) entities: Vec<Entity>,
    /// Each entity's founding words (lowercased bare name).
    pub(super) words: Vec<Arc<[String]>>,
    /// Word → entities whose founding words contain it, ascending.
    by_word: FxHashMap<String, Vec<EntityId>>,
    /// Founding words joined with spaces → entities, ascending.
    pub(super) by_key: FxHashMap<String, Vec<EntityId>>,
    /// Per entity: (name start, item index) of the items assigned to it so far.
    assigned: Vec<BTreeSet<(usize, usize)>>,
}

impl Table {
    pub(super) fn add(&mut self, it: &Item) -> EntityId {
        let id = self.entities.len();
        self.entities.push(new_entity(id, it));
        for w in it.words.iter() {
            let ids = self.by_word.entry(w.clone()).or_default();
            if ids.last() != Some(&id) {
                ids.push(id);
            }
        }
        self.by_key.entry(it.key.to_string()).or_default().push(id);
        self.words.push(Arc::clone(&it.words));
        self.assigned.push(BTreeSet::new());
        id
    }

    pub(super) fn assign(&mut self, e: EntityId, start: usize, item: usize) {
        self.assigned[e].insert((start, item));
    }

    /// In ascending order, a superset of the entities whose words contain all of `words`: those
    /// containing its rarest word (every entity when `words` is empty).
    pub(super) fn containing<'a>(
        &'a self,
        words: &[String],
    ) -> Box<dyn Iterator<Item = EntityId> + 'a> {
        if words.is_empty() {
            return Box::new(0..self.entities.len());
        }
        let rarest = words
            .iter()
            .map(|w| self.by_word.get(w).map_or(&[][..], Vec::as_slice))
            .min_by_key(|ids| ids.len())
            .unwrap_or(&[]);
        Box::new(rarest.iter().copied())
    }

    /// Among `persons`, the entity with an assigned item starting last before `pos`, else the
    /// one starting first after it; ties go to the earlier item.
    pub(super) fn closest(&self, persons: &[EntityId], pos: usize) -> Option<EntityId> {
        let mut best_before: Option<(usize, std::cmp::Reverse<usize>, EntityId)> = None;
        let mut best_after: Option<(usize, usize, EntityId)> = None;
        for &e in persons {
            let set = &self.assigned[e];
            if let Some(&(p, _)) = set.range(..(pos, 0)).next_back() {
                let j = set.range((p, 0)..).next().map_or(0, |&(_, j)| j);
                let cand = (p, std::cmp::Reverse(j), e);
                if best_before.is_none_or(|b| (cand.0, cand.1) > (b.0, b.1)) {
                    best_before = Some(cand);
                }
            }
            if let Some(&(p, j)) = set.range((pos + 1, 0)..).next() {
                if best_after.is_none_or(|b| (p, j) < (b.0, b.1)) {
                    best_after = Some((p, j, e));
                }
            }
        }
        best_before
            .map(|(_, _, e)| e)
            .or(best_after.map(|(_, _, e)| e))
    }
}
fn new_entity(id: EntityId, it: &Item) -> Entity {
    Entity {
        id,
        kind: it.kind,
        name: Arc::clone(&it.written),
        descriptors: Vec::new(),
        mentions: Vec::new(),
    }
}

/// Whether `short` appears in `long` in order (not necessarily adjacent).
pub(super) fn is_subsequence(short: &[String], long: &[String]) -> bool {
    let mut it = long.iter();
    short.iter().all(|w| it.any(|l| l == w))
}
