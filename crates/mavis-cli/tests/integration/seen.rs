//! Issue 15: a row with nothing entered is a child not seen, not an error;
//! the user guide's "absent from school" and "did not attend" typed into a
//! copy are absences, left out of the upload and listed; in an upload CSV
//! they are Mavis's error; `csv` says "ready to upload" only when what it
//! wrote passes the check. Each reproduction of the issue, through the
//! binary, its messages as snapshots (run in the scratch folder, so they
//! name the files as given).

use std::path::Path;
use std::process::Output;

use crate::common::{
    self, csv_in as csv, dir, json, not_vaccinated, printed, run_in, stdout, vaccinated,
    write_copies,
};

const JANE: &str = "jane.smith@example.nhs.uk";

/// `check FILE --today 2025-10-15 REST` in `d`.
fn check(d: &Path, file: &str, rest: &[&str]) -> Output {
    let mut args = vec!["check", file, "--today", "2025-10-15"];
    args.extend(rest);
    run_in(d, &args)
}

/// The data rows of the upload CSV written in `d`.
fn upload_rows(d: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(d.join("upload.csv")).unwrap();
    text.split("\r\n")
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_unfilled_export_is_not_ready_to_upload() {
    // Issue 15: "csv of an unfilled export prints ... ready to upload".
    let d = dir("seen-unfilled");
    let (_, _, rows) = common::export(&d, 6);
    let out = csv(&d, "session.xlsx");
    assert_eq!(out.status.code(), Some(1));
    let text = printed(&out);
    assert!(!text.contains("ready to upload."), "{text}");
    assert_eq!(
        text.matches(", sheet Vaccinations: row ").count(),
        rows.len(),
        "every fill-in row is listed as not seen: {text}"
    );
    insta::assert_snapshot!("csv_of_the_unfilled_export", text);

    // `check` of it: valid (the existing records), every child not seen.
    let out = check(&d, "session.xlsx", &[]);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("check_of_the_unfilled_export", printed(&out));
}

#[test]
fn an_upload_with_nothing_recorded_is_refused_as_mavis_refuses_it() {
    // A session whose children have no records yet: its unfilled export's
    // upload would hold no row at all.
    let d = dir("seen-nothing");
    let session = run_in(
        &d,
        &["demo-session", "--children", "3", "--today", "2025-10-15"],
    );
    assert!(session.status.success());
    let mut doc: serde_json::Value = serde_json::from_slice(&session.stdout).unwrap();
    for child in doc["children"].as_array_mut().unwrap() {
        child["records"] = serde_json::json!([]);
    }
    std::fs::write(d.join("session.json"), doc.to_string()).unwrap();
    let out = run_in(
        &d,
        &[
            "export",
            "--session",
            "session.json",
            "--today",
            "2025-10-15",
            "--out",
            "session.xlsx",
        ],
    );
    assert!(out.status.success(), "{}", printed(&out));
    let out = csv(&d, "session.xlsx");
    assert_eq!(out.status.code(), Some(1));
    let text = printed(&out);
    assert!(
        text.contains("upload.csv: Choose a CSV file with at least one record\n"),
        "{text}"
    );
    assert!(upload_rows(&d).is_empty());
    insta::assert_snapshot!("csv_with_nothing_recorded", text);
}

#[test]
fn check_of_a_nurse_copy_lists_only_the_rows_she_touched() {
    // Issue 15: "check nurse-2.xlsx on her own copy lists every child the
    // other nurses saw as an error".
    let d = dir("seen-nurse-2");
    let (_, base_bytes, rows) = common::export(&d, 12);
    let (first, second, wrong) = (&rows[0], &rows[4], &rows[7]);
    let mut edits = vaccinated(first.0, &first.1, JANE, common::picked(2025, 10, 15));
    edits.extend(vaccinated(
        second.0,
        &second.1,
        JANE,
        common::picked(2025, 10, 15),
    ));
    edits.extend(vaccinated(
        wrong.0,
        &wrong.1,
        "not an email",
        common::picked(2025, 10, 15),
    ));
    let copies = write_copies(&d, &base_bytes, &[vec![], edits]);
    let copy = copies[1].file_name().unwrap().to_str().unwrap().to_owned();
    assert_eq!(copy, "nurse-b.xlsx");

    let out = check(&d, &copy, &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = printed(&out);
    insta::assert_snapshot!("check_of_a_nurse_copy", text);

    let out = check(&d, &copy, &["--format", "json"]);
    let result = json(&out);
    let error_rows: Vec<u64> = result["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["row"].as_u64().unwrap())
        .collect();
    assert!(!error_rows.is_empty());
    assert!(
        error_rows.iter().all(|r| *r == u64::from(wrong.0)),
        "only her wrong row: {error_rows:?}"
    );
    let not_seen = common::sum_of(&result["programmes"], "not_seen");
    assert_eq!(not_seen, rows.len() as u64 - 3);
    assert_eq!(result["absent"], serde_json::json!([]));

    // Her copy's upload is refused at her wrong row, named in the workbook.
    let out = csv(&d, &copy);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains(&format!("(row {} of nurse-b.xlsx)", wrong.0)),
        "{}",
        stdout(&out)
    );
}

/// A copy in which one child is vaccinated, one refused, and two are
/// recorded as the user guide says for children not there.
fn copy_with_absences(d: &Path) -> (Vec<(u32, String)>, [u32; 4]) {
    let (_, base_bytes, rows) = common::export(d, 12);
    let picked = [rows[0].0, rows[2].0, rows[5].0, rows[9].0];
    let mut edits = vaccinated(rows[0].0, &rows[0].1, JANE, common::picked(2025, 10, 15));
    edits.extend(not_vaccinated(picked[1], "absent from school"));
    edits.extend(not_vaccinated(picked[2], "Did not attend"));
    edits.extend(not_vaccinated(picked[3], "refused"));
    let copy = d.join("nurse-a.xlsx");
    let written = write_copies(d, &base_bytes, &[edits]);
    assert_eq!(written[0], copy);
    (rows, picked)
}

#[test]
fn the_guides_reasons_in_a_copy_are_left_out_and_listed() {
    let d = dir("seen-absent");
    let (_, [_, absent_school, absent_session, _]) = copy_with_absences(&d);

    let out = check(&d, "nurse-a.xlsx", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", printed(&out));
    insta::assert_snapshot!("check_of_a_copy_with_absences", printed(&out));
    let result = json(&check(&d, "nurse-a.xlsx", &["--format", "json"]));
    let absent = common::row_with(&result["absent"], "header", "reason");
    assert_eq!(
        absent,
        [
            (
                u64::from(absent_school),
                "REASON_NOT_VACCINATED",
                "absent from school"
            ),
            (
                u64::from(absent_session),
                "REASON_NOT_VACCINATED",
                "did not attend"
            ),
        ]
    );
    assert!(result["absent"][0]["action"]
        .as_str()
        .unwrap()
        .starts_with("record the attendance in Mavis"));

    // `csv`: the absences are left out and listed with what to do; what
    // is written passes the check.
    let out = csv(&d, "nurse-a.xlsx");
    assert_eq!(out.status.code(), Some(0), "{}", printed(&out));
    let text = printed(&out);
    assert!(text.contains("ready to upload.\n"), "{text}");
    insta::assert_snapshot!("csv_of_a_copy_with_absences", text);
    let written = upload_rows(&d).join("\n").to_lowercase();
    assert!(!written.contains("absent from school"), "{written}");
    assert!(!written.contains("did not attend"), "{written}");
    assert!(written.contains(",refused,"), "{written}");
}

#[test]
fn the_guides_reasons_in_an_upload_csv_are_mavis_error_with_the_hint() {
    let d = dir("seen-absent-csv");
    copy_with_absences(&d);
    assert_eq!(csv(&d, "nurse-a.xlsx").status.code(), Some(0));
    // The admin types the guide's reason into the upload CSV itself.
    // (Her "refused" row, not the existing records': it is dated the day.)
    let text = std::fs::read_to_string(d.join("upload.csv")).unwrap();
    let lines: Vec<String> = text
        .split("\r\n")
        .map(|l| {
            if l.contains(",20251015,") && l.contains(",refused,") {
                l.replace(",refused,", ",absent from school,")
            } else {
                l.to_owned()
            }
        })
        .collect();
    assert_ne!(lines.join("\r\n"), text);
    std::fs::write(d.join("upload.csv"), lines.join("\r\n")).unwrap();

    let out = check(&d, "upload.csv", &["--session", "session.xlsx"]);
    assert_eq!(out.status.code(), Some(1));
    let text = printed(&out);
    assert!(
        text.contains(
            "  - REASON_NOT_VACCINATED: Enter a valid reason.\n    \"absent from school\""
        ),
        "{text}"
    );
    insta::assert_snapshot!("check_of_an_upload_with_an_absence", text);

    let result = json(&check(
        &d,
        "upload.csv",
        &["--session", "session.xlsx", "--format", "json"],
    ));
    let errors = result["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{result}");
    assert_eq!(errors[0]["message"], "Enter a valid reason.");
    assert_eq!(errors[0]["header"], "REASON_NOT_VACCINATED");
    assert!(errors[0]["hint"]
        .as_str()
        .unwrap()
        .contains("record the absence in Mavis"));
    assert_eq!(result["warnings"], serde_json::json!([]));
    assert!(
        result.get("absent").is_none(),
        "an upload CSV is checked whole"
    );
}

#[test]
fn the_merge_lists_the_absent_children_with_what_to_do_in_mavis() {
    let d = dir("seen-merge-absent");
    let (rows, [_, absent_school, absent_session, _]) = copy_with_absences(&d);
    let out = run_in(
        &d,
        &[
            "merge",
            "--base",
            "session.xlsx",
            "nurse-a.xlsx",
            "--out",
            "merged.xlsx",
            "--report",
            "report.json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", printed(&out));
    let text = stdout(&out);
    assert!(text.contains("Absent, left out of the upload:"), "{text}");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("report.json")).unwrap()).unwrap();
    let absent: Vec<(u64, &str)> = report["absent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["row"].as_u64().unwrap(), a["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        absent,
        [
            (u64::from(absent_school), "absent from school"),
            (u64::from(absent_session), "did not attend"),
        ]
    );
    // Neither absence counts as an outcome recorded, nor as not seen; the
    // refusal does.
    let not_seen: usize = report["not_seen"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_array().unwrap().len())
        .sum();
    assert_eq!(not_seen, rows.len() - 4);
    assert_eq!(report["recorded"]["total"]["not_vaccinated"]["refused"], 1);
}

#[test]
fn a_date_typed_as_a_number_into_a_date_cell_is_named_with_what_the_spreadsheet_saves() {
    // The user guide says to type dates as YYYYMMDD; in Mavis's date cell
    // that stores the number 20,251,015, which Excel shows as ######## and
    // LibreOffice as #FMT, and their "save as CSV" writes so.
    let d = dir("seen-typed-number-date");
    let (_, base, rows) = common::export(&d, 6);
    let edits = vaccinated(
        rows[0].0,
        &rows[0].1,
        JANE,
        mavis_sheet::Entry::Number(20_251_015.0),
    );
    write_copies(&d, &base, &[edits]);
    let out = check(&d, "nurse-a.xlsx", &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", printed(&out));
    let result = json(&out);
    let at = common::row_with(&result["errors"], "column", "message");
    assert_eq!(at.len(), 1, "{at:?}");
    assert_eq!((at[0].0, at[0].1), (u64::from(rows[0].0), "Z"));
    for said in ["########", "#FMT", "15/10/2025", "mavis-offline csv"] {
        assert!(at[0].2.contains(said), "{said}: {}", at[0].2);
    }
    // The tool's own csv reads the value, and writes it right.
    let out = csv(&d, "nurse-a.xlsx");
    assert_eq!(out.status.code(), Some(0), "{}", printed(&out));
    assert!(
        upload_rows(&d)[0].contains(",20251015,"),
        "{:?}",
        upload_rows(&d)
    );
}
