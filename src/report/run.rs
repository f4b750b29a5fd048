//! Outputs of `corridor run`: `daily.csv`, `summary.json` and the cross-scenario `summary.csv`
//! rows.
//! Numbers are written with fixed precision (4 decimals) so outputs are stable byte for byte.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::rows::{Daily, DailyColumns, DailyRow, F4, Recovery, RttRow, SummaryRow, Usd};
use super::{f4, r4};

use crate::engine::metrics::Summary;
use crate::engine::sim::SimResult;
use crate::model::{Effect, Layer, Network, Scenario};

/// `daily.csv` of a run against its baseline, with its performance per day (fraction of the
/// baseline's exports, from [`performance`](crate::engine::metrics::performance)): one row per
/// day. Oil in kt (per day), data in Gbps, latency in ms.
pub fn daily(
    net: &Network,
    sc: &Scenario,
    run: &SimResult,
    base: &SimResult,
    perf: &[f64],
) -> Daily {
    // Bandwidth served by each data route: the flow over its last stage (the border crossing
    // or landing abroad), Gbps.
    let data_routes: Vec<&crate::model::Route> = net
        .routes
        .iter()
        .filter(|r| r.layer == Layer::Data)
        .collect();
    let columns = DailyColumns {
        routes: run.routes.iter().cloned().chain(["other".into()]).collect(),
        stores: net.stores.iter().map(|s| s.id.clone()).collect(),
        links: net
            .links
            .iter()
            .map(|l| (l.id.clone(), l.layer()))
            .collect(),
        data_routes: data_routes.iter().map(|r| r.id.clone()).collect(),
    };
    let v = |xs: &[f64]| xs.iter().map(|x| F4::new(*x)).collect::<Vec<_>>();
    let rows = run
        .days
        .iter()
        .zip(&base.days)
        .zip(perf)
        .map(|((d, b), p)| DailyRow {
            date: sc.start.plus(d.t).to_string(),
            day: d.t,
            production_kt: F4::new(d.production_kt),
            exports_kt: F4::new(d.exports_kt),
            baseline_exports_kt: F4::new(b.exports_kt),
            performance: F4::new(*p),
            curtailed_kt: F4::new(d.curtailed_kt),
            stored_kt: F4::new(d.store_kt.iter().sum()),
            at_sea_kt: F4::new(d.at_sea_kt),
            russia_exports_kt: F4::new(d.russia_exports_kt),
            data_demand_gbps: F4::new(d.data_demand_gbps),
            data_shutdown_gbps: F4::new(d.data_shutdown_gbps),
            data_served_gbps: F4::new(d.data_served_gbps),
            data_latency_ms: F4::new(d.data_latency_ms),
            solved: d.solved as u8,
            route_exports_kt: v(&d.route_exports_kt),
            store_kt: v(&d.store_kt),
            link_flow: v(&d.link_flow),
            served_gbps: data_routes
                .iter()
                .map(|r| {
                    let last = r.stages.last().map(Vec::as_slice).unwrap_or_default();
                    F4::new(last.iter().map(|l| d.link_flow[l.0]).sum())
                })
                .collect(),
        })
        .collect();
    Daily { columns, rows }
}

/// An event of `summary.json`: dates, recovery in days, assets with their remaining capacity
/// fraction (or the field with its production fraction).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    pub name: String,
    pub kind: String,
    pub start: String,
    pub end: String,
    pub recovery_days: u32,
    pub assets: Vec<(String, f64)>,
    pub source: String,
    /// Flow the event displaced on its assets over its window and recovery, kt.
    pub displaced_kt: f64,
}

