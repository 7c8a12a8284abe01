//! The session report page: one self-contained HTML file (inline CSS and
//! SVG, no scripts, nothing fetched) that a nurse lead opens from a laptop.
//!
//! It lives in the CLI rather than in `mavis-merge` because it draws on
//! three libraries at once: the sheet as `mavis-sheet` reads it, the
//! validator's report from `mavis-import`, and, after a merge, the merge's
//! report; `mavis-merge` does not (and should not) know the validator. The
//! page is built from [`Page`], plain data, so that what it shows is decided
//! in one place ([`crate::commands`]) and how it looks in another (here).

use std::fmt::Write;

/// Everything the page shows.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The page's title: the session and its place.
    pub title: String,
    /// Lines under the title: dates, the file, when the page was made.
    pub about: Vec<String>,
    /// Per programme, what happened to each child.
    pub programmes: Vec<ProgrammeCounts>,
    /// The merge's conflicts, or `None` when the page was not made by a
    /// merge.
    pub conflicts: Option<Vec<mavis_merge::Conflict>>,
    /// The merge's changes on the day, or `None` when not made by a merge.
    pub changes: Option<Vec<mavis_merge::Change>>,
    /// Problems with the file as a whole.
    pub file_problems: Vec<String>,
    /// Validation problems, grouped by row.
    pub rows: Vec<RowProblems>,
    /// Outcomes per performing professional.
    pub recorders: Vec<Recorder>,
}

/// One programme's children.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgrammeCounts {
    /// The programme as the sheet names it.
    pub name: String,
    /// Children vaccinated.
    pub vaccinated: usize,
    /// Children not vaccinated, per reason.
    pub not_vaccinated: Vec<(String, usize)>,
    /// Children not yet seen (no outcome).
    pub not_seen: usize,
    /// Children recorded absent with one of the user guide's reasons Mavis
    /// no longer takes: not an outcome, the attendance is recorded in Mavis.
    pub absent: usize,
}

/// The problems of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblems {
    /// The row as the spreadsheet shows it.
    pub row: u32,
    /// The child's name, as the row gives it.
    pub child: String,
    /// The child's NHS number as written (masked when shown).
    pub nhs_number: String,
    /// Each problem: the cell (`F14`, or `None` for the whole row), the
    /// header, and the message.
    pub problems: Vec<(Option<String>, Option<String>, String)>,
}

/// What one professional recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorder {
    /// `PERFORMING_PROFESSIONAL_EMAIL` as written.
    pub email: String,
    /// Vaccinated.
    pub vaccinated: usize,
    /// Not vaccinated.
    pub not_vaccinated: usize,
}

/// Escape text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An NHS number masked but for its last four digits: `••• ••• 5919`.
/// Anything that is not ten digits (spaces aside) is masked whole.
pub fn mask_nhs_number(text: &str) -> String {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if text.trim().is_empty() {
        String::new()
    } else if digits.len() == 10 && text.chars().all(|c| c.is_ascii_digit() || c == ' ') {
        format!("••• ••• {}", &digits[6..])
    } else {
        "••• ••• ••••".to_owned()
    }
}

