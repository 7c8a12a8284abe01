//! The one OOXML package patcher: an `.xlsx` opened as a zip, its sheets
//! found by name through `xl/workbook.xml` and its relationships, parts
//! read, replaced and added (with their relationships and content types),
//! and the package written again deterministically, every part it did not
//! change copied as it was.
//!
//! [`crate::annotate_sheet`], [`crate::add_problems_sheet`] and
//! [`crate::edit_sheet`] patch workbooks through it, and
//! `WorkbookDump` (the dump) reads them through it. What goes wrong is a
//! [`PackageError`], which [`PackageError::in_file`] turns into the crate's
//! [`ErrorKind::NotAWorkbook`] naming the file.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read, Seek, Write};

use crate::error::{Error, ErrorKind};
use crate::xml::{parse, Element, XmlError};
use crate::xml_patch::{escape, find_element, first_tag, Splices};

/// A relationship type: `concat_rel!("comments")`.
macro_rules! concat_rel {
    ($kind:literal) => {
        concat!(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/",
            $kind
        )
    };
}

/// A content type: `concat_ct!("vmlDrawing")`.
macro_rules! concat_ct {
    ($kind:literal) => {
        concat!("application/vnd.openxmlformats-officedocument.", $kind)
    };
}

/// What is wrong with a package that was to be read or patched.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PackageError {
    /// Not a zip archive, or one that cannot be read or written.
    #[error("{0}")]
    Zip(#[from] zip::result::ZipError),
    /// A part could not be taken out of the archive.
    #[error("{part}: {source}")]
    Unzip {
        /// The part.
        part: String,
        /// Why.
        source: zip::result::ZipError,
    },
    /// A part could not be read (too large, or not UTF-8).
    #[error("{part}: {source}")]
    Unreadable {
        /// The part.
        part: String,
        /// Why.
        source: std::io::Error,
    },
    /// A part that must be there is not.
    #[error("no {0}")]
    Missing(String),
    /// The workbook has no sheet of this name.
    #[error("no sheet named {0:?}")]
    NoSheet(String),
    /// The workbook lists a sheet whose part it does not say.
    #[error("no part for the sheet {0:?}")]
    NoSheetPart(String),
    /// A part's XML is broken or lacks what a patch needs.
    #[error("{part}: {source}")]
    Part {
        /// The part.
        part: String,
        /// What is wrong.
        source: XmlError,
    },
    /// The workbook already has a sheet of a name a patch would add, one
    /// mavis-offline did not write.
    #[error(
        "it already has a sheet named {0:?} that mavis-offline did not write; rename that sheet \
         and check again"
    )]
    SheetTaken(String),
    /// Writing the new package failed.
    #[error("{0}")]
    Write(#[from] std::io::Error),
}

impl PackageError {
    /// A broken part: `part`'s XML, and what is wrong with it.
    pub(crate) fn part(part: &str) -> impl FnOnce(XmlError) -> PackageError + '_ {
        move |source| PackageError::Part {
            part: part.to_owned(),
            source,
        }
    }

    /// The crate's error for this, naming `file` (the workbook's name as
    /// the user knows it) and saying what to do.
    pub(crate) fn in_file(self, file: &str) -> Error {
        let message = match &self {
            PackageError::NoSheet(_) => format!(
                "it has {self}; check that this is the right workbook and that the sheet has \
                 not been renamed"
            ),
            PackageError::SheetTaken(_) => self.to_string(),
            _ => format!(
                "this is not an Excel workbook (.xlsx) that can be read ({self}); save it again \
                 from the spreadsheet program as an Excel workbook and try again"
            ),
        };
        ErrorKind::NotAWorkbook {
            file: file.to_owned(),
            message,
        }
        .into()
    }
}

/// Open the workbook `bytes`, let `change` patch it, and write it again;
/// an error names `file` (the workbook's name as the user knows it).
pub(crate) fn patch(
    bytes: &[u8],
    file: &str,
    change: impl FnOnce(&mut Package<'_>) -> Result<(), PackageError>,
) -> crate::Result<Vec<u8>> {
    let mut package = Package::open(bytes).map_err(|e| e.in_file(file))?;
    change(&mut package).map_err(|e| e.in_file(file))?;
    package.finish().map_err(|e| e.in_file(file))
}

/// Read one part of a zip archive as text, `None` when it is absent.
pub(crate) fn read_part<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Option<String>, PackageError> {
    let mut file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(source) => {
            return Err(PackageError::Unzip {
                part: name.to_owned(),
                source,
            })
        }
    };
    let mut s = String::new();
    crate::limits::read_capped(
        &mut file,
        crate::ReadLimits::default().max_part_bytes,
        &mut s,
    )
    .map_err(|source| PackageError::Unreadable {
        part: name.to_owned(),
        source,
    })?;
    Ok(Some(s))
}

