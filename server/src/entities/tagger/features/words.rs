//! What feature extraction needs of one word alone, computed once per distinct word: its hashes
//! and word classes, and the features that name only it (as the token or as a neighbour),
//! remembered across sequences in a small bounded memo.
//!
//! A word's features do not depend on where it stands, so the memo returns exactly what
//! [`Word::of`] computes; extraction still pushes every feature in template order.

use std::sync::Mutex;

use super::super::{clusters, embedding_classes, gazetteer, LABELS};
use super::{
    feature, fnv, lowercase, opens_sentence, shape_hash, RowTable, FNV_OFFSET, FNV_PRIME, PROBE,
};

/// Word classes of a word in neither table.
pub(super) const UNSEEN: u16 = u16::MAX;

/// One word as extraction sees it.
#[derive(Clone, Copy)]
pub(super) struct Word {
    /// [`fnv`] of the lowercase word.
    pub lower: u64,
    /// [`shape_hash`] of the word.
    pub shape: u64,
    /// Its coarsest word class ([`UNSEEN`] if none).
    pub cluster0: u16,
    /// It begins with an upper-case letter.
    pub capitalised: bool,
    /// It has a letter, and none of them lower case (what makes a sequence all capitals).
    pub alphabetic: bool,
    pub no_lowercase: bool,
    /// A capitalised word after it may simply open a sentence ([`opens_sentence`]).
    pub opens: bool,
    /// A gazetteer entry may start at it ([`gazetteer::may_open_entry`]).
    pub may_open_entry: bool,
    own_len: u8,
    /// Templates 1, 2, 3 and the prefix (4) and suffix (5) pairs, in the order they are pushed.
    pub own: [u64; 11],
    /// Templates 26 (word class at each level), 29, 32 (vector class at each level), 33.
    pub classes: [u64; 8],
    /// Its features as the token before another: templates 6, 10, 27 and 34.
    pub as_prev: [u64; 4],
    /// As the token after: templates 7, 11, 28 and 35.
    pub as_next: [u64; 4],
    /// Two tokens before and after: templates 8 and 30, 9 and 31.
    pub as_prev2: [u64; 2],
    pub as_next2: [u64; 2],
    /// The rows of those features in one scorer's table.
    pub rows: Rows,
}

/// The rows of a [`Word`]'s features (field by field) in the table [`RowTable::id`] `table`;
/// [`PROBE`] for all when `table` is 0 (none).
#[derive(Clone, Copy)]
pub(super) struct Rows {
    table: u64,
    /// The table's [`RowTable::prefix`] of the word: its scores of the bias and of templates 1
    /// to 5, summed from zero in the order they are pushed (so the same bits as a scorer adding
    /// them one by one from zero); zeros when `table` is 0.
    pub prefix: [f32; LABELS],
    pub own: [u32; 11],
    pub classes: [u32; 8],
    pub as_prev: [u32; 4],
    pub as_next: [u32; 4],
    pub as_prev2: [u32; 2],
    pub as_next2: [u32; 2],
}

impl Rows {
    const NONE: Rows = Rows {
        table: 0,
        prefix: [0.0; LABELS],
        own: [PROBE; 11],
        classes: [PROBE; 8],
        as_prev: [PROBE; 4],
        as_next: [PROBE; 4],
        as_prev2: [PROBE; 2],
        as_next2: [PROBE; 2],
    };
}

