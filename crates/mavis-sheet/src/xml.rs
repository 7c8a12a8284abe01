//! A small element tree over quick-xml, for reading the parts of a workbook
//! that calamine does not expose (styles, data validations, panes,
//! protection, notes), the escapes cell text needs, and [`XmlError`], what
//! goes wrong in a part's XML.

use quick_xml::events::Event;
use quick_xml::Reader;

/// What is wrong with (or missing from) the XML of one part. It names no
/// part: the package error that carries it (`PackageError::Part`) adds which.
#[derive(Debug, thiserror::Error)]
pub(crate) enum XmlError {
    /// quick-xml could not read or write it.
    #[error("{0}")]
    Syntax(#[from] quick_xml::Error),
    /// An entity other than XML's five and character references.
    #[error("unknown entity &{0};")]
    UnknownEntity(String),
    /// An end tag without its start.
    #[error("unbalanced XML")]
    Unbalanced,
    /// An element, tag or end tag that must be there is not: `no fills`,
    /// `no </Types>`.
    #[error("no {0}")]
    Missing(&'static str),
    /// Two changes to the same bytes of the text.
    #[error("overlapping changes to the XML")]
    Overlap,
}

impl From<quick_xml::events::attributes::AttrError> for XmlError {
    fn from(e: quick_xml::events::attributes::AttrError) -> XmlError {
        XmlError::Syntax(e.into())
    }
}

impl From<std::io::Error> for XmlError {
    fn from(e: std::io::Error) -> XmlError {
        XmlError::Syntax(e.into())
    }
}

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
pub(crate) fn parse(xml: &str) -> Result<Element, XmlError> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        let event = reader.read_event()?;
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
                    None => return Err(XmlError::Unbalanced),
                }
            }
            Event::Text(t) => stack
                .last_mut()
                .expect("root")
                .text
                .push_str(&t.xml10_content()),
            Event::CData(t) => stack.last_mut().expect("root").text.push_str(&t),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref()? {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&r)
                        .ok_or_else(|| XmlError::UnknownEntity(r.to_string()))?
                        .to_owned(),
                };
                stack.last_mut().expect("root").text.push_str(&resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut root = stack.pop().ok_or(XmlError::Missing("root element"))?;
    root.children.pop().ok_or(XmlError::Missing("root element"))
}

/// Call `each` with every element of `xml` whose local name is `name`
/// (those inside another such element stay its children), each built as
/// [`parse`] builds it, one at a time: a large part (a worksheet's data
/// validations after its rows) is read without holding it as a tree.
pub(crate) fn each_element(
    xml: &str,
    name: &str,
    mut each: impl FnMut(Element),
) -> Result<(), XmlError> {
    let mut reader = Reader::from_str(xml);
    // The element being built and its open descendants; empty when outside.
    let mut stack: Vec<Element> = Vec::new();
    loop {
        match reader.read_event()? {
            Event::Start(e) if !stack.is_empty() || local(e.name().as_ref()) == name => {
                stack.push(start(&e)?);
            }
            Event::Empty(e) if !stack.is_empty() || local(e.name().as_ref()) == name => {
                let el = start(&e)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => each(el),
                }
            }
            Event::End(_) if !stack.is_empty() => {
                let el = stack.pop().ok_or(XmlError::Unbalanced)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => each(el),
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(top) = stack.last_mut() {
                    match r.resolve_char_ref()? {
                        Some(c) => top.text.push(c),
                        None => top.text.push_str(
                            quick_xml::escape::resolve_predefined_entity(&r)
                                .ok_or_else(|| XmlError::UnknownEntity(r.to_string()))?,
                        ),
                    }
                }
            }
            Event::Eof if stack.is_empty() => return Ok(()),
            Event::Eof => return Err(XmlError::Unbalanced),
            _ => {}
        }
    }
}

fn start(e: &quick_xml::events::BytesStart<'_>) -> Result<Element, XmlError> {
    let mut el = Element {
        name: local(e.name().as_ref()),
        ..Element::default()
    };
    for a in e.attributes() {
        let a = a?;
        let value = a.normalized_value(quick_xml::XmlVersion::Implicit1_0)?;
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
    fn elements_one_at_a_time() {
        let xml = r#"<w xmlns:x="u"><d s="A1"><f>"a, b"</f></d><x:d s="B&amp;"/><e><d><d>in</d></d></e></w>"#;
        let mut found = Vec::new();
        each_element(xml, "d", |el| found.push(el)).unwrap();
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].child("f").unwrap().text, "\"a, b\"");
        assert_eq!(found[1].attr("s"), Some("B&"));
        assert_eq!(found[2].child("d").unwrap().text, "in");
        assert!(each_element("<w><d>", "d", |_| {}).is_err());
    }

    #[test]
    fn ooxml_escapes() {
        assert_eq!(decode_ooxml_escapes("a_x000D_\nb"), "a\r\nb");
        assert_eq!(decode_ooxml_escapes("_x005F_x000D_"), "_x000D_");
        assert_eq!(decode_ooxml_escapes("no_xyz_"), "no_xyz_");
        assert_eq!(decode_ooxml_escapes("_x00"), "_x00");
    }

    #[test]
    fn text_escapes() {
        assert_eq!(escape_text("a<b & _x\r"), "a&lt;b &amp; _x005F_x_x000D_");
    }
}