/// An `.xlsx` package opened for reading or patching.
pub(crate) struct Package<'b> {
    zip: zip::ZipArchive<Cursor<&'b [u8]>>,
    names: BTreeSet<String>,
    changed: BTreeMap<String, String>,
    added: Vec<(String, String)>,
    removed: BTreeSet<String>,
}

/// `xl/workbook.xml` and its relationships, as text and as trees.
pub(crate) struct Workbook {
    /// `xl/workbook.xml`.
    pub(crate) xml: String,
    /// `xl/_rels/workbook.xml.rels`.
    pub(crate) rels_xml: String,
    /// `xl/workbook.xml`, parsed.
    pub(crate) tree: Element,
    /// Its relationships, parsed.
    pub(crate) rels: Element,
}

// The namespaces of the parts patches write, and the relationship and
// content types of the parts they add.
pub(crate) const NS_MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
pub(crate) const NS_RELATIONSHIPS: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
pub(crate) const NS_RELATIONSHIPS_STRICT: &str =
    "http://purl.oclc.org/ooxml/officeDocument/relationships";
pub(crate) const REL_COMMENTS: &str = concat_rel!("comments");
pub(crate) const REL_VML: &str = concat_rel!("vmlDrawing");
pub(crate) const REL_WORKSHEET: &str = concat_rel!("worksheet");
pub(crate) const CT_COMMENTS: &str = concat_ct!("spreadsheetml.comments+xml");
pub(crate) const CT_VML: &str = concat_ct!("vmlDrawing");
pub(crate) const CT_WORKSHEET: &str = concat_ct!("spreadsheetml.worksheet+xml");

/// The workbook part.
pub(crate) const WORKBOOK: &str = "xl/workbook.xml";
/// The workbook's relationships part.
pub(crate) const WORKBOOK_RELS: &str = "xl/_rels/workbook.xml.rels";
/// The content types part.
pub(crate) const CONTENT_TYPES: &str = "[Content_Types].xml";
/// The style sheet part.
pub(crate) const STYLES: &str = "xl/styles.xml";

impl Workbook {
    /// The part of the sheet with this name: `xl/worksheets/sheet1.xml`.
    pub(crate) fn sheet_part(&self, name: &str) -> Option<String> {
        sheet_part(&self.tree, &self.rels, name)
    }

    /// The sheets' entries (`<sheet name=… r:id=…/>`), in workbook order.
    pub(crate) fn sheets(&self) -> impl Iterator<Item = &Element> {
        self.tree
            .child("sheets")
            .into_iter()
            .flat_map(|s| s.children("sheet"))
    }
}

