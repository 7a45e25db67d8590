//! Noun phrases next to a cue: names, descriptors and pronouns read backwards and forwards from
//! a token, what a name reveals of gender, and the names a paragraph mentions (pronoun
//! antecedents).

use super::{
    is_capitalised, is_organisation_word, is_possessive, is_source_noun, pronoun_gender, Paragraph,
    Phrase,
};
use crate::analysis::attribution::lexicon::{self, Gender, Pronoun};
use crate::analysis::attribution::{NameMention, SpeakerKind};
use crate::analysis::Span;
use crate::entities::names::{leading_title_len, title_ending_at};

impl<'a> Paragraph<'a> {
    /// A phrase ending at token `end`, read backwards.
    pub(super) fn phrase_backward(&self, end: usize) -> Option<Phrase> {
        if !self.free_word(end) {
            return None;
        }
        let w = self.word(end);
        if let Some(p) = Pronoun::from_word(w) {
            return Some(Phrase {
                start: end,
                end,
                kind: SpeakerKind::Pronoun(p),
                gender: pronoun_gender(p),
            });
        }
        // "Some chanted …", "Others said", "Another tweeted": a quantifier standing for people,
        // opening its sentence or clause.
        let opens = end == 0
            || self.sentence[end - 1] != self.sentence[end]
            || !self.tokens[end - 1].is_word();
        let quantifier = match w {
            "Some" | "Others" | "Many" | "Several" | "Both" | "others" | "some" | "many" => {
                Some(Gender::Plural)
            }
            "Another" | "another" => Some(Gender::Unknown),
            _ => None,
        };
        if let Some(gender) = quantifier.filter(|_| opens) {
            return Some(Phrase {
                start: end,
                end,
                kind: SpeakerKind::Descriptor,
                gender,
            });
        }
        let np = self
            .name_backward(end)
            .or_else(|| self.descriptor_backward(end))?;
        // "a spokesman for the State Department": extend over of/for/at/with chains.
        if np.start >= 2 && self.free_word(np.start - 1) {
            let prep = self.word(np.start - 1);
            if matches!(prep, "of" | "for" | "at" | "with" | "from" | "on") {
                if let Some(head) = self.descriptor_backward(np.start - 2) {
                    return Some(Phrase {
                        start: head.start,
                        end: np.end,
                        kind: SpeakerKind::Descriptor,
                        gender: head.gender,
                    });
                }
            }
            // "Chancellor Ana Tovar of Norway", "Mia Lund of Uppsala University": a person's
            // affiliation; the speaker is the person. ("The Bank of England" is one name: its
            // head reveals no gender.)
            if np.kind == SpeakerKind::Name && matches!(prep, "of" | "from" | "at") {
                if let Some(person) = self.name_backward(np.start - 2) {
                    if person.kind == SpeakerKind::Name && self.is_person_name(person) {
                        return Some(person);
                    }
                }
            }
        }
        Some(np)
    }

    /// A capitalised name ending at `end`: "Daniel Russel", "Sen. Ted Cruz", "the White House".
    pub(super) fn name_backward(&self, end: usize) -> Option<Phrase> {
        let w = self.word(end);
        if !is_capitalised(w) || Pronoun::from_word(w).is_some() || lexicon::is_determiner(w) {
            return None;
        }
        let mut start = end;
        loop {
            // Past a nickname: "Margaret “Peg” Olsen".
            if let Some(q) = start
                .checked_sub(1)
                .and_then(|k| self.tokens[k].quote)
                .filter(|&q| self.is_nickname(q))
            {
                match self.quote_bounds(q) {
                    Some((first, _))
                        if first > 0 && first + 6 > end && self.free_word(first - 1) =>
                    {
                        start = first - 1;
                        continue;
                    }
                    _ => break,
                }
            }
            if start == 0 || !self.free_word(start - 1) {
                break;
            }
            let prev = self.word(start - 1);
            let joins =
                (is_capitalised(prev) && !lexicon::is_determiner(prev) && !is_possessive(prev))
                    || lexicon::is_name_particle(prev);
            if !joins || start - 1 < end.saturating_sub(5) {
                break;
            }
            start -= 1;
        }
        while start < end
            && (lexicon::is_name_particle(self.word(start))
                || lexicon::is_capitalised_function_word(self.word(start)))
        {
            start += 1;
        }
        if lexicon::is_capitalised_function_word(self.word(start)) {
            return None;
        }
        // "Secretary of State Ana Berg", "Minister of Finance Ola Dahl": an office title is read
        // through its "of".
        if let Some(title_start) = self.office_title_start(start, end) {
            start = title_start;
        }
        // A capitalised sentence opener that is a plain word ("Officials", "Critics").
        if start == end && is_source_noun(w) {
            return Some(Phrase {
                start,
                end,
                kind: SpeakerKind::Descriptor,
                gender: lexicon::descriptor_gender(w),
            });
        }
        let mut kind = SpeakerKind::Name;
        let mut gender = self.name_gender(start, end);
        if start > 0 && self.free_word(start - 1) && matches!(self.word(start - 1), "the" | "The") {
            start -= 1;
            gender = Gender::Neuter;
        } else if start > 0
            && self.free_word(start - 1)
            && lexicon::is_determiner(self.word(start - 1))
            && !matches!(self.word(start - 1), "that" | "That")
        {
            // ("said that Lund called it …": "that" is a conjunction before a name.)
            // "a Pentagon spokesman" read from "spokesman" is a descriptor, handled elsewhere;
            // "a White House" is not a speaker.
            kind = SpeakerKind::Descriptor;
            start -= 1;
        }
        Some(Phrase {
            start,
            end,
            kind,
            gender,
        })
    }

