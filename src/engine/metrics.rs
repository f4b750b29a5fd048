//! Scenario metrics from a run and its baseline.
//!
//! - performance on day t = exports(t) / baseline exports(t) (1 when the baseline exports
//!   nothing);
//! - resilience loss = Σ max(0, 1 − performance) over the horizon, in days (the area of the
//!   resilience triangle, Bruneau et al. 2003);
//! - days to recover = from the first to the last day with performance below 99.9%, inclusive;
//!   `None` if performance is still below 99.9% on the last day;
//! - lost exports = baseline exports − exports over the horizon; crude still in tanks or at sea
//!   at the end counts as lost within the horizon, and `inventory_change_mt` says how much;
//! - route shares, the Russia-transit share and HHI are by actual exports;
//! - an event's displaced flow = Σ over the days of its window and recovery of the fall in
//!   exports (baseline − run, where positive) on each oil route that runs through one of its
//!   assets (a link of the route, or a node at either end of one), kt; for a production event,
//!   the fall in the field's outflow. Routes rather than assets, so that assets in series on one
//!   route are not counted twice; each event is counted on its own, so two events on one route
//!   on the same day both count its fall. Data assets displace no oil.
//! - the state-budget loss = Σ over fields of the lost exports each field bears × the state's
//!   take per tonne from it (export duty + extraction tax × the crude's value; nothing from an
//!   exempt field); a field bears the lost exports in proportion to the fall in its outflow over
//!   the run against the baseline (shut in, held back or not produced), or, when no field's
//!   outflow fell, to its outflow in the baseline; `None` without `[economics.state_take]`;
//! - an event *hits flow* when one of its oil assets carries flow in the baseline during its
//!   window (a link's flow, a node's larger of inflow and outflow); one that does not (a spare
//!   mooring, a suspended line) displaces nothing and is reported with a warning.

use super::indicators::concentration;
use super::sim::{Day, SimResult};
use crate::model::{AssetRef, DataValue, Effect, Layer, Network, NodeIx, NodeKind, Scenario};

/// Below this, a day counts as degraded for `days_to_recover`.
const RECOVERED: f64 = 0.999;

