//! The three-way merge of nurses' copies against the downloaded base.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};

use mavis_domain::{
    canonical_date, normalise_value, outcome_digest, Column, KeyColumns, RowKey, Seen, SeenColumns,
    Table, TextRow, ABSENCE_ACTION, OUTCOME_COLUMNS,
};

use crate::error::{Error, Result};
use crate::report::{
    Absence, AddedRow, Change, Conflict, DuplicateFile, FollowUp, MissingRow, Report,
    SourceSummary, SourceValue, Tally,
};

/// One nurse's copy: its name, the digest of its bytes, and its sheet.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The file's name, as messages and notes show it.
    pub name: &'a str,
    /// The SHA-256 of its bytes ([`mavis_domain::digest_bytes`]).
    pub digest: &'a str,
    /// Its `Vaccinations` sheet read back.
    pub table: &'a Table,
}

/// How a merged cell is marked in the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MarkKind {
    /// The copies disagree; the base value is kept.
    Conflict,
    /// Changed on the day in a column the nurse does not own.
    ChangedOnTheDay,
    /// The first cell of a row a nurse added.
    Added,
}

/// A cell to mark in the merged workbook, with its note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellMark {
    /// The row as the sheet shows it.
    pub row: u32,
    /// The column index (0 for A).
    pub column: usize,
    /// How to mark it.
    pub kind: MarkKind,
    /// The note to attach.
    pub note: String,
}

/// The result of a merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The merged sheet: the base's header and rows with the copies'
    /// changes, then the rows nurses added.
    pub table: Table,
    /// Cells whose value differs from the base (to write into the base
    /// workbook), as (row, column).
    pub changed: Vec<(u32, usize)>,
    /// Cells to mark, with their notes.
    pub marks: Vec<CellMark>,
    /// What happened.
    pub report: Report,
}

