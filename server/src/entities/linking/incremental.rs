//! Linking again only the groups of mentions an edit can have changed.
//!
//! Linking's passes ([`super::group`]) compare an item only with entities founded by an item
//! whose words are a subsequence of its own or hold its own as a subsequence, by an item with
//! the same key, or by one an acronym joins it to. Call such items related, and the sets of
//! items this relation connects groups. Linking a union of groups alone gives their items what
//! linking every item gives them: each comparison an item makes stays inside its group, and the
//! passes compare only the relative order of items (document order, lengths, which entity came
//! first), which a subset keeps. So after an edit only the groups that hold a mention that is
//! new (or reads differently) or that held one now gone are linked again; every other entity is
//! the last run's, with its mentions where they moved.
//!
//! Mentions are recognised across runs by their context ([`MentionContext`], which the cache
//! keeps, moved, while the text it reads is unchanged): the same context is the same mention with
//! the same item, kind and descriptors. Groups are found afresh on every run from the items'
//! keys and their sub-names (hashed: a collision only joins two groups, which stays correct).

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use super::finish::{attach, describe, number};
use super::{group, link_all, vote_kinds, Linked};
use crate::analysis::model::{Entity, EntityId, EntityKind, Mention};
use crate::entities::context::{key_hash, Item, LinkCache, MentionContext, REDESCRIBED};
use crate::entities::names::name_key;

/// Names of more words than this (2ⁿ sub-names to look up) make linking start afresh.
const MAX_WORDS: usize = 10;

/// What the last run grouped, for the next one.
#[derive(Debug, Clone)]
pub struct LinkState {
    /// This run's number: each item's context holds its index into `items` under it (see
    /// [`MentionContext::mark`]; a map by the context's address cost 17–34 bytes an item).
    run: u32,
    items: Vec<Record>,
    /// The last run's entities by id, without their mentions (taken by the next run).
    entities: Vec<Option<Entity>>,
    /// How many mentions each of those had: a kept entity's list is made that long at once
    /// instead of growing a mention at a time (≈ 0.7 M instructions at 1 MB a keystroke).
    mention_counts: Vec<u32>,
}

#[derive(Debug, Clone, Copy)]
struct Record {
    entity: EntityId,
    group: u32,
    /// Whether the item's descriptors were collected for its entity (see [`attach`]).
    described: bool,
}

/// Link `items` (acronyms added; kinds not yet voted): only the groups the changes since the last run touched
/// when the cache holds that run, else all of them. Leaves in the cache what this run grouped.
pub(super) fn link(
    text: &str,
    items: &mut [Item],
    contexts: &[Arc<MentionContext>],
    aliases: &FxHashMap<String, usize>,
    cache: &mut LinkCache,
) -> Linked {
    // Sized up front: collected into an `Option` the list grew by doubling (≈ 1 M instructions
    // of copying at 1 MB on every keystroke).
    let mut ids: Option<Vec<Identity>> = Some(Vec::with_capacity(items.len()));
    for it in items.iter() {
        match (identity(it, contexts), &mut ids) {
            (Some(id), Some(list)) => list.push(id),
            _ => {
                ids = None;
                break;
            }
        }
    }
    let groups = ids.as_ref().and_then(|_| groups(items, contexts));
    let mut last = cache.linked.take();
    let relinked = match (&ids, &groups, &mut last) {
        (Some(ids), Some(groups), Some(last)) => {
            relink(text, items, contexts, aliases, (ids, groups), last, cache)
        }
        _ => None,
    };
    drop(last);
    cache.relinked = relinked.as_ref().map(|r| r.count);
    let Relinked {
        linked,
        per_item,
        described,
        ..
    } = match relinked {
        Some(relinked) => relinked,
        None => {
            let (linked, per_item, described) = link_all(text, items, contexts, aliases, cache);
            Relinked {
                linked,
                per_item,
                described,
                count: items.len(),
            }
        }
    };
    if let (Some(ids), Some(groups)) = (ids, groups) {
        let per_item = (&per_item[..], &described[..]);
        cache.linked = LinkState::new(&ids, &groups, per_item, &linked.entities, contexts);
    }
    linked
}

