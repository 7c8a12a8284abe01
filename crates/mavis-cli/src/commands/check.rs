//! `mavis-offline check`.

use std::process::ExitCode;

use mavis_domain::chrono::Utc;
use std::path::Path;

use mavis_domain::chrono::NaiveDate;
use mavis_domain::{london, outcome_digest, Location, ReadIssue, Severity, Table};
use mavis_import::{KnownRecord, Report, SessionReference, UploadVersion, Validator};
use mavis_sheet::{parse_session_sheet, read_bytes, read_sheet_rows, SESSION_SHEET};
use serde::Serialize;

use super::{emit, file_name, read_session, today_in_london, Password};
use crate::cli::{CheckArgs, Format};
use crate::error::{Error, Result};

/// The JSON of `check --format json`; its field names are a public
/// contract.
#[derive(Debug, Serialize)]
struct JsonReport {
    valid: bool,
    rows_checked: u64,
    records: u64,
    errors: Vec<JsonError>,
    file_errors: Vec<String>,
    warnings: Vec<JsonError>,
    outcome_digest: String,
}

#[derive(Debug, Serialize)]
struct JsonError {
    row: u32,
    column: Option<String>,
    header: Option<String>,
    message: String,
}

impl JsonError {
    fn at(location: &Location, message: String) -> JsonError {
        JsonError {
            row: location.row,
            column: location.column_letter(),
            header: location.header.clone(),
            message,
        }
    }
}

/// A file checked: the validator's report and what else was found.
pub struct Checked {
    /// The file's name.
    pub name: String,
    /// The validator's report.
    pub report: Report,
    /// The file read back as a table.
    #[allow(dead_code)] // for callers that show or annotate the rows
    pub table: Table,
    /// Cells the reader could not read (error values and the like).
    pub read_errors: Vec<ReadIssue>,
    /// The refusal of a different version of an earlier upload, if any.
    pub refusal: Option<String>,
    /// The outcome digest of the file.
    pub digest: String,
    /// Whether the file was encrypted with a password.
    pub encrypted: bool,
}

impl Checked {
    /// Whether Mavis would accept the file.
    pub fn valid(&self) -> bool {
        self.report.is_valid() && self.read_errors.is_empty() && self.refusal.is_none()
    }
}