/// `summary.json` of one scenario (numbers rounded to 4 decimals, money to whole US$).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioSummary {
    pub scenario: String,
    pub name: String,
    pub description: String,
    pub start: String,
    pub horizon_days: u32,
    pub exported_mt: f64,
    pub baseline_exported_mt: f64,
    pub lost_exports_mt: f64,
    pub lost_revenue_usd: f64,
    pub curtailed_mt: f64,
    pub off_spec_mt: f64,
    pub off_spec_discount_usd: f64,
    pub state_budget_loss_usd: Option<f64>,
    pub inventory_change_mt: f64,
    pub min_performance: f64,
    pub days_below_90pct: u32,
    pub days_to_recover: Option<u32>,
    pub resilience_loss: f64,
    pub route_shares: Vec<(String, f64)>,
    pub russia_transit_share: f64,
    pub hhi_flows: f64,
    pub data_unserved_tb: f64,
    pub data_shutdown_tb: f64,
    pub data_shutdown_hours: f64,
    pub data_outage_hours: f64,
    #[serde(default)]
    pub data_min_performance: f64,
    #[serde(default)]
    pub data_days_below_90pct: u32,
    #[serde(default)]
    pub data_resilience_loss: f64,
    pub data_unserved_value_usd: Option<f64>,
    pub data_shutdown_value_usd: Option<f64>,
    pub data_peak_latency_ms: f64,
    /// Round-trip times per destination group (absent from files written before them).
    #[serde(default)]
    pub data_rtt: Vec<RttJson>,
    pub assets_hit: Vec<String>,
    pub hazard_hits: Vec<(String, String, f64)>,
    pub events: Vec<EventRow>,
    pub oil_solves: usize,
    pub data_solves: usize,
    pub days: usize,
    pub units: String,
    /// What the consistency checks and the run found questionable, one sentence each: the
    /// scenario's and its network's load warnings, then the run's own (an event that displaces
    /// nothing, a baseline that already shuts production in). Filled by the app after the run;
    /// absent from files written before it.
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// `summary.json` for one scenario.
pub fn scenario_summary(id: &str, net: &Network, sc: &Scenario, s: &Summary) -> ScenarioSummary {
    let events = sc
        .events
        .iter()
        .zip(&s.event_displaced_kt)
        .map(|(e, displaced)| EventRow {
            name: e.name.clone(),
            kind: e.kind.to_string(),
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
                Effect::Shutdown {
                    sources, fraction, ..
                } if sources.is_empty() => {
                    vec![("national".into(), r4(*fraction))]
                }
                Effect::Shutdown {
                    sources, fraction, ..
                } => sources
                    .iter()
                    .map(|n| (net.node(*n).id.clone(), r4(*fraction)))
                    .collect(),
                // Off-spec crude still flows at full capacity; back in full service after a
                // reactivation's window and ramp.
                Effect::OffSpec { assets: v, .. } | Effect::Reactivate(v) => v
                    .iter()
                    .map(|a| (net.asset_id(*a).to_string(), 1.0))
                    .collect(),
            },
            source: e.source.clone(),
            displaced_kt: r4(*displaced),
        })
        .collect();
    ScenarioSummary {
        scenario: id.to_string(),
        name: sc.name.clone(),
        description: sc.description.clone(),
        start: sc.start.to_string(),
        horizon_days: sc.horizon_days,
        exported_mt: r4(s.exported_mt),
        baseline_exported_mt: r4(s.baseline_exported_mt),
        lost_exports_mt: r4(s.lost_exports_mt),
        lost_revenue_usd: s.lost_revenue_usd.round(),
        curtailed_mt: r4(s.curtailed_mt),
        off_spec_mt: r4(s.off_spec_mt),
        off_spec_discount_usd: s.off_spec_discount_usd.round(),
        state_budget_loss_usd: s.state_budget_loss_usd.map(f64::round),
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
        data_shutdown_tb: r4(s.data_shutdown_tb),
        data_shutdown_hours: r4(s.data_shutdown_hours),
        data_outage_hours: r4(s.data_outage_hours),
        data_min_performance: r4(s.data_min_performance),
        data_days_below_90pct: s.data_days_below_90pct,
        data_resilience_loss: r4(s.data_resilience_loss),
        data_unserved_value_usd: s.data_unserved_value_usd.map(f64::round),
        data_shutdown_value_usd: s.data_shutdown_value_usd.map(f64::round),
        data_peak_latency_ms: r4(s.data_peak_latency_ms),
        data_rtt: rtt_rows(sc, s),
        assets_hit: s.assets_hit.clone(),
        hazard_hits: sc
            .hazard_hits
            .iter()
            .map(|(e, a, f)| (e.clone(), net.asset_id(*a).to_string(), r4(*f)))
            .collect(),
        events,
        oil_solves: s.oil_solves,
        data_solves: s.data_solves,
        days: s.days,
        units: "oil Mt (t = tonnes), revenue US$, performance fraction of baseline exports, resilience_loss days, data Tb and ms".into(),
        warnings: Vec::new(),
    }
}

