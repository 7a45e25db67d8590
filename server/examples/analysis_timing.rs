//! Times the analysis core on a generated article: full analysis, its two stages, and single
//! keystrokes re-analysed incrementally in the middle (see docs/analysis.md for figures).
//!
//! `cargo run --release --example analysis_timing -- [BYTES]` (default 100000).

use std::sync::Arc;
use std::time::Instant;

use copydesk::analysis::{analyze, document, paragraph, Analyzer, Edit};

/// A fixture article repeated with names and numbers varied so that no two paragraphs share
/// their text (the paragraph cache cannot flatter the figures).
fn generate(size: usize) -> String {
    let base = include_str!("../../tests/fixtures/articles/wire-port-strike.txt");
    let mut text = String::new();
    let mut i = 0usize;
    while text.len() < size {
        for line in base.lines() {
            let line = line
                .replace("212", &(100 + i).to_string())
                .replace("Aasen", &format!("Aasen{}", i % 97))
                .replace("Kvam", &format!("Kvam{}", i % 89));
            text.push_str(&line);
            text.push('\n');
            i += 1;
        }
    }
    text
}

fn main() {
    let size: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let mut text = generate(size);

    let t = Instant::now();
    let a = analyze(&text);
    let full = t.elapsed().as_secs_f64();
    println!(
        "{} bytes: full analysis {:.1} ms = {:.2} MB/s ({} quotations, {} entities)",
        text.len(),
        full * 1e3,
        text.len() as f64 / full / 1e6,
        a.quotes.len(),
        a.entities.len()
    );

    // The two stages separately: per-paragraph analysis, then the document passes.
    let t = Instant::now();
    let mut placed = Vec::new();
    let mut base = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        if !body.trim().is_empty() {
            placed.push(document::Placed {
                base,
                analysis: Arc::new(paragraph::analyze_paragraph(body, &Default::default())),
            });
        }
        base += line.len();
    }
    let per_paragraph = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mentions: Vec<_> = placed
        .iter()
        .flat_map(|p| p.analysis.mentions.iter().map(move |m| m.shifted(p.base)))
        .collect();
    let _ = copydesk::entities::link(&text, &mentions);
    let link = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let _ = document::build(&text, &placed);
    let passes = t.elapsed().as_secs_f64();
    println!(
        "  per-paragraph stage {:.1} ms; document passes {:.1} ms, of which entity linking {:.1} ms ({} mentions)",
        per_paragraph * 1e3,
        passes * 1e3,
        link * 1e3,
        mentions.len()
    );

    let mut analyzer = Analyzer::default();
    analyzer.reset(&text);
    let mut at = text.len() / 2;
    while !text.is_char_boundary(at) {
        at += 1;
    }
    let mut times = Vec::new();
    for k in 0..100 {
        let typed = if k % 10 == 0 { "“" } else { "x" };
        text.insert_str(at, typed);
        let t = Instant::now();
        let _ = analyzer.update(
            &text,
            &[Edit {
                start: at,
                old_end: at,
                new_end: at + typed.len(),
            }],
        );
        times.push(t.elapsed().as_secs_f64() * 1e3);
        at += typed.len();
    }
    times.sort_by(f64::total_cmp);
    println!(
        "  keystroke re-analysis: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} paragraph analysed afresh)",
        times[50],
        times[98],
        times[99],
        analyzer.fresh_paragraphs()
    );
}
