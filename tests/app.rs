//! The application layer on its own: jobs writing to memory, composed without the CLI.

use std::path::Path;

mod common;

use corridor::app::study::{ReportStyle, StudyConfig, study};
use corridor::app::{MemorySink, run::RunConfig, run::run_scenarios};
use corridor::io::{Memory, load_scenario_in};

#[test]
fn study_in_memory_writes_exactly_what_the_cli_writes_to_disk() {
    let cfg = StudyConfig {
        runs: 8,
        strict: true,
        progress: false,
        limits: Default::default(),
    };
    let mut mem = MemorySink::new();
    let index = study(
        &Memory::embedded_scenarios(),
        Path::new("scenarios"),
        cfg,
        &ReportStyle::default(),
        &mut mem,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(index, Path::new("index.html"));

    let dir = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args([
            "study", "--runs", "8", "--quiet", "--strict", "--out", "out",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    // Quiet: stdout is the report's path alone, and no note of a file written.
    assert_eq!(String::from_utf8_lossy(&o.stdout), "out/index.html\n");
    assert!(!String::from_utf8_lossy(&o.stderr).contains("wrote"));
    let out = dir.path().join("out");
    let on_disk: Vec<_> = common::walk(&out)
        .into_iter()
        .filter(|(_, m)| m.is_file())
        .map(|(p, _)| p)
        .collect();
    assert_eq!(mem.paths(), on_disk);
    // 8 network tables and layers and 3 charts × 2 files, 11 scenarios × (3 tables, 2 GIS
    // layers and 4 charts × 2) and
    // summary.csv, 3 Monte Carlo scenarios × (4 tables + 2 charts × 2: each loses data in its
    // 8 years), 2 overlays × 2, the
    // comparison's 3 tables and 2 charts × 2, the optimisation's 8 tables, frontier chart × 2
    // and summary, the hindcast's table and chart × 2, the report and its workbook.
    assert_eq!(
        on_disk.len(),
        8 + 6 + 11 * 13 + 1 + 3 * 8 + 4 + 3 + 4 + 11 + 3 + 1 + 1
    );
    // study.xlsx: every CSV of the study, value for value.
    let csvs: Vec<(String, String)> = mem
        .paths()
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .map(|p| (p.display().to_string(), mem.text(&p).unwrap()))
        .collect();
    // 4 network tables, 11 scenarios × 2 and summary.csv, 3 Monte Carlo × 2, the
    // comparison's 2, the optimisation's 8 and the hindcast's 1.
    assert_eq!(csvs.len(), 4 + 2 * 11 + 1 + 2 * 3 + 2 + 8 + 1);
    common::workbook::assert_matches_csvs(&mem.get("study.xlsx").unwrap(), &csvs);
    for p in &on_disk {
        assert!(
            mem.get(p).unwrap() == std::fs::read(out.join(p)).unwrap(),
            "{} differs",
            p.display()
        );
    }
    // What the CLI printed is what the job printed, then the report's path under --out.
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        format!(
            "{}out/index.html\n",
            mem.stdout.strip_suffix("index.html\n").unwrap()
        )
    );
}

#[test]
fn a_run_reads_its_scenario_and_csv_from_memory() {
    // The replay scenario names data/replay-2022.csv, found in the same in-memory tree.
    let src = Memory::embedded_scenarios();
    let l = load_scenario_in(&src, Path::new("scenarios/replay-2022.toml"), true)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        l.files
            .iter()
            .any(|(n, _)| n == "scenarios/data/replay-2022.csv")
    );
    let mut mem = MemorySink::new();
    let results = run_scenarios(&[&l], RunConfig::default(), &mut mem).unwrap();
    assert_eq!(results.scenarios.len(), 1);
    // The same bytes as the golden file the engine tests check.
    assert_eq!(
        mem.text("replay-2022/daily.csv").unwrap(),
        std::fs::read_to_string("tests/golden/scenarios/replay-2022/daily.csv").unwrap()
    );
    assert!(mem.stdout.starts_with("scenario "));
}
