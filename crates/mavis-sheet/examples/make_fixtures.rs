//! Write the reading fixtures into `crates/mavis-sheet/tests/data/`.
//!
//! `cargo run -p mavis-sheet --example make_fixtures`

#[path = "../tests/integration/common/fixtures.rs"]
mod fixtures;

fn main() -> std::io::Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    std::fs::create_dir_all(&dir)?;
    for (name, bytes) in fixtures::all() {
        std::fs::write(dir.join(name), bytes)?;
        println!("wrote tests/data/{name}");
    }
    Ok(())
}
