//! The document-wide pass: mentions grouped into entities with canonical names and descriptors.

mod acronyms;
mod finish;
mod incremental;
mod kinds;
mod table;
#[cfg(test)]
mod tests;

use rustc_hash::FxHashMap;

use std::sync::Arc;

use super::context::{Item, LinkCache, MentionContext};
use super::descriptors::tokens_in;
use super::names::{is_possessive, name_key, title_ending_at};
use super::RawMention;
use crate::analysis::model::{Entity, EntityId, EntityKind, Span};
use acronyms::acronyms;
pub(super) use acronyms::is_acronym_of;
use finish::{attach, number};
pub(in crate::entities) use incremental::LinkState;
use kinds::KindVotes;
use table::{is_subsequence, Table};

/// Entities of one article, and which entity each mention belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Linked {
    /// In order of first mention; `entities[i].id == i`.
    pub entities: Vec<Entity>,
    /// Every mention span with its entity, sorted by start.
    index: Vec<(Span, EntityId)>,
}

impl Linked {
    /// The entity with a mention overlapping `span` (the first such mention), if any.
    pub fn entity_at(&self, span: Span) -> Option<EntityId> {
        let after = self.index.partition_point(|(m, _)| m.end <= span.start);
        self.index[after..]
            .iter()
            .take_while(|(m, _)| m.start < span.end.max(span.start + 1))
            .find(|(m, _)| m.overlaps(span) || (span.is_empty() && m.contains(span.start)))
            .map(|&(_, id)| id)
    }

    /// The entity a bare name refers to at byte offset `at` ("Russel" → Daniel Russel): an
    /// entity whose name is `name` or contains all its words; among several, the one mentioned
    /// most recently before `at` (else first after). Titles and possessives are ignored.
    pub fn find_name(&self, name: &str, at: usize) -> Option<EntityId> {
        let words = name_words(name);
        if words.is_empty() {
            return None;
        }
        let key = words.join(" ");
        let matches = |e: &Entity| {
            let ewords = name_words(&e.name);
            ewords.join(" ") == key
                || (e.kind == EntityKind::Person && words.iter().all(|w| ewords.contains(w)))
        };
        let candidates: Vec<&Entity> = self.entities.iter().filter(|e| matches(e)).collect();
        nearest(&candidates, at)
    }

    /// Mentions in document order with their entity.
    pub fn mentions(&self) -> &[(Span, EntityId)] {
        &self.index
    }
}

/// Among candidate entities, the one with the last mention starting before `at`, else the first.
fn nearest(candidates: &[&Entity], at: usize) -> Option<EntityId> {
    let before = candidates
        .iter()
        .filter_map(|e| {
            e.mentions
                .iter()
                .rev()
                .find(|m| m.span.start <= at)
                .map(|m| (m.span.start, e.id))
        })
        .max();
    before.map(|(_, id)| id).or_else(|| {
        candidates
            .iter()
            .filter_map(|e| e.mentions.first().map(|m| (m.span.start, e.id)))
            .min()
            .map(|(_, id)| id)
    })
}

/// Lowercased words of a name without titles and possessives.
fn name_words(name: &str) -> Vec<String> {
    let toks = tokens_in(name, 0, name.len());
    let texts: Vec<&str> = toks
        .iter()
        .map(|t| t.text)
        .filter(|t| !is_possessive(t))
        .collect();
    let mut start = 0;
    while let Some(len) = (start + 1..=texts.len())
        .rev()
        .find_map(|e| title_ending_at(&texts[start..e], e - start).filter(|&l| l == e - start))
    {
        if start + len >= texts.len() {
            break;
        }
        start += len;
    }
    texts[start..].iter().map(|t| name_key(t)).collect()
}

