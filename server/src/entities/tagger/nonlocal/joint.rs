//! Both models' weights in one index: one probe per feature scores a sequence's local features
//! for the first and the second stage at once.

use std::borrow::Cow;

use crate::entities::tagger::features::{combine, RowTable, ABSENT, PROBE};
use crate::entities::tagger::tables::{JointTable, JOINT_ROW};
#[cfg(target_arch = "x86_64")]
use crate::entities::tagger::wide::has_avx2;
use crate::entities::tagger::{Model, LABELS};

use super::TokenRows;

/// Both models' weights of the features either has, side by side, so that one probe per
/// feature scores a sequence for both stages (layout: [`JointTable`], packed rows). The embedded
/// models' index is laid out by build.rs and read in place; other models' is built here.
pub(super) struct Joint {
    bytes: Cow<'static, [u8]>,
    /// Tells this index from every other built in the process: extraction keeps the rows of
    /// recently seen words' features for the last index asked (see [`Joint::extract`]).
    id: u64,
}

/// The next [`Joint::id`] (0 is no index).
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The embedded models' joint index, laid out by build.rs (empty if it could not be).
static EMBEDDED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/joint.idx"));

impl Joint {
    /// The joint index of two models (`None` if their bucket counts differ): the embedded one
    /// when they are the embedded models.
    pub(super) fn new(first: &Model, second: &Model) -> Option<Joint> {
        let embedded = crate::entities::tagger::model()
            .zip(crate::entities::tagger::document_model())
            .is_some_and(|(one, two)| {
                std::ptr::eq(first.bytes, one.bytes) && std::ptr::eq(second.bytes, two.bytes)
            });
        if embedded && JointTable::read(EMBEDDED).is_some() {
            return Some(Joint {
                bytes: Cow::Borrowed(EMBEDDED),
                id: next_id(),
            });
        }
        let bytes = JointTable::build(first.bytes, second.bytes)?;
        JointTable::read(&bytes)?;
        Some(Joint {
            bytes: Cow::Owned(bytes),
            id: next_id(),
        })
    }

    /// The index's bytes (for tests).
    #[cfg(test)]
    pub(super) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// One sequence's local features (`feats`, token i's are `feats[starts[i]..starts[i +
    /// 1]]`) and the rows of those the word memo knows in this index (`rows`, else
    /// [`PROBE`]). With `prefixes`, each token's first features are left out where the memo
    /// gives the second model's sum of them instead (see
    /// [`crate::entities::tagger::features::extract_rows`]).
    fn extract(
        &self,
        table: &JointTable<'_>,
        words: &[&str],
        feats: &mut Vec<u64>,
        rows: &mut Vec<u32>,
        starts: &mut Vec<usize>,
        prefixes: Option<&mut Vec<[f32; LABELS]>>,
    ) {
        // Rows number fewer than 2^32 (the index's count is a u32); any past PROBE are probed.
        let find = |h| {
            table
                .find(h)
                .map_or(ABSENT, |k| u32::try_from(k).unwrap_or(PROBE).min(PROBE))
        };
        // What `score_second` adds for these features from zero, in the same order.
        let prefix = |ids: &[u64], rows: &[u32]| {
            let mut s = [0f32; LABELS];
            for (j, &h) in ids.iter().enumerate() {
                if let Some(r) = row_of(table, h, rows, j) {
                    add_half(r, 1, &mut s);
                }
            }
            s
        };
        let rows_of = RowTable {
            id: self.id,
            find,
            prefix: &prefix,
        };
        crate::entities::tagger::features::extract_rows(
            words, feats, rows, starts, &rows_of, prefixes,
        );
    }

    /// Both models' scores for one sequence's tokens.
    pub(super) fn emissions(&self, words: &[&str]) -> (Vec<[f32; LABELS]>, Vec<[f32; LABELS]>) {
        let mut one = vec![[0f32; LABELS]; words.len()];
        let mut two = vec![[0f32; LABELS]; words.len()];
        let Some(table) = JointTable::read(&self.bytes) else {
            return (one, two);
        };
        let (mut feats, mut rows, mut starts) = (Vec::new(), Vec::new(), Vec::new());
        self.extract(&table, words, &mut feats, &mut rows, &mut starts, None);
        #[cfg(target_arch = "x86_64")]
        if has_avx2() {
            // SAFETY: the CPU has AVX2, checked just above.
            unsafe { score_both_avx2(&table, &feats, &rows, &starts, &mut one, &mut two) };
            return (one, two);
        }
        score_both(&table, &feats, &rows, &starts, &mut one, &mut two);
        (one, two)
    }

