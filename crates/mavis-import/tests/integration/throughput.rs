//! Rows per second on generated files (run with `--release -- --ignored
//! throughput --nocapture`); ignored by default because debug builds are
//! slow and timing is not a correctness property.

use std::time::Instant;

use mavis_domain::chrono::NaiveTime;
use mavis_domain::NhsNumber;
use mavis_import::Validator;

use crate::common::{date, default_reference};

fn point_of_care_file(rows: usize) -> Vec<u8> {
    let mut out = String::from(
        "PERSON_FORENAME,PERSON_SURNAME,ORGANISATION_CODE,SCHOOL_NAME,CARE_SETTING,PERSON_DOB,\
         PERSON_GENDER_CODE,PERSON_POSTCODE,NHS_NUMBER,VACCINATED,DATE_OF_VACCINATION,\
         TIME_OF_VACCINATION,PROGRAMME,VACCINE_GIVEN,PERFORMING_PROFESSIONAL_EMAIL,BATCH_NUMBER,\
         BATCH_EXPIRY_DATE,ANATOMICAL_SITE,DOSE_SEQUENCE,REASON_NOT_VACCINATED,NOTES,SESSION_ID,\
         UUID\r\n",
    );
    let mut n = 100_000_000u32;
    for i in 0..rows {
        let nhs = loop {
            n += 1;
            let digits = n.to_string();
            if let Some(x) = NhsNumber::from_first_nine(digits.as_bytes().try_into().unwrap()) {
                break x;
            }
        };
        out.push_str(&format!(
            "Child{i},Family{},R1L,Riverside Academy,1,02/11/2012,Female,LE1 2DA,{nhs},Y,\
             14/10/2025,10:15:00,Flu,AstraZeneca Fluenz,jane.smith@example.nhs.uk,FL2281A,\
             30/06/2026,nasal,1,,Some notes here,1001,\r\n",
            i % 97
        ));
    }
    out.into_bytes()
}

#[test]
#[ignore = "a measurement, not a check; run in release"]
fn throughput() {
    let reference = default_reference();
    let mut v = Validator::new(&reference, date("2025-10-15"));
    v.now(NaiveTime::from_hms_opt(16, 0, 0).unwrap())
        .keep_records(false)
        .row_limit(u64::MAX);
    for rows in [10_000, 100_000, 300_000] {
        let bytes = point_of_care_file(rows);
        let start = Instant::now();
        let mut report = v.check_csv_bytes(&bytes);
        for _ in 1..3 {
            report = v.check_csv_bytes(&bytes);
        }
        let secs = start.elapsed().as_secs_f64() / 3.0;
        assert!(report.is_valid(), "{:?}", report.errors.first());
        assert_eq!(report.rows_checked, rows as u64);
        eprintln!(
            "{rows} rows, {} MB: {:.0} rows/s",
            bytes.len() / 1_000_000,
            rows as f64 / secs
        );
    }
}
