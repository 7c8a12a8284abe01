//! The walkthrough starts where the day starts, from the workbook as
//! Mavis downloads it, and ends with an upload of exactly the rows the
//! nurses recorded, which passes the check.

use mavis_domain::{canonical_date, Attendance, Column, Seen, SeenColumns};
use mavis_sheet::{read_bytes, read_sheet_rows, SESSION_SHEET};

use crate::common::{check_json, dir, run_words, s, stderr, stdout};

/// The cells that tell an upload row apart, by header.
const KEY: [Column; 6] = [
    Column::PersonForename,
    Column::PersonSurname,
    Column::PersonDob,
    Column::Programme,
    Column::Vaccinated,
    Column::ReasonNotVaccinated,
];

#[test]
fn the_walkthrough_uploads_exactly_the_recorded_rows_and_they_pass() {
    let d = dir("walkthrough-day");
    let out = run_words(
        "walkthrough --children 30 --today 2025-10-15 --quiet --dir",
        &[s(&d)],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let text = stdout(&out);

    // The download is Mavis's: no hidden Session sheet.
    let base = std::fs::read(d.join("session.xlsx")).unwrap();
    assert!(read_sheet_rows(&base, "session.xlsx", SESSION_SHEET)
        .unwrap()
        .is_none());

    // Some children were not seen, one was recorded absent as the user
    // guide says; the resolved workbook says so.
    let resolved = read_bytes(
        &std::fs::read(d.join("resolved.xlsx")).unwrap(),
        "resolved.xlsx",
    )
    .unwrap();
    let attendance = Attendance::of(&resolved);
    assert!(!attendance.not_seen.is_empty(), "{text}");
    assert!(!attendance.absent.is_empty(), "{text}");
    assert!(text.contains("absent from school"), "{text}");
    assert!(text.contains("Mavis checks on upload"), "{text}");

    // The upload holds exactly the recorded rows, none of the others.
    let key = |table: &mavis_domain::Table, row: &mavis_domain::TextRow| -> Vec<String> {
        KEY.iter()
            .map(|c| {
                let text = table
                    .column(*c)
                    .map_or(String::new(), |i| row.normalised(i).to_lowercase());
                // Dates in one form: the upload writes YYYYMMDD.
                canonical_date(&text)
            })
            .collect()
    };
    let mut recorded: Vec<Vec<String>> = attendance
        .recorded
        .iter()
        .map(|i| key(&resolved, &resolved.rows[*i]))
        .collect();
    let upload = read_bytes(&std::fs::read(d.join("upload.csv")).unwrap(), "upload.csv").unwrap();
    let mut uploaded: Vec<Vec<String>> = upload.rows.iter().map(|r| key(&upload, r)).collect();
    recorded.sort();
    uploaded.sort();
    assert_eq!(uploaded, recorded);
    let seen = SeenColumns::of(&upload.headers);
    assert!(upload.rows.iter().all(|r| seen.seen(r) == Seen::Recorded));

    // And it passes the check, against the workbook it came from.
    let out = check_json(&d.join("upload.csv"), Some(&d.join("resolved.xlsx")), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(text.contains("The upload CSV is valid"), "{text}");
}

#[test]
fn libreoffice_saves_the_merged_dates_as_dates() {
    // The nurses typed dates as YYYYMMDD numbers, picked them and typed them
    // as text; the merged workbook holds each as a real date cell, so the
    // spreadsheet program's own "save as CSV" writes dates, not `#FMT`.
    let test = "libreoffice_saves_the_merged_dates_as_dates";
    let Some(python) = mavis_test_support::typing::python_uno(test) else {
        return;
    };
    let d = dir("walkthrough-libreoffice");
    let out = run_words(
        "walkthrough --children 20 --today 2025-10-15 --quiet --dir",
        &[s(&d)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // "Save a copy as CSV", the cells' contents as shown, as an admin in
    // England would (en-GB): of the merged workbook, and of the one with
    // the conflict resolved.
    let saved = d.join("libreoffice");
    std::fs::create_dir_all(&saved).unwrap();
    for name in ["merged", "resolved"] {
        let csv_path = saved.join(format!("{name}.csv"));
        mavis_test_support::typing::type_and_save(
            &python,
            &d.join("work"),
            &d.join(format!("{name}.xlsx")),
            &csv_path,
            &[],
        );
        let csv = read_bytes(&std::fs::read(&csv_path).unwrap(), "saved.csv").unwrap();
        let ours = read_bytes(
            &std::fs::read(d.join(format!("{name}.xlsx"))).unwrap(),
            "ours.xlsx",
        )
        .unwrap();
        let mut dates = 0;
        for column in [Column::DateOfVaccination, Column::BatchExpiryDate] {
            let (i, j) = (ours.column(column).unwrap(), csv.column(column).unwrap());
            for (o, t) in ours.rows.iter().zip(&csv.rows) {
                let (a, b) = (o.get(i), t.get(j));
                assert!(
                    !b.contains('#'),
                    "{name} row {}: LibreOffice saved {b:?}",
                    o.row
                );
                if !a.is_empty() {
                    assert_eq!(canonical_date(a), canonical_date(b), "{name} row {}", o.row);
                    assert!(
                        mavis_domain::date_in_sheet_form(b).is_some(),
                        "{name} row {}: {b:?} is a date Mavis reads",
                        o.row
                    );
                    dates += 1;
                }
            }
        }
        assert!(dates > 10, "{name}: {dates} dates compared");
    }
}
