//! A realistic, deterministic demo session for examples, tests and
//! benchmarks.
//!
//! Everything is invented: names, NHS numbers (all in the `999` test range),
//! postcodes, schools, URNs and batch numbers. The vaccines and programmes are
//! the real catalogue. The same [`DemoOptions`] always give the same document.
//!
//! # Examples
//!
//! ```
//! use mavis_domain::chrono::NaiveDate;
//! use mavis_demo::{self as demo, DemoOptions};
//! use mavis_domain::Programme;
//!
//! let options = DemoOptions {
//!     children: 30,
//!     programmes: vec![Programme::Flu],
//!     ..DemoOptions::new(NaiveDate::from_ymd_opt(2025, 10, 15).unwrap())
//! };
//! let doc = demo::session(&options);
//! assert_eq!(doc.children.len(), 30);
//! assert_eq!(doc, demo::session(&options)); // deterministic
//! assert!(doc.check().is_ok());
//! ```

use mavis_domain::chrono::{DateTime, Duration, Months, NaiveDate, NaiveTime, Utc};

use mavis_domain::{
    london, AcademicYear, AnatomicalSite, Batch, BatchNumber, Child, ChildProgramme, ChildSchool,
    Clinic, Consent, ConsentResponse, ConsentStatus, DoseSequence, Email, Gender,
    GillickAssessment, HealthAnswer, NhsNumber, OdsCode, Outcome, Performer, Postcode, Programme,
    ReasonNotVaccinated, RecordSource, RecordUuid, Relationship, Respondent, School, SchoolUrn,
    Session, SessionDocument, SessionLocation, SessionProgramme, Team, Triage, TriageStatus,
    UploadType, User, VaccinationRecord, Vaccine, VaccineMethod, YesNo, FORMAT_VERSION,
};

use crate::rng::Rng;

/// What demo session to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// How many children.
    pub children: usize,
    /// The seed: another seed gives other children.
    pub seed: u64,
    /// The session's programmes.
    pub programmes: Vec<Programme>,
    /// The day the session is held (its last day); batches expire relative
    /// to it and the academic year is the one containing it.
    pub today: NaiveDate,
    /// Whether the session has patient-specific directions enabled.
    pub psd_enabled: bool,
}

impl DemoOptions {
    /// The defaults: 120 children, seed 1, HPV, MenACWY and Td/IPV, no PSD,
    /// held on `today`.
    pub fn new(today: NaiveDate) -> DemoOptions {
        DemoOptions {
            children: 120,
            seed: 1,
            programmes: vec![Programme::Hpv, Programme::MenAcwy, Programme::TdIpv],
            today,
            psd_enabled: false,
        }
    }
}

/// The id of the demo session.
pub const SESSION_ID: u64 = 1002;
/// The id of an earlier session of the same academic year (flu, at the same
/// school).
pub const EARLIER_SESSION_ID: u64 = 1001;
/// The id of a session of the previous academic year.
pub const LAST_YEAR_SESSION_ID: u64 = 901;

const SECONDARY_YEARS: std::ops::RangeInclusive<i32> = 7..=11;

