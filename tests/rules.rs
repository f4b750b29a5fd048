//! Domain rules the scenario loader applies, tested on their own: what weather stops, which
//! links a transit cut takes, what a hazard leaves of the assets it hits.

mod common;

use common::fixtures::network;
use corridor::io::load_embedded;
use corridor::model::hazard::{AssetIndex, Shape, capacity_left};
use corridor::model::{Layer, SPM_WAVE_LIMIT_M, WeatherExposure, weather_exposure};

#[test]
fn weather_stops_loading_and_sailing_but_spares_spms_in_small_waves() {
    let net = load_embedded(true).unwrap().network;
    let a = |id: &str| net.asset(id).unwrap();
    use WeatherExposure::*;
    // An SPM stops in waves above 2.5 m (or when the event gives no height), not at 2.5 m.
    assert_eq!(SPM_WAVE_LIMIT_M, 2.5);
    assert_eq!(weather_exposure(&net, a("cpc-spm-1"), None), Stopped);
    assert_eq!(weather_exposure(&net, a("cpc-spm-1"), Some(3.0)), Stopped);
    assert_eq!(weather_exposure(&net, a("cpc-spm-1"), Some(2.5)), Spared);
    // A port and a tanker leg stop whatever the waves; a pipeline is not exposed.
    assert_eq!(weather_exposure(&net, a("aktau-port"), Some(1.0)), Stopped);
    assert_eq!(
        weather_exposure(&net, a("tankers-aktau-sangachal"), Some(1.0)),
        Stopped
    );
    assert_eq!(
        weather_exposure(&net, a("cpc-atyrau-komsomolskaya"), None),
        NotExposed
    );
}

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
country = "RU"
[[node]]
id = "M"
kind = "market"
lon = 52.0
lat = 45.0
country = "RU"
reached_from = ["B"]
[[link]]
id = "a"
kind = "pipeline"
from = "F"
to = "B"
countries = ["KZ", "RU"]
capacity = { value = 10, unit = "kt/day", source = "test" }
[[link]]
id = "b"
kind = "pipeline"
from = "F"
to = "B"
countries = ["KZ"]
capacity = { value = 10, unit = "kt/day", source = "test" }
"#;

#[test]
fn a_transit_cut_takes_the_links_crossing_the_country() {
    let net = network(NET);
    let ids = |c: &str, l: Option<Layer>| -> Vec<String> {
        net.links_crossing(c, l)
            .into_iter()
            .map(|l| net.link(l).id.clone())
            .collect()
    };
    assert_eq!(ids("RU", None), vec!["a"]);
    assert_eq!(ids("KZ", None), vec!["a", "b"]);
    assert_eq!(ids("KZ", Some(Layer::Oil)), vec!["a", "b"]);
    assert!(ids("KZ", Some(Layer::Data)).is_empty());
    assert!(ids("CN", None).is_empty());
}

#[test]
fn a_hazard_leaves_the_centre_fraction_at_the_centre_and_the_edge_fraction_at_the_rim() {
    let net = network(NET);
    let index = AssetIndex::new(&net);
    // A circle of 100 km round B (51°E, 45°N): B at its centre, F 78.7 km west (1° of
    // longitude at 45°N), so F is left 0.2 + (1 − 0.2) × 78.7 / 100 of its capacity.
    let circle = Shape::Circle {
        lon: 51.0,
        lat: 45.0,
        radius_km: 100.0,
    };
    let left = capacity_left(&index, &circle, 0.2, 1.0);
    let f = |id: &str| {
        left.iter()
            .find(|(a, _)| net.asset_id(*a) == id)
            .map(|(_, x)| *x)
    };
    assert_eq!(f("B"), Some(0.2));
    // Haversine on the 6,371.0088 km sphere between points 1° apart on the 45th parallel.
    let h = (45f64.to_radians().cos() * 0.5f64.to_radians().sin()).powi(2);
    let d_km = 2.0 * 6371.0088 * h.sqrt().asin();
    assert!((d_km - 78.7).abs() < 0.1, "{d_km}");
    let want = 0.2 + 0.8 * d_km / 100.0;
    assert!(
        (f("F").unwrap() - want).abs() < 1e-9,
        "{:?} vs {want}",
        f("F")
    );
    // Links through the centre are hit there, at the centre's fraction.
    assert_eq!(f("a"), Some(0.2));
    // A polygon leaves everything inside at the centre's fraction.
    let square = Shape::Polygon(vec![(50.5, 44.5), (51.5, 44.5), (51.5, 45.5), (50.5, 45.5)]);
    let left = capacity_left(&index, &square, 0.3, 0.9);
    assert!(left.iter().all(|(_, x)| *x == 0.3));
    assert!(left.iter().any(|(a, _)| net.asset_id(*a) == "B"));
}

#[test]
fn the_dictionarys_defaults_are_what_the_loader_applies() {
    use corridor::io::dictionary::{NETWORK, component};
    use corridor::model::Status;
    let default = |heading: &str, field: &str| {
        component(NETWORK, heading)
            .and_then(|c| c.fields.iter().find(|f| f.name == field))
            .map(|f| f.default)
            .unwrap_or_else(|| panic!("{heading}.{field}"))
    };
    let net = network(&format!(
        "{NET}[[depends_on]]\ndependent = \"b\"\non = \"a\"\ngrace_days = 1\nfraction = 0.5\nsource = \"test\"\n"
    ));
    let f = &net.nodes[0];
    // `status` defaults to operating, `name` to the id, `sink` to true for markets only.
    assert_eq!(default("[[node]]", "status"), "`operating`");
    assert_eq!(f.status, Status::Operating);
    assert_eq!(net.links[0].status, Status::Operating);
    assert_eq!(default("[[node]]", "name"), "id");
    assert_eq!(f.name, "F");
    assert_eq!(default("[[node]]", "sink"), "`true` for markets");
    assert!(net.nodes.iter().all(|n| n.sink == (n.id == "M")));
    // A dependency's `down_below` defaults to 0.5.
    assert_eq!(default("[[depends_on]]", "down_below"), "0.5");
    assert_eq!(net.dependencies[0].down_below, 0.5);
    // The format version a file may leave out.
    assert_eq!(default("Top level", "format"), "1");
    assert_eq!(corridor::io::raw::FORMAT_VERSION, 1);
}
