//! Typing values into a workbook's cells, as a nurse does in her copy:
//! the rest of the workbook (styles, dropdowns, hidden sheets) is kept
//! byte for byte.

use std::collections::BTreeMap;

use mavis_domain::chrono::NaiveDate;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

use crate::error::Result;
use crate::package::PackageError;
use crate::writer::date_serial;
use crate::xml::XmlError;
use crate::xml_patch::{attr, grow_dimension, reference, split_reference};

/// A value typed into a cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// Text, stored as an inline string.
    Text(String),
    /// A number, as a spreadsheet stores whatever looks like one (`20251014`
    /// typed into a date cell becomes this).
    Number(f64),
    /// A date, stored as its serial: the cell's own format shows it.
    Date(NaiveDate),
    /// A time of day, stored as a fraction of a day.
    Time(u32, u32, u32),
    /// TRUE or FALSE.
    Bool(bool),
    /// An error value such as `#N/A`, as a broken formula leaves it.
    Error(String),
    /// The cell emptied (its style kept).
    Blank,
}

/// One cell to set: the row number as the spreadsheet shows it (the header
/// is row 1) and the column index (0 for A).
#[derive(Debug, Clone, PartialEq)]
pub struct CellEdit {
    /// Row number, 1-based.
    pub row: u32,
    /// Column index, 0-based.
    pub column: u32,
    /// What to type.
    pub entry: Entry,
}

impl CellEdit {
    /// An edit of the cell at `row` (1-based) and `column` (0-based).
    pub fn new(row: u32, column: u32, entry: Entry) -> CellEdit {
        CellEdit { row, column, entry }
    }
}

/// Set cells of one sheet of a workbook and return the new workbook;
/// `file` is the workbook's name as the user knows it, for messages.
/// Existing cells keep their style; missing cells and rows are added in
/// order, so a nurse's added row is possible too.
///
/// # Errors
///
/// [`ErrorKind::NotAWorkbook`](crate::ErrorKind::NotAWorkbook), naming
/// `file`, when the bytes are not a workbook or have no such sheet.
///
/// # Examples
///
/// ```
/// use mavis_domain::chrono::NaiveDate;
/// use mavis_demo::{self as demo, DemoOptions};
/// use mavis_sheet::{edit_sheet, read_bytes, CellEdit, Entry, OfflineWorkbook};
///
/// let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
/// let doc = demo::session(&DemoOptions { children: 3, ..DemoOptions::new(today) });
/// let base = OfflineWorkbook::new(&doc, today).to_bytes()?;
/// let copy = edit_sheet(&base, "nurse-a.xlsx", "Vaccinations", &[
///     CellEdit::new(2, 24, Entry::Text("Y".into())),      // VACCINATED
///     CellEdit::new(2, 25, Entry::Number(20251015.0)),    // typed YYYYMMDD
/// ])?;
/// let table = read_bytes(&copy, "nurse-a.xlsx")?;
/// assert_eq!(table.rows[0].get(24), "Y");
/// assert_eq!(table.rows[0].get(25), "20251015");
///
/// let err = edit_sheet(b"not a zip", "nurse-a.xlsx", "Vaccinations", &[]).unwrap_err();
/// assert!(err.to_string().starts_with("nurse-a.xlsx: this is not an Excel workbook"), "{err}");
/// # Ok::<(), mavis_sheet::Error>(())
/// ```
pub fn edit_sheet(bytes: &[u8], file: &str, sheet: &str, edits: &[CellEdit]) -> Result<Vec<u8>> {
    crate::package::patch(bytes, file, |package| {
        let part = package.sheet_part(sheet)?;
        let xml = package.required(&part)?;
        let patched = patch_sheet_xml(&xml, edits).map_err(PackageError::part(&part))?;
        package.replace(part, patched);
        Ok(())
    })
}