/// Check a file and print what is wrong.
pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    let today = args.today.unwrap_or_else(today_in_london);
    let password = Password::new(&args.password);
    let checked = check_file_with(
        &args.file,
        args.session.as_deref(),
        today,
        &args.earlier_uploads,
        &password,
    )?;
    let valid = checked.valid();
    if let Some(out) = &args.annotate {
        let encrypt = checked.encrypted && !args.no_encrypt;
        super::report::write_annotated(&checked, &args.file, out, &password, encrypt)?;
    }
    match args.format {
        Format::Json => {
            let mut errors: Vec<JsonError> = checked
                .report
                .errors
                .iter()
                .map(|e| JsonError::at(&e.location, e.message.clone()))
                .chain(
                    checked
                        .read_errors
                        .iter()
                        .map(|i| JsonError::at(&i.at, i.message.clone())),
                )
                .collect();
            errors.sort_by_key(|e| e.row);
            let mut file_errors: Vec<String> = checked
                .report
                .file_errors
                .iter()
                .map(mavis_import::FileError::message)
                .collect();
            file_errors.extend(checked.refusal.clone());
            let json = JsonReport {
                valid,
                rows_checked: checked.report.rows_checked,
                records: checked.report.record_count,
                errors,
                file_errors,
                warnings: checked
                    .report
                    .warnings
                    .iter()
                    .map(|w| JsonError::at(&w.location, w.message()))
                    .collect(),
                outcome_digest: checked.digest.clone(),
            };
            emit(&format!("{}\n", serde_json::to_string_pretty(&json)?))?;
        }
        Format::Text => emit(&text_report(&checked))?,
    }
    Ok(if valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Check a file (a workbook or a CSV) against every upload rule; an
/// encrypted workbook needs the password in the environment.
pub fn check_file(
    path: &Path,
    session: Option<&Path>,
    today: NaiveDate,
    earlier_uploads: &[String],
) -> Result<Checked> {
    check_file_with(path, session, today, earlier_uploads, &Password::default())
}

/// Check a file (see [`check_file`]), decrypting encrypted workbooks (the
/// file and the `--session` workbook) with `password`.
pub fn check_file_with(
    path: &Path,
    session: Option<&Path>,
    today: NaiveDate,
    earlier_uploads: &[String],
    password: &Password,
) -> Result<Checked> {
    let name = file_name(path);
    let opened = password.open(path)?;
    let bytes = opened.bytes;
    let is_workbook = bytes.starts_with(b"PK\x03\x04");
    let (reference, session_id) = reference(session, &bytes, &name, is_workbook, password)?;
    let mut validator = Validator::new(&reference, today);
    if today == today_in_london() {
        validator.now(london::local(Utc::now()).time());
    }
    validator.keep_records(false);

    // The table, for workbooks to check and for the outcome digest.
    let table = read_bytes(&bytes, &name)?;
    let report = if is_workbook {
        let header: Vec<&str> = table.headers.iter().map(|h| h.text.as_str()).collect();
        validator.check_table(&header, table.rows.iter().map(|r| (r.row, r.cells.iter())))
    } else {
        validator.check_csv_bytes(&bytes)
    }
    .in_file(&name);
    let digest = outcome_digest(&table);
    let refusal = UploadVersion::of(&digest, earlier_uploads).refusal(session_id);
    let read_errors: Vec<ReadIssue> = if is_workbook {
        table
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    Ok(Checked {
        name,
        report,
        table,
        read_errors,
        refusal,
        digest,
        encrypted: opened.encrypted,
    })
}

/// The report as Mavis's upload page lists it: problems grouped by row.
pub fn text_report(checked: &Checked) -> String {
    use std::fmt::Write;
    let (name, report, read_errors) = (&checked.name, &checked.report, &checked.read_errors);
    let valid = checked.valid();
    let mut out = String::new();
    for f in &report.file_errors {
        let _ = writeln!(out, "{name}: {}", f.message());
        if let Some(detail) = f.detail() {
            let _ = writeln!(out, "  {detail}");
        }
    }
    if let Some(r) = &checked.refusal {
        let _ = writeln!(out, "{name}: {r}");
    }
    for issue in read_errors {
        let _ = writeln!(out, "{issue}");
    }
    for (row, errors) in report.rows() {
        let _ = writeln!(out, "Row {row}");
        for e in errors {
            let _ = writeln!(out, "  - {}", e.plain_text());
        }
    }
    for w in &report.warnings {
        let _ = writeln!(out, "Warning: {}: {}", w.location, w.message());
    }
    if valid {
        let _ = writeln!(
            out,
            "{name}: valid: {} rows checked, {} records would be imported (outcome digest {}).",
            report.rows_checked, report.record_count, checked.digest
        );
    } else {
        let rows = report.rows().count();
        let _ = writeln!(
            out,
            "{name}: not valid: {} rows with problems; correct the cells listed and check again.",
            rows + usize::from(!read_errors.is_empty())
        );
    }
    out
}

/// The reference data: from --session (JSON or an exported workbook), or
/// from the checked workbook's own Session sheet.
fn reference(
    session: Option<&Path>,
    bytes: &[u8],
    name: &str,
    is_workbook: bool,
    password: &Password,
) -> Result<(SessionReference, u64)> {
    match session {
        Some(path) => {
            let session_bytes = password.open(path)?.bytes;
            if session_bytes.starts_with(b"PK\x03\x04") {
                from_session_sheet(&session_bytes, &file_name(path))
            } else {
                let doc = read_session(path)?;
                let id = doc.session.id;
                Ok((SessionReference::from_document(&doc), id))
            }
        }
        None if is_workbook => from_session_sheet(bytes, name),
        None => Err(Error::Usage(format!(
            "{name}: a CSV carries no reference data; give --session with the session JSON or \
             the workbook exported for the session"
        ))),
    }
}

fn from_session_sheet(bytes: &[u8], name: &str) -> Result<(SessionReference, u64)> {
    let Some(rows) = read_sheet_rows(bytes, name, SESSION_SHEET)? else {
        return Err(Error::Usage(format!(
            "{name}: this workbook has no hidden {SESSION_SHEET} sheet (it was not exported by \
             mavis-offline); give --session with the session JSON"
        )));
    };
    let sheet = parse_session_sheet(&rows, name)?;
    let mut reference = SessionReference::from_document(&sheet.document);
    for (uuid, source, session_id) in sheet.records {
        reference.add_record(uuid, KnownRecord { source, session_id });
    }
    Ok((reference, sheet.document.session.id))
}
