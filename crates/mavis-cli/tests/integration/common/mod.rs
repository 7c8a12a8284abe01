//! What the command-line tests share: running the binary, scratch
//! folders, and what a nurse types into her copy.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use mavis_sheet::{edit_sheet, read_bytes, CellEdit, Column, Entry, Layout, Table};

/// Run `mavis-offline` with these arguments.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mavis-offline"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Run `mavis-offline` with these arguments in the folder `d`, so that
/// what it prints names files, not this machine's folders.
pub fn run_in(d: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mavis-offline"))
        .current_dir(d)
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Run `mavis-offline` with the words of `words`, then `more`.
pub fn run_words(words: &str, more: &[&str]) -> Output {
    let mut args: Vec<&str> = words.split_whitespace().collect();
    args.extend(more);
    run(&args)
}

/// Standard output and error, and the exit code, as one text.
pub fn printed(out: &Output) -> String {
    format!(
        "{}{}exit {}\n",
        stdout(out),
        String::from_utf8_lossy(&out.stderr),
        out.status.code().unwrap_or(-1)
    )
}

/// `csv FILE --out upload.csv --today 2025-10-15` in `d`.
pub fn csv_in(d: &Path, file: &str) -> Output {
    run_in(
        d,
        &["csv", file, "--out", "upload.csv", "--today", "2025-10-15"],
    )
}

/// A fresh, empty scratch folder.
pub fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The path `name` in the scratch folder `folder`, which is made if need be
/// (its other files are kept).
pub fn scratch(folder: &str, name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// What a run printed on standard output.
pub fn stdout(out: &Output) -> &str {
    std::str::from_utf8(&out.stdout).unwrap()
}

/// What a run printed on standard error.
pub fn stderr(out: &Output) -> &str {
    std::str::from_utf8(&out.stderr).unwrap()
}

/// `export` of the demo session of `children` children into `d`:
/// `session.xlsx`, its bytes, and its rows to fill.
pub fn export(d: &Path, children: usize) -> (PathBuf, Vec<u8>, Vec<(u32, String)>) {
    let base = d.join("session.xlsx");
    let n = children.to_string();
    let out = run(&[
        "export",
        "--children",
        &n,
        "--today",
        "2025-10-15",
        "--out",
        s(&base),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(&base).unwrap();
    let rows = fill_in_rows(&read_bytes(&bytes, "session.xlsx").unwrap());
    assert!(rows.len() >= children);
    (base, bytes, rows)
}

/// `check FILE [--session SESSION] --today 2025-10-15 --format json`, then
/// `rest`.
pub fn check_json(file: &Path, session: Option<&Path>, rest: &[&str]) -> Output {
    let mut args = vec!["check", s(file)];
    if let Some(session) = session {
        args.extend(["--session", s(session)]);
    }
    args.extend(["--today", "2025-10-15", "--format", "json"]);
    args.extend(rest);
    run(&args)
}

/// The arguments `merge --base BASE COPY...`, then `rest`.
pub fn merge_args<'a>(base: &'a Path, copies: &[&'a Path], rest: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["merge", "--base", s(base)];
    args.extend(copies.iter().map(|c| s(c)));
    args.extend(rest);
    args
}

/// A path as an argument.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The index of a column of the sheet without PSD.
pub fn col(c: Column) -> u32 {
    u32::from(Layout::new(false).index(c).unwrap())
}

/// Standard output parsed as JSON, or a panic showing both streams.
pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The text field `field` of each item of the JSON array `items`.
pub fn each_str<'v>(items: &'v serde_json::Value, field: &str) -> Vec<&'v str> {
    items
        .as_array()
        .expect("an array")
        .iter()
        .map(|item| item[field].as_str().expect("a text field"))
        .collect()
}

/// Each item of the JSON array `items` as its `row` and its text fields
/// `a` and `b` (empty when absent).
pub fn row_with<'v>(
    items: &'v serde_json::Value,
    a: &str,
    b: &str,
) -> Vec<(u64, &'v str, &'v str)> {
    items
        .as_array()
        .expect("an array")
        .iter()
        .map(|item| {
            (
                item["row"].as_u64().expect("a row"),
                item[a].as_str().unwrap_or_default(),
                item[b].as_str().unwrap_or_default(),
            )
        })
        .collect()
}

/// The sum of the number field `field` over the JSON array `items`.
pub fn sum_of(items: &serde_json::Value, field: &str) -> u64 {
    items
        .as_array()
        .expect("an array")
        .iter()
        .map(|item| item[field].as_u64().expect("a number field"))
        .sum()
}

/// A date a nurse picked (or typed as a date): a real date cell.
pub fn picked(y: i32, m: u32, d: u32) -> Entry {
    Entry::Date(mavis_domain::chrono::NaiveDate::from_ymd_opt(y, m, d).expect("a day"))
}

/// What a nurse types for a child she vaccinated.
pub fn vaccinated(row: u32, programme: &str, email: &str, date: Entry) -> Vec<CellEdit> {
    let (vaccine, batch, dose) = match programme {
        "HPV" => ("Gardasil9", "GD9X5521", 1.0),
        "ACWYX4" => ("MenQuadfi", "MQ77410", 1.0),
        _ => ("Revaxis", "RV9901", 5.0),
    };
    let t = |c, v: &str| CellEdit::new(row, col(c), Entry::Text(v.into()));
    vec![
        t(Column::Vaccinated, "Y"),
        CellEdit::new(row, col(Column::DateOfVaccination), date),
        t(Column::TimeOfVaccination, "10:15:00"),
        t(Column::VaccineGiven, vaccine),
        t(Column::PerformingProfessionalEmail, email),
        t(Column::BatchNumber, batch),
        t(Column::BatchExpiryDate, "20261231"),
        t(Column::AnatomicalSite, "left upper arm"),
        CellEdit::new(row, col(Column::DoseSequence), Entry::Number(dose)),
    ]
}

/// What a nurse types for a child she did not vaccinate.
pub fn not_vaccinated(row: u32, reason: &str) -> Vec<CellEdit> {
    let t = |c, v: &str| CellEdit::new(row, col(c), Entry::Text(v.into()));
    vec![
        t(Column::Vaccinated, "N"),
        t(Column::DateOfVaccination, "20251015"),
        t(
            Column::PerformingProfessionalEmail,
            "amir.khan@example.nhs.uk",
        ),
        t(Column::ReasonNotVaccinated, reason),
    ]
}

/// The fill-in rows of an export: (row number, programme).
pub fn fill_in_rows(table: &Table) -> Vec<(u32, String)> {
    let uuid = table.column(Column::Uuid).unwrap();
    let programme = table.column(Column::Programme).unwrap();
    table
        .rows
        .iter()
        .filter(|r| r.get(uuid).is_empty())
        .map(|r| (r.row, r.get(programme).to_owned()))
        .collect()
}

/// The rows recorded as not vaccinated, for each of `reasons` in turn.
pub fn not_vaccinated_each(rows: &[(u32, String)], reasons: &[&str]) -> Vec<CellEdit> {
    rows.iter()
        .zip(reasons.iter().cycle())
        .flat_map(|((r, _), reason)| not_vaccinated(*r, reason))
        .collect()
}

/// The nurses' copies of `base`, `nurse-a.xlsx`, `nurse-b.xlsx`..., each
/// with its edits, written into `d`.
pub fn write_copies(d: &Path, base: &[u8], edits: &[Vec<CellEdit>]) -> Vec<PathBuf> {
    edits
        .iter()
        .zip('a'..)
        .map(|(edits, nurse)| {
            let path = d.join(format!("nurse-{nurse}.xlsx"));
            std::fs::write(
                &path,
                edit_sheet(base, "copy.xlsx", "Vaccinations", edits).unwrap(),
            )
            .unwrap();
            path
        })
        .collect()
}
