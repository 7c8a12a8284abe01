//! Programmes, the MMR(V) variants and dose sequences.

use std::fmt;
use std::num::NonZeroU8;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// A vaccination programme (`reference-data.md` §3).
///
/// Serialised by its key: `flu`, `hpv`, `menacwy`, `mmr`, `td_ipv`. The
/// variant order is the alphabetical order of those keys, the order Mavis
/// uses for a child's rows and the batch sheets.
///
/// # Examples
///
/// ```
/// use mavis_domain::{Programme, MmrVariant};
///
/// let (p, variant) = Programme::from_import_name("acwyx4").unwrap();
/// assert_eq!(variant, None);
/// assert_eq!(p, Programme::MenAcwy);
/// assert_eq!(p.import_name(None), "ACWYX4");
/// assert_eq!(Programme::Mmr.import_name(Some(MmrVariant::Mmrv)), "MMRV");
/// assert_eq!(Programme::TdIpv.max_dose(), 6);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Programme {
    /// Seasonal flu.
    #[serde(rename = "flu")]
    Flu,
    /// Human papillomavirus.
    #[serde(rename = "hpv")]
    Hpv,
    /// Meningitis A, C, W and Y.
    #[serde(rename = "menacwy")]
    MenAcwy,
    /// Measles, mumps, rubella (and varicella in the MMRV variant).
    #[serde(rename = "mmr")]
    Mmr,
    /// Tetanus, diphtheria and polio (the 3-in-1 teenage booster).
    #[serde(rename = "td_ipv")]
    TdIpv,
}

impl Programme {
    /// Every programme, in key order.
    pub const ALL: [Programme; 5] = [
        Programme::Flu,
        Programme::Hpv,
        Programme::MenAcwy,
        Programme::Mmr,
        Programme::TdIpv,
    ];

