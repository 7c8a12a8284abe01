//! Which row is which: the identity of a row of the offline sheet
//! (`offline-spreadsheet.md` §11), its outcome cells, and digests of files
//! and of outcome content.

use std::borrow::Cow;
use std::fmt::{self, Write};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::columns::{Column, OUTCOME_COLUMNS};
use crate::table::{Header, Table, TextRow};
use crate::text::normalise_value;

/// The identity of a row: its record UUID, or the session, programme and
/// child of a fill-in row.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RowKey {
    /// An existing record's row.
    Record {
        /// The UUID, lower case.
        uuid: String,
    },
    /// A fill-in row (or a row a nurse added).
    FillIn {
        /// `SESSION_ID` as written.
        session: String,
        /// `PROGRAMME`, upper case.
        programme: String,
        /// The child.
        child: ChildKey,
    },
}

/// How a fill-in row names its child.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChildKey {
    /// By NHS number (digits only).
    NhsNumber(String),
    /// By names (lower case) and date of birth (`YYYY-MM-DD` when it reads
    /// as a date, else as written).
    Person(String, String, String),
}

impl fmt::Display for RowKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowKey::Record { uuid } => write!(f, "record {uuid}"),
            RowKey::FillIn {
                session,
                programme,
                child,
            } => {
                write!(f, "session {session}, {programme}, ")?;
                match child {
                    ChildKey::NhsNumber(n) => write!(f, "NHS number {n}"),
                    ChildKey::Person(given, family, dob) => {
                        write!(f, "{given} {family} born {dob}")
                    }
                }
            }
        }
    }
}

/// Where the identity columns of an offline sheet are in a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyColumns {
    uuid: Option<usize>,
    session: Option<usize>,
    programme: Option<usize>,
    nhs: Option<usize>,
    given: Option<usize>,
    family: Option<usize>,
    dob: Option<usize>,
}

impl KeyColumns {
    /// Find the identity columns of a table.
    pub fn of(table: &Table) -> KeyColumns {
        KeyColumns::of_headers(&table.headers)
    }

    /// Find the identity columns among a header row.
    pub fn of_headers(headers: &[Header]) -> KeyColumns {
        let column = |c| Header::column_in(headers, c);
        KeyColumns {
            uuid: column(Column::Uuid),
            session: column(Column::SessionId),
            programme: column(Column::Programme),
            nhs: column(Column::NhsNumber),
            given: column(Column::PersonForename),
            family: column(Column::PersonSurname),
            dob: column(Column::PersonDob),
        }
    }

