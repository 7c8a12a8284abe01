//! Writing rows in the dialect the [`crate::Reader`] reads: what is written
//! is read back cell for cell, by this crate and by Mavis.

use std::io::{self, Write};

/// Writes rows of CSV that Mavis reads back exactly: CR LF line endings
/// (unless a cell of the first row holds another line break: the first line
/// break of a file sets its line ending, so then that one), a cell quoted only when it must be (it holds a comma, a quote or a line
/// break, or starts with a space or tab, which an unquoted cell would
/// lose), quotes doubled inside.
///
/// # Examples
///
/// ```
/// use mavis_csv::Writer;
///
/// let mut w = Writer::new(Vec::new());
/// w.write_row(["NAME", "NOTE"])?;
/// w.write_row(["Zo\u{eb}", "a, b"])?;
/// w.write_row(["\t=1+1", "say \"hi\""])?;
/// assert_eq!(
///     String::from_utf8(w.into_inner()).unwrap(),
///     "NAME,NOTE\r\nZo\u{eb},\"a, b\"\r\n\"\t=1+1\",\"say \"\"hi\"\"\"\r\n"
/// );
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct Writer<W: Write> {
    out: W,
    /// The line ending, once the first row has settled it.
    end: Option<&'static [u8]>,
}

impl<W: Write> Writer<W> {
    /// A writer into `out` (wrap a file in a `BufWriter`).
    pub fn new(out: W) -> Writer<W> {
        Writer { out, end: None }
    }

    /// Write one row.
    ///
    /// # Errors
    ///
    /// When writing fails.
    pub fn write_row<I, S>(&mut self, cells: I) -> io::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut count = 0usize;
        let mut only_empty = true;
        for cell in cells {
            let cell = cell.as_ref();
            if count > 0 {
                self.out.write_all(b",")?;
            }
            count += 1;
            only_empty &= cell.is_empty();
            if self.end.is_none() {
                self.end = first_line_break(cell);
            }
            if needs_quotes(cell) {
                self.out.write_all(b"\"")?;
                for (i, part) in cell.split('"').enumerate() {
                    if i > 0 {
                        self.out.write_all(b"\"\"")?;
                    }
                    self.out.write_all(part.as_bytes())?;
                }
                self.out.write_all(b"\"")?;
            } else {
                self.out.write_all(cell.as_bytes())?;
            }
        }
        if count == 1 && only_empty {
            // A lone empty cell would be an empty line, which is no row.
            self.out.write_all(b"\"\"")?;
        }
        let end = *self.end.get_or_insert(b"\r\n");
        self.out.write_all(end)
    }

    /// Flush the output.
    ///
    /// # Errors
    ///
    /// When flushing fails.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// The output so far.
    pub fn get_ref(&self) -> &W {
        &self.out
    }

    /// The output back.
    pub fn into_inner(self) -> W {
        self.out
    }
}

/// The first line break in a cell, if any.
fn first_line_break(cell: &str) -> Option<&'static [u8]> {
    let at = cell.find(['\r', '\n'])?;
    Some(match &cell.as_bytes()[at..] {
        [b'\r', b'\n', ..] => b"\r\n",
        [b'\r', ..] => b"\r",
        _ => b"\n",
    })
}

/// Whether a cell must be quoted to be read back as it is.
fn needs_quotes(cell: &str) -> bool {
    cell.starts_with([' ', '\t', '\x0b', '\x0c'])
        || cell
            .bytes()
            .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Reader, RowText};

    fn read_back(bytes: &[u8]) -> Vec<Vec<String>> {
        let mut reader = Reader::from_bytes(bytes);
        let mut row = RowText::default();
        let mut rows = Vec::new();
        while reader.read_row(&mut row).unwrap().is_some() {
            rows.push(row.iter().map(str::to_owned).collect());
        }
        rows
    }

    proptest::proptest! {
        /// Whatever the cells, the reader reads back what was written.
        #[test]
        fn what_is_written_is_read_back(rows in proptest::collection::vec(
            proptest::collection::vec("[ a\t\",\r\n\u{e9}\x0b]{0,6}", 1..5),
            0..6,
        )) {
            let mut w = Writer::new(Vec::new());
            for row in &rows {
                w.write_row(row).unwrap();
            }
            proptest::prop_assert_eq!(read_back(&w.into_inner()), rows);
        }
    }
}
