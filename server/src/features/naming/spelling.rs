//! When two name words are one name spelled two ways, and an index that finds the names that
//! may be variants of each other without comparing every pair.
//!
//! The naming checks run on every keystroke, so each word's folded and lowercased forms are
//! computed once ([`Spelled`]) rather than in every comparison.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::config::register::fold_name;

/// A word with the forms every comparison reads: its `fold_name`, its lowercase, and the
/// folded form's characters.
#[derive(Debug, Clone)]
pub(super) struct Spelled<'a> {
    pub text: &'a str,
    pub fold: String,
    pub lower: String,
    pub(super) chars: Vec<char>,
}

impl<'a> Spelled<'a> {
    pub fn new(text: &'a str) -> Self {
        let fold = fold_name(text);
        let chars = fold.chars().collect();
        Spelled {
            text,
            lower: text.to_lowercase(),
            fold,
            chars,
        }
    }
}

impl Spelled<'_> {
    /// The same forms without the word itself (`text` empty), for an index that outlives the
    /// words: the comparisons ([`variant_spelled`], [`similar`]) read only the forms.
    pub fn detach(self) -> Spelled<'static> {
        Spelled {
            text: "",
            fold: self.fold,
            lower: self.lower,
            chars: self.chars,
        }
    }
}

/// Every word of each name, spelled out.
#[cfg(test)]
pub(super) fn spell_all<'a>(names: &[Vec<&'a str>]) -> Vec<Vec<Spelled<'a>>> {
    names
        .iter()
        .map(|words| words.iter().map(|w| Spelled::new(w)).collect())
        .collect()
}

/// Whether two differently written words look like one name spelled two ways.
pub fn similar_spelling(a: &str, b: &str) -> bool {
    similar(&Spelled::new(a), &Spelled::new(b))
}

/// [`similar_spelling`] of two spelled words.
pub(super) fn similar(a: &Spelled, b: &Spelled) -> bool {
    if a.lower == b.lower {
        return false;
    }
    if a.fold == b.fold {
        return true;
    }
    let (la, lb) = (a.chars.len(), b.chars.len());
    let shorter = la.min(lb);
    // More than two characters apart in length: more than two edits apart.
    if shorter < 5 || la.abs_diff(lb) > 2 {
        return false;
    }
    // Most pairs of different words differ in more than two letters: no need to align them.
    if letters_apart(&a.chars, &b.chars) > 2 {
        return false;
    }
    let same_first = a.chars.first() == b.chars.first();
    match edit_distance(&a.chars, &b.chars) {
        1 => same_first || shorter >= 6,
        2 => same_first && shorter >= 8,
        _ => false,
    }
}

/// A lower bound of [`edit_distance`]: the letters one word has that the other lacks (counted
/// with repeats, the larger of the two directions). An insertion, deletion or substitution
/// changes each direction by at most one and a transposition by none. Letters are counted in 64
/// buckets, which can only lower the count.
fn letters_apart(a: &[char], b: &[char]) -> usize {
    let mut counts = [0i32; 64];
    for &c in a {
        counts[(u32::from(c) % 64) as usize] += 1;
    }
    for &c in b {
        counts[(u32::from(c) % 64) as usize] -= 1;
    }
    let (mut more, mut fewer) = (0, 0);
    for n in counts {
        if n > 0 {
            more += n;
        } else {
            fewer -= n;
        }
    }
    more.max(fewer) as usize
}

/// Edit distance between the folded forms of two words.
pub(super) fn distance(a: &Spelled, b: &Spelled) -> usize {
    edit_distance(&a.chars, &b.chars)
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions).
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for (i, row) in d.chunks_mut(width).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

/// Whether two people's names are one person spelled two ways: every word of the shorter name
/// matches a word of the longer in order, at least one only by spelling, and (for two full
/// names) at least one exactly, so "Mark Lind" and "Erik Lind" stay two people.
pub(super) fn variant_pair(a: &[&str], b: &[&str]) -> bool {
    fn spell<'a>(words: &[&'a str]) -> Vec<Spelled<'a>> {
        words.iter().map(|w| Spelled::new(w)).collect()
    }
    variant_spelled(&spell(a), &spell(b))
}

/// [`variant_pair`] of two spelled names.
pub(super) fn variant_spelled(a: &[Spelled], b: &[Spelled]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return false;
    }
    let mut at = 0;
    let (mut exact, mut spelled) = (0, 0);
    for w in short {
        let found = long[at..]
            .iter()
            .position(|l| l.fold == w.fold || similar(l, w));
        let Some(i) = found else { return false };
        if long[at + i].fold == w.fold && long[at + i].lower == w.lower {
            exact += 1;
        } else {
            spelled += 1;
        }
        at += i + 1;
    }
    spelled > 0 && (short.len() < 2 || exact > 0)
}

/// Keys that are already hashes: used as they are.
#[derive(Default)]
pub(super) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub(super) type ByKey = HashMap<u64, Vec<usize>, BuildHasherDefault<KeyHasher>>;

/// Which names may be variant spellings of which: a superset of the pairs [`variant_pair`]
/// accepts. Two words match by spelling only when their folded forms are equal or (both of five
/// letters or more) within two edits, and two strings within two insertions, deletions,
/// substitutions or adjacent transpositions of each other reach a common string by deleting at
/// most two characters from each. So each distinct folded word is filed under its hashed forms
/// with up to two characters deleted (from five letters); words sharing a form are neighbours
/// (a hash collision only adds a neighbour, which the comparison then rejects).
/// Every word of the shorter name of a variant pair matches a word of the longer, so the
/// candidates for a name are the names matching its word with the fewest matching names.
#[cfg(test)]
pub(super) struct SpellingIndex {
    /// Folded word → its id.
    folds: HashMap<String, usize>,
    /// Hashed deletion form → ids of the folded words having it.
    by_key: ByKey,
    /// Per folded word: the names holding it, ascending.
    names_with: Vec<Vec<usize>>,
    /// Per name: the ids of its words' folded forms.
    name_folds: Vec<Vec<usize>>,
    /// Per folded word: its neighbours (itself included).
    neighbours: Vec<Vec<usize>>,
}

