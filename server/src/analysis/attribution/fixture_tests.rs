//! End-to-end attribution tests on the fixture articles in tests/fixtures/articles/attribution-*:
//! every pattern of issue 3 item 4, with exact quotations, kinds, speakers and findings.

use crate::analysis::{analyze, Analysis, EntityKind, Rule};

const WIRE: &str = include_str!("../../../../tests/fixtures/articles/attribution-wire.txt");
const FEATURE: &str = include_str!("../../../../tests/fixtures/articles/attribution-feature.txt");
const UNRESOLVED: &str =
    include_str!("../../../../tests/fixtures/articles/attribution-unresolved.txt");
const SOURCES: &str = include_str!("../../../../tests/fixtures/articles/attribution-sources.txt");
const TITLES: &str = include_str!("../../../../tests/fixtures/articles/attribution-titles.txt");
const OFFICES: &str = include_str!("../../../../tests/fixtures/articles/attribution-offices.txt");

/// One line per quotation: `quotation | kind | attribution | speaker name | speaker words`.
fn render(text: &str, analysis: &Analysis) -> Vec<String> {
    analysis
        .quotes
        .iter()
        .map(|q| {
            let quote: String = text[q.span.start..q.span.end].chars().take(40).collect();
            let (name, words) = match &q.speaker {
                Some(s) => (&*s.name, &text[s.span.start..s.span.end]),
                None => ("-", "-"),
            };
            let continues = q
                .continues
                .map(|i| format!(" (continues {i})"))
                .unwrap_or_default();
            format!(
                "{quote} | {:?} | {:?}{continues} | {name} | {words}",
                q.kind, q.attribution
            )
        })
        .collect()
}

fn findings(text: &str, analysis: &Analysis, rule: Rule) -> Vec<String> {
    analysis
        .findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| text[f.span.start..f.span.end].chars().take(40).collect())
        .collect()
}

#[test]
fn wire_story_speakers() {
    let analysis = analyze(WIRE);
    let got = render(WIRE, &analysis);
    let want = [
        "“This is the most practical thing we hav | Full | Explicit | Ingrid Solvang | Ingrid Solvang",
        "“Nobody should expect miracles from one  | Full | Explicit | Halvorsen | Halvorsen",
        "“We will see the first shared records be | Full | Explicit | Henrik Dahl | Henrik Dahl",
        "“close the gaps smugglers have used for  | Partial | Explicit | Mette Brandt | Mette Brandt",
        "“a real deterrent.” | Partial | Explicit | a senior customs official | a senior customs official",
        "“We have waited long enough,” | Full | Pronoun | Mette Brandt | she",
        "“The funding is secured,” | Full | Explicit | a senior finance ministry official | a senior finance ministry official",
        "“We welcome any step that makes trade sa | Full | Explicit | the Harbour Freight Association | the Harbour Freight Association",
        "“Our members were not consulted,” | Full | Pronoun | the Harbour Freight Association | it",
        "“We support the goal. We do not support  | Full | Continuation | Lars Eide | Lars Eide",
        "“The law is on our side,” | Full | Pronoun | Lars Eide | he",
        "“And we will use it.” | Full | Continuation (continues 10) | Lars Eide | he",
        "“paper shield” | Partial | Explicit | Critics | Critics",
        "“Nobody asked the people who actually wo | Full | Continuation (continues 12) | Critics | Critics",
    ];
    assert_eq!(got, want);
    assert_eq!(
        findings(WIRE, &analysis, Rule::UnattributedQuote),
        Vec::<String>::new()
    );
    assert_eq!(
        findings(WIRE, &analysis, Rule::UnresolvedPronounSpeaker),
        Vec::<String>::new()
    );
}

#[test]
fn feature_speakers() {
    let analysis = analyze(FEATURE);
    let got = render(FEATURE, &analysis);
    let want = [
        "‘Somebody will lose a house’ | Partial | Explicit | Claire Duval | Mayor Duval",
        "“I stopped counting the delays after the | Full | Explicit | Claire Duval | Duval",
        "“Now I count the sandbags.” | Full | Continuation (continues 1) | Claire Duval | Duval",
        "“Courts take longer than concrete,” | Full | Pronoun | Marc Lenoir | he",
        "“Every spring we move the furniture upst | Full | Explicit | Odile Ferrant | Odile Ferrant",
        "“repeated design changes requested by th | Partial | Explicit | the company | the company",
        "“We have delivered every section we were | Full | Pronoun | the company | it",
        "“The designs were approved in 2017 and h | Full | Pronoun | City officials | they",
        "“If the wall is not finished by next win | Full | Explicit | Claire Duval | Duval",
    ];
    assert_eq!(got, want);
    assert_eq!(
        findings(FEATURE, &analysis, Rule::UnattributedQuote),
        Vec::<String>::new()
    );
}