impl Word {
    /// Everything extraction needs of `word`.
    pub(super) fn of(word: &str) -> Word {
        let lower_word = lowercase(word);
        let lower_word: &str = &lower_word;
        let lower = fnv(lower_word);
        let shape = shape_hash(word);
        let cluster = clusters::lookup(word, lower_word).unwrap_or([UNSEEN; clusters::LEVELS]);
        let embedded =
            embedding_classes::lookup(lower_word).unwrap_or([UNSEEN; embedding_classes::LEVELS]);
        let mut own = [0; 11];
        own[0] = feature(1, fnv(word), 0, 0);
        own[1] = feature(2, lower, 0, 0);
        own[2] = feature(3, shape, 0, 0);
        let mut own_len = 3;
        // Prefix hashes are the running FNV state; suffixes hash the characters from the end.
        let mut prefix = [0u64; 4];
        let (mut h, mut n) = (FNV_OFFSET, 0);
        for c in lower_word.chars().take(4) {
            let mut buf = [0u8; 4];
            for &b in c.encode_utf8(&mut buf).as_bytes() {
                h = (h ^ b as u64).wrapping_mul(FNV_PRIME);
            }
            prefix[n] = h;
            n += 1;
        }
        let mut suffix = [0u64; 4];
        let mut h = FNV_OFFSET ^ 0x55;
        for (k, c) in lower_word.chars().rev().take(4).enumerate() {
            let mut buf = [0u8; 4];
            for &b in c.encode_utf8(&mut buf).as_bytes() {
                h = (h ^ b as u64).wrapping_mul(FNV_PRIME);
            }
            suffix[k] = h;
        }
        for k in 0..n {
            own[own_len] = feature(4, prefix[k], 0, 0);
            own[own_len + 1] = feature(5, suffix[k], 0, 0);
            own_len += 2;
        }
        let mut classes = [0; 8];
        for (level, &c) in cluster.iter().enumerate() {
            classes[level] = feature(26, level as u64, c as u64, 0);
        }
        classes[3] = feature(29, cluster[2] as u64, shape, 0);
        for (level, &c) in embedded.iter().enumerate() {
            classes[4 + level] = feature(32, level as u64, c as u64, 0);
        }
        classes[7] = feature(33, embedded[2] as u64, shape, 0);
        let mut w = Word::neighbour(lower, shape, cluster[0], cluster[1], embedded[1]);
        w.capitalised = word.chars().next().is_some_and(char::is_uppercase);
        w.alphabetic = word.chars().any(char::is_alphabetic);
        w.no_lowercase = !word.chars().any(char::is_lowercase);
        w.opens = opens_sentence(Some(word));
        w.may_open_entry = gazetteer::may_open_entry(lower_word);
        w.own = own;
        w.own_len = own_len as u8;
        w.classes = classes;
        w
    }

    /// A word as far as its neighbours see it (also what stands before the first token and
    /// after the last: `START` or `END` with unseen classes).
    pub(super) fn neighbour(lower: u64, shape: u64, c0: u16, c1: u16, e1: u16) -> Word {
        Word {
            lower,
            shape,
            cluster0: c0,
            capitalised: false,
            alphabetic: false,
            no_lowercase: true,
            opens: false,
            may_open_entry: false,
            own_len: 0,
            own: [0; 11],
            classes: [0; 8],
            as_prev: [
                feature(6, lower, 0, 0),
                feature(10, shape, 0, 0),
                feature(27, c1 as u64, 0, 0),
                feature(34, e1 as u64, 0, 0),
            ],
            as_next: [
                feature(7, lower, 0, 0),
                feature(11, shape, 0, 0),
                feature(28, c1 as u64, 0, 0),
                feature(35, e1 as u64, 0, 0),
            ],
            as_prev2: [feature(8, lower, 0, 0), feature(30, c1 as u64, 0, 0)],
            as_next2: [feature(9, lower, 0, 0), feature(31, c1 as u64, 0, 0)],
            rows: Rows::NONE,
        }
    }

    /// Look up the word's features in `table` (once per word and table).
    pub(super) fn resolve<F: Fn(u64) -> u32>(&mut self, table: &RowTable<'_, F>) {
        if self.rows.table == table.id {
            return;
        }
        fn all<const N: usize>(ids: &[u64; N], find: impl Fn(u64) -> u32) -> [u32; N] {
            ids.map(find)
        }
        let find = &table.find;
        let mut own = all(&self.own, find);
        // Past `own_len` the ids are not features.
        for row in own.iter_mut().skip(self.own_len as usize) {
            *row = PROBE;
        }
        // The bias and the word's own features, as extraction pushes them first.
        let mut ids = [0u64; 12];
        let mut rows = [PROBE; 12];
        ids[0] = feature(0, 0, 0, 0);
        rows[0] = find(ids[0]);
        let n = 1 + self.own_len as usize;
        ids[1..n].copy_from_slice(self.own());
        rows[1..n].copy_from_slice(&own[..n - 1]);
        self.rows = Rows {
            table: table.id,
            prefix: (table.prefix)(&ids[..n], &rows[..n]),
            own,
            classes: all(&self.classes, find),
            as_prev: all(&self.as_prev, find),
            as_next: all(&self.as_next, find),
            as_prev2: all(&self.as_prev2, find),
            as_next2: all(&self.as_next2, find),
        };
    }

    /// Templates 1 to 5 of the word, in order.
    pub(super) fn own(&self) -> &[u64] {
        &self.own[..self.own_len as usize]
    }
}

