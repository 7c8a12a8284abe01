//! A day of nurses filling their copies of the session workbook, for the
//! walkthrough, the demo and the end-to-end tests: deterministic, and as
//! nurses do it (typed or picked dates, every reason somewhere, one child
//! seen twice, one consent changed on the day).

use mavis_domain::chrono::{Duration, NaiveDate, NaiveTime};
use mavis_domain::{
    normalise_value, Batch, Column, Layout, Programme, ReasonNotVaccinated, SessionDocument,
    TextRow, Vaccine, VaccineMethod,
};

use mavis_sheet::{
    edit_sheet, parse_session_sheet, read_bytes, read_sheet_rows, CellEdit, Entry, ErrorKind,
    Result, SESSION_SHEET, VACCINATIONS_SHEET,
};

/// How a nurse enters dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// Typed as the user guide says, `YYYYMMDD`: the spreadsheet stores the
    /// number 20,251,015 in the date cell.
    TypedNumber,
    /// Picked, or typed as a date: stored as a date serial.
    Picked,
    /// Typed into a cell formatted as text.
    TypedText,
}

/// One nurse's filled copy.
#[derive(Debug, Clone)]
pub struct NurseCopy {
    /// The file name, `nurse-1.xlsx`…
    pub name: String,
    /// The nurse's email.
    pub email: String,
    /// How she entered dates.
    pub dates: DateStyle,
    /// The workbook.
    pub bytes: Vec<u8>,
    /// Children she vaccinated.
    pub vaccinated: usize,
    /// Children she recorded as not vaccinated.
    pub not_vaccinated: usize,
}

/// The day: every nurse's copy, and what a person does about the conflict.
#[derive(Debug, Clone)]
pub struct NurseDay {
    /// The copies.
    pub copies: Vec<NurseCopy>,
    /// The row two nurses recorded differently, and the child.
    pub conflict: Option<(u32, String)>,
    /// The row whose consent was changed on the day, the child, and the new
    /// status.
    pub consent_change: Option<(u32, String, String)>,
    /// The cells a person types into the merged workbook to resolve the
    /// conflict.
    pub resolution: Vec<CellEdit>,
    /// Why that resolution, in words.
    pub resolution_reason: String,
    /// The rows nobody recorded (children not seen), with the child.
    pub not_seen: Vec<(u32, String)>,
    /// The rows recorded as the user guide says for a child not found,
    /// `N` and `absent from school`, with the child and programme.
    pub absent: Vec<(u32, String)>,
}

/// Fill `nurses` copies of an exported session workbook.
///
/// Each fill-in row goes to one nurse, in turn. A child with consent given
/// is vaccinated (the programme's vaccine with an offered batch, the dose
/// the sheet suggests), except one in five, not vaccinated for the next of
/// Mavis's four reasons; a refused consent is recorded as refused; no response
/// or conflicting consent as not vaccinated for the next reason. The first
/// nurse types dates as `YYYYMMDD`, the second picks them, the others type
/// them as text. With two nurses or more, the first child the first nurse
/// vaccinates is also recorded by the second as unwell (the conflict), and
/// the last nurse records a consent given on the day by phone.
///
/// # Errors
///
/// When the workbook cannot be read, has no `Session` sheet (it was not
/// exported by this tool), or cannot be edited.
pub fn fill_copies(base: &[u8], nurses: usize, seed: u64) -> Result<NurseDay> {
    fill_copies_with(
        base,
        &DayPlan {
            nurses,
            seed,
            session: None,
            not_seen_every: 0,
            absence: false,
        },
    )
}

/// How the day goes, for [`fill_copies_with`].
#[derive(Debug, Clone, Copy)]
pub struct DayPlan<'a> {
    /// How many nurses, each with her copy.
    pub nurses: usize,
    /// Another seed, other choices (the reasons' order).
    pub seed: u64,
    /// The session the workbook was exported from, and the day it was
    /// exported: needed for a workbook as Mavis downloads it, which has no
    /// `Session` sheet to read them from (the nurses know their session and
    /// their vials); `None` reads them from the workbook's `Session` sheet.
    pub session: Option<(&'a SessionDocument, NaiveDate)>,
    /// Every `n`-th child is seen by nobody: their rows stay blank in every
    /// copy (0: every child is seen).
    pub not_seen_every: usize,
    /// A child the nurses did not find is recorded, as the user guide says,
    /// `N` and `absent from school` on each of the child's rows.
    pub absence: bool,
}

