//! Text edits and fixes in UTF-8 byte offsets, as features propose them and the LSP layer converts.

use crate::analysis::Span;

/// Replace the bytes of `span` with `new_text` (an empty span inserts).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TextEdit {
    pub span: Span,
    pub new_text: String,
}

impl TextEdit {
    pub fn replace(span: Span, new_text: impl Into<String>) -> Self {
        TextEdit {
            span,
            new_text: new_text.into(),
        }
    }
    pub fn insert(at: usize, new_text: impl Into<String>) -> Self {
        TextEdit {
            span: Span::new(at, at),
            new_text: new_text.into(),
        }
    }
    pub fn delete(span: Span) -> Self {
        TextEdit {
            span,
            new_text: String::new(),
        }
    }
}

/// A titled set of edits that fixes one thing (a code action's body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<TextEdit>,
}

/// Apply edits (non-overlapping, any order) to `text`; for tests and previews.
pub fn apply(text: &str, edits: &[TextEdit]) -> String {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in sorted {
        let start = edit.span.start.clamp(at, text.len());
        out.push_str(text.get(at..start).unwrap_or(""));
        out.push_str(&edit.new_text);
        at = edit.span.end.clamp(start, text.len());
    }
    out.push_str(text.get(at..).unwrap_or(""));
    out
}
