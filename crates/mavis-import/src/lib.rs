//! The vaccination-records CSV format validator.
//!
//! Mavis refuses a whole upload if one cell is wrong, and says so only once
//! the team is back online. This crate applies the same rules anywhere — on
//! CSV bytes, or on a table another reader took from a workbook — and
//! reports every problem at its row, column and header with Mavis's own
//! message (`import-csv.md`). Rows are checked as they are read: memory
//! grows with the errors and the duplicate index, not with the file.
//!
//! ```
//! use mavis_domain::chrono::NaiveDate;
//! use mavis_domain::{OdsCode, Programme, Team, UploadType};
//! use mavis_import::{SessionReference, Validator};
//!
//! let team = Team {
//!     name: "Example School Age Immunisation Service".into(),
//!     ods_code: OdsCode::parse("R1L")?,
//!     upload_type: UploadType::PointOfCare,
//!     programmes: vec![Programme::Hpv],
//!     national_reporting_cut_off: None,
//! };
//! let reference = SessionReference::new(team);
//! let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
//!
//! let csv = "PERSON_FORENAME,PERSON_SURNAME,PERSON_DOB,PERSON_GENDER_CODE,NHS_NUMBER,\
//!            VACCINATED,DATE_OF_VACCINATION,PROGRAMME,VACCINE_GIVEN,DOSE_SEQUENCE\r\n\
//!            Aisha,Begum,02/11/2012,Female,9449306168,Y,20250922,HPV,Gardasil9,1\r\n\
//!            Ben,Carter,19/10/2013,Male,9449308357,Y,2025-13-01,HPV,Gardasil9,1\r\n";
//! let report = Validator::new(&reference, today).check_csv_bytes(csv.as_bytes());
//!
//! assert!(!report.is_valid());
//! let e = &report.errors[0];
//! assert_eq!((e.row(), e.column_letter().as_deref()), (3, Some("G")));
//! assert_eq!(
//!     e.mavis_text(),
//!     "<code>DATE_OF_VACCINATION</code>: Enter a date in the correct format."
//! );
//! assert_eq!(
//!     e.to_string(),
//!     "row 3, column G (DATE_OF_VACCINATION): Enter a date in the correct format."
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Wiring it up
//!
//! * Reference data comes through the [`Reference`] trait; [`SessionReference`]
//!   answers it from a [`mavis_domain::SessionDocument`] (the session JSON).
//! * "Today" (and, for rule 24, the London time now) is passed to
//!   [`Validator`]; the library never reads the clock.
//! * [`Validator::check_csv`] reads any `Read + Seek` (a file);
//!   [`Validator::check_csv_bytes`] a buffer; [`Validator::check_table`]
//!   takes a header and rows a workbook reader has already turned into
//!   text, each with its spreadsheet row number.
//! * The [`Report`] holds file-level problems apart from row errors; each
//!   [`RowError`] has a [`mavis_domain::Location`] (row, column, header as
//!   written), its [`Rule`], and Mavis's message, available as Mavis shows
//!   it ([`RowError::mavis_text`]) or without markup
//!   ([`RowError::plain_text`]). For a valid file it holds the
//!   [`ImportedRecord`]s the upload would create.
//! * The user guide's reasons `did not attend` and `absent from school`,
//!   which current Mavis dropped, are Mavis's error `Enter a valid reason.`,
//!   with a [`RowError::hint`] saying what to do instead (issue 15 revises
//!   `import-csv.md` §9.2, which accepted them with a warning).
//!
//! # Where it is stricter than Mavis, and what it cannot see
//!
//! * Dates, times and integers must match a whole accepted form
//!   ([`parse_date`], [`parse_time`], [`parse_integer`]); Mavis reads a
//!   prefix, or octal, and can misread a value silently.
//! * A file mixing line endings, a stray quote or text after a closing quote
//!   is malformed, as in Mavis; the report also says on which line.
//! * Rule 8 (two patients match) runs only when the reference data holds
//!   patients ([`SessionReference`] takes the session's children); the
//!   protocol cannot be PSD, since the reference data has no PSDs.
//! * Duplicate rows are compared by a 128-bit fingerprint of their key.

mod columns;
mod dates;
mod duplicates;
mod error;
mod numbers;
mod record;
mod reference;
mod report;
mod row;
mod rules;
mod upload_once;
mod validator;

pub use columns::{Column, Header};
pub use dates::{parse_date, parse_time};
pub use error::{Error, ErrorKind, Result};
pub use numbers::parse_integer;
pub use record::{ChildIdentity, ImportedRecord, Protocol};
pub use reference::{ChildDetails, KnownRecord, Patient, Reference, SessionReference};
pub use report::{FileError, Report, RowError, Rule};
pub use row::RowText;
pub use rules::{supplier_is_not_the_performer, SUPPLIER_IS_NOT_THE_PERFORMER};
pub use upload_once::UploadVersion;
pub use validator::{Validator, ROW_LIMIT};
