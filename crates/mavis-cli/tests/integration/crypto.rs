//! Password-protected workbooks from the command line (issue 9): the
//! password comes from `--password-file` or `MAVIS_OFFLINE_PASSWORD`, never
//! from an argument; a missing or wrong one is a clear message and exit 2.

use std::path::PathBuf;
use std::process::{Command, Output};

use crate::common::{self, merge_args, s, stderr, stdout};
use mavis_sheet::{is_encrypted, read_bytes, read_bytes_with_password, ReadLimits};

const PASSWORD: &str = "Riverside 15/10, nurses only";
const ENV: &str = "MAVIS_OFFLINE_PASSWORD";

/// The binary with `args`, the password in the environment when given (and
/// never inherited otherwise).
fn run(args: &[&str], password: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mavis-offline"));
    command.args(args);
    match password {
        Some(p) => command.env(ENV, p),
        None => command.env_remove(ENV),
    };
    command.output().expect("the binary runs")
}

fn scratch(name: &str) -> PathBuf {
    let path = common::scratch("cli-crypto", name);
    let _ = std::fs::remove_file(&path);
    path
}

/// Export the demo session of 6 children, encrypted when `password` is given.
fn export(name: &str, password: Option<&str>) -> PathBuf {
    let path = scratch(name);
    let out = run(
        &[
            "export",
            "--children",
            "6",
            "--today",
            "2025-10-15",
            "--out",
            s(&path),
        ],
        password,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    path
}

#[test]
fn an_encrypted_export_checks_with_the_password_and_not_without() {
    let locked = export("locked.xlsx", Some(PASSWORD));
    let plain = export("plain.xlsx", None);
    let locked_bytes = std::fs::read(&locked).unwrap();
    assert!(is_encrypted(&locked_bytes));
    assert!(!is_encrypted(&std::fs::read(&plain).unwrap()));
    // The same sheet inside.
    assert_eq!(
        read_bytes_with_password(&locked_bytes, "x.xlsx", PASSWORD, &ReadLimits::default())
            .unwrap(),
        read_bytes(&std::fs::read(&plain).unwrap(), "x.xlsx").unwrap()
    );

    // With the password: the structure is valid, and the rows nobody
    // filled in are children not seen yet (issue 15), as for the plain
    // export.
    let with = run(
        &["check", s(&locked), "--today", "2025-10-15"],
        Some(PASSWORD),
    );
    let plain_check = run(&["check", s(&plain), "--today", "2025-10-15"], None);
    assert_eq!(with.status.code(), Some(0), "{}", stderr(&with));
    assert!(stderr(&with).is_empty(), "{}", stderr(&with));
    assert!(
        stdout(&with).contains(" not seen yet, "),
        "{}",
        stdout(&with)
    );
    assert_eq!(
        stdout(&with).replace("locked.xlsx", "plain.xlsx"),
        stdout(&plain_check)
    );

    // Without it: exit 2 and what to do.
    let without = run(&["check", s(&locked), "--today", "2025-10-15"], None);
    assert_eq!(without.status.code(), Some(2));
    assert!(stdout(&without).is_empty());
    assert_eq!(
        stderr(&without),
        "mavis-offline: locked.xlsx: this workbook is protected with a password; give it with \
         --password-file or MAVIS_OFFLINE_PASSWORD\n"
    );

    // A wrong one: exit 2, never garbage.
    let wrong = run(
        &["check", s(&locked), "--today", "2025-10-15"],
        Some("riverside 15/10, nurses only"),
    );
    assert_eq!(wrong.status.code(), Some(2));
    assert_eq!(
        stderr(&wrong),
        "mavis-offline: locked.xlsx: the password does not open this workbook; check it \
         (capitals count) and try again\n"
    );
}

#[test]
fn the_password_file_wins_and_loses_one_trailing_newline() {
    let file = scratch("password.txt");
    std::fs::write(&file, format!("{PASSWORD}\n")).unwrap();
    let locked = scratch("from-file.xlsx");
    let out = run(
        &[
            "export",
            "--children",
            "3",
            "--today",
            "2025-10-15",
            "--out",
            s(&locked),
            "--password-file",
            s(&file),
        ],
        Some("another password, ignored"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("encrypted with the password"));
    let bytes = std::fs::read(&locked).unwrap();
    read_bytes_with_password(&bytes, "x.xlsx", PASSWORD, &ReadLimits::default()).unwrap();

    // An empty password file is refused.
    let empty = scratch("empty.txt");
    std::fs::write(&empty, "\n").unwrap();
    let out = run(
        &["check", s(&locked), "--password-file", s(&empty)],
        Some(PASSWORD),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("empty.txt: the password file is empty"),
        "{}",
        stderr(&out)
    );
    // So is an empty environment variable.
    let out = run(&["check", s(&locked)], Some(""));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("MAVIS_OFFLINE_PASSWORD is set but empty"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn there_is_no_password_argument() {
    let out = run(
        &["export", "--out", s(&scratch("x.xlsx")), "--password", "x"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unexpected argument '--password'"));
}

#[test]
fn merged_outputs_stay_encrypted_and_the_upload_csv_is_plain() {
    let base = export("base.xlsx", Some(PASSWORD));
    let copy = scratch("copy.xlsx");
    std::fs::copy(&base, &copy).unwrap();
    let merged = scratch("merged.xlsx");
    let annotated = scratch("merged-annotated.xlsx");
    let out = run(
        &merge_args(
            &base,
            &[&copy],
            &[
                "--out",
                s(&merged),
                "--annotate",
                s(&annotated),
                "--today",
                "2025-10-15",
            ],
        ),
        Some(PASSWORD),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(is_encrypted(&std::fs::read(&merged).unwrap()));
    assert!(is_encrypted(&std::fs::read(&annotated).unwrap()));

    // --no-encrypt: plain.
    let plain = scratch("merged-plain.xlsx");
    let out = run(
        &merge_args(&base, &[&copy], &["--out", s(&plain), "--no-encrypt"]),
        Some(PASSWORD),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::read(&plain).unwrap().starts_with(b"PK\x03\x04"));

    // check --annotate of an encrypted file: encrypted (nothing is
    // recorded, so nothing is marked: the file as it was).
    let checked = scratch("checked.xlsx");
    let out = run(
        &["check", s(&merged), "--annotate", s(&checked)],
        Some(PASSWORD),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(is_encrypted(&std::fs::read(&checked).unwrap()));

    // The upload CSV: plain, and said so; not ready, as nothing of the
    // day is recorded (the workbook, encrypted, is its reference data).
    let csv = scratch("upload.csv");
    let out = run(&["csv", s(&merged), "--out", s(&csv)], Some(PASSWORD));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Not ready to upload: nothing is recorded in merged.xlsx yet"),
        "{}",
        stdout(&out)
    );
    assert!(std::fs::read_to_string(&csv)
        .unwrap()
        .starts_with("\u{feff}PERSON_FORENAME,"));
    assert!(
        stdout(&out).contains("upload.csv is not encrypted (Mavis needs the upload CSV plain)"),
        "{}",
        stdout(&out)
    );

    // And none of them reads without the password.
    let out = run(&["csv", s(&merged), "--out", s(&csv)], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("merged.xlsx: this workbook is protected with a password"));
}
