//! Showing a checked workbook's problems where people fix them: every cell
//! with a problem filled red with a note holding the message(s), and a first
//! sheet, `Problems`, that lists them all with a link to each cell.
//!
//! Like [`crate::annotate_sheet`], this patches the `.xlsx` package: the new
//! sheet is a new part, and the workbook, its relationships, the content
//! types, the style table (a bold and a link font) and `docProps/app.xml`
//! gain an entry each. The sheets that were there keep their XML except that
//! none is the selected tab any more. A CSV is first laid out as the
//! offline sheet with [`table_workbook`].

use mavis_domain::chrono::Datelike;
use mavis_domain::{column_letter, Table};

use crate::annotate::annotate_sheet;
use crate::error::{Error, Result};
use crate::fill::Entry;
use crate::mark::{Annotation, Mark};
use crate::package::{
    relationships, FreeIds, Package, PackageError, CT_WORKSHEET, NS_MAIN, NS_RELATIONSHIPS,
    NS_RELATIONSHIPS_STRICT, REL_WORKSHEET, STYLES, WORKBOOK, WORKBOOK_RELS,
};
use crate::read::read_sheet_rows;
use crate::styles::ProblemStyles;
use crate::writer::VACCINATIONS_SHEET;
use crate::xml::{escape_text, XmlError};
use crate::xml_patch::{find_element, first_tag, set_attribute};

/// The name of the sheet that lists the problems.
pub const PROBLEMS_SHEET: &str = "Problems";

/// The header row of the `Problems` sheet.
pub const PROBLEMS_HEADERS: [&str; 5] = ["Row", "Column", "Header", "Problem", "Go to cell"];

/// One problem to show: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemLine {
    /// The row as the spreadsheet shows it (the header is row 1); 0 for a
    /// problem with the file as a whole, which is listed but marks no cell.
    pub row: u32,
    /// The column, 0 for A; `None` for a problem with the whole row, which
    /// marks the row's first cell.
    pub column: Option<u32>,
    /// The column's header as written, when known.
    pub header: Option<String>,
    /// What is wrong, as the validator says it.
    pub message: String,
}

impl ProblemLine {
    /// A problem with one cell.
    pub fn cell(row: u32, column: u32, header: Option<String>, message: impl Into<String>) -> Self {
        ProblemLine {
            row,
            column: Some(column),
            header,
            message: message.into(),
        }
    }

    /// A problem with a whole row.
    pub fn row(row: u32, message: impl Into<String>) -> Self {
        ProblemLine {
            row,
            column: None,
            header: None,
            message: message.into(),
        }
    }

    /// A problem with the file as a whole.
    pub fn file(message: impl Into<String>) -> Self {
        ProblemLine::row(0, message)
    }

    /// The cell it marks: `(row, column)`, the first cell for a row
    /// problem; `None` for a file problem.
    pub fn marked_cell(&self) -> Option<(u32, u32)> {
        (self.row > 0).then(|| (self.row, self.column.unwrap_or(0)))
    }

    /// The reference of the cell it marks, such as `F14`.
    pub fn reference(&self) -> Option<String> {
        self.marked_cell()
            .map(|(r, c)| format!("{}{r}", column_letter(c)))
    }

    /// The red mark and note for its cell, if it has one.
    pub fn annotation(&self) -> Option<Annotation> {
        self.marked_cell().map(|(r, c)| {
            Annotation::new(r, c)
                .with_mark(Mark::Problem)
                .with_note(self.message.clone())
        })
    }
}

