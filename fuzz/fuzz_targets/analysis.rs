//! Fuzz target: arbitrary text through the whole analysis (structure, quotes, entities, findings).
//!
//! Analysis must never panic on any text, and every span it returns must lie inside the text, on
//! character boundaries, in document order where the model promises order.
#![no_main]

use copydesk::analysis::{analyze, Analysis, Span};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let analysis = analyze(&text);
    check_spans(&text, &analysis);
});

fn check_span(text: &str, span: Span, what: &str) {
    assert!(span.start <= span.end && span.end <= text.len(), "{what} span {span:?} outside 0..{}", text.len());
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} span {span:?} splits a character"
    );
}

fn check_spans(text: &str, a: &Analysis) {
    for b in &a.blocks {
        check_span(text, b.span, "block");
        if let Some(d) = b.dateline {
            check_span(text, d, "dateline");
        }
    }
    assert!(a.blocks.windows(2).all(|w| w[0].span.start <= w[1].span.start), "blocks out of order");
    for (i, e) in a.entities.iter().enumerate() {
        assert_eq!(e.id, i, "entity id is not its index");
        for m in &e.mentions {
            check_span(text, m.span, "mention");
        }
    }
    for q in &a.quotes {
        check_span(text, q.span, "quote");
        if let Some(s) = &q.speaker {
            check_span(text, s.span, "speaker");
            if let Some(id) = s.entity {
                assert!(id < a.entities.len(), "speaker entity {id} out of range");
            }
        }
        if let Some(c) = q.continues {
            assert!(c < a.quotes.len(), "continues {c} out of range");
        }
    }
    assert!(a.quotes.windows(2).all(|w| w[0].span.start <= w[1].span.start), "quotes out of order");
    for f in &a.findings {
        check_span(text, f.span, "finding");
    }
    assert!(a.findings.windows(2).all(|w| w[0].span.start <= w[1].span.start), "findings out of order");
}
