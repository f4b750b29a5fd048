//! The fuzz targets' inputs that matter, run on the stable toolchain with every `cargo test`:
//! every crash the fuzzer has found (`fuzz/regressions/<target>/`, each fixed and kept) and the
//! seed corpus `fuzz/seed.sh` builds from the shipped files. Each goes through the very function
//! its fuzz target calls (`fuzz/fuzz_targets/common.rs`), which panics on what must not happen.

#[path = "../fuzz/fuzz_targets/common.rs"]
mod common;

use std::path::Path;

#[test]
fn every_saved_fuzz_crash_now_runs_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut ran = 0;
    for (name, target) in common::TARGETS {
        let dir = root.join(name);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        files.sort();
        for f in files {
            let data = std::fs::read(&f).unwrap();
            let outcome = std::panic::catch_unwind(|| target(&data));
            assert!(outcome.is_ok(), "{name}: {} panics again", f.display());
            ran += 1;
        }
    }
    println!("{ran} regression inputs");
}

#[test]
fn the_shipped_files_pass_through_every_target() {
    // The seeds: each shipped scenario through `scenario`, each network file through
    // `network` (its index byte first), each variant through `variant`, the replay through
    // `csv`. They must load (the shipped data are valid) and run.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let toml_in = |dir: &str| {
        let mut v: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        v.sort();
        v
    };
    let source = common::tree(Vec::new());
    for p in toml_in("scenarios") {
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(common::load(&source, &text).is_some(), "{}", p.display());
        common::scenario_input(text.as_bytes());
    }
    for (k, p) in toml_in("routes").iter().enumerate() {
        let mut data = vec![k as u8];
        data.extend(std::fs::read(p).unwrap());
        common::network_input(&data);
    }
    for p in toml_in("scenarios/variants") {
        common::variant_input(&std::fs::read(&p).unwrap());
    }
    let mut data = vec![0u8];
    data.extend(std::fs::read(root.join("scenarios/data/replay-2022.csv")).unwrap());
    common::csv_input(&data);
}
