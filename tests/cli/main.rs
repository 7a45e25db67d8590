//! CLI tests: run the real `copydesk` binary's `check`, `--help` and `--version`.
//!
//! These assert the contract that holds whatever the analysis finds: exit codes, error
//! messages naming files, and JSON whose texts and line/columns agree with the file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const EXAMPLE: &str = "tests/fixtures/articles/example-wire-story.txt";

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(EXAMPLE)
}

fn copydesk(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// A file written into its own temporary folder, removed with the folder when dropped.
struct TempArticle {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl std::ops::Deref for TempArticle {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.path
    }
}

fn temp_file(name: &str, bytes: &[u8]) -> TempArticle {
    let dir = tempfile::Builder::new()
        .prefix("copydesk-cli-")
        .tempdir()
        .unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    TempArticle { _dir: dir, path }
}

/// Byte offset → 1-based (line, column in chars), computed independently of the server.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let lines = before.matches('\n').count() + before.matches('\r').count()
        - before.matches("\r\n").count();
    (lines + 1, before[line_start..].chars().count() + 1)
}

fn assert_consistent(report: &Value, text: &str) {
    let slice = |v: &Value| {
        &text[v["start"].as_u64().unwrap() as usize..v["end"].as_u64().unwrap() as usize]
    };
    for entity in report["entities"].as_array().unwrap() {
        for mention in entity["mentions"].as_array().unwrap() {
            assert_eq!(mention["text"], slice(mention));
        }
    }
    for quote in report["quotes"].as_array().unwrap() {
        assert_eq!(quote["text"], slice(quote));
        if !quote["speaker"].is_null() {
            assert_eq!(quote["speaker"]["text"], slice(&quote["speaker"]));
        }
    }
    for diagnostic in report["diagnostics"].as_array().unwrap() {
        let start = diagnostic["start"].as_u64().unwrap() as usize;
        let (line, column) = line_column(text, start);
        assert_eq!(
            (diagnostic["line"].as_u64(), diagnostic["column"].as_u64()),
            (Some(line as u64), Some(column as u64))
        );
    }
}

/// `copydesk check --format json --fail-on never PATH`, which must succeed: its stdout.
fn json_check(path: &Path) -> String {
    let output = copydesk(
        &[
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            path.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn json_report_of_the_example_follows_the_schema() {
    let path = example();
    let stdout = json_check(&path);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one JSON object per file");
    let report: Value = serde_json::from_str(lines[0]).unwrap();
    let keys: Vec<&String> = report.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 4);
    assert_eq!(report["path"], path.to_str().unwrap());
    assert_consistent(&report, &std::fs::read_to_string(&path).unwrap());
}

#[test]
fn stdin_and_several_files_give_one_line_each() {
    let text = "“Quote,” he said.\r\nLine two: “東京 👍”\r\n";
    let file = temp_file("crlf.txt", text.as_bytes());
    let output = copydesk(
        &["check", "--format", "json", "-", file.to_str().unwrap()],
        text.as_bytes(),
    );
    assert!(matches!(output.status.code(), Some(0 | 1)));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let reports: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["path"], "-");
    for report in &reports {
        assert_consistent(report, text);
    }
}

#[test]
fn text_format_reads_like_a_compiler() {
    let text = "<p>“Unclosed quotation, said nobody.&nbsp;\n\n\"Another.\"\n";
    let file = temp_file("residue.txt", text.as_bytes());
    let output = copydesk(
        &["check", "--fail-on", "never", file.to_str().unwrap()],
        b"",
    );
    assert_eq!(output.status.code(), Some(0));
    let prefix = format!("{}:", file.to_str().unwrap());
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        let rest = line
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("{line}"));
        let mut parts = rest.splitn(3, ':');
        let line_no: usize = parts.next().unwrap().parse().unwrap();
        let column: usize = parts.next().unwrap().parse().unwrap();
        assert!(line_no >= 1 && column >= 1);
        let message = parts.next().unwrap();
        let severity = message.trim_start().split('[').next().unwrap();
        assert!(
            ["error", "warning", "info", "hint"].contains(&severity),
            "{line}"
        );
    }
    assert!(String::from_utf8(output.stderr)
        .unwrap()
        .contains("checked 1 file"));
}

