//! Word clusters learned from unlabelled text: features that generalise from a seen name to
//! unseen ones that occur in the same contexts (Brown et al. 1992; Ratinov & Roth 2009).
//!
//! The table server/data/clusters.txt (made by `train_ner clusters`, see scripts/train-ner and
//! docs/model-card.md) gives each word of the unlabelled text that occurred often enough its
//! class at several granularities. Classes come from the exchange algorithm (Kneser & Ney 1993,
//! Martin et al. 1998): words move one at a time to the class that most raises the likelihood
//! of a class-bigram model of the text. build.rs indexes it at build time (the index is embedded
//! and read in place).

use std::collections::HashMap;

use super::features::fnv;
use super::tables::PackedMap;

/// Granularities in the table, coarse to fine.
pub const LEVELS: usize = 3;

/// Word hash ([`fnv`]) → its classes, coarse to fine (u16 each), laid out by build.rs from
/// server/data/clusters.txt and read in place.
static INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/clusters.idx"));

fn index() -> Option<PackedMap<'static>> {
    PackedMap::read(INDEX)
}

fn get(map: &PackedMap<'_>, word: &str) -> Option<[u16; LEVELS]> {
    let v = map.get(fnv(word))?;
    let mut ids = [0u16; LEVELS];
    for (id, b) in ids.iter_mut().zip(v.chunks_exact(2)) {
        *id = u16::from_le_bytes([b[0], b[1]]);
    }
    Some(ids)
}

/// The classes of `word` (coarse to fine), trying it as written, then lowercased, then with only
/// its first letter capitalised (so that headline capitals "JAPAN" find "Japan").
pub fn lookup(word: &str, lower: &str) -> Option<[u16; LEVELS]> {
    let map = index()?;
    if let Some(c) = get(&map, word) {
        return Some(c);
    }
    if lower != word {
        if let Some(c) = get(&map, lower) {
            return Some(c);
        }
        let mut chars = lower.chars();
        if let Some(first) = chars.next() {
            let title: String = first.to_uppercase().chain(chars).collect();
            if let Some(c) = get(&map, &title) {
                return Some(c);
            }
        }
    }
    None
}

/// Number of words in the embedded table.
pub fn words() -> usize {
    index().map_or(0, |m| m.len())
}

/// x ln x, with a table for the small integer counts that dominate.
struct XLogX {
    table: Vec<f64>,
}

impl XLogX {
    fn new(n: usize) -> Self {
        XLogX {
            table: (0..n)
                .map(|x| {
                    if x == 0 {
                        0.0
                    } else {
                        x as f64 * (x as f64).ln()
                    }
                })
                .collect(),
        }
    }
    #[inline]
    fn f(&self, x: i64) -> f64 {
        match self.table.get(x as usize) {
            Some(&v) if x >= 0 => v,
            _ if x <= 0 => 0.0,
            _ => x as f64 * (x as f64).ln(),
        }
    }
}

