//! A readable text dump of an `.xlsx` workbook: sheets and their state,
//! protection and panes, every cell's reference, type, value and style,
//! every data validation with its range and formula, and every note
//! (comment) with its author and text.
//!
//! Tests snapshot it instead of zip bytes, and it shows what a spreadsheet
//! program kept or changed when it re-saved a workbook.
//!
//! ```
//! use mavis_domain::chrono::NaiveDate;
//! use mavis_demo::{self as demo, DemoOptions};
//! use mavis_sheet::{dump, OfflineWorkbook};
//!
//! let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
//! let doc = demo::session(&DemoOptions { children: 2, ..DemoOptions::new(today) });
//! let bytes = OfflineWorkbook::new(&doc, today).to_bytes()?;
//! let wb = dump::WorkbookDump::from_bytes(&bytes, "session.xlsx")?;
//! assert_eq!(wb.sheets[0].name, "Vaccinations");
//! assert_eq!(wb.sheets[0].cell("A1").unwrap().value, "PERSON_FORENAME");
//! println!("{wb}");
//! # Ok::<(), mavis_sheet::Error>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;

use crate::error::Result;
use crate::notes::read_notes;
use crate::package::{
    comments_part, relationships, rels_part_of, sheet_part, Package, PackageError, STYLES,
    WORKBOOK, WORKBOOK_RELS,
};
use crate::xml::{decode_ooxml_escapes, Element};
use crate::xml_patch::split_reference;

/// Everything the dump shows of a workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkbookDump {
    /// Whether the workbook uses the 1904 date system.
    pub date1904: bool,
    /// The sheets, in workbook order.
    pub sheets: Vec<SheetDump>,
    /// The distinct cell styles used, by index into the workbook's `cellXfs`.
    pub styles: BTreeMap<usize, String>,
}

/// One sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetDump {
    /// The sheet's name.
    pub name: String,
    /// `visible`, `hidden` or `veryHidden`.
    pub state: String,
    /// The `sheetProtection` attributes, sorted; empty when unprotected.
    pub protection: Vec<(String, String)>,
    /// The pane: `xSplit`, `ySplit`, `topLeftCell`, `state`, `activePane`.
    pub pane: Vec<(String, String)>,
    /// Every cell that exists, in row then column order.
    pub cells: Vec<CellDump>,
    /// Every data validation.
    pub validations: Vec<ValidationDump>,
    /// Every note (comment), in the order of the comments part.
    pub comments: Vec<CommentDump>,
}

impl SheetDump {
    /// The cell at a reference such as `B2`.
    pub fn cell(&self, reference: &str) -> Option<&CellDump> {
        self.cells.iter().find(|c| c.reference == reference)
    }

    /// The note on a cell such as `B2`.
    pub fn comment(&self, reference: &str) -> Option<&CommentDump> {
        self.comments.iter().find(|c| c.reference == reference)
    }

    /// The validations whose range covers a cell reference.
    pub fn validations_at(&self, reference: &str) -> Vec<&ValidationDump> {
        self.validations
            .iter()
            .filter(|v| sqref_contains(&v.sqref, reference))
            .collect()
    }
}

/// One cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellDump {
    /// `A1`-style reference.
    pub reference: String,
    /// `text`, `number`, `bool`, `error`, `formula` or `blank`.
    pub kind: String,
    /// The value (shared strings resolved, rich text concatenated).
    pub value: String,
    /// The style index (`s` attribute), 0 when absent.
    pub style: usize,
}

/// One data validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationDump {
    /// The cells it covers, space-separated ranges.
    pub sqref: String,
    /// The first formula (the list source for list validations).
    pub formula1: String,
    /// The other attributes, sorted.
    pub attributes: Vec<(String, String)>,
}

/// One note (comment) on a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentDump {
    /// `A1`-style reference of the cell it belongs to.
    pub reference: String,
    /// Its author, from the comments part's author list.
    pub author: String,
    /// Its text, runs concatenated.
    pub text: String,
}

