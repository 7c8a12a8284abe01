//! The session document: one serde value holding everything the export and
//! the validator need.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::child::{Child, ChildReference, ChildSchool, DocumentChild};
use crate::codes::{Email, SchoolUrn};
use crate::error::{Error, Result};
use crate::programme::Programme;
use crate::session::{Session, SessionLocation};
use crate::team::{Batch, Clinic, School, Team, User};

/// The current version of the session document's shape.
pub const FORMAT_VERSION: u32 = 1;

/// An offline session and the reference data around it: the "session JSON".
///
/// A service builds one from its database; `mavis-sheet` writes the offline
/// workbook from it and `mavis-import` checks uploads against it. The crate
/// docs show its JSON shape.
///
/// Its children are whole [`Child`]ren; a [`ReferenceDocument`] reads the
/// same JSON with only what an upload is checked against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionDocument<C = Child> {
    /// The shape's version, [`FORMAT_VERSION`].
    pub format_version: u32,
    /// The team and its organisation.
    pub team: Team,
    /// The team's users.
    pub users: Vec<User>,
    /// Schools the service knows: the session's, the children's, and any
    /// other the validator should recognise.
    pub schools: Vec<School>,
    /// The team's community clinics.
    #[serde(default)]
    pub clinics: Vec<Clinic>,
    /// The team's batches.
    #[serde(default)]
    pub batches: Vec<Batch>,
    /// The session being exported.
    pub session: Session,
    /// The team's other sessions, for recognising `SESSION_ID` on upload.
    #[serde(default)]
    pub other_sessions: Vec<Session>,
    /// The children in the session, each with its existing records.
    pub children: Vec<C>,
}

/// The session document as an upload is checked against it: each child
/// only as a [`ChildReference`] (who the child is and the existing
/// records), so that a large session's JSON is read in a fraction of the
/// time. The rest of the document is read whole.
///
/// # Examples
///
/// ```
/// use mavis_domain::ReferenceDocument;
///
/// let json = r#"{
///   "format_version": 1,
///   "team": { "name": "SAIS", "ods_code": "R1L", "upload_type": "point_of_care",
///             "programmes": ["hpv"] },
///   "users": [],
///   "schools": [ { "urn": "141234", "name": "Riverside Academy" } ],
///   "session": { "id": 1001, "location": { "kind": "school", "urn": "141234" },
///                "dates": ["2025-10-14"],
///                "programmes": [ { "programme": "hpv", "year_groups": [8] } ],
///                "psd_enabled": false },
///   "children": [
///     { "id": 1, "given_name": "Aisha", "family_name": "Begum",
///       "date_of_birth": "2012-11-02", "gender": "female", "nhs_number": "9449306168",
///       "school": { "kind": "school", "urn": "141234" },
///       "programmes": [ { "programme": "hpv", "consents": "not read" } ] }
///   ]
/// }"#;
/// let doc: ReferenceDocument = serde_json::from_str(json)?;
/// doc.check_first()?;
/// assert_eq!(doc.children[0].full_name(), "Aisha Begum");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type ReferenceDocument = SessionDocument<ChildReference>;

impl<C: DocumentChild> SessionDocument<C> {
    /// The user with this email.
    pub fn user(&self, email: &Email) -> Option<&User> {
        self.users.iter().find(|u| &u.email == email)
    }

    /// Every session the document knows, the exported one first.
    pub fn sessions(&self) -> impl Iterator<Item = &Session> {
        std::iter::once(&self.session).chain(&self.other_sessions)
    }

    /// The users listed on the `Suppliers` sheet.
    pub fn suppliers(&self) -> impl Iterator<Item = &User> {
        self.users.iter().filter(|u| u.supplier)
    }

    /// The school with this URN and site.
    pub fn school(&self, urn: SchoolUrn, site: Option<char>) -> Option<&School> {
        self.schools.iter().find(|s| s.is(urn, site))
    }

    /// The school the session is held at; `None` at the generic clinic.
    pub fn session_school(&self) -> Option<&School> {
        match &self.session.location {
            SessionLocation::School { urn, site } => self.school(*urn, *site),
            SessionLocation::GenericClinic => None,
        }
    }

    /// The name of the session's location: the school's name, or
    /// `Community clinic`.
    pub fn location_name(&self) -> &str {
        self.session_school()
            .map_or(SessionLocation::GENERIC_CLINIC_NAME, |s| s.name.as_str())
    }
}

impl SessionDocument {
    /// The name of a child's school, or `None` when home-educated or unknown.
    pub fn child_school_name(&self, child: &Child) -> Option<&str> {
        match &child.school {
            ChildSchool::School { urn, site } => self.school(*urn, *site).map(|s| s.name.as_str()),
            ChildSchool::HomeEducated | ChildSchool::Unknown => None,
        }
    }

