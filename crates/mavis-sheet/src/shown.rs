//! What a spreadsheet program shows of a cell, and so writes when the
//! workbook is saved as CSV ("File > Save a copy > CSV UTF-8" in Excel,
//! "Text CSV" with the contents as shown in LibreOffice): the cell's number
//! with its number format applied. The reader reads the value; this models
//! the text, so that a check can say where the two differ in a way Mavis
//! would refuse or misread (`offline-spreadsheet.md` §10; issue 16).
//!
//! The model knows what the reader can tell of a number format: a date or
//! time format (calamine tells them from others) or not, which is taken to
//! be General, the format of a cell nobody formatted. Dates are shown as
//! the offline workbook formats them, `dd/mm/yyyy`; times as the reader
//! reads them. Measured against LibreOffice Calc's own CSV in the tests;
//! Excel's figures are its documented General and date rules.

use mavis_domain::chrono::{Datelike, NaiveDate};

/// The spreadsheet program that saves the CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SavedBy {
    /// Microsoft Excel.
    Excel,
    /// LibreOffice Calc.
    LibreOffice,
}

impl SavedBy {
    /// Both, Excel first.
    pub const ALL: [SavedBy; 2] = [SavedBy::Excel, SavedBy::LibreOffice];

    /// The program's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            SavedBy::Excel => "Excel",
            SavedBy::LibreOffice => "LibreOffice",
        }
    }
}

/// How a cell's number is formatted, as far as the reader can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumberFormat {
    /// A date or time format.
    DateOrTime,
    /// Any other: General, as a cell nobody formatted.
    General,
}

/// Excel's last date, 31/12/9999, as a serial of the 1900 date system.
const EXCEL_LAST_SERIAL: f64 = 2_958_466.0;

/// The last year LibreOffice shows; past it a date shows as `#FMT`.
const LIBREOFFICE_LAST_YEAR: i32 = 32_767;

/// The text `by` writes for the number `value` in a cell of `format`,
/// where `date` is the date the serial stands for (in the workbook's date
/// system, if it stands for one) and `time` what the reader reads of a
/// fraction of a day.
pub(crate) fn saved_number(
    by: SavedBy,
    value: f64,
    format: NumberFormat,
    date: Option<NaiveDate>,
    time: &str,
) -> String {
    match format {
        NumberFormat::DateOrTime if (0.0..1.0).contains(&value) => time.to_owned(),
        NumberFormat::DateOrTime => match by {
            SavedBy::Excel if !(0.0..EXCEL_LAST_SERIAL).contains(&value) => "########".to_owned(),
            SavedBy::LibreOffice
                if date.is_none_or(|d| d.year() > LIBREOFFICE_LAST_YEAR || d.year() < 1) =>
            {
                "#FMT".to_owned()
            }
            _ => date.map_or_else(|| "########".to_owned(), dd_mm_yyyy),
        },
        NumberFormat::General => match by {
            SavedBy::Excel => excel_general(value),
            SavedBy::LibreOffice => libreoffice_general(value),
        },
    }
}

/// `dd/mm/yyyy`, the year in as many digits as it has.
fn dd_mm_yyyy(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// Excel's General format: at most 11 characters; whole numbers of 12
/// digits or more in scientific form (`1.23457E+11`), others rounded to
/// fit.
fn excel_general(value: f64) -> String {
    let plain = libreoffice_general(value);
    if plain.trim_start_matches('-').len() <= 11 {
        return plain;
    }
    let whole_digits = format!("{:.0}", value.abs().trunc()).len();
    if value.fract() == 0.0 || whole_digits > 10 {
        let text = format!("{value:.5E}");
        let (mantissa, exponent) = text.split_once('E').unwrap_or((&text, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        let exponent: i32 = exponent.parse().unwrap_or(0);
        let sign = if exponent < 0 { '-' } else { '+' };
        return format!("{mantissa}E{sign}{:02}", exponent.abs());
    }
    let decimals = 11usize.saturating_sub(whole_digits + 1 + usize::from(value < 0.0));
    trim_decimals(format!("{value:.decimals$}"))
}

/// LibreOffice's General ("Standard") format: whole numbers in full, others
/// to 15 significant digits.
fn libreoffice_general(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e16 {
        return format!("{value:.0}");
    }
    // The place of the first significant digit: 0 for units, -1 for tenths.
    #[allow(clippy::cast_possible_truncation)] // a float's exponent is small
    let first = value.abs().log10().floor() as i32;
    let decimals = usize::try_from(14i32.saturating_sub(first).clamp(0, 30)).unwrap_or(0);
    trim_decimals(format!("{value:.decimals$}"))
}

/// A decimal's trailing zeros, and a point left bare, removed.
fn trim_decimals(text: String) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn general(by: SavedBy, value: f64) -> String {
        saved_number(by, value, NumberFormat::General, None, "")
    }

    #[test]
    fn general_numbers_as_each_program_saves_them() {
        // LibreOffice's figures are what its CSV of the same cells held.
        for (value, excel, libreoffice) in [
            (9_449_306_168.0, "9449306168", "9449306168"),
            (12_345_678_901.0, "12345678901", "12345678901"),
            (123_456_789_012.0, "1.23457E+11", "123456789012"),
            (100_000_000_000.0, "1E+11", "100000000000"),
            (1_234_567_890_123_456.0, "1.23457E+15", "1234567890123456"),
            (0.4375, "0.4375", "0.4375"),
            (0.333_333_333_333_333, "0.333333333", "0.333333333333333"),
            (46_000.0, "46000", "46000"),
            (1.5, "1.5", "1.5"),
            (12_345_678_901.5, "1.23457E+10", "12345678901.5"),
        ] {
            assert_eq!(general(SavedBy::Excel, value), excel, "{value}");
            assert_eq!(general(SavedBy::LibreOffice, value), libreoffice, "{value}");
        }
    }

    #[test]
    fn any_number_is_shown_without_a_panic() {
        for value in [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            5e-324,
            -0.0,
            1e15 + 0.5,
        ] {
            for by in SavedBy::ALL {
                for format in [NumberFormat::General, NumberFormat::DateOrTime] {
                    assert!(!saved_number(by, value, format, None, "00:00:00").is_empty());
                }
            }
        }
    }

    #[test]
    fn dates_past_what_a_program_shows() {
        let far = NaiveDate::from_ymd_opt(57_373, 1, 1);
        let shown = |by, value, date| saved_number(by, value, NumberFormat::DateOrTime, date, "");
        assert_eq!(shown(SavedBy::Excel, 20_261_201.0, far), "########");
        assert_eq!(shown(SavedBy::LibreOffice, 20_261_201.0, far), "#FMT");
        let d = NaiveDate::from_ymd_opt(10_113, 9, 19);
        assert_eq!(shown(SavedBy::Excel, 3_000_000.0, d), "########");
        assert_eq!(shown(SavedBy::LibreOffice, 3_000_000.0, d), "19/09/10113");
        let d = NaiveDate::from_ymd_opt(2025, 12, 9);
        assert_eq!(shown(SavedBy::Excel, 46_000.0, d), "09/12/2025");
        assert_eq!(shown(SavedBy::LibreOffice, 46_000.0, d), "09/12/2025");
        let t = saved_number(
            SavedBy::Excel,
            0.4375,
            NumberFormat::DateOrTime,
            None,
            "10:30:00",
        );
        assert_eq!(t, "10:30:00");
    }
}
