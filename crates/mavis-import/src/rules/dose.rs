//! The dose sequence (rule 7): how a row's `DOSE_SEQUENCE`, or the dose
//! part of SystmOne's `Vaccination type`, is read, and the rule on it.

use std::borrow::Cow;

use mavis_domain::{DoseSequence, Programme};

use super::Check;
use crate::columns::Cell;
use crate::numbers::parse_integer;
use crate::reference::Reference;
use crate::report::Rule;

/// What a row with a programme says of its dose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DoseReading {
    /// Text that names no dose.
    Unreadable,
    /// A dose number, in range or not.
    Number(i64),
    /// No dose given.
    Missing,
}

impl DoseReading {
    /// Read the dose of a row of `programme` (none without one): the
    /// `Vaccination type`'s dose part when there is one, else the
    /// `DOSE_SEQUENCE` cell.
    pub(super) fn read(
        programme: Option<Programme>,
        type_part: Option<&str>,
        cell: &Cell<'_>,
    ) -> Option<DoseReading> {
        let p = programme?;
        let table = |code: &str| {
            p.dose_codes()
                .iter()
                .chain(p.booster_phrases())
                .find(|(c, _)| *c == code)
                .map(|(_, n)| i64::from(*n))
        };
        let number = if let Some(part) = type_part {
            parse_integer(part)
                .or_else(|| table(part))
                .or_else(|| cell.value().and_then(parse_integer))
        } else if let Some(v) = cell.value() {
            // Usually a number or a code already in upper case.
            let squeezed: Cow<'_, str> = if v
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
            {
                Cow::Borrowed(v)
            } else {
                v.chars()
                    .filter(|c| !c.is_whitespace())
                    .flat_map(char::to_uppercase)
                    .collect()
            };
            // A code is looked up squeezed and in upper case; a number is
            // read from the text as it is, so `+ 1` and `0 1` are not
            // numbers, as to Mavis (issue 17, item 3).
            p.dose_codes()
                .iter()
                .find(|(c, _)| *c == squeezed)
                .map(|(_, n)| i64::from(*n))
                .or_else(|| parse_integer(v))
        } else {
            return Some(DoseReading::Missing);
        };
        Some(number.map_or(DoseReading::Unreadable, DoseReading::Number))
    }
}

/// A row's dose: what it says, whether one is required, and the dose it
/// comes to.
pub(super) struct Dose {
    /// What the row says, when it has a programme.
    pub reading: Option<DoseReading>,
    /// A missing dose is an error: the child was vaccinated, offline or in
    /// a national-reporting HPV row.
    pub required: bool,
    /// The dose, when the programme has it.
    pub sequence: Option<DoseSequence>,
}

impl Dose {
    /// The dose `reading` comes to: a number in range, or the programme's
    /// default when none is given and none is required. Mavis applies the
    /// default (1, for flu and HPV) on every row, offline rows too (issue
    /// 17, item 2; the spec kept it to historical rows).
    pub(super) fn read(
        programme: Option<Programme>,
        reading: Option<DoseReading>,
        required: bool,
    ) -> Dose {
        let sequence = match (programme, reading) {
            (Some(p), Some(DoseReading::Number(n)))
                if (1..=i64::from(p.max_dose())).contains(&n) =>
            {
                u8::try_from(n)
                    .ok()
                    .and_then(|n| DoseSequence::new(p, n).ok())
            }
            (Some(p), Some(DoseReading::Missing)) if !required => p.default_dose(),
            _ => None,
        };
        Dose {
            reading,
            required,
            sequence,
        }
    }
}

/// Rule 7: the dose sequence is a dose of the programme, and is given
/// where it is required.
pub(super) fn dose_sequence<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { ctx, p, out } = check;
    let (Some(programme), Some(reading)) = (p.programme, p.dose.reading) else {
        return;
    };
    let c = p.cells;
    let target = c.dose.index().or(c.vaccination_type.index());
    let max = programme.max_dose();
    match reading {
        DoseReading::Unreadable => out.at(
            Rule::DoseSequence,
            target,
            "Enter a dose sequence number, for example, 1, 2 or 3.",
        ),
        DoseReading::Number(n) if n < 1 => {
            out.at(Rule::DoseSequence, target, "must be greater than 0");
        }
        DoseReading::Number(n) if n > i64::from(max) => out.at(
            Rule::DoseSequence,
            target,
            format!("must be less than or equal to {max}"),
        ),
        DoseReading::Number(_) => {}
        DoseReading::Missing if !p.dose.required => {}
        DoseReading::Missing if c.dose.is_absent() && c.vaccination_type.is_absent() => out.row(
            Rule::DoseSequence,
            if ctx.national_reporting() {
                "<code>DOSE_SEQUENCE</code> is required"
            } else {
                "<code>DOSE_SEQUENCE</code> or <code>Vaccination type</code> is required"
            },
        ),
        DoseReading::Missing => out.at(
            Rule::DoseSequence,
            target,
            "Enter a dose sequence number, for example, 1, 2 or 3. The dose sequence number \
             cannot be greater than 6.",
        ),
    }
}
