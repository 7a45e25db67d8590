//! Viterbi decoding of a sequence's label scores under the BILOU constraints, compiled for the
//! x86-64 baseline and for AVX2 (see `wide.rs`), optionally keeping each position's forward
//! scores for the max-marginal margins (`margins.rs`).

use super::{allowed, may_end, ALLOWED, LABELS};

/// The best label sequence under `emissions` (one row of `LABELS` scores per token) and the
/// transition scores, respecting BILOU.
pub fn viterbi(
    emissions: &[[f32; LABELS]],
    trans: &[[f32; LABELS]; LABELS],
    start: &[f32; LABELS],
    end: &[f32; LABELS],
) -> Vec<u8> {
    #[cfg(target_arch = "x86_64")]
    if super::wide::has_avx2() {
        // SAFETY: the CPU has AVX2, checked just above.
        return unsafe { viterbi_avx2(emissions, trans, start, end) };
    }
    viterbi_body::<false>(emissions, trans, start, end, &mut Vec::new())
}

/// [`viterbi`], keeping in `forward` each position's scores of the best path ending there in
/// each label (the float values the decoding compared: position `i`'s are `forward[i]`). The
/// labels are [`viterbi`]'s: the same operations, only stored as well.
pub fn viterbi_forward(
    emissions: &[[f32; LABELS]],
    trans: &[[f32; LABELS]; LABELS],
    start: &[f32; LABELS],
    end: &[f32; LABELS],
    forward: &mut Vec<[f32; LABELS]>,
) -> Vec<u8> {
    #[cfg(target_arch = "x86_64")]
    if super::wide::has_avx2() {
        // SAFETY: the CPU has AVX2, checked just above.
        return unsafe { viterbi_forward_avx2(emissions, trans, start, end, forward) };
    }
    viterbi_body::<true>(emissions, trans, start, end, forward)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn viterbi_forward_avx2(
    emissions: &[[f32; LABELS]],
    trans: &[[f32; LABELS]; LABELS],
    start: &[f32; LABELS],
    end: &[f32; LABELS],
    forward: &mut Vec<[f32; LABELS]>,
) -> Vec<u8> {
    viterbi_body::<true>(emissions, trans, start, end, forward)
}

/// [`viterbi`] compiled for AVX2: eight labels a step where the baseline does four (about half
/// the instructions), the same operations on each label, so the same result.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn viterbi_avx2(
    emissions: &[[f32; LABELS]],
    trans: &[[f32; LABELS]; LABELS],
    start: &[f32; LABELS],
    end: &[f32; LABELS],
) -> Vec<u8> {
    viterbi_body::<false>(emissions, trans, start, end, &mut Vec::new())
}

#[inline(always)]
fn viterbi_body<const KEEP: bool>(
    emissions: &[[f32; LABELS]],
    trans: &[[f32; LABELS]; LABELS],
    start: &[f32; LABELS],
    end: &[f32; LABELS],
    forward: &mut Vec<[f32; LABELS]>,
) -> Vec<u8> {
    let n = emissions.len();
    if KEEP {
        forward.clear();
    }
    if n == 0 {
        return Vec::new();
    }
    const NEG: f32 = f32::NEG_INFINITY;
    let mut score = [NEG; LABELS];
    for l in 0..LABELS {
        if allowed(None, l as u8) {
            score[l] = start[l] + emissions[0][l];
        }
    }
    if KEEP {
        forward.push(score);
    }
    // Disallowed BILOU transitions cost -inf (a loaded model has them folded in already;
    // training passes plain weights), so every step can try all predecessors branch-free.
    let mut t = *trans;
    for (a, row) in t.iter_mut().enumerate() {
        for (b, v) in row.iter_mut().enumerate() {
            if !ALLOWED[a][b] {
                *v = NEG;
            }
        }
    }
    let mut back = vec![[0u8; LABELS]; n];
    for (i, e) in emissions.iter().enumerate().skip(1) {
        let mut best = [NEG; LABELS];
        let mut arg = [0u8; LABELS];
        // Predecessors in ascending order with a strict comparison: ties go to the lowest
        // label, and a disallowed one (-inf) never wins, as when only allowed ones are tried.
        for (a, row) in t.iter().enumerate() {
            let from = score[a];
            for b in 0..LABELS {
                let s = from + row[b];
                let better = s > best[b];
                best[b] = if better { s } else { best[b] };
                arg[b] = if better { a as u8 } else { arg[b] };
            }
        }
        // A label no predecessor reaches stays at -inf (-inf plus a finite emission).
        for b in 0..LABELS {
            score[b] = best[b] + e[b];
        }
        if KEEP {
            forward.push(score);
        }
        if let Some(row) = back.get_mut(i) {
            *row = arg;
        }
    }
    let mut last = 0u8;
    let mut best = NEG;
    for l in 0..LABELS {
        if may_end(l as u8) && score[l] != NEG && score[l] + end[l] > best {
            best = score[l] + end[l];
            last = l as u8;
        }
    }
    let mut out = vec![0u8; n];
    out[n - 1] = last;
    for i in (1..n).rev() {
        out[i - 1] = back[i][out[i] as usize];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The AVX2 copy decodes as the baseline does (where the CPU runs it), ties included.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn avx2_decodes_as_the_baseline() {
        if !super::super::wide::has_avx2() {
            return;
        }
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        for round in 0..500 {
            // Fine-grained scores, and small integers that tie often.
            let fine = round % 2 == 0;
            let mut value = || {
                if fine {
                    next(20_001) as f32 / 1000.0 - 10.0
                } else {
                    next(5) as f32 - 2.0
                }
            };
            let n = 1 + round % 15;
            let e: Vec<[f32; LABELS]> = (0..n).map(|_| std::array::from_fn(|_| value())).collect();
            let t: [[f32; LABELS]; LABELS] =
                std::array::from_fn(|_| std::array::from_fn(|_| value()));
            let start: [f32; LABELS] = std::array::from_fn(|_| value());
            let end: [f32; LABELS] = std::array::from_fn(|_| value());
            // SAFETY: the CPU has AVX2, checked above.
            let wide = unsafe { viterbi_avx2(&e, &t, &start, &end) };
            let mut forward = Vec::new();
            assert_eq!(
                wide,
                viterbi_body::<false>(&e, &t, &start, &end, &mut forward),
                "round {round}"
            );
            assert_eq!(
                wide,
                viterbi_forward(&e, &t, &start, &end, &mut forward),
                "round {round}"
            );
            assert_eq!(forward.len(), n);
        }
    }
}
