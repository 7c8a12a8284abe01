//! Whether a row of a nurse's copy, or of the merged workbook, says the
//! child was seen: stated once, for `check`, `csv` and the merge report.
//!
//! On the day most children are seen by one nurse, some by none: a row
//! left blank in a copy is a child that nurse did not see, not a row with
//! errors. A row is *recorded* when something is entered in the
//! nurse-owned outcome columns ([`crate::Owner::Nurse`], see
//! [`crate::OUTCOME_COLUMNS`]; `DOSE_SEQUENCE` does not count, as the
//! export fills in the suggested dose); it is *not seen* when nothing is;
//! and it is *absent* when `VACCINATED` is `N` with one of the user guide's
//! two reasons that Mavis dropped (`did not attend`, `absent from school`):
//! Mavis records attendance, not an outcome, for those. Only recorded rows
//! are checked and uploaded. This reading is for workbooks; an upload CSV
//! is checked as Mavis checks it, every row needing an outcome.

use std::collections::BTreeMap;

use crate::columns::{Column, OUTCOME_COLUMNS};
use crate::facts::parse_vaccinated;
use crate::location::Location;
use crate::outcome::ReasonNotVaccinated;
use crate::table::{Header, Table, TextRow};
use crate::text::normalise_value;

/// What to do for a child recorded absent with one of the user guide's
/// reasons: Mavis records attendance, not an outcome, so the row is left
/// out of the upload and the absence is recorded in Mavis by hand.
pub const ABSENCE_ACTION: &str = "record the attendance in Mavis by hand (Mavis no longer takes \
                                  this reason on upload)";

/// What a row of a read workbook says of its child.
///
/// # Examples
///
/// ```
/// use mavis_domain::{header_key, Header, ReasonNotVaccinated, Seen, SeenColumns, TextRow};
///
/// let headers: Vec<Header> = ["PERSON_FORENAME", "VACCINATED", "DOSE_SEQUENCE", "REASON_NOT_VACCINATED"]
///     .iter()
///     .map(|h| Header { text: h.to_string(), key: header_key(h) })
///     .collect();
/// let columns = SeenColumns::of(&headers);
/// let row = |cells: [&str; 4]| TextRow::new(2, cells.map(String::from).to_vec());
/// assert_eq!(columns.seen(&row(["Aisha", "", "1", ""])), Seen::NotSeen);
/// assert_eq!(columns.seen(&row(["Aisha", "Y", "1", ""])), Seen::Recorded);
/// assert_eq!(columns.seen(&row(["Aisha", "N", "", "refused"])), Seen::Recorded);
/// assert_eq!(
///     columns.seen(&row(["Aisha", "n", "", "Absent from school"])),
///     Seen::Absent(ReasonNotVaccinated::AbsentFromSchool)
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Seen {
    /// Something is entered in the outcome columns: the row is checked
    /// against the upload rules and goes into the upload.
    Recorded,
    /// Nothing is entered: the child has not been seen (yet). Left out of
    /// the upload.
    NotSeen,
    /// `VACCINATED` `N` with one of the user guide's two reasons Mavis no
    /// longer takes: the child was not there. Left out of the upload; the
    /// attendance is recorded in Mavis by hand.
    Absent(ReasonNotVaccinated),
}

impl Seen {
    /// What a row of `table` says of its child (see [`SeenColumns::seen`];
    /// for many rows, find the columns once with [`SeenColumns::of`]).
    pub fn of(table: &Table, row: &TextRow) -> Seen {
        SeenColumns::of(&table.headers).seen(row)
    }

    /// Whether the row is recorded (checked and uploaded).
    pub fn is_recorded(self) -> bool {
        self == Seen::Recorded
    }
}

/// Where, in a table's headers, the cells that say whether a child was seen
/// are: found once, then read for each row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenColumns {
    /// The outcome columns a nurse's entry shows in.
    entered: Vec<usize>,
    vaccinated: Option<usize>,
    reason: Option<usize>,
}