/// The entry the tool writes for a value of a column of the offline sheet,
/// in canonical form, so that a spreadsheet program shows it, and saves it
/// as CSV, as Mavis accepts it: a date in any form the sheet may hold it
/// (`dd/mm/yyyy`, `YYYYMMDD`, `YYYY-MM-DD`) as a real date cell; whole
/// numbers in the number columns (`DOSE_SEQUENCE`, `SESSION_ID`,
/// `CARE_SETTING`, `YEAR_GROUP`) as numbers; everything else as text (an
/// NHS number stays text); an empty value as a blank.
///
/// # Examples
///
/// ```
/// use mavis_domain::chrono::NaiveDate;
/// use mavis_sheet::{canonical_entry, Column, Entry};
///
/// let day = Entry::Date(NaiveDate::from_ymd_opt(2025, 10, 15).unwrap());
/// assert_eq!(canonical_entry(Some(Column::DateOfVaccination), "15/10/2025"), day);
/// assert_eq!(canonical_entry(Some(Column::DateOfVaccination), "20251015"), day);
/// assert_eq!(canonical_entry(Some(Column::DoseSequence), "2"), Entry::Number(2.0));
/// assert_eq!(canonical_entry(Some(Column::NhsNumber), "9449306168"), Entry::Text("9449306168".into()));
/// assert_eq!(canonical_entry(None, ""), Entry::Blank);
/// // A cell that held only an error stays an error (the check reports it).
/// let error = canonical_entry(Some(Column::DateOfVaccination), "#VALUE!");
/// assert_eq!(error, Entry::Error("#VALUE!".into()));
/// ```
pub fn canonical_entry(column: Option<mavis_domain::Column>, value: &str) -> Entry {
    use mavis_domain::Column;
    if value.is_empty() {
        return Entry::Blank;
    }
    // A cell that held no value, only an error (`#VALUE!` where a program
    // could not keep a date): it stays an error, and is reported.
    if ERROR_CODES.contains(&value) {
        return Entry::Error(value.to_owned());
    }
    let digits = !value.is_empty() && value.len() <= 9 && value.bytes().all(|b| b.is_ascii_digit());
    match column {
        // A date in any form a nurse entered it (typed `YYYYMMDD`, typed
        // as text, picked) is written as a real date cell, which every
        // spreadsheet program shows, and saves as CSV, as dd/mm/yyyy: the
        // number 20,261,201 in a date cell would show as `####` (`#FMT` in
        // LibreOffice), and be saved so.
        Some(c) if c.is_date() => match mavis_domain::date_in_sheet_form(value) {
            Some(d) => Entry::Date(d),
            None => Entry::Text(value.to_owned()),
        },
        Some(
            Column::DoseSequence | Column::SessionId | Column::CareSetting | Column::YearGroup,
        ) if digits && !(value.len() > 1 && value.starts_with('0')) => {
            Entry::Number(value.parse().unwrap_or_default())
        }
        _ => Entry::Text(value.to_owned()),
    }
}

/// The error values a cell may hold instead of a value, as spreadsheet
/// programs write them.
const ERROR_CODES: [&str; 8] = [
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
];

/// The column of the offline sheet each header names, if it names one.
pub(crate) fn columns_of(headers: &[mavis_domain::Header]) -> Vec<Option<mavis_domain::Column>> {
    headers
        .iter()
        .map(|h| mavis_domain::Column::named(&h.key))
        .collect()
}

/// Edits as the tool writes them: each entry in canonical form for its
/// column (see [`canonical_entry`]) under `headers`, whatever form it was
/// typed in (a `YYYYMMDD` number, a date as text, a picked date), so that
/// a resolution written into the merged workbook shows, and saves as CSV,
/// as Mavis reads it.
///
/// # Examples
///
/// ```
/// use mavis_domain::{chrono::NaiveDate, header_key, Header};
/// use mavis_sheet::{canonical_edits, CellEdit, Entry};
///
/// let headers: Vec<Header> = ["VACCINATED", "DATE_OF_VACCINATION"]
///     .iter()
///     .map(|h| Header { text: h.to_string(), key: header_key(h) })
///     .collect();
/// let typed = [
///     CellEdit::new(2, 0, Entry::Text("Y".into())),
///     CellEdit::new(2, 1, Entry::Number(20261201.0)),
/// ];
/// let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
/// assert_eq!(canonical_edits(&headers, &typed)[1].entry, Entry::Date(day));
/// ```
pub fn canonical_edits(headers: &[mavis_domain::Header], edits: &[CellEdit]) -> Vec<CellEdit> {
    let columns = columns_of(headers);
    edits
        .iter()
        .map(|e| {
            let column = usize::try_from(e.column)
                .ok()
                .and_then(|c| columns.get(c).copied().flatten());
            let text = match &e.entry {
                Entry::Text(t) => t.clone(),
                Entry::Number(n) => n.to_string(),
                Entry::Date(d) => d.format("%d/%m/%Y").to_string(),
                Entry::Time(h, m, s) => format!("{h:02}:{m:02}:{s:02}"),
                Entry::Bool(_) | Entry::Error(_) | Entry::Blank => return e.clone(),
            };
            CellEdit::new(e.row, e.column, canonical_entry(column, &text))
        })
        .collect()
}

