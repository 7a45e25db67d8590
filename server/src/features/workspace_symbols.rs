//! Workspace symbols over every open article: which articles mention this person?
//!
//! A query matches an entity when each of its words starts a word of the entity's name or of
//! one of its mentions (case and accents ignored); an empty query lists every entity.

use super::article::Article;
use super::outline;
use crate::analysis::{EntityKind, Span};
use crate::config::register::{fold_name, name_words};

/// One entity in one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SymbolHit<K> {
    /// Which article (the LSP layer uses the document URI).
    pub key: K,
    pub name: String,
    pub kind: EntityKind,
    /// The first mention.
    pub span: Span,
    /// The article's title, shown beside the name.
    pub container: String,
}

/// Entities matching `query` across `articles`, by name then in the articles' order.
pub fn workspace_symbols<'a, K: Clone + 'a>(
    query: &str,
    articles: impl IntoIterator<Item = (K, &'a Article<'a>)>,
) -> Vec<SymbolHit<K>> {
    let wanted: Vec<String> = query.split_whitespace().map(fold_name).collect();
    let mut out = Vec::new();
    for (key, article) in articles {
        let container = outline::title(article);
        for entity in &article.analysis.entities {
            let Some(first) = entity.mentions.first() else {
                continue;
            };
            let mut words: Vec<String> = name_words(&entity.name).map(fold_name).collect();
            for m in &entity.mentions {
                words.extend(name_words(article.slice(m.span)).map(fold_name));
            }
            if wanted
                .iter()
                .all(|w| words.iter().any(|n| n.starts_with(w.as_str())))
            {
                out.push(SymbolHit {
                    key: key.clone(),
                    name: entity.name.to_string(),
                    kind: entity.kind,
                    span: first.span,
                    container: container.clone(),
                });
            }
        }
    }
    out.sort_by_key(|hit| fold_name(&hit.name));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::article::Language;
    use crate::features::testkit::{ferry, Kit};

    #[test]
    fn finds_a_person_across_articles() {
        let kit = ferry();
        let other_text =
            "Ferry chief steps down\n\nChidi Okafor will leave Northsound Ferries in May.\n";
        let mut other = Kit::new(other_text, true);
        other.entity(EntityKind::Person, "Chidi Okafor", &["Chidi Okafor"]);
        other.entity(
            EntityKind::Organization,
            "Northsound Ferries",
            &["Northsound Ferries"],
        );
        let a = Article::new(&kit.text, &kit.analysis, Language::PlainText);
        let b = Article::new(&other.text, &other.analysis, Language::PlainText);
        let hits = workspace_symbols("okaf", [("ferry.txt", &a), ("chief.txt", &b)]);
        let summary: Vec<(&str, &str, &str)> = hits
            .iter()
            .map(|h| (h.key, h.name.as_str(), h.container.as_str()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (
                    "ferry.txt",
                    "Chidi Okafor",
                    "Ferry fares to rise as fuel costs bite"
                ),
                ("chief.txt", "Chidi Okafor", "Ferry chief steps down"),
            ]
        );
        assert_eq!(
            workspace_symbols("north ferr", [("ferry.txt", &a), ("chief.txt", &b)]).len(),
            2
        );
        assert_eq!(workspace_symbols("", [("chief.txt", &b)]).len(), 2);
        assert!(workspace_symbols("brandvold", [("ferry.txt", &a)]).is_empty());
    }
}
