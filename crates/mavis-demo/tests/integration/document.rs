//! `SessionDocument`'s checks and look-ups, on the demo session (they were
//! mavis-domain's unit tests; the demo generator lives here now).

use mavis_demo::{self as demo, DemoOptions};
use mavis_domain::chrono::NaiveDate;
use mavis_domain::{Email, Programme, RecordUuid, SessionDocument, SessionLocation};

fn doc() -> SessionDocument {
    demo::session(&DemoOptions {
        children: 12,
        ..DemoOptions::new(NaiveDate::from_ymd_opt(2025, 10, 15).unwrap())
    })
}

#[test]
fn check_names_every_problem() {
    let mut d = doc();
    d.format_version = 9;
    d.session.dates.clear();
    d.schools.retain(|s| s.name != "Riverside Academy");
    d.children[1].id = d.children[0].id;
    let uuid = RecordUuid::from_random_bytes([7; 16]);
    let with_record = d
        .children
        .iter()
        .position(|c| !c.records.is_empty())
        .unwrap();
    d.children[with_record].records[0].uuid = uuid;
    let mut copy = d.children[with_record].records[0].clone();
    copy.programme = Programme::Flu;
    d.children[with_record].records.push(copy);
    d.team.programmes.retain(|p| *p != Programme::Hpv);

    let messages: Vec<String> = d
        .check()
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    let all = messages.join("\n");
    for expected in [
        "the session document has format_version 9; this program reads version 1",
        "session 1002 has no dates; add the day or days it is held",
        "session 1002 is at school 141234, which is not in the schools list; add it",
        "session 1002 has the HPV programme, which the team does not run",
        "is used by another child; ids must be unique",
        "the school 141234 is not in the schools list",
        "appears twice; each record has its own UUID",
        "is for Flu but its vaccine",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in\n{all}");
    }
    assert_eq!(d.check_first().unwrap_err().to_string(), messages[0]);
}

#[test]
fn lookups() {
    let d = doc();
    assert_eq!(d.location_name(), "Riverside Academy");
    let order: Vec<(String, String)> = d
        .children_in_order()
        .iter()
        .map(|c| (c.family_name.to_lowercase(), c.given_name.to_lowercase()))
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
    let hpv: Vec<&str> = d
        .offered_batches(Programme::Hpv, today)
        .iter()
        .map(|b| b.number.as_str())
        .collect();
    assert_eq!(
        hpv,
        ["GD9X6630", "GD9X5521"],
        "by expiry, without the archived batch"
    );
    let jane = Email::parse("JANE.SMITH@example.nhs.uk").unwrap();
    assert_eq!(d.user(&jane).unwrap().given_name, "Jane");
    assert_eq!(d.suppliers().count(), 3);
    assert_eq!(d.sessions().count(), 3);
    let mut clinic = d.clone();
    clinic.session.location = SessionLocation::GenericClinic;
    assert_eq!(clinic.location_name(), "Community clinic");
    assert!(clinic.session_school().is_none());
}
