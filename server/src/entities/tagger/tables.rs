//! The tagger's lookup tables as bytes read in place: how a model file is laid out, the joint
//! index of two models, and a map from hashes to small values (gazetteers, word clusters).
//!
//! build.rs lays out the embedded tables at build time with the functions here (it includes
//! this file, so it uses only `std`), and the binary reads them where they lie: start-up
//! builds nothing and the tables cost no heap. All integers are little endian.

// build.rs uses the writers and the tests the rest: not every item is used in each.
#![allow(dead_code)]

/// Labels of a model row (O plus B, I, L, U of four kinds).
pub const LABELS: usize = 17;
/// Bytes of a model file's feature row: f32 scale + one i8 per label.
pub const MODEL_ROW: usize = 4 + LABELS;
/// Bytes of a joint row: both models' f32 scales, then both models' i8 weights.
pub const JOINT_ROW: usize = 8 + 2 * LABELS;

/// The model file format's magic (`tagger::train` writes it).
pub const MODEL_MAGIC: &[u8; 8] = b"CDNER001";
const JOINT_MAGIC: &[u8; 8] = b"CDJNT001";
const MAP_MAGIC: &[u8; 8] = b"CDMAP001";

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

/// The u32 at index `i` of a table of u32s.
#[inline]
fn u32_item(b: &[u8], i: usize) -> Option<u32> {
    u32_at(b, 4 * i)
}

/// Where the parts of a model file (see `tagger/mod.rs` for the format) lie.
#[derive(Clone, Copy)]
pub struct ModelLayout<'a> {
    pub bucket_bits: u32,
    /// Transition, start and end scores: (labels + 2) × labels f32.
    pub scores: &'a [u8],
    /// Bucket starts, 2^bits + 1 u32.
    pub buckets: &'a [u8],
    /// Feature fingerprints, one u32 per feature.
    pub keys: &'a [u8],
    /// Feature rows, [`MODEL_ROW`] bytes each.
    pub rows: &'a [u8],
}

impl<'a> ModelLayout<'a> {
    /// The layout of a model file; `None` if the bytes are not one (wrong magic, label count,
    /// size, or bucket starts that fall or do not end at the feature count).
    pub fn read(bytes: &'a [u8]) -> Option<ModelLayout<'a>> {
        if bytes.get(..8)? != MODEL_MAGIC || u32_at(bytes, 8)? as usize != LABELS {
            return None;
        }
        let n = u32_at(bytes, 12)? as usize;
        let bucket_bits = u32_at(bytes, 16)?;
        if !(1..=30).contains(&bucket_bits) {
            return None;
        }
        let mut at = 20;
        let scores = bytes.get(at..at + (LABELS + 2) * LABELS * 4)?;
        at += scores.len();
        let nb = (1usize << bucket_bits) + 1;
        let buckets = bytes.get(at..at + nb * 4)?;
        at += nb * 4;
        let keys = bytes.get(at..at + n * 4)?;
        at += n * 4;
        let rows = bytes.get(at..at + n * MODEL_ROW)?;
        if at + n * MODEL_ROW != bytes.len() || !ascending_to(buckets, n) {
            return None;
        }
        Some(ModelLayout {
            bucket_bits,
            scores,
            buckets,
            keys,
            rows,
        })
    }

    /// Number of features.
    pub fn features(&self) -> usize {
        self.keys.len() / 4
    }

    /// The index of feature `h`.
    #[inline]
    pub fn find(&self, h: u64) -> Option<usize> {
        find_u32(self.bucket_bits, self.buckets, self.keys, h)
    }

    fn bucket(&self, b: usize) -> Option<std::ops::Range<usize>> {
        Some(u32_item(self.buckets, b)? as usize..u32_item(self.buckets, b + 1)? as usize)
    }

    fn row(&self, i: usize) -> Option<&'a [u8]> {
        self.rows.get(i * MODEL_ROW..(i + 1) * MODEL_ROW)
    }
}

/// Whether a table of u32 bucket starts never falls and ends at `n`.
fn ascending_to(buckets: &[u8], n: usize) -> bool {
    let mut prev = 0;
    for c in buckets.chunks_exact(4) {
        let v = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        if v < prev {
            return false;
        }
        prev = v;
    }
    prev as usize == n && buckets.len() % 4 == 0
}

/// The index of the feature with hash `h` in a bucketed table of u32 fingerprints (`h`'s low
/// 32 bits) whose bucket is `h`'s top `bits` bits.
#[inline]
fn find_u32(bits: u32, buckets: &[u8], keys: &[u8], h: u64) -> Option<usize> {
    let b = (h >> (64 - bits)) as usize;
    let (lo, hi) = (
        u32_item(buckets, b)? as usize,
        u32_item(buckets, b + 1)? as usize,
    );
    let fp = h as u32;
    let k = keys
        .get(4 * lo..4 * hi)?
        .chunks_exact(4)
        .position(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]) == fp)?;
    Some(lo + k)
}

