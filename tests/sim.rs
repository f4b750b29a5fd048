//! The scenario engine on micro-networks solved by hand in the comments, plus invariants on
//! random networks and event sets.

mod common;

use std::path::Path;

use common::fixtures::{self, DATA_AT_10_USD_PER_TB, economics};
use corridor::engine::components::Solver;
use corridor::engine::flow::FlowGraph;
use corridor::engine::metrics::summarize;
use corridor::engine::sim::{Day, SimConfig, SimResult, simulate, trace_solves};
use corridor::io::LoadedScenario;

/// Loads a scenario with `scenario_tail` on `network`, from memory.
fn load(network: &str, scenario_tail: &str, horizon: u32) -> LoadedScenario {
    let text = fixtures::scenario_text(
        "t",
        horizon,
        &economics(DATA_AT_10_USD_PER_TB),
        scenario_tail,
    );
    fixtures::load_in(&fixtures::tree(network, &[]), "t", &text)
}

fn run(l: &LoadedScenario) -> (SimResult, SimResult) {
    let cfg = |with_events| SimConfig {
        with_events,
        every_day: false,
        totals_only: false,
    };
    (
        simulate(&l.network, &l.scenario, cfg(true)).unwrap(),
        simulate(&l.network, &l.scenario, cfg(false)).unwrap(),
    )
}

fn col(days: &[Day], f: impl Fn(&Day) -> f64) -> Vec<f64> {
    days.iter().map(|d| (f(d) * 1e9).round() / 1e9).collect()
}

/// Field F (100 kt/day, a 200 kt tank farm starting empty) exports over a cheap route A
/// (80 kt/day, 1 $/t) and a dear route B (50 kt/day, 5 $/t).
const TWO_ROUTES: &str = r#"
[[node]]
id = "F"
kind = "field"
lon = 50.0
lat = 45.0
country = "KZ"
production = { value = 100, unit = "kt/day", source = "test" }
[[node]]
id = "M1"
kind = "market"
lon = 51.0
lat = 45.0
country = "TR"
[[node]]
id = "M2"
kind = "market"
lon = 50.0
lat = 46.0
country = "GE"
[[link]]
id = "A"
kind = "pipeline"
from = "F"
to = "M1"
countries = ["KZ"]
capacity = { value = 80, unit = "kt/day", source = "test" }
tariff = { value = 1, unit = "$/t", source = "test" }
[[link]]
id = "B"
kind = "pipeline"
from = "F"
to = "M2"
countries = ["KZ", "RU"]
capacity = { value = 50, unit = "kt/day", source = "test" }
tariff = { value = 5, unit = "$/t", source = "test" }
[[store]]
id = "tanks"
node = "F"
capacity = { value = 200, unit = "kt", source = "test" }
initial = { value = 0, unit = "kt", source = "test" }
[[route]]
id = "a"
stages = ["A"]
[[route]]
id = "b"
stages = ["B"]
"#;

/// Route A out on days 10–14 (2026-01-11 to 01-15).
const OUTAGE_OF_A: &str = r#"
[[event]]
kind = "outage"
start = "2026-01-11"
end = "2026-01-15"
assets = ["A"]
source = "test"
"#;

