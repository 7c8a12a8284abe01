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

/// What Mavis 7.3.0 does with a row whose supplier is a user other than its
/// performing professional (or whose performer is blank or unknown): its
/// duplicate check works out the row's protocol before the child is
/// matched, looks up the child's patient-specific directions on no child,
/// and the import job fails, so the upload never completes. Not a rule of
/// Mavis's, a defect in it; the row is refused here before it gets there.
pub const SUPPLIER_IS_NOT_THE_PERFORMER: &str = "Mavis cannot import this row: when \
    SUPPLIER_EMAIL names someone other than PERFORMING_PROFESSIONAL_EMAIL, Mavis 7.3.0 fails \
    while importing the file and the upload never completes (a defect in Mavis, not in the \
    file's format). Leave SUPPLIER_EMAIL blank, or enter the performing professional's email";

/// Whether a row's `SUPPLIER_EMAIL` (`supplier`) names someone other than
/// its `PERFORMING_PROFESSIONAL_EMAIL` (`performer`, blank too): what makes
/// Mavis 7.3.0's import fail when the supplier is a known user (issue 17,
/// item 1). Emails compare without case and surrounding spaces.
///
/// # Examples
///
/// ```
/// use mavis_import::supplier_is_not_the_performer;
///
/// assert!(supplier_is_not_the_performer("amir.khan@example.nhs.uk", "jane.smith@example.nhs.uk"));
/// assert!(supplier_is_not_the_performer("amir.khan@example.nhs.uk", ""));
/// assert!(!supplier_is_not_the_performer(" Jane.Smith@example.nhs.uk", "jane.smith@example.nhs.uk"));
/// assert!(!supplier_is_not_the_performer("", "jane.smith@example.nhs.uk"));
/// ```
pub fn supplier_is_not_the_performer(supplier: &str, performer: &str) -> bool {
    let (supplier, performer) = (supplier.trim(), performer.trim());
    !supplier.is_empty() && !supplier.eq_ignore_ascii_case(performer)
}

/// Mavis 7.3.0's defect (issue 17, item 1): a known supplier who is not the
/// performer makes the import fail. (An unknown supplier is rule 22's.)
pub(super) fn supplier_is_the_performer<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { p, out, .. } = check;
    let performer = p.cells.performer_email.value().unwrap_or_default();
    if let (Cell::Value(i, supplier), Some(_)) = (&p.cells.supplier_email, p.supplier) {
        if supplier_is_not_the_performer(supplier, performer) {
            out.col(
                Rule::SupplierIsNotThePerformer,
                *i,
                SUPPLIER_IS_NOT_THE_PERFORMER,
            );
        }
    }
}
