//! Inputs shared by the benchmarks: demo sessions of a given number of
//! rows, exported and read.

#![allow(dead_code)] // each bench uses part of it

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId};
use mavis::demo::{self, DemoOptions};
use mavis::domain::SessionDocument;
use mavis::sheet::RowBuilder;

/// The benchmarks' fixed today.
pub use mavis_test_support::today;

/// A demo session (HPV, MenACWY, Td/IPV) with at least `rows` rows on its
/// sheet: about 2.5 rows a child.
pub fn session_with_rows(rows: usize) -> SessionDocument {
    let mut children = rows * 2 / 5;
    loop {
        let doc = demo::session(&DemoOptions {
            children: children.max(1),
            ..DemoOptions::new(today())
        });
        if RowBuilder::new(&doc).rows().count() >= rows {
            return doc;
        }
        children += children / 10 + 1;
    }
}

/// The release build of `mavis-offline`, built (or found up to date) beside
/// this bench's own executable.
pub fn release_cli() -> std::path::PathBuf {
    let status = std::process::Command::new(env!("CARGO"))
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "mavis-cli",
            "--bin",
            "mavis-offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .unwrap();
    assert!(status.success(), "building mavis-offline failed");
    // The bench runs from <target>/release/deps.
    let exe = std::env::current_exe().unwrap();
    let release = exe.parent().and_then(std::path::Path::parent).unwrap();
    release.join(format!("mavis-offline{}", std::env::consts::EXE_SUFFIX))
}

/// The floor for CSV work: the csv crate reading the bytes into one reused
/// `ByteRecord`, counting the fields.
pub fn bare_csv(bytes: &[u8]) -> usize {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut n = 0;
    while reader.read_byte_record(&mut record).unwrap() {
        n += record.len();
    }
    n
}

/// Measure `f` on `input` as the benchmark `name` of `rows` rows in `group`.
pub fn bench<I: ?Sized, R>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    rows: usize,
    input: &I,
    f: impl Fn(&I) -> R,
) {
    group.bench_with_input(BenchmarkId::new(name, rows), input, |b, i| {
        b.iter(|| black_box(f(i)));
    });
}
