//! Spreadsheet round-tripping for offline vaccination sessions.
//!
//! This crate writes the offline session workbook (`.xlsx`) exactly as
//! Mavis's **Record offline** link does (`offline-spreadsheet.md`), reads
//! `.xlsx` and `.csv` copies back whatever a spreadsheet program did to
//! them ([`read_bytes`]), and writes the upload CSV ([`write_upload_csv`]).
//! Workbooks can be protected with a password ([`encrypt_workbook`],
//! [`read_bytes_with_password`]), with the ECMA-376 agile encryption that
//! Excel and LibreOffice open. It is
//! the only crate of the workspace that names `calamine` or
//! `rust_xlsxwriter` types; everything it reads and writes is in terms of
//! [`mavis_domain`].
//!
//! ```
//! use mavis_domain::chrono::NaiveDate;
//! use mavis_demo::{self as demo, DemoOptions};
//! use mavis_sheet::OfflineWorkbook;
//!
//! let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
//! let doc = demo::session(&DemoOptions::new(today));
//! let workbook = OfflineWorkbook::new(&doc, today);
//! assert_eq!(
//!     workbook.file_name(),
//!     "Riverside Academy (141234) - exported on 15 October 2025.xlsx"
//! );
//! let bytes = workbook.to_bytes()?;
//! assert!(bytes.len() > 10_000);
//! # Ok::<(), mavis_sheet::Error>(())
//! ```

mod annotate;
mod crypto;
mod csv_table;
pub mod dump;
mod error;
mod fill;
mod limit;
mod limits;
mod mark;
mod marked_sheet;
mod notes;
mod package;
mod problems;
mod read;
mod row;
mod rows;
mod session_sheet;
mod shown;
mod styles;
mod upload;
mod vml;
mod workbook_reference;
mod writer;
mod xml;
mod xml_patch;

pub use annotate::annotate_sheet;
pub use crypto::{decrypt_workbook, encrypt_workbook, is_encrypted};
pub use csv_table::{csv_outcome_digest, CsvTable};
pub use error::{Error, ErrorKind, Result};
pub use fill::{canonical_edits, canonical_entry, edit_sheet, write_table_cells, CellEdit, Entry};
pub use limit::Limit;
pub use limits::{ReadLimits, UPLOAD_MAX_ROWS};
pub use mark::{Annotation, Mark};
pub use mavis_domain::{Column, Header, Layout, ReadIssue, Severity, SourceKind, Table, TextRow};
pub use problems::{
    add_problems_sheet, annotate_problems, table_workbook, ProblemLine, PROBLEMS_HEADERS,
    PROBLEMS_SHEET,
};
pub use read::{
    read_as_saved, read_bytes, read_bytes_with, read_bytes_with_password, read_path,
    read_path_with, read_sheet_rows,
};
pub use row::{CellValue, OfflineRow, RowFill, RowKind};
pub use rows::RowBuilder;
pub use session_sheet::{
    parse_session_sheet, session_sheet_rows, SessionSheet, SESSION_SHEET, SESSION_SHEET_VERSION,
};
pub use shown::SavedBy;
pub use upload::write_upload_csv;
pub use workbook_reference::{
    read_workbook_reference, read_workbook_reference_with, remove_sheet, WorkbookReference,
};
pub use writer::{
    batch_sheet_name, date_serial, OfflineWorkbook, WriteSummary, CLINICS_SHEET,
    PROFESSIONALS_SHEET, SUPPLIERS_SHEET, VACCINATIONS_SHEET,
};