    /// The lower-case key: `flu`, `hpv`, `menacwy`, `mmr`, `td_ipv`; it names
    /// the batch sheets (`hpv Batch Numbers`).
    pub fn key(self) -> &'static str {
        match self {
            Programme::Flu => "flu",
            Programme::Hpv => "hpv",
            Programme::MenAcwy => "menacwy",
            Programme::Mmr => "mmr",
            Programme::TdIpv => "td_ipv",
        }
    }

    /// The name people read: `Flu`, `HPV`, `MenACWY`, `MMR(V)`, `Td/IPV`.
    pub fn display_name(self) -> &'static str {
        match self {
            Programme::Flu => "Flu",
            Programme::Hpv => "HPV",
            Programme::MenAcwy => "MenACWY",
            Programme::Mmr => "MMR(V)",
            Programme::TdIpv => "Td/IPV",
        }
    }

    /// The names accepted in the `PROGRAMME` column, the first being the one
    /// the spreadsheet writes. MMR(V) is named per variant; see
    /// [`MmrVariant::import_name`].
    pub fn import_names(self) -> &'static [&'static str] {
        match self {
            Programme::Flu => &["Flu"],
            Programme::Hpv => &["HPV"],
            Programme::MenAcwy => &["ACWYX4", "MenACWY"],
            Programme::Mmr => &["MMR", "MMRV"],
            Programme::TdIpv => &["3-in-1", "Td/IPV"],
        }
    }

    /// The name the spreadsheet writes in `PROGRAMME`; MMR(V) needs the
    /// variant (`None` gives `MMR`).
    pub fn import_name(self, variant: Option<MmrVariant>) -> &'static str {
        match (self, variant) {
            (Programme::Mmr, Some(v)) => v.import_name(),
            _ => self.import_names()[0],
        }
    }

    /// Find the programme (and for MMR(V) the variant) of an import name,
    /// compared case-insensitively, as the importer does.
    pub fn from_import_name(name: &str) -> Option<(Programme, Option<MmrVariant>)> {
        let name = name.trim();
        if name.eq_ignore_ascii_case("MMR") {
            return Some((Programme::Mmr, Some(MmrVariant::Mmr)));
        }
        if name.eq_ignore_ascii_case("MMRV") {
            return Some((Programme::Mmr, Some(MmrVariant::Mmrv)));
        }
        Programme::ALL
            .into_iter()
            .find(|p| {
                p.import_names()
                    .iter()
                    .any(|n| n.eq_ignore_ascii_case(name))
            })
            .map(|p| (p, None))
    }

    /// Parse a programme key (`hpv`), display name (`HPV`) or import name
    /// (`3-in-1`), any case.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Unknown`] listing the keys when nothing matches.
    pub fn parse(text: &str) -> Result<Programme> {
        let t = text.trim();
        Programme::ALL
            .into_iter()
            .find(|p| p.key().eq_ignore_ascii_case(t) || p.display_name().eq_ignore_ascii_case(t))
            .or_else(|| Programme::from_import_name(t).map(|(p, _)| p))
            .ok_or_else(|| {
                Error::unknown(
                    "programme",
                    text,
                    Programme::ALL.map(Programme::key).join(", "),
                )
            })
    }

    /// The year groups the programme is offered to by default (0 is
    /// Reception).
    pub fn default_year_groups(self) -> std::ops::RangeInclusive<i32> {
        match self {
            Programme::Flu | Programme::Mmr => 0..=11,
            Programme::Hpv => 8..=11,
            Programme::MenAcwy | Programme::TdIpv => 9..=11,
        }
    }

    /// The dose a historical upload row gets when `DOSE_SEQUENCE` is blank:
    /// 1 for flu and HPV, none for the others.
    pub fn default_dose(self) -> Option<DoseSequence> {
        match self {
            Programme::Flu | Programme::Hpv => Some(DoseSequence::FIRST),
            _ => None,
        }
    }

    /// The dose Mavis's Record offline writes into `DOSE_SEQUENCE` when the
    /// service suggests none: 5 for Td/IPV (the school-leaver booster),
    /// 1 for every other programme (issue 17, item 11).
    ///
    /// ```
    /// use mavis_domain::Programme;
    ///
    /// assert_eq!(Programme::TdIpv.prefilled_dose().number(), 5);
    /// assert_eq!(Programme::MenAcwy.prefilled_dose().number(), 1);
    /// ```
    pub fn prefilled_dose(self) -> DoseSequence {
        match self {
            Programme::TdIpv => DoseSequence(NonZeroU8::new(5).unwrap_or(NonZeroU8::MIN)),
            _ => DoseSequence::FIRST,
        }
    }

    /// The highest dose number accepted on upload.
    pub fn max_dose(self) -> u8 {
        match self {
            Programme::Flu | Programme::Mmr => 2,
            Programme::Hpv | Programme::MenAcwy => 3,
            Programme::TdIpv => 6,
        }
    }

    /// The dose codes of `DOSE_SEQUENCE` (P primary, B booster) and the dose
    /// numbers they stand for.
    pub fn dose_codes(self) -> &'static [(&'static str, u8)] {
        match self {
            Programme::Flu => &[],
            Programme::Hpv => &[("1P", 1), ("2P", 2), ("3P", 3)],
            Programme::MenAcwy => &[("1P", 1), ("1B", 2), ("2B", 3)],
            Programme::Mmr => &[("1P", 1), ("1B", 2)],
            Programme::TdIpv => &[("1P", 1), ("2P", 2), ("3P", 3), ("1B", 4), ("2B", 5)],
        }
    }

    /// The scheduled-booster phrases SystmOne writes in `Vaccination type`,
    /// and their dose numbers.
    pub fn booster_phrases(self) -> &'static [(&'static str, u8)] {
        match self {
            Programme::MenAcwy => &[("1st Scheduled Booster", 2), ("2nd Scheduled Booster", 3)],
            Programme::TdIpv => &[("1st Scheduled Booster", 4), ("2nd Scheduled Booster", 5)],
            _ => &[],
        }
    }

    /// The diseases the programme protects against, as people name them.
    pub fn diseases(self, variant: Option<MmrVariant>) -> &'static str {
        match (self, variant) {
            (Programme::Flu, _) => "influenza",
            (Programme::Hpv, _) => "human papillomavirus",
            (Programme::MenAcwy, _) => "meningitis A, C, W, Y",
            (Programme::Mmr, Some(MmrVariant::Mmrv)) => "measles, mumps, rubella, varicella",
            (Programme::Mmr, _) => "measles, mumps, rubella",
            (Programme::TdIpv, _) => "tetanus, diphtheria, polio",
        }
    }
}

impl fmt::Display for Programme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

