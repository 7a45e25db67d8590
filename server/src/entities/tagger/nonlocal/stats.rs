//! The document's statistics: the first stage's labels of every word with a capital letter,
//! the words around it, and the entities they form, gathered over all of a document's
//! sequences.

use crate::entities::tagger::features::combine;
use crate::entities::tagger::{spans, LABELS};

use super::{Map, TokenKey, MAX_ENTITY};

/// The first stage's labels over one document, by word and by entity spelling.
#[derive(Debug, Default, Clone)]
pub struct DocStats {
    /// Exact spelling of a word with a capital letter → how often it got each label.
    pub(super) words: Map<[u32; LABELS]>,
    /// The same, keyed by the lowercased spelling ("JAPAN" and "Japan" together).
    pub(super) caseless: Map<[u32; LABELS]>,
    /// Lowercase spellings of words written all in lowercase somewhere in the document, with
    /// how often (counted so that a sequence can be taken out again, see [`super::delta`]).
    pub(super) lower_seen: Map<u32>,
    /// Spelling of a first-stage entity (its words' hashes combined) → count per kind.
    pub(super) entities: Map<[u32; 4]>,
    /// Words that occur in some first-stage entity, with how often.
    pub(super) in_entity: Map<u32>,
    /// Context aggregation (Ratinov & Roth 2009): lowercased spelling of a word with a capital
    /// letter → the words next to its occurrences ([`context`]: side and neighbour), each with
    /// how often, kept sorted by context so that the features come in one order however the
    /// statistics were built.
    pub(super) contexts: Map<Vec<(u64, u32)>>,
    /// Lowercased spelling of a word → how often it is the first, a middle or the last word of
    /// a first-stage entity of two or more words, per kind (kind * 3 + position).
    pub(super) containers: Map<[u32; 12]>,
}

/// Position of token `i` in a multi-word span `s..e`: 0 first, 1 middle, 2 last.
pub(super) fn position(s: usize, e: usize, i: usize) -> usize {
    if i == s {
        0
    } else if i + 1 == e {
        2
    } else {
        1
    }
}

/// The neighbours taken as a word's context: the words at -2, -1, +1 and +2.
pub(super) const SIDES: [isize; 4] = [-2, -1, 1, 2];

/// At most this many contexts of other occurrences become features of one token (the first in
/// the sorted list), so that a name repeated throughout a long article costs a bounded number
/// of probes per occurrence. CoNLL's documents never reach it (dev predictions are the same
/// without the bound).
pub(super) const MAX_CONTEXTS: usize = 64;

/// A context of token `i` of a sequence: the lowercased word at `i + offset` (or the sequence's
/// start or end) with the side it is on.
pub(super) fn context(keys: &[TokenKey], i: usize, offset: isize) -> u64 {
    const START: u64 = 0x5157_4152_5400_0001;
    const END: u64 = 0x454e_4400_0000_0002;
    let j = i as isize + offset;
    let neighbour = if j < 0 {
        START
    } else {
        keys.get(j as usize).map_or(END, |t| t.lower)
    };
    combine(offset as u64, neighbour)
}

pub(super) fn entity_key(hashes: impl Iterator<Item = u64>) -> u64 {
    hashes.fold(0, combine)
}

impl DocStats {
    /// Add one sequence with its first-stage labels.
    pub fn add(&mut self, keys: &[TokenKey], labels: &[u8]) {
        for (t, &l) in keys.iter().zip(labels) {
            if t.upper {
                self.words.entry(t.word).or_insert([0; LABELS])[l as usize] += 1;
                self.caseless.entry(t.lower).or_insert([0; LABELS])[l as usize] += 1;
            } else if t.lowercase {
                *self.lower_seen.entry(t.lower).or_insert(0) += 1;
            }
        }
        for (i, t) in keys.iter().enumerate().filter(|(_, t)| t.upper) {
            let list = self.contexts.entry(t.lower).or_default();
            for offset in SIDES {
                let c = context(keys, i, offset);
                match list.binary_search_by_key(&c, |&(x, _)| x) {
                    Ok(at) => {
                        if let Some(e) = list.get_mut(at) {
                            e.1 += 1;
                        }
                    }
                    Err(at) => list.insert(at, (c, 1)),
                }
            }
        }
        for (s, e, k) in spans(labels) {
            if e - s >= 2 && e <= keys.len() {
                for (i, t) in keys.iter().enumerate().take(e).skip(s) {
                    if let Some(c) = self
                        .containers
                        .entry(t.lower)
                        .or_insert([0; 12])
                        .get_mut(k * 3 + position(s, e, i))
                    {
                        *c += 1;
                    }
                }
            }
            if e - s <= MAX_ENTITY && e <= keys.len() {
                let key = entity_key(keys[s..e].iter().map(|t| t.word));
                self.entities.entry(key).or_insert([0; 4])[k] += 1;
                for t in &keys[s..e] {
                    *self.in_entity.entry(t.word).or_insert(0) += 1;
                }
            }
        }
    }

    /// Statistics of a whole document given as sequences and their labels.
    pub fn of<'a>(seqs: impl IntoIterator<Item = (&'a [TokenKey], &'a [u8])>) -> DocStats {
        let mut stats = DocStats::default();
        for (k, l) in seqs {
            stats.add(k, l);
        }
        stats
    }
}