    /// Whether a name phrase reads as a person's: a name beside any title, with a known given
    /// name or a title, or of two or more words none of which names an institution ("Mia Lund",
    /// not "Bank", "Duke" or "National Academy").
    fn is_person_name(&self, name: Phrase) -> bool {
        let words = || (name.start..=name.end).map(|i| self.word(i));
        let untitled = words().filter(|w| lexicon::title(w).is_none()).count();
        let titled = untitled < name.end + 1 - name.start;
        untitled > 0
            && (matches!(name.gender, Gender::Male | Gender::Female)
                || titled
                || (untitled >= 2 && !words().any(is_organisation_word)))
    }

    /// Where a title that ends inside the name `first..=end` begins, when it begins before
    /// `first` ("Secretary of" before "State Ana Berg").
    fn office_title_start(&self, first: usize, end: usize) -> Option<usize> {
        let mut lo = first;
        while lo > first.saturating_sub(6) && self.free_word(lo - 1) {
            lo -= 1;
        }
        if lo == first {
            return None;
        }
        let words: Vec<&str> = (lo..end).map(|i| self.word(i)).collect();
        (first..end).find_map(|k| {
            let len = title_ending_at(&words, k + 1 - lo)?;
            let title_start = k + 1 - len;
            (title_start < first).then_some(title_start)
        })
    }

    /// The length in tokens of an office title read forwards from `start` through its "of"
    /// ("Secretary of State"), when it has one.
    fn office_title_len_forward(&self, start: usize) -> Option<usize> {
        let mut words = Vec::new();
        let mut k = start;
        while k < self.tokens.len() && k < start + 7 && self.free_word(k) {
            words.push(self.word(k));
            k += 1;
        }
        (2..=words.len()).rev().find(|&len| {
            title_ending_at(&words, len) == Some(len)
                && words[..len].iter().any(|w| matches!(*w, "of" | "for"))
        })
    }

    /// What a name's title or given name reveals.
    fn name_gender(&self, start: usize, end: usize) -> Gender {
        for i in start..=end {
            let w = self.word(i);
            if let Some(g) = lexicon::title(w) {
                if g != Gender::Unknown {
                    return g;
                }
                continue;
            }
            if is_organisation_word(w) {
                return Gender::Neuter;
            }
        }
        let words: Vec<&str> = (start..=end).map(|i| self.word(i)).collect();
        for i in start + leading_title_len(&words)..=end {
            let w = self.word(i);
            if lexicon::title(w).is_none() {
                if i < end {
                    return lexicon::given_name_gender(w);
                }
                break;
            }
        }
        Gender::Unknown
    }

    /// A descriptor ending at `end`: "a senior administration official", "the company", "U.S.
    /// officials", "Trump's campaign manager".
    fn descriptor_backward(&self, end: usize) -> Option<Phrase> {
        if !self.free_word(end) {
            return None;
        }
        let head = self.word(end);
        let numeral = matches!(
            head,
            "one" | "two" | "three" | "four" | "several" | "many" | "both" | "others"
        );
        if lexicon::is_clause_word(head)
            || (lexicon::is_determiner(head) && !numeral)
            || is_possessive(head)
        {
            return None;
        }
        let gender = lexicon::descriptor_gender(head);
        let lo = end.saturating_sub(12);
        let mut k = end;
        while k > lo {
            let prev = k - 1;
            if !self.free_word(prev) {
                break;
            }
            let w = self.word(prev);
            if lexicon::is_determiner(w) || is_possessive(w) {
                return Some(Phrase {
                    start: prev,
                    end,
                    kind: SpeakerKind::Descriptor,
                    gender,
                });
            }
            // "the former secretary of state and current nominee": coordinated modifiers.
            let joins = matches!(w, "and" | "of");
            let verb =
                self.verbs.lookup(&w.to_lowercase()).is_some() && !lexicon::is_noun_like_verb(w);
            if (lexicon::is_clause_word(w) && !joins) || verb {
                break;
            }
            k = prev;
        }
        // Bare plural sources: "officials said", "Pentagon officials said".
        if is_source_noun(head) {
            let mut start = end;
            while start > end.saturating_sub(3) && start > 0 && self.free_word(start - 1) {
                let w = self.word(start - 1);
                if lexicon::is_clause_word(w) || self.verbs.lookup(&w.to_lowercase()).is_some() {
                    break;
                }
                start -= 1;
            }
            return Some(Phrase {
                start,
                end,
                kind: SpeakerKind::Descriptor,
                gender,
            });
        }
        None
    }