/// Mark every problem's cell red with its message in a note, on `sheet`,
/// and add the `Problems` sheet listing them (see [`add_problems_sheet`]);
/// `file` is the workbook's name as the user knows it, for messages. With
/// no problems, the bytes come back unchanged.
///
/// # Errors
///
/// As [`annotate_sheet`] and [`add_problems_sheet`].
///
/// # Examples
///
/// ```
/// use mavis_domain::chrono::NaiveDate;
/// use mavis_demo::{self as demo, DemoOptions};
/// use mavis_sheet::dump::WorkbookDump;
/// use mavis_sheet::{annotate_problems, OfflineWorkbook, ProblemLine};
///
/// let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
/// let doc = demo::session(&DemoOptions { children: 3, ..DemoOptions::new(today) });
/// let base = OfflineWorkbook::new(&doc, today).to_bytes()?;
/// let problems = [ProblemLine::cell(2, 5, Some("DATE_OF_VACCINATION".into()), "Enter a date.")];
/// let marked = annotate_problems(&base, "nurse-a.xlsx", "Vaccinations", &problems, "mavis-offline")?;
/// let dump = WorkbookDump::from_bytes(&marked, "nurse-a.xlsx")?;
/// assert_eq!(dump.sheets[0].name, "Problems");
/// assert_eq!(dump.sheet("Vaccinations").unwrap().comment("F2").unwrap().text, "Enter a date.");
/// assert_eq!(annotate_problems(&base, "nurse-a.xlsx", "Vaccinations", &[], "mavis-offline")?, base);
/// # Ok::<(), mavis_sheet::Error>(())
/// ```
pub fn annotate_problems(
    bytes: &[u8],
    file: &str,
    sheet: &str,
    problems: &[ProblemLine],
    author: &str,
) -> Result<Vec<u8>> {
    if problems.is_empty() {
        return Ok(bytes.to_vec());
    }
    let annotations: Vec<Annotation> = problems
        .iter()
        .filter_map(ProblemLine::annotation)
        .collect();
    let marked = if annotations.is_empty() {
        bytes.to_vec()
    } else {
        annotate_sheet(bytes, file, sheet, &annotations, author)?
    };
    add_problems_sheet(&marked, file, sheet, problems)
}

/// Add a first, selected sheet named `Problems` that lists every problem
/// (row, column, header, message) with a link to its cell on `sheet`;
/// `file` is the workbook's name as the user knows it, for messages.
///
/// The other sheets keep their order, content, state and XML (only the
/// `tabSelected` flag of their view is dropped); `definedNames` scoped to a
/// sheet move with it. A workbook that already has a `Problems` sheet this
/// function wrote (an annotated copy checked again) gets it replaced; any
/// other sheet of that name is refused. No problems, no change: the bytes
/// come back as they were.
///
/// # Errors
///
/// [`ErrorKind::NotAWorkbook`](crate::ErrorKind::NotAWorkbook), naming
/// `file`, when the bytes are not a workbook, have no sheet named `sheet`,
/// have a `Problems` sheet of their own, or a part that must change cannot
/// be read.
///
/// # Examples
///
/// ```
/// use mavis_domain::chrono::NaiveDate;
/// use mavis_demo::{self as demo, DemoOptions};
/// use mavis_sheet::{add_problems_sheet, read_bytes, read_sheet_rows, OfflineWorkbook, ProblemLine};
///
/// let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
/// let doc = demo::session(&DemoOptions { children: 3, ..DemoOptions::new(today) });
/// let base = OfflineWorkbook::new(&doc, today).to_bytes()?;
/// let problems = [ProblemLine::row(3, "a duplicate row")];
/// let out = add_problems_sheet(&base, "base.xlsx", "Vaccinations", &problems)?;
/// let rows = read_sheet_rows(&out, "out.xlsx", "Problems")?.unwrap();
/// assert_eq!(rows[1], ["3", "A", "(whole row)", "a duplicate row", "Vaccinations!A3"]);
/// assert_eq!(read_bytes(&out, "out.xlsx")?.rows, read_bytes(&base, "base.xlsx")?.rows);
///
/// let err = add_problems_sheet(b"PERSON_FORENAME\r\n", "nurse-b.csv", "Vaccinations", &problems)
///     .unwrap_err();
/// assert!(err.to_string().starts_with("nurse-b.csv: this is not an Excel workbook"), "{err}");
/// # Ok::<(), mavis_sheet::Error>(())
/// ```
pub fn add_problems_sheet(
    bytes: &[u8],
    file: &str,
    sheet: &str,
    problems: &[ProblemLine],
) -> Result<Vec<u8>> {
    if problems.is_empty() {
        return Ok(bytes.to_vec());
    }
    crate::package::patch(bytes, file, |package| {
        add_sheet(package, bytes, sheet, problems)
    })
}

