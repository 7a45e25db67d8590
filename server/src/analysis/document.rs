//! Document-wide passes over the cached paragraph results: block kinds in context, quotation
//! pairing across paragraphs, entity linking, attribution and the findings.

use std::sync::Arc;

use super::attribution::{Change, ResolveCache};
use super::model::{
    Analysis, Attribution, Block, BlockKind, Entity, Finding, QuoteKind, Rule, Span, Speaker,
};
use super::paragraph::ParagraphAnalysis;
use crate::entities::{FirstStage, LinkCache, RawMention, RecallParagraph, StagedParagraph};

/// One paragraph of the document as the document passes see it.
#[derive(Debug, Clone)]
pub struct ParagraphRef {
    /// Document offset of the paragraph's first byte: add it to the analysis' spans.
    pub base: usize,
    pub analysis: Arc<ParagraphAnalysis>,
    /// The block with its final kind (headline and fenced code decided in context), document
    /// offsets.
    pub block: Block,
}

impl ParagraphRef {
    /// The paragraph's prose ([`ParagraphAnalysis::prose`]), given the document's text.
    pub fn prose<'a>(&'a self, text: &'a str) -> &'a str {
        let own = text
            .get(self.base..self.base + self.analysis.len)
            .unwrap_or_default();
        self.analysis.prose(own)
    }

    /// Whether quotations and speakers are looked for in this paragraph.
    pub fn is_prose(&self) -> bool {
        !matches!(self.block.kind, BlockKind::Code | BlockKind::Caption)
    }
}

/// Where a per-paragraph quotation candidate sits: paragraph index and index into its `quotes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CandidateRef {
    pub paragraph: usize,
    pub candidate: usize,
}

/// A quotation of the document (outermost only), after multi-paragraph pairing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocQuote {
    /// Document offsets, marks included.
    pub span: Span,
    pub kind: QuoteKind,
    /// The candidate that opens it (first paragraph) …
    pub first: CandidateRef,
    /// … and the one that closes it (the same as `first` for a one-paragraph quotation).
    pub last: CandidateRef,
}

impl DocQuote {
    /// Whether the quotation runs over more than one paragraph.
    pub fn is_multi_paragraph(&self) -> bool {
        self.first.paragraph != self.last.paragraph
    }
}

/// What the attribution pass found for one quotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteAttribution {
    pub attribution: Attribution,
    pub speaker: Option<Speaker>,
    /// See [`super::model::Quote::continues`].
    pub continues: Option<usize>,
}

impl QuoteAttribution {
    pub const NONE: QuoteAttribution = QuoteAttribution {
        attribution: Attribution::None,
        speaker: None,
        continues: None,
    };
}

/// The input of the document-wide attribution pass.
#[derive(Debug, Clone, Copy)]
pub struct DocumentView<'a> {
    pub text: &'a str,
    pub paragraphs: &'a [ParagraphRef],
    pub quotes: &'a [DocQuote],
    pub entities: &'a [Entity],
}

/// Where each paragraph of the document starts and what it holds.
#[derive(Debug, Clone)]
pub struct Placed {
    pub base: usize,
    pub analysis: Arc<ParagraphAnalysis>,
}

/// One paragraph's mentions after the tagger's second stage (paragraph offsets), shared: most
/// edits leave most paragraphs' mentions as they were, and the analyzer keeps the last ones.
pub type ParagraphMentions = Arc<[RawMention]>;

/// Run the document-wide passes over the paragraph results.
pub fn build(text: &str, placed: &[Placed]) -> Analysis {
    build_with(text, placed, &mut LinkCache::default())
}

/// [`build`], reusing entity linking's per-mention work from `links` (kept in step with the
/// document's edits by the caller); the result is the same.
pub fn build_with(text: &str, placed: &[Placed], links: &mut LinkCache) -> Analysis {
    let paragraphs = blocks_in_context(placed);
    let mentions = second_stage_mentions(text, &paragraphs, links, |_| None);
    build_from(
        text,
        &paragraphs,
        &mentions,
        links,
        &mut ResolveCache::default(),
        None,
    )
}

