//! What the validator needs to know about the team, its people, places,
//! sessions and existing records (`reference-data.md` §2), through a trait a
//! service can answer from its database, and an in-memory answer built from
//! the session document.

use std::collections::{HashMap, HashSet};

/// The reference data's lookups: their keys come from the service, not the
/// file, so a fast hash (foldhash, still seeded per process) serves better
/// than the default SipHash.
type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;
type Set<K> = HashSet<K, foldhash::fast::RandomState>;

use chrono::NaiveDate;
use mavis_domain::{
    ChildReference, DocumentChild, Email, NhsNumber, OdsCode, Postcode, Programme, RecordSource,
    RecordUuid, School, Session, SessionDocument, Team, UploadType, User, Vaccine,
};

/// An existing vaccination record, as far as the validator needs it
/// (rules 23 and 25).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownRecord {
    /// Where the record came from.
    pub source: RecordSource,
    /// The session it belongs to, if any.
    pub session_id: Option<u64>,
}

/// The child's details of a row, for a service's patient matching
/// (rule 8, optional).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildDetails<'a> {
    /// First name as written.
    pub given_name: &'a str,
    /// Last name as written.
    pub family_name: &'a str,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// Postcode, when valid.
    pub postcode: Option<&'a Postcode>,
    /// NHS number, when valid.
    pub nhs_number: Option<&'a NhsNumber>,
}

/// The reference data a validation reads.
///
/// Lookups return `None` for anything the service does not know; the
/// validator then reports the value as not recognised. Implement it over a
/// database, or use [`SessionReference`].
pub trait Reference {
    /// The team's organisation ODS code, compared exactly with
    /// `ORGANISATION_CODE` on offline rows (rule 17).
    fn ods_code(&self) -> &str;

    /// Point of care or national reporting: selects the rule set.
    fn upload_type(&self) -> UploadType;

    /// The team's programmes.
    fn programmes(&self) -> &[Programme];

    /// For national-reporting teams, the earliest vaccination date
    /// accepted (rule 5).
    fn national_reporting_cut_off(&self) -> Option<NaiveDate>;

    /// The user with this email (already trimmed and lower-cased).
    fn user(&self, email: &Email) -> Option<&User>;

    /// The user with the email address a cell holds (any case, spaces
    /// around it); `None` when the text is not an email address or names
    /// nobody. By default parses it and asks [`Reference::user`].
    fn user_at(&self, address: &str) -> Option<&User> {
        Email::parse(address).ok().and_then(|e| self.user(&e))
    }

    /// The team's session with this id, any academic year; the validator
    /// recognises only those of the current academic year.
    fn session(&self, id: u64) -> Option<&Session>;

    /// The team's community clinic with this name compared
    /// case-insensitively; returns the name as the service holds it.
    fn clinic(&self, name: &str) -> Option<&str>;

    /// The school a `SCHOOL_URN` value names: a URN, a URN followed by a
    /// site letter, or a SystmOne school code. `888888` and `999999` are
    /// handled by the validator.
    fn school(&self, code: &str) -> Option<&School>;

    /// The existing record with this UUID, from any source.
    fn record(&self, uuid: &RecordUuid) -> Option<KnownRecord>;

    /// The vaccine a `VACCINE_GIVEN` name means among the vaccines of the
    /// team's programmes (discontinued ones included): by upload name, then
    /// NIVS name, exactly.
    fn vaccine(&self, name: &str) -> Option<Vaccine> {
        Vaccine::from_upload_or_nivs_name(name)
            .filter(|v| self.programmes().contains(&v.programme()))
    }

    /// How many existing patients match the child (rule 8), when the
    /// service can tell; `None` skips the rule.
    fn patients_matching(&self, _child: &ChildDetails<'_>) -> Option<usize> {
        None
    }
}

/// Reference data held in memory, built from a [`SessionDocument`] or
/// piece by piece.
///
/// # Examples
///
/// ```
/// use mavis_domain::chrono::NaiveDate;
/// use mavis_demo::{self as demo, DemoOptions};
/// use mavis_import::{Reference, SessionReference};
///
/// let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
/// let doc = demo::session(&DemoOptions::new(today));
/// let reference = SessionReference::from_document(&doc);
/// assert_eq!(reference.ods_code(), doc.team.ods_code.as_str());
/// assert!(reference.session(doc.session.id).is_some());
/// ```
#[derive(Debug, Clone)]
pub struct SessionReference {
    team: Team,
    users: Map<Email, User>,
    sessions: Map<u64, Session>,
    clinics: Map<String, String>,
    schools: Map<String, School>,
    records: Map<RecordUuid, KnownRecord>,
    patients: Vec<Patient>,
    /// Rule 8's lookups, so that a row costs the same however many
    /// patients there are: NHS numbers, and (given, family) lower-cased
    /// with the date of birth, to patient indices.
    patient_nhs: Set<NhsNumber>,
    patient_names: Map<(String, String, NaiveDate), Vec<usize>>,
}

