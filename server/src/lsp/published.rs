//! A publish's diagnostics as protocol JSON, reusing the last publish's conversions.
//!
//! A keystroke moves most diagnostics of an article without changing them; converting a span to
//! a line and column counts the characters of its line, and serialising thousands of
//! diagnostics (through tower-lsp-server's `serde_json::Value`) cost more than the rest of the
//! publish. [`to_lsp_json`] keeps a document's last published list (in its
//! [`PublishedMemo`], which the server keeps with the open document and drops on close), each
//! diagnostic with its range and its JSON: a diagnostic that is the same as one of them moved by
//! the edit keeps its JSON if it lies on lines before the edit, or after it when the edit added
//! or removed no line (typing inside a line), and gets its range rewritten by the lines the edit
//! added or removed otherwise; only those on the edited lines are converted again.

use std::sync::Arc;

use ropey::Rope;
use tower_lsp_server::ls_types::Range;
use tracing::error;

use super::encoding::{PositionCursor, PositionEncoding};
use super::feature_diagnostics::{protocol_form, RuleLinks};
use crate::analysis::shift::{EditedFrom, Shift};
use crate::features::diagnostics::Diagnostic;

/// One document's last publish, for [`to_lsp_json`] to reuse. Empty at first.
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

/// A document's last publish: the text (and rope) it was of and each diagnostic with its JSON.
struct Last {
    encoding: PositionEncoding,
    rules_url: String,
    text: Arc<str>,
    rope: Rope,
    published: Vec<Published>,
}

/// One published diagnostic: what it was, its range, and its protocol JSON.
struct Published {
    diagnostic: Diagnostic,
    range: Range,
    /// The JSON of [`protocol_form`] of the diagnostic.
    json: Box<[u8]>,
    /// Where in `json` the part after the range starts (`,"severity":…}`), when the JSON opens
    /// with the range (serde writes fields in order, and `range` is the first): the diagnostic
    /// moved to other lines is then that part behind its new range, not converted again.
    tail_at: Option<usize>,
}

