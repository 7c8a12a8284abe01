//! The figures of `benches/README.md` from criterion's own results: a
//! Markdown table of the latest medians and an SVG plot of how cost grows
//! with rows.
//!
//! Shared by `examples/bench_report.rs` (which prints and writes them) and
//! `tests/integration/bench_report.rs` (which checks them on a made-up
//! results folder). The benches themselves do not include it.
//!
//! Criterion keeps one folder per measurement,
//! `<dir>/<group>/<function>/<parameter>/new/` (no `<parameter>` for a
//! bench without one), holding `estimates.json` (times in nanoseconds;
//! the median is `median.point_estimate`) and `benchmark.json` (whose
//! `throughput` is the number of rows the bench declared, when it did).

#![allow(dead_code)] // the example and the test each use part of it

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use plotters::prelude::*;

/// One comparison a bench makes: the project against its floor, the
/// library it stands on doing the same work alone.
#[derive(Debug)]
pub struct Comparison {
    /// The bench target: `cargo bench --bench <bench>` measures it.
    pub bench: &'static str,
    /// The name in the table's first column and in the plot's legend.
    pub label: &'static str,
    /// Criterion's group (`benchmark_group`).
    pub group: &'static str,
    /// Criterion's function id of the project's measurement.
    pub project: &'static str,
    /// Criterion's function id of the floor's measurement.
    pub floor: &'static str,
    /// The largest project/floor ratio the project aims at, if any.
    pub target: Option<f64>,
    /// How many files the bench reads, when its throughput counts the rows
    /// of several (merge).
    pub files: Option<u64>,
    /// The comparison's colour in the plot (Okabe–Ito, safe for colour
    /// blindness).
    pub colour: (u8, u8, u8),
}

/// The comparisons of `benches/{export,read,check,merge}.rs`, in the
/// README's order. The names are the benches' `BenchmarkId`s.
pub const COMPARISONS: [Comparison; 6] = [
    Comparison {
        bench: "export",
        label: "export",
        group: "export",
        project: "mavis-sheet",
        floor: "bare rust_xlsxwriter",
        target: Some(1.25),
        files: None,
        colour: (0, 114, 178),
    },
    Comparison {
        bench: "read",
        label: "read .xlsx",
        group: "read",
        project: "xlsx mavis-sheet",
        floor: "xlsx bare calamine",
        target: Some(1.25),
        files: None,
        colour: (230, 159, 0),
    },
    Comparison {
        bench: "read",
        label: "read .csv",
        group: "read",
        project: "csv mavis-sheet",
        floor: "csv bare ByteRecord",
        target: None,
        files: None,
        colour: (0, 158, 115),
    },
    Comparison {
        bench: "check",
        label: "check",
        group: "check",
        project: "mavis-import",
        floor: "bare csv ByteRecord",
        target: Some(3.0),
        files: None,
        colour: (213, 94, 0),
    },
    Comparison {
        bench: "check",
        label: "check, whole process",
        group: "check process",
        project: "mavis-offline check",
        floor: "bare csv process",
        target: Some(3.0),
        files: None,
        colour: (86, 180, 233),
    },
    Comparison {
        bench: "merge",
        label: "merge",
        group: "merge",
        project: "read 11 files and merge",
        floor: "read 11 files",
        target: Some(1.5),
        files: Some(11),
        colour: (204, 121, 167),
    },
];

/// Why no report could be made.
#[derive(Debug)]
pub enum ReportError {
    /// The folder holds none of the comparisons' results.
    NoResults {
        /// The criterion folder searched.
        dir: PathBuf,
    },
    /// One side of a comparison was measured and the other was not.
    Missing {
        /// The estimates file that is not there.
        path: PathBuf,
        /// The bench that writes it.
        bench: &'static str,
    },
    /// A results file is not what criterion writes.
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A file or folder could not be read or written.
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        error: std::io::Error,
    },
    /// Drawing the plot failed.
    Plot(String),
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoResults { dir } => write!(
                f,
                "no benchmark results in {}: run `cargo bench` first (criterion writes them \
                 to target/criterion, or to $CARGO_TARGET_DIR/criterion when that is set)",
                dir.display()
            ),
            Self::Missing { path, bench } => write!(
                f,
                "{} is missing: run `cargo bench --bench {bench}` to measure both sides",
                path.display()
            ),
            Self::Malformed { path, reason } => {
                write!(f, "{} is not a criterion result: {reason}", path.display())
            }
            Self::Io { path, error } => write!(f, "{}: {error}", path.display()),
            Self::Plot(message) => write!(f, "drawing the plot: {message}"),
        }
    }
}

