//! Reference data from a workbook itself: what the upload rules need
//! (`reference-data.md` §2), read from the workbook being checked.
//!
//! A workbook this crate exported carries it whole in its hidden `Session`
//! sheet. A workbook as Mavis's own exporter writes it has no such sheet
//! (`offline-spreadsheet.md` §2); what it does hold is read instead: the
//! team's users from `Performing Professionals` and `Suppliers`, the
//! batches from the `<programme> Batch Numbers` sheets, the vaccines,
//! sites and clinics from the `Vaccinations` sheet's dropdowns (its data
//! validations, read through the package layer), and from its rows the
//! organisation code, the session's id, location and programmes, the
//! children (for patient matching) and the existing records. Nothing the
//! workbook does not say is made up: where a rule needs a fact no workbook
//! holds, the permissive value is taken (so that no cell is marked wrongly)
//! and the check is named in [`WorkbookReference::not_checked_offline`].

use std::collections::{BTreeMap, BTreeSet};

use mavis_domain::chrono::{Duration, NaiveDate};
use mavis_domain::{
    column_index, AcademicYear, AnatomicalSite, BatchNumber, CareSetting, ChildReference,
    ChildSchool, Clinic, Column, Email, NhsNumber, OdsCode, Postcode, Programme, RecordSource,
    RecordUuid, ReferenceDocument, Session, SessionDocument, SessionLocation, SessionProgramme,
    Table, Team, TextRow, UploadType, User, Vaccine, FORMAT_VERSION,
};

use crate::error::{ErrorKind, Result};
use crate::limits::ReadLimits;
use crate::package::{patch, Package, PackageError};
use crate::read::{read_bytes_with, read_sheets_rows};
use crate::session_sheet::{parse_session_sheet, SESSION_SHEET};
use crate::writer::{batch_sheet_name, CLINICS_SHEET, PROFESSIONALS_SHEET, SUPPLIERS_SHEET};
use crate::xml::each_element;

/// The most distinct dropdown formulas read from one sheet; a workbook as
/// Mavis writes it has a few dozen.
const MAX_FORMULAS: usize = 10_000;

/// What the upload rules need, read from a workbook: see the module
/// documentation and [`read_workbook_reference`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkbookReference {
    /// The team, its users and clinics, and the session, as the upload
    /// rules read them; its `children` are the children the workbook
    /// lists (none when read from a `Session` sheet, which holds none).
    ///
    /// Read from a workbook as Mavis writes it, what no workbook holds is
    /// given its permissive value: the team's programmes are every
    /// programme, the session's dates every day of the academic year, the
    /// session's location the generic clinic (the workbook names a school
    /// only by name; [`WorkbookReference::location_name`] has it), users
    /// have no names, children no school, and a child's id is its place in
    /// the workbook.
    pub document: ReferenceDocument,
    /// The existing records the workbook shows: UUID, source, session.
    /// Read from rows, a record without a `SESSION_ID` is taken to come
    /// from the NHS Immunisations API and any other from the service.
    pub records: Vec<(RecordUuid, RecordSource, Option<u64>)>,
    /// The checks that could not be made offline, one plain sentence each,
    /// saying what Mavis checks on upload; empty when the workbook has a
    /// `Session` sheet.
    pub not_checked_offline: Vec<String>,
    /// Whether it was read from the hidden `Session` sheet.
    pub from_session_sheet: bool,
    /// The session's location as the workbook names it: the school's name,
    /// or `Community clinic`; `None` when its rows do not say.
    pub location_name: Option<String>,
    /// The batch numbers offered per programme, from the batch sheets
    /// (empty when read from a `Session` sheet, whose document's `batches`
    /// hold the batches whole).
    pub batch_numbers: Vec<(Programme, Vec<BatchNumber>)>,
    /// The vaccines the `VACCINE_GIVEN` dropdowns offer, per programme.
    pub vaccines: Vec<(Programme, Vec<Vaccine>)>,
    /// The sites the `ANATOMICAL_SITE` dropdown offers.
    pub sites: Vec<AnatomicalSite>,
}

