//! Unit tests of the per-paragraph patterns and the document pass on hand-made quotation spans.

use super::*;
use crate::analysis::{Attribution, Quote, QuoteKind, Span};

/// Curly double quotation pairs of `text`, as the quotation detector would report them.
fn curly_quotes(text: &str) -> Vec<(Span, QuoteKind)> {
    let mut out = Vec::new();
    let mut open = None;
    for (i, c) in text.char_indices() {
        match c {
            '“' => open = Some(i),
            '”' => {
                if let Some(s) = open.take() {
                    let inner = &text[s + 3..i];
                    let kind = if inner.split_whitespace().count() < 3 {
                        QuoteKind::Partial
                    } else {
                        QuoteKind::Full
                    };
                    out.push((Span::new(s, i + 3), kind));
                }
            }
            _ => {}
        }
    }
    out
}

/// Attributes a document whose paragraphs are separated by newlines; returns
/// (quote text, attribution, speaker name, speaker text) per quotation.
fn run(doc: &str) -> Vec<(String, Attribution, Option<String>, Option<String>)> {
    let mut paragraphs = Vec::new();
    let mut base = 0;
    for line in doc.split('\n') {
        paragraphs.push((base, line));
        base += line.len() + 1;
    }
    type Analysed = (usize, ParagraphAttribution, Vec<(Span, QuoteKind)>);
    let results: Vec<Analysed> = paragraphs
        .iter()
        .map(|(b, t)| {
            let q = curly_quotes(t);
            (*b, attribute_paragraph(t, &q, &Default::default()), q)
        })
        .collect();
    let views: Vec<DocParagraph<'_>> = results
        .iter()
        .map(|(b, a, _)| DocParagraph {
            base: *b,
            attribution: a,
            headline: false,
        })
        .collect();
    let mut quotes = Vec::new();
    let mut pieces = Vec::new();
    for (pi, (b, _, qs)) in results.iter().enumerate() {
        for (li, (span, kind)) in qs.iter().enumerate() {
            quotes.push(Quote {
                span: span.shifted(*b),
                kind: *kind,
                attribution: Attribution::None,
                speaker: None,
                continues: None,
            });
            let piece = QuotePiece {
                paragraph: pi,
                local: li,
            };
            pieces.push(QuotePieces::new(piece, piece));
        }
    }
    resolve(&views, &mut quotes, &pieces, &[]);
    quotes
        .iter()
        .map(|q| {
            (
                doc[q.span.start..q.span.end].to_string(),
                q.attribution,
                q.speaker.as_ref().map(|s| s.name.to_string()),
                q.speaker
                    .as_ref()
                    .map(|s| doc[s.span.start..s.span.end].to_string()),
            )
        })
        .collect()
}

fn speakers(doc: &str) -> Vec<(Attribution, Option<String>)> {
    run(doc).into_iter().map(|(_, a, n, _)| (a, n)).collect()
}

fn explicit(name: &str) -> (Attribution, Option<String>) {
    (Attribution::Explicit, Some(name.to_string()))
}

#[test]
fn inverted_said_with_descriptor_after_name() {
    let doc = "“The talks will focus on deterrence,” said Marta Kessler, an analyst with the Halden Institute.";
    assert_eq!(speakers(doc), [explicit("Marta Kessler")]);
}

#[test]
fn name_then_verb_after_quote() {
    assert_eq!(
        speakers("“We are ready,” Cooper said."),
        [explicit("Cooper")]
    );
    assert_eq!(
        speakers("“We are ready,” Cooper also told reporters on Monday."),
        [explicit("Cooper")]
    );
}

#[test]
fn time_and_medium_between_subject_and_verb() {
    assert_eq!(
        speakers("“We will not move the deadline,” Ben Osei on Wednesday said."),
        [explicit("Ben Osei")]
    );
    assert_eq!(
        speakers("Mayor Lina Brandt earlier this week called the plan “a gift to developers.”"),
        [explicit("Lina Brandt")]
    );
    assert_eq!(
        speakers("“No comment,” the ministry in a statement said."),
        [explicit("the ministry")]
    );
    assert_eq!(
        speakers("“It is settled,” the union on Nov. 3 said."),
        [explicit("the union")]
    );
}

#[test]
fn a_person_of_an_institution_is_the_speaker() {
    let found = run("“The talks are over,” Chancellor Ana Tovar of Norway said.");
    assert_eq!(found[0].2.as_deref(), Some("Ana Tovar"));
    assert_eq!(found[0].3.as_deref(), Some("Chancellor Ana Tovar"));
    assert_eq!(
        speakers("“We are ready,” Mia Lund of Uppsala University said."),
        [explicit("Mia Lund")]
    );
    // One institution's name, not a person and an affiliation.
    assert_eq!(
        speakers("“Rates stay,” the Bank of England said."),
        [explicit("the Bank of England")]
    );
}