/// Merge the copies into the base.
///
/// `already_merged` holds the digests of copies merged into the base
/// before (the base's hidden `Session` sheet records them); such a copy is
/// reported and left out, so that merging a merged workbook with further
/// copies does not replay old changes over resolved conflicts.
///
/// # Errors
///
/// [`Error::MissingColumns`] when a sheet cannot say which row is which,
/// [`Error::OtherSession`] for a copy of another session.
///
/// # Examples
///
/// ```
/// use mavis_domain::{header_key, Header, SourceKind, Table, TextRow};
/// use mavis_merge::{merge, Source};
///
/// let sheet = |rows: &[[&str; 8]]| Table {
///     file: "x".into(),
///     sheet: None,
///     kind: SourceKind::Csv,
///     headers: ["PERSON_FORENAME", "PERSON_SURNAME", "PERSON_DOB", "NHS_NUMBER", "PROGRAMME",
///               "SESSION_ID", "UUID", "VACCINATED"]
///         .iter()
///         .map(|h| Header { text: h.to_string(), key: header_key(h) })
///         .collect(),
///     rows: rows
///         .iter()
///         .enumerate()
///         .map(|(i, r)| TextRow::new(i as u32 + 2, r.map(String::from).to_vec()))
///         .collect(),
///     issues: vec![],
/// };
/// let base = sheet(&[["Aisha", "Begum", "02/11/2012", "9449306168", "HPV", "1002", "", ""]]);
/// let nurse = sheet(&[["Aisha", "Begum", "02/11/2012", "9449306168", "HPV", "1002", "", "Y"]]);
/// let merged = merge(&base, &[Source { name: "nurse-a.xlsx", digest: "a", table: &nurse }], &[])?;
/// assert_eq!(merged.table.rows[0].get(7), "Y");
/// assert!(merged.report.conflicts.is_empty());
/// # Ok::<(), mavis_merge::Error>(())
/// ```
pub fn merge(base: &Table, sources: &[Source<'_>], already_merged: &[String]) -> Result<Merged> {
    let base_keys = key_columns(base)?;
    let keys: Vec<RowKey> = base.rows.iter().map(|r| base_keys.key(r)).collect();
    let base_session = most_common_session(base);
    let mut report = Report {
        base: base.file.clone(),
        ..Report::default()
    };

    // Copies given twice, or merged before, are used once.
    let mut used: Vec<Source<'_>> = Vec::new();
    for s in sources {
        let status = if already_merged.iter().any(|d| d == s.digest) {
            report.duplicate_files.push(DuplicateFile {
                source: s.name.to_owned(),
                same_as: "the base".to_owned(),
            });
            "already merged"
        } else if let Some(first) = used.iter().find(|u| u.digest == s.digest) {
            report.duplicate_files.push(DuplicateFile {
                source: s.name.to_owned(),
                same_as: first.name.to_owned(),
            });
            "duplicate"
        } else {
            used.push(*s);
            "merged"
        };
        report.sources.push(SourceSummary {
            source: s.name.to_owned(),
            digest: s.digest.to_owned(),
            status: status.to_owned(),
        });
    }

    let base_children = children(&base_keys, base);
    let copies: Vec<Copy<'_>> = used
        .iter()
        .map(|s| Copy::new(base, &keys, (&base_session, &base_children), *s))
        .collect::<Result<_>>()?;

    let columns = Columns::new(base);
    let mut merged_rows: Vec<TextRow> = base.rows.clone();
    let mut changed = Vec::new();
    let mut marks = Vec::new();

    for (i, base_row) in base.rows.iter().enumerate() {
        let child = columns.child(base_row);
        let entries: Vec<(&Copy<'_>, &TextRow)> = copies
            .iter()
            .filter_map(|c| c.row_for_base(i).map(|r| (c, r)))
            .collect();
        for c in &copies {
            if c.row_for_base(i).is_none() && !base_row.is_blank() {
                report.missing_rows.push(MissingRow {
                    row: base_row.row,
                    child: child.clone(),
                    source: c.name.to_owned(),
                });
            }
        }
        if entries.is_empty() {
            continue;
        }
        let mut out = MergeRow {
            columns: &columns,
            base_row,
            merged: &mut merged_rows[i],
            child: &child,
            changed: &mut changed,
            marks: &mut marks,
            report: &mut report,
        };
        out.merge_outcome(&entries);
        out.merge_other_cells(&entries);
    }

    // Rows nurses added: kept once.
    let mut next_row = base.rows.last().map_or(2, |r| r.row + 1);
    let mut added: Vec<(TextRow, Vec<String>)> = Vec::new();
    for c in &copies {
        for row in c.added_rows() {
            let cells: Vec<String> = (0..base.headers.len())
                .map(|i| c.cell(row, i).to_owned())
                .collect();
            let canon: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(i, v)| columns.canonical(i, v).into_owned())
                .collect();
            let same = added.iter_mut().find(|(r, _)| {
                r.cells
                    .iter()
                    .enumerate()
                    .map(|(i, v)| columns.canonical(i, v))
                    .eq(canon.iter().map(String::as_str))
            });
            match same {
                Some((_, sources)) => {
                    if !sources.contains(&c.name.to_owned()) {
                        sources.push(c.name.to_owned());
                    }
                }
                None => {
                    added.push((TextRow::new(next_row, cells), vec![c.name.to_owned()]));
                    next_row += 1;
                }
            }
        }
    }
    for (row, sources) in added {
        let child = columns.child(&row);
        marks.push(CellMark {
            row: row.row,
            column: 0,
            kind: MarkKind::Added,
            note: format!(
                "Added in {}: this row was not on the downloaded list. Check it before the \
                 upload.",
                sources.join(", ")
            ),
        });
        for i in 0..row.cells.len() {
            if !row.cells[i].is_empty() {
                changed.push((row.row, i));
            }
        }
        report.added_rows.push(AddedRow {
            row: row.row,
            child,
            sources,
        });
        merged_rows.push(row);
    }

    let table = Table {
        file: base.file.clone(),
        sheet: base.sheet.clone(),
        kind: base.kind,
        headers: base.headers.clone(),
        rows: merged_rows,
        issues: Vec::new(),
    };
    summarise(&table, base, &columns, &copies, &keys, &mut report);
    Ok(Merged {
        table,
        changed,
        marks,
        report,
    })
}

fn key_columns(table: &Table) -> Result<KeyColumns> {
    let keys = KeyColumns::of(table);
    let missing = keys.missing();
    if missing.is_empty() {
        Ok(keys)
    } else {
        Err(Error::MissingColumns {
            file: table.file.clone(),
            missing: missing.join(", "),
        })
    }
}

/// The session of a sheet: the most common `SESSION_ID` of its fill-in
/// rows (an existing record's row carries the session of that record,
/// which may be another).
fn most_common_session(table: &Table) -> String {
    let Some(col) = table.column(Column::SessionId) else {
        return String::new();
    };
    let uuid = table.column(Column::Uuid);
    let mut counts: HashMap<String, usize> = HashMap::new();
    for r in &table.rows {
        if uuid.is_some_and(|u| !normalise_value(r.get(u)).is_empty()) {
            continue;
        }
        let s = normalise_value(r.get(col));
        if !s.is_empty() {
            *counts.entry(s.into_owned()).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(s, _)| s)
        .unwrap_or_default()
}

/// The children of a sheet, each as (NHS number) or (names and date of
/// birth), whatever the session or programme of their rows.
fn children(keys: &KeyColumns, table: &Table) -> HashSet<Child> {
    table
        .rows
        .iter()
        .filter(|r| !r.is_blank())
        .filter_map(|r| child_of(keys, r))
        .collect()
}

/// The child of a row, by NHS number, else by names and date of birth
/// (`given|family|dob`, as [`KeyColumns::person`] writes them); none when
/// the row names no child.
fn child_of(keys: &KeyColumns, row: &TextRow) -> Option<Child> {
    let (nhs, person) = keys.person(row);
    if !nhs.is_empty() {
        Some(Child::NhsNumber(nhs))
    } else if !person.is_empty() {
        Some(Child::Person(person))
    } else {
        None
    }
}

/// A child, whatever the session or programme of the row.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Child {
    NhsNumber(String),
    Person(String),
}

/// A copy, matched row by row against the base.
struct Copy<'a> {
    name: &'a str,
    table: &'a Table,
    /// For each base column, the copy's column with the same header.
    map: Vec<Option<usize>>,
    /// For each base row, the copy's row that is the same row.
    by_base: Vec<Option<usize>>,
    /// The copy's rows that match no base row.
    unmatched: Vec<usize>,
}

