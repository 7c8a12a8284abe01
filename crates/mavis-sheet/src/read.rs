//! Reading a spreadsheet back: `.xlsx` (and `.xls`, `.ods`) with calamine,
//! `.csv` with the one CSV reader (mavis-csv, in `csv_table.rs`), into one text grid whose cells keep their
//! origin (`offline-spreadsheet.md` §10, `import-csv.md` §3).

use std::io::{Cursor, Read, Seek};

use calamine::{Data, DataRef, Range, Reader, SheetVisible};
use mavis_domain::chrono::{Duration, NaiveDate};
use mavis_domain::{
    date_in_sheet_form, header_key, normalise_value, CellKind, Column, Header, Layout, Location,
    ReadIssue, Reads, Severity, SourceKind, Table, TextRow,
};

use crate::crypto::{decrypt_workbook, is_encrypted};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::{
    check_file_size, check_package, explain_sheet_failure, too_large, Limit, ReadLimits,
};
use crate::shown::{saved_number, NumberFormat, SavedBy};
use crate::writer::VACCINATIONS_SHEET;

/// Read a spreadsheet from its bytes: a workbook when they are a zip (or an
/// old binary `.xls`), CSV otherwise. `file` names it in messages. The
/// default [`ReadLimits`] apply; [`read_bytes_with`] takes others.
///
/// # Errors
///
/// A typed [`Error`] when the file cannot be read at all: a broken or
/// truncated workbook, a workbook with no sheet to read, or a CSV whose
/// bytes are not text; [`ErrorKind::TooLarge`] when it goes over a limit.
/// Problems with single cells or rows are [`Table::issues`] instead.
///
/// # Examples
///
/// ```
/// use mavis_sheet::read_bytes;
///
/// let csv = "\u{feff}PERSON_FORENAME,Date of vaccination\r\nAisha,20251014\r\n\r\n";
/// let table = read_bytes(csv.as_bytes(), "nurse-b.csv")?;
/// assert_eq!(table.headers[1].key, "date_of_vaccination");
/// assert_eq!(table.rows.len(), 1);
/// assert_eq!(table.rows[0].get(1), "20251014");
/// assert_eq!(table.location(2, 1).to_string(), "nurse-b.csv: row 2, column B (Date of vaccination)");
/// # Ok::<(), mavis_sheet::Error>(())
/// ```
pub fn read_bytes(bytes: &[u8], file: &str) -> Result<Table> {
    read_bytes_with(bytes, file, &ReadLimits::default())
}

/// Read a spreadsheet from its bytes (see [`read_bytes`]) within `limits`:
/// a workbook's packed and unpacked sizes are checked before it is
/// unpacked, rows, columns and cells as they are read.
///
/// # Errors
///
/// As [`read_bytes`]; [`ErrorKind::TooLarge`] names the limit gone over.
///
/// # Examples
///
/// ```
/// use mavis_sheet::{read_bytes_with, ReadLimits};
///
/// let csv = "PERSON_FORENAME,NOTES\r\nAisha,=1+1\r\n";
/// let table = read_bytes_with(csv.as_bytes(), "nurse-b.csv", &ReadLimits::upload())?;
/// assert_eq!(table.rows[0].get(1), "=1+1");
/// # Ok::<(), mavis_sheet::Error>(())
/// ```
pub fn read_bytes_with(bytes: &[u8], file: &str, limits: &ReadLimits) -> Result<Table> {
    check_file_size(bytes.len() as u64, file, limits)?;
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    let is_ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    if is_ole && is_encrypted(bytes) {
        return Err(ErrorKind::Encrypted {
            file: file.to_owned(),
        }
        .into());
    }
    if is_zip {
        check_package(bytes, file, limits)?;
    }
    if is_zip || is_ole {
        within_our_border(file, || read_workbook(bytes, file, limits, View::Value))
    } else {
        crate::csv_table::read_csv(bytes, file, limits)
    }
}

/// A workbook as the spreadsheet program `by` would save it with its own
/// "save as CSV": each cell the text it shows, its number format applied
/// (a `YYYYMMDD` number in a date cell as `########` or `#FMT`, a date in
/// a General cell as its serial, a number of 12 digits or more in Excel's
/// General as `1.23457E+11`), where [`read_bytes`] reads the values. The
/// [`ReadIssue`]s of [`Severity::Shown`] that [`read_bytes`] reports are
/// the cells where the two differ to Mavis. Any other file (a CSV, an old
/// `.xls`) is read as [`read_bytes_with`] reads it.
///
/// # Errors
///
/// As [`read_bytes_with`].
///
/// # Examples
///
/// ```
/// use mavis_domain::chrono::NaiveDate;
/// use mavis_demo::{self as demo, DemoOptions};
/// use mavis_sheet::{edit_sheet, read_as_saved, read_bytes, CellEdit, Entry, OfflineWorkbook, ReadLimits, SavedBy, Severity};
///
/// let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
/// let doc = demo::session(&DemoOptions { children: 3, ..DemoOptions::new(today) });
/// let base = OfflineWorkbook::new(&doc, today).to_bytes()?;
/// // 20261201 typed into the date cell Z2, as the user guide says.
/// let copy = edit_sheet(&base, "nurse-a.xlsx", "Vaccinations", &[
///     CellEdit::new(2, 25, Entry::Number(20261201.0)),
/// ])?;
/// assert_eq!(read_bytes(&copy, "nurse-a.xlsx")?.rows[0].get(25), "20261201");
/// let limits = ReadLimits::default();
/// let excel = read_as_saved(&copy, "nurse-a.xlsx", SavedBy::Excel, &limits)?;
/// assert_eq!(excel.rows[0].get(25), "########");
/// let calc = read_as_saved(&copy, "nurse-a.xlsx", SavedBy::LibreOffice, &limits)?;
/// assert_eq!(calc.rows[0].get(25), "#FMT");
/// let issues = read_bytes(&copy, "nurse-a.xlsx")?.issues;
/// assert!(issues.iter().any(|i| i.severity == Severity::Shown && i.at.row == 2));
/// # Ok::<(), mavis_sheet::Error>(())
/// ```
pub fn read_as_saved(bytes: &[u8], file: &str, by: SavedBy, limits: &ReadLimits) -> Result<Table> {
    check_file_size(bytes.len() as u64, file, limits)?;
    if bytes.starts_with(b"PK\x03\x04") {
        check_package(bytes, file, limits)?;
        within_our_border(file, || read_workbook(bytes, file, limits, View::Saved(by)))
    } else {
        read_bytes_with(bytes, file, limits)
    }
}

