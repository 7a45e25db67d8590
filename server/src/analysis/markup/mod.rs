//! What in a paragraph is not prose: Markdown syntax, links, code, and CMS or wire residue.
//!
//! The scan marks byte ranges as masked (not prose; blanked before tokens, sentences and
//! quotations are looked for) and reports residue (`markup-residue`). It works on one paragraph
//! and looks at nothing outside it. Line structure (headings, lists, fences, tables) is read here;
//! inline syntax in `inline`, wire-copy furniture (captions, bylines, trailers, datelines) in
//! `wire`.

mod inline;
#[cfg(test)]
mod tests;
mod wire;

pub use wire::dateline;

use super::model::{BlockKind, Span};
use super::paragraph::{LocalBlock, Residue, ResidueKind};
use inline::scan_inline;
use wire::{is_byline, is_caption, is_trailer};

/// The non-prose parts of one paragraph.
#[derive(Debug, Default)]
pub struct Markup {
    pub masked: Vec<Span>,
    pub residue: Vec<Residue>,
    pub block: Option<LocalBlock>,
}

/// Scan one paragraph.
pub fn scan(text: &str) -> Markup {
    let mut out = Markup::default();
    let mut line_start = 0;
    let mut line_no = 0;
    let mut all_captions = true;
    let mut fences = 0u8;
    let mut first_block: Option<LocalBlock> = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let kind = scan_line(body, line_start, &mut out);
        match kind {
            LineKind::Fence => fences = fences.saturating_add(1),
            LineKind::Caption => {}
            _ => all_captions = false,
        }
        if line_no == 0 {
            first_block = Some(match kind {
                LineKind::Heading(level) => block(BlockKind::Heading, level),
                LineKind::ListItem => block(BlockKind::ListItem, 0),
                LineKind::Fence => block(BlockKind::Code, 0),
                _ => block(BlockKind::Paragraph, 0),
            });
        }
        if kind == LineKind::Fence {
            all_captions = false;
        }
        line_start += line.len();
        line_no += 1;
    }
    let mut local = first_block.unwrap_or(block(BlockKind::Paragraph, 0));
    local.fences = fences;
    if line_no > 0 && all_captions {
        local.kind = BlockKind::Caption;
    } else if local.kind == BlockKind::Paragraph {
        if is_byline(text) {
            local.kind = BlockKind::Byline;
        } else if is_trailer(text) {
            local.kind = BlockKind::Trailer;
        }
    }
    out.masked.sort_unstable();
    out.residue.sort_by_key(|r| r.span);
    out.block = Some(local);
    out
}

const fn block(kind: BlockKind, level: u8) -> LocalBlock {
    LocalBlock {
        kind,
        level,
        fences: 0,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Prose,
    Heading(u8),
    ListItem,
    Fence,
    Caption,
}

/// Scan one line (without its line break) starting at paragraph offset `base`.
fn scan_line(line: &str, base: usize, out: &mut Markup) -> LineKind {
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    if rest.starts_with("```") || rest.starts_with("~~~") {
        out.masked.push(Span::new(base, base + line.len()));
        return LineKind::Fence;
    }
    if is_caption(line) {
        out.masked.push(Span::new(base, base + line.len()));
        out.residue.push(Residue {
            span: Span::new(base + indent, base + line.trim_end().len()),
            what: ResidueKind::Caption,
        });
        return LineKind::Caption;
    }
    let mut kind = LineKind::Prose;
    let mut prefix = indent;
    // Block markers at the start of the line.
    let mut cursor = rest;
    loop {
        if let Some(after) = cursor.strip_prefix('>') {
            let skip = 1 + usize::from(after.starts_with(' '));
            prefix += skip;
            cursor = &cursor[skip..];
            continue;
        }
        break;
    }
    let hashes = cursor.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) && cursor[hashes..].starts_with(' ') {
        kind = LineKind::Heading(hashes as u8);
        prefix += hashes + 1;
        // Closing hashes: "## Title ##".
        let trimmed = line.trim_end();
        let body = trimmed.trim_end_matches('#');
        if body.len() < trimmed.len() && body.ends_with(' ') && body.len() > prefix {
            out.masked
                .push(Span::new(base + body.len(), base + trimmed.len()));
        }
    } else if let Some(len) = list_marker(cursor) {
        kind = LineKind::ListItem;
        prefix += len;
    }
    if prefix > 0 {
        out.masked.push(Span::new(base, base + prefix));
    }
    scan_inline(line, prefix, base, out);
    // Table pipes: a row of a Markdown table is masked; a pipe left at the end of a prose line is
    // residue.
    let trimmed = line.trim_end();
    let starts_with_pipe = line[prefix..].starts_with('|');
    if trimmed.ends_with('|') && trimmed.len() > prefix {
        if starts_with_pipe {
            for (i, b) in line.bytes().enumerate() {
                if b == b'|'
                    || (b == b'-' && is_table_rule(trimmed))
                    || (b == b':' && is_table_rule(trimmed))
                {
                    out.masked.push(Span::new(base + i, base + i + 1));
                }
            }
        } else {
            let pipe = trimmed.len() - 1;
            out.masked.push(Span::new(base + pipe, base + pipe + 1));
            out.residue.push(Residue {
                span: Span::new(base + pipe, base + pipe + 1),
                what: ResidueKind::TablePipe,
            });
        }
    }
    kind
}

fn is_table_rule(line: &str) -> bool {
    line.bytes()
        .all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t'))
}

/// Length of a list marker ("- ", "* ", "+ ", "12. ", "3) ") at the start of `text`.
fn list_marker(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    if b.len() >= 2 && matches!(b[0], b'-' | b'*' | b'+') && b[1] == b' ' {
        return Some(2);
    }
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=3).contains(&digits)
        && b.len() > digits + 1
        && matches!(b[digits], b'.' | b')')
        && b[digits + 1] == b' '
    {
        return Some(digits + 2);
    }
    None
}
