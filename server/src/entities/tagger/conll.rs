//! CoNLL-2003 files (`word POS chunk NER`, IOB tags) and conlleval-style scoring.

use std::collections::BTreeMap;

use super::{label, parse_label, Part, KINDS};

/// One sentence with its gold tags as written in the file (IOB1 or IOB2).
#[derive(Debug, Clone, Default)]
pub struct Sentence {
    pub words: Vec<String>,
    pub tags: Vec<String>,
}

/// Documents (split at `-DOCSTART-`), each a list of sentences.
pub fn read(text: &str) -> Vec<Vec<Sentence>> {
    let mut docs: Vec<Vec<Sentence>> = vec![Vec::new()];
    let mut sent = Sentence::default();
    let flush = |docs: &mut Vec<Vec<Sentence>>, sent: &mut Sentence| {
        if !sent.words.is_empty() {
            if let Some(d) = docs.last_mut() {
                d.push(std::mem::take(sent));
            }
        }
    };
    for line in text.lines() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.is_empty() {
            flush(&mut docs, &mut sent);
            continue;
        }
        if cols[0] == "-DOCSTART-" {
            flush(&mut docs, &mut sent);
            if docs.last().is_some_and(|d| !d.is_empty()) {
                docs.push(Vec::new());
            }
            continue;
        }
        sent.words.push(cols[0].to_string());
        sent.tags
            .push(cols.last().copied().unwrap_or("O").to_string());
    }
    flush(&mut docs, &mut sent);
    docs.retain(|d| !d.is_empty());
    docs
}

fn kind_index(t: &str) -> Option<usize> {
    ["PER", "ORG", "LOC", "MISC"].iter().position(|k| *k == t)
}

/// Entity chunks (start, end exclusive, kind index) of IOB tags, as conlleval reads them
/// (an I- after O or another type starts a chunk).
pub fn chunks(tags: &[String]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    for (i, t) in tags.iter().enumerate() {
        let (prefix, kind) = match t.split_once('-') {
            Some((p, k)) => (p, kind_index(k)),
            None => ("O", None),
        };
        let continues = matches!((prefix, open, kind), ("I", Some((_, ok)), Some(k)) if ok == k);
        if !continues {
            if let Some((s, k)) = open.take() {
                out.push((s, i, k));
            }
            if let Some(k) = kind {
                open = Some((i, k));
            }
        }
    }
    if let Some((s, k)) = open {
        out.push((s, tags.len(), k));
    }
    out
}

/// BILOU labels for IOB tags.
pub fn bilou(tags: &[String]) -> Vec<u8> {
    let mut out = vec![0u8; tags.len()];
    for (s, e, k) in chunks(tags) {
        if e - s == 1 {
            out[s] = label(k, Part::Unit);
        } else {
            out[s] = label(k, Part::Begin);
            for o in &mut out[s + 1..e - 1] {
                *o = label(k, Part::Inside);
            }
            out[e - 1] = label(k, Part::Last);
        }
    }
    out
}

/// IOB2 tags ("B-PER", "I-PER", "O") for BILOU labels.
pub fn iob(labels: &[u8]) -> Vec<String> {
    let names = ["PER", "ORG", "LOC", "MISC"];
    let mut out = vec!["O".to_string(); labels.len()];
    for (s, e, k) in super::spans(labels) {
        out[s] = format!("B-{}", names[k]);
        for o in &mut out[s + 1..e] {
            *o = format!("I-{}", names[k]);
        }
    }
    out
}

/// Entity-level counts, overall and per type.
#[derive(Debug, Clone, Default)]
pub struct Score {
    /// kind index → (correct, predicted, gold)
    pub per_kind: BTreeMap<usize, (usize, usize, usize)>,
    pub tokens: usize,
}

fn prf(c: usize, p: usize, g: usize) -> (f64, f64, f64) {
    let precision = if p == 0 {
        0.0
    } else {
        100.0 * c as f64 / p as f64
    };
    let recall = if g == 0 {
        0.0
    } else {
        100.0 * c as f64 / g as f64
    };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    (precision, recall, f1)
}

impl Score {
    /// Count one sentence: gold IOB tags against predicted BILOU labels.
    pub fn add(&mut self, gold: &[String], predicted: &[u8]) {
        self.tokens += gold.len();
        let g = chunks(gold);
        let p = super::spans(predicted);
        for &(_, _, k) in &g {
            self.per_kind.entry(k).or_default().2 += 1;
        }
        for &(s, e, k) in &p {
            let entry = self.per_kind.entry(k).or_default();
            entry.1 += 1;
            if g.contains(&(s, e, k)) {
                entry.0 += 1;
            }
        }
    }

    /// Overall (precision, recall, F1) in percent.
    pub fn overall(&self) -> (f64, f64, f64) {
        let (c, p, g) = self
            .per_kind
            .values()
            .fold((0, 0, 0), |a, v| (a.0 + v.0, a.1 + v.1, a.2 + v.2));
        prf(c, p, g)
    }

    /// A conlleval-style report.
    pub fn report(&self) -> String {
        let (c, p, g) = self
            .per_kind
            .values()
            .fold((0, 0, 0), |a, v| (a.0 + v.0, a.1 + v.1, a.2 + v.2));
        let (pr, rc, f1) = prf(c, p, g);
        let mut out = format!(
            "processed {} tokens with {g} phrases; found: {p} phrases; correct: {c}.\n{:>9}  precision: {pr:6.2}%; recall: {rc:6.2}%; FB1: {f1:6.2}\n",
            self.tokens, "overall"
        );
        for (k, &(c, p, g)) in &self.per_kind {
            let (pr, rc, f1) = prf(c, p, g);
            let name = match KINDS.get(*k) {
                Some(_) => ["PER", "ORG", "LOC", "MISC"][*k],
                None => "?",
            };
            out.push_str(&format!(
                "{name:>9}  precision: {pr:6.2}%; recall: {rc:6.2}%; FB1: {f1:6.2}  {p}\n"
            ));
        }
        out
    }
}

