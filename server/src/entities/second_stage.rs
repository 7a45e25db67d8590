//! The tagger's second stage in the document pass: every paragraph's first-stage labels (cached
//! with the paragraph) are gathered into document statistics, and each paragraph is tagged again
//! with the document features; a paragraph whose first-stage result and document features are
//! unchanged since the last pass reuses its second-stage labels.

use std::collections::HashMap;
use std::sync::Arc;

use super::tagger::nonlocal::{self, DocStats, TokenKey, TwoStage};
use super::tagger::features::combine;
use super::tagger::{self, normalise, KINDS, LABELS};
use super::RawMention;
use crate::analysis::model::{EntityKind, Span};

/// What the second stage needs of one paragraph, computed with its first-stage tagging.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FirstStage {
    /// One per token of the paragraph's prose ([`crate::text::tokenize`]).
    keys: Vec<TokenKey>,
    labels: Vec<u8>,
    /// The second model's scores of each token's local features, computed with the first
    /// stage's (one feature extraction and one probe per feature for both models), so that the
    /// document pass only adds the document features' scores.
    local: LocalScores,
    /// Hash of the words and labels (the keys' other fields follow from the words): the
    /// paragraph's part of the second stage's cache key.
    id: u64,
}

/// Per-token label scores, compared by their bits (so that a paragraph's result stays `Eq`:
/// equal inputs give bit-identical scores).
#[derive(Debug, Clone, Default)]
pub struct LocalScores(Vec<[f32; LABELS]>);

impl PartialEq for LocalScores {
    fn eq(&self, other: &LocalScores) -> bool {
        self.0.len() == other.0.len()
            && self.0.iter().zip(&other.0).all(|(a, b)| a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits()))
    }
}

impl Eq for LocalScores {}

/// Mentions in one paragraph by the first stage, with what the second stage needs of it
/// (empty when no model is embedded: then the mentions are the heuristic recogniser's).
pub fn recognize_staged(text: &str) -> (Vec<RawMention>, FirstStage) {
    let Some(model) = tagger::model() else {
        return (super::heuristic::recognize(text), FirstStage::default());
    };
    let tokens = crate::text::tokenize(text);
    let normal: Vec<std::borrow::Cow<'_, str>> =
        tokens.iter().map(|s| normalise(&text[s.start..s.end])).collect();
    let words: Vec<&str> = normal.iter().map(|w| w.as_ref()).collect();
    let (labels, local) = match TwoStage::embedded() {
        Some(two) => two.first_stage(&words),
        None => (model.tag(&words), Vec::new()),
    };
    let mentions = mentions_of(&tokens, &labels);
    let keys = nonlocal::keys(&words);
    let id = keys
        .iter()
        .zip(&labels)
        .fold(keys.len() as u64, |h, (k, &l)| combine(combine(h, k.word), l as u64));
    (mentions, FirstStage { keys, labels, local: LocalScores(local), id })
}

fn mentions_of(tokens: &[Span], labels: &[u8]) -> Vec<RawMention> {
    tagger::spans(labels)
        .into_iter()
        .filter_map(|(s, e, k)| {
            Some(RawMention { span: Span::new(tokens.get(s)?.start, tokens.get(e - 1)?.end), kind: *KINDS.get(k)? })
        })
        .collect()
}

/// One paragraph as the second stage reads it.
#[derive(Debug, Clone, Copy)]
pub struct StagedParagraph<'a> {
    /// The paragraph's prose and its tokens (paragraph offsets), as the first stage read them.
    pub prose: &'a str,
    pub tokens: &'a [Span],
    pub first: &'a FirstStage,
    /// The first stage's mentions (kept if the tokens do not match the first stage's).
    pub mentions: &'a [RawMention],
    /// A dateline: a "person" inside it is a misread place.
    pub dateline: Option<Span>,
}

/// Second-stage labels of paragraphs, by (paragraph id, hash of its document features).
#[derive(Debug, Clone, Default)]
pub struct SecondStageCache {
    labels: HashMap<(u64, u64), Arc<Vec<u8>>>,
}

