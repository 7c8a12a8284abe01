//! Writing the offline session workbook with rust_xlsxwriter.

use std::collections::HashMap;
use std::io::Write;

use mavis_domain::chrono::{Datelike, NaiveDate};
use mavis_domain::{
    Gender, MmrVariant, Programme, ReasonNotVaccinated, SessionDocument, SessionLocation, Vaccine,
    SITE_TEXTS,
};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format,
    FormatBorder, Formula, ProtectionOptions, Workbook, Worksheet,
};

use crate::error::{Error, Result};
use crate::row::{CellValue, OfflineRow, RowFill, RowKind};
use crate::rows::RowBuilder;
use crate::session_sheet::{session_sheet_rows, SESSION_SHEET};
use mavis_domain::{Column, Dropdown, Layout};

/// The name of the visible sheet.
pub const VACCINATIONS_SHEET: &str = "Vaccinations";
/// The hidden sheet listing every user's email.
pub const PROFESSIONALS_SHEET: &str = "Performing Professionals";
/// The hidden sheet listing the suppliers' emails.
pub const SUPPLIERS_SHEET: &str = "Suppliers";
/// The hidden sheet of community clinics, used instead of an inline list
/// when the names do not fit one (a comma in a name, or over 255
/// characters in all).
pub const CLINICS_SHEET: &str = "Clinics";

/// The name of a programme's batch sheet: `hpv Batch Numbers`.
pub fn batch_sheet_name(programme: Programme) -> String {
    format!("{} Batch Numbers", programme.key())
}

const ERROR_MESSAGE: &str = "Please use the dropdown selector to choose the value";
const PROMPT: &str = "& Choose the value from the dropdown";
pub(crate) const DATE_FORMAT: &str = "dd/mm/yyyy";
const RED: u32 = 0x00F7_D4D1;
const AMBER: u32 = 0x00FF_DC8E;

/// What [`OfflineWorkbook::write`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteSummary {
    /// Data rows on the `Vaccinations` sheet (not counting the header).
    pub rows: usize,
    /// Data-validation entries on the `Vaccinations` sheet (each may cover
    /// many cells).
    pub validations: usize,
}

/// The offline session workbook of a session, as "Record offline"
/// downloads it (`offline-spreadsheet.md`).
///
/// Rows are built and written one at a time (rust_xlsxwriter's low-memory
/// mode), and identical dropdowns over neighbouring rows are merged into one
/// data-validation entry, which spreadsheet programs treat alike and open
/// far faster.
///
/// # Examples
///
/// ```
/// use mavis_domain::chrono::NaiveDate;
/// use mavis_demo::{self as demo, DemoOptions};
/// use mavis_sheet::OfflineWorkbook;
///
/// let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
/// let doc = demo::session(&DemoOptions { children: 10, ..DemoOptions::new(today) });
/// let mut bytes = Vec::new();
/// let summary = OfflineWorkbook::new(&doc, today).write(&mut bytes)?;
/// assert!(summary.rows >= 10);
/// assert_eq!(&bytes[..2], b"PK"); // a zip container
/// # Ok::<(), mavis_sheet::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct OfflineWorkbook<'a> {
    doc: &'a SessionDocument,
    today: NaiveDate,
    session_sheet: bool,
}

impl<'a> OfflineWorkbook<'a> {
    /// The workbook of `doc` as exported on `today` (which decides the
    /// batches offered and the file's creation date).
    pub fn new(doc: &'a SessionDocument, today: NaiveDate) -> OfflineWorkbook<'a> {
        OfflineWorkbook {
            doc,
            today,
            session_sheet: true,
        }
    }

    /// The workbook exactly as Mavis's **Record offline** download lays it
    /// out: without the hidden `Session` sheet this tool adds, so that its
    /// copies are checked and merged from what Mavis's own workbook holds.
    ///
    /// ```
    /// use mavis_domain::chrono::NaiveDate;
    /// use mavis_demo::{self as demo, DemoOptions};
    /// use mavis_sheet::{read_sheet_rows, OfflineWorkbook, SESSION_SHEET};
    ///
    /// let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
    /// let doc = demo::session(&DemoOptions { children: 4, ..DemoOptions::new(today) });
    /// let bytes = OfflineWorkbook::new(&doc, today).as_mavis_downloads_it().to_bytes()?;
    /// assert!(read_sheet_rows(&bytes, "download.xlsx", SESSION_SHEET)?.is_none());
    /// # Ok::<(), mavis_sheet::Error>(())
    /// ```
    #[must_use]
    pub fn as_mavis_downloads_it(mut self) -> OfflineWorkbook<'a> {
        self.session_sheet = false;
        self
    }

