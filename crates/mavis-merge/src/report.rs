//! What a merge did, for the admin and for other tools (`--report`).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Everything a merge found. Its JSON keys are a public contract.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The base workbook's name.
    pub base: String,
    /// Every copy given, and what became of it.
    pub sources: Vec<SourceSummary>,
    /// Children on the merged sheet.
    pub children: usize,
    /// Data rows on the merged sheet.
    pub rows: usize,
    /// Cells the copies disagree on; the merged sheet keeps the base value.
    pub conflicts: Vec<Conflict>,
    /// Edits to columns a nurse does not own: to be made in Mavis by hand
    /// before the upload.
    pub changes_on_the_day: Vec<Change>,
    /// Rows a nurse added, kept once.
    pub added_rows: Vec<AddedRow>,
    /// Base rows a copy did not have (they stay in the merged sheet).
    pub missing_rows: Vec<MissingRow>,
    /// Copies given twice, or already merged into the base, used once.
    pub duplicate_files: Vec<DuplicateFile>,
    /// Outcomes recorded, per copy and in the merged sheet.
    pub recorded: Recorded,
    /// Per programme, the children still without an outcome.
    pub not_seen: BTreeMap<String, Vec<String>>,
    /// Children a nurse recorded as absent with one of the user guide's
    /// reasons Mavis no longer takes (`did not attend`, `absent from
    /// school`): left out of the upload; the attendance is recorded in
    /// Mavis by hand, beside the changes on the day.
    #[serde(default)]
    pub absent: Vec<Absence>,
    /// What to do in Mavis after the upload.
    pub follow_ups: Vec<FollowUp>,
    /// The digest of the merged sheet's outcome content.
    pub outcome_digest: String,
}

/// A copy and what the merge did with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceSummary {
    /// Its name.
    pub source: String,
    /// The SHA-256 of its bytes.
    pub digest: String,
    /// `merged`, `duplicate` or `already merged`.
    pub status: String,
}

/// A cell, or an outcome, the copies disagree on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// The row in the merged sheet.
    pub row: u32,
    /// The header of the cell (`VACCINATED` for a whole outcome).
    pub header: String,
    /// The child and programme, as people read them.
    pub child: String,
    /// What each copy says.
    pub values: Vec<SourceValue>,
}

/// One copy's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceValue {
    /// The copy.
    pub source: String,
    /// Its value.
    pub value: String,
}

/// A change made on the day to a column the nurse does not own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The row in the merged sheet.
    pub row: u32,
    /// The column's header.
    pub header: String,
    /// The child and programme.
    pub child: String,
    /// The base value.
    pub from: String,
    /// The new value.
    pub to: String,
    /// The copy that changed it.
    pub source: String,
}

/// A row a nurse added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedRow {
    /// The row in the merged sheet.
    pub row: u32,
    /// The child and programme.
    pub child: String,
    /// The copies that have it.
    pub sources: Vec<String>,
}

/// A base row a copy did not have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingRow {
    /// The row in the merged sheet (the base's row).
    pub row: u32,
    /// The child and programme.
    pub child: String,
    /// The copy without it.
    pub source: String,
}

/// A copy used once though given more than once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateFile {
    /// The copy left out.
    pub source: String,
    /// The copy it repeats, or `the base` when it was merged before.
    pub same_as: String,
}

/// Outcomes recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorded {
    /// Per copy: the outcomes it recorded.
    pub per_source: BTreeMap<String, Tally>,
    /// In the merged sheet (fill-in and added rows).
    pub total: Tally,
}

/// Vaccinated, and not vaccinated per reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// `VACCINATED` `Y`.
    pub vaccinated: usize,
    /// `VACCINATED` `N`, per reason as written (lower case).
    pub not_vaccinated: BTreeMap<String, usize>,
}

impl Tally {
    /// Count one outcome: `Y`, or `N` with its reason, the `VACCINATED`
    /// cell read as Mavis reads it ([`mavis_domain::parse_vaccinated`]).
    pub fn add(&mut self, vaccinated: &str, reason: &str) {
        match mavis_domain::parse_vaccinated(vaccinated) {
            Some(true) => self.vaccinated += 1,
            Some(false) => {
                let reason = reason.trim().to_lowercase();
                let reason = if reason.is_empty() {
                    "no reason given".to_owned()
                } else {
                    reason
                };
                *self.not_vaccinated.entry(reason).or_default() += 1;
            }
            None => {}
        }
    }

