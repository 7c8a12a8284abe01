//! The rows of the `Vaccinations` sheet, built from a session document
//! (`offline-spreadsheet.md` §4 and §5).

use mavis_domain::chrono::{DateTime, Utc};
use mavis_domain::{
    london, sheet_name, Child, ChildProgramme, ConsentResponse, ConsentStatus, Email, Outcome,
    Performer, Programme, Respondent, SessionDocument, SessionLocation, VaccinationRecord, Vaccine,
    YesNo,
};

use crate::row::{CellValue, OfflineRow, RowFill, RowKind};
use mavis_domain::{Column, Layout, OUTCOME_COLUMNS};

/// Builds the rows of the `Vaccinations` sheet one at a time, so that no
/// more than one row is held in memory.
#[derive(Debug, Clone, Copy)]
pub struct RowBuilder<'a> {
    doc: &'a SessionDocument,
    layout: Layout,
}

impl<'a> RowBuilder<'a> {
    /// Rows for the document's session.
    pub fn new(doc: &'a SessionDocument) -> RowBuilder<'a> {
        RowBuilder {
            doc,
            layout: Layout::new(doc.session.psd_enabled),
        }
    }

    /// The layout of the rows.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// Every row, in order: children by family then given name; each
    /// child's programmes in key order (those offered to their year group);
    /// one row per existing record, or one fill-in row.
    pub fn rows(self) -> impl Iterator<Item = OfflineRow> + 'a {
        let doc = self.doc;
        let year = doc.session.academic_year();
        let programmes = doc.session.programmes_in_order();
        // Mavis leaves off the children who have died and those it counts
        // as not eligible for the session (issue 17, item 12).
        let on_sheet = |child: &&Child| !child.deceased && !child.ineligible;
        doc.children_in_order()
            .into_iter()
            .filter(on_sheet)
            .flat_map(move |child| {
                let year_group = child.year_group(year);
                programmes
                    .clone()
                    .into_iter()
                    .filter(move |p| doc.session.offers(*p, year_group))
                    .flat_map(move |programme| {
                        let records: Vec<&VaccinationRecord> =
                            child.records_for(programme).collect();
                        let rows: Vec<OfflineRow> = if records.is_empty() {
                            vec![self.fill_in_row(child, programme)]
                        } else {
                            records
                                .into_iter()
                                .map(|r| self.record_row(child, r))
                                .collect()
                        };
                        rows
                    })
            })
    }

    fn child_cells(&self, child: &Child, programme: Programme) -> Vec<(Column, CellValue)> {
        let state = child.programme(programme);
        let year = self.doc.session.academic_year();
        let mut cells = vec![
            (Column::PersonForename, CellValue::text(&child.given_name)),
            (Column::PersonSurname, CellValue::text(&child.family_name)),
            (Column::PersonDob, CellValue::Date(child.date_of_birth)),
            (
                Column::YearGroup,
                CellValue::Integer(i64::from(child.year_group(year))),
            ),
            (
                Column::Registration,
                CellValue::text_or_none(child.registration.as_deref()),
            ),
            (
                Column::PersonGenderCode,
                CellValue::text(child.gender.text()),
            ),
            (
                Column::PersonAddressLine1,
                if child.restricted {
                    CellValue::NoValue
                } else {
                    CellValue::text_or_none(child.address_line_1.as_deref())
                },
            ),
            (
                Column::PersonPostcode,
                if child.restricted {
                    CellValue::NoValue
                } else {
                    CellValue::text_or_none(
                        child.postcode.as_ref().map(mavis_domain::Postcode::as_str),
                    )
                },
            ),
            (
                Column::NhsNumber,
                CellValue::text_or_none(
                    child
                        .nhs_number
                        .as_ref()
                        .map(mavis_domain::NhsNumber::as_str),
                ),
            ),
        ];
        let status = state.map_or(String::new(), |s| s.consent_status.text(programme));
        cells.push((Column::ConsentStatus, CellValue::text(status)));
        cells.push((
            Column::ConsentDetails,
            CellValue::text(state.map_or(String::new(), |s| consent_details(child, s))),
        ));
        cells.push((
            Column::HealthQuestionAnswers,
            CellValue::text(state.map_or(String::new(), health_answers)),
        ));
        let triage = state.and_then(|s| s.triage.as_ref());
        cells.extend([
            (
                Column::TriageStatus,
                CellValue::text_or_none(triage.map(|t| t.status.text_for(programme))),
            ),
            (
                Column::TriagedBy,
                CellValue::text_or_none(triage.and_then(|t| self.user_name(&t.recorded_by))),
            ),
            (
                Column::TriageDate,
                CellValue::text_or_none(triage.map(|t| london::text_timestamp(t.recorded_at))),
            ),
            (
                Column::TriageNotes,
                CellValue::text_or_none(triage.and_then(|t| t.notes.as_deref())),
            ),
        ]);
        let gillick = state.and_then(|s| s.gillick.as_ref());
        cells.extend([
            (
                Column::GillickStatus,
                CellValue::text(gillick.map_or("", |g| g.text())),
            ),
            (
                Column::GillickAssessmentDate,
                CellValue::text_or_none(gillick.map(|g| london::text_timestamp(g.recorded_at))),
            ),
            (
                Column::GillickAssessedBy,
                CellValue::text_or_none(gillick.and_then(|g| self.user_name(&g.assessed_by))),
            ),
            (
                Column::GillickAssessmentNotes,
                CellValue::text_or_none(gillick.and_then(|g| g.notes.as_deref())),
            ),
            (
                Column::PsdStatus,
                CellValue::text(if state.is_some_and(|s| s.psd) {
                    "PSD added"
                } else {
                    ""
                }),
            ),
        ]);
        cells
    }