/// Induce classes for the words of `sequences` (each a sentence or paragraph of tokens) that
/// occur at least `min_count` times, once per entry of `sizes` (number of classes), with
/// `iterations` passes of the exchange algorithm each. Returns the words in order of falling
/// frequency with one class id per size. Deterministic.
pub fn induce(
    sequences: &[Vec<String>],
    min_count: u32,
    sizes: &[usize],
    iterations: usize,
    mut log: impl FnMut(&str),
) -> Vec<(String, Vec<u16>)> {
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for s in sequences {
        for w in s {
            *counts.entry(w.as_str()).or_default() += 1;
        }
    }
    let mut vocab: Vec<(&str, u32)> = counts
        .iter()
        .filter(|(_, &c)| c >= min_count)
        .map(|(&w, &c)| (w, c))
        .collect();
    vocab.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let ids: HashMap<&str, u32> = vocab
        .iter()
        .enumerate()
        .map(|(i, (w, _))| (*w, i as u32))
        .collect();
    let v = vocab.len();
    // Two pseudo-words with classes of their own: rare words and the sequence boundary.
    let (rare, boundary) = (v as u32, v as u32 + 1);
    let mut bigrams: HashMap<(u32, u32), u32> = HashMap::new();
    let mut tokens = 0usize;
    for s in sequences {
        let mut prev = boundary;
        for w in s {
            let id = ids.get(w.as_str()).copied().unwrap_or(rare);
            *bigrams.entry((prev, id)).or_default() += 1;
            prev = id;
            tokens += 1;
        }
        *bigrams.entry((prev, boundary)).or_default() += 1;
    }
    log(&format!(
        "{tokens} tokens, {} words, {v} seen at least {min_count} times, {} distinct bigrams",
        counts.len(),
        bigrams.len()
    ));
    // Neighbour lists per word (compressed rows): right[w] = (next word, count), left likewise.
    let n = v + 2;
    let csr = |pairs: Vec<(u32, u32, u32)>| -> (Vec<usize>, Vec<(u32, u32)>) {
        let mut starts = vec![0usize; n + 1];
        for &(a, _, _) in &pairs {
            starts[a as usize + 1] += 1;
        }
        for i in 0..n {
            starts[i + 1] += starts[i];
        }
        let mut fill = starts.clone();
        let mut out = vec![(0u32, 0u32); pairs.len()];
        for (a, b, c) in pairs {
            out[fill[a as usize]] = (b, c);
            fill[a as usize] += 1;
        }
        (starts, out)
    };
    let mut pairs: Vec<(u32, u32, u32)> = bigrams.iter().map(|(&(a, b), &c)| (a, b, c)).collect();
    pairs.sort_unstable();
    let (rs, right) = csr(pairs.clone());
    let (ls, left) = csr(pairs.iter().map(|&(a, b, c)| (b, a, c)).collect());
    drop(pairs);
    drop(bigrams);
    let xlx = XLogX::new(1 << 20);

    let mut out: Vec<(String, Vec<u16>)> = vocab
        .iter()
        .map(|(w, _)| (w.to_string(), Vec::with_capacity(sizes.len())))
        .collect();
    for &k in sizes {
        let k = k.clamp(2, u16::MAX as usize - 2).min(v.max(2));
        let classes = k + 2;
        // Most frequent words first, spread round the classes.
        let mut class: Vec<usize> = (0..n).map(|i| i % k).collect();
        class[rare as usize] = k;
        class[boundary as usize] = k + 1;
        let mut n2 = vec![0i64; classes * classes];
        let mut n2t = vec![0i64; classes * classes];
        let mut row = vec![0i64; classes];
        let mut col = vec![0i64; classes];
        for a in 0..n {
            for &(b, c) in &right[rs[a]..rs[a + 1]] {
                let (ca, cb) = (class[a], class[b as usize]);
                n2[ca * classes + cb] += c as i64;
                n2t[cb * classes + ca] += c as i64;
                row[ca] += c as i64;
                col[cb] += c as i64;
            }
        }
        let mut lc = vec![0i64; classes];
        let mut rc = vec![0i64; classes];
        let mut lsup: Vec<usize> = Vec::new();
        let mut rsup: Vec<usize> = Vec::new();
        let mut gain = vec![0f64; k];
        for it in 1..=iterations {
            let mut moved = 0usize;
            for w in 0..v {
                // Neighbour counts by class, excluding the word's bigrams with itself.
                let mut own = 0i64;
                lsup.clear();
                rsup.clear();
                for &(u, c) in &left[ls[w]..ls[w + 1]] {
                    if u as usize == w {
                        own += c as i64;
                        continue;
                    }
                    let cu = class[u as usize];
                    if lc[cu] == 0 {
                        lsup.push(cu);
                    }
                    lc[cu] += c as i64;
                }
                for &(u, c) in &right[rs[w]..rs[w + 1]] {
                    if u as usize == w {
                        continue;
                    }
                    let cu = class[u as usize];
                    if rc[cu] == 0 {
                        rsup.push(cu);
                    }
                    rc[cu] += c as i64;
                }
                let rsum: i64 = rsup.iter().map(|&c| rc[c]).sum::<i64>() + own;
                let lsum: i64 = lsup.iter().map(|&c| lc[c]).sum::<i64>() + own;
                // Take the word out of its class.
                let a = class[w];
                for &c in &lsup {
                    n2[c * classes + a] -= lc[c];
                    n2t[a * classes + c] -= lc[c];
                }
                for &c in &rsup {
                    n2[a * classes + c] -= rc[c];
                    n2t[c * classes + a] -= rc[c];
                }
                n2[a * classes + a] -= own;
                n2t[a * classes + a] -= own;
                row[a] -= rsum;
                col[a] -= lsum;
                // Gain of putting it into each class b: bigram cells gain, class totals lose.
                for (b, g) in gain.iter_mut().enumerate() {
                    *g = -(xlx.f(row[b] + rsum) - xlx.f(row[b]))
                        - (xlx.f(col[b] + lsum) - xlx.f(col[b]));
                }
                for &c in &lsup {
                    let add = lc[c];
                    // Cells (c, b) for every b: one row of n2.
                    let r = &n2[c * classes..c * classes + k];
                    for (g, &x) in gain.iter_mut().zip(r) {
                        *g += xlx.f(x + add) - xlx.f(x);
                    }
                }
                for &c in &rsup {
                    let add = rc[c];
                    // Cells (b, c) for every b: one row of the transpose.
                    let r = &n2t[c * classes..c * classes + k];
                    for (g, &x) in gain.iter_mut().zip(r) {
                        *g += xlx.f(x + add) - xlx.f(x);
                    }
                }
                // The diagonal cell (b, b) gets left, right and own counts together.
                for (b, g) in gain.iter_mut().enumerate() {
                    let (l, r) = (lc[b], rc[b]);
                    if l == 0 && r == 0 && own == 0 {
                        continue;
                    }
                    let x = n2[b * classes + b];
                    *g -= (xlx.f(x + l) - xlx.f(x)) + (xlx.f(x + r) - xlx.f(x));
                    *g += xlx.f(x + l + r + own) - xlx.f(x);
                }
                let mut best = a;
                for (b, &g) in gain.iter().enumerate() {
                    if g > gain[best] + 1e-9 {
                        best = b;
                    }
                }
                if best != a {
                    moved += 1;
                }
                class[w] = best;
                for &c in &lsup {
                    n2[c * classes + best] += lc[c];
                    n2t[best * classes + c] += lc[c];
                }
                for &c in &rsup {
                    n2[best * classes + c] += rc[c];
                    n2t[c * classes + best] += rc[c];
                }
                n2[best * classes + best] += own;
                n2t[best * classes + best] += own;
                row[best] += rsum;
                col[best] += lsum;
                for &c in &lsup {
                    lc[c] = 0;
                }
                for &c in &rsup {
                    rc[c] = 0;
                }
            }
            let ll: f64 = n2.iter().map(|&x| xlx.f(x)).sum::<f64>()
                - row.iter().map(|&x| xlx.f(x)).sum::<f64>()
                - col.iter().map(|&x| xlx.f(x)).sum::<f64>();
            log(&format!(
                "{k} classes, pass {it}: {moved} words moved, class-bigram log likelihood term {ll:.0}"
            ));
            if moved == 0 {
                break;
            }
        }
        for (w, o) in out.iter_mut().enumerate() {
            o.1.push(class[w] as u16);
        }
    }
    out
}

