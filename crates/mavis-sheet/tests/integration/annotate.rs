//! Marking cells and attaching notes to an exported workbook, as the merge
//! and the validator do: the marks keep each cell's own format, the notes
//! read back, and everything else in the workbook stays as it was.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use crate::common::{reference_doc, today};
use mavis_sheet::dump::{SheetDump, WorkbookDump};
use mavis_sheet::{annotate_sheet, read_bytes, Annotation, ErrorKind, Mark, OfflineWorkbook};
use mavis_test_support::fresh_dir;
use mavis_test_support::tools::{convert, soffice};
use proptest::prelude::*;

const AUTHOR: &str = "mavis-offline";

/// `annotate_sheet` as AUTHOR, on a workbook that must take it.
fn annotate(bytes: &[u8], sheet: &str, annotations: &[Annotation]) -> Vec<u8> {
    annotate_sheet(bytes, "copy.xlsx", sheet, annotations, AUTHOR).unwrap()
}

/// The dump of a workbook that must have one.
fn dump_of(bytes: &[u8]) -> WorkbookDump {
    WorkbookDump::from_bytes(bytes, "copy.xlsx").unwrap()
}

/// Reference session 1001 (flu at Riverside Academy, five children), with
/// Ben Carter (row 3, refused consent, so his row is filled red) also
/// invalidated, so his row is struck through too.
fn reference_workbook() -> Vec<u8> {
    let mut doc = reference_doc(1001);
    let ben = doc
        .children
        .iter()
        .position(|c| c.family_name == "Carter")
        .unwrap();
    doc.children[ben].invalidated = true;
    OfflineWorkbook::new(&doc, today()).to_bytes().unwrap()
}

/// Marks on plain cells, a date cell, a struck-through red row, cells and a
/// row that do not exist, and notes.
fn annotations() -> Vec<Annotation> {
    let marked = |row, column, mark, note: &str| {
        Annotation::new(row, column).with_mark(mark).with_note(note)
    };
    vec![
        // Aisha: VACCINATED differs between two copies.
        marked(2, 24, Mark::Conflict, "nurse-a.xlsx: Y\nnurse-b.xlsx: N"),
        // Aisha: her date of birth, a dd/mm/yyyy date cell, changed.
        marked(
            2,
            6,
            Mark::ChangedOnTheDay,
            "nurse-b.xlsx changed PERSON_DOB from 01/09/2014 to 02/09/2014",
        ),
        // Ben's struck-through, red-filled row: two problems on one cell.
        marked(3, 0, Mark::Problem, "Enter a first name."),
        marked(3, 0, Mark::Conflict, "The record is invalidated."),
        // A cell right of the last column, on an existing row.
        Annotation::new(2, 39).with_mark(Mark::Added),
        // A row below the last one.
        marked(9, 1, Mark::Added, "added by nurse-c.xlsx"),
        // A note alone, on Chloë's amber row.
        Annotation::new(4, 13).with_note("a note & <markup> \"quoted\""),
    ]
}

fn annotated() -> (Vec<u8>, Vec<u8>) {
    let base = reference_workbook();
    let out = annotate(&base, "Vaccinations", &annotations());
    (base, out)
}

fn parts(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        out.insert(file.name().unwrap().into_owned(), content);
    }
    out
}

fn part(bytes: &[u8], name: &str) -> String {
    String::from_utf8(parts(bytes).remove(name).unwrap()).unwrap()
}

fn style<'a>(dump: &'a WorkbookDump, sheet: &SheetDump, reference: &str) -> &'a str {
    &dump.styles[&sheet.cell(reference).unwrap().style]
}

