//! `mavis-offline csv`.

use std::process::ExitCode;

use std::borrow::Cow;

use mavis_domain::{Attendance, Column, Location, SourceKind, Table};
use mavis_import::{supplier_is_not_the_performer, SUPPLIER_IS_NOT_THE_PERFORMER};
use mavis_sheet::{read_bytes, write_upload_csv};

use super::check::{attendance_text, not_checked_text, text_report_with};
use super::checked::check_file_with;
use super::{emit, file_name, print_issues, today_in_london, write_output, Password};
use crate::cli::CsvArgs;
use crate::error::{Error, Result};

/// Keep, of a workbook's rows, those that go into the upload: the recorded
/// ones (the children not seen and absent are left out, and the
/// attendance returned says which). A CSV is kept whole, as Mavis reads
/// it, and has no attendance.
pub fn keep_recorded(table: &mut Table) -> Option<Attendance> {
    if table.kind != SourceKind::Workbook {
        return None;
    }
    let attendance = Attendance::of(table);
    // `recorded` holds the rows' indices in order: keep those, moving them.
    let mut recorded = attendance.recorded.iter().peekable();
    let rows = std::mem::take(&mut table.rows);
    table.rows = rows
        .into_iter()
        .enumerate()
        .filter(|(i, _)| recorded.next_if(|r| **r == *i).is_some())
        .map(|(_, row)| row)
        .collect();
    Some(attendance)
}

/// Where a table's rows hold what makes Mavis 7.3.0's import fail: a
/// supplier other than the performing professional (issue 17, item 1).
fn rows_mavis_fails_on(table: &Table) -> Vec<Location> {
    let (Some(supplier), performer) = (
        table.column(Column::SupplierEmail),
        table.column(Column::PerformingProfessionalEmail),
    ) else {
        return Vec::new();
    };
    table
        .rows
        .iter()
        .filter(|r| {
            let performer = performer.map_or(Cow::Borrowed(""), |i| r.normalised(i));
            supplier_is_not_the_performer(&r.normalised(supplier), &performer)
        })
        .map(|r| table.location(r.row, supplier))
        .collect()
}

/// Read a workbook and write its upload CSV: only the recorded rows (the
/// children not seen and absent are left out and listed), then check what
/// was written as `check` does, against the workbook itself. "Ready to
/// upload" only when it passes; otherwise why, and exit 1.
pub fn run(args: &CsvArgs) -> Result<ExitCode> {
    let password = Password::new(&args.password);
    let opened = password.open(&args.file)?;
    let name = file_name(&args.file);
    let mut table = read_bytes(&opened.bytes, &name)?;
    print_issues(&table.issues);
    if table.has_errors() {
        eprintln!(
            "No CSV written: correct the cells above in {} and run this again.",
            args.file.display()
        );
        return Ok(ExitCode::from(1));
    }
    let attendance = keep_recorded(&mut table);
    // A row Mavis cannot import at all (its import job fails, and the
    // upload never completes) is said before anything is written.
    let failing = rows_mavis_fails_on(&table);
    if !failing.is_empty() {
        for at in &failing {
            eprintln!("{at}: {SUPPLIER_IS_NOT_THE_PERFORMER}.");
        }
        eprintln!(
            "No CSV written: Mavis would fail on the rows above. Correct them in {} and run \
             this again.",
            args.file.display()
        );
        return Ok(ExitCode::from(1));
    }
    let sheet_rows: Vec<u32> = table.rows.iter().map(|r| r.row).collect();
    let upload: &Table = &table;
    let mut bytes = Vec::new();
    let rows = write_upload_csv(upload, &mut bytes).map_err(|source| Error::Sheet {
        path: args.out.clone(),
        source,
    })?;
    write_output(Some(&args.out), &bytes)?;
    let out = args.out.display();
    emit(&format!("Wrote {out}: {rows} rows.\n"))?;
    if let Some(attendance) = &attendance {
        emit(&attendance_text(attendance, true))?;
    }
    if opened.encrypted {
        emit(&format!(
            "Note: {out} is not encrypted (Mavis needs the upload CSV plain): keep it safe, and \
             delete it once it is uploaded.\n"
        ))?;
    }
    if attendance.is_none() {
        emit(&format!(
            "{name} is a CSV, which carries no reference data: check {out} with `mavis-offline \
             check {out} --session <the session JSON or workbook>` before uploading it.\n"
        ))?;
        return Ok(ExitCode::SUCCESS);
    }

    // What was written, checked as `check` checks it, the workbook itself
    // the reference data.
    let today = args.today.unwrap_or_else(today_in_london);
    let checked = check_file_with::<()>(&args.out, Some(&args.file), today, &[], &password)?;
    // An upload of the existing records alone (rows with a UUID, which
    // Mavis already has) records nothing of the day, and would use up the
    // session's one upload.
    let uuid = table.column(Column::Uuid);
    let new_rows = table
        .rows
        .iter()
        .filter(|r| uuid.is_none_or(|i| r.normalised(i).is_empty()))
        .count();
    if checked.valid() && new_rows == 0 && rows > 0 {
        emit(&format!(
            "Not ready to upload: nothing is recorded in {name} yet. The {rows} rows written are \
             records Mavis already has (each has a UUID), and Mavis takes one upload per session: \
             enter the day's outcomes, then run csv again.\n"
        ))?;
        return Ok(ExitCode::from(1));
    }
    emit(&not_checked_text(&checked.not_checked_offline))?;
    if checked.valid() {
        emit(&format!(
            "{out}: valid: {} records would be imported (outcome digest {}); ready to upload.\n",
            checked.report.record_count, checked.digest
        ))?;
        return Ok(ExitCode::SUCCESS);
    }
    // Refused as a whole (nothing recorded: Mavis's "Choose a CSV file with
    // at least one record").
    if !checked.report.file_errors.is_empty() {
        for f in &checked.report.file_errors {
            emit(&format!("{out}: {f}\n"))?;
        }
        let why = if rows == 0 {
            format!("nothing is recorded in {name} yet, and Mavis refuses an upload with no record")
        } else {
            format!("Mavis would refuse {out} as a whole")
        };
        emit(&format!("Not ready to upload: {why}.\n"))?;
        return Ok(ExitCode::from(1));
    }
    // Mavis numbers the CSV's rows from 2; name the workbook row each came
    // from, where the nurse corrects it.
    let label = |row: u32| match row.checked_sub(2).and_then(|i| sheet_rows.get(i as usize)) {
        Some(sheet_row) => format!("Row {row} (row {sheet_row} of {name})"),
        None => format!("Row {row}"),
    };
    emit(&text_report_with(&checked, &label))?;
    emit(&format!(
        "Not ready to upload: Mavis would refuse {out}. Correct the rows listed in {} and run \
         csv again.\n",
        args.file.display()
    ))?;
    Ok(ExitCode::from(1))
}
