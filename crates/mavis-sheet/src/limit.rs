//! Which of the [`ReadLimits`](crate::ReadLimits) a file went over, and
//! how an error says so. Both the limits and the error name it, so it
//! stands apart from both.

const MIB: u64 = 1024 * 1024;

/// Which limit of [`ReadLimits`](crate::ReadLimits) a file went over.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// [`crate::ReadLimits::max_file_bytes`].
    FileBytes,
    /// [`crate::ReadLimits::max_uncompressed_bytes`].
    UncompressedBytes,
    /// [`crate::ReadLimits::max_part_bytes`].
    PartBytes,
    /// [`crate::ReadLimits::max_compression_ratio`].
    CompressionRatio,
    /// [`crate::ReadLimits::max_parts`].
    Parts,
    /// [`crate::ReadLimits::max_rows`].
    Rows,
    /// [`crate::ReadLimits::max_columns`].
    Columns,
    /// [`crate::ReadLimits::max_cells`].
    Cells,
    /// [`crate::ReadLimits::max_cell_chars`].
    CellChars,
    /// [`crate::ReadLimits::max_csv_line_bytes`].
    CsvLineBytes,
}

impl Limit {
    /// An amount of what this limit counts, in words: `"50.0 MiB"`,
    /// `"20000 data rows"`.
    fn amount(self, n: u64) -> String {
        let plural = |one: &str, many: &str| {
            if n == 1 {
                format!("{n} {one}")
            } else {
                format!("{n} {many}")
            }
        };
        match self {
            Limit::FileBytes
            | Limit::UncompressedBytes
            | Limit::PartBytes
            | Limit::CsvLineBytes => bytes(n),
            Limit::CompressionRatio => format!("{n} to 1"),
            Limit::Parts => plural("part", "parts"),
            Limit::Rows => plural("data row", "data rows"),
            Limit::Columns => plural("column", "columns"),
            Limit::Cells => plural("cell", "cells"),
            Limit::CellChars => plural("character", "characters"),
        }
    }

    /// What is measured, before the amount found.
    fn subject(self) -> &'static str {
        match self {
            Limit::FileBytes => "the file is",
            Limit::UncompressedBytes => "its parts unpack to",
            Limit::PartBytes => "one part unpacks to",
            Limit::CompressionRatio => "one part is packed",
            Limit::Parts => "it has",
            Limit::Rows => "it has at least",
            Limit::Columns | Limit::Cells => "it has at least",
            Limit::CellChars => "a cell holds",
            Limit::CsvLineBytes => "a line is",
        }
    }

    /// What the reader can do about it.
    fn advice(self) -> &'static str {
        match self {
            Limit::FileBytes | Limit::UncompressedBytes | Limit::PartBytes | Limit::Parts => {
                "a session workbook is a few megabytes, so check this is the right file; \
                 if it is, ask whoever runs the service to raise the limit"
            }
            Limit::CompressionRatio => {
                "spreadsheet programs never pack a workbook so tightly, so this file was made to \
                 exhaust memory or is damaged; do not use it"
            }
            Limit::Rows | Limit::Cells => {
                "split the sheet into smaller files, or ask whoever runs the service to raise \
                 the limit"
            }
            Limit::Columns => {
                "delete the columns past the last header, or check that this is the session sheet"
            }
            Limit::CellChars => "shorten the cell's text",
            Limit::CsvLineBytes => {
                "this is not a CSV file a spreadsheet program saved; check it is the right file"
            }
        }
    }
}

/// A number of bytes in words: `"812 bytes"`, `"50.0 MiB"`.
pub(crate) fn bytes(n: u64) -> String {
    if n < 10 * 1024 {
        format!("{n} bytes")
    } else {
        #[allow(clippy::cast_precision_loss)] // shown to one decimal place
        let mib = n as f64 / MIB as f64;
        format!("{mib:.1} MiB")
    }
}

/// The message of [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge) after the file name.
pub(crate) fn too_large_message(what: Limit, at: &str, limit: u64, found: u64) -> String {
    let at = if at.is_empty() {
        String::new()
    } else {
        format!(" ({at})")
    };
    format!(
        "too large to read{at}: {} {}, over the limit of {}; {}",
        what.subject(),
        what.amount(found),
        what.amount(limit),
        what.advice()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        assert_eq!(
            too_large_message(Limit::FileBytes, "", 50 * MIB, 60 * MIB),
            "too large to read: the file is 60.0 MiB, over the limit of 50.0 MiB; a session \
             workbook is a few megabytes, so check this is the right file; if it is, ask whoever \
             runs the service to raise the limit"
        );
        assert_eq!(
            too_large_message(Limit::CellChars, "row 3, column B", 32_767, 40_000),
            "too large to read (row 3, column B): a cell holds 40000 characters, over the limit \
             of 32767 characters; shorten the cell's text"
        );
    }
}
