//! `corridor run --keep-state` and `--extend`: a Monte Carlo run extended to more replicates
//! writes what one run of them all writes, byte for byte, and refuses to extend what it cannot
//! extend exactly.

mod common;

use std::path::Path;

use common::{corridor, stderr};

const ID: &str = "mc-random-failures";

fn scenario() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{ID}.toml"))
        .display()
        .to_string()
}

/// Every file of the run in `out`, as (name, bytes), sorted.
fn files(root: &Path, out: &str) -> Vec<(String, Vec<u8>)> {
    common::files(&root.join(out).join(ID))
}

fn run(root: &Path, args: &[&str]) -> std::process::Output {
    let sc = scenario();
    let mut all = vec!["run", sc.as_str(), "--quiet"];
    all.extend_from_slice(args);
    corridor(&all, root)
}

fn ok(root: &Path, args: &[&str]) {
    let o = run(root, args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
}

#[test]
fn a_run_extended_twice_is_the_single_run_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for bom in [false, true] {
        let b: &[&str] = if bom { &["--csv-bom"] } else { &[] };
        let with = |args: &[&'static str]| -> Vec<&'static str> { [args, b].concat() };
        ok(
            root,
            &with(&["--runs", "70", "--keep-state", "--out", "single"]),
        );
        ok(
            root,
            &with(&["--runs", "25", "--keep-state", "--out", "ext"]),
        );
        ok(root, &with(&["--runs", "52", "--extend", "--out", "ext"]));
        ok(root, &with(&["--runs", "70", "--extend", "--out", "ext"]));
        let (single, ext) = (files(root, "single"), files(root, "ext"));
        let names: Vec<&str> = single.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "data_losses.png",
                "data_losses.svg",
                "losses.png",
                "losses.svg",
                "manifest.json",
                "mc_daily_bands.csv",
                "mc_replicates.csv",
                "mc_state.json",
                "mc_summary.json"
            ]
        );
        assert_eq!(single.len(), ext.len());
        for ((a, x), (_, y)) in single.iter().zip(&ext) {
            assert!(x == y, "{a} differs (BOM {bom})");
        }
        let csv = String::from_utf8_lossy(&single[6].1).into_owned();
        assert_eq!(csv.lines().count(), 71);
        assert_eq!(csv.starts_with('\u{feff}'), bom);
    }
    // Only the listed rows, the same way.
    let failures = ["--replicates", "failures"];
    ok(
        root,
        &[
            &failures[..],
            &["--runs", "60", "--keep-state", "--out", "f1"],
        ]
        .concat(),
    );
    ok(
        root,
        &[
            &failures[..],
            &["--runs", "33", "--keep-state", "--out", "f2"],
        ]
        .concat(),
    );
    ok(
        root,
        &[&failures[..], &["--runs", "60", "--extend", "--out", "f2"]].concat(),
    );
    assert!(files(root, "f1") == files(root, "f2"));
}

#[test]
fn an_extension_refuses_what_it_cannot_extend_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let refused = |args: &[&str], code: i32, want: &str| {
        let o = run(root, args);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
    };
    // Nothing to extend: a run without --keep-state leaves no state.
    ok(root, &["--runs", "20", "--out", "plain"]);
    refused(
        &["--runs", "40", "--extend", "--out", "plain"],
        3,
        "hint: --extend continues a run made with --keep-state",
    );
    ok(root, &["--runs", "20", "--keep-state", "--out", "kept"]);
    let before = files(root, "kept");
    refused(
        &["--runs", "10", "--extend", "--out", "kept"],
        3,
        "it holds 20 replicate-years, more than --runs 10",
    );
    refused(
        &["--runs", "40", "--seed", "7", "--extend", "--out", "kept"],
        3,
        "the run it holds differs from this one",
    );
    refused(
        &[
            "--runs",
            "40",
            "--replicates",
            "none",
            "--extend",
            "--out",
            "kept",
        ],
        3,
        "the run it holds differs from this one",
    );
    // A failed extension leaves the run as it was.
    assert!(files(root, "kept") == before);
    // Rows changed by hand: the state's SHA-256 of mc_replicates.csv no longer matches.
    let csv = root.join("kept").join(ID).join("mc_replicates.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let last = text.lines().last().unwrap().to_string();
    std::fs::write(&csv, format!("{text}{last}\n")).unwrap();
    refused(
        &["--runs", "40", "--extend", "--out", "kept"],
        3,
        "not the mc_replicates.csv its mc_state.json recorded",
    );
    // A state edited by hand: statistics that do not count its runs.
    std::fs::write(&csv, &text).unwrap();
    let state = root.join("kept").join(ID).join("mc_state.json");
    let s = std::fs::read_to_string(&state).unwrap();
    assert_eq!(s.matches("\"runs\":20,").count(), 2);
    std::fs::write(&state, s.replace("\"runs\":20,", "\"runs\":21,")).unwrap();
    refused(
        &["--runs", "40", "--extend", "--out", "kept"],
        3,
        "not a state this corridor wrote",
    );
    // Command-line errors (exit 2): with a shard, or without --runs.
    refused(
        &[
            "--runs", "40", "--extend", "--shard", "1/2", "--out", "kept",
        ],
        2,
        "cannot be used with",
    );
    refused(&["--extend", "--out", "kept"], 2, "--runs <N>");
}
