//! What linking reads from the text around each mention (bare name, title, acronym, descriptors),
//! computed once per mention and reused across edits while the text around it is unchanged.
//!
//! Linking groups every mention of the document on every keystroke; re-tokenising a few hundred
//! bytes around each mention to do so made it the dominant cost of a keystroke. A
//! [`MentionContext`] depends only on the bytes within [`MARGIN`] of its mention (see the window
//! arithmetic in `descriptors`: 240 bytes each side, the 24 bytes an acronym is looked for in,
//! and char-boundary and whitespace adjustments), so [`LinkCache::edited`] keeps it exactly when
//! an edit leaves that window alone, and moves it with the text.

use rustc_hash::FxHashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use super::descriptors::{self, tokens_before, tokens_in};
use super::linking::is_acronym_of;
use super::names::{is_capitalised, is_possessive, leading_title_len, name_key, title_ending_at};
use super::RawMention;
use crate::analysis::model::{EntityKind, Span};

mod cache;

pub use cache::LinkCache;

/// How far around a mention its context may read, in bytes (more than it does).
const MARGIN: usize = 320;

/// The bit of a marked index that says the context was described anew since (indices stay
/// below it).
pub(super) const REDESCRIBED: u32 = 1 << 31;

/// One mention being linked.
#[derive(Debug, Clone)]
pub(super) struct Item {
    /// The bare name's span (no title, no possessive).
    pub name: Span,
    /// The span reported as the mention: the name with any title before it.
    pub shown: Span,
    pub kind: EntityKind,
    /// Lowercased words of the bare name (shared with the cached context: items are made anew
    /// for every mention on every pass).
    pub words: Arc<[String]>,
    /// The words joined with spaces: the spelling linking groups by.
    pub key: Arc<str>,
    /// [`key_hash`] of `key`, worked out once per spelling (linking's groups hash every
    /// item's key on every run: ≈ 0.5 M instructions at 1 MB).
    pub key_hash: u64,
    /// As written, whitespace normalised.
    pub written: Arc<str>,
    /// Index of the mention's context in the list linking works from (`None` for an acronym
    /// linking found in parentheses, which is not a recogniser mention).
    pub context: Option<usize>,
    /// For such an acronym, the context index of the item it abbreviates.
    pub abbreviates: Option<usize>,
}

/// What linking reads from the text around one mention; spans as of when it was computed.
///
/// Kept for every mention of the document for its lifetime, so what most mentions lack is
/// boxed (an acronym) and what each run sets is left out of the item (≈ 72 bytes a mention).
#[derive(Debug)]
pub struct MentionContext {
    /// The mention's start when this was computed: spans below are shifted by its movement.
    origin: usize,
    item: Option<Bare>,
    /// "( ACR )" right after the name, when ACR abbreviates it.
    acronym: Option<Box<(Span, String)>>,
    /// Descriptors around the bare name, computed when first asked for (only people need them).
    descriptors: OnceLock<Box<[String]>>,
    /// Where linking's runs left this mention's item and the item of an acronym found after
    /// it: the run's number and the item's index, packed (see [`MentionContext::mark`]).
    /// Linking finds an item's record of the last run here instead of in a map by address.
    linked: [AtomicU64; 2],
}

fn shift(span: Span, from: usize, to: usize) -> Span {
    Span::new(span.start + to - from, span.end + to - from)
}

impl MentionContext {
    fn compute(text: &str, m: RawMention, spellings: &mut Spellings) -> MentionContext {
        let item = bare_name(text, m, spellings);
        let acronym = item.as_ref().and_then(|it| {
            let after = tokens_in(text, it.shown.end, (it.shown.end + 24).min(text.len()));
            let [open, acr, close, ..] = after.as_slice() else {
                return None;
            };
            (open.text == "(" && close.text == ")" && is_acronym_of(acr.text, &it.spelling.written))
                .then(|| Box::new((acr.span, acr.text.to_string())))
        });
        MentionContext {
            origin: m.span.start,
            item,
            acronym,
            descriptors: OnceLock::new(),
            linked: [AtomicU64::new(0), AtomicU64::new(0)],
        }
    }

