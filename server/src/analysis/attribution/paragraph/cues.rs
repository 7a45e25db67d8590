//! Speech cues outside quotations: speech verbs (finite, inverted "said X", participles, "went on
//! to say"), "according to" / "per", a source before a colon that opens a quotation, and speech
//! nouns ("Hale's prediction"); the phrase each hangs on is found in `cue_subjects`.

use super::{is_capitalised, Event, Paragraph, Phrase};
use crate::analysis::attribution::lexicon;
use crate::analysis::attribution::speech_verbs::VerbForm;
use crate::analysis::attribution::words::TokenKind;
use crate::analysis::attribution::SpeakerKind;

impl<'a> Paragraph<'a> {
    /// Every speech cue outside quotations that has a speaker.
    pub(super) fn events(&self) -> Vec<Event> {
        let mut events = Vec::new();
        let mut i = 0;
        while i < self.tokens.len() {
            // "Daron Shaw: “…”", "From the report: “…”": a source's name before a colon that
            // opens a quotation.
            if let Some(np) = self.colon_source(i) {
                events.push(Event {
                    cue_start: i,
                    cue_end: i,
                    speaker: np,
                    first: np.start,
                    last: i,
                });
                i += 1;
                continue;
            }
            if !self.free_word(i) {
                i += 1;
                continue;
            }
            let lower = self.word(i).to_lowercase();
            if lower == "according" && self.free_word(i + 1) && self.word(i + 1) == "to" {
                if let Some(np) = self.phrase_forward(i + 2) {
                    events.push(Event {
                        cue_start: i,
                        cue_end: i + 1,
                        speaker: np,
                        first: i,
                        last: np.end,
                    });
                }
                i += 2;
                continue;
            }
            // "…,” per the party’s bylaws": like "according to", after a comma or quotation.
            if lower == "per"
                && i > 0
                && (self.tokens[i - 1].is_punct(',') || self.tokens[i - 1].quote.is_some())
            {
                if let Some(np) = self.phrase_forward(i + 1) {
                    events.push(Event {
                        cue_start: i,
                        cue_end: i,
                        speaker: np,
                        first: i,
                        last: np.end,
                    });
                }
                i += 1;
                continue;
            }
            // "Hale's prediction that …", "his warning that …", "a new message: “…”".
            // Not inside an earlier cue's reported clause: in "She says Trump's tweets are “lies”"
            // the words are hers.
            let reported = events
                .last()
                .is_some_and(|e: &Event| self.sentence[e.cue_start] == self.sentence[i]);
            if let Some(np) = self.speech_noun_owner(i).filter(|_| !reported) {
                events.push(Event {
                    cue_start: i,
                    cue_end: i,
                    speaker: np,
                    first: np.start.min(i),
                    last: i,
                });
                i += 1;
                continue;
            }
            // "“…?” Trump went on.": "went on" with nothing after it continues speech.
            if matches!(lower.as_str(), "went" | "goes")
                && self.free_word(i + 1)
                && self.word(i + 1) == "on"
                && self.tokens.get(i + 2).is_none_or(|t| !t.is_word())
            {
                if let Some(np) = self.subject_before(i) {
                    events.push(Event {
                        cue_start: i,
                        cue_end: i + 1,
                        speaker: np,
                        first: np.start,
                        last: i + 1,
                    });
                }
                i += 2;
                continue;
            }
            // A capitalised word inside a sentence is a name ("the United States"), not a verb.
            let opens_sentence = i == 0
                || self.sentence[i - 1] != self.sentence[i]
                || self.tokens[i - 1].quote.is_some();
            let bare = || {
                self.tokens.get(i + 1).is_none_or(|t| {
                    t.is_punct(',') || t.is_punct(':') || (t.is_terminal() && t.quote.is_none())
                })
            };
            let verb = self
                .verbs
                .lookup(&lower)
                // "Tweeted" is the one verb house styles capitalise after the brand.
                .filter(|_| {
                    opens_sentence || !is_capitalised(self.word(i)) || lower.starts_with("tweet")
                })
                .filter(|_| {
                    !lexicon::is_bare_speech_verb(&lower) || bare() || self.inverted_position(i)
                });
            if let Some(verb) = verb {
                // "a fee dubbed a “harbour levy” by critics": a passive naming verb's words are
                // its agent's, not the subject's.
                if let Some(agent) = self.passive_naming_agent(i) {
                    events.push(Event {
                        cue_start: i,
                        cue_end: i,
                        speaker: agent,
                        // The agent comes after the quotation: the cue alone frames it.
                        first: i,
                        last: i,
                    });
                    i += 1;
                    continue;
                }
                let speaker = match verb.form {
                    VerbForm::Finite => self
                        .subject_before(i)
                        .or_else(|| self.infinitive_subject(i))
                        .map(|np| (np, false))
                        .or_else(|| {
                            // "…” suggests that the city …": "that" opens the reported clause, it
                            // never starts an inverted speaker.
                            let complementizer =
                                self.free_word(i + 1) && self.word(i + 1) == "that";
                            (verb.inverts && self.inverted_position(i) && !complementizer)
                                .then(|| self.phrase_forward(i + 1))
                                .flatten()
                                .filter(|np| !self.opens_clause(np.end + 1))
                                .map(|np| (np, true))
                        }),
                    VerbForm::Participle if i > 0 && self.tokens[i - 1].is_punct(',') => {
                        self.participle_subject(i).map(|np| (np, false))
                    }
                    // "After saying …, she", "censured for saying": the main clause's subject;
                    // "Trump is claiming", "footage of Clinton asking": the phrase before it.
                    VerbForm::Participle => self
                        .prepositional_participle_subject(i)
                        .or_else(|| self.document_issuer(i))
                        .or_else(|| self.subject_before(i))
                        .map(|np| (np, false)),
                };
                // "the tweets", "of Republican claims": a noun-like verb after a descriptor or
                // after a preposition or article is a noun.
                let speaker = speaker.filter(|(np, after)| {
                    if !lexicon::is_noun_like_verb(&lower) || *after {
                        return true;
                    }
                    let before = np
                        .start
                        .checked_sub(1)
                        .filter(|&k| self.free_word(k))
                        .map(|k| self.word(k));
                    let noun_context = before.is_some_and(|w| {
                        lexicon::is_determiner(w)
                            || matches!(
                                w,
                                "of" | "for"
                                    | "in"
                                    | "on"
                                    | "at"
                                    | "with"
                                    | "by"
                                    | "from"
                                    | "to"
                                    | "about"
                            )
                    });
                    // "A document on the website states that …": a clause after it makes it a verb.
                    let clause_follows = self.tokens.get(i + 1).is_some_and(|t| {
                        t.is_punct(':')
                            || t.is_punct(',')
                            || t.quote.is_some()
                            || (t.is_word() && self.word(i + 1) == "that")
                    });
                    // "“…,” the article read.": subject and verb right after a quotation.
                    let after_quote = np.start.checked_sub(1).is_some_and(|k| {
                        self.tokens[k].quote.is_some()
                            || (self.tokens[k].is_punct(',')
                                && k > 0
                                && self.tokens[k - 1].quote.is_some())
                    }) && self.closes_clause(i + 1);
                    clause_follows
                        || after_quote
                        || (np.kind != SpeakerKind::Descriptor && !noun_context)
                });
                if let Some((np, after)) = speaker {
                    let (first, last) = match (after, np.start > i) {
                        (true, _) => (i, np.end),
                        // The subject of the main clause after an introductory "After saying …,":
                        // the quotations between belong to it through the cue.
                        (false, true) => (i, i),
                        (false, false) => (np.start, i),
                    };
                    events.push(Event {
                        cue_start: i,
                        cue_end: i,
                        speaker: np,
                        first,
                        last,
                    });
                }
            }
            i += 1;
        }
        events
    }

