//! `mavis-offline merge`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use mavis_domain::digest_bytes;
use mavis_merge::{merge, MarkKind, Report, Source};
use mavis_sheet::{
    annotate_sheet, edit_sheet, parse_session_sheet, read_bytes, read_sheet_rows,
    write_table_cells, Annotation, CellEdit, Entry, Mark, SESSION_SHEET, VACCINATIONS_SHEET,
};

use super::{emit, file_name, print_issues, write_output, Password};
use crate::cli::MergeArgs;
use crate::error::{Error, Result};

/// The first cell of a `Session` sheet row that records a merged copy.
const MERGED_FILE: &str = "merged_file";
/// The first cell of the row that records the merged outcome digest.
const MERGED_OUTCOME: &str = "merged_outcome_digest";

/// The names the base and the copies go by in messages: the file's name,
/// or, where two share it (copies from different folders), the path as
/// given, so that every message tells them apart.
fn display_names(base: &Path, copies: &[PathBuf]) -> Vec<String> {
    let paths: Vec<&Path> = std::iter::once(base)
        .chain(copies.iter().map(PathBuf::as_path))
        .collect();
    paths
        .iter()
        .map(|p| {
            let name = file_name(p);
            let shared = paths
                .iter()
                .filter(|q| file_name(q) == name)
                .map(|q| q.display().to_string())
                .collect::<std::collections::BTreeSet<_>>()
                .len()
                > 1;
            if shared {
                p.display().to_string()
            } else {
                name
            }
        })
        .collect()
}

/// The session a workbook's hidden `Session` sheet names, if it has one.
fn session_of(rows: Option<&[Vec<String>]>, name: &str) -> Result<Option<u64>> {
    match rows {
        Some(rows) => Ok(Some(parse_session_sheet(rows, name)?.document.session.id)),
        None => Ok(None),
    }
}

/// Merge the copies into the base and write the merged workbook.
pub fn run(args: &MergeArgs) -> Result<ExitCode> {
    let password = Password::new(&args.password);
    let (report, any_encrypted) = merge_files_with(
        &args.base,
        &args.copies,
        &args.out,
        &password,
        !args.no_encrypt,
    )?;
    let encrypt = any_encrypted && !args.no_encrypt;
    if let Some(path) = &args.report {
        let mut json = serde_json::to_vec_pretty(&report)?;
        json.push(b'\n');
        write_output(Some(path), &json)?;
    }
    emit(&format!("{report}\n"))?;
    emit(&format!(
        "Wrote {}{}.\n",
        args.out.display(),
        if encrypt {
            ", encrypted with the password of the inputs"
        } else {
            ""
        }
    ))?;
    super::report::after_merge(args, &report, &password, encrypt)?;
    if any_encrypted {
        if let Some(path) = &args.report {
            emit(&format!(
                "Note: {} is not encrypted: it names children with conflicts; keep it safe.\n",
                path.display()
            ))?;
        }
    }
    if report.has_conflicts() {
        emit(&format!(
            "{} conflicts remain: open {}, type the right value in each amber cell, and check it \
             again.\n",
            report.conflicts.len(),
            args.out.display()
        ))?;
        Ok(ExitCode::from(1))
    } else {
        Ok(ExitCode::SUCCESS)
    }
}

/// Merge the copies into the base, write the merged workbook to `out`, and
/// return the report. Encrypted inputs need the password in the
/// environment, and make the merged workbook encrypted.
pub fn merge_files(base_path: &Path, copy_paths: &[PathBuf], out: &Path) -> Result<Report> {
    merge_files_with(base_path, copy_paths, out, &Password::default(), true).map(|(r, _)| r)
}