/// The passes after the second stage: [`build_with`] given the paragraphs in context and each
/// paragraph's mentions after the tagger's second stage ([`second_stage_mentions`]). Given the
/// `change` since the last run (whose results `attribution` holds), attribution keeps what the
/// new entities leave valid.
pub(super) fn build_from(
    text: &str,
    paragraphs: &[ParagraphRef],
    mentions: &[ParagraphMentions],
    links: &mut LinkCache,
    attribution: &mut ResolveCache,
    change: Option<&Change<'_>>,
) -> Analysis {
    let entities = link_paragraphs(text, paragraphs, mentions, links);
    after_linking(text, paragraphs, entities, attribution, change)
}

/// Entity linking over every prose paragraph's mentions (after the tagger's second stage:
/// document features over the cached first-stage labels).
fn link_paragraphs(
    text: &str,
    paragraphs: &[ParagraphRef],
    mentions: &[ParagraphMentions],
    links: &mut LinkCache,
) -> Vec<Entity> {
    // The bare surnames the tagger missed (recall), kept per paragraph across edits.
    let recall: Vec<RecallParagraph<'_, ParagraphAnalysis>> = paragraphs
        .iter()
        .zip(mentions)
        .map(|(p, ms)| RecallParagraph {
            base: p.base,
            owner: &p.analysis,
            words: &p.analysis.capital_words,
            mentions: p.is_prose().then_some(ms),
        })
        .collect();
    let found = crate::entities::recall_cached(text, &recall, &mut links.recall);
    drop(recall);
    // Exact capacity: at 10 MB this list is ≈ 10 MB, and grown by doubling it would hold up to
    // twice that while linking runs.
    let total = paragraphs
        .iter()
        .zip(mentions)
        .filter(|(p, _)| p.is_prose())
        .map(|(_, ms)| ms.len());
    let mut all_mentions = Vec::with_capacity(total.sum::<usize>() + found.len());
    for (p, ms) in paragraphs.iter().zip(mentions) {
        if p.is_prose() {
            all_mentions.extend(ms.iter().map(|m| m.shifted(p.base)));
        }
    }
    all_mentions.extend(found);
    crate::entities::link_recalled(text, &all_mentions, links).entities
}

/// The passes after linking, given its `entities`: [`build_from`] when linking's result is
/// known to be the last one moved (its inputs only moved) by `change`; attribution then
/// resolves again only what the change may have changed.
pub(super) fn build_from_linked(
    text: &str,
    paragraphs: &[ParagraphRef],
    entities: Vec<Entity>,
    attribution: &mut ResolveCache,
    change: &Change<'_>,
) -> Analysis {
    after_linking(text, paragraphs, entities, attribution, Some(change))
}

/// Quotation pairing, residue, attribution and findings over linked `entities`.
fn after_linking(
    text: &str,
    paragraphs: &[ParagraphRef],
    entities: Vec<Entity>,
    attribution: &mut ResolveCache,
    change: Option<&Change<'_>>,
) -> Analysis {
    let mut findings: Vec<Finding> = Vec::new();
    let quotes = pair_quotes(paragraphs, &mut findings);
    residue_findings(paragraphs, &mut findings);
    attribute_and_finish(
        text,
        paragraphs,
        quotes,
        findings,
        entities,
        attribution,
        change,
    )
}

fn residue_findings(paragraphs: &[ParagraphRef], findings: &mut Vec<Finding>) {
    for p in paragraphs {
        if p.block.kind == BlockKind::Code && p.analysis.block.kind != BlockKind::Code {
            continue; // inside a fenced code block: not residue, just code
        }
        for r in p.analysis.residue() {
            findings.push(finding(
                Rule::MarkupResidue,
                r.span.shifted(p.base),
                r.what.message().to_owned(),
            ));
        }
    }
}

