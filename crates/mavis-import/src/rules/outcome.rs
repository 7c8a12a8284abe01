//! Whether the child was vaccinated (`import-csv.md` §5.1): the outcome
//! flag, and the rules on `VACCINATED` and `REASON_NOT_VACCINATED`.

use mavis_domain::{parse_vaccinated, ReasonNotVaccinated};

use super::out::Out;
use super::{Check, Context};
use crate::columns::{Cell, Column as C, Header};
use crate::reference::Reference;
use crate::report::Rule;
use crate::row::RowText;

/// The outcome flag of a row (§5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Administered {
    Yes,
    No,
    Undetermined,
}

/// The cells the outcome flag reads, and the flag: all that is read of a
/// row before a national-reporting row that is not vaccinated is skipped.
pub(super) struct Flag<'t> {
    pub vaccinated: Cell<'t>,
    pub vaccine_given: Cell<'t>,
    pub vaccination_type: Cell<'t>,
    pub administered: Administered,
}

impl<'t> Flag<'t> {
    /// Read the flag: `VACCINATED` when given, otherwise yes when a vaccine
    /// is named or the upload is national reporting.
    pub(super) fn read<R: Reference + ?Sized>(
        ctx: &Context<'_, R>,
        header: &Header,
        row: &'t RowText,
    ) -> Self {
        let vaccinated = header.cell(row, C::Vaccinated);
        let vaccine_given = header.cell(row, C::VaccineGiven);
        let vaccination_type = header.cell(row, C::VaccinationType);
        let administered = match vaccinated.value() {
            Some(v) => match parse_vaccinated(v) {
                Some(true) => Administered::Yes,
                Some(false) => Administered::No,
                None => Administered::Undetermined,
            },
            None if vaccine_given.is_present()
                || vaccination_type.is_present()
                || ctx.national_reporting() =>
            {
                Administered::Yes
            }
            None => Administered::Undetermined,
        };
        Flag {
            vaccinated,
            vaccine_given,
            vaccination_type,
            administered,
        }
    }

    /// Whether the row is a national-reporting row that is not vaccinated:
    /// never imported, and no rule after rule 0 reads it.
    pub(super) fn skips<R: Reference + ?Sized>(&self, ctx: &Context<'_, R>) -> bool {
        ctx.national_reporting() && self.administered != Administered::Yes
    }
}

/// Rule 0: whether the child was vaccinated is known.
pub(super) fn vaccinated(flag: &Flag<'_>, out: &mut Out<'_>) {
    if flag.administered == Administered::Undetermined {
        match flag.vaccinated.index() {
            None => out.row(Rule::Vaccinated, "<code>VACCINATED</code> is required"),
            Some(i) => out.col(
                Rule::Vaccinated,
                i,
                "You need to record whether the child was vaccinated or not. Enter \u{2018}Y\u{2019} \
                 or \u{2018}N\u{2019} in the \u{2018}VACCINATED\u{2019} column.",
            ),
        }
    }
}

/// Rule 19: a reason is given when, and only when, the child was not
/// vaccinated (not read in national reporting), and it is one of Mavis's
/// four. The user guide's `did not attend` and `absent from school` are
/// Mavis's error, with the hint of [`absence_hint`] (issue 15 revises
/// `import-csv.md` §9.2, which only warned).
pub(super) fn reason_not_vaccinated<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { ctx, p, out } = check;
    if ctx.national_reporting() {
        return;
    }
    let given = out.only_when(
        Rule::ReasonNotVaccinated,
        &p.cells.reason,
        !p.yes,
        true,
        [
            "<code>REASON_NOT_VACCINATED</code> is required",
            "Enter a valid reason.",
        ],
    );
    if let Some((i, _)) = given {
        match p.reason {
            None => out.col(Rule::ReasonNotVaccinated, i, "Enter a valid reason."),
            Some(reason) if reason.is_absence() => out.col_with_hint(
                Rule::ReasonNotVaccinated,
                i,
                "Enter a valid reason.",
                Some(absence_hint(reason)),
            ),
            Some(_) => {}
        }
    }
}

/// What to do with a row whose reason is one of the user guide's two that
/// Mavis dropped: Mavis records attendance instead of an outcome.
fn absence_hint(reason: ReasonNotVaccinated) -> String {
    format!(
        "\"{}\" is in the user guide, but Mavis no longer takes it: it records attendance \
         instead. Leave this row out of the upload and record the absence in Mavis; the \
         reasons Mavis takes are {}",
        reason.text(),
        ReasonNotVaccinated::MAVIS
            .map(ReasonNotVaccinated::text)
            .join(", ")
    )
}
