//! Reading spreadsheets back, whatever Excel or LibreOffice did to them:
//! one test per case, on the fixtures in `tests/data/` (see
//! `tests/integration/common/fixtures.rs` for how each was made).

use crate::common;

use crate::common::fixtures;
use mavis_sheet::{read_bytes, ErrorKind, Severity, SourceKind, Table};

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read(name: &str) -> Table {
    read_bytes(&fixture(name), name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn issues(table: &Table) -> Vec<String> {
    table.issues.iter().map(ToString::to_string).collect()
}

#[test]
fn fixtures_are_up_to_date() {
    for (name, bytes) in fixtures::all() {
        assert!(
            fixture(name) == bytes,
            "tests/data/{name} is not what tests/integration/common/fixtures.rs makes; run `cargo run -p \
             mavis-sheet --example make_fixtures`"
        );
    }
}

#[test]
fn excel_typing() {
    for name in ["excel-typing.xlsx", "excel-typing-1904.xlsx"] {
        let t = read(name);
        // 19/10/2013 in the workbook's date system.
        let serial = if name.contains("1904") { 40104 } else { 41566 };
        assert_eq!(t.kind, SourceKind::Workbook);
        assert_eq!(t.sheet.as_deref(), Some("Vaccinations"));
        let row = |r: usize| -> Vec<&str> { t.rows[r].cells.iter().map(String::as_str).collect() };
        assert_eq!(
            row(0),
            [
                "Aisha",
                "9449306168", // a number, read as its digits
                "02/11/2012", // a date serial with its format
                "20251014",   // YYYYMMDD typed into a date cell
                "10:15:00",   // a typed time
                "123456",     // a batch number stored as a number
                "Y",
                "Given in the left arm", // a formula's cached value
                "30/06/2026",
                "141234",
            ],
            "{name}"
        );
        assert_eq!(
            row(1),
            [
                "Ben",
                "123456789",  // reported below: a leading zero was lost
                "19/10/2013", // a serial that lost its date format, in a date column
                "14/10/2025", // a date-time in a date column: its date
                "12:00:00",   // a bare fraction in the time column
                "1234",       // a formula's number
                "TRUE",       // a boolean
                "  two  spaces\u{a0}and a\nline ",
                "",
                "41234", // reported below: a URN has six digits
            ],
            "{name}"
        );
        assert_eq!(
            row(2)[1],
            "9434765919",
            "text 9434765919.0 reads as the digits"
        );
        assert_eq!(row(2)[5], "AB12.0", "only digits lose a .0");
        assert_eq!(row(2)[3], "#N/A");
        assert_eq!(t.rows[1].normalised(7), "two spaces and a line");
        assert_eq!(t.rows.iter().map(|r| r.row).collect::<Vec<_>>(), [2, 3, 4]);
        assert_eq!(
            issues(&t),
            [
                // Read right, but shown (and saved as CSV) as ######## or
                // #FMT by the spreadsheet program (issue 16).
                format!(
                    "{name}, sheet Vaccinations: row 2, column D (DATE_OF_VACCINATION): 20251014 \
                     was typed into a date cell, which stores it as the number 20251014, far past \
                     the last date a spreadsheet can show: Excel shows ########, LibreOffice \
                     #FMT, and their \"save as CSV\" writes that, which Mavis refuses. Type it as \
                     14/10/2025, or upload with `mavis-offline csv`, which writes it correctly"
                ),
                format!(
                    "{name}, sheet Vaccinations: row 3, column B (NHS_NUMBER): \"123456789\" has \
                     9 digits, not 10: the spreadsheet stored it as a number and may have \
                     dropped leading zeros; format the column as text and type the value again"
                ),
                // Read right, but a General cell shows the number, not the
                // date or time it stands for, and saves that as CSV.
                format!(
                    "{name}, sheet Vaccinations: row 3, column C (PERSON_DOB): 19/10/2013 is \
                     stored as the number {serial} in a cell not formatted as a date: Excel and \
                     LibreOffice show it as {serial}, and \"save as CSV\" writes that, which Mavis \
                     would not read as 19/10/2013. To upload by saving as CSV, type it again as \
                     19/10/2013; or upload with `mavis-offline csv`, which writes it correctly"
                ),
                format!(
                    "{name}, sheet Vaccinations: row 3, column E (TIME_OF_VACCINATION): 12:00:00 \
                     is stored as the number 0.5 in a cell not formatted as a time: Excel and \
                     LibreOffice show it as 0.5, and \"save as CSV\" writes that, which Mavis \
                     would not read as 12:00:00. To upload by saving as CSV, type it again as \
                     12:00; or upload with `mavis-offline csv`, which writes it correctly"
                ),
                format!(
                    "{name}, sheet Vaccinations: row 3, column J (SCHOOL_URN): \"41234\" has 5 \
                     digits, not 6: the spreadsheet stored it as a number and may have dropped \
                     leading zeros; format the column as text and type the value again"
                ),
                format!(
                    "{name}, sheet Vaccinations: row 4, column D (DATE_OF_VACCINATION): the cell \
                     shows the error #N/A, not a value; type the value in again, without a \
                     formula"
                ),
            ]
        );
        assert_eq!(t.issues[0].severity, Severity::Shown);
        assert_eq!(t.issues[2].severity, Severity::Shown);
        assert_eq!(t.issues[3].at.cell_ref().as_deref(), Some("E3"));
        assert_eq!(t.issues[5].severity, Severity::Error);
        assert_eq!(t.issues[5].at.cell_ref().as_deref(), Some("D4"));
    }
}

#[test]
fn hidden_filtered_sorted_and_added_rows_are_all_read() {
    let t = read("hidden-filtered-sorted.xlsx");
    let names: Vec<&str> = t.rows.iter().map(|r| r.get(0)).collect();
    assert_eq!(names, ["Zoë", "Amir", "Added", "Mia", "Ben"]);
    assert_eq!(t.rows[2].row, 4);
    assert!(t.issues.is_empty());
}

#[test]
fn a_renamed_sheet_is_read_with_a_warning_and_hidden_sheets_are_not() {
    let t = read("renamed-sheet.xlsx");
    assert_eq!(t.sheet.as_deref(), Some("Sheet1"));
    assert_eq!(t.rows[0].get(0), "Aisha");
    assert_eq!(
        issues(&t),
        [
            "renamed-sheet.xlsx: there is no sheet named Vaccinations; reading the first visible \
          sheet, \"Sheet1\""
        ]
    );
    let err = read_bytes(
        &fixture("only-hidden-sheets.xlsx"),
        "only-hidden-sheets.xlsx",
    )
    .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Unreadable { .. }));
    assert_eq!(
        err.to_string(),
        "only-hidden-sheets.xlsx: cannot be read: it has no sheet named Vaccinations and no \
         visible sheet to read instead"
    );
    let err = read_bytes(
        &fixture("no-vaccinations-sheet.xlsx"),
        "no-vaccinations-sheet.xlsx",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "no-vaccinations-sheet.xlsx: cannot be read: it has no sheet named Vaccinations, and its \
         first visible sheet \"Rota\" has none of the session sheet's headers (such as \
         PERSON_FORENAME or VACCINATED) in row 1; open the copy that was downloaded from Mavis"
    );
}

