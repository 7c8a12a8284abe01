//! A CSV file read into a [`Table`]: rows from the one CSV reader
//! (mavis-csv), which the validator reads too, so the table holds the rows
//! Mavis reads, each with the row a spreadsheet program shows it on and the
//! row number Mavis prints.

use mavis_csv::{Encoding, Position, Reader, RowText};
use mavis_domain::{normalise_value, Location, ReadIssue, Severity, SourceKind, Table, TextRow};

use crate::error::{Error, ErrorKind, Result};
use crate::limit::Limit;
use crate::limits::{too_large, ReadLimits};
use crate::read::{check_headers, check_text, header, strip_point_zero, ColumnKind};

/// Read a CSV file into a table (see [`crate::read_bytes`]).
pub(crate) fn read_csv(bytes: &[u8], file: &str, limits: &ReadLimits) -> Result<Table> {
    let mut table = CsvTable::new(bytes, file, limits)?;
    let mut reader = Reader::from_bytes(bytes);
    let mut row = RowText::default();
    loop {
        match reader.read_row(&mut row) {
            Ok(Some(at)) => {
                table.see(at, &row);
                if table.failed.is_some() {
                    break;
                }
            }
            Ok(None) => break,
            Err(mavis_csv::Error::Malformed(m)) => {
                return Err(ErrorKind::Unreadable {
                    file: file.to_owned(),
                    message: format!(
                        "it is not CSV that Mavis can read ({m}), and Mavis would refuse the \
                         whole file; save it again from the spreadsheet program as \"CSV UTF-8 \
                         (Comma delimited)\""
                    ),
                }
                .into())
            }
            Err(mavis_csv::Error::Io(e)) => {
                return Err(ErrorKind::Unreadable {
                    file: file.to_owned(),
                    message: e.to_string(),
                }
                .into())
            }
        }
    }
    table.finish()
}

/// A table made from a CSV file's rows as a reader hands them over: for a
/// caller that reads the file once for two purposes, such as checking it
/// with `mavis_import::Validator::check_csv_bytes_seeing` and keeping its
/// rows.
///
/// # Examples
///
/// ```
/// use mavis_csv::{Reader, RowText};
/// use mavis_sheet::{CsvTable, ReadLimits};
///
/// let bytes = b"PERSON_FORENAME,NHS_NUMBER\n\nAisha,9449306168.0\n";
/// let mut table = CsvTable::new(bytes, "upload.csv", &ReadLimits::upload())?;
/// let mut reader = Reader::from_bytes(bytes);
/// let mut row = RowText::default();
/// while let Some(at) = reader.read_row(&mut row)? {
///     table.see(at, &row);
/// }
/// let table = table.finish()?;
/// // Row 3 in a spreadsheet program, row 2 in Mavis's messages.
/// assert_eq!((table.rows[0].row, table.rows[0].mavis_row), (3, 2));
/// assert_eq!(table.rows[0].get(1), "9449306168");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct CsvTable {
    table: Table,
    kinds: Vec<ColumnKind>,
    limits: ReadLimits,
    /// The first limit the rows went over: the table is refused.
    failed: Option<Error>,
    /// Whether some text looked garbled.
    garbled: bool,
    /// How many rows there are up to the last that is not blank, counting
    /// cells past the last header as the validator does.
    kept: usize,
}

impl CsvTable {
    /// Start the table of the CSV file `bytes` (named `file` in messages)
    /// within `limits`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::TooLarge`] when a line is longer than
    /// [`ReadLimits::max_csv_line_bytes`].
    pub fn new(bytes: &[u8], file: &str, limits: &ReadLimits) -> Result<CsvTable> {
        check_line_lengths(bytes, file, limits)?;
        let mut issues = Vec::new();
        if Encoding::of_bytes(bytes) == Encoding::Windows1252 {
            issues.push(ReadIssue {
                at: Location::file(file),
                severity: Severity::Warning,
                message: "the file is not UTF-8; it was read as Windows-1252, what Excel's \"CSV \
                          (Comma delimited)\" writes. Check accented names, and save as \"CSV \
                          UTF-8 (Comma delimited)\" next time"
                    .into(),
            });
        }
        Ok(CsvTable {
            table: Table {
                file: file.to_owned(),
                sheet: None,
                kind: SourceKind::Csv,
                headers: Vec::new(),
                rows: Vec::new(),
                issues,
            },
            kinds: Vec::new(),
            limits: limits.clone(),
            failed: None,
            garbled: false,
            kept: 0,
        })
    }

    /// Take the next row the reader read, at `at`: the first is the header.
    /// After a limit is passed, rows are ignored and [`CsvTable::finish`]
    /// says which.
    pub fn see(&mut self, at: Position, row: &RowText) {
        if self.failed.is_none() {
            if let Err(e) = self.add(at, row) {
                self.failed = Some(e);
            }
        }
    }

