//! The `corridor network` report: inventory rows, structural indicators, and their renderings
//! as a text table, CSV, JSON and GeoJSON.
//!
//! Quantities in rows are in report units: oil capacities in Mt/yr, data capacities in Gbps,
//! lengths in km, tariffs in $/t. Floats are rounded to 4 decimals so outputs are stable.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::Serialize;

use super::r4;
use super::rows::{AssetCsvRow, IndicatorRow, Plain, RouteRow as RouteCsvRow, to_csv};

use crate::engine::latency::rtt_paths;
use crate::engine::{LayerIndicators, NetworkIndicators};
use crate::model::{AssetRef, Capacity, Figure, Layer, LinkIx, Network, NodeIx, Status};

/// One asset (node or link) in the inventory.
#[derive(Debug, Clone, Serialize)]
pub struct AssetRow {
    pub id: String,
    pub name: String,
    /// `node` or `link`.
    pub element: &'static str,
    pub kind: &'static str,
    pub layer: &'static str,
    pub from: Option<String>,
    pub to: Option<String>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// Nameplate capacity in `unit` (null for nodes without a throughput limit).
    pub capacity: Option<f64>,
    /// Capacity available to Kazakh flows in `unit`, after reserved shares and allocations.
    pub available_capacity: Option<f64>,
    pub unit: &'static str,
    /// Capacity as entered in the data file, e.g. `145 kb/d`.
    pub capacity_entered: Option<String>,
    /// Stated physical maximum (design capacity) an uprate may reach, in `unit`; null when
    /// the data give none.
    pub maximum: Option<f64>,
    pub reserved_share: Option<f64>,
    pub reserved_holder: Option<String>,
    pub allocation: Option<f64>,
    /// Sourced length if given, else computed (km); null for nodes.
    pub length_km: Option<f64>,
    pub length_computed_km: Option<f64>,
    pub length_sourced_km: Option<f64>,
    pub countries: Vec<String>,
    pub status: &'static str,
    pub operator: String,
    pub tariff_usd_per_t: Option<f64>,
    /// Round trip of the tanker fleet, days (tanker legs only).
    pub round_trip_days: Option<f64>,
    /// Days at sea one way (tanker legs only).
    pub transit_days: Option<f64>,
    /// Citation of the asset's main figure: capacity, else production or demand.
    pub source: String,
    /// `sourced` or `estimate` for that figure; null for a node that carries no figure.
    pub confidence: Option<&'static str>,
    pub estimate_reason: Option<String>,
    /// Where a node's coordinates come from (nodes only).
    pub location_source: Option<String>,
    /// Whether the node is an export destination (nodes only).
    pub sink: Option<bool>,
    /// Nodes from which this sink is reached without a modelled asset (nodes only).
    pub reached_from: Option<Vec<String>>,
    /// Routes this asset belongs to, sorted.
    pub routes: Vec<String>,
}

/// One route in the inventory.
#[derive(Debug, Clone, Serialize)]
pub struct RouteRow {
    pub id: String,
    pub name: String,
    pub layer: &'static str,
    /// Maximum flow through the route's own assets alone, `unit`.
    pub standalone_capacity: f64,
    /// Part of the network's maximum export flow attributed to this route, `unit`.
    pub attributed_capacity: f64,
    /// `attributed_capacity` / layer maximum.
    pub share: f64,
    pub unit: &'static str,
    pub length_computed_km: f64,
    pub length_sourced_km: Option<f64>,
    pub countries: Vec<String>,
    pub via_russia: bool,
    /// `operating` when every stage has an operating link, else `planned`.
    pub status: &'static str,
    /// How many of the route's link capacities are estimates, and how many links it has.
    pub estimated_capacities: usize,
    pub link_count: usize,
    /// Distinct sources of the route's capacity figures.
    pub sources: Vec<String>,
    pub links: Vec<String>,
}

