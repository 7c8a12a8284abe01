//! The bench report (`examples/bench_report.rs`, logic in
//! `benches/support/report.rs`) on a made-up criterion folder with known
//! medians: the table's numbers, ratios and targets, the plot's lines, and
//! clear errors for missing and malformed results.

#[path = "../../benches/support/report.rs"]
mod report;

use std::path::{Path, PathBuf};
use std::process::Command;

use quick_xml::events::Event;

/// A fresh, empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-report-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// One measurement as criterion stores it: `estimates.json` with the
/// median (and the mean, as criterion has it, to show which is read) and,
/// when `rows` is given, `benchmark.json` with the throughput.
fn measure(
    dir: &Path,
    group: &str,
    function: &str,
    parameter: Option<u64>,
    ns: f64,
    rows: Option<u64>,
) {
    let mut at = dir.join(group).join(function);
    if let Some(p) = parameter {
        at = at.join(p.to_string());
    }
    let new = at.join("new");
    std::fs::create_dir_all(&new).unwrap();
    let estimate = |v: f64| {
        serde_json::json!({
            "confidence_interval": {"confidence_level": 0.95, "lower_bound": v, "upper_bound": v},
            "point_estimate": v,
            "standard_error": 0.0,
        })
    };
    let estimates = serde_json::json!({
        "mean": estimate(ns * 1.5),
        "median": estimate(ns),
    });
    std::fs::write(new.join("estimates.json"), estimates.to_string()).unwrap();
    if let Some(rows) = rows {
        let benchmark = serde_json::json!({
            "group_id": group,
            "function_id": function,
            "value_str": parameter.map(|p| p.to_string()),
            "throughput": {"Elements": rows},
        });
        std::fs::write(new.join("benchmark.json"), benchmark.to_string()).unwrap();
    }
}

/// Requested and measured rows of the made-up parameterised benches.
const SIZES: [(u64, u64); 4] = [
    (1_000, 1_002),
    (2_000, 2_004),
    (10_000, 10_018),
    (20_000, 20_080),
];

/// Results of all five comparisons, with ratios on either side of their
/// targets:
/// - export: 80 against 64 ms per 1,000 rows, 1.25×, on the target;
/// - read .xlsx: 30 against 20 ms per requested 1,000 rows, 1.5×, and no
///   throughput stored;
/// - read .csv: 5 against 1 ms per 1,000 rows, 5×, no target;
/// - check: 4 against 1 ms per 1,000 rows at first, 8 at 20,000 rows;
/// - merge: one size, 848 against 573 ms, 11 files of 2,197 rows.
fn fake_results(dir: &Path) {
    for (requested, rows) in SIZES {
        let per_row = |ms_per_thousand: f64| rows as f64 * ms_per_thousand * 1_000.0;
        let per_requested = |ms_per_thousand: f64| requested as f64 * ms_per_thousand * 1_000.0;
        let some = Some(requested);
        measure(
            dir,
            "export",
            "mavis-sheet",
            some,
            per_row(80.0),
            Some(rows),
        );
        measure(
            dir,
            "export",
            "bare rust_xlsxwriter",
            some,
            per_row(64.0),
            Some(rows),
        );
        measure(
            dir,
            "read",
            "xlsx mavis-sheet",
            some,
            per_requested(30.0),
            None,
        );
        measure(
            dir,
            "read",
            "xlsx bare calamine",
            some,
            per_requested(20.0),
            None,
        );
        measure(
            dir,
            "read",
            "csv mavis-sheet",
            some,
            per_row(5.0),
            Some(rows),
        );
        measure(
            dir,
            "read",
            "csv bare ByteRecord",
            some,
            per_row(1.0),
            Some(rows),
        );
        let check = if requested == 20_000 { 8.0 } else { 4.0 };
        measure(
            dir,
            "check",
            "mavis-import",
            some,
            per_row(check),
            Some(rows),
        );
        measure(
            dir,
            "check",
            "bare csv ByteRecord",
            some,
            per_row(1.0),
            Some(rows),
        );
    }
    // The whole-process check: 20,000 rows only.
    let rows = Some(20_080);
    measure(
        dir,
        "check process",
        "mavis-offline check",
        Some(20_000),
        50e6,
        rows,
    );
    measure(
        dir,
        "check process",
        "bare csv process",
        Some(20_000),
        20e6,
        rows,
    );
    let merge_rows = Some(2_197 * 11);
    measure(
        dir,
        "merge",
        "read 11 files and merge",
        None,
        848e6,
        merge_rows,
    );
    measure(dir, "merge", "read 11 files", None, 573e6, merge_rows);
    // Criterion's own summary folder beside the parameters is not a size.
    std::fs::create_dir_all(dir.join("export/mavis-sheet/report")).unwrap();
}

