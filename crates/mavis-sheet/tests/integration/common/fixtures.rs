//! The reading fixtures in `tests/data/`, built here so that how each was
//! made is code the repository keeps. `cargo run -p mavis-sheet --example
//! make_fixtures` writes them; the `fixtures_are_up_to_date` test checks
//! that the files are what this code makes.
//!
//! Workbooks are written with rust_xlsxwriter as Excel stores what a nurse
//! types (a date typed into a `dd/mm/yyyy` cell becomes a number with that
//! format, and so on); what rust_xlsxwriter cannot write (error cells, the
//! 1904 date system) is then patched into the package with
//! `mavis_sheet::edit_sheet` or by rewriting `xl/workbook.xml`.

use std::io::{Cursor, Read, Write};

use mavis_sheet::{edit_sheet, CellEdit, Entry};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Formula, Workbook};

/// Every fixture: its file name and bytes.
pub fn all() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("excel-typing.xlsx", excel_typing(false)),
        ("excel-typing-1904.xlsx", excel_typing(true)),
        ("hidden-filtered-sorted.xlsx", hidden_filtered_sorted()),
        ("renamed-sheet.xlsx", renamed_sheet()),
        ("only-hidden-sheets.xlsx", only_hidden_sheets()),
        ("no-vaccinations-sheet.xlsx", no_vaccinations_sheet()),
        ("truncated.xlsx", truncated()),
        ("not-a-zip.xlsx", b"PK\x03\x04 this is not really a zip archive".to_vec()),
        ("headers.csv", headers_csv()),
        ("text-utf8-bom-crlf.csv", text_csv(true, "\r\n")),
        ("text-utf8-lf.csv", text_csv(false, "\n")),
        ("windows-1252.csv", windows_1252()),
        ("not-text.csv", b"PERSON_FORENAME,NOTES\r\nAisha,\x81\x8d\x00\r\n".to_vec()),
        ("ragged.csv", b"PERSON_FORENAME,PERSON_SURNAME,NOTES\nAisha\nBen,Carter,ok,extra\nChlo\xc3\xab,Davies,\n".to_vec()),
        ("garbled.csv", "PERSON_FORENAME\r\nZoÃ«\r\n".as_bytes().to_vec()),
        ("empty.csv", Vec::new()),
    ]
}

fn workbook() -> Workbook {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2025, 10, 15).unwrap();
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created));
    wb
}

const TYPING_HEADERS: [&str; 10] = [
    "PERSON_FORENAME",
    "NHS_NUMBER",
    "PERSON_DOB",
    "DATE_OF_VACCINATION",
    "TIME_OF_VACCINATION",
    "BATCH_NUMBER",
    "VACCINATED",
    "NOTES",
    "BATCH_EXPIRY_DATE",
    "SCHOOL_URN",
];

/// Values as Excel stores what a nurse typed: see the `read` tests for what
/// each row must read as.
fn excel_typing(date1904: bool) -> Vec<u8> {
    let mut wb = workbook();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let date_time = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    let time = Format::new().set_num_format("hh:mm:ss");
    let ws = wb.add_worksheet();
    ws.set_name("Vaccinations").unwrap();
    for (c, h) in TYPING_HEADERS.iter().enumerate() {
        ws.write_string(0, u16::try_from(c).unwrap(), *h).unwrap();
    }
    // 1900 serials; the 1904 file stores the same dates 1462 days lower.
    let shift = if date1904 { 1462.0 } else { 0.0 };
    let dob = 41215.0 - shift; // 2 November 2012
    let expiry = 46203.0 - shift; // 30 June 2026
                                  // Row 2: numbers where text was meant, a typed YYYYMMDD, a typed time.
    ws.write_string(1, 0, "Aisha").unwrap();
    ws.write_number(1, 1, 9_449_306_168.0).unwrap();
    ws.write_number_with_format(1, 2, dob, &date).unwrap();
    ws.write_number_with_format(1, 3, 20_251_014.0, &date)
        .unwrap();
    ws.write_number_with_format(1, 4, 10.25 / 24.0, &time)
        .unwrap();
    ws.write_number(1, 5, 123_456.0).unwrap();
    ws.write_string(1, 6, "Y").unwrap();
    ws.write_formula(
        1,
        7,
        Formula::new("=\"Given \"&\"in the left arm\"").set_result("Given in the left arm"),
    )
    .unwrap();
    ws.write_number_with_format(1, 8, expiry, &date).unwrap();
    ws.write_number(1, 9, 141_234.0).unwrap();
    // Row 3: dropped leading zeros, a date-time, a bare fraction for a
    // time, a boolean, a formula's number.
    ws.write_string(2, 0, "Ben").unwrap();
    ws.write_number(2, 1, 123_456_789.0).unwrap();
    ws.write_number(2, 2, 41_566.0 - shift).unwrap(); // a serial that lost its format
    ws.write_number_with_format(2, 3, 45_944.427_083_333_33 - shift, &date_time)
        .unwrap();
    ws.write_number(2, 4, 0.5).unwrap();
    ws.write_formula(2, 5, Formula::new("=1000+234").set_result("1234"))
        .unwrap();
    ws.write_boolean(2, 6, true).unwrap();
    ws.write_string(2, 7, "  two  spaces\u{a0}and a\nline ")
        .unwrap();
    ws.write_number(2, 9, 41_234.0).unwrap();
    // Row 4: text that a tool wrote from a number, and an error cell.
    ws.write_string(3, 0, "Chloë").unwrap();
    ws.write_string(3, 1, "9434765919.0").unwrap();
    ws.write_string(3, 5, "AB12.0").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let not_available = [CellEdit::new(4, 3, Entry::Error("#N/A".into()))];
    let bytes = edit_sheet(&bytes, "excel.xlsx", "Vaccinations", &not_available).unwrap();
    if date1904 {
        // The 1904 date system, as Excel for Mac once saved by default.
        patch_workbook_xml(&bytes, |xml| {
            xml.replacen("<workbookPr", "<workbookPr date1904=\"1\"", 1)
        })
    } else {
        bytes
    }
}

