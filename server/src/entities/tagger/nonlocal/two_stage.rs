//! The two stages together: the first model tags each sequence alone, the second decodes again
//! with the document features added.

use crate::entities::tagger::features::combine;
use crate::entities::tagger::margins::Margins;
use crate::entities::tagger::{Model, LABELS};

use super::joint::Joint;
use super::{extract, DocStats, TokenKey};

/// One sequence's document features as probed in the second model ([`TwoStage::probe`]); kept
/// between sequences so that its lists are allocated once per pass.
#[derive(Debug, Default)]
pub struct Probed {
    /// [`TwoStage::scored_features_hash`] of the features.
    pub hash: u64,
    /// The joint index's rows of the features the second model scores, token by token.
    rows: Vec<u32>,
    row_starts: Vec<usize>,
    /// Whether the rows are there (else [`TwoStage::tag_probed`] probes as `tag_with` does).
    joint: bool,
}

/// The rows one token's document features add to its scores in the second model
/// ([`TwoStage::token_rows`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TokenRows {
    /// The rows, sorted (each one f32 addition to the token's scores per label).
    pub rows: Vec<u32>,
    /// A bound on the sum over the rows of each row's largest absolute term.
    pub abs: f64,
}

/// A decoding with its margins ([`TwoStage::tag_probed_margins`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The decoder's labels' margins.
    pub margins: Margins,
    /// The largest absolute local score (before the document features were added).
    pub local: f64,
    /// The decoder's labels, where the rewriting after it changed them.
    pub raw: Option<Vec<u8>>,
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
                crate::entities::tagger::model()?,
                crate::entities::tagger::document_model()?,
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

    /// The second model's scores of one sequence's own features (as [`TwoStage::first_stage`]
    /// gives them).
    pub fn second_emissions(&self, words: &[&str]) -> Vec<[f32; LABELS]> {
        match &self.joint {
            Some(j) => j.second_emissions(words),
            None => self.second.emissions(words),
        }
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

    /// Whether the second model adds anything to a token's scores for document feature `h`
    /// (the features [`TwoStage::scored_features_hash`] hashes).
    pub fn scored(&self) -> impl Fn(u64) -> bool + '_ {
        let joint = self.joint.as_ref().map(Joint::second_scores);
        move |h: u64| match &joint {
            Some(scores) => scores(h),
            None => self.second.find(h).is_some(),
        }
    }

    /// A hash of what [`TwoStage::tag_with`] adds to each token's scores from `feats` (each
    /// token's document features, as [`extract`] gives them): the features the second model has,
    /// in order, token by token. Two feature lists with the same hash give the same labels (with
    /// the same words and local scores) even where they differ in features the model lacks, such
    /// as the context of a word being typed next to a capitalised one elsewhere: the second
    /// stage keys its cached labels by it.
    pub fn scored_features_hash(&self, feats: &[u64], starts: &[usize]) -> u64 {
        let scored = self.scored();
        let mut out = starts.len() as u64;
        for token in starts.windows(2) {
            let mut n = 0;
            for &f in feats.get(token[0]..token[1]).unwrap_or_default() {
                if scored(f) {
                    out = combine(out, f);
                    n += 1;
                }
            }
            out = combine(out, n);
        }
        out
    }

    /// Probe the second model for document features `feats` (token by token, as [`extract`]
    /// gives them, with `starts`) once: `probed` gets their [`TwoStage::scored_features_hash`],
    /// and what [`TwoStage::tag_probed`] needs to add them to the scores without probing again.
    /// A paragraph whose hash is the one its labels were decoded with keeps them, and only one
    /// whose hash changed is decoded again (before, the hash and the scoring each probed
    /// every feature of such a paragraph).
    ///
    /// `hints` are the rows [`extract_hinted`](super::extract_hinted) gave with `feats` (by
    /// [`TwoStage::second_row`]), or empty.
    pub fn probe(&self, feats: &[u64], starts: &[usize], hints: &[u32], probed: &mut Probed) {
        let hash = self.joint.as_ref().and_then(|j| {
            j.probe_second(
                feats,
                starts,
                hints,
                &mut probed.rows,
                &mut probed.row_starts,
            )
        });
        probed.joint = hash.is_some();
        probed.hash = match hash {
            Some(hash) => hash,
            None => self.scored_features_hash(feats, starts),
        };
    }

    /// The rows [`TwoStage::probe`] takes as hints (see [`super::ContextRows`]): `None` without
    /// a joint index (then there is nothing to hint).
    pub fn second_row(&self) -> Option<impl Fn(u64) -> u32 + '_> {
        self.joint.as_ref().map(Joint::second_row)
    }

    /// [`TwoStage::tag_with`] for the document features `probed` was probed for
    /// ([`TwoStage::probe`]), bit for bit.
    pub fn tag_probed(
        &self,
        words: &[&str],
        local: Vec<[f32; LABELS]>,
        feats: &[u64],
        starts: &[usize],
        probed: &Probed,
    ) -> Vec<u8> {
        match &self.joint {
            Some(j) if probed.joint => {
                let mut scores = local;
                j.add_rows(&probed.rows, &probed.row_starts, &mut scores);
                self.second.decode(words, &scores)
            }
            _ => self.tag_with(words, local, feats, starts),
        }
    }

    /// [`TwoStage::tag_probed`], with the decoding's margins ([`Margins`], `marked` positions as
    /// there) where the scores were added from the probe's rows: the labels are the same.
    pub fn tag_probed_margins(
        &self,
        words: &[&str],
        local: Vec<[f32; LABELS]>,
        feats: &[u64],
        starts: &[usize],
        probed: &Probed,
        marked: impl Fn(usize) -> bool,
    ) -> (Vec<u8>, Option<Decoded>) {
        match &self.joint {
            Some(j) if probed.joint => {
                let largest = local
                    .iter()
                    .flatten()
                    .fold(0f64, |m, v| m.max(f64::from(v.abs())));
                let mut scores = local;
                j.add_rows(&probed.rows, &probed.row_starts, &mut scores);
                let (labels, margins, raw) =
                    self.second.decode_with_margins(words, &scores, marked);
                let decoded = margins.map(|margins| Decoded {
                    margins,
                    local: largest,
                    raw,
                });
                (labels, decoded)
            }
            _ => (self.tag_with(words, local, feats, starts), None),
        }
    }

    /// The rows the document features `feats` of one token (with `hints` as
    /// [`TwoStage::probe`] takes them) add to its scores: `None` without a joint index.
    pub fn token_rows(&self, feats: &[u64], hints: &[u32]) -> Option<TokenRows> {
        self.joint.as_ref()?.second_rows(feats, hints)
    }

    /// The change, per label, of the sum of a token's document rows from `old` to `new`
    /// ([`TwoStage::token_rows`]), summed in f64: `None` without a joint index.
    pub fn row_change(&self, old: &TokenRows, new: &TokenRows) -> Option<[f64; LABELS]> {
        self.joint.as_ref()?.row_change(&old.rows, &new.rows)
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
        match &self.joint {
            Some(j) => j.add_second(feats, starts, &mut scores),
            None => {
                for (i, e) in scores.iter_mut().enumerate() {
                    let (Some(&a), Some(&b)) = (starts.get(i), starts.get(i + 1)) else {
                        break;
                    };
                    for &h in feats.get(a..b).unwrap_or_default() {
                        self.second.add(h, e);
                    }
                }
            }
        }
        self.second.decode(words, &scores)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{extract_hinted, keys, ContextRows};
    use super::*;
    use crate::entities::tagger::features::PROBE;

    /// The second stage keeps a paragraph's labels while this hash stays: it must change with
    /// every feature the model scores (and the token it belongs to), and only with those.
    #[test]
    fn scored_features_hash_changes_with_scored_features_only() {
        let Some(two) = TwoStage::embedded() else {
            return;
        };
        let words = [
            "Ilse", "Varga", "met", "Tarnow", "Holdings", "in", "Tarnow", ".", "Varga", "said",
            "Our", "members", "voted", ".",
        ];
        let k = keys(&words);
        let (labels, _) = two.first_stage(&words);
        let stats = DocStats::of([(&k[..], &labels[..]), (&k[..], &labels[..])]);
        let (mut feats, mut starts) = (Vec::new(), Vec::new());
        extract(&k, &labels, &stats, &mut feats, &mut starts);
        let hash = |f: &[u64], s: &[usize]| two.scored_features_hash(f, s);
        let scored = |f: u64| hash(&[f], &[0, 1]) != hash(&[], &[0, 0]);
        let (Some(at), Some(&known)) = (
            feats.iter().position(|&f| scored(f)),
            feats.iter().find(|&&f| scored(f)),
        ) else {
            panic!("no document feature of the sequence is one the model scores");
        };
        let unknown = (1u64..1000)
            .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .find(|&f| !scored(f))
            .unwrap_or(0);
        let base = hash(&feats, &starts);
        // A feature the model lacks added to a token: the same labels, the same hash.
        let token = starts.partition_point(|&s| s <= at) - 1;
        let mut with_unknown = feats.clone();
        with_unknown.insert(at, unknown);
        let shifted: Vec<usize> = starts
            .iter()
            .enumerate()
            .map(|(i, &s)| if i > token { s + 1 } else { s })
            .collect();
        assert_eq!(hash(&with_unknown, &shifted), base);
        // A scored feature dropped: another hash.
        let mut without = feats.clone();
        without.remove(at);
        let fewer: Vec<usize> = starts
            .iter()
            .enumerate()
            .map(|(i, &s)| if i > token { s - 1 } else { s })
            .collect();
        assert_ne!(hash(&without, &fewer), base);
        // The same feature on the first or the second token: another hash (scores are per
        // token).
        assert_ne!(hash(&[known], &[0, 1, 1]), hash(&[known], &[0, 0, 1]));
    }

    /// Context features whose rows are looked up once per word in a pass give the features,
    /// the hash and the rows of looking every feature up: for every paragraph of a generated
    /// article, with one [`ContextRows`] for the pass (later paragraphs take earlier ones'
    /// rows, and each occurrence leaves out its own contexts).
    #[test]
    fn context_rows_looked_up_once_are_the_probed_rows() {
        let Some(two) = TwoStage::embedded() else {
            return;
        };
        let text = docgen::article(30_000, 7);
        let paragraphs: Vec<(Vec<TokenKey>, Vec<u8>)> = text
            .split("\n\n")
            .map(|p| {
                let words: Vec<&str> = crate::text::tokenize(p)
                    .iter()
                    .map(|s| &p[s.start..s.end])
                    .collect();
                (keys(&words), two.first_stage(&words).0)
            })
            .collect();
        let stats = DocStats::of(paragraphs.iter().map(|(k, l)| (&k[..], &l[..])));
        let row = two.second_row().expect("joint index");
        let mut contexts = ContextRows::default();
        let mut hinted = 0;
        for (k, l) in &paragraphs {
            let (mut f, mut s) = (Vec::new(), Vec::new());
            extract(k, l, &stats, &mut f, &mut s);
            let (mut hf, mut hs, mut hints) = (Vec::new(), Vec::new(), Vec::new());
            let hints_of = (&mut hints, &mut contexts, &row);
            extract_hinted(k, l, &stats, &mut hf, &mut hs, Some(hints_of));
            assert_eq!((&f, &s), (&hf, &hs));
            assert_eq!(hints.len(), hf.len());
            hinted += hints.iter().filter(|&&h| h != PROBE).count();
            let (mut a, mut b) = (Probed::default(), Probed::default());
            two.probe(&f, &s, &[], &mut a);
            two.probe(&hf, &hs, &hints, &mut b);
            assert_eq!(
                (a.hash, &a.rows, &a.row_starts),
                (b.hash, &b.rows, &b.row_starts)
            );
        }
        assert!(hinted > 0, "no context feature was hinted");
    }

    /// Probing once gives the hash of [`TwoStage::scored_features_hash`] and then the labels
    /// (and scores) of [`TwoStage::tag_with`], also where a feature the model lacks is added,
    /// and where there are fewer scores than tokens.
    #[test]
    fn probing_once_gives_the_hash_and_scores_of_probing() {
        let Some(two) = TwoStage::embedded() else {
            return;
        };
        let text = "Our members voted , said Ilse Varga of Tarnow Holdings . Varga told Reuters \
                    in Tarnow that we would not yield .";
        let words: Vec<&str> = text.split(' ').collect();
        let k = keys(&words);
        let (labels, _) = two.first_stage(&words);
        let stats = DocStats::of([(&k[..], &labels[..]), (&k[..], &labels[..])]);
        let (mut feats, mut starts) = (Vec::new(), Vec::new());
        extract(&k, &labels, &stats, &mut feats, &mut starts);
        let local = two.second_emissions(&words);
        let mut with_unknown = feats.clone();
        with_unknown.insert(starts[1], 0x9e37_79b9_7f4a_7c15);
        let shifted: Vec<usize> = starts
            .iter()
            .enumerate()
            .map(|(i, &s)| if i > 1 { s + 1 } else { s })
            .collect();
        // Each token's own features too: the first model has some the second lacks (their
        // rows' second half has scale 0), which neither scores nor hashes.
        let (mut own, mut own_starts) = (Vec::new(), Vec::new());
        crate::entities::tagger::features::extract(&words, &mut own, &mut own_starts);
        let (mut both, mut both_starts) = (Vec::new(), vec![0]);
        for (t, w) in starts.windows(2).enumerate() {
            both.extend_from_slice(&feats[w[0]..w[1]]);
            both.extend_from_slice(&own[own_starts[t]..own_starts[t + 1]]);
            both_starts.push(both.len());
        }
        for (f, s) in [
            (&feats, &starts),
            (&with_unknown, &shifted),
            (&both, &both_starts),
        ] {
            let mut probed = Probed::default();
            two.probe(f, s, &[], &mut probed);
            assert!(probed.joint);
            assert_eq!(probed.hash, two.scored_features_hash(f, s));
            let expected = two.tag_with(&words, local.clone(), f, s);
            assert_eq!(
                two.tag_probed(&words, local.clone(), f, s, &probed),
                expected
            );
            let short = &words[..words.len() - 1];
            let cut = local[..short.len()].to_vec();
            let expected = two.tag_with(short, cut.clone(), f, s);
            assert_eq!(two.tag_probed(short, cut, f, s, &probed), expected);
            // The scores themselves, bit for bit.
            let mut added = local.clone();
            let mut rows = Vec::new();
            let mut row_starts = Vec::new();
            let j = two.joint.as_ref().expect("joint index");
            j.probe_second(f, s, &[], &mut rows, &mut row_starts);
            j.add_rows(&rows, &row_starts, &mut added);
            let mut probing = local.clone();
            j.add_second(f, s, &mut probing);
            let bits =
                |v: &[[f32; LABELS]]| v.iter().flatten().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&added), bits(&probing));
            assert_ne!(bits(&added), bits(&local));
        }
    }
}
