//! The naming findings of a document's last check, reused across an edit that only moved what
//! the checks read, or changed a few entities.
//!
//! Both naming rules read the entities (kinds, names, mention spans), the quotation and block
//! spans, the text of each mention, line numbers and the register. A keystroke that changes
//! none of them but by moving offsets (a letter typed in a lowercase word or inside a
//! quotation, on one line) leaves the findings as they were, moved: [`check_reusing`] then
//! moves the last ones instead of running the checks. A keystroke that changes a few entities
//! (a letter of a name being typed renames its entity) leaves the findings of every other
//! origin ([`Origin`]: a person, a cluster of variant spellings) that reads none of them as
//! they were, moved: only the changed ones are checked again. A letter that founds, splits or
//! merges an entity renumbers every entity first mentioned after it (ids follow first
//! mentions): the entities are matched by their first mention and the findings kept under
//! their new ids ([`Renumbered`]); those that went count as changed. The memo
//! ([`NamingMemo`]) belongs to one document: the server keeps it with the open document, so it
//! goes when the document closes.

use std::sync::Arc;

use rustc_hash::FxHashSet;

use super::clusters::{clusters_of, Clusters};
use super::variants::cluster_entities;
use super::{check_only, sort_findings, NamingFinding, Origin, Recheck};
use crate::analysis::shift::Shift;
use crate::analysis::{Analysis, Entity};
use crate::config::register::{fold_name, name_words, Register};
use crate::features::article::Article;

/// One document's last check, for [`check_reusing`] to move. Empty at first.
#[derive(Default)]
pub struct NamingMemo(Option<Last>);

impl std::fmt::Debug for NamingMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let findings = self.0.as_ref().map(|last| last.found.len());
        f.debug_struct("NamingMemo")
            .field("findings", &findings)
            .finish()
    }
}

/// A document's last check: what it read and what it found, each finding with its origin.
struct Last {
    text: Arc<str>,
    analysis: Arc<Analysis>,
    register: Register,
    clusters: Arc<Clusters>,
    found: Vec<(NamingFinding, Origin)>,
}

/// More changed entities than this and the checks run afresh (reuse is for keystrokes).
const CHANGED_KEPT: usize = 16;

/// [`super::check`] of `article` (whose text and analysis are `text` and `analysis`), reusing
/// the findings of the document's last check (`memo`, then replaced by this one) moved when the
/// edit between them only moved what the checks read, and those of the origins the edit left
/// alone when it changed a few entities. The result is the same as `check`'s.
pub fn check_reusing(
    memo: &mut NamingMemo,
    text: &Arc<str>,
    analysis: &Arc<Analysis>,
    article: &Article,
    register: &Register,
) -> Vec<NamingFinding> {
    let last = memo.0.take();
    let reused = last.as_ref().and_then(|last| {
        if last.register != *register || !std::ptr::eq(article.text, &**text) {
            return None;
        }
        Shift::between(&last.text, text)
            .into_iter()
            .find_map(|shift| reuse(last, text, analysis, article, &shift))
    });
    let Reused { found, clusters } = reused.unwrap_or_else(|| {
        let clusters = clusters_of(&analysis.entities);
        Reused {
            found: check_only(article, register, &clusters, &Recheck::All).0,
            clusters,
        }
    });
    // The register is cloned only when it changed (it may hold a newsroom's thousands of names).
    let register = match last {
        Some(last) if last.register == *register => last.register,
        _ => register.clone(),
    };
    let out = found.iter().map(|(f, _)| f.clone()).collect();
    memo.0 = Some(Last {
        text: Arc::clone(text),
        analysis: Arc::clone(analysis),
        register,
        clusters,
        found,
    });
    out
}

/// The findings of a check worked out from the last one, and the clusters of variant
/// spellings of its entities.
struct Reused {
    found: Vec<(NamingFinding, Origin)>,
    clusters: Arc<Clusters>,
}

