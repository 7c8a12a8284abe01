//! Issue 17, items 1 and 10: files that fail at Mavis itself (its import
//! job stops, or its upload raises a server error) rather than being
//! refused with a message. The tool refuses them before they get there,
//! saying why and what to do; `csv` says so before it writes anything.

use mavis_domain::Column;
use mavis_sheet::{CellEdit, Entry};

use crate::common::{self, col, csv_in, dir, json, printed, run_in, vaccinated, write_copies};

const JANE: &str = "jane.smith@example.nhs.uk";
const AMIR: &str = "amir.khan@example.nhs.uk";

/// `check nurse-a.xlsx` as JSON.
const CHECK_JSON: [&str; 6] = [
    "check",
    "nurse-a.xlsx",
    "--today",
    "2025-10-15",
    "--format",
    "json",
];

/// What Jane types for the child of `row`, vaccinated, with `supplier` in
/// SUPPLIER_EMAIL.
fn jane_vaccinated_supplied_by(row: &(u32, String), supplier: &str) -> Vec<CellEdit> {
    let mut edits = vaccinated(row.0, &row.1, JANE, common::picked(2025, 10, 15));
    edits.push(CellEdit::new(
        row.0,
        col(Column::SupplierEmail),
        Entry::Text(supplier.into()),
    ));
    edits
}

#[test]
fn item_01_supplier_different_from_the_performer_is_said_before_csv_writes() {
    let d = dir("mavis-fails-supplier");
    let (_, base, rows) = common::export(&d, 6);
    write_copies(&d, &base, &[jane_vaccinated_supplied_by(&rows[0], AMIR)]);

    // check names the cell, with what to do.
    let result = json(&run_in(&d, &CHECK_JSON));
    assert_eq!(result["valid"], false);
    let at = common::row_with(&result["errors"], "header", "message");
    assert_eq!(at.len(), 1, "{at:?}");
    assert_eq!((at[0].0, at[0].1), (u64::from(rows[0].0), "SUPPLIER_EMAIL"));
    assert!(
        at[0].2.contains("Leave SUPPLIER_EMAIL blank"),
        "{}",
        at[0].2
    );
    assert!(at[0].2.contains("a defect in Mavis"), "{}", at[0].2);

    // csv says it before the file is written, and writes nothing.
    let out = csv_in(&d, "nurse-a.xlsx");
    assert_eq!(out.status.code(), Some(1), "{}", printed(&out));
    let said = String::from_utf8_lossy(&out.stderr);
    let letter = mavis_domain::column_letter(col(Column::SupplierEmail));
    assert!(
        said.contains(&format!(
            "row {}, column {letter} (SUPPLIER_EMAIL)",
            rows[0].0
        )),
        "{said}"
    );
    assert!(said.contains("No CSV written"), "{said}");
    assert!(!d.join("upload.csv").exists());

    // With the supplier the performer, it is ready.
    write_copies(&d, &base, &[jane_vaccinated_supplied_by(&rows[0], JANE)]);
    let out = csv_in(&d, "nurse-a.xlsx");
    assert_eq!(out.status.code(), Some(0), "{}", printed(&out));
}

#[test]
fn item_10_a_utf16_file_mavis_cannot_read_is_refused_saying_what_to_do() {
    let d = dir("mavis-fails-utf16");
    let (base_path, base, rows) = common::export(&d, 6);
    let edits = vaccinated(rows[0].0, &rows[0].1, JANE, common::picked(2025, 10, 15));
    write_copies(&d, &base, &[edits]);
    let out = csv_in(&d, "nurse-a.xlsx");
    assert_eq!(out.status.code(), Some(0), "{}", printed(&out));
    let text = std::fs::read_to_string(d.join("upload.csv")).unwrap();
    // The same upload, saved as "Unicode Text" (UTF-16 with its mark).
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            text.trim_start_matches('\u{feff}')
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    std::fs::write(d.join("upload-utf16.csv"), utf16).unwrap();
    let session = base_path.file_name().unwrap().to_str().unwrap();
    let out = run_in(
        &d,
        &[
            "check",
            "upload-utf16.csv",
            "--session",
            session,
            "--today",
            "2025-10-15",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", printed(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    for part in ["UTF-16", "server error", "CSV UTF-8 (Comma delimited)"] {
        assert!(said.contains(part), "{part}: {said}");
    }
}

#[test]
fn item_09_empty_files_are_mavis_choose_a_file() {
    let d = dir("mavis-fails-empty");
    common::export(&d, 2);
    for (name, bytes) in [
        ("empty.csv", &b""[..]),
        ("blank.csv", b"  \r\n\t \r\n"),
        ("bom.csv", b"\xEF\xBB\xBF\r\n"),
    ] {
        std::fs::write(d.join(name), bytes).unwrap();
        let args = [
            "check",
            name,
            "--session",
            "session.xlsx",
            "--today",
            "2025-10-15",
        ];
        let out = run_in(&d, &args);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", printed(&out));
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            said.starts_with(&format!("{name}: Choose a file\n")),
            "{said}"
        );
        assert!(said.contains("refuse the file as a whole"), "{said}");
        let mut json_args = args.to_vec();
        json_args.extend(["--format", "json"]);
        let result = json(&run_in(&d, &json_args));
        assert_eq!(result["file_errors"], serde_json::json!(["Choose a file"]));
    }
}