/// Sources a copy editor reads without a speech verb next to the quotation: the previous
/// sentence's subject (past narration about the speaker), an introductory "After saying …,"
/// clause, "for saying" and "despite admitting" participles, possessive and colon speech nouns,
/// a party tag before an appositive, a nickname inside a name, documents that "read", a second
/// introductory phrase, "went on to say", "would now ask", a source before a colon; a
/// quotation after narration about a thing stays unattributed.
#[test]
fn sources_without_an_adjacent_speech_verb() {
    let analysis = analyze(SOURCES);
    let got = render(SOURCES, &analysis);
    let want = [
        "“We cannot run boats on goodwill,” | Full | Explicit | Mara Lindqvist | Mara Lindqvist",
        "“The numbers speak for themselves.” | Full | Pronoun | Mara Lindqvist | She",
        "“Every month another house goes dark on  | Full | Explicit | Tomas Ek | Councillor Tomas Ek",
        "“a relic of another century,” | Partial | Explicit | Mara Lindqvist | Lindqvist",
        "“booed from the back rows” | Partial | Explicit | Mara Lindqvist | Lindqvist",
        "“a club for shipowners and their friends | Partial | Explicit | Tomas Ek | Ek",
        "“not the whole story,” | Partial | Explicit | Osei Mensah | Osei Mensah",
        "“settle within two years” | Partial | Explicit | Osei Mensah | Mensah’s",
        "“close by winter” | Partial | Pronoun | Osei Mensah | His",
        "“Keep your receipts, because we will sho | Full | Explicit | Mara Lindqvist | Lindqvist",
        "“This plan asks the most of the people w | Full | Explicit | Anna Holt | Rep. Anna Holt",
        "“Peg” | Term | None | - | -",
        "“Nobody here can afford another rise!” | Full | Explicit | Margaret “Peg” Olsen | Margaret “Peg” Olsen",
        "“Then who pays for the boats?” | Full | None | - | -",
        "“Fares up, boats down,” | Full | Explicit | the petition | the petition",
        "“Keep the night ferry.” | Full | Explicit | A banner on the terminal | A banner on the terminal",
        "“We will run every sailing we can staff. | Full | Explicit | the operator | the operator",
        "“No crossing will be cancelled for cost. | Full | Explicit | The statement | The statement",
        "“Who checks the books?” | Full | Explicit | a commuter | a commuter",
        "“Reserves will last eighteen months at c | Full | Explicit | the report | the report",
    ];
    assert_eq!(got, want);
    assert_eq!(
        findings(SOURCES, &analysis, Rule::UnattributedQuote),
        ["“Then who pays for the boats?”"]
    );
    assert_eq!(
        findings(SOURCES, &analysis, Rule::UnresolvedPronounSpeaker),
        Vec::<String>::new()
    );
}

#[test]
fn unattributed_and_unresolved() {
    let analysis = analyze(UNRESOLVED);
    let got = render(UNRESOLVED, &analysis);
    let want = [
        "“We are not leaving this island,” | Full | Pronoun | he | he",
        "“Someone should have told us in Septembe | Full | None | - | -",
        "“temporary” | Partial | Explicit | The harbour master | The harbour master",
        "“winter service” | Term | None | - | -",
    ];
    assert_eq!(got, want);
    assert_eq!(
        findings(UNRESOLVED, &analysis, Rule::UnresolvedPronounSpeaker),
        ["he"]
    );
    assert_eq!(
        findings(UNRESOLVED, &analysis, Rule::UnattributedQuote),
        ["“Someone should have told us in Septembe"]
    );
}

