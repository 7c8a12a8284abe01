//! The record a row without errors would import.

use chrono::NaiveTime;
use mavis_domain::{london, AnatomicalSite, BatchNumber, Outcome, Performer, RecordSource};

use super::duplicate_key::KeyLocation;
use super::parsed::Parsed;
use super::Context;
use crate::columns::{Column as C, Header};
use crate::record::{ChildIdentity, ImportedRecord, Protocol};
use crate::reference::Reference;
use crate::row::RowText;

/// Row `number`'s record, at `location`; none when a part the record needs
/// is missing.
pub(super) fn build<R: Reference + ?Sized>(
    ctx: &Context<'_, R>,
    p: Parsed<'_>,
    location: KeyLocation<'_>,
    (header, row, number): (&Header, &RowText, u32),
) -> Option<ImportedRecord> {
    let c = p.cells;
    let date = p.date?;
    let programme = p.programme?;
    let yes = p.yes;
    let outcome = if yes {
        Outcome::Administered
    } else {
        Outcome::NotAdministered(p.reason?)
    };
    let performed_by = match (p.performer, p.performer_names()) {
        (Some(e), _) => Some(Performer::User { email: e.clone() }),
        (None, (Some(g), Some(f))) => Some(Performer::Named {
            given_name: g.to_owned(),
            family_name: f.to_owned(),
        }),
        _ => None,
    };
    let location_name = match location {
        KeyLocation::Name(n) => Some(n),
        _ => None,
    };
    let supplier_differs = p.supplier_differs();
    let session_id = p.offline_session().map(|s| s.id);
    let nasal = p.nasal();
    Some(ImportedRecord {
        row: number,
        child: ChildIdentity {
            given_name: c.forename.value()?.to_owned(),
            family_name: c.surname.value()?.to_owned(),
            date_of_birth: p.dob?,
            gender: p.gender?,
            postcode: p.postcode.and_then(Result::ok),
            nhs_number: p.nhs_number.and_then(Result::ok),
            school_urn: c.school_urn.value().map(str::to_owned),
            school_name: c.school_name.value().map(str::to_owned),
        },
        programme,
        mmr_variant: p.variant,
        outcome,
        date,
        time: p.time,
        performed_at: london::to_utc(date.and_time(p.time.unwrap_or(NaiveTime::MIN))),
        vaccine: p.vaccine,
        batch_number: c
            .batch
            .value()
            .filter(|_| yes)
            .and_then(|b| BatchNumber::parse(b).ok()),
        batch_expiry: p.expiry.filter(|_| yes),
        site: p.site.filter(|_| yes),
        delivery_method: p.site.filter(|_| yes).map(AnatomicalSite::delivery_method),
        dose_sequence: p.dose.sequence,
        performed_by,
        supplied_by: p.supplier.cloned(),
        protocol: if supplier_differs && !nasal {
            Protocol::National
        } else {
            Protocol::Pgd
        },
        performed_ods_code: c.organisation.value().map(str::to_owned),
        location_name,
        notes: header.cell(row, C::Notes).value().map(str::to_owned),
        session_id,
        uuid: p.uuid,
        source: if ctx.national_reporting() {
            RecordSource::NationalReporting
        } else if p.offline {
            RecordSource::Service
        } else {
            RecordSource::HistoricalUpload
        },
        local_patient_id: c
            .local_id
            .value()
            .zip(c.local_uri.value())
            .map(|(a, b)| (a.to_owned(), b.to_owned())),
    })
}
