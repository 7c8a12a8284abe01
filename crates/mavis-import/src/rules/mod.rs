//! The row rules (`import-csv.md` §5, §6): one row in, its errors, its
//! duplicate key and, when it has no error, the record it would import.
//!
//! Each rule is one function, named for the column it checks, in the file
//! of its concern; [`check_row`] reads the row once into a [`Parsed`] row
//! and calls the rules in the spec's order. A new rule is one function and
//! one line there.

mod batch;
mod child;
mod dose;
mod duplicate_key;
mod ids;
mod out;
mod outcome;
mod parsed;
mod performer;
mod place;
mod record;
mod vaccination_type;
mod vaccine;
mod when;

use chrono::{NaiveDate, NaiveTime};
use mavis_domain::{AcademicYear, UploadType};

use self::duplicate_key::KeyLocation;
use self::out::Out;
use self::outcome::Flag;
use self::parsed::{Cells, Parsed};
pub use self::performer::{supplier_is_not_the_performer, SUPPLIER_IS_NOT_THE_PERFORMER};
use crate::columns::Header;
use crate::duplicates::DuplicateIndex;
use crate::record::ImportedRecord;
use crate::reference::Reference;
use crate::report::RowError;
use crate::row::RowText;

/// The longest name, school or clinic accepted (§9.8).
const MAX_NAME: usize = 300;

/// Whether a name, school or clinic is longer than Mavis accepts.
fn too_long(text: &str) -> bool {
    text.len() > MAX_NAME && text.chars().count() > MAX_NAME
}

/// Everything the rules need besides the row.
pub(crate) struct Context<'r, R: Reference + ?Sized> {
    pub reference: &'r R,
    pub upload: UploadType,
    pub today: NaiveDate,
    pub now: NaiveTime,
    pub year: AcademicYear,
    pub expiry_from: NaiveDate,
    pub expiry_to: NaiveDate,
}

impl<'r, R: Reference + ?Sized> Context<'r, R> {
    pub(crate) fn new(reference: &'r R, today: NaiveDate, now: NaiveTime) -> Self {
        let jan1 = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(NaiveDate::MIN);
        use chrono::Datelike;
        Context {
            reference,
            upload: reference.upload_type(),
            today,
            now,
            year: AcademicYear::containing(today),
            expiry_from: jan1(today.year() - 15),
            expiry_to: jan1(today.year() + 15),
        }
    }

    /// The upload is national reporting's.
    pub(crate) fn national_reporting(&self) -> bool {
        self.upload == UploadType::NationalReporting
    }

    /// `national_reporting` in a national-reporting upload, else `other`:
    /// the two wordings of a message.
    pub(crate) fn by_upload<T>(&self, national_reporting: T, other: T) -> T {
        if self.national_reporting() {
            national_reporting
        } else {
            other
        }
    }
}

/// What checking one row gave besides its errors.
pub(crate) struct RowOutcome {
    /// A national-reporting row that is not vaccinated: never imported.
    pub skipped: bool,
    /// The record, when asked for and the row has no error.
    pub record: Option<ImportedRecord>,
}

/// Check row `number`: push its errors (in rule order) to `errors`, add its
/// key to `duplicates`, and build its record when `want_record` and it has
/// no error.
pub(crate) fn check_row<R: Reference + ?Sized>(
    ctx: &Context<'_, R>,
    header: &Header,
    number: u32,
    row: &RowText,
    errors: &mut Vec<RowError>,
    duplicates: &mut DuplicateIndex,
    want_record: bool,
) -> RowOutcome {
    let mut out = Out::new(header, number, errors);
    let flag = Flag::read(ctx, header, row);
    outcome::vaccinated(&flag, &mut out);
    let skipped = flag.skips(ctx);
    let administered = flag.administered;
    let cells = Cells::read(header, row, flag);
    let p = Parsed::read(ctx, &cells, administered);
    if skipped {
        // A national-reporting row not vaccinated: no rule applies, but
        // Mavis still compares it for duplicates (issue 17, item 8).
        let location = KeyLocation::of(ctx, &p);
        duplicate_key::insert(ctx, &p, &location, duplicates, number);
        return RowOutcome {
            skipped: true,
            record: None,
        };
    }
    rules(ctx, &p, &mut out);

    // §7: the duplicate key.
    let location = KeyLocation::of(ctx, &p);
    duplicate_key::insert(ctx, &p, &location, duplicates, number);

    let record = (want_record && out.count == 0)
        .then(|| record::build(ctx, p, location, (header, row, number)))
        .flatten();
    RowOutcome {
        skipped: false,
        record,
    }
}

/// What a rule reads and where it writes: the context, the parsed row and
/// the row's errors.
struct Check<'c, 'o, R: Reference + ?Sized> {
    ctx: &'c Context<'c, R>,
    p: &'c Parsed<'c>,
    out: &'c mut Out<'o>,
}

/// Rules 1 to 26, in the spec's order (rule 0, on the outcome flag, comes
/// before a row is parsed): each pushes its errors to `out`.
fn rules<R: Reference + ?Sized>(ctx: &Context<'_, R>, p: &Parsed<'_>, out: &mut Out<'_>) {
    let mut check = Check { ctx, p, out };
    batch::batch_expiry_date(&mut check);
    batch::batch_number(&mut check);
    place::care_setting(&mut check);
    place::clinic_name(&mut check);
    when::date_of_vaccination(&mut check);
    vaccine::anatomical_site(&mut check);
    dose::dose_sequence(&mut check);
    child::one_matching_patient(&mut check);
    child::local_patient_id(&mut check);
    child::date_of_birth(&mut check);
    child::forename(&mut check);
    child::gender(&mut check);
    child::surname(&mut check);
    child::nhs_number(&mut check);
    child::postcode(&mut check);
    performer::performing_professional(&mut check);
    performer::organisation_code(&mut check);
    vaccine::programme(&mut check);
    outcome::reason_not_vaccinated(&mut check);
    place::school_name(&mut check);
    place::school_urn(&mut check);
    performer::supplier_email(&mut check);
    performer::supplier_is_the_performer(&mut check);
    ids::session_id(&mut check);
    when::time_of_vaccination(&mut check);
    ids::uuid(&mut check);
    vaccine::vaccine(&mut check);
}

#[cfg(test)]
mod tests {
    use mavis_domain::{MmrVariant, Programme};

    use super::vaccination_type::{split_vaccination_type, VaccinationType};
    use super::vaccine::sentence_name;

    #[test]
    fn vaccination_types() {
        let t = split_vaccination_type;
        assert_eq!(
            t("Human Papillomavirus 1"),
            VaccinationType {
                programme: Some("HPV"),
                vaccine: None,
                dose: Some("1")
            }
        );
        assert_eq!(
            t("Td/IPV 2nd Scheduled Booster").dose,
            Some("2nd Scheduled Booster")
        );
        assert_eq!(t("Flu").dose, None);
        assert_eq!(
            t("Gardasil9 1"),
            VaccinationType {
                programme: None,
                vaccine: Some("Gardasil9"),
                dose: Some("1")
            }
        );
        assert_eq!(
            t("Meningococcal conjugate A,C, W135 + Y").programme,
            Some("MenACWY")
        );
        assert_eq!(
            sentence_name(Programme::Mmr, Some(MmrVariant::Mmrv)),
            "MMRV"
        );
        assert_eq!(sentence_name(Programme::Flu, None), "flu");
    }
}