const GIRLS: &[&str] = &[
    "Aisha", "Amelia", "Chloë", "Emily", "Eve", "Freya", "Grace", "Hannah", "Isla", "Jessica",
    "Lily", "Maryam", "Mia", "Niamh", "Olivia", "Poppy", "Priya", "Ruby", "Sophie", "Zoë",
    "Zainab", "Ellie", "Harriet", "Imogen",
];
const BOYS: &[&str] = &[
    "Adam", "Alfie", "Ben", "Callum", "Charlie", "Daniel", "Ethan", "Finley", "George", "Harry",
    "Isaac", "Jack", "Kacper", "Leo", "Mohammed", "Noah", "Oliver", "Oscar", "Reuben", "Rhys",
    "Samuel", "Theo", "Tomás", "Yusuf",
];
const FAMILY: &[&str] = &[
    "Ahmed",
    "Begum",
    "Brown",
    "Carter",
    "Clarke",
    "Davies",
    "Evans",
    "Green",
    "Hall",
    "Hughes",
    "Jiménez",
    "Jones",
    "Khan",
    "Kowalski",
    "Lewis",
    "Martin",
    "Murphy",
    "Nowak",
    "O'Hare",
    "Okafor",
    "Patel",
    "Roberts",
    "Robinson",
    "Shah",
    "Smith",
    "Taylor",
    "Thompson",
    "Walker",
    "White",
    "Williams",
    "Wilson",
    "Wright",
    "Young",
    "Ó Briain",
    "Smith-Jones",
    "de Souza",
];
const STREETS: &[&str] = &[
    "Church Lane",
    "High Street",
    "Station Road",
    "Victoria Road",
    "Park Avenue",
    "Mill Lane",
    "London Road",
    "The Crescent",
    "Oak Drive",
    "Riverside Walk",
    "Queen's Road",
    "Elm Close",
];
const POSTCODE_AREAS: &[&str] = &[
    "LE1", "LE2", "LE3", "LE4", "LE5", "LE7", "LE8", "LE18", "LE19",
];
const UNIT_LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
const QUESTIONS: &[&str] = &[
    "Does your child have any severe allergies?",
    "Does your child have any medical conditions for which they receive treatment?",
    "Has your child had a severe reaction to any medicines, including vaccines?",
];
const YES_NOTES: &[&str] = &[
    "asthma",
    "peanut allergy",
    "eczema",
    "epilepsy, well controlled",
    "",
];
const REGISTRATION_LETTERS: &[&str] = &["T", "S", "R", "M"];

/// The scenarios a few children are given outright, so that even a small
/// demo session shows every state; the rest are drawn at random.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scenario {
    ConsentRefused,
    ConflictingConsent,
    NoResponse,
    Restricted,
    Invalidated,
    NoNhsNumber,
    GillickCompetent,
    GillickNotCompetent,
    ExistingFromApi,
    ExistingThisSession,
    ExistingNotGiven,
    TriageEach(u8),
    Random,
}

const FORCED: &[Scenario] = &[
    Scenario::ConsentRefused,
    Scenario::ConflictingConsent,
    Scenario::NoResponse,
    Scenario::Restricted,
    Scenario::Invalidated,
    Scenario::NoNhsNumber,
    Scenario::GillickCompetent,
    Scenario::GillickNotCompetent,
    Scenario::ExistingFromApi,
    Scenario::ExistingThisSession,
    Scenario::ExistingNotGiven,
    Scenario::TriageEach(0),
    Scenario::TriageEach(1),
    Scenario::TriageEach(2),
    Scenario::TriageEach(3),
    Scenario::TriageEach(4),
    Scenario::TriageEach(5),
];

/// Build the demo session document.
///
/// An empty `programmes` list gives a session with no programmes, whose
/// children have nothing to record; the CLI refuses it.
pub fn session(options: &DemoOptions) -> SessionDocument {
    Generator::new(options).document()
}

/// The reference users: three nurses who may supply, a healthcare assistant
/// and an administrator.
pub fn users() -> Vec<User> {
    [
        ("jane.smith@example.nhs.uk", "Jane", "Smith", true),
        ("amir.khan@example.nhs.uk", "Amir", "Khan", true),
        ("priya.patel@example.nhs.uk", "Priya", "Patel", true),
        ("sarah.jones@example.nhs.uk", "Sarah", "Jones", false),
        ("tom.evans@example.nhs.uk", "Tom", "Evans", false),
    ]
    .into_iter()
    .map(|(email, given, family, supplier)| User {
        email: Email::parse(email).expect("valid demo email"),
        given_name: given.to_owned(),
        family_name: family.to_owned(),
        supplier,
    })
    .collect()
}

/// The reference schools (`reference-data.md` §6.3); the demo session is at
/// the first, Riverside Academy.
pub fn schools() -> Vec<School> {
    let school = |urn: &str, site: Option<char>, name: &str, systm_one: Option<&str>| School {
        urn: SchoolUrn::parse(urn).expect("valid demo URN"),
        site,
        name: name.to_owned(),
        systm_one_code: systm_one.map(str::to_owned),
    };
    vec![
        school("141234", None, "Riverside Academy", None),
        school("118765", None, "Oakfield Primary School", None),
        school(
            "136789",
            None,
            "St Mary's Church of England High School",
            Some("SS136789"),
        ),
        school("145678", Some('A'), "Northgate High School", None),
        school("145678", Some('B'), "Northgate High School", None),
    ]
}

/// A child's parents, the same across the child's programmes.
struct Parents {
    mum: String,
    dad: String,
}