/// Read a spreadsheet from its bytes within `limits` (see
/// [`read_bytes_with`]), decrypting it first with `password` when it is a
/// password-protected workbook (see [`is_encrypted`]). Files that are not
/// encrypted are read as they are.
///
/// # Errors
///
/// As [`read_bytes_with`]; [`ErrorKind::WrongPassword`] when the password
/// does not open the workbook. The limits apply to the encrypted file and
/// again to the workbook inside it.
///
/// # Examples
///
/// ```
/// use mavis_sheet::{encrypt_workbook, read_bytes, read_bytes_with_password, ErrorKind, ReadLimits};
/// # use mavis_demo::{self as demo, DemoOptions};
/// # use mavis_domain::chrono::NaiveDate;
/// # let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
/// # let doc = demo::session(&DemoOptions { children: 2, ..DemoOptions::new(today) });
/// let plain = mavis_sheet::OfflineWorkbook::new(&doc, today).to_bytes()?;
/// let locked = encrypt_workbook(&plain, "correct horse", "session.xlsx")?;
///
/// let err = read_bytes(&locked, "session.xlsx").unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::Encrypted { .. }));
///
/// let limits = ReadLimits::default();
/// let table = read_bytes_with_password(&locked, "session.xlsx", "correct horse", &limits)?;
/// assert_eq!(table, read_bytes(&plain, "session.xlsx")?);
/// # Ok::<(), mavis_sheet::Error>(())
/// ```
pub fn read_bytes_with_password(
    bytes: &[u8],
    file: &str,
    password: &str,
    limits: &ReadLimits,
) -> Result<Table> {
    check_file_size(bytes.len() as u64, file, limits)?;
    if is_encrypted(bytes) {
        let plain = decrypt_workbook(bytes, password, file)?;
        read_bytes_with(&plain, file, limits)
    } else {
        read_bytes_with(bytes, file, limits)
    }
}

/// Read a spreadsheet file (see [`read_bytes`]).
///
/// # Errors
///
/// As [`read_bytes`], and when the file cannot be opened.
pub fn read_path(path: &std::path::Path) -> Result<Table> {
    read_path_with(path, &ReadLimits::default())
}

/// Read a spreadsheet file within `limits` (see [`read_bytes_with`]); a
/// file over [`ReadLimits::max_file_bytes`] is refused before it is read.
///
/// # Errors
///
/// As [`read_bytes_with`], and when the file cannot be opened.
pub fn read_path_with(path: &std::path::Path, limits: &ReadLimits) -> Result<Table> {
    let io = |e: std::io::Error| {
        Error::from(ErrorKind::Io {
            file: path.display().to_string(),
            message: e.to_string(),
        })
    };
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(limits.max_file_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    read_bytes_with(&bytes, &name, limits)
}

/// Every row of a named sheet of a workbook, each cell as plain text (no
/// column rules), up to the last non-empty cell of each row, from row 1 and
/// column A: for reading the hidden `Session` sheet. `None` when the workbook has no such sheet.
///
/// # Errors
///
/// [`ErrorKind::Unreadable`] when the bytes are not a workbook,
/// [`ErrorKind::Encrypted`] when they are a password-protected one (decrypt
/// it first with [`decrypt_workbook`]).
pub fn read_sheet_rows(bytes: &[u8], file: &str, sheet: &str) -> Result<Option<Vec<Vec<String>>>> {
    let sheets = read_sheets_rows(bytes, file, &ReadLimits::default(), |name| name == sheet)?;
    Ok(sheets.into_iter().next().map(|(_, rows)| rows))
}

/// The sheets of a workbook whose names `wanted` accepts, in workbook
/// order, each read as [`read_sheet_rows`] reads one (the workbook opened
/// once), within `limits`.
///
/// # Errors
///
/// As [`read_sheet_rows`]; [`ErrorKind::TooLarge`] when a sheet goes over
/// a limit.
pub(crate) fn read_sheets_rows(
    bytes: &[u8],
    file: &str,
    limits: &ReadLimits,
    wanted: impl Fn(&str) -> bool,
) -> Result<Vec<(String, Vec<Vec<String>>)>> {
    if is_encrypted(bytes) {
        return Err(ErrorKind::Encrypted {
            file: file.to_owned(),
        }
        .into());
    }
    check_file_size(bytes.len() as u64, file, limits)?;
    check_package(bytes, file, limits)?;
    within_our_border(file, || sheets_rows(bytes, file, limits, wanted))
}

/// [`read_sheets_rows`] once the file passed its checks.
fn sheets_rows(
    bytes: &[u8],
    file: &str,
    limits: &ReadLimits,
    wanted: impl Fn(&str) -> bool,
) -> Result<Vec<(String, Vec<Vec<String>>)>> {
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        Error::from(ErrorKind::Unreadable {
            file: file.to_owned(),
            message: format!("it is not a workbook a spreadsheet program saved whole ({e})"),
        })
    })?;
    let names: Vec<String> = workbook
        .sheet_names()
        .into_iter()
        .filter(|n| wanted(n))
        .collect();
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let range = sheet_range(&mut workbook, &name, file, limits)
            .map_err(|e| explain_sheet_failure(bytes, file, limits, e))?;
        // Rows and cells where the sheet has them: a sheet whose first
        // cell is not A1 starts with empty rows and cells (within the
        // limits `sheet_range` checked).
        let (top, left) = range.start().unwrap_or((0, 0));
        let rows = std::iter::repeat_with(Vec::new)
            .take(top as usize)
            .chain(range.rows().map(|r| {
                let mut cells: Vec<String> = std::iter::repeat_with(String::new)
                    .take(left as usize)
                    .chain(r.iter().map(|d| plain_text(Value::of(d))))
                    .collect();
                while cells.last().is_some_and(String::is_empty) {
                    cells.pop();
                }
                cells
            }))
            .collect();
        out.push((name, rows));
    }
    Ok(out)
}

