//! Times what the server does per keystroke on a generated article, stage by stage: the
//! incremental re-analysis, the features' diagnostics (naming checks, suppressions, configured
//! severities) and their conversion to LSP positions; plus one full analysis for comparison.
//!
//! `cargo run --release --example keystroke_path -- [BYTES] [KEYSTROKES]` (defaults 100000, 100).
//! Under `valgrind --tool=callgrind` the same binary gives instruction counts per stage
//! (see docs/performance.md).

use std::time::Instant;

use copydesk::analysis::{analyze, Analyzer, Edit};
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
    let size: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let keystrokes: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100);
    let mut text = docgen::article(size, 1);

    let t = Instant::now();
    let full = analyze(&text);
    let full_ms = t.elapsed().as_secs_f64() * 1e3;
    println!(
        "{} bytes: full analysis {:.1} ms = {:.2} MB/s ({} paragraphs, {} quotations, {} entities, {} findings)",
        text.len(),
        full_ms,
        text.len() as f64 / full_ms / 1e3,
        full.blocks.len(),
        full.quotes.len(),
        full.entities.len(),
        full.findings.len()
    );
    drop(full);

    let mut analyzer = Analyzer::default();
    analyzer.reset(&text);
    let mut rope = Rope::from_str(&text);
    let config = Config::default();
    let mut at = docgen::edits::paragraph_end_near(&text, text.len() / 2);
    let (mut update, mut features, mut convert, mut total) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut published = 0;
    for k in 0..keystrokes {
        let typed = if k % 10 == 0 { "“" } else { "x" };
        text.insert_str(at, typed);
        let char_at = rope.byte_to_char(at);
        rope.insert(char_at, typed);
        let edit = Edit {
            start: at,
            old_end: at,
            new_end: at + typed.len(),
        };
        at += typed.len();

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
        published = lsp.len();
        update.push((t1 - t0).as_secs_f64() * 1e3);
        features.push((t2 - t1).as_secs_f64() * 1e3);
        convert.push((t3 - t2).as_secs_f64() * 1e3);
        total.push((t3 - t0).as_secs_f64() * 1e3);
    }
    for (name, times) in [
        ("update", &mut update),
        ("diagnostics", &mut features),
        ("to_lsp", &mut convert),
        ("total", &mut total),
    ] {
        times.sort_by(f64::total_cmp);
        println!(
            "  keystroke {name:<12} p50 {:8.3} ms  p99 {:8.3} ms  max {:8.3} ms",
            percentile(times, 50),
            percentile(times, 99),
            times[times.len() - 1]
        );
    }
    println!(
        "  {} diagnostics published; last update analysed {} paragraph(s) afresh; full / keystroke p50 = {:.0}x",
        published,
        analyzer.fresh_paragraphs(),
        full_ms / percentile(&update, 50)
    );
}
