//! The command line: subcommands and their flags.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use mavis_domain::chrono::NaiveDate;
use mavis_domain::Programme;

/// Offline recording for school vaccination sessions: export the session
/// spreadsheet, check nurses' copies, merge them and write the upload CSV.
#[derive(Debug, Parser)]
#[command(name = "mavis-offline", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print (or write) a realistic demo session as session JSON.
    ///
    /// Every child, NHS number, postcode and batch in it is invented; NHS
    /// numbers are in the 999 test range. The same flags always give the
    /// same document.
    DemoSession(DemoSessionArgs),
    /// Write the offline session workbook (.xlsx) that nurses fill in.
    ///
    /// The same workbook Mavis's "Record offline" link downloads: one row
    /// per child per programme (or per existing record), the dropdowns, the
    /// hidden reference sheets, and a hidden Session sheet that lets this
    /// tool check and merge the copies later. Without --session it writes
    /// the embedded demo session.
    Export(ExportArgs),
    /// Write the upload CSV of a filled workbook.
    ///
    /// What Excel's "Save a copy as CSV UTF-8 (Comma delimited)" writes,
    /// with dates as YYYYMMDD, read straight from the workbook so that no
    /// date or NHS number is changed on the way. Problems found while
    /// reading are listed with their cells; when one would make the upload
    /// fail, no CSV is written and the exit code is 1.
    Csv(CsvArgs),
}

/// Flags of `csv`.
#[derive(Debug, Args)]
pub struct CsvArgs {
    /// The filled workbook (.xlsx), or a CSV to clean up.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The upload CSV to write.
    #[arg(long, value_name = "FILE.csv")]
    pub out: PathBuf,
}

/// Flags of `demo-session`.
#[derive(Debug, Args)]
pub struct DemoSessionArgs {
    /// The demo session to build.
    #[command(flatten)]
    pub demo: DemoArgs,

    /// Write the JSON to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Flags of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The session JSON to export (see `demo-session` for its shape);
    /// without it, the embedded demo session.
    #[arg(long, value_name = "FILE")]
    pub session: Option<PathBuf>,

    /// The demo session to build when there is no --session.
    #[command(flatten)]
    pub demo: DemoArgs,

    /// The workbook to write (.xlsx).
    #[arg(long, value_name = "FILE.xlsx")]
    pub out: PathBuf,
}

/// What demo session to build.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many children the session has.
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub children: u32,

    /// Another seed gives other children.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// The session's programmes, comma-separated: flu, hpv, menacwy, mmr,
    /// td_ipv (import names such as 3-in-1 or ACWYX4 work too).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "hpv,menacwy,td_ipv",
        value_parser = parse_programme
    )]
    pub programmes: Vec<Programme>,

    /// Today, YYYY-MM-DD: the day the demo session is held and the export
    /// is made (it decides which batches have expired); defaults to today
    /// in London.
    #[arg(long, value_parser = parse_date)]
    pub today: Option<NaiveDate>,

    /// Enable patient-specific directions (adds the PSD_STATUS column).
    #[arg(long)]
    pub psd: bool,
}

fn parse_programme(text: &str) -> Result<Programme, String> {
    Programme::parse(text).map_err(|e| e.to_string())
}

/// Parse a `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date; write it as YYYY-MM-DD, like 2025-10-15"))
}