    /// The name Mavis gives the download: `Riverside Academy (141234) -
    /// exported on 15 October 2025.xlsx`.
    pub fn file_name(&self) -> String {
        let doc = self.doc;
        let date = format!(
            "{} {} {}",
            self.today.day(),
            self.today.format("%B"),
            self.today.year()
        );
        match (&doc.session.location, doc.session_school()) {
            (SessionLocation::School { .. }, Some(school)) => format!(
                "{} ({}) - exported on {date}.xlsx",
                school.name,
                school.urn_and_site()
            ),
            _ => format!("{} - exported on {date}.xlsx", doc.location_name()),
        }
    }

    /// Write the workbook to `out`.
    ///
    /// # Errors
    ///
    /// [`crate::ErrorKind::Document`] when the session document is not
    /// consistent, [`crate::ErrorKind::Xlsx`] when the workbook cannot be
    /// built or written.
    pub fn write<W: Write + Send>(&self, out: W) -> Result<WriteSummary> {
        self.doc.check_first().map_err(Error::document)?;
        let mut workbook = Workbook::new();
        let creation = ExcelDateTime::from_ymd(
            u16::try_from(self.today.year()).map_err(|_| Error::xlsx_msg("year out of range"))?,
            u8::try_from(self.today.month()).expect("month"),
            u8::try_from(self.today.day()).expect("day"),
        )
        .map_err(Error::xlsx)?;
        workbook.set_properties(&DocProperties::new().set_creation_datetime(&creation));

        let builder = RowBuilder::new(self.doc);
        let layout = builder.layout();
        let formats = Formats::new();
        let mut validations = Validations::default();
        let mut widths: Vec<usize> = layout.columns().map(|c| c.header().len()).collect();
        let mut record_batches: HashMap<Programme, Vec<String>> = HashMap::new();
        let mut rows = 0usize;

        {
            let sheet = workbook
                .add_worksheet_with_low_memory()
                .map_err(Error::xlsx)?;
            sheet.set_name(VACCINATIONS_SHEET).map_err(Error::xlsx)?;
            for (i, column) in layout.columns().enumerate() {
                sheet
                    .write_string(0, col(i), column.header())
                    .map_err(Error::xlsx)?;
            }
            let mut profiles: HashMap<ProfileKey, Vec<usize>> = HashMap::new();
            for row in builder.rows() {
                rows += 1;
                let r = u32::try_from(rows).map_err(|_| Error::too_many_rows(rows))?;
                write_row(sheet, r, &row, layout, &formats, &mut widths)?;
                if row.kind == RowKind::ExistingRecord {
                    if let CellValue::Text(b) = row.get(layout, Column::BatchNumber) {
                        let list = record_batches.entry(row.programme).or_default();
                        if !list.contains(b) {
                            list.push(b.clone());
                        }
                    }
                }
                let key = ProfileKey::of(&row);
                let ids = profiles
                    .entry(key)
                    .or_insert_with(|| validations.profile(key, layout, self.doc));
                for id in ids.iter() {
                    validations.add(*id, r);
                }
            }
        }

        // The reference sheets, hidden and protected.
        let emails: Vec<&str> = self.doc.users.iter().map(|u| u.email.as_str()).collect();
        add_list_sheet(&mut workbook, PROFESSIONALS_SHEET, "EMAIL", &emails)?;
        let suppliers: Vec<&str> = self.doc.suppliers().map(|u| u.email.as_str()).collect();
        add_list_sheet(&mut workbook, SUPPLIERS_SHEET, "EMAIL", &suppliers)?;
        let mut batch_counts: HashMap<Programme, (usize, usize)> = HashMap::new();
        for programme in self.doc.session.programmes_in_order() {
            let mut numbers: Vec<&str> = self
                .doc
                .offered_batches(programme, self.today)
                .into_iter()
                .map(|b| b.number.as_str())
                .collect();
            let offered = numbers.len();
            // An existing record's own batch stays valid on its row: such
            // batches follow the offered ones, and only existing-record rows'
            // lists reach them.
            let extra = record_batches.get(&programme);
            for b in extra.into_iter().flatten() {
                if !numbers.contains(&b.as_str()) {
                    numbers.push(b);
                }
            }
            batch_counts.insert(programme, (offered, numbers.len()));
            add_list_sheet(
                &mut workbook,
                &batch_sheet_name(programme),
                "NUMBER",
                &numbers,
            )?;
        }
        let clinic_names: Vec<&str> = self.doc.clinics.iter().map(|c| c.name.as_str()).collect();
        let clinics_on_sheet = validations.uses_clinics_sheet();
        if clinics_on_sheet {
            add_list_sheet(&mut workbook, CLINICS_SHEET, "NAME", &clinic_names)?;
        }
        if self.session_sheet {
            let sheet = workbook.add_worksheet();
            sheet.set_name(SESSION_SHEET).map_err(Error::xlsx)?;
            for (r, fields) in session_sheet_rows(self.doc, self.today).iter().enumerate() {
                for (c, value) in fields.iter().enumerate() {
                    sheet
                        .write_string(u32::try_from(r).expect("few rows"), col(c), value.as_str())
                        .map_err(Error::xlsx)?;
                }
            }
            hide_and_protect(sheet);
        }

        // Back to the Vaccinations sheet: dropdowns, widths, panes.
        let counts = ReferenceCounts {
            professionals: emails.len(),
            suppliers: suppliers.len(),
            batches: batch_counts,
            clinics: clinic_names.len(),
        };
        let sheet = workbook.worksheet_from_index(0).map_err(Error::xlsx)?;
        let written = validations.apply(sheet, &counts)?;
        for (i, w) in widths.iter().enumerate() {
            let width = (*w).clamp(8, 60) as f64 + 2.0;
            sheet.set_column_width(col(i), width).map_err(Error::xlsx)?;
        }
        sheet.set_freeze_panes(1, 2).map_err(Error::xlsx)?;
        sheet.set_active(true);

        workbook.save_to_writer(out).map_err(Error::xlsx)?;
        Ok(WriteSummary {
            rows,
            validations: written,
        })
    }

