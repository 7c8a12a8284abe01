//! The validator: file-level processing (`import-csv.md` §3) around the row
//! rules, for CSV bytes and for tables another reader has already read.

use std::io::{Cursor, Read, Seek, SeekFrom};

use chrono::{NaiveDate, NaiveTime};

use crate::columns::Header;
use crate::csv_input::{CsvReader, Encoding, Next, ReadError};
use crate::duplicates::DuplicateIndex;
use crate::error::Result;
use crate::record::ImportedRecord;
use crate::reference::Reference;
use crate::report::{FileError, Report, RowError, Rule, Warning};
use crate::row::RowText;
use crate::rules::{check_row, Context};

/// Mavis's row limit for CSV uploads.
pub const ROW_LIMIT: u64 = 20_000;

/// Checks uploads against the rules, with the reference data and the date
/// it is given.
///
/// # Examples
///
/// ```
/// use mavis_domain::chrono::NaiveDate;
/// use mavis_domain::demo::{self, DemoOptions};
/// use mavis_import::{SessionReference, Validator};
///
/// let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
/// let reference = SessionReference::from_document(&demo::session(&DemoOptions::new(today)));
/// let report = Validator::new(&reference, today).check_csv_bytes(b"");
/// assert_eq!(report.file_errors[0].message(), "Choose a file");
/// ```
#[derive(Debug, Clone)]
pub struct Validator<'r, R: Reference + ?Sized> {
    reference: &'r R,
    today: NaiveDate,
    now: NaiveTime,
    row_limit: u64,
    keep_records: bool,
}

