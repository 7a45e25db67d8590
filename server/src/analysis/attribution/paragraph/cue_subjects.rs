//! The phrase a speech cue hangs on: the subject before a finite verb (past adverbs and an
//! appositive), a participle's or infinitive's subject, the issuer of a document ("put out a
//! statement saying"), the source before a colon, and a speech noun's owner.

use super::{is_capitalised, is_possessive, is_source_noun, pronoun_gender, Paragraph, Phrase};
use crate::analysis::attribution::lexicon::{self, Gender, Pronoun};
use crate::analysis::attribution::speech_verbs::is_speech_noun;
use crate::analysis::attribution::SpeakerKind;

impl<'a> Paragraph<'a> {
    /// The subject of a finite verb: the phrase that ends right before it, past adverbs and an
    /// appositive ("Tadashi Maeda, governor of the bank, said").
    pub(super) fn subject_before(&self, verb: usize) -> Option<Phrase> {
        let mut j = verb.checked_sub(1)?;
        // "a reporter can be heard asking", "Hale was filmed saying": the speaker is the subject
        // of the verb of perception before the participle.
        if self.word(verb).ends_with("ing")
            && self.free_word(j)
            && lexicon::is_perception_participle(self.word(j))
        {
            j = j.checked_sub(1)?;
        }
        loop {
            if self.free_word(j) && lexicon::is_verb_modifier(self.word(j)) {
                j = j.checked_sub(1)?;
            } else if let Some(first) = self.adjunct_ending_at(j) {
                j = first.checked_sub(1)?;
            } else {
                break;
            }
        }
        if !self.free(j) {
            // "Washington, star of “Scandal,” thanked": the appositive's comma inside a title's
            // closing mark.
            let comma_inside = j > 0
                && self.tokens[j - 1].is_punct(',')
                && self.tokens[j - 1].quote == self.tokens[j].quote
                && self.tokens[j]
                    .quote
                    .is_some_and(|q| self.is_embedded_term(q));
            return if comma_inside {
                self.appositive_subject(j)
            } else {
                None
            };
        }
        if self.tokens[j].is_punct(',') || self.is_dash(j) {
            return self.appositive_subject(j);
        }
        if self.free_word(j) && matches!(self.word(j), "who" | "which") {
            // "according to a senior official, who said …": the phrase the clause hangs on.
            let mut k = j.checked_sub(1)?;
            while self.tokens[k].is_punct(',') || self.is_dash(k) {
                k = k.checked_sub(1)?;
            }
            return self.phrase_backward(k);
        }
        if self.free_word(j) && self.word(j) == "and" {
            // "Cooper laughed and said": the coordinated verb shares the clause's subject.
            return self.clause_subject(verb);
        }
        if self.tokens[j].is_punct(')') {
            // "Sen. Ted Cruz (R-Texas) said"
            let open = (j.saturating_sub(8)..j)
                .rev()
                .find(|&k| self.tokens[k].is_punct('('))?;
            return self.phrase_backward(open.checked_sub(1)?);
        }
        let np = self.phrase_backward(j)?;
        // "Protesters marching through the streets chanted": a phrase after a preposition of
        // place is its object, not the subject; the subject opens the clause.
        let after_place_preposition = np.start.checked_sub(1).is_some_and(|k| {
            self.free_word(k)
                && matches!(
                    self.word(k),
                    "through"
                        | "across"
                        | "into"
                        | "onto"
                        | "along"
                        | "around"
                        | "past"
                        | "toward"
                        | "towards"
                        | "at"
                        | "during"
                )
        });
        if after_place_preposition {
            return self.clause_subject(verb).filter(|s| s.start < np.start);
        }
        Some(np)
    }

    /// `HEAD, APPOSITIVE, said`: `comma` is the comma before the verb.
    fn appositive_subject(&self, comma: usize) -> Option<Phrase> {
        let sentence = self.sentence[comma];
        let lo = comma.saturating_sub(25);
        // Commas or dashes ("John Dickey, the chief executive -- …  -- told me").
        let dash = self.is_dash(comma);
        let open = (lo..comma).rev().find(|&k| {
            let delimiter = if dash {
                self.is_dash(k)
            } else {
                self.tokens[k].is_punct(',')
            };
            self.free(k) && delimiter && self.sentence[k] == sentence && k + 1 < comma
        })?;
        // "--" is two tokens: step over its first half.
        let open_start = if dash && open > 0 && self.is_dash(open - 1) {
            open - 1
        } else {
            open
        };
        // A nickname in quotation marks may stand inside the appositive (`state Del. Ana “Nan”
        // Ruiz`); any other quotation ends the search.
        if (open + 1..comma).any(|k| {
            !self.free(k)
                && !self.tokens[k]
                    .quote
                    .is_some_and(|q| self.is_embedded_term(q))
        }) {
            return None;
        }
        // "Rep. Jim Jordan (R-Ohio), an oversight panel member, said": past the party tag.
        let mut head_end = open_start.checked_sub(1)?;
        if self.tokens[head_end].is_punct(')') && self.free(head_end) {
            let paren = (head_end.saturating_sub(8)..head_end)
                .rev()
                .find(|&k| self.tokens[k].is_punct('('))?;
            head_end = paren.checked_sub(1)?;
        }
        let head = self.phrase_backward(head_end);
        let close_start = if dash && self.is_dash(comma - 1) {
            comma - 1
        } else {
            comma
        };
        let inner = self
            .phrase_forward(open + 1)
            .filter(|p| p.end + 1 == close_start);
        match (head, inner) {
            // "its ambassador, Koji Tomita, said": the name between the commas is the speaker;
            // "Tadashi Maeda, governor of the bank, said": the head is.
            (Some(h), Some(n))
                if n.kind == SpeakerKind::Name
                    && n.gender != Gender::Neuter
                    && (h.kind == SpeakerKind::Descriptor || h.gender == Gender::Neuter) =>
            {
                Some(n)
            }
            (Some(h), _) => Some(h),
            (None, _) => None,
        }
    }

