//! Feature extraction for the tagger: each token becomes a list of hashed feature ids.
//!
//! Training and tagging share this code, so a feature means the same in both. Features are
//! 64-bit hashes of (template, strings); the model keeps only those it learned weights for.

mod words;

use super::gazetteer::{self, GazetteerMatch};
use super::LABELS;
use words::{Word, UNSEEN};

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a of a string: stable across builds and platforms.
pub fn fnv(s: &str) -> u64 {
    s.bytes()
        .fold(FNV_OFFSET, |h, b| (h ^ b as u64).wrapping_mul(FNV_PRIME))
}

/// Order-sensitive combination of two hashes (used for token sequences).
pub const fn combine(acc: u64, h: u64) -> u64 {
    (acc.rotate_left(23) ^ h).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// A feature id from a template number and up to three part hashes, well mixed so that the high
/// bits (the model's bucket index) are spread.
pub(crate) fn feature(template: u8, a: u64, b: u64, c: u64) -> u64 {
    let mut x = combine(combine(combine(template as u64 + 1, a), b), c);
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// The word shape with runs collapsed: "Kishida" → "Xx", "U.S." → "X.X.", "1,000" → "d,d".
pub fn shape(word: &str) -> String {
    shape_chars(word).collect()
}

/// [`fnv`] of [`shape`], without building the string (the tagger's per-token path).
pub fn shape_hash(word: &str) -> u64 {
    let mut h = FNV_OFFSET;
    for class in shape_chars(word) {
        let mut buf = [0u8; 4];
        for &b in class.encode_utf8(&mut buf).as_bytes() {
            h = (h ^ b as u64).wrapping_mul(FNV_PRIME);
        }
    }
    h
}

/// The characters of [`shape`]: letters and digits as their class, runs of one class collapsed,
/// other characters kept; stops once the shape is longer than 12 bytes.
fn shape_chars(word: &str) -> impl Iterator<Item = char> + '_ {
    let mut chars = word.chars();
    let mut last = None;
    let mut len = 0;
    std::iter::from_fn(move || {
        while len <= 12 {
            let c = chars.next()?;
            let class = if c.is_uppercase() {
                'X'
            } else if c.is_lowercase() {
                'x'
            } else if c.is_numeric() {
                'd'
            } else {
                c
            };
            let repeats = last == Some(class) && matches!(class, 'X' | 'x' | 'd');
            last = Some(class);
            if !repeats {
                len += class.len_utf8();
                return Some(class);
            }
        }
        None
    })
}

/// The lowercase form of a word, borrowed when it already is (ASCII without capitals: most
/// tokens), so that extraction allocates only for the others.
fn lowercase(word: &str) -> std::borrow::Cow<'_, str> {
    if word
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        word.into()
    } else {
        word.to_lowercase().into()
    }
}

/// Tokens after which a capitalised word may simply open a sentence or quotation.
pub(crate) fn opens_sentence(prev: Option<&str>) -> bool {
    matches!(
        prev,
        None | Some("." | "!" | "?" | "“" | "\"" | ":" | "‘" | "'" | "(" | "-" | "–" | "—" | "--")
    )
}

/// Feature ids of every token of one sequence (a sentence or paragraph), appended to `out`;
/// `starts[i]..starts[i + 1]` are token i's features.
pub fn extract(words: &[&str], out: &mut Vec<u64>, starts: &mut Vec<usize>) {
    // Taken for this sequence only; when another thread holds it, each word is computed afresh
    // (the same features either way).
    match words::MEMO.try_lock() {
        Ok(mut memo) => {
            memo.fill(words, NO_TABLE);
            extract_with::<true>(&memo.words(), out, starts, PROBE, |_, _| {});
        }
        Err(_) => {
            let w: Vec<Word> = words.iter().map(|w| Word::of(w)).collect();
            extract_with::<true>(&w.iter().collect::<Vec<_>>(), out, starts, PROBE, |_, _| {});
        }
    }
}

/// In [`extract_rows`]' rows: the feature was not looked up (the scorer must), or the table
/// lacks it.
pub const PROBE: u32 = u32::MAX - 1;
pub const ABSENT: u32 = u32::MAX;

/// A table's `find` as a plain function.
type FindRow = fn(u64) -> u32;

/// No table: [`extract`] gives no rows.
const NO_TABLE: Option<&RowTable<'static, FindRow>> = None;

