//! Diagnostics: the per-document analysis worker that keeps each document's findings published.
//!
//! One worker per open document analyses the newest text on the blocking pool, publishes the
//! findings (through `feature_diagnostics`, which converts and configures them) with the version
//! they belong to, and loops while changes keep arriving: versions overtaken by newer edits are
//! skipped, never published, and there is no fixed debounce.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use tower_lsp_server::ls_types::Uri;
use tracing::{debug, error};

use crate::analysis::shift::EditedFrom;
use crate::analysis::Analysis;

use super::documents::{Analysed, AnalysisJob, Documents, JobOutcome};
use super::encoding::PositionEncoding;
use super::feature_diagnostics;
use super::feature_state::FeatureState;
use super::outbox::Outbox;
use super::size_limit;

/// Where the diagnostics come from, as editors show it.
pub const SOURCE: &str = "copydesk";

/// Analyses `uri` until its analysis is current, publishing each current result.
pub async fn run_worker(
    outbox: Outbox,
    documents: Arc<Documents>,
    features: Arc<FeatureState>,
    encoding: PositionEncoding,
    uri: Uri,
    open_id: u64,
) {
    loop {
        let Some(job) = documents.take_job(&uri, open_id) else {
            return;
        };
        let revision = job.revision;
        // Read per job: an edited .copydesk.toml or new settings apply to the next analysis.
        // The configured speech verbs change what the analysis finds; an analyzer given new
        // options re-analyses every paragraph.
        let config = features.config_for(&uri).0;
        let limit = size_limit::max_document_bytes(config.max_document_bytes);
        let too_large = job.rope.len_bytes() > limit;
        let started = std::time::Instant::now();
        let (analyzer, analysed) = analyse(job, config.analysis_options(), too_large).await;
        debug!(
            version = analysed.version,
            ms = started.elapsed().as_secs_f64() * 1e3,
            "analysed (text copied, analysis updated)"
        );
        match documents.finish_job(&uri, open_id, analyzer, analysed.clone()) {
            JobOutcome::Gone => return,
            JobOutcome::Stale => {
                debug!(
                    uri = uri.as_str(),
                    version = analysed.version,
                    "skipping a stale analysis"
                );
                continue;
            }
            JobOutcome::Current if too_large => {
                let notice =
                    size_limit::diagnostic(analysed.rope.len_bytes(), limit, &config.rules_url);
                outbox
                    .publish(&uri, &[notice], Some(analysed.version))
                    .await;
            }
            JobOutcome::Current => {
                // The features' pipeline: configured, naming checks, held back while typing.
                feature_diagnostics::publish(
                    &outbox, &documents, &features, encoding, &uri, &analysed,
                )
                .await;
            }
        }
        // Publishing happened while this worker still counted as running, so a newer version's
        // diagnostics can never overtake these.
        if documents.settle(&uri, open_id, revision) {
            return;
        }
    }
}

/// Runs the job on the blocking pool. A panic in the analysis loses the analyzer (`None`) and
/// yields an empty analysis for this text: that document goes quiet, the server keeps serving.
async fn analyse(
    job: AnalysisJob,
    options: crate::config::AnalysisOptions,
    too_large: bool,
) -> (Option<crate::analysis::Analyzer>, Analysed) {
    let AnalysisJob {
        version,
        revision,
        rope,
        edits,
        edited_from,
        reset,
        mut analyzer,
        ..
    } = job;
    if too_large {
        // Not analysed (see size_limit). The analyzer goes too: its cache no longer matches the
        // text, so the document is analysed afresh once it is back under the limit.
        let analysis = Arc::new(Analysis::default());
        let text = super::documents::text_of(&rope);
        return (
            None,
            Analysed {
                version,
                revision,
                rope,
                text,
                analysis,
                edited: None,
            },
        );
    }
    // The one copy of the text per analysis: the features read it from `Analysed`.
    let text: Arc<str> = super::documents::text_of(&rope);
    // What the edits left alone, for the publish (after a reset the edits were dropped).
    let mut edited = edited_from
        .filter(|_| !reset)
        .and_then(|from| EditedFrom::new(from, &edits, text.len()));
    let shared = Arc::clone(&text);
    let result = tokio::task::spawn_blocking(move || {
        let text = shared;
        let analysis = catch_unwind(AssertUnwindSafe(|| {
            analyzer.set_options(&options);
            if reset {
                analyzer.reset(&text)
            } else {
                analyzer.update(&text, &edits)
            }
        }));
        analysis.map(|analysis| (analyzer, analysis)).ok()
    })
    .await;
    let (analyzer, analysis) = match result {
        Ok(Some((analyzer, analysis))) => {
            // The analyzer's word that this analysis is the last one moved (checked against
            // the analyses themselves where it is used).
            if let Some(edited) = &mut edited {
                edited.moved = analyzer.moved_from().cloned();
            }
            (Some(analyzer), analysis)
        }
        Ok(None) | Err(_) => {
            error!(
                version,
                "analysis panicked; this version gets no diagnostics"
            );
            (None, Arc::new(Analysis::default()))
        }
    };
    (
        analyzer,
        Analysed {
            version,
            revision,
            rope,
            text,
            analysis,
            edited,
        },
    )
}
