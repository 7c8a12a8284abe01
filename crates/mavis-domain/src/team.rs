//! The team, its users, its schools and clinics, and its batches.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::codes::{BatchNumber, Email, OdsCode, SchoolUrn};
use crate::programme::Programme;
use crate::vaccine::Vaccine;

/// The team that runs the session, and the organisation it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    /// The team's name, e.g. `Example School Age Immunisation Service`.
    pub name: String,
    /// The organisation's ODS code, written in `ORGANISATION_CODE` and
    /// compared with offline rows on upload.
    pub ods_code: OdsCode,
    /// Point of care, or national reporting.
    #[serde(default)]
    pub upload_type: UploadType,
    /// The programmes the team runs.
    pub programmes: Vec<Programme>,
    /// For national-reporting teams, the earliest vaccination date accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national_reporting_cut_off: Option<NaiveDate>,
}

/// Which rule set an upload is checked against (`import-csv.md` §10).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UploadType {
    /// The team's own vaccinations, including offline sessions.
    #[default]
    PointOfCare,
    /// Flu and HPV records from other providers.
    NationalReporting,
}

/// A user of the team: a nurse, healthcare assistant or administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Email address, the user's identity in the spreadsheet.
    pub email: Email,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Whether the user is listed on the `Suppliers` sheet (can supply a
    /// vaccine under a PSD).
    #[serde(default)]
    pub supplier: bool,
}

impl User {
    /// The name as the spreadsheet writes an assessor: `FAMILY, Given`.
    ///
    /// # Examples
    ///
    /// ```
    /// use mavis_domain::{Email, User};
    ///
    /// let u = User {
    ///     email: Email::parse("jane.smith@example.nhs.uk")?,
    ///     given_name: "jane".into(),
    ///     family_name: "Smith".into(),
    ///     supplier: true,
    /// };
    /// assert_eq!(u.sheet_name(), "SMITH, Jane");
    /// # Ok::<(), mavis_domain::Error>(())
    /// ```
    pub fn sheet_name(&self) -> String {
        sheet_name(&self.given_name, &self.family_name)
    }

    /// `Given Family`, as people read it.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

/// `FAMILY, Given`: the family name upper-cased and the first letter of the
/// given name upper-cased, as the spreadsheet writes people.
pub fn sheet_name(given: &str, family: &str) -> String {
    let mut chars = given.chars();
    let given = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
        None => String::new(),
    };
    format!("{}, {}", family.to_uppercase(), given)
}

/// A school.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct School {
    /// The URN.
    pub urn: SchoolUrn,
    /// For split-site schools, the site letter (`A`, `B`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<char>,
    /// The school's name.
    pub name: String,
    /// The SystmOne code, also accepted as `SCHOOL_URN` on upload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub systm_one_code: Option<String>,
}

impl School {
    /// The URN followed by the site letter, if any: `145678A`.
    pub fn urn_and_site(&self) -> String {
        match self.site {
            Some(site) => format!("{}{site}", self.urn),
            None => self.urn.to_string(),
        }
    }

    /// Whether the school is named by `urn` and `site`.
    pub fn is(&self, urn: SchoolUrn, site: Option<char>) -> bool {
        self.urn == urn && self.site == site
    }
}

/// A community clinic of the team, offered in `CLINIC_NAME` for sessions at
/// the generic clinic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clinic {
    /// The clinic's name, e.g. `Riverside Health Centre`.
    pub name: String,
}

/// A batch of a vaccine held by the team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// The batch number.
    pub number: BatchNumber,
    /// The expiry date, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry: Option<NaiveDate>,
    /// The vaccine.
    pub vaccine: Vaccine,
    /// Archived batches are not offered.
    #[serde(default)]
    pub archived: bool,
}

impl Batch {
    /// Whether the spreadsheet offers the batch on `today`: not archived and
    /// expiring strictly after today (a batch with no expiry is not offered).
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use mavis_domain::{Batch, BatchNumber, Vaccine};
    ///
    /// let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
    /// let mut batch = Batch {
    ///     number: BatchNumber::parse("FL2281A")?,
    ///     expiry: Some(today),
    ///     vaccine: Vaccine::Fluenz,
    ///     archived: false,
    /// };
    /// assert!(!batch.is_offered_on(today)); // expires today
    /// batch.expiry = today.succ_opt();
    /// assert!(batch.is_offered_on(today));
    /// # Ok::<(), mavis_domain::Error>(())
    /// ```
    pub fn is_offered_on(&self, today: NaiveDate) -> bool {
        !self.archived && self.expiry.is_some_and(|e| e > today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names() {
        assert_eq!(sheet_name("amir", "khan"), "KHAN, Amir");
        assert_eq!(sheet_name("éva", "O'Hare"), "O'HARE, Éva");
        assert_eq!(sheet_name("", "Smith"), "SMITH, ");
    }

    #[test]
    fn schools() {
        let s = School {
            urn: SchoolUrn::parse("145678").unwrap(),
            site: Some('A'),
            name: "Northgate High School".into(),
            systm_one_code: None,
        };
        assert_eq!(s.urn_and_site(), "145678A");
        assert!(s.is(SchoolUrn::parse("145678").unwrap(), Some('A')));
        assert!(!s.is(SchoolUrn::parse("145678").unwrap(), None));
    }
}