    fn user_name(&self, email: &Email) -> Option<String> {
        self.doc.user(email).map(mavis_domain::User::sheet_name)
    }

    fn assemble(&self, cells: Vec<(Column, CellValue)>) -> Vec<CellValue> {
        let mut out = vec![CellValue::NoValue; self.layout.len()];
        for (column, value) in cells {
            if let Some(i) = self.layout.index(column) {
                out[usize::from(i)] = value;
            }
        }
        out
    }

    fn fill(child: &Child, programme: Programme) -> RowFill {
        match child.programme(programme).map(|s| &s.consent_status) {
            Some(ConsentStatus::Refused) => RowFill::ConsentRefused,
            Some(ConsentStatus::Conflicting) => RowFill::ConflictingConsent,
            _ => RowFill::None,
        }
    }

    /// A new row for a child with no record for the programme (§4.3).
    fn fill_in_row(&self, child: &Child, programme: Programme) -> OfflineRow {
        let doc = self.doc;
        let variant = (programme == Programme::Mmr).then(|| child.mmr_variant());
        let at_school = doc.session_school();
        let school_name = match at_school {
            Some(s) => s.name.clone(),
            None => doc.child_school_name(child).unwrap_or_default().to_owned(),
        };
        // The service's suggestion, else what Mavis pre-fills (1, or 5 for
        // Td/IPV).
        let dose = child
            .programme(programme)
            .and_then(|state| state.suggested_dose)
            .unwrap_or_else(|| programme.prefilled_dose());
        let mut cells = self.child_cells(child, programme);
        // The outcome's cells start blank, a date column's formatted as a
        // date; the cells below (the suggested dose) take their place.
        cells.extend(OUTCOME_COLUMNS.map(|c| (c, blank(c))));
        cells.extend([
            (
                Column::OrganisationCode,
                CellValue::text(doc.team.ods_code.as_str()),
            ),
            (Column::SchoolName, CellValue::text(school_name)),
            (Column::ClinicName, CellValue::EmptyText),
            (
                Column::CareSetting,
                CellValue::Integer(i64::from(doc.session.care_setting().code())),
            ),
            (
                Column::Programme,
                CellValue::text(programme.import_name(variant)),
            ),
            (
                Column::DoseSequence,
                CellValue::Integer(i64::from(dose.number())),
            ),
            (
                Column::SessionId,
                CellValue::Integer(i64::try_from(doc.session.id).unwrap_or(i64::MAX)),
            ),
            (Column::Uuid, CellValue::EmptyText),
        ]);
        OfflineRow {
            cells: self.assemble(cells),
            fill: Self::fill(child, programme),
            strike: child.invalidated,
            programme,
            variant,
            kind: RowKind::FillIn,
            clinic_dropdown: doc.session.location == SessionLocation::GenericClinic
                && !doc.clinics.is_empty(),
        }
    }