    /// The identity columns that a table lacks, by header.
    pub fn missing(&self) -> Vec<&'static str> {
        [
            (self.uuid, Column::Uuid),
            (self.session, Column::SessionId),
            (self.programme, Column::Programme),
            (self.nhs, Column::NhsNumber),
            (self.given, Column::PersonForename),
            (self.family, Column::PersonSurname),
            (self.dob, Column::PersonDob),
        ]
        .iter()
        .filter(|(i, _)| i.is_none())
        .map(|(_, c)| c.header())
        .collect()
    }

    /// A fill-in row's child as (NHS number digits, `given|family|dob`),
    /// each empty when unknown: for matching a child whose details were
    /// corrected on the day.
    pub fn person(&self, row: &TextRow) -> (String, String) {
        let get = |i: Option<usize>| {
            i.map_or(String::new(), |i| normalise_value(row.get(i)).into_owned())
        };
        let nhs: String = get(self.nhs)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let given = get(self.given).to_lowercase();
        let family = get(self.family).to_lowercase();
        let dob = canonical_date(&get(self.dob));
        let person = if given.is_empty() && family.is_empty() {
            String::new()
        } else {
            format!("{given}|{family}|{dob}")
        };
        (nhs, person)
    }

    /// The identity of a row.
    ///
    /// # Examples
    ///
    /// ```
    /// use mavis_domain::{ChildKey, Header, KeyColumns, RowKey, Table, TextRow, SourceKind};
    ///
    /// let headers = ["PERSON_FORENAME", "PERSON_SURNAME", "PERSON_DOB", "NHS_NUMBER",
    ///                "PROGRAMME", "SESSION_ID", "UUID"];
    /// let table = Table {
    ///     file: "copy.csv".into(),
    ///     sheet: None,
    ///     kind: SourceKind::Csv,
    ///     headers: headers
    ///         .iter()
    ///         .map(|h| Header { text: h.to_string(), key: mavis_domain::header_key(h) })
    ///         .collect(),
    ///     rows: vec![TextRow::new(
    ///         2,
    ///         ["Chloë", "Davies", "01/09/2012", "", "flu", "1001", ""].map(String::from).to_vec(),
    ///     )],
    ///     issues: vec![],
    /// };
    /// let key = KeyColumns::of(&table).key(&table.rows[0]);
    /// assert_eq!(
    ///     key,
    ///     RowKey::FillIn {
    ///         session: "1001".into(),
    ///         programme: "FLU".into(),
    ///         child: ChildKey::Person("chloë".into(), "davies".into(), "2012-09-01".into()),
    ///     }
    /// );
    /// ```
    pub fn key(&self, row: &TextRow) -> RowKey {
        self.key_of(|i| row.get(i))
    }

    /// The identity of a row whose cell `i` is `cell(i)` (empty past its
    /// last): [`KeyColumns::key`] for a row not made into a [`TextRow`].
    pub fn key_of<'a>(&self, cell: impl Fn(usize) -> &'a str) -> RowKey {
        let get =
            |i: Option<usize>| i.map_or(String::new(), |i| normalise_value(cell(i)).into_owned());
        let uuid = get(self.uuid);
        if !uuid.is_empty() {
            return RowKey::Record {
                uuid: uuid.to_lowercase(),
            };
        }
        let nhs: String = get(self.nhs)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let child = if nhs.is_empty() {
            ChildKey::Person(
                get(self.given).to_lowercase(),
                get(self.family).to_lowercase(),
                canonical_date(&get(self.dob)),
            )
        } else {
            ChildKey::NhsNumber(nhs)
        };
        RowKey::FillIn {
            session: get(self.session),
            programme: get(self.programme).to_uppercase(),
            child,
        }
    }
}

/// A date in any of the forms the sheet may hold it (`dd/mm/yyyy`,
/// `YYYYMMDD`, `YYYY-MM-DD`) as `YYYY-MM-DD`; other text as it is.
pub fn canonical_date(text: &str) -> String {
    let mut out = String::new();
    push_canonical_date(&mut out, text);
    out
}

/// The date that text in any of the forms the sheet may hold it
/// (`dd/mm/yyyy`, `YYYYMMDD`, `YYYY-MM-DD`, surrounding spaces ignored)
/// means, if it is one.
///
/// ```
/// use mavis_domain::{chrono::NaiveDate, date_in_sheet_form};
///
/// let day = NaiveDate::from_ymd_opt(2026, 12, 1);
/// assert_eq!(date_in_sheet_form("20261201"), day);
/// assert_eq!(date_in_sheet_form(" 01/12/2026"), day);
/// assert_eq!(date_in_sheet_form("2026-12-01"), day);
/// assert_eq!(date_in_sheet_form("31/02/2026"), None);
/// ```
pub fn date_in_sheet_form(text: &str) -> Option<NaiveDate> {
    let trimmed = text.trim();
    match plain_date(trimmed.as_bytes()) {
        Some((y, m, d)) => NaiveDate::from_ymd_opt(y, m, d),
        None => parsed_date(trimmed),
    }
}