impl SeenColumns {
    /// The columns under `headers`, each by its header or an alias.
    pub fn of(headers: &[Header]) -> SeenColumns {
        SeenColumns {
            entered: OUTCOME_COLUMNS
                .iter()
                .filter(|c| **c != Column::DoseSequence)
                .filter_map(|c| Header::column_in(headers, *c))
                .collect(),
            vaccinated: Header::column_in(headers, Column::Vaccinated),
            reason: Header::column_in(headers, Column::ReasonNotVaccinated),
        }
    }

    /// What `row` says of its child: absent when `VACCINATED` reads `N`
    /// and the reason is one of the guide's two absences; otherwise
    /// recorded when any outcome column but `DOSE_SEQUENCE` has a value,
    /// not seen when none has.
    pub fn seen(&self, row: &TextRow) -> Seen {
        let value = |i: Option<usize>| i.map(|i| row.normalised(i));
        let not_vaccinated =
            value(self.vaccinated).is_some_and(|v| parse_vaccinated(&v) == Some(false));
        if not_vaccinated {
            if let Some(reason) = value(self.reason)
                .and_then(|r| ReasonNotVaccinated::parse(&r).ok())
                .filter(|r| r.is_absence())
            {
                return Seen::Absent(reason);
            }
        }
        if self.entered.iter().any(|i| !row.normalised(*i).is_empty()) {
            Seen::Recorded
        } else {
            Seen::NotSeen
        }
    }
}

/// The counts of `programme` in `by`, zero if new.
fn counts<'a, 'b>(
    by: &'b mut BTreeMap<&'a str, ProgrammeAttendance>,
    programme: &'a str,
) -> &'b mut ProgrammeAttendance {
    by.entry(programme).or_insert_with(|| ProgrammeAttendance {
        programme: programme.to_owned(),
        recorded: 0,
        not_seen: 0,
        absent: 0,
    })
}

/// A child left out of the upload: a row not seen, or absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrecorded {
    /// Where: the file, sheet and row (for an absent child, the
    /// `REASON_NOT_VACCINATED` cell).
    pub at: Location,
    /// The `PROGRAMME` cell, as the sheet writes it (`HPV`).
    pub programme: String,
    /// The child's given and family names.
    pub child: String,
    /// For an absent child, the reason typed.
    pub absent: Option<ReasonNotVaccinated>,
}

/// How many children of one programme were recorded, not seen and absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgrammeAttendance {
    /// The `PROGRAMME` cell, as the sheet writes it.
    pub programme: String,
    /// Rows recorded.
    pub recorded: usize,
    /// Rows of children not seen (yet).
    pub not_seen: usize,
    /// Rows of children absent.
    pub absent: usize,
}

/// What a workbook's rows say of its children: which rows are recorded
/// (checked and uploaded) and which children are not seen or absent. Blank
/// rows say nothing and are in none of the lists.
///
/// # Examples
///
/// ```
/// use mavis_domain::{header_key, Attendance, Header, SourceKind, Table, TextRow};
///
/// let headers: Vec<Header> = ["PERSON_FORENAME", "PERSON_SURNAME", "PROGRAMME", "VACCINATED", "REASON_NOT_VACCINATED"]
///     .iter()
///     .map(|h| Header { text: h.to_string(), key: header_key(h) })
///     .collect();
/// let row = |n, cells: [&str; 5]| TextRow::new(n, cells.map(String::from).to_vec());
/// let table = Table {
///     file: "nurse-2.xlsx".into(),
///     sheet: Some("Vaccinations".into()),
///     kind: SourceKind::Workbook,
///     headers,
///     rows: vec![
///         row(2, ["Aisha", "Begum", "HPV", "Y", ""]),
///         row(3, ["Ben", "Carter", "HPV", "", ""]),
///         row(4, ["Cara", "Doyle", "HPV", "N", "did not attend"]),
///     ],
///     issues: vec![],
/// };
/// let attendance = Attendance::of(&table);
/// assert_eq!(attendance.recorded, [0]);
/// assert_eq!(attendance.not_seen[0].child, "Ben Carter");
/// assert_eq!(attendance.absent[0].at.to_string(), "nurse-2.xlsx, sheet Vaccinations: row 4, column E (REASON_NOT_VACCINATED)");
/// let hpv = &attendance.by_programme()[0];
/// assert_eq!((hpv.programme.as_str(), hpv.recorded, hpv.not_seen, hpv.absent), ("HPV", 1, 1, 1));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attendance {
    /// The indices, in [`Table::rows`], of the recorded rows, in order.
    pub recorded: Vec<usize>,
    /// The recorded rows' programmes, in the order of `recorded`.
    recorded_programmes: Vec<String>,
    /// The children not seen, in row order.
    pub not_seen: Vec<Unrecorded>,
    /// The children absent, in row order.
    pub absent: Vec<Unrecorded>,
}