// ----- workbooks -----

/// Run `read`, which hands a workbook to calamine, so that a panic in
/// calamine on a broken or hostile file (an overflow on a cell reference
/// of a thousand letters, say) stops at our border as our typed error,
/// not in the service that reads the file.
fn within_our_border<T>(file: &str, read: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|_| {
        Err(ErrorKind::Unreadable {
            file: file.to_owned(),
            message: "it is not a workbook a spreadsheet program saved whole (the workbook \
                      reader failed on it); open it in Excel or LibreOffice and save it again"
                .to_owned(),
        }
        .into())
    })
}

fn read_workbook(bytes: &[u8], file: &str, limits: &ReadLimits, view: View) -> Result<Table> {
    let broken = |message: String| -> Error {
        ErrorKind::Unreadable {
            file: file.to_owned(),
            message,
        }
        .into()
    };
    let date1904 = uses_1904_dates(bytes);
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        broken(format!(
            "it is not a workbook a spreadsheet program saved whole ({e})"
        ))
    })?;
    let metadata: Vec<(String, SheetVisible)> = workbook
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible))
        .collect();
    let mut issues = Vec::new();
    let sheet = if metadata.iter().any(|(n, _)| n == VACCINATIONS_SHEET) {
        VACCINATIONS_SHEET.to_owned()
    } else {
        let first_visible = metadata
            .iter()
            .find(|(_, v)| *v == SheetVisible::Visible)
            .map(|(n, _)| n.clone())
            .ok_or_else(|| {
                broken(format!(
                    "it has no sheet named {VACCINATIONS_SHEET} and no visible sheet to read instead"
                ))
            })?;
        issues.push(ReadIssue {
            at: Location::file(file),
            severity: Severity::Warning,
            message: format!(
                "there is no sheet named {VACCINATIONS_SHEET}; reading the first visible sheet, \
                 {first_visible:?}"
            ),
        });
        first_visible
    };
    let mut table = Table {
        file: file.to_owned(),
        sheet: Some(sheet.clone()),
        kind: SourceKind::Workbook,
        headers: Vec::new(),
        rows: Vec::new(),
        issues,
    };
    if let calamine::Sheets::Xlsx(xlsx) = &mut workbook {
        // The cells as calamine reads them, shared strings not copied: each
        // becomes text once, in its row, with no grid made.
        let mut cells = xlsx_cells(xlsx, &sheet, file, limits)
            .map_err(|e| explain_sheet_failure(bytes, file, limits, e))?;
        let bounds = bounds(&cells);
        fill_table(&mut table, &mut cells, bounds, date1904, view)?;
    } else {
        let range = sheet_range(&mut workbook, &sheet, file, limits)?;
        let (start_row, start_col) = range.start().unwrap_or_default();
        let mut cells: Vec<((u32, u32), &Data)> = range
            .used_cells()
            .map(|(r, c, data)| {
                let at =
                    |i: usize, from: u32| from.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
                ((at(r, start_row), at(c, start_col)), data)
            })
            .collect();
        let bounds = range.start().zip(range.end());
        fill_table(&mut table, &mut cells, bounds, date1904, view)?;
    }
    drop_trailing_blank_rows(&mut table);
    Ok(table)
}

/// A cell of a sheet: its position (row, column, from 0) and value.
trait SheetCell {
    fn position(&self) -> (u32, u32);
    fn value(&self) -> Value<'_>;
}

impl SheetCell for calamine::Cell<DataRef<'_>> {
    fn position(&self) -> (u32, u32) {
        self.get_position()
    }

    fn value(&self) -> Value<'_> {
        Value::of_ref(self.get_value())
    }
}

impl SheetCell for ((u32, u32), &Data) {
    fn position(&self) -> (u32, u32) {
        self.0
    }

    fn value(&self) -> Value<'_> {
        Value::of(self.1)
    }
}

/// The first and last (row, column) of cells, as calamine's grid of them
/// would have.
fn bounds<C: SheetCell>(cells: &[C]) -> Option<((u32, u32), (u32, u32))> {
    let mut positions = cells.iter().map(SheetCell::position);
    let first = positions.next()?;
    Some(positions.fold((first, first), |(start, end), (r, c)| {
        (
            (start.0.min(r), start.1.min(c)),
            (end.0.max(r), end.1.max(c)),
        )
    }))
}

