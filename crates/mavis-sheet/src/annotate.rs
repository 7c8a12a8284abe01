//! Marking cells of an existing workbook with a fill colour and attaching
//! notes (comments) to them, as the merge does for conflicts and changes
//! and the validator does for problems.
//!
//! Like [`crate::edit_sheet`], this patches the `.xlsx` package (through
//! [`crate::package::Package`]) rather than rewriting it: the sheet's XML
//! changes only in the `s` attribute of marked cells (and the empty cells
//! and rows a mark needs, [`crate::marked_sheet`]), the style table gains a
//! fill and cell formats cloned from the marked cells' own
//! ([`crate::styles`]), and the notes go into a comments part
//! ([`crate::notes`]) with the legacy VML drawing spreadsheet programs need
//! to show them ([`crate::vml`]). Values, dropdowns, hidden and protected
//! sheets and panes are kept byte for byte.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Result;
use crate::mark::{combine, Annotation, Target};
use crate::marked_sheet::patch_sheet;
use crate::notes::{new_comments, patch_comments};
use crate::package::{
    comments_part, relationships, relative_target, rels_part_of, resolve_target, FreeIds, Package,
    PackageError, Relationship, CT_COMMENTS, CT_VML, REL_COMMENTS, REL_VML, STYLES,
};
use crate::styles::StyleTable;
use crate::vml::{append_vml_shapes, max_idmap_block, new_vml, note_lines};

/// Mark cells and add notes on one sheet of a workbook, and return the new
/// workbook; `file` is the workbook's name as the user knows it (for
/// messages), `author` the notes' author as spreadsheet programs show it
/// (e.g. `mavis-offline`).
///
/// A marked cell keeps its border, font, number format and alignment: its
/// cell format is cloned with the mark's fill. A marked cell that does not
/// exist is added, empty. A note for a cell that already has one is added
/// to its text after a blank line. Everything else in the workbook is kept
/// as it was, and the same input gives the same bytes.
///
/// # Errors
///
/// [`ErrorKind::NotAWorkbook`](crate::ErrorKind::NotAWorkbook), naming `file`, when the bytes are not a
/// workbook, have no such sheet, or a part that must change cannot be read;
/// [`ErrorKind::Xlsx`](crate::ErrorKind::Xlsx) when an annotation's row or column is outside a
/// worksheet (rows 1 to 1048576, columns A to XFD).
///
/// # Examples
///
/// ```
/// use mavis_domain::chrono::NaiveDate;
/// use mavis_demo::{self as demo, DemoOptions};
/// use mavis_sheet::dump::WorkbookDump;
/// use mavis_sheet::{annotate_sheet, Annotation, Mark, OfflineWorkbook};
///
/// let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
/// let doc = demo::session(&DemoOptions { children: 3, ..DemoOptions::new(today) });
/// let base = OfflineWorkbook::new(&doc, today).to_bytes()?;
/// let marked = annotate_sheet(
///     &base,
///     "merged.xlsx",
///     "Vaccinations",
///     &[Annotation::new(2, 24)
///         .with_mark(Mark::Conflict)
///         .with_note("nurse-a.xlsx: Y\nnurse-b.xlsx: N")],
///     "mavis-offline",
/// )?;
/// let dump = WorkbookDump::from_bytes(&marked, "merged.xlsx")?;
/// let sheet = dump.sheet("Vaccinations").unwrap();
/// assert_eq!(sheet.comments[0].reference, "Y2");
/// assert_eq!(sheet.comments[0].text, "nurse-a.xlsx: Y\nnurse-b.xlsx: N");
/// let style = &dump.styles[&sheet.cell("Y2").unwrap().style];
/// assert!(style.contains("fill solid FFFFC000"), "{style}");
///
/// let err = annotate_sheet(&base, "merged.xlsx", "Nope", &[], "mavis-offline").unwrap_err();
/// assert!(err.to_string().starts_with("merged.xlsx: "), "{err}");
/// assert!(err.to_string().contains(r#"no sheet named "Nope""#), "{err}");
/// # Ok::<(), mavis_sheet::Error>(())
/// ```
pub fn annotate_sheet(
    bytes: &[u8],
    file: &str,
    sheet: &str,
    annotations: &[Annotation],
    author: &str,
) -> Result<Vec<u8>> {
    let targets = combine(annotations)?;
    crate::package::patch(bytes, file, |package| {
        mark(package, sheet, &targets, author)
    })
}

/// The notes of each cell, joined.
type Notes = BTreeMap<(u32, u32), String>;

