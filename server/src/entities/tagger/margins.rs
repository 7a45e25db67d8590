//! Max-marginal margins of a decoded sequence: by how much its Viterbi labels beat every other
//! allowed label sequence, as lower bounds that hold for the exact sums of the float scores
//! the decoding read. The second stage keeps them to skip decoding a paragraph again when the
//! change to its scores provably cannot change its labels (see
//! `crate::entities::second_stage::certificate`, which holds the whole argument).
//!
//! Notation: a path `q` is a label sequence allowed by BILOU; its exact score `S(q)` is the real
//! sum of `start[q0]`, the emissions `e[i][qi]`, the transitions and `end[q(n-1)]` (the f32
//! values as given, added without rounding). The decoder computes float sums instead.
//!
//! **Why the decoder returns `b` when every other path is far enough below it.** Round-to-nearest
//! is monotone, so by induction over positions the decoder's forward score at `(i, l)` is at
//! least the left-to-right float sum `F` of every path prefix ending there, and equals that of
//! the prefix it keeps: the returned path `p` has `F(p) >= F(q)` for every path `q`. A float
//! sum of `k + 1` terms is within `γ_k·Σ|terms|` of the exact sum (`γ_k = k·u / (1 − k·u)`,
//! `u = 2^-24`; Higham, *Accuracy and Stability of Numerical Algorithms*, §4.2). A path has
//! `2n + 1` terms, whose absolute values sum to at most the sequence's *mass* ([`mass`]). So if
//! `S(b) − S(q) > 2·γ_2n·mass` for every `q ≠ b`, then `F(b) > F(q)` for every `q ≠ b` and the
//! decoder returns `b`. [`rounding`] is that allowance, doubled.
//!
//! **Why the margins computed here are lower bounds.** The max-marginal `μ(i, l)` is the best
//! exact score of a path through label `l` at position `i`; every `q ≠ b` differs from `b`
//! somewhere, so `S(b) − S(q) >= S(b) − max over (i, l ≠ b_i) of μ(i, l)`. The forward scores
//! (the decoder's own) and the backward scores (computed here the same way, from the end) are
//! each a float sum of a best prefix or suffix and so within `γ_2n·mass` of the exact best,
//! by the same monotonicity; their float sum adds one rounding of at most `u·(1 + 2γ)·mass`.
//! `S(b)` is summed in f64 (error below `2n·2^-53·mass`). Subtracting [`rounding`] (which is
//! `8(n + 1)·u·mass`, more than twice the `(4n + 2)·u·1.01·mass` these add up to) leaves a lower
//! bound of the exact margin.

use super::{may_end, ALLOWED, LABELS};

/// Lower bounds of `S(b) − S(q)` for the decoded labels `b` (before any rewriting of the
/// decoder's output) and every other allowed path `q`, exact arithmetic on the float scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    /// Over the paths that differ from `b` at some position the caller marked (`+inf` if none
    /// can).
    pub marked: f64,
    /// Over every path `q ≠ b` (`+inf` if there is none).
    pub all: f64,
    /// [`mass`] of the scores: a bound on the sum of the absolute values of any path's terms.
    pub mass: f64,
}

/// The longest sequence given margins: beyond it the rounding bound's `γ` needs more care than
/// it is worth (paragraphs are a few dozen tokens).
const LONGEST: usize = 50_000;

/// Unit roundoff of f32.
const U: f64 = 1.0 / 16_777_216.0;

/// How far below the exact margin the float decoding of `n` tokens may compare two paths, or
/// the computed margins may be, with the scores' [`mass`] (twice the bound; see the module's
/// comment); `None` past [`LONGEST`] tokens.
pub fn rounding(n: usize, mass: f64) -> Option<f64> {
    (n <= LONGEST && mass.is_finite()).then_some(8.0 * (n as f64 + 1.0) * U * mass)
}

/// The largest absolute value among the finite values (exact: max and abs do not round).
#[inline]
fn largest_finite(values: &[f32]) -> f64 {
    let mut most = 0f32;
    for &v in values {
        let a = v.abs();
        most = if a.is_finite() && a > most { a } else { most };
    }
    f64::from(most)
}

/// A bound on `Σ|terms|` of any allowed path through `emissions`: the largest start, end and
/// transition scores (of those finite) and each position's largest absolute emission.
pub fn mass(
    emissions: &[[f32; LABELS]],
    trans: &[[f32; LABELS]; LABELS],
    start: &[f32; LABELS],
    end: &[f32; LABELS],
) -> f64 {
    let steps = emissions.len().saturating_sub(1) as f64;
    let own: f64 = emissions.iter().map(|e| largest_finite(e)).sum();
    largest_finite(start) + largest_finite(end) + steps * largest_finite(trans.as_flattened()) + own
}

