//! The hidden `Session` sheet that makes an exported workbook
//! self-describing: the session, the team's reference data and the export's
//! format version, so that the validator and the merge can work from the
//! workbook alone. Mavis ignores it.

use mavis_domain::chrono::NaiveDate;
use mavis_domain::{SessionDocument, SessionLocation, Vaccine};

/// The name of the sheet.
pub const SESSION_SHEET: &str = "Session";

/// The version of the sheet's layout, written in its `format_version` row.
pub const SESSION_SHEET_VERSION: u32 = 1;

/// The rows of the `Session` sheet: a header, then one fact a row, the
/// first cell naming the fact (`session_id`, `session_date`, `user`…) and
/// the following cells holding its values as text.
///
/// # Examples
///
/// ```
/// use mavis_domain::chrono::NaiveDate;
/// use mavis_domain::demo::{self, DemoOptions};
/// use mavis_sheet::session_sheet_rows;
///
/// let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
/// let doc = demo::session(&DemoOptions::new(today));
/// let rows = session_sheet_rows(&doc, today);
/// assert_eq!(rows[0], ["FIELD", "VALUE"]);
/// assert!(rows.contains(&vec!["session_id".to_string(), "1002".to_string()]));
/// ```
pub fn session_sheet_rows(doc: &SessionDocument, today: NaiveDate) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = |fields: &[&str]| rows.push(fields.iter().map(|s| (*s).to_owned()).collect());
    row(&["FIELD", "VALUE"]);
    row(&["format_version", &SESSION_SHEET_VERSION.to_string()]);
    row(&["session_document_version", &doc.format_version.to_string()]);
    row(&["exported_on", &today.to_string()]);
    let session = &doc.session;
    row(&["session_id", &session.id.to_string()]);
    for d in &session.dates {
        row(&["session_date", &d.to_string()]);
    }
    row(&["academic_year", &session.academic_year().0.to_string()]);
    row(&["location", doc.location_name()]);
    if let SessionLocation::School { urn, site } = &session.location {
        let site = site.map(String::from).unwrap_or_default();
        row(&["school_urn", urn.as_str(), &site]);
    }
    row(&["care_setting", &session.care_setting().code().to_string()]);
    row(&[
        "psd_enabled",
        if session.psd_enabled { "yes" } else { "no" },
    ]);
    row(&["organisation_code", doc.team.ods_code.as_str()]);
    row(&["team", &doc.team.name]);
    let upload_type = match doc.team.upload_type {
        mavis_domain::UploadType::PointOfCare => "point_of_care",
        mavis_domain::UploadType::NationalReporting => "national_reporting",
    };
    row(&["upload_type", upload_type]);
    for p in &doc.team.programmes {
        row(&["team_programme", p.key()]);
    }
    for p in &session.programmes {
        let years: Vec<String> = p.year_groups.iter().map(ToString::to_string).collect();
        row(&["programme", p.programme.key(), &years.join(",")]);
    }
    for v in Vaccine::ALL {
        if !doc.team.programmes.contains(&v.programme()) {
            continue;
        }
        let sites: Vec<&str> = v
            .method()
            .allowed_sites()
            .iter()
            .map(|s| s.text())
            .collect();
        let status = if v.info().discontinued {
            "discontinued"
        } else {
            "active"
        };
        row(&[
            "vaccine",
            v.upload_name(),
            v.programme().key(),
            status,
            &sites.join("; "),
        ]);
    }
    for b in &doc.batches {
        let expiry = b.expiry.map(|d| d.to_string()).unwrap_or_default();
        let state = if b.archived {
            "archived"
        } else if b.is_offered_on(today) {
            "offered"
        } else {
            "expired"
        };
        row(&[
            "batch",
            b.number.as_str(),
            b.vaccine.upload_name(),
            &expiry,
            state,
        ]);
    }
    for u in &doc.users {
        row(&[
            "user",
            u.email.as_str(),
            &u.given_name,
            &u.family_name,
            if u.supplier { "supplier" } else { "" },
        ]);
    }
    for c in &doc.clinics {
        row(&["clinic", &c.name]);
    }
    for s in &doc.schools {
        let site = s.site.map(String::from).unwrap_or_default();
        row(&[
            "school",
            s.urn.as_str(),
            &site,
            &s.name,
            s.systm_one_code.as_deref().unwrap_or_default(),
        ]);
    }
    for s in &doc.other_sessions {
        let dates: Vec<String> = s.dates.iter().map(ToString::to_string).collect();
        let programmes: Vec<&str> = s.programmes.iter().map(|p| p.programme.key()).collect();
        row(&[
            "other_session",
            &s.id.to_string(),
            &dates.join(","),
            &programmes.join(","),
        ]);
    }
    for child in &doc.children {
        for r in child.records.iter().filter(|r| !r.discarded) {
            let source = match r.source {
                mavis_domain::RecordSource::Service => "service",
                mavis_domain::RecordSource::HistoricalUpload => "historical_upload",
                mavis_domain::RecordSource::NationalReporting => "national_reporting",
                mavis_domain::RecordSource::NhsImmunisationsApi => "nhs_immunisations_api",
            };
            let session_id = r.session_id.map(|id| id.to_string()).unwrap_or_default();
            row(&["record", r.uuid.as_str(), source, &session_id]);
        }
    }
    rows
}
