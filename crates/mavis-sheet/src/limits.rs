//! Limits on what a spreadsheet read may cost, so that no file, however
//! broken or hostile, can exhaust the memory of a service that embeds this
//! crate: the size of the file, of a workbook's unpacked parts (zip bombs),
//! rows, columns, cells, the length of a cell and of a CSV line.
//!
//! [`ReadLimits::default`] suits a service reading nurses' copies; change a
//! field to suit yours and pass the limits to [`read_bytes_with`] or
//! [`read_path_with`].
//!
//! [`read_bytes_with`]: crate::read_bytes_with
//! [`read_path_with`]: crate::read_path_with

use std::io::{Cursor, Read};

use crate::error::{Error, ErrorKind, Result};
use crate::limit::bytes;
pub(crate) use crate::limit::Limit;

const MIB: u64 = 1024 * 1024;

/// The most data rows Mavis accepts in one upload (the domain's one
/// statement of it).
pub use mavis_domain::UPLOAD_MAX_ROWS;

/// Limits on reading one spreadsheet.
///
/// Every field is public: start from [`ReadLimits::default`] (or
/// [`ReadLimits::upload`]) and change what your service needs.
///
/// # Examples
///
/// ```
/// use mavis_sheet::{read_bytes_with, ErrorKind, Limit, ReadLimits};
///
/// let mut limits = ReadLimits::default();
/// limits.max_rows = 1;
/// let csv = "PERSON_FORENAME\r\nAisha\r\nBen\r\n";
/// let err = read_bytes_with(csv.as_bytes(), "nurse-b.csv", &limits).unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::TooLarge { what: Limit::Rows, .. }));
/// assert_eq!(
///     err.to_string(),
///     "nurse-b.csv: too large to read: it has at least 2 data rows, over the limit of 1 data \
///      row; split the sheet into smaller files, or ask whoever runs the service to raise \
///      the limit"
/// );
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadLimits {
    /// The size of the file as stored (a workbook compressed), in bytes:
    /// 50 MiB.
    pub max_file_bytes: u64,
    /// The size of all a workbook's parts unpacked, in bytes: 200 MiB.
    pub max_uncompressed_bytes: u64,
    /// The size of one part of a workbook unpacked, in bytes: 100 MiB.
    pub max_part_bytes: u64,
    /// How many times larger than its packed size a part may unpack to,
    /// for parts over 1 MiB: 200 (spreadsheet XML packs about 10 to 1;
    /// zip bombs about 1000 to 1).
    pub max_compression_ratio: u64,
    /// The number of parts (files) in a workbook: 10,000.
    pub max_parts: u64,
    /// Data rows, not counting the header row: 100,000 (Mavis itself
    /// accepts [`UPLOAD_MAX_ROWS`]; see [`ReadLimits::upload`]).
    pub max_rows: u64,
    /// Columns: 1,000.
    pub max_columns: u64,
    /// Cells of the grid read (rows times columns, empty ones included):
    /// 10,000,000.
    pub max_cells: u64,
    /// Characters in one cell: 32,767, the most Excel lets a cell hold.
    pub max_cell_chars: u64,
    /// Bytes in one line of a CSV file: 1 MiB.
    pub max_csv_line_bytes: u64,
}

impl Default for ReadLimits {
    fn default() -> ReadLimits {
        ReadLimits {
            max_file_bytes: 50 * MIB,
            max_uncompressed_bytes: 200 * MIB,
            max_part_bytes: 100 * MIB,
            max_compression_ratio: 200,
            max_parts: 10_000,
            max_rows: 100_000,
            max_columns: 1_000,
            max_cells: 10_000_000,
            max_cell_chars: 32_767,
            max_csv_line_bytes: MIB,
        }
    }
}

impl ReadLimits {
    /// The defaults, but no more data rows than Mavis accepts in one
    /// upload ([`UPLOAD_MAX_ROWS`]).
    #[must_use]
    pub fn upload() -> ReadLimits {
        ReadLimits {
            max_rows: UPLOAD_MAX_ROWS,
            ..ReadLimits::default()
        }
    }
}

/// An [`ErrorKind::TooLarge`] error.
pub(crate) fn too_large(
    file: &str,
    what: Limit,
    at: impl Into<String>,
    limit: u64,
    found: u64,
) -> Error {
    ErrorKind::TooLarge {
        file: file.to_owned(),
        what,
        at: at.into(),
        limit,
        found,
    }
    .into()
}

/// Parts this small are never refused for their compression ratio.
const RATIO_FLOOR: u64 = MIB;

/// Check a file's size.
pub(crate) fn check_file_size(len: u64, file: &str, limits: &ReadLimits) -> Result<()> {
    if len > limits.max_file_bytes {
        return Err(too_large(
            file,
            Limit::FileBytes,
            "",
            limits.max_file_bytes,
            len,
        ));
    }
    Ok(())
}

