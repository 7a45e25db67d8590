//! The document features of one sequence's tokens, read from the document's statistics with
//! each token's own occurrence left out.

use crate::entities::tagger::features::feature;
use crate::entities::tagger::{parse_label, spans, LABELS};

use super::stats::{context, entity_key, position, MAX_CONTEXTS, SIDES};
use super::{DocStats, TokenKey, MAX_ENTITY};

/// The first template of the features of a word's label distribution (three templates).
pub(super) const WORD_TEMPLATE: u8 = 100;
/// The same for the word's lowercase spelling.
pub(super) const CASELESS_TEMPLATE: u8 = 104;
/// The template of a context of another occurrence.
pub(super) const CONTEXT_TEMPLATE: u8 = 113;

/// Kind class of a label: 0 for O, 1 + kind index otherwise.
pub(super) fn class(label: u8) -> usize {
    parse_label(label).map_or(0, |(k, _)| k + 1)
}
/// The index of the largest count (the first on ties), if any count is positive.
pub(super) fn majority(counts: &[u32]) -> Option<usize> {
    let (i, &best) = counts
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))?;
    (best > 0).then_some(i)
}

/// Features of one label distribution (others' labels for this word): the majority label, the
/// majority kind conjoined with the token's own first-stage kind, and each kind's share.
pub(super) fn push_distribution(
    template: u8,
    counts: &[u32; LABELS],
    own: u8,
    push: &mut impl FnMut(u8, u64, u64),
) {
    let Some(best) = majority(counts) else { return };
    let total: u32 = counts.iter().sum();
    let mut kinds = [0u32; 5];
    for (l, &c) in counts.iter().enumerate() {
        kinds[class(l as u8)] += c;
    }
    push(template, best as u64, 0);
    if let Some(k) = majority(&kinds) {
        push(template + 1, k as u64, class(own) as u64);
    }
    for (k, &c) in kinds.iter().enumerate() {
        if c > 0 {
            let share = if c == total {
                3
            } else if 2 * c >= total {
                2
            } else {
                1
            };
            push(template + 2, k as u64, share);
        }
    }
}

/// Document-level feature ids of each token of one sequence (appended to `out`, token i's are
/// `starts[i]..starts[i + 1]`), from the sequence's own first-stage `labels` and the document's
/// statistics, which must include this sequence.
pub fn extract(
    keys: &[TokenKey],
    labels: &[u8],
    stats: &DocStats,
    out: &mut Vec<u64>,
    starts: &mut Vec<usize>,
) {
    extract_hinted::<fn(u64) -> u32>(keys, labels, stats, out, starts, None);
}

/// A scorer's rows of the context features of the words seen in one pass over a document
/// ([`extract_hinted`]): a frequent capitalised word's contexts (up to 68) are the same list
/// for each of its occurrences but for the few its own occurrence leaves out, so each is
/// hashed and looked up once per word and pass rather than once per occurrence. Valid for
/// one [`DocStats`] as it stands and one `row` function: make a new one when either changes.
#[derive(Debug, Default)]
pub struct ContextRows {
    /// Lowercased word → its contexts as `stats.contexts` lists them (those features take),
    /// each with how often, its feature id and its row.
    words: super::Map<Vec<(u64, u32, u64, u32)>>,
    /// How many contexts `words` holds in all (at most [`KEPT_CONTEXTS`]).
    entries: usize,
}

/// [`ContextRows`] keeps only words with at least this many contexts.
const FEW_CONTEXTS: usize = 8;
/// And at most this many contexts in all (24 bytes each: 192 KiB). The first pass over a
/// document re-tags every paragraph, and keeping every frequent word's contexts then raised
/// the peak heap of a 1 MB analysis by about 1.3 MiB; a cascade needs the few words that
/// recur in its paragraphs, which come early.
const KEPT_CONTEXTS: usize = 8192;

/// What [`extract_hinted`] adds to [`extract`]: each feature's row (`rows[j]` for `out[j]`)
/// where `contexts` knows it, else `PROBE`; `row` gives a context feature's row.
pub type Hints<'a, F> = (&'a mut Vec<u32>, &'a mut ContextRows, &'a F);

/// Where [`extract_hinted`] puts features (and their rows, if asked for).
struct Sink<'a> {
    out: &'a mut Vec<u64>,
    rows: Option<&'a mut Vec<u32>>,
}

impl Sink<'_> {
    fn push(&mut self, tpl: u8, a: u64, b: u64) {
        self.out.push(feature(tpl, a, b, 0));
        if let Some(rows) = self.rows.as_mut() {
            rows.push(crate::entities::tagger::features::PROBE);
        }
    }
}

