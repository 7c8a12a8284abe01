//! Export, fill as a nurse does, read back: exactly the entered values.
//! And a workbook read directly or through the upload CSV gives the same
//! rows.

use crate::common;

use mavis_demo::{self as demo, DemoOptions};
use mavis_domain::chrono::{Duration, NaiveDate};
use mavis_domain::{Programme, ReasonNotVaccinated, SITE_TEXTS};
use mavis_sheet::{
    edit_sheet, read_bytes, write_upload_csv, CellEdit, Column, Entry, OfflineWorkbook, RowBuilder,
    RowKind, Table,
};
use proptest::prelude::*;

/// What a nurse types in one row.
#[derive(Debug, Clone)]
struct Filled {
    vaccinated: bool,
    date: DateEntry,
    time: TimeEntry,
    email: String,
    vaccine: String,
    batch: String,
    site: String,
    dose: u8,
    reason: String,
    notes: String,
}

#[derive(Debug, Clone)]
enum DateEntry {
    /// Picked in the date cell: stored as a serial.
    Picked(u16),
    /// Typed as the user guide says, `YYYYMMDD`: stored as a number.
    TypedNumber(u16),
    /// Typed in a cell formatted as text.
    TypedText(u16),
}

#[derive(Debug, Clone)]
enum TimeEntry {
    Typed(u32, u32, u32),
    Text(u32, u32, u32),
}

fn filled() -> impl Strategy<Value = Filled> {
    let date = prop_oneof![
        (0u16..400).prop_map(DateEntry::Picked),
        (0u16..400).prop_map(DateEntry::TypedNumber),
        (0u16..400).prop_map(DateEntry::TypedText),
    ];
    let time = prop_oneof![
        (0u32..24, 0u32..60, 0u32..60).prop_map(|(h, m, s)| TimeEntry::Typed(h, m, s)),
        (0u32..24, 0u32..60, 0u32..60).prop_map(|(h, m, s)| TimeEntry::Text(h, m, s)),
    ];
    let emails = [
        "jane.smith@example.nhs.uk",
        "amir.khan@example.nhs.uk",
        "Priya.Patel@Example.NHS.uk",
    ];
    let sites: Vec<&str> = SITE_TEXTS.iter().map(|(t, _)| *t).collect();
    let reasons: Vec<&str> = ReasonNotVaccinated::ALL.iter().map(|r| r.text()).collect();
    (
        any::<bool>(),
        date,
        time,
        proptest::sample::select(emails.to_vec()),
        proptest::sample::select(vec![
            "Gardasil9",
            "MenQuadfi",
            "Revaxis",
            "AstraZeneca Fluenz",
        ]),
        "[A-Z]{2}[0-9]{2,6}",
        proptest::sample::select(sites),
        1u8..4,
        proptest::sample::select(reasons),
        "[a-zA-Z0-9 ,\"'éñüÆ\n\r-]{0,40}",
    )
        .prop_map(
            |(vaccinated, date, time, email, vaccine, batch, site, dose, reason, notes)| Filled {
                vaccinated,
                date,
                time,
                email: email.to_owned(),
                vaccine: vaccine.to_owned(),
                batch,
                site: site.to_owned(),
                dose,
                reason: reason.to_owned(),
                notes,
            },
        )
}

fn day(offset: u16) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 9, 1).unwrap() + Duration::days(i64::from(offset))
}

/// The column index of `c` in `layout`.
fn col_of(layout: mavis_sheet::Layout, c: Column) -> u32 {
    u32::from(layout.index(c).unwrap())
}