    /// ", saying …": the subject is the clause's subject at the start of the sentence.
    pub(super) fn participle_subject(&self, verb: usize) -> Option<Phrase> {
        if verb == 0 || !self.tokens[verb - 1].is_punct(',') {
            return None;
        }
        self.clause_subject(verb)
    }

    /// "Hale's office issued a statement saying …": a participle right after a document that is
    /// the object of its clause speaks for the clause's subject, who issued it, not for the
    /// document (editors attribute to the issuer). A document that is the subject keeps its
    /// words (`A statement from the board said …` is not this pattern).
    pub(super) fn document_issuer(&self, participle: usize) -> Option<Phrase> {
        let document = self.subject_before(participle).filter(|np| {
            np.kind == SpeakerKind::Descriptor
                && np.end + 1 == participle
                && is_document_noun(&self.word(np.end).to_lowercase())
        })?;
        // The document is an object: a free word (its verb, "out", "a") stands before it.
        if !document
            .start
            .checked_sub(1)
            .is_some_and(|k| self.free_word(k))
        {
            return None;
        }
        self.clause_subject(participle)
            .filter(|np| np.start < document.start && np.kind != SpeakerKind::Pronoun(Pronoun::It))
    }

    /// The source named right before a colon that opens a quotation (`… pollster Daron Shaw:
    /// “…”`, `From the report: “…”`): a name, or a source noun ("the report", "officials").
    pub(super) fn colon_source(&self, colon: usize) -> Option<Phrase> {
        let t = &self.tokens[colon];
        if !t.is_punct(':')
            || t.quote.is_some()
            || self.tokens.get(colon + 1).is_none_or(|n| n.quote.is_none())
        {
            return None;
        }
        let np = self.phrase_backward(colon.checked_sub(1)?)?;
        // "Verizon said in a statement: “…”": a phrase after a preposition of place or medium
        // is not the source ("From the report:" is).
        let after_preposition = np.start.checked_sub(1).is_some_and(|k| {
            self.free_word(k)
                && matches!(
                    self.word(k),
                    "in" | "on" | "at" | "during" | "via" | "through" | "with" | "into"
                )
        });
        if after_preposition {
            return None;
        }
        // "She says to Nevadans: “…”": the addressee of a speech verb is not the source.
        let addressee = np.start >= 2
            && self.free_word(np.start - 1)
            && self.word(np.start - 1) == "to"
            && self.free_word(np.start - 2)
            && self
                .verbs
                .lookup(&self.word(np.start - 2).to_lowercase())
                .is_some();
        if addressee {
            return None;
        }
        let source = match np.kind {
            SpeakerKind::Name => !lexicon::is_capitalised_function_word(self.word(np.start)),
            SpeakerKind::Descriptor => is_source_noun(self.word(np.end)),
            SpeakerKind::Pronoun(_) => false,
        };
        source.then_some(np)
    }

    /// "The email went on to say, “…”", "She went on to add:": a speech verb after "to", with its
    /// words following, belongs to the sentence's subject.
    pub(super) fn infinitive_subject(&self, verb: usize) -> Option<Phrase> {
        let to = verb.checked_sub(1)?;
        if !self.free_word(to) || self.word(to) != "to" {
            return None;
        }
        let words_follow = self
            .tokens
            .get(verb + 1)
            .is_some_and(|t| t.quote.is_some() || t.is_punct(':') || t.is_punct(','));
        // "had this to say about the proposal: “…”": the topic, then the colon.
        let about_then_colon = || {
            self.free_word(verb + 1)
                && self.word(verb + 1) == "about"
                && (verb + 2..self.tokens.len().min(verb + 12))
                    .take_while(|&k| self.free(k))
                    .any(|k| self.tokens[k].is_punct(':'))
        };
        if !words_follow && !about_then_colon() {
            return None;
        }
        self.clause_subject(verb)
            .filter(|np| np.kind != SpeakerKind::Pronoun(Pronoun::It) || self.free_word(np.start))
    }