/// A tank farm.
#[derive(Debug, Clone, Serialize)]
pub struct StoreRow {
    pub id: String,
    pub node: String,
    pub capacity_kt: f64,
    pub initial_kt: f64,
    pub source: String,
    pub confidence: &'static str,
    pub estimate_reason: Option<String>,
}

/// A planned capacity change to an existing asset.
#[derive(Debug, Clone, Serialize)]
pub struct ExpansionRow {
    pub id: String,
    pub name: String,
    pub target: String,
    /// Nominal capacity before and after, `unit`.
    pub capacity_before: f64,
    pub capacity_after: f64,
    pub unit: &'static str,
    pub source: String,
    pub confidence: &'static str,
    pub estimate_reason: Option<String>,
}

/// N-1 in a layer.
#[derive(Debug, Clone, Serialize)]
pub struct NMinus1Row {
    pub asset: String,
    pub remaining_capacity: f64,
    pub lost_capacity: f64,
    pub tied_with: Vec<String>,
}

/// Indicators of one layer.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorsRow {
    pub unit: &'static str,
    pub max_capacity: f64,
    pub n_minus_1: Option<NMinus1Row>,
    /// Share of export capacity that cannot bypass Russia (0–1).
    pub russia_share: f64,
    pub capacity_without_russia: f64,
    /// HHI of export capacity by route, 0–10,000.
    pub hhi: f64,
    /// Shannon index of export capacity by route (natural log).
    pub shannon: f64,
    /// Flow on paths no route covers, `unit`.
    pub unattributed_capacity: f64,
    /// Oil: total field production (Mt/yr); data: total demand (Gbps).
    pub supply: f64,
}

/// The whole `corridor network` report.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkReport {
    pub corridor_version: &'static str,
    pub include_planned: bool,
    pub bbl_per_t: f64,
    pub nodes: Vec<AssetRow>,
    pub links: Vec<AssetRow>,
    pub routes: Vec<RouteRow>,
    pub stores: Vec<StoreRow>,
    pub expansions: Vec<ExpansionRow>,
    pub oil: IndicatorsRow,
    pub data: IndicatorsRow,
    /// Round-trip times by data source, destination group and sink (`network_rtt.csv`).
    pub rtt: Vec<RttPathRow>,
}

/// The round-trip time from a data source to a destination group leaving by one sink, over
/// the shortest path of operating data links and over the shortest with planned links too.
/// `None`: the sink cannot be reached that way.
#[derive(Debug, Clone, PartialEq, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct RttPathRow {
    pub origin: String,
    pub destination: String,
    pub sink: String,
    /// Operating links only, ms.
    pub rtt_ms: Option<f64>,
    /// The operating path's links, ` > `-separated.
    pub path: String,
    /// Planned links too, ms.
    pub rtt_with_planned_ms: Option<f64>,
    /// That path's links.
    pub path_with_planned: String,
    /// Drawn length of the onward path from the sink to the group's point, km.
    pub onward_km: f64,
}
impl super::rows::Table for RttPathRow {}

/// The rows of `network_rtt.csv`: every data source × destination group × sink.
pub fn rtt_rows(net: &Network) -> Vec<RttPathRow> {
    let today = rtt_paths(net, false);
    let planned = rtt_paths(net, true);
    let ids = |links: &[LinkIx]| {
        links
            .iter()
            .map(|l| net.link(*l).id.as_str())
            .collect::<Vec<_>>()
            .join(" > ")
    };
    planned
        .iter()
        .map(|p| {
            let now = today
                .iter()
                .find(|t| (t.origin, t.destination, t.sink) == (p.origin, p.destination, p.sink));
            RttPathRow {
                origin: net.node(p.origin).id.clone(),
                destination: net
                    .destinations
                    .get(p.destination)
                    .map_or("all".into(), |d| d.id.clone()),
                sink: net.node(p.sink).id.clone(),
                rtt_ms: now.map(|t| r4(t.rtt_ms)),
                path: now.map(|t| ids(&t.links)).unwrap_or_default(),
                rtt_with_planned_ms: Some(r4(p.rtt_ms)),
                path_with_planned: ids(&p.links),
                onward_km: r4(p.onward_km),
            }
        })
        .collect()
}

