use super::*;
use crate::analysis::EntityKind;
use crate::features::article::Language;
use crate::features::edit::apply;
use crate::features::testkit::{ferry, find, Kit, FERRY};

fn titles(actions: &[CodeAction]) -> Vec<&str> {
    actions.iter().map(|a| a.title.as_str()).collect()
}

#[test]
fn attribution_template_after_an_unattributed_quotation() {
    let kit = ferry();
    let article = Article::new(&kit.text, &kit.analysis, Language::PlainText);
    let at = find(FERRY, "cheap crossing", 0).start;
    let actions = code_actions(&article, &Config::default(), Span::new(at, at));
    assert_eq!(
        titles(&actions),
        [
            "Add an attribution after the quotation",
            "Disable unattributed-quote for this line"
        ]
    );
    assert!(actions[0].preferred);
    assert!(apply(FERRY, &actions[0].edits)
        .ends_with("“It is the end of the cheap crossing,” [speaker] said.\n"));
    assert!(apply(FERRY, &actions[1].edits).ends_with(
        "# copydesk-disable-next-line unattributed-quote\n“It is the end of the cheap crossing.”\n"
    ));
    let elsewhere = find(FERRY, "archipelago", 0).start;
    assert_eq!(
        code_actions(
            &article,
            &Config::default(),
            Span::new(elsewhere, elsewhere)
        ),
        vec![]
    );
}

#[test]
fn template_keeps_the_sentence_going_when_it_continues() {
    let text = "“We will appeal,” and the court will hear it. Then “no comment” came back.";
    let mut kit = Kit::new(text, false);
    for q in ["“We will appeal,”", "“no comment”"] {
        kit.quote(q, 0, QuoteKind::Full, Attribution::None, None, None);
        kit.finding(Rule::UnattributedQuote, find(text, q, 0), "no speaker");
    }
    let article = Article::new(&kit.text, &kit.analysis, Language::PlainText);
    let first = code_actions(&article, &Config::default(), Span::new(2, 2));
    assert_eq!(
        apply(text, &first[0].edits),
        "“We will appeal,” [speaker] said and the court will hear it. Then “no comment” came back."
    );
    let at = find(text, "no comment", 0).start;
    let second = code_actions(&article, &Config::default(), Span::new(at, at));
    assert_eq!(apply(text, &second[0].edits), "“We will appeal,” and the court will hear it. Then “no comment”, [speaker] said came back.");
}

#[test]
fn residue_is_removed_with_its_space_or_its_line() {
    let text =
        "Fares rose&nbsp;again on Monday. [V3RX9QW2A]\n<table class=\"fares\">\nNext line.\n";
    let mut kit = Kit::new(text, false);
    for r in ["&nbsp;", "[V3RX9QW2A]", "<table class=\"fares\">"] {
        kit.finding(Rule::MarkupResidue, find(text, r, 0), "residue");
    }
    let article = Article::new(&kit.text, &kit.analysis, Language::PlainText);
    let code = find(text, "[V3RX", 0).start;
    let actions = code_actions(&article, &Config::default(), Span::new(code, code));
    assert_eq!(
        titles(&actions),
        [
            "Remove markup residue",
            "Disable markup-residue for this line",
            "Remove all markup residue (3)"
        ]
    );
    assert_eq!(
        apply(text, &actions[0].edits),
        "Fares rose&nbsp;again on Monday.\n<table class=\"fares\">\nNext line.\n"
    );
    assert_eq!(
        apply(text, &actions[2].edits),
        "Fares roseagain on Monday.\nNext line.\n"
    );
}

#[test]
fn naming_fixes_and_quote_style() {
    let text = "Title\n\nOkafor said \"the ferries will run\". Chidi Okafor confirmed it, calling it “a promise” and “a duty”.\n";
    let mut kit = Kit::new(text, true);
    kit.entity(
        EntityKind::Person,
        "Chidi Okafor",
        &["Okafor", "Chidi Okafor"],
    );
    let id = 0;
    kit.quote(
        "\"the ferries will run\"",
        0,
        QuoteKind::Partial,
        Attribution::Explicit,
        Some(("Chidi Okafor", "Okafor", Some(id))),
        None,
    );
    kit.quote(
        "“a promise”",
        0,
        QuoteKind::Term,
        Attribution::None,
        None,
        None,
    );
    kit.quote(
        "“a duty”",
        0,
        QuoteKind::Term,
        Attribution::None,
        None,
        None,
    );
    let article = Article::new(&kit.text, &kit.analysis, Language::PlainText);
    let at = find(text, "Okafor", 0).start;
    let actions = code_actions(&article, &Config::default(), Span::new(at, at + 3));
    assert_eq!(
        titles(&actions),
        [
            "Use the full name “Chidi Okafor”",
            "Disable first-reference for this line",
            "Use curly quotation marks throughout (the article's majority style)"
        ]
    );
    assert_eq!(
        apply(text, &actions[0].edits),
        text.replacen("Okafor said", "Chidi Okafor said", 1)
    );
    let quote = find(text, "\"the", 0).start + 2;
    let actions = code_actions(&article, &Config::default(), Span::new(quote, quote));
    assert_eq!(
        actions[0].title,
        "Use curly quotation marks here (the article's majority style)"
    );
    assert!(apply(text, &actions[0].edits).contains("said “the ferries will run”."));
    let straight = crate::config::file::parse("quote-style = \"straight\"\n").unwrap();
    let actions = code_actions(
        &article,
        &Config::resolve([&straight]),
        Span::new(quote, quote),
    );
    assert_eq!(
        titles(&actions),
        ["Use straight quotation marks throughout (the configured style)"]
    );
}
