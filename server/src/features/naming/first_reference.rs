//! `first-reference`: a person's first mention in the copy gives the full name, later ones the
//! short form.

use rustc_hash::{FxHashMap, FxHashSet};

use super::super::article::Article;
use super::super::edit::{Fix, TextEdit};
use super::names::{NameFacts, NameTable};
use super::{Found, LineRef, MentionWords, NamingFinding, Origin, Recheck};
use crate::analysis::{Entity, EntityKind, Finding, Rule, Span};
use crate::config::register::{fold_name, name_words, Register, RegisterEntry};

/// The findings about the people `which` selects, each with its origin (the person), and who
/// those people were (when not all). `names` gives each name's words, kept between checks.
pub(super) fn first_references(
    article: &Article,
    register: &Register,
    words: &mut MentionWords,
    names: &mut NameTable,
    which: &Recheck,
) -> (Vec<Found>, FxHashSet<usize>) {
    let entities = &article.analysis.entities;
    let ids = names.of_all(entities);
    let names = &*names;
    let people: Vec<(&Entity, &NameFacts)> = entities
        .iter()
        .zip(&ids)
        .map(|(e, &id)| (e, names.facts(id)))
        .filter(|(e, facts)| facts.personal(e.kind))
        .collect();
    // Folded name word → the people with two or more name words that contain it (ascending ids,
    // each once): who shares a name with whom, without comparing every pair of people.
    let mut sharing: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for (other, facts) in &people {
        if facts.folds.len() >= 2 {
            for &w in &facts.fold_ids {
                let ids = sharing.entry(w).or_default();
                if ids.last() != Some(&other.id) {
                    ids.push(other.id);
                }
            }
        }
    }
    // The people whose findings may differ: those changed, and those holding a word of a
    // changed name (their `shared` below may differ; a one-word name does not read it).
    let rechecked: FxHashSet<usize> = match which {
        Recheck::All => FxHashSet::default(),
        Recheck::Only { changed, words, .. } => words
            .iter()
            .filter_map(|w| sharing.get(&names.fold_id(w)?))
            .flatten()
            .chain(changed.iter())
            .copied()
            .collect(),
    };
    let mut out = Vec::new();
    let mut found = Vec::new();
    // Built when a person is checked (a keystroke's partial check may check none).
    let mut quotes = None;
    for &(entity, facts) in &people {
        if matches!(which, Recheck::Only { .. }) && !rechecked.contains(&entity.id) {
            continue;
        }
        let context = Context {
            article,
            register,
            quotes: quotes.get_or_insert_with(|| QuoteCover::new(article)),
            sharing: &sharing,
        };
        person_references(&context, words, entity, facts, &mut found);
        out.extend(found.drain(..).map(|(finding, line)| Found {
            finding,
            origin: Origin::Person(entity.id),
            line,
        }));
    }
    (out, rechecked)
}

/// What the findings about one person read besides the person.
struct Context<'c, 'a> {
    article: &'c Article<'a>,
    register: &'c Register,
    quotes: &'c QuoteCover,
    /// Folded name word (id) → the people with two or more name words holding it.
    sharing: &'c FxHashMap<u32, Vec<usize>>,
}

/// The findings about `entity` (whose name's facts are `facts`)'s references, appended to
/// `out`, each with the line number its message quotes.
fn person_references(
    context: &Context,
    words: &mut MentionWords,
    entity: &Entity,
    facts: &NameFacts,
    out: &mut Vec<(NamingFinding, Option<LineRef>)>,
) {
    let Context {
        article,
        register,
        quotes,
        sharing,
    } = *context;
    let name: &[String] = &facts.folds;
    let copy: Vec<Span> = entity
        .mentions
        .iter()
        .map(|m| m.span)
        .filter(|&s| article.in_body(s) && !quotes.contains(s))
        .collect();
    let Some(&first) = copy.first() else { return };
    if name.len() < 2 {
        if let Some(entry) = register_full_name(register, entity) {
            let mention = article.mention_name(first);
            out.push(bare_first_reference(
                article,
                words,
                first,
                &entry.name,
                mention,
                |msg| {
                    let message = format!(
                        "{msg}; the newsroom register gives the full name “{}”",
                        entry.name
                    );
                    (message, None)
                },
            ));
        }
        return;
    }
    if !is_full(words, first, name) {
        let mention = article.mention_name(first);
        let full_at = entity
            .mentions
            .iter()
            .map(|m| m.span)
            .find(|&s| is_full(words, s, name));
        out.push(bare_first_reference(
            article,
            words,
            first,
            &entity.name,
            mention,
            |msg| match full_at {
                Some(s) => {
                    let before = format!("{msg}; the full name appears on line ");
                    let (message, line) = LineRef::message(article, before, s.start, "");
                    (message, Some(line))
                }
                None => (msg, None),
            },
        ));
    }
    // A later full name is deliberate when another named person shares one of the names (a
    // lone surname that the linker left apart is the same person, not another one).
    let shared = facts.fold_ids.iter().any(|n| {
        sharing
            .get(n)
            .is_some_and(|ids| ids.iter().any(|&id| id != entity.id))
    });
    let Some(first_full) = copy.iter().position(|&s| is_full(words, s, name)) else {
        return;
    };
    if shared {
        return;
    }
    // Worked out at the first later full name (most people have none).
    let mut short: Option<String> = None;
    let introduced = copy[first_full].start;
    for &span in &copy[first_full + 1..] {
        if !is_full(words, span, name) {
            continue;
        }
        let Some(target) = name_part(words, span, name) else {
            continue;
        };
        let short = short
            .get_or_insert_with(|| short_form(words, entity, name))
            .clone();
        let before = format!("{} was introduced in full on line ", entity.name);
        let after = format!("; later references use “{short}”");
        let (message, line) = LineRef::message(article, before, introduced, &after);
        let title = format!("Shorten to “{short}”");
        out.push((finding(target, message, title, short), Some(line)));
    }
}

