//! `corridor histories`: the sampled failure histories of the first replicates, with
//! corridor's exports for each under least-cost dispatch (what the peer implementations in
//! `bench/peers` reproduce), as JSON, so other implementations can be checked against it.

use rayon::prelude::*;

use super::AppError;
use crate::engine::montecarlo::run_replicate;
use crate::engine::sample::sample_replicate;
use crate::engine::sim::{SimConfig, simulate};
use crate::io::{Limits, LoadedScenario};
use crate::model::{Dispatch, Effect, Supply};

/// The JSON document of replicates `0..runs` of `l`: each replicate's capacity events
/// (`[asset, first day, end day, fraction]`) and corridor's total exports (kt).
///
/// # Errors
/// [`AppError::Input`] if `l` has no `[monte_carlo]`, or `runs` is above `limits`.
pub fn histories(l: &LoadedScenario, runs: u64, limits: &Limits) -> Result<String, AppError> {
    let Some(spec) = l.scenario.monte_carlo.as_ref() else {
        return Err(AppError::Input(format!(
            "{}: not a Monte Carlo scenario (no [monte_carlo])",
            l.files.first().map_or(l.id.as_str(), |f| f.0.as_str())
        )));
    };
    super::inputs::check_work(limits, &[(l.id.clone(), runs, l.scenario.horizon_days, 1)])?;
    let net = &l.network;
    // The peers (bench/peers) reproduce least-cost dispatch, so the exports given for them
    // are least-cost exports.
    let mut least_cost = l.scenario.clone();
    least_cost.dispatch = Dispatch::LeastCost;
    let sc = &least_cost;
    let base =
        simulate(net, sc, SimConfig::BASELINE_TOTALS).map_err(|e| AppError::solve(&l.id, e))?;
    let doy0 = sc.start.day_of_year0();
    let mut production = serde_json::Map::new();
    for (i, n) in net.nodes.iter().enumerate() {
        let v = sc
            .production
            .iter()
            .find(|(ix, _)| ix.0 == i)
            .map(|(_, s)| match s {
                Supply::Constant(v) => *v,
                Supply::Series(_) => f64::NAN,
            })
            .or(n.production.as_ref().map(|p| p.value));
        if let Some(v) = v {
            production.insert(n.id.clone(), serde_json::json!(v));
        }
    }
    let replicates: Vec<Result<serde_json::Value, AppError>> = (0..runs)
        .into_par_iter()
        .map(|i| {
            let s = sample_replicate(net, spec, sc.horizon_days, doy0, i);
            let events: Vec<serde_json::Value> = s
                .events
                .iter()
                .flat_map(|e| match &e.effect {
                    Effect::Capacity(v) => v
                        .iter()
                        .map(|(a, f)| {
                            serde_json::json!([net.asset_id(*a), e.window.start, e.window.end, f])
                        })
                        .collect::<Vec<_>>(),
                    Effect::Production { .. }
                    | Effect::Reactivate(_)
                    | Effect::OffSpec { .. }
                    | Effect::Shutdown { .. } => Vec::new(),
                })
                .collect();
            let (_, run) =
                run_replicate(net, sc, spec, &base, i).map_err(|e| AppError::solve(&l.id, e))?;
            let exports: f64 = run.days.iter().map(|d| d.exports_kt).sum();
            Ok(serde_json::json!({ "index": i, "events": events, "corridor_exports_kt": exports }))
        })
        .collect();
    let replicates: Vec<serde_json::Value> = replicates.into_iter().collect::<Result<_, _>>()?;
    let doc = serde_json::json!({
        "scenario": l.id,
        "start": sc.start.to_string(),
        "horizon_days": sc.horizon_days,
        "production_kt_per_day": production,
        "transport_cost_usd_per_t_per_100km": {
            "pipeline": sc.economics.rates.pipeline,
            "rail": sc.economics.rates.rail,
            "tanker": sc.economics.rates.tanker,
        },
        "replicates": replicates,
    });
    serde_json::to_string(&doc)
        .map(|s| s + "\n")
        .map_err(|e| AppError::Internal(e.to_string()))
}
