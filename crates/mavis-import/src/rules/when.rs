//! When the vaccination was given: the rules on `DATE_OF_VACCINATION` and
//! `TIME_OF_VACCINATION`.

use mavis_domain::Programme;

use super::Check;
use crate::columns::Cell;
use crate::reference::Reference;
use crate::report::Rule;

/// Rule 5: the date of vaccination is given, is a date, is not in the
/// future or before the child's birth, is in this academic year (flu and
/// national reporting), is a day of the row's session (offline) and is not
/// before the team's national reporting start date.
pub(super) fn date_of_vaccination<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { ctx, p, out } = check;
    let nr = ctx.national_reporting();
    let rule = Rule::DateOfVaccination;
    let absent = if nr {
        "<code>DATE_OF_VACCINATION</code> is required"
    } else {
        "<code>DATE_OF_VACCINATION</code> or <code>Event date</code> is required"
    };
    let Some((i, _)) = out.required(rule, &p.cells.date, absent, "Enter a date.") else {
        return;
    };
    let Some(d) = p.date else {
        out.col(rule, i, "Enter a date in the correct format.");
        return;
    };
    if let Some(born) = p.dob {
        if d > ctx.today {
            out.col(rule, i, "The vaccination date is in the future.");
        } else if d < born {
            out.col(rule, i, "The vaccination date is before the date of birth.");
        }
    }
    if (p.programme == Some(Programme::Flu) || nr) && !ctx.year.contains(d) {
        out.col(rule, i, "must be in the current academic year");
    }
    if let Some(s) = p.offline_session() {
        if !s.is_on(d) {
            out.col(
                rule,
                i,
                "Enter a date that matches when the vaccination session took place.",
            );
        }
    }
    if let Some(cut) = ctx.reference.national_reporting_cut_off().filter(|_| nr) {
        if d < cut {
            out.col(
                rule,
                i,
                format!(
                    "must be on or after your team's start date with Mavis national reporting: {}",
                    cut.format("%-d %B %Y")
                ),
            );
        }
    }
}

/// Rule 24: a time of vaccination is a time, and not later today.
pub(super) fn time_of_vaccination<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { ctx, p, out } = check;
    let Cell::Value(i, _) = p.cells.time else {
        return;
    };
    match p.time {
        None => out.col(
            Rule::TimeOfVaccination,
            i,
            "Enter a time in the correct format.",
        ),
        Some(t) if p.date == Some(ctx.today) && t > ctx.now => {
            out.col(Rule::TimeOfVaccination, i, "Enter a time in the past.");
        }
        Some(_) => {}
    }
}
