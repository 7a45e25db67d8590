//! The clusters of variant spellings `name-variant` compares: people (and lone words spelled
//! like a person's name) whose names may be one name spelled two ways.
//!
//! Whether two names are variants ([`variant_spelled`]) depends on the two names only, so the
//! pairs are worked out once per name and kept between checks in a [`NameGraph`]: a keystroke
//! that changes one entity's name costs that name's comparisons, not every pair of people again.
//! The clusters are then the connected components of the variant pairs among the article's
//! names, which is cheap.

use rustc_hash::FxHashMap;
use std::sync::{Arc, Mutex};

use super::spelling::{spelling_keys, variant_spelled, ByKey, Spelled};
use super::NOT_IN_PERSONAL_NAMES;
use crate::analysis::{Entity, EntityKind};
use crate::config::register::name_words;

/// The people (indices into the entities) that the naming rule compares, and their clusters of
/// variant spellings (indices into the people, each ascending; clusters sorted).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Clusters {
    pub(super) people: Vec<usize>,
    pub(super) clusters: Vec<Vec<usize>>,
}

/// One name: its words and the names it forms a variant pair with.
#[derive(Debug)]
struct NameNode {
    words: Vec<String>,
    /// The words spelled out, once (every name added later may be compared with them).
    spelled: Vec<Spelled<'static>>,
    /// A word of it never occurs in a person's name ([`super::personal`]).
    impersonal: bool,
    /// `(other, variant_spelled(self, other), variant_spelled(other, self))` for every other
    /// name with either true.
    variants: Vec<(usize, bool, bool)>,
}

/// Every name the checks have seen (as its words), with the variant pairs among them, and an
/// index from each folded word's spelling keys to the names holding it, so that a new name is
/// compared only with the names sharing a spelling key with one of its words (a superset of
/// its variant pairs: every word of the shorter name of a pair matches a word of the longer,
/// and matching words share a key; see [`super::spelling::SpellingIndex`]).
#[derive(Debug, Default)]
struct NameGraph {
    /// Entity name as written → name id.
    by_written: FxHashMap<String, usize>,
    /// Name words joined by a space → name id.
    by_words: FxHashMap<String, usize>,
    nodes: Vec<NameNode>,
    /// Folded word → its id.
    folds: FxHashMap<String, usize>,
    /// Per folded word: the names holding it, ascending.
    names_with: Vec<Vec<usize>>,
    /// Spelling key → the folded words having it.
    by_key: ByKey,
    /// Per name, and per folded word: the last name whose candidates listed it, plus one. A
    /// common word brings hundreds of names under each of its keys: these keep the candidate
    /// list free of repeats without sorting them all.
    name_listed: Vec<usize>,
    fold_listed: Vec<usize>,
    /// The last few results with what they were computed from, every entity's kind and name in
    /// order (most keystrokes change neither; several open documents each keep theirs).
    recent: Vec<(NamesKey, Arc<Clusters>)>,
}

/// Every entity's kind and name id, in order: what a result of [`NameGraph::clusters`] depends
/// on. Ids, not the names: typing a name makes a new key per letter, and a long article's
/// names copied into each of the kept keys cost more than the clusters.
type NamesKey = Vec<(EntityKind, usize)>;

/// How many results [`NameGraph::recent`] keeps.
const RECENT_KEPT: usize = 8;

/// More names than this and the graph starts afresh (typing a long name leaves every prefix).
const MAX_NAMES: usize = 50_000;

impl NameGraph {
    /// The id of the name an entity is written as, comparing it with every known name the
    /// first time it is seen.
    fn id(&mut self, written: &str) -> usize {
        if let Some(&id) = self.by_written.get(written) {
            return id;
        }
        let words: Vec<&str> = name_words(written).collect();
        let joined = words.join(" ");
        let id = match self.by_words.get(&joined) {
            Some(&id) => id,
            None => self.add(&words, joined),
        };
        self.by_written.insert(written.to_string(), id);
        id
    }