    /// Add the second model's weights of each token's features (`feats[starts[i]..starts[i +
    /// 1]]` for token i) to its `scores` (as `Model::add` does from the second model's own
    /// file): the document features are probed here too, so the second model's file is never
    /// paged in beside this index (≈ 2.4 MiB of resident memory).
    pub(super) fn add_second(&self, feats: &[u64], starts: &[usize], scores: &mut [[f32; LABELS]]) {
        let Some(table) = JointTable::read(&self.bytes) else {
            return;
        };
        #[cfg(target_arch = "x86_64")]
        if has_avx2() {
            // SAFETY: the CPU has AVX2, checked just above.
            unsafe { score_second_avx2::<false>(&table, feats, &[], starts, scores) };
            return;
        }
        score_second::<false>(&table, feats, &[], starts, scores);
    }

    /// The rows of the features of `feats` (token i's are `feats[starts[i]..starts[i + 1]]`)
    /// that the second model adds anything for, token by token (`rows[row_starts[i]..
    /// row_starts[i + 1]]`), and `TwoStage::scored_features_hash` of them: one probe per
    /// feature, whether or not the labels must then be decoded again ([`Joint::add_rows`]).
    ///
    /// `hints[j]`, where given, is [`Joint::second_row`] of `feats[j]` (else [`PROBE`]): that
    /// feature is not looked up again.
    pub(super) fn probe_second(
        &self,
        feats: &[u64],
        starts: &[usize],
        hints: &[u32],
        rows: &mut Vec<u32>,
        row_starts: &mut Vec<usize>,
    ) -> Option<u64> {
        rows.clear();
        row_starts.clear();
        let table = JointTable::read(&self.bytes)?;
        let mut hash = starts.len() as u64;
        for token in starts.windows(2) {
            row_starts.push(rows.len());
            let mut n = 0u64;
            for (j, &h) in (token[0]..).zip(feats.get(token[0]..token[1]).unwrap_or_default()) {
                let k = match hints.get(j).copied().unwrap_or(PROBE) {
                    PROBE => match table.find(h) {
                        Some(k) if table.row_at(k).is_some_and(|r| scale(r, 1) != 0.0) => k,
                        _ => continue,
                    },
                    ABSENT => continue,
                    k => k as usize,
                };
                hash = combine(hash, h);
                n += 1;
                // Rows number fewer than 2^32 (the index's count is a u32).
                rows.push(k as u32);
            }
            hash = combine(hash, n);
        }
        row_starts.push(rows.len());
        Some(hash)
    }