/// The `speech-verbs` setting: a verb the built-in table lacks attributes quotations in every
/// form, through `analyze_with` and through an incremental analyzer whose options change.
#[test]
fn configured_speech_verbs_attribute_quotations() {
    use crate::analysis::{analyze_with, Analyzer, Attribution, Span};
    use crate::config::AnalysisOptions;
    const TEXT: &str = "“The budget is a fairy tale,” deadpanned Mara Holt, the council’s finance chair.\n\nHer deputy, Tomas Ek, deadpans that the tale has “no happy ending.”\n";
    let options = AnalysisOptions {
        extra_speech_verbs: vec!["deadpan".into()],
        ..AnalysisOptions::default()
    };
    type Speakers = Vec<(Span, Attribution, Option<(String, Span)>)>;
    let speakers = |analysis: &Analysis| -> Speakers {
        analysis
            .quotes
            .iter()
            .map(|q| {
                (
                    q.span,
                    q.attribution,
                    q.speaker.as_ref().map(|s| (s.name.to_string(), s.span)),
                )
            })
            .collect()
    };
    let attributed = vec![
        (
            Span::new(0, 33),
            Attribution::Explicit,
            Some(("Mara Holt".to_string(), Span::new(45, 54))),
        ),
        (
            Span::new(137, 159),
            Attribution::Explicit,
            Some(("Tomas Ek".to_string(), Span::new(100, 108))),
        ),
    ];
    assert_eq!(speakers(&analyze_with(TEXT, &options)), attributed);
    assert_eq!(
        (&TEXT[0..33], &TEXT[45..54]),
        ("“The budget is a fairy tale,”", "Mara Holt")
    );
    assert_eq!(
        (&TEXT[137..159], &TEXT[100..108]),
        ("“no happy ending.”", "Tomas Ek")
    );

    // Without the setting "deadpanned" is no cue.
    let plain = analyze(TEXT);
    assert_eq!(plain.quotes[0].attribution, Attribution::None);

    // Changing an analyzer's options re-analyses even paragraphs whose text did not change.
    let mut analyzer = Analyzer::default();
    analyzer.reset(TEXT);
    analyzer.set_options(&options);
    let updated = analyzer.update(TEXT, &[]);
    assert_eq!(speakers(&updated), attributed);
    assert_eq!(*updated, analyze_with(TEXT, &options));
    analyzer.set_options(&AnalysisOptions::default());
    assert_eq!(*analyzer.update(TEXT, &[]), plain);
}

/// A word or two in quotation marks is the words of the clause's subject when the subject is a
/// person or source (`likened … to a “highway robbery”`) or when it sits in a speech verb's
/// reported clause without "that" (`told reporters the city would seek “every remedy”`); a
/// capitalised name of a thing stays a term, and so does a quotation in a clause about a thing.
#[test]
fn short_quotations_in_reported_clauses_are_partial() {
    const TEXT: &str = "Mayor Ines Tovar likened the new toll to a “highway robbery” on Tuesday. The council introduced the “Clean Harbor Act” in May. Tovar told reporters the city would seek “every remedy” it had.\n\nThe toll plan looks “temporary” for now.\n";
    let analysis = analyze(TEXT);
    assert_eq!(
        render(TEXT, &analysis),
        [
            "“highway robbery” | Partial | Explicit | Ines Tovar | Mayor Ines Tovar",
            "“Clean Harbor Act” | Term | None | - | -",
            "“every remedy” | Partial | Explicit | Ines Tovar | Tovar",
            "“temporary” | Term | None | - | -",
        ]
    );
    assert_eq!(
        findings(TEXT, &analysis, Rule::UnattributedQuote),
        Vec::<String>::new()
    );
}

/// A transcript quoted whole is its opening label's words; a possessive "my" heads a descriptor
/// speaker; "that" before a name is a conjunction, not part of the speaker.
#[test]
fn transcript_labels_possessive_descriptors_and_that_clauses() {
    const TEXT: &str = "Partial transcript of the call:\n\n\"HALE: We start with the budget. Where is the money?\"\n\n“We will find it,” my colleague often said.\n\nOsei said that Lund called the vote “a sham.”\n";
    let analysis = analyze(TEXT);
    assert_eq!(
        render(TEXT, &analysis),
        [
            "\"HALE: We start with the budget. Where i | Full | Explicit | HALE | HALE",
            "“We will find it,” | Full | Explicit | my colleague | my colleague",
            "“a sham.” | Partial | Explicit | Lund | Lund",
        ]
    );
    assert_eq!(
        findings(TEXT, &analysis, Rule::UnattributedQuote),
        Vec::<String>::new()
    );
}

/// A quotation continuing reported speech names the speaker's latest earlier quotation.
#[test]
fn continuations_of_reported_speech_link_the_speakers_earlier_quotation() {
    const TEXT: &str = "“We are ready,” said Ada Brenn, the harbour master.\n\nBrenn said the gates would close at noon.\n\n“Nobody goes out today.”\n\n“The storm decides,” a pilot said. “Not us.”\n";
    let analysis = analyze(TEXT);
    assert_eq!(
        render(TEXT, &analysis),
        [
            "“We are ready,” | Full | Explicit | Ada Brenn | Ada Brenn",
            "“Nobody goes out today.” | Full | Continuation (continues 0) | Ada Brenn | Brenn",
            "“The storm decides,” | Full | Explicit | a pilot | a pilot",
            "“Not us.” | Full | Continuation (continues 2) | a pilot | a pilot",
        ]
    );
}