impl FromStr for Programme {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Programme::parse(s)
    }
}

/// The two variants of the MMR(V) programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MmrVariant {
    /// Measles, mumps and rubella.
    Mmr,
    /// Measles, mumps, rubella and varicella.
    Mmrv,
}

impl MmrVariant {
    /// Children born on or after this date get the MMRV variant.
    pub const MMRV_BORN_FROM: NaiveDate = match NaiveDate::from_ymd_opt(2020, 1, 1) {
        Some(d) => d,
        None => panic!("valid date"),
    };

    /// The variant the spreadsheet gives a child: MMRV when born on or after
    /// 1 January 2020.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use mavis_domain::MmrVariant;
    ///
    /// let born = NaiveDate::from_ymd_opt(2019, 12, 31).unwrap();
    /// assert_eq!(MmrVariant::for_child_born(born), MmrVariant::Mmr);
    /// assert_eq!(MmrVariant::for_child_born(born.succ_opt().unwrap()), MmrVariant::Mmrv);
    /// ```
    pub fn for_child_born(date_of_birth: NaiveDate) -> MmrVariant {
        if date_of_birth >= MmrVariant::MMRV_BORN_FROM {
            MmrVariant::Mmrv
        } else {
            MmrVariant::Mmr
        }
    }

    /// `MMR` or `MMRV`.
    pub fn import_name(self) -> &'static str {
        match self {
            MmrVariant::Mmr => "MMR",
            MmrVariant::Mmrv => "MMRV",
        }
    }
}

/// A dose number within a programme's course: 1 for the first dose and so
/// on, up to the programme's [`Programme::max_dose`].
///
/// # Examples
///
/// ```
/// use mavis_domain::{DoseSequence, Programme};
///
/// let d = DoseSequence::parse(Programme::TdIpv, "1b")?;
/// assert_eq!(d.number(), 4);
/// assert_eq!(d.code(Programme::TdIpv), Some("1B"));
/// assert_eq!(DoseSequence::parse(Programme::Hpv, "2")?.code(Programme::Hpv), Some("2P"));
/// assert!(DoseSequence::parse(Programme::Flu, "3").is_err()); // flu has at most 2
/// assert!(DoseSequence::parse(Programme::Flu, "1P").is_err()); // flu has no codes
/// # Ok::<(), mavis_domain::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DoseSequence(NonZeroU8);

impl DoseSequence {
    /// The first dose.
    pub const FIRST: DoseSequence = DoseSequence(NonZeroU8::MIN);

    /// The dose with this number in the programme, if the programme has it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::DoseSequence`] when the number is 0 or above the
    /// programme's maximum.
    pub fn new(programme: Programme, number: u8) -> Result<DoseSequence> {
        match NonZeroU8::new(number) {
            Some(n) if number <= programme.max_dose() => Ok(DoseSequence(n)),
            _ => Err(dose_error(programme, &number.to_string())),
        }
    }

    /// Read a dose as written in `DOSE_SEQUENCE`: a number, or one of the
    /// programme's codes (`1P`, `2B`…); whitespace is removed and letters
    /// upper-cased first, as Mavis does.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::DoseSequence`] when the text is neither a code of the
    /// programme nor a number from 1 to its maximum.
    pub fn parse(programme: Programme, text: &str) -> Result<DoseSequence> {
        let squeezed: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if let Some((_, n)) = programme.dose_codes().iter().find(|(c, _)| *c == squeezed) {
            return DoseSequence::new(programme, *n);
        }
        match squeezed.parse::<u8>() {
            Ok(n) if squeezed.bytes().all(|b| b.is_ascii_digit()) => {
                DoseSequence::new(programme, n).map_err(|_| dose_error(programme, text))
            }
            _ => Err(dose_error(programme, text)),
        }
    }

    /// The dose number.
    pub fn number(self) -> u8 {
        self.0.get()
    }

    /// The programme's code for this dose (`2P`, `1B`…), if it has one.
    pub fn code(self, programme: Programme) -> Option<&'static str> {
        programme
            .dose_codes()
            .iter()
            .find(|(_, n)| *n == self.number())
            .map(|(c, _)| *c)
    }
}

impl fmt::Display for DoseSequence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

