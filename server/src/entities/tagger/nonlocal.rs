//! The second tagging stage: document-level (non-local) features from how the first stage
//! labelled the same word and the same names elsewhere in the document (Krishnan & Manning
//! 2006; Ratinov & Roth 2009), added to the first stage's scores before decoding again.
//!
//! The first stage tags each sequence (a paragraph in the product, a sentence in CoNLL) alone.
//! [`DocStats`] gathers its labels (and the words around each capitalised word) over the whole
//! document; [`extract`] turns them into features of each token, always leaving out the token's
//! own occurrence (its own first-stage label is
//! in its local features); [`TwoStage::tag`] decodes with the second model, which weighs the
//! first stage's features and these.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::features::{combine, feature, fnv, opens_sentence};
use super::gazetteer::PassThrough;
use super::{parse_label, spans, Model, LABELS};

mod delta;
pub use delta::Changed;

/// Longest entity, in tokens, whose spelling is matched elsewhere in the document.
const MAX_ENTITY: usize = 5;

type Map<V> = HashMap<u64, V, BuildHasherDefault<PassThrough>>;

/// FNV-1a of the lowercased word, without allocating (equal to `fnv(&word.to_lowercase())`
/// for words whose lowercase is character by character).
pub fn lower_hash(word: &str) -> u64 {
    const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h = FNV_OFFSET;
    if word.is_ascii() {
        // Most tokens: lowercase byte by byte (`char::to_lowercase` costs far more per byte).
        for b in word.bytes() {
            h = (h ^ b.to_ascii_lowercase() as u64).wrapping_mul(FNV_PRIME);
        }
        return h;
    }
    let mut buf = [0u8; 4];
    for c in word.chars() {
        for l in c.to_lowercase() {
            for &b in l.encode_utf8(&mut buf).as_bytes() {
                h = (h ^ b as u64).wrapping_mul(FNV_PRIME);
            }
        }
    }
    h
}

/// What the document features need to know of one token, computed once per sequence (and kept
/// with a paragraph's cached first-stage result in the product).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TokenKey {
    /// [`fnv`] of the word as written.
    pub word: u64,
    /// [`lower_hash`] of the word.
    pub lower: u64,
    /// The word has an uppercase letter (only such words get document features).
    pub upper: bool,
    /// It starts with an uppercase letter.
    pub capital: bool,
    /// It starts with a lowercase letter and has no uppercase one.
    pub lowercase: bool,
    /// It may simply open a sentence or quotation (see `features::opens_sentence`).
    pub initial: bool,
}

/// The keys of a sequence's tokens.
pub fn keys(words: &[&str]) -> Vec<TokenKey> {
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let upper = w.chars().any(char::is_uppercase);
            let first = w.chars().next();
            TokenKey {
                word: fnv(w),
                lower: lower_hash(w),
                upper,
                capital: first.is_some_and(char::is_uppercase),
                lowercase: !upper && first.is_some_and(char::is_lowercase),
                initial: opens_sentence(if i == 0 { None } else { Some(words[i - 1]) }),
            }
        })
        .collect()
}

/// Kind class of a label: 0 for O, 1 + kind index otherwise.
fn class(label: u8) -> usize {
    parse_label(label).map_or(0, |(k, _)| k + 1)
}

/// The first stage's labels over one document, by word and by entity spelling.
#[derive(Debug, Default, Clone)]
pub struct DocStats {
    /// Exact spelling of a word with a capital letter → how often it got each label.
    words: Map<[u32; LABELS]>,
    /// The same, keyed by the lowercased spelling ("JAPAN" and "Japan" together).
    caseless: Map<[u32; LABELS]>,
    /// Lowercase spellings of words written all in lowercase somewhere in the document, with
    /// how often (counted so that a sequence can be taken out again, see [`delta`]).
    lower_seen: Map<u32>,
    /// Spelling of a first-stage entity (its words' hashes combined) → count per kind.
    entities: Map<[u32; 4]>,
    /// Words that occur in some first-stage entity, with how often.
    in_entity: Map<u32>,
    /// Context aggregation (Ratinov & Roth 2009): lowercased spelling of a word with a capital
    /// letter → the words next to its occurrences ([`context`]: side and neighbour), each with
    /// how often, kept sorted by context so that the features come in one order however the
    /// statistics were built.
    contexts: Map<Vec<(u64, u32)>>,
    /// Lowercased spelling of a word → how often it is the first, a middle or the last word of
    /// a first-stage entity of two or more words, per kind (kind * 3 + position).
    containers: Map<[u32; 12]>,
}

