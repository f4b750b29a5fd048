//! Operational status: a suspended asset carries nothing until a `reactivate` event brings it
//! back after its lead time and ramp (or a variant switches it on); a retired one never returns.
//! Worked by hand on a two-pipeline micro-network.

mod common;

use common::fixtures::{self, DATA_UNSET, economics};
use corridor::engine::layer_indicators;
use corridor::engine::sim::{SimConfig, simulate};
use corridor::io::{LoadError, Memory, parse_scenario_in};
use corridor::model::{Layer, Status};
use std::path::Path;

/// Field F (10 kt/day) reaches market M through junction B by pipeline `a` (4 kt/day,
/// operating) or pipeline `b` (10 kt/day, suspended: 3 days' lead, 2 days' ramp).
const NET: &str = r#"
[[node]]
id = "F"
kind = "field"
lon = 50.0
lat = 45.0
country = "KZ"
production = { value = 10, unit = "kt/day", source = "test" }
[[node]]
id = "B"
kind = "junction"
lon = 51.0
lat = 45.0
country = "KZ"
[[node]]
id = "M"
kind = "market"
lon = 52.0
lat = 45.0
country = "TR"
reached_from = ["B"]
[[link]]
id = "a"
kind = "pipeline"
from = "F"
to = "B"
countries = ["KZ"]
capacity = { value = 4, unit = "kt/day", source = "test" }
[[link]]
id = "b"
kind = "pipeline"
from = "F"
to = "B"
countries = ["KZ"]
capacity = { value = 10, unit = "kt/day", source = "test" }
status = "suspended"
reactivation = { lead = { value = 3, unit = "days", source = "test" }, ramp = { value = 2, unit = "days", source = "test" } }
"#;

fn tree(net: &str) -> Memory {
    fixtures::tree(net, &[])
}

fn load(net: &str, tail: &str) -> Result<corridor::io::LoadedScenario, LoadError> {
    let text = fixtures::scenario_text("s", 8, &economics(DATA_UNSET), tail);
    parse_scenario_in(&tree(net), "s", "s.toml", &text, Path::new(""), true)
}

fn errors(net: &str, tail: &str) -> Vec<String> {
    match load(net, tail) {
        Err(LoadError::Invalid(d)) => d.iter().map(|d| d.to_string()).collect(),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("expected errors"),
    }
}

fn exports(l: &corridor::io::LoadedScenario, with_events: bool) -> Vec<f64> {
    let cfg = SimConfig {
        with_events,
        every_day: false,
        totals_only: false,
    };
    simulate(&l.network, &l.scenario, cfg)
        .unwrap()
        .days
        .iter()
        .map(|d| (d.exports_kt * 1e9).round() / 1e9)
        .collect()
}

#[test]
fn a_suspended_pipeline_carries_nothing_and_counts_for_no_capacity() {
    let l = load(NET, "").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(exports(&l, true), vec![4.0; 8]);
    // Maximum export capacity 4 kt/day = 1.46 Mt/yr, with or without planned assets.
    for planned in [false, true] {
        let ind = layer_indicators(&l.network, Layer::Oil, planned).unwrap();
        assert!(
            (ind.max_capacity - 4.0 * 0.365).abs() < 1e-9,
            "{}",
            ind.max_capacity
        );
    }
}

#[test]
fn reactivation_waits_for_its_lead_time_then_ramps() {
    // Decided on day 2 (3 Jan): closed through day 2 + 3 − 1 = 4; day 5 gives 1/2 of 10 kt/day,
    // day 6 the full 10. Exports: 4 kt/day on a, plus b: 4,4,4,4,4, 4+5, then min(10, 4+10) = 10.
    let l = load(
        NET,
        "[[event]]\nkind = \"reactivate\"\nstart = \"2026-01-03\"\nassets = [\"b\"]\nsource = \"test\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        exports(&l, true),
        vec![4.0, 4.0, 4.0, 4.0, 4.0, 9.0, 10.0, 10.0]
    );
    // The baseline leaves it suspended.
    assert_eq!(exports(&l, false), vec![4.0; 8]);
    let e = &l.scenario.events[0];
    assert_eq!(
        (e.window.start, e.window.end, e.window.recovery_days),
        (2, 4, 2)
    );
    // A reactivated asset is not "hit" by its reactivation.
    let run = simulate(
        &l.network,
        &l.scenario,
        SimConfig {
            with_events: true,
            every_day: true,
            totals_only: false,
        },
    )
    .unwrap();
    assert!(run.assets_hit.is_empty(), "{:?}", run.assets_hit);
    assert_eq!(
        run.days.iter().map(|d| d.exports_kt).collect::<Vec<_>>(),
        exports(&l, true)
    );
}

