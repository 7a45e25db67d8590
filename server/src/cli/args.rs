//! Command-line arguments: the `copydesk` commands and their flags (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::analysis::Severity;

/// Copydesk reads news articles and knows who is named, who is quoted, and which quotation has
/// no source: a language server for editors, and `check` for CI and batch work.
#[derive(Debug, Parser)]
#[command(name = "copydesk", version, about, long_about = None)]
pub struct Cli {
    /// Speak LSP over stdin/stdout (the same as `copydesk serve`).
    #[arg(long)]
    pub stdio: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the language server over stdin/stdout (what editors start).
    Serve(ServeArgs),
    /// Check articles: print their findings (text) or their full analysis (json).
    ///
    /// Exit codes: 0 no finding at or above --fail-on; 1 at least one; 2 a usage or I/O error
    /// (the message names the file).
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Accepted for editors that append it (VS Code does); stdio is the only transport.
    #[arg(long)]
    pub stdio: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Articles to check (plain text or Markdown, UTF-8); `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// `text`: one `file:line:col: severity[code] message` line per finding.
    /// `json`: one JSON object per file (JSON Lines), schema in docs/cli.md.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Exit with 1 when a finding is at least this severe.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    /// The least severe finding that fails the run, or `None` for `never`.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}