    /// The row of an existing vaccination record (§4.4).
    fn record_row(&self, child: &Child, record: &VaccinationRecord) -> OfflineRow {
        let doc = self.doc;
        let programme = record.programme;
        let variant = record.mmr_variant(child.date_of_birth);
        let session = record
            .session_id
            .and_then(|id| doc.sessions().find(|s| s.id == id));
        let session_school = session.and_then(|s| match &s.location {
            SessionLocation::School { urn, site } => doc.school(*urn, *site),
            SessionLocation::GenericClinic => None,
        });
        let at_generic_clinic =
            session.is_some_and(|s| s.location == SessionLocation::GenericClinic);
        let school_name = match (record.session_id, session_school) {
            (Some(_), Some(school)) => CellValue::text(&school.name),
            (Some(_), None) => CellValue::text(doc.child_school_name(child).unwrap_or_default()),
            (None, _) => CellValue::text(record.location_name.as_deref().unwrap_or_default()),
        };
        let care_setting = match (record.session_id, session_school) {
            (None, _) => CellValue::NoValue,
            (Some(_), Some(_)) => CellValue::Integer(1),
            (Some(_), None) => CellValue::Integer(2),
        };
        let clinic_name = if at_generic_clinic {
            CellValue::text(record.location_name.as_deref().unwrap_or_default())
        } else {
            CellValue::EmptyText
        };
        let time = record.time.map_or_else(
            || "00:00:00".to_owned(),
            |t| t.format("%H:%M:%S").to_string(),
        );
        let administered = record.outcome == Outcome::Administered;
        let dose = match (administered, record.dose_sequence) {
            (true, Some(d)) => CellValue::Integer(i64::from(d.number())),
            _ => CellValue::EmptyText,
        };
        let reason = match record.outcome {
            Outcome::Administered => CellValue::EmptyText,
            Outcome::NotAdministered(r) => CellValue::text(r.text()),
        };
        let mut cells = self.child_cells(child, programme);
        cells.extend([
            (
                Column::OrganisationCode,
                CellValue::text_or_none(
                    record
                        .performed_ods_code
                        .as_ref()
                        .map(mavis_domain::OdsCode::as_str),
                ),
            ),
            (Column::SchoolName, school_name),
            (Column::ClinicName, clinic_name),
            (Column::CareSetting, care_setting),
            (
                Column::Vaccinated,
                CellValue::text(record.outcome.vaccinated_flag()),
            ),
            (Column::DateOfVaccination, CellValue::Date(record.date)),
            (Column::TimeOfVaccination, CellValue::Text(time)),
            (
                Column::Programme,
                CellValue::text(programme.import_name(variant)),
            ),
            (
                Column::VaccineGiven,
                CellValue::text_or_none(record.vaccine.map(Vaccine::upload_name)),
            ),
            (
                Column::PerformingProfessionalEmail,
                CellValue::text_or_none(
                    record
                        .performed_by
                        .as_ref()
                        .and_then(Performer::email)
                        .map(Email::as_str),
                ),
            ),
            (
                Column::SupplierEmail,
                CellValue::text_or_none(record.supplied_by.as_ref().map(Email::as_str)),
            ),
            (
                Column::BatchNumber,
                CellValue::text_or_none(
                    record
                        .batch_number
                        .as_ref()
                        .map(mavis_domain::BatchNumber::as_str),
                ),
            ),
            (
                Column::BatchExpiryDate,
                record
                    .batch_expiry
                    .map_or(CellValue::NoValue, CellValue::Date),
            ),
            (
                Column::AnatomicalSite,
                CellValue::text(record.site.map_or("", |s| s.text())),
            ),
            (Column::DoseSequence, dose),
            (Column::ReasonNotVaccinated, reason),
            (
                Column::Notes,
                CellValue::text_or_none(record.notes.as_deref()),
            ),
            (
                Column::SessionId,
                record.session_id.map_or(CellValue::NoValue, |id| {
                    CellValue::Integer(i64::try_from(id).unwrap_or(i64::MAX))
                }),
            ),
            (Column::Uuid, CellValue::text(record.uuid.as_str())),
        ]);
        OfflineRow {
            cells: self.assemble(cells),
            fill: Self::fill(child, programme),
            strike: child.invalidated,
            programme,
            variant,
            kind: RowKind::ExistingRecord,
            clinic_dropdown: at_generic_clinic && !doc.clinics.is_empty(),
        }
    }
}

/// A blank cell of a column for the nurse to fill in: a date column's is
/// formatted as a date.
fn blank(column: Column) -> CellValue {
    if column.is_date() {
        CellValue::DateNoValue
    } else {
        CellValue::EmptyText
    }
}

