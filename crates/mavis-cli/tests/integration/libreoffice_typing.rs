//! LibreOffice Calc types the nurses' entries as a person does (its own
//! input recognition: `20251015`, `15/10/2025`, `10:30`, `10:30:00`), saves
//! the copies; the merge of them, saved as CSV by LibreOffice itself, with
//! the rows nobody recorded deleted, passes the check and says what
//! `mavis-offline csv` says (issue 16). What the check models of
//! LibreOffice's CSV of a copy is what LibreOffice writes, and the
//! annotated copy of a nurse's workbook saves her dates as dates.

use mavis_domain::{canonical_date, Column};
use mavis_sheet::{read_as_saved, read_bytes, ReadLimits, SavedBy};
use mavis_test_support::typing::{python_uno, type_and_save, Typed};

use crate::common::{check_json, csv_in, dir, export, merge_args, printed, row_with, run, s};

/// What a nurse types into row `row` for a child she vaccinated, in the
/// columns of the sheet without PSD.
fn typed(row: u32, programme: &str, date: &str, time: &str, expiry: &str) -> Vec<Typed> {
    let (vaccine, batch, dose) = match programme {
        "HPV" => ("Gardasil9", "GD9X5521", "1"),
        "ACWYX4" => ("MenQuadfi", "MQ77410", "1"),
        _ => ("Revaxis", "RV9901", "5"),
    };
    [
        ("Y", "Y"),
        ("Z", date),
        ("AA", time),
        ("AC", vaccine),
        ("AD", "jane.smith@example.nhs.uk"),
        ("AF", batch),
        ("AG", expiry),
        ("AH", "left upper arm"),
        ("AI", dose),
    ]
    .iter()
    .map(|(column, text)| Typed::vaccinations(&format!("{column}{row}"), text))
    .collect()
}

