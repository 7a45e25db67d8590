//! The second tagging stage: document-level (non-local) features from how the first stage
//! labelled the same word and the same names elsewhere in the document (Krishnan & Manning
//! 2006; Ratinov & Roth 2009), added to the first stage's scores before decoding again.
//!
//! The first stage tags each sequence (a paragraph in the product, a sentence in CoNLL) alone.
//! [`DocStats`] gathers its labels (and the words around each capitalised word) over the whole
//! document; [`extract`] turns them into features of each token, always leaving out the token's
//! own occurrence (its own first-stage label is in its local features); [`TwoStage::tag`]
//! decodes with the second model, which weighs the first stage's features and these.
//!
//! - `token_keys.rs`: what the document features need of each token ([`TokenKey`]);
//! - `stats.rs`: the document's statistics ([`DocStats`]), gathered from whole sequences;
//! - `delta.rs`: the statistics kept in step with an edited document;
//! - `features.rs`: the document features of one sequence's tokens ([`extract`]);
//! - `joint.rs`: both models' weights in one index, so that one probe scores both stages;
//! - `two_stage.rs`: the two stages together ([`TwoStage`]).

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::gazetteer::PassThrough;

mod delta;
mod features;
mod joint;
mod stats;
mod token_keys;
mod two_stage;

pub use delta::Changed;
pub use features::{extract, extract_hinted, extract_token, ContextRows};
pub use stats::DocStats;
pub use token_keys::{keys, lower_hash, TokenKey};
pub use two_stage::{Decoded, Probed, TokenRows, TwoStage};

/// Longest entity, in tokens, whose spelling is matched elsewhere in the document.
const MAX_ENTITY: usize = 5;

type Map<V> = HashMap<u64, V, BuildHasherDefault<PassThrough>>;
