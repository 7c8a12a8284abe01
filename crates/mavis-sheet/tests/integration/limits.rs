//! Each of the `ReadLimits`, gone over by a file crafted here: zip bombs,
//! lying zip directories, too many rows, columns and cells, long cells and
//! long CSV lines. Each must give a typed error that names the limit, never
//! a panic or an exhausted memory.

use crate::common;

use std::io::{Cursor, Write};

use mavis_demo::{self as demo, DemoOptions};
use mavis_domain::chrono::NaiveDate;
use mavis_sheet::{
    read_bytes, read_bytes_with, read_sheet_rows, ErrorKind, Limit, OfflineWorkbook, ReadLimits,
};
use rust_xlsxwriter::Workbook;
use zip::write::SimpleFileOptions;

fn limit_of(result: mavis_sheet::Result<mavis_sheet::Table>) -> (Limit, u64, u64, String) {
    let err = result.expect_err("the file goes over a limit");
    let message = err.to_string();
    match err.kind() {
        ErrorKind::TooLarge {
            what, limit, found, ..
        } => (*what, *limit, *found, message),
        other => panic!("not a TooLarge error: {other:?}"),
    }
}

/// A zip of the named parts, deflated.
fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        w.start_file(*name, options).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// An `.xlsx` whose Vaccinations sheet has `rows` data rows of `columns`
/// columns, each cell `text`.
fn grid_workbook(rows: u32, columns: u16, text: &str) -> Vec<u8> {
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("Vaccinations").unwrap();
    for c in 0..columns {
        sheet.write_string(0, c, format!("COLUMN_{c}")).unwrap();
        for r in 1..=rows {
            sheet.write_string(r, c, text).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

fn exported() -> Vec<u8> {
    let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
    let doc = demo::session(&DemoOptions::new(today));
    OfflineWorkbook::new(&doc, today).to_bytes().unwrap()
}

#[test]
fn the_exported_workbook_is_within_the_defaults_and_the_upload_limits() {
    let bytes = exported();
    let plain = read_bytes(&bytes, "export.xlsx").unwrap();
    let upload = read_bytes_with(&bytes, "export.xlsx", &ReadLimits::upload()).unwrap();
    assert_eq!(plain, upload);
    assert!(!plain.rows.is_empty());
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_reading() {
    let mut limits = ReadLimits::default();
    limits.max_file_bytes = 1000;
    let bytes = exported();
    let (what, limit, found, message) = limit_of(read_bytes_with(&bytes, "big.xlsx", &limits));
    assert_eq!(
        (what, limit, found),
        (Limit::FileBytes, 1000, bytes.len() as u64)
    );
    assert!(
        message.starts_with("big.xlsx: too large to read: the file is "),
        "{message}"
    );
    let csv = "PERSON_FORENAME\r\n".repeat(100);
    let (what, ..) = limit_of(read_bytes_with(csv.as_bytes(), "big.csv", &limits));
    assert_eq!(what, Limit::FileBytes);
}

#[test]
fn a_zip_bomb_is_refused_by_its_ratio_with_the_default_limits() {
    // 8 MiB of zeros pack to a few kilobytes: about 1000 to 1.
    let zeros = vec![0u8; 8 << 20];
    let bomb = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/sharedStrings.xml", &zeros),
    ]);
    assert!(bomb.len() < 100_000);
    let (what, limit, found, message) = limit_of(read_bytes(&bomb, "bomb.xlsx"));
    assert_eq!(what, Limit::CompressionRatio);
    assert_eq!(limit, 200);
    assert!(found > 500, "{found}");
    assert!(
        message.contains("(part xl/sharedStrings.xml)") && message.contains("do not use it"),
        "{message}"
    );
    // The hidden-sheet reader checks the package first too.
    let err = read_sheet_rows(&bomb, "bomb.xlsx", "Session").unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::TooLarge { .. }), "{err}");
}

