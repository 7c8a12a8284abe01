//! Integration tests of the `mavis-offline` binary, one test binary: the
//! commands as a user drives them, passwords, a whole offline day, the
//! annotated reports, and workbooks as Mavis's exporter writes them.

mod cli;
mod common;
mod crypto;
mod mavis_shaped;
mod offline_day;
mod report;
