//! The article outline: its structure, its sources and their quotations, its entities.
//!
//! Top level, in this order (empty groups are left out):
//! - the **article**, named by its headline: Markdown sections (nested by heading level) holding
//!   their paragraphs, or for plain copy the byline, the lede and the paragraphs, each named by its
//!   first words (after the dateline);
//! - **Sources**: each speaker, named, institutional or anonymous, holding their quotations, then
//!   "Unattributed" for quotations nobody is found to have said (terms are not listed);
//! - **People**, **Organizations**, **Places**: each entity at its first mention.
//!
//! The LSP layer maps [`OutlineKind`] to SymbolKinds; the choice (editors show an icon per kind):
//!
//! | outline kind | SymbolKind | why |
//! |---|---|---|
//! | Article | File | the document itself |
//! | Section | Namespace | a named, nestable container of paragraphs |
//! | Byline | Property | an attribute of the article, not its text |
//! | Lede, Paragraph | String | a run of text |
//! | Group (Sources, People, …) | Package | an index over the article, not part of its text |
//! | Person | Object | an individual |
//! | Organization, InstitutionalSource | Struct | a body made of people |
//! | Place | Constant | a fixed point |
//! | AnonymousSource | Variable | stands for someone the article does not name |
//! | Quotation | Event | something said at a moment |

use std::collections::HashMap;

use super::article::Article;
use super::hover::source_kind;
use super::suppress::is_suppression_comment;
use crate::analysis::{Attribution, Block, BlockKind, Entity, EntityKind, Quote, QuoteKind, Span};
use crate::config::register::fold_name;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutlineKind {
    Article,
    Section,
    Byline,
    Lede,
    Paragraph,
    Group,
    Person,
    Organization,
    Place,
    Other,
    AnonymousSource,
    InstitutionalSource,
    Quotation,
}

/// One node of the outline: `span` is everything it covers, `selection` the part to reveal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineNode {
    pub name: String,
    pub detail: Option<String>,
    pub kind: OutlineKind,
    pub span: Span,
    pub selection: Span,
    pub children: Vec<OutlineNode>,
}

impl OutlineNode {
    fn leaf(
        name: String,
        detail: Option<String>,
        kind: OutlineKind,
        span: Span,
        selection: Span,
    ) -> Self {
        OutlineNode {
            name,
            detail,
            kind,
            span,
            selection,
            children: Vec::new(),
        }
    }

    /// A container spanning its children.
    fn group(name: &str, kind: OutlineKind, children: Vec<OutlineNode>) -> Option<Self> {
        let first = children.first()?;
        let span = children.iter().fold(first.span, |acc, c| hull(acc, c.span));
        let selection = first.selection;
        Some(OutlineNode {
            name: name.into(),
            detail: None,
            kind,
            span,
            selection,
            children,
        })
    }
}

fn hull(a: Span, b: Span) -> Span {
    Span::new(a.start.min(b.start), a.end.max(b.end))
}

/// How many words name a paragraph or quotation.
const NAME_WORDS: usize = 6;

/// The outline of an article.
pub fn outline(article: &Article) -> Vec<OutlineNode> {
    let mut out = Vec::new();
    out.extend(structure(article));
    out.extend(sources(article));
    for (name, kind) in [
        ("People", EntityKind::Person),
        ("Organizations", EntityKind::Organization),
        ("Places", EntityKind::Location),
    ] {
        let children = article
            .analysis
            .entities
            .iter()
            .filter(|e| e.kind == kind)
            .filter_map(|e| entity_node(article, e))
            .collect();
        out.extend(OutlineNode::group(name, OutlineKind::Group, children));
    }
    out
}

fn entity_kind(kind: EntityKind) -> OutlineKind {
    match kind {
        EntityKind::Person => OutlineKind::Person,
        EntityKind::Organization => OutlineKind::Organization,
        EntityKind::Location => OutlineKind::Place,
        EntityKind::Misc => OutlineKind::Other,
    }
}

fn entity_node(article: &Article, entity: &Entity) -> Option<OutlineNode> {
    let first = entity.mentions.first()?.span;
    let _ = article;
    Some(OutlineNode::leaf(
        entity.name.to_string(),
        entity.descriptors.first().map(|d| d.to_string()),
        entity_kind(entity.kind),
        first,
        first,
    ))
}

/// The article's title: its headline, else its first `#` heading, else "Article".
pub fn title(article: &Article) -> String {
    structure(article).map_or_else(|| "Article".to_string(), |node| node.name)
}