/// Text with every run of ten digits (an NHS number, written plain or as
/// 3 3 4) masked but for its last four.
pub fn mask_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit()) {
            // Take digits, allowing single spaces between groups.
            let mut j = i;
            let mut digits = 0;
            let mut end = i;
            while j < chars.len() {
                if chars[j].is_ascii_digit() {
                    digits += 1;
                    j += 1;
                    end = j;
                } else if chars[j] == ' ' && j + 1 < chars.len() && chars[j + 1].is_ascii_digit() {
                    j += 1;
                } else {
                    break;
                }
            }
            let run: String = chars[i..end].iter().collect();
            if digits == 10 && (run.len() == 10 || run.len() == 12) {
                out.push_str(&mask_nhs_number(&run));
                i = end;
                continue;
            }
            let plain: String = chars[i..end].iter().collect();
            if digits != 10 {
                // Not an NHS number: keep, but only its first digit run.
                let first: String = chars[i..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                out.push_str(&first);
                i += first.chars().count();
                continue;
            }
            out.push_str(&plain);
            i = end;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Colours of the chart, each always shown beside its text label.
const VACCINATED: &str = "#007f3b";
const NOT_VACCINATED: &str = "#d5281b";
const NOT_SEEN: &str = "#4c6272";

const STYLE: &str = r"
html { font-family: Arial, Helvetica, sans-serif; font-size: 100%; line-height: 1.5; color: #212b32; background: #f0f4f5; }
body { margin: 0 auto; padding: 1rem 1.5rem 3rem; max-width: 64rem; }
h1 { font-size: 2rem; margin: 1rem 0 0.25rem; }
h2 { font-size: 1.5rem; margin: 2rem 0 0.5rem; border-top: 0.25rem solid #005eb8; padding-top: 0.5rem; }
h3 { font-size: 1.2rem; margin: 1.25rem 0 0.25rem; }
p.about { margin: 0; color: #4c6272; }
section.programme { background: #fff; padding: 0.75rem 1rem; margin: 1rem 0; border-radius: 0.25rem; }
svg { width: 100%; height: auto; max-width: 48rem; display: block; }
svg text { font-family: Arial, Helvetica, sans-serif; font-size: 14px; fill: #212b32; }
table { border-collapse: collapse; width: 100%; background: #fff; margin: 0.5rem 0 1rem; }
caption { text-align: left; font-weight: bold; padding: 0.5rem 0; }
th, td { text-align: left; vertical-align: top; padding: 0.4em 0.6em; border-bottom: 0.0625rem solid #d8dde0; overflow-wrap: anywhere; }
th { background: #e8edee; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
code { font-family: Consolas, Menlo, monospace; font-size: 0.95em; }
.key { display: inline-block; width: 0.9em; height: 0.9em; vertical-align: middle; margin-right: 0.35em; border: 0.0625rem solid #212b32; }
.ok { color: #007f3b; font-weight: bold; }
.bad { color: #d5281b; font-weight: bold; }
ul.problems { margin: 0; padding-left: 1.2em; }
";

/// The whole page.
pub fn render(page: &Page) -> String {
    let mut h = String::new();
    let title = escape(&mask_numbers(&page.title));
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n"
    );
    for line in &page.about {
        let _ = writeln!(h, "<p class=\"about\">{}</p>", escape(line));
    }

    // Programmes.
    let _ = writeln!(h, "<h2 id=\"programmes\">Children by programme</h2>");
    if page.programmes.is_empty() {
        let _ = writeln!(h, "<p>The sheet has no rows to record.</p>");
    }
    for (i, p) in page.programmes.iter().enumerate() {
        programme(&mut h, i, p);
    }

    // Merge.
    if let Some(conflicts) = &page.conflicts {
        let _ = writeln!(h, "<h2 id=\"conflicts\">Conflicts between copies</h2>");
        if conflicts.is_empty() {
            let _ = writeln!(h, "<p class=\"ok\">None: the copies agree.</p>");
        } else {
            let _ = writeln!(
                h,
                "<p>Each of these cells is amber in the merged workbook and keeps the downloaded \
                 value: type the right one in.</p>\n<table>\n<caption>Conflicts: what each copy \
                 said</caption>\n<thead><tr><th scope=\"col\">Row</th><th scope=\"col\">Column</th>\
                 <th scope=\"col\">Child</th><th scope=\"col\">What each copy said</th></tr></thead>\n<tbody>"
            );
            for c in conflicts {
                let said: Vec<String> = c
                    .values
                    .iter()
                    .map(|v| {
                        format!(
                            "<li>{}: {}</li>",
                            escape(&v.source),
                            quoted(&mask_numbers(&v.value))
                        )
                    })
                    .collect();
                let _ = writeln!(
                    h,
                    "<tr><td class=\"n\">{}</td><td><code>{}</code></td><td>{}</td><td><ul class=\"problems\">{}</ul></td></tr>",
                    c.row,
                    escape(&c.header),
                    escape(&mask_numbers(&c.child)),
                    said.join("")
                );
            }
            let _ = writeln!(h, "</tbody>\n</table>");
        }
    }
    if let Some(changes) = &page.changes {
        let _ = writeln!(h, "<h2 id=\"changes\">Changes on the day</h2>");
        if changes.is_empty() {
            let _ = writeln!(h, "<p>None.</p>");
        } else {
            let _ = writeln!(
                h,
                "<p>Make these in Mavis by hand before the upload (yellow cells in the merged \
                 workbook).</p>\n<table>\n<caption>Changes on the day: downloaded and recorded \
                 values</caption>\n<thead><tr><th scope=\"col\">Row</th><th scope=\"col\">Column</th>\
                 <th scope=\"col\">Child</th><th scope=\"col\">Downloaded</th><th scope=\"col\">Recorded</th>\
                 <th scope=\"col\">In copy</th></tr></thead>\n<tbody>"
            );
            for c in changes {
                let _ = writeln!(
                    h,
                    "<tr><td class=\"n\">{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    c.row,
                    escape(&c.header),
                    escape(&mask_numbers(&c.child)),
                    quoted(&mask_numbers(&c.from)),
                    quoted(&mask_numbers(&c.to)),
                    escape(&c.source)
                );
            }
            let _ = writeln!(h, "</tbody>\n</table>");
        }
    }

    // Problems.
    let _ = writeln!(
        h,
        "<h2 id=\"problems\">Problems to correct before the upload</h2>"
    );
    let count: usize = page.rows.iter().map(|r| r.problems.len()).sum();
    if page.rows.is_empty() && page.file_problems.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"ok\">None: Mavis would accept this sheet.</p>"
        );
    } else {
        let _ = writeln!(
            h,
            "<p class=\"bad\">{count} problems in {} rows: Mavis would refuse the upload until they are corrected.</p>",
            page.rows.len()
        );
    }
    if !page.file_problems.is_empty() {
        let _ = writeln!(h, "<ul>");
        for f in &page.file_problems {
            let _ = writeln!(h, "<li>{}</li>", escape(&mask_numbers(f)));
        }
        let _ = writeln!(h, "</ul>");
    }
    if !page.rows.is_empty() {
        let _ = writeln!(
            h,
            "<table>\n<caption>Problems by row, with the cell to correct</caption>\n<thead><tr>\
             <th scope=\"col\">Row</th><th scope=\"col\">Child</th><th scope=\"col\">NHS number</th>\
             <th scope=\"col\">Cell and problem</th></tr></thead>\n<tbody>"
        );
        for r in &page.rows {
            let items: Vec<String> = r
                .problems
                .iter()
                .map(|(cell, header, message)| {
                    let at = match (cell, header) {
                        (Some(c), Some(hd)) => {
                            format!("<code>{}</code> ({}): ", escape(c), escape(hd))
                        }
                        (Some(c), None) => format!("<code>{}</code>: ", escape(c)),
                        (None, _) => "Whole row: ".to_owned(),
                    };
                    format!("<li>{at}{}</li>", escape(&mask_numbers(message)))
                })
                .collect();
            let _ = writeln!(
                h,
                "<tr><th scope=\"row\" class=\"n\">{}</th><td>{}</td><td>{}</td><td><ul class=\"problems\">{}</ul></td></tr>",
                r.row,
                escape(&mask_numbers(&r.child)),
                escape(&mask_nhs_number(&r.nhs_number)),
                items.join("")
            );
        }
        let _ = writeln!(h, "</tbody>\n</table>");
    }

    // Recorders.
    let _ = writeln!(h, "<h2 id=\"recorders\">Who recorded what</h2>");
    if page.recorders.is_empty() {
        let _ = writeln!(h, "<p>No outcomes recorded yet.</p>");
    } else {
        let _ = writeln!(
            h,
            "<table>\n<caption>Outcomes by performing professional</caption>\n<thead><tr>\
             <th scope=\"col\">Performing professional</th><th scope=\"col\" class=\"n\">Vaccinated</th>\
             <th scope=\"col\" class=\"n\">Not vaccinated</th><th scope=\"col\" class=\"n\">In all</th></tr></thead>\n<tbody>"
        );
        for r in &page.recorders {
            let who = if r.email.is_empty() {
                "(no email given)".to_owned()
            } else {
                escape(&r.email)
            };
            let _ = writeln!(
                h,
                "<tr><th scope=\"row\">{who}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                r.vaccinated,
                r.not_vaccinated,
                r.vaccinated + r.not_vaccinated
            );
        }
        let _ = writeln!(h, "</tbody>\n</table>");
    }
    let _ = writeln!(h, "</main>\n</body>\n</html>");
    h
}

fn quoted(value: &str) -> String {
    if value.is_empty() {
        "<i>empty</i>".to_owned()
    } else {
        format!("“{}”", escape(value))
    }
}

/// One programme's section: the bar chart and the same numbers as a table.
fn programme(h: &mut String, index: usize, p: &ProgrammeCounts) {
    let mut bars: Vec<(String, usize, &str)> =
        vec![("Vaccinated".to_owned(), p.vaccinated, VACCINATED)];
    for (reason, n) in &p.not_vaccinated {
        bars.push((format!("Not vaccinated: {reason}"), *n, NOT_VACCINATED));
    }
    if p.absent > 0 {
        bars.push((
            "Absent: record the attendance in Mavis".to_owned(),
            p.absent,
            NOT_SEEN,
        ));
    }
    bars.push(("Not yet seen".to_owned(), p.not_seen, NOT_SEEN));
    let total = p.vaccinated
        + p.not_vaccinated.iter().map(|(_, n)| n).sum::<usize>()
        + p.absent
        + p.not_seen;
    let name = escape(&p.name);
    let _ = writeln!(
        h,
        "<section class=\"programme\" aria-labelledby=\"programme-{index}\">\n<h3 id=\"programme-{index}\">{name}: {total} children</h3>"
    );
    // The chart: labels on the left, a bar and its count on the right.
    let row_height = 28;
    let height = bars.len() * row_height + 8;
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let (label_width, bar_width) = (360usize, 320usize);
    let _ = writeln!(
        h,
        "<svg viewBox=\"0 0 {} {height}\" role=\"img\" aria-labelledby=\"chart-{index}-title\">\n<title id=\"chart-{index}-title\">{name}: {}</title>",
        label_width + bar_width + 60,
        escape(
            &bars
                .iter()
                .map(|(l, n, _)| format!("{l} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    );
    for (i, (label, n, colour)) in bars.iter().enumerate() {
        let y = 4 + i * row_height;
        let width = if *n == 0 {
            0
        } else {
            (n * bar_width / max).max(2)
        };
        let _ = writeln!(
            h,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{label_width}\" y=\"{}\" width=\"{width}\" height=\"{}\" fill=\"{colour}\"/><text x=\"{}\" y=\"{}\">{n}</text>",
            label_width - 8,
            y + 17,
            escape(label),
            y + 3,
            row_height - 8,
            label_width + width + 6,
            y + 17,
        );
    }
    let _ = writeln!(h, "</svg>");
    let _ = writeln!(
        h,
        "<table>\n<caption>{name}: children by outcome</caption>\n<thead><tr><th scope=\"col\">Outcome</th><th scope=\"col\" class=\"n\">Children</th></tr></thead>\n<tbody>"
    );
    for (label, n, colour) in &bars {
        let _ = writeln!(
            h,
            "<tr><th scope=\"row\"><span class=\"key\" style=\"background:{colour}\"></span>{}</th><td class=\"n\">{n}</td></tr>",
            escape(label)
        );
    }
    let _ = writeln!(h, "</tbody>\n</table>\n</section>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking() {
        assert_eq!(mask_nhs_number("9434765919"), "••• ••• 5919");
        assert_eq!(mask_nhs_number("943 476 5919"), "••• ••• 5919");
        assert_eq!(mask_nhs_number("12"), "••• ••• ••••");
        assert_eq!(mask_nhs_number(""), "");
        assert_eq!(
            mask_numbers("NHS 9434765919 and 943 476 5919, row 14, 20251015"),
            "NHS ••• ••• 5919 and ••• ••• 5919, row 14, 20251015"
        );
        assert_eq!(mask_numbers("12345678901"), "12345678901");
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        let page = Page {
            title: "<script>alert(1)</script>".into(),
            ..Page::default()
        };
        let html = render(&page);
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
    }
}
