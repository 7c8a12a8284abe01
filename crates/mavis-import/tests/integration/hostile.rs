//! No mutation of Mavis's own upload fixtures makes the validator panic:
//! bytes flipped, lines cut, cells spliced. (Arbitrary bytes are in
//! `properties.rs`.) Skipped silently without the shared fixtures.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use mavis_domain::chrono::{NaiveDate, NaiveTime};
use mavis_import::Validator;
use proptest::prelude::*;

use crate::common::default_reference;

fn fixtures() -> &'static [Vec<u8>] {
    static FILES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    FILES.get_or_init(|| {
        let shared = std::env::var_os("MAVIS_SHARED_DIR").map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
            PathBuf::from,
        );
        let mut files = Vec::new();
        collect_csv(&shared.join("conformance/mavis-fixtures"), &mut files);
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn mutated_fixtures_are_safe(
        pick in any::<usize>(),
        flips in prop::collection::vec((any::<usize>(), any::<u8>()), 0..6),
        cut in prop::option::of(any::<usize>()),
        splice in prop::option::of((any::<usize>(), any::<usize>(), 1usize..300)),
        insert in prop::option::of((any::<usize>(), "[,\"\r\n=+@\t]{1,4}|\\PC{1,4}")),
    ) {
        let files = fixtures();
        if files.is_empty() {
            return Ok(());
        }
        let mut bytes = files[pick % files.len()].clone();
        if let Some((at, text)) = insert {
            let at = at % (bytes.len() + 1);
            bytes.splice(at..at, text.bytes());
        }
        if !bytes.is_empty() {
            let len = bytes.len();
            for (i, x) in flips {
                bytes[i % len] ^= x;
            }
            if let Some((from, to, n)) = splice {
                let (from, to) = (from % len, to % len);
                let n = n.min(len - from).min(len - to);
                bytes.copy_within(from..from + n, to);
            }
            if let Some(cut) = cut {
                bytes.truncate(cut % len);
            }
        }
        let reference = default_reference();
        let mut v = Validator::new(&reference, NaiveDate::from_ymd_opt(2025, 10, 15).unwrap());
        v.now(NaiveTime::from_hms_opt(16, 0, 0).unwrap());
        let report = v.check_csv_bytes(&bytes);
        prop_assert!(report.file_errors.len() <= 1);
    }
}
