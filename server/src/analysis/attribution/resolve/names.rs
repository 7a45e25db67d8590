//! The names the document gives people: canonical (fullest) names, genders and entity ids for
//! speakers and pronoun candidates.

use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::sync::Arc;

use super::super::lexicon::Gender;
use super::super::{LocalSpeaker, ParagraphAttribution, SpeakerKind};
use super::speakers::Candidate;
use super::DocParagraph;
use crate::analysis::{Entity, EntityId, EntityKind, Span, Speaker};

/// The part of the name index that depends only on the full names the paragraphs give, in
/// document order: kept between runs while those are the same (see [`super::ResolveCache`]), as
/// building it reads every paragraph's names.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct NameTable {
    /// Full names seen outside quotations, grouped by their last word; one entry per distinct
    /// name, in the order of its last occurrence, with its number of words. Keyed so that a
    /// lookup costs the names sharing a surname, not every name.
    full_by_last: FxHashMap<Box<str>, Vec<(Box<str>, usize)>>,
    /// The first known gender given to each full name, in document order.
    gender_by_name: FxHashMap<Box<str>, Gender>,
}

impl NameTable {
    pub(super) fn new<'p>(paragraphs: &[DocParagraph<'p>]) -> Self {
        let mut full_by_last: FxHashMap<&'p str, Vec<(&'p str, usize)>> = FxHashMap::default();
        let mut gender_by_name: FxHashMap<&'p str, Gender> = FxHashMap::default();
        let mut add = |name: &'p str, gender: Gender| {
            if let Some(last) = last_word(name) {
                full_by_last.entry(last).or_default().push((name, 0));
            }
            if gender != Gender::Unknown {
                gender_by_name.entry(name).or_insert(gender);
            }
        };
        for para in paragraphs {
            let attribution: &'p ParagraphAttribution = para.attribution;
            for (name, gender) in full_names(attribution) {
                add(name, gender);
            }
        }
        let full_by_last = full_by_last
            .into_iter()
            .map(|(last, names)| (Box::from(last), distinct_names(names)))
            .collect();
        let gender_by_name = gender_by_name
            .into_iter()
            .map(|(name, gender)| (Box::from(name), gender))
            .collect();
        NameTable {
            full_by_last,
            gender_by_name,
        }
    }
    /// The table after the full names whose last word is one of `words` changed from `old`
    /// to `new` (the re-split paragraphs' full names, in document order), when no other
    /// paragraph gives a full name with one of those last words: their entries are then made
    /// of the re-split paragraphs' names alone. The other entries stay as they are.
    pub(super) fn replace_last_words(
        &mut self,
        words: &[&str],
        old: &[(&str, Gender)],
        new: &[(&str, Gender)],
    ) {
        let changed = |name: &str| last_word(name).is_some_and(|w| words.contains(&w));
        for (name, _) in old.iter().filter(|(n, _)| changed(n)) {
            self.gender_by_name.remove(*name);
        }
        for w in words {
            self.full_by_last.remove(*w);
        }
        self.file_under_last_words(new.iter().copied().filter(|(n, _)| changed(n)));
    }

    /// The table after the full names whose last word is one of `words` changed (in the
    /// re-split paragraphs of `paragraphs`, the document after the edit), when other paragraphs
    /// give such names too: those entries are made again from every paragraph's full names, the
    /// other entries stay as they are.
    pub(super) fn rebuild_last_words(&mut self, words: &[&str], paragraphs: &[DocParagraph<'_>]) {
        // Every name with a known gender is also under its last word.
        for w in words {
            if let Some(names) = self.full_by_last.remove(*w) {
                for (name, _) in names {
                    self.gender_by_name.remove(&name);
                }
            }
        }
        self.file_under_last_words(
            paragraphs
                .iter()
                .flat_map(|para| full_names(para.attribution))
                .filter(|(name, _)| last_word(name).is_some_and(|w| words.contains(&w))),
        );
    }

    /// Files `names` (in document order) as the whole entries of their last words, and
    /// records their known genders where the table has none.
    fn file_under_last_words<'n>(&mut self, names: impl Iterator<Item = (&'n str, Gender)>) {
        let mut added: FxHashMap<&str, Vec<(&str, usize)>> = FxHashMap::default();
        for (name, gender) in names {
            if let Some(w) = last_word(name) {
                added.entry(w).or_default().push((name, 0));
            }
            if gender != Gender::Unknown && !self.gender_by_name.contains_key(name) {
                self.gender_by_name.insert(Box::from(name), gender);
            }
        }
        for (w, names) in added {
            self.full_by_last
                .insert(Box::from(w), distinct_names(names));
        }
    }
}