/// Read what the upload rules need from a workbook's bytes (see
/// [`WorkbookReference`]), within the default [`ReadLimits`]; `file` names
/// it in messages and `today` decides the academic year.
///
/// # Errors
///
/// The crate's [`Error`](crate::Error) naming the file: when the bytes are
/// not a workbook that can be read ([`ErrorKind::Unreadable`],
/// [`ErrorKind::NotAWorkbook`]), are encrypted ([`ErrorKind::Encrypted`]),
/// go over a limit ([`ErrorKind::TooLarge`]), when its `Session` sheet
/// cannot be read, or when it has none and no row gives a `SESSION_ID`.
///
/// # Examples
///
/// A workbook as Mavis's exporter writes it: the export without its
/// hidden `Session` sheet.
///
/// ```
/// use mavis_domain::chrono::NaiveDate;
/// use mavis_demo::{self as demo, DemoOptions};
/// use mavis_sheet::{read_workbook_reference, remove_sheet, OfflineWorkbook, SESSION_SHEET};
///
/// let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
/// let doc = demo::session(&DemoOptions::new(today));
/// let ours = OfflineWorkbook::new(&doc, today).to_bytes()?;
///
/// let from_sheet = read_workbook_reference(&ours, "session.xlsx", today)?;
/// assert!(from_sheet.from_session_sheet && from_sheet.not_checked_offline.is_empty());
///
/// let mavis = remove_sheet(&ours, "session.xlsx", SESSION_SHEET)?;
/// let derived = read_workbook_reference(&mavis, "copy.xlsx", today)?;
/// assert_eq!(derived.document.session.id, doc.session.id);
/// assert_eq!(derived.document.team.ods_code, doc.team.ods_code);
/// assert_eq!(derived.document.users.len(), doc.users.len());
/// assert_eq!(derived.location_name.as_deref(), Some("Riverside Academy"));
/// assert!(!derived.not_checked_offline.is_empty());
/// # Ok::<(), mavis_sheet::Error>(())
/// ```
pub fn read_workbook_reference(
    bytes: &[u8],
    file: &str,
    today: NaiveDate,
) -> Result<WorkbookReference> {
    read_workbook_reference_with(bytes, file, today, &ReadLimits::default())
}

/// [`read_workbook_reference`] within `limits`.
///
/// # Errors
///
/// As [`read_workbook_reference`].
///
/// # Examples
///
/// ```
/// use mavis_domain::chrono::NaiveDate;
/// use mavis_sheet::{read_workbook_reference_with, ErrorKind, ReadLimits};
///
/// let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
/// let err = read_workbook_reference_with(b"PK\x03\x04 no zip", "copy.xlsx", today,
///     &ReadLimits::default()).unwrap_err();
/// assert!(err.to_string().starts_with("copy.xlsx: "), "{err}");
/// ```
pub fn read_workbook_reference_with(
    bytes: &[u8],
    file: &str,
    today: NaiveDate,
    limits: &ReadLimits,
) -> Result<WorkbookReference> {
    let sheets = read_sheets_rows(bytes, file, limits, |name| {
        name == SESSION_SHEET
            || name == PROFESSIONALS_SHEET
            || name == SUPPLIERS_SHEET
            || name == CLINICS_SHEET
            || Programme::ALL.iter().any(|p| batch_sheet_name(*p) == name)
    })?;
    if let Some((_, rows)) = sheets.iter().find(|(n, _)| n == SESSION_SHEET) {
        return from_session_sheet(rows, file);
    }
    let table = read_bytes_with(bytes, file, limits)?;
    let formulas = match &table.sheet {
        Some(sheet) if bytes.starts_with(b"PK\x03\x04") => {
            validations(bytes, sheet, table.headers.len()).map_err(|e| e.in_file(file))?
        }
        _ => BTreeMap::new(),
    };
    derive(&table, &sheets, &formulas, today, file)
}