    /// The workbook as bytes.
    ///
    /// # Errors
    ///
    /// As [`OfflineWorkbook::write`].
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.write(&mut out)?;
        Ok(out)
    }
}

fn col(i: usize) -> u16 {
    u16::try_from(i).expect("fewer than 65536 columns")
}

/// Write one data row, keeping the widest text of each column.
fn write_row(
    sheet: &mut Worksheet,
    r: u32,
    row: &OfflineRow,
    layout: Layout,
    formats: &Formats,
    widths: &mut [usize],
) -> Result<()> {
    for (i, (column, value)) in layout.columns().zip(&row.cells).enumerate() {
        let c = col(i);
        let kind = if column == Column::HealthQuestionAnswers {
            CellKind::Wrap
        } else {
            match value {
                CellValue::Date(_) | CellValue::DateNoValue => CellKind::Date,
                _ => CellKind::Plain,
            }
        };
        let format = formats.get(row.fill, row.strike, kind);
        match value {
            CellValue::Text(s) => {
                let width = s.lines().map(|l| l.chars().count()).max().unwrap_or(0);
                widths[i] = widths[i].max(width);
                sheet.write_string_with_format(r, c, s.as_str(), format)
            }
            CellValue::EmptyText | CellValue::NoValue | CellValue::DateNoValue => {
                sheet.write_blank(r, c, format)
            }
            CellValue::Date(d) => {
                widths[i] = widths[i].max(10);
                sheet.write_number_with_format(r, c, date_serial(*d), format)
            }
            CellValue::Integer(n) => {
                #[allow(clippy::cast_precision_loss)] // ids and counts are far below 2^53
                let n = *n as f64;
                sheet.write_number_with_format(r, c, n, format)
            }
        }
        .map_err(Error::xlsx)?;
    }
    Ok(())
}

