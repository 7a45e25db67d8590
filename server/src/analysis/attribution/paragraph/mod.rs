//! The per-paragraph attribution patterns: speech cues, their subjects, and which quotation each
//! cue attributes. Pure and cacheable: everything here is paragraph-relative.
//!
//! This module holds the entry point, sentence numbering and the token helpers; the patterns
//! live by concern in `cues` (speech cues), `cue_subjects` (the phrase a cue hangs on),
//! `phrases` (names, descriptors, pronouns), `linking` (which cue attributes which quotation)
//! and `subjects` (sentence subjects, the speaker carried over when no cue names one).

use super::lexicon::{self, Gender, Pronoun};
use super::speech_verbs::SpeechVerbs;
use super::words::{tokenize, Token, TokenKind};
use super::{LocalSpeaker, ParagraphAttribution, QuoteCue, QuoteSpeaker, SpeakerKind, SpeechEvent};
use crate::analysis::{QuoteKind, Span};

mod adjuncts;
mod cue_subjects;
mod cues;
mod linking;
mod phrases;
mod subjects;

/// A noun phrase found next to a cue: tokens `start..=end`.
#[derive(Debug, Clone, Copy)]
struct Phrase {
    start: usize,
    end: usize,
    kind: SpeakerKind,
    gender: Gender,
}

/// A cue with its speaker phrase, as token indices.
#[derive(Debug, Clone, Copy)]
struct Event {
    cue_start: usize,
    cue_end: usize,
    speaker: Phrase,
    /// Leftmost and rightmost tokens of the cue and speaker together.
    first: usize,
    last: usize,
}

struct Paragraph<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    /// Sentence number of each token.
    sentence: Vec<usize>,
    verbs: &'a SpeechVerbs,
    /// Each quotation's kind, by quotation index.
    kinds: Vec<QuoteKind>,
}

/// Finds the speech cues of one paragraph and the quotation each attributes.
/// `quotes` are the paragraph's quotations, paragraph-relative, in text order; `verbs` the speech
/// verbs (the built-in table plus any configured).
pub fn attribute_paragraph(
    text: &str,
    quotes: &[(Span, QuoteKind)],
    verbs: &SpeechVerbs,
) -> ParagraphAttribution {
    let spans: Vec<Span> = quotes.iter().map(|(s, _)| *s).collect();
    let tokens = tokenize(text, &spans);
    let sentence = sentence_numbers(text, &tokens);
    let p = Paragraph {
        text,
        tokens,
        sentence,
        verbs,
        kinds: quotes.iter().map(|(_, k)| *k).collect(),
    };
    let events = p.events();
    let last_sentence = p.sentence.last().copied().unwrap_or(0);

    let mut quote_cues = Vec::with_capacity(quotes.len());
    for (qi, (span, kind)) in quotes.iter().enumerate() {
        let speaker = if *kind == QuoteKind::Term {
            // The title of a work is nobody's words, whatever cue stands near it (`said on
            // KPEL's “Morning Desk”`).
            if crate::analysis::quotes::names_a_work(text, *span) {
                None
            } else {
                p.term_speaker(qi, &events).or_else(|| p.term_subject(qi))
            }
        } else {
            p.quote_speaker(qi, &events)
        };
        let subject = match (kind, speaker) {
            (QuoteKind::Term, _) | (_, Some(_)) => None,
            (QuoteKind::Full, None) => p
                .sentence_subject(qi)
                .or_else(|| p.previous_sentence_subject(qi)),
            _ => p.sentence_subject(qi),
        };
        // A transcript's speaker label opening the quotation: `"HALE: We start …`.
        let speaker = speaker
            .map(|ph| p.local_speaker(ph))
            .or_else(|| p.transcript_label(qi));
        let speaker = match (speaker, subject) {
            (Some(s), _) => QuoteSpeaker::Cue(s),
            (None, Some(ph)) => QuoteSpeaker::Subject(p.local_speaker(ph)),
            (None, None) => QuoteSpeaker::None,
        };
        quote_cues.push(QuoteCue {
            speaker,
            follows_speech: p.follows_speech(qi, &events),
            ends_paragraph: p.ends_paragraph(qi, &events),
        });
    }
    // "Duval put it bluntly:" — a paragraph ending in a colon introduces the next one's quotation.
    let ends_with_colon = p
        .tokens
        .last()
        .is_some_and(|t| t.is_punct(':') && t.quote.is_none());
    let mut speech_events = Vec::with_capacity(events.len());
    for e in &events {
        let in_last_sentence = p.sentence[e.cue_start] == last_sentence;
        speech_events.push(SpeechEvent {
            cue: Span::new(
                p.tokens[e.cue_start].span.start,
                p.tokens[e.cue_end].span.end,
            ),
            speaker: p.local_speaker(e.speaker),
            introduces_next: ends_with_colon && in_last_sentence,
            in_last_sentence,
        });
    }
    ParagraphAttribution {
        quotes: quote_cues.into(),
        events: speech_events.into(),
        names: p.names().into(),
        opens_with_quote: p.tokens.first().is_some_and(|t| t.quote == Some(0)),
        lead: p
            .phrase_forward(0)
            .filter(|ph| ph.kind != SpeakerKind::Pronoun(Pronoun::It))
            .map(|ph| Box::new(p.local_speaker(ph))),
        asked_words: 0,
    }
    .with_asked_words()
}

