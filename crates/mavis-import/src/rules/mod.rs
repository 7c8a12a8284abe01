//! The row rules (`import-csv.md` §5, §6): one row in, its errors, its
//! duplicate key and, when it has no error, the record it would import.

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveTime};
use mavis_domain::{
    london, AcademicYear, AnatomicalSite, BatchNumber, DoseSequence, Gender, Location, MmrVariant,
    NhsNumber, Outcome, Performer, Postcode, Programme, ReasonNotVaccinated, RecordSource,
    RecordUuid, Session, SessionLocation, UploadType, Vaccine,
};

use crate::columns::{Cell, Column as C, Header};
use crate::dates::{parse_date, parse_time};
use crate::duplicates::{DuplicateIndex, KeyHasher};
use crate::numbers::parse_integer;
use crate::record::{ChildIdentity, ImportedRecord, Protocol};
use crate::reference::{ChildDetails, Reference};
use crate::report::{RowError, Rule, Warning};
use crate::row::RowText;

/// The longest name, school or clinic accepted (§9.8).
const MAX_NAME: usize = 300;

/// Everything the rules need besides the row.
pub(crate) struct Context<'r, R: Reference + ?Sized> {
    pub reference: &'r R,
    pub upload: UploadType,
    pub today: NaiveDate,
    pub now: NaiveTime,
    pub year: AcademicYear,
    pub expiry_from: NaiveDate,
    pub expiry_to: NaiveDate,
}

impl<'r, R: Reference + ?Sized> Context<'r, R> {
    pub(crate) fn new(reference: &'r R, today: NaiveDate, now: NaiveTime) -> Self {
        let jan1 = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(NaiveDate::MIN);
        use chrono::Datelike;
        Context {
            reference,
            upload: reference.upload_type(),
            today,
            now,
            year: AcademicYear::containing(today),
            expiry_from: jan1(today.year() - 15),
            expiry_to: jan1(today.year() + 15),
        }
    }
}

/// What checking one row gave besides its errors.
pub(crate) struct RowOutcome {
    /// A national-reporting row that is not vaccinated: never imported.
    pub skipped: bool,
    /// The current-Mavis compatibility warning, if any.
    pub warning: Option<Warning>,
    /// The record, when asked for and the row has no error.
    pub record: Option<ImportedRecord>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Administered {
    Yes,
    No,
    Undetermined,
}

/// Collects a row's errors.
struct Out<'a> {
    header: &'a Header,
    row: u32,
    errors: &'a mut Vec<RowError>,
    count: usize,
}

impl Out<'_> {
    fn col(&mut self, rule: Rule, index: u32, message: impl Into<String>) {
        self.errors.push(RowError {
            location: Location::cell(self.row, index, self.header.text(index)),
            rule,
            message: message.into(),
        });
        self.count += 1;
    }

    fn row(&mut self, rule: Rule, message: impl Into<String>) {
        self.errors.push(RowError {
            location: Location::row(self.row),
            rule,
            message: message.into(),
        });
        self.count += 1;
    }

    /// A column message on `cell`'s column, or a row message when absent.
    fn at(&mut self, rule: Rule, index: Option<u32>, message: impl Into<String>) {
        match index {
            Some(i) => self.col(rule, i, message),
            None => self.row(rule, message),
        }
    }
}

/// The parts of SystmOne's `Vaccination type` (§5.9).
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct VaccinationType<'a> {
    pub programme: Option<&'a str>,
    pub vaccine: Option<&'a str>,
    pub dose: Option<&'a str>,
}

const TYPE_PREFIXES: [(&str, &str); 8] = [
    ("Flu", "Flu"),
    ("HPV", "HPV"),
    ("Human Papillomavirus", "HPV"),
    ("MMR", "MMR"),
    ("Measles/Mumps/Rubella", "MMR"),
    ("MenACWY", "MenACWY"),
    ("Meningococcal conjugate A,C, W135 + Y", "MenACWY"),
    ("Td/IPV", "Td/IPV"),
];

pub(crate) fn split_vaccination_type(text: &str) -> VaccinationType<'_> {
    fn non_empty(s: &str) -> Option<&str> {
        Some(s.trim()).filter(|s| !s.is_empty())
    }
    for (prefix, name) in TYPE_PREFIXES {
        if let Some(rest) = text.strip_prefix(prefix) {
            return VaccinationType {
                programme: Some(name),
                vaccine: None,
                dose: non_empty(rest),
            };
        }
    }
    let (word, rest) = text.split_once(' ').unwrap_or((text, ""));
    VaccinationType {
        programme: None,
        vaccine: non_empty(word),
        dose: non_empty(rest),
    }
}

