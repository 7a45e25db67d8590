//! The tagger's second stage in the document pass: every paragraph's first-stage labels (cached
//! with the paragraph) are gathered into document statistics, and each paragraph is tagged again
//! with the document features.
//!
//! Per keystroke this is proportional to the edit: the statistics are kept between passes and
//! updated by the paragraphs that changed, and only paragraphs holding a word whose statistics
//! changed visibly to the features ([`nonlocal::Changed`]) have their features extracted again;
//! the others keep their second-stage labels. Of those, a paragraph whose labels provably
//! cannot change under the change to its few changed tokens' features keeps them too, without
//! being decoded again (`certificate.rs`).

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;
use std::sync::{Arc, Mutex};

use super::packed_keys::PackedKeys;
use super::tagger::features::combine;
use super::tagger::gazetteer::PassThrough;
use super::tagger::nonlocal::{self, ContextRows, DocStats, Probed, TokenKey, TwoStage};
use super::tagger::{self, normalise, KINDS, LABELS};
use super::RawMention;
use crate::analysis::model::Span;
use certificate::Cert;
use kept::KeptScores;

mod certificate;
mod kept;

/// What the second stage needs of one paragraph, computed with its first-stage tagging.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FirstStage {
    /// One per token of the paragraph's prose ([`crate::text::tokenize`]), packed: cached with
    /// every paragraph for the document's lifetime.
    keys: Arc<PackedKeys>,
    labels: Arc<[u8]>,
    /// The second model's scores of each token's local features, computed with the first
    /// stage's (one feature extraction and one probe per feature for both models) and handed to
    /// the document pass that follows, which takes them (see [`LocalScores`]).
    local: LocalScores,
    /// Hash of the words and labels (the keys' other fields follow from the words): the
    /// paragraph's part of the second stage's cache key.
    id: u64,
}

/// Per-token label scores of the second model's local features, held only from the paragraph
/// pass to the document pass that re-tags the paragraph: that pass takes them, so a cached
/// paragraph does not keep 68 bytes per token for the document's lifetime. A paragraph
/// re-tagged later (the document statistics changed where its features read them) scores its
/// words again, which gives the same values.
///
/// Always equal to another: the scores are a function of the paragraph's words, which the
/// rest of [`FirstStage`] already compares, and whether they are still held is no part of the
/// paragraph's result.
#[derive(Debug, Clone, Default)]
pub struct LocalScores(Arc<Mutex<Option<Vec<[f32; LABELS]>>>>);

impl LocalScores {
    fn new(scores: Vec<[f32; LABELS]>) -> LocalScores {
        LocalScores(Arc::new(Mutex::new(Some(scores))))
    }

    /// The scores if still held, leaving none.
    fn take(&self) -> Option<Vec<[f32; LABELS]>> {
        self.0.lock().ok()?.take()
    }
}

impl PartialEq for LocalScores {
    fn eq(&self, _: &LocalScores) -> bool {
        true
    }
}

impl Eq for LocalScores {}

/// Mentions in one paragraph by the first stage, with what the second stage needs of it
/// (empty when no model is embedded: then the mentions are the heuristic recogniser's).
pub fn recognize_staged(text: &str) -> (Vec<RawMention>, FirstStage) {
    recognize_staged_tokens(text, &crate::text::tokenize(text))
}

