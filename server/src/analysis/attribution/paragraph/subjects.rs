//! Sentence and clause subjects: the speaker a quotation is carried over to when no cue names
//! one (the subject of its sentence or of the sentence before), and where a sentence's main
//! clause starts.

use super::{is_capitalised, Paragraph, Phrase};
use crate::analysis::attribution::lexicon::{self, Gender, Pronoun};
use crate::analysis::attribution::SpeakerKind;

impl<'a> Paragraph<'a> {
    /// A word or two in quotation marks inside a clause whose subject is a person, group or
    /// source is that subject's words woven into the reporter's sentence (`Tovar likened the
    /// toll to a “highway robbery”`, `She rated the claim “false”`): a partial quotation. Not a
    /// capitalised name of a thing (`introduced the “Clean Harbor Act”`), and
    /// not when the subject is "it" or a thing that is no source.
    pub(super) fn term_subject(&self, qi: usize) -> Option<Phrase> {
        let (first, last) = self.quote_bounds(qi)?;
        let words: Vec<&str> = (first..=last)
            .filter(|&k| self.tokens[k].is_word())
            .map(|k| self.word(k))
            .collect();
        let title_case = words.iter().any(|w| is_capitalised(w))
            && words
                .iter()
                .all(|w| is_capitalised(w) || lexicon::is_title_case_small_word(w));
        if title_case {
            return None;
        }
        let np = self.sentence_subject(qi)?;
        match np.kind {
            SpeakerKind::Pronoun(Pronoun::It) => None,
            SpeakerKind::Name | SpeakerKind::Pronoun(_) => Some(np),
            // A known source noun ("officials", "the campaign", "the report"), not any thing.
            SpeakerKind::Descriptor => (np.gender != Gender::Unknown).then_some(np),
        }
    }

    /// The subject opening the sentence a quotation is woven into (`Hale openly admires the mayor as
    /// a “true builder”`): the fallback speaker when no cue names one.
    pub(super) fn sentence_subject(&self, qi: usize) -> Option<Phrase> {
        let (first, _) = self.quote_bounds(qi)?;
        let sentence = self.sentence[first];
        let start = (0..first).find(|&k| self.sentence[k] == sentence)?;
        self.subject_from(start, first)
    }

    /// A quotation standing as its own sentence after a sentence about someone is that person's
    /// words (`Ek listed the fares among the reasons. “Every month a house goes dark.”`, `…
    /// Lindqvist said. She did not elaborate. “The numbers speak.”`): the previous sentence's
    /// subject when it is a person, a group, a source or he/she/they.
    pub(super) fn previous_sentence_subject(&self, qi: usize) -> Option<Phrase> {
        let (first, _) = self.quote_bounds(qi)?;
        let sentence = self.sentence[first];
        if sentence == 0 || (first > 0 && self.sentence[first - 1] == sentence) {
            return None;
        }
        let start = (0..first).find(|&k| self.sentence[k] == sentence - 1)?;
        let np = self.subject_from(start, first)?;
        let person = match np.kind {
            SpeakerKind::Name => np.gender != Gender::Neuter,
            SpeakerKind::Pronoun(p) => matches!(p, Pronoun::He | Pronoun::She | Pronoun::They),
            SpeakerKind::Descriptor => np.gender != Gender::Unknown,
        };
        person.then_some(np)
    }

    /// The subject at the start of the sentence holding token `verb`.
    pub(super) fn clause_subject(&self, verb: usize) -> Option<Phrase> {
        let sentence = self.sentence[verb];
        let start = (0..verb).find(|&k| self.sentence[k] == sentence)?;
        // Skip an introductory phrase ending in a comma ("On Monday, Trump …") only if short,
        // unless a preposition or subordinator opens it ("After the vote was called, Hale …").
        let mut s = self.main_clause_start(start, verb, 0);
        if s == start {
            if let Some(c) = (start..verb.min(start + 6)).find(|&k| self.tokens[k].is_punct(',')) {
                if c + 1 < verb {
                    s = c + 1;
                }
            }
        }
        let np = self.phrase_forward(s)?;
        // The subject must be followed by a verb-like word, not be the start of a quotation.
        (np.end < verb).then_some(np)
    }