/// The findings over `analysis` from the last ones moved by `shift`, if everything the checks
/// read but a few entities is the same but moved (then the origins reading those are checked
/// again), and whether all of them were moved.
fn reuse(
    last: &Last,
    text: &str,
    analysis: &Analysis,
    article: &Article,
    shift: &Shift,
) -> Option<Reused> {
    // Line numbers ("introduced on line 4") stay only if no line break came or went.
    let changed_old = last.text.get(shift.start..shift.old_end)?;
    let changed_new = text.get(shift.start..shift.new_end)?;
    if changed_old.contains('\n') || changed_new.contains('\n') {
        return None;
    }
    let old = &*last.analysis;
    let renumbered = Renumbered::of(&old.entities, &analysis.entities, shift)?;
    let mut changed: Vec<usize> = renumbered.added.clone();
    for (i, j) in renumbered.pairs() {
        if !entity_moved(&old.entities[i], &analysis.entities[j], shift) {
            changed.push(j);
        }
    }
    if changed.len() + renumbered.gone.len() > CHANGED_KEPT {
        return None;
    }
    let same = old.quotes.len() == analysis.quotes.len()
        && old
            .quotes
            .iter()
            .zip(&analysis.quotes)
            .all(|(a, b)| shift.span(a.span) == Some(b.span))
        && old.blocks.len() == analysis.blocks.len()
        && old.blocks.iter().zip(&analysis.blocks).all(|(a, b)| {
            a.kind == b.kind
                && a.level == b.level
                && shift.span(a.span) == Some(b.span)
                && match (a.dateline, b.dateline) {
                    (None, None) => true,
                    (Some(x), Some(y)) => shift.span(x) == Some(y),
                    _ => false,
                }
        });
    if !same || shift.collided() {
        return None;
    }
    if changed.is_empty() && renumbered.gone.is_empty() {
        // The same kinds and names: the same clusters.
        let mut found = last.found.clone();
        move_findings(&mut found, shift)?;
        #[cfg(test)]
        REUSED.with(|n| n.set(n.get() + 1));
        return Some(Reused {
            found,
            clusters: Arc::clone(&last.clusters),
        });
    }
    let clusters = clusters_of(&analysis.entities);
    let changed: FxHashSet<usize> = changed.into_iter().collect();
    // The names before and after of the changed entities and those that went.
    let names = changed.iter().map(|&j| &analysis.entities[j].name).chain(
        renumbered
            .pairs()
            .filter(|&(_, j)| changed.contains(&j))
            .chain(renumbered.gone.iter().map(|&i| (i, usize::MAX)))
            .map(|(i, _)| &old.entities[i].name),
    );
    let words: FxHashSet<String> = names.flat_map(|n| name_words(n).map(fold_name)).collect();
    // A cluster is checked again if it holds a changed entity or was no cluster of the last
    // check (its findings there are unknown); the last check's findings of a cluster that is no
    // cluster now are not its own.
    let old_clusters: FxHashSet<Vec<usize>> = last
        .clusters
        .clusters
        .iter()
        .filter_map(|members| {
            let entities = cluster_entities(&last.clusters, members);
            match renumbered.same {
                true => Some(entities),
                false => renumbered.all(&entities),
            }
        })
        .collect();
    let new_clusters: Vec<Vec<usize>> = clusters
        .clusters
        .iter()
        .map(|members| cluster_entities(&clusters, members))
        .collect();
    let recheck: Vec<bool> = new_clusters
        .iter()
        .map(|m| m.iter().any(|e| changed.contains(e)) || !old_clusters.contains(m))
        .collect();
    let kept: FxHashSet<&[usize]> = new_clusters
        .iter()
        .zip(&recheck)
        .filter(|(_, &again)| !again)
        .map(|(m, _)| m.as_slice())
        .collect();
    let which = Recheck::Only {
        changed: &changed,
        words: &words,
        clusters: &recheck,
    };
    let (fresh, rechecked) = check_only(article, &last.register, &clusters, &which);
    // The other origins' findings, under their entities' new ids.
    let mut found: Vec<(NamingFinding, Origin)> = last
        .found
        .iter()
        .filter_map(|(finding, origin)| {
            let origin = match origin {
                Origin::Person(id) => Origin::Person(renumbered.id(*id)?),
                Origin::Cluster(members) if renumbered.same => Origin::Cluster(Arc::clone(members)),
                Origin::Cluster(members) => Origin::Cluster(renumbered.all(members)?.into()),
            };
            let kept = match &origin {
                Origin::Person(id) => !rechecked.contains(id),
                Origin::Cluster(members) => kept.contains(&**members),
            };
            kept.then(|| (finding.clone(), origin))
        })
        .collect();
    move_findings(&mut found, shift)?;
    if shift.collided() {
        return None;
    }
    found.extend(fresh);
    sort_findings(&mut found);
    #[cfg(test)]
    PARTLY_REUSED.with(|n| n.set(n.get() + 1));
    Some(Reused { found, clusters })
}

