//! The reader: CSV bytes into rows of text (`import-csv.md` §3.1, §3.2),
//! one row at a time into a reused [`RowText`].
//!
//! The tokenizer is written here rather than taken from the `csv` crate
//! because the upload's syntax differs from RFC 4180 readers in ways that
//! decide whether a file is accepted: spaces around a quoted field are
//! ignored, a quote inside an unquoted field or text after a closing quote
//! makes the file malformed, and so does mixing line endings.

use std::borrow::Cow;
use std::io::{self, Read, Seek, SeekFrom};

use encoding_rs::WINDOWS_1252;

use crate::encoding::{detect_encoding, Encoding};
use crate::error::{Error, Malformed};
use crate::row::RowText;
use crate::source::{Source, CHUNK};

/// Where a row sits, in the three ways people and programs count.
///
/// A row that holds a line break inside quotes spans several lines; an
/// empty line is a row in a spreadsheet program but not to Mavis.
///
/// # Examples
///
/// ```
/// use mavis_csv::{Reader, RowText};
///
/// let mut reader = Reader::from_bytes(b"NAME\n\n\"two\nlines\"\nZo\xC3\xAB\n");
/// let mut row = RowText::default();
/// let mut seen = Vec::new();
/// while let Some(at) = reader.read_row(&mut row)? {
///     seen.push((at.line, at.sheet_row, at.mavis_row));
/// }
/// // The header; the quoted row after an empty line; the last row.
/// assert_eq!(seen, [(1, 1, 1), (3, 3, 2), (5, 4, 3)]);
/// # Ok::<(), mavis_csv::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Position {
    /// The line the row starts on, counting every line of the file from 1
    /// (lines inside quoted fields and empty lines too): where a text
    /// editor shows it.
    pub line: u64,
    /// The row a spreadsheet program shows it on when it opens the file:
    /// every row and every empty line before it count (the header is 1).
    pub sheet_row: u32,
    /// The row number Mavis prints in its messages: empty lines are not
    /// counted (the header is 1).
    pub mavis_row: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineEnd {
    CrLf,
    Lf,
    Cr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
    AfterClose,
}

/// The reader of upload CSV: the one way a CSV file is read in this
/// workspace. It handles the byte order mark, UTF-16 and UTF-32 (by
/// transcoding) and Windows-1252 (what Excel's plain "CSV (Comma
/// delimited)" writes), and reads rows one at a time into a [`RowText`],
/// each with its [`Position`]. Over text in memory it reads in place.
///
/// # Examples
///
/// ```
/// use mavis_csv::{Encoding, Reader, RowText};
///
/// // Windows-1252: the byte 0xEB is "ë", and 0x81 (undefined there) is kept.
/// let mut reader = Reader::from_bytes(b"NAME,NOTE\r\nZo\xEB,\x81\r\n");
/// assert_eq!(reader.encoding(), Encoding::Windows1252);
/// let mut row = RowText::default();
/// reader.read_row(&mut row)?;
/// let at = reader.read_row(&mut row)?.unwrap();
/// assert_eq!((at.mavis_row, row.get(0)), (2, Some("Zo\u{eb}")));
/// assert_eq!(reader.read_row(&mut row)?, None);
/// # Ok::<(), mavis_csv::Error>(())
/// ```
pub struct Reader<'a, R: Read = &'a [u8]> {
    src: Source<R>,
    /// The bytes read and not yet consumed are `buf[pos..len]`: a window
    /// refilled from `src`, or the whole text read in place.
    buf: Cow<'a, [u8]>,
    /// The whole input, when it is text in memory (then `buf` is its bytes).
    text: Option<&'a str>,
    /// Where in `text` the row just taken whole lies, when its cells can be
    /// copied from there as they are.
    taken: Option<(usize, usize)>,
    pos: usize,
    len: usize,
    eof: bool,
    line_end: Option<LineEnd>,
    line: u64,
    /// Rows read so far, and empty lines skipped so far.
    rows: u32,
    empty_lines: u32,
    saw_content: bool,
    encoding: Encoding,
    field: Vec<u8>,
    fields: Vec<(usize, usize)>,
    /// Whether to take usual rows whole (off only in tests, to compare).
    whole_rows: bool,
}