/// [`canonical_date`], written onto the end of `out`.
fn push_canonical_date(out: &mut String, text: &str) {
    use chrono::Datelike;
    match date_in_sheet_form(text) {
        Some(d) => {
            let _ = write!(out, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
        }
        None => out.push_str(text),
    }
}

/// The forms a date takes in an upload, as chrono reads them: what
/// [`canonical_date`] falls back to when the text is not one of the plain
/// forms [`plain_date`] reads without parsing a format.
fn parsed_date(trimmed: &str) -> Option<NaiveDate> {
    ["%d/%m/%Y", "%Y%m%d", "%Y-%m-%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(trimmed, f).ok())
}

/// Year, month and day of `dd/mm/yyyy`, `YYYYMMDD` or `YYYY-MM-DD` written
/// with every digit (how every program writes them), not yet checked as a
/// date: the quick way to what [`parsed_date`] reads.
fn plain_date(t: &[u8]) -> Option<(i32, u32, u32)> {
    let number = |s: &[u8]| {
        s.iter().try_fold(0u32, |n, b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    let (y, m, d) = match t {
        [_, _, b'/', _, _, b'/', _, _, _, _] => (&t[6..], &t[3..5], &t[..2]),
        [_, _, _, _, b'-', _, _, b'-', _, _] => (&t[..4], &t[5..7], &t[8..]),
        [_, _, _, _, _, _, _, _] => (&t[..4], &t[4..6], &t[6..]),
        _ => return None,
    };
    Some((i32::try_from(number(y)?).ok()?, number(m)?, number(d)?))
}

/// The SHA-256 digest of a file's bytes, as `sha256:` and 64 hex digits.
///
/// # Examples
///
/// ```
/// assert_eq!(
///     mavis_domain::digest_bytes(b"abc"),
///     "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// ```
pub fn digest_bytes(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The digest of a sheet's outcome content: every row's identity and
/// outcome cells (whitespace normalised, dates in one form), in identity
/// order. Two files that would upload the same outcomes have the same
/// digest, whatever the order of their rows, their other columns or the
/// form of their dates.
pub fn outcome_digest(table: &Table) -> String {
    let mut digest = OutcomeDigest::new(&table.headers);
    for row in &table.rows {
        digest.add(row);
    }
    digest.finish()
}

/// The [`outcome_digest`] of a sheet made row by row, for a reader that
/// sees each row once and need not keep it.
///
/// # Examples
///
/// ```
/// use mavis_domain::{header_key, outcome_digest, Header, OutcomeDigest, SourceKind, Table, TextRow};
///
/// let headers: Vec<Header> = ["PERSON_FORENAME", "PERSON_SURNAME", "VACCINATED"]
///     .iter()
///     .map(|h| Header { text: h.to_string(), key: header_key(h) })
///     .collect();
/// let rows = vec![TextRow::new(2, ["Aisha", "Khan", "Y"].map(String::from).to_vec())];
/// let mut digest = OutcomeDigest::new(&headers);
/// for row in &rows {
///     digest.add(row);
/// }
/// let table = Table {
///     file: "upload.csv".into(),
///     sheet: None,
///     kind: SourceKind::Csv,
///     headers,
///     rows,
///     issues: vec![],
/// };
/// assert_eq!(digest.finish(), outcome_digest(&table));
/// ```
#[derive(Debug, Clone)]
pub struct OutcomeDigest {
    keys: KeyColumns,
    outcome: Vec<(Column, Option<usize>)>,
    lines: Vec<String>,
}

impl OutcomeDigest {
    /// A digest of the rows under `headers`, none added yet.
    pub fn new(headers: &[Header]) -> OutcomeDigest {
        OutcomeDigest {
            keys: KeyColumns::of_headers(headers),
            outcome: OUTCOME_COLUMNS
                .iter()
                .map(|c| (*c, Header::column_in(headers, *c)))
                .collect(),
            lines: Vec::new(),
        }
    }

    /// Add a row (a blank row adds nothing).
    pub fn add(&mut self, row: &TextRow) {
        self.add_cells(row.cells.len(), |i| row.get(i));
    }

    /// Add a row of `width` cells whose cell `i` is `cell(i)` (empty past
    /// its last): [`OutcomeDigest::add`] for a row not made into a
    /// [`TextRow`].
    pub fn add_cells<'a>(&mut self, width: usize, cell: impl Fn(usize) -> &'a str) {
        if (0..width).all(|i| normalise_value(cell(i)).is_empty()) {
            return;
        }
        let mut line = String::with_capacity(256);
        let _ = write!(line, "{}", self.keys.key_of(&cell));
        for (column, i) in &self.outcome {
            let value = i.map_or(Cow::Borrowed(""), |i| normalise_value(cell(i)));
            line.push('\u{1f}');
            if column.is_date() {
                push_canonical_date(&mut line, &value);
            } else {
                line.push_str(&value);
            }
        }
        self.lines.push(line);
    }

    /// The digest, as `sha256:` and 64 hex digits.
    pub fn finish(mut self) -> String {
        self.lines.sort_unstable();
        let mut hasher = Sha256::new();
        for l in &self.lines {
            hasher.update(l.as_bytes());
            hasher.update(b"\n");
        }
        hex(&hasher.finalize())
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(7 + bytes.len() * 2);
    out.push_str("sha256:");
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Header, SourceKind};
    use crate::text::header_key;

    fn table(headers: &[&str], rows: &[&[&str]]) -> Table {
        Table {
            file: "t.csv".into(),
            sheet: None,
            kind: SourceKind::Csv,
            headers: headers
                .iter()
                .map(|h| Header {
                    text: (*h).to_owned(),
                    key: header_key(h),
                })
                .collect(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    TextRow::new(
                        u32::try_from(i).unwrap() + 2,
                        r.iter().map(|c| (*c).to_owned()).collect(),
                    )
                })
                .collect(),
            issues: vec![],
        }
    }

    const H: [&str; 6] = [
        "NHS_NUMBER",
        "PROGRAMME",
        "SESSION_ID",
        "UUID",
        "VACCINATED",
        "DATE_OF_VACCINATION",
    ];

    #[test]
    fn outcome_digest_ignores_order_and_date_form_but_not_outcomes() {
        let a = table(
            &H,
            &[
                &["9449306168", "HPV", "1", "", "Y", "14/10/2025"],
                &["", "HPV", "1", "AB", "N", ""],
            ],
        );
        let b = table(
            &H,
            &[
                &["", "HPV", "1", "ab", " N ", ""],
                &["944 930 6168", "hpv", "1", "", "Y", "20251014"],
            ],
        );
        assert_eq!(outcome_digest(&a), outcome_digest(&b));
        let c = table(
            &H,
            &[
                &["9449306168", "HPV", "1", "", "N", "14/10/2025"],
                &["", "HPV", "1", "AB", "N", ""],
            ],
        );
        assert_ne!(outcome_digest(&a), outcome_digest(&c));
        assert!(outcome_digest(&a).starts_with("sha256:"));
        assert_eq!(outcome_digest(&a).len(), 7 + 64);
    }

    #[test]
    fn keys_and_missing_columns() {
        let t = table(&["UUID", "PROGRAMME"], &[&["", "flu"]]);
        let k = KeyColumns::of(&t);
        assert_eq!(
            k.missing(),
            [
                "SESSION_ID",
                "NHS_NUMBER",
                "PERSON_FORENAME",
                "PERSON_SURNAME",
                "PERSON_DOB"
            ]
        );
        assert_eq!(k.key(&t.rows[0]).to_string(), "session , FLU,   born ");
        assert_eq!(canonical_date("31/02/2025"), "31/02/2025");
        assert_eq!(canonical_date("2025-10-14"), "2025-10-14");
        assert_eq!(canonical_date(" 20251014 "), "2025-10-14");
        assert_eq!(canonical_date("14/10/2025"), "2025-10-14");
        assert_eq!(canonical_date("4/10/2025"), "2025-10-04");
        assert_eq!(canonical_date("20250229"), "20250229");
    }

    proptest::proptest! {
        /// The quick forms read every date as chrono's formats do.
        #[test]
        fn quick_dates_are_chronos(text in "[ 0-9/-]{0,12}|[0-3][0-9]/[01][0-9]/[0-9]{4}|[0-9]{4}-?[01][0-9]-?[0-3][0-9]") {
            let chrono = parsed_date(text.trim())
                .map_or_else(|| text.clone(), |d| d.format("%Y-%m-%d").to_string());
            proptest::prop_assert_eq!(canonical_date(&text), chrono);
        }
    }
}