/// Write cells of a table (the merged sheet) into a workbook's sheet, each
/// as [`canonical_entry`] says; `file` names the workbook in messages.
///
/// # Errors
///
/// As [`edit_sheet`].
pub fn write_table_cells(
    bytes: &[u8],
    file: &str,
    sheet: &str,
    table: &mavis_domain::Table,
    cells: &[(u32, usize)],
) -> Result<Vec<u8>> {
    let columns = columns_of(&table.headers);
    let by_number: std::collections::HashMap<u32, &mavis_domain::TextRow> =
        table.rows.iter().map(|r| (r.row, r)).collect();
    let edits: Vec<CellEdit> = cells
        .iter()
        .filter_map(|&(row, column)| {
            let r = by_number.get(&row)?;
            Some(CellEdit::new(
                row,
                u32::try_from(column).ok()?,
                canonical_entry(columns.get(column).copied().flatten(), r.get(column)),
            ))
        })
        .collect();
    edit_sheet(bytes, file, sheet, &edits)
}

/// Rewrite a worksheet's XML with the edits applied.
fn patch_sheet_xml(xml: &str, edits: &[CellEdit]) -> std::result::Result<String, XmlError> {
    // In cell order; of two edits of one cell, the later wins.
    let mut pending: Vec<&CellEdit> = edits.iter().rev().collect();
    pending.sort_by_key(|e| (e.row, e.column));
    pending.dedup_by_key(|e| (e.row, e.column));
    let max_row = pending.last().map_or(0, |e| e.row);
    let max_col = pending.iter().map(|e| e.column).max().unwrap_or(0);
    let mut next = 0usize; // index of the next pending edit

    let mut reader = Reader::from_str(xml);
    let mut writer = Writer::new(Vec::new());
    let mut current_row: Option<u32> = None;
    let mut skip_depth = 0usize; // inside a replaced <c>
                                 // The style of the last cell seen in each column: a date typed into a
                                 // cell that was not there (an added row) takes it, as a spreadsheet
                                 // program gives a new row the format of the one above, so that it
                                 // shows as a date, not as its serial.
    let mut column_styles: BTreeMap<u32, String> = BTreeMap::new();
    loop {
        let event = reader.read_event()?;
        if skip_depth > 0 {
            match event {
                Event::Start(_) => skip_depth += 1,
                Event::End(_) => skip_depth -= 1,
                Event::Eof => return Err(XmlError::Missing("end of a cell")),
                _ => {}
            }
            continue;
        }
        match &event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "dimension" => {
                let mut el = BytesStart::new("dimension");
                let current = attr(e, "ref").unwrap_or_else(|| "A1".to_owned());
                el.push_attribute(("ref", grow_dimension(&current, max_row, max_col).as_str()));
                writer.write_event(Event::Empty(el))?;
                continue;
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "row" => {
                let r: u32 = attr(e, "r").and_then(|v| v.parse().ok()).unwrap_or(0);
                // Whole rows to add before this one.
                while next < pending.len() && pending[next].row < r {
                    next = write_new_row(&mut writer, &pending, next, &column_styles)?;
                }
                current_row = Some(r);
                if matches!(event, Event::Empty(_)) {
                    // An empty row element: give it its edits.
                    let mut el = e.to_owned();
                    el.clear_attributes();
                    for a in e.attributes().flatten() {
                        el.push_attribute(a);
                    }
                    writer.write_event(Event::Start(el))?;
                    next = write_row_edits(&mut writer, &pending, next, r, &column_styles)?;
                    writer.write_event(Event::End(BytesEnd::new("row")))?;
                    current_row = None;
                    continue;
                }
            }
            Event::End(e) if e.local_name().as_ref() == "row" => {
                if let Some(r) = current_row {
                    next = write_row_edits(&mut writer, &pending, next, r, &column_styles)?;
                }
                current_row = None;
            }
            Event::End(e) if e.local_name().as_ref() == "sheetData" => {
                while next < pending.len() {
                    next = write_new_row(&mut writer, &pending, next, &column_styles)?;
                }
            }
            Event::Empty(e) if e.local_name().as_ref() == "sheetData" => {
                writer.write_event(Event::Start(BytesStart::new("sheetData")))?;
                while next < pending.len() {
                    next = write_new_row(&mut writer, &pending, next, &column_styles)?;
                }
                writer.write_event(Event::End(BytesEnd::new("sheetData")))?;
                continue;
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "c" => {
                if let (Some(r), Some((_, col))) =
                    (current_row, attr(e, "r").and_then(|v| split_reference(&v)))
                {
                    if let Some(style) = attr(e, "s") {
                        column_styles.insert(col, style);
                    }
                    while next < pending.len()
                        && pending[next].row == r
                        && pending[next].column < col
                    {
                        write_cell(
                            &mut writer,
                            pending[next],
                            added_style(pending[next], &column_styles),
                        )?;
                        next += 1;
                    }
                    if next < pending.len() && pending[next].row == r && pending[next].column == col
                    {
                        write_cell(&mut writer, pending[next], attr(e, "s").as_deref())?;
                        next += 1;
                        if matches!(event, Event::Start(_)) {
                            skip_depth = 1;
                        }
                        continue;
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        writer.write_event(event)?;
    }
    String::from_utf8(writer.into_inner()).map_err(|e| XmlError::Syntax(e.utf8_error().into()))
}

/// The style a cell that was not there takes: for a date, the last style
/// seen in its column.
fn added_style<'s>(edit: &CellEdit, column_styles: &'s BTreeMap<u32, String>) -> Option<&'s str> {
    match edit.entry {
        Entry::Date(_) => column_styles.get(&edit.column).map(String::as_str),
        _ => None,
    }
}

fn write_new_row(
    writer: &mut Writer<Vec<u8>>,
    pending: &[&CellEdit],
    mut next: usize,
    column_styles: &BTreeMap<u32, String>,
) -> std::result::Result<usize, XmlError> {
    let r = pending[next].row;
    let mut row = BytesStart::new("row");
    row.push_attribute(("r", r.to_string().as_str()));
    writer.write_event(Event::Start(row))?;
    next = write_row_edits(writer, pending, next, r, column_styles)?;
    writer.write_event(Event::End(BytesEnd::new("row")))?;
    Ok(next)
}

/// Write the pending edits of row `r` from `next` on; returns the index of
/// the first edit of a later row.
fn write_row_edits(
    writer: &mut Writer<Vec<u8>>,
    pending: &[&CellEdit],
    mut next: usize,
    r: u32,
    column_styles: &BTreeMap<u32, String>,
) -> std::result::Result<usize, XmlError> {
    while next < pending.len() && pending[next].row == r {
        write_cell(
            writer,
            pending[next],
            added_style(pending[next], column_styles),
        )?;
        next += 1;
    }
    Ok(next)
}

fn write_cell(
    writer: &mut Writer<Vec<u8>>,
    edit: &CellEdit,
    style: Option<&str>,
) -> std::result::Result<(), XmlError> {
    let err = XmlError::from;
    let reference = reference(edit.row, edit.column);
    let mut c = BytesStart::new("c");
    c.push_attribute(("r", reference.as_str()));
    if let Some(s) = style {
        c.push_attribute(("s", s));
    }
    let value = |w: &mut Writer<Vec<u8>>, c: BytesStart<'_>, v: &str| -> std::io::Result<()> {
        w.write_event(Event::Start(c))?;
        w.write_event(Event::Start(BytesStart::new("v")))?;
        w.write_event(Event::Text(BytesText::new(v)))?;
        w.write_event(Event::End(BytesEnd::new("v")))?;
        w.write_event(Event::End(BytesEnd::new("c")))
    };
    match &edit.entry {
        Entry::Blank => writer.write_event(Event::Empty(c)).map_err(err),
        Entry::Text(t) => {
            c.push_attribute(("t", "inlineStr"));
            writer.write_event(Event::Start(c)).map_err(err)?;
            writer
                .write_event(Event::Start(BytesStart::new("is")))
                .map_err(err)?;
            let mut t_el = BytesStart::new("t");
            t_el.push_attribute(("xml:space", "preserve"));
            writer.write_event(Event::Start(t_el)).map_err(err)?;
            writer
                .write_event(Event::Text(BytesText::new(&crate::xml::escape_control(t))))
                .map_err(err)?;
            writer
                .write_event(Event::End(BytesEnd::new("t")))
                .map_err(err)?;
            writer
                .write_event(Event::End(BytesEnd::new("is")))
                .map_err(err)?;
            writer
                .write_event(Event::End(BytesEnd::new("c")))
                .map_err(err)
        }
        Entry::Number(n) => value(writer, c, &n.to_string()).map_err(err),
        Entry::Date(d) => value(writer, c, &date_serial(*d).to_string()).map_err(err),
        Entry::Time(h, m, s) => {
            let fraction = f64::from(h * 3600 + m * 60 + s) / 86_400.0;
            value(writer, c, &fraction.to_string()).map_err(err)
        }
        Entry::Bool(b) => {
            c.push_attribute(("t", "b"));
            value(writer, c, if *b { "1" } else { "0" }).map_err(err)
        }
        Entry::Error(code) => {
            c.push_attribute(("t", "e"));
            value(writer, c, code).map_err(err)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patches_existing_missing_and_new_cells() {
        let xml = r#"<worksheet><dimension ref="A1:B2"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="3"/></row><row r="2"><c r="B2"><v>1</v></c></row></sheetData></worksheet>"#;
        let edits = [
            CellEdit::new(1, 1, Entry::Text("a & b".into())),
            CellEdit::new(2, 0, Entry::Number(7.0)),
            CellEdit::new(4, 2, Entry::Bool(true)),
            CellEdit::new(3, 0, Entry::Error("#N/A".into())),
        ];
        let out = patch_sheet_xml(xml, &edits).unwrap();
        assert_eq!(
            out,
            r#"<worksheet><dimension ref="A1:C4"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="3" t="inlineStr"><is><t xml:space="preserve">a &amp; b</t></is></c></row><row r="2"><c r="A2"><v>7</v></c><c r="B2"><v>1</v></c></row><row r="3"><c r="A3" t="e"><v>#N/A</v></c></row><row r="4"><c r="C4" t="b"><v>1</v></c></row></sheetData></worksheet>"#
        );
    }

    #[test]
    fn the_later_edit_of_a_cell_wins() {
        let xml = r#"<worksheet><sheetData><row r="1"><c r="A1"/></row></sheetData></worksheet>"#;
        let out = patch_sheet_xml(
            xml,
            &[
                CellEdit::new(1, 0, Entry::Number(1.0)),
                CellEdit::new(1, 0, Entry::Number(2.0)),
            ],
        )
        .unwrap();
        assert!(
            out.contains("<v>2</v>") && !out.contains("<v>1</v>"),
            "{out}"
        );
    }

    #[test]
    fn a_date_in_an_added_row_takes_its_columns_format() {
        let xml = r#"<worksheet><sheetData><row r="2"><c r="A2" s="4"/><c r="B2" s="7"><v>1</v></c></row></sheetData></worksheet>"#;
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let edits = [
            CellEdit::new(3, 0, Entry::Text("Y".into())),
            CellEdit::new(3, 1, Entry::Date(day)),
        ];
        let out = patch_sheet_xml(xml, &edits).unwrap();
        assert!(out.contains(r#"<c r="B3" s="7"><v>46357</v></c>"#), "{out}");
        assert!(out.contains(r#"<c r="A3" t="inlineStr">"#), "{out}");
    }

    #[test]
    fn control_characters() {
        assert_eq!(
            crate::xml::escape_control("a\r\nb_x"),
            "a_x000D_\nb_x005F_x"
        );
    }
}
