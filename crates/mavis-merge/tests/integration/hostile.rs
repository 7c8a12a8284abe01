//! No tables, however odd, make the merge panic: arbitrary small tables
//! with the sheet's headers (some dropped, repeated or unknown), short and
//! long rows, and cells drawn from values that make rows match, clash or
//! mean nothing.

use mavis_domain::{header_key, Header, Layout, SourceKind, Table, TextRow};
use mavis_merge::{merge, Source};
use proptest::prelude::*;

/// Cell values: shared identifiers so rows of different tables match,
/// outcomes, dates, and anything.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => Just(String::new()),
        2 => prop::sample::select(vec![
            "0b5e4a1c-1111-4aaa-8bbb-000000000001",
            "0b5e4a1c-1111-4aaa-8bbb-000000000002",
            "9434765919",
            "9434765870",
            "Y",
            "N",
            "20251015",
            "15/10/2025",
            "10:15:00",
            "Aisha",
            "HPV",
            "Gardasil 9",
        ])
        .prop_map(str::to_owned),
        1 => "\\PC{0,8}",
    ]
}

fn headers() -> impl Strategy<Value = Vec<Header>> {
    let sheet: Vec<String> = Layout::new(true)
        .columns()
        .map(|c| c.header().to_owned())
        .collect();
    let n = sheet.len();
    (
        prop::collection::vec(any::<bool>(), n),
        prop::collection::vec("[A-Z_]{0,6}", 0..3),
        any::<bool>(),
    )
        .prop_map(move |(keep, extra, repeat)| {
            let mut texts: Vec<String> = sheet
                .iter()
                .zip(&keep)
                .filter(|(_, k)| **k || repeat)
                .map(|(h, _)| h.clone())
                .collect();
            if repeat && !texts.is_empty() {
                texts.push(texts[0].clone());
            }
            texts.extend(extra);
            texts
                .into_iter()
                .map(|text| Header {
                    key: header_key(&text),
                    text,
                })
                .collect()
        })
}

fn table(name: &'static str) -> impl Strategy<Value = Table> {
    (
        headers(),
        prop::collection::vec(prop::collection::vec(cell(), 0..40), 0..6),
    )
        .prop_map(move |(headers, rows)| Table {
            file: name.to_owned(),
            sheet: Some("Vaccinations".into()),
            kind: SourceKind::Workbook,
            headers,
            rows: rows
                .into_iter()
                .enumerate()
                .map(|(i, cells)| TextRow::new(u32::try_from(i).unwrap() + 2, cells))
                .collect(),
            issues: vec![],
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_small_tables_merge_or_fail_cleanly(
        base in table("base.xlsx"),
        a in table("nurse-a.xlsx"),
        b in table("nurse-b.xlsx"),
        same_headers in any::<bool>(),
    ) {
        let (mut a, mut b) = (a, b);
        if same_headers {
            a.headers.clone_from(&base.headers);
            b.headers.clone_from(&base.headers);
        }
        let sources = [
            Source { name: &a.file, digest: "a", table: &a },
            Source { name: &b.file, digest: "b", table: &b },
            Source { name: &a.file, digest: "a", table: &a },
        ];
        if let Ok(merged) = merge(&base, &sources, &["b".to_owned()]) {
            // The report renders, whatever it holds.
            let _ = merged.report.to_string();
        }
        let _ = merge(&base, &[], &[]);
    }
}
