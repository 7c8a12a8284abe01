//! Children in a session and, per programme, their consent, health answers,
//! triage, Gillick assessment and PSD.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::AcademicYear;
use crate::codes::{Email, SchoolUrn};
use crate::error::{Error, Result};
use crate::nhs_number::NhsNumber;
use crate::postcode::Postcode;
use crate::programme::{DoseSequence, MmrVariant, Programme};
use crate::record::VaccinationRecord;
use crate::vaccine::VaccineMethod;

/// A child (patient) in a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Child {
    /// The service's patient id, unique in the document.
    pub id: u64,
    /// Legal given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// A year group the service set by hand, overriding the one computed
    /// from the date of birth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_group_override: Option<i32>,
    /// Registration (form) group, e.g. `8T5`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<String>,
    /// Gender.
    pub gender: Gender,
    /// First line of the address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line_1: Option<String>,
    /// Postcode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<Postcode>,
    /// NHS number, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nhs_number: Option<NhsNumber>,
    /// The child's school.
    pub school: ChildSchool,
    /// A restricted record (sensitive address): the address and postcode
    /// are withheld from the spreadsheet.
    #[serde(default)]
    pub restricted: bool,
    /// An invalidated record: still listed, struck through.
    #[serde(default)]
    pub invalidated: bool,
    /// The child has died: Mavis's Record offline leaves them off the sheet
    /// (issue 17, item 12). Absent from a document, both this and
    /// [`Child::ineligible`] are false, and they are written only when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deceased: bool,
    /// Mavis counts the child as not eligible for the session (its
    /// `session.rb`, lines 207-214), and leaves them off the sheet.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ineligible: bool,
    /// Per programme of the session: consent, triage, Gillick, PSD.
    #[serde(default)]
    pub programmes: Vec<ChildProgramme>,
    /// Existing vaccination records of the child, any programme, session or
    /// source, in the service's order; discarded records are left out.
    #[serde(default)]
    pub records: Vec<VaccinationRecord>,
}

impl Child {
    /// The child's year group in `year`: the override if the service set
    /// one, otherwise computed from the date of birth.
    pub fn year_group(&self, year: AcademicYear) -> i32 {
        self.year_group_override
            .unwrap_or_else(|| year.year_group_of(self.date_of_birth))
    }

    /// The MMR(V) variant the spreadsheet gives the child.
    pub fn mmr_variant(&self) -> MmrVariant {
        MmrVariant::for_child_born(self.date_of_birth)
    }

    /// The child's state for a programme, if the service supplied one.
    pub fn programme(&self, programme: Programme) -> Option<&ChildProgramme> {
        self.programmes.iter().find(|p| p.programme == programme)
    }

    /// The child's existing records for a programme, in order, without the
    /// discarded ones.
    pub fn records_for(&self, programme: Programme) -> impl Iterator<Item = &VaccinationRecord> {
        self.records
            .iter()
            .filter(move |r| r.programme == programme && !r.discarded)
    }

    /// `Given Family`.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

/// A child as the upload's reference data knows it: who the child is and
/// the existing records, without the consent, triage and Gillick state the
/// validator never reads. Read from a session document's `children` (their
/// other fields are skipped unread), it is the quick way to check an upload
/// against a large session.
///
/// # Examples
///
/// ```
/// use mavis_domain::{ChildReference, DocumentChild};
///
/// let child: ChildReference = serde_json::from_str(
///     r#"{"id": 7, "given_name": "Aisha", "family_name": "Khan",
///         "date_of_birth": "2012-09-01", "gender": "female",
///         "school": {"kind": "home_educated"},
///         "programmes": [{"programme": "hpv", "anything": "unread"}]}"#,
/// )?;
/// assert_eq!(child.full_name(), "Aisha Khan");
/// assert!(child.records.is_empty());
/// assert!(child.programmes().is_empty());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildReference {
    /// [`Child::id`].
    pub id: u64,
    /// [`Child::given_name`].
    pub given_name: String,
    /// [`Child::family_name`].
    pub family_name: String,
    /// [`Child::date_of_birth`].
    pub date_of_birth: NaiveDate,
    /// [`Child::postcode`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<Postcode>,
    /// [`Child::nhs_number`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nhs_number: Option<NhsNumber>,
    /// [`Child::school`].
    pub school: ChildSchool,
    /// [`Child::records`].
    #[serde(default)]
    pub records: Vec<VaccinationRecord>,
}