/// A patient the service knows, for rule 8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patient {
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// Postcode, when known.
    pub postcode: Option<Postcode>,
    /// NHS number, when known.
    pub nhs_number: Option<NhsNumber>,
}

impl SessionReference {
    /// Reference data for a team, with no users, places, sessions or
    /// records yet.
    pub fn new(team: Team) -> SessionReference {
        SessionReference {
            team,
            users: Map::default(),
            sessions: Map::default(),
            clinics: Map::default(),
            schools: Map::default(),
            records: Map::default(),
            patients: Vec::new(),
            patient_nhs: Set::default(),
            patient_names: Map::default(),
        }
    }

    /// Everything a session document holds: the team, users, schools,
    /// clinics, the session and the other sessions, every child's records
    /// (discarded ones too: an upload naming one restores it), and the
    /// children as the patients rule 8 compares with.
    pub fn from_document<C: DocumentChild>(doc: &SessionDocument<C>) -> SessionReference {
        let mut r = SessionReference::new(doc.team.clone());
        for u in &doc.users {
            r.add_user(u.clone());
        }
        for s in &doc.schools {
            r.add_school(s.clone());
        }
        for c in &doc.clinics {
            r.add_clinic(&c.name);
        }
        for s in doc.sessions() {
            r.add_session(s.clone());
        }
        for child in &doc.children {
            let child = child.reference();
            r.add_records_of(&child);
            r.add_patient(Patient {
                given_name: child.given_name.clone(),
                family_name: child.family_name.clone(),
                date_of_birth: child.date_of_birth,
                postcode: child.postcode,
                nhs_number: child.nhs_number,
            });
        }
        r
    }

    /// The team.
    pub fn team(&self) -> &Team {
        &self.team
    }

    /// The team, to change (for example its programmes or upload type).
    pub fn team_mut(&mut self) -> &mut Team {
        &mut self.team
    }

    /// Add a user (replacing one with the same email).
    pub fn add_user(&mut self, user: User) -> &mut Self {
        self.users.insert(user.email.clone(), user);
        self
    }

    /// Add a school; it is recognised by its URN (with its site letter, if
    /// any) and by its SystmOne code.
    pub fn add_school(&mut self, school: School) -> &mut Self {
        if let Some(code) = &school.systm_one_code {
            self.schools.insert(code.clone(), school.clone());
        }
        self.schools.insert(school.urn_and_site(), school);
        self
    }

    /// Add a community clinic of the team.
    pub fn add_clinic(&mut self, name: &str) -> &mut Self {
        self.clinics.insert(name.to_lowercase(), name.to_owned());
        self
    }

    /// Add a session of the team.
    pub fn add_session(&mut self, session: Session) -> &mut Self {
        self.sessions.insert(session.id, session);
        self
    }

    /// Add an existing record.
    pub fn add_record(&mut self, uuid: RecordUuid, record: KnownRecord) -> &mut Self {
        self.records.insert(uuid, record);
        self
    }

    fn add_records_of(&mut self, child: &ChildReference) {
        for rec in &child.records {
            self.add_record(
                rec.uuid,
                KnownRecord {
                    source: rec.source,
                    session_id: rec.session_id,
                },
            );
        }
    }

    /// Add a patient, so that rule 8 (more than one patient matches a row)
    /// runs; without any patient it is skipped.
    pub fn add_patient(&mut self, patient: Patient) -> &mut Self {
        if let Some(nhs) = patient.nhs_number {
            self.patient_nhs.insert(nhs);
        }
        self.patient_names
            .entry((
                patient.given_name.to_lowercase(),
                patient.family_name.to_lowercase(),
                patient.date_of_birth,
            ))
            .or_default()
            .push(self.patients.len());
        self.patients.push(patient);
        self
    }

    /// Set the team's organisation ODS code.
    pub fn set_ods_code(&mut self, code: OdsCode) -> &mut Self {
        self.team.ods_code = code;
        self
    }
}

impl Reference for SessionReference {
    fn ods_code(&self) -> &str {
        self.team.ods_code.as_str()
    }

