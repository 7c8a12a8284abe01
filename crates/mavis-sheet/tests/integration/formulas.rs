//! Nothing is ever written as a formula: text that starts with `=`, `+`,
//! `-`, `@`, a tab or a carriage return stays text in the exported
//! workbook, in workbooks `edit_sheet`, `annotate_sheet` and
//! `table_workbook` write, and reads back as typed.

use std::io::{Cursor, Read};

use mavis_demo::{self as demo, DemoOptions};
use mavis_domain::chrono::NaiveDate;
use mavis_sheet::{
    annotate_sheet, edit_sheet, read_bytes, table_workbook, Annotation, CellEdit, Entry,
    OfflineWorkbook, Table, VACCINATIONS_SHEET,
};

const RISKY: [&str; 7] = [
    "=HYPERLINK(\"http://example.invalid\",\"click\")",
    "+44 7700 900123",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
];

/// Every worksheet part of a package holds no formula element.
fn assert_no_formulas(bytes: &[u8]) {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        if !part.name().unwrap().starts_with("xl/worksheets/") {
            continue;
        }
        let mut xml = String::new();
        part.read_to_string(&mut xml).unwrap();
        assert!(
            !xml.contains("<f>") && !xml.contains("<f ") && !xml.contains("t=\"str\""),
            "a formula in {}",
            part.name().unwrap()
        );
    }
}

/// Every risky text is a cell of `table`, exactly; `what` says where.
fn assert_every_risky_text_in(table: &Table, what: &str) {
    let cells: Vec<&str> = table
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().map(String::as_str))
        .collect();
    for risky in RISKY {
        assert!(cells.contains(&risky), "{risky:?} {what}");
    }
}

fn exported_with_risky_names() -> Vec<u8> {
    let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
    let mut doc = demo::session(&DemoOptions::new(today));
    for (child, risky) in doc.children.iter_mut().zip(RISKY) {
        child.given_name = risky.to_owned();
        child.family_name = risky.to_owned();
    }
    OfflineWorkbook::new(&doc, today).to_bytes().unwrap()
}

#[test]
fn the_exported_workbook_keeps_risky_text_as_text() {
    let bytes = exported_with_risky_names();
    assert_no_formulas(&bytes);
    let table = read_bytes(&bytes, "export.xlsx").unwrap();
    assert_every_risky_text_in(&table, "did not read back as typed");
}

#[test]
fn edit_sheet_annotate_sheet_and_table_workbook_keep_risky_text_as_text() {
    let base = exported_with_risky_names();
    let edits: Vec<CellEdit> = RISKY
        .iter()
        .enumerate()
        .map(|(i, r)| {
            CellEdit::new(
                u32::try_from(i).unwrap() + 2,
                0,
                Entry::Text((*r).to_owned()),
            )
        })
        .collect();
    let edited = edit_sheet(&base, "copy.xlsx", VACCINATIONS_SHEET, &edits).unwrap();
    assert_no_formulas(&edited);
    let table = read_bytes(&edited, "edited.xlsx").unwrap();
    for (i, risky) in RISKY.iter().enumerate() {
        assert_eq!(table.rows[i].get(0), *risky);
    }

    let notes: Vec<Annotation> = RISKY
        .iter()
        .enumerate()
        .map(|(i, r)| Annotation {
            row: u32::try_from(i).unwrap() + 2,
            column: 1,
            mark: None,
            note: Some((*r).to_owned()),
        })
        .collect();
    let annotated =
        annotate_sheet(&edited, "copy.xlsx", VACCINATIONS_SHEET, &notes, "=author").unwrap();
    assert_no_formulas(&annotated);
    assert_eq!(
        read_bytes(&annotated, "annotated.xlsx").unwrap().rows,
        table.rows
    );

    let rewritten = table_workbook(&table).unwrap();
    assert_no_formulas(&rewritten);
    assert_eq!(
        read_bytes(&rewritten, "table.xlsx").unwrap().rows,
        table.rows
    );
}

#[test]
fn the_upload_csv_writes_risky_text_as_it_is() {
    // Mavis reads the CSV as data and must receive what the nurse typed:
    // no quote mark or space is put in front (README, "Security").
    let table = read_bytes(&exported_with_risky_names(), "export.xlsx").unwrap();
    let mut csv = Vec::new();
    mavis_sheet::write_upload_csv(&table, &mut csv).unwrap();
    let back = read_bytes(&csv, "upload.csv").unwrap();
    assert_every_risky_text_in(&back, "changed in the upload CSV");
}
