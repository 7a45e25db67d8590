//! Inline Markdown and residue inside one line: HTML tags and entities, images, links, wire
//! codes, code spans, emphasis marks and bare URLs.

use super::Markup;
use crate::analysis::model::Span;
use crate::analysis::paragraph::{Residue, ResidueKind};

/// Inline Markdown and residue in `line[from..]`.
pub(super) fn scan_inline(line: &str, from: usize, base: usize, out: &mut Markup) {
    let bytes = line.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        let consumed = match b {
            b'<' => html_tag(line, i, base, out),
            b'&' => html_entity(line, i, base, out),
            b'!' if bytes.get(i + 1) == Some(&b'[') => image(line, i, base, out),
            b'[' => bracket(line, i, base, out),
            b'`' => code_span(line, i, base, out),
            b'*' | b'~' => {
                out.masked.push(Span::new(base + i, base + i + 1));
                1
            }
            b'_' => {
                let prev_word = i > 0 && bytes[i - 1].is_ascii_alphanumeric();
                let next_word = bytes.get(i + 1).is_some_and(|c| c.is_ascii_alphanumeric());
                if !(prev_word && next_word) {
                    out.masked.push(Span::new(base + i, base + i + 1));
                }
                1
            }
            b'h' if line[i..].starts_with("http://") || line[i..].starts_with("https://") => {
                let len = line[i..]
                    .find(char::is_whitespace)
                    .unwrap_or(line.len() - i);
                let len = line[i..i + len]
                    .trim_end_matches(['.', ',', ')', ';', ':', '”', '"', '’'])
                    .len();
                out.masked.push(Span::new(base + i, base + i + len));
                len.max(1)
            }
            _ => 0,
        };
        i += consumed.max(1);
        // Stay on a character boundary.
        while i < bytes.len() && !line.is_char_boundary(i) {
            i += 1;
        }
    }
}

/// `<tag …>`, `</tag>`, `<!-- … -->`, `<https://…>` at `i`; returns bytes consumed (0: not one).
fn html_tag(line: &str, i: usize, base: usize, out: &mut Markup) -> usize {
    let rest = &line[i..];
    if let Some(body) = rest.strip_prefix("<!--") {
        let Some(close) = body.find("-->") else {
            return 0;
        };
        let len = 4 + close + 3;
        out.masked.push(Span::new(base + i, base + i + len));
        if !body.trim_start().starts_with("copydesk-") {
            out.residue.push(Residue {
                span: Span::new(base + i, base + i + len),
                what: ResidueKind::HtmlTag,
            });
        }
        return len;
    }
    let Some(close) = rest.find('>') else {
        return 0;
    };
    let inner = &rest[1..close];
    if inner.contains('<') {
        return 0;
    }
    let len = close + 1;
    if inner.starts_with("http://") || inner.starts_with("https://") || inner.starts_with("mailto:")
    {
        out.masked.push(Span::new(base + i, base + i + len));
        return len;
    }
    let name = inner.strip_prefix('/').unwrap_or(inner);
    let name = name.strip_prefix('!').unwrap_or(name);
    let name_len = name
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
        .count();
    let starts_alpha = name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic());
    let after = name.as_bytes().get(name_len).copied();
    if !starts_alpha || !matches!(after, None | Some(b' ' | b'/' | b'\t')) {
        return 0;
    }
    out.masked.push(Span::new(base + i, base + i + len));
    out.residue.push(Residue {
        span: Span::new(base + i, base + i + len),
        what: ResidueKind::HtmlTag,
    });
    len
}

