//! Tokens of windows of a text (the few hundred bytes around a name that linking and descriptors
//! read), without tokenising the same bytes once per window.
//!
//! [`window_tokens`] gives exactly what [`tokenize`] gives for the window's slice. The tokenizer
//! never looks past whitespace (it looks at most a few characters either side of a token, and
//! treats whitespace and the end of its text alike), so the tokens of a run of text between two
//! whitespace characters do not depend on anything outside it. A window is then its cut first
//! and last runs, tokenised as they stand, and the whole runs between, whose tokens are those of
//! the text: those come from blocks of the text (cut at ASCII whitespace) tokenised once and
//! kept in a small per-thread memo. The memo is checked against the bytes it was made from, so a
//! text edited since, or another text, can never be answered from it.

use std::cell::RefCell;

use super::tokenize;
use crate::analysis::model::Span;

/// Nominal size of a memoised block, in bytes (a block ends at the first ASCII whitespace at or
/// after a multiple of this).
const BLOCK: usize = 2048;
/// How many blocks the memo keeps (windows are asked for in document order, a few at a time).
const KEPT: usize = 8;
/// Windows shorter than this are tokenised directly (the memo would not pay).
const SHORT: usize = 64;

/// One tokenised block: where it lay, its bytes, and its tokens (offsets within the block).
struct Block {
    start: usize,
    bytes: Box<[u8]>,
    tokens: Box<[(u32, u32)]>,
}

