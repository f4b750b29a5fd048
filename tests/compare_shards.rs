//! `corridor compare --shard K/N` and `corridor merge` of its partials: the merged comparison
//! is the single process's, byte for byte (the bootstrap and the sensitivity included), and a
//! merge refuses what it cannot put together exactly.

mod common;

use std::path::Path;

use common::{corridor, files, stderr};

/// The shipped Monte Carlo scenario and two options copied into `root/inputs`, so that a
/// test can change them after the shards ran.
fn inputs(root: &Path) {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let to = root.join("inputs/variants");
    std::fs::create_dir_all(&to).unwrap();
    std::fs::copy(
        shipped.join("mc-random-failures.toml"),
        root.join("inputs/mc-random-failures.toml"),
    )
    .unwrap();
    for v in ["kcts", "tankers", "aktau-expansion"] {
        std::fs::copy(
            shipped.join(format!("variants/{v}.toml")),
            to.join(format!("{v}.toml")),
        )
        .unwrap();
    }
}

const OPTIONS: &str = "kcts,aktau-expansion+tankers";

#[test]
fn sharded_comparison_merges_into_exactly_the_single_process_and_bad_sets_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    inputs(root);
    let ok = |args: &[&str], cwd: &Path| {
        let o = corridor(args, cwd);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    };
    let compare = |extra: &[&str], cwd: &Path, sc: &str| {
        let mut args = vec![
            "compare",
            sc,
            "--variants",
            OPTIONS,
            "--runs",
            "41",
            "--sensitivity",
            "--quiet",
        ];
        args.extend_from_slice(extra);
        ok(&args, cwd);
    };
    compare(&["--out", "single"], root, "inputs/mc-random-failures.toml");
    // The shards run from another folder, with another relative path to the same scenario.
    std::fs::create_dir_all(root.join("node")).unwrap();
    for k in ["1/3", "2/3", "3/3"] {
        compare(
            &["--shard", k, "--out", "../parts"],
            &root.join("node"),
            "../inputs/mc-random-failures.toml",
        );
    }
    let part = |k: u32| format!("parts/mc-random-failures/compare/partial-{k}-of-3.json");
    // Given in any order; the merge runs from the root.
    ok(
        &["merge", &part(2), &part(3), &part(1), "--out", "merged"],
        root,
    );
    let single = files(&root.join("single"));
    let names: Vec<&str> = single.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "mc-random-failures/compare/compare.csv",
            "mc-random-failures/compare/compare.json",
            "mc-random-failures/compare/losses.png",
            "mc-random-failures/compare/losses.svg",
            "mc-random-failures/compare/options.png",
            "mc-random-failures/compare/options.svg",
            "mc-random-failures/compare/replicates.csv",
            "mc-random-failures/compare/sensitivity.csv",
            "mc-random-failures/compare/sensitivity.png",
            "mc-random-failures/compare/sensitivity.svg",
        ]
    );
    let merged = files(&root.join("merged"));
    assert_eq!(merged.len(), single.len());
    for ((a, x), (b, y)) in single.iter().zip(&merged) {
        assert_eq!(a, b);
        assert!(
            x == y,
            "{a} differs between the single process and the merge"
        );
    }
    // 41 replicates × 3 options in replicates.csv, plus its header.
    let reps = String::from_utf8_lossy(&single[6].1).into_owned();
    assert_eq!(reps.lines().count(), 1 + 41 * 3);

    let refused = |args: &[&str], want: &str| {
        let o = corridor(args, root);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
        assert!(!root.join("m").exists(), "{args:?} wrote output");
    };
    refused(
        &["merge", &part(1), &part(3), "--out", "m"],
        "missing shard(s) [2] of 3",
    );
    // A shard of another comparison (without the sensitivity) does not mix.
    ok(
        &[
            "compare",
            "inputs/mc-random-failures.toml",
            "--variants",
            OPTIONS,
            "--runs",
            "41",
            "--shard",
            "2/3",
            "--out",
            "other",
            "--quiet",
        ],
        root,
    );
    refused(
        &[
            "merge",
            &part(1),
            "other/mc-random-failures/compare/partial-2-of-3.json",
            &part(3),
            "--out",
            "m",
        ],
        "inputs differ",
    );
    // A run's partial is not a comparison's.
    ok(
        &[
            "run",
            "inputs/mc-random-failures.toml",
            "--runs",
            "41",
            "--shard",
            "2/3",
            "--out",
            "run",
            "--quiet",
        ],
        root,
    );
    refused(
        &[
            "merge",
            &part(1),
            "run/mc-random-failures/partial-2-of-3.json",
            &part(3),
            "--out",
            "m",
        ],
        "not a corridor partial file",
    );
    // A partial edited by hand: one option's column a replicate short.
    let text = std::fs::read_to_string(root.join(part(2))).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["outcomes"][1]["exports_kt"]
        .as_array_mut()
        .unwrap()
        .pop();
    std::fs::write(root.join("short.json"), json.to_string()).unwrap();
    refused(
        &["merge", &part(1), "short.json", &part(3), "--out", "m"],
        "option `kcts` has outcomes of lengths [13, 14, 14, 14, 14] for 14 replicates",
    );
    // An option's file changed after the shards ran: the merge would not be what they ran.
    let kcts = root.join("inputs/variants/kcts.toml");
    let text = std::fs::read_to_string(&kcts).unwrap();
    std::fs::write(&kcts, text.replace("value = 2500.0", "value = 2600.0")).unwrap();
    refused(
        &["merge", &part(1), &part(2), &part(3), "--out", "m"],
        "its inputs have changed since",
    );
    std::fs::write(&kcts, text).unwrap();
    ok(
        &["merge", &part(1), &part(2), &part(3), "--out", "again"],
        root,
    );
    assert!(files(&root.join("again")) == merged);
}

#[test]
fn compare_shard_arguments_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    inputs(dir.path());
    let sc = "inputs/mc-random-failures.toml";
    // A partial cannot go into a workbook: --shard and --xlsx are a command-line error.
    let o = corridor(
        &[
            "compare",
            sc,
            "--variants",
            "kcts",
            "--shard",
            "1/2",
            "--xlsx",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
    let o = corridor(
        &["compare", sc, "--variants", "kcts", "--shard", "3/2"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("K must be in 1..=N"), "{}", stderr(&o));
}
