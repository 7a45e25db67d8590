//! Suppression comments: silence a rule on the next line of the article.
//!
//! Markdown: `<!-- copydesk-disable-next-line RULE … -->` on its own line. Plain text accepts the
//! same comment, and `# copydesk-disable-next-line RULE …` (a `#` line is a heading in Markdown,
//! so there only the HTML comment counts). Rules are codes separated by spaces or commas; none
//! means every rule. "Next line" is the next line holding text, so a blank line may separate the
//! comment from the paragraph. The comment itself is never reported (e.g. as markup residue).

use std::sync::Arc;

use super::article::{Article, Language};
use super::edit::TextEdit;
use crate::analysis::shift::Shift;
use crate::analysis::{Rule, Span};

/// The directive word.
pub const DIRECTIVE: &str = "copydesk-disable-next-line";

/// One suppression comment: where it is, the line it silences, and which rules (`None`: all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub comment: Span,
    pub target: Span,
    pub rules: Option<Vec<Rule>>,
    /// Codes in the comment that name no rule (reported so that a typo is not silently ignored).
    pub unknown: Vec<(Span, String)>,
}

/// Every suppression comment in the article.
///
/// Only lines holding the directive word can be one: they are found with a substring search
/// instead of splitting the article into lines (this runs on every keystroke).
pub fn suppressions(article: &Article) -> Vec<Suppression> {
    let text = article.text;
    let mut out = Vec::new();
    let mut search = 0;
    let finder = memchr::memmem::Finder::new(DIRECTIVE);
    while let Some(found) = text
        .get(search..)
        .and_then(|rest| finder.find(rest.as_bytes()))
    {
        let at = search + found;
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let next = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
        search = next;
        let line = text[start..next].trim_end_matches(['\n', '\r']);
        let Some((args, args_at)) = directive(line, article.language) else {
            continue;
        };
        let comment = Span::new(start, start + line.len());
        let mut offset = next;
        let target = text[next..]
            .split_inclusive('\n')
            .find_map(|l| {
                let s = offset;
                offset += l.len();
                let l = l.trim_end_matches(['\n', '\r']);
                (!l.trim().is_empty()).then(|| Span::new(s, s + l.len()))
            })
            .unwrap_or(Span::new(text.len(), text.len()));
        let mut rules = Vec::new();
        let mut unknown = Vec::new();
        let mut at = 0;
        for code in args.split(|c: char| c.is_whitespace() || c == ',') {
            let rel = args[at..].find(code).map_or(at, |p| p + at);
            at = rel + code.len();
            if code.is_empty() {
                continue;
            }
            match Rule::from_code(code) {
                Some(rule) => rules.push(rule),
                None => {
                    let s = start + args_at + rel;
                    unknown.push((Span::new(s, s + code.len()), code.to_string()));
                }
            }
        }
        let rules = if rules.is_empty() && unknown.is_empty() {
            None
        } else {
            Some(rules)
        };
        out.push(Suppression {
            comment,
            target,
            rules,
            unknown,
        });
    }
    out
}

/// A document's last suppression comments and the text they were found in, for
/// [`suppressions_reusing`] to move. Empty at first.
#[derive(Debug, Default)]
pub struct SuppressionMemo(Option<(Arc<str>, Language, Vec<Suppression>)>);

/// [`suppressions`] of `article`, whose text is `text`: when `edited` gives the text the memo's
/// last ones were found in and the replacement that turned it into `text`
/// ([`Shift::between`]), and the edit touched no line holding the directive word nor the lines
/// from a comment to its target, the last ones moved; else found afresh. The same result: a
/// comment is read from its own line and the lines after it up to its target, and the search
/// over the whole text (≈ 4.7 M instructions a keystroke at 10 MB) is left for the edits that
/// may change one.
pub fn suppressions_reusing(
    memo: &mut SuppressionMemo,
    text: &Arc<str>,
    article: &Article,
    edited: Option<(&Arc<str>, &Shift)>,
) -> Vec<Suppression> {
    let last = memo.0.take();
    let moved = match (last, edited) {
        (Some((old, language, found)), Some((from, shift)))
            if Arc::ptr_eq(&old, from)
                && language == article.language
                && std::ptr::eq(article.text, &**text) =>
        {
            moved_suppressions(found, &old, text, shift)
        }
        _ => None,
    };
    let found = moved.unwrap_or_else(|| suppressions(article));
    memo.0 = Some((Arc::clone(text), article.language, found.clone()));
    found
}

