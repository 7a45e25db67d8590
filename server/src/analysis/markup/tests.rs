//! Tests of the markup scan: residue, captions, datelines and block kinds.

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
    let scanned = scan("A worker checks a pipeline near Vaasa on Tuesday. REUTERS/Liisa Korhonen");
    assert_eq!(scanned.block.map(|b| b.kind), Some(BlockKind::Caption));
    assert!(residue("The ministry confirmed the figures to Reuters.").is_empty());
    assert!(residue("He spoke to Reuters. Reuters could not verify the claim").is_empty());
    let scanpix = "Workers rest beside idle cranes in Bergen, Norway, Jan. 14. Reuters-Scanpix |";
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