/// Group `mentions` (document offsets, any order) of the article `text` into entities.
///
/// Persons: a multi-word name founds an entity; a shorter mention ("Kishida", "Zhao", "President
/// Biden") joins the entity whose name contains its words, choosing the most recently mentioned
/// when several do, so two people sharing a surname stay two. Other kinds group by spelling
/// (case-insensitive), plus acronyms introduced in parentheses ("… Agency (IAEA)"). Each entity's
/// kind is the majority of its mentions'.
pub fn link(text: &str, mentions: &[RawMention]) -> Linked {
    let words = super::recall::capital_words(text);
    link_cached(text, mentions, words.into_iter(), &mut LinkCache::default())
}

/// [`link`], reusing from `cache` what each mention reads from the text around it where that
/// text is unchanged since the cache was filled (see [`LinkCache::edited`]); the result is the
/// same as `link`'s. Leaves the cache holding the contexts of `mentions`. `capital_words` are
/// [`super::capital_words`] of `text` (kept per paragraph by the caller).
pub fn link_cached(
    text: &str,
    mentions: &[RawMention],
    capital_words: impl Iterator<Item = Span>,
    cache: &mut LinkCache,
) -> Linked {
    let mentions = &super::recall::with_missed_surnames_among(text, mentions, capital_words);
    link_recalled(text, mentions, cache)
}

/// [`link_cached`] over `mentions` that hold recall's already (the paragraphs' mentions and
/// what [`super::recall_cached`] found among them, in any order).
pub fn link_recalled(text: &str, mentions: &[RawMention], cache: &mut LinkCache) -> Linked {
    let (mut items, contexts) = prepare(text, mentions, cache);
    let aliases = acronyms(&mut items, &contexts);
    incremental::link(text, &mut items, &contexts, &aliases, cache)
}

/// The same spelling gets one kind across the article (a consistency step over the tagger):
/// each recogniser mention takes the kind most of its key's mentions have, and an acronym
/// linking added takes the kind of the item it abbreviates. Only items of the same key, or an
/// acronym and its name, are read together, which a linking group always holds together.
fn vote_kinds(items: &mut [Item]) {
    let mut votes: FxHashMap<Arc<str>, KindVotes> = FxHashMap::default();
    for it in items.iter().filter(|it| it.context.is_some()) {
        votes.entry(Arc::clone(&it.key)).or_default().add(it.kind);
    }
    let mut added = false;
    for it in items.iter_mut() {
        match votes.get(&it.key) {
            Some(v) if it.context.is_some() => it.kind = v.majority(it.kind),
            _ => added |= it.context.is_none(),
        }
    }
    if added {
        let kinds: FxHashMap<usize, EntityKind> = items
            .iter()
            .filter_map(|it| it.context.map(|c| (c, it.kind)))
            .collect();
        for it in items.iter_mut().filter(|it| it.context.is_none()) {
            if let Some(&kind) = it.abbreviates.and_then(|c| kinds.get(&c)) {
                it.kind = kind;
            }
        }
    }
}

/// Every item grouped: kinds voted, [`group`], [`attach`], [`number`]; with each item's entity
/// and whether its descriptors were collected.
fn link_all(
    text: &str,
    items: &mut [Item],
    contexts: &[Arc<MentionContext>],
    aliases: &FxHashMap<String, usize>,
    cache: &mut LinkCache,
) -> (Linked, Vec<Option<EntityId>>, Vec<bool>) {
    vote_kinds(items);
    let items = &*items;
    let (assignment, entities) = group(items, aliases);
    let (entities, described) = attach(text, items, contexts, &assignment, entities, cache);
    let numbered = number(entities, items, |i| assignment[i], true);
    // Ties are allowed, so numbering always succeeds.
    let (linked, per_item) = numbered.unwrap_or_default();
    (linked, per_item, described)
}

