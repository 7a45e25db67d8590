//! Keeping [`DocStats`] in step with an edited document: sequences taken out and put in, and
//! which words' document features the change can alter.
//!
//! A keystroke replaces one paragraph's first-stage result; re-gathering the statistics and
//! re-extracting every paragraph's features for it made the second stage O(document) per
//! keystroke. [`DocStats::update`] applies the difference and reports, as [`Changed`], the word
//! and lowercase hashes whose entries changed in a way [`extract`] can see; only tokens with those
//! hashes (or next to them, for entity stretches) can get different features.
//!
//! Every field of [`DocStats`] that [`extract`] reads needs its removal in `remove` and its
//! change test in `update`: the property test `incremental_equals_from_scratch` (analysis) fails
//! otherwise.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use crate::entities::tagger::features::feature;
use crate::entities::tagger::gazetteer::PassThrough;
use crate::entities::tagger::{spans, LABELS};

use super::features::{
    majority, push_distribution, CASELESS_TEMPLATE, CONTEXT_TEMPLATE, WORD_TEMPLATE,
};
use super::stats::{context, entity_key, position, MAX_CONTEXTS, SIDES};
use super::{DocStats, Map, TokenKey, MAX_ENTITY};

type Set = HashSet<u64, BuildHasherDefault<PassThrough>>;

/// Hashes whose statistics changed visibly to [`super::extract`].
#[derive(Debug, Default)]
pub struct Changed {
    /// [`TokenKey::word`]s: a token with this word, or next to it in an entity stretch, may get
    /// other features.
    pub words: Set,
    /// [`TokenKey::lower`]s: a token with a capital letter and this lowercase may get other
    /// features.
    pub lowers: Set,
}

impl Changed {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.lowers.is_empty()
    }
}

/// The entries a change touched, as they were before it.
#[derive(Default)]
struct Before {
    words: Map<[u32; LABELS]>,
    caseless: Map<[u32; LABELS]>,
    lower_seen: Map<u32>,
    /// Entity spelling → its counts and its words.
    entities: Map<([u32; 4], Vec<u64>)>,
    in_entity: Map<u32>,
    /// The part of a word's context list that features read ([`visible_contexts`]).
    contexts: Map<Vec<(u64, u32)>>,
    containers: Map<[u32; 12]>,
}

/// What `extract` can see of a word's context list that the second model scores: the first
/// entries, of those only the contexts whose feature `scored` says the model has, each count
/// only as far as it compares with a token's own contexts (at most one per side). Each entry
/// gives its own feature, so two lists that agree here give every token the same scored
/// features; a letter typed next to a frequent word moves which contexts are first, and
/// mostly among contexts the model lacks (a half-typed neighbour).
fn visible_contexts(
    list: Option<&Vec<(u64, u32)>>,
    scored: &impl Fn(u64) -> bool,
) -> Vec<(u64, u32)> {
    let clip = SIDES.len() as u32 + 1;
    list.map_or(&[][..], Vec::as_slice)
        .iter()
        .take(MAX_CONTEXTS + SIDES.len())
        .filter(|&&(c, _)| scored(feature(CONTEXT_TEMPLATE, c, 0, 0)))
        .map(|&(c, n)| (c, n.min(clip)))
        .collect()
}

/// Whether every token gets the same container features from `old` as from `new`, whatever its
/// own position in an entity: which slots are non-zero once its own is left out.
fn same_containers(old: &[u32; 12], new: &[u32; 12]) -> bool {
    old == new
        || std::iter::once(None).chain((0..12).map(Some)).all(|own| {
            let seen = |counts: &[u32; 12]| {
                let mut others = *counts;
                if let Some(slot) = own {
                    others[slot] = others[slot].saturating_sub(1);
                }
                others.map(|c| c > 0)
            };
            seen(old) == seen(new)
        })
}

