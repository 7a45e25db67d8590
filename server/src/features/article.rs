//! An article's text and its analysis together, with the lookups every feature needs.
//!
//! Spans from the analysis are trusted to be in range, but every slice goes through
//! [`Article::slice`], which yields "" for a span that is not, so a bug upstream never panics here.

use std::sync::OnceLock;

use crate::analysis::{Analysis, Block, BlockKind, Entity, Quote, Span};
use crate::config::register::{name_words, strip_possessive};

/// Plain text or Markdown: decides the suppression-comment syntax and a few Markdown-only things.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    PlainText,
    Markdown,
}

impl Language {
    /// From an LSP language id or a file extension ("markdown", "md", "plaintext", "txt").
    pub fn from_id(id: &str) -> Language {
        match id.to_ascii_lowercase().as_str() {
            "markdown" | "md" | "mdx" | "markdown.mdx" | "rmd" | "quarto" => Language::Markdown,
            _ => Language::PlainText,
        }
    }
}

/// One article: text, analysis, and a line index for "line N" in messages and hovers.
#[derive(Debug, Clone)]
pub struct Article<'a> {
    pub text: &'a str,
    pub analysis: &'a Analysis,
    pub language: Language,
    /// Where each line starts, indexed on the first lookup: every publish makes an article, and
    /// indexing the whole text there was 5–7 % of the server's CPU per keystroke at 1 MB while
    /// a keystroke that only moves the naming findings looks up no line (they keep theirs).
    line_starts: OnceLock<Vec<usize>>,
}

impl<'a> Article<'a> {
    pub fn new(text: &'a str, analysis: &'a Analysis, language: Language) -> Self {
        Article {
            text,
            analysis,
            language,
            line_starts: OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let mut line_starts = vec![0];
            line_starts.extend(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1));
            line_starts
        })
    }

    /// The text of a span, or "" when the span is out of range or splits a character.
    pub fn slice(&self, span: Span) -> &'a str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// 1-based line number of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.line_starts()
            .partition_point(|&start| start <= offset)
            .max(1)
    }

    /// Byte offset where the 1-based `line` starts (the end of the text past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        line.checked_sub(1)
            .and_then(|i| self.line_starts().get(i))
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The span of the line holding `offset`, without its line break.
    pub fn line_span(&self, offset: usize) -> Span {
        let line = self.line(offset);
        let start = self.line_start(line);
        let mut end = self.line_start(line + 1);
        if end > start && self.text.as_bytes().get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && self.text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        Span::new(start, end)
    }

    /// The entity one of whose mentions holds `offset`; a cursor just after a name counts too.
    pub fn entity_at(&self, offset: usize) -> Option<(&'a Entity, Span)> {
        let entities = &self.analysis.entities;
        let hit = |inclusive: bool| {
            entities.iter().find_map(|e| {
                e.mentions
                    .iter()
                    .find(|m| {
                        m.span.contains(offset)
                            || (inclusive && m.span.end == offset && !m.span.is_empty())
                    })
                    .map(|m| (e, m.span))
            })
        };
        hit(false).or_else(|| hit(true))
    }

    /// The innermost quotation holding `offset`, with its index.
    pub fn quote_at(&self, offset: usize) -> Option<(usize, &'a Quote)> {
        self.analysis
            .quotes
            .iter()
            .enumerate()
            .filter(|(_, q)| q.span.contains(offset))
            .min_by_key(|(_, q)| q.span.len())
    }

    /// A quotation whose speaker words ("he", "a senior official") hold `offset`.
    pub fn speaker_at(&self, offset: usize) -> Option<(usize, &'a Quote)> {
        self.analysis.quotes.iter().enumerate().find(|(_, q)| {
            q.speaker.as_ref().is_some_and(|s| {
                s.span.contains(offset) || (s.span.end == offset && !s.span.is_empty())
            })
        })
    }

    /// The quotation whose speaker a continuation (or pronoun) quotation carries on: the one the
    /// analysis names, else the nearest earlier quotation by the same speaker.
    pub fn continued_quote(&self, index: usize) -> Option<&'a Quote> {
        let quotes = &self.analysis.quotes;
        let quote = quotes.get(index)?;
        if let Some(previous) = quote.continues.and_then(|i| quotes.get(i)) {
            return Some(previous);
        }
        let speaker = quote.speaker.as_ref()?;
        quotes[..index].iter().rev().find(|q| {
            q.speaker
                .as_ref()
                .is_some_and(|s| match (s.entity, speaker.entity) {
                    (Some(a), Some(b)) => a == b,
                    _ => s.name == speaker.name,
                })
        })
    }

    /// The block holding `offset`.
    pub fn block_at(&self, offset: usize) -> Option<&'a Block> {
        let blocks = &self.analysis.blocks;
        let i = blocks.partition_point(|b| b.span.end <= offset);
        blocks.get(i).filter(|b| b.span.start <= offset)
    }

    /// Whether `span` is reporter's copy: in a paragraph or list item, not in the headline, a
    /// heading, a byline, a caption or a trailer. Text outside every block counts as copy.
    /// A dateline ("VELMAR (Copydesk Wire) –") is not copy either: it names a place and a desk.
    pub fn in_body(&self, span: Span) -> bool {
        self.block_at(span.start).is_none_or(|b| {
            matches!(b.kind, BlockKind::Paragraph | BlockKind::ListItem)
                && !b
                    .dateline
                    .is_some_and(|d| d.start <= span.start && span.start < d.end)
        })
    }

    /// Whether `span` lies inside a quotation (the speaker's words, not the reporter's).
    pub fn in_quote(&self, span: Span) -> bool {
        self.analysis
            .quotes
            .iter()
            .any(|q| q.span.start <= span.start && span.end <= q.span.end)
    }

    /// A mention's text without a possessive ending ("Kishida’s" → "Kishida").
    pub fn mention_name(&self, span: Span) -> &'a str {
        strip_possessive(self.slice(span).trim())
    }

    /// The span of a mention's name part: the mention without its possessive ending.
    pub fn name_span(&self, span: Span) -> Span {
        let text = self.slice(span);
        let name = strip_possessive(text.trim_end());
        Span::new(span.start, span.start + name.len())
    }

    /// The first `n` words of a span's text, with "…" when there are more.
    pub fn first_words(&self, span: Span, n: usize) -> String {
        first_words(self.slice(span), n)
    }

    /// The words of an entity's name.
    pub fn entity_words(entity: &'a Entity) -> Vec<&'a str> {
        name_words(&entity.name).collect()
    }
}

