//! Naming checks over the whole article: `first-reference` and `name-variant`.
//!
//! Both are document-wide passes over the linked entities, so they live here rather than in the
//! per-paragraph core: they also need the newsroom register, which is configuration. They run on
//! every keystroke, so they stay near-linear in mentions: each distinct mention text is split
//! into words once per check ([`MentionWords`]), people are compared pairwise only when
//! [`SpellingIndex`] says two of their name words could be one spelling, the clusters of variant
//! spellings are kept between checks and updated for the names that changed ([`clusters`]), and
//! quotation containment is a binary search ([`QuoteCover`]). The core does not emit these two
//! rules; [`check`] does, with a fix for each finding where one is clear.
//!
//! - `first-reference` (AP and Reuters style): a person's first mention in the copy (not the
//!   headline, a heading, byline or caption; not inside a quotation) gives the full name; later
//!   references use the short form. Two people sharing a surname may keep their full names.
//!   See [`first_reference`].
//! - `name-variant`: one person spelled two ways ("Zelenskiy" / "Zelensky"), or spelled other
//!   than the register's house spelling. The preferred spelling is the register's, else the
//!   one the article uses most, else the earlier one. See [`variants`].

use std::rc::Rc;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::article::{mention_words, Article};
use super::edit::Fix;
use crate::analysis::{Entity, Finding, Span};
use crate::config::register::{fold_name, name_words, Register};

mod clusters;
mod first_reference;
mod moved;
mod names;
mod spelling;
mod variants;

pub(crate) use moved::check_reusing_shifted;
pub use moved::{check_reusing, NamingMemo};
use names::NameTable;
pub use spelling::similar_spelling;

/// A finding of one of the naming rules, with the fix a code action offers for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamingFinding {
    pub finding: Finding,
    pub fix: Option<Fix>,
}

/// Run both naming rules. Severity is the rule's default; configuration adjusts it later.
pub fn check(article: &Article, register: &Register) -> Vec<NamingFinding> {
    let clusters = clusters::clusters_of(&article.analysis.entities);
    let mut names = NameTable::default();
    check_only(article, register, &clusters, &mut names, &Recheck::All)
        .0
        .into_iter()
        .map(|f| f.finding)
        .collect()
}

/// What a finding was found for: one person's references (`first-reference`, by entity id) or
/// one cluster of variant spellings (`name-variant`, its entities' indices, ascending). A finding
/// reads only its origin's entities, their mentions' text, the quotations and blocks holding
/// those mentions and the line numbers, so after an edit that changed a few entities the
/// findings of the others are the last ones moved (see [`moved`]).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    Person(usize),
    Cluster(Arc<[usize]>),
}

/// A finding with its origin, and the line number its message quotes, if any.
#[derive(Debug, Clone)]
struct Found {
    finding: NamingFinding,
    origin: Origin,
    line: Option<LineRef>,
}

/// The line number a message quotes ("introduced in full on line 12"): the offset (one of the
/// origin's mentions) it is the line of, and where the number is written in the message, so
/// that an edit adding or removing line breaks elsewhere rewrites the number and keeps the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LineRef {
    at: usize,
    line: usize,
    /// Byte index of the number in the message.
    digits: usize,
}

impl LineRef {
    /// `before`, the line of `at`, then `after`; with where the number went.
    fn message(article: &Article, before: String, at: usize, after: &str) -> (String, LineRef) {
        let line = article.line(at);
        let digits = before.len();
        let mut message = before;
        message.push_str(&line.to_string());
        message.push_str(after);
        (message, LineRef { at, line, digits })
    }

    /// `message` (which quotes this line number) quoting `line` instead.
    fn renumbered(&self, message: &str, line: usize) -> Option<String> {
        let end = self.digits + self.line.to_string().len();
        let (before, after) = (message.get(..self.digits)?, message.get(end..)?);
        Some(format!("{before}{line}{after}"))
    }
}

/// Which origins [`check_only`] looks at: all, or after an edit that changed a few entities,
/// those that read them.
enum Recheck<'a> {
    All,
    Only {
        /// The entities (indices) whose kind, name or mentions changed.
        changed: &'a FxHashSet<usize>,
        /// The folded words of their names before and after: a person holding one of them is
        /// checked again (`first-reference` reads who else holds each word of a name).
        words: &'a FxHashSet<String>,
        /// Per cluster of the article (in [`clusters::Clusters`] order): check it again.
        clusters: &'a [bool],
    },
}

