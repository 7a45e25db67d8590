//! Per-paragraph analysis: everything that can be computed from one paragraph's text alone.
//!
//! A [`ParagraphAnalysis`] is a pure function of the paragraph's text, so it is cached by content
//! and reused when an edit elsewhere only moves the paragraph. Every span in it is relative to the
//! start of the paragraph; the document passes shift them by the paragraph's base offset.

use super::model::{BlockKind, QuoteKind, Span};

/// What the paragraph looks like on its own (the document pass may refine it: headline, code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LocalBlock {
    pub kind: BlockKind,
    /// Heading level (1 for `#`), 0 otherwise.
    pub level: u8,
    /// Number of code-fence lines (```` ``` ```` or `~~~`) in the paragraph; the document pass
    /// toggles "inside a fenced code block" on each.
    pub fences: u8,
}

/// A piece of CMS or wire residue found in the paragraph (`markup-residue`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Residue {
    pub span: Span,
    pub what: ResidueKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResidueKind {
    HtmlTag,
    HtmlEntity,
    EmptyImage,
    TablePipe,
    WireCode,
    Caption,
}

impl ResidueKind {
    /// The user-facing message for this residue.
    pub const fn message(self) -> &'static str {
        match self {
            ResidueKind::HtmlTag => "HTML tag left in the copy",
            ResidueKind::HtmlEntity => "HTML entity left in the copy",
            ResidueKind::EmptyImage => "empty Markdown image left in the copy",
            ResidueKind::TablePipe => "table pipe left at the end of a line",
            ResidueKind::WireCode => "wire story code left in the copy",
            ResidueKind::Caption => "photo caption pasted into the story",
        }
    }
}

/// One quotation as far as this paragraph can tell.
///
/// `open_mark`/`close_mark` are the quote marks; either is `None` when the quotation runs past
/// the paragraph's edge:
/// - both present: a quotation closed inside the paragraph;
/// - `close_mark: None`: opened here and still open at the paragraph's end (a multi-paragraph
///   quotation if the next paragraph opens with a mark, else unbalanced); `span` runs to the end
///   of the paragraph's text;
/// - `open_mark: None`: a closing mark with no opener in this paragraph; `span` starts at the
///   paragraph's start. It closes a quotation left open by the previous paragraph, or is
///   unbalanced.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QuoteCandidate {
    pub span: Span,
    pub open_mark: Option<Span>,
    pub close_mark: Option<Span>,
    /// 0 for an outermost quotation, 1 for a quotation inside it, …
    pub depth: u8,
    /// The kind judged from this paragraph (a quotation spanning paragraphs is always `Full`).
    pub kind: QuoteKind,
    /// The opening mark is the first text of the paragraph (after any list or blockquote
    /// marker): such a paragraph continues a quotation the previous paragraph left open.
    pub opens_paragraph: bool,
}

impl QuoteCandidate {
    /// The quoted words without the marks (paragraph-relative).
    pub fn inner(&self) -> Span {
        let start = self.open_mark.map_or(self.span.start, |m| m.end);
        let end = self.close_mark.map_or(self.span.end, |m| m.start);
        Span::new(start, end.max(start))
    }
}

/// A raw entity mention found by the tagger in this paragraph, before document-wide linking.
pub use crate::entities::RawMention;

