//! `name-variant`: one person spelled two ways, or other than the register's house spelling.

use rustc_hash::FxHashMap;

use super::super::article::Article;
use super::super::edit::{Fix, TextEdit};
use super::clusters::Clusters;
use super::spelling::{distance, similar, variant_pair, Spelled};
use super::{names_of, Found, LineRef, MentionWords, NamingFinding, Origin, Recheck, Word};
use crate::analysis::{Entity, EntityKind, Finding, Rule};
use crate::config::register::{name_words, Register, RegisterEntry};

/// The findings of the clusters of variant spellings `which` selects among `found` (the
/// article's [`super::clusters::clusters_of`]), each with its origin (the cluster's entities).
pub(super) fn name_variants(
    article: &Article,
    register: &Register,
    mention_words: &mut MentionWords,
    found: &Clusters,
    which: &Recheck,
) -> Vec<Found> {
    let entities = &article.analysis.entities;
    let people: Vec<&Entity> = found.people.iter().map(|&i| &entities[i]).collect();
    let mut out = Vec::new();
    for (k, members) in found.clusters.iter().enumerate() {
        if let Recheck::Only { clusters, .. } = which {
            if !clusters.get(k).copied().unwrap_or(true) {
                continue;
            }
        }
        // With no register entry, a word is flagged only when the cluster also writes a spelling
        // similar to it: most clusters write none, and their words need not be gathered.
        let entry = register_entry(article, register, members, &people);
        if entry.is_none() && !has_similar_spellings(mention_words, members, &people) {
            continue;
        }
        let mut words: Vec<Word> = members
            .iter()
            .flat_map(|&i| people[i].mentions.iter())
            .flat_map(|m| mention_words.words(m.span))
            .filter(|w| w.text.chars().next().is_some_and(char::is_uppercase))
            .collect();
        words.sort_by_key(|w| w.span.start);
        words.dedup_by_key(|w| w.span);
        let conflicts = spelling_conflicts(article, &words, entry);
        if !conflicts.is_empty() {
            let origin = Origin::Cluster(cluster_entities(found, members).into());
            out.extend(conflicts.into_iter().map(|(finding, line)| Found {
                finding,
                origin: origin.clone(),
                line,
            }));
        }
    }
    out
}

/// The entities (indices, ascending) of a cluster given as indices into `found.people`.
pub(super) fn cluster_entities(found: &Clusters, members: &[usize]) -> Vec<usize> {
    let mut entities: Vec<usize> = members.iter().map(|&i| found.people[i]).collect();
    entities.sort_unstable();
    entities
}

/// The register entry of the first member of a cluster the register knows.
fn register_entry<'r>(
    article: &Article,
    register: &'r Register,
    members: &[usize],
    people: &[&Entity],
) -> Option<&'r RegisterEntry> {
    if register.people.is_empty() {
        return None; // nothing to look up (the usual case without a register file)
    }
    members.iter().find_map(|&i| {
        let entity = people[i];
        let mentions = entity.mentions.iter().map(|m| article.mention_name(m.span));
        let mut names: Vec<&str> = vec![&entity.name];
        names.extend(mentions);
        register
            .lookup(EntityKind::Person, names.iter().copied())
            .or_else(|| {
                register.people.iter().find(|e| {
                    variant_pair(&name_words(&e.name).collect::<Vec<_>>(), &names_of(entity))
                })
            })
    })
}

/// Whether two of the capitalised words a cluster's mentions write are [`similar`]: without a
/// register entry, [`preferred_spelling`] finds a preferred spelling only among those.
fn has_similar_spellings(words: &mut MentionWords, members: &[usize], people: &[&Entity]) -> bool {
    let mut splits = Vec::new();
    for &i in members {
        for m in &people[i].mentions {
            splits.push(words.of(m.span));
        }
    }
    splits.sort_by_key(std::rc::Rc::as_ptr);
    splits.dedup_by_key(|s| std::rc::Rc::as_ptr(s));
    let mut written: Vec<&str> = splits
        .iter()
        .flat_map(|s| s.words.iter().map(|w| &s.text[w.start..w.end]))
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .collect();
    written.sort_unstable();
    written.dedup();
    let spelled: Vec<Spelled> = written.iter().map(|w| Spelled::new(w)).collect();
    spelled.iter().enumerate().any(|(i, a)| {
        spelled[i + 1..]
            .iter()
            .any(|b| similar(a, b) || similar(b, a))
    })
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
) -> Vec<(NamingFinding, Option<LineRef>)> {
    // Distinct spellings in order of first appearance, with counts.
    let mut spellings: Vec<Spelling> = Vec::new();
    let mut slot_of: FxHashMap<String, usize> = FxHashMap::default();
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
    let mut decided: FxHashMap<&str, Option<&str>> = FxHashMap::default();
    let mut out = Vec::new();
    for w in words {
        let preferred = *decided.entry(w.text).or_insert_with(|| {
            preferred_spelling(&Spelled::new(w.text), &spellings, &house, entry)
        });
        let Some(preferred) = preferred else {
            continue;
        };
        let (message, line) = if house.iter().any(|h| h.text == preferred) {
            let message = format!(
                "“{}” is spelled “{preferred}” in the newsroom register",
                w.text
            );
            (message, None)
        } else {
            let before = format!("“{}” is the same name as “{preferred}” on line ", w.text);
            let after = ": one person, two spellings";
            match spellings.iter().find(|s| s.word.text == preferred) {
                Some(s) => {
                    let (message, line) = LineRef::message(article, before, s.first, after);
                    (message, Some(line))
                }
                None => (format!("{before}0{after}"), None),
            }
        };
        let finding = NamingFinding {
            finding: Finding {
                rule: Rule::NameVariant,
                severity: Rule::NameVariant.default_severity(),
                span: w.span,
                message: message.into(),
            },
            fix: Some(Fix {
                title: format!("Spell it “{preferred}”"),
                edits: vec![TextEdit::replace(w.span, preferred)],
            }),
        };
        out.push((finding, line));
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