impl NameTable {
    /// The fullest name the table gives someone called `name`, or `name` itself.
    pub(super) fn canonical<'n>(&'n self, name: &'n str) -> &'n str {
        let entry = last_word(name).and_then(|last| self.full_by_last.get(last));
        canonical_among(entry.map_or(&[], Vec::as_slice), name)
    }

    /// The table's entries for names whose last word is one of `words` (an edit is about to
    /// change them): what [`Self::canonical`] and the genders answered about such names.
    pub(super) fn entries_for(&self, words: &[&str]) -> Entries {
        let mut full: Vec<(Box<str>, FullNamesOf)> = words
            .iter()
            .filter_map(|w| Some((Box::from(*w), self.full_by_last.get(*w)?.clone())))
            .collect();
        full.sort_unstable();
        Entries {
            full,
            genders: self.genders_for(words),
        }
    }

    /// The known genders of the full names whose last word is one of `words`, sorted.
    pub(super) fn genders_for(&self, words: &[&str]) -> Vec<(Box<str>, Gender)> {
        // Every name with a known gender is also under its last word.
        let mut genders: Vec<(Box<str>, Gender)> = words
            .iter()
            .filter_map(|w| self.full_by_last.get(*w))
            .flatten()
            .filter_map(|(name, _)| Some((name.clone(), *self.gender_by_name.get(name)?)))
            .collect();
        genders.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        genders
    }
}

/// The full names under one last word, with their numbers of words (see `NameTable`).
type FullNamesOf = Vec<(Box<str>, usize)>;

/// Some of a name table's entries, as they were before an edit (see [`NameTable::entries_for`]).
#[derive(Debug, Default)]
pub(super) struct Entries {
    /// Per last word (sorted), its full names as `NameTable::full_by_last` held them.
    full: Vec<(Box<str>, FullNamesOf)>,
    /// The known genders of those full names, sorted by name.
    pub(super) genders: Vec<(Box<str>, Gender)>,
}

impl Entries {
    /// [`NameTable::canonical`] as the table answered before the edit (`name`'s last word is
    /// one of the words the entries were taken for).
    pub(super) fn canonical<'n>(&'n self, name: &'n str) -> &'n str {
        let entry = last_word(name).and_then(|last| {
            let i = self.full.binary_search_by(|(w, _)| (**w).cmp(last)).ok()?;
            Some(self.full[i].1.as_slice())
        });
        canonical_among(entry.unwrap_or(&[]), name)
    }
}

/// The longest of `fulls` (full names sharing `name`'s last word, with their word counts) that
/// has more words than `name` and every word of it, the last such if several; else `name`.
fn canonical_among<'n>(fulls: &'n [(Box<str>, usize)], name: &'n str) -> &'n str {
    let count = name.split_whitespace().count();
    fulls
        .iter()
        .filter(|(full, words)| {
            *words > count
                && name
                    .split_whitespace()
                    .all(|w| full.split_whitespace().any(|f| f == w))
        })
        .max_by_key(|(full, _)| full.len())
        .map_or(name, |(full, _)| full)
}

/// The full names a paragraph gives the name table, in the order the table adds them: named
/// people and groups outside quotations that are not organisations or crowds, then the cues'
/// named speakers, every one of more than one word.
pub(super) fn full_names(p: &ParagraphAttribution) -> impl Iterator<Item = (&str, Gender)> {
    let names = p
        .names
        .iter()
        .filter(|m| m.name.contains(' ') && !matches!(m.gender, Gender::Neuter | Gender::Plural))
        .map(|m| (m.name.as_str(), m.gender));
    let events = p
        .events
        .iter()
        .filter(|e| e.speaker.kind == SpeakerKind::Name && e.speaker.name.contains(' '))
        .map(|e| (e.speaker.name.as_str(), e.speaker.gender));
    names.chain(events)
}