/// Who an item is across runs: its context (as an index into this run's contexts), or for an
/// acronym linking added, the context of the item it abbreviates (`true`: the acronym's).
type Identity = (usize, bool);

fn identity(it: &Item, contexts: &[Arc<MentionContext>]) -> Option<Identity> {
    let id = match (it.context, it.abbreviates) {
        (Some(c), _) => (c, false),
        (None, Some(c)) => (c, true),
        (None, None) => return None,
    };
    (id.0 < contexts.len()).then_some(id)
}

/// Linking runs so far, in every document (0: none; contexts start unmarked).
static RUNS: AtomicU32 = AtomicU32::new(0);

/// Runs of [`groups`] so far, in every document (0: none; spellings start unmarked).
static GROUPINGS: AtomicU32 = AtomicU32::new(0);

impl LinkState {
    /// `per_item`: each item's entity and whether its descriptors were collected.
    fn new(
        ids: &[Identity],
        groups: &[u32],
        (per_item, described): (&[Option<EntityId>], &[bool]),
        entities: &[Entity],
        contexts: &[Arc<MentionContext>],
    ) -> Option<LinkState> {
        // A run number wraps after 2^32 runs; a context would have to keep a mark that long,
        // unmarked, to be taken for another run's.
        let run = RUNS.fetch_add(1, Ordering::Relaxed).wrapping_add(1).max(1);
        let mut items = Vec::with_capacity(ids.len());
        let records = ids.iter().zip(groups).zip(per_item).zip(described);
        for (((&(c, acronym), &group), &entity), &described) in records {
            let index = u32::try_from(items.len())
                .ok()
                .filter(|i| i & REDESCRIBED == 0)?;
            contexts.get(c)?.mark(acronym, run, index);
            items.push(Record {
                entity: entity?,
                group,
                described,
            });
        }
        let kept = entities
            .iter()
            .map(|e| {
                Some(Entity {
                    id: e.id,
                    kind: e.kind,
                    name: e.name.clone(),
                    descriptors: e.descriptors.clone(),
                    mentions: Vec::new(),
                })
            })
            .collect();
        let mention_counts = entities
            .iter()
            .map(|e| u32::try_from(e.mentions.len()).unwrap_or(0))
            .collect();
        Some(LinkState {
            run,
            items,
            entities: kept,
            mention_counts,
        })
    }
}

/// A linking run's result with what the next run keeps of it.
struct Relinked {
    linked: Linked,
    /// Each item's entity.
    per_item: Vec<Option<EntityId>>,
    /// Whether each item's descriptors were collected for its entity.
    described: Vec<bool>,
    /// How many items were grouped again.
    count: usize,
}

