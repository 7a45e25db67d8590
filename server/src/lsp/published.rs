//! Converting a publish's diagnostics to the protocol, reusing the last publish's conversions.
//!
//! A keystroke moves most diagnostics of an article without changing them; converting a span to
//! a line and column counts the characters of its line, which for a long article cost more than
//! the rest of the publish. [`to_lsp_reusing`] keeps a document's last published list (in its
//! [`PublishedMemo`], which the server keeps with the open document and drops on close): a
//! diagnostic that is the same as one of them moved by the edit keeps its range if it lies on
//! lines before the edit, and moves by the lines the edit added or removed if it lies on lines
//! after it; only those on the edited lines are converted again.

use std::sync::Arc;

use ropey::Rope;
use tower_lsp_server::ls_types::Diagnostic as LspDiagnostic;

use super::encoding::PositionEncoding;
use super::feature_diagnostics::{protocol_form, RuleLinks};
use crate::analysis::shift::Shift;
use crate::features::diagnostics::Diagnostic;

/// One document's last publish, for [`to_lsp_reusing`] to reuse. Empty at first.
#[derive(Default)]
pub struct PublishedMemo(Option<Last>);

impl std::fmt::Debug for PublishedMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let published = self.0.as_ref().map(|last| last.published.len());
        f.debug_struct("PublishedMemo")
            .field("published", &published)
            .finish()
    }
}

/// A document's last publish: the text it was of and each diagnostic with its conversion.
struct Last {
    encoding: PositionEncoding,
    rules_url: String,
    text: Arc<str>,
    published: Vec<(Diagnostic, LspDiagnostic)>,
}

#[cfg(test)]
thread_local! {
    /// How many old conversions matched a diagnostic (tests check that reuse happens).
    static REUSED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The protocol form of `diagnostics` of a document whose text is `text` (`rope` holding the
/// same): [`super::feature_diagnostics::to_lsp_linked`] of each, taken from the document's last
/// publish (`memo`, then replaced by this one), moved, where the edit between the two texts left
/// it alone.
pub fn to_lsp_reusing(
    memo: &mut PublishedMemo,
    text: &Arc<str>,
    rope: &Rope,
    encoding: PositionEncoding,
    rules_url: &str,
    diagnostics: &[Diagnostic],
) -> Vec<LspDiagnostic> {
    let last = memo
        .0
        .take()
        .filter(|l| l.encoding == encoding && l.rules_url == rules_url);
    let mut links = RuleLinks::new(rules_url);
    let converted: Vec<LspDiagnostic> = match &last {
        Some(last) => {
            let edit = Shift::between(&last.text, text).into_iter().next();
            let edited = edit.as_ref().map(|edit| Edited {
                shift: edit,
                first_line: line_of(rope, edit.start),
                last_line: line_of(rope, edit.new_end),
            });
            let mut old = last.published.iter().peekable();
            diagnostics
                .iter()
                .map(|d| {
                    edited
                        .as_ref()
                        .and_then(|edited| reused(d, &mut old, edited, rope))
                        .unwrap_or_else(|| protocol_form(d, rope, encoding, &mut links))
                })
                .collect()
        }
        None => diagnostics
            .iter()
            .map(|d| protocol_form(d, rope, encoding, &mut links))
            .collect(),
    };
    memo.0 = Some(Last {
        encoding,
        rules_url: rules_url.to_owned(),
        text: Arc::clone(text),
        published: diagnostics.iter().cloned().zip(converted.clone()).collect(),
    });
    converted
}

/// The conversion of `d` taken from the last publish (`old`, in order, consumed up to `d`'s
/// place), if one of its diagnostics is `d` moved by `edit` and lies wholly on lines before or
/// after the edited ones.
fn reused<'a>(
    d: &Diagnostic,
    old: &mut std::iter::Peekable<impl Iterator<Item = &'a (Diagnostic, LspDiagnostic)>>,
    edited: &Edited<'_>,
    rope: &Rope,
) -> Option<LspDiagnostic> {
    let edit = edited.shift;
    // Old diagnostics are in document order, as are their images: skip those before `d`.
    let key = |d: &Diagnostic| (d.span.start, d.span.end, d.code);
    while let Some((o, _)) = old.peek() {
        match edit.span(o.span) {
            Some(span) if (span.start, span.end, o.code) >= key(d) => break,
            _ => {
                old.next();
            }
        }
    }
    let (o, converted) = old.peek()?;
    let same = edit.span(o.span) == Some(d.span)
        && o.code == d.code
        && o.rule == d.rule
        && o.severity == d.severity
        && o.message == d.message;
    if !same {
        return None;
    }
    old.next();
    #[cfg(test)]
    REUSED.with(|r| r.set(r.get() + 1));
    // Lines before the one the edit starts on keep their place and text; those starting after
    // the edit's end keep their text and move by the lines it added or removed.
    let (start, end) = (converted.range.start.line, converted.range.end.line);
    if (end as usize) < edited.first_line {
        return Some(converted.clone());
    }
    let now = line_of(rope, d.span.start);
    if now > edited.last_line {
        let now = u32::try_from(now).ok()?;
        let mut out = converted.clone();
        out.range.start.line = now;
        out.range.end.line = now.checked_add(end.checked_sub(start)?)?;
        return Some(out);
    }
    None
}

/// The edit between the last publish's text and this one's, and the lines of this one it spans.
struct Edited<'a> {
    shift: &'a Shift,
    first_line: usize,
    last_line: usize,
}