/// The word a name is looked up by in the table (its last).
pub(super) fn last_word(name: &str) -> Option<&str> {
    name.split_whitespace().next_back()
}

/// One entry per distinct name, in the order of its last occurrence, with its number of words:
/// `canonical` takes the last of the longest, which is the same name as over every occurrence,
/// without rescanning a name once per mention of it.
fn distinct_names(mut names: Vec<(&str, usize)>) -> Vec<(Box<str>, usize)> {
    if names.len() > 1 {
        let mut seen = rustc_hash::FxHashSet::default();
        let mut kept: Vec<(&str, usize)> =
            names.drain(..).rev().filter(|n| seen.insert(n.0)).collect();
        kept.reverse();
        names = kept;
    }
    names
        .into_iter()
        .map(|(name, _)| (Box::from(name), name.split_whitespace().count()))
        .collect()
}

/// Every entity mention as (span, entity index), sorted, as [`NameIndex`] looks them up.
pub(super) fn entity_mentions(entities: &[Entity]) -> Vec<(Span, usize)> {
    let mut mentions: Vec<(Span, usize)> = entities
        .iter()
        .enumerate()
        .flat_map(|(i, e)| e.mentions.iter().map(move |m| (m.span, i)))
        .collect();
    mentions.sort_unstable();
    mentions
}

/// The names the document gives people, for canonical names and entity ids.
pub(super) struct NameIndex<'a> {
    table: &'a NameTable,
    entities: &'a [Entity],
    /// Every entity mention as (span, entity index), sorted by start ([`entity_mentions`]), for
    /// `entity_at`.
    mentions: &'a [(Span, usize)],
    /// The longest mention, bounding how far back a mention overlapping a span can start.
    longest_mention: usize,
    /// [`Self::canonical`]'s answers: most names are asked for once per mention. They depend on
    /// the table alone, so the caller keeps them as long as it keeps the table.
    canonical_memo: RefCell<FxHashMap<String, Arc<str>>>,
}

impl<'a> NameIndex<'a> {
    /// The index over `table` (the paragraphs' full names), `entities` and their `mentions`
    /// ([`entity_mentions`]), starting with the canonical names `memo` (answers over this table).
    pub(super) fn new(
        table: &'a NameTable,
        entities: &'a [Entity],
        mentions: &'a [(Span, usize)],
        memo: FxHashMap<String, Arc<str>>,
    ) -> Self {
        let longest_mention = mentions.iter().map(|(s, _)| s.len()).max().unwrap_or(0);
        NameIndex {
            table,
            entities,
            mentions,
            longest_mention,
            canonical_memo: RefCell::new(memo),
        }
    }

    /// The canonical names worked out so far (for the next run over the same table).
    pub(super) fn into_memo(self) -> FxHashMap<String, Arc<str>> {
        self.canonical_memo.into_inner()
    }

