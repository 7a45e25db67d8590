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
        let k = find_u32(self.bits, self.buckets, self.keys, h)?;
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