/// The greedy passes: each item's entity (in order of creation) and those entities, still
/// without mentions. `aliases` maps an acronym's key to the index of the item it abbreviates.
///
/// An item is only ever compared with entities founded by an item whose words it is a
/// subsequence of or which are a subsequence of its own, with the same key, or linked by an
/// acronym (`incremental` relies on this to group only what an edit can have changed).
fn group(
    items: &[Item],
    aliases: &FxHashMap<String, usize>,
) -> (Vec<Option<EntityId>>, Vec<Entity>) {
    let mut table = Table::default();
    let mut assignment: Vec<Option<EntityId>> = vec![None; items.len()];
    // The item's words as the table numbers them, and the people it may be a short form of
    // (one list each for every item: allocating them per item was a fifth of grouping).
    let mut words: Vec<u32> = Vec::new();
    let mut persons: Vec<EntityId> = Vec::new();

    // 1. Full person names found entities, longest first so "George W. Bush" absorbs "George Bush".
    let mut order: Vec<usize> = (0..items.len())
        .filter(|&i| items[i].kind == EntityKind::Person && items[i].words.len() >= 2)
        .collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(items[i].words.len()), items[i].name.start));
    for i in order {
        let it = &items[i];
        // A word no entity has: no entity holds them all.
        let existing = table
            .numbers_of(&it.words, &mut words)
            .then(|| {
                table.containing(&words).find(|&e| {
                    table.entities[e].kind == EntityKind::Person
                        && is_subsequence(&words, table.words_of(e))
                })
            })
            .flatten();
        let e = existing.unwrap_or_else(|| table.add(it));
        table.assign(e, it.name.start, i);
        assignment[i] = Some(e);
    }
    // 2. Every other mention in document order.
    for i in 0..items.len() {
        if assignment[i].is_some() {
            continue;
        }
        let it = &items[i];
        let key: &str = &it.key;
        let by_alias = aliases.get(key).copied().and_then(|a| assignment[a]);
        let same = table.by_key.get(key).and_then(|ids| {
            ids.iter().copied().find(|&e| {
                let kind = table.entities[e].kind;
                kind == it.kind || it.kind == EntityKind::Person || kind == EntityKind::Person
            })
        });
        // A short form of a person's name, whatever the tagger called it: looked for only
        // where it decides (a non-person with an entity of its spelling joins that one).
        let short_form = it.kind == EntityKind::Person || same.is_none();
        let mut people: &[EntityId] = &[];
        if short_form && table.numbers_of(&it.words, &mut words) {
            people = match words[..] {
                // Most short forms are a bare surname or first name: listed as they are made.
                [word] => table.people_with(word),
                _ => {
                    persons.clear();
                    persons.extend(table.containing(&words).filter(|&e| {
                        let founding = table.words_of(e);
                        table.entities[e].kind == EntityKind::Person
                            && words.len() < founding.len()
                            && is_subsequence(&words, founding)
                    }));
                    &persons
                }
            };
        }
        let target = if !people.is_empty() {
            table.closest(people, it.name.start)
        } else {
            by_alias.or(same)
        };
        let e = target.unwrap_or_else(|| table.add(it));
        table.assign(e, it.name.start, i);
        assignment[i] = Some(e);
    }
    (assignment, table.entities)
}

/// Sorted, de-overlapped items with bare names, titles and words, each with its context (what
/// it reads from the text around it: cached in `cache` while that text is unchanged).
fn prepare(
    text: &str,
    mentions: &[RawMention],
    cache: &mut LinkCache,
) -> (Vec<Item>, Vec<Arc<MentionContext>>) {
    // Lists of one entry per mention are sized up front: grown by doubling they would hold up
    // to twice their length while linking runs (at 10 MB, ≈ 130,000 items of 128 bytes).
    let mut sorted: Vec<RawMention> = Vec::with_capacity(mentions.len());
    sorted.extend(
        mentions
            .iter()
            .copied()
            .filter(|m| m.span.end <= text.len() && !m.span.is_empty()),
    );
    sorted.sort_by_key(|m| (m.span.start, std::cmp::Reverse(m.span.end)));
    let contexts = cache.contexts(text, &sorted);
    let mut items: Vec<Item> = Vec::with_capacity(sorted.len());
    let mut used = Vec::with_capacity(sorted.len());
    for (m, context) in sorted.iter().zip(contexts) {
        if items.last().is_some_and(|l| l.shown.end > m.span.start) {
            continue;
        }
        if let Some(item) = context.item(m.span.start, used.len()) {
            items.push(item);
            used.push(context);
        }
    }
    (items, used)
}
