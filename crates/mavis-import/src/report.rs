//! The result of a validation: file-level problems, every row error at its
//! cell (with our hint after Mavis's message, where we have one), counts
//! and the records a valid file holds.

use std::fmt;

use mavis_domain::Location;
use serde::Serialize;

use crate::record::ImportedRecord;

/// The rule of `import-csv.md` §6 (or §7) a row error comes from, in the
/// order Mavis lists a row's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Rule {
    /// Rule 0, `VACCINATED`.
    Vaccinated,
    /// Rule 1, `BATCH_EXPIRY_DATE`.
    BatchExpiryDate,
    /// Rule 2, `BATCH_NUMBER`.
    BatchNumber,
    /// Rule 3, `CARE_SETTING`.
    CareSetting,
    /// Rule 4, `CLINIC_NAME`.
    ClinicName,
    /// Rule 5, `DATE_OF_VACCINATION`.
    DateOfVaccination,
    /// Rule 6, `ANATOMICAL_SITE`.
    AnatomicalSite,
    /// Rule 7, `DOSE_SEQUENCE`.
    DoseSequence,
    /// Rule 8, more than one existing patient matches.
    AmbiguousChild,
    /// Rule 9, `LOCAL_PATIENT_ID`.
    LocalPatientId,
    /// Rule 9, `LOCAL_PATIENT_ID_URI`.
    LocalPatientIdUri,
    /// Rule 10, `PERSON_DOB`.
    PersonDob,
    /// Rule 11, `PERSON_FORENAME`.
    PersonForename,
    /// Rule 12, `PERSON_GENDER_CODE`.
    PersonGender,
    /// Rule 13, `PERSON_SURNAME`.
    PersonSurname,
    /// Rule 14, `NHS_NUMBER`.
    NhsNumber,
    /// Rule 15, `PERSON_POSTCODE`.
    PersonPostcode,
    /// Rule 16, the performing professional.
    PerformingProfessional,
    /// Rule 17, `ORGANISATION_CODE`.
    OrganisationCode,
    /// Rule 18, the programme.
    Programme,
    /// Rule 19, `REASON_NOT_VACCINATED`.
    ReasonNotVaccinated,
    /// Rule 20, `SCHOOL_NAME`.
    SchoolName,
    /// Rule 21, `SCHOOL_URN`.
    SchoolUrn,
    /// Rule 22, `SUPPLIER_EMAIL`.
    SupplierEmail,
    /// Not a rule of Mavis but a defect of Mavis 7.3.0: a row whose
    /// supplier is a user other than its performing professional makes
    /// Mavis's import fail (issue 17, item 1).
    SupplierIsNotThePerformer,
    /// Rule 23, `SESSION_ID`.
    SessionId,
    /// Rule 24, `TIME_OF_VACCINATION`.
    TimeOfVaccination,
    /// Rule 25, `UUID`.
    Uuid,
    /// Rule 26, the vaccine.
    Vaccine,
    /// §7, the row duplicates other rows.
    Duplicate,
}

/// One problem with one row: where it is, which rule, and Mavis's message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The row (Mavis's row number, `import-csv.md` §3.6) and, for a column
    /// message, the column and its header as written.
    pub location: Location,
    /// The rule that failed.
    pub rule: Rule,
    /// Mavis's message, without the `<code>HEADER</code>: ` prefix of a
    /// column message.
    pub message: String,
    /// What to do, in our words, where Mavis's message alone does not say
    /// (it is shown after Mavis's text, never in it): for the user guide's
    /// `absent from school`, that Mavis now records attendance instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl RowError {
    /// The row number.
    pub fn row(&self) -> u32 {
        self.location.row
    }

    /// The column letter, for a column message.
    pub fn column_letter(&self) -> Option<String> {
        self.location.column_letter()
    }

    /// The header as written, for a column message.
    pub fn header(&self) -> Option<&str> {
        self.location.header.as_deref()
    }

    /// The text exactly as Mavis shows it: `<code>HEADER</code>: message`
    /// for a column message, the message itself for a row message.
    pub fn mavis_text(&self) -> String {
        match (&self.location.column, self.header()) {
            (Some(_), Some(h)) => format!("<code>{h}</code>: {}", self.message),
            (Some(_), None) => format!("<code></code>: {}", self.message),
            _ => self.message.clone(),
        }
    }

    /// The same text without markup: `HEADER: message`.
    pub fn plain_text(&self) -> String {
        strip_code(&self.mavis_text())
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, strip_code(&self.message))?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

/// Remove `<code>` and `</code>` tags.
pub(crate) fn strip_code(text: &str) -> String {
    text.replace("<code>", "").replace("</code>", "")
}

/// A problem with the file as a whole (`import-csv.md` §3): when there is
/// one, no row is checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum FileError {
    /// The content is empty or only whitespace.
    NoContent,
    /// The file is not CSV as the upload reads it.
    Malformed {
        /// The line where it shows (1 for the first line of the file).
        line: u64,
        /// What is wrong.
        detail: String,
    },
    /// More data rows than the limit.
    TooManyRows {
        /// The limit (20,000 for Mavis).
        limit: u64,
    },
    /// No data rows once the instruction row and trailing blank rows are
    /// dropped.
    NoRecords,
    /// Not a refusal of Mavis's but a failure: a file Mavis's upload
    /// cannot read at all (UTF-16 or UTF-32, which its encoding detection
    /// takes for binary; its CSV library then raises a server error), in
    /// `encoding` (issue 17, item 10).
    MavisCannotRead {
        /// `UTF-16` or `UTF-32`.
        encoding: &'static str,
    },
}