    fn add(&mut self, at: Position, record: &RowText) -> Result<()> {
        let (file, limits) = (self.table.file.as_str(), &self.limits);
        let row = at.sheet_row;
        if record.len() as u64 > limits.max_columns
            && record
                .iter()
                .skip(usize::try_from(limits.max_columns).unwrap_or(usize::MAX))
                .any(|c| !c.is_empty())
        {
            return Err(too_large(
                file,
                Limit::Columns,
                format!("row {row}"),
                limits.max_columns,
                record.len() as u64,
            ));
        }
        for (c, value) in record.iter().enumerate() {
            check_text(value, row as usize - 1, c, file, limits)?;
            self.garbled |= looks_garbled(value);
        }
        if at.mavis_row == 1 {
            return self.set_headers(record);
        }
        let width = self.table.headers.len();
        let data_rows = self.table.rows.len() as u64 + 1;
        if data_rows > limits.max_rows {
            return Err(too_large(file, Limit::Rows, "", limits.max_rows, data_rows));
        }
        if data_rows * width as u64 > limits.max_cells {
            return Err(too_large(
                file,
                Limit::Cells,
                "",
                limits.max_cells,
                data_rows * width as u64,
            ));
        }
        let extra_filled = record.iter().skip(width).any(|c| !c.trim().is_empty());
        let ragged = record.len() < width || extra_filled;
        if ragged {
            let message = if record.len() < width {
                format!(
                    "this row has {} cells but the header has {width}; the missing cells are \
                     read as empty",
                    record.len()
                )
            } else {
                format!(
                    "this row has {} cells but the header has {width}; the cells past the last \
                     header are ignored",
                    record.len()
                )
            };
            self.table.issues.push(ReadIssue {
                at: Location::row(row).in_file(file),
                severity: Severity::Warning,
                message,
            });
        }
        let cells = self
            .kinds
            .iter()
            .enumerate()
            .map(|(i, kind)| {
                let value = record.get(i).unwrap_or("");
                match kind {
                    ColumnKind::Digits(_) => strip_point_zero(value),
                    _ => value.to_owned(),
                }
            })
            .collect();
        self.table.rows.push(TextRow {
            row,
            mavis_row: at.mavis_row,
            cells,
            ragged,
        });
        if record.iter().any(|c| !normalise_value(c).is_empty()) {
            self.kept = self.table.rows.len();
        }
        Ok(())
    }

    fn set_headers(&mut self, record: &RowText) -> Result<()> {
        let table = &mut self.table;
        table.headers = record.iter().map(header).collect();
        while table.headers.last().is_some_and(|h| h.text.is_empty()) {
            table.headers.pop();
        }
        if table.headers.is_empty() {
            return Err(ErrorKind::Unreadable {
                file: table.file.clone(),
                message: "its first line is empty; the header row must come first".into(),
            }
            .into());
        }
        check_headers(table);
        self.kinds = table
            .headers
            .iter()
            .map(|h| ColumnKind::of(&h.key))
            .collect();
        Ok(())
    }

    /// The table, without trailing blank rows.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::TooLarge`] when the rows went over a limit;
    /// [`ErrorKind::Unreadable`] when the file has no header row.
    pub fn finish(mut self) -> Result<Table> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        if self.table.headers.is_empty() {
            return Err(ErrorKind::Unreadable {
                file: self.table.file,
                message: "it is empty; it has no header row".into(),
            }
            .into());
        }
        if self.garbled {
            self.table.issues.push(ReadIssue {
                at: Location::file(&self.table.file),
                severity: Severity::Warning,
                message: "some text looks garbled (such as \"Ã©\" for \"é\"): the file may have \
                          been opened with the wrong encoding and saved again; check accented \
                          names"
                    .into(),
            });
        }
        // Trailing blank rows are dropped, as Mavis drops them.
        self.table.rows.truncate(self.kept);
        Ok(self.table)
    }
}

/// UTF-8 text that was once decoded as Windows-1252 and saved again shows
/// `Ã©` for `é` (the first byte of every two-byte UTF-8 letter from `À` to
/// `ÿ` reads as `Ã`).
fn looks_garbled(text: &str) -> bool {
    text.contains('Ã')
}

/// Refuse a line (ended by CR LF, LF or a bare CR) longer than the limit,
/// counting the file's bytes before they are decoded.
fn check_line_lengths(bytes: &[u8], file: &str, limits: &ReadLimits) -> Result<()> {
    let mut line = 1u64;
    let mut start = 0usize;
    let mut breaks = memchr::memchr2_iter(b'\r', b'\n', bytes).peekable();
    loop {
        let end = breaks.next();
        let len = (end.unwrap_or(bytes.len()) - start) as u64;
        if len > limits.max_csv_line_bytes {
            return Err(too_large(
                file,
                Limit::CsvLineBytes,
                format!("line {line}"),
                limits.max_csv_line_bytes,
                len,
            ));
        }
        let Some(i) = end else { return Ok(()) };
        start = i + 1;
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            breaks.next();
            start += 1;
        }
        line += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_lengths() {
        let limits = ReadLimits {
            max_csv_line_bytes: 3,
            ..ReadLimits::default()
        };
        for ok in [&b"abc\r\nabc\nabc\rabc"[..], b"", b"\r\n\r\n"] {
            assert!(check_line_lengths(ok, "f.csv", &limits).is_ok(), "{ok:?}");
        }
        let err = check_line_lengths(b"abc\r\nabcd\n", "f.csv", &limits).unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }

    #[test]
    fn garbling() {
        assert!(looks_garbled("ZoÃ«"));
        assert!(!looks_garbled("Zoë"));
    }
}