/// The line of byte `offset`, as the protocol counts lines (see `encoding::offset_to_position`).
fn line_of(rope: &Rope, offset: usize) -> usize {
    rope.char_to_line(rope.byte_to_char(offset.min(rope.len_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, Analysis};
    use crate::config::Config;
    use crate::features::diagnostics::{diagnostics, RULES_URL};
    use crate::features::{Article, Language};

    const STORY: &str = "Port strike spreads\nOSLO (Reuters) – Dock workers walked out, the union said.\n\n“We will not back down,” said Ana Brandt, its leader. [L1N0AB12CD]\r\nShe called the offer “insulting.\n\n“The talks failed,” Brandt said.\n“No deal.\nBrandt’s deputy Ola Dahl said: “We go on.”\n";

    fn fresh(text: &str, encoding: PositionEncoding) -> (Vec<Diagnostic>, Vec<LspDiagnostic>) {
        let analysis: Analysis = analyze(text);
        let article = Article::new(text, &analysis, Language::PlainText);
        let found = diagnostics(&article, &Config::default());
        let rope = Rope::from_str(text);
        let mut links = RuleLinks::new(RULES_URL);
        let lsp = found
            .iter()
            .map(|d| protocol_form(d, &rope, encoding, &mut links))
            .collect();
        (found, lsp)
    }

    /// Typing at every character of the story (a letter, a line break, a carriage return, a
    /// multi-byte character) and deleting each: the reused conversions equal fresh ones.
    #[test]
    fn reused_conversions_equal_fresh_ones() {
        for encoding in [PositionEncoding::Utf16, PositionEncoding::Utf8] {
            let mut memo = PublishedMemo::default();
            let mut text = STORY.to_owned();
            let mut steps = 0;
            let boundaries: Vec<usize> = STORY.char_indices().map(|(i, _)| i).collect();
            for (k, &at) in boundaries.iter().enumerate().step_by(3) {
                let typed = ["x", "\n", "\r", "é", ""][k % 5];
                let mut edited = STORY.to_owned();
                if typed.is_empty() {
                    let end = boundaries.get(k + 1).copied().unwrap_or(STORY.len());
                    edited.replace_range(at..end, "");
                } else {
                    edited.insert_str(at, typed);
                }
                for step in [&text, &edited] {
                    let shared: Arc<str> = Arc::from(step.as_str());
                    let rope = Rope::from_str(step);
                    let (found, expected) = fresh(step, encoding);
                    let got =
                        to_lsp_reusing(&mut memo, &shared, &rope, encoding, RULES_URL, &found);
                    assert_eq!(got, expected, "{step:?}");
                }
                text = edited;
                steps += 1;
            }
            // Most diagnostics were matched with the last publish's (and then kept or moved, or
            // converted again when on the edited lines).
            let matched = REUSED.with(|r| r.replace(0));
            assert!(steps > 50 && matched > steps * 3, "{matched} of {steps}");
        }
    }
}
