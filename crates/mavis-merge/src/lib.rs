//! The multi-nurse merge.
//!
//! Each nurse records in her own copy of the session workbook. This crate
//! merges every copy against the downloaded workbook (the base), three-way
//! and cell by cell: a value changed in one copy (or the same way in
//! several) is taken; values changed differently are a conflict that keeps
//! the base value and names each copy's; a recorded outcome moves as one;
//! rows match by record UUID or by session, programme and child, whatever a
//! nurse did to their order; added rows are kept once; missing rows are not
//! deletions; and every change to a column the nurse does not own (consent,
//! triage, Gillick, the child's details) is listed as a change on the day to
//! make in Mavis by hand before the upload. Nothing a nurse recorded is lost:
//! it is in the merged sheet, or in a conflict.
//!
//! The crate works on sheets read back as [`mavis_domain::Table`]s;
//! `mavis-sheet` reads the files and writes the merged workbook.
//!
//! ```
//! use mavis_domain::{header_key, Header, SourceKind, Table, TextRow};
//! use mavis_merge::{merge, Source};
//!
//! let headers = ["PERSON_FORENAME", "PERSON_SURNAME", "PERSON_DOB", "NHS_NUMBER",
//!                "CONSENT_STATUS", "PROGRAMME", "SESSION_ID", "UUID", "VACCINATED"];
//! let sheet = |name: &str, vaccinated: &str, consent: &str| Table {
//!     file: name.into(),
//!     sheet: None,
//!     kind: SourceKind::Csv,
//!     headers: headers.iter().map(|h| Header { text: h.to_string(), key: header_key(h) }).collect(),
//!     rows: vec![TextRow::new(
//!         2,
//!         ["Ben", "Carter", "19/10/2013", "9449308357", consent, "Flu", "1001", "", vaccinated].map(String::from).to_vec(),
//!     )],
//!     issues: vec![],
//! };
//! let base = sheet("session.xlsx", "", "Consent refused");
//! let a = sheet("nurse-a.xlsx", "Y", "Consent given");
//! let b = sheet("nurse-b.xlsx", "N", "Consent refused");
//! let merged = merge(
//!     &base,
//!     &[
//!         Source { name: "nurse-a.xlsx", digest: "a", table: &a },
//!         Source { name: "nurse-b.xlsx", digest: "b", table: &b },
//!     ],
//!     &[],
//! )?;
//! let report = &merged.report;
//! assert_eq!(report.conflicts.len(), 1); // Y against N: one conflict
//! assert_eq!(merged.table.rows[0].get(8), "", "the base value is kept");
//! assert_eq!(report.changes_on_the_day[0].to, "Consent given");
//! # Ok::<(), mavis_merge::Error>(())
//! ```

mod error;
mod merge;
mod report;

pub use error::{Error, Result};
pub use merge::{merge, CellMark, MarkKind, Merged, Source};
pub use report::{
    Absence, AddedRow, Change, Conflict, DuplicateFile, FollowUp, MissingRow, Recorded, Report,
    SourceSummary, SourceValue, Tally,
};
