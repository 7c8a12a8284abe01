//! UK postcodes.

use serde::{Deserialize, Serialize};

use crate::error::{ErrorKind, Result};

/// A UK postcode in its canonical form: upper case, the outward code, one
/// space, the inward code (`SW1A 1AA`).
///
/// Parsing follows Mavis (the `uk_postcode` rules): any case, surrounding and
/// inner spaces optional, a digit `0` typed in the area read as the letter O
/// and a `1` in its first place as I, letters I and O typed in the district or
/// sector read as 1 and 0. `GIR 0AA` and the NHS pseudo-postcodes `ZZ99 3VZ`,
/// `ZZ99 3WZ` and `ZZ99 3CZ` are valid. Whether the postcode exists is not
/// checked.
///
/// # Examples
///
/// ```
/// use mavis_domain::Postcode;
///
/// assert_eq!(Postcode::parse("sw1a1aa")?.as_str(), "SW1A 1AA");
/// assert_eq!(Postcode::parse("SWIA IAA")?.as_str(), "SW1A 1AA");
/// assert_eq!(Postcode::parse("0X1 1AA")?.as_str(), "OX1 1AA");
/// assert!(Postcode::parse("SW1A").is_err());
/// # Ok::<(), mavis_domain::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Postcode {
    /// The canonical text (at most eight ASCII bytes: a four-character
    /// outward code, the space, the inward code), zero-padded: held inline,
    /// so parsing a column of postcodes allocates nothing.
    text: [u8; 8],
    len: u8,
}

const UNIT_LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUVWXYZ";
const DISTRICT_LETTERS: &[u8] = b"ABCDEFGHJKMNPRSTUVWXY";
const PSEUDO: [&str; 3] = ["ZZ99 3VZ", "ZZ99 3WZ", "ZZ99 3CZ"];

impl Postcode {
    /// Parse a text as a UK postcode.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Postcode`] when the text is not a full UK postcode (an
    /// outward code alone, `SW1A`, is not one).
    pub fn parse(text: &str) -> Result<Postcode> {
        parse_canonical(text).ok_or_else(|| {
            ErrorKind::Postcode {
                value: text.to_owned(),
            }
            .into()
        })
    }

    /// The canonical text, e.g. `SW1A 1AA`.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.text[..usize::from(self.len)]).expect("the text is ASCII")
    }

    /// The outward code, before the space: `SW1A`.
    pub fn outward(&self) -> &str {
        self.as_str()
            .split(' ')
            .next()
            .expect("canonical form has a space")
    }

    /// The inward code, after the space: `1AA`.
    pub fn inward(&self) -> &str {
        self.as_str()
            .rsplit(' ')
            .next()
            .expect("canonical form has a space")
    }

    /// Whether this is one of the NHS pseudo-postcodes (no fixed abode,
    /// address not known, address not otherwise specified).
    pub fn is_pseudo(&self) -> bool {
        PSEUDO.contains(&self.as_str())
    }

    /// The postcode whose canonical text is `parts` joined.
    fn from_parts(parts: &[&[u8]]) -> Postcode {
        let mut text = [0u8; 8];
        let mut len = 0;
        for part in parts {
            text[len..len + part.len()].copy_from_slice(part);
            len += part.len();
        }
        Postcode {
            text,
            len: u8::try_from(len).expect("at most eight bytes"),
        }
    }
}

impl std::fmt::Debug for Postcode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Postcode").field(&self.as_str()).finish()
    }
}