/// The last check's entities matched to this one's by their first mention, moved: ids follow
/// first mentions, so a letter that founds, splits or merges an entity gives every entity first
/// mentioned after it a new id, and its findings are kept under that id.
struct Renumbered {
    /// Per old entity (index = id), its new index.
    map: Vec<Option<usize>>,
    /// The new entities first mentioned where no old one was, ascending.
    added: Vec<usize>,
    /// The old entities first mentioned where no new one is, ascending.
    gone: Vec<usize>,
    /// Every entity kept its index.
    same: bool,
}

impl Renumbered {
    /// `None` when an entity's id is not its index (the findings' origins are ids).
    fn of(old: &[Entity], new: &[Entity], shift: &Shift) -> Option<Renumbered> {
        if old.iter().enumerate().any(|(i, e)| e.id != i)
            || new.iter().enumerate().any(|(j, e)| e.id != j)
        {
            return None;
        }
        let mut map = vec![None; old.len()];
        let (mut added, mut gone) = (Vec::new(), Vec::new());
        let (mut i, mut j) = (0, 0);
        let first = |e: &Entity| e.mentions.first().map(|m| m.span);
        while i < old.len() || j < new.len() {
            let was = old.get(i).map(|e| first(e).and_then(|s| shift.span(s)));
            let is = new.get(j).map(first);
            match (was, is) {
                (Some(Some(a)), Some(Some(b))) if a == b => {
                    map[i] = Some(j);
                    (i, j) = (i + 1, j + 1);
                }
                (Some(Some(a)), Some(Some(b))) if a.start == b.start => {
                    gone.push(i);
                    added.push(j);
                    (i, j) = (i + 1, j + 1);
                }
                (Some(Some(a)), Some(Some(b))) if b.start < a.start => {
                    added.push(j);
                    j += 1;
                }
                (_, Some(Some(_))) if i >= old.len() => {
                    added.push(j);
                    j += 1;
                }
                (Some(_), _) => {
                    gone.push(i);
                    i += 1;
                }
                _ => return None, // an entity with no mention
            }
        }
        let same = added.is_empty()
            && gone.is_empty()
            && map.iter().enumerate().all(|(i, &j)| j == Some(i));
        Some(Renumbered {
            map,
            added,
            gone,
            same,
        })
    }

    /// The (old, new) index of every entity matched.
    fn pairs(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.map
            .iter()
            .enumerate()
            .filter_map(|(i, j)| Some((i, (*j)?)))
    }

    fn id(&self, old: usize) -> Option<usize> {
        self.map.get(old).copied().flatten()
    }

    /// The new indices of `old` ones (ascending stays ascending), if each has one.
    fn all(&self, old: &[usize]) -> Option<Vec<usize>> {
        old.iter().map(|&i| self.id(i)).collect()
    }
}

/// Moves the findings by `shift` (`None` if one falls in the replaced bytes).
fn move_findings(found: &mut [(NamingFinding, Origin)], shift: &Shift) -> Option<()> {
    for (f, _) in found {
        f.finding.span = shift.span(f.finding.span)?;
        for edit in f.fix.iter_mut().flat_map(|fix| fix.edits.iter_mut()) {
            edit.span = shift.span(edit.span)?;
        }
    }
    Some(())
}

/// The same entity with its mentions moved, none touching the edit (so each reads the same).
fn entity_moved(old: &Entity, new: &Entity, shift: &Shift) -> bool {
    old.kind == new.kind
        && old.name == new.name
        && old.descriptors == new.descriptors
        && old.mentions.len() == new.mentions.len()
        && old
            .mentions
            .iter()
            .zip(&new.mentions)
            .all(|(a, b)| shift.span(a.span) == Some(b.span) && !shift.touches(b.span))
}

