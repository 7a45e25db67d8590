//! Hand-built analyses for the features' unit tests: spans found by searching fictional text.

use crate::analysis::{
    Analysis, Attribution, Block, BlockKind, Entity, EntityKind, Finding, Mention, Quote,
    QuoteKind, Rule, Span, Speaker,
};

/// Builds an `Analysis` over `text` by naming the strings to find in it.
pub struct Kit {
    pub text: String,
    pub analysis: Analysis,
}

/// The span of the `nth` (0-based) occurrence of `needle` in `text`.
pub fn find(text: &str, needle: &str, nth: usize) -> Span {
    let start = text
        .match_indices(needle)
        .nth(nth)
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} not in text"));
    Span::new(start, start + needle.len())
}

impl Kit {
    /// Blocks from blank-line separated paragraphs; with `headline`, the first is the headline.
    /// Markdown `#` lines become headings.
    pub fn new(text: &str, headline: bool) -> Kit {
        let mut blocks = Vec::new();
        let mut offset = 0;
        for chunk in text.split("\n\n") {
            let trimmed = chunk.trim_end_matches('\n');
            if !trimmed.trim().is_empty() {
                let lead = trimmed.len() - trimmed.trim_start_matches('\n').len();
                let start = offset + lead;
                let span = Span::new(start, offset + trimmed.len());
                let hashes = trimmed
                    .trim_start()
                    .chars()
                    .take_while(|&c| c == '#')
                    .count();
                let kind = if blocks.is_empty() && headline {
                    BlockKind::Headline
                } else if hashes > 0 {
                    BlockKind::Heading
                } else if trimmed.trim_start().starts_with("By ") {
                    BlockKind::Byline
                } else {
                    BlockKind::Paragraph
                };
                let level = if kind == BlockKind::Heading {
                    hashes as u8
                } else {
                    0
                };
                blocks.push(Block {
                    kind,
                    span,
                    level,
                    dateline: None,
                });
            }
            offset += chunk.len() + 2;
        }
        Kit {
            text: text.to_string(),
            analysis: Analysis {
                blocks,
                ..Analysis::default()
            },
        }
    }

    /// Add an entity whose mentions are the given strings, each found after the previous one.
    pub fn entity(&mut self, kind: EntityKind, name: &str, mentions: &[&str]) -> usize {
        let mut from = 0;
        let mentions = mentions
            .iter()
            .map(|m| {
                let at = self.text[from..]
                    .find(m)
                    .unwrap_or_else(|| panic!("{m:?} not after {from}"))
                    + from;
                from = at + m.len();
                Mention {
                    span: Span::new(at, at + m.len()),
                }
            })
            .collect();
        let id = self.analysis.entities.len();
        self.analysis.entities.push(Entity {
            id,
            kind,
            name: name.into(),
            descriptors: vec![],
            mentions,
        });
        id
    }

    pub fn describe(&mut self, id: usize, descriptors: &[&str]) {
        self.analysis.entities[id].descriptors = descriptors.iter().map(|&d| d.into()).collect();
    }

    /// Add a quotation (the `nth` occurrence of `quoted`, marks included), with its speaker words
    /// (the next occurrence of `speaker_text` after the quotation, or the last one before it).
    #[allow(clippy::too_many_arguments)]
    pub fn quote(
        &mut self,
        quoted: &str,
        nth: usize,
        kind: QuoteKind,
        attribution: Attribution,
        speaker: Option<(&str, &str, Option<usize>)>,
        continues: Option<usize>,
    ) -> usize {
        let span = find(&self.text, quoted, nth);
        let speaker = speaker.map(|(name, words, entity)| {
            let after = self.text[span.end..].find(words).map(|i| i + span.end);
            let before = self.text[..span.start].rfind(words);
            let at = after
                .or(before)
                .unwrap_or_else(|| panic!("speaker {words:?} not found"));
            Speaker {
                name: name.into(),
                span: Span::new(at, at + words.len()),
                entity,
            }
        });
        self.analysis.quotes.push(Quote {
            span,
            kind,
            attribution,
            speaker,
            continues,
        });
        self.analysis.quotes.sort_by_key(|q| q.span.start);
        self.analysis
            .quotes
            .iter()
            .position(|q| q.span == span)
            .unwrap_or(0)
    }

