//! Sessions: where and when a team vaccinates, and for which programmes.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::AcademicYear;
use crate::codes::SchoolUrn;
use crate::programme::Programme;

/// A vaccination session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The numeric id written in `SESSION_ID`.
    pub id: u64,
    /// Where the session is held.
    pub location: SessionLocation,
    /// The days of the session, in order; an offline row's date must be one
    /// of them. At least one.
    pub dates: Vec<NaiveDate>,
    /// The programmes, each with the year groups it is offered to here.
    pub programmes: Vec<SessionProgramme>,
    /// Whether patient-specific directions are enabled (adds the
    /// `PSD_STATUS` column).
    #[serde(default)]
    pub psd_enabled: bool,
}

impl Session {
    /// The academic year of the session, that of its first date.
    ///
    /// # Panics
    ///
    /// When the session has no dates; [`crate::SessionDocument::check`]
    /// reports such a document.
    pub fn academic_year(&self) -> AcademicYear {
        AcademicYear::containing(*self.dates.first().expect("a session has at least one date"))
    }

    /// The care setting of the session's rows: school or community.
    pub fn care_setting(&self) -> CareSetting {
        match self.location {
            SessionLocation::School { .. } => CareSetting::School,
            SessionLocation::GenericClinic => CareSetting::Community,
        }
    }

    /// Whether a child in `year_group` is offered `programme` here.
    pub fn offers(&self, programme: Programme, year_group: i32) -> bool {
        self.programmes
            .iter()
            .any(|p| p.programme == programme && p.year_groups.contains(&year_group))
    }

    /// The session's programmes in key order, as the rows list them.
    pub fn programmes_in_order(&self) -> Vec<Programme> {
        let mut out: Vec<Programme> = self.programmes.iter().map(|p| p.programme).collect();
        out.sort();
        out.dedup();
        out
    }

    /// Whether `date` is one of the session's days.
    pub fn is_on(&self, date: NaiveDate) -> bool {
        self.dates.contains(&date)
    }
}

/// Where a session is held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SessionLocation {
    /// At a school, named by URN (and site letter for split-site schools);
    /// the document's schools give its name.
    School {
        /// The school's URN.
        urn: SchoolUrn,
        /// The site letter of a split-site school.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        site: Option<char>,
    },
    /// At the team's generic community clinic (`Community clinic`); the
    /// nurse picks the actual clinic in `CLINIC_NAME`.
    GenericClinic,
}

impl SessionLocation {
    /// The generic clinic's name.
    pub const GENERIC_CLINIC_NAME: &'static str = "Community clinic";
}

/// A programme of a session and the year groups it is offered to there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionProgramme {
    /// The programme.
    pub programme: Programme,
    /// The year groups included (0 is Reception).
    pub year_groups: Vec<i32>,
}

/// `CARE_SETTING`: `1` school, `2` community (clinic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CareSetting {
    /// `1`.
    School,
    /// `2`.
    Community,
}

impl CareSetting {
    /// The number written in `CARE_SETTING`.
    pub fn code(self) -> u8 {
        match self {
            CareSetting::School => 1,
            CareSetting::Community => 2,
        }
    }

    /// The care setting of a `CARE_SETTING` number.
    pub fn from_code(code: u8) -> Option<CareSetting> {
        match code {
            1 => Some(CareSetting::School),
            2 => Some(CareSetting::Community),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_helpers() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let s = Session {
            id: 1002,
            location: SessionLocation::School {
                urn: SchoolUrn::parse("141234").unwrap(),
                site: None,
            },
            dates: vec![d(1, 20)],
            programmes: vec![
                SessionProgramme {
                    programme: Programme::TdIpv,
                    year_groups: vec![9],
                },
                SessionProgramme {
                    programme: Programme::Hpv,
                    year_groups: vec![8],
                },
            ],
            psd_enabled: false,
        };
        assert_eq!(s.academic_year(), AcademicYear(2025));
        assert_eq!(s.care_setting().code(), 1);
        assert!(s.offers(Programme::Hpv, 8));
        assert!(!s.offers(Programme::Hpv, 9));
        assert_eq!(s.programmes_in_order(), [Programme::Hpv, Programme::TdIpv]);
        assert!(s.is_on(d(1, 20)) && !s.is_on(d(1, 21)));
        assert_eq!(CareSetting::from_code(2), Some(CareSetting::Community));
        assert_eq!(CareSetting::from_code(3), None);
        let json = serde_json::to_string(&s.location).unwrap();
        assert_eq!(json, r#"{"kind":"school","urn":"141234"}"#);
    }
}
