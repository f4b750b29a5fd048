//! What the fuzz targets share: an in-memory tree holding the shipped scenarios (and, where a
//! target needs it, the network or a file it mutates), loading a scenario from it, and running
//! what loads. Every target asserts only what must hold for any input: no panic, no hang (the
//! solver's guard turns one into an error), and a run that succeeds exports a finite,
//! non-negative amount every day.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use corridor::app::run::{OptionSpec, with_option};

use corridor::engine::sim::{SimConfig, simulate};
use corridor::io::{LoadedScenario, Memory, parse_scenario_in};

/// The longest run simulated per input, days: longer ones load but are not run, so each
/// execution stays in milliseconds.
pub const MAX_DAYS: u32 = 40;
/// The most events simulated per input.
pub const MAX_EVENTS: usize = 200;

/// The shipped scenarios (under `scenarios/`), the shipped network under `scenarios/r/` and
/// `extra` files.
pub fn tree(extra: Vec<(PathBuf, String)>) -> Memory {
    let mut files: Vec<(PathBuf, String)> = corridor::io::embedded::SCENARIO_FILES
        .iter()
        .map(|(rel, text)| (Path::new("scenarios").join(rel), text.to_string()))
        .collect();
    for (name, text) in corridor::io::network::embedded_files() {
        let file = Path::new(&name).file_name().unwrap().to_owned();
        files.push((Path::new("scenarios/r").join(file), text));
    }
    // A later file of the same name replaces the shipped one.
    files.extend(extra);
    Memory::new(files)
}

/// The shipped baseline, shortened to [`MAX_DAYS`], on the network `network` (`embedded` or
/// a folder beside it).
pub fn baseline(network: &str) -> String {
    let text = corridor::io::embedded::SCENARIO_FILES
        .iter()
        .find(|(rel, _)| *rel == "baseline.toml")
        .unwrap()
        .1;
    text.replace("horizon_days = 365", &format!("horizon_days = {MAX_DAYS}"))
        .replace(
            "network = \"embedded\"",
            &format!("network = \"{network}\""),
        )
}

/// Loads `text` as `scenarios/s.toml` from `source`, leniently (warnings allowed).
pub fn load(source: &Memory, text: &str) -> Option<LoadedScenario> {
    parse_scenario_in(
        source,
        "s",
        "scenarios/s.toml",
        text,
        Path::new("scenarios"),
        false,
    )
    .ok()
}

/// Simulates a loaded scenario with its events (when short enough); a run that succeeds must export a finite, non-negative amount every day.
pub fn run(l: &LoadedScenario) {
    if l.scenario.horizon_days > MAX_DAYS || l.scenario.events.len() > MAX_EVENTS {
        return;
    }
    let cfg = SimConfig {
        with_events: true,
        every_day: false,
        totals_only: false,
    };
    if let Ok(r) = simulate(&l.network, &l.scenario, cfg) {
        for d in &r.days {
            assert!(
                d.exports_kt.is_finite() && d.exports_kt >= -1e-6,
                "day {}: exports {}",
                d.t,
                d.exports_kt
            );
        }
    }
}

/// The `scenario` target: any text as `scenarios/s.toml`, beside the shipped scenarios, data
/// and network; what loads is simulated.
pub fn scenario_input(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = tree(Vec::new());
    if let Some(l) = load(&source, text) {
        run(&l);
    }
}

/// The `network` target: the first byte picks which shipped `routes/*.toml` file (in sorted
/// order) the rest replaces; the shortened baseline then loads on that network and, if it
/// loads, runs.
pub fn network_input(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let names = corridor::io::network::embedded_files();
    let (name, _) = &names[usize::from(pick) % names.len()];
    let file = Path::new(name).file_name().unwrap();
    let source = tree(vec![(
        Path::new("scenarios/r").join(file),
        text.to_string(),
    )]);
    if let Some(l) = load(&source, &baseline("r")) {
        run(&l);
    }
}

/// The `variant` target: any text as `scenarios/variants/f.toml`, applied to the shortened
/// baseline (as `corridor run --variant f`); what applies is simulated.
pub fn variant_input(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = tree(vec![(
        PathBuf::from("scenarios/variants/f.toml"),
        text.to_string(),
    )]);
    let Some(mut l) = load(&source, &baseline("embedded")) else {
        panic!("the shipped baseline must load");
    };
    let option = OptionSpec {
        spec: "f".into(),
        dir: Some(PathBuf::from("scenarios/variants")),
    };
    if with_option(&source, &mut l, Path::new("scenarios/s.toml"), &option).is_ok() {
        run(&l);
    }
}

/// The `csv` target: the first byte picks the reader, the rest is the CSV. Even: a replay
/// file (`kind = "replay"`, columns asset,start,end,fraction); odd: a production series
/// (date,value) for Tengiz. The shortened baseline reads it and, if it loads, runs.
pub fn csv_input(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let mut scenario = baseline("embedded");
    if pick % 2 == 0 {
        scenario.push_str(
            "\n[[event]]\nkind = \"replay\"\nname = \"fuzz\"\nfile = \"data/f.csv\"\nestimate = \"fuzz\"\n",
        );
    } else {
        let line = scenario
            .lines()
            .find(|l| l.starts_with("tengiz = "))
            .unwrap()
            .to_string();
        scenario = scenario.replace(
            &line,
            "tengiz = { series = \"data/f.csv\", unit = \"Mt/yr\", estimate = \"fuzz\" }",
        );
    }
    let source = tree(vec![(
        PathBuf::from("scenarios/data/f.csv"),
        text.to_string(),
    )]);
    if let Some(l) = load(&source, &scenario) {
        run(&l);
    }
}

/// A fuzz target's body.
pub type Target = fn(&[u8]);

/// Each target by name, for the regression test.
pub const TARGETS: [(&str, Target); 4] = [
    ("scenario", scenario_input),
    ("network", network_input),
    ("variant", variant_input),
    ("csv", csv_input),
];
