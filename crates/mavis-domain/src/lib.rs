//! The record model of an offline school vaccination session.
//!
//! When a school has no reliable internet, a vaccination team downloads the
//! session's spreadsheet from Mavis, each nurse records outcomes in her own
//! copy, and an admin merges the copies and uploads them as one CSV. This
//! crate is the vocabulary every other `mavis-*` crate speaks: the session,
//! its children and programmes, vaccines and batches, consent, triage and
//! Gillick assessments, outcomes and the reasons for not vaccinating, and
//! value types (NHS number, postcode, dose sequence, school URN, ODS code,
//! batch number) that validate themselves when parsed.
//!
//! It does no I/O: a service hands it data, it hands back data.
//!
//! ```
//! use mavis_domain::{NhsNumber, Postcode, DoseSequence, Programme};
//!
//! let nhs = NhsNumber::parse("943 476 5919")?;
//! assert_eq!(nhs.to_string(), "9434765919");
//! assert_eq!(Postcode::parse("le12da")?.to_string(), "LE1 2DA");
//! assert_eq!(DoseSequence::parse(Programme::MenAcwy, "1B")?.number(), 2);
//! # Ok::<(), mavis_domain::Error>(())
//! ```
//!
//! # The session document ("session JSON")
//!
//! [`SessionDocument`] holds one session and everything around it that the
//! export and the validator need: the team and its ODS code, users (with the
//! supplier flag), schools, community clinics, batches, the session itself,
//! the team's other sessions, and the children with, per programme, their
//! consent, health answers, triage, Gillick assessment and PSD, and their
//! existing vaccination records. Dates are `YYYY-MM-DD`, instants RFC 3339
//! in UTC, times `HH:MM:SS` (London local); value types are their canonical
//! text; enums are lower-case keys.
//!
//! ```
//! use mavis_domain::{SessionDocument, Programme};
//!
//! let json = r#"{
//!   "format_version": 1,
//!   "team": {
//!     "name": "Example School Age Immunisation Service",
//!     "ods_code": "R1L",
//!     "upload_type": "point_of_care",
//!     "programmes": ["flu", "hpv"]
//!   },
//!   "users": [
//!     { "email": "jane.smith@example.nhs.uk", "given_name": "Jane",
//!       "family_name": "Smith", "supplier": true }
//!   ],
//!   "schools": [ { "urn": "141234", "name": "Riverside Academy" } ],
//!   "clinics": [ { "name": "Riverside Health Centre" } ],
//!   "batches": [
//!     { "number": "FL2281A", "expiry": "2026-06-30", "vaccine": "fluenz" }
//!   ],
//!   "session": {
//!     "id": 1001,
//!     "location": { "kind": "school", "urn": "141234" },
//!     "dates": ["2025-10-14", "2025-10-15"],
//!     "programmes": [ { "programme": "flu", "year_groups": [7, 8, 9, 10, 11] } ],
//!     "psd_enabled": false
//!   },
//!   "children": [
//!     {
//!       "id": 1,
//!       "given_name": "Aisha",
//!       "family_name": "Begum",
//!       "date_of_birth": "2012-11-02",
//!       "registration": "8T5",
//!       "gender": "female",
//!       "address_line_1": "12 Church Lane",
//!       "postcode": "LE1 2DA",
//!       "nhs_number": "9449306168",
//!       "school": { "kind": "school", "urn": "141234" },
//!       "programmes": [
//!         {
//!           "programme": "flu",
//!           "consent_status": { "status": "given", "methods": ["nasal", "injection"] },
//!           "consents": [
//!             {
//!               "respondent": { "kind": "parent", "name": "Fatima Begum",
//!                               "relationship": "mother" },
//!               "response": "given",
//!               "recorded_at": "2025-09-10T13:32:00Z",
//!               "health_answers": [
//!                 { "question": "Does your child have any severe allergies?",
//!                   "answer": "no" }
//!               ]
//!             }
//!           ],
//!           "triage": {
//!             "status": { "outcome": "safe_to_vaccinate", "method": "nasal" },
//!             "recorded_by": "jane.smith@example.nhs.uk",
//!             "recorded_at": "2025-10-13T08:00:00Z"
//!           },
//!           "suggested_dose": 1
//!         }
//!       ],
//!       "records": [
//!         {
//!           "uuid": "9f1c2b3a-0d4e-4f6a-8b7c-1d2e3f4a5b6c",
//!           "programme": "flu",
//!           "session_id": 1001,
//!           "source": "service",
//!           "outcome": "administered",
//!           "date": "2025-10-14",
//!           "time": "10:15:00",
//!           "vaccine": "fluenz",
//!           "batch_number": "FL2281A",
//!           "batch_expiry": "2026-06-30",
//!           "site": "nose",
//!           "dose_sequence": 1,
//!           "performed_by": { "kind": "user", "email": "jane.smith@example.nhs.uk" }
//!         }
//!       ]
//!     }
//!   ]
//! }"#;
//! let doc: SessionDocument = serde_json::from_str(json)?;
//! doc.check().expect("consistent");
//! assert_eq!(doc.session.programmes_in_order(), [Programme::Flu]);
//! assert_eq!(doc.location_name(), "Riverside Academy");
//!
//! // What an upload is checked against: the same JSON, each child read only
//! // for who the child is and the existing records.
//! let reference: mavis_domain::ReferenceDocument = serde_json::from_str(json)?;
//! assert_eq!(reference.children[0].records, doc.children[0].records);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The `mavis-demo` crate builds a realistic document of any size,
//! deterministically, for examples, tests and benchmarks.

