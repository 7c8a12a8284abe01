//! The columns: every column of the `Vaccinations` sheet
//! (`offline-spreadsheet.md` §3) and of the upload (`import-csv.md` §4),
//! each stated once in one table: the `columns!` list below, a line a
//! column (or a few neighbouring columns that share every fact but their
//! header), read through [`COLUMNS`] and [`Column`]'s methods.
//!
//! Each line gives a column's header, the other headers the importer takes
//! for it (SystmOne's export names, `import-csv.md` §4), what its cells hold
//! ([`CellKind`]), who fills it ([`Owner`]), whether it is on the sheet
//! ([`Place`]), which uploads read it ([`Reads`]) and the list the sheet
//! offers in it ([`Dropdown`]). The workbook writer, the readers' cell
//! kinds, the merge's ownership and the validator's header map all derive
//! from it: a new dated column the upload reads is one line here (plus its
//! rule).

use std::fmt;

/// What a column's cells hold: how the workbook writes them and how a
/// reader turns a spreadsheet's numbers back into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CellKind {
    /// Free text.
    Text,
    /// A date: written as a date serial formatted `dd/mm/yyyy`, read back as
    /// `dd/mm/yyyy`.
    Date,
    /// A time of day (`HH:MM`).
    Time,
    /// An identifier made of digits that a spreadsheet may have turned into
    /// a number (read back without a trailing `.0`): the digit count it must
    /// have, if fixed.
    Digits(Option<usize>),
}

/// Who fills a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    /// The service, from Mavis: the child's details and their consent,
    /// triage, Gillick and PSD state. A nurse reads these but does not own
    /// them: a change to one on the day is an on-the-day change that must be
    /// made in Mavis by hand.
    Child,
    /// The service, from Mavis: the session's place and the row's
    /// identifiers (`SESSION_ID`, `UUID`, `PROGRAMME`).
    Service,
    /// The nurse, recording an outcome: `VACCINATED` and the cells that
    /// belong with it.
    Nurse,
}

/// Where a column is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    /// On the `Vaccinations` sheet (and so in its upload CSV).
    Sheet,
    /// Only in uploads made elsewhere (SystmOne, national reporting).
    UploadOnly,
}

/// Which uploads read a column (`import-csv.md` §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reads {
    /// No upload reads it; it is on the sheet for the nurse.
    No,
    /// Every upload.
    All,
    /// Point-of-care uploads only.
    PointOfCare,
    /// National-reporting uploads only.
    NationalReporting,
}

impl Reads {
    /// Whether an upload of this type reads the column.
    pub fn by(self, upload: crate::UploadType) -> bool {
        match self {
            Reads::No => false,
            Reads::All => true,
            Reads::PointOfCare => upload == crate::UploadType::PointOfCare,
            Reads::NationalReporting => upload == crate::UploadType::NationalReporting,
        }
    }
}

/// The list the sheet offers in a column (a data validation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dropdown {
    /// No list.
    Free,
    /// The team's clinics (clinic sessions only).
    Clinics,
    /// `1` or `2`.
    CareSettings,
    /// The gender codes.
    Genders,
    /// `Y` or `N`.
    YesNo,
    /// The programme's active vaccines.
    Vaccines,
    /// The team's performing professionals.
    Professionals,
    /// The team's suppliers.
    Suppliers,
    /// The programme's batches.
    Batches,
    /// The anatomical sites.
    Sites,
    /// The reasons for not vaccinating.
    Reasons,
}

/// One line of the column table: everything the workspace knows about a
/// column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnSpec {
    /// The column.
    pub column: Column,
    /// The header, exactly as the sheet writes it and Mavis's messages name
    /// it.
    pub header: &'static str,
    /// The other headers the importer accepts, as written there.
    pub aliases: &'static [&'static str],
    /// What its cells hold.
    pub kind: CellKind,
    /// Who fills it.
    pub owner: Owner,
    /// Where it is.
    pub place: Place,
    /// Which uploads read it.
    pub reads: Reads,
    /// The list the sheet offers.
    pub dropdown: Dropdown,
}