impl<'r, R: Reference + ?Sized> Validator<'r, R> {
    /// A validator for uploads made on `today` (Europe/London). Until
    /// [`Validator::now`] is set, any time on `today` counts as past.
    pub fn new(reference: &'r R, today: NaiveDate) -> Self {
        Validator {
            reference,
            today,
            now: NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN),
            row_limit: ROW_LIMIT,
            keep_records: true,
        }
    }

    /// The time of day now in Europe/London, for rule 24 (a vaccination
    /// today must not be later than now).
    pub fn now(&mut self, now: NaiveTime) -> &mut Self {
        self.now = now;
        self
    }

    /// Change the row limit (20,000 unless set).
    pub fn row_limit(&mut self, limit: u64) -> &mut Self {
        self.row_limit = limit;
        self
    }

    /// Whether [`Report::records`] receives the records of a valid file
    /// (yes unless set). Keeping them makes memory grow with the file; use
    /// `false`, or the `*_with` methods, for very large files.
    pub fn keep_records(&mut self, keep: bool) -> &mut Self {
        self.keep_records = keep;
        self
    }

    /// Check a CSV file held in memory.
    pub fn check_csv_bytes(&self, bytes: &[u8]) -> Report {
        match self.check_csv(Cursor::new(bytes)) {
            Ok(report) => report,
            Err(e) => unreachable!("reading memory does not fail: {e}"),
        }
    }

    /// Check a CSV file read from `input`, row by row.
    ///
    /// # Errors
    ///
    /// When reading fails. A file that is not CSV is not an error: the
    /// report says so.
    pub fn check_csv<I: Read + Seek>(&self, input: I) -> Result<Report> {
        let mut records = Vec::new();
        let keep = self.keep_records;
        let mut sink = |r: ImportedRecord| {
            if keep {
                records.push(r);
            }
        };
        let mut report = self.run_csv(input, keep.then_some(&mut sink as &mut dyn FnMut(_)))?;
        if report.is_valid() {
            report.records = records;
        }
        Ok(report)
    }

    /// Check a CSV file, handing each row's record to `on_record` as soon
    /// as the row is checked and found without error. Only a valid report
    /// makes those records importable: an error in a later row, or a
    /// duplicate found at the end, rejects the whole file.
    ///
    /// # Errors
    ///
    /// When reading fails.
    pub fn check_csv_with<I: Read + Seek>(
        &self,
        input: I,
        mut on_record: impl FnMut(ImportedRecord),
    ) -> Result<Report> {
        self.run_csv(input, Some(&mut on_record))
    }

    fn run_csv<I: Read + Seek>(
        &self,
        mut input: I,
        mut sink: Option<&mut dyn FnMut(ImportedRecord)>,
    ) -> Result<Report> {
        let mut encoding = Encoding::Utf8;
        loop {
            let start = input.stream_position()?;
            let mut reader = CsvReader::new(&mut input, encoding)?;
            let mut run = Run::new(self, sink.as_deref_mut());
            let mut row = RowText::default();
            let mut ordinal: u32 = 0;
            let outcome = loop {
                match reader.read_row(&mut row) {
                    Ok((Next::Row, _)) => {
                        if ordinal == 0 && !run.has_header() {
                            run.header(&row);
                        } else {
                            ordinal = ordinal.saturating_add(1);
                            run.row(ordinal.saturating_add(1), &row);
                        }
                    }
                    Ok((Next::End, _)) => break Ok(()),
                    Err(e) => break Err(e),
                }
            };
            match outcome {
                Ok(()) if !reader.saw_content() => return Ok(file_error(FileError::NoContent)),
                Ok(()) => return Ok(run.finish()),
                Err(ReadError::Malformed(_))
                    if !reader.saw_content() && !reader.rest_has_content()? =>
                {
                    return Ok(file_error(FileError::NoContent))
                }
                Err(ReadError::Malformed(m)) => {
                    return Ok(file_error(FileError::Malformed {
                        line: m.line,
                        detail: m.what.to_owned(),
                    }))
                }
                Err(ReadError::Io(e)) => return Err(e.into()),
                Err(ReadError::Restart(_)) => {
                    encoding = Encoding::Windows1252;
                    input.seek(SeekFrom::Start(start))?;
                }
            }
        }
    }

    /// Check a table another reader has read (an `.xlsx` worksheet): the
    /// header row as written, then each row with the row number the
    /// spreadsheet shows and its cells as text. Rows with no cells are
    /// skipped like empty lines; the rest is processed as a CSV file is.
    pub fn check_table<H, S, I, C>(&self, header: &[H], rows: I) -> Report
    where
        H: AsRef<str>,
        I: IntoIterator<Item = (u32, C)>,
        C: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut records = Vec::new();
        let keep = self.keep_records;
        let mut sink = |r: ImportedRecord| {
            if keep {
                records.push(r);
            }
        };
        let mut report =
            self.run_table(header, rows, keep.then_some(&mut sink as &mut dyn FnMut(_)));
        if report.is_valid() {
            report.records = records;
        }
        report
    }

    /// [`Validator::check_table`], handing each record to `on_record` as
    /// [`Validator::check_csv_with`] does.
    pub fn check_table_with<H, S, I, C>(
        &self,
        header: &[H],
        rows: I,
        mut on_record: impl FnMut(ImportedRecord),
    ) -> Report
    where
        H: AsRef<str>,
        I: IntoIterator<Item = (u32, C)>,
        C: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.run_table(header, rows, Some(&mut on_record))
    }

    fn run_table<H, S, I, C>(
        &self,
        header: &[H],
        rows: I,
        sink: Option<&mut dyn FnMut(ImportedRecord)>,
    ) -> Report
    where
        H: AsRef<str>,
        I: IntoIterator<Item = (u32, C)>,
        C: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut run = Run::new(self, sink);
        let header_row: RowText = header.iter().collect();
        let mut content = !header_row.is_blank();
        run.header(&header_row);
        let mut row = RowText::default();
        for (number, cells) in rows {
            row.clear();
            for c in cells {
                row.push(c.as_ref());
            }
            if row.is_empty() {
                continue;
            }
            content |= !row.is_blank();
            run.row(number, &row);
        }
        if !content {
            return file_error(FileError::NoContent);
        }
        run.finish()
    }
}

fn file_error(e: FileError) -> Report {
    Report {
        file_errors: vec![e],
        ..Report::default()
    }
}

/// One pass over a file: the header, the rows as they come, the blank rows
/// that may turn out to be trailing, and what has been found so far.
struct Run<'v, 'r, 's, 'd, R: Reference + ?Sized> {
    ctx: Context<'r, R>,
    validator: &'v Validator<'r, R>,
    sink: Option<&'s mut (dyn FnMut(ImportedRecord) + 'd)>,
    header: Option<Header>,
    data_rows: u64,
    first_checked: bool,
    pending_blank: Vec<(u32, usize)>,
    errors: Vec<RowError>,
    warnings: Vec<Warning>,
    duplicates: DuplicateIndex,
    rows_checked: u64,
    records: u64,
    skipped: u64,
    blank: RowText,
}

