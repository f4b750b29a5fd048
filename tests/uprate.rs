//! Uprates: an event can raise a capacity above normal (an emergency uprate, a bigger quota),
//! bounded by the stated physical maximum. Worked by hand on one field and one pipeline.

mod common;

use common::fixtures;
use corridor::engine::sim::{SimConfig, simulate};
use corridor::io::{LoadError, LoadedScenario};

/// Field F (14 kt/day) ships to market M by pipeline `a`: `CAP`.
fn net(cap: &str) -> String {
    format!(
        r#"
{}[[link]]
id = "a"
kind = "pipeline"
from = "F"
to = "M"
countries = ["KZ"]
{cap}
"#,
        fixtures::FIELD_AND_MARKET
    )
}

const WITH_MAX: &str = "capacity = { value = 10, unit = \"kt/day\", source = \"test\", maximum = { value = 12, unit = \"kt/day\", source = \"test\" } }";
const QUOTA: &str = "capacity = { value = 10, unit = \"kt/day\", source = \"test\", allocation = { value = 8, unit = \"kt/day\", source = \"test\" } }";
const PLAIN: &str = "capacity = { value = 10, unit = \"kt/day\", source = \"test\" }";

fn event(kind: &str, start: &str, days: u32, fraction: f64) -> String {
    format!(
        "[[event]]\nkind = \"{kind}\"\nstart = \"{start}\"\nduration_days = {days}\nassets = [\"a\"]\nfraction = {fraction}\nsource = \"test\"\n"
    )
}

fn load(net: &str, tail: &str) -> Result<LoadedScenario, LoadError> {
    fixtures::parse_micro(net, 6, "", tail)
}

fn exports(l: &LoadedScenario) -> Vec<f64> {
    let cfg = SimConfig {
        with_events: true,
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
fn an_uprate_is_bounded_by_the_stated_maximum() {
    // Days 1–3 at ×1.5: 10 × 1.5 = 15 is cut to the 12 kt/day maximum; ×1.1 gives 11.
    let l = load(&net(WITH_MAX), &event("uprate", "2026-01-02", 3, 1.5)).unwrap();
    assert_eq!(exports(&l), vec![10.0, 12.0, 12.0, 12.0, 10.0, 10.0]);
    let l = load(&net(WITH_MAX), &event("uprate", "2026-01-02", 3, 1.1)).unwrap();
    assert_eq!(exports(&l), vec![10.0, 11.0, 11.0, 11.0, 10.0, 10.0]);
    // An uprate is not a hit.
    let r = simulate(
        &l.network,
        &l.scenario,
        SimConfig {
            with_events: true,
            every_day: true,
            totals_only: false,
        },
    )
    .unwrap();
    assert!(r.assets_hit.is_empty());
}

#[test]
fn a_quota_can_rise_to_the_line_capacity_without_a_maximum() {
    // The allocation of 8 × 1.5 = 12 is cut to the 10 kt/day line.
    let l = load(&net(QUOTA), &event("uprate", "2026-01-02", 3, 1.5)).unwrap();
    assert_eq!(exports(&l), vec![8.0, 10.0, 10.0, 10.0, 8.0, 8.0]);
}

#[test]
fn an_overlapping_derate_and_uprate_multiply() {
    // Days 1–3 ×1.2, days 2–3 also at 0.5: 12 on day 1, then 10 × 0.5 × 1.2 = 6.
    let tail = format!(
        "{}{}",
        event("uprate", "2026-01-02", 3, 1.2),
        event("derate", "2026-01-03", 2, 0.5)
    );
    let l = load(&net(WITH_MAX), &tail).unwrap();
    assert_eq!(exports(&l), vec![10.0, 12.0, 6.0, 6.0, 10.0, 10.0]);
}

fn errors(net: &str, tail: &str) -> Vec<String> {
    fixtures::micro_errors(net, 6, "", tail)
}

#[test]
fn an_uprate_without_room_or_below_one_is_refused() {
    let e = errors(&net(PLAIN), &event("uprate", "2026-01-02", 3, 1.5));
    assert!(
        e.iter()
            .any(|d| d
                .contains("`a` has no room above its capacity, so an uprate would change nothing")),
        "{e:?}"
    );
    let e = errors(&net(WITH_MAX), &event("uprate", "2026-01-02", 3, 0.5));
    assert!(
        e.iter()
            .any(|d| d.contains("an uprate multiplies capacity by more than 1, not 0.5")),
        "{e:?}"
    );
    let below = WITH_MAX.replace("value = 12", "value = 9");
    let e = errors(&net(&below), "");
    assert!(
        e.iter().any(|d| d.contains(
            "link[a].capacity.maximum: the physical maximum is below the nominal capacity"
        )),
        "{e:?}"
    );
}