    /// The batch numbers the spreadsheet offers for a programme on `today`:
    /// batches of the programme's vaccines that are not archived and expire
    /// after today, sorted by expiry then number, repeats removed.
    pub fn offered_batches(&self, programme: Programme, today: NaiveDate) -> Vec<&Batch> {
        let mut batches: Vec<&Batch> = self
            .batches
            .iter()
            .filter(|b| b.vaccine.programme() == programme && b.is_offered_on(today))
            .collect();
        batches.sort_by(|a, b| (a.expiry, &a.number).cmp(&(b.expiry, &b.number)));
        let mut seen = HashSet::new();
        batches.retain(|b| seen.insert(&b.number));
        batches
    }

    /// The children in the spreadsheet's order: by family name, then given
    /// name, compared case-insensitively (then by id, so the order is total).
    pub fn children_in_order(&self) -> Vec<&Child> {
        let mut children: Vec<&Child> = self.children.iter().collect();
        children.sort_by_cached_key(|c| {
            (
                c.family_name.to_lowercase(),
                c.given_name.to_lowercase(),
                c.id,
            )
        });
        children
    }
}

impl<C: DocumentChild> SessionDocument<C> {
    /// Check that the parts of the document fit together, so that an export
    /// or a validation never meets a dangling reference.
    ///
    /// # Errors
    ///
    /// Every problem found, each an [`crate::ErrorKind::Inconsistent`] that
    /// names the child, record or session concerned and says what to fix.
    pub fn check(&self) -> std::result::Result<(), Vec<Error>> {
        let mut problems = Vec::new();
        let mut fail = |msg: String| problems.push(Error::inconsistent(msg));

        if self.format_version != FORMAT_VERSION {
            fail(format!(
                "the session document has format_version {}; this program reads version {FORMAT_VERSION}",
                self.format_version
            ));
        }
        let mut session_ids = HashSet::new();
        for s in self.sessions() {
            if !session_ids.insert(s.id) {
                fail(format!(
                    "session {} is listed twice; give each session its own id",
                    s.id
                ));
            }
            if s.dates.is_empty() {
                fail(format!(
                    "session {} has no dates; add the day or days it is held",
                    s.id
                ));
            }
            if let SessionLocation::School { urn, site } = &s.location {
                if self.school(*urn, *site).is_none() {
                    fail(format!(
                        "session {} is at school {urn}{}, which is not in the schools list; add it",
                        s.id,
                        site.map(String::from).unwrap_or_default()
                    ));
                }
            }
            for p in &s.programmes {
                if !self.team.programmes.contains(&p.programme) {
                    fail(format!(
                        "session {} has the {} programme, which the team does not run; add it to \
                         the team's programmes",
                        s.id, p.programme
                    ));
                }
            }
        }
        let mut emails = HashSet::new();
        for u in &self.users {
            if !emails.insert(&u.email) {
                fail(format!("user {} is listed twice", u.email));
            }
        }
        let known_user = |e: &Email| self.user(e).is_some();
        let mut child_ids = HashSet::new();
        let mut uuids = HashSet::new();
        for child in &self.children {
            let c = child.reference();
            let who = format!("child {} ({})", c.id, c.full_name());
            if !child_ids.insert(c.id) {
                fail(format!(
                    "{who}: the id {} is used by another child; ids must be unique",
                    c.id
                ));
            }
            if let ChildSchool::School { urn, site } = &c.school {
                if self.school(*urn, *site).is_none() {
                    fail(format!(
                        "{who}: the school {urn} is not in the schools list; add it"
                    ));
                }
            }
            for p in child.programmes() {
                if !self
                    .session
                    .programmes
                    .iter()
                    .any(|sp| sp.programme == p.programme)
                {
                    fail(format!(
                        "{who}: has a {} consent state but the session has no {} programme",
                        p.programme, p.programme
                    ));
                }
                if let Some(t) = &p.triage {
                    if !known_user(&t.recorded_by) {
                        fail(format!(
                            "{who}: triaged by {}, who is not a user",
                            t.recorded_by
                        ));
                    }
                }
                if let Some(g) = &p.gillick {
                    if !known_user(&g.assessed_by) {
                        fail(format!(
                            "{who}: Gillick assessed by {}, who is not a user",
                            g.assessed_by
                        ));
                    }
                }
            }
            for r in &c.records {
                if !uuids.insert(r.uuid) {
                    fail(format!(
                        "{who}: record {} appears twice; each record has its own UUID",
                        r.uuid
                    ));
                }
                if let Some(v) = r.vaccine {
                    if v.programme() != r.programme {
                        fail(format!(
                            "{who}: record {} is for {} but its vaccine {} is a {} vaccine",
                            r.uuid,
                            r.programme,
                            v.upload_name(),
                            v.programme()
                        ));
                    }
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// Like [`SessionDocument::check`], but stops at the first problem.
    ///
    /// # Errors
    ///
    /// The first problem [`SessionDocument::check`] finds.
    pub fn check_first(&self) -> Result<()> {
        self.check().map_err(|mut errors| errors.swap_remove(0))
    }
}
