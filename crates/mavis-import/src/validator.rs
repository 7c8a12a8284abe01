//! The validator: file-level processing (`import-csv.md` §3) around the row
//! rules, for CSV bytes and for tables another reader has already read.

use std::io::{Read, Seek};

use chrono::{NaiveDate, NaiveTime};

use crate::columns::Header;
use crate::duplicates::DuplicateIndex;
use crate::error::Result;
use crate::record::ImportedRecord;
use crate::reference::Reference;
use crate::report::{FileError, Report, RowError, Rule};
use crate::row::{is_blank, RowText};
use crate::rules::{check_row, Context};
use mavis_csv::{Position, Reader};

/// Mavis's row limit for CSV uploads.
pub const ROW_LIMIT: u64 = mavis_domain::UPLOAD_MAX_ROWS;

/// Checks uploads against the rules, with the reference data and the date
/// it is given.
///
/// # Examples
///
/// ```
/// use mavis_domain::chrono::NaiveDate;
/// use mavis_demo::{self as demo, DemoOptions};
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

    /// Change the row limit (20,000 unless set). Rows past the limit are
    /// read (a malformed file is still reported as such) but not checked,
    /// so with the default limit the records a report keeps stay few; when
    /// raising it for very large files, turn [`Validator::keep_records`]
    /// off too.
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

    /// Check a CSV file held in memory. A UTF-8 file (the usual upload) is
    /// read in place, its text checked once; any other as
    /// [`Validator::check_csv`] reads a file.
    pub fn check_csv_bytes(&self, bytes: &[u8]) -> Report {
        self.check_csv_bytes_seeing(bytes, |_, _| {})
    }

    /// [`Validator::check_csv_bytes`] on `threads` threads, each reading
    /// the whole file and checking every `threads`-th row: the same report,
    /// sooner on a machine with cores to spare. Records are kept in row
    /// order, so with [`Validator::keep_records`] on (the default) the file
    /// is checked on this thread alone.
    ///
    /// # Examples
    ///
    /// ```
    /// use mavis_domain::chrono::NaiveDate;
    /// use mavis_demo::{self as demo, DemoOptions};
    /// use mavis_import::{SessionReference, Validator};
    ///
    /// let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
    /// let reference = SessionReference::from_document(&demo::session(&DemoOptions::new(today)));
    /// let csv = b"PERSON_DOB\n31/02/2012\n01/01/2012\n31/02/2012\n";
    /// let mut validator = Validator::new(&reference, today);
    /// validator.keep_records(false);
    /// assert_eq!(validator.check_csv_bytes_on(csv, 2), validator.check_csv_bytes(csv));
    /// ```
    pub fn check_csv_bytes_on(&self, bytes: &[u8], threads: usize) -> Report
    where
        R: Sync,
    {
        let n = threads as u64;
        if n < 2 || self.keep_records {
            return self.check_csv_bytes(bytes);
        }
        let share = |index| {
            let run = self.read_run(
                &mut Reader::from_bytes(bytes),
                None,
                &mut |_, _| {},
                Share { index, of: n },
            );
            match run {
                Ok(Ok(run)) => Ok(run.found),
                Ok(Err(refused)) => Err(Some(refused)),
                Err(_) => Err(None),
            }
        };
        let (mine, others) = std::thread::scope(|scope| {
            let others: Vec<_> = (1..n).map(|k| scope.spawn(move || share(k))).collect();
            let mine = share(0);
            let others: Vec<_> = others
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect();
            (mine, others)
        });
        match mine {
            Err(Some(refused)) => refused,
            Ok(mut found) if others.iter().all(std::result::Result::is_ok) => {
                for other in others.into_iter().flatten() {
                    found.absorb(other);
                }
                let mut run = Run::new(self, None);
                run.found = found;
                run.finish()
            }
            // Reading memory does not fail, and every thread reads the same
            // bytes; were they to differ, the file is checked on one.
            _ => self.check_csv_bytes(bytes),
        }
    }

    /// [`Validator::check_csv_bytes`], showing each row to `see` as it is
    /// read (the header too), with its [`Position`]: a caller that needs
    /// the rows as well (to make a table of them, to hash them) reads the
    /// file once. The rows are those Mavis reads, numbered as the report
    /// numbers them (`Position::mavis_row`); rows past a malformed line
    /// are not shown.
    ///
    /// # Examples
    ///
    /// ```
    /// use mavis_domain::chrono::NaiveDate;
    /// use mavis_demo::{self as demo, DemoOptions};
    /// use mavis_import::{SessionReference, Validator};
    ///
    /// let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
    /// let reference = SessionReference::from_document(&demo::session(&DemoOptions::new(today)));
    /// let mut seen = Vec::new();
    /// let report = Validator::new(&reference, today)
    ///     .check_csv_bytes_seeing(b"PERSON_DOB\n\n31/02/2012\n", |at, row| {
    ///         seen.push((at.sheet_row, at.mavis_row, row.get(0).unwrap().to_owned()));
    ///     });
    /// assert_eq!(seen[1], (3, 2, "31/02/2012".to_owned()));
    /// assert!(report.errors.iter().all(|e| e.row() == 2));
    /// ```
    pub fn check_csv_bytes_seeing(
        &self,
        bytes: &[u8],
        mut see: impl FnMut(Position, &RowText),
    ) -> Report {
        let pass = self.keeping_records(|sink| {
            self.read_rows(&mut Reader::from_bytes(bytes), sink, &mut see)
                .map(Some)
        });
        match pass {
            Ok(Some(report)) => report,
            // Reading memory does not fail; were it to, the bytes could not
            // be read as CSV.
            Ok(None) | Err(_) => file_error(FileError::Malformed {
                line: 1,
                detail: "the bytes could not be read".to_owned(),
            }),
        }
    }

    /// Run `check` with a sink that keeps the records when the validator
    /// keeps them, and put them in the report when it is valid.
    fn keeping_records(
        &self,
        check: impl FnOnce(Option<&mut dyn FnMut(ImportedRecord)>) -> Result<Option<Report>>,
    ) -> Result<Option<Report>> {
        let mut records = Vec::new();
        let keep = self.keep_records;
        let mut sink = |r: ImportedRecord| {
            if keep {
                records.push(r);
            }
        };
        let mut report = check(keep.then_some(&mut sink as &mut dyn FnMut(_)))?;
        if let Some(report) = report.as_mut().filter(|r| r.is_valid()) {
            report.records = records;
        }
        Ok(report)
    }

    /// Check a CSV file read from `input`, row by row. The bytes are read
    /// twice: once to settle the encoding (UTF-8, else Windows-1252), once
    /// for the rows.
    ///
    /// # Errors
    ///
    /// When reading fails. A file that is not CSV is not an error: the
    /// report says so.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Cursor;
    /// use mavis_domain::chrono::NaiveDate;
    /// use mavis_demo::{self as demo, DemoOptions};
    /// use mavis_import::{SessionReference, Validator};
    ///
    /// let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
    /// let reference = SessionReference::from_document(&demo::session(&DemoOptions::new(today)));
    /// let file = Cursor::new(b"NHS_NUMBER\n\"unclosed\n".to_vec());
    /// let report = Validator::new(&reference, today).check_csv(file)?;
    /// assert_eq!(report.file_errors[0].message(), "Choose a CSV file in the correct format");
    /// assert_eq!(report.file_errors[0].detail().unwrap(), "line 2: a quoted field is never closed");
    /// # Ok::<(), mavis_import::Error>(())
    /// ```
    pub fn check_csv<I: Read + Seek>(&self, input: I) -> Result<Report> {
        let report = self.keeping_records(|sink| self.run_csv(input, sink).map(Some))?;
        Ok(report.expect("a file read to the end gives a report"))
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
        input: I,
        sink: Option<&mut dyn FnMut(ImportedRecord)>,
    ) -> Result<Report> {
        // The encoding is settled before rows are read (§3.1): a pass over
        // the bytes costs little beside the rules, and no row is read twice.
        let mut reader = Reader::from_reader(input)?;
        self.read_rows(&mut reader, sink, &mut |_, _| {})
    }

    /// Read every row and check it, showing each to `see`.
    fn read_rows<'s, S: Read>(
        &self,
        reader: &mut Reader<'_, S>,
        sink: Option<&mut (dyn FnMut(ImportedRecord) + 's)>,
        see: &mut dyn FnMut(Position, &RowText),
    ) -> Result<Report> {
        Ok(match self.read_run(reader, sink, see, Share::ALL)? {
            Ok(run) => run.finish(),
            Err(refused) => refused,
        })
    }

    /// Read every row, checking `share` of them: the run, or the report of
    /// a file Mavis refuses whole.
    fn read_run<'v, 's, S: Read>(
        &'v self,
        reader: &mut Reader<'_, S>,
        sink: Option<&'v mut (dyn FnMut(ImportedRecord) + 's)>,
        see: &mut dyn FnMut(Position, &RowText),
        share: Share,
    ) -> Result<std::result::Result<Run<'v, 'r, 'v, 's, R>, Report>> {
        // Issue 17, item 10: Mavis's upload cannot read UTF-16 or UTF-32
        // at all; the file is refused before a row is read.
        if let Some(encoding) = reader.transcoded_from() {
            return Ok(Err(file_error(FileError::MavisCannotRead { encoding })));
        }
        let mut run = Run::new(self, sink);
        run.share = share;
        let mut row = RowText::default();
        let outcome = loop {
            match reader.read_row(&mut row) {
                Ok(Some(at)) => {
                    see(at, &row);
                    if at.mavis_row == 1 {
                        run.header(&row);
                    } else {
                        run.row(at.mavis_row, &row);
                    }
                }
                Ok(None) => break Ok(()),
                Err(e) => break Err(e),
            }
        };
        Ok(match outcome {
            Ok(()) if !reader.saw_content() => Err(file_error(FileError::NoContent)),
            Ok(()) => Ok(run),
            Err(mavis_csv::Error::Malformed(_))
                if !reader.saw_content() && !reader.rest_has_content()? =>
            {
                Err(file_error(FileError::NoContent))
            }
            Err(mavis_csv::Error::Malformed(m)) => Err(file_error(FileError::Malformed {
                line: m.line,
                detail: m.what.to_owned(),
            })),
            Err(mavis_csv::Error::Io(e)) => return Err(e.into()),
        })
    }

    /// Check a table another reader has read (an `.xlsx` worksheet): the
    /// header row as written, then each row with the row number the
    /// spreadsheet shows and its cells as text. Rows with no cells are
    /// skipped like empty lines; the rest is processed as a CSV file is
    /// (instruction row, trailing blank rows, row limit, the same rules),
    /// and errors carry the row numbers given.
    ///
    /// # Examples
    ///
    /// ```
    /// use mavis_domain::chrono::NaiveDate;
    /// use mavis_demo::{self as demo, DemoOptions};
    /// use mavis_import::{SessionReference, Validator};
    ///
    /// let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
    /// let reference = SessionReference::from_document(&demo::session(&DemoOptions::new(today)));
    /// let header = ["PERSON_FORENAME", "PERSON_DOB"];
    /// let rows = vec![(7, vec!["Aisha", "31/02/2012"])];
    /// let report = Validator::new(&reference, today).check_table(&header, rows);
    /// let e = report.errors.iter().find(|e| e.header() == Some("PERSON_DOB")).unwrap();
    /// assert_eq!((e.row(), e.column_letter().as_deref()), (7, Some("B")));
    /// assert_eq!(e.plain_text(), "PERSON_DOB: Enter a date of birth in the correct format.");
    /// ```
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
        let mut content = !is_blank(&header_row);
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
            content |= !is_blank(&row);
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
    first_checked: bool,
    pending_blank: Vec<(u32, usize)>,
    blank: RowText,
    /// Which of the rows this run checks.
    share: Share,
    /// How many rows have come to be checked, by this run or another.
    ordinal: u64,
    found: Found,
}

