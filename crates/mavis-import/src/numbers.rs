//! Integers as the project reads them (`import-csv.md` §5.4).

/// Read an integer: an optional `+` or `-` and decimal digits. Mavis reads
/// these with Ruby's integer-literal syntax, where a leading zero means
/// octal; a value with leading zeros is accepted only when both readings
/// agree (all zeros, or zeros then one digit 1–7). Values too large for an
/// `i64` saturate, which keeps them out of every accepted range.
///
/// # Examples
///
/// ```
/// use mavis_import::parse_integer;
///
/// assert_eq!(parse_integer("2"), Some(2));
/// assert_eq!(parse_integer("-1"), Some(-1));
/// assert_eq!(parse_integer("07"), Some(7));
/// assert_eq!(parse_integer("08"), None); // not octal
/// assert_eq!(parse_integer("010"), None); // octal 8 in Mavis
/// assert_eq!(parse_integer("1_000"), None);
/// assert_eq!(parse_integer("0x1A"), None);
/// ```
pub fn parse_integer(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        all => (false, all),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if digits.len() > 1 && digits[0] == b'0' {
        let significant = digits.iter().position(|&d| d != b'0');
        match significant {
            None => {}
            Some(i) if i == digits.len() - 1 && (b'1'..=b'7').contains(&digits[i]) => {}
            Some(_) => return None,
        }
    }
    let mut n: i64 = 0;
    for &d in digits {
        n = n.saturating_mul(10).saturating_add(i64::from(d - b'0'));
    }
    Some(if negative { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        for (text, expected) in [
            ("0", Some(0)),
            ("00", Some(0)),
            ("01", Some(1)),
            ("007", Some(7)),
            ("-02", Some(-2)),
            ("+5", Some(5)),
            ("1001", Some(1001)),
            ("09", None),
            ("0010", None),
            ("", None),
            ("-", None),
            ("1.0", None),
            (" 1", None),
            ("1e3", None),
            ("٣", None),
            ("99999999999999999999999", Some(i64::MAX)),
        ] {
            assert_eq!(parse_integer(text), expected, "{text:?}");
        }
    }
}
