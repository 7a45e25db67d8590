//! Tests of the second stage's document pass: kept labels and scores against a pass from nothing.

use super::*;
use crate::analysis::model::EntityKind;

fn staged<'a>(
    prose: &'a str,
    tokens: &'a crate::text::TokenSpans,
    first: &'a FirstStage,
) -> StagedParagraph<'a> {
    StagedParagraph {
        prose,
        tokens,
        first,
        mentions: &[],
        dateline: None,
    }
}

#[test]
fn retagging_reuses_cached_labels_and_matches_a_fresh_pass() {
    let paras = [
        "Ilse Varga met the board in Tarnow.",
        "Varga said the port would reopen.",
        "Tarnow is quiet.",
    ];
    let firsts: Vec<(Vec<RawMention>, FirstStage)> =
        paras.iter().map(|p| recognize_staged(p)).collect();
    let tokens: Vec<crate::text::TokenSpans> = paras
        .iter()
        .map(|p| crate::text::tokenize(p).into())
        .collect();
    let input: Vec<StagedParagraph<'_>> = paras
        .iter()
        .zip(&tokens)
        .zip(&firsts)
        .map(|((p, t), (_, f))| staged(p, t, f))
        .collect();
    let mut cache = SecondStageCache::default();
    let fresh = retag(&input, &mut cache);
    let again = retag(&input, &mut cache);
    assert_eq!(fresh, again);
    assert_eq!(cache.len(), 3);
    if let Some(found) = fresh {
        let person = |i: usize, name: &str| {
            found[i].iter().any(|m| {
                m.kind == EntityKind::Person && &paras[i][m.span.start..m.span.end] == name
            })
        };
        assert!(person(0, "Ilse Varga") && person(1, "Varga"), "{found:?}");
    }
}

/// Paragraphs replaced, inserted and deleted one at a time, sharing names in varied roles:
/// after each change the kept state gives what a pass from nothing gives.
#[test]
fn retagging_after_each_change_equals_a_pass_from_nothing() {
    let pool = [
        "Ilse Varga met the board in Tarnow.",
        "Varga said the port would reopen.",
        "Tarnow Holdings said Varga lied.",
        "The mayor of Tarnow, Ilse Varga, resigned.",
        "TARNOW (Wire) - Dock workers in Tarnow struck.",
        "tarnow is a port, varga said.",
        "Varga Tarnow, a banker, said “Tarnow will pay”.",
        "Officials at Lund Port Authority met Varga.",
        "Lund said the Port Authority would sue Tarnow Holdings.",
        "Kari Lund and Per Dahl spoke for Lund Port Authority.",
    ];
    let firsts: Vec<(Vec<RawMention>, FirstStage)> =
        pool.iter().map(|p| recognize_staged(p)).collect();
    let tokens: Vec<crate::text::TokenSpans> = pool
        .iter()
        .map(|p| crate::text::tokenize(p).into())
        .collect();
    let input = |doc: &[usize]| -> Vec<StagedParagraph<'_>> {
        doc.iter()
            .map(|&i| staged(pool[i], &tokens[i], &firsts[i].1))
            .collect()
    };
    let mut doc: Vec<usize> = vec![0, 1, 2];
    let mut cache = SecondStageCache::default();
    let mut seed: u64 = 7;
    for _ in 0..300 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let (at, which) = ((seed >> 33) as usize, (seed >> 45) as usize % pool.len());
        match (seed >> 20) % 3 {
            0 if !doc.is_empty() => {
                let at = at % doc.len();
                doc[at] = which;
            }
            1 if doc.len() > 1 => {
                doc.remove(at % doc.len());
            }
            _ => doc.insert(at % (doc.len() + 1), which),
        }
        let kept = retag(&input(&doc), &mut cache);
        let fresh = retag(&input(&doc), &mut SecondStageCache::default());
        assert_eq!(kept, fresh, "{doc:?}");
        // The kept scores are counted as they are, within the budget (48 under test).
        let held: usize = cache
            .known
            .values()
            .filter_map(|k| k.local.as_ref())
            .map(|l| l.len())
            .sum();
        assert_eq!(cache.kept.tokens(), held);
        assert!(held <= 48, "{held}");
    }
}

