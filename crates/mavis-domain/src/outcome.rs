//! Outcomes of a vaccination attempt and the reasons for not vaccinating.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Why a child was not vaccinated: the six reasons of the user guide, of
/// which current Mavis takes four ([`ReasonNotVaccinated::MAVIS`]). The
/// guide's other two, `did not attend` and `absent from school`, are still
/// recognised: typed into a copy they mean the child was not seen (see
/// [`ReasonNotVaccinated::is_absence`]).
///
/// # Examples
///
/// ```
/// use mavis_domain::ReasonNotVaccinated;
///
/// let r = ReasonNotVaccinated::parse("Did not attend")?;
/// assert_eq!(r, ReasonNotVaccinated::DidNotAttend);
/// assert_eq!(r.text(), "did not attend");
/// assert!(!r.accepted_by_current_mavis());
/// assert!(r.is_absence());
/// assert!(!ReasonNotVaccinated::MAVIS.contains(&r));
/// # Ok::<(), mavis_domain::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ReasonNotVaccinated {
    /// The child or parent refused on the day.
    #[serde(rename = "refused")]
    Refused,
    /// The child was unwell.
    #[serde(rename = "unwell")]
    Unwell,
    /// The vaccination was contraindicated.
    #[serde(rename = "contraindicated")]
    Contraindicated,
    /// The child already had the vaccine elsewhere.
    #[serde(rename = "already_had")]
    AlreadyHad,
    /// The child did not attend the session (absent from the session).
    #[serde(rename = "absent_from_session")]
    DidNotAttend,
    /// The child was absent from school.
    #[serde(rename = "absent_from_school")]
    AbsentFromSchool,
}

impl ReasonNotVaccinated {
    /// The four reasons current Mavis takes on upload, in the order of its
    /// spreadsheet's dropdown: what the export offers.
    pub const MAVIS: [ReasonNotVaccinated; 4] = [
        ReasonNotVaccinated::Refused,
        ReasonNotVaccinated::Unwell,
        ReasonNotVaccinated::Contraindicated,
        ReasonNotVaccinated::AlreadyHad,
    ];

    /// The six reasons of the user guide, Mavis's four first: every reason
    /// [`ReasonNotVaccinated::parse`] recognises.
    pub const ALL: [ReasonNotVaccinated; 6] = [
        ReasonNotVaccinated::Refused,
        ReasonNotVaccinated::Unwell,
        ReasonNotVaccinated::Contraindicated,
        ReasonNotVaccinated::AlreadyHad,
        ReasonNotVaccinated::DidNotAttend,
        ReasonNotVaccinated::AbsentFromSchool,
    ];

    /// The text written in `REASON_NOT_VACCINATED`.
    pub fn text(self) -> &'static str {
        match self {
            ReasonNotVaccinated::Refused => "refused",
            ReasonNotVaccinated::Unwell => "unwell",
            ReasonNotVaccinated::Contraindicated => "vaccination contraindicated",
            ReasonNotVaccinated::AlreadyHad => "already had elsewhere",
            ReasonNotVaccinated::DidNotAttend => "did not attend",
            ReasonNotVaccinated::AbsentFromSchool => "absent from school",
        }
    }

    /// Whether Mavis as it is today still accepts the reason on upload; it
    /// dropped `absent from school` (June 2025) and `did not attend`
    /// (November 2025), which the user guide still lists.
    pub fn accepted_by_current_mavis(self) -> bool {
        !matches!(
            self,
            ReasonNotVaccinated::DidNotAttend | ReasonNotVaccinated::AbsentFromSchool
        )
    }

    /// Whether the reason says the child was not there (`did not attend`,
    /// `absent from school`): the user guide's two that Mavis dropped, as it
    /// now records attendance instead of a vaccination outcome. A row
    /// marked `N` with one of them is a child not seen, left out of the
    /// upload.
    pub fn is_absence(self) -> bool {
        !self.accepted_by_current_mavis()
    }

    /// Read a reason as written in `REASON_NOT_VACCINATED`, any case.
    ///
    /// # Errors
    ///
    /// [`crate::ErrorKind::Unknown`] listing Mavis's four reasons (the
    /// guide's other two are recognised but not offered).
    pub fn parse(text: &str) -> Result<ReasonNotVaccinated> {
        let key = text.trim();
        ReasonNotVaccinated::ALL
            .into_iter()
            .find(|r| crate::text::lower_eq(key, r.text(), b' '))
            .ok_or_else(|| {
                Error::unknown(
                    "reason for not vaccinating",
                    text,
                    ReasonNotVaccinated::MAVIS
                        .map(ReasonNotVaccinated::text)
                        .join(", "),
                )
            })
    }
}

impl fmt::Display for ReasonNotVaccinated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

impl FromStr for ReasonNotVaccinated {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        ReasonNotVaccinated::parse(s)
    }
}

/// What happened when a child was seen for a programme.
///
/// Serialised as `"administered"` or `{"not_administered": "refused"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The vaccine was given (`VACCINATED` `Y`).
    Administered,
    /// It was not (`VACCINATED` `N`), for this reason.
    NotAdministered(ReasonNotVaccinated),
}

impl Outcome {
    /// `Y` or `N`, as written in `VACCINATED`.
    pub fn vaccinated_flag(self) -> &'static str {
        match self {
            Outcome::Administered => "Y",
            Outcome::NotAdministered(_) => "N",
        }
    }

    /// The reason, when not administered.
    pub fn reason(self) -> Option<ReasonNotVaccinated> {
        match self {
            Outcome::Administered => None,
            Outcome::NotAdministered(r) => Some(r),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_reasons_round_trip() {
        for r in ReasonNotVaccinated::ALL {
            assert_eq!(
                ReasonNotVaccinated::parse(&r.text().to_uppercase()).unwrap(),
                r
            );
            let json = serde_json::to_string(&Outcome::NotAdministered(r)).unwrap();
            assert_eq!(
                serde_json::from_str::<Outcome>(&json).unwrap(),
                Outcome::NotAdministered(r)
            );
        }
        assert_eq!(
            ReasonNotVaccinated::ALL
                .map(ReasonNotVaccinated::text)
                .join(", "),
            "refused, unwell, vaccination contraindicated, already had elsewhere, did not \
             attend, absent from school"
        );
        assert_eq!(
            ReasonNotVaccinated::ALL
                .iter()
                .filter(|r| r.accepted_by_current_mavis())
                .count(),
            4
        );
        assert_eq!(
            ReasonNotVaccinated::MAVIS
                .map(ReasonNotVaccinated::text)
                .join(", "),
            "refused, unwell, vaccination contraindicated, already had elsewhere"
        );
        for r in ReasonNotVaccinated::ALL {
            assert_eq!(ReasonNotVaccinated::MAVIS.contains(&r), !r.is_absence());
        }
        assert!(ReasonNotVaccinated::parse("sick").is_err());
        assert_eq!(
            serde_json::to_string(&Outcome::Administered).unwrap(),
            "\"administered\""
        );
        assert_eq!(
            serde_json::to_string(&Outcome::NotAdministered(ReasonNotVaccinated::DidNotAttend))
                .unwrap(),
            "{\"not_administered\":\"absent_from_session\"}"
        );
        assert_eq!(Outcome::Administered.vaccinated_flag(), "Y");
        assert_eq!(
            Outcome::NotAdministered(ReasonNotVaccinated::Unwell).reason(),
            Some(ReasonNotVaccinated::Unwell)
        );
    }
}
