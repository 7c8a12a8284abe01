//! Who gave and supplied the vaccine, and for which organisation: the
//! rules on the performing professional, `ORGANISATION_CODE` and
//! `SUPPLIER_EMAIL`.

use mavis_domain::Programme;

use super::Check;
use crate::columns::Cell;
use crate::reference::Reference;
use crate::report::Rule;

/// The message for an email address that is not a known user's.
const NOT_A_USER: &str = "Enter a valid email address.";

/// Rule 16: the performing professional is a known user (required
/// offline); in national reporting, a vaccinated flu row names them.
pub(super) fn performing_professional<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { ctx, p, out } = check;
    let nr = ctx.national_reporting();
    let rule = Rule::PerformingProfessional;
    let email = &p.cells.performer_email;
    if p.performer.is_none() && (p.offline || (!nr && email.is_present())) {
        match email.index() {
            None => out.row(
                rule,
                "<code>PERFORMING_PROFESSIONAL_EMAIL</code> is required",
            ),
            Some(i) => out.col(rule, i, NOT_A_USER),
        }
    }
    if nr && p.yes && p.programme == Some(Programme::Flu) {
        out.required(
            rule,
            &p.cells.performer_forename,
            "<code>PERFORMING_PROFESSIONAL_FORENAME</code> is required",
            "Enter a forename.",
        );
        out.required(
            rule,
            &p.cells.performer_surname,
            "<code>PERFORMING_PROFESSIONAL_SURNAME</code> is required",
            "Enter a surname.",
        );
    }
}

/// Rule 17: an offline or national-reporting row gives an organisation
/// code (an offline row, the team's own).
pub(super) fn organisation_code<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { ctx, p, out } = check;
    if !p.strict {
        return;
    }
    let given = out.required(
        Rule::OrganisationCode,
        &p.cells.organisation,
        "<code>ORGANISATION_CODE</code> is required",
        "Enter an organisation code.",
    );
    if let Some((i, v)) = given {
        if !ctx.national_reporting() && v != ctx.reference.ods_code() {
            out.col(
                Rule::OrganisationCode,
                i,
                "Enter an organisation code that matches the current team.",
            );
        }
    }
}

/// Rule 22: a supplier's email address is a known user's.
pub(super) fn supplier_email<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { p, out, .. } = check;
    if let (Cell::Value(i, _), None) = (&p.cells.supplier_email, p.supplier) {
        out.col(Rule::SupplierEmail, *i, NOT_A_USER);
    }
}
