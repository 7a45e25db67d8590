//! Quotation attribution: who said each quotation.
//!
//! Two stages, as the incremental design requires:
//! - [`attribute_paragraph`] looks at one paragraph's words (cacheable by content, spans
//!   paragraph-relative): speech cues and their subjects ("Cooper said", "said Daniel Russel, an
//!   analyst", "according to", "a senior official told Reuters"), which quotation each cue
//!   attributes, the people it names (pronoun antecedents) and whether it ends in speech that the
//!   next paragraph may continue.
//! - [`resolve`] is the cheap document-wide pass over those results: pronoun speakers, continuation
//!   of quotations across and within paragraphs, "X said:" introducing the next paragraph,
//!   canonical names, entity ids, and the `unattributed-quote` / `unresolved-pronoun-speaker`
//!   findings.

pub mod lexicon;
mod paragraph;
mod resolve;
pub mod speech_verbs;
pub mod words;

pub use lexicon::{Gender, Pronoun};
pub use paragraph::attribute_paragraph;
pub use resolve::{
    resolve, resolve_cached, Change, DocParagraph, QuotePiece, QuotePieces, ResolveCache,
};

use crate::analysis::document::{DocumentView, QuoteAttribution};
use crate::analysis::paragraph::ParagraphAnalysis;
use crate::analysis::{Attribution, Finding, Quote, QuoteKind, Span};

/// Attribution's per-paragraph result, cached with the paragraph's analysis.
pub type ParagraphCues = ParagraphAttribution;

/// The document-wide result: one entry per document quotation (same order), plus findings of
/// attribution's own (`unresolved-pronoun-speaker`). `unattributed-quote` is left to the caller,
/// which flags every full or partial quotation whose attribution is `None`. A quotation detected
/// as a term that comes back attributed is a partial quotation (a cue frames it as speech).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attributions {
    pub quotes: Vec<QuoteAttribution>,
    pub findings: Vec<Finding>,
}

/// The per-paragraph stage: speech cues of one paragraph, from its prose and quotation
/// candidates (`prose` is [`ParagraphAnalysis::prose`]). `quotes` of the result is indexed like the paragraph's candidates; nested
/// quotations (inside another) get no speaker of their own. `verbs` are the speech verbs in
/// force (built-in plus configured): they are part of the paragraph cache's key.
pub fn paragraph_cues(
    paragraph: &ParagraphAnalysis,
    prose: &str,
    verbs: &speech_verbs::SpeechVerbs,
) -> ParagraphCues {
    let quotes: Vec<(Span, QuoteKind)> = paragraph
        .quotes
        .iter()
        .map(|q| (q.span, if q.depth > 0 { QuoteKind::Term } else { q.kind }))
        .collect();
    if !paragraph.is_prose() {
        return ParagraphAttribution {
            quotes: vec![QuoteCue::default(); quotes.len()].into(),
            ..Default::default()
        };
    }
    attribute_paragraph(prose, &quotes, verbs)
}

/// The document-wide stage: resolves every document quotation's speaker from the cached cues.
pub fn attribute(view: &DocumentView<'_>) -> Attributions {
    attribute_cached(view, &mut ResolveCache::default(), None)
}

/// [`attribute`], reusing from `cache` the last run's results that `change` (the edit since,
/// when linking's entities are the last ones moved) leaves valid; leaves this run's in it.
pub fn attribute_cached(
    view: &DocumentView<'_>,
    cache: &mut ResolveCache,
    change: Option<&Change<'_>>,
) -> Attributions {
    let (quotes, findings) = attributed_quotes(view, cache, change);
    Attributions {
        quotes: quotes
            .into_iter()
            .map(|q| QuoteAttribution {
                attribution: q.attribution,
                speaker: q.speaker,
                continues: q.continues,
            })
            .collect(),
        findings,
    }
}

/// [`attribute_cached`]'s result as the document's quotations (span and kind as paired) with
/// their attribution filled in: the document pass keeps this list instead of making one from
/// [`Attributions`] (two lists of every quotation fewer on every keystroke).
pub(crate) fn attributed_quotes(
    view: &DocumentView<'_>,
    cache: &mut ResolveCache,
    change: Option<&Change<'_>>,
) -> (Vec<Quote>, Vec<Finding>) {
    let empty: &ParagraphAttribution = &NO_CUES;
    let paragraphs: Vec<DocParagraph<'_>> = view
        .paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| DocParagraph {
            base: p.base,
            attribution: if p.is_prose() {
                &p.analysis.cues
            } else {
                empty
            },
            // A short first line is the title even when a CMS export ended it with a period.
            headline: p.block.kind == crate::analysis::BlockKind::Headline
                || (i == 0
                    && p.block.kind == crate::analysis::BlockKind::Paragraph
                    && p.block.span.len() < 160),
        })
        .collect();
    let pieces: Vec<QuotePieces> = view
        .quotes
        .iter()
        .map(|q| {
            let first = QuotePiece {
                paragraph: q.first.paragraph,
                local: q.first.candidate,
            };
            let last = QuotePiece {
                paragraph: q.last.paragraph,
                local: q.last.candidate,
            };
            QuotePieces::new(first, last)
        })
        .collect();
    let mut quotes: Vec<Quote> = view
        .quotes
        .iter()
        .map(|q| Quote {
            span: q.span,
            kind: q.kind,
            attribution: Attribution::None,
            speaker: None,
            continues: None,
        })
        .collect();
    let findings = resolve_cached(
        &paragraphs,
        &mut quotes,
        &pieces,
        view.entities,
        cache,
        change,
    );
    (quotes, findings)
}

