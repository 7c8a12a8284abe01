//! The merge rules, one test each, on copies of the demo session's sheet;
//! and the laws the merge keeps, as properties.

use mavis_demo::{self as demo, DemoOptions};
use mavis_domain::chrono::NaiveDate;
use mavis_domain::{header_key, Column, Header, Layout, SourceKind, Table, TextRow};
use mavis_merge::{merge, MarkKind, Merged, Source};
use mavis_sheet::{CellValue, RowBuilder, RowKind};
use proptest::prelude::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 10, 15).unwrap()
}

/// The demo session's sheet as it reads back from the downloaded workbook.
fn base_table(children: usize, seed: u64) -> Table {
    let doc = demo::session(&DemoOptions {
        children,
        seed,
        ..DemoOptions::new(today())
    });
    let builder = RowBuilder::new(&doc);
    let layout = builder.layout();
    Table {
        file: "session.xlsx".into(),
        sheet: Some("Vaccinations".into()),
        kind: SourceKind::Workbook,
        headers: layout
            .columns()
            .map(|c| Header {
                text: c.header().to_owned(),
                key: header_key(c.header()),
            })
            .collect(),
        rows: builder
            .rows()
            .enumerate()
            .map(|(i, r)| {
                TextRow::new(
                    u32::try_from(i).unwrap() + 2,
                    r.cells.iter().map(CellValue::display).collect(),
                )
            })
            .collect(),
        issues: vec![],
    }
}

fn col(c: Column) -> usize {
    usize::from(Layout::new(false).index(c).unwrap())
}

fn copy_of(base: &Table, name: &str) -> Table {
    Table {
        file: name.into(),
        ..base.clone()
    }
}

/// Fill-in rows (no UUID).
fn fill_in_rows(t: &Table) -> Vec<usize> {
    (0..t.rows.len())
        .filter(|i| t.rows[*i].get(col(Column::Uuid)).is_empty())
        .collect()
}

fn record(t: &mut Table, i: usize, vaccinated: &str, extra: &[(Column, &str)]) {
    let row = &mut t.rows[i];
    row.cells[col(Column::Vaccinated)] = vaccinated.into();
    row.cells[col(Column::DateOfVaccination)] = "15/10/2025".into();
    row.cells[col(Column::TimeOfVaccination)] = "10:15:00".into();
    row.cells[col(Column::PerformingProfessionalEmail)] = "jane.smith@example.nhs.uk".into();
    if vaccinated == "N" {
        row.cells[col(Column::ReasonNotVaccinated)] = "absent from school".into();
    }
    for (c, v) in extra {
        row.cells[col(*c)] = (*v).into();
    }
}

/// The text of row `i`'s cell in column `c`.
fn cell(t: &Table, i: usize, c: Column) -> &str {
    t.rows[i].get(col(c))
}

/// Two copies of `base`, named `a` and `b`.
fn two_copies(base: &Table, a: &str, b: &str) -> (Table, Table) {
    (copy_of(base, a), copy_of(base, b))
}

/// The error merging `copy` (under its file name) into `base` gives.
fn refused(base: &Table, copy: &Table, digest: &str) -> String {
    let sources = [Source {
        name: &copy.file,
        digest,
        table: copy,
    }];
    merge(base, &sources, &[]).unwrap_err().to_string()
}

/// That `text` starts with `start`, shown when it does not.
fn assert_starts_with(text: &str, start: &str) {
    assert!(text.starts_with(start), "{text}");
}

fn run(base: &Table, copies: &[(&Table, &str)]) -> Merged {
    let sources: Vec<Source<'_>> = copies
        .iter()
        .map(|(t, digest)| Source {
            name: &t.file,
            digest,
            table: t,
        })
        .collect();
    merge(base, &sources, &[]).unwrap()
}