/// Position of token `i` in a multi-word span `s..e`: 0 first, 1 middle, 2 last.
fn position(s: usize, e: usize, i: usize) -> usize {
    if i == s {
        0
    } else if i + 1 == e {
        2
    } else {
        1
    }
}

/// The neighbours taken as a word's context: the words at -2, -1, +1 and +2.
const SIDES: [isize; 4] = [-2, -1, 1, 2];

/// At most this many contexts of other occurrences become features of one token (the first in
/// the sorted list), so that a name repeated throughout a long article costs a bounded number
/// of probes per occurrence. CoNLL's documents never reach it (dev predictions are the same
/// without the bound).
const MAX_CONTEXTS: usize = 64;

/// A context of token `i` of a sequence: the lowercased word at `i + offset` (or the sequence's
/// start or end) with the side it is on.
fn context(keys: &[TokenKey], i: usize, offset: isize) -> u64 {
    const START: u64 = 0x5157_4152_5400_0001;
    const END: u64 = 0x454e_4400_0000_0002;
    let j = i as isize + offset;
    let neighbour = if j < 0 {
        START
    } else {
        keys.get(j as usize).map_or(END, |t| t.lower)
    };
    combine(offset as u64, neighbour)
}

fn entity_key(hashes: impl Iterator<Item = u64>) -> u64 {
    hashes.fold(0, combine)
}

impl DocStats {
    /// Add one sequence with its first-stage labels.
    pub fn add(&mut self, keys: &[TokenKey], labels: &[u8]) {
        for (t, &l) in keys.iter().zip(labels) {
            if t.upper {
                self.words.entry(t.word).or_insert([0; LABELS])[l as usize] += 1;
                self.caseless.entry(t.lower).or_insert([0; LABELS])[l as usize] += 1;
            } else if t.lowercase {
                *self.lower_seen.entry(t.lower).or_insert(0) += 1;
            }
        }
        for (i, t) in keys.iter().enumerate().filter(|(_, t)| t.upper) {
            let list = self.contexts.entry(t.lower).or_default();
            for offset in SIDES {
                let c = context(keys, i, offset);
                match list.binary_search_by_key(&c, |&(x, _)| x) {
                    Ok(at) => {
                        if let Some(e) = list.get_mut(at) {
                            e.1 += 1;
                        }
                    }
                    Err(at) => list.insert(at, (c, 1)),
                }
            }
        }
        for (s, e, k) in spans(labels) {
            if e - s >= 2 && e <= keys.len() {
                for (i, t) in keys.iter().enumerate().take(e).skip(s) {
                    if let Some(c) = self
                        .containers
                        .entry(t.lower)
                        .or_insert([0; 12])
                        .get_mut(k * 3 + position(s, e, i))
                    {
                        *c += 1;
                    }
                }
            }
            if e - s <= MAX_ENTITY && e <= keys.len() {
                let key = entity_key(keys[s..e].iter().map(|t| t.word));
                self.entities.entry(key).or_insert([0; 4])[k] += 1;
                for t in &keys[s..e] {
                    *self.in_entity.entry(t.word).or_insert(0) += 1;
                }
            }
        }
    }

    /// Statistics of a whole document given as sequences and their labels.
    pub fn of<'a>(seqs: impl IntoIterator<Item = (&'a [TokenKey], &'a [u8])>) -> DocStats {
        let mut stats = DocStats::default();
        for (k, l) in seqs {
            stats.add(k, l);
        }
        stats
    }
}

/// The index of the largest count (the first on ties), if any count is positive.
fn majority(counts: &[u32]) -> Option<usize> {
    let (i, &best) = counts
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))?;
    (best > 0).then_some(i)
}

