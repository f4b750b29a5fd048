//! GIS layers (GeoJSON, WGS 84 lon/lat) for QGIS and the like: the network as a nodes layer
//! (Points) and a links layer (LineStrings), each with its inventory row as properties, and per
//! scenario the same links and nodes with what the run did to them: flow, utilisation, and how
//! much of the time events held them below capacity.

use geojson::{Feature, FeatureCollection, Geometry, feature::Id};
use serde::Serialize;

use super::network::{AssetRow, NetworkReport};
use super::r4;
use crate::engine::sim::SimResult;
use crate::model::Network;

/// A feature of `geometry` with `props` (a struct serialised to a JSON object).
fn feature<P: Serialize>(id: &str, geometry: Geometry, props: &P) -> Feature {
    let properties = match serde_json::to_value(props) {
        Ok(serde_json::Value::Object(m)) => Some(m),
        _ => None,
    };
    Feature {
        bbox: None,
        geometry: Some(geometry),
        id: Some(Id::String(id.to_string())),
        properties,
        foreign_members: None,
    }
}

fn point(net: &Network, i: usize) -> Geometry {
    let n = &net.nodes[i];
    Geometry::new_point(vec![n.lon, n.lat])
}

fn line(net: &Network, j: usize) -> Geometry {
    let coords: Vec<Vec<f64>> = net.links[j]
        .geometry
        .iter()
        .map(|(x, y)| vec![*x, *y])
        .collect();
    Geometry::new_line_string(coords)
}

/// The GeoJSON text of `features` (pretty, with a final newline).
pub fn collection(features: Vec<Feature>) -> String {
    let fc = FeatureCollection {
        bbox: None,
        features,
        foreign_members: None,
    };
    let mut s = serde_json::to_string_pretty(&fc).unwrap_or_default();
    s.push('\n');
    s
}

/// Every node as a Point with its inventory row.
pub fn node_features(net: &Network, rep: &NetworkReport) -> Vec<Feature> {
    rep.nodes
        .iter()
        .enumerate()
        .map(|(i, row): (usize, &AssetRow)| feature(&row.id, point(net, i), row))
        .collect()
}

/// Every link as a LineString with its inventory row.
pub fn link_features(net: &Network, rep: &NetworkReport) -> Vec<Feature> {
    rep.links
        .iter()
        .enumerate()
        .map(|(j, row)| feature(&row.id, line(net, j), row))
        .collect()
}

/// What a scenario did to one link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkResult {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub layer: &'static str,
    pub status: &'static str,
    pub from: String,
    pub to: String,
    /// `kt/day` (oil; tanker legs: cargo loaded) or `Gbps` (data).
    pub unit: &'static str,
    /// Capacity available to Kazakh flows before events (after reserved shares and
    /// allocations), in `unit`.
    pub capacity: f64,
    /// Mean daily flow in the run without events, in `unit`.
    pub baseline_flow: f64,
    /// Mean, lowest and highest daily flow with the events, in `unit`.
    pub flow_mean: f64,
    pub flow_min: f64,
    pub flow_max: f64,
    /// `flow_mean − baseline_flow`, in `unit`: where the events moved flow from and to.
    pub flow_change: f64,
    /// Mean and peak flow over `capacity` (null without capacity); above 1 only on an uprate.
    pub utilisation_mean: Option<f64>,
    pub utilisation_peak: Option<f64>,
    /// Days the events held the link below its event-free capacity.
    pub hit_days: u32,
    /// Capacity lost to events over the horizon, as a fraction of capacity × days (0–1): a
    /// link out for 10 days of 365 has 0.0274, at half capacity for 20 days also 0.0274.
    pub hit_fraction: f64,
}

/// What a scenario did to one node: how long events held it below capacity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeResult {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub layer: &'static str,
    pub status: &'static str,
    /// Days the events held the node below its event-free capacity.
    pub hit_days: u32,
    /// Capacity lost to events over the horizon, as a fraction of capacity × days (0–1).
    pub hit_fraction: f64,
}

/// Asset `i`'s (nodes first, then links) days hit and capacity lost as a share of the
/// horizon's capacity × days.
fn hits(run: &SimResult, i: usize) -> (u32, f64) {
    let days = run.days.len().max(1) as f64;
    (
        run.hit_days.get(i).copied().unwrap_or(0),
        r4(run.capacity_lost_days.get(i).copied().unwrap_or(0.0) / days),
    )
}

fn mean(x: &[f64]) -> f64 {
    if x.is_empty() {
        0.0
    } else {
        x.iter().sum::<f64>() / x.len() as f64
    }
}

/// Per link: the scenario's flows (`run`) against its baseline (`base`), and its hits.
pub fn link_results(net: &Network, run: &SimResult, base: &SimResult) -> Vec<LinkResult> {
    let n = net.nodes.len();
    net.links
        .iter()
        .enumerate()
        .map(|(j, l)| {
            let flows: Vec<f64> = run.days.iter().map(|d| d.link_flow[j]).collect();
            let base_flows: Vec<f64> = base.days.iter().map(|d| d.link_flow[j]).collect();
            let cap = l.capacity.available();
            let (lo, hi) = flows.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), x| {
                (lo.min(*x), hi.max(*x))
            });
            let lo = if flows.is_empty() { 0.0 } else { lo };
            let m = mean(&flows);
            let b = mean(&base_flows);
            let util = |x: f64| (cap > 0.0).then(|| r4(x / cap));
            let (hit_days, hit_fraction) = hits(run, n + j);
            LinkResult {
                id: l.id.clone(),
                name: l.name.clone(),
                kind: l.kind.as_str(),
                layer: l.layer().as_str(),
                status: l.status.as_str(),
                from: net.nodes[l.from.0].id.clone(),
                to: net.nodes[l.to.0].id.clone(),
                unit: l.layer().flow_unit(),
                capacity: r4(cap),
                baseline_flow: r4(b),
                flow_mean: r4(m),
                flow_min: r4(lo),
                flow_max: r4(hi),
                flow_change: r4(m - b),
                utilisation_mean: util(m),
                utilisation_peak: util(hi),
                hit_days,
                hit_fraction,
            }
        })
        .collect()
}

/// Per node: how long the scenario's events held it below capacity.
pub fn node_results(net: &Network, run: &SimResult) -> Vec<NodeResult> {
    net.nodes
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let (hit_days, hit_fraction) = hits(run, i);
            NodeResult {
                id: x.id.clone(),
                name: x.name.clone(),
                kind: x.kind.as_str(),
                layer: x.layer().as_str(),
                status: x.status.as_str(),
                hit_days,
                hit_fraction,
            }
        })
        .collect()
}

/// A scenario's links layer: [`link_results`] on each link's line.
pub fn scenario_links(net: &Network, run: &SimResult, base: &SimResult) -> String {
    collection(
        link_results(net, run, base)
            .iter()
            .enumerate()
            .map(|(j, r)| feature(&r.id, line(net, j), r))
            .collect(),
    )
}

/// A scenario's nodes layer: [`node_results`] on each node's point.
pub fn scenario_nodes(net: &Network, run: &SimResult) -> String {
    collection(
        node_results(net, run)
            .iter()
            .enumerate()
            .map(|(i, r)| feature(&r.id, point(net, i), r))
            .collect(),
    )
}