struct Generator<'a> {
    options: &'a DemoOptions,
    rng: Rng,
    year: AcademicYear,
    dates: Vec<NaiveDate>,
    /// The day of the earlier session of the same academic year.
    earlier_date: NaiveDate,
    users: Vec<User>,
    nhs_numbers: std::collections::HashSet<NhsNumber>,
}

impl<'a> Generator<'a> {
    fn new(options: &'a DemoOptions) -> Self {
        let today = options.today;
        let year = AcademicYear::containing(today);
        let yesterday = today - Duration::days(1);
        let dates = if year.contains(yesterday) {
            vec![yesterday, today]
        } else {
            vec![today]
        };
        // Mid-October, or the session's first day if that is earlier.
        let earlier_date = (year.start() + Duration::days(44)).min(dates[0]);
        Generator {
            options,
            rng: Rng::new(options.seed),
            year,
            dates,
            earlier_date,
            users: users(),
            nhs_numbers: std::collections::HashSet::new(),
        }
    }

    fn document(mut self) -> SessionDocument {
        let riverside = SchoolUrn::parse("141234").expect("valid");
        let mut programmes = self.options.programmes.clone();
        programmes.sort();
        programmes.dedup();
        let session = Session {
            id: SESSION_ID,
            location: SessionLocation::School {
                urn: riverside,
                site: None,
            },
            dates: self.dates.clone(),
            programmes: programmes
                .iter()
                .map(|&p| SessionProgramme {
                    programme: p,
                    year_groups: p
                        .default_year_groups()
                        .filter(|y| SECONDARY_YEARS.contains(y))
                        .collect(),
                })
                .collect(),
            psd_enabled: self.options.psd_enabled,
        };
        let other_sessions = vec![
            Session {
                id: EARLIER_SESSION_ID,
                location: SessionLocation::School {
                    urn: riverside,
                    site: None,
                },
                dates: vec![self.earlier_date],
                programmes: vec![SessionProgramme {
                    programme: Programme::Flu,
                    year_groups: SECONDARY_YEARS.collect(),
                }],
                psd_enabled: false,
            },
            Session {
                id: LAST_YEAR_SESSION_ID,
                location: SessionLocation::School {
                    urn: riverside,
                    site: None,
                },
                dates: vec![AcademicYear(self.year.0 - 1).start() + Duration::days(140)],
                programmes: vec![SessionProgramme {
                    programme: Programme::Hpv,
                    year_groups: (8..=11).collect(),
                }],
                psd_enabled: false,
            },
        ];
        let year_groups: Vec<i32> = {
            let mut ys: Vec<i32> = session
                .programmes
                .iter()
                .flat_map(|p| p.year_groups.iter().copied())
                .collect();
            ys.sort_unstable();
            ys.dedup();
            if ys.is_empty() {
                SECONDARY_YEARS.collect()
            } else {
                ys
            }
        };
        let children = (0..self.options.children)
            .map(|i| {
                let scenario = FORCED.get(i).copied().unwrap_or(Scenario::Random);
                self.child(i, scenario, &session, &year_groups)
            })
            .collect();
        SessionDocument {
            format_version: FORMAT_VERSION,
            team: Team {
                name: "Example School Age Immunisation Service".to_owned(),
                ods_code: OdsCode::parse("R1L").expect("valid"),
                upload_type: UploadType::PointOfCare,
                programmes: Programme::ALL.to_vec(),
                national_reporting_cut_off: None,
            },
            users: self.users.clone(),
            schools: schools(),
            clinics: ["Riverside Health Centre", "Oakfield Community Hospital"]
                .into_iter()
                .map(|name| Clinic {
                    name: name.to_owned(),
                })
                .collect(),
            batches: self.batches(),
            session,
            other_sessions,
            children,
        }
    }

