//! Embeds every `routes/*.toml` file into the binary, sorted by name, so `corridor` runs with no
//! data files beside it.

use std::io::Write;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("routes");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("routes/ directory missing")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR"))
        .join("embedded_routes.rs");
    let mut f = std::fs::File::create(out).expect("create embedded_routes.rs");
    writeln!(
        f,
        "/// `(file name, contents)` of every `routes/*.toml`, sorted by name."
    )
    .unwrap();
    writeln!(f, "pub static ROUTE_FILES: &[(&str, &str)] = &[").unwrap();
    for n in &names {
        println!("cargo:rerun-if-changed={}", dir.join(n).display());
        writeln!(
            f,
            "    ({n:?}, include_str!({:?})),",
            dir.join(n).display().to_string()
        )
        .unwrap();
    }
    writeln!(f, "];").unwrap();
}
