//! Structural indicators of one layer: maximum export capacity, N-1, the share that must
//! transit Russia, and concentration (HHI, Shannon) of export capacity by route.
//!
//! Definitions (all on the intact network unless stated):
//!
//! - **max capacity**: maximum flow from every origin (oil fields; data-demand nodes) to every
//!   sink (markets; international exchange points), origins unbounded, so it measures the
//!   infrastructure.
//! - **N-1**: for each capacitated asset in turn, the maximum flow without it. The asset whose
//!   loss leaves the least is reported; assets that tie (within 1e-6) are listed.
//! - **Russia share**: `1 − maxflow(without every asset in or crossing RU) / maxflow`, i.e. the
//!   part of export capacity that cannot bypass Russia. Unique, unlike a path split.
//! - **Route shares**: the maximum flow with the least length-weighted flow (tonne-km) is
//!   decomposed into paths; each path goes to the route that holds most of its links (ties:
//!   the route first in id order). HHI = Σ sᵢ² × 10,000 (0–10,000 scale, as in the facts
//!   sheet); Shannon = −Σ sᵢ ln sᵢ.

use rayon::prelude::*;

use super::flow::FlowError;
use super::problem::{FlowOptions, FlowProblem, asset_capacity};
use crate::model::{AssetRef, Layer, LinkIx, Network, Route};

/// Ties in N-1 within this many canonical units (kt/day or Gbps) count as equal.
const TIE: f64 = 1e-6;

/// The single asset whose loss cuts export capacity most.
#[derive(Debug, Clone, PartialEq)]
pub struct NMinus1 {
    /// The asset's id.
    pub asset: String,
    /// Export capacity left without it, report unit (Mt/yr or Gbps).
    ///
    /// # Units
    /// Report unit: Mt/yr (oil) or Gbps (data).
    pub remaining_capacity: f64,
    /// Capacity lost, report unit.
    ///
    /// # Units
    /// Report unit: Mt/yr (oil) or Gbps (data).
    pub lost_capacity: f64,
    /// Other assets whose loss leaves the same capacity, sorted by id.
    pub tied_with: Vec<String>,
}

/// A route's part of export capacity.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteShare {
    /// The route's id.
    pub route: String,
    /// Maximum flow through the route's own links alone, report unit.
    ///
    /// # Units
    /// Report unit: Mt/yr (oil) or Gbps (data).
    pub standalone_capacity: f64,
    /// Flow attributed to the route in the maximum-flow split, report unit.
    ///
    /// # Units
    /// Report unit: Mt/yr (oil) or Gbps (data).
    pub attributed_capacity: f64,
    /// `attributed_capacity` / max capacity.
    ///
    /// # Units
    /// Fraction, 0–1.
    pub share: f64,
    /// Whether any asset of the route is in or crosses Russia.
    pub via_russia: bool,
}

/// Indicators of one layer, in the layer's report unit (Mt/yr for oil, Gbps for data).
#[derive(Debug, Clone, PartialEq)]
pub struct LayerIndicators {
    /// The layer.
    pub layer: Layer,
    /// The report unit: `Mt/yr` or `Gbps`.
    pub unit: &'static str,
    /// Whether planned assets count.
    pub include_planned: bool,
    /// Maximum export capacity, report unit.
    ///
    /// # Units
    /// Report unit: Mt/yr (oil) or Gbps (data).
    pub max_capacity: f64,
    /// The worst single-asset loss, if any asset's loss cuts capacity.
    pub n_minus_1: Option<NMinus1>,
    /// Share of the maximum flow that must transit Russia, 0–1.
    ///
    /// # Units
    /// Fraction, 0–1.
    pub russia_share: f64,
    /// Capacity left if every asset in or crossing Russia is lost.
    ///
    /// # Units
    /// Report unit: Mt/yr (oil) or Gbps (data).
    pub capacity_without_russia: f64,
    /// Herfindahl–Hirschman index of the route shares, 0–10,000.
    ///
    /// # Units
    /// Index, 0–10,000.
    pub hhi: f64,
    /// Shannon entropy of the route shares, nats.
    ///
    /// # Units
    /// Nats.
    pub shannon: f64,
    /// Each route's part, in id order.
    pub routes: Vec<RouteShare>,
    /// Flow on paths that no route covers, report unit.
    ///
    /// # Units
    /// Report unit: Mt/yr (oil) or Gbps (data).
    pub unattributed_capacity: f64,
    /// Oil: total field production; data: total demand. Report unit.
    ///
    /// # Units
    /// Report unit: Mt/yr (oil) or Gbps (data).
    pub supply: f64,
}

