//! The incremental analyzer: paragraphs cached by content, re-split only around an edit.
//!
//! The document is kept as paragraph slots (byte range, content hash, shared per-paragraph
//! result). An edit re-splits from the paragraph before the one it touches until the new split
//! meets an old paragraph boundary again; unchanged paragraphs keep their results and only move.
//! The document-wide passes then run over the paragraph results.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use super::document::{self, Placed};
use super::model::{Analysis, Span};
use super::paragraph::{analyze_paragraph, ParagraphAnalysis, ParagraphOptions};
use super::split;
use super::Edit;
use crate::entities::LinkCache;

#[derive(Debug, Clone)]
struct Slot {
    span: Span,
    hash: u64,
    analysis: Arc<ParagraphAnalysis>,
}

/// Incremental analysis of one document: caches per-paragraph results between edits.
#[derive(Debug, Default)]
pub struct Analyzer {
    len: usize,
    slots: Vec<Slot>,
    /// How many paragraphs the last `update` analysed afresh (for tests and benchmarks).
    last_fresh: usize,
    /// Entity linking's per-mention work, moved along with each edit.
    links: LinkCache,
    /// What every cached paragraph was analysed with (part of the cache key).
    options: Arc<ParagraphOptions>,
    /// The options changed since the cache was filled: the next `update` starts afresh.
    options_changed: bool,
}