    /// Batches of every vaccine: current ones expiring 6 to 18 months
    /// ahead, plus one expired, one archived, one expiring today and one
    /// with no expiry date, none of which may be offered.
    fn batches(&mut self) -> Vec<Batch> {
        let today = self.options.today;
        let months = |n: u32| today.checked_add_months(Months::new(n)).expect("in range");
        let batch = |number: &str, expiry: Option<NaiveDate>, vaccine, archived| Batch {
            number: BatchNumber::parse(number).expect("valid demo batch"),
            expiry,
            vaccine,
            archived,
        };
        // The current batches: number, months to expiry, vaccine.
        let current = [
            ("FL2281A", 8, Vaccine::Fluenz),
            ("FL2290B", 9, Vaccine::Fluenz),
            ("CT4471", 7, Vaccine::CellBasedTrivalent),
            ("VX8802", 8, Vaccine::Vaxigrip),
            ("VT1203", 7, Vaccine::Viatris),
            ("GD9X5521", 17, Vaccine::Gardasil9),
            ("GD9X6630", 12, Vaccine::Gardasil9),
            ("MQ77410", 15, Vaccine::Menquadfi),
            ("MV2208", 13, Vaccine::Menveo),
            ("NX5512", 11, Vaccine::Nimenrix),
            ("PX3341", 16, Vaccine::Priorix),
            ("VP6610", 14, Vaccine::Vaxpro),
            ("PQ1187", 12, Vaccine::ProQuad),
            ("PT4420", 15, Vaccine::PriorixTetra),
            ("RV9901", 18, Vaccine::Revaxis),
            ("RV9917", 6, Vaccine::Revaxis),
        ];
        let mut out: Vec<Batch> = current
            .into_iter()
            .map(|(number, expiry, vaccine)| batch(number, Some(months(expiry)), vaccine, false))
            .collect();
        let expired = today - Duration::days(200);
        out.extend([
            batch("FL1999Z", Some(expired), Vaccine::Fluenz, false),
            batch("GD9OLD01", Some(months(14)), Vaccine::Gardasil9, true),
            batch("MV1100", Some(today), Vaccine::Menveo, false),
            batch("RV0001", None, Vaccine::Revaxis, false),
        ]);
        out
    }

    fn child(
        &mut self,
        index: usize,
        scenario: Scenario,
        session: &Session,
        year_groups: &[i32],
    ) -> Child {
        let rng = &mut self.rng;
        let gender = match rng.below(100) {
            0..=47 => Gender::Female,
            48..=95 => Gender::Male,
            96..=97 => Gender::NotKnown,
            _ => Gender::NotSpecified,
        };
        let given_name = if gender == Gender::Female || (gender != Gender::Male && rng.chance(50)) {
            *rng.pick(GIRLS)
        } else {
            *rng.pick(BOYS)
        };
        let family_name = *rng.pick(FAMILY);
        let year_group = *rng.pick(year_groups);
        let (first, last) = self.year.birth_dates_of(year_group);
        let span = (last - first).num_days();
        let date_of_birth = first + Duration::days(rng.range(0, span));
        let registration = (!rng.chance(6)).then(|| {
            format!(
                "{year_group}{}{}",
                rng.pick(REGISTRATION_LETTERS),
                rng.range(1, 6)
            )
        });
        let address_line_1 = Some(format!("{} {}", rng.range(1, 180), rng.pick(STREETS)));
        let postcode = Some(self.postcode());
        let nhs_number = if scenario == Scenario::NoNhsNumber || self.rng.chance(4) {
            None
        } else {
            Some(self.nhs_number())
        };
        // A restricted child's postcode is withheld from the sheet, and
        // the upload needs a postcode when there is no NHS number: such a
        // child could not be uploaded offline, so restricted demo children
        // always have an NHS number.
        let restricted = nhs_number.is_some()
            && (scenario == Scenario::Restricted
                || (scenario == Scenario::Random && self.rng.chance(2)));
        let invalidated = scenario == Scenario::Invalidated
            || (scenario == Scenario::Random && self.rng.chance(1));
        let mut child = Child {
            id: 10_000 + index as u64,
            given_name: given_name.to_owned(),
            family_name: family_name.to_owned(),
            date_of_birth,
            year_group_override: None,
            registration,
            gender,
            address_line_1,
            postcode,
            nhs_number,
            school: ChildSchool::School {
                urn: SchoolUrn::parse("141234").expect("valid"),
                site: None,
            },
            restricted,
            invalidated,
            deceased: false,
            ineligible: false,
            programmes: Vec::new(),
            records: Vec::new(),
        };
        let offered: Vec<Programme> = session
            .programmes_in_order()
            .into_iter()
            .filter(|p| session.offers(*p, year_group))
            .collect();
        let parents = Parents {
            mum: format!("{} {}", self.rng.pick(GIRLS), child.family_name),
            dad: format!("{} {}", self.rng.pick(BOYS), child.family_name),
        };
        for (n, &programme) in offered.iter().enumerate() {
            // A forced scenario applies to the child's first programme.
            let scenario = if n == 0 { scenario } else { Scenario::Random };
            let state = self.child_programme(&parents, programme, scenario);
            child.programmes.push(state);
            self.records(&mut child, programme, scenario);
        }
        child
    }

