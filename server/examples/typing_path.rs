//! Replays the protocol benchmark's typing trace (docgen `typing_trace`: a ~300-character
//! paragraph with a quotation typed one character at a time near the middle, deleted, a 10 KB
//! block pasted) in process, timing what the server does per edit: the incremental re-analysis,
//! the features' diagnostics and their conversion to LSP positions.
//!
//! `cargo run --release --example typing_path -- [BYTES] [EDITS]` (defaults 1000000, all).
//! Under `valgrind --tool=callgrind` it gives instruction counts per stage (docs/performance.md).

use std::time::Instant;

use copydesk::analysis::{Analyzer, Edit};
use copydesk::config::Config;
use copydesk::features::diagnostics::{diagnostics, RULES_URL};
use copydesk::features::{Article, Language};
use copydesk::lsp::encoding::PositionEncoding;
use copydesk::lsp::feature_diagnostics::{to_lsp_linked, RuleLinks};
use ropey::Rope;

fn percentile(sorted: &[f64], p: usize) -> f64 {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let size: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let limit: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(usize::MAX);
    let mut text = docgen::article(size, 1);
    let trace = docgen::edits::typing_trace(&text, 1);
    let mut analyzer = Analyzer::default();
    analyzer.reset(&text);
    let mut rope = Rope::from_str(&text);
    let config = Config::default();
    let (mut update, mut features, mut convert, mut total) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (_, e) in trace.iter().take(limit) {
        let old_end = e.end;
        let (cs, ce) = (rope.byte_to_char(e.start), rope.byte_to_char(e.end));
        rope.remove(cs..ce);
        rope.insert(cs, &e.text);
        text.replace_range(e.start..e.end, &e.text);
        let edit = Edit {
            start: e.start,
            old_end,
            new_end: e.start + e.text.len(),
        };

        let t0 = Instant::now();
        let analysis = analyzer.update(&text, &[edit]);
        let t1 = Instant::now();
        let article = Article::new(&text, &analysis, Language::PlainText);
        let found = diagnostics(&article, &config);
        let t2 = Instant::now();
        let mut links = RuleLinks::new(RULES_URL);
        let lsp: Vec<_> = found
            .iter()
            .map(|d| to_lsp_linked(d, &rope, PositionEncoding::Utf16, &mut links))
            .collect();
        let t3 = Instant::now();
        std::hint::black_box(lsp);
        update.push((t1 - t0).as_secs_f64() * 1e3);
        features.push((t2 - t1).as_secs_f64() * 1e3);
        convert.push((t3 - t2).as_secs_f64() * 1e3);
        total.push((t3 - t0).as_secs_f64() * 1e3);
    }
    println!("{} bytes, {} edits of the typing trace", size, update.len());
    for (name, times) in [
        ("update", &mut update),
        ("diagnostics", &mut features),
        ("to_lsp", &mut convert),
        ("total", &mut total),
    ] {
        times.sort_by(f64::total_cmp);
        println!(
            "  {name:<12} p50 {:8.3} ms  p95 {:8.3} ms  p99 {:8.3} ms  max {:8.3} ms",
            percentile(times, 50),
            percentile(times, 95),
            percentile(times, 99),
            times[times.len() - 1]
        );
    }
}
