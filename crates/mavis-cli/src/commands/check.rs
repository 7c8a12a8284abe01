//! `mavis-offline check`.

use std::process::ExitCode;

use mavis_domain::chrono::Utc;
use mavis_domain::{london, outcome_digest, Location, Severity, Table};
use mavis_import::{KnownRecord, Report, SessionReference, UploadVersion, Validator};
use mavis_sheet::{parse_session_sheet, read_bytes, read_sheet_rows, SESSION_SHEET};
use serde::Serialize;

use super::{emit, file_name, read_file, read_session, today_in_london};
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

/// Check a file and print what is wrong.
pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    let name = file_name(&args.file);
    let bytes = read_file(&args.file)?;
    let is_workbook = bytes.starts_with(b"PK\x03\x04");
    let (reference, session_id) = reference(args, &bytes, &name, is_workbook)?;
    let today = args.today.unwrap_or_else(today_in_london);
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
    let version = UploadVersion::of(&digest, &args.earlier_uploads);
    let refusal = version.refusal(session_id);
    let read_errors: Vec<&mavis_domain::ReadIssue> = if is_workbook {
        table
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .collect()
    } else {
        Vec::new()
    };
    let valid = report.is_valid() && read_errors.is_empty() && refusal.is_none();

    match args.format {
        Format::Json => {
            let mut errors: Vec<JsonError> = report
                .errors
                .iter()
                .map(|e| JsonError::at(&e.location, e.message.clone()))
                .chain(
                    read_errors
                        .iter()
                        .map(|i| JsonError::at(&i.at, i.message.clone())),
                )
                .collect();
            errors.sort_by_key(|e| e.row);
            let mut file_errors: Vec<String> = report
                .file_errors
                .iter()
                .map(mavis_import::FileError::message)
                .collect();
            file_errors.extend(refusal.clone());
            let json = JsonReport {
                valid,
                rows_checked: report.rows_checked,
                records: report.record_count,
                errors,
                file_errors,
                warnings: report
                    .warnings
                    .iter()
                    .map(|w| JsonError::at(&w.location, w.message()))
                    .collect(),
                outcome_digest: digest,
            };
            emit(&format!("{}\n", serde_json::to_string_pretty(&json)?))?;
        }
        Format::Text => emit(&text_report(
            &name,
            &report,
            &read_errors,
            refusal.as_deref(),
            &table,
            valid,
        ))?,
    }
    Ok(if valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn text_report(
    name: &str,
    report: &Report,
    read_errors: &[&mavis_domain::ReadIssue],
    refusal: Option<&str>,
    table: &Table,
    valid: bool,
) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for f in &report.file_errors {
        let _ = writeln!(out, "{name}: {}", f.message());
        if let Some(detail) = f.detail() {
            let _ = writeln!(out, "  {detail}");
        }
    }
    if let Some(r) = refusal {
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
            report.rows_checked,
            report.record_count,
            outcome_digest(table)
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
    args: &CheckArgs,
    bytes: &[u8],
    name: &str,
    is_workbook: bool,
) -> Result<(SessionReference, u64)> {
    match &args.session {
        Some(path) => {
            let session_bytes = read_file(path)?;
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
