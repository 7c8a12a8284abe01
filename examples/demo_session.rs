//! Build the demo session, check it, and summarise what it holds.
//!
//! `cargo run --example demo_session`

use std::collections::BTreeMap;

use mavis::demo::{self, DemoOptions};
use mavis::domain::chrono::NaiveDate;
use mavis::domain::{ConsentStatus, Programme};

fn main() {
    let today = NaiveDate::from_ymd_opt(2025, 10, 15).expect("valid date");
    let doc = demo::session(&DemoOptions {
        programmes: vec![Programme::Flu, Programme::Hpv],
        ..DemoOptions::new(today)
    });
    if let Err(problems) = doc.check() {
        for p in problems {
            eprintln!("{p}");
        }
        std::process::exit(1);
    }
    println!(
        "{} at {} on {}: {} children",
        doc.team.name,
        doc.location_name(),
        doc.session.dates.last().expect("a date"),
        doc.children.len()
    );
    for programme in doc.session.programmes_in_order() {
        let mut states: BTreeMap<&str, usize> = BTreeMap::new();
        let mut records = 0;
        for child in &doc.children {
            if let Some(p) = child.programme(programme) {
                let state = match p.consent_status {
                    ConsentStatus::Given { .. } => "consent given",
                    ConsentStatus::Refused => "consent refused",
                    ConsentStatus::Conflicting => "conflicting consent",
                    ConsentStatus::NoResponse | ConsentStatus::NotRequired => "no response",
                };
                *states.entry(state).or_default() += 1;
            }
            records += child.records_for(programme).count();
        }
        let states: Vec<String> = states.iter().map(|(s, n)| format!("{n} {s}")).collect();
        println!(
            "{programme}: {}; {records} existing records; batches offered: {}",
            states.join(", "),
            doc.offered_batches(programme, today)
                .iter()
                .map(|b| b.number.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}
