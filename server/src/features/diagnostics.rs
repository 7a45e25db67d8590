//! The diagnostics an article gets: the core's findings plus the naming checks, configured.
//!
//! One pipeline for the editor and `copydesk check`: the core's findings (unattributed-quote
//! only for quotations of at least `min-quote-words` words), then `first-reference` and
//! `name-variant` from [`naming`](super::naming), then suppression comments, then each rule's
//! configured severity (or off). Every diagnostic links to its section of docs/rules.md.

use std::sync::Arc;

use super::article::{fewer_words_than, Article};
use super::edit::Fix;
use super::naming::{self, NamingFinding};
use super::suppress::{is_suppressed, suppressions, suppressions_reusing, Suppression};
use crate::analysis::shift::EditedFrom;
use crate::analysis::{Analysis, Finding, Quote, Rule, Severity, Span};
use crate::config::file::ConfigError;
use crate::config::Config;

/// Where the rules are explained by default; each rule's code is its anchor there. Built from
/// the `repository` in server/Cargo.toml, the one place the project's address is written; the
/// `rules-url` setting points elsewhere (a newsroom's own copy).
pub const RULES_URL: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules.md");

/// The link to a code's section of the rules page at `base` (every code is a heading in
/// docs/rules.md; a test checks).
pub fn rule_url(base: &str, code: &str) -> String {
    format!("{base}#{code}")
}

/// Code of the diagnostic for a suppression comment naming no rule.
pub const UNKNOWN_RULE: &str = "unknown-rule";
/// Code of the diagnostic for a configuration file that could not be used.
pub const BAD_CONFIG: &str = "bad-config";

/// A diagnostic ready to publish: the LSP layer only converts its span and severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule, or `None` for problems with Copydesk's own comments and configuration.
    pub rule: Option<Rule>,
    pub code: &'static str,
    pub severity: Severity,
    pub span: Span,
    /// Shared with the analysis' finding it reports, when it reports one (not copied per publish).
    pub message: Arc<str>,
    /// The fix a code action offers, when the check knows one.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// The link to this diagnostic's explanation in the rules page at `base` (`Config::rules_url`).
    pub fn url(&self, base: &str) -> String {
        rule_url(base, self.code)
    }
}

/// Every diagnostic of the article under `config`, in document order.
pub fn diagnostics(article: &Article, config: &Config) -> Vec<Diagnostic> {
    configured(
        article,
        config,
        naming::check(article, &config.register),
        suppressions(article),
    )
}

/// [`diagnostics`] of a document whose article holds `text` and `analysis`: the naming checks'
/// findings are those of the document's last check (`memo`) moved when an edit only moved what
/// they read ([`naming::check_reusing`]). `edited`, when known, says what the edits that made
/// `text` left alone, so that finding what they replaced does not compare the whole texts.
/// Same result.
pub fn diagnostics_reusing(
    memo: &mut naming::NamingMemo,
    text: &Arc<str>,
    edited: Option<&EditedFrom>,
    analysis: &Arc<Analysis>,
    article: &Article,
    config: &Config,
) -> Vec<Diagnostic> {
    // The last text is kept by the memo: what the edit replaced is worked out once for the
    // naming findings and the suppression comments, which both move with it.
    let last = memo.text().cloned();
    let shifts = last
        .as_ref()
        .map(|last| EditedFrom::shifts(edited, last, text))
        .unwrap_or_default();
    let moved = edited.and_then(|e| e.moved.as_ref());
    let found = naming::check_reusing_shifted(
        memo,
        text,
        analysis,
        article,
        &config.register,
        &shifts,
        moved,
    );
    let edited = last.as_ref().zip(shifts.first());
    let suppressions = suppressions_reusing(&mut memo.suppressions, text, article, edited);
    configured(article, config, found, suppressions)
}

