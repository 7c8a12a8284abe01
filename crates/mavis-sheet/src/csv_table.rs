//! A CSV file read into a [`Table`]: rows from the one CSV reader
//! (mavis-csv), which the validator reads too, so the table holds the rows
//! Mavis reads, each with the row a spreadsheet program shows it on and the
//! row number Mavis prints.

use mavis_csv::{Encoding, Position, Reader, RowText};
use mavis_domain::{
    normalise_value, Location, OutcomeDigest, ReadIssue, Severity, SourceKind, Table, TextRow,
};

use crate::error::{Error, ErrorKind, Result};
use crate::limit::Limit;
use crate::limits::{too_large, ReadLimits};
use crate::read::{check_headers, check_text, digits_without_point_zero, header, ColumnKind};

/// Read a CSV file into a table (see [`crate::read_bytes`]).
pub(crate) fn read_csv(bytes: &[u8], file: &str, limits: &ReadLimits) -> Result<Table> {
    let mut table = CsvTable::new(bytes, file, limits)?;
    see_rows(bytes, file, &mut table)?;
    table.finish()
}

/// The outcome digest of a CSV file (see [`mavis_domain::outcome_digest`]),
/// read within `limits` as [`crate::read_bytes_with`] reads it, with the
/// same errors, but keeping no row: for a caller that checks the file and
/// needs its digest, not its table.
///
/// # Errors
///
/// As [`crate::read_bytes_with`] for a CSV file.
///
/// # Examples
///
/// ```
/// use mavis_sheet::{csv_outcome_digest, read_bytes, ReadLimits};
///
/// let bytes = b"PERSON_FORENAME,NHS_NUMBER,VACCINATED\nAisha,9449306168.0,Y\n";
/// let digest = csv_outcome_digest(bytes, "upload.csv", &ReadLimits::upload())?;
/// let table = read_bytes(bytes, "upload.csv")?;
/// assert_eq!(digest, mavis_domain::outcome_digest(&table));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn csv_outcome_digest(bytes: &[u8], file: &str, limits: &ReadLimits) -> Result<String> {
    let mut table = CsvTable::new(bytes, file, limits)?;
    table.keep_rows = false;
    table.digesting = true;
    see_rows(bytes, file, &mut table)?;
    table.finish_with_digest().map(|(_, digest)| digest)
}

/// Hand every row of `bytes` to `table`, with the one CSV reader.
fn see_rows(bytes: &[u8], file: &str, table: &mut CsvTable) -> Result<()> {
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
            Ok(None) => return Ok(()),
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
    Ok(())
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
    /// Whether the rows are kept (else each is seen and dropped, and only
    /// what makes the file refused, or its digest, is kept of it).
    keep_rows: bool,
    /// How many data rows have been seen.
    rows_seen: usize,
    /// Whether the outcome digest is made as the rows pass.
    digesting: bool,
    /// The outcome digest, once the header is read, when digesting.
    digest: Option<OutcomeDigest>,
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
            keep_rows: true,
            rows_seen: 0,
            digesting: false,
            digest: None,
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
        // One pass over the cells: their length, whether they look garbled
        // (a warning only a kept table shows) and whether any is filled.
        let mut filled = false;
        for (c, value) in record.iter().enumerate() {
            check_text(value, row as usize - 1, c, file, limits)?;
            if self.keep_rows {
                self.garbled |= looks_garbled(value);
            }
            filled = filled || !normalise_value(value).is_empty();
        }
        if at.mavis_row == 1 {
            return self.set_headers(record);
        }
        let width = self.table.headers.len();
        let data_rows = self.rows_seen as u64 + 1;
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
        self.rows_seen += 1;
        if filled {
            self.kept = self.rows_seen;
        }
        let kinds = &self.kinds;
        let cell = |i: usize| {
            let value = record.get(i).unwrap_or("");
            match kinds.get(i) {
                Some(ColumnKind::Digits(_)) => digits_without_point_zero(value),
                _ => value,
            }
        };
        if let Some(digest) = &mut self.digest {
            digest.add_cells(width, cell);
        }
        if !self.keep_rows {
            return Ok(());
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
        let cells = (0..width).map(|i| cell(i).to_owned()).collect();
        self.table.rows.push(TextRow {
            row,
            mavis_row: at.mavis_row,
            cells,
            ragged,
        });
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
        if self.digesting {
            self.digest = Some(OutcomeDigest::new(&table.headers));
        }
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

    /// The table (see [`CsvTable::finish`]) and its outcome digest, made as
    /// the rows passed.
    ///
    /// # Errors
    ///
    /// As [`CsvTable::finish`].
    pub fn finish_with_digest(mut self) -> Result<(Table, String)> {
        let digest = self.digest.take();
        let table = self.finish()?;
        let digest = digest.unwrap_or_else(|| OutcomeDigest::new(&table.headers));
        Ok((table, digest.finish()))
    }
}

/// UTF-8 text that was once decoded as Windows-1252 and saved again shows
/// `Ã©` for `é` (the first byte of every two-byte UTF-8 letter from `À` to
/// `ÿ` reads as `Ã`).
fn looks_garbled(text: &str) -> bool {
    // `Ã` is C3 83 in UTF-8; memchr finds the first byte quickly.
    let bytes = text.as_bytes();
    memchr::memchr_iter(0xC3, bytes).any(|i| bytes.get(i + 1) == Some(&0x83))
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