/// Everything known about one paragraph from its text alone. Spans are paragraph-relative.
///
/// Cached for the document's lifetime (76,586 of them at 10 MB): its lists are boxed slices,
/// with no growth slack and 16 bytes a header where a `Vec`'s takes 24, and what few
/// paragraphs have (a dateline, markup) is boxed apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParagraphAnalysis {
    /// Length of the paragraph text in bytes.
    pub len: usize,
    pub block: LocalBlock,
    /// The dateline, masked ranges, blanked prose and residue, when the paragraph has any of
    /// them (read through [`ParagraphAnalysis::dateline`] and the others): 8 bytes a paragraph
    /// where the four took 72.
    marks: Option<Box<Marks>>,
    /// The paragraph could be a headline: one short line that does not end like a sentence
    /// (the document pass asks it of the first paragraph).
    pub headline_like: bool,
    /// Tokens of `prose` (CoNLL-style, from [`crate::text::tokenize`]), 8 bytes each.
    pub tokens: crate::text::TokenSpans,
    /// Quotation candidates in order of their start; nested ones have `depth > 0`.
    pub quotes: Box<[QuoteCandidate]>,
    /// Raw entity mentions, in order, as the tagger's first stage found them (the document pass
    /// tags the paragraph again with document features before linking).
    pub mentions: Box<[RawMention]>,
    /// What the tagger's second stage needs of this paragraph's first-stage tagging.
    pub first_stage: crate::entities::FirstStage,
    /// Words that may be a surname the tagger missed ([`crate::entities::capital_words`] of the
    /// paragraph's text, masked parts included), for the document pass's recall.
    /// Kept as token spans are (a quarter of the memory of a list of spans).
    pub capital_words: crate::text::TokenSpans,
    /// Attribution's per-paragraph result (speech cues and their speakers), computed from the
    /// fields above by [`super::attribution::paragraph_cues`].
    pub cues: super::attribution::ParagraphCues,
}

/// What few paragraphs have, kept apart from [`ParagraphAnalysis`] (see its `marks`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Marks {
    /// "TOKYO/WASHINGTON (Reuters) –" at the start of the paragraph.
    dateline: Option<Span>,
    /// Byte ranges that are not prose (residue, Markdown syntax, code, link targets). In
    /// [`ParagraphAnalysis::prose`] they are blanked with spaces.
    masked: Box<[Span]>,
    /// The paragraph text with every masked byte replaced by a space, when that changed it
    /// (most paragraphs mask nothing, and the cache would hold a second copy of the text).
    blanked: Option<Box<str>>,
    /// Residue findings, in order.
    residue: Box<[Residue]>,
}

impl ParagraphAnalysis {
    /// The paragraph's prose, given its text: the text with every masked byte replaced by a
    /// space, same length and offsets, safe to tokenise and search as prose.
    pub fn prose<'a>(&'a self, text: &'a str) -> &'a str {
        self.marks
            .as_ref()
            .and_then(|m| m.blanked.as_deref())
            .unwrap_or(text)
    }

    /// "TOKYO/WASHINGTON (Reuters) –" at the start of the paragraph.
    pub fn dateline(&self) -> Option<Span> {
        self.marks.as_ref().and_then(|m| m.dateline)
    }

    /// Byte ranges that are not prose (residue, Markdown syntax, code, link targets). In
    /// [`ParagraphAnalysis::prose`] they are blanked with spaces.
    pub fn masked(&self) -> &[Span] {
        self.marks.as_ref().map_or(&[], |m| &m.masked)
    }

    /// Residue findings, in order.
    pub fn residue(&self) -> &[Residue] {
        self.marks.as_ref().map_or(&[], |m| &m.residue)
    }

    /// Whether the paragraph is story prose (quotations and speakers are looked for in it).
    pub fn is_prose(&self) -> bool {
        !matches!(self.block.kind, BlockKind::Code | BlockKind::Caption)
    }
}

/// What the per-paragraph analysis takes besides the text: the options that change its result.
/// The incremental analyzer re-analyses every paragraph when they change.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParagraphOptions {
    /// Speech verbs: the built-in table plus the configured `speech-verbs`.
    pub speech_verbs: super::attribution::speech_verbs::SpeechVerbs,
}

impl ParagraphOptions {
    pub fn new(options: &crate::config::AnalysisOptions) -> ParagraphOptions {
        ParagraphOptions {
            speech_verbs: super::attribution::speech_verbs::SpeechVerbs::with_extra(
                &options.extra_speech_verbs,
            ),
        }
    }
}

