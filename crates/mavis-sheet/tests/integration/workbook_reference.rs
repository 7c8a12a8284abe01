//! Reference data from a workbook itself: our export read through its
//! `Session` sheet, the same workbook as Mavis writes it (without that
//! sheet) read from its hidden sheets, dropdowns and rows, and hostile
//! bytes given to the reader.

use std::sync::OnceLock;

use mavis_demo::{self as demo, DemoOptions};
use mavis_domain::chrono::NaiveDate;
use mavis_domain::{
    AnatomicalSite, DocumentChild, Programme, RecordSource, SessionDocument, SessionLocation,
    Vaccine,
};
use mavis_sheet::{
    edit_sheet, parse_session_sheet, read_bytes, read_sheet_rows, read_workbook_reference,
    remove_sheet, session_sheet_rows, CellEdit, Column, Entry, ErrorKind, Layout, OfflineWorkbook,
    SESSION_SHEET,
};
use proptest::prelude::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 10, 15).unwrap()
}

fn demo_doc(children: usize) -> SessionDocument {
    demo::session(&DemoOptions {
        children,
        ..DemoOptions::new(today())
    })
}

/// The demo session's export without its `Session` sheet: the workbook as
/// Mavis's exporter writes it.
fn mavis_shaped(doc: &SessionDocument) -> Vec<u8> {
    let ours = OfflineWorkbook::new(doc, today()).to_bytes().unwrap();
    remove_sheet(&ours, "session.xlsx", SESSION_SHEET).unwrap()
}

/// A small Mavis-shaped workbook, made once.
fn small() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| mavis_shaped(&demo_doc(6)))
}

#[test]
fn removing_the_session_sheet_keeps_every_other_sheet() {
    let doc = demo_doc(12);
    let ours = OfflineWorkbook::new(&doc, today()).to_bytes().unwrap();
    let mavis = remove_sheet(&ours, "session.xlsx", SESSION_SHEET).unwrap();
    assert_eq!(
        read_bytes(&mavis, "copy.xlsx").unwrap(),
        read_bytes(&ours, "copy.xlsx").unwrap()
    );
    assert!(read_sheet_rows(&mavis, "copy.xlsx", SESSION_SHEET)
        .unwrap()
        .is_none());
    let dump = mavis_sheet::dump::WorkbookDump::from_bytes(&mavis, "copy.xlsx").unwrap();
    let names: Vec<&str> = dump.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Vaccinations",
            "Performing Professionals",
            "Suppliers",
            "hpv Batch Numbers",
            "menacwy Batch Numbers",
            "td_ipv Batch Numbers"
        ]
    );
    let err = remove_sheet(&mavis, "copy.xlsx", SESSION_SHEET).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::NotAWorkbook { .. }),
        "{err}"
    );
    assert!(err.to_string().starts_with("copy.xlsx: "), "{err}");
}

#[test]
fn a_session_sheet_is_read_as_it_is() {
    let doc = demo_doc(12);
    let ours = OfflineWorkbook::new(&doc, today()).to_bytes().unwrap();
    let read = read_workbook_reference(&ours, "session.xlsx", today()).unwrap();
    let sheet = parse_session_sheet(&session_sheet_rows(&doc, today()), "session.xlsx").unwrap();
    assert!(read.from_session_sheet);
    assert!(read.not_checked_offline.is_empty());
    assert_eq!(read.document.session, sheet.document.session);
    assert_eq!(read.document.team, sheet.document.team);
    assert_eq!(read.document.users, sheet.document.users);
    assert_eq!(read.document.other_sessions, sheet.document.other_sessions);
    assert_eq!(read.records, sheet.records);
    assert!(read.document.children.is_empty());
    assert_eq!(read.location_name.as_deref(), Some(doc.location_name()));
}

#[test]
fn a_mavis_shaped_workbook_says_what_the_rules_need() {
    let doc = demo_doc(40);
    let read = read_workbook_reference(&mavis_shaped(&doc), "copy.xlsx", today()).unwrap();
    let got = &read.document;
    assert!(!read.from_session_sheet);
    assert_eq!(got.session.id, doc.session.id);
    assert_eq!(got.team.ods_code, doc.team.ods_code);
    assert_eq!(read.location_name.as_deref(), Some("Riverside Academy"));
    assert_eq!(
        got.session.programmes_in_order(),
        doc.session.programmes_in_order()
    );
    assert!(!got.session.psd_enabled);
    // Every team user, the suppliers flagged.
    let users = |d: &[mavis_domain::User]| -> Vec<(String, bool)> {
        d.iter()
            .map(|u| (u.email.to_string(), u.supplier))
            .collect()
    };
    assert_eq!(users(&got.users), users(&doc.users));
    // The batches the sheets offer, per programme (then those of the
    // existing records, which our writer adds).
    for (programme, numbers) in &read.batch_numbers {
        let offered: Vec<_> = doc
            .offered_batches(*programme, today())
            .iter()
            .map(|b| b.number.clone())
            .collect();
        assert!(numbers.starts_with(&offered), "{programme}: {numbers:?}");
    }
    assert_eq!(read.batch_numbers.len(), doc.session.programmes.len());
    // The vaccines and sites of the dropdowns.
    let vaccines: Vec<(Programme, Vec<Vaccine>)> = doc
        .session
        .programmes_in_order()
        .into_iter()
        .map(|p| (p, Vaccine::active_for(p, None).collect()))
        .collect();
    assert_eq!(read.vaccines, vaccines);
    let mut sites = read.sites.clone();
    sites.sort_by_key(|s| s.text());
    let mut all = AnatomicalSite::ALL.to_vec();
    all.sort_by_key(|s| s.text());
    assert_eq!(sites, all);
    // A school session lists no clinics.
    assert!(got.clinics.is_empty());
    // Every child once; the records with their sessions.
    assert_eq!(got.children.len(), doc.children.len());
    for child in &doc.children {
        assert!(
            got.children.iter().any(|c| c.given_name == child.given_name
                && c.family_name == child.family_name
                && c.date_of_birth == child.date_of_birth
                && c.nhs_number == child.nhs_number),
            "{}",
            child.full_name()
        );
    }
    let mut expected: Vec<_> = doc
        .children
        .iter()
        .flat_map(|c| c.reference().records.clone())
        .filter(|r| {
            !r.discarded
                && doc
                    .session
                    .programmes
                    .iter()
                    .any(|p| p.programme == r.programme)
        })
        .map(|r| (r.uuid, r.session_id))
        .collect();
    expected.sort();
    let mut records: Vec<_> = read.records.iter().map(|(u, _, s)| (*u, *s)).collect();
    records.sort();
    assert_eq!(records, expected);
    for (_, source, session) in &read.records {
        assert_eq!(
            *source == RecordSource::NhsImmunisationsApi,
            session.is_none()
        );
    }
    // The session's days are not known: any day of the academic year.
    assert_eq!(got.session.dates.len(), 365);
    assert!(got.check().is_ok(), "{:?}", got.check());
    insta::assert_yaml_snapshot!("not_checked_offline", read.not_checked_offline);
}