/// Attribution over the paired `quotes`, then the quotations and the sorted findings.
fn attribute_and_finish(
    text: &str,
    paragraphs: &[ParagraphRef],
    quotes: Vec<DocQuote>,
    mut findings: Vec<Finding>,
    entities: Vec<Entity>,
    attribution: &mut ResolveCache,
    change: Option<&Change<'_>>,
) -> Analysis {
    let view = DocumentView {
        text,
        paragraphs,
        quotes: &quotes,
        entities: &entities,
    };
    let (mut out_quotes, attributed) =
        super::attribution::attributed_quotes(&view, attribution, change);
    findings.extend(attributed);
    for q in &mut out_quotes {
        if q.attribution == Attribution::None && q.kind != QuoteKind::Term {
            findings.push(finding(
                Rule::UnattributedQuote,
                q.span,
                "quotation has no speaker: no attribution names who said it".to_owned(),
            ));
        }
        // A term a speech cue frames ("called the plan “a disaster”") is someone's words.
        if q.kind == QuoteKind::Term && q.attribution != Attribution::None {
            q.kind = QuoteKind::Partial;
        }
    }
    findings.sort_by(|a, b| {
        a.span
            .start
            .cmp(&b.span.start)
            .then(a.rule.cmp(&b.rule))
            .then(a.span.end.cmp(&b.span.end))
    });
    Analysis {
        blocks: paragraphs.iter().map(|p| p.block.clone()).collect(),
        entities,
        quotes: out_quotes,
        findings,
    }
}

/// Each paragraph's mentions (paragraph offsets) after the tagger's second stage over the prose
/// paragraphs; the first stage's where no second-stage model is embedded. `held(i)` gives
/// paragraph `i`'s mentions from the last pass over the same document with the same `links`,
/// if it had the same text and was read as prose or not alike then: those whose second-stage
/// labels this pass leaves as they were are kept, not built again.
pub(super) fn second_stage_mentions(
    text: &str,
    paragraphs: &[ParagraphRef],
    links: &mut LinkCache,
    held: impl Fn(usize) -> Option<ParagraphMentions>,
) -> Vec<ParagraphMentions> {
    let mut held: Vec<Option<ParagraphMentions>> = (0..paragraphs.len()).map(held).collect();
    let prose: Vec<&ParagraphRef> = paragraphs.iter().filter(|p| p.is_prose()).collect();
    let prose_held: Vec<bool> = paragraphs
        .iter()
        .zip(&held)
        .filter(|(p, _)| p.is_prose())
        .map(|(_, h)| h.is_some())
        .collect();
    // Only the paragraphs the pass reads are made (their prose and dateline are cold reads).
    let firsts: Vec<&FirstStage> = prose.iter().map(|p| &p.analysis.first_stage).collect();
    let read = |i: usize| {
        prose.get(i).map(|p| StagedParagraph {
            prose: p.prose(text),
            tokens: &p.analysis.tokens,
            first: &p.analysis.first_stage,
            mentions: &p.analysis.mentions,
            dateline: p.analysis.dateline(),
        })
    };
    // `None` when no second-stage model is embedded: the first stage's mentions stand.
    let mut retagged =
        crate::entities::retag_reusing(&firsts, read, &mut links.second_stage, &prose_held)
            .map(Vec::into_iter);
    paragraphs
        .iter()
        .zip(&mut held)
        .map(|(p, held)| {
            let a = &p.analysis;
            if !p.is_prose() {
                return held.take().unwrap_or_else(|| a.mentions[..].into());
            }
            let mut mentions = match retagged.as_mut() {
                Some(retagged) => match retagged.next() {
                    Some(Some(mentions)) => mentions,
                    // Kept: only a held paragraph's can be.
                    Some(None) => return held.take().unwrap_or_default(),
                    None => Vec::new(),
                },
                None => match held.take() {
                    Some(held) => return held,
                    None => a.mentions.to_vec(),
                },
            };
            crate::entities::name_quoted_works(p.prose(text), &a.quotes, &mut mentions);
            mentions.into()
        })
        .collect()
}

fn finding(rule: Rule, span: Span, message: impl Into<Arc<str>>) -> Finding {
    Finding {
        rule,
        severity: rule.default_severity(),
        span,
        message: message.into(),
    }
}

