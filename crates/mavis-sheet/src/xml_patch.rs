//! Editing a part's XML text in place, so that what a patch does not touch
//! stays byte for byte: finding tags and elements by their byte spans,
//! rewriting one tag, splicing text in; and the cell references (`B3`) and
//! `dimension` ranges the worksheet patches share.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::xml::XmlError;

/// The value of an attribute of a tag, by its qualified or local name.
pub(crate) fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
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
pub(crate) fn prefix_of(e: &BytesStart<'_>) -> String {
    let name = e.name();
    match name.as_ref().split_once(':') {
        Some((p, _)) => format!("{p}:"),
        None => String::new(),
    }
}

/// The first start or empty tag of `xml`, whether it is empty, and the
/// byte offset where it ends; `None` when there is none.
pub(crate) fn first_tag(xml: &str) -> Result<Option<(BytesStart<'_>, bool, usize)>, XmlError> {
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event()? {
            Event::Start(e) => return Ok(Some((e, false, offset(&reader)))),
            Event::Empty(e) => return Ok(Some((e, true, offset(&reader)))),
            Event::Eof => return Ok(None),
            _ => {}
        }
    }
}

/// What [`Tags`] reads next.
pub(crate) enum Tag<'a> {
    /// A start or empty tag, at `depth` (0 for the root).
    Open {
        /// The tag.
        tag: BytesStart<'a>,
        /// Its local name.
        name: String,
        /// Whether it is an empty tag (`<c/>`).
        empty: bool,
        /// How many elements it is in.
        depth: usize,
    },
    /// An end tag, at the depth of its start tag.
    Close {
        /// Its local name.
        name: String,
        /// How many elements its element is in.
        depth: usize,
    },
    /// Text, a comment, a declaration.
    Other,
    /// The end of the document.
    End,
}

/// The tags of a document one by one, each with the byte span it covers
/// and its depth, for patches that splice text in at tags.
pub(crate) struct Tags<'a> {
    reader: Reader<&'a [u8]>,
    depth: usize,
}

