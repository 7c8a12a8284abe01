//! A whole offline day through the library API: export, fill, merge,
//! resolve, validate, upload CSV, validate again.

use mavis::demo::{self, fill_copies, DemoOptions};
use mavis::domain::chrono::NaiveDate;
use mavis::domain::{outcome_digest, ReasonNotVaccinated};
use mavis::import::{SessionReference, Validator};
use mavis::merge::{merge, Source};
use mavis::sheet::{
    edit_sheet, read_bytes, write_table_cells, write_upload_csv, OfflineWorkbook,
    VACCINATIONS_SHEET,
};

#[test]
fn the_whole_day_through_the_libraries() {
    the_day(60, 3, 1);
}

/// Other sizes, nurses and seeds give a valid upload too.
#[test]
fn other_days() {
    for (children, nurses, seed) in [(25, 1, 2), (40, 2, 3), (80, 4, 4), (200, 3, 5)] {
        the_day(children, nurses, seed);
    }
}

fn the_day(children: usize, nurses: usize, seed: u64) {
    let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
    let doc = demo::session(&DemoOptions {
        children,
        seed,
        ..DemoOptions::new(today)
    });
    let base = OfflineWorkbook::new(&doc, today).to_bytes().unwrap();
    let day = fill_copies(&base, nurses, seed).unwrap();
    assert_eq!(day.copies.len(), nurses);

    // Every reason Mavis takes is used somewhere (in a day big enough for
    // four), and none it refuses (issue 15).
    let tables: Vec<_> = day
        .copies
        .iter()
        .map(|c| read_bytes(&c.bytes, &c.name).unwrap())
        .collect();
    let used = |reason: ReasonNotVaccinated| {
        tables.iter().any(|t| {
            t.rows
                .iter()
                .any(|r| r.cells.iter().any(|c| c == reason.text()))
        })
    };
    for reason in ReasonNotVaccinated::ALL {
        if reason.is_absence() {
            assert!(!used(reason), "a nurse recorded {reason}");
        } else if children >= 40 {
            assert!(used(reason), "nobody recorded {reason}");
        }
    }

    // Merge: the planned conflict and consent change, nothing else.
    let base_table = read_bytes(&base, "session.xlsx").unwrap();
    let digests: Vec<String> = day
        .copies
        .iter()
        .map(|c| mavis::domain::digest_bytes(&c.bytes))
        .collect();
    let sources: Vec<Source<'_>> = day
        .copies
        .iter()
        .zip(&tables)
        .zip(&digests)
        .map(|((c, t), d)| Source {
            name: &c.name,
            digest: d,
            table: t,
        })
        .collect();
    let merged = merge(&base_table, &sources, &[]).unwrap();
    if nurses > 1 {
        assert_eq!(merged.report.conflicts.len(), 1);
        let conflict = day.conflict.as_ref().unwrap();
        assert_eq!(merged.report.conflicts[0].row, conflict.0);
        let change = day.consent_change.as_ref().unwrap();
        assert_eq!(merged.report.changes_on_the_day.len(), 1);
        assert_eq!(merged.report.changes_on_the_day[0].row, change.0);
    } else {
        assert!(merged.report.conflicts.is_empty());
    }

    // Write the merged workbook, resolve, validate.
    let merged_bytes = write_table_cells(
        &base,
        "copy.xlsx",
        VACCINATIONS_SHEET,
        &merged.table,
        &merged.changed,
    )
    .unwrap();
    let resolved = edit_sheet(
        &merged_bytes,
        "copy.xlsx",
        VACCINATIONS_SHEET,
        &day.resolution,
    )
    .unwrap();
    let table = read_bytes(&resolved, "resolved.xlsx").unwrap();
    let reference = SessionReference::from_document(&doc);
    let validator = Validator::new(&reference, today);
    let header: Vec<&str> = table.headers.iter().map(|h| h.text.as_str()).collect();
    let report = validator.check_table(&header, table.rows.iter().map(|r| (r.row, r.cells.iter())));
    assert!(
        report.is_valid(),
        "{children} children, {nurses} nurses, seed {seed}: {:#?}",
        report.errors
    );
    assert_eq!(report.record_count, table.rows.len() as u64);

    // The upload CSV says the same.
    let mut csv = Vec::new();
    write_upload_csv(&table, &mut csv).unwrap();
    let csv_report = validator.check_csv_bytes(&csv);
    assert!(csv_report.is_valid(), "{:#?}", csv_report.errors);
    assert_eq!(csv_report.record_count, report.record_count);
    let csv_table = read_bytes(&csv, "upload.csv").unwrap();
    assert_eq!(outcome_digest(&csv_table), outcome_digest(&table));
}
