//! Named entities: the statistical tagger, gazetteers, and linking of mentions into entities.
//!
//! Two steps, shaped for incremental analysis:
//! 1. [`recognize`] finds raw mentions `(Span, EntityKind)` in one paragraph (or sentence). It
//!    looks at nothing outside the text it is given, so its result can be cached by the
//!    paragraph's content and shifted to document offsets when the paragraph moves.
//! 2. [`link`] is the cheap document-wide pass: it groups every paragraph's mentions into
//!    [`Entity`] values with a canonical name ("Fumio Kishida" for "Kishida", "Prime Minister
//!    Kishida", "Kishida’s"), makes kinds consistent across the article, and collects each
//!    entity's descriptors (titles, appositives, copular statements). [`Linked::entity_at`]
//!    answers which entity a span (a quotation's speaker, say) belongs to.
//!
//! ```
//! use copydesk::entities::{link, recognize};
//! let text = "Mayor Ilse Varga said the plan works. Varga spoke in Tarnow.";
//! let mentions = recognize(text); // one paragraph here, so paragraph offsets are document offsets
//! let linked = link(text, &mentions);
//! let varga = linked.entity_at(copydesk::analysis::Span::new(38, 43)).unwrap();
//! assert_eq!(&*linked.entities[varga].name, "Ilse Varga");
//! ```

mod context;
mod descriptors;
mod heuristic;
mod linking;
pub(crate) mod names;
mod packed_keys;
mod recall;
mod second_stage;
#[doc(hidden)]
pub mod tagger;
mod works;

pub use context::LinkCache;
pub use linking::{link, link_cached, link_recalled, Linked};
pub use recall::{capital_words, recall_cached, RecallCache, RecallParagraph};
pub use second_stage::{
    recognize_staged, recognize_staged_tokens, retag, retag_reusing, FirstStage, SecondStageCache,
    StagedParagraph,
};
pub(crate) use works::name_quoted_works;

use crate::analysis::model::{EntityKind, Span};

/// A named-entity mention as the recogniser found it, before linking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RawMention {
    /// Byte span of the name (without a possessive "’s"), relative to the text given to
    /// [`recognize`]; shift it with [`Span::shifted`] to document offsets before [`link`].
    pub span: Span,
    pub kind: EntityKind,
}

impl RawMention {
    /// The same mention moved by `base` bytes (paragraph-relative to document offsets).
    pub const fn shifted(self, base: usize) -> RawMention {
        RawMention {
            span: self.span.shifted(base),
            kind: self.kind,
        }
    }
}

/// Find the named-entity mentions in one paragraph or sentence of prose, in text order.
/// Spans are byte offsets into `text`. Never fails; depends on `text` alone (cache it by content).
/// Uses the embedded statistical tagger; a build without a model falls back to capitalisation
/// heuristics.
pub fn recognize(text: &str) -> Vec<RawMention> {
    match tagger::recognize(text) {
        Some(found) => found
            .into_iter()
            .map(|(span, kind)| RawMention { span, kind })
            .collect(),
        None => heuristic::recognize(text),
    }
}

/// Settles the kinds of the mentions inside a paragraph's dateline (`OSLO (Wirewire) -`): the
/// name in parentheses is the news agency, an organisation; a "person" anywhere else in it is a
/// misread place, and must not reach the person checks (first-reference) or People.
pub(crate) fn settle_dateline_kinds(
    prose: &str,
    dateline: Option<Span>,
    mentions: &mut [RawMention],
) {
    let Some(dateline) = dateline else { return };
    let credit = prose
        .get(dateline.start..dateline.end)
        .and_then(|d| Some((d.rfind('(')?, d.rfind(')')?)))
        .filter(|(open, close)| open < close)
        .map(|(open, close)| Span::new(dateline.start + open, dateline.start + close));
    for m in mentions.iter_mut() {
        if m.span.start < dateline.start || m.span.end > dateline.end {
            continue;
        }
        if credit.is_some_and(|c| c.start < m.span.start && m.span.end <= c.end) {
            m.kind = EntityKind::Organization;
        } else if m.kind == EntityKind::Person {
            m.kind = EntityKind::Location;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dateline_holds_places_and_its_agency() {
        let prose = "KARLSTAD, Sweden (Nordwire) - Lena Holm said.";
        let dateline = Some(Span::new(0, prose.find(" - ").unwrap() + 2));
        let at = |words: &str, kind| {
            let start = prose.find(words).unwrap();
            RawMention {
                span: Span::new(start, start + words.len()),
                kind,
            }
        };
        let mut mentions = [
            at("KARLSTAD", EntityKind::Person),
            at("Sweden", EntityKind::Location),
            at("Nordwire", EntityKind::Location),
            at("Lena Holm", EntityKind::Person),
        ];
        settle_dateline_kinds(prose, dateline, &mut mentions);
        let kinds: Vec<EntityKind> = mentions.iter().map(|m| m.kind).collect();
        assert_eq!(
            kinds,
            [
                EntityKind::Location,
                EntityKind::Location,
                EntityKind::Organization,
                EntityKind::Person
            ]
        );
    }
}