/// The round-trip times as a grid: the sinks (columns, sorted), then per data source and
/// destination group (`from → to`) one cell per sink: the RTT over operating links in ms,
/// `p …` when only planned links reach the sink, `–` when nothing does.
pub fn rtt_grid(rows: &[RttPathRow]) -> (Vec<String>, Vec<(String, Vec<String>)>) {
    let mut sinks: Vec<String> = rows.iter().map(|r| r.sink.clone()).collect();
    let mut pairs: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r.origin.as_str(), r.destination.as_str()))
        .collect();
    sinks.sort_unstable();
    sinks.dedup();
    pairs.dedup();
    let lines = pairs
        .into_iter()
        .map(|(o, d)| {
            let cells = sinks
                .iter()
                .map(|s| {
                    let r = rows
                        .iter()
                        .find(|r| r.origin == o && r.destination == d && r.sink == *s);
                    match r.map(|r| (r.rtt_ms, r.rtt_with_planned_ms)) {
                        Some((Some(v), _)) => format!("{v:.1}"),
                        Some((None, Some(v))) => format!("p {v:.1}"),
                        _ => "–".into(),
                    }
                })
                .collect();
            (format!("{o} → {d}"), cells)
        })
        .collect();
    (sinks, lines)
}

/// What the RTT grid's cells mean, for its captions.
pub const RTT_LEGEND: &str = "Round-trip times, ms, by the sink traffic leaves through (shortest drawn path × route factor × 0.01 ms/km, onward path to the destination's reference point included; p: only with planned links; –: no path)";

/// Text lines of [`rtt_grid`].
fn rtt_text(out: &mut String, rows: &[RttPathRow]) {
    let _ = writeln!(out, "{RTT_LEGEND}");
    let (sinks, lines) = rtt_grid(rows);
    let _ = write!(out, "  {:<24}", "from → to");
    for s in &sinks {
        let _ = write!(out, " {s:>13}");
    }
    let _ = writeln!(out);
    for (pair, cells) in lines {
        let _ = write!(out, "  {pair:<24}");
        for c in cells {
            let _ = write!(out, " {c:>13}");
        }
        let _ = writeln!(out);
    }
}

fn figure_fields(f: &Figure) -> (String, Option<&'static str>, Option<String>) {
    let reason = match &f.provenance.confidence {
        crate::model::Confidence::Sourced => None,
        crate::model::Confidence::Estimate { reason } => Some(reason.clone()),
    };
    (
        f.provenance.source.clone(),
        Some(f.provenance.confidence.as_str()),
        reason,
    )
}

fn capacity_fields(
    layer: Layer,
    c: &Capacity,
) -> (
    f64,
    Option<String>,
    Option<f64>,
    Option<String>,
    Option<f64>,
) {
    let entered = if c.nominal.entered_unit == "kt/day" && layer == Layer::Oil {
        None
    } else {
        Some(format!(
            "{} {}",
            c.nominal.entered_value, c.nominal.entered_unit
        ))
    };
    (
        r4(layer.to_report_unit(c.nominal.value)),
        entered,
        c.reserved.as_ref().map(|r| r4(r.share.value)),
        c.reserved.as_ref().map(|r| r.holder.clone()),
        c.allocation
            .as_ref()
            .map(|a| r4(layer.to_report_unit(a.value))),
    )
}

fn routes_of(net: &Network, a: AssetRef) -> Vec<String> {
    let mut v: Vec<String> = net
        .routes
        .iter()
        .filter(|r| match a {
            AssetRef::Link(l) => r.contains(l),
            AssetRef::Node(n) => r
                .links()
                .any(|l| net.link(l).from == n || net.link(l).to == n),
        })
        .map(|r| r.id.clone())
        .collect();
    v.sort();
    v
}

