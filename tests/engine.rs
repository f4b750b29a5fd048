//! Max flow, N-1 and the other indicators on micro-networks whose answers are worked out by
//! hand in the comments. Capacities are entered in kt/day; the indicators report oil in Mt/yr
//! (× 365 / 1000).

mod common;

use common::fixtures::network as net;
use corridor::engine::{FlowOptions, FlowProblem, layer_indicators};
use corridor::model::units::kt_per_day_to_mt_per_yr as mt;
use corridor::model::{AssetRef, Layer};

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

/// ```text
///            a:100         b:60 (crosses RU)
///   F ─────────────▶ J ─────────────▶ P1 ⇢ M1
///   │                │ c:50
///   │ d:30           ▼
///   └──────────────▶ P2 (node capacity 70) ⇢ M2
/// ```
const DIAMOND: &str = r#"
[[node]]
id = "F"
kind = "field"
lon = 50.0
lat = 45.0
country = "KZ"
production = { value = 500, unit = "kt/day", source = "test" }
[[node]]
id = "J"
kind = "junction"
lon = 51.0
lat = 45.0
country = "KZ"
[[node]]
id = "P1"
kind = "port"
lon = 52.0
lat = 46.0
country = "RU"
[[node]]
id = "P2"
kind = "port"
lon = 52.0
lat = 44.0
country = "KZ"
capacity = { value = 70, unit = "kt/day", source = "test" }
[[node]]
id = "M1"
kind = "market"
lon = 53.0
lat = 46.0
country = "RU"
reached_from = ["P1"]
[[node]]
id = "M2"
kind = "market"
lon = 53.0
lat = 44.0
country = "KZ"
reached_from = ["P2"]
[[link]]
id = "a"
kind = "pipeline"
from = "F"
to = "J"
countries = ["KZ"]
capacity = { value = 100, unit = "kt/day", source = "test" }
[[link]]
id = "b"
kind = "pipeline"
from = "J"
to = "P1"
countries = ["KZ", "RU"]
capacity = { value = 60, unit = "kt/day", source = "test" }
[[link]]
id = "c"
kind = "pipeline"
from = "J"
to = "P2"
countries = ["KZ"]
capacity = { value = 50, unit = "kt/day", source = "test" }
[[link]]
id = "d"
kind = "pipeline"
from = "F"
to = "P2"
countries = ["KZ"]
capacity = { value = 30, unit = "kt/day", source = "test" }
[[route]]
id = "r1"
stages = ["a", "b"]
[[route]]
id = "r2"
stages = ["a", "c"]
[[route]]
id = "r3"
stages = ["d"]
"#;

#[test]
fn diamond_max_flow() {
    // Cut {a, d} = 100 + 30 = 130; the flow a→b 60, a→c 40, d 30 fills P2 to exactly 70.
    let n = net(DIAMOND);
    let ind = layer_indicators(&n, Layer::Oil, false).unwrap();
    close(ind.max_capacity, mt(130.0));
    // Production does not bound the infrastructure measure (500 kt/day ≫ 130).
    close(ind.supply, mt(500.0));
}

#[test]
fn diamond_n_minus_1() {
    // Losing a leaves d alone: 30. Losing b: c 50 + d 30 capped by P2 at 70. Losing c: 60 + 30
    // = 90. Losing d: a 100 (b 60 + c 40) = 100. Losing P2: b alone, 60. Worst: a, 30 left.
    let n = net(DIAMOND);
    let p = FlowProblem::new(&n, Layer::Oil, FlowOptions::default());
    let without = |id: &str| {
        let a = n.asset(id).unwrap();
        p.solve(|x| if x == a { 0.0 } else { 1.0 }).unwrap().value
    };
    close(without("a"), 30.0);
    close(without("b"), 70.0);
    close(without("c"), 90.0);
    close(without("d"), 100.0);
    close(without("P2"), 60.0);
    let ind = layer_indicators(&n, Layer::Oil, false).unwrap();
    let n1 = ind.n_minus_1.unwrap();
    assert_eq!(n1.asset, "a");
    assert!(n1.tied_with.is_empty());
    close(n1.remaining_capacity, mt(30.0));
    close(n1.lost_capacity, mt(100.0));
}

