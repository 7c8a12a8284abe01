//! Properties: no input makes the validator panic; a valid row stays valid
//! under changes the rules allow, and one rule-breaking change gives
//! exactly the one expected error.

use mavis_domain::chrono::{Duration, NaiveDate, NaiveTime};
use mavis_domain::NhsNumber;
use mavis_import::{Report, SessionReference, Validator};
use proptest::prelude::*;

use crate::common::default_reference;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 10, 15).unwrap()
}

fn validator(reference: &SessionReference) -> Validator<'_, SessionReference> {
    let mut v = Validator::new(reference, today());
    v.now(NaiveTime::from_hms_opt(16, 0, 0).unwrap());
    v
}

/// A CSV file of these rows, every field quoted.
fn csv(header: &[String], rows: &[Vec<String>], line_end: &str) -> Vec<u8> {
    let line = |cells: &[String]| {
        cells
            .iter()
            .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut out = line(header);
    for r in rows {
        out.push_str(line_end);
        out.push_str(&line(r));
    }
    out.push_str(line_end);
    out.into_bytes()
}

/// Check one row through both readers, which must agree.
fn check(reference: &SessionReference, header: &[String], values: &[String]) -> Report {
    let v = validator(reference);
    let table = v.check_table(header, [(2, values.to_vec())]);
    let bytes = csv(header, &[values.to_vec()], "\r\n");
    let from_csv = v.check_csv_bytes(&bytes);
    assert_eq!(
        table.errors, from_csv.errors,
        "the table and CSV readers agree"
    );
    assert_eq!(table.file_errors, from_csv.file_errors);
    from_csv
}

/// A valid offline flu row of session 1001 (default data set), as
/// (header, value) pairs.
#[derive(Debug, Clone)]
struct ValidRow(Vec<(String, String)>);

impl ValidRow {
    fn split(&self) -> (Vec<String>, Vec<String>) {
        self.0.iter().cloned().unzip()
    }

    fn set(&mut self, header: &str, value: &str) {
        let cell = self
            .0
            .iter_mut()
            .find(|(h, _)| h == header)
            .expect("a column");
        cell.1 = value.to_owned();
    }

    fn get(&self, header: &str) -> &str {
        &self
            .0
            .iter()
            .find(|(h, _)| h == header)
            .expect("a column")
            .1
    }
}

fn valid_row() -> impl Strategy<Value = ValidRow> {
    let names = prop::sample::select(vec![
        "Aisha", "Ben", "Chloë", "O'Hare", "Zoë-Mai", "Jiménez",
    ]);
    let genders = prop::sample::select(vec![
        "Male",
        "female",
        "Not known",
        "NOT_SPECIFIED",
        "Unknown",
    ]);
    let postcodes = prop::sample::select(vec!["LE1 2DA", "le3 2da", "SW1A1AA", "ZZ99 3VZ"]);
    let vaccines = prop::sample::select(vec![
        ("AstraZeneca Fluenz", "nasal"),
        ("AstraZeneca Fluenz LAIV", "Nasal"),
        ("Sanofi Vaxigrip", "left upper arm"),
        ("Viatris", "Right Deltoid"),
        ("Sequirus Cell-based Trivalent", "left thigh"),
    ]);
    let emails = prop::sample::select(vec![
        "jane.smith@example.nhs.uk",
        "Amir.Khan@example.nhs.uk",
        "sarah.jones@example.nhs.uk",
    ]);
    (
        (names.clone(), names, genders, postcodes),
        (0u32..900_000_000, 0i64..1800, prop::bool::ANY),
        (
            vaccines,
            emails,
            "[A-Z]{2}[0-9A-Z]{0,10}",
            1u8..=2,
            0i64..400,
        ),
        (8u32..16, 0u32..60, 0u32..60),
    )
        .prop_filter_map(
            "a nine-digit prefix with a check digit",
            |(
                (given, family, gender, postcode),
                (nine, dob_days, second_day),
                (vac, email, batch, dose, expiry_days),
                (h, m, s),
            )| {
                let digits = format!("{:09}", nine + 100_000_000);
                let nine: [u8; 9] = digits.as_bytes().try_into().ok()?;
                let nhs = NhsNumber::from_first_nine(nine)?;
                let dob = NaiveDate::from_ymd_opt(2009, 9, 1)? + Duration::days(dob_days);
                let date = if second_day { "15/10/2025" } else { "20251014" };
                let expiry = today() + Duration::days(expiry_days);
                let cells = [
                    ("ORGANISATION_CODE", "R1L".to_owned()),
                    ("PERSON_FORENAME", given.to_owned()),
                    ("PERSON_SURNAME", family.to_owned()),
                    ("PERSON_DOB", dob.format("%d/%m/%Y").to_string()),
                    ("PERSON_GENDER_CODE", gender.to_owned()),
                    ("PERSON_POSTCODE", postcode.to_owned()),
                    ("NHS_NUMBER", nhs.to_string()),
                    ("VACCINATED", "Y".to_owned()),
                    ("DATE_OF_VACCINATION", date.to_owned()),
                    ("TIME_OF_VACCINATION", format!("{h:02}:{m:02}:{s:02}")),
                    ("PROGRAMME", "Flu".to_owned()),
                    ("VACCINE_GIVEN", vac.0.to_owned()),
                    ("PERFORMING_PROFESSIONAL_EMAIL", email.to_owned()),
                    ("BATCH_NUMBER", batch),
                    ("BATCH_EXPIRY_DATE", expiry.format("%Y%m%d").to_string()),
                    ("ANATOMICAL_SITE", vac.1.to_owned()),
                    ("DOSE_SEQUENCE", dose.to_string()),
                    ("REASON_NOT_VACCINATED", String::new()),
                    ("SESSION_ID", "1001".to_owned()),
                    ("CARE_SETTING", "1".to_owned()),
                ];
                Some(ValidRow(
                    cells.into_iter().map(|(h, v)| (h.to_owned(), v)).collect(),
                ))
            },
        )
}

/// A change the rules allow.
#[derive(Debug, Clone)]
enum Preserving {
    Spaces(usize),
    VaccinatedSpelling(&'static str),
    DateForm(u8),
    TimeForm,
    EmailCase,
    NhsSpaced,
    Alias(usize),
    Reorder(usize),
    UnknownColumn,
    NoTime,
    NoBreakSpace(usize),
}

fn preserving() -> impl Strategy<Value = Preserving> {
    prop_oneof![
        (0usize..20).prop_map(Preserving::Spaces),
        prop::sample::select(vec!["y", "yes", "YES", "Ye"])
            .prop_map(Preserving::VaccinatedSpelling),
        (0u8..3).prop_map(Preserving::DateForm),
        Just(Preserving::TimeForm),
        Just(Preserving::EmailCase),
        Just(Preserving::NhsSpaced),
        (0usize..5).prop_map(Preserving::Alias),
        (1usize..20).prop_map(Preserving::Reorder),
        Just(Preserving::UnknownColumn),
        Just(Preserving::NoTime),
        (0usize..20).prop_map(Preserving::NoBreakSpace),
    ]
}

fn apply_preserving(row: &ValidRow, change: &Preserving) -> ValidRow {
    let mut r = row.clone();
    match change {
        Preserving::Spaces(i) => {
            let n = r.0.len();
            let cell = &mut r.0[*i % n];
            if !cell.1.is_empty() {
                cell.1 = format!("  {} \t", cell.1);
            }
        }
        Preserving::NoBreakSpace(i) => {
            let n = r.0.len();
            let cell = &mut r.0[*i % n];
            cell.1 = format!("\u{a0}{}\u{200d}", cell.1);
        }
        Preserving::VaccinatedSpelling(s) => r.set("VACCINATED", s),
        Preserving::DateForm(form) => {
            let d = mavis_import::parse_date(r.get("DATE_OF_VACCINATION")).unwrap();
            let text = match form {
                0 => d.format("%Y%m%d").to_string(),
                1 => d.format("%-d/%-m/%Y").to_string(),
                _ => d.format("%Y-%-m-%-d").to_string(),
            };
            r.set("DATE_OF_VACCINATION", &text);
        }
        Preserving::TimeForm => {
            let t = r.get("TIME_OF_VACCINATION").replace(':', "");
            r.set("TIME_OF_VACCINATION", &t);
        }
        Preserving::EmailCase => {
            let e = r.get("PERFORMING_PROFESSIONAL_EMAIL").to_uppercase();
            r.set("PERFORMING_PROFESSIONAL_EMAIL", &e);
        }
        Preserving::NhsSpaced => {
            let n = r.get("NHS_NUMBER").to_owned();
            r.set(
                "NHS_NUMBER",
                &format!("{} {} {}", &n[..3], &n[3..6], &n[6..]),
            );
        }
        Preserving::Alias(i) => {
            let (canonical, alias) = [
                ("PERSON_FORENAME", "First name"),
                ("PERSON_SURNAME", "Surname"),
                ("PERSON_DOB", "Date of birth"),
                ("DATE_OF_VACCINATION", "Event date"),
                ("PERSON_GENDER_CODE", "Sex"),
            ][*i];
            let cell = r.0.iter_mut().find(|(h, _)| h == canonical).unwrap();
            cell.0 = alias.to_owned();
        }
        Preserving::Reorder(n) => {
            let len = r.0.len();
            r.0.rotate_left(*n % len);
        }
        Preserving::UnknownColumn => {
            r.0.insert(3, ("CONSENT_STATUS".to_owned(), "Consent given".to_owned()));
        }
        Preserving::NoTime => r.set("TIME_OF_VACCINATION", ""),
    }
    r
}

/// A change that breaks one rule, with the column and message expected.
#[derive(Debug, Clone, Copy)]
enum Breaking {
    Date,
    NhsCheckDigit,
    BatchHyphen,
    OdsCode,
    Gender,
    Session,
    Site,
    Email,
    Time,
    Dose,
    Reason,
    NoForename,
    BatchExpiry,
    Postcode,
}

/// The cell a break writes, its column and new text; `None` for the break
/// that removes the forename column.
fn broken_cell(r: &ValidRow, change: Breaking) -> Option<(&'static str, String)> {
    let fixed = |column, value: &str| Some((column, value.to_owned()));
    match change {
        Breaking::Date => fixed("DATE_OF_VACCINATION", "2025-13-01"),
        Breaking::NhsCheckDigit => {
            let n = r.get("NHS_NUMBER");
            let last = (n.as_bytes()[9] - b'0' + 1) % 10;
            Some(("NHS_NUMBER", format!("{}{last}", &n[..9])))
        }
        Breaking::BatchHyphen => Some(("BATCH_NUMBER", format!("{}-1", r.get("BATCH_NUMBER")))),
        Breaking::OdsCode => fixed("ORGANISATION_CODE", "r1l"),
        Breaking::Gender => fixed("PERSON_GENDER_CODE", "M"),
        Breaking::Session => fixed("SESSION_ID", "901"),
        Breaking::Site => fixed("ANATOMICAL_SITE", "left elbow"),
        Breaking::Email => fixed("PERFORMING_PROFESSIONAL_EMAIL", "nobody@example.nhs.uk"),
        Breaking::Time => fixed("TIME_OF_VACCINATION", "24:00"),
        Breaking::Dose => fixed("DOSE_SEQUENCE", "3"),
        Breaking::Reason => fixed("REASON_NOT_VACCINATED", "refused"),
        Breaking::NoForename => None,
        Breaking::BatchExpiry => fixed("BATCH_EXPIRY_DATE", "20410102"),
        Breaking::Postcode => fixed("PERSON_POSTCODE", "SW1A"),
    }
}

/// The one message a break gives.
fn broken_message(change: Breaking) -> &'static str {
    match change {
        Breaking::Date => "Enter a date in the correct format.",
        Breaking::NhsCheckDigit => "should be a valid NHS number with 10 characters",
        Breaking::BatchHyphen => "must be only letters and numbers",
        Breaking::OdsCode => "Enter an organisation code that matches the current team.",
        Breaking::Gender => "Enter a valid gender or gender code.",
        Breaking::Session => {
            "The session ID is not recognised. Download the offline spreadsheet and copy the \
             session ID for this row from there, or contact our support team."
        }
        Breaking::Site => "Enter a valid anatomical site.",
        Breaking::Email => "Enter a valid email address.",
        Breaking::Time => "Enter a time in the correct format.",
        Breaking::Dose => "must be less than or equal to 2",
        Breaking::Reason => "must be blank",
        Breaking::NoForename => {
            "<code>PERSON_FORENAME</code> or <code>First name</code> is required"
        }
        Breaking::BatchExpiry => "must be less than 15 years in the future",
        Breaking::Postcode => "Enter a valid postcode, such as SW1A 1AA.",
    }
}

/// The row with one rule broken, the column of the error expected (`None`
/// for a row error) and its message.
fn apply_breaking(row: &ValidRow, change: Breaking) -> (ValidRow, Option<&'static str>, String) {
    let mut r = row.clone();
    let cell = broken_cell(&r, change);
    match &cell {
        Some((column, value)) => r.set(column, value),
        None => r.0.retain(|(h, _)| h != "PERSON_FORENAME"),
    }
    let column = cell.map(|(column, _)| column);
    (r, column, broken_message(change).to_owned())
}

fn breaking() -> impl Strategy<Value = Breaking> {
    prop::sample::select(vec![
        Breaking::Date,
        Breaking::NhsCheckDigit,
        Breaking::BatchHyphen,
        Breaking::OdsCode,
        Breaking::Gender,
        Breaking::Session,
        Breaking::Site,
        Breaking::Email,
        Breaking::Time,
        Breaking::Dose,
        Breaking::Reason,
        Breaking::NoForename,
        Breaking::BatchExpiry,
        Breaking::Postcode,
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn generated_rows_are_valid(row in valid_row(), change in preserving()) {
        let reference = default_reference();
        let (header, values) = row.split();
        let report = check(&reference, &header, &values);
        prop_assert!(report.is_valid(), "{:#?}", report.errors);
        prop_assert_eq!(report.records.len(), 1);

        let changed = apply_preserving(&row, &change);
        let (header, values) = changed.split();
        let report = check(&reference, &header, &values);
        prop_assert!(report.is_valid(), "{:?}: {:#?}", change, report.errors);
    }

    #[test]
    fn one_broken_rule_gives_one_error(row in valid_row(), change in breaking()) {
        let reference = default_reference();
        let (broken, column, message) = apply_breaking(&row, change);
        let (header, values) = broken.split();
        let report = check(&reference, &header, &values);
        prop_assert_eq!(report.errors.len(), 1, "{:?}: {:#?}", change, report.errors);
        let e = &report.errors[0];
        prop_assert_eq!(e.row(), 2);
        prop_assert_eq!(e.header(), column);
        prop_assert_eq!(&e.message, &message);
        if let Some(c) = column {
            let index = header.iter().position(|h| h == c).unwrap();
            prop_assert_eq!(
                e.column_letter(),
                Some(mavis_domain::column_letter(u32::try_from(index).unwrap()))
            );
        }
        prop_assert!(report.records.is_empty());
    }

    #[test]
    fn a_file_checked_on_threads_gives_the_same_report(
        rows in prop::collection::vec(
            (valid_row(), prop::option::of(breaking()), prop::bool::weighted(0.2)),
            1..16,
        ),
        repeat in prop::option::of(0usize..16),
        threads in 2usize..5,
    ) {
        // Valid and broken rows, blank rows among them and a row repeated
        // (a duplicate of a row another thread checks).
        let reference = default_reference();
        let (header, _) = rows[0].0.split();
        let mut lines: Vec<Vec<String>> = Vec::new();
        for (row, change, blank_before) in &rows {
            if *blank_before {
                lines.push(vec![String::new(); header.len()]);
            }
            let mut row = row.clone();
            if let Some((column, value)) = change.and_then(|c| broken_cell(&row, c)) {
                row.set(column, &value);
            }
            lines.push(header.iter().map(|h| row.get(h).to_owned()).collect());
        }
        if let Some(i) = repeat.filter(|i| *i < lines.len()) {
            lines.push(lines[i].clone());
        }
        let bytes = csv(&header, &lines, "\r\n");
        let mut v = validator(&reference);
        v.keep_records(false);
        let alone = v.check_csv_bytes(&bytes);
        prop_assert_eq!(&v.check_csv_bytes_on(&bytes, threads), &alone);
        // With records kept, the file is checked on one thread: the same
        // report again, records and all.
        let kept = validator(&reference);
        prop_assert_eq!(kept.check_csv_bytes_on(&bytes, threads), kept.check_csv_bytes(&bytes));
    }

    #[test]
    fn any_cell_text_in_any_column_is_safe(
        cells in prop::collection::vec(
            (
                prop::sample::select(HEADERS.to_vec()),
                "\\PC{0,12}|[0-9/:+ -]{0,10}|[ \",\r\nYyNn]{0,6}",
            ),
            1..24,
        ),
        national in prop::bool::ANY,
    ) {
        let mut reference = default_reference();
        if national {
            reference.team_mut().upload_type = mavis_domain::UploadType::NationalReporting;
        }
        let header: Vec<String> = cells.iter().map(|(h, _)| (*h).to_owned()).collect();
        let values: Vec<String> = cells.iter().map(|(_, v)| v.clone()).collect();
        let v = validator(&reference);
        let rows = [(2, values.clone()), (3, values.clone()), (4, vec!["x".to_owned()])];
        let table = v.check_table(&header, rows.clone());
        // The same table written as CSV, quoted, with quotes and line
        // breaks inside cells, reads back to the same report.
        let all: Vec<Vec<String>> = rows.into_iter().map(|(_, r)| r).collect();
        let bytes = csv(&header, &all, "\n");
        let from_csv = v.check_csv_bytes(&bytes);
        // Read in place or through a reader, the same report.
        prop_assert_eq!(&from_csv, &v.check_csv(std::io::Cursor::new(&bytes)).unwrap());
        prop_assert_eq!(&table.errors, &from_csv.errors);
        prop_assert_eq!(&table.file_errors, &from_csv.file_errors);
        prop_assert_eq!(table.rows_checked, from_csv.rows_checked);
        for line_end in ["\r\n", "\r"] {
            let other = v.check_csv_bytes(&csv(&header, &all, line_end));
            prop_assert_eq!(&other.errors, &from_csv.errors, "line end {:?}", line_end);
        }
    }

    #[test]
    fn text_is_read_in_place_as_through_a_reader(
        body in "[YNa1 ,\"\r\n\t\u{e9}]{0,120}",
        header in prop::sample::subsequence(HEADERS.to_vec(), 1..6),
    ) {
        let reference = default_reference();
        let v = validator(&reference);
        let text = format!("{}\r\n{body}", header.join(","));
        let in_place = v.check_csv_bytes(text.as_bytes());
        prop_assert_eq!(&in_place, &v.check_csv(std::io::Cursor::new(text.as_bytes())).unwrap());
    }

    #[test]
    fn any_bytes_are_safe(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let reference = default_reference();
        let v = validator(&reference);
        let report = v.check_csv_bytes(&bytes);
        prop_assert!(report.file_errors.len() <= 1);
        let mut unkept = validator(&reference);
        unkept.keep_records(false);
        prop_assert_eq!(unkept.check_csv_bytes_on(&bytes, 2), unkept.check_csv_bytes(&bytes));
        prop_assert_eq!(&report, &v.check_csv(std::io::Cursor::new(&bytes)).unwrap());
        // The same file read in place and through a reader, with and
        // without a UTF-8 byte order mark.
        let with_bom: Vec<u8> = [0xEF, 0xBB, 0xBF].iter().chain(&bytes).copied().collect();
        prop_assert_eq!(
            v.check_csv_bytes(&with_bom),
            v.check_csv(std::io::Cursor::new(&with_bom)).unwrap()
        );
    }
}

/// Every header the rules read, with aliases and some unknown ones.
const HEADERS: [&str; 40] = [
    "ORGANISATION_CODE",
    "SCHOOL_URN",
    "School code",
    "SCHOOL_NAME",
    "School",
    "Event done at",
    "NHS_NUMBER",
    "PERSON_FORENAME",
    "First name",
    "PERSON_SURNAME",
    "Surname",
    "PERSON_DOB",
    "Date of birth",
    "PERSON_GENDER_CODE",
    "PERSON_GENDER",
    "Sex",
    "PERSON_POSTCODE",
    "DATE_OF_VACCINATION",
    "Event date",
    "TIME_OF_VACCINATION",
    "VACCINATED",
    "VACCINE_GIVEN",
    "Vaccination type",
    "PROGRAMME",
    "BATCH_NUMBER",
    "BATCH_EXPIRY_DATE",
    "ANATOMICAL_SITE",
    "DOSE_SEQUENCE",
    "REASON_NOT_VACCINATED",
    "NOTES",
    "CARE_SETTING",
    "Event location type",
    "CLINIC_NAME",
    "PERFORMING_PROFESSIONAL_EMAIL",
    "SUPPLIER_EMAIL",
    "SESSION_ID",
    "UUID",
    "LOCAL_PATIENT_ID",
    "LOCAL_PATIENT_ID_URI",
    "CONSENT_STATUS",
];