/// Check a zip package before a workbook library unpacks it: the sizes its
/// directory declares, their ratio to the packed sizes, and then the bytes
/// each part that is kept whole in memory (shared strings, styles, the
/// workbook and its relationships, …) really unpacks to, counted without
/// keeping them, so that a lying directory cannot make the later reading
/// exhaust memory. Bytes that are not a zip pass; the workbook reader
/// reports them.
///
/// Worksheets are not unpacked here: calamine reads a worksheet cell by
/// cell, refused at the first cell past the row, column and cell limits,
/// and the zip crate fails a part as soon as it unpacks past the size its
/// directory declares (`tests/integration/limits.rs` pins that), so what a worksheet
/// can cost is bounded by its declared size, checked here. Counting the
/// worksheets too would unpack the largest part twice. When reading a
/// worksheet fails, [`explain_sheet_failure`] counts them to say whether
/// the directory lied.
pub(crate) fn check_package(bytes: &[u8], file: &str, limits: &ReadLimits) -> Result<()> {
    check_package_counting(bytes, file, limits, |name| !is_worksheet(name))
}

/// After reading a worksheet of `bytes` failed: the error to report when a
/// part unpacks to more than its directory declares (the zip crate's
/// failure surfaces in calamine as a broken sheet; this names the part as
/// [`check_package`] does for the others), else `error` itself.
pub(crate) fn explain_sheet_failure(
    bytes: &[u8],
    file: &str,
    limits: &ReadLimits,
    error: Error,
) -> Error {
    if !matches!(error.kind(), ErrorKind::Unreadable { .. }) {
        return error;
    }
    match check_package_counting(bytes, file, limits, |_| true) {
        Ok(()) => error,
        Err(lie) => lie,
    }
}

/// Whether a part is a worksheet, which calamine reads cell by cell rather
/// than keeping it whole.
fn is_worksheet(name: &str) -> bool {
    name.strip_prefix("xl/worksheets/")
        .is_some_and(|rest| !rest.contains('/') && rest.ends_with(".xml"))
}

/// [`check_package`], unpacking the parts for which `count` says yes.
fn check_package_counting(
    bytes: &[u8],
    file: &str,
    limits: &ReadLimits,
    count: impl Fn(&str) -> bool,
) -> Result<()> {
    check_file_size(bytes.len() as u64, file, limits)?;
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let parts = zip.len() as u64;
    if parts > limits.max_parts {
        return Err(too_large(file, Limit::Parts, "", limits.max_parts, parts));
    }
    let mut declared_total: u64 = 0;
    let mut actual_total: u64 = 0;
    // The parts together, declared or really unpacked, within the limit.
    let within_total = |total: u64| {
        if total > limits.max_uncompressed_bytes {
            Err(too_large(
                file,
                Limit::UncompressedBytes,
                "",
                limits.max_uncompressed_bytes,
                total,
            ))
        } else {
            Ok(())
        }
    };
    for i in 0..zip.len() {
        let (name, declared, packed) = match zip.by_index_raw(i) {
            Ok(f) => (
                f.name().map_or_else(
                    |_| format!("number {}", i + 1),
                    std::borrow::Cow::into_owned,
                ),
                f.size(),
                f.compressed_size(),
            ),
            Err(_) => continue,
        };
        let at = format!("part {name}");
        if declared > limits.max_part_bytes {
            return Err(too_large(
                file,
                Limit::PartBytes,
                at,
                limits.max_part_bytes,
                declared,
            ));
        }
        declared_total = declared_total.saturating_add(declared);
        within_total(declared_total)?;
        let ratio = declared / packed.max(1);
        if declared > RATIO_FLOOR && ratio > limits.max_compression_ratio {
            return Err(too_large(
                file,
                Limit::CompressionRatio,
                at,
                limits.max_compression_ratio,
                ratio,
            ));
        }
        if !count(&name) {
            continue;
        }
        // Count what the part really unpacks to, without keeping it, and
        // look one byte past what it declares.
        let Ok(mut part) = zip.by_index(i) else {
            continue;
        };
        let mut counter = Counter(0);
        if std::io::copy(&mut (&mut part).take(declared), &mut counter).is_err() {
            // A damaged stream fails at the same byte when the workbook
            // reader unpacks it, before more than was counted here.
            continue;
        }
        let actual = counter.0;
        let mut one = [0u8; 1];
        if actual == declared && !matches!(part.read(&mut one), Ok(0)) {
            return Err(ErrorKind::Unreadable {
                file: file.to_owned(),
                message: format!(
                    "its part {name} unpacks to more than the {declared} bytes its directory \
                     declares, or is damaged; do not use the file"
                ),
            }
            .into());
        }
        actual_total = actual_total.saturating_add(actual);
        within_total(actual_total)?;
    }
    Ok(())
}

/// A sink that counts the bytes written to it.
struct Counter(u64);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Read a part of a zip archive into memory, refusing more than `max`
/// bytes.
pub(crate) fn read_capped(reader: impl Read, max: u64, into: &mut String) -> std::io::Result<()> {
    let mut capped = reader.take(max.saturating_add(1));
    capped.read_to_string(into)?;
    if into.len() as u64 > max {
        return Err(std::io::Error::other(format!(
            "it unpacks to more than {}",
            bytes(max)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_limits() {
        assert_eq!(ReadLimits::upload().max_rows, 20_000);
    }
}