#[test]
fn broken_workbooks_are_typed_errors() {
    for name in ["truncated.xlsx", "not-a-zip.xlsx"] {
        let err = read_bytes(&fixture(name), name).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::Unreadable { .. }),
            "{name}: {err}"
        );
        assert!(
            err.to_string().starts_with(&format!(
                "{name}: cannot be read: it is not a workbook a spreadsheet program saved whole"
            )),
            "{err}"
        );
    }
}

#[test]
fn headers_as_people_write_them() {
    let t = read("headers.csv");
    let keys: Vec<&str> = t.headers.iter().map(|h| h.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "notes",
            "date_of_vaccination",
            "event_date",
            "first_name",
            "person_surname",
            "favourite_colour",
            "person_surname",
            "vaccinated"
        ]
    );
    assert_eq!(
        t.headers[1].text, "date-of-vaccination",
        "as written, trimmed"
    );
    use mavis_sheet::Column;
    // The canonical header wins over its alias; an alias alone is found.
    assert_eq!(t.column(Column::DateOfVaccination), Some(1));
    assert_eq!(t.column(Column::PersonForename), Some(3));
    assert_eq!(t.column(Column::Vaccinated), Some(7));
    assert_eq!(t.rows[0].get(5), "green", "unknown columns are kept");
    assert_eq!(
        issues(&t),
        [
            "headers.csv: row 1, column G (person_surname): the header \"person_surname\" repeats \
          column E's (\"PERSON_SURNAME\"); the upload would read only the first, so delete or \
          rename one of them"
        ]
    );
    assert!(t.has_errors());
}

