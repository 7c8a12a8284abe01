//! Print the readable dump of a small demo workbook.
//!
//! `cargo run -p mavis-sheet --example dump_demo -- [CHILDREN]`

use mavis_demo::{self as demo, DemoOptions};
use mavis_domain::chrono::NaiveDate;
use mavis_sheet::{dump::WorkbookDump, OfflineWorkbook};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let children = std::env::args().nth(1).map_or(Ok(3), |a| a.parse())?;
    let today = NaiveDate::from_ymd_opt(2025, 10, 15).expect("valid date");
    let doc = demo::session(&DemoOptions {
        children,
        ..DemoOptions::new(today)
    });
    let bytes = OfflineWorkbook::new(&doc, today).to_bytes()?;
    print!("{}", WorkbookDump::from_bytes(&bytes, "demo.xlsx")?);
    Ok(())
}
