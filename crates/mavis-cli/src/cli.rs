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

    /// Show no progress indicators.
    #[arg(long, short, global = true)]
    pub quiet: bool,
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
    /// Merge every nurse's copy into one workbook, against the downloaded
    /// base.
    ///
    /// Cell by cell: a value changed in one copy is taken; values changed
    /// differently are a conflict (amber, with each copy's value in a note)
    /// that keeps the base value; changes to consent, triage, Gillick or the
    /// child's details are carried and highlighted (yellow) as changes to
    /// make in Mavis by hand; added rows are kept once (green). Exit code 0
    /// when clean, 1 when conflicts remain, 2 when a file cannot be read.
    Merge(MergeArgs),
    /// Check a workbook or upload CSV against every rule of Mavis's
    /// vaccination-records upload, before the internet is back.
    ///
    /// Every problem is listed with its row, column letter and header, with
    /// Mavis's own message. A workbook exported by this tool carries its
    /// reference data in a hidden sheet; one as Mavis downloads it is read
    /// for what it holds, and what only Mavis can check is listed; a CSV
    /// needs --session. Exit code 0
    /// when the file would be accepted, 1 when it would be rejected, 2 when
    /// it cannot be read.
    Check(CheckArgs),
    /// A whole offline day on the demo session, step by step.
    ///
    /// Exports the session workbook, makes each nurse's copy and fills it as
    /// nurses do, merges the copies, resolves the conflict as a person
    /// would, checks the merged workbook, writes the upload CSV and checks
    /// that too, and says where each file is.
    Walkthrough(WalkthroughArgs),
    /// Write the session report page: one self-contained HTML file.
    ///
    /// Per programme, children vaccinated, not vaccinated by reason and not
    /// yet seen, as a bar chart; the validation problems grouped by row with
    /// their cells; who recorded what. NHS numbers are masked except their
    /// last four digits. No scripts and nothing fetched from the network.
    Report(ReportArgs),
}

/// Flags of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The session workbook (.xlsx), usually the merged one.
    #[arg(value_name = "FILE.xlsx")]
    pub file: PathBuf,

    /// The reference data: a session JSON, or the workbook downloaded for
    /// the session. Defaults to FILE itself: its hidden Session sheet or, in
    /// a workbook as Mavis downloads it, what its sheets say (what only
    /// Mavis can check is then listed).
    #[arg(long, value_name = "FILE")]
    pub session: Option<PathBuf>,

    /// Today, YYYY-MM-DD, for the validation; defaults to today in London.
    #[arg(long, value_parser = parse_date)]
    pub today: Option<NaiveDate>,

    /// The HTML file to write (never encrypted; NHS numbers are masked).
    #[arg(long, value_name = "FILE.html")]
    pub out: PathBuf,

    /// The password of encrypted workbooks.
    #[command(flatten)]
    pub password: PasswordArgs,
}

/// Flags of `walkthrough`.
#[derive(Debug, Args)]
pub struct WalkthroughArgs {
    /// Where to write the day's files.
    #[arg(long, value_name = "DIR", default_value = "walkthrough")]
    pub dir: PathBuf,

    /// How many children the demo session has.
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub children: u32,

    /// How many nurses record (each in her own copy).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub nurses: u32,

    /// Another seed gives other children.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// The day of the session, YYYY-MM-DD; defaults to today in London.
    #[arg(long, value_parser = parse_date)]
    pub today: Option<NaiveDate>,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Problems grouped by row, as Mavis's upload page lists them.
    Text,
    /// One JSON document.
    Json,
}