/// Postcodes sort as their canonical texts do.
impl Ord for Postcode {
    fn cmp(&self, other: &Postcode) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Postcode {
    fn partial_cmp(&self, other: &Postcode) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

fn parse_canonical(text: &str) -> Option<Postcode> {
    let t = text.trim();
    if !t.is_ascii() {
        return None;
    }
    let b = t.as_bytes();

    // The text without its spaces, upper case, when it is short enough to
    // be GIR 0AA or a pseudo-postcode.
    let mut squeezed = [0u8; 7];
    let mut squeezed_len = 0;
    for &c in b.iter().filter(|c| !c.is_ascii_whitespace()) {
        if squeezed_len < squeezed.len() {
            squeezed[squeezed_len] = c.to_ascii_uppercase();
        }
        squeezed_len += 1;
    }
    let squeezed = squeezed.get(..squeezed_len);

    // GIR 0AA, with 1 for I and O for 0 allowed.
    if let Some(&[g, i, r, zero, a1, a2]) = squeezed {
        if [g, one_to_i(i), r, o_to_zero(zero), a1, a2] == *b"GIR0AA" {
            return Some(Postcode::from_parts(&[b"GIR 0AA"]));
        }
    }

    // Inward code: the last three characters (sector digit, two unit letters).
    let inward_start = b.len().checked_sub(3)?;
    let sector = o_to_zero(i_to_one(b[inward_start].to_ascii_uppercase()));
    let unit = [
        b[inward_start + 1].to_ascii_uppercase(),
        b[inward_start + 2].to_ascii_uppercase(),
    ];
    if !sector.is_ascii_digit() || !unit.iter().all(|c| UNIT_LETTERS.contains(c)) {
        // The pseudo-postcodes use C, outside the unit letters.
        return pseudo(squeezed?);
    }
    let outward_raw = t[..inward_start].trim_end().as_bytes();
    let (outward, outward_len) = parse_outward(outward_raw)?;
    Some(Postcode::from_parts(&[
        &outward[..outward_len],
        b" ",
        &[sector],
        &unit,
    ]))
}

fn pseudo(squeezed: &[u8]) -> Option<Postcode> {
    PSEUDO
        .iter()
        .find(|p| {
            p.bytes()
                .filter(|c| *c != b' ')
                .eq(squeezed.iter().copied())
        })
        .map(|p| Postcode::from_parts(&[p.as_bytes()]))
}

/// Area (one or two letters) then district (a digit, then optionally a digit
/// or a district letter). Returns the canonical outward code and its length.
fn parse_outward(raw: &[u8]) -> Option<([u8; 4], usize)> {
    if raw.is_empty() || raw.len() > 4 || raw.iter().any(u8::is_ascii_whitespace) {
        return None;
    }
    let mut upper = [0u8; 4];
    for (u, c) in upper.iter_mut().zip(raw) {
        *u = c.to_ascii_uppercase();
    }
    let raw = &upper[..raw.len()];
    // The area is everything before the district's first digit; a typed 0 or
    // 1 in the area is a letter, so try the longest letter-like area that
    // leaves a valid district.
    for area_len in (1..=2usize).rev() {
        if raw.len() <= area_len {
            continue;
        }
        let mut out = [0u8; 4];
        for (i, &c) in raw[..area_len].iter().enumerate() {
            out[i] = match (i, c) {
                (_, b'0') => b'O',
                (0, b'1') => b'I',
                _ => c,
            };
        }
        if !valid_area(&out[..area_len]) {
            continue;
        }
        if let Some((district, len)) = parse_district(&raw[area_len..]) {
            out[area_len..area_len + len].copy_from_slice(&district[..len]);
            return Some((out, area_len + len));
        }
    }
    None
}

fn valid_area(area: &[u8]) -> bool {
    match area {
        [a] => a.is_ascii_uppercase() && !b"QVX".contains(a),
        [a, b] => {
            a.is_ascii_uppercase() && !b"QVX".contains(a) && b.is_ascii_uppercase() && *b != b'I'
        }
        _ => false,
    }
}

/// The canonical district (one or two characters) and its length.
fn parse_district(raw: &[u8]) -> Option<([u8; 2], usize)> {
    let first = o_to_zero(i_to_one(*raw.first()?));
    if !first.is_ascii_digit() {
        return None;
    }
    match raw.len() {
        1 => Some(([first, 0], 1)),
        2 => {
            let second = raw[1];
            let as_digit = o_to_zero(i_to_one(second));
            if as_digit.is_ascii_digit() {
                Some(([first, as_digit], 2))
            } else if DISTRICT_LETTERS.contains(&second) {
                Some(([first, second], 2))
            } else {
                None
            }
        }
        _ => None,
    }
}

fn i_to_one(c: u8) -> u8 {
    if c == b'I' {
        b'1'
    } else {
        c
    }
}

fn o_to_zero(c: u8) -> u8 {
    if c == b'O' {
        b'0'
    } else {
        c
    }
}

fn one_to_i(c: u8) -> u8 {
    if c == b'1' {
        b'I'
    } else {
        c
    }
}

crate::newtype::text_newtype!(Postcode);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn canonical_forms() {
        for (input, canonical) in [
            ("SW1A 1AA", "SW1A 1AA"),
            ("sw1a1aa", "SW1A 1AA"),
            ("  sw1a   1aa ", "SW1A 1AA"),
            ("SWIA IAA", "SW1A 1AA"),
            ("0X1 1AA", "OX1 1AA"),
            ("LE1 2DA", "LE1 2DA"),
            ("B1 1AA", "B1 1AA"),
            ("M601AA", "M60 1AA"),
            ("EC1A 1BB", "EC1A 1BB"),
            ("W1A 0AX", "W1A 0AX"),
            ("CR2 6XH", "CR2 6XH"),
            ("DN55 1PT", "DN55 1PT"),
            ("GIR 0AA", "GIR 0AA"),
            ("gir0aa", "GIR 0AA"),
            ("G1R 0AA", "GIR 0AA"),
            ("GIR OAA", "GIR 0AA"),
            ("ZZ99 3VZ", "ZZ99 3VZ"),
            ("zz993wz", "ZZ99 3WZ"),
            ("ZZ99 3CZ", "ZZ99 3CZ"),
            ("1G1 1AA", "IG1 1AA"),
            ("B0 1AA", "B0 1AA"),   // area B, district 0
            ("S01 1AA", "SO1 1AA"), // a 0 after the first letter reads as O, as uk_postcode does
            ("AI1 1AA", "A11 1AA"), // I in the district reads as 1
            ("A1I 1AA", "A11 1AA"),
            ("SW1A OAA", "SW1A 0AA"), // O in the sector reads as 0
        ] {
            let p = Postcode::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(p.as_str(), canonical, "{input}");
        }
    }

    #[test]
    fn invalid() {
        for input in [
            "ABC DEF",
            "QA1 1AA",
            "W1 1CA",
            "SW1A-1AA",
            "SW1A",
            "",
            "   ",
            "VA1 1AA",
            "XA1 1AA",
            "SW1A 1AAA",
            "SW1A 1A",
            "ŚW1A 1AA",
            "A1 1CA",
            "A1 1AK",
            "ABCD1 1AA",
            "A1AA 1AA",
        ] {
            assert!(Postcode::parse(input).is_err(), "{input:?} accepted");
        }
    }

    #[test]
    fn error_message() {
        assert_eq!(
            Postcode::parse("SW1A").unwrap_err().to_string(),
            "\"SW1A\" is not a valid UK postcode; write it like \"SW1A 1AA\""
        );
    }

    #[test]
    fn parts() {
        let p = Postcode::parse("sw1a1aa").unwrap();
        assert_eq!((p.outward(), p.inward()), ("SW1A", "1AA"));
        assert!(Postcode::parse("ZZ99 3VZ").unwrap().is_pseudo());
        assert!(!p.is_pseudo());
    }

    /// Valid postcodes in canonical form, built from the grammar.
    pub(crate) fn canonical_postcode() -> impl Strategy<Value = String> {
        let area_first = proptest::sample::select(
            b"ABCDEFGHIJKLMNOPRSTUWYZ"
                .iter()
                .map(|c| char::from(*c))
                .collect::<Vec<_>>(),
        );
        let area_second = proptest::option::of(proptest::sample::select(
            b"ABCDEFGHJKLMNOPQRSTUVWXYZ"
                .iter()
                .map(|c| char::from(*c))
                .collect::<Vec<_>>(),
        ));
        let district_second = proptest::option::of(prop_oneof![
            (0u8..10).prop_map(|d| char::from(b'0' + d)),
            proptest::sample::select(
                DISTRICT_LETTERS
                    .iter()
                    .map(|c| char::from(*c))
                    .collect::<Vec<_>>()
            ),
        ]);
        let unit = proptest::sample::select(
            UNIT_LETTERS
                .iter()
                .map(|c| char::from(*c))
                .collect::<Vec<_>>(),
        );
        (
            area_first,
            area_second,
            0u8..10,
            district_second,
            0u8..10,
            unit.clone(),
            unit,
        )
            // "B01" is ambiguous on input: like uk_postcode, a 0 after a
            // one-letter area reads as the letter O ("BO1").
            .prop_filter("ambiguous outward code", |(_, a2, d1, d2, ..)| {
                !(a2.is_none() && *d1 == 0 && d2.is_some())
            })
            .prop_map(|(a1, a2, d1, d2, s, u1, u2)| {
                let mut out = String::new();
                out.push(a1);
                out.extend(a2);
                out.push(char::from(b'0' + d1));
                out.extend(d2);
                out.push(' ');
                out.push(char::from(b'0' + s));
                out.push(u1);
                out.push(u2);
                out
            })
    }

    proptest! {
        #[test]
        fn every_generated_postcode_parses_to_itself(
            p in canonical_postcode(),
            lower in any::<bool>(),
            squeeze in any::<bool>(),
        ) {
            let mut input = if lower { p.to_lowercase() } else { p.clone() };
            if squeeze {
                input.retain(|c| c != ' ');
            }
            let parsed = Postcode::parse(&input).unwrap();
            prop_assert_eq!(parsed.as_str(), p.as_str());
        }

        /// The parser reads every text as the earlier parser over owned
        /// strings did (kept below as the oracle).
        #[test]
        fn parses_as_the_string_parser_did(
            s in "[SWswAaIiOo01239GgRrZzCcVvXxQqEe \t\u{b}\u{e9}-]{0,12}"
        ) {
            prop_assert_eq!(
                parse_canonical(&s).map(|p| p.as_str().to_owned()),
                string_parser::parse_canonical(&s)
            );
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,12}") {
            let _ = Postcode::parse(&s);
        }
    }

