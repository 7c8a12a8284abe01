//! Workbooks as Mavis's exporter writes them (no hidden Session sheet):
//! `check`, `report` and `check upload.csv --session copy.xlsx` take their
//! reference data from the workbook itself, mark errors at the same cells
//! as with the Session sheet, and name the checks left to Mavis.

use std::path::{Path, PathBuf};

use mavis_sheet::{edit_sheet, remove_sheet, CellEdit, Column, Entry, SESSION_SHEET};

use crate::common::{
    self, check_json, col, csv_in, dir, json, printed, run, run_in, run_words, s, stdout,
};

const JANE: &str = "jane.smith@example.nhs.uk";

/// `bytes` without the Session sheet, written to `d/name`.
fn mavis_shaped(d: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = d.join(name);
    std::fs::write(&path, remove_sheet(bytes, name, SESSION_SHEET).unwrap()).unwrap();
    path
}

/// A nurse's copy of the export in `d`: the first fill-in row vaccinated
/// properly, the second with an email address of nobody and an
/// organisation code of another team. Written twice: with the Session
/// sheet (`ours.xlsx`) and as Mavis writes it (`copy.xlsx`).
fn nurse_copy(d: &Path) -> (PathBuf, PathBuf, [u32; 2]) {
    let (_, base, rows) = common::export(d, 8);
    let (first, second) = (&rows[0], &rows[1]);
    let date = || Entry::Text("20251015".into());
    let mut edits = common::vaccinated(first.0, &first.1, JANE, date());
    edits.extend(common::vaccinated(
        second.0,
        &second.1,
        "nobody@example.nhs.uk",
        date(),
    ));
    edits.push(CellEdit::new(
        second.0,
        col(Column::OrganisationCode),
        Entry::Text("X99".into()),
    ));
    let typed = edit_sheet(&base, "copy.xlsx", "Vaccinations", &edits).unwrap();
    let ours = d.join("ours.xlsx");
    std::fs::write(&ours, &typed).unwrap();
    (
        ours,
        mavis_shaped(d, "copy.xlsx", &typed),
        [first.0, second.0],
    )
}