#[cfg(test)]
thread_local! {
    /// How many checks on this thread reused the last findings (tests only).
    static REUSED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// How many checks on this thread reused the findings of the entities an edit left alone
    /// (tests only).
    static PARTLY_REUSED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Analyzer, Edit};
    use crate::config::Config;
    use crate::features::article::Language;
    use crate::features::diagnostics::{diagnostics, diagnostics_reusing};

    const STORY: &str = "Ferry fares rise\n\nOkafor said the vote was close. Later, Chidi Okafor said it again, and Chidi Okafor repeated it.\n\nThe mayor called the plan “a long, slow disaster for the island” on Monday.\n\nAda Kroft, an analyst, said: “Prices will keep rising.”\nKroft said Mila Zelenskiy met Mila Zelensky.\n";

    /// At every character of the story: type a letter, then delete it, then type a line break
    /// and delete it; after each keystroke the diagnostics reusing the last naming findings
    /// equal those computed afresh (names typed into, quotations grown, lines renumbered).
    #[test]
    fn reused_findings_equal_fresh_ones_keystroke_by_keystroke() {
        let config = Config::default();
        let mut text = STORY.to_owned();
        let mut analyzer = Analyzer::default();
        analyzer.reset(&text);
        let positions: Vec<usize> = STORY.char_indices().map(|(i, _)| i).collect();
        let before = REUSED.with(|r| r.get());
        let mut memo = NamingMemo::default();
        for at in positions {
            for typed in ["x", "\n"] {
                for (start, old_end, insert) in [(at, at, typed), (at, at + typed.len(), "")] {
                    text.replace_range(start..old_end, insert);
                    let edit = Edit {
                        start,
                        old_end,
                        new_end: start + insert.len(),
                    };
                    let analysis = analyzer.update(&text, &[edit]);
                    let shared: Arc<str> = Arc::from(text.as_str());
                    let article = Article::new(&shared, &analysis, Language::PlainText);
                    let reused =
                        diagnostics_reusing(&mut memo, &shared, &analysis, &article, &config);
                    assert_eq!(reused, diagnostics(&article, &config), "{text:?}");
                }
            }
        }
        let fresh = crate::analysis::analyze(STORY);
        let story = Article::new(STORY, &fresh, Language::PlainText);
        assert!(!super::super::check(&story, &config.register).is_empty());
        assert!(REUSED.with(|r| r.get()) > before);
    }

    /// What each keystroke of typing `typed` at byte `at` of `story` did with the last naming
    /// findings: `Some(true)` moved them all, `Some(false)` kept those of the origins it left
    /// alone, `None` checked afresh. Each result is compared with a fresh check; the story's
    /// own findings are checked before the first keystroke (as the server does on open).
    fn typed_naming(story: &str, at: usize, typed: &str) -> Vec<Option<bool>> {
        let config = Config::default();
        let mut text = story.to_owned();
        let mut analyzer = Analyzer::default();
        let mut memo = NamingMemo::default();
        let opened = analyzer.reset(&text);
        let shared: Arc<str> = Arc::from(text.as_str());
        let article = Article::new(&shared, &opened, Language::PlainText);
        diagnostics_reusing(&mut memo, &shared, &opened, &article, &config);
        let mut pos = at;
        let mut paths = Vec::new();
        for c in typed.chars() {
            let edit = Edit::apply(&mut text, pos..pos, c.encode_utf8(&mut [0; 4]));
            pos = edit.new_end;
            let analysis = analyzer.update(&text, &[edit]);
            let shared: Arc<str> = Arc::from(text.as_str());
            let article = Article::new(&shared, &analysis, Language::PlainText);
            let count = || (REUSED.with(|r| r.get()), PARTLY_REUSED.with(|r| r.get()));
            let before = count();
            let reused = diagnostics_reusing(&mut memo, &shared, &analysis, &article, &config);
            assert_eq!(reused, diagnostics(&article, &config), "{text:?}");
            let after = count();
            paths.push(match (after.0 > before.0, after.1 > before.1) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            });
        }
        paths
    }

    /// Sentences typed after a sentence of the story: a name sharing a surname with someone
    /// (whose later full names then stop being flagged), a variant spelling that joins a
    /// cluster and, letter by letter, leaves it again, a new person, an existing one.
    const SENTENCES: [&str; 5] = [
        " Ngozi Okafor said so.",
        " Mila Zelenskyyyy met them.",
        " Ada Krofft agreed.",
        " Tove Lindqvist spoke.",
        " Chidi Okafor left.",
    ];

    /// After each keystroke of names typed letter by letter the findings reusing those of the
    /// origins the keystroke left alone equal those computed afresh, and many keystrokes reuse
    /// them (the others move every finding, or found or merge an entity: then the number of
    /// entities changes and everything is checked).
    #[test]
    fn names_typed_letter_by_letter_reuse_the_other_findings() {
        let story = STORY.repeat(3);
        let after = ["close.", "Zelensky.", "Monday.", "repeated it.", "close."];
        let mut paths = Vec::new();
        for ((typed, after), k) in SENTENCES.iter().zip(after).zip(1..) {
            let (i, _) = story.match_indices(after).nth(k % 3).unwrap();
            paths.extend(typed_naming(&story, i + after.len(), typed));
        }
        let partly = paths.iter().filter(|&&p| p == Some(false)).count();
        assert!(partly * 3 > paths.len(), "{paths:?}");
    }

    /// Which path each keystroke of a new person's name takes: until the tagger sees a name
    /// the findings only move; the letter that founds the entity ("Tove": one entity more, every
    /// later one renumbered), the space and each letter of the surname check only that person
    /// again.
    #[test]
    fn a_new_persons_letters_check_only_that_person_again() {
        let story = STORY.repeat(3);
        let at = story.match_indices("Monday.").nth(1).unwrap().0 + "Monday.".len();
        let paths = typed_naming(&story, at, " Tove Lindqvist");
        let (moved, kept) = (Some(true), Some(false));
        assert_eq!(paths[..4], [moved; 4], "{paths:?}");
        assert_eq!(paths[4..], [kept; 11], "{paths:?}");
    }

    /// A name that founds a person ("Chidi": one entity more), then joins Chidi Okafor
    /// (one fewer) and leaves him again ("Chidi N": one more): each time every entity first
    /// mentioned after it takes a new id, and the findings of the people and clusters the letter
    /// left alone are kept under the new ids.
    #[test]
    fn letters_that_found_merge_or_split_a_person_check_only_the_changed_ones_again() {
        let story = STORY.repeat(3);
        let at = story.match_indices("Monday.").nth(1).unwrap().0 + "Monday.".len();
        let typed = " Chidi Nwosu";
        let mut text = story.clone();
        let mut counts = vec![crate::analysis::analyze(&text).entities.len()];
        for (k, c) in typed.char_indices() {
            text.insert(at + k, c);
            counts.push(crate::analysis::analyze(&text).entities.len());
        }
        assert_eq!(counts, [4, 4, 4, 4, 5, 4, 4, 4, 5, 5, 5, 5, 5]);
        let paths = typed_naming(&story, at, typed);
        assert_eq!(paths[3..], [Some(false); 9], "{paths:?}");
    }

    /// A letter typed at the end of Ngozi Okafor's only mention gives a new person (first
    /// mentioned at the same byte) and takes hers away: Chidi Okafor no longer shares his
    /// surname with anyone, so his later full names are flagged again; he is checked again for
    /// the name that went.
    #[test]
    fn a_person_that_goes_has_those_sharing_her_name_checked_again() {
        let story = STORY.replace("Okafor said the vote was close.", "Ngozi Okafor said so.");
        let at = story.find("Ngozi Okafor").unwrap() + "Ngozi Okafor".len();
        let paths = typed_naming(&story, at, "x");
        assert_eq!(paths, [Some(false)]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..proptest::prelude::ProptestConfig::default() })]

        /// A sentence with a name typed letter by letter anywhere in the story: every keystroke's
        /// reused findings equal a fresh check's.
        #[test]
        fn a_name_typed_anywhere_keeps_the_findings_fresh(sentence in 0usize..SENTENCES.len(), at in 0usize..10_000) {
            let story = STORY.repeat(2);
            let boundaries: Vec<usize> = story.char_indices().map(|(i, _)| i).chain([story.len()]).collect();
            typed_naming(&story, boundaries[at % boundaries.len()], SENTENCES[sentence]);
        }
    }
}