impl std::fmt::Debug for Reader<'_, &[u8]> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader")
            .field("line", &self.line)
            .field("encoding", &self.encoding)
            .finish_non_exhaustive()
    }
}

impl<'a> Reader<'a, &'a [u8]> {
    /// A reader over a whole file in memory. The encoding is settled first
    /// (`import-csv.md` §3.1): a UTF-8 file (the usual upload, with or
    /// without its byte order mark) is read in place, each usual row's
    /// cells copied once; UTF-16 and UTF-32 are transcoded; anything else
    /// is Windows-1252.
    pub fn from_bytes(bytes: &'a [u8]) -> Reader<'a, &'a [u8]> {
        let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
        // UTF-16 and UTF-32 byte order marks are not UTF-8, so those files
        // take the transcoding path.
        if let Ok(text) = std::str::from_utf8(body) {
            let mut reader = Reader::with_source(Source::empty(), Encoding::Utf8);
            reader.buf = Cow::Borrowed(text.as_bytes());
            reader.text = Some(text);
            reader.len = text.len();
            reader.eof = true;
            return reader;
        }
        let encoding = Encoding::of_bytes(bytes);
        match Reader::new(bytes, encoding) {
            Ok(reader) => reader,
            // Reading memory does not fail; were it to, the reader would
            // find the file empty.
            Err(_) => Reader::with_source(Source::empty(), encoding),
        }
    }
}

impl<R: Read + Seek> Reader<'static, R> {
    /// A reader over a file read from `input`, from where it stands. The
    /// bytes are read twice: once to settle the encoding (UTF-8, else
    /// Windows-1252), once for the rows.
    ///
    /// # Errors
    ///
    /// When reading or seeking fails.
    pub fn from_reader(mut input: R) -> io::Result<Reader<'static, R>> {
        let origin = input.stream_position()?;
        let encoding = detect_encoding(&mut input)?;
        input.seek(SeekFrom::Start(origin))?;
        Reader::new(input, encoding)
    }
}