fn decrement<const N: usize>(map: &mut Map<[u32; N]>, key: u64, at: usize) {
    if let Some(c) = map.get_mut(&key) {
        if let Some(n) = c.get_mut(at) {
            *n = n.saturating_sub(1);
        }
        if c.iter().all(|&n| n == 0) {
            map.remove(&key);
        }
    }
}

fn decrement_count(map: &mut Map<u32>, key: u64) {
    if let Some(n) = map.get_mut(&key) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            map.remove(&key);
        }
    }
}

/// Whether every token, whatever its own label, gets the same features the second model scores
/// (`scored`) from a word's label counts `old` as from `new` (see `extract`: its own occurrence
/// is left out first; `template` is the first of the distribution's templates there). Whether
/// the word is seen more than once (the words' feature 115) is compared whatever the model
/// scores.
fn same_distribution(
    template: u8,
    old: &[u32; LABELS],
    new: &[u32; LABELS],
    scored: &impl Fn(u64) -> bool,
) -> bool {
    let seen_twice = |c: &[u32; LABELS]| c.iter().sum::<u32>() > 1;
    old == new
        || seen_twice(old) == seen_twice(new)
            && (0..LABELS).all(|own| {
                let features = |counts: &[u32; LABELS]| {
                    let mut others = *counts;
                    others[own] = others[own].saturating_sub(1);
                    let mut out = Vec::new();
                    push_distribution(template, &others, own as u8, &mut |t, a, b| {
                        let f = feature(t, a, b, 0);
                        if scored(f) {
                            out.push(f);
                        }
                    });
                    out
                };
                features(old) == features(new)
            })
}

/// Whether every stretch spelled like an entity gets the same majority kind from `old` as from
/// `new`, whether or not it is itself an entity of some kind.
fn same_entity(old: &[u32; 4], new: &[u32; 4]) -> bool {
    old == new
        || std::iter::once(None).chain((0..4).map(Some)).all(|own| {
            let kind = |counts: &[u32; 4]| {
                let mut others = *counts;
                if let Some(k) = own {
                    others[k] = others[k].saturating_sub(1);
                }
                majority(&others)
            };
            kind(old) == kind(new)
        })
}

impl DocStats {
    /// Take one sequence, added earlier with the same labels, out again.
    pub fn remove(&mut self, keys: &[TokenKey], labels: &[u8]) {
        for (t, &l) in keys.iter().zip(labels) {
            if t.upper {
                decrement(&mut self.words, t.word, l as usize);
                decrement(&mut self.caseless, t.lower, l as usize);
            } else if t.lowercase {
                decrement_count(&mut self.lower_seen, t.lower);
            }
        }
        for (i, t) in keys.iter().enumerate().filter(|(_, t)| t.upper) {
            let Some(list) = self.contexts.get_mut(&t.lower) else {
                continue;
            };
            for offset in SIDES {
                let c = context(keys, i, offset);
                if let Ok(at) = list.binary_search_by_key(&c, |&(x, _)| x) {
                    list[at].1 = list[at].1.saturating_sub(1);
                    if list[at].1 == 0 {
                        list.remove(at);
                    }
                }
            }
            if list.is_empty() {
                self.contexts.remove(&t.lower);
            }
        }
        for (s, e, k) in spans(labels) {
            if e - s >= 2 && e <= keys.len() {
                for (i, t) in keys.iter().enumerate().take(e).skip(s) {
                    decrement(&mut self.containers, t.lower, k * 3 + position(s, e, i));
                }
            }
            if e - s <= MAX_ENTITY && e <= keys.len() {
                decrement(
                    &mut self.entities,
                    entity_key(keys[s..e].iter().map(|t| t.word)),
                    k,
                );
                for t in &keys[s..e] {
                    decrement_count(&mut self.in_entity, t.word);
                }
            }
        }
    }

