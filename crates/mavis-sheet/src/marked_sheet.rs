//! Patching a worksheet's XML for marks: a marked cell gets the cell
//! format with its mark's fill, a marked cell or row that does not exist is
//! added (empty), and the sheet points at its notes' VML drawing with a
//! `legacyDrawing` element. Everything else is kept byte for byte.

use std::collections::BTreeMap;

use crate::mark::{Mark, Target};
use crate::package::{NS_RELATIONSHIPS, NS_RELATIONSHIPS_STRICT};
use crate::styles::StyleTable;
use crate::xml::XmlError;
use crate::xml_patch::{
    attr, escape, first_tag, grow_dimension, prefix_of, reference, rewrite_tag, split_reference,
    Splices, Tag, Tags,
};

/// Worksheet children that come after `legacyDrawing` in the schema.
const AFTER_LEGACY_DRAWING: [&str; 8] = [
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
];

/// A worksheet patched by [`patch_sheet`].
#[derive(Debug)]
pub(crate) struct PatchedSheet {
    /// The worksheet's new XML.
    pub(crate) xml: String,
    /// The relationship id of a `legacyDrawing` the sheet already had.
    pub(crate) legacy_drawing: Option<String>,
}

/// The row being read.
#[derive(Debug, Default)]
struct OpenRow {
    number: u32,
    /// The row's own format, which its new cells take.
    style: Option<usize>,
    tag: (usize, usize),
    /// Lowest and highest column added (0-based).
    added: Option<(u32, u32)>,
    last_column: Option<u32>,
}

/// The marked cells, in order, and what placing them needs.
struct Marker<'s> {
    marked: Vec<((u32, u32), Mark)>,
    /// The next marked cell to place.
    next: usize,
    /// The worksheet's prefix (`x:`), for new elements.
    prefix: String,
    /// Column formats: 1-based first and last column, format.
    column_styles: Vec<(u32, u32, usize)>,
    styles: Option<&'s mut StyleTable>,
    /// The highest row and column a new cell was created at.
    created: Option<(u32, u32)>,
}

