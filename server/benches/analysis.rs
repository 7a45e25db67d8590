//! Criterion benchmarks of the analysis core (issue 7): full analysis per document size, a single
//! keystroke re-analysed in the middle of each, and NER throughput.
//!
//! Documents come from `copydesk-docgen`: fictional wire stories whose paragraphs are all distinct,
//! so a cache keyed by paragraph content cannot flatter the figures. Run with
//! `cargo bench -p copydesk --bench analysis` (filter with e.g. `-- keystroke/1MB`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use copydesk::analysis::{analyze, Analyzer, Edit};
use copydesk::entities::{link, recognize, RawMention};
use copydesk::text::tokenize;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// Full analysis from scratch of each generated size; throughput in bytes.
fn full_analysis(c: &mut Criterion) {
    let mut group = c.benchmark_group("full");
    for (name, size) in docgen::SIZES {
        let doc = docgen::article(size, 1);
        group.throughput(Throughput::Bytes(doc.len() as u64));
        if size >= 1 << 20 {
            group
                .sample_size(10)
                .measurement_time(Duration::from_secs(8));
        }
        group.bench_with_input(BenchmarkId::from_parameter(name), &doc, |b, doc| {
            b.iter(|| black_box(analyze(black_box(doc))));
        });
    }
    group.finish();
}

/// One keystroke in the middle of the document, re-analysed through `Analyzer::update`.
///
/// Iterations alternate typing a letter inside a word of the middle paragraph and deleting it
/// again, so every iteration is one real single-character edit of a warm analyzer. Only `update`
/// is timed: applying the edit to the `String` (a memmove of half the document, which the
/// server's rope does not pay) happens outside the measured window.
fn keystroke(c: &mut Criterion) {
    let mut group = c.benchmark_group("keystroke");
    for (name, size) in docgen::SIZES {
        let mut doc = docgen::article(size, 1);
        let at = middle_of_a_word(&doc);
        let mut analyzer = Analyzer::default();
        black_box(analyzer.reset(&doc));
        let mut typed = false;
        if size >= 1 << 20 {
            // Each iteration also moves half the String outside the timed window: fewer samples.
            group.sample_size(20);
        }
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter_custom(|iters| {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    let edit = if typed {
                        doc.replace_range(at..at + 1, "");
                        Edit {
                            start: at,
                            old_end: at + 1,
                            new_end: at,
                        }
                    } else {
                        doc.insert(at, 'x');
                        Edit {
                            start: at,
                            old_end: at,
                            new_end: at + 1,
                        }
                    };
                    typed = !typed;
                    let started = Instant::now();
                    black_box(analyzer.update(&doc, &[edit]));
                    spent += started.elapsed();
                }
                spent
            });
        });
    }
    group.finish();
}

/// NER throughput in tokens per second: the recogniser over every paragraph of a 1 MB article
/// (as the analysis calls it, one paragraph at a time), tokenising alone for comparison, and the
/// document-wide linking pass over the mentions found.
fn ner(c: &mut Criterion) {
    let doc = docgen::article(1024 * 1024, 2);
    let paragraphs: Vec<(usize, &str)> = paragraphs(&doc);
    let tokens: usize = paragraphs.iter().map(|(_, p)| tokenize(p).len()).sum();
    let mut group = c.benchmark_group("ner");
    group.throughput(Throughput::Elements(tokens as u64));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(6));
    group.bench_function("tokenize/1MB", |b| {
        b.iter(|| {
            paragraphs
                .iter()
                .map(|(_, p)| black_box(tokenize(p)).len())
                .sum::<usize>()
        });
    });
    group.bench_function("recognize/1MB", |b| {
        b.iter(|| {
            paragraphs
                .iter()
                .map(|(_, p)| black_box(recognize(p)).len())
                .sum::<usize>()
        });
    });
    let mentions: Vec<RawMention> = paragraphs
        .iter()
        .flat_map(|(base, p)| recognize(p).into_iter().map(move |m| m.shifted(*base)))
        .collect();
    group.throughput(Throughput::Elements(mentions.len() as u64));
    group.bench_function("link/1MB", |b| b.iter(|| black_box(link(&doc, &mentions))));
    group.finish();
}

/// The paragraphs of `doc` (split at blank lines) with their byte offsets.
fn paragraphs(doc: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in doc.split("\n\n") {
        if !piece.trim().is_empty() {
            out.push((start, piece));
        }
        start += piece.len() + 2;
    }
    out
}

/// A byte offset inside a word of the paragraph nearest the middle of `doc`.
fn middle_of_a_word(doc: &str) -> usize {
    let mid = docgen::edits::paragraph_end_near(doc, doc.len() / 2);
    let para_start = doc[..mid].rfind("\n\n").map_or(0, |i| i + 2);
    doc[para_start..mid]
        .char_indices()
        .find(|&(i, c)| {
            c.is_ascii_lowercase()
                && i > 0
                && doc.as_bytes()[para_start + i - 1].is_ascii_lowercase()
        })
        .map_or(para_start, |(i, _)| para_start + i)
}

criterion_group!(benches, full_analysis, keystroke, ner);
criterion_main!(benches);
