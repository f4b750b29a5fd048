//! Path-aware tanker loading: a cargo is loaded only if the destination can pass it on, so a
//! cheap sailing with a small onward pipe does not strand crude at sea. Worked by hand.

mod common;

use common::fixtures::{self, DATA_UNSET, economics};
use corridor::engine::sim::{SimConfig, simulate};

/// Field F (10 kt/day) feeds port P. From P a tanker leg sails to terminal D in exactly 3 days
/// (1,333.44 km at 10 kn; fleet 10 kt/day, as in tests/sim.rs), and D passes crude on to market
/// M by a 3 kt/day pipe. F also reaches M directly by a dear pipeline (US$50/t against
/// 1,333.44 km × US$2/t/100 km = US$26.67/t by sea plus the short onward pipe).
const NET: &str = r#"
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
reached_from = ["X"]
[[node]]
id = "X"
kind = "junction"
lon = 50.4
lat = 52.0
country = "TR"
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
[[link]]
id = "onward"
kind = "pipeline"
from = "D"
to = "X"
countries = ["AZ", "TR"]
capacity = { value = 3, unit = "kt/day", source = "test" }
[[link]]
id = "direct"
kind = "pipeline"
from = "F"
to = "X"
countries = ["KZ", "TR"]
capacity = { value = 100, unit = "kt/day", source = "test" }
tariff = { value = 50, unit = "$/t", source = "test" }
"#;

#[test]
fn loading_stops_at_what_the_destination_can_pass_on() {
    let text = fixtures::scenario_text("t", 20, &economics(DATA_UNSET), "");
    let l = fixtures::load_in(&fixtures::tree(NET, &[]), "t", &text);
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
    let ix = |id: &str| l.network.link_ix(id).unwrap().0;
    for d in &run.days {
        // 3 kt/day loaded (the onward pipe's capacity), 7 kt/day by the dear pipeline; all 10
        // exported every day, and the 3 days at sea hold 3 × 3 = 9 kt, never more.
        assert!(
            (d.link_flow[ix("ships")] - 3.0).abs() < 1e-9,
            "day {}: {:?}",
            d.t,
            d.link_flow
        );
        assert!(
            (d.link_flow[ix("direct")] - 7.0).abs() < 1e-9,
            "day {}",
            d.t
        );
        assert!(
            (d.exports_kt - 10.0).abs() < 1e-9,
            "day {}: {}",
            d.t,
            d.exports_kt
        );
        assert!(
            (d.at_sea_kt - 9.0).abs() < 1e-9,
            "day {}: {}",
            d.t,
            d.at_sea_kt
        );
    }
}