/// The 1900-system serial of a date: days since 30 December 1899.
pub fn date_serial(date: NaiveDate) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date");
    #[allow(clippy::cast_precision_loss)] // a few million days at most
    let days = (date - epoch).num_days() as f64;
    days
}

fn add_list_sheet(
    workbook: &mut Workbook,
    name: &str,
    header: &str,
    values: &[&str],
) -> Result<()> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(name).map_err(Error::xlsx)?;
    sheet.write_string(0, 0, header).map_err(Error::xlsx)?;
    for (i, v) in values.iter().enumerate() {
        let r = u32::try_from(i + 1).map_err(|_| Error::too_many_rows(i))?;
        sheet.write_string(r, 0, *v).map_err(Error::xlsx)?;
    }
    let width = values.iter().map(|v| v.chars().count()).max().unwrap_or(0);
    #[allow(clippy::cast_precision_loss)]
    let width = width.clamp(8, 60) as f64 + 2.0;
    sheet.set_column_width(0, width).map_err(Error::xlsx)?;
    hide_and_protect(sheet);
    Ok(())
}

/// Hidden, and locked with the flags of `offline-spreadsheet.md` §2: objects
/// and scenarios editable, selection of locked and unlocked cells allowed,
/// everything else locked; no password.
fn hide_and_protect(sheet: &mut Worksheet) {
    sheet.set_hidden(true);
    let options = ProtectionOptions {
        edit_objects: true,
        edit_scenarios: true,
        ..ProtectionOptions::default()
    };
    sheet.protect_with_options(&options);
}

#[derive(Debug, Clone, Copy)]
enum CellKind {
    Plain,
    Date,
    Wrap,
}

/// The 18 cell formats: 3 fills × strike or not × plain, date or wrapped.
struct Formats {
    formats: Vec<Format>,
}

impl Formats {
    fn new() -> Formats {
        let mut formats = Vec::with_capacity(18);
        for fill in [None, Some(RED), Some(AMBER)] {
            for strike in [false, true] {
                for kind in [CellKind::Plain, CellKind::Date, CellKind::Wrap] {
                    let mut f = Format::new()
                        .set_border(FormatBorder::Thin)
                        .set_border_color(Color::RGB(0));
                    if let Some(rgb) = fill {
                        f = f.set_background_color(Color::RGB(rgb));
                    }
                    if strike {
                        f = f.set_font_strikethrough();
                    }
                    f = match kind {
                        CellKind::Plain => f,
                        CellKind::Date => f.set_num_format(DATE_FORMAT),
                        CellKind::Wrap => f.set_text_wrap(),
                    };
                    formats.push(f);
                }
            }
        }
        Formats { formats }
    }

    fn get(&self, fill: RowFill, strike: bool, kind: CellKind) -> &Format {
        let fill = match fill {
            RowFill::None => 0,
            RowFill::ConsentRefused => 1,
            RowFill::ConflictingConsent => 2,
        };
        let kind = match kind {
            CellKind::Plain => 0,
            CellKind::Date => 1,
            CellKind::Wrap => 2,
        };
        &self.formats[fill * 6 + usize::from(strike) * 3 + kind]
    }
}

/// What decides a row's dropdowns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct ProfileKey {
    programme: Programme,
    variant: Option<MmrVariant>,
    kind: RowKind,
    clinic: bool,
}

impl ProfileKey {
    fn of(row: &OfflineRow) -> ProfileKey {
        ProfileKey {
            programme: row.programme,
            variant: row.variant,
            kind: row.kind,
            clinic: row.clinic_dropdown,
        }
    }
}

