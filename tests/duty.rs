//! Duty and standby: of a `[[duty]]` group only `in_service` units run; a spare replaces a unit
//! that is out, and catch-up after an outage is bounded by the in-service units. Worked by hand
//! on a terminal with three moorings, two in service.

mod common;

use common::fixtures::{self, run};
use corridor::engine::sim::{SimConfig, simulate};
use corridor::io::{LoadError, LoadedScenario};
use corridor::model::AssetRef;

/// Field F (8 kt/day) feeds terminal T (tanks: 30 kt, starting at 10 kt) by a pipeline of
/// 8 kt/day. T loads through moorings S1, S2, S3 (5 kt/day each, each on its own 5 kt/day
/// line) to market M. Two moorings are in service, the third is the spare.
const NET: &str = r#"
[[node]]
id = "F"
kind = "field"
lon = 50.0
lat = 45.0
country = "KZ"
production = { value = 8, unit = "kt/day", source = "test" }
[[node]]
id = "T"
kind = "terminal"
lon = 51.0
lat = 45.0
country = "RU"
[[node]]
id = "S1"
kind = "spm"
lon = 51.1
lat = 45.0
country = "RU"
capacity = { value = 5, unit = "kt/day", source = "test" }
[[node]]
id = "S2"
kind = "spm"
lon = 51.1
lat = 45.1
country = "RU"
capacity = { value = 5, unit = "kt/day", source = "test" }
[[node]]
id = "S3"
kind = "spm"
lon = 51.1
lat = 45.2
country = "RU"
capacity = { value = 5, unit = "kt/day", source = "test" }
[[node]]
id = "M"
kind = "market"
lon = 52.0
lat = 45.0
country = "TR"
reached_from = ["S1", "S2", "S3"]
[[link]]
id = "line"
kind = "pipeline"
from = "F"
to = "T"
countries = ["KZ", "RU"]
capacity = { value = 8, unit = "kt/day", source = "test" }
[[link]]
id = "l1"
kind = "pipeline"
from = "T"
to = "S1"
countries = ["RU"]
capacity = { value = 5, unit = "kt/day", source = "test" }
[[link]]
id = "l2"
kind = "pipeline"
from = "T"
to = "S2"
countries = ["RU"]
capacity = { value = 5, unit = "kt/day", source = "test" }
[[link]]
id = "l3"
kind = "pipeline"
from = "T"
to = "S3"
countries = ["RU"]
capacity = { value = 5, unit = "kt/day", source = "test" }
[[store]]
id = "tanks"
node = "T"
capacity = { value = 30, unit = "kt", source = "test" }
initial = { value = 10, unit = "kt", source = "test" }
"#;

const DUTY: &str = r#"
[[duty]]
id = "moorings"
units = ["S1", "S2", "S3"]
in_service = { value = 2, unit = "count", source = "test" }
"#;

fn load(net: &str, tail: &str) -> Result<LoadedScenario, LoadError> {
    fixtures::parse_micro(net, 8, "", tail)
}

fn outage(assets: &str) -> String {
    format!(
        "[[event]]\nkind = \"outage\"\nstart = \"2026-01-03\"\nduration_days = 2\nassets = [{assets}]\nsource = \"test\"\n"
    )
}

