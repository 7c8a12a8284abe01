//! `mavis-offline csv`.

use std::process::ExitCode;

use mavis_sheet::{read_bytes, write_upload_csv};

use super::{emit, file_name, print_issues, write_output, Password};
use crate::cli::CsvArgs;
use crate::error::{Error, Result};

/// Read a workbook and write its upload CSV.
pub fn run(args: &CsvArgs) -> Result<ExitCode> {
    let opened = Password::new(&args.password).open(&args.file)?;
    let table = read_bytes(&opened.bytes, &file_name(&args.file))?;
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
    if opened.encrypted {
        emit(&format!(
            "Note: {} is not encrypted (Mavis needs the upload CSV plain): keep it safe, \
             and delete it once it is uploaded.\n",
            args.out.display()
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}