    fn nhs_number(&mut self) -> NhsNumber {
        loop {
            let mut nine = *b"999000000";
            for d in &mut nine[3..] {
                *d = b'0' + u8::try_from(self.rng.below(10)).expect("digit");
            }
            if let Some(n) = NhsNumber::from_first_nine(nine) {
                if self.nhs_numbers.insert(n) {
                    return n;
                }
            }
        }
    }

    fn postcode(&mut self) -> Postcode {
        let area = *self.rng.pick(POSTCODE_AREAS);
        let sector = self.rng.range(0, 9);
        let u1 = char::from(*self.rng.pick(UNIT_LETTERS));
        let u2 = char::from(*self.rng.pick(UNIT_LETTERS));
        Postcode::parse(&format!("{area} {sector}{u1}{u2}")).expect("valid demo postcode")
    }

    fn nurse(&mut self) -> Email {
        self.users[self.rng.index(3)].email.clone()
    }

    /// A moment on a day before the session, in working hours.
    fn before_session(&mut self, min_days: i64, max_days: i64) -> DateTime<Utc> {
        let day = self.dates[0] - Duration::days(self.rng.range(min_days, max_days));
        let time = NaiveTime::from_hms_opt(
            u32::try_from(self.rng.range(7, 21)).expect("hour"),
            u32::try_from(self.rng.range(0, 59)).expect("minute"),
            0,
        )
        .expect("valid time");
        london::to_utc(day.and_time(time))
    }

    fn child_programme(
        &mut self,
        parents: &Parents,
        programme: Programme,
        scenario: Scenario,
    ) -> ChildProgramme {
        let status = match scenario {
            Scenario::ConsentRefused => ConsentStatus::Refused,
            Scenario::ConflictingConsent => ConsentStatus::Conflicting,
            Scenario::NoResponse => ConsentStatus::NoResponse,
            Scenario::GillickCompetent | Scenario::TriageEach(_) => self.given(programme),
            _ => match self.rng.below(100) {
                0..=64 => self.given(programme),
                65..=74 => ConsentStatus::Refused,
                75..=79 => ConsentStatus::Conflicting,
                _ => ConsentStatus::NoResponse,
            },
        };
        let mut consents = Vec::new();
        let mum = || Respondent::Parent {
            name: Some(parents.mum.clone()),
            relationship: Relationship::Mother,
        };
        let dad = || Respondent::Parent {
            name: Some(parents.dad.clone()),
            relationship: Relationship::Father,
        };
        let self_consent = scenario == Scenario::GillickCompetent;
        let mut any_yes = false;
        match &status {
            ConsentStatus::Given { .. } if self_consent => {
                consents.push(self.consent(
                    Respondent::Child,
                    ConsentResponse::Given,
                    &mut any_yes,
                ));
            }
            ConsentStatus::Given { .. } => {
                consents.push(self.consent(mum(), ConsentResponse::Given, &mut any_yes));
                if self.rng.chance(30) {
                    consents.push(self.consent(dad(), ConsentResponse::Given, &mut any_yes));
                }
            }
            ConsentStatus::Refused => {
                let who = if self.rng.chance(80) {
                    mum()
                } else {
                    Respondent::Parent {
                        name: None,
                        relationship: Relationship::Other("grandparent".to_owned()),
                    }
                };
                consents.push(self.consent(who, ConsentResponse::Refused, &mut any_yes));
            }
            ConsentStatus::Conflicting => {
                consents.push(self.consent(mum(), ConsentResponse::Given, &mut any_yes));
                consents.push(self.consent(dad(), ConsentResponse::Refused, &mut any_yes));
            }
            ConsentStatus::NoResponse | ConsentStatus::NotRequired => {}
        }
        let given = matches!(status, ConsentStatus::Given { .. });
        let triage = match scenario {
            Scenario::TriageEach(k) if given => Some(self.triage(programme, &status, k)),
            _ if given && any_yes => {
                let k = u8::try_from(self.rng.below(6)).expect("small");
                Some(self.triage(programme, &status, k))
            }
            _ => None,
        };
        let gillick = match scenario {
            Scenario::GillickCompetent => Some(self.gillick(true)),
            Scenario::GillickNotCompetent => Some(self.gillick(false)),
            Scenario::Random if self.rng.chance(3) => {
                let competent = self.rng.chance(70);
                Some(self.gillick(competent))
            }
            _ => None,
        };
        let psd = self.options.psd_enabled && given && self.rng.chance(40);
        let suggested_dose = match programme {
            Programme::TdIpv => DoseSequence::new(programme, 5).ok(),
            Programme::Hpv | Programme::Flu | Programme::MenAcwy | Programme::Mmr => {
                Some(DoseSequence::FIRST)
            }
        };
        ChildProgramme {
            programme,
            consent_status: status,
            consents,
            triage,
            gillick,
            psd,
            suggested_dose,
        }
    }

