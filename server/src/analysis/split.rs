//! Cutting a document into paragraphs: at blank lines, and at single line breaks as much wire
//! copy uses them, while keeping soft-wrapped (hard-wrapped) lines of one paragraph together.
//!
//! Every decision looks only at the two lines around a line break, so re-splitting a region that
//! starts at an old paragraph start gives the same paragraphs as splitting the whole document.

use super::markup;
use super::model::Span;

/// The paragraph that starts at or after `pos` (a line start): its span, without the line break
/// that ends it. `None` when only blank lines are left.
pub fn next_paragraph(text: &str, mut pos: usize) -> Option<Span> {
    // Skip blank lines.
    loop {
        if pos >= text.len() {
            return None;
        }
        let (line, next) = line_at(text, pos);
        if !is_blank(&text[line.start..line.end]) {
            break;
        }
        pos = next;
    }
    let start = pos;
    let (mut line, mut next) = line_at(text, pos);
    loop {
        if next >= text.len() {
            break;
        }
        let (following, after) = line_at(text, next);
        let a = &text[line.start..line.end];
        let b = &text[following.start..following.end];
        if is_blank(b) || !soft_wrap(a, b) {
            break;
        }
        line = following;
        next = after;
    }
    Some(Span::new(start, line.end))
}

/// All paragraphs of `text`.
pub fn paragraphs(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(p) = next_paragraph(text, pos) {
        out.push(p);
        pos = p.end;
    }
    out
}

/// The line starting at `pos` without its line break (`\n` or `\r\n`), and the next line's start.
fn line_at(text: &str, pos: usize) -> (Span, usize) {
    match text[pos..].find('\n') {
        Some(nl) => {
            let end = pos + nl;
            let body_end = if text[..end].ends_with('\r') && end > pos {
                end - 1
            } else {
                end
            };
            (Span::new(pos, body_end), end + 1)
        }
        None => {
            let end = text.len();
            let body_end = if text.ends_with('\r') && end > pos {
                end - 1
            } else {
                end
            };
            (Span::new(pos, body_end), end)
        }
    }
}

fn is_blank(line: &str) -> bool {
    line.chars().all(char::is_whitespace)
}

/// Whether the break between lines `a` and `b` only wraps one paragraph.
fn soft_wrap(a: &str, b: &str) -> bool {
    if is_block_line(a) || is_block_line(b) || markup::dateline(b).is_some() {
        return false;
    }
    let a_trim = a.trim_end();
    let last = last_prose_char(a_trim);
    if last.is_none_or(|c| matches!(c, '.' | '!' | '?' | ':' | '…' | ';'))
        || ends_with_quote_close(a_trim)
    {
        return false;
    }
    let first = b.trim_start().chars().next();
    let continues = first.is_some_and(|c| {
        c.is_lowercase()
            || c.is_ascii_digit()
            || matches!(c, '(' | '$' | '%' | '&' | ',' | '—' | '–')
    });
    // A short line without a full stop is a headline, a label or a byline, not wrapped prose.
    continues || a_trim.chars().count() >= 50
}

/// Lines that stand alone: headings, list items, fences, tables, bylines, trailers, captions.
fn is_block_line(line: &str) -> bool {
    let t = line.trim_start();
    let t = t.trim_start_matches('>').trim_start();
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
        return true;
    }
    let b = t.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let list = (b.len() >= 2 && matches!(b[0], b'-' | b'*' | b'+') && b[1] == b' ')
        || ((1..=3).contains(&digits)
            && b.len() > digits + 1
            && matches!(b[digits], b'.' | b')')
            && b[digits + 1] == b' ');
    if list
        || t.starts_with("```")
        || t.starts_with("~~~")
        || t.starts_with('|')
        || t.trim_end().ends_with('|')
        || t.starts_with('<')
        || t.starts_with("By ")
        || t.starts_with("BY ")
    {
        return true;
    }
    let scanned = markup::scan(line);
    scanned
        .block
        .is_some_and(|blk| blk.kind != super::model::BlockKind::Paragraph)
}

/// The last character of `line` that is prose: skips closing brackets, emphasis, trailing
/// bracketed codes ("[L1N2TZ2LJ]") and HTML tags.
fn last_prose_char(line: &str) -> Option<char> {
    let mut s = line.trim_end();
    loop {
        let before = s.len();
        s = s.trim_end_matches(['*', '_', '|', ' ', '\t']);
        if s.ends_with(']') {
            if let Some(open) = s.rfind('[') {
                s = &s[..open];
            }
        } else if s.ends_with('>') {
            if let Some(open) = s.rfind('<') {
                s = &s[..open];
            }
        } else if s.ends_with(')') {
            s = &s[..s.len() - 1];
        }
        if s.len() == before {
            break;
        }
    }
    s.chars().next_back()
}

/// A line ending in a closing quotation mark after sentence punctuation: `…,” or `… win.”`.
fn ends_with_quote_close(line: &str) -> bool {
    let t = line.trim_end_matches(['”', '"', '’', '\'', '»', '*', '_']);
    t.len() < line.len() && t.ends_with(['.', '!', '?', '…'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        paragraphs(text)
            .into_iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn blank_and_single_newline_paragraphs() {
        assert_eq!(
            split("Headline of the day\nBy Ann Writer\nOSLO (Reuters) - One.\nTwo.\n\n\nThree.\r\nFour.\n"),
            vec!["Headline of the day", "By Ann Writer", "OSLO (Reuters) - One.", "Two.", "Three.", "Four."]
        );
    }

    #[test]
    fn soft_wrapped_lines_stay_together() {
        let text = "The minister, who took office in March after a long and bitter\ncampaign, said the plan would go ahead. It was\nnot clear when.\nA second paragraph.";
        assert_eq!(
            split(text),
            vec![
                "The minister, who took office in March after a long and bitter\ncampaign, said the plan would go ahead. It was\nnot clear when.",
                "A second paragraph."
            ]
        );
    }

    #[test]
    fn markdown_blocks_stand_alone() {
        assert_eq!(
            split("# Title\nText under it.\n- one\n- two\n```\ncode\n```"),
            vec![
                "# Title",
                "Text under it.",
                "- one",
                "- two",
                "```",
                "code",
                "```"
            ]
        );
        assert_eq!(
            split("It warned on Thursday. [L1N2TZ2LJ]\nThe next one."),
            vec!["It warned on Thursday. [L1N2TZ2LJ]", "The next one."]
        );
    }

    #[test]
    fn empty_and_blank() {
        assert!(split("").is_empty());
        assert!(split("\n \n\t\n").is_empty());
    }
}
