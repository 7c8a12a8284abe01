//! The `mavis-offline` binary, driven as a user drives it.

use std::path::PathBuf;
use std::process::{Command, Output};

use mavis_domain::chrono::NaiveDate;
use mavis_domain::demo::{self, DemoOptions};
use mavis_domain::{Programme, SessionDocument};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mavis-offline"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(out: &Output) -> &str {
    std::str::from_utf8(&out.stdout).unwrap()
}

fn stderr(out: &Output) -> &str {
    std::str::from_utf8(&out.stderr).unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn demo_session_prints_the_generator_output() {
    let out = run(&["demo-session", "--today", "2025-10-15"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).is_empty());
    let doc: SessionDocument = serde_json::from_str(stdout(&out)).unwrap();
    let today = NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
    assert_eq!(doc, demo::session(&DemoOptions::new(today)));
    assert_eq!(doc.children.len(), 120);
    assert_eq!(
        doc.session.programmes_in_order(),
        [Programme::Hpv, Programme::MenAcwy, Programme::TdIpv]
    );
}

#[test]
fn demo_session_flags_and_out_file() {
    let path = scratch("flu-mmr.json");
    let _ = std::fs::remove_file(&path);
    let out = run(&[
        "demo-session",
        "--children",
        "7",
        "--seed",
        "42",
        "--programmes",
        "flu,MMR",
        "--today",
        "2026-01-20",
        "--psd",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).is_empty(),
        "nothing on stdout when --out is given"
    );
    let doc: SessionDocument =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let expected = demo::session(&DemoOptions {
        children: 7,
        seed: 42,
        programmes: vec![Programme::Flu, Programme::Mmr],
        today: NaiveDate::from_ymd_opt(2026, 1, 20).unwrap(),
        psd_enabled: true,
    });
    assert_eq!(doc, expected);
    assert!(doc.session.psd_enabled);
}

#[test]
fn same_flags_same_bytes() {
    let args = ["demo-session", "--children", "20", "--today", "2025-10-15"];
    assert_eq!(run(&args).stdout, run(&args).stdout);
}

#[test]
fn bad_arguments_exit_2_with_a_plain_message() {
    for (args, expected) in [
        (
            &["demo-session", "--programmes", "polio"][..],
            "\"polio\" is not a known programme; use one of: flu, hpv, menacwy, mmr, td_ipv",
        ),
        (
            &["demo-session", "--today", "15/10/2025"][..],
            "\"15/10/2025\" is not a date; write it as YYYY-MM-DD, like 2025-10-15",
        ),
        (
            &["demo-session", "--children", "0"][..],
            "0 is not in 1..=1000000",
        ),
        (&["demo-session", "--children", "many"][..], "invalid digit"),
        (&["no-such-command"][..], "unrecognized subcommand"),
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stdout(&out).is_empty(), "{args:?}");
        assert!(
            stderr(&out).contains(expected),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn unwritable_out_file_is_reported_with_its_path() {
    let path = scratch("no-such-dir/session.json");
    let out = run(&[
        "demo-session",
        "--children",
        "2",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.starts_with("mavis-offline: "), "{err}");
    assert!(
        err.contains("session.json: could not write the file"),
        "{err}"
    );
}

#[test]
fn every_subcommand_has_help() {
    let top = run(&["--help"]);
    assert!(top.status.success());
    assert!(stdout(&top).contains("demo-session"));
    let sub = run(&["demo-session", "--help"]);
    assert!(sub.status.success());
    for flag in [
        "--children",
        "--seed",
        "--programmes",
        "--today",
        "--psd",
        "--out",
    ] {
        assert!(stdout(&sub).contains(flag), "help lacks {flag}");
    }
}
