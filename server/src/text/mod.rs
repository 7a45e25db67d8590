//! Tokens and sentences of news prose: the base layer the analysis and the tagger share.

pub mod tokens;

pub use tokens::tokenize;