    pub fn finding(&mut self, rule: Rule, span: Span, message: &str) {
        self.analysis.findings.push(Finding {
            rule,
            severity: rule.default_severity(),
            span,
            message: message.into(),
        });
        self.analysis.findings.sort_by_key(|f| f.span.start);
    }
}

/// A plain-text wire story with every kind of attribution, used across the features' tests.
pub const FERRY: &str = "Ferry fares to rise as fuel costs bite

By Lena Dorsey

VELMAR (Copydesk Wire) – Ferry fares across the Velmar archipelago will rise by 12% in March, the operator said on Tuesday.

“We held prices for three winters, and we cannot hold them for a fourth,” said Chidi Okafor, chief executive of Northsound Ferries. “Fuel is now our biggest single cost.”

“Nobody on the islands can absorb this,” a senior council official said, asking not to be named.

Okafor said the company had cut routes already. “Every empty sailing costs us money,” he added.

The Transport Ministry said the increase was “regrettable but lawful”.

“It is the end of the cheap crossing.”
";

/// [`FERRY`] with the analysis the core should give it.
pub fn ferry() -> Kit {
    use Attribution::{Continuation, Explicit, Pronoun};
    let mut kit = Kit::new(FERRY, true);
    kit.analysis.blocks[2].dateline = Some(find(FERRY, "VELMAR (Copydesk Wire) – ", 0));
    let okafor = kit.entity(
        EntityKind::Person,
        "Chidi Okafor",
        &["Chidi Okafor", "Okafor"],
    );
    kit.describe(okafor, &["chief executive of Northsound Ferries"]);
    let ministry = kit.entity(
        EntityKind::Organization,
        "Transport Ministry",
        &["Transport Ministry"],
    );
    kit.entity(
        EntityKind::Organization,
        "Northsound Ferries",
        &["Northsound Ferries"],
    );
    kit.entity(EntityKind::Location, "Velmar", &["VELMAR", "Velmar"]);
    kit.entity(EntityKind::Person, "Lena Dorsey", &["Lena Dorsey"]);
    let okafor_speaker = Some(("Chidi Okafor", "Chidi Okafor", Some(okafor)));
    let first = kit.quote(
        "“We held prices for three winters, and we cannot hold them for a fourth,”",
        0,
        QuoteKind::Full,
        Explicit,
        okafor_speaker,
        None,
    );
    kit.quote(
        "“Fuel is now our biggest single cost.”",
        0,
        QuoteKind::Full,
        Continuation,
        okafor_speaker,
        Some(first),
    );
    kit.quote(
        "“Nobody on the islands can absorb this,”",
        0,
        QuoteKind::Full,
        Explicit,
        Some((
            "a senior council official",
            "a senior council official",
            None,
        )),
        None,
    );
    kit.quote(
        "“Every empty sailing costs us money,”",
        0,
        QuoteKind::Full,
        Pronoun,
        Some(("Chidi Okafor", "he", Some(okafor))),
        None,
    );
    kit.quote(
        "“regrettable but lawful”",
        0,
        QuoteKind::Partial,
        Explicit,
        Some((
            "Transport Ministry",
            "The Transport Ministry",
            Some(ministry),
        )),
        None,
    );
    let last = find(FERRY, "“It is the end of the cheap crossing.”", 0);
    kit.quote(
        "“It is the end of the cheap crossing.”",
        0,
        QuoteKind::Full,
        Attribution::None,
        None,
        None,
    );
    kit.finding(
        Rule::UnattributedQuote,
        last,
        "quotation has no attributable speaker",
    );
    kit
}
