//! Write the offline session workbook of the demo session, as a nurse
//! would download it from Mavis, and say where it is.
//!
//! `cargo run --example write_offline_sheet`

use mavis::demo::{self, DemoOptions};
use mavis::domain::chrono::NaiveDate;
use mavis::sheet::OfflineWorkbook;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let today = NaiveDate::from_ymd_opt(2025, 10, 15).expect("valid date");
    let doc = demo::session(&DemoOptions::new(today));
    let workbook = OfflineWorkbook::new(&doc, today);
    let path = std::env::temp_dir().join(workbook.file_name());
    let file = std::io::BufWriter::new(std::fs::File::create(&path)?);
    let summary = workbook.write(file)?;
    println!(
        "{} rows for {} children, {} dropdown ranges",
        summary.rows,
        doc.children.len(),
        summary.validations
    );
    println!("{}", path.display());
    Ok(())
}