#[test]
fn a_clinic_session_lists_its_clinics() {
    let mut doc = demo_doc(8);
    doc.session.location = SessionLocation::GenericClinic;
    let read = read_workbook_reference(&mavis_shaped(&doc), "copy.xlsx", today()).unwrap();
    let names = |clinics: &[mavis_domain::Clinic]| -> Vec<String> {
        clinics.iter().map(|c| c.name.clone()).collect()
    };
    assert_eq!(names(&read.document.clinics), names(&doc.clinics));
    assert_eq!(read.location_name.as_deref(), Some("Community clinic"));
    assert!(!read
        .not_checked_offline
        .iter()
        .any(|l| l.contains("CLINIC_NAME")));
}

#[test]
fn the_session_is_the_one_most_rows_give() {
    let bytes = small();
    let table = read_bytes(bytes, "copy.xlsx").unwrap();
    let session = u32::from(Layout::new(false).index(Column::SessionId).unwrap());
    let organisation = u32::from(Layout::new(false).index(Column::OrganisationCode).unwrap());
    // A nurse types another session id and code into one row.
    let row = table.rows[0].row;
    let edits = [
        CellEdit::new(row, session, Entry::Number(9999.0)),
        CellEdit::new(row, organisation, Entry::Text("X99".into())),
    ];
    let copy = edit_sheet(bytes, "copy.xlsx", "Vaccinations", &edits).unwrap();
    let read = read_workbook_reference(&copy, "copy.xlsx", today()).unwrap();
    assert_eq!(read.document.session.id, demo::SESSION_ID);
    assert_eq!(read.document.team.ods_code.as_str(), "R1L");
    assert!(read.document.other_sessions.iter().any(|s| s.id == 9999));
}

#[test]
fn no_session_id_is_an_error_naming_the_file() {
    let bytes = small();
    let table = read_bytes(bytes, "copy.xlsx").unwrap();
    let session = u32::from(Layout::new(false).index(Column::SessionId).unwrap());
    let edits: Vec<CellEdit> = table
        .rows
        .iter()
        .map(|r| CellEdit::new(r.row, session, Entry::Text(String::new())))
        .collect();
    let copy = edit_sheet(bytes, "copy.xlsx", "Vaccinations", &edits).unwrap();
    let err = read_workbook_reference(&copy, "copy.xlsx", today()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Unreadable { .. }), "{err}");
    assert!(
        err.to_string().starts_with("copy.xlsx: cannot be read: "),
        "{err}"
    );
    assert!(err.to_string().contains("SESSION_ID"), "{err}");
}

#[test]
fn what_is_not_a_workbook_is_an_error_naming_the_file() {
    for bytes in [
        &b""[..],
        b"PERSON_FORENAME\r\nAisha\r\n",
        b"PK\x03\x04broken",
    ] {
        let err = read_workbook_reference(bytes, "nurse-a.xlsx", today()).unwrap_err();
        assert!(err.to_string().starts_with("nurse-a.xlsx: "), "{err}");
    }
}

proptest! {
    // Each case unpacks a workbook: few of them.
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A Mavis-shaped workbook with bytes flipped, cut or inserted: the
    /// reader answers (most often with an error), never panics.
    #[test]
    fn mutated_mavis_workbooks_never_panic(
        changes in prop::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..6)
    ) {
        let mut bytes = small().to_vec();
        for (at, value, how) in changes {
            if bytes.is_empty() {
                break;
            }
            let i = at % bytes.len();
            match how {
                0 => bytes[i] ^= value | 1,
                1 => bytes.truncate(i),
                _ => bytes.insert(i, value),
            }
        }
        let _ = read_workbook_reference(&bytes, "hostile.xlsx", today());
    }

    /// Any bytes, with or without a zip signature, never panic the reader.
    #[test]
    fn any_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600), zip in any::<bool>()) {
        let mut input = if zip { b"PK\x03\x04".to_vec() } else { Vec::new() };
        input.extend(bytes);
        let _ = read_workbook_reference(&input, "hostile.xlsx", today());
    }
}
