//! The columns of an upload and how the header row names them
//! (`import-csv.md` §3.3, §4).

use std::borrow::Cow;

use mavis_domain::{header_key, normalise_value, UploadType};

use crate::row::RowText;

/// A column the rules read: the workspace's one [`mavis_domain::Column`],
/// whose table gives each column's canonical header, its SystmOne aliases
/// (the first of them present in a row is used) and which uploads read it.
pub use mavis_domain::Column;

/// No header index.
const NONE: u32 = u32::MAX;

/// The header row of a file: the header texts as written, and for each
/// column the indexes of the headers that name it, in alias order.
#[derive(Debug, Clone)]
pub struct Header {
    texts: Vec<String>,
    /// Per column, up to [`Column::MAX_NAMES`] header indexes in alias
    /// order; `NONE` pads.
    candidates: [[u32; Column::MAX_NAMES]; Column::ALL.len()],
}

/// A column's cell in one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cell<'a> {
    /// The file has no such column, or the row is too short.
    Absent,
    /// The column is there but its value is empty once normalised.
    Blank(u32),
    /// The normalised value.
    Value(u32, Cow<'a, str>),
}

impl Cell<'_> {
    /// The normalised value, if present.
    pub(crate) fn value(&self) -> Option<&str> {
        match self {
            Cell::Value(_, v) => Some(v),
            _ => None,
        }
    }

    /// The column index, unless absent.
    pub(crate) fn index(&self) -> Option<u32> {
        match self {
            Cell::Absent => None,
            Cell::Blank(i) | Cell::Value(i, _) => Some(*i),
        }
    }

    pub(crate) fn is_absent(&self) -> bool {
        matches!(self, Cell::Absent)
    }

    pub(crate) fn is_present(&self) -> bool {
        matches!(self, Cell::Value(..))
    }
}

impl Header {
    /// Read a header row for an upload of `upload_type`: keys are made as in
    /// §3.3, empty headers and unknown keys are ignored, the left-most of
    /// two equal keys wins, and columns not read in this upload type are
    /// left out.
    pub fn new<S: AsRef<str>>(texts: &[S], upload_type: UploadType) -> Header {
        let keys: Vec<String> = texts.iter().map(|t| header_key(t.as_ref())).collect();
        let first_index = |key: &str| {
            keys.iter()
                .position(|k| k == key)
                .and_then(|i| u32::try_from(i).ok())
        };
        let mut candidates = [[NONE; Column::MAX_NAMES]; Column::ALL.len()];
        for (slot, c) in candidates.iter_mut().zip(Column::ALL) {
            if c.reads().by(upload_type) {
                for (place, index) in slot
                    .iter_mut()
                    .zip(c.keys().filter_map(|k| first_index(&k)))
                {
                    *place = index;
                }
            }
        }
        Header {
            texts: texts.iter().map(|t| t.as_ref().trim().to_owned()).collect(),
            candidates,
        }
    }

    /// The header text at a column index, trimmed, as written.
    pub fn text(&self, index: u32) -> &str {
        self.texts.get(index as usize).map_or("", String::as_str)
    }

    /// The number of header cells.
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// Whether the header row has no cells.
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// Whether the file has the column (under any of its names).
    pub fn has(&self, column: Column) -> bool {
        self.candidates[column as usize][0] != NONE
    }

    /// The column's value in `row`, normalised (§3.4), from the first of
    /// its headers the row is long enough to have; `None` when absent or
    /// blank.
    ///
    /// # Examples
    ///
    /// ```
    /// use mavis_domain::UploadType;
    /// use mavis_import::{Column, Header, RowText};
    ///
    /// let header = Header::new(&["Vaccination Batch Number"], UploadType::PointOfCare);
    /// let row: RowText = [" AB12 "].into_iter().collect();
    /// assert_eq!(header.get(&row, Column::BatchNumber).as_deref(), Some("AB12"));
    /// assert_eq!(header.get(&row, Column::PersonDob), None);
    /// ```
    pub fn get<'r>(&self, row: &'r RowText, column: Column) -> Option<Cow<'r, str>> {
        match self.cell(row, column) {
            Cell::Value(_, v) => Some(v),
            _ => None,
        }
    }

    /// The column's cell in `row`: the first of its headers that the row
    /// is long enough to have.
    pub(crate) fn cell<'r>(&self, row: &'r RowText, column: Column) -> Cell<'r> {
        for &i in self.candidates[column as usize]
            .iter()
            .take_while(|&&i| i != NONE)
        {
            if let Some(raw) = row.get(i as usize) {
                let v = normalise(raw);
                return if v.is_empty() || blank_to_mavis(&v) {
                    Cell::Blank(i)
                } else {
                    Cell::Value(i, v)
                };
            }
        }
        Cell::Absent
    }
}

