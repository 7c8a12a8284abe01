//! The columns of the `Vaccinations` sheet (`offline-spreadsheet.md` §3).

use std::fmt;

/// A column of the `Vaccinations` sheet. The order of the variants is the
/// order of the columns; `PsdStatus` is present only when the session has
/// patient-specific directions enabled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)] // each variant is its header
pub enum Column {
    PersonForename,
    PersonSurname,
    OrganisationCode,
    SchoolName,
    ClinicName,
    CareSetting,
    PersonDob,
    YearGroup,
    Registration,
    PersonGenderCode,
    PersonAddressLine1,
    PersonPostcode,
    NhsNumber,
    ConsentStatus,
    ConsentDetails,
    HealthQuestionAnswers,
    TriageStatus,
    TriagedBy,
    TriageDate,
    TriageNotes,
    GillickStatus,
    GillickAssessmentDate,
    GillickAssessedBy,
    GillickAssessmentNotes,
    PsdStatus,
    Vaccinated,
    DateOfVaccination,
    TimeOfVaccination,
    Programme,
    VaccineGiven,
    PerformingProfessionalEmail,
    SupplierEmail,
    BatchNumber,
    BatchExpiryDate,
    AnatomicalSite,
    DoseSequence,
    ReasonNotVaccinated,
    Notes,
    SessionId,
    Uuid,
}

const ALL: [Column; 40] = [
    Column::PersonForename,
    Column::PersonSurname,
    Column::OrganisationCode,
    Column::SchoolName,
    Column::ClinicName,
    Column::CareSetting,
    Column::PersonDob,
    Column::YearGroup,
    Column::Registration,
    Column::PersonGenderCode,
    Column::PersonAddressLine1,
    Column::PersonPostcode,
    Column::NhsNumber,
    Column::ConsentStatus,
    Column::ConsentDetails,
    Column::HealthQuestionAnswers,
    Column::TriageStatus,
    Column::TriagedBy,
    Column::TriageDate,
    Column::TriageNotes,
    Column::GillickStatus,
    Column::GillickAssessmentDate,
    Column::GillickAssessedBy,
    Column::GillickAssessmentNotes,
    Column::PsdStatus,
    Column::Vaccinated,
    Column::DateOfVaccination,
    Column::TimeOfVaccination,
    Column::Programme,
    Column::VaccineGiven,
    Column::PerformingProfessionalEmail,
    Column::SupplierEmail,
    Column::BatchNumber,
    Column::BatchExpiryDate,
    Column::AnatomicalSite,
    Column::DoseSequence,
    Column::ReasonNotVaccinated,
    Column::Notes,
    Column::SessionId,
    Column::Uuid,
];

impl Column {
    /// The header text, exactly as the sheet writes it.
    pub fn header(self) -> &'static str {
        match self {
            Column::PersonForename => "PERSON_FORENAME",
            Column::PersonSurname => "PERSON_SURNAME",
            Column::OrganisationCode => "ORGANISATION_CODE",
            Column::SchoolName => "SCHOOL_NAME",
            Column::ClinicName => "CLINIC_NAME",
            Column::CareSetting => "CARE_SETTING",
            Column::PersonDob => "PERSON_DOB",
            Column::YearGroup => "YEAR_GROUP",
            Column::Registration => "REGISTRATION",
            Column::PersonGenderCode => "PERSON_GENDER_CODE",
            Column::PersonAddressLine1 => "PERSON_ADDRESS_LINE_1",
            Column::PersonPostcode => "PERSON_POSTCODE",
            Column::NhsNumber => "NHS_NUMBER",
            Column::ConsentStatus => "CONSENT_STATUS",
            Column::ConsentDetails => "CONSENT_DETAILS",
            Column::HealthQuestionAnswers => "HEALTH_QUESTION_ANSWERS",
            Column::TriageStatus => "TRIAGE_STATUS",
            Column::TriagedBy => "TRIAGED_BY",
            Column::TriageDate => "TRIAGE_DATE",
            Column::TriageNotes => "TRIAGE_NOTES",
            Column::GillickStatus => "GILLICK_STATUS",
            Column::GillickAssessmentDate => "GILLICK_ASSESSMENT_DATE",
            Column::GillickAssessedBy => "GILLICK_ASSESSED_BY",
            Column::GillickAssessmentNotes => "GILLICK_ASSESSMENT_NOTES",
            Column::PsdStatus => "PSD_STATUS",
            Column::Vaccinated => "VACCINATED",
            Column::DateOfVaccination => "DATE_OF_VACCINATION",
            Column::TimeOfVaccination => "TIME_OF_VACCINATION",
            Column::Programme => "PROGRAMME",
            Column::VaccineGiven => "VACCINE_GIVEN",
            Column::PerformingProfessionalEmail => "PERFORMING_PROFESSIONAL_EMAIL",
            Column::SupplierEmail => "SUPPLIER_EMAIL",
            Column::BatchNumber => "BATCH_NUMBER",
            Column::BatchExpiryDate => "BATCH_EXPIRY_DATE",
            Column::AnatomicalSite => "ANATOMICAL_SITE",
            Column::DoseSequence => "DOSE_SEQUENCE",
            Column::ReasonNotVaccinated => "REASON_NOT_VACCINATED",
            Column::Notes => "NOTES",
            Column::SessionId => "SESSION_ID",
            Column::Uuid => "UUID",
        }
    }

    /// Whether the column holds dates (written as date serials formatted
    /// `dd/mm/yyyy`).
    pub fn is_date(self) -> bool {
        matches!(
            self,
            Column::PersonDob | Column::DateOfVaccination | Column::BatchExpiryDate
        )
    }

    /// Whether the column describes the child or their consent, triage,
    /// Gillick or PSD state: the columns a nurse reads but does not own.
    /// Changes to them on the day must be made in Mavis by hand.
    pub fn is_child_detail(self) -> bool {
        self <= Column::PsdStatus
            && !matches!(
                self,
                Column::OrganisationCode
                    | Column::SchoolName
                    | Column::ClinicName
                    | Column::CareSetting
            )
    }

    /// The other headers the importer accepts for this column (SystmOne's
    /// export names, `import-csv.md` §4), as written there.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::SchoolName => &["School", "Event done at"],
            Column::ClinicName => &["Event done at"],
            Column::PersonForename => &["First name"],
            Column::PersonSurname => &["Surname"],
            Column::PersonDob => &["Date of birth"],
            Column::PersonGenderCode => &["PERSON_GENDER", "Sex"],
            Column::PersonPostcode => &["Postcode"],
            Column::DateOfVaccination => &["Event date"],
            Column::TimeOfVaccination => &["Event time"],
            Column::BatchNumber => &["Vaccination batch number"],
            _ => &[],
        }
    }

    /// Whether a header key (see [`crate::header_key`]) names this
    /// column, by its own header or an alias.
    pub fn matches_key(self, key: &str) -> bool {
        self.header().eq_ignore_ascii_case(key)
            || self
                .aliases()
                .iter()
                .any(|a| crate::text::header_key(a) == key)
    }

    /// The column whose header normalises to `key` (see
    /// [`crate::header_key`]).
    pub fn from_key(key: &str) -> Option<Column> {
        ALL.into_iter()
            .find(|c| c.header().eq_ignore_ascii_case(key))
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.header())
    }
}

