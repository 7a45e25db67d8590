//! The report formats of `copydesk check`: JSON Lines for tools, `file:line:col` lines for people.
//!
//! The JSON shape is a public contract (docs/cli.md, scored by the evaluation tools): field names
//! and order are fixed here, built from [`Analysis`] without changing it.

use ropey::Rope;
use serde::Serialize;

use crate::analysis::{Analysis, Attribution, EntityKind, QuoteKind, Severity, Span};
use crate::lsp::encoding::{line_column, slice};

/// One file's line of `--format json` output.
#[derive(Debug, Serialize)]
pub struct FileReport<'a> {
    pub path: &'a str,
    pub entities: Vec<EntityReport<'a>>,
    pub quotes: Vec<QuoteReport<'a>>,
    pub diagnostics: Vec<DiagnosticReport<'a>>,
}

#[derive(Debug, Serialize)]
pub struct EntityReport<'a> {
    pub id: usize,
    pub kind: EntityKind,
    pub name: &'a str,
    pub descriptors: &'a [std::sync::Arc<str>],
    pub mentions: Vec<TextSpan<'a>>,
}

/// A span of the file with the text it covers.
#[derive(Debug, Serialize)]
pub struct TextSpan<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
}

#[derive(Debug, Serialize)]
pub struct QuoteReport<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    pub kind: QuoteKind,
    pub attribution: Attribution,
    pub speaker: Option<SpeakerReport<'a>>,
}

#[derive(Debug, Serialize)]
pub struct SpeakerReport<'a> {
    pub name: &'a str,
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    pub entity: Option<usize>,
}

#[derive(Debug, Serialize)]
pub struct DiagnosticReport<'a> {
    pub code: &'static str,
    pub severity: Severity,
    pub start: usize,
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based column of `start`, in characters (Unicode scalar values).
    pub column: usize,
    pub message: &'a str,
}

impl<'a> FileReport<'a> {
    pub fn new(path: &'a str, text: &'a str, analysis: &'a Analysis) -> Self {
        let rope = Rope::from_str(text);
        let text_span = |span: Span| TextSpan {
            start: span.start,
            end: span.end,
            text: slice(text, span),
        };
        let entities = analysis
            .entities
            .iter()
            .map(|entity| EntityReport {
                id: entity.id,
                kind: entity.kind,
                name: &entity.name,
                descriptors: &entity.descriptors,
                mentions: entity.mentions.iter().map(|m| text_span(m.span)).collect(),
            })
            .collect();
        let quotes = analysis
            .quotes
            .iter()
            .map(|quote| QuoteReport {
                start: quote.span.start,
                end: quote.span.end,
                text: slice(text, quote.span),
                kind: quote.kind,
                attribution: quote.attribution,
                speaker: quote.speaker.as_ref().map(|speaker| SpeakerReport {
                    name: &speaker.name,
                    text: slice(text, speaker.span),
                    start: speaker.span.start,
                    end: speaker.span.end,
                    entity: speaker.entity,
                }),
            })
            .collect();
        let diagnostics = analysis
            .findings
            .iter()
            .map(|finding| {
                let (line, column) = line_column(&rope, finding.span.start);
                DiagnosticReport {
                    code: finding.rule.code(),
                    severity: finding.severity,
                    start: finding.span.start,
                    end: finding.span.end,
                    line,
                    column,
                    message: &finding.message,
                }
            })
            .collect();
        FileReport {
            path,
            entities,
            quotes,
            diagnostics,
        }
    }

    /// The `--format json` line (without the newline).
    pub fn to_json(&self) -> String {
        // Serialising plain structs of strings and numbers cannot fail; an empty object would
        // only ever show a bug here, never lose the user's text.
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{}"))
    }

    /// The `--format text` lines: `file:line:col: severity[code] message`, one per finding.
    pub fn text_lines(&self) -> impl Iterator<Item = String> + '_ {
        self.diagnostics.iter().map(|d| {
            let severity = severity_name(d.severity);
            format!(
                "{}:{}:{}: {severity}[{}] {}",
                self.path, d.line, d.column, d.code, d.message
            )
        })
    }
}

pub fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
        Severity::Hint => "hint",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Entity, Finding, Mention, Quote, Rule, Speaker};
    use serde_json::json;

    fn sample() -> (String, Analysis) {
        let text = "Café owners met.\n“We’re 👍 fine,” said Ana Ruiz. “Really”".to_owned();
        let quote = text.find('“').unwrap();
        let quote_end = text.find(" said").unwrap();
        let ana = text.find("Ana").unwrap();
        let open = text.rfind('“').unwrap();
        let analysis = Analysis {
            blocks: vec![],
            entities: vec![Entity {
                id: 0,
                kind: EntityKind::Person,
                name: "Ana Ruiz".into(),
                descriptors: vec![],
                mentions: vec![Mention {
                    span: Span::new(ana, ana + 8),
                }],
            }],
            quotes: vec![Quote {
                span: Span::new(quote, quote_end),
                kind: QuoteKind::Full,
                attribution: Attribution::Explicit,
                speaker: Some(Speaker {
                    name: "Ana Ruiz".into(),
                    span: Span::new(ana, ana + 8),
                    entity: Some(0),
                }),
                continues: None,
            }],
            findings: vec![Finding {
                rule: Rule::UnbalancedQuote,
                severity: Severity::Error,
                span: Span::new(open, open + 3),
                message: "Quotation mark is never closed".into(),
            }],
        };
        (text, analysis)
    }

    #[test]
    fn json_matches_the_documented_schema() {
        let (text, analysis) = sample();
        let report = FileReport::new("a.txt", &text, &analysis);
        let value: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        let quote = text.find('“').unwrap();
        let ana = text.find("Ana").unwrap();
        let open = text.rfind('“').unwrap();
        assert_eq!(
            value,
            json!({
                "path": "a.txt",
                "entities": [{"id": 0, "kind": "person", "name": "Ana Ruiz", "descriptors": [],
                    "mentions": [{"start": ana, "end": ana + 8, "text": "Ana Ruiz"}]}],
                "quotes": [{"start": quote, "end": quote + 24, "text": "“We’re 👍 fine,”",
                    "kind": "full", "attribution": "explicit",
                    "speaker": {"name": "Ana Ruiz", "text": "Ana Ruiz", "start": ana,
                        "end": ana + 8, "entity": 0}}],
                "diagnostics": [{"code": "unbalanced-quote", "severity": "error", "start": open,
                    "end": open + 3, "line": 2, "column": 32,
                    "message": "Quotation mark is never closed"}]
            })
        );
        // Field order is part of the contract.
        let json = report.to_json();
        let order = ["\"path\"", "\"entities\"", "\"quotes\"", "\"diagnostics\""];
        let positions: Vec<usize> = order.iter().map(|k| json.find(k).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{json}");
    }

    #[test]
    fn text_lines_read_like_a_compiler() {
        let (text, analysis) = sample();
        let report = FileReport::new("story.txt", &text, &analysis);
        let lines: Vec<String> = report.text_lines().collect();
        assert_eq!(
            lines,
            ["story.txt:2:32: error[unbalanced-quote] Quotation mark is never closed"]
        );
    }
}