impl FileError {
    /// Mavis's message.
    pub fn message(&self) -> String {
        match self {
            FileError::NoContent => "Choose a file".to_owned(),
            FileError::Malformed { .. } => "Choose a CSV file in the correct format".to_owned(),
            FileError::TooManyRows { limit } => format!(
                "The row limit for CSV uploads is {limit}. Split your CSV file into smaller files \
                 of less than {limit} rows"
            ),
            FileError::NoRecords => "Choose a CSV file with at least one record".to_owned(),
            FileError::MavisCannotRead { encoding } => format!(
                "Mavis cannot read this file: it is {encoding} text, and Mavis's upload fails \
                 on it with a server error. Save it again as \"CSV UTF-8 (Comma delimited)\" \
                 and upload that"
            ),
        }
    }

    /// Where and why, for a malformed file: `line 3: a quoted field is
    /// never closed`.
    pub fn detail(&self) -> Option<String> {
        match self {
            FileError::Malformed { line, detail } => Some(format!("line {line}: {detail}")),
            _ => None,
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())?;
        if let Some(detail) = self.detail() {
            write!(f, " ({detail})")?;
        }
        Ok(())
    }
}

/// The result of validating one file.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// The file-level problem, if any (at most one; then no row is checked).
    pub file_errors: Vec<FileError>,
    /// Every row error, sorted by row; within a row in rule order, then the
    /// duplicate message.
    pub errors: Vec<RowError>,
    /// Data rows checked (after dropping the instruction row and trailing
    /// blank rows).
    pub rows_checked: u64,
    /// Records the file would import (rows that are not skipped).
    pub record_count: u64,
    /// National reporting: rows not vaccinated, which are never imported.
    pub skipped_not_vaccinated: u64,
    /// For a valid file, when the validator was asked to keep them, the
    /// records in row order; empty otherwise.
    pub records: Vec<ImportedRecord>,
}

impl Report {
    /// Whether the file would be accepted: no file-level problem and no row
    /// error.
    pub fn is_valid(&self) -> bool {
        self.file_errors.is_empty() && self.errors.is_empty()
    }

    /// The same report with every location in the named file, so that each
    /// error reads `nurse-b.csv: row 14, column F (…)`.
    #[must_use]
    pub fn in_file(mut self, name: &str) -> Report {
        for e in &mut self.errors {
            e.location.file = Some(name.to_owned());
        }
        self
    }

    /// The row errors grouped by row, as Mavis's upload page lists them.
    ///
    /// # Examples
    ///
    /// ```
    /// use mavis_domain::Location;
    /// use mavis_import::{Report, RowError, Rule};
    ///
    /// let e = |row, message: &str| RowError {
    ///     location: Location::row(row),
    ///     rule: Rule::Duplicate,
    ///     message: message.into(),
    ///     hint: None,
    /// };
    /// let report = Report {
    ///     errors: vec![e(2, "a"), e(2, "b"), e(5, "c")],
    ///     ..Report::default()
    /// };
    /// let rows: Vec<(u32, usize)> = report.rows().map(|(r, es)| (r, es.len())).collect();
    /// assert_eq!(rows, [(2, 2), (5, 1)]);
    /// ```
    pub fn rows(&self) -> impl Iterator<Item = (u32, &[RowError])> {
        self.errors
            .chunk_by(|a, b| a.row() == b.row())
            .map(|chunk| (chunk[0].row(), chunk))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts() {
        let col = RowError {
            location: Location::cell(3, 9, "Event date"),
            rule: Rule::DateOfVaccination,
            message: "Enter a date.".into(),
            hint: None,
        };
        assert_eq!(col.mavis_text(), "<code>Event date</code>: Enter a date.");
        assert_eq!(col.plain_text(), "Event date: Enter a date.");
        assert_eq!(col.column_letter().as_deref(), Some("J"));
        assert_eq!(
            col.to_string(),
            "row 3, column J (Event date): Enter a date."
        );
        let row = RowError {
            location: Location::row(4),
            rule: Rule::PersonDob,
            message: "<code>PERSON_DOB</code> or <code>Date of birth</code> is required".into(),
            hint: None,
        };
        assert_eq!(row.mavis_text(), row.message);
        assert_eq!(row.plain_text(), "PERSON_DOB or Date of birth is required");
        let report = Report {
            errors: vec![col.clone()],
            ..Report::default()
        }
        .in_file("nurse-b.csv");
        assert_eq!(
            report.errors[0].to_string(),
            "nurse-b.csv: row 3, column J (Event date): Enter a date."
        );
        assert_eq!(
            FileError::TooManyRows { limit: 20000 }.message(),
            "The row limit for CSV uploads is 20000. Split your CSV file into smaller files of \
             less than 20000 rows"
        );
        let m = FileError::Malformed {
            line: 3,
            detail: "a quoted field is never closed".into(),
        };
        assert_eq!(
            m.to_string(),
            "Choose a CSV file in the correct format (line 3: a quoted field is never closed)"
        );
    }
}
