//! The offline workbook, snapshot by snapshot: a readable dump of sheets,
//! cells, styles, validations and panes for the reference sessions and the
//! cases each exercises.

use crate::common::{date, reference_doc, today};
use mavis_demo::{self as demo, DemoOptions};
use mavis_domain::{BatchNumber, Clinic, Column, Programme, SessionDocument};
use mavis_sheet::dump::{SheetDump, WorkbookDump};
use mavis_sheet::{OfflineWorkbook, RowBuilder};

fn write(doc: &SessionDocument) -> (Vec<u8>, WorkbookDump) {
    let bytes = OfflineWorkbook::new(doc, today()).to_bytes().unwrap();
    let dump = WorkbookDump::from_bytes(&bytes, "copy.xlsx").unwrap();
    (bytes, dump)
}

fn sheet_names(dump: &WorkbookDump) -> Vec<(&str, &str)> {
    dump.sheets
        .iter()
        .map(|s| (s.name.as_str(), s.state.as_str()))
        .collect()
}

/// The list the batch number cell of row `row` offers (its first
/// validation's formula).
fn batch_list<'a>(v: &'a SheetDump, row: &str) -> &'a str {
    let first = v.validations_at(&format!("AF{row}"))[0];
    &first.formula1
}

#[test]
fn flu_session_at_a_school() {
    let doc = reference_doc(1001);
    let (_, dump) = write(&doc);
    assert_eq!(
        sheet_names(&dump),
        [
            ("Vaccinations", "visible"),
            ("Performing Professionals", "hidden"),
            ("Suppliers", "hidden"),
            ("flu Batch Numbers", "hidden"),
            ("Session", "hidden"),
        ]
    );
    let v = &dump.sheets[0];
    // Five children, one flu row each, by family name: Begum, Carter,
    // Davies, Jiménez, O'Hare.
    let surnames: Vec<&str> = (2..=6)
        .map(|r| v.cell(&format!("B{r}")).unwrap().value.as_str())
        .collect();
    assert_eq!(surnames, ["Begum", "Carter", "Davies", "Jiménez", "O'Hare"]);
    assert!(v.cell("A7").is_none());
    // Ben's refused consent fills his row red, Chloë's conflicting one amber.
    let style = |r: &str| dump.styles[&v.cell(r).unwrap().style].clone();
    assert!(
        style("A3").contains("fill solid FFF7D4D1"),
        "{}",
        style("A3")
    );
    assert!(
        style("AM4").contains("fill solid FFFFDC8E"),
        "{}",
        style("AM4")
    );
    assert!(!style("A2").contains("fill"));
    // Daniel is restricted: no address, no postcode.
    assert_eq!(v.cell("K6").unwrap().kind, "blank");
    assert_eq!(v.cell("L6").unwrap().kind, "blank");
    assert_eq!(v.cell("M6").unwrap().value, "9434765919");
    assert_eq!(v.cell("M6").unwrap().kind, "text");
    // The flu batch sheet offers neither the expired nor the archived batch.
    let batches: Vec<&str> = dump.sheets[3]
        .cells
        .iter()
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(
        batches,
        ["NUMBER", "CT4471", "VT1203", "VX8802", "FL2281A", "FL2290B"]
    );
    insta::assert_snapshot!("reference_1001_flu", dump.to_string());
}

