//! A row's duplicate key (`import-csv.md` §7): what two rows must share to
//! be the same vaccination.

use mavis_domain::{Postcode, Programme, SessionLocation, Vaccine};

use super::dose::DoseReading;
use super::outcome::Administered;
use super::parsed::Parsed;
use super::Context;
use crate::duplicates::{DuplicateIndex, KeyHasher};
use crate::reference::Reference;

/// The location part of the duplicate key (§7, item 11).
#[derive(Hash)]
pub(super) enum KeyLocation<'a> {
    NotCompared,
    School(Option<&'a str>),
    Session(&'a str, Option<char>),
    Name(String),
}

impl<'a> KeyLocation<'a> {
    /// The row's location: its school URN in national reporting, none for a
    /// record from the NHS Immunisations API, its session's school, or
    /// else the name of where it took place.
    pub(super) fn of<R: Reference + ?Sized>(ctx: &Context<'_, R>, p: &Parsed<'a>) -> Self {
        let c = p.cells;
        if ctx.national_reporting() {
            KeyLocation::School(c.school_urn.value())
        } else if p.from_api {
            KeyLocation::NotCompared
        } else if let Some(SessionLocation::School { urn, site }) =
            p.offline_session().map(|s| &s.location)
        {
            KeyLocation::Session(urn.as_str(), *site)
        } else {
            KeyLocation::Name(location_name(
                ctx.reference,
                p.care.flatten(),
                c.event_location_type.value(),
                c.school_urn.value(),
                c.school_name.value(),
                c.clinic.value(),
            ))
        }
    }
}

/// Add row `number`'s duplicate key, with its `location`, to `duplicates`.
pub(super) fn insert<R: Reference + ?Sized>(
    ctx: &Context<'_, R>,
    p: &Parsed<'_>,
    location: &KeyLocation<'_>,
    duplicates: &mut DuplicateIndex,
    number: u32,
) {
    let c = p.cells;
    let mut h: KeyHasher = duplicates.key();
    h.add(&(c.forename.value(), c.surname.value(), p.dob));
    h.add(
        &p.postcode
            .as_ref()
            .map(|p| p.as_ref().ok().map(Postcode::as_str)),
    );
    h.add(&p.gender);
    match (&p.nhs_number, c.nhs_number.value()) {
        (Some(Ok(n)), _) => h.add(&(1u8, n.as_str())),
        (_, Some(v)) => {
            h.add(&2u8);
            for c in v.chars().filter(|c| !c.is_whitespace()) {
                h.add(&c);
            }
        }
        (_, None) => h.add(&0u8),
    }
    // As Mavis's `full_row_deduplication_attributes` (issue 17, item 8):
    // the programme the vaccine names first; the dose as Mavis reads it (a
    // blank flu or HPV dose is 1 on every row, item 2; an unreadable one
    // nothing); vaccinated or not, an unreadable flag being "not"; the
    // reason only of a row not vaccinated.
    let administered = p.administered == Administered::Yes;
    let programme = p.vaccine.map(Vaccine::programme).or(p.programme);
    let dose = match p.dose.reading {
        Some(DoseReading::Number(n)) => Some(n),
        Some(DoseReading::Missing) => programme
            .and_then(Programme::default_dose)
            .map(|d| i64::from(d.number())),
        Some(DoseReading::Unreadable) | None => None,
    };
    h.add(&(programme, p.variant, dose));
    h.add(&(administered, p.reason.filter(|_| !administered)));
    h.add(&p.date);
    match &p.performer {
        Some(e) => h.add(&(0u8, e.as_str())),
        None => h.add(&(1u8, p.performer_names())),
    }
    h.add(&c.organisation.value());
    h.add(&p.offline_session().map(|s| s.id));
    h.add(&p.supplier);
    h.add(&p.supplier_differs().then_some(p.nasal()));
    h.add(location);
    if ctx.national_reporting() {
        h.add(&(c.batch.value(), p.expiry, p.time, p.vaccine, p.site));
        h.add(&(c.local_id.value(), c.local_uri.value()));
    }
    duplicates.insert_key(h, number);
}

/// The location name of a row without a session location (§7, item 11).
fn location_name<R: Reference + ?Sized>(
    r: &R,
    care: Option<i64>,
    location_type: Option<&str>,
    urn: Option<&str>,
    school_name: Option<&str>,
    clinic_name: Option<&str>,
) -> String {
    let school_setting = match (care, location_type) {
        (Some(1), _) => true,
        (Some(2), _) => false,
        (_, Some(t)) => t.eq_ignore_ascii_case("school"),
        (_, None) => clinic_name.is_none(),
    };
    let name = if school_setting {
        urn.and_then(|u| r.school(u))
            .map(|s| s.name.as_str())
            .or(school_name)
    } else {
        clinic_name.map(|c| r.clinic(c).unwrap_or(c))
    };
    name.unwrap_or("Unknown").to_owned()
}