/// [`recognize_staged`] given the text's tokens ([`crate::text::tokenize`]), which the
/// paragraph pass has already made.
pub fn recognize_staged_tokens(text: &str, tokens: &[Span]) -> (Vec<RawMention>, FirstStage) {
    let Some(model) = tagger::model() else {
        return (super::heuristic::recognize(text), FirstStage::default());
    };
    let normal: Vec<std::borrow::Cow<'_, str>> = tokens
        .iter()
        .map(|s| normalise(&text[s.start..s.end]))
        .collect();
    let words: Vec<&str> = normal.iter().map(|w| w.as_ref()).collect();
    let (labels, local) = match TwoStage::embedded() {
        Some(two) => two.first_stage(&words),
        None => (model.tag(&words), Vec::new()),
    };
    let mentions = mentions_of(tokens, &labels);
    let keys = nonlocal::keys(&words);
    let id = keys
        .iter()
        .zip(&labels)
        .fold(keys.len() as u64, |h, (k, &l)| {
            combine(combine(h, k.word), l as u64)
        });
    (
        mentions,
        FirstStage {
            keys: Arc::new(PackedKeys::pack(&keys)),
            labels: labels.into(),
            local: LocalScores::new(local),
            id,
        },
    )
}

fn mentions_of(tokens: &[Span], labels: &[u8]) -> Vec<RawMention> {
    mentions_at(|i| tokens.get(i).copied(), &tagger::spans(labels))
}

/// The mentions of labelled token ranges; `token(i)` is the `i`th token's span.
fn mentions_at(
    token: impl Fn(usize) -> Option<Span>,
    spans: &[(usize, usize, usize)],
) -> Vec<RawMention> {
    spans
        .iter()
        .filter_map(|&(s, e, k)| {
            Some(RawMention {
                span: Span::new(token(s)?.start, token(e.checked_sub(1)?)?.end),
                kind: *KINDS.get(k)?,
            })
        })
        .collect()
}

/// One paragraph as the second stage reads it.
#[derive(Debug, Clone, Copy)]
pub struct StagedParagraph<'a> {
    /// The paragraph's prose and its tokens (paragraph offsets), as the first stage read them.
    pub prose: &'a str,
    pub tokens: &'a crate::text::TokenSpans,
    pub first: &'a FirstStage,
    /// The first stage's mentions (kept if the tokens do not match the first stage's).
    pub mentions: &'a [RawMention],
    /// A dateline: a "person" inside it is a misread place.
    pub dateline: Option<Span>,
}

/// The second stage's state between passes over one document: the statistics of the last
/// pass's paragraphs, and each distinct paragraph's document features and labels.
#[derive(Debug, Clone, Default)]
pub struct SecondStageCache {
    stats: DocStats,
    /// The last pass's paragraph ids, in order.
    order: Vec<u64>,
    /// Per paragraph id (its words and first-stage labels) in the last pass.
    known: IdMap<Known>,
    /// Word and lowercase hashes ([`TokenKey::word`], and [`TokenKey::lower`] of words with a
    /// capital) → the slots ([`Known::slot`]) of the known paragraphs with such a token: the
    /// paragraphs whose features a change of the statistics for that hash can alter. About one
    /// entry per token of the document, so slots of 4 bytes rather than ids of 8.
    postings: IdMap<Vec<u32>>,
    /// Each slot's paragraph id (a freed slot keeps a stale id, but no posting names it).
    slot_ids: Vec<u64>,
    /// Slots of paragraphs no longer known, to give out again.
    free_slots: Vec<u32>,
    /// Which known paragraphs keep their local scores ([`Known::local`]).
    kept: KeptScores,
    /// The known paragraphs the next pass must visit wherever they stand: stale ones, those
    /// never labelled, and those a pass left unlabelled (tokens that do not match the first
    /// stage's). Every other known paragraph's labels stand, so a pass visits these and the
    /// paragraphs its caller does not hold, not every paragraph of the document: each visit
    /// reads a few cold cache lines (its id's entry, its scores' lock, its labels' count), and
    /// at 1 MB, ≈ 7,000 paragraphs, those visits were a fifth of a keystroke's CPU time.
    unsettled: IdSet,
    /// How many passes this cache has seen (see [`Known::labelled`]).
    passes: u64,
    /// What the last pass did with the paragraphs it re-read.
    last: PassCounts,
}