/// Both rules for the origins `which` selects, each finding with its origin, sorted as
/// [`check`] sorts them, and the people (entity indices) they were checked for when not all.
/// `clusters` are [`clusters::clusters_of`] the article's entities; `names` what the rules read
/// of each name, kept between checks.
fn check_only(
    article: &Article,
    register: &Register,
    clusters: &clusters::Clusters,
    names: &mut NameTable,
    which: &Recheck,
) -> (Vec<Found>, FxHashSet<usize>) {
    let mut words = MentionWords::new(article);
    let (mut out, people) =
        first_reference::first_references(article, register, &mut words, names, which);
    out.extend(variants::name_variants(
        article, register, &mut words, clusters, which,
    ));
    sort_findings(&mut out);
    (out, people)
}

/// In document order; no two findings of different origins share a span and a rule (a span
/// lies in one entity's mention), so the order does not depend on the order they were found in.
fn sort_findings(found: &mut [Found]) {
    found.sort_by_key(|f| {
        let f = &f.finding.finding;
        (f.span.start, f.span.end, f.rule)
    });
}

/// A word of a mention: where it is and how it is written (possessive and punctuation removed).
#[derive(Debug, Clone)]
struct Word<'a> {
    span: Span,
    text: &'a str,
}

/// One word of a mention text, relative to the text's start, with its `fold_name`.
#[derive(Debug)]
struct TextWord {
    start: usize,
    end: usize,
    fold: String,
}

/// The words of a mention text (as [`words_in`] finds them).
#[derive(Debug)]
struct Split<'a> {
    text: &'a str,
    words: Vec<TextWord>,
}

/// The words of every distinct mention text, found once per check: a person is mentioned by the
/// same few strings hundreds of times in a long article, and both rules read each mention's words.
struct MentionWords<'a> {
    text: &'a str,
    by_text: FxHashMap<&'a str, Rc<Split<'a>>>,
}

impl<'a> MentionWords<'a> {
    fn new(article: &Article<'a>) -> Self {
        MentionWords {
            text: article.text,
            by_text: FxHashMap::default(),
        }
    }

    /// The words of the text at `span` ("" when the span is not in the text).
    fn of(&mut self, span: Span) -> Rc<Split<'a>> {
        let text = self.text.get(span.start..span.end).unwrap_or("");
        Rc::clone(self.by_text.entry(text).or_insert_with(|| {
            let words = mention_words(text)
                .into_iter()
                .map(|(start, end)| TextWord {
                    start,
                    end,
                    fold: fold_name(&text[start..end]),
                })
                .collect();
            Rc::new(Split { text, words })
        }))
    }

    /// [`words_in`] of the mention at `span`.
    fn words(&mut self, span: Span) -> Vec<Word<'a>> {
        let split = self.of(span);
        split
            .words
            .iter()
            .map(|w| Word {
                span: Span::new(span.start + w.start, span.start + w.end),
                text: &split.text[w.start..w.end],
            })
            .collect()
    }
}

/// Words that never occur in a person's name: a "person" named "East China Seas" or "United
/// States" is a tagger error, and the naming rules must not lecture the reporter about it.
#[rustfmt::skip]
const NOT_IN_PERSONAL_NAMES: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "united",
    "republic",
    "kingdom",
    "states",
    "state",
    "sea",
    "seas",
    "strait",
    "straits",
    "island",
    "islands",
    "gulf",
    "bay",
    "river",
    "lake",
    "mount",
    "mountains",
    "ocean",
    "peninsula",
    "union",
    "ministry",
    "department",
    "university",
    "institute",
    "institution",
    "bank",
    "council",
    "authority",
    "party",
    "company",
    "corporation",
    "association",
    "agency",
    "committee",
    "court",
    "army",
    "navy",
    "government",
    "city",
    "county",
    "province",
    "region",
    "airport",
    "port",
    "station",
    "street",
    "square",
    "wire",
    "news",
    "press",
    "times",
    "post",
];

/// Whether an entity tagged a person has a name a person could have (what [`names::NameFacts`]
/// keeps per name; tests compare with it).
#[cfg(test)]
fn personal(entity: &Entity) -> bool {
    personal_name(entity.kind, &entity.name)
}

/// [`personal`] of an entity's kind and name.
#[cfg(test)]
fn personal_name(kind: EntityKind, name: &str) -> bool {
    kind == EntityKind::Person
        && !name_words(name).any(|w| NOT_IN_PERSONAL_NAMES.contains(&w.to_lowercase().as_str()))
}

fn names_of(entity: &Entity) -> Vec<&str> {
    name_words(&entity.name).collect()
}

#[cfg(test)]
use {
    crate::analysis::{EntityKind, Rule},
    first_reference::QuoteCover,
    spelling::{variant_pair, SpellingIndex},
};

#[cfg(test)]
mod tests;