/// [`extract`], and with `hints` the rows of the context features, which are hashed and looked
/// up once per word in the pass `hints`' [`ContextRows`] belongs to. The features are
/// [`extract`]'s, in the same order.
pub fn extract_hinted<F: Fn(u64) -> u32>(
    keys: &[TokenKey],
    labels: &[u8],
    stats: &DocStats,
    out: &mut Vec<u64>,
    starts: &mut Vec<usize>,
    hints: Option<Hints<'_, F>>,
) {
    out.clear();
    starts.clear();
    let (rows, mut contexts) = match hints {
        Some((rows, contexts, row)) => {
            rows.clear();
            (Some(rows), Some((contexts, row)))
        }
        None => (None, None),
    };
    let mut sink = Sink { out, rows };
    let own_spans = spans(labels);
    for i in 0..keys.len() {
        starts.push(sink.out.len());
        token_features(keys, labels, &own_spans, i, stats, &mut sink, &mut contexts);
    }
    starts.push(sink.out.len());
}

/// The document features of token `i` alone, as [`extract_hinted`] gives them for it (`out`
/// and, with `hints`, their rows are cleared first); `own_spans` is `spans(labels)`. The second
/// stage's certificate reads the few tokens whose features a change can alter this way.
pub fn extract_token<F: Fn(u64) -> u32>(
    keys: &[TokenKey],
    labels: &[u8],
    own_spans: &[(usize, usize, usize)],
    i: usize,
    stats: &DocStats,
    out: &mut Vec<u64>,
    hints: Option<Hints<'_, F>>,
) {
    out.clear();
    let (rows, mut contexts) = match hints {
        Some((rows, contexts, row)) => {
            rows.clear();
            (Some(rows), Some((contexts, row)))
        }
        None => (None, None),
    };
    let mut sink = Sink { out, rows };
    token_features(keys, labels, own_spans, i, stats, &mut sink, &mut contexts);
}

