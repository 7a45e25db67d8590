//! Trains and evaluates the NER tagger on CoNLL-2003 files (used by scripts/train-ner and
//! scripts/eval-ner; not part of the product).
//!
//! `train_ner train --train FILE --dev FILE --out MODEL` and
//! `train_ner eval FILE [--predictions OUT] [--model MODEL] [--no-consistency]`.

use std::io::Write;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use copydesk::entities::tagger::{self, conll, train};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    match args.first().map(String::as_str) {
        Some("train") => {
            let (Some(train_path), Some(dev_path), Some(out)) =
                (flag("--train"), flag("--dev"), flag("--out"))
            else {
                bail!("usage: train_ner train --train FILE --dev FILE --out MODEL");
            };
            let read = |p: &str| -> Result<Vec<Vec<conll::Sentence>>> {
                Ok(conll::read(
                    &std::fs::read_to_string(p).with_context(|| format!("reading {p}"))?,
                ))
            };
            let (train_docs, dev_docs) = (read(&train_path)?, read(&dev_path)?);
            let start = Instant::now();
            let mut opts = train::Options::default();
            if let Some(n) = flag("--max-epochs") {
                opts.max_epochs = n.parse().context("--max-epochs")?;
            }
            if let Some(n) = flag("--caps-every") {
                opts.caps_every = n.parse().context("--caps-every")?;
            }
            if let Some(n) = flag("--min-count") {
                opts.min_count = n.parse().context("--min-count")?;
            }
            // The order training sentences are shuffled in: variants of a recipe are compared
            // by their dev F1 over several seeds, not one draw.
            if let Some(n) = flag("--seed") {
                opts.seed = n.parse().context("--seed")?;
            }
            // Largest model file: the features with the smallest weights are dropped to fit.
            if let Some(n) = flag("--max-bytes") {
                opts.max_bytes = n.parse().context("--max-bytes")?;
            }
            // Several perceptrons on different orders, averaged into one model (same format).
            if let Some(n) = flag("--ensemble") {
                opts.ensemble = n.parse().context("--ensemble")?;
            }
            // Hide a token's word-identity features with this chance each time its sentence is
            // trained on (all tokens, or with --dropout-entities-only those in gold entities).
            if let Some(p) = flag("--word-dropout") {
                opts.word_dropout = p.parse().context("--word-dropout")?;
            }
            opts.dropout_entities_only = args.iter().any(|a| a == "--dropout-entities-only");
            let log = |line: &str| {
                eprintln!("[{:>6.1}s] {line}", start.elapsed().as_secs_f64());
            };
            let (bytes, epoch) =
                train::train_keeping_epoch(&train_docs, &dev_docs, &opts, None, log);
            if bytes.is_empty() {
                bail!("training produced no model");
            }
            std::fs::write(&out, &bytes).with_context(|| format!("writing {out}"))?;
            eprintln!("wrote {out} ({} bytes)", bytes.len());
            if let Some(out_doc) = flag("--out-doc") {
                let folds: usize = flag("--folds")
                    .map_or(Ok(5), |n| n.parse())
                    .context("--folds")?;
                let first_bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
                let first = tagger::Model::read(first_bytes)
                    .context("the first-stage model does not read back")?;
                let doc = tagger::train_doc::train_second(
                    &train_docs,
                    &dev_docs,
                    &first,
                    &tagger::train_doc::SecondOptions {
                        epochs: epoch,
                        folds,
                        single: args.iter().any(|a| a == "--single"),
                    },
                    &opts,
                    log,
                );
                if doc.is_empty() {
                    bail!("second-stage training produced no model");
                }
                std::fs::write(&out_doc, &doc).with_context(|| format!("writing {out_doc}"))?;
                eprintln!("wrote {out_doc} ({} bytes)", doc.len());
            }
            Ok(())
        }
        Some("clusters") => {
            // Word classes from unlabelled text: the words of CoNLL files (labels unused) and
            // every .txt file under the given folders.
            let Some(out) = flag("--out") else {
                bail!("usage: train_ner clusters --out TABLE [--conll FILE]... [--text DIR]...");
            };
            let many = |name: &str| -> Vec<String> {
                args.windows(2)
                    .filter(|w| w[0] == name)
                    .map(|w| w[1].clone())
                    .collect()
            };
            let mut seqs: Vec<Vec<String>> = Vec::new();
            let mut sources = Vec::new();
            for p in many("--conll") {
                let text = std::fs::read_to_string(&p).with_context(|| format!("reading {p}"))?;
                for s in conll::read(&text).into_iter().flatten() {
                    seqs.push(
                        s.words
                            .iter()
                            .map(|w| tagger::normalise(w).into_owned())
                            .collect(),
                    );
                }
                sources.push(short_path(&p));
            }
            for dir in many("--text") {
                let mut files = Vec::new();
                collect_txt(std::path::Path::new(&dir), &mut files)?;
                files.sort();
                for f in &files {
                    let text = std::fs::read_to_string(f)
                        .with_context(|| format!("reading {}", f.display()))?;
                    for line in text.lines() {
                        let words: Vec<String> = copydesk::text::tokenize(line)
                            .iter()
                            .map(|s| tagger::normalise(&line[s.start..s.end]).into_owned())
                            .collect();
                        if !words.is_empty() {
                            seqs.push(words);
                        }
                    }
                }
                sources.push(format!("{} ({} files)", short_path(&dir), files.len()));
            }
            let min_count: u32 = flag("--min-count")
                .map_or(Ok(2), |n| n.parse())
                .context("--min-count")?;
            let (sizes, iterations) = class_sizes(flag("--sizes"), flag("--iterations"), 10)?;
            let start = Instant::now();
            let table = tagger::clusters::induce(&seqs, min_count, &sizes, iterations, |line| {
                eprintln!("[{:>6.1}s] {line}", start.elapsed().as_secs_f64());
            });
            let mut text = format!(
                "# Word classes by the exchange algorithm (train_ner clusters; scripts/train-ner), {} classes,\n# {iterations} passes, words seen at least {min_count} times in unlabelled text: {}\n",
                sizes.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("/"),
                sources.join(", ")
            );
            for (w, ids) in &table {
                if w.contains(['\t', '\n']) || w.starts_with('#') {
                    continue;
                }
                push_class_row(&mut text, w, ids);
            }
            std::fs::write(&out, text).with_context(|| format!("writing {out}"))?;
            eprintln!("wrote {out} ({} words)", table.len());
            Ok(())
        }
        Some("embedding-classes") => {
            // Word classes from pretrained vectors: a .npy matrix (one row a word) and its
            // vocabulary (one word a line, in the matrix's row order, most frequent first).
            let (Some(npy), Some(vocab), Some(out)) =
                (flag("--npy"), flag("--vocab"), flag("--out"))
            else {
                bail!("usage: train_ner embedding-classes --npy FILE --vocab FILE --out TABLE [--limit N] [--sizes 64,256,1024] [--iterations N]");
            };
            let limit: usize = flag("--limit")
                .map_or(Ok(100_000), |n| n.parse())
                .context("--limit")?;
            let (sizes, iterations) = class_sizes(flag("--sizes"), flag("--iterations"), 15)?;
            let bytes = std::fs::read(&npy).with_context(|| format!("reading {npy}"))?;
            let (mut vectors, dim) = tagger::embedding_classes::read_npy(&bytes, limit)
                .map_err(|e| anyhow::anyhow!("{npy}: {e}"))?;
            let words_text =
                std::fs::read_to_string(&vocab).with_context(|| format!("reading {vocab}"))?;
            let words: Vec<&str> = words_text.lines().take(vectors.len() / dim).collect();
            if words.len() * dim != vectors.len() {
                bail!("{vocab} has fewer words than {npy} has rows");
            }
            let start = Instant::now();
            let classes =
                tagger::embedding_classes::induce(&mut vectors, dim, &sizes, iterations, |line| {
                    eprintln!("[{:>6.1}s] {line}", start.elapsed().as_secs_f64());
                });
            let mut text = format!(
                "# Word classes by hierarchical spherical k-means (train_ner embedding-classes; scripts/train-ner), {} classes,\n# {iterations} passes, the {} most frequent words of {} ({dim} dimensions)\n",
                sizes.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("/"),
                words.len(),
                short_path(&npy),
            );
            let mut kept = 0;
            for (w, ids) in words.iter().zip(&classes) {
                if w.is_empty() || w.contains(['\t', '\n', ' ']) || w.starts_with('#') {
                    continue;
                }
                push_class_row(&mut text, w, ids);
                kept += 1;
            }
            std::fs::write(&out, text).with_context(|| format!("writing {out}"))?;
            eprintln!("wrote {out} ({kept} words)");
            Ok(())
        }
        Some("eval") => {
            const USAGE: &str = "usage: train_ner eval FILE [--predictions OUT] [--model MODEL] \
                [--model-doc MODEL] [--no-consistency] [--first-stage-only]";
            let Some(path) = args.get(1).filter(|a| !a.starts_with("--")) else {
                bail!(USAGE);
            };
            // An unknown option must not go unnoticed: a misspelt --model-doc would score the
            // embedded second stage instead of the one meant.
            let mut rest = args.iter().skip(2);
            while let Some(a) = rest.next() {
                match a.as_str() {
                    "--predictions" | "--model" | "--model-doc" => {
                        if rest.next().is_none() {
                            bail!("{a} needs a value\n{USAGE}");
                        }
                    }
                    "--no-consistency" | "--first-stage-only" => {}
                    _ => bail!("unknown argument {a}\n{USAGE}"),
                }
            }
            eval(
                path,
                flag("--predictions"),
                flag("--model"),
                flag("--model-doc"),
                !args.iter().any(|a| a == "--no-consistency"),
                !args.iter().any(|a| a == "--first-stage-only"),
            )
        }
        Some("link") => {
            // Debugging aid: the entities of an article, paragraph by paragraph as the analysis does.
            let Some(path) = args.get(1) else {
                bail!("usage: train_ner link ARTICLE")
            };
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
            let mut mentions = Vec::new();
            let mut base = 0;
            for para in text.split_inclusive('\n') {
                mentions.extend(
                    copydesk::entities::recognize(para)
                        .into_iter()
                        .map(|m| m.shifted(base)),
                );
                base += para.len();
            }
            let linked = copydesk::entities::link(&text, &mentions);
            for e in &linked.entities {
                let ms: Vec<&str> = e
                    .mentions
                    .iter()
                    .map(|m| &text[m.span.start..m.span.end])
                    .collect();
                println!(
                    "{} {:?} {:?} {:?} {:?}",
                    e.id, e.kind, e.name, e.descriptors, ms
                );
            }
            Ok(())
        }
        _ => bail!("usage: train_ner train|eval|clusters|link ..."),
    }
}

