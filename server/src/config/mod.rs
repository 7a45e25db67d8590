//! Copydesk's configuration: `.copydesk.toml` and LSP settings share one set of keys, merged over defaults.
//!
//! [`Settings`] is what a user wrote (every key optional), from a file ([`file`]) or from the
//! client's `initializationOptions` / `workspace/didChangeConfiguration` ([`Settings::from_json`]).
//! [`Config::resolve`] layers them: defaults, then LSP settings, then the project's
//! `.copydesk.toml` (the newsroom's house rules are more specific than one editor's settings).
//! Scalars from a later layer win; speech verbs and register entries are merged.
//! Every key is documented in docs/configuration.md.

pub mod file;
pub mod register;

use std::fmt;
use std::num::NonZeroU64;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use crate::analysis::{Rule, Severity};
pub use register::{Register, RegisterEntry};

/// How the article should write its quotation marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteStyle {
    /// Follow the article's majority style (curly unless most marks are straight).
    #[default]
    Auto,
    /// “Curly” marks.
    Curly,
    /// "Straight" marks, as many wire systems and CMSs want.
    Straight,
}

/// A rule's configured state: off, or on at a severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSetting {
    Off,
    /// On at the rule's default severity (`true` in a file).
    Default,
    On(Severity),
}

impl<'de> Deserialize<'de> for RuleSetting {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SettingVisitor;
        impl Visitor<'_> for SettingVisitor {
            type Value = RuleSetting;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(r#""off", "hint", "info", "warning", "error", true or false"#)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RuleSetting, E> {
                Ok(if v {
                    RuleSetting::Default
                } else {
                    RuleSetting::Off
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RuleSetting, E> {
                match v.to_ascii_lowercase().as_str() {
                    "off" | "none" | "false" => Ok(RuleSetting::Off),
                    "on" | "true" | "default" => Ok(RuleSetting::Default),
                    "hint" => Ok(RuleSetting::On(Severity::Hint)),
                    "info" | "information" => Ok(RuleSetting::On(Severity::Info)),
                    "warning" | "warn" => Ok(RuleSetting::On(Severity::Warning)),
                    "error" => Ok(RuleSetting::On(Severity::Error)),
                    _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
                }
            }
        }
        deserializer.deserialize_any(SettingVisitor)
    }
}

/// The `[rules]` table: one optional setting per rule code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleSettings {
    pub unattributed_quote: Option<RuleSetting>,
    pub unbalanced_quote: Option<RuleSetting>,
    pub markup_residue: Option<RuleSetting>,
    pub unresolved_pronoun_speaker: Option<RuleSetting>,
    pub first_reference: Option<RuleSetting>,
    pub name_variant: Option<RuleSetting>,
}

impl RuleSettings {
    pub fn get(&self, rule: Rule) -> Option<RuleSetting> {
        match rule {
            Rule::UnattributedQuote => self.unattributed_quote,
            Rule::UnbalancedQuote => self.unbalanced_quote,
            Rule::MarkupResidue => self.markup_residue,
            Rule::UnresolvedPronounSpeaker => self.unresolved_pronoun_speaker,
            Rule::FirstReference => self.first_reference,
            Rule::NameVariant => self.name_variant,
        }
    }
}

/// Configuration as written: every key optional. The same keys in `.copydesk.toml` and LSP settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    pub rules: Option<RuleSettings>,
    pub quote_style: Option<QuoteStyle>,
    pub min_quote_words: Option<usize>,
    pub speech_verbs: Option<Vec<String>>,
    pub people: Option<Vec<RegisterEntry>>,
    pub organizations: Option<Vec<RegisterEntry>>,
    /// Documents larger than this many bytes are kept in sync but not analysed (zero is refused).
    pub max_document_bytes: Option<NonZeroU64>,
    /// The rules page diagnostics link to (an http, https or file URL with no `#`).
    pub rules_url: Option<RulesUrl>,
}

/// A validated `rules-url`: `http://`, `https://` or `file://`, no spaces, no fragment (each
/// diagnostic adds `#code`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesUrl(pub String);

impl<'de> Deserialize<'de> for RulesUrl {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let url = String::deserialize(deserializer)?;
        let scheme_ok = ["https://", "http://", "file://"]
            .iter()
            .any(|s| url.starts_with(s) && url.len() > s.len());
        if !scheme_ok || url.contains(char::is_whitespace) || url.contains('#') {
            return Err(de::Error::invalid_value(
                de::Unexpected::Str(&url),
                &"an http(s) or file URL of the rules page, without spaces or a #fragment",
            ));
        }
        Ok(RulesUrl(url))
    }
}