    /// The row of feature `h` if the second model adds anything for it (what
    /// [`Joint::probe_second`] keeps), else [`ABSENT`]; [`PROBE`] for a row number past it.
    pub(super) fn second_row(&self) -> impl Fn(u64) -> u32 + '_ {
        let table = JointTable::read(&self.bytes);
        move |h| {
            table
                .as_ref()
                .and_then(|t| {
                    let k = t.find(h)?;
                    (scale(t.row_at(k)?, 1) != 0.0).then_some(k)
                })
                .map_or(ABSENT, |k| u32::try_from(k).unwrap_or(PROBE).min(PROBE))
        }
    }

    /// Add the second model's half of the rows [`Joint::probe_second`] gave to each token's
    /// `scores`, in order: what [`Joint::add_second`] adds for the same features, bit for bit
    /// (it skips the rows whose second half is zero, which the probe left out).
    pub(super) fn add_rows(
        &self,
        rows: &[u32],
        row_starts: &[usize],
        scores: &mut [[f32; LABELS]],
    ) {
        let Some(table) = JointTable::read(&self.bytes) else {
            return;
        };
        for (i, out) in scores.iter_mut().enumerate() {
            let (Some(&a), Some(&b)) = (row_starts.get(i), row_starts.get(i + 1)) else {
                break;
            };
            let mut s = *out;
            for &k in rows.get(a..b).unwrap_or_default() {
                if let Some(r) = table.row_at(k as usize) {
                    add_half(r, 1, &mut s);
                }
            }
            *out = s;
        }
    }

    /// The rows [`Joint::add_rows`] would add to one token's scores for its document features
    /// `feats` (with `hints` as [`Joint::probe_second`] takes them), sorted.
    pub(super) fn second_rows(&self, feats: &[u64], hints: &[u32]) -> Option<TokenRows> {
        let table = JointTable::read(&self.bytes)?;
        let mut out = TokenRows::default();
        for (j, &h) in feats.iter().enumerate() {
            let k = match hints.get(j).copied().unwrap_or(PROBE) {
                PROBE => match table.find(h) {
                    Some(k) => k,
                    None => continue,
                },
                ABSENT => continue,
                k => k as usize,
            };
            let Some(row) = table.row_at(k) else { continue };
            let scale = scale(row, 1);
            if scale == 0.0 {
                continue;
            }
            // Each term is `scale` times an i8: at most 128 |scale| (rounding of the product
            // only brings it nearer zero's side of that bound's f32 neighbour; doubled below).
            out.abs += 2.0 * 128.0 * f64::from(scale.abs());
            // Rows number fewer than 2^32 (the index's count is a u32).
            out.rows.push(k as u32);
        }
        out.rows.sort_unstable();
        Some(out)
    }

    /// What replacing the rows `old` by the rows `new` (both sorted, as
    /// [`Joint::second_rows`] gives them) changes in the sum of their terms, per label: the rows
    /// both hold cancel exactly; the others' terms (the f32 products [`add_half`] adds) are
    /// summed in f64.
    pub(super) fn row_change(&self, old: &[u32], new: &[u32]) -> Option<[f64; LABELS]> {
        let table = JointTable::read(&self.bytes)?;
        let mut out = [0f64; LABELS];
        let mut add = |k: u32, sign: f64| {
            if let Some(row) = table.row_at(k as usize) {
                let scale = scale(row, 1);
                for (s, &w) in out.iter_mut().zip(&row[8 + LABELS..8 + 2 * LABELS]) {
                    *s += sign * f64::from(scale * (w as i8) as f32);
                }
            }
        };
        let (mut i, mut j) = (0, 0);
        while i < old.len() || j < new.len() {
            match (old.get(i), new.get(j)) {
                (Some(a), Some(b)) if a == b => {
                    i += 1;
                    j += 1;
                }
                (Some(&a), Some(&b)) if a < b => {
                    add(a, -1.0);
                    i += 1;
                }
                (Some(&a), None) => {
                    add(a, -1.0);
                    i += 1;
                }
                (_, Some(&b)) => {
                    add(b, 1.0);
                    j += 1;
                }
                (None, None) => break,
            }
        }
        Some(out)
    }

    /// Which features [`Joint::add_second`] adds anything for: those the index has whose row's
    /// second-model half has a non-zero scale (see [`add_half`]).
    pub(super) fn second_scores(&self) -> impl Fn(u64) -> bool + '_ {
        let table = JointTable::read(&self.bytes);
        move |h| {
            table
                .as_ref()
                .and_then(|t| t.row(h))
                .is_some_and(|row| scale(row, 1) != 0.0)
        }
    }

    /// The second model's scores for one sequence's tokens (as [`Joint::emissions`] gives them).
    /// Each token's sum starts from the word memo's sum of its first features (the bias and
    /// templates 1 to 5), which are not extracted again: the same bits as adding them from zero.
    pub(super) fn second_emissions(&self, words: &[&str]) -> Vec<[f32; LABELS]> {
        let mut two = vec![[0f32; LABELS]; words.len()];
        let Some(table) = JointTable::read(&self.bytes) else {
            return two;
        };
        let (mut feats, mut rows, mut starts) = (Vec::new(), Vec::new(), Vec::new());
        let mut prefixes = Vec::new();
        self.extract(
            &table,
            words,
            &mut feats,
            &mut rows,
            &mut starts,
            Some(&mut prefixes),
        );
        if prefixes.len() == two.len() {
            two = prefixes;
        }
        #[cfg(target_arch = "x86_64")]
        if has_avx2() {
            // SAFETY: the CPU has AVX2, checked just above.
            unsafe { score_second_avx2::<false>(&table, &feats, &rows, &starts, &mut two) };
            return two;
        }
        score_second::<false>(&table, &feats, &rows, &starts, &mut two);
        two
    }
}

