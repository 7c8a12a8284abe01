//! Academic years, year groups and Europe/London local time.

use std::fmt;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// An English academic year, 1 September to 31 August, named by the calendar
/// year it starts in: `AcademicYear(2025)` is 2025/26.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use mavis_domain::AcademicYear;
///
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// assert_eq!(AcademicYear::containing(d(2026, 8, 31)), AcademicYear(2025));
/// assert_eq!(AcademicYear::containing(d(2026, 9, 1)), AcademicYear(2026));
/// assert_eq!(AcademicYear(2025).to_string(), "2025/26");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AcademicYear(pub i32);

impl AcademicYear {
    /// The academic year a date falls in.
    pub fn containing(date: NaiveDate) -> AcademicYear {
        if date.month() >= 9 {
            AcademicYear(date.year())
        } else {
            AcademicYear(date.year() - 1)
        }
    }

    /// 1 September, the first day.
    pub fn start(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 9, 1).expect("1 September exists")
    }

    /// 31 August, the last day.
    pub fn end(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0 + 1, 8, 31).expect("31 August exists")
    }

    /// Whether the date falls in this academic year.
    pub fn contains(self, date: NaiveDate) -> bool {
        AcademicYear::containing(date) == self
    }

    /// The year group, in this academic year, of a child born on
    /// `date_of_birth`: this year − the academic year of birth − 5, so a child
    /// born on 1 September is the oldest in their year and one born on
    /// 31 August the youngest. 0 is Reception; it is negative before school.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use mavis_domain::AcademicYear;
    ///
    /// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    /// assert_eq!(AcademicYear(2025).year_group_of(d(2012, 9, 1)), 8);
    /// assert_eq!(AcademicYear(2025).year_group_of(d(2012, 8, 31)), 9);
    /// ```
    pub fn year_group_of(self, date_of_birth: NaiveDate) -> i32 {
        self.0 - AcademicYear::containing(date_of_birth).0 - 5
    }

    /// The range of birth dates of the children in `year_group` this academic
    /// year, first and last day inclusive.
    pub fn birth_dates_of(self, year_group: i32) -> (NaiveDate, NaiveDate) {
        let birth_year = AcademicYear(self.0 - 5 - year_group);
        (birth_year.start(), birth_year.end())
    }
}

impl fmt::Display for AcademicYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.0, (self.0 + 1).rem_euclid(100))
    }
}

/// Local time in Europe/London (GMT in winter, BST in summer), by the rule in
/// force since 1996: BST from 01:00 UTC on the last Sunday of March to
/// 01:00 UTC on the last Sunday of October.
///
/// Mavis shows every time in Europe/London; this is the whole of the time
/// zone data the project needs, without a time zone database.
///
/// # Examples
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use mavis_domain::london;
///
/// let summer = Utc.with_ymd_and_hms(2025, 9, 10, 13, 32, 0).unwrap();
/// assert_eq!(london::text_timestamp(summer), "2025-09-10 14:32:00 +0100");
/// let winter = Utc.with_ymd_and_hms(2025, 12, 1, 9, 5, 0).unwrap();
/// assert_eq!(london::text_timestamp(winter), "2025-12-01 09:05:00 +0000");
/// ```
pub mod london {
    use super::*;

    /// The UTC offset in force in London at an instant.
    pub fn offset_at(instant: DateTime<Utc>) -> FixedOffset {
        let year = instant.year();
        let starts = last_sunday(year, 3).and_hms_opt(1, 0, 0).expect("01:00");
        let ends = last_sunday(year, 10).and_hms_opt(1, 0, 0).expect("01:00");
        let naive = instant.naive_utc();
        let seconds = if naive >= starts && naive < ends {
            3600
        } else {
            0
        };
        FixedOffset::east_opt(seconds).expect("valid offset")
    }

    /// The instant in London local time.
    pub fn local(instant: DateTime<Utc>) -> DateTime<FixedOffset> {
        instant.with_timezone(&offset_at(instant))
    }

    /// The instant of a London wall-clock time. A time that does not exist
    /// (in the hour skipped in March) is read as BST would have it; a time
    /// that happens twice (the hour repeated in October) is read as its first,
    /// BST, occurrence.
    pub fn to_utc(local: NaiveDateTime) -> DateTime<Utc> {
        let as_bst = Utc.from_utc_datetime(&(local - Duration::hours(1)));
        if offset_at(as_bst).local_minus_utc() == 3600 {
            return as_bst;
        }
        let as_gmt = Utc.from_utc_datetime(&local);
        if offset_at(as_gmt).local_minus_utc() == 0 {
            as_gmt
        } else {
            as_bst
        }
    }

    /// Mavis's text timestamp: `YYYY-MM-DD HH:MM:SS +HHMM` in London time.
    pub fn text_timestamp(instant: DateTime<Utc>) -> String {
        local(instant).format("%Y-%m-%d %H:%M:%S %z").to_string()
    }