/// `found` (in `old`) moved by `shift` into `new`, if the replacement leaves each as it was.
fn moved_suppressions(
    mut found: Vec<Suppression>,
    old: &str,
    new: &str,
    shift: &Shift,
) -> Option<Vec<Suppression>> {
    let (start, old_end, new_end) = (shift.start, shift.old_end, shift.new_end);
    // A comment reads its line and the lines up to its target: none may touch the edit (ends
    // included: text typed at either edge changes a line).
    if found
        .iter()
        .any(|s| s.comment.start <= old_end && s.target.end >= start)
    {
        return None;
    }
    // Nor may the lines the edit touches, before or after it, hold the directive word: a
    // comment may have come or gone there.
    if holds_directive(old, start, old_end)? || holds_directive(new, start, new_end)? {
        return None;
    }
    let moved = |x: usize| {
        if x < start {
            x
        } else {
            x - old_end + new_end
        }
    };
    let span = |s: Span| Span::new(moved(s.start), moved(s.end));
    for s in &mut found {
        s.comment = span(s.comment);
        s.target = span(s.target);
        for (u, _) in &mut s.unknown {
            *u = span(*u);
        }
    }
    Some(found)
}

/// Whether the lines of `text` holding any of `start..end` hold the directive word (`None` for
/// offsets outside the text).
fn holds_directive(text: &str, start: usize, end: usize) -> Option<bool> {
    let bytes = text.as_bytes();
    let from = bytes.get(..start)?.iter().rposition(|&b| b == b'\n');
    let to = bytes.get(end..)?.iter().position(|&b| b == b'\n');
    let line = &bytes[from.map_or(0, |i| i + 1)..to.map_or(bytes.len(), |i| end + i)];
    Some(memchr::memmem::find(line, DIRECTIVE.as_bytes()).is_some())
}

/// The directive's arguments and their offset in the line, if the line is a suppression comment.
fn directive(line: &str, language: Language) -> Option<(&str, usize)> {
    let lead = line.len() - line.trim_start().len();
    let trimmed = line.trim();
    let (body, body_at) = if let Some(inner) = trimmed
        .strip_prefix("<!--")
        .and_then(|r| r.strip_suffix("-->"))
    {
        (inner, lead + 4)
    } else if language == Language::PlainText {
        (trimmed.strip_prefix('#')?, lead + 1)
    } else {
        return None;
    };
    let ws = body.len() - body.trim_start().len();
    let args = body.trim_start().strip_prefix(DIRECTIVE)?;
    if !(args.is_empty() || args.starts_with(char::is_whitespace)) {
        return None;
    }
    Some((args.trim_end(), body_at + ws + DIRECTIVE.len()))
}

/// Whether a block's text is nothing but a suppression comment (left out of the outline).
pub fn is_suppression_comment(text: &str) -> bool {
    let t = text.trim();
    t.starts_with("<!--") && t.ends_with("-->") && t.contains(DIRECTIVE) && !t.contains('\n')
        || t.strip_prefix('#')
            .is_some_and(|r| r.trim_start().starts_with(DIRECTIVE))
}

/// Whether a finding of `rule` at `span` is silenced, or lies inside a suppression comment.
pub fn is_suppressed(suppressions: &[Suppression], rule: Rule, span: Span) -> bool {
    suppressions.iter().any(|s| {
        s.comment.start <= span.start && span.start <= s.comment.end
            || (s.target.start <= span.start
                && span.start <= s.target.end
                && s.rules.as_ref().is_none_or(|r| r.contains(&rule)))
    })
}

