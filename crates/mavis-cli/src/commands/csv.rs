//! `mavis-offline csv`.

use std::process::ExitCode;

use mavis_sheet::{read_path, write_upload_csv};

use super::{emit, print_issues, write_output};
use crate::cli::CsvArgs;
use crate::error::{Error, Result};

/// Read a workbook and write its upload CSV.
pub fn run(args: &CsvArgs) -> Result<ExitCode> {
    let table = read_path(&args.file)?;
    print_issues(&table.issues);
    if table.has_errors() {
        eprintln!(
            "No CSV written: correct the cells above in {} and run this again.",
            args.file.display()
        );
        return Ok(ExitCode::from(1));
    }
    let mut bytes = Vec::new();
    let rows = write_upload_csv(&table, &mut bytes).map_err(|source| Error::Sheet {
        path: args.out.clone(),
        source,
    })?;
    write_output(Some(&args.out), &bytes)?;
    emit(&format!(
        "Wrote {}: {rows} rows, ready to upload.\n",
        args.out.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}