/// The row of feature `h` (`feats[j]`), from `rows[j]` where extraction looked it up (see
/// [`Joint::extract`]; `rows` may be empty: then every feature is looked up here).
#[inline(always)]
fn row_of<'a>(
    table: &JointTable<'a>,
    h: u64,
    rows: &[u32],
    j: usize,
) -> Option<&'a [u8; JOINT_ROW]> {
    match rows.get(j).copied().unwrap_or(PROBE) {
        PROBE => table.row(h),
        ABSENT => None,
        k => table.row_at(k as usize),
    }
}

/// Add both models' weights of each token's features (`feats[starts[i]..starts[i + 1]]` for
/// token i) to its scores `one` and `two`. One body for the baseline and the AVX2 copy (see
/// `tagger/wide.rs`); inlined into each, so the table is read once per sequence and the probes
/// and sums are compiled in place (some builds, left to the inliner, read the index header for
/// every probe: +120 M instructions at 1 MB).
#[inline(always)]
fn score_both(
    table: &JointTable<'_>,
    feats: &[u64],
    rows: &[u32],
    starts: &[usize],
    one: &mut [[f32; LABELS]],
    two: &mut [[f32; LABELS]],
) {
    for (i, (out1, out2)) in one.iter_mut().zip(two.iter_mut()).enumerate() {
        let (Some(&a), Some(&b)) = (starts.get(i), starts.get(i + 1)) else {
            break;
        };
        // Accumulate in locals the compiler may keep in registers across the probes.
        let (mut s1, mut s2) = (*out1, *out2);
        for (j, &h) in (a..).zip(feats.get(a..b).unwrap_or_default()) {
            if let Some(r) = row_of(table, h, rows, j) {
                add_half(r, 0, &mut s1);
                add_half(r, 1, &mut s2);
            }
        }
        *out1 = s1;
        *out2 = s2;
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn score_both_avx2(
    table: &JointTable<'_>,
    feats: &[u64],
    rows: &[u32],
    starts: &[usize],
    one: &mut [[f32; LABELS]],
    two: &mut [[f32; LABELS]],
) {
    score_both(table, feats, rows, starts, one, two);
}

/// [`score_both`] for the second model alone. With `HASH`, also the hash of the features it
/// adds anything for, each token's in turn (`TwoStage::scored_features_hash`, for the tokens
/// `two` covers); else 0.
#[inline(always)]
fn score_second<const HASH: bool>(
    table: &JointTable<'_>,
    feats: &[u64],
    rows: &[u32],
    starts: &[usize],
    two: &mut [[f32; LABELS]],
) -> u64 {
    let mut hash = starts.len() as u64;
    for (i, out) in two.iter_mut().enumerate() {
        let (Some(&a), Some(&b)) = (starts.get(i), starts.get(i + 1)) else {
            break;
        };
        let mut s = *out;
        let mut n = 0u64;
        for (j, &h) in (a..).zip(feats.get(a..b).unwrap_or_default()) {
            if let Some(r) = row_of(table, h, rows, j) {
                if HASH && scale(r, 1) != 0.0 {
                    hash = combine(hash, h);
                    n += 1;
                }
                add_half(r, 1, &mut s);
            }
        }
        if HASH {
            hash = combine(hash, n);
        }
        *out = s;
    }
    if HASH {
        hash
    } else {
        0
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn score_second_avx2<const HASH: bool>(
    table: &JointTable<'_>,
    feats: &[u64],
    rows: &[u32],
    starts: &[usize],
    two: &mut [[f32; LABELS]],
) -> u64 {
    score_second::<HASH>(table, feats, rows, starts, two)
}

/// Add model `m`'s half of a joint row to `scores`. A model without the feature has scale 0
/// there: adding its zeros would change nothing (the sums start at +0.0 and so never become
/// -0.0), so it is skipped.
#[inline(always)]
fn add_half(row: &[u8; JOINT_ROW], m: usize, scores: &mut [f32; LABELS]) {
    let scale = scale(row, m);
    if scale == 0.0 {
        return;
    }
    let at = 8 + m * LABELS;
    for (s, &w) in scores.iter_mut().zip(&row[at..at + LABELS]) {
        *s += scale * (w as i8) as f32;
    }
}

/// Model `m`'s scale in a joint row.
#[inline(always)]
fn scale(row: &[u8; JOINT_ROW], m: usize) -> f32 {
    f32::from_le_bytes([row[4 * m], row[4 * m + 1], row[4 * m + 2], row[4 * m + 3]])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::tagger::{document_model, model};

    /// build.rs laid out the embedded models' index exactly as it is built from them here.
    #[test]
    fn embedded_index_is_the_one_built_from_the_embedded_models() {
        let (Some(one), Some(two)) = (model(), document_model()) else {
            return;
        };
        let built = JointTable::build(one.bytes, two.bytes).expect("models share a bucket count");
        assert!(EMBEDDED == &built[..], "build.rs's joint.idx is stale");
        let joint = Joint::new(one, two).expect("joint index");
        assert!(std::ptr::eq(joint.bytes(), EMBEDDED));
    }

    /// The AVX2 copies give the baseline's scores bit for bit (where the CPU runs them).
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn avx2_scores_are_the_baseline_scores() {
        let (Some(one), Some(two)) = (model(), document_model()) else {
            return;
        };
        if !has_avx2() {
            return;
        }
        let joint = Joint::new(one, two).expect("joint index");
        let table = JointTable::read(&joint.bytes).expect("joint index");
        let text = "Prime Minister Ada Kroft told Reuters on Tuesday that the Bank for Rural \
                    Credit would “not yield” , said Nguyễn Thị Lan of ÉCOLE in São Paulo .";
        let words: Vec<&str> = text.split(' ').collect();
        let (mut feats, mut rows, mut starts) = (Vec::new(), Vec::new(), Vec::new());
        joint.extract(&table, &words, &mut feats, &mut rows, &mut starts, None);
        let blank = vec![[0f32; LABELS]; words.len()];
        let (mut a1, mut a2, mut b1, mut b2) = (blank.clone(), blank.clone(), blank.clone(), blank);
        score_both(&table, &feats, &[], &starts, &mut a1, &mut a2);
        // SAFETY: the CPU has AVX2, checked above.
        unsafe { score_both_avx2(&table, &feats, &rows, &starts, &mut b1, &mut b2) };
        let bits =
            |v: &[[f32; LABELS]]| v.iter().flatten().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&a1), bits(&b1));
        assert_eq!(bits(&a2), bits(&b2));
        assert!(a1.iter().flatten().any(|&x| x != 0.0));
        let a = score_second::<true>(&table, &feats, &[], &starts, &mut a1);
        // SAFETY: as above.
        let b = unsafe { score_second_avx2::<true>(&table, &feats, &rows, &starts, &mut b1) };
        assert_eq!(bits(&a1), bits(&b1));
        assert_eq!(a, b);
    }

    /// Second-model scores that start from the word memo's sums of each word's first features
    /// are the scores of adding every feature from
    /// zero, bit for bit: on a generated article's paragraphs (most words seen before), twice,
    /// and on words the memo does not keep (over 24 bytes) or that share a slot in a sequence.
    #[test]
    fn second_scores_from_word_sums_are_the_sums_from_zero() {
        let (Some(one), Some(two)) = (model(), document_model()) else {
            return;
        };
        let joint = Joint::new(one, two).expect("joint index");
        let table = JointTable::read(&joint.bytes).expect("joint index");
        let text = docgen::article(20_000, 5);
        let mut sequences: Vec<Vec<&str>> = text
            .split("\n\n")
            .map(|p| {
                crate::text::tokenize(p)
                    .iter()
                    .map(|s| &p[s.start..s.end])
                    .collect()
            })
            .collect();
        sequences.push(
            "Transnationalisationsbehörde and antidisestablishmentarianism , said Varga of ÉCOLE ."
                .split(' ')
                .collect(),
        );
        let bits =
            |v: &[[f32; LABELS]]| v.iter().flatten().map(|x| x.to_bits()).collect::<Vec<_>>();
        let mut summed = 0;
        for _ in 0..2 {
            for words in &sequences {
                let (mut feats, mut starts) = (Vec::new(), Vec::new());
                crate::entities::tagger::features::extract(words, &mut feats, &mut starts);
                let mut from_zero = vec![[0f32; LABELS]; words.len()];
                score_second::<false>(&table, &feats, &[], &starts, &mut from_zero);
                assert_eq!(
                    bits(&joint.second_emissions(words)),
                    bits(&from_zero),
                    "{words:?}"
                );
                let (mut rows, mut prefixes) = (Vec::new(), Vec::new());
                joint.extract(
                    &table,
                    words,
                    &mut feats,
                    &mut rows,
                    &mut starts,
                    Some(&mut prefixes),
                );
                if !words.is_empty() && prefixes.len() == words.len() {
                    summed += 1;
                }
            }
        }
        // Other tests may hold the memo for a moment (then every feature is given and summed
        // from zero); most sequences must have gone through the word sums.
        assert!(
            summed > sequences.len() / 2,
            "{summed} of {}",
            2 * sequences.len()
        );
    }

    /// The rows extraction gives for the features the word memo knows are this index's, also
    /// when another index was asked about the same words just before (the memo keeps one
    /// index's rows: this fails if it gave them for another), and scoring with them gives the
    /// scores of looking every feature up, bit for bit.
    #[test]
    fn remembered_rows_are_this_index_rows() {
        let (Some(one), Some(two)) = (model(), document_model()) else {
            return;
        };
        let embedded = Joint::new(one, two).expect("joint index");
        // Another index over the same features, its rows in another order.
        let other = Joint {
            bytes: Cow::Owned(JointTable::build(two.bytes, one.bytes).expect("same buckets")),
            id: next_id(),
        };
        let text = "Our members voted , said Ilse Varga of Tarnow Holdings . Varga told Reuters \
                    in Tarnow that we would not yield , Varga said .";
        let words: Vec<&str> = text.split(' ').collect();
        let bits =
            |v: &[[f32; LABELS]]| v.iter().flatten().map(|x| x.to_bits()).collect::<Vec<_>>();
        for joint in [&embedded, &other, &embedded, &other] {
            let table = JointTable::read(&joint.bytes).expect("joint index");
            let (mut feats, mut rows, mut starts) = (Vec::new(), Vec::new(), Vec::new());
            // Other tests may hold the memo for a moment (then every row is left to probe).
            for _ in 0..100 {
                joint.extract(&table, &words, &mut feats, &mut rows, &mut starts, None);
                if rows.iter().any(|&r| r != PROBE) {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            assert!(rows.iter().filter(|&&r| r != PROBE).count() > feats.len() / 2);
            for (&h, &row) in feats.iter().zip(&rows) {
                if row != PROBE {
                    let found = table.find(h).map_or(ABSENT, |k| k as u32);
                    assert_eq!(row, found, "feature {h:x}");
                }
            }
            let blank = vec![[0f32; LABELS]; words.len()];
            let (mut a1, mut a2, mut b1, mut b2) =
                (blank.clone(), blank.clone(), blank.clone(), blank);
            score_both(&table, &feats, &[], &starts, &mut a1, &mut a2);
            score_both(&table, &feats, &rows, &starts, &mut b1, &mut b2);
            assert_eq!((bits(&a1), bits(&a2)), (bits(&b1), bits(&b2)));
            let (one_scores, two_scores) = joint.emissions(&words);
            assert_eq!(
                (bits(&a1), bits(&a2)),
                (bits(&one_scores), bits(&two_scores))
            );
            assert_eq!(bits(&joint.second_emissions(&words)), bits(&a2));
        }
    }
}