/// The word-class commands' `--sizes` (classes at each level, default 64,256,1024) and
/// `--iterations` (default `default_iterations`).
fn class_sizes(
    sizes: Option<String>,
    iterations: Option<String>,
    default_iterations: usize,
) -> Result<(Vec<usize>, usize)> {
    let sizes = sizes
        .unwrap_or_else(|| "64,256,1024".into())
        .split(',')
        .map(|n| n.parse())
        .collect::<Result<_, _>>()
        .context("--sizes")?;
    let iterations = iterations
        .map_or(Ok(default_iterations), |n| n.parse())
        .context("--iterations")?;
    Ok((sizes, iterations))
}

/// One line of a word-class table: the word, then its class at each level, tab-separated.
fn push_class_row<T: ToString>(text: &mut String, word: &str, ids: impl IntoIterator<Item = T>) {
    text.push_str(word);
    for id in ids {
        text.push('\t');
        text.push_str(&id.to_string());
    }
    text.push('\n');
}

fn read_model(p: &str) -> Result<tagger::Model> {
    let bytes: &'static [u8] = Box::leak(
        std::fs::read(p)
            .with_context(|| format!("reading {p}"))?
            .into_boxed_slice(),
    );
    tagger::Model::read(bytes).with_context(|| format!("{p} is not a model"))
}

