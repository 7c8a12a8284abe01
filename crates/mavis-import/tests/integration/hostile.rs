//! No mutation of Mavis's own upload fixtures makes the validator panic:
//! bytes flipped, lines cut, cells spliced. (Arbitrary bytes are in
//! `properties.rs`.) Skipped silently without the shared fixtures.

use mavis_domain::chrono::{NaiveDate, NaiveTime};
use mavis_import::Validator;
use proptest::prelude::*;

use crate::common::default_reference;

/// Mavis's conformance CSV files, when the shared folder is there.
fn fixtures() -> &'static [Vec<u8>] {
    mavis_test_support::shared::conformance_csv()
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