/// Where a dropdown's items come from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum ListSource {
    /// An inline list, the items joined with comma space.
    Inline(String),
    Professionals,
    Suppliers,
    /// A programme's batch sheet; `true` reaches the batches of existing
    /// records too.
    Batches(Programme, bool),
    ClinicsSheet,
}

#[derive(Debug, Default)]
struct Validations {
    rules: Vec<(u16, ListSource)>,
    index: HashMap<(u16, ListSource), usize>,
    /// Per rule, the runs of consecutive rows it covers.
    ranges: Vec<Vec<(u32, u32)>>,
}

struct ReferenceCounts {
    professionals: usize,
    suppliers: usize,
    batches: HashMap<Programme, (usize, usize)>,
    clinics: usize,
}

impl Validations {
    fn id(&mut self, column: u16, source: ListSource) -> usize {
        let key = (column, source);
        if let Some(id) = self.index.get(&key) {
            return *id;
        }
        let id = self.rules.len();
        self.rules.push(key.clone());
        self.index.insert(key, id);
        self.ranges.push(Vec::new());
        id
    }

    /// The rules of every row with this key: one per column of the layout
    /// whose [`Dropdown`] gives a list for the row.
    fn profile(&mut self, key: ProfileKey, layout: Layout, doc: &SessionDocument) -> Vec<usize> {
        let mut ids = Vec::new();
        for (i, column) in layout.columns().enumerate() {
            if let Some(source) = list_source(column.dropdown(), key, doc) {
                let c = u16::try_from(i).expect("few columns");
                ids.push(self.id(c, source));
            }
        }
        ids
    }

    fn add(&mut self, id: usize, row: u32) {
        let runs = &mut self.ranges[id];
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == row => *last = row,
            _ => runs.push((row, row)),
        }
    }

    fn uses_clinics_sheet(&self) -> bool {
        self.rules
            .iter()
            .zip(&self.ranges)
            .any(|((_, s), r)| *s == ListSource::ClinicsSheet && !r.is_empty())
    }

    /// Add one data-validation entry per rule, over all its runs of rows.
    fn apply(&self, sheet: &mut Worksheet, counts: &ReferenceCounts) -> Result<usize> {
        let mut written = 0;
        for ((column, source), runs) in self.rules.iter().zip(&self.ranges) {
            let Some(&(first, _)) = runs.first() else {
                continue;
            };
            let formula = match source {
                ListSource::Inline(list) => list.clone(),
                ListSource::Professionals => {
                    range_formula(PROFESSIONALS_SHEET, counts.professionals)
                }
                ListSource::Suppliers => range_formula(SUPPLIERS_SHEET, counts.suppliers),
                ListSource::Batches(p, with_records) => {
                    let (offered, all) = counts.batches.get(p).copied().unwrap_or((0, 0));
                    let n = if *with_records { all } else { offered };
                    range_formula(&batch_sheet_name(*p), n)
                }
                ListSource::ClinicsSheet => range_formula(CLINICS_SHEET, counts.clinics),
            };
            let letter = mavis_domain::column_letter(u32::from(*column));
            let sqref: Vec<String> = runs
                .iter()
                .map(|(a, b)| {
                    if a == b {
                        format!("{letter}{}", a + 1)
                    } else {
                        format!("{letter}{}:{letter}{}", a + 1, b + 1)
                    }
                })
                .collect();
            let validation = DataValidation::new()
                .allow_list_formula(Formula::new(formula))
                .set_error_style(DataValidationErrorStyle::Stop)
                .set_error_message(ERROR_MESSAGE)
                .map_err(Error::xlsx)?
                .set_input_message(PROMPT)
                .map_err(Error::xlsx)?
                .set_multi_range(sqref.join(" "));
            sheet
                .add_data_validation(first, *column, first, *column, &validation)
                .map_err(Error::xlsx)?;
            written += 1;
        }
        Ok(written)
    }
}