#[test]
fn an_addressee_before_a_colon_is_not_the_source() {
    assert_eq!(
        speakers("Ruth Ek spoke last. She says to voters: “This one is for you.”"),
        [(Attribution::Pronoun, Some("Ruth Ek".to_owned()))]
    );
}

#[test]
fn an_introductory_phrase_may_end_in_city_and_state() {
    assert_eq!(
        speakers(
            "Speaking at a diner in Keene, New Hampshire, Dale Voss went after his rival, \
             calling him “a total stiff.”"
        ),
        [explicit("Dale Voss")]
    );
}

#[test]
fn colon_and_comma_before_quote() {
    assert_eq!(
        speakers("The mayor’s spokesman, Ivo Brandt, said: “The bridge stays shut.”"),
        [explicit("Ivo Brandt")]
    );
    assert_eq!(
        speakers("Anna Berg told Reuters, “It is not over yet.”"),
        [explicit("Anna Berg")]
    );
}

#[test]
fn partial_quote_in_reported_speech() {
    assert_eq!(
        speakers(
            "Nadia Osei said that the plan would leave farmers “out in the cold” this winter."
        ),
        [explicit("Nadia Osei")]
    );
}

#[test]
fn according_to() {
    assert_eq!(
        speakers("The vote was “a mistake we will regret,” according to a senior party official."),
        [explicit("a senior party official")]
    );
}

#[test]
fn appositive_between_name_and_verb() {
    let doc =
        "“Growth will slow,” Hugo Lind, governor of the Northern Savings Bank, said on Friday.";
    let got = run(doc);
    assert_eq!(got[0].2.as_deref(), Some("Hugo Lind"));
    assert_eq!(got[0].3.as_deref(), Some("Hugo Lind"));
}

#[test]
fn descriptor_speakers() {
    assert_eq!(
        speakers("“No decision has been made,” a senior administration official said."),
        [explicit("a senior administration official")]
    );
    assert_eq!(
        speakers("“We welcome the talks,” the White House said in a statement."),
        [explicit("the White House")]
    );
}

#[test]
fn pronoun_resolves_to_earlier_person() {
    let doc = "Gov. Roy Cooper met farmers on Tuesday.\n“We will not abandon them,” he said.";
    let got = run(doc);
    assert_eq!(got[0].1, Attribution::Pronoun);
    assert_eq!(got[0].2.as_deref(), Some("Roy Cooper"));
    assert_eq!(got[0].3.as_deref(), Some("he"));
}

#[test]
fn pronoun_agrees_in_gender() {
    let doc = "“Prices will rise,” said Maria Lopez, an economist.\nMr. Daniel Ortiz disagreed with the forecast.\n“I have seen worse,” she said.";
    let got = run(doc);
    assert_eq!(got[1].2.as_deref(), Some("Maria Lopez"));
}

#[test]
fn they_and_it_for_organisations() {
    let doc = "“Service resumes Monday,” the Harbor Transit Authority said.\n“Delays are possible,” it added.";
    let got = run(doc);
    assert_eq!(got[1].1, Attribution::Pronoun);
    assert_eq!(got[1].2.as_deref(), Some("the Harbor Transit Authority"));
}

#[test]
fn continuation_in_same_and_next_paragraph() {
    let doc = "“We won,” Cooper said. “Now we govern.”\n“It will be hard.”";
    let got = speakers(doc);
    assert_eq!(got[0], explicit("Cooper"));
    assert_eq!(
        got[1],
        (Attribution::Continuation, Some("Cooper".to_string()))
    );
    assert_eq!(
        got[2],
        (Attribution::Continuation, Some("Cooper".to_string()))
    );
}

#[test]
fn continuation_past_a_party_tag() {
    // The period of "(D-Conn.)" does not end a sentence, so the cue's sentence is directly
    // before the second quotation and the thread runs on.
    let doc = "“We will not wait,” said Sen. Ana Tovar (D-Conn.). “It takes an election.”\n\
               The bill stalled, said Rep. Ben Osei (R-Tex.) in an interview. “Nobody blinked.”";
    let got = speakers(doc);
    assert_eq!(got[0], explicit("Ana Tovar"));
    assert_eq!(
        got[1],
        (Attribution::Continuation, Some("Ana Tovar".to_string()))
    );
    assert_eq!(
        got[2],
        (Attribution::Continuation, Some("Ben Osei".to_string()))
    );
}

#[test]
fn continuation_after_reported_speech() {
    let doc = "The city will review every contract, its treasurer, Lena Fox, said on Tuesday.\n“We owe taxpayers that much.”";
    assert_eq!(
        speakers(doc),
        [(Attribution::Continuation, Some("Lena Fox".to_string()))]
    );
}

