//! Mentions the tagger missed: a person's surname standing alone elsewhere in the article.
//!
//! The tagger decides word by word and sometimes misses a bare surname it tagged a paragraph
//! earlier (most often at the start of a sentence: "Lindqvist’s deputy said …"). Once the
//! article has named someone in full, an editor expects every later "Lindqvist" to be that
//! person, so the document pass adds those mentions before linking (the non-local consistency
//! step of Ratinov & Roth's NER, restricted to what linking can attach to a named person).

use rustc_hash::{FxHashMap, FxHasher};
use std::collections::hash_map::Entry;
use std::hash::Hasher;
use std::sync::Arc;

use super::RawMention;
use crate::analysis::model::{EntityKind, Span};

/// `mentions` (sorted by position) plus a person mention for every stand-alone occurrence of the
/// last word of a multi-word person name that no mention covers, in text order.
#[cfg(test)]
pub fn with_missed_surnames(text: &str, mentions: &[RawMention]) -> Vec<RawMention> {
    with_missed_surnames_among(text, mentions, capital_words(text).into_iter())
}

/// The words of `text` that may be a missed surname, in text order: those starting with an
/// ASCII capital or a non-ASCII character. Words never cross a line break, so a document's are
/// its paragraphs' (shifted): the analysis keeps them with each paragraph instead of scanning
/// the whole article on every keystroke.
pub fn capital_words(text: &str) -> Vec<Span> {
    words(text)
        // Every surname starts with a capital: other ASCII words need no lookup.
        .filter(|span| {
            !text.as_bytes()[span.start].is_ascii()
                || text.as_bytes()[span.start].is_ascii_uppercase()
        })
        .collect()
}

/// [`with_missed_surnames`], given the [`capital_words`] of `text` (document offsets, in order).
pub fn with_missed_surnames_among(
    text: &str,
    mentions: &[RawMention],
    candidates: impl Iterator<Item = Span>,
) -> Vec<RawMention> {
    let mut names = FxHashMap::default();
    for (name, _) in surnames(text, mentions) {
        *names.entry(name.into()).or_default() += 1;
    }
    if names.is_empty() {
        return mentions.to_vec();
    }
    let mut covered: Vec<Span> = mentions.iter().map(|m| m.span).collect();
    covered.sort_by_key(|s| s.start);
    let filter = FirstByteAndLength::of(names.keys().map(AsRef::as_ref));
    let mut found: Vec<RawMention> = Vec::new();
    found_among(
        text,
        0,
        candidates,
        &covered,
        &names,
        Some(&filter),
        |span| {
            found.push(RawMention {
                span,
                kind: EntityKind::Person,
            });
        },
    );
    if found.is_empty() {
        return mentions.to_vec();
    }
    found.extend_from_slice(mentions);
    found.sort_by_key(|m| (m.span.start, m.span.end));
    found
}

/// The `words` (offsets from `base` in `text`) that are one of `surnames` and overlap none of
/// `covered` (sorted by start, same offsets), handed to `found` in order.
fn found_among(
    text: &str,
    base: usize,
    words: impl Iterator<Item = Span>,
    covered: &[Span],
    surnames: &FxHashMap<Box<str>, u32>,
    filter: Option<&FirstByteAndLength>,
    mut found: impl FnMut(Span),
) {
    for span in words {
        let Some(word) = text.get(base + span.start..base + span.end) else {
            continue;
        };
        if filter.is_none_or(|f| f.may_hold(word))
            && surnames.contains_key(word)
            && !overlaps(covered, span)
        {
            found(span);
        }
    }
}

/// Whether `span` overlaps one of `covered` (sorted by start). Those starting before its end
/// are all read: a mention may hold another (a work's title naming a person).
fn overlaps(covered: &[Span], span: Span) -> bool {
    let before_end = covered.partition_point(|s| s.start < span.end);
    covered[..before_end].iter().any(|s| s.end > span.start)
}

/// One paragraph as [`recall_cached`] reads it.
#[derive(Debug, Clone, Copy)]
pub struct RecallParagraph<'a, A> {
    /// Document offset of the paragraph's first byte.
    pub base: usize,
    /// What holds the paragraph's [`capital_words`]: the same one (by address) means the same
    /// text and words.
    pub owner: &'a Arc<A>,
    /// The paragraph's [`capital_words`] (paragraph offsets).
    pub words: &'a crate::text::TokenSpans,
    /// Its mentions (paragraph offsets) when it is read as prose, else `None`: the same list
    /// (by address) means the same mentions.
    pub mentions: Option<&'a Arc<[RawMention]>>,
}

