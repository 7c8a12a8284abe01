//! Marking cells of an existing workbook with a fill colour and attaching
//! notes (comments) to them, as the merge does for conflicts and changes
//! and the validator does for problems.
//!
//! Like [`crate::edit_sheet`], this patches the `.xlsx` package rather than
//! rewriting it: the sheet's XML changes only in the `s` attribute of marked
//! cells (and the empty cells and rows a mark needs), the style table gains
//! a fill and cell formats cloned from the marked cells' own, and the notes
//! go into a comments part with the legacy VML drawing spreadsheet programs
//! need to show them. Values, dropdowns, hidden and protected sheets and
//! panes are kept byte for byte.

use std::collections::{BTreeMap, BTreeSet};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::error::{Error, ErrorKind, Result};
use crate::xml::{
    escape_text, parse, read_part, relative_target, rels_part_of, resolve_target, rewrite_package,
    Element, Package,
};

const LAST_ROW: u32 = 1_048_576;
const LAST_COLUMN: u32 = 16_383;
const NS_RELATIONSHIPS: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_RELATIONSHIPS_STRICT: &str = "http://purl.oclc.org/ooxml/officeDocument/relationships";
const REL_COMMENTS: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
const REL_VML: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing";
const CT_COMMENTS: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml";
const CT_VML: &str = "application/vnd.openxmlformats-officedocument.vmlDrawing";
const NS_MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
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

/// How a marked cell is filled.
///
/// The colours differ from the row fills of the offline workbook (light
/// red `FFF7D4D1` for refused consent, pale amber `FFFFDC8E` for
/// conflicting consent), so a mark stands out on a coloured row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mark {
    /// Nurses' copies disagree: amber, `FFFFC000`.
    Conflict,
    /// Changed on the day: yellow, `FFFFFF00`.
    ChangedOnTheDay,
    /// A row added on the day: light green, `FFC6EFCE`.
    Added,
    /// The validator found a problem: red, `FFFF8080`.
    Problem,
}

impl Mark {
    /// The fill colour as OOXML writes it, alpha first: `FFFFC000`.
    pub fn argb(self) -> &'static str {
        match self {
            Mark::Conflict => "FFFFC000",
            Mark::ChangedOnTheDay => "FFFFFF00",
            Mark::Added => "FFC6EFCE",
            Mark::Problem => "FFFF8080",
        }
    }

    /// Which of two marks of one cell wins: a problem over a conflict over
    /// a change over an addition.
    fn precedence(self) -> u8 {
        match self {
            Mark::Problem => 3,
            Mark::Conflict => 2,
            Mark::ChangedOnTheDay => 1,
            Mark::Added => 0,
        }
    }
}

/// A mark and/or a note for one cell.
///
/// Several annotations of one cell combine: the cell gets one fill (a
/// problem wins over a conflict, a conflict over a change on the day, a
/// change over an addition) and one note, their texts in the order given,
/// separated by a blank line. An empty note counts as none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// Row number as the spreadsheet shows it (the header is row 1).
    pub row: u32,
    /// Column index, 0 for A.
    pub column: u32,
    /// The fill to give the cell, if any.
    pub mark: Option<Mark>,
    /// The note to attach, if any.
    pub note: Option<String>,
}

impl Annotation {
    /// An annotation of the cell at `row` (1-based) and `column` (0-based)
    /// with neither mark nor note yet.
    pub fn new(row: u32, column: u32) -> Annotation {
        Annotation {
            row,
            column,
            mark: None,
            note: None,
        }
    }

    /// The same annotation with this mark.
    #[must_use]
    pub fn with_mark(mut self, mark: Mark) -> Annotation {
        self.mark = Some(mark);
        self
    }

    /// The same annotation with this note.
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Annotation {
        self.note = Some(note.into());
        self
    }
}

/// What one cell gets once its annotations are combined.
#[derive(Debug, Default)]
struct Target {
    mark: Option<Mark>,
    notes: Vec<String>,
}

