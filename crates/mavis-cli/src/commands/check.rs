//! `mavis-offline check`.

use std::process::ExitCode;

use mavis_domain::Location;
use serde::Serialize;

use super::checked::{check_file_with, Checked, Kept};
use super::{emit, today_in_london, Password};
use crate::cli::{CheckArgs, Format};
use crate::error::Result;

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
    /// What Mavis checks on upload that could not be checked offline.
    not_checked_offline: Vec<String>,
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

/// Check a file and print what is wrong; the rows are kept only to annotate
/// them.
pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    let password = Password::new(&args.password);
    match &args.annotate {
        Some(out) => {
            let checked: Checked = check(args, &password)?;
            let encrypt = checked.encrypted && !args.no_encrypt;
            super::annotated::write_annotated(&checked, &args.file, out, &password, encrypt)?;
            print(args, checked)
        }
        None => print(args, check::<()>(args, &password)?),
    }
}

/// The file of `args` checked, keeping what `T` keeps of its rows.
fn check<T: Kept>(args: &CheckArgs, password: &Password) -> Result<Checked<T>> {
    check_file_with(
        &args.file,
        args.session.as_deref(),
        args.today.unwrap_or_else(today_in_london),
        &args.earlier_uploads,
        password,
    )
}

/// Print the verdict in the format asked for; the exit code says whether
/// the file is valid.
fn print<T>(args: &CheckArgs, checked: Checked<T>) -> Result<ExitCode> {
    let valid = checked.valid();
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
                not_checked_offline: checked.not_checked_offline.clone(),
            };
            emit(&format!("{}\n", serde_json::to_string_pretty(&json)?))?;
        }
        Format::Text => emit(&text_report(&checked))?,
    }
    // The process ends now: the operating system frees the table and the
    // report at once, quicker than dropping them cell by cell.
    std::mem::forget(checked);
    Ok(if valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The report as Mavis's upload page lists it: problems grouped by row.
pub fn text_report<T>(checked: &Checked<T>) -> String {
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
    if !checked.not_checked_offline.is_empty() {
        let _ = writeln!(out, "Not checked offline (Mavis checks these on upload):");
        for line in &checked.not_checked_offline {
            let _ = writeln!(out, "  - {line}");
        }
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