#[test]
fn marks_keep_each_cells_format() {
    let (base, out) = annotated();
    let before = dump_of(&base);
    let after = dump_of(&out);
    let (b, a) = (&before.sheets[0], &after.sheets[0]);
    let was = [
        ("Y2", "border thin FF000000"),
        ("A3", "border thin FF000000; fill solid FFF7D4D1; strike"),
    ];
    for (cell, want) in was {
        assert_eq!(style(&before, b, cell), want, "{cell} before");
    }
    let is = [
        ("Y2", "border thin FF000000; fill solid FFFFC000"),
        (
            "G2",
            "border thin FF000000; fill solid FFFFFF00; format dd/mm/yyyy",
        ),
        // The problem wins over the conflict; the strike stays.
        ("A3", "border thin FF000000; fill solid FFFF8080; strike"),
    ];
    for (cell, want) in is {
        assert_eq!(style(&after, a, cell), want, "{cell} after");
    }
    assert_eq!(a.cell("G2").unwrap().value, b.cell("G2").unwrap().value);
    // New cells are empty, with just the mark.
    assert!(b.cell("AN2").is_none());
    assert_eq!(a.cell("AN2").unwrap().kind, "blank");
    assert_eq!(style(&after, a, "AN2"), "fill solid FFC6EFCE");
    assert_eq!(a.cell("B9").unwrap().kind, "blank");
    assert_eq!(style(&after, a, "B9"), "fill solid FFC6EFCE");
    // A note alone leaves the cell's format alone.
    assert_eq!(a.cell("N4"), b.cell("N4"));
    // Cells stay in row and column order.
    let positions: Vec<(u32, u32)> = a
        .cells
        .iter()
        .map(|c| {
            let digits = c.reference.find(|ch: char| ch.is_ascii_digit()).unwrap();
            (
                c.reference[digits..].parse().unwrap(),
                mavis_domain::column_index(&c.reference[..digits]).unwrap(),
            )
        })
        .collect();
    let mut sorted = positions.clone();
    sorted.sort_unstable();
    assert_eq!(positions, sorted);
    // The sheet's dimension grows to the new cells.
    assert!(part(&out, "xl/worksheets/sheet1.xml").contains(r#"<dimension ref="A1:AN9"/>"#));
}

#[test]
fn the_rest_of_the_workbook_is_unchanged() {
    let (base, out) = annotated();
    let before = dump_of(&base);
    let after = dump_of(&out);
    // Every style index keeps its meaning; the new ones come after.
    for (i, s) in &before.styles {
        if let Some(t) = after.styles.get(i) {
            assert_eq!(s, t, "style {i}");
        }
    }
    assert_eq!(before.date1904, after.date1904);
    assert_eq!(before.sheets.len(), after.sheets.len());
    for (b, a) in before.sheets.iter().zip(&after.sheets) {
        assert_eq!(b.name, a.name);
        assert_eq!(b.state, a.state, "{}", b.name);
        assert_eq!(b.protection, a.protection, "{}", b.name);
        assert_eq!(b.pane, a.pane, "{}", b.name);
        assert_eq!(b.validations, a.validations, "{}", b.name);
        if b.name != "Vaccinations" {
            assert_eq!(b, a);
            continue;
        }
        // Apart from the marked cells, every cell is as it was.
        let marked = ["Y2", "G2", "A3", "AN2", "B9"];
        let unmarked = |s: &SheetDump| {
            s.cells
                .iter()
                .filter(|c| !marked.contains(&c.reference.as_str()))
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(unmarked(b), unmarked(a));
        for r in ["Y2", "G2", "A3"] {
            let (cb, ca) = (b.cell(r).unwrap(), a.cell(r).unwrap());
            assert_eq!((&cb.kind, &cb.value), (&ca.kind, &ca.value), "{r}");
        }
    }
    // The values read back are the same.
    assert_eq!(
        read_bytes(&base, "copy.xlsx").unwrap(),
        read_bytes(&out, "copy.xlsx").unwrap()
    );
    // Parts other than the sheet, the styles, its relationships and the
    // content types are byte for byte the same.
    let (pb, pa) = (parts(&base), parts(&out));
    let changed = [
        "xl/worksheets/sheet1.xml",
        "xl/styles.xml",
        "[Content_Types].xml",
    ];
    for (name, content) in &pb {
        if !changed.contains(&name.as_str()) {
            assert_eq!(Some(content), pa.get(name), "{name}");
        }
    }
    let added: Vec<&str> = pa
        .keys()
        .filter(|k| !pb.contains_key(*k))
        .map(String::as_str)
        .collect();
    assert_eq!(
        added,
        [
            "xl/comments1.xml",
            "xl/drawings/vmlDrawing1.vml",
            "xl/worksheets/_rels/sheet1.xml.rels"
        ]
    );
}

#[test]
fn notes_read_back() {
    let (_, out) = annotated();
    let dump = dump_of(&out);
    let v = dump.sheet("Vaccinations").unwrap();
    let notes: Vec<(&str, &str, &str)> = v
        .comments
        .iter()
        .map(|c| (c.reference.as_str(), c.author.as_str(), c.text.as_str()))
        .collect();
    assert_eq!(
        notes,
        [
            (
                "G2",
                AUTHOR,
                "nurse-b.xlsx changed PERSON_DOB from 01/09/2014 to 02/09/2014"
            ),
            ("Y2", AUTHOR, "nurse-a.xlsx: Y\nnurse-b.xlsx: N"),
            (
                "A3",
                AUTHOR,
                "Enter a first name.\n\nThe record is invalidated."
            ),
            ("N4", AUTHOR, "a note & <markup> \"quoted\""),
            ("B9", AUTHOR, "added by nurse-c.xlsx"),
        ]
    );
    assert!(dump.sheets[1..].iter().all(|s| s.comments.is_empty()));
    // The package wiring spreadsheet programs need to show them.
    let sheet = part(&out, "xl/worksheets/sheet1.xml");
    assert!(
        sheet.ends_with(r#"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><legacyDrawing r:id="rId1"/></worksheet>"#),
        "{}",
        &sheet[sheet.len() - 200..]
    );
    let rels = part(&out, "xl/worksheets/_rels/sheet1.xml.rels");
    assert!(rels.contains(r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing" Target="../drawings/vmlDrawing1.vml"/>"#), "{rels}");
    assert!(rels.contains(r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="../comments1.xml"/>"#), "{rels}");
    let types = part(&out, "[Content_Types].xml");
    assert!(types.contains(r#"<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>"#));
    assert!(types.contains(r#"<Override PartName="/xl/comments1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/>"#));
    let vml = part(&out, "xl/drawings/vmlDrawing1.vml");
    assert_eq!(vml.matches("<v:shape ").count(), 5);
    assert!(vml.contains("<x:Row>2</x:Row><x:Column>0</x:Column>"), "A3");
    assert!(vml.contains("<x:Row>8</x:Row><x:Column>1</x:Column>"), "B9");
}

#[test]
fn annotating_again_adds_to_the_notes() {
    let (_, once) = annotated();
    let again = annotate_sheet(
        &once,
        "copy.xlsx",
        "Vaccinations",
        &[
            Annotation::new(2, 24)
                .with_mark(Mark::Conflict)
                .with_note("nurse-c.xlsx: Y"),
            Annotation::new(5, 25)
                .with_mark(Mark::Problem)
                .with_note("Enter a date."),
        ],
        "validator",
    )
    .unwrap();
    let first = dump_of(&once);
    let dump = dump_of(&again);
    let v = dump.sheet("Vaccinations").unwrap();
    let y2 = v.comment("Y2").unwrap();
    assert_eq!(y2.author, AUTHOR, "the note keeps its author");
    assert_eq!(
        y2.text,
        "nurse-a.xlsx: Y\nnurse-b.xlsx: N\n\nnurse-c.xlsx: Y"
    );
    let z5 = v.comment("Z5").unwrap();
    assert_eq!(
        (z5.author.as_str(), z5.text.as_str()),
        ("validator", "Enter a date.")
    );
    assert_eq!(v.comments.len(), 6);
    // Sorted by cell: Z5 comes between N4 and B9.
    let order: Vec<&str> = v.comments.iter().map(|c| c.reference.as_str()).collect();
    assert_eq!(order, ["G2", "Y2", "A3", "N4", "Z5", "B9"]);
    // Y2's format is reused, not copied again; Z5 keeps its date format.
    assert_eq!(
        v.cell("Y2").unwrap().style,
        first.sheets[0].cell("Y2").unwrap().style
    );
    assert_eq!(
        style(&dump, v, "Z5"),
        "border thin FF000000; fill solid FFFF8080; format dd/mm/yyyy"
    );
    // Still one comments part and one drawing, with one more note box.
    let p = parts(&again);
    let comment_parts: Vec<&String> = p.keys().filter(|k| k.contains("comments")).collect();
    assert_eq!(comment_parts, ["xl/comments1.xml"]);
    let vml = part(&again, "xl/drawings/vmlDrawing1.vml");
    assert_eq!(vml.matches("<v:shape ").count(), 6);
    assert!(vml.contains(r#"id="_x0000_s1030""#));
    let sheet = part(&again, "xl/worksheets/sheet1.xml");
    assert_eq!(sheet.matches("<legacyDrawing").count(), 1);
    let rels = part(&again, "xl/worksheets/_rels/sheet1.xml.rels");
    assert_eq!(rels.matches("<Relationship ").count(), 2);
    // The same annotations once more change nothing but the notes' text.
    let styles_before = part(&once, "xl/styles.xml");
    let third = annotate(&once, "Vaccinations", &annotations());
    assert_eq!(part(&third, "xl/styles.xml"), styles_before);
}

#[test]
fn notes_added_to_a_note_another_program_wrote() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.write_string(0, 0, "NAME").unwrap();
    sheet.write_string(1, 0, "Aisha").unwrap();
    sheet
        .insert_note(
            1,
            0,
            &rust_xlsxwriter::Note::new("checked").set_author("Nurse A"),
        )
        .unwrap();
    let base = wb.save_to_buffer().unwrap();
    let out = annotate(
        &base,
        "Sheet1",
        &[
            Annotation::new(2, 0).with_note("changed"),
            Annotation::new(3, 1)
                .with_mark(Mark::Added)
                .with_note("added"),
        ],
    );
    let dump = dump_of(&out);
    let s = &dump.sheets[0];
    let a2 = s.comment("A2").unwrap();
    assert_eq!(a2.author, "Nurse A");
    assert!(a2.text.ends_with("checked\n\nchanged"), "{:?}", a2.text);
    assert_eq!(s.comment("B3").unwrap().author, AUTHOR);
    let vml_parts: Vec<String> = parts(&out)
        .into_keys()
        .filter(|k| k.ends_with(".vml"))
        .collect();
    assert_eq!(vml_parts.len(), 1);
    let vml = part(&out, &vml_parts[0]);
    assert_eq!(vml.matches("<v:shape ").count(), 2);
    assert!(vml.contains("<x:Row>2</x:Row><x:Column>1</x:Column>"));
    let before = dump_of(&base);
    let values = |d: &WorkbookDump| -> Vec<(String, String)> {
        d.sheets[0]
            .cells
            .iter()
            .filter(|c| c.kind != "blank")
            .map(|c| (c.reference.clone(), c.value.clone()))
            .collect()
    };
    assert_eq!(values(&before), values(&dump));
}

#[test]
fn snapshot() {
    let (_, out) = annotated();
    let dump = dump_of(&out);
    insta::assert_snapshot!("reference_1001_annotated", dump.to_string());
}

#[test]
fn same_input_same_bytes() {
    let (_, a) = annotated();
    let (_, b) = annotated();
    assert!(a == b);
    let c = annotate(&a, "Vaccinations", &annotations());
    let d = annotate(&b, "Vaccinations", &annotations());
    assert!(c == d);
}

#[test]
fn nothing_to_do_keeps_every_part() {
    let base = reference_workbook();
    let out = annotate(&base, "Vaccinations", &[Annotation::new(2, 1)]);
    assert_eq!(parts(&base), parts(&out));
}

#[test]
fn bad_input_is_a_typed_error() {
    let base = reference_workbook();
    let note = [Annotation::new(2, 0)
        .with_mark(Mark::Problem)
        .with_note("x")];
    let not_a_workbook = |bytes: &[u8], sheet: &str| {
        let err = annotate_sheet(bytes, "copy.xlsx", sheet, &note, AUTHOR).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::NotAWorkbook { .. }),
            "{err}"
        );
    };
    not_a_workbook(b"hello", "Vaccinations");
    not_a_workbook(b"", "Vaccinations");
    not_a_workbook(&base, "Nope");
    for name in ["truncated.xlsx", "not-a-zip.xlsx"] {
        let bytes =
            std::fs::read(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        not_a_workbook(&bytes, "Vaccinations");
    }
    // Cut anywhere, the workbook gives an error, never a panic.
    for len in (0..base.len()).step_by(997) {
        assert!(annotate_sheet(&base[..len], "copy.xlsx", "Vaccinations", &note, AUTHOR).is_err());
    }
    // A hidden sheet can be annotated too.
    assert!(annotate_sheet(&base, "copy.xlsx", "Suppliers", &note, AUTHOR).is_ok());
    for bad in [
        Annotation::new(0, 0),
        Annotation::new(1_048_577, 0),
        Annotation::new(1, 16_384),
    ] {
        let err = annotate_sheet(
            &base,
            "copy.xlsx",
            "Vaccinations",
            &[bad.with_note("x")],
            AUTHOR,
        )
        .unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Xlsx(_)), "{err}");
    }
}

fn any_annotation() -> impl Strategy<Value = Annotation> {
    (
        1u32..12,
        0u32..45,
        proptest::option::of(proptest::sample::select(vec![
            Mark::Conflict,
            Mark::ChangedOnTheDay,
            Mark::Added,
            Mark::Problem,
        ])),
        proptest::option::of("[a-zA-Z0-9 &<>\"'_\n\r\t\u{1}é-]{0,30}"),
    )
        .prop_map(|(row, column, mark, note)| Annotation {
            row,
            column,
            mark,
            note,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any annotations, applied twice: the values read back are the same,
    /// cells stay in order, every mark and note is there.
    #[test]
    fn any_annotations(
        first in proptest::collection::vec(any_annotation(), 0..12),
        second in proptest::collection::vec(any_annotation(), 0..6),
    ) {
        let base = reference_workbook();
        let once = annotate(&base, "Vaccinations", &first);
        let twice = annotate_sheet(&once, "copy.xlsx", "Vaccinations", &second, "validator").unwrap();
        prop_assert_eq!(
            read_bytes(&base, "copy.xlsx").unwrap(),
            read_bytes(&twice, "copy.xlsx").unwrap()
        );
        let dump = dump_of(&twice);
        let v = &dump.sheets[0];
        let position = |reference: &str| {
            let digits = reference.find(|ch: char| ch.is_ascii_digit()).unwrap();
            (
                reference[digits..].parse::<u32>().unwrap(),
                mavis_domain::column_index(&reference[..digits]).unwrap(),
            )
        };
        let cells: Vec<(u32, u32)> = v.cells.iter().map(|c| position(&c.reference)).collect();
        let mut sorted = cells.clone();
        sorted.sort_unstable();
        sorted.dedup();
        prop_assert_eq!(&cells, &sorted);
        for a in first.iter().chain(&second) {
            let reference = format!("{}{}", mavis_domain::column_letter(a.column), a.row);
            if a.mark.is_some() {
                let style = &dump.styles[&v.cell(&reference).unwrap().style];
                prop_assert!(style.contains("fill solid"), "{} {}", reference, style);
            }
            if let Some(note) = a.note.as_deref().filter(|n| !n.is_empty()) {
                let text = &v.comment(&reference).unwrap().text;
                prop_assert!(text.contains(note), "{} {:?} {:?}", reference, text, note);
            }
        }
        let mut noted: Vec<(u32, u32)> = v.comments.iter().map(|c| position(&c.reference)).collect();
        let count = noted.len();
        noted.dedup();
        prop_assert_eq!(noted.len(), count, "one note per cell");
    }
}

/// LibreOffice, when installed, opens the annotated workbook and keeps the
/// notes and fills when it saves it again.
#[test]
fn libreoffice_keeps_notes_and_fills() {
    let Some(soffice) = soffice("libreoffice_keeps_notes_and_fills") else {
        return;
    };
    let (_, out) = annotated();
    let dir = std::env::temp_dir().join(format!("mavis-annotate-{}", std::process::id()));
    let converted = fresh_dir(dir.join("converted"));
    let input = dir.join("annotated.xlsx");
    std::fs::write(&input, &out).unwrap();
    convert(
        &soffice,
        &dir,
        "xlsx",
        std::slice::from_ref(&input),
        &converted,
    );
    let bytes = std::fs::read(converted.join("annotated.xlsx")).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let dump = dump_of(&bytes);
    let v = dump.sheet("Vaccinations").unwrap();
    for (cell, text) in [
        ("Y2", "nurse-a.xlsx: Y\nnurse-b.xlsx: N"),
        ("A3", "Enter a first name.\n\nThe record is invalidated."),
        ("N4", "a note & <markup> \"quoted\""),
    ] {
        let c = v
            .comment(cell)
            .unwrap_or_else(|| panic!("no note on {cell}"));
        assert!(c.text.contains(text), "{cell}: {:?}", c.text);
    }
    for (cell, fill) in [("Y2", "FFFFC000"), ("G2", "FFFFFF00"), ("A3", "FFFF8080")] {
        let s = style(&dump, v, cell);
        assert!(s.contains(fill), "{cell}: {s}");
    }
    assert!(style(&dump, v, "G2").contains("dd/mm/yyyy"));
    assert!(style(&dump, v, "A3").contains("strike"));
    // LibreOffice's own comments part and drawing take more notes.
    let problem = Annotation::new(6, 2).with_mark(Mark::Problem);
    let more = [
        Annotation::new(2, 24).with_note("nurse-c.xlsx: Y"),
        problem.with_note("new"),
    ];
    let dump = dump_of(&annotate(&bytes, "Vaccinations", &more));
    let v = dump.sheet("Vaccinations").unwrap();
    assert!(v
        .comment("Y2")
        .unwrap()
        .text
        .ends_with("N\n\nnurse-c.xlsx: Y"));
    assert_eq!(v.comment("C6").unwrap().text, "new");
    assert!(style(&dump, v, "C6").contains("FFFF8080"));
    assert_eq!(v.comments.len(), 6);
}