/// Both models' weights of every feature either has, in one index with the models' bucket count,
/// so that one probe per feature scores a sequence for both stages. Layout: magic `CDJNT001`,
/// u32 bucket bits, u32 feature count, u32 bucket starts (2^bits + 1), u32 fingerprints, then
/// per feature a [`JOINT_ROW`]-byte row (a model without the feature has scale and weights 0).
#[derive(Clone, Copy)]
pub struct JointTable<'a> {
    bits: u32,
    buckets: &'a [u8],
    keys: &'a [u8],
    rows: &'a [u8],
}

impl<'a> JointTable<'a> {
    /// Lay out the joint index of two model files; `None` if either is not a model file or their
    /// bucket counts differ (their feature ids then do not identify features alike).
    pub fn build(first: &[u8], second: &[u8]) -> Option<Vec<u8>> {
        let (first, second) = (ModelLayout::read(first)?, ModelLayout::read(second)?);
        if first.bucket_bits != second.bucket_bits {
            return None;
        }
        let nb = 1usize << first.bucket_bits;
        let key = |m: &ModelLayout<'_>, i: usize| u32_item(m.keys, i);
        let mut buckets = Vec::with_capacity(nb + 1);
        let mut keys: Vec<u32> = Vec::new();
        let mut rows: Vec<u8> = Vec::new();
        let row = |rows: &mut Vec<u8>, one: Option<&[u8]>, two: Option<&[u8]>| {
            let mut r = [0u8; JOINT_ROW];
            for (m, half) in [one, two].into_iter().enumerate() {
                if let Some(half) = half {
                    r[4 * m..4 * m + 4].copy_from_slice(&half[..4]);
                    let at = 8 + m * LABELS;
                    r[at..at + LABELS].copy_from_slice(&half[4..MODEL_ROW]);
                }
            }
            rows.extend_from_slice(&r);
        };
        for b in 0..nb {
            buckets.push(keys.len() as u32);
            let (r1, r2) = (first.bucket(b)?, second.bucket(b)?);
            let in_second = |fp: u32| r2.clone().find(|&j| key(&second, j) == Some(fp));
            for i in r1.clone() {
                let fp = key(&first, i)?;
                keys.push(fp);
                let two = match in_second(fp) {
                    Some(j) => Some(second.row(j)?),
                    None => None,
                };
                row(&mut rows, Some(first.row(i)?), two);
            }
            for j in r2.clone() {
                let fp = key(&second, j)?;
                if r1.clone().any(|i| key(&first, i) == Some(fp)) {
                    continue;
                }
                keys.push(fp);
                row(&mut rows, None, Some(second.row(j)?));
            }
        }
        buckets.push(keys.len() as u32);
        let mut out = Vec::with_capacity(16 + 4 * (buckets.len() + keys.len()) + rows.len());
        out.extend_from_slice(JOINT_MAGIC);
        out.extend_from_slice(&first.bucket_bits.to_le_bytes());
        out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        for v in buckets.iter().chain(&keys) {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&rows);
        Some(out)
    }

    /// Read a joint index in place; `None` if the bytes are not one.
    pub fn read(bytes: &'a [u8]) -> Option<JointTable<'a>> {
        if bytes.get(..8)? != JOINT_MAGIC {
            return None;
        }
        let bits = u32_at(bytes, 8)?;
        let n = u32_at(bytes, 12)? as usize;
        if !(1..=30).contains(&bits) {
            return None;
        }
        let nb = (1usize << bits) + 1;
        let mut at = 16;
        let buckets = bytes.get(at..at + 4 * nb)?;
        at += 4 * nb;
        let keys = bytes.get(at..at + 4 * n)?;
        at += 4 * n;
        let rows = bytes.get(at..at + JOINT_ROW * n)?;
        // Sizes only, so that reading is O(1): bucket starts that fall or overrun make a lookup
        // find nothing rather than fail.
        if at + JOINT_ROW * n != bytes.len() {
            return None;
        }
        Some(JointTable {
            bits,
            buckets,
            keys,
            rows,
        })
    }

    /// The row of feature `h`, if either model has it.
    #[inline]
    pub fn row(&self, h: u64) -> Option<&'a [u8; JOINT_ROW]> {
        self.row_at(self.find(h)?)
    }

    /// The number of feature `h`'s row ([`JointTable::row_at`]), if either model has it.
    #[inline]
    pub fn find(&self, h: u64) -> Option<usize> {
        find_u32(self.bits, self.buckets, self.keys, h)
    }

    /// Row number `k`.
    #[inline]
    pub fn row_at(&self, k: usize) -> Option<&'a [u8; JOINT_ROW]> {
        self.rows
            .get(k * JOINT_ROW..(k + 1) * JOINT_ROW)?
            .try_into()
            .ok()
    }
}

