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
use super::names::NameTable;
use super::{check_only, sort_findings, Found, NamingFinding, Origin, Recheck};
use crate::analysis::shift::{MovedFrom, Shift};
use crate::analysis::{Analysis, Entity, Span};
use crate::config::register::{fold_name, name_words, Register};
use crate::features::article::Article;
use crate::features::suppress::SuppressionMemo;

/// One document's last check, for [`check_reusing`] to move. Empty at first. It also keeps the
/// document's last suppression comments, which the diagnostics move with the same edit.
#[derive(Default)]
pub struct NamingMemo {
    last: Option<Last>,
    /// The analysis of the check the last one replaced, for the caller to drop once its
    /// diagnostics are out ([`NamingMemo::take_retired`]).
    retired: Option<Arc<Analysis>>,
    pub(crate) suppressions: SuppressionMemo,
}

impl std::fmt::Debug for NamingMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let findings = self.last.as_ref().map(|last| last.found.len());
        f.debug_struct("NamingMemo")
            .field("findings", &findings)
            .finish()
    }
}

impl NamingMemo {
    /// The text of the document's last check, if any.
    pub(crate) fn text(&self) -> Option<&Arc<str>> {
        self.last.as_ref().map(|last| &last.text)
    }

    /// The analysis the last check replaced. In the server the memo holds the last `Arc` of
    /// the previous keystroke's analysis (the analyzer and the document have moved on), and
    /// dropping it walks all of it (4 % of the server's CPU over the 1 MB typing trace, inside
    /// the naming checks): the publish takes it and drops it after sending the diagnostics.
    /// One not taken goes at the next check.
    pub fn take_retired(&mut self) -> Option<Arc<Analysis>> {
        self.retired.take()
    }
}

/// A document's last check: what it read and what it found, each finding with its origin, and
/// what the rules read of each name seen.
struct Last {
    text: Arc<str>,
    analysis: Arc<Analysis>,
    register: Register,
    clusters: Arc<Clusters>,
    found: Vec<Found>,
    names: NameTable,
}

/// More changed entities than this, or than one in [`CHANGED_SHARE`] of them, and the checks
/// run afresh: a paste naming many people checks them again, which costs their mentions, not
/// the document's.
const CHANGED_KEPT: usize = 16;
const CHANGED_SHARE: usize = 8;

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
    let shifts = memo
        .text()
        .map(|last| Shift::between(last, text))
        .unwrap_or_default();
    check_reusing_shifted(memo, text, analysis, article, register, &shifts, None)
}

/// [`check_reusing`] given `shifts`, [`Shift::between`] the memo's last text and `text`
/// (worked out once for every memo of the diagnostics), and `moved`, the analyzer's word that
/// `analysis` is the last one moved, if it gave it.
pub(crate) fn check_reusing_shifted(
    memo: &mut NamingMemo,
    text: &Arc<str>,
    analysis: &Arc<Analysis>,
    article: &Article,
    register: &Register,
    shifts: &[Shift],
    moved: Option<&MovedFrom>,
) -> Vec<NamingFinding> {
    let mut last = memo.last.take();
    let mut names = last
        .as_mut()
        .map(|last| std::mem::take(&mut last.names))
        .unwrap_or_default();
    let reused = last.as_ref().and_then(|last| {
        if last.register != *register || !std::ptr::eq(article.text, &**text) {
            return None;
        }
        // The analyzer's shift first: typing at the end of a word, it moves the last analysis
        // by the replacement widened by the character before (see `Shift`), which the checks
        // would otherwise reach only after proving the narrow one item by item. Which shift is
        // tried first does not change the result: both candidates map the last text onto this
        // one (the bytes before `start` and from `old_end` on are the same), so a span that
        // touches neither's replaced bytes reads the same text moved by either; `reuse` keeps
        // an origin's findings only when everything the rules read of it (kinds, names,
        // descriptors, mentions none touching the edit, the quotations and blocks around
        // them) is the old one moved by the shift it tried, and a moved offset keeps its order,
        // so the rules decide as they did and find the old findings moved: a fresh check's.
        let by_analyzer = |shift: &&Shift| moved.is_some_and(|m| m.moved_by(shift));
        shifts
            .iter()
            .filter(by_analyzer)
            .chain(shifts.iter().filter(|shift| !by_analyzer(shift)))
            .find_map(|shift| reuse(last, text, analysis, moved, article, &mut names, shift))
    });
    let Reused { found, clusters } = reused.unwrap_or_else(|| {
        let clusters = clusters_of(&analysis.entities);
        Reused {
            found: check_only(article, register, &clusters, &mut names, &Recheck::All).0,
            clusters,
        }
    });
    // The register is cloned only when it changed (it may hold a newsroom's thousands of names).
    let (register, retired) = match last {
        Some(last) if last.register == *register => (last.register, Some(last.analysis)),
        last => (register.clone(), last.map(|last| last.analysis)),
    };
    memo.retired = retired;
    let out = found.iter().map(|f| f.finding.clone()).collect();
    memo.last = Some(Last {
        text: Arc::clone(text),
        analysis: Arc::clone(analysis),
        register,
        clusters,
        found,
        names,
    });
    out
}