fn eval(
    path: &str,
    predictions: Option<String>,
    model_path: Option<String>,
    doc_model_path: Option<String>,
    consistency: bool,
    second_stage: bool,
) -> Result<()> {
    let docs =
        conll::read(&std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?);
    let embedded = model_path.is_none() && doc_model_path.is_none();
    let doc_model = match doc_model_path {
        Some(p) => Some(read_model(&p)?),
        None => tagger::document_model().map(tagger::Model::clone_ref),
    }
    .filter(|_| second_stage);
    let model = match model_path {
        Some(p) => read_model(&p)?,
        None => {
            let load = Instant::now();
            let Some(m) = tagger::model() else {
                bail!("no model embedded in this build")
            };
            eprintln!(
                "embedded model opened in {:.3} ms",
                load.elapsed().as_secs_f64() * 1000.0
            );
            tagger::Model::clone_ref(m)
        }
    };
    // Tag every sentence, timing the tagger alone (features, scoring, decoding).
    let normal: Vec<Vec<Vec<String>>> = docs
        .iter()
        .map(|d| {
            d.iter()
                .map(|s| {
                    s.words
                        .iter()
                        .map(|w| tagger::normalise(w).into_owned())
                        .collect()
                })
                .collect()
        })
        .collect();
    // The embedded models' two stages are the product's (their joint index is built once per
    // process); models read from files get their own.
    let own_two = doc_model
        .as_ref()
        .filter(|_| !embedded)
        .map(|m| tagger::nonlocal::TwoStage::with_joint(&model, m));
    let two = match own_two.as_ref() {
        Some(t) => Some(t),
        None if doc_model.is_some() => tagger::nonlocal::TwoStage::embedded(),
        None => None,
    };
    // Warm up: the gazetteer index and the embedded models' joint index are built on first
    // use, once per process.
    let _ = model.tag(&["Warm", "up"]);
    let start = Instant::now();
    let cpu_start = thread_cpu_seconds();
    let mut labels: Vec<Vec<Vec<u8>>> = normal
        .iter()
        .map(|d| {
            let words: Vec<Vec<&str>> = d
                .iter()
                .map(|s| s.iter().map(String::as_str).collect())
                .collect();
            let Some(two) = two else {
                return words.iter().map(|w| model.tag(w)).collect();
            };
            let first: Vec<(Vec<u8>, Vec<[f32; tagger::LABELS]>)> =
                words.iter().map(|w| two.first_stage(w)).collect();
            let keys: Vec<Vec<tagger::nonlocal::TokenKey>> =
                words.iter().map(|w| tagger::nonlocal::keys(w)).collect();
            let stats = tagger::nonlocal::DocStats::of(
                keys.iter().zip(&first).map(|(k, (l, _))| (&k[..], &l[..])),
            );
            words
                .iter()
                .zip(&keys)
                .zip(first)
                .map(|((w, k), (l, local))| two.tag(w, k, &l, local, &stats))
                .collect()
        })
        .collect();
    let tag_secs = start.elapsed().as_secs_f64();
    let tag_cpu = thread_cpu_seconds().zip(cpu_start).map(|(b, a)| b - a);
    if consistency {
        for (d, l) in docs.iter().zip(labels.iter_mut()) {
            let words: Vec<Vec<&str>> = d
                .iter()
                .map(|s| s.words.iter().map(String::as_str).collect())
                .collect();
            conll::harmonise(&words, l);
        }
    }
    let mut score = conll::Score::default();
    let mut out = predictions
        .map(|p| {
            std::fs::File::create(&p)
                .map(std::io::BufWriter::new)
                .with_context(|| format!("creating {p}"))
        })
        .transpose()?;
    for (d, dl) in docs.iter().zip(&labels) {
        for (s, l) in d.iter().zip(dl) {
            score.add(&s.tags, l);
            if let Some(out) = out.as_mut() {
                for ((w, g), p) in s.words.iter().zip(&s.tags).zip(conll::iob(l)) {
                    writeln!(out, "{w} {g} {p}")?;
                }
                writeln!(out)?;
            }
        }
    }
    if let Some(mut out) = out {
        out.flush()?;
    }
    print!("{}", score.report());
    println!(
        "tagger: {} tokens in {:.3} s wall = {:.0} tokens/s (one thread, pre-tokenised input){}",
        score.tokens,
        tag_secs,
        score.tokens as f64 / tag_secs,
        match (two.is_some(), consistency) {
            (true, true) => "; two stages, document consistency step on",
            (true, false) => "; two stages",
            (false, true) => "; first stage only, document consistency step on",
            (false, false) => "; first stage only",
        }
    );
    if let Some(cpu) = tag_cpu {
        println!(
            "tagger: {:.3} s of this thread's CPU time = {:.0} tokens/s per core",
            cpu,
            score.tokens as f64 / cpu
        );
    }
    // End to end as the product runs it: raw text through the tokenizer and the tagger; with two
    // stages, each sentence as a paragraph through the embedded models' first stage and each
    // document's second stage, as the analysis' paragraph and document passes call them.
    let product_path = two.is_some() && embedded;
    let texts: Vec<Vec<String>> = docs
        .iter()
        .map(|d| d.iter().map(|s| s.words.join(" ")).collect())
        .collect();
    let start = Instant::now();
    let cpu_start = thread_cpu_seconds();
    let mut mentions = 0usize;
    let mut cache = copydesk::entities::SecondStageCache::default();
    for doc in &texts {
        if product_path {
            // The paragraph pass tokenizes once and hands the tokens to the first stage.
            let tokens: Vec<_> = doc.iter().map(|t| copydesk::text::tokenize(t)).collect();
            let firsts: Vec<_> = doc
                .iter()
                .zip(&tokens)
                .map(|(t, k)| copydesk::entities::recognize_staged_tokens(t, k))
                .collect();
            let tokens: Vec<copydesk::text::TokenSpans> =
                tokens.into_iter().map(Into::into).collect();
            let staged: Vec<copydesk::entities::StagedParagraph<'_>> = doc
                .iter()
                .zip(&tokens)
                .zip(&firsts)
                .map(|((t, k), (m, f))| copydesk::entities::StagedParagraph {
                    prose: t,
                    tokens: k,
                    first: f,
                    mentions: m,
                    dateline: None,
                })
                .collect();
            mentions += copydesk::entities::retag(&staged, &mut cache)
                .map_or(0, |ms| ms.iter().map(Vec::len).sum());
        } else {
            for t in doc {
                mentions += tagger::recognize_with(&model, t).len();
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let cpu = thread_cpu_seconds().zip(cpu_start).map(|(b, a)| b - a);
    println!(
        "end to end (tokenize + tag raw text{}): {:.0} tokens/s wall{}, {mentions} mentions",
        if product_path {
            ", both stages as the analysis runs them"
        } else {
            ""
        },
        score.tokens as f64 / secs,
        cpu.map(|c| format!(
            ", {:.0} tokens/s per core (thread CPU time)",
            score.tokens as f64 / c
        ))
        .unwrap_or_default()
    );
    Ok(())
}

/// The last two components of a path (the data set and the file), for provenance lines that do
/// not depend on where the data sits on one machine.
fn short_path(p: &str) -> String {
    let parts: Vec<&str> = p.trim_end_matches('/').rsplit('/').take(2).collect();
    parts.into_iter().rev().collect::<Vec<_>>().join("/")
}

fn collect_txt(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect_txt(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "txt") {
            out.push(path);
        }
    }
    Ok(())
}

/// CPU time of the calling thread (Linux), so that throughput on a busy machine is measured as
/// the work of one core rather than the share of the wall clock this thread got.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}