    fn add(&mut self, words: &[&str], joined: String) -> usize {
        let id = self.nodes.len();
        let spelled: Vec<Spelled> = words.iter().map(|w| Spelled::new(w)).collect();
        // Names sharing a spelling key with one of the words, found before this name is filed.
        let mut candidates: Vec<usize> = Vec::new();
        let mut folds = Vec::with_capacity(spelled.len());
        let stamp = id + 1;
        for w in &spelled {
            let keys = spelling_keys(&w.chars);
            for k in &keys {
                for &f in self.by_key.get(k).into_iter().flatten() {
                    if std::mem::replace(&mut self.fold_listed[f], stamp) == stamp {
                        continue;
                    }
                    for &n in &self.names_with[f] {
                        if std::mem::replace(&mut self.name_listed[n], stamp) != stamp {
                            candidates.push(n);
                        }
                    }
                }
            }
            let fold = match self.folds.get(&w.fold) {
                Some(&f) => f,
                None => {
                    let f = self.names_with.len();
                    self.folds.insert(w.fold.clone(), f);
                    self.names_with.push(Vec::new());
                    self.fold_listed.push(stamp);
                    for k in keys {
                        self.by_key.entry(k).or_default().push(f);
                    }
                    f
                }
            };
            folds.push(fold);
        }
        candidates.sort_unstable();
        let mut variants = Vec::new();
        for other in candidates {
            let theirs = &self.nodes[other].spelled;
            let ours_first = variant_spelled(&spelled, theirs);
            // Names of different lengths are compared shorter against longer either way.
            let theirs_first = if spelled.len() == theirs.len() {
                variant_spelled(theirs, &spelled)
            } else {
                ours_first
            };
            if ours_first || theirs_first {
                variants.push((other, ours_first, theirs_first));
                self.nodes[other]
                    .variants
                    .push((id, theirs_first, ours_first));
            }
        }
        for f in folds {
            if self.names_with[f].last() != Some(&id) {
                self.names_with[f].push(id);
            }
        }
        self.name_listed.push(0);
        self.nodes.push(NameNode {
            words: words.iter().map(|w| w.to_string()).collect(),
            spelled: spelled.into_iter().map(Spelled::detach).collect(),
            impersonal: words
                .iter()
                .any(|w| NOT_IN_PERSONAL_NAMES.contains(&w.to_lowercase().as_str())),
            variants,
        });
        self.by_words.insert(joined, id);
        id
    }

    /// [`Self::clusters`], or the same result kept from an earlier call with the same kinds and
    /// names.
    fn cached(&mut self, entities: &[Entity]) -> Arc<Clusters> {
        self.start_afresh_if_full();
        let key: NamesKey = entities
            .iter()
            .map(|e| (e.kind, self.id(&e.name)))
            .collect();
        if let Some((_, hit)) = self.recent.iter().find(|(kept, _)| *kept == key) {
            return Arc::clone(hit);
        }
        let ids: Vec<usize> = key.iter().map(|&(_, id)| id).collect();
        let computed = Arc::new(self.clusters_of_ids(entities, &ids));
        if self.recent.len() >= RECENT_KEPT {
            self.recent.remove(0);
        }
        self.recent.push((key, Arc::clone(&computed)));
        computed
    }

    /// Past [`MAX_NAMES`] names the graph (and the results kept with its ids) starts afresh.
    fn start_afresh_if_full(&mut self) {
        if self.nodes.len() > MAX_NAMES {
            *self = NameGraph::default();
        }
    }

    #[cfg(test)]
    fn clusters(&mut self, entities: &[Entity]) -> Clusters {
        self.start_afresh_if_full();
        let ids: Vec<usize> = entities.iter().map(|e| self.id(&e.name)).collect();
        self.clusters_of_ids(entities, &ids)
    }

