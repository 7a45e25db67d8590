//! Moving between an entity's mentions: references, highlights, definition, rename.
//!
//! Everything starts from the mention under the cursor (a pronoun speaker counts for reading,
//! never for renaming). Definition is the first mention that gives the full name; rename
//! rewrites every mention word by word, so titles ("President") and possessives ("’s") stay.

use super::article::{mention_words, Article};
use super::edit::TextEdit;
use crate::analysis::{Entity, Span};
use crate::config::register::{fold_name, name_words};

/// The entity at `offset`: a mention, or a speaker's words pointing at an entity.
pub fn entity_at<'a>(article: &Article<'a>, offset: usize) -> Option<&'a Entity> {
    if let Some((entity, _)) = article.entity_at(offset) {
        return Some(entity);
    }
    let (_, quote) = article.speaker_at(offset)?;
    let id = quote.speaker.as_ref()?.entity?;
    article.analysis.entities.get(id)
}

/// Every mention of the entity at `offset`, in document order (references and highlights).
pub fn references(article: &Article, offset: usize) -> Vec<Span> {
    entity_at(article, offset)
        .map(|e| e.mentions.iter().map(|m| m.span).collect())
        .unwrap_or_default()
}

/// The first mention giving the entity's full name (else its first mention).
pub fn definition(article: &Article, offset: usize) -> Option<Span> {
    let entity = entity_at(article, offset)?;
    let full = fold_name(&entity.name);
    entity
        .mentions
        .iter()
        .find(|m| fold_name(article.mention_name(m.span)).ends_with(&full))
        .or(entity.mentions.first())
        .map(|m| article.name_span(m.span))
}

/// Why a rename was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameRefused(pub String);

/// The span to rename and the name to offer, or why not.
pub fn prepare_rename(article: &Article, offset: usize) -> Result<(Span, String), RenameRefused> {
    match article.entity_at(offset) {
        Some((entity, span)) => {
            let text = article.mention_name(span);
            Ok((
                article.name_span(span),
                if text.is_empty() {
                    entity.name.to_string()
                } else {
                    text.to_string()
                },
            ))
        }
        None => Err(RenameRefused(
            "Only a person, organisation or place named in the article can be renamed".to_string(),
        )),
    }
}

/// Edits renaming the entity at `offset`. `new_name` replaces whichever form the cursor is on:
/// the full name, or a part of it (a surname). Typed at a part, a name that repeats the rest of
/// the old name ("Tobias Lindquist" at "Lindqvist") sets that part ("Lindquist"), and another
/// name with as many words as the full name ("Tobbe Lindquist") is the new full name: never
/// a surname that repeats a given name ("Tobias Tobias Lindquist"). Each
/// old name word gets its new form; every mention then changes only its own name words, so a
/// full mention gets the full new name, a surname-only mention the new surname, and titles
/// and possessives stay.
pub fn rename(
    article: &Article,
    offset: usize,
    new_name: &str,
) -> Result<Vec<TextEdit>, RenameRefused> {
    let (span, current) = prepare_rename(article, offset)?;
    let new_name = new_name.split_whitespace().collect::<Vec<_>>().join(" ");
    if new_name.is_empty() {
        return Err(RenameRefused("The new name is empty".into()));
    }
    let Some((entity, _)) = article.entity_at(span.start) else {
        return Err(RenameRefused("Not an entity".into()));
    };
    let old: Vec<&str> = name_words(&entity.name).collect();
    let old_folded: Vec<String> = old.iter().map(|w| fold_name(w)).collect();
    let current_words: Vec<String> = name_words(&current).map(fold_name).collect();
    let typed: Vec<&str> = new_name.split(' ').collect();
    let mut positions: Vec<usize> = current_words
        .iter()
        .filter_map(|c| old_folded.iter().position(|o| o == c))
        .collect();
    positions.sort_unstable();
    positions.dedup();
    let slots = match (positions.first(), positions.last()) {
        (Some(&first), Some(&last)) if positions.len() < old.len() => {
            // The cursor is on a part: what was typed around it, if it repeats the old name's
            // other words, is context, and the rest is the part's new form.
            let before = &old_folded[..first];
            let after = &old_folded[last + 1..];
            let fold_typed: Vec<String> = typed.iter().map(|w| fold_name(w)).collect();
            let repeats_the_rest = typed.len() > before.len() + after.len()
                && fold_typed[..before.len()] == *before
                && fold_typed[typed.len() - after.len()..] == *after;
            if repeats_the_rest {
                let part = &typed[before.len()..typed.len() - after.len()];
                let mut slots: Vec<String> = old.iter().map(|w| w.to_string()).collect();
                for (&p, form) in positions.iter().zip(distribute(part, positions.len())) {
                    slots[p] = form;
                }
                slots
            } else if typed.len() == old.len() {
                // As many words as the full name: a new full name ("Tobbe Lindquist").
                distribute(&typed, old.len())
            } else {
                let mut slots: Vec<String> = old.iter().map(|w| w.to_string()).collect();
                for (&p, form) in positions.iter().zip(distribute(&typed, positions.len())) {
                    slots[p] = form;
                }
                slots
            }
        }
        _ => distribute(&typed, old.len()),
    };
    let mut edits = Vec::new();
    for m in &entity.mentions {
        let words: Vec<(Span, &str, usize)> = words_of(article, m.span)
            .into_iter()
            .filter_map(|(s, w)| {
                let i = old_folded.iter().position(|o| *o == fold_name(w))?;
                Some((s, w, i))
            })
            .collect();
        if words.iter().all(|&(_, _, i)| is_one_word(&slots[i])) {
            for &(word_span, word, i) in &words {
                if slots[i] != word {
                    edits.push(TextEdit::replace(word_span, slots[i].clone()));
                }
            }
        } else if let (Some(first), Some(last)) = (words.first(), words.last()) {
            let replacement = words
                .iter()
                .map(|&(_, _, i)| slots[i].as_str())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            // A mention made only of a dropped word (a middle name) is left as written.
            if !replacement.is_empty() {
                edits.push(TextEdit::replace(
                    Span::new(first.0.start, last.0.end),
                    replacement,
                ));
            }
        }
    }
    Ok(edits)
}

