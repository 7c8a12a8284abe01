//! Integration tests of `mavis-import`: Mavis's conformance fixtures, the
//! single-row cases, the default data set and properties.

mod common;
mod conformance;
mod default_data;
mod hostile;
mod properties;
mod row_cases;
mod throughput;
