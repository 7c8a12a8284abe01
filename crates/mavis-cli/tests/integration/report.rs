//! Issue 10 through the command line: `check --annotate` marks every
//! problem at its cell and a fixed copy checks clean; `merge --annotate`
//! keeps conflicts amber; `merge --html` and `report` write one
//! self-contained, well-formed page with the right numbers, which headless
//! Chromium renders to a page that is not blank.

use crate::common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{
    check_json, col, dir, json, merge_args, not_vaccinated, not_vaccinated_each, run, s, stdout,
    write_copies,
};
use mavis_sheet::dump::WorkbookDump;
use mavis_sheet::{
    edit_sheet, read_bytes, read_sheet_rows, CellEdit, Column, Entry, Table, PROBLEMS_HEADERS,
    PROBLEMS_SHEET,
};

fn stderr(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn export(d: &Path) -> (PathBuf, Vec<u8>, Vec<(u32, String)>) {
    common::export(d, 8)
}

/// The cell a JSON error marks: its own, or the row's first.
fn marked(e: &serde_json::Value) -> String {
    format!(
        "{}{}",
        e["column"].as_str().unwrap_or("A"),
        e["row"].as_u64().unwrap()
    )
}

/// Check that every error of a `check --format json` is at its cell in the
/// annotated workbook, and listed on its Problems sheet.
fn assert_annotated(errors: &[serde_json::Value], annotated: &[u8]) {
    let dump = WorkbookDump::from_bytes(annotated, "copy.xlsx").unwrap();
    assert_eq!(dump.sheets[0].name, PROBLEMS_SHEET);
    let v = dump.sheet("Vaccinations").unwrap();
    for e in errors {
        let cell = marked(e);
        let note = v
            .comment(&cell)
            .unwrap_or_else(|| panic!("no note at {cell} for {e}"));
        let message = e["message"]
            .as_str()
            .unwrap()
            .replace("<code>", "")
            .replace("</code>", "");
        assert!(
            note.text.contains(&message),
            "{cell}: {} / {message}",
            note.text
        );
        let style = &dump.styles[&v.cell(&cell).unwrap().style];
        assert!(style.contains("fill solid FFFF8080"), "{cell}: {style}");
    }
    let rows = read_sheet_rows(annotated, "annotated.xlsx", PROBLEMS_SHEET)
        .unwrap()
        .unwrap();
    assert_eq!(rows[0], PROBLEMS_HEADERS);
    assert_eq!(rows.len(), errors.len() + 1);
    for e in errors {
        assert_listed(&rows, &format!("Vaccinations!{}", marked(e)));
    }
}

/// Check that the Problems sheet's rows link to `link`.
fn assert_listed(problems: &[Vec<String>], link: &str) {
    assert!(
        problems
            .iter()
            .any(|r| r.get(4).map(String::as_str) == Some(link)),
        "{link} not listed in {problems:?}"
    );
}

#[test]
fn check_annotate_marks_every_problem_and_a_fixed_copy_passes() {
    let d = dir("report-check-annotate");
    let (base, base_bytes, rows) = export(&d);

    // Every child recorded, three of them wrongly.
    let (bad_date, bad_email, bad_reason) = (rows[0].0, rows[1].0, rows[2].0);
    let mut edits = Vec::new();
    for (r, p) in &rows {
        if *r != bad_reason {
            edits.extend(typed_vaccinated(*r, p, "jane.smith@example.nhs.uk"));
        }
    }
    edits.extend(not_vaccinated(bad_reason, "felt like it"));
    let filled = edit_sheet(&base_bytes, "copy.xlsx", "Vaccinations", &edits).unwrap();
    let mistakes = [
        CellEdit::new(
            bad_date,
            col(Column::DateOfVaccination),
            Entry::Text("20251399".into()),
        ),
        CellEdit::new(
            bad_email,
            col(Column::PerformingProfessionalEmail),
            Entry::Text("not an email".into()),
        ),
    ];
    let copy = d.join("copy.xlsx");
    let copy_bytes = edit_sheet(&filled, "copy.xlsx", "Vaccinations", &mistakes).unwrap();
    std::fs::write(&copy, &copy_bytes).unwrap();

    let annotated = d.join("annotated.xlsx");
    let out = check_json(&copy, None, &["--annotate", s(&annotated)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let result = json(&out);
    let errors = result["errors"].as_array().unwrap().clone();
    assert!(errors.len() >= 3, "{result}");
    let rows_with_errors: Vec<u64> = errors.iter().map(|e| e["row"].as_u64().unwrap()).collect();
    for r in [bad_date, bad_email, bad_reason] {
        assert!(
            rows_with_errors.contains(&u64::from(r)),
            "row {r}: {result}"
        );
    }
    let annotated_bytes = std::fs::read(&annotated).unwrap();

    // The values are the copy's; every problem is at its cell.
    let before = read_bytes(&copy_bytes, "copy.xlsx").unwrap();
    let after = read_bytes(&annotated_bytes, "annotated.xlsx").unwrap();
    assert_eq!(after.headers, before.headers);
    assert_eq!(after.rows, before.rows);
    assert_annotated(&errors, &annotated_bytes);
    // Dropdowns and hidden sheets are kept.
    let copy_dump = WorkbookDump::from_bytes(&copy_bytes, "copy.xlsx").unwrap();
    let dump = WorkbookDump::from_bytes(&annotated_bytes, "copy.xlsx").unwrap();
    assert_eq!(
        dump.sheet("Vaccinations").unwrap().validations,
        copy_dump.sheet("Vaccinations").unwrap().validations
    );
    let states = |d: &WorkbookDump| -> Vec<(String, String)> {
        d.sheets
            .iter()
            .filter(|s| s.name != PROBLEMS_SHEET)
            .map(|s| (s.name.clone(), s.state.clone()))
            .collect()
    };
    assert_eq!(states(&dump), states(&copy_dump));

    // The admin fixes the marked cells in the annotated copy; it passes.
    let mut fixes = typed_vaccinated(bad_date, &rows[0].1, "jane.smith@example.nhs.uk");
    fixes.extend(typed_vaccinated(
        bad_email,
        &rows[1].1,
        "jane.smith@example.nhs.uk",
    ));
    fixes.push(CellEdit::new(
        bad_reason,
        col(Column::ReasonNotVaccinated),
        Entry::Text("refused".into()),
    ));
    let fixed = d.join("fixed.xlsx");
    std::fs::write(
        &fixed,
        edit_sheet(&annotated_bytes, "copy.xlsx", "Vaccinations", &fixes).unwrap(),
    )
    .unwrap();
    let again = d.join("again.xlsx");
    let out = check_json(&fixed, None, &["--annotate", s(&again)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["valid"], true);
    // No problems: the annotated copy is the file as it was.
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(&fixed).unwrap()
    );

    // A CSV is laid out as the offline sheet and marked the same way.
    // (Every child is recorded, so the upload holds every row, numbered as
    // in the copy; `csv` writes it, and says Mavis would refuse it.)
    let csv = d.join("copy.csv");
    let out = run(&["csv", s(&copy), "--out", s(&csv), "--today", "2025-10-15"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Not ready to upload: Mavis would refuse"),
        "{}",
        stdout(&out)
    );
    let csv_annotated = d.join("csv-annotated.xlsx");
    let out = check_json(&csv, Some(&base), &["--annotate", s(&csv_annotated)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let csv_errors = json(&out)["errors"].as_array().unwrap().clone();
    assert_eq!(csv_errors, errors);
    assert_annotated(&csv_errors, &std::fs::read(&csv_annotated).unwrap());
}

// ---------------------------------------------------------------------------
// Issue 14: one reader of CSV, one numbering.

/// The walkthrough's day, in `d`: its session workbook and the rows of its
/// upload CSV (the header first), read with the one CSV reader.
fn walkthrough_upload(d: &Path) -> (PathBuf, Vec<Vec<String>>) {
    let out = run(&[
        "walkthrough",
        "--dir",
        s(d),
        "--children",
        "20",
        "--today",
        "2025-10-15",
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(d.join("upload.csv")).unwrap();
    let mut reader = mavis_csv::Reader::from_bytes(&bytes);
    let mut row = mavis_csv::RowText::default();
    let mut rows = Vec::new();
    while reader.read_row(&mut row).unwrap().is_some() {
        rows.push(row.iter().map(str::to_owned).collect());
    }
    (d.join("session.xlsx"), rows)
}

/// Rows as CSV, with an empty line before the row at `empty_before`.
fn write_csv(rows: &[Vec<String>], empty_before: Option<usize>) -> Vec<u8> {
    let mut w = mavis_csv::Writer::new(b"\xEF\xBB\xBF".to_vec());
    let mut at = None;
    for (i, row) in rows.iter().enumerate() {
        if Some(i) == empty_before {
            at = Some(w.get_ref().len());
        }
        w.write_row(row).unwrap();
    }
    let mut bytes = w.into_inner();
    if let Some(at) = at {
        bytes.splice(at..at, *b"\r\n");
    }
    bytes
}

/// `check` of a CSV against the session workbook, on the walkthrough's day.
fn check_csv(csv: &Path, session: &Path, args: &[&str]) -> Output {
    let mut all = vec![
        "check",
        s(csv),
        "--session",
        s(session),
        "--today",
        "2025-10-15",
    ];
    all.extend_from_slice(args);
    run(&all)
}

#[test]
fn an_empty_line_before_a_bad_row_is_marked_on_the_bad_cell() {
    let d = dir("report-empty-line");
    let (session, mut rows) = walkthrough_upload(&d);
    let date = rows[0]
        .iter()
        .position(|h| h == "DATE_OF_VACCINATION")
        .unwrap();
    let bad = (1..rows.len())
        .find(|&i| !rows[i][date].is_empty())
        .unwrap();
    rows[bad][date] = "20251399".into();
    let csv = d.join("upload-empty-line.csv");
    std::fs::write(&csv, write_csv(&rows, Some(bad))).unwrap();

    let annotated = d.join("annotated.xlsx");
    let check = |format: &str| {
        check_csv(
            &csv,
            &session,
            &["--format", format, "--annotate", s(&annotated)],
        )
    };
    let out = check("json");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let errors = json(&out)["errors"].as_array().unwrap().clone();
    // Mavis does not count the empty line: the bad row is row bad + 1.
    let mavis_row = u64::try_from(bad).unwrap() + 1;
    let letter = mavis_domain::column_letter(u32::try_from(date).unwrap());
    assert!(!errors.is_empty());
    for e in &errors {
        assert_eq!(e["row"].as_u64(), Some(mavis_row), "{e}");
        assert_eq!(e["column"].as_str(), Some(letter.as_str()), "{e}");
    }
    let text = String::from_utf8(check("text").stdout).unwrap();
    assert!(text.contains(&format!("Row {mavis_row}\n")), "{text}");

    // In the annotated workbook the row sits one lower, below the empty
    // row: the mark is on the bad cell, and the Problems sheet links there.
    let bytes = std::fs::read(&annotated).unwrap();
    let dump = WorkbookDump::from_bytes(&bytes, "copy.xlsx").unwrap();
    let v = dump.sheet("Vaccinations").unwrap();
    let cell = format!("{letter}{}", mavis_row + 1);
    let note = v
        .comment(&cell)
        .unwrap_or_else(|| panic!("no note at {cell}"));
    let message = errors[0]["message"].as_str().unwrap();
    assert!(note.text.contains(message), "{} / {message}", note.text);
    assert!(v.comment(&format!("{letter}{mavis_row}")).is_none());
    let table = read_bytes(&bytes, "annotated.xlsx").unwrap();
    let marked = table
        .rows
        .iter()
        .find(|r| u64::from(r.row) == mavis_row + 1)
        .unwrap();
    assert_eq!(marked.get(date), "20251399");
    let problems = read_sheet_rows(&bytes, "annotated.xlsx", PROBLEMS_SHEET)
        .unwrap()
        .unwrap();
    assert_listed(&problems, &format!("Vaccinations!{cell}"));
}

#[test]
fn a_csv_with_bytes_undefined_in_windows_1252_is_checked_as_mavis_reads_it() {
    let d = dir("report-0x81");
    let (session, mut rows) = walkthrough_upload(&d);
    let notes = rows[0].iter().position(|h| h == "NOTES").unwrap();
    rows[1][notes] = "seen at \u{81}break".into();
    // Saved as Excel's plain "CSV (Comma delimited)": Windows-1252, no mark.
    let utf8 = String::from_utf8(write_csv(&rows, None)).unwrap();
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&utf8[3..]);
    assert!(!unmappable);
    assert!(bytes.contains(&0x81));
    let csv = d.join("upload-1252.csv");
    std::fs::write(&csv, &bytes).unwrap();
    let out = check_csv(&csv, &session, &["--format", "json"]);
    // Read and validated (not refused before validating, exit 2).
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let result = json(&out);
    assert_eq!(result["valid"], true, "{result}");
    assert_eq!(result["rows_checked"].as_u64(), Some(rows.len() as u64 - 1));
}

// ---------------------------------------------------------------------------
// The page.

/// An element of the page: its name, attributes and text, and its
/// children.
#[derive(Debug, Default, Clone)]
struct Node {
    name: String,
    attributes: BTreeMap<String, String>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    fn all(&self, name: &str) -> Vec<&Node> {
        let mut out = Vec::new();
        for c in &self.children {
            if c.name == name {
                out.push(c);
            }
            out.extend(c.all(name));
        }
        out
    }

    fn text(&self) -> String {
        let mut t = self.text.clone();
        for c in &self.children {
            t.push_str(&c.text());
        }
        t
    }
}

/// Parse the page strictly: every element closed, properly nested, every
/// entity known. HTML's void elements would fail this, and the page has
/// none but self-closed ones.
fn parse_page(html: &str) -> Node {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(html);
    let mut stack = vec![Node::default()];
    let start = |e: &quick_xml::events::BytesStart<'_>| Node {
        name: e.name().as_ref().to_owned(),
        attributes: mavis_test_support::xml::attributes(e),
        ..Node::default()
    };
    loop {
        match reader.read_event().expect("well-formed HTML") {
            Event::Start(e) => stack.push(start(&e)),
            Event::Empty(e) => stack.last_mut().unwrap().children.push(start(&e)),
            Event::End(e) => {
                let node = stack.pop().unwrap();
                assert_eq!(node.name, e.name().as_ref(), "nesting");
                stack.last_mut().unwrap().children.push(node);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let c = mavis_test_support::xml::reference_text(&r);
                stack.last_mut().unwrap().text.push_str(&c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "every element closed");
    let mut root = stack.pop().unwrap();
    assert_eq!(root.children.len(), 1, "one root element");
    root.children.pop().unwrap()
}

/// The numbers each programme's table shows: programme -> outcome -> n.
fn page_numbers(page: &Node) -> BTreeMap<String, BTreeMap<String, usize>> {
    let mut out = BTreeMap::new();
    for section in page
        .all("section")
        .into_iter()
        .filter(|s| s.attributes.get("class").map(String::as_str) == Some("programme"))
    {
        let title = section.all("h3")[0].text();
        let name = title.split(':').next().unwrap().to_owned();
        let table = section.all("table")[0];
        let mut numbers = BTreeMap::new();
        for tr in table.all("tbody")[0].all("tr") {
            let label = tr.all("th")[0].text();
            let n: usize = tr.all("td")[0].text().parse().unwrap();
            numbers.insert(label, n);
        }
        // The chart says the same.
        let svg = section.all("svg")[0];
        let texts: Vec<String> = svg.all("text").iter().map(|t| t.text()).collect();
        for (label, n) in &numbers {
            let at = texts
                .iter()
                .position(|t| t == label)
                .expect("a chart label");
            assert_eq!(texts[at + 1], n.to_string(), "{name}: {label}");
        }
        out.insert(name, numbers);
    }
    out
}

/// What the merged sheet says, counted independently.
fn expected_numbers(table: &Table) -> BTreeMap<String, BTreeMap<String, usize>> {
    let c = |x| table.column(x).unwrap();
    let mut out: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for r in &table.rows {
        if !r.get(c(Column::Uuid)).is_empty() {
            continue;
        }
        let label = match (
            r.get(c(Column::Vaccinated)),
            r.get(c(Column::ReasonNotVaccinated)),
        ) {
            ("Y", _) => "Vaccinated".to_owned(),
            // The user guide's absences are not outcomes (issue 15).
            ("N", "absent from school" | "did not attend") => {
                "Absent: record the attendance in Mavis".to_owned()
            }
            ("N", reason) => format!("Not vaccinated: {reason}"),
            _ => "Not yet seen".to_owned(),
        };
        let p = out
            .entry(r.get(c(Column::Programme)).to_owned())
            .or_default();
        p.entry("Vaccinated".into()).or_insert(0);
        p.entry("Not yet seen".into()).or_insert(0);
        *p.entry(label).or_insert(0) += 1;
    }
    out
}

/// Checks every page must pass: structure, accessibility, privacy.
fn assert_good_page(html: &str, table: &Table) -> Node {
    assert!(html.starts_with("<!DOCTYPE html>"));
    let page = parse_page(html);
    assert_eq!(page.name, "html");
    assert_eq!(page.attributes["lang"], "en-GB");
    assert_eq!(page.all("h1").len(), 1);
    assert!(page.all("h2").len() >= 3);
    for t in page.all("table") {
        assert_eq!(t.all("caption").len(), 1, "every table has a caption");
    }
    for svg in page.all("svg") {
        assert_eq!(svg.attributes["role"], "img");
        assert!(!svg.all("title")[0].text().is_empty());
    }
    // Self-contained: no scripts, nothing fetched.
    assert!(page.all("script").is_empty());
    assert!(page.all("link").is_empty() && page.all("img").is_empty());
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert!(!html.contains("src="));
    // Relative units: no pixel sizes in the CSS but the chart's own.
    let css = page.all("style")[0].text();
    assert!(
        !css.contains("px;") || css.matches("px").count() == 1,
        "{css}"
    );
    // NHS numbers masked.
    let nhs = table.column(Column::NhsNumber).unwrap();
    for r in &table.rows {
        let n = r.get(nhs);
        if n.len() == 10 {
            assert!(!html.contains(n), "{n} is shown whole");
        }
    }
    page
}

#[test]
fn merge_html_and_report_show_the_day() {
    let d = dir("report-merge-html");
    let (base, base_bytes, rows) = export(&d);
    let half = rows.len() / 2;
    // Nurse A vaccinates the first half; nurse B records the rest as not
    // vaccinated but one, and the first child differently (the conflict);
    // nurse C changes a consent on the day.
    let mut a = Vec::new();
    for (r, p) in &rows[..half] {
        a.extend(typed_vaccinated(*r, p, "jane.smith@example.nhs.uk"));
    }
    // (One reason Mavis does not know: a problem for the page to list; the
    // guide's "absent from school" is an absence, left out.)
    let reasons = ["refused", "absent from school", "unwell", "felt like it"];
    let mut b = not_vaccinated_each(&rows[half..rows.len() - 1], &reasons);
    b.extend(not_vaccinated(rows[0].0, "refused"));
    let c = vec![CellEdit::new(
        rows[1].0,
        col(Column::ConsentStatus),
        Entry::Text("Consent refused".into()),
    )];
    let copies = write_copies(&d, &base_bytes, &[a, b, c]);
    let merged = d.join("merged.xlsx");
    let annotated = d.join("merged-annotated.xlsx");
    let html_path = d.join("day.html");
    let out = run(&merge_args(
        &base,
        &[&copies[0], &copies[1], &copies[2]],
        &[
            "--out",
            s(&merged),
            "--annotate",
            s(&annotated),
            "--html",
            s(&html_path),
            "--today",
            "2025-10-15",
        ],
    ));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let merged_table = read_bytes(&std::fs::read(&merged).unwrap(), "merged.xlsx").unwrap();

    // The annotated merge: the conflict stays amber with both copies'
    // values, and is listed; the merged sheet's problems are red.
    let annotated_bytes = std::fs::read(&annotated).unwrap();
    let dump = WorkbookDump::from_bytes(&annotated_bytes, "copy.xlsx").unwrap();
    assert_eq!(dump.sheets[0].name, PROBLEMS_SHEET);
    let v = dump.sheet("Vaccinations").unwrap();
    let conflict_cell = format!("Y{}", rows[0].0);
    assert!(dump.styles[&v.cell(&conflict_cell).unwrap().style].contains("FFFFC000"));
    assert!(v
        .comment(&conflict_cell)
        .unwrap()
        .text
        .contains("nurse-b.xlsx"));
    let problems = read_sheet_rows(&annotated_bytes, "a.xlsx", PROBLEMS_SHEET)
        .unwrap()
        .unwrap();
    assert!(problems
        .iter()
        .any(|r| r[3].starts_with("Conflict between copies")
            && r[4] == format!("Vaccinations!{conflict_cell}")));
    assert_eq!(
        read_bytes(&annotated_bytes, "a.xlsx").unwrap().rows,
        merged_table.rows
    );

    // The page.
    let html = std::fs::read_to_string(&html_path).unwrap();
    let page = assert_good_page(&html, &merged_table);
    assert_eq!(page_numbers(&page), expected_numbers(&merged_table));
    let captions: Vec<String> = page.all("caption").iter().map(|c| c.text()).collect();
    assert!(
        captions.iter().any(|c| c.starts_with("Conflicts")),
        "{captions:?}"
    );
    assert!(captions.iter().any(|c| c.starts_with("Changes on the day")));
    let text = page.text();
    assert!(
        text.contains("nurse-a.xlsx: “Y, ") && text.contains("nurse-b.xlsx: “N, "),
        "{text}"
    );
    assert!(text.contains("“Consent refused”"));
    // Who recorded what.
    let recorders = page
        .all("table")
        .into_iter()
        .find(|t| t.all("caption")[0].text().starts_with("Outcomes by"))
        .unwrap();
    let counts: BTreeMap<String, String> = recorders.all("tbody")[0]
        .all("tr")
        .iter()
        .map(|tr| (tr.all("th")[0].text(), tr.all("td")[2].text()))
        .collect();
    let email = merged_table
        .column(Column::PerformingProfessionalEmail)
        .unwrap();
    let vacc = merged_table.column(Column::Vaccinated).unwrap();
    let reason = merged_table.column(Column::ReasonNotVaccinated).unwrap();
    for who in ["jane.smith@example.nhs.uk", "amir.khan@example.nhs.uk"] {
        // Outcomes recorded: an absence is not one (issue 15).
        let n = merged_table
            .rows
            .iter()
            .filter(|r| r.get(email) == who && !r.get(vacc).is_empty())
            .filter(|r| !matches!(r.get(reason), "absent from school" | "did not attend"))
            .count();
        assert_eq!(counts[who], n.to_string(), "{who}");
    }
    // Problems grouped by row, each with its cell.
    let problems_table = page
        .all("table")
        .into_iter()
        .find(|t| t.all("caption")[0].text().starts_with("Problems by row"))
        .unwrap();
    for tr in problems_table.all("tbody")[0].all("tr") {
        let nhs = tr.all("td")[1].text();
        assert!(nhs.is_empty() || nhs.starts_with("••• ••• "), "{nhs}");
        assert!(!tr.all("li").is_empty());
    }

    // `report` on the merged workbook: the same numbers, no merge tables.
    let report_path = d.join("report.html");
    let out = run(&[
        "report",
        s(&merged),
        "--today",
        "2025-10-15",
        "--out",
        s(&report_path),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = std::fs::read_to_string(&report_path).unwrap();
    let report_page = assert_good_page(&report, &merged_table);
    assert_eq!(page_numbers(&report_page), page_numbers(&page));
    assert!(!report_page.text().contains("Conflicts between copies"));
    assert!(screenshot_is_not_blank(&html_path, &d));
}

// ---------------------------------------------------------------------------
// Headless Chromium.

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// Render the page to a PNG and check it shows something: `true` when it
/// does, `false` (having said "skipped") when there is no Chromium and CI
/// did not ask for everything to run.
fn screenshot_is_not_blank(html: &Path, d: &Path) -> bool {
    let Some(chromium) = chromium() else {
        assert!(
            std::env::var_os("MAVIS_REQUIRE_SHARED").is_none(),
            "MAVIS_REQUIRE_SHARED is set but chromium is not installed"
        );
        println!("skipped: chromium is not installed");
        return true;
    };
    let png = d.join("page.png");
    let profile = d.join("chromium-profile");
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            &format!("--user-data-dir={}", profile.display()),
            &format!("--screenshot={}", png.display()),
            "--window-size=1200,1600",
            &format!("file://{}", html.display()),
        ])
        .output()
        .unwrap();
    assert!(png.exists(), "no screenshot: {}", stderr(&out));
    let (width, height, pixels) = decode_png(&std::fs::read(&png).unwrap());
    assert_eq!((width, height), (1200, 1600));
    let background = pixels[0];
    let other = pixels.iter().filter(|p| **p != background).count();
    let colours: std::collections::BTreeSet<[u8; 3]> = pixels.iter().copied().collect();
    assert!(
        other * 20 > pixels.len(),
        "{other} of {} pixels drawn",
        pixels.len()
    );
    assert!(colours.len() > 20, "{} colours", colours.len());
    // Green, red and grey bars are on the page.
    for bar in [[0x00, 0x7f, 0x3b], [0xd5, 0x28, 0x1b]] {
        assert!(colours.contains(&bar), "no {bar:?}");
    }
    true
}

/// A crude PNG decoder for 8-bit RGB or RGBA, not interlaced: what
/// Chromium writes. The pixels as RGB, row by row.
fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<[u8; 3]>) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let mut at = 8;
    let (mut width, mut height, mut channels) = (0u32, 0u32, 0usize);
    let mut data = Vec::new();
    while at + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        let kind = &bytes[at + 4..at + 8];
        let body = &bytes[at + 8..at + 8 + len];
        match kind {
            b"IHDR" => {
                width = u32::from_be_bytes(body[0..4].try_into().unwrap());
                height = u32::from_be_bytes(body[4..8].try_into().unwrap());
                assert_eq!(body[8], 8, "8-bit");
                channels = match body[9] {
                    2 => 3,
                    6 => 4,
                    t => panic!("colour type {t}"),
                };
                assert_eq!(body[12], 0, "not interlaced");
            }
            b"IDAT" => data.extend_from_slice(body),
            b"IEND" => break,
            _ => {}
        }
        at += 12 + len;
    }
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&data[..])
        .read_to_end(&mut raw)
        .unwrap();
    let stride = width as usize * channels;
    let mut prev = vec![0u8; stride];
    let mut pixels = Vec::with_capacity(width as usize * height as usize);
    for line in raw.chunks(stride + 1).take(height as usize) {
        let (filter, line) = (line[0], &line[1..]);
        let mut cur = vec![0u8; stride];
        for i in 0..stride {
            let a = if i >= channels { cur[i - channels] } else { 0 };
            let b = prev[i];
            let c = if i >= channels { prev[i - channels] } else { 0 };
            let x = line[i];
            cur[i] = match filter {
                0 => x,
                1 => x.wrapping_add(a),
                2 => x.wrapping_add(b),
                3 => x.wrapping_add(((u16::from(a) + u16::from(b)) / 2) as u8),
                4 => {
                    let p = i16::from(a) + i16::from(b) - i16::from(c);
                    let (pa, pb, pc) = (
                        (p - i16::from(a)).abs(),
                        (p - i16::from(b)).abs(),
                        (p - i16::from(c)).abs(),
                    );
                    let pred = if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    };
                    x.wrapping_add(pred)
                }
                f => panic!("filter {f}"),
            };
        }
        for px in cur.chunks(channels) {
            pixels.push([px[0], px[1], px[2]]);
        }
        prev = cur;
    }
    (width, height, pixels)
}

/// What a nurse types for a child she vaccinated, the date typed as
/// `YYYYMMDD`.
fn typed_vaccinated(row: u32, programme: &str, email: &str) -> Vec<CellEdit> {
    common::vaccinated(row, programme, email, common::picked(2025, 10, 15))
}
