//! A spreadsheet read back as text: its header, its rows with their row
//! numbers, and the problems met while reading. `mavis-sheet` produces it
//! from `.xlsx` and `.csv` files; the validator and the merge consume it.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::columns::Column;
use crate::location::Location;
use crate::text::normalise_value;

/// A header cell: the text as written (trimmed) and its lookup key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The header as written, surrounding spaces removed.
    pub text: String,
    /// The normalised key (`import-csv.md` §3.3): `date_of_vaccination`.
    pub key: String,
}

impl Header {
    /// The index in `headers` of an offline-sheet column, by its header or,
    /// when that is absent, by one of its aliases: what
    /// [`Table::column`] finds in a table's headers.
    pub fn column_in(headers: &[Header], column: Column) -> Option<usize> {
        column
            .keys()
            .find_map(|k| headers.iter().position(|h| h.key == *k))
    }
}

/// One data row: where it sits and one text per header column, as a
/// spreadsheet program's "CSV UTF-8" export would show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextRow {
    /// The row number as the spreadsheet shows it (the header is row 1):
    /// where its cells are marked.
    pub row: u32,
    /// The row number Mavis prints for it in its messages. In a workbook it
    /// is [`TextRow::row`]; in a CSV, empty lines are not counted, so after
    /// one it is smaller.
    pub mavis_row: u32,
    /// The cells, one per header column (missing cells are empty).
    pub cells: Vec<String>,
    /// Whether the row had fewer or more cells than the header (CSV only).
    pub ragged: bool,
}

impl TextRow {
    /// A row of a workbook (or of a CSV with no empty line before it),
    /// numbered `row` by the spreadsheet and by Mavis alike, with as many
    /// cells as the header.
    ///
    /// # Examples
    ///
    /// ```
    /// use mavis_domain::TextRow;
    ///
    /// let row = TextRow::new(7, vec!["Aisha".to_owned()]);
    /// assert_eq!((row.row, row.mavis_row, row.get(0), row.get(3)), (7, 7, "Aisha", ""));
    /// ```
    pub fn new(row: u32, cells: Vec<String>) -> TextRow {
        TextRow {
            row,
            mavis_row: row,
            cells,
            ragged: false,
        }
    }

    /// The cell in a column as read.
    pub fn get(&self, column: usize) -> &str {
        self.cells.get(column).map_or("", String::as_str)
    }

    /// The cell as the importer sees it: whitespace normalised, empty when
    /// blank (see [`crate::normalise_value`]).
    pub fn normalised(&self, column: usize) -> Cow<'_, str> {
        normalise_value(self.get(column))
    }

    /// Whether every cell is blank.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| normalise_value(c).is_empty())
    }
}

/// How serious a reading problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The value cannot be used as it is; the upload would fail or read it
    /// wrongly.
    Error,
    /// Worth a look: the value was read, but a spreadsheet program may have
    /// changed it.
    Warning,
    /// The value is read right, but Excel or LibreOffice shows it, and its
    /// own "save as CSV" writes it, as Mavis refuses or misreads it (a
    /// `YYYYMMDD` number in a date cell shows as `########`, `#FMT` in
    /// LibreOffice; a date or a time in a General cell as its number; 12
    /// digits in Excel's General as `1.23457E+11`): the workbook is not
    /// ready for that path, while the tool's `csv`, which reads the value,
    /// writes it right.
    Shown,
}

/// A problem found while reading, at its cell or row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadIssue {
    /// Where.
    pub at: Location,
    /// How serious.
    pub severity: Severity,
    /// What is wrong and what to do, in plain English.
    pub message: String,
}

impl std::fmt::Display for ReadIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

/// What kind of file a table came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A workbook (`.xlsx`, `.xls`, `.ods`).
    Workbook,
    /// A CSV file.
    Csv,
}

/// A spreadsheet read back: its header and rows as text, and every problem
/// met on the way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// The file's name, as given to the reader.
    pub file: String,
    /// The sheet read, for workbooks.
    pub sheet: Option<String>,
    /// Workbook or CSV.
    pub kind: SourceKind,
    /// The header row.
    pub headers: Vec<Header>,
    /// The data rows, without trailing blank rows.
    pub rows: Vec<TextRow>,
    /// Problems found, in reading order.
    pub issues: Vec<ReadIssue>,
}

impl Table {
    /// The index of the first column whose header key is `key`.
    pub fn column_by_key(&self, key: &str) -> Option<usize> {
        self.headers.iter().position(|h| h.key == key)
    }

    /// The index of an offline-sheet column, by its header or, when that is
    /// absent, by one of its aliases (`Event date` for
    /// `DATE_OF_VACCINATION`).
    pub fn column(&self, column: Column) -> Option<usize> {
        Header::column_in(&self.headers, column)
    }

    /// The location of a cell, for messages.
    pub fn location(&self, row: u32, column: usize) -> Location {
        let header = self.headers.get(column).map_or("", |h| h.text.as_str());
        let at = Location::cell(row, u32::try_from(column).unwrap_or(u32::MAX), header)
            .in_file(&self.file);
        match &self.sheet {
            Some(s) => at.in_sheet(s),
            None => at,
        }
    }

    /// The spreadsheet row of the row Mavis numbers `mavis_row` (they
    /// differ in a CSV after an empty line): where a message about it is
    /// marked. A number between or past the rows read keeps the offset of
    /// the row before it.
    ///
    /// # Examples
    ///
    /// ```
    /// use mavis_domain::{SourceKind, Table, TextRow};
    ///
    /// let mut after_an_empty_line = TextRow::new(3, vec![]);
    /// after_an_empty_line.mavis_row = 2;
    /// let table = Table {
    ///     file: "upload.csv".into(),
    ///     sheet: None,
    ///     kind: SourceKind::Csv,
    ///     headers: vec![],
    ///     rows: vec![after_an_empty_line],
    ///     issues: vec![],
    /// };
    /// assert_eq!((table.sheet_row(2), table.sheet_row(5), table.sheet_row(1)), (3, 6, 1));
    /// ```
    pub fn sheet_row(&self, mavis_row: u32) -> u32 {
        let i = self.rows.partition_point(|r| r.mavis_row <= mavis_row);
        match i.checked_sub(1).map(|i| &self.rows[i]) {
            Some(r) => mavis_row.saturating_add(r.row.saturating_sub(r.mavis_row)),
            None => mavis_row,
        }
    }

    /// Whether any issue is an error.
    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(|i| i.severity == Severity::Error)
    }
}