/// Linking with the groups untouched since `last` kept: the result, each item's entity and how
/// many items were linked again. `None` when that is every item, or the result could differ
/// from linking every item (two entities first mentioned at the same byte: their order is the
/// order linking made them in).
///
/// A kept entity one of whose mentions reads the same name but other descriptors (their
/// context took the place of the last run's: [`MentionContext::redescribed`]) is described
/// anew from its mentions, in order, as [`attach`] describes it: grouping does not read
/// descriptors, so its group need not be linked again.
fn relink(
    text: &str,
    items: &[Item],
    contexts: &[Arc<MentionContext>],
    aliases: &FxHashMap<String, usize>,
    (ids, groups): (&[Identity], &[u32]),
    last: &mut LinkState,
    cache: &mut LinkCache,
) -> Option<Relinked> {
    // Each item's record in the last run, if it was there.
    let mut seen = vec![false; last.items.len()];
    let mut old: Vec<Option<usize>> = Vec::with_capacity(items.len());
    for &(c, acronym) in ids {
        let record = contexts[c]
            .marked(acronym, last.run)
            .map(|r| r as usize)
            .filter(|&r| r < last.items.len());
        if let Some(r) = record {
            if std::mem::replace(&mut seen[r], true) {
                return None;
            }
        }
        old.push(record);
    }
    // Groups that lost an item: whatever is left of them is linked again. Group ids are
    // union–find nodes, fewer than the items: flags indexed by group instead of hash sets (the
    // lookups, one an item, were ≈ 0.8 M instructions at 1 MB on every keystroke).
    let mut lost = vec![false; group_count(last.items.iter().map(|r| r.group))];
    for (seen, r) in seen.iter().zip(&last.items) {
        if !seen {
            lost[r.group as usize] = true;
        }
    }
    let mut touched = vec![false; group_count(groups.iter().copied())];
    for (record, &group) in old.iter().zip(groups) {
        if record.is_none_or(|r| lost[last.items[r].group as usize]) {
            touched[group as usize] = true;
        }
    }
    drop(lost);
    let chosen: Vec<usize> = (0..items.len())
        .filter(|&i| touched[groups[i] as usize])
        .collect();
    if chosen.len() == items.len() {
        return None;
    }
    const NOT_CHOSEN: usize = usize::MAX;
    let mut position = vec![NOT_CHOSEN; items.len()];
    for (k, &i) in chosen.iter().enumerate() {
        position[i] = k;
    }
    let mut sub_items: Vec<Item> = chosen.iter().map(|&i| items[i].clone()).collect();
    vote_kinds(&mut sub_items);
    let sub_aliases: FxHashMap<String, usize> = aliases
        .iter()
        .filter(|(_, i)| position[**i] != NOT_CHOSEN)
        .map(|(k, &i)| (k.clone(), position[i]))
        .collect();
    let (assignment, entities) = group(&sub_items, &sub_aliases);
    let (mut entities, sub_described) =
        attach(text, &sub_items, contexts, &assignment, entities, cache);
    // The copies are freed before the per-item lists below and `number`'s are made: when an
    // edit touches the largest group they are most of the items (≈ 14 MB at 10 MB), and they
    // set the peak of such an edit.
    drop((sub_items, sub_aliases));
    // The kept entities to describe anew (last run's ids).
    let redescribed: FxHashSet<EntityId> = ids
        .iter()
        .zip(&old)
        .zip(&position)
        .filter(|((&(c, acronym), _), &p)| {
            p == NOT_CHOSEN && !acronym && contexts[c].redescribed(last.run)
        })
        .filter_map(|((_, record), _)| Some(last.items[(*record)?].entity))
        .collect();
    // The other entities as they were, with their mentions where they are now.
    let fresh = entities.len();
    entities.reserve_exact(last.entities.len());
    let mut kept = vec![NOT_CHOSEN; last.entities.len()];
    let mut entity_of: Vec<Option<usize>> = Vec::with_capacity(items.len());
    // The descriptors of the entity being described anew, lowercased (see `describe`).
    let mut lowered: Vec<Vec<String>> = Vec::new();
    let mut described = Vec::with_capacity(items.len());
    for (i, it) in items.iter().enumerate() {
        if position[i] != NOT_CHOSEN {
            entity_of.push(assignment[position[i]]);
            described.push(sub_described[position[i]]);
            continue;
        }
        let record = last.items[old[i]?];
        let e = record.entity;
        let anew = !redescribed.is_empty() && redescribed.contains(&e);
        if kept[e] == NOT_CHOSEN {
            kept[e] = entities.len();
            let mut entity = last.entities.get_mut(e)?.take()?;
            let count = last.mention_counts.get(e).copied().unwrap_or(0);
            entity.mentions.reserve_exact(count as usize);
            if anew {
                entity.descriptors.clear();
            }
            entities.push(entity);
        }
        let entity = &mut entities[kept[e]];
        entity.mentions.push(Mention { span: it.shown });
        // As `attach`: only a person keeps descriptors.
        if anew && record.described && entity.kind == EntityKind::Person {
            if lowered.len() <= kept[e] {
                lowered.resize_with(kept[e] + 1, Vec::new);
            }
            describe(
                text,
                it,
                contexts,
                &mut entity.descriptors,
                &mut lowered[kept[e]],
            );
        }
        described.push(record.described);
        entity_of.push(Some(kept[e]));
    }
    // Pushed in item order, which is nearly always their order: checked before sorting (a
    // sort call per kept entity was ≈ 0.3 M instructions at 1 MB).
    for e in &mut entities[fresh..] {
        if !e.mentions.is_sorted_by_key(|m| m.span.start) {
            e.mentions.sort_by_key(|m| m.span.start);
        }
    }
    let count = chosen.len();
    drop((chosen, position, old, kept, assignment, sub_described));
    let (linked, per_item) = number(entities, items, |i| entity_of[i], false)?;
    Some(Relinked {
        linked,
        per_item,
        described,
        count,
    })
}

