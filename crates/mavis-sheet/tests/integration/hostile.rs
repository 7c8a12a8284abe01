//! No bytes, however broken or hostile, make the reader panic: arbitrary
//! bytes, an exported workbook with bytes flipped, cut off or spliced,
//! arbitrary CSV text, and Mavis's conformance fixtures mutated (when the
//! shared folder is beside the repository, or where `MAVIS_SHARED_DIR`
//! points; skipped silently otherwise). Every file in `tests/regressions/`
//! is read too: each is an input that once crashed or hung the reader.

use std::path::Path;
use std::sync::OnceLock;

use mavis_demo::{self as demo, DemoOptions};
use mavis_domain::chrono::NaiveDate;
use mavis_sheet::{
    read_bytes, read_bytes_with, read_sheet_rows, read_workbook_reference, OfflineWorkbook,
    ReadLimits,
};
use proptest::prelude::*;

/// A small exported workbook, made once.
fn exported() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
        let doc = demo::session(&DemoOptions {
            children: 6,
            ..DemoOptions::new(today)
        });
        OfflineWorkbook::new(&doc, today).to_bytes().unwrap()
    })
}

/// Mavis's conformance CSV files, when the shared folder is there.
fn fixtures() -> &'static [Vec<u8>] {
    mavis_test_support::shared::conformance_csv()
}

/// Read the bytes every way the crate offers; only a panic fails.
fn read_every_way(bytes: &[u8]) {
    let _ = read_bytes(bytes, "hostile.xlsx");
    let mut small = ReadLimits::default();
    small.max_rows = 3;
    small.max_columns = 5;
    small.max_cell_chars = 8;
    small.max_csv_line_bytes = 40;
    let _ = read_bytes_with(bytes, "hostile.xlsx", &small);
    let _ = read_sheet_rows(bytes, "hostile.xlsx", "Session");
    let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
    let _ = read_workbook_reference(bytes, "hostile.xlsx", today);
}

/// A change to a file's bytes.
#[derive(Debug, Clone)]
enum Mutation {
    /// XOR the byte at (index modulo the length) with the value.
    Flip(usize, u8),
    /// Cut the file at (index modulo the length).
    Truncate(usize),
    /// Copy `len` bytes from one place over another.
    Splice(usize, usize, usize),
    /// Insert bytes.
    Insert(usize, Vec<u8>),
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    let one = prop_oneof![
        4 => (any::<usize>(), 1u8..=255).prop_map(|(i, x)| Mutation::Flip(i, x)),
        1 => any::<usize>().prop_map(Mutation::Truncate),
        2 => (any::<usize>(), any::<usize>(), 1usize..2000)
            .prop_map(|(a, b, n)| Mutation::Splice(a, b, n)),
        2 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(i, v)| Mutation::Insert(i, v)),
    ];
    prop::collection::vec(one, 1..6)
}

fn mutate(mut bytes: Vec<u8>, changes: &[Mutation]) -> Vec<u8> {
    for change in changes {
        if bytes.is_empty() {
            break;
        }
        let len = bytes.len();
        match change {
            Mutation::Flip(i, x) => bytes[i % len] ^= x,
            Mutation::Truncate(i) => bytes.truncate(i % len),
            Mutation::Splice(from, to, n) => {
                let (from, to) = (from % len, to % len);
                let n = (*n).min(len - from).min(len - to);
                bytes.copy_within(from..from + n, to);
            }
            Mutation::Insert(i, v) => {
                let at = i % (len + 1);
                bytes.splice(at..at, v.iter().copied());
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        read_every_way(&bytes);
    }

    #[test]
    fn any_bytes_after_a_zip_signature(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend(bytes);
        read_every_way(&zip);
    }

    #[test]
    fn any_csv_text(
        text in "(\u{feff})?([A-Za-z0-9 ,;\"'=+@\t\r\n-]|\\PC){0,400}",
    ) {
        read_every_way(text.as_bytes());
    }

    #[test]
    fn csv_shaped_text(
        rows in prop::collection::vec(
            prop::collection::vec("[\"a-z0-9 =+@-]{0,6}|\"[^\"]{0,6}\"|\\PC{0,4}", 0..8),
            0..12,
        ),
        line_end in prop::sample::select(vec!["\r\n", "\n", "\r", ""]),
    ) {
        let text: String = rows
            .iter()
            .map(|r| format!("{}{line_end}", r.join(",")))
            .collect();
        read_every_way(text.as_bytes());
    }

    #[test]
    fn fixtures_mutated(pick in any::<usize>(), changes in mutations()) {
        let files = fixtures();
        if !files.is_empty() {
            let bytes = mutate(files[pick % files.len()].clone(), &changes);
            read_every_way(&bytes);
        }
    }
}

proptest! {
    // Each case unpacks a workbook: fewer of them.
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn exported_workbook_mutated(changes in mutations()) {
        let bytes = mutate(exported().to_vec(), &changes);
        read_every_way(&bytes);
    }
}

#[test]
fn the_unmutated_seeds_read() {
    read_bytes(exported(), "export.xlsx").unwrap();
    for bytes in fixtures() {
        // Some fixtures are broken on purpose; none panics.
        read_every_way(bytes);
    }
}

/// Every input in `tests/regressions/` that once crashed or hung a reader.
#[test]
fn regressions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        read_every_way(&bytes);
        count += 1;
    }
    assert!(count > 0, "no regression inputs in {}", dir.display());
}
