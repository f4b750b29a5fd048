//! Golden `daily.csv` and `summary.json` for every shipped scenario (fixed precision; a line
//! diff on failure; regenerate with `UPDATE_GOLDEN=1 cargo test --test golden_runs`).

mod common;

use corridor::engine::metrics::summarize;
use corridor::engine::sim::{SimConfig, simulate};
use corridor::io::load_scenario;
use corridor::report::run::{daily_csv, summary_json};

#[test]
fn shipped_scenarios_match_their_goldens() {
    let mut paths: Vec<_> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut deterministic = 0;
    for p in paths {
        let l = load_scenario(&p, true).unwrap_or_else(|e| panic!("{e}"));
        if l.scenario.monte_carlo.is_some() {
            continue;
        }
        deterministic += 1;
        let cfg = |with_events| SimConfig {
            with_events,
            every_day: false,
            totals_only: false,
        };
        let base = simulate(&l.network, &l.scenario, cfg(false));
        let run = simulate(&l.network, &l.scenario, cfg(true));
        let s = summarize(&l.network, &l.scenario, &run, &base);
        common::check_golden(
            &format!("tests/golden/scenarios/{}/daily.csv", l.id),
            &daily_csv(&l.network, &l.scenario, &run, &base),
        );
        common::check_golden(
            &format!("tests/golden/scenarios/{}/summary.json", l.id),
            &summary_json(&l.id, &l.network, &l.scenario, &s),
        );
    }
    assert_eq!(deterministic, 9);
}