    /// "Hillary Clinton’s right-hand woman", "Dahl’s chief negotiator": a name (`start..=end`,
    /// its last word possessive) opens a descriptor up to the head noun naming a person or
    /// group, with any noun compounding it ("campaign manager").
    fn possessive_descriptor(&self, start: usize, end: usize) -> Option<Phrase> {
        let modifier = |k: usize| {
            self.free_word(k)
                && !is_capitalised(self.word(k))
                && !lexicon::is_clause_word(self.word(k))
                && self.verbs.lookup(&self.word(k).to_lowercase()).is_none()
        };
        let mut k = end;
        let mut head = None;
        while k < end + 6 {
            if modifier(k + 1) {
                k += 1;
            } else if self.is_dash(k + 1) && k > end && modifier(k + 2) {
                k += 2;
            } else {
                break;
            }
            if is_person_noun(self.word(k)) {
                head = Some(k);
            } else if head.is_some() {
                break;
            }
        }
        let mut head = head?;
        let gender = lexicon::descriptor_gender(self.word(head));
        // "Dahl's chief of staff", "her head of communications": an office read through "of".
        if matches!(self.word(head), "chief" | "head" | "director")
            && self.free_word(head + 1)
            && self.word(head + 1) == "of"
            && modifier(head + 2)
        {
            head += 2;
        }
        Some(Phrase {
            start,
            end: head,
            kind: SpeakerKind::Descriptor,
            gender,
        })
    }

    /// A phrase starting at `start`, read forwards: "Daniel Russel", "a senior official with the
    /// company", "officials", "he".
    pub(super) fn phrase_forward(&self, start: usize) -> Option<Phrase> {
        if !self.free_word(start) {
            return None;
        }
        let w = self.word(start);
        if let Some(p) = Pronoun::from_word(w) {
            return Some(Phrase {
                start,
                end: start,
                kind: SpeakerKind::Pronoun(p),
                gender: pronoun_gender(p),
            });
        }
        if is_possessive(w) && is_capitalised(w) {
            if let Some(np) = self.possessive_descriptor(start, start) {
                return Some(np);
            }
        }
        if lexicon::is_determiner(w) || is_possessive(w) {
            let mut end = start;
            let mut k = start + 1;
            let limit = start + 10;
            while k < self.tokens.len() && k <= limit && self.free_word(k) {
                let w = self.word(k);
                let chain = matches!(w, "of" | "for" | "at" | "with");
                if (lexicon::is_clause_word(w) && !chain)
                    || self.verbs.lookup(&w.to_lowercase()).is_some()
                    || matches!(w, "in" | "on" | "during" | "who" | "which" | "that")
                    || lexicon::is_action_verb(w)
                {
                    break;
                }
                if !chain {
                    end = k;
                }
                k += 1;
            }
            if end == start {
                // "“…,” read one.", "others said": a quantifier standing alone.
                let alone = matches!(
                    w,
                    "one" | "another" | "others" | "some" | "many" | "several" | "both"
                ) && self.tokens.get(start + 1).is_none_or(|t| !t.is_word());
                return alone.then_some(Phrase {
                    start,
                    end: start,
                    kind: SpeakerKind::Descriptor,
                    gender: if matches!(w, "one" | "another") {
                        Gender::Unknown
                    } else {
                        Gender::Plural
                    },
                });
            }
            let head = self.word(end);
            let kind = if (start + 1..=end).all(|i| is_capitalised(self.word(i)))
                && matches!(w, "the" | "The")
            {
                SpeakerKind::Name
            } else {
                SpeakerKind::Descriptor
            };
            let gender = if kind == SpeakerKind::Name {
                Gender::Neuter
            } else {
                lexicon::descriptor_gender(head)
            };
            return Some(Phrase {
                start,
                end,
                kind,
                gender,
            });
        }
        if is_capitalised(w) && lexicon::is_capitalised_function_word(w) {
            return None;
        }
        if is_capitalised(w) {
            let title = self.office_title_len_forward(start).unwrap_or(1);
            let mut end = start + title - 1;
            while self.free_word(end + 1)
                && end < start + title + 4
                && (is_capitalised(self.word(end + 1))
                    || lexicon::is_name_particle(self.word(end + 1)))
                && self
                    .verbs
                    .lookup(&self.word(end + 1).to_lowercase())
                    .is_none()
            {
                end += 1;
            }
            if end == start && is_source_noun(w) {
                return Some(Phrase {
                    start,
                    end,
                    kind: SpeakerKind::Descriptor,
                    gender: lexicon::descriptor_gender(w),
                });
            }
            if is_possessive(self.word(end)) {
                if let Some(np) = self.possessive_descriptor(start, end) {
                    return Some(np);
                }
            }
            let gender = self.name_gender(start, end);
            return Some(Phrase {
                start,
                end,
                kind: SpeakerKind::Name,
                gender,
            });
        }
        if is_source_noun(w) {
            return Some(Phrase {
                start,
                end: start,
                kind: SpeakerKind::Descriptor,
                gender: lexicon::descriptor_gender(w),
            });
        }
        // "said 9/11 widow Terry Strada", "said former Gov. Ann Hale": a name after a few
        // lowercase descriptor words.
        let mut k = start;
        while k < start + 6 && k < self.tokens.len() && self.free(k) {
            let t = &self.tokens[k];
            if t.is_word() && is_capitalised(self.word(k)) {
                return self
                    .phrase_forward(k)
                    .filter(|p| p.kind == SpeakerKind::Name);
            }
            let joins = t.is_word()
                && !lexicon::is_clause_word(self.word(k))
                && self.verbs.lookup(self.word(k)).is_none();
            if !(joins || t.is_punct('/') || t.is_punct('-')) {
                break;
            }
            k += 1;
        }
        None
    }