/// The new forms of `n` old name words from the typed words: word for word when the counts
/// match, else the last typed word is the surname and the words before it fill the given
/// names, any surplus going to the last of them ("Ines Halloran" → "Ines Maria Halloran":
/// "Ines Maria" | "Halloran"; an old word with no new form gets an empty one).
fn distribute(typed: &[&str], n: usize) -> Vec<String> {
    if typed.len() == n {
        return typed.iter().map(|w| w.to_string()).collect();
    }
    let Some((last, rest)) = typed.split_last() else {
        return vec![String::new(); n];
    };
    if n <= 1 {
        return vec![typed.join(" "); n];
    }
    let mut slots: Vec<String> = (0..n - 2)
        .map(|i| rest.get(i).map(|w| w.to_string()).unwrap_or_default())
        .collect();
    slots.push(rest.get(n - 2..).map(|r| r.join(" ")).unwrap_or_default());
    slots.push(last.to_string());
    slots
}

fn is_one_word(form: &str) -> bool {
    !form.is_empty() && !form.contains(' ')
}

/// The words of a mention with their spans, possessives and punctuation left outside.
fn words_of<'a>(article: &Article<'a>, span: Span) -> Vec<(Span, &'a str)> {
    let text = article.slice(span);
    mention_words(text)
        .into_iter()
        .map(|(start, end)| {
            (
                Span::new(span.start + start, span.start + end),
                &text[start..end],
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::EntityKind;
    use crate::features::article::Language;
    use crate::features::edit::apply;
    use crate::features::testkit::{ferry, find, Kit, FERRY};

    #[test]
    fn references_definition_and_pronoun_speakers() {
        let kit = ferry();
        let article = Article::new(&kit.text, &kit.analysis, Language::PlainText);
        let at = find(FERRY, "Okafor said", 0).start;
        assert_eq!(
            references(&article, at),
            vec![find(FERRY, "Chidi Okafor", 0), Span::new(at, at + 6)]
        );
        assert_eq!(
            definition(&article, at),
            Some(find(FERRY, "Chidi Okafor", 0))
        );
        let he = find(FERRY, "he added", 0).start;
        assert_eq!(
            definition(&article, he),
            Some(find(FERRY, "Chidi Okafor", 0)),
            "through the pronoun speaker"
        );
        assert!(references(&article, find(FERRY, "fares", 0).start).is_empty());
    }

    #[test]
    fn rename_keeps_titles_and_possessives_and_refuses_non_entities() {
        let text = "Council leader Ines Halloran said on Monday the budget was final. Halloran’s deputy agreed.

Councillor Halloran later said Ines Halloran had the votes.
";
        let mut kit = Kit::new(text, false);
        kit.entity(
            EntityKind::Person,
            "Ines Halloran",
            &[
                "Ines Halloran",
                "Halloran’s",
                "Councillor Halloran",
                "Ines Halloran",
            ],
        );
        let article = Article::new(&kit.text, &kit.analysis, Language::PlainText);
        let on_surname = find(text, "Halloran’s", 0).start + 1;
        assert_eq!(
            prepare_rename(&article, on_surname),
            Ok((find(text, "Halloran", 1), "Halloran".to_string()))
        );
        let edits = rename(&article, on_surname, "Hallorann").unwrap();
        assert_eq!(
            apply(text, &edits),
            "Council leader Ines Hallorann said on Monday the budget was final. Hallorann’s deputy agreed.

Councillor Hallorann later said Ines Hallorann had the votes.
"
        );
        let on_full = find(text, "Ines Halloran", 0).start;
        let edits = rename(&article, on_full, "Inés Halloran-Ruiz").unwrap();
        assert!(apply(text, &edits).contains("Halloran-Ruiz’s deputy"));
        let edits = rename(&article, on_full, "Ines Maria Halloran").unwrap();
        assert_eq!(
            apply(text, &edits),
            "Council leader Ines Maria Halloran said on Monday the budget was final. Halloran’s deputy agreed.

Councillor Halloran later said Ines Maria Halloran had the votes.
",
            "a middle name goes with the given name; surname-only mentions keep the surname"
        );
        assert!(prepare_rename(&article, find(text, "budget", 0).start).is_err());
        assert!(rename(&article, on_full, "  ").is_err());
    }

    #[test]
    fn a_full_name_typed_at_a_surname_renames_the_person_without_doubling() {
        let text =
            "Tobias Lindqvist, the harbour master, said the cranes were idle. Lindqvist’s crews
walked out.

Mr Lindqvist said talks would resume.
";
        let mut kit = Kit::new(text, false);
        kit.entity(
            EntityKind::Person,
            "Tobias Lindqvist",
            &["Tobias Lindqvist", "Lindqvist’s", "Mr Lindqvist"],
        );
        let article = Article::new(&kit.text, &kit.analysis, Language::PlainText);
        let on_surname = find(text, "Lindqvist’s", 0).start + 2;
        let edits = rename(&article, on_surname, "Tobias Lindquist").unwrap();
        let second = find(text, "Lindqvist", 1);
        assert_eq!(
            edits,
            vec![
                TextEdit::replace(find(text, "Lindqvist", 0), "Lindquist".to_string()),
                TextEdit::replace(second, "Lindquist".to_string()),
                TextEdit::replace(find(text, "Lindqvist", 2), "Lindquist".to_string()),
            ]
        );
        // A two-word surname: typed with the given name, or alone when the word counts differ.
        let edits = rename(&article, on_surname, "Tobias Lind Qvist").unwrap();
        assert_eq!(
            apply(text, &edits),
            "Tobias Lind Qvist, the harbour master, said the cranes were idle. Lind Qvist’s crews
walked out.

Mr Lind Qvist said talks would resume.
"
        );
        assert_eq!(
            apply(text, &rename(&article, on_surname, "de la Lind").unwrap()),
            "Tobias de la Lind, the harbour master, said the cranes were idle. de la Lind’s crews
walked out.

Mr de la Lind said talks would resume.
"
        );
        // Another full name at the surname (behind a title): the given name changes where it
        // is written, surname-only mentions get the surname.
        let on_title = find(text, "Mr Lindqvist", 0).start + 4;
        let edits = rename(&article, on_title, "Tobbe Lindquist").unwrap();
        assert_eq!(
            apply(text, &edits),
            "Tobbe Lindquist, the harbour master, said the cranes were idle. Lindquist’s crews
walked out.

Mr Lindquist said talks would resume.
"
        );
        // From the full mention, a shorter name: the surname mentions get its surname.
        let edits = rename(&article, find(text, "Tobias", 0).start, "Lindquist").unwrap();
        assert_eq!(
            apply(text, &edits),
            "Lindquist, the harbour master, said the cranes were idle. Lindquist’s crews
walked out.

Mr Lindquist said talks would resume.
"
        );
    }
}
