//! The per-edit stage timing the keystroke_path and typing_path examples share: one edit through
//! the server's publish path (incremental re-analysis, the features' diagnostics, their LSP
//! conversion to JSON), each stage timed, and the percentiles printed.

// Each example compiles its own copy of this module and uses only part of it.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Instant;

use copydesk::analysis::shift::EditedFrom;
use copydesk::analysis::{Analysis, Analyzer, Edit};
use copydesk::config::Config;
use copydesk::features::diagnostics::Diagnostic;
use copydesk::features::diagnostics::{diagnostics_reusing, RULES_URL};
use copydesk::features::naming::NamingMemo;
use copydesk::features::{Article, Language};
use copydesk::lsp::encoding::PositionEncoding;
use copydesk::lsp::published::{to_lsp_json, PublishedMemo};
use ropey::Rope;

/// Milliseconds per edit for each stage of the publish path.
#[derive(Default)]
pub struct StageTimes {
    update: Vec<f64>,
    diagnostics: Vec<f64>,
    to_lsp: Vec<f64>,
    total: Vec<f64>,
    /// The document's last publish, as the server keeps it with the open document.
    naming: NamingMemo,
    published: PublishedMemo,
    /// The text of the last edit (or the opening), which the next edit is made to: what the
    /// server's change handler hands the publish with each analysis.
    previous: Option<Arc<str>>,
    /// The last edit's analysis and diagnostics (before conversion), for checking them.
    pub last: Option<(Arc<Analysis>, Vec<Diagnostic>)>,
}

impl StageTimes {
    /// Timing edits of the document `text` just opened (`opened` its analysis). The server
    /// publishes diagnostics when a document opens, so the naming checks' memo and name graph
    /// are warm before the first edit; this runs them once too, outside the timed and
    /// callgrind-collected functions (the naming checks, not `diagnostics_reusing`, which the
    /// callgrind toggles count). Without it the first edit paid the process's first naming
    /// check (≈ 140 M instructions at 1 MB), which no server edit pays.
    pub fn after_open(text: &str, opened: &Arc<Analysis>, config: &Config) -> StageTimes {
        let shared: Arc<str> = Arc::from(text);
        let mut naming = NamingMemo::default();
        let _ = copydesk::features::naming::check_reusing(
            &mut naming,
            &shared,
            opened,
            &Article::new(&shared, opened, Language::PlainText),
            &config.register,
        );
        StageTimes {
            naming,
            previous: Some(shared),
            ..StageTimes::default()
        }
    }

    /// Runs one already-applied edit (`text` and `rope` hold the new text) through the publish
    /// path and records each stage's time; returns how many diagnostics would be published.
    pub fn time_edit(
        &mut self,
        analyzer: &mut Analyzer,
        text: &str,
        rope: &Rope,
        edit: Edit,
        config: &Config,
    ) -> usize {
        // The server's one copy of the text per analysis (made before its analysis starts).
        let shared: Arc<str> = Arc::from(text);
        let mut edited = self
            .previous
            .take()
            .and_then(|from| EditedFrom::new(from, &[edit], text.len()));
        let t0 = Instant::now();
        let analysis = analyzer.update(text, &[edit]);
        if let Some(edited) = &mut edited {
            edited.moved = analyzer.moved_from().cloned();
        }
        let t1 = Instant::now();
        // The server makes an article per publish (`FeatureContext::article`), outside
        // `diagnostics_reusing`, which the usual callgrind toggles left out (up to session 17;
        // inlined here, it has no entry to toggle on). `--toggle-collect='*time_edit*'` counts
        // all of this function: the text's copy, this article, dropping the last edit's
        // analysis and the copy of the diagnostics kept for checking, besides the three stages.
        let article = Article::new(&shared, &analysis, Language::PlainText);
        let found = diagnostics_reusing(
            &mut self.naming,
            &shared,
            edited.as_ref(),
            &analysis,
            &article,
            config,
        );
        let t2 = Instant::now();
        // Kept for checking, copied outside the timed stages.
        let kept = found.clone();
        let published = found.len();
        let t2_json = Instant::now();
        let json = to_lsp_json(
            &mut self.published,
            &shared,
            edited.as_ref(),
            rope,
            PositionEncoding::Utf16,
            RULES_URL,
            found,
        );
        let t3 = Instant::now();
        std::hint::black_box(json);
        // The server drops the last publish's analysis after sending (counted here all the same).
        drop(self.naming.take_retired());
        self.last = Some((analysis, kept));
        self.previous = Some(shared);
        self.update.push((t1 - t0).as_secs_f64() * 1e3);
        self.diagnostics.push((t2 - t1).as_secs_f64() * 1e3);
        self.to_lsp.push((t3 - t2_json).as_secs_f64() * 1e3);
        self.total
            .push(((t3 - t2_json) + (t2 - t0)).as_secs_f64() * 1e3);
        published
    }

    /// The last edit's update, diagnostics and to_lsp times, in milliseconds.
    pub fn last_stages(&self) -> (f64, f64, f64) {
        let last = |v: &[f64]| v.last().copied().unwrap_or(0.0);
        (
            last(&self.update),
            last(&self.diagnostics),
            last(&self.to_lsp),
        )
    }

    /// How many edits were timed.
    pub fn edits(&self) -> usize {
        self.update.len()
    }

    /// The median re-analysis time, in milliseconds.
    pub fn update_p50(&self) -> f64 {
        let mut sorted = self.update.clone();
        sorted.sort_by(f64::total_cmp);
        percentile(&sorted, 50)
    }

    /// Prints p50/p95/p99/max for each stage, each line starting with `prefix`.
    pub fn print(&self, prefix: &str) {
        for (name, times) in [
            ("update", &self.update),
            ("diagnostics", &self.diagnostics),
            ("to_lsp", &self.to_lsp),
            ("total", &self.total),
        ] {
            let mut sorted = times.clone();
            sorted.sort_by(f64::total_cmp);
            println!(
                "  {prefix}{name:<12} p50 {:8.3} ms  p95 {:8.3} ms  p99 {:8.3} ms  max {:8.3} ms",
                percentile(&sorted, 50),
                percentile(&sorted, 95),
                percentile(&sorted, 99),
                sorted.last().copied().unwrap_or(0.0)
            );
        }
    }
}

fn percentile(sorted: &[f64], p: usize) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}