#[test]
fn a_part_over_the_part_limit_and_parts_over_the_total_are_refused() {
    let mut limits = ReadLimits::default();
    limits.max_part_bytes = 1 << 20;
    limits.max_uncompressed_bytes = 3 << 20;
    let big = vec![b'x'; (1 << 20) + 1];
    let one = zip_of(&[("xl/sharedStrings.xml", &big)]);
    let (what, limit, found, _) = limit_of(read_bytes_with(&one, "part.xlsx", &limits));
    assert_eq!(
        (what, limit, found),
        (Limit::PartBytes, 1 << 20, (1 << 20) + 1)
    );

    let part = vec![b'y'; 900 << 10];
    let names = ["a.xml", "b.xml", "c.xml", "d.xml"];
    let parts: Vec<(&str, &[u8])> = names.iter().map(|n| (*n, &part[..])).collect();
    let many = zip_of(&parts);
    let (what, ..) = limit_of(read_bytes_with(&many, "parts.xlsx", &limits));
    assert_eq!(what, Limit::UncompressedBytes);

    limits.max_parts = 3;
    let (what, limit, found, _) = limit_of(read_bytes_with(&many, "parts.xlsx", &limits));
    assert_eq!((what, limit, found), (Limit::Parts, 3, 4));
}

/// Overwrite every size field of the zip entries, in the local headers
/// and the central directory, with `size`.
fn lie_about_sizes(zip: &mut [u8], size: u32) {
    let le = size.to_le_bytes();
    let mut i = 0;
    while i + 4 <= zip.len() {
        match &zip[i..i + 4] {
            b"PK\x03\x04" => zip[i + 22..i + 26].copy_from_slice(&le),
            b"PK\x01\x02" => zip[i + 24..i + 28].copy_from_slice(&le),
            _ => {}
        }
        i += 1;
    }
}

#[test]
fn a_part_that_unpacks_to_more_than_its_directory_declares_is_refused() {
    // A workbook whose shared strings unpack to 2 MiB while the directory
    // declares 1000 bytes: the declared sizes pass every limit, the count
    // of the bytes really unpacked does not (the zip crate stops at the
    // declared size too).
    let mut zip = zip_of(&[("xl/sharedStrings.xml", &vec![b'z'; 2 << 20])]);
    lie_about_sizes(&mut zip, 1000);
    let err = read_bytes(&zip, "liar.xlsx").unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(err.kind(), ErrorKind::Unreadable { .. })
            && message.contains(
                "unpacks to more than the 1000 bytes its directory declares, or is damaged"
            ),
        "{message}"
    );
}

/// Overwrite the size fields of the entry named `name`, in its local
/// header and in the central directory, with `size`.
fn lie_about_size_of(zip: &mut [u8], name: &str, size: u32) {
    let le = size.to_le_bytes();
    let mut patched = 0;
    let mut i = 0;
    while i + 46 <= zip.len() {
        let field = |at: usize| usize::from(u16::from_le_bytes([zip[i + at], zip[i + at + 1]]));
        match &zip[i..i + 4] {
            b"PK\x03\x04"
                if zip[i + 30..].starts_with(name.as_bytes()) && field(26) == name.len() =>
            {
                zip[i + 22..i + 26].copy_from_slice(&le);
                patched += 1;
            }
            b"PK\x01\x02"
                if zip[i + 46..].starts_with(name.as_bytes()) && field(28) == name.len() =>
            {
                zip[i + 24..i + 28].copy_from_slice(&le);
                patched += 1;
            }
            _ => {}
        }
        i += 1;
    }
    assert_eq!(patched, 2, "{name} patched in both headers");
}

/// A sink that counts the bytes written to it.
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn the_zip_crate_fails_a_part_at_the_size_its_directory_declares() {
    // Worksheets are not unpacked before reading: what bounds them is the
    // zip crate refusing to unpack a part past its declared size. If an
    // upgrade of the zip crate drops that, this fails and the worksheets
    // must be counted again (`limits::check_package`).
    let mut zip = grid_workbook(2_000, 10, "x");
    lie_about_size_of(&mut zip, "xl/worksheets/sheet1.xml", 1000);
    let mut archive = zip::ZipArchive::new(Cursor::new(&zip[..])).unwrap();
    let mut part = archive.by_name("xl/worksheets/sheet1.xml").unwrap();
    assert_eq!(part.size(), 1000);
    let mut counter = Counter(0);
    let err = std::io::copy(&mut part, &mut counter).unwrap_err();
    assert!(counter.0 <= 1000, "{} bytes unpacked", counter.0);
    assert!(err.to_string().contains("declared"), "{err}");
    drop(part);
    let mut whole = Vec::new();
    let part = archive.by_name("xl/worksheets/sheet1.xml").unwrap();
    assert!(std::io::Read::read_to_end(&mut { part }, &mut whole).is_err());
    assert!(whole.len() <= 1001, "{} bytes kept", whole.len());
}

