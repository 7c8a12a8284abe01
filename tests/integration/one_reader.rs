//! Issue 14: one reader of CSV. The validator and the sheet reader (whose
//! `Table` the merge, the annotator and the outcome digest use) read every
//! file the same way: the same rows, with the same numbers, holding the
//! same cells, and they refuse the same files.

use mavis::csv::{Position, RowText};
use mavis::demo::DemoOptions;
use mavis::domain::chrono::NaiveDate;
use mavis::domain::outcome_digest;
use mavis::import::{FileError, SessionReference, Validator};
use mavis::sheet::read_bytes;
use proptest::prelude::*;

fn reference() -> SessionReference {
    let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
    SessionReference::from_document(&mavis::demo::session(&DemoOptions {
        children: 1,
        ..DemoOptions::new(today)
    }))
}

/// A file built from parts: cells, separators, quotes, line breaks and
/// empty lines, in UTF-8 or Windows-1252, with or without a byte order
/// mark.
fn file() -> impl Strategy<Value = Vec<u8>> {
    file_under(vec!["NAME,NOTE,EXTRA", "NAME", "A,B,C,D"])
}

/// A [`file`] under one of `headers`.
fn file_under(headers: Vec<&'static str>) -> impl Strategy<Value = Vec<u8>> {
    let part = prop::sample::select(vec![
        "a",
        "Zo\u{eb}",
        "b c",
        ",",
        ",",
        "\"",
        "\"\"",
        " ",
        "\t",
        "\r\n",
        "\r\n",
        "\n",
        "\r",
        "\r\n\r\n",
        "\"x,\r\ny\"",
        "\u{81}",
        "\u{2019}",
        "9449306168.0",
        "01/09/2012",
        "20120901",
        "Y",
        "n",
    ]);
    (
        prop::collection::vec(part, 0..60),
        0..4u8,
        prop::sample::select(headers),
    )
        .prop_map(|(parts, form, header)| {
            let text = format!("{header}\r\n{}", parts.concat());
            match form {
                0 => text.into_bytes(),
                1 => [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat(),
                2 => encoding_rs::WINDOWS_1252.encode(&text).0.into_owned(),
                _ => text.encode_utf16().flat_map(u16::to_le_bytes).fold(
                    vec![0xFF, 0xFE],
                    |mut v, b| {
                        v.push(b);
                        v
                    },
                ),
            }
        })
}

/// What the validator reads of a file: each row with its position, and
/// whether it found the file malformed.
fn validator_view(bytes: &[u8]) -> (Vec<(Position, Vec<String>)>, bool) {
    let reference = reference();
    let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
    let mut rows = Vec::new();
    let report =
        Validator::new(&reference, today).check_csv_bytes_seeing(bytes, |at, row: &RowText| {
            rows.push((at, row.iter().map(str::to_owned).collect()));
        });
    let malformed = report
        .file_errors
        .iter()
        .any(|e| matches!(e, FileError::Malformed { .. }));
    (rows, malformed)
}

/// Whether the validator refuses the file whole as one Mavis cannot read
/// (UTF-16 or UTF-32, issue 17 item 10): it reads no row of it, and the
/// file must begin with one of their byte order marks.
fn mavis_cannot_read(bytes: &[u8]) -> bool {
    let reference = reference();
    let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
    let report = Validator::new(&reference, today).check_csv_bytes(bytes);
    let refused = report
        .file_errors
        .iter()
        .any(|e| matches!(e, FileError::MavisCannotRead { .. }));
    if refused {
        let wide = [&[0xFF, 0xFE][..], &[0xFE, 0xFF], &[0, 0, 0xFE, 0xFF]];
        assert!(wide.iter().any(|bom| bytes.starts_with(bom)));
        assert!(report.errors.is_empty() && report.file_errors.len() == 1);
    }
    refused
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// The digest made as the rows pass, keeping none, is the digest of
    /// the table; a file refused is refused alike.
    #[test]
    fn the_digest_of_the_rows_as_they_pass_is_the_tables(
        bytes in file_under(vec![
            "NHS_NUMBER,PERSON_FORENAME,PERSON_SURNAME,PERSON_DOB,VACCINATED",
            "PERSON_FORENAME,DATE_OF_VACCINATION,SESSION_ID,NHS_NUMBER,PROGRAMME,UUID",
            "UUID,VACCINATED,REASON_NOT_VACCINATED,PERSON_DOB,NOTES",
        ]),
    ) {
        let limits = mavis::sheet::ReadLimits::default();
        let passing = mavis::sheet::csv_outcome_digest(&bytes, "upload.csv", &limits);
        match read_bytes(&bytes, "upload.csv") {
            Ok(table) => prop_assert_eq!(passing.ok(), Some(outcome_digest(&table))),
            Err(e) => prop_assert_eq!(
                passing.map_err(|e| e.to_string()),
                Err(e.to_string())
            ),
        }
    }

    #[test]
    fn the_table_holds_the_rows_the_validator_reads(bytes in file()) {
        if mavis_cannot_read(&bytes) {
            // Refused whole, before any row; the table may still read it
            // (for a merge), and the check says why it cannot be uploaded.
            return Ok(());
        }
        let (seen, malformed) = validator_view(&bytes);
        match read_bytes(&bytes, "upload.csv") {
            Err(e) => {
                // Refused: because Mavis would refuse it too.
                let message = e.to_string();
                prop_assert!(
                    malformed || seen.is_empty() || message.contains("header"),
                    "{message}; the validator saw {seen:?}"
                );
            }
            Ok(table) => {
                prop_assert!(!malformed, "the table read a file the validator calls malformed");
                let width = table.headers.len();
                // The table drops trailing blank rows; the rest are the
                // validator's, cell for cell, numbered the same.
                for (i, row) in table.rows.iter().enumerate() {
                    let (at, cells) = &seen[i + 1];
                    prop_assert_eq!(row.row, at.sheet_row);
                    prop_assert_eq!(row.mavis_row, at.mavis_row);
                    let padded: Vec<String> = (0..width)
                        .map(|c| {
                            let cell = cells.get(c).map_or("", String::as_str);
                            let key = &table.headers[c].key;
                            // NOTE and NAME are text; no column here is an
                            // identifier that loses a ".0".
                            prop_assert!(!key.contains("nhs"));
                            Ok(cell.to_owned())
                        })
                        .collect::<Result<_, TestCaseError>>()?;
                    prop_assert_eq!(&row.cells, &padded);
                }
                for (at, cells) in &seen[table.rows.len() + 1..] {
                    prop_assert!(
                        cells.iter().all(|c| mavis::domain::normalise_value(c).is_empty()),
                        "row {at:?} is missing from the table"
                    );
                }
            }
        }
    }
}

#[test]
fn an_empty_line_is_a_row_in_the_sheet_and_not_to_mavis() {
    let bytes = b"NAME\r\n\r\n\"two\r\nlines\"\r\nZo\xEB\r\n";
    let table = read_bytes(bytes, "upload.csv").unwrap();
    let numbers: Vec<(u32, u32)> = table.rows.iter().map(|r| (r.row, r.mavis_row)).collect();
    assert_eq!(numbers, [(3, 2), (4, 3)]);
    assert_eq!(table.rows[1].cells, ["Zo\u{eb}"]);
    let (seen, malformed) = validator_view(bytes);
    assert!(!malformed);
    assert_eq!(seen.len(), 3);
}
