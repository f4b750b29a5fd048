//! Sweeps: the file's expansion into cases and tasks (worked out by hand), and `corridor sweep`
//! / `collect` end to end: tasks run one by one in any order give what one `sweep` gives, and
//! each case equals `corridor run` with its overrides.

use std::path::Path;

use corridor::io::sweep::parse_sweep;

mod common;

use common::{corridor, stderr};

fn scenarios() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

#[test]
fn a_grid_expands_with_the_last_key_fastest() {
    let s = parse_sweep(
        "s.toml",
        "format = 1\nname = \"g\"\nscenarios = [\"a.toml\"]\n[grid]\n\"x.y\" = [1, 2]\nz = [\"p\", \"q\", \"r\"]\n",
        Path::new("dir"),
    )
    .unwrap();
    assert_eq!(s.parameters, ["x.y", "z"]);
    assert_eq!(s.cases.len(), 6);
    let names: Vec<&str> = s.cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "x.y=1, z=\"p\"",
            "x.y=1, z=\"q\"",
            "x.y=1, z=\"r\"",
            "x.y=2, z=\"p\"",
            "x.y=2, z=\"q\"",
            "x.y=2, z=\"r\""
        ]
    );
    assert_eq!(s.cases[0].id, "c0001");
    assert_eq!(s.cases[5].id, "c0006");
    assert_eq!(
        s.cases[4].set,
        vec![
            ("x.y".to_string(), "2".to_string()),
            ("z".to_string(), "\"q\"".to_string())
        ]
    );
    assert_eq!(s.scenarios, [Path::new("dir/a.toml")]);
    assert_eq!(s.variants, [None]);
    assert_eq!(s.shards, 1);
}

#[test]
fn bad_sweep_files_name_the_line_and_field() {
    let errs = |text: &str| match parse_sweep("s.toml", text, Path::new("")) {
        Err(e) => e.0,
        Ok(_) => panic!("accepted: {text}"),
    };
    let head = "format = 1\nname = \"g\"\nscenarios = [\"a.toml\"]\n";
    let e = errs(&format!("{head}runs = 0\nshards = 0\n"));
    assert!(
        e.iter()
            .any(|m| m == "s.toml:4: runs: 0 replicate-years is outside 1…100,000,000"),
        "{e:?}"
    );
    assert!(
        e.iter()
            .any(|m| m == "s.toml:5: shards: 0 shards is outside 1…100,000"),
        "{e:?}"
    );
    let e = errs(&format!("{head}[grid]\na = [1]\n[[case]]\nname = \"x\"\n"));
    assert!(
        e[0].starts_with("s.toml:4: grid: a sweep has a [grid] or [[case]] entries, not both"),
        "{e:?}"
    );
    let e = errs(&format!("{head}[grid]\na = [[1, 2]]\n"));
    assert!(
        e[0].starts_with("s.toml:5: grid.a: values must be numbers"),
        "{e:?}"
    );
    let e = errs(&format!("{head}[grid]\na = []\n"));
    assert!(
        e[0].starts_with("s.toml:5: grid.a: give at least one value"),
        "{e:?}"
    );
    let e = errs(&format!("{head}colour = 3\n"));
    assert!(
        e[0].starts_with("s.toml:4: unknown field `colour`"),
        "{e:?}"
    );
    let e = errs("format = 2\nname = \"a b\"\nscenarios = []\nvariants = [\"../x\"]\n");
    assert_eq!(e.len(), 4, "{e:?}");
    assert!(
        e[0].starts_with("s.toml:1: format: unsupported sweep format 2"),
        "{e:?}"
    );
    assert!(e[1].starts_with("s.toml:2: name:"), "{e:?}");
    let e = errs(&format!("{head}runs = 2\nshards = 3\n"));
    assert!(
        e[0].contains("3 shards of 2 replicate-years leaves some empty"),
        "{e:?}"
    );
    // 10 × 10 × … = 10^6 combinations is refused before anything expands.
    let grid: String = (0..6)
        .map(|i| format!("k{i} = [0,1,2,3,4,5,6,7,8,9]\n"))
        .collect();
    let e = errs(&format!("{head}[grid]\n{grid}"));
    assert!(
        e[0].contains("1000000 combinations; the most a sweep may have is 100000"),
        "{e:?}"
    );
}

