//! The naming findings of a document's last check, reused across an edit that only moved what
//! the checks read.
//!
//! Both naming rules read the entities (kinds, names, mention spans), the quotation and block
//! spans, the text of each mention, line numbers and the register. A keystroke that changes
//! none of them but by moving offsets (a letter typed in a lowercase word or inside a
//! quotation, on one line) leaves the findings as they were, moved: [`check_reusing`] then
//! moves the last ones instead of running the checks. The memo ([`NamingMemo`]) belongs to one
//! document: the server keeps it with the open document, so it goes when the document closes.

use std::sync::Arc;

use super::NamingFinding;
use crate::analysis::shift::Shift;
use crate::analysis::{Analysis, Entity};
use crate::config::register::Register;
use crate::features::article::Article;

/// One document's last naming check, for [`check_reusing`] to move. Empty at first.
#[derive(Default)]
pub struct NamingMemo(Option<Last>);

impl std::fmt::Debug for NamingMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let findings = self.0.as_ref().map(|last| last.found.len());
        f.debug_struct("NamingMemo")
            .field("findings", &findings)
            .finish()
    }
}

/// A document's last check: what it read and what it found.
struct Last {
    text: Arc<str>,
    analysis: Arc<Analysis>,
    register: Register,
    found: Vec<NamingFinding>,
}

/// [`super::check`] of `article` (whose text and analysis are `text` and `analysis`), reusing
/// the findings of the document's last check (`memo`, then replaced by this one) moved when the
/// edit between them only moved what the checks read. The result is the same as `check`'s.
pub fn check_reusing(
    memo: &mut NamingMemo,
    text: &Arc<str>,
    analysis: &Arc<Analysis>,
    article: &Article,
    register: &Register,
) -> Vec<NamingFinding> {
    let last = memo.0.take();
    let moved = last.as_ref().and_then(|last| {
        if last.register != *register || !std::ptr::eq(article.text, &**text) {
            return None;
        }
        Shift::between(&last.text, text)
            .into_iter()
            .find_map(|shift| moved(last, text, analysis, &shift))
    });
    #[cfg(test)]
    if moved.is_some() {
        REUSED.with(|r| r.set(r.get() + 1));
    }
    let found = moved.unwrap_or_else(|| super::check(article, register));
    // The register is cloned only when it changed (it may hold a newsroom's thousands of names).
    let register = match last {
        Some(last) if last.register == *register => last.register,
        _ => register.clone(),
    };
    memo.0 = Some(Last {
        text: Arc::clone(text),
        analysis: Arc::clone(analysis),
        register,
        found: found.clone(),
    });
    found
}

/// The last findings moved by `shift`, if everything the checks read is the same but moved.
fn moved(
    last: &Last,
    text: &str,
    analysis: &Analysis,
    shift: &Shift,
) -> Option<Vec<NamingFinding>> {
    // Line numbers ("introduced on line 4") stay only if no line break came or went.
    let changed_old = last.text.get(shift.start..shift.old_end)?;
    let changed_new = text.get(shift.start..shift.new_end)?;
    if changed_old.contains('\n') || changed_new.contains('\n') {
        return None;
    }
    let old = &*last.analysis;
    let same = old.entities.len() == analysis.entities.len()
        && old
            .entities
            .iter()
            .zip(&analysis.entities)
            .all(|(a, b)| entity_moved(a, b, shift))
        && old.quotes.len() == analysis.quotes.len()
        && old
            .quotes
            .iter()
            .zip(&analysis.quotes)
            .all(|(a, b)| shift.span(a.span) == Some(b.span))
        && old.blocks.len() == analysis.blocks.len()
        && old.blocks.iter().zip(&analysis.blocks).all(|(a, b)| {
            a.kind == b.kind
                && a.level == b.level
                && shift.span(a.span) == Some(b.span)
                && match (a.dateline, b.dateline) {
                    (None, None) => true,
                    (Some(x), Some(y)) => shift.span(x) == Some(y),
                    _ => false,
                }
        });
    if !same || shift.collided() {
        return None;
    }
    let mut found = last.found.clone();
    for f in &mut found {
        f.finding.span = shift.span(f.finding.span)?;
        for edit in f.fix.iter_mut().flat_map(|fix| fix.edits.iter_mut()) {
            edit.span = shift.span(edit.span)?;
        }
    }
    Some(found)
}

/// The same entity with its mentions moved, none touching the edit (so each reads the same).
fn entity_moved(old: &Entity, new: &Entity, shift: &Shift) -> bool {
    old.id == new.id
        && old.kind == new.kind
        && old.name == new.name
        && old.descriptors == new.descriptors
        && old.mentions.len() == new.mentions.len()
        && old
            .mentions
            .iter()
            .zip(&new.mentions)
            .all(|(a, b)| shift.span(a.span) == Some(b.span) && !shift.touches(b.span))
}

#[cfg(test)]
thread_local! {
    /// How many checks on this thread reused the last findings (tests only).
    static REUSED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Analyzer, Edit};
    use crate::config::Config;
    use crate::features::article::Language;
    use crate::features::diagnostics::{diagnostics, diagnostics_reusing};

    const STORY: &str = "Ferry fares rise\n\nOkafor said the vote was close. Later, Chidi Okafor said it again, and Chidi Okafor repeated it.\n\nThe mayor called the plan “a long, slow disaster for the island” on Monday.\n\nAda Kroft, an analyst, said: “Prices will keep rising.”\nKroft said Mila Zelenskiy met Mila Zelensky.\n";

    /// At every character of the story: type a letter, then delete it, then type a line break
    /// and delete it; after each keystroke the diagnostics reusing the last naming findings
    /// equal those computed afresh (names typed into, quotations grown, lines renumbered).
    #[test]
    fn reused_findings_equal_fresh_ones_keystroke_by_keystroke() {
        let config = Config::default();
        let mut text = STORY.to_owned();
        let mut analyzer = Analyzer::default();
        analyzer.reset(&text);
        let positions: Vec<usize> = STORY.char_indices().map(|(i, _)| i).collect();
        let before = REUSED.with(|r| r.get());
        let mut memo = NamingMemo::default();
        for at in positions {
            for typed in ["x", "\n"] {
                for (start, old_end, insert) in [(at, at, typed), (at, at + typed.len(), "")] {
                    text.replace_range(start..old_end, insert);
                    let edit = Edit {
                        start,
                        old_end,
                        new_end: start + insert.len(),
                    };
                    let analysis = analyzer.update(&text, &[edit]);
                    let shared: Arc<str> = Arc::from(text.as_str());
                    let article = Article::new(&shared, &analysis, Language::PlainText);
                    let reused =
                        diagnostics_reusing(&mut memo, &shared, &analysis, &article, &config);
                    assert_eq!(reused, diagnostics(&article, &config), "{text:?}");
                }
            }
        }
        let fresh = crate::analysis::analyze(STORY);
        let story = Article::new(STORY, &fresh, Language::PlainText);
        assert!(!super::super::check(&story, &config.register).is_empty());
        assert!(REUSED.with(|r| r.get()) > before);
    }
}
