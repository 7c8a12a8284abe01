//! The legacy VML drawing that spreadsheet programs need to show notes: a
//! hidden note box anchored beside each commented cell. VML is not always
//! well-formed XML, so an existing drawing is patched as text.

use crate::mark::{LAST_COLUMN, LAST_ROW};
use crate::xml::XmlError;

/// About how many lines a note takes in its box.
pub(crate) fn note_lines(text: &str) -> u32 {
    let lines: usize = text
        .split('\n')
        .map(|l| l.chars().count().div_ceil(32).max(1))
        .sum();
    u32::try_from(lines).unwrap_or(u32::MAX).clamp(3, 40)
}

const SHAPE_TYPE: &str = r##"<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>"##;

/// The hidden note box of one cell, anchored beside it.
fn shape(id: u32, cell: (u32, u32), lines: u32) -> String {
    let (row, column) = (cell.0 - 1, cell.1); // 0-based
    let (top_row, top_offset) = if row == 0 { (0, 2) } else { (row - 1, 10) };
    let left = (column + 1).min(LAST_COLUMN);
    let right = (left + 3).min(LAST_COLUMN);
    let bottom = top_row.saturating_add(lines + 1).min(LAST_ROW - 1);
    let height = f64::from(lines + 1) * 15.0;
    format!(
        concat!(
            r##"<v:shape id="_x0000_s{id}" type="#_x0000_t202" style="position:absolute;margin-left:{ml}pt;margin-top:{mt}pt;width:192pt;height:{h}pt;z-index:{z};visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">"##,
            r##"<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>"##,
            r#"<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>"#,
            r#"<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>"#,
            r#"<x:Anchor>{left}, 15, {top}, {top_offset}, {right}, 15, {bottom}, 4</x:Anchor>"#,
            r#"<x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row><x:Column>{column}</x:Column></x:ClientData></v:shape>"#,
        ),
        id = id,
        ml = f64::from(left) * 48.0 + 11.25,
        mt = f64::from(top_row) * 15.0 + 1.5,
        h = height,
        z = id % 1024,
        left = left,
        top = top_row,
        top_offset = top_offset,
        right = right,
        bottom = bottom,
        row = row,
        column = column,
    )
}

/// A new VML drawing with a note box for each cell, its shape ids in
/// blocks of 1024 from `block`.
pub(crate) fn new_vml(block: u32, shapes: &[((u32, u32), u32)]) -> String {
    let count = u32::try_from(shapes.len()).unwrap_or(u32::MAX);
    let blocks = count / 1023 + 1;
    let data: Vec<String> = (block..block.saturating_add(blocks))
        .map(|b| b.to_string())
        .collect();
    let first = block.saturating_mul(1024).saturating_add(1);
    let body: String = shapes
        .iter()
        .zip(first..)
        .map(|((cell, lines), id)| shape(id, *cell, *lines))
        .collect();
    format!(
        concat!(
            r#"<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">"#,
            r#"<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{}"/></o:shapelayout>"#,
            "{}{}</xml>"
        ),
        data.join(","),
        SHAPE_TYPE,
        body
    )
}

/// The highest shape-id block an existing VML drawing claims.
pub(crate) fn max_idmap_block(vml: &str) -> u32 {
    let mut max = 0;
    let mut rest = vml;
    while let Some(at) = rest.find("idmap") {
        rest = &rest[at + 5..];
        let Some(data) = rest.find("data=") else {
            break;
        };
        let value = &rest[data + 5..];
        let value = value.trim_start_matches(['"', '\'']);
        let end = value.find(['"', '\'']).unwrap_or(value.len());
        for n in value[..end].split(',') {
            if let Ok(n) = n.trim().parse::<u32>() {
                max = max.max(n);
            }
        }
    }
    // Shape ids beyond the claimed blocks count too.
    max.max(max_shape_id(vml) / 1024)
}

/// The highest shape id (`_x0000_s1025`) of a drawing.
fn max_shape_id(vml: &str) -> u32 {
    vml.match_indices("_x0000_s")
        .filter_map(|(at, m)| {
            let digits: String = vml[at + m.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse::<u32>().ok()
        })
        .max()
        .unwrap_or(0)
}

/// Add note boxes to an existing VML drawing (not always well-formed XML,
/// so this works on its text).
pub(crate) fn append_vml_shapes(
    vml: &str,
    shapes: &[((u32, u32), u32)],
) -> Result<String, XmlError> {
    if shapes.is_empty() {
        return Ok(vml.to_owned());
    }
    let at = vml.rfind("</xml>").ok_or(XmlError::Missing("</xml>"))?;
    let first = max_shape_id(vml).max(max_idmap_block(vml) * 1024) + 1;
    let mut body = String::new();
    if !vml.contains("_x0000_t202") {
        body.push_str(SHAPE_TYPE);
    }
    for ((cell, lines), id) in shapes.iter().zip(first..) {
        body.push_str(&shape(id, *cell, *lines));
    }
    Ok(format!("{}{body}{}", &vml[..at], &vml[at..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vml_ids() {
        let vml = new_vml(1, &[((2, 1), 3), ((3, 1), 3)]);
        assert!(vml.contains(r#"data="1""#));
        assert!(vml.contains("_x0000_s1025") && vml.contains("_x0000_s1026"));
        assert_eq!(max_idmap_block(&vml), 1);
        let more = append_vml_shapes(&vml, &[((4, 0), 3)]).unwrap();
        assert!(more.contains("_x0000_s1027"));
        assert_eq!(more.matches("id=\"_x0000_t202\"").count(), 1);
        assert!(more.contains("<x:Row>3</x:Row><x:Column>0</x:Column>"));
    }
}
