//! What an edit's changed names and entities can reach outside the re-split paragraphs.
//!
//! Resolving a paragraph reads the name table only through the last word of a name it asks
//! about (`NameIndex::canonical` looks up the full names sharing it, `gender_of` a full name),
//! and the entities only through the mentions overlapping its own speakers and names. So when
//! an edit changes the full names the re-split paragraphs give (typing a name letter by letter),
//! the paragraphs that get the same answers about the names they ask (the same canonical names,
//! the same genders) resolve as before; when linking ran again, so do those whose mentions are
//! the last run's moved, of entities with the same index, id, kind and name. The document pass
//! then resolves from the re-split paragraphs until they meet the last run again, as after an
//! edit that changed no name.

use rustc_hash::{FxHashMap, FxHashSet};

use super::super::lexicon::Gender;
use super::super::{ParagraphAttribution, QuoteCue};
use super::incremental::Change;
use super::names::{full_names, last_word, Entries, NameTable};
use super::renumber::Renumbering;
use super::DocParagraph;
use crate::analysis::{Entity, Span};

/// The full names the re-split paragraphs gave the name table before the edit and give it now.
pub(super) struct FullNames<'a> {
    pub(super) old: Vec<(&'a str, Gender)>,
    pub(super) new: Vec<(&'a str, Gender)>,
}

impl<'a> FullNames<'a> {
    pub(super) fn of(paragraphs: &[DocParagraph<'a>], change: &Change<'a>) -> Self {
        let new = paragraphs[change.first..change.first + change.new_count]
            .iter()
            .flat_map(|p| full_names(p.attribution))
            .collect();
        let old = change
            .old_cues
            .iter()
            .flat_map(|cues| full_names(cues))
            .collect();
        FullNames { old, new }
    }

    /// The last words whose full names (with their genders, in order) differ before and after
    /// the edit: the name table's entries that changed. `None` when a changed name has no last
    /// word (the table keeps its gender under no last word: not worth following).
    pub(super) fn changed_last_words(&self) -> Option<Vec<&'a str>> {
        if self.old == self.new {
            return Some(Vec::new());
        }
        type Pair<'a> = (Vec<(&'a str, Gender)>, Vec<(&'a str, Gender)>);
        let mut by_word: FxHashMap<&'a str, Pair<'a>> = FxHashMap::default();
        for &(name, gender) in &self.old {
            by_word
                .entry(last_word(name)?)
                .or_default()
                .0
                .push((name, gender));
        }
        for &(name, gender) in &self.new {
            by_word
                .entry(last_word(name)?)
                .or_default()
                .1
                .push((name, gender));
        }
        let mut words: Vec<&'a str> = by_word
            .into_iter()
            .filter(|(_, (old, new))| old != new)
            .map(|(w, _)| w)
            .collect();
        words.sort_unstable();
        Some(words)
    }
}

/// Whether `name`'s last word is one of `words` (words hold no whitespace).
pub(super) fn last_word_in(name: &str, words: &[&str]) -> bool {
    let name = name.trim_end();
    words.iter().any(|w| {
        name.strip_suffix(w)
            .is_some_and(|before| before.chars().next_back().is_none_or(char::is_whitespace))
    })
}

/// The names resolving a paragraph with these facts may ask the name table about: every name
/// it holds, its cues' speakers, its quotations' speakers and subjects and its lead. (The
/// canonical name found for a name shares its last word.)
fn asked_names(p: &ParagraphAttribution) -> impl Iterator<Item = &str> {
    p.events
        .iter()
        .map(|e| e.speaker.name.as_str())
        .chain(p.names.iter().map(|m| m.name.as_str()))
        .chain(
            p.quotes
                .iter()
                .filter_map(QuoteCue::cue)
                .chain(p.quotes.iter().filter_map(QuoteCue::subject))
                .map(|s| s.name.as_str()),
        )
        .chain(p.lead.iter().map(|s| s.name.as_str()))
}

/// The last word of `name` as [`last_word_in`] reads it: after its last whitespace.
fn last_word_of(name: &str) -> &str {
    let name = name.trim_end();
    name.rsplit(char::is_whitespace).next().unwrap_or(name)
}

/// The bit a last word sets in [`ParagraphAttribution::asked_words`].
fn asked_bit(word: &str) -> u32 {
    let mut h = rustc_hash::FxHasher::default();
    std::hash::Hasher::write(&mut h, word.as_bytes());
    1 << (std::hash::Hasher::finish(&h) >> 59)
}

/// [`ParagraphAttribution::asked_words`] of `p`: a bit for the last word of every name it asks
/// about (0 when it asks about none).
pub(in crate::analysis::attribution) fn asked_words(p: &ParagraphAttribution) -> u32 {
    asked_names(p).fold(0, |bits, name| bits | asked_bit(last_word_of(name)))
}

/// What the paragraphs outside the re-split ones ask the name table about names whose last
/// word changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Asked<'a> {
    /// Those names, each once, in the order first asked.
    names: Vec<&'a str>,
    /// Whether one of those paragraphs gives the table such a full name (then the table's
    /// entries for the changed words are not the re-split paragraphs' alone).
    pub(super) gives_full_name: bool,
}

