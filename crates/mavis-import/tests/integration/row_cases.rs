//! The single-row cases of `conformance/mavis-fixtures/row-cases.md`
//! (Mavis `spec/models/immunisation_import_row_spec.rb`), one test each,
//! named after the case id.
//!
//! Setup (row-cases.md §0.2): team ODS `ABC`, school 123456 "Waterloo
//! Road", today 2026-03-13, programmes HPV (point of care) or HPV and flu
//! (national reporting). Session S is the team's, covers the case's
//! programmes, is held at another school on today.
//!
//! Cases about what the service does after validation — matching the row
//! to an existing patient or record, staging changes — cannot be observed
//! in a format validator. Their tests check what the validator hands the
//! service for that step (the row is valid, and the record carries the
//! identity, programme, date and so on the match uses), and say so.

use std::collections::BTreeMap;

use mavis_domain::chrono::{NaiveDate, NaiveTime};
use mavis_domain::{
    AnatomicalSite, DeliveryMethod, Email, Gender, MmrVariant, NhsNumber, OdsCode, Outcome,
    Performer, Postcode, Programme, ReasonNotVaccinated, RecordSource, RecordUuid, School,
    SchoolUrn, Session, SessionLocation, SessionProgramme, Team, UploadType, User, Vaccine,
};
use mavis_import::{
    parse_date, Column, Header, ImportedRecord, KnownRecord, Patient, Protocol, Report, RowText,
    SessionReference, Validator,
};

const S: u64 = 4242;
const S_TEXT: &str = "4242";
const AY0901: &str = "20250901";
const USER: &str = "nurse@example.com";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 13).unwrap()
}

type Row = Vec<(String, String)>;

