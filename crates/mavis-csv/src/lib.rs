//! The one reader of upload CSV in mavis-offline.
//!
//! Mavis reads the vaccination-records CSV with its own rules
//! (`import-csv.md` §3.1, §3.2): it strips a UTF-8, UTF-16 or UTF-32 byte
//! order mark, reads a file that is not UTF-8 as Windows-1252, skips empty
//! lines without counting them, ignores spaces around a quoted field, and
//! refuses the whole file when a quote appears inside an unquoted field,
//! text follows a closing quote, a quoted field is never closed, or the
//! line endings are mixed. RFC 4180 readers such as the `csv` crate accept
//! some of those files silently, and number rows differently.
//!
//! Every part of the workspace that reads a CSV (the validator, the sheet
//! reader that makes a `Table`, and through it the merge, the annotator
//! and the outcome digest) reads it with this [`Reader`], so they all see
//! the same rows and number them the same way: each row comes with its
//! [`Position`], the line it starts on, the row a spreadsheet program shows
//! it on, and the row number Mavis prints.
//!
//! Its [`Writer`] writes rows in the same dialect, quoting what the reader
//! would otherwise change, so that what is written is read back as it was.
//!
//! This crate depends on nothing else of the workspace, as `csv-core`
//! stands beneath `csv`.
//!
//! # Examples
//!
//! ```
//! use mavis_csv::{Error, Reader, RowText};
//!
//! let mut reader = Reader::from_bytes(b"NHS_NUMBER,PERSON_DOB\n\n9449306168,20120211\n");
//! let mut row = RowText::default();
//! let header = reader.read_row(&mut row)?.unwrap();
//! assert_eq!((header.mavis_row, row.get(0)), (1, Some("NHS_NUMBER")));
//! let first = reader.read_row(&mut row)?.unwrap();
//! // After an empty line: row 3 in a spreadsheet program, row 2 to Mavis.
//! assert_eq!((first.sheet_row, first.mavis_row), (3, 2));
//!
//! // A quote inside an unquoted field: Mavis refuses the file.
//! let mut reader = Reader::from_bytes(b"a,b\nc\"d,e\n");
//! reader.read_row(&mut row)?;
//! let Err(Error::Malformed(m)) = reader.read_row(&mut row) else { panic!() };
//! assert_eq!(m.to_string(), "line 2: a quote appears inside an unquoted field");
//! # Ok::<(), Error>(())
//! ```

mod encoding;
mod error;
mod reader;
mod row;
mod source;
mod writer;

pub use encoding::Encoding;
pub use error::{Error, Malformed};
pub use reader::{Position, Reader};
pub use row::RowText;
pub use writer::Writer;
