//! Whole-run commit: a run killed at any moment leaves each output folder as the old run or the
//! new one, never a mixture, and the next run removes what the killed one had staged.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn corridor(args: &[&str], cwd: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_corridor"));
    c.args(args)
        .current_dir(cwd)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// Every file under `dir` (staging directories left out) with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    common::walk(dir)
        .into_iter()
        .map(|(p, m)| (p.display().to_string(), m))
        .filter(|(rel, m)| m.is_file() && !rel.starts_with(".corridor-staging-"))
        .map(|(rel, _)| {
            let bytes = std::fs::read(dir.join(&rel)).unwrap();
            (rel, bytes)
        })
        .collect()
}

/// Which of the complete output sets `sets` the folder `rel` of `out` equals, file for file
/// (`""`: the files directly in `out`).
fn which(out: &Path, rel: &str, sets: &[&BTreeMap<String, Vec<u8>>]) -> Option<usize> {
    let top = |m: &BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        m.iter()
            .filter(|(k, _)| !k.contains('/'))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let now = if rel.is_empty() {
        top(&snapshot(out))
    } else {
        snapshot(&out.join(rel))
    };
    let prefix = format!("{rel}/");
    sets.iter().position(|set| {
        let part: BTreeMap<String, Vec<u8>> = if rel.is_empty() {
            top(set)
        } else {
            set.iter()
                .filter_map(|(k, v)| Some((k.strip_prefix(&prefix)?.to_string(), v.clone())))
                .collect()
        };
        part == now
    })
}

fn staged(out: &Path) -> Vec<String> {
    std::fs::read_dir(out)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".corridor-staging-"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_run_killed_at_any_moment_leaves_the_old_outputs_or_the_new() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mc = root.join("scenarios/mc-random-failures.toml");
    let mc = mc.to_str().unwrap();
    // A Monte Carlo run spends about half its time writing (rows, statistics, bands, manifest,
    // two charts), so kills spread over its length land in the writes.
    let args = |runs: &'static str| vec!["run", mc, "--runs", runs, "--out", "out", "--quiet"];
    let out = dir.path().join("out");
    // The two complete output sets the kills alternate between: 12 and 8 replicates, so
    // every Monte Carlo file (rows, statistics, bands, manifest, charts) tells them apart.
    assert!(
        corridor(&args("12"), dir.path())
            .status()
            .unwrap()
            .success()
    );
    let twelve = snapshot(&out);
    let started = Instant::now();
    assert!(corridor(&args("8"), dir.path()).status().unwrap().success());
    let full = started.elapsed();
    let eight = snapshot(&out);
    assert_ne!(twelve, eight);
    let sets = [&twelve, &eight];
    // 20 kills at moments spread over a run's length and a little past it (a fixed sequence,
    // so a failure reproduces).
    let mut seen = std::collections::BTreeSet::new();
    for k in 0..20u64 {
        let runs = if k % 2 == 0 { "12" } else { "8" };
        let fraction = ((k * 7_919 + 13) % 997) as f64 / 997.0 * 1.1;
        let mut child = corridor(&args(runs), dir.path()).spawn().unwrap();
        std::thread::sleep(Duration::from_secs_f64(full.as_secs_f64() * fraction));
        let _ = child.kill();
        child.wait().unwrap();
        for rel in ["mc-random-failures", ""] {
            let set = which(&out, rel, &sets).unwrap_or_else(|| {
                panic!("kill {k} at {fraction:.2} of a run: `{rel}` mixes two runs")
            });
            seen.insert((rel, set));
        }
    }
    println!("folders seen as (folder, 0 = 12 replicates / 1 = 8): {seen:?}");
    // A complete run removes what the killed runs staged, and leaves nothing staged itself.
    assert!(corridor(&args("8"), dir.path()).status().unwrap().success());
    assert_eq!(staged(&out), Vec::<String>::new());
    assert_eq!(snapshot(&out), eight);
}

#[test]
fn a_failed_run_writes_nothing_and_publishing_keeps_other_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let storm = root.join("scenarios/cpc-terminal-storm.toml");
    let storm = storm.to_str().unwrap();
    let out = dir.path().join("out");
    // Another run's file in the scenario folder stays when the folder is republished.
    assert!(
        corridor(&["run", storm, "--out", "out", "--quiet"], dir.path())
            .status()
            .unwrap()
            .success()
    );
    std::fs::write(out.join("cpc-terminal-storm/notes.txt"), "mine").unwrap();
    assert!(
        corridor(&["run", storm, "--out", "out", "--quiet"], dir.path())
            .status()
            .unwrap()
            .success()
    );
    assert_eq!(
        std::fs::read_to_string(out.join("cpc-terminal-storm/notes.txt")).unwrap(),
        "mine"
    );
    // A run that fails after loading (a second scenario that does not load) publishes nothing.
    std::fs::write(dir.path().join("bad.toml"), "format = 1\n").unwrap();
    let before: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    let st = corridor(
        &["run", storm, "bad.toml", "--out", "out2", "--quiet"],
        dir.path(),
    )
    .status()
    .unwrap();
    assert_eq!(st.code(), Some(3));
    assert!(!dir.path().join("out2").exists());
    let after: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(before, after);
}