/// Fill `table`'s headers and rows from the cells of its sheet, whose first
/// and last cells are at `bounds`: the header is row 1 from column A to the
/// last non-empty header cell, each later row one row of text as wide as
/// the header, up to the last row with a cell. Where cells repeat a
/// position the last one counts, as in calamine's grid.
fn fill_table<C: SheetCell>(
    table: &mut Table,
    cells: &mut [C],
    bounds: Option<((u32, u32), (u32, u32))>,
    date1904: bool,
    view: View,
) -> Result<()> {
    let sheet = table.sheet.clone().unwrap_or_default();
    let file = table.file.clone();
    let broken = |message: String| -> Error {
        ErrorKind::Unreadable {
            file: file.clone(),
            message,
        }
        .into()
    };
    let Some(((start_row, _), (end_row, _))) = bounds else {
        return Err(broken(format!(
            "the sheet {sheet:?} is empty; it has no header row"
        )));
    };
    if start_row > 0 {
        return Err(broken(format!(
            "the sheet {sheet:?} has nothing in row 1; the header row must be the first row"
        )));
    }
    // Row by row, left to right (a sheet's XML is so ordered, but need not
    // be); sorting is stable, so the last of a repeated position stays last.
    if !cells.windows(2).all(|w| w[0].position() < w[1].position()) {
        cells.sort_by_key(SheetCell::position);
    }
    let repeated = |i: usize| {
        cells
            .get(i + 1)
            .is_some_and(|next| next.position() == cells[i].position())
    };
    let header_end = cells.partition_point(|c| c.position().0 == 0);
    let last_header = cells[..header_end]
        .iter()
        .filter(|c| !matches!(c.value(), Value::Empty))
        .map(|c| c.position().1)
        .max()
        .unwrap_or(0);
    let mut texts = vec![String::new(); last_header as usize + 1];
    for (i, cell) in cells[..header_end].iter().enumerate() {
        if let Some(text) = texts.get_mut(cell.position().1 as usize) {
            if !repeated(i) {
                *text = plain_text(cell.value());
            }
        }
    }
    let Some(kinds) = set_headers(table, &texts) else {
        return Err(broken(format!(
            "it has no sheet named {VACCINATIONS_SHEET}, and its first visible sheet {sheet:?} \
             has none of the session sheet's headers (such as PERSON_FORENAME or VACCINATED) \
             in row 1; open the copy that was downloaded from Mavis"
        )));
    };
    table.rows = (1..=end_row)
        .map(|r| TextRow::new(r + 1, vec![String::new(); kinds.len()]))
        .collect();
    // Whether Mavis reads each column: only there does what the
    // spreadsheet program saves matter.
    let mavis_reads: Vec<bool> = table
        .headers
        .iter()
        .map(|h| Column::named(&h.key).is_some_and(|c| c.reads() != Reads::No))
        .collect();
    for (i, cell) in cells.iter().enumerate().skip(header_end) {
        let (r, c) = cell.position();
        let Some(kind) = kinds.get(c as usize) else {
            continue;
        };
        if repeated(i) || r == 0 || r > end_row {
            continue;
        }
        let mut issue = |severity, message| {
            table.issues.push(ReadIssue {
                at: table_location(&file, &sheet, r + 1, c as usize, &table.headers),
                severity,
                message,
            });
        };
        let text = match view {
            View::Value => {
                let text = cell_text(cell.value(), *kind, date1904, &mut issue);
                if mavis_reads.get(c as usize).copied().unwrap_or(false) {
                    if let Some(message) = shown_wrongly(cell.value(), *kind, date1904, &text) {
                        issue(Severity::Shown, message);
                    }
                }
                text
            }
            View::Saved(by) => saved_text(cell.value(), date1904, by),
        };
        table.rows[r as usize - 1].cells[c as usize] = text;
    }
    Ok(())
}

/// The cells of a sheet within `limits`. An `.xlsx` sheet is read cell by
/// cell and refused at the first cell past a limit, before the grid is
/// made; other formats are checked once calamine has read them (an `.xls`
/// file is no larger unpacked than on disk; an `.ods` is a zip, checked
/// before).
fn sheet_range<RS: Read + Seek>(
    workbook: &mut calamine::Sheets<RS>,
    sheet: &str,
    file: &str,
    limits: &ReadLimits,
) -> Result<Range<Data>> {
    let broken = |e: &dyn std::fmt::Display| -> Error {
        ErrorKind::Unreadable {
            file: file.to_owned(),
            message: format!("the sheet {sheet:?} cannot be read ({e})"),
        }
        .into()
    };
    let calamine::Sheets::Xlsx(xlsx) = workbook else {
        let range = workbook.worksheet_range(sheet).map_err(|e| broken(&e))?;
        if let Some((rows, columns)) = range.end() {
            check_position(rows, columns, file, limits)?;
            for (r, c, data) in range.used_cells() {
                check_cell(data, r, c, file, limits)?;
            }
        }
        return Ok(range);
    };
    let cells = xlsx_cells(xlsx, sheet, file, limits)?;
    Ok(Range::from_sparse(
        cells
            .iter()
            .map(|c| calamine::Cell::new(c.get_position(), Data::from(c.get_value().clone())))
            .collect(),
    ))
}