#[test]
fn outage_with_storage_cheap_and_dear_routes() {
    // Baseline: the cheap route A is full (80) and B takes the other 20.
    // Outage of A on days 10–14 (5 days): B carries 50, the other 50/day goes to the tanks:
    // 50, 100, 150, 200 kt on days 10–13; on day 14 the tanks are full and 50 kt is shut in.
    // From day 15 the spare capacity is 130 − 100 = 30/day: the tanks drain 30/day on days
    // 15–20 (180 kt) and the last 20 kt on day 21. Exports: 130 on days 15–20, 120 on day 21.
    let l = load(TWO_ROUTES, OUTAGE_OF_A, 30);
    let (ev, base) = run(&l);
    let exports = col(&ev.days, |d| d.exports_kt);
    let tanks = col(&ev.days, |d| d.store_kt[0]);
    let curtailed = col(&ev.days, |d| d.curtailed_kt);
    assert_eq!(col(&base.days, |d| d.exports_kt), vec![100.0; 30]);
    assert_eq!(col(&base.days, |d| d.link_flow[0]), vec![80.0; 30]);
    assert_eq!(
        &exports[9..23],
        &[
            100.0, 50.0, 50.0, 50.0, 50.0, 50.0, 130.0, 130.0, 130.0, 130.0, 130.0, 130.0, 120.0,
            100.0
        ]
    );
    assert_eq!(
        &tanks[9..23],
        &[
            0.0, 50.0, 100.0, 150.0, 200.0, 200.0, 170.0, 140.0, 110.0, 80.0, 50.0, 20.0, 0.0, 0.0
        ]
    );
    assert_eq!(curtailed.iter().sum::<f64>(), 50.0);
    assert_eq!(curtailed[14], 50.0);
    // Storage peak 200 kt; drained by day 21 (index 21 = 2026-01-22).
    assert_eq!(tanks.iter().cloned().fold(0.0, f64::max), 200.0);
    assert_eq!(tanks.iter().rposition(|x| *x > 0.0), Some(20));
    let s = summarize(&l.network, &l.scenario, &ev, &base);
    // Lost = 3,000 − 2,950 = 50 kt = 0.05 Mt; revenue 0.05e6 t × 7.5 bbl/t × 80 $/bbl.
    assert!((s.lost_exports_mt - 0.05).abs() < 1e-9);
    assert!((s.lost_revenue_usd - 30_000_000.0).abs() < 1e-3);
    assert!((s.curtailed_mt - 0.05).abs() < 1e-12);
    assert!((s.min_performance - 0.5).abs() < 1e-12);
    assert_eq!(s.days_below_90pct, 5);
    // Performance: 0.5 on 5 days; above 1 during the drain, which does not offset the loss.
    assert!((s.resilience_loss - 2.5).abs() < 1e-12);
    assert_eq!(s.days_to_recover, Some(5));
    // B (via Russia) carried 20/day normally, 50 in the outage, 50 during the drain.
    let b: f64 = ev.days.iter().map(|d| d.link_flow[1]).sum();
    assert!((s.russia_transit_share - b / 2950.0).abs() < 1e-12);
    assert_eq!(s.assets_hit, vec!["A".to_string()]);
}

/// F → port P by pipeline, then a tanker leg P → D whose sailing takes exactly 3 days:
/// 1,333.44 km at 10 kn = 1,333.44 / (10 × 1.852 × 24) = 3 days. Fleet: 7 × 10 kt,
/// availability 1, loading + discharge 1 day, round trip 7 days → 10 kt/day.
const TANKERS: &str = r#"
[[node]]
id = "F"
kind = "field"
lon = 50.0
lat = 39.9
country = "KZ"
production = { value = 10, unit = "kt/day", source = "test" }
[[node]]
id = "P"
kind = "port"
lon = 50.0
lat = 40.0
country = "KZ"
[[node]]
id = "D"
kind = "terminal"
lon = 50.0
lat = 52.0
country = "AZ"
[[node]]
id = "M"
kind = "market"
lon = 50.5
lat = 52.0
country = "TR"
reached_from = ["D"]
[[link]]
id = "feed"
kind = "pipeline"
from = "F"
to = "P"
countries = ["KZ"]
capacity = { value = 100, unit = "kt/day", source = "test" }
[[link]]
id = "ships"
kind = "tanker_leg"
from = "P"
to = "D"
countries = ["KZ", "AZ"]
length = { value = 1333.44, unit = "km", source = "test" }
[link.fleet]
vessels = { value = 7, unit = "count", source = "test" }
deadweight = { value = 10000, unit = "dwt", source = "test" }
speed = { value = 10, unit = "kn", source = "test" }
loading = { value = 0.5, unit = "days", source = "test" }
discharge = { value = 12, unit = "hours", source = "test" }
availability = { value = 1, unit = "fraction", source = "test" }
"#;

