//! One row of the `Vaccinations` sheet, as values and style, before it is
//! written.

use mavis_domain::chrono::NaiveDate;
use mavis_domain::{MmrVariant, Programme};

use mavis_domain::{Column, Layout};

/// A cell's value and type (`offline-spreadsheet.md` §3.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellValue {
    /// Non-empty text.
    Text(String),
    /// Empty text, where a nurse will type.
    EmptyText,
    /// No value (the cell still carries the row's style).
    NoValue,
    /// A date, written as a date serial formatted `dd/mm/yyyy`.
    Date(NaiveDate),
    /// No value, but formatted `dd/mm/yyyy` so a date typed later shows the
    /// same way.
    DateNoValue,
    /// A whole number, written as a number.
    Integer(i64),
}

impl CellValue {
    /// Text, or [`CellValue::EmptyText`] when it is empty.
    pub fn text(s: impl Into<String>) -> CellValue {
        let s = s.into();
        if s.is_empty() {
            CellValue::EmptyText
        } else {
            CellValue::Text(s)
        }
    }

    /// Text, or [`CellValue::NoValue`] when there is none or it is empty.
    pub fn text_or_none(s: Option<impl Into<String>>) -> CellValue {
        match s.map(Into::into) {
            Some(s) if !s.is_empty() => CellValue::Text(s),
            _ => CellValue::NoValue,
        }
    }

    /// The value as a spreadsheet program's "CSV UTF-8" export shows it:
    /// dates `dd/mm/yyyy`, numbers in decimal, nothing for no value.
    pub fn display(&self) -> String {
        match self {
            CellValue::Text(s) => s.clone(),
            CellValue::EmptyText | CellValue::NoValue | CellValue::DateNoValue => String::new(),
            CellValue::Date(d) => d.format("%d/%m/%Y").to_string(),
            CellValue::Integer(n) => n.to_string(),
        }
    }
}

/// The fill of a row (`offline-spreadsheet.md` §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowFill {
    /// No fill.
    None,
    /// Light red (`FFF7D4D1`): consent refused.
    ConsentRefused,
    /// Amber (`FFFFDC8E`): conflicting consent.
    ConflictingConsent,
}

/// Whether a row is a fill-in row or an existing record's row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowKind {
    /// A new row for a child without a record for the programme.
    FillIn,
    /// The row of an existing vaccination record.
    ExistingRecord,
}

/// One row of the `Vaccinations` sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfflineRow {
    /// One value per column of the layout, in order.
    pub cells: Vec<CellValue>,
    /// The row's fill.
    pub fill: RowFill,
    /// Whether the row is struck through (an invalidated child).
    pub strike: bool,
    /// The programme of the row.
    pub programme: Programme,
    /// The MMR(V) variant, for MMR rows.
    pub variant: Option<MmrVariant>,
    /// Fill-in or existing record.
    pub kind: RowKind,
    /// Whether `CLINIC_NAME` offers the team's community clinics (sessions
    /// at the generic clinic).
    pub clinic_dropdown: bool,
}

impl OfflineRow {
    /// The value in a column of the row.
    ///
    /// # Panics
    ///
    /// When the column is not in the layout the row was built for.
    pub fn get(&self, layout: Layout, column: Column) -> &CellValue {
        &self.cells[usize::from(layout.index(column).expect("column in layout"))]
    }
}