/// Which rows a run checks: those whose place among the rows to check is
/// `index` more than a multiple of `of`.
#[derive(Debug, Clone, Copy)]
struct Share {
    index: u64,
    of: u64,
}

impl Share {
    /// Every row.
    const ALL: Share = Share { index: 0, of: 1 };
}

/// What a run found in the rows it checked: what a thread that checked a
/// share of them hands back.
struct Found {
    /// Every data row read, checked or not (the same for every share).
    data_rows: u64,
    errors: Vec<RowError>,
    duplicates: DuplicateIndex,
    rows_checked: u64,
    records: u64,
    skipped: u64,
}

impl Found {
    /// Add what another share found.
    fn absorb(&mut self, other: Found) {
        self.errors.extend(other.errors);
        self.duplicates.absorb(other.duplicates);
        self.rows_checked += other.rows_checked;
        self.records += other.records;
        self.skipped += other.skipped;
    }
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
            first_checked: false,
            pending_blank: Vec::new(),
            blank: RowText::default(),
            share: Share::ALL,
            ordinal: 0,
            found: Found {
                data_rows: 0,
                errors: Vec::new(),
                duplicates: DuplicateIndex::new(),
                rows_checked: 0,
                records: 0,
                skipped: 0,
            },
        }
    }

    fn header(&mut self, row: &RowText) {
        let texts: Vec<&str> = row.iter().collect();
        self.header = Some(Header::new(&texts, self.ctx.upload));
    }

    fn row(&mut self, number: u32, row: &RowText) {
        self.found.data_rows += 1;
        if self.found.data_rows > self.validator.row_limit {
            return;
        }
        if !self.first_checked {
            self.first_checked = true;
            if is_instruction(row.get(0).unwrap_or("")) {
                return;
            }
        }
        if is_blank(row) {
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
        let ordinal = self.ordinal;
        self.ordinal += 1;
        if ordinal % self.share.of != self.share.index {
            return;
        }
        let found = &mut self.found;
        found.rows_checked += 1;
        let want = self.sink.is_some();
        let outcome = check_row(
            &self.ctx,
            header,
            number,
            row,
            &mut found.errors,
            &mut found.duplicates,
            want,
        );
        if outcome.skipped {
            found.skipped += 1;
        } else {
            found.records += 1;
        }
        if let (Some(record), Some(sink)) = (outcome.record, self.sink.as_mut()) {
            sink(record);
        }
    }

    fn finish(self) -> Report {
        let mut found = self.found;
        if found.data_rows > self.validator.row_limit {
            return file_error(FileError::TooManyRows {
                limit: self.validator.row_limit,
            });
        }
        if found.rows_checked == 0 {
            return file_error(FileError::NoRecords);
        }
        for (row, message) in found.duplicates.messages() {
            found.errors.push(RowError {
                location: mavis_domain::Location::row(row),
                rule: Rule::Duplicate,
                message,
                hint: None,
            });
        }
        // Stable: within a row, rule order then the duplicate message (a
        // row's errors all come from the one run that checked it).
        found
            .errors
            .sort_by_key(|e| (e.location.row, e.rule == Rule::Duplicate));
        Report {
            file_errors: Vec::new(),
            errors: found.errors,
            rows_checked: found.rows_checked,
            record_count: found.records,
            skipped_not_vaccinated: found.skipped,
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
    use crate::reference::SessionReference;
    use mavis_domain::{OdsCode, Programme, Team, UploadType};

    fn reference() -> SessionReference {
        SessionReference::new(Team {
            name: "Team".into(),
            ods_code: OdsCode::parse("R1L").unwrap(),
            upload_type: UploadType::PointOfCare,
            programmes: vec![Programme::Hpv],
            national_reporting_cut_off: None,
        })
    }

    const HEADER: &str = "PERSON_FORENAME,PERSON_SURNAME,PERSON_DOB,PERSON_GENDER_CODE,\
                          NHS_NUMBER,DATE_OF_VACCINATION,PROGRAMME,VACCINE_GIVEN";

    fn good(name: &str) -> String {
        format!("{name},Begum,02/11/2012,Female,9449306168,20250922,HPV,Gardasil9")
    }

    fn check(text: &str) -> Report {
        let r = reference();
        let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
        Validator::new(&r, today).check_csv_bytes(text.as_bytes())
    }

    fn rows_with_errors(report: &Report) -> Vec<u32> {
        report.rows().map(|(r, _)| r).collect()
    }

    #[test]
    fn file_level() {
        let message = |text: &str| check(text).file_errors[0].message();
        assert_eq!(message(""), "Choose a file");
        assert_eq!(message(" \r\n\t\n"), "Choose a file");
        assert_eq!(message("\u{feff}"), "Choose a file");
        assert_eq!(message(" \r\n\n"), "Choose a file"); // mixed, but only whitespace
        assert_eq!(
            message(HEADER),
            "Choose a CSV file with at least one record"
        );
        assert_eq!(
            message(&format!("{HEADER}\nRequired,Optional\n,,,\n\n")),
            "Choose a CSV file with at least one record"
        );
        assert_eq!(
            message(&format!("{HEADER}\n\"{}\n", good("A"))),
            "Choose a CSV file in the correct format"
        );
        let r = check(&format!("{HEADER}\r\n{}\n", good("A")));
        assert_eq!(
            r.file_errors[0].detail().as_deref(),
            Some("line 2: the file mixes line endings (a row ends differently from the first row)")
        );
        assert!(r.errors.is_empty(), "no row is checked");
    }

    #[test]
    fn row_numbers() {
        // Row 2 is an instruction row; row 4 is blank in the middle; an
        // empty line is not counted; trailing blank rows are dropped.
        let text = format!(
            "{HEADER}\nRequired, all of it\n{}\n,,,\n\n{}\nX,,,,,,,\n,,\n,,,,,,,,,\n",
            good("A"),
            good("B")
        );
        let report = check(&text);
        assert_eq!(rows_with_errors(&report), [4, 6]);
        assert_eq!(report.rows_checked, 4);
        assert!(report.errors.iter().all(|e| e.row() != 7));
        // The same through the table path, with the sheet's row numbers.
        let r = reference();
        let v = Validator::new(&r, NaiveDate::from_ymd_opt(2025, 10, 15).unwrap());
        let header: Vec<&str> = HEADER.split(',').collect();
        let a = good("A");
        let rows = vec![
            (3, a.split(',').collect::<Vec<_>>()),
            (9, vec![]),
            (12, vec!["", " "]),
            (14, a.split(',').collect()),
            (15, vec![""]),
        ];
        let report = v.check_table(&header, rows);
        assert_eq!(rows_with_errors(&report), [3, 12, 14]);
        assert!(report
            .errors
            .iter()
            .any(|e| e.rule == Rule::Duplicate && e.row() == 3));
    }

    #[test]
    fn row_limit() {
        let rows: String = (0..5)
            .map(|i| format!("{}\n", good(&format!("N{i}"))))
            .collect();
        let text = format!("{HEADER}\n{rows},,,\n");
        let r = reference();
        let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
        let mut v = Validator::new(&r, today);
        assert!(v.check_csv_bytes(text.as_bytes()).is_valid());
        // The trailing blank row counts towards the limit.
        v.row_limit(5);
        assert_eq!(
            v.check_csv_bytes(text.as_bytes()).file_errors,
            [FileError::TooManyRows { limit: 5 }]
        );
        v.row_limit(6);
        assert!(v.check_csv_bytes(text.as_bytes()).is_valid());
    }

    #[test]
    fn encodings() {
        // UTF-8 with a BOM, then Windows-1252.
        let utf8 = format!("\u{feff}{HEADER}\r\n{}\r\n", good("Zoë"));
        let report = check(&utf8);
        assert_eq!(report.records[0].child.given_name, "Zoë");
        let mut cp1252 = format!("{HEADER}\r\n").into_bytes();
        cp1252.extend_from_slice(b"Zo\xEB");
        cp1252.extend_from_slice(good("").as_bytes());
        let r = reference();
        let v = Validator::new(&r, NaiveDate::from_ymd_opt(2025, 10, 15).unwrap());
        assert_eq!(
            v.check_csv_bytes(&cp1252).records[0].child.given_name,
            "Zoë"
        );
        // Non-ASCII UTF-8 first, then a byte that is not UTF-8: the whole
        // file is Windows-1252.
        let mut mixed = format!("{HEADER}\r\n{}\r\n", good("Zoë")).into_bytes();
        mixed.extend_from_slice(b"Zo\xEB");
        mixed.extend_from_slice(good("").as_bytes());
        let report = v.check_csv_bytes(&mixed);
        let names: Vec<&str> = report
            .records
            .iter()
            .map(|r| r.child.given_name.as_str())
            .collect();
        assert_eq!(names, ["ZoÃ«", "Zoë"]);
        // UTF-16 with its byte order mark: the spec reads it, but Mavis
        // 7.3.0's upload fails on it (issue 17, item 10), so it is refused.
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                format!("{HEADER}\r\n{}\r\n", good("Zoë"))
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        let report = v.check_csv_bytes(&utf16);
        assert_eq!(
            report.file_errors,
            [FileError::MavisCannotRead { encoding: "UTF-16" }]
        );
        assert!(report.records.is_empty() && report.errors.is_empty());
    }

    #[test]
    fn records_only_for_valid_files() {
        let text = format!(
            "{HEADER}\n{}\n{}\n",
            good("A"),
            good("B").replace("Gardasil9", "Nope")
        );
        let report = check(&text);
        assert!(!report.is_valid());
        assert!(report.records.is_empty());
        let r = reference();
        let v = Validator::new(&r, NaiveDate::from_ymd_opt(2025, 10, 15).unwrap());
        let mut streamed = Vec::new();
        let report = v
            .check_csv_with(std::io::Cursor::new(text.as_bytes()), |rec| {
                streamed.push(rec.row);
            })
            .unwrap();
        assert_eq!(streamed, [2], "row 2 had no error when it was read");
        assert_eq!(report.record_count, 2);
        let mut quiet = Validator::new(&r, NaiveDate::from_ymd_opt(2025, 10, 15).unwrap());
        quiet.keep_records(false);
        let ok = format!("{HEADER}\n{}\n", good("A"));
        let report = quiet.check_csv_bytes(ok.as_bytes());
        assert!(report.is_valid() && report.records.is_empty());
        assert_eq!(report.record_count, 1);
    }

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