#[test]
fn tanker_leg_delivers_after_three_days() {
    // Sailings stop on days 5 and 6. Nothing is loaded those days (no tanks at F: 10 kt/day is
    // shut in each day), so nothing arrives on days 8 and 9; exports are 10 kt on every other
    // day. Crude at sea is 3 days of loadings: 30 kt, 20 on day 5, 10 on day 6, 10 on day 7,
    // 20 on day 8, back to 30 from day 9.
    let l = load(
        TANKERS,
        r#"
[[event]]
kind = "weather"
start = "2026-01-06"
duration_days = 2
assets = ["ships"]
source = "test"
"#,
        14,
    );
    let ships = &l.network.links[l.network.link_ix("ships").unwrap().0];
    assert!((ships.capacity.available() - 10.0).abs() < 1e-9);
    let (ev, _) = run(&l);
    assert_eq!(
        col(&ev.days, |d| d.exports_kt),
        vec![
            10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 0.0, 0.0, 10.0, 10.0, 10.0, 10.0
        ]
    );
    assert_eq!(ev.initial_at_sea_kt, 30.0);
    assert_eq!(
        col(&ev.days, |d| d.at_sea_kt),
        vec![
            30.0, 30.0, 30.0, 30.0, 30.0, 20.0, 10.0, 10.0, 20.0, 30.0, 30.0, 30.0, 30.0, 30.0
        ]
    );
    assert_eq!(col(&ev.days, |d| d.curtailed_kt).iter().sum::<f64>(), 20.0);
}

/// F → pump station PS (100 kt/day) → market M. PS's control runs over fibre X.
const DEPENDENCY: &str = r#"
[[node]]
id = "F"
kind = "field"
lon = 50.0
lat = 45.0
country = "KZ"
production = { value = 100, unit = "kt/day", source = "test" }
[[node]]
id = "PS"
kind = "pump_station"
lon = 51.0
lat = 45.0
country = "KZ"
capacity = { value = 100, unit = "kt/day", source = "test" }
[[node]]
id = "M"
kind = "market"
lon = 52.0
lat = 45.0
country = "TR"
[[link]]
id = "p1"
kind = "pipeline"
from = "F"
to = "PS"
countries = ["KZ"]
capacity = { value = 200, unit = "kt/day", source = "test" }
[[link]]
id = "p2"
kind = "pipeline"
from = "PS"
to = "M"
countries = ["KZ"]
capacity = { value = 200, unit = "kt/day", source = "test" }
[[node]]
id = "C"
kind = "city"
lon = 71.0
lat = 51.0
country = "KZ"
demand = { value = 10, unit = "Gbps", source = "test" }
[[node]]
id = "IX"
kind = "ixp"
lon = 37.6
lat = 55.7
country = "RU"
sink = true
[[link]]
id = "X"
kind = "terrestrial_fibre"
from = "C"
to = "IX"
countries = ["KZ", "RU"]
capacity = { value = 100, unit = "Gbps", source = "test" }
"#;

#[test]
fn dependency_derates_a_pump_station_after_its_grace_period() {
    // X is out on days 3–9. Its down-run counts 1 on day 3, 2 on day 4, 3 on day 5: beyond the
    // 2-day grace from day 5, so PS runs at 50% on days 5–9; X is back on day 10 and so is PS.
    // Lost: 50 kt/day × 5 days = 250 kt. Data: 10 Gbps unserved on 7 days = 10 × 86,400 / 1000
    // Tb a day = 864 Tb a day, 6,048 Tb in all, worth 60,480 $ at 10 $/Tb.
    let l = load(
        DEPENDENCY,
        r#"
[[event]]
kind = "outage"
start = "2026-01-04"
end = "2026-01-10"
assets = ["X"]
source = "test"
[[depends_on]]
dependent = "PS"
on = "X"
grace_days = 2
fraction = 0.5
source = "test"
"#,
        14,
    );
    let (ev, base) = run(&l);
    assert_eq!(
        col(&ev.days, |d| d.exports_kt),
        vec![
            100.0, 100.0, 100.0, 100.0, 100.0, 50.0, 50.0, 50.0, 50.0, 50.0, 100.0, 100.0, 100.0,
            100.0
        ]
    );
    let s = summarize(&l.network, &l.scenario, &ev, &base);
    assert!((s.lost_exports_mt - 0.25).abs() < 1e-12);
    assert!((s.data_unserved_tb - 6048.0).abs() < 1e-9);
    assert_eq!(s.data_unserved_value_usd.map(|v| v.round()), Some(60_480.0));
    assert_eq!(s.assets_hit, vec!["PS".to_string(), "X".to_string()]);
    // Latency: 2,3xx km Astana–Moscow round trip at 200 km/ms.
    let km = l.network.links[l.network.link_ix("X").unwrap().0].length_km();
    assert!((s.data_peak_latency_ms - km / 100.0).abs() < 1e-9);
}

