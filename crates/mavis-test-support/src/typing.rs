//! LibreOffice Calc typing into a workbook's cells as a person does (its
//! own input recognition turns `20261201`, `01/12/2026` or `10:30` into
//! what it would for a nurse at the keyboard), then saving it as `.xlsx`
//! or as its "CSV UTF-8". Driven through Python's UNO bridge
//! (`python3-uno`), headless, in the en-GB locale.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::{not_installed, program, run_ok};

/// The Python script that drives LibreOffice.
const SCRIPT: &str = include_str!("typing/libreoffice_type.py");

/// Text typed into one cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typed {
    /// The sheet, by name.
    pub sheet: String,
    /// The cell, as `Z2`.
    pub cell: String,
    /// What is typed.
    pub text: String,
}

impl Typed {
    /// `text` typed into `cell` of the `Vaccinations` sheet.
    pub fn vaccinations(cell: &str, text: &str) -> Typed {
        Typed {
            sheet: "Vaccinations".to_owned(),
            cell: cell.to_owned(),
            text: text.to_owned(),
        }
    }
}

/// A Python 3 that can `import uno`, or `None` (after saying "skipped")
/// when there is none and CI does not require it.
///
/// # Panics
///
/// When there is none and `MAVIS_REQUIRE_SHARED` is set.
pub fn python_uno(test: &str) -> Option<PathBuf> {
    program(test, "soffice (LibreOffice)", &["soffice"])?;
    let candidates = [PathBuf::from("/usr/bin/python3"), PathBuf::from("python3")];
    let found = candidates.into_iter().find(|python| {
        Command::new(python)
            .args(["-c", "import uno"])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        not_installed(test, "python3-uno (LibreOffice's Python bridge)");
    }
    found
}

/// Open `source` in LibreOffice Calc, type `typed` into its cells, and save
/// it as `target` (`.xlsx`, or `.csv` for its "CSV UTF-8" as shown); `work`
/// holds LibreOffice's profile and the script.
///
/// # Panics
///
/// When LibreOffice or the script fails.
pub fn type_and_save(python: &Path, work: &Path, source: &Path, target: &Path, typed: &[Typed]) {
    std::fs::create_dir_all(work).expect("the work folder");
    let script = work.join("libreoffice_type.py");
    std::fs::write(&script, SCRIPT).expect("the script is written");
    let edits = work.join("typed.json");
    std::fs::write(&edits, edits_json(typed)).expect("the edits are written");
    let mut command = Command::new(python);
    command
        .arg(&script)
        .arg(work.join("lo-profile"))
        .arg(source)
        .arg(target)
        .arg(&edits)
        .env("LC_ALL", "en_GB.UTF-8")
        .env("LANG", "en_GB.UTF-8");
    run_ok(&mut command, "LibreOffice typing");
    assert!(target.is_file(), "LibreOffice saved {}", target.display());
}

/// The edits as the script reads them: a JSON list of objects.
fn edits_json(typed: &[Typed]) -> String {
    let text = |s: &str| {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    };
    let items: Vec<String> = typed
        .iter()
        .map(|t| {
            format!(
                "{{\"sheet\": {}, \"cell\": {}, \"text\": {}}}",
                text(&t.sheet),
                text(&t.cell),
                text(&t.text)
            )
        })
        .collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_are_json() {
        let typed = [Typed::vaccinations("Z2", "a \"b\"\\\n")];
        assert_eq!(
            edits_json(&typed),
            r#"[{"sheet": "Vaccinations", "cell": "Z2", "text": "a \"b\"\\\u000a"}]"#
        );
    }
}
