//! Where the vaccination took place: the rules on `CARE_SETTING`,
//! `CLINIC_NAME`, `SCHOOL_NAME` and `SCHOOL_URN`.

use super::{too_long, Check};
use crate::columns::Cell;
use crate::reference::Reference;
use crate::report::Rule;

/// The special `SCHOOL_URN` that needs a school name beside it (rule 20).
const NO_SCHOOL_URN: &str = "888888";

/// Rule 3: a care setting is 1 (school) or 2 (community).
pub(super) fn care_setting<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { p, out, .. } = check;
    if let (Some(i), Some(code)) = (p.cells.care_setting.index(), p.care) {
        if !matches!(code, Some(1 | 2)) {
            out.col(Rule::CareSetting, i, "Enter a valid care setting.");
        }
    }
}

/// Rule 4: a clinic name is not too long, and an offline row in the
/// community names a known clinic.
pub(super) fn clinic_name<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { ctx, p, out } = check;
    let community = p.care == Some(Some(2))
        || p.cells
            .event_location_type
            .value()
            .is_some_and(|v| !v.to_lowercase().eq("school"));
    let clinic_required = p.offline && community;
    let given = out.only_when(
        Rule::ClinicName,
        &p.cells.clinic,
        true,
        clinic_required,
        [
            "<code>CLINIC_NAME</code> or <code>Event done at</code> is required",
            "Enter a clinic name.",
        ],
    );
    if let Some((i, v)) = given {
        // One message, as Mavis's `elsif` gives (issue 17, item 5).
        if too_long(v) {
            out.col(Rule::ClinicName, i, "is greater than 300 characters long");
        } else if clinic_required && ctx.reference.clinic(v).is_none() {
            out.col(Rule::ClinicName, i, "is not recognised");
        }
    }
}

/// Rule 20: a school name is not too long, and is given beside the URN
/// 888888.
pub(super) fn school_name<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { ctx, p, out } = check;
    let school_required = p.cells.school_urn.value() == Some(NO_SCHOOL_URN);
    match &p.cells.school_name {
        Cell::Value(i, v) if too_long(v) => {
            out.col(Rule::SchoolName, *i, "is greater than 300 characters long");
        }
        Cell::Absent if school_required && !ctx.national_reporting() => out.row(
            Rule::SchoolName,
            "<code>SCHOOL_NAME</code> or <code>School</code> is required",
        ),
        Cell::Blank(i) if school_required => out.col(Rule::SchoolName, *i, "Enter a school name."),
        _ => {}
    }
}

/// Rule 21: a school URN is a known school's, or one of the two special
/// URNs 888888 and 999999 (required in national reporting).
pub(super) fn school_urn<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { ctx, p, out } = check;
    let given = out.only_when(
        Rule::SchoolUrn,
        &p.cells.school_urn,
        true,
        ctx.national_reporting(),
        ["<code>SCHOOL_URN</code> is required", "Enter a school URN."],
    );
    if let Some((i, v)) = given {
        if v != NO_SCHOOL_URN && v != "999999" && ctx.reference.school(v).is_none() {
            out.col(
                Rule::SchoolUrn,
                i,
                "The school URN is not recognised. If you\u{2019}ve checked the URN, and you \
                 believe it\u{2019}s valid, contact our support team.",
            );
        }
    }
}