/// Merge the copies into the base (see [`merge_files`]), decrypting
/// encrypted inputs with `password`; the merged workbook is encrypted with
/// it when any input was and `encrypt` allows. Also says whether any input
/// was encrypted.
pub fn merge_files_with(
    base_path: &Path,
    copy_paths: &[PathBuf],
    out: &Path,
    password: &Password,
    encrypt: bool,
) -> Result<(Report, bool)> {
    let mut names = display_names(base_path, copy_paths).into_iter();
    let base_name = names.next().unwrap_or_else(|| file_name(base_path));
    let opened = password.open(base_path)?;
    let mut any_encrypted = opened.encrypted;
    let base_bytes = opened.bytes;
    if !base_bytes.starts_with(b"PK\x03\x04") {
        return Err(Error::Usage(format!(
            "{base_name}: the base must be the workbook downloaded from Mavis (.xlsx), not a CSV"
        )));
    }
    let base = read_bytes(&base_bytes, &base_name)?;
    print_issues(&base.issues);
    let session_rows = read_sheet_rows(&base_bytes, &base_name, SESSION_SHEET)?;
    let base_session = session_of(session_rows.as_deref(), &base_name)?;
    let already: Vec<String> = session_rows
        .iter()
        .flatten()
        .filter(|r| r.first().map(String::as_str) == Some(MERGED_FILE))
        .filter_map(|r| r.get(2).cloned())
        .collect();

    let mut copies = Vec::new();
    for (path, name) in copy_paths.iter().zip(names) {
        let opened = password.open(path)?;
        any_encrypted |= opened.encrypted;
        let bytes = opened.bytes;
        if bytes.starts_with(b"PK\x03\x04") {
            let rows = read_sheet_rows(&bytes, &name, SESSION_SHEET)?;
            if let (Some(base_session), Some(copy_session)) =
                (base_session, session_of(rows.as_deref(), &name)?)
            {
                if copy_session != base_session {
                    return Err(mavis_merge::Error::OtherSession {
                        file: name,
                        copy_session: copy_session.to_string(),
                        base_session: base_session.to_string(),
                    }
                    .into());
                }
            }
        }
        let table = read_bytes(&bytes, &name)?;
        // What a copy's spreadsheet would show wrongly (a YYYYMMDD number
        // in a date cell) the merged workbook writes right: not repeated.
        let issues: Vec<_> = table
            .issues
            .iter()
            .filter(|i| i.severity != mavis_domain::Severity::Shown)
            .cloned()
            .collect();
        print_issues(&issues);
        copies.push((name, digest_bytes(&bytes), table));
    }
    let sources: Vec<Source<'_>> = copies
        .iter()
        .map(|(name, digest, table)| Source {
            name,
            digest,
            table,
        })
        .collect();
    let merged = merge(&base, &sources, &already)?;

    // The base workbook, with the merged values, marks and notes.
    let sheet_error = |source| Error::Sheet {
        path: out.to_owned(),
        source,
    };
    let mut bytes = write_table_cells(
        &base_bytes,
        &base_name,
        VACCINATIONS_SHEET,
        &merged.table,
        &merged.changed,
    )
    .map_err(sheet_error)?;
    let annotations: Vec<Annotation> = merged
        .marks
        .iter()
        .map(|m| Annotation {
            row: m.row,
            column: u32::try_from(m.column).unwrap_or(u32::MAX),
            mark: Some(match m.kind {
                MarkKind::Conflict => Mark::Conflict,
                MarkKind::ChangedOnTheDay => Mark::ChangedOnTheDay,
                MarkKind::Added => Mark::Added,
            }),
            note: Some(m.note.clone()),
        })
        .collect();
    if !annotations.is_empty() {
        bytes = annotate_sheet(
            &bytes,
            &base_name,
            VACCINATIONS_SHEET,
            &annotations,
            "mavis-offline",
        )
        .map_err(sheet_error)?;
    }
    // Record what was merged in the hidden Session sheet, so that merging
    // this workbook with further copies leaves these out, and the upload
    // check knows this version.
    if let Some(rows) = &session_rows {
        let mut next = u32::try_from(rows.len()).unwrap_or(u32::MAX) + 1;
        let mut edits = Vec::new();
        let mut push = |cells: [&str; 3]| {
            for (c, v) in cells.iter().enumerate() {
                if !v.is_empty() {
                    edits.push(CellEdit::new(
                        next,
                        u32::try_from(c).expect("3"),
                        Entry::Text((*v).to_owned()),
                    ));
                }
            }
            next += 1;
        };
        for s in merged
            .report
            .sources
            .iter()
            .filter(|s| s.status == "merged")
        {
            push([MERGED_FILE, &s.source, &s.digest]);
        }
        push([MERGED_OUTCOME, &merged.report.outcome_digest, ""]);
        bytes = edit_sheet(&bytes, &base_name, SESSION_SHEET, &edits).map_err(sheet_error)?;
    }
    password.write(out, &bytes, encrypt && any_encrypted)?;
    Ok((merged.report, any_encrypted))
}