/// A first-reference finding at `span` whose fix (`title`) replaces the span with `replacement`.
fn finding(
    span: Span,
    message: String,
    title: String,
    replacement: impl Into<String>,
) -> NamingFinding {
    NamingFinding {
        finding: Finding {
            rule: Rule::FirstReference,
            severity: Rule::FirstReference.default_severity(),
            span,
            message: message.into(),
        },
        fix: Some(Fix {
            title,
            edits: vec![TextEdit::replace(span, replacement)],
        }),
    }
}

/// Whether the mention at `span` holds every word of the (folded) `name`.
fn is_full(words: &mut MentionWords, span: Span, name: &[String]) -> bool {
    let split = words.of(span);
    name.iter()
        .all(|n| split.words.iter().any(|w| w.fold == *n))
}

fn register_full_name<'r>(register: &'r Register, entity: &Entity) -> Option<&'r RegisterEntry> {
    register
        .lookup(EntityKind::Person, [&*entity.name])
        .filter(|entry| name_words(&entry.name).count() >= 2)
}

fn bare_first_reference(
    article: &Article,
    words: &mut MentionWords,
    first: Span,
    full: &str,
    mention: &str,
    detail: impl FnOnce(String) -> (String, Option<LineRef>),
) -> (NamingFinding, Option<LineRef>) {
    let full_words: Vec<String> = name_words(full).map(fold_name).collect();
    let target = name_part(words, first, &full_words).unwrap_or_else(|| article.name_span(first));
    let (message, line) = detail(format!(
        "First reference to {full} is the bare “{mention}”: give the full name here"
    ));
    let title = format!("Use the full name “{full}”");
    (finding(target, message, title, full), line)
}

/// The span of a mention from its first to its last word that belongs to the name (leaving a
/// title such as "President" and a possessive ending outside).
fn name_part(words: &mut MentionWords, span: Span, name: &[String]) -> Option<Span> {
    let split = words.of(span);
    let mut in_name = split.words.iter().filter(|w| name.contains(&w.fold));
    let first = in_name.next()?;
    let last = in_name.next_back().unwrap_or(first);
    Some(Span::new(span.start + first.start, span.start + last.end))
}

/// The short form for later references: the most frequent partial mention, else the last word.
fn short_form(words: &mut MentionWords, entity: &Entity, name: &[String]) -> String {
    let mut counts: FxHashMap<String, (usize, usize)> = FxHashMap::default();
    for m in &entity.mentions {
        let split = words.of(m.span);
        let in_name: Vec<&str> = split
            .words
            .iter()
            .filter(|w| name.contains(&w.fold))
            .map(|w| &split.text[w.start..w.end])
            .collect();
        if in_name.is_empty() || in_name.len() >= name.len() {
            continue;
        }
        let form = in_name.join(" ");
        let slot = counts.entry(form).or_insert((0, m.span.start));
        slot.0 += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(_, (count, first))| (*count, std::cmp::Reverse(*first)))
        .map(|(form, _)| form)
        .or_else(|| name_words(&entity.name).last().map(str::to_string))
        .unwrap_or_else(|| entity.name.to_string())
}

/// Whether a span lies inside a quotation, by binary search: quotations sorted by start with
/// the running maximum of their ends ([`Article::in_quote`] scans them all, once per mention).
pub(super) struct QuoteCover {
    starts: Vec<usize>,
    max_end: Vec<usize>,
}

impl QuoteCover {
    pub(super) fn new(article: &Article) -> Self {
        let mut spans: Vec<Span> = article.analysis.quotes.iter().map(|q| q.span).collect();
        spans.sort_by_key(|s| s.start);
        let mut max_end = Vec::with_capacity(spans.len());
        let mut running = 0;
        for s in &spans {
            running = running.max(s.end);
            max_end.push(running);
        }
        QuoteCover {
            starts: spans.iter().map(|s| s.start).collect(),
            max_end,
        }
    }

    /// Some quotation starts at or before `span` and ends at or after it.
    pub(super) fn contains(&self, span: Span) -> bool {
        let n = self.starts.partition_point(|&start| start <= span.start);
        n > 0 && self.max_end[n - 1] >= span.end
    }
}