    /// Names outside quotations: candidates for later pronouns.
    pub(super) fn names(&self) -> Vec<NameMention> {
        let mut names = Vec::new();
        let mut i = 0;
        while i < self.tokens.len() {
            if self.free_word(i)
                && lexicon::descriptor_gender(self.word(i)) == Gender::Plural
                && is_source_noun(self.word(i))
            {
                // Groups are antecedents of "they": "City officials reject that."
                if let Some(np) = self.descriptor_backward(i) {
                    let ls = self.local_speaker(np);
                    names.push(NameMention {
                        span: ls.span,
                        name: ls.name,
                        gender: Gender::Plural,
                    });
                }
                i += 1;
                continue;
            }
            if !self.free_word(i) || !is_capitalised(self.word(i)) {
                i += 1;
                continue;
            }
            let mut end = i;
            while self.free_word(end + 1)
                && (is_capitalised(self.word(end + 1))
                    || lexicon::is_name_particle(self.word(end + 1)))
            {
                end += 1;
            }
            let sentence_start = i == 0
                || self.sentence[i - 1] != self.sentence[i]
                || self.tokens[i - 1].quote.is_some();
            let titled = lexicon::title(self.word(i)).is_some();
            let words = end - i + 1;
            let skip_opener = sentence_start && words == 1 && !titled;
            let is_pronoun = words == 1 && Pronoun::from_word(self.word(i)).is_some();
            let determiner = words == 1 && lexicon::is_determiner(self.word(i));
            if !skip_opener && !is_pronoun && !determiner {
                let mut start = i;
                // "The" opening a sentence is not part of the name.
                if matches!(self.word(start), "The") && start < end {
                    start += 1;
                }
                let gender =
                    if start > 0 && self.free_word(start - 1) && self.word(start - 1) == "the" {
                        Gender::Neuter
                    } else {
                        self.name_gender(start, end)
                    };
                let mut name_start = start;
                while name_start < end && lexicon::title(self.word(name_start)).is_some() {
                    name_start += 1;
                }
                let name = (name_start..=end)
                    .map(|k| self.word(k))
                    .collect::<Vec<_>>()
                    .join(" ");
                names.push(NameMention {
                    span: Span::new(self.tokens[start].span.start, self.tokens[end].span.end),
                    name,
                    gender,
                });
            }
            i = end + 1;
        }
        names
    }
}

/// Nouns that head a phrase standing for a person or group ("chief negotiator", "right-hand
/// woman", "campaign").
fn is_person_noun(word: &str) -> bool {
    let lower = word.to_lowercase();
    crate::entities::names::ROLE_NOUNS.contains(&lower.as_str())
        || is_source_noun(word)
        || matches!(
            lower.as_str(),
            "woman"
                | "man"
                | "wife"
                | "husband"
                | "son"
                | "daughter"
                | "mother"
                | "father"
                | "brother"
                | "sister"
                | "friend"
                | "team"
                | "office"
                | "lawyers"
                | "staff"
                | "negotiator"
                | "negotiators"
                | "allies"
                | "ally"
        )
}
