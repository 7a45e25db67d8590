//! What the document features need to know of each token: its word and lowercase hashes and
//! how it is capitalised, computed once per sequence.

use crate::entities::tagger::features::{fnv, opens_sentence};

/// FNV-1a of the lowercased word, without allocating (equal to `fnv(&word.to_lowercase())`
/// for words whose lowercase is character by character).
pub fn lower_hash(word: &str) -> u64 {
    const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h = FNV_OFFSET;
    if word.is_ascii() {
        // Most tokens: lowercase byte by byte (`char::to_lowercase` costs far more per byte).
        for b in word.bytes() {
            h = (h ^ b.to_ascii_lowercase() as u64).wrapping_mul(FNV_PRIME);
        }
        return h;
    }
    let mut buf = [0u8; 4];
    for c in word.chars() {
        for l in c.to_lowercase() {
            for &b in l.encode_utf8(&mut buf).as_bytes() {
                h = (h ^ b as u64).wrapping_mul(FNV_PRIME);
            }
        }
    }
    h
}

/// What the document features need to know of one token, computed once per sequence (and kept
/// with a paragraph's cached first-stage result in the product).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TokenKey {
    /// [`fnv`] of the word as written.
    pub word: u64,
    /// [`lower_hash`] of the word.
    pub lower: u64,
    /// The word has an uppercase letter (only such words get document features).
    pub upper: bool,
    /// It starts with an uppercase letter.
    pub capital: bool,
    /// It starts with a lowercase letter and has no uppercase one.
    pub lowercase: bool,
    /// It may simply open a sentence or quotation (see `features::opens_sentence`).
    pub initial: bool,
}

/// The keys of a sequence's tokens.
pub fn keys(words: &[&str]) -> Vec<TokenKey> {
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let upper = w.chars().any(char::is_uppercase);
            let first = w.chars().next();
            TokenKey {
                word: fnv(w),
                lower: lower_hash(w),
                upper,
                capital: first.is_some_and(char::is_uppercase),
                lowercase: !upper && first.is_some_and(char::is_lowercase),
                initial: opens_sentence(if i == 0 { None } else { Some(words[i - 1]) }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_hash_matches_lowercasing() {
        for w in [
            "JAPAN",
            "Kishida",
            "ÉCOLE",
            "straße",
            "U.S.-Iran",
            "",
            "İstanbul",
        ] {
            assert_eq!(lower_hash(w), fnv(&w.to_lowercase()));
        }
    }
}