/// Headline numbers of one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Crude exported over the horizon, Mt.
    pub exported_mt: f64,
    /// The same in the baseline run, Mt.
    pub baseline_exported_mt: f64,
    /// Baseline minus run exports, Mt.
    pub lost_exports_mt: f64,
    /// Lost exports valued at the scenario's oil price, US$.
    pub lost_revenue_usd: f64,
    /// Production shut in, Mt.
    pub curtailed_mt: f64,
    /// Stores plus crude at sea at the end, minus at the start, Mt.
    pub inventory_change_mt: f64,
    /// Lowest daily performance (exports as a fraction of the baseline's).
    ///
    /// # Units
    /// Fraction of baseline exports.
    pub min_performance: f64,
    /// Days with performance below 0.9.
    pub days_below_90pct: u32,
    /// Days from the first to the last day below 99.9% performance, inclusive (0 if none);
    /// `None` if performance is still below it on the last day.
    pub days_to_recover: Option<u32>,
    /// Resilience loss: Σ max(0, 1 − performance) over the days, days.
    ///
    /// # Units
    /// Days.
    pub resilience_loss: f64,
    /// (route id, share of exports), routes in id order; unattributed flow last as `(other)`.
    ///
    /// # Units
    /// Fraction of exports, 0–1.
    pub route_shares: Vec<(String, f64)>,
    /// Share of exports whose path touches Russia, 0–1.
    ///
    /// # Units
    /// Fraction, 0–1.
    pub russia_transit_share: f64,
    /// Herfindahl–Hirschman index of exports by route, 0–10,000.
    ///
    /// # Units
    /// Index, 0–10,000.
    pub hhi_flows: f64,
    /// Data traffic the links could not carry, Tb (shutdowns apart).
    pub data_unserved_tb: f64,
    /// Data traffic held back by government-ordered shutdowns, Tb.
    pub data_shutdown_tb: f64,
    /// The shutdowns as hours of full national outage: Σ over days of the share of demand held
    /// back × 24, h.
    ///
    /// # Units
    /// Hours.
    pub data_shutdown_hours: f64,
    /// The physical losses as hours of full national outage: Σ over days of the share of
    /// demand the links could not carry × 24, h.
    ///
    /// # Units
    /// Hours.
    pub data_outage_hours: f64,
    /// Data performance: the lowest day's share of demand served (shutdowns and physical
    /// losses both count), 0–1.
    ///
    /// # Units
    /// Fraction, 0–1.
    pub data_min_performance: f64,
    /// Days whose data performance is below 90%.
    pub data_days_below_90pct: u32,
    /// Data resilience loss: Σ over days of (1 − data performance), days; × 24 it is the
    /// shutdown and outage hours together.
    ///
    /// # Units
    /// Days.
    pub data_resilience_loss: f64,
    /// Unserved data valued at the scenario's data value, US$; `None` when unset.
    pub data_unserved_value_usd: Option<f64>,
    /// Traffic held back by shutdowns valued the same way, US$; `None` when unset.
    pub data_shutdown_value_usd: Option<f64>,
    /// Worst day's served-weighted round-trip time, onward paths included, ms.
    pub data_peak_latency_ms: f64,
    /// Round-trip times per destination group: served-weighted nationally, then the shortest
    /// path with capacity from each data source (see [`RttStat`]).
    pub data_rtt: Vec<RttStat>,
    /// Ids of the assets hit, in asset order.
    pub assets_hit: Vec<String>,
    /// Days the oil allocation was solved.
    pub oil_solves: usize,
    /// Days the data allocation was solved.
    pub data_solves: usize,
    /// Days simulated.
    pub days: usize,
    /// Per scenario event: the flow it displaced (see the module docs), kt.
    ///
    /// # Units
    /// kt.
    pub event_displaced_kt: Vec<f64>,
    /// Per scenario event: whether its assets carried any flow in the baseline over its window.
    pub event_hits_flow: Vec<bool>,
    /// Crude delivered off specification (`off_spec` events handled as `discount`), Mt.
    pub off_spec_mt: f64,
    /// The discount on it, US$ (a loss of value, not of exports).
    pub off_spec_discount_usd: f64,
    /// State-budget revenue lost with the lost exports (export duty and extraction tax), US$;
    /// `None` when the scenario gives no state take.
    pub state_budget_loss_usd: Option<f64>,
}

/// The oil throughput of asset `a` on a day with link flows `flow`, kt.
fn throughput(net: &Network, a: AssetRef, flow: &[f64]) -> f64 {
    match a {
        AssetRef::Link(l) if net.link(l).layer() == Layer::Oil => flow[l.0],
        AssetRef::Node(n) if net.node(n).layer() == Layer::Oil => {
            let (mut inflow, mut outflow) = (0.0, 0.0);
            for (j, l) in net.links.iter().enumerate() {
                if l.to == n {
                    inflow += flow[j];
                }
                if l.from == n {
                    outflow += flow[j];
                }
            }
            f64::max(inflow, outflow)
        }
        _ => 0.0,
    }
}

/// Per scenario event: the flow it displaced, kt, and whether its oil assets carried flow in
/// the baseline over its window (see the module docs). Events with no oil asset count as
/// hitting flow (they are judged on the data layer).
pub fn displaced(
    net: &Network,
    sc: &Scenario,
    run: &SimResult,
    base: &SimResult,
) -> (Vec<f64>, Vec<bool>) {
    let on_route = |id: &str, a: AssetRef| on_route(net, id, a);
    sc.events
        .iter()
        .map(|e| {
            let (assets, field) = match &e.effect {
                Effect::Capacity(v) => (v.iter().map(|(a, _)| *a).collect(), None),
                Effect::Production { field, .. } => (vec![AssetRef::Node(*field)], Some(*field)),
                Effect::OffSpec { assets, .. } => (assets.clone(), None),
                // A shutdown is judged on the data layer; it displaces no oil.
                Effect::Reactivate(_) | Effect::Shutdown { .. } => (Vec::new(), None),
            };
            let oil: Vec<AssetRef> = assets
                .into_iter()
                .filter(|a| net.asset_layer(*a) == Layer::Oil)
                .collect();
            let routes: Vec<usize> = (0..run.routes.len())
                .filter(|&r| oil.iter().any(|a| on_route(&run.routes[r], *a)))
                .collect();
            let last = e.window.end + i64::from(e.window.recovery_days);
            let (mut lost, mut carried) = (0.0, oil.is_empty());
            for (d, b) in run.days.iter().zip(&base.days) {
                if d.t < e.window.start || d.t > last {
                    continue;
                }
                carried |= oil.iter().any(|a| throughput(net, *a, &b.link_flow) > 1e-9);
                lost += match field {
                    Some(f) => {
                        let a = AssetRef::Node(f);
                        (throughput(net, a, &b.link_flow) - throughput(net, a, &d.link_flow))
                            .max(0.0)
                    }
                    None => routes
                        .iter()
                        .map(|&r| (b.route_exports_kt[r] - d.route_exports_kt[r]).max(0.0))
                        .sum(),
                };
            }
            // An event on assets that carried nothing displaced nothing itself (a spare
            // mooring lost while the others are out leaves the loss to them).
            (if carried { lost } else { 0.0 }, carried)
        })
        .unzip()
}