/// Mark cells and add notes on one sheet of a workbook, and return the new
/// workbook; `author` is the notes' author as spreadsheet programs show it
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
/// [`ErrorKind::NotAWorkbook`] when the bytes are not a workbook, have no
/// such sheet, or a part that must change cannot be read;
/// [`ErrorKind::Xlsx`] when an annotation's row or column is outside a
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
///     "Vaccinations",
///     &[Annotation::new(2, 24)
///         .with_mark(Mark::Conflict)
///         .with_note("nurse-a.xlsx: Y\nnurse-b.xlsx: N")],
///     "mavis-offline",
/// )?;
/// let dump = WorkbookDump::from_bytes(&marked)?;
/// let sheet = dump.sheet("Vaccinations").unwrap();
/// assert_eq!(sheet.comments[0].reference, "Y2");
/// assert_eq!(sheet.comments[0].text, "nurse-a.xlsx: Y\nnurse-b.xlsx: N");
/// let style = &dump.styles[&sheet.cell("Y2").unwrap().style];
/// assert!(style.contains("fill solid FFFFC000"), "{style}");
/// # Ok::<(), mavis_sheet::Error>(())
/// ```
pub fn annotate_sheet(
    bytes: &[u8],
    sheet: &str,
    annotations: &[Annotation],
    author: &str,
) -> Result<Vec<u8>> {
    let targets = combine(annotations)?;
    let bad = |msg: String| -> Error { ErrorKind::NotAWorkbook(msg).into() };
    let package = Package::open(bytes).map_err(bad)?;
    let part = package.sheet_part(sheet).map_err(bad)?;
    let Package { mut zip, .. } = package;
    let names: BTreeSet<String> = zip
        .file_names()
        .map(|n| n.map(std::borrow::Cow::into_owned))
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| bad(e.to_string()))?;
    let mut read = |name: &str| read_part(&mut zip, name).map_err(|e| bad(format!("{name}: {e}")));
    let required = |part: Option<String>, name: &str| part.ok_or_else(|| bad(format!("no {name}")));

    let sheet_xml = required(read(&part)?, &part)?;

    let mut changed: BTreeMap<String, String> = BTreeMap::new();
    let mut added: Vec<(String, String)> = Vec::new();

    let mut styles = if targets.values().any(|t| t.mark.is_some()) {
        let xml = required(read("xl/styles.xml")?, "xl/styles.xml")?;
        Some(StyleTable::new(xml).map_err(|e| bad(format!("xl/styles.xml: {e}")))?)
    } else {
        None
    };
    let notes: BTreeMap<(u32, u32), String> = targets
        .iter()
        .filter(|(_, t)| !t.notes.is_empty())
        .map(|(k, t)| (*k, t.notes.join("\n\n")))
        .collect();

    let rels_part = rels_part_of(&part);
    let sheet_rels_xml = read(&rels_part)?;
    let sheet_rels = match &sheet_rels_xml {
        Some(xml) => relationships(xml).map_err(|e| bad(format!("{rels_part}: {e}")))?,
        None => Vec::new(),
    };
    let mut free_ids = FreeIds::new(&sheet_rels);
    let new_legacy_id = free_ids.next();
    let patched = patch_sheet(
        &sheet_xml,
        &targets,
        styles.as_mut(),
        (!notes.is_empty()).then_some(new_legacy_id.as_str()),
    )
    .map_err(|e| bad(format!("{part}: {e}")))?;
    changed.insert(part.clone(), patched.xml);

    if !notes.is_empty() {
        let target_of = |id: &str| {
            sheet_rels
                .iter()
                .find(|r| r.id == id && !r.external)
                .map(|r| resolve_target(&part, &r.target))
        };
        let existing_vml = patched.legacy_drawing.as_deref().and_then(target_of);
        let existing_comments = sheet_rels
            .iter()
            .find(|r| r.kind.ends_with("/comments") && !r.external)
            .map(|r| resolve_target(&part, &r.target));
        let n = (1..)
            .find(|n| {
                !names.contains(&format!("xl/comments{n}.xml"))
                    && !names.contains(&format!("xl/drawings/vmlDrawing{n}.vml"))
            })
            .unwrap_or(1);
        let mut new_rels = Vec::new();

        // The comments part.
        let existing = match &existing_comments {
            Some(path) => read(path)?.map(|xml| (path.clone(), xml)),
            None => None,
        };
        let (commented_before, new_cells) = match existing {
            Some((path, xml)) => {
                let (patched, before, new_cells) = patch_comments(&xml, &notes, author)
                    .map_err(|e| bad(format!("{path}: {e}")))?;
                changed.insert(path, patched);
                (before, new_cells)
            }
            None => {
                let path = format!("xl/comments{n}.xml");
                new_rels.push((free_ids.next(), REL_COMMENTS, relative_target(&part, &path)));
                added.push((path, new_comments(&notes, author)));
                (Vec::new(), notes.keys().copied().collect())
            }
        };

        // The VML drawing that shows them.
        let lines = |cell: &(u32, u32)| notes.get(cell).map_or(4, |t| note_lines(t));
        match existing_vml.map(|path| (read(&path), path)) {
            Some((Ok(Some(xml)), path)) => {
                let shapes: Vec<((u32, u32), u32)> =
                    new_cells.iter().map(|c| (*c, lines(c))).collect();
                let patched =
                    append_vml_shapes(&xml, &shapes).map_err(|e| bad(format!("{path}: {e}")))?;
                changed.insert(path, patched);
            }
            Some((Err(e), _)) => return Err(e),
            other => {
                if let Some((_, path)) = other {
                    return Err(bad(format!("no {path}")));
                }
                let mut cells: BTreeSet<(u32, u32)> = commented_before.into_iter().collect();
                cells.extend(new_cells.iter().copied());
                let shapes: Vec<((u32, u32), u32)> = cells.iter().map(|c| (*c, lines(c))).collect();
                let mut block = 0u32;
                for name in names.iter().filter(|n| n.ends_with(".vml")) {
                    if let Some(xml) = read(name)? {
                        block = block.max(max_idmap_block(&xml));
                    }
                }
                let path = format!("xl/drawings/vmlDrawing{n}.vml");
                new_rels.push((
                    new_legacy_id.clone(),
                    REL_VML,
                    relative_target(&part, &path),
                ));
                added.push((path, new_vml(block + 1, &shapes)));
            }
        }

        if !new_rels.is_empty() {
            let entries: String = new_rels
                .iter()
                .map(|(id, kind, target)| {
                    format!(
                        r#"<Relationship Id="{}" Type="{kind}" Target="{}"/>"#,
                        escape(id),
                        escape(target)
                    )
                })
                .collect();
            match sheet_rels_xml {
                Some(xml) => {
                    let at = xml
                        .rfind("</Relationships>")
                        .ok_or_else(|| bad(format!("{rels_part}: no </Relationships>")))?;
                    changed.insert(
                        rels_part.clone(),
                        format!("{}{entries}{}", &xml[..at], &xml[at..]),
                    );
                }
                None => added.push((
                    rels_part.clone(),
                    format!(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{entries}</Relationships>"
                    ),
                )),
            }
            let types = required(read("[Content_Types].xml")?, "[Content_Types].xml")?;
            let new_parts: Vec<&str> = added.iter().map(|(p, _)| p.as_str()).collect();
            let types = content_types(&types, &new_parts)
                .map_err(|e| bad(format!("[Content_Types].xml: {e}")))?;
            changed.insert("[Content_Types].xml".to_owned(), types);
        }
    }
    if let Some(styles) = styles {
        changed.insert(
            "xl/styles.xml".to_owned(),
            styles
                .finish()
                .map_err(|e| bad(format!("xl/styles.xml: {e}")))?,
        );
    }

    let changed: Vec<(String, String)> = changed.into_iter().collect();
    rewrite_package(&mut zip, &changed, &added).map_err(bad)
}

/// Combine the annotations cell by cell, checking their positions.
fn combine(annotations: &[Annotation]) -> Result<BTreeMap<(u32, u32), Target>> {
    let mut targets: BTreeMap<(u32, u32), Target> = BTreeMap::new();
    for a in annotations {
        if a.row == 0 || a.row > LAST_ROW || a.column > LAST_COLUMN {
            return Err(ErrorKind::Xlsx(format!(
                "cannot annotate row {}, column {}: a worksheet has rows 1 to {LAST_ROW} and columns 0 (A) to {LAST_COLUMN} (XFD)",
                a.row, a.column
            ))
            .into());
        }
        let note = a.note.as_deref().filter(|n| !n.is_empty());
        if a.mark.is_none() && note.is_none() {
            continue;
        }
        let target = targets.entry((a.row, a.column)).or_default();
        if let Some(mark) = a.mark {
            if target
                .mark
                .is_none_or(|m| mark.precedence() > m.precedence())
            {
                target.mark = Some(mark);
            }
        }
        if let Some(note) = note {
            target.notes.push(note.to_owned());
        }
    }
    Ok(targets)
}

/// `B3` for row 3, column 1.
fn reference(row: u32, column: u32) -> String {
    format!("{}{row}", mavis_domain::column_letter(column))
}

/// `AB12` as (row, column index).
fn split_reference(reference: &str) -> Option<(u32, u32)> {
    let reference = reference.replace('$', "");
    let digits = reference.find(|c: char| c.is_ascii_digit())?;
    Some((
        reference[digits..].parse().ok()?,
        mavis_domain::column_index(&reference[..digits])?,
    ))
}