/// An inline list formula: the items in double quotes, joined with comma
/// space, as Mavis writes them: `"Y, N"`.
fn inline<'s>(items: impl IntoIterator<Item = &'s str>) -> ListSource {
    let joined: Vec<String> = items.into_iter().map(|s| s.replace('"', "\"\"")).collect();
    ListSource::Inline(format!("\"{}\"", joined.join(", ")))
}

/// The community clinics as an inline list, or on the `Clinics` sheet when
/// a name has a comma or the list is over Excel's 255 characters.
/// The list a column's [`Dropdown`] offers in rows with this key, if any.
fn list_source(dropdown: Dropdown, key: ProfileKey, doc: &SessionDocument) -> Option<ListSource> {
    Some(match dropdown {
        Dropdown::Free => return None,
        Dropdown::Clinics if !key.clinic => return None,
        Dropdown::Clinics => clinic_source(doc),
        Dropdown::CareSettings => inline(["1", "2"]),
        Dropdown::Genders => inline(Gender::ALL.map(Gender::code)),
        Dropdown::YesNo => inline(["Y", "N"]),
        Dropdown::Vaccines => {
            let vaccines: Vec<&str> = Vaccine::active_for(key.programme, key.variant)
                .map(Vaccine::upload_name)
                .collect();
            if vaccines.is_empty() {
                return None;
            }
            inline(vaccines)
        }
        Dropdown::Professionals => ListSource::Professionals,
        Dropdown::Suppliers => ListSource::Suppliers,
        Dropdown::Batches => {
            ListSource::Batches(key.programme, key.kind == RowKind::ExistingRecord)
        }
        Dropdown::Sites => inline(SITE_TEXTS.map(|(t, _)| t)),
        Dropdown::Reasons => inline(ReasonNotVaccinated::MAVIS.map(ReasonNotVaccinated::text)),
    })
}

fn clinic_source(doc: &SessionDocument) -> ListSource {
    let names: Vec<&str> = doc.clinics.iter().map(|c| c.name.as_str()).collect();
    let joined_len: usize = names
        .iter()
        .map(|n| n.encode_utf16().count())
        .sum::<usize>()
        + 2 * names.len().saturating_sub(1);
    if names.iter().any(|n| n.contains(',') || n.contains('"')) || joined_len > 255 {
        ListSource::ClinicsSheet
    } else {
        inline(names)
    }
}

/// A list over column A of a reference sheet, rows 2 to n + 1, with
/// absolute rows so that one entry can cover many rows. With no values it
/// is `$A$2:$A$1`, the shape Mavis writes.
fn range_formula(sheet: &str, n: usize) -> String {
    format!("'{}'!$A$2:$A${}", sheet.replace('\'', "''"), n + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas() {
        assert_eq!(inline(["Y", "N"]), ListSource::Inline("\"Y, N\"".into()));
        assert_eq!(range_formula("Suppliers", 2), "'Suppliers'!$A$2:$A$3");
        assert_eq!(range_formula("Suppliers", 0), "'Suppliers'!$A$2:$A$1");
        assert_eq!(range_formula("O'Brien", 1), "'O''Brien'!$A$2:$A$2");
        let ListSource::Inline(sites) = inline(SITE_TEXTS.map(|(t, _)| t)) else {
            unreachable!()
        };
        assert_eq!(sites.len(), 231 + 2, "231 characters inside the quotes");
    }

    #[test]
    fn serials() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert!((date_serial(d(2025, 3, 13)) - 45729.0).abs() < f64::EPSILON);
        assert!((date_serial(d(1900, 3, 1)) - 61.0).abs() < f64::EPSILON);
    }

    #[test]
    fn runs_merge() {
        let mut v = Validations::default();
        let id = v.id(3, ListSource::Suppliers);
        for r in [1, 2, 3, 5, 6, 9] {
            v.add(id, r);
        }
        assert_eq!(v.ranges[id], [(1, 3), (5, 6), (9, 9)]);
        assert_eq!(v.id(3, ListSource::Suppliers), id);
    }
}