/// What the network report states, computed once: each layer's indicators and every asset's
/// available capacity.
#[derive(Debug, Clone)]
pub struct NetworkIndicators {
    /// Whether planned assets and expansions count.
    pub include_planned: bool,
    /// Oil indicators (Mt/yr).
    pub oil: LayerIndicators,
    /// Data indicators (Gbps).
    pub data: LayerIndicators,
    /// Available capacity of each node with a capacity, in node order.
    ///
    /// # Units
    /// Canonical: kt/day on oil nodes, Gbps on data nodes.
    pub node_available: Vec<Option<f64>>,
    /// Available capacity of each link, in link order.
    ///
    /// # Units
    /// As [`NetworkIndicators::node_available`].
    pub link_available: Vec<Option<f64>>,
}

/// A layer's indicators could not be computed: a max-flow solve tripped the solver's guard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("internal error: the flow solver gave up on the {layer} layer's indicators: {error}")]
pub struct IndicatorError {
    /// The layer.
    pub layer: Layer,
    /// What the solver's guard found.
    pub error: FlowError,
}

/// The indicators of both layers and every asset's available capacity (planned assets count
/// only when `include_planned`).
///
/// # Errors
/// [`IndicatorError`] when a solve trips the solver's guard.
pub fn network_indicators(
    net: &Network,
    include_planned: bool,
) -> Result<NetworkIndicators, IndicatorError> {
    Ok(NetworkIndicators {
        include_planned,
        oil: layer_indicators(net, Layer::Oil, include_planned)?,
        data: layer_indicators(net, Layer::Data, include_planned)?,
        node_available: (0..net.nodes.len())
            .map(|i| {
                let a = AssetRef::Node(crate::model::NodeIx(i));
                asset_capacity(net, a, include_planned).filter(|_| net.nodes[i].capacity.is_some())
            })
            .collect(),
        link_available: (0..net.links.len())
            .map(|i| asset_capacity(net, AssetRef::Link(LinkIx(i)), include_planned))
            .collect(),
    })
}

/// Computes every indicator for `layer`.
///
/// # Errors
/// [`IndicatorError`] when a solve trips the solver's guard.
pub fn layer_indicators(
    net: &Network,
    layer: Layer,
    include_planned: bool,
) -> Result<LayerIndicators, IndicatorError> {
    let fail = |error| IndicatorError { layer, error };
    let opts = FlowOptions {
        include_planned,
        production_bounded: false,
    };
    let problem = FlowProblem::new(net, layer, opts);
    let intact = problem.solve_intact().map_err(fail)?;
    let max = intact.value;
    let unit = |v: f64| layer.to_report_unit(v);

    let n_minus_1 = n_minus_1(net, &problem, max).map_err(fail)?;

    let without_ru = problem
        .solve(|a| {
            if net.asset_in_country(a, "RU") {
                0.0
            } else {
                1.0
            }
        })
        .map_err(fail)?
        .value;
    let russia_share = if max > 0.0 {
        1.0 - without_ru / max
    } else {
        0.0
    };

    let routes: Vec<_> = net.routes.iter().filter(|r| r.layer == layer).collect();
    let mut attributed = vec![0.0; routes.len()];
    let mut unattributed = 0.0;
    for (links, f) in problem.decompose(&intact) {
        match attribute(&routes, &links) {
            Some(i) => attributed[i] += f,
            None => unattributed += f,
        }
    }
    let mut shares = Vec::new();
    for (r, att) in routes.iter().zip(&attributed) {
        let links: Vec<_> = r.links().collect();
        let entry = r.stages.first().cloned().unwrap_or_default();
        let exit = r.stages.last().cloned().unwrap_or_default();
        let standalone = FlowProblem::sub_chain(net, layer, opts, &links, &entry, &exit)
            .solve_intact()
            .map_err(fail)?
            .value;
        let via_russia = links.iter().any(|l| {
            let link = net.link(*l);
            net.asset_in_country(AssetRef::Link(*l), "RU")
                || net.node(link.from).country == "RU"
                || net.node(link.to).country == "RU"
        });
        shares.push(RouteShare {
            route: r.id.clone(),
            standalone_capacity: unit(standalone),
            attributed_capacity: unit(*att),
            share: if max > 0.0 { att / max } else { 0.0 },
            via_russia,
        });
    }
    let (hhi, shannon) = concentration(shares.iter().map(|s| s.share));
    let supply = net
        .nodes
        .iter()
        .filter(|n| n.layer() == layer)
        .filter_map(|n| match layer {
            Layer::Oil => n.production.as_ref(),
            Layer::Data => n.demand.as_ref(),
        })
        .map(|f| f.value)
        .sum::<f64>();
    Ok(LayerIndicators {
        layer,
        unit: layer.report_unit(),
        include_planned,
        max_capacity: unit(max),
        n_minus_1,
        russia_share,
        capacity_without_russia: unit(without_ru),
        hhi,
        shannon,
        routes: shares,
        unattributed_capacity: unit(unattributed),
        supply: unit(supply),
    })
}