#[cfg(test)]
impl SpellingIndex {
    #[cfg(test)]
    pub fn new(names: &[Vec<&str>]) -> Self {
        Self::of(&spell_all(names))
    }

    /// The index of names whose words are spelled out.
    pub fn of(names: &[Vec<Spelled>]) -> Self {
        let mut folds: HashMap<String, usize> = HashMap::new();
        let mut names_with: Vec<Vec<usize>> = Vec::new();
        let mut keys_of: Vec<Vec<u64>> = Vec::new();
        let mut name_folds = Vec::with_capacity(names.len());
        for (i, words) in names.iter().enumerate() {
            let mut ids = Vec::with_capacity(words.len());
            for w in words {
                let id = match folds.get(&w.fold) {
                    Some(&id) => id,
                    None => {
                        let id = folds.len();
                        folds.insert(w.fold.clone(), id);
                        names_with.push(Vec::new());
                        keys_of.push(spelling_keys(&w.chars));
                        id
                    }
                };
                if names_with[id].last() != Some(&i) {
                    names_with[id].push(i);
                }
                ids.push(id);
            }
            name_folds.push(ids);
        }
        let mut by_key = ByKey::default();
        for (id, keys) in keys_of.iter().enumerate() {
            for &key in keys {
                by_key.entry(key).or_default().push(id);
            }
        }
        let neighbours = keys_of
            .iter()
            .map(|keys| {
                let mut n: Vec<usize> = keys
                    .iter()
                    .filter_map(|k| by_key.get(k))
                    .flatten()
                    .copied()
                    .collect();
                n.sort_unstable();
                n.dedup();
                n
            })
            .collect();
        SpellingIndex {
            folds,
            by_key,
            names_with,
            name_folds,
            neighbours,
        }
    }

    /// The folded words that may match `word` by spelling.
    fn neighbours_of(&self, word: &Spelled) -> Vec<usize> {
        if let Some(&id) = self.folds.get(&word.fold) {
            return self.neighbours[id].clone();
        }
        let mut n: Vec<usize> = spelling_keys(&word.chars)
            .iter()
            .filter_map(|k| self.by_key.get(k))
            .flatten()
            .copied()
            .collect();
        n.sort_unstable();
        n.dedup();
        n
    }

    /// Names with a word that may match `word` (ascending, each once).
    #[cfg(test)]
    pub fn names_matching(&self, word: &str) -> Vec<usize> {
        self.names_matching_spelled(&Spelled::new(word))
    }

    /// Names with a word that may match `word` (ascending, each once).
    pub fn names_matching_spelled(&self, word: &Spelled) -> Vec<usize> {
        self.names_from(&self.neighbours_of(word))
    }

    fn names_from(&self, folds: &[usize]) -> Vec<usize> {
        let mut out: Vec<usize> = folds
            .iter()
            .flat_map(|&f| &self.names_with[f])
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Names that may form a variant pair with name `i` when `i` is the shorter one (or as long):
    /// those matching its word with the fewest matching names.
    pub fn candidates(&self, i: usize) -> Vec<usize> {
        let rarest = self.name_folds[i]
            .iter()
            .map(|&f| &self.neighbours[f])
            .min_by_key(|n| n.iter().map(|&g| self.names_with[g].len()).sum::<usize>());
        rarest.map(|n| self.names_from(n)).unwrap_or_default()
    }
}

/// The hashed forms [`SpellingIndex`] files a folded word (its characters) under: itself, and
/// from five letters on, every form with one or two characters deleted.
pub(super) fn spelling_keys(chars: &[char]) -> Vec<u64> {
    let key = |skip: [usize; 2]| {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for (k, &c) in chars.iter().enumerate() {
            if k != skip[0] && k != skip[1] {
                h = (h.rotate_left(5) ^ u64::from(u32::from(c)))
                    .wrapping_mul(0x517c_c1b7_2722_0a95);
            }
        }
        h
    };
    let none = usize::MAX;
    let mut keys = vec![key([none, none])];
    if chars.len() >= 5 {
        for a in 0..chars.len() {
            keys.push(key([a, none]));
            for b in a + 1..chars.len() {
                keys.push(key([a, b]));
            }
        }
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_apart_never_exceeds_the_edit_distance() {
        let words = [
            "dorofeyev",
            "dorofeev",
            "zelenskiy",
            "zelensky",
            "zelenskyy",
            "sorensen",
            "soerensen",
            "sorenson",
            "okafor",
            "okafro",
            "brandvold",
            "brnadvold",
            "brandvolds",
            "abcdefgh",
            "abdcefhg",
            "xbcdefgh",
            "kristofersen",
            "christophersen",
            "aasen",
            "asen",
            "aasne",
            "ÿ",
            "a\u{bf}",
            "",
        ];
        for a in words {
            for b in words {
                let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                assert!(
                    letters_apart(&a, &b) <= edit_distance(&a, &b),
                    "{a:?} / {b:?}"
                );
            }
        }
        let (a, b): (Vec<char>, Vec<char>) =
            ("brandvold".chars().collect(), "brnadvold".chars().collect());
        assert_eq!((letters_apart(&a, &b), edit_distance(&a, &b)), (0, 1));
    }
}