/// Fill the copies as [`fill_copies`] does, as `plan` says: a workbook as
/// Mavis downloads it, children nobody sees, a child recorded absent.
///
/// # Errors
///
/// As [`fill_copies`]; without `plan.session`, when the workbook has no
/// `Session` sheet.
///
/// # Examples
///
/// ```
/// use mavis_domain::chrono::NaiveDate;
/// use mavis_demo::{self as demo, fill_copies_with, DayPlan, DemoOptions};
/// use mavis_sheet::OfflineWorkbook;
///
/// let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
/// let doc = demo::session(&DemoOptions { children: 12, ..DemoOptions::new(today) });
/// let base = OfflineWorkbook::new(&doc, today).as_mavis_downloads_it().to_bytes()?;
/// let plan = DayPlan {
///     nurses: 2,
///     seed: 1,
///     session: Some((&doc, today)),
///     not_seen_every: 4,
///     absence: true,
/// };
/// let day = fill_copies_with(&base, &plan)?;
/// assert!(!day.not_seen.is_empty());
/// assert!(!day.absent.is_empty());
/// # Ok::<(), mavis_sheet::Error>(())
/// ```
pub fn fill_copies_with(base: &[u8], plan: &DayPlan<'_>) -> Result<NurseDay> {
    let nurses = plan.nurses.max(1);
    let seed = plan.seed;
    let table = read_bytes(base, "session.xlsx")?;
    let sheet;
    let (doc, exported) = match plan.session {
        Some((doc, exported)) => (doc, exported),
        None => {
            let rows = read_sheet_rows(base, "session.xlsx", SESSION_SHEET)?.ok_or_else(|| {
                mavis_sheet::Error::from(ErrorKind::Unreadable {
                    file: "session.xlsx".to_owned(),
                    message: format!(
                        "it has no {SESSION_SHEET} sheet; export it with mavis-offline, or give \
                         the session it was exported from"
                    ),
                })
            })?;
            sheet = parse_session_sheet(&rows, "session.xlsx")?;
            let doc = &sheet.document;
            (doc, sheet.exported_on.unwrap_or(doc.session.dates[0]))
        }
    };
    let day = doc.session.dates[0];
    let emails: Vec<String> = doc.users.iter().map(|u| u.email.to_string()).collect();
    let layout = Layout::new(doc.session.psd_enabled);
    let col = |c: Column| u32::from(layout.index(c).expect("offline layout"));
    let cell = |row: &TextRow, c: Column| -> String {
        table
            .column(c)
            .map_or(String::new(), |i| normalise_value(row.get(i)).into_owned())
    };

    let mut edits: Vec<Vec<CellEdit>> = vec![Vec::new(); nurses];
    let mut counts = vec![(0usize, 0usize); nurses];
    // Mavis's four reasons only: the demo holds no outcome Mavis refuses.
    let mut reasons = ReasonNotVaccinated::MAVIS
        .iter()
        .copied()
        .cycle()
        .skip(usize::try_from(seed % 4).unwrap_or(0));
    let mut conflict = None;
    let mut resolution = Vec::new();
    let mut consent_change = None;
    let mut minutes = vec![0i64; nurses];
    let fill_in: Vec<&TextRow> = table
        .rows
        .iter()
        .filter(|r| cell(r, Column::Uuid).is_empty() && !r.is_blank())
        .collect();
    let last_nurse = nurses - 1;
    // A child with no response whose parent gives consent by phone.
    let phoned = if nurses > 1 {
        fill_in
            .iter()
            .rposition(|r| cell(r, Column::ConsentStatus).is_empty())
    } else {
        None
    };

    // The children, in the order of their first row: every n-th is seen
    // by nobody; the first with no consent response after the first child
    // is the one recorded absent.
    let child_of = |row: &TextRow| {
        [
            Column::PersonForename,
            Column::PersonSurname,
            Column::PersonDob,
        ]
        .map(|c| cell(row, c))
    };
    let mut children: Vec<[String; 3]> = Vec::new();
    for row in &fill_in {
        let child = child_of(row);
        if !children.contains(&child) {
            children.push(child);
        }
    }
    let unseen: Vec<&[String; 3]> = match plan.not_seen_every {
        0 => Vec::new(),
        n => children.iter().skip(n - 1).step_by(n).collect(),
    };
    let phoned_child = phoned.map(|i| child_of(fill_in[i]));
    let absent_child = plan
        .absence
        .then(|| {
            fill_in
                .iter()
                .skip(1)
                .map(|r| (child_of(r), cell(r, Column::ConsentStatus)))
                .find(|(child, consent)| {
                    consent.is_empty()
                        && !unseen.contains(&child)
                        && Some(child) != phoned_child.as_ref()
                })
                .map(|(child, _)| child)
        })
        .flatten();
    let mut not_seen = Vec::new();
    let mut absent = Vec::new();

    for (i, row) in fill_in.iter().enumerate() {
        let this_child = child_of(row);
        if unseen.contains(&&this_child) && Some(i) != phoned {
            not_seen.push((row.row, this_child.join(" ")));
            continue;
        }
        let nurse = if Some(i) == phoned {
            last_nurse
        } else {
            i % nurses
        };
        let email = &emails[nurse % emails.len()];
        let style = match nurse {
            0 => DateStyle::TypedNumber,
            1 => DateStyle::Picked,
            _ => DateStyle::TypedText,
        };
        minutes[nurse] += 4;
        let time =
            NaiveTime::from_hms_opt(9, 0, 0).expect("valid") + Duration::minutes(minutes[nurse]);
        let consent = cell(row, Column::ConsentStatus);
        let triage = cell(row, Column::TriageStatus);
        let child = format!(
            "{} {} ({})",
            cell(row, Column::PersonForename),
            cell(row, Column::PersonSurname),
            cell(row, Column::Programme)
        );
        let mut recorded: Vec<CellEdit> = Vec::new();
        let outcome = if absent_child.as_ref() == Some(&this_child) {
            absent.push((row.row, child.clone()));
            Outcome::Not(ReasonNotVaccinated::AbsentFromSchool)
        } else if Some(i) == phoned {
            recorded.push(CellEdit::new(
                row.row,
                col(Column::ConsentStatus),
                Entry::Text("Consent given".into()),
            ));
            consent_change = Some((row.row, child.clone(), "Consent given".to_owned()));
            Outcome::Vaccinate
        } else if consent.starts_with("Consent given") && triage != "Do not vaccinate" {
            if i % 5 == 4 {
                Outcome::Not(reasons.next().expect("cycle"))
            } else {
                Outcome::Vaccinate
            }
        } else if consent == "Consent refused" {
            Outcome::Not(ReasonNotVaccinated::Refused)
        } else if triage == "Do not vaccinate" {
            Outcome::Not(ReasonNotVaccinated::Contraindicated)
        } else {
            Outcome::Not(reasons.next().expect("cycle"))
        };
        let entry = Recorder {
            row: row.row,
            col: &col,
            style,
            day,
            time,
            email,
        };
        match outcome {
            Outcome::Vaccinate => {
                let programme = cell(row, Column::Programme);
                let dose = cell(row, Column::DoseSequence);
                let flu_nasal = consent.contains("nasal");
                match vaccine_and_batch(&programme, flu_nasal, &doc.batches, exported) {
                    Some((vaccine, batch)) => {
                        recorded.extend(entry.vaccinated(vaccine, batch, &dose, i));
                        counts[nurse].0 += 1;
                        if nurses > 1 && conflict.is_none() && nurse == 0 {
                            // The second nurse saw the same child, later.
                            let other = Recorder {
                                email: &emails[1 % emails.len()],
                                style: DateStyle::Picked,
                                ..entry
                            };
                            edits[1].extend(other.not_vaccinated(ReasonNotVaccinated::Unwell));
                            counts[1].1 += 1;
                            conflict = Some((row.row, child.clone()));
                            // The person resolving it picks the date.
                            let person = Recorder {
                                style: DateStyle::Picked,
                                ..entry
                            };
                            resolution = person.vaccinated(vaccine, batch, &dose, i);
                        }
                    }
                    None => {
                        recorded.extend(entry.not_vaccinated(ReasonNotVaccinated::Unwell));
                        counts[nurse].1 += 1;
                    }
                }
            }
            Outcome::Not(reason) => {
                recorded.extend(entry.not_vaccinated(reason));
                counts[nurse].1 += 1;
            }
        }
        edits[nurse].extend(recorded);
    }

    let mut copies = Vec::with_capacity(nurses);
    for (k, e) in edits.iter().enumerate() {
        copies.push(NurseCopy {
            name: format!("nurse-{}.xlsx", k + 1),
            email: emails[k % emails.len()].clone(),
            dates: match k {
                0 => DateStyle::TypedNumber,
                1 => DateStyle::Picked,
                _ => DateStyle::TypedText,
            },
            bytes: edit_sheet(base, "session.xlsx", VACCINATIONS_SHEET, e)?,
            vaccinated: counts[k].0,
            not_vaccinated: counts[k].1,
        });
    }
    Ok(NurseDay {
        copies,
        conflict,
        consent_change,
        not_seen,
        absent,
        resolution,
        resolution_reason: "a vaccination that was given cannot be undone, so the record of the \
                            nurse who gave it is kept; the other nurse saw the child after it"
            .to_owned(),
    })
}

