//! Feature extraction for the tagger: each token becomes a list of hashed feature ids.
//!
//! Training and tagging share this code, so a feature means the same in both. Features are
//! 64-bit hashes of (template, strings); the model keeps only those it learned weights for.

use super::clusters;
use super::embedding_classes;
use super::gazetteer::{self, GazetteerMatch};

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

/// Per-token hashes computed once per sequence.
#[derive(Clone, Copy, Default)]
struct TokenInfo {
    word: u64,
    lower: u64,
    shape: u64,
    prefix: [u64; 4],
    suffix: [u64; 4],
    affixes: usize,
    capitalised: bool,
    /// Word classes (coarse to fine); `UNSEEN` for words not in the cluster table.
    cluster: [u16; clusters::LEVELS],
    /// Classes of the lowercase word from pretrained vectors (coarse to fine); `UNSEEN` for
    /// words not in that table.
    embedded: [u16; embedding_classes::LEVELS],
}

const UNSEEN: u16 = u16::MAX;

fn info(word: &str, lower: &str) -> TokenInfo {
    let mut t = TokenInfo {
        word: fnv(word),
        lower: fnv(lower),
        shape: shape_hash(word),
        capitalised: word.chars().next().is_some_and(char::is_uppercase),
        cluster: clusters::lookup(word, lower).unwrap_or([UNSEEN; clusters::LEVELS]),
        embedded: embedding_classes::lookup(lower).unwrap_or([UNSEEN; embedding_classes::LEVELS]),
        ..TokenInfo::default()
    };
    // Prefix hashes are the running FNV state; suffixes hash the characters from the end.
    let (mut h, mut n) = (FNV_OFFSET, 0);
    for c in lower.chars().take(4) {
        let mut buf = [0u8; 4];
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            h = (h ^ b as u64).wrapping_mul(FNV_PRIME);
        }
        t.prefix[n] = h;
        n += 1;
    }
    t.affixes = n;
    let mut h = FNV_OFFSET ^ 0x55;
    for (k, c) in lower.chars().rev().take(4).enumerate() {
        let mut buf = [0u8; 4];
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            h = (h ^ b as u64).wrapping_mul(FNV_PRIME);
        }
        t.suffix[k] = h;
    }
    t
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
    extract_with(words, out, starts, |_| {});
}

/// Templates whose features name the word itself (its spelling, lowercase, the bigrams with its
/// neighbours, its lowercase conjoined with position): what word dropout hides in training so
/// that the model leans on shape, context, gazetteers and word classes, which carry to unseen
/// names.
pub(crate) const IDENTITY_TEMPLATES: [u8; 6] = [1, 2, 14, 15, 18, 19];

/// [`extract`], also appending each feature's template number to `templates` (training only).
pub(crate) fn extract_templates(
    words: &[&str],
    out: &mut Vec<u64>,
    starts: &mut Vec<usize>,
    templates: &mut Vec<u8>,
) {
    templates.clear();
    extract_with(words, out, starts, |t| templates.push(t));
}