fn content_hash(text: &str) -> u64 {
    let mut h = DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

impl Analyzer {
    /// An analyzer using `options` (configured speech verbs, …).
    pub fn with_options(options: &crate::config::AnalysisOptions) -> Analyzer {
        Analyzer {
            options: Arc::new(ParagraphOptions::new(options)),
            ..Analyzer::default()
        }
    }

    /// Use `options` from the next `reset` or `update` on; if they differ from the current
    /// ones, every paragraph is analysed afresh then (cached results depend on them).
    pub fn set_options(&mut self, options: &crate::config::AnalysisOptions) {
        let options = ParagraphOptions::new(options);
        if options != *self.options {
            self.options = Arc::new(options);
            self.options_changed = true;
        }
    }

    /// Analyse `text` as a new document, dropping any cached state.
    pub fn reset(&mut self, text: &str) -> Arc<Analysis> {
        self.options_changed = false;
        self.slots = split::paragraphs(text)
            .into_iter()
            .map(|span| {
                let body = &text[span.start..span.end];
                Slot {
                    span,
                    hash: content_hash(body),
                    analysis: Arc::new(analyze_paragraph(body, &self.options)),
                }
            })
            .collect();
        self.len = text.len();
        self.last_fresh = self.slots.len();
        self.links.clear();
        self.finish(text)
    }

    /// Re-analyse after `edits` (in the order they were applied) turned the previous text into
    /// `text`. The result equals `analyze(text)`.
    pub fn update(&mut self, text: &str, edits: &[Edit]) -> Arc<Analysis> {
        if self.options_changed {
            return self.reset(text);
        }
        match self.combined(text, edits) {
            Some(edit) => {
                self.resplit(text, edit);
                self.links.edited(edit.start, edit.old_end, edit.new_end);
                self.finish(text)
            }
            None => self.reset(text),
        }
    }

    /// Number of paragraphs the last `reset` or `update` analysed afresh.
    pub fn fresh_paragraphs(&self) -> usize {
        self.last_fresh
    }

    /// The edits as one replacement, or `None` when they do not fit the text (then re-analyse).
    fn combined(&self, text: &str, edits: &[Edit]) -> Option<Edit> {
        let mut len = self.len;
        // The changed region in the coordinates of the text after the edits so far.
        let mut dirty: Option<(usize, usize)> = None;
        for e in edits {
            if e.start > e.old_end || e.start > e.new_end || e.old_end > len {
                return None;
            }
            let removed = e.old_end - e.start;
            let inserted = e.new_end - e.start;
            let new_len = len - removed + inserted;
            dirty = Some(match dirty {
                None => (e.start, e.new_end),
                Some((s, d_end)) => {
                    // Map the old dirty end through this edit.
                    let mapped_end = if d_end <= e.start {
                        d_end
                    } else if d_end >= e.old_end {
                        d_end - removed + inserted
                    } else {
                        e.new_end
                    };
                    (s.min(e.start), mapped_end.max(e.new_end))
                }
            });
            len = new_len;
        }
        if len != text.len() {
            return None;
        }
        let (start, new_end) = dirty.unwrap_or((0, 0));
        let old_end = new_end + self.len - len;
        if !text.is_char_boundary(start)
            || !text.is_char_boundary(new_end)
            || new_end < start
            || old_end > self.len
        {
            return None;
        }
        Some(Edit {
            start,
            old_end,
            new_end,
        })
    }

    fn resplit(&mut self, text: &str, edit: Edit) {
        let delta = edit.new_end as isize - edit.old_end as isize;
        // Old offsets after the edit move by `delta`; those before it stay.
        let map = |p: usize| {
            if p >= edit.old_end {
                p.checked_add_signed(delta).unwrap_or(0)
            } else {
                p
            }
        };
        // First paragraph the edit touches (it ends at or after the edit's start); start one
        // paragraph earlier, where the old split is certainly still valid.
        let touched = self.slots.partition_point(|s| s.span.end < edit.start);
        let first = touched.saturating_sub(1);
        let mut pos = if touched == 0 {
            0
        } else {
            self.slots[first].span.start
        };
        // Old results in the region, reusable by content (paragraphs split, merged or moved).
        let mut pool: HashMap<(u64, usize), Arc<ParagraphAnalysis>> = HashMap::new();
        let mut old = first;
        let mut fresh_slots = Vec::new();
        let mut fresh = 0;
        let n = self.slots.len();
        let resume = loop {
            let Some(span) = split::next_paragraph(text, pos) else {
                break n;
            };
            if span.start >= edit.new_end {
                while old < n
                    && (self.slots[old].span.start < edit.old_end
                        || map(self.slots[old].span.start) < span.start)
                {
                    let s = &self.slots[old];
                    pool.insert((s.hash, s.span.len()), Arc::clone(&s.analysis));
                    old += 1;
                }
                // The new split meets an old boundary after the edit: the rest is unchanged.
                if old < n
                    && map(self.slots[old].span.start) == span.start
                    && map(self.slots[old].span.end) == span.end
                {
                    break old;
                }
            } else {
                while old < n && map(self.slots[old].span.start) <= span.end {
                    let s = &self.slots[old];
                    pool.insert((s.hash, s.span.len()), Arc::clone(&s.analysis));
                    old += 1;
                }
            }
            let body = &text[span.start..span.end];
            let hash = content_hash(body);
            let analysis = match pool.get(&(hash, body.len())) {
                Some(a) => Arc::clone(a),
                None => {
                    fresh += 1;
                    Arc::new(analyze_paragraph(body, &self.options))
                }
            };
            fresh_slots.push(Slot {
                span,
                hash,
                analysis,
            });
            pos = span.end;
        };
        let tail: Vec<Slot> = self.slots[resume..]
            .iter()
            .map(|s| Slot {
                span: Span::new(map(s.span.start), map(s.span.end)),
                ..s.clone()
            })
            .collect();
        self.slots.truncate(first);
        self.slots.extend(fresh_slots);
        self.slots.extend(tail);
        self.len = text.len();
        self.last_fresh = fresh;
    }

    fn finish(&mut self, text: &str) -> Arc<Analysis> {
        let placed: Vec<Placed> = self
            .slots
            .iter()
            .map(|s| Placed {
                base: s.span.start,
                analysis: Arc::clone(&s.analysis),
            })
            .collect();
        Arc::new(document::build_with(text, &placed, &mut self.links))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;
    use proptest::prelude::*;

    /// Pieces that edits insert: words, quote marks of every kind, line breaks that split and
    /// merge paragraphs, residue and multi-byte text.
    #[rustfmt::skip]
    const PIECES: &[&str] = &[
        "“", "”", "\"", "'", "’", "‘", "«", "»", "„", "\n", "\n\n", "\r\n", "\u{a0}", "  \n", " ", "é", "—", "😀", ",", ".",
        " said Ana Brandt.", "“We will not stop,” she said.", " he added", "Sen. ", "U.S. ",
        "<b>", "&nbsp;", "[L1N2TZ2LJ]", " |", "# ", "- ", "```", "By Ola Nordmann\n",
        "“The plan is sound.\n\n“It will pass,” Brandt said.\n", "(Writing by Kari Lund)",
        "OSLO (Reuters) – ", "rock ’n’ roll", "the workers’ union",
    ];

    const BASE: &str = "Port strike spreads\nBy Ana Brandt\nOSLO (Reuters) – Dock workers walked out on Monday, the union said.\n“We will not back down,” said Ana Brandt, its leader. She called the offer “insulting”.\n\n“The talks failed.\n“We go on,” she added.\nThe company said: \"We regret it.\" [L1N0AB12CD]\n(Writing by Kari Lund; Editing by Per Dahl)\n";

    #[derive(Debug, Clone)]
    struct RawEdit {
        at: usize,
        delete: usize,
        insert: usize,
    }

    fn raw_edit() -> impl Strategy<Value = RawEdit> {
        (
            0usize..10_000,
            prop_oneof![Just(0usize), 0usize..4, 0usize..40],
            0usize..PIECES.len() + 1,
        )
            .prop_map(|(at, delete, insert)| RawEdit { at, delete, insert })
    }

    /// Apply `raw` to `text` at char boundaries; returns the edit in byte offsets.
    fn apply(text: &mut String, raw: &RawEdit) -> Edit {
        let chars: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let start_char = raw.at % chars.len();
        let end_char = (start_char + raw.delete).min(chars.len() - 1);
        let start = chars[start_char];
        let old_end = chars[end_char];
        let insert = PIECES.get(raw.insert).copied().unwrap_or("");
        text.replace_range(start..old_end, insert);
        Edit {
            start,
            old_end,
            new_end: start + insert.len(),
        }
    }

    /// Applies `edits` to `text` in batches of `batch`, checking after each batch that the
    /// incremental analysis equals a from-scratch one.
    fn same_as_from_scratch(
        mut text: String,
        edits: &[RawEdit],
        batch: usize,
    ) -> Result<(), TestCaseError> {
        let mut analyzer = Analyzer::default();
        analyzer.reset(&text);
        for chunk in edits.chunks(batch) {
            let applied: Vec<Edit> = chunk.iter().map(|raw| apply(&mut text, raw)).collect();
            let incremental = analyzer.update(&text, &applied);
            let scratch = analyze(&text);
            prop_assert_eq!(&*incremental, &scratch, "text: {:?}", text);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn incremental_equals_from_scratch(edits in proptest::collection::vec(raw_edit(), 1..25), batch in 1usize..4) {
            same_as_from_scratch(BASE.to_owned(), &edits, batch)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// On an article several times longer than the window around a mention that entity
        /// linking reads, so that its cached per-mention work is reused next to work redone.
        #[test]
        fn incremental_equals_from_scratch_on_a_long_article(edits in proptest::collection::vec(raw_edit(), 1..12), batch in 1usize..3) {
            same_as_from_scratch(BASE.repeat(8), &edits, batch)?;
        }
    }

    #[test]
    fn a_keystroke_reanalyses_one_paragraph() {
        let text = BASE.repeat(20);
        let mut analyzer = Analyzer::default();
        analyzer.reset(&text);
        let at = text.len() / 2;
        let at = (at..text.len())
            .find(|&i| text.is_char_boundary(i) && text[i..].starts_with(' '))
            .unwrap_or(at);
        let mut edited = text.clone();
        edited.insert(at, 'x');
        let result = analyzer.update(
            &edited,
            &[Edit {
                start: at,
                old_end: at,
                new_end: at + 1,
            }],
        );
        assert_eq!(analyzer.fresh_paragraphs(), 1);
        assert_eq!(*result, analyze(&edited));
    }

    #[test]
    fn mismatched_edits_fall_back_to_a_full_analysis() {
        let mut analyzer = Analyzer::default();
        analyzer.reset("One.\nTwo.");
        let result = analyzer.update(
            "One.\nTwo.\nThree.",
            &[Edit {
                start: 0,
                old_end: 99,
                new_end: 0,
            }],
        );
        assert_eq!(*result, analyze("One.\nTwo.\nThree."));
    }
}