impl<'a> Copy<'a> {
    fn new(
        base: &Table,
        base_keys: &[RowKey],
        (base_session, base_children): (&str, &HashSet<Child>),
        source: Source<'a>,
    ) -> Result<Copy<'a>> {
        let table = source.table;
        let copy_keys = key_columns(table)?;
        let copy_session = most_common_session(table);
        if !base_session.is_empty() && !copy_session.is_empty() && copy_session != base_session {
            return Err(Error::OtherSession {
                file: source.name.to_owned(),
                copy_session,
                base_session: base_session.to_owned(),
            });
        }
        if !base_children.is_empty() {
            let copy_children = children(&copy_keys, table);
            if !copy_children.is_empty() && copy_children.is_disjoint(base_children) {
                return Err(Error::NoSharedChild {
                    file: source.name.to_owned(),
                    base: base.file.clone(),
                    copy_session,
                    base_session: base_session.to_owned(),
                });
            }
        }
        let map: Vec<Option<usize>> = base
            .headers
            .iter()
            .map(|h| table.column_by_key(&h.key))
            .collect();

        // Match by identity; the n-th occurrence of a key matches the n-th.
        let mut index: HashMap<&RowKey, Vec<usize>> = HashMap::new();
        for (i, k) in base_keys.iter().enumerate() {
            index.entry(k).or_default().push(i);
        }
        let mut by_base = vec![None; base.rows.len()];
        let mut unmatched = Vec::new();
        let mut used: HashMap<&RowKey, usize> = HashMap::new();
        let copy_row_keys: Vec<RowKey> = table.rows.iter().map(|r| copy_keys.key(r)).collect();
        for (ci, key) in copy_row_keys.iter().enumerate() {
            if table.rows[ci].is_blank() {
                continue;
            }
            let n = used.entry(key).or_default();
            match index.get(key).and_then(|v| v.get(*n)) {
                Some(&bi) => {
                    by_base[bi] = Some(ci);
                    *n += 1;
                }
                None => unmatched.push(ci),
            }
        }
        // A child whose NHS number, name or date of birth was corrected on
        // the day: the same session and programme, and the rest of the
        // child's identity unchanged.
        let base_cols = KeyColumns::of(base);
        let mut still = Vec::new();
        for ci in unmatched {
            let found = (0..base.rows.len()).find(|&bi| {
                by_base[bi].is_none()
                    && same_child_loosely(&base_cols, &base.rows[bi], &copy_keys, &table.rows[ci])
            });
            match found {
                Some(bi) => by_base[bi] = Some(ci),
                None => still.push(ci),
            }
        }
        Ok(Copy {
            name: source.name,
            table,
            map,
            by_base,
            unmatched: still,
        })
    }

    fn row_for_base(&self, base_row: usize) -> Option<&TextRow> {
        self.by_base[base_row].map(|ci| &self.table.rows[ci])
    }

    fn added_rows(&self) -> impl Iterator<Item = &TextRow> {
        self.unmatched.iter().map(|ci| &self.table.rows[*ci])
    }

    /// The copy's cell in a base column, empty when it has no such column.
    fn cell<'r>(&self, row: &'r TextRow, base_column: usize) -> &'r str {
        self.map[base_column].map_or("", |c| row.get(c))
    }

    fn has_column(&self, base_column: usize) -> bool {
        self.map[base_column].is_some()
    }
}

