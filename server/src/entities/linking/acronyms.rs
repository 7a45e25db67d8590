//! Acronyms introduced in parentheses ("… Agency (IAEA)") linked to the names they abbreviate.

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

use super::is_subsequence;
use crate::analysis::model::Span;
use crate::entities::context::{key_hash, Item, MentionContext};
use crate::entities::names::{is_capitalised, name_key};

/// "the Velm Port Authority (VPA)": the acronym's key → the item it abbreviates. Acronyms in
/// parentheses that the recogniser missed become items of their own.
pub(super) fn acronyms(
    items: &mut Vec<Item>,
    contexts: &[Arc<MentionContext>],
) -> FxHashMap<String, usize> {
    let mut aliases = FxHashMap::default();
    let mut added = Vec::new();
    // Made when the first acronym is found: most articles have none, and every keystroke
    // hashed every name into it (≈ 0.8 M instructions at 1 MB).
    let mut names: Option<FxHashSet<Span>> = None;
    for (i, it) in items.iter().enumerate() {
        let Some((acr_span, acr_text)) =
            it.context.and_then(|c| contexts[c].acronym(it.name.start))
        else {
            continue;
        };
        aliases.insert(name_key(acr_text), i);
        let names = names.get_or_insert_with(|| items.iter().map(|it| it.name).collect());
        if !names.contains(&acr_span) {
            let key = name_key(acr_text);
            added.push(Item {
                name: acr_span,
                shown: acr_span,
                kind: it.kind,
                words: vec![key.clone()].into(),
                key_hash: key_hash([key.as_str()]),
                key: key.into(),
                written: acr_text.into(),
                context: None,
                abbreviates: it.context,
            });
        }
    }
    if !added.is_empty() {
        // Re-index the aliases after merging the new items in document order.
        let keys: Vec<(String, Span)> = aliases
            .iter()
            .map(|(k, &i)| (k.clone(), items[i].name))
            .collect();
        items.extend(added);
        items.sort_by_key(|it| it.shown.start);
        let mut first_with_name: FxHashMap<Span, usize> = FxHashMap::default();
        for (i, it) in items.iter().enumerate() {
            first_with_name.entry(it.name).or_insert(i);
        }
        aliases = keys
            .into_iter()
            .filter_map(|(k, span)| first_with_name.get(&span).map(|&i| (k, i)))
            .collect();
    }
    aliases
}

/// Whether `acr` (2–8 capitals) is made of the initials of `name`'s capitalised words, in order.
pub(in crate::entities) fn is_acronym_of(acr: &str, name: &str) -> bool {
    let n = acr.chars().count();
    if !(2..=8).contains(&n) || !acr.chars().all(|c| c.is_ascii_uppercase()) {
        return false;
    }
    let initials: String = name
        .split_whitespace()
        .filter(|w| is_capitalised(w))
        .filter_map(|w| w.chars().next())
        .collect();
    initials == acr
        || (initials.len() > n
            && is_subsequence(
                &acr.chars().map(String::from).collect::<Vec<_>>(),
                &initials.chars().map(String::from).collect::<Vec<_>>(),
            )
            && initials.starts_with(acr.chars().next().unwrap_or(' ')))
}
