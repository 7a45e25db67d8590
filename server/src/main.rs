//! The `copydesk` binary: `serve` (LSP over stdio) and `check` (headless); see `copydesk --help`.

fn main() -> std::process::ExitCode {
    copydesk::cli::run()
}
