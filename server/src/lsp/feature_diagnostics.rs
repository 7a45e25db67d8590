//! Publishing an article's diagnostics: the features' pipeline, configured, held back while typing.
//!
//! The analysis worker calls [`publish`] with each current analysis. It runs
//! `features::diagnostics` under the document's configuration, lets `features::quiet` hold back
//! `unattributed-quote` in the paragraph being typed, and when it did, schedules one republish
//! for when the paragraph has been still long enough (skipped if the text changed meanwhile:
//! the worker publishes that version itself). A broken `.copydesk.toml` gets its one diagnostic
//! published on the configuration file.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ropey::Rope;
use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic as LspDiagnostic, DiagnosticSeverity, NumberOrString, Range, Uri,
};
use tower_lsp_server::Client;
use tracing::debug;

use super::diagnostics::SOURCE;
use super::documents::{Analysed, Documents};
use super::encoding::{span_to_range, PositionEncoding};
use super::feature_state::{context_of, FeatureState};
use super::outbox::Outbox;
use super::published::to_lsp_json;
use crate::analysis::Severity;
use crate::config::file::LoadedFile;
use crate::features::diagnostics::{config_diagnostic, diagnostics_reusing, Diagnostic};
use crate::features::quiet::hold_back;

/// The protocol form of a feature diagnostic.
/// `rules_url` is the configured rules page the code links into.
pub fn to_lsp(
    diagnostic: &Diagnostic,
    rope: &Rope,
    encoding: PositionEncoding,
    rules_url: &str,
) -> LspDiagnostic {
    to_lsp_linked(diagnostic, rope, encoding, &mut RuleLinks::new(rules_url))
}

/// The links into the rules page, each parsed once: a publish converts many diagnostics of a
/// few rules, and parsing a `Uri` cost more than converting the diagnostic's positions.
#[derive(Debug)]
pub struct RuleLinks<'a> {
    base: &'a str,
    parsed: HashMap<&'static str, Option<Uri>>,
}

impl<'a> RuleLinks<'a> {
    /// Links into the rules page at `base` (`Config::rules_url`).
    pub fn new(base: &'a str) -> Self {
        RuleLinks {
            base,
            parsed: HashMap::new(),
        }
    }

    fn href(&mut self, diagnostic: &Diagnostic) -> Option<Uri> {
        let base = self.base;
        self.parsed
            .entry(diagnostic.code)
            .or_insert_with(|| Uri::from_str(&diagnostic.url(base)).ok())
            .clone()
    }
}

/// [`to_lsp`], with the links parsed once for all diagnostics of a publish.
pub fn to_lsp_linked(
    diagnostic: &Diagnostic,
    rope: &Rope,
    encoding: PositionEncoding,
    links: &mut RuleLinks,
) -> LspDiagnostic {
    protocol_form(
        diagnostic,
        span_to_range(rope, diagnostic.span, encoding),
        links,
    )
}

/// [`to_lsp_linked`]'s conversion of a diagnostic whose span's range is `range` (named apart so
/// that profiles of a publish that reuses conversions count it once).
pub(super) fn protocol_form(
    diagnostic: &Diagnostic,
    range: Range,
    links: &mut RuleLinks,
) -> LspDiagnostic {
    LspDiagnostic {
        range,
        severity: Some(severity(diagnostic.severity)),
        code: Some(NumberOrString::String(diagnostic.code.to_owned())),
        code_description: links.href(diagnostic).map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_owned()),
        message: diagnostic.message.to_string(),
        ..LspDiagnostic::default()
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// Publish the diagnostics of a current analysis of `uri`; if some are held back while the
/// paragraph is typed, publish again once it has been still long enough.
pub async fn publish(
    outbox: &Outbox,
    documents: &Arc<Documents>,
    state: &Arc<FeatureState>,
    encoding: PositionEncoding,
    uri: &Uri,
    analysed: &Analysed,
) {
    let Some(mut wait) = publish_once(outbox, documents, state, encoding, uri, analysed).await
    else {
        return;
    };
    let (outbox, documents, state, uri) = (
        outbox.clone(),
        documents.clone(),
        state.clone(),
        uri.clone(),
    );
    let edited = state.last_edit(&uri);
    let revision = analysed.revision;
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(wait).await;
            let Some(latest) = documents.latest_analysis(&uri) else {
                return;
            };
            if latest.revision != revision || state.last_edit(&uri) != edited {
                return; // a newer version is (or will be) published by the worker
            }
            match publish_once(&outbox, &documents, &state, encoding, &uri, &latest).await {
                Some(again) => wait = again,
                None => return,
            }
        }
    });
}

/// Publish once; how long until held-back diagnostics may be shown, if any were held back.
async fn publish_once(
    outbox: &Outbox,
    documents: &Documents,
    state: &FeatureState,
    encoding: PositionEncoding,
    uri: &Uri,
    analysed: &Analysed,
) -> Option<Duration> {
    let language_id = documents
        .snapshot(uri)
        .map(|s| s.language_id)
        .unwrap_or_default();
    let context = context_of(uri, &language_id, analysed.clone());
    let (config, loaded) = state.config_for(uri);
    if let Some(loaded) = &loaded {
        publish_config_state(&outbox.client, state, loaded, encoding, &config.rules_url).await;
    }
    // The document's last publish, kept with it (dropped on didClose).
    let mut memo = documents.take_publish_memo(uri);
    let started = Instant::now();
    let (json, retry, checked) = {
        let article = context.article();
        // The naming findings of the last publish are reused, moved, after an edit that only
        // moved what they read.
        let edited = analysed.edited.as_ref();
        let all = diagnostics_reusing(
            &mut memo.naming,
            &context.text,
            edited,
            &context.analysed.analysis,
            &article,
            &config,
        );
        let typing = state.typing(uri, &article);
        let (now, retry) = hold_back(all, typing);
        let checked = started.elapsed();
        // Converted afresh only near the edit since the last publish.
        let json = to_lsp_json(
            &mut memo.published,
            &context.text,
            edited,
            &analysed.rope,
            encoding,
            &config.rules_url,
            now,
        );
        (json, retry, checked)
    };
    // The last publish's analysis, whose last `Arc` the naming memo held: dropped once the
    // diagnostics are sent, not before.
    let retired = memo.naming.take_retired();
    documents.keep_publish_memo(uri, memo);
    let converted = started.elapsed();
    outbox
        .publish_diagnostics(uri, &json, Some(analysed.version))
        .await;
    // Where a publish's time goes, for profiling the keystroke path (COPYDESK_LOG=debug).
    debug!(
        version = analysed.version,
        bytes = json.len(),
        checks_ms = ms(checked),
        json_ms = ms(converted - checked),
        send_ms = ms(started.elapsed() - converted),
        "published diagnostics"
    );
    drop(retired);
    retry
}

/// Publish a configuration file's error (or clear it once fixed), only when it changed.
async fn publish_config_state(
    client: &Client,
    state: &FeatureState,
    loaded: &LoadedFile,
    encoding: PositionEncoding,
    rules_url: &str,
) {
    if !state.config_error_changed(loaded) {
        return;
    }
    let Some(uri) = Uri::from_file_path(&loaded.path) else {
        return;
    };
    let diagnostics = match &loaded.result {
        Ok(_) => Vec::new(),
        Err(error) => {
            let text = std::fs::read_to_string(&loaded.path).unwrap_or_default();
            let rope = Rope::from_str(&text);
            vec![to_lsp(
                &config_diagnostic(error),
                &rope,
                encoding,
                rules_url,
            )]
        }
    };
    client.publish_diagnostics(uri, diagnostics, None).await;
}
