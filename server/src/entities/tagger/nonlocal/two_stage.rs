//! The two stages together: the first model tags each sequence alone, the second decodes again
//! with the document features added.

use crate::entities::tagger::{Model, LABELS};

use super::joint::Joint;
use super::{extract, DocStats, TokenKey};

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