/// The same changes with the unchanged paragraphs held, as the incremental analyzer holds them:
/// the pass looks only at the paragraphs not held and those whose labels are unsettled, and its
/// mentions, with the held ones where it gives none, are a pass from nothing's.
#[test]
fn held_paragraphs_merge_to_a_pass_from_nothing() {
    let pool = [
        "Ilse Varga met the board in Tarnow.",
        "Varga said the port would reopen.",
        "Tarnow Holdings said Varga lied.",
        "The mayor of Tarnow, Ilse Varga, resigned.",
        "tarnow is a port, varga said.",
        "Officials at Lund Port Authority met Varga.",
        "Lund said the Port Authority would sue Tarnow Holdings.",
        "Kari Lund and Per Dahl spoke for Lund Port Authority.",
    ];
    let tokens: Vec<crate::text::TokenSpans> = pool
        .iter()
        .map(|p| crate::text::tokenize(p).into())
        .collect();
    // Each change's new paragraph is analysed afresh (with its local scores), as the paragraph
    // pass does; the others keep the first stage the last pass was given.
    let mut doc: Vec<(usize, FirstStage)> = [0, 1, 2]
        .iter()
        .map(|&i| (i, recognize_staged(pool[i]).1))
        .collect();
    fn input<'a>(
        pool: &[&'a str],
        tokens: &'a [crate::text::TokenSpans],
        doc: &'a [(usize, FirstStage)],
    ) -> Vec<StagedParagraph<'a>> {
        doc.iter()
            .map(|(i, f)| staged(pool[*i], &tokens[*i], f))
            .collect()
    }
    let mut cache = SecondStageCache::default();
    let Some(mut last) = retag(&input(&pool, &tokens, &doc), &mut cache) else {
        return; // no second-stage model embedded
    };
    let mut seed: u64 = 11;
    for _ in 0..200 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let (at, which) = ((seed >> 33) as usize, (seed >> 45) as usize % pool.len());
        let fresh = (which, recognize_staged(pool[which]).1);
        // Each paragraph's place in the last pass, if it is one the change left.
        let mut from: Vec<Option<usize>> = (0..doc.len()).map(Some).collect();
        match (seed >> 20) % 3 {
            0 if !doc.is_empty() => {
                let at = at % doc.len();
                doc[at] = fresh;
                from[at] = None;
            }
            1 if doc.len() > 1 => {
                let at = at % doc.len();
                doc.remove(at);
                from.remove(at);
            }
            _ => {
                let at = at % (doc.len() + 1);
                doc.insert(at, fresh);
                from.insert(at, None);
            }
        }
        let held: Vec<bool> = from.iter().map(Option::is_some).collect();
        let now = input(&pool, &tokens, &doc);
        let firsts: Vec<&FirstStage> = now.iter().map(|p| p.first).collect();
        let read = |i: usize| now.get(i).copied();
        let Some(out) = retag_reusing(&firsts, read, &mut cache, &held) else {
            return;
        };
        let merged: Vec<Vec<RawMention>> = out
            .into_iter()
            .zip(&from)
            .map(|(m, o)| {
                m.unwrap_or_else(|| o.and_then(|o| last.get(o).cloned()).unwrap_or_default())
            })
            .collect();
        let plain: Vec<usize> = doc.iter().map(|(i, _)| *i).collect();
        let scratch: Vec<(usize, FirstStage)> = plain
            .iter()
            .map(|&i| (i, recognize_staged(pool[i]).1))
            .collect();
        let expected = retag(
            &input(&pool, &tokens, &scratch),
            &mut SecondStageCache::default(),
        );
        assert_eq!(Some(&merged), expected.as_ref(), "{plain:?}");
        last = merged;
    }
}

/// A generated article's paragraphs, and variants of them with a capitalised word of the
/// article typed in somewhere (the edits that make cascades: another occurrence of a word many
/// paragraphs hold).
fn article_and_variants(bytes: usize, seed: u64) -> (Vec<String>, Vec<String>) {
    let text = docgen::article(bytes, seed);
    let paras: Vec<String> = text
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(str::to_string)
        .collect();
    let mut capitalised: Vec<&str> = paras
        .iter()
        .flat_map(|p| p.split(' '))
        .filter(|w| w.len() > 2 && w.chars().all(char::is_alphabetic))
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .collect();
    capitalised.sort_unstable();
    capitalised.dedup();
    let mut seed = seed | 1;
    let mut next = |m: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % m.max(1) as u64) as usize
    };
    let variants = (0..paras.len() * 2)
        .map(|i| {
            let words: Vec<&str> = paras[i % paras.len()].split(' ').collect();
            let at = next(words.len() + 1);
            let word = capitalised
                .get(next(capitalised.len()))
                .copied()
                .unwrap_or("Our");
            let mut out: Vec<&str> = words[..at].to_vec();
            out.push(word);
            out.extend(&words[at..]);
            out.join(" ")
        })
        .collect();
    (paras, variants)
}