impl<'a> Asked<'a> {
    pub(super) fn of(paragraphs: &[DocParagraph<'a>], change: &Change<'_>, words: &[&str]) -> Self {
        let mut asked = Asked::default();
        if words.is_empty() {
            return asked;
        }
        let mut seen: FxHashSet<&'a str> = FxHashSet::default();
        let (first, end) = (change.first, change.first + change.new_count);
        let bits = words.iter().fold(0, |bits, w| bits | asked_bit(w));
        for (i, p) in paragraphs.iter().enumerate() {
            if (first..end).contains(&i) {
                continue;
            }
            let attribution: &'a ParagraphAttribution = p.attribution;
            // Asks about none of the words (0: not known).
            if attribution.asked_words != 0 && attribution.asked_words & bits == 0 {
                continue;
            }
            let mut asks = false;
            for name in asked_names(attribution).filter(|n| last_word_in(n, words)) {
                asks = true;
                if seen.insert(name) {
                    asked.names.push(name);
                }
            }
            // Its full names are among the names it asks about.
            if asks && !asked.gives_full_name {
                asked.gives_full_name = full_names(attribution)
                    .any(|(name, _)| last_word(name).is_some_and(|w| words.contains(&w)));
            }
        }
        asked
    }
}

/// Whether no paragraph outside the re-split ones (`new_region` in the new text) reads
/// anything else from the name table now that its entries for `words` went from `before` to
/// those of `table`. When the known genders of those names are the same, a paragraph reads the
/// entries only through the canonical names of the names it asks about (`asked`), so it is
/// enough that each gets the same answer (a new "Njeri Halvorsen" leaves "Halvorsen" the
/// longer "Finance Minister Ignacio Halvorsen" it was). When a gender changed, none may ask
/// about such a name, and no entity whose name ends in one of them may have a mention outside
/// (its name's gender would be asked there).
pub(super) fn unreached(
    asked: &Asked<'_>,
    change: &Change<'_>,
    entities: &[Entity],
    words: &[&str],
    before: &Entries,
    table: &NameTable,
) -> bool {
    if words.is_empty() {
        return true;
    }
    let region = change.new_region;
    if region.is_empty() {
        return false;
    }
    if before.genders == table.genders_for(words) {
        return asked
            .names
            .iter()
            .all(|name| before.canonical(name) == table.canonical(name));
    }
    let inside = |s: Span| s.start >= region.start && s.end <= region.end;
    asked.names.is_empty()
        && entities
            .iter()
            .filter(|e| last_word_in(&e.name, words))
            .all(|e| e.mentions.iter().all(|m| inside(m.span)))
}

/// What linking again left of the last run's entity mentions (see [`relinked_mentions`]).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Relinked {
    /// This run's entity mentions, sorted as `names::entity_mentions` sorts them.
    pub(super) mentions: Vec<(Span, usize)>,
    /// How the last run's ids map to this run's, when an entity was founded, split or merged in
    /// the re-split paragraphs (`None`: every entity outside them kept its id).
    pub(super) renumbered: Option<Renumbering>,
}