#[test]
fn existing_record_rows_and_children_without_rows() {
    let doc = reference_doc(1002);
    let (_, dump) = write(&doc);
    let v = &dump.sheets[0];
    // Eve's MenACWY record from her GP is a row of its own, with its UUID
    // and no session; her Td/IPV row is a fill-in row.
    let eve_rows: Vec<String> = v
        .cells
        .iter()
        .filter(|c| c.reference.starts_with('B') && c.value == "Jiménez")
        .map(|c| c.reference[1..].to_owned())
        .collect();
    assert_eq!(eve_rows.len(), 2);
    let (record, fill_in) = (&eve_rows[0], &eve_rows[1]);
    let at = |col: &str, row: &str| v.cell(&format!("{col}{row}")).unwrap();
    assert_eq!(at("AB", record).value, "ACWYX4");
    assert_eq!(
        at("AM", record).value,
        "5b0e6c1e-8a1d-4f0e-9d3a-2c7b9e4f1a01"
    );
    assert_eq!(at("Y", record).value, "Y");
    assert_eq!(at("AA", record).value, "11:40:00");
    assert_eq!(at("AF", record).value, "MV1999");
    assert_eq!(at("AL", record).kind, "blank", "no session");
    assert_eq!(
        at("F", record).kind,
        "blank",
        "no care setting without a session"
    );
    assert_eq!(at("D", record).value, "Riverside Surgery");
    assert_eq!(at("AB", fill_in).value, "3-in-1");
    assert_eq!(at("AI", fill_in).value, "5");
    assert_eq!(at("AL", fill_in).value, "1002");
    // Ben (year 7) has no programme in this session, so no row.
    assert!(!v.cells.iter().any(|c| c.value == "Carter"));
    // The record's own batch, not on offer, stays valid on its row only.
    assert_eq!(batch_list(v, record), "'menacwy Batch Numbers'!$A$2:$A$5");
    let menacwy = dump.sheet("menacwy Batch Numbers").unwrap();
    assert_eq!(menacwy.cell("A5").unwrap().value, "MV1999");
    let daniel_menacwy = v
        .cells
        .iter()
        .find(|c| c.value == "ACWYX4" && c.reference != format!("AB{record}"))
        .unwrap();
    let row = &daniel_menacwy.reference[2..];
    assert_eq!(batch_list(v, row), "'menacwy Batch Numbers'!$A$2:$A$4");
    insta::assert_snapshot!("reference_1002", dump.to_string());
}

#[test]
fn clinic_session_with_psd() {
    let mut doc = reference_doc(1004);
    doc.children[0].programmes[0].psd = true;
    let (_, dump) = write(&doc);
    let v = &dump.sheets[0];
    assert_eq!(v.cell("Y1").unwrap().value, "PSD_STATUS");
    assert_eq!(v.cell("Z1").unwrap().value, "VACCINATED");
    assert_eq!(v.cell("AN1").unwrap().value, "UUID");
    assert_eq!(v.cell("F2").unwrap().value, "2", "community care setting");
    assert_eq!(
        v.cell("D2").unwrap().value,
        "Riverside Academy",
        "the child's school"
    );
    let clinic = v.validations_at("E2");
    assert_eq!(clinic.len(), 1);
    assert_eq!(
        clinic[0].formula1,
        "\"Riverside Health Centre, Oakfield Community Hospital\""
    );
    assert_eq!(
        sheet_names(&dump)[3..8]
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>(),
        [
            "flu Batch Numbers",
            "hpv Batch Numbers",
            "menacwy Batch Numbers",
            "mmr Batch Numbers",
            "td_ipv Batch Numbers"
        ]
    );
    insta::assert_snapshot!("reference_1004_clinic_psd", dump.to_string());
}

#[test]
fn clinic_names_that_do_not_fit_an_inline_list_go_on_a_sheet() {
    let mut doc = reference_doc(1004);
    doc.clinics.push(Clinic {
        name: "Health Centre, North Wing".into(),
    });
    let (_, dump) = write(&doc);
    let clinics = dump.sheet("Clinics").expect("a Clinics sheet");
    assert_eq!(clinics.state, "hidden");
    assert_eq!(
        clinics.cell("A4").unwrap().value,
        "Health Centre, North Wing"
    );
    assert_eq!(
        dump.sheets[0].validations_at("E2")[0].formula1,
        "'Clinics'!$A$2:$A$4"
    );
    // A school session has no clinic dropdown and no Clinics sheet.
    let (_, school) = write(&reference_doc(1001));
    assert!(school.sheet("Clinics").is_none());
    assert!(school.sheets[0].validations_at("E2").is_empty());
}