#[test]
fn titles_of_works_are_terms_with_no_speaker() {
    let analysis = analyze(TITLES);
    let got = render(TITLES, &analysis);
    let want = [
        // After a part of a work ("episode of") and a kind of work ("memoir,").
        "“The Harbour Hour With Ines Kamara,” | Term | None | - | -",
        "“Water at the Door.” | Term | None | - | -",
        "“People want to know the wall will hold, | Full | Explicit | Claire Duval | Duval",
        // A programme after "on" and a broadcaster's possessive: no cue makes it Duval's words.
        "“Morning Desk.” | Term | None | - | -",
        "“I intend to show them.” | Full | Continuation (continues 2) | Claire Duval | Duval",
        "“a campaign brochure with a hard cover.” | Partial | Explicit | Tomas Ek | Councillor Tomas Ek",
        // A subhead: a paragraph that is one Title Case quotation in headline-style single marks.
        "'The Wall Will Hold.' | Term | None | - | -",
        "“Bring the Boats Home,” | Term | None | - | -",
        "“Nine Feet of Water,” | Term | None | - | -",
        "“We did not pay for a film,” | Full | Explicit | Tomas Ek | Ek",
        "“We paid for a wall.” | Full | Continuation (continues 9) | Tomas Ek | Ek",
    ];
    assert_eq!(got, want);
    assert_eq!(
        findings(TITLES, &analysis, Rule::UnattributedQuote),
        Vec::<String>::new()
    );
}

#[test]
fn office_titles_adjuncts_and_titled_appositives() {
    let analysis = analyze(OFFICES);
    let got = render(OFFICES, &analysis);
    let want = [
        // An office title read through its "of", before and after the verb.
        "“We are ready to sign the agreement this | Full | Explicit | Ola Dahl | Minister of Finance Ola Dahl",
        "“The ferries are a lifeline for the isla | Full | Explicit | Ana Berg | Secretary of State Ana Berg",
        // "less than two weeks ago" stands between the subject and its verb.
        "“not up for debate.” | Partial | Explicit | The Transport Ministry | The Transport Ministry",
        // "in a statement:" is the medium, not the source before the colon.
        "“We will study the offer before the vote | Full | Explicit | Harbour Freight | Harbour Freight",
        "“Salt Roads,” | Term | None | - | -",
        // The appositive holds a title; "said the days when …" is no inverted speaker.
        "“its own boat and its own timetable” | Partial | Explicit | Lise Moen | Lise Moen",
        // "in the past" between "who has" and the verb.
        "“a national inheritance,” | Partial | Explicit | Lise Moen | Moen",
        // A quantifier standing alone after an inverted verb.
        "“Keep the ferries running,” | Full | Explicit | one | one",
        // "would continue “…”" is no speech verb; the reported clause is Holm's.
        "“until the last crossing is funded.” | Partial | Explicit | Per Holm | Per Holm",
        "“Harbour Lights,” | Term | None | - | -",
        // "thanked" takes an object, never an inverted speaker; the appositive's comma is inside
        // the title's closing mark.
        "“listening to the people who live out th | Partial | Explicit | Kari Lunde | Kari Lunde",
        // A name's possessive opens a descriptor up to its head noun, not the verb after it.
        "“We have said all we can say tonight.” | Full | Explicit | Dahl's chief negotiator | Dahl's chief negotiator",
        "“Fund the crossings!” | Full | Explicit | Some | Some",
        "“Is anyone listening in Oslo?” | Full | Explicit | Per Holm | Holm",
        "“We will find out on Friday.” | Full | Continuation (continues 13) | Per Holm | Holm",
        // A slogan inside the speaker's appositive is not the next quotation.
        "“Save Our Ferries” | Term | None | - | -",
        "“a test of trust.” | Partial | Explicit | Eva Strand | Eva Strand",
        // After a question that ends its sentence, "asked" with its listener still closes it.
        "“Where is the money for the new hulls?” | Full | Explicit | Per Holm | Holm",
        "“Go back to the table,” | Full | Explicit | Ola Dahl | Dahl",
    ];
    assert_eq!(got, want);
    let descriptors = |name: &str| {
        analysis
            .entities
            .iter()
            .find(|e| &*e.name == name)
            .map(|e| {
                e.descriptors
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    assert_eq!(descriptors("Ola Dahl"), ["Minister of Finance"]);
    assert_eq!(descriptors("Ana Berg"), ["Secretary of State"]);
    assert_eq!(descriptors("Lise Moen"), ["author of “Salt Roads”"]);
    assert_eq!(
        descriptors("Kari Lunde"),
        ["star of the drama “Harbour Lights”"]
    );
    // Titles of works are misc entities of their own, not a place and a company's first word.
    let named = |kind: EntityKind| {
        let mut names: Vec<&str> = analysis
            .entities
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| &*e.name)
            .collect();
        names.sort_unstable();
        names
    };
    assert_eq!(
        named(EntityKind::Misc),
        ["Harbour Lights", "Salt Roads", "Save Our Ferries"]
    );
    // The dateline's credit "(Wirewire)" is the agency.
    assert_eq!(
        named(EntityKind::Organization),
        ["Harbour", "Transport Ministry", "Wirewire"]
    );
}
