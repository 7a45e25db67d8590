//! Word classes from pretrained word vectors: features that carry what a large unlabelled corpus
//! knows about a word the training data never shows (Turian et al. 2010; Guo et al. 2014 found
//! k-means classes of embeddings work better in a linear tagger than the raw vectors).
//!
//! The table server/data/embedding-classes.txt (made by `train_ner embedding-classes`, see
//! scripts/train-ner and docs/model-card.md) gives the most frequent lowercase words of GloVe's
//! 6B-token vocabulary (Wikipedia 2014 and Gigaword 5 newswire) a class at three granularities,
//! from hierarchical k-means over their unit-length vectors: each class of the coarser level is
//! split in turn. build.rs indexes it at build time (the index is embedded and read in place).

use super::features::fnv;
use super::tables::ClassTree;

/// Granularities in the table, coarse to fine.
pub const LEVELS: usize = 3;

/// Lowercase word hash ([`fnv`]) → its classes, coarse to fine, laid out by build.rs from
/// server/data/embedding-classes.txt and read in place. The classes nest, so the index keeps
/// each word's finest class (8 bytes a word) and the coarser ones per finest class: 1.8 MB
/// where three u16 per word in a `PackedMap` took 3.3 MB, all of it resident once an article
/// of some length has been tagged.
static INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/embedding-classes.idx"));

fn index() -> Option<ClassTree<'static>> {
    ClassTree::read(INDEX)
}

/// The classes of a lowercase word (the vectors' vocabulary is lowercase), coarse to fine.
pub fn lookup(lower: &str) -> Option<[u16; LEVELS]> {
    index()?.get(fnv(lower))
}

/// Number of words in the embedded table.
pub fn words() -> usize {
    index().map_or(0, |m| m.len())
}

/// SplitMix64: a small deterministic generator for the k-means seeding.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Spherical k-means (cosine similarity over unit vectors) of the rows `members` of `vectors`
/// (`dim` floats a row) into at most `k` classes: k-means++ seeding from `rng`, then `iterations`
/// Lloyd passes. Returns each member's class (0..k). Deterministic.
fn kmeans(
    vectors: &[f32],
    dim: usize,
    members: &[usize],
    k: usize,
    iterations: usize,
    rng: &mut SplitMix,
) -> Vec<usize> {
    let n = members.len();
    if n <= k {
        return (0..n).collect();
    }
    let row = |i: usize| &vectors[members[i] * dim..members[i] * dim + dim];
    // k-means++: each next centre drawn with chance proportional to its distance to the nearest
    // centre chosen so far (1 - cosine).
    let mut centres: Vec<f32> = Vec::with_capacity(k * dim);
    let first = (rng.next() % n as u64) as usize;
    centres.extend_from_slice(row(first));
    let mut nearest: Vec<f64> = (0..n)
        .map(|i| (1.0 - dot(row(i), row(first)) as f64).max(0.0))
        .collect();
    while centres.len() < k * dim {
        let total: f64 = nearest.iter().sum();
        let mut target = rng.unit() * total;
        let mut pick = n - 1;
        for (i, &d) in nearest.iter().enumerate() {
            if target < d {
                pick = i;
                break;
            }
            target -= d;
        }
        let c = row(pick).to_vec();
        for (i, d) in nearest.iter_mut().enumerate() {
            *d = d.min((1.0 - dot(row(i), &c) as f64).max(0.0));
        }
        centres.extend_from_slice(&c);
    }
    let mut assign = vec![0usize; n];
    for _ in 0..iterations.max(1) {
        for (i, a) in assign.iter_mut().enumerate() {
            let r = row(i);
            let mut best = (f32::NEG_INFINITY, 0);
            for (c, centre) in centres.chunks_exact(dim).enumerate() {
                let s = dot(r, centre);
                if s > best.0 {
                    best = (s, c);
                }
            }
            *a = best.1;
        }
        let mut sums = vec![0f64; k * dim];
        for (i, &a) in assign.iter().enumerate() {
            for (s, &x) in sums[a * dim..a * dim + dim].iter_mut().zip(row(i)) {
                *s += x as f64;
            }
        }
        for (c, sum) in sums.chunks_exact(dim).enumerate() {
            let norm = sum.iter().map(|x| x * x).sum::<f64>().sqrt();
            // An empty class keeps its centre.
            if norm > 0.0 {
                for (x, s) in centres[c * dim..c * dim + dim].iter_mut().zip(sum) {
                    *x = (s / norm) as f32;
                }
            }
        }
    }
    assign
}

