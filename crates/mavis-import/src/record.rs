//! The vaccination record a valid row would import.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use mavis_domain::{
    AnatomicalSite, DeliveryMethod, DoseSequence, Email, Gender, MmrVariant, NhsNumber, Outcome,
    Performer, Postcode, Programme, RecordSource, RecordUuid, Vaccine,
};
use serde::Serialize;

/// Under what authority the vaccine was given (`import-csv.md` §7,
/// item 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    /// Patient group direction: no supplier, the supplier is the performer,
    /// or a nasal spray.
    Pgd,
    /// A supplier who is not the performer, for an injection. (With a
    /// patient-specific direction Mavis records PSD; the reference data has
    /// no PSDs, so the validator cannot tell the two apart.)
    National,
}

/// The child a row names, as the row writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChildIdentity {
    /// First name as written (normalised whitespace).
    pub given_name: String,
    /// Last name as written.
    pub family_name: String,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// Gender.
    pub gender: Gender,
    /// Postcode, canonical, when given.
    pub postcode: Option<Postcode>,
    /// NHS number, when given.
    pub nhs_number: Option<NhsNumber>,
    /// `SCHOOL_URN` as written, when given.
    pub school_urn: Option<String>,
    /// `SCHOOL_NAME` as written, when given (point of care).
    pub school_name: Option<String>,
}

/// A vaccination record as the upload would create it from one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedRecord {
    /// The row it comes from.
    pub row: u32,
    /// The child.
    pub child: ChildIdentity,
    /// The programme.
    pub programme: Programme,
    /// For MMR(V), the variant (from the import name or the vaccine).
    pub mmr_variant: Option<MmrVariant>,
    /// Administered, or not and why.
    pub outcome: Outcome,
    /// The date of the vaccination (or attempt).
    pub date: NaiveDate,
    /// The time, London local, when given.
    pub time: Option<NaiveTime>,
    /// The moment: date and time in Europe/London (midnight without a
    /// time), as an instant.
    pub performed_at: DateTime<Utc>,
    /// The vaccine, when identified.
    pub vaccine: Option<Vaccine>,
    /// The batch number, when given.
    pub batch_number: Option<mavis_domain::BatchNumber>,
    /// The batch expiry date, when given.
    pub batch_expiry: Option<NaiveDate>,
    /// Where it was given.
    pub site: Option<AnatomicalSite>,
    /// How it was given: follows from the site.
    pub delivery_method: Option<DeliveryMethod>,
    /// The dose, given or the programme's default (historical rows).
    pub dose_sequence: Option<DoseSequence>,
    /// Who gave it: a user by email, or a name.
    pub performed_by: Option<Performer>,
    /// Who supplied it.
    pub supplied_by: Option<Email>,
    /// The protocol.
    pub protocol: Protocol,
    /// `ORGANISATION_CODE` as written.
    pub performed_ods_code: Option<String>,
    /// The location name, for records without a session location
    /// (`import-csv.md` §7, item 11).
    pub location_name: Option<String>,
    /// Notes (point of care).
    pub notes: Option<String>,
    /// The session, for offline rows.
    pub session_id: Option<u64>,
    /// The existing record the row updates, if it names one.
    pub uuid: Option<RecordUuid>,
    /// Service (offline rows), historical upload, or national reporting.
    pub source: RecordSource,
    /// National reporting: the local patient id and its URI.
    pub local_patient_id: Option<(String, String)>,
}