/// A workbook without one of its sheets, through the package layer: the
/// sheet's entry, relationship, content type and part are removed, every
/// other part is kept as it was. Our export without its hidden `Session`
/// sheet is the workbook as Mavis's exporter writes it. Names defined for
/// one sheet and the selected tab are not renumbered, so it is meant for
/// a sheet after the others, as the `Session` sheet is.
///
/// # Errors
///
/// [`ErrorKind::NotAWorkbook`] naming `file` when the bytes are not a
/// workbook or it has no such sheet.
///
/// # Examples
///
/// ```
/// use mavis_domain::chrono::NaiveDate;
/// use mavis_demo::{self as demo, DemoOptions};
/// use mavis_sheet::{read_sheet_rows, remove_sheet, OfflineWorkbook, SESSION_SHEET};
///
/// let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
/// let doc = demo::session(&DemoOptions { children: 3, ..DemoOptions::new(today) });
/// let ours = OfflineWorkbook::new(&doc, today).to_bytes()?;
/// let mavis = remove_sheet(&ours, "session.xlsx", SESSION_SHEET)?;
/// assert!(read_sheet_rows(&mavis, "copy.xlsx", SESSION_SHEET)?.is_none());
/// assert!(remove_sheet(&mavis, "copy.xlsx", SESSION_SHEET).is_err());
/// # Ok::<(), mavis_sheet::Error>(())
/// ```
pub fn remove_sheet(bytes: &[u8], file: &str, sheet: &str) -> Result<Vec<u8>> {
    patch(bytes, file, |package| package.remove_sheet(sheet))
}

/// The reference data of a `Session` sheet, exactly as
/// [`parse_session_sheet`] reads it.
fn from_session_sheet(rows: &[Vec<String>], file: &str) -> Result<WorkbookReference> {
    let sheet = parse_session_sheet(rows, file)?;
    let doc = sheet.document;
    let location_name = Some(doc.location_name().to_owned());
    Ok(WorkbookReference {
        document: SessionDocument {
            format_version: doc.format_version,
            team: doc.team,
            users: doc.users,
            schools: doc.schools,
            clinics: doc.clinics,
            batches: doc.batches,
            session: doc.session,
            other_sessions: doc.other_sessions,
            children: Vec::new(),
        },
        records: sheet.records,
        not_checked_offline: Vec::new(),
        from_session_sheet: true,
        location_name,
        batch_numbers: Vec::new(),
        vaccines: Vec::new(),
        sites: Vec::new(),
    })
}

/// The dropdown formulas of a sheet and the columns (below `columns`)
/// each is on: `"Y, N"` on the column of `VACCINATED`.
fn validations(
    bytes: &[u8],
    sheet: &str,
    columns: usize,
) -> std::result::Result<BTreeMap<String, BTreeSet<usize>>, PackageError> {
    let mut package = Package::open(bytes)?;
    let part = package.sheet_part(sheet)?;
    let xml = package.required(&part)?;
    let mut formulas: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    // `dataValidation` in the sheet's list, and LibreOffice's
    // `x14:dataValidation` in its extension list (`x14:formula1/xm:f`,
    // `xm:sqref`): the same local names.
    each_element(&xml, "dataValidation", |dv| {
        let sqref = dv
            .attr("sqref")
            .map(str::to_owned)
            .or_else(|| dv.child("sqref").map(crate::xml::Element::all_text))
            .unwrap_or_default();
        let Some(formula) = dv.child("formula1").map(crate::xml::Element::all_text) else {
            return;
        };
        let on = sqref_columns(&sqref, columns);
        if on.is_empty() || (formulas.len() >= MAX_FORMULAS && !formulas.contains_key(&formula)) {
            return;
        }
        formulas.entry(formula).or_default().extend(on);
    })
    .map_err(PackageError::part(&part))?;
    Ok(formulas)
}

/// The columns (0 for A) below `columns` that a `sqref` (`AC2:AC3 AD5`)
/// covers.
fn sqref_columns(sqref: &str, columns: usize) -> BTreeSet<usize> {
    let column = |cell: &str| -> Option<usize> {
        let letters: String = cell
            .chars()
            .filter(|c| *c != '$')
            .take_while(char::is_ascii_alphabetic)
            .collect();
        column_index(&letters).and_then(|c| usize::try_from(c).ok())
    };
    let mut out = BTreeSet::new();
    for range in sqref.split_whitespace() {
        let (from, to) = range.split_once(':').unwrap_or((range, range));
        if let (Some(a), Some(b)) = (column(from), column(to)) {
            let (a, b) = (a.min(b), a.max(b));
            out.extend((a..=b.min(columns.saturating_sub(1))).take(columns));
        }
    }
    out
}

