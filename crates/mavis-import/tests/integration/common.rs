//! Helpers shared by the integration tests: the default data set
//! (`reference-data.md` §6) and a compact view of a report.

use std::collections::BTreeMap;

use mavis_domain::chrono::NaiveDate;
use mavis_domain::SessionDocument;
use mavis_import::{Report, SessionReference};

/// The default data set of `reference-data.md` §6, as session JSON.
pub fn default_document() -> SessionDocument {
    serde_json::from_str(include_str!("../data/default-session.json")).expect("valid session JSON")
}

/// The default data set as reference data.
pub fn default_reference() -> SessionReference {
    SessionReference::from_document(&default_document())
}

/// A date from `YYYY-MM-DD`.
pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
}

/// The errors of a report by row, then by header (`general` for row
/// messages), each a list of messages in order.
pub fn by_row(report: &Report) -> BTreeMap<u32, BTreeMap<String, Vec<String>>> {
    let mut out: BTreeMap<u32, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for e in &report.errors {
        let key = e
            .header()
            .map_or_else(|| "general".to_owned(), str::to_owned);
        out.entry(e.row())
            .or_default()
            .entry(key)
            .or_default()
            .push(e.message.clone());
    }
    out
}
