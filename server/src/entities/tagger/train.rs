//! Training: a structured averaged perceptron (Collins 2002) with Viterbi over BILOU labels, the
//! epoch count chosen on the development set, then export to the compact model format.

use std::collections::HashMap;

use super::conll::{self, Sentence};
use super::{features, normalise, viterbi, LABELS, MAGIC};

/// Training settings.
#[derive(Debug, Clone)]
pub struct Options {
    pub max_epochs: usize,
    /// Stop after this many epochs without a better development F1.
    pub patience: usize,
    /// Features seen fewer times in training are dropped.
    pub min_count: u32,
    /// Largest model file written; the weakest features are dropped to fit.
    pub max_bytes: usize,
    pub seed: u64,
    /// Every n-th training sentence that has lowercase letters is also trained on in capitals
    /// (0: none), so that headlines in capitals ("KNOCK-OUT SPECIALIST MILLER DEFENDS TITLE")
    /// see names written that way.
    pub caps_every: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_epochs: 20,
            patience: 4,
            min_count: 1,
            max_bytes: 7_800_000,
            seed: 0x5eed,
            caps_every: 4,
        }
    }
}

/// A sentence as feature ids.
pub(super) struct Prepared {
    pub(super) feats: Vec<u32>,
    pub(super) starts: Vec<usize>,
    pub(super) gold: Vec<u8>,
}

fn words_of(s: &Sentence) -> Vec<String> {
    s.words.iter().map(|w| normalise(w).into_owned()).collect()
}

fn lookup(ex: Option<&[Vec<Extra>]>, key: Option<usize>) -> Option<&Extra> {
    let k = key?;
    ex?.get(k >> 20)?.get(k & 0xf_ffff)
}