/// The items a dropdown formula offers: an inline list (`"Y, N"`), or the
/// cells of a range of one of `sheets` (`'Clinics'!$A$2:$A$9`) below its
/// header row. Any other formula offers nothing known.
fn formula_items(formula: &str, sheets: &[(String, Vec<Vec<String>>)]) -> Vec<String> {
    let f = formula.trim();
    let f = f.strip_prefix('=').unwrap_or(f).trim();
    if let Some(inner) = f.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        return inner
            .replace("\"\"", "\"")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
    }
    let Some((sheet, range)) = split_sheet_reference(f) else {
        return Vec::new();
    };
    let Some((_, rows)) = sheets.iter().find(|(n, _)| *n == sheet) else {
        return Vec::new();
    };
    let cell = |r: &str| -> Option<(usize, usize)> {
        let r: String = r.chars().filter(|c| *c != '$').collect();
        let split = r.find(|c: char| c.is_ascii_digit())?;
        let column = column_index(&r[..split]).and_then(|c| usize::try_from(c).ok())?;
        let row: usize = r[split..].parse().ok()?;
        Some((row, column))
    };
    let (from, to) = range.split_once(':').unwrap_or((range, range));
    let (Some((r1, c)), Some((r2, _))) = (cell(from), cell(to)) else {
        return Vec::new();
    };
    // Rows from 2: an empty list's `$A2:$A1` (offline-spreadsheet.md §6.2)
    // offers the header word, which is no value.
    let (first, last) = (r1.min(r2).max(2), r1.max(r2));
    rows.iter()
        .skip(first - 1)
        .take((last + 1).saturating_sub(first))
        .filter_map(|row| row.get(c))
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `'Sheet name'!$A$2:$A$5` (or `Sheet!A2:A5`) as the sheet's name and the
/// range.
fn split_sheet_reference(f: &str) -> Option<(String, &str)> {
    if let Some(rest) = f.strip_prefix('\'') {
        let mut name = String::new();
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if rest[i + 1..].starts_with('\'') {
                    name.push('\'');
                    chars.next();
                } else {
                    return rest[i + 1..].strip_prefix('!').map(|range| (name, range));
                }
            } else {
                name.push(c);
            }
        }
        None
    } else {
        f.split_once('!').map(|(n, r)| (n.to_owned(), r))
    }
}

/// The values of a hidden list sheet (column A below its header), `None`
/// when the workbook has no such sheet.
fn sheet_values<'a>(
    sheets: &'a [(String, Vec<Vec<String>>)],
    name: &str,
) -> Option<impl Iterator<Item = &'a str>> {
    let (_, rows) = sheets.iter().find(|(n, _)| n == name)?;
    Some(
        rows.iter()
            .skip(1)
            .filter_map(|r| r.first())
            .map(|s| s.trim())
            .filter(|s| !s.is_empty()),
    )
}

/// Counts of the values of a column, to take the one most rows give
/// (the first met, on a tie).
#[derive(Default)]
struct Tally<'a>(BTreeMap<&'a str, (usize, usize)>);

impl<'a> Tally<'a> {
    fn add(&mut self, value: &'a str) {
        if value.is_empty() {
            return;
        }
        let next = self.0.len();
        self.0.entry(value).or_insert((0, next)).0 += 1;
    }

    fn most(&self) -> Option<&'a str> {
        self.0
            .iter()
            .max_by(|a, b| {
                (a.1 .0, std::cmp::Reverse(a.1 .1)).cmp(&(b.1 .0, std::cmp::Reverse(b.1 .1)))
            })
            .map(|(v, _)| *v)
    }
}