/// Rewrite `xl/workbook.xml` (rust_xlsxwriter cannot write every state).
fn patch_workbook_xml(bytes: &[u8], patch: impl Fn(&str) -> String) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut content = String::new();
        f.read_to_string(&mut content).unwrap();
        if name == "xl/workbook.xml" {
            let patched = patch(&content);
            assert_ne!(patched, content, "the patch applies");
            content = patched;
        }
        let options =
            zip::write::SimpleFileOptions::default().last_modified_time(zip::DateTime::default());
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(content.as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A copy a nurse sorted by first name, filtered (rows hidden by the
/// filter), hid a row in, and added a row to in the middle.
fn hidden_filtered_sorted() -> Vec<u8> {
    let mut wb = workbook();
    let ws = wb.add_worksheet();
    ws.set_name("Vaccinations").unwrap();
    for (c, h) in [
        "PERSON_FORENAME",
        "PERSON_SURNAME",
        "VACCINATED",
        "PROGRAMME",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, u16::try_from(c).unwrap(), *h).unwrap();
    }
    let rows = [
        ("Zoë", "Adams", "Y", "HPV"),
        ("Amir", "Young", "N", "HPV"),
        ("Added", "Child", "Y", "HPV"),
        ("Mia", "Brown", "", "HPV"),
        ("Ben", "Carter", "Y", "HPV"),
    ];
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap();
        for (c, v) in [row.0, row.1, row.2, row.3].iter().enumerate() {
            ws.write_string(r, u16::try_from(c).unwrap(), *v).unwrap();
        }
    }
    ws.autofilter(0, 0, 5, 3).unwrap();
    ws.set_row_hidden(2).unwrap();
    ws.set_row_hidden(4).unwrap();
    wb.save_to_buffer().unwrap()
}

/// A workbook of one sheet `name` holding these texts at (row, column).
fn one_sheet(name: &str, texts: &[(u32, u16, &str)]) -> Vec<u8> {
    let mut wb = workbook();
    let ws = wb.add_worksheet();
    ws.set_name(name).unwrap();
    for &(row, column, text) in texts {
        ws.write_string(row, column, text).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

/// A copy whose sheet was renamed.
fn renamed_sheet() -> Vec<u8> {
    one_sheet("Sheet1", &[(0, 0, "PERSON_FORENAME"), (1, 0, "Aisha")])
}

/// A workbook whose every sheet is hidden (Excel refuses to save one, so
/// the state is patched in).
fn only_hidden_sheets() -> Vec<u8> {
    let bytes = renamed_sheet();
    patch_workbook_xml(&bytes, |xml| {
        xml.replace(
            "<sheet name=\"Sheet1\"",
            "<sheet name=\"Sheet1\" state=\"hidden\"",
        )
    })
}

/// Some other workbook: no Vaccinations sheet, nothing like its headers.
fn no_vaccinations_sheet() -> Vec<u8> {
    one_sheet(
        "Rota",
        &[
            (0, 0, "Nurse"),
            (0, 1, "Day"),
            (1, 0, "Jane"),
            (1, 1, "Monday"),
        ],
    )
}

/// The first half of a good workbook, as an interrupted download leaves it.
fn truncated() -> Vec<u8> {
    let good = excel_typing(false);
    good[..good.len() / 2].to_vec()
}

/// Headers as people and other systems write them: case, spaces, hyphens,
/// a SystmOne alias, a duplicate, an unknown column, another order.
fn headers_csv() -> Vec<u8> {
    "Notes, date-of-vaccination ,Event date,First name,PERSON_SURNAME,Favourite colour,person_surname,Vaccinated\r\n\
     hello,20251014,15/10/2025,Aisha,Begum,green,Begum-2,Y\r\n"
        .as_bytes()
        .to_vec()
}

/// Quoting, line breaks in quoted fields, no-break and repeated spaces, a
/// blank line in the middle, an instruction row and trailing blank rows.
fn text_csv(bom: bool, eol: &str) -> Vec<u8> {
    let lines = [
        "PERSON_FORENAME,PERSON_SURNAME,NOTES,VACCINATED",
        "\"Required, the child's first name\",Required,Optional,Required",
        "Aisha,Begum,\"Said \"\"ouch\"\", then smiled\",Y",
        "",
        "Zoë,O'Hare,\"first line\nsecond line\",N",
        "Ben,\u{a0}Carter\u{a0}, lots   of   spaces ,Y",
        ",,,",
        ",,,",
    ];
    let mut text = String::new();
    if bom {
        text.push('\u{feff}');
    }
    for l in lines {
        // A line break inside a quoted field stays as the file's own.
        text.push_str(&l.replace('\n', eol));
        text.push_str(eol);
    }
    text.into_bytes()
}

/// What Excel's plain "CSV (Comma delimited)" saves on UK Windows.
fn windows_1252() -> Vec<u8> {
    let mut bytes = b"PERSON_FORENAME,PERSON_SURNAME,NOTES\r\n".to_vec();
    bytes.extend_from_slice(b"Zo\xEB,Jim\xE9nez,\x93quoted\x94 \x80 5\r\n");
    bytes
}