/// The document-level consistency step, as `entities::link` does it in the product: every mention
/// spelled the same way in one document gets the kind most of them got (ties keep each mention's
/// own kind), and a shorter form of a person's multi-word name ("Kaczmarek" after "Jan
/// Kaczmarek") is that person whatever the tagger called it. `labels` are the BILOU labels of
/// each sentence of the document.
pub fn harmonise(words: &[Vec<&str>], labels: &mut [Vec<u8>]) {
    majority_kinds(words, labels);
    const PER: usize = 0;
    let lower = |ws: &[&str]| -> Vec<String> { ws.iter().map(|w| w.to_lowercase()).collect() };
    let persons: Vec<Vec<String>> = words
        .iter()
        .zip(labels.iter())
        .flat_map(|(w, l)| {
            super::spans(l)
                .into_iter()
                .filter(|&(s, e, k)| k == PER && e - s >= 2)
                .map(|(s, e, _)| lower(&w[s..e]))
                .collect::<Vec<_>>()
        })
        .collect();
    for (w, l) in words.iter().zip(labels.iter_mut()) {
        for (s, e, k) in super::spans(l) {
            if k == PER {
                continue;
            }
            let short = lower(&w[s..e]);
            let part_of_person = persons
                .iter()
                .any(|p| short.len() < p.len() && is_subsequence(&short, p));
            if part_of_person {
                for x in &mut l[s..e] {
                    if let Some((_, part)) = parse_label(*x) {
                        *x = label(PER, part);
                    }
                }
            }
        }
    }
}

fn is_subsequence(short: &[String], long: &[String]) -> bool {
    let mut it = long.iter();
    short.iter().all(|w| it.any(|x| x == w))
}

/// Same spelling, same kind: the majority of the document's mentions so spelled.
fn majority_kinds(words: &[Vec<&str>], labels: &mut [Vec<u8>]) {
    let mut votes: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    for (w, l) in words.iter().zip(labels.iter()) {
        for (s, e, k) in super::spans(l) {
            votes.entry(w[s..e].join(" ")).or_default()[k] += 1;
        }
    }
    for (w, l) in words.iter().zip(labels.iter_mut()) {
        for (s, e, k) in super::spans(l) {
            let Some(v) = votes.get(&w[s..e].join(" ")) else {
                continue;
            };
            let best = v.iter().copied().max().unwrap_or(0);
            if v[k] == best {
                continue;
            }
            let Some(nk) = v.iter().position(|&c| c == best) else {
                continue;
            };
            for (i, x) in l[s..e].iter_mut().enumerate() {
                if let Some((_, part)) = parse_label(*x) {
                    let _ = i;
                    *x = label(nk, part);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn reads_documents_and_sentences() {
        let text = "-DOCSTART- -X- -X- O\n\nAda NNP B-NP B-PER\nKroft NNP I-NP I-PER\nspoke VBD B-VP O\n\nOslo NNP B-NP B-LOC\n\n-DOCSTART- -X- -X- O\n\nYes UH O O\n";
        let docs = read(text);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].len(), 2);
        assert_eq!(docs[0][0].words, ["Ada", "Kroft", "spoke"]);
        assert_eq!(docs[0][0].tags, ["B-PER", "I-PER", "O"]);
    }

    #[test]
    fn iob_bilou_round_trip_and_iob1_chunks() {
        let t = tags("B-PER I-PER O B-LOC I-ORG O");
        let l = bilou(&t);
        assert_eq!(iob(&l), tags("B-PER I-PER O B-LOC B-ORG O"));
        assert_eq!(
            chunks(&tags("I-PER I-PER B-PER O")),
            vec![(0, 2, 0), (2, 3, 0)]
        );
    }

    #[test]
    fn scores_exact_spans_and_types() {
        let mut s = Score::default();
        let gold = tags("B-PER I-PER O B-LOC");
        let pred = bilou(&tags("B-PER I-PER O B-ORG"));
        s.add(&gold, &pred);
        let (p, r, f) = s.overall();
        assert_eq!((p.round(), r.round(), f.round()), (50.0, 50.0, 50.0));
    }

    #[test]
    fn harmonise_takes_the_majority_kind() {
        let words = vec![vec!["Varga", "won"], vec!["Varga", "lost"], vec!["Varga"]];
        let mut labels: Vec<Vec<u8>> = vec![
            bilou(&tags("B-PER O")),
            bilou(&tags("B-PER O")),
            bilou(&tags("B-LOC")),
        ];
        harmonise(&words, &mut labels);
        assert_eq!(iob(&labels[2]), tags("B-PER"));
    }

    #[test]
    fn harmonise_makes_a_short_form_of_a_person_a_person() {
        let words = vec![
            vec!["Ilse", "Varga", "won"],
            vec!["Varga", "lost"],
            vec!["Tarnow"],
        ];
        let mut labels: Vec<Vec<u8>> = vec![
            bilou(&tags("B-PER I-PER O")),
            bilou(&tags("B-LOC O")),
            bilou(&tags("B-LOC")),
        ];
        harmonise(&words, &mut labels);
        assert_eq!(iob(&labels[1]), tags("B-PER O"));
        assert_eq!(iob(&labels[2]), tags("B-LOC"));
    }
}
