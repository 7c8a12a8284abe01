//! One row of cells as text, in a buffer that is reused from row to row.

/// The cells of one row, stored in one string: reading a file reuses one
/// `RowText` for every row, so memory does not grow with the file.
///
/// # Examples
///
/// ```
/// use mavis_csv::RowText;
///
/// let mut row = RowText::default();
/// row.push("Aisha");
/// row.push("");
/// assert_eq!(row.len(), 2);
/// assert_eq!(row.get(0), Some("Aisha"));
/// assert_eq!(row.get(2), None);
/// row.clear();
/// assert!(row.is_empty());
/// ```
#[derive(Debug, Clone, Default)]
pub struct RowText {
    text: String,
    /// Each cell's start and end in `text` (a reader may leave separators
    /// between cells).
    spans: Vec<(usize, usize)>,
}

impl RowText {
    /// Remove every cell, keeping the memory.
    pub fn clear(&mut self) {
        self.text.clear();
        self.spans.clear();
    }

    /// Add a cell at the end.
    pub fn push(&mut self, cell: &str) {
        let start = self.text.len();
        self.text.push_str(cell);
        self.spans.push((start, self.text.len()));
    }

    /// Take `bytes` as the row's text, with cells at `spans`, when they are
    /// UTF-8 and (when `check_boundaries`; a caller that knows may skip it)
    /// every span falls on character boundaries, giving back the old buffer
    /// (emptied) in their place; otherwise leave both as they are and
    /// return false.
    pub(crate) fn take_utf8(
        &mut self,
        bytes: &mut Vec<u8>,
        spans: &[(usize, usize)],
        check_boundaries: bool,
    ) -> bool {
        match String::from_utf8(std::mem::take(bytes)) {
            Ok(text)
                if !check_boundaries
                    || spans
                        .iter()
                        .all(|&(s, e)| text.is_char_boundary(s) && text.is_char_boundary(e)) =>
            {
                let mut old = std::mem::replace(&mut self.text, text).into_bytes();
                old.clear();
                *bytes = old;
                self.spans.clear();
                self.spans.extend_from_slice(spans);
                true
            }
            Ok(text) => {
                *bytes = text.into_bytes();
                false
            }
            Err(e) => {
                *bytes = e.into_bytes();
                false
            }
        }
    }

    /// Make the row `text` with cells at `spans` of it.
    pub(crate) fn set(&mut self, text: &str, spans: &[(usize, usize)]) {
        self.text.clear();
        self.text.push_str(text);
        self.spans.clear();
        self.spans.extend_from_slice(spans);
    }

    /// The number of cells.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether the row has no cells.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The cell at `index` (0 for column A), if the row is that long.
    pub fn get(&self, index: usize) -> Option<&str> {
        let &(start, end) = self.spans.get(index)?;
        Some(&self.text[start..end])
    }

    /// The cells in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

/// Rows are equal when their cells are.
impl PartialEq for RowText {
    fn eq(&self, other: &RowText) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for RowText {}

impl<S: AsRef<str>> FromIterator<S> for RowText {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut row = RowText::default();
        for cell in iter {
            row.push(cell.as_ref());
        }
        row
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells() {
        let row: RowText = ["", "x"].into_iter().collect();
        assert_eq!(row.iter().collect::<Vec<_>>(), ["", "x"]);
        assert_eq!(row, ["", "x"].into_iter().collect());
        assert_ne!(row, ["x", ""].into_iter().collect());
    }
}