/// A scorer's table of features, for [`extract_rows`]: `id` tells tables apart (no two tables
/// alive at once share one), `find` gives a feature's row number in it (below [`PROBE`]) or
/// [`ABSENT`], and `prefix` the scores a scorer would add, one after the other from zero, for
/// the given features (with their rows from `find`, as in [`extract_rows`]' rows): each word's
/// bias and own features (templates 0 to 5), which come first in every token's list, are
/// summed once per word and table.
pub struct RowTable<'a, F: Fn(u64) -> u32> {
    pub id: u64,
    pub find: F,
    pub prefix: &'a SumRows<'a>,
}

/// [`RowTable::prefix`]: the scores of some features (ids and rows), added in order from zero.
pub type SumRows<'a> = dyn Fn(&[u64], &[u32]) -> [f32; LABELS] + 'a;

/// [`extract`], and each feature's row in `table` (`rows[j]` for `out[j]`) where the memo
/// knows it: a word's own features and those it gives its neighbours are looked up once per
/// distinct word, the others are [`PROBE`]. Scoring adds the same rows in the same order.
///
/// With `prefixes`, each token's [`RowTable::prefix`] of its bias and own features (templates
/// 0 to 5) is pushed there instead of those features, when the memo could be taken: a scorer
/// then starts each token's sum from its prefix and adds the rest, which gives the bits of
/// adding them all from zero. `prefixes` is left empty (and every feature is given) otherwise.
pub fn extract_rows<F: Fn(u64) -> u32>(
    words: &[&str],
    out: &mut Vec<u64>,
    rows: &mut Vec<u32>,
    starts: &mut Vec<usize>,
    table: &RowTable<'_, F>,
    prefixes: Option<&mut Vec<[f32; LABELS]>>,
) {
    rows.clear();
    rows.reserve(words.len() * 48);
    match words::MEMO.try_lock() {
        Ok(mut memo) => {
            memo.fill(words, Some(table));
            let bias = (table.find)(feature(0, 0, 0, 0));
            let words = memo.words();
            match prefixes {
                Some(prefixes) => {
                    prefixes.clear();
                    prefixes.extend(words.iter().map(|w| w.rows.prefix));
                    extract_with::<false>(&words, out, starts, bias, |_, row| rows.push(row));
                }
                None => extract_with::<true>(&words, out, starts, bias, |_, row| rows.push(row)),
            }
        }
        Err(_) => {
            if let Some(prefixes) = prefixes {
                prefixes.clear();
            }
            let w: Vec<Word> = words.iter().map(|w| Word::of(w)).collect();
            let w: Vec<&Word> = w.iter().collect();
            extract_with::<true>(&w, out, starts, PROBE, |_, row| rows.push(row));
        }
    }
}

/// Templates whose features name the word itself (its spelling, lowercase, the bigrams with its
/// neighbours, its lowercase conjoined with position): what word dropout hides in training so
/// that the model leans on shape, context, gazetteers and word classes, which carry to unseen
/// names.
pub(crate) const IDENTITY_TEMPLATES: [u8; 6] = [1, 2, 14, 15, 18, 19];

/// [`extract`], also appending each feature's template number to `templates` (training only;
/// it computes every word afresh).
pub(crate) fn extract_templates(
    words: &[&str],
    out: &mut Vec<u64>,
    starts: &mut Vec<usize>,
    templates: &mut Vec<u8>,
) {
    templates.clear();
    let w: Vec<Word> = words.iter().map(|w| Word::of(w)).collect();
    extract_with::<true>(&w.iter().collect::<Vec<_>>(), out, starts, PROBE, |t, _| {
        templates.push(t)
    });
}

/// Before the first token and after the last.
const START: u64 = 0x5157_4152_5400_0001;
const END: u64 = 0x454e_4400_0000_0002;

/// What stands before the first token and after the last, as their neighbours see it.
fn bounds() -> &'static [Word; 2] {
    static BOUNDS: std::sync::OnceLock<[Word; 2]> = std::sync::OnceLock::new();
    BOUNDS.get_or_init(|| {
        let outside = |h| Word::neighbour(h, h, UNSEEN - 1, UNSEEN - 1, UNSEEN - 1);
        [outside(START), outside(END)]
    })
}

