//! Training: a structured averaged perceptron (Collins 2002) with Viterbi over BILOU labels, the
//! epoch count chosen on the development set, then export to the compact model format.

use std::collections::HashMap;

use super::conll::{self, Sentence};
use super::{features, normalise, LABELS};

mod export;
mod perceptron;

use export::export;
use perceptron::{member_seed, update, xorshift, Learner, Prepared, Weights};

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
    /// Perceptrons trained side by side on different orders of the training sentences (seeds
    /// derived from `seed`; the first is `seed` itself) and averaged into one model.
    pub ensemble: usize,
    /// Word dropout: the chance that a token's word-identity features
    /// ([`features::IDENTITY_TEMPLATES`]) are hidden when a training sentence is visited.
    pub word_dropout: f32,
    /// Apply word dropout only to tokens inside gold entities.
    pub dropout_entities_only: bool,
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
            ensemble: 1,
            word_dropout: 0.0,
            dropout_entities_only: false,
        }
    }
}

fn words_of(s: &Sentence) -> Vec<String> {
    s.words.iter().map(|w| normalise(w).into_owned()).collect()
}

fn lookup(ex: Option<&[Vec<Extra>]>, key: Option<usize>) -> Option<&Extra> {
    let k = key?;
    ex?.get(k >> 20)?.get(k & 0xf_ffff)
}

/// Template number given to the second stage's document features (never hidden).
const DOCUMENT_TEMPLATE: u8 = u8::MAX;

/// Feature hashes of a sentence's tokens, with `extra` features (if any) after each token's own,
/// and each feature's template in `templates`.
fn hashes(
    s: &Sentence,
    extra: Option<&Extra>,
    feats: &mut Vec<u64>,
    starts: &mut Vec<usize>,
    templates: &mut Vec<u8>,
) {
    let words = words_of(s);
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    features::extract_templates(&refs, feats, starts, templates);
    if let Some((ids, ex_starts)) = extra {
        let (local, local_starts) = (std::mem::take(feats), std::mem::take(starts));
        let local_templates = std::mem::take(templates);
        for i in 0..local_starts.len() - 1 {
            starts.push(feats.len());
            feats.extend_from_slice(&local[local_starts[i]..local_starts[i + 1]]);
            templates.extend_from_slice(&local_templates[local_starts[i]..local_starts[i + 1]]);
            if let (Some(&a), Some(&b)) = (ex_starts.get(i), ex_starts.get(i + 1)) {
                feats.extend_from_slice(&ids[a..b]);
                templates.extend(std::iter::repeat_n(DOCUMENT_TEMPLATE, b - a));
            }
        }
        starts.push(feats.len());
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
    let mut templates = Vec::new();
    let mut counts: HashMap<u64, u32> = HashMap::new();
    for (s, &k) in train.iter().flatten().zip(train_keys.iter().flatten()) {
        hashes(
            s,
            lookup(train_ex, k),
            &mut feats,
            &mut starts,
            &mut templates,
        );
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
                   starts: &mut Vec<usize>,
                   templates: &mut Vec<u8>|
     -> Vec<Prepared> {
        docs.iter()
            .flatten()
            .zip(dkeys.iter().flatten())
            .map(|(s, &k)| {
                hashes(s, lookup(ex, k), feats, starts, templates);
                let mut p = Prepared {
                    feats: Vec::with_capacity(feats.len()),
                    starts: Vec::with_capacity(starts.len()),
                    gold: conll::bilou(&s.tags),
                    identity: Vec::new(),
                };
                for i in 0..starts.len() - 1 {
                    p.starts.push(p.feats.len());
                    let token = starts[i]..starts[i + 1];
                    let known = |j: usize| ids.get(&feats[j]).copied();
                    if opts.word_dropout > 0.0 {
                        // The word's own features first, so that hiding them is a shorter slice.
                        let named =
                            |j: &usize| features::IDENTITY_TEMPLATES.contains(&templates[*j]);
                        let before = p.feats.len();
                        p.feats
                            .extend(token.clone().filter(named).filter_map(known));
                        p.identity.push((p.feats.len() - before) as u16);
                        p.feats
                            .extend(token.filter(|j| !named(j)).filter_map(known));
                    } else {
                        p.feats.extend(token.filter_map(known));
                    }
                }
                p.starts.push(p.feats.len());
                p
            })
            .collect()
    };
    let train_set = prepare(
        train,
        &train_keys,
        train_ex,
        &mut feats,
        &mut starts,
        &mut templates,
    );
    let dev_set = prepare(
        dev,
        &dev_keys,
        dev_ex,
        &mut feats,
        &mut starts,
        &mut templates,
    );
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

    let mut learners: Vec<Learner> = (0..opts.ensemble.max(1))
        .map(|k| Learner::new(keys.len(), train_set.len(), member_seed(opts.seed, k)))
        .collect();
    let mut c: f32 = 1.0;
    let mut emissions = Vec::new();
    let mut hide = Vec::new();
    let mut best: Option<(f64, usize, Weights)> = None;
    for epoch in 1..=opts.max_epochs {
        let mut errors = 0usize;
        let epoch_start = c;
        for learner in &mut learners {
            c = epoch_start;
            learner.shuffle();
            let Learner {
                w,
                sums,
                order,
                dropout_rng,
                ..
            } = learner;
            for &si in order.iter() {
                let p = &train_set[si];
                hide.clear();
                if opts.word_dropout > 0.0 {
                    hide.extend(p.gold.iter().map(|&g| {
                        let draw = (xorshift(dropout_rng) >> 40) as f32 / (1u64 << 24) as f32;
                        draw < opts.word_dropout && (g != 0 || !opts.dropout_entities_only)
                    }));
                }
                let pred = w.decode(p, &hide, &mut emissions);
                if pred != p.gold {
                    errors += 1;
                    update(w, sums, p, &pred, &hide, c);
                }
                c += 1.0;
            }
        }
        // The members' averaged weights, averaged (one member: its own, unchanged).
        let avg = if learners.len() == 1 {
            learners[0].w.averaged(&learners[0].sums, c)
        } else {
            let mut mean = Weights::zero(0);
            for l in &learners {
                mean.add_scaled(&l.w.averaged(&l.sums, c), 1.0 / learners.len() as f32);
            }
            mean
        };
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

/// Dev F1 without and with the document consistency step.
fn evaluate(
    w: &Weights,
    set: &[Prepared],
    docs: &[Vec<Sentence>],
    ranges: &[(usize, usize)],
    emissions: &mut Vec<[f32; LABELS]>,
) -> (f64, f64) {
    let preds: Vec<Vec<u8>> = set.iter().map(|p| w.decode(p, &[], emissions)).collect();
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