    fn given(&mut self, programme: Programme) -> ConsentStatus {
        let methods = if programme == Programme::Flu {
            if self.rng.chance(70) {
                vec![VaccineMethod::Nasal, VaccineMethod::Injection]
            } else {
                vec![VaccineMethod::Injection]
            }
        } else {
            vec![VaccineMethod::Injection]
        };
        ConsentStatus::Given { methods }
    }

    fn consent(
        &mut self,
        respondent: Respondent,
        response: ConsentResponse,
        any_yes: &mut bool,
    ) -> Consent {
        let recorded_at = self.before_session(3, 30);
        let health_answers = if response == ConsentResponse::Given {
            QUESTIONS
                .iter()
                .map(|q| {
                    let yes = self.rng.chance(12);
                    *any_yes |= yes;
                    let notes = if yes {
                        Some((*self.rng.pick(YES_NOTES)).to_owned()).filter(|n| !n.is_empty())
                    } else {
                        None
                    };
                    HealthAnswer {
                        question: (*q).to_owned(),
                        answer: Some(if yes { YesNo::Yes } else { YesNo::No }),
                        notes,
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        Consent {
            respondent,
            response,
            recorded_at,
            invalidated: false,
            health_answers,
        }
    }

    fn triage(&mut self, programme: Programme, status: &ConsentStatus, kind: u8) -> Triage {
        let method = match status {
            ConsentStatus::Given { methods } if programme == Programme::Flu => {
                methods.first().copied()
            }
            _ => None,
        };
        let status = match kind {
            0 => TriageStatus::SafeToVaccinate { method },
            1 => TriageStatus::DoNotVaccinate,
            2 => TriageStatus::KeepInTriage,
            3 => TriageStatus::DelayVaccination {
                until: Some(self.options.today + Duration::days(self.rng.range(20, 60))),
            },
            4 => TriageStatus::DelayVaccination { until: None },
            _ => TriageStatus::InviteToClinic,
        };
        let notes = match status {
            TriageStatus::SafeToVaccinate { .. } => {
                Some("Spoke to parent; condition well controlled".to_owned())
            }
            TriageStatus::DoNotVaccinate => Some("Severe reaction to a previous dose".to_owned()),
            TriageStatus::KeepInTriage => Some("Waiting for GP to call back".to_owned()),
            _ => None,
        };
        Triage {
            status,
            recorded_by: self.nurse(),
            recorded_at: self.before_session(1, 2),
            notes,
        }
    }

    fn gillick(&mut self, competent: bool) -> GillickAssessment {
        let time =
            NaiveTime::from_hms_opt(9, u32::try_from(self.rng.range(0, 59)).expect("minute"), 0)
                .expect("valid");
        GillickAssessment {
            competent,
            assessed_by: self.nurse(),
            recorded_at: london::to_utc(self.dates[0].and_time(time)),
            notes: Some(if competent {
                "Understands the vaccine and its risks".to_owned()
            } else {
                "Could not explain what the vaccine is for".to_owned()
            }),
        }
    }

    fn records(&mut self, child: &mut Child, programme: Programme, scenario: Scenario) {
        let kind = match scenario {
            Scenario::ExistingFromApi => 1,
            Scenario::ExistingThisSession => 2,
            Scenario::ExistingNotGiven => 3,
            Scenario::Random if self.rng.chance(6) => self.rng.range(1, 4),
            _ => 0,
        };
        if kind == 0 {
            return;
        }
        let vaccine = Vaccine::active_for(programme, Some(child.mmr_variant()))
            .next()
            .expect("every programme has an active vaccine");
        let site = if vaccine.method() == VaccineMethod::Nasal {
            AnatomicalSite::Nose
        } else {
            *self
                .rng
                .pick(&[AnatomicalSite::LeftArmUpper, AnatomicalSite::RightArmUpper])
        };
        let time = NaiveTime::from_hms_opt(
            u32::try_from(self.rng.range(9, 14)).expect("hour"),
            u32::try_from(self.rng.range(0, 59)).expect("minute"),
            0,
        );
        let uuid = RecordUuid::from_random_bytes(self.rng.bytes16());
        let ods = OdsCode::parse("R1L").expect("valid");
        let nurse = self.nurse();
        let batch_expiry = self.options.today.checked_add_months(Months::new(10));
        let batch_number = match vaccine {
            Vaccine::Gardasil9 => "GD9X5521",
            Vaccine::Revaxis => "RV9901",
            Vaccine::Menquadfi => "MQ77410",
            Vaccine::Fluenz => "FL2281A",
            _ => "XB1234",
        };
        let record = match kind {
            // Given by the child's GP, received from the NHS Immunisations API.
            1 => VaccinationRecord {
                uuid,
                programme,
                session_id: None,
                source: RecordSource::NhsImmunisationsApi,
                outcome: Outcome::Administered,
                date: self.dates[0] - Duration::days(self.rng.range(30, 200)),
                time,
                vaccine: Some(vaccine),
                batch_number: Some(BatchNumber::parse("GP7731").expect("valid")),
                batch_expiry,
                site: Some(site),
                delivery_method: Some(site.delivery_method()),
                dose_sequence: Some(DoseSequence::FIRST),
                performed_by: Some(Performer::Named {
                    given_name: "Helen".to_owned(),
                    family_name: "Marsh".to_owned(),
                }),
                supplied_by: None,
                performed_ods_code: OdsCode::parse("C82010").ok(),
                location_name: Some("Riverside Surgery".to_owned()),
                notes: None,
                discarded: false,
            },
            // Recorded online on the session's first day, before the
            // internet went down.
            2 => VaccinationRecord {
                uuid,
                programme,
                session_id: Some(SESSION_ID),
                source: RecordSource::Service,
                outcome: Outcome::Administered,
                date: self.dates[0],
                time,
                vaccine: Some(vaccine),
                batch_number: Some(BatchNumber::parse(batch_number).expect("valid")),
                batch_expiry,
                site: Some(site),
                delivery_method: Some(site.delivery_method()),
                dose_sequence: Some(DoseSequence::FIRST),
                // Supplied by the nurse who gave it: a supplier other than
                // the performer makes Mavis 7.3.0's import of the row fail
                // (issue 17, item 1), so the re-uploaded row would too.
                performed_by: Some(Performer::User {
                    email: nurse.clone(),
                }),
                supplied_by: Some(nurse),
                performed_ods_code: Some(ods),
                location_name: None,
                notes: Some("Left arm sore afterwards; sat for 15 minutes".to_owned()),
                discarded: false,
            },
            // Seen on the session's first day, before the internet went
            // down, and not vaccinated.
            _ => VaccinationRecord {
                uuid,
                programme,
                session_id: Some(SESSION_ID),
                source: RecordSource::Service,
                outcome: Outcome::NotAdministered(*self.rng.pick(&[
                    ReasonNotVaccinated::AlreadyHad,
                    ReasonNotVaccinated::Unwell,
                    ReasonNotVaccinated::Refused,
                ])),
                date: self.dates[0],
                time,
                vaccine: None,
                batch_number: None,
                batch_expiry: None,
                site: None,
                delivery_method: None,
                dose_sequence: None,
                performed_by: Some(Performer::User { email: nurse }),
                supplied_by: None,
                performed_ods_code: Some(ods),
                location_name: None,
                notes: None,
                discarded: false,
            },
        };
        child.records.push(record);
        if self.rng.chance(10) {
            // A discarded duplicate, which the spreadsheet leaves out.
            let mut discarded = child.records.last().expect("just pushed").clone();
            discarded.uuid = RecordUuid::from_random_bytes(self.rng.bytes16());
            discarded.discarded = true;
            child.records.push(discarded);
        }
    }
}