/// The errors of a `check --format json` result on `row`: (column, message).
fn errors_on(result: &serde_json::Value, row: u32) -> Vec<(String, String)> {
    result["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["row"] == row)
        .map(|e| {
            (
                e["column"].as_str().unwrap_or_default().to_owned(),
                e["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn check_reads_the_reference_data_from_a_mavis_workbook() {
    let d = dir("mavis-shaped-check");
    let (ours, copy, [good, bad]) = nurse_copy(&d);
    let out = check_json(&copy, None, &[]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    let mavis = json(&out);
    let with_sheet = json(&check_json(&ours, None, &[]));

    // The typed rows' errors are where they are with the Session sheet.
    assert!(errors_on(&mavis, good).is_empty(), "{mavis:#}");
    let on_bad = errors_on(&mavis, bad);
    assert!(
        on_bad.contains(&("AD".into(), "Enter a valid email address.".into())),
        "{on_bad:?}"
    );
    assert!(
        on_bad.contains(&(
            "C".into(),
            "Enter an organisation code that matches the current team.".into()
        )),
        "{on_bad:?}"
    );
    assert_eq!(mavis["errors"], with_sheet["errors"]);
    assert_eq!(mavis["rows_checked"], with_sheet["rows_checked"]);

    // What could not be checked offline is named, in JSON and once in text.
    assert_eq!(with_sheet["not_checked_offline"], serde_json::json!([]));
    insta::assert_yaml_snapshot!(
        "mavis_check_not_checked_offline",
        mavis["not_checked_offline"]
    );
    let text = run(&["check", s(&copy), "--today", "2025-10-15"]);
    assert!(matches!(text.status.code(), Some(0 | 1)), "{text:?}");
    let text = stdout(&text);
    assert_eq!(
        text.matches("Not checked offline (Mavis checks these on upload):")
            .count(),
        1,
        "{text}"
    );
    let listed: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("Not checked offline"))
        .skip(1)
        .take_while(|l| l.starts_with("  - "))
        .collect();
    insta::assert_snapshot!("mavis_check_text_not_checked_offline", listed.join("\n"));
    let ours_text = run(&["check", s(&ours), "--today", "2025-10-15"]);
    assert!(!stdout(&ours_text).contains("Not checked offline"));
}

#[test]
fn report_reads_the_reference_data_from_a_mavis_workbook() {
    let d = dir("mavis-shaped-report");
    let (_, copy, _) = nurse_copy(&d);
    let page = d.join("page.html");
    let out = run(&[
        "report",
        s(&copy),
        "--out",
        s(&page),
        "--today",
        "2025-10-15",
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("Session report: Riverside Academy, session 1002"),
        "{html}"
    );
    assert!(html.contains("Not checked offline"), "{html}");
    // The days of the session are not in the workbook: none is claimed.
    assert!(!html.contains("Held on"), "{html}");
}

#[test]
fn an_upload_csv_is_checked_against_a_mavis_workbook() {
    let d = dir("mavis-shaped-csv");
    let (ours, copy, [_, bad]) = nurse_copy(&d);
    let csv = d.join("upload.csv");
    let out = run(&["csv", s(&ours), "--out", s(&csv)]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    let mavis = check_json(&csv, Some(&copy), &[]);
    assert!(matches!(mavis.status.code(), Some(0 | 1)), "{mavis:?}");
    let mavis = json(&mavis);
    let with_sheet = json(&check_json(&csv, Some(&ours), &[]));
    assert_eq!(mavis["errors"], with_sheet["errors"]);
    assert_eq!(
        mavis["not_checked_offline"],
        json(&check_json(&copy, None, &[]))["not_checked_offline"]
    );
    // The bad row's email is marked in the CSV too (its row as Mavis
    // numbers it there).
    assert!(
        mavis["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["message"] == "Enter a valid email address."),
        "{mavis:#} (sheet row {bad})"
    );
    // A session JSON given with --session still wins: nothing is left
    // unchecked.
    let session = d.join("session.json");
    let out = run_words(
        "demo-session --children 8 --today 2025-10-15 --out",
        &[s(&session)],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let from_json = json(&check_json(&csv, Some(&session), &[]));
    assert_eq!(from_json["not_checked_offline"], serde_json::json!([]));
    let from_json = json(&check_json(&copy, Some(&session), &[]));
    assert_eq!(from_json["not_checked_offline"], serde_json::json!([]));
}

#[test]
fn a_mavis_workbook_with_no_session_id_is_refused_naming_it() {
    let d = dir("mavis-shaped-no-session");
    let (_, base, rows) = common::export(&d, 2);
    let table = mavis_sheet::read_bytes(&base, "x.xlsx").unwrap();
    let edits: Vec<CellEdit> = table
        .rows
        .iter()
        .map(|r| CellEdit::new(r.row, col(Column::SessionId), Entry::Text(String::new())))
        .collect();
    assert!(!rows.is_empty());
    let blank = edit_sheet(&base, "x.xlsx", "Vaccinations", &edits).unwrap();
    let copy = mavis_shaped(&d, "copy.xlsx", &blank);
    let out = run(&["check", s(&copy), "--today", "2025-10-15"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = common::stderr(&out);
    assert!(
        err.contains("copy.xlsx") && err.contains("SESSION_ID"),
        "{err}"
    );
}

#[test]
fn merge_and_csv_work_from_a_mavis_workbook() {
    let d = dir("mavis-shaped-day");
    let (_, base, rows) = common::export(&d, 8);
    let download = mavis_shaped(&d, "download.xlsx", &base);
    let download_bytes = std::fs::read(&download).unwrap();

    // Before anyone types: every child not seen yet, counted per
    // programme, the existing record's row checked, and what only Mavis
    // can check named once.
    let out = run_in(&d, &["check", "download.xlsx", "--today", "2025-10-15"]);
    assert_eq!(out.status.code(), Some(0), "{}", printed(&out));
    insta::assert_snapshot!("mavis_check_of_the_unfilled_download", printed(&out));

    // Two nurses' copies of Mavis's download, merged and written as the
    // upload, from nothing but the workbooks.
    let date = || Entry::Text("20251015".into());
    let copies = common::write_copies(
        &d,
        &download_bytes,
        &[
            common::vaccinated(rows[0].0, &rows[0].1, JANE, date()),
            common::not_vaccinated(rows[1].0, "refused"),
        ],
    );
    let names: Vec<&str> = copies
        .iter()
        .map(|c| c.file_name().unwrap().to_str().unwrap())
        .collect();
    let mut merge = vec!["merge", "--base", "download.xlsx"];
    merge.extend(&names);
    merge.extend(["--out", "merged.xlsx"]);
    let out = run_in(&d, &merge);
    assert_eq!(out.status.code(), Some(0), "{}", printed(&out));

    let out = csv_in(&d, "merged.xlsx");
    assert_eq!(out.status.code(), Some(0), "{}", printed(&out));
    let text = printed(&out);
    assert!(text.contains("ready to upload"), "{text}");
    insta::assert_snapshot!("mavis_csv_of_the_merged_download", text);
    let upload =
        mavis_sheet::read_bytes(&std::fs::read(d.join("upload.csv")).unwrap(), "upload.csv")
            .unwrap();
    assert_eq!(
        upload.rows.len(),
        3,
        "the two rows recorded and the existing record's"
    );
    let out = check_json(&d.join("upload.csv"), Some(&d.join("merged.xlsx")), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", printed(&out));
}

#[test]
fn a_download_with_nothing_recorded_says_so() {
    let d = dir("mavis-shaped-nothing");
    let out = run_in(
        &d,
        &"export --children 3 --today 2025-10-15 --as-mavis --out download.xlsx"
            .split(' ')
            .collect::<Vec<_>>(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", printed(&out));
    let out = run_in(&d, &["check", "download.xlsx", "--today", "2025-10-15"]);
    assert_eq!(out.status.code(), Some(1), "{}", printed(&out));
    let text = printed(&out);
    assert!(
        text.starts_with("download.xlsx: nothing is recorded yet: no row has an outcome"),
        "{text}"
    );
    assert!(
        text.contains("download.xlsx: nothing to upload yet.\n"),
        "{text}"
    );
}
