//! `mavis-offline check`.

use std::process::ExitCode;

use mavis_domain::{Attendance, Location, Unrecorded, ABSENCE_ACTION};
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
    /// Kept for the contract; always empty since the user guide's two
    /// reasons Mavis dropped are errors (issue 15).
    warnings: Vec<JsonError>,
    outcome_digest: String,
    /// A workbook's children per programme: recorded, not seen yet and
    /// absent (absent for a CSV).
    #[serde(skip_serializing_if = "Option::is_none")]
    programmes: Option<Vec<JsonProgramme>>,
    /// A workbook's children absent, left out of the upload (absent for a
    /// CSV).
    #[serde(skip_serializing_if = "Option::is_none")]
    absent: Option<Vec<JsonAbsent>>,
    /// What Mavis checks on upload that could not be checked offline.
    not_checked_offline: Vec<String>,
}

#[derive(Debug, Serialize)]
struct JsonError {
    row: u32,
    column: Option<String>,
    header: Option<String>,
    message: String,
    /// Our hint after Mavis's message, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<String>,
}

impl JsonError {
    fn at(location: &Location, message: String) -> JsonError {
        JsonError {
            row: location.row,
            column: location.column_letter(),
            header: location.header.clone(),
            message,
            hint: None,
        }
    }
}

#[derive(Debug, Serialize)]
struct JsonProgramme {
    programme: String,
    recorded: usize,
    not_seen: usize,
    absent: usize,
}

#[derive(Debug, Serialize)]
struct JsonAbsent {
    row: u32,
    column: Option<String>,
    header: Option<String>,
    programme: String,
    child: String,
    reason: String,
    action: &'static str,
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
                .map(|e| JsonError {
                    hint: e.hint.clone(),
                    ..JsonError::at(&e.location, e.message.clone())
                })
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
                warnings: Vec::new(),
                outcome_digest: checked.digest.clone(),
                programmes: checked.attendance.as_ref().map(|a| {
                    a.by_programme()
                        .into_iter()
                        .map(|p| JsonProgramme {
                            programme: p.programme,
                            recorded: p.recorded,
                            not_seen: p.not_seen,
                            absent: p.absent,
                        })
                        .collect()
                }),
                absent: checked.attendance.as_ref().map(|a| {
                    a.absent
                        .iter()
                        .map(|u| JsonAbsent {
                            row: u.at.row,
                            column: u.at.column_letter(),
                            header: u.at.header.clone(),
                            programme: u.programme.clone(),
                            child: u.child.clone(),
                            reason: u.absent.map(|r| r.text().to_owned()).unwrap_or_default(),
                            action: ABSENCE_ACTION,
                        })
                        .collect()
                }),
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
    text_report_with(checked, &|row| format!("Row {row}"))
}

/// [`text_report`], each row's problems under `row_label(row)` (Mavis's
/// row number): `csv` names the workbook row an upload row came from.
pub fn text_report_with<T>(checked: &Checked<T>, row_label: &dyn Fn(u32) -> String) -> String {
    use std::fmt::Write;
    let (name, report, read_errors) = (&checked.name, &checked.report, &checked.read_errors);
    let valid = checked.valid();
    let mut out = String::new();
    // A workbook with nothing recorded is a copy nobody has filled in yet,
    // not a file in the wrong shape: say so, with what Mavis would say.
    let nothing_yet =
        checked.attendance.is_some() && report.file_errors == [mavis_import::FileError::NoRecords];
    for f in &report.file_errors {
        if nothing_yet {
            let _ = writeln!(
                out,
                "{name}: nothing is recorded yet: no row has an outcome (Mavis refuses an upload \
                 with none: \"{}\").",
                f.message()
            );
            continue;
        }
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
        let _ = writeln!(out, "{}", row_label(row));
        for e in errors {
            let _ = writeln!(out, "  - {}", e.plain_text());
            if let Some(hint) = &e.hint {
                let _ = writeln!(out, "    {hint}");
            }
        }
    }
    if let Some(attendance) = &checked.attendance {
        out.push_str(&attendance_text(attendance, false));
    }
    out.push_str(&not_checked_text(&checked.not_checked_offline));
    if valid {
        let _ = writeln!(
            out,
            "{name}: valid: {} rows checked, {} records would be imported (outcome digest {}).",
            report.rows_checked, report.record_count, checked.digest
        );
    } else if nothing_yet {
        let _ = writeln!(out, "{name}: nothing to upload yet.");
    } else {
        let rows = report.rows().count() + usize::from(!read_errors.is_empty());
        if rows == 0 && !report.file_errors.is_empty() {
            let _ = writeln!(
                out,
                "{name}: not valid: Mavis would refuse the file as a whole, for the reason above."
            );
        } else {
            let _ = writeln!(
                out,
                "{name}: not valid: {rows} rows with problems; correct the cells listed and \
                 check again."
            );
        }
    }
    out
}

/// The checks only Mavis can make, said once (nothing when there are none).
pub fn not_checked_text(lines: &[String]) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let mut out = String::from("Not checked offline (Mavis checks these on upload):\n");
    for line in lines {
        out.push_str(&format!("  - {line}\n"));
    }
    out
}

/// A workbook's children not in its upload: per programme, how many are
/// not seen yet (nothing entered) and which are absent, with what to do.
/// Nothing when every child is recorded. With `each`, every child not seen
/// is listed too (for `csv`, which leaves them out).
pub fn attendance_text(attendance: &Attendance, each: bool) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    if attendance.all_recorded() {
        return out;
    }
    let _ = writeln!(
        out,
        "Children not in the upload (nothing entered, or absent): their rows are not checked and \
         are left out of the upload CSV."
    );
    for p in attendance.by_programme() {
        let _ = writeln!(
            out,
            "  {}: {} not seen yet, {} absent, {} recorded",
            if p.programme.is_empty() {
                "(no PROGRAMME)"
            } else {
                &p.programme
            },
            p.not_seen,
            p.absent,
            p.recorded
        );
    }
    let line = |out: &mut String, u: &Unrecorded| {
        let what = match u.absent {
            Some(reason) => format!(": {reason}"),
            None => String::new(),
        };
        let _ = writeln!(out, "  {}: {}, {}{what}", u.at, u.child, u.programme);
    };
    if each && !attendance.not_seen.is_empty() {
        let _ = writeln!(out, "Not seen yet (nothing entered in their rows):");
        for u in &attendance.not_seen {
            line(&mut out, u);
        }
    }
    if !attendance.absent.is_empty() {
        let _ = writeln!(out, "Absent: {ABSENCE_ACTION}:");
        for u in &attendance.absent {
            line(&mut out, u);
        }
    }
    out
}
