//! The row's links to what Mavis already holds: the rules on `SESSION_ID`
//! and `UUID`.

use mavis_domain::RecordSource;

use super::Check;
use crate::columns::Cell;
use crate::reference::Reference;
use crate::report::Rule;

/// Rule 23: a session ID is a known session of this year, and is not given
/// for a record from the NHS Immunisations API.
pub(super) fn session_id<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { p, out, .. } = check;
    let Cell::Value(i, _) = p.cells.session else {
        return;
    };
    if p.from_api {
        out.col(
            Rule::SessionId,
            i,
            "A session ID cannot be provided for this record; this record was sourced from an \
             external source.",
        );
    } else if p.session.is_none() {
        out.col(
            Rule::SessionId,
            i,
            "The session ID is not recognised. Download the offline spreadsheet and copy the \
             session ID for this row from there, or contact our support team.",
        );
    }
}

/// Rule 25: a UUID names an existing record, from the NHS Immunisations
/// API or of a known session.
pub(super) fn uuid<R: Reference + ?Sized>(check: &mut Check<'_, '_, R>) {
    let Check { ctx, p, out } = check;
    let Cell::Value(i, _) = p.cells.uuid else {
        return;
    };
    let known = p.existing.is_some_and(|e| {
        e.source == RecordSource::NhsImmunisationsApi
            || e.session_id
                .is_some_and(|id| ctx.reference.session(id).is_some())
    });
    if !known {
        out.col(Rule::Uuid, i, "Enter an existing record.");
    }
}
