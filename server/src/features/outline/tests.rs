use super::*;
use crate::features::article::Language;
use crate::features::testkit::{ferry, Kit};

/// The tree as indented "kind name (detail)" lines.
fn render(nodes: &[OutlineNode], depth: usize, out: &mut String) {
    for n in nodes {
        let detail = n
            .detail
            .as_ref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{}{:?} {}{detail}\n",
            "  ".repeat(depth),
            n.kind,
            n.name
        ));
        assert!(
            n.span.start <= n.selection.start && n.selection.end <= n.span.end,
            "{n:?}"
        );
        render(&n.children, depth + 1, out);
    }
}

#[test]
fn plain_copy_outline_has_lede_paragraphs_sources_and_entities() {
    let kit = ferry();
    let article = Article::new(&kit.text, &kit.analysis, Language::PlainText);
    let tree = outline(&article);
    let mut out = String::new();
    render(&tree, 0, &mut out);
    assert_eq!(
        out,
        "Article Ferry fares to rise as fuel costs bite
  Byline By Lena Dorsey
  Lede Ferry fares across the Velmar archipelago… (lede)
  Paragraph “We held prices for three winters…
  Paragraph “Nobody on the islands can absorb…
  Paragraph Okafor said the company had cut…
  Paragraph The Transport Ministry said the increase…
  Paragraph “It is the end of the…
Group Sources
  Person Chidi Okafor (3 quotations)
    Quotation “We held prices for three winters… (explicit)
    Quotation “Fuel is now our biggest single… (continuation)
    Quotation “Every empty sailing costs us money,” (pronoun)
  AnonymousSource a senior council official (1 quotation)
    Quotation “Nobody on the islands can absorb… (explicit)
  Organization Transport Ministry (1 quotation)
    Quotation “regrettable but lawful” (explicit)
  AnonymousSource Unattributed
    Quotation “It is the end of the… (no speaker)
Group People
  Person Chidi Okafor (chief executive of Northsound Ferries)
  Person Lena Dorsey
Group Organizations
  Organization Transport Ministry
  Organization Northsound Ferries
Group Places
  Place Velmar
"
    );
    assert_eq!(tree[0].span, Span::new(0, kit.text.trim_end().len()));
    let okafor = &tree[1].children[0];
    assert_eq!(article.slice(okafor.selection), "Chidi Okafor");
}

#[test]
fn markdown_sections_nest_by_level_and_hold_their_paragraphs() {
    let text = "# Council approves harbour plan

The council voted 7-2 on Monday to rebuild the north quay.

<!-- copydesk-disable-next-line -->

## The vote

Two members opposed the plan.

### Dissent

They cited the cost.

## What comes next

Work starts in spring.
";
    let kit = Kit::new(text, false);
    let article = Article::new(&kit.text, &kit.analysis, Language::Markdown);
    let mut out = String::new();
    render(&outline(&article), 0, &mut out);
    assert_eq!(
        out,
        "Article Council approves harbour plan
  Lede The council voted 7-2 on Monday… (lede)
  Section The vote
    Paragraph Two members opposed the plan.
    Section Dissent
      Paragraph They cited the cost.
  Section What comes next
    Paragraph Work starts in spring.
"
    );
}
