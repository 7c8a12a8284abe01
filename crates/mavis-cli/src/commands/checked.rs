//! A file checked against every upload rule, read once: what `check`,
//! `report` and `merge --annotate`/`--html` all start from.

use std::path::Path;

use mavis_domain::chrono::{NaiveDate, Utc};
use mavis_domain::{
    london, outcome_digest, Attendance, OutcomeDigest, ReadIssue, ReferenceDocument, Severity,
    SourceKind, Table,
};
use mavis_import::{KnownRecord, Report, SessionReference, UploadVersion, Validator};
use mavis_sheet::{csv_outcome_digest, read_bytes, read_workbook_reference, ReadLimits};

use super::{file_name, parse_session, today_in_london, Password};
use crate::error::{Error, Result};

/// A file checked: the validator's report and what else was found, and the
/// file's rows when they are kept (`T` is the [`Table`], or `()` for a
/// check that needs only the verdict and the digest).
pub struct Checked<T = Table> {
    /// The file's name.
    pub name: String,
    /// The validator's report.
    pub report: Report,
    /// The file read back as a table, when kept.
    pub table: T,
    /// Cells the reader could not read (error values and the like).
    pub read_errors: Vec<ReadIssue>,
    /// The refusal of a different version of an earlier upload, if any.
    pub refusal: Option<String>,
    /// The outcome digest of the file.
    pub digest: String,
    /// Whether the file was encrypted with a password.
    pub encrypted: bool,
    /// For a workbook, what its rows say of the children: only the
    /// recorded rows are checked (and digested); the children not seen and
    /// absent are listed. `None` for a CSV, which is checked as Mavis
    /// checks it, every row needing an outcome.
    pub attendance: Option<Attendance>,
    /// The checks the reference data could not make offline (a workbook
    /// as Mavis writes it has no Session sheet), one sentence each.
    pub not_checked_offline: Vec<String>,
}

/// What of a file's rows a check keeps: the whole [`Table`], or `()`.
pub trait Kept: Sized {
    /// Read a CSV's rows (keeping what `Self` keeps) and its outcome digest.
    fn read_csv(bytes: &[u8], name: &str) -> mavis_sheet::Result<(Self, String)>;

    /// Keep what `Self` keeps of a table already read.
    fn from_table(table: Table) -> Self;
}

impl Kept for Table {
    fn read_csv(bytes: &[u8], name: &str) -> mavis_sheet::Result<(Table, String)> {
        read_bytes(bytes, name).map(|table| {
            let digest = outcome_digest(&table);
            (table, digest)
        })
    }

    fn from_table(table: Table) -> Table {
        table
    }
}

impl Kept for () {
    fn read_csv(bytes: &[u8], name: &str) -> mavis_sheet::Result<((), String)> {
        csv_outcome_digest(bytes, name, &ReadLimits::default()).map(|digest| ((), digest))
    }

    fn from_table(_: Table) {}
}

impl<T> Checked<T> {
    /// Whether Mavis would accept the file.
    pub fn valid(&self) -> bool {
        self.report.is_valid() && self.read_errors.is_empty() && self.refusal.is_none()
    }
}

/// Check a file (a workbook or a CSV) against every upload rule; an
/// encrypted workbook needs the password in the environment.
pub fn check_file(
    path: &Path,
    session: Option<&Path>,
    today: NaiveDate,
    earlier_uploads: &[String],
) -> Result<Checked> {
    check_file_with(path, session, today, earlier_uploads, &Password::default())
}