#[test]
fn a_variant_switches_a_suspended_asset_on_at_once_but_not_a_retired_one() {
    let l = load(NET, "[variant]\nswitch_on = [\"b\"]\n").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(l.network.links[1].status, Status::Operating);
    assert_eq!(exports(&l, true), vec![10.0; 8]);
    let retired = NET.replace(
        "status = \"suspended\"\nreactivation = { lead = { value = 3, unit = \"days\", source = \"test\" }, ramp = { value = 2, unit = \"days\", source = \"test\" } }\n",
        "status = \"retired\"\n",
    );
    assert_eq!(
        errors(&retired, "[variant]\nswitch_on = [\"b\"]\n"),
        vec!["s.toml:17: variant.switch_on: `b` is retired and cannot be switched on"]
    );
    assert_eq!(
        errors(
            &retired,
            "[[event]]\nkind = \"reactivate\"\nstart = \"2026-01-03\"\nassets = [\"b\"]\nsource = \"test\"\n"
        ),
        vec![
            "s.toml:19: event[reactivate #1].assets: `b` is retired, not suspended (a retired asset cannot be reactivated)"
        ]
    );
}

#[test]
fn reactivation_data_is_required_exactly_for_suspended_assets() {
    let bare = NET.replace(
        "reactivation = { lead = { value = 3, unit = \"days\", source = \"test\" }, ramp = { value = 2, unit = \"days\", source = \"test\" } }\n",
        "",
    );
    let e = errors(&bare, "");
    assert!(
        e.iter().any(|d| d.contains(
            "link[b].reactivation: a suspended asset needs its reactivation lead and ramp"
        )),
        "{e:?}"
    );
    let on_operating = NET.replace("status = \"suspended\"\n", "");
    let e = errors(&on_operating, "");
    assert!(
        e.iter()
            .any(|d| d
                .contains("link[b].reactivation: only a suspended asset has reactivation data")),
        "{e:?}"
    );
    // Reactivating an operating asset is refused too.
    let e = errors(
        NET,
        "[[event]]\nkind = \"reactivate\"\nstart = \"2026-01-03\"\nassets = [\"a\"]\nsource = \"test\"\n",
    );
    assert!(
        e.iter().any(|d| d
            .contains("`a` is operating, not suspended (only suspended assets are reactivated)")),
        "{e:?}"
    );
}

#[test]
fn a_derate_of_a_node_without_capacity_is_refused_but_an_outage_closes_it() {
    // Junction B has no capacity: a derate to 0.5 would leave it unlimited.
    let derate = "[[event]]\nkind = \"derate\"\nstart = \"2026-01-03\"\nduration_days = 2\nassets = [\"B\"]\nfraction = 0.5\nsource = \"test\"\n";
    assert_eq!(
        errors(NET, derate),
        vec![
            "s.toml:20: event[derate #1].assets: `B` has no capacity, so a derate to 0.5 would change nothing (derate the links into or out of it, or give it a capacity in the network)"
        ]
    );
    // An outage of it stops everything through it on days 2 and 3.
    let outage = "[[event]]\nkind = \"outage\"\nstart = \"2026-01-03\"\nduration_days = 2\nassets = [\"B\"]\nsource = \"test\"\n";
    let l = load(NET, outage).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        exports(&l, true),
        vec![4.0, 4.0, 0.0, 0.0, 4.0, 4.0, 4.0, 4.0]
    );
}
