//! Hover cards: who an entity or source is as the article presents them, and who said a quotation.
//!
//! The card is Markdown. On a mention (or on a speaker's words, "he" included) it shows the
//! canonical name and kind, the descriptors in the article's order, the newsroom register's
//! description, how often and where the entity is first named, and the quotations attributed
//! to it. Speakers with no entity ("a senior port official", "the Transport Ministry") get a
//! source card. On a quotation it shows the speaker and how the attribution was found.

use super::article::{first_words, word_count, Article};
use crate::analysis::{Attribution, Entity, EntityKind, Quote, QuoteKind, Span};
use crate::config::register::fold_name;
use crate::config::Register;

/// A hover: the span it is about and the Markdown to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoverCard {
    pub span: Span,
    pub markdown: String,
}

/// How many words of a quotation a card quotes.
const QUOTE_WORDS: usize = 6;

/// The card for whatever is at `offset`, if anything.
pub fn hover(article: &Article, register: &Register, offset: usize) -> Option<HoverCard> {
    if let Some((index, quote)) = article.speaker_at(offset) {
        let speaker = quote.speaker.as_ref()?;
        let entity = speaker
            .entity
            .and_then(|id| article.analysis.entities.get(id));
        let mut markdown = String::new();
        if quote.attribution == Attribution::Pronoun {
            let words = article.slice(speaker.span);
            markdown.push_str(&format!(
                "“{}” → **{}** (pronoun resolved)\n\n",
                escape(words),
                escape(&speaker.name)
            ));
        }
        markdown.push_str(&match entity {
            Some(entity) => entity_card(article, register, entity),
            None => source_card(article, &article.analysis.quotes[index]),
        });
        return Some(HoverCard {
            span: speaker.span,
            markdown,
        });
    }
    if let Some((entity, span)) = article.entity_at(offset) {
        return Some(HoverCard {
            span,
            markdown: entity_card(article, register, entity),
        });
    }
    let (index, quote) = article.quote_at(offset)?;
    Some(HoverCard {
        span: quote.span,
        markdown: quote_card(article, index, quote),
    })
}

fn kind_name(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "person",
        EntityKind::Organization => "organization",
        EntityKind::Location => "place",
        EntityKind::Misc => "other name",
    }
}

fn entity_card(article: &Article, register: &Register, entity: &Entity) -> String {
    let quotes: Vec<&Quote> = article
        .analysis
        .quotes
        .iter()
        .filter(|q| {
            q.speaker
                .as_ref()
                .is_some_and(|s| s.entity == Some(entity.id))
        })
        .collect();
    let mut kind = kind_name(entity.kind).to_string();
    if entity.kind == EntityKind::Organization && !quotes.is_empty() {
        kind.push_str(" · institutional source");
    }
    let mut out = format!("**{}** — {kind}\n", escape(&entity.name));
    if !entity.descriptors.is_empty() {
        out.push('\n');
        for d in &entity.descriptors {
            out.push_str(&format!("- {}\n", escape(d)));
        }
    }
    let mut names: Vec<&str> = vec![&entity.name];
    names.extend(entity.mentions.iter().map(|m| article.mention_name(m.span)));
    if let Some(entry) = register.lookup(entity.kind, names.iter().copied()) {
        let mut line = format!("\nNewsroom register: **{}**", escape(&entry.name));
        if let Some(description) = &entry.description {
            line.push_str(&format!(" — {}", escape(description)));
        }
        out.push_str(&line);
        out.push('\n');
    }
    if let Some(first) = entity.mentions.first() {
        let times = match entity.mentions.len() {
            1 => "once".to_string(),
            n => format!("{n} times"),
        };
        out.push_str(&format!(
            "\nMentioned {times}; first named on line {} as “{}”",
            article.line(first.span.start),
            escape(article.mention_name(first.span))
        ));
        let full = entity
            .mentions
            .iter()
            .find(|m| fold_name(article.mention_name(m.span)) == fold_name(&entity.name));
        if let Some(full) = full.filter(|m| m.span != first.span) {
            out.push_str(&format!(
                ", in full on line {}",
                article.line(full.span.start)
            ));
        }
        out.push('\n');
    }
    out.push_str(&quote_list(article, &quotes));
    out
}

fn source_card(article: &Article, quote: &Quote) -> String {
    let Some(speaker) = &quote.speaker else {
        return String::new();
    };
    let key = fold_name(&speaker.name);
    let quotes: Vec<&Quote> = article
        .analysis
        .quotes
        .iter()
        .filter(|q| {
            q.speaker
                .as_ref()
                .is_some_and(|s| s.entity.is_none() && fold_name(&s.name) == key)
        })
        .collect();
    let mut out = format!(
        "**{}** — {}\n",
        escape(&speaker.name),
        source_kind(&speaker.name)
    );
    out.push_str(&quote_list(article, &quotes));
    out
}