// ---------------------------------------------------------------------------
// Small XML tools: spans, tags and splices.

/// The value of an attribute of a tag, by its qualified or local name.
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name || a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(std::borrow::Cow::into_owned)
        })
}

/// The prefix of an element's name with its colon (`x:`), or nothing.
fn prefix_of(e: &BytesStart<'_>) -> String {
    let name = e.name();
    match name.as_ref().split_once(':') {
        Some((p, _)) => format!("{p}:"),
        None => String::new(),
    }
}

/// Rewrite a start or empty tag (the first tag in `raw`), setting some
/// attributes: in place when present, appended otherwise. `empty` forces
/// the tag to be written as empty (`Some(true)`) or as a start tag.
fn rewrite_tag(
    raw: &str,
    set: &[(&str, &str)],
    empty: Option<bool>,
) -> std::result::Result<String, String> {
    let mut reader = Reader::from_str(raw);
    let (e, was_empty) = loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) => break (e, false),
            Event::Empty(e) => break (e, true),
            Event::Eof => return Err("no tag".into()),
            _ => {}
        }
    };
    let mut out = format!("<{}", e.name().as_ref());
    let mut done = vec![false; set.len()];
    for a in e.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        let key = a.key.as_ref();
        let value = match set.iter().position(|(k, _)| *k == key) {
            Some(i) => {
                done[i] = true;
                escape(set[i].1)
            }
            None => a.value.into_owned(),
        };
        let quote = if value.contains('"') { '\'' } else { '"' };
        out.push_str(&format!(" {key}={quote}{value}{quote}"));
    }
    for (i, (k, v)) in set.iter().enumerate() {
        if !done[i] {
            out.push_str(&format!(" {k}=\"{}\"", escape(v)));
        }
    }
    out.push_str(if empty.unwrap_or(was_empty) {
        "/>"
    } else {
        ">"
    });
    Ok(out)
}

/// Replacements of byte ranges of a document, applied all at once.
#[derive(Debug, Default)]
struct Splices(Vec<(usize, usize, String)>);

impl Splices {
    fn insert(&mut self, at: usize, text: String) {
        self.0.push((at, at, text));
    }

    fn replace(&mut self, start: usize, end: usize, text: String) {
        self.0.push((start, end, text));
    }

    fn apply(mut self, xml: &str) -> std::result::Result<String, String> {
        self.0.sort_by_key(|s| s.0); // stable: insertions keep their order
        let mut out = String::with_capacity(xml.len() + 1024);
        let mut cursor = 0;
        for (start, end, text) in self.0 {
            let kept = xml
                .get(cursor..start)
                .ok_or("overlapping changes to the XML")?;
            out.push_str(kept);
            out.push_str(&text);
            cursor = end;
        }
        out.push_str(xml.get(cursor..).ok_or("overlapping changes")?);
        Ok(out)
    }
}

