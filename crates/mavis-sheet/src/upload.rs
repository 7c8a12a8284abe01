//! Writing the upload CSV, as Excel's "CSV UTF-8 (Comma delimited)" saves
//! it, but with dates in the user guide's `YYYYMMDD`.

use std::io::Write;

use mavis_domain::chrono::NaiveDate;

use crate::error::{ErrorKind, Result};
use mavis_domain::Column;
use mavis_domain::Table;

/// Write a table (a nurse's workbook read back, or the merged sheet) as the
/// CSV Mavis's upload accepts: UTF-8 with a byte order mark, CR LF line
/// ends, the header row as written, fields quoted only where needed, dates
/// (`PERSON_DOB`, `DATE_OF_VACCINATION`, `BATCH_EXPIRY_DATE` and their
/// aliases) as `YYYYMMDD`, times as read (`HH:MM:SS`). Every column is kept:
/// the upload ignores the ones it does not know.
///
/// Returns the number of data rows written.
///
/// # Errors
///
/// [`ErrorKind::Io`] when `out` cannot be written.
///
/// # Examples
///
/// ```
/// use mavis_sheet::{read_bytes, write_upload_csv};
///
/// let table = read_bytes(b"PERSON_FORENAME,DATE_OF_VACCINATION,NOTES\nZo\xc3\xab,14/10/2025,\"a, b\"\n", "copy.csv")?;
/// let mut out = Vec::new();
/// write_upload_csv(&table, &mut out)?;
/// assert_eq!(
///     String::from_utf8(out).unwrap(),
///     "\u{feff}PERSON_FORENAME,DATE_OF_VACCINATION,NOTES\r\nZoë,20251014,\"a, b\"\r\n"
/// );
/// # Ok::<(), mavis_sheet::Error>(())
/// ```
pub fn write_upload_csv<W: Write>(table: &Table, mut out: W) -> Result<usize> {
    let io = |e: &dyn std::fmt::Display| ErrorKind::Io {
        file: "the upload CSV".to_owned(),
        message: e.to_string(),
    };
    out.write_all(b"\xEF\xBB\xBF").map_err(|e| io(&e))?;
    // The one CSV dialect: what is written is what Mavis reads back.
    let mut writer = mavis_csv::Writer::new(out);
    writer
        .write_row(table.headers.iter().map(|h| h.text.as_str()))
        .map_err(|e| io(&e))?;
    let dates: Vec<bool> = table
        .headers
        .iter()
        .map(|h| Column::named(&h.key).is_some_and(Column::is_date))
        .collect();
    let mut n = 0;
    for row in &table.rows {
        let fields = row.cells.iter().zip(&dates).map(|(cell, is_date)| {
            if *is_date {
                compact_date(cell).unwrap_or_else(|| cell.clone())
            } else {
                cell.clone()
            }
        });
        writer.write_row(fields).map_err(|e| io(&e))?;
        n += 1;
    }
    writer.flush().map_err(|e| io(&e))?;
    Ok(n)
}

/// `dd/mm/yyyy` (or `yyyy-mm-dd`) as `YYYYMMDD`; anything else is left for
/// the validator to judge.
fn compact_date(text: &str) -> Option<String> {
    let t = text.trim();
    ["%d/%m/%Y", "%Y-%m-%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
        .filter(|d| (1000..=9999).contains(&mavis_domain::chrono::Datelike::year(d)))
        .map(|d| d.format("%Y%m%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(compact_date("14/10/2025").as_deref(), Some("20251014"));
        assert_eq!(compact_date("2025-10-14").as_deref(), Some("20251014"));
        assert_eq!(compact_date("20251014"), None);
        assert_eq!(compact_date("31/02/2025"), None);
        assert_eq!(compact_date(""), None);
    }
}
