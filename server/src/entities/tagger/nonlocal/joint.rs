//! Both models' weights in one index: one probe per feature scores a sequence's local features
//! for the first and the second stage at once.

use crate::entities::tagger::{Model, LABELS};

/// Both models' weights of the features they share an index for, side by side, so that one
/// probe per feature scores a sequence for both stages. Built once from the two models when
/// they use the same bucket count (their feature ids then identify features alike).
pub(super) struct Joint {
    bucket_bits: u32,
    buckets: Vec<u32>,
    keys: Vec<u32>,
    /// Per feature, one cache line: both models' weights (zero where a model lacks the feature).
    rows: Vec<JointRow>,
}

/// Both models' scales and i8 weights of one feature, aligned to a cache line.
#[repr(C, align(64))]
#[derive(Clone, Copy)]
struct JointRow {
    scale: [f32; 2],
    weights: [[i8; LABELS]; 2],
}

impl JointRow {
    const ZERO: JointRow = JointRow {
        scale: [0.0; 2],
        weights: [[0; LABELS]; 2],
    };

    /// Set model `m`'s half from a model file row (f32 scale, then the i8 weights).
    fn set(&mut self, m: usize, row: &[u8]) {
        if let (Some(s), Some(w)) = (row.get(..4), row.get(4..4 + LABELS)) {
            self.scale[m] = f32::from_le_bytes([s[0], s[1], s[2], s[3]]);
            for (o, &b) in self.weights[m].iter_mut().zip(w) {
                *o = b as i8;
            }
        }
    }
}

const ROW: usize = crate::entities::tagger::ROW;

impl Joint {
    pub(super) fn new(first: &Model, second: &Model) -> Option<Joint> {
        if first.bucket_bits != second.bucket_bits {
            return None;
        }
        let nb = 1usize << first.bucket_bits;
        let mut buckets = Vec::with_capacity(nb + 1);
        let mut keys = Vec::with_capacity(first.keys.len() + second.keys.len() / 8);
        let mut rows: Vec<JointRow> = Vec::with_capacity(keys.capacity());
        let range = |m: &Model, b: usize| -> Option<std::ops::Range<usize>> {
            Some(*m.buckets.get(b)? as usize..*m.buckets.get(b + 1)? as usize)
        };
        let row = |m: &Model, i: usize| -> Option<&[u8]> { m.rows.get(i * ROW..(i + 1) * ROW) };
        for b in 0..nb {
            buckets.push(keys.len() as u32);
            let (r1, r2) = (range(first, b)?, range(second, b)?);
            for i in r1.clone() {
                let fp = *first.keys.get(i)?;
                keys.push(fp);
                let mut r = JointRow::ZERO;
                r.set(0, row(first, i)?);
                if let Some(j) = second.keys.get(r2.clone())?.iter().position(|&k| k == fp) {
                    r.set(1, row(second, r2.start + j)?);
                }
                rows.push(r);
            }
            for j in r2 {
                let fp = *second.keys.get(j)?;
                if first.keys.get(r1.clone())?.contains(&fp) {
                    continue;
                }
                keys.push(fp);
                let mut r = JointRow::ZERO;
                r.set(1, row(second, j)?);
                rows.push(r);
            }
        }
        buckets.push(keys.len() as u32);
        Some(Joint {
            bucket_bits: first.bucket_bits,
            buckets,
            keys,
            rows,
        })
    }

    /// Both models' scores for one sequence's tokens.
    pub(super) fn emissions(&self, words: &[&str]) -> (Vec<[f32; LABELS]>, Vec<[f32; LABELS]>) {
        let mut feats = Vec::with_capacity(words.len() * 48);
        let mut starts = Vec::with_capacity(words.len() + 1);
        crate::entities::tagger::features::extract(words, &mut feats, &mut starts);
        let mut one = vec![[0f32; LABELS]; words.len()];
        let mut two = vec![[0f32; LABELS]; words.len()];
        for (i, (out1, out2)) in one.iter_mut().zip(two.iter_mut()).enumerate() {
            // Accumulate in locals the compiler may keep in registers across the probes.
            let (mut s1, mut s2) = ([0f32; LABELS], [0f32; LABELS]);
            let (e1, e2) = (&mut s1, &mut s2);
            for &h in &feats[starts[i]..starts[i + 1]] {
                let b = (h >> (64 - self.bucket_bits)) as usize;
                let (Some(&lo), Some(&hi)) = (self.buckets.get(b), self.buckets.get(b + 1)) else {
                    continue;
                };
                let fp = h as u32;
                let Some(k) = self
                    .keys
                    .get(lo as usize..hi as usize)
                    .and_then(|ks| ks.iter().position(|&k| k == fp))
                else {
                    continue;
                };
                if let Some(r) = self.rows.get(lo as usize + k) {
                    // A model without the feature has scale 0 there: adding its zeros would
                    // change nothing (the sums start at +0.0 and so never become -0.0).
                    if r.scale[0] != 0.0 {
                        add_row(r.scale[0], &r.weights[0], e1);
                    }
                    if r.scale[1] != 0.0 {
                        add_row(r.scale[1], &r.weights[1], e2);
                    }
                }
            }
            *out1 = s1;
            *out2 = s2;
        }
        (one, two)
    }
}

fn add_row(scale: f32, weights: &[i8; LABELS], scores: &mut [f32; LABELS]) {
    for (s, &w) in scores.iter_mut().zip(weights) {
        *s += scale * w as f32;
    }
}
