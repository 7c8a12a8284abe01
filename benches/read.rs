//! Reading a filled workbook into rows, against bare calamine reading the
//! same file into strings; and reading the upload CSV, against the bare
//! csv crate reading the same bytes into `ByteRecord`s.
//!
//! `cargo bench --bench read`

mod support;

use support::bench;

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mavis::sheet::{read_bytes, write_upload_csv, OfflineWorkbook};

fn bare_calamine(bytes: &[u8]) -> usize {
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range("Vaccinations").unwrap();
    let mut n = 0;
    for row in range.rows() {
        let cells: Vec<String> = row.iter().map(ToString::to_string).collect();
        n += cells.len();
    }
    n
}

fn read(c: &mut Criterion) {
    let mut group = c.benchmark_group("read");
    group.sample_size(10);
    for rows in [1_000, 10_000, 20_000] {
        let doc = support::session_with_rows(rows);
        let xlsx = OfflineWorkbook::new(&doc, support::today())
            .to_bytes()
            .unwrap();
        let table = read_bytes(&xlsx, "session.xlsx").unwrap();
        let mut csv = Vec::new();
        write_upload_csv(&table, &mut csv).unwrap();
        group.throughput(Throughput::Elements(table.rows.len() as u64));
        bench(&mut group, "xlsx mavis-sheet", rows, &xlsx, |x| {
            read_bytes(x, "session.xlsx").unwrap()
        });
        bench(&mut group, "xlsx bare calamine", rows, &xlsx, |x| {
            bare_calamine(x)
        });
        bench(&mut group, "csv mavis-sheet", rows, &csv, |x| {
            read_bytes(x, "upload.csv").unwrap()
        });
        bench(&mut group, "csv bare ByteRecord", rows, &csv, |x| {
            support::bare_csv(x)
        });
    }
    group.finish();
}

criterion_group!(benches, read);
criterion_main!(benches);