/// How a programme is named in Mavis's sentences (rule 26).
fn sentence_name(programme: Programme, variant: Option<MmrVariant>) -> &'static str {
    match programme {
        Programme::Flu => "flu",
        Programme::Hpv => "HPV",
        Programme::MenAcwy => "MenACWY",
        Programme::Mmr => match variant {
            Some(MmrVariant::Mmrv) => "MMRV",
            _ => "MMR",
        },
        Programme::TdIpv => "Td/IPV",
    }
}

fn too_long(text: &str) -> bool {
    text.len() > MAX_NAME && text.chars().count() > MAX_NAME
}

/// Check one row: push its errors (in rule order) to `errors`, add its key
/// to `duplicates`, and build its record when `want_record` and it has no
/// error.
#[allow(clippy::too_many_lines)] // the rules read best in the spec's order
pub(crate) fn check_row<R: Reference + ?Sized>(
    ctx: &Context<'_, R>,
    header: &Header,
    number: u32,
    row: &RowText,
    errors: &mut Vec<RowError>,
    duplicates: &mut DuplicateIndex,
    want_record: bool,
) -> RowOutcome {
    let r = ctx.reference;
    let nr = ctx.upload == UploadType::NationalReporting;
    let mut out = Out {
        header,
        row: number,
        errors,
        count: 0,
    };
    let cell = |c| header.cell(row, c);

    // §5.1: the outcome flag.
    let vaccinated = cell(C::Vaccinated);
    let vaccine_given = cell(C::VaccineGiven);
    let vtype = cell(C::VaccinationType);
    let administered = match vaccinated.value() {
        Some(v) => match mavis_domain::parse_vaccinated(v) {
            Some(true) => Administered::Yes,
            Some(false) => Administered::No,
            None => Administered::Undetermined,
        },
        None if vaccine_given.is_present() || vtype.is_present() || nr => Administered::Yes,
        None => Administered::Undetermined,
    };
    let yes = administered == Administered::Yes;

    // Rule 0.
    if administered == Administered::Undetermined {
        match vaccinated.index() {
            None => out.row(Rule::Vaccinated, "<code>VACCINATED</code> is required"),
            Some(i) => out.col(
                Rule::Vaccinated,
                i,
                "You need to record whether the child was vaccinated or not. Enter \u{2018}Y\u{2019} \
                 or \u{2018}N\u{2019} in the \u{2018}VACCINATED\u{2019} column.",
            ),
        }
    }
    if nr && !yes {
        return RowOutcome {
            skipped: true,
            warning: None,
            record: None,
        };
    }

    // Session and offline-ness.
    let session_cell = cell(C::SessionId);
    let offline = session_cell.is_present();
    let session: Option<&Session> = session_cell
        .value()
        .and_then(parse_integer)
        .and_then(|id| u64::try_from(id).ok())
        .and_then(|id| r.session(id))
        .filter(|s| !s.dates.is_empty() && s.academic_year() == ctx.year);
    let strict = offline || nr;

    // §5.8–5.10: programme and vaccine.
    let programme_cell = cell(C::Programme);
    let vt = vtype
        .value()
        .map(split_vaccination_type)
        .unwrap_or_default();
    let programme_name = vt.programme.or(programme_cell.value());
    let allowed = |p: Programme| match session {
        Some(s) if offline => s.programmes.iter().any(|sp| sp.programme == p),
        _ => r.programmes().contains(&p),
    };
    let named = programme_name
        .and_then(Programme::from_import_name)
        .filter(|(p, _)| allowed(*p));
    let vaccine_name = vt.vaccine.or(vaccine_given.value());
    let vaccine: Option<Vaccine> = vaccine_name.and_then(|n| r.vaccine(n));
    let programme: Option<Programme> = named
        .map(|(p, _)| p)
        .or_else(|| vaccine.map(Vaccine::programme));
    let variant: Option<MmrVariant> = match programme {
        Some(Programme::Mmr) => vaccine
            .and_then(|v| v.info().variant)
            .or(named.and_then(|(_, v)| v))
            .or(Some(MmrVariant::Mmr)),
        _ => None,
    };

    // Values several rules share.
    let dob_cell = cell(C::PersonDob);
    let dob = dob_cell.value().and_then(parse_date);
    let date_cell = cell(C::DateOfVaccination);
    let date = date_cell.value().and_then(parse_date);
    let care_cell = cell(C::CareSetting);
    let care = care_cell.value().map(parse_integer);
    let elt = cell(C::EventLocationType);
    let forename = cell(C::PersonForename);
    let surname = cell(C::PersonSurname);
    let nhs_cell = cell(C::NhsNumber);
    let nhs = nhs_cell.value().map(NhsNumber::parse);
    let postcode_cell = cell(C::PersonPostcode);
    let postcode = postcode_cell.value().map(Postcode::parse);
    let site_cell = cell(C::AnatomicalSite);
    let site = site_cell
        .value()
        .and_then(|v| AnatomicalSite::parse(v).ok());

    // Rule 1.
    let expiry_cell = cell(C::BatchExpiryDate);
    let expiry = expiry_cell.value().and_then(parse_date);
    match (&expiry_cell, yes) {
        (Cell::Value(i, _), true) => match expiry {
            None => out.col(
                Rule::BatchExpiryDate,
                *i,
                "Enter a date in the correct format.",
            ),
            Some(d) if d > ctx.expiry_to => out.col(
                Rule::BatchExpiryDate,
                *i,
                "must be less than 15 years in the future",
            ),
            Some(d) if d < ctx.expiry_from => {
                out.col(Rule::BatchExpiryDate, *i, "must be more than 15 years old");
            }
            Some(_) => {}
        },
        (Cell::Absent, true) if strict => out.row(
            Rule::BatchExpiryDate,
            "<code>BATCH_EXPIRY_DATE</code> is required",
        ),
        (Cell::Blank(i), true) if strict => {
            out.col(Rule::BatchExpiryDate, *i, "Enter a batch expiry date.");
        }
        (Cell::Value(i, _), false) => out.col(Rule::BatchExpiryDate, *i, "must be blank"),
        _ => {}
    }

    // Rule 2.
    let batch_cell = cell(C::BatchNumber);
    match (&batch_cell, yes) {
        (Cell::Value(i, v), true) => {
            if let Some(problem) = BatchNumber::problem(v) {
                out.col(Rule::BatchNumber, *i, problem.mavis_text());
            }
        }
        (Cell::Absent, true) if offline => out.row(
            Rule::BatchNumber,
            "<code>BATCH_NUMBER</code> or <code>Vaccination batch number</code> is required",
        ),
        (Cell::Absent, true) if nr => {
            out.row(Rule::BatchNumber, "<code>BATCH_NUMBER</code> is required");
        }
        (Cell::Blank(i), true) if strict => out.col(Rule::BatchNumber, *i, "Enter a batch number."),
        (Cell::Value(i, _), false) => out.col(Rule::BatchNumber, *i, "must be blank"),
        _ => {}
    }

    // Rule 3.
    if let (Some(i), Some(code)) = (care_cell.index(), care) {
        if !matches!(code, Some(1 | 2)) {
            out.col(Rule::CareSetting, i, "Enter a valid care setting.");
        }
    }

    // Rule 4.
    let community =
        care == Some(Some(2)) || elt.value().is_some_and(|v| !v.to_lowercase().eq("school"));
    let clinic_required = offline && community;
    let clinic_cell = cell(C::ClinicName);
    let clinic = clinic_cell.value().and_then(|n| r.clinic(n));
    match &clinic_cell {
        Cell::Value(i, v) => {
            if too_long(v) {
                out.col(Rule::ClinicName, *i, "is greater than 300 characters long");
            }
            if clinic_required && clinic.is_none() {
                out.col(Rule::ClinicName, *i, "is not recognised");
            }
        }
        Cell::Absent if clinic_required => out.row(
            Rule::ClinicName,
            "<code>CLINIC_NAME</code> or <code>Event done at</code> is required",
        ),
        Cell::Blank(i) if clinic_required => out.col(Rule::ClinicName, *i, "Enter a clinic name."),
        _ => {}
    }

    // Rule 5.
    match &date_cell {
        Cell::Absent => out.row(
            Rule::DateOfVaccination,
            if nr {
                "<code>DATE_OF_VACCINATION</code> is required"
            } else {
                "<code>DATE_OF_VACCINATION</code> or <code>Event date</code> is required"
            },
        ),
        Cell::Blank(i) => out.col(Rule::DateOfVaccination, *i, "Enter a date."),
        Cell::Value(i, _) => match date {
            None => out.col(
                Rule::DateOfVaccination,
                *i,
                "Enter a date in the correct format.",
            ),
            Some(d) => {
                if let Some(born) = dob {
                    if d > ctx.today {
                        out.col(
                            Rule::DateOfVaccination,
                            *i,
                            "The vaccination date is in the future.",
                        );
                    } else if d < born {
                        out.col(
                            Rule::DateOfVaccination,
                            *i,
                            "The vaccination date is before the date of birth.",
                        );
                    }
                }
                if (programme == Some(Programme::Flu) || nr) && !ctx.year.contains(d) {
                    out.col(
                        Rule::DateOfVaccination,
                        *i,
                        "must be in the current academic year",
                    );
                }
                if let Some(s) = session.filter(|_| offline) {
                    if !s.is_on(d) {
                        out.col(
                            Rule::DateOfVaccination,
                            *i,
                            "Enter a date that matches when the vaccination session took place.",
                        );
                    }
                }
                if let Some(cut) = r.national_reporting_cut_off().filter(|_| nr) {
                    if d < cut {
                        out.col(
                            Rule::DateOfVaccination,
                            *i,
                            format!(
                                "must be on or after your team's start date with Mavis national \
                                 reporting: {}",
                                cut.format("%-d %B %Y")
                            ),
                        );
                    }
                }
            }
        },
    }

    // Rule 6.
    match (&site_cell, yes) {
        (Cell::Value(i, _), true) => match site {
            None => out.col(Rule::AnatomicalSite, *i, "Enter a valid anatomical site."),
            Some(s) if strict && vaccine.is_some_and(|v| !v.allows_site(s)) => out.col(
                Rule::AnatomicalSite,
                *i,
                "Enter a anatomical site that is appropriate for the vaccine.",
            ),
            Some(_) => {}
        },
        (Cell::Absent, true) if strict => {
            out.row(
                Rule::AnatomicalSite,
                "<code>ANATOMICAL_SITE</code> is required",
            );
        }
        (Cell::Blank(i), true) if strict => {
            out.col(Rule::AnatomicalSite, *i, "Enter an anatomical site.");
        }
        (Cell::Value(i, _), false) => out.col(Rule::AnatomicalSite, *i, "must be blank"),
        _ => {}
    }

    // Rule 7.
    let dose_cell = cell(C::DoseSequence);
    let mut dose_number: Option<i64> = None;
    let mut dose: Option<DoseSequence> = None;
    if let Some(p) = programme {
        let target = dose_cell.index().or(vtype.index());
        let table = |code: &str| {
            p.dose_codes()
                .iter()
                .chain(p.booster_phrases())
                .find(|(c, _)| *c == code)
                .map(|(_, n)| i64::from(*n))
        };
        let resolved: Result<Option<i64>, ()> = if let Some(part) = vt.dose {
            parse_integer(part)
                .or_else(|| table(part))
                .or_else(|| dose_cell.value().and_then(parse_integer))
                .map(Some)
                .ok_or(())
        } else if let Some(v) = dose_cell.value() {
            // Usually a number or a code already in upper case.
            let squeezed: Cow<'_, str> = if v
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
            {
                Cow::Borrowed(v)
            } else {
                v.chars()
                    .filter(|c| !c.is_whitespace())
                    .flat_map(char::to_uppercase)
                    .collect()
            };
            p.dose_codes()
                .iter()
                .find(|(c, _)| *c == squeezed)
                .map(|(_, n)| i64::from(*n))
                .or_else(|| parse_integer(&squeezed))
                .map(Some)
                .ok_or(())
        } else {
            Ok(None)
        };
        match resolved {
            Err(()) => out.at(
                Rule::DoseSequence,
                target,
                "Enter a dose sequence number, for example, 1, 2 or 3.",
            ),
            Ok(Some(n)) if n < 1 => out.at(Rule::DoseSequence, target, "must be greater than 0"),
            Ok(Some(n)) if n > i64::from(p.max_dose()) => out.at(
                Rule::DoseSequence,
                target,
                format!("must be less than or equal to {}", p.max_dose()),
            ),
            Ok(Some(n)) => {
                dose_number = Some(n);
                dose = u8::try_from(n)
                    .ok()
                    .and_then(|n| DoseSequence::new(p, n).ok());
            }
            Ok(None) => {
                let required = yes && (offline || (nr && p == Programme::Hpv));
                if required {
                    if dose_cell.is_absent() && vtype.is_absent() {
                        out.row(
                            Rule::DoseSequence,
                            if nr {
                                "<code>DOSE_SEQUENCE</code> is required"
                            } else {
                                "<code>DOSE_SEQUENCE</code> or <code>Vaccination type</code> is \
                                 required"
                            },
                        );
                    } else {
                        out.at(
                            Rule::DoseSequence,
                            target,
                            "Enter a dose sequence number, for example, 1, 2 or 3. The dose \
                             sequence number cannot be greater than 6.",
                        );
                    }
                } else if !offline {
                    dose = p.default_dose();
                    dose_number = dose.map(|d| i64::from(d.number()));
                }
            }
        }
    }

    // Rule 8.
    if let (Some(given), Some(family), Some(born)) = (forename.value(), surname.value(), dob) {
        let pc = postcode.as_ref().and_then(|p| p.as_ref().ok());
        let nn = nhs.as_ref().and_then(|n| n.as_ref().ok());
        let details = ChildDetails {
            given_name: given,
            family_name: family,
            date_of_birth: born,
            postcode: pc,
            nhs_number: nn,
        };
        if r.patients_matching(&details).is_some_and(|n| n > 1) {
            out.row(
                Rule::AmbiguousChild,
                "Two or more possible patients match the patient first name, last name, date of \
                 birth and postcode.",
            );
        }
    }

    // Rule 9.
    let local_id = cell(C::LocalPatientId);
    let local_uri = cell(C::LocalPatientIdUri);
    if nr {
        match &local_id {
            Cell::Absent => out.row(
                Rule::LocalPatientId,
                "<code>LOCAL_PATIENT_ID</code> is required",
            ),
            Cell::Blank(i) => out.col(Rule::LocalPatientId, *i, "Enter a local patient ID."),
            Cell::Value(..) => {}
        }
        match &local_uri {
            Cell::Absent => out.row(
                Rule::LocalPatientIdUri,
                "<code>LOCAL_PATIENT_ID_URI</code> is required",
            ),
            Cell::Blank(i) => out.col(Rule::LocalPatientIdUri, *i, "Enter a local patient ID URI."),
            Cell::Value(..) => {}
        }
    }

    // Rule 10.
    match &dob_cell {
        Cell::Absent => out.row(
            Rule::PersonDob,
            if nr {
                "<code>PERSON_DOB</code> is required"
            } else {
                "<code>PERSON_DOB</code> or <code>Date of birth</code> is required"
            },
        ),
        Cell::Blank(i) => out.col(Rule::PersonDob, *i, "Enter a date of birth."),
        Cell::Value(i, _) => match dob {
            None => out.col(
                Rule::PersonDob,
                *i,
                "Enter a date of birth in the correct format.",
            ),
            Some(d) if d > ctx.today => {
                out.col(Rule::PersonDob, *i, "Enter a date of birth in the past.");
            }
            Some(_) => {}
        },
    }

    // Rules 11 and 13.
    let name_rule = |out: &mut Out<'_>, c: &Cell<'_>, rule, absent_poc, absent_nr, blank| match c {
        Cell::Absent => out.row(rule, if nr { absent_nr } else { absent_poc }),
        Cell::Blank(i) => out.col(rule, *i, blank),
        Cell::Value(i, v) if too_long(v) => {
            out.col(rule, *i, "is greater than 300 characters long");
        }
        Cell::Value(..) => {}
    };
    name_rule(
        &mut out,
        &forename,
        Rule::PersonForename,
        "<code>PERSON_FORENAME</code> or <code>First name</code> is required",
        "<code>PERSON_FORENAME</code> is required",
        "Enter a first name.",
    );

    // Rule 12.
    let gender_cell = cell(C::PersonGenderCode);
    let gender = gender_cell.value().and_then(|v| Gender::parse(v).ok());
    match &gender_cell {
        Cell::Absent => out.row(
            Rule::PersonGender,
            if nr {
                "<code>PERSON_GENDER_CODE</code> or <code>PERSON_GENDER</code> is required"
            } else {
                "<code>PERSON_GENDER_CODE</code>, <code>PERSON_GENDER</code> or <code>Sex</code> \
                 is required"
            },
        ),
        Cell::Blank(i) => out.col(Rule::PersonGender, *i, "Enter a gender or gender code."),
        Cell::Value(i, _) if gender.is_none() => {
            out.col(
                Rule::PersonGender,
                *i,
                "Enter a valid gender or gender code.",
            );
        }
        Cell::Value(..) => {}
    }

    name_rule(
        &mut out,
        &surname,
        Rule::PersonSurname,
        "<code>PERSON_SURNAME</code> or <code>Surname</code> is required",
        "<code>PERSON_SURNAME</code> is required",
        "Enter a last name.",
    );

    // Rule 14.
    if let (Some(i), Some(Err(_))) = (nhs_cell.index(), &nhs) {
        out.col(
            Rule::NhsNumber,
            i,
            "should be a valid NHS number with 10 characters",
        );
    }

    // Rule 15.
    match &postcode_cell {
        Cell::Value(i, _) => {
            if matches!(postcode, Some(Err(_))) {
                out.col(
                    Rule::PersonPostcode,
                    *i,
                    "Enter a valid postcode, such as SW1A 1AA.",
                );
            }
        }
        _ if nhs_cell.is_present() && !nr => {}
        Cell::Absent => out.row(
            Rule::PersonPostcode,
            if nr {
                "<code>PERSON_POSTCODE</code> is required"
            } else {
                "<code>PERSON_POSTCODE</code> or <code>Postcode</code> is required"
            },
        ),
        Cell::Blank(i) => out.col(
            Rule::PersonPostcode,
            *i,
            "Enter a valid postcode, such as SW1A 1AA.",
        ),
    }

    // Rule 16.
    let email_cell = cell(C::PerformingProfessionalEmail);
    let user_email = |c: &Cell<'_>| c.value().and_then(|v| r.user_at(v)).map(|u| &u.email);
    let performer_user = user_email(&email_cell);
    let pp_forename = cell(C::PerformingProfessionalForename);
    let pp_surname = cell(C::PerformingProfessionalSurname);
    if offline && performer_user.is_none() {
        match email_cell.index() {
            None => out.row(
                Rule::PerformingProfessional,
                "<code>PERFORMING_PROFESSIONAL_EMAIL</code> is required",
            ),
            Some(i) => out.col(
                Rule::PerformingProfessional,
                i,
                "Enter a valid email address.",
            ),
        }
    } else if !nr && email_cell.is_present() && performer_user.is_none() {
        if let Some(i) = email_cell.index() {
            out.col(
                Rule::PerformingProfessional,
                i,
                "Enter a valid email address.",
            );
        }
    }
    if nr && yes && programme == Some(Programme::Flu) {
        for (c, header, blank) in [
            (
                &pp_forename,
                "PERFORMING_PROFESSIONAL_FORENAME",
                "Enter a forename.",
            ),
            (
                &pp_surname,
                "PERFORMING_PROFESSIONAL_SURNAME",
                "Enter a surname.",
            ),
        ] {
            match c {
                Cell::Absent => out.row(
                    Rule::PerformingProfessional,
                    format!("<code>{header}</code> is required"),
                ),
                Cell::Blank(i) => out.col(Rule::PerformingProfessional, *i, blank),
                Cell::Value(..) => {}
            }
        }
    }

    // Rule 17.
    let org_cell = cell(C::OrganisationCode);
    if strict {
        match &org_cell {
            Cell::Absent => out.row(
                Rule::OrganisationCode,
                "<code>ORGANISATION_CODE</code> is required",
            ),
            Cell::Blank(i) => out.col(Rule::OrganisationCode, *i, "Enter an organisation code."),
            Cell::Value(i, v) if !nr && v.as_ref() != r.ods_code() => out.col(
                Rule::OrganisationCode,
                *i,
                "Enter an organisation code that matches the current team.",
            ),
            Cell::Value(..) => {}
        }
    }

    // Rule 18.
    if nr {
        if let (Some(p), Some(i)) = (programme, vaccine_given.index()) {
            if !matches!(p, Programme::Flu | Programme::Hpv) {
                out.col(
                    Rule::Programme,
                    i,
                    "This vaccine programme is not accepted in this upload.",
                );
            }
        }
    } else if programme.is_none() {
        let target = programme_cell.index().or(vtype.index());
        if programme_name.is_some() {
            out.at(
                Rule::Programme,
                target,
                "This programme is not available in this session.",
            );
        } else if target.is_none() {
            out.row(
                Rule::Programme,
                "<code>PROGRAMME</code> or <code>Vaccination type</code> is required",
            );
        } else {
            out.at(Rule::Programme, target, "Enter a programme.");
        }
    }

    // Rule 19.
    let reason_cell = cell(C::ReasonNotVaccinated);
    let reason = reason_cell
        .value()
        .and_then(|v| ReasonNotVaccinated::parse(v).ok());
    let mut warning = None;
    if !nr {
        match (&reason_cell, yes) {
            (Cell::Value(i, _), true) => out.col(Rule::ReasonNotVaccinated, *i, "must be blank"),
            (Cell::Value(i, _), false) => match reason {
                None => out.col(Rule::ReasonNotVaccinated, *i, "Enter a valid reason."),
                Some(reason) if !reason.accepted_by_current_mavis() => {
                    warning = Some(Warning {
                        location: Location::cell(number, *i, header.text(*i)),
                        reason,
                    });
                }
                Some(_) => {}
            },
            (Cell::Absent, false) => out.row(
                Rule::ReasonNotVaccinated,
                "<code>REASON_NOT_VACCINATED</code> is required",
            ),
            (Cell::Blank(i), false) => {
                out.col(Rule::ReasonNotVaccinated, *i, "Enter a valid reason.");
            }
            _ => {}
        }
    }

    // Rule 20.
    let urn_cell = cell(C::SchoolUrn);
    let school_cell = cell(C::SchoolName);
    let school_required = urn_cell.value() == Some("888888");
    match &school_cell {
        Cell::Value(i, v) if too_long(v) => {
            out.col(Rule::SchoolName, *i, "is greater than 300 characters long");
        }
        Cell::Absent if school_required && !nr => out.row(
            Rule::SchoolName,
            "<code>SCHOOL_NAME</code> or <code>School</code> is required",
        ),
        Cell::Blank(i) if school_required => out.col(Rule::SchoolName, *i, "Enter a school name."),
        _ => {}
    }

    // Rule 21.
    let school = urn_cell.value().and_then(|v| r.school(v));
    match &urn_cell {
        Cell::Value(i, v) if v != "888888" && v != "999999" && school.is_none() => {
            out.col(
                Rule::SchoolUrn,
                *i,
                "The school URN is not recognised. If you\u{2019}ve checked the URN, and you \
                 believe it\u{2019}s valid, contact our support team.",
            );
        }
        Cell::Absent if nr => out.row(Rule::SchoolUrn, "<code>SCHOOL_URN</code> is required"),
        Cell::Blank(i) if nr => out.col(Rule::SchoolUrn, *i, "Enter a school URN."),
        _ => {}
    }

    // Rule 22.
    let supplier_cell = cell(C::SupplierEmail);
    let supplier = user_email(&supplier_cell);
    if let (Cell::Value(i, _), None) = (&supplier_cell, &supplier) {
        out.col(Rule::SupplierEmail, *i, "Enter a valid email address.");
    }

    // Rule 23.
    let uuid_cell = cell(C::Uuid);
    let uuid = uuid_cell.value().and_then(|v| RecordUuid::parse(v).ok());
    let existing = uuid.and_then(|u| r.record(&u));
    let from_api = existing.is_some_and(|e| e.source == RecordSource::NhsImmunisationsApi);
    if let Cell::Value(i, _) = &session_cell {
        if from_api {
            out.col(
                Rule::SessionId,
                *i,
                "A session ID cannot be provided for this record; this record was sourced from \
                 an external source.",
            );
        } else if session.is_none() {
            out.col(
                Rule::SessionId,
                *i,
                "The session ID is not recognised. Download the offline spreadsheet and copy the \
                 session ID for this row from there, or contact our support team.",
            );
        }
    }

    // Rule 24.
    let time_cell = cell(C::TimeOfVaccination);
    let time = time_cell.value().and_then(parse_time);
    if let Cell::Value(i, _) = &time_cell {
        match time {
            None => out.col(
                Rule::TimeOfVaccination,
                *i,
                "Enter a time in the correct format.",
            ),
            Some(t) if date == Some(ctx.today) && t > ctx.now => {
                out.col(Rule::TimeOfVaccination, *i, "Enter a time in the past.");
            }
            Some(_) => {}
        }
    }

    // Rule 25.
    if let Cell::Value(i, _) = &uuid_cell {
        let known = existing.is_some_and(|e| {
            e.source == RecordSource::NhsImmunisationsApi
                || e.session_id.is_some_and(|id| r.session(id).is_some())
        });
        if !known {
            out.col(Rule::Uuid, *i, "Enter an existing record.");
        }
    }

    // Rule 26.
    let vaccine_target = vaccine_given.index().or(vtype.index());
    match (vaccine, programme) {
        (Some(v), Some(p)) if v.programme() != p => out.at(
            Rule::Vaccine,
            vaccine_target,
            format!(
                "is not given in the {} programme",
                sentence_name(p, named.and_then(|(_, v)| v))
            ),
        ),
        _ if vaccine_name.is_some() && vaccine.is_none() => out.at(
            Rule::Vaccine,
            vaccine_target,
            if offline {
                "This vaccine is not available in this session."
            } else {
                "This vaccine is not valid."
            },
        ),
        _ if vaccine_name.is_none() && strict && yes => match vaccine_given.index() {
            None => out.row(Rule::Vaccine, "<code>VACCINE_GIVEN</code> is required"),
            Some(i) => out.col(Rule::Vaccine, i, "Enter a vaccine name."),
        },
        _ => {}
    }

    // §7: the duplicate key.
    let location = if nr {
        KeyLocation::School(urn_cell.value())
    } else if from_api {
        KeyLocation::NotCompared
    } else if let Some(SessionLocation::School { urn, site }) =
        session.filter(|_| offline).map(|s| &s.location)
    {
        KeyLocation::Session(urn.as_str(), *site)
    } else {
        KeyLocation::Name(location_name(
            r,
            care.flatten(),
            elt.value(),
            urn_cell.value(),
            school_cell.value(),
            clinic_cell.value(),
        ))
    };
    let performer_names = (pp_forename.value(), pp_surname.value());
    let supplier_differs = supplier.is_some() && supplier != performer_user;
    let nasal = site == Some(AnatomicalSite::Nose);
    {
        let mut h: KeyHasher = duplicates.key();
        h.add(&(forename.value(), surname.value(), dob));
        h.add(
            &postcode
                .as_ref()
                .map(|p| p.as_ref().ok().map(Postcode::as_str)),
        );
        h.add(&gender);
        match (&nhs, nhs_cell.value()) {
            (Some(Ok(n)), _) => h.add(&(1u8, n.as_str())),
            (_, Some(v)) => {
                h.add(&2u8);
                for c in v.chars().filter(|c| !c.is_whitespace()) {
                    h.add(&c);
                }
            }
            (_, None) => h.add(&0u8),
        }
        h.add(&(programme, variant, dose_number));
        h.add(&(administered, reason));
        h.add(&date);
        match &performer_user {
            Some(e) => h.add(&(0u8, e.as_str())),
            None => h.add(&(1u8, performer_names)),
        }
        h.add(&org_cell.value());
        h.add(&session.filter(|_| offline).map(|s| s.id));
        h.add(&supplier);
        h.add(&supplier_differs.then_some(nasal));
        h.add(&location);
        if nr {
            h.add(&(batch_cell.value(), expiry, time, vaccine, site));
            h.add(&(local_id.value(), local_uri.value()));
        }
        duplicates.insert_key(h, number);
    }

    let record = (want_record && out.count == 0)
        .then(|| {
            let date = date?;
            let programme = programme?;
            let outcome = if yes {
                Outcome::Administered
            } else {
                Outcome::NotAdministered(reason?)
            };
            let performed_by = match (&performer_user, performer_names) {
                (Some(e), _) => Some(Performer::User {
                    email: (*e).clone(),
                }),
                (None, (Some(g), Some(f))) => Some(Performer::Named {
                    given_name: g.to_owned(),
                    family_name: f.to_owned(),
                }),
                _ => None,
            };
            let location_name = match &location {
                KeyLocation::Name(n) => Some(n.clone()),
                _ => None,
            };
            Some(ImportedRecord {
                row: number,
                child: ChildIdentity {
                    given_name: forename.value()?.to_owned(),
                    family_name: surname.value()?.to_owned(),
                    date_of_birth: dob?,
                    gender: gender?,
                    postcode: postcode.and_then(Result::ok),
                    nhs_number: nhs.and_then(Result::ok),
                    school_urn: urn_cell.value().map(str::to_owned),
                    school_name: school_cell.value().map(str::to_owned),
                },
                programme,
                mmr_variant: variant,
                outcome,
                date,
                time,
                performed_at: london::to_utc(date.and_time(time.unwrap_or(NaiveTime::MIN))),
                vaccine,
                batch_number: batch_cell
                    .value()
                    .filter(|_| yes)
                    .and_then(|b| BatchNumber::parse(b).ok()),
                batch_expiry: expiry.filter(|_| yes),
                site: site.filter(|_| yes),
                delivery_method: site.filter(|_| yes).map(AnatomicalSite::delivery_method),
                dose_sequence: dose,
                performed_by,
                supplied_by: supplier.cloned(),
                protocol: if supplier_differs && !nasal {
                    Protocol::National
                } else {
                    Protocol::Pgd
                },
                performed_ods_code: org_cell.value().map(str::to_owned),
                location_name,
                notes: cell(C::Notes).value().map(str::to_owned),
                session_id: session.filter(|_| offline).map(|s| s.id),
                uuid,
                source: if nr {
                    RecordSource::NationalReporting
                } else if offline {
                    RecordSource::Service
                } else {
                    RecordSource::HistoricalUpload
                },
                local_patient_id: local_id
                    .value()
                    .zip(local_uri.value())
                    .map(|(a, b)| (a.to_owned(), b.to_owned())),
            })
        })
        .flatten();

    RowOutcome {
        skipped: false,
        warning,
        record,
    }
}

