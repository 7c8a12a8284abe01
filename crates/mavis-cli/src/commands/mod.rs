//! One module per subcommand.

mod check;
mod csv;
mod demo_session;
mod export;
mod merge;
mod report;
mod walkthrough;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use mavis_domain::SessionDocument;
use std::process::ExitCode;

use mavis_domain::chrono::{NaiveDate, Utc};
use mavis_domain::london;

use crate::cli::{Cli, Command};
use crate::error::{Error, Result};

/// Run a parsed command line; the exit code on success.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::DemoSession(args) => demo_session::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Csv(args) => csv::run(&args),
        Command::Merge(args) => merge::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Walkthrough(args) => walkthrough::run(&args),
        Command::Report(args) => report::run(&args),
    }
}

/// Today in London, the day Mavis's users live in.
pub fn today_in_london() -> NaiveDate {
    london::local(Utc::now()).date_naive()
}

/// Write `bytes` to `path`, or to standard output when there is no path.
pub fn write_output(path: Option<&Path>, bytes: &[u8]) -> Result<()> {
    match path {
        Some(path) => {
            let write_err = |source| Error::Write {
                path: path.to_owned(),
                source,
            };
            let mut file = BufWriter::new(File::create(path).map_err(write_err)?);
            file.write_all(bytes).map_err(write_err)?;
            file.flush().map_err(write_err)
        }
        None => {
            let mut out = io::stdout().lock();
            out.write_all(bytes)
                .and_then(|()| out.flush())
                .map_err(Error::Stdout)
        }
    }
}

/// Read and check a session JSON file.
pub fn read_session(path: &Path) -> Result<SessionDocument> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    let doc: SessionDocument =
        serde_json::from_str(&text).map_err(|source| Error::SessionJson {
            path: path.to_owned(),
            source,
        })?;
    if let Err(problems) = doc.check() {
        return Err(Error::Session {
            path: path.to_owned(),
            problems: problems.iter().map(ToString::to_string).collect(),
        });
    }
    Ok(doc)
}

/// Read a file's bytes.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })
}

/// The name of a file as messages show it.
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Print reading problems to standard error.
pub fn print_issues(issues: &[mavis_domain::ReadIssue]) {
    for issue in issues {
        let level = match issue.severity {
            mavis_domain::Severity::Error => "error",
            mavis_domain::Severity::Warning => "warning",
        };
        eprintln!("{level}: {issue}");
    }
}

/// Print to standard output; a reader that went away (`| head`) is not an
/// error.
pub fn emit(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(Error::Stdout),
    }
}
