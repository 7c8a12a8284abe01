//! Dates and times as the upload writes them (`import-csv.md` §5.2, §5.3),
//! matched against the whole value: Mavis reads the longest matching prefix
//! and ignores the rest, which can silently misread a value, so the project
//! rule is stricter.

use chrono::{NaiveDate, NaiveTime};

/// Read a date written `YYYYMMDD`, `YYYY-M-D` (month and day one or two
/// digits) or `D/M/YYYY` (day and month one or two digits, four-digit year).
/// The value must be exactly one of these and a real calendar date.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use mavis_import::parse_date;
///
/// let d = NaiveDate::from_ymd_opt(2025, 3, 13);
/// assert_eq!(parse_date("20250313"), d);
/// assert_eq!(parse_date("2025-3-13"), d);
/// assert_eq!(parse_date("13/03/2025"), d);
/// assert_eq!(parse_date("13/03/25"), None); // two-digit year
/// assert_eq!(parse_date("13/03/2025 10:00"), None); // trailing text
/// assert_eq!(parse_date("20250230"), None); // no 30 February
/// ```
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        return NaiveDate::from_ymd_opt(digits(&b[..4])?, digits(&b[4..6])?, digits(&b[6..])?);
    }
    if let Some([y, m, d]) = split3(b, b'-') {
        if y.len() == 4 && (1..=2).contains(&m.len()) && (1..=2).contains(&d.len()) {
            return NaiveDate::from_ymd_opt(digits(y)?, digits(m)?, digits(d)?);
        }
        return None;
    }
    if let Some([d, m, y]) = split3(b, b'/') {
        if y.len() == 4 && (1..=2).contains(&m.len()) && (1..=2).contains(&d.len()) {
            return NaiveDate::from_ymd_opt(digits(y)?, digits(m)?, digits(d)?);
        }
    }
    None
}

/// Read a time written `H:M:S`, `H:M` (each part one or two digits),
/// `HHMMSS`, `HHMM` or `H`/`HH`; hours 0–23, minutes and seconds 0–59. The
/// value must be exactly one of these forms.
///
/// # Examples
///
/// ```
/// use chrono::NaiveTime;
/// use mavis_import::parse_time;
///
/// let t = |h, m, s| NaiveTime::from_hms_opt(h, m, s);
/// assert_eq!(parse_time("10:15:30"), t(10, 15, 30));
/// assert_eq!(parse_time("9:5"), t(9, 5, 0));
/// assert_eq!(parse_time("101530"), t(10, 15, 30));
/// assert_eq!(parse_time("1015"), t(10, 15, 0));
/// assert_eq!(parse_time("10"), t(10, 0, 0));
/// assert_eq!(parse_time("12:05pm"), None);
/// assert_eq!(parse_time("24:00"), None);
/// ```
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let b = text.as_bytes();
    let (h, m, s) = if b.contains(&b':') {
        let part = |p: &[u8]| {
            if (1..=2).contains(&p.len()) {
                digits(p)
            } else {
                None
            }
        };
        match split3(b, b':') {
            Some([h, m, s]) => (part(h)?, part(m)?, part(s)?),
            None => {
                let (h, m) = split2(b, b':')?;
                (part(h)?, part(m)?, 0)
            }
        }
    } else if !b.iter().all(u8::is_ascii_digit) {
        return None;
    } else {
        match b.len() {
            1 | 2 => (digits(b)?, 0, 0),
            4 => (digits(&b[..2])?, digits(&b[2..])?, 0),
            6 => (digits(&b[..2])?, digits(&b[2..4])?, digits(&b[4..])?),
            _ => return None,
        }
    };
    if h > 23 || m > 59 || s > 59 {
        return None;
    }
    NaiveTime::from_hms_opt(h, m, s)
}

/// The three parts of `text` around exactly two `sep`s.
fn split3(text: &[u8], sep: u8) -> Option<[&[u8]; 3]> {
    let i = text.iter().position(|&c| c == sep)?;
    let (a, rest) = (&text[..i], &text[i + 1..]);
    let (b, c) = split2(rest, sep)?;
    Some([a, b, c])
}

/// The two parts of `text` around exactly one `sep`.
fn split2(text: &[u8], sep: u8) -> Option<(&[u8], &[u8])> {
    let i = text.iter().position(|&c| c == sep)?;
    let (a, b) = (&text[..i], &text[i + 1..]);
    if b.contains(&sep) {
        return None;
    }
    Some((a, b))
}

/// The number a short run of ASCII digits writes; `None` for anything else.
fn digits<T: From<u16>>(b: &[u8]) -> Option<T> {
    if b.is_empty() || b.len() > 4 {
        return None;
    }
    let mut n: u16 = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u16::from(c - b'0');
    }
    Some(T::from(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dates() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        for (text, expected) in [
            ("20240101", d(2024, 1, 1)),
            ("2023-09-01", d(2023, 9, 1)),
            ("2025-3-1", d(2025, 3, 1)),
            ("01/09/2023", d(2023, 9, 1)),
            ("1/3/2025", d(2025, 3, 1)),
            ("29/02/2024", d(2024, 2, 29)),
            ("29/02/2025", None),
            ("13-03-2025", None),
            ("13/03/25", None),
            ("2025313", None),
            ("202503130", None),
            ("2025/03/13", None),
            ("2025-03-13T00:00", None),
            ("+2025-03-13", None),
            ("2025-003-13", None),
            ("", None),
            ("abc", None),
            ("１２/０３/２０２５", None),
        ] {
            assert_eq!(parse_date(text), expected, "{text:?}");
        }
    }

    #[test]
    fn times() {
        let t = |h, m, s| NaiveTime::from_hms_opt(h, m, s);
        for (text, expected) in [
            ("10:30:25", t(10, 30, 25)),
            ("1:2:3", t(1, 2, 3)),
            ("10:01", t(10, 1, 0)),
            ("1030", t(10, 30, 0)),
            ("103025", t(10, 30, 25)),
            ("7", t(7, 0, 0)),
            ("23:59:59", t(23, 59, 59)),
            ("23:59:60", None),
            ("24", None),
            ("930", None),
            ("12.30", None),
            ("10:", None),
            (":10", None),
            ("10:30:25:00", None),
            ("abc", None),
            ("", None),
        ] {
            assert_eq!(parse_time(text), expected, "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn dates_round_trip(days in 0i64..100_000) {
            let date = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
            prop_assert_eq!(parse_date(&date.format("%Y%m%d").to_string()), Some(date));
            prop_assert_eq!(parse_date(&date.format("%d/%m/%Y").to_string()), Some(date));
            prop_assert_eq!(parse_date(&date.format("%Y-%m-%d").to_string()), Some(date));
        }

        #[test]
        fn any_text_is_safe(s in "\\PC{0,12}") {
            let _ = parse_date(&s);
            let _ = parse_time(&s);
        }
    }
}