impl SecondStageCache {
    pub fn clear(&mut self) {
        self.labels.clear();
    }
}

/// The paragraphs' mentions after the second stage (paragraph offsets), or `None` for all
/// when no second-stage model is embedded (the first stage's mentions stand). Afterwards the
/// cache holds exactly these paragraphs' results.
pub fn retag(paragraphs: &[StagedParagraph<'_>], cache: &mut SecondStageCache) -> Option<Vec<Vec<RawMention>>> {
    let two = TwoStage::embedded()?;
    let stats = DocStats::of(paragraphs.iter().map(|p| (&p.first.keys[..], &p.first.labels[..])));
    let mut kept = HashMap::with_capacity(paragraphs.len());
    let (mut feats, mut starts) = (Vec::new(), Vec::new());
    let mut out = Vec::with_capacity(paragraphs.len());
    for p in paragraphs {
        if p.first.keys.len() != p.tokens.len() || p.first.keys.is_empty() {
            out.push(p.mentions.to_vec());
            continue;
        }
        nonlocal::extract(&p.first.keys, &p.first.labels, &stats, &mut feats, &mut starts);
        let features = feats.iter().fold(starts.len() as u64, |h, &f| combine(h, f));
        let features = starts.iter().fold(features, |h, &s| combine(h, s as u64));
        let key = (p.first.id, features);
        let labels = match cache.labels.get(&key).or_else(|| kept.get(&key)) {
            Some(l) => Arc::clone(l),
            None => {
                let normal: Vec<std::borrow::Cow<'_, str>> =
                    p.tokens.iter().map(|s| normalise(&p.prose[s.start..s.end])).collect();
                let words: Vec<&str> = normal.iter().map(|w| w.as_ref()).collect();
                // The local scores came with the first stage; they are recomputed only for a
                // first stage made without the second model (same values either way).
                let local = if p.first.local.0.len() == words.len() {
                    p.first.local.0.clone()
                } else {
                    two.second.emissions(&words)
                };
                Arc::new(two.tag_with(&words, local, &feats, &starts))
            }
        };
        let mut mentions = mentions_of(p.tokens, &labels);
        for m in mentions.iter_mut().filter(|m| m.kind == EntityKind::Person) {
            if p.dateline.is_some_and(|d| d.start <= m.span.start && m.span.end <= d.end) {
                m.kind = EntityKind::Location;
            }
        }
        out.push(mentions);
        kept.insert(key, labels);
    }
    cache.labels = kept;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staged<'a>(prose: &'a str, tokens: &'a [Span], first: &'a FirstStage) -> StagedParagraph<'a> {
        StagedParagraph { prose, tokens, first, mentions: &[], dateline: None }
    }

    #[test]
    fn retagging_reuses_cached_labels_and_matches_a_fresh_pass() {
        let paras = ["Ilse Varga met the board in Tarnow.", "Varga said the port would reopen.", "Tarnow is quiet."];
        let firsts: Vec<(Vec<RawMention>, FirstStage)> = paras.iter().map(|p| recognize_staged(p)).collect();
        let tokens: Vec<Vec<Span>> = paras.iter().map(|p| crate::text::tokenize(p)).collect();
        let input: Vec<StagedParagraph<'_>> =
            paras.iter().zip(&tokens).zip(&firsts).map(|((p, t), (_, f))| staged(p, t, f)).collect();
        let mut cache = SecondStageCache::default();
        let fresh = retag(&input, &mut cache);
        let again = retag(&input, &mut cache);
        assert_eq!(fresh, again);
        assert_eq!(cache.labels.len(), 3);
        if let Some(found) = fresh {
            let person = |i: usize, name: &str| {
                found[i].iter().any(|m| m.kind == EntityKind::Person && &paras[i][m.span.start..m.span.end] == name)
            };
            assert!(person(0, "Ilse Varga") && person(1, "Varga"), "{found:?}");
        }
    }
}