impl ChildReference {
    /// `Given Family`.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

/// A child of a [`crate::SessionDocument`]: the whole [`Child`], or the
/// [`ChildReference`] an upload is checked against.
pub trait DocumentChild {
    /// Who the child is and the existing records.
    fn reference(&self) -> Cow<'_, ChildReference>;

    /// The consent, triage and Gillick state per programme, where read.
    fn programmes(&self) -> &[ChildProgramme];
}

impl DocumentChild for Child {
    fn reference(&self) -> Cow<'_, ChildReference> {
        Cow::Owned(ChildReference {
            id: self.id,
            given_name: self.given_name.clone(),
            family_name: self.family_name.clone(),
            date_of_birth: self.date_of_birth,
            postcode: self.postcode,
            nhs_number: self.nhs_number,
            school: self.school.clone(),
            records: self.records.clone(),
        })
    }

    fn programmes(&self) -> &[ChildProgramme] {
        &self.programmes
    }
}

impl DocumentChild for ChildReference {
    fn reference(&self) -> Cow<'_, ChildReference> {
        Cow::Borrowed(self)
    }

    fn programmes(&self) -> &[ChildProgramme] {
        &[]
    }
}

/// `PERSON_GENDER_CODE`.
///
/// # Examples
///
/// ```
/// use mavis_domain::Gender;
///
/// assert_eq!(Gender::parse("Not Specified")?, Gender::NotSpecified);
/// assert_eq!(Gender::parse("unknown")?, Gender::NotKnown);
/// assert!(Gender::parse("M").is_err());
/// assert_eq!(Gender::Female.text(), "Female");
/// # Ok::<(), mavis_domain::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Not known.
    NotKnown,
    /// Male.
    Male,
    /// Female.
    Female,
    /// Not specified.
    NotSpecified,
}

impl Gender {
    /// In the order of the spreadsheet's dropdown.
    pub const ALL: [Gender; 4] = [
        Gender::NotKnown,
        Gender::Male,
        Gender::Female,
        Gender::NotSpecified,
    ];

    /// The text the spreadsheet writes: `Male`, `Female`, `Not known`,
    /// `Not specified`.
    pub fn text(self) -> &'static str {
        match self {
            Gender::NotKnown => "Not known",
            Gender::Male => "Male",
            Gender::Female => "Female",
            Gender::NotSpecified => "Not specified",
        }
    }

    /// The internal code the dropdown lists: `not_known`, `male`…
    pub fn code(self) -> &'static str {
        match self {
            Gender::NotKnown => "not_known",
            Gender::Male => "male",
            Gender::Female => "female",
            Gender::NotSpecified => "not_specified",
        }
    }

    /// Read a gender as the importer does: lower-cased, spaces as
    /// underscores; `indeterminate` and `unknown` mean not known. Numeric
    /// NHS codes and initials are not accepted.
    ///
    /// # Errors
    ///
    /// [`crate::ErrorKind::Unknown`] listing the texts.
    pub fn parse(text: &str) -> Result<Gender> {
        let key = text.trim();
        let is = |code: &str| crate::text::lower_eq(key, code, b'_');
        if is("indeterminate") || is("unknown") {
            return Ok(Gender::NotKnown);
        }
        Gender::ALL
            .into_iter()
            .find(|g| is(g.code()))
            .ok_or_else(|| Error::unknown("gender", text, "Male, Female, Not known, Not specified"))
    }
}

impl fmt::Display for Gender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