/// Whether a normalised value is blank to Mavis all the same: only
/// non-ASCII spaces (U+2003, U+3000...), which its whitespace
/// normalisation (ASCII only) keeps but ActiveSupport's `blank?` and
/// `present?` (`[[:space:]]`, Unicode's) call blank, so every rule takes
/// its blank branch (issue 17, item 6). A normalised value has no ASCII
/// space at its ends, so only one that starts with a non-ASCII byte can be.
fn blank_to_mavis(v: &str) -> bool {
    v.as_bytes().first().is_some_and(|b| *b >= 0x80) && v.chars().all(char::is_whitespace)
}

/// [`normalise_value`], with a fast answer for the usual cell: printable
/// ASCII with single inner spaces and none at either end is already
/// normal.
fn normalise(raw: &str) -> Cow<'_, str> {
    if is_plain(raw.as_bytes()) {
        Cow::Borrowed(raw)
    } else {
        normalise_value(raw)
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Whether the bytes are printable ASCII (`!` to `~`) and single spaces,
/// with no space at either end: eight bytes at a time, then one by one.
fn is_plain(b: &[u8]) -> bool {
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    let mut words = b.chunks_exact(8);
    let mut after_space = false;
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        // A byte under 0x20 (control) or over 0x7E (DEL, non-ASCII).
        let low = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
        let high = (w & HIGH) | byte_mask(w, 0x7F);
        if low | high != 0 {
            return false;
        }
        let spaces = byte_mask(w, b' ');
        if spaces & (spaces >> 8) != 0 || (after_space && spaces & 0x80 != 0) {
            return false;
        }
        after_space = spaces >> 63 != 0;
    }
    for &c in words.remainder() {
        if c == b' ' {
            if after_space {
                return false;
            }
            after_space = true;
        } else if (b'!'..=b'~').contains(&c) {
            after_space = false;
        } else {
            return false;
        }
    }
    true
}

/// The high bit of each byte of `w` equal to `byte` (exact: no carries
/// between bytes).
fn byte_mask(w: u64, byte: u8) -> u64 {
    let low7 = !HIGH;
    let x = w ^ (ONES * u64::from(byte));
    !(((x & low7) + low7) | x | low7)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]

        /// The word-at-a-time test for plain text agrees with normalising.
        #[test]
        fn plain_text_is_normal(
            v in proptest::prop_oneof![
                "[ a~!]{0,24}",
                "[ a~!]{0,12}[\u{1f}\u{7f}\t\u{a0}\u{200d}\u{e9}][ a~!]{0,12}",
                "[ a~!\u{1f}\u{7f}\t\u{a0}\u{200d}\u{e9}]{0,24}",
            ],
        ) {
            proptest::prop_assert_eq!(normalise(&v), normalise_value(&v));
            let plain = v.bytes().all(|b| (b' '..=b'~').contains(&b))
                && !v.starts_with(' ')
                && !v.ends_with(' ')
                && !v.contains("  ");
            proptest::prop_assert_eq!(is_plain(v.as_bytes()), plain);
        }
    }

    #[test]
    fn fast_normalisation_agrees() {
        for v in [
            "", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "Zoë", "a\u{a0}b", "x\0",
        ] {
            assert_eq!(normalise(v), normalise_value(v), "{v:?}");
        }
    }

    #[test]
    fn aliases_and_modes() {
        let h = Header::new(
            &[
                "Date of birth",
                "PERSON_DOB",
                " Event Done At ",
                "",
                "person-dob",
                "UUID",
            ],
            UploadType::PointOfCare,
        );
        let row: RowText = ["20100101", "", "A Clinic", "x", "y", "u"]
            .into_iter()
            .collect();
        // PERSON_DOB comes first in alias order, and it is blank: it hides
        // the filled-in alias.
        assert_eq!(h.cell(&row, Column::PersonDob), Cell::Blank(1));
        assert_eq!(h.text(2), "Event Done At");
        assert_eq!(h.cell(&row, Column::ClinicName).value(), Some("A Clinic"));
        assert_eq!(h.cell(&row, Column::SchoolName).index(), Some(2));
        assert!(h.cell(&row, Column::Vaccinated).is_absent());
        // A short row: PERSON_DOB is absent, so the alias is used.
        let short: RowText = ["20100101"].into_iter().collect();
        assert_eq!(h.cell(&short, Column::PersonDob).value(), Some("20100101"));
        let nr = Header::new(
            &["UUID", "LOCAL_PATIENT_ID", "Event done at"],
            UploadType::NationalReporting,
        );
        assert!(!nr.has(Column::Uuid) && nr.has(Column::LocalPatientId));
        assert!(!nr.has(Column::ClinicName));
        assert_eq!(Column::PersonGenderCode.header(), "PERSON_GENDER_CODE");
    }
}
