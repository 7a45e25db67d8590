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
