//! Export of trained weights to the compact model format read by `tagger::Model`.

use super::super::{LABELS, MAGIC};
use super::perceptron::Weights;

/// Write the model format described in the tagger module.
pub(super) fn export(
    w: &Weights,
    keys: &[u64],
    max_bytes: usize,
    log: &mut impl FnMut(&str),
) -> Vec<u8> {
    let mut rows: Vec<(u64, f32, [i8; LABELS])> = Vec::new();
    for (i, &h) in keys.iter().enumerate() {
        let row = &w.w[i * LABELS..(i + 1) * LABELS];
        let max = row.iter().fold(0f32, |m, x| m.max(x.abs()));
        if max < 1e-3 {
            continue;
        }
        let scale = max / 127.0;
        let mut q = [0i8; LABELS];
        for (o, x) in q.iter_mut().zip(row) {
            *o = (x / scale).round().clamp(-127.0, 127.0) as i8;
        }
        rows.push((h, scale, q));
    }
    let fixed = 20 + 4 * LABELS * LABELS + 8 * LABELS;
    let per = 4 + 4 + LABELS;
    let bits_for = |n: usize| ((n / 4).max(256).next_power_of_two().trailing_zeros()).min(24);
    let size = |n: usize| fixed + ((1usize << bits_for(n)) + 1) * 4 + n * per;
    if size(rows.len()) > max_bytes {
        // Keep the features that matter most: largest weight range.
        rows.sort_by(|a, b| b.1.total_cmp(&a.1));
        while rows.len() > 1 && size(rows.len()) > max_bytes {
            let keep = rows.len() * 97 / 100;
            rows.truncate(keep);
        }
    }
    let bits = bits_for(rows.len());
    rows.sort_by_key(|r| (r.0 >> (64 - bits), r.0 as u32));
    log(&format!(
        "exporting {} features, {} bucket bits, {} bytes",
        rows.len(),
        bits,
        size(rows.len())
    ));
    let mut out = Vec::with_capacity(size(rows.len()));
    out.extend_from_slice(MAGIC);
    for v in [LABELS as u32, rows.len() as u32, bits] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for row in &w.trans {
        for v in row {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    for v in w.start.iter().chain(&w.end) {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let mut at = 0usize;
    for b in 0..=(1u64 << bits) {
        while at < rows.len() && (rows[at].0 >> (64 - bits)) < b {
            at += 1;
        }
        out.extend_from_slice(&(at as u32).to_le_bytes());
    }
    for r in &rows {
        out.extend_from_slice(&(r.0 as u32).to_le_bytes());
    }
    for r in &rows {
        out.extend_from_slice(&r.1.to_le_bytes());
        out.extend(r.2.iter().map(|&x| x as u8));
    }
    out
}
