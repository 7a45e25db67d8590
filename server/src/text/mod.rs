//! Tokens and sentences of news prose: the base layer the analysis and the tagger share.

pub mod sentences;
pub mod tokens;

pub use sentences::split_sentences;
pub use tokens::tokenize;