    /// The parser as it was before postcodes were held inline: one owned
    /// string per step.
    mod string_parser {
        use super::super::{
            i_to_one, o_to_zero, one_to_i, valid_area, DISTRICT_LETTERS, PSEUDO, UNIT_LETTERS,
        };

        pub(super) fn parse_canonical(text: &str) -> Option<String> {
            let upper = text.trim().to_ascii_uppercase();
            if !upper.is_ascii() {
                return None;
            }
            let b = upper.as_bytes();

            // GIR 0AA, with 1 for I and O for 0 allowed.
            let squeezed: Vec<u8> = b
                .iter()
                .copied()
                .filter(|c| !c.is_ascii_whitespace())
                .collect();
            if squeezed.len() == 6 {
                let gir = [b'G', one_to_i(squeezed[1]), b'R', o_to_zero(squeezed[3])];
                if gir == *b"GIR0" && &squeezed[4..] == b"AA" {
                    return Some("GIR 0AA".to_owned());
                }
            }

            // Inward code: the last three characters (sector digit, two unit letters).
            let inward_start = b.len().checked_sub(3)?;
            let sector = o_to_zero(i_to_one(b[inward_start]));
            let unit = &b[inward_start + 1..];
            if !sector.is_ascii_digit() || !unit.iter().all(|c| UNIT_LETTERS.contains(c)) {
                // The pseudo-postcodes use C, outside the unit letters.
                return pseudo(&squeezed);
            }
            let outward_raw = upper[..inward_start].trim_end().as_bytes();
            let outward = parse_outward(outward_raw)?;
            let canonical = format!(
                "{} {}{}",
                outward,
                char::from(sector),
                std::str::from_utf8(unit).ok()?
            );
            Some(canonical)
        }