/// The entity mentions of `entities` (linked again after the edit), sorted as
/// `names::entity_mentions` sorts them, from the last run's sorted `old` ones, when every entity
/// with a mention outside the re-split paragraphs is one of the last run's with the same kind
/// and name and, outside them, the same mentions moved, and those entities keep their order:
/// then every lookup from a paragraph outside finds what it found before, under a new id when
/// an entity was founded, split or merged inside them (ids follow first mentions). `None`
/// otherwise (or when the re-split region is empty).
pub(super) fn relinked_mentions(
    old: &[(Span, usize)],
    old_entities: &[Entity],
    entities: &[Entity],
    change: &Change<'_>,
) -> Option<Relinked> {
    let (old_region, new_region, shift) = (change.old_region, change.new_region, change.shift);
    if old_region.is_empty() || new_region.is_empty() {
        return None;
    }
    let outside = |s: Span, r: Span| s.end <= r.start || s.start >= r.end;
    fn outside_of(e: &Entity, r: Span) -> impl Iterator<Item = Span> + '_ {
        e.mentions
            .iter()
            .map(|m| m.span)
            .filter(move |&s| s.end <= r.start || s.start >= r.end)
    }
    // The entities with a mention outside, in order, are the last run's in order (none came or
    // went, none changed places): pair them up.
    let mut olds_outside = old_entities
        .iter()
        .enumerate()
        .filter(|(_, e)| outside_of(e, old_region).next().is_some());
    let mut map: Vec<Option<usize>> = vec![None; old_entities.len()];
    let mut same_ids = true;
    let mut inside = Vec::new();
    for (j, is) in entities.iter().enumerate() {
        let mut any_outside = false;
        for m in &is.mentions {
            if outside(m.span, new_region) {
                any_outside = true;
            } else {
                inside.push((m.span, j));
            }
        }
        if !any_outside {
            continue;
        }
        let (i, was) = olds_outside.next()?;
        if was.id != i || is.id != j || was.kind != is.kind || was.name != is.name {
            return None;
        }
        let mut olds = outside_of(was, old_region);
        for m in is.mentions.iter().filter(|m| outside(m.span, new_region)) {
            if olds.next().and_then(|s| shift.span(s)) != Some(m.span) {
                return None;
            }
        }
        if olds.next().is_some() {
            return None;
        }
        map[i] = Some(j);
        same_ids &= i == j;
    }
    // Every entity with a mention outside is still one (no mention outside changed hands).
    if olds_outside.next().is_some() {
        return None;
    }
    let renumbered = (!same_ids).then(|| Renumbering::new(map));
    inside.sort_unstable();
    let a = old.partition_point(|(s, _)| s.start < old_region.start);
    let b = old.partition_point(|(s, _)| s.start < old_region.end);
    let id = |i: usize| match &renumbered {
        None => Some(i),
        Some(r) => r.id(i),
    };
    let mut mentions = Vec::with_capacity(a + inside.len() + old.len() - b);
    for &(span, i) in &old[..a] {
        mentions.push((span, id(i)?));
    }
    mentions.extend(inside);
    for &(span, i) in &old[b..] {
        mentions.push((shift.span(span)?, id(i)?));
    }
    Some(Relinked {
        mentions,
        renumbered,
    })
}

#[cfg(test)]
mod tests {
    use super::super::names::{entity_mentions, NameTable};
    use super::*;
    use crate::analysis::attribution::{NameMention, NO_CUES};
    use crate::analysis::shift::Shift;
    use crate::analysis::{EntityKind, Mention};

    fn named(names: &[(&str, Gender)]) -> ParagraphAttribution {
        ParagraphAttribution {
            names: names
                .iter()
                .map(|&(name, gender)| NameMention {
                    span: Span::new(0, name.len()),
                    name: name.to_owned(),
                    gender,
                })
                .collect(),
            ..ParagraphAttribution::default()
        }
    }