impl std::error::Error for ReportError {}

/// One line of the table: both sides of a comparison at one size.
#[derive(Debug)]
pub struct Measurement {
    /// What is compared.
    pub comparison: &'static Comparison,
    /// The bench's parameter, the row count it asked the demo data for.
    pub requested: Option<u64>,
    /// The rows actually measured, from criterion's stored throughput.
    pub rows: Option<u64>,
    /// The project's median, in nanoseconds.
    pub project_ns: f64,
    /// The floor's median, in nanoseconds.
    pub floor_ns: f64,
}

impl Measurement {
    /// The project's time over the floor's.
    pub fn ratio(&self) -> f64 {
        self.project_ns / self.floor_ns
    }

    /// Whether the ratio is within the comparison's target, if it has one.
    pub fn meets_target(&self) -> Option<bool> {
        self.comparison.target.map(|t| self.ratio() <= t)
    }

    /// The project's rows a second, when the rows are known.
    pub fn rows_per_second(&self) -> Option<f64> {
        self.rows.map(|r| r as f64 / (self.project_ns / 1e9))
    }

    /// The rows to plot against: the measured rows, else the requested.
    pub fn plotted_rows(&self) -> Option<u64> {
        self.rows.or(self.requested)
    }

    /// Milliseconds per 1,000 plotted rows of a time in nanoseconds.
    pub fn ms_per_thousand_rows(&self, ns: f64) -> Option<f64> {
        self.plotted_rows().map(|r| ns / 1e6 / (r as f64 / 1_000.0))
    }
}

/// Everything read from one criterion folder.
#[derive(Debug)]
pub struct Report {
    /// The table's lines, comparison by comparison, smallest size first.
    pub measurements: Vec<Measurement>,
    /// What a reader of the table should know (comparisons not measured,
    /// rows not stored), one sentence each.
    pub notes: Vec<String>,
}

/// Reads the results of every comparison under `dir` (criterion's output
/// folder, `target/criterion` by default).
///
/// A comparison with no results at all is left out with a note; one with
/// only one side measured is an error naming the missing file.
///
/// # Errors
///
/// [`ReportError::NoResults`] when no comparison has results, and the
/// other variants for a missing, unreadable or malformed file.
pub fn load(dir: &Path) -> Result<Report, ReportError> {
    let mut measurements = Vec::new();
    let mut notes = Vec::new();
    for comparison in &COMPARISONS {
        let group = dir.join(comparison.group);
        let project_dir = group.join(comparison.project);
        let floor_dir = group.join(comparison.floor);
        let measured = sizes(&project_dir)?;
        if measured.is_empty() {
            if let Some((_, floor_only)) = sizes(&floor_dir)?.first() {
                let project = match floor_only.file_name() {
                    Some(p) if floor_only != &floor_dir => project_dir.join(p),
                    _ => project_dir,
                };
                return Err(ReportError::Missing {
                    path: estimates_path(&project),
                    bench: comparison.bench,
                });
            }
            notes.push(format!(
                "{}: no results (run `cargo bench --bench {}`)",
                comparison.label, comparison.bench
            ));
            continue;
        }
        let mut without_rows = false;
        for (requested, at) in measured {
            let floor_at = match requested {
                Some(n) => floor_dir.join(n.to_string()),
                None => floor_dir.clone(),
            };
            let rows = throughput(&at.join("new").join("benchmark.json"))?;
            without_rows |= rows.is_none();
            measurements.push(Measurement {
                comparison,
                requested,
                rows,
                project_ns: median(&estimates_path(&at), comparison)?,
                floor_ns: median(&estimates_path(&floor_at), comparison)?,
            });
        }
        if without_rows {
            notes.push(format!(
                "{}: criterion stored no throughput, so the rows are the requested \
                 counts and no rows/s is given",
                comparison.label
            ));
        }
    }
    if measurements.is_empty() {
        return Err(ReportError::NoResults {
            dir: dir.to_path_buf(),
        });
    }
    Ok(Report {
        measurements,
        notes,
    })
}

fn estimates_path(at: &Path) -> PathBuf {
    at.join("new").join("estimates.json")
}

