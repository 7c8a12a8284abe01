//! Hand-built sessions from the reference data set (`reference-data.md`
//! §6), each small enough to read in a snapshot.

pub mod fixtures;

use mavis_demo as demo;
use mavis_domain::chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use mavis_domain::{
    Batch, BatchNumber, Child, ChildProgramme, ChildSchool, Clinic, Consent, ConsentResponse,
    ConsentStatus, DoseSequence, Email, Gender, HealthAnswer, NhsNumber, OdsCode, Outcome,
    Performer, Postcode, Programme, RecordSource, RecordUuid, Relationship, Respondent, SchoolUrn,
    Session, SessionDocument, SessionLocation, SessionProgramme, Team, Triage, TriageStatus,
    UploadType, VaccinationRecord, Vaccine, VaccineMethod, YesNo, FORMAT_VERSION,
};

pub use mavis_test_support::{date, today};

fn email(s: &str) -> Email {
    Email::parse(s).unwrap()
}

fn riverside() -> SessionLocation {
    SessionLocation::School {
        urn: SchoolUrn::parse("141234").unwrap(),
        site: None,
    }
}

fn session(
    id: u64,
    location: SessionLocation,
    dates: Vec<NaiveDate>,
    programmes: &[(Programme, &[i32])],
    psd: bool,
) -> Session {
    Session {
        id,
        location,
        dates,
        programmes: programmes
            .iter()
            .map(|(p, years)| SessionProgramme {
                programme: *p,
                year_groups: years.to_vec(),
            })
            .collect(),
        psd_enabled: psd,
    }
}

