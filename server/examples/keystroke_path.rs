//! Times what the server does per keystroke on a generated article, stage by stage: the
//! incremental re-analysis, the features' diagnostics (naming checks, suppressions, configured
//! severities) and their conversion to LSP positions; plus one full analysis for comparison.
//!
//! `cargo run --release --example keystroke_path -- [BYTES] [KEYSTROKES] [TYPED]` (defaults
//! 100000, 100; without TYPED every tenth keystroke is `“` and the others `x`; with it, the
//! characters of TYPED are typed in turn, e.g. " said Njeri Halvorsen" for a name's letters).
//! Under `valgrind --tool=callgrind` the same binary gives instruction counts per stage
//! (see docs/performance.md, "How to rerun").

#[path = "support/stages.rs"]
mod stages;

use std::time::Instant;

use copydesk::analysis::{analyze, Analyzer, Edit};
use copydesk::config::Config;
use ropey::Rope;
use stages::StageTimes;

fn main() {
    let mut args = std::env::args().skip(1);
    let size: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let keystrokes: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100);
    let typed_text: Vec<String> = args
        .next()
        .map(|s| s.chars().map(String::from).collect())
        .unwrap_or_default();
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
    let opened = analyzer.reset(&text);
    let config = Config::default();
    let mut times = StageTimes::after_open(&text, &opened, &config);
    drop(opened);
    let mut rope = Rope::from_str(&text);
    let mut at = docgen::edits::paragraph_end_near(&text, text.len() / 2);
    let mut published = 0;
    let mut moved = 0;
    for k in 0..keystrokes {
        let typed = if !typed_text.is_empty() {
            typed_text[k % typed_text.len()].as_str()
        } else if k % 10 == 0 {
            "“"
        } else {
            "x"
        };
        let char_at = rope.byte_to_char(at);
        rope.insert(char_at, typed);
        let edit = Edit::apply(&mut text, at..at, typed);
        at = edit.new_end;

        published = times.time_edit(&mut analyzer, &text, &rope, edit, &config);
        moved += usize::from(analyzer.reused_moved());
    }
    times.print("keystroke ");
    println!(
        "  {} diagnostics published; {} of {} updates reused the last result moved; last update analysed {} paragraph(s) afresh; full / keystroke p50 = {:.0}x",
        published,
        moved,
        keystrokes,
        analyzer.fresh_paragraphs(),
        full_ms / times.update_p50()
    );
}
