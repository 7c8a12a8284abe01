//! Facts of the upload stated once, for the reader, the merge and the
//! validator alike.

/// The most data rows one upload may have (`import-csv.md` §2): Mavis
/// refuses a larger CSV file. `mavis_sheet::UPLOAD_MAX_ROWS` and
/// `mavis_import::ROW_LIMIT` are this constant.
pub const UPLOAD_MAX_ROWS: u64 = 20_000;

/// Read a `VACCINATED` cell as Mavis does: `Some(true)` for a prefix of
/// "yes", `Some(false)` for a prefix of "no", any case, surrounding
/// whitespace aside; `None` for anything else, the empty text included.
///
/// # Examples
///
/// ```
/// use mavis_domain::parse_vaccinated;
///
/// assert_eq!(parse_vaccinated("Y"), Some(true));
/// assert_eq!(parse_vaccinated(" yEs "), Some(true));
/// assert_eq!(parse_vaccinated("n"), Some(false));
/// assert_eq!(parse_vaccinated("nope"), None);
/// assert_eq!(parse_vaccinated(""), None);
/// ```
pub fn parse_vaccinated(text: &str) -> Option<bool> {
    let v = text.trim();
    // Only ASCII letters lower-case to these letters, so comparing bytes is
    // exact.
    let prefix_of = |word: &str| {
        !v.is_empty()
            && v.len() <= word.len()
            && word.as_bytes()[..v.len()].eq_ignore_ascii_case(v.as_bytes())
    };
    if prefix_of("yes") {
        Some(true)
    } else if prefix_of("no") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vaccinated_prefixes() {
        for yes in ["y", "Y", "ye", "YES", "Yes"] {
            assert_eq!(parse_vaccinated(yes), Some(true), "{yes}");
        }
        for no in ["n", "N", "No", "NO"] {
            assert_eq!(parse_vaccinated(no), Some(false), "{no}");
        }
        for other in ["", " ", "yess", "nah", "1", "true", "ÿ"] {
            assert_eq!(parse_vaccinated(other), None, "{other}");
        }
    }
}