/// A map from u64 keys that are already hashes to fixed-width values, bucketed by the keys' top
/// bits. Layout: magic `CDMAP001`, u32 bucket bits, u32 value width, u32 entry count, u32
/// bucket starts (2^bits + 1), u64 keys in ascending order, then the values in the same order.
#[derive(Clone, Copy)]
pub struct PackedMap<'a> {
    bits: u32,
    width: usize,
    buckets: &'a [u8],
    keys: &'a [u8],
    values: &'a [u8],
}

impl<'a> PackedMap<'a> {
    /// Lay out `entries` (each key once) as a map's bytes.
    pub fn build<const W: usize>(mut entries: Vec<(u64, [u8; W])>) -> Vec<u8> {
        // Ascending keys are in bucket order: a bucket is the keys' top bits.
        entries.sort_unstable_by_key(|e| e.0);
        // About one key per bucket.
        let bits = (usize::BITS - entries.len().max(2).leading_zeros() - 1).clamp(1, 30);
        let nb = 1usize << bits;
        let mut out = Vec::with_capacity(20 + 4 * (nb + 1) + entries.len() * (8 + W));
        out.extend_from_slice(MAP_MAGIC);
        for v in [bits, W as u32, entries.len() as u32] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        let mut at = 0;
        for b in 0..=nb {
            while entries
                .get(at)
                .is_some_and(|e| ((e.0 >> (64 - bits)) as usize) < b)
            {
                at += 1;
            }
            out.extend_from_slice(&(at as u32).to_le_bytes());
        }
        for (k, _) in &entries {
            out.extend_from_slice(&k.to_le_bytes());
        }
        for (_, v) in &entries {
            out.extend_from_slice(v);
        }
        out
    }

    /// Read a map in place; `None` if the bytes are not one.
    pub fn read(bytes: &'a [u8]) -> Option<PackedMap<'a>> {
        if bytes.get(..8)? != MAP_MAGIC {
            return None;
        }
        let bits = u32_at(bytes, 8)?;
        let width = u32_at(bytes, 12)? as usize;
        let n = u32_at(bytes, 16)? as usize;
        if !(1..=30).contains(&bits) {
            return None;
        }
        let nb = (1usize << bits) + 1;
        let mut at = 20;
        let buckets = bytes.get(at..at + 4 * nb)?;
        at += 4 * nb;
        let keys = bytes.get(at..at + 8 * n)?;
        at += 8 * n;
        let values = bytes.get(at..at + width * n)?;
        // Sizes only, so that reading is O(1) (as for the joint index).
        if at + width * n != bytes.len() || width == 0 {
            return None;
        }
        Some(PackedMap {
            bits,
            width,
            buckets,
            keys,
            values,
        })
    }

    /// The value of `key`.
    #[inline]
    pub fn get(&self, key: u64) -> Option<&'a [u8]> {
        let b = (key >> (64 - self.bits)) as usize;
        let (lo, hi) = (
            u32_item(self.buckets, b)? as usize,
            u32_item(self.buckets, b + 1)? as usize,
        );
        let k = self
            .keys
            .get(8 * lo..8 * hi)?
            .chunks_exact(8)
            .position(|c| {
                u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]) == key
            })?;
        self.values
            .get((lo + k) * self.width..(lo + k + 1) * self.width)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.keys.len() / 8
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Every entry, in key order.
    pub fn entries(&self) -> impl Iterator<Item = (u64, &'a [u8])> + '_ {
        self.keys
            .chunks_exact(8)
            .zip(self.values.chunks_exact(self.width.max(1)))
            .map(|(k, v)| {
                let k = u64::from_le_bytes([k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7]]);
                (k, v)
            })
    }
}

const WORD_MAP_MAGIC: &[u8; 8] = b"CDWMP001";
const CLASS_TREE_MAGIC: &[u8; 8] = b"CDCLS001";
/// A [`WordMap`] key's top bits, which pick its bucket.
const WORD_MAP_BUCKET_BITS: u32 = 16;
/// A [`WordMap`] key's other bits, kept in its entry.
const WORD_MAP_REST: u64 = (1 << (64 - WORD_MAP_BUCKET_BITS)) - 1;

/// A map from u64 keys that are already hashes to u16 values, one u64 per entry: a key's top
/// 16 bits pick its bucket and its other 48 bits are kept above the value, so keys compare
/// exactly in 8 bytes an entry (a [`PackedMap`] of 2-byte values takes 10 and more bucket
/// starts). Layout: magic `CDWMP001`, u32 entry count, u32 bucket starts (2^16 + 1), then the
/// entries (`rest << 16 | value`) in key order.
#[derive(Clone, Copy)]
pub struct WordMap<'a> {
    buckets: &'a [u8],
    entries: &'a [u8],
}

