//! Spreadsheet round-tripping for offline vaccination sessions.
//!
//! This crate will write the offline session workbook (`.xlsx`) exactly as
//! Mavis does, read `.xlsx` and `.csv` copies back whatever a spreadsheet
//! program did to them, and write the upload CSV. It is the only crate of the
//! workspace that names `calamine` or `rust_xlsxwriter` types; everything it
//! reads and writes is in terms of [`mavis_domain`].
//!
//! Nothing is exported yet: the writer and the reader arrive with their own
//! issues.