/// The measured sizes of one function: its numeric parameter folders, or
/// the function's own folder when it has no parameter.
fn sizes(function_dir: &Path) -> Result<Vec<(Option<u64>, PathBuf)>, ReportError> {
    if function_dir.join("new").is_dir() {
        return Ok(vec![(None, function_dir.to_path_buf())]);
    }
    let entries = match std::fs::read_dir(function_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => {
            return Err(ReportError::Io {
                path: function_dir.to_path_buf(),
                error,
            })
        }
    };
    let mut sizes = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|error| ReportError::Io {
            path: function_dir.to_path_buf(),
            error,
        })?;
        // Criterion's own `report` folder sits beside the parameters.
        let parameter = entry.file_name().to_str().and_then(|n| n.parse().ok());
        if let Some(n) = parameter {
            if entry.path().is_dir() {
                sizes.push((Some(n), entry.path()));
            }
        }
    }
    sizes.sort_by_key(|(n, _)| *n);
    Ok(sizes)
}

fn read_json(path: &Path) -> Result<Option<serde_json::Value>, ReportError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(ReportError::Io {
                path: path.to_path_buf(),
                error,
            })
        }
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| ReportError::Malformed {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })
}

/// The median of an `estimates.json`, in nanoseconds.
fn median(path: &Path, comparison: &Comparison) -> Result<f64, ReportError> {
    let json = read_json(path)?.ok_or_else(|| ReportError::Missing {
        path: path.to_path_buf(),
        bench: comparison.bench,
    })?;
    let value = json
        .pointer("/median/point_estimate")
        .ok_or_else(|| ReportError::Malformed {
            path: path.to_path_buf(),
            reason: "no median.point_estimate".to_owned(),
        })?;
    match value.as_f64() {
        Some(ns) if ns.is_finite() && ns > 0.0 => Ok(ns),
        _ => Err(ReportError::Malformed {
            path: path.to_path_buf(),
            reason: format!("median.point_estimate is {value}, not a positive number"),
        }),
    }
}