#[test]
fn a_sheet_that_unpacks_to_more_than_its_directory_declares_is_refused() {
    // The Vaccinations sheet unpacks to some hundreds of kilobytes while
    // its directory entry declares 1000 bytes: reading it stops at the
    // declared size, and the error names the part as for any other.
    let mut zip = grid_workbook(2_000, 10, "x");
    lie_about_size_of(&mut zip, "xl/worksheets/sheet1.xml", 1000);
    let expected = "its part xl/worksheets/sheet1.xml unpacks to more than the 1000 bytes its \
                    directory declares, or is damaged; do not use the file";
    for result in [
        read_bytes(&zip, "liar.xlsx").map(|_| ()),
        read_bytes_with(&zip, "liar.xlsx", &ReadLimits::upload()).map(|_| ()),
        read_sheet_rows(&zip, "liar.xlsx", "Vaccinations").map(|_| ()),
    ] {
        let err = result.unwrap_err();
        let message = err.to_string();
        assert!(
            matches!(err.kind(), ErrorKind::Unreadable { .. }) && message.ends_with(expected),
            "{message}"
        );
    }
    // The regression input: 2 MiB of rows declared as 1000 bytes.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/regressions/lying-sheet.xlsx"
    );
    let err = read_bytes(&std::fs::read(path).unwrap(), "liar.xlsx").unwrap_err();
    assert!(err.to_string().ends_with(expected), "{err}");
    // Told the truth, the same sheet reads.
    let honest = grid_workbook(2_000, 10, "x");
    assert_eq!(
        read_bytes(&honest, "honest.xlsx").unwrap().rows.len(),
        2_000
    );
}

#[test]
fn too_many_rows_columns_or_cells_in_a_workbook() {
    let bytes = grid_workbook(30, 12, "x");
    let mut limits = ReadLimits::default();
    limits.max_rows = 20;
    let (what, limit, found, _) = limit_of(read_bytes_with(&bytes, "rows.xlsx", &limits));
    assert_eq!((what, limit, found), (Limit::Rows, 20, 21));

    let mut limits = ReadLimits::default();
    limits.max_columns = 10;
    let (what, limit, found, _) = limit_of(read_bytes_with(&bytes, "cols.xlsx", &limits));
    assert_eq!((what, limit, found), (Limit::Columns, 10, 11));

    let mut limits = ReadLimits::default();
    limits.max_cells = 100;
    let (what, limit, _, _) = limit_of(read_bytes_with(&bytes, "cells.xlsx", &limits));
    assert_eq!((what, limit), (Limit::Cells, 100));
}

#[test]
fn a_sheet_that_repeats_one_cell_is_refused_at_the_cell_limit() {
    // A2 two hundred times: a grid of two rows, but every repeat is kept
    // until the grid is made, so the repeats count against the cell limit.
    let rows = format!(
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>PERSON_FORENAME</t></is></c></row>\
         <row r=\"2\">{}</row>",
        "<c r=\"A2\"><v>1</v></c>".repeat(200)
    );
    let bytes = common::workbook_with_sheet_data(&rows);
    let mut limits = ReadLimits::default();
    limits.max_cells = 100;
    let (what, limit, found, _) = limit_of(read_bytes_with(&bytes, "repeats.xlsx", &limits));
    assert_eq!((what, limit, found), (Limit::Cells, 100, 101));
    // Within the limit, the last of the repeats is the cell.
    let table = read_bytes(&bytes, "repeats.xlsx").unwrap();
    assert_eq!(table.rows.len(), 1);
    assert_eq!(table.rows[0].get(0), "1");
}