impl Attendance {
    /// Read every row of `table`.
    pub fn of(table: &Table) -> Attendance {
        let columns = SeenColumns::of(&table.headers);
        let cell = |row: &TextRow, c: Column| {
            table
                .column(c)
                .map_or(String::new(), |i| row.normalised(i).into_owned())
        };
        let mut out = Attendance::default();
        for (i, row) in table.rows.iter().enumerate() {
            if row.is_blank() {
                continue;
            }
            let programme = cell(row, Column::Programme);
            let unrecorded = |absent: Option<ReasonNotVaccinated>| Unrecorded {
                at: match (absent, columns.reason) {
                    (Some(_), Some(i)) => table.location(row.row, i),
                    _ => {
                        let at = Location::row(row.row).in_file(&table.file);
                        match &table.sheet {
                            Some(s) => at.in_sheet(s),
                            None => at,
                        }
                    }
                },
                programme: programme.clone(),
                child: normalise_value(&format!(
                    "{} {}",
                    cell(row, Column::PersonForename),
                    cell(row, Column::PersonSurname)
                ))
                .into_owned(),
                absent,
            };
            match columns.seen(row) {
                Seen::Recorded => {
                    out.recorded.push(i);
                    out.recorded_programmes.push(programme);
                }
                Seen::NotSeen => out.not_seen.push(unrecorded(None)),
                Seen::Absent(reason) => out.absent.push(unrecorded(Some(reason))),
            }
        }
        out
    }

    /// The counts per programme, in the programmes' alphabetical order.
    pub fn by_programme(&self) -> Vec<ProgrammeAttendance> {
        let mut by: BTreeMap<&str, ProgrammeAttendance> = BTreeMap::new();
        for p in &self.recorded_programmes {
            counts(&mut by, p).recorded += 1;
        }
        for u in &self.not_seen {
            counts(&mut by, &u.programme).not_seen += 1;
        }
        for u in &self.absent {
            counts(&mut by, &u.programme).absent += 1;
        }
        by.into_values().collect()
    }

