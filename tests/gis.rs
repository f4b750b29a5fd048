//! The GIS layers read back with a GeoJSON reader: the network as nodes and links, and a
//! scenario's links and nodes with its flows and hits.

use std::path::Path;

use corridor::app::network::{report, write_tables};
use corridor::app::run::{RunConfig, run_scenarios};
use corridor::app::{MemorySink, inputs::load_network};
use corridor::io::load_scenario;
use geojson::{FeatureCollection, GeoJson, GeometryValue};

fn read(mem: &MemorySink, rel: &str) -> FeatureCollection {
    let text = mem.text(rel).unwrap_or_else(|| panic!("{rel} not written"));
    match text.parse::<GeoJson>().unwrap() {
        GeoJson::FeatureCollection(fc) => fc,
        other => panic!("{rel}: not a FeatureCollection: {other:?}"),
    }
}

fn num(f: &geojson::Feature, key: &str) -> f64 {
    f.property(key)
        .and_then(serde_json::Value::as_f64)
        .unwrap_or_else(|| panic!("{key} missing on {:?}", f.id))
}

fn by_id<'a>(fc: &'a FeatureCollection, id: &str) -> &'a geojson::Feature {
    fc.features
        .iter()
        .find(|f| f.property("id").and_then(|v| v.as_str()) == Some(id))
        .unwrap_or_else(|| panic!("no feature {id}"))
}

#[test]
fn network_layers_hold_every_node_and_link_with_one_geometry_type_each() {
    let loaded = load_network(None, true).unwrap();
    let net = &loaded.network;
    let mut mem = MemorySink::new();
    write_tables(&mut mem, net, &report(net, false).unwrap()).unwrap();
    let nodes = read(&mem, "network_nodes.geojson");
    let links = read(&mem, "network_links.geojson");
    assert_eq!(nodes.features.len(), net.nodes.len());
    assert_eq!(links.features.len(), net.links.len());
    assert!(nodes.features.iter().all(|f| matches!(
        f.geometry.as_ref().map(|g| &g.value),
        Some(GeometryValue::Point { .. })
    )));
    assert!(links.features.iter().all(|f| matches!(
        f.geometry.as_ref().map(|g| &g.value),
        Some(GeometryValue::LineString { coordinates }) if coordinates.len() >= 2
    )));
    // The inventory rides along: CPC's pipeline from Atyrau, 67 Mt/yr and sourced.
    let cpc = by_id(&links, "cpc-atyrau-komsomolskaya");
    assert_eq!(cpc.property("unit").and_then(|v| v.as_str()), Some("Mt/yr"));
    assert!(num(cpc, "capacity") > 60.0);
    assert_eq!(
        cpc.property("from").and_then(|v| v.as_str()),
        Some("cpc-atyrau-ps")
    );
}

#[test]
fn a_scenarios_layers_carry_its_flows_and_how_long_each_asset_was_hit() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/cpc-terminal-storm.toml");
    let l = load_scenario(&path, true).unwrap();
    let mut mem = MemorySink::new();
    run_scenarios(&[&l], RunConfig::default(), &mut mem).unwrap();
    let id = "cpc-terminal-storm";
    let links = read(&mem, &format!("{id}/links.geojson"));
    let nodes = read(&mem, &format!("{id}/nodes.geojson"));
    assert_eq!(links.features.len(), l.network.links.len());
    assert_eq!(nodes.features.len(), l.network.nodes.len());

    // By hand from the scenario's dates: the storm stops SPM-1 on 23–27 Mar (5 days), SPM-2
    // is out 23 Mar–19 Apr (28), SPM-3 22 Mar–19 Apr (29), of 365 days.
    for (spm, days) in [("cpc-spm-1", 5.0), ("cpc-spm-2", 28.0), ("cpc-spm-3", 29.0)] {
        let f = by_id(&nodes, spm);
        assert_eq!(num(f, "hit_days"), days, "{spm}");
        assert!(
            (num(f, "hit_fraction") - days / 365.0).abs() < 1e-4,
            "{spm}"
        );
    }
    let hit: Vec<_> = nodes
        .features
        .iter()
        .filter(|f| num(f, "hit_days") > 0.0)
        .collect();
    assert_eq!(hit.len(), 3, "only the moorings are hit");

    // The flows are daily.csv's: each link's mean flow is the mean of its column.
    let daily = mem.text(format!("{id}/daily.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(daily.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    for f in &links.features {
        let lid = f.property("id").and_then(|v| v.as_str()).unwrap();
        let unit = f.property("unit").and_then(|v| v.as_str()).unwrap();
        let col = format!("flow_{lid}_{}", if unit == "Gbps" { "gbps" } else { "kt" });
        let k = header
            .iter()
            .position(|h| *h == col)
            .unwrap_or_else(|| panic!("{col}"));
        let mean: f64 = rows
            .iter()
            .map(|r| r[k].parse::<f64>().unwrap())
            .sum::<f64>()
            / rows.len() as f64;
        assert!((num(f, "flow_mean") - mean).abs() < 1e-3, "{lid}: {mean}");
        // No uprate in this scenario: no link above its capacity.
        let cap = num(f, "capacity");
        assert!(num(f, "flow_max") <= cap + 1e-3, "{lid} over capacity");
        assert!(
            (num(f, "flow_change") - (num(f, "flow_mean") - num(f, "baseline_flow"))).abs() < 2e-4
        );
    }
    // The storm takes crude off the mooring lines: SPM-2's line loses flow on average.
    assert!(num(by_id(&links, "cpc-spm-2-line"), "flow_change") < -1.0);
}