/// How many distinct paragraphs one pass certified, found stale and decoded again (for tests
/// and measurements).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PassCounts {
    /// Paragraphs a change reached that kept their labels by their certificate.
    pub certified: usize,
    /// Paragraphs with a certificate that it could not keep (they were re-read).
    pub refused: usize,
    /// Paragraphs whose labels were decoded again.
    pub decoded: usize,
}

type IdMap<V> = HashMap<u64, V, BuildHasherDefault<PassThrough>>;
type IdSet = HashSet<u64, BuildHasherDefault<PassThrough>>;

#[derive(Debug, Clone)]
struct Known {
    /// How many paragraphs of the last pass have this id.
    count: usize,
    /// This paragraph's number in the postings (see [`SecondStageCache::slot_ids`]).
    slot: u32,
    keys: Arc<PackedKeys>,
    labels: Arc<[u8]>,
    /// The pass that last gave this paragraph other second-stage labels than it had: a
    /// paragraph of an earlier pass that kept its content keeps its mentions unless this is
    /// the current pass ([`retag_reusing`]). Also which kept scores were used last
    /// ([`KeptScores`]).
    labelled: u64,
    /// Hash of the document features the second model scores
    /// ([`TwoStage::scored_features_hash`]) and the second-stage labels they gave, while current.
    second: Option<(u64, Arc<Vec<u8>>)>,
    /// The statistics changed where this paragraph's features read them: extract them again.
    stale: bool,
    /// What proves that a change to a few of its tokens' features leaves its labels, from its
    /// last decoding and the changes certified since ([`certificate`]).
    cert: Option<Cert>,
    /// The second model's scores of the paragraph's own features, kept once it was re-tagged
    /// after its first pass, while it is among the last re-tagged ([`KeptScores`]).
    local: Option<Arc<[[f32; LABELS]]>>,
    /// The mentions of the current second-stage labels as token ranges (start, end, kind):
    /// decoding every paragraph's labels on every pass cost more than the rest of the pass.
    spans: Option<(Arc<Vec<u8>>, TokenRanges)>,
}

/// Mentions as token ranges: (first token, end token, kind index).
type TokenRanges = Arc<[(usize, usize, usize)]>;

impl SecondStageCache {
    pub fn clear(&mut self) {
        *self = SecondStageCache::default();
    }

    /// Number of distinct paragraphs held (for tests).
    pub fn len(&self) -> usize {
        self.known.len()
    }

    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// What the last pass did (see [`PassCounts`]).
    pub fn last_pass(&self) -> PassCounts {
        self.last
    }