#[derive(Default)]
struct Memo {
    /// Most recently used last.
    blocks: Vec<Block>,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// The tokens of `text[from..to]`, in `text`'s offsets: equal to [`tokenize`] of that slice,
/// shifted by `from`. `from` and `to` are clamped to the text and moved to char boundaries
/// (`from` forward, `to` back, never before `from`).
pub fn window_tokens(text: &str, from: usize, to: usize) -> Vec<Span> {
    let mut from = from.min(text.len());
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut to = to.clamp(from, text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let slice = &text[from..to];
    let direct = |a: usize, b: usize, out: &mut Vec<Span>| {
        out.extend(tokenize(&text[a..b]).into_iter().map(|s| s.shifted(a)));
    };
    // About one token per five bytes of prose.
    let mut out = Vec::with_capacity(slice.len() / 4);
    let spaces = (slice.len() >= SHORT)
        .then(|| {
            slice
                .find(char::is_whitespace)
                .zip(slice.rfind(char::is_whitespace))
        })
        .flatten();
    let Some((first, last)) = spaces else {
        direct(from, to, &mut out);
        return out;
    };
    // The cut first run, the whole runs between (from the memo), the cut last run.
    let (inner_start, inner_end) = (from + first, from + last + space_len(slice, last));
    direct(from, inner_start, &mut out);
    MEMO.with(|memo| match memo.try_borrow_mut() {
        Ok(mut memo) => memo.tokens_between(text, inner_start, inner_end, &mut out),
        Err(_) => direct(inner_start, inner_end, &mut out),
    });
    direct(inner_end, to, &mut out);
    out
}

/// Length in bytes of the whitespace character at byte `at` of `s`.
fn space_len(s: &str, at: usize) -> usize {
    s[at..].chars().next().map_or(1, char::len_utf8)
}

/// Where block `k` of `text` starts: 0 for the first, the text's end for any past it, else the
/// first ASCII whitespace byte in `k * BLOCK..(k + 1) * BLOCK` (`None` if there is none: the
/// block is part of the one before).
fn boundary(text: &[u8], k: usize) -> Option<usize> {
    let from = k * BLOCK;
    if k == 0 || from >= text.len() {
        return Some(if k == 0 { 0 } else { text.len() });
    }
    text[from..(from + BLOCK).min(text.len())]
        .iter()
        .position(|&b| b.is_ascii_whitespace() || b == 0x0B)
        .map(|p| from + p)
}

/// How many grid steps a block may extend over before the memo gives up (text without ASCII
/// whitespace): the rest of the window is then tokenised directly.
const MAX_STEPS: usize = 4;

impl Memo {
    /// Appends the tokens of `text` lying within `start..end` (both at whitespace boundaries).
    fn tokens_between(&mut self, text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
        let bytes = text.as_bytes();
        let direct = |a: usize, out: &mut Vec<Span>| {
            out.extend(tokenize(&text[a..end]).into_iter().map(|s| s.shifted(a)));
        };
        // The block holding `start`: the last boundary at or before it.
        let mut k = start / BLOCK;
        let mut steps = 0;
        let mut at = loop {
            match boundary(bytes, k) {
                Some(b) if b <= start => break b,
                _ if steps >= MAX_STEPS => return direct(start, out),
                _ => {
                    k -= 1;
                    steps += 1;
                }
            }
        };
        while at < end && at < bytes.len() {
            let mut next_k = k + 1;
            let next = loop {
                match boundary(bytes, next_k) {
                    Some(b) => break b,
                    None if next_k - k > MAX_STEPS => return direct(at.max(start), out),
                    None => next_k += 1,
                }
            };
            let block = self.block(text, at, next);
            // Tokens never hold whitespace and the bounds are at whitespace: the tokens within
            // are those starting from `start` up to those starting before `end`.
            let (lo, hi) = (start.saturating_sub(at), end - at);
            let first = block.tokens.partition_point(|&(s, _)| (s as usize) < lo);
            let last = block.tokens.partition_point(|&(s, _)| (s as usize) < hi);
            out.extend(
                block.tokens[first..last]
                    .iter()
                    .map(|&(s, e)| Span::new(at + s as usize, at + e as usize)),
            );
            (k, at) = (next_k, next);
        }
    }

    /// The tokenised block `text[start..end]`, from the memo when it holds those bytes there.
    fn block(&mut self, text: &str, start: usize, end: usize) -> &Block {
        let bytes = &text.as_bytes()[start..end];
        let found = self
            .blocks
            .iter()
            .position(|b| b.start == start && &b.bytes[..] == bytes);
        let block = match found {
            Some(i) => self.blocks.remove(i),
            None => {
                // Block bounds are ASCII bytes, so char boundaries.
                let tokens = tokenize(&text[start..end])
                    .into_iter()
                    .map(|s| (s.start as u32, s.end as u32))
                    .collect();
                if self.blocks.len() >= KEPT {
                    self.blocks.remove(0);
                }
                Block {
                    start,
                    bytes: bytes.into(),
                    tokens,
                }
            }
        };
        self.blocks.push(block);
        &self.blocks[self.blocks.len() - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn direct(text: &str, from: usize, to: usize) -> Vec<Span> {
        tokenize(&text[from..to])
            .into_iter()
            .map(|s| s.shifted(from))
            .collect()
    }

    #[test]
    fn windows_cut_inside_words_and_clitics_read_as_their_slices() {
        let text = "Ada Kroft’s aide, U.S. envoy Tom O'Neill, said they don't know. ".repeat(80);
        for (from, to) in [
            (0, text.len()),
            (5, 300),
            (11, 2500),
            (7, 4100),
            (2047, 2049),
        ] {
            let (from, to) = (from.min(text.len()), to.min(text.len()));
            if text.is_char_boundary(from) && text.is_char_boundary(to) {
                assert_eq!(window_tokens(&text, from, to), direct(&text, from, to));
            }
        }
    }

    #[test]
    fn an_edited_text_is_never_answered_from_the_memo() {
        let a = "word ".repeat(1000);
        let b = a.replacen("word word", "wordXword", 1);
        assert_eq!(window_tokens(&a, 0, a.len()), direct(&a, 0, a.len()));
        assert_eq!(window_tokens(&b, 0, b.len()), direct(&b, 0, b.len()));
    }

    #[test]
    fn text_without_ascii_whitespace_is_tokenised_directly_and_alike() {
        let text = "Kroft’s\u{a0}U.S.\u{2009}".repeat(900);
        let text = format!("{text} {text}");
        for (from, to) in [(0, text.len()), (3, 9000), (10_000, 24_000), (16, 16_400)] {
            let (mut from, mut to) = (from.min(text.len()), to.min(text.len()));
            while !text.is_char_boundary(from) {
                from += 1;
            }
            while !text.is_char_boundary(to) {
                to -= 1;
            }
            assert_eq!(window_tokens(&text, from, to), direct(&text, from, to));
        }
    }

    /// Text of tokens the tokenizer treats specially, joined by varied whitespace.
    fn article() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "Kroft",
            "’s",
            "'s",
            "n't",
            "don't",
            "O'Neill",
            "U.S.",
            "Mr.",
            "4.5",
            "1,000",
            "AT&T",
            "allies’",
            "...",
            "--",
            "“",
            "”",
            "(",
            ")",
            "é",
            "Zoë",
            "a",
            "W.",
            "co-op",
            ",",
            ".",
        ]);
        let space = prop::sample::select(vec!["", "", " ", "  ", "\n", "\u{a0}", "\u{2009}", "\t"]);
        prop::collection::vec((piece, space), 0..1200)
            .prop_map(|v| v.into_iter().map(|(p, s)| format!("{p}{s}")).collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn every_window_reads_as_its_slice(text in article(), a in 0usize..6000, len in 0usize..3000) {
            let mut from = a.min(text.len());
            while !text.is_char_boundary(from) { from += 1; }
            let mut to = (from + len).min(text.len());
            while !text.is_char_boundary(to) { to -= 1; }
            prop_assert_eq!(window_tokens(&text, from, to), direct(&text, from, to));
        }
    }
}