/// The consents shown for a programme: not invalidated, with a response,
/// the latest per respondent name, newest first (§5.2).
fn shown_consents<'c>(
    child: &Child,
    state: &'c ChildProgramme,
) -> Vec<(&'c mavis_domain::Consent, String)> {
    let mut consents: Vec<(&mavis_domain::Consent, String)> = state
        .consents
        .iter()
        .filter(|c| !c.invalidated)
        .map(|c| (c, respondent_name(child, &c.respondent)))
        .collect();
    // Newest first, then keep the first (latest) per name.
    consents.sort_by_key(|c| std::cmp::Reverse(c.0.recorded_at));
    let mut seen = std::collections::HashSet::new();
    consents.retain(|(_, name)| seen.insert(name.clone()));
    consents
}

fn respondent_name(child: &Child, respondent: &Respondent) -> String {
    match respondent {
        Respondent::Child => sheet_name(&child.given_name, &child.family_name),
        Respondent::Parent { name: Some(n), .. } if !n.is_empty() => n.clone(),
        Respondent::Parent { .. } => "Parent or guardian (name unknown)".to_owned(),
    }
}

/// `CONSENT_DETAILS` (§5.2):
/// `On 2025-09-10 at 14:32 GIVEN by Jane Smith, On … REFUSED by …`.
pub(crate) fn consent_details(child: &Child, state: &ChildProgramme) -> String {
    shown_consents(child, state)
        .iter()
        .map(|(c, name)| {
            format!(
                "On {} {} by {name}",
                local_date_time(c.recorded_at),
                response_text(c.response)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn local_date_time(instant: DateTime<Utc>) -> String {
    london::local(instant)
        .format("%Y-%m-%d at %H:%M")
        .to_string()
}

fn response_text(response: ConsentResponse) -> &'static str {
    response.text()
}

/// `HEALTH_QUESTION_ANSWERS` (§5.3): one line per question, in order of
/// first appearance, answers from the shown consents (oldest first). Mavis
/// joins the lines with CR LF, which every reader sees as a line feed after
/// XML parsing; this writes the line feed itself, so that the workbook reads
/// back the same (rust_xlsxwriter would otherwise keep the CR as `_x000D_`).
pub(crate) fn health_answers(state: &ChildProgramme) -> String {
    // The responder label does not need the child's name.
    let mut consents: Vec<&mavis_domain::Consent> =
        state.consents.iter().filter(|c| !c.invalidated).collect();
    consents.sort_by_key(|c| c.recorded_at);
    // Latest per respondent, each placed by their first consent, as Mavis
    // places them (issue 17, item 13): a respondent who answered again
    // keeps their place with their later answers.
    let key = |c: &mavis_domain::Consent| match &c.respondent {
        Respondent::Child => "\u{0}child".to_owned(),
        Respondent::Parent { name, .. } => name.clone().unwrap_or_default(),
    };
    let mut latest: Vec<&mavis_domain::Consent> = Vec::new();
    for c in consents {
        match latest.iter().position(|l| key(l) == key(c)) {
            Some(i) => latest[i] = c,
            None => latest.push(c),
        }
    }
    let mut questions: Vec<(&str, Vec<Answer<'_>>)> = Vec::new();
    for c in &latest {
        let label = responder_label(&c.respondent);
        for a in &c.health_answers {
            let Some(answer) = a.answer else { continue };
            let notes = a.notes.as_deref().filter(|n| !n.is_empty());
            match questions.iter_mut().find(|(q, _)| *q == a.question) {
                Some((_, answers)) => answers.push((answer, label.clone(), notes)),
                None => questions.push((&a.question, vec![(answer, label.clone(), notes)])),
            }
        }
    }
    questions
        .into_iter()
        .map(|(question, answers)| {
            let same = answers.len() > 1
                && answers
                    .iter()
                    .all(|(a, _, n)| *a == answers[0].0 && *n == answers[0].2);
            let parts: Vec<String> = if same {
                vec![answer_text(answers[0].0, "All", answers[0].2)]
            } else {
                answers
                    .iter()
                    .map(|(a, who, n)| answer_text(*a, who, *n))
                    .collect()
            };
            format!("{question} {}", parts.join(", "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One answer to a question: yes or no, who answered, and their notes.
type Answer<'a> = (YesNo, String, Option<&'a str>);

fn answer_text(answer: YesNo, who: &str, notes: Option<&str>) -> String {
    match notes {
        Some(n) => format!("{} from {who} ({n})", answer.text()),
        None => format!("{} from {who}", answer.text()),
    }
}

fn responder_label(respondent: &Respondent) -> String {
    match respondent {
        Respondent::Child => "Child (Gillick competent)".to_owned(),
        Respondent::Parent { name, relationship } => relationship
            .label()
            .or_else(|| name.clone())
            .unwrap_or_else(|| "Parent or guardian".to_owned()),
    }
}
