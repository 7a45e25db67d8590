//! Editor features over an article and its analysis: hover cards, outline, naming checks, edits.
//!
//! Protocol-free: everything here speaks UTF-8 byte offsets and plain Rust types; `lsp` converts
//! to positions in the negotiated encoding and to protocol types. One module per concern.

pub mod actions;
pub mod article;
pub mod diagnostics;
pub mod edit;
pub mod folding;
pub mod hover;
pub mod inlay;
pub mod naming;
pub mod navigation;
pub mod outline;
pub mod quiet;
pub mod quote_style;
#[cfg(test)]
mod robustness;
pub mod semantic;
pub mod suppress;
#[cfg(test)]
pub(crate) mod testkit;
pub mod workspace_symbols;

pub use article::{Article, Language};
