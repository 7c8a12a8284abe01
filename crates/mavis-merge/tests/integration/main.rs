//! Integration tests of `mavis-merge`, one binary: the merge rules and laws,
//! and hostile tables.

mod hostile;
mod merge;
