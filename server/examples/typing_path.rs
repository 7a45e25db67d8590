//! Replays the protocol benchmark's typing trace (docgen `typing_trace`: a ~300-character
//! paragraph with a quotation typed one character at a time near the middle, deleted, a 10 KB
//! block pasted) in process, timing what the server does per edit: the incremental re-analysis,
//! the features' diagnostics and their conversion to LSP positions.
//!
//! `cargo run --release --example typing_path -- [BYTES] [EDITS]` (defaults 1000000, all).
//! Under `valgrind --tool=callgrind` it gives instruction counts per stage (docs/performance.md).

#[path = "support/stages.rs"]
mod stages;

use copydesk::analysis::{Analyzer, Edit};
use copydesk::config::Config;
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
    analyzer.reset(&text);
    let mut rope = Rope::from_str(&text);
    let config = Config::default();
    let mut times = StageTimes::default();
    let mut moved = 0;
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
        times.time_edit(&mut analyzer, &text, &rope, edit, &config);
        moved += usize::from(analyzer.reused_moved());
    }
    println!(
        "{} bytes, {} edits of the typing trace ({} reused the last result moved)",
        size,
        times.edits(),
        moved
    );
    times.print("");
}