/// The features of a sequence of [`Word`]s, telling `on_push` the template and the row (see
/// [`extract_rows`]; `bias_row` for template 0's) of every feature pushed. The order of the
/// features is the models': it must not change. Without `OWN`, each token's first features (the
/// bias and templates 1 to 5, summed by [`RowTable::prefix`]) are left out.
#[inline(always)]
fn extract_with<const OWN: bool>(
    words: &[&Word],
    out: &mut Vec<u64>,
    starts: &mut Vec<usize>,
    bias_row: u32,
    mut on_push: impl FnMut(u8, u32),
) {
    out.clear();
    starts.clear();
    // Fewer than 48 features a token are rare: one reservation per sequence.
    out.reserve(words.len() * 48);
    starts.reserve(words.len() + 1);
    let mut letters = 0;
    let mut caps = 0;
    for w in words {
        if w.alphabetic {
            letters += 1;
            if w.no_lowercase {
                caps += 1;
            }
        }
    }
    let all_caps = letters >= 2 && caps * 10 >= letters * 8;
    let short = words.len() <= 4;
    let gaz = gazetteer::matches_by(&words.iter().map(|t| t.lower).collect::<Vec<_>>(), |i| {
        words.get(i).is_some_and(|w| w.may_open_entry)
    });
    let bias = feature(0, 0, 0, 0);
    let [before, after] = bounds();
    let at = |i: isize| -> &Word {
        if i < 0 {
            before
        } else {
            words.get(i as usize).copied().unwrap_or(after)
        }
    };
    for (i, &t) in words.iter().enumerate() {
        starts.push(out.len());
        let ii = i as isize;
        let (prev, next, prev2, next2) = (at(ii - 1), at(ii + 1), at(ii - 2), at(ii + 2));
        let mut put = |template: u8, id: u64, row: u32| {
            on_push(template, row);
            out.push(id);
        };
        macro_rules! push {
            ($template:expr, $a:expr, $b:expr, $c:expr) => {
                put($template, feature($template, $a, $b, $c), PROBE)
            };
        }
        if OWN {
            put(0, bias, bias_row);
            for (k, (&id, &row)) in t.own().iter().zip(&t.rows.own).enumerate() {
                // Templates 1, 2, 3, then prefix (4) and suffix (5) by turns.
                let template = if k < 3 {
                    k as u8 + 1
                } else {
                    4 + (k as u8 - 3) % 2
                };
                put(template, id, row);
            }
        }
        put(6, prev.as_prev[0], prev.rows.as_prev[0]);
        put(7, next.as_next[0], next.rows.as_next[0]);
        put(8, prev2.as_prev2[0], prev2.rows.as_prev2[0]);
        put(9, next2.as_next2[0], next2.rows.as_next2[0]);
        put(10, prev.as_prev[1], prev.rows.as_prev[1]);
        put(11, next.as_next[1], next.rows.as_next[1]);
        push!(12, prev.shape, t.shape, 0);
        push!(13, t.shape, next.shape, 0);
        push!(14, prev.lower, t.lower, 0);
        push!(15, t.lower, next.lower, 0);
        push!(16, prev.shape, t.shape, next.shape);
        let initial = i == 0 || prev.opens;
        let flags = initial as u64 | (all_caps as u64) << 1 | (short as u64) << 2;
        push!(17, flags, t.shape, 0);
        if t.capitalised && initial {
            push!(18, t.lower, 0, 0);
        }
        if all_caps {
            push!(19, t.lower, 0, 0);
        }
        push!(20, prev.lower, t.shape, 0);
        push!(21, t.shape, next.lower, 0);
        for m in &gaz[i] {
            let g = (m.list as u64) << 8 | m.position as u64;
            push!(22, g, t.capitalised as u64, 0);
            push!(23, g, t.shape, 0);
        }
        for (offset, template) in [(-1isize, 24u8), (1, 25)] {
            let j = ii + offset;
            if j >= 0 && (j as usize) < words.len() {
                for GazetteerMatch { list, .. } in &gaz[j as usize] {
                    push!(template, *list as u64, t.shape, 0);
                }
            }
        }
        // Word classes: the token's at every granularity, neighbours' at the coarser two.
        for (&id, &row) in t.classes[..3].iter().zip(&t.rows.classes) {
            put(26, id, row);
        }
        put(27, prev.as_prev[2], prev.rows.as_prev[2]);
        push!(27, 1 << 20 | prev.cluster0 as u64, t.cluster0 as u64, 0);
        put(28, next.as_next[2], next.rows.as_next[2]);
        push!(28, 1 << 20 | next.cluster0 as u64, t.cluster0 as u64, 0);
        put(30, prev2.as_prev2[1], prev2.rows.as_prev2[1]);
        put(31, next2.as_next2[1], next2.rows.as_next2[1]);
        put(29, t.classes[3], t.rows.classes[3]);
        // Classes from pretrained vectors: the token's at every granularity and its finest
        // with its shape, the neighbours' at the middle one.
        for (&id, &row) in t.classes[4..7].iter().zip(&t.rows.classes[4..7]) {
            put(32, id, row);
        }
        put(33, t.classes[7], t.rows.classes[7]);
        put(34, prev.as_prev[3], prev.rows.as_prev[3]);
        put(35, next.as_next[3], next.rows.as_next[3]);
    }
    starts.push(out.len());
}

#[cfg(test)]
mod tests;