impl<'a> WordMap<'a> {
    /// Lay out `entries` (each key once) as a map's bytes.
    pub fn build(mut entries: Vec<(u64, u16)>) -> Vec<u8> {
        entries.sort_unstable_by_key(|e| e.0);
        let nb = 1usize << WORD_MAP_BUCKET_BITS;
        let mut out = Vec::with_capacity(12 + 4 * (nb + 1) + 8 * entries.len());
        out.extend_from_slice(WORD_MAP_MAGIC);
        out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
        let mut at = 0;
        for b in 0..=nb {
            while entries
                .get(at)
                .is_some_and(|e| ((e.0 >> (64 - WORD_MAP_BUCKET_BITS)) as usize) < b)
            {
                at += 1;
            }
            out.extend_from_slice(&(at as u32).to_le_bytes());
        }
        for &(k, v) in &entries {
            out.extend_from_slice(&((k & WORD_MAP_REST) << 16 | v as u64).to_le_bytes());
        }
        out
    }

    /// Read a map in place; `None` if the bytes are not one.
    pub fn read(bytes: &'a [u8]) -> Option<WordMap<'a>> {
        if bytes.get(..8)? != WORD_MAP_MAGIC {
            return None;
        }
        let n = u32_at(bytes, 8)? as usize;
        let at = 12;
        let buckets = bytes.get(at..at + 4 * ((1 << WORD_MAP_BUCKET_BITS) + 1))?;
        let entries = bytes.get(at + buckets.len()..)?;
        // Sizes only, so that reading is O(1) (as for the joint index).
        if entries.len() != 8 * n {
            return None;
        }
        Some(WordMap { buckets, entries })
    }

    /// The value of `key`.
    #[inline]
    pub fn get(&self, key: u64) -> Option<u16> {
        let b = (key >> (64 - WORD_MAP_BUCKET_BITS)) as usize;
        let (lo, hi) = (
            u32_item(self.buckets, b)? as usize,
            u32_item(self.buckets, b + 1)? as usize,
        );
        let rest = key & WORD_MAP_REST;
        self.entries
            .get(8 * lo..8 * hi)?
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
            .find(|e| e >> 16 == rest)
            .map(|e| e as u16)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len() / 8
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Word hash → its classes at three granularities, coarse to fine, for a table whose classes
/// nest (each class lies within one class of the coarser level, as hierarchical k-means makes
/// them): a word's finest class in a [`WordMap`], and each finest class's coarser two in a
/// small table. Layout: magic `CDCLS001`, u32 finest-class count F, F × (u16 coarse, u16
/// middle), then the word map.
#[derive(Clone, Copy)]
pub struct ClassTree<'a> {
    parents: &'a [u8],
    words: WordMap<'a>,
}

impl<'a> ClassTree<'a> {
    /// Lay out `entries` (each key once); `None` if their classes do not nest.
    pub fn build(entries: &[(u64, [u16; 3])]) -> Option<Vec<u8>> {
        let classes = entries
            .iter()
            .map(|e| e.1[2] as usize + 1)
            .max()
            .unwrap_or(0);
        let mut parents: Vec<Option<[u16; 2]>> = vec![None; classes];
        for &(_, [coarse, middle, fine]) in entries {
            let slot = parents.get_mut(fine as usize)?;
            match slot {
                Some(p) if *p != [coarse, middle] => return None,
                _ => *slot = Some([coarse, middle]),
            }
        }
        let mut out = Vec::new();
        out.extend_from_slice(CLASS_TREE_MAGIC);
        out.extend_from_slice(&(classes as u32).to_le_bytes());
        for p in &parents {
            for v in p.unwrap_or([u16::MAX; 2]) {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out.extend(WordMap::build(
            entries.iter().map(|&(k, ids)| (k, ids[2])).collect(),
        ));
        Some(out)
    }

    /// Read a class tree in place; `None` if the bytes are not one.
    pub fn read(bytes: &'a [u8]) -> Option<ClassTree<'a>> {
        if bytes.get(..8)? != CLASS_TREE_MAGIC {
            return None;
        }
        let classes = u32_at(bytes, 8)? as usize;
        let parents = bytes.get(12..12 + 4 * classes)?;
        let words = WordMap::read(bytes.get(12 + 4 * classes..)?)?;
        Some(ClassTree { parents, words })
    }

    /// The classes of `key`, coarse to fine.
    #[inline]
    pub fn get(&self, key: u64) -> Option<[u16; 3]> {
        let fine = self.words.get(key)?;
        let p = self.parents.get(4 * fine as usize..4 * fine as usize + 4)?;
        Some([
            u16::from_le_bytes([p[0], p[1]]),
            u16::from_le_bytes([p[2], p[3]]),
            fine,
        ])
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}