/// The non-empty cells of an `.xlsx` sheet within `limits`, read one by one
/// and refused at the first past a limit, before any grid is made. A sheet
/// that repeats positions is refused once it holds more cells than the
/// grid limit.
fn xlsx_cells<'a, RS: Read + Seek>(
    xlsx: &'a mut calamine::Xlsx<RS>,
    sheet: &str,
    file: &str,
    limits: &ReadLimits,
) -> Result<Vec<calamine::Cell<DataRef<'a>>>> {
    let broken = |e: &dyn std::fmt::Display| -> Error {
        ErrorKind::Unreadable {
            file: file.to_owned(),
            message: format!("the sheet {sheet:?} cannot be read ({e})"),
        }
        .into()
    };
    let mut reader = match xlsx.worksheet_cells_reader(sheet) {
        Ok(reader) => reader,
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Vec::new()),
        Err(e) => return Err(broken(&e)),
    };
    // Room for the cells the sheet says it spans (its `<dimension>`), as
    // calamine makes for its grid: not past the cell limit, and none for a
    // sheet that says it spans 100,000 cells or more.
    let calamine::Dimensions { start, end } = reader.dimensions();
    let span = |from: u32, to: u32| u64::from(to.saturating_sub(from)) + 1;
    let declared = span(start.0, end.0).saturating_mul(span(start.1, end.1));
    let reserve = if declared < 100_000 {
        declared.min(limits.max_cells)
    } else {
        0
    };
    let mut cells = Vec::with_capacity(usize::try_from(reserve).unwrap_or(0));
    let mut seen = CellsSeen::default();
    while let Some(cell) = reader.next_cell().map_err(|e| broken(&e))? {
        if seen.check(&cell, file, limits)? {
            cells.push(cell);
        }
    }
    Ok(cells)
}

/// The extent of the cells of an `.xlsx` sheet read so far, for refusing
/// the first cell past a limit.
#[derive(Default)]
struct CellsSeen {
    height: u64,
    width: u64,
    count: u64,
}

impl CellsSeen {
    /// Check a cell just read against `limits`: whether it holds anything.
    /// A sheet that repeats positions is refused once it holds more cells
    /// than the grid limit.
    fn check(
        &mut self,
        cell: &calamine::Cell<DataRef<'_>>,
        file: &str,
        limits: &ReadLimits,
    ) -> Result<bool> {
        if matches!(cell.get_value(), DataRef::Empty) {
            return Ok(false);
        }
        let (r, c) = cell.get_position();
        check_position(r, c, file, limits)?;
        if let Value::Text(s) = Value::of_ref(cell.get_value()) {
            check_text(s, r as usize, c as usize, file, limits)?;
        }
        self.height = self.height.max(u64::from(r) + 1);
        self.width = self.width.max(u64::from(c) + 1);
        self.count += 1;
        let grid = (self.height * self.width).max(self.count);
        if grid > limits.max_cells {
            return Err(too_large(file, Limit::Cells, "", limits.max_cells, grid));
        }
        Ok(true)
    }
}

/// Set `table`'s headers from the texts of row 1, from column A to the
/// last non-empty one, and say what each column holds; `None`, with the
/// headers unset, when a sheet read in place of Vaccinations has none of
/// its headers.
fn set_headers(table: &mut Table, texts: &[String]) -> Option<Vec<ColumnKind>> {
    let headers: Vec<Header> = texts.iter().map(|t| header(t)).collect();
    if table.sheet.as_deref() != Some(VACCINATIONS_SHEET)
        && !headers.iter().any(|h| is_known_header(&h.key))
    {
        return None;
    }
    table.headers = headers;
    check_headers(table);
    Some(
        table
            .headers
            .iter()
            .map(|h| ColumnKind::of(&h.key))
            .collect(),
    )
}

/// Refuse a cell past the row or column limits (`row` 0 is the header).
fn check_position(row: u32, column: u32, file: &str, limits: &ReadLimits) -> Result<()> {
    if u64::from(row) > limits.max_rows {
        return Err(too_large(
            file,
            Limit::Rows,
            "",
            limits.max_rows,
            u64::from(row),
        ));
    }
    if u64::from(column) >= limits.max_columns {
        return Err(too_large(
            file,
            Limit::Columns,
            "",
            limits.max_columns,
            u64::from(column) + 1,
        ));
    }
    let cells = (u64::from(row) + 1) * (u64::from(column) + 1);
    if cells > limits.max_cells {
        return Err(too_large(file, Limit::Cells, "", limits.max_cells, cells));
    }
    Ok(())
}

/// Refuse a cell longer than the limit.
fn check_cell(
    data: &Data,
    row: usize,
    column: usize,
    file: &str,
    limits: &ReadLimits,
) -> Result<()> {
    if let Data::String(s) = data {
        check_text(s, row, column, file, limits)?;
    }
    Ok(())
}

/// Refuse text longer than the cell limit (`row` and `column` from 0).
pub(crate) fn check_text(
    s: &str,
    row: usize,
    column: usize,
    file: &str,
    limits: &ReadLimits,
) -> Result<()> {
    if s.len() as u64 > limits.max_cell_chars {
        let chars = s.chars().count() as u64;
        if chars > limits.max_cell_chars {
            let at = format!(
                "row {}, column {}",
                row + 1,
                mavis_domain::column_letter(u32::try_from(column).unwrap_or(u32::MAX))
            );
            return Err(too_large(
                file,
                Limit::CellChars,
                at,
                limits.max_cell_chars,
                chars,
            ));
        }
    }
    Ok(())
}

/// Whether an `.xlsx` package declares the 1904 date system (Excel for Mac
/// once wrote it by default). calamine converts date-formatted cells itself;
/// this is for serials that lost their date format.
fn uses_1904_dates(bytes: &[u8]) -> bool {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return false;
    };
    let Ok(Some(xml)) = crate::package::read_part(&mut zip, crate::package::WORKBOOK) else {
        return false;
    };
    crate::xml::parse(&xml)
        .ok()
        .and_then(|wb| {
            wb.child("workbookPr")
                .and_then(|p| p.attr("date1904"))
                .map(str::to_owned)
        })
        .is_some_and(|v| v == "1" || v == "true")
}

