//! `mavis`: one crate to depend on for the whole of mavis-offline.
//!
//! A thin facade over the workspace's library crates, so a service can add a
//! single dependency and reach every part:
//!
//! - [`csv`]: the one reader (and writer) of upload CSV ([`mavis_csv`]);
//! - [`domain`]: the record model ([`mavis_domain`]);
//! - [`sheet`]: the offline workbook and reading spreadsheets back
//!   ([`mavis_sheet`]);
//! - [`import`]: the upload-format validator ([`mavis_import`]);
//! - [`merge`]: the multi-nurse merge ([`mavis_merge`]);
//! - [`demo`]: invented data for examples, tests and benchmarks, the demo
//!   session and a day of nurses filling their copies ([`mavis_demo`]).
//!
//! ```
//! use chrono::NaiveDate;
//! use mavis::demo::{self, DemoOptions};
//!
//! let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
//! let doc = demo::session(&DemoOptions::new(today));
//! assert_eq!(doc.children.len(), 120);
//! ```

pub use mavis_csv as csv;
pub use mavis_demo as demo;
pub use mavis_domain as domain;
pub use mavis_import as import;
pub use mavis_merge as merge;
pub use mavis_sheet as sheet;

/// The README's code, compiled and run as a doctest.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