/// Flags of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The workbook (.xlsx) or upload CSV to check.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The reference data: a session JSON (which wins), or the workbook
    /// downloaded for the session (its hidden Session sheet, or what a
    /// workbook as Mavis downloads it says). Defaults to FILE itself, when a
    /// workbook; the checks that could not be made offline are listed.
    #[arg(long, value_name = "FILE")]
    pub session: Option<PathBuf>,

    /// Today, YYYY-MM-DD (dates may not be after it); defaults to today in
    /// London.
    #[arg(long, value_parser = parse_date)]
    pub today: Option<NaiveDate>,

    /// How to print the result.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// The outcome digest of an earlier upload of this session (repeat for
    /// several): a different version is refused, as Mavis wants one upload
    /// per session.
    #[arg(long = "earlier-upload", value_name = "DIGEST")]
    pub earlier_uploads: Vec<String>,

    /// Also write a copy of the workbook (a CSV laid out as the offline
    /// sheet) with every problem's cell filled red, its message in a note,
    /// and a first sheet, Problems, linking to each. Without problems, the
    /// copy is the file as it was.
    #[arg(long, value_name = "OUT.xlsx")]
    pub annotate: Option<PathBuf>,

    /// The password of an encrypted workbook; the annotated copy is
    /// encrypted with it too.
    #[command(flatten)]
    pub password: PasswordArgs,

    /// Write the workbooks made from an encrypted input without a
    /// password (by default they are encrypted with the input's password).
    #[arg(long)]
    pub no_encrypt: bool,
}

/// Flags of `merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The workbook downloaded from Mavis (.xlsx), or a merged workbook to
    /// merge further copies into.
    #[arg(long, value_name = "FILE.xlsx")]
    pub base: PathBuf,

    /// The nurses' copies (.xlsx or .csv).
    #[arg(value_name = "COPY", required = true)]
    pub copies: Vec<PathBuf>,

    /// The merged workbook to write (.xlsx).
    #[arg(long, value_name = "FILE.xlsx")]
    pub out: PathBuf,

    /// Also write the report as JSON.
    #[arg(long, value_name = "FILE.json")]
    pub report: Option<PathBuf>,

    /// Also write the merged workbook with the merged sheet's validation
    /// problems marked red (conflicts stay amber) and a first sheet,
    /// Problems, linking to each.
    #[arg(long, value_name = "OUT.xlsx")]
    pub annotate: Option<PathBuf>,

    /// Also write the session report page (HTML) of the merged workbook,
    /// with the conflicts and changes on the day.
    #[arg(long, value_name = "FILE.html")]
    pub html: Option<PathBuf>,

    /// Today, YYYY-MM-DD, for checking the merged sheet (--annotate,
    /// --html); defaults to today in London.
    #[arg(long, value_parser = parse_date)]
    pub today: Option<NaiveDate>,

    /// The password of encrypted inputs (the base or copies); the merged
    /// workbooks are encrypted with it too.
    #[command(flatten)]
    pub password: PasswordArgs,

    /// Write the workbooks made from an encrypted input without a
    /// password (by default they are encrypted with the input's password).
    #[arg(long)]
    pub no_encrypt: bool,
}

/// Flags of `csv`.
#[derive(Debug, Args)]
pub struct CsvArgs {
    /// The filled workbook (.xlsx), or a CSV to clean up.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The upload CSV to write. It is never encrypted: Mavis needs it
    /// plain.
    #[arg(long, value_name = "FILE.csv")]
    pub out: PathBuf,

    /// Today, YYYY-MM-DD, for checking what was written (dates may not be
    /// after it); defaults to today in London.
    #[arg(long, value_parser = parse_date)]
    pub today: Option<NaiveDate>,

    /// The password of an encrypted workbook.
    #[command(flatten)]
    pub password: PasswordArgs,
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

    /// The workbook to write (.xlsx); encrypted when a password is given
    /// (--password-file or MAVIS_OFFLINE_PASSWORD).
    #[arg(long, value_name = "FILE.xlsx")]
    pub out: PathBuf,

    /// Write the workbook exactly as Mavis's "Record offline" downloads it,
    /// without the hidden Session sheet: check, merge, csv and report then
    /// work from what Mavis's own workbook holds, and say which checks
    /// only Mavis can make.
    #[arg(long)]
    pub as_mavis: bool,

    /// The password to encrypt the workbook with.
    #[command(flatten)]
    pub password: PasswordArgs,
}

/// Where the workbook password comes from.
#[derive(Debug, Default, Args)]
pub struct PasswordArgs {
    /// A file holding the password of encrypted workbooks (one trailing
    /// newline is not part of it). Without it, the environment variable
    /// MAVIS_OFFLINE_PASSWORD. There is no option for the password itself:
    /// other users could read it in the process list.
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
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
