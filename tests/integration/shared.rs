//! Finding the shared specification and conformance fixtures.
//!
//! They live beside the repository (`../shared`), or wherever
//! `MAVIS_SHARED_DIR` points. A user's fresh clone has no such folder: tests
//! that need it say "skipped". CI sets `MAVIS_REQUIRE_SHARED=1`, and then a
//! missing folder fails the test instead.

use std::path::PathBuf;

/// The shared folder, or `None` (after saying "skipped") when it is absent
/// and not required.
///
/// # Panics
///
/// When it is absent and `MAVIS_REQUIRE_SHARED` is set.
pub fn dir(test: &str) -> Option<PathBuf> {
    let candidate = std::env::var_os("MAVIS_SHARED_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        PathBuf::from,
    );
    if candidate.join("spec").is_dir() {
        return Some(candidate);
    }
    let required =
        std::env::var_os("MAVIS_REQUIRE_SHARED").is_some_and(|v| !v.is_empty() && v != "0");
    assert!(
        !required,
        "{test}: the shared specification is not at {} and MAVIS_REQUIRE_SHARED is set",
        candidate.display()
    );
    eprintln!(
        "{test}: skipped: no shared specification at {}",
        candidate.display()
    );
    None
}

/// The rows of the first Markdown table after the line `heading`, each a
/// list of cells with surrounding spaces and backticks removed.
pub fn table_after(markdown: &str, heading: &str) -> Vec<Vec<String>> {
    let mut lines = markdown.lines().skip_while(|l| l.trim() != heading);
    assert!(lines.next().is_some(), "no heading {heading:?}");
    lines
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2) // header and separator
        .map(|l| {
            l.trim()
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().replace('`', ""))
                .collect()
        })
        .collect()
}