#[test]
fn unchanged_keeps_the_base_and_one_change_is_taken() {
    let base = base_table(20, 1);
    let rows = fill_in_rows(&base);
    let mut a = copy_of(&base, "nurse-a.xlsx");
    record(&mut a, rows[0], "Y", &[(Column::BatchNumber, "GD9X5521")]);
    let b = copy_of(&base, "nurse-b.xlsx");
    let m = run(&base, &[(&a, "a"), (&b, "b")]);
    assert_eq!(cell(&m.table, rows[0], Column::Vaccinated), "Y");
    assert_eq!(cell(&m.table, rows[0], Column::BatchNumber), "GD9X5521");
    for (i, r) in m.table.rows.iter().enumerate() {
        if i != rows[0] {
            assert_eq!(r, &base.rows[i]);
        }
    }
    assert!(m.report.conflicts.is_empty());
    assert_eq!(m.report.recorded.per_source["nurse-a.xlsx"].vaccinated, 1);
    assert_eq!(m.report.recorded.per_source["nurse-b.xlsx"].count(), 0);
    assert_eq!(m.changed.len(), 5, "five cells typed");
}

#[test]
fn the_same_change_in_two_copies_is_no_conflict() {
    let base = base_table(10, 2);
    let i = fill_in_rows(&base)[1];
    let (mut a, mut b) = two_copies(&base, "a.xlsx", "b.xlsx");
    record(&mut a, i, "N", &[]);
    record(&mut b, i, "N", &[]);
    b.rows[i].cells[col(Column::DateOfVaccination)] = "20251015".into(); // the same date
    let m = run(&base, &[(&a, "a"), (&b, "b")]);
    assert!(m.report.conflicts.is_empty(), "{:?}", m.report.conflicts);
    assert_eq!(
        cell(&m.table, i, Column::ReasonNotVaccinated),
        "absent from school"
    );
}

#[test]
fn two_different_outcomes_are_one_conflict_naming_both() {
    let base = base_table(10, 3);
    let i = fill_in_rows(&base)[2];
    let (mut a, mut b) = two_copies(&base, "nurse-a.xlsx", "nurse-b.xlsx");
    record(&mut a, i, "Y", &[(Column::VaccineGiven, "Gardasil9")]);
    record(&mut b, i, "N", &[]);
    let m = run(&base, &[(&a, "a"), (&b, "b")]);
    assert_eq!(m.report.conflicts.len(), 1);
    let c = &m.report.conflicts[0];
    assert_eq!(c.header, "VACCINATED");
    assert_eq!(c.row, base.rows[i].row);
    let sources: Vec<&str> = c.values.iter().map(|v| v.source.as_str()).collect();
    assert_eq!(sources, ["nurse-a.xlsx", "nurse-b.xlsx"]);
    assert_starts_with(&c.values[0].value, "Y, 15/10/2025, 10:15:00, Gardasil9");
    assert_eq!(m.table.rows[i], base.rows[i], "the base is kept");
    let marked: Vec<usize> = m
        .marks
        .iter()
        .filter(|k| k.kind == MarkKind::Conflict)
        .map(|k| k.column)
        .collect();
    assert_eq!(
        marked,
        [
            col(Column::Vaccinated),
            col(Column::VaccineGiven),
            col(Column::ReasonNotVaccinated)
        ]
    );
    assert!(
        m.marks[0]
            .note
            .contains("nurse-a.xlsx: \"Y\"\nnurse-b.xlsx: \"N\""),
        "{}",
        m.marks[0].note
    );
}

#[test]
fn a_cell_changed_differently_is_a_conflict() {
    let base = base_table(10, 4);
    let i = fill_in_rows(&base)[0];
    let (mut a, mut b) = two_copies(&base, "a.xlsx", "b.xlsx");
    a.rows[i].cells[col(Column::TriageNotes)] = "Mum phoned: no allergies".into();
    b.rows[i].cells[col(Column::TriageNotes)] = "Spoke to dad".into();
    let m = run(&base, &[(&a, "a"), (&b, "b")]);
    assert_eq!(m.report.conflicts.len(), 1);
    assert_eq!(m.report.conflicts[0].header, "TRIAGE_NOTES");
    assert!(m.report.changes_on_the_day.is_empty());
}