/// A date of birth as the reader gives it back (`dd/mm/yyyy`), or as a
/// copy may hold it (`yyyymmdd`, `yyyy-mm-dd`).
fn parse_dob(text: &str) -> Option<NaiveDate> {
    ["%d/%m/%Y", "%Y%m%d", "%Y-%m-%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
}

/// The columns of the rows that are read, by their index in the table.
struct Columns {
    uuid: Option<usize>,
    session: Option<usize>,
    organisation: Option<usize>,
    school: Option<usize>,
    care: Option<usize>,
    programme: Option<usize>,
    year_group: Option<usize>,
    forename: Option<usize>,
    surname: Option<usize>,
    dob: Option<usize>,
    postcode: Option<usize>,
    nhs_number: Option<usize>,
    clinic: Option<usize>,
    performer: Option<usize>,
    supplier: Option<usize>,
}

impl Columns {
    fn of(table: &Table) -> Columns {
        let c = |column| table.column(column);
        Columns {
            uuid: c(Column::Uuid),
            session: c(Column::SessionId),
            organisation: c(Column::OrganisationCode),
            school: c(Column::SchoolName),
            care: c(Column::CareSetting),
            programme: c(Column::Programme),
            year_group: c(Column::YearGroup),
            forename: c(Column::PersonForename),
            surname: c(Column::PersonSurname),
            dob: c(Column::PersonDob),
            postcode: c(Column::PersonPostcode),
            nhs_number: c(Column::NhsNumber),
            clinic: c(Column::ClinicName),
            performer: c(Column::PerformingProfessionalEmail),
            supplier: c(Column::SupplierEmail),
        }
    }
}

/// A row's cell in a column as the importer sees it (trimmed; empty when
/// the column is absent).
fn cell(row: &TextRow, column: Option<usize>) -> &str {
    column.map_or("", |i| row.get(i).trim())
}

/// The reference data of a workbook as Mavis writes it.
#[allow(clippy::too_many_lines)] // one pass over what the workbook says, in order
fn derive(
    table: &Table,
    sheets: &[(String, Vec<Vec<String>>)],
    formulas: &BTreeMap<String, BTreeSet<usize>>,
    today: NaiveDate,
    file: &str,
) -> Result<WorkbookReference> {
    let cols = Columns::of(table);
    let rows: Vec<&TextRow> = table.rows.iter().filter(|r| !r.is_blank()).collect();
    let new_row = |r: &TextRow| cell(r, cols.uuid).is_empty();

    // The session: the id most fill-in rows give (else any row).
    let mut ids = Tally::default();
    for r in rows.iter().filter(|r| new_row(r)) {
        ids.add(cell(r, cols.session));
    }
    let mut any_ids = Tally::default();
    for r in &rows {
        any_ids.add(cell(r, cols.session));
    }
    let session_of = |r: &TextRow| cell(r, cols.session).parse::<u64>().ok();
    let id = ids
        .most()
        .or_else(|| any_ids.most())
        .and_then(|s| s.parse::<u64>().ok())
        .ok_or_else(|| ErrorKind::Unreadable {
            file: file.to_owned(),
            message: format!(
                "it has no hidden {SESSION_SHEET} sheet, and no row of its sheet gives a \
                 SESSION_ID, so the session it is for cannot be told; check that this is the \
                 workbook downloaded for the session"
            ),
        })?;
    let session_rows: Vec<&TextRow> = rows
        .iter()
        .copied()
        .filter(|r| new_row(r) && session_of(r) == Some(id))
        .collect();

    // The organisation: the code most of the session's rows give.
    let mut codes = Tally::default();
    for r in &session_rows {
        codes.add(cell(r, cols.organisation));
    }
    let mut any_codes = Tally::default();
    for r in &rows {
        any_codes.add(cell(r, cols.organisation));
    }
    let ods = codes
        .most()
        .or_else(|| any_codes.most())
        .and_then(|c| OdsCode::parse(c).ok());
    let mut not_checked = Vec::new();

    // Where: the care setting and school most of the session's rows give.
    let mut care = Tally::default();
    let mut school = Tally::default();
    for r in &session_rows {
        care.add(cell(r, cols.care));
        if cell(r, cols.care) == "1" {
            school.add(cell(r, cols.school));
        }
    }
    let care_setting = care
        .most()
        .and_then(|c| c.parse::<u8>().ok())
        .and_then(CareSetting::from_code);
    let location_name = match care_setting {
        Some(CareSetting::School) => school.most().map(str::to_owned),
        Some(CareSetting::Community) => Some(SessionLocation::GENERIC_CLINIC_NAME.to_owned()),
        None => None,
    };

    // The dropdowns.
    let items_on = |column: Option<usize>| -> Option<Vec<String>> {
        let column = column?;
        let mut found = false;
        let mut items = Vec::new();
        for (formula, on) in formulas {
            if on.contains(&column) {
                found = true;
                for item in formula_items(formula, sheets) {
                    if !items.contains(&item) {
                        items.push(item);
                    }
                }
            }
        }
        found.then_some(items)
    };
    let mut vaccines: Vec<(Programme, Vec<Vaccine>)> = Vec::new();
    let offered: BTreeSet<Vaccine> = items_on(table.column(Column::VaccineGiven))
        .unwrap_or_default()
        .iter()
        .filter_map(|n| Vaccine::from_upload_or_nivs_name(n))
        .collect();
    for p in Programme::ALL {
        let of: Vec<Vaccine> = Vaccine::ALL
            .into_iter()
            .filter(|v| v.programme() == p && offered.contains(v))
            .collect();
        if !of.is_empty() {
            vaccines.push((p, of));
        }
    }
    let mut sites = Vec::new();
    for s in items_on(table.column(Column::AnatomicalSite)).unwrap_or_default() {
        if let Ok(site) = AnatomicalSite::parse(&s) {
            if !sites.contains(&site) {
                sites.push(site);
            }
        }
    }
    let clinic_list = items_on(cols.clinic);

    // The batches, one sheet per programme of the session.
    let mut batch_numbers = Vec::new();
    for p in Programme::ALL {
        if let Some(values) = sheet_values(sheets, &batch_sheet_name(p)) {
            let mut numbers: Vec<BatchNumber> = Vec::new();
            for n in values.filter_map(|v| BatchNumber::parse(v).ok()) {
                if !numbers.contains(&n) {
                    numbers.push(n);
                }
            }
            batch_numbers.push((p, numbers));
        }
    }

    // The session's programmes: its batch sheets and vaccine dropdowns say
    // them; the rows' PROGRAMME when they do not.
    let mut programmes: BTreeSet<Programme> = batch_numbers.iter().map(|(p, _)| *p).collect();
    programmes.extend(vaccines.iter().map(|(p, _)| *p));
    let programme_of =
        |r: &TextRow| Programme::from_import_name(cell(r, cols.programme)).map(|(p, _)| p);
    if programmes.is_empty() {
        programmes.extend(session_rows.iter().filter_map(|r| programme_of(r)));
    }
    let year_groups = |p: Programme| -> Vec<i32> {
        let years: BTreeSet<i32> = session_rows
            .iter()
            .filter(|r| programme_of(r) == Some(p))
            .filter_map(|r| cell(r, cols.year_group).parse().ok())
            .collect();
        years.into_iter().collect()
    };

    // Every day of the academic year: the workbook does not give the
    // session's dates.
    let year = AcademicYear::containing(today);
    let days: Vec<NaiveDate> = std::iter::successors(Some(year.start()), |d| {
        Some(*d + Duration::days(1)).filter(|n| *n <= year.end())
    })
    .collect();
    let session = Session {
        id,
        location: SessionLocation::GenericClinic,
        dates: days.clone(),
        programmes: programmes
            .iter()
            .map(|p| SessionProgramme {
                programme: *p,
                year_groups: year_groups(*p),
            })
            .collect(),
        psd_enabled: table.column(Column::PsdStatus).is_some(),
    };

    // Existing records, and the other sessions they belong to.
    let mut records = Vec::new();
    let mut seen_uuids = BTreeSet::new();
    let mut other: BTreeMap<u64, BTreeSet<Programme>> = BTreeMap::new();
    let mut without_session = false;
    for r in &rows {
        let session_id = session_of(r);
        without_session |= session_id.is_none();
        if let Some(other_id) = session_id.filter(|s| *s != id) {
            let entry = other.entry(other_id).or_default();
            entry.extend(programme_of(r));
        }
        if let Ok(uuid) = RecordUuid::parse(cell(r, cols.uuid)) {
            if seen_uuids.insert(uuid) {
                let source = if session_id.is_some() {
                    RecordSource::Service
                } else {
                    RecordSource::NhsImmunisationsApi
                };
                records.push((uuid, source, session_id));
            }
        }
    }
    let other_sessions: Vec<Session> = other
        .into_iter()
        .map(|(id, programmes)| Session {
            id,
            location: SessionLocation::GenericClinic,
            dates: days.clone(),
            programmes: programmes
                .into_iter()
                .map(|programme| SessionProgramme {
                    programme,
                    year_groups: Vec::new(),
                })
                .collect(),
            psd_enabled: false,
        })
        .collect();

    // The users: every team user, those on the Suppliers sheet flagged.
    let suppliers: BTreeSet<Email> = sheet_values(sheets, SUPPLIERS_SHEET)
        .into_iter()
        .flatten()
        .filter_map(|e| Email::parse(e).ok())
        .collect();
    let professionals = sheet_values(sheets, PROFESSIONALS_SHEET);
    let has_professionals = professionals.is_some();
    let mut emails: Vec<Email> = professionals
        .into_iter()
        .flatten()
        .filter_map(|e| Email::parse(e).ok())
        .collect();
    emails.extend(suppliers.iter().cloned());
    if !has_professionals {
        // No list to check against: every address the rows give is taken.
        for r in &rows {
            for c in [cols.performer, cols.supplier] {
                emails.extend(Email::parse(cell(r, c)).ok());
            }
        }
    }
    let mut users: Vec<User> = Vec::new();
    for email in emails {
        if !users.iter().any(|u| u.email == email) {
            users.push(User {
                supplier: suppliers.contains(&email),
                email,
                given_name: String::new(),
                family_name: String::new(),
            });
        }
    }

    // The clinics: the CLINIC_NAME dropdown's, or (none shown) every clinic
    // the rows name.
    let clinics: Vec<String> = match &clinic_list {
        Some(list) => list.clone(),
        None => {
            let mut names: Vec<String> = Vec::new();
            for r in &rows {
                let name = cell(r, cols.clinic);
                if !name.is_empty() && !names.iter().any(|n| n == name) {
                    names.push(name.to_owned());
                }
            }
            names
        }
    };

    // The children, once each, for patient matching: rows with the same
    // names and date of birth are one child unless their NHS numbers
    // differ.
    let mut children: Vec<ChildReference> = Vec::new();
    let mut by_name: BTreeMap<(String, String, NaiveDate), Vec<usize>> = BTreeMap::new();
    for r in &rows {
        let (given, family) = (cell(r, cols.forename), cell(r, cols.surname));
        let Some(dob) = parse_dob(cell(r, cols.dob)) else {
            continue;
        };
        if given.is_empty() || family.is_empty() {
            continue;
        }
        let nhs_number = NhsNumber::parse(cell(r, cols.nhs_number)).ok();
        let postcode = Postcode::parse(cell(r, cols.postcode)).ok();
        let same = by_name
            .entry((given.to_lowercase(), family.to_lowercase(), dob))
            .or_default();
        let found = same.iter().copied().find(|&i| {
            let known = children[i].nhs_number;
            known.is_none() || nhs_number.is_none() || known == nhs_number
        });
        match found {
            Some(i) => {
                let child = &mut children[i];
                child.nhs_number = child.nhs_number.or(nhs_number);
                child.postcode = child.postcode.or(postcode);
            }
            None => {
                same.push(children.len());
                children.push(ChildReference {
                    id: children.len() as u64 + 1,
                    given_name: given.to_owned(),
                    family_name: family.to_owned(),
                    date_of_birth: dob,
                    postcode,
                    nhs_number,
                    school: ChildSchool::Unknown,
                    records: Vec::new(),
                });
            }
        }
    }

    // What Mavis checks on upload that this workbook cannot.
    not_checked.push(
        "Whether a row's child matches more than one of the patients Mavis holds: here each row \
         is compared only with the children in this workbook."
            .to_owned(),
    );
    let other_ids: Vec<String> = other_sessions.iter().map(|s| s.id.to_string()).collect();
    not_checked.push(if other_ids.is_empty() {
        format!(
            "Whether session {id} is one of your team's sessions this academic year, and each \
             date of vaccination one of its days: the workbook does not give the session's \
             dates, so any day of the {year} academic year is accepted here."
        )
    } else {
        format!(
            "Whether sessions {id}, {} are your team's sessions this academic year, and each \
             date of vaccination one of its session's days: the workbook does not give the \
             sessions' dates, so any day of the {year} academic year is accepted here.",
            other_ids.join(", ")
        )
    });
    if !records.is_empty() {
        not_checked.push(
            "Whether each UUID is a record Mavis holds, and a record with no SESSION_ID one from \
             the NHS Immunisations API: the workbook does not say where its records came from."
                .to_owned(),
        );
    }
    if without_session {
        not_checked.push(
            "Whether the programme of a row with no SESSION_ID is one your team runs: the \
             workbook names only this session's programmes."
                .to_owned(),
        );
    }
    if clinic_list.is_none() {
        not_checked.push(
            "Whether a CLINIC_NAME is one of your team's community clinics: the workbook lists \
             them only for a clinic session, so the clinic names its rows give are accepted here."
                .to_owned(),
        );
    }
    if !has_professionals {
        not_checked.push(format!(
            "Whether each email address is a Mavis user's: the workbook has no {PROFESSIONALS_SHEET} \
             sheet, so the addresses its rows give are accepted here."
        ));
    }
    let ods = match ods {
        Some(ods) => ods,
        None => {
            not_checked.push(
                "Whether ORGANISATION_CODE is your team's: no row of the workbook gives it."
                    .to_owned(),
            );
            OdsCode::parse("XXX").map_err(crate::Error::document)?
        }
    };

    Ok(WorkbookReference {
        document: SessionDocument {
            format_version: FORMAT_VERSION,
            team: Team {
                name: String::new(),
                ods_code: ods,
                upload_type: UploadType::PointOfCare,
                programmes: Programme::ALL.to_vec(),
                national_reporting_cut_off: None,
            },
            users,
            schools: Vec::new(),
            clinics: clinics.into_iter().map(|name| Clinic { name }).collect(),
            batches: Vec::new(),
            session,
            other_sessions,
            children,
        },
        records,
        not_checked_offline: not_checked,
        from_session_sheet: false,
        location_name,
        batch_numbers,
        vaccines,
        sites,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqrefs() {
        let cols: Vec<usize> = sqref_columns("AC2:AC3 $A$1 B5:D9 ZZZ1 ? 1:3", 30)
            .into_iter()
            .collect();
        assert_eq!(cols, [0, 1, 2, 3, 28]);
        assert!(sqref_columns("A1:XFD1048576", 3).len() == 3);
        assert!(sqref_columns("", 3).is_empty());
    }

    #[test]
    fn formulas() {
        let sheets = vec![(
            "Clinics".to_owned(),
            vec![
                vec!["NAME".to_owned()],
                vec!["Riverside Health Centre".to_owned()],
                vec![" Oakfield, East ".to_owned()],
            ],
        )];
        assert_eq!(formula_items("\"Y, N\"", &sheets), ["Y", "N"]);
        assert_eq!(formula_items("=\"a\"\"b, c\"", &sheets), ["a\"b", "c"]);
        assert_eq!(
            formula_items("'Clinics'!$A$2:$A$3", &sheets),
            ["Riverside Health Centre", "Oakfield, East"]
        );
        assert_eq!(formula_items("=Clinics!A2:A9", &sheets).len(), 2);
        // An empty list (`$A2:$A1`) offers the header word, which is no value.
        let empty = vec![("Clinics".to_owned(), vec![vec!["NAME".to_owned()]])];
        assert!(formula_items("'Clinics'!$A2:$A1", &empty).is_empty());
        assert!(formula_items("'Nowhere'!$A2:$A5", &sheets).is_empty());
        assert!(formula_items("'Clin''ics'!A2", &sheets).is_empty());
        assert!(formula_items("SUM(A1)", &sheets).is_empty());
        assert_eq!(
            split_sheet_reference("'It''s'!$A2"),
            Some(("It's".to_owned(), "$A2"))
        );
        assert_eq!(split_sheet_reference("'open"), None);
    }

    #[test]
    fn tallies_take_the_most_then_the_first() {
        let mut t = Tally::default();
        for v in ["b", "a", "", "a", "b", "c"] {
            t.add(v);
        }
        assert_eq!(t.most(), Some("b"));
        assert_eq!(Tally::default().most(), None);
    }

    #[test]
    fn dates_of_birth() {
        let d = NaiveDate::from_ymd_opt(2012, 11, 2);
        assert_eq!(parse_dob("02/11/2012"), d);
        assert_eq!(parse_dob("20121102"), d);
        assert_eq!(parse_dob("2012-11-02"), d);
        assert_eq!(parse_dob("2 Nov"), None);
    }
}