impl<'a> Tags<'a> {
    /// The tags of `xml`.
    pub(crate) fn new(xml: &'a str) -> Tags<'a> {
        Tags {
            reader: Reader::from_str(xml),
            depth: 0,
        }
    }

    /// The next tag: where it starts, what it is, and where it ends.
    pub(crate) fn next_tag(&mut self) -> Result<(usize, Tag<'a>, usize), XmlError> {
        let before = offset(&self.reader);
        let event = self.reader.read_event()?;
        let after = offset(&self.reader);
        let empty = matches!(event, Event::Empty(_));
        let tag = match event {
            Event::Start(tag) | Event::Empty(tag) => {
                let name = tag.local_name().as_ref().to_owned();
                let depth = self.depth;
                if !empty {
                    self.depth += 1;
                }
                Tag::Open {
                    tag: tag.into_owned(),
                    name,
                    empty,
                    depth,
                }
            }
            Event::End(e) => {
                self.depth = self.depth.saturating_sub(1);
                Tag::Close {
                    name: e.local_name().as_ref().to_owned(),
                    depth: self.depth,
                }
            }
            Event::Eof => Tag::End,
            _ => Tag::Other,
        };
        Ok((before, tag, after))
    }
}

/// Rewrite a start or empty tag (the first tag in `raw`), setting some
/// attributes: in place when present, appended otherwise. `empty` forces
/// the tag to be written as empty (`Some(true)`) or as a start tag.
///
/// The tag is written again from its parts (attribute values as they were,
/// in double quotes unless they hold one); [`set_attribute`] changes one
/// attribute and leaves the rest of the text alone.
pub(crate) fn rewrite_tag(
    raw: &str,
    set: &[(&str, &str)],
    empty: Option<bool>,
) -> Result<String, XmlError> {
    let (e, was_empty, _) = first_tag(raw)?.ok_or(XmlError::Missing("tag"))?;
    let mut out = format!("<{}", e.name().as_ref());
    let mut done = vec![false; set.len()];
    for a in e.attributes() {
        let a = a?;
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

/// A start or empty tag with an attribute set (replaced, or added), the
/// rest of its text as it was.
pub(crate) fn set_attribute(tag: &str, name: &str, value: &str) -> String {
    for quote in ['"', '\''] {
        let key = format!(" {name}={quote}");
        if let Some(at) = tag.find(&key) {
            let start = at + key.len();
            if let Some(len) = tag[start..].find(quote) {
                return format!("{}{value}{}", &tag[..start], &tag[start + len..]);
            }
        }
    }
    let end = if tag.ends_with("/>") {
        tag.len() - 2
    } else {
        tag.len() - 1
    };
    format!(
        "{} {name}=\"{value}\"{}",
        tag[..end].trim_end(),
        &tag[end..]
    )
}

/// An element found in a part's text by [`find_element`].
#[derive(Debug)]
pub(crate) struct Found {
    /// The span of its start (or empty) tag.
    pub(crate) open: (usize, usize),
    /// Where its end tag starts; `None` for an empty element.
    pub(crate) close: Option<usize>,
    /// Its prefix with the colon (`x:`), or nothing.
    pub(crate) prefix: String,
    /// The spans of its children named as asked, whole.
    pub(crate) items: Vec<(usize, usize)>,
}

/// The first element with this local name, at any depth, and the spans of
/// its children named `item`.
pub(crate) fn find_element(xml: &str, name: &str, item: &str) -> Result<Option<Found>, XmlError> {
    let mut tags = Tags::new(xml);
    // The element, and the depth of its children.
    let (mut found, children) = loop {
        match tags.next_tag()? {
            (
                before,
                Tag::Open {
                    tag,
                    name: n,
                    empty,
                    depth,
                },
                after,
            ) if n == name => {
                let found = Found {
                    open: (before, after),
                    close: None,
                    prefix: prefix_of(&tag),
                    items: Vec::new(),
                };
                if empty {
                    return Ok(Some(found));
                }
                break (found, depth + 1);
            }
            (_, Tag::End, _) => return Ok(None),
            _ => {}
        }
    };
    let mut item_start: Option<usize> = None;
    loop {
        match tags.next_tag()? {
            (
                before,
                Tag::Open {
                    name: n,
                    empty,
                    depth,
                    ..
                },
                after,
            ) if depth == children && n == item => {
                if empty {
                    found.items.push((before, after));
                } else {
                    item_start = Some(before);
                }
            }
            (before, Tag::Close { depth, .. }, after) => {
                if depth + 1 == children {
                    found.close = Some(before);
                    return Ok(Some(found));
                }
                if depth == children {
                    if let Some(start) = item_start.take() {
                        found.items.push((start, after));
                    }
                }
            }
            (_, Tag::End, _) => return Ok(None),
            _ => {}
        }
    }
}

/// Replacements of byte ranges of a document, applied all at once.
#[derive(Debug, Default)]
pub(crate) struct Splices(Vec<(usize, usize, String)>);

impl Splices {
    /// Insert text at a byte offset; insertions at one offset keep their
    /// order.
    pub(crate) fn insert(&mut self, at: usize, text: String) {
        self.0.push((at, at, text));
    }

    /// Replace the bytes from `start` to `end`.
    pub(crate) fn replace(&mut self, start: usize, end: usize, text: String) {
        self.0.push((start, end, text));
    }

    /// The document with every change made.
    pub(crate) fn apply(mut self, xml: &str) -> Result<String, XmlError> {
        self.0.sort_by_key(|s| s.0); // stable: insertions keep their order
        let mut out = String::with_capacity(xml.len() + 1024);
        let mut cursor = 0;
        for (start, end, text) in self.0 {
            let kept = xml.get(cursor..start).ok_or(XmlError::Overlap)?;
            out.push_str(kept);
            out.push_str(&text);
            cursor = end;
        }
        out.push_str(xml.get(cursor..).ok_or(XmlError::Overlap)?);
        Ok(out)
    }
}

/// An attribute value or an author's name, XML-escaped.
pub(crate) fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// Byte offset of a reader, as a string index.
pub(crate) fn offset(reader: &Reader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

// ---------------------------------------------------------------------------
// Cell references.

/// `B3` for row 3, column 1.
pub(crate) fn reference(row: u32, column: u32) -> String {
    format!("{}{row}", mavis_domain::column_letter(column))
}

/// `AB12` (or `$AB$12`) as (row, column index).
pub(crate) fn split_reference(reference: &str) -> Option<(u32, u32)> {
    let reference = reference.replace('$', "");
    let digits = reference.find(|c: char| c.is_ascii_digit())?;
    Some((
        reference[digits..].parse().ok()?,
        mavis_domain::column_index(&reference[..digits])?,
    ))
}

/// A `dimension` range grown to take in a row and column (0-based).
pub(crate) fn grow_dimension(current: &str, max_row: u32, max_column: u32) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        assert_eq!(set_attribute("<a x='1'/>", "x", "2"), "<a x='2'/>");
        assert_eq!(set_attribute("<a>", "x", "2"), r#"<a x="2">"#);
        assert_eq!(
            rewrite_tag(
                r#"<x:c r="A1" s="1"/>"#,
                &[("s", "2"), ("t", "a&b")],
                Some(false)
            )
            .unwrap(),
            r#"<x:c r="A1" s="2" t="a&amp;b">"#
        );
    }

    #[test]
    fn elements_and_their_items() {
        let xml = r#"<s><x:fills count="2"><x:fill><p/></x:fill><x:fill/></x:fills><e/></s>"#;
        let found = find_element(xml, "fills", "fill").unwrap().unwrap();
        assert_eq!(found.prefix, "x:");
        let items: Vec<&str> = found.items.iter().map(|(a, b)| &xml[*a..*b]).collect();
        assert_eq!(items, ["<x:fill><p/></x:fill>", "<x:fill/>"]);
        assert_eq!(&xml[found.close.unwrap()..], "</x:fills><e/></s>");
        assert!(find_element(xml, "e", "").unwrap().unwrap().close.is_none());
        assert!(find_element(xml, "none", "").unwrap().is_none());
    }

    #[test]
    fn references() {
        assert_eq!(split_reference("$AB$12"), Some((12, 27)));
        assert_eq!(reference(12, 27), "AB12");
        assert_eq!(grow_dimension("A1:B2", 7, 3), "A1:D7");
        assert_eq!(grow_dimension("A1:Z9", 7, 3), "A1:Z9");
        assert_eq!(grow_dimension("", 2, 0), "A1:A2");
    }
}