fn table_location(
    file: &str,
    sheet: &str,
    row: u32,
    column: usize,
    headers: &[Header],
) -> Location {
    let header = headers.get(column).map_or("", |h| h.text.as_str());
    Location::cell(row, u32::try_from(column).unwrap_or(u32::MAX), header)
        .in_file(file)
        .in_sheet(sheet)
}

/// What a column holds, for turning numbers into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColumnKind {
    Date,
    Time,
    /// An identifier made of digits that a spreadsheet may have turned into
    /// a number: the digit count it must have, if fixed.
    Digits(Option<usize>),
    Other,
}

impl ColumnKind {
    /// The kind of the column a header key names, from the domain's column
    /// table.
    pub(crate) fn of(key: &str) -> ColumnKind {
        match Column::named(key).map(Column::kind) {
            Some(CellKind::Date) => ColumnKind::Date,
            Some(CellKind::Time) => ColumnKind::Time,
            Some(CellKind::Digits(len)) => ColumnKind::Digits(len),
            Some(CellKind::Text) | None => ColumnKind::Other,
        }
    }
}

/// A cell's value, borrowed from calamine's [`Data`] or [`DataRef`].
#[derive(Debug, Clone, Copy)]
enum Value<'v> {
    Empty,
    /// A string, shared or the cell's own.
    Text(&'v str),
    Int(i64),
    Float(f64),
    Bool(bool),
    DateTime(calamine::ExcelDateTime),
    DateTimeIso(&'v str),
    DurationIso(&'v str),
    Error(&'v calamine::CellErrorType),
}

impl<'v> Value<'v> {
    fn of(data: &'v Data) -> Value<'v> {
        match data {
            Data::Empty => Value::Empty,
            Data::String(s) => Value::Text(s),
            Data::Int(i) => Value::Int(*i),
            Data::Float(f) => Value::Float(*f),
            Data::Bool(b) => Value::Bool(*b),
            Data::DateTime(dt) => Value::DateTime(*dt),
            Data::DateTimeIso(s) => Value::DateTimeIso(s),
            Data::DurationIso(s) => Value::DurationIso(s),
            Data::Error(e) => Value::Error(e),
        }
    }

    fn of_ref(data: &'v DataRef<'_>) -> Value<'v> {
        match data {
            DataRef::Empty => Value::Empty,
            DataRef::String(s) => Value::Text(s),
            DataRef::SharedString(s) => Value::Text(s),
            DataRef::Int(i) => Value::Int(*i),
            DataRef::Float(f) => Value::Float(*f),
            DataRef::Bool(b) => Value::Bool(*b),
            DataRef::DateTime(dt) => Value::DateTime(*dt),
            DataRef::DateTimeIso(s) => Value::DateTimeIso(s),
            DataRef::DurationIso(s) => Value::DurationIso(s),
            DataRef::Error(e) => Value::Error(e),
        }
    }
}

/// A header or a cell that should be text, as text: what calamine's
/// `Display` of the value shows.
fn plain_text(value: Value<'_>) -> String {
    match value {
        Value::Text(s) | Value::DateTimeIso(s) | Value::DurationIso(s) => s.to_owned(),
        Value::Empty => String::new(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::DateTime(dt) => dt.to_string(),
        Value::Error(e) => e.to_string(),
    }
}

/// One cell as the text Excel's "CSV UTF-8" export would show, by the rules
/// of `offline-spreadsheet.md` §10.
fn cell_text(
    value: Value<'_>,
    kind: ColumnKind,
    date1904: bool,
    issue: &mut dyn FnMut(Severity, String),
) -> String {
    match value {
        Value::Empty => String::new(),
        Value::Text(s) => match kind {
            ColumnKind::Digits(_) => strip_point_zero(s),
            _ => s.to_owned(),
        },
        Value::Bool(b) => if b { "TRUE" } else { "FALSE" }.to_owned(),
        Value::Error(e) => {
            let code = e.to_string();
            issue(
                Severity::Error,
                format!(
                    "the cell shows the error {code}, not a value; type the value in again, \
                     without a formula"
                ),
            );
            code
        }
        #[allow(clippy::cast_precision_loss)] // cell integers are far below 2^53
        Value::Int(i) => number_text(i as f64, kind, date1904, issue),
        Value::Float(f) => number_text(f, kind, date1904, issue),
        Value::DateTime(dt) => {
            let value = dt.as_f64();
            if let Some(digits) = yyyymmdd(value) {
                return digits;
            }
            if dt.is_duration() || (0.0..1.0).contains(&value) {
                return time_of_day(value);
            }
            match dt.as_datetime() {
                Some(moment) => moment.date().format("%d/%m/%Y").to_string(),
                None => shortest(value),
            }
        }
        Value::DateTimeIso(s) => iso_text(s),
        Value::DurationIso(s) => s.to_owned(),
    }
}

/// What a workbook is read as: the cells' values (what the upload CSV
/// `mavis-offline csv` writes holds), or the text a spreadsheet program's
/// own "save as CSV" would write of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Value,
    Saved(SavedBy),
}

/// The text `by` writes for a cell when it saves the workbook as CSV (see
/// `shown.rs`).
fn saved_text(value: Value<'_>, date1904: bool, by: SavedBy) -> String {
    match value {
        Value::Int(_) | Value::Float(_) | Value::DateTime(_) => {
            let (number, format) = number_of(value);
            let date = serial_date_checked(number, date1904);
            saved_number(by, number, format, date, &time_of_day(number))
        }
        Value::DateTimeIso(s) => iso_text(s),
        Value::Bool(b) => if b { "TRUE" } else { "FALSE" }.to_owned(),
        other => plain_text(other),
    }
}

/// A numeric cell's number and the kind of format it has.
fn number_of(value: Value<'_>) -> (f64, NumberFormat) {
    match value {
        #[allow(clippy::cast_precision_loss)] // cell integers are far below 2^53
        Value::Int(i) => (i as f64, NumberFormat::General),
        Value::Float(f) => (f, NumberFormat::General),
        Value::DateTime(dt) => (dt.as_f64(), NumberFormat::DateOrTime),
        _ => (0.0, NumberFormat::General),
    }
}

/// Where a number's cell would be saved by Excel or LibreOffice as text
/// Mavis refuses, or reads as something else than `read` (what the reader
/// read of it, and the tool's `csv` writes): the message at the cell, what
/// the program would save and how to put it right.
fn shown_wrongly(value: Value<'_>, kind: ColumnKind, date1904: bool, read: &str) -> Option<String> {
    if !matches!(value, Value::Int(_) | Value::Float(_) | Value::DateTime(_)) {
        return None;
    }
    // The usual numeric cell (a dose, a session id): a whole number of at
    // most 10 digits in General, outside the date and time columns, which
    // both programs save as the digits the reader reads. Nothing to model.
    let (number, format) = number_of(value);
    if format == NumberFormat::General
        && !matches!(kind, ColumnKind::Date | ColumnKind::Time)
        && number.fract() == 0.0
        && number.abs() < 1e10
    {
        return None;
    }
    let wrong: Vec<(SavedBy, String)> = SavedBy::ALL
        .into_iter()
        .map(|by| (by, saved_text(value, date1904, by)))
        .filter(|(_, saved)| !same_to_mavis(kind, read, saved))
        .collect();
    if wrong.is_empty() {
        return None;
    }
    if format == NumberFormat::DateOrTime && yyyymmdd(number).as_deref() == Some(read) {
        return Some(typed_number_date(read));
    }
    let shows = match wrong.as_slice() {
        [(_, e), (_, l)] if e == l => format!("Excel and LibreOffice show it as {e}"),
        [(_, e), (_, l)] => format!("Excel shows it as {e}, LibreOffice as {l}"),
        [(by, t)] => format!("{} shows it as {t}", by.name()),
        _ => String::new(),
    };
    let (what, fix) = match kind {
        ColumnKind::Date => (
            "not formatted as a date",
            match date_in_sheet_form(read) {
                Some(d) => format!("type it again as {}", d.format("%d/%m/%Y")),
                None => "type it again as dd/mm/yyyy".to_owned(),
            },
        ),
        ColumnKind::Time => (
            "not formatted as a time",
            format!("type it again as {}", read.get(..5).unwrap_or(read)),
        ),
        _ => (
            "formatted as a number",
            "format the cell as text and type it again".to_owned(),
        ),
    };
    Some(format!(
        "{read} is stored as the number {number} in a cell {what}: {shows}, and \"save as CSV\" \
         writes that, which Mavis would not read as {read}. To upload by saving as CSV, {fix}; \
         or upload with `mavis-offline csv`, which writes it correctly",
        number = shortest(number),
    ))
}

/// Whether Mavis reads `saved` as it reads `read` in a column of `kind`: a
/// date as the same date, in one of its forms with a four-digit year;
/// anything else only as the same text. A value Mavis would refuse as read
/// is the validator's to report.
fn same_to_mavis(kind: ColumnKind, read: &str, saved: &str) -> bool {
    match kind {
        ColumnKind::Date => match date_in_sheet_form(read) {
            None => true,
            Some(d) => {
                let four_digit_year = saved.len() == 10 || saved.len() == 8;
                four_digit_year && date_in_sheet_form(saved) == Some(d)
            }
        },
        _ => read == saved,
    }
}

/// `9434765919.0` typed or exported as text in an identifier column reads
/// as the digits.
pub(crate) fn strip_point_zero(s: &str) -> String {
    digits_without_point_zero(s).to_owned()
}

/// [`strip_point_zero`], borrowing.
pub(crate) fn digits_without_point_zero(s: &str) -> &str {
    match s.trim().strip_suffix(".0") {
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => digits,
        _ => s,
    }
}

/// A plain number (no date format) as text.
fn number_text(
    value: f64,
    kind: ColumnKind,
    date1904: bool,
    issue: &mut dyn FnMut(Severity, String),
) -> String {
    if kind == ColumnKind::Date {
        if let Some(digits) = yyyymmdd(value) {
            return digits;
        }
    }
    if kind == ColumnKind::Time && (0.0..1.0).contains(&value) {
        return time_of_day(value);
    }
    if kind == ColumnKind::Date && value.fract() == 0.0 && (1.0..2_958_466.0).contains(&value) {
        // A date serial in a date column that lost its date format.
        return serial_date(value, date1904).format("%d/%m/%Y").to_string();
    }
    let text = shortest(value);
    if let ColumnKind::Digits(Some(len)) = kind {
        if value.fract() == 0.0 && value >= 0.0 && text.len() < len {
            issue(
                Severity::Error,
                format!(
                    "{text:?} has {} digits, not {len}: the spreadsheet stored it as a number \
                     and may have dropped leading zeros; format the column as text and type \
                     the value again",
                    text.len()
                ),
            );
        }
    }
    text
}

/// Shortest decimal text: integers up to 15 digits without a decimal
/// point; other numbers as Rust prints them (shortest round-trip form).
fn shortest(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        #[allow(clippy::cast_possible_truncation)] // checked to be integral and small
        let i = value as i64;
        i.to_string()
    } else {
        value.to_string()
    }
}

/// What a `YYYYMMDD` number typed into a date cell does: the message at
/// the cell.
fn typed_number_date(digits: &str) -> String {
    let shown = NaiveDate::parse_from_str(digits, "%Y%m%d")
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default();
    format!(
        "{digits} was typed into a date cell, which stores it as the number {digits}, far past \
         the last date a spreadsheet can show: Excel shows ########, LibreOffice #FMT, and their \
         \"save as CSV\" writes that, which Mavis refuses. Type it as {shown}, or upload with \
         `mavis-offline csv`, which writes it correctly"
    )
}

/// The eight digits of a number typed as `YYYYMMDD`, if it is one.
fn yyyymmdd(value: f64) -> Option<String> {
    if value.fract() != 0.0 || !(19_000_101.0..=99_991_231.0).contains(&value) {
        return None;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // checked range
    let n = value as u32;
    NaiveDate::from_ymd_opt(i32::try_from(n / 10_000).ok()?, (n / 100) % 100, n % 100)
        .map(|_| n.to_string())
}

/// `HH:MM:SS` of a fraction of a day, rounded to the nearest second.
fn time_of_day(value: f64) -> String {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 0..=86400
    let seconds = (value.fract().abs() * 86_400.0).round() as u32 % 86_400;
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// [`serial_date`] of any number, if it is a date chrono can hold.
fn serial_date_checked(value: f64, date1904: bool) -> Option<NaiveDate> {
    if !(-1e7..1e8).contains(&value) {
        return None;
    }
    let epoch = serial_date(0.0, date1904);
    #[allow(clippy::cast_possible_truncation)] // checked range
    epoch.checked_add_signed(Duration::days(value.floor() as i64))
}

/// The date of a serial, in the 1900 or the 1904 date system.
fn serial_date(value: f64, date1904: bool) -> NaiveDate {
    let epoch = if date1904 {
        NaiveDate::from_ymd_opt(1904, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)
    }
    .expect("valid date");
    #[allow(clippy::cast_possible_truncation)] // checked range by callers
    let days = value.floor() as i64;
    epoch + Duration::days(days)
}

/// An ISO date or date-time (`.ods` files store them so): the date as
/// `dd/mm/yyyy`, a time as `HH:MM:SS`.
fn iso_text(s: &str) -> String {
    if let Ok(d) = NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d") {
        return d.format("%d/%m/%Y").to_string();
    }
    s.to_owned()
}

pub(crate) fn header(text: &str) -> Header {
    let trimmed = normalise_value(text).into_owned();
    Header {
        key: header_key(&trimmed),
        text: trimmed,
    }
}

/// Whether a header key names a column of the offline sheet or one of its
/// aliases.
fn is_known_header(key: &str) -> bool {
    Layout::new(true).columns().any(|c| c.matches_key(key))
}

/// Duplicated header keys are an error: Mavis would silently use the first
/// column only.
pub(crate) fn check_headers(table: &mut Table) {
    for (i, h) in table.headers.iter().enumerate() {
        if h.key.is_empty() {
            continue;
        }
        if let Some(first) = table.headers[..i].iter().position(|e| e.key == h.key) {
            let at = table.location(1, i);
            table.issues.push(ReadIssue {
                at,
                severity: Severity::Error,
                message: format!(
                    "the header {:?} repeats column {}'s ({:?}); the upload would read only the \
                     first, so delete or rename one of them",
                    h.text,
                    mavis_domain::column_letter(u32::try_from(first).unwrap_or(0)),
                    table.headers[first].text
                ),
            });
        }
    }
}

pub(crate) fn drop_trailing_blank_rows(table: &mut Table) {
    while table.rows.last().is_some_and(TextRow::is_blank) {
        table.rows.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::needless_pass_by_value)] // the shape of the issue callback
    fn no_issue(_: Severity, m: String) {
        panic!("unexpected issue {m}");
    }

    #[test]
    fn numbers() {
        let mut none = no_issue;
        assert_eq!(
            number_text(
                9_434_765_919.0,
                ColumnKind::Digits(Some(10)),
                false,
                &mut none
            ),
            "9434765919"
        );
        assert_eq!(number_text(1.5, ColumnKind::Other, false, &mut none), "1.5");
        assert_eq!(
            number_text(20_250_313.0, ColumnKind::Date, false, &mut none),
            "20250313"
        );
        assert_eq!(
            number_text(45_729.0, ColumnKind::Date, false, &mut none),
            "13/03/2025"
        );
        assert_eq!(
            number_text(0.5, ColumnKind::Time, false, &mut none),
            "12:00:00"
        );
        assert_eq!(
            number_text(20_251_399.0, ColumnKind::Other, false, &mut none),
            "20251399"
        );
        let mut issues = Vec::new();
        let text = number_text(
            123_456_789.0,
            ColumnKind::Digits(Some(10)),
            false,
            &mut |s, m| {
                issues.push((s, m));
            },
        );
        assert_eq!(text, "123456789");
        assert_eq!(issues.len(), 1);
        assert!(issues[0].1.contains("dropped leading zeros"));
    }

    #[test]
    fn times_and_dates() {
        assert_eq!(time_of_day(10.0 / 24.0 + 15.0 / 1440.0), "10:15:00");
        assert_eq!(time_of_day(0.999_999_9), "00:00:00");
        assert_eq!(yyyymmdd(20_250_229.0), None);
        assert_eq!(yyyymmdd(20_240_229.0).as_deref(), Some("20240229"));
        let d = NaiveDate::from_ymd_opt(2025, 3, 13).unwrap();
        assert_eq!(serial_date(45_729.0, false), d);
        assert_eq!(serial_date(44_267.0, true), d);
        assert_eq!(strip_point_zero("9434765919.0"), "9434765919");
        assert_eq!(strip_point_zero("AB12.0"), "AB12.0");
        assert_eq!(iso_text("2025-03-13T00:00:00"), "13/03/2025");
    }
}