impl<'b> Package<'b> {
    /// Open a package: the error says why the bytes are not a zip.
    pub(crate) fn open(bytes: &'b [u8]) -> Result<Package<'b>, PackageError> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes))?;
        let names = zip
            .file_names()
            .map(|n| n.map(std::borrow::Cow::into_owned))
            .collect::<Result<_, _>>()?;
        Ok(Package {
            zip,
            names,
            changed: BTreeMap::new(),
            added: Vec::new(),
            removed: BTreeSet::new(),
        })
    }

    /// Whether the package has a part of this name.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// The names of its parts, sorted.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    /// A part as it is in the input (not as a patch changed it), `None`
    /// when absent.
    pub(crate) fn read(&mut self, name: &str) -> Result<Option<String>, PackageError> {
        read_part(&mut self.zip, name)
    }

    /// A part that must be there.
    pub(crate) fn required(&mut self, name: &str) -> Result<String, PackageError> {
        self.read(name)?
            .ok_or_else(|| PackageError::Missing(name.to_owned()))
    }

    /// A part parsed, `None` when absent.
    pub(crate) fn tree(&mut self, name: &str) -> Result<Option<Element>, PackageError> {
        self.read(name)?
            .map(|xml| parse(&xml).map_err(PackageError::part(name)))
            .transpose()
    }

    /// The workbook part and its relationships, which must both be there.
    pub(crate) fn workbook(&mut self) -> Result<Workbook, PackageError> {
        let xml = self.required(WORKBOOK)?;
        let rels_xml = self
            .read(WORKBOOK_RELS)?
            .ok_or_else(|| PackageError::Missing("workbook relationships".to_owned()))?;
        Ok(Workbook {
            tree: parse(&xml).map_err(PackageError::part(WORKBOOK))?,
            rels: parse(&rels_xml).map_err(PackageError::part(WORKBOOK_RELS))?,
            xml,
            rels_xml,
        })
    }

    /// The part of the sheet with this name.
    pub(crate) fn sheet_part(&mut self, sheet: &str) -> Result<String, PackageError> {
        self.workbook()?
            .sheet_part(sheet)
            .ok_or_else(|| PackageError::NoSheet(sheet.to_owned()))
    }

    /// Write a part again with this text.
    pub(crate) fn replace(&mut self, name: impl Into<String>, xml: String) {
        self.changed.insert(name.into(), xml);
    }

    /// Add a new part, after the others.
    pub(crate) fn add(&mut self, name: impl Into<String>, xml: String) {
        self.added.push((name.into(), xml));
    }

    /// The parts added so far.
    pub(crate) fn added(&self) -> impl Iterator<Item = &str> {
        self.added.iter().map(|(n, _)| n.as_str())
    }

    /// Add relationships (id, type, target) to the relationships part
    /// `rels_part`, whose text in the input is `existing` (`None`: a new
    /// part is added).
    pub(crate) fn add_relationships(
        &mut self,
        rels_part: &str,
        existing: Option<&str>,
        entries: &[(String, &str, String)],
    ) -> Result<(), PackageError> {
        let entries: String = entries
            .iter()
            .map(|(id, kind, target)| {
                format!(
                    r#"<Relationship Id="{}" Type="{kind}" Target="{}"/>"#,
                    escape(id),
                    escape(target)
                )
            })
            .collect();
        match existing {
            Some(xml) => {
                let at = xml
                    .rfind("</Relationships>")
                    .ok_or(XmlError::Missing("</Relationships>"))
                    .map_err(PackageError::part(rels_part))?;
                self.replace(rels_part, format!("{}{entries}{}", &xml[..at], &xml[at..]));
            }
            None => self.add(
                rels_part,
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{entries}</Relationships>"
                ),
            ),
        }
        Ok(())
    }

    /// Declare content types in `[Content_Types].xml`: a `Default` for each
    /// (extension, type) and an `Override` for each (part, type) it does not
    /// have yet.
    pub(crate) fn declare_types(
        &mut self,
        defaults: &[(&str, &str)],
        overrides: &[(&str, &str)],
    ) -> Result<(), PackageError> {
        let xml = self.required(CONTENT_TYPES)?;
        let types =
            content_types(&xml, defaults, overrides).map_err(PackageError::part(CONTENT_TYPES))?;
        self.replace(CONTENT_TYPES, types);
        Ok(())
    }

    /// Remove the sheet named `sheet`: its entry in the workbook, its
    /// relationship, its content type, its part and the part's
    /// relationships. Names defined for one sheet and the selected tab are
    /// not renumbered, so it is for a sheet after the others (as the hidden
    /// `Session` sheet is).
    pub(crate) fn remove_sheet(&mut self, sheet: &str) -> Result<(), PackageError> {
        let workbook = self.workbook()?;
        let part = workbook
            .sheet_part(sheet)
            .ok_or_else(|| PackageError::NoSheet(sheet.to_owned()))?;
        let rid = workbook
            .sheets()
            .find(|s| s.attr("name") == Some(sheet))
            .and_then(|s| s.attr("id"))
            .unwrap_or_default()
            .to_owned();
        let xml = without_items(&workbook.xml, "sheets", "sheet", |tag| {
            crate::xml_patch::attr(tag, "name").as_deref() == Some(sheet)
        })
        .map_err(PackageError::part(WORKBOOK))?;
        self.replace(WORKBOOK, xml);
        let rels = without_items(&workbook.rels_xml, "Relationships", "Relationship", |tag| {
            crate::xml_patch::attr(tag, "Id").as_deref() == Some(rid.as_str())
        })
        .map_err(PackageError::part(WORKBOOK_RELS))?;
        self.replace(WORKBOOK_RELS, rels);
        let types = self.required(CONTENT_TYPES)?;
        let name = format!("/{part}");
        let types = without_items(&types, "Types", "Override", |tag| {
            crate::xml_patch::attr(tag, "PartName").as_deref() == Some(name.as_str())
        })
        .map_err(PackageError::part(CONTENT_TYPES))?;
        self.replace(CONTENT_TYPES, types);
        self.removed.insert(rels_part_of(&part));
        self.removed.insert(part);
        Ok(())
    }

    /// The package written again: changed parts replaced, added parts
    /// after the others, every other part copied as it was; fixed
    /// timestamps, so the same input gives the same bytes.
    pub(crate) fn finish(mut self) -> Result<Vec<u8>, PackageError> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        for i in 0..self.zip.len() {
            let mut file = self.zip.by_index(i)?;
            let name = file.name()?.into_owned();
            if self.removed.contains(&name) {
                continue;
            }
            out.start_file(name.as_str(), options)?;
            if let Some(content) = self.changed.get(&name) {
                out.write_all(content.as_bytes())?;
            } else {
                let mut content = Vec::new();
                file.read_to_end(&mut content)?;
                out.write_all(&content)?;
            }
        }
        for (name, content) in &self.added {
            out.start_file(name.as_str(), options)?;
            out.write_all(content.as_bytes())?;
        }
        Ok(out.finish()?.into_inner())
    }
}