#[test]
fn invalidated_child_formula_like_text_and_no_valid_batch() {
    let mut doc = reference_doc(1002);
    doc.children[3].invalidated = true; // Daniel
    doc.children[0].given_name = "=HYPERLINK(\"http://x\",\"A\")".into();
    doc.children[0].family_name = "+Begum".into();
    doc.children[2].given_name = "-Chloë".into();
    doc.children[2].address_line_1 = Some("@home".into());
    // Every Td/IPV batch has expired.
    for b in &mut doc.batches {
        if b.vaccine.programme() == Programme::TdIpv {
            b.expiry = Some(date(2025, 10, 15));
        }
    }
    doc.batches.push(mavis_domain::Batch {
        number: BatchNumber::parse("RV0000").unwrap(),
        expiry: None,
        vaccine: mavis_domain::Vaccine::Revaxis,
        archived: false,
    });
    let (_, dump) = write(&doc);
    let v = &dump.sheets[0];
    for text in [
        "=HYPERLINK(\"http://x\",\"A\")",
        "+Begum",
        "-Chloë",
        "@home",
    ] {
        let cell = v.cells.iter().find(|c| c.value == text).unwrap();
        assert_eq!(cell.kind, "text", "{text} must stay text");
    }
    assert!(!v.cells.iter().any(|c| c.kind == "formula"));
    let daniel = v.cells.iter().find(|c| c.value == "O'Hare").unwrap();
    assert!(dump.styles[&daniel.style].contains("strike"));
    let td = dump.sheet("td_ipv Batch Numbers").unwrap();
    assert_eq!(td.cells.len(), 1, "only the header");
    let td_row = &v
        .cells
        .iter()
        .find(|c| c.value == "3-in-1")
        .unwrap()
        .reference[2..];
    assert_eq!(batch_list(v, td_row), "'td_ipv Batch Numbers'!$A$2:$A$1");
    insta::assert_snapshot!("invalidated_formula_text_no_batch", dump.to_string());
}

#[test]
fn demo_session() {
    let doc = demo::session(&DemoOptions {
        children: 12,
        ..DemoOptions::new(today())
    });
    let (bytes, dump) = write(&doc);
    let rows = RowBuilder::new(&doc).rows().count();
    let last = dump.sheets[0]
        .cells
        .iter()
        .filter(|c| c.reference.starts_with("AM"))
        .count();
    assert_eq!(last, rows + 1);
    // Deterministic: the same session, the same bytes.
    let (again, _) = write(&doc);
    assert_eq!(bytes, again);
    insta::assert_snapshot!("demo_12_children", dump.to_string());
}

#[test]
fn file_names() {
    let doc = reference_doc(1001);
    assert_eq!(
        OfflineWorkbook::new(&doc, today()).file_name(),
        "Riverside Academy (141234) - exported on 15 October 2025.xlsx"
    );
    let clinic = reference_doc(1004);
    assert_eq!(
        OfflineWorkbook::new(&clinic, date(2025, 12, 6)).file_name(),
        "Community clinic - exported on 6 December 2025.xlsx"
    );
}

#[test]
fn an_inconsistent_document_is_refused_with_the_reason() {
    let mut doc = reference_doc(1001);
    doc.session.dates.clear();
    let err = OfflineWorkbook::new(&doc, today()).to_bytes().unwrap_err();
    assert_eq!(
        err.to_string(),
        "the session document cannot be exported: session 1001 has no dates; add the day or \
         days it is held"
    );
}

#[test]
fn the_session_sheet_reads_back_as_the_reference_data() {
    for id in [1001, 1002, 1004] {
        let doc = reference_doc(id);
        let (bytes, _) = write(&doc);
        let rows = mavis_sheet::read_sheet_rows(&bytes, "s.xlsx", "Session")
            .unwrap()
            .unwrap();
        let sheet = mavis_sheet::parse_session_sheet(&rows, "s.xlsx").unwrap();
        let got = &sheet.document;
        assert_eq!(got.session, doc.session);
        assert_eq!(got.team, doc.team);
        assert_eq!(got.users, doc.users);
        assert_eq!(got.schools, doc.schools);
        assert_eq!(got.clinics, doc.clinics);
        assert_eq!(got.batches, doc.batches);
        assert_eq!(
            got.other_sessions
                .iter()
                .map(|s| (s.id, &s.location, &s.dates))
                .collect::<Vec<_>>(),
            doc.other_sessions
                .iter()
                .map(|s| (s.id, &s.location, &s.dates))
                .collect::<Vec<_>>()
        );
        assert_eq!(sheet.exported_on, Some(today()));
        let uuids: Vec<String> = sheet.records.iter().map(|r| r.0.to_string()).collect();
        let expected: Vec<String> = doc
            .children
            .iter()
            .flat_map(|c| &c.records)
            .map(|r| r.uuid.to_string())
            .collect();
        assert_eq!(uuids, expected);
    }
    let err = mavis_sheet::parse_session_sheet(
        &[
            vec!["FIELD".into()],
            vec!["format_version".into(), "9".into()],
        ],
        "s.xlsx",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "s.xlsx: cannot be read: the hidden Session sheet, row 2: format version 9 is not one \
         this program reads; export the session again"
    );
}

