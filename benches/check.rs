//! Validating the upload CSV, against the bare csv parse of the same
//! bytes.
//!
//! `cargo bench --bench check`

mod support;

use support::bench;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mavis::demo::fill_copies;
use mavis::import::{SessionReference, Validator};
use mavis::sheet::{read_bytes, write_upload_csv, OfflineWorkbook};

/// The upload CSV of a demo session with every row filled by one nurse.
pub fn filled_upload_csv(rows: usize) -> (mavis::domain::SessionDocument, Vec<u8>, usize) {
    let doc = support::session_with_rows(rows);
    let base = OfflineWorkbook::new(&doc, support::today())
        .to_bytes()
        .unwrap();
    let day = fill_copies(&base, 1, 1).unwrap();
    let table = read_bytes(&day.copies[0].bytes, "copy.xlsx").unwrap();
    let mut csv = Vec::new();
    let n = write_upload_csv(&table, &mut csv).unwrap();
    (doc, csv, n)
}

fn check(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    for rows in [1_000, 10_000, 20_000] {
        let (doc, csv, n) = filled_upload_csv(rows);
        let reference = SessionReference::from_document(&doc);
        let mut validator = Validator::new(&reference, support::today());
        validator.keep_records(false);
        // A session a little over 20,000 rows would only be refused whole.
        validator.row_limit(u64::MAX);
        group.throughput(Throughput::Elements(n as u64));
        bench(&mut group, "mavis-import", rows, &csv, |csv| {
            validator.check_csv_bytes(csv)
        });
        bench(&mut group, "bare csv ByteRecord", rows, &csv, |csv| {
            support::bare_csv(csv)
        });
    }
    group.finish();
}

criterion_group!(benches, check);
criterion_main!(benches);