/// Crude delivered off specification: per scenario event handled as `discount`, the exports
/// over the window on the oil routes that run through one of its assets (kt), and their
/// discount (US$); 0 for other events.
pub fn off_spec(net: &Network, sc: &Scenario, run: &SimResult) -> Vec<(f64, f64)> {
    sc.events
        .iter()
        .map(|e| {
            let Effect::OffSpec {
                assets,
                discount_usd_per_t,
            } = &e.effect
            else {
                return (0.0, 0.0);
            };
            let routes: Vec<usize> = (0..run.routes.len())
                .filter(|&r| assets.iter().any(|a| on_route(net, &run.routes[r], *a)))
                .collect();
            let kt: f64 = run
                .days
                .iter()
                .filter(|d| (e.window.start..=e.window.end).contains(&d.t))
                .map(|d| routes.iter().map(|&r| d.route_exports_kt[r]).sum::<f64>())
                .sum();
            (kt, kt * 1000.0 * discount_usd_per_t)
        })
        .collect()
}

/// The state-budget revenue lost with `lost_mt` of lost exports (see the module docs), US$;
/// `None` without a state take.
pub fn state_budget_loss(
    net: &Network,
    sc: &Scenario,
    run: &SimResult,
    base: &SimResult,
    lost_mt: f64,
) -> Option<f64> {
    let e = &sc.economics;
    let take = e.state_take.as_ref()?;
    let fields: Vec<usize> = (0..net.nodes.len())
        .filter(|&i| net.nodes[i].kind == NodeKind::Field)
        .collect();
    let outflow = |r: &SimResult, i: usize| -> f64 {
        r.days
            .iter()
            .map(|d| throughput(net, AssetRef::Node(NodeIx(i)), &d.link_flow))
            .sum()
    };
    let base_out: Vec<f64> = fields.iter().map(|&i| outflow(base, i)).collect();
    let fell: Vec<f64> = fields
        .iter()
        .zip(&base_out)
        .map(|(&i, b)| (b - outflow(run, i)).max(0.0))
        .collect();
    let weights = if fell.iter().sum::<f64>() > 0.0 {
        fell
    } else {
        base_out
    };
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return Some(0.0);
    }
    let per_t = take.per_tonne(e.oil_price_usd_per_bbl * e.bbl_per_t);
    let taxed: f64 = fields
        .iter()
        .zip(&weights)
        .filter(|(i, _)| !take.exempt.contains(&NodeIx(**i)))
        .map(|(_, w)| w / total)
        .sum();
    Some(lost_mt * 1e6 * taxed * per_t)
}

/// Whether oil route `id` runs through asset `a` (a link of it, or a node at either end of one).
fn on_route(net: &Network, id: &str, a: AssetRef) -> bool {
    net.route(id).is_some_and(|r| {
        r.links().any(|l| match a {
            AssetRef::Link(x) => x == l,
            AssetRef::Node(n) => net.link(l).from == n || net.link(l).to == n,
        })
    })
}

/// Per-day performance of `run` against `base`.
pub fn performance(run: &SimResult, base: &SimResult) -> Vec<f64> {
    run.days
        .iter()
        .zip(&base.days)
        .map(|(d, b)| {
            if b.exports_kt > 1e-9 {
                d.exports_kt / b.exports_kt
            } else {
                1.0
            }
        })
        .collect()
}