impl WorkbookDump {
    /// Read a workbook's XML; `file` names it in messages.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NotAWorkbook`](crate::ErrorKind::NotAWorkbook), naming
    /// `file`, when the bytes are not an `.xlsx` package.
    ///
    /// # Examples
    ///
    /// ```
    /// use mavis_sheet::dump::WorkbookDump;
    ///
    /// let err = WorkbookDump::from_bytes(b"hello", "copy.xlsx").unwrap_err();
    /// assert!(err.to_string().starts_with("copy.xlsx: this is not an Excel workbook"), "{err}");
    /// ```
    pub fn from_bytes(bytes: &[u8], file: &str) -> Result<WorkbookDump> {
        WorkbookDump::read(bytes).map_err(|e| e.in_file(file))
    }

    fn read(bytes: &[u8]) -> std::result::Result<WorkbookDump, PackageError> {
        let mut package = Package::open(bytes)?;
        let workbook = package
            .tree(WORKBOOK)?
            .ok_or_else(|| PackageError::Missing(WORKBOOK.to_owned()))?;
        let rels = package.tree(WORKBOOK_RELS)?.unwrap_or_default();
        let strings: Vec<String> = package
            .tree("xl/sharedStrings.xml")?
            .map(|sst| {
                sst.children("si")
                    .map(|si| decode_ooxml_escapes(&si.all_text()).into_owned())
                    .collect()
            })
            .unwrap_or_default();
        let styles = package
            .tree(STYLES)?
            .map(|s| Styles::new(&s))
            .unwrap_or_default();
        let date1904 = workbook
            .child("workbookPr")
            .and_then(|p| p.attr("date1904"))
            .is_some_and(|v| v == "1" || v == "true");

        let mut sheets = Vec::new();
        let mut used_styles = BTreeMap::new();
        for sheet in workbook
            .child("sheets")
            .into_iter()
            .flat_map(|s| s.children("sheet"))
        {
            let name = sheet.attr("name").unwrap_or_default().to_owned();
            let state = sheet.attr("state").unwrap_or("visible").to_owned();
            let path = sheet_part(&workbook, &rels, &name)
                .ok_or_else(|| PackageError::NoSheetPart(name.clone()))?;
            let xml = package
                .tree(&path)?
                .ok_or_else(|| PackageError::Missing(path.clone()))?;
            let mut dump = SheetDump {
                name,
                state,
                protection: sorted_attributes(xml.child("sheetProtection")),
                pane: xml
                    .child("sheetViews")
                    .and_then(|v| v.child("sheetView"))
                    .and_then(|v| v.child("pane"))
                    .map(|p| sorted_attributes(Some(p)))
                    .unwrap_or_default(),
                cells: Vec::new(),
                validations: Vec::new(),
                comments: Vec::new(),
            };
            for row in xml
                .child("sheetData")
                .into_iter()
                .flat_map(|d| d.children("row"))
            {
                for c in row.children("c") {
                    let style: usize = c.attr("s").and_then(|s| s.parse().ok()).unwrap_or(0);
                    used_styles
                        .entry(style)
                        .or_insert_with(|| styles.describe(style));
                    dump.cells.push(cell(c, &strings));
                }
            }
            for dv in xml
                .child("dataValidations")
                .into_iter()
                .flat_map(|d| d.children("dataValidation"))
            {
                dump.validations.push(ValidationDump {
                    sqref: dv.attr("sqref").unwrap_or_default().to_owned(),
                    formula1: dv
                        .child("formula1")
                        .map(|f| f.text.clone())
                        .unwrap_or_default(),
                    attributes: sorted_attributes(Some(dv))
                        .into_iter()
                        .filter(|(k, _)| k != "sqref")
                        .collect(),
                });
            }
            // Validations in the extension list (LibreOffice writes
            // cross-sheet lists there).
            if let Some(ext) = xml.child("extLst") {
                collect_ext_validations(ext, &mut dump.validations);
            }
            let rels_part = rels_part_of(&path);
            let comments = match package.read(&rels_part)? {
                Some(xml) => {
                    let rels = relationships(&xml).map_err(PackageError::part(&rels_part))?;
                    comments_part(&path, &rels)
                }
                None => None,
            };
            if let Some(comments) = comments {
                let part = package
                    .tree(&comments)?
                    .ok_or(PackageError::Missing(comments))?;
                dump.comments = read_notes(&part)
                    .1
                    .into_iter()
                    .map(|n| CommentDump {
                        reference: n.reference,
                        author: n.author.unwrap_or_default(),
                        text: n.text,
                    })
                    .collect();
            }
            sheets.push(dump);
        }
        Ok(WorkbookDump {
            date1904,
            sheets,
            styles: used_styles,
        })
    }