/// Define [`Column`] and its table from one list: a line a column, or a
/// line for a few neighbouring columns that share every fact but their
/// header.
macro_rules! columns {
    ($(
        $($variant:ident: $header:literal $([$($alias:literal),*])?),+
            => $kind:expr, $owner:ident, $place:ident, $reads:ident, $dropdown:ident;
    )*) => {
        /// A column of the `Vaccinations` sheet or of an upload. The order
        /// of the variants is the order of the sheet's columns, then the
        /// upload-only ones; `PsdStatus` is on the sheet only when the
        /// session has patient-specific directions enabled.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[allow(missing_docs)] // each variant is its header
        pub enum Column {
            $($($variant,)+)*
        }

        /// The column table, in the order of [`Column`].
        pub const COLUMNS: &[ColumnSpec] = &[$($(
            ColumnSpec {
                column: Column::$variant,
                header: $header,
                aliases: &[$($($alias),*)?],
                kind: {
                    #[allow(unused_imports)]
                    use CellKind::*;
                    $kind
                },
                owner: Owner::$owner,
                place: Place::$place,
                reads: Reads::$reads,
                dropdown: Dropdown::$dropdown,
            },
        )+)*];
    };
}

columns! {
    // Variant: "HEADER" ["alias", ...] => kind, owner, place, reads, dropdown;
    PersonForename: "PERSON_FORENAME" ["First name"] => Text, Child, Sheet, All, Free;
    PersonSurname: "PERSON_SURNAME" ["Surname"] => Text, Child, Sheet, All, Free;
    OrganisationCode: "ORGANISATION_CODE" => Digits(None), Service, Sheet, All, Free;
    SchoolName: "SCHOOL_NAME" ["School", "Event done at"] => Text, Service, Sheet, PointOfCare, Free;
    ClinicName: "CLINIC_NAME" ["Event done at"] => Text, Service, Sheet, PointOfCare, Clinics;
    CareSetting: "CARE_SETTING" => Text, Service, Sheet, PointOfCare, CareSettings;
    PersonDob: "PERSON_DOB" ["Date of birth"] => Date, Child, Sheet, All, Free;
    YearGroup: "YEAR_GROUP", Registration: "REGISTRATION" => Text, Child, Sheet, No, Free;
    PersonGenderCode: "PERSON_GENDER_CODE" ["PERSON_GENDER", "Sex"] => Text, Child, Sheet, All, Genders;
    PersonAddressLine1: "PERSON_ADDRESS_LINE_1" => Text, Child, Sheet, No, Free;
    PersonPostcode: "PERSON_POSTCODE" ["Postcode"] => Text, Child, Sheet, All, Free;
    NhsNumber: "NHS_NUMBER" => Digits(Some(10)), Child, Sheet, All, Free;
    // The child's consent, triage, Gillick and PSD state, for the nurse to
    // read; no upload reads them. The triage and Gillick dates are London
    // timestamps written as text.
    ConsentStatus: "CONSENT_STATUS", ConsentDetails: "CONSENT_DETAILS",
        HealthQuestionAnswers: "HEALTH_QUESTION_ANSWERS" => Text, Child, Sheet, No, Free;
    TriageStatus: "TRIAGE_STATUS", TriagedBy: "TRIAGED_BY", TriageDate: "TRIAGE_DATE",
        TriageNotes: "TRIAGE_NOTES" => Text, Child, Sheet, No, Free;
    GillickStatus: "GILLICK_STATUS", GillickAssessmentDate: "GILLICK_ASSESSMENT_DATE",
        GillickAssessedBy: "GILLICK_ASSESSED_BY",
        GillickAssessmentNotes: "GILLICK_ASSESSMENT_NOTES" => Text, Child, Sheet, No, Free;
    PsdStatus: "PSD_STATUS" => Text, Child, Sheet, No, Free;
    // The outcome, filled in by the nurse.
    Vaccinated: "VACCINATED" => Text, Nurse, Sheet, All, YesNo;
    DateOfVaccination: "DATE_OF_VACCINATION" ["Event date"] => Date, Nurse, Sheet, All, Free;
    TimeOfVaccination: "TIME_OF_VACCINATION" ["Event time"] => Time, Nurse, Sheet, All, Free;
    Programme: "PROGRAMME" => Text, Service, Sheet, PointOfCare, Free;
    VaccineGiven: "VACCINE_GIVEN" => Text, Nurse, Sheet, All, Vaccines;
    PerformingProfessionalEmail: "PERFORMING_PROFESSIONAL_EMAIL"
        => Text, Nurse, Sheet, PointOfCare, Professionals;
    SupplierEmail: "SUPPLIER_EMAIL" => Text, Nurse, Sheet, PointOfCare, Suppliers;
    BatchNumber: "BATCH_NUMBER" ["Vaccination batch number"]
        => Digits(None), Nurse, Sheet, All, Batches;
    BatchExpiryDate: "BATCH_EXPIRY_DATE" => Date, Nurse, Sheet, All, Free;
    AnatomicalSite: "ANATOMICAL_SITE" => Text, Nurse, Sheet, All, Sites;
    DoseSequence: "DOSE_SEQUENCE" => Text, Nurse, Sheet, All, Free;
    ReasonNotVaccinated: "REASON_NOT_VACCINATED" => Text, Nurse, Sheet, PointOfCare, Reasons;
    Notes: "NOTES" => Text, Nurse, Sheet, PointOfCare, Free;
    SessionId: "SESSION_ID" => Digits(None), Service, Sheet, PointOfCare, Free;
    Uuid: "UUID" => Text, Service, Sheet, PointOfCare, Free;
    // Only in uploads made elsewhere.
    SchoolUrn: "SCHOOL_URN" ["School code"] => Digits(Some(6)), Service, UploadOnly, All, Free;
    VaccinationType: "Vaccination type" => Text, Nurse, UploadOnly, PointOfCare, Free;
    EventLocationType: "Event location type" => Text, Service, UploadOnly, PointOfCare, Free;
    PerformingProfessionalForename: "PERFORMING_PROFESSIONAL_FORENAME",
        PerformingProfessionalSurname: "PERFORMING_PROFESSIONAL_SURNAME"
        => Text, Nurse, UploadOnly, All, Free;
    LocalPatientId: "LOCAL_PATIENT_ID" => Digits(None), Child, UploadOnly, NationalReporting, Free;
    LocalPatientIdUri: "LOCAL_PATIENT_ID_URI" => Text, Child, UploadOnly, NationalReporting, Free;
}

