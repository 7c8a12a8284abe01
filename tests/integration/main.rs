//! The project's top-level integration tests: one binary, one module per
//! concern.

mod bench_report;
mod canonical;
mod catalogue;
mod day;
mod examples;
mod libreoffice;
mod one_reader;
mod readme;