    /// The sheet with this name.
    pub fn sheet(&self, name: &str) -> Option<&SheetDump> {
        self.sheets.iter().find(|s| s.name == name)
    }
}

fn collect_ext_validations(el: &Element, out: &mut Vec<ValidationDump>) {
    for child in &el.children {
        if child.name == "dataValidation" {
            out.push(ValidationDump {
                sqref: child
                    .child("sqref")
                    .map(|s| s.text.clone())
                    .unwrap_or_default(),
                formula1: child
                    .child("formula1")
                    .map(super::xml::Element::all_text)
                    .unwrap_or_default(),
                attributes: sorted_attributes(Some(child)),
            });
        } else {
            collect_ext_validations(child, out);
        }
    }
}

fn sorted_attributes(el: Option<&Element>) -> Vec<(String, String)> {
    let mut attrs: Vec<(String, String)> = el.map(|e| e.attributes.clone()).unwrap_or_default();
    attrs.sort();
    attrs
}

fn cell(c: &Element, strings: &[String]) -> CellDump {
    let reference = c.attr("r").unwrap_or_default().to_owned();
    let style = c.attr("s").and_then(|s| s.parse().ok()).unwrap_or(0);
    let v = c.child("v").map(|v| v.text.clone());
    let (kind, value) = if let Some(f) = c.child("f") {
        (
            "formula",
            format!("={} -> {}", f.text, v.unwrap_or_default()),
        )
    } else {
        match (c.attr("t"), v) {
            (Some("s"), Some(i)) => (
                "text",
                i.parse::<usize>()
                    .ok()
                    .and_then(|i| strings.get(i).cloned())
                    .unwrap_or_default(),
            ),
            (Some("inlineStr"), _) => (
                "text",
                c.child("is")
                    .map(|is| decode_ooxml_escapes(&is.all_text()).into_owned())
                    .unwrap_or_default(),
            ),
            (Some("str"), Some(v)) => ("text", decode_ooxml_escapes(&v).into_owned()),
            (Some("b"), Some(v)) => ("bool", v),
            (Some("e"), Some(v)) => ("error", v),
            (_, Some(v)) => ("number", v),
            (_, None) => ("blank", String::new()),
        }
    };
    CellDump {
        reference,
        kind: kind.to_owned(),
        value,
        style,
    }
}

/// The style table, enough to describe a cell format in words.
#[derive(Debug, Default)]
struct Styles {
    num_formats: BTreeMap<u32, String>,
    fonts: Vec<Element>,
    fills: Vec<Element>,
    borders: Vec<Element>,
    xfs: Vec<Element>,
}

impl Styles {
    fn new(styles: &Element) -> Styles {
        let list = |name: &str, item: &str| -> Vec<Element> {
            styles
                .child(name)
                .map(|l| l.children(item).cloned().collect())
                .unwrap_or_default()
        };
        Styles {
            num_formats: styles
                .child("numFmts")
                .into_iter()
                .flat_map(|n| n.children("numFmt"))
                .filter_map(|n| {
                    Some((
                        n.attr("numFmtId")?.parse().ok()?,
                        n.attr("formatCode")?.to_owned(),
                    ))
                })
                .collect(),
            fonts: list("fonts", "font"),
            fills: list("fills", "fill"),
            borders: list("borders", "border"),
            xfs: list("cellXfs", "xf"),
        }
    }

