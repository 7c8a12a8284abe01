//! Invented data for mavis-offline's examples, tests, benchmarks and the
//! CLI's `walkthrough` and `demo-session` commands. Nothing here is used to
//! record, read, merge or check a real session; the libraries do not depend
//! on it.
//!
//! - [`session`] builds a realistic, deterministic [`SessionDocument`] of
//!   any size ([`DemoOptions`]), holding every state the record model has.
//!   Everything is invented: names, NHS numbers (all in the `999` test
//!   range), postcodes, schools, URNs and batch numbers; the vaccines and
//!   programmes are the real catalogue.
//! - [`fill_copies`] simulates a day of nurses typing into their copies of
//!   the session workbook ([`NurseDay`]), as the walkthrough and the
//!   end-to-end tests need them.
//!
//! ```
//! use mavis_demo::{self as demo, fill_copies, DemoOptions};
//! use mavis_domain::chrono::NaiveDate;
//! use mavis_sheet::OfflineWorkbook;
//!
//! let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
//! let doc = demo::session(&DemoOptions { children: 8, ..DemoOptions::new(today) });
//! let base = OfflineWorkbook::new(&doc, today).to_bytes()?;
//! let day = fill_copies(&base, 2, 1)?;
//! assert_eq!(day.copies.len(), 2);
//! assert_eq!(day.copies[0].name, "nurse-1.xlsx");
//! # Ok::<(), mavis_sheet::Error>(())
//! ```
//!
//! [`SessionDocument`]: mavis_domain::SessionDocument

mod nurse_day;
mod rng;
mod session;

pub use nurse_day::{fill_copies, fill_copies_with, DateStyle, DayPlan, NurseCopy, NurseDay};
pub use session::{
    schools, session, users, DemoOptions, EARLIER_SESSION_ID, LAST_YEAR_SESSION_ID, SESSION_ID,
};