/// The margins of `labels`, the labels [`super::viterbi::viterbi_forward`] decoded from
/// `emissions` with these `trans`, `start` and `end`, given its `forward` scores; `marked(i)`
/// says which positions [`Margins::marked`] is about. `None` when the input is not such a
/// decoding's (lengths, a non-finite emission, a disallowed label sequence) or is too long.
pub fn margins(
    emissions: &[[f32; LABELS]],
    trans: &[[f32; LABELS]; LABELS],
    start: &[f32; LABELS],
    end: &[f32; LABELS],
    labels: &[u8],
    forward: &[[f32; LABELS]],
    marked: impl Fn(usize) -> bool,
) -> Option<Margins> {
    let n = emissions.len();
    if n == 0 || labels.len() != n || forward.len() != n {
        return None;
    }
    if !emissions.iter().flatten().all(|v| v.is_finite()) {
        return None;
    }
    let mass = mass(emissions, trans, start, end);
    let slack = rounding(n, mass)?;
    // The decoder's transitions: the disallowed ones at -inf (as in `viterbi.rs`), here by
    // target then source, so that the backward step runs over sources label-wise.
    let mut back = [[f32::NEG_INFINITY; LABELS]; LABELS];
    for (a, row) in trans.iter().enumerate() {
        for (b, &v) in row.iter().enumerate() {
            if ALLOWED[a][b] {
                back[b][a] = v;
            }
        }
    }
    let label = |i: usize| labels.get(i).map(|&l| l as usize).filter(|&l| l < LABELS);
    // S(b) in f64.
    let first = label(0)?;
    let mut best = f64::from(start[first]) + f64::from(emissions[0][first]);
    for (i, e) in emissions.iter().enumerate().skip(1) {
        let (a, b) = (label(i - 1)?, label(i)?);
        best += f64::from(back[b][a]) + f64::from(e[b]);
    }
    let last = label(n - 1)?;
    best += f64::from(end[last]);
    if !best.is_finite() || !may_end(last as u8) {
        return None;
    }
    let (rivals_marked, rivals_all) = rivals(emissions, &back, end, labels, forward, &marked);
    let below = |rival: f32| {
        if rival == f32::NEG_INFINITY {
            f64::INFINITY
        } else {
            best - f64::from(rival) - slack
        }
    };
    Some(Margins {
        marked: below(rivals_marked),
        all: below(rivals_all),
        mass,
    })
}

