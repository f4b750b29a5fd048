//! Runs the real `corridor` binary in temporary directories.

use std::path::Path;
use std::process::Command;

mod common;

use common::{corridor, stderr, stdout};

#[test]
fn network_table_on_embedded_data() {
    let dir = tempfile::tempdir().unwrap();
    let o = corridor(&["network"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Route inventory"));
    assert!(
        out.contains("maximum export capacity           95.9 Mt/yr"),
        "{out}"
    );
    assert!(
        out.contains("N-1: loss of cpc-atyrau-komsomolskaya"),
        "{out}"
    );
    assert!(
        out.contains("share that must transit Russia   95.9%"),
        "{out}"
    );
    assert!(
        out.contains("maximum export capacity         2235.0 Gbps"),
        "{out}"
    );
    assert!(
        stderr(&o).is_empty(),
        "no warnings on the shipped data: {}",
        stderr(&o)
    );
}

#[test]
fn network_json_is_stable_and_has_the_documented_keys() {
    let dir = tempfile::tempdir().unwrap();
    let o = corridor(&["network", "--format", "json"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for key in ["nodes", "links", "routes"] {
        assert!(v[key].as_array().is_some_and(|a| !a.is_empty()), "{key}");
    }
    for el in v["links"]
        .as_array()
        .unwrap()
        .iter()
        .chain(v["nodes"].as_array().unwrap())
    {
        for key in [
            "id",
            "kind",
            "capacity",
            "unit",
            "length_km",
            "countries",
            "status",
            "source",
        ] {
            assert!(el.get(key).is_some(), "{key} missing in {el}");
        }
    }
    for layer in ["oil", "data"] {
        let l = &v[layer];
        for key in ["max_capacity", "russia_share", "hhi", "shannon"] {
            assert!(l[key].is_number(), "{layer}.{key}");
        }
        assert!(l["n_minus_1"]["asset"].is_string());
        assert!(l["n_minus_1"]["remaining_capacity"].is_number());
    }
    assert_eq!(v["oil"]["max_capacity"], 95.8903);
    assert_eq!(v["oil"]["n_minus_1"]["remaining_capacity"], 23.3903);
    // Same bytes on a second run.
    let again = corridor(&["network", "--format", "json"], dir.path());
    assert_eq!(o.stdout, again.stdout);
}

#[test]
fn geojson_parses_back_with_one_feature_per_asset() {
    let dir = tempfile::tempdir().unwrap();
    let o = corridor(
        &["network", "--geojson", "net.geojson", "--format", "json"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let n_nodes = report["nodes"].as_array().unwrap().len();
    let n_links = report["links"].as_array().unwrap().len();
    let text = std::fs::read_to_string(dir.path().join("net.geojson")).unwrap();
    let fc: geojson::FeatureCollection = text.parse().unwrap();
    assert_eq!(fc.features.len(), n_nodes + n_links);
    let count = |point: bool| {
        fc.features
            .iter()
            .filter(|f| match f.geometry.as_ref().unwrap().value {
                geojson::GeometryValue::Point { .. } => point,
                geojson::GeometryValue::LineString { .. } => !point,
                _ => false,
            })
            .count()
    };
    let (points, lines) = (count(true), count(false));
    assert_eq!((points, lines), (n_nodes, n_links));
    let btc = fc
        .features
        .iter()
        .find(|f| f.property("id").and_then(|v| v.as_str()) == Some("btc"))
        .unwrap();
    assert_eq!(
        btc.property("length_sourced_km").and_then(|v| v.as_f64()),
        Some(1768.0)
    );
    // Converts to geo types (as QGIS would read it).
    let g: geo::LineString<f64> = btc.geometry.clone().unwrap().try_into().unwrap();
    assert!(g.0.len() > 10);
}

#[test]
fn out_dir_gets_every_table() {
    let dir = tempfile::tempdir().unwrap();
    let o = corridor(
        &["network", "--out", "output", "--format", "csv"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for f in [
        "network_routes.csv",
        "network_assets.csv",
        "network_indicators.csv",
        "network.json",
        "network.geojson",
    ] {
        let p = dir.path().join("output").join(f);
        assert!(
            std::fs::metadata(&p)
                .map(|m| m.len() > 100)
                .unwrap_or(false),
            "{f}"
        );
    }
    // stdout is the route CSV: a header and one row per route.
    let mut rdr = csv::Reader::from_reader(o.stdout.as_slice());
    assert_eq!(rdr.headers().unwrap().get(0), Some("route"));
    assert_eq!(rdr.records().count(), 16);
    let ind = std::fs::read_to_string(dir.path().join("output/network_indicators.csv")).unwrap();
    assert!(
        ind.contains("oil,n_minus_1_asset,cpc-atyrau-komsomolskaya,"),
        "{ind}"
    );
}

fn write_routes(dir: &Path, text: &str) {
    std::fs::create_dir_all(dir.join("routes")).unwrap();
    std::fs::write(dir.join("routes/net.toml"), text).unwrap();
}

#[test]
fn invalid_data_exits_3_with_every_problem_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write_routes(
        dir.path(),
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad/several.toml"),
        )
        .unwrap(),
    );
    let o = corridor(
        &["network", "--routes", "routes", "--out", "out"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    assert!(
        err.contains("routes/net.toml:20: node[port].lat: latitude 95"),
        "{err}"
    );
    assert!(
        err.contains("routes/net.toml:25: node[market].kind: unknown node kind `markt`"),
        "{err}"
    );
    assert!(
        err.contains("routes/net.toml:35: link[pipe].to: unknown node `prot`"),
        "{err}"
    );
    assert!(!dir.path().join("out").exists());
    assert!(stdout(&o).is_empty());
}

#[test]
fn warnings_pass_unless_strict() {
    let dir = tempfile::tempdir().unwrap();
    write_routes(
        dir.path(),
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad/disconnected_node.toml"),
        )
        .unwrap(),
    );
    let o = corridor(&["network", "--routes", "routes"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("warning: routes/net.toml:32: node[orphan]: touches no link"),
        "{}",
        stderr(&o)
    );
    let o = corridor(&["network", "--routes", "routes", "--strict"], dir.path());
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("[disconnected_node]"));
}

#[test]
fn missing_routes_dir_and_bad_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let o = corridor(&["network", "--routes", "nowhere"], dir.path());
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).starts_with("corridor: cannot read nowhere"),
        "{}",
        stderr(&o)
    );
    let o = corridor(&["network", "--format", "xml"], dir.path());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn unwritable_output_exits_4() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("file"), "x").unwrap();
    let o = corridor(&["network", "--out", "file/sub"], dir.path());
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot write file/sub: Not a directory (os error 20)")
            && !stderr(&o).contains("(os error 20): Not a directory"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn checks_lists_the_named_checks() {
    let dir = tempfile::tempdir().unwrap();
    let o = corridor(&["checks"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    for c in [
        "duplicate_id",
        "unknown_node",
        "disconnected_node",
        "non_positive_capacity",
        "coordinates_out_of_range",
        "unknown_unit",
        "route_not_chain",
    ] {
        assert!(stdout(&o).contains(c), "{c}");
    }
}

#[test]
fn help_documents_units_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let o = corridor(&["--help"], dir.path());
    let h = stdout(&o);
    assert!(h.contains("Mt/yr") && h.contains("Gbps") && h.contains("Exit codes"));
    let o = corridor(&["network", "--help"], dir.path());
    let h = stdout(&o);
    for flag in [
        "--routes",
        "--format",
        "--geojson",
        "--out",
        "--include-planned",
        "--strict",
    ] {
        assert!(h.contains(flag), "{flag}");
    }
}

#[test]
fn output_is_byte_identical_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let run = |threads: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_corridor"))
            .args(["network", "--format", "json", "--include-planned"])
            .env("RAYON_NUM_THREADS", threads)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0));
        o.stdout
    };
    assert_eq!(run("1"), run("2"));
}

fn scenario_path(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn run_writes_daily_summary_and_the_cross_scenario_table() {
    let dir = tempfile::tempdir().unwrap();
    let a = scenario_path("cpc-terminal-storm.toml");
    let b = scenario_path("baseline.toml");
    let o = corridor(&["run", &a, &b, "--out", "out"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for s in ["cpc-terminal-storm", "baseline"] {
        let daily = std::fs::read_to_string(dir.path().join(format!("out/{s}/daily.csv"))).unwrap();
        assert_eq!(daily.lines().count(), 366, "{s}: header + 365 days");
        assert!(
            daily.starts_with("date,day,production_kt,exports_kt,baseline_exports_kt,performance,")
        );
        let j: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join(format!("out/{s}/summary.json"))).unwrap(),
        )
        .unwrap();
        for key in [
            "exported_mt",
            "baseline_exported_mt",
            "lost_exports_mt",
            "lost_revenue_usd",
            "min_performance",
            "days_below_90pct",
            "days_to_recover",
            "resilience_loss",
            "route_shares",
            "russia_transit_share",
            "hhi_flows",
            "data_unserved_tb",
            "data_peak_latency_ms",
            "assets_hit",
        ] {
            assert!(j.get(key).is_some(), "{s}: {key}");
        }
    }
    let summary = std::fs::read_to_string(dir.path().join("out/summary.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(summary.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][0], "cpc-terminal-storm");
    assert_eq!(&rows[1][3], "0.0000", "the baseline loses nothing");
    assert!(stdout(&o).contains("cpc-terminal-storm"));
}

#[test]
fn run_output_is_identical_for_any_thread_count_and_with_every_day_solving() {
    let dir = tempfile::tempdir().unwrap();
    let all: Vec<String> = [
        "russia-transit-cutoff.toml",
        "novorossiysk-hazard.toml",
        "replay-2022.toml",
    ]
    .iter()
    .map(|s| scenario_path(s))
    .collect();
    let go = |threads: &str, out: &str, extra: &[&str]| {
        let mut args = vec!["run"];
        args.extend(all.iter().map(String::as_str));
        args.extend(["--out", out]);
        args.extend(extra);
        let o = Command::new(env!("CARGO_BIN_EXE_corridor"))
            .args(&args)
            .env("RAYON_NUM_THREADS", threads)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    };
    go("1", "one", &[]);
    go("2", "two", &[]);
    go("2", "every", &["--every-day"]);
    for s in [
        "russia-transit-cutoff",
        "novorossiysk-hazard",
        "replay-2022",
    ] {
        let read =
            |d: &str, f: &str| std::fs::read_to_string(dir.path().join(d).join(s).join(f)).unwrap();
        assert_eq!(read("one", "daily.csv"), read("two", "daily.csv"), "{s}");
        assert_eq!(
            read("one", "summary.json"),
            read("two", "summary.json"),
            "{s}"
        );
        // Every-day solving: identical except the `solved` column and the solve counts.
        let strip = |t: String| {
            t.lines()
                .map(|l| l.rsplit_once(',').unwrap().0.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            strip(read("one", "daily.csv")),
            strip(read("every", "daily.csv")),
            "{s}"
        );
    }
}

#[test]
fn broken_scenarios_exit_3_with_every_problem_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scenarios/good.toml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a.toml"),
        good.replace("cpc-spm-1", "cpc-spm-9"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.toml"),
        good.replace("fraction = 0.5", "fraction = -1"),
    )
    .unwrap();
    let o = corridor(&["run", "a.toml", "b.toml", "--out", "out"], dir.path());
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    assert!(err.contains("a.toml:22: event[spm out].assets: unknown asset `cpc-spm-9` (did you mean `cpc-spm-1`?)"), "{err}");
    assert!(
        err.contains("b.toml:31: event[route derate].fraction: -1 is outside 0…1"),
        "{err}"
    );
    assert!(!dir.path().join("out").exists());
    let o = corridor(&["validate", "a.toml"], dir.path());
    assert_eq!(o.status.code(), Some(3));
    let o = corridor(
        &["validate", &scenario_path("replay-2022.toml")],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("replay-2022: ok (9 events, 365 days from 2022-01-01)"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn monte_carlo_run_is_identical_across_thread_counts_and_quiet_off_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let mc = scenario_path("mc-random-failures.toml");
    let go = |threads: &str, out: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_corridor"))
            .args(["run", &mc, "--runs", "120", "--out", out])
            .env("RAYON_NUM_THREADS", threads)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        o
    };
    let one = go("1", "one");
    go("2", "two");
    // No progress bar when stderr is not a terminal: only the "wrote" lines.
    for line in stderr(&one).lines() {
        assert!(
            line.starts_with("corridor: wrote "),
            "unexpected stderr line {line:?}"
        );
    }
    assert!(
        stdout(&one)
            .starts_with("mc-random-failures: 120 replicate-years; annual lost exports mean ")
    );
    for f in [
        "mc_replicates.csv",
        "mc_summary.json",
        "mc_daily_bands.csv",
        "manifest.json",
    ] {
        let read =
            |d: &str| std::fs::read(dir.path().join(d).join("mc-random-failures").join(f)).unwrap();
        assert_eq!(
            read("one"),
            read("two"),
            "{f} differs between 1 and 2 threads"
        );
    }
    let base = dir.path().join("one/mc-random-failures");
    let reps = std::fs::read_to_string(base.join("mc_replicates.csv")).unwrap();
    assert_eq!(reps.lines().count(), 121);
    // The data-loss distribution is rebuilt from the replicates byte for byte (its title
    // aside, which names the scenario in the run and the run in the rebuild).
    let o = corridor(
        &[
            "chart",
            "data-losses",
            "one/mc-random-failures/mc_replicates.csv",
            "--out",
            "again",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The title's text and its tag (whose textLength follows the text) aside.
    let strip = |p: &std::path::Path| {
        let t = std::fs::read_to_string(p).unwrap();
        let lines: Vec<&str> = t.lines().collect();
        (0..lines.len())
            .filter(|&i| {
                let title = |j: usize| lines[j].to_lowercase().contains("annual data losses");
                !(title(i) || (i + 1 < lines.len() && title(i + 1)))
            })
            .map(|i| lines[i].to_string())
            .collect::<Vec<_>>()
    };
    let (again, run) = (
        strip(&dir.path().join("again.svg")),
        strip(&base.join("data_losses.svg")),
    );
    assert!(
        again == run,
        "the rebuilt data-loss chart differs from the run's"
    );
    assert!(run.iter().any(|l| l.contains("mc-random-failures: mean ")));
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(base.join("mc_summary.json")).unwrap())
            .unwrap();
    assert_eq!(j["runs"], 120);
    for key in ["mean", "se", "p5", "p50", "p95", "cvar95"] {
        assert!(j["lost_exports_mt"][key].is_number(), "{key}");
        assert!(j["lost_revenue_usd"][key].is_number(), "{key}");
    }
    for key in [
        "p_loss_over_5pct",
        "p_loss_over_10pct",
        "p_loss_over_25pct",
        "data_unserved_mean_tb",
    ] {
        assert!(j[key].is_number(), "{key}");
    }
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(base.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(m["seed"], 20261129);
    let inputs = m["inputs"].as_array().unwrap();
    assert!(
        inputs
            .iter()
            .any(|i| i[0].as_str().unwrap().ends_with("mc-random-failures.toml"))
    );
    assert!(inputs.iter().all(|i| i[1].as_str().unwrap().len() == 64));
    let bands = std::fs::read_to_string(base.join("mc_daily_bands.csv")).unwrap();
    assert_eq!(bands.lines().count(), 366);
}

#[test]
fn shards_merge_into_exactly_the_single_run_and_bad_sets_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mc = scenario_path("mc-random-failures.toml");
    let ok = |args: &[&str]| {
        let o = corridor(args, dir.path());
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    };
    ok(&["run", &mc, "--runs", "45", "--out", "single", "--quiet"]);
    for k in ["1/3", "2/3", "3/3"] {
        ok(&[
            "run", &mc, "--runs", "45", "--shard", k, "--out", "parts", "--quiet",
        ]);
    }
    let part = |k: u32| format!("parts/mc-random-failures/partial-{k}-of-3.json");
    // Given in any order.
    ok(&["merge", &part(3), &part(1), &part(2), "--out", "merged"]);
    // Every file of the single run, charts included, and nothing else.
    let listing = |d: &str| {
        let mut names: Vec<String> =
            std::fs::read_dir(dir.path().join(d).join("mc-random-failures"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
        names.sort();
        names
    };
    assert_eq!(
        listing("single"),
        [
            "data_losses.png",
            "data_losses.svg",
            "losses.png",
            "losses.svg",
            "manifest.json",
            "mc_daily_bands.csv",
            "mc_replicates.csv",
            "mc_summary.json"
        ]
    );
    assert_eq!(listing("single"), listing("merged"));
    for f in listing("single") {
        let f = f.as_str();
        let read =
            |d: &str| std::fs::read(dir.path().join(d).join("mc-random-failures").join(f)).unwrap();
        assert_eq!(read("single"), read("merged"), "{f}");
    }
    let refused = |args: &[&str], want: &str| {
        let o = corridor(args, dir.path());
        assert_eq!(o.status.code(), Some(3), "{args:?}");
        assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
    };
    refused(
        &["merge", &part(1), &part(3), "--out", "m"],
        "missing shard(s) [2] of 3",
    );
    refused(
        &[
            "merge",
            &part(1),
            &part(1),
            &part(2),
            &part(3),
            "--out",
            "m",
        ],
        "shard 1 of 3 is given twice",
    );
    // A shard of a different run (another replicate count) does not mix.
    ok(&[
        "run", &mc, "--runs", "46", "--shard", "2/3", "--out", "other", "--quiet",
    ]);
    refused(
        &[
            "merge",
            &part(1),
            "other/mc-random-failures/partial-2-of-3.json",
            &part(3),
            "--out",
            "m",
        ],
        "inputs differ",
    );
    // A partial from another build: another revision, local changes, other embedded data or
    // another version. The message names both files and both builds.
    let text = std::fs::read_to_string(dir.path().join(part(2))).unwrap();
    let build_at = text.find("\"build\":{").unwrap();
    let build_end = text[build_at..].find('}').unwrap() + build_at + 1;
    let build = &text[build_at..build_end];
    let rev_at = build.find("\"revision\":\"").unwrap() + 12;
    let rev = &build[rev_at..rev_at + build[rev_at..].find('"').unwrap()];
    let dirty = if build.contains("\"dirty\":true") {
        "true"
    } else {
        "false"
    };
    let other_dirty = if dirty == "true" { "false" } else { "true" };
    for (what, from, to) in [
        (
            "revision",
            format!("\"revision\":\"{rev}\""),
            "\"revision\":\"0123456789ab\"".to_string(),
        ),
        (
            "dirty",
            format!("\"dirty\":{dirty}"),
            format!("\"dirty\":{other_dirty}"),
        ),
        (
            "data",
            "\"data_sha256\":\"".to_string(),
            "\"data_sha256\":\"00".to_string(),
        ),
        (
            "version",
            format!("\"version\":\"{}\"", env!("CARGO_PKG_VERSION")),
            "\"version\":\"0.0.1\"".to_string(),
        ),
    ] {
        assert!(build.contains(&from), "{what}: {build}");
        let other = text.replacen(build, &build.replacen(&from, &to, 1), 1);
        std::fs::write(dir.path().join("old.json"), &other).unwrap();
        let o = corridor(
            &["merge", &part(1), "old.json", &part(3), "--out", "m"],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(3), "{what}");
        let err = stderr(&o);
        assert!(
            err.contains("old.json: written by corridor")
                && err.contains(&format!("but {} was written by corridor", part(1)))
                && err.contains("every shard must come from one build"),
            "{what}: {err}"
        );
        // Every shard from that other build: consistent, but not this merge's build.
        let o = corridor(&["merge", "old.json", "--out", "m"], dir.path());
        assert_eq!(o.status.code(), Some(3), "{what}");
        assert!(
            stderr(&o).contains("but this merge is corridor"),
            "{what}: {}",
            stderr(&o)
        );
    }
    if rev != "unknown" {
        assert!(
            text.contains(&format!("\"revision\":\"{rev}\"")) && rev.len() == 12,
            "{rev}"
        );
    }
    // A changed input file changes the manifest hash.
    let at = text.find("\"inputs\":[[").unwrap();
    let hash_at = text[at..].find(",\"").unwrap() + at + 2;
    let mut changed = text.clone();
    changed.replace_range(hash_at..hash_at + 64, &"0".repeat(64));
    std::fs::write(dir.path().join("changed.json"), changed).unwrap();
    refused(
        &["merge", &part(1), "changed.json", &part(3), "--out", "m"],
        "inputs differ",
    );
    // The same scenario by another path (relative, from another working directory) is the same
    // input.
    let sub = dir.path().join("elsewhere");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::copy(&mc, sub.join("mc-random-failures.toml")).unwrap();
    let o = corridor(
        &[
            "run",
            "mc-random-failures.toml",
            "--runs",
            "45",
            "--shard",
            "2/3",
            "--out",
            "../rel",
            "--quiet",
        ],
        &sub,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    ok(&[
        "merge",
        &part(1),
        "rel/mc-random-failures/partial-2-of-3.json",
        &part(3),
        "--out",
        "merged2",
    ]);
    let read = |d: &str| {
        std::fs::read(dir.path().join(d).join("mc-random-failures/manifest.json")).unwrap()
    };
    assert_eq!(read("single"), read("merged2"));
    // A malformed shard is a command-line error (exit 2).
    let o = corridor(&["run", &mc, "--shard", "4/3", "--out", "m"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("K must be in 1..=N"), "{}", stderr(&o));
    assert!(!dir.path().join("m").exists());
}

#[test]
fn network_warnings_travel_to_validate_and_run_of_a_scenario() {
    // A duplicate node id in the scenario's routes: the second definition is left out of the
    // run, so validate and run say so (and --strict refuses, tests/hostile).
    let dir = tempfile::tempdir().unwrap();
    let routes = dir.path().join("r");
    std::fs::create_dir_all(&routes).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for e in std::fs::read_dir(root.join("routes")).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "toml") {
            std::fs::copy(e.path(), routes.join(e.file_name())).unwrap();
        }
    }
    let fields = routes.join("10-fields.toml");
    let mut text = std::fs::read_to_string(&fields).unwrap();
    text.push_str("\n[[node]]\nid = \"tengiz\"\nname = \"again\"\nkind = \"field\"\nlon = 53.4\nlat = 46.3\nlocation_source = \"test\"\ncountry = \"KZ\"\n");
    std::fs::write(&fields, text).unwrap();
    let scenario = std::fs::read_to_string(root.join("scenarios/baseline.toml"))
        .unwrap()
        .replace("network = \"embedded\"", "network = \"r\"");
    std::fs::write(dir.path().join("s.toml"), scenario).unwrap();
    let want = "corridor: warning: r/10-fields.toml:";
    for args in [
        vec!["validate", "s.toml"],
        vec!["run", "s.toml", "--out", "out", "--quiet"],
    ] {
        let o = corridor(&args, dir.path());
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains(want)
                && err.contains("duplicate id `tengiz`; this definition is left out"),
            "{args:?}: {err}"
        );
    }
    // And into the run's summary.json, with the file and line.
    let w = summary_warnings(&dir.path().join("out/s"));
    assert!(
        w.iter().any(|w| w.starts_with("r/10-fields.toml:")
            && w.contains("duplicate id `tengiz`; this definition is left out")),
        "{w:?}"
    );
}

#[test]
fn hostile_partials_are_refused_before_anything_is_written() {
    // Partials edited by hand or by an attacker: a scenario name that is a path, shard numbers
    // and ranges that do not add up, counts and sums that do not match the replicates. Each is
    // refused (exit 3) naming the file, and nothing is written, inside --out or outside it.
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let mc = scenario_path("mc-random-failures.toml");
    for k in ["1/3", "2/3", "3/3"] {
        let o = corridor(
            &[
                "run", &mc, "--runs", "45", "--shard", k, "--out", "parts", "--quiet",
            ],
            &work,
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let part = |k: u32| format!("parts/mc-random-failures/partial-{k}-of-3.json");
    let text = std::fs::read_to_string(work.join(part(2))).unwrap();
    let huge = "1".repeat(38);
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "relative path",
            text.replace("\"mc-random-failures\"", "\"../../escape\""),
            "scenario `../../escape` is not an id",
        ),
        (
            "absolute path",
            text.replace("\"mc-random-failures\"", "\"/tmp/escape\""),
            "scenario `/tmp/escape` is not an id",
        ),
        (
            "shard beyond the count",
            text.replacen("\"shard\":2,", "\"shard\":7,", 1),
            "shard 7 of 3 is not a shard of 45 runs",
        ),
        (
            "range shifted",
            text.replacen("\"first\":15,", "\"first\":14,", 1),
            "replicates 14..30 are not shard 2 of 3's 15..30",
        ),
        (
            "count off by one",
            text.replacen("\"aggregates\":{\"n\":15,", "\"aggregates\":{\"n\":16,", 1),
            "16 replicates aggregated for 15 in its range",
        ),
        (
            "sum that would overflow",
            {
                let at = text.find("\"sum_lost_kg\":").unwrap() + 14;
                let end = at + text[at..].find(',').unwrap();
                let mut t = text.clone();
                t.replace_range(at..end, &huge);
                t
            },
            "sums larger than its replicates can reach",
        ),
        (
            "a replicate row too many",
            {
                let at = text.find("\"rows\":\"").unwrap() + 8;
                let mut t = text.clone();
                t.insert_str(at, "99,1.0,0,0,0,1.0,0,0,0,x,x\\n");
                t
            },
            "16 replicate rows for 15 replicates",
        ),
    ];
    for (what, bad, want) in cases {
        std::fs::write(work.join("bad.json"), &bad).unwrap();
        let before = csv_files(dir.path()).len();
        let o = corridor(
            &["merge", &part(1), "bad.json", &part(3), "--out", "m"],
            &work,
        );
        assert_eq!(o.status.code(), Some(3), "{what}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("bad.json: not a partial this corridor wrote")
                && stderr(&o).contains(want),
            "{what}: {}",
            stderr(&o)
        );
        assert!(!work.join("m").exists(), "{what}: wrote into --out");
        assert!(!dir.path().join("escape").exists() && !Path::new("/tmp/escape").exists());
        assert_eq!(csv_files(dir.path()).len(), before, "{what}");
    }
}

#[test]
fn compare_ranks_options_and_writes_its_tables() {
    let dir = tempfile::tempdir().unwrap();
    let mc = scenario_path("mc-random-failures.toml");
    let o = corridor(
        &[
            "compare",
            &mc,
            "--variants",
            "aktau-expansion,cable,tankers+btc-6",
            "--runs",
            "12",
            "--out",
            "out",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let table = stdout(&o);
    assert!(table.starts_with("variant"), "{table}");
    for v in ["status-quo", "aktau-expansion", "cable", "tankers+btc-6"] {
        assert!(table.contains(v), "{v} missing:\n{table}");
    }
    let base = dir.path().join("out/mc-random-failures/compare");
    let csv_text = std::fs::read_to_string(base.join("compare.csv")).unwrap();
    assert_eq!(csv_text.lines().count(), 5);
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(base.join("compare.json")).unwrap()).unwrap();
    let first = &j["variants"][0];
    for key in [
        "avoided_mt",
        "avoided_usd",
        "benefit_cost",
        "cvar95_change_mt",
        "p_loss_over_10pct_change",
        "days_below_80pct_change",
        "russia_share_flows",
        "hhi_flows",
        "n_minus_1_mt",
        "p_beats",
    ] {
        assert!(first.get(key).is_some(), "{key}");
    }
    // An unknown variant: exit 3 with a suggestion.
    let o = corridor(
        &[
            "compare",
            &mc,
            "--variants",
            "aktau-expanson",
            "--runs",
            "2",
            "--out",
            "out2",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("did you mean `aktau-expansion`?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn run_draws_charts_and_chart_rebuilds_them_from_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let storm = scenario_path("cpc-terminal-storm.toml");
    let o = corridor(&["run", &storm, "--out", "out"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for f in [
        "throughput.png",
        "throughput.svg",
        "resilience.png",
        "resilience.svg",
    ] {
        assert!(
            dir.path().join("out/cpc-terminal-storm").join(f).exists(),
            "{f}"
        );
    }
    let o = corridor(
        &[
            "chart",
            "throughput",
            "out/cpc-terminal-storm/daily.csv",
            "--out",
            "again",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Rebuilt from the CSV, the chart is the same picture.
    assert_eq!(
        std::fs::read(dir.path().join("again.svg")).unwrap(),
        std::fs::read(dir.path().join("out/cpc-terminal-storm/throughput.svg")).unwrap()
    );
    let o = corridor(
        &[
            "chart",
            "resilience",
            "out/cpc-terminal-storm/summary.json",
            "--out",
            "x",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
}

#[test]
fn study_runs_end_to_end_from_an_empty_directory() {
    // cwd has no routes/ or scenarios/: everything comes from the binary.
    let dir = tempfile::tempdir().unwrap();
    let o = corridor(&["study", "--runs", "20", "--out", "out"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).trim_end().ends_with("index.html"),
        "{}",
        stdout(&o)
    );
    let out = dir.path().join("out");
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    // Every chart inline: 3 network charts, 4 for each of the 11 deterministic scenarios, a loss
    // distribution and a data-loss distribution per Monte Carlo scenario (3; each loses data in
    // these 20 years), the Monte Carlo scenarios overlaid (loss distributions, resilience
    // bands), the options chart and the options' loss distributions, the portfolios'
    // frontier, and the hindcast.
    assert_eq!(
        html.matches("<svg class=\"chart\"").count(),
        3 + 4 * 11 + 3 * 2 + 2 + 2 + 1 + 1
    );
    // Light enough to mail: under 1 MB with every chart inline.
    assert!(html.len() < 1_000_000, "{} bytes", html.len());
    // The executive summary first, then the sections.
    let summary = html.find("<section id=\"summary\">").unwrap();
    assert!(summary < html.find("<section id=\"network\">").unwrap());
    assert!(html.contains("<meta name=\"viewport\""));
    assert!(html.contains("@media print"));
    // Every figure captioned and linked to its files, which exist.
    let figures = html.matches("<figure id=").count();
    assert_eq!(figures, html.matches("<svg class=\"chart\"").count());
    assert_eq!(figures, html.matches("<figcaption").count());
    let links: Vec<&str> = html
        .split(" download>")
        .filter_map(|s| s.rsplit("<a href=\"").next()?.strip_suffix('"'))
        .collect();
    assert!(links.len() >= 3 * figures, "{} links", links.len());
    for f in links {
        assert!(out.join(f).is_file(), "{f}");
    }
    // The basemap once, used by the 12 maps and the insets of the 6 zoomed ones.
    assert_eq!(html.matches("id=\"corridor-basemap\"").count(), 1);
    assert_eq!(html.matches("href=\"#corridor-basemap\"").count(), 12 + 6);
    assert!(html.contains("<section id=\"history\">\n<h2>Does the model reproduce history?</h2>"));
    assert!(html.contains("2025-11-sea-drone-attack"));
    // The investment portfolio: the best within each of the 4 budgets, robustness, staging.
    assert!(html.contains("<section id=\"portfolio\">\n<h2>Investment portfolio</h2>"));
    for caption in [
        "The best portfolio within each budget",
        "What each option adds to the best portfolio",
        "Robustness: the choice when the assumptions are wrong",
        "Staging: which investment first",
    ] {
        assert!(html.contains(caption), "{caption}");
    }
    let choice =
        std::fs::read_to_string(out.join("mc-random-failures/optimise/choice.csv")).unwrap();
    assert_eq!(choice.lines().filter(|l| l.contains(",best,")).count(), 4);
    // Every replicate of every option: 20 replicates × 8 options.
    let reps =
        std::fs::read_to_string(out.join("mc-random-failures/compare/replicates.csv")).unwrap();
    assert_eq!(reps.lines().count(), 1 + 20 * 8);
    assert!(html.contains("Resilience: Monte Carlo scenarios compared"));
    for id in [
        "aktobe-fibre-corridor-cut",
        "baseline",
        "caspian-cable-fault-russian-cut",
        "caspian-winter-storms",
        "cpc-pump-station-strike",
        "cpc-terminal-storm",
        "novorossiysk-hazard",
        "replay-2022",
        "russia-transit-cutoff",
        "tengiz-upstream-outage",
        "trans-caspian-cable-cut",
    ] {
        assert!(html.contains(&format!("id=\"s-{id}\"")), "{id}");
        assert!(out.join(id).join("map.svg").exists(), "{id}");
    }
    // Tables: indicators, routes, scenarios, the comparison with every shipped variant.
    assert!(html.contains("<td>Export capacity (Mt/yr; Gbps)</td><td class=\"n\">95.9</td>"));
    for v in [
        "status-quo",
        "btc-2-2",
        "btc-6",
        "aktau-expansion",
        "tankers",
        "kcts",
        "cable",
        "middle-corridor",
    ] {
        assert!(
            html.contains(&format!("<span class=\"id\">{v}</span>")),
            "{v}"
        );
    }
    // The manifest: seeds, runs and a SHA-256 for each input (routes, scenarios, variants).
    assert!(html.contains("mc-random-failures: seed 20261129, 20 simulated years"));
    let shas = html.matches("<td><code>").count();
    // 10 network files, 14 scenarios and the replay CSV, 7 variants, 12 history scenarios.
    assert_eq!(shas, 10 + 15 + 7 + 12);
    assert!(html.contains("<td>scenarios/history/2026-01-tengiz-fire.toml</td>"));
    assert!(html.contains("<td>scenarios/variants/kcts.toml</td>"));
    assert!(html.contains("routes/20-cpc.toml"));
    // Sources resolved from routes/README.md.
    assert!(html.contains("<b>S122</b> Silkroadnews/Trend"));
    // Self-contained: nothing is fetched from anywhere.
    for bad in ["http://", "https://", "src=", "<link", "<script", "url("] {
        assert!(!html.contains(bad), "report references {bad}");
    }
    // Same seed, same inputs: the same report, byte for byte.
    let o2 = corridor(&["study", "--runs", "20", "--out", "again"], dir.path());
    assert_eq!(o2.status.code(), Some(0));
    let again = std::fs::read_to_string(dir.path().join("again/index.html")).unwrap();
    assert_eq!(html, again);
}

#[test]
fn network_chart_writes_only_the_charts() {
    let dir = tempfile::tempdir().unwrap();
    let o = corridor(&["network", "--chart"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "network_data_capacity.png",
            "network_data_capacity.svg",
            "network_map.png",
            "network_map.svg",
            "network_oil_capacity.png",
            "network_oil_capacity.svg",
        ]
    );
}

#[test]
fn study_reports_a_warning_once_and_strict_refuses_it_before_running() {
    // A scenario directory of the user's with one provenance left out: a warning only.
    let dir = tempfile::tempdir().unwrap();
    let sc = dir.path().join("sc");
    std::fs::create_dir_all(sc.join("variants")).unwrap();
    std::fs::create_dir_all(sc.join("data")).unwrap();
    for e in std::fs::read_dir(scenario_path("")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "toml") {
            std::fs::copy(&p, sc.join(p.file_name().unwrap())).unwrap();
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    std::fs::copy(
        root.join("data/replay-2022.csv"),
        sc.join("data/replay-2022.csv"),
    )
    .unwrap();
    for v in ["aktau-expansion", "cable"] {
        std::fs::copy(
            root.join(format!("variants/{v}.toml")),
            sc.join(format!("variants/{v}.toml")),
        )
        .unwrap();
    }
    let f = sc.join("mc-random-failures.toml");
    let text = std::fs::read_to_string(&f).unwrap();
    let dropped = "estimate = \"a failed section carries nothing until repaired\"\n";
    assert!(text.contains(dropped));
    std::fs::write(&f, text.replacen(dropped, "", 1)).unwrap();
    let sc = sc.display().to_string();

    let o = corridor(
        &["validate", &format!("{sc}/mc-random-failures.toml")],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let o = corridor(
        &["study", "--scenarios", &sc, "--runs", "5", "--out", "out"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.matches("[missing_provenance]").count(), 1, "{err}");
    let html = std::fs::read_to_string(dir.path().join("out/index.html")).unwrap();
    assert!(html.contains("<section id=\"warnings\">\n<h2>Warnings</h2>"));
    assert!(html.contains("mc-random-failures.toml:53: failure[pipeline leak or rupture]: no `source` and no `estimate`"));
    // The comparison ran on the scenario as loaded: both variants are in it.
    assert!(
        html.contains("<td>Aktau berths 9–10<br><span class=\"id\">aktau-expansion</span></td>")
    );

    let o = corridor(
        &[
            "study",
            "--scenarios",
            &sc,
            "--runs",
            "5",
            "--out",
            "strict",
            "--strict",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("[missing_provenance]"));
    assert!(
        !dir.path().join("strict").exists(),
        "nothing runs or is written under --strict"
    );
}

#[test]
fn dpi_sets_the_png_size_for_print_and_refuses_a_huge_one() {
    let dir = tempfile::tempdir().unwrap();
    let size = |p: &Path| {
        let d = png::Decoder::new(std::io::Cursor::new(std::fs::read(p).unwrap()))
            .read_info()
            .unwrap();
        (d.info().width, d.info().height)
    };
    // 300 dpi across 25.4 cm (10 in): 3,000 px for the 1,000-unit chart.
    let o = corridor(
        &[
            "network",
            "--chart",
            "--dpi",
            "300",
            "--print-width",
            "25.4",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        size(&dir.path().join("output/network_map.png")),
        (3000, 1860)
    );
    // Without --dpi: 2 px per unit.
    let o = corridor(&["network", "--chart"], dir.path());
    assert!(o.status.success());
    assert_eq!(
        size(&dir.path().join("output/network_map.png")),
        (2000, 1240)
    );
    // 2,400 dpi across a metre is 94,488 px: refused before anything is drawn (exit 3).
    let d2 = tempfile::tempdir().unwrap();
    let o = corridor(
        &[
            "network",
            "--chart",
            "--dpi",
            "2400",
            "--print-width",
            "100",
        ],
        d2.path(),
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("94488 px wide"), "{}", stderr(&o));
    assert!(!d2.path().join("output").exists());
    // Out of range on the command line: exit 2.
    let o = corridor(&["network", "--chart", "--dpi", "5"], d2.path());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn compare_refuses_a_scenario_without_monte_carlo_and_quiet_is_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let sc = format!("{root}/scenarios/cpc-terminal-storm.toml");
    let o = corridor(
        &["compare", &sc, "--variants", "kcts", "--out", "out"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("cpc-terminal-storm.toml: no [monte_carlo] section"),
        "{err}"
    );
    assert!(err.contains("hint: add a [monte_carlo] section"), "{err}");
    assert!(!dir.path().join("out").exists());

    // A quiet run notes no file it wrote; its result table is still its stdout.
    let o = corridor(&["run", &sc, "--quiet", "--out", "out"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("wrote"), "{}", stderr(&o));
    assert!(stdout(&o).contains("cpc-terminal-storm"));
    let o = corridor(&["run", &sc, "--out", "out"], dir.path());
    assert!(stderr(&o).contains("corridor: wrote"), "{}", stderr(&o));
}

#[test]
fn list_shows_every_asset_route_scenario_and_variant_id() {
    let dir = tempfile::tempdir().unwrap();
    let o = corridor(&["network", "--out", "net"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let first_column = |out: &str| -> Vec<String> {
        out.lines()
            .skip(1)
            .filter_map(|l| l.split_whitespace().next().map(str::to_string))
            .collect()
    };
    for (what, csv) in [
        ("assets", "net/network_assets.csv"),
        ("routes", "net/network_routes.csv"),
    ] {
        let o = corridor(&["list", what], dir.path());
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let listed = first_column(&stdout(&o));
        let text = std::fs::read_to_string(dir.path().join(csv)).unwrap();
        let ids: Vec<String> = text
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().to_string())
            .collect();
        assert!(ids.len() > 10, "{what}: {} ids", ids.len());
        assert_eq!(listed, ids, "{what}");
    }
    let o = corridor(&["list", "variants"], dir.path());
    assert_eq!(
        first_column(&stdout(&o)),
        [
            "aktau-expansion",
            "btc-2-2",
            "btc-6",
            "cable",
            "kcts",
            "middle-corridor",
            "tankers"
        ]
    );
    let o = corridor(&["list", "scenarios"], dir.path());
    let s = stdout(&o);
    assert!(s.contains("mc-random-failures.toml"), "{s}");
    assert!(s.contains("Monte Carlo"), "{s}");
    assert!(s.contains("history/2022-01-internet-shutdown.toml"), "{s}");
}

#[test]
fn a_bare_number_for_a_figure_shows_the_expected_form_not_a_rust_type() {
    let dir = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let text =
        std::fs::read_to_string(format!("{root}/scenarios/cpc-terminal-storm.toml")).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("oil_price = "))
        .expect("the scenario sets an oil price")
        + 1;
    let bad: String = text
        .lines()
        .map(|l| {
            if l.starts_with("oil_price = ") {
                "oil_price = 70"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.path().join("s.toml"), bad).unwrap();
    let o = corridor(&["validate", "s.toml"], dir.path());
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "s.toml:{line}: economics.oil_price: found integer `70`, expected a figure with its unit and its source (write it as {{ value = 70, unit = \"$/bbl\", source = \"…\" }}"
        )),
        "{err}"
    );
    assert!(!err.contains("Raw") && !err.contains("struct"), "{err}");

    // Every problem at once: three in one table (one of them in a table under its own header),
    // a misspelt key, and one in an event, each with its line.
    let worse = text
        .lines()
        .map(|l| {
            if l.starts_with("oil_price = ") {
                "oil_price = 70".to_string()
            } else if l.starts_with("pipeline = ") {
                "pipeline = 1.95\npipline = 2".to_string()
            } else if l.starts_with("tanker = ") {
                "tanker = \"cheap\"".to_string()
            } else if l.starts_with("wave_height_m = ") {
                "wave_height_m = \"high\"".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.path().join("s.toml"), &worse).unwrap();
    let o = corridor(&["validate", "s.toml"], dir.path());
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    let at = |key: &str| worse.lines().position(|l| l.starts_with(key)).unwrap() + 1;
    for (key, path) in [
        ("oil_price = ", "economics.oil_price: found integer `70`"),
        (
            "pipeline = ",
            "economics.transport_cost.pipeline: found floating point `1.95`",
        ),
        (
            "pipline = ",
            "economics.transport_cost.pipline: unknown field `pipline` (did you mean `pipeline`?",
        ),
        (
            "tanker = ",
            "economics.transport_cost.tanker: found string \"cheap\"",
        ),
        (
            "wave_height_m = ",
            "event[#1].wave_height_m: found string \"high\", expected a number",
        ),
    ] {
        let want = format!("s.toml:{}: {path}", at(key));
        assert!(err.contains(&want), "{want}\n{err}");
    }
    assert!(err.contains("5 problem(s)"), "{err}");
}

/// The CSV files under `root`, as (path relative to it, text).
fn csv_files(root: &Path) -> Vec<(String, String)> {
    common::walk(root)
        .into_iter()
        .filter(|(p, m)| m.is_file() && p.extension().is_some_and(|x| x == "csv"))
        .map(|(p, _)| {
            let text = std::fs::read_to_string(root.join(&p)).unwrap();
            (p.display().to_string(), text)
        })
        .collect()
}

#[test]
fn xlsx_holds_the_csvs_values_and_csv_bom_marks_the_csvs() {
    let dir = tempfile::tempdir().unwrap();
    let a = scenario_path("cpc-terminal-storm.toml");
    let b = scenario_path("trans-caspian-cable-cut.toml");
    let o = corridor(
        &[
            "run",
            &a,
            &b,
            "--out",
            "out",
            "--xlsx",
            "--csv-bom",
            "--quiet",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = dir.path().join("out");
    let csvs = csv_files(&out);
    assert_eq!(
        csvs.len(),
        1 + 2 * 2,
        "summary.csv, then daily.csv and rtt.csv each"
    );
    for (f, text) in &csvs {
        assert!(text.starts_with('\u{feff}'), "{f} starts with a BOM");
    }
    let book = std::fs::read(out.join("run.xlsx")).unwrap();
    common::workbook::assert_matches_csvs(&book, &csvs);

    // compare --xlsx: the comparison's tables, in their folder.
    let mc = scenario_path("mc-random-failures.toml");
    let o = corridor(
        &[
            "compare",
            &mc,
            "--variants",
            "cable",
            "--runs",
            "6",
            "--out",
            "cmp",
            "--xlsx",
            "--quiet",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let cmp = dir.path().join("cmp");
    let csvs = csv_files(&cmp);
    assert_eq!(csvs.len(), 2, "compare.csv and replicates.csv");
    assert!(!csvs[0].1.starts_with('\u{feff}'), "no BOM unless asked");
    let book = std::fs::read(cmp.join("mc-random-failures/compare/compare.xlsx")).unwrap();
    common::workbook::assert_matches_csvs(&book, &csvs);
}

#[test]
fn a_baseline_that_already_shuts_in_production_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(scenario_path("baseline.toml")).unwrap();
    // The shipped baseline gives 2025 exports as its production: no warning.
    std::fs::write(dir.path().join("with.toml"), &text).unwrap();
    // Without [production] the fields produce the network's 39 + 18 + 11.3 + 27.9 = 96.2 Mt/yr
    // (other fields include crude refined at home), more than the routes take.
    let start = text.find("[production]").unwrap();
    let end = text[start + 1..]
        .find("\n[")
        .map_or(text.len(), |i| start + 2 + i);
    let without = format!("{}{}", &text[..start], &text[end..]);
    std::fs::write(dir.path().join("without.toml"), &without).unwrap();
    let o = corridor(
        &[
            "run",
            "with.toml",
            "without.toml",
            "--out",
            "out",
            "--quiet",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(!err.contains("warning: with:"), "{err}");
    assert!(
        err.contains("warning: without: the baseline itself shuts in")
            && err.contains(
                "the fields produce 96.2 Mt/yr (the network's production: the scenario has no [production])"
            ),
        "{err}"
    );
    // The same sentence, without the prefix, is in the scenario's summary.json; none in the
    // other's.
    let warned = |id: &str| summary_warnings(&dir.path().join("out").join(id));
    assert_eq!(warned("with"), Vec::<String>::new());
    let w = warned("without");
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].starts_with("without: the baseline itself shuts in") && err.contains(&w[0]),
        "{w:?}"
    );
}

/// The `warnings` list of `DIR/summary.json`.
fn summary_warnings(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("summary.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["warnings"]
        .as_array()
        .expect("summary.json has a warnings list")
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn new_scenario_runs_as_it_stands_and_every_commented_section_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let o = corridor(&["new", "scenario", "aktau-outage"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("aktau-outage.toml\n"),
        "{}",
        stdout(&o)
    );
    let text = std::fs::read_to_string(dir.path().join("aktau-outage.toml")).unwrap();
    assert!(text.contains("name = \"aktau-outage\""));
    // As it stands: it validates and runs, and its events cost something.
    let o = corridor(&["validate", "--strict", "aktau-outage.toml"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "aktau-outage: ok (2 events, 365 days from 2026-01-01)\n"
    );
    let o = corridor(
        &["run", "aktau-outage.toml", "--out", "out", "--quiet"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/aktau-outage/summary.json")).unwrap(),
    )
    .unwrap();
    assert!(summary["lost_exports_mt"].as_f64().unwrap() > 0.0);

    // Every top-level section and every event kind is there, commented or not.
    let top = corridor::io::dictionary::component(corridor::io::dictionary::SCENARIO, "Top level")
        .unwrap();
    for key in top.names() {
        let written = [
            format!("\n{key} = "),
            format!("\n# {key} = "),
            format!("\n[{key}]"),
            format!("\n# [{key}]"),
            format!("\n[[{key}]]"),
            format!("\n# [[{key}]]"),
        ];
        assert!(
            written.iter().any(|w| text.contains(w.as_str())),
            "{key} missing"
        );
    }
    for kind in corridor::io::scenario::EVENT_KINDS {
        assert!(
            text.contains(&format!("kind = \"{kind}\"")),
            "{kind} missing"
        );
    }
    // With every optional section switched on (the `# ` taken off), it is still valid.
    let all: String = text
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) => rest,
            None if l == "#" => "",
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.path().join("all.toml"), all).unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(
        dir.path().join("data/my-outages.csv"),
        "asset,start,end,fraction\nbtc,2026-04-01,2026-04-03,0\n",
    )
    .unwrap();
    let o = corridor(&["validate", "--strict", "all.toml"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "all: ok (11 events, 365 days from 2026-01-01; Monte Carlo: 2000 replicate-years, seed 1)\n"
    );

    // It does not overwrite, and refuses a name that is not a plain file name.
    let o = corridor(&["new", "scenario", "aktau-outage"], dir.path());
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("exists"), "{}", stderr(&o));
    let o = corridor(&["new", "scenario", "../x"], dir.path());
    assert_eq!(o.status.code(), Some(3));
    assert!(!dir.path().parent().unwrap().join("x.toml").exists());
}

#[test]
fn diff_of_a_run_and_itself_is_zero_and_of_two_files_is_their_difference() {
    let dir = tempfile::tempdir().unwrap();
    let storm = scenario_path("cpc-terminal-storm.toml");
    let base = scenario_path("baseline.toml");
    let o = corridor(&["run", &storm, "--out", "out", "--quiet"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The same run twice, from two paths: zero differences, every one of them.
    let o = corridor(
        &[
            "diff",
            "out/cpc-terminal-storm",
            "./out/cpc-terminal-storm",
            "--out",
            "d0",
            "--quiet",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("no differences in the 27 figures compared"),
        "{}",
        stdout(&o)
    );
    let csv = std::fs::read_to_string(dir.path().join("d0/diff.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 27);
    assert!(rows.iter().all(|r| &r[4] == "0.0000"), "{csv}");
    assert!(dir.path().join("d0/resilience.svg").exists());

    // Two scenario files: run, then set against each other; the lost exports differ by the
    // storm's own (the baseline loses nothing).
    let o = corridor(
        &["diff", &base, &storm, "--out", "d1", "--quiet"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("d1/cpc-terminal-storm/summary.json")).unwrap(),
    )
    .unwrap();
    let lost = s["lost_exports_mt"].as_f64().unwrap();
    let csv = std::fs::read_to_string(dir.path().join("d1/diff.csv")).unwrap();
    assert!(
        csv.contains(&format!("lost_exports_mt,Mt,0.0000,{lost:.4},{lost:.4},\n")),
        "{csv}"
    );
    assert!(stdout(&o).contains("A = baseline, B = cpc-terminal-storm: "));

    // One of each, or two kinds of run: refused with a hint.
    let o = corridor(&["diff", &base, "out/cpc-terminal-storm"], dir.path());
    assert_eq!(o.status.code(), Some(3));
    let o = corridor(&["diff", "out", "out/cpc-terminal-storm"], dir.path());
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("no summary.json"), "{}", stderr(&o));
}

#[test]
fn run_variant_equals_the_same_option_written_into_the_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let cut = scenario_path("russia-transit-cutoff.toml");
    let o = corridor(
        &["run", &cut, "--variant", "kcts", "--out", "out", "--quiet"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ran = dir.path().join("out/russia-transit-cutoff+kcts");
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ran.join("summary.json")).unwrap()).unwrap();
    assert!(
        s["name"]
            .as_str()
            .unwrap()
            .ends_with(" with Eskene–Kuryk + KCTS (23 Mt/yr)")
    );

    // The same changes as the scenario's own [variant]: the same days, to the byte.
    let variant = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/variants/kcts.toml"),
    )
    .unwrap();
    let pick = |key: &str| {
        variant
            .lines()
            .find(|l| l.starts_with(key))
            .unwrap()
            .to_string()
    };
    let text = std::fs::read_to_string(&cut).unwrap();
    assert!(!text.contains("[variant]"));
    // [variant] goes among the top-level keys, before the [economics] tables.
    let (head, tail) = text.split_at(text.find("\n[economics]").unwrap());
    let written = format!(
        "{head}\n[variant]\n{}\n{}\n{tail}",
        pick("switch_on = "),
        pick("set = ")
    );
    std::fs::write(dir.path().join("written.toml"), written).unwrap();
    let o = corridor(
        &["run", "written.toml", "--out", "out", "--quiet"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let daily = |p: &Path| std::fs::read_to_string(p.join("daily.csv")).unwrap();
    assert_eq!(daily(&ran), daily(&dir.path().join("out/written")));
    let plain = corridor(&["run", &cut, "--out", "plain", "--quiet"], dir.path());
    assert_eq!(plain.status.code(), Some(0));
    assert_ne!(
        daily(&ran),
        daily(&dir.path().join("plain/russia-transit-cutoff")),
        "the option changes the run"
    );
    // A misspelt option: exit 3 with a suggestion.
    let o = corridor(
        &["run", &cut, "--variant", "kctz", "--out", "x"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("did you mean `kcts`?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn completions_and_the_man_page_cover_every_command() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = corridor(&["completions", shell], dir.path());
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let script = stdout(&o);
        for cmd in ["study", "run", "diff", "new", "list", "compare"] {
            assert!(script.contains(cmd), "{shell}: {cmd}");
        }
    }
    let o = corridor(&["man"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    let page = stdout(&o);
    assert!(
        page.starts_with(".ie") && page.contains(".TH corridor 1"),
        "{page}"
    );
    assert!(page.contains("Exit codes"));
    let o = corridor(&["completions", "tcsh"], dir.path());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_broken_template_is_refused_before_the_study_runs_and_a_good_one_is_used() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.j2"),
        "<h1>{{ page.title }}</h1>\n{% if %}\n",
    )
    .unwrap();
    let o = corridor(
        &["study", "--template", "bad.j2", "--out", "out", "--quiet"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("bad.j2: template line 2"),
        "{}",
        stderr(&o)
    );
    assert!(
        !dir.path().join("out").exists(),
        "nothing ran, nothing was written"
    );

    std::fs::write(
        dir.path().join("good.j2"),
        "<h1>{{ page.title }}</h1>{% for s in page.sections %}<h2>{{ s.title }}</h2>{% endfor %}\n",
    )
    .unwrap();
    let o = corridor(
        &[
            "study",
            "--template",
            "good.j2",
            "--title",
            "Q3 brief",
            "--runs",
            "4",
            "--out",
            "out",
            "--quiet",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = std::fs::read_to_string(dir.path().join("out/index.html")).unwrap();
    assert!(
        html.starts_with("<h1>Q3 brief</h1><h2>Network</h2>"),
        "{html}"
    );
}

#[test]
fn allow_large_lifts_the_input_size_limit() {
    // A valid scenario padded with a comment to one byte over 64 MiB: refused before it is
    // parsed, with the way round; read and validated with --allow-large.
    let dir = tempfile::tempdir().unwrap();
    let mut text = std::fs::read_to_string(scenario_path("baseline.toml")).unwrap();
    text.push_str("\n# ");
    let pad = (64 << 20) + 1 - text.len() - 1;
    text.push_str(&"x".repeat(pad));
    text.push('\n');
    assert_eq!(text.len(), (64 << 20) + 1);
    std::fs::write(dir.path().join("big.toml"), &text).unwrap();
    let o = corridor(&["validate", "big.toml"], dir.path());
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "64.0 MiB, above the 64 MiB an input file may have (hint: pass --allow-large to read files of up to 1 GiB)"
        ),
        "{}",
        stderr(&o)
    );
    let o = corridor(&["--allow-large", "validate", "big.toml"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("big: ok"), "{}", stdout(&o));
}

#[test]
fn replicate_rows_can_be_limited_and_shards_merge_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let mc = scenario_path("mc-random-failures.toml");
    let ok = |args: &[&str]| {
        let o = corridor(args, dir.path());
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    };
    let read = |d: &str, f: &str| {
        std::fs::read_to_string(dir.path().join(d).join("mc-random-failures").join(f)).unwrap()
    };
    ok(&["run", &mc, "--runs", "40", "--out", "all", "--quiet"]);
    let all = read("all", "mc_replicates.csv");
    for which in ["none", "failures"] {
        ok(&[
            "run",
            &mc,
            "--runs",
            "40",
            "--replicates",
            which,
            "--out",
            which,
            "--quiet",
        ]);
        for k in ["1/2", "2/2"] {
            ok(&[
                "run",
                &mc,
                "--runs",
                "40",
                "--replicates",
                which,
                "--shard",
                k,
                "--out",
                &format!("{which}-parts"),
                "--quiet",
            ]);
        }
        let parts = |k: u32| format!("{which}-parts/mc-random-failures/partial-{k}-of-2.json");
        ok(&[
            "merge",
            &parts(2),
            &parts(1),
            "--out",
            &format!("{which}-merged"),
        ]);
        let merged = format!("{which}-merged");
        for f in [
            "mc_replicates.csv",
            "mc_summary.json",
            "mc_daily_bands.csv",
            "losses.svg",
            "data_losses.svg",
        ] {
            assert_eq!(read(which, f), read(&merged, f), "{which}: {f}");
            // The statistics and charts count every replicate whatever the CSV lists.
            if f != "mc_replicates.csv" {
                assert_eq!(read(which, f), read("all", f), "{which}: {f}");
            }
        }
        let m: serde_json::Value = serde_json::from_str(&read(which, "manifest.json")).unwrap();
        assert_eq!(m["replicates"], which);
    }
    // `none`: the header alone. `failures`: the rows of `all` that failed or lost anything,
    // in order (every year of this scenario has a failure, so all of them).
    let header = all.lines().next().unwrap();
    assert_eq!(read("none", "mc_replicates.csv"), format!("{header}\n"));
    let failed: Vec<&str> = all.lines().skip(1).filter(|l| !l.ends_with(',')).collect();
    assert_eq!(failed.len(), 40);
    assert_eq!(read("failures", "mc_replicates.csv"), all);
    // `corridor chart` rebuilds the run's own loss charts from its CSV, byte for byte, and
    // refuses a CSV that lists only some replicates.
    for (kind, stem) in [("losses", "losses"), ("data-losses", "data_losses")] {
        ok(&[
            "chart",
            kind,
            "all/mc-random-failures/mc_replicates.csv",
            "--out",
            &format!("rebuilt/{stem}"),
        ]);
        for ext in ["svg", "png"] {
            assert_eq!(
                std::fs::read(dir.path().join(format!("rebuilt/{stem}.{ext}"))).unwrap(),
                std::fs::read(
                    dir.path()
                        .join(format!("all/mc-random-failures/{stem}.{ext}"))
                )
                .unwrap(),
                "{kind} {ext}"
            );
        }
        let o = corridor(
            &[
                "chart",
                kind,
                "failures/mc-random-failures/mc_replicates.csv",
                "--out",
                "x/y",
            ],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(3), "{kind}");
        assert!(
            stderr(&o).contains("lists only some replicates (--replicates failures)"),
            "{}",
            stderr(&o)
        );
    }
    // A rerun with `none` into a folder that holds a full CSV leaves no stale rows.
    ok(&[
        "run",
        &mc,
        "--runs",
        "40",
        "--replicates",
        "none",
        "--out",
        "all",
        "--quiet",
    ]);
    assert_eq!(read("all", "mc_replicates.csv"), format!("{header}\n"));
    // Shards listing different replicates do not merge.
    let o = corridor(
        &[
            "merge",
            "none-parts/mc-random-failures/partial-1-of-2.json",
            "failures-parts/mc-random-failures/partial-2-of-2.json",
            "--out",
            "x",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("inputs differ"), "{}", stderr(&o));
}

#[test]
fn seed_and_set_equal_an_edited_file_and_are_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mc = scenario_path("mc-random-failures.toml");
    let text = std::fs::read_to_string(&mc).unwrap();
    let edited =
        text.replacen("seed = 20261129", "seed = 7", 1)
            .replacen("runs = 10000", "runs = 30", 1);
    assert!(edited.contains("\nruns = 30\nseed = 7\n"), "{edited}");
    std::fs::write(dir.path().join("mc-random-failures.toml"), edited).unwrap();
    let run = |args: &[&str]| {
        let o = corridor(args, dir.path());
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    };
    run(&[
        "run",
        "mc-random-failures.toml",
        "--out",
        "edited",
        "--quiet",
    ]);
    run(&[
        "run",
        &mc,
        "--seed",
        "7",
        "--set",
        "monte_carlo.runs=30",
        "--out",
        "set",
        "--quiet",
    ]);
    let read = |d: &str, f: &str| {
        std::fs::read(dir.path().join(d).join("mc-random-failures").join(f)).unwrap()
    };
    for f in ["mc_replicates.csv", "mc_summary.json", "mc_daily_bands.csv"] {
        assert_eq!(read("edited", f), read("set", f), "{f}");
    }
    let m: serde_json::Value = serde_json::from_slice(&read("set", "manifest.json")).unwrap();
    assert_eq!(m["seed"], 7);
    assert_eq!(m["runs"], 30);
    assert_eq!(
        m["overrides"],
        serde_json::json!([["monte_carlo.runs", "30"], ["monte_carlo.seed", "7"]])
    );
    // A seed outside what a scenario file can hold, and an override that cannot apply.
    let o = corridor(&["run", &mc, "--seed", "-1"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let o = corridor(
        &[
            "run",
            &scenario_path("baseline.toml"),
            "--seed",
            "3",
            "--out",
            "x",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("--set monte_carlo.seed=3: the scenario has no table `monte_carlo`"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("x").exists());
}

#[test]
fn shard_of_a_deterministic_scenario_is_refused_and_validate_says_monte_carlo() {
    let dir = tempfile::tempdir().unwrap();
    let o = corridor(
        &[
            "run",
            &scenario_path("baseline.toml"),
            "--shard",
            "1/4",
            "--out",
            "x",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("baseline: --shard 1/4 splits the replicate-years of a Monte Carlo scenario, and this scenario has no [monte_carlo] section"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("x").exists());
    let o = corridor(
        &[
            "validate",
            &scenario_path("mc-random-failures.toml"),
            "--seed",
            "5",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("; Monte Carlo: 10000 replicate-years, seed 5)"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn shards_written_at_once_into_one_folder_all_survive() {
    // Array tasks of a cluster publish their partials into one folder at the same moment:
    // none may drop another's (a folder exchanged whole would).
    let dir = tempfile::tempdir().unwrap();
    let mc = scenario_path("mc-random-failures.toml");
    let n = 24;
    let children: Vec<_> = (1..=n)
        .map(|k| {
            Command::new(env!("CARGO_BIN_EXE_corridor"))
                .args([
                    "run",
                    &mc,
                    "--runs",
                    &n.to_string(),
                    "--shard",
                    &format!("{k}/{n}"),
                    "--out",
                    "parts",
                    "--quiet",
                ])
                .current_dir(dir.path())
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let folder = dir.path().join("parts/mc-random-failures");
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut want: Vec<String> = (1..=n)
        .map(|k| format!("partial-{k}-of-{n}.json"))
        .collect();
    want.sort();
    assert_eq!(names, want);
    // No staging folder is left behind either.
    assert!(
        std::fs::read_dir(dir.path().join("parts"))
            .unwrap()
            .all(|e| !e.unwrap().file_name().to_string_lossy().starts_with('.'))
    );
}
