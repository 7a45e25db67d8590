//! Naming checks over the whole article: `first-reference` and `name-variant`.
//!
//! Both are document-wide passes over the linked entities, so they live here rather than in the
//! per-paragraph core: they also need the newsroom register, which is configuration. They run on
//! every keystroke, so they stay near-linear in mentions: people are compared pairwise only when
//! [`SpellingIndex`] says two of their name words could be one spelling, and quotation
//! containment is a binary search ([`QuoteCover`]). The core does not emit
//! these two rules; [`check`] does, with a fix for each finding where one is clear.
//!
//! - `first-reference` (AP and Reuters style): a person's first mention in the copy (not the
//!   headline, a heading, byline or caption; not inside a quotation) gives the full name; later
//!   references use the short form. Two people sharing a surname may keep their full names.
//! - `name-variant`: one person spelled two ways ("Zelenskiy" / "Zelensky"), or spelled other
//!   than the register's house spelling. The preferred spelling is the register's, else the
//!   one the article uses most, else the earlier one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::article::Article;
use super::edit::{Fix, TextEdit};
use crate::analysis::{Entity, EntityKind, Finding, Rule, Span};
use crate::config::register::{fold_name, name_words, strip_possessive, Register, RegisterEntry};

mod spelling;

pub use spelling::similar_spelling;
use spelling::{
    distance, similar, spell_all, variant_pair, variant_spelled, Spelled, SpellingIndex,
};

/// A finding of one of the naming rules, with the fix a code action offers for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamingFinding {
    pub finding: Finding,
    pub fix: Option<Fix>,
}

/// Run both naming rules. Severity is the rule's default; configuration adjusts it later.
pub fn check(article: &Article, register: &Register) -> Vec<NamingFinding> {
    let mut out = first_references(article, register);
    out.extend(name_variants(article, register));
    out.sort_by_key(|f| (f.finding.span.start, f.finding.span.end, f.finding.rule));
    out
}

/// A word of a mention: where it is and how it is written (possessive and punctuation removed).
#[derive(Debug, Clone)]
struct Word<'a> {
    span: Span,
    text: &'a str,
}

fn words_in<'a>(article: &Article<'a>, span: Span) -> Vec<Word<'a>> {
    let text = article.slice(span);
    let mut out = Vec::new();
    let mut offset = 0;
    for raw in text.split_whitespace() {
        let Some(rel) = text[offset..].find(raw).map(|i| i + offset) else {
            continue;
        };
        offset = rel + raw.len();
        let lead = raw.len() - raw.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
        let trimmed =
            raw[lead..].trim_end_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’');
        let word = strip_possessive(trimmed).trim_end_matches(['\'', '’']);
        if word.chars().next().is_some_and(char::is_alphanumeric) {
            let start = span.start + rel + lead;
            out.push(Word {
                span: Span::new(start, start + word.len()),
                text: word,
            });
        }
    }
    out
}

/// Words that never occur in a person's name: a "person" named "East China Seas" or "United
/// States" is a tagger error, and the naming rules must not lecture the reporter about it.
#[rustfmt::skip]
const NOT_IN_PERSONAL_NAMES: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "united",
    "republic",
    "kingdom",
    "states",
    "state",
    "sea",
    "seas",
    "strait",
    "straits",
    "island",
    "islands",
    "gulf",
    "bay",
    "river",
    "lake",
    "mount",
    "mountains",
    "ocean",
    "peninsula",
    "union",
    "ministry",
    "department",
    "university",
    "institute",
    "institution",
    "bank",
    "council",
    "authority",
    "party",
    "company",
    "corporation",
    "association",
    "agency",
    "committee",
    "court",
    "army",
    "navy",
    "government",
    "city",
    "county",
    "province",
    "region",
    "airport",
    "port",
    "station",
    "street",
    "square",
    "wire",
    "news",
    "press",
    "times",
    "post",
];

/// Whether an entity tagged a person has a name a person could have.
fn personal(entity: &Entity) -> bool {
    entity.kind == EntityKind::Person
        && !name_words(&entity.name)
            .any(|w| NOT_IN_PERSONAL_NAMES.contains(&w.to_lowercase().as_str()))
}