/// An attribute value or an author's name, XML-escaped.
fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// Byte offset of a reader, as a string index.
fn offset(reader: &Reader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

fn xml_error(e: &quick_xml::Error) -> String {
    e.to_string()
}

// ---------------------------------------------------------------------------
// Styles.

/// A list element of the style sheet (`fills`, `cellXfs`): where its tags
/// are and the raw XML of each item.
#[derive(Debug)]
struct StyleList {
    /// The span of its start (or empty) tag.
    open: (usize, usize),
    /// Where its end tag starts; `None` for an empty element.
    close: Option<usize>,
    items: Vec<String>,
}

/// Find a list that is a child of the root, and its items.
fn scan_list(xml: &str, list: &str, item: &str) -> std::result::Result<Option<StyleList>, String> {
    let mut reader = Reader::from_str(xml);
    let mut depth = 0usize;
    let mut found: Option<StyleList> = None;
    let mut inside = false;
    let mut item_start: Option<usize> = None;
    loop {
        let before = offset(&reader);
        let event = reader.read_event().map_err(|e| xml_error(&e))?;
        let after = offset(&reader);
        match &event {
            Event::Start(e) => {
                depth += 1;
                let name = e.local_name();
                if depth == 2 && name.as_ref() == list && found.is_none() {
                    found = Some(StyleList {
                        open: (before, after),
                        close: None,
                        items: Vec::new(),
                    });
                    inside = true;
                } else if inside && depth == 3 && name.as_ref() == item {
                    item_start = Some(before);
                }
            }
            Event::Empty(e) => {
                let name = e.local_name();
                if depth == 1 && name.as_ref() == list && found.is_none() {
                    found = Some(StyleList {
                        open: (before, after),
                        close: None,
                        items: Vec::new(),
                    });
                } else if inside && depth == 2 && name.as_ref() == item {
                    if let Some(f) = found.as_mut() {
                        f.items.push(xml[before..after].to_owned());
                    }
                }
            }
            Event::End(_) => {
                if inside && depth == 3 {
                    if let (Some(start), Some(f)) = (item_start.take(), found.as_mut()) {
                        f.items.push(xml[start..after].to_owned());
                    }
                }
                if inside && depth == 2 {
                    if let Some(f) = found.as_mut() {
                        f.close = Some(before);
                    }
                    inside = false;
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(found)
}

/// An element with its attributes sorted, all the way down, so that two
/// formats can be compared whatever order their attributes were written in.
fn normalized(mut el: Element) -> Element {
    el.attributes.sort();
    el.children = el.children.into_iter().map(normalized).collect();
    el.text = el.text.trim().to_owned();
    el
}

/// The style sheet, with the fills and cell formats marks add.
#[derive(Debug)]
struct StyleTable {
    xml: String,
    prefix: String,
    fills: StyleList,
    xfs: StyleList,
    /// Normalised form of every fill and cell format, existing and new.
    fill_forms: Vec<Element>,
    xf_forms: Vec<Element>,
    new_fills: Vec<String>,
    new_xfs: Vec<String>,
    cache: BTreeMap<(usize, Mark), usize>,
}

impl StyleTable {
    fn new(xml: String) -> std::result::Result<StyleTable, String> {
        let fills = scan_list(&xml, "fills", "fill")?.ok_or("no fills")?;
        let xfs = scan_list(&xml, "cellXfs", "xf")?.ok_or("no cellXfs")?;
        let root = parse(&xml)?;
        let prefix = {
            let mut reader = Reader::from_str(&xml);
            loop {
                match reader.read_event().map_err(|e| xml_error(&e))? {
                    Event::Start(e) | Event::Empty(e) => break prefix_of(&e),
                    Event::Eof => break String::new(),
                    _ => {}
                }
            }
        };
        let forms = |list: &str, item: &str| -> Vec<Element> {
            root.child(list)
                .map(|l| l.children(item).cloned().map(normalized).collect())
                .unwrap_or_default()
        };
        Ok(StyleTable {
            fill_forms: forms("fills", "fill"),
            xf_forms: forms("cellXfs", "xf"),
            xml,
            prefix,
            fills,
            xfs,
            new_fills: Vec::new(),
            new_xfs: Vec::new(),
            cache: BTreeMap::new(),
        })
    }

    /// The index of a solid fill of the mark's colour, added if needed.
    fn fill(&mut self, mark: Mark) -> std::result::Result<usize, String> {
        let p = &self.prefix;
        let xml = format!(
            r#"<{p}fill><{p}patternFill patternType="solid"><{p}fgColor rgb="{}"/><{p}bgColor indexed="64"/></{p}patternFill></{p}fill>"#,
            mark.argb()
        );
        let wanted = normalized(parse(&xml)?);
        if let Some(i) = self.fill_forms.iter().position(|f| *f == wanted) {
            return Ok(i);
        }
        self.fill_forms.push(wanted);
        self.new_fills.push(xml);
        Ok(self.fill_forms.len() - 1)
    }

    /// The index of a cell format like `base` but with the mark's fill.
    fn xf(&mut self, base: usize, mark: Mark) -> std::result::Result<usize, String> {
        if let Some(i) = self.cache.get(&(base, mark)) {
            return Ok(*i);
        }
        let fill = self.fill(mark)?.to_string();
        let p = &self.prefix;
        let raw = self.xfs.items.get(base).or(self.xfs.items.first()).cloned();
        let raw = raw.unwrap_or_else(|| {
            format!(r#"<{p}xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#)
        });
        let mut reader = Reader::from_str(&raw);
        loop {
            match reader.read_event().map_err(|e| xml_error(&e))? {
                Event::Start(_) | Event::Empty(_) => break,
                Event::Eof => return Err("an empty cell format".into()),
                _ => {}
            }
        }
        let tag_end = offset(&reader);
        let xml = format!(
            "{}{}",
            rewrite_tag(
                &raw[..tag_end],
                &[("fillId", &fill), ("applyFill", "1")],
                None
            )?,
            &raw[tag_end..]
        );
        let wanted = normalized(parse(&xml)?);
        let index = match self.xf_forms.iter().position(|f| *f == wanted) {
            Some(i) => i,
            None => {
                self.xf_forms.push(wanted);
                self.new_xfs.push(xml);
                self.xf_forms.len() - 1
            }
        };
        self.cache.insert((base, mark), index);
        Ok(index)
    }

    /// The style sheet with the new fills and formats.
    fn finish(self) -> std::result::Result<String, String> {
        let mut splices = Splices::default();
        for (list, name, new, count) in [
            (&self.fills, "fills", &self.new_fills, self.fill_forms.len()),
            (&self.xfs, "cellXfs", &self.new_xfs, self.xf_forms.len()),
        ] {
            if new.is_empty() {
                continue;
            }
            let count = count.to_string();
            let open = &self.xml[list.open.0..list.open.1];
            let tag = rewrite_tag(open, &[("count", &count)], Some(false))?;
            let items = new.concat();
            match list.close {
                Some(close) => {
                    splices.replace(list.open.0, list.open.1, tag);
                    splices.insert(close, items);
                }
                None => splices.replace(
                    list.open.0,
                    list.open.1,
                    format!("{tag}{items}</{}{name}>", self.prefix),
                ),
            }
        }
        splices.apply(&self.xml)
    }
}

// ---------------------------------------------------------------------------
// The worksheet.

#[derive(Debug)]
struct PatchedSheet {
    xml: String,
    /// The relationship id of a `legacyDrawing` the sheet already had.
    legacy_drawing: Option<String>,
}

/// The row being read.
#[derive(Debug)]
struct OpenRow {
    number: u32,
    /// The row's own format, which its new cells take.
    style: Option<usize>,
    tag: (usize, usize),
    /// Lowest and highest column added (0-based).
    added: Option<(u32, u32)>,
    last_column: Option<u32>,
}

/// Rewrite the worksheet: marked cells get their new format, missing
/// marked cells and rows are added, and a `legacyDrawing` element pointing
/// at `legacy_id` is added when asked and there is none.
fn patch_sheet(
    xml: &str,
    targets: &BTreeMap<(u32, u32), Target>,
    mut styles: Option<&mut StyleTable>,
    legacy_id: Option<&str>,
) -> std::result::Result<PatchedSheet, String> {
    let marked: Vec<((u32, u32), Mark)> = targets
        .iter()
        .filter_map(|(k, t)| t.mark.map(|m| (*k, m)))
        .collect();
    let mut next = 0usize;
    let mut splices = Splices::default();
    let mut reader = Reader::from_str(xml);
    let mut depth = 0usize;
    let mut prefix = String::new();
    let mut root: Option<(usize, usize, Option<String>, bool)> = None; // span, r prefix, has xmlns:r
    let mut dimension: Option<(usize, usize, String)> = None;
    let mut legacy_found: Option<String> = None;
    let mut legacy_at: Option<usize> = None;
    let mut in_sheet_data = false;
    let mut row: Option<OpenRow> = None;
    let mut last_row = 0u32;
    let mut column_styles: Vec<(u32, u32, usize)> = Vec::new(); // 1-based min, max
    let mut created: Option<(u32, u32)> = None; // highest row and column created
    let mut style_for = |base: usize, mark: Mark| -> std::result::Result<usize, String> {
        match styles.as_deref_mut() {
            Some(s) => s.xf(base, mark),
            None => Err("no style sheet".into()),
        }
    };
    let column_style = |styles: &[(u32, u32, usize)], column: u32| -> usize {
        styles
            .iter()
            .find(|(min, max, _)| (*min..=*max).contains(&(column + 1)))
            .map_or(0, |s| s.2)
    };

    loop {
        let before = offset(&reader);
        let event = reader.read_event().map_err(|e| xml_error(&e))?;
        let after = offset(&reader);
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let is_empty = matches!(event, Event::Empty(_));
                let local = e.local_name();
                let name = local.as_ref();
                if depth == 0 {
                    prefix = prefix_of(e);
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
                } else if depth == 1 {
                    match name {
                        "dimension" => {
                            dimension = Some((before, after, attr(e, "ref").unwrap_or_default()));
                        }
                        "legacyDrawing" => legacy_found = attr(e, "id"),
                        "sheetData" if is_empty && next < marked.len() => {
                            let mut rows = String::new();
                            while next < marked.len() {
                                let (text, n) = new_row(
                                    &marked,
                                    next,
                                    &prefix,
                                    &column_styles,
                                    &mut style_for,
                                    &mut created,
                                )?;
                                rows.push_str(&text);
                                next = n;
                            }
                            let open = rewrite_tag(&xml[before..after], &[], Some(false))?;
                            splices.replace(
                                before,
                                after,
                                format!("{open}{rows}</{prefix}sheetData>"),
                            );
                        }
                        "sheetData" => in_sheet_data = true,
                        n if AFTER_LEGACY_DRAWING.contains(&n)
                            && legacy_found.is_none()
                            && legacy_at.is_none() =>
                        {
                            legacy_at = Some(before);
                        }
                        _ => {}
                    }
                } else if depth == 2 && name == "col" {
                    let number = |k: &str| attr(e, k).and_then(|v| v.parse::<u32>().ok());
                    if let (Some(min), Some(max)) = (number("min"), number("max")) {
                        let style = attr(e, "style").and_then(|v| v.parse().ok()).unwrap_or(0);
                        column_styles.push((min, max, style));
                    }
                } else if depth == 2 && in_sheet_data && name == "row" {
                    let number = attr(e, "r")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(last_row + 1);
                    last_row = number;
                    while next < marked.len() && marked[next].0 .0 < number {
                        let (text, n) = new_row(
                            &marked,
                            next,
                            &prefix,
                            &column_styles,
                            &mut style_for,
                            &mut created,
                        )?;
                        splices.insert(before, text);
                        next = n;
                    }
                    let custom = attr(e, "customFormat").is_some_and(|v| v == "1" || v == "true");
                    let style = attr(e, "s").and_then(|v| v.parse().ok()).filter(|_| custom);
                    let mut open = OpenRow {
                        number,
                        style,
                        tag: (before, after),
                        added: None,
                        last_column: None,
                    };
                    if is_empty {
                        let mut cells = String::new();
                        while next < marked.len() && marked[next].0 .0 == number {
                            let ((r, c), mark) = marked[next];
                            let base = open
                                .style
                                .unwrap_or_else(|| column_style(&column_styles, c));
                            cells.push_str(&new_cell(&prefix, r, c, style_for(base, mark)?));
                            note_created(&mut created, r, c);
                            widen(&mut open.added, c);
                            next += 1;
                        }
                        if !cells.is_empty() {
                            let tag = row_tag(&xml[before..after], open.added, Some(false))?;
                            splices.replace(before, after, format!("{tag}{cells}</{prefix}row>"));
                        }
                    } else {
                        row = Some(open);
                    }
                } else if depth == 3 && name == "c" {
                    if let Some(open) = row.as_mut() {
                        let column = attr(e, "r")
                            .and_then(|v| split_reference(&v))
                            .map(|(_, c)| c)
                            .unwrap_or_else(|| open.last_column.map_or(0, |c| c + 1));
                        open.last_column = Some(column);
                        while next < marked.len()
                            && marked[next].0 .0 == open.number
                            && marked[next].0 .1 < column
                        {
                            let ((r, c), mark) = marked[next];
                            let base = open
                                .style
                                .unwrap_or_else(|| column_style(&column_styles, c));
                            splices.insert(before, new_cell(&prefix, r, c, style_for(base, mark)?));
                            note_created(&mut created, r, c);
                            widen(&mut open.added, c);
                            next += 1;
                        }
                        if next < marked.len() && marked[next].0 == (open.number, column) {
                            let base = attr(e, "s").and_then(|v| v.parse().ok()).unwrap_or(0);
                            let s = style_for(base, marked[next].1)?.to_string();
                            splices.replace(
                                before,
                                after,
                                rewrite_tag(&xml[before..after], &[("s", &s)], None)?,
                            );
                            next += 1;
                        }
                    }
                }
                if !is_empty {
                    depth += 1;
                }
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                let local = e.local_name();
                let name = local.as_ref();
                if depth == 2 && name == "row" {
                    if let Some(mut open) = row.take() {
                        while next < marked.len() && marked[next].0 .0 == open.number {
                            let ((r, c), mark) = marked[next];
                            let base = open
                                .style
                                .unwrap_or_else(|| column_style(&column_styles, c));
                            splices.insert(before, new_cell(&prefix, r, c, style_for(base, mark)?));
                            note_created(&mut created, r, c);
                            widen(&mut open.added, c);
                            next += 1;
                        }
                        if open.added.is_some() {
                            let (start, end) = open.tag;
                            let tag = row_tag(&xml[start..end], open.added, None)?;
                            if tag != xml[start..end] {
                                splices.replace(start, end, tag);
                            }
                        }
                    }
                } else if depth == 1 && name == "sheetData" {
                    in_sheet_data = false;
                    while next < marked.len() {
                        let (text, n) = new_row(
                            &marked,
                            next,
                            &prefix,
                            &column_styles,
                            &mut style_for,
                            &mut created,
                        )?;
                        splices.insert(before, text);
                        next = n;
                    }
                } else if depth == 0 && legacy_found.is_none() && legacy_at.is_none() {
                    legacy_at = Some(before);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if next < marked.len() {
        return Err("no sheetData".into());
    }

    if let (Some((r, c)), Some((start, end, current))) = (created, &dimension) {
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
        let (start, end, r_prefix, has_r) = root.ok_or("no worksheet element")?;
        let at = legacy_at.ok_or("no end of the worksheet")?;
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
            format!("<{prefix}legacyDrawing {r}:id=\"{}\"/>", escape(id)),
        );
    }
    Ok(PatchedSheet {
        xml: splices.apply(xml)?,
        legacy_drawing: legacy_found,
    })
}

fn note_created(created: &mut Option<(u32, u32)>, row: u32, column: u32) {
    let (r, c) = created.unwrap_or((row, column));
    *created = Some((r.max(row), c.max(column)));
}

fn widen(range: &mut Option<(u32, u32)>, column: u32) {
    let (lo, hi) = range.unwrap_or((column, column));
    *range = Some((lo.min(column), hi.max(column)));
}

/// An empty cell with a format.
fn new_cell(prefix: &str, row: u32, column: u32, style: usize) -> String {
    format!(r#"<{prefix}c r="{}" s="{style}"/>"#, reference(row, column))
}

/// A new row holding the marked cells of `marked[next]`'s row; returns it
/// and the index after its cells.
fn new_row(
    marked: &[((u32, u32), Mark)],
    mut next: usize,
    prefix: &str,
    column_styles: &[(u32, u32, usize)],
    style_for: &mut impl FnMut(usize, Mark) -> std::result::Result<usize, String>,
    created: &mut Option<(u32, u32)>,
) -> std::result::Result<(String, usize), String> {
    let r = marked[next].0 .0;
    let mut out = format!(r#"<{prefix}row r="{r}">"#);
    while next < marked.len() && marked[next].0 .0 == r {
        let ((_, c), mark) = marked[next];
        let base = column_styles
            .iter()
            .find(|(min, max, _)| (*min..=*max).contains(&(c + 1)))
            .map_or(0, |s| s.2);
        out.push_str(&new_cell(prefix, r, c, style_for(base, mark)?));
        note_created(created, r, c);
        next += 1;
    }
    out.push_str(&format!("</{prefix}row>"));
    Ok((out, next))
}

/// A row's start tag with its `spans` hint widened to the added columns.
fn row_tag(
    raw: &str,
    added: Option<(u32, u32)>,
    empty: Option<bool>,
) -> std::result::Result<String, String> {
    let mut reader = Reader::from_str(raw);
    let spans = loop {
        match reader.read_event().map_err(|e| xml_error(&e))? {
            Event::Start(e) | Event::Empty(e) => break attr(&e, "spans"),
            Event::Eof => break None,
            _ => {}
        }
    };
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

fn grow_dimension(current: &str, max_row: u32, max_column: u32) -> String {
    let start = current.split(':').next().unwrap_or("A1");
    let end = current.rsplit(':').next().unwrap_or(current);
    let (row, column) = split_reference(end).unwrap_or((1, 0));
    let start = if split_reference(start).is_some() {
        start
    } else {
        "A1"
    };
    format!(
        "{start}:{}",
        reference(row.max(max_row), column.max(max_column))
    )
}

// ---------------------------------------------------------------------------
// Relationships and content types.

#[derive(Debug)]
struct Relationship {
    id: String,
    kind: String,
    target: String,
    external: bool,
}

fn relationships(xml: &str) -> std::result::Result<Vec<Relationship>, String> {
    Ok(parse(xml)?
        .children("Relationship")
        .map(|r| Relationship {
            id: r.attr("Id").unwrap_or_default().to_owned(),
            kind: r.attr("Type").unwrap_or_default().to_owned(),
            target: r.attr("Target").unwrap_or_default().to_owned(),
            external: r.attr("TargetMode") == Some("External"),
        })
        .collect())
}

/// Relationship ids not used yet: `rId3`, `rId4`…
#[derive(Debug)]
struct FreeIds {
    used: BTreeSet<String>,
    next: u32,
}

impl FreeIds {
    fn new(rels: &[Relationship]) -> FreeIds {
        let next = rels
            .iter()
            .filter_map(|r| r.id.strip_prefix("rId")?.parse::<u32>().ok())
            .max()
            .unwrap_or(0)
            .saturating_add(1);
        FreeIds {
            used: rels.iter().map(|r| r.id.clone()).collect(),
            next,
        }
    }

    fn next(&mut self) -> String {
        loop {
            let id = format!("rId{}", self.next);
            self.next = self.next.saturating_add(1);
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }
}

/// The content types with the new parts declared.
fn content_types(xml: &str, new_parts: &[&str]) -> std::result::Result<String, String> {
    let types = parse(xml)?;
    let mut entries = String::new();
    let has_default = |ext: &str| {
        types.children("Default").any(|d| {
            d.attr("Extension")
                .is_some_and(|e| e.eq_ignore_ascii_case(ext))
        })
    };
    if new_parts.iter().any(|p| p.ends_with(".vml")) && !has_default("vml") {
        entries.push_str(&format!(
            r#"<Default Extension="vml" ContentType="{CT_VML}"/>"#
        ));
    }
    for part in new_parts {
        let name = format!("/{part}");
        if part.ends_with(".xml")
            && part
                .rsplit('/')
                .next()
                .is_some_and(|f| f.starts_with("comments"))
            && !types
                .children("Override")
                .any(|o| o.attr("PartName") == Some(&name))
        {
            entries.push_str(&format!(
                r#"<Override PartName="{}" ContentType="{CT_COMMENTS}"/>"#,
                escape(&name)
            ));
        }
    }
    let at = xml.rfind("</Types>").ok_or("no </Types>")?;
    Ok(format!("{}{entries}{}", &xml[..at], &xml[at..]))
}

// ---------------------------------------------------------------------------
// Comments.

/// A run of comment text, formatted as spreadsheet programs write notes.
fn run(prefix: &str, text: &str) -> String {
    let p = prefix;
    format!(
        r#"<{p}r><{p}rPr><{p}sz val="8"/><{p}color indexed="81"/><{p}rFont val="Tahoma"/><{p}family val="2"/></{p}rPr><{p}t xml:space="preserve">{}</{p}t></{p}r>"#,
        escape_text(text)
    )
}

fn comment(prefix: &str, cell: (u32, u32), author: usize, text: &str) -> String {
    let p = prefix;
    format!(
        r#"<{p}comment ref="{}" authorId="{author}"><{p}text>{}</{p}text></{p}comment>"#,
        reference(cell.0, cell.1),
        run(p, text)
    )
}

fn new_comments(notes: &BTreeMap<(u32, u32), String>, author: &str) -> String {
    let list: String = notes
        .iter()
        .map(|(cell, text)| comment("", *cell, 0, text))
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<comments xmlns=\"{NS_MAIN}\"><authors><author>{}</author></authors><commentList>{list}</commentList></comments>",
        escape(author)
    )
}

/// The text of a comment or rich string: its `t` elements, in order,
/// without phonetic runs.
pub(crate) fn comment_text(text: &Element) -> String {
    let mut out = String::new();
    for child in &text.children {
        match child.name.as_str() {
            "t" => out.push_str(&child.all_text()),
            "r" => {
                for t in child.children("t") {
                    out.push_str(&t.all_text());
                }
            }
            _ => {}
        }
    }
    crate::xml::decode_ooxml_escapes(&out).into_owned()
}

type CommentPatch = (String, Vec<(u32, u32)>, Vec<(u32, u32)>);

/// Add notes to an existing comments part: a note for a cell that has a
/// comment is appended to it, the others become new comments. Returns the
/// part, the cells that had comments, and the cells that got new ones.
fn patch_comments(
    xml: &str,
    notes: &BTreeMap<(u32, u32), String>,
    author: &str,
) -> std::result::Result<CommentPatch, String> {
    let root = parse(xml)?;
    let authors: Vec<String> = root
        .child("authors")
        .map(|a| a.children("author").map(Element::all_text).collect())
        .unwrap_or_default();
    let author_id = authors.iter().position(|a| a == author);
    let author_index = author_id.unwrap_or(authors.len());
    let mut existing: BTreeMap<(u32, u32), String> = BTreeMap::new();
    for c in root
        .child("commentList")
        .into_iter()
        .flat_map(|l| l.children("comment"))
    {
        if let Some(cell) = c.attr("ref").and_then(split_reference) {
            let text = c.child("text").map(comment_text).unwrap_or_default();
            existing.entry(cell).or_insert(text);
        }
    }
    let new: Vec<((u32, u32), &String)> = notes
        .iter()
        .filter(|(cell, _)| !existing.contains_key(cell))
        .map(|(cell, text)| (*cell, text))
        .collect();
    let appended = |cell: &(u32, u32), text: &str| -> String {
        if existing.get(cell).is_some_and(|t| !t.is_empty()) {
            format!("\n\n{text}")
        } else {
            text.to_owned()
        }
    };

    let mut splices = Splices::default();
    let mut reader = Reader::from_str(xml);
    let mut depth = 0usize;
    let mut prefix = String::new();
    let mut next = 0usize;
    let mut authors_seen = false;
    let mut list_seen = false;
    let mut done: BTreeSet<(u32, u32)> = BTreeSet::new();
    let mut appending: Option<(u32, u32)> = None;
    let author_xml = |p: &str| format!("<{p}author>{}</{p}author>", escape(author));
    loop {
        let before = offset(&reader);
        let event = reader.read_event().map_err(|e| xml_error(&e))?;
        let after = offset(&reader);
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let is_empty = matches!(event, Event::Empty(_));
                let local = e.local_name();
                let name = local.as_ref();
                if depth == 0 {
                    prefix = prefix_of(e);
                } else if depth == 1 && name == "authors" {
                    authors_seen = true;
                    if is_empty && author_id.is_none() {
                        let open = rewrite_tag(&xml[before..after], &[], Some(false))?;
                        splices.replace(
                            before,
                            after,
                            format!("{open}{}</{prefix}authors>", author_xml(&prefix)),
                        );
                    }
                } else if depth == 1 && name == "commentList" {
                    list_seen = true;
                    if !authors_seen && author_id.is_none() {
                        splices.insert(
                            before,
                            format!("<{prefix}authors>{}</{prefix}authors>", author_xml(&prefix)),
                        );
                    }
                    if is_empty {
                        let open = rewrite_tag(&xml[before..after], &[], Some(false))?;
                        let list: String = new
                            .iter()
                            .map(|(cell, text)| comment(&prefix, *cell, author_index, text))
                            .collect();
                        next = new.len();
                        splices.replace(
                            before,
                            after,
                            format!("{open}{list}</{prefix}commentList>"),
                        );
                    }
                } else if depth == 2 && name == "comment" {
                    let cell = attr(e, "ref").and_then(|r| split_reference(&r));
                    if let Some(cell) = cell {
                        while next < new.len() && new[next].0 < cell {
                            let (c, text) = new[next];
                            splices.insert(before, comment(&prefix, c, author_index, text));
                            next += 1;
                        }
                        if let Some(text) = notes.get(&cell).filter(|_| !done.contains(&cell)) {
                            done.insert(cell);
                            if is_empty {
                                let open = rewrite_tag(&xml[before..after], &[], Some(false))?;
                                splices.replace(
                                    before,
                                    after,
                                    format!(
                                        "{open}<{prefix}text>{}</{prefix}text></{prefix}comment>",
                                        run(&prefix, text)
                                    ),
                                );
                            } else {
                                appending = Some(cell);
                            }
                        }
                    }
                } else if depth == 3 && name == "text" && is_empty {
                    if let Some(cell) = appending.take() {
                        let open = rewrite_tag(&xml[before..after], &[], Some(false))?;
                        let text = notes.get(&cell).map(String::as_str).unwrap_or_default();
                        splices.replace(
                            before,
                            after,
                            format!("{open}{}</{prefix}text>", run(&prefix, text)),
                        );
                    }
                }
                if !is_empty {
                    depth += 1;
                }
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                let local = e.local_name();
                let name = local.as_ref();
                if depth == 1 && name == "authors" && author_id.is_none() {
                    splices.insert(before, author_xml(&prefix));
                } else if depth == 3 && name == "text" {
                    if let Some(cell) = appending.take() {
                        let text = notes.get(&cell).map(String::as_str).unwrap_or_default();
                        splices.insert(before, run(&prefix, &appended(&cell, text)));
                    }
                } else if depth == 2 && name == "comment" {
                    appending = None; // a comment without text keeps as it was
                } else if depth == 1 && name == "commentList" {
                    while next < new.len() {
                        let (c, text) = new[next];
                        splices.insert(before, comment(&prefix, c, author_index, text));
                        next += 1;
                    }
                } else if depth == 0 && !list_seen {
                    let mut head = String::new();
                    if !authors_seen && author_id.is_none() {
                        head =
                            format!("<{prefix}authors>{}</{prefix}authors>", author_xml(&prefix));
                    }
                    let list: String = new
                        .iter()
                        .map(|(cell, text)| comment(&prefix, *cell, author_index, text))
                        .collect();
                    next = new.len();
                    splices.insert(
                        before,
                        format!("{head}<{prefix}commentList>{list}</{prefix}commentList>"),
                    );
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((
        splices.apply(xml)?,
        existing.keys().copied().collect(),
        new.iter().map(|(cell, _)| *cell).collect(),
    ))
}

// ---------------------------------------------------------------------------
// The VML drawing.

/// About how many lines a note takes in its box.
fn note_lines(text: &str) -> u32 {
    let lines: usize = text
        .split('\n')
        .map(|l| l.chars().count().div_ceil(32).max(1))
        .sum();
    u32::try_from(lines).unwrap_or(u32::MAX).clamp(3, 40)
}

const SHAPE_TYPE: &str = r##"<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>"##;

/// The hidden note box of one cell, anchored beside it.
fn shape(id: u32, cell: (u32, u32), lines: u32) -> String {
    let (row, column) = (cell.0 - 1, cell.1); // 0-based
    let (top_row, top_offset) = if row == 0 { (0, 2) } else { (row - 1, 10) };
    let left = (column + 1).min(LAST_COLUMN);
    let right = (left + 3).min(LAST_COLUMN);
    let bottom = top_row.saturating_add(lines + 1).min(LAST_ROW - 1);
    let height = f64::from(lines + 1) * 15.0;
    format!(
        concat!(
            r##"<v:shape id="_x0000_s{id}" type="#_x0000_t202" style="position:absolute;margin-left:{ml}pt;margin-top:{mt}pt;width:192pt;height:{h}pt;z-index:{z};visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">"##,
            r##"<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>"##,
            r#"<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>"#,
            r#"<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>"#,
            r#"<x:Anchor>{left}, 15, {top}, {top_offset}, {right}, 15, {bottom}, 4</x:Anchor>"#,
            r#"<x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row><x:Column>{column}</x:Column></x:ClientData></v:shape>"#,
        ),
        id = id,
        ml = f64::from(left) * 48.0 + 11.25,
        mt = f64::from(top_row) * 15.0 + 1.5,
        h = height,
        z = id % 1024,
        left = left,
        top = top_row,
        top_offset = top_offset,
        right = right,
        bottom = bottom,
        row = row,
        column = column,
    )
}

/// A new VML drawing with a note box for each cell, its shape ids in
/// blocks of 1024 from `block`.
fn new_vml(block: u32, shapes: &[((u32, u32), u32)]) -> String {
    let count = u32::try_from(shapes.len()).unwrap_or(u32::MAX);
    let blocks = count / 1023 + 1;
    let data: Vec<String> = (block..block.saturating_add(blocks))
        .map(|b| b.to_string())
        .collect();
    let first = block.saturating_mul(1024).saturating_add(1);
    let body: String = shapes
        .iter()
        .zip(first..)
        .map(|((cell, lines), id)| shape(id, *cell, *lines))
        .collect();
    format!(
        concat!(
            r#"<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">"#,
            r#"<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{}"/></o:shapelayout>"#,
            "{}{}</xml>"
        ),
        data.join(","),
        SHAPE_TYPE,
        body
    )
}

/// The highest shape-id block an existing VML drawing claims.
fn max_idmap_block(vml: &str) -> u32 {
    let mut max = 0;
    let mut rest = vml;
    while let Some(at) = rest.find("idmap") {
        rest = &rest[at + 5..];
        let Some(data) = rest.find("data=") else {
            break;
        };
        let value = &rest[data + 5..];
        let value = value.trim_start_matches(['"', '\'']);
        let end = value.find(['"', '\'']).unwrap_or(value.len());
        for n in value[..end].split(',') {
            if let Ok(n) = n.trim().parse::<u32>() {
                max = max.max(n);
            }
        }
    }
    // Shape ids beyond the claimed blocks count too.
    max.max(max_shape_id(vml) / 1024)
}

fn max_shape_id(vml: &str) -> u32 {
    vml.match_indices("_x0000_s")
        .filter_map(|(at, m)| {
            let digits: String = vml[at + m.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse::<u32>().ok()
        })
        .max()
        .unwrap_or(0)
}

/// Add note boxes to an existing VML drawing (not always well-formed XML,
/// so this works on its text).
fn append_vml_shapes(
    vml: &str,
    shapes: &[((u32, u32), u32)],
) -> std::result::Result<String, String> {
    if shapes.is_empty() {
        return Ok(vml.to_owned());
    }
    let at = vml.rfind("</xml>").ok_or("no </xml>")?;
    let first = max_shape_id(vml).max(max_idmap_block(vml) * 1024) + 1;
    let mut body = String::new();
    if !vml.contains("_x0000_t202") {
        body.push_str(SHAPE_TYPE);
    }
    for ((cell, lines), id) in shapes.iter().zip(first..) {
        body.push_str(&shape(id, *cell, *lines));
    }
    Ok(format!("{}{body}{}", &vml[..at], &vml[at..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(list: &[Annotation]) -> BTreeMap<(u32, u32), Target> {
        combine(list).unwrap()
    }

    fn styles() -> StyleTable {
        StyleTable::new(
            concat!(
                r#"<styleSheet xmlns="m"><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#,
                r#"<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="1" fillId="0" borderId="1" xfId="0" applyNumberFormat="1"><alignment wrapText="1"/></xf></cellXfs></styleSheet>"#
            )
            .to_owned(),
        )
        .unwrap()
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
        let styles = s.finish().unwrap();
        assert!(styles.contains(r#"<fills count="5">"#), "{styles}");
        assert!(
            styles.contains(r#"<xf numFmtId="164" fontId="1" fillId="2" borderId="1" xfId="0" applyNumberFormat="1" applyFill="1"><alignment wrapText="1"/></xf>"#),
            "{styles}"
        );
        assert!(styles.contains(r#"<cellXfs count="5">"#), "{styles}");
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

    #[test]
    fn combining() {
        let t = targets(&[
            Annotation::new(2, 1)
                .with_mark(Mark::Added)
                .with_note("one"),
            Annotation::new(2, 1).with_mark(Mark::Problem),
            Annotation::new(2, 1)
                .with_mark(Mark::Conflict)
                .with_note("two"),
            Annotation::new(3, 1).with_note(""),
        ]);
        assert_eq!(t.len(), 1);
        assert_eq!(t[&(2, 1)].mark, Some(Mark::Problem));
        assert_eq!(t[&(2, 1)].notes, ["one", "two"]);
        assert!(combine(&[Annotation::new(0, 0).with_note("x")]).is_err());
        assert!(combine(&[Annotation::new(1, 16_384).with_note("x")]).is_err());
    }

    #[test]
    fn comments_are_added_to() {
        let xml = r#"<comments xmlns="m"><authors><author>nurse</author></authors><commentList><comment ref="B2" authorId="0"><text><t>old</t></text></comment><comment ref="D9" authorId="0"><text><r><t>x</t></r></text></comment></commentList></comments>"#;
        let mut notes = BTreeMap::new();
        notes.insert((2, 1), "new".to_owned());
        notes.insert((1, 0), "first".to_owned());
        notes.insert((12, 0), "last".to_owned());
        let (out, before, new) = patch_comments(xml, &notes, "mavis-offline").unwrap();
        assert_eq!(before, [(2, 1), (9, 3)]);
        assert_eq!(new, [(1, 0), (12, 0)]);
        let root = parse(&out).unwrap();
        let authors: Vec<String> = root
            .child("authors")
            .unwrap()
            .children("author")
            .map(Element::all_text)
            .collect();
        assert_eq!(authors, ["nurse", "mavis-offline"]);
        let comments: Vec<(String, String, String)> = root
            .child("commentList")
            .unwrap()
            .children("comment")
            .map(|c| {
                (
                    c.attr("ref").unwrap().to_owned(),
                    c.attr("authorId").unwrap().to_owned(),
                    comment_text(c.child("text").unwrap()),
                )
            })
            .collect();
        assert_eq!(
            comments,
            [
                ("A1".into(), "1".into(), "first".into()),
                ("B2".into(), "0".into(), "old\n\nnew".into()),
                ("D9".into(), "0".into(), "x".into()),
                ("A12".into(), "1".into(), "last".into()),
            ]
        );
    }

    #[test]
    fn vml_ids() {
        let vml = new_vml(1, &[((2, 1), 3), ((3, 1), 3)]);
        assert!(vml.contains(r#"data="1""#));
        assert!(vml.contains("_x0000_s1025") && vml.contains("_x0000_s1026"));
        assert_eq!(max_idmap_block(&vml), 1);
        let more = append_vml_shapes(&vml, &[((4, 0), 3)]).unwrap();
        assert!(more.contains("_x0000_s1027"));
        assert_eq!(more.matches("id=\"_x0000_t202\"").count(), 1);
        assert!(more.contains("<x:Row>3</x:Row><x:Column>0</x:Column>"));
    }
}
