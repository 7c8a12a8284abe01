//! Integration tests of `mavis-sheet`, one binary: the workbook's snapshots,
//! reading back, round trips, formulas, encryption, annotation, the
//! `Problems` sheet, the reading limits, hostile input, and the reference
//! data read from a workbook itself.

mod annotate;
mod common;
mod crypto;
mod formulas;
mod hostile;
mod limits;
mod problems;
mod read;
mod read_back;
mod round_trip;
mod workbook;
mod workbook_reference;
