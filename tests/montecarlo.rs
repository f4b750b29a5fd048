//! Monte Carlo: known-answer statistics, common causes, repair queues, seed determinism.

mod common;

use common::fixtures::{self, DATA_UNSET, economics};
use corridor::engine::montecarlo::{Aggregates, run_range};
use corridor::engine::sample::sample_replicate;
use corridor::engine::sim::{SimConfig, simulate};
use corridor::io::LoadedScenario;
use corridor::model::{Effect, Event};

const NET: &str = r#"
[[node]]
id = "F"
kind = "field"
lon = 50.0
lat = 45.0
country = "KZ"
production = { value = 100, unit = "kt/day", source = "t" }
[[node]]
id = "M"
kind = "market"
lon = 51.0
lat = 45.0
country = "TR"
[[node]]
id = "M2"
kind = "market"
lon = 50.0
lat = 46.0
country = "TR"
[[link]]
id = "A"
kind = "pipeline"
from = "F"
to = "M"
countries = ["KZ"]
capacity = { value = 100, unit = "kt/day", source = "t" }
[[link]]
id = "B"
kind = "rail"
from = "F"
to = "M2"
countries = ["KZ"]
capacity = { value = 0.001, unit = "kt/day", source = "t" }
"#;

fn load(mc: &str, horizon: u32) -> LoadedScenario {
    load_on(NET, mc, horizon)
}

/// Loads a scenario with the `[monte_carlo]` part `mc` on `network`, from memory.
fn load_on(network: &str, mc: &str, horizon: u32) -> LoadedScenario {
    let text = fixtures::scenario_text("mc", horizon, &economics(DATA_UNSET), mc);
    fixtures::load_in(&fixtures::tree(network, &[]), "mc", &text)
}

#[test]
fn unavailability_matches_the_renewal_formula() {
    // One link, rate λ = 3 per year, fixed repair r = 10 days: the long-run unavailability of an
    // alternating renewal process is λr / (1 + λr), with λ in per day:
    // (3/365 × 10) / (1 + 3/365 × 10) = 0.075949…
    // The link carries all 100 kt/day and nothing else can (B is negligible), so each
    // replicate's resilience loss / 365 estimates the unavailability.
    let l = load(
        r#"[monte_carlo]
runs = 3000
seed = 11
[[failure]]
assets = ["A"]
rate = { value = 3, unit = "per_yr", source = "t" }
repair = { dist = "fixed", days = 10, source = "t" }
source = "t"
"#,
        365,
    );
    let mc = l.scenario.monte_carlo.clone().unwrap();
    let base = simulate(
        &l.network,
        &l.scenario,
        SimConfig {
            with_events: false,
            every_day: false,
            totals_only: true,
        },
    )
    .unwrap();
    let (reps, _) = run_range(&l.network, &l.scenario, &mc, &base, 0..mc.runs, &|| {}).unwrap();
    let u: Vec<f64> = reps
        .iter()
        .map(|r| r.resilience_loss_days / 365.0)
        .collect();
    let lr = 3.0 / 365.0 * 10.0;
    common::assert_mean_within_4_se(&u, lr / (1.0 + lr), 0.003);
}

fn windows<'a>(events: &'a [Event], asset: &str, l: &LoadedScenario) -> Vec<&'a Event> {
    events
        .iter()
        .filter(|e| match &e.effect {
            Effect::Capacity(v) => v.iter().any(|(a, _)| l.network.asset_id(*a) == asset),
            _ => false,
        })
        .collect()
}

#[test]
fn common_causes_fail_their_members_together() {
    let l = load(
        r#"[monte_carlo]
runs = 10
seed = 3
[[common_cause]]
assets = ["A", "B"]
rate = { value = 6, unit = "per_yr", source = "t" }
duration = { dist = "fixed", days = 5, source = "t" }
source = "t"
"#,
        365,
    );
    let mc = l.scenario.monte_carlo.clone().unwrap();
    let mut seen = 0;
    for i in 0..10 {
        let s = sample_replicate(&l.network, &mc, 365, 0, i);
        let (a, b) = (windows(&s.events, "A", &l), windows(&s.events, "B", &l));
        assert_eq!(a.len(), b.len(), "replicate {i}");
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.window, y.window);
        }
        seen += a.len();
    }
    assert!(seen > 20, "{seen}");
}

/// Downtime in days of `asset` over all sampled events (partial days count by their share).
fn downtime(events: &[Event], asset: &str) -> f64 {
    events
        .iter()
        .filter(|e| e.name.ends_with(&format!(": {asset}")))
        .map(|e| match &e.effect {
            Effect::Capacity(v) => (e.window.end - e.window.start + 1) as f64 * (1.0 - v[0].1),
            _ => 0.0,
        })
        .sum()
}

