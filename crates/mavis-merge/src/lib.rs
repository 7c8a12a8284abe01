//! The multi-nurse merge.
//!
//! This crate will merge every nurse's copy of an offline session workbook
//! against the downloaded base, three-way, cell by cell: nothing lost,
//! conflicts named, and changes made on the day (consent, triage, Gillick)
//! listed for the admin to enter in Mavis before the upload.
//!
//! Nothing is exported yet: the merge arrives with its own issue.
