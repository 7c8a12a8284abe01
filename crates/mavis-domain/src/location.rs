//! Where a value sits in a file: file, sheet, row, column and header.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The place of a cell (or a row, when there is no column) in a spreadsheet
/// or CSV file, as a person finds it: the row number the spreadsheet shows,
/// the column letter, and the header as written.
///
/// Its `Display` is the prefix of every located message:
/// `nurse-b.csv: row 14, column F (DATE_OF_VACCINATION)`.
///
/// # Examples
///
/// ```
/// use mavis_domain::Location;
///
/// let at = Location::cell(14, 5, "DATE_OF_VACCINATION").in_file("nurse-b.csv");
/// assert_eq!(at.to_string(), "nurse-b.csv: row 14, column F (DATE_OF_VACCINATION)");
/// let row = Location::row(3).in_file("session.xlsx").in_sheet("Vaccinations");
/// assert_eq!(row.to_string(), "session.xlsx, sheet Vaccinations: row 3");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Location {
    /// The file's name as the user gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The sheet, for workbooks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The row number as the spreadsheet shows it (the header is row 1);
    /// 0 for the file as a whole.
    pub row: u32,
    /// The column, 0 for A; `None` for a whole row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// The column's header as written in the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
}

impl Location {
    /// A whole file.
    pub fn file(name: impl Into<String>) -> Location {
        Location {
            file: Some(name.into()),
            ..Location::default()
        }
    }

    /// A whole row.
    pub fn row(row: u32) -> Location {
        Location {
            row,
            ..Location::default()
        }
    }

    /// A cell: row number, column index (0 for A) and header as written.
    pub fn cell(row: u32, column: u32, header: impl Into<String>) -> Location {
        Location {
            row,
            column: Some(column),
            header: Some(header.into()).filter(|h: &String| !h.is_empty()),
            ..Location::default()
        }
    }

    /// The same place in the named file.
    #[must_use]
    pub fn in_file(mut self, file: impl Into<String>) -> Location {
        self.file = Some(file.into());
        self
    }

    /// The same place in the named sheet.
    #[must_use]
    pub fn in_sheet(mut self, sheet: impl Into<String>) -> Location {
        self.sheet = Some(sheet.into());
        self
    }

    /// The column letter (`A`, `AB`…), if the location is a cell.
    pub fn column_letter(&self) -> Option<String> {
        self.column.map(column_letter)
    }

    /// The cell reference, such as `F14`, if the location is a cell.
    pub fn cell_ref(&self) -> Option<String> {
        self.column
            .map(|c| format!("{}{}", column_letter(c), self.row))
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut wrote = false;
        if let Some(file) = &self.file {
            f.write_str(file)?;
            wrote = true;
        }
        if let Some(sheet) = &self.sheet {
            if wrote {
                f.write_str(", ")?;
            }
            write!(f, "sheet {sheet}")?;
            wrote = true;
        }
        if self.row > 0 {
            if wrote {
                f.write_str(": ")?;
            }
            write!(f, "row {}", self.row)?;
            if let Some(col) = self.column {
                write!(f, ", column {}", column_letter(col))?;
                if let Some(h) = &self.header {
                    write!(f, " ({h})")?;
                }
            }
        }
        Ok(())
    }
}

/// The spreadsheet letter of a column index: 0 is `A`, 25 `Z`, 26 `AA`.
///
/// # Examples
///
/// ```
/// assert_eq!(mavis_domain::column_letter(0), "A");
/// assert_eq!(mavis_domain::column_letter(27), "AB");
/// assert_eq!(mavis_domain::column_letter(16_383), "XFD");
/// ```
pub fn column_letter(index: u32) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + u8::try_from(rem).expect("below 26"));
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII")
}

/// The column index of a spreadsheet letter (`A` is 0), any case; `None`
/// for anything that is not letters.
pub fn column_index(letters: &str) -> Option<u32> {
    if letters.is_empty() || letters.len() > 7 {
        return None;
    }
    letters
        .bytes()
        .try_fold(0u32, |acc, b| {
            b.is_ascii_alphabetic()
                .then(|| acc * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1)
        })
        .map(|n| n - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn display() {
        assert_eq!(Location::file("a.csv").to_string(), "a.csv");
        assert_eq!(Location::row(2).to_string(), "row 2");
        assert_eq!(Location::cell(2, 0, "").to_string(), "row 2, column A");
        assert_eq!(
            Location::cell(2, 38, "UUID").cell_ref().as_deref(),
            Some("AM2")
        );
    }

    #[test]
    fn letters() {
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
        assert_eq!(column_index("am"), Some(38));
        assert_eq!(column_index("A1"), None);
        assert_eq!(column_index(""), None);
    }

    proptest! {
        #[test]
        fn letters_round_trip(i in 0u32..1_000_000) {
            prop_assert_eq!(column_index(&column_letter(i)), Some(i));
        }
    }
}
