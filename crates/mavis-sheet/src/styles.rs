//! Adding to a workbook's style sheet (`xl/styles.xml`) in place: the
//! fills and cell formats marks need ([`StyleTable`]), and the fonts and
//! formats of the `Problems` sheet ([`ProblemStyles`]). Both append items
//! to a list (`fills`, `fonts`, `cellXfs`) with [`append_items`], which
//! keeps the rest of the part as it was.

use std::collections::BTreeMap;

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::mark::Mark;
use crate::xml::{parse, Element, XmlError};
use crate::xml_patch::{find_element, offset, prefix_of, rewrite_tag, set_attribute};

/// Append items to the first list element named `list` (its children
/// named `item`) and set its `count`; `{p}` in an item stands for the
/// list's prefix. Returns the part and the index of the first new item.
pub(crate) fn append_items(
    xml: &str,
    list: &'static str,
    item: &str,
    items: &[String],
) -> Result<(String, usize), XmlError> {
    let found = find_element(xml, list, item)?.ok_or(XmlError::Missing(list))?;
    let first = found.items.len();
    let p = &found.prefix;
    let body: String = items.iter().map(|i| i.replace("{p}", p)).collect();
    let tag = set_attribute(
        &xml[found.open.0..found.open.1],
        "count",
        &(first + items.len()).to_string(),
    );
    let out = match found.close {
        Some(close) => format!(
            "{}{tag}{}{body}{}",
            &xml[..found.open.0],
            &xml[found.open.1..close],
            &xml[close..]
        ),
        None => {
            let open = tag.trim_end_matches("/>").trim_end();
            format!(
                "{}{open}>{body}</{p}{list}>{}",
                &xml[..found.open.0],
                &xml[found.open.1..]
            )
        }
    };
    Ok((out, first))
}

/// An element with its attributes sorted, all the way down, so that two
/// formats can be compared whatever order their attributes were written in.
fn normalized(mut el: Element) -> Element {
    el.attributes.sort();
    el.children = el.children.into_iter().map(normalized).collect();
    el.text = el.text.trim().to_owned();
    el
}

/// The style sheet, with the fills and cell formats marks add: a marked
/// cell's format is its own with the mark's fill, so it keeps its border,
/// font, number format and alignment. A fill or format the sheet already
/// has (whatever the order of its attributes) is used again.
#[derive(Debug)]
pub(crate) struct StyleTable {
    xml: String,
    prefix: String,
    /// The raw XML of each cell format there was.
    xfs: Vec<String>,
    /// Normalised form of every fill and cell format, existing and new.
    fill_forms: Vec<Element>,
    xf_forms: Vec<Element>,
    new_fills: Vec<String>,
    new_xfs: Vec<String>,
    cache: BTreeMap<(usize, Mark), usize>,
}

