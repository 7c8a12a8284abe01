//! The annotated copy of a checked file: each problem's cell marked red
//! with its message, and the Problems sheet listing them (`check
//! --annotate`, `merge --annotate`), and the problems as lines for the
//! report page.

use std::collections::BTreeSet;
use std::path::Path;

use mavis_sheet::{
    add_problems_sheet, annotate_sheet, canonical_entry, table_workbook, write_table_cells,
    Annotation, Column, Entry, ProblemLine, Severity, Table, VACCINATIONS_SHEET,
};

use super::checked::Checked;
use super::Password;
use crate::error::{Error, Result};

/// The notes' author in annotated workbooks.
const AUTHOR: &str = "mavis-offline";

/// `check --annotate`: write the annotated copy of a checked file (quietly:
/// standard output may be `--format json`), encrypted with `password` when
/// `encrypt`.
pub fn write_annotated(
    checked: &Checked,
    file: &Path,
    out: &Path,
    password: &Password,
    encrypt: bool,
) -> Result<()> {
    let bytes = password.open(file)?.bytes;
    let annotated = annotated_workbook(checked, &bytes, &[]).map_err(|source| Error::Sheet {
        path: out.to_owned(),
        source,
    })?;
    password.write(out, &annotated, encrypt)
}

/// The problems of a checked file, as lines to mark, in row order.
pub fn problem_lines(checked: &Checked) -> Vec<ProblemLine> {
    let mut lines = Vec::new();
    for f in &checked.report.file_errors {
        let text = match f.detail() {
            Some(detail) => format!("{} ({detail})", f.message()),
            None => f.message(),
        };
        lines.push(ProblemLine::file(text));
    }
    if let Some(r) = &checked.refusal {
        lines.push(ProblemLine::file(r.clone()));
    }
    for issue in &checked.read_errors {
        // What the spreadsheet would save wrongly, the annotated copy holds
        // in canonical form (see `annotated_workbook`).
        let message = match (issue.severity, issue.at.column) {
            (Severity::Shown, Some(c)) => format!(
                "Corrected in this copy: the cell now holds {}, which the spreadsheet shows and \
                 saves as Mavis reads it. In the file checked, {}",
                canonical_text(&checked.table, issue.at.row, c as usize),
                issue.message
            ),
            _ => issue.message.clone(),
        };
        lines.push(match issue.at.column {
            Some(c) => ProblemLine::cell(issue.at.row, c, issue.at.header.clone(), message),
            None => ProblemLine::row(issue.at.row, message),
        });
    }
    for e in &checked.report.errors {
        let message = e.message.replace("<code>", "").replace("</code>", "");
        // The report numbers rows as Mavis does; the mark goes where the
        // row sits in the sheet.
        let row = checked.table.sheet_row(e.row());
        lines.push(match e.location.column {
            Some(c) => ProblemLine::cell(row, c, e.header().map(str::to_owned), message),
            None => ProblemLine::row(row, message),
        });
    }
    lines.sort_by_key(|l| (l.row, l.column.is_some(), l.column));
    lines
}

/// The value of a table's cell as the annotated copy writes it: a date
/// as `dd/mm/yyyy`, anything else as read.
fn canonical_text(table: &Table, row: u32, column: usize) -> String {
    let value = table
        .rows
        .iter()
        .find(|r| r.row == row)
        .map_or("", |r| r.get(column));
    let header = table.headers.get(column).map(|h| Column::named(&h.key));
    match canonical_entry(header.flatten(), value) {
        Entry::Date(d) => format!("the date {}", d.format("%d/%m/%Y")),
        _ => value.to_owned(),
    }
}

/// The annotated workbook of a checked file (`bytes`, a workbook or a CSV):
/// each problem's cell red with its message, and the Problems sheet listing
/// them and `listed_only` (lines already marked, such as the merge's
/// conflicts, whose cells keep their mark and note). No problems: the bytes
/// as they were (a CSV laid out as the offline sheet).
pub fn annotated_workbook(
    checked: &Checked,
    bytes: &[u8],
    listed_only: &[ProblemLine],
) -> mavis_sheet::Result<Vec<u8>> {
    let is_workbook = bytes.starts_with(b"PK\x03\x04");
    let sheet = checked.table.sheet.as_deref().unwrap_or(VACCINATIONS_SHEET);
    let workbook = if is_workbook {
        // Every cell the spreadsheet would save wrongly as CSV (a YYYYMMDD
        // number in a date cell) is written in canonical form: the copy
        // shows, and saves, what was read.
        let shown: Vec<(u32, usize)> = checked
            .read_errors
            .iter()
            .filter(|i| i.severity == Severity::Shown)
            .filter_map(|i| Some((i.at.row, usize::try_from(i.at.column?).ok()?)))
            .collect();
        if shown.is_empty() {
            bytes.to_vec()
        } else {
            write_table_cells(bytes, &checked.name, sheet, &checked.table, &shown)?
        }
    } else {
        table_workbook(&checked.table)?
    };
    let problems = problem_lines(checked);
    let kept: BTreeSet<(u32, u32)> = listed_only
        .iter()
        .filter_map(ProblemLine::marked_cell)
        .collect();
    let annotations: Vec<Annotation> = problems
        .iter()
        .filter_map(|p| {
            let a = p.annotation()?;
            Some(if kept.contains(&(a.row, a.column)) {
                Annotation { mark: None, ..a }
            } else {
                a
            })
        })
        .collect();
    let marked = if annotations.is_empty() {
        workbook
    } else {
        annotate_sheet(&workbook, &checked.name, sheet, &annotations, AUTHOR)?
    };
    let mut all: Vec<ProblemLine> = problems
        .into_iter()
        .chain(listed_only.iter().cloned())
        .collect();
    all.sort_by_key(|l| (l.row, l.column.is_some(), l.column));
    add_problems_sheet(&marked, &checked.name, sheet, &all)
}