    /// How many outcomes in all.
    pub fn count(&self) -> usize {
        self.vaccinated + self.not_vaccinated.values().sum::<usize>()
    }
}

/// A child recorded as absent with one of the user guide's reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Absence {
    /// The row in the merged sheet.
    pub row: u32,
    /// The child and programme.
    pub child: String,
    /// The reason as the nurse typed it (`absent from school`).
    pub reason: String,
    /// What to do in Mavis.
    pub action: String,
}

/// Something to do in Mavis after the upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// The row in the merged sheet.
    pub row: u32,
    /// The child and programme.
    pub child: String,
    /// What to do.
    pub action: String,
}

impl Report {
    /// Whether conflicts remain for a person to resolve.
    pub fn has_conflicts(&self) -> bool {
        !self.conflicts.is_empty()
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} vaccinated", self.vaccinated)?;
        let not: usize = self.not_vaccinated.values().sum();
        if not > 0 {
            let reasons: Vec<String> = self
                .not_vaccinated
                .iter()
                .map(|(r, n)| format!("{n} {r}"))
                .collect();
            write!(f, ", {not} not vaccinated ({})", reasons.join(", "))?;
        }
        Ok(())
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Merged into {}: {} children, {} rows.",
            self.base, self.children, self.rows
        )?;
        for s in &self.sources {
            writeln!(f, "  {} ({})", s.source, s.status)?;
        }
        writeln!(f)?;
        writeln!(f, "Recorded:")?;
        for (source, tally) in &self.recorded.per_source {
            writeln!(f, "  {source}: {tally}")?;
        }
        writeln!(f, "  in all: {}", self.recorded.total)?;
        section(
            f,
            "Conflicts to resolve in the merged sheet (amber cells)",
            &self.conflicts,
            |c| {
                let values: Vec<String> = c
                    .values
                    .iter()
                    .map(|v| format!("{}: {:?}", v.source, v.value))
                    .collect();
                format!(
                    "row {}, {} ({}): {}",
                    c.row,
                    c.header,
                    c.child,
                    values.join("; ")
                )
            },
        )?;
        section(
            f,
            "Changes on the day to make in Mavis by hand before the upload (yellow cells)",
            &self.changes_on_the_day,
            |c| {
                format!(
                    "row {}, {} ({}): {:?} -> {:?}, in {}",
                    c.row, c.header, c.child, c.from, c.to, c.source
                )
            },
        )?;
        section(f, "Rows added by nurses (green)", &self.added_rows, |a| {
            format!("row {}: {}, in {}", a.row, a.child, a.sources.join(", "))
        })?;
        section(
            f,
            "Rows missing from a copy (kept from the base)",
            &self.missing_rows,
            |m| format!("row {}: {}, not in {}", m.row, m.child, m.source),
        )?;
        section(f, "Absent, left out of the upload", &self.absent, |a| {
            format!("row {} ({}): {}: {}", a.row, a.child, a.reason, a.action)
        })?;
        section(
            f,
            "Files given more than once (used once)",
            &self.duplicate_files,
            |d| format!("{} is the same as {}", d.source, d.same_as),
        )?;
        if !self.not_seen.is_empty() {
            writeln!(f)?;
            writeln!(f, "Not seen (no outcome yet):")?;
            for (programme, children) in &self.not_seen {
                writeln!(
                    f,
                    "  {programme}: {} ({})",
                    children.len(),
                    children.join(", ")
                )?;
            }
        }
        section(f, "Follow-ups after the upload", &self.follow_ups, |u| {
            format!("row {} ({}): {}", u.row, u.child, u.action)
        })?;
        Ok(())
    }
}

fn section<T>(
    f: &mut fmt::Formatter<'_>,
    title: &str,
    items: &[T],
    line: impl Fn(&T) -> String,
) -> fmt::Result {
    if items.is_empty() {
        return Ok(());
    }
    writeln!(f)?;
    writeln!(f, "{title}:")?;
    for item in items {
        writeln!(f, "  {}", line(item))?;
    }
    Ok(())
}