/// Two fill-in rows of the same session and programme whose children share
/// either the NHS number, or the names and date of birth.
fn same_child_loosely(
    base: &KeyColumns,
    base_row: &TextRow,
    copy: &KeyColumns,
    copy_row: &TextRow,
) -> bool {
    let (
        RowKey::FillIn {
            session: s1,
            programme: p1,
            ..
        },
        RowKey::FillIn {
            session: s2,
            programme: p2,
            ..
        },
    ) = (base.key(base_row), copy.key(copy_row))
    else {
        return false;
    };
    if s1 != s2 || p1 != p2 {
        return false;
    }
    let a = base.person(base_row);
    let b = copy.person(copy_row);
    (!a.0.is_empty() && a.0 == b.0) || (!a.1.is_empty() && a.1 == b.1)
}

/// Where the base's columns are, and how to compare their values.
struct Columns {
    outcome: Vec<usize>,
    other: Vec<usize>,
    child_detail: Vec<bool>,
    date: Vec<bool>,
    /// Compared in upper case (`VACCINATED`, email addresses).
    upper: Vec<bool>,
    headers: Vec<String>,
    given: Option<usize>,
    family: Option<usize>,
    programme: Option<usize>,
    vaccinated: Option<usize>,
    reason: Option<usize>,
    notes: Option<usize>,
    uuid: Option<usize>,
}

impl Columns {
    fn new(base: &Table) -> Columns {
        let outcome: Vec<usize> = OUTCOME_COLUMNS
            .iter()
            .filter_map(|c| base.column(*c))
            .collect();
        let which = |i: usize| -> Option<Column> {
            let key = &base.headers[i].key;
            mavis_domain::Layout::new(true)
                .columns()
                .find(|c| c.matches_key(key))
        };
        Columns {
            other: (0..base.headers.len())
                .filter(|i| !outcome.contains(i))
                .collect(),
            outcome,
            child_detail: (0..base.headers.len())
                .map(|i| which(i).is_some_and(Column::is_child_detail))
                .collect(),
            date: (0..base.headers.len())
                .map(|i| which(i).is_some_and(Column::is_date))
                .collect(),
            upper: (0..base.headers.len())
                .map(|i| {
                    Some(i) == base.column(Column::Vaccinated)
                        || base.headers[i].text.to_lowercase().contains("email")
                })
                .collect(),
            headers: base.headers.iter().map(|h| h.text.clone()).collect(),
            given: base.column(Column::PersonForename),
            family: base.column(Column::PersonSurname),
            programme: base.column(Column::Programme),
            vaccinated: base.column(Column::Vaccinated),
            reason: base.column(Column::ReasonNotVaccinated),
            notes: base.column(Column::Notes),
            uuid: base.column(Column::Uuid),
        }
    }

