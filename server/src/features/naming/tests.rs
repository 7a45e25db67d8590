use super::*;
use crate::analysis::{Attribution, QuoteKind};
use crate::config::RegisterEntry;
use crate::features::article::Language;
use crate::features::edit::apply;
use crate::features::testkit::{find, Kit};

const STRIKE: &str = "Port strike spreads to second terminal

VELMAR – Okafor said the strike would continue. Chidi Okafor, the union’s chief negotiator, said talks had stalled.

Port director Anneliese Brandvold said terminals would reopen. Chidi Okafor’s deputy disagreed.

Deputy mayor Yevhen Dorofeyev backed the union. Dorofeev said the city could not wait.
";

/// Dorofeev is tagged a place and VELMAR a person, as a tagger may: the checks cope.
fn strike() -> Kit {
    let mut kit = Kit::new(STRIKE, true);
    kit.entity(
        EntityKind::Person,
        "Chidi Okafor",
        &["Okafor", "Chidi Okafor", "Chidi Okafor’s"],
    );
    kit.entity(
        EntityKind::Person,
        "Anneliese Brandvold",
        &["Anneliese Brandvold"],
    );
    kit.entity(
        EntityKind::Person,
        "Yevhen Dorofeyev",
        &["Yevhen Dorofeyev"],
    );
    kit.entity(EntityKind::Location, "Dorofeev", &["Dorofeev"]);
    kit.entity(EntityKind::Person, "Velmar", &["VELMAR"]);
    kit.analysis.blocks[1].dateline = Some(find(STRIKE, "VELMAR – ", 0));
    kit
}

fn run(kit: &Kit, register: &Register) -> Vec<NamingFinding> {
    check(
        &Article::new(&kit.text, &kit.analysis, Language::PlainText),
        register,
    )
}

#[test]
fn bare_surname_first_and_repeated_full_name_later() {
    let kit = strike();
    let found = run(&kit, &Register::default());
    let summary: Vec<(Rule, Span, &str)> = found
        .iter()
        .map(|f| (f.finding.rule, f.finding.span, &*f.finding.message))
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                Rule::FirstReference,
                find(STRIKE, "Okafor", 0),
                "First reference to Chidi Okafor is the bare “Okafor”: give the full name here; the full name appears on line 3"
            ),
            (
                Rule::FirstReference,
                find(STRIKE, "Chidi Okafor", 1),
                "Chidi Okafor was introduced in full on line 3; later references use “Okafor”"
            ),
            (
                Rule::NameVariant,
                find(STRIKE, "Dorofeev", 0),
                "“Dorofeev” is the same name as “Dorofeyev” on line 7: one person, two spellings"
            ),
        ]
    );
    let fixed = apply(
        &kit.text,
        &found
            .iter()
            .flat_map(|f| f.fix.clone().unwrap().edits)
            .collect::<Vec<_>>(),
    );
    assert!(fixed.contains("VELMAR – Chidi Okafor said"), "{fixed}");
    assert!(
        fixed.contains("reopen. Okafor’s deputy"),
        "possessive kept: {fixed}"
    );
    assert!(fixed.contains("Dorofeyev said the city"), "{fixed}");
    assert_eq!(
        found[0].fix.as_ref().unwrap().title,
        "Use the full name “Chidi Okafor”"
    );
}

#[test]
fn headline_and_quoted_mentions_do_not_count_as_first_reference() {
    let text = "Okafor vows to fight on

Chidi Okafor said on Monday: “Ask Okafor’s members and they will say Chidi Okafor is right.”
";
    let mut kit = Kit::new(text, true);
    kit.entity(
        EntityKind::Person,
        "Chidi Okafor",
        &["Okafor", "Chidi Okafor", "Okafor’s", "Chidi Okafor"],
    );
    kit.quote(
        "“Ask Okafor’s members and they will say Chidi Okafor is right.”",
        0,
        QuoteKind::Full,
        Attribution::Explicit,
        Some(("Chidi Okafor", "Chidi Okafor", Some(0))),
        None,
    );
    assert_eq!(run(&kit, &Register::default()), vec![]);
}

#[test]
fn people_sharing_a_surname_keep_full_names() {
    let text = "Headline

Joe Marsh and Ada Marsh opened the bakery in 1990. Ada Marsh bakes; Joe Marsh sells.
";
    let mut kit = Kit::new(text, true);
    kit.entity(EntityKind::Person, "Joe Marsh", &["Joe Marsh", "Joe Marsh"]);
    kit.entity(EntityKind::Person, "Ada Marsh", &["Ada Marsh", "Ada Marsh"]);
    assert_eq!(run(&kit, &Register::default()), vec![]);
}