/// The rows a bench declared (`Throughput::Elements`), if criterion stored
/// them.
fn throughput(path: &Path) -> Result<Option<u64>, ReportError> {
    let Some(json) = read_json(path)? else {
        return Ok(None);
    };
    Ok(json
        .pointer("/throughput/Elements")
        .or_else(|| json.pointer("/throughput/ElementsAndBytes/elements"))
        .and_then(serde_json::Value::as_u64)
        .filter(|&n| n > 0))
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A time in milliseconds to three significant figures (`0.913`, `42.7`,
/// `1,593`).
pub fn milliseconds(ms: f64) -> String {
    if ms >= 999.5 {
        thousands(ms.round() as u64)
    } else if ms >= 99.95 {
        format!("{ms:.0}")
    } else if ms >= 9.995 {
        format!("{ms:.1}")
    } else if ms >= 0.9995 {
        format!("{ms:.2}")
    } else {
        format!("{ms:.3}")
    }
}

/// A rate to three significant figures with `k` or `M` (`11.7k`, `244k`).
pub fn rate(per_second: f64) -> String {
    let (value, unit) = if per_second >= 999_500.0 {
        (per_second / 1e6, "M")
    } else if per_second >= 999.5 {
        (per_second / 1e3, "k")
    } else {
        (per_second, "")
    };
    let digits = if value >= 99.95 {
        0
    } else if value >= 9.995 {
        1
    } else {
        2
    };
    format!("{value:.digits$}{unit}")
}

fn rows_cell(m: &Measurement) -> String {
    match (m.rows, m.comparison.files) {
        (Some(rows), Some(files)) if rows.is_multiple_of(files) => {
            format!("{} × {files} files", thousands(rows / files))
        }
        (Some(rows), Some(files)) => format!("{} in {files} files", thousands(rows)),
        (Some(rows), None) => thousands(rows),
        (None, _) => m.requested.map_or_else(
            || "–".to_owned(),
            |n| format!("{} (requested)", thousands(n)),
        ),
    }
}

/// The target as the README writes it: `≤ 1.25× ✓`, `≤ 3× ✗`, or `–`.
fn target_cell(m: &Measurement) -> String {
    match (m.comparison.target, m.meets_target()) {
        (Some(t), Some(ok)) => format!("≤ {t}× {}", if ok { "✓" } else { "✗" }),
        _ => "–".to_owned(),
    }
}

/// The table of `benches/README.md`'s "Latest figures": one line per
/// comparison and size, times in milliseconds (criterion's medians).
pub fn markdown(report: &Report) -> String {
    let mut out = String::from(
        "| bench | rows | project | floor | ratio | target |\n|---|---:|---:|---:|---:|---|\n",
    );
    for m in &report.measurements {
        let mut project = format!("{} ms", milliseconds(m.project_ns / 1e6));
        if let Some(r) = m.rows_per_second() {
            let _ = write!(project, " ({} rows/s)", rate(r));
        }
        let _ = writeln!(
            out,
            "| {} | {} | {project} | {} ms | {:.2}× | {} |",
            m.comparison.label,
            rows_cell(m),
            milliseconds(m.floor_ns / 1e6),
            m.ratio(),
            target_cell(m),
        );
    }
    out
}

/// The plot's size in pixels.
pub const PLOT_SIZE: (u32, u32) = (1000, 560);
/// Stroke width of a project's line (solid).
pub const PROJECT_WIDTH: u32 = 3;
/// Stroke width of a floor's line (dashed).
pub const FLOOR_WIDTH: u32 = 2;
const FONT: &str = "sans-serif";

/// One plotted line: (rows, ms per 1,000 rows) points of one side of a
/// comparison.
pub struct Series {
    /// What is compared.
    pub comparison: &'static Comparison,
    /// The project's line (else the floor's).
    pub project: bool,
    /// The points, fewest rows first.
    pub points: Vec<(f64, f64)>,
}

/// The plot's lines: for each comparison measured, the project's then the
/// floor's.
pub fn series(report: &Report) -> Vec<Series> {
    let mut out: Vec<Series> = Vec::new();
    for m in &report.measurements {
        let Some(rows) = m.plotted_rows() else {
            continue;
        };
        for (project, ns) in [(true, m.project_ns), (false, m.floor_ns)] {
            let point = (rows as f64, m.ms_per_thousand_rows(ns).unwrap_or(ns));
            match out
                .iter_mut()
                .find(|s| std::ptr::eq(s.comparison, m.comparison) && s.project == project)
            {
                Some(s) => s.points.push(point),
                None => out.push(Series {
                    comparison: m.comparison,
                    project,
                    points: vec![point],
                }),
            }
        }
    }
    for s in &mut out {
        s.points.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    out
}

/// The legend's text for a series.
pub fn legend_label(s: &Series) -> String {
    let function = if s.project {
        s.comparison.project
    } else {
        s.comparison.floor
    };
    format!("{}: {function}", s.comparison.label)
}

fn colour(c: &Comparison) -> RGBColor {
    RGBColor(c.colour.0, c.colour.1, c.colour.2)
}

/// A log axis's range: `lo..hi` with a margin either side.
fn log_range(lo: f64, hi: f64) -> (f64, f64) {
    (lo / 1.3, hi * 1.3)
}

/// The 1–2–5 steps (1, 2, 5, 10, 20, …) within `lo..=hi`: a log axis's
/// labels and grid lines.
fn steps_within(lo: f64, hi: f64) -> Vec<f64> {
    let mut out = Vec::new();
    let mut decade = 10f64.powf(lo.log10().floor());
    while decade <= hi {
        for m in [1.0, 2.0, 5.0] {
            let v = m * decade;
            if v >= lo && v <= hi {
                out.push(v);
            }
        }
        decade *= 10.0;
    }
    out
}

/// An axis number: `0.5`, `20`, `1,000`.
fn axis_number(v: f64) -> String {
    if v >= 1_000.0 {
        thousands(v.round() as u64)
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// The scaling plot: milliseconds per 1,000 rows against rows, both axes
/// logarithmic, so that a bench whose cost is linear in rows is a flat line
/// and a project's distance above its floor is the same ratio everywhere.
/// Projects are solid lines with filled dots, floors dashed lines with
/// open dots; a comparison measured at one size (merge) is dots only.
///
/// # Errors
///
/// [`ReportError::Plot`] when plotters fails, or there is nothing to plot.
pub fn svg(report: &Report) -> Result<String, ReportError> {
    let series = series(report);
    let all = || series.iter().flat_map(|s| s.points.iter());
    let (x_lo, x_hi) = all().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(p.0), hi.max(p.0))
    });
    let (y_lo, y_hi) = all().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(p.1), hi.max(p.1))
    });
    if series.is_empty() {
        return Err(ReportError::Plot(
            "no measurement has a row count".to_owned(),
        ));
    }
    let (x_lo, x_hi) = log_range(x_lo, x_hi);
    let (y_lo, y_hi) = log_range(y_lo, y_hi);
    let plot = |e: &dyn fmt::Display| ReportError::Plot(e.to_string());

    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, PLOT_SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| plot(&e))?;
        let (chart_area, legend_area) = root.split_horizontally(690);
        let mut chart = ChartBuilder::on(&chart_area)
            .caption(
                "How cost grows with rows (flat = linear)",
                (FONT, 24).into_font().style(FontStyle::Bold),
            )
            .margin(16)
            .x_label_area_size(52)
            .y_label_area_size(72)
            .build_cartesian_2d(
                (x_lo..x_hi)
                    .log_scale()
                    .with_key_points(steps_within(x_lo, x_hi)),
                (y_lo..y_hi)
                    .log_scale()
                    .with_key_points(steps_within(y_lo, y_hi)),
            )
            .map_err(|e| plot(&e))?;
        chart
            .configure_mesh()
            .x_desc("rows measured (log scale)")
            .y_desc("time per 1,000 rows, ms (log scale)")
            .x_label_formatter(&|x| axis_number(*x))
            .y_label_formatter(&|y| axis_number(*y))
            .label_style((FONT, 15))
            .axis_desc_style((FONT, 17))
            .bold_line_style(BLACK.mix(0.15))
            .light_line_style(TRANSPARENT)
            .draw()
            .map_err(|e| plot(&e))?;
        for s in &series {
            let c = colour(s.comparison);
            let points = s.points.clone();
            if points.len() > 1 {
                if s.project {
                    chart.draw_series(LineSeries::new(
                        points.clone(),
                        c.stroke_width(PROJECT_WIDTH),
                    ))
                } else {
                    chart.draw_series(DashedLineSeries::new(
                        points.clone(),
                        9,
                        6,
                        c.stroke_width(FLOOR_WIDTH),
                    ))
                }
                .map_err(|e| plot(&e))?;
            }
            let dot = if s.project {
                c.filled()
            } else {
                WHITE.filled()
            };
            chart
                .draw_series(points.iter().map(|&p| Circle::new(p, 5, dot)))
                .map_err(|e| plot(&e))?;
            if !s.project {
                chart
                    .draw_series(
                        points
                            .iter()
                            .map(|&p| Circle::new(p, 5, c.stroke_width(FLOOR_WIDTH))),
                    )
                    .map_err(|e| plot(&e))?;
            }
        }
        draw_legend(&legend_area, &series).map_err(|e| plot(&e))?;
        root.present().map_err(|e| plot(&e))?;
    }
    Ok(out)
}

