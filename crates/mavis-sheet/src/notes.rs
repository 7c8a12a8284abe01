//! The notes (comments) part of a worksheet: a new one, or notes added to
//! the one it has, a note for a cell that has one appended to its text
//! after a blank line; and reading a note's text back.

use std::collections::{BTreeMap, BTreeSet};

use crate::package::NS_MAIN;
use crate::xml::{escape_text, parse, Element, XmlError};
use crate::xml_patch::{
    attr, escape, prefix_of, reference, rewrite_tag, split_reference, Splices, Tag, Tags,
};

/// A run of comment text, formatted as spreadsheet programs write notes.
fn run(prefix: &str, text: &str) -> String {
    let p = prefix;
    format!(
        r#"<{p}r><{p}rPr><{p}sz val="8"/><{p}color indexed="81"/><{p}rFont val="Tahoma"/><{p}family val="2"/></{p}rPr><{p}t xml:space="preserve">{}</{p}t></{p}r>"#,
        escape_text(text)
    )
}

/// One comment element.
fn comment(prefix: &str, cell: (u32, u32), author: usize, text: &str) -> String {
    let p = prefix;
    format!(
        r#"<{p}comment ref="{}" authorId="{author}"><{p}text>{}</{p}text></{p}comment>"#,
        reference(cell.0, cell.1),
        run(p, text)
    )
}

/// A new comments part holding the notes, by `author`.
pub(crate) fn new_comments(notes: &BTreeMap<(u32, u32), String>, author: &str) -> String {
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
fn comment_text(text: &Element) -> String {
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

/// A note read back from a comments part.
#[derive(Debug)]
pub(crate) struct Note {
    /// The cell, as written: `B2`.
    pub(crate) reference: String,
    /// Its author, when the part names one.
    pub(crate) author: Option<String>,
    /// Its text, runs joined.
    pub(crate) text: String,
}

/// The authors and the notes of a comments part, in its order.
pub(crate) fn read_notes(comments: &Element) -> (Vec<String>, Vec<Note>) {
    let authors: Vec<String> = comments
        .child("authors")
        .map(|a| a.children("author").map(Element::all_text).collect())
        .unwrap_or_default();
    let notes = comments
        .child("commentList")
        .into_iter()
        .flat_map(|l| l.children("comment"))
        .map(|c| Note {
            reference: c.attr("ref").unwrap_or_default().to_owned(),
            author: c
                .attr("authorId")
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| authors.get(i).cloned()),
            text: c.child("text").map(comment_text).unwrap_or_default(),
        })
        .collect();
    (authors, notes)
}

/// A comments part patched: its XML, the cells that had comments, and the
/// cells that got new ones.
pub(crate) type CommentPatch = (String, Vec<(u32, u32)>, Vec<(u32, u32)>);

/// Add notes to an existing comments part: a note for a cell that has a
/// comment is appended to it, the others become new comments. Returns the
/// part, the cells that had comments, and the cells that got new ones.
pub(crate) fn patch_comments(
    xml: &str,
    notes: &BTreeMap<(u32, u32), String>,
    author: &str,
) -> Result<CommentPatch, XmlError> {
    let (authors, notes_before) = read_notes(&parse(xml)?);
    let author_id = authors.iter().position(|a| a == author);
    let author_index = author_id.unwrap_or(authors.len());
    let mut existing: BTreeMap<(u32, u32), String> = BTreeMap::new();
    for note in notes_before {
        if let Some(cell) = split_reference(&note.reference) {
            existing.entry(cell).or_insert(note.text);
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
    let mut tags = Tags::new(xml);
    let mut prefix = String::new();
    let mut next = 0usize;
    let mut authors_seen = false;
    let mut list_seen = false;
    let mut done: BTreeSet<(u32, u32)> = BTreeSet::new();
    let mut appending: Option<(u32, u32)> = None;
    let author_xml = |p: &str| format!("<{p}author>{}</{p}author>", escape(author));
    let authors_xml = |p: &str| format!("<{p}authors>{}</{p}authors>", author_xml(p));
    let list = |p: &str, new: &[((u32, u32), &String)]| -> String {
        new.iter()
            .map(|(cell, text)| comment(p, *cell, author_index, text))
            .collect()
    };
    loop {
        let (before, tag, after) = tags.next_tag()?;
        let open = || rewrite_tag(&xml[before..after], &[], Some(false));
        match tag {
            Tag::Open {
                tag,
                name,
                empty,
                depth,
            } => match (depth, name.as_str()) {
                (0, _) => prefix = prefix_of(&tag),
                (1, "authors") => {
                    authors_seen = true;
                    if empty && author_id.is_none() {
                        let open = open()?;
                        let author = author_xml(&prefix);
                        splices.replace(before, after, format!("{open}{author}</{prefix}authors>"));
                    }
                }
                (1, "commentList") => {
                    list_seen = true;
                    if !authors_seen && author_id.is_none() {
                        splices.insert(before, authors_xml(&prefix));
                    }
                    if empty {
                        let open = open()?;
                        let list = list(&prefix, &new);
                        next = new.len();
                        splices.replace(
                            before,
                            after,
                            format!("{open}{list}</{prefix}commentList>"),
                        );
                    }
                }
                (2, "comment") => {
                    let Some(cell) = attr(&tag, "ref").and_then(|r| split_reference(&r)) else {
                        continue;
                    };
                    let until = new[next..].iter().take_while(|(c, _)| *c < cell).count();
                    if until > 0 {
                        splices.insert(before, list(&prefix, &new[next..next + until]));
                        next += until;
                    }
                    if let Some(text) = notes.get(&cell).filter(|_| !done.contains(&cell)) {
                        done.insert(cell);
                        if empty {
                            let (open, p) = (open()?, &prefix);
                            let run = run(p, text);
                            splices.replace(
                                before,
                                after,
                                format!("{open}<{p}text>{run}</{p}text></{p}comment>"),
                            );
                        } else {
                            appending = Some(cell);
                        }
                    }
                }
                (3, "text") if empty => {
                    if let Some(cell) = appending.take() {
                        let open = open()?;
                        let text = notes.get(&cell).map(String::as_str).unwrap_or_default();
                        let run = run(&prefix, text);
                        splices.replace(before, after, format!("{open}{run}</{prefix}text>"));
                    }
                }
                _ => {}
            },
            Tag::Close { name, depth } => match (depth, name.as_str()) {
                (1, "authors") if author_id.is_none() => {
                    splices.insert(before, author_xml(&prefix));
                }
                (3, "text") => {
                    if let Some(cell) = appending.take() {
                        let text = notes.get(&cell).map(String::as_str).unwrap_or_default();
                        splices.insert(before, run(&prefix, &appended(&cell, text)));
                    }
                }
                (2, "comment") => {
                    appending = None; // a comment without text keeps as it was
                }
                (1, "commentList") if next < new.len() => {
                    splices.insert(before, list(&prefix, &new[next..]));
                    next = new.len();
                }
                (0, _) if !list_seen => {
                    let head = if !authors_seen && author_id.is_none() {
                        authors_xml(&prefix)
                    } else {
                        String::new()
                    };
                    let list = list(&prefix, &new);
                    next = new.len();
                    splices.insert(
                        before,
                        format!("{head}<{prefix}commentList>{list}</{prefix}commentList>"),
                    );
                }
                _ => {}
            },
            Tag::End => break,
            Tag::Other => {}
        }
    }
    Ok((
        splices.apply(xml)?,
        existing.keys().copied().collect(),
        new.iter().map(|(cell, _)| *cell).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
