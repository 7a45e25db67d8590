//! What in a paragraph is not prose: Markdown syntax, links, code, and CMS or wire residue.
//!
//! The scan marks byte ranges as masked (not prose; blanked before tokens, sentences and
//! quotations are looked for) and reports residue (`markup-residue`). It works on one paragraph
//! and looks at nothing outside it.

use super::model::{BlockKind, Span};
use super::paragraph::{LocalBlock, Residue, ResidueKind};

/// The non-prose parts of one paragraph.
#[derive(Debug, Default)]
pub struct Markup {
    pub masked: Vec<Span>,
    pub residue: Vec<Residue>,
    pub block: Option<LocalBlock>,
}

/// News agencies whose credit ends a photo caption ("… Jan. 21. Reuters-Yonhap |").
#[rustfmt::skip]
const AGENCIES: &[&str] = &[
    "Reuters", "REUTERS", "AP", "AFP", "EPA", "EPA-EFE", "Getty Images", "Yonhap", "YONHAP",
    "Xinhua", "Kyodo", "KYODO", "Bloomberg", "ANSA", "dpa", "Anadolu", "Sputnik", "TASS",
    "Pool", "POOL", "Handout", "HANDOUT",
];

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

/// Inline Markdown and residue in `line[from..]`.
fn scan_inline(line: &str, from: usize, base: usize, out: &mut Markup) {
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

/// Whether the line ends with an agency credit ("… Jan. 21. Reuters-Yonhap |",
/// "… on Tuesday. REUTERS/Kim Hong-Ji"): a photo caption pasted into the copy.
fn is_caption(line: &str) -> bool {
    let trimmed = line.trim_end().trim_end_matches('|').trim_end();
    // "REUTERS/Name Surname" or "Reuters/Name": the photographer's credit.
    for agency in AGENCIES {
        if let Some(pos) = trimmed.rfind(&format!("{agency}/")) {
            let credit = &trimmed[pos + agency.len() + 1..];
            let words = credit.split_whitespace().count();
            let named = credit
                .split_whitespace()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase));
            if (1..=4).contains(&words) && named && sentence_before(&trimmed[..pos]) {
                return true;
            }
        }
    }
    // "… Jan. 21. Reuters-Yonhap", "… Photo: AP", "… Getty Images".
    let Some(last_sentence_end) = trimmed.rfind(['.', '!', '?', ':']) else {
        return false;
    };
    let credit = trimmed[last_sentence_end + 1..].trim();
    if credit.is_empty() || credit.len() > 40 {
        return false;
    }
    let credit = credit.strip_prefix("via ").unwrap_or(credit);
    let words: Vec<&str> = credit
        .split(['-', '/', ' '])
        .filter(|w| !w.is_empty())
        .collect();
    let is_agency_credit =
        words.len() <= 4 && words.iter().all(|w| w.starts_with(char::is_uppercase));
    let has_agency = words.iter().any(|w| AGENCIES.contains(w));
    // A story sentence never ends in a bare agency name after a full stop.
    is_agency_credit && has_agency && sentence_before(&trimmed[..=last_sentence_end])
}

fn sentence_before(text: &str) -> bool {
    text.split_whitespace().count() >= 3
}

/// "By Elaine Lies and David Brunnstrom": one short line naming the writers.
fn is_byline(text: &str) -> bool {
    let line = text.trim().trim_matches(['*', '_']);
    let Some(names) = line
        .strip_prefix("By ")
        .or_else(|| line.strip_prefix("BY "))
    else {
        return false;
    };
    let words = names.split_whitespace().count();
    !line.contains('\n')
        && (1..=14).contains(&words)
        && names.chars().next().is_some_and(char::is_uppercase)
        && !line.ends_with(['.', '?', '!', ':'])
}

/// "(Writing by …; Editing by …)", "Reporting by …; Editing by …".
fn is_trailer(text: &str) -> bool {
    let line = text.trim_start().trim_start_matches(['*', '_', '(']);
    let line = line.strip_prefix("Additional ").unwrap_or(line);
    #[rustfmt::skip]
    const ROLES: &[&str] = &[
        "Reporting by", "reporting by", "Writing by", "Editing by", "Compiled by", "Compiling by",
        "Edited by", "Written by", "Research by", "Graphics by", "Production by",
    ];
    ROLES.iter().any(|r| line.starts_with(r))
}