    /// Records that linking run `run` (never 0) made `index` the item of this mention (or, with
    /// `acronym`, of the acronym after it).
    pub(super) fn mark(&self, acronym: bool, run: u32, index: u32) {
        let packed = (u64::from(run) << 32) | u64::from(index);
        self.linked[usize::from(acronym)].store(packed, Ordering::Relaxed);
    }

    /// The index [`MentionContext::mark`] recorded for run `run`, if that run marked it last.
    pub(super) fn marked(&self, acronym: bool, run: u32) -> Option<u32> {
        let packed = self.linked[usize::from(acronym)].load(Ordering::Relaxed);
        ((packed >> 32) as u32 == run).then_some(packed as u32 & !REDESCRIBED)
    }

    /// Whether this context took the place of one run `run` marked that read the same item but
    /// other descriptors (see [`LinkCache::edited_same`]): its entity is described anew.
    pub(super) fn redescribed(&self, run: u32) -> bool {
        let packed = self.linked[0].load(Ordering::Relaxed);
        (packed >> 32) as u32 == run && packed as u32 & REDESCRIBED != 0
    }

    /// Takes over the mark of `old` (the same item, other descriptors), flagged as described anew.
    fn take_mark(&self, old: &MentionContext) {
        let packed = old.linked[0].load(Ordering::Relaxed);
        if packed != 0 {
            self.linked[0].store(packed | u64::from(REDESCRIBED), Ordering::Relaxed);
        }
    }

    /// The mention's item, for a mention now starting at `start`, as the `index`th context.
    pub(super) fn item(&self, start: usize, index: usize) -> Option<Item> {
        let it = self.item.as_ref()?;
        Some(Item {
            name: shift(it.name, self.origin, start),
            shown: shift(it.shown, self.origin, start),
            kind: it.kind,
            words: Arc::clone(&it.spelling.words),
            key: Arc::clone(&it.spelling.key),
            key_hash: it.spelling.key_hash,
            written: Arc::clone(&it.spelling.written),
            context: Some(index),
            abbreviates: None,
        })
    }

    /// The node grouping run `run` (never 0) gave this mention's key, if it recorded one for
    /// its spelling ([`MentionContext::set_key_node`]).
    pub(super) fn key_node(&self, run: u32) -> Option<u32> {
        let packed = self.item.as_ref()?.spelling.node.load(Ordering::Relaxed);
        ((packed >> 32) as u32 == run).then_some(packed as u32)
    }

    /// Records that grouping run `run` gave this mention's key node `node`, for every mention
    /// spelled alike. Spellings are shared only within one document's cache (and its clones):
    /// a run that finds another run's mark looks the key up instead.
    pub(super) fn set_key_node(&self, run: u32, node: u32) {
        if let Some(it) = &self.item {
            let packed = (u64::from(run) << 32) | u64::from(node);
            it.spelling.node.store(packed, Ordering::Relaxed);
        }
    }

    /// The acronym after the name, for the name now starting at `name_start`.
    pub(super) fn acronym(&self, name_start: usize) -> Option<(Span, &str)> {
        let it = self.item.as_ref()?;
        let (span, text) = self.acronym.as_deref()?;
        Some((shift(*span, it.name.start, name_start), text.as_str()))
    }

    /// Whether `new` (the context of this one's mention moved to `new_start` in `text`) reads as
    /// this one (for its mention at `old_start`) with offsets moved by `moved`; `new` then holds
    /// the descriptors wherever this one does. An acronym counts as a difference (linking reads
    /// the text around it too).
    fn reads_as(
        &self,
        old_start: usize,
        new: &MentionContext,
        new_start: usize,
        text: &str,
        moved: impl Fn(usize) -> Option<usize>,
    ) -> bool {
        let span = |s: Span| {
            moved(s.start)
                .zip(moved(s.end))
                .map(|(a, b)| Span::new(a, b))
        };
        let items = match (self.item(old_start, 0), new.item(new_start, 0)) {
            (None, None) => true,
            (Some(a), Some(b)) => {
                span(a.name) == Some(b.name)
                    && span(a.shown) == Some(b.shown)
                    && a.kind == b.kind
                    && a.words == b.words
                    && a.key == b.key
                    && a.written == b.written
            }
            _ => false,
        };
        if !items || self.acronym.is_some() || new.acronym.is_some() {
            return false;
        }
        match (self.descriptors.get(), new.item(new_start, 0)) {
            (None, _) => true,
            (Some(old), Some(item)) => new.descriptors(text, item.name) == &old[..],
            (Some(_), None) => false,
        }
    }

