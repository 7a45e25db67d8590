//! Copydesk: reads a news article and knows who is named, who is quoted, and which quotation has no source.
//!
//! Layers, from the bottom up (see docs/architecture.md):
//! - [`text`]: tokens and sentences of news prose; knows nothing of articles.
//! - [`entities`]: the statistical tagger, gazetteers and linking of mentions into entities.
//! - [`analysis`]: the pure, synchronous core: text in, [`analysis::Analysis`] out, UTF-8 byte
//!   offsets throughout, re-analysing only what an edit touched.
//! - [`lsp`]: the only module that knows protocol types; position encodings live in `lsp::encoding`.
//! - [`cli`]: the headless `copydesk check` and its report formats.

pub mod analysis;
pub mod cli;
pub mod config;
pub mod entities;
pub mod features;
pub mod lsp;
pub mod text;