#[test]
fn bench_report_table_from_known_medians() {
    let dir = scratch("table");
    fake_results(&dir);
    let report = report::load(&dir).unwrap();
    assert_eq!(report.measurements.len(), 4 * 4 + 1 + 1);
    let export = &report.measurements[0];
    assert_eq!(export.comparison.label, "export");
    assert_eq!((export.requested, export.rows), (Some(1_000), Some(1_002)));
    assert!((export.ratio() - 1.25).abs() < 1e-9, "{}", export.ratio());
    assert_eq!(export.meets_target(), Some(true));

    let table = report::markdown(&report);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines[..2],
        [
            "| bench | rows | project | floor | ratio | target |",
            "|---|---:|---:|---:|---:|---|",
        ]
    );
    let expected = [
        // 1,002 rows × 80 µs = 80.16 ms: 12.5k rows/s.
        "| export | 1,002 | 80.2 ms (12.5k rows/s) | 64.1 ms | 1.25× | ≤ 1.25× ✓ |",
        "| export | 2,004 | 160 ms (12.5k rows/s) | 128 ms | 1.25× | ≤ 1.25× ✓ |",
        "| export | 10,018 | 801 ms (12.5k rows/s) | 641 ms | 1.25× | ≤ 1.25× ✓ |",
        "| export | 20,080 | 1,606 ms (12.5k rows/s) | 1,285 ms | 1.25× | ≤ 1.25× ✓ |",
        "| read .xlsx | 1,000 (requested) | 30.0 ms | 20.0 ms | 1.50× | ≤ 1.25× ✗ |",
        "| read .xlsx | 2,000 (requested) | 60.0 ms | 40.0 ms | 1.50× | ≤ 1.25× ✗ |",
        "| read .xlsx | 10,000 (requested) | 300 ms | 200 ms | 1.50× | ≤ 1.25× ✗ |",
        "| read .xlsx | 20,000 (requested) | 600 ms | 400 ms | 1.50× | ≤ 1.25× ✗ |",
        "| read .csv | 1,002 | 5.01 ms (200k rows/s) | 1.00 ms | 5.00× | – |",
        "| read .csv | 2,004 | 10.0 ms (200k rows/s) | 2.00 ms | 5.00× | – |",
        "| read .csv | 10,018 | 50.1 ms (200k rows/s) | 10.0 ms | 5.00× | – |",
        "| read .csv | 20,080 | 100 ms (200k rows/s) | 20.1 ms | 5.00× | – |",
        "| check | 1,002 | 4.01 ms (250k rows/s) | 1.00 ms | 4.00× | ≤ 3× ✗ |",
        "| check | 2,004 | 8.02 ms (250k rows/s) | 2.00 ms | 4.00× | ≤ 3× ✗ |",
        "| check | 10,018 | 40.1 ms (250k rows/s) | 10.0 ms | 4.00× | ≤ 3× ✗ |",
        "| check | 20,080 | 161 ms (125k rows/s) | 20.1 ms | 8.00× | ≤ 3× ✗ |",
        "| check, whole process | 20,080 | 50.0 ms (402k rows/s) | 20.0 ms | 2.50× | ≤ 3× ✓ |",
        // 24,167 rows in 848 ms: 28.5k rows/s.
        "| merge | 2,197 × 11 files | 848 ms (28.5k rows/s) | 573 ms | 1.48× | ≤ 1.5× ✓ |",
    ];
    assert_eq!(lines[2..], expected, "\n{table}");
    assert_eq!(
        report.notes,
        [
            "read .xlsx: criterion stored no throughput, so the rows are the requested counts \
          and no rows/s is given"
        ]
    );
}