/// Every token whose scored document features an update of the statistics alters is one that
/// `certificate::affected` names for the update's `Changed`: paragraphs of a generated article
/// replaced by variants one at a time, every other paragraph's features compared token by
/// token before and after.
#[test]
fn the_tokens_a_change_alters_are_the_affected_ones() {
    let Some(two) = TwoStage::embedded() else {
        return;
    };
    let (paras, variants) = article_and_variants(8_000, 5);
    let prepared = |p: &str| {
        let words: Vec<&str> = crate::text::tokenize(p)
            .iter()
            .map(|s| &p[s.start..s.end])
            .collect();
        (nonlocal::keys(&words), two.first_stage(&words).0)
    };
    let pool: Vec<(Vec<TokenKey>, Vec<u8>)> =
        paras.iter().chain(&variants).map(|p| prepared(p)).collect();
    let mut doc: Vec<usize> = (0..paras.len()).collect();
    let mut stats = DocStats::of(doc.iter().map(|&i| (&pool[i].0[..], &pool[i].1[..])));
    let scored = two.scored();
    let per_token = |k: &[TokenKey], l: &[u8], stats: &DocStats| {
        let (mut f, mut s) = (Vec::new(), Vec::new());
        nonlocal::extract(k, l, stats, &mut f, &mut s);
        s.windows(2)
            .map(|w| {
                f[w[0]..w[1]]
                    .iter()
                    .copied()
                    .filter(|&h| scored(h))
                    .collect()
            })
            .collect::<Vec<Vec<u64>>>()
    };
    let (mut altered, mut seen) = (0, 0);
    for round in 0..24 {
        let at = (round * 7) % doc.len();
        let which = paras.len() + (round * 13) % variants.len();
        let before = stats.clone();
        let (old, new) = (&pool[doc[at]], &pool[which]);
        let changed = stats.update(&[(&old.0, &old.1)], &[(&new.0, &new.1)], &scored);
        doc[at] = which;
        for (j, &i) in doc.iter().enumerate() {
            if j == at {
                continue;
            }
            let (k, l) = (&pool[i].0, &pool[i].1);
            let affected = certificate::affected(k, &changed);
            let (was, is) = (per_token(k, l, &before), per_token(k, l, &stats));
            for t in 0..k.len() {
                seen += 1;
                if was[t] != is[t] {
                    altered += 1;
                    assert!(
                        affected.contains(&t),
                        "round {round}, paragraph {i}, token {t}"
                    );
                }
            }
        }
    }
    assert!(altered > 0 && altered < seen, "{altered} of {seen}");
}

/// Paragraphs whose certificate holds keep the labels a decoding gives, and a change too large
/// for a certificate makes the paragraph be decoded: a generated article edited by typing its
/// capitalised words into its paragraphs, each pass's labels (and mentions) compared with a
/// pass from nothing, until passes have both certified and refused.
#[test]
fn certified_paragraphs_keep_the_labels_a_decoding_gives() {
    if TwoStage::embedded().is_none() {
        return;
    }
    let (paras, variants) = article_and_variants(6_000, 9);
    let texts: Vec<&String> = paras.iter().chain(&variants).collect();
    let tokens: Vec<crate::text::TokenSpans> = texts
        .iter()
        .map(|p| crate::text::tokenize(p).into())
        .collect();
    let mut doc: Vec<usize> = (0..paras.len()).collect();
    let mut cache = SecondStageCache::default();
    let (mut certified, mut refused, mut decoded) = (0, 0, 0);
    for round in 0..40 {
        if round > 0 {
            let at = (round * 5) % doc.len();
            doc[at] = paras.len() + (round * 11) % variants.len();
        }
        // The first stage afresh each pass: a pass takes the local scores it is given.
        let firsts: Vec<FirstStage> = doc.iter().map(|&i| recognize_staged(texts[i]).1).collect();
        let input: Vec<StagedParagraph<'_>> = doc
            .iter()
            .zip(&firsts)
            .map(|(&i, f)| staged(texts[i], &tokens[i], f))
            .collect();
        let kept = retag(&input, &mut cache);
        let counts = cache.last_pass();
        let mut fresh_cache = SecondStageCache::default();
        let fresh = retag(&input, &mut fresh_cache);
        assert_eq!(kept, fresh, "round {round}");
        for (id, k) in &cache.known {
            let labels = |k: &Known| k.second.as_ref().map(|(_, l)| l.to_vec());
            let from_nothing = fresh_cache.known.get(id).and_then(labels);
            assert_eq!(labels(k), from_nothing, "round {round}");
        }
        if round > 0 {
            certified += counts.certified;
            refused += counts.refused;
            decoded += counts.decoded;
        }
    }
    assert!(
        certified > 0,
        "no certificate held ({refused} refused, {decoded} decoded)"
    );
    assert!(
        refused > 0,
        "no certificate refused ({certified} certified)"
    );
}