    /// Whether every child with a row was recorded.
    pub fn all_recorded(&self) -> bool {
        self.not_seen.is_empty() && self.absent.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::Layout;
    use crate::table::SourceKind;
    use crate::text::header_key;
    use proptest::prelude::*;

    /// A table with the sheet's columns (no PSD) and these rows, each a
    /// list of (column, value).
    fn table(rows: &[Vec<(Column, &str)>]) -> Table {
        let layout = Layout::new(false);
        let headers: Vec<Header> = layout
            .columns()
            .map(|c| Header {
                text: c.header().to_owned(),
                key: header_key(c.header()),
            })
            .collect();
        let rows = rows
            .iter()
            .zip(2..)
            .map(|(cells, n)| {
                let mut row = vec![String::new(); layout.len()];
                for (c, v) in cells {
                    row[usize::from(layout.index(*c).unwrap())] = (*v).to_owned();
                }
                TextRow::new(n, row)
            })
            .collect();
        Table {
            file: "nurse-2.xlsx".into(),
            sheet: Some("Vaccinations".into()),
            kind: SourceKind::Workbook,
            headers,
            rows,
            issues: vec![],
        }
    }

    fn child(programme: &str) -> Vec<(Column, &str)> {
        vec![
            (Column::PersonForename, "Ben"),
            (Column::PersonSurname, "Carter"),
            (Column::Programme, programme),
            (Column::SessionId, "1001"),
            (Column::OrganisationCode, "R1L"),
            (Column::DoseSequence, "1"),
        ]
    }

    fn with<'a>(
        mut row: Vec<(Column, &'a str)>,
        more: &[(Column, &'a str)],
    ) -> Vec<(Column, &'a str)> {
        row.extend_from_slice(more);
        row
    }

    #[test]
    fn an_untouched_export_row_is_not_seen() {
        let t = table(&[child("HPV")]);
        assert_eq!(Seen::of(&t, &t.rows[0]), Seen::NotSeen);
    }

    #[test]
    fn anything_a_nurse_enters_is_recorded() {
        for column in OUTCOME_COLUMNS {
            let t = table(&[with(child("HPV"), &[(column, "x")])]);
            let expected = if column == Column::DoseSequence {
                Seen::NotSeen
            } else {
                Seen::Recorded
            };
            assert_eq!(Seen::of(&t, &t.rows[0]), expected, "{column}");
        }
    }

    #[test]
    fn the_guides_two_reasons_with_n_are_absent() {
        for reason in ReasonNotVaccinated::ALL {
            let t = table(&[with(
                child("Flu"),
                &[
                    (Column::Vaccinated, " n "),
                    (Column::ReasonNotVaccinated, &reason.text().to_uppercase()),
                ],
            )]);
            let expected = if reason.is_absence() {
                Seen::Absent(reason)
            } else {
                Seen::Recorded
            };
            assert_eq!(Seen::of(&t, &t.rows[0]), expected, "{reason}");
        }
        // Without N, the reason alone is an entry to check.
        let t = table(&[with(
            child("Flu"),
            &[(Column::ReasonNotVaccinated, "absent from school")],
        )]);
        assert_eq!(Seen::of(&t, &t.rows[0]), Seen::Recorded);
    }

    #[test]
    fn attendance_lists_and_counts_per_programme() {
        let t = table(&[
            with(child("HPV"), &[(Column::Vaccinated, "Y")]),
            child("HPV"),
            vec![],
            with(
                child("Flu"),
                &[
                    (Column::Vaccinated, "N"),
                    (Column::ReasonNotVaccinated, "did not attend"),
                ],
            ),
            child("Flu"),
        ]);
        let a = Attendance::of(&t);
        assert_eq!(a.recorded, [0]);
        assert_eq!(
            a.not_seen.iter().map(|u| u.at.row).collect::<Vec<_>>(),
            [3, 6]
        );
        assert_eq!(
            a.absent,
            [Unrecorded {
                at: t.location(
                    5,
                    usize::from(
                        Layout::new(false)
                            .index(Column::ReasonNotVaccinated)
                            .unwrap()
                    )
                ),
                programme: "Flu".into(),
                child: "Ben Carter".into(),
                absent: Some(ReasonNotVaccinated::DidNotAttend),
            }]
        );
        assert!(!a.all_recorded());
        let counts: Vec<_> = a
            .by_programme()
            .into_iter()
            .map(|p| (p.programme, p.recorded, p.not_seen, p.absent))
            .collect();
        assert_eq!(
            counts,
            [("Flu".to_owned(), 0, 1, 1), ("HPV".to_owned(), 1, 1, 0)]
        );
    }

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("  ".to_owned()),
            Just("\u{a0}".to_owned()),
            "[a-zA-Z0-9@. ]{1,12}",
        ]
    }

    fn vaccinated() -> impl Strategy<Value = String> {
        prop::sample::select(vec!["", "Y", "N", "n", " N ", "y", "x", "No"]).prop_map(str::to_owned)
    }

    fn reason() -> impl Strategy<Value = String> {
        let mut texts: Vec<String> = ReasonNotVaccinated::ALL
            .iter()
            .flat_map(|r| {
                [
                    r.text().to_owned(),
                    r.text().to_uppercase(),
                    format!(" {} ", r.text()),
                ]
            })
            .collect();
        texts.extend(["".to_owned(), "sick".to_owned(), " ".to_owned()]);
        prop::sample::select(texts)
    }

    /// A row's outcome cells: `VACCINATED`, the reason, and the other
    /// outcome columns in `OUTCOME_COLUMNS` order.
    fn outcome() -> impl Strategy<Value = (String, String, Vec<String>)> {
        (
            vaccinated(),
            reason(),
            prop::collection::vec(value(), OUTCOME_COLUMNS.len() - 2),
        )
    }

    proptest! {
        /// Absent exactly when N with an absence; otherwise recorded exactly
        /// when an outcome column but DOSE_SEQUENCE has a value; the dose
        /// never matters; the lists of `Attendance` part the non-blank rows.
        #[test]
        fn classification(rows in prop::collection::vec((outcome(), value(), any::<bool>()), 1..12)) {
            let others: Vec<Column> = OUTCOME_COLUMNS
                .into_iter()
                .filter(|c| !matches!(c, Column::Vaccinated | Column::ReasonNotVaccinated))
                .collect();
            let specs: Vec<Vec<(Column, String)>> = rows
                .iter()
                .map(|((v, r, rest), dose, blank_child)| {
                    let mut cells = vec![(Column::Vaccinated, v.clone()), (Column::ReasonNotVaccinated, r.clone())];
                    cells.extend(others.iter().copied().zip(rest.iter().cloned()));
                    cells.retain(|(c, _)| *c != Column::DoseSequence);
                    cells.push((Column::DoseSequence, dose.clone()));
                    if !blank_child {
                        cells.push((Column::PersonForename, "Ben".into()));
                        cells.push((Column::Programme, "HPV".into()));
                    }
                    cells
                })
                .collect();
            let borrowed: Vec<Vec<(Column, &str)>> = specs
                .iter()
                .map(|r| r.iter().map(|(c, v)| (*c, v.as_str())).collect())
                .collect();
            let t = table(&borrowed);
            let columns = SeenColumns::of(&t.headers);
            let mut non_blank = 0;
            for (spec, row) in specs.iter().zip(&t.rows) {
                let get = |c: Column| spec.iter().rev().find(|(k, _)| *k == c).map_or("", |(_, v)| v.as_str());
                let n = parse_vaccinated(&normalise_value(get(Column::Vaccinated))) == Some(false);
                let absence = ReasonNotVaccinated::parse(get(Column::ReasonNotVaccinated))
                    .ok()
                    .filter(|r| r.is_absence());
                let entered = spec
                    .iter()
                    .any(|(c, v)| OUTCOME_COLUMNS.contains(c) && *c != Column::DoseSequence && !normalise_value(v).is_empty());
                let expected = match absence {
                    Some(r) if n => Seen::Absent(r),
                    _ if entered => Seen::Recorded,
                    _ => Seen::NotSeen,
                };
                prop_assert_eq!(columns.seen(row), expected);
                let mut other_dose = row.clone();
                other_dose.cells[usize::from(Layout::new(false).index(Column::DoseSequence).unwrap())] = "3".into();
                prop_assert_eq!(columns.seen(&other_dose), expected);
                non_blank += usize::from(!row.is_blank());
            }
            let a = Attendance::of(&t);
            prop_assert_eq!(a.recorded.len() + a.not_seen.len() + a.absent.len(), non_blank);
            let total: usize = a.by_programme().iter().map(|p| p.recorded + p.not_seen + p.absent).sum();
            prop_assert_eq!(total, non_blank);
            for i in &a.recorded {
                prop_assert!(columns.seen(&t.rows[*i]).is_recorded());
            }
        }
    }
}