/// Computes the summary of `run` against its baseline `base`.
pub fn summarize(net: &Network, sc: &Scenario, run: &SimResult, base: &SimResult) -> Summary {
    let perf = performance(run, base);
    let exported: f64 = run.days.iter().map(|d| d.exports_kt).sum::<f64>() / 1000.0;
    let baseline: f64 = base.days.iter().map(|d| d.exports_kt).sum::<f64>() / 1000.0;
    let lost = baseline - exported;
    let e = &sc.economics;
    let degraded: Vec<usize> = perf
        .iter()
        .enumerate()
        .filter(|(_, p)| **p < RECOVERED)
        .map(|(i, _)| i)
        .collect();
    let days_to_recover = match (degraded.first(), degraded.last()) {
        (Some(_), Some(&l)) if l + 1 == perf.len() => None,
        (Some(&f), Some(&l)) => Some((l - f + 1) as u32),
        _ => Some(0),
    };
    let mut route_totals: Vec<f64> = vec![0.0; run.routes.len() + 1];
    let mut russia = 0.0;
    for d in &run.days {
        for (t, x) in route_totals.iter_mut().zip(&d.route_exports_kt) {
            *t += x;
        }
        russia += d.russia_exports_kt;
    }
    let total_kt: f64 = route_totals.iter().sum();
    let share = |x: f64| if total_kt > 0.0 { x / total_kt } else { 0.0 };
    let mut route_shares: Vec<(String, f64)> = run
        .routes
        .iter()
        .cloned()
        .zip(route_totals.iter().map(|x| share(*x)))
        .collect();
    if let Some(other) = route_totals.last().filter(|x| **x > 0.0) {
        route_shares.push(("(other)".into(), share(*other)));
    }
    let (hhi, _) = concentration(route_shares.iter().map(|x| x.1));
    let unserved_tb: f64 = run
        .days
        .iter()
        .map(|d| d.data_unserved_gbps() * 86_400.0 / 1000.0)
        .sum();
    let inventory = |stores: &[f64], sea: f64| stores.iter().sum::<f64>() + sea;
    let end = run.days.last();
    let inventory_change = end.map_or(0.0, |d| inventory(&d.store_kt, d.at_sea_kt))
        - inventory(&run.initial_store_kt, run.initial_at_sea_kt);
    let (displaced_kt, hits_flow) = displaced(net, sc, run, base);
    let data_perf: Vec<f64> = run.days.iter().map(Day::data_performance).collect();
    let (off_kt, off_usd) = off_spec(net, sc, run)
        .into_iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    Summary {
        exported_mt: exported,
        baseline_exported_mt: baseline,
        lost_exports_mt: lost,
        lost_revenue_usd: lost * 1e6 * e.bbl_per_t * e.oil_price_usd_per_bbl,
        curtailed_mt: run.days.iter().map(|d| d.curtailed_kt).sum::<f64>() / 1000.0,
        inventory_change_mt: inventory_change / 1000.0,
        min_performance: perf.iter().copied().fold(f64::INFINITY, f64::min).min(1.0),
        days_below_90pct: perf.iter().filter(|p| **p < 0.9).count() as u32,
        days_to_recover,
        resilience_loss: perf.iter().map(|p| (1.0 - p).max(0.0)).sum(),
        route_shares,
        russia_transit_share: share(russia),
        hhi_flows: hhi,
        data_unserved_tb: unserved_tb,
        data_shutdown_tb: run
            .days
            .iter()
            .map(|d| d.data_shutdown_gbps * 86_400.0 / 1000.0)
            .sum(),
        data_shutdown_hours: outage_hours(run, |d| d.data_shutdown_gbps),
        data_outage_hours: outage_hours(run, Day::data_unserved_gbps),
        data_min_performance: data_perf.iter().copied().fold(1.0, f64::min),
        data_days_below_90pct: data_perf.iter().filter(|p| **p < 0.9).count() as u32,
        data_resilience_loss: data_perf.iter().map(|p| 1.0 - p).sum(),
        data_unserved_value_usd: e
            .data_value
            .map(|v| data_usd(&v, run, Day::data_unserved_gbps)),
        data_shutdown_value_usd: e
            .data_value
            .map(|v| data_usd(&v, run, |d| d.data_shutdown_gbps)),
        data_peak_latency_ms: run
            .days
            .iter()
            .map(|d| d.data_latency_ms)
            .fold(0.0, f64::max),
        data_rtt: rtt_stats(net, run, base),
        assets_hit: run
            .assets_hit
            .iter()
            .map(|a| net.asset_id(*a).to_string())
            .collect(),
        event_displaced_kt: displaced_kt,
        event_hits_flow: hits_flow,
        off_spec_mt: off_kt / 1000.0,
        off_spec_discount_usd: off_usd,
        state_budget_loss_usd: state_budget_loss(net, sc, run, base, lost),
        oil_solves: run.oil_solves,
        data_solves: run.data_solves,
        days: run.days.len(),
    }
}