/// Final block kinds: fenced code and the headline are decided in context.
pub(super) fn blocks_in_context(placed: &[Placed]) -> Vec<ParagraphRef> {
    let mut in_fence = false;
    let mut out = Vec::with_capacity(placed.len());
    for (i, p) in placed.iter().enumerate() {
        let local = p.analysis.block;
        let mut kind = local.kind;
        if local.fences > 0 || in_fence {
            kind = BlockKind::Code;
        }
        if local.fences % 2 == 1 {
            in_fence = !in_fence;
        }
        // The first block is the headline: a short line that does not end like a sentence, or a
        // level-1 Markdown heading.
        if i == 0
            && ((kind == BlockKind::Paragraph && placed.len() > 1 && p.analysis.headline_like)
                || (kind == BlockKind::Heading && local.level == 1))
        {
            kind = BlockKind::Headline;
        }
        let span = Span::new(p.base, p.base + p.analysis.len);
        let dateline = if kind == BlockKind::Paragraph {
            p.analysis.dateline().map(|d| d.shifted(p.base))
        } else {
            None
        };
        out.push(ParagraphRef {
            base: p.base,
            analysis: Arc::clone(&p.analysis),
            block: Block {
                kind,
                span,
                level: local.level,
                dateline,
            },
        });
    }
    out
}

/// One short line that does not end like a sentence: a first paragraph so is the headline.
pub(super) fn looks_like_headline(prose: &str, dateline: Option<Span>) -> bool {
    let text = prose.trim();
    // Asked of every paragraph as it is analysed: the cheap tests first, and words counted only
    // up to the 21st.
    dateline.is_none()
        && !text.ends_with(['.', ',', ';', ':', '”', '"'])
        && !text.contains('\n')
        && text.split_whitespace().nth(20).is_none()
}

/// Pair quotation candidates into document quotations: one-paragraph pairs, and quotations a
/// paragraph leaves open that the next paragraph continues by opening with a mark (or closes
/// with a bare closing mark). Unbalanced marks become findings.
fn pair_quotes(paragraphs: &[ParagraphRef], findings: &mut Vec<Finding>) -> Vec<DocQuote> {
    // At most one quotation per candidate: sized up front, the list is not grown by doubling
    // (≈ 0.45 M instructions at 1 MB, ≈ 5,000 quotations, on every keystroke).
    let candidates = paragraphs.iter().filter(|p| p.is_prose());
    let mut quotes = Vec::with_capacity(candidates.map(|p| p.analysis.quotes.len()).sum());
    // A quotation left open at the end of the previous prose paragraph.
    let mut pending: Option<(CandidateRef, Span)> = None;
    for (pi, p) in paragraphs.iter().enumerate() {
        if !p.is_prose() {
            continue;
        }
        let cands = &p.analysis.quotes;
        let mut first_outer = true;
        for (ci, c) in cands.iter().enumerate() {
            let here = CandidateRef {
                paragraph: pi,
                candidate: ci,
            };
            if c.depth > 0 {
                if let Some(open) = c.open_mark.filter(|_| c.close_mark.is_none()) {
                    findings.push(unbalanced_open(open.shifted(p.base)));
                }
                continue;
            }
            let span = c.span.shifted(p.base);
            if first_outer {
                first_outer = false;
                if let Some((first, open)) = pending.take() {
                    if c.opens_paragraph || c.open_mark.is_none() {
                        match c.close_mark {
                            Some(_) => quotes.push(DocQuote {
                                span: Span::new(open.start, span.end),
                                kind: QuoteKind::Full,
                                first,
                                last: here,
                            }),
                            None => pending = Some((first, open)),
                        }
                        continue;
                    }
                    findings.push(unbalanced_open(open));
                }
            }
            match (c.open_mark, c.close_mark) {
                (Some(_), Some(_)) => quotes.push(DocQuote {
                    span,
                    kind: c.kind,
                    first: here,
                    last: here,
                }),
                (Some(open), None) => pending = Some((here, open.shifted(p.base))),
                (None, Some(close)) => findings.push(finding(
                    Rule::UnbalancedQuote,
                    close.shifted(p.base),
                    "closing quotation mark without an opening mark".to_owned(),
                )),
                (None, None) => {}
            }
        }
        if first_outer {
            // A paragraph with no quotation does not continue an open one.
            if let Some((_, open)) = pending.take() {
                findings.push(unbalanced_open(open));
            }
        }
    }
    if let Some((_, open)) = pending {
        findings.push(unbalanced_open(open));
    }
    quotes
}

fn unbalanced_open(mark: Span) -> Finding {
    finding(
        Rule::UnbalancedQuote,
        mark,
        "quotation mark opened here is never closed".to_owned(),
    )
}