impl Marker<'_> {
    /// The next marked cell, if any is left.
    fn pending(&self) -> Option<((u32, u32), Mark)> {
        self.marked.get(self.next).copied()
    }

    /// The format of a cell of `base`'s format with the mark's fill.
    fn style_for(&mut self, base: usize, mark: Mark) -> Result<usize, XmlError> {
        match self.styles.as_deref_mut() {
            Some(s) => s.xf(base, mark),
            None => Err(XmlError::Missing("style sheet")),
        }
    }

    /// The format of a column (0-based), 0 when it has none.
    fn column_style(&self, column: u32) -> usize {
        self.column_styles
            .iter()
            .find(|(min, max, _)| (*min..=*max).contains(&(column + 1)))
            .map_or(0, |s| s.2)
    }

    /// New cells for the marked cells of `row` left of column `until` (all
    /// of its marked cells for `None`), which do not exist yet.
    fn cells(&mut self, row: &mut OpenRow, until: Option<u32>) -> Result<String, XmlError> {
        let mut out = String::new();
        while let Some(((r, c), mark)) = self.pending() {
            if r != row.number || until.is_some_and(|u| c >= u) {
                break;
            }
            let base = row.style.unwrap_or_else(|| self.column_style(c));
            let style = self.style_for(base, mark)?;
            out.push_str(&format!(
                r#"<{}c r="{}" s="{style}"/>"#,
                self.prefix,
                reference(r, c)
            ));
            let (top, right) = self.created.unwrap_or((r, c));
            self.created = Some((top.max(r), right.max(c)));
            let (lo, hi) = row.added.unwrap_or((c, c));
            row.added = Some((lo.min(c), hi.max(c)));
            self.next += 1;
        }
        Ok(out)
    }

    /// New rows for the marked cells of the rows above `until` (all of
    /// them for `None`), which do not exist yet.
    fn rows(&mut self, until: Option<u32>) -> Result<String, XmlError> {
        let mut out = String::new();
        while let Some(((r, _), _)) = self.pending() {
            if until.is_some_and(|u| r >= u) {
                break;
            }
            let mut row = OpenRow {
                number: r,
                ..OpenRow::default()
            };
            let cells = self.cells(&mut row, None)?;
            let p = &self.prefix;
            out.push_str(&format!(r#"<{p}row r="{r}">{cells}</{p}row>"#));
        }
        Ok(out)
    }
}

/// The worksheet element: the span of its tag, the prefix it gives the
/// relationships namespace, and whether it declares a prefix `r` of
/// another namespace.
type Root = (usize, usize, Option<String>, bool);

/// Rewrite the worksheet: marked cells get their new format, missing
/// marked cells and rows are added, and a `legacyDrawing` element pointing
/// at `legacy_id` is added when asked and there is none.
pub(crate) fn patch_sheet(
    xml: &str,
    targets: &BTreeMap<(u32, u32), Target>,
    styles: Option<&mut StyleTable>,
    legacy_id: Option<&str>,
) -> Result<PatchedSheet, XmlError> {
    let mut marker = Marker {
        marked: targets
            .iter()
            .filter_map(|(k, t)| t.mark.map(|m| (*k, m)))
            .collect(),
        next: 0,
        prefix: String::new(),
        column_styles: Vec::new(),
        styles,
        created: None,
    };
    let mut splices = Splices::default();
    let mut tags = Tags::new(xml);
    let mut root: Option<Root> = None;
    let mut dimension: Option<(usize, usize, String)> = None;
    let mut legacy_found: Option<String> = None;
    let mut legacy_at: Option<usize> = None;
    let mut in_sheet_data = false;
    let mut row: Option<OpenRow> = None;
    let mut last_row = 0u32;

    loop {
        let (before, tag, after) = tags.next_tag()?;
        match tag {
            Tag::Open {
                tag: e,
                name,
                empty,
                depth,
            } => match (depth, name.as_str()) {
                (0, _) => {
                    marker.prefix = prefix_of(&e);
                    let mut r_prefix = None;
                    let mut has_r = false;
                    for a in e.attributes().flatten() {
                        let key = a.key.as_ref();
                        if let Some(p) = key.strip_prefix("xmlns:") {
                            has_r |= p == "r";
                            if a.value == NS_RELATIONSHIPS || a.value == NS_RELATIONSHIPS_STRICT {
                                r_prefix = Some(p.to_owned());
                            }
                        }
                    }
                    root = Some((before, after, r_prefix, has_r));
                }
                (1, "dimension") => {
                    dimension = Some((before, after, attr(&e, "ref").unwrap_or_default()));
                }
                (1, "legacyDrawing") => legacy_found = attr(&e, "id"),
                (1, "sheetData") if empty && marker.pending().is_some() => {
                    let rows = marker.rows(None)?;
                    let open = rewrite_tag(&xml[before..after], &[], Some(false))?;
                    let p = &marker.prefix;
                    splices.replace(before, after, format!("{open}{rows}</{p}sheetData>"));
                }
                (1, "sheetData") => in_sheet_data = true,
                (1, n)
                    if AFTER_LEGACY_DRAWING.contains(&n)
                        && legacy_found.is_none()
                        && legacy_at.is_none() =>
                {
                    legacy_at = Some(before);
                }
                (2, "col") => {
                    let number = |k: &str| attr(&e, k).and_then(|v| v.parse::<u32>().ok());
                    if let (Some(min), Some(max)) = (number("min"), number("max")) {
                        let style = attr(&e, "style").and_then(|v| v.parse().ok()).unwrap_or(0);
                        marker.column_styles.push((min, max, style));
                    }
                }
                (2, "row") if in_sheet_data => {
                    let number = attr(&e, "r")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(last_row + 1);
                    last_row = number;
                    let rows = marker.rows(Some(number))?;
                    if !rows.is_empty() {
                        splices.insert(before, rows);
                    }
                    let custom = attr(&e, "customFormat").is_some_and(|v| v == "1" || v == "true");
                    let mut open = OpenRow {
                        number,
                        style: attr(&e, "s")
                            .and_then(|v| v.parse().ok())
                            .filter(|_| custom),
                        tag: (before, after),
                        ..OpenRow::default()
                    };
                    if empty {
                        let cells = marker.cells(&mut open, None)?;
                        if !cells.is_empty() {
                            let tag = row_tag(&xml[before..after], open.added, Some(false))?;
                            let p = &marker.prefix;
                            splices.replace(before, after, format!("{tag}{cells}</{p}row>"));
                        }
                    } else {
                        row = Some(open);
                    }
                }
                (3, "c") => {
                    if let Some(open) = row.as_mut() {
                        let column = attr(&e, "r")
                            .and_then(|v| split_reference(&v))
                            .map(|(_, c)| c)
                            .unwrap_or_else(|| open.last_column.map_or(0, |c| c + 1));
                        open.last_column = Some(column);
                        let cells = marker.cells(open, Some(column))?;
                        if !cells.is_empty() {
                            splices.insert(before, cells);
                        }
                        if let Some((cell, mark)) = marker.pending() {
                            if cell == (open.number, column) {
                                let base = attr(&e, "s").and_then(|v| v.parse().ok()).unwrap_or(0);
                                let s = marker.style_for(base, mark)?.to_string();
                                splices.replace(
                                    before,
                                    after,
                                    rewrite_tag(&xml[before..after], &[("s", &s)], None)?,
                                );
                                marker.next += 1;
                            }
                        }
                    }
                }
                _ => {}
            },
            Tag::Close { name, depth } => match (depth, name.as_str()) {
                (2, "row") => {
                    if let Some(mut open) = row.take() {
                        let cells = marker.cells(&mut open, None)?;
                        if !cells.is_empty() {
                            splices.insert(before, cells);
                        }
                        if open.added.is_some() {
                            let (start, end) = open.tag;
                            let tag = row_tag(&xml[start..end], open.added, None)?;
                            if tag != xml[start..end] {
                                splices.replace(start, end, tag);
                            }
                        }
                    }
                }
                (1, "sheetData") => {
                    in_sheet_data = false;
                    let rows = marker.rows(None)?;
                    if !rows.is_empty() {
                        splices.insert(before, rows);
                    }
                }
                (0, _) if legacy_found.is_none() && legacy_at.is_none() => {
                    legacy_at = Some(before);
                }
                _ => {}
            },
            Tag::End => break,
            Tag::Other => {}
        }
    }
    if marker.pending().is_some() {
        return Err(XmlError::Missing("sheetData"));
    }

    if let (Some((r, c)), Some((start, end, current))) = (marker.created, &dimension) {
        let grown = grow_dimension(current, r, c);
        if grown != *current {
            splices.replace(
                *start,
                *end,
                rewrite_tag(&xml[*start..*end], &[("ref", &grown)], None)?,
            );
        }
    }
    if let (Some(id), None) = (legacy_id, &legacy_found) {
        let (start, end, r_prefix, has_r) = root.ok_or(XmlError::Missing("worksheet element"))?;
        let at = legacy_at.ok_or(XmlError::Missing("end of the worksheet"))?;
        let r = match r_prefix {
            Some(p) => p,
            None => {
                let p = if has_r { "mavisr" } else { "r" };
                let key = format!("xmlns:{p}");
                splices.replace(
                    start,
                    end,
                    rewrite_tag(&xml[start..end], &[(&key, NS_RELATIONSHIPS)], None)?,
                );
                p.to_owned()
            }
        };
        splices.insert(
            at,
            format!(
                "<{}legacyDrawing {r}:id=\"{}\"/>",
                marker.prefix,
                escape(id)
            ),
        );
    }
    Ok(PatchedSheet {
        xml: splices.apply(xml)?,
        legacy_drawing: legacy_found,
    })
}

/// A row's start tag with its `spans` hint widened to the added columns.
fn row_tag(raw: &str, added: Option<(u32, u32)>, empty: Option<bool>) -> Result<String, XmlError> {
    let spans = first_tag(raw)?.and_then(|(e, _, _)| attr(&e, "spans"));
    let widened = match (spans, added) {
        (Some(spans), Some((lo, hi))) => {
            let (a, b) = spans.split_once(':').unwrap_or((&spans, &spans));
            match (a.trim().parse::<u32>(), b.trim().parse::<u32>()) {
                (Ok(a), Ok(b)) => Some(format!("{}:{}", a.min(lo + 1), b.max(hi + 1))),
                _ => None,
            }
        }
        _ => None,
    };
    match widened {
        Some(w) => rewrite_tag(raw, &[("spans", &w)], empty),
        None => rewrite_tag(raw, &[], empty),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mark::{combine, Annotation};
    use crate::styles::tests::styles;

    fn targets(list: &[Annotation]) -> BTreeMap<(u32, u32), Target> {
        combine(list).unwrap()
    }

    #[test]
    fn marks_existing_missing_and_new_cells() {
        let xml = r#"<worksheet xmlns="m"><dimension ref="A1:B2"/><sheetData><row r="1" spans="1:2"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"/></row><row r="2"><c r="B2"><v>1</v></c></row><row r="5"/></sheetData><pageMargins left="0.7"/></worksheet>"#;
        let t = targets(&[
            Annotation::new(1, 1).with_mark(Mark::Problem),
            Annotation::new(1, 2).with_mark(Mark::Added),
            Annotation::new(2, 0).with_mark(Mark::Conflict),
            Annotation::new(3, 3).with_mark(Mark::Conflict),
            Annotation::new(5, 0).with_mark(Mark::Conflict),
            Annotation::new(7, 0)
                .with_mark(Mark::Conflict)
                .with_note("x"),
        ]);
        let mut s = styles();
        let out = patch_sheet(xml, &t, Some(&mut s), Some("rId9")).unwrap();
        assert_eq!(
            out.xml,
            concat!(
                r#"<worksheet xmlns="m" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1:D7"/><sheetData>"#,
                r#"<row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="B1" s="2"/><c r="C1" s="3"/></row>"#,
                r#"<row r="2"><c r="A2" s="4"/><c r="B2"><v>1</v></c></row>"#,
                r#"<row r="3"><c r="D3" s="4"/></row>"#,
                r#"<row r="5"><c r="A5" s="4"/></row>"#,
                r#"<row r="7"><c r="A7" s="4"/></row>"#,
                r#"</sheetData><pageMargins left="0.7"/><legacyDrawing r:id="rId9"/></worksheet>"#
            )
        );
        // Three marks: three fills, and three formats (B1's own cloned,
        // the default twice).
        let styles = crate::xml::parse(&s.finish().unwrap()).unwrap();
        let count = |list: &str| {
            styles
                .child(list)
                .and_then(|l| l.attr("count"))
                .unwrap()
                .to_owned()
        };
        assert_eq!([count("fills"), count("cellXfs")], ["5", "5"]);
    }

    #[test]
    fn legacy_drawing_goes_before_later_elements() {
        let xml = r#"<x:worksheet xmlns:x="m" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheetData/><x:tableParts count="0"/><x:extLst/></x:worksheet>"#;
        let t = targets(&[Annotation::new(2, 0).with_mark(Mark::Added)]);
        let mut s = styles();
        let out = patch_sheet(xml, &t, Some(&mut s), Some("rId1")).unwrap();
        assert_eq!(
            out.xml,
            r#"<x:worksheet xmlns:x="m" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheetData><x:row r="2"><x:c r="A2" s="2"/></x:row></x:sheetData><x:legacyDrawing rel:id="rId1"/><x:tableParts count="0"/><x:extLst/></x:worksheet>"#
        );
        // A sheet that has one keeps it.
        let xml = r#"<worksheet><sheetData/><legacyDrawing r:id="rId4"/></worksheet>"#;
        let out = patch_sheet(xml, &BTreeMap::new(), None, Some("rId5")).unwrap();
        assert_eq!(out.xml, xml);
        assert_eq!(out.legacy_drawing.as_deref(), Some("rId4"));
    }
}
