//! One module per subcommand.

mod annotated;
mod check;
mod checked;
mod csv;
mod demo_session;
mod export;
mod merge;
mod report;
mod walkthrough;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use mavis_domain::{DocumentChild, SessionDocument};
use serde::de::DeserializeOwned;
use std::process::ExitCode;

use mavis_domain::chrono::{NaiveDate, Utc};
use mavis_domain::london;

use mavis_sheet::{decrypt_workbook, encrypt_workbook, is_encrypted};

use crate::cli::{Cli, Command, PasswordArgs};
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
    parse_session(&read_file(path)?, path)
}

/// Parse and check the session JSON `bytes` read from `path`: the whole
/// document, or a [`mavis_domain::ReferenceDocument`] for checking an
/// upload against it.
pub fn parse_session<C: DeserializeOwned + DocumentChild>(
    bytes: &[u8],
    path: &Path,
) -> Result<SessionDocument<C>> {
    let doc: SessionDocument<C> =
        serde_json::from_slice(bytes).map_err(|source| Error::SessionJson {
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

/// The environment variable that may hold the workbook password, instead
/// of `--password-file`. Never a password on the command line, where other
/// users can see it in the process list.
pub const PASSWORD_ENV: &str = "MAVIS_OFFLINE_PASSWORD";

/// The one place a command finds the workbook password: `--password-file`
/// (its text, less one trailing newline), else [`PASSWORD_ENV`]. Looked up
/// only when a workbook is encrypted or to be encrypted, and then once.
#[derive(Debug, Default)]
pub struct Password {
    file: Option<PathBuf>,
    found: OnceLock<Option<String>>,
}

/// A workbook file read, decrypted when it was encrypted.
pub struct Opened {
    /// The plain bytes: a zip workbook, or whatever else the file holds.
    pub bytes: Vec<u8>,
    /// Whether the file was encrypted with a password.
    pub encrypted: bool,
}

impl Password {
    /// The password of `--password-file FILE` if given, else of the
    /// environment.
    pub fn new(args: &PasswordArgs) -> Password {
        Password {
            file: args.password_file.clone(),
            found: OnceLock::new(),
        }
    }

    /// The password, if one was given.
    ///
    /// # Errors
    ///
    /// When the password file cannot be read, or the password is empty.
    pub fn get(&self) -> Result<Option<&str>> {
        if let Some(found) = self.found.get() {
            return Ok(found.as_deref());
        }
        let found = match &self.file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
                    path: path.clone(),
                    source,
                })?;
                let text = text
                    .strip_suffix("\r\n")
                    .or_else(|| text.strip_suffix('\n'))
                    .unwrap_or(&text);
                if text.is_empty() {
                    return Err(Error::Password(format!(
                        "{}: the password file is empty; write the password in it",
                        path.display()
                    )));
                }
                Some(text.to_owned())
            }
            None => match std::env::var(PASSWORD_ENV) {
                Ok(text) if text.is_empty() => {
                    return Err(Error::Password(format!(
                        "{PASSWORD_ENV} is set but empty; set it to the password, or unset it"
                    )))
                }
                Ok(text) => Some(text),
                Err(std::env::VarError::NotPresent) => None,
                Err(std::env::VarError::NotUnicode(_)) => {
                    return Err(Error::Password(format!(
                        "{PASSWORD_ENV} is not text; give the password with --password-file"
                    )))
                }
            },
        };
        let _ = self.found.set(found);
        Ok(self.found.get().and_then(Option::as_deref))
    }

    /// The password, which `file` (named in the message) needs.
    ///
    /// # Errors
    ///
    /// As [`Password::get`], and when no password was given.
    pub fn require(&self, file: &str) -> Result<&str> {
        self.get()?.ok_or_else(|| {
            Error::Spreadsheet(
                mavis_sheet::ErrorKind::Encrypted {
                    file: file.to_owned(),
                }
                .into(),
            )
        })
    }

    /// Read a spreadsheet file, decrypting it when it is a
    /// password-protected workbook.
    ///
    /// # Errors
    ///
    /// When the file cannot be read, no password was given for an encrypted
    /// one, or the password does not open it.
    pub fn open(&self, path: &Path) -> Result<Opened> {
        let bytes = read_file(path)?;
        if !is_encrypted(&bytes) {
            return Ok(Opened {
                bytes,
                encrypted: false,
            });
        }
        let name = file_name(path);
        let password = self.require(&name)?;
        Ok(Opened {
            bytes: decrypt_workbook(&bytes, password, &name)?,
            encrypted: true,
        })
    }

    /// Write a workbook to `path`, encrypted with the password when
    /// `encrypt`.
    ///
    /// # Errors
    ///
    /// When there is no password to encrypt with, or the file cannot be
    /// written.
    pub fn write(&self, path: &Path, bytes: &[u8], encrypt: bool) -> Result<()> {
        if !encrypt {
            return write_output(Some(path), bytes);
        }
        let name = file_name(path);
        let password = self.require(&name)?;
        let locked = encrypt_workbook(bytes, password, &name).map_err(|source| Error::Sheet {
            path: path.to_owned(),
            source,
        })?;
        write_output(Some(path), &locked)
    }
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
            mavis_domain::Severity::Shown => "shown wrongly",
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