/// Features of one label distribution (others' labels for this word): the majority label, the
/// majority kind conjoined with the token's own first-stage kind, and each kind's share.
fn push_distribution(
    template: u8,
    counts: &[u32; LABELS],
    own: u8,
    push: &mut impl FnMut(u8, u64, u64),
) {
    let Some(best) = majority(counts) else { return };
    let total: u32 = counts.iter().sum();
    let mut kinds = [0u32; 5];
    for (l, &c) in counts.iter().enumerate() {
        kinds[class(l as u8)] += c;
    }
    push(template, best as u64, 0);
    if let Some(k) = majority(&kinds) {
        push(template + 1, k as u64, class(own) as u64);
    }
    for (k, &c) in kinds.iter().enumerate() {
        if c > 0 {
            let share = if c == total {
                3
            } else if 2 * c >= total {
                2
            } else {
                1
            };
            push(template + 2, k as u64, share);
        }
    }
}

/// Document-level feature ids of each token of one sequence (appended to `out`, token i's are
/// `starts[i]..starts[i + 1]`), from the sequence's own first-stage `labels` and the document's
/// statistics, which must include this sequence.
pub fn extract(
    keys: &[TokenKey],
    labels: &[u8],
    stats: &DocStats,
    out: &mut Vec<u64>,
    starts: &mut Vec<usize>,
) {
    out.clear();
    starts.clear();
    let own_spans = spans(labels);
    let n = keys.len();
    for (i, t) in keys.iter().enumerate() {
        starts.push(out.len());
        if !t.upper {
            continue;
        }
        let own = labels.get(i).copied().unwrap_or(0);
        let mut push = |tpl: u8, a: u64, b: u64| out.push(feature(tpl, a, b, 0));
        if let Some(c) = stats.words.get(&t.word) {
            let mut others = *c;
            others[own as usize] = others[own as usize].saturating_sub(1);
            push_distribution(100, &others, own, &mut push);
        }
        if let Some(c) = stats.caseless.get(&t.lower) {
            let mut others = *c;
            others[own as usize] = others[own as usize].saturating_sub(1);
            push_distribution(104, &others, own, &mut push);
        }
        if t.capital && stats.lower_seen.contains_key(&t.lower) {
            push(108, t.initial as u64, class(own) as u64);
        }
        if let Some(list) = stats.contexts.get(&t.lower) {
            // The words around the other occurrences of this word (Ratinov & Roth's context
            // aggregation): "Pirelli 's shares" elsewhere says what "Pirelli" is here.
            let own_contexts = SIDES.map(|offset| context(keys, i, offset));
            for &(c, n) in list.iter().take(MAX_CONTEXTS + SIDES.len()) {
                if n > own_contexts.iter().filter(|&&o| o == c).count() as u32 {
                    push(113, c, 0);
                }
            }
        }
        // Whether the word is part of a longer first-stage entity elsewhere, of which kind and
        // where in it ("Kaczmarek" is the last word of the person "Jan Kaczmarek"), or, for a
        // word seen more than once, of none: a person is usually named in full somewhere, a
        // company with a surname for a name ("Pirelli") is not.
        let mut others = stats.containers.get(&t.lower).copied().unwrap_or([0; 12]);
        if let Some(&(s, e, k)) = own_spans
            .iter()
            .find(|&&(s, e, _)| s <= i && i < e && e - s >= 2)
        {
            if let Some(slot) = others.get_mut(k * 3 + position(s, e, i)) {
                *slot = slot.saturating_sub(1);
            }
        }
        let mut contained = false;
        for (slot, &c) in others.iter().enumerate() {
            if c > 0 {
                contained = true;
                push(114, slot as u64, class(own) as u64);
            }
        }
        if !contained
            && stats
                .words
                .get(&t.word)
                .is_some_and(|c| c.iter().sum::<u32>() > 1)
        {
            push(115, class(own) as u64, 0);
        }
        if !stats.in_entity.contains_key(&t.word) {
            continue;
        }
        // The longest first-stage entity spelled like a stretch of words around this token
        // (all of whose words occur in some entity).
        let mut lo = i;
        while lo > 0 && i - lo + 1 < MAX_ENTITY && stats.in_entity.contains_key(&keys[lo - 1].word)
        {
            lo -= 1;
        }
        let mut hi = i + 1;
        while hi < n && hi - i < MAX_ENTITY && stats.in_entity.contains_key(&keys[hi].word) {
            hi += 1;
        }
        'longest: for len in (1..=MAX_ENTITY.min(hi - lo)).rev() {
            for s in (i + 1).saturating_sub(len).max(lo)..=i {
                let e = s + len;
                if e > hi {
                    break;
                }
                let Some(c) = stats
                    .entities
                    .get(&entity_key(keys[s..e].iter().map(|t| t.word)))
                else {
                    continue;
                };
                let mut others = *c;
                if let Some(&(_, _, k)) = own_spans.iter().find(|&&(os, oe, _)| os == s && oe == e)
                {
                    others[k] = others[k].saturating_sub(1);
                }
                let Some(k) = majority(&others) else { continue };
                let part = match (len, i - s) {
                    (1, _) => 3,
                    (_, 0) => 0,
                    (n, p) if p == n - 1 => 2,
                    _ => 1,
                };
                push(110, (k * 4 + part) as u64, 0);
                push(111, k as u64, class(own) as u64);
                push(112, k as u64, (len.min(3) * 2 + t.initial as usize) as u64);
                break 'longest;
            }
        }
    }
    starts.push(out.len());
}

