//! Outputs of `corridor run`: `daily.csv`, `summary.json` and the cross-scenario `summary.csv`.
//! Numbers are written with fixed precision (4 decimals) so outputs are stable byte for byte.

use std::fmt::Write as _;

use serde::Serialize;

use super::{f4, r4};

use crate::engine::metrics::{Summary, performance};
use crate::engine::sim::SimResult;
use crate::model::{Effect, Layer, Network, Scenario};

/// `daily.csv`: one row per day. Oil in kt (per day), data in Gbps, latency in ms.
pub fn daily_csv(net: &Network, sc: &Scenario, run: &SimResult, base: &SimResult) -> String {
    let perf = performance(run, base);
    let mut header: Vec<String> = [
        "date",
        "day",
        "production_kt",
        "exports_kt",
        "baseline_exports_kt",
        "performance",
        "curtailed_kt",
        "stored_kt",
        "at_sea_kt",
        "russia_exports_kt",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(run.routes.iter().map(|r| format!("exports_{r}_kt")));
    header.push("exports_other_kt".into());
    header.extend(net.stores.iter().map(|s| format!("store_{}_kt", s.id)));
    header.extend(net.links.iter().map(|l| match l.layer() {
        Layer::Oil => format!("flow_{}_kt", l.id),
        Layer::Data => format!("flow_{}_gbps", l.id),
    }));
    header.extend(["data_demand_gbps", "data_served_gbps"].map(String::from));
    // Bandwidth served by each data route: the flow over its last stage (the border crossing
    // or landing abroad), Gbps.
    let data_routes: Vec<&crate::model::Route> = net
        .routes
        .iter()
        .filter(|r| r.layer == Layer::Data)
        .collect();
    header.extend(data_routes.iter().map(|r| format!("served_{}_gbps", r.id)));
    header.extend(["data_latency_ms", "solved"].map(String::from));
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(&header);
    for ((d, b), p) in run.days.iter().zip(&base.days).zip(&perf) {
        let mut row = vec![
            sc.start.plus(d.t).to_string(),
            d.t.to_string(),
            f4(d.production_kt),
            f4(d.exports_kt),
            f4(b.exports_kt),
            f4(*p),
            f4(d.curtailed_kt),
            f4(d.store_kt.iter().sum()),
            f4(d.at_sea_kt),
            f4(d.russia_exports_kt),
        ];
        row.extend(d.route_exports_kt.iter().map(|x| f4(*x)));
        row.extend(d.store_kt.iter().map(|x| f4(*x)));
        row.extend(d.link_flow.iter().map(|x| f4(*x)));
        row.extend([f4(d.data_demand_gbps), f4(d.data_served_gbps)]);
        row.extend(data_routes.iter().map(|r| {
            let last = r.stages.last().map(Vec::as_slice).unwrap_or_default();
            f4(last.iter().map(|l| d.link_flow[l.0]).sum())
        }));
        row.extend([f4(d.data_latency_ms), (d.solved as u8).to_string()]);
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[derive(Serialize)]
struct EventRow {
    name: String,
    kind: &'static str,
    start: String,
    end: String,
    recovery_days: u32,
    assets: Vec<(String, f64)>,
    source: String,
}

#[derive(Serialize)]
struct SummaryJson<'a> {
    scenario: &'a str,
    name: &'a str,
    description: &'a str,
    start: String,
    horizon_days: u32,
    exported_mt: f64,
    baseline_exported_mt: f64,
    lost_exports_mt: f64,
    lost_revenue_usd: f64,
    curtailed_mt: f64,
    inventory_change_mt: f64,
    min_performance: f64,
    days_below_90pct: u32,
    days_to_recover: Option<u32>,
    resilience_loss: f64,
    route_shares: Vec<(String, f64)>,
    russia_transit_share: f64,
    hhi_flows: f64,
    data_unserved_tb: f64,
    data_unserved_value_usd: Option<f64>,
    data_peak_latency_ms: f64,
    assets_hit: &'a [String],
    hazard_hits: Vec<(String, String, f64)>,
    events: Vec<EventRow>,
    oil_solves: usize,
    data_solves: usize,
    days: usize,
    units: &'static str,
}

/// `summary.json` for one scenario.
pub fn summary_json(id: &str, net: &Network, sc: &Scenario, s: &Summary) -> String {
    let events = sc
        .events
        .iter()
        .map(|e| EventRow {
            name: e.name.clone(),
            kind: e.kind,
            start: sc.start.plus(e.window.start).to_string(),
            end: sc.start.plus(e.window.end).to_string(),
            recovery_days: e.window.recovery_days,
            assets: match &e.effect {
                Effect::Capacity(v) => v
                    .iter()
                    .map(|(a, f)| (net.asset_id(*a).to_string(), r4(*f)))
                    .collect(),
                Effect::Production { field, fraction } => {
                    vec![(net.node(*field).id.clone(), r4(*fraction))]
                }
            },
            source: e.source.clone(),
        })
        .collect();
    let j = SummaryJson {
        scenario: id,
        name: &sc.name,
        description: &sc.description,
        start: sc.start.to_string(),
        horizon_days: sc.horizon_days,
        exported_mt: r4(s.exported_mt),
        baseline_exported_mt: r4(s.baseline_exported_mt),
        lost_exports_mt: r4(s.lost_exports_mt),
        lost_revenue_usd: s.lost_revenue_usd.round(),
        curtailed_mt: r4(s.curtailed_mt),
        inventory_change_mt: r4(s.inventory_change_mt),
        min_performance: r4(s.min_performance),
        days_below_90pct: s.days_below_90pct,
        days_to_recover: s.days_to_recover,
        resilience_loss: r4(s.resilience_loss),
        route_shares: s
            .route_shares
            .iter()
            .map(|(r, x)| (r.clone(), r4(*x)))
            .collect(),
        russia_transit_share: r4(s.russia_transit_share),
        hhi_flows: r4(s.hhi_flows),
        data_unserved_tb: r4(s.data_unserved_tb),
        data_unserved_value_usd: s.data_unserved_value_usd.map(f64::round),
        data_peak_latency_ms: r4(s.data_peak_latency_ms),
        assets_hit: &s.assets_hit,
        hazard_hits: sc
            .hazard_hits
            .iter()
            .map(|(e, a, f)| (e.clone(), net.asset_id(*a).to_string(), r4(*f)))
            .collect(),
        events,
        oil_solves: s.oil_solves,
        data_solves: s.data_solves,
        days: s.days,
        units: "oil Mt (t = tonnes), revenue US$, performance fraction of baseline exports, resilience_loss days, data Tb and ms",
    };
    let mut out = serde_json::to_string_pretty(&j).unwrap_or_default();
    out.push('\n');
    out
}

/// Header of `summary.csv`.
pub const SUMMARY_HEADER: &[&str] = &[
    "scenario",
    "exported_mt",
    "baseline_exported_mt",
    "lost_exports_mt",
    "lost_revenue_usd",
    "curtailed_mt",
    "inventory_change_mt",
    "min_performance",
    "days_below_90pct",
    "days_to_recover",
    "resilience_loss",
    "russia_transit_share",
    "hhi_flows",
    "data_unserved_tb",
    "data_peak_latency_ms",
    "oil_solves",
    "days",
    "route_shares",
    "assets_hit",
];

/// One `summary.csv` row.
pub fn summary_row(id: &str, s: &Summary) -> Vec<String> {
    vec![
        id.to_string(),
        f4(s.exported_mt),
        f4(s.baseline_exported_mt),
        f4(s.lost_exports_mt),
        format!("{:.0}", s.lost_revenue_usd),
        f4(s.curtailed_mt),
        f4(s.inventory_change_mt),
        f4(s.min_performance),
        s.days_below_90pct.to_string(),
        s.days_to_recover
            .map_or("not recovered".into(), |d| d.to_string()),
        f4(s.resilience_loss),
        f4(s.russia_transit_share),
        f4(s.hhi_flows),
        f4(s.data_unserved_tb),
        f4(s.data_peak_latency_ms),
        s.oil_solves.to_string(),
        s.days.to_string(),
        s.route_shares
            .iter()
            .filter(|(_, x)| *x > 0.0)
            .map(|(r, x)| format!("{r}={}", f4(*x)))
            .collect::<Vec<_>>()
            .join(";"),
        s.assets_hit.join(" "),
    ]
}

/// `summary.csv` for several scenarios.
pub fn summary_csv(rows: &[(String, Summary)]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(SUMMARY_HEADER);
    for (id, s) in rows {
        let _ = w.write_record(summary_row(id, s));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Rounds away a negative zero left by floating-point sums (e.g. −1e-12 Mt lost).
fn z(x: f64) -> f64 {
    if x.abs() < 5e-7 { 0.0 } else { x }
}

/// The table `corridor run` prints.
pub fn run_table(rows: &[(String, Summary)]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<30} {:>9} {:>12} {:>8} {:>7} {:>9} {:>8} {:>8}",
        "scenario", "lost Mt", "lost US$ m", "min perf", "<90% d", "resil. d", "via RU", "solves"
    );
    for (id, s) in rows {
        let _ = writeln!(
            out,
            "{:<30} {:>9.3} {:>12.1} {:>7.1}% {:>7} {:>9.2} {:>7.1}% {:>8}",
            id,
            z(s.lost_exports_mt),
            z(s.lost_revenue_usd / 1e6),
            100.0 * s.min_performance,
            s.days_below_90pct,
            s.resilience_loss,
            100.0 * s.russia_transit_share,
            s.oil_solves
        );
    }
    out
}