/// The words of a mention's text as (start, end) byte ranges into it: whitespace-separated, with
/// leading and trailing punctuation and a possessive ending left outside; empty words dropped.
pub fn mention_words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for raw in text.split_whitespace() {
        let Some(rel) = text[offset..].find(raw).map(|i| i + offset) else {
            continue;
        };
        offset = rel + raw.len();
        let lead = raw.len() - raw.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
        let trimmed =
            raw[lead..].trim_end_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’');
        let word = strip_possessive(trimmed).trim_end_matches(['\'', '’']);
        if word.chars().next().is_some_and(char::is_alphanumeric) {
            let start = rel + lead;
            out.push((start, start + word.len()));
        }
    }
    out
}

/// The first `n` words of `text`, whitespace collapsed, with "…" when there are more.
pub fn first_words(text: &str, n: usize) -> String {
    let mut words = text.split_whitespace();
    let mut out: Vec<&str> = words.by_ref().take(n).collect();
    let more = words.next().is_some();
    if more {
        if let Some(last) = out.last_mut() {
            *last = last.trim_end_matches([',', ';', ':']);
        }
    }
    let mut s = out.join(" ");
    if more {
        s.push('…');
    }
    s
}

/// The number of words in `text` (whitespace-separated runs holding a letter or digit).
pub fn word_count(text: &str) -> usize {
    words(text).count()
}

/// Whether `text` has fewer than `min` words ([`word_count`]`(text) < min`), counting no
/// further than `min`: asked of every unattributed quotation on every keystroke, whose word
/// counts at 10 MB came to ≈ 2 M instructions while only the first few words decide.
pub fn fewer_words_than(text: &str, min: usize) -> bool {
    min.checked_sub(1)
        .is_some_and(|last| words(text).nth(last).is_none())
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{EntityKind, Mention};

    #[test]
    fn fewer_words_than_agrees_with_the_count() {
        for text in [
            "",
            "  ",
            "one",
            "“We will — rebuild,” soon",
            "a - b -- c 4 ...",
        ] {
            for min in 0..7 {
                assert_eq!(
                    fewer_words_than(text, min),
                    word_count(text) < min,
                    "{text:?} {min}"
                );
            }
        }
    }

    #[test]
    fn lines_and_slices_never_panic() {
        let analysis = Analysis::default();
        let a = Article::new("one\r\ntwo “é”\n\nfour", &analysis, Language::PlainText);
        assert_eq!(a.line(0), 1);
        assert_eq!(a.line(5), 2);
        assert_eq!(a.line(100), 4);
        assert_eq!(a.line_span(6), Span::new(5, 17));
        assert_eq!(a.line_span(0), Span::new(0, 3));
        assert_eq!(a.slice(Span::new(10, 11)), "", "splits “");
        assert_eq!(a.slice(Span::new(90, 100)), "");
        assert_eq!(
            first_words("We will rebuild the harbour, and soon.", 5),
            "We will rebuild the harbour…"
        );
        assert_eq!(first_words("Too short.", 5), "Too short.");
        assert_eq!(word_count("“Yes — we did,” she"), 4);
    }

    #[test]
    fn lookups_by_offset() {
        let text = "Ines Halloran’s plan";
        let analysis = Analysis {
            entities: vec![Entity {
                id: 0,
                kind: EntityKind::Person,
                name: "Ines Halloran".into(),
                descriptors: vec![],
                mentions: vec![Mention {
                    span: Span::new(0, 18),
                }],
            }],
            ..Analysis::default()
        };
        let a = Article::new(text, &analysis, Language::Markdown);
        assert_eq!(
            a.entity_at(18).map(|(e, _)| e.id),
            Some(0),
            "cursor right after the name"
        );
        assert!(a.entity_at(19).is_none());
        assert_eq!(a.mention_name(Span::new(0, 18)), "Ines Halloran");
        assert_eq!(a.name_span(Span::new(0, 18)), Span::new(0, 13));
    }
}
