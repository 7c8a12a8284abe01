//! Merging 10 nurses' copies of a 2,000-row session, against reading the
//! 11 files.
//!
//! `cargo bench --bench merge`

mod support;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mavis::demo::fill_copies;
use mavis::domain::Table;
use mavis::merge::{merge, Source};
use mavis::sheet::{read_bytes, OfflineWorkbook};

fn read_all(files: &[(String, Vec<u8>)]) -> Vec<Table> {
    files
        .iter()
        .map(|(name, bytes)| read_bytes(bytes, name).unwrap())
        .collect()
}

fn merge_bench(c: &mut Criterion) {
    let doc = support::session_with_rows(2_000);
    let base = OfflineWorkbook::new(&doc, support::today())
        .to_bytes()
        .unwrap();
    let day = fill_copies(&base, 10, 1).unwrap();
    let mut files = vec![("session.xlsx".to_owned(), base)];
    files.extend(day.copies.into_iter().map(|c| (c.name, c.bytes)));
    let rows = read_bytes(&files[0].1, "session.xlsx").unwrap().rows.len();

    let mut group = c.benchmark_group("merge");
    group.sample_size(10);
    group.throughput(Throughput::Elements((rows * 11) as u64));
    group.bench_function("read 11 files and merge", |b| {
        b.iter(|| {
            let tables = read_all(&files);
            let sources: Vec<Source<'_>> = tables[1..]
                .iter()
                .zip(&files[1..])
                .map(|(t, (name, _))| Source {
                    name,
                    digest: name,
                    table: t,
                })
                .collect();
            black_box(merge(&tables[0], &sources, &[]).unwrap())
        });
    });
    group.bench_function("read 11 files", |b| {
        b.iter(|| black_box(read_all(&files)));
    });
    group.finish();
}

criterion_group!(benches, merge_bench);
criterion_main!(benches);