    /// The first entity (in entity order) with a mention overlapping `span`.
    fn entity_at(&self, span: Span) -> Option<&'a Entity> {
        // Mentions starting before `span.end`, of which only those starting within the longest
        // mention's length of `span.start` can reach into it.
        let upto = self.mentions.partition_point(|(m, _)| m.start < span.end);
        let from = self.mentions[..upto]
            .partition_point(|(m, _)| m.start + self.longest_mention <= span.start);
        self.mentions[from..upto]
            .iter()
            .filter(|(m, _)| m.overlaps(span))
            .map(|(_, i)| *i)
            .min()
            .and_then(|i| self.entities.get(i))
    }

    /// The fullest name the document gives someone called `name` ("Russel" → "Daniel Russel").
    fn canonical(&self, name: &str) -> Arc<str> {
        if let Some(known) = self.canonical_memo.borrow().get(name) {
            debug_assert_eq!(*known, self.canonical_uncached(name), "kept canonical name");
            return Arc::clone(known);
        }
        let found = self.canonical_uncached(name);
        self.canonical_memo
            .borrow_mut()
            .insert(name.to_string(), found.clone());
        found
    }

    fn canonical_uncached(&self, name: &str) -> Arc<str> {
        Arc::from(self.table.canonical(name))
    }

    pub(super) fn gender_of(&self, canonical: &str, fallback: Gender) -> Gender {
        if fallback != Gender::Unknown {
            return fallback;
        }
        self.table
            .gender_by_name
            .get(canonical)
            .copied()
            .unwrap_or(fallback)
    }

    /// The first entity with a mention ending where `span` ends (a name's surname: "Margaret
    /// “Peg” Olsen" is Olsen's entity even if the given name was tagged apart), else
    /// [`Self::entity_at`].
    fn entity_ending_at(&self, span: Span) -> Option<&'a Entity> {
        let upto = self.mentions.partition_point(|(m, _)| m.start < span.end);
        let from = self.mentions[..upto]
            .partition_point(|(m, _)| m.start + self.longest_mention <= span.start);
        self.mentions[from..upto]
            .iter()
            .filter(|(m, _)| m.overlaps(span) && m.end == span.end)
            .map(|(_, i)| *i)
            .min()
            .and_then(|i| self.entities.get(i))
            .or_else(|| self.entity_at(span))
    }

    /// The document speaker for a paragraph's cue.
    pub(super) fn speaker(&self, local: &LocalSpeaker, base: usize) -> Speaker {
        let span = local.span.shifted(base);
        let found = if local.kind == SpeakerKind::Name {
            self.entity_ending_at(span)
        } else {
            self.entity_at(span)
        };
        let entity = found.filter(|e| match local.kind {
            SpeakerKind::Name => true,
            // A descriptor is its organisation only when the name is its head ("the White House",
            // not "a spokesman for the White House").
            SpeakerKind::Descriptor => {
                e.kind == EntityKind::Organization
                    && e.mentions.iter().any(|m| m.span.end == span.end)
            }
            SpeakerKind::Pronoun(_) => false,
        });
        let name = match (local.kind, entity) {
            (SpeakerKind::Name, Some(e)) if e.kind == EntityKind::Person => e.name.clone(),
            (SpeakerKind::Name, _) if local.gender != Gender::Neuter => self.canonical(&local.name),
            _ => Arc::from(local.name.as_str()),
        };
        Speaker {
            name,
            span,
            entity: entity.map(|e| e.id as EntityId),
        }
    }

    /// A named mention as a pronoun candidate, when it is evidently a person or organisation.
    pub(super) fn mention_candidate(
        &self,
        span: Span,
        name: &str,
        gender: Gender,
    ) -> Option<Candidate> {
        if gender == Gender::Plural {
            // A group ("City officials") is nobody's entity mention as a whole.
            let speaker = Speaker {
                name: Arc::from(name),
                span,
                entity: None,
            };
            return Some(Candidate {
                at: span.start,
                speaker,
                gender,
            });
        }
        let entity = self.entity_at(span);
        let gender = match entity.map(|e| e.kind) {
            // `gender_of` keeps a known gender: no canonical name needed for it.
            Some(EntityKind::Person) if gender != Gender::Unknown => gender,
            Some(EntityKind::Person) => self.gender_of(&self.canonical(name), gender),
            Some(EntityKind::Organization) => Gender::Neuter,
            Some(_) => return None,
            None if gender == Gender::Unknown => self.gender_of(&self.canonical(name), gender),
            None => gender,
        };
        if gender == Gender::Unknown && entity.is_none() {
            return None;
        }
        let name = match entity {
            Some(e) if e.kind == EntityKind::Person => e.name.clone(),
            _ if gender == Gender::Neuter => Arc::from(name),
            _ => self.canonical(name),
        };
        Some(Candidate {
            at: span.start,
            speaker: Speaker {
                name,
                span,
                entity: entity.map(|e| e.id),
            },
            gender,
        })
    }
}