#[test]
fn unreadable_files_are_named_and_exit_2_but_others_are_reported() {
    let missing = "/nonexistent/copydesk/story.txt";
    let path = example();
    let output = copydesk(
        &["check", "--format", "json", missing, path.to_str().unwrap()],
        b"",
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains(missing), "{stderr}");
    assert_eq!(String::from_utf8(output.stdout).unwrap().lines().count(), 1);
}

#[test]
fn non_utf8_files_are_an_error_naming_the_file() {
    let file = temp_file("latin1.txt", b"caf\xe9 \"quote\"");
    let output = copydesk(&["check", file.to_str().unwrap()], b"");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("latin1.txt") && stderr.contains("not UTF-8"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(copydesk(&["check"], b"").status.code(), Some(2));
    assert_eq!(
        copydesk(&["check", "--format", "xml", "a.txt"], b"")
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        copydesk(&["check", "--fail-on", "sometimes", "a.txt"], b"")
            .status
            .code(),
        Some(2)
    );
    assert_eq!(copydesk(&["frobnicate"], b"").status.code(), Some(2));
}

#[test]
fn help_and_version() {
    let help = copydesk(&["--help"], b"");
    assert_eq!(help.status.code(), Some(0));
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(help.contains("check") && help.contains("serve"), "{help}");
    let check_help = String::from_utf8(copydesk(&["check", "--help"], b"").stdout).unwrap();
    assert!(
        check_help.contains("--fail-on") && check_help.contains("--format"),
        "{check_help}"
    );
    let version = copydesk(&["--version"], b"");
    assert_eq!(version.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(version.stdout).unwrap().trim(),
        format!("copydesk {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn bare_copydesk_with_piped_stdin_serves_lsp() {
    // Not a terminal: it speaks LSP, and an empty input ends it (no shutdown: exit code 1).
    let output = copydesk(&[], b"");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
}

#[test]
fn bare_copydesk_on_a_terminal_prints_help() {
    // util-linux `script` gives the binary a pseudo-terminal; without it there is no terminal
    // to test with, so say so rather than pass silently.
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("SKIPPED: `script` (util-linux) is not installed; cannot open a terminal");
        return;
    }
    let command = format!("{} ; echo exit=$?", env!("CARGO_BIN_EXE_copydesk"));
    let output = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Usage:") && stdout.contains("check"),
        "{stdout}"
    );
    assert!(stdout.contains("exit=2"), "{stdout}");
}

/// `speech-verbs` in a `.copydesk.toml` next to the article makes a verb the built-in table
/// lacks a speech cue; the same article elsewhere has the quotation unattributed.
#[test]
fn speech_verbs_from_copydesk_toml_attribute_quotations() {
    let article =
        "“The budget is a fairy tale,” deadpanned Mara Holt, the council’s finance chair.\n";
    let plain = temp_file("plain-budget.txt", article.as_bytes());
    let configured_dir = plain.parent().unwrap().join("configured");
    std::fs::create_dir_all(&configured_dir).unwrap();
    std::fs::write(
        configured_dir.join(".copydesk.toml"),
        "speech-verbs = [\"deadpan\"]\n",
    )
    .unwrap();
    let configured = configured_dir.join("budget.txt");
    std::fs::write(&configured, article).unwrap();

    let quote_of = |path: &Path| -> Value {
        let report: Value = serde_json::from_str(&json_check(path)).unwrap();
        report["quotes"][0].clone()
    };
    let with = quote_of(&configured);
    assert_eq!(with["attribution"], "explicit");
    assert_eq!(with["speaker"]["name"], "Mara Holt");
    assert_eq!(
        (
            with["speaker"]["start"].as_u64(),
            with["speaker"]["end"].as_u64()
        ),
        (Some(45), Some(54))
    );
    let without = quote_of(&plain);
    assert_eq!(without["attribution"], "none");
    assert!(without["speaker"].is_null());
}