#[test]
fn libreoffice_typed_copies_merge_to_a_workbook_whose_own_csv_passes() {
    let test = "libreoffice_typed_copies_merge_to_a_workbook_whose_own_csv_passes";
    let Some(python) = python_uno(test) else {
        return;
    };
    let d = dir("libreoffice-typing");
    let (base, _, rows) = export(&d, 6);
    let work = d.join("work");
    // Nurse A types the dates as the user guide says, YYYYMMDD, and times
    // as 10:30; nurse B types dd/mm/yyyy and 10:30:00.
    let a = d.join("nurse-a.xlsx");
    let b = d.join("nurse-b.xlsx");
    let mut a_typed = typed(rows[0].0, &rows[0].1, "20251015", "10:30", "20261201");
    a_typed.extend(typed(
        rows[2].0, &rows[2].1, "20251015", "10:30", "20261201",
    ));
    let b_typed = typed(
        rows[1].0,
        &rows[1].1,
        "15/10/2025",
        "10:30:00",
        "01/12/2026",
    );
    type_and_save(&python, &work, &base, &a, &a_typed);
    type_and_save(&python, &work, &base, &b, &b_typed);

    // What the check models of LibreOffice's "save as CSV" of nurse A's
    // copy is what LibreOffice saves, cell for cell: `#FMT` where she typed
    // YYYYMMDD into a date cell.
    let a_bytes = std::fs::read(&a).unwrap();
    let a_saved = d.join("nurse-a-by-libreoffice.csv");
    type_and_save(&python, &work, &a, &a_saved, &[]);
    let real = read_bytes(&std::fs::read(&a_saved).unwrap(), "real.csv").unwrap();
    let modelled = read_as_saved(
        &a_bytes,
        "nurse-a.xlsx",
        SavedBy::LibreOffice,
        &ReadLimits::default(),
    )
    .unwrap();
    let date = modelled.column(Column::DateOfVaccination).unwrap();
    assert_eq!(modelled.rows[rows[0].0 as usize - 2].get(date), "#FMT");
    assert_eq!(modelled.headers, real.headers);
    for (m, r) in modelled.rows.iter().zip(&real.rows) {
        assert_eq!(m.cells, r.cells, "row {}", m.row);
    }
    assert_eq!(modelled.rows.len(), real.rows.len());

    // The check of her copy names those cells and what the spreadsheet
    // would save; its annotated copy holds them as dates, which
    // LibreOffice saves as dates.
    let annotated = d.join("nurse-a-annotated.xlsx");
    let out = check_json(&a, Some(&base), &["--annotate", s(&annotated)]);
    assert_eq!(out.status.code(), Some(1), "{}", printed(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let named = row_with(&json["errors"], "column", "header");
    let (r0, r2) = (u64::from(rows[0].0), u64::from(rows[2].0));
    let (date, expiry) = ("DATE_OF_VACCINATION", "BATCH_EXPIRY_DATE");
    assert_eq!(
        named,
        [
            (r0, "Z", date),
            (r0, "AG", expiry),
            (r2, "Z", date),
            (r2, "AG", expiry)
        ]
    );
    assert!(
        json["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("LibreOffice #FMT"),
        "{json}"
    );
    let annotated_saved = d.join("nurse-a-annotated-by-libreoffice.csv");
    type_and_save(&python, &work, &annotated, &annotated_saved, &[]);
    let fixed = read_bytes(&std::fs::read(&annotated_saved).unwrap(), "fixed.csv").unwrap();
    let (date, expiry) = (
        fixed.column(Column::DateOfVaccination).unwrap(),
        fixed.column(Column::BatchExpiryDate).unwrap(),
    );
    for row in [rows[0].0, rows[2].0] {
        let r = fixed.rows.iter().find(|r| r.row == row).unwrap();
        assert_eq!((r.get(date), r.get(expiry)), ("15/10/2025", "01/12/2026"));
    }

    let merged = d.join("merged.xlsx");
    let out = run(&merge_args(&base, &[&a, &b], &["--out", s(&merged)]));
    assert_eq!(out.status.code(), Some(0), "{}", printed(&out));

    // LibreOffice saves the merged workbook as CSV, as shown; the admin
    // deletes the rows nobody recorded.
    let saved = d.join("merged-by-libreoffice.csv");
    type_and_save(&python, &work, &merged, &saved, &[]);
    let theirs = read_bytes(&std::fs::read(&saved).unwrap(), "theirs.csv").unwrap();
    let vaccinated = theirs.column(Column::Vaccinated).unwrap();
    let mut w = mavis_csv::Writer::new(Vec::new());
    w.write_row(theirs.headers.iter().map(|h| h.text.as_str()))
        .unwrap();
    let kept: Vec<_> = theirs
        .rows
        .iter()
        .filter(|r| !r.normalised(vaccinated).is_empty())
        .collect();
    for r in &kept {
        w.write_row(r.cells.iter()).unwrap();
    }
    let upload = d.join("upload-by-libreoffice.csv");
    std::fs::write(&upload, w.into_inner()).unwrap();
    assert_eq!(
        kept.len(),
        4,
        "the three rows typed and the existing record's"
    );

    let out = check_json(&upload, Some(&base), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", printed(&out));

    // And it says what `mavis-offline csv` writes, row for row, once each
    // cell is read as Mavis reads it (dates in one form).
    let ours_path = d.join("upload.csv");
    let out = csv_in(&d, "merged.xlsx");
    assert_eq!(out.status.code(), Some(0), "{}", printed(&out));
    let ours = read_bytes(&std::fs::read(&ours_path).unwrap(), "ours.csv").unwrap();
    assert_eq!(ours.rows.len(), kept.len());
    for (o, t) in ours.rows.iter().zip(&kept) {
        for c in [
            Column::DateOfVaccination,
            Column::TimeOfVaccination,
            Column::BatchExpiryDate,
            Column::VaccineGiven,
            Column::BatchNumber,
            Column::DoseSequence,
            Column::NhsNumber,
        ] {
            let (oi, ti) = (ours.column(c).unwrap(), theirs.column(c).unwrap());
            assert_eq!(
                canonical_date(&o.normalised(oi)),
                canonical_date(&t.normalised(ti)),
                "{c:?}: ours {:?}, LibreOffice's {:?}",
                o.get(oi),
                t.get(ti)
            );
        }
    }
}