// ---- Invariants on random networks and event sets --------------------------------------------

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

fn random_case(seed: u64) -> (String, String) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut net = String::new();
    let fields = rng.random_range(1..3usize);
    let mids = rng.random_range(1..4usize);
    let markets = rng.random_range(1..3usize);
    let mut nodes = Vec::new();
    for i in 0..fields {
        nodes.push(format!("f{i}"));
        net += &format!(
            "[[node]]\nid = \"f{i}\"\nkind = \"field\"\nlon = {}\nlat = 45.0\ncountry = \"KZ\"\nproduction = {{ value = {}, unit = \"kt/day\", source = \"t\" }}\n",
            50.0 + i as f64,
            rng.random_range(10..100)
        );
    }
    for i in 0..mids {
        nodes.push(format!("j{i}"));
        let cap = if rng.random_range(0..2) == 0 {
            format!(
                "capacity = {{ value = {}, unit = \"kt/day\", source = \"t\" }}\n",
                rng.random_range(5..80)
            )
        } else {
            String::new()
        };
        net += &format!(
            "[[node]]\nid = \"j{i}\"\nkind = \"junction\"\nlon = {}\nlat = 46.0\ncountry = \"{}\"\n{cap}",
            50.0 + i as f64,
            if i % 2 == 0 { "KZ" } else { "RU" }
        );
        if rng.random_range(0..2) == 0 {
            net += &format!(
                "[[store]]\nid = \"s{i}\"\nnode = \"j{i}\"\ncapacity = {{ value = {}, unit = \"kt\", source = \"t\" }}\ninitial = {{ value = 0, unit = \"kt\", source = \"t\" }}\n",
                rng.random_range(0..300)
            );
        }
    }
    for i in 0..markets {
        net += &format!(
            "[[node]]\nid = \"m{i}\"\nkind = \"market\"\nlon = {}\nlat = 47.0\ncountry = \"TR\"\n",
            50.0 + i as f64
        );
    }
    let mut links = Vec::new();
    let mut add = |net: &mut String, from: &str, to: &str, rng: &mut ChaCha8Rng| {
        let id = format!("l{}", links.len());
        *net += &format!(
            "[[link]]\nid = \"{id}\"\nkind = \"pipeline\"\nfrom = \"{from}\"\nto = \"{to}\"\ncountries = [\"KZ\"]\ncapacity = {{ value = {}, unit = \"kt/day\", source = \"t\" }}\ntariff = {{ value = {}, unit = \"$/t\", source = \"t\" }}\n",
            rng.random_range(5..90),
            rng.random_range(0..20)
        );
        links.push(id);
    };
    for i in 0..fields {
        for j in 0..mids {
            if rng.random_range(0..3) > 0 || j == 0 {
                add(&mut net, &format!("f{i}"), &format!("j{j}"), &mut rng);
            }
        }
    }
    for j in 0..mids {
        for m in 0..markets {
            if rng.random_range(0..3) > 0 || m == 0 || j == 0 {
                add(&mut net, &format!("j{j}"), &format!("m{m}"), &mut rng);
            }
        }
        if j + 1 < mids && rng.random_range(0..2) == 0 {
            add(&mut net, &format!("j{j}"), &format!("j{}", j + 1), &mut rng);
        }
    }
    let mut events = String::new();
    for _ in 0..rng.random_range(0..5) {
        let start = rng.random_range(1..40);
        let target = if rng.random_range(0..2) == 0 {
            links[rng.random_range(0..links.len())].clone()
        } else {
            nodes[rng.random_range(0..nodes.len())].clone()
        };
        let is_field = target.starts_with('f');
        let (kind, extra) = if is_field {
            (
                "production",
                format!(
                    "field = \"{target}\"\nfraction = {}\n",
                    rng.random_range(0..10) as f64 / 10.0
                ),
            )
        } else {
            let fraction = rng.random_range(0..10) as f64 / 10.0;
            if links.contains(&target) {
                (
                    "derate",
                    format!("assets = [\"{target}\"]\nfraction = {fraction}\n"),
                )
            } else {
                // The other nodes have no capacity: only an outage can limit them.
                ("outage", format!("assets = [\"{target}\"]\n"))
            }
        };
        events += &format!(
            "[[event]]\nkind = \"{kind}\"\nstart = \"2026-01-{:02}\"\nduration_days = {}\nrecovery_days = {}\n{extra}source = \"t\"\n",
            start.min(28),
            rng.random_range(1..15),
            rng.random_range(0..5)
        );
    }
    (net, events)
}

