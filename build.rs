//! Embeds every `routes/*.toml` file into the binary, sorted by name, so `corridor` runs with no
//! data files beside it.

use std::io::Write;

use sha2::{Digest, Sha256};

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
    // The data built in: one SHA-256 over every embedded file's name and contents, in order.
    let mut data = Sha256::new();
    for n in &names {
        hash_file(&mut data, &format!("routes/{n}"), &dir.join(n));
    }
    embed_scenarios(&mut f, &mut data);
    let data: String = data.finalize().iter().map(|b| format!("{b:02x}")).collect();
    println!("cargo:rustc-env=CORRIDOR_DATA_SHA256={data}");
    // The git revision and whether the sources built into the binary differ from it (the
    // manifest's build identity); absent outside a git checkout.
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    if let Some(rev) = git(&["rev-parse", "--short=12", "HEAD"]) {
        println!("cargo:rustc-env=CORRIDOR_GIT_REVISION={rev}");
        // Tracked changes and untracked files under what the binary is built from (tests and
        // docs do not count).
        let built_from = [
            "src",
            "routes",
            "scenarios",
            "build.rs",
            "Cargo.toml",
            "Cargo.lock",
        ];
        let mut args = vec!["--no-optional-locks", "status", "--porcelain", "--"];
        args.extend(built_from);
        let dirty = git(&args).is_some_and(|s| !s.is_empty());
        println!("cargo:rustc-env=CORRIDOR_GIT_DIRTY={}", u8::from(dirty));
        for p in built_from {
            println!("cargo:rerun-if-changed={p}");
        }
    }
    for p in [".git/HEAD", ".git/refs/heads", ".git/index"] {
        if std::path::Path::new(p).exists() {
            println!("cargo:rerun-if-changed={p}");
        }
    }
}

/// Adds `name` and the contents of `path` to `h`, each length-prefixed.
fn hash_file(h: &mut Sha256, name: &str, path: &std::path::Path) {
    let bytes = std::fs::read(path).expect("read an embedded file");
    for part in [name.as_bytes(), &bytes] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
}

/// Every file under `scenarios/` (TOML and CSV), as `(path relative to scenarios/, contents)`,
/// sorted, so `corridor study` runs with no files beside the binary.
fn embed_scenarios(f: &mut std::fs::File, data: &mut Sha256) {
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
        hash_file(data, &format!("scenarios/{rel}"), p);
        writeln!(
            f,
            "    ({rel:?}, include_str!({:?})),",
            p.display().to_string()
        )
        .unwrap();
    }
    writeln!(f, "];").unwrap();
}