/// The legend, beside the chart so that it hides no point: a swatch and a
/// label per series. The swatches are rectangles (a solid bar, or three
/// dashes) so that the SVG's only polylines are the plotted lines.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    series: &[Series],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let text = (FONT, 15).into_font().color(&BLACK);
    let bold = (FONT, 16).into_font().style(FontStyle::Bold).color(&BLACK);
    let (x, mut y) = (6, 70);
    area.draw(&Text::new("Legend", (x, y - 30), bold))?;
    let mut last: Option<&Comparison> = None;
    for s in series {
        if last.is_some_and(|c| !std::ptr::eq(c, s.comparison)) {
            y += 10;
        }
        last = Some(s.comparison);
        let c = colour(s.comparison);
        let dashes: &[(i32, i32)] = if s.project {
            &[(0, 28)]
        } else {
            &[(0, 7), (11, 18), (22, 28)]
        };
        let half = i32::try_from(if s.project {
            PROJECT_WIDTH
        } else {
            FLOOR_WIDTH
        })
        .unwrap_or(2)
            / 2
            + 1;
        for &(a, b) in dashes {
            area.draw(&Rectangle::new(
                [(x + a, y - half), (x + b, y + half)],
                c.filled(),
            ))?;
        }
        area.draw(&Text::new(legend_label(s), (x + 36, y - 8), text.clone()))?;
        y += 24;
    }
    y += 18;
    let mut lines: Vec<String> = [
        "solid, filled dots: the project",
        "dashed, open dots: the floor",
        "(the library alone, same work)",
        "criterion medians",
    ]
    .map(str::to_owned)
    .to_vec();
    for s in series.iter().filter(|s| s.project && s.points.len() == 1) {
        let files = s
            .comparison
            .files
            .map_or_else(String::new, |n| format!(" of all {n} files"));
        lines.push(format!("{}: one size, the rows{files}", s.comparison.label));
    }
    for line in lines {
        area.draw(&Text::new(line, (x, y), text.clone()))?;
        y += 20;
    }
    Ok(())
}
