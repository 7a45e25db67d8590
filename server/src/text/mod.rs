//! Tokens and sentences of news prose: the base layer the analysis and the tagger share.

pub mod sentences;

pub use sentences::split_sentences;