    /// The agent of a passive naming verb at token `verb` ("was dubbed a “harbour levy” by
    /// critics", "is often called “X” by supporters"): the phrase after "by" that follows the
    /// quotation in the same sentence.
    fn passive_naming_agent(&self, verb: usize) -> Option<Phrase> {
        let word = self.word(verb);
        if !matches!(
            word,
            "called" | "dubbed" | "labeled" | "labelled" | "termed" | "described" | "branded"
        ) {
            return None;
        }
        let mut k = verb.checked_sub(1)?;
        while self.free_word(k) && lexicon::is_verb_modifier(self.word(k)) {
            if matches!(
                self.word(k),
                "was" | "were" | "is" | "are" | "been" | "being" | "be"
            ) {
                break;
            }
            k = k.checked_sub(1)?;
        }
        if !(self.free_word(k)
            && matches!(
                self.word(k),
                "was" | "were" | "is" | "are" | "been" | "being" | "be"
            ))
        {
            return None;
        }
        let sentence = self.sentence[verb];
        let mut j = verb + 1;
        let mut seen_quote = false;
        while j < self.tokens.len().min(verb + 14) && self.sentence[j] == sentence {
            if self.tokens[j].quote.is_some() {
                seen_quote = true;
            } else if seen_quote && self.free_word(j) && self.word(j) == "by" {
                return self.phrase_forward(j + 1);
            } else if seen_quote && !self.tokens[j].is_punct(',') {
                return None;
            }
            j += 1;
        }
        None
    }