/// Inventory row of node `ix`.
pub fn node_row(net: &Network, ix: NodeIx, ind: &NetworkIndicators) -> AssetRow {
    let n = net.node(ix);
    let layer = n.layer();
    let a = AssetRef::Node(ix);
    let (capacity, entered, reserved_share, reserved_holder, allocation) = match &n.capacity {
        Some(c) => {
            let (cap, e, rs, rh, al) = capacity_fields(layer, c);
            (Some(cap), e, rs, rh, al)
        }
        None => (None, None, None, None, None),
    };
    let (source, confidence, estimate_reason) = match (&n.capacity, &n.production, &n.demand) {
        (Some(c), _, _) => figure_fields(&c.nominal),
        (None, Some(f), _) | (None, None, Some(f)) => figure_fields(f),
        _ => (String::new(), None, None),
    };
    AssetRow {
        id: n.id.clone(),
        name: n.name.clone(),
        element: "node",
        kind: n.kind.as_str(),
        layer: layer.as_str(),
        from: None,
        to: None,
        lon: Some(n.lon),
        lat: Some(n.lat),
        capacity,
        available_capacity: ind.node_available[ix.0].map(|v| r4(layer.to_report_unit(v))),
        unit: layer.report_unit(),
        capacity_entered: entered,
        maximum: n
            .capacity
            .as_ref()
            .and_then(|c| c.maximum.as_ref())
            .map(|m| r4(layer.to_report_unit(m.value))),
        reserved_share,
        reserved_holder,
        allocation,
        length_km: None,
        length_computed_km: None,
        length_sourced_km: None,
        countries: vec![n.country.clone()],
        status: n.status.as_str(),
        operator: n.operator.clone(),
        tariff_usd_per_t: None,
        round_trip_days: None,
        transit_days: None,
        source,
        confidence,
        estimate_reason,
        location_source: Some(n.location_source.clone()),
        sink: Some(n.sink),
        reached_from: Some(
            n.reached_from
                .iter()
                .map(|r| net.node(*r).id.clone())
                .collect(),
        ),
        routes: routes_of(net, a),
    }
}

/// Inventory row of link `ix`.
pub fn link_row(net: &Network, ix: LinkIx, ind: &NetworkIndicators) -> AssetRow {
    let l = net.link(ix);
    let layer = l.layer();
    let a = AssetRef::Link(ix);
    let (capacity, entered, reserved_share, reserved_holder, allocation) =
        capacity_fields(layer, &l.capacity);
    let (source, confidence, estimate_reason) = figure_fields(&l.capacity.nominal);
    AssetRow {
        id: l.id.clone(),
        name: l.name.clone(),
        element: "link",
        kind: l.kind.as_str(),
        layer: layer.as_str(),
        from: Some(net.node(l.from).id.clone()),
        to: Some(net.node(l.to).id.clone()),
        lon: None,
        lat: None,
        capacity: Some(capacity),
        available_capacity: ind.link_available[ix.0].map(|v| r4(layer.to_report_unit(v))),
        unit: layer.report_unit(),
        capacity_entered: entered,
        maximum: l
            .capacity
            .maximum
            .as_ref()
            .map(|m| r4(layer.to_report_unit(m.value))),
        reserved_share,
        reserved_holder,
        allocation,
        length_km: Some(r4(l.length_km())),
        length_computed_km: Some(r4(l.length_computed_km)),
        length_sourced_km: l.length_sourced.as_ref().map(|f| r4(f.value)),
        countries: l.countries.clone(),
        status: l.status.as_str(),
        operator: l.operator.clone(),
        tariff_usd_per_t: l.tariff.as_ref().map(|t| r4(t.value)),
        round_trip_days: l
            .fleet
            .as_ref()
            .map(|f| r4(f.round_trip_days(l.length_km()))),
        transit_days: l.transit_days().map(r4),
        source,
        confidence,
        estimate_reason,
        location_source: None,
        sink: None,
        reached_from: None,
        routes: routes_of(net, a),
    }
}

