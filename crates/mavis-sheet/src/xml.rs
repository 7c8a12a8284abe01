//! A small element tree over quick-xml, for reading the parts of a workbook
//! that calamine does not expose (styles, data validations, panes,
//! protection).

use std::io::{Read, Seek, Write};

use quick_xml::events::Event;
use quick_xml::Reader;

/// An XML element: its local name, attributes and children, and its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) attributes: Vec<(String, String)>,
    pub(crate) children: Vec<Element>,
    pub(crate) text: String,
}

impl Element {
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub(crate) fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of this element and all its descendants, in order.
    pub(crate) fn all_text(&self) -> String {
        let mut out = self.text.clone();
        for c in &self.children {
            out.push_str(&c.all_text());
        }
        out
    }
}

fn local(name: &str) -> String {
    match name.rsplit_once(':') {
        Some((_, l)) => l.to_owned(),
        None => name.to_owned(),
    }
}

/// Parse an XML document into its root element.
pub(crate) fn parse(xml: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        let event = reader.read_event().map_err(|e| e.to_string())?;
        match event {
            Event::Start(e) => stack.push(start(&e)?),
            Event::Empty(e) => {
                let el = start(&e)?;
                stack.last_mut().expect("root").children.push(el);
            }
            Event::End(_) => {
                let el = stack.pop().expect("balanced");
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => return Err("unbalanced XML".to_owned()),
                }
            }
            Event::Text(t) => stack
                .last_mut()
                .expect("root")
                .text
                .push_str(&t.xml10_content()),
            Event::CData(t) => stack.last_mut().expect("root").text.push_str(&t),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&r)
                        .ok_or_else(|| format!("unknown entity &{};", &*r))?
                        .to_owned(),
                };
                stack.last_mut().expect("root").text.push_str(&resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut root = stack.pop().ok_or("empty XML")?;
    root.children
        .pop()
        .ok_or_else(|| "no root element".to_owned())
}

fn start(e: &quick_xml::events::BytesStart<'_>) -> Result<Element, String> {
    let mut el = Element {
        name: local(e.name().as_ref()),
        ..Element::default()
    };
    for a in e.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?;
        el.attributes
            .push((local(a.key.as_ref()), value.into_owned()));
    }
    Ok(el)
}

/// Decode OOXML's `_xHHHH_` escapes (how a writer keeps a control
/// character such as CR in a cell's text); `_x005F_` escapes a literal `_`.
pub(crate) fn decode_ooxml_escapes(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("_x") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find("_x") {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        let decoded = tail
            .get(2..6)
            .filter(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .filter(|_| tail.as_bytes().get(6) == Some(&b'_'))
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .and_then(char::from_u32);
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &tail[7..];
            }
            None => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Read one part of a zip archive as text, `None` when it is absent.
pub(crate) fn read_part<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Option<String>, String> {
    let mut file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    let mut s = String::new();
    crate::limits::read_capped(
        &mut file,
        crate::ReadLimits::default().max_part_bytes,
        &mut s,
    )
    .map_err(|e| e.to_string())?;
    Ok(Some(s))
}

/// An `.xlsx` package opened for patching: the archive, and the text of
/// `xl/workbook.xml` and of its relationships, which every patch needs.
pub(crate) struct Package<'b> {
    pub(crate) zip: zip::ZipArchive<std::io::Cursor<&'b [u8]>>,
    pub(crate) workbook: String,
    pub(crate) rels: String,
}

impl<'b> Package<'b> {
    /// Open a package; the error says what is missing or broken.
    pub(crate) fn open(bytes: &'b [u8]) -> Result<Package<'b>, String> {
        let mut zip =
            zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
        let mut required = |name: &str, what: &str| -> Result<String, String> {
            read_part(&mut zip, name)
                .map_err(|e| format!("{name}: {e}"))?
                .ok_or_else(|| format!("no {what}"))
        };
        let workbook = required("xl/workbook.xml", "xl/workbook.xml")?;
        let rels = required("xl/_rels/workbook.xml.rels", "workbook relationships")?;
        Ok(Package {
            zip,
            workbook,
            rels,
        })
    }

    /// The parsed workbook and relationships.
    pub(crate) fn trees(&self) -> Result<(Element, Element), String> {
        Ok((
            parse(&self.workbook).map_err(|e| format!("xl/workbook.xml: {e}"))?,
            parse(&self.rels).map_err(|e| format!("xl/_rels/workbook.xml.rels: {e}"))?,
        ))
    }

    /// The part of the sheet with this name.
    pub(crate) fn sheet_part(&self, sheet: &str) -> Result<String, String> {
        let (workbook, rels) = self.trees()?;
        sheet_part(&workbook, &rels, sheet).ok_or_else(|| format!("no sheet named {sheet:?}"))
    }
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

/// Control characters other than tab and line feed cannot appear in XML:
/// write them as OOXML's `_xHHHH_` escapes, and a literal `_x` as `_x005F_x`.
pub(crate) fn escape_control(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '_' if chars.peek() == Some(&'x') => out.push_str("_x005F_"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => {
                out.push_str(&format!("_x{:04X}_", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Write text for a cell or comment: [`escape_control`], then XML-escaped.
pub(crate) fn escape_text(text: &str) -> String {
    quick_xml::escape::escape(escape_control(text)).into_owned()
}

/// Write a package again with some parts replaced and some added, every
/// other part copied as it was; fixed timestamps, so the same input gives
/// the same bytes.
pub(crate) fn rewrite_package<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    changed: &[(String, String)],
    added: &[(String, String)],
) -> Result<Vec<u8>, String> {
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).map_err(|e| err(&e))?;
        let name = file.name().map_err(|e| err(&e))?.into_owned();
        out.start_file(name.as_str(), options)
            .map_err(|e| err(&e))?;
        if let Some((_, content)) = changed.iter().find(|(n, _)| *n == name) {
            out.write_all(content.as_bytes()).map_err(|e| err(&e))?;
        } else {
            let mut content = Vec::new();
            file.read_to_end(&mut content).map_err(|e| err(&e))?;
            out.write_all(&content).map_err(|e| err(&e))?;
        }
    }
    for (name, content) in added {
        out.start_file(name.as_str(), options)
            .map_err(|e| err(&e))?;
        out.write_all(content.as_bytes()).map_err(|e| err(&e))?;
    }
    Ok(out.finish().map_err(|e| err(&e))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree() {
        let root = parse(
            r#"<?xml version="1.0"?><a xmlns:x="u" x:k="1 &amp; 2"><b>t&lt;1&#65;</b><c/></a>"#,
        )
        .unwrap();
        assert_eq!(root.name, "a");
        assert_eq!(root.attr("k"), Some("1 & 2"));
        assert_eq!(root.child("b").unwrap().text, "t<1A");
        assert!(root.child("c").is_some());
        assert!(parse("<a><b></a>").is_err());
    }

    #[test]
    fn ooxml_escapes() {
        assert_eq!(decode_ooxml_escapes("a_x000D_\nb"), "a\r\nb");
        assert_eq!(decode_ooxml_escapes("_x005F_x000D_"), "_x000D_");
        assert_eq!(decode_ooxml_escapes("no_xyz_"), "no_xyz_");
        assert_eq!(decode_ooxml_escapes("_x00"), "_x00");
    }

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
        assert_eq!(escape_text("a<b & _x\r"), "a&lt;b &amp; _x005F_x_x000D_");
    }
}
