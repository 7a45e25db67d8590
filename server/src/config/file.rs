//! `.copydesk.toml`: finding it by walking up from a document, and reading it with a located error.
//!
//! Parsing goes through the `toml` crate into [`Settings`] with unknown keys denied, so a typo
//! ("quote-styl") is an error at its line instead of a silently ignored key. A file that fails to
//! read or parse yields a [`ConfigError`] (one diagnostic at its line) and the caller falls back
//! to the defaults.

use std::path::{Path, PathBuf};

use super::Settings;
use crate::analysis::Span;

/// The configuration file's name.
pub const FILE_NAME: &str = ".copydesk.toml";

/// Why a configuration file could not be used, and where in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// Byte span of the offending text in the file (empty at 0 when the file could not be read).
    pub span: Span,
    /// 1-based line of `span.start`.
    pub line: usize,
    /// 1-based column of `span.start`, in characters.
    pub column: usize,
    /// What is wrong, in one line ("unknown field `quote-styl`, expected one of …").
    pub message: String,
}

/// A configuration file that was found: its settings, or the error that made it unusable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedFile {
    pub path: PathBuf,
    pub result: Result<Settings, ConfigError>,
}

impl LoadedFile {
    /// The settings to use: the file's, or none (defaults) when it is broken.
    pub fn settings(&self) -> Settings {
        self.result.clone().unwrap_or_default()
    }
}

/// The nearest `.copydesk.toml` in the document's folder or above it, stopping at `root`
/// (inclusive) and never going above it. A document outside `root` only looks in its own folder.
/// With no root (the CLI), the walk goes up to the filesystem root.
pub fn find(document: &Path, root: Option<&Path>) -> Option<PathBuf> {
    let start = document.parent()?;
    let mut dir = Some(start);
    while let Some(current) = dir {
        let candidate = current.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        match root {
            Some(root) if current == root || !current.starts_with(root) => return None,
            _ => dir = current.parent(),
        }
    }
    None
}

/// Find and read the configuration file for a document.
pub fn load_for(document: &Path, root: Option<&Path>) -> Option<LoadedFile> {
    find(document, root).map(|path| load(&path))
}

/// The configuration for a file checked from the command line (`-` is stdin, looked up from
/// the current folder): the nearest `.copydesk.toml` up to the filesystem root over the
/// defaults, and the file it came from (whose error, if any, the caller reports).
pub fn config_for_path(path: &Path) -> (super::Config, Option<LoadedFile>) {
    let document = if path == Path::new("-") {
        std::env::current_dir()
            .map(|d| d.join("-"))
            .unwrap_or_else(|_| PathBuf::from("./-"))
    } else {
        std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
    };
    let loaded = load_for(&document, None);
    let settings = loaded
        .as_ref()
        .map(LoadedFile::settings)
        .unwrap_or_default();
    (super::Config::resolve([&settings]), loaded)
}

/// Read and parse one configuration file.
pub fn load(path: &Path) -> LoadedFile {
    let result = match std::fs::read_to_string(path) {
        Ok(text) => parse(&text),
        Err(err) => Err(ConfigError {
            span: Span::new(0, 0),
            line: 1,
            column: 1,
            message: format!("cannot read {}: {err}", path.display()),
        }),
    };
    LoadedFile {
        path: path.to_path_buf(),
        result,
    }
}

/// Parse configuration text.
pub fn parse(text: &str) -> Result<Settings, ConfigError> {
    toml::from_str::<Settings>(text).map_err(|err| {
        let range = err.span().unwrap_or(0..0);
        let start = floor_char_boundary(text, range.start.min(text.len()));
        let end = floor_char_boundary(text, range.end.clamp(start, text.len()));
        let before = &text[..start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..start].chars().count() + 1;
        ConfigError {
            span: Span::new(start, end),
            line,
            column,
            message: err.message().trim().replace('\n', " "),
        }
    })
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{QuoteStyle, RuleSetting};

    #[test]
    fn parses_every_key() {
        let settings = parse(
            r#"
quote-style = "straight"
min-quote-words = 4
speech-verbs = ["quipped"]

[rules]
unattributed-quote = "error"
first-reference = "off"
name-variant = false

[[people]]
name = "Marta Okonkwo-Reyes"
aliases = ["Okonkwo Reyes"]
description = "Harbour commissioner since 2021"

[[organizations]]
name = "Vellmar Port Authority"
"#,
        )
        .unwrap();
        assert_eq!(settings.quote_style, Some(QuoteStyle::Straight));
        assert_eq!(settings.min_quote_words, Some(4));
        let rules = settings.rules.unwrap();
        assert_eq!(rules.first_reference, Some(RuleSetting::Off));
        assert_eq!(rules.name_variant, Some(RuleSetting::Off));
        let people = settings.people.unwrap();
        assert_eq!(people[0].aliases, vec!["Okonkwo Reyes".to_string()]);
        assert_eq!(settings.organizations.unwrap()[0].description, None);
    }

    #[test]
    fn an_unknown_key_is_an_error_at_its_line() {
        let err = parse("min-quote-words = 2\n\nquote-styl = \"curly\"\n").unwrap_err();
        assert_eq!((err.line, err.column), (3, 1));
        assert!(err.message.contains("quote-styl"), "{}", err.message);
    }

    #[test]
    fn a_bad_value_and_a_syntax_error_are_located() {
        let err = parse("[rules]\nmarkup-residue = \"loud\"\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("loud"), "{}", err.message);
        let err = parse("quote-style = “curly”\n").unwrap_err();
        assert_eq!(err.line, 1);
        let err = parse("[[people]]\ndescription = \"no name\"\n").unwrap_err();
        assert!(err.message.contains("name"), "{}", err.message);
    }

    #[test]
    fn finds_the_nearest_file_but_never_above_the_root() {
        let base = std::env::temp_dir().join(format!("copydesk-config-{}", std::process::id()));
        let root = base.join("newsroom");
        let desk = root.join("desk").join("world");
        std::fs::create_dir_all(&desk).unwrap();
        std::fs::write(base.join(FILE_NAME), "quote-style = \"curly\"\n").unwrap();
        let article = desk.join("story.md");
        assert_eq!(
            find(&article, Some(&root)),
            None,
            "the file above the root is ignored"
        );
        assert_eq!(find(&article, None), Some(base.join(FILE_NAME)));
        std::fs::write(root.join(FILE_NAME), "").unwrap();
        assert_eq!(find(&article, Some(&root)), Some(root.join(FILE_NAME)));
        std::fs::write(desk.join(FILE_NAME), "min-quote-words = 3\n").unwrap();
        let loaded = load_for(&article, Some(&root)).unwrap();
        assert_eq!(loaded.path, desk.join(FILE_NAME));
        assert_eq!(loaded.settings().min_quote_words, Some(3));
        std::fs::write(desk.join(FILE_NAME), "min-quote-words = \"three\"\n").unwrap();
        let loaded = load_for(&article, Some(&root)).unwrap();
        assert!(loaded.result.is_err());
        assert_eq!(loaded.settings(), Settings::default());
        std::fs::remove_dir_all(&base).unwrap();
    }
}