#[test]
fn rows_sorted_moved_or_missing_still_match() {
    let base = base_table(15, 5);
    let rows = fill_in_rows(&base);
    let mut a = copy_of(&base, "sorted.xlsx");
    record(&mut a, rows[3], "Y", &[]);
    a.rows.reverse(); // sorted the other way
    let removed = a.rows.remove(0); // and a row deleted
    let m = run(&base, &[(&a, "a")]);
    assert_eq!(cell(&m.table, rows[3], Column::Vaccinated), "Y");
    assert_eq!(m.report.missing_rows.len(), 1);
    assert_eq!(m.report.missing_rows[0].row, removed.row);
    assert_eq!(
        m.table.rows.len(),
        base.rows.len(),
        "a missing row is not a deletion"
    );
    assert!(m.report.added_rows.is_empty());
}

#[test]
fn added_rows_are_kept_once() {
    let base = base_table(10, 6);
    let i = fill_in_rows(&base)[0];
    let mut extra = base.rows[i].clone();
    extra.cells[col(Column::Vaccinated)] = "Y".into();
    extra.cells[col(Column::DoseSequence)] = "2".into();
    // A second attempt of the same child and programme, in two copies; and
    // a child not on the list in one.
    let (mut a, mut b) = two_copies(&base, "a.xlsx", "b.xlsx");
    a.rows.push(TextRow::new(99, extra.cells.clone()));
    b.rows.push(TextRow::new(40, extra.cells));
    let mut newcomer = base.rows[i].clone();
    newcomer.cells[col(Column::PersonForename)] = "New".into();
    newcomer.cells[col(Column::NhsNumber)] = "9999999999".into();
    b.rows.push(newcomer);
    let m = run(&base, &[(&a, "a"), (&b, "b")]);
    assert_eq!(m.report.added_rows.len(), 2);
    assert_eq!(m.report.added_rows[0].sources, ["a.xlsx", "b.xlsx"]);
    assert_eq!(m.report.added_rows[1].sources, ["b.xlsx"]);
    assert_eq!(m.table.rows.len(), base.rows.len() + 2);
    let last = base.rows.last().unwrap().row;
    assert_eq!(m.report.added_rows[0].row, last + 1);
    assert!(m
        .marks
        .iter()
        .any(|k| k.kind == MarkKind::Added && k.row == last + 2));
}

#[test]
fn the_same_file_twice_is_used_once() {
    let base = base_table(8, 7);
    let i = fill_in_rows(&base)[0];
    let mut a = copy_of(&base, "a.xlsx");
    record(&mut a, i, "Y", &[]);
    let again = copy_of(&a, "a (1).xlsx");
    let m = run(&base, &[(&a, "same"), (&again, "same")]);
    assert_eq!(m.report.duplicate_files.len(), 1);
    assert_eq!(m.report.duplicate_files[0].same_as, "a.xlsx");
    assert_eq!(m.report.recorded.total.vaccinated, 1);
    assert_eq!(m.report.sources[1].status, "duplicate");
    // A copy merged into the base before is left out.
    let sources = [Source {
        name: "a.xlsx",
        digest: "same",
        table: &a,
    }];
    let m = merge(&base, &sources, &["same".to_owned()]).unwrap();
    assert_eq!(m.report.sources[0].status, "already merged");
    assert_eq!(
        m.table,
        Table {
            issues: vec![],
            ..base.clone()
        }
    );
}

#[test]
fn a_copy_of_another_session_is_refused() {
    let base = base_table(6, 8);
    let mut other = copy_of(&base, "other.xlsx");
    for r in &mut other.rows {
        r.cells[col(Column::SessionId)] = "1003".into();
        r.cells[col(Column::Uuid)] = String::new();
    }
    assert_eq!(
        refused(&base, &other, "o"),
        "other.xlsx: this copy is for session 1003, but the base is session 1002; merge only the \
         copies of one session"
    );
    let mut no_uuid = copy_of(&base, "cut.csv");
    no_uuid.headers.retain(|h| h.key != "uuid");
    for r in &mut no_uuid.rows {
        r.cells.pop();
    }
    let err = refused(&base, &no_uuid, "c");
    assert_starts_with(&err, "cut.csv: the sheet has no UUID column");
}