#[test]
fn text_quoting_spaces_blank_lines_and_trailing_rows() {
    for name in ["text-utf8-bom-crlf.csv", "text-utf8-lf.csv"] {
        let t = read(name);
        assert_eq!(t.kind, SourceKind::Csv);
        assert_eq!(
            t.headers[0].text, "PERSON_FORENAME",
            "{name}: no BOM in the header"
        );
        let rows: Vec<(u32, &str)> = t.rows.iter().map(|r| (r.row, r.get(0))).collect();
        // The instruction row is read like any row (the validator drops it);
        // the blank line counts as a row, as a spreadsheet shows it; the
        // trailing blank rows are gone.
        assert_eq!(
            rows,
            [
                (2, "Required, the child's first name"),
                (3, "Aisha"),
                (5, "Zoë"),
                (6, "Ben"),
            ],
            "{name}"
        );
        assert_eq!(t.rows[1].get(2), "Said \"ouch\", then smiled");
        assert!(t.rows[2].get(2).contains("second line"));
        assert_eq!(t.rows[2].normalised(2), "first line second line");
        assert_eq!(t.rows[3].normalised(1), "Carter");
        assert_eq!(t.rows[3].normalised(2), "lots of spaces");
        assert!(t.issues.is_empty(), "{name}: {:?}", issues(&t));
    }
}

#[test]
fn windows_1252_is_decoded_and_said() {
    let t = read("windows-1252.csv");
    assert_eq!(
        t.rows[0].cells,
        ["Zoë", "Jiménez", "\u{201c}quoted\u{201d} € 5"]
    );
    assert_eq!(t.issues.len(), 1);
    assert_eq!(t.issues[0].severity, Severity::Warning);
    assert!(t.issues[0].message.contains("Windows-1252"));
}

/// Issue 14: bytes Windows-1252 leaves undefined (0x81, 0x8D) were refused
/// here while the validator, as Mavis, reads them as Windows-1252; the one
/// reader reads them as Mavis does, and says the file is not UTF-8.
#[test]
fn bytes_undefined_in_windows_1252_are_read_as_mavis_reads_them() {
    let t = read_bytes(&fixture("not-text.csv"), "not-text.csv").unwrap();
    assert_eq!(t.rows[0].cells, ["Aisha", "\u{81}\u{8d}\0"]);
    assert_eq!(t.issues.len(), 1);
    assert!(t.issues[0].message.contains("read as Windows-1252"));
}

#[test]
fn a_csv_with_no_header_is_refused() {
    let err = read_bytes(&fixture("empty.csv"), "empty.csv").unwrap_err();
    assert_eq!(
        err.to_string(),
        "empty.csv: cannot be read: it is empty; it has no header row"
    );
}

#[test]
fn garbled_text_is_flagged() {
    let t = read("garbled.csv");
    assert_eq!(t.rows[0].get(0), "ZoÃ«");
    assert!(issues(&t)[0].contains("looks garbled"), "{:?}", issues(&t));
}

#[test]
fn ragged_rows_are_read_and_reported() {
    let t = read("ragged.csv");
    assert_eq!(t.rows[0].cells, ["Aisha", "", ""]);
    assert!(t.rows[0].ragged);
    assert_eq!(t.rows[1].cells, ["Ben", "Carter", "ok"]);
    assert!(t.rows[1].ragged);
    assert!(!t.rows[2].ragged);
    assert_eq!(
        issues(&t),
        [
            "ragged.csv: row 2: this row has 1 cells but the header has 3; the missing cells \
             are read as empty",
            "ragged.csv: row 3: this row has 4 cells but the header has 3; the cells past the \
             last header are ignored",
        ]
    );
}

