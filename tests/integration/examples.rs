//! Every example runs and prints what it promises.

use std::process::Command;

use mavis_test_support::tools::run_ok;

fn run_example(name: &str) -> String {
    let out = run_ok(
        Command::new(env!("CARGO"))
            .args(["run", "--quiet", "--example", name])
            .current_dir(env!("CARGO_MANIFEST_DIR")),
        &format!("example {name}"),
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn demo_session_example() {
    let out = run_example("demo_session");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "Example School Age Immunisation Service at Riverside Academy on 2025-10-15: 120 children"
    );
    assert!(
        lines[1].starts_with("Flu: ") && lines[1].contains("consent given"),
        "{out}"
    );
    assert!(
        lines[1].ends_with("batches offered: CT4471, VT1203, FL2281A, VX8802, FL2290B"),
        "{out}"
    );
    assert!(
        lines[2].starts_with("HPV: ") && lines[2].ends_with("GD9X6630, GD9X5521"),
        "{out}"
    );
}

#[test]
fn write_offline_sheet_example() {
    let out = run_example("write_offline_sheet");
    let mut lines = out.lines();
    let summary = lines.next().unwrap();
    assert!(
        summary.ends_with("rows for 120 children, 16 dropdown ranges"),
        "{summary}"
    );
    let path = std::path::PathBuf::from(lines.next().unwrap());
    assert!(path.ends_with("Riverside Academy (141234) - exported on 15 October 2025.xlsx"));
    let bytes = std::fs::read(&path).unwrap();
    let dump = mavis::sheet::dump::WorkbookDump::from_bytes(&bytes, "copy.xlsx").unwrap();
    assert_eq!(dump.sheets[0].name, "Vaccinations");
}