fn first_references(article: &Article, register: &Register) -> Vec<NamingFinding> {
    let people: Vec<&Entity> = article
        .analysis
        .entities
        .iter()
        .filter(|e| personal(e))
        .collect();
    let quotes = QuoteCover::new(article);
    // Folded name word → the people with two or more name words that contain it (ascending ids,
    // each once): who shares a name with whom, without comparing every pair of people.
    let mut sharing: HashMap<String, Vec<usize>> = HashMap::new();
    for other in &people {
        if name_words(&other.name).count() >= 2 {
            for w in name_words(&other.name) {
                let ids = sharing.entry(fold_name(w)).or_default();
                if ids.last() != Some(&other.id) {
                    ids.push(other.id);
                }
            }
        }
    }
    let mut out = Vec::new();
    for entity in &people {
        let name: Vec<String> = name_words(&entity.name).map(fold_name).collect();
        let copy: Vec<Span> = entity
            .mentions
            .iter()
            .map(|m| m.span)
            .filter(|&s| article.in_body(s) && !quotes.contains(s))
            .collect();
        let Some(&first) = copy.first() else { continue };
        let is_full = |span: Span| {
            let words: Vec<String> = words_in(article, span)
                .iter()
                .map(|w| fold_name(w.text))
                .collect();
            name.iter().all(|n| words.contains(n))
        };
        if name.len() < 2 {
            if let Some(entry) = register_full_name(register, entity) {
                let mention = article.mention_name(first);
                out.push(bare_first_reference(
                    article,
                    first,
                    &entry.name,
                    mention,
                    |msg| {
                        format!(
                            "{msg}; the newsroom register gives the full name “{}”",
                            entry.name
                        )
                    },
                ));
            }
            continue;
        }
        if !is_full(first) {
            let mention = article.mention_name(first);
            let full_at = entity.mentions.iter().map(|m| m.span).find(|&s| is_full(s));
            out.push(bare_first_reference(
                article,
                first,
                &entity.name,
                mention,
                |msg| match full_at {
                    Some(s) => format!(
                        "{msg}; the full name appears on line {}",
                        article.line(s.start)
                    ),
                    None => msg,
                },
            ));
        }
        // A later full name is deliberate when another named person shares one of the names (a
        // lone surname that the linker left apart is the same person, not another one).
        let shared = name.iter().any(|n| {
            sharing
                .get(n)
                .is_some_and(|ids| ids.iter().any(|&id| id != entity.id))
        });
        let Some(first_full) = copy.iter().position(|&s| is_full(s)) else {
            continue;
        };
        if shared {
            continue;
        }
        let short = short_form(article, entity, &name);
        let introduced = article.line(copy[first_full].start);
        for &span in &copy[first_full + 1..] {
            if !is_full(span) {
                continue;
            }
            let Some(target) = name_part(article, span, &name) else {
                continue;
            };
            out.push(NamingFinding {
                finding: Finding {
                    rule: Rule::FirstReference,
                    severity: Rule::FirstReference.default_severity(),
                    span: target,
                    message: format!(
                        "{} was introduced in full on line {introduced}; later references use “{short}”",
                        entity.name
                    ),
                },
                fix: Some(Fix {
                    title: format!("Shorten to “{short}”"),
                    edits: vec![TextEdit::replace(target, short.clone())],
                }),
            });
        }
    }
    out
}

fn register_full_name<'r>(register: &'r Register, entity: &Entity) -> Option<&'r RegisterEntry> {
    register
        .lookup(EntityKind::Person, [entity.name.as_str()])
        .filter(|entry| name_words(&entry.name).count() >= 2)
}

fn bare_first_reference(
    article: &Article,
    first: Span,
    full: &str,
    mention: &str,
    detail: impl FnOnce(String) -> String,
) -> NamingFinding {
    let full_words: Vec<String> = name_words(full).map(fold_name).collect();
    let target = name_part(article, first, &full_words).unwrap_or_else(|| article.name_span(first));
    let message = detail(format!(
        "First reference to {full} is the bare “{mention}”: give the full name here"
    ));
    NamingFinding {
        finding: Finding {
            rule: Rule::FirstReference,
            severity: Rule::FirstReference.default_severity(),
            span: target,
            message,
        },
        fix: Some(Fix {
            title: format!("Use the full name “{full}”"),
            edits: vec![TextEdit::replace(target, full)],
        }),
    }
}

