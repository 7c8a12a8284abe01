//! Rows per second and peak memory on generated files (run with
//! `--release -- --ignored throughput --nocapture`); ignored by default
//! because timing is a measurement, not a check.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::time::Instant;

use mavis_domain::chrono::NaiveTime;
use mavis_domain::NhsNumber;
use mavis_import::Validator;

use crate::common::{date, default_reference};

/// Write an offline-session upload of `rows` distinct valid rows.
fn write_point_of_care_file(path: &std::path::Path, rows: usize) -> u64 {
    let mut out = BufWriter::new(File::create(path).expect("a temporary file"));
    out.write_all(
        b"PERSON_FORENAME,PERSON_SURNAME,ORGANISATION_CODE,SCHOOL_NAME,CARE_SETTING,PERSON_DOB,\
          PERSON_GENDER_CODE,PERSON_POSTCODE,NHS_NUMBER,VACCINATED,DATE_OF_VACCINATION,\
          TIME_OF_VACCINATION,PROGRAMME,VACCINE_GIVEN,PERFORMING_PROFESSIONAL_EMAIL,BATCH_NUMBER,\
          BATCH_EXPIRY_DATE,ANATOMICAL_SITE,DOSE_SEQUENCE,REASON_NOT_VACCINATED,NOTES,SESSION_ID,\
          UUID\r\n",
    )
    .unwrap();
    let mut n = 100_000_000u32;
    for i in 0..rows {
        let nhs = loop {
            n += 1;
            let digits = n.to_string();
            if let Some(x) = NhsNumber::from_first_nine(digits.as_bytes().try_into().unwrap()) {
                break x;
            }
        };
        write!(
            out,
            "Child{i},Family{},R1L,Riverside Academy,1,02/11/2012,Female,LE1 2DA,{nhs},Y,\
             14/10/2025,10:15:00,Flu,AstraZeneca Fluenz,jane.smith@example.nhs.uk,FL2281A,\
             30/06/2026,nasal,1,,Some notes here,1001,\r\n",
            i % 97
        )
        .unwrap();
    }
    out.flush().unwrap();
    std::fs::metadata(path).unwrap().len()
}

/// The peak resident memory of this process so far, in MiB (Linux).
fn peak_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

#[test]
#[ignore = "a measurement, not a check; run in release"]
fn throughput() {
    let reference = default_reference();
    let mut v = Validator::new(&reference, date("2025-10-15"));
    v.now(NaiveTime::from_hms_opt(16, 0, 0).unwrap())
        .keep_records(false)
        .row_limit(u64::MAX);
    let path = std::env::temp_dir().join(format!(
        "mavis-import-throughput-{}.csv",
        std::process::id()
    ));
    for rows in [10_000, 100_000, 1_000_000] {
        let bytes = write_point_of_care_file(&path, rows);
        let start = Instant::now();
        let report = v
            .check_csv(BufReader::new(File::open(&path).unwrap()))
            .unwrap();
        let secs = start.elapsed().as_secs_f64();
        assert!(report.is_valid(), "{:?}", report.errors.first());
        assert_eq!(report.rows_checked, rows as u64);
        eprintln!(
            "{rows} rows, {} MB: {:.0} rows/s; peak memory so far {} MiB",
            bytes / 1_000_000,
            rows as f64 / secs,
            peak_mib().map_or_else(|| "?".to_owned(), |m| m.to_string())
        );
    }
    std::fs::remove_file(&path).ok();
}