/// Numbers sentences: a new one starts after a period, question or exclamation mark outside
/// quotations, and after a quotation that ends in one when a capital or a new quotation follows.
fn sentence_numbers(text: &str, tokens: &[Token]) -> Vec<usize> {
    let mut numbers = Vec::with_capacity(tokens.len());
    let mut current = 0;
    for (i, t) in tokens.iter().enumerate() {
        numbers.push(current);
        let next = tokens.get(i + 1);
        let ends = if t.quote.is_none() {
            t.is_terminal() || t.is_punct(';')
        } else {
            // A closing mark whose quotation ends in terminal punctuation.
            let closes = next.is_none_or(|n| n.quote != t.quote);
            let terminal_inside =
                i > 0 && tokens[i - 1].quote == t.quote && tokens[i - 1].is_terminal();
            let next_starts = next.is_some_and(|n| {
                n.quote.is_some() || text[n.span.start..].starts_with(char::is_uppercase)
            });
            closes && terminal_inside && next_starts
        };
        if ends {
            current += 1;
        }
    }
    numbers
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

impl<'a> Paragraph<'a> {
    fn word(&self, i: usize) -> &'a str {
        let s = self.tokens[i].span;
        &self.text[s.start..s.end]
    }

    /// Whether token `i` is a word outside any quotation.
    fn free_word(&self, i: usize) -> bool {
        self.tokens
            .get(i)
            .is_some_and(|t| t.is_word() && t.quote.is_none())
    }

    fn free(&self, i: usize) -> bool {
        self.tokens.get(i).is_some_and(|t| t.quote.is_none())
    }

    fn word_or_empty(&self, k: usize) -> &'a str {
        if self.free_word(k) {
            self.word(k)
        } else {
            ""
        }
    }

    fn is_dash(&self, k: usize) -> bool {
        self.free(k) && matches!(self.tokens[k].kind, TokenKind::Punct('—' | '–' | '-'))
    }

    /// The first and last token of quotation `qi`.
    fn quote_bounds(&self, qi: usize) -> Option<(usize, usize)> {
        let first = self.tokens.iter().position(|t| t.quote == Some(qi))?;
        let last = self.tokens.iter().rposition(|t| t.quote == Some(qi))?;
        Some((first, last))
    }

    /// Whether quotation `qi` is a nickname inside a name: one or two capitalised words between
    /// a capitalised word and another (`Margaret “Peg” Olsen`, `Marcia "Cia" Price`).
    fn is_nickname(&self, qi: usize) -> bool {
        let Some((first, last)) = self.quote_bounds(qi) else {
            return false;
        };
        let words: Vec<usize> = (first..=last)
            .filter(|&k| self.tokens[k].is_word())
            .collect();
        let capitalised_word =
            |k: Option<usize>| k.is_some_and(|k| self.free_word(k) && is_capitalised(self.word(k)));
        (1..=2).contains(&words.len())
            && words.iter().all(|&k| is_capitalised(self.word(k)))
            && (first..=last).all(|k| self.tokens[k].is_word() || k == first || k == last)
            && capitalised_word(first.checked_sub(1))
            && capitalised_word(Some(last + 1))
    }

    /// Whether quotation `qi` sits inside a phrase as part of it: a nickname or the title of a
    /// work or a term ("Hemsley, the co-author of “Going Viral,” said").
    fn is_embedded_term(&self, qi: usize) -> bool {
        self.kinds.get(qi) == Some(&QuoteKind::Term) || self.is_nickname(qi)
    }

    fn local_speaker(&self, ph: Phrase) -> LocalSpeaker {
        let mut start = ph.start;
        // Names drop their titles ("Sen. Cooper" is "Cooper"); institutions keep their article
        // ("the White House") and descriptors every word.
        if ph.kind == SpeakerKind::Name {
            while start < ph.end && lexicon::title(self.word(start)).is_some() {
                start += 1;
            }
        }
        let name = (start..=ph.end)
            .filter(|&i| self.free(i))
            .map(|i| self.word(i))
            .collect::<Vec<_>>()
            .join(" ")
            .replace(" ,", ",")
            .replace(" ’", "’")
            .replace(" '", "'");
        let name = name.trim_end_matches(['’', '\'']);
        // A possessor speaks ("Hale's prediction"): the name is "Hale".
        let name = if ph.kind == SpeakerKind::Name {
            name.trim_end_matches("’s").trim_end_matches("'s")
        } else {
            name
        };
        let name = name.to_string();
        LocalSpeaker {
            span: Span::new(
                self.tokens[ph.start].span.start,
                self.tokens[ph.end].span.end,
            ),
            name,
            kind: ph.kind,
            gender: ph.gender,
        }
    }
}

