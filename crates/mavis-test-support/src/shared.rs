//! Finding the shared specification and conformance fixtures.
//!
//! They live beside the repository (`<workspace root>/../shared`), or
//! wherever `MAVIS_SHARED_DIR` points. A fresh clone has no such folder:
//! tests that need it say "skipped". With `MAVIS_REQUIRE_SHARED` set (and
//! not `0`), a missing folder fails the test instead.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Where the shared folder is looked for: `MAVIS_SHARED_DIR`, or `shared`
/// beside the workspace.
pub fn candidate() -> PathBuf {
    std::env::var_os("MAVIS_SHARED_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    )
}

/// The shared folder when it holds the folder `part` (`spec`,
/// `conformance`), or `None` (after saying "skipped") when it does not and
/// it is not required.
///
/// # Panics
///
/// When it is absent and `MAVIS_REQUIRE_SHARED` is set.
pub fn dir(test: &str, part: &str) -> Option<PathBuf> {
    let candidate = candidate();
    if candidate.join(part).is_dir() {
        return Some(candidate);
    }
    assert!(
        !crate::required(),
        "{test}: the shared specification is not at {} and MAVIS_REQUIRE_SHARED is set",
        candidate.display()
    );
    eprintln!(
        "{test}: skipped: no shared specification at {}",
        candidate.display()
    );
    None
}

/// Every CSV file of Mavis's conformance fixtures
/// (`conformance/mavis-fixtures`), in path order, read once; none when the
/// shared folder is absent (the hostile-input tests then mutate nothing).
pub fn conformance_csv() -> &'static [Vec<u8>] {
    static FILES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    FILES.get_or_init(|| {
        let mut files = Vec::new();
        collect_csv(&candidate().join("conformance/mavis-fixtures"), &mut files);
        files
    })
}

fn collect_csv(dir: &Path, into: &mut Vec<Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect_csv(&path, into);
        } else if path.extension().is_some_and(|e| e == "csv") {
            if let Ok(bytes) = std::fs::read(&path) {
                into.push(bytes);
            }
        }
    }
}

/// The rows of the first Markdown table after the line `heading`, each a
/// list of cells with surrounding spaces and backticks removed.
///
/// ```
/// let md = "## Sites\n\n| key | text |\n|---|---|\n| `nose` | nose |\n";
/// let rows = mavis_test_support::shared::table_after(md, "## Sites");
/// assert_eq!(rows, [["nose", "nose"]]);
/// ```
///
/// # Panics
///
/// When there is no line `heading`.
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
