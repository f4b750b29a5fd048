//! Shared test helpers: golden files and the micro-network fixtures.
#![allow(dead_code)] // each test crate uses a part of them

pub mod fixtures;
pub mod workbook;

/// Runs the `corridor` binary with `args` in `cwd` and waits for it.
pub fn corridor(args: &[&str], cwd: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run corridor")
}

/// What a run printed on stdout.
pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// What a run printed on stderr.
pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Compares `got` with the golden file at `path`, showing the first differing lines; with
/// `UPDATE_GOLDEN=1` in the environment, rewrites the file instead.
pub fn check_golden(path: &str, got: &str) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        if let Some(dir) = std::path::Path::new(path).parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(path).unwrap_or_default();
    if got != want {
        let diff: Vec<String> = want
            .lines()
            .zip(got.lines())
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .take(8)
            .map(|(i, (a, b))| format!("line {}:\n  - {a}\n  + {b}", i + 1))
            .collect();
        panic!(
            "{path} differs ({} vs {} lines); regenerate with UPDATE_GOLDEN=1 if intended:\n{}",
            want.lines().count(),
            got.lines().count(),
            diff.join("\n")
        );
    }
}

/// Asserts that the mean of the per-replicate estimates `u` lies within 4 standard errors of
/// `expect`, and that the standard error is below `max_se` (so the test can fail).
pub fn assert_mean_within_4_se(u: &[f64], expect: f64, max_se: f64) {
    let (mean, se) = mean_and_se(u);
    assert!(
        (mean - expect).abs() < 4.0 * se,
        "estimate {mean} ± {se}, expected {expect}"
    );
    assert!(se < max_se, "the test must be able to fail: se {se}");
}

/// The mean of `x` and its standard error (sample standard deviation / √n).
pub fn mean_and_se(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let sd = (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    (mean, sd / n.sqrt())
}

/// Compares `specs` (variants in `vdir` of `tree`) on scenario `l` over `runs` replicates, as
/// `corridor compare` does.
pub fn compare_options(
    tree: &corridor::io::Memory,
    vdir: &str,
    l: &corridor::io::LoadedScenario,
    specs: &[&str],
    runs: u64,
) -> Vec<corridor::engine::compare::VariantStats> {
    let variants: Vec<_> = specs
        .iter()
        .map(|s| {
            corridor::io::variant::load_variant_in(tree, s, std::path::Path::new(vdir), &l.network)
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    corridor::engine::compare::evaluate(&l.scenario, &variants, runs, &|| {})
        .unwrap()
        .2
}

/// Every file under `dir`, as (path relative to `dir`, bytes), sorted by path: to compare two
/// output folders byte for byte.
pub fn files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    walk(dir)
        .into_iter()
        .filter(|(_, m)| m.is_file())
        .map(|(rel, _)| {
            (
                rel.display().to_string(),
                std::fs::read(dir.join(&rel)).unwrap(),
            )
        })
        .collect()
}

/// Every entry under `root` (folders descended, symbolic links listed but not followed) with
/// its metadata, as paths relative to `root`, sorted. A missing `root` lists nothing; any other
/// read error fails the test.
pub fn walk(root: &std::path::Path) -> Vec<(std::path::PathBuf, std::fs::Metadata)> {
    let mut out = Vec::new();
    if !root.exists() {
        return out;
    }
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let m = std::fs::symlink_metadata(&p).unwrap();
            if m.is_dir() {
                stack.push(p.clone());
            }
            out.push((p.strip_prefix(root).unwrap().to_path_buf(), m));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}