impl StyleTable {
    /// The style sheet of `xml`, which must have `fills` and `cellXfs`.
    pub(crate) fn new(xml: String) -> Result<StyleTable, XmlError> {
        find_element(&xml, "fills", "fill")?.ok_or(XmlError::Missing("fills"))?;
        let xfs = find_element(&xml, "cellXfs", "xf")?.ok_or(XmlError::Missing("cellXfs"))?;
        let xfs = xfs
            .items
            .iter()
            .map(|(a, b)| xml[*a..*b].to_owned())
            .collect();
        let root = parse(&xml)?;
        let prefix = {
            let mut reader = Reader::from_str(&xml);
            loop {
                match reader.read_event()? {
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
            xfs,
            new_fills: Vec::new(),
            new_xfs: Vec::new(),
            cache: BTreeMap::new(),
        })
    }

    /// The index of a solid fill of the mark's colour, added if needed.
    fn fill(&mut self, mark: Mark) -> Result<usize, XmlError> {
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
    pub(crate) fn xf(&mut self, base: usize, mark: Mark) -> Result<usize, XmlError> {
        if let Some(i) = self.cache.get(&(base, mark)) {
            return Ok(*i);
        }
        let fill = self.fill(mark)?.to_string();
        let p = &self.prefix;
        let raw = self.xfs.get(base).or(self.xfs.first()).cloned();
        let raw = raw.unwrap_or_else(|| {
            format!(r#"<{p}xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#)
        });
        let mut reader = Reader::from_str(&raw);
        loop {
            match reader.read_event()? {
                Event::Start(_) | Event::Empty(_) => break,
                Event::Eof => return Err(XmlError::Missing("tag in a cell format")),
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
    pub(crate) fn finish(self) -> Result<String, XmlError> {
        let mut xml = self.xml;
        for (list, item, new) in [
            ("fills", "fill", &self.new_fills),
            ("cellXfs", "xf", &self.new_xfs),
        ] {
            if !new.is_empty() {
                xml = append_items(&xml, list, item, new)?.0;
            }
        }
        Ok(xml)
    }
}

/// The cell formats the `Problems` sheet uses, once added.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ProblemStyles {
    /// Bold, for the header row.
    pub(crate) bold: usize,
    /// Blue and underlined, for the links.
    pub(crate) link: usize,
    /// Top-aligned and wrapped, for the rest.
    pub(crate) wrap: usize,
}

impl ProblemStyles {
    /// Add a bold font, a link font and three cell formats to the style
    /// sheet `xml`; returns the new style sheet and the formats.
    pub(crate) fn add(xml: &str) -> Result<(String, ProblemStyles), XmlError> {
        let fonts = [
            r#"<{p}font><{p}b/><{p}sz val="11"/><{p}name val="Calibri"/><{p}family val="2"/></{p}font>"#.to_owned(),
            r#"<{p}font><{p}u/><{p}sz val="11"/><{p}color rgb="FF0563C1"/><{p}name val="Calibri"/><{p}family val="2"/></{p}font>"#.to_owned(),
        ];
        let (xml, font) = append_items(xml, "fonts", "font", &fonts)?;
        let xfs = [
            format!(r#"<{{p}}xf numFmtId="0" fontId="{font}" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#),
            format!(r#"<{{p}}xf numFmtId="0" fontId="{}" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#, font + 1),
            r#"<{p}xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><{p}alignment vertical="top" wrapText="1"/></{p}xf>"#.to_owned(),
        ];
        let (xml, first) = append_items(&xml, "cellXfs", "xf", &xfs)?;
        Ok((
            xml,
            ProblemStyles {
                bold: first,
                link: first + 1,
                wrap: first + 2,
            },
        ))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A style sheet of two fills and two cell formats, the second with a
    /// number format, a font, a border and wrapping.
    pub(crate) fn styles() -> StyleTable {
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
    fn a_mark_clones_the_format_with_its_fill() {
        let mut s = styles();
        assert_eq!(s.xf(1, Mark::Problem).unwrap(), 2);
        assert_eq!(s.xf(1, Mark::Problem).unwrap(), 2);
        assert_eq!(s.xf(0, Mark::Problem).unwrap(), 3);
        let out = s.finish().unwrap();
        assert!(out.contains(r#"<fills count="3">"#), "{out}");
        assert!(
            out.contains(r#"<xf numFmtId="164" fontId="1" fillId="2" borderId="1" xfId="0" applyNumberFormat="1" applyFill="1"><alignment wrapText="1"/></xf>"#),
            "{out}"
        );
        assert!(out.contains(r#"<cellXfs count="4">"#), "{out}");
        assert!(StyleTable::new("<styleSheet/>".to_owned()).is_err());
    }

    #[test]
    fn problem_styles() {
        let styles = r#"<styleSheet><fonts count="1"><font/></fonts><cellXfs count="2"><xf/><xf/></cellXfs></styleSheet>"#;
        let (out, xf) = ProblemStyles::add(styles).unwrap();
        assert_eq!((xf.bold, xf.link, xf.wrap), (2, 3, 4));
        assert!(out.contains(r#"<fonts count="3">"#), "{out}");
        assert!(out.contains(r#"<cellXfs count="5">"#), "{out}");
        assert!(out.contains(r#"fontId="2""#) && out.contains(r#"fontId="1" fillId"#));
        assert!(parse(&out).is_ok());
    }
}