/// Analyse one paragraph from its text alone (and the options).
pub fn analyze_paragraph(text: &str, options: &ParagraphOptions) -> ParagraphAnalysis {
    let markup = super::markup::scan(text);
    let block = markup.block.unwrap_or(LocalBlock {
        kind: BlockKind::Paragraph,
        level: 0,
        fences: 0,
    });
    let prose = blank(text, &markup.masked);
    let prose_block = !matches!(block.kind, BlockKind::Code | BlockKind::Caption);
    let dateline = if block.kind == BlockKind::Paragraph {
        super::markup::dateline(&prose)
    } else {
        None
    };
    let quotes = if prose_block {
        super::quotes::find_quotes(&prose)
    } else {
        Vec::new()
    };
    let tokens = if prose_block {
        crate::text::tokenize(&prose)
    } else {
        Vec::new()
    };
    let (mut mentions, first_stage) = if prose_block {
        crate::entities::recognize_staged_tokens(&prose, &tokens)
    } else {
        (Vec::new(), Default::default())
    };
    // Kept in the paragraph cache for the document's lifetime: 8 bytes a token, no growth slack.
    let tokens = crate::text::TokenSpans::from(tokens);
    crate::entities::settle_dateline_kinds(&prose, dateline, &mut mentions);
    let headline_like = super::document::looks_like_headline(&prose, dateline);
    let mut marks = Marks {
        dateline,
        masked: markup.masked.into_boxed_slice(),
        blanked: None,
        residue: markup.residue.into_boxed_slice(),
    };
    // Set below, once the blanked prose is known (attribution reads the prose it is given).
    let mut analysis = ParagraphAnalysis {
        len: text.len(),
        block,
        marks: None,
        headline_like,
        tokens,
        quotes: quotes.into_boxed_slice(),
        mentions: mentions.into_boxed_slice(),
        first_stage,
        capital_words: crate::entities::capital_words(text).into(),
        cues: Default::default(),
    };
    analysis.cues = super::attribution::paragraph_cues(&analysis, &prose, &options.speech_verbs);
    // Cached for the document's lifetime, and lists grown by pushing hold at least four
    // elements where most of a paragraph's hold one or two.
    analysis.cues.shrink();
    marks.blanked = (prose != text).then(|| prose.into_boxed_str());
    analysis.marks = (marks != Marks::default()).then(|| Box::new(marks));
    analysis
}

/// `text` with every masked byte replaced by a space (same length, same offsets).
fn blank(text: &str, masked: &[Span]) -> String {
    if masked.is_empty() {
        return text.to_owned();
    }
    let mut bytes = text.as_bytes().to_vec();
    for span in masked {
        let end = span.end.min(bytes.len());
        for b in &mut bytes[span.start.min(end)..end] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }
    // Masked spans cover whole characters, so this is still UTF-8; fall back to a lossy copy
    // rather than fail if a span ever cut one.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A paragraph whose markup blanks nothing keeps no copy of its text; one with markup
    /// keeps the blanked copy, and either way `prose` is the text with the masked bytes blanked.
    #[test]
    fn prose_is_kept_only_where_masking_changed_it() {
        let options = ParagraphOptions::default();
        let plain = "“We will not yield,” Ada Kroft said on Tuesday.";
        let a = analyze_paragraph(plain, &options);
        assert!(a.marks.as_ref().is_none_or(|m| m.blanked.is_none()));
        assert_eq!(a.prose(plain), plain);
        let marked = "Ada Kroft <b>said</b> on **Tuesday** that &amp; was [here](http://x.y).";
        let a = analyze_paragraph(marked, &options);
        assert!(!a.masked().is_empty());
        assert_eq!(a.prose(marked), blank(marked, a.masked()));
        assert_ne!(a.prose(marked), marked);
        assert_eq!(a.prose(marked).len(), marked.len());
    }
}
