//! A row of cells as text: the one CSV reader's [`RowText`] (mavis-csv),
//! and whether the upload counts it as blank.

pub use mavis_csv::RowText;
use mavis_domain::normalise_value;

/// Whether every cell is blank once normalised (`import-csv.md` §3.4).
pub(crate) fn is_blank(row: &RowText) -> bool {
    row.iter().all(|c| normalise_value(c).is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_rows() {
        let row: RowText = ["", " \u{a0}", "\u{200d}"].into_iter().collect();
        assert!(is_blank(&row));
        let row: RowText = ["", "x"].into_iter().collect();
        assert!(!is_blank(&row));
    }
}
