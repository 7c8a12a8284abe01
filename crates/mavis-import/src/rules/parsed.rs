//! The parsed row: a row's cells, read once, and the values several rules
//! share (the dates, the session, the programme and vaccine of §5.8–5.10,
//! the outcome flag), parsed once in the order the rules first need them.

use chrono::{NaiveDate, NaiveTime};
use mavis_domain::{
    AnatomicalSite, Email, Gender, MmrVariant, NhsNumber, Postcode, Programme, ReasonNotVaccinated,
    RecordSource, RecordUuid, Session, Vaccine,
};

use super::dose::{Dose, DoseReading};
use super::outcome::{Administered, Flag};
use super::vaccination_type::split_vaccination_type;
use super::Context;
use crate::columns::{Cell, Column as C, Header};
use crate::dates::{parse_date, parse_time};
use crate::numbers::parse_integer;
use crate::reference::{KnownRecord, Reference};
use crate::row::RowText;

/// The cells of a row that the rules read, each read (and normalised)
/// once.
pub(super) struct Cells<'t> {
    pub vaccine_given: Cell<'t>,
    pub vaccination_type: Cell<'t>,
    pub session: Cell<'t>,
    pub programme: Cell<'t>,
    pub dob: Cell<'t>,
    pub date: Cell<'t>,
    pub care_setting: Cell<'t>,
    pub event_location_type: Cell<'t>,
    pub forename: Cell<'t>,
    pub surname: Cell<'t>,
    pub nhs_number: Cell<'t>,
    pub postcode: Cell<'t>,
    pub site: Cell<'t>,
    pub expiry: Cell<'t>,
    pub batch: Cell<'t>,
    pub clinic: Cell<'t>,
    pub dose: Cell<'t>,
    pub local_id: Cell<'t>,
    pub local_uri: Cell<'t>,
    pub gender: Cell<'t>,
    pub performer_email: Cell<'t>,
    pub performer_forename: Cell<'t>,
    pub performer_surname: Cell<'t>,
    pub organisation: Cell<'t>,
    pub reason: Cell<'t>,
    pub school_urn: Cell<'t>,
    pub school_name: Cell<'t>,
    pub supplier_email: Cell<'t>,
    pub uuid: Cell<'t>,
    pub time: Cell<'t>,
}

impl<'t> Cells<'t> {
    /// The rest of the row's cells, after the outcome flag's.
    pub(super) fn read(header: &Header, row: &'t RowText, flag: Flag<'t>) -> Self {
        let cell = |c| header.cell(row, c);
        Cells {
            vaccine_given: flag.vaccine_given,
            vaccination_type: flag.vaccination_type,
            session: cell(C::SessionId),
            programme: cell(C::Programme),
            dob: cell(C::PersonDob),
            date: cell(C::DateOfVaccination),
            care_setting: cell(C::CareSetting),
            event_location_type: cell(C::EventLocationType),
            forename: cell(C::PersonForename),
            surname: cell(C::PersonSurname),
            nhs_number: cell(C::NhsNumber),
            postcode: cell(C::PersonPostcode),
            site: cell(C::AnatomicalSite),
            expiry: cell(C::BatchExpiryDate),
            batch: cell(C::BatchNumber),
            clinic: cell(C::ClinicName),
            dose: cell(C::DoseSequence),
            local_id: cell(C::LocalPatientId),
            local_uri: cell(C::LocalPatientIdUri),
            gender: cell(C::PersonGenderCode),
            performer_email: cell(C::PerformingProfessionalEmail),
            performer_forename: cell(C::PerformingProfessionalForename),
            performer_surname: cell(C::PerformingProfessionalSurname),
            organisation: cell(C::OrganisationCode),
            reason: cell(C::ReasonNotVaccinated),
            school_urn: cell(C::SchoolUrn),
            school_name: cell(C::SchoolName),
            supplier_email: cell(C::SupplierEmail),
            uuid: cell(C::Uuid),
            time: cell(C::TimeOfVaccination),
        }
    }
}

/// A row's cells and the values parsed from them that several rules, the
/// duplicate key or the record read.
pub(super) struct Parsed<'a> {
    pub cells: &'a Cells<'a>,
    /// The outcome flag (§5.1).
    pub administered: Administered,
    /// The child was vaccinated.
    pub yes: bool,
    /// The row names a session: an offline spreadsheet's row.
    pub offline: bool,
    /// The row's session, when it is known, has dates and is this year's.
    pub session: Option<&'a Session>,
    /// Offline or national reporting: the stricter rules apply.
    pub strict: bool,
    /// The programme the row names, known or not.
    pub programme_name: Option<&'a str>,
    /// The named programme, when known and allowed here, with its variant.
    pub named: Option<(Programme, Option<MmrVariant>)>,
    /// The vaccine the row names, known or not.
    pub vaccine_name: Option<&'a str>,
    /// The named vaccine, when known.
    pub vaccine: Option<Vaccine>,
    /// The programme: the named one, else the vaccine's.
    pub programme: Option<Programme>,
    /// The MMR variant, for MMR.
    pub variant: Option<MmrVariant>,
    pub dob: Option<NaiveDate>,
    pub date: Option<NaiveDate>,
    /// `CARE_SETTING` when present: the number, if it is one.
    pub care: Option<Option<i64>>,
    pub nhs_number: Option<mavis_domain::Result<NhsNumber>>,
    pub postcode: Option<mavis_domain::Result<Postcode>>,
    pub site: Option<AnatomicalSite>,
    pub expiry: Option<NaiveDate>,
    /// The dose (rule 7).
    pub dose: Dose,
    pub gender: Option<Gender>,
    /// The performing professional, when a known user.
    pub performer: Option<&'a Email>,
    pub reason: Option<ReasonNotVaccinated>,
    /// The supplier, when a known user.
    pub supplier: Option<&'a Email>,
    pub uuid: Option<RecordUuid>,
    /// The existing record the UUID names.
    pub existing: Option<KnownRecord>,
    /// The existing record came from the NHS Immunisations API.
    pub from_api: bool,
    pub time: Option<NaiveTime>,
}

