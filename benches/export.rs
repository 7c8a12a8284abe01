//! Writing the offline workbook, against bare rust_xlsxwriter writing the
//! same cells, formats and data validations.
//!
//! `cargo bench --bench export`

mod support;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mavis::sheet::dump::WorkbookDump;
use mavis::sheet::{date_serial, CellValue, OfflineRow, OfflineWorkbook, RowBuilder, RowFill};
use rust_xlsxwriter::{
    Color, DataValidation, Format, FormatBorder, Formula, ProtectionOptions, Workbook,
};

/// Everything the bare writer needs, prepared outside the timing: the
/// rows' values and styles, and the validations and reference sheets our
/// export wrote.
struct Prepared {
    headers: Vec<String>,
    rows: Vec<OfflineRow>,
    health_column: usize,
    validations: Vec<(String, String)>,
    reference_sheets: Vec<(String, Vec<String>)>,
}

fn prepare(rows: usize) -> (mavis::domain::SessionDocument, Prepared) {
    let doc = support::session_with_rows(rows);
    let builder = RowBuilder::new(&doc);
    let layout = builder.layout();
    let bytes = OfflineWorkbook::new(&doc, support::today())
        .to_bytes()
        .unwrap();
    let dump = WorkbookDump::from_bytes(&bytes, "copy.xlsx").unwrap();
    let prepared = Prepared {
        headers: layout.columns().map(|c| c.header().to_owned()).collect(),
        health_column: usize::from(
            layout
                .index(mavis::domain::Column::HealthQuestionAnswers)
                .unwrap(),
        ),
        rows: builder.rows().collect(),
        validations: dump.sheets[0]
            .validations
            .iter()
            .map(|v| (v.sqref.clone(), v.formula1.clone()))
            .collect(),
        reference_sheets: dump.sheets[1..]
            .iter()
            .map(|s| {
                (
                    s.name.clone(),
                    s.cells.iter().map(|c| c.value.clone()).collect(),
                )
            })
            .collect(),
    };
    (doc, prepared)
}

fn formats() -> Vec<Format> {
    let mut out = Vec::new();
    for fill in [None, Some(0x00F7_D4D1), Some(0x00FF_DC8E)] {
        for strike in [false, true] {
            for kind in 0..3 {
                let mut f = Format::new()
                    .set_border(FormatBorder::Thin)
                    .set_border_color(Color::RGB(0));
                if let Some(rgb) = fill {
                    f = f.set_background_color(Color::RGB(rgb));
                }
                if strike {
                    f = f.set_font_strikethrough();
                }
                f = match kind {
                    1 => f.set_num_format("dd/mm/yyyy"),
                    2 => f.set_text_wrap(),
                    _ => f,
                };
                out.push(f);
            }
        }
    }
    out
}

/// The floor: the same workbook with bare rust_xlsxwriter calls.
fn bare(p: &Prepared) -> Vec<u8> {
    let formats = formats();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet_with_low_memory().unwrap();
    ws.set_name("Vaccinations").unwrap();
    for (c, h) in p.headers.iter().enumerate() {
        ws.write_string(0, c as u16, h.as_str()).unwrap();
    }
    for (i, row) in p.rows.iter().enumerate() {
        let r = i as u32 + 1;
        let fill = match row.fill {
            RowFill::None => 0,
            RowFill::ConsentRefused => 1,
            RowFill::ConflictingConsent => 2,
        };
        for (c, value) in row.cells.iter().enumerate() {
            let kind = if c == p.health_column {
                2
            } else if matches!(value, CellValue::Date(_) | CellValue::DateNoValue) {
                1
            } else {
                0
            };
            let f = &formats[fill * 6 + usize::from(row.strike) * 3 + kind];
            match value {
                CellValue::Text(s) => ws.write_string_with_format(r, c as u16, s.as_str(), f),
                CellValue::Date(d) => ws.write_number_with_format(r, c as u16, date_serial(*d), f),
                CellValue::Integer(n) => ws.write_number_with_format(r, c as u16, *n as f64, f),
                _ => ws.write_blank(r, c as u16, f),
            }
            .unwrap();
        }
    }
    for (sqref, formula) in &p.validations {
        let v = DataValidation::new()
            .allow_list_formula(Formula::new(formula))
            .set_error_message("Please use the dropdown selector to choose the value")
            .unwrap()
            .set_input_message("& Choose the value from the dropdown")
            .unwrap()
            .set_multi_range(sqref);
        ws.add_data_validation(1, 0, 1, 0, &v).unwrap();
    }
    ws.set_freeze_panes(1, 2).unwrap();
    for (name, values) in &p.reference_sheets {
        let s = wb.add_worksheet();
        s.set_name(name).unwrap();
        for (i, v) in values.iter().enumerate() {
            s.write_string(i as u32, 0, v.as_str()).unwrap();
        }
        s.set_hidden(true);
        s.protect_with_options(&ProtectionOptions {
            edit_objects: true,
            edit_scenarios: true,
            ..ProtectionOptions::default()
        });
    }
    wb.save_to_buffer().unwrap()
}

fn export(c: &mut Criterion) {
    let mut group = c.benchmark_group("export");
    group.sample_size(10);
    for rows in [1_000, 10_000, 20_000] {
        let (doc, prepared) = prepare(rows);
        group.throughput(Throughput::Elements(prepared.rows.len() as u64));
        group.bench_with_input(BenchmarkId::new("mavis-sheet", rows), &doc, |b, doc| {
            b.iter(|| {
                black_box(
                    OfflineWorkbook::new(doc, support::today())
                        .to_bytes()
                        .unwrap(),
                )
            });
        });
        group.bench_with_input(
            BenchmarkId::new("bare rust_xlsxwriter", rows),
            &prepared,
            |b, p| {
                b.iter(|| black_box(bare(p)));
            },
        );
    }
    group.finish();
}

criterion_group!(benches, export);
criterion_main!(benches);
