//! The annotated workbook of issue 10: every problem's cell red with its
//! message in a note, a first `Problems` sheet linking to each, and
//! everything else as it was.

use std::io::{Cursor, Read};

use crate::common::{reference_doc, today};
use mavis_sheet::dump::WorkbookDump;
use mavis_sheet::{
    add_problems_sheet, annotate_problems, annotate_sheet, read_bytes, read_sheet_rows,
    table_workbook, Annotation, ErrorKind, Mark, OfflineWorkbook, ProblemLine, PROBLEMS_HEADERS,
    PROBLEMS_SHEET,
};

const AUTHOR: &str = "mavis-offline";

fn base() -> Vec<u8> {
    OfflineWorkbook::new(&reference_doc(1001), today())
        .to_bytes()
        .unwrap()
}

fn problems() -> Vec<ProblemLine> {
    vec![
        ProblemLine::cell(
            2,
            5,
            Some("DATE_OF_VACCINATION".into()),
            "Enter a date in the correct format.",
        ),
        ProblemLine::cell(
            2,
            5,
            Some("DATE_OF_VACCINATION".into()),
            "The date is after today.",
        ),
        ProblemLine::cell(
            4,
            24,
            Some("VACCINATED".into()),
            "You need to record whether the child was vaccinated or not.",
        ),
        ProblemLine::row(5, "The record is a duplicate of row 4 <& 'quoted'>"),
        ProblemLine::file("Session 1001 was uploaded before with different outcomes"),
    ]
}

fn part(bytes: &[u8], name: &str) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut file = zip.by_name(name).ok()?;
    let mut s = String::new();
    file.read_to_string(&mut s).unwrap();
    Some(s)
}