    fn last_sunday(year: i32, month: u32) -> NaiveDate {
        let first_of_next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        }
        .expect("valid date");
        let last = first_of_next.pred_opt().expect("valid date");
        let back = last.weekday().num_days_from_sunday();
        last - Duration::days(i64::from(back))
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use chrono::Weekday;

        fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
            Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
        }

        #[test]
        fn last_sundays() {
            assert_eq!(
                last_sunday(2025, 3),
                NaiveDate::from_ymd_opt(2025, 3, 30).unwrap()
            );
            assert_eq!(
                last_sunday(2025, 10),
                NaiveDate::from_ymd_opt(2025, 10, 26).unwrap()
            );
            assert_eq!(
                last_sunday(2026, 3),
                NaiveDate::from_ymd_opt(2026, 3, 29).unwrap()
            );
            assert_eq!(last_sunday(2026, 10).weekday(), Weekday::Sun);
        }

        #[test]
        fn changeovers() {
            assert_eq!(offset_at(utc(2025, 3, 30, 0, 59)).local_minus_utc(), 0);
            assert_eq!(offset_at(utc(2025, 3, 30, 1, 0)).local_minus_utc(), 3600);
            assert_eq!(offset_at(utc(2025, 10, 26, 0, 59)).local_minus_utc(), 3600);
            assert_eq!(offset_at(utc(2025, 10, 26, 1, 0)).local_minus_utc(), 0);
        }

        #[test]
        fn local_to_utc() {
            let local = |y, m, d, h| {
                NaiveDate::from_ymd_opt(y, m, d)
                    .unwrap()
                    .and_hms_opt(h, 0, 0)
                    .unwrap()
            };
            assert_eq!(to_utc(local(2025, 7, 1, 10)), utc(2025, 7, 1, 9, 0));
            assert_eq!(to_utc(local(2025, 12, 1, 10)), utc(2025, 12, 1, 10, 0));
            // 01:30 on 26 October 2025 happens twice; the BST one comes first.
            assert_eq!(to_utc(local(2025, 10, 26, 1)), utc(2025, 10, 26, 0, 0));
            // 01:30 on 30 March 2025 never happens.
            assert_eq!(to_utc(local(2025, 3, 30, 1)), utc(2025, 3, 30, 0, 0));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn boundaries() {
        assert_eq!(AcademicYear::containing(d(2025, 8, 31)), AcademicYear(2024));
        assert_eq!(AcademicYear::containing(d(2025, 9, 1)), AcademicYear(2025));
        assert_eq!(AcademicYear::containing(d(2026, 1, 1)), AcademicYear(2025));
        assert_eq!(AcademicYear(2025).start(), d(2025, 9, 1));
        assert_eq!(AcademicYear(2025).end(), d(2026, 8, 31));
        assert!(AcademicYear(2025).contains(d(2026, 8, 31)));
        assert!(!AcademicYear(2025).contains(d(2026, 9, 1)));
        assert_eq!(AcademicYear(1999).to_string(), "1999/00");
    }

    #[test]
    fn year_groups_from_the_spec() {
        let y = AcademicYear(2025);
        // reference-data.md §6.6
        assert_eq!(y.year_group_of(d(2012, 11, 2)), 8);
        assert_eq!(y.year_group_of(d(2013, 10, 19)), 7);
        assert_eq!(y.year_group_of(d(2012, 9, 1)), 8);
        assert_eq!(y.year_group_of(d(2011, 12, 23)), 9);
        assert_eq!(y.year_group_of(d(2012, 1, 30)), 9);
        // 31 August / 1 September
        assert_eq!(y.year_group_of(d(2013, 8, 31)), 8);
        assert_eq!(y.year_group_of(d(2013, 9, 1)), 7);
        assert_eq!(y.year_group_of(d(2020, 8, 31)), 1);
        assert_eq!(y.year_group_of(d(2020, 9, 1)), 0); // Reception
        assert_eq!(y.year_group_of(d(2021, 9, 1)), -1);
    }

    proptest! {
        #[test]
        fn birth_dates_round_trip(start in 1990i32..2100, group in -1i32..14, offset in 0i64..366) {
            let year = AcademicYear(start);
            let (first, last) = year.birth_dates_of(group);
            prop_assert_eq!(year.year_group_of(first), group);
            prop_assert_eq!(year.year_group_of(last), group);
            prop_assert_eq!(year.year_group_of(first - Duration::days(1)), group + 1);
            prop_assert_eq!(year.year_group_of(last + Duration::days(1)), group - 1);
            let inside = first + Duration::days(offset);
            if inside <= last {
                prop_assert_eq!(year.year_group_of(inside), group);
            }
        }

        #[test]
        fn containing_is_consistent(days in 0i64..80_000) {
            let date = d(1900, 1, 1) + Duration::days(days);
            let year = AcademicYear::containing(date);
            prop_assert!(year.start() <= date && date <= year.end());
        }
    }
}