/// Feature hashes of a sentence's tokens, with `extra` features (if any) after each token's own.
fn hashes(s: &Sentence, extra: Option<&Extra>, feats: &mut Vec<u64>, starts: &mut Vec<usize>) {
    let words = words_of(s);
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    features::extract(&refs, feats, starts);
    if let Some((ids, ex_starts)) = extra {
        let (local, local_starts) = (std::mem::take(feats), std::mem::take(starts));
        for i in 0..local_starts.len() - 1 {
            starts.push(feats.len());
            feats.extend_from_slice(&local[local_starts[i]..local_starts[i + 1]]);
            if let (Some(&a), Some(&b)) = (ex_starts.get(i), ex_starts.get(i + 1)) {
                feats.extend_from_slice(&ids[a..b]);
            }
        }
        starts.push(feats.len());
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

    fn decode(&self, p: &Prepared, emissions: &mut Vec<[f32; LABELS]>) -> Vec<u8> {
        emissions.clear();
        for i in 0..p.starts.len() - 1 {
            let mut e = [0f32; LABELS];
            for &f in &p.feats[p.starts[i]..p.starts[i + 1]] {
                let row = &self.w[f as usize * LABELS..(f as usize + 1) * LABELS];
                for (x, y) in e.iter_mut().zip(row) {
                    *x += y;
                }
            }
            emissions.push(e);
        }
        viterbi(emissions, &self.trans, &self.start, &self.end)
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

/// Train on `train` documents, choose the epoch count by F1 on `dev`, and return the model bytes.
/// `log` receives one line per epoch.
pub fn train(
    train: &[Vec<Sentence>],
    dev: &[Vec<Sentence>],
    opts: &Options,
    log: impl FnMut(&str),
) -> Vec<u8> {
    train_keeping_epoch(train, dev, opts, None, log).0
}

/// Extra feature ids of one sentence's tokens (token i's are `ids[starts[i]..starts[i + 1]]`),
/// the second stage's document features.
pub type Extra = (Vec<u64>, Vec<usize>);

/// Extra features of the training and the development documents (one [`Extra`] per sentence).
pub type Extras<'a> = (&'a [Vec<Extra>], &'a [Vec<Extra>]);

/// [`train`], also returning the epoch kept, with optional extra features for every sentence of
/// the training and development documents (same shape as the documents). With no `dev`
/// documents it trains exactly `opts.max_epochs` epochs and keeps the last.
pub fn train_keeping_epoch(
    train: &[Vec<Sentence>],
    dev: &[Vec<Sentence>],
    opts: &Options,
    extra: Option<Extras<'_>>,
    mut log: impl FnMut(&str),
) -> (Vec<u8>, usize) {
    // Each document's sentences with their extra features, if any.
    let with_extra =
        |docs: &[Vec<Sentence>], ex: Option<&[Vec<Extra>]>| -> Vec<Vec<Option<usize>>> {
            docs.iter()
                .enumerate()
                .map(|(d, doc)| {
                    (0..doc.len())
                        .map(|i| ex.and_then(|e| e.get(d)?.get(i)).map(|_| d << 20 | i))
                        .collect()
                })
                .collect()
        };
    let train_ex = extra.map(|e| e.0);
    let dev_ex = extra.map(|e| e.1);
    let mut train_keys = with_extra(train, train_ex);
    let with_caps;
    let train = if opts.caps_every > 0 {
        let (copies, copy_keys): (Vec<Sentence>, Vec<Option<usize>>) = train
            .iter()
            .flatten()
            .zip(train_keys.iter().flatten())
            .filter(|(s, _)| s.words.iter().any(|w| w.chars().any(char::is_lowercase)))
            .step_by(opts.caps_every)
            .map(|(s, &k)| {
                (
                    Sentence {
                        words: s.words.iter().map(|w| w.to_uppercase()).collect(),
                        tags: s.tags.clone(),
                    },
                    k,
                )
            })
            .unzip();
        log(&format!("{} sentences also in capitals", copies.len()));
        with_caps = train.iter().cloned().chain([copies]).collect::<Vec<_>>();
        train_keys.push(copy_keys);
        &with_caps[..]
    } else {
        train
    };
    let dev_keys = with_extra(dev, dev_ex);
    let (mut feats, mut starts) = (Vec::new(), Vec::new());
    let mut counts: HashMap<u64, u32> = HashMap::new();
    for (s, &k) in train.iter().flatten().zip(train_keys.iter().flatten()) {
        hashes(s, lookup(train_ex, k), &mut feats, &mut starts);
        for &h in &feats {
            *counts.entry(h).or_default() += 1;
        }
    }
    let mut keys: Vec<u64> = counts
        .iter()
        .filter(|(_, &c)| c >= opts.min_count)
        .map(|(&h, _)| h)
        .collect();
    keys.sort_unstable();
    let ids: HashMap<u64, u32> = keys
        .iter()
        .enumerate()
        .map(|(i, &h)| (h, i as u32))
        .collect();
    log(&format!(
        "{} features ({} seen at least {} times)",
        counts.len(),
        keys.len(),
        opts.min_count
    ));
    drop(counts);
    let prepare = |docs: &[Vec<Sentence>],
                   dkeys: &[Vec<Option<usize>>],
                   ex: Option<&[Vec<Extra>]>,
                   feats: &mut Vec<u64>,
                   starts: &mut Vec<usize>|
     -> Vec<Prepared> {
        docs.iter()
            .flatten()
            .zip(dkeys.iter().flatten())
            .map(|(s, &k)| {
                hashes(s, lookup(ex, k), feats, starts);
                let mut p = Prepared {
                    feats: Vec::with_capacity(feats.len()),
                    starts: Vec::with_capacity(starts.len()),
                    gold: conll::bilou(&s.tags),
                };
                for i in 0..starts.len() - 1 {
                    p.starts.push(p.feats.len());
                    p.feats.extend(
                        feats[starts[i]..starts[i + 1]]
                            .iter()
                            .filter_map(|h| ids.get(h).copied()),
                    );
                }
                p.starts.push(p.feats.len());
                p
            })
            .collect()
    };
    let train_set = prepare(train, &train_keys, train_ex, &mut feats, &mut starts);
    let dev_set = prepare(dev, &dev_keys, dev_ex, &mut feats, &mut starts);
    let dev_docs: Vec<(usize, usize)> = {
        let mut at = 0;
        dev.iter()
            .map(|d| {
                let r = (at, at + d.len());
                at += d.len();
                r
            })
            .collect()
    };

    let mut w = Weights::zero(keys.len());
    let mut sums = Weights::zero(keys.len());
    let mut c: f32 = 1.0;
    let mut order: Vec<usize> = (0..train_set.len()).collect();
    let mut rng = opts.seed;
    let mut emissions = Vec::new();
    let mut best: Option<(f64, usize, Weights)> = None;
    for epoch in 1..=opts.max_epochs {
        // Fisher–Yates with xorshift: reproducible without a dependency.
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        let mut errors = 0usize;
        for &si in &order {
            let p = &train_set[si];
            let pred = w.decode(p, &mut emissions);
            if pred != p.gold {
                errors += 1;
                update(&mut w, &mut sums, p, &pred, c);
            }
            c += 1.0;
        }
        let avg = w.averaged(&sums, c);
        if dev.is_empty() {
            if epoch == opts.max_epochs {
                best = Some((0.0, epoch, avg));
            }
            continue;
        }
        let (f1, f1_doc) = evaluate(&avg, &dev_set, dev, &dev_docs, &mut emissions);
        log(&format!("epoch {epoch}: {errors} training sentences wrong; dev F1 {f1:.2} (with document consistency {f1_doc:.2})"));
        if best.as_ref().is_none_or(|(b, _, _)| f1 > *b) {
            best = Some((f1, epoch, avg));
        } else if best
            .as_ref()
            .is_some_and(|(_, e, _)| epoch - e >= opts.patience)
        {
            break;
        }
    }
    let Some((f1, epoch, avg)) = best else {
        return (Vec::new(), 0);
    };
    log(&format!("keeping epoch {epoch} (dev F1 {f1:.2})"));
    (export(&avg, &keys, opts.max_bytes, &mut log), epoch)
}

pub(super) fn update(w: &mut Weights, sums: &mut Weights, p: &Prepared, pred: &[u8], c: f32) {
    let n = p.gold.len();
    for i in 0..n {
        let (g, q) = (p.gold[i] as usize, pred[i] as usize);
        if g != q {
            for &f in &p.feats[p.starts[i]..p.starts[i + 1]] {
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

/// Dev F1 without and with the document consistency step.
fn evaluate(
    w: &Weights,
    set: &[Prepared],
    docs: &[Vec<Sentence>],
    ranges: &[(usize, usize)],
    emissions: &mut Vec<[f32; LABELS]>,
) -> (f64, f64) {
    let preds: Vec<Vec<u8>> = set.iter().map(|p| w.decode(p, emissions)).collect();
    let mut plain = conll::Score::default();
    let mut consistent = conll::Score::default();
    for (doc, &(a, b)) in docs.iter().zip(ranges) {
        let mut labels: Vec<Vec<u8>> = preds[a..b].to_vec();
        for (s, l) in doc.iter().zip(&labels) {
            plain.add(&s.tags, l);
        }
        let words: Vec<Vec<&str>> = doc
            .iter()
            .map(|s| s.words.iter().map(String::as_str).collect())
            .collect();
        conll::harmonise(&words, &mut labels);
        for (s, l) in doc.iter().zip(&labels) {
            consistent.add(&s.tags, l);
        }
    }
    (plain.overall().2, consistent.overall().2)
}

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