/// A word-class table's text as build.rs reads it, by word hash: a word listed twice keeps its
/// last line, lines without [`LEVELS`] classes are skipped. For the tests that check an
/// embedded index against its table.
#[cfg(test)]
pub(super) fn class_table(text: &str) -> HashMap<u64, [u16; LEVELS]> {
    let mut table = HashMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut cols = line.split('\t');
        let Some(word) = cols.next().filter(|w| !w.is_empty()) else {
            continue;
        };
        let ids: Vec<u16> = cols.take(LEVELS).filter_map(|c| c.parse().ok()).collect();
        if let Ok(ids) = <[u16; LEVELS]>::try_from(ids) {
            table.insert(fnv(word), ids);
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_groups_words_that_share_contexts() {
        let mut seqs = Vec::new();
        for (i, name) in ["Ada", "Bea", "Cleo", "Dora"].iter().enumerate() {
            for place in ["Oslo", "Lima", "Riga"] {
                let verb = ["said", "spoke"][i % 2];
                seqs.push(
                    format!("Mrs {name} {verb} in {place} today")
                        .split(' ')
                        .map(String::from)
                        .collect::<Vec<_>>(),
                );
            }
        }
        let mut likelihoods = Vec::new();
        let out = induce(&seqs, 1, &[4], 10, |line| {
            if let Some(v) = line.rsplit(' ').next().and_then(|v| v.parse::<f64>().ok()) {
                likelihoods.push(v);
            }
        });
        // Every move raises the likelihood, so no pass may lower it.
        assert!(likelihoods.len() >= 2, "{likelihoods:?}");
        assert!(
            likelihoods.windows(2).all(|w| w[1] >= w[0]),
            "{likelihoods:?}"
        );
        let class = |w: &str| out.iter().find(|(x, _)| x == w).map(|(_, c)| c[0]);
        // Ada and Cleo occur in exactly the same contexts, as do Bea and Dora.
        assert_eq!(class("Ada"), class("Cleo"), "{out:?}");
        assert_eq!(class("Bea"), class("Dora"));
        assert_eq!(class("Oslo"), class("Riga"));
        assert_ne!(class("Ada"), class("Oslo"));
    }

    /// build.rs read the table as it is now: every word's classes, a word listed twice keeping
    /// its last line, lines without three classes skipped.
    #[test]
    fn embedded_index_is_the_table() {
        let want = class_table(include_str!("../../../data/clusters.txt"));
        let map = index().expect("embedded cluster index");
        assert_eq!(map.len(), want.len());
        for (h, ids) in &want {
            let v = map.get(*h).expect("word in the index");
            let got: Vec<u16> = v
                .chunks_exact(2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
                .collect();
            assert_eq!(&got[..], &ids[..]);
        }
    }

    #[test]
    fn lookup_tries_case_variants() {
        let Some(map) = index() else { return };
        // Only "Norway" is in the table: headline capitals find it.
        let norway = get(&map, "Norway").expect("Norway is in the table");
        assert_eq!(get(&map, "NORWAY"), None);
        assert_eq!(lookup("NORWAY", "norway"), Some(norway));
        // A lowercase word is only tried as written.
        assert_eq!(lookup("norway", "norway"), None);
        assert_eq!(words(), map.len());
    }
}