/// Nouns that make "the …" an institution speaking ("the transport ministry said"), not a person.
#[rustfmt::skip]
const INSTITUTION_NOUNS: &[&str] = &[
    "ministry", "department", "government", "council", "company", "firm", "police", "army",
    "military", "court", "agency", "authority", "office", "embassy", "commission", "committee",
    "board", "union", "bank", "party", "administration", "cabinet", "parliament", "senate",
    "municipality", "university", "school", "hospital", "group", "club", "federation", "league",
    "association", "regulator", "service", "secretariat",
];

/// "anonymous source" for "a senior port official", "institutional source" for "the Transport
/// Ministry" (a definite article before a capitalised name) and "the transport ministry" (before
/// a phrase ending in an institution's noun).
pub fn source_kind(name: &str) -> &'static str {
    let first = name.split_whitespace().next().unwrap_or("").to_lowercase();
    let head = name
        .split_whitespace()
        .next_back()
        .unwrap_or("")
        .to_lowercase();
    let institutional = first == "the"
        && (name
            .split_whitespace()
            .nth(1)
            .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
            || INSTITUTION_NOUNS.contains(&head.as_str()));
    if institutional || first.chars().next().is_some_and(char::is_uppercase) {
        "institutional source"
    } else {
        "anonymous source"
    }
}

fn quote_list(article: &Article, quotes: &[&Quote]) -> String {
    if quotes.is_empty() {
        return String::new();
    }
    let times = if quotes.len() == 1 {
        "once".to_string()
    } else {
        format!("{} times", quotes.len())
    };
    let mut out = format!("\nQuoted {times}:\n");
    for q in quotes {
        out.push_str(&format!(
            "- line {}: {} *({})*\n",
            article.line(q.span.start),
            escape(&article.first_words(q.span, QUOTE_WORDS)),
            how_found_short(article, q)
        ));
    }
    out
}

fn how_found_short(article: &Article, quote: &Quote) -> String {
    match quote.attribution {
        Attribution::Explicit => "explicit".into(),
        Attribution::Pronoun => match &quote.speaker {
            Some(s) => format!("pronoun “{}”", article.slice(s.span)),
            None => "pronoun".into(),
        },
        Attribution::Continuation => "continuation".into(),
        Attribution::None => "no attribution".into(),
    }
}

fn quote_kind_name(kind: QuoteKind) -> &'static str {
    match kind {
        QuoteKind::Full => "full quotation",
        QuoteKind::Partial => "partial quotation",
        QuoteKind::Term => "term",
    }
}

fn quote_card(article: &Article, index: usize, quote: &Quote) -> String {
    let words = word_count(article.slice(quote.span));
    let mut out = format!(
        "**{}** — {} word{}, line {}\n\n",
        quote_kind_name(quote.kind),
        words,
        if words == 1 { "" } else { "s" },
        article.line(quote.span.start)
    );
    let speaker = quote.speaker.as_ref();
    let name = speaker.map(|s| escape(&s.name)).unwrap_or_default();
    let line = match (quote.attribution, speaker) {
        (Attribution::Explicit, Some(s)) => format!(
            "Speaker: **{name}** — explicit: named at the quotation as “{}” (line {})",
            escape(article.slice(s.span)),
            article.line(s.span.start)
        ),
        (Attribution::Pronoun, Some(s)) => {
            format!(
                "Speaker: **{name}** — pronoun: “{}” → resolved to {name}",
                escape(article.slice(s.span))
            )
        }
        (Attribution::Continuation, Some(_)) => {
            let previous = article.continued_quote(index);
            match previous {
                Some(p) => format!(
                    "Speaker: **{name}** — continuation of {name}’s quote on line {}",
                    article.line(p.span.start)
                ),
                None => format!("Speaker: **{name}** — continuation of {name}’s quote"),
            }
        }
        (_, None) | (Attribution::None, Some(_)) if quote.kind == QuoteKind::Term => {
            "A term or scare quotes: needs no speaker.".to_string()
        }
        _ => "**No speaker found**: add who said it (`unattributed-quote`).".to_string(),
    };
    out.push_str(&line);
    out.push('\n');
    if quote.kind != QuoteKind::Term {
        out.push_str(&format!(
            "\n> {}\n",
            escape(&first_words(article.slice(quote.span), 20))
        ));
    }
    out
}

/// Escape the characters Markdown would read as markup in text taken from the article.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests;
