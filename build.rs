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
    embed_scenarios(&mut f);
    // The git revision, for the study report's manifest; absent outside a git checkout.
    let rev = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    if let Some(rev) = rev {
        println!("cargo:rustc-env=CORRIDOR_GIT_REVISION={rev}");
    }
    for p in [".git/HEAD", ".git/refs/heads"] {
        if std::path::Path::new(p).exists() {
            println!("cargo:rerun-if-changed={p}");
        }
    }
}

/// Every file under `scenarios/` (TOML and CSV), as `(path relative to scenarios/, contents)`,
/// sorted, so `corridor study` runs with no files beside the binary.
fn embed_scenarios(f: &mut std::fs::File) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        println!("cargo:rerun-if-changed={}", d.display());
        for e in std::fs::read_dir(&d).expect("read scenarios/").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "toml" || x == "csv") {
                files.push(p);
            }
        }
    }
    files.sort();
    writeln!(
        f,
        "/// `(path under scenarios/, contents)` of every shipped scenario file, sorted."
    )
    .unwrap();
    writeln!(f, "pub static SCENARIO_FILES: &[(&str, &str)] = &[").unwrap();
    for p in &files {
        println!("cargo:rerun-if-changed={}", p.display());
        let rel = p
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            f,
            "    ({rel:?}, include_str!({:?})),",
            p.display().to_string()
        )
        .unwrap();
    }
    writeln!(f, "];").unwrap();
}
