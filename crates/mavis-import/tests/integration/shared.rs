//! Finding the shared specification and conformance fixtures.
//!
//! They live beside the repository (`<workspace root>/../shared`), or
//! wherever `MAVIS_SHARED_DIR` points. A fresh clone has no such folder:
//! tests that need it say "skipped". With `MAVIS_REQUIRE_SHARED` set (and
//! not `0`), a missing folder fails the test instead. The same logic as the
//! workspace's `tests/integration/shared.rs`; crates cannot share test code.

use std::path::PathBuf;

/// The shared folder, or `None` (after saying "skipped") when it is absent
/// and not required.
///
/// # Panics
///
/// When it is absent and `MAVIS_REQUIRE_SHARED` is set.
pub fn dir(test: &str) -> Option<PathBuf> {
    let candidate = std::env::var_os("MAVIS_SHARED_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    );
    if candidate.join("conformance").is_dir() {
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