fn indicators_row(ind: &LayerIndicators) -> IndicatorsRow {
    IndicatorsRow {
        unit: ind.unit,
        max_capacity: r4(ind.max_capacity),
        n_minus_1: ind.n_minus_1.as_ref().map(|n| NMinus1Row {
            asset: n.asset.clone(),
            remaining_capacity: r4(n.remaining_capacity),
            lost_capacity: r4(n.lost_capacity),
            tied_with: n.tied_with.clone(),
        }),
        russia_share: r4(ind.russia_share),
        capacity_without_russia: r4(ind.capacity_without_russia),
        hhi: r4(ind.hhi),
        shannon: r4(ind.shannon),
        unattributed_capacity: r4(ind.unattributed_capacity),
        supply: r4(ind.supply),
    }
}

/// Builds the whole report from the indicators the engine computed (planned assets count only
/// when they were computed with them).
pub fn build(net: &Network, ind: &NetworkIndicators) -> NetworkReport {
    let include_planned = ind.include_planned;
    let (oil, data) = (&ind.oil, &ind.data);
    let mut routes = Vec::new();
    for layer in [oil, data] {
        for share in &layer.routes {
            let Some(r) = net.route(&share.route) else {
                continue;
            };
            let links: Vec<LinkIx> = r.links().collect();
            let mut countries: Vec<String> = Vec::new();
            for l in &links {
                for c in &net.link(*l).countries {
                    if !countries.contains(c) {
                        countries.push(c.clone());
                    }
                }
            }
            // Operating when every stage has an operating link; planned assets in a parallel
            // stage (e.g. extra tankers) are options on an operating route.
            let operating = r
                .stages
                .iter()
                .all(|s| s.iter().any(|l| net.link(*l).status == Status::Operating));
            // Otherwise the route takes the status of what blocks it: a stage with no operating
            // link is retired, suspended or planned, in that order of precedence.
            let blocked: Vec<Status> = r
                .stages
                .iter()
                .filter(|s| !s.iter().any(|l| net.link(*l).status == Status::Operating))
                .flat_map(|s| s.iter().map(|l| net.link(*l).status))
                .collect();
            let status = if operating {
                "operating"
            } else if blocked.contains(&Status::Retired) {
                "retired"
            } else if blocked.contains(&Status::Suspended) {
                "suspended"
            } else {
                "planned"
            };
            let estimates = links
                .iter()
                .filter(|l| net.link(**l).capacity.nominal.is_estimate())
                .count();
            let sources: BTreeSet<String> = links
                .iter()
                .map(|l| net.link(*l).capacity.nominal.provenance.describe())
                .collect();
            routes.push(RouteRow {
                id: r.id.clone(),
                name: r.name.clone(),
                layer: r.layer.as_str(),
                standalone_capacity: r4(share.standalone_capacity),
                attributed_capacity: r4(share.attributed_capacity),
                share: r4(share.share),
                unit: r.layer.report_unit(),
                length_computed_km: r4(r.length_computed_km(net)),
                length_sourced_km: r.length_sourced.as_ref().map(|f| r4(f.value)),
                countries,
                via_russia: share.via_russia,
                status,
                estimated_capacities: estimates,
                link_count: links.len(),
                sources: sources.into_iter().collect(),
                links: links.iter().map(|l| net.link(*l).id.clone()).collect(),
            });
        }
    }
    NetworkReport {
        corridor_version: env!("CARGO_PKG_VERSION"),
        include_planned,
        bbl_per_t: net.crude.bbl_per_t,
        nodes: (0..net.nodes.len())
            .map(|i| node_row(net, NodeIx(i), ind))
            .collect(),
        links: (0..net.links.len())
            .map(|i| link_row(net, LinkIx(i), ind))
            .collect(),
        routes,
        stores: net
            .stores
            .iter()
            .map(|st| {
                let (source, confidence, estimate_reason) = figure_fields(&st.capacity_kt);
                StoreRow {
                    id: st.id.clone(),
                    node: net.node(st.node).id.clone(),
                    capacity_kt: r4(st.capacity_kt.value),
                    initial_kt: r4(st.initial_kt.value),
                    source,
                    confidence: confidence.unwrap_or("sourced"),
                    estimate_reason,
                }
            })
            .collect(),
        expansions: net
            .expansions
            .iter()
            .map(|e| {
                let layer = net.asset_layer(e.target);
                let before = match e.target {
                    AssetRef::Node(n) => net
                        .node(n)
                        .capacity
                        .as_ref()
                        .map_or(0.0, |c| c.nominal.value),
                    AssetRef::Link(l) => net.link(l).capacity.nominal.value,
                };
                let (source, confidence, estimate_reason) = figure_fields(&e.capacity);
                ExpansionRow {
                    id: e.id.clone(),
                    name: e.name.clone(),
                    target: net.asset_id(e.target).to_string(),
                    capacity_before: r4(layer.to_report_unit(before)),
                    capacity_after: r4(layer.to_report_unit(e.capacity.value)),
                    unit: layer.report_unit(),
                    source,
                    confidence: confidence.unwrap_or("sourced"),
                    estimate_reason,
                }
            })
            .collect(),
        oil: indicators_row(oil),
        data: indicators_row(data),
        rtt: rtt_rows(net),
    }
}