impl<'a> Parsed<'a> {
    /// Parse the shared values of a row whose outcome flag is
    /// `administered`.
    pub(super) fn read<R: Reference + ?Sized>(
        ctx: &Context<'a, R>,
        cells: &'a Cells<'a>,
        administered: Administered,
    ) -> Self {
        let r = ctx.reference;
        let nr = ctx.national_reporting();
        let yes = administered == Administered::Yes;

        // Session and offline-ness.
        let offline = cells.session.is_present();
        let session: Option<&Session> = cells
            .session
            .value()
            .and_then(parse_integer)
            .and_then(|id| u64::try_from(id).ok())
            .and_then(|id| r.session(id))
            .filter(|s| !s.dates.is_empty() && s.academic_year() == ctx.year);
        let strict = offline || nr;

        // §5.8–5.10: programme and vaccine.
        let vt = cells
            .vaccination_type
            .value()
            .map(split_vaccination_type)
            .unwrap_or_default();
        let programme_name = vt.programme.or(cells.programme.value());
        let allowed = |p: Programme| match session {
            Some(s) if offline => s.programmes.iter().any(|sp| sp.programme == p),
            _ => r.programmes().contains(&p),
        };
        let named = programme_name
            .and_then(Programme::from_import_name)
            .filter(|(p, _)| allowed(*p));
        let vaccine_name = vt.vaccine.or(cells.vaccine_given.value());
        let vaccine: Option<Vaccine> = vaccine_name.and_then(|n| r.vaccine(n));
        let programme: Option<Programme> = named
            .map(|(p, _)| p)
            .or_else(|| vaccine.map(Vaccine::programme));
        let variant: Option<MmrVariant> = match programme {
            Some(Programme::Mmr) => vaccine
                .and_then(|v| v.info().variant)
                .or(named.and_then(|(_, v)| v))
                .or(Some(MmrVariant::Mmr)),
            _ => None,
        };

        let user_email = |c: &Cell<'_>| c.value().and_then(|v| r.user_at(v)).map(|u| &u.email);
        let uuid = cells.uuid.value().and_then(|v| RecordUuid::parse(v).ok());
        let existing = uuid.and_then(|u| r.record(&u));
        let dose_required = yes && (offline || (nr && programme == Some(Programme::Hpv)));
        Parsed {
            cells,
            administered,
            yes,
            offline,
            session,
            strict,
            programme_name,
            named,
            vaccine_name,
            vaccine,
            programme,
            variant,
            dob: cells.dob.value().and_then(parse_date),
            date: cells.date.value().and_then(parse_date),
            care: cells.care_setting.value().map(parse_integer),
            nhs_number: cells.nhs_number.value().map(NhsNumber::parse),
            postcode: cells.postcode.value().map(Postcode::parse),
            site: cells
                .site
                .value()
                .and_then(|v| AnatomicalSite::parse(v).ok()),
            expiry: cells.expiry.value().and_then(parse_date),
            dose: Dose::read(
                programme,
                DoseReading::read(programme, vt.dose, &cells.dose),
                dose_required,
            ),
            gender: cells.gender.value().and_then(|v| Gender::parse(v).ok()),
            performer: user_email(&cells.performer_email),
            reason: cells
                .reason
                .value()
                .and_then(|v| ReasonNotVaccinated::parse(v).ok()),
            supplier: user_email(&cells.supplier_email),
            uuid,
            existing,
            from_api: existing.is_some_and(|e| e.source == RecordSource::NhsImmunisationsApi),
            time: cells.time.value().and_then(parse_time),
        }
    }

    /// The session of an offline row.
    pub(super) fn offline_session(&self) -> Option<&'a Session> {
        self.session.filter(|_| self.offline)
    }

    /// The supplier is a user other than the performing professional.
    pub(super) fn supplier_differs(&self) -> bool {
        self.supplier.is_some() && self.supplier != self.performer
    }

    /// The vaccine was given in the nose.
    pub(super) fn nasal(&self) -> bool {
        self.site == Some(AnatomicalSite::Nose)
    }

    /// The performing professional's names as given.
    pub(super) fn performer_names(&self) -> (Option<&'a str>, Option<&'a str>) {
        (
            self.cells.performer_forename.value(),
            self.cells.performer_surname.value(),
        )
    }
}