impl Settings {
    /// Settings from LSP `initializationOptions` or `didChangeConfiguration` settings: either the
    /// keys themselves or an object with them under `"copydesk"` (VS Code's section). `null` is
    /// empty settings. The error names the key at fault.
    pub fn from_json(value: &serde_json::Value) -> Result<Settings, String> {
        let inner = match value {
            serde_json::Value::Null => return Ok(Settings::default()),
            serde_json::Value::Object(map) => match map.get("copydesk") {
                Some(section) if map.len() == 1 => section,
                _ => value,
            },
            _ => value,
        };
        if inner.is_null() {
            return Ok(Settings::default());
        }
        Settings::deserialize(inner).map_err(|e| format!("copydesk settings: {e}"))
    }
}

/// Options the analysis core takes from configuration: plain data, no dependencies, so that
/// `analysis` can accept it without knowing where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalysisOptions {
    /// A full or partial quotation with fewer words than this needs no attribution.
    pub min_quote_words: usize,
    /// Verbs of speech beyond the built-in table ("quipped", "posted"), lowercase base forms or
    /// inflected forms as the user wrote them.
    pub extra_speech_verbs: Vec<String>,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            min_quote_words: DEFAULT_MIN_QUOTE_WORDS,
            extra_speech_verbs: Vec::new(),
        }
    }
}

/// By default every full or partial quotation needs a source.
pub const DEFAULT_MIN_QUOTE_WORDS: usize = 1;

/// Documents above 20 MiB are not analysed unless `max-document-bytes` says otherwise.
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 20 * 1024 * 1024;

/// Configuration resolved over the defaults: what the features consult.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    rules: [RuleSetting; Rule::ALL.len()],
    pub quote_style: QuoteStyle,
    pub min_quote_words: usize,
    pub speech_verbs: Vec<String>,
    pub register: Register,
    /// The size limit from configuration; the LSP layer lets `COPYDESK_MAX_DOCUMENT_BYTES`
    /// override it (`lsp::size_limit`).
    pub max_document_bytes: usize,
    /// The rules page diagnostic codes link to (`features::diagnostics::RULES_URL` by default).
    pub rules_url: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            rules: [RuleSetting::Default; Rule::ALL.len()],
            quote_style: QuoteStyle::Auto,
            min_quote_words: DEFAULT_MIN_QUOTE_WORDS,
            speech_verbs: Vec::new(),
            register: Register::default(),
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
            rules_url: crate::features::diagnostics::RULES_URL.to_owned(),
        }
    }
}