/// Both models' weights of the features they share an index for, side by side, so that one
/// probe per feature scores a sequence for both stages. Built once from the two models when
/// they use the same bucket count (their feature ids then identify features alike).
struct Joint {
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

const ROW: usize = super::ROW;

impl Joint {
    fn new(first: &Model, second: &Model) -> Option<Joint> {
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
    fn emissions(&self, words: &[&str]) -> (Vec<[f32; LABELS]>, Vec<[f32; LABELS]>) {
        let mut feats = Vec::with_capacity(words.len() * 48);
        let mut starts = Vec::with_capacity(words.len() + 1);
        super::features::extract(words, &mut feats, &mut starts);
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

/// The two stages together: the first model tags each sequence alone; the second model scores
/// each token with the first model's features plus the document features and decodes again.
pub struct TwoStage<'a> {
    pub first: &'a Model,
    pub second: &'a Model,
    joint: Option<Joint>,
    single: bool,
}

impl<'a> TwoStage<'a> {
    /// The two stages, each model probed on its own.
    pub fn new(first: &'a Model, second: &'a Model) -> TwoStage<'a> {
        let single = std::ptr::eq(first.rows, second.rows) || first.rows == second.rows;
        TwoStage {
            first,
            second,
            joint: None,
            single,
        }
    }

    /// The embedded models' two stages with their joint index, built on first use (once per
    /// process: the paragraph pass scores both stages' local features in one probe each);
    /// `None` when the build embeds no second-stage model.
    pub fn embedded() -> Option<&'static TwoStage<'static>> {
        static TWO: std::sync::OnceLock<Option<TwoStage<'static>>> = std::sync::OnceLock::new();
        TWO.get_or_init(|| {
            Some(TwoStage::with_joint(
                super::model()?,
                super::document_model()?,
            ))
        })
        .as_ref()
    }

    /// Whether one model serves both stages (trained with and without document features).
    pub fn single(&self) -> bool {
        self.single
    }

    /// The two stages with a joint index of both models' features (built here, a few MB and
    /// milliseconds), so that [`TwoStage::first_stage`] probes each feature once.
    pub fn with_joint(first: &'a Model, second: &'a Model) -> TwoStage<'a> {
        let mut two = TwoStage::new(first, second);
        if !two.single {
            two.joint = Joint::new(first, second);
        }
        two
    }

    /// The first stage's labels of one sequence and the second model's scores of its own
    /// features (the input of [`TwoStage::tag_with`]): one feature extraction for both.
    pub fn first_stage(&self, words: &[&str]) -> (Vec<u8>, Vec<[f32; LABELS]>) {
        if self.single() {
            let e = self.second.emissions(words);
            return (self.second.decode(words, &e), e);
        }
        let (one, two) = match &self.joint {
            Some(j) => j.emissions(words),
            None => (self.first.emissions(words), self.second.emissions(words)),
        };
        (self.first.decode(words, &one), two)
    }