    /// The subject of the sentence starting at token `start`, which must end (with its verb)
    /// before token `limit`.
    fn subject_from(&self, start: usize, limit: usize) -> Option<Phrase> {
        let start = self.main_clause_start(start, limit, 9);
        if start >= limit || !self.free(start) {
            return None;
        }
        let np = self.phrase_forward(start)?;
        if np.end >= limit || np.kind == SpeakerKind::Pronoun(Pronoun::It) {
            return None;
        }
        if np.kind == SpeakerKind::Descriptor && np.end - np.start > 6 {
            return None;
        }
        // The phrase must be followed by its verb (or, in a headline, a colon), past a party
        // tag and an appositive or relative clause: "Sen. Ada Ruiz (D-Ore.), who chairs the
        // panel, listed …".
        let mut k = np.end + 1;
        if self
            .tokens
            .get(k)
            .is_some_and(|t| t.is_punct('(') && t.quote.is_none())
        {
            k = (k..limit.min(k + 8)).find(|&j| self.tokens[j].is_punct(')'))? + 1;
        }
        if np.kind != SpeakerKind::Descriptor
            && self
                .tokens
                .get(k)
                .is_some_and(|t| t.is_punct(',') && t.quote.is_none())
        {
            let close =
                (k + 1..limit.min(k + 16)).find(|&j| self.tokens[j].is_punct(',') || !self.free(j));
            if let Some(c) = close.filter(|&c| self.tokens[c].is_punct(',') && self.free(c)) {
                k = c + 1;
            }
        }
        while self.free_word(k) && lexicon::is_verb_modifier(self.word(k)) {
            k += 1;
        }
        let next = self.tokens.get(k)?;
        let verbish = (self.free_word(k)
            && !is_capitalised(self.word(k))
            && !lexicon::is_clause_word(self.word(k)))
            || (next.is_punct(':') && k + 1 == limit)
            || (self.free_word(k)
                && matches!(
                    self.word(k),
                    "is" | "was" | "has" | "had" | "are" | "were" | "will" | "would"
                ));
        verbish.then_some(np)
    }

    /// Where the main clause of the sentence starting at token `start` begins: past a leading
    /// "But"/"And", and past an introductory phrase closed by a comma. A phrase opened by a
    /// preposition, subordinator or participle may run up to `limit` ("After the vote was
    /// called, Hale …", "After saying her knee was “fine,” she …", the comma inside the closing
    /// mark); any other opener only `short` tokens ("In July, Gingrich …").
    pub(super) fn main_clause_start(&self, start: usize, limit: usize, short: usize) -> usize {
        let mut s = start;
        if matches!(self.word_or_empty(s), "But" | "And" | "Yet" | "So")
            && !self.tokens.get(s + 1).is_some_and(|t| t.is_punct(','))
        {
            s += 1;
        }
        let opener = self.word_or_empty(s);
        let subordinate = is_capitalised(opener)
            && (lexicon::is_capitalised_function_word(opener)
                || (opener.ends_with("ing") && opener.len() > 5));
        if !subordinate && is_capitalised(opener) {
            return s;
        }
        let reach = if subordinate {
            limit
        } else {
            limit.min(s + short)
        };
        // A comma outside quotations, or one just inside a quotation's closing mark.
        let closes = |k: usize| {
            self.tokens[k].is_punct(',')
                && (self.free(k)
                    || (self
                        .tokens
                        .get(k + 1)
                        .is_some_and(|m| m.quote == self.tokens[k].quote && !m.is_word())
                        && self.free(k + 2)
                        && self.tokens[k + 1].quote
                            != self.tokens.get(k + 2).and_then(|t| t.quote)))
        };
        let next = match (s..reach).find(|&k| closes(k)) {
            Some(c) if self.free(c) => c + 1,
            Some(c) => c + 2,
            None => return s,
        };
        // "Speaking in Salem, New Hampshire, Trump …": the place's state ends the phrase.
        let next = self.past_state_of_place(next, limit).unwrap_or(next);
        // "On Thursday, after weeks of silence, Warren …": a second introductory phrase.
        let again = self.word_or_empty(next);
        let mut capitalised = again.to_string();
        if let Some(first) = capitalised.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        if subordinate
            && !is_capitalised(again)
            && lexicon::is_capitalised_function_word(&capitalised)
            && next < limit
        {
            return self.main_clause_start_after(next, limit);
        }
        next
    }

    /// [`Self::main_clause_start`] for a lowercase introductory phrase inside the sentence.
    /// If a US state and a comma start at token `k` after a capitalised place and a comma
    /// ("Salem, New Hampshire, …"), the token after that comma.
    fn past_state_of_place(&self, k: usize, limit: usize) -> Option<usize> {
        let place = k.checked_sub(2)?;
        if !self.free_word(place) || !is_capitalised(self.word(place)) {
            return None;
        }
        for words in 1..=2 {
            let comma = k + words;
            if comma + 1 >= limit || !self.tokens[comma].is_punct(',') || !self.free(comma) {
                continue;
            }
            if !(k..comma).all(|j| self.free_word(j)) {
                continue;
            }
            let first = self.tokens[k].span;
            let last = self.tokens[comma - 1].span;
            if lexicon::is_us_state(&self.text[first.start..last.end]) {
                return Some(comma + 1);
            }
        }
        None
    }

    fn main_clause_start_after(&self, start: usize, limit: usize) -> usize {
        match (start..limit).find(|&k| self.tokens[k].is_punct(',') && self.free(k)) {
            Some(c) => c + 1,
            None => start,
        }
    }
}