/// Pretty JSON of the report (stable key order: struct order).
pub fn to_json(rep: &NetworkReport) -> String {
    let mut s = serde_json::to_string_pretty(rep).unwrap_or_default();
    s.push('\n');
    s
}

/// GeoJSON FeatureCollection: a LineString per link and a Point per node, with the inventory
/// row as properties.
pub fn to_geojson(net: &Network, rep: &NetworkReport) -> String {
    let mut features = super::gis::node_features(net, rep);
    features.extend(super::gis::link_features(net, rep));
    super::gis::collection(features)
}

fn plain(v: Option<f64>) -> Option<Plain> {
    v.map(Plain::new)
}

/// The rows of `network_routes.csv` (one per route).
pub fn route_rows(rep: &NetworkReport) -> Vec<RouteCsvRow> {
    rep.routes
        .iter()
        .map(|r| RouteCsvRow {
            route: r.id.clone(),
            layer: r.layer.into(),
            standalone_capacity: Plain::new(r.standalone_capacity),
            attributed_capacity: Plain::new(r.attributed_capacity),
            share: Plain::new(r.share),
            unit: r.unit.into(),
            length_computed_km: Plain::new(r.length_computed_km),
            length_sourced_km: plain(r.length_sourced_km),
            countries: r.countries.join(" "),
            via_russia: r.via_russia,
            status: r.status.into(),
            links: r.links.join(" "),
            sources: r.sources.join(" | "),
        })
        .collect()
}

/// The rows of `network_assets.csv` (nodes then links).
pub fn asset_rows(rows: &[AssetRow]) -> Vec<AssetCsvRow> {
    rows.iter()
        .map(|r| AssetCsvRow {
            id: r.id.clone(),
            element: r.element.into(),
            kind: r.kind.into(),
            layer: r.layer.into(),
            from: r.from.clone().unwrap_or_default(),
            to: r.to.clone().unwrap_or_default(),
            capacity: plain(r.capacity),
            available_capacity: plain(r.available_capacity),
            unit: r.unit.into(),
            capacity_entered: r.capacity_entered.clone().unwrap_or_default(),
            maximum: plain(r.maximum),
            reserved_share: plain(r.reserved_share),
            allocation: plain(r.allocation),
            length_computed_km: plain(r.length_computed_km),
            length_sourced_km: plain(r.length_sourced_km),
            countries: r.countries.join(" "),
            status: r.status.into(),
            tariff_usd_per_t: plain(r.tariff_usd_per_t),
            confidence: r.confidence.unwrap_or("").into(),
            source: r.source.clone(),
            estimate_reason: r.estimate_reason.clone().unwrap_or_default(),
        })
        .collect()
}

