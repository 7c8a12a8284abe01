//! Check an upload CSV with the streaming validator, against the demo
//! team's reference data (national reporting when the file's header says
//! so): the measurement the benchmarks' memory figure comes from.
//!
//! `cargo run --release --example check_csv -- FILE`
//! `/usr/bin/time -v target/release/examples/check_csv FILE` for the peak.

use std::fs::File;
use std::io::{BufRead, BufReader};

use mavis::demo::{self, DemoOptions};
use mavis::domain::chrono::NaiveDate;
use mavis::domain::UploadType;
use mavis::import::{SessionReference, Validator};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("give the CSV file to check")?;
    let today = NaiveDate::from_ymd_opt(2025, 10, 15).expect("valid date");
    let mut doc = demo::session(&DemoOptions::new(today));
    let mut header = String::new();
    BufReader::new(File::open(&path)?).read_line(&mut header)?;
    if header.contains("LOCAL_PATIENT_ID") {
        doc.team.upload_type = UploadType::NationalReporting;
    }
    let reference = SessionReference::from_document(&doc);
    let mut validator = Validator::new(&reference, today);
    validator.keep_records(false);
    // Mavis refuses files over 20,000 rows; a service checking a large
    // national-reporting file raises the limit.
    validator.row_limit(u64::MAX);
    let start = std::time::Instant::now();
    let report = validator.check_csv(File::open(&path)?)?;
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{path}: {} rows, {} errors, valid: {}; {seconds:.2} s, {:.0} rows/s",
        report.rows_checked,
        report.errors.len(),
        report.is_valid(),
        report.rows_checked as f64 / seconds
    );
    for f in &report.file_errors {
        println!("  {}", f.message());
    }
    for e in report.errors.iter().take(5) {
        println!("  {e}");
    }
    Ok(())
}
