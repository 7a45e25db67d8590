//! Replays the protocol benchmark's typing trace (docgen `typing_trace`: a ~300-character
//! paragraph with a quotation typed one character at a time near the middle, deleted, a 10 KB
//! block pasted) in process, timing what the server does per edit: the incremental re-analysis,
//! the features' diagnostics and their conversion to LSP positions.
//!
//! `cargo run --release --example typing_path -- [BYTES] [EDITS]` (defaults 1000000, all).
//! Under `valgrind --tool=callgrind` it gives instruction counts per stage (docs/performance.md).
//! With `COPYDESK_PER_EDIT=1` it also prints one line per edit: what was typed, the path the
//! re-analysis took (`moved`: the last result moved; `linking`: linking's result moved, the other
//! passes run; `full`: every pass), how many paragraphs attribution resolved, and the time.
//! With `COPYDESK_VERIFY=1` it checks after every edit that the incremental analysis and the
//! diagnostics built from it equal a from-scratch analysis and fresh diagnostics of the same
//! text (slow: a full analysis per edit), names each edit where they differ and exits 1.

#[path = "support/stages.rs"]
mod stages;

use std::sync::Arc;

use copydesk::analysis::{analyze, Analyzer, Edit};
use copydesk::config::Config;
use copydesk::features::diagnostics::diagnostics_reusing;
use copydesk::features::naming::NamingMemo;
use copydesk::features::{Article, Language};
use ropey::Rope;
use stages::StageTimes;

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
    let opened = analyzer.reset(&text);
    let mut rope = Rope::from_str(&text);
    let config = Config::default();
    let mut times = StageTimes::after_open(&text, &opened, &config);
    drop(opened);
    let mut moved = 0;
    let per_edit = std::env::var_os("COPYDESK_PER_EDIT").is_some();
    let verify = std::env::var_os("COPYDESK_VERIFY").is_some();
    let mut differing = 0;
    for (k, (_, e)) in trace.iter().take(limit).enumerate() {
        let (cs, ce) = (rope.byte_to_char(e.start), rope.byte_to_char(e.end));
        rope.remove(cs..ce);
        rope.insert(cs, &e.text);
        let edit = Edit::apply(&mut text, e.start..e.end, &e.text);
        let t = std::time::Instant::now();
        times.time_edit(&mut analyzer, &text, &rope, edit, &config);
        moved += usize::from(analyzer.reused_moved());
        if verify {
            if let Some(what) = differs_from_scratch(&text, &times, &config) {
                differing += 1;
                let shown: String = e.text.chars().take(12).collect();
                println!("edit {k:4} {shown:?}: {what} differ from a from-scratch analysis");
            }
        }
        if per_edit {
            let path = if analyzer.reused_moved() {
                "moved"
            } else if analyzer.reused_linking() {
                "linking"
            } else {
                "full"
            };
            let shown: String = e.text.chars().take(12).collect();
            let (update, diagnostics, to_lsp) = times.last_stages();
            println!(
                "edit {k:4} {shown:?} {path:<7} attributed {:5} paragraphs  {:8.3} ms (update {update:.1}, diagnostics {diagnostics:.1}, to_lsp {to_lsp:.1})",
                analyzer.attributed_paragraphs(),
                t.elapsed().as_secs_f64() * 1e3
            );
        }
    }
    println!(
        "{} bytes, {} edits of the typing trace ({} reused the last result moved)",
        size,
        times.edits(),
        moved
    );
    times.print("");
    if verify {
        println!("verified: {differing} edits differ from a from-scratch analysis");
        if differing > 0 {
            std::process::exit(1);
        }
    }
}

/// What of the last edit's result differs from analysing `text` afresh, if anything.
fn differs_from_scratch(text: &str, times: &StageTimes, config: &Config) -> Option<String> {
    let (analysis, found) = times.last.as_ref()?;
    let scratch = Arc::new(analyze(text));
    let mut differing = Vec::new();
    if analysis.blocks != scratch.blocks {
        differing.push("blocks");
    }
    if analysis.entities != scratch.entities {
        differing.push("entities");
    }
    if analysis.quotes != scratch.quotes {
        differing.push("quotes");
    }
    if analysis.findings != scratch.findings {
        differing.push("findings");
    }
    let shared: Arc<str> = Arc::from(text);
    let article = Article::new(&shared, &scratch, Language::PlainText);
    let fresh = diagnostics_reusing(
        &mut NamingMemo::default(),
        &shared,
        None,
        &scratch,
        &article,
        config,
    );
    if fresh != *found {
        differing.push("diagnostics");
    }
    (!differing.is_empty()).then(|| differing.join(", "))
}
