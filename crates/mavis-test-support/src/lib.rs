//! Helpers shared by mavis-offline's integration tests and benchmarks, so
//! that each exists once: finding the shared specification and Mavis's
//! conformance fixtures ([`shared`]), finding and driving LibreOffice and
//! other programs ([`tools`]), reading the pages and plots the tests check
//! ([`xml`]), and the fixed dates the tests use
//! ([`today`], [`date`]).
//!
//! It is not published: only the workspace's `[dev-dependencies]` name it.
//!
//! ```
//! use mavis_test_support::{date, today};
//!
//! assert_eq!(today(), date(2025, 10, 15));
//! ```

pub mod shared;
pub mod tools;
pub mod typing;
pub mod xml;

use std::path::PathBuf;

use mavis_domain::chrono::NaiveDate;

/// A date, which must exist.
///
/// # Panics
///
/// When there is no such day.
pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("no day {y}-{m}-{d}"))
}

/// Today in the reference data set and every test: 15 October 2025.
pub fn today() -> NaiveDate {
    date(2025, 10, 15)
}

/// The folder `path`, emptied (or made) for a test to write into.
///
/// # Panics
///
/// When it cannot be made.
pub fn fresh_dir(path: PathBuf) -> PathBuf {
    let _ = std::fs::remove_dir_all(&path);
    std::fs::create_dir_all(&path)
        .unwrap_or_else(|e| panic!("cannot make {}: {e}", path.display()));
    path
}

/// Whether `MAVIS_REQUIRE_SHARED` is set (and not empty or `0`): CI sets
/// it, and then what a test needs from outside the repository (the shared
/// folder, LibreOffice, Chromium) must be there.
pub fn required() -> bool {
    std::env::var_os("MAVIS_REQUIRE_SHARED").is_some_and(|v| !v.is_empty() && v != "0")
}