fn round(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

#[test]
fn catch_up_after_an_outage_is_bounded_by_the_moorings_in_service() {
    // S1 and S2 out on days 2 and 3: S3 alone loads 5, so 3 kt/day go to the tanks (10 → 13 →
    // 16). From day 4 S1 and S2 load 10 kt/day: 8 fresh + 2 drained, three days (16 → 10).
    let l = load(&format!("{NET}{DUTY}"), &outage("\"S1\", \"S2\"")).unwrap();
    for every_day in [false, true] {
        let r = run(&l, every_day);
        let ex: Vec<f64> = r.days.iter().map(|d| round(d.exports_kt)).collect();
        assert_eq!(ex, vec![8.0, 8.0, 5.0, 5.0, 10.0, 10.0, 10.0, 8.0]);
        let st: Vec<f64> = r.days.iter().map(|d| round(d.store_kt[0])).collect();
        assert_eq!(st, vec![10.0, 10.0, 13.0, 16.0, 14.0, 12.0, 10.0, 10.0]);
        // The spare carries nothing while S1 and S2 run.
        assert_eq!(r.days[0].link_flow[3], 0.0);
        assert_eq!(r.days[4].link_flow[3], 0.0);
    }
    // Without the duty group all three moorings load after the outage: 15 kt/day, so the
    // 6 kt above the working level drain on day 4 alone (8 + 6 = 14).
    let l = load(NET, &outage("\"S1\", \"S2\"")).unwrap();
    let ex: Vec<f64> = run(&l, false)
        .days
        .iter()
        .map(|d| round(d.exports_kt))
        .collect();
    assert_eq!(ex, vec![8.0, 8.0, 5.0, 5.0, 14.0, 8.0, 8.0, 8.0]);
    let l = load(NET, &outage("\"S1\", \"S2\", \"S3\"")).unwrap();
    let ex: Vec<f64> = run(&l, false)
        .days
        .iter()
        .map(|d| round(d.exports_kt))
        .collect();
    // All three out on days 2–3: 8 kt/day into the tanks (10 → 26); day 4 loads 15 = 8 + 7,
    // day 5 the remaining 9 above working level: 8 + 7 = 15 again, day 6 8 + 2.
    assert_eq!(ex, vec![8.0, 8.0, 0.0, 0.0, 15.0, 15.0, 10.0, 8.0]);
}

#[test]
fn a_lost_mooring_is_replaced_by_the_spare() {
    // S1 out on days 2–3: S2 and S3 load the 8 kt/day; nothing is stored, nothing lost.
    let l = load(&format!("{NET}{DUTY}"), &outage("\"S1\"")).unwrap();
    let r = run(&l, false);
    assert!(r.days.iter().all(|d| round(d.exports_kt) == 8.0));
    assert!(r.days.iter().all(|d| round(d.store_kt[0]) == 10.0));
    assert_eq!(round(r.days[2].link_flow[1]), 0.0);
    assert_eq!(round(r.days[2].link_flow[2] + r.days[2].link_flow[3]), 8.0);
    // Standing by is not being hit: only S1 is.
    let s1 = l.network.node_ix("S1").unwrap();
    assert_eq!(r.assets_hit, vec![AssetRef::Node(s1)]);
    // All three out: nothing loads, the tanks take 8 kt/day.
    let l = load(&format!("{NET}{DUTY}"), &outage("\"S1\", \"S2\", \"S3\"")).unwrap();
    let r = run(&l, false);
    assert_eq!(round(r.days[2].exports_kt), 0.0);
    assert_eq!(round(r.days[3].store_kt[0]), 26.0);
}

fn errors(duty: &str) -> Vec<String> {
    fixtures::micro_errors(&format!("{NET}{duty}"), 8, "", "")
}

#[test]
fn a_bad_duty_group_is_refused_with_its_field() {
    for (n, problem) in [
        (
            "0",
            "in_service = 0 is not a whole number from 1 to the 3 units listed",
        ),
        (
            "4",
            "in_service = 4 is not a whole number from 1 to the 3 units listed",
        ),
        (
            "1.5",
            "in_service = 1.5 is not a whole number from 1 to the 3 units listed",
        ),
    ] {
        let e = errors(&DUTY.replace("value = 2", &format!("value = {n}")));
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].contains("duty[moorings].in_service"), "{e:?}");
        assert!(e[0].contains(problem), "{e:?}");
    }
    let e = errors(&DUTY.replace("\"S3\"]", "\"T\"]"));
    assert!(
        e.iter()
            .any(|d| d.contains("duty[moorings].units: unit `T` has no capacity")),
        "{e:?}"
    );
    let e = errors(&DUTY.replace("\"S3\"]", "\"S1\"]"));
    assert!(
        e.iter().any(|d| d.contains("unit `S1` is listed twice")),
        "{e:?}"
    );
    let second = DUTY.replace("id = \"moorings\"", "id = \"again\"");
    let e = errors(&format!("{DUTY}{second}"));
    assert!(
        e.iter()
            .any(|d| d.contains("unit `S1` is already in duty group `moorings`")),
        "{e:?}"
    );
}

#[test]
fn an_event_reports_the_flow_it_displaced_and_a_spare_displaces_nothing() {
    use corridor::engine::metrics::summarize;
    let route = "[[route]]\nid = \"R\"\nstages = [\"line\", [\"l1\", \"l2\", \"l3\"]]\n";
    let net = format!("{NET}{DUTY}{route}");
    let base_cfg = SimConfig {
        with_events: false,
        every_day: false,
        totals_only: false,
    };
    // S1 and S2 out on days 2–3: route R exports 5 instead of 8 on both days, 6 kt displaced
    // (the catch-up of days 4–6 lies outside the event's window).
    let l = load(&net, &outage("\"S1\", \"S2\"")).unwrap();
    let s = summarize(
        &l.network,
        &l.scenario,
        &run(&l, false),
        &simulate(&l.network, &l.scenario, base_cfg).unwrap(),
    );
    assert_eq!(
        s.event_displaced_kt
            .iter()
            .map(|x| round(*x))
            .collect::<Vec<_>>(),
        vec![6.0]
    );
    assert_eq!(s.event_hits_flow, vec![true]);
    // The spare alone: it carries nothing in the baseline, so it displaces nothing.
    let l = load(&net, &outage("\"S3\"")).unwrap();
    let s = summarize(
        &l.network,
        &l.scenario,
        &run(&l, false),
        &simulate(&l.network, &l.scenario, base_cfg).unwrap(),
    );
    assert_eq!(s.event_displaced_kt, vec![0.0]);
    assert_eq!(s.event_hits_flow, vec![false]);
}

#[test]
fn a_scenario_sets_a_tank_farms_starting_level() {
    // Tanks start at 20 kt, 10 above their working level: the two moorings' spare 2 kt/day
    // (10 − 8) drains them over five days, in the run and its baseline alike.
    let stock = "[stock]\ntanks = { value = 20, unit = \"kt\", source = \"test\" }\n";
    let l = fixtures::parse_micro(&format!("{NET}{DUTY}"), 8, stock, "").unwrap();
    let r = run(&l, false);
    let ex: Vec<f64> = r.days.iter().map(|d| round(d.exports_kt)).collect();
    assert_eq!(ex, vec![10.0, 10.0, 10.0, 10.0, 10.0, 8.0, 8.0, 8.0]);
    assert_eq!(r.initial_store_kt, vec![20.0]);
    assert_eq!(round(r.days[4].store_kt[0]), 10.0);
    let e = fixtures::micro_errors(
        &format!("{NET}{DUTY}"),
        8,
        "[stock]\ntank = { value = 20, unit = \"kt\", source = \"test\" }\n",
        "",
    );
    assert!(
        e.iter()
            .any(|d| d.contains("stock.tank: unknown tank farm `tank`") && d.contains("tanks")),
        "{e:?}"
    );
    let e = fixtures::micro_errors(
        &format!("{NET}{DUTY}"),
        8,
        "[stock]\ntanks = { value = 31, unit = \"kt\", source = \"test\" }\n",
        "",
    );
    assert!(
        e.iter()
            .any(|d| d.contains("stock.tanks: 31 kt is outside the tanks' 0…30 kt")),
        "{e:?}"
    );
}