/// `offline-spreadsheet.md` §6.1 lists the user guide's six reasons for
/// the `REASON_NOT_VACCINATED` dropdown. Issue 15 overrides the spec: the
/// export offers Mavis's four, as Mavis's own download does, since Mavis
/// refuses the whole upload for the other two ("Enter a valid reason.").
#[test]
fn the_reason_dropdown_is_mavis_four_not_the_specs_six() {
    let (_, dump) = write(&demo::session(&DemoOptions::new(today())));
    let v = dump.sheet("Vaccinations").unwrap();
    let reasons = &v.validations_at("AJ2")[0].formula1;
    assert_eq!(
        reasons,
        "\"refused, unwell, vaccination contraindicated, already had elsewhere\""
    );
    let Some(shared) = mavis_test_support::shared::dir(
        "the_reason_dropdown_is_mavis_four_not_the_specs_six",
        "spec",
    ) else {
        return;
    };
    let spec = std::fs::read_to_string(shared.join("spec/offline-spreadsheet.md")).unwrap();
    let row = spec
        .lines()
        .skip_while(|l| !l.starts_with("### 6.1 Inline lists"))
        .find(|l| l.starts_with("| `REASON_NOT_VACCINATED` |"))
        .expect("§6.1 lists the reasons");
    assert!(
        row.contains("did not attend, absent from school"),
        "the spec still lists six: {row}"
    );
    assert!(!reasons.contains("did not attend") && !reasons.contains("absent from school"));
}

// Issue 17: the workbook as Mavis's Record offline writes it, one test per
// item, named after it.

/// The exported workbook of `doc` read back, and the cell of `column` in
/// the fill-in row (no UUID) of the child named `name` (given, family) for
/// `programme`.
fn fill_in_cell(
    doc: &SessionDocument,
    name: &(String, String),
    programme: &str,
    column: Column,
) -> String {
    let (bytes, _) = write(doc);
    let table = mavis_sheet::read_bytes(&bytes, "session.xlsx").unwrap();
    let at = |c: Column| table.column(c).unwrap();
    table
        .rows
        .iter()
        .find(|r| {
            r.get(at(Column::PersonForename)) == name.0
                && r.get(at(Column::PersonSurname)) == name.1
                && r.get(at(Column::Programme)) == programme
                && r.get(at(Column::Uuid)).is_empty()
        })
        .map(|r| r.get(at(column)).to_owned())
        .unwrap_or_else(|| panic!("no row of {name:?} for {programme}"))
}

#[test]
fn item_11_pre_filled_dose() {
    // Without a dose from the service, Mavis pre-fills 1 for every
    // programme and 5 for Td/IPV.
    let mut doc = demo::session(&DemoOptions {
        children: 4,
        ..DemoOptions::new(today())
    });
    for child in &mut doc.children {
        for p in &mut child.programmes {
            p.suggested_dose = None;
        }
    }
    // Every fill-in row has one: 5 for Td/IPV, 1 for the others.
    let (bytes, _) = write(&doc);
    let table = mavis_sheet::read_bytes(&bytes, "session.xlsx").unwrap();
    let (dose, uuid) = (
        table.column(Column::DoseSequence).unwrap(),
        table.column(Column::Uuid).unwrap(),
    );
    let programme = table.column(Column::Programme).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for row in table.rows.iter().filter(|r| r.get(uuid).is_empty()) {
        let expected = if row.get(programme) == "3-in-1" {
            "5"
        } else {
            "1"
        };
        assert_eq!(row.get(dose), expected, "row {}", row.row);
        seen.insert(row.get(programme).to_owned());
    }
    assert!(seen.len() >= 3, "{seen:?}");
}

