//! Integration tests of the `mavis-offline` binary, one test binary: the
//! commands as a user drives them, passwords, a whole offline day, the
//! annotated reports, workbooks as Mavis's exporter writes them, and the
//! children not seen (issue 15).

mod cli;
mod common;
mod crypto;
mod libreoffice_typing;
mod mavis_fails;
mod mavis_shaped;
mod merge_refusals;
mod offline_day;
mod report;
mod seen;
mod walkthrough;