/// Round-trip times to one destination group over a run.
#[derive(Debug, Clone, PartialEq)]
pub struct RttStat {
    /// The destination group's id (`all` when the network defines none).
    pub destination: String,
    /// `served`: the served traffic's RTT, weighted by what each path carries, nationally; or
    /// a data source's id: the RTT of its shortest path that has capacity, whatever the load.
    pub origin: String,
    /// Mean over the baseline's days, ms.
    pub baseline_ms: f64,
    /// Mean over the days with a value (traffic served; a path left), ms.
    pub mean_ms: f64,
    /// The worst day's, ms (0 when no day has a value).
    pub peak_ms: f64,
    /// Index of the first worst day in the run, if any day has a value.
    pub peak_day: Option<usize>,
    /// Days with no value: no traffic to the group served (`served`), or no path left.
    pub days_without: u32,
}

/// Per destination group: the served-weighted RTT row, then one row per data source in node
/// order (see [`RttStat`]). Empty when the run kept no round-trip times (Monte Carlo).
pub fn rtt_stats(net: &Network, run: &SimResult, base: &SimResult) -> Vec<RttStat> {
    let groups = net.destinations.len().max(1);
    let sources = net.data_sources();
    let mut out = Vec::new();
    let stat = |destination: &str, origin: &str, pick: &dyn Fn(&Day) -> Option<f64>| {
        let values = |r: &SimResult| -> Vec<Option<f64>> {
            r.days
                .iter()
                .map(|d| pick(d).filter(|v| v.is_finite() && *v > 0.0))
                .collect()
        };
        let mean = |v: &[Option<f64>]| {
            let (sum, n) = v
                .iter()
                .flatten()
                .fold((0.0, 0), |(s, n), x| (s + x, n + 1));
            if n > 0 { sum / n as f64 } else { 0.0 }
        };
        let run_v = values(run);
        let peak_day = run_v
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (i, v)))
            .fold(None, |best: Option<(usize, f64)>, (i, v)| match best {
                Some((_, b)) if b >= v => best,
                _ => Some((i, v)),
            });
        RttStat {
            destination: destination.to_string(),
            origin: origin.to_string(),
            baseline_ms: mean(&values(base)),
            mean_ms: mean(&run_v),
            peak_ms: peak_day.map_or(0.0, |p| p.1),
            peak_day: peak_day.map(|p| p.0),
            days_without: run_v.iter().filter(|v| v.is_none()).count() as u32,
        }
    };
    if run.days.iter().all(|d| d.data_rtt_ms.is_empty()) {
        return out;
    }
    for g in 0..groups {
        let id = net.destinations.get(g).map_or("all", |d| d.id.as_str());
        out.push(stat(id, "served", &|d: &Day| d.data_rtt_ms.get(g).copied()));
        for (k, s) in sources.iter().enumerate() {
            out.push(stat(id, &net.node(*s).id, &|d: &Day| {
                d.data_best_rtt_ms.get(k * groups + g).copied()
            }));
        }
    }
    out
}

/// Hours of full national outage that `lost` (Gbps a day) amounts to over the run: Σ over days
/// of lost / demand × 24.
pub fn outage_hours(run: &SimResult, lost: impl Fn(&Day) -> f64) -> f64 {
    run.days
        .iter()
        .filter(|d| d.data_demand_gbps > 0.0)
        .map(|d| lost(d) / d.data_demand_gbps * 24.0)
        .sum()
}

/// `lost` (Gbps a day) valued at `v` over the run, US$.
pub fn data_usd(v: &DataValue, run: &SimResult, lost: impl Fn(&Day) -> f64) -> f64 {
    run.days
        .iter()
        .map(|d| v.day_usd(lost(d), d.data_demand_gbps))
        .sum()
}
