//! Write a national-reporting upload CSV of ROWS distinct valid rows (flu
//! and HPV records from other providers), for measuring the validator on a
//! large file.
//!
//! `cargo run --release --example national_reporting_csv -- 1000000 nr.csv`

use std::fs::File;
use std::io::{BufWriter, Write};

use mavis::domain::NhsNumber;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let rows: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let path = args
        .next()
        .unwrap_or_else(|| "national-reporting.csv".to_owned());
    let mut out = BufWriter::new(File::create(&path)?);
    out.write_all(
        b"ORGANISATION_CODE,SCHOOL_URN,NHS_NUMBER,PERSON_FORENAME,PERSON_SURNAME,PERSON_DOB,\
          PERSON_GENDER_CODE,PERSON_POSTCODE,DATE_OF_VACCINATION,VACCINE_GIVEN,BATCH_NUMBER,\
          BATCH_EXPIRY_DATE,ANATOMICAL_SITE,DOSE_SEQUENCE,PERFORMING_PROFESSIONAL_FORENAME,\
          PERFORMING_PROFESSIONAL_SURNAME,LOCAL_PATIENT_ID,LOCAL_PATIENT_ID_URI\r\n",
    )?;
    let mut n = 999_000_000u32;
    for i in 0..rows {
        let nhs = loop {
            n += 1;
            let digits = n.to_string();
            let nine: [u8; 9] = digits.as_bytes()[..9].try_into().expect("nine digits");
            if let Some(x) = NhsNumber::from_first_nine(nine) {
                break x;
            }
        };
        let (vaccine, batch, site, dose) = if i % 2 == 0 {
            ("AstraZeneca Fluenz LAIV", "FL2281A", "nasal", "1")
        } else {
            ("Gardasil9", "GD9X5521", "left upper arm", "1")
        };
        writeln!(
            out,
            "Y12345,141234,{nhs},Child{i},Family{},{:02}/0{}/2012,Female,LE1 2DA,{:02}/10/2025,\
             {vaccine},{batch},30/06/2026,{site},{dose},Helen,Marsh,P{i},https://example.nhs.uk/patients\r",
            i % 997,
            1 + i % 28,
            1 + i % 9,
            1 + i % 14,
        )?;
    }
    out.flush()?;
    eprintln!("wrote {rows} rows to {path}");
    Ok(())
}