/// Routes over the random network `net` (one per link into a market, with random headroom)
/// and random nominations of its fields on them, drawn from their own generator so that
/// [`random_case`]'s draws stay the same.
fn random_nominations(seed: u64, net: &str) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(seed + 1_000_000);
    let mut out = String::new();
    let mut routes = Vec::new();
    let mut edges: Vec<(String, String)> = Vec::new();
    for block in net.split("[[link]]").skip(1) {
        let get = |key: &str| {
            block
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{key} = \"")))
                .and_then(|l| l.strip_suffix('"'))
                .unwrap_or_default()
                .to_string()
        };
        let (id, from, to) = (get("id"), get("from"), get("to"));
        edges.push((from.clone(), to.clone()));
        if to.starts_with('m') && from.starts_with('j') {
            let r = format!("r{}", routes.len());
            out += &format!(
                "[[route]]\nid = \"{r}\"\nstages = [\"{id}\"]\nheadroom = {{ lead = {{ value = {}, unit = \"days\", source = \"t\" }}, ramp = {{ value = {}, unit = \"days\", source = \"t\" }} }}\n",
                rng.random_range(0..6),
                rng.random_range(0..6)
            );
            routes.push((r, from));
        }
    }
    for i in 0..3 {
        if !net.contains(&format!("id = \"f{i}\"")) {
            continue;
        }
        // Nodes the field reaches.
        let mut seen = vec![format!("f{i}")];
        let mut k = 0;
        while k < seen.len() {
            for (a, b) in &edges {
                if *a == seen[k] && !seen.contains(b) {
                    seen.push(b.clone());
                }
            }
            k += 1;
        }
        for (r, start) in &routes {
            if seen.contains(start) && rng.random_range(0..2) == 0 {
                out += &format!(
                    "[[nomination]]\nfield = \"f{i}\"\nroute = \"{r}\"\nvolume = {{ value = {}, unit = \"kt/day\", source = \"t\" }}\n",
                    rng.random_range(1..30)
                );
            }
        }
    }
    out
}

/// The operations rules on the random network `net`: each field restarts after a random lag
/// and ramp, and each tank farm starts at half its capacity (its working level) with a tenth
/// as its minimum, so field outages are bridged from the tanks and refilled. From its own
/// generator, so that [`random_case`]'s draws stay the same.
fn random_operations(seed: u64, net: &str) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(seed + 2_000_000);
    let mut out = String::new();
    for (k, block) in net.split("[[").enumerate() {
        if k > 0 {
            out += "[[";
        }
        if block.starts_with("node]]") && block.contains("kind = \"field\"") {
            out += block;
            out += &format!(
                "restart = {{ lead = {{ value = {}, unit = \"days\", source = \"t\" }}, ramp = {{ value = {}, unit = \"days\", source = \"t\" }} }}\n",
                rng.random_range(0..4),
                rng.random_range(0..5)
            );
        } else if block.starts_with("store]]") {
            let cap: u32 = block
                .split("capacity = { value = ")
                .nth(1)
                .and_then(|s| s.split(',').next())
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            out += &block.replace(
                "initial = { value = 0, unit = \"kt\", source = \"t\" }\n",
                &format!(
                    "initial = {{ value = {}, unit = \"kt\", source = \"t\" }}\nminimum = {{ value = {}, unit = \"kt\", source = \"t\" }}\n",
                    cap / 2,
                    cap / 10
                ),
            );
        } else {
            out += block;
        }
    }
    out
}

