//! What a cell is marked with: [`Mark`] (a fill) and [`Annotation`] (a
//! mark and/or a note for one cell), and how several annotations of one
//! cell combine.

use std::collections::BTreeMap;

use crate::error::{ErrorKind, Result};

/// The last row of a worksheet.
pub(crate) const LAST_ROW: u32 = 1_048_576;
/// The last column of a worksheet, 0-based (XFD).
pub(crate) const LAST_COLUMN: u32 = 16_383;

/// conflicting consent), so a mark stands out on a coloured row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mark {
    /// Nurses' copies disagree: amber, `FFFFC000`.
    Conflict,
    /// Changed on the day: yellow, `FFFFFF00`.
    ChangedOnTheDay,
    /// A row added on the day: light green, `FFC6EFCE`.
    Added,
    /// The validator found a problem: red, `FFFF8080`.
    Problem,
}

impl Mark {
    /// The fill colour as OOXML writes it, alpha first: `FFFFC000`.
    pub fn argb(self) -> &'static str {
        match self {
            Mark::Conflict => "FFFFC000",
            Mark::ChangedOnTheDay => "FFFFFF00",
            Mark::Added => "FFC6EFCE",
            Mark::Problem => "FFFF8080",
        }
    }

    /// Which of two marks of one cell wins: a problem over a conflict over
    /// a change over an addition.
    fn precedence(self) -> u8 {
        match self {
            Mark::Problem => 3,
            Mark::Conflict => 2,
            Mark::ChangedOnTheDay => 1,
            Mark::Added => 0,
        }
    }
}

/// A mark and/or a note for one cell.
///
/// Several annotations of one cell combine: the cell gets one fill (a
/// problem wins over a conflict, a conflict over a change on the day, a
/// change over an addition) and one note, their texts in the order given,
/// separated by a blank line. An empty note counts as none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// Row number as the spreadsheet shows it (the header is row 1).
    pub row: u32,
    /// Column index, 0 for A.
    pub column: u32,
    /// The fill to give the cell, if any.
    pub mark: Option<Mark>,
    /// The note to attach, if any.
    pub note: Option<String>,
}

impl Annotation {
    /// An annotation of the cell at `row` (1-based) and `column` (0-based)
    /// with neither mark nor note yet.
    pub fn new(row: u32, column: u32) -> Annotation {
        Annotation {
            row,
            column,
            mark: None,
            note: None,
        }
    }

    /// The same annotation with this mark.
    #[must_use]
    pub fn with_mark(mut self, mark: Mark) -> Annotation {
        self.mark = Some(mark);
        self
    }

    /// The same annotation with this note.
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Annotation {
        self.note = Some(note.into());
        self
    }
}

/// What one cell gets once its annotations are combined.
#[derive(Debug, Default)]
pub(crate) struct Target {
    pub(crate) mark: Option<Mark>,
    pub(crate) notes: Vec<String>,
}
/// Combine the annotations cell by cell, checking their positions.
pub(crate) fn combine(annotations: &[Annotation]) -> Result<BTreeMap<(u32, u32), Target>> {
    let mut targets: BTreeMap<(u32, u32), Target> = BTreeMap::new();
    for a in annotations {
        if a.row == 0 || a.row > LAST_ROW || a.column > LAST_COLUMN {
            return Err(ErrorKind::Xlsx(format!(
                "cannot annotate row {}, column {}: a worksheet has rows 1 to {LAST_ROW} and columns 0 (A) to {LAST_COLUMN} (XFD)",
                a.row, a.column
            ))
            .into());
        }
        let note = a.note.as_deref().filter(|n| !n.is_empty());
        if a.mark.is_none() && note.is_none() {
            continue;
        }
        let target = targets.entry((a.row, a.column)).or_default();
        if let Some(mark) = a.mark {
            if target
                .mark
                .is_none_or(|m| mark.precedence() > m.precedence())
            {
                target.mark = Some(mark);
            }
        }
        if let Some(note) = note {
            target.notes.push(note.to_owned());
        }
    }
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combining() {
        let note = |row, mark, text: &str| Annotation {
            mark,
            note: Some(text.to_owned()),
            ..Annotation::new(row, 1)
        };
        let t = combine(&[
            note(2, Some(Mark::Added), "one"),
            Annotation::new(2, 1).with_mark(Mark::Problem),
            note(2, Some(Mark::Conflict), "two"),
            note(3, None, ""),
        ])
        .unwrap();
        assert_eq!(t.len(), 1);
        assert_eq!(t[&(2, 1)].mark, Some(Mark::Problem));
        assert_eq!(t[&(2, 1)].notes, ["one", "two"]);
        assert!(combine(&[Annotation::new(0, 0).with_note("x")]).is_err());
        assert!(combine(&[Annotation::new(1, 16_384).with_note("x")]).is_err());
    }
}