enum Outcome {
    Vaccinate,
    Not(ReasonNotVaccinated),
}

/// What one nurse types for one row.
#[derive(Clone, Copy)]
struct Recorder<'a> {
    row: u32,
    col: &'a dyn Fn(Column) -> u32,
    style: DateStyle,
    day: NaiveDate,
    time: NaiveTime,
    email: &'a str,
}

impl Recorder<'_> {
    fn text(&self, c: Column, v: &str) -> CellEdit {
        CellEdit::new(self.row, (self.col)(c), Entry::Text(v.to_owned()))
    }

    fn date(&self) -> Entry {
        match self.style {
            DateStyle::TypedNumber => Entry::Number(
                self.day
                    .format("%Y%m%d")
                    .to_string()
                    .parse()
                    .unwrap_or_default(),
            ),
            DateStyle::Picked => Entry::Date(self.day),
            DateStyle::TypedText => Entry::Text(self.day.format("%Y%m%d").to_string()),
        }
    }

    fn common(&self, vaccinated: &str) -> Vec<CellEdit> {
        vec![
            self.text(Column::Vaccinated, vaccinated),
            CellEdit::new(self.row, (self.col)(Column::DateOfVaccination), self.date()),
            self.text(
                Column::TimeOfVaccination,
                &self.time.format("%H:%M:%S").to_string(),
            ),
            self.text(Column::PerformingProfessionalEmail, self.email),
        ]
    }

    fn vaccinated(&self, vaccine: Vaccine, batch: &Batch, dose: &str, i: usize) -> Vec<CellEdit> {
        let site = if vaccine.method() == VaccineMethod::Nasal {
            "nasal"
        } else if i.is_multiple_of(2) {
            "left upper arm"
        } else {
            "right upper arm"
        };
        let mut out = self.common("Y");
        out.extend([
            self.text(Column::VaccineGiven, vaccine.upload_name()),
            self.text(Column::BatchNumber, batch.number.as_str()),
            CellEdit::new(
                self.row,
                (self.col)(Column::BatchExpiryDate),
                batch.expiry.map_or(Entry::Blank, Entry::Date),
            ),
            self.text(Column::AnatomicalSite, site),
            CellEdit::new(
                self.row,
                (self.col)(Column::DoseSequence),
                Entry::Number(dose.parse().unwrap_or(1.0)),
            ),
        ]);
        out
    }

    fn not_vaccinated(&self, reason: ReasonNotVaccinated) -> Vec<CellEdit> {
        let mut out = self.common("N");
        out.push(self.text(Column::ReasonNotVaccinated, reason.text()));
        out
    }
}

/// The vaccine and an offered batch of it for a row's programme (flu: the
/// nasal spray when the parents consented to it).
fn vaccine_and_batch<'b>(
    programme: &str,
    flu_nasal: bool,
    batches: &'b [Batch],
    today: NaiveDate,
) -> Option<(Vaccine, &'b Batch)> {
    let (p, variant) = Programme::from_import_name(programme)?;
    let mut vaccines: Vec<Vaccine> = Vaccine::active_for(p, variant).collect();
    if p == Programme::Flu {
        vaccines.sort_by_key(|v| (v.method() == VaccineMethod::Nasal) != flu_nasal);
    }
    vaccines.into_iter().find_map(|v| {
        batches
            .iter()
            .filter(|b| b.vaccine == v && b.is_offered_on(today))
            .min_by_key(|b| (b.expiry, b.number.as_str().to_owned()))
            .map(|b| (v, b))
    })
}