impl FromStr for Gender {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Gender::parse(s)
    }
}

/// The school a child attends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChildSchool {
    /// A school, by URN (and site), named in the document's schools.
    School {
        /// URN.
        urn: SchoolUrn,
        /// Site letter of a split-site school.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        site: Option<char>,
    },
    /// Home-educated (URN `999999`).
    HomeEducated,
    /// School not known (URN `888888`).
    Unknown,
}

/// A child's state for one programme of the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildProgramme {
    /// The programme.
    pub programme: Programme,
    /// The consent status in the academic year.
    pub consent_status: ConsentStatus,
    /// The consents received (all of them; the spreadsheet picks the ones
    /// to show).
    #[serde(default)]
    pub consents: Vec<Consent>,
    /// The most recent non-invalidated triage in the academic year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub triage: Option<Triage>,
    /// The most recent Gillick assessment made in this session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gillick: Option<GillickAssessment>,
    /// Whether the child has a current patient-specific direction.
    #[serde(default)]
    pub psd: bool,
    /// The next dose the service suggests, written on the fill-in row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested_dose: Option<DoseSequence>,
}

/// The consent status for a programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ConsentStatus {
    /// Consent given, for these vaccine methods (in the order stored).
    Given {
        /// The consented methods; flu may name both.
        methods: Vec<VaccineMethod>,
    },
    /// Consent refused: the row is filled light red.
    Refused,
    /// The parents disagree: the row is filled amber.
    Conflicting,
    /// No response yet.
    NoResponse,
    /// Consent is not required.
    NotRequired,
}

impl ConsentStatus {
    /// The `CONSENT_STATUS` text (`offline-spreadsheet.md` §5.1).
    ///
    /// # Examples
    ///
    /// ```
    /// use mavis_domain::{ConsentStatus, Programme, VaccineMethod};
    ///
    /// let given = ConsentStatus::Given {
    ///     methods: vec![VaccineMethod::Nasal, VaccineMethod::Injection],
    /// };
    /// assert_eq!(given.text(Programme::Flu), "Consent given for nasal spray and injection");
    /// assert_eq!(given.text(Programme::Hpv), "Consent given");
    /// assert_eq!(ConsentStatus::NoResponse.text(Programme::Hpv), "");
    /// ```
    pub fn text(&self, programme: Programme) -> String {
        match self {
            ConsentStatus::Given { methods } if programme.vaccine_methods().len() > 1 => {
                let labels: Vec<&str> = methods.iter().map(|m| m.label()).collect();
                format!("Consent given for {}", english_list(&labels))
            }
            ConsentStatus::Given { .. } => "Consent given".to_owned(),
            ConsentStatus::Refused => "Consent refused".to_owned(),
            ConsentStatus::Conflicting => "Conflicting consent".to_owned(),
            ConsentStatus::NoResponse | ConsentStatus::NotRequired => String::new(),
        }
    }
}

/// `a`, `a and b`, `a, b and c`.
pub fn english_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A consent response from a parent or the child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// Who responded.
    pub respondent: Respondent,
    /// Given or refused.
    pub response: ConsentResponse,
    /// When the response was recorded.
    pub recorded_at: DateTime<Utc>,
    /// Invalidated consents are not shown.
    #[serde(default)]
    pub invalidated: bool,
    /// The answers to the health questions given with this consent.
    #[serde(default)]
    pub health_answers: Vec<HealthAnswer>,
}

/// Who gave a consent response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Respondent {
    /// A parent or guardian.
    Parent {
        /// The name recorded with the consent, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// Their relationship to the child.
        relationship: Relationship,
    },
    /// The child, consenting for themself (Gillick competent).
    Child,
}

/// A parent's relationship to the child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    /// Mother.
    Mother,
    /// Father.
    Father,
    /// Guardian.
    Guardian,
    /// Another relationship, in the parent's words.
    Other(String),
    /// Not recorded.
    Unknown,
}

