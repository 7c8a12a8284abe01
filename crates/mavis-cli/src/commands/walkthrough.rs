//! `mavis-offline walkthrough`: the whole offline day on the demo session.

use std::fmt::Write as _;
use std::process::ExitCode;

use mavis_demo::{self as demo, fill_copies_with, DateStyle, DayPlan, DemoOptions};
use mavis_domain::Programme;
use mavis_sheet::{canonical_edits, edit_sheet, read_bytes, write_upload_csv, OfflineWorkbook};

use super::check::{attendance_text, text_report};
use super::checked::check_file;
use super::csv::keep_recorded;
use super::merge::merge_files;
use super::{emit, read_file, today_in_london, write_output};
use crate::cli::WalkthroughArgs;
use crate::error::{Error, Result};
use crate::progress::Step;

/// Run the day and print a short summary of each step.
pub fn run(args: &WalkthroughArgs) -> Result<ExitCode> {
    let dir = &args.dir;
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.clone(),
        source,
    })?;
    let today = args.today.unwrap_or_else(today_in_london);
    let mut out = String::new();
    let path = |name: &str| dir.join(name);

    // 1. The download: the workbook as Mavis's Record offline writes it.
    let doc = demo::session(&DemoOptions {
        children: usize::try_from(args.children).expect("u32 fits"),
        seed: args.seed,
        programmes: vec![Programme::Hpv, Programme::MenAcwy, Programme::TdIpv],
        today,
        psd_enabled: false,
    });
    let base_path = path("session.xlsx");
    let summary = {
        let _step = Step::start("Downloading the session workbook");
        let mut bytes = Vec::new();
        let summary = OfflineWorkbook::new(&doc, today)
            .as_mavis_downloads_it()
            .write(&mut bytes)
            .map_err(|source| Error::Sheet {
                path: base_path.clone(),
                source,
            })?;
        write_output(Some(&base_path), &bytes)?;
        summary
    };
    let _ = writeln!(
        out,
        "1. Downloaded the session workbook as Mavis's Record offline writes it: {} children, {} \
         rows, session {} at {} on {}.\n   {}",
        doc.children.len(),
        summary.rows,
        doc.session.id,
        doc.location_name(),
        today,
        base_path.display()
    );

    // 2. The nurses' copies.
    let base = read_file(&base_path)?;
    let day = {
        let _step = Step::start("Filling the nurses' copies");
        fill_copies_with(
            &base,
            &DayPlan {
                nurses: usize::try_from(args.nurses).expect("u32 fits"),
                seed: args.seed,
                session: Some((&doc, today)),
                not_seen_every: NOT_SEEN_EVERY,
                absence: true,
            },
        )?
    };
    let _ = writeln!(out, "2. Each nurse filled her own copy:");
    let mut copy_paths = Vec::new();
    for copy in &day.copies {
        let p = path(&copy.name);
        write_output(Some(&p), &copy.bytes)?;
        let dates = match copy.dates {
            DateStyle::TypedNumber => "typed dates as YYYYMMDD",
            DateStyle::Picked => "picked dates",
            DateStyle::TypedText => "typed dates as text",
        };
        let _ = writeln!(
            out,
            "   {} ({}): {} vaccinated, {} not vaccinated; {dates}.\n   {}",
            copy.name,
            copy.email,
            copy.vaccinated,
            copy.not_vaccinated,
            p.display()
        );
        copy_paths.push(p);
    }
    if let Some((row, child, status)) = &day.consent_change {
        let _ = writeln!(
            out,
            "   On the day, row {row} ({child}): consent changed to \"{status}\"."
        );
    }
    if let Some((row, child)) = day.absent.first() {
        let _ = writeln!(
            out,
            "   A nurse did not find {child} and typed \"absent from school\" on row {row}, as \
             the user guide says ({}).",
            count(day.absent.len(), "row", "rows")
        );
    }
    let _ = writeln!(
        out,
        "   Nobody saw {}: their rows stay blank.",
        count(day.not_seen.len(), "row", "rows")
    );

    // 3. Merge.
    let merged_path = path("merged.xlsx");
    let report = {
        let _step = Step::start("Merging the copies");
        merge_files(&base_path, &copy_paths, &merged_path)?
    };
    let report_path = path("merge-report.json");
    let mut json = serde_json::to_vec_pretty(&report)?;
    json.push(b'\n');
    write_output(Some(&report_path), &json)?;
    let _ = writeln!(
        out,
        "3. Merged {}: {} recorded, {}, {} to make in Mavis by hand, {} absent, {} not seen \
         yet.\n   {}\n   {}",
        count(day.copies.len(), "copy", "copies"),
        count(report.recorded.total.count(), "outcome", "outcomes"),
        count(report.conflicts.len(), "conflict", "conflicts"),
        count(
            report.changes_on_the_day.len(),
            "change on the day",
            "changes on the day"
        ),
        count(report.absent.len(), "row", "rows"),
        count(
            report.not_seen.values().map(Vec::len).sum::<usize>(),
            "row",
            "rows"
        ),
        merged_path.display(),
        report_path.display()
    );
    for c in &report.changes_on_the_day {
        let _ = writeln!(
            out,
            "   Change on the day: row {}, {} ({}): {:?} -> {:?}.",
            c.row, c.header, c.child, c.from, c.to
        );
    }

    // 4. Resolve the conflict as a person would.
    let resolved_path = path("resolved.xlsx");
    let merged = read_file(&merged_path)?;
    let merged_name = super::file_name(&merged_path);
    // The admin's resolution, written as the tool writes every cell: in
    // canonical form, so the resolved workbook shows and saves as Mavis
    // reads it.
    let resolved = read_bytes(&merged, &merged_name)
        .and_then(|table| {
            let resolution = canonical_edits(&table.headers, &day.resolution);
            edit_sheet(
                &merged,
                &merged_name,
                mavis_sheet::VACCINATIONS_SHEET,
                &resolution,
            )
        })
        .map_err(|source| Error::Sheet {
            path: resolved_path.clone(),
            source,
        })?;
    write_output(Some(&resolved_path), &resolved)?;
    match (&day.conflict, report.conflicts.first()) {
        (Some((row, child)), Some(c)) => {
            let said: Vec<String> = c
                .values
                .iter()
                .map(|v| format!("{} said {:?}", v.source, v.value))
                .collect();
            let _ = writeln!(
                out,
                "4. Resolved the conflict on row {row} ({child}): {}. Kept the first: {}.\n   {}",
                said.join("; "),
                day.resolution_reason,
                resolved_path.display()
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "4. No conflict to resolve.\n   {}",
                resolved_path.display()
            );
        }
    }

    // 5. Check the merged workbook.
    let checked = {
        let _step = Step::start("Checking the merged workbook");
        check_file(&resolved_path, None, today, &[])?
    };
    let _ = writeln!(
        out,
        "5. Checked {}: {}.",
        resolved_path.display(),
        verdict(
            checked.valid(),
            checked.report.rows_checked,
            checked.report.errors.len()
        )
    );
    if !checked.valid() {
        out.push_str(&first_lines(&text_report(&checked)));
    }

    // 6. The upload CSV (the recorded rows), checked too.
    let upload_path = path("upload.csv");
    let left_out;
    {
        let _step = Step::start("Writing the upload CSV");
        let mut table = read_bytes(&resolved, "resolved.xlsx")?;
        left_out = keep_recorded(&mut table);
        let mut csv = Vec::new();
        write_upload_csv(&table, &mut csv).map_err(|source| Error::Sheet {
            path: upload_path.clone(),
            source,
        })?;
        write_output(Some(&upload_path), &csv)?;
    }
    let upload = {
        let _step = Step::start("Checking the upload CSV");
        check_file(&upload_path, Some(&resolved_path), today, &[])?
    };
    let _ = writeln!(
        out,
        "6. Wrote and checked the upload CSV: {}.\n   {}",
        verdict(
            upload.valid(),
            upload.report.rows_checked,
            upload.report.errors.len()
        ),
        upload_path.display()
    );
    if let Some(attendance) = &left_out {
        out.push_str(&indent(&attendance_text(attendance, false)));
    }
    if !checked.not_checked_offline.is_empty() {
        let _ = writeln!(
            out,
            "   Checked offline from what the workbook holds; Mavis checks on upload:"
        );
        for line in &checked.not_checked_offline {
            let _ = writeln!(out, "   - {line}");
        }
    }
    if upload.valid() {
        let _ = writeln!(
            out,
            "\nThe upload CSV is valid: make the changes on the day and the absences in Mavis by \
             hand, then upload {} once, in Mavis under Import > Vaccination records.",
            upload_path.display()
        );
    } else {
        out.push_str(&first_lines(&text_report(&upload)));
    }
    emit(&out)?;
    Ok(if checked.valid() && upload.valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// One child in `NOT_SEEN_EVERY` is seen by nobody on the day.
const NOT_SEEN_EVERY: usize = 9;

/// `text`, each line indented to sit under a step.
fn indent(text: &str) -> String {
    text.lines().map(|l| format!("   {l}\n")).collect()
}

fn verdict(valid: bool, rows: u64, errors: usize) -> String {
    if valid {
        format!("valid, {rows} rows")
    } else {
        format!("not valid, {errors} problems")
    }
}

/// The first problems of a report, and where to see them all.
fn first_lines(report: &str) -> String {
    const SHOWN: usize = 20;
    let lines: Vec<&str> = report.lines().collect();
    if lines.len() <= SHOWN {
        return report.to_owned();
    }
    format!(
        "{}\n   … and {} more lines: run `mavis-offline check` on the file to see them all.\n",
        lines[..SHOWN].join("\n"),
        lines.len() - SHOWN
    )
}

/// `1 conflict`, `2 conflicts`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