#[test]
fn invariants_on_random_networks_and_events() {
    check_random_invariants(false);
}

#[test]
fn invariants_hold_under_nominated_dispatch() {
    check_random_invariants(true);
}

fn check_random_invariants(nominated: bool) {
    let (mut tested, mut nominating, mut bridged) = (0, 0, 0);
    for seed in 0..60u64 {
        let (mut net, events) = random_case(seed);
        if nominated {
            net = random_operations(seed, &net);
            net += &random_nominations(seed, &net);
        }
        let l = load(&net, &events, 90);
        let every = simulate(
            &l.network,
            &l.scenario,
            SimConfig {
                with_events: true,
                every_day: true,
                totals_only: false,
            },
        )
        .unwrap();
        let (ev, base) = run(&l);
        // Event-driven equals re-solving every day, bit for bit.
        assert_eq!(ev.days.len(), every.days.len());
        for (a, b) in ev.days.iter().zip(&every.days) {
            let mut a = a.clone();
            a.solved = b.solved;
            assert_eq!(&a, b, "seed {seed} day {}", b.t);
        }
        assert!(ev.oil_solves <= every.oil_solves);
        let mut prev_store: f64 = ev.initial_store_kt.iter().sum();
        let mut prev_sea = ev.initial_at_sea_kt;
        for d in &ev.days {
            // Flow within capacity (nominal available; events only lower it).
            for (j, l) in l.network.links.iter().enumerate() {
                assert!(
                    d.link_flow[j] <= l.capacity.available() + 1e-6,
                    "seed {seed}: {} over capacity",
                    l.id
                );
                assert!(d.link_flow[j] >= -1e-9);
            }
            // ... and within the capacity each event leaves that day.
            for e in &l.scenario.events {
                if let corridor::model::Effect::Capacity(assets) = &e.effect {
                    for (a, f) in assets {
                        if let corridor::model::AssetRef::Link(j) = a {
                            let cap = l.network.links[j.0].capacity.available()
                                * e.window.fraction_on(d.t, *f);
                            assert!(
                                d.link_flow[j.0] <= cap + 1e-6,
                                "seed {seed} day {}: event capacity",
                                d.t
                            );
                        }
                    }
                }
            }
            for (k, s) in l.network.stores.iter().enumerate() {
                assert!(
                    d.store_kt[k] <= s.capacity_kt.value + 1e-6
                        && d.store_kt[k] >= s.minimum() - 1e-6,
                    "seed {seed} day {}: store {} at {}",
                    d.t,
                    s.id,
                    d.store_kt[k]
                );
            }
            // Mass balance: production = exports + Δstorage + Δat-sea + curtailment.
            let store: f64 = d.store_kt.iter().sum();
            let bal = d.production_kt
                - d.exports_kt
                - (store - prev_store)
                - (d.at_sea_kt - prev_sea)
                - d.curtailed_kt;
            assert!(bal.abs() < 1e-6, "seed {seed} day {}: balance {bal}", d.t);
            prev_store = store;
            prev_sea = d.at_sea_kt;
        }
        // Restoring everything returns the baseline: the last day (events end by day ~45, the
        // tanks have drained) equals the baseline's last day.
        let (a, b) = (ev.days.last().unwrap(), base.days.last().unwrap());
        assert!((a.exports_kt - b.exports_kt).abs() < 1e-6, "seed {seed}");
        for (x, y) in a.link_flow.iter().zip(&b.link_flow) {
            assert!((x - y).abs() < 1e-6, "seed {seed}");
        }
        tested += (!l.scenario.events.is_empty()) as usize;
        nominating += (!l.network.nominations.is_empty()) as usize;
        if nominated {
            assert!(
                l.network
                    .nodes
                    .iter()
                    .filter(|n| n.restart.is_some())
                    .count()
                    > 0
            );
            // A tank farm drawn below its working level: a shortfall was bridged.
            bridged += ev.days.iter().any(|d| {
                l.network
                    .stores
                    .iter()
                    .enumerate()
                    .any(|(k, s)| d.store_kt[k] < s.initial_kt.value - 1e-6)
            }) as usize;
        }
    }
    assert!(tested > 30, "{tested}");
    assert!(
        !nominated || bridged >= 10,
        "only {bridged} random cases bridged a shortfall"
    );
    // Most random networks nominate something when asked to, none otherwise.
    assert!(
        if nominated {
            nominating > 40
        } else {
            nominating == 0
        },
        "{nominating}"
    );
}