/// What recall found in each paragraph and which surnames each gives, kept while a paragraph's
/// words and mentions are the same (the analysis keeps both per paragraph, shared across
/// edits): a name's letter then costs recall a look at the paragraphs that may hold a surname
/// the letter gave or took away, not a look at every capitalised word of the article.
#[derive(Debug, Clone, Default)]
pub struct RecallCache {
    /// Each surname some paragraph gives, with how many times the kept paragraphs give it.
    surnames: FxHashMap<Box<str>, u32>,
    /// Where in `kept` a paragraph's entry is, by the addresses of its owner and mentions (0
    /// when not prose). The entries are kept apart from the map: a hash table is between 44 %
    /// and 88 % full, and its empty slots then take 24 bytes each instead of the 120 of a key
    /// and its entry (1 MB of the 2 MB the table held for the 7,782 paragraphs of 1 MB).
    index: FxHashMap<(usize, usize), u32>,
    /// The entries, in no order.
    kept: Vec<Kept>,
    run: u32,
}

#[derive(Debug, Clone)]
struct Kept {
    /// Held so that the addresses the entry is found by stay theirs while it is kept.
    _owner: Arc<dyn std::any::Any + Send + Sync>,
    _mentions: Option<Arc<[RawMention]>>,
    /// The surnames the paragraph's mentions give, with repeats.
    surnames: Box<[Box<str>]>,
    /// Which words the paragraph's capital words may be.
    words: WordSet,
    /// The words found (paragraph offsets) when the surnames were last those of the cache.
    found: Box<[Span]>,
    /// The last run that read this paragraph.
    run: u32,
    /// `found` is to be worked out (a paragraph new to the cache).
    fresh: bool,
}

/// [`RecallCache::index`]'s place for an entry not yet in [`RecallCache::kept`].
const PLACED_BELOW: u32 = u32::MAX;

impl Kept {
    /// The key the entry is found by in [`RecallCache::index`].
    fn key(&self) -> (usize, usize) {
        let owner = Arc::as_ptr(&self._owner) as *const () as usize;
        let mentions = self
            ._mentions
            .as_ref()
            .map_or(0, |m| Arc::as_ptr(m) as *const () as usize);
        (owner, mentions)
    }
}