#[test]
fn colon_paragraph_introduces_next() {
    let doc = "Cooper continued:\n“The health issue is partisan.”";
    assert_eq!(speakers(doc), [explicit("Cooper")]);
}

#[test]
fn a_statement_introduced_by_a_colon_belongs_to_its_issuer() {
    let doc = "When the mayor died, Governor Ana Lind released the following statement:\n“We offer our condolences to his family.”";
    assert_eq!(speakers(doc), [explicit("Ana Lind")]);
}

#[test]
fn a_capitalised_tweeted_is_still_the_verb() {
    let doc = "“Not us, but we can't argue with it!” Murphy, the head of the Harbour Fund, Tweeted on Friday.";
    assert_eq!(speakers(doc), [explicit("Murphy")]);
}

#[test]
fn heard_asking_belongs_to_the_subject_before_it() {
    let doc = "“Should there be a register?” a reporter can be heard asking Lind after an event.";
    assert_eq!(speakers(doc), [explicit("a reporter")]);
}

#[test]
fn a_possessive_office_reads_through_of() {
    let doc = "Lind's chief of staff rallied supporters, saying: “We have to be ready.”";
    assert_eq!(speakers(doc), [explicit("Lind's chief of staff")]);
}

#[test]
fn a_time_phrase_before_a_participle_is_no_speaker() {
    let doc =
        "Mayor Per Holm has battled with the port board, at one point calling its chair a “liar.”";
    assert_eq!(speakers(doc), [explicit("Per Holm")]);
}

#[test]
fn another_opening_its_sentence_is_a_speaker() {
    let doc =
        "Many readers wrote in. Another tweeted, “The minister thinks she is above the rules.”";
    assert_eq!(speakers(doc), [explicit("Another")]);
}

#[test]
fn had_this_to_say_about_a_topic_then_a_colon() {
    let doc = "Per Holm had this to say about the proposal: “It is a disgrace.”";
    assert_eq!(speakers(doc), [explicit("Per Holm")]);
}

#[test]
fn a_passive_naming_verb_gives_its_agent() {
    let doc = "The charge, which was dubbed a “harbour levy” by critics, rose in May.";
    assert_eq!(speakers(doc), [explicit("critics")]);
}

#[test]
fn no_speaker_stays_unattributed() {
    let doc = "The weather was mild.\n“Nobody saw it coming.”";
    assert_eq!(speakers(doc), [(Attribution::None, None)]);
}

#[test]
fn unresolved_pronoun_is_reported() {
    let text = "“We are done,” he said.";
    let q = curly_quotes(text);
    let a = attribute_paragraph(text, &q, &Default::default());
    let views = [DocParagraph {
        base: 0,
        attribution: &a,
        headline: false,
    }];
    let mut quotes = vec![Quote {
        span: q[0].0,
        kind: q[0].1,
        attribution: Attribution::None,
        speaker: None,
        continues: None,
    }];
    let findings = resolve(
        &views,
        &mut quotes,
        &[QuotePieces::new(
            QuotePiece {
                paragraph: 0,
                local: 0,
            },
            QuotePiece {
                paragraph: 0,
                local: 0,
            },
        )],
        &[],
    );
    assert_eq!(findings.len(), 1);
    assert_eq!(
        findings[0].rule,
        crate::analysis::Rule::UnresolvedPronounSpeaker
    );
    assert_eq!(&text[findings[0].span.start..findings[0].span.end], "he");
    assert_eq!(quotes[0].attribution, Attribution::Pronoun);
}

#[test]
fn short_name_gets_full_name() {
    let doc = "The analyst Daniel Wu spoke first.\n“It is fragile,” added Wu.";
    assert_eq!(speakers(doc), [explicit("Daniel Wu")]);
}

#[test]
fn that_after_a_verb_opens_its_clause_not_an_inverted_speaker() {
    assert_eq!(
        speakers("Mayor Ana Ruiz said in the letter that the flyer “plainly and wrongly” suggests that the city backs him."),
        [explicit("Ana Ruiz")]
    );
}

#[test]
fn a_document_issued_speaks_for_its_issuer() {
    assert_eq!(
        speakers(
            "Nadia Osei put out a statement saying the plan was “dead on arrival in this town.”"
        ),
        [explicit("Nadia Osei")]
    );
    assert_eq!(
        speakers(
            "The ferry union released a letter arguing that the fares are “a tax on island life.”"
        ),
        [explicit("The ferry union")]
    );
    // A document that is the clause's subject keeps its own words.
    assert_eq!(
        speakers("A statement from the port said “no ship will leave before noon.”"),
        [explicit("A statement from the port")]
    );
}

#[test]
fn a_phrase_after_a_preposition_of_place_is_not_the_subject() {
    assert_eq!(
        speakers("Dockworkers marching through the old town chanted “Not one ship without us!”"),
        [explicit("Dockworkers")]
    );
}