    /// Whether token `k` continues a clause whose subject ends before it ("said the days when
    /// …", "said the plan would …"): an inverted speaker is never followed by one.
    fn opens_clause(&self, k: usize) -> bool {
        self.free_word(k)
            && matches!(
                self.word(k),
                "when"
                    | "where"
                    | "that"
                    | "is"
                    | "are"
                    | "was"
                    | "were"
                    | "had"
                    | "has"
                    | "have"
                    | "will"
                    | "would"
                    | "could"
                    | "can"
                    | "should"
                    | "may"
                    | "might"
                    | "must"
                    | "did"
                    | "does"
                    | "do"
            )
    }

    /// `“…,” said X`: the verb follows a quotation or a comma directly.
    fn inverted_position(&self, verb: usize) -> bool {
        if verb == 0 {
            return true;
        }
        let prev = &self.tokens[verb - 1];
        // "Said Ellis: “…”" opens its sentence.
        let opens_sentence = self.sentence[verb - 1] != self.sentence[verb];
        opens_sentence
            || prev.quote.is_some()
            || prev.is_punct(',')
            || prev.is_punct('—')
            || prev.is_punct('–')
    }

    /// Whether token `k` ends a cue's clause: the sentence or paragraph ends, a comma or a
    /// quotation follows, or an adverbial ("in a statement", "on Tuesday", "to reporters").
    pub(super) fn closes_clause(&self, k: usize) -> bool {
        let Some(t) = self.tokens.get(k) else {
            return true;
        };
        if t.quote.is_some()
            || t.is_terminal()
            || matches!(t.kind, TokenKind::Punct(',' | ';' | ':' | '—' | '–' | '('))
        {
            return true;
        }
        t.is_word()
            && matches!(
                self.word(k),
                "in" | "on"
                    | "at"
                    | "during"
                    | "after"
                    | "before"
                    | "to"
                    | "via"
                    | "from"
                    | "with"
                    | "for"
                    | "while"
                    | "when"
                    | "as"
                    | "reporters"
                    | "Monday"
                    | "Tuesday"
                    | "Wednesday"
                    | "Thursday"
                    | "Friday"
                    | "Saturday"
                    | "Sunday"
                    | "today"
                    | "yesterday"
                    | "later"
                    | "earlier"
                    | "recently"
                    | "this"
                    | "last"
                    | "afterward"
                    | "afterwards"
                    | "then"
            )
    }
}