mod calendar;
mod child;
mod codes;
mod columns;
mod document;
mod error;
mod facts;
mod identity;
mod location;
mod newtype;
mod nhs_number;
mod outcome;
mod postcode;
mod programme;
mod record;
mod seen;
mod session;
mod table;
mod team;
mod text;
mod vaccine;

pub use calendar::{london, AcademicYear};
pub use child::{
    english_list, Child, ChildProgramme, ChildReference, ChildSchool, Consent, ConsentResponse,
    ConsentStatus, DocumentChild, Gender, GillickAssessment, HealthAnswer, Relationship,
    Respondent, Triage, TriageStatus, YesNo,
};
/// The date and time library the model is built on, re-exported so callers
/// use the same version.
pub use chrono;
pub use codes::{BatchNumber, BatchNumberProblem, Email, OdsCode, RecordUuid, SchoolUrn};
pub use columns::{
    CellKind, Column, ColumnSpec, Dropdown, Layout, Owner, Place, Reads, COLUMNS, OUTCOME_COLUMNS,
};
pub use document::{ReferenceDocument, SessionDocument, FORMAT_VERSION};
pub use error::{Error, ErrorKind, NhsNumberProblem, Result};
pub use facts::{parse_vaccinated, UPLOAD_MAX_ROWS};
pub use identity::{
    canonical_date, date_in_sheet_form, digest_bytes, outcome_digest, ChildKey, KeyColumns,
    OutcomeDigest, RowKey,
};
pub use location::{column_index, column_letter, Location};
pub use nhs_number::NhsNumber;
pub use outcome::{Outcome, ReasonNotVaccinated};
pub use postcode::Postcode;
pub use programme::{DoseSequence, MmrVariant, Programme};
pub use record::{Performer, RecordSource, VaccinationRecord};
pub use seen::{Attendance, ProgrammeAttendance, Seen, SeenColumns, Unrecorded, ABSENCE_ACTION};
pub use session::{CareSetting, Session, SessionLocation, SessionProgramme};
pub use table::{Header, ReadIssue, Severity, SourceKind, Table, TextRow};
pub use team::{sheet_name, Batch, Clinic, School, Team, UploadType, User};
pub use text::{header_key, normalise_value};
pub use vaccine::{
    AnatomicalSite, DeliveryMethod, Vaccine, VaccineInfo, VaccineMethod, SITE_TEXTS,
};