        fn pseudo(squeezed: &[u8]) -> Option<String> {
            PSEUDO
                .iter()
                .find(|p| {
                    p.bytes()
                        .filter(|c| *c != b' ')
                        .eq(squeezed.iter().copied())
                })
                .map(|p| (*p).to_owned())
        }

        /// Area (one or two letters) then district (a digit, then optionally a digit
        /// or a district letter). Returns the canonical outward code.
        fn parse_outward(raw: &[u8]) -> Option<String> {
            if raw.is_empty() || raw.len() > 4 || raw.iter().any(u8::is_ascii_whitespace) {
                return None;
            }
            // The area is everything before the district's first digit; a typed 0 or
            // 1 in the area is a letter, so try the longest letter-like area that
            // leaves a valid district.
            for area_len in (1..=2usize).rev() {
                if raw.len() <= area_len {
                    continue;
                }
                let mut area = Vec::with_capacity(2);
                for (i, &c) in raw[..area_len].iter().enumerate() {
                    let c = match (i, c) {
                        (_, b'0') => b'O',
                        (0, b'1') => b'I',
                        _ => c,
                    };
                    area.push(c);
                }
                if !valid_area(&area) {
                    continue;
                }
                if let Some(district) = parse_district(&raw[area_len..]) {
                    let mut out = String::from_utf8(area).ok()?;
                    out.push_str(&district);
                    return Some(out);
                }
            }
            None
        }

        fn parse_district(raw: &[u8]) -> Option<String> {
            let first = o_to_zero(i_to_one(*raw.first()?));
            if !first.is_ascii_digit() {
                return None;
            }
            let mut out = String::from(char::from(first));
            match raw.len() {
                1 => {}
                2 => {
                    let second = raw[1];
                    let as_digit = o_to_zero(i_to_one(second));
                    if as_digit.is_ascii_digit() {
                        out.push(char::from(as_digit));
                    } else if DISTRICT_LETTERS.contains(&second) {
                        out.push(char::from(second));
                    } else {
                        return None;
                    }
                }
                _ => return None,
            }
            Some(out)
        }
    }
}
