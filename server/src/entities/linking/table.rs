//! Entities under construction while linking, indexed by word so that each mention is
//! compared only with entities sharing one.

use rustc_hash::FxHashMap;
use std::sync::Arc;

use crate::analysis::model::{Entity, EntityId, EntityKind};
use crate::entities::context::Item;

/// Entities being built, indexed so that each mention looks only at entities sharing a word
/// with it instead of at every entity (linking stays near-linear in the number of mentions).
/// Its words and keys are borrowed from the items being linked.
///
/// Words are numbered as they are first seen and names compared as lists of numbers: the
/// largest group of related names at 1 MB (≈ 5,000 items, ≈ 1,300 people sharing first names
/// and surnames) compared its words as strings, ≈ 7 M instructions of `memcmp` a relinking.
/// Equal words have equal numbers, so every comparison answers as the strings' did.
#[derive(Default)]
pub(super) struct Table<'a> {
    pub(super) entities: Vec<Entity>,
    /// Each entity's founding words (lowercased bare name) as word numbers, one after another:
    /// entity `e`'s are `words[starts[e]..starts[e + 1]]`.
    words: Vec<u32>,
    starts: Vec<usize>,
    /// Word → its number.
    numbers: FxHashMap<&'a str, u32>,
    /// Per word number: the entities whose founding words contain it, ascending.
    by_word: Vec<Vec<EntityId>>,
    /// Per word number: those of them founded as people of two words or more, whose short
    /// form a bare name of that one word may be (see [`Table::people_with`]).
    people_by_word: Vec<Vec<EntityId>>,
    /// Per pair of word numbers: the entities whose founding words hold the first before the
    /// second, ascending. A full name's first and surname are each in many names of a large
    /// group, both together in few: scanning a word's list for each full name was ≈ 2.5 M
    /// instructions of grouping the largest group at 1 MB.
    by_pair: FxHashMap<(u32, u32), Vec<EntityId>>,
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
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        for w in it.words.iter() {
            let next = self.by_word.len() as u32;
            let n = *self.numbers.entry(w.as_str()).or_insert(next);
            if n == next {
                self.by_word.push(Vec::new());
                self.people_by_word.push(Vec::new());
            }
            self.words.push(n);
            let ids = &mut self.by_word[n as usize];
            if ids.last() != Some(&id) {
                ids.push(id);
            }
            let people = &mut self.people_by_word[n as usize];
            if it.kind == EntityKind::Person && it.words.len() >= 2 && people.last() != Some(&id) {
                people.push(id);
            }
        }
        let founding = &self.words[self.starts[id]..];
        for (k, &a) in founding.iter().enumerate() {
            for &b in &founding[k + 1..] {
                let ids = self.by_pair.entry((a, b)).or_default();
                if ids.last() != Some(&id) {
                    ids.push(id);
                }
            }
        }
        self.starts.push(self.words.len());
        self.by_key.entry(&*it.key).or_default().push(id);
        self.assigned.push(Vec::new());
        id
    }

    /// The people (entities made as persons, which their kind stays while grouping) of two
    /// founding words or more that hold word number `word`, ascending: the entities a bare
    /// name of that one word is a short form of.
    pub(super) fn people_with(&self, word: u32) -> &[EntityId] {
        self.people_by_word
            .get(word as usize)
            .map_or(&[][..], Vec::as_slice)
    }

    /// Entity `e`'s founding words, as word numbers.
    pub(super) fn words_of(&self, e: EntityId) -> &[u32] {
        &self.words[self.starts[e]..self.starts[e + 1]]
    }

    /// `words` as word numbers in `out`; false (and `out` unfinished) when one of them is in
    /// no entity's founding words, so that no entity holds them all.
    pub(super) fn numbers_of(&self, words: &[String], out: &mut Vec<u32>) -> bool {
        out.clear();
        for w in words {
            match self.numbers.get(w.as_str()) {
                Some(&n) => out.push(n),
                None => return false,
            }
        }
        true
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

    /// In ascending order, a superset of the entities whose words hold all of `words` in order
    /// (word numbers, see [`Table::numbers_of`]): those holding its rarest word, or its first
    /// two words in order when fewer do (every entity when `words` is empty).
    pub(super) fn containing(&self, words: &[u32]) -> impl Iterator<Item = EntityId> + '_ {
        let every = if words.is_empty() {
            0..self.entities.len()
        } else {
            0..0
        };
        let pair = match words {
            [a, b, ..] => Some(self.by_pair.get(&(*a, *b)).map_or(&[][..], Vec::as_slice)),
            _ => None,
        };
        let rarest = words
            .iter()
            .map(|&w| self.by_word.get(w as usize).map_or(&[][..], Vec::as_slice))
            .chain(pair)
            .min_by_key(|ids| ids.len())
            .unwrap_or(&[]);
        every.chain(rarest.iter().copied())
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
pub(super) fn is_subsequence<T: PartialEq>(short: &[T], long: &[T]) -> bool {
    let mut it = long.iter();
    short.iter().all(|w| it.any(|l| l == w))
}