/// The location part of the duplicate key (§7, item 11).
#[derive(Hash)]
enum KeyLocation<'a> {
    NotCompared,
    School(Option<&'a str>),
    Session(&'a str, Option<char>),
    Name(String),
}

/// The location name of a row without a session location (§7, item 11).
fn location_name<R: Reference + ?Sized>(
    r: &R,
    care: Option<i64>,
    location_type: Option<&str>,
    urn: Option<&str>,
    school_name: Option<&str>,
    clinic_name: Option<&str>,
) -> String {
    let school_setting = match (care, location_type) {
        (Some(1), _) => true,
        (Some(2), _) => false,
        (_, Some(t)) => t.eq_ignore_ascii_case("school"),
        (_, None) => clinic_name.is_none(),
    };
    let name = if school_setting {
        urn.and_then(|u| r.school(u))
            .map(|s| s.name.as_str())
            .or(school_name)
    } else {
        clinic_name.map(|c| r.clinic(c).unwrap_or(c))
    };
    name.unwrap_or("Unknown").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vaccination_types() {
        let t = split_vaccination_type;
        assert_eq!(
            t("Human Papillomavirus 1"),
            VaccinationType {
                programme: Some("HPV"),
                vaccine: None,
                dose: Some("1")
            }
        );
        assert_eq!(
            t("Td/IPV 2nd Scheduled Booster").dose,
            Some("2nd Scheduled Booster")
        );
        assert_eq!(t("Flu").dose, None);
        assert_eq!(
            t("Gardasil9 1"),
            VaccinationType {
                programme: None,
                vaccine: Some("Gardasil9"),
                dose: Some("1")
            }
        );
        assert_eq!(
            t("Meningococcal conjugate A,C, W135 + Y").programme,
            Some("MenACWY")
        );
        assert_eq!(
            sentence_name(Programme::Mmr, Some(MmrVariant::Mmrv)),
            "MMRV"
        );
        assert_eq!(sentence_name(Programme::Flu, None), "flu");
    }
}