/// Classes for the rows of `vectors` (`dim` floats a row, one row a word), at every size of
/// `sizes` (each a multiple of the one before): k-means into `sizes[0]` classes, then each class
/// split by k-means into `sizes[l] / sizes[l - 1]`. Rows are made unit length first. Returns one
/// class id per size for each row. Deterministic.
pub fn induce(
    vectors: &mut [f32],
    dim: usize,
    sizes: &[usize],
    iterations: usize,
    mut log: impl FnMut(&str),
) -> Vec<Vec<u16>> {
    let n = vectors.len() / dim.max(1);
    for r in vectors.chunks_exact_mut(dim) {
        let norm = r.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            r.iter_mut().for_each(|x| *x /= norm);
        }
    }
    let mut rng = SplitMix(0x636c_6173_7365_7321);
    let mut classes: Vec<Vec<u16>> = vec![Vec::with_capacity(sizes.len()); n];
    // The groups of the level above (all rows in one group at the top).
    let mut groups: Vec<Vec<usize>> = vec![(0..n).collect()];
    let mut before = 1;
    for &size in sizes {
        let branch = (size / before).max(1);
        let mut next: Vec<Vec<usize>> = vec![Vec::new(); groups.len() * branch];
        for (g, members) in groups.iter().enumerate() {
            let assign = kmeans(vectors, dim, members, branch, iterations, &mut rng);
            for (&m, &a) in members.iter().zip(&assign) {
                let id = g * branch + a;
                classes[m].push(id as u16);
                next[id].push(m);
            }
        }
        log(&format!(
            "{size} classes: {} non-empty",
            next.iter().filter(|g| !g.is_empty()).count()
        ));
        groups = next;
        before = size;
    }
    classes
}