/// The edits for one row, and the text each must read back as.
fn edits_for(row: u32, layout: mavis_sheet::Layout, f: &Filled) -> Vec<(CellEdit, String)> {
    let col = |c: Column| col_of(layout, c);
    let text = |c: Column, s: &str| {
        (
            CellEdit::new(row, col(c), Entry::Text(s.to_owned())),
            s.to_owned(),
        )
    };
    let mut out = vec![text(
        Column::Vaccinated,
        if f.vaccinated { "Y" } else { "N" },
    )];
    let date = match f.date {
        DateEntry::Picked(d) => (
            CellEdit::new(row, col(Column::DateOfVaccination), Entry::Date(day(d))),
            day(d).format("%d/%m/%Y").to_string(),
        ),
        DateEntry::TypedNumber(d) => {
            let digits = day(d).format("%Y%m%d").to_string();
            (
                CellEdit::new(
                    row,
                    col(Column::DateOfVaccination),
                    Entry::Number(digits.parse().unwrap()),
                ),
                digits,
            )
        }
        DateEntry::TypedText(d) => text(
            Column::DateOfVaccination,
            &day(d).format("%Y%m%d").to_string(),
        ),
    };
    out.push(date);
    let time = match f.time {
        TimeEntry::Typed(h, m, s) => (
            CellEdit::new(row, col(Column::TimeOfVaccination), Entry::Time(h, m, s)),
            format!("{h:02}:{m:02}:{s:02}"),
        ),
        TimeEntry::Text(h, m, s) => {
            text(Column::TimeOfVaccination, &format!("{h:02}:{m:02}:{s:02}"))
        }
    };
    out.push(time);
    out.push(text(Column::PerformingProfessionalEmail, &f.email));
    if f.vaccinated {
        out.push(text(Column::VaccineGiven, &f.vaccine));
        out.push(text(Column::BatchNumber, &f.batch));
        out.push(text(Column::AnatomicalSite, &f.site));
        out.push((
            CellEdit::new(
                row,
                col(Column::DoseSequence),
                Entry::Number(f64::from(f.dose)),
            ),
            f.dose.to_string(),
        ));
    } else {
        out.push(text(Column::ReasonNotVaccinated, &f.reason));
    }
    if !f.notes.is_empty() {
        out.push(text(Column::Notes, &f.notes));
    }
    out
}