/// The person mentions recall adds to the `paragraphs`' mentions ([`with_missed_surnames`]
/// over the whole document: in document order, document offsets), reusing from `cache` what
/// each paragraph found while its words, its mentions and the surnames it could hold are
/// unchanged.
pub fn recall_cached<A: std::any::Any + Send + Sync>(
    text: &str,
    paragraphs: &[RecallParagraph<'_, A>],
    cache: &mut RecallCache,
) -> Vec<RawMention> {
    cache.run = cache.run.wrapping_add(1);
    let run = cache.run;
    let key = |p: &RecallParagraph<'_, A>| {
        let owner = Arc::as_ptr(p.owner) as *const () as usize;
        let mentions = p
            .mentions
            .map_or(0, |m| Arc::as_ptr(m) as *const () as usize);
        (owner, mentions)
    };
    // Surnames a paragraph new to the cache gives, or one no longer read took away.
    let mut changed: Vec<Box<str>> = Vec::new();
    // Entries for the paragraphs new to the cache: placed once the gone ones have left their
    // places, so that the list grows only by what the document grew.
    let mut new = Vec::new();
    for p in paragraphs {
        match cache.index.entry(key(p)) {
            Entry::Occupied(e) => {
                if let Some(kept) = cache.kept.get_mut(*e.get() as usize) {
                    kept.run = run;
                }
            }
            Entry::Vacant(v) => {
                let local = p.mentions.map_or(&[][..], |m| &m[..]);
                let own = text.get(p.base..).unwrap_or_default();
                let names: Box<[Box<str>]> =
                    surnames(own, local).map(|(name, _)| name.into()).collect();
                for name in names.iter() {
                    let count = cache.surnames.entry(name.clone()).or_default();
                    *count += 1;
                    if *count == 1 {
                        changed.push(name.clone());
                    }
                }
                // Placed below; no kept entry has this place.
                v.insert(PLACED_BELOW);
                new.push(Kept {
                    _owner: Arc::clone(p.owner) as Arc<dyn std::any::Any + Send + Sync>,
                    _mentions: p.mentions.cloned(),
                    surnames: names,
                    words: WordSet::of(
                        p.words
                            .iter()
                            .filter_map(|w| text.get(p.base + w.start..p.base + w.end)),
                    ),
                    found: Box::new([]),
                    run,
                    fresh: true,
                });
            }
        }
    }
    // Entries no paragraph read this run go; a new entry, else the last one, takes a gone
    // one's place.
    let mut at = 0;
    while let Some(kept) = cache.kept.get(at) {
        if kept.run == run {
            at += 1;
            continue;
        }
        let gone = match new.pop() {
            Some(fresh) => {
                cache.index.insert(fresh.key(), at as u32);
                std::mem::replace(&mut cache.kept[at], fresh)
            }
            None => {
                let gone = cache.kept.swap_remove(at);
                if let Some(moved) = cache.kept.get(at) {
                    cache.index.insert(moved.key(), at as u32);
                }
                gone
            }
        };
        cache.index.remove(&gone.key());
        for name in gone.surnames.iter() {
            if let Some(count) = cache.surnames.get_mut(name) {
                *count -= 1;
                if *count == 0 {
                    cache.surnames.remove(name);
                    changed.push(name.clone());
                }
            }
        }
    }
    // An eighth to spare, not the doubling of `push`: the list is a document's paragraphs.
    let len = cache.kept.len() + new.len();
    if cache.kept.is_empty() {
        // The first run (or every paragraph new): the new entries are the list.
        new.shrink_to(len + len / 8);
        cache.kept = new;
        for (at, kept) in cache.kept.iter().enumerate() {
            cache.index.insert(kept.key(), at as u32);
        }
        new = Vec::new();
    } else if cache.kept.capacity() < len || cache.kept.capacity() > len + len / 4 {
        let mut kept = Vec::with_capacity(len + len / 8);
        kept.append(&mut cache.kept);
        cache.kept = kept;
    }
    for kept in new {
        // A document's paragraphs number fewer than 2^32 - 1 (each takes at least a byte).
        cache.index.insert(kept.key(), cache.kept.len() as u32);
        cache.kept.push(kept);
    }
    let changed: Vec<[u64; 2]> = changed.iter().map(|w| WordSet::bits(w)).collect();
    let mut found = Vec::new();
    for p in paragraphs {
        let Some(kept) = cache
            .index
            .get(&key(p))
            .and_then(|&at| cache.kept.get_mut(at as usize))
        else {
            continue;
        };
        if kept.fresh || changed.iter().any(|&bits| kept.words.may_hold(bits)) {
            kept.fresh = false;
            let mut covered: Vec<Span> = p
                .mentions
                .map_or(&[][..], |m| &m[..])
                .iter()
                .map(|m| m.span)
                .collect();
            covered.sort_by_key(|s| s.start);
            let mut here = Vec::new();
            let words = p.words.iter();
            found_among(text, p.base, words, &covered, &cache.surnames, None, |s| {
                here.push(s)
            });
            kept.found = here.into();
        }
        found.extend(kept.found.iter().map(|s| RawMention {
            span: s.shifted(p.base),
            kind: EntityKind::Person,
        }));
    }
    found
}

/// A 256-bit Bloom filter of words (two bits a word): whether a paragraph may hold a word.
#[derive(Debug, Clone, Copy, Default)]
struct WordSet([u64; 4]);

impl WordSet {
    fn of<'w>(words: impl Iterator<Item = &'w str>) -> WordSet {
        let mut set = WordSet::default();
        for w in words {
            for bit in WordSet::bits(w) {
                set.0[(bit / 64) as usize] |= 1 << (bit % 64);
            }
        }
        set
    }

    /// The word's two bit positions (below 256).
    fn bits(word: &str) -> [u64; 2] {
        let mut h = FxHasher::default();
        h.write(word.as_bytes());
        let h = h.finish();
        [h & 255, (h >> 8) & 255]
    }

    fn may_hold(&self, bits: [u64; 2]) -> bool {
        bits.iter()
            .all(|&bit| self.0[(bit / 64) as usize] & (1 << (bit % 64)) != 0)
    }
}

/// Which (first byte, length) pairs the surnames have: most of an article's capitalised words
/// ("The", "He", sentence starts) have none of them and need no hash lookup, which matters as
/// every capitalised word of the article is looked at on every keystroke.
struct FirstByteAndLength {
    /// Bit `len % 64` of `bits[first byte]`.
    bits: [u64; 256],
}