    fn doc<'a>(cues: &[&'a ParagraphAttribution]) -> Vec<DocParagraph<'a>> {
        cues.iter()
            .enumerate()
            .map(|(i, &attribution)| DocParagraph {
                base: i * 100,
                attribution,
                headline: false,
            })
            .collect()
    }

    /// Paragraph 1 (bytes 100..200, one byte more after the edit at 150) was re-split.
    fn change<'a>(
        shift: &'a Shift,
        old_cues: &'a ParagraphAttribution,
        old_entities: Option<&'a [Entity]>,
    ) -> Change<'a> {
        Change {
            first: 1,
            old_count: 1,
            new_count: 1,
            shift,
            old_cues: vec![old_cues],
            old_quotes: &[],
            old_region: Span::new(100, 200),
            new_region: Span::new(100, 201),
            old_entities,
        }
    }

    fn entity(id: usize, name: &str, mentions: &[(usize, usize)]) -> Entity {
        Entity {
            id,
            kind: EntityKind::Person,
            name: name.into(),
            descriptors: Vec::new(),
            mentions: mentions
                .iter()
                .map(|&(s, e)| Mention {
                    span: Span::new(s, e),
                })
                .collect(),
        }
    }

    #[test]
    fn the_changed_full_names_last_words() {
        let old = [
            ("Njeri Halvorse", Gender::Female),
            ("Kari Lund", Gender::Unknown),
        ];
        let new = [
            ("Njeri Halvorsen", Gender::Female),
            ("Kari Lund", Gender::Unknown),
        ];
        let names = FullNames {
            old: old.to_vec(),
            new: new.to_vec(),
        };
        assert_eq!(
            names.changed_last_words(),
            Some(vec!["Halvorse", "Halvorsen"])
        );
        let gender = FullNames {
            old: vec![("Kari Lund", Gender::Unknown)],
            new: vec![("Kari Lund", Gender::Female)],
        };
        assert_eq!(gender.changed_last_words(), Some(vec!["Lund"]));
        assert!(last_word_in("Mr. Halvorsen ", &["Halvorsen"]));
        assert!(!last_word_in("Halvorsen Jr", &["Halvorsen"]));
        assert!(!last_word_in("Ole Bhalvorsen", &["Halvorsen"]));
    }

    /// Whether paragraph 1 going from `old` to `new` (between `outside` and an empty
    /// paragraph) leaves the other paragraphs unreached, with these entities after it.
    fn unreached_by(
        outside: &ParagraphAttribution,
        old: &ParagraphAttribution,
        new: &ParagraphAttribution,
        entities: &[Entity],
    ) -> bool {
        let shift = Shift::new(150, 150, 151);
        let (table, before, asked, words, change) = table_after(outside, old, new, &shift);
        unreached(&asked, &change, entities, &words, &before, &table)
    }

    #[test]
    fn a_paragraph_asking_a_changed_surname_or_holding_such_an_entity_is_reached() {
        // The name's gender is known: it changed under the name it was known by.
        let old = named(&[("Njeri Halvorse", Gender::Female)]);
        let new = named(&[("Njeri Halvorsen", Gender::Female)]);
        let asking = named(&[("Halvorsen", Gender::Unknown)]);
        let other = named(&[("Lund", Gender::Unknown)]);
        let person = |mentions: &[(usize, usize)]| vec![entity(0, "Njeri Halvorsen", mentions)];
        let inside = person(&[(120, 135)]);
        let also_outside = person(&[(10, 19), (120, 135)]);
        assert!(unreached_by(&other, &old, &new, &inside));
        // Another paragraph asks about "Halvorsen" (its canonical name changed).
        assert!(!unreached_by(&asking, &old, &new, &inside));
        // The entity so named has a mention outside (its gender is asked there).
        assert!(!unreached_by(&other, &old, &new, &also_outside));
    }

    #[test]
    fn with_the_same_genders_only_a_changed_canonical_name_reaches_a_paragraph() {
        let old = named(&[("Njeri Halvorse", Gender::Unknown)]);
        let new = named(&[("Njeri Halvorsen", Gender::Unknown)]);
        let person = |mentions: &[(usize, usize)]| {
            vec![
                entity(0, "Ignacio Halvorsen", &[(10, 27)]),
                entity(1, "Njeri Halvorsen", mentions),
            ]
        };
        // "Halvorsen" was and stays the longer name another paragraph gives.
        let longer = named(&[
            ("Minister Ignacio Halvorsen", Gender::Unknown),
            ("Halvorsen", Gender::Unknown),
            ("Ignacio Halvorsen", Gender::Unknown),
        ]);
        assert!(unreached_by(&longer, &old, &new, &person(&[(120, 135)])));
        // Outside mentions of an entity so named read its gender, which did not change.
        assert!(unreached_by(
            &longer,
            &old,
            &new,
            &person(&[(40, 49), (120, 135)])
        ));
        // "Halvorsen" was nobody's surname and now is Njeri Halvorsen's.
        let bare = named(&[("Halvorsen", Gender::Unknown)]);
        assert!(!unreached_by(&bare, &old, &new, &person(&[(120, 135)])));
        // "Ignacio Halvorsen" is asked about: the new name does not hold him.
        let ignacio = named(&[("Ignacio Halvorsen", Gender::Unknown)]);
        assert!(unreached_by(&ignacio, &old, &new, &person(&[(120, 135)])));
        // Same length, later in the document: the new name would win the tie.
        let tie = named(&[
            ("Ngozi Halvorsen", Gender::Unknown),
            ("Halvorsen", Gender::Unknown),
        ]);
        assert!(!unreached_by(&tie, &old, &new, &person(&[(120, 135)])));
    }

    #[test]
    fn entities_linked_again_keep_the_mentions_outside_only_when_those_are_the_same() {
        let shift = Shift::new(150, 150, 151);
        let cues = ParagraphAttribution::default();
        let old = vec![
            entity(0, "Kari Lund", &[(10, 14), (120, 124), (300, 304)]),
            entity(1, "Njeri Ha", &[(130, 138)]),
        ];
        let old_list = entity_mentions(&old);
        let change = change(&shift, &cues, Some(&old));
        // The edit changed the name typed in the re-split paragraph only.
        let new = vec![
            entity(0, "Kari Lund", &[(10, 14), (120, 124), (301, 305)]),
            entity(1, "Njeri Hal", &[(130, 139)]),
        ];
        assert_eq!(
            relinked_mentions(&old_list, &old, &new, &change),
            Some(Relinked {
                mentions: entity_mentions(&new),
                renumbered: None
            })
        );
        // An entity with mentions outside was renamed.
        let mut renamed = new.clone();
        renamed[0].name = "Kari Lundberg".into();
        assert_eq!(relinked_mentions(&old_list, &old, &renamed, &change), None);
        // A mention outside went to another entity (same names).
        let mut moved = new.clone();
        moved[1].name = "Njeri Ha".into();
        moved[0].mentions.pop();
        moved[1].mentions.push(Mention {
            span: Span::new(301, 305),
        });
        assert_eq!(relinked_mentions(&old_list, &old, &moved, &change), None);
    }

    #[test]
    fn an_entity_founded_in_the_edit_renumbers_the_later_ones_which_keep_their_mentions() {
        let shift = Shift::new(150, 150, 151);
        let cues = ParagraphAttribution::default();
        let old = vec![
            entity(0, "Kari Lund", &[(10, 14), (120, 124), (300, 304)]),
            entity(1, "Tor Haugen", &[(250, 260)]),
            entity(2, "Haugen", &[(400, 406)]),
        ];
        let old_list = entity_mentions(&old);
        let change = change(&shift, &cues, Some(&old));
        let founded = vec![
            entity(0, "Kari Lund", &[(10, 14), (120, 124), (301, 305)]),
            entity(1, "Njeri", &[(130, 135)]),
            entity(2, "Tor Haugen", &[(251, 261)]),
            entity(3, "Haugen", &[(401, 407)]),
        ];
        let relinked = relinked_mentions(&old_list, &old, &founded, &change);
        let renumbered = Renumbering::new(vec![Some(0), Some(2), Some(3)]);
        assert_eq!(
            relinked,
            Some(Relinked {
                mentions: entity_mentions(&founded),
                renumbered: Some(renumbered)
            })
        );
        // Two entities outside merged: a mention outside changed hands.
        let mut merged = founded.clone();
        merged.pop();
        merged[2].mentions.push(Mention {
            span: Span::new(401, 407),
        });
        assert_eq!(relinked_mentions(&old_list, &old, &merged, &change), None);
        // An entity first mentioned inside the edit lost that mention and now comes after
        // one it came before: the entities outside do not keep their order.
        let old = vec![
            entity(0, "Kari Lund", &[(120, 124), (300, 304)]),
            entity(1, "Tor Haugen", &[(250, 260)]),
        ];
        let change = super::tests::change(&shift, &cues, Some(&old));
        let reordered = vec![
            entity(0, "Tor Haugen", &[(251, 261)]),
            entity(1, "Kari Lund", &[(301, 305)]),
        ];
        let list = entity_mentions(&old);
        assert_eq!(relinked_mentions(&list, &old, &reordered, &change), None);
    }

    /// The table after paragraph 1 of `outside`, `old` went to `new`, made as the document
    /// pass makes it (from the re-split paragraphs' names alone unless `outside` gives a full
    /// name with a changed last word), with what it kept of the table before and what the
    /// other paragraph asks.
    fn table_after<'a>(
        outside: &'a ParagraphAttribution,
        old: &'a ParagraphAttribution,
        new: &'a ParagraphAttribution,
        shift: &'a Shift,
    ) -> (NameTable, Entries, Asked<'a>, Vec<&'a str>, Change<'a>) {
        let change = change(shift, old, None);
        let after = doc(&[outside, new, &NO_CUES]);
        let names = FullNames::of(&after, &change);
        let words = names.changed_last_words().unwrap();
        let asked = Asked::of(&after, &change, &words);
        let mut table = NameTable::new(&doc(&[outside, old, &NO_CUES]));
        let before = table.entries_for(&words);
        if asked.gives_full_name {
            table.rebuild_last_words(&words, &after);
        } else {
            table.replace_last_words(&words, &names.old, &names.new);
        }
        assert!(table == NameTable::new(&after));
        (table, before, asked, words, change)
    }

    #[test]
    fn the_table_with_the_changed_last_words_made_again_is_the_table_built_afresh() {
        let old = named(&[
            ("Njeri Halvorse", Gender::Unknown),
            ("Ada Halvorse", Gender::Female),
            ("Tor Haugen", Gender::Male),
        ]);
        let new = named(&[
            ("Njeri Halvorsen", Gender::Female),
            ("Ada Halvorse", Gender::Female),
            ("Njeri Halvorsen", Gender::Unknown),
            ("Tor Haugen", Gender::Male),
        ]);
        let shift = Shift::new(150, 150, 151);
        let outside = named(&[("Kari Lund", Gender::Female), ("Tor Haugen", Gender::Male)]);
        let (.., asked, words, _) = table_after(&outside, &old, &new, &shift);
        assert_eq!(words, ["Halvorse", "Halvorsen"]);
        assert!(!asked.gives_full_name);
        // The other paragraph gives full names the edit's last words end too.
        let outside = named(&[
            ("Kari Lund", Gender::Female),
            ("Ada Halvorsen", Gender::Unknown),
            ("Ole Halvorse", Gender::Male),
        ]);
        let (.., asked, _, _) = table_after(&outside, &old, &new, &shift);
        assert!(asked.gives_full_name);
    }

    #[test]
    fn a_paragraph_is_passed_over_only_when_it_asks_about_none_of_the_changed_words() {
        use crate::analysis::attribution::attribute_paragraph;
        use crate::analysis::QuoteKind;
        let texts = [
            "“We will stay,” said Halvorsen.",
            "the rain went on.",
            "Ada Halvorsen met the mayor on Tuesday.",
            "Mr. Halvorsen said the port would close.",
            "The port, Lund said, would close.",
            "Deputy Mayor Ole Lund: the port ‘will not close’",
            "the rain went on.",
        ];
        let quoted = |t: &str| -> Vec<(Span, QuoteKind)> {
            match (t.find(['“', '‘']), t.find(['”', '’'])) {
                (Some(a), Some(b)) => vec![(Span::new(a, b + 3), QuoteKind::Full)],
                _ => Vec::new(),
            }
        };
        let filtered: Vec<ParagraphAttribution> = texts
            .iter()
            .map(|t| attribute_paragraph(t, &quoted(t), &Default::default()))
            .collect();
        let unfiltered: Vec<ParagraphAttribution> = filtered
            .iter()
            .map(|p| ParagraphAttribution {
                asked_words: 0,
                ..p.clone()
            })
            .collect();
        // Every paragraph naming someone has its filter.
        for (p, t) in filtered.iter().zip(texts) {
            assert!(p.asked_words != 0 || !t.contains(char::is_uppercase), "{t}");
        }
        let shift = Shift::new(150, 150, 151);
        let cues = ParagraphAttribution::default();
        let change = change(&shift, &cues, None);
        let (filtered, unfiltered) = (
            doc(&filtered.iter().collect::<Vec<_>>()),
            doc(&unfiltered.iter().collect::<Vec<_>>()),
        );
        for words in [
            &["Halvorsen"][..],
            &["Lund"],
            &["Halvorse", "Halvorsen"],
            &["Ole"],
            &["Mayor"],
        ] {
            let asked = Asked::of(&filtered, &change, words);
            assert_eq!(asked, Asked::of(&unfiltered, &change, words), "{words:?}");
            let any = words.iter().any(|w| texts.iter().any(|t| t.contains(w)));
            assert_eq!(
                !asked.names.is_empty(),
                any && words != ["Ole"] && words != ["Mayor"],
                "{words:?}"
            );
        }
    }
}
