//! Existing vaccination records.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::codes::{BatchNumber, Email, OdsCode, RecordUuid};
use crate::outcome::Outcome;
use crate::programme::{DoseSequence, MmrVariant, Programme};
use crate::vaccine::{AnatomicalSite, DeliveryMethod, Vaccine};

/// A vaccination record the service already holds for a child: the
/// spreadsheet writes one row per record instead of a fill-in row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaccinationRecord {
    /// The record's UUID, written in `UUID`.
    pub uuid: RecordUuid,
    /// The programme.
    pub programme: Programme,
    /// The session the record belongs to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<u64>,
    /// Where the record came from.
    pub source: RecordSource,
    /// Administered, or not and why.
    pub outcome: Outcome,
    /// The date of the vaccination (or attempt).
    pub date: NaiveDate,
    /// The time, London local, if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<NaiveTime>,
    /// The vaccine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vaccine: Option<Vaccine>,
    /// The batch number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_number: Option<BatchNumber>,
    /// The batch's expiry date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_expiry: Option<NaiveDate>,
    /// Where it was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<AnatomicalSite>,
    /// How it was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_method: Option<DeliveryMethod>,
    /// The dose number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose_sequence: Option<DoseSequence>,
    /// Who gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub performed_by: Option<Performer>,
    /// Who supplied it (under a PSD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplied_by: Option<Email>,
    /// The ODS code of the organisation that gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub performed_ods_code: Option<OdsCode>,
    /// Free-text location, for records without a session, or the community
    /// clinic of a clinic session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_name: Option<String>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Discarded records are left out of the spreadsheet.
    #[serde(default)]
    pub discarded: bool,
}

impl VaccinationRecord {
    /// The MMR(V) variant of an MMR record of a child born on `born`: its
    /// vaccine's, or, when the vaccine is unknown, the child's by date of
    /// birth (MMRV from its cut-off on), as Mavis derives it (issue 17,
    /// item 14); `None` for other programmes.
    pub fn mmr_variant(&self, born: chrono::NaiveDate) -> Option<MmrVariant> {
        (self.programme == Programme::Mmr).then(|| {
            self.vaccine
                .and_then(|v| v.info().variant)
                .unwrap_or_else(|| MmrVariant::for_child_born(born))
        })
    }

    /// Whether the vaccine was given.
    pub fn administered(&self) -> bool {
        self.outcome == Outcome::Administered
    }
}

/// Where a vaccination record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordSource {
    /// Recorded in the service.
    Service,
    /// An earlier CSV upload of historical records.
    HistoricalUpload,
    /// A national-reporting upload.
    NationalReporting,
    /// Received from the NHS Immunisations API (e.g. given by a GP).
    NhsImmunisationsApi,
}

/// Who gave a vaccination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Performer {
    /// A user of the service.
    User {
        /// Their email.
        email: Email,
    },
    /// Someone who is not a user, by name.
    Named {
        /// Given name.
        given_name: String,
        /// Family name.
        family_name: String,
    },
}

impl Performer {
    /// The user's email, when the performer is a user.
    pub fn email(&self) -> Option<&Email> {
        match self {
            Performer::User { email } => Some(email),
            Performer::Named { .. } => None,
        }
    }
}