fn dose_error(programme: Programme, value: &str) -> Error {
    let codes = programme.dose_codes();
    let expected = if codes.is_empty() {
        format!("use a number from 1 to {}", programme.max_dose())
    } else {
        let list: Vec<&str> = codes.iter().map(|(c, _)| *c).collect();
        format!(
            "use a number from 1 to {} or one of {}",
            programme.max_dose(),
            list.join(", ")
        )
    };
    ErrorKind::DoseSequence {
        value: value.to_owned(),
        programme: programme.display_name(),
        expected,
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_serde_and_parse() {
        for p in Programme::ALL {
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(json, format!("\"{}\"", p.key()));
            assert_eq!(serde_json::from_str::<Programme>(&json).unwrap(), p);
            assert_eq!(Programme::parse(p.key()).unwrap(), p);
            assert_eq!(Programme::parse(p.display_name()).unwrap(), p);
            for name in p.import_names() {
                assert_eq!(Programme::parse(name).unwrap(), p);
            }
        }
        let mut sorted = Programme::ALL;
        sorted.sort_by_key(|p| p.key());
        assert_eq!(sorted, Programme::ALL, "ALL is in key order");
        assert_eq!(
            Programme::parse("polio").unwrap_err().to_string(),
            "\"polio\" is not a known programme; use one of: flu, hpv, menacwy, mmr, td_ipv"
        );
    }

    #[test]
    fn import_names() {
        assert_eq!(
            Programme::from_import_name("flu"),
            Some((Programme::Flu, None))
        );
        assert_eq!(
            Programme::from_import_name("td/ipv"),
            Some((Programme::TdIpv, None))
        );
        assert_eq!(
            Programme::from_import_name("mmrv"),
            Some((Programme::Mmr, Some(MmrVariant::Mmrv)))
        );
        assert_eq!(Programme::from_import_name("MenB"), None);
        assert_eq!(Programme::TdIpv.import_name(None), "3-in-1");
        assert_eq!(Programme::Mmr.import_name(None), "MMR");
    }

    #[test]
    fn dose_sequences_per_programme() {
        let cases = [
            (Programme::Flu, "1", Some(1)),
            (Programme::Flu, "2", Some(2)),
            (Programme::Flu, "3", None),
            (Programme::Flu, "1P", None),
            (Programme::Hpv, "3P", Some(3)),
            (Programme::Hpv, "1B", None),
            (Programme::Hpv, "4", None),
            (Programme::MenAcwy, "1b", Some(2)),
            (Programme::MenAcwy, "2 B", Some(3)),
            (Programme::MenAcwy, "2P", None),
            (Programme::Mmr, "1B", Some(2)),
            (Programme::Mmr, "3", None),
            (Programme::TdIpv, "2B", Some(5)),
            (Programme::TdIpv, "6", Some(6)),
            (Programme::TdIpv, "7", None),
            (Programme::TdIpv, "0", None),
            (Programme::TdIpv, "-1", None),
            (Programme::TdIpv, "+1", None),
            (Programme::TdIpv, "1st Scheduled Booster", None),
            (Programme::TdIpv, "", None),
        ];
        for (p, text, expected) in cases {
            let got = DoseSequence::parse(p, text).ok().map(DoseSequence::number);
            assert_eq!(got, expected, "{p} {text:?}");
        }
        assert_eq!(
            DoseSequence::parse(Programme::Hpv, "4")
                .unwrap_err()
                .to_string(),
            "\"4\" is not a dose sequence of the HPV programme; use a number from 1 to 3 or one \
             of 1P, 2P, 3P"
        );
        assert_eq!(Programme::Hpv.default_dose(), Some(DoseSequence::FIRST));
        assert_eq!(Programme::MenAcwy.default_dose(), None);
        assert_eq!(
            DoseSequence::new(Programme::Flu, 2)
                .unwrap()
                .code(Programme::Flu),
            None
        );
    }

    #[test]
    fn catalogue_facts() {
        assert_eq!(Programme::Flu.vaccine_methods().len(), 2);
        assert_eq!(Programme::Hpv.default_year_groups(), 8..=11);
        assert_eq!(
            Programme::TdIpv.booster_phrases()[1],
            ("2nd Scheduled Booster", 5)
        );
        assert_eq!(
            Programme::Mmr.diseases(Some(MmrVariant::Mmrv)),
            "measles, mumps, rubella, varicella"
        );
    }
}