fn pronoun_gender(p: Pronoun) -> Gender {
    match p {
        Pronoun::He => Gender::Male,
        Pronoun::She => Gender::Female,
        Pronoun::They => Gender::Plural,
        Pronoun::It => Gender::Neuter,
        Pronoun::FirstPerson => Gender::Unknown,
    }
}

fn is_possessive(word: &str) -> bool {
    word.ends_with("’s") || word.ends_with("'s") || word.ends_with("s’") || word.ends_with("s'")
}

fn is_source_noun(word: &str) -> bool {
    lexicon::SOURCE_NOUNS
        .iter()
        .any(|(w, _)| w.eq_ignore_ascii_case(word))
}

/// Words that make a capitalised name an organisation rather than a person.
fn is_organisation_word(word: &str) -> bool {
    #[rustfmt::skip]
    const WORDS: &[&str] = &[
        "House", "Department", "Ministry", "Party", "Committee", "Inc.", "Corp.", "Co.", "Ltd.",
        "Times", "Post", "News", "Journal", "University", "Institute", "Institution", "Bank",
        "Agency", "Council", "Commission", "Association", "Foundation", "Center", "Centre",
        "Office", "Service", "Court", "Congress", "Senate", "Administration", "Campaign",
        "Reuters", "Press", "Network", "Group", "Company", "Fund", "Board", "Bureau", "Union",
        "Organization", "Organisation", "Police", "Army", "Navy", "Pentagon", "Kremlin",
        "Government", "Parliament", "Embassy", "Club", "Society", "Review", "Magazine", "Daily",
        "Academy", "Federation", "Church", "Alliance", "League", "Chamber", "Coalition", "Museum",
        "Hospital", "College", "Authority", "School",
    ];
    WORDS.contains(&word)
}