#[test]
fn one_far_away_cell_is_refused_before_the_grid_is_made() {
    // A1 and XFD1048576: calamine's grid of them would be 17 billion cells.
    // A header and one cell at (row, column).
    let with_far_cell = |row: u32, column: u16| {
        let mut wb = Workbook::new();
        let sheet = wb.add_worksheet();
        sheet.set_name("Vaccinations").unwrap();
        sheet.write_string(0, 0, "PERSON_FORENAME").unwrap();
        sheet.write_string(row, column, "far").unwrap();
        wb.save_to_buffer().unwrap()
    };
    let bytes = with_far_cell(1_048_575, 16_383);
    let (what, ..) = limit_of(read_bytes(&bytes, "far.xlsx"));
    assert_eq!(what, Limit::Rows);
    let bytes = with_far_cell(5, 16_383);
    let (what, limit, found, _) = limit_of(read_bytes(&bytes, "wide.xlsx"));
    assert_eq!((what, limit, found), (Limit::Columns, 1000, 16_384));
}

#[test]
fn a_long_cell_in_a_workbook_or_a_csv() {
    let bytes = grid_workbook(2, 2, &"a".repeat(101));
    let mut limits = ReadLimits::default();
    limits.max_cell_chars = 100;
    let (what, limit, found, message) = limit_of(read_bytes_with(&bytes, "long.xlsx", &limits));
    assert_eq!((what, limit, found), (Limit::CellChars, 100, 101));
    assert!(message.contains("(row 2, column A)"), "{message}");

    // Excel's own limit, by default; characters, not bytes, count.
    let csv = format!("PERSON_FORENAME,NOTES\r\nAisha,{}\r\n", "é".repeat(32_768));
    let (what, limit, found, message) = limit_of(read_bytes(csv.as_bytes(), "long.csv"));
    assert_eq!((what, limit, found), (Limit::CellChars, 32_767, 32_768));
    assert!(message.contains("(row 2, column B)"), "{message}");
    let csv = format!("PERSON_FORENAME,NOTES\r\nAisha,{}\r\n", "é".repeat(32_767));
    assert!(read_bytes(csv.as_bytes(), "long.csv").is_ok());
}

#[test]
fn a_csv_line_of_two_mebibytes() {
    let csv = format!("PERSON_FORENAME\r\nAisha\r\n{}\r\n", "b".repeat(2 << 20));
    let (what, limit, found, message) = limit_of(read_bytes(csv.as_bytes(), "line.csv"));
    assert_eq!(
        (what, limit, found),
        (Limit::CsvLineBytes, 1 << 20, 2 << 20)
    );
    assert!(message.contains("(line 3)"), "{message}");
    // Lines end at a bare carriage return too (old Mac CSV).
    let csv = "PERSON_FORENAME\rAisha\r".repeat(50_000);
    assert!(read_bytes(csv.as_bytes(), "mac.csv").is_ok());
}

#[test]
fn too_many_rows_columns_or_cells_in_a_csv() {
    let mut csv = String::from("PERSON_FORENAME\r\n");
    for i in 0..20_001 {
        csv.push_str(&format!("child {i}\r\n"));
    }
    let (what, limit, found, _) = limit_of(read_bytes_with(
        csv.as_bytes(),
        "rows.csv",
        &ReadLimits::upload(),
    ));
    assert_eq!((what, limit, found), (Limit::Rows, 20_000, 20_001));
    assert!(read_bytes(csv.as_bytes(), "rows.csv").is_ok());

    let wide = format!("{}\r\n", vec!["H"; 1_001].join(","));
    let (what, limit, found, _) = limit_of(read_bytes(wide.as_bytes(), "wide.csv"));
    assert_eq!((what, limit, found), (Limit::Columns, 1_000, 1_001));
    // Empty cells past the limit, as a spreadsheet program pads rows, pass.
    let padded = format!("PERSON_FORENAME{}\r\nAisha\r\n", ",".repeat(5_000));
    assert!(read_bytes(padded.as_bytes(), "padded.csv").is_ok());

    let mut limits = ReadLimits::default();
    limits.max_cells = 10;
    let csv = "A,B,C\r\n1,2,3\r\n4,5,6\r\n7,8,9\r\n10,11,12\r\n";
    let (what, limit, found, _) = limit_of(read_bytes_with(csv.as_bytes(), "cells.csv", &limits));
    assert_eq!((what, limit, found), (Limit::Cells, 10, 12));
}