#[test]
fn changes_on_the_day_are_carried_marked_and_listed() {
    let base = base_table(12, 9);
    let i = fill_in_rows(&base)[0];
    let mut a = copy_of(&base, "nurse-a.xlsx");
    a.rows[i].cells[col(Column::ConsentStatus)] = "Consent given".into();
    a.rows[i].cells[col(Column::GillickStatus)] = "Gillick competent".into();
    let m = run(&base, &[(&a, "a")]);
    assert_eq!(cell(&m.table, i, Column::ConsentStatus), "Consent given");
    let headers: Vec<&str> = m
        .report
        .changes_on_the_day
        .iter()
        .map(|c| c.header.as_str())
        .collect();
    assert_eq!(headers, ["CONSENT_STATUS", "GILLICK_STATUS"]);
    assert_eq!(m.report.changes_on_the_day[0].source, "nurse-a.xlsx");
    assert_eq!(m.report.changes_on_the_day[0].to, "Consent given");
    let mark = m
        .marks
        .iter()
        .find(|k| k.kind == MarkKind::ChangedOnTheDay)
        .unwrap();
    assert_starts_with(&mark.note, "Changed on the day in nurse-a.xlsx: was");
    assert!(mark
        .note
        .ends_with("Make this change in Mavis by hand before the upload."));
}

#[test]
fn a_corrected_nhs_number_still_matches_its_row() {
    let base = base_table(12, 10);
    let i = fill_in_rows(&base)
        .into_iter()
        .find(|i| !base.rows[*i].get(col(Column::NhsNumber)).is_empty())
        .unwrap();
    let mut a = copy_of(&base, "a.xlsx");
    a.rows[i].cells[col(Column::NhsNumber)] = "9434765919".into();
    record(&mut a, i, "Y", &[]);
    let m = run(&base, &[(&a, "a")]);
    assert!(m.report.added_rows.is_empty());
    assert!(m.report.missing_rows.is_empty());
    assert_eq!(cell(&m.table, i, Column::NhsNumber), "9434765919");
    assert_eq!(m.report.changes_on_the_day[0].header, "NHS_NUMBER");
}

#[test]
fn follow_ups_and_not_seen() {
    let base = base_table(10, 11);
    let rows = fill_in_rows(&base);
    let mut a = copy_of(&base, "a.xlsx");
    record(
        &mut a,
        rows[0],
        "Y",
        &[(Column::Notes, "Given subcutaneously (bleeding disorder)")],
    );
    let m = run(&base, &[(&a, "a")]);
    assert_eq!(m.report.follow_ups.len(), 1);
    assert!(m.report.follow_ups[0].action.contains("subcutaneously"));
    let not_seen: usize = m.report.not_seen.values().map(Vec::len).sum();
    assert_eq!(not_seen, rows.len() - 1);
}

#[test]
fn report_snapshot() {
    let base = base_table(14, 12);
    let rows = fill_in_rows(&base);
    let (mut a, mut b) = two_copies(&base, "nurse-a.xlsx", "nurse-b.xlsx");
    let mut c = copy_of(&base, "nurse-c.csv");
    record(
        &mut a,
        rows[0],
        "Y",
        &[
            (Column::VaccineGiven, "Gardasil9"),
            (Column::BatchNumber, "GD9X5521"),
        ],
    );
    record(&mut b, rows[0], "N", &[]);
    record(&mut b, rows[1], "N", &[]);
    record(&mut c, rows[2], "Y", &[(Column::Notes, "s/c injection")]);
    c.rows[rows[3]].cells[col(Column::ConsentStatus)] = "Consent withdrawn on the day".into();
    c.rows.remove(rows[4]);
    let m = run(&base, &[(&a, "a"), (&b, "b"), (&c, "c"), (&a, "a")]);
    insta::assert_snapshot!("report_text", m.report.to_string());
    insta::assert_snapshot!(
        "report_json",
        serde_json::to_string_pretty(&m.report).unwrap()
    );
}