/// An element of the plot: its name, attributes and text.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    text: String,
}

impl Element {
    fn attribute(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses the SVG strictly (every element closed and properly nested,
/// every entity known) into its elements in document order.
fn parse_svg(svg: &str) -> Vec<Element> {
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut open: Vec<usize> = Vec::new();
    let mut elements: Vec<Element> = Vec::new();
    let element = |e: &quick_xml::events::BytesStart<'_>| Element {
        name: e.name().into_inner().to_owned(),
        attributes: mavis_test_support::xml::attributes(e),
        text: String::new(),
    };
    loop {
        match reader.read_event().expect("well-formed SVG") {
            Event::Start(e) => {
                open.push(elements.len());
                elements.push(element(&e));
            }
            Event::Empty(e) => elements.push(element(&e)),
            Event::End(e) => {
                let i = open.pop().expect("an open element");
                assert_eq!(elements[i].name, e.name().into_inner(), "nesting");
            }
            Event::Text(t) => {
                if let Some(&i) = open.last() {
                    elements[i].text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let c = mavis_test_support::xml::reference_text(&r);
                if let Some(&i) = open.last() {
                    elements[i].text.push_str(&c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(open.is_empty(), "every element closed");
    assert_eq!(elements[0].name, "svg", "an SVG document");
    elements
}

#[test]
fn bench_report_plot_has_one_line_per_series() {
    let dir = scratch("plot");
    fake_results(&dir);
    let report = report::load(&dir).unwrap();
    let svg = report::svg(&report).unwrap();
    let elements = parse_svg(&svg);
    let (width, height) = report::PLOT_SIZE;
    assert_eq!(elements[0].attribute("width"), Some(&*width.to_string()));
    assert_eq!(elements[0].attribute("height"), Some(&*height.to_string()));

    let texts: Vec<&str> = elements
        .iter()
        .filter(|e| e.name == "text")
        .map(|e| e.text.trim())
        .collect();
    for wanted in [
        "How cost grows with rows (flat = linear)",
        "rows measured (log scale)",
        "time per 1,000 rows, ms (log scale)",
        "1,000",
        "20,000",
    ] {
        assert!(texts.contains(&wanted), "no text {wanted:?} in {texts:?}");
    }

    let series = report::series(&report);
    assert_eq!(series.len(), 2 * 6, "a project and a floor per comparison");
    let polylines: Vec<&Element> = elements.iter().filter(|e| e.name == "polyline").collect();
    let width_of = |e: &Element| e.attribute("stroke-width").unwrap().parse::<u32>().unwrap();
    for s in &series {
        let (r, g, b) = s.comparison.colour;
        let colour = format!("#{r:02X}{g:02X}{b:02X}");
        let label = report::legend_label(s);
        assert_eq!(
            texts.iter().filter(|t| **t == label).count(),
            1,
            "{label} once in the legend"
        );
        let mine: Vec<&&Element> = polylines
            .iter()
            .filter(|e| e.attribute("stroke") == Some(&colour))
            .collect();
        let circles = elements
            .iter()
            .filter(|e| e.name == "circle")
            .filter(|e| {
                e.attribute("fill") == Some(&colour) || e.attribute("stroke") == Some(&colour)
            })
            .count();
        if s.points.len() == 1 {
            assert!(mine.is_empty(), "{label}: one size, dots only");
            assert_eq!(circles, 2, "{label}: a filled and an open dot");
            continue;
        }
        assert_eq!(s.points.len(), SIZES.len(), "{label}");
        assert_eq!(
            circles,
            2 * SIZES.len(),
            "{label}: a dot per point and side"
        );
        if s.project {
            // The project's line is one polyline through every point.
            let solid: Vec<&&&Element> = mine
                .iter()
                .filter(|e| width_of(e) == report::PROJECT_WIDTH)
                .collect();
            assert_eq!(solid.len(), 1, "{label}: one solid line");
            let points = solid[0].attribute("points").unwrap();
            assert_eq!(points.split_whitespace().count(), SIZES.len(), "{label}");
        } else {
            // The floor's is dashed: many short polylines, all thinner.
            let dashes = mine
                .iter()
                .filter(|e| width_of(e) == report::FLOOR_WIDTH)
                .count();
            assert!(dashes > SIZES.len(), "{label}: {dashes} dashes");
        }
    }
    // Flat lines for linear growth: export's project is 80 ms per 1,000
    // rows at every size.
    assert!(series[0].points.iter().all(|p| (p.1 - 80.0).abs() < 1e-9));
}

/// The error loading `dir` gives, with its message, which must name `file`.
fn load_error_naming(dir: &Path, file: &Path) -> (report::ReportError, String) {
    let e = report::load(dir).unwrap_err();
    let message = e.to_string();
    assert!(message.contains(&file.display().to_string()), "{message}");
    (e, message)
}

#[test]
fn bench_report_errors_name_the_file_and_the_command() {
    let empty = scratch("empty");
    let e = report::load(&empty).unwrap_err();
    assert!(matches!(e, report::ReportError::NoResults { .. }), "{e}");
    assert!(e.to_string().contains("run `cargo bench`"), "{e}");

    // One side missing.
    let dir = scratch("missing");
    fake_results(&dir);
    let floor = dir.join("check/bare csv ByteRecord/10000/new/estimates.json");
    std::fs::remove_file(&floor).unwrap();
    let (e, message) = load_error_naming(&dir, &floor);
    assert!(
        matches!(e, report::ReportError::Missing { .. }),
        "{message}"
    );
    assert!(message.contains("cargo bench --bench check"), "{message}");

    // Malformed files: an error naming them, no panic.
    for (content, reason) in [
        ("not json", "expected ident"),
        (
            r#"{"mean": {"point_estimate": 1.0}}"#,
            "no median.point_estimate",
        ),
        (
            r#"{"median": {"point_estimate": "fast"}}"#,
            "not a positive number",
        ),
        (
            r#"{"median": {"point_estimate": -3.0}}"#,
            "not a positive number",
        ),
    ] {
        let dir = scratch("malformed");
        fake_results(&dir);
        let file = dir.join("export/mavis-sheet/2000/new/estimates.json");
        std::fs::write(&file, content).unwrap();
        let (e, message) = load_error_naming(&dir, &file);
        assert!(
            matches!(e, report::ReportError::Malformed { .. }),
            "{message}"
        );
        assert!(message.contains(reason), "{content}: {message}");
    }

    // A bench not run at all is left out with a note.
    let dir = scratch("partial");
    fake_results(&dir);
    std::fs::remove_dir_all(dir.join("merge")).unwrap();
    let report = report::load(&dir).unwrap();
    assert_eq!(report.measurements.len(), 4 * 4 + 1);
    assert!(
        report
            .notes
            .contains(&"merge: no results (run `cargo bench --bench merge`)".to_owned()),
        "{:?}",
        report.notes
    );
}

#[test]
fn bench_report_example_prints_the_table_and_writes_the_plot() {
    let dir = scratch("example");
    fake_results(&dir);
    let svg = dir.join("scaling.svg");
    let run = |args: &[&std::ffi::OsStr]| {
        Command::new(env!("CARGO"))
            .args(["run", "--quiet", "--example", "bench_report", "--"])
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("cargo runs")
    };
    let out = run(&[dir.as_os_str(), "--svg".as_ref(), svg.as_os_str()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = report::load(&dir).unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        report::markdown(&report)
    );
    let written = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(written, report::svg(&report).unwrap());

    let empty = scratch("example-empty");
    let out = run(&[empty.as_os_str(), "--svg".as_ref(), svg.as_os_str()]);
    assert!(!out.status.success(), "no results must fail");
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("run `cargo bench`"), "{stderr}");
}
