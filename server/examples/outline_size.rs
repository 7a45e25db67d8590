//! Counts the outline's nodes by kind and their JSON size on a generated article, to see what
//! documentSymbol sends for a long read.
//!
//! `cargo run --release --example outline_size -- [BYTES]` (default 1000000).

use std::collections::BTreeMap;

use copydesk::analysis::analyze;
use copydesk::features::outline::{outline, OutlineNode};
use copydesk::features::{Article, Language};

fn count(node: &OutlineNode, depth: usize, by: &mut BTreeMap<String, usize>) {
    *by.entry(format!("{depth} {:?}", node.kind)).or_default() += 1;
    for c in &node.children {
        count(c, depth + 1, by);
    }
}

fn main() {
    let size: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let text = docgen::article(size, 1);
    let analysis = analyze(&text);
    let article = Article::new(&text, &analysis, Language::PlainText);
    let nodes = outline(&article);
    let mut by = BTreeMap::new();
    for n in &nodes {
        count(n, 0, &mut by);
    }
    let total: usize = by.values().sum();
    for (k, v) in &by {
        println!("{v:>8}  depth {k}");
    }
    println!("{total:>8}  nodes for {} bytes", text.len());
}