    /// Bring the statistics and the known paragraphs from the last pass's to the paragraphs of
    /// these first stages, marking stale those whose features the change can alter. Only those
    /// between the unchanged start and end of the document are looked at.
    ///
    /// `contexts` is the pass's [`ContextRows`] (for the statistics as they are after this).
    fn sync(&mut self, firsts: &[&FirstStage], two: &TwoStage<'_>, contexts: &mut ContextRows) {
        let ids: Vec<u64> = firsts.iter().map(|f| f.id).collect();
        let prefix = self
            .order
            .iter()
            .zip(&ids)
            .take_while(|(a, b)| a == b)
            .count();
        let room = self.order.len().min(ids.len()) - prefix;
        let suffix = self
            .order
            .iter()
            .rev()
            .zip(ids.iter().rev())
            .take(room)
            .take_while(|(a, b)| a == b)
            .count();
        // Net change in how many paragraphs have each id (a paragraph that moved is no change).
        let mut delta: IdMap<(isize, usize)> = IdMap::default();
        for &id in &self.order[prefix..self.order.len() - suffix] {
            delta.entry(id).or_insert((0, usize::MAX)).0 -= 1;
        }
        for (i, &id) in ids.iter().enumerate().take(ids.len() - suffix).skip(prefix) {
            let d = delta.entry(id).or_insert((0, i));
            d.0 += 1;
            d.1 = i;
        }
        let (mut removed, mut added): (Vec<Sequence>, Vec<Sequence>) = (Vec::new(), Vec::new());
        for (&id, &(d, at)) in &delta {
            if d > 0 {
                let Some(first) = firsts.get(at) else {
                    continue;
                };
                let known = match self.known.entry(id) {
                    Entry::Occupied(e) => e.into_mut(),
                    Entry::Vacant(e) => {
                        let slot = match self.free_slots.pop() {
                            Some(slot) => {
                                self.slot_ids[slot as usize] = id;
                                slot
                            }
                            None => {
                                // A slot per distinct paragraph: far fewer than 2^32.
                                self.slot_ids.push(id);
                                (self.slot_ids.len() - 1) as u32
                            }
                        };
                        for h in hashes(&first.keys) {
                            self.postings.entry(h).or_default().push(slot);
                        }
                        self.unsettled.insert(id);
                        e.insert(Known {
                            count: 0,
                            slot,
                            labelled: 0,
                            keys: Arc::clone(&first.keys),
                            labels: Arc::clone(&first.labels),
                            second: None,
                            stale: false,
                            cert: None,
                            local: None,
                            spans: None,
                        })
                    }
                };
                known.count += d as usize;
                for _ in 0..d {
                    added.push((Arc::clone(&known.keys), Arc::clone(&known.labels)));
                }
            } else if d < 0 {
                let Some(known) = self.known.get_mut(&id) else {
                    continue;
                };
                for _ in 0..d.unsigned_abs() {
                    removed.push((Arc::clone(&known.keys), Arc::clone(&known.labels)));
                }
                known.count = known.count.saturating_sub(d.unsigned_abs());
                if known.count == 0 {
                    let slot = known.slot;
                    for h in hashes(&known.keys) {
                        if let Some(list) = self.postings.get_mut(&h) {
                            if let Some(i) = list.iter().position(|&x| x == slot) {
                                list.swap_remove(i);
                            }
                            if list.is_empty() {
                                self.postings.remove(&h);
                            }
                        }
                    }
                    self.free_slots.push(slot);
                    if let Some(gone) = self.known.remove(&id) {
                        self.kept.forget(&gone);
                    }
                }
            }
        }
        self.order = ids;
        if removed.len() + added.len() >= self.order.len() {
            // As many paragraphs to take out and put in as the document has (a first pass, a
            // pasted-over text, another document in the same cache): gathering the statistics
            // afresh is cheaper than applying the difference and finding what it changed, and
            // every paragraph's features are extracted again.
            self.stats = DocStats::default();
            for f in firsts {
                self.stats.add(&f.keys.unpack(), &f.labels);
            }
            for (&id, k) in self.known.iter_mut() {
                k.stale = true;
                self.unsettled.insert(id);
            }
            return;
        }
        let (removed, added) = (unpacked(&removed), unpacked(&added));
        let (removed, added) = (as_refs(&removed), as_refs(&added));
        let changed = self.stats.update(&removed, &added, &two.scored());
        let mut hit: Vec<u32> = changed
            .words
            .iter()
            .chain(&changed.lowers)
            .flat_map(|h| self.postings.get(h).map_or(&[][..], Vec::as_slice))
            .copied()
            .collect();
        hit.sort_unstable();
        hit.dedup();
        // A paragraph current until now, with a certificate, may keep its labels: the others
        // are decoded again.
        let mut candidates = Vec::new();
        for slot in hit {
            let Some(&id) = self.slot_ids.get(slot as usize) else {
                continue;
            };
            if let Some(k) = self.known.get_mut(&id) {
                if !k.stale && k.second.is_some() && k.cert.is_some() {
                    candidates.push(slot);
                } else {
                    k.stale = true;
                    self.unsettled.insert(id);
                }
            }
        }
        if !candidates.is_empty() {
            self.certify(&candidates, &changed, (&removed, &added), two, contexts);
        }
    }
}

/// A paragraph's contribution to the statistics: its token keys and first-stage labels.
type Sequence = (Arc<PackedKeys>, Arc<[u8]>);