/// The edit inserting a comment that silences `rule` on the line holding `offset`.
pub fn disable_edit(article: &Article, rule: Rule, offset: usize) -> TextEdit {
    let line = article.line_span(offset);
    let indent: String = article
        .slice(line)
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let comment = match article.language {
        Language::Markdown => format!("{indent}<!-- {DIRECTIVE} {} -->\n", rule.code()),
        Language::PlainText => format!("{indent}# {DIRECTIVE} {}\n", rule.code()),
    };
    TextEdit::insert(line.start, comment)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analysis;
    use crate::features::edit::apply;

    const MD: &str = "# Budget vote\n\n<!-- copydesk-disable-next-line unattributed-quote, markup-resdue -->\n\n“We will vote no,” one lawmaker said.\n\n<!-- copydesk-disable-next-line -->\nText &nbsp; here.\n# copydesk-disable-next-line first-reference\nLast line.\n";

    #[test]
    fn markdown_comments_name_rules_and_their_next_line() {
        let analysis = Analysis::default();
        let article = Article::new(MD, &analysis, Language::Markdown);
        let found = suppressions(&article);
        assert_eq!(found.len(), 2, "a # line is a heading in Markdown");
        let quote_line = MD.find("“We").unwrap();
        assert_eq!(found[0].target.start, quote_line);
        assert_eq!(found[0].rules, Some(vec![Rule::UnattributedQuote]));
        let typo = MD.find("markup-resdue").unwrap();
        assert_eq!(
            found[0].unknown,
            vec![(Span::new(typo, typo + 13), "markup-resdue".to_string())]
        );
        assert_eq!(found[1].rules, None);
        assert!(is_suppressed(
            &found,
            Rule::UnattributedQuote,
            Span::new(quote_line, quote_line + 5)
        ));
        assert!(!is_suppressed(
            &found,
            Rule::UnbalancedQuote,
            Span::new(quote_line, quote_line + 5)
        ));
        let nbsp = MD.find("&nbsp;").unwrap();
        assert!(is_suppressed(
            &found,
            Rule::MarkupResidue,
            Span::new(nbsp, nbsp + 6)
        ));
        assert!(
            is_suppressed(&found, Rule::MarkupResidue, found[0].comment),
            "the comment itself"
        );
        assert!(is_suppression_comment(
            "<!-- copydesk-disable-next-line -->"
        ));
    }

    /// The comments and targets found by looking at every line, as before the substring search.
    fn by_every_line(text: &str, language: Language) -> Vec<(Span, Span)> {
        let mut offset = 0;
        let lines: Vec<(usize, &str)> = text
            .split_inclusive('\n')
            .map(|line| {
                let start = offset;
                offset += line.len();
                (start, line.trim_end_matches(['\n', '\r']))
            })
            .collect();
        let mut out = Vec::new();
        for (i, &(start, line)) in lines.iter().enumerate() {
            if directive(line, language).is_none() {
                continue;
            }
            let target = lines[i + 1..]
                .iter()
                .find(|(_, l)| !l.trim().is_empty())
                .map_or(Span::new(text.len(), text.len()), |&(s, l)| {
                    Span::new(s, s + l.len())
                });
            out.push((Span::new(start, start + line.len()), target));
        }
        out
    }

    #[test]
    fn the_substring_search_finds_what_every_line_would() {
        let analysis = Analysis::default();
        for text in [
            MD,
            "# copydesk-disable-next-line",
            "a copydesk-disable-next-line b\r\n<!-- copydesk-disable-next-line -->\r\n\r\n  \r\nText\r\n",
            "<!-- copydesk-disable-next-line x -->\n# copydesk-disable-next-line y\n",
            "Text copydesk-disable-next-line copydesk-disable-next-line\n#copydesk-disable-next-lines\nEnd",
        ] {
            for language in [Language::Markdown, Language::PlainText] {
                let found: Vec<(Span, Span)> = suppressions(&Article::new(text, &analysis, language))
                    .iter()
                    .map(|s| (s.comment, s.target))
                    .collect();
                assert_eq!(found, by_every_line(text, language), "{text:?}");
            }
        }
    }

    /// At every character of a story with comments: type a letter, a line break, a `#`, then
    /// delete each; after each keystroke the comments moved from the last ones equal those
    /// found afresh (comments made and unmade, targets moved to another line).
    #[test]
    fn moved_comments_equal_fresh_ones_keystroke_by_keystroke() {
        let analysis = Analysis::default();
        let story = "Vote\n\n<!-- copydesk-disable-next-line unattributed-quote, bogus -->\n\n\
                     “No,” one said.\n# copydesk-disable-next-line\nText here.\n\nEnd.";
        for language in [Language::Markdown, Language::PlainText] {
            let mut memo = SuppressionMemo::default();
            let mut text: Arc<str> = Arc::from(story);
            let article = Article::new(&text, &analysis, language);
            suppressions_reusing(&mut memo, &text, &article, None);
            let mut moved = 0;
            for at in story.char_indices().map(|(i, _)| i) {
                for typed in ["x", "\n", "#"] {
                    for (start, old_end, insert) in [(at, at, typed), (at, at + typed.len(), "")] {
                        let mut next = text.to_string();
                        next.replace_range(start..old_end, insert);
                        let next: Arc<str> = Arc::from(next);
                        let shifts = Shift::between(&text, &next);
                        let article = Article::new(&next, &analysis, language);
                        let last = memo.0.as_ref().map(|(_, _, found)| found.clone());
                        let reused = suppressions_reusing(
                            &mut memo,
                            &next,
                            &article,
                            Some((&text, &shifts[0])),
                        );
                        assert_eq!(reused, suppressions(&article), "{next:?}");
                        moved +=
                            usize::from(last.is_some_and(|l| !l.is_empty()) && !reused.is_empty());
                        text = next;
                    }
                }
            }
            assert!(moved > 0);
        }
    }

    #[test]
    fn plain_text_takes_the_hash_form_too() {
        let analysis = Analysis::default();
        let article = Article::new(MD, &analysis, Language::PlainText);
        let found = suppressions(&article);
        assert_eq!(found.len(), 3);
        assert_eq!(found[2].rules, Some(vec![Rule::FirstReference]));
        assert_eq!(article.slice(found[2].target), "Last line.");
        let at = MD.find("Last line").unwrap();
        let edit = disable_edit(&article, Rule::NameVariant, at + 3);
        assert!(
            apply(MD, &[edit]).ends_with("# copydesk-disable-next-line name-variant\nLast line.\n")
        );
        let md = Article::new(MD, &analysis, Language::Markdown);
        let edit = disable_edit(&md, Rule::NameVariant, at);
        assert_eq!(
            edit.new_text,
            "<!-- copydesk-disable-next-line name-variant -->\n"
        );
    }
}
