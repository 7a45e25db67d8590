//! What the naming rules read of each entity's name, worked out once per name and kept between
//! checks: whether a person could bear it and its folded words. A keystroke then looks each
//! name up instead of splitting, lowercasing and folding every person's name again.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::NOT_IN_PERSONAL_NAMES;
use crate::analysis::{Entity, EntityKind};
use crate::config::register::{fold_name, name_words};

/// One name's facts.
#[derive(Debug)]
pub(super) struct NameFacts {
    /// No word of it is one a person's name never has (`personal_name` but for the kind).
    could_be_personal: bool,
    /// Its words ([`name_words`]), folded ([`fold_name`]), in order, repeats kept.
    pub(super) folds: Vec<String>,
    /// The same words as ids ([`NameTable::fold_id`]).
    pub(super) fold_ids: Vec<u32>,
}

impl NameFacts {
    /// [`super::personal`] of an entity of this name and `kind`.
    pub(super) fn personal(&self, kind: EntityKind) -> bool {
        kind == EntityKind::Person && self.could_be_personal
    }
}

/// Every name seen, with its facts, and an id per folded word.
#[derive(Debug, Default)]
pub(super) struct NameTable {
    by_name: FxHashMap<Arc<str>, usize>,
    facts: Vec<NameFacts>,
    fold_ids: FxHashMap<String, u32>,
}

/// More names than this and the table starts afresh (typing a long name leaves every prefix).
const MAX_NAMES: usize = 50_000;

impl NameTable {
    /// The facts of every entity's name, in order (the table starts afresh first if full, so
    /// ids from one call are not mixed with another's).
    pub(super) fn of_all(&mut self, entities: &[Entity]) -> Vec<usize> {
        if self.facts.len() > MAX_NAMES || self.fold_ids.len() > MAX_NAMES {
            *self = NameTable::default();
        }
        entities.iter().map(|e| self.id(&e.name)).collect()
    }

    fn id(&mut self, name: &Arc<str>) -> usize {
        if let Some(&id) = self.by_name.get(&**name) {
            return id;
        }
        let folds: Vec<String> = name_words(name).map(fold_name).collect();
        let fold_ids = folds
            .iter()
            .map(|f| {
                let next = self.fold_ids.len() as u32;
                *self.fold_ids.entry(f.clone()).or_insert(next)
            })
            .collect();
        let could_be_personal =
            !name_words(name).any(|w| NOT_IN_PERSONAL_NAMES.contains(&w.to_lowercase().as_str()));
        let id = self.facts.len();
        self.facts.push(NameFacts {
            could_be_personal,
            folds,
            fold_ids,
        });
        self.by_name.insert(Arc::clone(name), id);
        id
    }

    pub(super) fn facts(&self, id: usize) -> &NameFacts {
        &self.facts[id]
    }

    /// The id of a folded word, if a name seen holds it.
    pub(super) fn fold_id(&self, fold: &str) -> Option<u32> {
        self.fold_ids.get(fold).copied()
    }
}
