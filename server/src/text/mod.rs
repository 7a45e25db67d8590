//! Tokens and sentences of news prose: the base layer the analysis and the tagger share.

pub mod sentences;
pub mod token_spans;
pub mod tokens;
pub mod windows;

pub use sentences::split_sentences;
pub use token_spans::TokenSpans;
pub use tokens::tokenize;
pub use windows::window_tokens;