    /// Whether this context, for its mention moved to `start`, gives exactly what `new` (worked
    /// out afresh for the mention there in `text`) gives: the same item and acronym at `start`,
    /// and the same descriptors where this one has them. It may then stand for `new`, so that
    /// linking recognises the mention as one it has grouped before (see
    /// `linking::incremental`).
    fn stands_for(&self, new: &MentionContext, start: usize, text: &str) -> bool {
        match self.same_item(new, start) {
            None => false,
            Some(None) => true,
            Some(Some(name)) => self
                .descriptors
                .get()
                .is_none_or(|old| new.descriptors(text, name) == &old[..]),
        }
    }

    /// Whether this context, for its mention moved to `start`, gives the same item and acronym
    /// as `new`: `Some` of the bare name's span (`Some(None)`: neither has an item).
    fn same_item(&self, new: &MentionContext, start: usize) -> Option<Option<Span>> {
        match (self.item(start, 0), new.item(start, 0)) {
            (None, None) => Some(None),
            (Some(a), Some(b))
                if a.name == b.name
                    && a.shown == b.shown
                    && a.kind == b.kind
                    && a.words == b.words
                    && a.key == b.key
                    && a.written == b.written =>
            {
                (self.acronym(a.name.start) == new.acronym(a.name.start)).then_some(Some(a.name))
            }
            _ => None,
        }
    }

    /// The descriptors around `name` (the item's bare name in the current `text`).
    pub(super) fn descriptors(&self, text: &str, name: Span) -> &[String] {
        self.descriptors
            .get_or_init(|| descriptors::around(text, name).into_boxed_slice())
    }
}

/// A mention's [`Item`] as its context keeps it: without what each linking run sets.
#[derive(Debug)]
struct Bare {
    name: Span,
    shown: Span,
    kind: EntityKind,
    /// Shared with every other mention spelled alike (see [`Spellings`]).
    spelling: Arc<Spelling>,
}

/// How a name is spelled, as [`Item`] has it: its words, key and written form.
#[derive(Debug)]
struct Spelling {
    words: Arc<[String]>,
    key: Arc<str>,
    /// [`key_hash`] of `key`.
    key_hash: u64,
    written: Arc<str>,
    /// The node linking's groups gave this spelling's key in one run, packed with the run's
    /// number (see [`MentionContext::key_node`]): the mentions spelled alike find it here
    /// instead of in a map by key (a lookup an item, ≈ 0.8 M instructions at 1 MB).
    node: AtomicU64,
}

/// Equal as spellings: the node a run left is not part of it.
impl PartialEq for Spelling {
    fn eq(&self, other: &Spelling) -> bool {
        self.words == other.words && self.key == other.key && self.written == other.written
    }
}

impl Eq for Spelling {}

impl std::hash::Hash for Spelling {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.words.hash(state);
        self.key.hash(state);
        self.written.hash(state);
    }
}