fn batches() -> Vec<Batch> {
    [
        (
            "AstraZeneca Fluenz",
            "FL2281A",
            Some(date(2026, 6, 30)),
            false,
        ),
        (
            "AstraZeneca Fluenz",
            "FL2290B",
            Some(date(2026, 7, 31)),
            false,
        ),
        (
            "Sequirus Cell-based Trivalent",
            "CT4471",
            Some(date(2026, 5, 31)),
            false,
        ),
        ("Sanofi Vaxigrip", "VX8802", Some(date(2026, 6, 15)), false),
        ("Viatris", "VT1203", Some(date(2026, 5, 31)), false),
        ("Gardasil9", "GD9X5521", Some(date(2027, 3, 31)), false),
        ("MenQuadfi", "MQ77410", Some(date(2027, 1, 31)), false),
        ("Menveo", "MV2208", Some(date(2026, 11, 30)), false),
        ("Nimenrix", "NX5512", Some(date(2026, 9, 30)), false),
        ("Priorix", "PX3341", Some(date(2027, 2, 28)), false),
        ("VaxPro", "VP6610", Some(date(2026, 12, 31)), false),
        ("ProQuad", "PQ1187", Some(date(2026, 10, 31)), false),
        ("Priorix-Tetra", "PT4420", Some(date(2027, 1, 31)), false),
        ("Revaxis", "RV9901", Some(date(2027, 4, 30)), false),
        (
            "AstraZeneca Fluenz",
            "FL1999Z",
            Some(date(2025, 3, 31)),
            false,
        ),
        ("Gardasil9", "GD9OLD01", Some(date(2026, 12, 31)), true),
    ]
    .into_iter()
    .map(|(vaccine, number, expiry, archived)| Batch {
        number: BatchNumber::parse(number).unwrap(),
        expiry,
        vaccine: Vaccine::from_upload_or_nivs_name(vaccine).unwrap(),
        archived,
    })
    .collect()
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

fn parent(name: &str, relationship: Relationship) -> Respondent {
    Respondent::Parent {
        name: Some(name.to_owned()),
        relationship,
    }
}

fn mother(name: &str) -> Respondent {
    parent(name, Relationship::Mother)
}

const ALLERGIES: &str = "Does your child have any severe allergies?";
const CONDITIONS: &str = "Does your child have any medical conditions?";

fn answer(question: &str, answer: YesNo, notes: Option<&str>) -> HealthAnswer {
    HealthAnswer {
        question: question.into(),
        answer: Some(answer),
        notes: notes.map(Into::into),
    }
}

fn no_allergies() -> Vec<HealthAnswer> {
    vec![
        answer(ALLERGIES, YesNo::No, None),
        answer(CONDITIONS, YesNo::No, None),
    ]
}

fn consent(
    who: Respondent,
    response: ConsentResponse,
    when: DateTime<Utc>,
    answers: Vec<HealthAnswer>,
) -> Consent {
    Consent {
        respondent: who,
        response,
        recorded_at: when,
        invalidated: false,
        health_answers: answers,
    }
}

/// Consent given by `who` at `when`, with these health answers.
fn given(who: Respondent, when: DateTime<Utc>, answers: Vec<HealthAnswer>) -> Consent {
    consent(who, ConsentResponse::Given, when, answers)
}

/// Consent refused by `who` at `when`, with no health answers.
fn refused(who: Respondent, when: DateTime<Utc>) -> Consent {
    consent(who, ConsentResponse::Refused, when, vec![])
}

fn state(programme: Programme, status: ConsentStatus, consents: Vec<Consent>) -> ChildProgramme {
    ChildProgramme {
        programme,
        consent_status: status,
        consents,
        triage: None,
        gillick: None,
        psd: false,
        suggested_dose: Some(DoseSequence::FIRST),
    }
}

/// Consent given for an injection in each of `programmes`, by `who` at
/// `when`, with no allergies or conditions.
fn give_injections(
    child: &mut Child,
    programmes: &[Programme],
    who: &Respondent,
    when: DateTime<Utc>,
) {
    for &programme in programmes {
        child.programmes.push(state(
            programme,
            ConsentStatus::Given {
                methods: vec![VaccineMethod::Injection],
            },
            vec![given(who.clone(), when, no_allergies())],
        ));
    }
}

/// A child of school 141234, registered in their year's first class, who
/// lives at `{id} Church Lane`; with no programmes or records yet.
fn child(
    id: u64,
    (given, family): (&str, &str),
    dob: NaiveDate,
    gender: Gender,
    postcode: &str,
    nhs: Option<&str>,
) -> Child {
    Child {
        id,
        given_name: given.into(),
        family_name: family.into(),
        date_of_birth: dob,
        year_group_override: None,
        registration: Some(format!(
            "{}R1",
            2025 - 5 - mavis_domain::AcademicYear::containing(dob).0
        )),
        gender,
        address_line_1: Some(format!("{id} Church Lane")),
        postcode: Some(Postcode::parse(postcode).unwrap()),
        nhs_number: nhs.map(|n| NhsNumber::parse(n).unwrap()),
        school: ChildSchool::School {
            urn: SchoolUrn::parse("141234").unwrap(),
            site: None,
        },
        restricted: false,
        invalidated: false,
        deceased: false,
        ineligible: false,
        programmes: Vec::new(),
        records: Vec::new(),
    }
}

/// The five children of §6.6 with their flu (session 1001) and
/// HPV/MenACWY/Td/IPV (session 1002) states.
fn children() -> Vec<Child> {
    use Programme::{Flu, Hpv, MenAcwy, TdIpv};
    #[rustfmt::skip]
    let [mut aisha, mut ben, mut chloe, mut daniel, mut eve] = [
        (1, ("Aisha", "Begum"), date(2012, 11, 2), Gender::Female, "LE1 2DA", Some("9449306168")),
        (2, ("Ben", "Carter"), date(2013, 10, 19), Gender::Male, "LE3 2DA", Some("9449308357")),
        (3, ("Chloë", "Davies"), date(2012, 9, 1), Gender::Female, "LE8 2DA", None),
        (4, ("Daniel", "O'Hare"), date(2011, 12, 23), Gender::Male, "LE5 1AB", Some("9434765919")),
        (5, ("Eve", "Jiménez"), date(2012, 1, 30), Gender::NotKnown, "LE2 2PX", Some("4146825652")),
    ]
    .map(|(id, name, dob, gender, postcode, nhs)| child(id, name, dob, gender, postcode, nhs));

    let asthma = vec![
        answer(ALLERGIES, YesNo::No, None),
        answer(CONDITIONS, YesNo::Yes, Some("asthma")),
    ];
    let mut flu = state(
        Flu,
        ConsentStatus::Given {
            methods: vec![VaccineMethod::Nasal, VaccineMethod::Injection],
        },
        vec![
            given(mother("Fatima Begum"), at(2025, 9, 10, 13, 32), asthma),
            given(
                parent("Yusuf Begum", Relationship::Father),
                at(2025, 9, 12, 8, 5),
                no_allergies(),
            ),
        ],
    );
    flu.triage = Some(Triage {
        status: TriageStatus::SafeToVaccinate {
            method: Some(VaccineMethod::Nasal),
        },
        recorded_by: email("jane.smith@example.nhs.uk"),
        recorded_at: at(2025, 10, 13, 8, 0),
        notes: Some("Asthma well controlled".into()),
    });
    aisha.programmes.push(flu);
    give_injections(
        &mut aisha,
        &[Hpv],
        &mother("Fatima Begum"),
        at(2025, 12, 1, 10, 0),
    );

    let refusal = refused(mother("Laura Carter"), at(2025, 9, 20, 18, 45));
    ben.programmes
        .push(state(Flu, ConsentStatus::Refused, vec![refusal]));

    let stepfather = Respondent::Parent {
        name: None,
        relationship: Relationship::Other("stepfather".into()),
    };
    let consents = vec![
        given(
            mother("Megan Davies"),
            at(2025, 9, 15, 7, 30),
            no_allergies(),
        ),
        refused(stepfather, at(2025, 9, 16, 19, 0)),
    ];
    chloe
        .programmes
        .push(state(Flu, ConsentStatus::Conflicting, consents));
    chloe
        .programmes
        .push(state(Hpv, ConsentStatus::NoResponse, vec![]));

    daniel.restricted = true;
    give_injections(
        &mut daniel,
        &[Flu],
        &Respondent::Child,
        at(2025, 10, 14, 9, 10),
    );
    daniel.programmes[0].gillick = Some(mavis_domain::GillickAssessment {
        competent: true,
        assessed_by: email("amir.khan@example.nhs.uk"),
        recorded_at: at(2025, 10, 14, 9, 5),
        notes: Some("Understands the risks".into()),
    });
    give_injections(
        &mut daniel,
        &[MenAcwy, TdIpv],
        &mother("Siobhan O'Hare"),
        at(2025, 11, 3, 20, 15),
    );

    let guardian = parent("Ana Jiménez", Relationship::Guardian);
    give_injections(
        &mut eve,
        &[Flu, MenAcwy, TdIpv],
        &guardian,
        at(2025, 9, 25, 12, 0),
    );
    eve.programmes[2].suggested_dose = DoseSequence::new(TdIpv, 5).ok();
    eve.records.push(VaccinationRecord {
        uuid: RecordUuid::parse("5b0e6c1e-8a1d-4f0e-9d3a-2c7b9e4f1a01").unwrap(),
        programme: Programme::MenAcwy,
        session_id: None,
        source: RecordSource::NhsImmunisationsApi,
        outcome: Outcome::Administered,
        date: date(2025, 9, 20),
        time: NaiveTime::from_hms_opt(11, 40, 0),
        vaccine: Some(Vaccine::Menveo),
        batch_number: Some(BatchNumber::parse("MV1999").unwrap()),
        batch_expiry: Some(date(2026, 2, 28)),
        site: Some(mavis_domain::AnatomicalSite::LeftArmUpper),
        delivery_method: Some(mavis_domain::DeliveryMethod::Intramuscular),
        dose_sequence: Some(DoseSequence::FIRST),
        performed_by: Some(Performer::Named {
            given_name: "Helen".into(),
            family_name: "Marsh".into(),
        }),
        supplied_by: None,
        performed_ods_code: OdsCode::parse("C82010").ok(),
        location_name: Some("Riverside Surgery".into()),
        notes: None,
        discarded: false,
    });
    vec![aisha, ben, chloe, daniel, eve]
}

/// The reference document exporting `session_id` (1001, 1002 or 1004).
pub fn reference_doc(session_id: u64) -> SessionDocument {
    let all = [
        session(
            1001,
            riverside(),
            vec![date(2025, 10, 14), date(2025, 10, 15)],
            &[(Programme::Flu, &[7, 8, 9, 10, 11])],
            false,
        ),
        session(
            1002,
            riverside(),
            vec![date(2026, 1, 20)],
            &[
                (Programme::Hpv, &[8]),
                (Programme::MenAcwy, &[9]),
                (Programme::TdIpv, &[9]),
            ],
            false,
        ),
        session(
            1004,
            SessionLocation::GenericClinic,
            vec![date(2025, 12, 6), date(2026, 3, 7)],
            &[
                (Programme::Flu, &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
                (Programme::Hpv, &[8, 9, 10, 11]),
                (Programme::MenAcwy, &[9, 10, 11]),
                (Programme::Mmr, &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
                (Programme::TdIpv, &[9, 10, 11]),
            ],
            true,
        ),
    ];
    let (mine, others): (Vec<Session>, Vec<Session>) =
        all.into_iter().partition(|s| s.id == session_id);
    let session = mine.into_iter().next().expect("a reference session");
    let mut children = children();
    // Each child keeps only the programme states of this session.
    for c in &mut children {
        c.programmes.retain(|p| {
            session
                .programmes
                .iter()
                .any(|sp| sp.programme == p.programme)
        });
    }
    SessionDocument {
        format_version: FORMAT_VERSION,
        team: Team {
            name: "Example School Age Immunisation Service".into(),
            ods_code: OdsCode::parse("R1L").unwrap(),
            upload_type: UploadType::PointOfCare,
            programmes: Programme::ALL.to_vec(),
            national_reporting_cut_off: None,
        },
        users: demo::users()
            .into_iter()
            .filter(|u| u.email.as_str() != "priya.patel@example.nhs.uk")
            .collect(),
        schools: demo::schools(),
        clinics: vec![
            Clinic {
                name: "Riverside Health Centre".into(),
            },
            Clinic {
                name: "Oakfield Community Hospital".into(),
            },
        ],
        batches: batches(),
        session,
        other_sessions: others,
        children,
    }
}

/// A workbook of one sheet, Vaccinations, whose `<sheetData>` is `rows`.
pub fn workbook_with_sheet_data(rows: &str) -> Vec<u8> {
    use std::io::Write;
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_owned(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Vaccinations" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_owned(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
            ),
        ),
    ];
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}
