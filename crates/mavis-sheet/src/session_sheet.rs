//! The hidden `Session` sheet that makes an exported workbook
//! self-describing: the session, the team's reference data and the export's
//! format version, so that the validator and the merge can work from the
//! workbook alone. Mavis ignores it.

use mavis_domain::chrono::NaiveDate;
use mavis_domain::{
    Batch, BatchNumber, Clinic, Email, OdsCode, Programme, RecordSource, RecordUuid, School,
    SchoolUrn, Session, SessionDocument, SessionLocation, SessionProgramme, Team, UploadType, User,
    Vaccine,
};

use crate::error::{ErrorKind, Result};

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
/// use mavis_demo::{self as demo, DemoOptions};
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
        let (urn, site) = match &s.location {
            SessionLocation::School { urn, site } => {
                (urn.to_string(), site.map(String::from).unwrap_or_default())
            }
            SessionLocation::GenericClinic => (String::new(), String::new()),
        };
        row(&[
            "other_session",
            &s.id.to_string(),
            &dates.join(","),
            &programmes.join(","),
            &urn,
            &site,
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

/// What the hidden `Session` sheet of an exported workbook says: the
/// session and the team's reference data (a session document without
/// children), the existing records, and the copies merged into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSheet {
    /// The session and reference data; `children` is empty.
    pub document: SessionDocument,
    /// The day the workbook was exported.
    pub exported_on: Option<NaiveDate>,
    /// Existing records: UUID, source, session.
    pub records: Vec<(RecordUuid, RecordSource, Option<u64>)>,
    /// Copies merged into this workbook: name and digest.
    pub merged_files: Vec<(String, String)>,
    /// The outcome digest recorded by the last merge.
    pub merged_outcome_digest: Option<String>,
}

/// Read the rows of a `Session` sheet (see [`session_sheet_rows`]) back.
///
/// # Errors
///
/// [`ErrorKind::Unreadable`] naming the row when a fact cannot be read,
/// or when the sheet is of a later format version.
///
/// # Examples
///
/// ```
/// use mavis_domain::chrono::NaiveDate;
/// use mavis_demo::{self as demo, DemoOptions};
/// use mavis_sheet::{parse_session_sheet, session_sheet_rows};
///
/// let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
/// let doc = demo::session(&DemoOptions::new(today));
/// let sheet = parse_session_sheet(&session_sheet_rows(&doc, today), "session.xlsx")?;
/// assert_eq!(sheet.document.session, doc.session);
/// assert_eq!(sheet.document.users, doc.users);
/// # Ok::<(), mavis_sheet::Error>(())
/// ```
pub fn parse_session_sheet(rows: &[Vec<String>], file: &str) -> Result<SessionSheet> {
    let fail = |row: usize, what: &str| -> crate::Error {
        ErrorKind::Unreadable {
            file: file.to_owned(),
            message: format!(
                "the hidden {SESSION_SHEET} sheet, row {}: {what}; export the session again",
                row + 1
            ),
        }
        .into()
    };
    let mut team = Team {
        name: String::new(),
        ods_code: OdsCode::parse("XXX").expect("valid placeholder"),
        upload_type: UploadType::PointOfCare,
        programmes: Vec::new(),
        national_reporting_cut_off: None,
    };
    let mut has_ods = false;
    let mut session = Session {
        id: 0,
        location: SessionLocation::GenericClinic,
        dates: Vec::new(),
        programmes: Vec::new(),
        psd_enabled: false,
    };
    let mut has_session = false;
    let mut out = SessionSheet {
        document: SessionDocument {
            format_version: mavis_domain::FORMAT_VERSION,
            team: team.clone(),
            users: Vec::new(),
            schools: Vec::new(),
            clinics: Vec::new(),
            batches: Vec::new(),
            session: session.clone(),
            other_sessions: Vec::new(),
            children: Vec::new(),
        },
        exported_on: None,
        records: Vec::new(),
        merged_files: Vec::new(),
        merged_outcome_digest: None,
    };
    let date = |i: usize, s: &str| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| fail(i, &format!("{s:?} is not a date")))
    };
    let programme = |i: usize, s: &str| Programme::parse(s).map_err(|e| fail(i, &e.to_string()));
    let years = |i: usize, s: &str| -> Result<Vec<i32>> {
        s.split(',')
            .filter(|y| !y.is_empty())
            .map(|y| {
                y.trim()
                    .parse()
                    .map_err(|_| fail(i, &format!("{y:?} is not a year group")))
            })
            .collect()
    };
    for (i, row) in rows.iter().enumerate().skip(1) {
        let cell = |k: usize| row.get(k).map_or("", |s| s.trim());
        let dom = |e: mavis_domain::Error| fail(i, &e.to_string());
        match cell(0) {
            "format_version" if cell(1) != SESSION_SHEET_VERSION.to_string() => {
                return Err(fail(
                    i,
                    &format!("format version {} is not one this program reads", cell(1)),
                ));
            }
            "exported_on" => out.exported_on = Some(date(i, cell(1))?),
            "session_id" => {
                session.id = cell(1)
                    .parse()
                    .map_err(|_| fail(i, "the session id is not a number"))?;
                has_session = true;
            }
            "session_date" => session.dates.push(date(i, cell(1))?),
            "school_urn" => {
                session.location = SessionLocation::School {
                    urn: SchoolUrn::parse(cell(1)).map_err(dom)?,
                    site: cell(2).chars().next(),
                };
            }
            "psd_enabled" => session.psd_enabled = cell(1) == "yes",
            "organisation_code" => {
                team.ods_code = OdsCode::parse(cell(1)).map_err(dom)?;
                has_ods = true;
            }
            "team" => team.name = cell(1).to_owned(),
            "upload_type" => {
                team.upload_type = match cell(1) {
                    "national_reporting" => UploadType::NationalReporting,
                    _ => UploadType::PointOfCare,
                };
            }
            "team_programme" => team.programmes.push(programme(i, cell(1))?),
            "programme" => session.programmes.push(SessionProgramme {
                programme: programme(i, cell(1))?,
                year_groups: years(i, cell(2))?,
            }),
            "batch" => out.document.batches.push(Batch {
                number: BatchNumber::parse(cell(1)).map_err(dom)?,
                vaccine: Vaccine::parse(cell(2)).map_err(dom)?,
                expiry: if cell(3).is_empty() {
                    None
                } else {
                    Some(date(i, cell(3))?)
                },
                archived: cell(4) == "archived",
            }),
            "user" => out.document.users.push(User {
                email: Email::parse(cell(1)).map_err(dom)?,
                given_name: cell(2).to_owned(),
                family_name: cell(3).to_owned(),
                supplier: cell(4) == "supplier",
            }),
            "clinic" => out.document.clinics.push(Clinic {
                name: cell(1).to_owned(),
            }),
            "school" => out.document.schools.push(School {
                urn: SchoolUrn::parse(cell(1)).map_err(dom)?,
                site: cell(2).chars().next(),
                name: cell(3).to_owned(),
                systm_one_code: Some(cell(4).to_owned()).filter(|s| !s.is_empty()),
            }),
            "other_session" => {
                let dates = cell(2)
                    .split(',')
                    .filter(|d| !d.is_empty())
                    .map(|d| date(i, d))
                    .collect::<Result<Vec<_>>>()?;
                let programmes = cell(3)
                    .split(',')
                    .filter(|p| !p.is_empty())
                    .map(|p| {
                        Ok(SessionProgramme {
                            programme: programme(i, p)?,
                            year_groups: (0..=11).collect(),
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                let location = if cell(4).is_empty() {
                    SessionLocation::GenericClinic
                } else {
                    SessionLocation::School {
                        urn: SchoolUrn::parse(cell(4)).map_err(dom)?,
                        site: cell(5).chars().next(),
                    }
                };
                out.document.other_sessions.push(Session {
                    id: cell(1)
                        .parse()
                        .map_err(|_| fail(i, "the session id is not a number"))?,
                    location,
                    dates,
                    programmes,
                    psd_enabled: false,
                });
            }
            "record" => {
                let source = match cell(2) {
                    "service" => RecordSource::Service,
                    "historical_upload" => RecordSource::HistoricalUpload,
                    "national_reporting" => RecordSource::NationalReporting,
                    "nhs_immunisations_api" => RecordSource::NhsImmunisationsApi,
                    other => return Err(fail(i, &format!("{other:?} is not a record source"))),
                };
                let session_id = if cell(3).is_empty() {
                    None
                } else {
                    Some(
                        cell(3)
                            .parse()
                            .map_err(|_| fail(i, "the session id is not a number"))?,
                    )
                };
                out.records
                    .push((RecordUuid::parse(cell(1)).map_err(dom)?, source, session_id));
            }
            "merged_file" => out
                .merged_files
                .push((cell(1).to_owned(), cell(2).to_owned())),
            "merged_outcome_digest" => out.merged_outcome_digest = Some(cell(1).to_owned()),
            // Facts kept for people: the location's name, the care setting,
            // the vaccines, the academic year, the document version.
            _ => {}
        }
    }
    if !has_session || !has_ods || session.dates.is_empty() {
        return Err(fail(
            0,
            "the session id, its dates or the organisation code are missing",
        ));
    }
    out.document.team = team;
    out.document.session = session;
    Ok(out)
}