#[test]
fn a_scenario_whose_events_lie_outside_the_horizon_is_exactly_the_baseline() {
    // Loaded without --strict: the event draws the `event_outside_horizon` warning.
    let text = fixtures::scenario_text(
        "t",
        30,
        &economics(DATA_AT_10_USD_PER_TB),
        r#"
[[event]]
kind = "outage"
start = "2027-01-11"
end = "2027-01-15"
assets = ["A"]
source = "test"
"#,
    );
    let tree = fixtures::tree(TWO_ROUTES, &[]);
    let l =
        corridor::io::parse_scenario_in(&tree, "t", "t.toml", &text, Path::new(""), false).unwrap();
    assert_eq!(
        l.warnings.iter().map(|w| w.check).collect::<Vec<_>>(),
        [Some("event_outside_horizon")]
    );
    let (ev, base) = run(&l);
    assert_eq!(ev.days, base.days);
}

#[test]
fn a_dependency_declared_in_the_network_acts_like_one_in_the_scenario() {
    let net = format!(
        "{DEPENDENCY}\n[[depends_on]]\ndependent = \"PS\"\non = \"X\"\ngrace_days = 2\nfraction = 0.5\nsource = \"test\"\n"
    );
    let l = load(
        &net,
        r#"
[[event]]
kind = "outage"
start = "2026-01-04"
end = "2026-01-10"
assets = ["X"]
source = "test"
"#,
        14,
    );
    assert_eq!(l.network.dependencies.len(), 1);
    let (ev, _) = run(&l);
    assert_eq!(
        col(&ev.days, |d| d.exports_kt),
        vec![
            100.0, 100.0, 100.0, 100.0, 100.0, 50.0, 50.0, 50.0, 50.0, 50.0, 100.0, 100.0, 100.0,
            100.0
        ]
    );
}

#[test]
fn traced_solves_are_the_problems_the_simulation_solved() {
    // The outage case above, traced: every problem re-solved by a fresh solver gives the
    // traced answer to the bit; the first is day 0's allocation, which moves the field's
    // 100 kt/day (80 on A, 20 on B) to the sink.
    let l = load(TWO_ROUTES, OUTAGE_OF_A, 30);
    let cfg = SimConfig {
        with_events: true,
        every_day: false,
        totals_only: false,
    };
    let (r, log) = trace_solves(|| simulate(&l.network, &l.scenario, cfg).unwrap());
    assert!(
        log.len() >= r.oil_solves && r.oil_solves > 1,
        "{}",
        log.len()
    );
    assert_eq!(log[0].totals.flow, 100.0);
    for p in &log {
        // A solver with no memo gives the traced answer, and its flows are those of one
        // solve of the whole graph, to the bit.
        let (flows, totals) = Solver::with_memo(0)
            .solve(p.vertices, &p.arcs, p.source, p.sink)
            .unwrap();
        assert_eq!(totals, p.totals);
        let mut g = FlowGraph::new(p.vertices);
        for &(u, v, cap, cost) in &p.arcs {
            g.add_arc(u, v, cap, cost);
        }
        g.min_cost_max_flow(p.source, p.sink).unwrap();
        let joint: Vec<f64> = (0..p.arcs.len()).map(|k| g.flow(k)).collect();
        assert_eq!(flows, joint);
    }
    // Deterministic, and nothing is recorded outside `trace_solves`.
    simulate(&l.network, &l.scenario, cfg).unwrap();
    let (_, again) = trace_solves(|| simulate(&l.network, &l.scenario, cfg).unwrap());
    assert_eq!(again, log);
}
