//! `mavis-offline export`.

use std::process::ExitCode;

use mavis_sheet::OfflineWorkbook;

use super::{demo_session, emit, read_session, today_in_london, Password};
use crate::cli::ExportArgs;
use crate::error::{Error, Result};

/// Write the offline workbook of the session (or the demo session).
pub fn run(args: &ExportArgs) -> Result<ExitCode> {
    let doc = match &args.session {
        Some(path) => read_session(path)?,
        None => demo_session::build(&args.demo)?,
    };
    let today = args.demo.today.unwrap_or_else(today_in_london);
    let mut workbook = OfflineWorkbook::new(&doc, today);
    if args.as_mavis {
        workbook = workbook.as_mavis_downloads_it();
    }
    let mut bytes = Vec::new();
    let summary = workbook.write(&mut bytes).map_err(|source| Error::Sheet {
        path: args.out.clone(),
        source,
    })?;
    let password = Password::new(&args.password);
    let encrypted = password.get()?.is_some();
    password.write(&args.out, &bytes, encrypted)?;
    emit(&format!(
        "Wrote {}{}: {} rows for {} children, session {} at {} (Mavis would name it \"{}\").\n",
        args.out.display(),
        if encrypted {
            ", encrypted with the password"
        } else {
            ""
        },
        summary.rows,
        doc.children.len(),
        doc.session.id,
        doc.location_name(),
        workbook.file_name()
    ))?;
    Ok(ExitCode::SUCCESS)
}
