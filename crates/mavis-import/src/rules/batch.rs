//! The batch a vaccinated child's dose came from: the rules on
//! `BATCH_EXPIRY_DATE` and `BATCH_NUMBER`.

use mavis_domain::BatchNumber;

use super::Check;
use crate::reference::Reference;
use crate::report::Rule;

/// Rule 1: a vaccinated child's batch expiry date is a date within 15
/// years of today (required offline and in national reporting); blank
/// when not vaccinated.
pub(super) fn batch_expiry_date<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { ctx, p, out } = check;
    let given = out.only_when(
        Rule::BatchExpiryDate,
        &p.cells.expiry,
        p.yes,
        p.strict,
        [
            "<code>BATCH_EXPIRY_DATE</code> is required",
            "Enter a batch expiry date.",
        ],
    );
    let Some((i, _)) = given else { return };
    match p.expiry {
        None => out.col(
            Rule::BatchExpiryDate,
            i,
            "Enter a date in the correct format.",
        ),
        Some(d) if d > ctx.expiry_to => out.col(
            Rule::BatchExpiryDate,
            i,
            "must be less than 15 years in the future",
        ),
        Some(d) if d < ctx.expiry_from => {
            out.col(Rule::BatchExpiryDate, i, "must be more than 15 years old");
        }
        Some(_) => {}
    }
}

/// Rule 2: a vaccinated child's batch number is one Mavis takes (required
/// offline and in national reporting); blank when not vaccinated.
pub(super) fn batch_number<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { p, out, .. } = check;
    let absent = if p.offline {
        "<code>BATCH_NUMBER</code> or <code>Vaccination batch number</code> is required"
    } else {
        "<code>BATCH_NUMBER</code> is required"
    };
    let given = out.only_when(
        Rule::BatchNumber,
        &p.cells.batch,
        p.yes,
        p.strict,
        [absent, "Enter a batch number."],
    );
    if let Some((i, v)) = given {
        if let Some(problem) = BatchNumber::problem(v) {
            out.col(Rule::BatchNumber, i, problem.mavis_text());
        }
    }
}
