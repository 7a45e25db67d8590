//! The last linking step: mentions attached, canonical names, descriptors and kinds settled,
//! ids renumbered in order of first mention.

use std::sync::Arc;

use super::kinds::KindVotes;
use super::{name_words, Linked};
use crate::analysis::model::{Entity, EntityId, EntityKind, Mention, Span};
use crate::entities::context::{Item, LinkCache, MentionContext};
use crate::entities::descriptors;
use crate::entities::names::name_key;

/// Attach mentions (each item to its entity in `assignment`), pick canonical names, collect
/// descriptors and settle kinds. Entities keep their order; each one's mentions are sorted.
/// Also says for each item whether its descriptors were collected (it or its entity, as first
/// made, is a person's), so that its entity can be described anew without grouping again.
pub(super) fn attach(
    text: &str,
    items: &[Item],
    contexts: &[Arc<MentionContext>],
    assignment: &[Option<EntityId>],
    mut entities: Vec<Entity>,
    cache: &mut LinkCache,
) -> (Vec<Entity>, Vec<bool>) {
    let mut described = Vec::with_capacity(items.len());
    let mut name_len = |name: &str| cache.name_length(name, |n| name_words(n).len());
    let mut kind_votes: Vec<KindVotes> = vec![KindVotes::default(); entities.len()];
    // Each entity's descriptors lowercased, as they are collected.
    let mut lowered: Vec<Vec<String>> = vec![Vec::new(); entities.len()];
    // Word counts of the entities' current names, kept in step as names change.
    let mut name_lens: Vec<usize> = entities.iter().map(|e| name_len(&e.name)).collect();
    for (it, a) in items.iter().zip(assignment) {
        let Some(e) = *a else {
            described.push(false);
            continue;
        };
        let entity = &mut entities[e];
        entity.mentions.push(Mention { span: it.shown });
        kind_votes[e].add(it.kind);
        let better = if entity.kind == EntityKind::Person || it.kind == EntityKind::Person {
            it.words.len() > name_lens[e]
        } else {
            is_all_caps(&entity.name)
                && !is_all_caps(&it.written)
                && name_key(&entity.name) == name_key(&it.written)
        };
        if better {
            entity.name = Arc::clone(&it.written);
            name_lens[e] = name_len(&entity.name);
        }
        let describes = it.kind == EntityKind::Person || entity.kind == EntityKind::Person;
        if describes {
            describe(text, it, contexts, &mut entity.descriptors, &mut lowered[e]);
        }
        described.push(describes);
    }
    for ((e, votes), &name_len) in entities.iter_mut().zip(&kind_votes).zip(&name_lens) {
        let has_person = votes.has(EntityKind::Person);
        e.kind = if has_person && name_len >= 2 {
            EntityKind::Person
        } else {
            votes.majority(e.kind)
        };
        if e.kind != EntityKind::Person {
            e.descriptors.clear();
        }
        e.mentions.sort_by_key(|m| m.span.start);
    }
    (entities, described)
}

/// Adds the descriptors around `it` to `list` (an entity's, in the order of its items).
/// `lowered` holds `list`'s descriptors lowercased (worked out again when it does not match
/// `list`'s length): adding one compares it with every one before, and lowercasing those anew
/// for every mention was most of describing the people of a large group.
pub(super) fn describe(
    text: &str,
    it: &Item,
    contexts: &[Arc<MentionContext>],
    list: &mut Vec<Arc<str>>,
    lowered: &mut Vec<String>,
) {
    let found = match it.context {
        Some(c) => contexts[c].descriptors(text, it.name),
        None => &descriptors::around(text, it.name)[..],
    };
    if found.is_empty() {
        return;
    }
    if lowered.len() != list.len() {
        *lowered = list.iter().map(|x| x.to_lowercase()).collect();
    }
    for d in found {
        add_descriptor(list, lowered, d);
    }
}

/// Ids in order of first mention (entities without one dropped), and the index of every item's
/// mention; with each item's entity by its new id. `entity_of` gives an item's entity as an
/// index into `entities`. Among entities whose first mentions start at the same byte the first
/// in `entities` comes first; unless `ties_allowed`, such a tie gives `None` instead.
pub(super) fn number(
    entities: Vec<Entity>,
    items: &[Item],
    entity_of: impl Fn(usize) -> Option<EntityId>,
    ties_allowed: bool,
) -> Option<(Linked, Vec<Option<EntityId>>)> {
    let mut order: Vec<usize> = (0..entities.len())
        .filter(|&e| !entities[e].mentions.is_empty())
        .collect();
    let first = |e: usize| entities[e].mentions[0].span.start;
    order.sort_by_key(|&e| first(e));
    if !ties_allowed && order.windows(2).any(|w| first(w[0]) == first(w[1])) {
        return None;
    }
    let mut renumber = vec![0; entities.len()];
    let mut sorted = Vec::with_capacity(order.len());
    let mut slots: Vec<Option<Entity>> = entities.into_iter().map(Some).collect();
    for (new, &old) in order.iter().enumerate() {
        renumber[old] = new;
        let Some(mut e) = slots[old].take() else {
            continue;
        };
        e.id = new;
        sorted.push(e);
    }
    let per_item: Vec<Option<EntityId>> = (0..items.len())
        .map(|i| entity_of(i).map(|e| renumber[e]))
        .collect();
    // Sized up front: collected from a filter the list grew by doubling, on every keystroke.
    let mut index: Vec<(Span, EntityId)> = Vec::with_capacity(items.len());
    index.extend(
        items
            .iter()
            .zip(&per_item)
            .filter_map(|(it, a)| a.map(|e| (it.shown, e))),
    );
    index.sort_by_key(|(s, _)| s.start);
    let linked = Linked {
        entities: sorted,
        index,
    };
    Some((linked, per_item))
}

/// Keep descriptors in order of appearance without repeats: a title already said in a fuller
/// descriptor ("President" after "U.S. President") adds nothing, and a fuller one replaces it.
/// `lowered` is `list` lowercased, and kept so.
fn add_descriptor(list: &mut Vec<Arc<str>>, lowered: &mut Vec<String>, d: &str) {
    let lower = d.to_lowercase();
    // The same descriptor again (most repeats) is found without a substring search.
    if lowered.contains(&lower) || lowered.iter().any(|x| x.contains(&lower)) {
        return;
    }
    match lowered.iter().position(|x| lower.contains(x.as_str())) {
        Some(i) => {
            list[i] = Arc::from(d);
            lowered[i] = lower;
        }
        None => {
            list.push(Arc::from(d));
            lowered.push(lower);
        }
    }
}

fn is_all_caps(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase)
}