fn row(cells: &[(&str, &str)]) -> Row {
    cells
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The row with `cells` added or replacing those of the same column.
fn with(mut base: Row, cells: &[(&str, &str)]) -> Row {
    for (k, v) in cells {
        match base.iter_mut().find(|(bk, _)| bk == k) {
            Some(cell) => cell.1 = (*v).to_owned(),
            None => base.push(((*k).to_owned(), (*v).to_owned())),
        }
    }
    base
}

/// The row without these columns (they become absent).
fn without(mut base: Row, columns: &[&str]) -> Row {
    base.retain(|(k, _)| !columns.contains(&k.as_str()));
    base
}

/// The base rows of row-cases.md §0.2, each the cells it adds to the row
/// it builds on.
const PATIENT_CELLS: &[(&str, &str)] = &[
    ("ORGANISATION_CODE", "ABC"),
    ("SCHOOL_NAME", "Hogwarts"),
    ("SCHOOL_URN", "123456"),
    ("PERSON_FORENAME", "Harry"),
    ("PERSON_SURNAME", "Potter"),
    ("PERSON_DOB", "20120101"),
    ("PERSON_POSTCODE", "SW1A 1AA"),
    ("PERSON_GENDER_CODE", "Male"),
    ("NHS_NUMBER", "9449306168"),
];

const COMMON_CELLS: &[(&str, &str)] = &[
    ("VACCINATED", "Y"),
    ("BATCH_EXPIRY_DATE", "20210101"),
    ("BATCH_NUMBER", "123"),
];

const FLU_CELLS: &[(&str, &str)] = &[
    ("ANATOMICAL_SITE", "nasal"),
    ("BATCH_EXPIRY_DATE", "2026-03-14"),
    ("DATE_OF_VACCINATION", "2026-03-13"),
    ("PERFORMING_PROFESSIONAL_FORENAME", "John"),
    ("PERFORMING_PROFESSIONAL_SURNAME", "Smith"),
    ("PROGRAMME", "Flu"),
    ("VACCINE_GIVEN", "AstraZeneca Fluenz"),
];

const HPV_CELLS: &[(&str, &str)] = &[
    ("ANATOMICAL_SITE", "Left Upper Arm"),
    ("CARE_SETTING", "1"),
    ("DATE_OF_VACCINATION", "20240101"),
    ("DOSE_SEQUENCE", "1"),
    ("PROGRAMME", "HPV"),
    ("VACCINE_GIVEN", "Gardasil9"),
];

const NR_CELLS: &[(&str, &str)] = &[
    ("BATCH_EXPIRY_DATE", "20260106"),
    ("DATE_OF_VACCINATION", "20260105"),
    ("BATCH_NUMBER", "123"),
    ("LOCAL_PATIENT_ID", "CIN-OXFORD-pat123456"),
    (
        "LOCAL_PATIENT_ID_URI",
        "https://cinnamon.nhs.uk/0de/system1",
    ),
];

const NR_FLU_CELLS: &[(&str, &str)] = &[
    ("VACCINATED", "Y"),
    ("PERFORMING_PROFESSIONAL_FORENAME", "Test"),
    ("PERFORMING_PROFESSIONAL_SURNAME", "User"),
    ("VACCINE_GIVEN", "AstraZeneca Fluenz LAIV"),
    ("ANATOMICAL_SITE", "nasal"),
];

const NR_HPV_CELLS: &[(&str, &str)] = &[
    ("VACCINE_GIVEN", "Gardasil9"),
    ("ANATOMICAL_SITE", "Left Deltoid"),
    ("DOSE_SEQUENCE", "1"),
    ("CARE_SETTING", "1"),
];

/// The base rows: `name => layers;`, each row the cells of its layers in
/// turn, a later layer's cell replacing an earlier one's.
macro_rules! base_rows {
    ($($name:ident => $($layer:ident)+;)*) => {
        $(
            fn $name() -> Row {
                let mut cells = Vec::new();
                $(cells = with(cells, $layer);)+
                cells
            }
        )*
    };
}

base_rows! {
    common => PATIENT_CELLS COMMON_CELLS;
    flu => PATIENT_CELLS COMMON_CELLS FLU_CELLS;
    hpv => PATIENT_CELLS COMMON_CELLS HPV_CELLS;
    nr_flu => PATIENT_CELLS NR_CELLS NR_FLU_CELLS;
    nr_hpv => PATIENT_CELLS NR_CELLS NR_HPV_CELLS;
}

fn mavis_extra(email: &str, session: &str) -> Vec<(&'static str, String)> {
    vec![
        ("PROGRAMME", "HPV".into()),
        ("PERFORMING_PROFESSIONAL_EMAIL", email.into()),
        ("NOTES", "Here are some notes".into()),
        ("CARE_SETTING", "2".into()),
        ("CLINIC_NAME", "The Hog's Head".into()),
        ("SESSION_ID", session.into()),
        ("UUID", "ABCD1234-26cc-44e4-b886-c3cc90ba01b6".into()),
        ("REASON_NOT_VACCINATED", "Unwell".into()),
        ("Vaccination type", "HPV 1".into()),
        ("EVENT_LOCATION_TYPE", "school".into()),
        ("SUPPLIER_EMAIL", "abc@example.com".into()),
    ]
}

fn extend(base: Row, extra: &[(&'static str, String)]) -> Row {
    let cells: Vec<(&str, &str)> = extra.iter().map(|(k, v)| (*k, v.as_str())).collect();
    with(base, &cells)
}

/// The team, reference data and clock of one case.
struct Setup {
    reference: SessionReference,
    today: NaiveDate,
    now: NaiveTime,
}

impl Setup {
    fn new(upload: UploadType, programmes: &[Programme]) -> Setup {
        let mut reference = SessionReference::new(Team {
            name: "Test team".into(),
            ods_code: OdsCode::parse("ABC").unwrap(),
            upload_type: upload,
            programmes: programmes.to_vec(),
            national_reporting_cut_off: None,
        });
        reference.add_school(School {
            urn: SchoolUrn::parse("123456").unwrap(),
            site: None,
            name: "Waterloo Road".into(),
            systm_one_code: None,
        });
        Setup {
            reference,
            today: today(),
            now: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
        }
    }

    fn poc() -> Setup {
        Setup::new(UploadType::PointOfCare, &[Programme::Hpv])
    }

    fn nr() -> Setup {
        Setup::new(
            UploadType::NationalReporting,
            &[Programme::Hpv, Programme::Flu],
        )
    }

    fn programmes(mut self, programmes: &[Programme]) -> Setup {
        self.reference.team_mut().programmes = programmes.to_vec();
        self
    }

    /// Session S, held today at a new school, for `programmes`.
    fn session(self, programmes: &[Programme]) -> Setup {
        let date = self.today;
        self.session_on(programmes, date)
    }

    fn session_on(mut self, programmes: &[Programme], date: NaiveDate) -> Setup {
        let urn = SchoolUrn::parse("654321").unwrap();
        self.reference
            .add_school(School {
                urn,
                site: None,
                name: "Hogsmeade School".into(),
                systm_one_code: None,
            })
            .add_session(Session {
                id: S,
                location: SessionLocation::School { urn, site: None },
                dates: vec![date],
                programmes: programmes
                    .iter()
                    .map(|&programme| SessionProgramme {
                        programme,
                        year_groups: (0..=11).collect(),
                    })
                    .collect(),
                psd_enabled: false,
            });
        self
    }

    fn user(mut self, email: &str) -> Setup {
        self.reference.add_user(User {
            email: Email::parse(email).unwrap(),
            given_name: "Test".into(),
            family_name: "User".into(),
            supplier: true,
        });
        self
    }

    fn clinic(mut self, name: &str) -> Setup {
        self.reference.add_clinic(name);
        self
    }

    fn run(&self, cells: &Row) -> Checked {
        let header: Vec<&str> = cells.iter().map(|(k, _)| k.as_str()).collect();
        let values: Vec<&str> = cells.iter().map(|(_, v)| v.as_str()).collect();
        let mut validator = Validator::new(&self.reference, self.today);
        validator.now(self.now);
        let report = if header.is_empty() {
            // "No columns at all": one unknown column stands in, so the row
            // exists.
            validator.check_table(&["X"], [(2, ["x"])])
        } else if values.iter().all(|v| v.trim().is_empty()) {
            // A blank last row would be dropped as a trailing blank row: a
            // filled row after it keeps it in the file.
            let filled: Vec<&str> = values.iter().map(|_| "x").collect();
            validator.check_table(&header, [(2, values), (3, filled)])
        } else {
            validator.check_table(&header, [(2, values)])
        };
        assert!(report.file_errors.is_empty(), "{:?}", report.file_errors);
        let mut by_column: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for e in report.errors.iter().filter(|e| e.row() == 2) {
            let key = e
                .header()
                .map_or_else(|| "general".to_owned(), str::to_owned);
            by_column.entry(key).or_default().push(e.message.clone());
        }
        Checked { report, by_column }
    }
}

/// What a row case expects of the row's messages.
enum Expect<'a> {
    Valid,
    Invalid,
    /// The column's messages are these, in this order.
    Exact(&'a str, &'a [&'a str]),
    /// The column (`general` for the row) has this message.
    Includes(&'a str, &'a str),
    /// The column does not have this message.
    Excludes(&'a str, &'a str),
    /// The column has no message.
    Clear(&'a str),
}

use Expect::{Clear, Exact, Excludes, Includes, Invalid, Valid};

struct Checked {
    report: Report,
    by_column: BTreeMap<String, Vec<String>>,
}

impl Checked {
    fn valid(&self) -> bool {
        self.report.is_valid()
    }

    fn assert_valid(&self) {
        self.expect("the row", &[Valid]);
    }

    fn assert_invalid(&self) {
        self.expect("the row", &[Invalid]);
    }

    /// The messages of a column (`general` for row messages).
    fn of(&self, column: &str) -> Vec<String> {
        self.by_column.get(column).cloned().unwrap_or_default()
    }

    fn assert_exact(&self, column: &str, messages: &[&str]) {
        self.expect("the row", &[Exact(column, messages)]);
    }

    fn assert_includes(&self, column: &str, message: &str) {
        self.expect("the row", &[Includes(column, message)]);
    }

    fn assert_excludes(&self, column: &str, message: &str) {
        self.expect("the row", &[Excludes(column, message)]);
    }

    /// Checks each expectation in order; a failure names `case`.
    fn expect(&self, case: &str, expectations: &[Expect]) {
        let all = &self.by_column;
        for expectation in expectations {
            match *expectation {
                Valid => assert!(self.valid(), "{case}: {all:#?}"),
                Invalid => assert!(!self.valid(), "{case}: expected errors"),
                Exact(column, messages) => {
                    assert_eq!(self.of(column), messages, "{case}: {column}: {all:#?}");
                }
                Includes(column, message) => assert!(
                    self.of(column).iter().any(|m| m == message),
                    "{case}: {column} ∋ {message:?}: {all:#?}"
                ),
                Excludes(column, message) => assert!(
                    !self.of(column).iter().any(|m| m == message),
                    "{case}: {column} ∌ {message:?}: {all:#?}"
                ),
                Clear(column) => assert!(
                    self.of(column).is_empty(),
                    "{case}: {column} has no message: {all:#?}"
                ),
            }
        }
    }

    fn record(&self) -> &ImportedRecord {
        self.assert_valid();
        assert_eq!(self.report.records.len(), 1);
        &self.report.records[0]
    }
}

/// One test per case: `name => body;`.
macro_rules! cases {
    ($($name:ident => $body:expr;)*) => {
        $(
            #[test]
            fn $name() {
                $body;
            }
        )*
    };
}

/// One test per row case: `name: setup, row => [expectations];`, the
/// expectations checked in order; a failing case names itself.
macro_rules! row_cases {
    ($($name:ident: $setup:expr, $row:expr => [$($expect:expr),+ $(,)?];)*) => {
        $(
            #[test]
            fn $name() {
                $setup.run(&$row).expect(stringify!($name), &[$($expect),+]);
            }
        )*
    };
}

fn g(message: &str) -> String {
    message.to_owned()
}

// ---------------------------------------------------------------- A

#[test]
fn v_01_no_columns() {
    let c = Setup::poc().run(&Vec::new());
    c.assert_invalid();
    let mut general = c.of("general");
    general.sort();
    let mut expected = [
        "<code>VACCINATED</code> is required",
        "<code>DATE_OF_VACCINATION</code> or <code>Event date</code> is required",
        "<code>PERSON_DOB</code> or <code>Date of birth</code> is required",
        "<code>PERSON_FORENAME</code> or <code>First name</code> is required",
        "<code>PERSON_GENDER_CODE</code>, <code>PERSON_GENDER</code> or <code>Sex</code> is required",
        "<code>PERSON_SURNAME</code> or <code>Surname</code> is required",
        "<code>PERSON_POSTCODE</code> or <code>Postcode</code> is required",
        "<code>PROGRAMME</code> or <code>Vaccination type</code> is required",
        "<code>REASON_NOT_VACCINATED</code> is required",
    ]
    .map(g);
    expected.sort();
    assert_eq!(general, expected);
    assert_eq!(c.by_column.len(), 1, "no column errors: {:#?}", c.by_column);
}

/// The child's columns of the all-blank rows, before their others.
const CHILD_COLUMNS: [&str; 9] = [
    "ORGANISATION_CODE",
    "SCHOOL_NAME",
    "SCHOOL_URN",
    "NHS_NUMBER",
    "PERSON_FORENAME",
    "PERSON_SURNAME",
    "PERSON_DOB",
    "PERSON_POSTCODE",
    "PERSON_GENDER_CODE",
];

/// The row of the child's columns and `columns`, all blank, has exactly
/// the one message of each of `expected`'s columns.
fn all_blank(setup: &Setup, columns: &[&str], expected: &[(&str, &str)]) {
    let cells: Row = CHILD_COLUMNS
        .iter()
        .chain(columns)
        .map(|c| ((*c).to_owned(), String::new()))
        .collect();
    let expected: BTreeMap<String, Vec<String>> = expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), vec![(*v).to_owned()]))
        .collect();
    assert_eq!(setup.run(&cells).by_column, expected);
}

const V02_COLUMNS: [&str; 10] = [
    "PROGRAMME",
    "DATE_OF_VACCINATION",
    "REASON_NOT_VACCINATED",
    "VACCINATED",
    "BATCH_EXPIRY_DATE",
    "BATCH_NUMBER",
    "ANATOMICAL_SITE",
    "PERFORMING_PROFESSIONAL_FORENAME",
    "PERFORMING_PROFESSIONAL_SURNAME",
    "VACCINE_GIVEN",
];

#[test]
fn v_02_all_blank() {
    all_blank(
        &Setup::poc(),
        &V02_COLUMNS,
        &[
        ("VACCINATED", "You need to record whether the child was vaccinated or not. Enter ‘Y’ or ‘N’ in the ‘VACCINATED’ column."),
        ("DATE_OF_VACCINATION", "Enter a date."),
        ("PERSON_DOB", "Enter a date of birth."),
        ("PERSON_FORENAME", "Enter a first name."),
        ("PERSON_GENDER_CODE", "Enter a gender or gender code."),
        ("PERSON_SURNAME", "Enter a last name."),
        ("PERSON_POSTCODE", "Enter a valid postcode, such as SW1A 1AA."),
        ("PROGRAMME", "Enter a programme."),
        ("REASON_NOT_VACCINATED", "Enter a valid reason."),
        ],
    );
}

row_cases! {
    v_03_vaccine_implies_administered: Setup::poc(), row(&[("VACCINE_GIVEN", "A vaccine")])
        => [Invalid, Excludes("general", "<code>VACCINATED</code> is required")];
    v_04_vaccination_type_implies_administered: Setup::poc(), row(&[("Vaccination type", "HPV 1")])
        => [Invalid, Excludes("general", "<code>VACCINATED</code> is required")];
    v_05_vaccinated_alone: Setup::poc(), row(&[("VACCINATED", "Y")])
        => [Invalid];
    v_06_nhs_number_makes_postcode_optional: Setup::poc(), row(&[("VACCINATED", "Y"), ("NHS_NUMBER", "9449306168")])
        => [
        Invalid,
        Excludes("general", "<code>PERSON_POSTCODE</code> is required"),
        Excludes("general", "<code>PERSON_POSTCODE</code> or <code>Postcode</code> is required"),
        Clear("PERSON_POSTCODE"),
    ];
    v_07_unknown_vaccine: Setup::poc(), row(&[("VACCINATED", "Y"), ("VACCINE_GIVEN", "test")])
        => [Exact("VACCINE_GIVEN", &["This vaccine is not valid."])];
    v_08_vaccine_of_another_programme: Setup::poc().programmes(&[Programme::Flu, Programme::Hpv]),
        row(&[("PROGRAMME", "HPV"), ("VACCINE_GIVEN", "AstraZeneca Fluenz")])
        => [Invalid, Exact("VACCINE_GIVEN", &["is not given in the HPV programme"])];
    v_09_no_vaccine_column: Setup::poc(), without(hpv(), &["VACCINE_GIVEN"])
        => [Valid];
    v_10_offline_needs_a_vaccine: Setup::poc().session(&[Programme::Hpv]),
        with(hpv(), &[("VACCINE_GIVEN", ""), ("DATE_OF_VACCINATION", AY0901), ("SESSION_ID", S_TEXT)])
        => [Invalid, Exact("VACCINE_GIVEN", &["Enter a vaccine name."])];
    v_11_mmrv_programme_name: Setup::poc().programmes(&[Programme::Mmr]),
        with(without(hpv(), &["VACCINE_GIVEN"]), &[("PROGRAMME", "MMRV")])
        => [Valid];
    v_12_unknown_reason: Setup::poc(), row(&[("VACCINATED", "N"), ("REASON_NOT_VACCINATED", "unknown")])
        => [Exact("REASON_NOT_VACCINATED", &["Enter a valid reason."])];
    v_13_batch_number_characters: Setup::poc(), row(&[("VACCINATED", "Y"), ("BATCH_NUMBER", "[invalid]")])
        => [Exact("BATCH_NUMBER", &["must be only letters and numbers"])];
    v_14_postcode: Setup::poc(), row(&[("PERSON_POSTCODE", "ABC DEF")])
        => [Includes("PERSON_POSTCODE", "Enter a valid postcode, such as SW1A 1AA.")];
    v_15_numeric_gender: Setup::poc(), row(&[("PERSON_GENDER_CODE", "10")])
        => [Exact("PERSON_GENDER_CODE", &["Enter a valid gender or gender code."])];
    v_16_future_date_without_birth_date: Setup::poc(), row(&[("DATE_OF_VACCINATION", "21000101")])
        => [Invalid, Clear("DATE_OF_VACCINATION")];
    v_18_before_birth: Setup::poc(), row(&[("PERSON_DOB", "20100101"), ("DATE_OF_VACCINATION", "20090101")])
        => [Includes("DATE_OF_VACCINATION", "The vaccination date is before the date of birth.")];
    v_19_reason_on_a_vaccinated_row: Setup::poc(), row(&[("VACCINATED", "Y"), ("REASON_NOT_VACCINATED", "unwell")])
        => [Exact("REASON_NOT_VACCINATED", &["must be blank"])];
    v_20_blank_time: Setup::poc(), row(&[("DATE_OF_VACCINATION", "20260313"), ("TIME_OF_VACCINATION", "")])
        => [Clear("TIME_OF_VACCINATION")];
    v_22_old_date_without_session: Setup::poc(), row(&[("DATE_OF_VACCINATION", "20220101")])
        => [Clear("DATE_OF_VACCINATION")];
    v_23_time_format: Setup::poc(), row(&[("TIME_OF_VACCINATION", "abc")])
        => [Exact("TIME_OF_VACCINATION", &["Enter a time in the correct format."])];
    v_24_nhs_number: Setup::poc(), row(&[("NHS_NUMBER", "TP01234567")])
        => [Exact("NHS_NUMBER", &["should be a valid NHS number with 10 characters"])];
    v_25_birth_in_the_future: Setup::poc(), row(&[("PERSON_DOB", "21000101")])
        => [Exact("PERSON_DOB", &["Enter a date of birth in the past."])];
    v_26_clinic: clinic_setup(), clinic_row("A clinic")
        => [Valid];
    v_27_clinic_any_case: clinic_setup(), clinic_row("a cLinIC")
        => [Valid];
    v_28_unknown_clinic: clinic_setup(), clinic_row("A wrong clinic")
        => [Exact("CLINIC_NAME", &["is not recognised"])];
    v_31_session_id_not_a_number: Setup::poc(), row(&[("SESSION_ID", "abc")])
        => [Includes("SESSION_ID", SESSION_NOT_RECOGNISED)];
    v_32_unknown_session: Setup::poc(), row(&[("SESSION_ID", "123")])
        => [Includes("SESSION_ID", SESSION_NOT_RECOGNISED)];
    v_33_offline_needs_organisation_code: Setup::poc().session(&[Programme::Hpv]), row(&[("SESSION_ID", S_TEXT)])
        => [Includes("general", "<code>ORGANISATION_CODE</code> is required")];
    v_34_programme_not_in_session: Setup::poc().programmes(&[Programme::Hpv, Programme::MenAcwy]).session(&[Programme::Hpv]),
        row(&[("SESSION_ID", S_TEXT), ("PROGRAMME", "MenACWY")])
        => [Exact("PROGRAMME", &["This programme is not available in this session."])];
    v_35_offline_needs_performer_email: Setup::poc().session(&[Programme::Hpv]),
        with(without(hpv(), &PP), &[("DATE_OF_VACCINATION", AY0901), ("VACCINATED", "Y"), ("SESSION_ID", S_TEXT)])
        => [Includes("general", "<code>PERFORMING_PROFESSIONAL_EMAIL</code> is required")];
    v_36_names_do_not_replace_the_email: Setup::poc().session(&[Programme::Hpv]),
        with(without(hpv(), &["PERFORMING_PROFESSIONAL_EMAIL"]), &[
            ("PERFORMING_PROFESSIONAL_FORENAME", "John"),
            ("PERFORMING_PROFESSIONAL_SURNAME", "Smith"),
            ("DATE_OF_VACCINATION", AY0901),
            ("VACCINATED", "Y"),
            ("SESSION_ID", S_TEXT),
        ])
        => [Includes("general", "<code>PERFORMING_PROFESSIONAL_EMAIL</code> is required")];
    v_40_historical_needs_no_vaccinator: Setup::poc(), with(without(hpv(), &PP), &[("DATE_OF_VACCINATION", "20220101")])
        => [Valid];
    v_41_unknown_performer_email: Setup::poc(),
        with(hpv(), &[("PERFORMING_PROFESSIONAL_EMAIL", "non-existent@example.com"), ("DATE_OF_VACCINATION", "20220101")])
        => [Includes("PERFORMING_PROFESSIONAL_EMAIL", "Enter a valid email address.")];
    v_42_flu_in_an_earlier_year: Setup::poc().programmes(&[Programme::Flu]), with(flu(), &[("DATE_OF_VACCINATION", "20240101")])
        => [Exact("DATE_OF_VACCINATION", &["must be in the current academic year"])];
    v_43_flu_in_an_earlier_year_without_vaccinator: Setup::poc().programmes(&[Programme::Flu]),
        with(without(flu(), &PP), &[("DATE_OF_VACCINATION", "20220101")])
        => [Invalid, Exact("DATE_OF_VACCINATION", &["must be in the current academic year"])];
    v_44_nasal_site_for_an_injection: Setup::poc().session(&[Programme::Hpv]),
        with(hpv(), &[
            ("ANATOMICAL_SITE", "nasal"),
            ("VACCINATED", "Y"),
            ("VACCINE_GIVEN", "Gardasil9"),
            ("DATE_OF_VACCINATION", AY0901),
            ("SESSION_ID", S_TEXT),
        ])
        => [Exact("ANATOMICAL_SITE", &[INAPPROPRIATE_SITE])];
    v_45_historical_site_not_checked: Setup::poc(),
        row(&[("ANATOMICAL_SITE", "left buttock"), ("VACCINATED", "Y"), ("VACCINE_GIVEN", "Gardasil9"), ("DATE_OF_VACCINATION", "20220101")])
        => [Clear("ANATOMICAL_SITE")];
    v_46_injection_site_for_a_nasal_vaccine: flu_session(),
        row(&[
            ("ANATOMICAL_SITE", "left buttock"),
            ("VACCINATED", "Y"),
            ("PROGRAMME", "Flu"),
            ("VACCINE_GIVEN", "AstraZeneca Fluenz"),
            ("DATE_OF_VACCINATION", AY0901),
            ("SESSION_ID", S_TEXT),
        ])
        => [Exact("ANATOMICAL_SITE", &[INAPPROPRIATE_SITE])];
    v_47_offline_needs_batch: flu_session(), offline_flu()
        => [
        Includes("general", "<code>BATCH_EXPIRY_DATE</code> is required"),
        Includes("general", "<code>BATCH_NUMBER</code> or <code>Vaccination batch number</code> is required"),
    ];
    v_49_short_batch: Setup::poc(), row(&[("VACCINATED", "Y"), ("BATCH_NUMBER", "a")])
        => [Includes("BATCH_NUMBER", "must be at least 2 characters long")];
    v_50_offline_needs_a_site: flu_session(), offline_flu()
        => [Includes("general", "<code>ANATOMICAL_SITE</code> is required")];
    v_51_session_id_on_an_api_record: with_api_record(Setup::poc()),
        row(&[("VACCINATED", "Y"), ("PROGRAMME", "Flu"), ("SESSION_ID", "1"), ("DATE_OF_VACCINATION", AY0901), ("UUID", API_UUID)])
        => [Exact(
        "SESSION_ID",
        &["A session ID cannot be provided for this record; this record was sourced from an external source."],
    )];
    v_52_flu: Setup::poc().programmes(&[Programme::Flu]), flu()
        => [Valid];
    v_54_hpv: Setup::poc(), hpv()
        => [Valid];
    v_55_programme_any_case: Setup::poc(), row(&[("PROGRAMME", "hpv")])
        => [
        Invalid,
        Excludes("general", "<code>PROGRAMME</code> or <code>Vaccination type</code> is required"),
        Clear("PROGRAMME"),
    ];
}

#[test]
fn v_17_time_in_the_future() {
    let c = Setup::poc().run(&row(&[
        ("DATE_OF_VACCINATION", "20260313"),
        ("TIME_OF_VACCINATION", "12:00:01"),
    ]));
    c.assert_includes("TIME_OF_VACCINATION", "Enter a time in the past.");
    let c = Setup::poc().run(&row(&[
        ("DATE_OF_VACCINATION", "20260313"),
        ("TIME_OF_VACCINATION", "12:00:00"),
    ]));
    assert!(c.of("TIME_OF_VACCINATION").is_empty());
}

#[test]
fn v_21_date_off_the_session() {
    let mut setup = Setup::poc();
    setup.today = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap();
    let day = setup.today;
    let c = setup.session_on(&[Programme::Hpv], day).run(&row(&[
        ("DATE_OF_VACCINATION", "20250902"),
        ("SESSION_ID", S_TEXT),
    ]));
    c.assert_includes(
        "DATE_OF_VACCINATION",
        "Enter a date that matches when the vaccination session took place.",
    );
}

fn clinic_row(name: &str) -> Row {
    with(
        hpv(),
        &[
            ("CARE_SETTING", "2"),
            ("DATE_OF_VACCINATION", "20260313"),
            ("SESSION_ID", S_TEXT),
            ("ORGANISATION_CODE", "ABC"),
            ("PERFORMING_PROFESSIONAL_EMAIL", USER),
            ("CLINIC_NAME", name),
        ],
    )
}

fn clinic_setup() -> Setup {
    Setup::poc()
        .session(&[Programme::Hpv])
        .clinic("A clinic")
        .user(USER)
}

#[test]
fn v_29_two_patients_match() {
    let mut setup = Setup::poc();
    for (postcode, nhs) in [("LE1 2DA", "9449306168"), ("LE3 2DA", "9449308357")] {
        setup.reference.add_patient(Patient {
            given_name: "John".into(),
            family_name: "Smith".into(),
            date_of_birth: NaiveDate::from_ymd_opt(1990, 9, 1).unwrap(),
            postcode: Some(Postcode::parse(postcode).unwrap()),
            nhs_number: Some(NhsNumber::parse(nhs).unwrap()),
        });
    }
    let c = setup.run(&row(&[
        ("PERSON_FORENAME", "John"),
        ("PERSON_SURNAME", "Smith"),
        ("PERSON_DOB", "19900901"),
        ("PERSON_POSTCODE", "ABC DEF"),
    ]));
    c.assert_includes(
        "general",
        "Two or more possible patients match the patient first name, last name, date of birth and postcode.",
    );
}

#[test]
fn v_30_dose_above_maximum() {
    let c = Setup::poc().run(&row(&[("PROGRAMME", "HPV"), ("DOSE_SEQUENCE", "4")]));
    assert!(c.of("DOSE_SEQUENCE")[0].starts_with("must be less than or equal to"));
    c.assert_exact("DOSE_SEQUENCE", &["must be less than or equal to 3"]);
}

const SESSION_NOT_RECOGNISED: &str = "The session ID is not recognised. Download the offline spreadsheet and copy the session ID for this row from there, or contact our support team.";

const PP: [&str; 3] = [
    "PERFORMING_PROFESSIONAL_EMAIL",
    "PERFORMING_PROFESSIONAL_FORENAME",
    "PERFORMING_PROFESSIONAL_SURNAME",
];

fn dose_required(programme: Programme, name: &str) {
    let c = Setup::poc()
        .programmes(&[programme])
        .session(&[programme])
        .run(&row(&[
            ("SESSION_ID", S_TEXT),
            ("PROGRAMME", name),
            ("VACCINATED", "Y"),
        ]));
    c.assert_includes(
        "general",
        "<code>DOSE_SEQUENCE</code> or <code>Vaccination type</code> is required",
    );
}

cases! {
    v_37_menacwy_offline_needs_a_dose => dose_required(Programme::MenAcwy, "MenACWY");
    v_38_td_ipv_offline_needs_a_dose => dose_required(Programme::TdIpv, "3-in-1");
    v_39_mmr_offline_needs_a_dose => dose_required(Programme::Mmr, "MMR");
}

const INAPPROPRIATE_SITE: &str = "Enter a anatomical site that is appropriate for the vaccine.";

/// Flu and a flu session S.
fn flu_session() -> Setup {
    Setup::poc()
        .programmes(&[Programme::Flu])
        .session(&[Programme::Flu])
}

/// A vaccinated flu row of session S, with nothing else.
fn offline_flu() -> Row {
    row(&[
        ("VACCINATED", "Y"),
        ("PROGRAMME", "Flu"),
        ("DATE_OF_VACCINATION", AY0901),
        ("SESSION_ID", S_TEXT),
    ])
}

#[test]
fn v_48_lengths() {
    let long = "a".repeat(301);
    let c = Setup::poc().run(&row(&[
        ("VACCINATED", "Y"),
        ("BATCH_NUMBER", &long),
        ("CLINIC_NAME", &long),
        ("PERSON_FORENAME", &long),
        ("PERSON_SURNAME", &long),
        ("SCHOOL_NAME", &long),
    ]));
    c.assert_includes("BATCH_NUMBER", "must be at most 100 characters long");
    for column in [
        "CLINIC_NAME",
        "PERSON_FORENAME",
        "PERSON_SURNAME",
        "SCHOOL_NAME",
    ] {
        c.assert_includes(column, "is greater than 300 characters long");
    }
    // 300 characters, some of them two bytes long, are fine.
    let ok = "é".repeat(300);
    let c = Setup::poc().run(&row(&[("PERSON_FORENAME", &ok)]));
    assert!(c.of("PERSON_FORENAME").is_empty());
}

const API_UUID: &str = "12345678-1234-1234-1234-123456789abc";

fn with_api_record(mut setup: Setup) -> Setup {
    setup.reference.add_record(
        RecordUuid::parse(API_UUID).unwrap(),
        KnownRecord {
            source: RecordSource::NhsImmunisationsApi,
            session_id: None,
        },
    );
    setup
}

#[test]
fn v_53_performer_user_wins_over_names() {
    let c = Setup::poc()
        .programmes(&[Programme::Flu])
        .user(USER)
        .run(&with(flu(), &[("PERFORMING_PROFESSIONAL_EMAIL", USER)]));
    assert_eq!(
        c.record().performed_by,
        Some(Performer::User {
            email: Email::parse(USER).unwrap()
        })
    );
}

#[test]
fn v_56_mmrv_variant() {
    let c = Setup::poc().programmes(&[Programme::Mmr]).run(&with(
        common(),
        &[("PROGRAMME", "MMRV"), ("DATE_OF_VACCINATION", AY0901)],
    ));
    let r = c.record();
    assert_eq!(
        (r.programme, r.mmr_variant),
        (Programme::Mmr, Some(MmrVariant::Mmrv))
    );
}

// ---------------------------------------------------------------- B

const NR_REQUIRED: [&str; 13] = [
    "<code>DATE_OF_VACCINATION</code> is required",
    "<code>PERSON_DOB</code> is required",
    "<code>PERSON_FORENAME</code> is required",
    "<code>PERSON_GENDER_CODE</code> or <code>PERSON_GENDER</code> is required",
    "<code>PERSON_SURNAME</code> is required",
    "<code>PERSON_POSTCODE</code> is required",
    "<code>LOCAL_PATIENT_ID</code> is required",
    "<code>LOCAL_PATIENT_ID_URI</code> is required",
    "<code>ORGANISATION_CODE</code> is required",
    "<code>SCHOOL_URN</code> is required",
    "<code>ANATOMICAL_SITE</code> is required",
    "<code>BATCH_NUMBER</code> is required",
    "<code>BATCH_EXPIRY_DATE</code> is required",
];

/// Row-cases note 1: the spec's "empty row" is really this row.
fn previous_year() -> Row {
    row(&[("DATE_OF_VACCINATION", "20220101"), ("VACCINATED", "Y")])
}

fn nr_previous_year() -> Checked {
    Setup::nr().run(&previous_year())
}

#[test]
fn n_01_vaccine_required() {
    let c = nr_previous_year();
    c.assert_includes("general", "<code>VACCINE_GIVEN</code> is required");
    // Note 1 says the empty row gives the same.
    Setup::nr()
        .run(&Vec::new())
        .assert_includes("general", "<code>VACCINE_GIVEN</code> is required");
}

#[test]
fn n_02_no_programme_column() {
    for c in [nr_previous_year(), Setup::nr().run(&Vec::new())] {
        c.assert_invalid();
        c.assert_excludes(
            "general",
            "<code>PROGRAMME</code> or <code>Vaccination type</code> is required",
        );
    }
}

#[test]
fn n_03_demographics_required_with_nhs_number() {
    let c = Setup::nr().run(&row(&[("NHS_NUMBER", "1234567890"), ("VACCINATED", "Y")]));
    for m in [
        "<code>PERSON_DOB</code> is required",
        "<code>PERSON_FORENAME</code> is required",
        "<code>PERSON_GENDER_CODE</code> or <code>PERSON_GENDER</code> is required",
        "<code>PERSON_SURNAME</code> is required",
        "<code>PERSON_POSTCODE</code> is required",
    ] {
        c.assert_includes("general", m);
    }
}

#[test]
fn n_05_unknown_school_needs_no_name() {
    for vaccine in [None, Some("AstraZeneca Fluenz LAIV"), Some("Gardasil9")] {
        for vaccinated in [false, true] {
            let mut cells = row(&[("SCHOOL_URN", "888888")]);
            if let Some(v) = vaccine {
                cells = with(cells, &[("VACCINE_GIVEN", v)]);
            }
            if vaccinated {
                cells = with(cells, &[("VACCINATED", "Y")]);
            }
            let c = Setup::nr().run(&cells);
            c.assert_invalid();
            c.assert_excludes(
                "general",
                "<code>SCHOOL_NAME</code> or <code>School</code> is required",
            );
        }
    }
}

#[test]
fn n_06_not_vaccinated_rows_are_skipped() {
    for vaccine in [None, Some("AstraZeneca Fluenz LAIV"), Some("Gardasil9")] {
        let mut cells = row(&[("VACCINATED", "N")]);
        if let Some(v) = vaccine {
            cells = with(cells, &[("VACCINE_GIVEN", v)]);
        }
        let c = Setup::nr().run(&cells);
        c.assert_valid();
        assert!(c.by_column.is_empty());
        assert_eq!(c.report.record_count, 0);
        assert_eq!(c.report.skipped_not_vaccinated, 1);
    }
}

fn not_accepted(vaccine: &str) {
    let c = Setup::nr()
        .programmes(&Programme::ALL)
        .run(&row(&[("VACCINE_GIVEN", vaccine)]));
    c.assert_includes(
        "VACCINE_GIVEN",
        "This vaccine programme is not accepted in this upload.",
    );
}

fn nr_required(cells: &[(&str, &str)], extra: &[&str]) {
    let c = Setup::nr().run(&row(cells));
    for m in NR_REQUIRED.iter().chain(extra) {
        c.assert_includes("general", m);
    }
}

const NR_FLU_NAMES: [&str; 2] = [
    "<code>PERFORMING_PROFESSIONAL_FORENAME</code> is required",
    "<code>PERFORMING_PROFESSIONAL_SURNAME</code> is required",
];

cases! {
    n_07_menquadfi_not_accepted => not_accepted("MenQuadfi");
    n_08_priorix_not_accepted => not_accepted("Priorix");
    n_09_proquad_not_accepted => not_accepted("ProQuad");
    n_10_revaxis_not_accepted => not_accepted("Revaxis");
    n_11_flu_required_set => nr_required(&[("VACCINE_GIVEN", "AstraZeneca Fluenz LAIV")], &[]);
    n_12_flu_needs_the_vaccinator => nr_required(&[("VACCINE_GIVEN", "AstraZeneca Fluenz LAIV")], &NR_FLU_NAMES);
    n_13_flu_required_set_vaccinated => nr_required(&[("VACCINE_GIVEN", "AstraZeneca Fluenz LAIV"), ("VACCINATED", "Y")], &[]);
    n_14_flu_needs_the_vaccinator_vaccinated => nr_required(&[("VACCINE_GIVEN", "AstraZeneca Fluenz LAIV"), ("VACCINATED", "Y")], &NR_FLU_NAMES);
    n_19_hpv_required_set => nr_required(&[("VACCINE_GIVEN", "Gardasil")], &[]);
    n_20_hpv_needs_a_dose => nr_required(&[("VACCINE_GIVEN", "Gardasil")], &["<code>DOSE_SEQUENCE</code> is required"]);
    n_21_hpv_required_set_vaccinated => nr_required(&[("VACCINE_GIVEN", "Gardasil"), ("VACCINATED", "Y")], &[]);
    n_22_hpv_needs_a_dose_vaccinated => nr_required(&[("VACCINE_GIVEN", "Gardasil"), ("VACCINATED", "Y")], &["<code>DOSE_SEQUENCE</code> is required"]);
}

#[test]
fn n_15_all_blank() {
    let columns = [
        "DATE_OF_VACCINATION",
        "VACCINATED",
        "PERFORMING_PROFESSIONAL_FORENAME",
        "PERFORMING_PROFESSIONAL_SURNAME",
        "VACCINE_GIVEN",
        "ANATOMICAL_SITE",
        "BATCH_EXPIRY_DATE",
        "BATCH_NUMBER",
        "LOCAL_PATIENT_ID",
        "LOCAL_PATIENT_ID_URI",
    ];
    all_blank(
        &Setup::nr(),
        &columns,
        &[
            ("BATCH_EXPIRY_DATE", "Enter a batch expiry date."),
            ("BATCH_NUMBER", "Enter a batch number."),
            ("DATE_OF_VACCINATION", "Enter a date."),
            ("ANATOMICAL_SITE", "Enter an anatomical site."),
            ("LOCAL_PATIENT_ID", "Enter a local patient ID."),
            ("LOCAL_PATIENT_ID_URI", "Enter a local patient ID URI."),
            ("PERSON_DOB", "Enter a date of birth."),
            ("PERSON_FORENAME", "Enter a first name."),
            ("PERSON_GENDER_CODE", "Enter a gender or gender code."),
            ("PERSON_SURNAME", "Enter a last name."),
            (
                "PERSON_POSTCODE",
                "Enter a valid postcode, such as SW1A 1AA.",
            ),
            ("ORGANISATION_CODE", "Enter an organisation code."),
            ("SCHOOL_URN", "Enter a school URN."),
            ("VACCINE_GIVEN", "Enter a vaccine name."),
        ],
    );
}

row_cases! {
    n_04_previous_academic_year: Setup::nr(), previous_year()
        => [Includes("DATE_OF_VACCINATION", "must be in the current academic year")];
    n_17_before_the_cut_off: with_cut_off(Setup::nr()), nr_flu()
        => [Includes("DATE_OF_VACCINATION", CUT_OFF)];
    n_18_no_cut_off: Setup::nr(), nr_flu()
        => [Valid];
    n_23_site_always_checked: Setup::nr(), with(hpv(), &[("ANATOMICAL_SITE", "nasal")])
        => [Exact("ANATOMICAL_SITE", &[INAPPROPRIATE_SITE])];
    n_24_hpv_before_the_cut_off: with_cut_off(Setup::nr()), nr_hpv()
        => [Includes("DATE_OF_VACCINATION", CUT_OFF)];
    n_25_hpv_no_cut_off: Setup::nr(), nr_hpv()
        => [Valid];
}

#[test]
fn n_16_mavis_only_columns_are_ignored() {
    let setup = Setup::nr().user(USER);
    let cells = extend(nr_flu(), &mavis_extra("abc123@example.com", "1"));
    setup.run(&cells).assert_valid();
    // Inside the HPV context the spec repeats it with the same input.
    setup.run(&cells).assert_valid();
}

fn with_cut_off(setup: Setup) -> Setup {
    let mut setup = setup;
    setup.reference.team_mut().national_reporting_cut_off = NaiveDate::from_ymd_opt(2026, 2, 1);
    setup
}

const CUT_OFF: &str =
    "must be on or after your team's start date with Mavis national reporting: 1 February 2026";

// ---------------------------------------------------------------- C

fn hpv_record(cells: &[(&str, &str)]) -> ImportedRecord {
    Setup::poc().run(&with(hpv(), cells)).record().clone()
}

fn performed_at(cells: &[(&str, &str)], expected: &str) {
    assert_eq!(hpv_record(cells).performed_at.to_rfc3339(), expected);
}

fn date_form(text: &str) {
    let r = hpv_record(&[("DATE_OF_VACCINATION", text)]);
    assert_eq!(
        r.date,
        NaiveDate::from_ymd_opt(2023, 9, 1).unwrap(),
        "{text}"
    );
    assert_eq!(r.time, None);
}

fn no_vaccine() -> ImportedRecord {
    Setup::poc()
        .run(&without(hpv(), &["VACCINE_GIVEN"]))
        .record()
        .clone()
}

cases! {
    r_01_administered => assert_eq!(hpv_record(&[]).outcome, Outcome::Administered);
    r_02_date_only => performed_at(&[], "2024-01-01T00:00:00+00:00");
    r_03_yyyymmdd => date_form("20230901");
    r_04_dd_mm_yyyy => date_form("01/09/2023");
    r_05_iso => date_form("2023-09-01");
    r_06_time => performed_at(&[("TIME_OF_VACCINATION", "10:30:25")], "2024-01-01T10:30:25+00:00");
    r_07_compact_time => performed_at(&[("TIME_OF_VACCINATION", "1030")], "2024-01-01T10:30:00+00:00");
    // 10:30 in London in September is 09:30 UTC (British Summer Time).
    r_08_summer_time => performed_at(&[("DATE_OF_VACCINATION", "20230901"), ("TIME_OF_VACCINATION", "1030")], "2023-09-01T09:30:00+00:00");
    r_09_named_vaccinator => assert_eq!(Setup::poc().programmes(&[Programme::Flu]).run(&flu()).record().performed_by, Some(Performer::Named { given_name: "John".into(), family_name: "Smith".into() }));
    r_10_mmrv_diseases => {
        let c = Setup::poc()
            .programmes(&[Programme::Mmr])
            .run(&with(without(hpv(), &["VACCINE_GIVEN"]), &[("PROGRAMME", "MMRV")]));
        let r = c.record();
        assert_eq!(r.programme.diseases(r.mmr_variant), "measles, mumps, rubella, varicella");
    };
    r_11_vaccine_diseases => {
        let v = hpv_record(&[]).vaccine.expect("Gardasil 9");
        assert_eq!(v, Vaccine::Gardasil9);
        assert_eq!(v.programme().diseases(v.info().variant), "human papillomavirus");
    };
    r_12_no_vaccine => assert_eq!(no_vaccine().vaccine, None);
    r_13_programme_without_vaccine => assert_eq!(no_vaccine().programme, Programme::Hpv);
    r_14_programme_diseases => {
        let r = no_vaccine();
        assert_eq!(r.programme.diseases(r.mmr_variant), "human papillomavirus");
    };
}

const E_UUID: &str = "0b3d1c2a-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

/// Session S, and the record `E_UUID` of it that Mavis holds.
fn with_session_record() -> (Setup, RecordUuid) {
    let mut setup = Setup::poc().session(&[Programme::Hpv]);
    let uuid = RecordUuid::parse(E_UUID).unwrap();
    setup.reference.add_record(
        uuid,
        KnownRecord {
            source: RecordSource::Service,
            session_id: Some(S),
        },
    );
    (setup, uuid)
}

#[test]
fn r_15_existing_record_by_uuid() {
    let (setup, uuid) = with_session_record();
    let c = setup.run(&with(hpv(), &[("UUID", E_UUID)]));
    assert_eq!(c.record().uuid, Some(uuid));
    // A record without a session is not known (rule 25).
    let mut setup = Setup::poc();
    setup.reference.add_record(
        uuid,
        KnownRecord {
            source: RecordSource::HistoricalUpload,
            session_id: None,
        },
    );
    setup
        .run(&with(hpv(), &[("UUID", E_UUID)]))
        .assert_exact("UUID", &["Enter an existing record."]);
}

#[test]
fn r_16_discarded_record_is_still_known() {
    // The upload restores a discarded record, so its UUID is known: the
    // session document's discarded records are reference data too.
    use mavis_demo::{self as demo, DemoOptions};
    let mut doc = demo::session(&DemoOptions::new(
        NaiveDate::from_ymd_opt(2025, 10, 15).unwrap(),
    ));
    let record = doc
        .children
        .iter_mut()
        .flat_map(|c| c.records.iter_mut())
        .find(|r| r.session_id.is_some())
        .expect("a record in a session");
    record.discarded = true;
    let uuid = record.uuid;
    let reference = SessionReference::from_document(&doc);
    assert!(mavis_import::Reference::record(&reference, &uuid).is_some());
}

#[test]
fn r_17_matching_by_child_programme_date_is_the_service_s() {
    // Service-side: the record carries what the match compares.
    let r = hpv_record(&[]);
    assert_eq!(
        r.child.nhs_number,
        Some(NhsNumber::parse("9449306168").unwrap())
    );
    assert_eq!(r.programme, Programme::Hpv);
    assert_eq!(r.date, NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
    assert_eq!(r.child.school_urn.as_deref(), Some("123456"));
    assert_eq!(r.time, None);
}

fn site(text: &str) -> (Option<AnatomicalSite>, Option<DeliveryMethod>) {
    let r = hpv_record(&[("ANATOMICAL_SITE", text)]);
    (r.site, r.delivery_method)
}

cases! {
    r_18_batch_number => assert_eq!(hpv_record(&[]).batch_number.as_ref().map(mavis_domain::BatchNumber::as_str), Some("123"));
    r_19_batch_expiry => assert_eq!(hpv_record(&[]).batch_expiry, NaiveDate::from_ymd_opt(2021, 1, 1));
    r_20_nasal_method => assert_eq!(site("nasal").1, Some(DeliveryMethod::NasalSpray));
    r_21_thigh_method => assert_eq!(site("left thigh").1, Some(DeliveryMethod::Intramuscular));
    // Not in the Mavis spec, used by the national fixtures (derived).
    r_32b_deltoids => assert_eq!((site("left deltoid").0, site("right deltoid").0), (Some(AnatomicalSite::LeftArmUpper), Some(AnatomicalSite::RightArmUpper)));
}

/// One test per site text: `name: text => site;`, the site a row with
/// that `ANATOMICAL_SITE` records.
macro_rules! site_cases {
    ($($name:ident: $text:literal => $site:ident;)*) => {
        $(
            #[test]
            fn $name() {
                assert_eq!(site($text).0, Some(AnatomicalSite::$site), "{}", stringify!($name));
            }
        )*
    };
}

site_cases! {
    r_22_left_thigh: "left thigh" => LeftThigh;
    r_23_right_thigh: "right thigh" => RightThigh;
    r_24_left_upper_arm: "left upper arm" => LeftArmUpper;
    r_25_right_upper_arm: "right upper arm" => RightArmUpper;
    r_26_left_arm_upper_position: "left arm (upper position)" => LeftArmUpper;
    r_27_right_arm_upper_position: "right arm (upper position)" => RightArmUpper;
    r_28_left_arm_lower_position: "left arm (lower position)" => LeftArmLower;
    r_29_right_arm_lower_position: "right arm (lower position)" => RightArmLower;
    r_30_left_buttock: "left buttock" => LeftButtock;
    r_31_right_buttock: "right buttock" => RightButtock;
    r_32_nose: "nasal" => Nose;
}

fn dose_of(programme: Programme, name: &str, vaccine: &str, dose: &str) -> Option<u8> {
    let cells = [
        ("PROGRAMME", name),
        ("VACCINE_GIVEN", vaccine),
        ("DOSE_SEQUENCE", dose),
    ];
    let c = Setup::poc()
        .programmes(&[programme])
        .run(&with(hpv(), &cells));
    c.record()
        .dose_sequence
        .map(mavis_domain::DoseSequence::number)
}

use Programme::{Hpv as HPV, MenAcwy as MEN, Mmr as MMR, TdIpv as TD};

cases! {
    r_33_hpv_default_dose => assert_eq!(dose_of(HPV, "HPV", "Gardasil9", ""), Some(1));
    r_34_td_ipv_no_default => assert_eq!(dose_of(TD, "3-in-1", "Revaxis", ""), None);
    r_35_menacwy_no_default => assert_eq!(dose_of(MEN, "MenACWY", "MenQuadfi", ""), None);
    r_36_unreadable_dose => Setup::poc().run(&with(hpv(), &[("DOSE_SEQUENCE", "abc")])).assert_exact("DOSE_SEQUENCE", &["Enter a dose sequence number, for example, 1, 2 or 3."]);
    r_37_no_programme_no_dose_check => {
        let c = Setup::poc().run(&with(
            hpv(),
            &[("PROGRAMME", "Unknown"), ("VACCINE_GIVEN", "Unknown"), ("DOSE_SEQUENCE", "abc")],
        ));
        c.assert_exact("PROGRAMME", &["This programme is not available in this session."]);
        assert!(c.of("DOSE_SEQUENCE").is_empty());
    };
    r_38_hpv_1 => assert_eq!(dose_of(HPV, "HPV", "Gardasil9", "1"), Some(1));
    r_39_hpv_1p => assert_eq!(dose_of(HPV, "HPV", "Gardasil9", "1P"), Some(1));
    r_40_hpv_2p => assert_eq!(dose_of(HPV, "HPV", "Gardasil9", "2P"), Some(2));
    r_41_hpv_3p => assert_eq!(dose_of(HPV, "HPV", "Gardasil9", "3P"), Some(3));
    r_42_menacwy_1p => assert_eq!(dose_of(MEN, "MenACWY", "MenQuadfi", "1P"), Some(1));
    r_43_menacwy_1b => assert_eq!(dose_of(MEN, "MenACWY", "MenQuadfi", "1B"), Some(2));
    r_44_menacwy_2b => assert_eq!(dose_of(MEN, "MenACWY", "MenQuadfi", "2B"), Some(3));
    r_45_mmr_1p => assert_eq!(dose_of(MMR, "MMR", "Priorix", "1P"), Some(1));
    r_46_mmr_1b => assert_eq!(dose_of(MMR, "MMR", "Priorix", "1B"), Some(2));
    r_47_td_ipv_1p => assert_eq!(dose_of(TD, "Td/IPV", "Revaxis", "1P"), Some(1));
    r_48_td_ipv_2p => assert_eq!(dose_of(TD, "Td/IPV", "Revaxis", "2P"), Some(2));
    r_49_td_ipv_3p => assert_eq!(dose_of(TD, "Td/IPV", "Revaxis", "3P"), Some(3));
    r_50_td_ipv_1b => assert_eq!(dose_of(TD, "Td/IPV", "Revaxis", "1B"), Some(4));
    r_51_td_ipv_2b => assert_eq!(dose_of(TD, "Td/IPV", "Revaxis", "2B"), Some(5));
}

/// The location name of HPV′ (HPV − CARE_SETTING) with `cells`.
fn location_of(setup: &Setup, cells: &[(&str, &str)]) -> Option<String> {
    let c = setup.run(&with(without(hpv(), &["CARE_SETTING"]), cells));
    c.record().location_name.clone()
}

fn location(cells: &[(&str, &str)], expected: &str) {
    assert_eq!(location_of(&Setup::poc(), cells).as_deref(), Some(expected));
}

#[test]
fn r_52_offline_at_a_school_has_no_location_name() {
    let setup = Setup::poc().session(&[Programme::Hpv]).user(USER);
    let name = location_of(
        &setup,
        &[
            ("DATE_OF_VACCINATION", "20260313"),
            ("SESSION_ID", S_TEXT),
            ("ORGANISATION_CODE", "ABC"),
            ("PERFORMING_PROFESSIONAL_EMAIL", USER),
            ("DOSE_SEQUENCE", "1"),
        ],
    );
    assert_eq!(name, None);
}

#[test]
fn r_54_clinic_of_another_team() {
    let setup = Setup::poc().clinic("Some Clinic");
    assert_eq!(
        location_of(&setup, &[("SCHOOL_NAME", "Waterloo Road")]).as_deref(),
        Some("Waterloo Road")
    );
}

cases! {
    r_53_school_name => location(&[("SCHOOL_NAME", "Waterloo Road")], "Waterloo Road");
    r_55_urn_and_name => location(&[("SCHOOL_URN", "123456"), ("SCHOOL_NAME", "Waterloo Road")], "Waterloo Road");
    r_56_known_school_name_wins => location(&[("SCHOOL_URN", "123456")], "Waterloo Road");
    r_57_community_without_clinic => location(&[("SCHOOL_URN", "123456"), ("SCHOOL_NAME", "Waterloo Road"), ("CARE_SETTING", "2")], "Unknown");
    r_58_location_type_not_school => location(&[("SCHOOL_URN", "123456"), ("SCHOOL_NAME", "Waterloo Road"), ("Event Location Type", "Hospital")], "Unknown");
    r_59_home_educated_community => location(&[("SCHOOL_URN", "999999"), ("SCHOOL_NAME", ""), ("CARE_SETTING", "2")], "Unknown");
    r_60_home_educated_clinic => location(&[("SCHOOL_URN", "999999"), ("SCHOOL_NAME", ""), ("CARE_SETTING", "2"), ("CLINIC_NAME", "A Clinic")], "A Clinic");
    r_61_systm_one_clinic => location(&[("School Code", "999999"), ("School", ""), ("Event Location Type", "Clinic"), ("Event Done At", "A Clinic")], "A Clinic");
    r_62_home_educated_no_name => location(&[("SCHOOL_URN", "999999"), ("SCHOOL_NAME", "")], "Unknown");
    r_63_clinic_name_without_setting => location(&[("SCHOOL_URN", "999999"), ("SCHOOL_NAME", ""), ("CLINIC_NAME", "A Clinic")], "A Clinic");
    r_64_unknown_school_school_setting => location(&[("SCHOOL_URN", "888888"), ("SCHOOL_NAME", "Waterloo Road"), ("CARE_SETTING", "1")], "Waterloo Road");
    r_65_school_setting_ignores_clinic => location(&[("SCHOOL_URN", "888888"), ("SCHOOL_NAME", "Waterloo Road"), ("CARE_SETTING", "1"), ("CLINIC_NAME", "A Clinic")], "Waterloo Road");
    r_66_unknown_school_community => location(&[("SCHOOL_URN", "888888"), ("SCHOOL_NAME", "Waterloo Road"), ("CARE_SETTING", "2")], "Unknown");
    r_67_unknown_school_clinic => location(&[("SCHOOL_URN", "888888"), ("SCHOOL_NAME", "Waterloo Road"), ("CARE_SETTING", "2"), ("CLINIC_NAME", "A Clinic")], "A Clinic");
    r_68_unknown_school_no_setting => location(&[("SCHOOL_URN", "888888"), ("SCHOOL_NAME", "Waterloo Road")], "Waterloo Road");
    r_69_unknown_school_clinic_no_setting => location(&[("SCHOOL_URN", "888888"), ("SCHOOL_NAME", "Waterloo Road"), ("CLINIC_NAME", "A Clinic")], "A Clinic");
}

fn not_vaccinated(reason: &str) -> Outcome {
    hpv_record(&[
        ("VACCINATED", "N"),
        ("BATCH_EXPIRY_DATE", ""),
        ("BATCH_NUMBER", ""),
        ("ANATOMICAL_SITE", ""),
        ("REASON_NOT_VACCINATED", reason),
    ])
    .outcome
}

use ReasonNotVaccinated as Why;

cases! {
    r_70_no_notes => assert_eq!(hpv_record(&[]).notes, None);
    r_71_notes => assert_eq!(hpv_record(&[("NOTES", "Some notes.")]).notes.as_deref(), Some("Some notes."));
    r_72_administered => assert_eq!(hpv_record(&[]).outcome, Outcome::Administered);
    r_73_y => assert_eq!(hpv_record(&[("VACCINATED", "Y")]).outcome, Outcome::Administered);
    r_74_yes => assert_eq!(hpv_record(&[("VACCINATED", "Yes")]).outcome, Outcome::Administered);
    r_75_refused => assert_eq!(not_vaccinated("refused"), Outcome::NotAdministered(Why::Refused));
    r_76_unwell => assert_eq!(not_vaccinated("unwell"), Outcome::NotAdministered(Why::Unwell));
    r_77_contraindicated => assert_eq!(not_vaccinated("vaccination contraindicated"), Outcome::NotAdministered(Why::Contraindicated));
    r_78_already_had => assert_eq!(not_vaccinated("already had elsewhere"), Outcome::NotAdministered(Why::AlreadyHad));
}

/// matching the row to an existing patient is the
/// service's. The validator hands it the child as written, with the NHS
/// number, date of birth and canonical postcode the matching compares.
fn identity(cells: &[(&str, &str)], remove_nhs: bool) -> mavis_import::ChildIdentity {
    let mut base = with(hpv(), cells);
    if remove_nhs {
        base = without(base, &["NHS_NUMBER"]);
    }
    Setup::poc().run(&base).record().child.clone()
}

fn harry(c: &mavis_import::ChildIdentity) {
    assert_eq!(
        (c.given_name.as_str(), c.family_name.as_str()),
        ("Harry", "Potter")
    );
    assert_eq!(
        c.date_of_birth,
        NaiveDate::from_ymd_opt(2012, 1, 1).unwrap()
    );
    assert_eq!(c.postcode.as_ref().map(Postcode::as_str), Some("SW1A 1AA"));
}

cases! {
    r_79_patient_attached => harry(&identity(&[], false));
    r_80_new_patient_details => harry(&identity(&[], false));
    r_81_match_by_nhs_number => assert_eq!(identity(&[], false).nhs_number, Some(NhsNumber::parse("9449306168").unwrap()));
    r_82_match_on_four_fields => {
        let c = identity(&[], true);
        harry(&c);
        assert_eq!(c.nhs_number, None);
    };
    r_83_postcode_differs => harry(&identity(&[], true));
    r_84_birth_date_differs => harry(&identity(&[], true));
    r_85_family_name_differs => harry(&identity(&[], true));
    r_86_twin => harry(&identity(&[], true));
    r_87_both_twins => harry(&identity(&[], true));
    r_88_twins_without_nhs_numbers => harry(&identity(&[], true));
    r_89_no_demographic_changes => harry(&identity(&[("PERSON_POSTCODE", "SW1A 1AA")], false));
    r_90_names_any_case_postcode_normalised => {
        let c = identity(
            &[("PERSON_FORENAME", "RON"), ("PERSON_SURNAME", "WEASLEY"), ("PERSON_POSTCODE", "sw1a 1aa")],
            true,
        );
        assert_eq!((c.given_name.as_str(), c.family_name.as_str()), ("RON", "WEASLEY"));
        assert_eq!(c.postcode.as_ref().map(Postcode::as_str), Some("SW1A 1AA"));
    };
    r_91_in_memory_candidate => harry(&identity(&[], false));
    r_92_postcode => assert_eq!(identity(&[("PERSON_POSTCODE", "SW1 1AA")], false).postcode.as_ref().map(Postcode::as_str), Some("SW1 1AA"));
    r_93_postcode_normalised => assert_eq!(identity(&[("PERSON_POSTCODE", "sw11aa")], false).postcode.as_ref().map(Postcode::as_str), Some("SW1 1AA"));
    r_94_birth_date => assert_eq!(identity(&[("PERSON_DOB", "20230901")], false).date_of_birth, NaiveDate::from_ymd_opt(2023, 9, 1).unwrap());
    r_95_birth_date_dd_mm_yyyy => assert_eq!(identity(&[("PERSON_DOB", "01/09/2023")], false).date_of_birth, NaiveDate::from_ymd_opt(2023, 9, 1).unwrap());
}

fn gender(column: &str, text: &str) -> Gender {
    let c = Setup::poc().run(&with(
        without(hpv(), &["PERSON_GENDER_CODE"]),
        &[(column, text)],
    ));
    c.record().child.gender
}

cases! {
    r_96 => assert_eq!(gender("PERSON_GENDER_CODE", "Unknown"), Gender::NotKnown);
    r_97 => assert_eq!(gender("PERSON_GENDER_CODE", "Indeterminate"), Gender::NotKnown);
    r_98 => assert_eq!(gender("PERSON_GENDER_CODE", "Not Known"), Gender::NotKnown);
    r_99 => assert_eq!(gender("PERSON_GENDER_CODE", "Male"), Gender::Male);
    r_100 => assert_eq!(gender("PERSON_GENDER_CODE", "Female"), Gender::Female);
    r_101 => assert_eq!(gender("PERSON_GENDER_CODE", "Not Specified"), Gender::NotSpecified);
    r_102 => assert_eq!(gender("PERSON_GENDER", "Unknown"), Gender::NotKnown);
    r_103 => assert_eq!(gender("PERSON_GENDER", "Indeterminate"), Gender::NotKnown);
    r_104 => assert_eq!(gender("PERSON_GENDER", "Not Known"), Gender::NotKnown);
    r_105 => assert_eq!(gender("PERSON_GENDER", "Male"), Gender::Male);
    r_106 => assert_eq!(gender("PERSON_GENDER", "Female"), Gender::Female);
    r_107 => assert_eq!(gender("PERSON_GENDER", "Not Specified"), Gender::NotSpecified);
    r_108 => assert_eq!(gender("Sex", "Unknown"), Gender::NotKnown);
    r_109 => assert_eq!(gender("Sex", "Indeterminate"), Gender::NotKnown);
    r_110 => assert_eq!(gender("Sex", "Not Known"), Gender::NotKnown);
    r_111 => assert_eq!(gender("Sex", "Male"), Gender::Male);
    r_112 => assert_eq!(gender("Sex", "Female"), Gender::Female);
    r_113 => assert_eq!(gender("Sex", "Not Specified"), Gender::NotSpecified);
}

fn time_of(text: &str) -> String {
    hpv_record(&[("TIME_OF_VACCINATION", text)])
        .time
        .expect("a time")
        .format("%H:%M:%S")
        .to_string()
}

cases! {
    r_114 => assert_eq!(time_of("10:15:30"), "10:15:30");
    r_115 => assert_eq!(time_of("101530"), "10:15:30");
    r_116 => assert_eq!(time_of("10:15"), "10:15:00");
    r_117 => assert_eq!(time_of("1015"), "10:15:00");
    r_118 => assert_eq!(time_of("10"), "10:00:00");
}

fn with_user(cells: &[(&str, &str)]) -> ImportedRecord {
    Setup::poc()
        .user(USER)
        .run(&with(hpv(), cells))
        .record()
        .clone()
}

fn offline_hpv() -> ImportedRecord {
    let c = Setup::poc()
        .session(&[Programme::Hpv])
        .user(USER)
        .run(&with(
            hpv(),
            &[
                ("DATE_OF_VACCINATION", "20260313"),
                ("SESSION_ID", S_TEXT),
                ("ORGANISATION_CODE", "ABC"),
                ("PERFORMING_PROFESSIONAL_EMAIL", USER),
                ("DOSE_SEQUENCE", "1"),
            ],
        ));
    c.record().clone()
}

cases! {
    r_119_unknown_performer => Setup::poc().run(&with(hpv(), &[("PERFORMING_PROFESSIONAL_EMAIL", USER)])).assert_exact("PERFORMING_PROFESSIONAL_EMAIL", &["Enter a valid email address."]);
    r_120_performer_user => assert_eq!(with_user(&[("PERFORMING_PROFESSIONAL_EMAIL", USER)]).performed_by .as_ref().and_then(Performer::email).map(Email::as_str), Some(USER));
    r_121_unknown_supplier => Setup::poc().run(&with(hpv(), &[("SUPPLIER_EMAIL", USER)])).assert_exact("SUPPLIER_EMAIL", &["Enter a valid email address."]);
    // Issue 17, item 1 (supplier different from the performer): a known
    // supplier with no performer makes Mavis 7.3.0's import fail, so the
    // row cases with a supplier alone name the performer too, or expect
    // the row refused.
    r_122_supplier => assert_eq!(with_user(&[("SUPPLIER_EMAIL", USER), ("PERFORMING_PROFESSIONAL_EMAIL", USER)]).supplied_by.as_ref().map(Email::as_str), Some(USER));
    r_123_ods_code => assert_eq!(hpv_record(&[("ORGANISATION_CODE", "ABC")]).performed_ods_code.as_deref(), Some("ABC"));
    r_124_programme => assert_eq!(hpv_record(&[("PROGRAMME", "HPV"), ("VACCINE_GIVEN", "")]).programme, Programme::Hpv);
    r_125_programme_any_case => assert_eq!(hpv_record(&[("PROGRAMME", "hpv"), ("VACCINE_GIVEN", "")]).programme, Programme::Hpv);
    r_126_pgd => assert_eq!(hpv_record(&[]).protocol, Protocol::Pgd);
    r_127_national => Setup::poc().user(USER).run(&with(hpv(), &[("SUPPLIER_EMAIL", USER)])).assert_exact("SUPPLIER_EMAIL", &[mavis_import::SUPPLIER_IS_NOT_THE_PERFORMER]);
    // R-128 expects PSD: it needs the child's patient-specific direction,
    // which the reference data does not carry. Without it a nasal spray
    // with a supplier is PGD, as R-129 says.
    r_128_psd_needs_psd_data => assert_eq!(Setup::poc().programmes(&[Programme::Flu]).user(USER).run(&with(flu(), &[("SUPPLIER_EMAIL", USER), ("PERFORMING_PROFESSIONAL_EMAIL", USER)])).record().protocol, Protocol::Pgd);
    r_129_nasal_with_supplier_is_pgd => assert_eq!(Setup::poc().programmes(&[Programme::Flu]).user(USER).run(&with(flu(), &[("SUPPLIER_EMAIL", USER), ("PERFORMING_PROFESSIONAL_EMAIL", USER)])).record().protocol, Protocol::Pgd);
    r_130_historical_upload => assert_eq!(hpv_record(&[]).source, RecordSource::HistoricalUpload);
    r_131_offline_is_service => {
        let r = offline_hpv();
        assert_eq!((r.source, r.session_id), (RecordSource::Service, Some(S)));
    };
    r_132_blank_expiry => assert_eq!(hpv_record(&[("BATCH_EXPIRY_DATE", "")]).batch_expiry, None);
    r_133_zz99_3vz => assert_eq!(identity(&[("PERSON_POSTCODE", "ZZ99 3VZ")], false).postcode.as_ref().map(Postcode::as_str), Some("ZZ99 3VZ"));
    r_134_zz99_3wz => assert_eq!(identity(&[("PERSON_POSTCODE", "ZZ99 3WZ")], false).postcode.as_ref().map(Postcode::as_str), Some("ZZ99 3WZ"));
    r_135_zz99_3cz => assert_eq!(identity(&[("PERSON_POSTCODE", "ZZ99 3CZ")], false).postcode.as_ref().map(Postcode::as_str), Some("ZZ99 3CZ"));
    r_136_local_ids_ignored => assert_eq!(hpv_record(&[("LOCAL_PATIENT_ID", "CIN-OXFORD-pat123456"), ("LOCAL_PATIENT_ID_URI", "https://cinnamon.nhs.uk/0de/system1")]).local_patient_id, None);
}

/// the row names an NHS Immunisations API record by UUID,
/// without batch, vaccine or site. Whether it returns that record and what
/// it stages is the service's; the validator accepts the row and hands on
/// the UUID.
fn api_record_again(extra: &[(&str, &str)]) {
    let setup = with_api_record(Setup::poc());
    let cells = with(
        with(
            hpv(),
            &[
                ("UUID", API_UUID),
                ("PERSON_DOB", "2012-01-01"),
                ("BATCH_EXPIRY_DATE", ""),
                ("BATCH_NUMBER", ""),
                ("VACCINE_GIVEN", ""),
            ],
        ),
        extra,
    );
    let c = setup.run(&cells);
    assert_eq!(c.record().uuid, Some(RecordUuid::parse(API_UUID).unwrap()));
}

cases! {
    r_137 => api_record_again(&[("ANATOMICAL_SITE", "")]);
    r_138 => api_record_again(&[("ANATOMICAL_SITE", "")]);
    r_139 => api_record_again(&[]);
    r_140 => api_record_again(&[]);
    r_141 => api_record_again(&[("ANATOMICAL_SITE", ""), ("DOSE_SEQUENCE", "2")]);
}

// ---------------------------------------------------------------- D

fn nr_record(cells: &Row) -> ImportedRecord {
    Setup::nr().user(USER).run(cells).record().clone()
}

fn snomed(base: Row, vaccine: &str, site: &str) -> &'static str {
    let r = nr_record(&with(
        base,
        &[("VACCINE_GIVEN", vaccine), ("ANATOMICAL_SITE", site)],
    ));
    r.vaccine.expect("a vaccine").info().snomed_product_code
}

fn nr_postcode(base: Row, pc: &str) {
    let r = nr_record(&with(base, &[("PERSON_POSTCODE", pc)]));
    assert_eq!(r.child.postcode.as_ref().map(Postcode::as_str), Some(pc));
}

fn no_record() {
    let c = Setup::nr().run(&row(&[("VACCINATED", "N")]));
    c.assert_valid();
    assert!(c.report.records.is_empty());
    assert_eq!(c.report.skipped_not_vaccinated, 1);
}

fn mavis_only_ignored(base: Row, programme: &str, vaccination_type: &str) -> ImportedRecord {
    let setup = Setup::nr()
        .user(USER)
        .session(&[Programme::Flu, Programme::Hpv]);
    let mut extra = mavis_extra(USER, S_TEXT);
    for (k, v) in &mut extra {
        if *k == "PROGRAMME" {
            *v = programme.into();
        }
        if *k == "Vaccination type" {
            *v = vaccination_type.into();
        }
    }
    let r = setup.run(&extend(base, &extra)).record().clone();
    assert_eq!((r.notes.as_ref(), r.location_name.as_ref()), (None, None));
    assert_eq!(r.session_id, None);
    assert_eq!(r.uuid, None);
    assert_eq!(r.supplied_by, None);
    assert_eq!(r.child.school_urn.as_deref(), Some("123456"));
    r
}

/// D-18 to D-22, D-40 to D-42: whether a national row reuses an existing
/// record is the service's decision, on the fields the record carries.
fn nr_match_fields(base: &Row) {
    let r = nr_record(base);
    assert_eq!(r.date, NaiveDate::from_ymd_opt(2026, 1, 5).unwrap());
    assert!(r.vaccine.is_some() && r.site.is_some() && r.delivery_method.is_some());
    assert!(r.batch_number.is_some() && r.batch_expiry.is_some());
    assert!(r.local_patient_id.is_some());
}

cases! {
    d_01_administered => assert_eq!(nr_record(&nr_flu()).outcome, Outcome::Administered);
    d_02_programme => assert_eq!(nr_record(&nr_flu()).programme, Programme::Flu);
    d_03_source => assert_eq!(nr_record(&nr_flu()).source, RecordSource::NationalReporting);
    d_04_local_patient_id => assert_eq!(nr_record(&nr_flu()).local_patient_id.map(|l| l.0).as_deref(), Some("CIN-OXFORD-pat123456"));
    d_05_local_patient_id_uri => assert_eq!(nr_record(&nr_flu()).local_patient_id.map(|l| l.1).as_deref(), Some("https://cinnamon.nhs.uk/0de/system1"));
    d_06_location_is_the_school => {
        let r = nr_record(&nr_flu());
        assert_eq!((r.child.school_urn.as_deref(), r.location_name), (Some("123456"), None));
    };
    d_07_batch_number => assert_eq!(nr_record(&nr_flu()).batch_number.as_ref().map(mavis_domain::BatchNumber::as_str), Some("123"));
    d_08_batch_expiry => assert_eq!(nr_record(&nr_flu()).batch_expiry, NaiveDate::from_ymd_opt(2026, 1, 6));
    d_09_unknown_school => nr_record(&with(nr_flu(), &[("SCHOOL_URN", "888888"), ("SCHOOL_NAME", "")]));
    d_10_not_vaccinated => no_record();
    d_11_mavis_only_columns => {
        let r = mavis_only_ignored(nr_flu(), "HPV", "HPV 1");
        assert_eq!(r.programme, Programme::Flu);
        assert_eq!(
            r.performed_by,
            Some(Performer::Named { given_name: "Test".into(), family_name: "User".into() })
        );
    };
    d_12_fluenz => assert_eq!(snomed(nr_flu(), "AstraZeneca Fluenz LAIV", "nasal"), "43208811000001106");
    d_13_viatris => assert_eq!(snomed(nr_flu(), "Viatris Quadrivalent Influvac sub - unit Tetra - QIVe", "right deltoid"), "45354911000001100");
    d_14_seqirus => assert_eq!(snomed(nr_flu(), "Seqirus Cell-Based Trivalent IIVc", "right deltoid"), "43207411000001105");
    d_15 => nr_postcode(nr_flu(), "ZZ99 3VZ");
    d_16 => nr_postcode(nr_flu(), "ZZ99 3WZ");
    d_17 => nr_postcode(nr_flu(), "ZZ99 3CZ");
    d_18 => nr_match_fields(&nr_flu());
    d_19 => nr_match_fields(&nr_flu());
    d_20 => nr_match_fields(&nr_flu());
    d_21 => nr_match_fields(&nr_flu());
    d_22 => nr_match_fields(&nr_flu());
    d_23_administered => assert_eq!(nr_record(&nr_hpv()).outcome, Outcome::Administered);
    d_24_programme => assert_eq!(nr_record(&nr_hpv()).programme, Programme::Hpv);
    d_25_source => assert_eq!(nr_record(&nr_hpv()).source, RecordSource::NationalReporting);
    d_26_local_patient_id => assert_eq!(nr_record(&nr_hpv()).local_patient_id.map(|l| l.0).as_deref(), Some("CIN-OXFORD-pat123456"));
    d_27_local_patient_id_uri => assert_eq!(nr_record(&nr_hpv()).local_patient_id.map(|l| l.1).as_deref(), Some("https://cinnamon.nhs.uk/0de/system1"));
    d_28_location_is_the_school => assert_eq!(nr_record(&nr_hpv()).child.school_urn.as_deref(), Some("123456"));
    d_29_batch_number => assert_eq!(nr_record(&nr_hpv()).batch_number.as_ref().map(mavis_domain::BatchNumber::as_str), Some("123"));
    d_30_batch_expiry => assert_eq!(nr_record(&nr_hpv()).batch_expiry, NaiveDate::from_ymd_opt(2026, 1, 6));
    d_31_gardasil => assert_eq!(snomed(nr_hpv(), "Gardasil", "Left Deltoid"), "10880211000001104");
    d_32_gardasil9 => assert_eq!(snomed(nr_hpv(), "Gardasil9", "Left Deltoid"), "33493111000001108");
    d_33_cervarix => assert_eq!(snomed(nr_hpv(), "Cervarix", "Left Deltoid"), "12238911000001100");
    d_34_unknown_school => nr_record(&with(nr_hpv(), &[("SCHOOL_URN", "888888"), ("SCHOOL_NAME", "")]));
    d_35_not_vaccinated => no_record();
    d_36_mavis_only_columns => {
        let r = mavis_only_ignored(nr_hpv(), "Flu", "flu 1");
        assert_eq!(r.programme, Programme::Hpv);
        assert!(!matches!(r.performed_by, Some(Performer::User { .. })));
    };
    d_37 => nr_postcode(nr_hpv(), "ZZ99 3VZ");
    d_38 => nr_postcode(nr_hpv(), "ZZ99 3WZ");
    d_39 => nr_postcode(nr_hpv(), "ZZ99 3CZ");
    d_40 => nr_match_fields(&nr_hpv());
    d_41 => nr_match_fields(&nr_hpv());
    d_42 => nr_match_fields(&nr_hpv());
}

// ---------------------------------------------------------------- E

fn read(header: &str, value: &str, column: Column) -> Option<String> {
    let h = Header::new(&[header], UploadType::PointOfCare);
    let row: RowText = [value].into_iter().collect();
    h.get(&row, column).map(std::borrow::Cow::into_owned)
}

fn expiry(value: &str) -> Option<NaiveDate> {
    read("BATCH_EXPIRY_DATE", value, Column::BatchExpiryDate).and_then(|t| parse_date(&t))
}

fn alias(header: &str, value: &str, column: Column) {
    assert_eq!(
        read(header, value, column).as_deref(),
        Some(value),
        "{header}"
    );
}

use Column as Col;

cases! {
    a_01_no_expiry_column => {
        let h = Header::new(&["X"], UploadType::PointOfCare);
        assert_eq!(h.get(&["x"].into_iter().collect(), Col::BatchExpiryDate), None);
    };
    a_02_unreadable_expiry => {
        assert_eq!(expiry("abc"), None);
        // As a row, an unreadable expiry on a vaccinated row is an error.
        Setup::poc()
            .run(&with(hpv(), &[("BATCH_EXPIRY_DATE", "abc")]))
            .assert_exact("BATCH_EXPIRY_DATE", &["Enter a date in the correct format."]);
    };
    a_03_expiry => assert_eq!(expiry("20100101"), NaiveDate::from_ymd_opt(2010, 1, 1));
    a_04_expiry_dd_mm_yyyy => assert_eq!(expiry("01/09/2027"), NaiveDate::from_ymd_opt(2027, 9, 1));
    a_05 => alias("BATCH_NUMBER", "abc", Col::BatchNumber);
    a_06 => alias("Vaccination Batch Number", "abc", Col::BatchNumber);
    a_07 => alias("CLINIC_NAME", "Hospital", Col::ClinicName);
    a_08 => alias("Event Done At", "Hospital", Col::ClinicName);
    a_09 => alias("DATE_OF_VACCINATION", "01/01/2020", Col::DateOfVaccination);
    a_10 => alias("Event Date", "01/01/2020", Col::DateOfVaccination);
    a_11 => alias("PERSON_DOB", "01/01/2020", Col::PersonDob);
    a_12 => alias("Date of Birth", "01/01/2020", Col::PersonDob);
    a_13 => alias("PERSON_FORENAME", "Sally", Col::PersonForename);
    a_14 => alias("First name", "Sally", Col::PersonForename);
    a_15 => alias("PERSON_GENDER_CODE", "male", Col::PersonGenderCode);
    a_16 => alias("PERSON_GENDER", "female", Col::PersonGenderCode);
    a_17 => alias("Sex", "unknown", Col::PersonGenderCode);
    a_18 => alias("PERSON_SURNAME", "Phillips", Col::PersonSurname);
    a_19 => alias("Surname", "Phillips", Col::PersonSurname);
    a_20 => alias("PERFORMING_PROFESSIONAL_FORENAME", "John", Col::PerformingProfessionalForename);
    a_21 => alias("PERFORMING_PROFESSIONAL_SURNAME", "Smith", Col::PerformingProfessionalSurname);
    a_22 => alias("SCHOOL_NAME", "Waterloo Road", Col::SchoolName);
    a_23 => alias("School", "Waterloo Road", Col::SchoolName);
    a_24 => alias("SCHOOL_URN", "123456", Col::SchoolUrn);
    a_25 => alias("School Code", "123456", Col::SchoolUrn);
    // When a Mavis column and its alias are both there, the Mavis column
    // wins (derived).
    a_26_mavis_column_wins => {
        let h = Header::new(&["School", "SCHOOL_NAME"], UploadType::PointOfCare);
        let row: RowText = ["A", "B"].into_iter().collect();
        assert_eq!(h.get(&row, Col::SchoolName).as_deref(), Some("B"));
    };
}

// Issue 17: where Mavis 7.3.0's own code decides otherwise than the spec,
// one test per item, named after it.

const OTHER_USER: &str = "other.nurse@example.com";

/// Item 1: a known supplier other than the performer (or with none) makes
/// Mavis's import job fail; the row is refused at SUPPLIER_EMAIL, saying
/// what to do. The same person in another case is not "other".
fn supplier_different_from_the_performer() {
    let setup = Setup::poc().user(USER).user(OTHER_USER);
    let offline = |cells: &[(&str, &str)]| with(hpv(), cells);
    let refused = [mavis_import::SUPPLIER_IS_NOT_THE_PERFORMER];
    setup
        .run(&offline(&[
            ("PERFORMING_PROFESSIONAL_EMAIL", USER),
            ("SUPPLIER_EMAIL", OTHER_USER),
        ]))
        .assert_exact("SUPPLIER_EMAIL", &refused);
    setup
        .run(&offline(&[
            ("PERFORMING_PROFESSIONAL_EMAIL", ""),
            ("SUPPLIER_EMAIL", OTHER_USER),
        ]))
        .assert_exact("SUPPLIER_EMAIL", &refused);
    setup
        .run(&offline(&[
            ("PERFORMING_PROFESSIONAL_EMAIL", "nobody@example.com"),
            ("SUPPLIER_EMAIL", OTHER_USER),
        ]))
        .assert_exact("SUPPLIER_EMAIL", &refused);
    for same in [USER, "Nurse@Example.com"] {
        setup
            .run(&offline(&[
                ("PERFORMING_PROFESSIONAL_EMAIL", USER),
                ("SUPPLIER_EMAIL", same),
            ]))
            .assert_valid();
    }
    setup
        .run(&offline(&[
            ("PERFORMING_PROFESSIONAL_EMAIL", USER),
            ("SUPPLIER_EMAIL", ""),
        ]))
        .assert_valid();
}

cases! {
    item_01_supplier_different_from_the_performer => supplier_different_from_the_performer();
}

/// `rows` (of the same columns) as a CSV of a header and the rows, joined
/// by `between`.
fn csv_of(rows: &[Row], between: &str) -> String {
    let header: Vec<&str> = rows[0].iter().map(|(k, _)| k.as_str()).collect();
    let body: Vec<String> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    format!("{}\r\n{}\r\n", header.join(","), body.join(between))
}

/// Item 4: a line of only spaces or tabs is skipped by Mavis's CSV parser
/// and not counted; the spec made it a row of nine errors.
fn whitespace_only_lines() {
    let setup = Setup::poc();
    let rows = [
        hpv(),
        with(
            hpv(),
            &[("PERSON_FORENAME", "Ron"), ("NHS_NUMBER", "9434765919")],
        ),
    ];
    for blank in ["   ", "\t", " \t "] {
        let text = csv_of(&rows, &format!("\r\n{blank}\r\n"));
        let mut validator = Validator::new(&setup.reference, setup.today);
        validator.now(setup.now);
        let report = validator.check_csv_bytes(text.as_bytes());
        assert!(report.is_valid(), "{blank:?}: {:?}", report.errors);
        assert_eq!(report.rows_checked, 2);
        assert_eq!(
            report.records.iter().map(|r| r.row).collect::<Vec<_>>(),
            [2, 3]
        );
    }
}

cases! {
    item_04_whitespace_only_lines => whitespace_only_lines();
}

/// Item 3: a dose typed with spaces inside is not a number to Mavis, which
/// reads the text as it is; the spec stripped the spaces.
fn dose_typed_with_spaces_inside() {
    let setup = Setup::poc();
    for dose in ["+ 1", "0 1", "1 0"] {
        setup
            .run(&with(hpv(), &[("DOSE_SEQUENCE", dose)]))
            .assert_exact(
                "DOSE_SEQUENCE",
                &["Enter a dose sequence number, for example, 1, 2 or 3."],
            );
    }
    for dose in [" 1 ", "+1", "01"] {
        setup
            .run(&with(hpv(), &[("DOSE_SEQUENCE", dose)]))
            .assert_valid();
    }
}

cases! {
    item_03_dose_typed_with_spaces_inside => dose_typed_with_spaces_inside();
}

impl Setup {
    /// Whether Mavis's duplicate check pairs rows `a` and `b` (of the same
    /// columns) of one file.
    fn duplicates(&self, a: &Row, b: &Row) -> bool {
        let header: Vec<&str> = a.iter().map(|(k, _)| k.as_str()).collect();
        let values = |r: &Row| r.iter().map(|(_, v)| v.clone()).collect::<Vec<String>>();
        let mut validator = Validator::new(&self.reference, self.today);
        validator.now(self.now);
        let report = validator.check_table(&header, [(2, values(a)), (3, values(b))]);
        let duplicate = |row: u32| {
            report
                .errors
                .iter()
                .any(|e| e.row() == row && e.message.contains("appears to be a duplicate"))
        };
        assert_eq!(duplicate(2), duplicate(3), "{:?}", report.errors);
        duplicate(2)
    }
}

/// Item 2: a blank flu or HPV dose is 1 to Mavis on every row, offline rows
/// too, and so in the duplicate key: N rows for the same child and date,
/// one dose blank and one 1, are duplicates.
fn default_dose_in_the_duplicate_key() {
    let not_vaccinated = |dose: &str| {
        with(
            hpv(),
            &[
                ("VACCINATED", "N"),
                ("REASON_NOT_VACCINATED", "unwell"),
                ("DOSE_SEQUENCE", dose),
            ],
        )
    };
    let historical = Setup::poc();
    assert!(historical.duplicates(&not_vaccinated(""), &not_vaccinated("1")));
    assert!(!historical.duplicates(&not_vaccinated("2"), &not_vaccinated("1")));
    let offline = Setup::poc().session(&[Programme::Hpv]).user(USER);
    let offline_row = |dose: &str| {
        with(
            not_vaccinated(dose),
            &[
                ("SESSION_ID", S_TEXT),
                ("DATE_OF_VACCINATION", "20260313"),
                ("PERFORMING_PROFESSIONAL_EMAIL", USER),
            ],
        )
    };
    assert!(offline.duplicates(&offline_row(""), &offline_row("1")));
    // An unreadable dose is nothing, not 1.
    assert!(!offline.duplicates(&offline_row("x"), &offline_row("1")));
}

/// Item 8: the five cases where the spec's duplicate key was not Mavis's
/// `full_row_deduplication_attributes`.
fn the_duplicate_row_key() {
    let poc = Setup::poc();
    // A Y row that also carries a reason: Mavis ignores the reason.
    assert!(poc.duplicates(&hpv(), &with(hpv(), &[("REASON_NOT_VACCINATED", "unwell")])));
    // A vaccine of another programme: the programme is the vaccine's first.
    let both = Setup::poc().programmes(&[Programme::Hpv, Programme::Flu]);
    assert!(both.duplicates(&hpv(), &with(hpv(), &[("PROGRAMME", "Flu")])));
    // An unreadable VACCINATED against N: the same outcome to Mavis.
    let no = with(
        hpv(),
        &[("VACCINATED", "N"), ("REASON_NOT_VACCINATED", "unwell")],
    );
    assert!(poc.duplicates(&no, &with(no.clone(), &[("VACCINATED", "maybe")])));
    // (Offline rows with a blank dose: item 2.)
    // Not-vaccinated national-reporting rows: no other check, but compared.
    let nr_no = with(nr_hpv(), &[("VACCINATED", "N")]);
    assert!(Setup::nr().duplicates(&nr_no, &nr_no));
}

cases! {
    item_02_default_dose_in_the_duplicate_key => default_dose_in_the_duplicate_key();
    item_08_the_duplicate_row_key => the_duplicate_row_key();
}

/// Item 6: a cell of only non-ASCII spaces survives Mavis's whitespace
/// normalisation but is blank to `present?`, so each rule takes its blank
/// branch: the messages are those of an empty cell.
fn unicode_spaces() {
    let setup = Setup::poc();
    for space in ["\u{2003}", "\u{3000}", "\u{2003}\u{3000}", "\u{2028}"] {
        for (column, message) in [
            ("DATE_OF_VACCINATION", "Enter a date."),
            ("PERSON_FORENAME", "Enter a first name."),
        ] {
            let with_space = setup.run(&with(hpv(), &[(column, space)]));
            let empty = setup.run(&with(hpv(), &[(column, "")]));
            assert_eq!(
                with_space.of(column),
                empty.of(column),
                "{space:?} in {column}"
            );
            assert!(
                with_space.of(column).iter().any(|m| m == message),
                "{:?}",
                with_space.of(column)
            );
        }
        // VACCINATED holding only such a space is missing.
        let flag = setup.run(&with(hpv(), &[("VACCINATED", space)]));
        assert_eq!(
            flag.of("VACCINATED"),
            setup
                .run(&with(hpv(), &[("VACCINATED", "")]))
                .of("VACCINATED")
        );
    }
    // A no-break space is a space already, and a name with a non-ASCII
    // space inside is a value.
    setup
        .run(&with(hpv(), &[("PERSON_FORENAME", "Mary\u{2003}Ann")]))
        .assert_valid();
}

cases! {
    item_06_unicode_spaces => unicode_spaces();
}

/// Item 7: UUID is a PostgreSQL `uuid` column, so braces, upper case and
/// the unhyphenated form find the same record in Mavis.
fn uuid_spellings() {
    let (setup, uuid) = with_session_record();
    for spelling in [
        "{0b3d1c2a-4e5f-4a6b-8c7d-9e0f1a2b3c4d}",
        "0B3D1C2A-4E5F-4A6B-8C7D-9E0F1A2B3C4D",
        "0b3d1c2a4e5f4a6b8c7d9e0f1a2b3c4d",
        "{0B3D1C2A4E5F4A6B8C7D9E0F1A2B3C4D}",
    ] {
        let c = setup.run(&with(hpv(), &[("UUID", spelling)]));
        assert_eq!(c.record().uuid, Some(uuid), "{spelling}");
    }
    setup
        .run(&with(
            hpv(),
            &[("UUID", "0b3d1c2a-4e5f-4a6b-8c7d-9e0f1a2b3c4")],
        ))
        .assert_exact("UUID", &["Enter an existing record."]);
}

cases! {
    item_07_uuid_spellings => uuid_spellings();
}

/// Item 5: one message where Mavis gives one.
fn one_message_where_mavis_gives_one() {
    // A clinic name over 300 characters, not a known clinic either: Mavis's
    // `elsif` says only that it is too long.
    let setup = Setup::poc().session(&[Programme::Hpv]).user(USER);
    let long = "C".repeat(301);
    let row = with(
        hpv(),
        &[
            ("SESSION_ID", S_TEXT),
            ("DATE_OF_VACCINATION", "20260313"),
            ("PERFORMING_PROFESSIONAL_EMAIL", USER),
            ("CARE_SETTING", "2"),
            ("CLINIC_NAME", &long),
        ],
    );
    setup
        .run(&row)
        .assert_exact("CLINIC_NAME", &["is greater than 300 characters long"]);
    // SystmOne's Vaccination type naming no known programme: Mavis's
    // message for a programme not available, at that cell.
    let row = with(
        without(hpv(), &["PROGRAMME", "VACCINE_GIVEN", "DOSE_SEQUENCE"]),
        &[("Vaccination type", "Nonsense 1")],
    );
    let checked = Setup::poc().run(&row);
    checked.assert_includes(
        "Vaccination type",
        "This programme is not available in this session.",
    );
    checked.assert_excludes("Vaccination type", "Enter a programme.");
}

cases! {
    item_05_one_message_where_mavis_gives_one => one_message_where_mavis_gives_one();
}