fn same_rows_modulo_date_form(direct: &Table, via_csv: &Table) {
    assert_eq!(direct.headers, via_csv.headers);
    assert_eq!(direct.rows.len(), via_csv.rows.len());
    let dates: Vec<usize> = [
        Column::PersonDob,
        Column::DateOfVaccination,
        Column::BatchExpiryDate,
    ]
    .into_iter()
    .filter_map(|c| direct.column(c))
    .collect();
    assert_eq!(dates.len(), 3, "the three date columns");
    let as_date = |s: &str| {
        NaiveDate::parse_from_str(s, "%d/%m/%Y")
            .or_else(|_| NaiveDate::parse_from_str(s, "%Y%m%d"))
            .ok()
    };
    for (a, b) in direct.rows.iter().zip(&via_csv.rows) {
        assert_eq!(a.row, b.row);
        for (i, (x, y)) in a.cells.iter().zip(&b.cells).enumerate() {
            if dates.contains(&i) && x != y {
                assert_eq!(
                    as_date(x),
                    as_date(y),
                    "row {} column {i}: {x:?} vs {y:?}",
                    a.row
                );
                assert!(as_date(x).is_some(), "{x:?}");
            } else {
                assert_eq!(x, y, "row {} column {i}", a.row);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn export_fill_read_gives_the_entered_values(
        seed in 0u64..1000,
        children in 1usize..12,
        psd in any::<bool>(),
        flu in any::<bool>(),
        entries in proptest::collection::vec(proptest::option::of(filled()), 40),
    ) {
        let mut programmes = vec![Programme::Hpv, Programme::MenAcwy, Programme::TdIpv];
        if flu {
            programmes.push(Programme::Flu);
        }
        let doc = demo::session(&DemoOptions {
            children,
            seed,
            programmes,
            psd_enabled: psd,
            ..DemoOptions::new(common::today())
        });
        let base = OfflineWorkbook::new(&doc, common::today()).to_bytes().unwrap();
        let builder = RowBuilder::new(&doc);
        let layout = builder.layout();
        let rows: Vec<_> = builder.rows().collect();
        let mut expected: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.cells.iter().map(mavis_sheet::CellValue::display).collect())
            .collect();
        let mut edits = Vec::new();
        for (i, (row, entry)) in rows.iter().zip(entries.iter().cycle()).enumerate() {
            let (Some(f), RowKind::FillIn) = (entry, row.kind) else { continue };
            let r = u32::try_from(i + 2).unwrap();
            for (edit, text) in edits_for(r, layout, f) {
                expected[i][usize::try_from(edit.column).unwrap()] = text;
                edits.push(edit);
            }
        }
        let copy = edit_sheet(&base, "copy.xlsx", "Vaccinations", &edits).unwrap();
        let table = read_bytes(&copy, "nurse.xlsx").unwrap();
        // A date typed as a YYYYMMDD number into a date cell, and a time
        // stored as a fraction of a day in the time column (General, as
        // the offline sheet leaves it), are read right but named as what
        // the spreadsheet would show and save as CSV (issue 16); nothing
        // else is reported.
        let shown: Vec<(u32, u32)> = edits
            .iter()
            .filter(|e| match e.entry {
                Entry::Number(_) => e.column == col_of(layout, Column::DateOfVaccination),
                Entry::Time(..) => true,
                _ => false,
            })
            .map(|e| (e.row, e.column))
            .collect();
        let reported: Vec<(u32, u32)> = table
            .issues
            .iter()
            .filter(|i| i.severity == mavis_domain::Severity::Shown)
            .map(|i| (i.at.row, i.at.column.unwrap()))
            .collect();
        let mut wanted = shown.clone();
        wanted.sort_unstable();
        wanted.dedup();
        prop_assert_eq!(reported, wanted);
        prop_assert!(
            table.issues.iter().all(|i| i.severity == mavis_domain::Severity::Shown),
            "{:?}",
            table.issues
        );
        let got: Vec<Vec<String>> = table.rows.iter().map(|r| r.cells.clone()).collect();
        prop_assert_eq!(got.len(), expected.len());
        for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
            prop_assert_eq!(g, e, "row {}", i + 2);
        }

        // Through the upload CSV: the same rows.
        let mut csv = Vec::new();
        let written = write_upload_csv(&table, &mut csv).unwrap();
        prop_assert_eq!(written, table.rows.len());
        prop_assert!(csv.starts_with(b"\xEF\xBB\xBF"));
        let via_csv = read_bytes(&csv, "upload.csv").unwrap();
        prop_assert!(via_csv.issues.is_empty(), "{:?}", via_csv.issues);
        same_rows_modulo_date_form(&table, &via_csv);
    }
}

#[test]
fn upload_csv_writes_dates_as_yyyymmdd() {
    let doc = common::reference_doc(1001);
    let base = OfflineWorkbook::new(&doc, common::today())
        .to_bytes()
        .unwrap();
    let layout = RowBuilder::new(&doc).layout();
    let col = |c: Column| u32::from(layout.index(c).unwrap());
    let copy = edit_sheet(
        &base,
        "copy.xlsx",
        "Vaccinations",
        &[
            CellEdit::new(2, col(Column::Vaccinated), Entry::Text("Y".into())),
            CellEdit::new(
                2,
                col(Column::DateOfVaccination),
                Entry::Date(common::date(2025, 10, 14)),
            ),
            CellEdit::new(2, col(Column::TimeOfVaccination), Entry::Time(10, 15, 0)),
            CellEdit::new(
                2,
                col(Column::Notes),
                Entry::Text("Sore arm, \"brave\"\nwent back to class".into()),
            ),
        ],
    )
    .unwrap();
    let table = read_bytes(&copy, "copy.xlsx").unwrap();
    let mut out = Vec::new();
    write_upload_csv(&table, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.split("\r\n");
    let header = lines.next().unwrap();
    assert!(header.starts_with("\u{feff}PERSON_FORENAME,PERSON_SURNAME,ORGANISATION_CODE"));
    assert!(header.ends_with(",NOTES,SESSION_ID,UUID"));
    let aisha = lines.next().unwrap();
    assert!(
        aisha.starts_with("Aisha,Begum,R1L,Riverside Academy,,1,20121102,8,8R1,Female,"),
        "{aisha}"
    );
    assert!(
        aisha.contains(",Y,20251014,10:15:00,Flu,,,,,,,1,,\"Sore arm, \"\"brave\"\"\nwent back to class\",1001,"),
        "{aisha}"
    );
    assert_eq!(
        text.matches("\r\n").count(),
        6,
        "header, five rows, each ended by CR LF"
    );
}