fn structure(article: &Article) -> Option<OutlineNode> {
    let blocks: Vec<&Block> = article
        .analysis
        .blocks
        .iter()
        .filter(|b| !is_suppression_comment(article.slice(b.span)))
        .collect();
    let headline = blocks
        .iter()
        .find(|b| b.kind == BlockKind::Headline)
        .copied();
    let title_heading = match headline {
        Some(_) => None,
        None => blocks
            .iter()
            .find(|b| b.kind == BlockKind::Heading && b.level == 1)
            .copied(),
    };
    let title_block = headline.or(title_heading);
    let name = title_block
        .map(|b| heading_text(article, b))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "Article".to_string());
    let end = article.text.trim_end().len();
    let span = Span::new(0, end.max(blocks.last().map_or(0, |b| b.span.end)));
    let selection = title_block
        .or(blocks.first().copied())
        .map_or(Span::new(0, 0), |b| b.span);

    // Sections: a stack of open headings; paragraphs go into the innermost one.
    let mut root: Vec<OutlineNode> = Vec::new();
    let mut stack: Vec<(u8, OutlineNode)> = Vec::new();
    let mut seen_lede = false;
    for block in blocks.iter().copied() {
        if Some(block.span) == title_block.map(|b| b.span) {
            continue;
        }
        let node = match block.kind {
            BlockKind::Heading => {
                close_sections(&mut stack, &mut root, block.level);
                let name = heading_text(article, block);
                stack.push((
                    block.level,
                    OutlineNode::leaf(name, None, OutlineKind::Section, block.span, block.span),
                ));
                continue;
            }
            BlockKind::Byline => {
                let text = article
                    .slice(block.span)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                // Markdown emphasis around a byline ("*By …*") is not part of its name.
                let text = text.trim_matches(['*', '_']).to_string();
                OutlineNode::leaf(text, None, OutlineKind::Byline, block.span, block.span)
            }
            BlockKind::Paragraph | BlockKind::ListItem => {
                let body = match block.dateline {
                    Some(d) if d.end <= block.span.end && d.start >= block.span.start => {
                        Span::new(d.end, block.span.end)
                    }
                    _ => block.span,
                };
                let name = article.first_words(body, NAME_WORDS);
                let (kind, detail) =
                    if seen_lede || !stack.is_empty() || block.kind == BlockKind::ListItem {
                        (OutlineKind::Paragraph, None)
                    } else {
                        seen_lede = true;
                        (OutlineKind::Lede, Some("lede".to_string()))
                    };
                let name = if name.is_empty() {
                    article.first_words(block.span, NAME_WORDS)
                } else {
                    name
                };
                OutlineNode::leaf(name, detail, kind, block.span, block.span)
            }
            BlockKind::Headline | BlockKind::Code | BlockKind::Trailer | BlockKind::Caption => {
                continue
            }
        };
        match stack.last_mut() {
            Some((_, section)) => {
                section.span = hull(section.span, node.span);
                section.children.push(node);
            }
            None => root.push(node),
        }
    }
    close_sections(&mut stack, &mut root, 0);
    Some(OutlineNode {
        name,
        detail: None,
        kind: OutlineKind::Article,
        span: hull(span, selection),
        selection,
        children: root,
    })
}

/// Close every open section at `level` or deeper, attaching each to its parent.
fn close_sections(stack: &mut Vec<(u8, OutlineNode)>, root: &mut Vec<OutlineNode>, level: u8) {
    while stack.last().is_some_and(|(l, _)| *l >= level) {
        let Some((_, node)) = stack.pop() else { break };
        match stack.last_mut() {
            Some((_, parent)) => {
                parent.span = hull(parent.span, node.span);
                parent.children.push(node);
            }
            None => root.push(node),
        }
    }
}

fn heading_text(article: &Article, block: &Block) -> String {
    let text = article
        .slice(block.span)
        .trim()
        .trim_start_matches('#')
        .trim()
        .trim_end_matches('#')
        .trim();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn sources(article: &Article) -> Option<OutlineNode> {
    let quotes = &article.analysis.quotes;
    // Speakers in order of their first quotation, keyed by entity or by folded name.
    let mut order: Vec<(String, Vec<usize>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut unattributed = Vec::new();
    for (i, q) in quotes.iter().enumerate() {
        let Some(speaker) = &q.speaker else {
            if q.kind != QuoteKind::Term {
                unattributed.push(i);
            }
            continue;
        };
        let key = match speaker.entity {
            Some(id) => format!("entity:{id}"),
            None => format!("name:{}", fold_name(&speaker.name)),
        };
        let slot = *index.entry(key.clone()).or_insert_with(|| {
            order.push((key, Vec::new()));
            order.len() - 1
        });
        order[slot].1.push(i);
    }
    let mut children: Vec<OutlineNode> = order
        .iter()
        .filter_map(|(_, members)| speaker_node(article, members))
        .collect();
    let unattributed: Vec<OutlineNode> = unattributed
        .iter()
        .map(|&i| quote_node(article, &quotes[i]))
        .collect();
    children.extend(OutlineNode::group(
        "Unattributed",
        OutlineKind::AnonymousSource,
        unattributed,
    ));
    OutlineNode::group("Sources", OutlineKind::Group, children)
}

fn speaker_node(article: &Article, members: &[usize]) -> Option<OutlineNode> {
    let quotes = &article.analysis.quotes;
    let first = quotes.get(*members.first()?)?;
    let speaker = first.speaker.as_ref()?;
    let entity = speaker
        .entity
        .and_then(|id| article.analysis.entities.get(id));
    let (name, kind) = match entity {
        Some(e) => (e.name.clone(), entity_kind(e.kind)),
        None if source_kind(&speaker.name) == "institutional source" => {
            (speaker.name.clone(), OutlineKind::InstitutionalSource)
        }
        None => (speaker.name.clone(), OutlineKind::AnonymousSource),
    };
    let children: Vec<OutlineNode> = members
        .iter()
        .filter_map(|&i| quotes.get(i))
        .map(|q| quote_node(article, q))
        .collect();
    let mut node = OutlineNode::group(&name, kind, children)?;
    let count = node.children.len();
    node.detail = Some(if count == 1 {
        "1 quotation".into()
    } else {
        format!("{count} quotations")
    });
    node.selection = speaker.span;
    node.span = hull(node.span, speaker.span);
    Some(node)
}

fn quote_node(article: &Article, quote: &Quote) -> OutlineNode {
    let detail = match quote.attribution {
        Attribution::Explicit => "explicit",
        Attribution::Pronoun => "pronoun",
        Attribution::Continuation => "continuation",
        Attribution::None => "no speaker",
    };
    OutlineNode::leaf(
        article.first_words(quote.span, NAME_WORDS),
        Some(detail.into()),
        OutlineKind::Quotation,
        quote.span,
        quote.span,
    )
}

#[cfg(test)]
mod tests;
