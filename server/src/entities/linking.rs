//! The document-wide pass: mentions grouped into entities with canonical names and descriptors.

use std::collections::{BTreeSet, HashMap, HashSet};

use std::sync::Arc;

use super::context::{Item, LinkCache, MentionContext};
use super::descriptors::{self, tokens_in};
use super::names::{is_capitalised, is_possessive, name_key, title_ending_at};
use super::RawMention;
use crate::analysis::model::{Entity, EntityId, EntityKind, Mention, Span};

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
    let (mut items, contexts) = prepare(text, mentions, cache);
    // The same spelling gets one kind across the article (a consistency step over the tagger).
    let mut votes: HashMap<Arc<str>, KindVotes> = HashMap::new();
    for it in &items {
        votes.entry(Arc::clone(&it.key)).or_default().add(it.kind);
    }
    for it in &mut items {
        if let Some(v) = votes.get(&it.key) {
            it.kind = v.majority(it.kind);
        }
    }
    let aliases = acronyms(&mut items, &contexts);

    let mut table = Table::default();
    let mut assignment: Vec<Option<EntityId>> = vec![None; items.len()];

    // 1. Full person names found entities, longest first so "George W. Bush" absorbs "George Bush".
    let mut order: Vec<usize> = (0..items.len())
        .filter(|&i| items[i].kind == EntityKind::Person && items[i].words.len() >= 2)
        .collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(items[i].words.len()), items[i].name.start));
    for i in order {
        let it = &items[i];
        let existing = table.containing(&it.words).find(|&e| {
            table.entities[e].kind == EntityKind::Person
                && is_subsequence(&it.words, &table.words[e])
        });
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
        // A short form of a person's name, whatever the tagger called it.
        let persons: Vec<EntityId> = table
            .containing(&it.words)
            .filter(|&e| {
                table.entities[e].kind == EntityKind::Person
                    && it.words.len() < table.words[e].len()
                    && is_subsequence(&it.words, &table.words[e])
            })
            .collect();
        let by_alias = aliases.get(key).copied().and_then(|a| assignment[a]);
        let same = table.by_key.get(key).and_then(|ids| {
            ids.iter().copied().find(|&e| {
                let kind = table.entities[e].kind;
                kind == it.kind || it.kind == EntityKind::Person || kind == EntityKind::Person
            })
        });
        let target = if !persons.is_empty() && (it.kind == EntityKind::Person || same.is_none()) {
            table.closest(&persons, it.name.start)
        } else {
            by_alias.or(same)
        };
        let e = target.unwrap_or_else(|| table.add(it));
        table.assign(e, it.name.start, i);
        assignment[i] = Some(e);
    }
    finish(text, items, &contexts, assignment, table.entities, cache)
}

/// Entities being built, indexed so that each mention looks only at entities sharing a word
/// with it instead of at every entity (linking stays near-linear in the number of mentions).
#[derive(Default)]
struct Table {
    entities: Vec<Entity>,
    /// Each entity's founding words (lowercased bare name).
    words: Vec<Arc<[String]>>,
    /// Word → entities whose founding words contain it, ascending.
    by_word: HashMap<String, Vec<EntityId>>,
    /// Founding words joined with spaces → entities, ascending.
    by_key: HashMap<String, Vec<EntityId>>,
    /// Per entity: (name start, item index) of the items assigned to it so far.
    assigned: Vec<BTreeSet<(usize, usize)>>,
}