/// Add the `Problems` sheet to the package of `bytes`.
fn add_sheet(
    package: &mut Package<'_>,
    bytes: &[u8],
    sheet: &str,
    problems: &[ProblemLine],
) -> std::result::Result<(), PackageError> {
    package.sheet_part(sheet)?;
    let workbook = package.workbook()?;

    let styles = package.required(STYLES)?;
    let (styles, xf) = ProblemStyles::add(&styles).map_err(PackageError::part(STYLES))?;
    package.replace(STYLES, styles);
    let sheet_xml = problems_sheet_xml(sheet, problems, xf);

    if let Some(existing) = workbook.sheet_part(PROBLEMS_SHEET) {
        // An annotated copy checked again: replace the list, if it is ours.
        let ours = read_sheet_rows(bytes, "", PROBLEMS_SHEET)
            .ok()
            .flatten()
            .and_then(|rows| rows.into_iter().next())
            .is_some_and(|first| first == PROBLEMS_HEADERS);
        if !ours {
            return Err(PackageError::SheetTaken(PROBLEMS_SHEET.to_owned()));
        }
        package.replace(existing, sheet_xml);
        return Ok(());
    }
    let n = (1..)
        .find(|n| !package.has(&format!("xl/worksheets/sheet{n}.xml")))
        .unwrap_or(1);
    let part = format!("xl/worksheets/sheet{n}.xml");
    let rels = relationships(&workbook.rels_xml).map_err(PackageError::part(WORKBOOK_RELS))?;
    let rid = FreeIds::lowest(&rels).next();
    let sheet_id = workbook
        .sheets()
        .filter_map(|s| s.attr("sheetId").and_then(|i| i.parse::<u32>().ok()))
        .max()
        .unwrap_or(0)
        + 1;
    let patched =
        patch_workbook(&workbook.xml, &rid, sheet_id).map_err(PackageError::part(WORKBOOK))?;
    package.replace(WORKBOOK, patched);
    let target = part.trim_start_matches("xl/").to_owned();
    package.add_relationships(
        WORKBOOK_RELS,
        Some(&workbook.rels_xml),
        &[(rid, REL_WORKSHEET, target)],
    )?;
    package.declare_types(&[], &[(&part, CT_WORKSHEET)])?;
    if let Some(app) = package.read("docProps/app.xml")? {
        if let Some(app) = patch_app(&app) {
            package.replace("docProps/app.xml", app);
        }
    }
    // No other sheet is the selected tab now.
    for path in workbook
        .sheets()
        .filter_map(|s| s.attr("name").and_then(|name| workbook.sheet_part(name)))
    {
        if let Some(xml) = package.read(&path)? {
            if let Some(unselected) = unselect(&xml) {
                package.replace(path, unselected);
            }
        }
    }
    package.add(part, sheet_xml);
    Ok(())
}

