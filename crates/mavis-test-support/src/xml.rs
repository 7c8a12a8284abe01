//! Reading the HTML pages and SVG plots the tests check, strictly, with
//! quick-xml.

use quick_xml::events::{BytesRef, BytesStart};

/// An element's attributes as `(name, value)` text, entities resolved,
/// collected into any collection (a `Vec`, a `BTreeMap`).
///
/// ```
/// use quick_xml::events::Event;
/// use std::collections::BTreeMap;
///
/// let mut reader = quick_xml::Reader::from_str(r#"<rect x="1" fill="a&amp;b"/>"#);
/// let Ok(Event::Empty(e)) = reader.read_event() else { panic!() };
/// let attributes: BTreeMap<String, String> = mavis_test_support::xml::attributes(&e);
/// assert_eq!(attributes["fill"], "a&b");
/// ```
///
/// # Panics
///
/// When an attribute is not well formed or names an unknown entity.
pub fn attributes<C: FromIterator<(String, String)>>(e: &BytesStart<'_>) -> C {
    e.attributes()
        .map(|a| {
            let a = a.expect("well-formed attribute");
            (
                a.key.as_ref().to_owned(),
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .expect("known entities")
                    .into_owned(),
            )
        })
        .collect()
}

/// The text of a character or entity reference (`&#233;`, `&amp;`).
///
/// ```
/// use quick_xml::events::Event;
///
/// let mut reader = quick_xml::Reader::from_str("<p>&#233;&amp;</p>");
/// let mut text = String::new();
/// loop {
///     match reader.read_event().unwrap() {
///         Event::GeneralRef(r) => text.push_str(&mavis_test_support::xml::reference_text(&r)),
///         Event::Eof => break,
///         _ => {}
///     }
/// }
/// assert_eq!(text, "é&");
/// ```
///
/// # Panics
///
/// When it is neither a character reference nor one of XML's predefined
/// entities.
pub fn reference_text(r: &BytesRef<'_>) -> String {
    match r.resolve_char_ref().expect("char ref") {
        Some(c) => c.to_string(),
        None => quick_xml::escape::resolve_predefined_entity(r)
            .expect("a known entity")
            .to_owned(),
    }
}
