//! `mavis-offline`: offline recording for school vaccination sessions, from
//! the command line.
//!
//! Every subcommand has `--help`. Errors go to standard error, and the
//! process exits with code 2.

mod cli;
mod commands;
mod error;
mod html;
mod progress;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    progress::set_quiet(cli.quiet);
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("mavis-offline: {err}");
            ExitCode::from(2)
        }
    }
}