/// The findings of a check worked out from the last one, and the clusters of variant
/// spellings of its entities.
struct Reused {
    found: Vec<Found>,
    clusters: Arc<Clusters>,
}

/// The findings over `analysis` from the last ones moved by `shift`, if everything the checks
/// read but a few entities is the same but moved (then the origins reading those are checked
/// again), and whether all of them were moved.
fn reuse(
    last: &Last,
    text: &str,
    analysis: &Arc<Analysis>,
    moved: Option<&MovedFrom>,
    article: &Article,
    names: &mut NameTable,
    shift: &Shift,
) -> Option<Reused> {
    // Line numbers ("introduced on line 4") past the edit change if a line break came or went:
    // the kept messages quoting them are rewritten, by the breaks the edit added.
    let changed_old = last.text.get(shift.start..shift.old_end)?;
    let changed_new = text.get(shift.start..shift.new_end)?;
    let breaks_added = line_breaks(changed_new).checked_sub(line_breaks(changed_old))?;
    let old = &*last.analysis;
    let renumbered = Renumbered::of(&old.entities, &analysis.entities, shift)?;
    // The analyzer's word: it made this analysis as the last one with every offset moved by
    // this very shift and everything else cloned (`moved_analysis`). Every comparison below
    // (quotations and blocks matched, entities' kinds, names, descriptors and mentions moved)
    // would then come out true, so they are skipped: the result is the one they would give,
    // and the argument in `check_reusing_shifted` holds as for any shift they let through.
    // What the word cannot say is how a mention touching the edit reads now: its entity is
    // checked again, as `entity_moved` has it. The word names both analyses by address (see
    // `MovedFrom`), so it cannot be taken for another pair.
    let whole_moved = moved.is_some_and(|m| m.proves(&last.analysis, analysis, shift));
    // Where a quotation or a block came, went or changed (a paragraph split or joined, a
    // heading made): a mention there may be in or out of a quotation, or of the copy, now.
    let dirty = if whole_moved {
        [None, None]
    } else {
        [
            unmatched(
                &old.quotes,
                &analysis.quotes,
                shift,
                |q| q.span,
                |a, b| shift.span(a.span) == Some(b.span),
            ),
            unmatched(
                &old.blocks,
                &analysis.blocks,
                shift,
                |b| b.span,
                |a, b| {
                    a.kind == b.kind
                        && a.level == b.level
                        && shift.span(a.span) == Some(b.span)
                        && match (a.dateline, b.dateline) {
                            (None, None) => true,
                            (Some(x), Some(y)) => shift.span(x) == Some(y),
                            _ => false,
                        }
                },
            ),
        ]
    };
    let dirty: Vec<Span> = dirty.into_iter().flatten().collect();
    let in_dirty = |e: &Entity| {
        !dirty.is_empty()
            && e.mentions.iter().any(|m| {
                dirty
                    .iter()
                    .any(|d| m.span.start <= d.end && m.span.end >= d.start)
            })
    };
    let mut changed: Vec<usize> = renumbered.added.clone();
    if whole_moved {
        let touched = |j: &usize| {
            analysis.entities[*j]
                .mentions
                .iter()
                .any(|m| shift.touches(m.span))
        };
        changed.extend(renumbered.pairs().map(|(_, j)| j).filter(touched));
    } else {
        for (i, j) in renumbered.pairs() {
            let entity = &analysis.entities[j];
            if !entity_moved(&old.entities[i], entity, shift) || in_dirty(entity) {
                changed.push(j);
            }
        }
    }
    // A deletion maps its start and its end to one offset (`Shift::collided`); what the checks
    // keep cannot be there: a mention touching the edit, or in a quotation or block that
    // changed, has its entity checked again, and a kept finding lies in a mention.
    let most = CHANGED_KEPT.max(analysis.entities.len() / CHANGED_SHARE);
    if changed.len() + renumbered.gone.len() > most {
        return None;
    }
    if changed.is_empty() && renumbered.gone.is_empty() {
        // The same kinds and names: the same clusters.
        let mut found = last.found.clone();
        move_findings(&mut found, shift, breaks_added)?;
        #[cfg(test)]
        REUSED.with(|n| n.set(n.get() + 1));
        #[cfg(test)]
        TRUSTED.with(|n| n.set(n.get() + usize::from(whole_moved)));
        return Some(Reused {
            found,
            clusters: Arc::clone(&last.clusters),
        });
    }
    let clusters = clusters_of(&analysis.entities);
    let changed: FxHashSet<usize> = changed.into_iter().collect();
    // The names before and after of the changed entities and those that went.
    let written = changed.iter().map(|&j| &analysis.entities[j].name).chain(
        renumbered
            .pairs()
            .filter(|&(_, j)| changed.contains(&j))
            .chain(renumbered.gone.iter().map(|&i| (i, usize::MAX)))
            .map(|(i, _)| &old.entities[i].name),
    );
    let words: FxHashSet<String> = written.flat_map(|n| name_words(n).map(fold_name)).collect();
    // A cluster is checked again if it holds a changed entity or was no cluster of the last
    // check (its findings there are unknown); the last check's findings of a cluster that is no
    // cluster now are not its own.
    let places = ClusterPlaces::of(&clusters, analysis.entities.len());
    let mut recheck: Vec<bool> = clusters
        .clusters
        .iter()
        .map(|members| {
            members
                .iter()
                .any(|&i| changed.contains(&clusters.people[i]))
        })
        .collect();
    let mut was_cluster = vec![false; recheck.len()];
    for members in &last.clusters.clusters {
        let mapped = members
            .iter()
            .map(|&i| renumbered.id(last.clusters.people[i]));
        if let Some(k) = places.cluster_of(mapped) {
            was_cluster[k] = true;
        }
    }
    for (again, was) in recheck.iter_mut().zip(&was_cluster) {
        *again |= !was;
    }
    let which = Recheck::Only {
        changed: &changed,
        words: &words,
        clusters: &recheck,
    };
    let (fresh, rechecked) = check_only(article, &last.register, &clusters, names, &which);
    // The other origins' findings, under their entities' new ids.
    let mut found: Vec<Found> = last
        .found
        .iter()
        .filter_map(|f| {
            let origin = match &f.origin {
                Origin::Person(id) => Origin::Person(renumbered.id(*id)?),
                Origin::Cluster(members) if renumbered.same => Origin::Cluster(Arc::clone(members)),
                Origin::Cluster(members) => Origin::Cluster(renumbered.all(members)?.into()),
            };
            let kept = match &origin {
                Origin::Person(id) => !rechecked.contains(id),
                Origin::Cluster(members) => places
                    .cluster_of(members.iter().map(|&e| Some(e)))
                    .is_some_and(|k| !recheck[k]),
            };
            kept.then(|| Found {
                origin,
                ..f.clone()
            })
        })
        .collect();
    move_findings(&mut found, shift, breaks_added)?;
    found.extend(fresh);
    sort_findings(&mut found);
    #[cfg(test)]
    PARTLY_REUSED.with(|n| n.set(n.get() + 1));
    #[cfg(test)]
    TRUSTED.with(|n| n.set(n.get() + usize::from(whole_moved)));
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

/// Which cluster of variant spellings each entity is in, and how many entities each holds.
struct ClusterPlaces {
    /// Per entity, its cluster (index into [`Clusters::clusters`]), `usize::MAX` for none.
    cluster: Vec<usize>,
    sizes: Vec<usize>,
}

impl ClusterPlaces {
    fn of(clusters: &Clusters, entities: usize) -> ClusterPlaces {
        let mut cluster = vec![usize::MAX; entities];
        for (k, members) in clusters.clusters.iter().enumerate() {
            for &i in members {
                if let Some(slot) = clusters.people.get(i).and_then(|&e| cluster.get_mut(e)) {
                    *slot = k;
                }
            }
        }
        let sizes = clusters.clusters.iter().map(Vec::len).collect();
        ClusterPlaces { cluster, sizes }
    }

    /// The cluster whose entities are exactly `entities` (distinct; `None` for one with no
    /// new index), if there is one.
    fn cluster_of(&self, entities: impl Iterator<Item = Option<usize>>) -> Option<usize> {
        let mut found = None;
        let mut count = 0;
        for e in entities {
            let k = *self.cluster.get(e?)?;
            if k == usize::MAX || found.is_some_and(|f| f != k) {
                return None;
            }
            found = Some(k);
            count += 1;
        }
        found.filter(|&k| self.sizes[k] == count)
    }
}

/// Moves the findings by `shift` (`None` if one falls in the replaced bytes), and when the
/// replacement added `breaks_added` line breaks (fewer when negative) rewrites the line numbers
/// their messages quote past it.
fn move_findings(found: &mut [Found], shift: &Shift, breaks_added: isize) -> Option<()> {
    for f in found {
        let NamingFinding { finding, fix } = &mut f.finding;
        finding.span = shift.span(finding.span)?;
        for edit in fix.iter_mut().flat_map(|fix| fix.edits.iter_mut()) {
            edit.span = shift.span(edit.span)?;
        }
        if let Some(line) = &mut f.line {
            let was = line.at;
            line.at = shift.offset(was)?;
            // A line's number is one more than the breaks before it: those before the edit
            // stayed, and one past it has the old text's less the replaced bytes' plus the new
            // ones' before it. Counted from the edit, not looked up in the whole text's index.
            if breaks_added != 0 && was > shift.start {
                let now = line.line.checked_add_signed(breaks_added)?;
                finding.message = line.renumbered(&finding.message, now)?.into();
                line.line = now;
            }
        }
    }
    Some(())
}

/// The line breaks (`\n`, as [`Article::line`] counts lines) in `text`.
fn line_breaks(text: &str) -> isize {
    let count = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    isize::try_from(count).unwrap_or(isize::MAX)
}

/// The bytes (new offsets) covered by the items of `old` (moved, a part in the replaced bytes
/// taken as all of them) and `new` that do not match (`same`) in the runs they share at the
/// start and at the end: `None` when every item matches.
fn unmatched<T>(
    old: &[T],
    new: &[T],
    shift: &Shift,
    span: impl Fn(&T) -> Span,
    same: impl Fn(&T, &T) -> bool,
) -> Option<Span> {
    let head = old.iter().zip(new).take_while(|(a, b)| same(a, b)).count();
    let (old, new) = (&old[head..], &new[head..]);
    let tail = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take_while(|(a, b)| same(a, b))
        .count();
    let (old, new) = (&old[..old.len() - tail], &new[..new.len() - tail]);
    // Old offsets moved, those in the replaced bytes to its start (starts) or end (ends).
    let moved = |x: usize, inside: usize| {
        if x <= shift.start {
            x
        } else if x >= shift.old_end {
            x - shift.old_end + shift.new_end
        } else {
            inside
        }
    };
    let starts = old
        .iter()
        .map(|x| moved(span(x).start, shift.start))
        .chain(new.iter().map(|x| span(x).start));
    let ends = old
        .iter()
        .map(|x| moved(span(x).end, shift.new_end))
        .chain(new.iter().map(|x| span(x).end));
    Some(Span::new(starts.min()?, ends.max()?))
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
    /// How many of those took the analyzer's word instead of comparing (tests only).
    static TRUSTED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
mod tests;