#[test]
fn tasks_number_cases_then_runs_then_shards() {
    // Two scenarios, one deterministic and one Monte Carlo, 3 shards, 2 cases: a case is
    // 1 + 3 = 4 tasks, 8 in all.
    let dir = tempfile::tempdir().unwrap();
    let spec = format!(
        "format = 1\nname = \"t\"\nscenarios = [\"{}\", \"{}\"]\nruns = 9\nshards = 3\n[grid]\n\"economics.oil_price.value\" = [50.0, 80.0]\n",
        scenarios().join("baseline.toml").display(),
        scenarios().join("mc-random-failures.toml").display()
    );
    std::fs::write(dir.path().join("s.toml"), &spec).unwrap();
    let sw =
        corridor::io::sweep::load_sweep(&corridor::io::Disk::default(), &dir.path().join("s.toml"))
            .unwrap();
    let plan = corridor::app::sweep::plan(&corridor::io::Disk::default(), &sw).unwrap();
    assert_eq!(plan.tasks, 8);
    let t = |k| plan.task(k).map(|t| (t.case, t.run, t.shard));
    assert_eq!(t(1), Some((0, 0, None)));
    assert_eq!(t(2), Some((0, 1, Some((1, 3)))));
    assert_eq!(t(4), Some((0, 1, Some((3, 3)))));
    assert_eq!(t(5), Some((1, 0, None)));
    assert_eq!(t(6), Some((1, 1, Some((1, 3)))));
    assert_eq!(t(8), Some((1, 1, Some((3, 3)))));
    assert_eq!(t(0), None);
    assert_eq!(t(9), None);
    assert_eq!(plan.runs[1].id, "mc-random-failures");
    assert!(plan.runs[1].monte_carlo && !plan.runs[0].monte_carlo);
}