/// How many columns the table has.
const COUNT: usize = COLUMNS.len();

/// A selection of the table's columns.
#[derive(Clone, Copy)]
enum Select {
    All,
    Sheet,
    Outcome,
}

impl Select {
    const fn keeps(self, s: &ColumnSpec) -> bool {
        let on_sheet = matches!(s.place, Place::Sheet);
        match self {
            Select::All => true,
            Select::Sheet => on_sheet,
            Select::Outcome => on_sheet && matches!(s.owner, Owner::Nurse),
        }
    }
}

/// How many of the table's columns `keep` selects.
const fn count(keep: Select) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < COUNT {
        if keep.keeps(&COLUMNS[i]) {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The table's columns that pass `keep`, in order; `N` must be their
/// number.
const fn select<const N: usize>(keep: Select) -> [Column; N] {
    let mut out = [Column::PersonForename; N];
    let mut n = 0;
    let mut i = 0;
    while i < COUNT {
        if keep.keeps(&COLUMNS[i]) {
            out[n] = COLUMNS[i].column;
            n += 1;
        }
        i += 1;
    }
    assert!(n == N, "the count does not match the table");
    out
}

// Every column's names fit the validator's header map.
const _: () = {
    let mut i = 0;
    while i < COUNT {
        assert!(
            COLUMNS[i].aliases.len() < Column::MAX_NAMES,
            "a column has more names than Column::MAX_NAMES"
        );
        i += 1;
    }
};

/// The sheet's columns, in order, with `PSD_STATUS`.
const SHEET: [Column; count(Select::Sheet)] = select(Select::Sheet);

/// The columns a nurse fills in to record an outcome, in sheet order:
/// `VACCINATED` and the cells that belong with it (the sheet's
/// [`Owner::Nurse`] columns).
pub const OUTCOME_COLUMNS: [Column; count(Select::Outcome)] = select(Select::Outcome);

impl Column {
    /// The most names (header and aliases) a column has.
    pub const MAX_NAMES: usize = 3;

    /// Every column, in the order of the table.
    pub const ALL: [Column; COUNT] = select(Select::All);

    /// The column's line in the table.
    pub fn spec(self) -> &'static ColumnSpec {
        &COLUMNS[self as usize]
    }

    /// The header text, exactly as the sheet writes it and Mavis's messages
    /// name it.
    pub fn header(self) -> &'static str {
        self.spec().header
    }

    /// What the column's cells hold.
    pub fn kind(self) -> CellKind {
        self.spec().kind
    }

    /// Who fills the column.
    pub fn owner(self) -> Owner {
        self.spec().owner
    }

    /// Which uploads read the column.
    pub fn reads(self) -> Reads {
        self.spec().reads
    }

    /// The list the sheet offers in the column.
    pub fn dropdown(self) -> Dropdown {
        self.spec().dropdown
    }

    /// Whether the column holds dates (written as date serials formatted
    /// `dd/mm/yyyy`).
    pub fn is_date(self) -> bool {
        self.kind() == CellKind::Date
    }

    /// Whether the column describes the child or their consent, triage,
    /// Gillick or PSD state: the columns a nurse reads but does not own
    /// ([`Owner::Child`]). Changes to them on the day must be made in Mavis
    /// by hand.
    pub fn is_child_detail(self) -> bool {
        self.owner() == Owner::Child && self.spec().place == Place::Sheet
    }

    /// The other headers the importer accepts for this column (SystmOne's
    /// export names, `import-csv.md` §4), as written there.
    pub fn aliases(self) -> &'static [&'static str] {
        self.spec().aliases
    }

    /// The header keys (see [`crate::header_key`]) that name the column:
    /// its header's first, then its aliases', in order.
    ///
    /// # Examples
    ///
    /// ```
    /// use mavis_domain::Column;
    ///
    /// let keys: Vec<String> = Column::DateOfVaccination.keys().collect();
    /// assert_eq!(keys, ["date_of_vaccination", "event_date"]);
    /// ```
    pub fn keys(self) -> impl Iterator<Item = String> {
        std::iter::once(self.header())
            .chain(self.aliases().iter().copied())
            .map(crate::text::header_key)
    }

    /// Whether a header key (see [`crate::header_key`]) names this
    /// column, by its own header or an alias.
    pub fn matches_key(self, key: &str) -> bool {
        self.keys().any(|k| k == key)
    }

    /// The column whose header normalises to `key` (see
    /// [`crate::header_key`]).
    pub fn from_key(key: &str) -> Option<Column> {
        Column::ALL
            .into_iter()
            .find(|c| crate::text::header_key(c.header()) == key)
    }

    /// The first column named by `key`, by its header or an alias: the one
    /// whose [`CellKind`] a reader uses for a cell under that header.
    ///
    /// # Examples
    ///
    /// ```
    /// use mavis_domain::{CellKind, Column};
    ///
    /// assert_eq!(Column::named("event_date"), Some(Column::DateOfVaccination));
    /// assert_eq!(Column::named("school_code").map(Column::kind), Some(CellKind::Digits(Some(6))));
    /// assert_eq!(Column::named("shoe_size"), None);
    /// ```
    pub fn named(key: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.matches_key(key))
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
        SHEET
            .into_iter()
            .filter(move |c| self.psd || *c != Column::PsdStatus)
    }

    /// How many columns.
    pub fn len(self) -> usize {
        SHEET.len() - usize::from(!self.psd)
    }

    /// Never empty; present for symmetry with `len`.
    pub fn is_empty(self) -> bool {
        false
    }

    /// The 0-based index of a column, `None` for `PSD_STATUS` without PSD
    /// and for a column not on the sheet.
    pub fn index(self, column: Column) -> Option<u16> {
        let i = self.columns().position(|c| c == column)?;
        Some(u16::try_from(i).expect("few columns"))
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
        assert!(!Column::LocalPatientId.is_child_detail());
    }

    #[test]
    fn the_table_is_in_enum_order() {
        for (i, spec) in COLUMNS.iter().enumerate() {
            assert_eq!(spec.column as usize, i, "{}", spec.header);
        }
        assert_eq!(SHEET.len(), 40);
        assert_eq!(Layout::new(true).index(Column::SchoolUrn), None);
        let dates: Vec<Column> = Column::ALL.into_iter().filter(|c| c.is_date()).collect();
        assert_eq!(
            dates,
            [
                Column::PersonDob,
                Column::DateOfVaccination,
                Column::BatchExpiryDate
            ]
        );
        assert_eq!(OUTCOME_COLUMNS.len(), 12);
        assert_eq!(OUTCOME_COLUMNS[0], Column::Vaccinated);
        assert_eq!(OUTCOME_COLUMNS[11], Column::Notes);
        assert_eq!(Column::named("event_done_at"), Some(Column::SchoolName));
        assert_eq!(
            Column::named("vaccination_type"),
            Some(Column::VaccinationType)
        );
    }
}