/// `&nbsp;`, `&#8220;`, `&#x201C;` at `i`.
fn html_entity(line: &str, i: usize, base: usize, out: &mut Markup) -> usize {
    let rest = &line.as_bytes()[i + 1..];
    let len = if rest.first() == Some(&b'#') {
        let hex = matches!(rest.get(1), Some(b'x' | b'X'));
        let digits = rest[1 + usize::from(hex)..]
            .iter()
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        if digits == 0 {
            return 0;
        }
        1 + usize::from(hex) + digits
    } else {
        let n = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if !(2..=10).contains(&n) || !rest[0].is_ascii_alphabetic() {
            return 0;
        }
        n
    };
    if rest.get(len) != Some(&b';') {
        return 0;
    }
    let total = 1 + len + 1;
    out.masked.push(Span::new(base + i, base + i + total));
    out.residue.push(Residue {
        span: Span::new(base + i, base + i + total),
        what: ResidueKind::HtmlEntity,
    });
    total
}

/// `![alt](url)` at `i`; an empty one (`![]()`, `![](url)`, `![alt]()`) is residue.
fn image(line: &str, i: usize, base: usize, out: &mut Markup) -> usize {
    let rest = &line[i + 2..];
    let Some(alt_end) = rest.find(']') else {
        return 0;
    };
    let after = &rest[alt_end + 1..];
    let Some(url_part) = after.strip_prefix('(') else {
        return 0;
    };
    let Some(url_end) = url_part.find(')') else {
        return 0;
    };
    let len = 2 + alt_end + 1 + 1 + url_end + 1;
    out.masked.push(Span::new(base + i, base + i + len));
    if rest[..alt_end].trim().is_empty() || url_part[..url_end].trim().is_empty() {
        out.residue.push(Residue {
            span: Span::new(base + i, base + i + len),
            what: ResidueKind::EmptyImage,
        });
    }
    len
}

/// `[text](url)`, `[text][ref]`, `[ref]: url` and wire codes `[L1N2TZ2LJ]` at `i`.
fn bracket(line: &str, i: usize, base: usize, out: &mut Markup) -> usize {
    let rest = &line[i + 1..];
    let Some(close) = rest.find(']') else {
        return 0;
    };
    let inner = &rest[..close];
    let after = &rest[close + 1..];
    if is_wire_code(inner) && !after.starts_with('(') && !after.starts_with('[') {
        let len = close + 2;
        out.masked.push(Span::new(base + i, base + i + len));
        out.residue.push(Residue {
            span: Span::new(base + i, base + i + len),
            what: ResidueKind::WireCode,
        });
        return len;
    }
    if inner.contains('[') {
        return 1;
    }
    let target_len = if let Some(url) = after.strip_prefix('(') {
        url.find(')').map(|e| e + 2)
    } else if let Some(r) = after.strip_prefix('[') {
        r.find(']').map(|e| e + 2)
    } else if after.starts_with(':') && i == line.len() - line.trim_start().len() {
        // A link reference definition: the whole line is not prose.
        Some(after.len())
    } else {
        None
    };
    let Some(target_len) = target_len else {
        return 1;
    };
    out.masked.push(Span::new(base + i, base + i + 1));
    let close_at = i + 1 + close;
    out.masked
        .push(Span::new(base + close_at, base + close_at + 1 + target_len));
    // Continue inside the link text so that quotes and residue in it are still seen.
    1
}

/// A wire story code: 8–12 uppercase letters and digits with at least two of each.
fn is_wire_code(inner: &str) -> bool {
    let b = inner.as_bytes();
    (8..=12).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && b.iter().filter(|c| c.is_ascii_digit()).count() >= 2
        && b.iter().filter(|c| c.is_ascii_uppercase()).count() >= 2
}

/// `` `code` `` at `i`.
fn code_span(line: &str, i: usize, base: usize, out: &mut Markup) -> usize {
    let ticks = line[i..].bytes().take_while(|&b| b == b'`').count();
    let fence = &line[i..i + ticks];
    let Some(close) = line[i + ticks..].find(fence) else {
        return ticks;
    };
    let len = ticks + close + ticks;
    out.masked.push(Span::new(base + i, base + i + len));
    len
}
