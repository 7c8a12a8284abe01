//! NHS numbers.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, NhsNumberProblem, Result};

/// A valid NHS number: ten digits whose last is the modulus 11 check digit of
/// the first nine.
///
/// Spaces (any whitespace) are allowed on input, as people write
/// `943 476 5919`; the number is kept and shown as the ten digits Mavis writes
/// (`9434765919`). [`NhsNumber::spaced`] gives the 3-3-4 form people read.
///
/// # Examples
///
/// ```
/// use mavis_domain::NhsNumber;
///
/// let n = NhsNumber::parse("943 476 5919")?;
/// assert_eq!(n.as_str(), "9434765919");
/// assert_eq!(n.spaced(), "943 476 5919");
/// assert!(NhsNumber::parse("9434765918").is_err()); // wrong check digit
/// # Ok::<(), mavis_domain::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NhsNumber([u8; 10]);

impl NhsNumber {
    /// Parse a text as an NHS number, ignoring whitespace anywhere in it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NhsNumber`] when the text is not ten digits once
    /// whitespace is removed, or the check digit is wrong.
    pub fn parse(text: &str) -> Result<NhsNumber> {
        let fail = |problem| {
            Error::from(ErrorKind::NhsNumber {
                value: text.to_owned(),
                problem,
            })
        };
        let mut digits = [0u8; 10];
        let mut len = 0usize;
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            if !c.is_ascii_digit() {
                return Err(fail(NhsNumberProblem::NotDigits));
            }
            if len < 10 {
                digits[len] = c as u8;
            }
            len += 1;
        }
        if len != 10 {
            return Err(fail(NhsNumberProblem::Length(len)));
        }
        let nine: [u8; 9] = digits[..9].try_into().expect("nine digits");
        match check_digit(&nine) {
            Some(d) if d == digits[9] => Ok(NhsNumber(digits)),
            _ => Err(fail(NhsNumberProblem::CheckDigit)),
        }
    }

    /// Build the NHS number whose first nine digits are `nine`, adding its
    /// check digit; `None` when those nine digits have no valid check digit
    /// (one in eleven prefixes has none) or are not ASCII digits.
    ///
    /// # Examples
    ///
    /// ```
    /// use mavis_domain::NhsNumber;
    ///
    /// let n = NhsNumber::from_first_nine(*b"943476591").unwrap();
    /// assert_eq!(n.as_str(), "9434765919");
    /// ```
    pub fn from_first_nine(nine: [u8; 9]) -> Option<NhsNumber> {
        if !nine.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let check = check_digit(&nine)?;
        let mut digits = [0u8; 10];
        digits[..9].copy_from_slice(&nine);
        digits[9] = check;
        Some(NhsNumber(digits))
    }

    /// The ten digits, as Mavis writes them in the spreadsheet.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("ASCII digits")
    }

    /// The number in the 3-3-4 groups people read: `943 476 5919`.
    pub fn spaced(&self) -> String {
        let s = self.as_str();
        format!("{} {} {}", &s[..3], &s[3..6], &s[6..])
    }

    /// Whether the number is in the `999` range the NHS keeps for testing;
    /// demo data uses only that range.
    pub fn is_test_number(&self) -> bool {
        self.0.starts_with(b"999")
    }
}

/// The modulus 11 check digit (as an ASCII digit) of nine ASCII digits, or
/// `None` when the computation gives 10, which no valid number has.
fn check_digit(nine: &[u8; 9]) -> Option<u8> {
    let sum: u32 = nine
        .iter()
        .zip((2..=10).rev())
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    match 11 - sum % 11 {
        11 => Some(b'0'),
        10 => None,
        d => Some(b'0' + u8::try_from(d).expect("below 10")),
    }
}

crate::newtype::text_newtype!(NhsNumber);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spec_examples() {
        for valid in [
            "9449306168",
            "9449308357",
            "9434765919",
            "4146825652",
            "0000000000",
        ] {
            assert_eq!(NhsNumber::parse(valid).unwrap().as_str(), valid);
        }
        for invalid in ["9434765918", "1234567890"] {
            let err = NhsNumber::parse(invalid).unwrap_err();
            assert_eq!(
                err.kind(),
                &ErrorKind::NhsNumber {
                    value: invalid.into(),
                    problem: NhsNumberProblem::CheckDigit
                }
            );
        }
    }

    #[test]
    fn whitespace_is_ignored_and_dropped() {
        let n = NhsNumber::parse(" 944 930\t6168 ").unwrap();
        assert_eq!(n.to_string(), "9449306168");
        assert_eq!(n.spaced(), "944 930 6168");
    }

    #[test]
    fn wrong_length_and_non_digits() {
        let err = NhsNumber::parse("94493061").unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"94493061\" is not a valid NHS number: it has 8 characters without spaces; \
             an NHS number has exactly 10 digits"
        );
        assert!(matches!(
            NhsNumber::parse("944-930-6168").unwrap_err().kind(),
            ErrorKind::NhsNumber {
                problem: NhsNumberProblem::NotDigits,
                ..
            }
        ));
        assert!(NhsNumber::parse("９４４９３０６１６８").is_err()); // full-width digits
        assert!(NhsNumber::parse("").is_err());
        assert!(NhsNumber::parse("94493061680").is_err());
    }

    #[test]
    fn a_prefix_whose_check_would_be_ten_has_no_number() {
        // 1+... chosen so that 11 - sum % 11 == 10: sum % 11 == 1.
        // 100000000 -> 1*10 = 10, 10 % 11 = 10 -> check 1; search for one.
        let prefix = (0..1000u32)
            .map(|i| {
                let s = format!("{i:09}");
                <[u8; 9]>::try_from(s.as_bytes()).unwrap()
            })
            .find(|p| check_digit(p).is_none())
            .unwrap();
        assert!(NhsNumber::from_first_nine(prefix).is_none());
        for last in b'0'..=b'9' {
            let mut ten = prefix.to_vec();
            ten.push(last);
            assert!(NhsNumber::parse(std::str::from_utf8(&ten).unwrap()).is_err());
        }
    }

    #[test]
    fn serde_is_the_ten_digits() {
        let n = NhsNumber::parse("943 476 5919").unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"9434765919\"");
        let back: NhsNumber = serde_json::from_str("\"943 476 5919\"").unwrap();
        assert_eq!(back, n);
        assert!(serde_json::from_str::<NhsNumber>("\"9434765918\"").is_err());
    }

    fn valid_number() -> impl Strategy<Value = NhsNumber> {
        proptest::array::uniform9(0u8..10).prop_filter_map("prefix without check digit", |d| {
            NhsNumber::from_first_nine(d.map(|x| b'0' + x))
        })
    }

    proptest! {
        #[test]
        fn every_valid_number_parses(n in valid_number(), spaced in any::<bool>()) {
            let text = if spaced { n.spaced() } else { n.to_string() };
            prop_assert_eq!(NhsNumber::parse(&text).unwrap(), n);
        }

        #[test]
        fn a_single_changed_digit_is_rejected(
            n in valid_number(),
            pos in 0usize..10,
            delta in 1u8..10,
        ) {
            let mut digits = n.as_str().as_bytes().to_vec();
            digits[pos] = b'0' + (digits[pos] - b'0' + delta) % 10;
            let text = String::from_utf8(digits).unwrap();
            prop_assert!(NhsNumber::parse(&text).is_err(), "{} accepted", text);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,20}") {
            let _ = NhsNumber::parse(&s);
        }
    }
}
