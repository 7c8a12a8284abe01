//! LibreOffice, the stand-in for the nurses' Excel: it re-saves our
//! workbooks and copies, and our reader, validator and merge give the same
//! results on what it wrote as on what we wrote.
//!
//! In CI (`MAVIS_REQUIRE_SHARED` set) a missing `soffice` fails; elsewhere
//! the test says it was skipped.

use mavis::demo::{self, fill_copies, DemoOptions};
use mavis::domain::chrono::NaiveDate;
use mavis::domain::{SessionDocument, Table};
use mavis::import::{Report, SessionReference, Validator};
use mavis::merge::{merge, Merged, Source};
use mavis::sheet::dump::WorkbookDump;
use mavis::sheet::{read_bytes, OfflineWorkbook};
use mavis_test_support::fresh_dir;
use mavis_test_support::tools::{convert, run_ok, soffice, soffice_command};
use std::path::{Path, PathBuf};

/// What a test works with.
struct Setup {
    soffice: PathBuf,
    /// The test's fresh work folder.
    work: PathBuf,
    today: NaiveDate,
    /// The demo session of the asked number of children.
    doc: SessionDocument,
    /// Its plain export.
    base: Vec<u8>,
}

/// LibreOffice, a fresh work folder `name`, the day, and the demo session
/// of `children` children with its plain export; `None` (skipped) without
/// LibreOffice.
fn setup(test: &str, name: &str, children: usize) -> Option<Setup> {
    let soffice = soffice(test)?;
    let work = fresh_dir(PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name));
    let today = mavis_test_support::today();
    let doc = demo::session(&DemoOptions {
        children,
        ..DemoOptions::new(today)
    });
    let base = OfflineWorkbook::new(&doc, today).to_bytes().unwrap();
    Some(Setup {
        soffice,
        work,
        today,
        doc,
        base,
    })
}

fn validate(table: &Table, reference: &SessionReference, today: NaiveDate) -> Report {
    let header: Vec<&str> = table.headers.iter().map(|h| h.text.as_str()).collect();
    Validator::new(reference, today)
        .check_table(&header, table.rows.iter().map(|r| (r.row, r.cells.iter())))
}

fn errors(report: &Report) -> Vec<(u32, Option<String>, String)> {
    report
        .errors
        .iter()
        .map(|e| (e.row(), e.column_letter(), e.message.clone()))
        .collect()
}

fn merge_all(base: &Table, copies: &[(String, Table)]) -> Merged {
    let sources: Vec<Source<'_>> = copies
        .iter()
        .map(|(name, t)| Source {
            name,
            digest: name,
            table: t,
        })
        .collect();
    merge(base, &sources, &[]).unwrap()
}

#[test]
fn libreoffice_resaves_give_the_same_results() {
    let Some(Setup {
        soffice,
        work,
        today,
        doc,
        base,
    }) = setup(
        "libreoffice_resaves_give_the_same_results",
        "libreoffice",
        40,
    )
    else {
        return;
    };
    let ours = fresh_dir(work.join("ours"));
    let theirs = fresh_dir(work.join("libreoffice"));
    let day = fill_copies(&base, 3, 2).unwrap();
    let mut files = vec![ours.join("session.xlsx")];
    std::fs::write(&files[0], &base).unwrap();
    for c in &day.copies {
        let p = ours.join(&c.name);
        std::fs::write(&p, &c.bytes).unwrap();
        files.push(p);
    }
    convert(&soffice, &work, "xlsx", &files, &theirs);

    // The same values, dates, times and NHS numbers, read back.
    let read = |p: &Path| read_bytes(&std::fs::read(p).unwrap(), "x.xlsx").unwrap();
    let mut our_tables = Vec::new();
    let mut their_tables = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap();
        let a = read(f);
        let b = read(&theirs.join(name));
        assert_eq!(a.headers, b.headers, "{name:?}");
        assert_eq!(a.rows.len(), b.rows.len(), "{name:?}");
        for (ra, rb) in a.rows.iter().zip(&b.rows) {
            assert_eq!(ra.cells, rb.cells, "{name:?} row {}", ra.row);
        }
        our_tables.push((name.to_string_lossy().into_owned(), a));
        their_tables.push((name.to_string_lossy().into_owned(), b));
    }

    // The dropdowns survive the re-save (LibreOffice keeps every data
    // validation, writing "Y, N" as "Y,N").
    let dump = WorkbookDump::from_bytes(
        &std::fs::read(theirs.join("session.xlsx")).unwrap(),
        "copy.xlsx",
    )
    .unwrap();
    let v = dump.sheet("Vaccinations").unwrap();
    for (cell, expect) in [
        ("Y2", "Y"),
        ("AD2", "Performing Professionals"),
        ("AF2", "Batch Numbers"),
        ("AH2", "left thigh"),
    ] {
        let found = v.validations_at(cell);
        assert!(!found.is_empty(), "no dropdown at {cell} after the re-save");
        assert!(
            found.iter().any(|d| d.formula1.contains(expect)),
            "{cell}: {found:?}"
        );
    }
    for hidden in ["Performing Professionals", "Suppliers", "Session"] {
        assert_eq!(dump.sheet(hidden).unwrap().state, "hidden", "{hidden}");
    }

    // The validator says the same of each copy.
    let reference = SessionReference::from_document(&doc);
    for ((name, a), (_, b)) in our_tables.iter().zip(&their_tables) {
        assert_eq!(
            errors(&validate(a, &reference, today)),
            errors(&validate(b, &reference, today)),
            "{name}"
        );
    }

    // The merge of the re-saved copies is the merge of ours.
    let ours_merged = merge_all(&our_tables[0].1, &our_tables[1..]);
    let theirs_merged = merge_all(&their_tables[0].1, &their_tables[1..]);
    assert_eq!(
        ours_merged
            .table
            .rows
            .iter()
            .map(|r| &r.cells)
            .collect::<Vec<_>>(),
        theirs_merged
            .table
            .rows
            .iter()
            .map(|r| &r.cells)
            .collect::<Vec<_>>()
    );
    assert_eq!(ours_merged.report.conflicts, theirs_merged.report.conflicts);
    assert_eq!(
        ours_merged.report.changes_on_the_day,
        theirs_merged.report.changes_on_the_day
    );
    assert_eq!(ours_merged.report.recorded, theirs_merged.report.recorded);
    assert_eq!(ours_merged.report.conflicts.len(), 1);

    // LibreOffice's own CSV of the nurse who picked her dates (UTF-8,
    // cell contents as shown, the first sheet) checks as her workbook does.
    // (A date typed as YYYYMMDD leaves LibreOffice's CSV as "#FMT", and
    // LibreOffice writes no byte order mark: read the workbook instead, as
    // `mavis-offline csv` does.)
    let picked = ours.join("nurse-2.xlsx");
    convert(
        &soffice,
        &work,
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,1",
        &[picked],
        &theirs,
    );
    // With a sheet chosen, LibreOffice names the file after it.
    let csv = std::fs::read(theirs.join("nurse-2-Vaccinations.csv")).unwrap();
    let csv_report = Validator::new(&reference, today).check_csv_bytes(&csv);
    assert_eq!(
        errors(&csv_report),
        errors(&validate(&our_tables[2].1, &reference, today))
    );
}