#[test]
fn diamond_russia_share_routes_and_concentration() {
    // Only b crosses Russia (and P1, M1 lie there). Without them: c 50 + d 30 capped at 70,
    // so 1 − 70/130 = 60/130 of export capacity cannot bypass Russia.
    let n = net(DIAMOND);
    let ind = layer_indicators(&n, Layer::Oil, false).unwrap();
    close(ind.russia_share, 60.0 / 130.0);
    close(ind.capacity_without_russia, mt(70.0));
    // The maximum flow is unique here (a and d saturated, hence b = 60 and c = 40), so each
    // route's part is: r1 60, r2 40, r3 30.
    let by_id = |id: &str| ind.routes.iter().find(|r| r.route == id).unwrap().clone();
    close(by_id("r1").attributed_capacity, mt(60.0));
    close(by_id("r2").attributed_capacity, mt(40.0));
    close(by_id("r3").attributed_capacity, mt(30.0));
    // Stand-alone: r1 = min(a, b) = 60; r2 = min(a, c, P2) = 50; r3 = min(d, P2) = 30.
    close(by_id("r1").standalone_capacity, mt(60.0));
    close(by_id("r2").standalone_capacity, mt(50.0));
    close(by_id("r3").standalone_capacity, mt(30.0));
    assert!(by_id("r1").via_russia && !by_id("r2").via_russia);
    // HHI = (60² + 40² + 30²) / 130² × 10,000 = 6,100 / 16,900 × 10,000.
    close(ind.hhi, 6100.0 / 16900.0 * 10_000.0);
    let s = [60.0f64, 40.0, 30.0].map(|x| x / 130.0);
    close(ind.shannon, -s.iter().map(|p| p * p.ln()).sum::<f64>());
}

#[test]
fn restoring_an_asset_gives_back_the_exact_baseline() {
    let n = net(DIAMOND);
    let p = FlowProblem::new(&n, Layer::Oil, FlowOptions::default());
    let base = p.solve_intact().unwrap();
    let a = n.asset("c").unwrap();
    let cut = p.solve(|x| if x == a { 0.25 } else { 1.0 }).unwrap();
    assert!(cut.value < base.value);
    let again = p.solve_intact().unwrap();
    assert_eq!(base.value.to_bits(), again.value.to_bits());
    assert_eq!(base.link_flow, again.link_flow);
}

#[test]
fn production_bounds_flow_when_asked() {
    // F produces 500 kt/day; with a 100 kt/day field the diamond carries at most 100.
    let n = net(&DIAMOND.replace(
        "value = 500, unit = \"kt/day\"",
        "value = 100, unit = \"kt/day\"",
    ));
    let opts = FlowOptions {
        include_planned: false,
        production_bounded: true,
    };
    close(
        FlowProblem::new(&n, Layer::Oil, opts)
            .solve_intact()
            .unwrap()
            .value,
        100.0,
    );
}

const SHARES: &str = r#"
[[node]]
id = "F"
kind = "field"
lon = 50.0
lat = 45.0
country = "KZ"
production = { value = 500, unit = "kt/day", source = "test" }
[[node]]
id = "T"
kind = "terminal"
lon = 55.65
lat = 45.0
country = "KZ"
[[node]]
id = "M"
kind = "market"
lon = 56.5
lat = 45.0
country = "KZ"
reached_from = ["T"]
[[link]]
id = "shared"
kind = "pipeline"
from = "F"
to = "T"
countries = ["KZ"]
[link.capacity]
value = 200
unit = "kt/day"
source = "test"
reserved = { value = 25, unit = "%", holder = "others", source = "test" }
allocation = { value = 120, unit = "kt/day", source = "test" }
[[link]]
id = "reserved-only"
kind = "pipeline"
from = "F"
to = "T"
countries = ["KZ"]
[link.capacity]
value = 40
unit = "kt/day"
source = "test"
reserved = { value = 0.5, unit = "fraction", holder = "others", source = "test" }
[[link]]
id = "ships"
kind = "tanker_leg"
from = "F"
to = "T"
countries = ["KZ"]
length = { value = 444.48, unit = "km", source = "test: 1 day at 10 kn" }
[link.fleet]
vessels = { value = 10, unit = "count", source = "test" }
deadweight = { value = 12000, unit = "dwt", source = "test" }
speed = { value = 10, unit = "kn", source = "test" }
loading = { value = 24, unit = "hours", source = "test" }
discharge = { value = 1, unit = "days", source = "test" }
availability = { value = 0.9, unit = "fraction", source = "test" }
[[link]]
id = "future"
kind = "pipeline"
from = "F"
to = "T"
countries = ["KZ"]
status = "planned"
capacity = { value = 1000, unit = "kt/day", source = "test" }
[[expansion]]
id = "bigger"
target = "reserved-only"
capacity = { value = 100, unit = "kt/day", source = "test" }
"#;