    /// A description such as `border thin FF000000; fill FFF7D4D1; strike;
    /// format dd/mm/yyyy; wrap`, or `default`.
    fn describe(&self, index: usize) -> String {
        let Some(xf) = self.xfs.get(index) else {
            return "default".to_owned();
        };
        let id = |name: &str| -> usize { xf.attr(name).and_then(|v| v.parse().ok()).unwrap_or(0) };
        let mut parts = Vec::new();
        if let Some(border) = self.borders.get(id("borderId")) {
            let sides: Vec<String> = ["left", "right", "top", "bottom"]
                .iter()
                .filter_map(|side| {
                    let el = border.child(side)?;
                    let style = el.attr("style")?;
                    let color = el
                        .child("color")
                        .map(|c| {
                            c.attr("rgb")
                                .or(c.attr("indexed"))
                                .unwrap_or("auto")
                                .to_owned()
                        })
                        .unwrap_or_else(|| "auto".to_owned());
                    Some(format!("{style} {color}"))
                })
                .collect();
            if !sides.is_empty() {
                let all_same = sides.len() == 4 && sides.iter().all(|s| *s == sides[0]);
                if all_same {
                    parts.push(format!("border {}", sides[0]));
                } else {
                    parts.push(format!("border {}", sides.join(" / ")));
                }
            }
        }
        if let Some(fill) = self
            .fills
            .get(id("fillId"))
            .and_then(|f| f.child("patternFill"))
        {
            let pattern = fill.attr("patternType").unwrap_or("none");
            if pattern != "none" && pattern != "gray125" {
                let color = fill
                    .child("fgColor")
                    .and_then(|c| c.attr("rgb"))
                    .unwrap_or("auto");
                parts.push(format!("fill {pattern} {color}"));
            }
        }
        if let Some(font) = self.fonts.get(id("fontId")) {
            if font
                .child("strike")
                .is_some_and(|s| s.attr("val") != Some("0"))
            {
                parts.push("strike".to_owned());
            }
        }
        let num_fmt = u32::try_from(id("numFmtId")).unwrap_or(0);
        if num_fmt != 0 {
            let code = self
                .num_formats
                .get(&num_fmt)
                .cloned()
                .unwrap_or_else(|| format!("builtin {num_fmt}"));
            parts.push(format!("format {code}"));
        }
        if xf
            .child("alignment")
            .and_then(|a| a.attr("wrapText"))
            .is_some_and(|w| w == "1" || w == "true")
        {
            parts.push("wrap".to_owned());
        }
        if parts.is_empty() {
            "default".to_owned()
        } else {
            parts.join("; ")
        }
    }
}

/// Whether a space-separated list of ranges (`A2:A9 C3`) covers a cell.
fn sqref_contains(sqref: &str, reference: &str) -> bool {
    let Some(target) = split_reference(reference) else {
        return false;
    };
    sqref.split_whitespace().any(|range| {
        let (a, b) = range.split_once(':').unwrap_or((range, range));
        match (split_reference(a), split_reference(b)) {
            (Some((r1, c1)), Some((r2, c2))) => {
                (r1..=r2).contains(&target.0) && (c1..=c2).contains(&target.1)
            }
            _ => false,
        }
    })
}

impl fmt::Display for WorkbookDump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "date system: {}",
            if self.date1904 { "1904" } else { "1900" }
        )?;
        writeln!(f, "styles:")?;
        for (i, s) in &self.styles {
            writeln!(f, "  s{i}: {s}")?;
        }
        for sheet in &self.sheets {
            writeln!(f, "sheet {:?} ({})", sheet.name, sheet.state)?;
            if !sheet.protection.is_empty() {
                writeln!(f, "  protection: {}", attrs(&sheet.protection))?;
            }
            if !sheet.pane.is_empty() {
                writeln!(f, "  pane: {}", attrs(&sheet.pane))?;
            }
            for c in &sheet.cells {
                match c.kind.as_str() {
                    "blank" => writeln!(f, "  {} s{} blank", c.reference, c.style)?,
                    kind => writeln!(f, "  {} s{} {kind} {:?}", c.reference, c.style, c.value)?,
                }
            }
            for v in &sheet.validations {
                writeln!(
                    f,
                    "  validation {} {:?} {}",
                    v.sqref,
                    v.formula1,
                    attrs(&v.attributes)
                )?;
            }
            for c in &sheet.comments {
                writeln!(f, "  note {} {:?} {:?}", c.reference, c.author, c.text)?;
            }
        }
        Ok(())
    }
}

fn attrs(attrs: &[(String, String)]) -> String {
    attrs
        .iter()
        .map(|(k, v)| format!("{k}={v:?}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert!(sqref_contains("A2:A9 C3", "A5"));
        assert!(sqref_contains("A2:A9 C3", "C3"));
        assert!(!sqref_contains("A2:A9 C3", "B3"));
        assert!(!sqref_contains("A2:A9", "A10"));
        assert!(sqref_contains("$Z$2:$Z$4", "Z4"));
    }

    #[test]
    fn not_a_workbook() {
        let err = WorkbookDump::from_bytes(b"hello", "hello.xlsx").unwrap_err();
        assert!(
            matches!(err.kind(), crate::ErrorKind::NotAWorkbook { file, .. } if file == "hello.xlsx"),
            "{err}"
        );
    }
}
