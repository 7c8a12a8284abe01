//! `merge` refuses the wrong file: a copy of another session, by its rows
//! or by its hidden Session sheet, or a copy that has none of the base's
//! children; and copies that share a file name are told apart.

use std::path::Path;

use mavis_sheet::{
    edit_sheet, read_bytes, read_sheet_rows, CellEdit, Column, Entry, SESSION_SHEET,
};

use crate::common::{
    col, dir, each_str, export, merge_args, not_vaccinated, run, run_words, s, stderr, stdout,
    write_copies,
};

/// Every `SESSION_ID` cell of `bytes` set to `session`.
fn every_session_id(bytes: &[u8], session: &str) -> Vec<u8> {
    let table = read_bytes(bytes, "copy.xlsx").unwrap();
    let edits: Vec<CellEdit> = table
        .rows
        .iter()
        .map(|r| CellEdit::new(r.row, col(Column::SessionId), Entry::Text(session.into())))
        .collect();
    edit_sheet(bytes, "copy.xlsx", "Vaccinations", &edits).unwrap()
}

/// The hidden Session sheet of `bytes` naming session `session`.
fn session_sheet_naming(bytes: &[u8], session: &str) -> Vec<u8> {
    let rows = read_sheet_rows(bytes, "copy.xlsx", SESSION_SHEET)
        .unwrap()
        .unwrap();
    let at = rows
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("session_id"))
        .unwrap();
    let row = u32::try_from(at).unwrap() + 1;
    let edit = CellEdit::new(row, 1, Entry::Text(session.into()));
    edit_sheet(bytes, "copy.xlsx", SESSION_SHEET, &[edit]).unwrap()
}

/// `merge` of `copies` into `base`, which must be refused (exit 2, nothing
/// written), with its message.
fn refused(d: &Path, base: &Path, copies: &[&Path]) -> String {
    let merged = d.join("merged.xlsx");
    let out = run(&merge_args(base, copies, &["--out", s(&merged)]));
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(!merged.exists(), "nothing is written");
    stderr(&out).to_owned()
}

#[test]
fn a_copy_of_another_session_is_refused() {
    let d = dir("merge-other-session");
    let (base, bytes, rows) = export(&d, 6);
    // A nurse's copy of session 9999: every SESSION_ID cell and its hidden
    // Session sheet say so, and its existing records' rows are the base's.
    let other = d.join("nurse-other.xlsx");
    let edited = edit_sheet(
        &bytes,
        "copy.xlsx",
        "Vaccinations",
        &not_vaccinated(rows[0].0, "refused"),
    )
    .unwrap();
    std::fs::write(
        &other,
        session_sheet_naming(&every_session_id(&edited, "9999"), "9999"),
    )
    .unwrap();
    let message = refused(&d, &base, &[&other]);
    assert!(message.contains("nurse-other.xlsx"), "{message}");
    assert!(message.contains("session 9999"), "{message}");
    assert!(message.contains("session 1002"), "{message}");
    insta::assert_snapshot!("merge_other_session", message);

    // Only the hidden Session sheet names another session: refused too.
    std::fs::write(&other, session_sheet_naming(&edited, "9999")).unwrap();
    let message = refused(&d, &base, &[&other]);
    assert!(
        message.contains("nurse-other.xlsx") && message.contains("9999"),
        "{message}"
    );

    // Only the rows do (a copy saved without its hidden sheets).
    std::fs::write(&other, every_session_id(&edited, "9999")).unwrap();
    let message = refused(&d, &base, &[&other]);
    assert!(message.contains("session 9999"), "{message}");
}

#[test]
fn a_copy_with_none_of_the_base_children_is_refused() {
    let d = dir("merge-no-shared-child");
    let (base, _, _) = export(&d, 6);
    // The workbook of other children (another seed), same session number.
    let stranger = d.join("other-school.xlsx");
    let out = run_words(
        "export --children 6 --seed 7 --today 2025-10-15 --out",
        &[s(&stranger)],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let message = refused(&d, &base, &[&stranger]);
    assert!(message.contains("other-school.xlsx"), "{message}");
    assert!(message.contains("session.xlsx"), "{message}");
    insta::assert_snapshot!("merge_no_shared_child", message);
}

#[test]
fn copies_with_one_name_in_two_folders_are_told_apart() {
    let d = dir("merge-same-names");
    let (base, bytes, rows) = export(&d, 6);
    // Two nurses each saved "copy.xlsx", in their own folder, and recorded
    // the same child differently: the conflict names both folders.
    let mut copies = Vec::new();
    for (nurse, reason) in [("anna", "refused"), ("beth", "unwell")] {
        let folder = d.join(nurse);
        std::fs::create_dir_all(&folder).unwrap();
        let written = write_copies(&folder, &bytes, &[not_vaccinated(rows[0].0, reason)]);
        let copy = folder.join("copy.xlsx");
        std::fs::rename(&written[0], &copy).unwrap();
        copies.push(copy);
    }
    let merged = d.join("merged.xlsx");
    let report = d.join("report.json");
    let out = run(&merge_args(
        &base,
        &[&copies[0], &copies[1]],
        &["--out", s(&merged), "--report", s(&report)],
    ));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    for copy in &copies {
        assert!(
            text.contains(s(copy)),
            "{} is named: {text}",
            copy.display()
        );
    }
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(
        each_str(&json["sources"], "source"),
        [s(&copies[0]), s(&copies[1])]
    );
}