/// The route a path belongs to: the one holding most of its links; on a tie, the route first
/// in id order. `None` if no route holds any of them.
pub fn attribute(routes: &[&Route], links: &[LinkIx]) -> Option<usize> {
    routes
        .iter()
        .enumerate()
        .map(|(i, r)| (links.iter().filter(|l| r.contains(**l)).count(), i))
        .filter(|(overlap, _)| *overlap > 0)
        .max_by(|a, b| a.0.cmp(&b.0).then(routes[b.1].id.cmp(&routes[a.1].id)))
        .map(|(_, i)| i)
}

/// HHI (0–10,000) and Shannon index of a set of shares; zero shares are skipped.
pub fn concentration(shares: impl Iterator<Item = f64>) -> (f64, f64) {
    let shares: Vec<f64> = shares.filter(|s| *s > 0.0).collect();
    let total: f64 = shares.iter().sum();
    if total <= 0.0 {
        return (0.0, 0.0);
    }
    let hhi = shares.iter().map(|s| (s / total).powi(2)).sum::<f64>() * 10_000.0;
    let shannon = -shares
        .iter()
        .map(|s| {
            let p = s / total;
            p * p.ln()
        })
        .sum::<f64>();
    (hhi, shannon)
}

fn n_minus_1(net: &Network, problem: &FlowProblem, max: f64) -> Result<Option<NMinus1>, FlowError> {
    let layer = problem.layer;
    // One solve per asset, in parallel; the results are sorted below, so the answer does not
    // depend on the thread count.
    let results: Vec<Result<(f64, String), FlowError>> = problem
        .assets()
        .into_par_iter()
        .map(|a| {
            let v = problem.solve(|x| if x == a { 0.0 } else { 1.0 })?.value;
            Ok((v, net.asset_id(a).to_string()))
        })
        .collect();
    let mut results: Vec<(f64, String)> = results.into_iter().collect::<Result<_, _>>()?;
    // Least remaining first; ties broken by id so the answer does not depend on data order.
    results.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let Some((worst, asset)) = results.first().cloned() else {
        return Ok(None);
    };
    let tied_with = results
        .iter()
        .skip(1)
        .filter(|(v, _)| (v - worst).abs() <= TIE)
        .map(|(_, id)| id.clone())
        .collect();
    Ok(Some(NMinus1 {
        asset,
        remaining_capacity: layer.to_report_unit(worst),
        lost_capacity: layer.to_report_unit(max - worst),
        tied_with,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concentration_of_equal_and_skewed_shares() {
        // Two equal routes: HHI = 2 × 0.5² × 10,000 = 5,000; Shannon = ln 2.
        let (h, s) = concentration([0.5, 0.5].into_iter());
        assert!((h - 5000.0).abs() < 1e-9);
        assert!((s - 2f64.ln()).abs() < 1e-12);
        // 80/20: HHI = (0.64 + 0.04) × 10,000 = 6,800.
        let (h, _) = concentration([0.8, 0.2].into_iter());
        assert!((h - 6800.0).abs() < 1e-9);
        // One route: fully concentrated.
        assert_eq!(concentration([1.0].into_iter()), (10_000.0, 0.0));
    }
}
