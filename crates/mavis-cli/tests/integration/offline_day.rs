//! A whole offline day through the command line: export, three nurses'
//! copies, merge, resolve, check, upload CSV, check again.

use std::path::Path;

use crate::common;

use crate::common::{
    check_json, dir, each_str, json, merge_args, not_vaccinated, not_vaccinated_each, run, s,
    sum_of, write_copies,
};
use mavis_sheet::dump::SheetDump;
use mavis_sheet::{edit_sheet, CellEdit, Column, Entry, Layout};

const JANE: &str = "jane.smith@example.nhs.uk";

/// `csv WORKBOOK --out CSV --today 2025-10-15`, which must succeed: what
/// it printed.
fn write_csv(workbook: &Path, csv: &Path) -> String {
    let out = run(&["csv", s(workbook), "--out", s(csv), "--today", "2025-10-15"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

/// The text of the note on `cell`, which must have one.
fn comment<'a>(sheet: &'a SheetDump, cell: &str) -> &'a str {
    &sheet.comment(cell).unwrap().text
}

/// A `check --format json` result that says the file is valid.
fn assert_valid(result: &serde_json::Value) {
    assert_eq!(
        result["valid"],
        true,
        "{}",
        serde_json::to_string_pretty(result).unwrap()
    );
}

#[test]
fn a_whole_offline_day() {
    let d = dir("offline-day");
    let (base, base_bytes, rows) = common::export(&d, 12);
    let half = rows.len() / 2;

    // Nurse A vaccinates the first half (dates typed as YYYYMMDD numbers);
    // nurse B records the second half as not vaccinated, and also the first
    // child of the first half, differently (the conflict); nurse C changes a
    // consent on the day and vaccinates one child with a picked date.
    let consent = Layout::new(false).index(Column::ConsentStatus).unwrap();
    let mut a = Vec::new();
    for (r, p) in &rows[..half] {
        a.extend(common::vaccinated(
            *r,
            p,
            JANE,
            common::picked(2025, 10, 15),
        ));
    }
    let reasons = [
        "absent from school",
        "refused",
        "unwell",
        "vaccination contraindicated",
        "already had elsewhere",
        "did not attend",
    ];
    let mut b = not_vaccinated_each(&rows[half..rows.len() - 1], &reasons);
    b.extend(not_vaccinated(rows[0].0, "refused"));
    let (last_row, last_programme) = &rows[rows.len() - 1];
    let mut c = common::vaccinated(
        *last_row,
        last_programme,
        JANE,
        Entry::Date(mavis_domain::chrono::NaiveDate::from_ymd_opt(2025, 10, 14).unwrap()),
    );
    c.push(CellEdit::new(
        rows[1].0,
        u32::from(consent),
        Entry::Text("Consent refused".into()),
    ));
    let copies = write_copies(&d, &base_bytes, &[a, b, c]);

    // A copy on its own can be checked, as xlsx and as its upload CSV,
    // alike: the rows she never touched are children not seen, not errors
    // (issue 15), and are left out of her upload.
    let a_csv = d.join("nurse-a.csv");
    let printed = write_csv(&copies[0], &a_csv);
    assert!(printed.contains("ready to upload"), "{printed}");
    let xlsx_check = check_json(&copies[0], None, &[]);
    let csv_check = check_json(&a_csv, Some(&base), &[]);
    assert_eq!(
        xlsx_check.status.code(),
        Some(0),
        "the rows she filled pass"
    );
    let (xlsx, csv) = (json(&xlsx_check), json(&csv_check));
    assert_valid(&csv);
    assert_eq!(xlsx["errors"], csv["errors"]);
    assert_eq!(xlsx["records"], csv["records"]);
    assert_eq!(xlsx["outcome_digest"], csv["outcome_digest"]);
    let not_seen = sum_of(&xlsx["programmes"], "not_seen");
    assert_eq!(not_seen, (rows.len() - half) as u64);
    assert!(
        csv.get("programmes").is_none(),
        "an upload CSV has no rows not seen"
    );

    // Merge: one conflict, one change on the day.
    let merged = d.join("merged.xlsx");
    let report = d.join("report.json");
    let out = run(&merge_args(
        &base,
        &[&copies[0], &copies[1], &copies[2], &copies[0]],
        &["--out", s(&merged), "--report", s(&report)],
    ));
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(r["conflicts"].as_array().unwrap().len(), 1);
    let conflict = &r["conflicts"][0];
    assert_eq!(conflict["row"], rows[0].0);
    assert_eq!(conflict["header"], "VACCINATED");
    assert_eq!(
        each_str(&conflict["values"], "source"),
        ["nurse-a.xlsx", "nurse-b.xlsx"]
    );
    assert_eq!(r["changes_on_the_day"].as_array().unwrap().len(), 1);
    assert_eq!(r["changes_on_the_day"][0]["to"], "Consent refused");
    assert_eq!(r["duplicate_files"][0]["source"], "nurse-a.xlsx");
    for key in [
        "added_rows",
        "missing_rows",
        "recorded",
        "not_seen",
        "follow_ups",
    ] {
        assert!(r.get(key).is_some(), "the report has {key}");
    }
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1 conflicts remain"), "{text}");

    // The merged workbook shows the conflict and the change where they are.
    let dump =
        mavis_sheet::dump::WorkbookDump::from_bytes(&std::fs::read(&merged).unwrap(), "copy.xlsx")
            .unwrap();
    let v = &dump.sheets[0];
    let conflict_cell = format!("Y{}", rows[0].0);
    assert!(comment(v, &conflict_cell).contains("nurse-a.xlsx: \"Y\""));
    assert!(dump.styles[&v.cell(&conflict_cell).unwrap().style].contains("FFFFC000"));
    let change_cell = format!("N{}", rows[1].0);
    assert!(comment(v, &change_cell).starts_with("Changed on the day in nurse-c.xlsx"));
    assert_eq!(
        dump.sheets[0].validations.len(),
        mavis_sheet::dump::WorkbookDump::from_bytes(&base_bytes, "copy.xlsx")
            .unwrap()
            .sheets[0]
            .validations
            .len()
    );

    // A person resolves the conflict (nurse A was right) in the merged
    // workbook, and the merged workbook then checks clean.
    let resolved = d.join("resolved.xlsx");
    let merged_bytes = std::fs::read(&merged).unwrap();
    let fix = common::vaccinated(rows[0].0, &rows[0].1, JANE, common::picked(2025, 10, 15));
    std::fs::write(
        &resolved,
        edit_sheet(&merged_bytes, "copy.xlsx", "Vaccinations", &fix).unwrap(),
    )
    .unwrap();
    let check = check_json(&resolved, None, &[]);
    let result = json(&check);
    assert_valid(&result);
    assert_eq!(check.status.code(), Some(0));

    // Its upload CSV checks clean too, and has the same outcome digest.
    let upload = d.join("upload.csv");
    write_csv(&resolved, &upload);
    let check_csv = check_json(&upload, Some(&base), &[]);
    let csv_result = json(&check_csv);
    assert_valid(&csv_result);
    assert_eq!(csv_result["outcome_digest"], result["outcome_digest"]);

    // One upload per session: the same outcomes pass, another version is
    // refused.
    let digest = result["outcome_digest"].as_str().unwrap();
    let check_after = |earlier: &str| {
        run(&[
            "check",
            s(&upload),
            "--session",
            s(&base),
            "--today",
            "2025-10-15",
            "--earlier-upload",
            earlier,
        ])
    };
    assert_eq!(check_after(digest).status.code(), Some(0));
    let other = check_after("sha256:0000");
    assert_eq!(other.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&other.stdout)
        .contains("Session 1002 was uploaded before with different outcomes"));

    // Merging the merged workbook with the same copies again replays
    // nothing: they were recorded as merged.
    let twice = d.join("twice.xlsx");
    let out = run(&merge_args(
        &resolved,
        &[&copies[0], &copies[1]],
        &["--out", s(&twice)],
    ));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("nurse-a.xlsx (already merged)"));
}