/// The rows of `network_indicators.csv`: `layer,indicator,value,unit`.
pub fn indicator_rows(rep: &NetworkReport) -> Vec<IndicatorRow> {
    let mut rows = Vec::new();
    for (layer, ind) in [("oil", &rep.oil), ("data", &rep.data)] {
        let u = ind.unit.to_string();
        let mut push = |k: &str, v: String, unit: &str| {
            rows.push(IndicatorRow {
                layer: layer.into(),
                indicator: k.into(),
                value: v,
                unit: unit.into(),
            });
        };
        push("max_capacity", ind.max_capacity.to_string(), &u);
        if let Some(n) = &ind.n_minus_1 {
            push("n_minus_1_asset", n.asset.clone(), "");
            push(
                "n_minus_1_remaining_capacity",
                n.remaining_capacity.to_string(),
                &u,
            );
            push("n_minus_1_lost_capacity", n.lost_capacity.to_string(), &u);
        }
        push("russia_share", ind.russia_share.to_string(), "fraction");
        push(
            "capacity_without_russia",
            ind.capacity_without_russia.to_string(),
            &u,
        );
        push("hhi", ind.hhi.to_string(), "0-10000");
        push("shannon", ind.shannon.to_string(), "nats");
        push("supply", ind.supply.to_string(), &u);
    }
    rows
}

/// Route inventory as CSV text.
pub fn routes_csv(rep: &NetworkReport) -> String {
    to_csv(&route_rows(rep)).unwrap_or_default()
}

fn indicator_text(out: &mut String, title: &str, ind: &IndicatorsRow, supply_label: &str) {
    let u = ind.unit;
    let _ = writeln!(out, "{title}");
    let _ = writeln!(
        out,
        "  maximum export capacity     {:>10.1} {u}",
        ind.max_capacity
    );
    if let Some(n) = &ind.n_minus_1 {
        let _ = writeln!(
            out,
            "  N-1: loss of {:<26} leaves {:.1} {u} (−{:.1} {u}, −{:.0}%)",
            n.asset,
            n.remaining_capacity,
            n.lost_capacity,
            if ind.max_capacity > 0.0 {
                100.0 * n.lost_capacity / ind.max_capacity
            } else {
                0.0
            }
        );
        if !n.tied_with.is_empty() {
            let _ = writeln!(out, "       (same loss: {})", n.tied_with.join(", "));
        }
    }
    let _ = writeln!(
        out,
        "  share that must transit Russia {:>6.1}%  ({:.1} {u} without any asset in or through RU)",
        100.0 * ind.russia_share,
        ind.capacity_without_russia
    );
    let _ = writeln!(
        out,
        "  HHI by route {:>8.0} (0–10,000)    Shannon {:.3}",
        ind.hhi, ind.shannon
    );
    let _ = writeln!(out, "  {supply_label:<27} {:>10.1} {u}", ind.supply);
}

