//! Integration tests of the `mavis-offline` binary, one test binary: the
//! commands as a user drives them, passwords, a whole offline day and the
//! annotated reports.

mod cli;
mod common;
mod crypto;
mod merge_refusals;
mod offline_day;
mod report;
