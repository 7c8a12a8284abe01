//! The figures of `benches/README.md` from criterion's results of the last
//! `cargo bench`: prints the "Latest figures" table (criterion's medians,
//! project against floor, ratio and target) and writes the plot of how cost
//! grows with rows.
//!
//! `cargo run --release --example bench_report -- [CRITERION_DIR] [--svg OUT.svg]`
//!
//! `CRITERION_DIR` defaults to `target/criterion`, `OUT.svg` to
//! `benches/scaling.svg` (both from the current folder). Notes on what is
//! left out go to standard error.

#[path = "../benches/support/report.rs"]
mod report;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: bench_report [CRITERION_DIR] [--svg OUT.svg]\n\
    CRITERION_DIR defaults to target/criterion, OUT.svg to benches/scaling.svg";

fn main() -> ExitCode {
    let mut dir = PathBuf::from("target/criterion");
    let mut svg_path = PathBuf::from("benches/scaling.svg");
    let mut args = std::env::args_os().skip(1);
    let mut dir_given = false;
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--svg") => match args.next() {
                Some(path) => svg_path = PathBuf::from(path),
                None => return usage_error("--svg needs a file name"),
            },
            Some("-h" | "--help") => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            Some(flag) if flag.starts_with('-') => {
                return usage_error(&format!("unknown option {flag}"));
            }
            _ if dir_given => return usage_error("more than one CRITERION_DIR"),
            _ => {
                dir = PathBuf::from(arg);
                dir_given = true;
            }
        }
    }
    match run(&dir, &svg_path) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_report: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("bench_report: {message}\n{USAGE}");
    ExitCode::from(2)
}

fn run(dir: &std::path::Path, svg_path: &std::path::Path) -> Result<(), report::ReportError> {
    let report = report::load(dir)?;
    let svg = report::svg(&report)?;
    std::fs::write(svg_path, svg).map_err(|error| report::ReportError::Io {
        path: svg_path.to_path_buf(),
        error,
    })?;
    print!("{}", report::markdown(&report));
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    eprintln!(
        "criterion's medians from {}; plot written to {}",
        dir.display(),
        svg_path.display()
    );
    Ok(())
}
