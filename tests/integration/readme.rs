//! The README's promises: exactly two set-up commands, the first runs, the
//! second is what CI runs.

use std::process::Command;

use mavis_test_support::fresh_dir;
use mavis_test_support::tools::run_ok;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// The commands in the `sh` blocks of the "Get started" section.
fn setup_commands() -> Vec<String> {
    let text = readme();
    let section = text
        .split("\n## ")
        .find(|s| s.starts_with("Get started"))
        .expect("a Get started section");
    section
        .split("```sh\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap().trim().to_owned())
        .collect()
}

#[test]
fn exactly_two_setup_commands() {
    let commands = setup_commands();
    assert_eq!(commands.len(), 2, "{commands:?}");
    assert!(commands[0].starts_with("cargo run --release -p mavis-cli -- "));
    assert_eq!(commands[1], "cargo test --workspace");
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    assert!(
        ci.contains(&commands[1]),
        ".ci/run does not run the README's test command"
    );
}

#[test]
fn the_main_command_runs() {
    let commands = setup_commands();
    let mut args: Vec<&str> = commands[0].split_whitespace().skip(1).collect();
    // The same command in the dev profile, to spare a release build here,
    // run from an empty folder as a newcomer's would be.
    args.retain(|a| *a != "--release");
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let dir = fresh_dir(
        std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("readme-main-command"),
    );
    let out = run_ok(
        Command::new(env!("CARGO"))
            .args(&args[..1])
            .args(["--manifest-path", manifest])
            .args(&args[1..])
            .current_dir(&dir),
        "the README's main command",
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("The upload CSV is valid"), "{stdout}");
    for file in [
        "session.xlsx",
        "merged.xlsx",
        "resolved.xlsx",
        "upload.csv",
        "merge-report.json",
    ] {
        assert!(
            dir.join("walkthrough").join(file).exists(),
            "{file} was not written"
        );
    }
}