    /// The clusters of `entities`, whose names have the ids `ids` in this graph.
    fn clusters_of_ids(&self, entities: &[Entity], ids: &[usize]) -> Clusters {
        // People, and lone capitalised words the tagger gave another kind that are spelled like
        // a person's name ("Dorofeev said" tagged as a place next to "Yevhen Dorofeyev").
        let mut people: Vec<usize> = (0..entities.len())
            .filter(|&i| entities[i].kind == EntityKind::Person && !self.nodes[ids[i]].impersonal)
            .collect();
        let mut person_names: Vec<usize> = people.iter().map(|&p| ids[p]).collect();
        person_names.sort_unstable();
        person_names.dedup();
        for (i, e) in entities.iter().enumerate() {
            let node = &self.nodes[ids[i]];
            if e.kind == EntityKind::Person || node.words.len() != 1 {
                continue;
            }
            // A person `p` with `variant_spelled(p, word)`.
            if node.variants.iter().any(|&(other, _, theirs_first)| {
                theirs_first && person_names.binary_search(&other).is_ok()
            }) {
                people.push(i);
            }
        }
        // Union-find over the pairs (earlier, later) that are variants, as the comparison of
        // every pair in that order would find them. The people holding each name are found in
        // a sorted list rather than a map of lists (a list per name was most of this on every
        // name letter at 1 MB).
        let mut holding: Vec<(usize, usize)> = people
            .iter()
            .enumerate()
            .map(|(k, &i)| (ids[i], k))
            .collect();
        holding.sort_unstable();
        let mut parent: Vec<usize> = (0..people.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        for (a, &i) in people.iter().enumerate() {
            for &(other, ours_first, _) in &self.nodes[ids[i]].variants {
                if !ours_first {
                    continue;
                }
                let from = holding.partition_point(|&(id, _)| id < other);
                for &(_, b) in holding[from..].iter().take_while(|&&(id, _)| id == other) {
                    if a < b {
                        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                        parent[ra] = rb;
                    }
                }
            }
        }
        // Clusters are disjoint and each ascending, so in order of their first members they
        // are sorted: numbered as their first member is met, no sort is needed.
        let mut numbered = vec![usize::MAX; people.len()];
        let mut clusters: Vec<Vec<usize>> = Vec::new();
        for i in 0..people.len() {
            let r = root(&mut parent, i);
            if numbered[r] == usize::MAX {
                numbered[r] = clusters.len();
                clusters.push(Vec::new());
            }
            clusters[numbered[r]].push(i);
        }
        Clusters { people, clusters }
    }
}

/// Every document's names share one graph: a name's variant pairs do not depend on the article.
static NAMES: Mutex<Option<NameGraph>> = Mutex::new(None);

pub(super) fn clusters_of(entities: &[Entity]) -> Arc<Clusters> {
    match NAMES.lock() {
        Ok(mut graph) => graph
            .get_or_insert_with(NameGraph::default)
            .cached(entities),
        // A panic while the graph was being changed: start it afresh rather than trust it.
        Err(poisoned) => {
            let mut graph = poisoned.into_inner();
            *graph = Some(NameGraph::default());
            NAMES.clear_poison();
            graph
                .get_or_insert_with(NameGraph::default)
                .cached(entities)
        }
    }
}

/// The clusters from nothing, comparing the pairs [`super::spelling::SpellingIndex`] proposes:
/// what [`clusters_of`] must equal.
#[cfg(test)]
pub(super) fn compute_clusters(entities: &[Entity]) -> Clusters {
    use super::spelling::{spell_all, SpellingIndex};
    use super::{names_of, personal};
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
        if person_index
            .names_matching_spelled(&spelled[0])
            .into_iter()
            .any(|p| variant_spelled(&names[p], &spelled))
        {
            people.push(i);
            names.push(spelled);
        }
    }
    let mut parent: Vec<usize> = (0..people.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let index = SpellingIndex::of(&names);
    for i in 0..people.len() {
        for j in index.candidates(i) {
            if j == i || names[j].len() < names[i].len() {
                continue;
            }
            let (a, b) = (i.min(j), i.max(j));
            if variant_spelled(&names[a], &names[b]) {
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                parent[ra] = rb;
            }
        }
    }
    let mut clusters: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for i in 0..people.len() {
        let r = root(&mut parent, i);
        clusters.entry(r).or_default().push(i);
    }
    let mut clusters: Vec<Vec<usize>> = clusters.into_values().collect();
    clusters.sort();
    Clusters { people, clusters }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Names with variant spellings of each other (diacritics, transpositions, one and two
    /// edits, case, possessives), names sharing words, and words no person's name has.
    #[rustfmt::skip]
    const NAMES: &[&str] = &[
        "Yevhen Dorofeyev", "Dorofeev", "Dorofeyev", "Yevhen Dorofeev", "Erik Lind", "Mark Lind",
        "Lindh", "Zelenskiy", "Zelensky", "Volodymyr Zelenskyy", "Zoë Sørensen", "Zoe Sorensen",
        "Sorenson", "Okafor", "Okafro", "Chidi Okafor", "OKAFOR", "Chidi Okafor’s", "Brandvold",
        "Brandvolds", "Brnadvold", "Anneliese Brandvold", "Annelise Brandvold", "Kvam", "Kvan",
        "Abcdefgh", "Abdcefhg", "Xbcdefgh", "North Okafor", "Port Lind", "", "Nguyễn Văn An",
        "Nguyen Van An",
    ];

    fn entity(id: usize, kind: EntityKind, name: &str) -> Entity {
        Entity {
            id,
            kind,
            name: name.into(),
            descriptors: Vec::new(),
            mentions: Vec::new(),
        }
    }

    fn entities(picks: &[(usize, u8)]) -> Vec<Entity> {
        picks
            .iter()
            .enumerate()
            .map(|(id, &(n, k))| {
                let kind = match k % 4 {
                    0 | 1 => EntityKind::Person,
                    2 => EntityKind::Location,
                    _ => EntityKind::Organization,
                };
                entity(id, kind, NAMES[n % NAMES.len()])
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// One graph kept across a run of changing entity lists (as across keystrokes) gives
        /// the clusters a comparison from nothing gives for each list.
        #[test]
        fn kept_graph_equals_clusters_from_nothing(
            lists in proptest::collection::vec(
                proptest::collection::vec((0usize..64, any::<u8>()), 0..24),
                1..6,
            )
        ) {
            let mut graph = NameGraph::default();
            for picks in &lists {
                let entities = entities(picks);
                let expected = compute_clusters(&entities);
                prop_assert_eq!(&graph.clusters(&entities), &expected);
                prop_assert_eq!(&*graph.cached(&entities), &expected);
            }
        }
    }

    #[test]
    fn variant_spellings_cluster_and_lone_words_join_people() {
        let list = entities(&[(0, 0), (1, 2), (4, 0), (5, 0), (7, 0), (8, 3), (30, 0)]);
        let found = NameGraph::default().clusters(&list);
        // Dorofeev (a place) joins Yevhen Dorofeyev; Zelensky (an organisation) joins
        // Zelenskiy; Erik Lind and Mark Lind stay apart.
        assert_eq!(found.people, vec![0, 2, 3, 4, 6, 1, 5]);
        assert_eq!(
            found.clusters,
            vec![vec![0, 5], vec![1], vec![2], vec![3, 6], vec![4]]
        );
        assert_eq!(found, compute_clusters(&list));
    }
}
