//! `mavis-offline report`, and what `check --annotate`, `merge --annotate`
//! and `merge --html` share with it: the problems of a checked file as
//! lines to mark, and the session report page.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use mavis_domain::chrono::NaiveDate;
use mavis_domain::{Column, Seen, SeenColumns, Table};
use mavis_merge::Tally;
use mavis_sheet::{read_workbook_reference, ProblemLine};

use super::annotated::{annotated_workbook, problem_lines};
use super::checked::{check_file_with, Checked};
use super::{emit, file_name, read_session, today_in_london, write_output, Password};
use crate::cli::{MergeArgs, ReportArgs};
use crate::error::{Error, Result};
use crate::html::{self, Page, ProgrammeCounts, Recorder, RowProblems};

/// Write the session report page of a workbook.
pub fn run(args: &ReportArgs) -> Result<ExitCode> {
    let today = args.today.unwrap_or_else(today_in_london);
    let password = Password::new(&args.password);
    let checked = check_file_with(&args.file, args.session.as_deref(), today, &[], &password)?;
    let about = session_about(&args.file, args.session.as_deref(), &password, today);
    let page = page(&checked, about.as_ref(), None);
    write_output(Some(&args.out), html::render(&page).as_bytes())?;
    emit(&format!(
        "Wrote {}: {} rows checked, {} rows with problems.\n",
        args.out.display(),
        checked.report.rows_checked,
        page.rows.len()
    ))?;
    if checked.encrypted {
        plain_page_note(&args.out)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Say that a report page made from an encrypted workbook is not encrypted.
fn plain_page_note(path: &Path) -> Result<()> {
    emit(&format!(
        "Note: {} is not encrypted (a web page cannot be): it shows the children's names; keep it \
         safe.\n",
        path.display()
    ))
}

/// After `merge`: the annotated workbook and the report page it was asked
/// for, from the merged workbook just written (encrypted with `password`
/// when `encrypt`).
pub fn after_merge(
    args: &MergeArgs,
    report: &mavis_merge::Report,
    password: &Password,
    encrypt: bool,
) -> Result<()> {
    if args.annotate.is_none() && args.html.is_none() {
        return Ok(());
    }
    let today = args.today.unwrap_or_else(today_in_london);
    let checked: Checked = check_file_with(&args.out, None, today, &[], password)?;
    if let Some(path) = &args.annotate {
        let bytes = password.open(&args.out)?.bytes;
        // Conflicts stay amber, with each copy's value in the note the merge
        // wrote; they are listed on the Problems sheet too.
        let conflicts: Vec<ProblemLine> = report
            .conflicts
            .iter()
            .map(|c| {
                let said: Vec<String> = c
                    .values
                    .iter()
                    .map(|v| format!("{}: {:?}", v.source, v.value))
                    .collect();
                let message = format!(
                    "Conflict between copies ({}): {}; type the right value",
                    c.child,
                    said.join("; ")
                );
                match checked
                    .table
                    .headers
                    .iter()
                    .position(|h| h.text == c.header)
                {
                    Some(col) => ProblemLine::cell(
                        c.row,
                        u32::try_from(col).unwrap_or(u32::MAX),
                        Some(c.header.clone()),
                        message,
                    ),
                    None => ProblemLine::row(c.row, message),
                }
            })
            .collect();
        let out =
            annotated_workbook(&checked, &bytes, &conflicts).map_err(|source| Error::Sheet {
                path: path.clone(),
                source,
            })?;
        password.write(path, &out, encrypt)?;
        emit(&format!("Wrote {}.\n", path.display()))?;
    }
    if let Some(path) = &args.html {
        let about = session_about(&args.out, None, password, today);
        let page = page(&checked, about.as_ref(), Some(report));
        write_output(Some(path), html::render(&page).as_bytes())?;
        emit(&format!("Wrote {}.\n", path.display()))?;
        if checked.encrypted {
            plain_page_note(path)?;
        }
    }
    Ok(())
}

/// What the page says of the session: where, which, and when.
pub struct SessionAbout {
    /// The location's name.
    location: Option<String>,
    /// The session's id.
    id: u64,
    /// Its days, when known.
    dates: Vec<NaiveDate>,
}

/// The session, for the page's title: from `--session` (a JSON or a
/// workbook) or the file itself (its Session sheet, or what a workbook as
/// Mavis writes it says: there the days are not known); `None` when
/// neither says.
fn session_about(
    file: &Path,
    session: Option<&Path>,
    password: &Password,
    today: NaiveDate,
) -> Option<SessionAbout> {
    let path = session.unwrap_or(file);
    let bytes = password.open(path).ok()?.bytes;
    if bytes.starts_with(b"PK\x03\x04") {
        let read = read_workbook_reference(&bytes, &file_name(path), today).ok()?;
        Some(SessionAbout {
            location: read.location_name,
            id: read.document.session.id,
            dates: if read.from_session_sheet {
                read.document.session.dates
            } else {
                Vec::new()
            },
        })
    } else {
        read_session(path).ok().map(|doc| SessionAbout {
            location: Some(doc.location_name().to_owned()),
            id: doc.session.id,
            dates: doc.session.dates,
        })
    }
}

/// What the page shows of a checked sheet, and of the merge that made it.
pub fn page(
    checked: &Checked,
    session: Option<&SessionAbout>,
    merge: Option<&mavis_merge::Report>,
) -> Page {
    let table = &checked.table;
    let title = match session {
        Some(SessionAbout {
            location: Some(location),
            id,
            ..
        }) => format!("Session report: {location}, session {id}"),
        Some(SessionAbout { id, .. }) => format!("Session report: session {id}"),
        None => format!("Session report: {}", checked.name),
    };
    let mut about = Vec::new();
    if let Some(session) = session {
        let dates: Vec<String> = session
            .dates
            .iter()
            .map(|d| d.format("%-d %B %Y").to_string())
            .collect();
        if !dates.is_empty() {
            about.push(format!("Held on {}.", dates.join(", ")));
        }
    }
    about.push(format!("From {}.", checked.name));
    if !checked.not_checked_offline.is_empty() {
        about.push(format!(
            "Not checked offline (Mavis checks these on upload): {}",
            checked.not_checked_offline.join(" ")
        ));
    }
    if let Some(report) = merge {
        let merged: Vec<&str> = report
            .sources
            .iter()
            .filter(|s| s.status == "merged")
            .map(|s| s.source.as_str())
            .collect();
        if !merged.is_empty() {
            about.push(format!("Merged from {}.", merged.join(", ")));
        }
    }

    let (programmes, recorders) = outcomes(table);
    let mut rows: BTreeMap<u32, RowProblems> = BTreeMap::new();
    let mut file_problems = Vec::new();
    for line in problem_lines(checked) {
        if line.row == 0 {
            file_problems.push(line.message);
            continue;
        }
        let entry = rows.entry(line.row).or_insert_with(|| {
            let (child, nhs_number) = child_of(table, line.row);
            RowProblems {
                row: line.row,
                child,
                nhs_number,
                problems: Vec::new(),
            }
        });
        let cell = line.column.and(line.reference());
        entry.problems.push((cell, line.header, line.message));
    }

    Page {
        title,
        about,
        programmes,
        conflicts: merge.map(|r| r.conflicts.clone()),
        changes: merge.map(|r| r.changes_on_the_day.clone()),
        file_problems,
        rows: rows.into_values().collect(),
        recorders,
    }
}

/// The child's name and NHS number on a row.
fn child_of(table: &Table, row: u32) -> (String, String) {
    let Some(r) = table.rows.iter().find(|r| r.row == row) else {
        return (String::new(), String::new());
    };
    let get = |c: Column| table.column(c).map_or("", |i| r.get(i)).trim().to_owned();
    let name = format!(
        "{} {}",
        get(Column::PersonForename),
        get(Column::PersonSurname)
    );
    (name.trim().to_owned(), get(Column::NhsNumber))
}

/// Per programme, the fill-in rows' outcomes (as the merge counts them),
/// and per performing professional the outcomes recorded.
fn outcomes(table: &Table) -> (Vec<ProgrammeCounts>, Vec<Recorder>) {
    let col = |c: Column| table.column(c);
    let (uuid, programme, vaccinated, reason, email) = (
        col(Column::Uuid),
        col(Column::Programme),
        col(Column::Vaccinated),
        col(Column::ReasonNotVaccinated),
        col(Column::PerformingProfessionalEmail),
    );
    let seen = SeenColumns::of(&table.headers);
    let mut order: Vec<String> = Vec::new();
    let mut tallies: BTreeMap<String, (Tally, usize, usize)> = BTreeMap::new();
    let mut people: BTreeMap<String, Tally> = BTreeMap::new();
    for row in &table.rows {
        let get = |i: Option<usize>| i.map_or("", |i| row.get(i)).trim();
        if !get(uuid).is_empty() || row.is_blank() {
            continue;
        }
        let name = get(programme).to_owned();
        if !tallies.contains_key(&name) {
            order.push(name.clone());
        }
        let entry = tallies.entry(name).or_default();
        let v = get(vaccinated);
        match seen.seen(row) {
            Seen::NotSeen => entry.1 += 1,
            Seen::Absent(_) => entry.2 += 1,
            Seen::Recorded => {
                entry.0.add(v, get(reason));
                people
                    .entry(get(email).to_owned())
                    .or_default()
                    .add(v, get(reason));
            }
        }
    }
    let programmes = order
        .into_iter()
        .map(|name| {
            let (tally, not_seen, absent) = tallies.remove(&name).unwrap_or_default();
            ProgrammeCounts {
                name: if name.is_empty() {
                    "(no programme given)".to_owned()
                } else {
                    name
                },
                vaccinated: tally.vaccinated,
                not_vaccinated: tally.not_vaccinated.into_iter().collect(),
                not_seen,
                absent,
            }
        })
        .collect();
    let recorders = people
        .into_iter()
        .map(|(email, t)| Recorder {
            email,
            vaccinated: t.vaccinated,
            not_vaccinated: t.not_vaccinated.values().sum(),
        })
        .collect();
    (programmes, recorders)
}