/// The bare name of a mention: title and possessive split off, a title just before it taken in.
fn bare_name(text: &str, m: RawMention, spellings: &mut Spellings) -> Option<Bare> {
    let mut toks = tokens_in(text, m.span.start, m.span.end);
    while toks.last().is_some_and(|t| is_possessive(t.text)) {
        toks.pop();
    }
    // A title the recogniser included is reported with the mention but is not the name.
    let texts: Vec<&str> = toks.iter().map(|t| t.text).collect();
    let mut first = leading_title_len(&texts);
    let mention_start = toks.first()?.span.start;
    let before = tokens_before(text, mention_start);
    let before_texts: Vec<&str> = before.iter().map(|t| t.text).collect();
    // "Minister of Finance Ola Dahl" recognised as "Finance Ola Dahl": a title that starts
    // before the mention and ends inside it.
    let straddling = (1..texts.len()).rev().find_map(|k| {
        let joined: Vec<&str> = before_texts.iter().chain(&texts[..k]).copied().collect();
        title_ending_at(&joined, joined.len())
            .filter(|&len| len > k)
            .map(|len| (k, len - k))
    });
    let mut title_before = title_ending_at(&before_texts, before_texts.len());
    if first == 0 {
        if let Some((inside, outside)) = straddling {
            first = inside;
            title_before = Some(outside);
        }
    }
    let (Some(head), Some(tail)) = (toks.get(first), toks.last()) else {
        return None;
    };
    let name = Span::new(head.span.start, tail.span.end);
    let mut kind = m.kind;
    let mut shown = Span::new(mention_start, name.end);
    if let Some(len) = title_before {
        let title_start = before[before.len() - len].span.start;
        let on_same_line = text
            .get(title_start..shown.start)
            .is_some_and(|g| !g.contains('\n'));
        if on_same_line && is_capitalised(before_texts[before.len() - len]) {
            shown.start = title_start;
            kind = EntityKind::Person;
        }
    }
    if first > 0 {
        kind = EntityKind::Person;
    }
    let written = text[name.start..name.end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let words: Vec<String> = toks[first..].iter().map(|t| name_key(t.text)).collect();
    let key = spellings.string(&words.join(" "));
    let spelling = Spelling {
        words: spellings.words(words),
        key_hash: key_hash([&*key]),
        key,
        written: spellings.string(&written),
        node: AtomicU64::new(0),
    };
    Some(Bare {
        name,
        shown,
        kind,
        spelling: spellings.spelling(spelling),
    })
}

/// FNV-1a of `words` joined by single spaces (the key they make), without joining them.
pub(super) fn key_hash<'a>(words: impl IntoIterator<Item = &'a str>) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut byte = |b: u8| h = (h ^ u64::from(b)).wrapping_mul(PRIME);
    for (k, w) in words.into_iter().enumerate() {
        if k > 0 {
            byte(b' ');
        }
        w.bytes().for_each(&mut byte);
    }
    h
}

/// One shared copy of each name's words and spellings among the cached contexts.
///
/// A document names the same people and organisations again and again (a 1 MB article has
/// ≈ 12,600 mentions of a few hundred names), and each context kept its own words, key and
/// written form: four to six small allocations a mention, ≈ 130 bytes before malloc's
/// overhead. Equal values are shared instead, and a context holds one pointer to its name's
/// [`Spelling`] where it held three (160 → 120 bytes a context with its `Arc`). Nothing
/// compares them by address.
#[derive(Debug, Clone, Default)]
struct Spellings {
    spellings: FxHashSet<Arc<Spelling>>,
    words: FxHashSet<Arc<[String]>>,
    strings: FxHashSet<Arc<str>>,
    /// Entries after the last pruning: the next comes at twice as many.
    kept: usize,
}

impl Spellings {
    fn words(&mut self, words: Vec<String>) -> Arc<[String]> {
        if let Some(shared) = self.words.get(words.as_slice()) {
            return Arc::clone(shared);
        }
        self.prune();
        let words: Arc<[String]> = words
            .into_iter()
            .map(|mut w| {
                w.shrink_to_fit();
                w
            })
            .collect();
        self.words.insert(Arc::clone(&words));
        words
    }

    /// `spelling` made of values these sets gave out.
    fn spelling(&mut self, spelling: Spelling) -> Arc<Spelling> {
        if let Some(shared) = self.spellings.get(&spelling) {
            return Arc::clone(shared);
        }
        self.prune();
        let spelling = Arc::new(spelling);
        self.spellings.insert(Arc::clone(&spelling));
        spelling
    }

    fn string(&mut self, s: &str) -> Arc<str> {
        if let Some(shared) = self.strings.get(s) {
            return Arc::clone(shared);
        }
        self.prune();
        let s: Arc<str> = s.into();
        self.strings.insert(Arc::clone(&s));
        s
    }

    /// Forgets the values no context holds any more (names edited away), once the sets have
    /// doubled since the last time: amortised O(1) a value, and the sets stay within twice the
    /// names in use.
    fn prune(&mut self) {
        if self.len() < (2 * self.kept).max(1024) {
            return;
        }
        // Spellings first: a spelling no context holds lets go of its words and strings.
        self.spellings.retain(|s| Arc::strong_count(s) > 1);
        self.words.retain(|w| Arc::strong_count(w) > 1);
        self.strings.retain(|s| Arc::strong_count(s) > 1);
        self.kept = self.len();
    }

    fn len(&self) -> usize {
        self.spellings.len() + self.words.len() + self.strings.len()
    }
}