#[test]
fn cells_out_of_order_or_repeated_read_as_calamine_places_them() {
    // Row 3 before rows 1 and 2, B1 before A1, and A2 twice: a sheet's XML
    // is written in order, but nothing makes it so. calamine's grid puts
    // each cell at its position, the last of a repeated one winning.
    let text = |r: &str, s: &str| format!(r#"<c r="{r}" t="inlineStr"><is><t>{s}</t></is></c>"#);
    let rows = format!(
        r#"<row r="3">{}<c r="B3"><v>123456789</v></c></row><row r="1">{}{}</row><row r="2">{}{}<c r="B2"><v>12345</v></c></row>"#,
        text("A3", "third"),
        text("B1", "NHS_NUMBER"),
        text("A1", "PERSON_FORENAME"),
        text("A2", "first"),
        text("A2", "second"),
    );
    let bytes = common::workbook_with_sheet_data(&rows);
    let t = read_bytes(&bytes, "order.xlsx").unwrap();
    let headers: Vec<&str> = t.headers.iter().map(|h| h.text.as_str()).collect();
    assert_eq!(headers, ["PERSON_FORENAME", "NHS_NUMBER"]);
    let cells: Vec<Vec<&str>> = t
        .rows
        .iter()
        .map(|r| r.cells.iter().map(String::as_str).collect())
        .collect();
    assert_eq!(cells, [["second", "12345"], ["third", "123456789"]]);
    assert_eq!(t.rows.iter().map(|r| r.row).collect::<Vec<_>>(), [2, 3]);
    // One issue a short NHS number, in row order.
    let at: Vec<String> = t.issues.iter().map(|i| i.at.to_string()).collect();
    assert_eq!(
        at,
        [
            "order.xlsx, sheet Vaccinations: row 2, column B (NHS_NUMBER)",
            "order.xlsx, sheet Vaccinations: row 3, column B (NHS_NUMBER)",
        ]
    );
    // calamine's own grid agrees.
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(&bytes[..])).unwrap();
    let range = wb.worksheet_range("Vaccinations").unwrap();
    assert_eq!(range.get_value((1, 0)).unwrap().to_string(), "second");
    assert_eq!(range.get_value((2, 0)).unwrap().to_string(), "third");
}

/// The workbook with, in each worksheet of three rows or more, the second
/// row moved to the end of the sheet's XML: the same cells out of order.
fn with_a_row_out_of_order(bytes: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        let name = part.name().unwrap().into_owned();
        let mut data = Vec::new();
        part.read_to_end(&mut data).unwrap();
        if name.starts_with("xl/worksheets/sheet") {
            let xml = String::from_utf8(data).unwrap();
            let starts: Vec<usize> = xml.match_indices("<row ").map(|(i, _)| i).collect();
            data = match (starts.get(1), starts.get(2), xml.find("</sheetData>")) {
                (Some(&second), Some(&third), Some(end)) => format!(
                    "{}{}{}{}",
                    &xml[..second],
                    &xml[third..end],
                    &xml[second..third],
                    &xml[end..]
                ),
                _ => xml,
            }
            .into_bytes();
        }
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn a_sheet_read_in_order_and_the_same_sheet_out_of_order_read_alike() {
    // Cells in order are read as they come; out of order they are sorted
    // first. Both ways must give the same table, issues included.
    let today = common::today();
    let doc = mavis_demo::session(&mavis_demo::DemoOptions {
        children: 12,
        ..mavis_demo::DemoOptions::new(today)
    });
    let exported = mavis_sheet::OfflineWorkbook::new(&doc, today)
        .to_bytes()
        .unwrap();
    let mut workbooks = vec![("export.xlsx", exported)];
    for name in [
        "excel-typing.xlsx",
        "excel-typing-1904.xlsx",
        "hidden-filtered-sorted.xlsx",
        "renamed-sheet.xlsx",
    ] {
        workbooks.push((name, fixture(name)));
    }
    for (name, bytes) in workbooks {
        let shuffled = with_a_row_out_of_order(&bytes);
        let in_order = read_bytes(&bytes, name).unwrap();
        assert!(!in_order.rows.is_empty(), "{name}");
        assert_eq!(in_order, read_bytes(&shuffled, name).unwrap(), "{name}");
    }
}