    /// Whose words a speech noun at token `noun` stands for: a person's possessive before it
    /// (`Hale's prediction that`, `his earlier warning`; not "its"), or, when a colon and a
    /// quotation follow it, the clause's subject (`Obama is rolling out a new message: “…”`).
    pub(super) fn speech_noun_owner(&self, noun: usize) -> Option<Phrase> {
        if !is_speech_noun(&self.word(noun).to_lowercase()) {
            return None;
        }
        // The possessive, past up to three modifiers ("Hale's hyperbolic new prediction").
        let mut k = noun;
        while k > 0 && k + 4 > noun && self.free_word(k - 1) {
            let w = self.word(k - 1);
            if let Some(p) = match w {
                "his" | "His" => Some(Pronoun::He),
                "her" | "Her" => Some(Pronoun::She),
                "their" | "Their" => Some(Pronoun::They),
                _ => None,
            } {
                return Some(Phrase {
                    start: k - 1,
                    end: k - 1,
                    kind: SpeakerKind::Pronoun(p),
                    gender: pronoun_gender(p),
                });
            }
            if is_possessive(w) && is_capitalised(w) {
                return self
                    .name_backward(k - 1)
                    .filter(|np| np.kind == SpeakerKind::Name && np.gender != Gender::Neuter);
            }
            if lexicon::is_clause_word(w) || lexicon::is_determiner(w) || is_possessive(w) {
                break;
            }
            k -= 1;
        }
        // "a new message: “…”", or the colon ends the paragraph and the quotation opens the
        // next one ("Lind released the following statement:").
        let colon_quote = self
            .tokens
            .get(noun + 1)
            .is_some_and(|t| t.is_punct(':') && t.quote.is_none())
            && self.tokens.get(noun + 2).is_none_or(|t| t.quote.is_some());
        if !colon_quote {
            return None;
        }
        self.clause_subject(noun).filter(|np| match np.kind {
            SpeakerKind::Name => np.gender != Gender::Neuter,
            SpeakerKind::Pronoun(p) => p != Pronoun::It,
            SpeakerKind::Descriptor => np.gender != Gender::Unknown,
        })
    }

    /// A speech participle after a preposition belongs to the main clause's subject: after the
    /// introductory clause it opens (`After saying her knee was “fine,” she …`), before the
    /// comma in front of it (`Osei Mensah, the treasurer, despite admitting …`), else the
    /// nearest subject pronoun before it (`…, where he appeared … for saying …`) or the
    /// sentence's subject (`Ek was censured for saying …`).
    pub(super) fn prepositional_participle_subject(&self, verb: usize) -> Option<Phrase> {
        let prep = verb.checked_sub(1)?;
        if !self.free_word(prep) {
            return None;
        }
        let preposition = self.word(prep).to_lowercase();
        if !matches!(
            preposition.as_str(),
            "after"
                | "before"
                | "since"
                | "despite"
                | "while"
                | "for"
                | "by"
                | "upon"
                | "without"
                | "when"
        ) {
            return None;
        }
        let sentence = self.sentence[prep];
        if prep == 0 || self.sentence[prep - 1] != sentence {
            let end = (prep..self.tokens.len())
                .take_while(|&k| self.sentence[k] == sentence)
                .last()?
                + 1;
            let s = self.main_clause_start(prep, end, 0);
            if s <= verb {
                return None;
            }
            let np = self.phrase_forward(s)?;
            let person = matches!(np.kind, SpeakerKind::Name | SpeakerKind::Pronoun(_))
                || np.gender != Gender::Unknown;
            return (person && np.kind != SpeakerKind::Pronoun(Pronoun::It)).then_some(np);
        }
        if self.tokens[prep - 1].is_punct(',') {
            return self.subject_before(prep);
        }
        let pronoun = (0..prep)
            .rev()
            .take_while(|&k| self.sentence[k] == sentence)
            .find(|&k| {
                self.free_word(k)
                    && matches!(self.word(k), "he" | "she" | "they" | "He" | "She" | "They")
            });
        if let Some(k) = pronoun {
            let p = Pronoun::from_word(self.word(k))?;
            return Some(Phrase {
                start: k,
                end: k,
                kind: SpeakerKind::Pronoun(p),
                gender: pronoun_gender(p),
            });
        }
        self.clause_subject(verb)
    }
}

/// Documents someone issues: `put out a statement saying`, `sent a memo arguing`.
fn is_document_noun(word: &str) -> bool {
    matches!(
        word,
        "statement"
            | "release"
            | "memo"
            | "letter"
            | "email"
            | "e-mail"
            | "message"
            | "note"
            | "post"
            | "tweet"
            | "tweets"
            | "video"
            | "ad"
            | "advertisement"
            | "report"
    )
}
