//! The demo session: deterministic, consistent, serialisable, and holding
//! every state the record model has.

use std::collections::{BTreeMap, HashSet};

use mavis_demo::{self as demo, DemoOptions};
use mavis_domain::chrono::NaiveDate;
use mavis_domain::{
    ConsentStatus, Outcome, Programme, ReasonNotVaccinated, RecordSource, Respondent,
    SessionDocument, TriageStatus,
};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 10, 15).unwrap()
}

fn default_doc() -> SessionDocument {
    demo::session(&DemoOptions::new(today()))
}

#[test]
fn round_trips_through_json_unchanged() {
    for options in [
        DemoOptions::new(today()),
        DemoOptions {
            programmes: Programme::ALL.to_vec(),
            psd_enabled: true,
            children: 200,
            seed: 7,
            ..DemoOptions::new(today())
        },
    ] {
        let doc = demo::session(&options);
        let json = serde_json::to_string_pretty(&doc).unwrap();
        let back: SessionDocument = serde_json::from_str(&json).unwrap();
        assert_eq!(back, doc);
        assert_eq!(serde_json::to_string_pretty(&back).unwrap(), json);
    }
}

#[test]
fn same_options_same_document_other_seed_other_children() {
    let a = serde_json::to_string(&default_doc()).unwrap();
    let b = serde_json::to_string(&default_doc()).unwrap();
    assert_eq!(a, b);
    let other = demo::session(&DemoOptions {
        seed: 2,
        ..DemoOptions::new(today())
    });
    assert_ne!(serde_json::to_string(&other).unwrap(), a);
    assert_eq!(other.children.len(), 120);
}

#[test]
fn is_consistent_for_many_shapes() {
    for (children, seed, programmes) in [
        (1, 1, vec![Programme::Hpv]),
        (5, 3, vec![Programme::Flu]),
        (
            120,
            1,
            vec![Programme::Hpv, Programme::MenAcwy, Programme::TdIpv],
        ),
        (300, 9, Programme::ALL.to_vec()),
    ] {
        let doc = demo::session(&DemoOptions {
            children,
            seed,
            programmes,
            ..DemoOptions::new(today())
        });
        assert_eq!(doc.children.len(), children);
        if let Err(problems) = doc.check() {
            panic!("{children} children, seed {seed}: {problems:?}");
        }
    }
}

#[test]
fn session_is_on_the_given_day_in_its_academic_year() {
    let doc = default_doc();
    assert_eq!(doc.session.dates.last(), Some(&today()));
    assert!(doc
        .session
        .dates
        .iter()
        .all(|d| doc.session.academic_year().contains(*d)));
    // On 1 September the day before is in another academic year.
    let first = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    let doc = demo::session(&DemoOptions::new(first));
    assert_eq!(doc.session.dates, [first]);
}

#[test]
fn values_are_realistic() {
    let doc = default_doc();
    let mut nhs = HashSet::new();
    for c in &doc.children {
        if let Some(n) = c.nhs_number {
            assert!(n.is_test_number(), "{n} is not in the 999 test range");
            assert!(nhs.insert(n), "{n} given twice");
        }
        let year_group = c.year_group(doc.session.academic_year());
        assert!(
            (8..=11).contains(&year_group),
            "{}: year {year_group}",
            c.full_name()
        );
        for p in &c.programmes {
            assert!(doc.session.offers(p.programme, year_group));
        }
        assert!(
            !c.programmes.is_empty(),
            "{} has no programme",
            c.full_name()
        );
    }
    assert!(
        doc.children
            .iter()
            .any(|c| !c.given_name.is_ascii() || !c.family_name.is_ascii()),
        "some names are not ASCII"
    );
}