impl Relationship {
    /// The label the health answers use: `Mum`, `Dad`, `Guardian`, the
    /// "other" text capitalised as Ruby's `capitalize` does (its first
    /// letter upper case, the rest lower: "Step-mum", issue 17, item 13),
    /// or `None` when unknown.
    ///
    /// ```
    /// use mavis_domain::Relationship;
    ///
    /// let other = Relationship::Other("step-Mum".to_owned());
    /// assert_eq!(other.label().as_deref(), Some("Step-mum"));
    /// ```
    pub fn label(&self) -> Option<String> {
        match self {
            Relationship::Mother => Some("Mum".to_owned()),
            Relationship::Father => Some("Dad".to_owned()),
            Relationship::Guardian => Some("Guardian".to_owned()),
            Relationship::Other(text) => {
                let mut chars = text.chars();
                chars.next().map(|first| {
                    first
                        .to_uppercase()
                        .chain(chars.flat_map(char::to_lowercase))
                        .collect()
                })
            }
            Relationship::Unknown => None,
        }
    }
}

/// A consent response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentResponse {
    /// Consent given.
    Given,
    /// Consent refused.
    Refused,
}

impl ConsentResponse {
    /// `GIVEN` or `REFUSED`, as `CONSENT_DETAILS` writes it.
    pub fn text(self) -> &'static str {
        match self {
            ConsentResponse::Given => "GIVEN",
            ConsentResponse::Refused => "REFUSED",
        }
    }
}

/// An answer to one health question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthAnswer {
    /// The question as asked.
    pub question: String,
    /// The answer; `None` when the question was not answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<YesNo>,
    /// Notes given with a `Yes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// Yes or no.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum YesNo {
    /// Yes.
    Yes,
    /// No.
    No,
}

impl YesNo {
    /// `Yes` or `No`.
    pub fn text(self) -> &'static str {
        match self {
            YesNo::Yes => "Yes",
            YesNo::No => "No",
        }
    }
}

/// A triage decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Triage {
    /// The outcome.
    pub status: TriageStatus,
    /// Who decided.
    pub recorded_by: Email,
    /// When.
    pub recorded_at: DateTime<Utc>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// The outcome of a triage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum TriageStatus {
    /// Safe to vaccinate, with a method for flu.
    SafeToVaccinate {
        /// The method (flu only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        method: Option<VaccineMethod>,
    },
    /// Do not vaccinate.
    DoNotVaccinate,
    /// Keep in triage.
    KeepInTriage,
    /// Delay vaccination, until a date if one was set.
    DelayVaccination {
        /// The date to delay until.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<NaiveDate>,
    },
    /// Invite to a community clinic.
    InviteToClinic,
}

impl TriageStatus {
    /// The `TRIAGE_STATUS` text of a triage for `programme`, as Mavis writes
    /// it: the method named only where the programme has more than one (an
    /// HPV triage that carries the method injection is "Safe to
    /// vaccinate", issue 17, item 13).
    ///
    /// ```
    /// use mavis_domain::{Programme, TriageStatus, VaccineMethod};
    ///
    /// let safe = TriageStatus::SafeToVaccinate { method: Some(VaccineMethod::Injection) };
    /// assert_eq!(safe.text_for(Programme::Hpv), "Safe to vaccinate");
    /// assert_eq!(safe.text_for(Programme::Flu), "Safe to vaccinate with injection");
    /// ```
    pub fn text_for(&self, programme: Programme) -> String {
        match self {
            TriageStatus::SafeToVaccinate { method: Some(_) }
                if programme.vaccine_methods().len() < 2 =>
            {
                TriageStatus::SafeToVaccinate { method: None }.text()
            }
            _ => self.text(),
        }
    }

