//! Tests of extraction against the extraction that came before the per-word memo, kept here
//! verbatim: the models were trained on its features, so they must not change, in any order.

use super::super::{clusters, embedding_classes};
use super::words::{slot_of, Memo, SLOTS};
use super::*;

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

/// The extraction before the memo (session 14), verbatim but for its name.
fn reference_extract(
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

/// Features and templates of `words` by the reference, by [`extract`] (the process's memo) and
/// by [`extract_templates`] are the same.
fn assert_same(words: &[&str]) {
    let (mut a, mut sa, mut ta) = (Vec::new(), Vec::new(), Vec::new());
    reference_extract(words, &mut a, &mut sa, |t| ta.push(t));
    let (mut b, mut sb) = (Vec::new(), Vec::new());
    extract(words, &mut b, &mut sb);
    assert_eq!(sa, sb, "{words:?}");
    assert_eq!(a, b, "{words:?}");
    let (mut c, mut sc, mut tc) = (Vec::new(), Vec::new(), Vec::new());
    extract_templates(words, &mut c, &mut sc, &mut tc);
    assert_eq!((&a, &sa, &ta), (&c, &sc, &tc), "{words:?}");
}

#[test]
fn features_are_the_reference_extractions() {
    let text = "Prime Minister Ada Kroft told Reuters on Tuesday that the Bank for Rural Credit \
                would “not yield” , said Nguyễn Thị Lan of ÉCOLE in São Paulo . THE IAEA SAID \
                NO . İstanbul's U.S. 1,000 McDonald -- new york and ada Transnationalisationsbehörde \
                antidisestablishmentarianism 'quoted' ( said ) Varga : Our members";
    let words: Vec<&str> = text.split(' ').collect();
    assert_same(&words);
    assert_same(&[]);
    assert_same(&["Varga"]);
    assert_same(&["NEW", "YORK", "CITY", "HALL"]);
    assert_same(&["“", "Our", "members", "”"]);
    // Every window of the text, twice (the second time from the memo), and random sequences of
    // its words.
    for _ in 0..2 {
        for len in [1, 2, 3, 5, 9] {
            for w in words.windows(len) {
                assert_same(w);
            }
        }
    }
    let mut x = 0x2545_f491_4f6c_dd1d_u64;
    for _ in 0..200 {
        let n = (x % 40) as usize;
        let seq: Vec<&str> = (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                words[(x % words.len() as u64) as usize]
            })
            .collect();
        assert_same(&seq);
    }
}

/// A generated article's paragraphs, as the tagger sees them.
#[test]
fn generated_paragraphs_are_the_reference_extractions() {
    let text = docgen::article(20_000, 3);
    for paragraph in text.split("\n\n") {
        let words: Vec<&str> = crate::text::tokenize(paragraph)
            .iter()
            .map(|s| &paragraph[s.start..s.end])
            .collect();
        assert_same(&words);
    }
}

/// Two words that share a slot each get their own features: the memo compares the whole word
/// (this fails if it trusted the slot alone).
#[test]
fn words_sharing_a_slot_stand_for_themselves() {
    let mut seen = std::collections::HashMap::new();
    let mut pair = None;
    for i in 0..(4 * SLOTS) {
        let w = format!("w{i}");
        if let Some(other) = seen.insert(slot_of(w.as_bytes()), w.clone()) {
            pair = Some((other, w));
            break;
        }
    }
    let (a, b) = pair.expect("more words than slots share one");
    let mut memo = Memo::new();
    let own = |m: &Memo| {
        m.words()
            .iter()
            .map(|w| w.own().to_vec())
            .collect::<Vec<_>>()
    };
    let fresh = |w: &str| vec![Word::of(w).own().to_vec()];
    memo.fill(&[&a], NO_TABLE);
    assert_eq!(own(&memo), fresh(&a));
    memo.fill(&[&b], NO_TABLE);
    assert_eq!(own(&memo), fresh(&b));
    memo.fill(&[&a], NO_TABLE);
    assert_eq!(own(&memo), fresh(&a));
    assert_ne!(fresh(&a), fresh(&b));
    // Both in one sequence: the second may not evict the first while the sequence needs it.
    memo.fill(&[&a, &b, &a, &b], NO_TABLE);
    let both = [fresh(&a), fresh(&b), fresh(&a), fresh(&b)].concat();
    assert_eq!(own(&memo), both);
}

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
