//! Code actions: the fixes a copy editor would make by hand, as byte-offset edits.
//!
//! - after an unattributed quotation: an attribution template (`“…,” [speaker] said.`);
//! - on markup residue: remove it (the whole line when it is the whole line), or all of it;
//! - straight ↔ curly quotation marks, toward the configured style or the article's majority;
//! - the naming checks' own fixes: expand a bare-surname first reference, shorten a repeated
//!   full name, respell a name variant;
//! - for every rule: a suppression comment for the line.

use super::article::Article;
use super::diagnostics::{diagnostics, Diagnostic};
use super::edit::TextEdit;
use super::quote_style::{convert, target_style, MarkStyle};
use super::suppress::disable_edit;
use crate::analysis::{Attribution, QuoteKind, Rule, Span};
use crate::config::Config;

/// The placeholder the attribution template leaves for the reporter to fill in.
pub const SPEAKER_PLACEHOLDER: &str = "[speaker]";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    Refactor,
    /// Whole-document actions (`source.*`).
    Source,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeAction {
    pub title: String,
    pub kind: ActionKind,
    pub edits: Vec<TextEdit>,
    /// The diagnostic this action fixes.
    pub diagnostic: Option<Diagnostic>,
    pub preferred: bool,
}

/// The actions available for `range` (the cursor or selection).
pub fn code_actions(article: &Article, config: &Config, range: Span) -> Vec<CodeAction> {
    let all = diagnostics(article, config);
    let touches =
        |span: Span| span.overlaps(range) || span.contains(range.start) || span.end == range.start;
    let mut out = Vec::new();
    let mut disables = Vec::new();
    for d in all.iter().filter(|d| touches(d.span)) {
        let Some(rule) = d.rule else { continue };
        let fix = match rule {
            Rule::FirstReference | Rule::NameVariant => d.fix.clone(),
            Rule::MarkupResidue => Some(super::edit::Fix {
                title: "Remove markup residue".into(),
                edits: vec![TextEdit::delete(residue_deletion(article, d.span))],
            }),
            Rule::UnattributedQuote => attribution_template(article, d.span),
            Rule::UnbalancedQuote | Rule::UnresolvedPronounSpeaker => None,
        };
        if let Some(fix) = fix {
            out.push(CodeAction {
                title: fix.title,
                kind: ActionKind::QuickFix,
                edits: fix.edits,
                diagnostic: Some(d.clone()),
                preferred: true,
            });
        }
        if !disables.contains(&(rule, article.line(d.span.start))) {
            disables.push((rule, article.line(d.span.start)));
            out.push(CodeAction {
                title: format!("Disable {} for this line", rule.code()),
                kind: ActionKind::QuickFix,
                edits: vec![disable_edit(article, rule, d.span.start)],
                diagnostic: Some(d.clone()),
                preferred: false,
            });
        }
    }
    let residue: Vec<&Diagnostic> = all
        .iter()
        .filter(|d| d.rule == Some(Rule::MarkupResidue))
        .collect();
    if residue.len() > 1 {
        let mut edits: Vec<TextEdit> = residue
            .iter()
            .map(|d| TextEdit::delete(residue_deletion(article, d.span)))
            .collect();
        edits.sort_by_key(|e| e.span.start);
        edits.dedup_by(|b, a| b.span.start < a.span.end);
        out.push(CodeAction {
            title: format!("Remove all markup residue ({})", residue.len()),
            kind: ActionKind::Source,
            edits,
            diagnostic: None,
            preferred: false,
        });
    }
    out.extend(quote_style_actions(article, config, range));
    out
}

fn quote_style_actions(article: &Article, config: &Config, range: Span) -> Vec<CodeAction> {
    let style = target_style(article, config.quote_style);
    let name = match style {
        MarkStyle::Curly => "curly",
        MarkStyle::Straight => "straight",
    };
    let why = match config.quote_style {
        crate::config::QuoteStyle::Auto => "the article's majority style",
        _ => "the configured style",
    };
    let mut out = Vec::new();
    let here = convert(article, range, style);
    if !here.is_empty() {
        out.push(CodeAction {
            title: format!("Use {name} quotation marks here ({why})"),
            kind: ActionKind::Refactor,
            edits: here,
            diagnostic: None,
            preferred: false,
        });
    }
    let everywhere = convert(article, Span::new(0, article.text.len()), style);
    if !everywhere.is_empty() {
        out.push(CodeAction {
            title: format!("Use {name} quotation marks throughout ({why})"),
            kind: ActionKind::Source,
            edits: everywhere,
            diagnostic: None,
            preferred: false,
        });
    }
    out
}

/// What to delete for residue at `span`: its whole line when it is all the line holds, else the
/// residue and one space beside it so no double space is left.
pub fn residue_deletion(article: &Article, span: Span) -> Span {
    let line = article.line_span(span.start);
    let line_text = article.slice(line);
    if line_text.trim() == article.slice(span).trim()
        || span.start <= line.start && span.end >= line.end
    {
        let next = article.line_start(article.line(span.start) + 1);
        return Span::new(line.start, next.max(line.end));
    }
    let bytes = article.text.as_bytes();
    let before = span
        .start
        .checked_sub(1)
        .and_then(|i| bytes.get(i))
        .copied();
    let after = bytes.get(span.end).copied();
    match (before, after) {
        (Some(b' '), None | Some(b'\n' | b'\r' | b'.' | b',' | b';' | b':' | b' ')) => {
            Span::new(span.start - 1, span.end)
        }
        (_, Some(b' ')) => Span::new(span.start, span.end + 1),
        _ => span,
    }
}

/// The attribution template after the unattributed quotation at `span`.
fn attribution_template(article: &Article, span: Span) -> Option<super::edit::Fix> {
    let quote = article.analysis.quotes.iter().find(|q| {
        q.span.overlaps(span) && q.attribution == Attribution::None && q.kind != QuoteKind::Term
    })?;
    let text = article.slice(quote.span);
    let mut chars = text.char_indices().rev();
    let (_, closing) = chars.next()?;
    if !matches!(closing, '"' | '”' | '’' | '\'' | '»') {
        return None; // unbalanced: nothing to attach the template to yet
    }
    let (last_at, last) = chars.next()?;
    let after = article.text.get(quote.span.end..).unwrap_or("");
    // The reporter's sentence goes on after the quotation only if lowercase words or clause
    // punctuation follow; a capital, a line break, residue or the end of the text end it.
    let sentence_ends = !after
        .trim_start_matches([' ', '\t'])
        .chars()
        .next()
        .is_some_and(|c| {
            c.is_lowercase() || c.is_ascii_digit() || matches!(c, ',' | ';' | ':' | '—' | '–')
        });
    let end = quote.span.end;
    let insert = |text: String| TextEdit::insert(end, text);
    let edits = match last {
        '.' if sentence_ends => vec![
            TextEdit::replace(
                Span::new(quote.span.start + last_at, quote.span.start + last_at + 1),
                ",",
            ),
            insert(format!(" {SPEAKER_PLACEHOLDER} said.")),
        ],
        ',' | '.' | '?' | '!' | '—' | '…' => {
            let stop = if sentence_ends { "." } else { "" };
            vec![insert(format!(" {SPEAKER_PLACEHOLDER} said{stop}"))]
        }
        _ => vec![insert(format!(
            ", {SPEAKER_PLACEHOLDER} said{}",
            if sentence_ends { "." } else { "" }
        ))],
    };
    Some(super::edit::Fix {
        title: "Add an attribution after the quotation".into(),
        edits,
    })
}

#[cfg(test)]
mod tests;
