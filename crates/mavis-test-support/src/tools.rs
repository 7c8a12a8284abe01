//! Programs the tests drive (LibreOffice's `soffice`, `cargo`), each found
//! on `PATH`, skipped when absent unless `MAVIS_REQUIRE_SHARED`
//! asks for everything to run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The first of `names` that is a file in a folder of `PATH`.
pub fn on_path(names: &[&str]) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths).find_map(|dir| {
        names
            .iter()
            .map(|name| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// The first of `names` on `PATH`, or `None` (after saying "skipped") when
/// there is none and it is not required; `what` names the program in
/// messages.
///
/// # Panics
///
/// When there is none and `MAVIS_REQUIRE_SHARED` is set.
pub fn program(test: &str, what: &str, names: &[&str]) -> Option<PathBuf> {
    let found = on_path(names);
    if found.is_none() {
        not_installed(test, what);
    }
    found
}

/// Say that `test` is skipped because `what` is not installed.
///
/// # Panics
///
/// When `MAVIS_REQUIRE_SHARED` is set: CI requires everything.
pub fn not_installed(test: &str, what: &str) {
    assert!(
        !crate::required(),
        "{test}: {what} is not installed, and CI requires it"
    );
    eprintln!("{test}: skipped: {what} is not installed");
}

/// LibreOffice's `soffice`, as [`program`] finds it.
///
/// # Panics
///
/// When it is absent and `MAVIS_REQUIRE_SHARED` is set.
pub fn soffice(test: &str) -> Option<PathBuf> {
    program(test, "soffice (LibreOffice)", &["soffice"])
}

/// `soffice` with its own profile folder under `work`, headless and with no
/// restore of earlier documents, ready for its arguments.
pub fn soffice_command(soffice: &Path, work: &Path) -> Command {
    let mut command = Command::new(soffice);
    command
        .arg(format!(
            "-env:UserInstallation=file://{}",
            work.join("lo-profile").display()
        ))
        .args(["--headless", "--norestore"]);
    command
}

/// Convert `files` with LibreOffice to the format `target` (`xlsx`, `csv`)
/// into the folder `out`.
///
/// # Panics
///
/// When LibreOffice does not run or fails.
pub fn convert(soffice: &Path, work: &Path, target: &str, files: &[PathBuf], out: &Path) {
    let mut command = soffice_command(soffice, work);
    command
        .args(["--convert-to", target, "--outdir"])
        .arg(out)
        .args(files);
    run_ok(&mut command, "soffice");
}

/// Run `command` to its end and return its output, which must be a success.
///
/// # Panics
///
/// When it cannot be started, or fails: the message holds its standard
/// error.
pub fn run_ok(command: &mut Command, what: &str) -> Output {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("{what} does not run: {e}"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
