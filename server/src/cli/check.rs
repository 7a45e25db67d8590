//! `copydesk check`: analyse files headlessly and report, with exit codes CI can rely on.
//!
//! Exit codes are final: 0 no finding at or above `--fail-on`; 1 at least one; 2 a usage or I/O
//! error (the message names the file). A file that cannot be read does not stop the others.

use std::io::{self, Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::process::ExitCode;

use crate::analysis::{analyze_with, Analysis, Finding, Severity};
use crate::config::{AnalysisOptions, Config};

use super::args::{CheckArgs, Format};
use super::report::FileReport;

/// What the run found, for the exit code and the summary.
#[derive(Debug, Default)]
struct Tally {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    failing: bool,
    broken: bool,
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut tally = Tally::default();
    let threshold = args.fail_on.threshold();
    let mut reported_configs = Vec::new();

    for path in &args.files {
        let display = path.to_string_lossy();
        let text = match read_article(path) {
            Ok(text) => text,
            Err(message) => {
                eprintln!("copydesk: {display}: {message}");
                tally.broken = true;
                continue;
            }
        };
        let config = load_config(path, &mut reported_configs);
        let Some(analysis) = analyze_guarded(&text, &config.analysis_options()) else {
            eprintln!("copydesk: {display}: internal error while analysing (please report it)");
            tally.broken = true;
            continue;
        };
        // Configured findings: the same pipeline and `.copydesk.toml` as the editor.
        let analysis = configured(path, &text, analysis, &config);
        let report = FileReport::new(&display, &text, &analysis);
        let written = match args.format {
            Format::Json => writeln!(out, "{}", report.to_json()),
            Format::Text => report
                .text_lines()
                .try_for_each(|line| writeln!(out, "{line}")),
        };
        if let Err(err) = written.and_then(|()| out.flush()) {
            // Most likely a closed pipe (`| head`): nothing more can be reported.
            eprintln!("copydesk: cannot write the report: {err}");
            return ExitCode::from(2);
        }
        tally.add(&analysis.findings, threshold);
    }

    if args.format == Format::Text {
        eprintln!(
            "copydesk: checked {} file{}: {} error{}, {} warning{}, {} info",
            tally.files,
            plural(tally.files),
            tally.errors,
            plural(tally.errors),
            tally.warnings,
            plural(tally.warnings),
            tally.infos,
        );
    }
    ExitCode::from(tally.exit_code())
}

impl Tally {
    /// Counts one file's findings; `threshold` is the least severity that fails the run.
    fn add(&mut self, findings: &[Finding], threshold: Option<Severity>) {
        self.files += 1;
        for finding in findings {
            match finding.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
                Severity::Hint => {}
            }
            if threshold.is_some_and(|least| finding.severity >= least) {
                self.failing = true;
            }
        }
    }

    /// 2 for any usage or I/O error, else 1 for findings at or above the threshold, else 0.
    fn exit_code(&self) -> u8 {
        if self.broken {
            2
        } else if self.failing {
            1
        } else {
            0
        }
    }
}

/// The configuration for `path` (its `.copydesk.toml`). A broken file is reported once on
/// stderr, compiler-style at its line, and the defaults apply.
fn load_config(path: &Path, reported: &mut Vec<std::path::PathBuf>) -> Config {
    let (config, loaded) = crate::config::file::config_for_path(path);
    if let Some(loaded) = loaded {
        if let (Err(error), false) = (&loaded.result, reported.contains(&loaded.path)) {
            eprintln!(
                "{}:{}:{}: error[bad-config] {}; using the default configuration",
                loaded.path.display(),
                error.line,
                error.column,
                error.message
            );
            reported.push(loaded.path.clone());
        }
    }
    config
}

/// The analysis with its findings replaced by the configured diagnostics (naming checks, rule
/// settings and suppression comments included).
fn configured(path: &Path, text: &str, analysis: Analysis, config: &Config) -> Analysis {
    let language =
        crate::features::Language::from_id(path.extension().and_then(|e| e.to_str()).unwrap_or(""));
    let article = crate::features::Article::new(text, &analysis, language);
    let findings = crate::features::diagnostics::findings(&article, config);
    Analysis {
        findings,
        ..analysis
    }
}

/// Reads a file (or stdin for `-`) as UTF-8 text; the error message says what went wrong.
fn read_article(path: &Path) -> Result<String, String> {
    let bytes = if path == Path::new("-") {
        let mut bytes = Vec::new();
        io::stdin().lock().read_to_end(&mut bytes).map(|_| bytes)
    } else {
        std::fs::read(path)
    }
    .map_err(|err| err.to_string())?;
    String::from_utf8(bytes).map_err(|err| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            err.utf8_error().valid_up_to()
        )
    })
}

/// The analysis of `text`, or `None` if the analysis panicked: one bad file must not lose the
/// reports of the others.
fn analyze_guarded(text: &str, options: &AnalysisOptions) -> Option<Analysis> {
    catch_unwind(AssertUnwindSafe(|| analyze_with(text, options))).ok()
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Rule, Span};
    use crate::cli::args::FailOn;

    fn finding(severity: Severity) -> Finding {
        Finding {
            rule: Rule::UnattributedQuote,
            severity,
            span: Span::new(0, 1),
            message: "".into(),
        }
    }

    fn exit_code(findings: &[Severity], fail_on: FailOn) -> u8 {
        let mut tally = Tally::default();
        let findings: Vec<Finding> = findings.iter().map(|&s| finding(s)).collect();
        tally.add(&findings, fail_on.threshold());
        tally.exit_code()
    }

    #[test]
    fn findings_at_or_above_fail_on_give_1() {
        use Severity::*;
        assert_eq!(exit_code(&[], FailOn::Info), 0);
        assert_eq!(exit_code(&[Warning], FailOn::Error), 0);
        assert_eq!(exit_code(&[Warning], FailOn::Warning), 1);
        assert_eq!(exit_code(&[Error], FailOn::Warning), 1);
        assert_eq!(exit_code(&[Info], FailOn::Warning), 0);
        assert_eq!(exit_code(&[Info], FailOn::Info), 1);
        assert_eq!(exit_code(&[Hint], FailOn::Info), 0);
        assert_eq!(exit_code(&[Error, Warning], FailOn::Never), 0);
    }

    #[test]
    fn io_errors_win_over_findings() {
        let mut tally = Tally::default();
        tally.add(&[finding(Severity::Error)], FailOn::Error.threshold());
        tally.broken = true;
        assert_eq!(tally.exit_code(), 2);
        assert_eq!((tally.files, tally.errors), (1, 1));
    }
}