/// `data_rtt` of `summary.json`: as a row of `rtt.csv` ([`RttRow`]), numbers rounded to 4
/// decimals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RttJson {
    pub destination: String,
    pub origin: String,
    pub baseline_rtt_ms: f64,
    pub mean_rtt_ms: f64,
    pub peak_rtt_ms: f64,
    pub peak_date: String,
    pub days_without: u32,
}

impl RttJson {
    /// The same figures as a row of `rtt.csv`.
    pub fn row(&self) -> RttRow {
        RttRow {
            destination: self.destination.clone(),
            origin: self.origin.clone(),
            baseline_rtt_ms: F4::new(self.baseline_rtt_ms),
            mean_rtt_ms: F4::new(self.mean_rtt_ms),
            peak_rtt_ms: F4::new(self.peak_rtt_ms),
            peak_date: self.peak_date.clone(),
            days_without: self.days_without,
        }
    }
}

/// `data_rtt` of `summary.json` (and the rows of `rtt.csv`).
pub fn rtt_rows(sc: &Scenario, s: &Summary) -> Vec<RttJson> {
    s.data_rtt
        .iter()
        .map(|r| RttJson {
            destination: r.destination.clone(),
            origin: r.origin.clone(),
            baseline_rtt_ms: r4(r.baseline_ms),
            mean_rtt_ms: r4(r.mean_ms),
            peak_rtt_ms: r4(r.peak_ms),
            peak_date: r
                .peak_day
                .map(|d| sc.start.plus(d as i64).to_string())
                .unwrap_or_default(),
            days_without: r.days_without,
        })
        .collect()
}

/// One `summary.csv` row.
pub fn summary_row(id: &str, s: &Summary) -> SummaryRow {
    SummaryRow {
        scenario: id.to_string(),
        exported_mt: F4::new(s.exported_mt),
        baseline_exported_mt: F4::new(s.baseline_exported_mt),
        lost_exports_mt: F4::new(s.lost_exports_mt),
        lost_revenue_usd: Usd::dollars(s.lost_revenue_usd),
        curtailed_mt: F4::new(s.curtailed_mt),
        off_spec_mt: F4::new(s.off_spec_mt),
        off_spec_discount_usd: Usd::dollars(s.off_spec_discount_usd),
        state_budget_loss_usd: s.state_budget_loss_usd.map(Usd::dollars),
        inventory_change_mt: F4::new(s.inventory_change_mt),
        min_performance: F4::new(s.min_performance),
        days_below_90pct: s.days_below_90pct,
        days_to_recover: Recovery(s.days_to_recover),
        resilience_loss: F4::new(s.resilience_loss),
        russia_transit_share: F4::new(s.russia_transit_share),
        hhi_flows: F4::new(s.hhi_flows),
        data_unserved_tb: F4::new(s.data_unserved_tb),
        data_shutdown_tb: F4::new(s.data_shutdown_tb),
        data_outage_hours: F4::new(s.data_outage_hours),
        data_shutdown_hours: F4::new(s.data_shutdown_hours),
        data_min_performance: F4::new(s.data_min_performance),
        data_resilience_loss: F4::new(s.data_resilience_loss),
        data_value_usd: match (s.data_unserved_value_usd, s.data_shutdown_value_usd) {
            (Some(a), Some(b)) => Some(Usd::dollars(a + b)),
            _ => None,
        },
        data_peak_latency_ms: F4::new(s.data_peak_latency_ms),
        oil_solves: s.oil_solves,
        days: s.days,
        route_shares: s
            .route_shares
            .iter()
            .filter(|(_, x)| *x > 0.0)
            .map(|(r, x)| format!("{r}={}", f4(*x)))
            .collect::<Vec<_>>()
            .join(";"),
        assets_hit: s.assets_hit.join(" "),
    }
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