/// Longest word the memo keeps, in bytes (longer ones are computed each time: rare).
const KEY: usize = 24;
/// Number of slots: direct mapped by the word's hash. 2048 × 512 bytes ≈ 1 MiB, allocated on
/// first use and kept for the process (one memo, whatever the number of documents).
pub(super) const SLOTS: usize = 2048;

#[derive(Clone, Copy)]
struct Slot {
    /// The word's bytes (`len` of them); `len` is `u8::MAX` for an empty slot.
    key: [u8; KEY],
    len: u8,
    /// The last [`Memo::fill`] whose sequence has the word (it must not be evicted for another
    /// word of the same sequence).
    claimed: u32,
    word: Word,
}

/// Recently seen words' [`Word`]s, and where [`Memo::fill`] put those of one sequence.
pub(super) struct Memo {
    slots: Vec<Slot>,
    /// Each token's slot, or `SLOTS + i` for `overflow[i]`.
    refs: Vec<u32>,
    /// Words not kept in a slot: too long, or sharing their slot with an earlier word of the
    /// same sequence.
    overflow: Vec<Word>,
    fills: u32,
}

/// The process's memo. Extraction takes it with `try_lock` and computes each word afresh when
/// another thread holds it: the features are the same either way.
pub(super) static MEMO: Mutex<Memo> = Mutex::new(Memo::new());

impl Memo {
    /// An empty memo (its slots are allocated on first use).
    pub(super) const fn new() -> Memo {
        Memo {
            slots: Vec::new(),
            refs: Vec::new(),
            overflow: Vec::new(),
            fills: 0,
        }
    }

    /// Find or compute the [`Word`]s of `words` ([`Memo::words`] gives them), with their rows
    /// in `table` if one is given.
    pub(super) fn fill<F: Fn(u64) -> u32>(
        &mut self,
        words: &[&str],
        table: Option<&RowTable<'_, F>>,
    ) {
        if self.slots.is_empty() {
            let empty = Slot {
                key: [0; KEY],
                len: u8::MAX,
                claimed: 0,
                word: Word::neighbour(0, 0, 0, 0, 0),
            };
            self.slots = vec![empty; SLOTS];
        }
        // Wrapping is harmless: a stale claim only sends a word to `overflow`.
        self.fills = self.fills.wrapping_add(1);
        self.refs.clear();
        self.overflow.clear();
        for w in words {
            let bytes = w.as_bytes();
            let at = slot_of(bytes);
            let slot = match self.slots.get_mut(at) {
                Some(slot) if bytes.len() <= KEY => slot,
                _ => {
                    self.refs.push((SLOTS + self.overflow.len()) as u32);
                    self.overflow.push(resolved(Word::of(w), table));
                    continue;
                }
            };
            // The key is the whole word, compared byte for byte: two words sharing a slot
            // evict each other, never stand for each other.
            if slot.len as usize != bytes.len() || slot.key[..bytes.len()] != *bytes {
                if slot.claimed == self.fills {
                    self.refs.push((SLOTS + self.overflow.len()) as u32);
                    self.overflow.push(resolved(Word::of(w), table));
                    continue;
                }
                slot.word = Word::of(w);
                slot.key[..bytes.len()].copy_from_slice(bytes);
                slot.len = bytes.len() as u8;
            }
            slot.claimed = self.fills;
            // Rows are kept for the last table asked about (in practice there is one).
            if let Some(table) = table {
                slot.word.resolve(table);
            }
            self.refs.push(at as u32);
        }
    }

    /// The [`Word`]s of the sequence last given to [`Memo::fill`].
    pub(super) fn words(&self) -> Vec<&Word> {
        self.refs
            .iter()
            .filter_map(|&r| match (r as usize).checked_sub(SLOTS) {
                None => self.slots.get(r as usize).map(|s| &s.word),
                Some(i) => self.overflow.get(i),
            })
            .collect()
    }
}

/// `word` with its rows in `table`, if one is given.
fn resolved<F: Fn(u64) -> u32>(mut word: Word, table: Option<&RowTable<'_, F>>) -> Word {
    if let Some(table) = table {
        word.resolve(table);
    }
    word
}

/// The slot of a word (of at most [`KEY`] bytes).
pub(super) fn slot_of(bytes: &[u8]) -> usize {
    let h = bytes
        .iter()
        .fold(FNV_OFFSET, |h, &b| (h ^ b as u64).wrapping_mul(FNV_PRIME));
    ((h ^ (h >> 32)) as usize) & (SLOTS - 1)
}