/// The keys unpacked (only the few paragraphs an edit changed come this way).
fn unpacked(v: &[Sequence]) -> Vec<(Vec<TokenKey>, Arc<[u8]>)> {
    v.iter().map(|(k, l)| (k.unpack(), Arc::clone(l))).collect()
}

fn as_refs(v: &[(Vec<TokenKey>, Arc<[u8]>)]) -> Vec<(&[TokenKey], &[u8])> {
    v.iter().map(|(k, l)| (&k[..], &l[..])).collect()
}

/// The distinct hashes a paragraph's features look statistics up by: every token's word, and
/// the lowercase of words with a capital letter.
fn hashes(keys: &PackedKeys) -> Vec<u64> {
    let mut out: Vec<u64> = keys
        .iter()
        .map(|t| t.word)
        .chain(keys.iter().filter(|t| t.upper).map(|t| t.lower))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The paragraphs' mentions after the second stage (paragraph offsets), or `None` for all
/// when no second-stage model is embedded (the first stage's mentions stand). The cache must
/// hold the previous pass over the same document (or nothing); afterwards it holds this one.
pub fn retag(
    paragraphs: &[StagedParagraph<'_>],
    cache: &mut SecondStageCache,
) -> Option<Vec<Vec<RawMention>>> {
    let firsts: Vec<&FirstStage> = paragraphs.iter().map(|p| p.first).collect();
    let out = retag_reusing(&firsts, |i| paragraphs.get(i).copied(), cache, &[])?;
    Some(out.into_iter().map(Option::unwrap_or_default).collect())
}

/// [`retag`], given each paragraph's first stage and the paragraphs themselves by `read` (the
/// `i`th of `firsts` as the second stage reads it), where the caller holds the last pass's
/// mentions of the paragraphs marked in `held` (each the same text as a paragraph of the last
/// pass, which it was given then): for those whose labels this pass left as they were, `None`
/// (their mentions are the held ones). A keystroke changes one paragraph's labels and seldom
/// others': building every paragraph's mentions again was most of the pass.
///
/// A held paragraph is not even read unless its labels are unsettled
/// ([`SecondStageCache::unsettled`]): its [`FirstStage`] is the one the last pass was given,
/// which took its local scores, so it has none to take either. Nor is it read to make its
/// [`StagedParagraph`] (its prose and dateline are more cold cache lines).
pub fn retag_reusing<'a>(
    firsts: &[&FirstStage],
    read: impl Fn(usize) -> Option<StagedParagraph<'a>>,
    cache: &mut SecondStageCache,
    held: &[bool],
) -> Option<Vec<Option<Vec<RawMention>>>> {
    let two = TwoStage::embedded()?;
    // The statistics are fixed for the pass: a word's context features are looked up once.
    let mut contexts = ContextRows::default();
    cache.last = PassCounts::default();
    cache.sync(firsts, two, &mut contexts);
    cache.passes += 1;
    let pass = cache.passes;
    let (mut feats, mut starts, mut hints) = (Vec::new(), Vec::new(), Vec::new());
    let mut probed = Probed::default();
    let second_row = two.second_row();
    let mut out = Vec::with_capacity(firsts.len());
    for i in 0..firsts.len() {
        let held = held.get(i).copied().unwrap_or(false);
        // `sync` made the order this pass's ids.
        if held
            && !cache
                .order
                .get(i)
                .is_some_and(|id| cache.unsettled.contains(id))
        {
            out.push(None);
            continue;
        }
        let Some(p) = read(i) else {
            out.push(None); // no paragraph to read: none was given
            continue;
        };
        cache.kept.evict(&mut cache.known);
        // Taken whether or not this pass needs them: a paragraph keeps no scores past the pass.
        let local = p.first.local.take();
        let known = cache.known.get_mut(&p.first.id);
        let (Some(known), false) = (
            known,
            p.first.keys.len() != p.tokens.len() || p.first.keys.is_empty(),
        ) else {
            // The first stage's mentions: the paragraph's own, as when they were held.
            out.push((!held).then(|| p.mentions.to_vec()));
            continue;
        };
        let labels = match &known.second {
            Some((_, labels)) if !known.stale => Arc::clone(labels),
            _ => {
                nonlocal::extract_hinted(
                    &p.first.keys.unpack(),
                    &p.first.labels,
                    &cache.stats,
                    &mut feats,
                    &mut starts,
                    second_row
                        .as_ref()
                        .map(|row| (&mut hints, &mut contexts, row)),
                );
                // A paragraph labelled before keeps its labels while the features the model
                // scores are the same; the probe that tells is the scoring's.
                two.probe(&feats, &starts, &hints, &mut probed);
                let features = probed.hash;
                let kept = known.second.as_ref().and_then(|(f, labels)| {
                    (*f == features).then(|| (features, Arc::clone(labels)))
                });
                let (features, labels) = match kept {
                    Some(kept) => kept,
                    None => {
                        let local = local.or_else(|| known.local.as_deref().map(<[_]>::to_vec));
                        let (labels, scored, cert) =
                            second_labels(two, &p, local, &feats, &starts, &probed);
                        known.labelled = pass;
                        known.cert = cert;
                        cache.last.decoded += 1;
                        if let Some(scores) = scored {
                            cache.kept.keep(known, scores);
                        }
                        cache.kept.used(p.first.id, known, pass);
                        (features, Arc::new(labels))
                    }
                };
                known.second = Some((features, Arc::clone(&labels)));
                known.stale = false;
                labels
            }
        };
        if held && known.labelled != pass {
            out.push(None);
            continue;
        }
        let spans = match &known.spans {
            Some((of, spans)) if Arc::ptr_eq(of, &labels) => Arc::clone(spans),
            _ => {
                let spans: TokenRanges = tagger::spans(&labels).into();
                known.spans = Some((Arc::clone(&labels), Arc::clone(&spans)));
                spans
            }
        };
        let mut mentions = mentions_at(|i| p.tokens.get(i), &spans);
        super::settle_dateline_kinds(p.prose, p.dateline, &mut mentions);
        out.push(Some(mentions));
    }
    cache.kept.evict(&mut cache.known);
    let known = &cache.known;
    cache
        .unsettled
        .retain(|id| known.get(id).is_some_and(|k| k.stale || k.second.is_none()));
    Some(out)
}

/// One paragraph's second-stage labels given its document features (as probed), its local
/// scores if they had to be computed again, and its certificate.
fn second_labels(
    two: &TwoStage<'_>,
    p: &StagedParagraph<'_>,
    local: Option<Vec<[f32; LABELS]>>,
    feats: &[u64],
    starts: &[usize],
    probed: &Probed,
) -> (Vec<u8>, Option<Vec<[f32; LABELS]>>, Option<Cert>) {
    let normal: Vec<std::borrow::Cow<'_, str>> = p
        .tokens
        .iter()
        .map(|s| normalise(&p.prose[s.start..s.end]))
        .collect();
    let words: Vec<&str> = normal.iter().map(|w| w.as_ref()).collect();
    // The local scores came with the first stage when this is the pass after it; they are
    // computed again for a paragraph re-tagged later (same values either way).
    let upper: Vec<bool> = p.first.keys.iter().map(|t| t.upper).collect();
    let marked = |i: usize| upper.get(i).copied().unwrap_or(true);
    let (local, scored) = match local {
        Some(local) if local.len() == words.len() => (local, None),
        _ => {
            let local = two.second_emissions(&words);
            (local.clone(), Some(local))
        }
    };
    let (labels, decoded) = two.tag_probed_margins(&words, local, feats, starts, probed, marked);
    let cert = decoded.and_then(|d| Cert::new(d.margins, d.local, d.raw));
    (labels, scored, cert)
}

#[cfg(test)]
mod tests;
