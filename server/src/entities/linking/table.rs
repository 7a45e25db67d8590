//! Entities under construction while linking, indexed by word so that each mention is
//! compared only with entities sharing one.

use rustc_hash::FxHashMap;
use std::sync::Arc;

use crate::analysis::model::{Entity, EntityId};
use crate::entities::context::Item;

/// Entities being built, indexed so that each mention looks only at entities sharing a word
/// with it instead of at every entity (linking stays near-linear in the number of mentions).
/// Its words and keys are borrowed from the items being linked.
#[derive(Default)]
pub(super) struct Table<'a> {
    pub(super) entities: Vec<Entity>,
    /// Each entity's founding words (lowercased bare name).
    pub(super) words: Vec<Arc<[String]>>,
    /// Word → entities whose founding words contain it, ascending.
    by_word: FxHashMap<&'a str, Vec<EntityId>>,
    /// Founding words joined with spaces → entities, ascending.
    pub(super) by_key: FxHashMap<&'a str, Vec<EntityId>>,
    /// Per entity: (name start, item index) of the items assigned to it so far, ascending (a
    /// sorted list rather than a tree: [`Table::closest`] runs for every bare name of a large
    /// group of people on many keystrokes, and most of it was the trees' upkeep).
    assigned: Vec<Vec<(usize, usize)>>,
}

impl<'a> Table<'a> {
    pub(super) fn add(&mut self, it: &'a Item) -> EntityId {
        let id = self.entities.len();
        self.entities.push(new_entity(id, it));
        for w in it.words.iter() {
            let ids = self.by_word.entry(w.as_str()).or_default();
            if ids.last() != Some(&id) {
                ids.push(id);
            }
        }
        self.by_key.entry(&*it.key).or_default().push(id);
        self.words.push(Arc::clone(&it.words));
        self.assigned.push(Vec::new());
        id
    }

    /// Adds the item to the entity's assigned ones. The second pass assigns in document order,
    /// mostly at the end of the list.
    pub(super) fn assign(&mut self, e: EntityId, start: usize, item: usize) {
        let set = &mut self.assigned[e];
        let at = set.partition_point(|&x| x < (start, item));
        if set.get(at) != Some(&(start, item)) {
            set.insert(at, (start, item));
        }
    }

    /// In ascending order, a superset of the entities whose words contain all of `words`: those
    /// containing its rarest word (every entity when `words` is empty).
    pub(super) fn containing<'s>(
        &'s self,
        words: &[String],
    ) -> Box<dyn Iterator<Item = EntityId> + 's> {
        if words.is_empty() {
            return Box::new(0..self.entities.len());
        }
        let rarest = words
            .iter()
            .map(|w| self.by_word.get(w.as_str()).map_or(&[][..], Vec::as_slice))
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
            let set = &self.assigned[e][..];
            let before = set.partition_point(|&x| x < (pos, 0));
            if let Some(&(p, _)) = before.checked_sub(1).and_then(|k| set.get(k)) {
                // The first item assigned at `p`.
                let first = set[..before].partition_point(|&x| x < (p, 0));
                let j = set.get(first).map_or(0, |&(_, j)| j);
                let cand = (p, std::cmp::Reverse(j), e);
                if best_before.is_none_or(|b| (cand.0, cand.1) > (b.0, b.1)) {
                    best_before = Some(cand);
                }
            }
            let after = set[before..].partition_point(|&x| x < (pos + 1, 0)) + before;
            if let Some(&(p, j)) = set.get(after) {
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