impl FirstByteAndLength {
    fn of<'w>(words: impl Iterator<Item = &'w str>) -> Self {
        let mut bits = [0u64; 256];
        for w in words {
            if let Some(&b) = w.as_bytes().first() {
                bits[usize::from(b)] |= 1 << (w.len() % 64);
            }
        }
        FirstByteAndLength { bits }
    }

    /// False only when `word` is certainly none of the words.
    fn may_hold(&self, word: &str) -> bool {
        word.as_bytes()
            .first()
            .is_some_and(|&b| self.bits[usize::from(b)] & (1 << (word.len() % 64)) != 0)
    }
}

/// Last words of the person mentions that have at least two words: capitalised, three letters or
/// more, without a possessive ending; with repeats, in the order of `mentions`.
fn surnames<'t>(
    text: &'t str,
    mentions: &'t [RawMention],
) -> impl Iterator<Item = (&'t str, Span)> + 't {
    mentions
        .iter()
        .filter(|m| m.kind == EntityKind::Person)
        .filter_map(move |m| {
            let name = text.get(m.span.start..m.span.end)?;
            let mut words = name.split_whitespace();
            let last = words.next_back()?;
            words.next()?; // not a single word
            let last = last
                .strip_suffix("’s")
                .or_else(|| last.strip_suffix("'s"))
                .unwrap_or(last);
            (last.chars().count() >= 3
                && last.chars().next().is_some_and(char::is_uppercase)
                && last.chars().all(char::is_alphanumeric))
            .then_some((last, m.span))
        })
}

/// Spans of the words of `text`: maximal runs of letters and digits (hyphens and apostrophes end
/// a word, so "Lindqvist’s" yields "Lindqvist"). This runs over the whole article on every
/// keystroke, so it walks bytes and decodes only non-ASCII characters.
fn words(text: &str) -> impl Iterator<Item = Span> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        let mut start: Option<usize> = None;
        while i < bytes.len() {
            let b = bytes[i];
            let (alphanumeric, len) = if b.is_ascii() {
                (b.is_ascii_alphanumeric(), 1)
            } else {
                text.get(i..)
                    .and_then(|rest| rest.chars().next())
                    .map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8()))
            };
            if alphanumeric {
                start.get_or_insert(i);
            } else if let Some(s) = start {
                let span = Span::new(s, i);
                i += len;
                return Some(span);
            }
            i += len;
        }
        start.map(|s| Span::new(s, text.len()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(text: &str, name: &str, kind: EntityKind) -> RawMention {
        let start = text.find(name).expect("name in text");
        RawMention {
            span: Span::new(start, start + name.len()),
            kind,
        }
    }

    #[test]
    fn a_bare_possessive_surname_the_tagger_missed_becomes_a_mention() {
        let text = "Tobias Lindqvist spoke. Lindqvist’s deputy, Hanne Brekke, agreed.";
        let found = with_missed_surnames(
            text,
            &[
                mention(text, "Tobias Lindqvist", EntityKind::Person),
                mention(text, "Hanne Brekke", EntityKind::Person),
            ],
        );
        let spans: Vec<&str> = found
            .iter()
            .map(|m| &text[m.span.start..m.span.end])
            .collect();
        assert_eq!(spans, ["Tobias Lindqvist", "Lindqvist", "Hanne Brekke"]);
        assert_eq!(found[1].kind, EntityKind::Person);
    }

    #[test]
    fn covered_words_single_names_and_parts_of_other_words_are_left_alone() {
        let text = "Ann Ode met Ode Group. Odense voted; Ode left. Smith said.";
        let found = with_missed_surnames(
            text,
            &[
                mention(text, "Ann Ode", EntityKind::Person),
                mention(text, "Ode Group", EntityKind::Organization),
                mention(text, "Smith", EntityKind::Person),
            ],
        );
        let spans: Vec<(usize, &str)> = found
            .iter()
            .map(|m| (m.span.start, &text[m.span.start..m.span.end]))
            .collect();
        assert_eq!(
            spans,
            [
                (0, "Ann Ode"),
                (12, "Ode Group"),
                (37, "Ode"),
                (47, "Smith")
            ]
        );
    }

    /// A paragraph's base, words (its owner) and mentions.
    type Paragraph = (usize, Arc<crate::text::TokenSpans>, Arc<[RawMention]>);

    /// Paragraphs of a document as [`recall_cached`] reads them: each paragraph's text (its
    /// owner, shared while it is unchanged), words and mentions.
    struct Doc {
        text: String,
        paragraphs: Vec<Paragraph>,
    }

    impl Doc {
        /// `paragraphs`: each one's text and the person names in it, as `(text, names)`;
        /// unchanged paragraphs keep `kept`'s owner and mentions.
        fn new(paragraphs: &[(&str, &[&str])], kept: Option<&Doc>) -> Doc {
            let mut text = String::new();
            let mut out = Vec::new();
            for (i, (para, names)) in paragraphs.iter().enumerate() {
                let base = text.len();
                text.push_str(para);
                text.push_str("\n\n");
                let mentions: Vec<RawMention> = names
                    .iter()
                    .map(|n| mention(para, n, EntityKind::Person))
                    .collect();
                let same_text = kept.and_then(|k| {
                    let (b, words, kept_mentions) = k.paragraphs.get(i)?;
                    let end = k.text[*b..].find("\n\n")? + b;
                    (k.text[*b..end] == **para).then_some((words, kept_mentions))
                });
                let words = same_text.map_or_else(
                    || Arc::new(capital_words(para).into()),
                    |(words, _)| Arc::clone(words),
                );
                let mentions = match same_text {
                    Some((_, kept)) if kept[..] == mentions[..] => Arc::clone(kept),
                    _ => mentions.into(),
                };
                out.push((base, words, mentions));
            }
            Doc {
                text,
                paragraphs: out,
            }
        }

        fn recall(&self, cache: &mut RecallCache) -> Vec<&str> {
            let paragraphs: Vec<RecallParagraph<'_, crate::text::TokenSpans>> = self
                .paragraphs
                .iter()
                .map(|(base, words, mentions)| RecallParagraph {
                    base: *base,
                    owner: words,
                    words,
                    mentions: Some(mentions),
                })
                .collect();
            let found = recall_cached(&self.text, &paragraphs, cache);
            // As recall over the whole document finds them.
            let all: Vec<RawMention> = self
                .paragraphs
                .iter()
                .flat_map(|(base, _, ms)| ms.iter().map(|m| m.shifted(*base)))
                .collect();
            let whole: Vec<RawMention> = with_missed_surnames(&self.text, &all)
                .into_iter()
                .filter(|m| !all.contains(m))
                .collect();
            assert_eq!(
                found, whole,
                "recall with the cache differs from recall afresh"
            );
            found
                .iter()
                .map(|m| &self.text[m.span.start..m.span.end])
                .collect()
        }
    }

    #[test]
    fn kept_paragraphs_find_a_surname_a_name_letter_gives_or_takes_away() {
        let mut cache = RecallCache::default();
        let named = |name: &'static str| -> [(&'static str, &'static [&'static str]); 3] {
            [
                ("Ode said so. Odegaard left.", &[]),
                (name, &[]),
                ("Lund agreed with Ode.", &[]),
            ]
        };
        let typed = |text: &'static str, names: &'static [&'static str]| {
            [named("")[0], (text, names), named("")[2]]
        };
        let first = Doc::new(&typed("Ann Od spoke.", &["Ann Od"]), None);
        assert!(first.recall(&mut cache).is_empty());
        // The other paragraphs are kept (the same owners and mentions): only the typed one is new.
        let second = Doc::new(&typed("Ann Ode spoke.", &["Ann Ode"]), Some(&first));
        assert!(Arc::ptr_eq(&first.paragraphs[0].1, &second.paragraphs[0].1));
        assert_eq!(second.recall(&mut cache), ["Ode", "Ode"]);
        let third = Doc::new(&typed("Ann Odeg spoke.", &["Ann Odeg"]), Some(&second));
        assert!(third.recall(&mut cache).is_empty());
        let fourth = Doc::new(
            &typed("Ann Odegaard spoke.", &["Ann Odegaard"]),
            Some(&third),
        );
        assert_eq!(fourth.recall(&mut cache), ["Odegaard"]);
        // A paragraph's own mention covers the word: its mentions are read again with it (its
        // text, and so its owner, is the same).
        let covered = Doc::new(
            &[
                ("Ode said so. Odegaard left.", &["Odegaard"]),
                ("Ann Odegaard spoke.", &["Ann Odegaard"]),
                named("")[2],
            ],
            Some(&fourth),
        );
        assert!(Arc::ptr_eq(
            &fourth.paragraphs[0].1,
            &covered.paragraphs[0].1
        ));
        assert!(covered.recall(&mut cache).is_empty());
        // The name gone from every paragraph: so is its surname.
        let gone = Doc::new(&typed("Ann spoke.", &[]), Some(&covered));
        assert!(gone.recall(&mut cache).is_empty());
    }
}