/// The dateline at the start of the (blanked) paragraph text: "TOKYO/WASHINGTON (Reuters) –",
/// "NEW YORK, Jan 20 (Reuters) -", "BERLIN —".
pub fn dateline(prose: &str) -> Option<Span> {
    let start = prose.len() - prose.trim_start().len();
    let head = &prose[start..];
    let window_end = head.char_indices().nth(90).map_or(head.len(), |(i, _)| i);
    let window = &head[..window_end];
    // The dash that ends the dateline, with a space before it.
    let dash = window
        .char_indices()
        .find(|&(i, c)| matches!(c, '–' | '—' | '-') && i > 0 && window[..i].ends_with(' '))?;
    let (dash_at, dash_char) = dash;
    let mut end = dash_at + dash_char.len_utf8();
    if dash_char == '-' && window[end..].starts_with('-') {
        end += 1;
    }
    let place_part = window[..dash_at].trim_end();
    let (place, agency) = match place_part.rfind('(') {
        Some(open) if place_part.ends_with(')') => {
            (place_part[..open].trim_end(), Some(&place_part[open..]))
        }
        _ => (place_part, None),
    };
    // The place, optionally with a date after a comma: "NEW YORK, Jan 20".
    let place_name = place.split(',').next().unwrap_or("");
    let letters: Vec<char> = place_name.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 2 {
        return None;
    }
    let all_caps = letters.iter().all(|c| c.is_uppercase());
    let capitalised = place_name
        .split([' ', '/'])
        .filter(|w| !w.is_empty())
        .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    let place_ok = place_name
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '/' | '.' | '\'' | '-'));
    let agency_ok = agency.is_some_and(|a| a.len() <= 24 && a[1..].starts_with(char::is_uppercase));
    if place_ok
        && (all_caps || (capitalised && agency_ok))
        && place_name.split_whitespace().count() <= 5
    {
        Some(Span::new(start, start + end))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn residue(text: &str) -> Vec<(&str, ResidueKind)> {
        scan(text)
            .residue
            .iter()
            .map(|r| (&text[r.span.start..r.span.end], r.what))
            .collect()
    }

    #[test]
    fn html_tags_entities_and_comments() {
        assert_eq!(
            residue("The <b>budget</b> rose&nbsp;5% &#8220;fast&#x201D;. <!-- copydesk-disable-next-line markup-residue -->"),
            vec![
                ("<b>", ResidueKind::HtmlTag),
                ("</b>", ResidueKind::HtmlTag),
                ("&nbsp;", ResidueKind::HtmlEntity),
                ("&#8220;", ResidueKind::HtmlEntity),
                ("&#x201D;", ResidueKind::HtmlEntity),
            ]
        );
        assert!(residue("Profits rose 5% & costs fell; x < y > z.").is_empty());
    }

    #[test]
    fn wire_codes_images_and_pipes() {
        assert_eq!(
            residue("It warned on Thursday. [L1N2TZ2LJ] ![](https://x/y.jpg) See [the report](https://e.x/r). |"),
            vec![
                ("[L1N2TZ2LJ]", ResidueKind::WireCode),
                ("![](https://x/y.jpg)", ResidueKind::EmptyImage),
                ("|", ResidueKind::TablePipe),
            ]
        );
        assert!(residue("He cited [Smith 2020] and [AB12] in [brackets].").is_empty());
    }

    #[test]
    fn captions() {
        let text =
            "Fans wave flags near the stadium in Incheon, South Korea, Jan. 21. Reuters-Yonhap |";
        assert_eq!(residue(text), vec![(text, ResidueKind::Caption)]);
        let scanned =
            scan("A worker checks a pipeline near Vaasa on Tuesday. REUTERS/Liisa Korhonen");
        assert_eq!(scanned.block.map(|b| b.kind), Some(BlockKind::Caption));
        assert!(residue("The ministry confirmed the figures to Reuters.").is_empty());
        assert!(residue("He spoke to Reuters. Reuters could not verify the claim").is_empty());
        let scanpix =
            "Workers rest beside idle cranes in Bergen, Norway, Jan. 14. Reuters-Scanpix |";
        assert_eq!(residue(scanpix), vec![(scanpix, ResidueKind::Caption)]);
    }

    #[test]
    fn datelines() {
        let d = |t: &'static str| dateline(t).map(|s| &t[s.start..s.end]);
        assert_eq!(
            d("TOKYO/WASHINGTON (Reuters) – Greater co-operation"),
            Some("TOKYO/WASHINGTON (Reuters) –")
        );
        assert_eq!(
            d("NEW YORK, Jan 20 (Reuters) - Stocks fell"),
            Some("NEW YORK, Jan 20 (Reuters) -")
        );
        assert_eq!(d("OSLO — The minister"), Some("OSLO —"));
        assert_eq!(d("Oslo (AP) -- The minister"), Some("Oslo (AP) --"));
        assert_eq!(d("The minister – who resigned – said"), None);
        assert_eq!(d("A man said - no"), None);
    }

    #[test]
    fn blocks() {
        let kind = |t: &str| scan(t).block.map(|b| (b.kind, b.level));
        assert_eq!(
            kind("By Elaine Lies and David Brunnstrom"),
            Some((BlockKind::Byline, 0))
        );
        assert_eq!(kind("*By Ann Writer*"), Some((BlockKind::Byline, 0)));
        assert_eq!(
            kind("(Writing by A. Writer; Editing by B. Editor)"),
            Some((BlockKind::Trailer, 0))
        );
        assert_eq!(kind("## Reaction"), Some((BlockKind::Heading, 2)));
        assert_eq!(kind("- first point"), Some((BlockKind::ListItem, 0)));
        assert_eq!(kind("```"), Some((BlockKind::Code, 0)));
        assert_eq!(
            kind("By the end of the year, prices rose."),
            Some((BlockKind::Paragraph, 0))
        );
    }
}
