//! A paragraph's tagger token keys packed for the paragraph cache: ≈ 11 bytes a token instead of
//! [`TokenKey`]'s 24, unpacked when the second stage's statistics or features read them.

use super::tagger::nonlocal::TokenKey;

const UPPER: u8 = 1;
const CAPITAL: u8 = 2;
const LOWERCASE: u8 = 4;
const INITIAL: u8 = 8;
/// The lowercase hash differs from the word's hash: it is held in `lowers`.
const OWN_LOWER: u8 = 16;

/// Token keys in three arrays: the word hashes, one flag byte per token, and the lowercase
/// hashes of the tokens whose lowercase differs from the word (most words are lowercase already).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackedKeys {
    words: Box<[u64]>,
    flags: Box<[u8]>,
    lowers: Box<[u64]>,
}

impl PackedKeys {
    pub fn pack(keys: &[TokenKey]) -> PackedKeys {
        let bit = |on: bool, b: u8| if on { b } else { 0 };
        let flags = keys
            .iter()
            .map(|k| {
                bit(k.upper, UPPER)
                    | bit(k.capital, CAPITAL)
                    | bit(k.lowercase, LOWERCASE)
                    | bit(k.initial, INITIAL)
                    | bit(k.lower != k.word, OWN_LOWER)
            })
            .collect();
        PackedKeys {
            words: keys.iter().map(|k| k.word).collect(),
            flags,
            lowers: keys
                .iter()
                .filter(|k| k.lower != k.word)
                .map(|k| k.lower)
                .collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The keys, in token order.
    pub fn iter(&self) -> impl Iterator<Item = TokenKey> + '_ {
        let mut lowers = self.lowers.iter();
        self.words
            .iter()
            .zip(self.flags.iter())
            .map(move |(&word, &f)| {
                let lower = if f & OWN_LOWER != 0 {
                    lowers.next().copied().unwrap_or(word)
                } else {
                    word
                };
                TokenKey {
                    word,
                    lower,
                    upper: f & UPPER != 0,
                    capital: f & CAPITAL != 0,
                    lowercase: f & LOWERCASE != 0,
                    initial: f & INITIAL != 0,
                }
            })
    }

    pub fn unpack(&self) -> Vec<TokenKey> {
        self.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::tagger::nonlocal::keys;

    #[test]
    fn packing_keeps_every_key() {
        let words = [
            "“",
            "Kroft",
            "said",
            "JAPAN",
            "İstanbul",
            "straße",
            "ÉCOLE",
            "U.S.-Iran",
            "",
            "x",
        ];
        let keys = keys(&words);
        let packed = PackedKeys::pack(&keys);
        assert_eq!(packed.unpack(), keys);
        assert_eq!(packed.len(), keys.len());
        assert!(packed.lowers.len() < keys.len());
        assert!(PackedKeys::pack(&[]).is_empty());
    }
}
