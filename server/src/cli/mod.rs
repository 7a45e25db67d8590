//! The command-line front end: argument parsing, logging set-up, and the headless `copydesk check`.
//!
//! `main.rs` only calls [`run`]; `serve` hands over to [`crate::lsp::serve_stdio`].

pub mod args;
pub mod check;
pub mod logging;
pub mod report;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use args::{Cli, Command};

/// Parses the command line and runs the chosen command; the process's exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Check(check)) => {
            logging::init();
            check::run(&check)
        }
        Some(Command::Serve(_)) => serve(),
        None if cli.stdio || !std::io::stdin().is_terminal() => serve(),
        None => {
            // A bare `copydesk` typed at a terminal would otherwise sit waiting for LSP frames.
            let mut command = Cli::command();
            let _ = command.print_help();
            ExitCode::from(2)
        }
    }
}

fn serve() -> ExitCode {
    logging::init();
    crate::lsp::serve_stdio()
}