/// The best float max-marginal of a label other than `labels[i]` at a marked position, and at
/// any position.
fn rivals(
    emissions: &[[f32; LABELS]],
    back: &[[f32; LABELS]; LABELS],
    end: &[f32; LABELS],
    labels: &[u8],
    forward: &[[f32; LABELS]],
    marked: &impl Fn(usize) -> bool,
) -> (f32, f32) {
    #[cfg(target_arch = "x86_64")]
    if super::wide::has_avx2() {
        // SAFETY: the CPU has AVX2, checked just above.
        return unsafe { rivals_avx2(emissions, back, end, labels, forward, marked) };
    }
    rivals_body(emissions, back, end, labels, forward, marked)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn rivals_avx2(
    emissions: &[[f32; LABELS]],
    back: &[[f32; LABELS]; LABELS],
    end: &[f32; LABELS],
    labels: &[u8],
    forward: &[[f32; LABELS]],
    marked: &impl Fn(usize) -> bool,
) -> (f32, f32) {
    rivals_body(emissions, back, end, labels, forward, marked)
}

#[inline(always)]
fn rivals_body(
    emissions: &[[f32; LABELS]],
    back: &[[f32; LABELS]; LABELS],
    end: &[f32; LABELS],
    labels: &[u8],
    forward: &[[f32; LABELS]],
    marked: &impl Fn(usize) -> bool,
) -> (f32, f32) {
    const NEG: f32 = f32::NEG_INFINITY;
    // The best suffix score after each label at the current position (its emission excluded).
    let mut after = [NEG; LABELS];
    for (l, v) in after.iter_mut().enumerate() {
        if may_end(l as u8) {
            *v = end[l];
        }
    }
    let (mut in_marked, mut in_all) = (NEG, NEG);
    for i in (0..emissions.len()).rev() {
        let (Some(f), Some(&own)) = (forward.get(i), labels.get(i)) else {
            break;
        };
        let mut rival = NEG;
        for l in 0..LABELS {
            let through = f[l] + after[l];
            if l != own as usize && through > rival {
                rival = through;
            }
        }
        if rival > in_all {
            in_all = rival;
        }
        if marked(i) && rival > in_marked {
            in_marked = rival;
        }
        if i == 0 {
            break;
        }
        let e = &emissions[i];
        let mut before = [NEG; LABELS];
        for (b, column) in back.iter().enumerate() {
            let from = e[b] + after[b];
            for a in 0..LABELS {
                let s = column[a] + from;
                before[a] = if s > before[a] { s } else { before[a] };
            }
        }
        after = before;
    }
    (in_marked, in_all)
}

#[cfg(test)]
mod tests {
    use super::super::viterbi::viterbi_forward;
    use super::*;

    /// Every allowed path's exact score, by enumeration (short sequences only).
    fn paths(
        e: &[[f32; LABELS]],
        t: &[[f32; LABELS]; LABELS],
        start: &[f32; LABELS],
        end: &[f32; LABELS],
    ) -> Vec<(Vec<u8>, f64)> {
        let mut out: Vec<(Vec<u8>, f64)> = (0..LABELS as u8)
            .filter(|&l| super::super::allowed(None, l))
            .map(|l| {
                (
                    vec![l],
                    f64::from(start[l as usize]) + f64::from(e[0][l as usize]),
                )
            })
            .collect();
        for row in &e[1..] {
            let mut next = Vec::new();
            for (p, s) in &out {
                let a = *p.last().unwrap_or(&0) as usize;
                for b in 0..LABELS {
                    if ALLOWED[a][b] {
                        let mut q = p.clone();
                        q.push(b as u8);
                        next.push((q, s + f64::from(t[a][b]) + f64::from(row[b])));
                    }
                }
            }
            out = next;
        }
        out.into_iter()
            .filter(|(p, _)| may_end(*p.last().unwrap_or(&0)))
            .map(|(p, s)| {
                let last = *p.last().unwrap_or(&0) as usize;
                (p, s + f64::from(end[last]))
            })
            .collect()
    }

    /// The margins are lower bounds of the exact margins found by enumerating every path, over
    /// the marked positions and over all, and close to them (within the rounding allowance).
    #[test]
    fn margins_bound_the_enumerated_margins() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        for round in 0..60 {
            let n = 1 + round % 3;
            let mut value = || next(20_001) as f32 / 1000.0 - 10.0;
            let e: Vec<[f32; LABELS]> = (0..n).map(|_| std::array::from_fn(|_| value())).collect();
            let t: [[f32; LABELS]; LABELS] =
                std::array::from_fn(|_| std::array::from_fn(|_| value()));
            let start: [f32; LABELS] = std::array::from_fn(|_| value());
            let end: [f32; LABELS] = std::array::from_fn(|_| value());
            let mut forward = Vec::new();
            let b = viterbi_forward(&e, &t, &start, &end, &mut forward);
            let marked = |i: usize| i % 2 == 1;
            let m = margins(&e, &t, &start, &end, &b, &forward, marked).expect("margins");
            let all = paths(&e, &t, &start, &end);
            let score_b = all.iter().find(|(p, _)| *p == b).map(|x| x.1).expect("b");
            let gap = |keep: &dyn Fn(&Vec<u8>) -> bool| {
                all.iter()
                    .filter(|(p, _)| *p != b && keep(p))
                    .map(|(_, s)| score_b - s)
                    .fold(f64::INFINITY, f64::min)
            };
            let exact_all = gap(&|_| true);
            let exact_marked = gap(&|p| (0..n).any(|i| marked(i) && p[i] != b[i]));
            let slack = rounding(n, m.mass).expect("short");
            assert!(m.all <= exact_all, "round {round}: {} > {exact_all}", m.all);
            assert!(m.marked <= exact_marked, "round {round}");
            assert!(m.all >= exact_all - 3.0 * slack, "round {round}: too loose");
            if exact_marked.is_finite() {
                assert!(m.marked >= exact_marked - 3.0 * slack, "round {round}");
            } else {
                assert_eq!(m.marked, f64::INFINITY);
            }
            assert!(m.marked >= m.all);
        }
    }

    /// Labels that are not the decoding's best (or not allowed) get no margins or negative ones.
    #[test]
    fn other_labels_get_no_positive_margin() {
        let mut e = vec![[0.0f32; LABELS]; 3];
        for row in &mut e {
            row[0] = 1.0;
        }
        e[1][4] = 4.0;
        let t = [[0.0f32; LABELS]; LABELS];
        let (start, end) = ([0.0f32; LABELS], [0.0f32; LABELS]);
        let mut forward = Vec::new();
        let b = viterbi_forward(&e, &t, &start, &end, &mut forward);
        assert_eq!(b, [0, 4, 0]);
        let good = margins(&e, &t, &start, &end, &b, &forward, |_| true).expect("margins");
        assert!(good.all > 0.99 && good.all < 1.0, "{good:?}");
        let mut other = b.clone();
        other[1] = 0;
        let bad = margins(&e, &t, &start, &end, &other, &forward, |_| true);
        assert!(bad.is_none_or(|m| m.all < 0.0));
        let mut nan = e.clone();
        nan[0][0] = f32::NAN;
        assert!(margins(&nan, &t, &start, &end, &b, &forward, |_| true).is_none());
    }
}
