//! Lays out the tagger's lookup tables at build time (the joint index of the two NER models, the
//! gazetteer index, the word-cluster tables) in OUT_DIR, so that the binary embeds them ready to
//! be read in place: start-up builds nothing and the tables cost no heap. The formats and their
//! writers are `src/entities/tagger/tables.rs`, included here; tests in the crate check that each
//! embedded table equals the one built from server/data at run time.

use std::collections::HashMap;
use std::path::Path;

#[path = "src/entities/tagger/tables.rs"]
mod tables;

/// What the tokenizer needs of the crate: its span type.
mod analysis {
    pub mod model {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct Span {
            pub start: usize,
            pub end: usize,
        }

        impl Span {
            pub const fn new(start: usize, end: usize) -> Span {
                Span { start, end }
            }
        }
    }
}

/// The crate's tokenizer: gazetteer entries are keyed by the hashes of their tokens.
#[allow(dead_code)]
#[path = "src/text/tokens.rs"]
mod tokens;

use tables::{ClassTree, JointTable, PackedMap};

/// `tagger::features::fnv` (the models' feature ids depend on it, so it never changes).
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// `tagger::features::combine`.
const fn combine(acc: u64, h: u64) -> u64 {
    (acc.rotate_left(23) ^ h).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

fn read(path: &str) -> Vec<u8> {
    println!("cargo:rerun-if-changed={path}");
    std::fs::read(path).unwrap_or_else(|e| panic!("build.rs: cannot read {path}: {e}"))
}

fn text(path: &str) -> String {
    String::from_utf8(read(path)).unwrap_or_else(|e| panic!("build.rs: {path} is not UTF-8: {e}"))
}

fn write(name: &str, bytes: &[u8]) {
    let out = std::env::var("OUT_DIR").unwrap_or_else(|e| panic!("build.rs: OUT_DIR: {e}"));
    let path = Path::new(&out).join(name);
    std::fs::write(&path, bytes)
        .unwrap_or_else(|e| panic!("build.rs: cannot write {}: {e}", path.display()));
}

/// `tagger::gazetteer::MAX_TOKENS`.
const GAZETTEER_MAX_TOKENS: usize = 4;

/// The key of a gazetteer line: the hash of its lowercase tokens (`None` past the longest entry
/// kept), as `tagger::gazetteer` looks entries up.
fn entry_hash(line: &str) -> Option<u64> {
    let lower = line.to_lowercase();
    let spans = tokens::tokenize(&lower);
    if spans.is_empty() || spans.len() > GAZETTEER_MAX_TOKENS {
        return None;
    }
    Some(
        spans
            .iter()
            .map(|s| fnv(&lower[s.start..s.end]))
            .fold(0, combine),
    )
}

/// Hash of an entry's lowercase tokens → bit set of the lists (in `tagger::gazetteer::List`
/// order) it is on.
fn gazetteer() -> Vec<u8> {
    let mut entries: HashMap<u64, u8> = HashMap::new();
    for (bit, list) in ["locations", "first-names", "surnames"].iter().enumerate() {
        let table = text(&format!("data/gazetteers/{list}.txt"));
        for line in table
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            if let Some(h) = entry_hash(line) {
                *entries.entry(h).or_default() |= 1 << bit;
            }
        }
    }
    PackedMap::build(entries.into_iter().map(|(h, m)| (h, [m])).collect())
}

/// Word hash → its classes at the table's three granularities (u16 each); a word listed twice
/// keeps its last line, as `tagger::clusters` reads the table.
fn class_lines(path: &str) -> HashMap<u64, [u16; 3]> {
    let table = text(path);
    let mut entries = HashMap::new();
    for line in table.lines().filter(|l| !l.starts_with('#')) {
        let mut cols = line.split('\t');
        let Some(word) = cols.next().filter(|w| !w.is_empty()) else {
            continue;
        };
        let mut ids = [0u16; 3];
        let mut ok = true;
        for id in ids.iter_mut() {
            match cols.next().and_then(|c| c.parse::<u16>().ok()) {
                Some(v) => *id = v,
                None => ok = false,
            }
        }
        if ok {
            entries.insert(fnv(word), ids);
        }
    }
    entries
}

/// A class table as a map of 6-byte values (three u16).
fn clusters(path: &str) -> Vec<u8> {
    PackedMap::build(
        class_lines(path)
            .into_iter()
            .map(|(h, ids)| {
                let mut value = [0u8; 6];
                for (b, id) in value.chunks_exact_mut(2).zip(ids) {
                    b.copy_from_slice(&id.to_le_bytes());
                }
                (h, value)
            })
            .collect(),
    )
}

/// A table of nested classes (hierarchical k-means) as a class tree: each word's finest class,
/// and the coarser classes of each finest one.
fn class_tree(path: &str) -> Vec<u8> {
    let entries: Vec<(u64, [u16; 3])> = class_lines(path).into_iter().collect();
    ClassTree::build(&entries)
        .unwrap_or_else(|| panic!("build.rs: the classes of {path} do not nest"))
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/entities/tagger/tables.rs");
    println!("cargo:rerun-if-changed=src/text/tokens.rs");
    // Models whose bucket counts differ have no joint index: an empty file, and the tagger
    // probes each model on its own.
    let joint = JointTable::build(&read("data/ner.model"), &read("data/ner-doc.model"));
    write("joint.idx", &joint.unwrap_or_default());
    write("gazetteer.idx", &gazetteer());
    write("clusters.idx", &clusters("data/clusters.txt"));
    write(
        "embedding-classes.idx",
        &class_tree("data/embedding-classes.txt"),
    );
}