    /// A value as compared: whitespace normalised, dates in one form,
    /// `y`/`n` and emails in one case.
    fn canonical<'v>(&self, column: usize, value: &'v str) -> Cow<'v, str> {
        let v = normalise_value(value);
        if self.date.get(column).copied().unwrap_or(false) {
            Cow::Owned(canonical_date(&v))
        } else if self.upper.get(column).copied().unwrap_or(false) {
            Cow::Owned(v.to_uppercase())
        } else {
            v
        }
    }

    /// Whether two values of a column compare the same: at once when they
    /// are the same text (most cells of a copy are the base's).
    fn same(&self, column: usize, a: &str, b: &str) -> bool {
        a == b || self.canonical(column, a) == self.canonical(column, b)
    }

    /// `Aisha Begum (HPV)`.
    fn child(&self, row: &TextRow) -> String {
        let get = |i: Option<usize>| {
            i.map_or(String::new(), |i| normalise_value(row.get(i)).into_owned())
        };
        format!(
            "{} {} ({})",
            get(self.given),
            get(self.family),
            get(self.programme)
        )
    }
}

/// One outcome as some copies recorded it: the compared values, and who.
type OutcomeVersion<'c, 'r> = (Vec<String>, Vec<(&'c str, &'r TextRow, &'c Copy<'c>)>);

/// Merging the copies' versions of one base row.
struct MergeRow<'m> {
    columns: &'m Columns,
    base_row: &'m TextRow,
    merged: &'m mut TextRow,
    child: &'m str,
    changed: &'m mut Vec<(u32, usize)>,
    marks: &'m mut Vec<CellMark>,
    report: &'m mut Report,
}