    /// Second-stage labels of one sequence (`words` and their `keys`), from its first-stage
    /// `labels`, the second model's scores of its own features (`local`) and the document's
    /// statistics.
    pub fn tag(
        &self,
        words: &[&str],
        keys: &[TokenKey],
        labels: &[u8],
        local: Vec<[f32; LABELS]>,
        stats: &DocStats,
    ) -> Vec<u8> {
        let (mut feats, mut starts) = (Vec::new(), Vec::new());
        extract(keys, labels, stats, &mut feats, &mut starts);
        self.tag_with(words, local, &feats, &starts)
    }

    /// Second-stage labels of `words` given the second model's scores of their own features and
    /// their document features (as [`extract`] gives them).
    pub fn tag_with(
        &self,
        words: &[&str],
        local: Vec<[f32; LABELS]>,
        feats: &[u64],
        starts: &[usize],
    ) -> Vec<u8> {
        let mut scores = local;
        for (i, e) in scores.iter_mut().enumerate() {
            let (Some(&a), Some(&b)) = (starts.get(i), starts.get(i + 1)) else {
                break;
            };
            for &h in feats.get(a..b).unwrap_or_default() {
                self.second.add(h, e);
            }
        }
        self.second.decode(words, &scores)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::tagger::{label, Part};

    #[test]
    fn features_leave_out_the_token_itself() {
        let per = label(0, Part::Unit);
        let words: [&str; 2] = ["Varga", "won"];
        let labels = [per, 0];
        let k = keys(&words);
        let alone = DocStats::of([(&k[..], &labels[..])]);
        let (mut f, mut s) = (Vec::new(), Vec::new());
        extract(&k, &labels, &alone, &mut f, &mut s);
        assert!(
            f.is_empty(),
            "a word seen only here has no document features"
        );
        let twice = DocStats::of([(&k[..], &labels[..]), (&k[..], &labels[..])]);
        extract(&k, &labels, &twice, &mut f, &mut s);
        assert!(
            s[1] > s[0] && s[2] == s[1],
            "the capitalised word gets features, \"won\" none"
        );
    }

    #[test]
    fn contexts_and_longer_entities_come_from_other_occurrences() {
        let (b, l, u) = (
            label(0, Part::Begin),
            label(0, Part::Last),
            label(0, Part::Unit),
        );
        let full: [&str; 3] = ["Jan", "Kaczmarek", "resigned"];
        let short: [&str; 2] = ["Kaczmarek", "said"];
        let (kf, ks) = (keys(&full), keys(&short));
        let (lf, ls) = ([b, l, 0], [u, 0]);
        let stats = DocStats::of([(&kf[..], &lf[..]), (&ks[..], &ls[..])]);
        let (mut f, mut s) = (Vec::new(), Vec::new());
        extract(&ks, &ls, &stats, &mut f, &mut s);
        let mine = &f[s[0]..s[1]];
        // Contexts of the other occurrence: "jan" at -1, "resigned" at +1, the start at -2.
        let ctx = |offset: isize, word: &str| feature(113, combine(offset as u64, fnv(word)), 0, 0);
        assert!(mine.contains(&ctx(-1, "jan")) && mine.contains(&ctx(1, "resigned")));
        assert!(
            !mine.contains(&ctx(1, "said")),
            "the token's own context is left out"
        );
        // It is the last word of a two-word person elsewhere; its own first-stage kind is person.
        assert!(mine.contains(&feature(114, 2, 1, 0)));
        assert!(!mine.contains(&feature(115, 1, 0, 0)));
        // "Pirelli" seen twice, never inside a longer entity.
        let p: [&str; 2] = ["Pirelli", "rose"];
        let kp = keys(&p);
        let lp = [u, 0];
        let stats = DocStats::of([(&kp[..], &lp[..]), (&kp[..], &lp[..])]);
        extract(&kp, &lp, &stats, &mut f, &mut s);
        assert!(f[s[0]..s[1]].contains(&feature(115, 1, 0, 0)));
    }

    #[test]
    fn lowercase_hash_matches_lowercasing() {
        for w in [
            "JAPAN",
            "Kishida",
            "ÉCOLE",
            "straße",
            "U.S.-Iran",
            "",
            "İstanbul",
        ] {
            assert_eq!(lower_hash(w), fnv(&w.to_lowercase()));
        }
    }
}
