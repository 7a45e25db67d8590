//! Which cue attributes each quotation: a cue after it, earlier or later in its sentence, a
//! dash and a name, a transcript's speaker label; terms framed by a cue; and whether a quotation
//! sits among speech (for continuation across and within paragraphs).

use super::{Event, Paragraph, Phrase};
use crate::analysis::attribution::lexicon::Gender;
use crate::analysis::attribution::words::TokenKind;
use crate::analysis::attribution::{LocalSpeaker, SpeakerKind};
use crate::analysis::Span;

impl<'a> Paragraph<'a> {
    /// The speaker a cue next to quotation `qi` names.
    pub(super) fn quote_speaker(&self, qi: usize, events: &[Event]) -> Option<Phrase> {
        let (first, last) = self.quote_bounds(qi)?;
        // 0. A dash and a name closing the paragraph or sentence: `“…” ― Ana Ruiz`.
        if let Some(dash) = self.tokens.get(last + 1) {
            if self.free(last + 1) && matches!(dash.kind, TokenKind::Punct('—' | '―' | '–' | '-'))
            {
                if let Some(np) = self.phrase_forward(last + 2) {
                    let closes = self
                        .tokens
                        .get(np.end + 1)
                        .is_none_or(|t| t.is_terminal() || t.quote.is_some());
                    if closes && np.kind == SpeakerKind::Name {
                        return Some(np);
                    }
                }
            }
        }
        // 1. A cue right after the quotation: `“…,” Cooper said`, `“…,” said Russel`.
        let mut after = last + 1;
        while after < self.tokens.len()
            && matches!(
                self.tokens[after].kind,
                TokenKind::Punct(',' | '—' | '–' | '-' | ')')
            )
            && self.free(after)
        {
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
            let ends_sentence = self
                .sentence
                .get(after)
                .is_some_and(|&s| s != sentence_last);
            // "…?” Trump told Britain’s ITV …", "…?” Hale asked reporters.": a listener after
            // the verb still closes the cue.
            let to_listener = self.tokens[e.cue_start].is_word()
                && matches!(self.word(e.cue_start), "told" | "tells" | "asked" | "asks");
            if !ends_sentence
                || (previous.is_none() && (self.closes_clause(e.last + 1) || to_listener))
            {
                return Some(e.speaker);
            }
        }
        if let Some(e) = previous {
            return Some(e.speaker);
        }
        // 3. A cue later in the same sentence, before the next quotation:
        //    `The plan is “a disaster” for workers, Smith said.`
        // A title or nickname inside the cue's own phrase is no next quotation.
        let next_quote = (last + 1..self.tokens.len())
            .find(|&k| {
                self.tokens[k]
                    .quote
                    .is_some_and(|q| !self.is_embedded_term(q))
            })
            .unwrap_or(self.tokens.len());
        events
            .iter()
            .find(|e| {
                e.first > last && e.last < next_quote && self.sentence[e.cue_start] == sentence_last
            })
            .map(|e| e.speaker)
    }

    /// A word or two in quotation marks is someone's words, not a scare-quoted term, when a cue
    /// right before it frames it (`called the plan “a disaster”`, `it claims as “sacred”`,
    /// `said he was “troubled”`) or right after it (`“Shameful,” Cooper said`).
    pub(super) fn term_speaker(&self, qi: usize, events: &[Event]) -> Option<Phrase> {
        let (first, last) = self.quote_bounds(qi)?;
        if self.is_nickname(qi) {
            return None;
        }
        let sentence = self.sentence[first];
        let mut after = last + 1;
        while after < self.tokens.len()
            && matches!(self.tokens[after].kind, TokenKind::Punct(',' | '—' | '–'))
            && self.free(after)
        {
            after += 1;
        }
        if let Some(e) = events
            .iter()
            .find(|e| e.first == after && self.sentence.get(after) == Some(&sentence))
        {
            return Some(e.speaker);
        }
        let e = events
            .iter()
            .rfind(|e| e.last < first && self.sentence[e.cue_start] == sentence)?;
        // Framed directly (`called the plan “a disaster”`), or inside the reported clause of a
        // speech verb, with or without "that" (`Hale tweeted that the plan was “reckless” and
        // “a fraud”`, `Osei said the port would take “every step”`), as long as no other
        // quotation stands between them.
        let nothing_between = (e.last + 1..first).all(|k| self.tokens[k].quote.is_none());
        let direct = first - e.cue_end <= 8
            && (e.cue_end + 1..first).all(|k| self.tokens[k].quote.is_none());
        let reported_clause = (e.cue_end + 1..first)
            .any(|k| self.free_word(k) && self.word(k) == "that")
            || self.tokens.get(e.last + 1).is_some_and(|t| t.is_punct(':'))
            || nothing_between;
        (direct || reported_clause).then_some(e.speaker)
    }

    /// The speaker label of a transcript quoted whole: the quotation opens with one to three
    /// upper-case words and a colon (`"HALE: We start …`, `“SEN. HALE: No.”`).
    pub(super) fn transcript_label(&self, qi: usize) -> Option<LocalSpeaker> {
        let (first, last) = self.quote_bounds(qi)?;
        // Past the opening mark.
        let open = (first..=last).find(|&k| self.tokens[k].is_word())?;
        let words: Vec<usize> = (open..=last.min(open + 3))
            .take_while(|&k| self.tokens[k].is_word())
            .collect();
        let colon = words.last().map_or(first, |&k| k + 1);
        let is_label_word = |w: &str| {
            w.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && w.chars()
                    .all(|c| c.is_uppercase() || matches!(c, '.' | '-' | '\'' | '’'))
        };
        let label = words.len() <= 3
            && !words.is_empty()
            && words.iter().all(|&k| is_label_word(self.word(k)))
            && self
                .tokens
                .get(colon)
                .is_some_and(|t| t.is_punct(':') && t.quote == Some(qi));
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

    /// Whether quotation `qi` comes directly after speech in this paragraph: an earlier quotation
    /// or cue ends in its sentence or the one before (no narration between them).
    pub(super) fn follows_speech(&self, qi: usize, events: &[Event]) -> bool {
        let Some((first, _)) = self.quote_bounds(qi) else {
            return false;
        };
        let previous_quote = (0..first).rev().find(|&k| self.tokens[k].quote.is_some());
        let previous_event = events
            .iter()
            .filter(|e| e.last < first)
            .map(|e| e.last)
            .max();
        let Some(last_speech) = previous_quote.max(previous_event) else {
            return false;
        };
        self.sentence[first] <= self.sentence[last_speech] + 1
    }

    /// Whether only speech follows quotation `qi` in its paragraph: every later sentence holds a
    /// cue or a quotation (`“…” Smith said.`), no narration (`… said. The meeting ended.`).
    pub(super) fn ends_paragraph(&self, qi: usize, events: &[Event]) -> bool {
        let Some((_, last)) = self.quote_bounds(qi) else {
            return false;
        };
        let last_sentence = self.sentence.last().copied().unwrap_or(0);
        (self.sentence[last] + 1..=last_sentence).all(|s| {
            events.iter().any(|e| self.sentence[e.cue_start] == s)
                || self
                    .tokens
                    .iter()
                    .zip(&self.sentence)
                    .any(|(t, &ts)| ts == s && t.quote.is_some())
        })
    }
}
