//! Golden `daily.csv` and `summary.json` for every shipped scenario (fixed precision; a line
//! diff on failure; regenerate with `UPDATE_GOLDEN=1 cargo test --test golden_runs`). The
//! outputs come from the application's run job writing to memory, as `corridor run` writes them.

mod common;

use corridor::app::MemorySink;
use corridor::app::run::{RunConfig, run_scenarios};
use corridor::io::load_scenario;

#[test]
fn shipped_scenarios_match_their_goldens() {
    let mut paths: Vec<_> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let loaded: Vec<_> = paths
        .iter()
        .map(|p| load_scenario(p, true).unwrap_or_else(|e| panic!("{e}")))
        .filter(|l| l.scenario.monte_carlo.is_none())
        .collect();
    let refs: Vec<_> = loaded.iter().collect();
    let mut mem = MemorySink::new();
    let out =
        run_scenarios(&refs, RunConfig::default(), &mut mem).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.scenarios.len(), 11);
    for l in &loaded {
        for file in ["daily.csv", "summary.json"] {
            common::check_golden(
                &format!("tests/golden/scenarios/{}/{file}", l.id),
                &mem.text(format!("{}/{file}", l.id)).unwrap(),
            );
        }
    }
}