#[test]
fn reserved_shares_allocations_and_fleets() {
    let n = net(SHARES);
    let cap = |id: &str| n.link(n.link_ix(id).unwrap()).capacity.available();
    // min(200 × (1 − 0.25), 120) = min(150, 120) = 120.
    close(cap("shared"), 120.0);
    // 40 × (1 − 0.5) = 20.
    close(cap("reserved-only"), 20.0);
    // Sailing 444.48 km at 10 kn = 444.48 / (10 × 1.852 × 24) = 1 day each way; round trip
    // 1 + 1 + 2 = 4 days; 10 × 12 kt × 0.9 / 4 = 27 kt/day.
    let ships = n.link(n.link_ix("ships").unwrap());
    close(
        ships
            .fleet
            .as_ref()
            .unwrap()
            .round_trip_days(ships.length_km()),
        4.0,
    );
    close(cap("ships"), 27.0);
    close(ships.transit_days().unwrap(), 1.0);
    // Operating only: 120 + 20 + 27 = 167.
    let ind = layer_indicators(&n, Layer::Oil, false).unwrap();
    close(ind.max_capacity, mt(167.0));
    // Planned on: + 1000 (new pipe), and the expansion lifts reserved-only to 100 × 0.5 = 50.
    let ind = layer_indicators(&n, Layer::Oil, true).unwrap();
    close(ind.max_capacity, mt(120.0 + 50.0 + 27.0 + 1000.0));
}

#[test]
fn data_layer_indicators() {
    // A city with demand reaches Moscow over 90 Gbps and Urumqi over 10 Gbps.
    let n = net(r#"
[[node]]
id = "city"
kind = "city"
lon = 71.0
lat = 51.0
country = "KZ"
demand = { value = 50, unit = "Gbps", estimate = "test" }
[[node]]
id = "msk"
kind = "ixp"
lon = 37.6
lat = 55.7
country = "RU"
sink = true
[[node]]
id = "urumqi"
kind = "ixp"
lon = 87.6
lat = 43.8
country = "CN"
sink = true
[[link]]
id = "ru"
kind = "terrestrial_fibre"
from = "city"
to = "msk"
countries = ["KZ", "RU"]
capacity = { value = 0.09, unit = "Tbps", estimate = "test" }
[[link]]
id = "cn"
kind = "terrestrial_fibre"
from = "city"
to = "urumqi"
countries = ["KZ", "CN"]
capacity = { value = 10000, unit = "Mbps", estimate = "test" }
"#);
    let ind = layer_indicators(&n, Layer::Data, false).unwrap();
    close(ind.max_capacity, 100.0);
    close(ind.russia_share, 0.9);
    close(ind.supply, 50.0);
    let n1 = ind.n_minus_1.unwrap();
    assert_eq!(n1.asset, "ru");
    close(n1.remaining_capacity, 10.0);
    // The oil layer of this network is empty.
    let oil = layer_indicators(&n, Layer::Oil, false).unwrap();
    assert_eq!(oil.max_capacity, 0.0);
    assert!(oil.n_minus_1.is_none());
    // Each asset belongs to its own layer.
    assert_eq!(
        n.asset_layer(AssetRef::Link(n.link_ix("ru").unwrap())),
        Layer::Data
    );
}