    /// Take `removed` out and put `added` in (each a sequence with its first-stage labels, as
    /// given to [`DocStats::add`]); returns what the change can alter in other sequences'
    /// features that `scored` says the second model has (for the word distributions and the
    /// contexts; the other templates are compared whatever the model scores). The statistics
    /// afterwards equal those gathered afresh.
    pub fn update<'a>(
        &mut self,
        removed: &[(&'a [TokenKey], &'a [u8])],
        added: &[(&'a [TokenKey], &'a [u8])],
        scored: &impl Fn(u64) -> bool,
    ) -> Changed {
        let mut before = Before::default();
        for &(keys, labels) in removed.iter().chain(added) {
            self.remember(keys, labels, &mut before, scored);
        }
        for &(keys, labels) in removed {
            self.remove(keys, labels);
        }
        for &(keys, labels) in added {
            self.add(keys, labels);
        }
        let mut changed = Changed::default();
        let zero = [0; LABELS];
        for (w, old) in &before.words {
            if !same_distribution(
                WORD_TEMPLATE,
                old,
                self.words.get(w).unwrap_or(&zero),
                scored,
            ) {
                changed.words.insert(*w);
            }
        }
        for (w, old) in &before.caseless {
            let new = self.caseless.get(w).unwrap_or(&zero);
            if !same_distribution(CASELESS_TEMPLATE, old, new, scored) {
                changed.lowers.insert(*w);
            }
        }
        for (w, &old) in &before.lower_seen {
            if (old > 0) != self.lower_seen.contains_key(w) {
                changed.lowers.insert(*w);
            }
        }
        for (w, &old) in &before.in_entity {
            if (old > 0) != self.in_entity.contains_key(w) {
                changed.words.insert(*w);
            }
        }
        for (w, old) in &before.contexts {
            if *old != visible_contexts(self.contexts.get(w), scored) {
                changed.lowers.insert(*w);
            }
        }
        for (w, old) in &before.containers {
            if !same_containers(old, self.containers.get(w).unwrap_or(&[0; 12])) {
                changed.lowers.insert(*w);
            }
        }
        for (e, (old, words)) in &before.entities {
            if !same_entity(old, self.entities.get(e).unwrap_or(&[0; 4])) {
                changed.words.extend(words.iter().copied());
            }
        }
        changed
    }

    /// Record the entries of `keys` as they are now, unless recorded already.
    fn remember(
        &self,
        keys: &[TokenKey],
        labels: &[u8],
        before: &mut Before,
        scored: &impl Fn(u64) -> bool,
    ) {
        for t in keys.iter().filter(|t| t.upper) {
            before
                .contexts
                .entry(t.lower)
                .or_insert_with(|| visible_contexts(self.contexts.get(&t.lower), scored));
        }
        for t in keys {
            if t.upper {
                before
                    .words
                    .entry(t.word)
                    .or_insert_with(|| self.words.get(&t.word).copied().unwrap_or([0; LABELS]));
                before
                    .caseless
                    .entry(t.lower)
                    .or_insert_with(|| self.caseless.get(&t.lower).copied().unwrap_or([0; LABELS]));
            } else if t.lowercase {
                before
                    .lower_seen
                    .entry(t.lower)
                    .or_insert_with(|| self.lower_seen.get(&t.lower).copied().unwrap_or(0));
            }
        }
        for (s, e, _) in spans(labels) {
            if e - s >= 2 && e <= keys.len() {
                for t in &keys[s..e] {
                    before.containers.entry(t.lower).or_insert_with(|| {
                        self.containers.get(&t.lower).copied().unwrap_or([0; 12])
                    });
                }
            }
            if e - s <= MAX_ENTITY && e <= keys.len() {
                let words: Vec<u64> = keys[s..e].iter().map(|t| t.word).collect();
                let key = entity_key(words.iter().copied());
                let counts = self.entities.get(&key).copied().unwrap_or([0; 4]);
                before.entities.entry(key).or_insert((counts, words));
                for t in &keys[s..e] {
                    before
                        .in_entity
                        .entry(t.word)
                        .or_insert_with(|| self.in_entity.get(&t.word).copied().unwrap_or(0));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{extract, keys};
    use super::*;
    use crate::entities::tagger::{label, Part};

    fn features(k: &[TokenKey], l: &[u8], stats: &DocStats) -> (Vec<u64>, Vec<usize>) {
        let (mut f, mut s) = (Vec::new(), Vec::new());
        extract(k, l, stats, &mut f, &mut s);
        (f, s)
    }

    #[test]
    fn an_update_equals_gathering_afresh_and_reports_what_it_changes() {
        let per = label(0, Part::Unit);
        let org = label(1, Part::Unit);
        let a = keys(&["Varga", "met", "Tarnow", "officials"]);
        let b = keys(&["Varga", "spoke"]);
        let b2 = keys(&["Varga", "spoke", "in", "Tarnow"]);
        let (la, lb, lb2) = ([per, 0, org, 0], [per, 0], [per, 0, 0, org]);
        let mut stats = DocStats::of([(&a[..], &la[..]), (&b[..], &lb[..])]);
        let before = features(&a, &la, &stats);
        let changed = stats.update(&[(&b[..], &lb[..])], &[(&b2[..], &lb2[..])], &|_| true);
        let fresh = DocStats::of([(&a[..], &la[..]), (&b2[..], &lb2[..])]);
        assert_eq!(features(&a, &la, &stats), features(&a, &la, &fresh));
        assert_eq!(features(&b2, &lb2, &stats), features(&b2, &lb2, &fresh));
        // "Tarnow" gained a second occurrence: sequence a's features for it change, and the
        // change says so; "Varga" kept one person label elsewhere: nothing to report for it.
        assert_ne!(before, features(&a, &la, &stats));
        assert!(changed.words.contains(&a[2].word) && changed.lowers.contains(&a[2].lower));
        assert!(!changed.words.contains(&a[0].word));
        // Taking everything out leaves nothing behind.
        stats.update(&[(&a[..], &la[..]), (&b2[..], &lb2[..])], &[], &|_| true);
        assert!(stats.words.is_empty() && stats.caseless.is_empty() && stats.entities.is_empty());
        assert!(stats.lower_seen.is_empty() && stats.in_entity.is_empty());
        assert!(stats.contexts.is_empty() && stats.containers.is_empty());
    }

    /// A change the second model cannot see (in contexts or label shares whose features it
    /// lacks) is not reported; the same change is once the model has such a feature.
    #[test]
    fn only_changes_of_scored_features_are_reported() {
        let (per, loc) = (label(0, Part::Unit), label(2, Part::Unit));
        let a = keys(&["Varga", "spoke"]);
        let b = keys(&["Varga", "left"]);
        let (la, lb) = ([per, 0], [per, 0]);
        let varga = a[0];
        let left = crate::entities::tagger::features::combine(1, b[1].lower);
        let context = feature(CONTEXT_TEMPLATE, left, 0, 0);
        let report = |scored: &dyn Fn(u64) -> bool| {
            let mut stats = DocStats::of([(&a[..], &la[..]), (&a[..], &la[..])]);
            stats.update(&[], &[(&b[..], &lb[..])], &|f| scored(f))
        };
        // A third "Varga", next to a word no other one is next to.
        assert!(report(&|_| true).lowers.contains(&varga.lower));
        assert!(!report(&|_| false).lowers.contains(&varga.lower));
        assert!(report(&|f| f == context).lowers.contains(&varga.lower));
        assert!(!report(&|f| f != context && f >> 60 == 0)
            .lowers
            .contains(&varga.lower));
        // A third "Varga" as a place: the place's share is new.
        let lc = [loc, 0];
        let shares = |scored: &dyn Fn(u64) -> bool| {
            let mut stats = DocStats::of([(&a[..], &la[..]), (&a[..], &la[..])]);
            stats.update(&[], &[(&a[..], &lc[..])], &|f| scored(f))
        };
        assert!(shares(&|_| true).words.contains(&varga.word));
        assert!(!shares(&|_| false).words.contains(&varga.word));
    }
}
