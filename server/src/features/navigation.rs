//! Moving between an entity's mentions: references, highlights, definition, rename.
//!
//! Everything starts from the mention under the cursor (a pronoun speaker counts for reading,
//! never for renaming). Definition is the first mention that gives the full name; rename
//! rewrites every mention word by word, so titles ("President") and possessives ("’s") stay.

use super::article::Article;
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
                    entity.name.clone()
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
/// the full name, or a part of it (a surname); each mention changes the words it shares with
/// the old name, word for word when the names have as many words, else as a whole.
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
    // The renamed form: a full new name maps onto the old one word for word; a renamed part
    // (the cursor on "Okafor" renamed to "Okafor-Reyes") replaces that part of the name.
    let mut new_words: Vec<String> = old.iter().map(|w| w.to_string()).collect();
    let typed: Vec<&str> = new_name.split(' ').collect();
    if current_words == old_folded {
        if typed.len() == old.len() {
            new_words = typed.iter().map(|w| w.to_string()).collect();
        } else {
            return Ok(whole_name_edits(article, entity, &old_folded, &new_name));
        }
    } else {
        let positions: Vec<usize> = current_words
            .iter()
            .filter_map(|c| old_folded.iter().position(|o| o == c))
            .collect();
        if positions.len() == typed.len() {
            for (&p, t) in positions.iter().zip(&typed) {
                new_words[p] = t.to_string();
            }
        } else if let (Some(&first), Some(&last)) = (positions.first(), positions.last()) {
            new_words.splice(first..=last, typed.iter().map(|t| t.to_string()));
            let new_full = new_words.join(" ");
            return Ok(whole_name_edits(article, entity, &old_folded, &new_full));
        }
    }
    let mut edits = Vec::new();
    for m in &entity.mentions {
        for (word_span, word) in words_of(article, m.span) {
            if let Some(i) = old_folded.iter().position(|o| *o == fold_name(word)) {
                if new_words[i] != word {
                    edits.push(TextEdit::replace(word_span, new_words[i].clone()));
                }
            }
        }
    }
    Ok(edits)
}

/// Replace each mention's run of name words with the whole new name.
fn whole_name_edits(
    article: &Article,
    entity: &Entity,
    old: &[String],
    new_name: &str,
) -> Vec<TextEdit> {
    entity
        .mentions
        .iter()
        .filter_map(|m| {
            let words: Vec<Span> = words_of(article, m.span)
                .into_iter()
                .filter(|(_, w)| old.contains(&fold_name(w)))
                .map(|(s, _)| s)
                .collect();
            Some(TextEdit::replace(
                Span::new(words.first()?.start, words.last()?.end),
                new_name,
            ))
        })
        .collect()
}

/// The words of a mention with their spans, possessives and punctuation left outside.
fn words_of<'a>(article: &Article<'a>, span: Span) -> Vec<(Span, &'a str)> {
    let text = article.slice(span);
    let mut out = Vec::new();
    let mut at = 0;
    for raw in text.split_whitespace() {
        let Some(rel) = text[at..].find(raw).map(|i| i + at) else {
            continue;
        };
        at = rel + raw.len();
        let lead = raw.len() - raw.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
        let stem =
            raw[lead..].trim_end_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’');
        let word = crate::config::register::strip_possessive(stem).trim_end_matches(['\'', '’']);
        if !word.is_empty() {
            let start = span.start + rel + lead;
            out.push((Span::new(start, start + word.len()), word));
        }
    }
    out
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
            "Council leader Ines Maria Halloran said on Monday the budget was final. Ines Maria Halloran’s deputy agreed.

Councillor Ines Maria Halloran later said Ines Maria Halloran had the votes.
"
        );
        assert!(prepare_rename(&article, find(text, "budget", 0).start).is_err());
        assert!(rename(&article, on_full, "  ").is_err());
    }
}