/// The span of a mention from its first to its last word that belongs to the name (leaving a
/// title such as "President" and a possessive ending outside).
fn name_part(article: &Article, span: Span, name: &[String]) -> Option<Span> {
    let words = words_in(article, span);
    let in_name: Vec<&Word> = words
        .iter()
        .filter(|w| name.contains(&fold_name(w.text)))
        .collect();
    Some(Span::new(
        in_name.first()?.span.start,
        in_name.last()?.span.end,
    ))
}

/// The short form for later references: the most frequent partial mention, else the last word.
fn short_form(article: &Article, entity: &Entity, name: &[String]) -> String {
    let mut counts: HashMap<String, (usize, usize)> = HashMap::new();
    for m in &entity.mentions {
        let words: Vec<Word> = words_in(article, m.span)
            .into_iter()
            .filter(|w| name.contains(&fold_name(w.text)))
            .collect();
        if words.is_empty() || words.len() >= name.len() {
            continue;
        }
        let form = words.iter().map(|w| w.text).collect::<Vec<_>>().join(" ");
        let slot = counts.entry(form).or_insert((0, m.span.start));
        slot.0 += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(_, (count, first))| (*count, std::cmp::Reverse(*first)))
        .map(|(form, _)| form)
        .or_else(|| name_words(&entity.name).last().map(str::to_string))
        .unwrap_or_else(|| entity.name.clone())
}

/// Whether a span lies inside a quotation, by binary search: quotations sorted by start with
/// the running maximum of their ends ([`Article::in_quote`] scans them all, once per mention).
struct QuoteCover {
    starts: Vec<usize>,
    max_end: Vec<usize>,
}

impl QuoteCover {
    fn new(article: &Article) -> Self {
        let mut spans: Vec<Span> = article.analysis.quotes.iter().map(|q| q.span).collect();
        spans.sort_by_key(|s| s.start);
        let mut max_end = Vec::with_capacity(spans.len());
        let mut running = 0;
        for s in &spans {
            running = running.max(s.end);
            max_end.push(running);
        }
        QuoteCover {
            starts: spans.iter().map(|s| s.start).collect(),
            max_end,
        }
    }

    /// Some quotation starts at or before `span` and ends at or after it.
    fn contains(&self, span: Span) -> bool {
        let n = self.starts.partition_point(|&start| start <= span.start);
        n > 0 && self.max_end[n - 1] >= span.end
    }
}

fn names_of(entity: &Entity) -> Vec<&str> {
    name_words(&entity.name).collect()
}

/// The people (indices into the entities) that the naming rule compares, and their clusters of
/// variant spellings (indices into the people, each ascending; clusters sorted).
#[derive(Debug)]
struct Clusters {
    /// What they were computed from: every entity's kind and name, in order.
    key: Vec<(EntityKind, String)>,
    people: Vec<usize>,
    clusters: Vec<Vec<usize>>,
}

/// The clusters depend only on the entities' kinds and names, which most keystrokes leave as
/// they were; the last few results are kept, keyed by exactly those (several open documents each
/// keep theirs).
static RECENT_CLUSTERS: Mutex<Vec<Arc<Clusters>>> = Mutex::new(Vec::new());
const RECENT_KEPT: usize = 8;

fn clusters_of(entities: &[Entity]) -> Arc<Clusters> {
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

fn name_variants(article: &Article, register: &Register) -> Vec<NamingFinding> {
    let entities = &article.analysis.entities;
    let found = clusters_of(entities);
    let people: Vec<&Entity> = found.people.iter().map(|&i| &entities[i]).collect();
    let mut out = Vec::new();
    for members in &found.clusters {
        let mut words: Vec<Word> = members
            .iter()
            .flat_map(|&i| {
                people[i]
                    .mentions
                    .iter()
                    .flat_map(|m| words_in(article, m.span))
            })
            .filter(|w| w.text.chars().next().is_some_and(char::is_uppercase))
            .collect();
        words.sort_by_key(|w| w.span.start);
        words.dedup_by_key(|w| w.span);
        let entry = members.iter().find_map(|&i| {
            let entity = people[i];
            let mentions = entity.mentions.iter().map(|m| article.mention_name(m.span));
            let mut names: Vec<&str> = vec![entity.name.as_str()];
            names.extend(mentions);
            register
                .lookup(EntityKind::Person, names.iter().copied())
                .or_else(|| {
                    register.people.iter().find(|e| {
                        variant_pair(&name_words(&e.name).collect::<Vec<_>>(), &names_of(entity))
                    })
                })
        });
        out.extend(spelling_conflicts(article, &words, entry));
    }
    out
}

/// One distinct spelling of a cluster (case aside): as first written, how often, where first.
struct Spelling<'a> {
    word: Spelled<'a>,
    count: usize,
    first: usize,
}