impl MergeRow<'_> {
    /// The outcome cells move together: one copy's recorded outcome is
    /// taken whole; two different ones are one conflict.
    fn merge_outcome(&mut self, entries: &[(&Copy<'_>, &TextRow)]) {
        let cols = &self.columns.outcome;
        if cols.is_empty() {
            return;
        }
        let base_tuple: Vec<String> = cols
            .iter()
            .map(|&c| self.columns.canonical(c, self.base_row.get(c)).into_owned())
            .collect();
        // Each copy's outcome, where it differs from the base.
        let mut versions: Vec<OutcomeVersion<'_, '_>> = Vec::new();
        for (copy, row) in entries {
            let as_base = cols
                .iter()
                .all(|&c| !copy.has_column(c) || copy.cell(row, c) == self.base_row.get(c));
            if as_base {
                continue;
            }
            let tuple: Vec<String> = cols
                .iter()
                .zip(&base_tuple)
                .map(|(&c, base)| {
                    if copy.has_column(c) {
                        self.columns.canonical(c, copy.cell(row, c)).into_owned()
                    } else {
                        base.clone()
                    }
                })
                .collect();
            if tuple == base_tuple {
                continue;
            }
            match versions.iter_mut().find(|(t, _)| *t == tuple) {
                Some((_, who)) => who.push((copy.name, row, copy)),
                None => versions.push((tuple, vec![(copy.name, row, copy)])),
            }
        }
        match versions.len() {
            0 => {}
            1 => {
                let (_, who) = &versions[0];
                let (_, row, copy) = who[0];
                for &c in cols {
                    if copy.has_column(c) {
                        let value = copy.cell(row, c);
                        if !self.columns.same(c, value, self.base_row.get(c)) {
                            set_cell(self.merged, c, value);
                            self.changed.push((self.base_row.row, c));
                        }
                    }
                }
            }
            _ => {
                // What each copy typed, as typed.
                let summary = |row: &TextRow, copy: &Copy<'_>| -> String {
                    let parts: Vec<String> = cols
                        .iter()
                        .map(|&c| normalise_value(copy.cell(row, c)).into_owned())
                        .filter(|v| !v.is_empty())
                        .collect();
                    if parts.is_empty() {
                        "(emptied)".to_owned()
                    } else {
                        parts.join(", ")
                    }
                };
                let values: Vec<SourceValue> = versions
                    .iter()
                    .flat_map(|(_, who)| who.iter())
                    .map(|(name, row, copy)| SourceValue {
                        source: (*name).to_owned(),
                        value: summary(row, copy),
                    })
                    .collect();
                let header_col = self.columns.vaccinated.unwrap_or(cols[0]);
                self.report.conflicts.push(Conflict {
                    row: self.base_row.row,
                    header: self.columns.headers[header_col].clone(),
                    child: self.child.to_owned(),
                    values,
                });
                // Mark each outcome cell the copies disagree on.
                for (k, &c) in cols.iter().enumerate() {
                    let distinct: BTreeSet<&str> =
                        versions.iter().map(|(t, _)| t[k].as_str()).collect();
                    if distinct.len() < 2 {
                        continue;
                    }
                    let lines: Vec<String> = versions
                        .iter()
                        .flat_map(|(_, who)| {
                            who.iter().map(move |(name, row, copy)| {
                                format!("{name}: {:?}", copy.cell(row, c))
                            })
                        })
                        .collect();
                    self.marks.push(CellMark {
                        row: self.base_row.row,
                        column: c,
                        kind: MarkKind::Conflict,
                        note: conflict_note(&lines),
                    });
                }
            }
        }
    }

    /// Every other cell merges on its own.
    fn merge_other_cells(&mut self, entries: &[(&Copy<'_>, &TextRow)]) {
        for &c in &self.columns.other {
            let base_value = self.base_row.get(c);
            let mut base_canon = None;
            let mut versions: Vec<(String, Vec<(&str, &str)>)> = Vec::new();
            for (copy, row) in entries {
                if !copy.has_column(c) {
                    continue;
                }
                let value = copy.cell(row, c);
                if value == base_value {
                    continue;
                }
                let canon = self.columns.canonical(c, value);
                if *base_canon.get_or_insert_with(|| self.columns.canonical(c, base_value)) == canon
                {
                    continue;
                }
                match versions.iter_mut().find(|(v, _)| **v == *canon) {
                    Some((_, who)) => who.push((copy.name, value)),
                    None => versions.push((canon.into_owned(), vec![(copy.name, value)])),
                }
            }
            match versions.len() {
                0 => {}
                1 => {
                    let (_, who) = &versions[0];
                    let (_, value) = who[0];
                    set_cell(self.merged, c, value);
                    self.changed.push((self.base_row.row, c));
                    if self.columns.child_detail[c] {
                        let sources: Vec<&str> = who.iter().map(|(n, _)| *n).collect();
                        let from = normalise_value(self.base_row.get(c)).into_owned();
                        let to = normalise_value(value).into_owned();
                        self.marks.push(CellMark {
                            row: self.base_row.row,
                            column: c,
                            kind: MarkKind::ChangedOnTheDay,
                            note: format!(
                                "Changed on the day in {}: was {from:?}, now {to:?}. Make this \
                                 change in Mavis by hand before the upload.",
                                sources.join(", ")
                            ),
                        });
                        for source in sources {
                            self.report.changes_on_the_day.push(Change {
                                row: self.base_row.row,
                                header: self.columns.headers[c].clone(),
                                child: self.child.to_owned(),
                                from: from.clone(),
                                to: to.clone(),
                                source: source.to_owned(),
                            });
                        }
                    }
                }
                _ => {
                    let values: Vec<SourceValue> = versions
                        .iter()
                        .flat_map(|(_, who)| {
                            who.iter().map(|(name, value)| SourceValue {
                                source: (*name).to_owned(),
                                value: normalise_value(value).into_owned(),
                            })
                        })
                        .collect();
                    let lines: Vec<String> = values
                        .iter()
                        .map(|v| format!("{}: {:?}", v.source, v.value))
                        .collect();
                    self.marks.push(CellMark {
                        row: self.base_row.row,
                        column: c,
                        kind: MarkKind::Conflict,
                        note: conflict_note(&lines),
                    });
                    self.report.conflicts.push(Conflict {
                        row: self.base_row.row,
                        header: self.columns.headers[c].clone(),
                        child: self.child.to_owned(),
                        values,
                    });
                }
            }
        }
    }
}

fn conflict_note(lines: &[String]) -> String {
    format!(
        "The copies disagree:\n{}\nThe downloaded value is kept; type the right one here.",
        lines.join("\n")
    )
}

/// Counts, not-seen lists, follow-ups and the digest.
fn summarise(
    table: &Table,
    base: &Table,
    columns: &Columns,
    copies: &[Copy<'_>],
    base_keys: &[RowKey],
    report: &mut Report,
) {
    let get = |row: &TextRow, i: Option<usize>| {
        i.map_or(String::new(), |i| normalise_value(row.get(i)).into_owned())
    };
    let keys = KeyColumns::of(table);
    report.rows = table.rows.iter().filter(|r| !r.is_blank()).count();
    let children: BTreeSet<String> = table
        .rows
        .iter()
        .filter(|r| !r.is_blank())
        .map(|r| {
            let (nhs, person) = keys.person(r);
            if nhs.is_empty() {
                person
            } else {
                nhs
            }
        })
        .collect();
    report.children = children.len();
    let seen = SeenColumns::of(&table.headers);
    for row in &table.rows {
        let is_fill_in = get(row, columns.uuid).is_empty();
        let vaccinated = get(row, columns.vaccinated);
        if is_fill_in && !row.is_blank() {
            let child = format!("{} {}", get(row, columns.given), get(row, columns.family));
            match seen.seen(row) {
                Seen::NotSeen => report
                    .not_seen
                    .entry(get(row, columns.programme))
                    .or_default()
                    .push(child),
                Seen::Absent(reason) => report.absent.push(Absence {
                    row: row.row,
                    child: format!("{child}, {}", get(row, columns.programme)),
                    reason: reason.text().to_owned(),
                    action: ABSENCE_ACTION.to_owned(),
                }),
                Seen::Recorded => report
                    .recorded
                    .total
                    .add(&vaccinated, &get(row, columns.reason)),
            }
        }
        let notes = get(row, columns.notes).to_lowercase();
        let subcutaneous = ["subcut", "sub-cut", "sub cut", "s/c"]
            .iter()
            .any(|w| notes.contains(w));
        if mavis_domain::parse_vaccinated(&vaccinated) == Some(true) && subcutaneous {
            report.follow_ups.push(FollowUp {
                row: row.row,
                child: columns.child(row),
                action: "the notes say it was given subcutaneously: Mavis records every injection \
                         as intramuscular, so edit the vaccination's method in Mavis after the \
                         upload"
                    .to_owned(),
            });
        }
    }
    // Per copy: the outcomes it recorded (changed from the base, or added).
    for copy in copies {
        let mut tally = Tally::default();
        for (bi, ci) in copy.by_base.iter().enumerate() {
            let Some(ci) = ci else { continue };
            let row = &copy.table.rows[*ci];
            let base_row = &base.rows[bi];
            let differs = columns.outcome.iter().any(|&c| {
                copy.has_column(c) && !columns.same(c, copy.cell(row, c), base_row.get(c))
            });
            if differs {
                let v = columns.vaccinated.map_or("", |c| copy.cell(row, c));
                let r = columns.reason.map_or("", |c| copy.cell(row, c));
                tally.add(v, r);
                if matches!(base_keys.get(bi), Some(RowKey::Record { .. })) {
                    report.follow_ups.push(FollowUp {
                        row: base_row.row,
                        child: columns.child(base_row),
                        action: format!(
                            "{} changed an existing vaccination record: the upload will change \
                             that record, and Mavis will ask for the change to be reviewed",
                            copy.name
                        ),
                    });
                }
            }
        }
        for row in copy.added_rows() {
            let v = columns.vaccinated.map_or("", |c| copy.cell(row, c));
            let r = columns.reason.map_or("", |c| copy.cell(row, c));
            tally.add(v, r);
        }
        report
            .recorded
            .per_source
            .insert(copy.name.to_owned(), tally);
    }
    report.follow_ups.sort_by_key(|f| f.row);
    report.outcome_digest = outcome_digest(table);
}

/// Set a cell of the merged row, widening a short (ragged) base row first.
fn set_cell(row: &mut TextRow, c: usize, value: &str) {
    if row.cells.len() <= c {
        row.cells.resize(c + 1, String::new());
    }
    row.cells[c] = value.to_owned();
}