/// Count every state the issue asks the demo to hold.
#[test]
fn holds_every_state() {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut count = |key: &'static str, yes: bool| {
        *counts.entry(key).or_default() += usize::from(yes);
    };
    let today = today();
    let mut options = DemoOptions::new(today);
    options.psd_enabled = true;
    options.programmes = vec![
        Programme::Flu,
        Programme::Hpv,
        Programme::MenAcwy,
        Programme::TdIpv,
    ];
    let doc = demo::session(&options);

    for c in &doc.children {
        count("restricted", c.restricted);
        count("invalidated", c.invalidated);
        count("no NHS number", c.nhs_number.is_none());
        count("no registration", c.registration.is_none());
        for p in &c.programmes {
            let s = &p.consent_status;
            count("consent given", matches!(s, ConsentStatus::Given { .. }));
            count("consent refused", *s == ConsentStatus::Refused);
            count("conflicting consent", *s == ConsentStatus::Conflicting);
            count("no response", *s == ConsentStatus::NoResponse);
            count(
                "flu consent for both methods",
                matches!(s, ConsentStatus::Given { methods } if methods.len() == 2),
            );
            count(
                "self-consent",
                p.consents.iter().any(|c| c.respondent == Respondent::Child),
            );
            count(
                "health answer yes",
                p.consents
                    .iter()
                    .flat_map(|c| &c.health_answers)
                    .any(|a| a.answer == Some(mavis_domain::YesNo::Yes)),
            );
            let t = p.triage.as_ref().map(|t| &t.status);
            count(
                "triage safe",
                matches!(t, Some(TriageStatus::SafeToVaccinate { .. })),
            );
            count(
                "triage safe with method",
                matches!(t, Some(TriageStatus::SafeToVaccinate { method: Some(_) })),
            );
            count(
                "triage do not vaccinate",
                t == Some(&TriageStatus::DoNotVaccinate),
            );
            count("triage keep", t == Some(&TriageStatus::KeepInTriage));
            count(
                "triage delay until",
                matches!(t, Some(TriageStatus::DelayVaccination { until: Some(_) })),
            );
            count(
                "triage delay",
                t == Some(&TriageStatus::DelayVaccination { until: None }),
            );
            count("triage invite", t == Some(&TriageStatus::InviteToClinic));
            count(
                "gillick competent",
                p.gillick.as_ref().is_some_and(|g| g.competent),
            );
            count(
                "gillick not competent",
                p.gillick.as_ref().is_some_and(|g| !g.competent),
            );
            count("psd", p.psd);
        }
        for r in &c.records {
            count("record", true);
            count("record administered", r.outcome == Outcome::Administered);
            count(
                "record not administered",
                matches!(r.outcome, Outcome::NotAdministered(_)),
            );
            count(
                "record from API without session",
                r.source == RecordSource::NhsImmunisationsApi && r.session_id.is_none(),
            );
            count(
                "record of this session",
                r.session_id == Some(doc.session.id),
            );
            count("record discarded", r.discarded);
        }
    }
    let offered: Vec<_> = Programme::ALL
        .iter()
        .flat_map(|p| doc.offered_batches(*p, today))
        .map(|b| b.number.as_str())
        .collect();
    let all_batches: HashSet<_> = doc.batches.iter().map(|b| b.number.as_str()).collect();
    count(
        "batch expired",
        doc.batches
            .iter()
            .any(|b| b.expiry.is_some_and(|e| e < today)),
    );
    count("batch archived", doc.batches.iter().any(|b| b.archived));
    count(
        "batch without expiry",
        doc.batches.iter().any(|b| b.expiry.is_none()),
    );
    for hidden in ["FL1999Z", "GD9OLD01", "MV1100", "RV0001"] {
        assert!(all_batches.contains(hidden));
        assert!(!offered.contains(&hidden), "{hidden} must not be offered");
    }
    count("supplier", doc.suppliers().count() >= 2);
    count("non-supplier", doc.users.iter().any(|u| !u.supplier));
    count("clinic", !doc.clinics.is_empty());
    count("other session", doc.other_sessions.len() >= 2);

    let missing: Vec<_> = counts
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(k, _)| *k)
        .collect();
    assert!(
        missing.is_empty(),
        "the demo lacks: {missing:?}\n{counts:#?}"
    );
    // Mostly consent given, a minority of each other state.
    assert!(counts["consent given"] > counts["consent refused"]);
    assert!(counts["restricted"] < doc.children.len() / 10);
}

#[test]
fn reasons_and_vocabularies_are_reachable_from_the_model() {
    // Every reason parses from its own text, and the session's programmes
    // have active vaccines for the dropdowns.
    for r in ReasonNotVaccinated::ALL {
        assert_eq!(ReasonNotVaccinated::parse(r.text()).unwrap(), r);
    }
    let doc = default_doc();
    for p in doc.session.programmes_in_order() {
        assert!(
            !doc.offered_batches(p, today()).is_empty(),
            "{p} has no batch to offer"
        );
    }
}

#[test]
fn the_demo_holds_no_outcome_mavis_refuses() {
    // Issue 15: current Mavis takes four reasons; the user guide's "did not
    // attend" and "absent from school" make it refuse the whole upload.
    for seed in [1, 7, 42] {
        let doc = demo::session(&DemoOptions {
            programmes: Programme::ALL.to_vec(),
            children: 300,
            seed,
            ..DemoOptions::new(today())
        });
        for child in &doc.children {
            for record in &child.records {
                if let Outcome::NotAdministered(reason) = record.outcome {
                    assert!(
                        ReasonNotVaccinated::MAVIS.contains(&reason),
                        "seed {seed}: {reason}"
                    );
                }
            }
        }
    }
}
