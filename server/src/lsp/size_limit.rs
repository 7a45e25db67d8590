//! The document-size limit: above it a document is kept and edited but not analysed, and the
//! client is told why with one information diagnostic (issue 8.3).
//!
//! A 50 MB paste must not pin a core for seconds on every keystroke or hold several copies of the
//! text in memory. The limit is the document's `max-document-bytes` setting (20 MiB by default,
//! see docs/configuration.md); `COPYDESK_MAX_DOCUMENT_BYTES` (a byte count), when set, overrides
//! every configuration: an operator's cap for a shared machine or a test. An unreadable value of
//! the variable is logged and ignored.

use std::sync::OnceLock;

use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, Position, Range, Uri,
};
use tracing::warn;

use super::diagnostics::SOURCE;
use crate::features::diagnostics::rule_url;

pub use crate::config::DEFAULT_MAX_DOCUMENT_BYTES;
/// The environment variable that overrides the configured limit.
pub const MAX_DOCUMENT_BYTES_ENV: &str = "COPYDESK_MAX_DOCUMENT_BYTES";
/// The diagnostic's code (not a [`crate::analysis::Rule`]: it is about the server, not the copy).
pub const CODE: &str = "document-too-large";

/// The limit in bytes for a document whose configuration says `configured`.
pub fn max_document_bytes(configured: usize) -> usize {
    static OVERRIDE: OnceLock<Option<usize>> = OnceLock::new();
    OVERRIDE
        .get_or_init(|| parse_override(std::env::var(MAX_DOCUMENT_BYTES_ENV).ok().as_deref()))
        .unwrap_or(configured)
}

fn parse_override(value: Option<&str>) -> Option<usize> {
    match value.map(|v| v.trim().parse::<usize>()) {
        None => None,
        Some(Ok(limit)) if limit > 0 => Some(limit),
        Some(_) => {
            warn!(
                value,
                "{MAX_DOCUMENT_BYTES_ENV} is not a positive byte count; ignored"
            );
            None
        }
    }
}

/// The one diagnostic a too-large document gets, at its start; its code links into `rules_url`.
pub fn diagnostic(len: usize, limit: usize, rules_url: &str) -> Diagnostic {
    let mib = |bytes: usize| bytes as f64 / (1024.0 * 1024.0);
    Diagnostic {
        range: Range::new(Position::new(0, 0), Position::new(0, 0)),
        severity: Some(DiagnosticSeverity::INFORMATION),
        code: Some(NumberOrString::String(CODE.to_owned())),
        code_description: rule_url(rules_url, CODE)
            .parse::<Uri>()
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_owned()),
        message: format!(
            "Copydesk does not check this document: it is {:.1} MiB, above the {:.1} MiB limit \
             (the max-document-bytes setting changes it). Editing is not affected.",
            mib(len),
            mib(limit)
        ),
        ..Diagnostic::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_override_parses_or_is_ignored() {
        assert_eq!(parse_override(None), None);
        assert_eq!(parse_override(Some(" 1000 ")), Some(1000));
        assert_eq!(parse_override(Some("20MB")), None);
        assert_eq!(parse_override(Some("0")), None);
    }

    #[test]
    fn diagnostic_says_why_in_mebibytes() {
        let d = diagnostic(
            50 * 1024 * 1024,
            DEFAULT_MAX_DOCUMENT_BYTES,
            crate::features::diagnostics::RULES_URL,
        );
        assert_eq!(d.severity, Some(DiagnosticSeverity::INFORMATION));
        assert_eq!(
            d.code,
            Some(NumberOrString::String("document-too-large".into()))
        );
        assert_eq!(
            d.message,
            "Copydesk does not check this document: it is 50.0 MiB, above the 20.0 MiB limit \
             (the max-document-bytes setting changes it). Editing is not affected."
        );
        assert!(d
            .code_description
            .unwrap()
            .href
            .as_str()
            .ends_with("docs/rules.md#document-too-large"));
    }
}
