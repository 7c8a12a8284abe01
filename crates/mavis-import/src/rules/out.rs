//! The sink the rules write to: a row's errors, in the order the rules
//! find them.

use mavis_domain::Location;

use crate::columns::{Cell, Header};
use crate::report::{RowError, Rule};

/// Collects a row's errors.
pub(super) struct Out<'a> {
    header: &'a Header,
    row: u32,
    errors: &'a mut Vec<RowError>,
    /// How many errors this row has had.
    pub count: usize,
}

impl<'a> Out<'a> {
    /// A sink for row `row`, pushing to `errors`.
    pub(super) fn new(header: &'a Header, row: u32, errors: &'a mut Vec<RowError>) -> Self {
        Out {
            header,
            row,
            errors,
            count: 0,
        }
    }

    /// An error on the cell at column `index`.
    pub(super) fn col(&mut self, rule: Rule, index: u32, message: impl Into<String>) {
        self.col_with_hint(rule, index, message, None);
    }

    /// An error on the cell at column `index`, with our hint after Mavis's
    /// message.
    pub(super) fn col_with_hint(
        &mut self,
        rule: Rule,
        index: u32,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        self.errors.push(RowError {
            location: Location::cell(self.row, index, self.header.text(index)),
            rule,
            message: message.into(),
            hint,
        });
        self.count += 1;
    }

    /// An error on the whole row.
    pub(super) fn row(&mut self, rule: Rule, message: impl Into<String>) {
        self.errors.push(RowError {
            location: Location::row(self.row),
            rule,
            message: message.into(),
            hint: None,
        });
        self.count += 1;
    }

    /// A column message on column `index`, or a row message when absent.
    pub(super) fn at(&mut self, rule: Rule, index: Option<u32>, message: impl Into<String>) {
        match index {
            Some(i) => self.col(rule, i, message),
            None => self.row(rule, message),
        }
    }

    /// A column that must have a value: `absent` on the row when the file
    /// has no such column, `blank` on the cell when it is empty; otherwise
    /// the cell's index and value, for the rule's own checks.
    pub(super) fn required<'c>(
        &mut self,
        rule: Rule,
        cell: &'c Cell<'_>,
        absent: &'static str,
        blank: &'static str,
    ) -> Option<(u32, &'c str)> {
        match cell {
            Cell::Absent => self.row(rule, absent),
            Cell::Blank(i) => self.col(rule, *i, blank),
            Cell::Value(i, v) => return Some((*i, v)),
        }
        None
    }

    /// A column that has a value only when `applies` (the child was
    /// vaccinated, or was not): otherwise a value "must be blank". When it
    /// applies, a missing value is an error only when `required`; a value
    /// comes back with its index, for the rule's own checks.
    pub(super) fn only_when<'c>(
        &mut self,
        rule: Rule,
        cell: &'c Cell<'_>,
        applies: bool,
        required: bool,
        [absent, blank]: [&'static str; 2],
    ) -> Option<(u32, &'c str)> {
        match (cell, applies) {
            (Cell::Value(i, _), false) => self.col(rule, *i, "must be blank"),
            (Cell::Value(i, v), true) => return Some((*i, v)),
            (_, true) if required => return self.required(rule, cell, absent, blank),
            _ => {}
        }
        None
    }
}