/// Mark and note the cells of `sheet` in the package.
fn mark(
    package: &mut Package<'_>,
    sheet: &str,
    targets: &BTreeMap<(u32, u32), Target>,
    author: &str,
) -> std::result::Result<(), PackageError> {
    let part = package.sheet_part(sheet)?;
    let sheet_xml = package.required(&part)?;
    let mut styles = if targets.values().any(|t| t.mark.is_some()) {
        let xml = package.required(STYLES)?;
        Some(StyleTable::new(xml).map_err(PackageError::part(STYLES))?)
    } else {
        None
    };
    let notes: Notes = targets
        .iter()
        .filter(|(_, t)| !t.notes.is_empty())
        .map(|(k, t)| (*k, t.notes.join("\n\n")))
        .collect();

    let rels_part = rels_part_of(&part);
    let rels_xml = package.read(&rels_part)?;
    let rels = match &rels_xml {
        Some(xml) => relationships(xml).map_err(PackageError::part(&rels_part))?,
        None => Vec::new(),
    };
    let mut free_ids = FreeIds::after_highest(&rels);
    let legacy_id = free_ids.next();
    let patched = patch_sheet(
        &sheet_xml,
        targets,
        styles.as_mut(),
        (!notes.is_empty()).then_some(legacy_id.as_str()),
    )
    .map_err(PackageError::part(&part))?;
    package.replace(part.clone(), patched.xml);

    if !notes.is_empty() {
        let sheet = SheetNotes {
            part: &part,
            rels: &rels,
            notes: &notes,
            author,
        };
        let legacy = (patched.legacy_drawing, legacy_id);
        let new_rels = sheet.write(package, &mut free_ids, legacy)?;
        if !new_rels.is_empty() {
            package.add_relationships(&rels_part, rels_xml.as_deref(), &new_rels)?;
            let vml = package.added().any(|p| p.ends_with(".vml"));
            let comments: Vec<String> = package
                .added()
                .filter(|p| {
                    p.ends_with(".xml")
                        && p.rsplit('/')
                            .next()
                            .is_some_and(|f| f.starts_with("comments"))
                })
                .map(str::to_owned)
                .collect();
            let overrides: Vec<(&str, &str)> =
                comments.iter().map(|p| (p.as_str(), CT_COMMENTS)).collect();
            let defaults: &[(&str, &str)] = if vml { &[("vml", CT_VML)] } else { &[] };
            package.declare_types(defaults, &overrides)?;
        }
    }
    if let Some(styles) = styles {
        let xml = styles.finish().map_err(PackageError::part(STYLES))?;
        package.replace(STYLES, xml);
    }
    Ok(())
}

/// The notes of one sheet, to be written to its comments part and shown
/// by its VML drawing.
struct SheetNotes<'a> {
    /// The worksheet's part.
    part: &'a str,
    /// The worksheet's relationships.
    rels: &'a [Relationship],
    notes: &'a Notes,
    author: &'a str,
}

/// A new relationship of the worksheet: id, type, target.
type NewRelationship = (String, &'static str, String);

impl SheetNotes<'_> {
    /// The part a relationship of the worksheet points at.
    fn target(&self, found: Option<&Relationship>) -> Option<String> {
        found
            .filter(|r| !r.external)
            .map(|r| resolve_target(self.part, &r.target))
    }

    /// Write the notes into the comments part (patched, or new) and the
    /// VML drawing; `legacy` is the relationship id of the sheet's own
    /// drawing, if it has one, and the id a new drawing takes. Returns the
    /// relationships the new parts need.
    fn write(
        &self,
        package: &mut Package<'_>,
        free_ids: &mut FreeIds,
        (legacy_drawing, legacy_id): (Option<String>, String),
    ) -> std::result::Result<Vec<NewRelationship>, PackageError> {
        let existing_vml = legacy_drawing
            .and_then(|id| self.target(self.rels.iter().find(|r| r.id == id && !r.external)));
        let existing_comments = comments_part(self.part, self.rels);
        let n = (1..)
            .find(|n| {
                !package.has(&format!("xl/comments{n}.xml"))
                    && !package.has(&format!("xl/drawings/vmlDrawing{n}.vml"))
            })
            .unwrap_or(1);
        let mut new_rels = Vec::new();

        // The comments part.
        let existing = match &existing_comments {
            Some(path) => package.read(path)?.map(|xml| (path.clone(), xml)),
            None => None,
        };
        let (commented_before, new_cells) = match existing {
            Some((path, xml)) => {
                let (patched, before, new_cells) = patch_comments(&xml, self.notes, self.author)
                    .map_err(PackageError::part(&path))?;
                package.replace(path, patched);
                (before, new_cells)
            }
            None => {
                let path = format!("xl/comments{n}.xml");
                let target = relative_target(self.part, &path);
                new_rels.push((free_ids.next(), REL_COMMENTS, target));
                package.add(path, new_comments(self.notes, self.author));
                (Vec::new(), self.notes.keys().copied().collect())
            }
        };

        // The VML drawing that shows them.
        let lines = |cell: &(u32, u32)| self.notes.get(cell).map_or(4, |t| note_lines(t));
        if let Some(path) = existing_vml {
            let xml = package
                .read(&path)?
                .ok_or_else(|| PackageError::Missing(path.clone()))?;
            let shapes: Vec<((u32, u32), u32)> = new_cells.iter().map(|c| (*c, lines(c))).collect();
            let patched = append_vml_shapes(&xml, &shapes).map_err(PackageError::part(&path))?;
            package.replace(path, patched);
        } else {
            let mut cells: BTreeSet<(u32, u32)> = commented_before.into_iter().collect();
            cells.extend(new_cells.iter().copied());
            let shapes: Vec<((u32, u32), u32)> = cells.iter().map(|c| (*c, lines(c))).collect();
            let drawings: Vec<String> = package
                .names()
                .filter(|n| n.ends_with(".vml"))
                .map(str::to_owned)
                .collect();
            let mut block = 0u32;
            for name in drawings {
                if let Some(xml) = package.read(&name)? {
                    block = block.max(max_idmap_block(&xml));
                }
            }
            let path = format!("xl/drawings/vmlDrawing{n}.vml");
            new_rels.push((legacy_id, REL_VML, relative_target(self.part, &path)));
            package.add(path, new_vml(block + 1, &shapes));
        }
        Ok(new_rels)
    }
}