#[test]
fn tasks_in_any_order_equal_one_sweep_and_each_case_equals_a_run() {
    let dir = tempfile::tempdir().unwrap();
    let spec = format!(
        "format = 1\nname = \"t\"\nscenarios = [\"{}\", \"{}\"]\nvariants = [\"\", \"kcts\"]\nruns = 24\nshards = 2\n[grid]\n\"economics.oil_price.value\" = [50.0, 80.0]\n",
        scenarios().join("cpc-terminal-storm.toml").display(),
        scenarios().join("mc-random-failures.toml").display()
    );
    std::fs::write(dir.path().join("s.toml"), &spec).unwrap();
    let ok = |args: &[&str]| {
        let o = corridor(args, dir.path());
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        o
    };
    let count: u64 = String::from_utf8(ok(&["sweep", "s.toml", "--count"]).stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // 2 cases × (2 deterministic runs + 2 Monte Carlo runs × 2 shards).
    assert_eq!(count, 12);
    ok(&["sweep", "s.toml", "--out", "whole", "--quiet"]);
    for k in (1..=count).rev() {
        ok(&[
            "sweep",
            "s.toml",
            "--task",
            &k.to_string(),
            "--out",
            "tasks",
            "--quiet",
        ]);
    }
    // Before every task is there, collect names the missing ones.
    let o = corridor(&["collect", "whole/t"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::remove_file(
        dir.path()
            .join("tasks/t/cases/c0002/mc-random-failures+kcts/partial-2-of-2.json"),
    )
    .unwrap();
    let o = corridor(&["collect", "tasks/t"], dir.path());
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("1 of 12 tasks have no output: 12 (hint: rerun them with `corridor sweep SPEC --task K`)"), "{}", stderr(&o));
    ok(&[
        "sweep", "s.toml", "--task", "12", "--out", "tasks", "--quiet",
    ]);
    ok(&["collect", "tasks/t", "--xlsx"]);
    let read = |p: &str| std::fs::read(dir.path().join(p)).unwrap();
    assert_eq!(read("whole/t/sweep.csv"), read("tasks/t/sweep.csv"));
    assert!(dir.path().join("tasks/t/sweep.xlsx").is_file());
    // One chart across the cases, the same however the tasks ran: two values of one
    // parameter are bars, a group per case, a bar per run; Monte Carlo runs with whiskers.
    for f in [
        "sweep_losses.svg",
        "sweep_losses.png",
        "sweep_data_losses.svg",
    ] {
        assert_eq!(
            read(&format!("whole/t/{f}")),
            read(&format!("tasks/t/{f}")),
            "{f}"
        );
    }
    let svg = String::from_utf8(read("tasks/t/sweep_losses.svg")).unwrap();
    for text in [
        "t: lost exports",
        "economics.oil_price.value=50.0",
        "economics.oil_price.value=80.0",
        "cpc-terminal-storm+kcts",
        "mc-random-failures+kcts",
        "Whiskers: 95% interval of the Monte Carlo mean",
        "over each run, the Monte Carlo runs&apos; mean a year",
    ] {
        assert!(svg.contains(text), "{text}");
    }
    // Each case is `corridor run` with the case's overrides: the merged Monte Carlo outputs
    // byte for byte, and the deterministic figures.
    ok(&[
        "run",
        &scenarios()
            .join("mc-random-failures.toml")
            .display()
            .to_string(),
        "--runs",
        "24",
        "--variant",
        "kcts",
        "--set",
        "economics.oil_price.value=80.0",
        "--out",
        "single",
        "--quiet",
    ]);
    for f in [
        "mc_summary.json",
        "mc_replicates.csv",
        "mc_daily_bands.csv",
        "losses.svg",
    ] {
        assert_eq!(
            read(&format!("single/mc-random-failures+kcts/{f}")),
            read(&format!("tasks/t/cases/c0002/mc-random-failures+kcts/{f}")),
            "{f}"
        );
    }
    let table = String::from_utf8(read("tasks/t/sweep.csv")).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 1 + 2 * 4);
    assert!(
        lines[0].starts_with(
            "case,case_name,run,economics.oil_price.value,kind,replicate_years,lost_exports_mt,"
        ),
        "{}",
        lines[0]
    );
    let summary: serde_json::Value = serde_json::from_slice(&read(
        "tasks/t/cases/c0001/cpc-terminal-storm+kcts/summary.json",
    ))
    .unwrap();
    let row = lines
        .iter()
        .find(|l| l.starts_with("c0001,") && l.contains(",cpc-terminal-storm+kcts,"))
        .unwrap();
    let cells: Vec<&str> = row.split(',').collect();
    assert_eq!(cells[3], "50.0");
    assert_eq!(cells[4], "deterministic");
    assert_eq!(
        cells[6],
        format!("{:.4}", summary["lost_exports_mt"].as_f64().unwrap())
    );
    let mc: serde_json::Value =
        serde_json::from_slice(&read("single/mc-random-failures+kcts/mc_summary.json")).unwrap();
    let row = lines
        .iter()
        .find(|l| l.starts_with("c0002,") && l.contains(",mc-random-failures+kcts,"))
        .unwrap();
    let cells: Vec<&str> = row.split(',').collect();
    assert_eq!(cells[4], "monte_carlo");
    assert_eq!(cells[5], "24");
    assert_eq!(
        cells[6],
        format!("{:.4}", mc["lost_exports_mt"]["mean"].as_f64().unwrap())
    );
    assert_eq!(
        cells[7],
        format!("{:.4}", mc["lost_exports_mt"]["se"].as_f64().unwrap())
    );
    // A task past the last is refused.
    let o = corridor(&["sweep", "s.toml", "--task", "13"], dir.path());
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("there is no task 13; the sweep has tasks 1–12"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_sweep_of_one_numeric_parameter_is_charted_against_it() {
    let dir = tempfile::tempdir().unwrap();
    let spec = format!(
        "format = 1\nname = \"tengiz\"\nscenarios = [\"{}\"]\n[grid]\n\"production.tengiz.value\" = [39.0, 30.0, 45.0]\n",
        scenarios().join("cpc-terminal-storm.toml").display(),
    );
    std::fs::write(dir.path().join("s.toml"), &spec).unwrap();
    let o = corridor(&["sweep", "s.toml", "--out", "o", "--quiet"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let svg = std::fs::read_to_string(dir.path().join("o/tengiz/sweep_losses.svg")).unwrap();
    assert!(svg.contains("Against the parameter the sweep varies"));
    assert!(svg.contains("production.tengiz.value"));
    assert!(svg.contains("Lost exports, Mt"));
    assert!(svg.contains("a line per run (scenario, or scenario + option); over each run."));
    assert!(!svg.contains("Whiskers"), "no Monte Carlo run, no whiskers");
    // More crude from Tengiz, more to lose when the terminal is down: the table the chart
    // draws rises with the parameter.
    let table = std::fs::read_to_string(dir.path().join("o/tengiz/sweep.csv")).unwrap();
    let lost: Vec<(f64, f64)> = table
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (c[3].parse().unwrap(), c[6].parse().unwrap())
        })
        .collect();
    let mut sorted = lost.clone();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert!(sorted.windows(2).all(|w| w[1].1 > w[0].1), "{sorted:?}");
}