/// Human-readable table: route inventory then indicators.
pub fn to_table(rep: &NetworkReport) -> String {
    let mut out = String::new();
    let planned = if rep.include_planned {
        "planned assets included"
    } else {
        "operating assets only; --include-planned adds planned ones"
    };
    let _ = writeln!(out, "Route inventory ({planned})");
    let _ = writeln!(
        out,
        "{:<32} {:>5} {:>10} {:>10} {:>6} {:>8} {:>8}  {:<16} {:<10} estimates",
        "route",
        "layer",
        "capacity",
        "attrib.",
        "share",
        "km calc",
        "km src",
        "countries",
        "status"
    );
    for r in &rep.routes {
        let _ = writeln!(
            out,
            "{:<32} {:>5} {:>10.1} {:>10.1} {:>5.1}% {:>8.0} {:>8}  {:<16} {:<10} {}/{} links",
            r.id,
            r.layer,
            r.standalone_capacity,
            r.attributed_capacity,
            100.0 * r.share,
            r.length_computed_km,
            r.length_sourced_km
                .map(|v| format!("{v:.0}"))
                .unwrap_or_else(|| "–".into()),
            r.countries.join(","),
            r.status,
            r.estimated_capacities,
            r.link_count,
        );
    }
    let _ = writeln!(
        out,
        "  capacity: stand-alone maximum flow of the route (oil Mt/yr, data Gbps); attrib.: its part of the"
    );
    let _ = writeln!(
        out,
        "  network maximum in the least tonne-km split; km calc: haversine along the waypoints; km src: quoted length;"
    );
    let _ = writeln!(
        out,
        "  estimates: link capacities marked `estimate` in routes/ (sources in --format json and network_routes.csv)."
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "Tank farms (kt)");
    for st in &rep.stores {
        let _ = writeln!(
            out,
            "  {:<22} at {:<16} {:>8.0} kt, starts at {:>6.0} kt  ({})",
            st.id, st.node, st.capacity_kt, st.initial_kt, st.confidence
        );
    }
    let _ = writeln!(out, "Planned expansions (off unless --include-planned)");
    for e in &rep.expansions {
        let _ = writeln!(
            out,
            "  {:<26} {:<22} {:>6.1} → {:>6.1} {}  ({})",
            e.id, e.target, e.capacity_before, e.capacity_after, e.unit, e.confidence
        );
    }
    let _ = writeln!(out);
    indicator_text(&mut out, "Oil (Mt/yr)", &rep.oil, "field production");
    let _ = writeln!(out);
    indicator_text(&mut out, "Data (Gbps)", &rep.data, "international demand");
    if !rep.rtt.is_empty() {
        let _ = writeln!(out);
        rtt_text(&mut out, &rep.rtt);
    }
    out
}

/// The network-overview chart of one layer: stand-alone export capacity of each operating
/// route (planned ones too when the report includes them), Russia-transit routes highlighted.
pub fn capacity_chart(rep: &NetworkReport, layer: Layer) -> super::chart::CapacityChart {
    let ind = match layer {
        Layer::Oil => &rep.oil,
        Layer::Data => &rep.data,
    };
    let mut bars: Vec<super::chart::Bar> = rep
        .routes
        .iter()
        .filter(|r| r.layer == layer.as_str() && r.standalone_capacity > 0.0)
        .map(|r| super::chart::Bar {
            label: r.id.clone(),
            value: r.standalone_capacity,
            via_russia: r.via_russia,
        })
        .collect();
    // Smallest at the bottom, largest at the top.
    bars.sort_by(|a, b| {
        a.value
            .total_cmp(&b.value)
            .then_with(|| b.label.cmp(&a.label))
    });
    let (what, unit) = match layer {
        Layer::Oil => ("crude-oil export", "Mt/yr"),
        Layer::Data => ("international bandwidth", "Gbps"),
    };
    let scope = if rep.include_planned {
        "operating and planned assets"
    } else {
        "operating assets"
    };
    super::chart::CapacityChart {
        title: format!("Kazakhstan {what} capacity by route ({unit})"),
        subtitle: format!(
            "Each route alone, {scope}. All together: {:.1} {unit}, of which {:.0}% cannot bypass Russia; HHI {:.0}.",
            ind.max_capacity,
            100.0 * ind.russia_share,
            ind.hhi
        ),
        x_label: format!("Stand-alone capacity ({unit})"),
        unit: unit.to_string(),
        bars,
        source_line: "Source: corridor routes/ dataset (figures and their sources: routes/README.md). Routes sharing assets overlap."
            .to_string(),
    }
}
