//! How Mavis normalises every cell value and header before any rule sees
//! it (`import-csv.md` §3.3 and §3.4).

use std::borrow::Cow;

/// Normalise a cell value as Mavis does: delete zero-width joiners (U+200D),
/// turn no-break spaces (U+00A0) into spaces, trim whitespace (space, tab,
/// CR, LF, VT, FF, NUL) at both ends, and collapse every inner run of
/// whitespace into one space. An empty result means blank.
///
/// Borrows when nothing changes, which is the common case.
///
/// # Examples
///
/// ```
/// use mavis_domain::normalise_value;
///
/// assert_eq!(normalise_value("  left\u{a0}upper \r\n arm "), "left upper arm");
/// assert_eq!(normalise_value("Zo\u{200d}ë"), "Zoë");
/// assert_eq!(normalise_value("\t\0"), "");
/// ```
pub fn normalise_value(value: &str) -> Cow<'_, str> {
    if is_normal(value) {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(normalise_owned(value))
    }
}

fn normalise_owned(value: &str) -> String {
    let replaced: String = value
        .chars()
        .filter(|c| *c != '\u{200d}')
        .map(|c| if c == '\u{a0}' { ' ' } else { c })
        .collect();
    let trimmed = replaced.trim_matches(|c| is_space(c) || c == '\0');
    let mut out = String::with_capacity(trimmed.len());
    let mut in_space = false;
    for c in trimmed.chars() {
        if is_space(c) {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// Whitespace in Mavis's sense: space, tab, CR, LF, VT, FF.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{b}' | '\u{c}')
}

/// Whether `normalise_value` would leave the value unchanged.
fn is_normal(value: &str) -> bool {
    let bytes = value.as_bytes();
    if let (Some(first), Some(last)) = (bytes.first(), bytes.last()) {
        if matches!(*first, b' ' | b'\0') || matches!(*last, b' ' | b'\0') {
            return false;
        }
    }
    let mut prev_space = false;
    for c in value.chars() {
        match c {
            '\u{200d}' | '\u{a0}' | '\t' | '\r' | '\n' | '\u{b}' | '\u{c}' => return false,
            ' ' if prev_space => return false,
            ' ' => prev_space = true,
            _ => prev_space = false,
        }
    }
    true
}

/// The lookup key of a header (`import-csv.md` §3.3): normalised as a value,
/// lower-cased, then `-` and spaces turned into `_`.
///
/// # Examples
///
/// ```
/// use mavis_domain::header_key;
///
/// assert_eq!(header_key(" Date  of vaccination "), "date_of_vaccination");
/// assert_eq!(header_key("DATE-OF-VACCINATION"), "date_of_vaccination");
/// assert_eq!(header_key("NHS number"), "nhs_number");
/// ```
pub fn header_key(header: &str) -> String {
    normalise_value(header)
        .to_lowercase()
        .chars()
        .map(|c| if c == '-' || c == ' ' { '_' } else { c })
        .collect()
}

/// Whether `text`, lower-cased with every space read as `space`, is
/// `target` (lower-case ASCII): what comparing `text.to_lowercase()` would
/// say, without building it for ASCII text (the usual cell).
pub(crate) fn lower_eq(text: &str, target: &str, space: u8) -> bool {
    if text.is_ascii() {
        text.len() == target.len()
            && text.bytes().zip(target.bytes()).all(|(c, t)| {
                let c = if c == b' ' { space } else { c };
                c.to_ascii_lowercase() == t
            })
    } else {
        text.to_lowercase()
            .chars()
            .map(|c| if c == ' ' { char::from(space) } else { c })
            .eq(target.chars())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cases() {
        for (input, expected) in [
            ("", ""),
            ("abc", "abc"),
            (" abc", "abc"),
            ("a  b", "a b"),
            ("a\u{a0}\u{a0}b", "a b"),
            ("a\u{200d}b", "ab"),
            (" \u{200d} ", ""),
            ("line one\r\nline two", "line one line two"),
            ("a\u{2003}b", "a\u{2003}b"), // other Unicode spaces are kept
            ("\0a\0b\0", "a\0b"),         // NUL is trimmed, not collapsed
        ] {
            assert_eq!(normalise_value(input), expected, "{input:?}");
        }
        assert!(matches!(normalise_value("plain text"), Cow::Borrowed(_)));
        assert_eq!(header_key("Event date"), "event_date");
        assert_eq!(header_key("PERSON_GENDER_CODE"), "person_gender_code");
    }

    proptest! {
        #[test]
        fn fast_path_agrees(s in "[ a-c\u{a0}\u{200d}\t\r\n\0\u{b}\u{c}é]{0,16}") {
            let fast = normalise_value(&s).into_owned();
            prop_assert_eq!(fast, normalise_owned(&s));
        }

        #[test]
        fn lower_eq_is_comparing_lower_case(
            s in "[ a-cA-C_K\u{212a}\u{130}é]{0,6}",
            t in "[ a-c_ki]{0,6}",
        ) {
            prop_assert_eq!(lower_eq(&s, &t, b' '), s.to_lowercase() == t);
            prop_assert_eq!(
                lower_eq(&s, &t, b'_'),
                s.to_lowercase().replace(' ', "_") == t
            );
        }

        #[test]
        fn idempotent(s in "[ a-c\u{a0}\u{200d}\t\r\n\0é]{0,16}") {
            let once = normalise_value(&s).into_owned();
            let twice = normalise_value(&once);
            prop_assert_eq!(twice.as_ref(), once.as_str());
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' '));
            prop_assert!(!once.contains("  "));
        }
    }
}
