//! The analysis result: the one contract between the core and its front ends (LSP, CLI).
//!
//! Every offset is a UTF-8 byte offset into the document, end exclusive. Nothing here knows LSP.

use std::sync::Arc;

use serde::Serialize;

/// A half-open range of UTF-8 byte offsets into the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub const fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    /// The same span moved by `base` bytes: paragraph-relative to document offsets.
    pub const fn shifted(&self, base: usize) -> Span {
        Span {
            start: self.start + base,
            end: self.end + base,
        }
    }
    pub const fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }
    pub const fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// What part of the article a block of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockKind {
    Headline,
    Byline,
    /// A paragraph of the story; the first one that opens with a dateline carries it in `dateline`.
    Paragraph,
    /// A Markdown heading (`#`, `##`, …) inside the story.
    Heading,
    ListItem,
    /// Code blocks and other text that is not prose.
    Code,
    /// "(Writing by …; Editing by …)" and similar credit lines.
    Trailer,
    /// A photo caption pasted into the copy ("… Reuters-Yonhap |").
    Caption,
}

/// A block of the article: a paragraph, heading, byline, …
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    pub kind: BlockKind,
    pub span: Span,
    /// For headings, the level (1 for `#`); 0 otherwise.
    pub level: u8,
    /// The dateline at the start of this block, if any ("TOKYO/WASHINGTON (Reuters) –").
    pub dateline: Option<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Organization,
    Location,
    Misc,
}

/// Index of an entity in [`Analysis::entities`]; stable only within one analysis.
pub type EntityId = usize;

/// One mention of an entity in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    pub span: Span,
}

/// A person, organisation, place or other named thing, as the article presents it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entity {
    pub id: EntityId,
    pub kind: EntityKind,
    /// The fullest name the article gives ("Fumio Kishida").
    pub name: Arc<str>,
    /// Titles, appositives and copular descriptions, in order of appearance, without duplicates.
    pub descriptors: Vec<Arc<str>>,
    /// Every mention, in document order.
    pub mentions: Vec<Mention>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// A sentence or more of speech.
    Full,
    /// A fragment woven into the reporter's sentence.
    Partial,
    /// Scare quotes or the name of a thing: “two-plus-two”, “sacred”.
    Term,
}

/// How a quotation's speaker was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Attribution {
    /// A speech verb or "according to" names the speaker next to the quotation.
    Explicit,
    /// "he said": the pronoun was resolved to an earlier speaker or person.
    Pronoun,
    /// An unattributed quotation right after one by a known speaker.
    Continuation,
    /// No rule found a speaker.
    None,
}

/// Who said a quotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Speaker {
    /// Canonical name (the entity's name) or the descriptor ("a senior administration official").
    pub name: Arc<str>,
    /// The words in the article that name the speaker at this quotation (e.g. "he", "Russel").
    pub span: Span,
    /// The entity the speaker is, when there is one.
    pub entity: Option<EntityId>,
}

/// A quotation: its marks are inside `span`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quote {
    pub span: Span,
    pub kind: QuoteKind,
    pub attribution: Attribution,
    pub speaker: Option<Speaker>,
    /// For `Continuation`: the quotation whose speaker this one continues (index into `quotes`).
    /// For `Pronoun`: the quotation or mention the pronoun resolved through, if a quotation.
    pub continues: Option<usize>,
}

/// Every check Copydesk makes; a closed set, each documented in docs/rules.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    UnattributedQuote,
    UnbalancedQuote,
    MarkupResidue,
    UnresolvedPronounSpeaker,
    FirstReference,
    NameVariant,
}

impl Rule {
    pub const ALL: [Rule; 6] = [
        Rule::UnattributedQuote,
        Rule::UnbalancedQuote,
        Rule::MarkupResidue,
        Rule::UnresolvedPronounSpeaker,
        Rule::FirstReference,
        Rule::NameVariant,
    ];

    /// The code shown to users and used in configuration and suppression comments.
    pub const fn code(self) -> &'static str {
        match self {
            Rule::UnattributedQuote => "unattributed-quote",
            Rule::UnbalancedQuote => "unbalanced-quote",
            Rule::MarkupResidue => "markup-residue",
            Rule::UnresolvedPronounSpeaker => "unresolved-pronoun-speaker",
            Rule::FirstReference => "first-reference",
            Rule::NameVariant => "name-variant",
        }
    }

    pub fn from_code(code: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.code() == code)
    }

    pub const fn default_severity(self) -> Severity {
        match self {
            Rule::UnbalancedQuote => Severity::Error,
            Rule::FirstReference => Severity::Info,
            _ => Severity::Warning,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    // Ordered so that `a >= b` means "a is at least as severe as b".
    Hint,
    Info,
    Warning,
    Error,
}

/// A finding of one of the [`Rule`]s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    pub span: Span,
    pub message: Arc<str>,
}

/// Everything Copydesk knows about one article.
///
/// Its strings (names, descriptors, speakers' names, messages) are `Arc<str>`: a keystroke that
/// only moves what the document passes read clones the last result and moves its offsets, and
/// a clone then shares the strings instead of copying each.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Analysis {
    /// Blocks in document order; blank lines belong to none.
    pub blocks: Vec<Block>,
    pub entities: Vec<Entity>,
    /// Quotations in document order.
    pub quotes: Vec<Quote>,
    /// Findings in document order.
    pub findings: Vec<Finding>,
}