fn arbitrary_edits() -> impl Strategy<Value = Vec<(usize, usize, u8)>> {
    // (copy, fill-in row index, outcome choice)
    proptest::collection::vec((0usize..3, 0usize..30, 0u8..4), 0..25)
}

fn apply(base: &Table, edits: &[(usize, usize, u8)], copies: usize) -> Vec<Table> {
    let rows = fill_in_rows(base);
    let mut out: Vec<Table> = (0..copies)
        .map(|k| copy_of(base, &format!("nurse-{k}.xlsx")))
        .collect();
    for (k, r, choice) in edits {
        if *k >= copies {
            continue;
        }
        let i = rows[r % rows.len()];
        match choice {
            0 => record(&mut out[*k], i, "Y", &[]),
            1 => record(&mut out[*k], i, "N", &[]),
            2 => record(&mut out[*k], i, "Y", &[(Column::Notes, "second nurse")]),
            _ => out[*k].rows[i].cells[col(Column::TriageNotes)] = format!("seen by nurse {k}"),
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn nothing_recorded_is_lost_and_order_does_not_matter(
        seed in 0u64..50,
        edits in arbitrary_edits(),
    ) {
        let base = base_table(12, seed);
        let copies = apply(&base, &edits, 3);
        let digests = ["d0", "d1", "d2"];
        let forward: Vec<(&Table, &str)> = copies.iter().zip(digests).collect();
        let backward: Vec<(&Table, &str)> = forward.iter().rev().copied().collect();
        let m1 = run(&base, &forward);
        let m2 = run(&base, &backward);
        prop_assert_eq!(&m1.table, &m2.table);
        prop_assert_eq!(m1.report.conflicts.len(), m2.report.conflicts.len());

        // Every value a copy changed is in the merged sheet or a conflict.
        for copy in &copies {
            for (i, row) in copy.rows.iter().enumerate() {
                for (c, value) in row.cells.iter().enumerate() {
                    if value == &base.rows[i].cells[c] {
                        continue;
                    }
                    let merged = m1.table.rows[i].get(c) == value;
                    let header = &base.headers[c].text;
                    let in_conflict = m1.report.conflicts.iter().any(|k| {
                        k.row == base.rows[i].row
                            && (k.header == *header || k.header == "VACCINATED")
                            && k.values.iter().any(|v| v.source == copy.file)
                    });
                    prop_assert!(merged || in_conflict, "{} row {} {}: {:?} lost", copy.file, i, header, value);
                }
            }
        }
    }

    #[test]
    fn base_alone_is_the_base_and_one_copy_gives_its_outcomes(seed in 0u64..50, edits in arbitrary_edits()) {
        let base = base_table(10, seed);
        let alone = run(&base, &[]);
        prop_assert_eq!(&alone.table.rows, &base.rows);
        let itself = run(&base, &[(&base, "base")]);
        prop_assert_eq!(&itself.table.rows, &base.rows);
        prop_assert!(itself.report.missing_rows.is_empty());

        let copies = apply(&base, &edits, 1);
        let one = run(&base, &[(&copies[0], "one")]);
        prop_assert!(one.report.conflicts.is_empty());
        prop_assert_eq!(&one.table.rows, &copies[0].rows);
    }
}

#[test]
fn existing_record_rows_match_by_uuid() {
    let base = base_table(40, 13);
    let i = (0..base.rows.len())
        .find(|i| !base.rows[*i].get(col(Column::Uuid)).is_empty())
        .expect("the demo has existing records");
    let mut a = copy_of(&base, "a.xlsx");
    a.rows[i].cells[col(Column::Notes)] = "Checked with GP".into();
    a.rows.swap(0, i);
    let m = run(&base, &[(&a, "a")]);
    assert_eq!(cell(&m.table, i, Column::Notes), "Checked with GP");
    assert!(m
        .report
        .follow_ups
        .iter()
        .any(|f| f.action.contains("changed an existing vaccination record")));
    let _ = RowKind::FillIn;
}