/// A LibreOffice Basic macro that opens `MAVIS_LO_IN` with the password in
/// `MAVIS_LO_PASSWORD` and saves it as a plain `.xlsx` to `MAVIS_LO_OUT`;
/// nothing is written when the password does not open it. LibreOffice's
/// `--convert-to` has no way to give a password (a file's password is part
/// of the load arguments, not of the filter options), so the test drives
/// the same load through a macro of its own profile. The paths and the
/// password come from the environment: nothing to quote, and no password
/// in the process list.
const OPEN_WITH_PASSWORD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Convert
  Dim load(1) As New com.sun.star.beans.PropertyValue
  load(0).Name = &quot;Hidden&quot;
  load(0).Value = True
  load(1).Name = &quot;Password&quot;
  load(1).Value = Environ(&quot;MAVIS_LO_PASSWORD&quot;)
  Dim doc As Object
  On Error GoTo Done
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(Environ(&quot;MAVIS_LO_IN&quot;)), &quot;_blank&quot;, 0, load())
  If Not IsNull(doc) Then
    Dim save(0) As New com.sun.star.beans.PropertyValue
    save(0).Name = &quot;FilterName&quot;
    save(0).Value = &quot;Calc MS Excel 2007 XML&quot;
    doc.storeToURL(ConvertToURL(Environ(&quot;MAVIS_LO_OUT&quot;)), save())
    doc.close(True)
  End If
Done:
  StarDesktop.terminate()
End Sub
</script:module>
"#;

/// Issue 9: an encrypted export opens in LibreOffice with its password, and
/// reads back as the plain export; without the password, or with a wrong
/// one, LibreOffice cannot open it.
#[test]
fn libreoffice_opens_an_encrypted_workbook_with_its_password() {
    let Some(Setup {
        soffice,
        work,
        base: plain,
        ..
    }) = setup(
        "libreoffice_opens_an_encrypted_workbook_with_its_password",
        "libreoffice-password",
        12,
    )
    else {
        return;
    };
    let out = fresh_dir(work.join("out"));
    let password = "Riverside: nurses only, 15/10";
    let locked = work.join("locked.xlsx");
    std::fs::write(
        &locked,
        mavis::sheet::encrypt_workbook(&plain, password, "session.xlsx").unwrap(),
    )
    .unwrap();

    // Without the password: LibreOffice's converter cannot load it. (This
    // first start also lays out the profile the macro goes into.)
    convert(&soffice, &work, "csv", std::slice::from_ref(&locked), &out);
    assert!(
        !out.join("locked.csv").exists(),
        "LibreOffice converted the encrypted workbook without its password"
    );

    let module = work.join("lo-profile/user/basic/Standard/Module1.xba");
    assert!(
        module.is_file(),
        "LibreOffice laid out no Basic library in its profile"
    );
    std::fs::write(&module, OPEN_WITH_PASSWORD).unwrap();
    let open = |given: &str, to: &Path| {
        let mut command = soffice_command(&soffice, &work);
        command
            .arg("macro:///Standard.Module1.Convert")
            .env("MAVIS_LO_PASSWORD", given)
            .env("MAVIS_LO_IN", &locked)
            .env("MAVIS_LO_OUT", to);
        run_ok(&mut command, "soffice");
    };

    // A wrong password: nothing.
    let wrong = out.join("wrong.xlsx");
    open("riverside: nurses only, 15/10", &wrong);
    assert!(!wrong.exists(), "a wrong password opened the workbook");

    // The password: the same sheet as the plain export.
    let opened = out.join("opened.xlsx");
    open(password, &opened);
    let theirs = read_bytes(&std::fs::read(&opened).unwrap(), "x.xlsx").unwrap();
    let ours = read_bytes(&plain, "x.xlsx").unwrap();
    assert_eq!(ours.headers, theirs.headers);
    assert_eq!(ours.rows.len(), theirs.rows.len());
    for (a, b) in ours.rows.iter().zip(&theirs.rows) {
        assert_eq!(a.cells, b.cells, "row {}", a.row);
    }
    let dump = WorkbookDump::from_bytes(&std::fs::read(&opened).unwrap(), "copy.xlsx").unwrap();
    assert_eq!(dump.sheet("Session").unwrap().state, "hidden");
}
