//! Stock below the working level: a tank farm bridges the shortfall of the crude nominated
//! through it when a field's output falls, down to its minimum (tank bottoms), and refills to
//! its working level, before exporting, once nothing is short. Worked by hand.

mod common;

use common::fixtures;
use corridor::engine::sim::SimResult;
use corridor::io::LoadedScenario;

/// Field F (10 kt/day) → pipe `a` (10 kt/day) → terminal J with tank farm T (capacity 100 kt,
/// working level 50 kt, minimum 20 kt) → pipe `b` (10 kt/day) → market M. F nominates all its
/// output on route R (a, b).
const NET: &str = r#"
[[node]]
id = "F"
kind = "field"
lon = 50.0
lat = 45.0
country = "KZ"
production = { value = 10, unit = "kt/day", source = "test" }
[[node]]
id = "J"
kind = "terminal"
lon = 51.0
lat = 45.0
country = "KZ"
[[node]]
id = "M"
kind = "market"
lon = 52.0
lat = 45.0
country = "TR"
[[link]]
id = "a"
kind = "pipeline"
from = "F"
to = "J"
countries = ["KZ"]
capacity = { value = 10, unit = "kt/day", source = "test" }
[[link]]
id = "b"
kind = "pipeline"
from = "J"
to = "M"
countries = ["KZ"]
capacity = { value = 10, unit = "kt/day", source = "test" }
[[store]]
id = "T"
node = "J"
capacity = { value = 100, unit = "kt", source = "test" }
initial = { value = 50, unit = "kt", source = "test" }
minimum = { value = 20, unit = "kt", source = "test" }
[[route]]
id = "R"
stages = ["a", "b"]
[[nomination]]
field = "F"
route = "R"
volume = { value = 10, unit = "kt/day", source = "test" }
"#;

/// F shut in from 2026-01-03 for `days` days.
fn field_out(days: u32) -> String {
    format!(
        "[[event]]\nkind = \"production\"\nstart = \"2026-01-03\"\nduration_days = {days}\nfield = \"F\"\nfraction = 0.0\nsource = \"test\"\n"
    )
}

fn runs(head: &str, horizon: u32, tail: &str) -> Vec<SimResult> {
    let l: LoadedScenario =
        fixtures::parse_micro(NET, horizon, head, tail).unwrap_or_else(|e| panic!("{e}"));
    fixtures::both_ways(&l)
}

#[test]
fn tanks_bridge_a_field_outage_and_refill_before_exporting() {
    // F is out on days 2–3: T, the first tank farm on R, is short 10 kt/day and drains 10 a
    // day below its working level (50 → 40 → 30), so exports hold at 10. From day 4 nothing is
    // short: T refills first (10 a day, 30 → 40 → 50) and exports wait; day 6 is normal. The
    // loss is deferred, not avoided: 20 kt over the run, as without tanks.
    for r in runs("", 8, &field_out(2)) {
        assert_eq!(
            fixtures::column(&r, |d| d.exports_kt),
            vec![10.0, 10.0, 10.0, 10.0, 0.0, 0.0, 10.0, 10.0]
        );
        assert_eq!(
            fixtures::column(&r, |d| d.store_kt[0]),
            vec![50.0, 50.0, 40.0, 30.0, 40.0, 50.0, 50.0, 50.0]
        );
    }
}

#[test]
fn tanks_are_not_drawn_below_their_minimum() {
    // F is out on days 2–5: T bridges days 2–4 (50 → 20, its minimum) and day 5 has nothing
    // to export. Refilling 20 → 50 takes days 6–8; day 9 is normal.
    for r in runs("", 10, &field_out(4)) {
        assert_eq!(
            fixtures::column(&r, |d| d.exports_kt),
            vec![10.0, 10.0, 10.0, 10.0, 10.0, 0.0, 0.0, 0.0, 0.0, 10.0]
        );
        assert_eq!(
            fixtures::column(&r, |d| d.store_kt[0]),
            vec![50.0, 50.0, 40.0, 30.0, 20.0, 20.0, 30.0, 40.0, 50.0, 50.0]
        );
    }
}

#[test]
fn a_tank_farm_started_below_its_working_level_refills_first() {
    // [stock] starts T at 35 kt, below its 50 kt working level, with nothing short: the
    // first 15 kt reaching it refill it (day 0: 10, day 1: 5), then exports are normal.
    for r in runs(
        "",
        4,
        "[stock]\nT = { value = 35, unit = \"kt\", source = \"test\" }\n",
    ) {
        assert_eq!(
            fixtures::column(&r, |d| d.exports_kt),
            vec![0.0, 5.0, 10.0, 10.0]
        );
        assert_eq!(
            fixtures::column(&r, |d| d.store_kt[0]),
            vec![45.0, 50.0, 50.0, 50.0]
        );
    }
}

#[test]
fn least_cost_dispatch_does_not_bridge() {
    // Without nominations there is no shortfall to bridge: the outage loses its 20 kt at once.
    for r in runs("dispatch = \"least_cost\"\n", 8, &field_out(2)) {
        assert_eq!(
            fixtures::column(&r, |d| d.exports_kt),
            vec![10.0, 10.0, 0.0, 0.0, 10.0, 10.0, 10.0, 10.0]
        );
    }
}

#[test]
fn a_minimum_above_the_working_level_or_a_start_below_it_is_refused() {
    let bad = NET.replace("minimum = { value = 20,", "minimum = { value = 60,");
    let errs = fixtures::micro_errors(&bad, 4, "", "");
    assert!(
        errs.iter()
            .any(|e| e.contains("store[T].minimum") && e.contains("outside 0…50 kt")),
        "{errs:?}"
    );
    let errs = fixtures::micro_errors(
        NET,
        4,
        "",
        "[stock]\nT = { value = 10, unit = \"kt\", source = \"test\" }\n",
    );
    assert!(
        errs.iter()
            .any(|e| e.contains("stock.T") && e.contains("outside the tanks' 20…100 kt")),
        "{errs:?}"
    );
}