#[test]
fn register_spelling_wins_and_supplies_full_names() {
    let text = "Headline

Yevhen Dorofeev backed the union. Halloran, the harbour master, did not. Dorofeev said talks would resume.
";
    let mut kit = Kit::new(text, true);
    kit.entity(
        EntityKind::Person,
        "Yevhen Dorofeev",
        &["Yevhen Dorofeev", "Dorofeev"],
    );
    kit.entity(EntityKind::Person, "Halloran", &["Halloran"]);
    let mut register = Register::default();
    register.add_person(RegisterEntry {
        name: "Yevhen Dorofeyev".into(),
        aliases: vec![],
        description: None,
    });
    register.add_person(RegisterEntry {
        name: "Ines Halloran".into(),
        aliases: vec!["Halloran".into()],
        description: None,
    });
    let found = run(&kit, &register);
    let summary: Vec<(Rule, Span, &str)> = found
        .iter()
        .map(|f| (f.finding.rule, f.finding.span, &*f.finding.message))
        .collect();
    assert_eq!(
        summary,
        vec![
            (Rule::NameVariant, find(text, "Dorofeev", 0), "“Dorofeev” is spelled “Dorofeyev” in the newsroom register"),
            (
                Rule::FirstReference,
                find(text, "Halloran", 0),
                "First reference to Ines Halloran is the bare “Halloran”: give the full name here; the newsroom register gives the full name “Ines Halloran”"
            ),
            (Rule::NameVariant, find(text, "Dorofeev", 1), "“Dorofeev” is spelled “Dorofeyev” in the newsroom register"),
        ]
    );
}

#[test]
fn spelling_similarity_is_strict_about_short_and_different_names() {
    assert!(similar_spelling("Zelenskiy", "Zelensky"));
    assert!(similar_spelling("Müller", "Muller"));
    assert!(similar_spelling("Gaddafi", "Qaddafi"));
    assert!(!similar_spelling("Anna", "Anne"), "too short to judge");
    assert!(!similar_spelling("Okafor", "Okafor"));
    assert!(!similar_spelling("Brandvold", "Brandt"));
    assert!(variant_pair(&["Volodymyr", "Zelenskiy"], &["Zelensky"]));
    assert!(
        !variant_pair(&["Marta", "Lindqvist"], &["Mirta", "Lindquist"]),
        "no word exactly shared"
    );
    assert!(!variant_pair(&["Erik", "Lind"], &["Ada", "Lind"]));
}

#[test]
fn places_tagged_as_people_are_left_alone() {
    let text = "Headline

Korea and the United States met. North Korea said nothing; the United States waited.
";
    let mut kit = Kit::new(text, true);
    kit.entity(EntityKind::Person, "North Korea", &["Korea", "North Korea"]);
    kit.entity(
        EntityKind::Person,
        "United States",
        &["United States", "United States"],
    );
    assert_eq!(run(&kit, &Register::default()), vec![]);
}

/// The spelling index may over-report but never misses a pair `variant_pair` accepts: every
/// pair of these names (transpositions, diacritics, two edits, the five-letter boundary,
/// possessives and case) is checked both ways against a scan of all pairs.
#[test]
fn spelling_index_finds_every_variant_pair() {
    let names = [
        "Yevhen Dorofeyev",
        "Dorofeev",
        "Dorofeyev",
        "Erik Lind",
        "Mark Lind",
        "Lindh",
        "Zelenskiy",
        "Zelensky",
        "Volodymyr Zelenskyy",
        "Zoë Sørensen",
        "Zoe Sorensen",
        "Soerensen",
        "Sorenson",
        "Nguyễn Văn An",
        "Nguyen Van An",
        "Okafor",
        "Okafro",
        "Chidi Okafor",
        "OKAFOR",
        "Brandvold",
        "Brandvolds",
        "Brnadvold",
        "Kvam",
        "Kvan",
        "Aasen",
        "Asen",
        "Aasne",
        "O'Brien",
        "O’Brien's",
        "Christophersen",
        "Kristofersen",
        "Anneliese",
        "Annelise",
        "Abcde",
        "Bacde",
        "Abcdefgh",
        "Abdcefhg",
        "Xbcdefgh",
    ];
    let words: Vec<Vec<&str>> = names.iter().map(|n| name_words(n).collect()).collect();
    let index = SpellingIndex::new(&words);
    let mut pairs = 0;
    for i in 0..words.len() {
        for j in 0..words.len() {
            if i != j && variant_pair(&words[i], &words[j]) {
                pairs += 1;
                // The shorter name's candidates hold the longer (either way when as long).
                let short = if words[i].len() <= words[j].len() {
                    i
                } else {
                    j
                };
                let long = i + j - short;
                assert!(
                    index.candidates(short).contains(&long),
                    "{} / {} not candidates",
                    names[i],
                    names[j]
                );
                for w in &words[short] {
                    assert!(
                        index.names_matching(w).contains(&long),
                        "{w} / {} not matched",
                        names[long]
                    );
                }
            }
        }
    }
    assert!(pairs > 20, "the names hold variant pairs to find ({pairs})");
}

#[test]
fn quote_cover_is_containment_in_any_quotation() {
    let text = "“One “two” three,” he said. “Four.” Five";
    let mut kit = Kit::new(text, false);
    for (needle, nth) in [("“One “two” three,”", 0), ("“two”", 0), ("“Four.”", 0)] {
        kit.quote(needle, nth, QuoteKind::Full, Attribution::None, None, None);
    }
    let article = Article::new(&kit.text, &kit.analysis, Language::PlainText);
    let cover = QuoteCover::new(&article);
    for start in 0..=text.len() {
        for end in start..=text.len() {
            let span = Span::new(start, end);
            assert_eq!(cover.contains(span), article.in_quote(span), "{span:?}");
        }
    }
}
