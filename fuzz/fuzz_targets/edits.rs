//! Fuzz target: edit sequences applied to an open document through the server's text model.
//!
//! A fuzzer-chosen position encoding and a sequence of didChange content changes (valid ranges on
//! awkward boundaries, out-of-range positions that must be clamped, whole-text replacements,
//! several changes per notification) go through `lsp::documents::Documents`, the server's own
//! rope store, exactly as the change handler calls it. After every notification the server's text
//! must equal the client model's string (docgen's independent position code), and the analyzer,
//! fed the edits the store recorded, must give the same analysis as a from-scratch `analyze`.
#![no_main]

use std::sync::Arc;

use copydesk::analysis::analyze;
use copydesk::analysis::shift::EditedFrom;
use copydesk::lsp::documents::{Analysed, Documents};
use copydesk::lsp::encoding::PositionEncoding;
use docgen::{edits::edit_boundary, offset_of, range_of, Encoding};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let (enc, server_enc) = *u.choose(&[
        (Encoding::Utf8, PositionEncoding::Utf8),
        (Encoding::Utf16, PositionEncoding::Utf16),
        (Encoding::Utf32, PositionEncoding::Utf32),
    ])?;
    let uri: Uri = "file:///fuzz/story.txt".parse().map_err(|_| libfuzzer_sys::arbitrary::Error::IncorrectFormat)?;
    let mut text = some_text(u)?;
    let documents = Documents::default();
    let open_id = documents.open(uri.clone(), "plaintext".into(), 1, &text);
    let mut version = 1;
    let steps = u.int_in_range(1..=48)?;
    for _ in 0..steps {
        let mut changes = Vec::new();
        for _ in 0..u.int_in_range(1..=3)? {
            changes.push(change(u, &mut text, enc)?);
        }
        version += 1;
        documents.change(&uri, version, changes, server_enc);
        let server_text = documents.snapshot(&uri).map(|s| s.rope.to_string());
        assert_eq!(server_text.as_deref(), Some(text.as_str()), "server text drifted from the client's");
        if u.ratio(1, 2)? {
            check_incremental(&documents, &uri, open_id, &text);
        }
    }
    check_incremental(&documents, &uri, open_id, &text);
    Ok(())
}

/// Runs the analysis job the server would run and compares it with a from-scratch analysis.
fn check_incremental(documents: &Documents, uri: &Uri, open_id: u64, text: &str) {
    let Some(job) = documents.take_job(uri, open_id) else { return };
    let mut analyzer = job.analyzer;
    let job_text = job.rope.to_string();
    let analysis = if job.reset { analyzer.reset(&job_text) } else { analyzer.update(&job_text, &job.edits) };
    assert_eq!(job_text, text);
    assert_eq!(*analysis, analyze(text), "incremental analysis differs from a from-scratch one");
    // What the edits left alone, worked out as the server's analysis job does.
    let edited = job.edited_from.filter(|_| !job.reset).and_then(|from| EditedFrom::new(from, &job.edits, job_text.len()));
    let analysed = Analysed {
        version: job.version,
        revision: job.revision,
        rope: job.rope,
        text: job_text.into(),
        analysis: Arc::clone(&analysis),
        edited,
    };
    documents.finish_job(uri, open_id, Some(analyzer), analysed);
    documents.settle(uri, open_id, job.revision);
}

const PIECES: &[&str] = &[
    "“", "”", "‘", "’", "—", "–", "👍", "🇳🇿", "東京", "é", "e\u{301}", "\r\n", "\n", "\n\n", "\r",
    "\u{2028}", "\"", "'", " ", "said", "Zoë Varga", " said. ", "“We will,” she said.", "# ", "&nbsp;",
];

fn some_text(u: &mut Unstructured<'_>) -> Result<String> {
    if u.ratio(1, 4)? {
        let s: &str = u.arbitrary()?;
        return Ok(s.chars().take(400).collect());
    }
    let mut s = String::new();
    for _ in 0..u.int_in_range(0..=24)? {
        s.push_str(u.choose(PIECES)?);
    }
    Ok(s)
}

fn pos((line, character): (u32, u32)) -> Position {
    Position { line, character }
}

/// One content change, applied to the client's `text` as the spec says the server must apply it.
fn change(u: &mut Unstructured<'_>, text: &mut String, enc: Encoding) -> Result<TextDocumentContentChangeEvent> {
    let insert = some_text(u)?;
    match u.int_in_range(0..=9)? {
        // Whole-document replacement.
        0 => {
            text.clone_from(&insert);
            Ok(TextDocumentContentChangeEvent { range: None, range_length: None, text: insert })
        }
        // Arbitrary positions: past line ends, past the end, inside surrogate pairs, reversed.
        1 | 2 => {
            let lines = text.split('\n').count() as u32 + 1;
            let mut p = || -> Result<(u32, u32)> { Ok((u.int_in_range(0..=lines)?, u.int_in_range(0..=40)?)) };
            let (a, b) = (p()?, p()?);
            let start = offset_of(text, a.0, a.1, enc);
            let end = offset_of(text, b.0, b.1, enc).max(start);
            text.replace_range(start..end, &insert);
            Ok(TextDocumentContentChangeEvent { range: Some(Range { start: pos(a), end: pos(b) }), range_length: None, text: insert })
        }
        // A valid range on any boundary a client can name.
        _ => {
            let start = edit_boundary(text, u.int_in_range(0..=text.len())?);
            let end = edit_boundary(text, u.int_in_range(start..=text.len())?).max(start);
            let (a, b) = range_of(text, start, end, enc);
            text.replace_range(start..end, &insert);
            Ok(TextDocumentContentChangeEvent { range: Some(Range { start: pos(a), end: pos(b) }), range_length: None, text: insert })
        }
    }
}