impl<'v, 'r, 's, 'd, R: Reference + ?Sized> Run<'v, 'r, 's, 'd, R> {
    fn new(
        validator: &'v Validator<'r, R>,
        sink: Option<&'s mut (dyn FnMut(ImportedRecord) + 'd)>,
    ) -> Self {
        Run {
            ctx: Context::new(validator.reference, validator.today, validator.now),
            validator,
            sink,
            header: None,
            data_rows: 0,
            first_checked: false,
            pending_blank: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            duplicates: DuplicateIndex::new(),
            rows_checked: 0,
            records: 0,
            skipped: 0,
            blank: RowText::default(),
        }
    }

    fn has_header(&self) -> bool {
        self.header.is_some()
    }

    fn header(&mut self, row: &RowText) {
        let texts: Vec<&str> = row.iter().collect();
        self.header = Some(Header::new(&texts, self.ctx.upload));
    }

    fn row(&mut self, number: u32, row: &RowText) {
        self.data_rows += 1;
        if self.data_rows > self.validator.row_limit {
            return;
        }
        if !self.first_checked {
            self.first_checked = true;
            if is_instruction(row.get(0).unwrap_or("")) {
                return;
            }
        }
        if row.is_blank() {
            self.pending_blank.push((number, row.len()));
            return;
        }
        for (n, len) in std::mem::take(&mut self.pending_blank) {
            self.blank.clear();
            for _ in 0..len {
                self.blank.push("");
            }
            let blank = std::mem::take(&mut self.blank);
            self.check(n, &blank);
            self.blank = blank;
        }
        self.check(number, row);
    }

    fn check(&mut self, number: u32, row: &RowText) {
        let Some(header) = &self.header else { return };
        self.rows_checked += 1;
        let want = self.sink.is_some();
        let outcome = check_row(
            &self.ctx,
            header,
            number,
            row,
            &mut self.errors,
            &mut self.duplicates,
            want,
        );
        if outcome.skipped {
            self.skipped += 1;
        } else {
            self.records += 1;
        }
        self.warnings.extend(outcome.warning);
        if let (Some(record), Some(sink)) = (outcome.record, self.sink.as_mut()) {
            sink(record);
        }
    }

    fn finish(mut self) -> Report {
        if self.data_rows > self.validator.row_limit {
            return file_error(FileError::TooManyRows {
                limit: self.validator.row_limit,
            });
        }
        if self.rows_checked == 0 {
            return file_error(FileError::NoRecords);
        }
        for (row, message) in self.duplicates.messages() {
            self.errors.push(RowError {
                location: mavis_domain::Location::row(row),
                rule: Rule::Duplicate,
                message,
            });
        }
        // Stable: within a row, rule order then the duplicate message.
        self.errors
            .sort_by_key(|e| (e.location.row, e.rule == Rule::Duplicate));
        self.warnings.sort_by_key(|w| w.location.row);
        Report {
            file_errors: Vec::new(),
            errors: self.errors,
            warnings: self.warnings,
            rows_checked: self.rows_checked,
            record_count: self.records,
            skipped_not_vaccinated: self.skipped,
            records: Vec::new(),
        }
    }
}

/// Whether the first cell of the first data row marks an instruction row:
/// `Required` or `Optional` followed by `,`, `.`, `:` or nothing (§3.5).
fn is_instruction(first_cell: &str) -> bool {
    let v = mavis_domain::normalise_value(first_cell);
    ["Required", "Optional"].iter().any(|w| {
        v.strip_prefix(w)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([',', '.', ':']))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instruction_rows() {
        assert!(is_instruction("Required"));
        assert!(is_instruction("Optional."));
        assert!(is_instruction("Required, must be YYYYMMDD"));
        assert!(is_instruction("Required: yes"));
        assert!(!is_instruction("Required only if"));
        assert!(!is_instruction("required"));
        assert!(!is_instruction(""));
    }
}