/// Lay a table (a CSV read back) out as the offline sheet: a workbook with
/// one sheet, `Vaccinations`, holding its header in row 1 and every cell at
/// the row number the table gives it, so that problems found in the CSV can
/// be marked at their cells. Each value is written in canonical form
/// ([`crate::canonical_entry`]): a date Mavis reads as a real date cell
/// shown `dd/mm/yyyy`, whole numbers in the number columns as numbers,
/// everything else as text, so that the spreadsheet program's own CSV of it
/// says what the file said.
///
/// # Errors
///
/// [`ErrorKind::Xlsx`](crate::ErrorKind::Xlsx) when the workbook cannot be written (a row beyond a
/// worksheet's last).
///
/// # Examples
///
/// ```
/// use mavis_sheet::{read_bytes, table_workbook};
///
/// let csv = "PERSON_FORENAME,DATE_OF_VACCINATION,NHS_NUMBER\r\nAisha,20251014,9449306168\r\n";
/// let table = read_bytes(csv.as_bytes(), "nurse-b.csv")?;
/// let xlsx = table_workbook(&table)?;
/// let back = read_bytes(&xlsx, "nurse-b.xlsx")?;
/// assert_eq!(back.rows[0].cells, ["Aisha", "14/10/2025", "9449306168"]);
/// assert!(back.issues.is_empty());
/// # Ok::<(), mavis_sheet::Error>(())
/// ```
pub fn table_workbook(table: &Table) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let mut workbook = Workbook::new();
    let creation = ExcelDateTime::from_ymd(2000, 1, 1).map_err(Error::xlsx)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&creation));
    let sheet = workbook.add_worksheet();
    sheet.set_name(VACCINATIONS_SHEET).map_err(Error::xlsx)?;
    let text = Format::new().set_num_format("@");
    let date = Format::new().set_num_format(crate::writer::DATE_FORMAT);
    let bold = Format::new().set_bold();
    let columns = crate::fill::columns_of(&table.headers);
    for (c, header) in table.headers.iter().enumerate() {
        let col = u16::try_from(c).map_err(|_| Error::xlsx_msg("too many columns"))?;
        sheet
            .write_string_with_format(0, col, &header.text, &bold)
            .map_err(Error::xlsx)?;
        let width = table
            .rows
            .iter()
            .map(|r| r.get(c).chars().count())
            .chain([header.text.chars().count()])
            .max()
            .unwrap_or(8)
            .clamp(8, 60);
        sheet
            .set_column_width(col, f64::from(u32::try_from(width).unwrap_or(60)) + 2.0)
            .map_err(Error::xlsx)?;
    }
    for row in &table.rows {
        let r = row
            .row
            .checked_sub(1)
            .ok_or_else(|| Error::xlsx_msg("a data row numbered 0"))?;
        for (c, value) in row.cells.iter().enumerate() {
            if value.is_empty() {
                continue;
            }
            let col = u16::try_from(c).map_err(|_| Error::xlsx_msg("too many columns"))?;
            match crate::fill::canonical_entry(columns.get(c).copied().flatten(), value) {
                Entry::Date(d) => {
                    let day = ExcelDateTime::from_ymd(
                        u16::try_from(d.year()).map_err(|_| Error::xlsx_msg("a year past 9999"))?,
                        u8::try_from(d.month()).unwrap_or(1),
                        u8::try_from(d.day()).unwrap_or(1),
                    )
                    .map_err(Error::xlsx)?;
                    sheet.write_datetime_with_format(r, col, &day, &date)
                }
                Entry::Number(n) => sheet.write_number(r, col, n),
                _ => sheet.write_string_with_format(r, col, value, &text),
            }
            .map_err(Error::xlsx)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(Error::xlsx)?;
    workbook.save_to_buffer().map_err(Error::xlsx)
}

// ---------------------------------------------------------------------------
// The parts that change.

/// The workbook with the new sheet first and active, and sheet-scoped
/// defined names moved along.
fn patch_workbook(xml: &str, rid: &str, sheet_id: u32) -> std::result::Result<String, XmlError> {
    let sheets = find_element(xml, "sheets", "sheet")?.ok_or(XmlError::Missing("sheets"))?;
    sheets
        .close
        .ok_or(XmlError::Missing("sheets in <sheets>"))?;
    let root = find_root(xml)?;
    let (r, declare) = match root.relationships_prefix {
        Some(p) if p.is_empty() => ("r".to_owned(), true),
        Some(p) => (p, false),
        None => ("r".to_owned(), true),
    };
    let ns = if declare {
        format!(r#" xmlns:{r}="{}""#, root.relationships_ns)
    } else {
        String::new()
    };
    let entry = format!(
        r#"<{p}sheet name="{PROBLEMS_SHEET}" sheetId="{sheet_id}" {r}:id="{rid}"{ns}/>"#,
        p = sheets.prefix
    );
    let mut out = format!("{}{entry}{}", &xml[..sheets.open.1], &xml[sheets.open.1..]);
    // The new sheet is the active and first visible tab.
    if let Some(view) = find_element(&out, "workbookView", "")? {
        let mut tag = out[view.open.0..view.open.1].to_owned();
        for a in ["activeTab", "firstSheet"] {
            if tag.contains(&format!(" {a}=")) {
                tag = set_attribute(&tag, a, "0");
            }
        }
        out = format!("{}{tag}{}", &out[..view.open.0], &out[view.open.1..]);
    }
    Ok(shift_local_sheet_ids(&out))
}

struct Root {
    relationships_prefix: Option<String>,
    relationships_ns: &'static str,
}

fn find_root(xml: &str) -> std::result::Result<Root, XmlError> {
    let (e, _, _) = first_tag(xml)?.ok_or(XmlError::Missing("root element"))?;
    let mut strict = false;
    let mut prefix = None;
    for a in e.attributes().flatten() {
        let key = a.key.as_ref().to_owned();
        let value = a.value.to_string();
        if value == NS_MAIN {
            continue;
        }
        if value == NS_RELATIONSHIPS || value == NS_RELATIONSHIPS_STRICT {
            strict = value == NS_RELATIONSHIPS_STRICT;
            prefix = key.strip_prefix("xmlns:").map(str::to_owned);
        }
    }
    Ok(Root {
        relationships_prefix: prefix,
        relationships_ns: if strict {
            NS_RELATIONSHIPS_STRICT
        } else {
            NS_RELATIONSHIPS
        },
    })
}

/// Every `localSheetId` one more: the sheet it names moved one place on.
fn shift_local_sheet_ids(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find("localSheetId=") {
        let start = at + "localSheetId=".len() + 1;
        out.push_str(&rest[..start.min(rest.len())]);
        rest = &rest[start.min(rest.len())..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(n) = digits.parse::<u32>() {
            out.push_str(&(n + 1).to_string());
            rest = &rest[digits.len()..];
        }
    }
    out.push_str(rest);
    out
}

/// `docProps/app.xml` listing the new sheet; `None` when its shape is not
/// the usual one (it is only a summary, so it is then left alone).
fn patch_app(xml: &str) -> Option<String> {
    let titles = xml.find("TitlesOfParts>")?;
    let vector = titles + xml[titles..].find("vector")?;
    let tag_end = vector + xml[vector..].find('>')?;
    let prefix = &xml[xml[..vector].rfind('<')? + 1..vector];
    let size_at = vector + xml[vector..tag_end].find("size=\"")? + 6;
    let size_len = xml[size_at..].find('"')?;
    let size: u32 = xml[size_at..size_at + size_len].parse().ok()?;
    let count_key = xml.find("Worksheets</")?;
    let i4 = count_key + xml[count_key..].find("i4>")? + 3;
    let i4_len = xml[i4..].find('<')?;
    let count: u32 = xml[i4..i4 + i4_len].parse().ok()?;
    if i4 > size_at {
        return None;
    }
    Some(format!(
        "{}{}{}{}{}<{prefix}lpstr>{PROBLEMS_SHEET}</{prefix}lpstr>{}",
        &xml[..i4],
        count + 1,
        &xml[i4 + i4_len..size_at],
        size + 1,
        &xml[size_at + size_len..=tag_end],
        &xml[tag_end + 1..]
    ))
}

/// A sheet whose view is the selected tab, no longer selected; `None` when
/// it was not.
fn unselect(xml: &str) -> Option<String> {
    let view = find_element(xml, "sheetView", "").ok().flatten()?;
    let tag = &xml[view.open.0..view.open.1];
    let mut cut = None;
    for quote in ['"', '\''] {
        let key = format!(" tabSelected={quote}");
        if let Some(at) = tag.find(&key) {
            let len = tag[at + key.len()..].find(quote)?;
            cut = Some((at, at + key.len() + len + 1));
        }
    }
    let (a, b) = cut?;
    Some(format!(
        "{}{}{}{}",
        &xml[..view.open.0],
        &tag[..a],
        &tag[b..],
        &xml[view.open.1..]
    ))
}

/// An attribute value in double quotes, escaped (apostrophes kept, as a
/// sheet name in a link reads best).
fn attribute(text: &str) -> String {
    escape_text(text).replace("&apos;", "'")
}

/// The `Problems` worksheet.
fn problems_sheet_xml(sheet: &str, problems: &[ProblemLine], xf: ProblemStyles) -> String {
    let last = problems.len() + 1;
    let quoted = format!("'{}'", sheet.replace('\'', "''"));
    let text = |r: usize, c: u32, s: usize, v: &str| {
        format!(
            r#"<c r="{}{r}" s="{s}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
            column_letter(c),
            escape_text(v)
        )
    };
    let mut rows = String::new();
    rows.push_str(r#"<row r="1">"#);
    for (c, h) in (0u32..).zip(PROBLEMS_HEADERS) {
        rows.push_str(&text(1, c, xf.bold, h));
    }
    rows.push_str("</row>");
    let mut links = String::new();
    for (r, p) in (2usize..).zip(problems) {
        rows.push_str(&format!(r#"<row r="{r}">"#));
        if p.row > 0 {
            rows.push_str(&format!(
                r#"<c r="A{r}" s="{}"><v>{}</v></c>"#,
                xf.wrap, p.row
            ));
        }
        let (column, header) = match (p.row, p.column) {
            (0, _) => (String::new(), "(whole file)".to_owned()),
            (_, None) => ("A".to_owned(), "(whole row)".to_owned()),
            (_, Some(c)) => (column_letter(c), p.header.clone().unwrap_or_default()),
        };
        if !column.is_empty() {
            rows.push_str(&text(r, 1, xf.wrap, &column));
        }
        if !header.is_empty() {
            rows.push_str(&text(r, 2, xf.wrap, &header));
        }
        rows.push_str(&text(r, 3, xf.wrap, &p.message));
        let target = p.reference().unwrap_or_else(|| "A1".to_owned());
        let display = format!("{sheet}!{target}");
        rows.push_str(&text(r, 4, xf.link, &display));
        rows.push_str("</row>");
        links.push_str(&format!(
            r#"<hyperlink ref="E{r}" location="{}" display="{}"/>"#,
            attribute(&format!("{quoted}!{target}")),
            attribute(&display)
        ));
    }
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            r#"<worksheet xmlns="{main}" xmlns:r="{rel}"><dimension ref="A1:E{last}"/>"#,
            r#"<sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="E2" sqref="E2"/></sheetView></sheetViews>"#,
            r#"<sheetFormatPr defaultRowHeight="15"/>"#,
            r#"<cols><col min="1" max="1" width="8" customWidth="1"/><col min="2" max="2" width="9" customWidth="1"/><col min="3" max="3" width="34" customWidth="1"/><col min="4" max="4" width="80" customWidth="1"/><col min="5" max="5" width="22" customWidth="1"/></cols>"#,
            "<sheetData>{rows}</sheetData><hyperlinks>{links}</hyperlinks>",
            r#"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>"#
        ),
        main = NS_MAIN,
        rel = NS_RELATIONSHIPS,
        last = last,
        rows = rows,
        links = links,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::parse;

    #[test]
    fn app_properties_list_the_new_sheet_first() {
        let app = r#"<Properties xmlns:vt="v"><HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>2</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="2" baseType="lpstr"><vt:lpstr>A</vt:lpstr><vt:lpstr>B</vt:lpstr></vt:vector></TitlesOfParts></Properties>"#;
        assert_eq!(
            patch_app(app).unwrap(),
            r#"<Properties xmlns:vt="v"><HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>3</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="3" baseType="lpstr"><vt:lpstr>Problems</vt:lpstr><vt:lpstr>A</vt:lpstr><vt:lpstr>B</vt:lpstr></vt:vector></TitlesOfParts></Properties>"#
        );
        assert_eq!(patch_app("<Properties/>"), None);
    }

    #[test]
    fn workbook_gets_the_sheet_first_and_names_move() {
        let xml = r#"<workbook xmlns="m" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView activeTab="2"/></bookViews><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="_xlnm.Print_Area" localSheetId="0">A!$A$1</definedName><definedName name="x">A!$B$1</definedName></definedNames></workbook>"#;
        assert_eq!(
            patch_workbook(xml, "rId9", 2).unwrap(),
            r#"<workbook xmlns="m" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView activeTab="0"/></bookViews><sheets><sheet name="Problems" sheetId="2" r:id="rId9"/><sheet name="A" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="_xlnm.Print_Area" localSheetId="1">A!$A$1</definedName><definedName name="x">A!$B$1</definedName></definedNames></workbook>"#
        );
        let prefixed =
            r#"<x:workbook xmlns:x="m"><x:sheets><x:sheet name="A"/></x:sheets></x:workbook>"#;
        assert_eq!(
            patch_workbook(prefixed, "rId1", 3).unwrap(),
            r#"<x:workbook xmlns:x="m"><x:sheets><x:sheet name="Problems" sheetId="3" r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/><x:sheet name="A"/></x:sheets></x:workbook>"#
        );
    }

    #[test]
    fn selection() {
        let sheet = r#"<worksheet><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews></worksheet>"#;
        assert_eq!(
            unselect(sheet).unwrap(),
            r#"<worksheet><sheetViews><sheetView workbookViewId="0"/></sheetViews></worksheet>"#
        );
        assert_eq!(
            unselect("<worksheet><sheetViews><sheetView/></sheetViews></worksheet>"),
            None
        );
    }

    #[test]
    fn problems_sheet_is_well_formed() {
        let xml = problems_sheet_xml(
            "Vacc's",
            &[
                ProblemLine::cell(14, 5, Some("DATE".into()), "a <b> & \"c\""),
                ProblemLine::row(3, "dup"),
                ProblemLine::file("whole"),
            ],
            ProblemStyles {
                bold: 1,
                link: 2,
                wrap: 3,
            },
        );
        let root = parse(&xml).unwrap();
        let links: Vec<&str> = root
            .child("hyperlinks")
            .unwrap()
            .children("hyperlink")
            .map(|h| h.attr("location").unwrap())
            .collect();
        assert_eq!(links, ["'Vacc''s'!F14", "'Vacc''s'!A3", "'Vacc''s'!A1"]);
    }
}