impl<'a, R: Read> Reader<'a, R> {
    /// A reader of `input` in an `encoding` the caller has settled: UTF-8
    /// (also for UTF-16 and UTF-32 files, which are transcoded to it) or
    /// Windows-1252. A UTF-8 row whose bytes turn out not to be UTF-8 is
    /// read with the replacement character; [`Reader::from_reader`] settles
    /// the encoding so that this does not happen.
    ///
    /// # Errors
    ///
    /// When reading the first bytes (to find a byte order mark) fails.
    pub fn new(input: R, encoding: Encoding) -> io::Result<Reader<'a, R>> {
        let mut reader = Reader::with_source(Source::open(input)?, encoding);
        reader.buf = Cow::Owned(vec![0; CHUNK]);
        Ok(reader)
    }

    fn with_source(src: Source<R>, encoding: Encoding) -> Reader<'a, R> {
        Reader {
            src,
            buf: Cow::Borrowed(&[]),
            text: None,
            taken: None,
            pos: 0,
            len: 0,
            eof: false,
            line_end: None,
            line: 1,
            rows: 0,
            empty_lines: 0,
            saw_content: false,
            encoding,
            field: Vec::new(),
            fields: Vec::new(),
            whole_rows: true,
        }
    }

    /// The encoding the rows are decoded with.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The encoding the file was in when it was transcoded to UTF-8 for
    /// reading: `Some("UTF-16")` or `Some("UTF-32")` after their byte
    /// order marks, `None` for a UTF-8 or Windows-1252 file.
    ///
    /// # Examples
    ///
    /// ```
    /// use mavis_csv::Reader;
    ///
    /// let utf16: Vec<u8> = [0xFF, 0xFE].into_iter()
    ///     .chain("A\r\n".encode_utf16().flat_map(u16::to_le_bytes))
    ///     .collect();
    /// assert_eq!(Reader::from_bytes(&utf16).transcoded_from(), Some("UTF-16"));
    /// assert_eq!(Reader::from_bytes(b"A\r\n").transcoded_from(), None);
    /// ```
    pub fn transcoded_from(&self) -> Option<&'static str> {
        match self.src {
            Source::Plain(_) => None,
            Source::Utf16 { .. } => Some("UTF-16"),
            Source::Utf32 { .. } => Some("UTF-32"),
        }
    }

    /// Whether anything but whitespace has been read so far.
    pub fn saw_content(&self) -> bool {
        self.saw_content
    }

    /// Whether anything but whitespace follows (reads to the end): after a
    /// [`Error::Malformed`], whether the file held only whitespace after
    /// all.
    ///
    /// # Errors
    ///
    /// When reading fails.
    pub fn rest_has_content(&mut self) -> io::Result<bool> {
        loop {
            match self.next_byte() {
                Ok(Some(b)) if !b.is_ascii_whitespace() => return Ok(true),
                Ok(Some(_)) => {}
                Ok(None) | Err(Error::Malformed(_)) => return Ok(false),
                Err(Error::Io(e)) => return Err(e),
            }
        }
    }

    #[cold]
    #[inline(never)]
    fn refill(&mut self) -> Result<bool, Error> {
        if self.pos < self.len {
            return Ok(true);
        }
        if self.eof {
            return Ok(false);
        }
        // Only a refilled window gets here: text in memory starts at its end.
        let n = self.src.read(self.buf.to_mut()).map_err(|e| {
            if e.kind() == io::ErrorKind::InvalidData {
                Error::Malformed(Malformed {
                    line: self.line,
                    what: "the bytes are not valid text in the encoding the byte order mark names",
                })
            } else {
                Error::Io(e)
            }
        })?;
        self.pos = 0;
        self.len = n;
        if n == 0 {
            self.eof = true;
        }
        Ok(n > 0)
    }

    #[inline(always)]
    fn next_byte(&mut self) -> Result<Option<u8>, Error> {
        if self.pos < self.len || self.refill()? {
            let b = self.buf[self.pos];
            self.pos += 1;
            Ok(Some(b))
        } else {
            Ok(None)
        }
    }

    fn peek_byte(&mut self) -> Result<Option<u8>, Error> {
        if self.pos < self.len || self.refill()? {
            Ok(Some(self.buf[self.pos]))
        } else {
            Ok(None)
        }
    }

    /// Copy the bytes that follow, up to the next one in `stops`, into the
    /// field: the fast path for the inside of a field.
    #[inline(always)]
    fn copy_run(&mut self, stop: fn(u8) -> bool) {
        let rest = &self.buf[self.pos..self.len];
        let run = rest.iter().position(|&c| stop(c)).unwrap_or(rest.len());
        self.field.extend_from_slice(&rest[..run]);
        self.pos += run;
    }

    fn malformed(&self, what: &'static str) -> Error {
        Error::Malformed(Malformed {
            line: self.line,
            what,
        })
    }

    /// Consume a line break starting with `b` (CR or LF) outside a quoted
    /// field, checking it is the file's line ending.
    fn line_break(&mut self, b: u8) -> Result<(), Error> {
        let found = if b == b'\r' {
            if self.peek_byte()? == Some(b'\n') {
                LineEnd::CrLf
            } else {
                LineEnd::Cr
            }
        } else {
            LineEnd::Lf
        };
        let expected = *self.line_end.get_or_insert(found);
        let ok = match expected {
            LineEnd::CrLf => found == LineEnd::CrLf,
            LineEnd::Lf => found == LineEnd::Lf,
            LineEnd::Cr => b == b'\r',
        };
        if !ok {
            return Err(self.malformed(
                "the file mixes line endings (a row ends differently from the first row)",
            ));
        }
        if found == LineEnd::CrLf && expected == LineEnd::CrLf {
            self.pos += 1;
        }
        self.line += 1;
        Ok(())
    }

    /// A line break inside a quoted field: any kind is allowed, but the first
    /// one of the file still sets the file's line ending.
    fn quoted_line_break(&mut self, b: u8) -> Result<(), Error> {
        if self.line_end.is_none() {
            let found = if b == b'\n' {
                LineEnd::Lf
            } else if self.peek_byte()? == Some(b'\n') {
                LineEnd::CrLf
            } else {
                LineEnd::Cr
            };
            self.line_end = Some(found);
        }
        if b == b'\n' || self.peek_byte()? != Some(b'\n') {
            self.line += 1;
        }
        Ok(())
    }

    fn end_field(&mut self, start: usize) {
        self.fields.push((start, self.field.len()));
    }

    /// Read the next row into `row`, skipping empty lines: where it sits,
    /// or `None` at the end of the file.
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`] when the file breaks the CSV syntax (Mavis
    /// refuses the whole file), [`Error::Io`] when reading fails.
    pub fn read_row(&mut self, row: &mut RowText) -> Result<Option<Position>, Error> {
        loop {
            let start_line = self.line;
            if self.whole_rows && self.whole_row()? {
                // Every cell of a row taken whole starts and ends beside an
                // ASCII delimiter or at the row's ends: on a character
                // boundary whenever the row is UTF-8.
                return self.finish_row(row, start_line, false);
            }
            self.field.clear();
            self.fields.clear();
            let mut state = State::FieldStart;
            let mut field_start = 0usize;
            let mut line_has_bytes = false;
            let mut ended_by_eof = false;
            let mut quote_line = self.line;
            loop {
                let Some(b) = self.next_byte()? else {
                    ended_by_eof = true;
                    break;
                };
                if !b.is_ascii_whitespace() {
                    self.saw_content = true;
                }
                match state {
                    State::FieldStart => match b {
                        // A line of only spaces and tabs is skipped as an
                        // empty line is, as Mavis's CSV parser skips it
                        // (issue 17, item 4).
                        b' ' | b'\t' => {}
                        b'\x0b' | b'\x0c' => line_has_bytes = true,
                        b'"' => {
                            line_has_bytes = true;
                            quote_line = self.line;
                            state = State::Quoted;
                        }
                        b',' => {
                            line_has_bytes = true;
                            self.end_field(field_start);
                            field_start = self.field.len();
                        }
                        b'\r' | b'\n' => {
                            self.line_break(b)?;
                            if !line_has_bytes {
                                // An empty line: skipped, and not counted
                                // by Mavis.
                                self.empty_lines = self.empty_lines.saturating_add(1);
                                break;
                            }
                            self.end_field(field_start);
                            return self.finish_row(row, start_line, true);
                        }
                        _ => {
                            line_has_bytes = true;
                            self.field.push(b);
                            self.copy_run(|c| matches!(c, b',' | b'"' | b'\r' | b'\n'));
                            state = State::Unquoted;
                        }
                    },
                    State::Unquoted => match b {
                        b',' => {
                            self.end_field(field_start);
                            field_start = self.field.len();
                            state = State::FieldStart;
                        }
                        b'"' => {
                            return Err(self.malformed("a quote appears inside an unquoted field"))
                        }
                        b'\r' | b'\n' => {
                            self.line_break(b)?;
                            self.end_field(field_start);
                            return self.finish_row(row, start_line, true);
                        }
                        _ => {
                            self.field.push(b);
                            self.copy_run(|c| matches!(c, b',' | b'"' | b'\r' | b'\n'));
                        }
                    },
                    State::Quoted => match b {
                        b'"' => state = State::QuoteInQuoted,
                        b'\r' | b'\n' => {
                            self.quoted_line_break(b)?;
                            self.field.push(b);
                        }
                        _ => {
                            if !b.is_ascii_whitespace() {
                                self.saw_content = true;
                            }
                            self.field.push(b);
                            self.copy_run(|c| matches!(c, b'"' | b'\r' | b'\n'));
                        }
                    },
                    // After a closing quote: a second quote is an escaped
                    // one, but only straight after it; blanks may follow.
                    State::QuoteInQuoted | State::AfterClose => match b {
                        b'"' if state == State::QuoteInQuoted => {
                            self.field.push(b'"');
                            state = State::Quoted;
                        }
                        b',' => {
                            self.end_field(field_start);
                            field_start = self.field.len();
                            state = State::FieldStart;
                        }
                        b' ' | b'\t' | b'\x0b' | b'\x0c' => state = State::AfterClose,
                        b'\r' | b'\n' => {
                            self.line_break(b)?;
                            self.end_field(field_start);
                            return self.finish_row(row, start_line, true);
                        }
                        _ => {
                            return Err(
                                self.malformed("text follows the closing quote of a quoted field")
                            )
                        }
                    },
                }
            }
            if ended_by_eof {
                if state == State::Quoted {
                    return Err(Error::Malformed(Malformed {
                        line: quote_line,
                        what: "a quoted field is never closed",
                    }));
                }
                if !line_has_bytes {
                    return Ok(None);
                }
                self.end_field(field_start);
                return self.finish_row(row, start_line, true);
            }
        }
    }

    /// The fast path for the usual row: when the buffer holds the whole
    /// row, its cells are plain or quoted (quotes doubled inside, line
    /// breaks allowed), no cell starts with a space or tab and nothing
    /// follows a closing quote but a comma or the line break, take the row
    /// in one copy and find its cells in it. Anything else (and an empty
    /// line) is left to the byte-by-byte reader, which reads such a row the
    /// same way; a test holds the two to that.
    fn whole_row(&mut self) -> Result<bool, Error> {
        self.taken = None;
        let rest = &self.buf[self.pos..self.len];
        let blank = |b: u8| matches!(b, b' ' | b'\t' | b'\x0b' | b'\x0c');
        self.fields.clear();
        // What the row's quoted line breaks do, kept aside until the row is
        // taken.
        let mut line_end = self.line_end;
        let mut lines = 0;
        let mut doubled_quotes = false;
        let mut i = 0;
        let end = loop {
            // The start of a cell.
            let Some(&c) = rest.get(i) else {
                return Ok(false);
            };
            match c {
                b'"' => {
                    let start = i + 1;
                    i = start;
                    loop {
                        let Some(q) = memchr::memchr3(b'"', b'\r', b'\n', &rest[i..]) else {
                            return Ok(false);
                        };
                        let q = i + q;
                        let Some(&next) = rest.get(q + 1) else {
                            return Ok(false);
                        };
                        i = q + 1;
                        match rest[q] {
                            b'"' if next == b'"' => {
                                doubled_quotes = true;
                                i += 1;
                            }
                            b'"' => {
                                self.fields.push((start, q));
                                break;
                            }
                            b => {
                                // A line break inside the quotes (as in
                                // `quoted_line_break`).
                                line_end.get_or_insert(match (b, next) {
                                    (b'\n', _) => LineEnd::Lf,
                                    (_, b'\n') => LineEnd::CrLf,
                                    _ => LineEnd::Cr,
                                });
                                if b == b'\n' || next != b'\n' {
                                    lines += 1;
                                }
                            }
                        }
                    }
                    match rest.get(i) {
                        Some(b',') => i += 1,
                        Some(b'\r' | b'\n') => break i,
                        _ => return Ok(false),
                    }
                }
                b'\r' | b'\n' if i == 0 => return Ok(false), // an empty line
                b'\r' | b'\n' => {
                    self.fields.push((i, i));
                    break i;
                }
                c if blank(c) => return Ok(false),
                _ => {
                    // A run of unquoted cells, up to the next quote or line
                    // break.
                    let Some(stop) = memchr::memchr3(b'"', b'\r', b'\n', &rest[i..]) else {
                        return Ok(false);
                    };
                    let stop = i + stop;
                    let mut start = i;
                    for comma in Commas::new(&rest[i..stop]) {
                        self.fields.push((start, i + comma));
                        start = i + comma + 1;
                        if blank(rest[start]) {
                            return Ok(false);
                        }
                    }
                    if rest[stop] == b'"' {
                        if start < stop {
                            // A quote inside an unquoted cell.
                            return Ok(false);
                        }
                        // The next cell is quoted.
                        i = stop;
                    } else {
                        self.fields.push((start, stop));
                        break stop;
                    }
                }
            }
        };
        let b = rest[end];
        if b == b'\r' && end + 1 == rest.len() {
            // Is it CR LF? The next bytes are not read yet.
            return Ok(false);
        }
        if self.text.is_some() && !doubled_quotes {
            // Copied from the text itself when the row is handed over.
            self.taken = Some((self.pos, self.pos + end));
        } else {
            self.field.clear();
            self.field.extend_from_slice(&rest[..end]);
            if doubled_quotes {
                undouble_quotes(&mut self.field, &mut self.fields);
            }
        }
        // The row's first byte is neither blank nor a line break.
        self.saw_content = true;
        self.line_end = line_end;
        self.line += lines;
        self.pos += end + 1;
        self.line_break(b)?;
        Ok(true)
    }

    /// Hand the row's bytes to `row`, checking that its cells start and end
    /// on character boundaries when `check_boundaries`.
    fn finish_row(
        &mut self,
        row: &mut RowText,
        start_line: u64,
        check_boundaries: bool,
    ) -> Result<Option<Position>, Error> {
        self.rows = self.rows.saturating_add(1);
        let at = Position {
            line: start_line,
            sheet_row: self.rows.saturating_add(self.empty_lines),
            mavis_row: self.rows,
        };
        if let (Some((start, end)), Some(text)) = (self.taken.take(), self.text) {
            // Text in memory is UTF-8 throughout: nothing to check again.
            row.set(&text[start..end], &self.fields);
            return Ok(Some(at));
        }
        // Hand the bytes over without copying when they are UTF-8.
        if self.encoding == Encoding::Utf8
            && row.take_utf8(&mut self.field, &self.fields, check_boundaries)
        {
            return Ok(Some(at));
        }
        row.clear();
        let bytes = &self.field[..];
        for &(start, end) in &self.fields {
            let cell = &bytes[start..end];
            match self.encoding {
                Encoding::Utf8 => row.push(&String::from_utf8_lossy(cell)),
                Encoding::Windows1252 => {
                    row.push(&WINDOWS_1252.decode_without_bom_handling(cell).0);
                }
            }
        }
        Ok(Some(at))
    }
}

/// The positions of the commas in a run of bytes, eight bytes at a time:
/// cells are short, so a word-at-a-time scan beats a search per comma.
struct Commas<'a> {
    words: std::slice::ChunksExact<'a, u8>,
    tail: &'a [u8],
    /// The high bit of each byte of the current word that is a comma.
    mask: u64,
    /// The position of the current word's first byte.
    base: usize,
    /// The position of the next word's first byte.
    next: usize,
}

impl<'a> Commas<'a> {
    fn new(bytes: &'a [u8]) -> Commas<'a> {
        let words = bytes.chunks_exact(8);
        let tail = words.remainder();
        Commas {
            words,
            tail,
            mask: 0,
            base: 0,
            next: 0,
        }
    }
}

/// The high bit of each byte of `word` that is a comma (exact: no carries
/// between bytes).
fn comma_bits(word: u64) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let x = word ^ 0x2C2C_2C2C_2C2C_2C2C; // zero where a byte is a comma
    !(((x & LOW7) + LOW7) | x | LOW7)
}

impl Iterator for Commas<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        loop {
            if self.mask != 0 {
                let bit = self.mask.trailing_zeros() as usize;
                self.mask &= self.mask - 1;
                return Some(self.base + bit / 8);
            }
            if let Some(word) = self.words.next() {
                let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
                self.mask = comma_bits(word);
                self.base = self.next;
                self.next += 8;
            } else if let Some((&b, rest)) = self.tail.split_first() {
                let at = self.next;
                self.next += 1;
                self.tail = rest;
                if b == b',' {
                    return Some(at);
                }
            } else {
                return None;
            }
        }
    }
}

/// Replace each doubled quote inside the cells at `spans` of `text` with
/// one, moving the cells' ends (each cell stays where it starts). The bytes
/// freed at a cell's end become quotes, so that the text between cells stays
/// valid UTF-8 when the cells are.
fn undouble_quotes(text: &mut [u8], spans: &mut [(usize, usize)]) {
    for (start, end) in spans {
        let mut from = *start;
        let mut to = *start;
        while from < *end {
            let b = text[from];
            text[to] = b;
            to += 1;
            from += if b == b'"' { 2 } else { 1 };
        }
        text[to..*end].fill(b'"');
        *end = to;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
        let mut r = Reader::from_bytes(bytes);
        let mut row = RowText::default();
        let mut out = Vec::new();
        loop {
            match r.read_row(&mut row) {
                Ok(Some(_)) => out.push(row.iter().map(str::to_owned).collect()),
                Ok(None) => return Ok(out),
                Err(Error::Malformed(m)) => return Err(m.to_string().replacen("line ", "", 1)),
                Err(e) => return Err(format!("{e:?}")),
            }
        }
    }

    fn ok(bytes: &[u8]) -> Vec<Vec<String>> {
        rows(bytes).unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(bytes)))
    }

    #[test]
    fn syntax() {
        assert_eq!(ok(b"a,b\r\n1,2\r\n"), [["a", "b"], ["1", "2"]]);
        assert_eq!(ok(b"a,b\n1,2"), [["a", "b"], ["1", "2"]]);
        assert_eq!(ok(b"a,b\r1,2\r"), [["a", "b"], ["1", "2"]]);
        assert_eq!(ok(b"a,b\n\n\n1,2\n"), [["a", "b"], ["1", "2"]]);
        assert_eq!(ok(b"a\n,,\n"), [vec!["a"], vec!["", "", ""]]);
        assert_eq!(
            ok(b"\"x,\"\"y\"\"\",  \"z\"  ,\"\"\n"),
            [["x,\"y\"", "z", ""]]
        );
        assert_eq!(ok(b"\"line\r\nbreak\",b\r\n"), [["line\r\nbreak", "b"]]);
        assert_eq!(ok(b"a,b\n\"x\r\ny\",z\n"), [["a", "b"], ["x\r\ny", "z"]]);
        assert_eq!(ok(b" a ; b \n"), [["a ; b "]]); // leading spaces are dropped
        assert_eq!(ok(b""), Vec::<Vec<String>>::new());
        // A line of only spaces and tabs is skipped, as Mavis's parser
        // skips it (issue 17, item 4; the spec read it as a row).
        assert_eq!(ok(b"   \n"), Vec::<Vec<String>>::new());
        assert_eq!(ok(b"a\n \t \n1\n\t"), [["a"], ["1"]]);
        // A doubled quote before non-ASCII text, taken whole.
        assert_eq!(
            ok("a\u{e9}a\n\"\"\"\u{e9}\"\n".as_bytes()),
            [["a\u{e9}a"], ["\"\u{e9}"]]
        );
    }

    #[test]
    fn malformed() {
        for (bytes, expected) in [
            (
                &b"this;csv\nis,,,\n\"malformed\n"[..],
                "3: a quoted field is never closed",
            ),
            (b"a,b\r\nc,d\ne,f\r\n", "2: the file mixes line endings"),
            (b"a,b\nc,d\r\n", "2: the file mixes line endings"),
            // The first line break sets the line ending, even inside quotes.
            (b"\"line\r\nbreak\",b\n", "2: the file mixes line endings"),
            (b"a,b\rc,d\r\n", "3: the file mixes line endings"),
            (
                b"a,b\nc\"d\n",
                "2: a quote appears inside an unquoted field",
            ),
            (b"a,\"b\"c\n", "1: text follows the closing quote"),
            (b"a,\"b\" c\n", "1: text follows the closing quote"),
        ] {
            let got = rows(bytes).unwrap_err();
            assert!(got.starts_with(expected), "{bytes:?}: {got}");
        }
    }

    #[test]
    fn encodings() {
        assert_eq!(ok(b"\xEF\xBB\xBFa,Zo\xC3\xAB\n"), [["a", "Zoë"]]);
        assert_eq!(ok(b"a,Zo\xEB\n"), [["a", "Zoë"]]);
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a,Zoë\r\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(ok(&utf16), [["a", "Zoë"]]);
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("a,Zoë\r\n".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(ok(&utf16be), [["a", "Zoë"]]);
        let utf32: Vec<u8> = [0xFF, 0xFE, 0, 0]
            .into_iter()
            .chain("a,Zoë\n".chars().flat_map(|c| u32::from(c).to_le_bytes()))
            .collect();
        assert_eq!(ok(&utf32), [["a", "Zoë"]]);
        // A lone surrogate in UTF-16 is not text.
        assert!(rows(&[0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'\n', 0]).is_err());
        // UTF-8 first, then a byte that is not: the whole file is
        // Windows-1252, as the encoding is settled before any row is read.
        let mixed = &b"Zo\xC3\xAB\nZo\xEB\n"[..];
        for mut r in [
            Reader::from_bytes(mixed),
            Reader::new(mixed, Encoding::Windows1252).unwrap(),
        ] {
            let mut row = RowText::default();
            r.read_row(&mut row).unwrap();
            assert_eq!(row.get(0), Some("ZoÃ«"));
            r.read_row(&mut row).unwrap();
            assert_eq!(row.get(0), Some("Zoë"));
        }
        let mut r = Reader::from_reader(io::Cursor::new(mixed)).unwrap();
        assert_eq!(r.encoding(), Encoding::Windows1252);
        let mut row = RowText::default();
        r.read_row(&mut row).unwrap();
        assert_eq!(row.get(0), Some("ZoÃ«"));
        // Told UTF-8 wrongly, a reader does not fail: the replacement
        // character stands for the byte.
        let mut r = Reader::new(mixed, Encoding::Utf8).unwrap();
        r.read_row(&mut row).unwrap();
        r.read_row(&mut row).unwrap();
        assert_eq!(row.get(0), Some("Zo\u{fffd}"));
    }

    proptest::proptest! {
        /// The word-at-a-time scan finds every comma, and only commas.
        #[test]
        fn commas_are_found(bytes in proptest::collection::vec(
            proptest::sample::select(vec![b',', b'a', b'\xAC', b'\x2D', b'\x2B', 0, 0xFF]),
            0..40,
        )) {
            let expected: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] == b',').collect();
            proptest::prop_assert_eq!(Commas::new(&bytes).collect::<Vec<_>>(), expected);
        }
    }

    /// A source that hands over at most `step` bytes a read, so rows
    /// straddle the reader's buffer.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(out.len()).min(self.bytes.len());
            out[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    /// Everything a reader gives: rows with their lines, how it ends, and
    /// whether it saw content.
    type Trace = (Vec<(Position, Vec<String>)>, String, bool);

    fn read_all<R: Read>(mut r: Reader<'_, R>) -> Trace {
        let mut row = RowText::default();
        let mut out = Vec::new();
        let end = loop {
            match r.read_row(&mut row) {
                Ok(Some(at)) => out.push((at, row.iter().map(str::to_owned).collect())),
                Ok(None) => break format!("end at {}", r.line),
                Err(Error::Malformed(m)) => break format!("{}: {}", m.line, m.what),
                Err(e) => break format!("{e:?}"),
            }
        };
        (out, end, r.saw_content())
    }

    /// What [`trace`] gives, reading text in memory in place.
    fn trace_text(text: &str) -> Trace {
        read_all(Reader::from_bytes(text.as_bytes()))
    }

    /// What a reader of `bytes` handed over `step` bytes at a time gives.
    fn trace(bytes: &[u8], step: usize, whole_rows: bool) -> Trace {
        let mut r = Reader::new(Trickle { bytes, step }, Encoding::Utf8).unwrap();
        r.whole_rows = whole_rows;
        read_all(r)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        /// Taking usual rows whole reads every file exactly as the byte-by-
        /// byte reader does, wherever the buffer breaks.
        #[test]
        fn whole_rows_read_the_same(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "bc", ",", "\"", "\"\"", " ", "\t", "\x0b", "\r", "\n", "\r\n", "\u{e9}", "<ff>",
                ]),
                0..40,
            ),
            step in 1usize..9,
        ) {
            let bytes: Vec<u8> = parts
                .iter()
                .flat_map(|p| if *p == "<ff>" { vec![0xFF] } else { p.as_bytes().to_vec() })
                .collect();
            proptest::prop_assert_eq!(trace(&bytes, step, true), trace(&bytes, step, false));
            proptest::prop_assert_eq!(trace(&bytes, 1 << 20, true), trace(&bytes, step, false));
            if let Ok(text) = std::str::from_utf8(&bytes) {
                proptest::prop_assert_eq!(trace_text(text), trace(&bytes, step, false));
            }
        }
    }

    #[test]
    fn content_tracking() {
        let mut r = Reader::new(&b" \r\n\t\n"[..], Encoding::Utf8).unwrap();
        let mut row = RowText::default();
        while let Ok(Some(_)) = r.read_row(&mut row) {}
        assert!(!r.saw_content());
    }
}