/// [`extract`], telling `on_push` the template of every feature pushed (a no-op for tagging).
#[inline(always)]
fn extract_with(
    words: &[&str],
    out: &mut Vec<u64>,
    starts: &mut Vec<usize>,
    mut on_push: impl FnMut(u8),
) {
    out.clear();
    starts.clear();
    let lowers: Vec<std::borrow::Cow<'_, str>> = words.iter().map(|w| lowercase(w)).collect();
    let info: Vec<TokenInfo> = words.iter().zip(&lowers).map(|(w, l)| info(w, l)).collect();
    let mut letters = 0;
    let mut caps = 0;
    for w in words {
        if w.chars().any(char::is_alphabetic) {
            letters += 1;
            if !w.chars().any(char::is_lowercase) {
                caps += 1;
            }
        }
    }
    let all_caps = letters >= 2 && caps * 10 >= letters * 8;
    let short = words.len() <= 4;
    let gaz = gazetteer::matches(&info.iter().map(|t| t.lower).collect::<Vec<_>>(), &lowers);
    const START: u64 = 0x5157_4152_5400_0001;
    const END: u64 = 0x454e_4400_0000_0002;
    let at = |i: isize| -> Option<&TokenInfo> {
        if i < 0 {
            None
        } else {
            info.get(i as usize)
        }
    };
    let lower = |i: isize| at(i).map_or(if i < 0 { START } else { END }, |t| t.lower);
    let shp = |i: isize| at(i).map_or(if i < 0 { START } else { END }, |t| t.shape);
    for (i, t) in info.iter().enumerate() {
        starts.push(out.len());
        let ii = i as isize;
        let mut push = |template: u8, a: u64, b: u64, c: u64| {
            on_push(template);
            out.push(feature(template, a, b, c));
        };
        push(0, 0, 0, 0);
        push(1, t.word, 0, 0);
        push(2, t.lower, 0, 0);
        push(3, t.shape, 0, 0);
        for n in 0..t.affixes {
            push(4, t.prefix[n], 0, 0);
            push(5, t.suffix[n], 0, 0);
        }
        push(6, lower(ii - 1), 0, 0);
        push(7, lower(ii + 1), 0, 0);
        push(8, lower(ii - 2), 0, 0);
        push(9, lower(ii + 2), 0, 0);
        push(10, shp(ii - 1), 0, 0);
        push(11, shp(ii + 1), 0, 0);
        push(12, shp(ii - 1), t.shape, 0);
        push(13, t.shape, shp(ii + 1), 0);
        push(14, lower(ii - 1), t.lower, 0);
        push(15, t.lower, lower(ii + 1), 0);
        push(16, shp(ii - 1), t.shape, shp(ii + 1));
        let initial = opens_sentence(if i == 0 { None } else { Some(words[i - 1]) });
        push(
            17,
            initial as u64 | (all_caps as u64) << 1 | (short as u64) << 2,
            t.shape,
            0,
        );
        if t.capitalised && initial {
            push(18, t.lower, 0, 0);
        }
        if all_caps {
            push(19, t.lower, 0, 0);
        }
        push(20, lower(ii - 1), t.shape, 0);
        push(21, t.shape, lower(ii + 1), 0);
        for m in &gaz[i] {
            let g = (m.list as u64) << 8 | m.position as u64;
            push(22, g, t.capitalised as u64, 0);
            push(23, g, t.shape, 0);
        }
        for (offset, template) in [(-1isize, 24u8), (1, 25)] {
            let j = ii + offset;
            if j >= 0 && (j as usize) < words.len() {
                for GazetteerMatch { list, .. } in &gaz[j as usize] {
                    push(template, *list as u64, t.shape, 0);
                }
            }
        }
        // Word classes: the token's at every granularity, neighbours' at the coarser two.
        for (level, &c) in t.cluster.iter().enumerate() {
            push(26, level as u64, c as u64, 0);
        }
        for (offset, template) in [(-1isize, 27u8), (1, 28), (-2, 30), (2, 31)] {
            let c = at(ii + offset).map_or(UNSEEN - 1, |n| n.cluster[1]);
            push(template, c as u64, 0, 0);
            if offset.abs() == 1 {
                let c0 = at(ii + offset).map_or(UNSEEN - 1, |n| n.cluster[0]);
                push(template, 1 << 20 | c0 as u64, t.cluster[0] as u64, 0);
            }
        }
        push(29, t.cluster[2] as u64, t.shape, 0);
        // Classes from pretrained vectors: the token's at every granularity and its finest
        // with its shape, the neighbours' at the middle one.
        for (level, &c) in t.embedded.iter().enumerate() {
            push(32, level as u64, c as u64, 0);
        }
        push(33, t.embedded[2] as u64, t.shape, 0);
        for (offset, template) in [(-1isize, 34u8), (1, 35)] {
            let c = at(ii + offset).map_or(UNSEEN - 1, |n| n.embedded[1]);
            push(template, c as u64, 0, 0);
        }
    }
    starts.push(out.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_collapse_runs() {
        assert_eq!(shape("Kishida"), "Xx");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("1,000"), "d,d");
        assert_eq!(shape("IAEA"), "X");
        assert_eq!(shape("McDonald"), "XxXx");
        assert_eq!(
            shape("a-b-c-d-e-f-g-h"),
            "x-x-x-x-x-x-x",
            "cut once past 12 bytes"
        );
        for w in [
            "Kishida",
            "U.S.",
            "1,000",
            "McDonald",
            "“Ab’c”",
            "a-b-c-d-e-f-g-h",
            "ÉCOLE",
            "",
            "x—y—z—w—v",
        ] {
            assert_eq!(shape_hash(w), fnv(&shape(w)), "{w}");
        }
    }

    #[test]
    fn features_are_deterministic_per_token() {
        let (mut a, mut sa) = (Vec::new(), Vec::new());
        let (mut b, mut sb) = (Vec::new(), Vec::new());
        extract(&["Ada", "Kroft", "said"], &mut a, &mut sa);
        extract(&["Ada", "Kroft", "said"], &mut b, &mut sb);
        assert_eq!(a, b);
        assert_eq!(sa.len(), 4);
        assert_eq!(sa[0], 0);
        assert_eq!(*sa.last().unwrap(), a.len());
    }
}