/// One more than the largest of `groups` (ids of one run): the length of a list indexed by them.
fn group_count(groups: impl Iterator<Item = u32>) -> usize {
    groups.max().map_or(0, |g| g as usize + 1)
}

/// Each item's group (an id valid for this run): items are nodes by key, joined to every node
/// whose key is a sub-name of theirs (their words in order, some left out) and to the key of
/// their acronym. `None` when a name is too long to enumerate its sub-names.
fn groups(items: &[Item], contexts: &[Arc<MentionContext>]) -> Option<Vec<u32>> {
    let mut nodes = Nodes::default();
    let mut item_node = Vec::with_capacity(items.len());
    let run = GROUPINGS
        .fetch_add(1, Ordering::Relaxed)
        .wrapping_add(1)
        .max(1);
    for (i, it) in items.iter().enumerate() {
        // Every item of a spelling has its key: the first one met looks it up, the others find
        // its node on the spelling (the node already has an item).
        let context = it.context.map(|c| &contexts[c]);
        let n = match context.and_then(|c| c.key_node(run)) {
            Some(n) => n,
            None => {
                let n = nodes.node(it.key_hash, Some(i));
                if let Some(c) = context {
                    c.set_key_node(run, n);
                }
                n
            }
        };
        item_node.push(n);
        if let Some((_, acronym)) = it.context.and_then(|c| contexts[c].acronym(it.name.start)) {
            let a = nodes.node(key_hash([name_key(acronym).as_str()]), None);
            nodes.union(n, a);
        }
    }
    for n in 0..nodes.founders.len() {
        let Some(i) = nodes.founders[n] else { continue };
        let words = &items[i].words;
        if words.len() < 2 {
            continue;
        }
        // Keys are words joined by spaces: a word holding one would make the hashes below
        // stand for other splits of the same key.
        if words.len() > MAX_WORDS || words.iter().any(|w| w.contains(' ')) {
            return None;
        }
        let all = (1u32 << words.len()) - 1;
        for mask in 1..all {
            let chosen = words
                .iter()
                .enumerate()
                .filter(|(k, _)| mask & (1 << k) != 0)
                .map(|(_, w)| w.as_str());
            if let Some(&m) = nodes.by_key.get(&key_hash(chosen)) {
                nodes.union(n as u32, m);
            }
        }
    }
    Some(item_node.into_iter().map(|n| nodes.find(n)).collect())
}

/// Keys (hashed) as nodes of a union–find.
#[derive(Default)]
struct Nodes {
    by_key: FxHashMap<u64, u32>,
    /// An item with each node's key (`None` for an acronym's key no item has yet).
    founders: Vec<Option<usize>>,
    parent: Vec<u32>,
}

impl Nodes {
    fn node(&mut self, key: u64, item: Option<usize>) -> u32 {
        let next = self.parent.len() as u32;
        let n = *self.by_key.entry(key).or_insert(next);
        if n == next {
            self.parent.push(next);
            self.founders.push(item);
        } else if self.founders[n as usize].is_none() {
            self.founders[n as usize] = item;
        }
        n
    }

    fn find(&mut self, mut n: u32) -> u32 {
        while self.parent[n as usize] != n {
            let up = self.parent[self.parent[n as usize] as usize];
            self.parent[n as usize] = up;
            n = up;
        }
        n
    }

    fn union(&mut self, a: u32, b: u32) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[a.max(b) as usize] = a.min(b);
        }
    }
}
