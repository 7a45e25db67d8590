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
    let per_edit = std::env::var_os("COPYDESK_PER_EDIT").is_some();
    for (k, (_, e)) in trace.iter().take(limit).enumerate() {
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
        let t = std::time::Instant::now();
        times.time_edit(&mut analyzer, &text, &rope, edit, &config);
        moved += usize::from(analyzer.reused_moved());
        if per_edit {
            let path = if analyzer.reused_moved() {
                "moved"
            } else if analyzer.reused_linking() {
                "linking"
            } else {
                "full"
            };
            let shown: String = e.text.chars().take(12).collect();
            println!(
                "edit {k:4} {shown:?} {path:<7} attributed {:5} paragraphs  {:8.3} ms",
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
}