    /// The `TRIAGE_STATUS` text (`offline-spreadsheet.md` §5.4).
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use mavis_domain::{TriageStatus, VaccineMethod};
    ///
    /// let safe = TriageStatus::SafeToVaccinate { method: Some(VaccineMethod::Nasal) };
    /// assert_eq!(safe.text(), "Safe to vaccinate with nasal spray");
    /// let delay = TriageStatus::DelayVaccination { until: NaiveDate::from_ymd_opt(2026, 1, 5) };
    /// assert_eq!(delay.text(), "Delay vaccination until 5 January 2026");
    /// ```
    pub fn text(&self) -> String {
        match self {
            TriageStatus::SafeToVaccinate { method: None } => "Safe to vaccinate".to_owned(),
            TriageStatus::SafeToVaccinate { method: Some(m) } => {
                format!("Safe to vaccinate with {}", m.label())
            }
            TriageStatus::DoNotVaccinate => "Do not vaccinate".to_owned(),
            TriageStatus::KeepInTriage => "Keep in triage".to_owned(),
            TriageStatus::DelayVaccination { until: Some(d) } => {
                format!("Delay vaccination until {}", d.format("%-d %B %Y"))
            }
            TriageStatus::DelayVaccination { until: None } => {
                "Delay vaccination to a later date".to_owned()
            }
            TriageStatus::InviteToClinic => "Invited to clinic".to_owned(),
        }
    }
}

/// A Gillick competence assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GillickAssessment {
    /// Whether the child was found Gillick competent.
    pub competent: bool,
    /// Who assessed.
    pub assessed_by: Email,
    /// When.
    pub recorded_at: DateTime<Utc>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl GillickAssessment {
    /// `Gillick competent` or `Not Gillick competent`.
    pub fn text(&self) -> &'static str {
        if self.competent {
            "Gillick competent"
        } else {
            "Not Gillick competent"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deceased_and_ineligible_are_written_only_when_true() {
        let json = r#"{"id": 7, "given_name": "Aisha", "family_name": "Khan",
            "date_of_birth": "2012-09-01", "gender": "female",
            "school": {"kind": "home_educated"}}"#;
        let mut child: Child = serde_json::from_str(json).unwrap();
        assert!(!child.deceased && !child.ineligible);
        let plain = serde_json::to_string(&child).unwrap();
        assert!(!plain.contains("deceased") && !plain.contains("ineligible"));
        child.deceased = true;
        child.ineligible = true;
        let marked = serde_json::to_string(&child).unwrap();
        let back: Child = serde_json::from_str(&marked).unwrap();
        assert!(back.deceased && back.ineligible, "{marked}");
    }

    #[test]
    fn genders() {
        for (text, g) in [
            ("Male", Gender::Male),
            ("FEMALE", Gender::Female),
            ("Not known", Gender::NotKnown),
            ("not_known", Gender::NotKnown),
            ("Not Specified", Gender::NotSpecified),
            ("Unknown", Gender::NotKnown),
            ("indeterminate", Gender::NotKnown),
        ] {
            assert_eq!(Gender::parse(text).unwrap(), g, "{text}");
        }
        for bad in ["M", "F", "1", "2", "9", "not-known", ""] {
            assert!(Gender::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Gender::ALL.map(Gender::code).join(", "),
            "not_known, male, female, not_specified"
        );
    }

    #[test]
    fn lists_and_labels() {
        assert_eq!(english_list(&["a", "b", "c"]), "a, b and c");
        assert_eq!(english_list(&["a", "b"]), "a and b");
        assert_eq!(english_list(&[]), "");
        assert_eq!(
            Relationship::Other("grandma".into()).label().as_deref(),
            Some("Grandma")
        );
        assert_eq!(Relationship::Unknown.label(), None);
        assert_eq!(
            ConsentStatus::Refused.text(Programme::Flu),
            "Consent refused"
        );
        assert_eq!(
            ConsentStatus::Conflicting.text(Programme::Hpv),
            "Conflicting consent"
        );
        assert_eq!(
            TriageStatus::DelayVaccination { until: None }.text(),
            "Delay vaccination to a later date"
        );
        assert_eq!(TriageStatus::InviteToClinic.text(), "Invited to clinic");
    }
}
