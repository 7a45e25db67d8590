//! The clusters of variant spellings `name-variant` compares: people (and lone words spelled
//! like a person's name) whose names may be one name spelled two ways.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::names_of;
use super::personal;
use super::spelling::{spell_all, variant_spelled, Spelled, SpellingIndex};
use crate::analysis::{Entity, EntityKind};
use crate::config::register::name_words;

/// The people (indices into the entities) that the naming rule compares, and their clusters of
/// variant spellings (indices into the people, each ascending; clusters sorted).
#[derive(Debug)]
pub(super) struct Clusters {
    /// What they were computed from: every entity's kind and name, in order.
    key: Vec<(EntityKind, String)>,
    pub(super) people: Vec<usize>,
    pub(super) clusters: Vec<Vec<usize>>,
}

/// The clusters depend only on the entities' kinds and names, which most keystrokes leave as
/// they were; the last few results are kept, keyed by exactly those (several open documents each
/// keep theirs).
static RECENT_CLUSTERS: Mutex<Vec<Arc<Clusters>>> = Mutex::new(Vec::new());
const RECENT_KEPT: usize = 8;

pub(super) fn clusters_of(entities: &[Entity]) -> Arc<Clusters> {
    let same = |c: &Clusters| {
        c.key.len() == entities.len()
            && c.key
                .iter()
                .zip(entities)
                .all(|((kind, name), e)| *kind == e.kind && *name == e.name)
    };
    if let Ok(recent) = RECENT_CLUSTERS.lock() {
        if let Some(hit) = recent.iter().find(|c| same(c)) {
            return Arc::clone(hit);
        }
    }
    let computed = Arc::new(compute_clusters(entities));
    if let Ok(mut recent) = RECENT_CLUSTERS.lock() {
        if recent.len() >= RECENT_KEPT {
            recent.remove(0);
        }
        recent.push(Arc::clone(&computed));
    }
    computed
}

fn compute_clusters(entities: &[Entity]) -> Clusters {
    // People, and lone capitalised words the tagger gave another kind that are spelled like a
    // person's name ("Dorofeev said" tagged as a place next to "Yevhen Dorofeyev").
    let mut people: Vec<usize> = (0..entities.len())
        .filter(|&i| personal(&entities[i]))
        .collect();
    let person_names: Vec<Vec<&str>> = people.iter().map(|&p| names_of(&entities[p])).collect();
    let mut names = spell_all(&person_names);
    let person_index = SpellingIndex::of(&names);
    for (i, e) in entities.iter().enumerate() {
        if e.kind == EntityKind::Person || name_words(&e.name).count() != 1 {
            continue;
        }
        let Some(word) = name_words(&e.name).next() else {
            continue;
        };
        let spelled = vec![Spelled::new(word)];
        // One word: a person it pairs with has a word matching it.
        if person_index
            .names_matching_spelled(&spelled[0])
            .into_iter()
            .any(|p| variant_spelled(&names[p], &spelled))
        {
            people.push(i);
            names.push(spelled);
        }
    }
    // Cluster people that are variant spellings of each other (union-find over pairs).
    let mut parent: Vec<usize> = (0..people.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    // Only pairs sharing a possible spelling are compared, in the order (earlier, later) as a
    // scan over every pair would: the clusters are the same sets.
    let index = SpellingIndex::of(&names);
    for i in 0..people.len() {
        for j in index.candidates(i) {
            if j == i || names[j].len() < names[i].len() {
                continue; // then `j` is the shorter name: its own candidates hold `i`
            }
            let (a, b) = (i.min(j), i.max(j));
            if variant_spelled(&names[a], &names[b]) {
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                parent[ra] = rb;
            }
        }
    }
    let mut clusters: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..people.len() {
        let r = root(&mut parent, i);
        clusters.entry(r).or_default().push(i);
    }
    let mut clusters: Vec<Vec<usize>> = clusters.into_values().collect();
    clusters.sort();
    Clusters {
        key: entities.iter().map(|e| (e.kind, e.name.clone())).collect(),
        people,
        clusters,
    }
}
