//! Who the child is: the rules on the patient's identity (matching,
//! local ID, date of birth, names, gender, NHS number, postcode).

use super::out::Out;
use super::{too_long, Check};
use crate::columns::Cell;
use crate::reference::{ChildDetails, Reference};
use crate::report::Rule;

/// Rule 8: the child's names, date of birth and postcode do not match two
/// or more of the service's patients.
pub(super) fn one_matching_patient<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { ctx, p, out } = check;
    let c = p.cells;
    if let (Some(given), Some(family), Some(born)) = (c.forename.value(), c.surname.value(), p.dob)
    {
        let details = ChildDetails {
            given_name: given,
            family_name: family,
            date_of_birth: born,
            postcode: p.postcode.as_ref().and_then(|p| p.as_ref().ok()),
            nhs_number: p.nhs_number.as_ref().and_then(|n| n.as_ref().ok()),
        };
        if ctx
            .reference
            .patients_matching(&details)
            .is_some_and(|n| n > 1)
        {
            out.row(
                Rule::AmbiguousChild,
                "Two or more possible patients match the patient first name, last name, date of \
                 birth and postcode.",
            );
        }
    }
}

/// Rule 9: national reporting has a local patient ID and its URI.
pub(super) fn local_patient_id<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { ctx, p, out } = check;
    if ctx.national_reporting() {
        out.required(
            Rule::LocalPatientId,
            &p.cells.local_id,
            "<code>LOCAL_PATIENT_ID</code> is required",
            "Enter a local patient ID.",
        );
        out.required(
            Rule::LocalPatientIdUri,
            &p.cells.local_uri,
            "<code>LOCAL_PATIENT_ID_URI</code> is required",
            "Enter a local patient ID URI.",
        );
    }
}

/// Rule 10: the date of birth is given, is a date and is not in the
/// future.
pub(super) fn date_of_birth<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { ctx, p, out } = check;
    let absent = ctx.by_upload(
        "<code>PERSON_DOB</code> is required",
        "<code>PERSON_DOB</code> or <code>Date of birth</code> is required",
    );
    let given = out.required(
        Rule::PersonDob,
        &p.cells.dob,
        absent,
        "Enter a date of birth.",
    );
    let Some((i, _)) = given else { return };
    match p.dob {
        None => out.col(
            Rule::PersonDob,
            i,
            "Enter a date of birth in the correct format.",
        ),
        Some(d) if d > ctx.today => {
            out.col(Rule::PersonDob, i, "Enter a date of birth in the past.");
        }
        Some(_) => {}
    }
}

/// Rule 11: the first name is given and not too long.
pub(super) fn forename<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { ctx, p, out } = check;
    let absent = ctx.by_upload(
        "<code>PERSON_FORENAME</code> is required",
        "<code>PERSON_FORENAME</code> or <code>First name</code> is required",
    );
    name(
        out,
        Rule::PersonForename,
        &p.cells.forename,
        absent,
        "Enter a first name.",
    );
}

/// Rule 12: the gender is given and is a gender or gender code.
pub(super) fn gender<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { ctx, p, out } = check;
    let absent = ctx.by_upload(
        "<code>PERSON_GENDER_CODE</code> or <code>PERSON_GENDER</code> is required",
        "<code>PERSON_GENDER_CODE</code>, <code>PERSON_GENDER</code> or <code>Sex</code> is \
         required",
    );
    let given = out.required(
        Rule::PersonGender,
        &p.cells.gender,
        absent,
        "Enter a gender or gender code.",
    );
    if let (Some((i, _)), None) = (given, p.gender) {
        out.col(
            Rule::PersonGender,
            i,
            "Enter a valid gender or gender code.",
        );
    }
}

/// Rule 13: the last name is given and not too long.
pub(super) fn surname<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { ctx, p, out } = check;
    let absent = ctx.by_upload(
        "<code>PERSON_SURNAME</code> is required",
        "<code>PERSON_SURNAME</code> or <code>Surname</code> is required",
    );
    name(
        out,
        Rule::PersonSurname,
        &p.cells.surname,
        absent,
        "Enter a last name.",
    );
}

/// Rules 11 and 13: a name is given and not too long.
fn name(out: &mut Out<'_>, rule: Rule, cell: &Cell<'_>, absent: &'static str, blank: &'static str) {
    if let Some((i, v)) = out.required(rule, cell, absent, blank) {
        if too_long(v) {
            out.col(rule, i, "is greater than 300 characters long");
        }
    }
}

/// Rule 14: an NHS number is a valid one.
pub(super) fn nhs_number<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { p, out, .. } = check;
    if let (Some(i), Some(Err(_))) = (p.cells.nhs_number.index(), &p.nhs_number) {
        out.col(
            Rule::NhsNumber,
            i,
            "should be a valid NHS number with 10 characters",
        );
    }
}

/// Rule 15: a postcode is a valid one, and is given unless an NHS number
/// is (always, in national reporting).
pub(super) fn postcode<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { ctx, p, out } = check;
    const INVALID: &str = "Enter a valid postcode, such as SW1A 1AA.";
    let nr = ctx.national_reporting();
    let absent = ctx.by_upload(
        "<code>PERSON_POSTCODE</code> is required",
        "<code>PERSON_POSTCODE</code> or <code>Postcode</code> is required",
    );
    let required = nr || !p.cells.nhs_number.is_present();
    let given = out.only_when(
        Rule::PersonPostcode,
        &p.cells.postcode,
        true,
        required,
        [absent, INVALID],
    );
    if let (Some((i, _)), Some(Err(_))) = (given, &p.postcode) {
        out.col(Rule::PersonPostcode, i, INVALID);
    }
}