/// Token `i`'s document features into `sink` (the body of [`extract_hinted`]'s loop).
#[inline(always)]
fn token_features<F: Fn(u64) -> u32>(
    keys: &[TokenKey],
    labels: &[u8],
    own_spans: &[(usize, usize, usize)],
    i: usize,
    stats: &DocStats,
    sink: &mut Sink<'_>,
    contexts: &mut Option<(&mut ContextRows, &F)>,
) {
    let n = keys.len();
    let Some(t) = keys.get(i) else { return };
    if !t.upper {
        return;
    }
    let own = labels.get(i).copied().unwrap_or(0);
    let mut push = |tpl: u8, a: u64, b: u64| sink.push(tpl, a, b);
    if let Some(c) = stats.words.get(&t.word) {
        let mut others = *c;
        others[own as usize] = others[own as usize].saturating_sub(1);
        push_distribution(WORD_TEMPLATE, &others, own, &mut push);
    }
    if let Some(c) = stats.caseless.get(&t.lower) {
        let mut others = *c;
        others[own as usize] = others[own as usize].saturating_sub(1);
        push_distribution(CASELESS_TEMPLATE, &others, own, &mut push);
    }
    if t.capital && stats.lower_seen.contains_key(&t.lower) {
        push(108, t.initial as u64, class(own) as u64);
    }
    if let Some(list) = stats.contexts.get(&t.lower) {
        // The words around the other occurrences of this word (Ratinov & Roth's context
        // aggregation): "Pirelli 's shares" elsewhere says what "Pirelli" is here.
        let own_contexts = SIDES.map(|offset| context(keys, i, offset));
        let others = |c: u64, n: u32| n > own_contexts.iter().filter(|&&o| o == c).count() as u32;
        match (contexts.as_mut(), sink.rows.as_mut()) {
            // A word with few contexts is seldom seen again in the pass: not kept.
            (Some((known, row)), Some(rows))
                if list.len() >= FEW_CONTEXTS
                    && (known.entries + list.len() <= KEPT_CONTEXTS
                        || known.words.contains_key(&t.lower)) =>
            {
                let entries = known.words.entry(t.lower).or_insert_with(|| {
                    known.entries += list.len().min(MAX_CONTEXTS + SIDES.len());
                    list.iter()
                        .take(MAX_CONTEXTS + SIDES.len())
                        .map(|&(c, n)| {
                            let f = feature(CONTEXT_TEMPLATE, c, 0, 0);
                            (c, n, f, row(f))
                        })
                        .collect()
                });
                for &(c, n, f, r) in entries.iter() {
                    if others(c, n) {
                        sink.out.push(f);
                        rows.push(r);
                    }
                }
            }
            _ => {
                for &(c, n) in list.iter().take(MAX_CONTEXTS + SIDES.len()) {
                    if others(c, n) {
                        sink.push(CONTEXT_TEMPLATE, c, 0);
                    }
                }
            }
        }
    }
    let mut push = |tpl: u8, a: u64, b: u64| sink.push(tpl, a, b);
    // Whether the word is part of a longer first-stage entity elsewhere, of which kind and
    // where in it ("Kaczmarek" is the last word of the person "Jan Kaczmarek"), or, for a
    // word seen more than once, of none: a person is usually named in full somewhere, a
    // company with a surname for a name ("Pirelli") is not.
    let mut others = stats.containers.get(&t.lower).copied().unwrap_or([0; 12]);
    if let Some(&(s, e, k)) = own_spans
        .iter()
        .find(|&&(s, e, _)| s <= i && i < e && e - s >= 2)
    {
        if let Some(slot) = others.get_mut(k * 3 + position(s, e, i)) {
            *slot = slot.saturating_sub(1);
        }
    }
    let mut contained = false;
    for (slot, &c) in others.iter().enumerate() {
        if c > 0 {
            contained = true;
            push(114, slot as u64, class(own) as u64);
        }
    }
    if !contained
        && stats
            .words
            .get(&t.word)
            .is_some_and(|c| c.iter().sum::<u32>() > 1)
    {
        push(115, class(own) as u64, 0);
    }
    if !stats.in_entity.contains_key(&t.word) {
        return;
    }
    // The longest first-stage entity spelled like a stretch of words around this token
    // (all of whose words occur in some entity).
    let mut lo = i;
    while lo > 0 && i - lo + 1 < MAX_ENTITY && stats.in_entity.contains_key(&keys[lo - 1].word) {
        lo -= 1;
    }
    let mut hi = i + 1;
    while hi < n && hi - i < MAX_ENTITY && stats.in_entity.contains_key(&keys[hi].word) {
        hi += 1;
    }
    'longest: for len in (1..=MAX_ENTITY.min(hi - lo)).rev() {
        for s in (i + 1).saturating_sub(len).max(lo)..=i {
            let e = s + len;
            if e > hi {
                break;
            }
            let Some(c) = stats
                .entities
                .get(&entity_key(keys[s..e].iter().map(|t| t.word)))
            else {
                continue;
            };
            let mut others = *c;
            if let Some(&(_, _, k)) = own_spans.iter().find(|&&(os, oe, _)| os == s && oe == e) {
                others[k] = others[k].saturating_sub(1);
            }
            let Some(k) = majority(&others) else { continue };
            let part = match (len, i - s) {
                (1, _) => 3,
                (_, 0) => 0,
                (n, p) if p == n - 1 => 2,
                _ => 1,
            };
            push(110, (k * 4 + part) as u64, 0);
            push(111, k as u64, class(own) as u64);
            push(112, k as u64, (len.min(3) * 2 + t.initial as usize) as u64);
            break 'longest;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::tagger::features::{combine, fnv};
    use crate::entities::tagger::nonlocal::keys;
    use crate::entities::tagger::{label, Part};

    #[test]
    fn features_leave_out_the_token_itself() {
        let per = label(0, Part::Unit);
        let words: [&str; 2] = ["Varga", "won"];
        let labels = [per, 0];
        let k = keys(&words);
        let alone = DocStats::of([(&k[..], &labels[..])]);
        let (mut f, mut s) = (Vec::new(), Vec::new());
        extract(&k, &labels, &alone, &mut f, &mut s);
        assert!(
            f.is_empty(),
            "a word seen only here has no document features"
        );
        let twice = DocStats::of([(&k[..], &labels[..]), (&k[..], &labels[..])]);
        extract(&k, &labels, &twice, &mut f, &mut s);
        assert!(
            s[1] > s[0] && s[2] == s[1],
            "the capitalised word gets features, \"won\" none"
        );
    }

    #[test]
    fn contexts_and_longer_entities_come_from_other_occurrences() {
        let (b, l, u) = (
            label(0, Part::Begin),
            label(0, Part::Last),
            label(0, Part::Unit),
        );
        let full: [&str; 3] = ["Jan", "Kaczmarek", "resigned"];
        let short: [&str; 2] = ["Kaczmarek", "said"];
        let (kf, ks) = (keys(&full), keys(&short));
        let (lf, ls) = ([b, l, 0], [u, 0]);
        let stats = DocStats::of([(&kf[..], &lf[..]), (&ks[..], &ls[..])]);
        let (mut f, mut s) = (Vec::new(), Vec::new());
        extract(&ks, &ls, &stats, &mut f, &mut s);
        let mine = &f[s[0]..s[1]];
        // Contexts of the other occurrence: "jan" at -1, "resigned" at +1, the start at -2.
        let ctx = |offset: isize, word: &str| feature(113, combine(offset as u64, fnv(word)), 0, 0);
        assert!(mine.contains(&ctx(-1, "jan")) && mine.contains(&ctx(1, "resigned")));
        assert!(
            !mine.contains(&ctx(1, "said")),
            "the token's own context is left out"
        );
        // It is the last word of a two-word person elsewhere; its own first-stage kind is person.
        assert!(mine.contains(&feature(114, 2, 1, 0)));
        assert!(!mine.contains(&feature(115, 1, 0, 0)));
        // "Pirelli" seen twice, never inside a longer entity.
        let p: [&str; 2] = ["Pirelli", "rose"];
        let kp = keys(&p);
        let lp = [u, 0];
        let stats = DocStats::of([(&kp[..], &lp[..]), (&kp[..], &lp[..])]);
        extract(&kp, &lp, &stats, &mut f, &mut s);
        assert!(f[s[0]..s[1]].contains(&feature(115, 1, 0, 0)));
    }
}
