//! Validating the upload CSV, against the bare csv parse of the same
//! bytes: the library's check, and `mavis-offline check` as a whole
//! process against a process that only parses the file.
//!
//! `cargo bench --bench check`

mod support;

use support::bench;

use std::process::Command;

use criterion::{criterion_group, Criterion, Throughput};
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

/// Set to a file's path, this bench's own executable only parses the file
/// with the csv crate and exits: the floor of the whole-process bench.
const BARE_CSV_FILE: &str = "MAVIS_BENCH_BARE_CSV_FILE";

/// `mavis-offline check` of a 20,000-row upload as a whole process (start,
/// read the session JSON and the file, check, print), against a process
/// that reads the same file and parses it with the csv crate.
fn check_process(c: &mut Criterion) {
    let cli = support::release_cli();
    // The largest upload Mavis takes: 20,000 data rows (the session has a
    // few more, which would be refused whole).
    let rows = 20_000;
    let (doc, csv, _) = filled_upload_csv(rows);
    let csv = first_rows(&csv, rows);
    let n = rows;
    let dir = std::env::temp_dir().join(format!("mavis-bench-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (session, upload) = (dir.join("session.json"), dir.join("upload.csv"));
    std::fs::write(&session, serde_json::to_vec(&doc).unwrap()).unwrap();
    std::fs::write(&upload, &csv).unwrap();
    let today = support::today().to_string();
    let check = || {
        let out = Command::new(&cli)
            .arg("check")
            .arg(&upload)
            .arg("--session")
            .arg(&session)
            .args(["--today", &today, "--format", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        out.stdout.len()
    };
    let bare = || {
        let out = Command::new(std::env::current_exe().unwrap())
            .env(BARE_CSV_FILE, &upload)
            .output()
            .unwrap();
        assert!(out.status.success());
        out.stdout.len()
    };
    let mut group = c.benchmark_group("check process");
    group.sample_size(10);
    group.throughput(Throughput::Elements(n as u64));
    bench(&mut group, "mavis-offline check", rows, &(), |()| check());
    bench(&mut group, "bare csv process", rows, &(), |()| bare());
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

/// The header and the first `rows` data rows of a CSV.
fn first_rows(csv: &[u8], rows: usize) -> Vec<u8> {
    let mut reader = mavis::csv::Reader::from_bytes(csv);
    let mut row = mavis::csv::RowText::default();
    let mut out = mavis::csv::Writer::new(b"\xEF\xBB\xBF".to_vec());
    for _ in 0..=rows {
        if reader.read_row(&mut row).unwrap().is_none() {
            break;
        }
        out.write_row(row.iter()).unwrap();
    }
    out.into_inner()
}

criterion_group!(benches, check, check_process);

fn main() {
    if let Some(path) = std::env::var_os(BARE_CSV_FILE) {
        let bytes = std::fs::read(path).unwrap();
        println!("{}", support::bare_csv(&bytes));
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