#[cfg(test)]
thread_local! {
    /// How many old conversions matched a diagnostic (tests check that reuse happens).
    static REUSED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The protocol JSON (an array) of `diagnostics` of a document whose text is `text` (`rope`
/// holding the same): the JSON of [`super::feature_diagnostics::to_lsp_linked`] of each, taken
/// from the document's last publish (`memo`, then replaced by this one), moved, where the edit
/// between the two texts left it alone. `edited`, when known, says what the edits that made
/// `text` left alone (see [`EditedFrom::shifts`]).
pub fn to_lsp_json(
    memo: &mut PublishedMemo,
    text: &Arc<str>,
    edited: Option<&EditedFrom>,
    rope: &Rope,
    encoding: PositionEncoding,
    rules_url: &str,
    diagnostics: Vec<Diagnostic>,
) -> Vec<u8> {
    let last = memo
        .0
        .take()
        .filter(|l| l.encoding == encoding && l.rules_url == rules_url);
    let mut links = RuleLinks::new(rules_url);
    // Diagnostics come in document order: those converted afresh share one forward walk.
    let mut cursor = PositionCursor::new(rope, text, encoding);
    let published: Vec<Published> = match last {
        Some(last) => {
            let edit = EditedFrom::shifts(edited, &last.text, text)
                .into_iter()
                .next();
            let edited = edit.as_ref().map(|edit| Edited {
                shift: edit,
                first_line: line_of(rope, edit.start),
                old_last_line: line_of(&last.rope, edit.old_end),
                lines_added: rope.len_lines() as i64 - last.rope.len_lines() as i64,
            });
            let mut old = last.published.into_iter().peekable();
            diagnostics
                .into_iter()
                .map(|d| {
                    let reused = edited
                        .as_ref()
                        .and_then(|edited| reused(&d, &mut old, edited));
                    match reused {
                        Some((range, json, tail_at)) => Published {
                            diagnostic: d,
                            range,
                            json,
                            tail_at,
                        },
                        None => fresh(d, &mut cursor, &mut links),
                    }
                })
                .collect()
        }
        None => diagnostics
            .into_iter()
            .map(|d| fresh(d, &mut cursor, &mut links))
            .collect(),
    };
    let mut out = Vec::with_capacity(2 + published.iter().map(|p| p.json.len() + 1).sum::<usize>());
    out.push(b'[');
    for (i, p) in published.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(&p.json);
    }
    out.push(b']');
    memo.0 = Some(Last {
        encoding,
        rules_url: rules_url.to_owned(),
        text: Arc::clone(text),
        rope: rope.clone(),
        published,
    });
    out
}

/// `d` converted and serialised afresh.
fn fresh(d: Diagnostic, cursor: &mut PositionCursor<'_>, links: &mut RuleLinks) -> Published {
    let lsp = protocol_form(&d, cursor.range(d.span), links);
    let json = match serde_json::to_vec(&lsp) {
        Ok(json) => json,
        Err(err) => {
            // Unreachable (a diagnostic is strings and numbers); never an invalid array.
            error!(%err, "cannot serialise a diagnostic; publishing it empty");
            b"{}".to_vec()
        }
    };
    let head = range_head(&lsp.range);
    let tail_at = json.starts_with(&head).then_some(head.len());
    Published {
        diagnostic: d,
        range: lsp.range,
        json: json.into_boxed_slice(),
        tail_at,
    }
}

/// The JSON of a diagnostic up to the end of its range: `{"range":{…}`.
fn range_head(range: &Range) -> Vec<u8> {
    let mut head = br#"{"range":"#.to_vec();
    // Four numbers: cannot fail.
    let _ = serde_json::to_writer(&mut head, range);
    head
}

/// The range and JSON of `d` taken from the last publish (`old`, in order, consumed up to `d`'s
/// place), if one of its diagnostics is `d` moved by `edit` and lies wholly on lines before or
/// after the edited ones.
fn reused(
    d: &Diagnostic,
    old: &mut std::iter::Peekable<impl Iterator<Item = Published>>,
    edited: &Edited<'_>,
) -> Option<(Range, Box<[u8]>, Option<usize>)> {
    let edit = edited.shift;
    // Old diagnostics are in document order, as are their images: skip those before `d`.
    let key = |d: &Diagnostic| (d.span.start, d.span.end, d.code);
    while let Some(p) = old.peek() {
        let o = &p.diagnostic;
        match edit.span(o.span) {
            Some(span) if (span.start, span.end, o.code) >= key(d) => break,
            _ => {
                old.next();
            }
        }
    }
    let o = &old.peek()?.diagnostic;
    let same = edit.span(o.span) == Some(d.span)
        && o.code == d.code
        && o.rule == d.rule
        && o.severity == d.severity
        && o.message == d.message;
    if !same {
        return None;
    }
    let p = old.next()?;
    #[cfg(test)]
    REUSED.with(|r| r.set(r.get() + 1));
    // Lines before the one the edit starts on keep their place and text; those starting after
    // the edit's end keep their text and move by the lines it added or removed (line breaks
    // after the edit are the same in both texts, so each such line moves by the difference in
    // the number of lines).
    let (start, end) = (p.range.start.line, p.range.end.line);
    if (end as usize) < edited.first_line {
        return Some((p.range, p.json, p.tail_at));
    }
    if start as usize > edited.old_last_line {
        if edited.lines_added == 0 {
            return Some((p.range, p.json, p.tail_at));
        }
        let tail_at = p.tail_at?;
        let moved = |line: u32| u32::try_from(i64::from(line) + edited.lines_added).ok();
        let mut range = p.range;
        range.start.line = moved(start)?;
        range.end.line = moved(end)?;
        let mut json = range_head(&range);
        let new_tail_at = json.len();
        json.extend_from_slice(p.json.get(tail_at..)?);
        return Some((range, json.into_boxed_slice(), Some(new_tail_at)));
    }
    None
}

/// The edit between the last publish's text and this one's, and the lines it spans.
struct Edited<'a> {
    shift: &'a Shift,
    /// The line of the new text the edit starts on.
    first_line: usize,
    /// The line of the old text the replaced part ends on.
    old_last_line: usize,
    /// Lines of the new text less those of the old.
    lines_added: i64,
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
    use crate::lsp::encoding::span_to_range;
    use tower_lsp_server::ls_types::Diagnostic as LspDiagnostic;

    const STORY: &str = "Port strike spreads\nOSLO (Reuters) – Dock workers walked out, the union said.\n\n“We will not back down,” said Ana Brandt, its leader. [L1N0AB12CD]\r\nShe called the offer “insulting.\n\n“The talks failed,” Brandt said.\n“No deal.\nBrandt’s deputy Ola Dahl said: “We go on.”\n";

    fn fresh(text: &str, encoding: PositionEncoding) -> (Vec<Diagnostic>, Vec<LspDiagnostic>) {
        let analysis: Analysis = analyze(text);
        let article = Article::new(text, &analysis, Language::PlainText);
        let found = diagnostics(&article, &Config::default());
        let rope = Rope::from_str(text);
        let mut links = RuleLinks::new(RULES_URL);
        let lsp = found
            .iter()
            .map(|d| protocol_form(d, span_to_range(&rope, d.span, encoding), &mut links))
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
            for (k, &at) in boundaries.iter().enumerate() {
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
                    let json =
                        to_lsp_json(&mut memo, &shared, None, &rope, encoding, RULES_URL, found);
                    let got: Vec<LspDiagnostic> = serde_json::from_slice(&json).unwrap();
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