/// Check a file (see [`check_file`]), decrypting encrypted workbooks (the
/// file and the `--session` workbook) with `password`, keeping what `T`
/// keeps of its rows.
pub fn check_file_with<T: Kept>(
    path: &Path,
    session: Option<&Path>,
    today: NaiveDate,
    earlier_uploads: &[String],
    password: &Password,
) -> Result<Checked<T>> {
    let name = file_name(path);
    let opened = password.open(path)?;
    let bytes = opened.bytes;
    let is_workbook = bytes.starts_with(b"PK\x03\x04");

    // The file is read once into what is kept of it and its digest, by the
    // one reader of its kind. While it is, a second thread reads the
    // session file and the reference data and, for a CSV, checks the same
    // bytes with the same reader (the rows Mavis reads, numbered as Mavis
    // numbers them); a workbook's table is checked once both are done.
    let (read, checked) = std::thread::scope(|scope| {
        let checker = scope.spawn(|| -> Result<_> {
            let session = match session {
                Some(path) => Some((path, password.open(path)?.bytes)),
                None => None,
            };
            let (reference, session_id, not_checked) =
                reference(session.as_ref(), &bytes, &name, is_workbook, today)?;
            let report = (!is_workbook)
                .then(|| validator(&reference, today).check_csv_bytes_on(&bytes, threads()));
            Ok((reference, session_id, not_checked, report))
        });
        let read = if is_workbook {
            read_bytes(&bytes, &name).map(Read::Table)
        } else {
            T::read_csv(&bytes, &name).map(|(kept, digest)| Read::Csv(kept, digest))
        };
        let checked = checker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (read, checked)
    });
    let (reference, session_id, not_checked_offline, report) = checked?;
    let mut read_errors = Vec::new();
    let mut attendance = None;
    let (table, digest, report) = match (read, report) {
        // A workbook (a nurse's copy, the merged sheet): a row with nothing
        // entered is a child not seen, not a row with errors; only the
        // recorded rows are checked, and the digest is theirs (the rows its
        // upload CSV holds).
        (Ok(Read::Table(table)), _) => {
            let seen = Attendance::of(&table);
            let recorded = || seen.recorded.iter().map(|i| &table.rows[*i]);
            let header: Vec<&str> = table.headers.iter().map(|h| h.text.as_str()).collect();
            let report = validator(&reference, today)
                .check_table(&header, recorded().map(|r| (r.mavis_row, r.cells.iter())));
            read_errors = table
                .issues
                .iter()
                // What the spreadsheet program would save wrongly makes the
                // workbook not ready too: an admin may save it as CSV.
                .filter(|i| matches!(i.severity, Severity::Error | Severity::Shown))
                .cloned()
                .collect();
            let mut digest = OutcomeDigest::new(&table.headers);
            for row in recorded() {
                digest.add(row);
            }
            let digest = digest.finish();
            attendance = Some(seen);
            (T::from_table(table), digest, report)
        }
        // A CSV's report, made here should the second thread not have.
        (Ok(Read::Csv(kept, digest)), report) => {
            let report =
                report.unwrap_or_else(|| validator(&reference, today).check_csv_bytes(&bytes));
            (kept, digest, report)
        }
        // Mavis refuses the CSV whole (not CSV, no header, no content); its
        // own message says so, and there are no rows.
        (Err(_), Some(report)) if !report.file_errors.is_empty() => {
            let table = Table {
                file: name.clone(),
                sheet: None,
                kind: SourceKind::Csv,
                headers: Vec::new(),
                rows: Vec::new(),
                issues: Vec::new(),
            };
            let digest = outcome_digest(&table);
            (T::from_table(table), digest, report)
        }
        (Err(e), _) => return Err(e.into()),
    };
    let report = report.in_file(&name);
    let refusal = UploadVersion::of(&digest, earlier_uploads).refusal(session_id);
    Ok(Checked {
        name,
        report,
        table,
        read_errors,
        refusal,
        digest,
        encrypted: opened.encrypted,
        attendance,
        not_checked_offline,
    })
}

/// A file as read: a workbook's table, or what is kept of a CSV's rows and
/// its outcome digest.
enum Read<T> {
    Table(Table),
    Csv(T, String),
}

/// How many threads a CSV's rows are checked on: the cores there are, up
/// to four (each thread reads the whole file).
fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// The reference data, the session's id and the checks it cannot make
/// offline: from --session (JSON, which wins, or a workbook), or from the
/// checked workbook itself.
fn reference(
    session: Option<&(&Path, Vec<u8>)>,
    bytes: &[u8],
    name: &str,
    is_workbook: bool,
    today: NaiveDate,
) -> Result<(SessionReference, u64, Vec<String>)> {
    match session {
        Some((path, session_bytes)) => {
            if session_bytes.starts_with(b"PK\x03\x04") {
                from_session_sheet(session_bytes, &file_name(path), today)
            } else {
                let doc: ReferenceDocument = parse_session(session_bytes, path)?;
                let id = doc.session.id;
                Ok((SessionReference::from_document(&doc), id, Vec::new()))
            }
        }
        None if is_workbook => from_session_sheet(bytes, name, today),
        None => Err(Error::Usage(format!(
            "{name}: a CSV carries no reference data; give --session with the session JSON or \
             the workbook exported for the session"
        ))),
    }
}

/// The validator of every check: against `reference` on `today`, at the
/// time of day now when today is today, keeping no records.
fn validator(reference: &SessionReference, today: NaiveDate) -> Validator<'_, SessionReference> {
    let mut validator = Validator::new(reference, today);
    if today == today_in_london() {
        validator.now(london::local(Utc::now()).time());
    }
    validator.keep_records(false);
    validator
}

/// The reference data a workbook holds: its hidden Session sheet, or what
/// a workbook as Mavis writes it says, with the checks it cannot make.
fn from_session_sheet(
    bytes: &[u8],
    name: &str,
    today: NaiveDate,
) -> Result<(SessionReference, u64, Vec<String>)> {
    let read = read_workbook_reference(bytes, name, today)?;
    let mut reference = SessionReference::from_document(&read.document);
    for (uuid, source, session_id) in read.records {
        reference.add_record(uuid, KnownRecord { source, session_id });
    }
    Ok((
        reference,
        read.document.session.id,
        read.not_checked_offline,
    ))
}
