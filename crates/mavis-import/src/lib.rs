//! The vaccination-records CSV format validator.
//!
//! This crate will check an upload (the filled-in offline spreadsheet saved
//! as CSV, or any historical vaccination list) against every rule Mavis
//! applies, offline, and report each problem at its row, column and header
//! with Mavis's own message. Reference data comes from
//! [`mavis_domain::SessionDocument`] or from a service.
//!
//! Nothing is exported yet: the rules arrive with their own issue.