impl Table {
    fn add(&mut self, it: &Item) -> EntityId {
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

    fn assign(&mut self, e: EntityId, start: usize, item: usize) {
        self.assigned[e].insert((start, item));
    }

    /// In ascending order, a superset of the entities whose words contain all of `words`: those
    /// containing its rarest word (every entity when `words` is empty).
    fn containing<'a>(&'a self, words: &[String]) -> Box<dyn Iterator<Item = EntityId> + 'a> {
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
    fn closest(&self, persons: &[EntityId], pos: usize) -> Option<EntityId> {
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

/// How many mentions gave each kind.
#[derive(Debug, Clone, Copy, Default)]
struct KindVotes([usize; 4]);

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
    fn add(&mut self, kind: EntityKind) {
        self.0[kind_index(kind)] += 1;
    }

    fn has(&self, kind: EntityKind) -> bool {
        self.0[kind_index(kind)] > 0
    }

    /// The kind most voted for: `fallback` if it is among the most voted, else the least such
    /// kind; `fallback` when there are no votes.
    fn majority(&self, fallback: EntityKind) -> EntityKind {
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

fn new_entity(id: EntityId, it: &Item) -> Entity {
    Entity {
        id,
        kind: it.kind,
        name: it.written.to_string(),
        descriptors: Vec::new(),
        mentions: Vec::new(),
    }
}

/// Whether `short` appears in `long` in order (not necessarily adjacent).
pub(super) fn is_subsequence(short: &[String], long: &[String]) -> bool {
    let mut it = long.iter();
    short.iter().all(|w| it.any(|l| l == w))
}

/// Sorted, de-overlapped items with bare names, titles and words, each with its context (what
/// it reads from the text around it: cached in `cache` while that text is unchanged).
fn prepare(
    text: &str,
    mentions: &[RawMention],
    cache: &mut LinkCache,
) -> (Vec<Item>, Vec<Arc<MentionContext>>) {
    let mut sorted: Vec<RawMention> = mentions
        .iter()
        .copied()
        .filter(|m| m.span.end <= text.len() && !m.span.is_empty())
        .collect();
    sorted.sort_by_key(|m| (m.span.start, std::cmp::Reverse(m.span.end)));
    let contexts = cache.contexts(text, &sorted);
    let mut items: Vec<Item> = Vec::new();
    let mut used = Vec::new();
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

/// "the Velm Port Authority (VPA)": the acronym's key → the item it abbreviates. Acronyms in
/// parentheses that the recogniser missed become items of their own.
fn acronyms(items: &mut Vec<Item>, contexts: &[Arc<MentionContext>]) -> HashMap<String, usize> {
    let mut aliases = HashMap::new();
    let mut added = Vec::new();
    let names: HashSet<Span> = items.iter().map(|it| it.name).collect();
    for (i, it) in items.iter().enumerate() {
        let Some((acr_span, acr_text)) =
            it.context.and_then(|c| contexts[c].acronym(it.name.start))
        else {
            continue;
        };
        aliases.insert(name_key(acr_text), i);
        if !names.contains(&acr_span) {
            let key = name_key(acr_text);
            added.push(Item {
                name: acr_span,
                shown: acr_span,
                kind: it.kind,
                words: vec![key.clone()].into(),
                key: key.into(),
                written: acr_text.into(),
                context: None,
            });
        }
    }
    if !added.is_empty() {
        // Re-index the aliases after merging the new items in document order.
        let keys: Vec<(String, Span)> = aliases
            .iter()
            .map(|(k, &i)| (k.clone(), items[i].name))
            .collect();
        items.extend(added);
        items.sort_by_key(|it| it.shown.start);
        let mut first_with_name: HashMap<Span, usize> = HashMap::new();
        for (i, it) in items.iter().enumerate() {
            first_with_name.entry(it.name).or_insert(i);
        }
        aliases = keys
            .into_iter()
            .filter_map(|(k, span)| first_with_name.get(&span).map(|&i| (k, i)))
            .collect();
    }
    aliases
}

/// Whether `acr` (2–8 capitals) is made of the initials of `name`'s capitalised words, in order.
pub(super) fn is_acronym_of(acr: &str, name: &str) -> bool {
    let n = acr.chars().count();
    if !(2..=8).contains(&n) || !acr.chars().all(|c| c.is_ascii_uppercase()) {
        return false;
    }
    let initials: String = name
        .split_whitespace()
        .filter(|w| is_capitalised(w))
        .filter_map(|w| w.chars().next())
        .collect();
    initials == acr
        || (initials.len() > n
            && is_subsequence(
                &acr.chars().map(String::from).collect::<Vec<_>>(),
                &initials.chars().map(String::from).collect::<Vec<_>>(),
            )
            && initials.starts_with(acr.chars().next().unwrap_or(' ')))
}

/// Attach mentions, pick canonical names, collect descriptors, build the index.
fn finish(
    text: &str,
    items: Vec<Item>,
    contexts: &[Arc<MentionContext>],
    assignment: Vec<Option<EntityId>>,
    mut entities: Vec<Entity>,
    cache: &mut LinkCache,
) -> Linked {
    let mut name_len = |name: &str| cache.name_length(name, |n| name_words(n).len());
    let mut kind_votes: Vec<KindVotes> = vec![KindVotes::default(); entities.len()];
    // Word counts of the entities' current names, kept in step as names change.
    let mut name_lens: Vec<usize> = entities.iter().map(|e| name_len(&e.name)).collect();
    for (it, a) in items.iter().zip(&assignment) {
        let Some(e) = *a else { continue };
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
            entity.name = it.written.to_string();
            name_lens[e] = name_len(&entity.name);
        }
        if it.kind == EntityKind::Person || entity.kind == EntityKind::Person {
            let found = match it.context {
                Some(c) => contexts[c].descriptors(text, it.name),
                None => &descriptors::around(text, it.name)[..],
            };
            for d in found {
                add_descriptor(&mut entity.descriptors, d.clone());
            }
        }
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
    // Ids follow first mention.
    let mut order: Vec<usize> = (0..entities.len())
        .filter(|&e| !entities[e].mentions.is_empty())
        .collect();
    order.sort_by_key(|&e| entities[e].mentions[0].span.start);
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
    let mut index: Vec<(Span, EntityId)> = items
        .iter()
        .zip(&assignment)
        .filter_map(|(it, a)| a.map(|e| (it.shown, renumber[e])))
        .collect();
    index.sort_by_key(|(s, _)| s.start);
    Linked {
        entities: sorted,
        index,
    }
}

/// Keep descriptors in order of appearance without repeats: a title already said in a fuller
/// descriptor ("President" after "U.S. President") adds nothing, and a fuller one replaces it.
fn add_descriptor(list: &mut Vec<String>, d: String) {
    let lower = d.to_lowercase();
    if list.iter().any(|x| x.to_lowercase().contains(&lower)) {
        return;
    }
    match list.iter().position(|x| lower.contains(&x.to_lowercase())) {
        Some(i) => list[i] = d,
        None => list.push(d),
    }
}

fn is_all_caps(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str, needle: &str, nth: usize, kind: EntityKind) -> RawMention {
        let start = text.match_indices(needle).nth(nth).unwrap().0;
        RawMention {
            span: Span::new(start, start + needle.len()),
            kind,
        }
    }

    fn mention_texts<'a>(text: &'a str, e: &Entity) -> Vec<&'a str> {
        e.mentions
            .iter()
            .map(|m| &text[m.span.start..m.span.end])
            .collect()
    }

    use EntityKind::*;

    #[test]
    fn partial_titled_and_possessive_mentions_join_the_full_name() {
        let text = "Velorian Prime Minister Ada Kroft arrived. Prime Minister Kroft’s aides said Kroft was tired.";
        let mentions = [
            m(text, "Ada Kroft", 0, Person),
            m(text, "Kroft", 1, Person),
            m(text, "Kroft", 2, Location),
        ];
        let linked = link(text, &mentions);
        assert_eq!(linked.entities.len(), 1);
        let e = &linked.entities[0];
        assert_eq!((e.name.as_str(), e.kind), ("Ada Kroft", Person));
        assert_eq!(
            mention_texts(text, e),
            ["Prime Minister Ada Kroft", "Prime Minister Kroft", "Kroft"]
        );
        assert_eq!(e.descriptors, ["Velorian Prime Minister"]);
        let at = text.rfind("Kroft").unwrap();
        assert_eq!(linked.entity_at(Span::new(at, at + 5)), Some(0));
        assert_eq!(linked.find_name("Kroft", at), Some(0));
    }

    #[test]
    fn family_name_first() {
        let text = "spokesman Wen Baolu said. Wen added that Baolu Street was closed.";
        let mentions = [
            m(text, "Wen Baolu", 0, Person),
            m(text, "Wen", 1, Person),
            m(text, "Baolu Street", 0, Location),
        ];
        let linked = link(text, &mentions);
        assert_eq!(linked.entities.len(), 2);
        assert_eq!(
            mention_texts(text, &linked.entities[0]),
            ["Wen Baolu", "Wen"]
        );
        assert_eq!(linked.entities[1].name, "Baolu Street");
    }

    #[test]
    fn two_people_sharing_a_surname_stay_two() {
        let text = "Ana Moss met Tom Moss. Later Moss said no.";
        let mentions = [
            m(text, "Ana Moss", 0, Person),
            m(text, "Tom Moss", 0, Person),
            m(text, "Moss", 2, Person),
        ];
        let linked = link(text, &mentions);
        assert_eq!(linked.entities.len(), 2);
        assert_eq!(linked.entities[0].name, "Ana Moss");
        assert_eq!(linked.entities[1].name, "Tom Moss");
        // The bare surname goes to the most recently mentioned.
        assert_eq!(
            mention_texts(text, &linked.entities[1]),
            ["Tom Moss", "Moss"]
        );
    }

    #[test]
    fn acronyms_introduced_in_parentheses() {
        let text = "the Velm Port Authority (VPA) said. The VPA later agreed.";
        let mentions = [
            m(text, "Velm Port Authority", 0, Organization),
            m(text, "VPA", 1, Organization),
        ];
        let linked = link(text, &mentions);
        assert_eq!(linked.entities.len(), 1);
        assert_eq!(
            mention_texts(text, &linked.entities[0]),
            ["Velm Port Authority", "VPA", "VPA"]
        );
    }

    #[test]
    fn spellings_group_and_kinds_are_made_consistent() {
        let text = "OSTRAVA (Wire) - Ostrava voted. Ostrava won.";
        let mentions = [
            m(text, "OSTRAVA", 0, Location),
            m(text, "Ostrava", 0, Location),
            m(text, "Ostrava", 1, Organization),
        ];
        let linked = link(text, &mentions);
        assert_eq!(linked.entities.len(), 1);
        assert_eq!(
            (linked.entities[0].name.as_str(), linked.entities[0].kind),
            ("Ostrava", Location)
        );
    }
}