/// How a speaker is named at a cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpeakerKind {
    /// A proper name: "Daniel Russel", "Sen. Cooper", "the White House".
    Name,
    /// A description standing for a source: "a senior administration official", "the company".
    Descriptor,
    /// "he", "she", "they", "it", "I": resolved by the document pass.
    Pronoun(Pronoun),
}

/// A speaker as one paragraph names it; spans are paragraph-relative.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LocalSpeaker {
    pub span: Span,
    /// The words, whitespace-normalised; for names, without a leading title ("Russel").
    pub name: String,
    pub kind: SpeakerKind,
    pub gender: Gender,
}

/// A speech cue with its speaker: "Cooper said", "according to the report".
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SpeechEvent {
    /// The cue word(s), paragraph-relative.
    pub cue: Span,
    pub speaker: LocalSpeaker,
    /// The cue ends in a colon that opens the next paragraph's quotation ("He said:").
    pub introduces_next: bool,
    /// The event is in the paragraph's last sentence.
    pub in_last_sentence: bool,
}

/// A person, organisation or group the paragraph names outside quotations: a candidate for a
/// later pronoun. Spans are paragraph-relative.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NameMention {
    pub span: Span,
    /// The name without title ("Cooper" for "Gov. Roy Cooper" keeps "Roy Cooper").
    pub name: String,
    pub gender: Gender,
}

/// Who a paragraph's own words say spoke one of its quotations.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum QuoteSpeaker {
    /// The speaker a cue in this paragraph names. A term gets one only when a cue frames it
    /// directly (`called the plan “a disaster”`): it is then someone's words, a partial
    /// quotation.
    Cue(LocalSpeaker),
    /// No cue attributes it: the subject of the sentence it is woven into ("Hale openly admires
    /// the mayor as a “true builder”"), the speaker when nothing better is found.
    Subject(LocalSpeaker),
    #[default]
    None,
}

/// What one paragraph says about one of its quotations.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct QuoteCue {
    pub speaker: QuoteSpeaker,
    /// It comes directly after speech in this paragraph (an earlier quotation or cue in its
    /// sentence or the one before): only then may it continue that speech.
    pub follows_speech: bool,
    /// Only speech follows it in the paragraph (so the next paragraph's opening quotation may
    /// continue it).
    pub ends_paragraph: bool,
}

impl QuoteCue {
    /// The speaker a cue in the paragraph names.
    pub fn cue(&self) -> Option<&LocalSpeaker> {
        match &self.speaker {
            QuoteSpeaker::Cue(s) => Some(s),
            _ => None,
        }
    }

    /// The subject of the sentence, when no cue names a speaker.
    pub fn subject(&self) -> Option<&LocalSpeaker> {
        match &self.speaker {
            QuoteSpeaker::Subject(s) => Some(s),
            _ => None,
        }
    }
}

/// One paragraph's attribution facts: a pure function of the paragraph's text and quotations.
///
/// Cached with every paragraph for the document's lifetime (76,586 of them at 10 MB): its lists
/// are boxed slices (no capacity field, no growth slack), what it says about each quotation is
/// one list, and the lead, which few paragraphs have, is boxed: 64 bytes where it took 200.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ParagraphAttribution {
    /// For each input quotation, in order.
    pub quotes: Box<[QuoteCue]>,
    /// Every cue with a speaker, in text order.
    pub events: Box<[SpeechEvent]>,
    /// Names outside quotations, in text order.
    pub names: Box<[NameMention]>,
    /// The paragraph's first token is the opening mark of its first quotation.
    pub opens_with_quote: bool,
    /// The phrase the paragraph opens with: a headline's subject speaks its quotation
    /// ("Mayor Vows To ‘Rebuild Every Street’", "Sanders: Clinton needs to ‘…’").
    pub lead: Option<Box<LocalSpeaker>>,
    /// Which last words the names resolving this paragraph asks about may have (a 32-bit
    /// filter, see [`ParagraphAttribution::with_asked_words`]; 0: not worked out, read the
    /// names): when a name letter changes a surname, the document pass looks only at the
    /// paragraphs that may ask about it. Fits beside `opens_with_quote` (64 bytes a paragraph).
    pub asked_words: u32,
}

impl ParagraphAttribution {
    /// With [`ParagraphAttribution::asked_words`] worked out from the names it holds.
    pub fn with_asked_words(mut self) -> Self {
        self.asked_words = resolve::asked_words(&self);
        self
    }

    /// Drops the growth slack of every name (see `ParagraphAnalysis::shrink`).
    pub fn shrink(&mut self) {
        fn speaker(speaker: &mut LocalSpeaker) {
            speaker.name.shrink_to_fit();
        }
        for q in self.quotes.iter_mut() {
            match &mut q.speaker {
                QuoteSpeaker::Cue(s) | QuoteSpeaker::Subject(s) => speaker(s),
                QuoteSpeaker::None => {}
            }
        }
        self.events.iter_mut().for_each(|e| speaker(&mut e.speaker));
        self.names.iter_mut().for_each(|n| n.name.shrink_to_fit());
        self.lead.iter_mut().for_each(|s| speaker(s));
    }
}

/// The facts of a paragraph that is not prose (the document pass reads none).
pub static NO_CUES: std::sync::LazyLock<ParagraphAttribution> =
    std::sync::LazyLock::new(ParagraphAttribution::default);

#[cfg(test)]
mod fixture_tests;
#[cfg(test)]
mod tests;