/// Group a cluster's spellings into sets of variants and flag every word not in the preferred
/// spelling of its set.
fn spelling_conflicts(
    article: &Article,
    words: &[Word],
    entry: Option<&RegisterEntry>,
) -> Vec<NamingFinding> {
    // Distinct spellings in order of first appearance, with counts.
    let mut spellings: Vec<Spelling> = Vec::new();
    let mut slot_of: HashMap<String, usize> = HashMap::new();
    for w in words {
        let lower = w.text.to_lowercase();
        match slot_of.get(&lower) {
            Some(&i) => spellings[i].count += 1,
            None => {
                slot_of.insert(lower, spellings.len());
                spellings.push(Spelling {
                    word: Spelled::new(w.text),
                    count: 1,
                    first: w.span.start,
                });
            }
        }
    }
    let house: Vec<Spelled> = entry
        .map(|e| name_words(&e.name).map(Spelled::new).collect())
        .unwrap_or_default();
    // The preferred spelling depends on the word as written only: decided once per writing.
    let mut decided: HashMap<&str, Option<&str>> = HashMap::new();
    let mut out = Vec::new();
    for w in words {
        let preferred = *decided.entry(w.text).or_insert_with(|| {
            preferred_spelling(&Spelled::new(w.text), &spellings, &house, entry)
        });
        let Some(preferred) = preferred else {
            continue;
        };
        let message = if house.iter().any(|h| h.text == preferred) {
            format!(
                "“{}” is spelled “{preferred}” in the newsroom register",
                w.text
            )
        } else {
            let line = spellings
                .iter()
                .find(|s| s.word.text == preferred)
                .map_or(0, |s| article.line(s.first));
            format!(
                "“{}” is the same name as “{preferred}” on line {line}: one person, two spellings",
                w.text
            )
        };
        out.push(NamingFinding {
            finding: Finding {
                rule: Rule::NameVariant,
                severity: Rule::NameVariant.default_severity(),
                span: w.span,
                message,
            },
            fix: Some(Fix {
                title: format!("Spell it “{preferred}”"),
                edits: vec![TextEdit::replace(w.span, preferred)],
            }),
        });
    }
    out
}

/// The spelling `word` should have, if it is a variant of a preferred one.
fn preferred_spelling<'a>(
    word: &Spelled,
    spellings: &[Spelling<'a>],
    house: &[Spelled<'a>],
    entry: Option<&'a RegisterEntry>,
) -> Option<&'a str> {
    if house.iter().any(|h| h.lower == word.lower) {
        return None;
    }
    // The register's spelling wins: a word close to a house word, or a known variant alias.
    let known_variant = entry.is_some_and(|e| {
        e.aliases
            .iter()
            .filter(|a| e.is_variant_alias(a))
            .any(|a| name_words(a).any(|aw| aw.to_lowercase() == word.lower))
    });
    let house_match = house
        .iter()
        .filter(|h| similar(h, word) || known_variant)
        .min_by_key(|h| distance(h, word));
    if let Some(h) = house_match {
        return Some(h.text);
    }
    // Otherwise the article's most used (then earliest) spelling among the word's variants.
    let own = spellings.iter().find(|s| s.word.lower == word.lower)?;
    let own = (own.count, std::cmp::Reverse(own.first));
    spellings
        .iter()
        .filter(|s| similar(&s.word, word))
        .filter(|s| (s.count, std::cmp::Reverse(s.first)) > own)
        .max_by_key(|s| (s.count, std::cmp::Reverse(s.first)))
        .map(|s| s.word.text)
}

#[cfg(test)]
mod tests;
