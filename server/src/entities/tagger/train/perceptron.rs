//! The perceptron itself: sentences as feature ids, weights with their running sums for
//! averaging, the update, and the members of an ensemble.

use super::super::{features, viterbi, LABELS};

/// A sentence as feature ids.
pub(super) struct Prepared {
    pub(super) feats: Vec<u32>,
    pub(super) starts: Vec<usize>,
    pub(super) gold: Vec<u8>,
    /// With word dropout: how many of each token's features (its first ones) name the word.
    pub(super) identity: Vec<u16>,
}

impl Prepared {
    /// Token `i`'s feature ids, without those naming the word if `hide` says so.
    pub(super) fn token(&self, i: usize, hide: &[bool]) -> &[u32] {
        let skip = if hide.get(i).copied().unwrap_or(false) {
            self.identity.get(i).map_or(0, |&n| n as usize)
        } else {
            0
        };
        &self.feats[self.starts[i] + skip..self.starts[i + 1]]
    }
}

pub(super) struct Weights {
    pub(super) w: Vec<f32>,
    pub(super) trans: [[f32; LABELS]; LABELS],
    pub(super) start: [f32; LABELS],
    pub(super) end: [f32; LABELS],
}

impl Weights {
    pub(super) fn zero(n: usize) -> Self {
        Weights {
            w: vec![0.0; n * LABELS],
            trans: [[0.0; LABELS]; LABELS],
            start: [0.0; LABELS],
            end: [0.0; LABELS],
        }
    }

    pub(super) fn decode(
        &self,
        p: &Prepared,
        hide: &[bool],
        emissions: &mut Vec<[f32; LABELS]>,
    ) -> Vec<u8> {
        emissions.clear();
        for i in 0..p.starts.len() - 1 {
            let mut e = [0f32; LABELS];
            for &f in p.token(i, hide) {
                let row = &self.w[f as usize * LABELS..(f as usize + 1) * LABELS];
                for (x, y) in e.iter_mut().zip(row) {
                    *x += y;
                }
            }
            emissions.push(e);
        }
        viterbi(emissions, &self.trans, &self.start, &self.end)
    }

    /// Add `other` times `k` to these weights.
    pub(super) fn add_scaled(&mut self, other: &Weights, k: f32) {
        if self.w.is_empty() {
            self.w = vec![0.0; other.w.len()];
        }
        for (a, b) in self.w.iter_mut().zip(&other.w) {
            *a += b * k;
        }
        for a in 0..LABELS {
            for b in 0..LABELS {
                self.trans[a][b] += other.trans[a][b] * k;
            }
            self.start[a] += other.start[a] * k;
            self.end[a] += other.end[a] * k;
        }
    }

    /// `self - other / c`: the averaged weights from the running sums.
    pub(super) fn averaged(&self, sums: &Weights, c: f32) -> Weights {
        let mut out = Weights::zero(0);
        out.w = self.w.iter().zip(&sums.w).map(|(w, u)| w - u / c).collect();
        for a in 0..LABELS {
            for b in 0..LABELS {
                out.trans[a][b] = self.trans[a][b] - sums.trans[a][b] / c;
            }
            out.start[a] = self.start[a] - sums.start[a] / c;
            out.end[a] = self.end[a] - sums.end[a] / c;
        }
        out
    }
}

/// One perceptron of an ensemble: its weights, running sums and order of training sentences.
pub(super) struct Learner {
    pub(super) w: Weights,
    pub(super) sums: Weights,
    pub(super) order: Vec<usize>,
    rng: u64,
    pub(super) dropout_rng: u64,
}

impl Learner {
    pub(super) fn new(features: usize, sentences: usize, seed: u64) -> Self {
        Learner {
            w: Weights::zero(features),
            sums: Weights::zero(features),
            order: (0..sentences).collect(),
            rng: seed,
            dropout_rng: seed ^ 0xd20f_0a7e_5eed_0001,
        }
    }

    /// Fisher–Yates with xorshift: reproducible without a dependency.
    pub(super) fn shuffle(&mut self) {
        for i in (1..self.order.len()).rev() {
            let r = xorshift(&mut self.rng);
            self.order.swap(i, (r % (i as u64 + 1)) as usize);
        }
    }
}

pub(super) fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// The shuffling seed of ensemble member `k`: `seed` itself for the first (so that an ensemble
/// of one is the plain perceptron), well-mixed and never zero for the others.
pub(super) fn member_seed(seed: u64, k: usize) -> u64 {
    if k == 0 {
        return seed;
    }
    let mixed = features::feature(0, seed, k as u64, 0);
    if mixed == 0 {
        1
    } else {
        mixed
    }
}

pub(super) fn update(
    w: &mut Weights,
    sums: &mut Weights,
    p: &Prepared,
    pred: &[u8],
    hide: &[bool],
    c: f32,
) {
    let n = p.gold.len();
    for i in 0..n {
        let (g, q) = (p.gold[i] as usize, pred[i] as usize);
        if g != q {
            for &f in p.token(i, hide) {
                let base = f as usize * LABELS;
                w.w[base + g] += 1.0;
                sums.w[base + g] += c;
                w.w[base + q] -= 1.0;
                sums.w[base + q] -= c;
            }
        }
        if i > 0 {
            let (gp, qp) = (p.gold[i - 1] as usize, pred[i - 1] as usize);
            if (gp, g) != (qp, q) {
                w.trans[gp][g] += 1.0;
                sums.trans[gp][g] += c;
                w.trans[qp][q] -= 1.0;
                sums.trans[qp][q] -= c;
            }
        }
    }
    if n > 0 {
        let (g0, q0, gl, ql) = (
            p.gold[0] as usize,
            pred[0] as usize,
            p.gold[n - 1] as usize,
            pred[n - 1] as usize,
        );
        if g0 != q0 {
            w.start[g0] += 1.0;
            sums.start[g0] += c;
            w.start[q0] -= 1.0;
            sums.start[q0] -= c;
        }
        if gl != ql {
            w.end[gl] += 1.0;
            sums.end[gl] += c;
            w.end[ql] -= 1.0;
            sums.end[ql] -= c;
        }
    }
}
