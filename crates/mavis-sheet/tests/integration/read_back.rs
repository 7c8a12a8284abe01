//! The written workbook read back with calamine, as any other program would
//! read it: every child, every value, every type.

use crate::common;

use std::io::Cursor;

use calamine::{Data, Reader, SheetVisible, Xlsx};
use mavis_demo::{self as demo, DemoOptions};
use mavis_domain::{Programme, SessionDocument};
use mavis_sheet::{date_serial, CellValue, OfflineWorkbook, RowBuilder};

fn read_back(doc: &SessionDocument) -> (Xlsx<Cursor<Vec<u8>>>, calamine::Range<Data>) {
    let bytes = OfflineWorkbook::new(doc, common::today())
        .to_bytes()
        .unwrap();
    let mut xlsx: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let range = xlsx.worksheet_range("Vaccinations").unwrap();
    (xlsx, range)
}

fn check_every_value(doc: &SessionDocument) {
    let (_, range) = read_back(doc);
    let builder = RowBuilder::new(doc);
    let layout = builder.layout();
    let headers: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    let expected_headers: Vec<&str> = layout.columns().map(mavis_sheet::Column::header).collect();
    assert_eq!(headers, expected_headers);
    let mut n = 0;
    for (row, cells) in builder.rows().zip(range.rows().skip(1)) {
        n += 1;
        for ((column, expected), got) in layout.columns().zip(&row.cells).zip(cells) {
            let ok = match (expected, got) {
                (CellValue::Text(s), Data::String(g)) => s == g,
                (CellValue::Integer(i), Data::Float(f)) => (*i as f64 - f).abs() < f64::EPSILON,
                (CellValue::Date(d), Data::DateTime(dt)) => {
                    (dt.as_f64() - date_serial(*d)).abs() < f64::EPSILON
                }
                (
                    CellValue::EmptyText | CellValue::NoValue | CellValue::DateNoValue,
                    Data::Empty,
                ) => true,
                _ => false,
            };
            assert!(ok, "row {n} {column}: wrote {expected:?}, read {got:?}");
        }
    }
    assert_eq!(n, builder.rows().count());
    assert_eq!(range.height(), n + 1, "no extra rows");
    // Every child with a programme in the session is there by name.
    let names: Vec<(String, String)> = range
        .rows()
        .skip(1)
        .map(|r| (r[0].to_string(), r[1].to_string()))
        .collect();
    let year = doc.session.academic_year();
    for child in &doc.children {
        let has_rows = doc
            .session
            .programmes
            .iter()
            .any(|p| doc.session.offers(p.programme, child.year_group(year)));
        let found = names.contains(&(child.given_name.clone(), child.family_name.clone()));
        assert_eq!(found, has_rows, "{}", child.full_name());
    }
}

#[test]
fn demo_session_reads_back_value_for_value() {
    let doc = demo::session(&DemoOptions {
        children: 60,
        programmes: Programme::ALL.to_vec(),
        psd_enabled: true,
        ..DemoOptions::new(common::today())
    });
    check_every_value(&doc);
}

#[test]
fn reference_sessions_read_back_value_for_value() {
    for id in [1001, 1002, 1004] {
        check_every_value(&common::reference_doc(id));
    }
}

#[test]
fn hidden_sheets_and_nhs_numbers_as_text() {
    let doc = common::reference_doc(1001);
    let (xlsx, range) = read_back(&doc);
    let visible: Vec<(String, SheetVisible)> = xlsx
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible))
        .collect();
    assert_eq!(
        visible[0],
        ("Vaccinations".to_owned(), SheetVisible::Visible)
    );
    assert!(
        visible[1..].iter().all(|(_, v)| *v == SheetVisible::Hidden),
        "{visible:?}"
    );
    let nhs = range.get((1, 12)).unwrap();
    assert_eq!(nhs, &Data::String("9449306168".into()));
}