#[test]
fn every_problem_is_at_its_cell_and_listed() {
    let base = base();
    let out = annotate_problems(&base, "copy.xlsx", "Vaccinations", &problems(), AUTHOR).unwrap();

    // Values unchanged.
    let before = read_bytes(&base, "base.xlsx").unwrap();
    let after = read_bytes(&out, "annotated.xlsx").unwrap();
    assert_eq!(after.headers, before.headers);
    assert_eq!(after.rows, before.rows);
    assert_eq!(after.sheet.as_deref(), Some("Vaccinations"));

    // Notes and fills at each cell.
    let dump = WorkbookDump::from_bytes(&out, "copy.xlsx").unwrap();
    let v = dump.sheet("Vaccinations").unwrap();
    let red =
        |cell: &str| dump.styles[&v.cell(cell).unwrap().style].contains("fill solid FFFF8080");
    assert_eq!(
        v.comment("F2").unwrap().text,
        "Enter a date in the correct format.\n\nThe date is after today."
    );
    assert!(red("F2"));
    assert!(v
        .comment("Y4")
        .unwrap()
        .text
        .starts_with("You need to record"));
    assert!(red("Y4"));
    assert_eq!(
        v.comment("A5").unwrap().text,
        "The record is a duplicate of row 4 <& 'quoted'>"
    );
    assert!(red("A5"));
    assert_eq!(v.comments.len(), 3, "a file problem marks no cell");

    // The Problems sheet comes first, visible, one line per problem.
    assert_eq!(dump.sheets[0].name, PROBLEMS_SHEET);
    assert_eq!(dump.sheets[0].state, "visible");
    let rows = read_sheet_rows(&out, "annotated.xlsx", PROBLEMS_SHEET)
        .unwrap()
        .unwrap();
    assert_eq!(rows[0], PROBLEMS_HEADERS);
    assert_eq!(rows.len(), problems().len() + 1);
    assert_eq!(
        rows[1],
        [
            "2",
            "F",
            "DATE_OF_VACCINATION",
            "Enter a date in the correct format.",
            "Vaccinations!F2"
        ]
    );
    assert_eq!(rows[4][..3], ["5", "A", "(whole row)"]);
    assert_eq!(
        rows[5][2..],
        [
            "(whole file)",
            "Session 1001 was uploaded before with different outcomes",
            "Vaccinations!A1"
        ]
    );

    // Each line links to its cell.
    let n = WorkbookDump::from_bytes(&base, "copy.xlsx")
        .unwrap()
        .sheets
        .len()
        + 1;
    let workbook = part(&out, "xl/workbook.xml").unwrap();
    assert!(
        workbook.contains(&format!(r#"<sheets><sheet name="Problems" sheetId="{n}""#)),
        "{workbook}"
    );
    let rels = part(&out, "xl/_rels/workbook.xml.rels").unwrap();
    let sheet_target = rels
        .split("<Relationship ")
        .find(|r| r.contains(&format!("sheet{n}.xml")))
        .expect("a relationship to the new sheet");
    assert!(sheet_target.contains("/worksheet\""));
    let problems_xml = part(&out, &format!("xl/worksheets/sheet{n}.xml")).unwrap();
    for (row, cell) in [(2, "F2"), (3, "F2"), (4, "Y4"), (5, "A5"), (6, "A1")] {
        assert!(
            problems_xml.contains(&format!(
                r#"<hyperlink ref="E{row}" location="'Vaccinations'!{cell}""#
            )),
            "{problems_xml}"
        );
    }
    let types = part(&out, "[Content_Types].xml").unwrap();
    assert!(types.contains(&format!(
        r#"<Override PartName="/xl/worksheets/sheet{n}.xml""#
    )));
    let app = part(&out, "docProps/app.xml").unwrap();
    assert!(app.contains(&format!("<vt:i4>{n}</vt:i4>")), "{app}");
    assert!(
        app.contains(&format!(r#"<vt:vector size="{n}" baseType="lpstr"><vt:lpstr>Problems</vt:lpstr><vt:lpstr>Vaccinations</vt:lpstr>"#)),
        "{app}"
    );
    // The Vaccinations sheet is no longer the selected tab.
    let vaccinations = part(&out, "xl/worksheets/sheet1.xml").unwrap();
    assert!(!vaccinations.contains("tabSelected"));
    assert!(problems_xml.contains(r#"tabSelected="1""#));
}

#[test]
fn everything_else_is_kept() {
    let base = base();
    let out = annotate_problems(&base, "copy.xlsx", "Vaccinations", &problems(), AUTHOR).unwrap();
    let before = WorkbookDump::from_bytes(&base, "copy.xlsx").unwrap();
    let after = WorkbookDump::from_bytes(&out, "copy.xlsx").unwrap();
    assert_eq!(after.sheets.len(), before.sheets.len() + 1);
    for (b, a) in before.sheets.iter().zip(&after.sheets[1..]) {
        assert_eq!(a.name, b.name);
        assert_eq!(a.state, b.state);
        assert_eq!(a.protection, b.protection);
        assert_eq!(a.pane, b.pane);
        assert_eq!(a.validations, b.validations);
        let values = |s: &mavis_sheet::dump::SheetDump| -> Vec<(String, String)> {
            s.cells
                .iter()
                .filter(|c| c.kind != "blank")
                .map(|c| (c.reference.clone(), c.value.clone()))
                .collect()
        };
        assert_eq!(values(a), values(b), "{}", a.name);
    }
    // Deterministic.
    assert_eq!(
        annotate_problems(&base, "copy.xlsx", "Vaccinations", &problems(), AUTHOR).unwrap(),
        out
    );
}

#[test]
fn no_problems_no_change() {
    let base = base();
    assert_eq!(
        annotate_problems(&base, "copy.xlsx", "Vaccinations", &[], AUTHOR).unwrap(),
        base
    );
    assert_eq!(
        add_problems_sheet(&base, "copy.xlsx", "Vaccinations", &[]).unwrap(),
        base
    );
}

#[test]
fn merge_conflicts_stay_amber_beside_problems() {
    let base = base();
    let merged = annotate_sheet(
        &base,
        "copy.xlsx",
        "Vaccinations",
        &[Annotation::new(3, 24)
            .with_mark(Mark::Conflict)
            .with_note("nurse-a.xlsx: \"Y\"\nnurse-b.xlsx: \"N\"")],
        AUTHOR,
    )
    .unwrap();
    let out = add_problems_sheet(
        &merged,
        "copy.xlsx",
        "Vaccinations",
        &[ProblemLine::cell(
            3,
            24,
            Some("VACCINATED".into()),
            "conflict",
        )],
    )
    .unwrap();
    let dump = WorkbookDump::from_bytes(&out, "copy.xlsx").unwrap();
    let v = dump.sheet("Vaccinations").unwrap();
    assert!(dump.styles[&v.cell("Y3").unwrap().style].contains("FFFFC000"));
    assert!(v.comment("Y3").unwrap().text.contains("nurse-b.xlsx"));
}

#[test]
fn an_annotated_copy_checked_again_gets_a_new_list() {
    let base = base();
    let once = annotate_problems(&base, "copy.xlsx", "Vaccinations", &problems(), AUTHOR).unwrap();
    let twice = annotate_problems(
        &once,
        "copy.xlsx",
        "Vaccinations",
        &[ProblemLine::row(3, "still wrong")],
        AUTHOR,
    )
    .unwrap();
    let dump = WorkbookDump::from_bytes(&twice, "copy.xlsx").unwrap();
    assert_eq!(
        dump.sheets
            .iter()
            .filter(|s| s.name == PROBLEMS_SHEET)
            .count(),
        1
    );
    let rows = read_sheet_rows(&twice, "twice.xlsx", PROBLEMS_SHEET)
        .unwrap()
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][3], "still wrong");
}

#[test]
fn refusals() {
    let base = base();
    let err = add_problems_sheet(&base, "copy.xlsx", "Nope", &problems()).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::NotAWorkbook { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("no sheet named \"Nope\""), "{err}");
    let err =
        add_problems_sheet(b"not a zip", "nurse-b.xlsx", "Vaccinations", &problems()).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::NotAWorkbook { file, .. } if file == "nurse-b.xlsx"),
        "{err}"
    );
    assert!(err.to_string().starts_with("nurse-b.xlsx: "), "{err}");
    assert!(err.to_string().contains("save it again"), "{err}");

    // A sheet of the user's own called Problems is not overwritten.
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet()
        .set_name("Vaccinations")
        .unwrap()
        .write(0, 0, "PERSON_FORENAME")
        .unwrap();
    wb.add_worksheet()
        .set_name("Problems")
        .unwrap()
        .write(0, 0, "my notes")
        .unwrap();
    let own = wb.save_to_buffer().unwrap();
    let err = add_problems_sheet(&own, "copy.xlsx", "Vaccinations", &problems()).unwrap_err();
    assert!(err.to_string().contains("did not write"), "{err}");
}

#[test]
fn a_csv_laid_out_as_the_offline_sheet() {
    let csv = "PERSON_FORENAME,PERSON_SURNAME,NHS_NUMBER,DATE_OF_VACCINATION\r\n\
               Aisha,Khan,9434765919,20251314\r\n\
               Ben,,0123,\r\n";
    let table = read_bytes(csv.as_bytes(), "nurse-b.csv").unwrap();
    let xlsx = table_workbook(&table).unwrap();
    assert_eq!(table_workbook(&table).unwrap(), xlsx, "deterministic");
    let back = read_bytes(&xlsx, "nurse-b.xlsx").unwrap();
    assert_eq!(back.headers, table.headers);
    assert_eq!(back.rows, table.rows);
    let out = annotate_problems(
        &xlsx,
        "copy.xlsx",
        "Vaccinations",
        &[ProblemLine::cell(
            2,
            3,
            Some("DATE_OF_VACCINATION".into()),
            "Enter a date.",
        )],
        AUTHOR,
    )
    .unwrap();
    let dump = WorkbookDump::from_bytes(&out, "copy.xlsx").unwrap();
    assert_eq!(dump.sheets[0].name, PROBLEMS_SHEET);
    assert_eq!(
        dump.sheet("Vaccinations")
            .unwrap()
            .comment("D2")
            .unwrap()
            .text,
        "Enter a date."
    );
}
