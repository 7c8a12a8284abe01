//! mavis-demo's integration tests, one binary.

mod document;
mod session;