#[test]
fn item_13_text_as_mavis_writes_it() {
    use mavis_domain::{Relationship, Respondent, TriageStatus, VaccineMethod};
    let mut doc = demo::session(&DemoOptions {
        children: 6,
        ..DemoOptions::new(today())
    });
    let child = &mut doc.children[0];
    let given = (child.given_name.clone(), child.family_name.clone());
    let hpv = child
        .programmes
        .iter_mut()
        .find(|p| p.programme == Programme::Hpv)
        .expect("the first child is in the HPV programme");
    // Three consents: Sam (in the parent's words "step-Mum", which Ruby's
    // capitalize writes "Step-mum"), then Alex, then Sam again. Each parent
    // is placed by their first consent, with their latest answers.
    let template = hpv.consents.first().expect("a consent").clone();
    let at = |hours| template.recorded_at + mavis_domain::chrono::Duration::hours(hours);
    let answered = |name: &str, relationship: Relationship, answer, hours| mavis_domain::Consent {
        respondent: Respondent::Parent {
            name: Some(name.into()),
            relationship,
        },
        invalidated: false,
        recorded_at: at(hours),
        health_answers: vec![mavis_domain::HealthAnswer {
            question: "Does your child have any severe allergies?".into(),
            answer: Some(answer),
            notes: None,
        }],
        ..template.clone()
    };
    let step = || Relationship::Other("step-Mum".into());
    hpv.consents = vec![
        answered("Sam Jones", step(), mavis_domain::YesNo::No, 1),
        answered(
            "Alex Jones",
            Relationship::Father,
            mavis_domain::YesNo::No,
            2,
        ),
        answered("Sam Jones", step(), mavis_domain::YesNo::Yes, 3),
    ];
    // An HPV triage that carries the method injection: HPV has one method.
    let triage = hpv.triage.get_or_insert_with(|| mavis_domain::Triage {
        status: TriageStatus::KeepInTriage,
        recorded_by: mavis_domain::Email::parse("jane.smith@example.nhs.uk").unwrap(),
        recorded_at: mavis_domain::chrono::Utc::now(),
        notes: None,
    });
    triage.status = TriageStatus::SafeToVaccinate {
        method: Some(VaccineMethod::Injection),
    };
    assert_eq!(
        fill_in_cell(&doc, &given, "HPV", Column::TriageStatus),
        "Safe to vaccinate"
    );
    let answers = fill_in_cell(&doc, &given, "HPV", Column::HealthQuestionAnswers);
    assert!(
        answers.contains("Yes from Step-mum") && !answers.contains("Step-Mum"),
        "{answers}"
    );
    let (sam, alex) = (
        answers.find("Step-mum").unwrap(),
        answers.find("Dad").unwrap(),
    );
    assert!(sam < alex, "Sam first, by her first consent: {answers}");
}

#[test]
fn item_14_mmr_or_mmrv() {
    // An existing MMR record with no vaccine: the variant from the child's
    // date of birth, MMRV from its cut-off on.
    let rec = mavis_domain::RecordUuid::parse("0b3d1c2a-4e5f-4a6b-8c7d-9e0f1a2b3c4d").unwrap();
    let born = mavis_domain::MmrVariant::MMRV_BORN_FROM;
    let record = |uuid| mavis_domain::VaccinationRecord {
        uuid,
        programme: Programme::Mmr,
        vaccine: None,
        ..demo_record()
    };
    let r = record(rec);
    assert_eq!(r.mmr_variant(born), Some(mavis_domain::MmrVariant::Mmrv));
    assert_eq!(
        r.mmr_variant(born.pred_opt().unwrap()),
        Some(mavis_domain::MmrVariant::Mmr)
    );
}

/// A record of the demo session, to change.
fn demo_record() -> mavis_domain::VaccinationRecord {
    let doc = demo::session(&DemoOptions::new(today()));
    doc.children
        .iter()
        .flat_map(|c| c.records.iter())
        .next()
        .expect("the demo has records")
        .clone()
}

#[test]
fn item_12_who_is_on_the_sheet() {
    // Mavis leaves off children who have died and those it counts as not
    // eligible for the session; the session document says which.
    let mut doc = demo::session(&DemoOptions {
        children: 6,
        ..DemoOptions::new(today())
    });
    doc.children[0].deceased = true;
    doc.children[1].ineligible = true;
    let names = |doc: &SessionDocument| {
        let (bytes, _) = write(doc);
        let table = mavis_sheet::read_bytes(&bytes, "session.xlsx").unwrap();
        let (given, family) = (
            table.column(Column::PersonForename).unwrap(),
            table.column(Column::PersonSurname).unwrap(),
        );
        table
            .rows
            .iter()
            .map(|r| (r.get(given).to_owned(), r.get(family).to_owned()))
            .collect::<std::collections::BTreeSet<_>>()
    };
    let on_sheet = names(&doc);
    let name = |i: usize| {
        let c: &mavis_domain::Child = &doc.children[i];
        (c.given_name.clone(), c.family_name.clone())
    };
    assert!(!on_sheet.contains(&name(0)) && !on_sheet.contains(&name(1)));
    assert!((2..6).all(|i| on_sheet.contains(&name(i))), "{on_sheet:?}");
}
