//! The default data set (`reference-data.md` §6): its valid offline row
//! (§6.7) passes, and each of its parts is what a rule looks up.

use mavis_import::{Reference, Validator};

use crate::common::{by_row, date, default_reference};

const HEADER: &str = "PERSON_FORENAME,PERSON_SURNAME,ORGANISATION_CODE,SCHOOL_NAME,CARE_SETTING,\
PERSON_DOB,PERSON_GENDER_CODE,PERSON_POSTCODE,NHS_NUMBER,VACCINATED,DATE_OF_VACCINATION,\
TIME_OF_VACCINATION,PROGRAMME,VACCINE_GIVEN,PERFORMING_PROFESSIONAL_EMAIL,BATCH_NUMBER,\
BATCH_EXPIRY_DATE,ANATOMICAL_SITE,DOSE_SEQUENCE,REASON_NOT_VACCINATED,SESSION_ID";

#[test]
fn the_valid_offline_rows_of_section_6_7() {
    let reference = default_reference();
    let csv = format!(
        "{HEADER}\r\n\
         Aisha,Begum,R1L,Riverside Academy,1,02/11/2012,Female,LE1 2DA,9449306168,Y,14/10/2025,\
         10:15:00,Flu,AstraZeneca Fluenz,jane.smith@example.nhs.uk,FL2281A,30/06/2026,nasal,1,,1001\r\n\
         Ben,Carter,R1L,Riverside Academy,1,19/10/2013,Male,LE3 2DA,9449308357,N,14/10/2025,,Flu,,\
         jane.smith@example.nhs.uk,,,,,refused,1001\r\n"
    );
    let mut validator = Validator::new(&reference, date("2025-10-15"));
    validator.now(mavis_domain::chrono::NaiveTime::from_hms_opt(16, 0, 0).unwrap());
    let report = validator.check_csv_bytes(csv.as_bytes());
    assert!(report.is_valid(), "{:#?}", by_row(&report));
    assert_eq!(report.records.len(), 2);
    let aisha = &report.records[0];
    assert_eq!(aisha.session_id, Some(1001));
    assert_eq!(aisha.source, mavis_domain::RecordSource::Service);
    assert_eq!(
        aisha.location_name, None,
        "the session's school is the location"
    );
    assert_eq!(
        aisha.performed_at.to_rfc3339(),
        "2025-10-14T09:15:00+00:00",
        "10:15 in London in October is BST"
    );
    assert_eq!(
        report.records[1].outcome,
        mavis_domain::Outcome::NotAdministered(mavis_domain::ReasonNotVaccinated::Refused)
    );

    // The same row in session 901 (last academic year) is not recognised,
    // and a date off the session's days is refused.
    let old = csv.replace(",1001\r\n", ",901\r\n");
    let report = validator.check_csv_bytes(old.as_bytes());
    let rows = by_row(&report);
    assert_eq!(rows[&2]["SESSION_ID"].len(), 1);
    let off_day = csv.replacen("14/10/2025", "13/10/2025", 1);
    let report = validator.check_csv_bytes(off_day.as_bytes());
    assert_eq!(
        by_row(&report)[&2]["DATE_OF_VACCINATION"],
        ["Enter a date that matches when the vaccination session took place."]
    );
}

#[test]
fn lookups() {
    let r = default_reference();
    for code in [
        "141234", "118765", "136789", "SS136789", "145678A", "145678B",
    ] {
        assert!(r.school(code).is_some(), "{code}");
    }
    assert!(
        r.school("145678").is_none(),
        "a split-site school needs its site"
    );
    assert_eq!(
        r.clinic("riverside health centre"),
        Some("Riverside Health Centre")
    );
    assert!(r.session(1004).is_some() && r.session(901).is_some());
    assert!(r.session(1005).is_none());
}

/// The reference read from the session JSON as a `ReferenceDocument` (each
/// child only for who the child is and the existing records) gives the
/// same verdict, row by row, as the reference from the whole document.
#[test]
fn the_reference_document_checks_as_the_whole_document() {
    let json = include_str!("../data/default-session.json");
    let whole = default_reference();
    let lean: mavis_domain::ReferenceDocument = serde_json::from_str(json).expect("valid JSON");
    lean.check_first().expect("consistent");
    let lean = mavis_import::SessionReference::from_document(&lean);
    let csv = format!(
        "{HEADER}\r\n\
         Aisha,Begum,R1L,Riverside Academy,1,02/11/2012,Female,LE1 2DA,9449306168,Y,14/10/2025,\
         10:15:00,Flu,AstraZeneca Fluenz,jane.smith@example.nhs.uk,FL2281A,30/06/2026,nasal,1,,1001\r\n\
         Aisha,Begum,R1L,Riverside Academy,1,03/11/2012,Female,LE9 9ZZ,,Y,14/10/2025,\
         10:15:00,Flu,AstraZeneca Fluenz,nobody@example.nhs.uk,FL2281A,30/06/2026,nasal,1,,1002\r\n\
         Ben,Carter,R9X,Nowhere School,1,19/10/2013,Male,LE3 2DA,9449308357,N,14/10/2025,,Flu,,\
         jane.smith@example.nhs.uk,,,,,refused,1001\r\n"
    );
    let check = |reference| {
        let mut validator = Validator::new(reference, date("2025-10-15"));
        validator.now(mavis_domain::chrono::NaiveTime::from_hms_opt(16, 0, 0).unwrap());
        validator.check_csv_bytes(csv.as_bytes())
    };
    let (by_whole, by_lean) = (check(&whole), check(&lean));
    assert!(
        !by_whole.errors.is_empty(),
        "the rows hold problems to find"
    );
    assert_eq!(format!("{by_lean:?}"), format!("{by_whole:?}"));
}