    fn upload_type(&self) -> UploadType {
        self.team.upload_type
    }

    fn programmes(&self) -> &[Programme] {
        &self.team.programmes
    }

    fn national_reporting_cut_off(&self) -> Option<NaiveDate> {
        self.team.national_reporting_cut_off
    }

    fn user(&self, email: &Email) -> Option<&User> {
        self.users.get(email)
    }

    /// Looks an address already in lower case up as it is, without
    /// building an [`Email`].
    fn user_at(&self, address: &str) -> Option<&User> {
        if plain_address(address) {
            self.users.get(address)
        } else {
            Email::parse(address).ok().and_then(|e| self.users.get(&e))
        }
    }

    fn session(&self, id: u64) -> Option<&Session> {
        self.sessions.get(&id)
    }

    fn clinic(&self, name: &str) -> Option<&str> {
        self.clinics.get(&name.to_lowercase()).map(String::as_str)
    }

    fn school(&self, code: &str) -> Option<&School> {
        self.schools.get(code)
    }

    fn record(&self, uuid: &RecordUuid) -> Option<KnownRecord> {
        self.records.get(uuid).copied()
    }

    /// Patients with the row's NHS number, if one has it; otherwise those
    /// with the same names (any case) and date of birth, and the same
    /// postcode when the row gives a valid one.
    fn patients_matching(&self, child: &ChildDetails<'_>) -> Option<usize> {
        if self.patients.is_empty() {
            return None;
        }
        if let Some(nhs) = child.nhs_number {
            if self.patient_nhs.contains(nhs) {
                return Some(1);
            }
        }
        let key = (
            child.given_name.to_lowercase(),
            child.family_name.to_lowercase(),
            child.date_of_birth,
        );
        Some(self.patient_names.get(&key).map_or(0, |found| {
            found
                .iter()
                .filter(|&&i| {
                    child
                        .postcode
                        .is_none_or(|pc| self.patients[i].postcode.as_ref() == Some(pc))
                })
                .count()
        }))
    }
}

/// Whether `text` is an email address exactly as [`Email`] holds it: ASCII
/// with no upper-case letter, no whitespace, and one `@` with text before
/// and after it. One pass over the bytes, for the usual cell.
fn plain_address(text: &str) -> bool {
    let b = text.as_bytes();
    let mut at = None;
    for (i, &c) in b.iter().enumerate() {
        if c == b'@' {
            if at.is_some() {
                return false;
            }
            at = Some(i);
        } else if !c.is_ascii() || matches!(c, b' ' | b'\t'..=b'\r') || c.is_ascii_uppercase() {
            return false;
        }
    }
    at.is_some_and(|i| i > 0 && i + 1 < b.len())
}

impl<T: Reference + ?Sized> Reference for &T {
    fn ods_code(&self) -> &str {
        (**self).ods_code()
    }
    fn upload_type(&self) -> UploadType {
        (**self).upload_type()
    }
    fn programmes(&self) -> &[Programme] {
        (**self).programmes()
    }
    fn national_reporting_cut_off(&self) -> Option<NaiveDate> {
        (**self).national_reporting_cut_off()
    }
    fn user(&self, email: &Email) -> Option<&User> {
        (**self).user(email)
    }
    fn user_at(&self, address: &str) -> Option<&User> {
        (**self).user_at(address)
    }
    fn session(&self, id: u64) -> Option<&Session> {
        (**self).session(id)
    }
    fn clinic(&self, name: &str) -> Option<&str> {
        (**self).clinic(name)
    }
    fn school(&self, code: &str) -> Option<&School> {
        (**self).school(code)
    }
    fn record(&self, uuid: &RecordUuid) -> Option<KnownRecord> {
        (**self).record(uuid)
    }
    fn vaccine(&self, name: &str) -> Option<Vaccine> {
        (**self).vaccine(name)
    }
    fn patients_matching(&self, child: &ChildDetails<'_>) -> Option<usize> {
        (**self).patients_matching(child)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// An address is taken as it is only when it is the email it
        /// parses to, and always when that is so and it is ASCII.
        #[test]
        fn plain_addresses_are_their_email(text in "[aZ@. \t\u{e9}\u{7f}]{0,8}") {
            let as_is = Email::parse(&text).is_ok_and(|e| e.as_str() == text);
            if plain_address(&text) {
                prop_assert!(as_is);
            }
            if text.is_ascii() {
                prop_assert_eq!(plain_address(&text), as_is);
            }
        }
    }
}