/// `xml` without the children `item` of its first element `parent` whose
/// start tag `drop` picks.
fn without_items(
    xml: &str,
    parent: &str,
    item: &str,
    drop: impl Fn(&quick_xml::events::BytesStart<'_>) -> bool,
) -> Result<String, XmlError> {
    let mut splices = Splices::default();
    if let Some(found) = find_element(xml, parent, item)? {
        for (start, end) in found.items {
            let text = xml.get(start..end).ok_or(XmlError::Overlap)?;
            if first_tag(text)?.is_some_and(|(tag, _, _)| drop(&tag)) {
                splices.replace(start, end, String::new());
            }
        }
    }
    splices.apply(xml)
}

/// The content types with new defaults and overrides declared.
fn content_types(
    xml: &str,
    defaults: &[(&str, &str)],
    overrides: &[(&str, &str)],
) -> Result<String, XmlError> {
    let types = parse(xml)?;
    let mut entries = String::new();
    for (ext, kind) in defaults {
        let has = types.children("Default").any(|d| {
            d.attr("Extension")
                .is_some_and(|e| e.eq_ignore_ascii_case(ext))
        });
        if !has {
            entries.push_str(&format!(
                r#"<Default Extension="{}" ContentType="{kind}"/>"#,
                escape(ext)
            ));
        }
    }
    for (part, kind) in overrides {
        let name = format!("/{part}");
        if !types
            .children("Override")
            .any(|o| o.attr("PartName") == Some(&name))
        {
            entries.push_str(&format!(
                r#"<Override PartName="{}" ContentType="{kind}"/>"#,
                escape(&name)
            ));
        }
    }
    let at = xml.rfind("</Types>").ok_or(XmlError::Missing("</Types>"))?;
    Ok(format!("{}{entries}{}", &xml[..at], &xml[at..]))
}

/// The zip part of the sheet with this name, from the workbook's
/// relationships: `xl/worksheets/sheet1.xml`.
pub(crate) fn sheet_part(workbook: &Element, rels: &Element, name: &str) -> Option<String> {
    let sheet = workbook
        .child("sheets")?
        .children("sheet")
        .find(|s| s.attr("name") == Some(name))?;
    let rid = sheet.attr("id")?;
    let target = rels
        .children("Relationship")
        .find(|r| r.attr("Id") == Some(rid))?
        .attr("Target")?;
    Some(match target.strip_prefix('/') {
        Some(abs) => abs.to_owned(),
        None => format!("xl/{target}"),
    })
}

/// The relationships part of a part: `xl/worksheets/_rels/sheet1.xml.rels`
/// for `xl/worksheets/sheet1.xml`.
pub(crate) fn rels_part_of(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// The zip part a relationship target of `part` points at: `../comments1.xml`
/// from `xl/worksheets/sheet1.xml` is `xl/comments1.xml`.
pub(crate) fn resolve_target(part: &str, target: &str) -> String {
    if let Some(absolute) = target.strip_prefix('/') {
        return absolute.to_owned();
    }
    let mut segments: Vec<&str> = part.split('/').collect();
    segments.pop(); // the part's own file name
    for segment in target.split('/') {
        match segment {
            ".." => {
                segments.pop();
            }
            "." | "" => {}
            s => segments.push(s),
        }
    }
    segments.join("/")
}

/// A relationship target from `part` to `to`, relative to `part`'s folder:
/// `../comments1.xml` from `xl/worksheets/sheet1.xml` to `xl/comments1.xml`.
pub(crate) fn relative_target(part: &str, to: &str) -> String {
    let from: Vec<&str> = part.split('/').collect();
    let from = &from[..from.len().saturating_sub(1)];
    let to: Vec<&str> = to.split('/').collect();
    let common = from
        .iter()
        .zip(&to)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to.len().saturating_sub(1));
    let mut out: Vec<&str> = vec![".."; from.len() - common];
    out.extend(&to[common..]);
    out.join("/")
}

/// One relationship of a part.
#[derive(Debug)]
pub(crate) struct Relationship {
    pub(crate) id: String,
    pub(crate) kind: String,
    pub(crate) target: String,
    pub(crate) external: bool,
}

/// The relationships of a relationships part.
pub(crate) fn relationships(xml: &str) -> Result<Vec<Relationship>, XmlError> {
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

/// The comments part of the worksheet `part`, from its relationships.
pub(crate) fn comments_part(part: &str, rels: &[Relationship]) -> Option<String> {
    rels.iter()
        .find(|r| r.kind.ends_with("/comments") && !r.external)
        .map(|r| resolve_target(part, &r.target))
}

/// Relationship ids not used yet: `rId3`, `rId4`…
#[derive(Debug)]
pub(crate) struct FreeIds {
    used: BTreeSet<String>,
    next: u32,
}

impl FreeIds {
    /// Ids after the highest `rIdN` used.
    pub(crate) fn after_highest(rels: &[Relationship]) -> FreeIds {
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

    /// Ids from `rId1` on, skipping those used.
    pub(crate) fn lowest(rels: &[Relationship]) -> FreeIds {
        FreeIds {
            next: 1,
            ..FreeIds::after_highest(rels)
        }
    }

    /// The next id not used, now used.
    pub(crate) fn next(&mut self) -> String {
        loop {
            let id = format!("rId{}", self.next);
            self.next = self.next.saturating_add(1);
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_paths() {
        assert_eq!(
            rels_part_of("xl/worksheets/sheet1.xml"),
            "xl/worksheets/_rels/sheet1.xml.rels"
        );
        assert_eq!(
            resolve_target("xl/worksheets/sheet1.xml", "../comments1.xml"),
            "xl/comments1.xml"
        );
        assert_eq!(
            resolve_target("xl/worksheets/sheet1.xml", "/xl/drawings/vmlDrawing1.vml"),
            "xl/drawings/vmlDrawing1.vml"
        );
        assert_eq!(
            relative_target("xl/worksheets/sheet1.xml", "xl/drawings/vmlDrawing2.vml"),
            "../drawings/vmlDrawing2.vml"
        );
        assert_eq!(
            relative_target("xl/worksheets/sheet1.xml", "xl/worksheets/x.xml"),
            "x.xml"
        );
    }

    #[test]
    fn free_ids() {
        let rels = relationships(
            r#"<Relationships><Relationship Id="rId1"/><Relationship Id="rId3"/></Relationships>"#,
        )
        .unwrap();
        assert_eq!(FreeIds::after_highest(&rels).next(), "rId4");
        let mut lowest = FreeIds::lowest(&rels);
        assert_eq!([lowest.next(), lowest.next()], ["rId2", "rId4"]);
    }

    #[test]
    fn types_are_declared_once() {
        let xml = r#"<Types><Default Extension="VML" ContentType="v"/><Override PartName="/a.xml" ContentType="a"/></Types>"#;
        assert_eq!(
            content_types(
                xml,
                &[("vml", "v"), ("png", "p")],
                &[("a.xml", "a"), ("b.xml", "b")]
            )
            .unwrap(),
            r#"<Types><Default Extension="VML" ContentType="v"/><Override PartName="/a.xml" ContentType="a"/><Default Extension="png" ContentType="p"/><Override PartName="/b.xml" ContentType="b"/></Types>"#
        );
    }

    #[test]
    fn not_a_zip_names_the_file() {
        let err = Package::open(b"hello")
            .err()
            .unwrap()
            .in_file("nurse-a.xlsx");
        assert!(err.to_string().starts_with("nurse-a.xlsx: "), "{err}");
    }
}
