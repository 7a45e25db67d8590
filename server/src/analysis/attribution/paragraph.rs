//! The per-paragraph attribution patterns: speech cues, their subjects, and which quotation each
//! cue attributes. Pure and cacheable: everything here is paragraph-relative.

use super::lexicon::{self, Gender, Pronoun};
use super::speech_verbs::{is_speech_noun, SpeechVerbs, VerbForm};
use super::words::{tokenize, Token, TokenKind};
use super::{LocalSpeaker, NameMention, ParagraphAttribution, SpeakerKind, SpeechEvent};
use crate::analysis::{QuoteKind, Span};

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
}

/// Finds the speech cues of one paragraph and the quotation each attributes.
/// `quotes` are the paragraph's quotations, paragraph-relative, in text order; `verbs` the speech
/// verbs (the built-in table plus any configured).
pub fn attribute_paragraph(text: &str, quotes: &[(Span, QuoteKind)], verbs: &SpeechVerbs) -> ParagraphAttribution {
    let spans: Vec<Span> = quotes.iter().map(|(s, _)| *s).collect();
    let tokens = tokenize(text, &spans);
    let sentence = sentence_numbers(text, &tokens);
    let p = Paragraph { text, tokens, sentence, verbs };
    let events = p.events();
    let last_sentence = p.sentence.last().copied().unwrap_or(0);

    let mut result = ParagraphAttribution {
        opens_with_quote: p.tokens.first().is_some_and(|t| t.quote == Some(0)),
        ..Default::default()
    };
    for (qi, (_, kind)) in quotes.iter().enumerate() {
        let speaker = if *kind == QuoteKind::Term {
            p.term_speaker(qi, &events).or_else(|| p.term_subject(qi))
        } else {
            p.quote_speaker(qi, &events)
        };
        let subject = match (kind, speaker) {
            (QuoteKind::Term, _) | (_, Some(_)) => None,
            (QuoteKind::Full, None) => p.sentence_subject(qi).or_else(|| p.previous_sentence_subject(qi)),
            _ => p.sentence_subject(qi),
        };
        // A transcript's speaker label opening the quotation: `"HALE: We start …`.
        let speaker = speaker.map(|ph| p.local_speaker(ph)).or_else(|| p.transcript_label(qi));
        result.follows_speech.push(p.follows_speech(qi, &events));
        result.ends_paragraph.push(p.ends_paragraph(qi, &events));
        let subject = if speaker.is_some() { None } else { subject };
        result.quotes.push(speaker);
        result.subjects.push(subject.map(|ph| p.local_speaker(ph)));
    }
    // "Duval put it bluntly:" — a paragraph ending in a colon introduces the next one's quotation.
    let ends_with_colon = p.tokens.last().is_some_and(|t| t.is_punct(':') && t.quote.is_none());
    for e in &events {
        let in_last_sentence = p.sentence[e.cue_start] == last_sentence;
        result.events.push(SpeechEvent {
            cue: Span::new(p.tokens[e.cue_start].span.start, p.tokens[e.cue_end].span.end),
            speaker: p.local_speaker(e.speaker),
            introduces_next: ends_with_colon && in_last_sentence,
            in_last_sentence,
        });
    }
    result.names = p.names();
    result.lead = p.phrase_forward(0).filter(|ph| ph.kind != SpeakerKind::Pronoun(Pronoun::It)).map(|ph| p.local_speaker(ph));
    result
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
            let terminal_inside = i > 0 && tokens[i - 1].quote == t.quote && tokens[i - 1].is_terminal();
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
        self.tokens.get(i).is_some_and(|t| t.is_word() && t.quote.is_none())
    }

    fn free(&self, i: usize) -> bool {
        self.tokens.get(i).is_some_and(|t| t.quote.is_none())
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
        let name = if ph.kind == SpeakerKind::Name { name.trim_end_matches("’s").trim_end_matches("'s") } else { name };
        let name = name.to_string();
        LocalSpeaker {
            span: Span::new(self.tokens[ph.start].span.start, self.tokens[ph.end].span.end),
            name,
            kind: ph.kind,
            gender: ph.gender,
        }
    }

    /// Every speech cue outside quotations that has a speaker.
    fn events(&self) -> Vec<Event> {
        let mut events = Vec::new();
        let mut i = 0;
        while i < self.tokens.len() {
            // "Daron Shaw: “…”", "From the report: “…”": a source's name before a colon that
            // opens a quotation.
            if let Some(np) = self.colon_source(i) {
                events.push(Event { cue_start: i, cue_end: i, speaker: np, first: np.start, last: i });
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
                    events.push(Event { cue_start: i, cue_end: i + 1, speaker: np, first: i, last: np.end });
                }
                i += 2;
                continue;
            }
            // "…,” per the party’s bylaws": like "according to", after a comma or quotation.
            if lower == "per" && i > 0 && (self.tokens[i - 1].is_punct(',') || self.tokens[i - 1].quote.is_some()) {
                if let Some(np) = self.phrase_forward(i + 1) {
                    events.push(Event { cue_start: i, cue_end: i, speaker: np, first: i, last: np.end });
                }
                i += 1;
                continue;
            }
            // "Hale's prediction that …", "his warning that …", "a new message: “…”".
            // Not inside an earlier cue's reported clause: in "She says Trump's tweets are “lies”"
            // the words are hers.
            let reported = events.last().is_some_and(|e: &Event| self.sentence[e.cue_start] == self.sentence[i]);
            if let Some(np) = self.speech_noun_owner(i).filter(|_| !reported) {
                events.push(Event { cue_start: i, cue_end: i, speaker: np, first: np.start.min(i), last: i });
                i += 1;
                continue;
            }
            // A capitalised word inside a sentence is a name ("the United States"), not a verb.
            let opens_sentence = i == 0 || self.sentence[i - 1] != self.sentence[i] || self.tokens[i - 1].quote.is_some();
            let verb = self.verbs.lookup(&lower).filter(|_| opens_sentence || !is_capitalised(self.word(i)));
            if let Some(verb) = verb {
                let speaker = match verb.form {
                    VerbForm::Finite => self.subject_before(i).or_else(|| self.infinitive_subject(i)).map(|np| (np, false)).or_else(|| {
                        (verb.inverts && self.inverted_position(i))
                            .then(|| self.phrase_forward(i + 1))
                            .flatten()
                            .map(|np| (np, true))
                    }),
                    VerbForm::Participle if i > 0 && self.tokens[i - 1].is_punct(',') => {
                        self.participle_subject(i).map(|np| (np, false))
                    }
                    // "After saying …, she", "censured for saying": the main clause's subject;
                    // "Trump is claiming", "footage of Clinton asking": the phrase before it.
                    VerbForm::Participle => {
                        self.prepositional_participle_subject(i).or_else(|| self.subject_before(i)).map(|np| (np, false))
                    }
                };
                // "the tweets", "of Republican claims": a noun-like verb after a descriptor or
                // after a preposition or article is a noun.
                let speaker = speaker.filter(|(np, after)| {
                    if !lexicon::is_noun_like_verb(&lower) || *after {
                        return true;
                    }
                    let before = np.start.checked_sub(1).filter(|&k| self.free_word(k)).map(|k| self.word(k));
                    let noun_context = before.is_some_and(|w| {
                        lexicon::is_determiner(w) || matches!(w, "of" | "for" | "in" | "on" | "at" | "with" | "by" | "from" | "to" | "about")
                    });
                    // "A document on the website states that …": a clause after it makes it a verb.
                    let clause_follows = self.tokens.get(i + 1).is_some_and(|t| {
                        t.is_punct(':') || t.is_punct(',') || t.quote.is_some() || (t.is_word() && self.word(i + 1) == "that")
                    });
                    // "“…,” the article read.": subject and verb right after a quotation.
                    let after_quote = np.start.checked_sub(1).is_some_and(|k| {
                        self.tokens[k].quote.is_some()
                            || (self.tokens[k].is_punct(',') && k > 0 && self.tokens[k - 1].quote.is_some())
                    }) && self.closes_clause(i + 1);
                    clause_follows || after_quote || (np.kind != SpeakerKind::Descriptor && !noun_context)
                });
                if let Some((np, after)) = speaker {
                    let (first, last) = match (after, np.start > i) {
                        (true, _) => (i, np.end),
                        // The subject of the main clause after an introductory "After saying …,":
                        // the quotations between belong to it through the cue.
                        (false, true) => (i, i),
                        (false, false) => (np.start, i),
                    };
                    events.push(Event { cue_start: i, cue_end: i, speaker: np, first, last });
                }
            }
            i += 1;
        }
        events
    }

    /// `“…,” said X`: the verb follows a quotation or a comma directly.
    fn inverted_position(&self, verb: usize) -> bool {
        if verb == 0 {
            return true;
        }
        let prev = &self.tokens[verb - 1];
        // "Said Ellis: “…”" opens its sentence.
        let opens_sentence = self.sentence[verb - 1] != self.sentence[verb];
        opens_sentence || prev.quote.is_some() || prev.is_punct(',') || prev.is_punct('—') || prev.is_punct('–')
    }

    /// The subject of a finite verb: the phrase that ends right before it, past adverbs and an
    /// appositive ("Tadashi Maeda, governor of the bank, said").
    fn subject_before(&self, verb: usize) -> Option<Phrase> {
        let mut j = verb.checked_sub(1)?;
        while self.free_word(j) && lexicon::is_verb_modifier(self.word(j)) {
            j = j.checked_sub(1)?;
        }
        if !self.free(j) {
            return None;
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
            let open = (j.saturating_sub(8)..j).rev().find(|&k| self.tokens[k].is_punct('('))?;
            return self.phrase_backward(open.checked_sub(1)?);
        }
        self.phrase_backward(j)
    }

    /// `HEAD, APPOSITIVE, said`: `comma` is the comma before the verb.
    fn appositive_subject(&self, comma: usize) -> Option<Phrase> {
        let sentence = self.sentence[comma];
        let lo = comma.saturating_sub(25);
        // Commas or dashes ("John Dickey, the chief executive -- …  -- told me").
        let dash = self.is_dash(comma);
        let open = (lo..comma).rev().find(|&k| {
            let delimiter = if dash { self.is_dash(k) } else { self.tokens[k].is_punct(',') };
            self.free(k) && delimiter && self.sentence[k] == sentence && k + 1 < comma
        })?;
        // "--" is two tokens: step over its first half.
        let open_start = if dash && open > 0 && self.is_dash(open - 1) { open - 1 } else { open };
        // A nickname in quotation marks may stand inside the appositive (`state Del. Ana “Nan”
        // Ruiz`); any other quotation ends the search.
        if (open + 1..comma).any(|k| !self.free(k) && !self.tokens[k].quote.is_some_and(|q| self.is_nickname(q))) {
            return None;
        }
        // "Rep. Jim Jordan (R-Ohio), an oversight panel member, said": past the party tag.
        let mut head_end = open_start.checked_sub(1)?;
        if self.tokens[head_end].is_punct(')') && self.free(head_end) {
            let paren = (head_end.saturating_sub(8)..head_end).rev().find(|&k| self.tokens[k].is_punct('('))?;
            head_end = paren.checked_sub(1)?;
        }
        let head = self.phrase_backward(head_end);
        let close_start = if dash && self.is_dash(comma - 1) { comma - 1 } else { comma };
        let inner = self.phrase_forward(open + 1).filter(|p| p.end + 1 == close_start);
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

    fn is_dash(&self, k: usize) -> bool {
        self.free(k) && matches!(self.tokens[k].kind, TokenKind::Punct('—' | '–' | '-'))
    }

    /// ", saying …": the subject is the clause's subject at the start of the sentence.
    fn participle_subject(&self, verb: usize) -> Option<Phrase> {
        if verb == 0 || !self.tokens[verb - 1].is_punct(',') {
            return None;
        }
        self.clause_subject(verb)
    }

    /// The source named right before a colon that opens a quotation (`… pollster Daron Shaw:
    /// “…”`, `From the report: “…”`): a name, or a source noun ("the report", "officials").
    fn colon_source(&self, colon: usize) -> Option<Phrase> {
        let t = &self.tokens[colon];
        if !t.is_punct(':') || t.quote.is_some() || self.tokens.get(colon + 1).is_none_or(|n| n.quote.is_none()) {
            return None;
        }
        let np = self.phrase_backward(colon.checked_sub(1)?)?;
        let source = match np.kind {
            SpeakerKind::Name => !lexicon::is_capitalised_function_word(self.word(np.start)),
            SpeakerKind::Descriptor => is_source_noun(self.word(np.end)),
            SpeakerKind::Pronoun(_) => false,
        };
        source.then_some(np)
    }

    /// "The email went on to say, “…”", "She went on to add:": a speech verb after "to", with its
    /// words following, belongs to the sentence's subject.
    fn infinitive_subject(&self, verb: usize) -> Option<Phrase> {
        let to = verb.checked_sub(1)?;
        if !self.free_word(to) || self.word(to) != "to" {
            return None;
        }
        let words_follow = self.tokens.get(verb + 1).is_some_and(|t| t.quote.is_some() || t.is_punct(':') || t.is_punct(','));
        if !words_follow {
            return None;
        }
        self.clause_subject(verb).filter(|np| np.kind != SpeakerKind::Pronoun(Pronoun::It) || self.free_word(np.start))
    }

    /// Whose words a speech noun at token `noun` stands for: a person's possessive before it
    /// (`Hale's prediction that`, `his earlier warning`; not "its"), or, when a colon and a
    /// quotation follow it, the clause's subject (`Obama is rolling out a new message: “…”`).
    fn speech_noun_owner(&self, noun: usize) -> Option<Phrase> {
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
                return Some(Phrase { start: k - 1, end: k - 1, kind: SpeakerKind::Pronoun(p), gender: pronoun_gender(p) });
            }
            if is_possessive(w) && is_capitalised(w) {
                return self.name_backward(k - 1).filter(|np| np.kind == SpeakerKind::Name && np.gender != Gender::Neuter);
            }
            if lexicon::is_clause_word(w) || lexicon::is_determiner(w) || is_possessive(w) {
                break;
            }
            k -= 1;
        }
        let colon_quote = self.tokens.get(noun + 1).is_some_and(|t| t.is_punct(':') && t.quote.is_none())
            && self.tokens.get(noun + 2).is_some_and(|t| t.quote.is_some());
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
    fn prepositional_participle_subject(&self, verb: usize) -> Option<Phrase> {
        let prep = verb.checked_sub(1)?;
        if !self.free_word(prep) {
            return None;
        }
        let preposition = self.word(prep).to_lowercase();
        if !matches!(
            preposition.as_str(),
            "after" | "before" | "since" | "despite" | "while" | "for" | "by" | "upon" | "without" | "when"
        ) {
            return None;
        }
        let sentence = self.sentence[prep];
        if prep == 0 || self.sentence[prep - 1] != sentence {
            let end = (prep..self.tokens.len()).take_while(|&k| self.sentence[k] == sentence).last()? + 1;
            let s = self.main_clause_start(prep, end, 0);
            if s <= verb {
                return None;
            }
            let np = self.phrase_forward(s)?;
            let person = matches!(np.kind, SpeakerKind::Name | SpeakerKind::Pronoun(_)) || np.gender != Gender::Unknown;
            return (person && np.kind != SpeakerKind::Pronoun(Pronoun::It)).then_some(np);
        }
        if self.tokens[prep - 1].is_punct(',') {
            return self.subject_before(prep);
        }
        let pronoun = (0..prep)
            .rev()
            .take_while(|&k| self.sentence[k] == sentence)
            .find(|&k| self.free_word(k) && matches!(self.word(k), "he" | "she" | "they" | "He" | "She" | "They"));
        if let Some(k) = pronoun {
            let p = Pronoun::from_word(self.word(k))?;
            return Some(Phrase { start: k, end: k, kind: SpeakerKind::Pronoun(p), gender: pronoun_gender(p) });
        }
        self.clause_subject(verb)
    }

    /// The subject at the start of the sentence holding token `verb`.
    fn clause_subject(&self, verb: usize) -> Option<Phrase> {
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

    /// A phrase ending at token `end`, read backwards.
    fn phrase_backward(&self, end: usize) -> Option<Phrase> {
        if !self.free_word(end) {
            return None;
        }
        let w = self.word(end);
        if let Some(p) = Pronoun::from_word(w) {
            return Some(Phrase { start: end, end, kind: SpeakerKind::Pronoun(p), gender: pronoun_gender(p) });
        }
        let np = self.name_backward(end).or_else(|| self.descriptor_backward(end))?;
        // "a spokesman for the State Department": extend over of/for/at/with chains.
        if np.start >= 2 && self.free_word(np.start - 1) {
            let prep = self.word(np.start - 1);
            if matches!(prep, "of" | "for" | "at" | "with" | "from" | "on") {
                if let Some(head) = self.descriptor_backward(np.start - 2) {
                    return Some(Phrase { start: head.start, end: np.end, kind: SpeakerKind::Descriptor, gender: head.gender });
                }
            }
        }
        Some(np)
    }

    /// A capitalised name ending at `end`: "Daniel Russel", "Sen. Ted Cruz", "the White House".
    fn name_backward(&self, end: usize) -> Option<Phrase> {
        let w = self.word(end);
        if !is_capitalised(w) || Pronoun::from_word(w).is_some() || lexicon::is_determiner(w) {
            return None;
        }
        let mut start = end;
        loop {
            // Past a nickname: "Margaret “Peg” Olsen".
            if let Some(q) = start.checked_sub(1).and_then(|k| self.tokens[k].quote).filter(|&q| self.is_nickname(q)) {
                match self.quote_bounds(q) {
                    Some((first, _)) if first > 0 && first + 6 > end && self.free_word(first - 1) => {
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
            let joins = (is_capitalised(prev) && !lexicon::is_determiner(prev) && !is_possessive(prev))
                || lexicon::is_name_particle(prev);
            if !joins || start - 1 < end.saturating_sub(5) {
                break;
            }
            start -= 1;
        }
        while start < end
            && (lexicon::is_name_particle(self.word(start)) || lexicon::is_capitalised_function_word(self.word(start)))
        {
            start += 1;
        }
        if lexicon::is_capitalised_function_word(self.word(start)) {
            return None;
        }
        // A capitalised sentence opener that is a plain word ("Officials", "Critics").
        if start == end && is_source_noun(w) {
            return Some(Phrase { start, end, kind: SpeakerKind::Descriptor, gender: lexicon::descriptor_gender(w) });
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
        Some(Phrase { start, end, kind, gender })
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
        for i in start..=end {
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
        let numeral = matches!(head, "one" | "two" | "three" | "four" | "several" | "many" | "both" | "others");
        if lexicon::is_clause_word(head) || (lexicon::is_determiner(head) && !numeral) || is_possessive(head) {
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
                return Some(Phrase { start: prev, end, kind: SpeakerKind::Descriptor, gender });
            }
            // "the former secretary of state and current nominee": coordinated modifiers.
            let joins = matches!(w, "and" | "of");
            let verb = self.verbs.lookup(&w.to_lowercase()).is_some() && !lexicon::is_noun_like_verb(w);
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
            return Some(Phrase { start, end, kind: SpeakerKind::Descriptor, gender });
        }
        None
    }

    /// A phrase starting at `start`, read forwards: "Daniel Russel", "a senior official with the
    /// company", "officials", "he".
    fn phrase_forward(&self, start: usize) -> Option<Phrase> {
        if !self.free_word(start) {
            return None;
        }
        let w = self.word(start);
        if let Some(p) = Pronoun::from_word(w) {
            return Some(Phrase { start, end: start, kind: SpeakerKind::Pronoun(p), gender: pronoun_gender(p) });
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
                return None;
            }
            let head = self.word(end);
            let kind = if (start + 1..=end).all(|i| is_capitalised(self.word(i))) && matches!(w, "the" | "The") {
                SpeakerKind::Name
            } else {
                SpeakerKind::Descriptor
            };
            let gender = if kind == SpeakerKind::Name { Gender::Neuter } else { lexicon::descriptor_gender(head) };
            return Some(Phrase { start, end, kind, gender });
        }
        if is_capitalised(w) && lexicon::is_capitalised_function_word(w) {
            return None;
        }
        if is_capitalised(w) {
            let mut end = start;
            while self.free_word(end + 1)
                && end < start + 5
                && (is_capitalised(self.word(end + 1)) || lexicon::is_name_particle(self.word(end + 1)))
                && self.verbs.lookup(&self.word(end + 1).to_lowercase()).is_none()
            {
                end += 1;
            }
            if end == start && is_source_noun(w) {
                return Some(Phrase { start, end, kind: SpeakerKind::Descriptor, gender: lexicon::descriptor_gender(w) });
            }
            let gender = self.name_gender(start, end);
            return Some(Phrase { start, end, kind: SpeakerKind::Name, gender });
        }
        if is_source_noun(w) {
            return Some(Phrase { start, end: start, kind: SpeakerKind::Descriptor, gender: lexicon::descriptor_gender(w) });
        }
        // "said 9/11 widow Terry Strada", "said former Gov. Ann Hale": a name after a few
        // lowercase descriptor words.
        let mut k = start;
        while k < start + 6 && k < self.tokens.len() && self.free(k) {
            let t = &self.tokens[k];
            if t.is_word() && is_capitalised(self.word(k)) {
                return self.phrase_forward(k).filter(|p| p.kind == SpeakerKind::Name);
            }
            let joins = t.is_word() && !lexicon::is_clause_word(self.word(k)) && self.verbs.lookup(self.word(k)).is_none();
            if !(joins || t.is_punct('/') || t.is_punct('-')) {
                break;
            }
            k += 1;
        }
        None
    }

    /// Whether quotation `qi` is a nickname inside a name: one or two capitalised words between
    /// a capitalised word and another (`Margaret “Peg” Olsen`, `Marcia "Cia" Price`).
    fn is_nickname(&self, qi: usize) -> bool {
        let Some((first, last)) = self.quote_bounds(qi) else { return false };
        let words: Vec<usize> = (first..=last).filter(|&k| self.tokens[k].is_word()).collect();
        let capitalised_word = |k: Option<usize>| k.is_some_and(|k| self.free_word(k) && is_capitalised(self.word(k)));
        (1..=2).contains(&words.len())
            && words.iter().all(|&k| is_capitalised(self.word(k)))
            && (first..=last).all(|k| self.tokens[k].is_word() || k == first || k == last)
            && capitalised_word(first.checked_sub(1))
            && capitalised_word(Some(last + 1))
    }

    /// The first and last token of quotation `qi`.
    fn quote_bounds(&self, qi: usize) -> Option<(usize, usize)> {
        let first = self.tokens.iter().position(|t| t.quote == Some(qi))?;
        let last = self.tokens.iter().rposition(|t| t.quote == Some(qi))?;
        Some((first, last))
    }

    /// The speaker a cue next to quotation `qi` names.
    fn quote_speaker(&self, qi: usize, events: &[Event]) -> Option<Phrase> {
        let (first, last) = self.quote_bounds(qi)?;
        // 0. A dash and a name closing the paragraph or sentence: `“…” ― Ana Ruiz`.
        if let Some(dash) = self.tokens.get(last + 1) {
            if self.free(last + 1) && matches!(dash.kind, TokenKind::Punct('—' | '―' | '–' | '-')) {
                if let Some(np) = self.phrase_forward(last + 2) {
                    let closes = self.tokens.get(np.end + 1).is_none_or(|t| t.is_terminal() || t.quote.is_some());
                    if closes && np.kind == SpeakerKind::Name {
                        return Some(np);
                    }
                }
            }
        }
        // 1. A cue right after the quotation: `“…,” Cooper said`, `“…,” said Russel`.
        let mut after = last + 1;
        while after < self.tokens.len() && matches!(self.tokens[after].kind, TokenKind::Punct(',' | '—' | '–' | '-' | ')')) && self.free(after) {
            after += 1;
        }
        let sentence_first = self.sentence[first];
        let sentence_last = self.sentence[last];
        // 2. A cue earlier in the same sentence: `Cooper said: “…”`, `X said that … “partial”`.
        let previous = events
            .iter()
            .rfind(|e| e.last < first && self.sentence[e.cue_start] == sentence_first);
        if let Some(e) = events.iter().find(|e| e.first == after) {
            // After a quotation that ends its sentence (`…?” Smith asked.`) the cue must close
            // its own clause; otherwise it opens the next sentence (`…” She says it is …`).
            let ends_sentence = self.sentence.get(after).is_some_and(|&s| s != sentence_last);
            if !ends_sentence || (previous.is_none() && self.closes_clause(e.last + 1)) {
                return Some(e.speaker);
            }
        }
        if let Some(e) = previous {
            return Some(e.speaker);
        }
        // 3. A cue later in the same sentence, before the next quotation:
        //    `The plan is “a disaster” for workers, Smith said.`
        let next_quote = (last + 1..self.tokens.len()).find(|&k| self.tokens[k].quote.is_some()).unwrap_or(self.tokens.len());
        events
            .iter()
            .find(|e| e.first > last && e.last < next_quote && self.sentence[e.cue_start] == sentence_last)
            .map(|e| e.speaker)
    }

    /// A word or two in quotation marks is someone's words, not a scare-quoted term, when a cue
    /// right before it frames it (`called the plan “a disaster”`, `it claims as “sacred”`,
    /// `said he was “troubled”`) or right after it (`“Shameful,” Cooper said`).
    fn term_speaker(&self, qi: usize, events: &[Event]) -> Option<Phrase> {
        let (first, last) = self.quote_bounds(qi)?;
        if self.is_nickname(qi) {
            return None;
        }
        let sentence = self.sentence[first];
        let mut after = last + 1;
        while after < self.tokens.len() && matches!(self.tokens[after].kind, TokenKind::Punct(',' | '—' | '–')) && self.free(after) {
            after += 1;
        }
        if let Some(e) = events.iter().find(|e| e.first == after && self.sentence.get(after) == Some(&sentence)) {
            return Some(e.speaker);
        }
        let e = events.iter().rfind(|e| e.last < first && self.sentence[e.cue_start] == sentence)?;
        // Framed directly (`called the plan “a disaster”`), or inside the reported clause of a
        // speech verb, with or without "that" (`Hale tweeted that the plan was “reckless” and
        // “a fraud”`, `Osei said the port would take “every step”`), as long as no other
        // quotation stands between them.
        let nothing_between = (e.last + 1..first).all(|k| self.tokens[k].quote.is_none());
        let direct = first - e.cue_end <= 8 && (e.cue_end + 1..first).all(|k| self.tokens[k].quote.is_none());
        let reported_clause = (e.cue_end + 1..first).any(|k| self.free_word(k) && self.word(k) == "that")
            || self.tokens.get(e.last + 1).is_some_and(|t| t.is_punct(':'))
            || nothing_between;
        (direct || reported_clause).then_some(e.speaker)
    }

    /// The speaker label of a transcript quoted whole: the quotation opens with one to three
    /// upper-case words and a colon (`"HALE: We start …`, `“SEN. HALE: No.”`).
    fn transcript_label(&self, qi: usize) -> Option<LocalSpeaker> {
        let (first, last) = self.quote_bounds(qi)?;
        // Past the opening mark.
        let open = (first..=last).find(|&k| self.tokens[k].is_word())?;
        let words: Vec<usize> = (open..=last.min(open + 3)).take_while(|&k| self.tokens[k].is_word()).collect();
        let colon = words.last().map_or(first, |&k| k + 1);
        let is_label_word = |w: &str| {
            w.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && w.chars().all(|c| c.is_uppercase() || matches!(c, '.' | '-' | '\'' | '’'))
        };
        let label = words.len() <= 3
            && !words.is_empty()
            && words.iter().all(|&k| is_label_word(self.word(k)))
            && self.tokens.get(colon).is_some_and(|t| t.is_punct(':') && t.quote == Some(qi));
        if !label {
            return None;
        }
        let (start, end) = (words[0], words[words.len() - 1]);
        let span = Span::new(self.tokens[start].span.start, self.tokens[end].span.end);
        Some(LocalSpeaker {
            span,
            name: self.text[span.start..span.end].to_string(),
            kind: SpeakerKind::Name,
            gender: Gender::Unknown,
        })
    }

    /// A word or two in quotation marks inside a clause whose subject is a person, group or
    /// source is that subject's words woven into the reporter's sentence (`Tovar likened the
    /// toll to a “highway robbery”`, `She rated the claim “false”`): a partial quotation. Not a
    /// capitalised name of a thing (`introduced the “Clean Harbor Act”`), and
    /// not when the subject is "it" or a thing that is no source.
    fn term_subject(&self, qi: usize) -> Option<Phrase> {
        let (first, last) = self.quote_bounds(qi)?;
        let words: Vec<&str> = (first..=last).filter(|&k| self.tokens[k].is_word()).map(|k| self.word(k)).collect();
        let title_case = words.iter().any(|w| is_capitalised(w))
            && words.iter().all(|w| is_capitalised(w) || lexicon::is_title_case_small_word(w));
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

    /// Whether quotation `qi` comes directly after speech in this paragraph: an earlier quotation
    /// or cue ends in its sentence or the one before (no narration between them).
    fn follows_speech(&self, qi: usize, events: &[Event]) -> bool {
        let Some((first, _)) = self.quote_bounds(qi) else { return false };
        let previous_quote = (0..first).rev().find(|&k| self.tokens[k].quote.is_some());
        let previous_event = events.iter().filter(|e| e.last < first).map(|e| e.last).max();
        let Some(last_speech) = previous_quote.max(previous_event) else { return false };
        self.sentence[first] <= self.sentence[last_speech] + 1
    }

    /// Whether only speech follows quotation `qi` in its paragraph: every later sentence holds a
    /// cue or a quotation (`“…” Smith said.`), no narration (`… said. The meeting ended.`).
    fn ends_paragraph(&self, qi: usize, events: &[Event]) -> bool {
        let Some((_, last)) = self.quote_bounds(qi) else { return false };
        let last_sentence = self.sentence.last().copied().unwrap_or(0);
        (self.sentence[last] + 1..=last_sentence).all(|s| {
            events.iter().any(|e| self.sentence[e.cue_start] == s)
                || self.tokens.iter().zip(&self.sentence).any(|(t, &ts)| ts == s && t.quote.is_some())
        })
    }

    /// Whether token `k` ends a cue's clause: the sentence or paragraph ends, a comma or a
    /// quotation follows, or an adverbial ("in a statement", "on Tuesday", "to reporters").
    fn closes_clause(&self, k: usize) -> bool {
        let Some(t) = self.tokens.get(k) else { return true };
        if t.quote.is_some() || t.is_terminal() || matches!(t.kind, TokenKind::Punct(',' | ';' | ':' | '—' | '–' | '(')) {
            return true;
        }
        t.is_word()
            && matches!(
                self.word(k),
                "in" | "on" | "at" | "during" | "after" | "before" | "to" | "via" | "from" | "with"
                    | "for" | "while" | "when" | "as" | "reporters" | "Monday" | "Tuesday" | "Wednesday"
                    | "Thursday" | "Friday" | "Saturday" | "Sunday" | "today" | "yesterday" | "later"
                    | "earlier" | "recently" | "this" | "last" | "afterward" | "afterwards" | "then"
            )
    }

    /// The subject opening the sentence a quotation is woven into (`Hale openly admires the mayor as
    /// a “true builder”`): the fallback speaker when no cue names one.
    fn sentence_subject(&self, qi: usize) -> Option<Phrase> {
        let (first, _) = self.quote_bounds(qi)?;
        let sentence = self.sentence[first];
        let start = (0..first).find(|&k| self.sentence[k] == sentence)?;
        self.subject_from(start, first)
    }

    /// A quotation standing as its own sentence after a sentence about someone is that person's
    /// words (`Ek listed the fares among the reasons. “Every month a house goes dark.”`, `…
    /// Lindqvist said. She did not elaborate. “The numbers speak.”`): the previous sentence's
    /// subject when it is a person, a group, a source or he/she/they.
    fn previous_sentence_subject(&self, qi: usize) -> Option<Phrase> {
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
        if self.tokens.get(k).is_some_and(|t| t.is_punct('(') && t.quote.is_none()) {
            k = (k..limit.min(k + 8)).find(|&j| self.tokens[j].is_punct(')'))? + 1;
        }
        if np.kind != SpeakerKind::Descriptor && self.tokens.get(k).is_some_and(|t| t.is_punct(',') && t.quote.is_none()) {
            let close = (k + 1..limit.min(k + 16)).find(|&j| self.tokens[j].is_punct(',') || !self.free(j));
            if let Some(c) = close.filter(|&c| self.tokens[c].is_punct(',') && self.free(c)) {
                k = c + 1;
            }
        }
        while self.free_word(k) && lexicon::is_verb_modifier(self.word(k)) {
            k += 1;
        }
        let next = self.tokens.get(k)?;
        let verbish = (self.free_word(k) && !is_capitalised(self.word(k)) && !lexicon::is_clause_word(self.word(k)))
            || (next.is_punct(':') && k + 1 == limit)
            || (self.free_word(k) && matches!(self.word(k), "is" | "was" | "has" | "had" | "are" | "were" | "will" | "would"));
        verbish.then_some(np)
    }

    /// Where the main clause of the sentence starting at token `start` begins: past a leading
    /// "But"/"And", and past an introductory phrase closed by a comma. A phrase opened by a
    /// preposition, subordinator or participle may run up to `limit` ("After the vote was
    /// called, Hale …", "After saying her knee was “fine,” she …", the comma inside the closing
    /// mark); any other opener only `short` tokens ("In July, Gingrich …").
    fn main_clause_start(&self, start: usize, limit: usize, short: usize) -> usize {
        let mut s = start;
        if matches!(self.word_or_empty(s), "But" | "And" | "Yet" | "So") && !self.tokens.get(s + 1).is_some_and(|t| t.is_punct(',')) {
            s += 1;
        }
        let opener = self.word_or_empty(s);
        let subordinate = is_capitalised(opener)
            && (lexicon::is_capitalised_function_word(opener) || (opener.ends_with("ing") && opener.len() > 5));
        if !subordinate && is_capitalised(opener) {
            return s;
        }
        let reach = if subordinate { limit } else { limit.min(s + short) };
        // A comma outside quotations, or one just inside a quotation's closing mark.
        let closes = |k: usize| {
            self.tokens[k].is_punct(',')
                && (self.free(k)
                    || (self.tokens.get(k + 1).is_some_and(|m| m.quote == self.tokens[k].quote && !m.is_word())
                        && self.free(k + 2)
                        && self.tokens[k + 1].quote != self.tokens.get(k + 2).and_then(|t| t.quote)))
        };
        let next = match (s..reach).find(|&k| closes(k)) {
            Some(c) if self.free(c) => c + 1,
            Some(c) => c + 2,
            None => return s,
        };
        // "On Thursday, after weeks of silence, Warren …": a second introductory phrase.
        let again = self.word_or_empty(next);
        let mut capitalised = again.to_string();
        if let Some(first) = capitalised.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        if subordinate && !is_capitalised(again) && lexicon::is_capitalised_function_word(&capitalised) && next < limit {
            return self.main_clause_start_after(next, limit);
        }
        next
    }

    /// [`Self::main_clause_start`] for a lowercase introductory phrase inside the sentence.
    fn main_clause_start_after(&self, start: usize, limit: usize) -> usize {
        match (start..limit).find(|&k| self.tokens[k].is_punct(',') && self.free(k)) {
            Some(c) => c + 1,
            None => start,
        }
    }

    fn word_or_empty(&self, k: usize) -> &'a str {
        if self.free_word(k) {
            self.word(k)
        } else {
            ""
        }
    }

    /// Names outside quotations: candidates for later pronouns.
    fn names(&self) -> Vec<NameMention> {
        let mut names = Vec::new();
        let mut i = 0;
        while i < self.tokens.len() {
            if self.free_word(i) && lexicon::descriptor_gender(self.word(i)) == Gender::Plural && is_source_noun(self.word(i)) {
                // Groups are antecedents of "they": "City officials reject that."
                if let Some(np) = self.descriptor_backward(i) {
                    let ls = self.local_speaker(np);
                    names.push(NameMention { span: ls.span, name: ls.name, gender: Gender::Plural });
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
                && (is_capitalised(self.word(end + 1)) || lexicon::is_name_particle(self.word(end + 1)))
            {
                end += 1;
            }
            let sentence_start = i == 0 || self.sentence[i - 1] != self.sentence[i] || self.tokens[i - 1].quote.is_some();
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
                let gender = if start > 0 && self.free_word(start - 1) && self.word(start - 1) == "the" {
                    Gender::Neuter
                } else {
                    self.name_gender(start, end)
                };
                let mut name_start = start;
                while name_start < end && lexicon::title(self.word(name_start)).is_some() {
                    name_start += 1;
                }
                let name = (name_start..=end).map(|k| self.word(k)).collect::<Vec<_>>().join(" ");
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
    lexicon::SOURCE_NOUNS.iter().any(|(w, _)| w.eq_ignore_ascii_case(word))
}

/// Words that make a capitalised name an organisation rather than a person.
fn is_organisation_word(word: &str) -> bool {
    const WORDS: &[&str] = &[
        "House", "Department", "Ministry", "Party", "Committee", "Inc.", "Corp.", "Co.", "Ltd.",
        "Times", "Post", "News", "Journal", "University", "Institute", "Institution", "Bank",
        "Agency", "Council", "Commission", "Association", "Foundation", "Center", "Centre",
        "Office", "Service", "Court", "Congress", "Senate", "Administration", "Campaign",
        "Reuters", "Press", "Network", "Group", "Company", "Fund", "Board", "Bureau", "Union",
        "Organization", "Organisation", "Police", "Army", "Navy", "Pentagon", "Kremlin",
        "Government", "Parliament", "Embassy", "Club", "Society", "Review", "Magazine", "Daily",
    ];
    WORDS.contains(&word)
}