/// The columns of a `Vaccinations` sheet, in order: 39, or 40 with the
/// `PSD_STATUS` column.
///
/// # Examples
///
/// ```
/// use mavis_domain::{Column, Layout};
///
/// let layout = Layout::new(true);
/// assert_eq!(layout.len(), 40);
/// assert_eq!(layout.index(Column::PsdStatus), Some(24));
/// assert_eq!(layout.letter(Column::Vaccinated).as_deref(), Some("Z"));
/// assert_eq!(Layout::new(false).letter(Column::Uuid).as_deref(), Some("AM"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    psd: bool,
}

impl Layout {
    /// The layout with or without the PSD column.
    pub fn new(psd: bool) -> Layout {
        Layout { psd }
    }

    /// Whether the layout has the PSD column.
    pub fn has_psd(self) -> bool {
        self.psd
    }

    /// The columns in order.
    pub fn columns(self) -> impl Iterator<Item = Column> + Clone {
        ALL.into_iter()
            .filter(move |c| self.psd || *c != Column::PsdStatus)
    }

    /// How many columns.
    pub fn len(self) -> usize {
        if self.psd {
            40
        } else {
            39
        }
    }

    /// Never empty; present for symmetry with `len`.
    pub fn is_empty(self) -> bool {
        false
    }

    /// The 0-based index of a column, `None` for `PSD_STATUS` without PSD.
    pub fn index(self, column: Column) -> Option<u16> {
        let i = ALL.iter().position(|c| *c == column)?;
        let i = u16::try_from(i).expect("few columns");
        match (self.psd, column.cmp(&Column::PsdStatus)) {
            (false, std::cmp::Ordering::Equal) => None,
            (false, std::cmp::Ordering::Greater) => Some(i - 1),
            _ => Some(i),
        }
    }

    /// The column letter.
    pub fn letter(self, column: Column) -> Option<String> {
        self.index(column)
            .map(|i| crate::location::column_letter(u32::from(i)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_letters() {
        let no = Layout::new(false);
        let psd = Layout::new(true);
        for (col, a, b) in [
            (Column::PersonForename, "A", "A"),
            (Column::GillickAssessmentNotes, "X", "X"),
            (Column::Vaccinated, "Y", "Z"),
            (Column::DateOfVaccination, "Z", "AA"),
            (Column::BatchNumber, "AF", "AG"),
            (Column::SessionId, "AL", "AM"),
            (Column::Uuid, "AM", "AN"),
        ] {
            assert_eq!(no.letter(col).as_deref(), Some(a), "{col}");
            assert_eq!(psd.letter(col).as_deref(), Some(b), "{col}");
        }
        assert_eq!(no.letter(Column::PsdStatus), None);
        assert_eq!(psd.letter(Column::PsdStatus).as_deref(), Some("Y"));
        assert_eq!(no.columns().count(), 39);
        for (i, c) in psd.columns().enumerate() {
            assert_eq!(psd.index(c), Some(u16::try_from(i).unwrap()));
        }
        for (i, c) in no.columns().enumerate() {
            assert_eq!(no.index(c), Some(u16::try_from(i).unwrap()));
        }
    }

    #[test]
    fn child_detail_columns() {
        assert!(Column::ConsentStatus.is_child_detail());
        assert!(Column::PsdStatus.is_child_detail());
        assert!(Column::NhsNumber.is_child_detail());
        assert!(!Column::CareSetting.is_child_detail());
        assert!(!Column::Vaccinated.is_child_detail());
        assert_eq!(
            Column::from_key("date_of_vaccination"),
            Some(Column::DateOfVaccination)
        );
    }
}