impl Config {
    /// Layer settings over the defaults, lowest precedence first.
    pub fn resolve<'a>(layers: impl IntoIterator<Item = &'a Settings>) -> Config {
        let mut config = Config::default();
        for layer in layers {
            config.apply(layer);
        }
        config
    }

    fn apply(&mut self, settings: &Settings) {
        if let Some(rules) = &settings.rules {
            for (slot, rule) in self.rules.iter_mut().zip(Rule::ALL) {
                if let Some(setting) = rules.get(rule) {
                    *slot = setting;
                }
            }
        }
        if let Some(style) = settings.quote_style {
            self.quote_style = style;
        }
        if let Some(min) = settings.min_quote_words {
            self.min_quote_words = min;
        }
        if let Some(url) = &settings.rules_url {
            self.rules_url = url.0.clone();
        }
        if let Some(max) = settings.max_document_bytes {
            self.max_document_bytes = usize::try_from(max.get()).unwrap_or(usize::MAX);
        }
        for verb in settings.speech_verbs.iter().flatten() {
            let verb = verb.trim().to_lowercase();
            if !verb.is_empty() && !self.speech_verbs.contains(&verb) {
                self.speech_verbs.push(verb);
            }
        }
        for entry in settings.people.iter().flatten() {
            self.register.add_person(entry.clone());
        }
        for entry in settings.organizations.iter().flatten() {
            self.register.add_organization(entry.clone());
        }
    }

    /// The severity a rule's findings get, or `None` when the rule is off.
    pub fn severity(&self, rule: Rule) -> Option<Severity> {
        let index = Rule::ALL.iter().position(|r| *r == rule)?;
        match self
            .rules
            .get(index)
            .copied()
            .unwrap_or(RuleSetting::Default)
        {
            RuleSetting::Off => None,
            RuleSetting::Default => Some(rule.default_severity()),
            RuleSetting::On(severity) => Some(severity),
        }
    }

    /// What the analysis core needs from the configuration.
    pub fn analysis_options(&self) -> AnalysisOptions {
        AnalysisOptions {
            min_quote_words: self.min_quote_words,
            extra_speech_verbs: self.speech_verbs.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_enable_every_rule_at_its_default_severity() {
        let config = Config::default();
        for rule in Rule::ALL {
            assert_eq!(config.severity(rule), Some(rule.default_severity()));
        }
        assert_eq!(config.analysis_options(), AnalysisOptions::default());
    }

    #[test]
    fn later_layers_override_scalars_and_merge_lists() {
        let user = Settings::from_json(&serde_json::json!({"copydesk": {
            "quote-style": "straight",
            "min-quote-words": 3,
            "speech-verbs": ["Quipped"],
            "rules": {"first-reference": "off", "name-variant": "error"}
        }}))
        .unwrap();
        let project = file::parse(
            "quote-style = \"curly\"\nspeech-verbs = [\"posted\", \"quipped\"]\n[rules]\nfirst-reference = true\n",
        )
        .unwrap();
        let config = Config::resolve([&user, &project]);
        assert_eq!(config.quote_style, QuoteStyle::Curly);
        assert_eq!(config.min_quote_words, 3);
        assert_eq!(
            config.speech_verbs,
            vec!["quipped".to_string(), "posted".to_string()]
        );
        assert_eq!(config.severity(Rule::FirstReference), Some(Severity::Info));
        assert_eq!(config.severity(Rule::NameVariant), Some(Severity::Error));
        assert_eq!(
            config.analysis_options(),
            AnalysisOptions {
                min_quote_words: 3,
                extra_speech_verbs: vec!["quipped".into(), "posted".into()]
            }
        );
    }

    #[test]
    fn max_document_bytes_is_a_positive_byte_count() {
        assert_eq!(Config::default().max_document_bytes, 20 * 1024 * 1024);
        let settings = file::parse("max-document-bytes = 1048576\n").unwrap();
        assert_eq!(Config::resolve([&settings]).max_document_bytes, 1 << 20);
        let json = Settings::from_json(&serde_json::json!({"max-document-bytes": 4096})).unwrap();
        assert_eq!(Config::resolve([&json]).max_document_bytes, 4096);
        for bad in [
            "max-document-bytes = 0\n",
            "max-document-bytes = -5\n",
            "max-document-bytes = \"20MB\"\n",
        ] {
            let err = file::parse(bad).unwrap_err();
            assert_eq!(err.line, 1, "{bad}");
            assert!(err.message.contains("invalid"), "{bad}: {}", err.message);
        }
        assert!(Settings::from_json(&serde_json::json!({"max-document-bytes": 0})).is_err());
    }

    #[test]
    fn rules_url_is_a_validated_url() {
        let settings =
            file::parse("rules-url = \"https://desk.example/copydesk/rules.html\"\n").unwrap();
        assert_eq!(
            Config::resolve([&settings]).rules_url,
            "https://desk.example/copydesk/rules.html"
        );
        assert!(Config::default()
            .rules_url
            .ends_with("/blob/main/docs/rules.md"));
        for bad in [
            "rules-url = \"desk/rules.md\"\n",
            "rules-url = \"https://x/rules.md#top\"\n",
            "rules-url = \"https://\"\n",
        ] {
            let err = file::parse(bad).unwrap_err();
            assert!(err.message.contains("rules page"), "{bad}: {}", err.message);
        }
    }

    #[test]
    fn json_settings_report_the_bad_key() {
        let err = Settings::from_json(&serde_json::json!({"quote-styl": "curly"})).unwrap_err();
        assert!(err.contains("quote-styl"), "{err}");
        let err = Settings::from_json(&serde_json::json!({"rules": {"markup-residue": "loud"}}))
            .unwrap_err();
        assert!(err.contains("loud"), "{err}");
        assert_eq!(
            Settings::from_json(&serde_json::Value::Null),
            Ok(Settings::default())
        );
    }
}
