//! The document-size limit: above it a document is kept and edited but not analysed, and the
//! client is told why with one information diagnostic (issue 8.3).
//!
//! A 50 MB paste must not pin a core for seconds on every keystroke or hold several copies of the
//! text in memory. The limit is 20 MiB unless `COPYDESK_MAX_DOCUMENT_BYTES` (a byte count) says
//! otherwise; an unreadable value is logged and the default kept.

use std::sync::OnceLock;

use tower_lsp_server::ls_types::{Diagnostic, DiagnosticSeverity, NumberOrString, Position, Range};
use tracing::warn;

use super::diagnostics::SOURCE;

pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 20 * 1024 * 1024;
/// The environment variable that overrides the limit.
pub const MAX_DOCUMENT_BYTES_ENV: &str = "COPYDESK_MAX_DOCUMENT_BYTES";
/// The diagnostic's code (not a [`crate::analysis::Rule`]: it is about the server, not the copy).
pub const CODE: &str = "document-too-large";

/// The limit in bytes, read once.
pub fn max_document_bytes() -> usize {
    static LIMIT: OnceLock<usize> = OnceLock::new();
    *LIMIT.get_or_init(|| parse_limit(std::env::var(MAX_DOCUMENT_BYTES_ENV).ok().as_deref()))
}

fn parse_limit(value: Option<&str>) -> usize {
    match value.map(|v| v.trim().parse::<usize>()) {
        None => DEFAULT_MAX_DOCUMENT_BYTES,
        Some(Ok(limit)) => limit,
        Some(Err(_)) => {
            warn!(
                value,
                "{MAX_DOCUMENT_BYTES_ENV} is not a byte count; using {DEFAULT_MAX_DOCUMENT_BYTES}"
            );
            DEFAULT_MAX_DOCUMENT_BYTES
        }
    }
}

/// True if a document of `len` bytes is not analysed.
pub fn too_large(len: usize) -> bool {
    len > max_document_bytes()
}

/// The one diagnostic a too-large document gets, at its start.
pub fn diagnostic(len: usize, limit: usize) -> Diagnostic {
    let mib = |bytes: usize| bytes as f64 / (1024.0 * 1024.0);
    Diagnostic {
        range: Range::new(Position::new(0, 0), Position::new(0, 0)),
        severity: Some(DiagnosticSeverity::INFORMATION),
        code: Some(NumberOrString::String(CODE.to_owned())),
        source: Some(SOURCE.to_owned()),
        message: format!(
            "Copydesk does not check this document: it is {:.1} MiB, above the {:.1} MiB limit \
             ({MAX_DOCUMENT_BYTES_ENV} changes it). Editing is not affected.",
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
    fn limit_parses_or_falls_back_to_the_default() {
        assert_eq!(parse_limit(None), DEFAULT_MAX_DOCUMENT_BYTES);
        assert_eq!(parse_limit(Some(" 1000 ")), 1000);
        assert_eq!(parse_limit(Some("20MB")), DEFAULT_MAX_DOCUMENT_BYTES);
    }

    #[test]
    fn diagnostic_says_why_in_mebibytes() {
        let d = diagnostic(50 * 1024 * 1024, DEFAULT_MAX_DOCUMENT_BYTES);
        assert_eq!(d.severity, Some(DiagnosticSeverity::INFORMATION));
        assert_eq!(d.code, Some(NumberOrString::String("document-too-large".into())));
        assert_eq!(
            d.message,
            "Copydesk does not check this document: it is 50.0 MiB, above the 20.0 MiB limit \
             (COPYDESK_MAX_DOCUMENT_BYTES changes it). Editing is not affected."
        );
    }
}