#[test]
fn repair_queueing_delays_the_second_repair() {
    // A common cause takes down A and B together; each repair takes exactly 10 days.
    // With its own crew each, both are down 10 days per hit. With B made a pipeline too and one
    // pipeline crew, B (later in asset order) waits for A's repair: 10 + 10 = 20 days per hit.
    let spec = r#"[monte_carlo]
runs = 20
seed = 5
[[common_cause]]
assets = ["A", "B"]
rate = { value = 1, unit = "per_yr", source = "t" }
duration = { dist = "fixed", days = 10, source = "t" }
source = "t"
[[repair_crews]]
class = "pipeline"
crews = 1
source = "t"
"#;
    let l = load(spec, 365);
    let shared = load_on(
        &NET.replace("kind = \"rail\"", "kind = \"pipeline\""),
        spec,
        365,
    );
    let mc = l.scenario.monte_carlo.clone().unwrap();
    let mcq = shared.scenario.monte_carlo.clone().unwrap();
    // Replicates with exactly one hit, wholly inside the year: A is down 10 days in both
    // networks; B 10 days with its own crew, 20 when it shares A's.
    let mut checked = 0;
    for i in 0..400 {
        let own = sample_replicate(&l.network, &mc, 365, 0, i);
        let queued = sample_replicate(&shared.network, &mcq, 365, 0, i);
        let hits = queued
            .events
            .iter()
            .filter(|e| e.name.ends_with(": A"))
            .count();
        let inside = queued
            .events
            .iter()
            .all(|e| e.window.start > 0 && e.window.end < 360);
        let one_hit =
            (1..=3).contains(&hits) && (downtime(&queued.events, "A") - 10.0).abs() < 1e-9;
        if !(inside && one_hit) {
            continue;
        }
        assert!((downtime(&own.events, "A") - 10.0).abs() < 1e-9);
        assert!((downtime(&own.events, "B") - 10.0).abs() < 1e-9);
        assert!(
            (downtime(&queued.events, "B") - 20.0).abs() < 1e-9,
            "B {}",
            downtime(&queued.events, "B")
        );
        checked += 1;
    }
    assert!(checked >= 5, "{checked}");
}

#[test]
fn same_seed_same_replicates_and_different_seeds_differ() {
    let spec = |seed: u64| {
        format!(
            r#"[monte_carlo]
runs = 40
seed = {seed}
[[failure]]
class = "pipeline"
rate = {{ value = 300, unit = "per_1000km_yr", source = "t" }}
repair = {{ dist = "lognormal", mean_days = 5, sd_days = 3, source = "t" }}
source = "t"
"#
        )
    };
    let run = |seed: u64| {
        let l = load(&spec(seed), 365);
        let mc = l.scenario.monte_carlo.clone().unwrap();
        let base = simulate(
            &l.network,
            &l.scenario,
            SimConfig {
                with_events: false,
                every_day: false,
                totals_only: true,
            },
        )
        .unwrap();
        let (reps, agg): (_, Aggregates) =
            run_range(&l.network, &l.scenario, &mc, &base, 0..40, &|| {}).unwrap();
        // Any split of the range gives the same aggregates, merged in any order.
        let (_, a1) = run_range(&l.network, &l.scenario, &mc, &base, 0..17, &|| {}).unwrap();
        let (_, a2) = run_range(&l.network, &l.scenario, &mc, &base, 17..40, &|| {}).unwrap();
        let mut m = a2.clone();
        m.merge(&a1);
        assert_eq!(m, agg);
        (reps, agg)
    };
    let (r1, a1) = run(7);
    let (r2, a2) = run(7);
    assert_eq!(r1, r2);
    assert_eq!(a1, a2);
    let (r3, _) = run(8);
    assert_ne!(r1, r3);
    assert!(r1.iter().any(|r| r.lost_exports_mt > 0.0));
}

#[test]
fn replicate_row_filters_keep_what_they_say() {
    use corridor::report::mc::ReplicateRows;
    use corridor::report::rows::{F4, ReplicateRow};
    let quiet = ReplicateRow::default();
    let failed = ReplicateRow {
        failures: "cpc-spm-1".into(),
        ..ReplicateRow::default()
    };
    let lost_oil = ReplicateRow {
        lost_exports_mt: F4(0.0001),
        ..ReplicateRow::default()
    };
    let lost_data = ReplicateRow {
        data_outage_hours: F4(0.5),
        ..ReplicateRow::default()
    };
    let rows = [&quiet, &failed, &lost_oil, &lost_data];
    let kept = |w: ReplicateRows| rows.iter().filter(|r| w.keeps(r)).count();
    assert_eq!(kept(ReplicateRows::All), 4);
    assert_eq!(kept(ReplicateRows::Failures), 3);
    assert!(!ReplicateRows::Failures.keeps(&quiet));
    assert_eq!(kept(ReplicateRows::None), 0);
}