/// The core's findings and the naming findings `found`, suppressed by `suppressions` (the
/// article's) and configured.
fn configured(
    article: &Article,
    config: &Config,
    found: Vec<NamingFinding>,
    suppressions: Vec<Suppression>,
) -> Vec<Diagnostic> {
    let mut raw: Vec<Diagnostic> = Vec::new();
    let quotes = QuoteFinder::new(&article.analysis.quotes);
    for finding in &article.analysis.findings {
        if matches!(finding.rule, Rule::FirstReference | Rule::NameVariant) {
            continue; // computed below, with the register
        }
        if finding.rule == Rule::UnattributedQuote
            && too_short(article, &quotes, finding.span, config.min_quote_words)
        {
            continue;
        }
        raw.push(Diagnostic {
            rule: Some(finding.rule),
            code: finding.rule.code(),
            severity: finding.severity,
            span: finding.span,
            message: Arc::clone(&finding.message),
            fix: None,
        });
    }
    for found in found {
        let f = found.finding;
        raw.push(Diagnostic {
            rule: Some(f.rule),
            code: f.rule.code(),
            severity: f.severity,
            span: f.span,
            message: f.message,
            fix: found.fix,
        });
    }
    let mut out: Vec<Diagnostic> = raw
        .into_iter()
        .filter(|d| {
            d.rule
                .is_none_or(|rule| !is_suppressed(&suppressions, rule, d.span))
        })
        .filter_map(|mut d| {
            if let Some(rule) = d.rule {
                d.severity = config.severity(rule)?;
            }
            Some(d)
        })
        .collect();
    for s in &suppressions {
        for (span, code) in &s.unknown {
            let known: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
            out.push(Diagnostic {
                rule: None,
                code: UNKNOWN_RULE,
                severity: Severity::Warning,
                span: *span,
                message: format!(
                    "“{code}” is not a Copydesk rule; rules are {}",
                    known.join(", ")
                )
                .into(),
                fix: None,
            });
        }
    }
    out.sort_by(|a, b| (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code)));
    out
}

/// The configured diagnostics as [`Finding`]s (`copydesk check` reports them in the analysis'
/// place); problems with Copydesk's own comments, which name no rule, are left to the editor.
pub fn findings(article: &Article, config: &Config) -> Vec<Finding> {
    diagnostics(article, config)
        .into_iter()
        .filter_map(|d| {
            Some(Finding {
                rule: d.rule?,
                severity: d.severity,
                span: d.span,
                message: d.message,
            })
        })
        .collect()
}

/// Whether the quotation a finding is about has fewer words than `min` (then it needs no source).
fn too_short(article: &Article, quotes: &QuoteFinder, span: Span, min: usize) -> bool {
    let quote = quotes.about(&article.analysis.quotes, span);
    let text = quote.map_or_else(|| article.slice(span), |q| article.slice(q.span));
    fewer_words_than(text, min)
}

/// Finds the quotation a finding is about: the first one overlapping its span (or equal to
/// it). The analysis' quotations are in document order and do not overlap, so the first that
/// may be it is found by bisection: an article has a finding per unattributed quotation, and
/// this runs on every keystroke. Quotations out of order get the plain search.
struct QuoteFinder {
    in_order: bool,
}

impl QuoteFinder {
    fn new(quotes: &[Quote]) -> Self {
        QuoteFinder {
            in_order: quotes.windows(2).all(|w| w[0].span.end <= w[1].span.start),
        }
    }

    fn about<'q>(&self, quotes: &'q [Quote], span: Span) -> Option<&'q Quote> {
        let is_it = |q: &&Quote| q.span.overlaps(span) || q.span == span;
        if !self.in_order {
            return quotes.iter().find(is_it);
        }
        // Before `from` a quotation ends before the span starts; from the first starting after
        // the span ends on, none can overlap or equal it.
        let from = quotes.partition_point(|q| q.span.end < span.start);
        quotes[from..]
            .iter()
            .take_while(|q| q.span.start <= span.end)
            .find(is_it)
    }
}