/// The rows of a NumPy `.npy` file of little-endian f32 (C or Fortran order), row-major, with
/// the number of columns; at most `limit` rows.
pub fn read_npy(bytes: &[u8], limit: usize) -> Result<(Vec<f32>, usize), String> {
    if bytes.get(..6) != Some(b"\x93NUMPY".as_slice()) {
        return Err("not an .npy file".into());
    }
    let (header_len, start) = match bytes.get(6) {
        Some(1) => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10usize),
        Some(2 | 3) => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
        _ => return Err("unknown .npy version".into()),
    };
    let header = std::str::from_utf8(bytes.get(start..start + header_len).ok_or("short header")?)
        .map_err(|e| e.to_string())?;
    if !header.contains("'<f4'") {
        return Err(format!("not little-endian f32: {header}"));
    }
    let fortran = header.contains("'fortran_order': True");
    let shape = header
        .split("'shape':")
        .nth(1)
        .and_then(|s| s.split(['(', ')']).nth(1))
        .ok_or("no shape")?;
    let dims: Vec<usize> = shape
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(|_| format!("bad shape {shape}")))
        .collect::<Result<_, _>>()?;
    let [rows, cols] = dims[..] else {
        return Err(format!("not two-dimensional: {shape}"));
    };
    let data = bytes
        .get(start + header_len..start + header_len + rows * cols * 4)
        .ok_or("short data")?;
    let at = |i: usize| {
        f32::from_le_bytes([
            data[4 * i],
            data[4 * i + 1],
            data[4 * i + 2],
            data[4 * i + 3],
        ])
    };
    let keep = rows.min(limit);
    let mut out = Vec::with_capacity(keep * cols);
    for r in 0..keep {
        for c in 0..cols {
            out.push(if fortran {
                at(c * rows + r)
            } else {
                at(r * cols + c)
            });
        }
    }
    Ok((out, cols))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kmeans_separates_directions_and_nests_levels() {
        // Four bundles of vectors around the axes of the plane and their opposites.
        let mut v = Vec::new();
        for k in 0..40 {
            let e = (k % 10) as f32 * 0.01;
            let (x, y) = match k / 10 {
                0 => (1.0, e),
                1 => (-1.0, e),
                2 => (e, 1.0),
                _ => (e, -1.0),
            };
            v.extend_from_slice(&[x, y]);
        }
        let classes = induce(&mut v, 2, &[4, 8], 10, |_| {});
        for b in 0..4 {
            let first = &classes[b * 10];
            for c in &classes[b * 10..b * 10 + 10] {
                assert_eq!(c[0], first[0], "one bundle, one class: {classes:?}");
                assert_eq!(c[1] / 2, c[0], "finer classes nest in coarser ones");
            }
        }
        let tops: std::collections::HashSet<u16> = classes.iter().map(|c| c[0]).collect();
        assert_eq!(tops.len(), 4);
        let again = induce(&mut v.clone(), 2, &[4, 8], 10, |_| {});
        assert_eq!(classes, again, "deterministic");
    }

    #[test]
    fn reads_npy_in_both_orders() {
        let file = |fortran: bool, data: &[f32]| {
            let header = format!(
                "{{'descr': '<f4', 'fortran_order': {}, 'shape': (2, 3), }}",
                if fortran { "True" } else { "False" }
            );
            let mut b = b"\x93NUMPY\x01\x00".to_vec();
            b.extend_from_slice(&(header.len() as u16).to_le_bytes());
            b.extend_from_slice(header.as_bytes());
            for x in data {
                b.extend_from_slice(&x.to_le_bytes());
            }
            b
        };
        let rows = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let c = read_npy(&file(false, &rows), 10).expect("C order");
        assert_eq!(c, (rows.to_vec(), 3));
        let f = read_npy(&file(true, &[1.0, 4.0, 2.0, 5.0, 3.0, 6.0]), 10).expect("Fortran");
        assert_eq!(f, (rows.to_vec(), 3));
        assert_eq!(
            read_npy(&file(true, &[1.0, 4.0, 2.0, 5.0, 3.0, 6.0]), 1)
                .unwrap()
                .0,
            vec![1.0, 2.0, 3.0]
        );
        assert!(read_npy(b"nonsense", 1).is_err());
    }

    /// A class tree finds exactly the words it was built from, and classes that do not nest
    /// have none.
    #[test]
    fn class_tree_keys_are_exact() {
        use super::super::tables::ClassTree;
        let words = [(1 << 50, [0, 1, 2]), (3, [4, 5, 6]), (u64::MAX, [0, 1, 2])];
        let bytes = ClassTree::build(&words).expect("nested classes");
        let tree = ClassTree::read(&bytes).expect("a class tree");
        assert_eq!(tree.len(), 3);
        for (h, ids) in words {
            assert_eq!(tree.get(h), Some(ids));
        }
        for other in [0, 4, 3 | 1 << 60, 1 << 51, u64::MAX - 1] {
            assert_eq!(tree.get(other), None, "{other:x}");
        }
        assert!(ClassTree::build(&[(1, [0, 0, 0]), (2, [1, 0, 0])]).is_none());
        assert!(ClassTree::read(&bytes[..bytes.len() - 1]).is_none());
    }

    fn lookup_hash(h: u64) -> Option<[u16; LEVELS]> {
        index().and_then(|m| m.get(h))
    }

    /// build.rs read the table as it is now.
    #[test]
    fn embedded_index_is_the_table() {
        let want = super::super::clusters::class_table(include_str!(
            "../../../data/embedding-classes.txt"
        ));
        assert_eq!(words(), want.len());
        for (h, ids) in &want {
            assert_eq!(lookup_hash(*h), Some(*ids));
        }
        // A hash that shares a word's bucket and differs only in its low bits is not that word.
        let (h, _) = want.iter().next().expect("a word");
        assert_eq!(lookup_hash(h ^ 1 << 20), want.get(&(h ^ 1 << 20)).copied());
    }
}
