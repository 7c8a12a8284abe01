//! Issue 16: what the tool writes into a workbook is canonical. For entries
//! in every form a nurse may give them (a date typed as `YYYYMMDD`, as
//! text in any of Mavis's forms, or picked; a time with or without
//! seconds; identifiers of digits), the workbook the merge writes reads
//! back to the same values, and what Excel and LibreOffice would show and
//! save of each cell as CSV is a form Mavis accepts, meaning the same.

use mavis::demo::DemoOptions;
use mavis::domain::chrono::{Datelike, NaiveDate};
use mavis::domain::{Column, Severity, Table};
use mavis::import::{parse_date, parse_time};
use mavis::sheet::{
    read_as_saved, read_bytes, write_table_cells, OfflineWorkbook, ReadLimits, SavedBy,
    VACCINATIONS_SHEET,
};
use proptest::prelude::*;

/// A date as a nurse may enter it, and the text the reader reads of it in
/// her copy.
fn date_entry() -> impl Strategy<Value = String> {
    (2000i32..2030, 1u32..=12, 1u32..=28, 0usize..5).prop_map(|(y, m, d, form)| {
        let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        match form {
            0 => day.format("%Y%m%d").to_string(),
            1 => day.format("%d/%m/%Y").to_string(),
            2 => format!("{}/{}/{}", day.day(), day.month(), day.year()),
            3 => day.format("%Y-%m-%d").to_string(),
            _ => format!(" {} ", day.format("%d/%m/%Y")),
        }
    })
}

/// A time as the reader reads it: typed with or without seconds, or read
/// from a time cell.
fn time_entry() -> impl Strategy<Value = String> {
    (0u32..24, 0u32..60, 0u32..60, 0usize..3).prop_map(|(h, m, s, form)| match form {
        0 => format!("{h:02}:{m:02}"),
        1 => format!("{h:02}:{m:02}:{s:02}"),
        _ => format!("{h}:{m:02}"),
    })
}

/// What a nurse entered in one row.
#[derive(Debug, Clone)]
struct Entered {
    date: String,
    time: String,
    dose: u32,
    batch: String,
}

fn entered() -> impl Strategy<Value = Entered> {
    (
        date_entry(),
        time_entry(),
        1u32..=5,
        prop_oneof!["[A-Z]{2}[0-9]{4}", "[1-9][0-9]{11,13}"],
    )
        .prop_map(|(date, time, dose, batch)| Entered {
            date,
            time,
            dose,
            batch,
        })
}

/// The cells of `table` at `column` of the rows written.
fn cells_of(table: &Table, column: usize, rows: &[u32]) -> Vec<String> {
    rows.iter()
        .map(|r| {
            let row = table.rows.iter().find(|t| t.row == *r).unwrap();
            row.get(column).to_owned()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn the_canonical_workbook_reads_back_and_saves_as_mavis_reads(
        entries in proptest::collection::vec(entered(), 1..6),
    ) {
        let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
        let doc = mavis::demo::session(&DemoOptions { children: 6, ..DemoOptions::new(today) });
        let base = OfflineWorkbook::new(&doc, today).to_bytes().unwrap();
        let mut table = read_bytes(&base, "session.xlsx").unwrap();
        let col = |c: Column| table.column(c).unwrap();
        let (date, time, dose, batch, expiry, nhs) = (
            col(Column::DateOfVaccination),
            col(Column::TimeOfVaccination),
            col(Column::DoseSequence),
            col(Column::BatchNumber),
            col(Column::BatchExpiryDate),
            col(Column::NhsNumber),
        );
        let mut cells = Vec::new();
        let mut rows = Vec::new();
        for (row, e) in table.rows.iter_mut().zip(&entries) {
            rows.push(row.row);
            for (c, value) in [
                (date, e.date.clone()),
                (time, e.time.clone()),
                (dose, e.dose.to_string()),
                (batch, e.batch.clone()),
                (expiry, e.date.clone()),
            ] {
                row.cells[c] = value;
                cells.push((row.row, c));
            }
        }
        let nhs_numbers = cells_of(&table, nhs, &rows);
        let merged = write_table_cells(&base, "merged.xlsx", VACCINATIONS_SHEET, &table, &cells)
            .unwrap();

        // Read back: the same values (a date in canonical form), nothing the
        // spreadsheet would show otherwise.
        let back = read_bytes(&merged, "merged.xlsx").unwrap();
        let shown: Vec<_> = back.issues.iter().filter(|i| i.severity == Severity::Shown).collect();
        prop_assert!(shown.is_empty(), "{:?}", shown);
        for (i, e) in entries.iter().take(rows.len()).enumerate() {
            let meant = parse_date(e.date.trim()).unwrap();
            for c in [date, expiry] {
                prop_assert_eq!(&cells_of(&back, c, &rows)[i], &meant.format("%d/%m/%Y").to_string());
            }
            prop_assert_eq!(&cells_of(&back, time, &rows)[i], &e.time);
            prop_assert_eq!(&cells_of(&back, dose, &rows)[i], &e.dose.to_string());
            prop_assert_eq!(&cells_of(&back, batch, &rows)[i], &e.batch);
        }
        prop_assert_eq!(cells_of(&back, nhs, &rows), nhs_numbers.clone());

        // What each program saves as CSV: a form Mavis accepts, meaning the
        // same.
        for by in SavedBy::ALL {
            let saved = read_as_saved(&merged, "merged.xlsx", by, &ReadLimits::default()).unwrap();
            for (i, e) in entries.iter().take(rows.len()).enumerate() {
                let meant = parse_date(e.date.trim()).unwrap();
                for c in [date, expiry] {
                    let text = &cells_of(&saved, c, &rows)[i];
                    prop_assert_eq!(parse_date(text), Some(meant), "{:?}: {}", by, text);
                }
                let text = &cells_of(&saved, time, &rows)[i];
                prop_assert_eq!(parse_time(text), parse_time(&e.time), "{:?}: {}", by, text);
                prop_assert_eq!(&cells_of(&saved, dose, &rows)[i], &e.dose.to_string());
                prop_assert_eq!(&cells_of(&saved, batch, &rows)[i], &e.batch, "{:?}", by);
            }
            prop_assert_eq!(cells_of(&saved, nhs, &rows), nhs_numbers.clone());
        }
    }
}