/// The diagnostic for a configuration file that could not be used (published on that file).
pub fn config_diagnostic(error: &ConfigError) -> Diagnostic {
    Diagnostic {
        rule: None,
        code: BAD_CONFIG,
        severity: Severity::Error,
        span: error.span,
        message: format!("{}; using the default configuration", error.message).into(),
        fix: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Attribution, EntityKind, QuoteKind};
    use crate::config::Settings;
    use crate::features::article::Language;
    use crate::features::testkit::{ferry, find, Kit, FERRY};

    #[test]
    fn core_findings_and_naming_checks_come_out_configured() {
        let kit = ferry();
        let article = Article::new(&kit.text, &kit.analysis, Language::PlainText);
        let found = diagnostics(&article, &Config::default());
        let codes: Vec<(&str, Severity, Span)> =
            found.iter().map(|d| (d.code, d.severity, d.span)).collect();
        assert_eq!(
            codes,
            vec![(
                "unattributed-quote",
                Severity::Warning,
                find(FERRY, "“It is the end of the cheap crossing.”", 0)
            )]
        );
        assert_eq!(
            found[0].url(RULES_URL),
            format!(
                "{}/blob/main/docs/rules.md#unattributed-quote",
                env!("CARGO_PKG_REPOSITORY")
            )
        );
        let settings = crate::config::file::parse("min-quote-words = 9\n").unwrap();
        assert_eq!(
            diagnostics(&article, &Config::resolve([&settings])),
            vec![],
            "8 words < 9"
        );
        let settings =
            crate::config::file::parse("[rules]\nunattributed-quote = \"error\"\n").unwrap();
        assert_eq!(
            diagnostics(&article, &Config::resolve([&settings]))[0].severity,
            Severity::Error
        );
        let settings =
            crate::config::file::parse("[rules]\nunattributed-quote = \"off\"\n").unwrap();
        assert_eq!(diagnostics(&article, &Config::resolve([&settings])), vec![]);
    }

    /// GitHub's anchor for a Markdown heading: lowercase, spaces to hyphens, other punctuation
    /// than `-` and `_` dropped.
    fn anchor(heading: &str) -> String {
        heading
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_code_that_links_has_its_heading_in_docs_rules_md() {
        let rules =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/rules.md"))
                .unwrap();
        let mut in_code_block = false;
        let mut anchors = Vec::new();
        for line in rules.lines() {
            if line.starts_with("```") {
                in_code_block = !in_code_block;
            } else if !in_code_block && line.starts_with('#') {
                anchors.push(anchor(line.trim_start_matches('#')));
            }
        }
        let mut codes: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
        codes.extend([UNKNOWN_RULE, BAD_CONFIG, crate::lsp::size_limit::CODE]);
        for code in codes {
            assert!(
                anchors.iter().any(|a| a == code),
                "docs/rules.md has no heading for {code}: {anchors:?}"
            );
            let url = rule_url(RULES_URL, code);
            assert!(url.starts_with("https://"), "{url}");
            assert!(
                url.ends_with(&format!("/blob/main/docs/rules.md#{code}")),
                "{url}"
            );
        }
        assert_eq!(
            anchor("Rule: first-reference (AP)"),
            "rule-first-reference-ap"
        );
    }

    #[test]
    fn quote_finder_finds_what_the_plain_search_finds() {
        let quote = |start, end| crate::analysis::Quote {
            span: Span::new(start, end),
            kind: QuoteKind::Full,
            attribution: Attribution::None,
            speaker: None,
            continues: None,
        };
        let plain = |quotes: &[crate::analysis::Quote], span: Span| {
            quotes
                .iter()
                .position(|q| q.span.overlaps(span) || q.span == span)
        };
        let sets = [
            vec![
                quote(2, 5),
                quote(5, 9),
                quote(12, 20),
                quote(20, 21),
                quote(30, 40),
            ],
            vec![quote(0, 1)],
            vec![],
            // Out of order or overlapping: the plain search.
            vec![quote(12, 20), quote(2, 5), quote(4, 14)],
        ];
        for quotes in &sets {
            let finder = QuoteFinder::new(quotes);
            for start in 0..42 {
                for end in start..44 {
                    let span = Span::new(start, end);
                    let found = finder
                        .about(quotes, span)
                        .and_then(|f| quotes.iter().position(|q| std::ptr::eq(q, f)));
                    assert_eq!(found, plain(quotes, span), "{span:?} in {quotes:?}");
                }
            }
        }
    }

    #[test]
    fn suppressed_and_naming_findings() {
        let text = "Title

Okafor said the vote was close. Chidi Okafor said it again.

<!-- copydesk-disable-next-line unattributed-quote first-referenc -->
“We lost by one vote.”
";
        let mut kit = Kit::new(text, true);
        kit.entity(
            EntityKind::Person,
            "Chidi Okafor",
            &["Okafor", "Chidi Okafor"],
        );
        kit.quote(
            "“We lost by one vote.”",
            0,
            QuoteKind::Full,
            Attribution::None,
            None,
            None,
        );
        kit.finding(
            Rule::UnattributedQuote,
            find(text, "“We lost by one vote.”", 0),
            "no speaker",
        );
        kit.finding(Rule::MarkupResidue, find(text, "<!--", 0), "HTML residue");
        let article = Article::new(&kit.text, &kit.analysis, Language::Markdown);
        let found = diagnostics(&article, &Config::default());
        let codes: Vec<(&str, Severity, &str)> = found
            .iter()
            .map(|d| (d.code, d.severity, article.slice(d.span)))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("first-reference", Severity::Info, "Okafor"),
                ("unknown-rule", Severity::Warning, "first-referenc")
            ]
        );
        assert!(found[0].fix.is_some());
        let off =
            Settings::from_json(&serde_json::json!({"rules": {"first-reference": false}})).unwrap();
        assert_eq!(diagnostics(&article, &Config::resolve([&off])).len(), 1);
    }
}
