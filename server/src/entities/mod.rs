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
//! assert_eq!(linked.entities[varga].name, "Ilse Varga");
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
pub use linking::{link, link_cached, Linked};
pub use recall::capital_words;
pub use second_stage::{
    recognize_staged, recognize_staged_tokens, retag, FirstStage, SecondStageCache, StagedParagraph,
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
