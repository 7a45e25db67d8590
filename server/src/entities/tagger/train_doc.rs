//! Training the second (document-level) stage: first-stage labels and scores over the training
//! documents are jackknifed (each fold tagged by a first-stage model trained without it, so the
//! second stage learns from labels as wrong as they will be on new text), then an averaged
//! second model is trained on the first stage's features plus the document features; its epoch
//! count is chosen by F1 on the development set (with the first stage's labels on it).

use super::conll::{self, Sentence};
use super::nonlocal::{self, DocStats};
use super::train::{self, Extra, Options};
use super::{normalise, Model};

/// A sentence's normalised words and first-stage labels.
type Tagged = (Vec<String>, Vec<u8>);

/// First-stage labels of each sentence of `doc`.
fn first_stage(model: &Model, doc: &[Sentence]) -> Vec<Tagged> {
    doc.iter()
        .map(|s| {
            let words: Vec<String> = s.words.iter().map(|w| normalise(w).into_owned()).collect();
            let refs: Vec<&str> = words.iter().map(String::as_str).collect();
            let l = model.tag(&refs);
            (words, l)
        })
        .collect()
}

/// Document feature hashes of every sentence of one document, from its first-stage output.
fn doc_features(out: &[Tagged]) -> Vec<Extra> {
    let keys: Vec<Vec<nonlocal::TokenKey>> = out
        .iter()
        .map(|(w, _)| nonlocal::keys(&w.iter().map(String::as_str).collect::<Vec<_>>()))
        .collect();
    let stats = DocStats::of(keys.iter().zip(out).map(|(k, (_, l))| (&k[..], &l[..])));
    keys.iter()
        .zip(out)
        .map(|(k, (_, l))| {
            let (mut f, mut s) = (Vec::new(), Vec::new());
            nonlocal::extract(k, l, &stats, &mut f, &mut s);
            (f, s)
        })
        .collect()
}

fn leak_model(bytes: Vec<u8>) -> Option<Model> {
    Model::read(Box::leak(bytes.into_boxed_slice()))
}

/// How the second stage is trained.
#[derive(Debug, Clone, Copy)]
pub struct SecondOptions {
    /// Epochs of the full first-stage model (each fold model trains as many).
    pub epochs: usize,
    /// Jackknife folds.
    pub folds: usize,
    /// One model for both stages (see [`train_second`]).
    pub single: bool,
}

/// Train the second stage given the first-stage model `first` (trained on all of `train` in
/// `epochs` epochs with `opts`) and return its model bytes. `folds` first-stage models are
/// trained for the jackknife.
pub fn train_second(
    train_docs: &[Vec<Sentence>],
    dev_docs: &[Vec<Sentence>],
    first: &Model,
    second: &SecondOptions,
    opts: &Options,
    mut log: impl FnMut(&str),
) -> Vec<u8> {
    let SecondOptions {
        epochs,
        folds,
        single,
    } = *second;
    let folds = folds.max(2);
    // Per training document: its first-stage output by the model of the other folds.
    let mut train_out: Vec<Vec<Tagged>> = vec![Vec::new(); train_docs.len()];
    for f in 0..folds {
        let rest: Vec<Vec<Sentence>> = train_docs
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds != f)
            .map(|(_, d)| d.clone())
            .collect();
        let fold_opts = Options {
            max_epochs: epochs,
            ..opts.clone()
        };
        let (bytes, _) = train::train_keeping_epoch(&rest, &[], &fold_opts, None, |_| {});
        let Some(m) = leak_model(bytes) else {
            log("a fold model did not read back");
            return Vec::new();
        };
        let mut score = conll::Score::default();
        for (i, d) in train_docs
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds == f)
        {
            let out = first_stage(&m, d);
            for (s, (_, l)) in d.iter().zip(&out) {
                score.add(&s.tags, l);
            }
            train_out[i] = out;
        }
        log(&format!(
            "fold {}: first stage trained on {} documents, F1 {:.2} on the {} held out",
            f + 1,
            rest.len(),
            score.overall().2,
            train_docs.len() - rest.len()
        ));
    }
    let dev_out: Vec<_> = dev_docs.iter().map(|d| first_stage(first, d)).collect();
    let train_feats: Vec<Vec<Extra>> = train_out.iter().map(|o| doc_features(o)).collect();
    let dev_feats: Vec<Vec<Extra>> = dev_out.iter().map(|o| doc_features(o)).collect();
    if single {
        // One model for both stages: every training document also without document features,
        // so that the same weights tag a paragraph alone (first stage) and with them (second).
        log("one model for both stages: the first stage's features plus the document features, and each document also without");
        let twice: Vec<Vec<Sentence>> = train_docs.iter().chain(train_docs).cloned().collect();
        let (bytes, _) = train::train_keeping_epoch(
            &twice,
            dev_docs,
            opts,
            Some((&train_feats, &dev_feats)),
            &mut log,
        );
        return bytes;
    }
    log("second stage: the first stage's features plus the document features");
    let (bytes, _) = train::train_keeping_epoch(
        train_docs,
        dev_docs,
        opts,
        Some((&train_feats, &dev_feats)),
        &mut log,
    );
    bytes
}
