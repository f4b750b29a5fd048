//! The data layer of a day: demand routed over the data links by min-cost flow (cost: path
//! length, the latency proxy), the bandwidth served and its flow-weighted latency.

use super::layout::Layout;
use super::{Day, Graph, REWARD, RTT_MS_PER_KM, SimConfig, Tag};
use crate::engine::flow::UNBOUNDED;
use crate::model::{AssetRef, Layer, LinkIx, Network, NodeIx, Scenario, hourly_profile};

/// The data allocation carried from day to day.
pub(super) struct Data {
    gd: Graph,
    dkey: Vec<f64>,
    /// The key of the last solve and its (served Gbps, latency ms).
    last: Option<(Vec<f64>, (f64, f64))>,
    /// Demand at each node (it does not change from day to day), Gbps.
    demand: Vec<f64>,
    /// The shares of demand shutdowns allowed on the last day built.
    allowed: Vec<f64>,
    /// The day's traffic by hour as multiples of its mean ([`hourly_profile`]).
    profile: [f64; 24],
    /// Days solved.
    pub(super) solves: usize,
}

impl Data {
    pub(super) fn new(net: &Network, sc: &Scenario, lay: &Layout<'_>) -> Self {
        let size = lay.n + net.links.len();
        let demand = net
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                sc.demand
                    .iter()
                    .find(|(ix, _)| ix.0 == i)
                    .map(|(_, d)| *d)
                    .or(n.demand.as_ref().map(|d| d.value))
                    .unwrap_or(0.0)
            })
            .collect();
        Data {
            gd: Graph {
                vertices: lay.v.count,
                arcs: Vec::with_capacity(4 * size),
            },
            dkey: Vec::with_capacity(4 * size),
            last: None,
            allowed: Vec::new(),
            demand,
            profile: hourly_profile(net.data_peak_to_mean),
            solves: 0,
        }
    }

    /// The busiest hour's traffic over the mean.
    fn peak(&self) -> f64 {
        peak_of(&self.profile)
    }

    /// International demand, Gbps.
    pub(super) fn demand_gbps(&self) -> f64 {
        self.demand.iter().sum()
    }

    /// Traffic that shutdowns hold back under `allowed` (per node, the share let through),
    /// Gbps.
    pub(super) fn shut_gbps(&self, allowed: &[f64]) -> f64 {
        self.demand
            .iter()
            .zip(allowed)
            .map(|(d, a)| d * (1.0 - a))
            .sum()
    }

    /// Routes the day's demand, as far as shutdowns allow it (`allowed`, per node), under
    /// capacity factors `f` (`factors_same`: they equal the previous day's) and adds the data
    /// links' mean flows to `link_flow`; returns (mean served Gbps, latency ms).
    ///
    /// The network is solved for the busy hour (every city's traffic × the peak-to-mean ratio).
    /// If the busy hour is carried whole, so is every hour. If not, what it carries, C, is the
    /// most the links deliver at that mix of cities, and hour h serves min(k_h·S, C) of its
    /// k_h·S (S: the day's mean traffic, k_h: [`hourly_profile`]). Link flows and latency are
    /// those of a second solve at the mean hour, scaled to the day's mean served traffic.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn day(
        &mut self,
        lay: &Layout<'_>,
        f: &[f64],
        allowed: &[f64],
        factors_same: bool,
        cfg: SimConfig,
        link_flow: &mut [f64],
        previous: Option<&Day>,
    ) -> (f64, f64) {
        let net = lay.net;
        let v = &lay.v;
        let cap_of = |a: AssetRef| lay.capacity_on(f, a);
        let data_same = factors_same && self.last.is_some() && self.allowed == allowed;
        self.allowed.clear();
        self.allowed.extend_from_slice(allowed);
        let peak = self.peak();
        let (profile, demand) = (&self.profile, &self.demand);
        let gd = &mut self.gd;
        if !data_same {
            gd.arcs.clear();
            for (i, node) in net.nodes.iter().enumerate() {
                if node.layer() != Layer::Data {
                    continue;
                }
                let cap = cap_of(AssetRef::Node(NodeIx(i))).unwrap_or(UNBOUNDED * f[i]);
                if v.split[i] {
                    gd.arc(v.iv[i], v.ov[i], cap, 0.0, Tag::Node(i));
                }
                if node.sink {
                    gd.arc(v.ov[i], v.t, UNBOUNDED, -REWARD, Tag::Export);
                }
                if self.demand[i] * allowed[i] > 0.0 {
                    gd.supply(v, i, self.demand[i] * allowed[i] * peak);
                }
            }
            for (j, l) in net.links.iter().enumerate() {
                if l.layer() == Layer::Data {
                    let cap = cap_of(AssetRef::Link(LinkIx(j))).unwrap_or(0.0);
                    gd.arc(
                        v.ov[l.from.0],
                        v.iv[l.to.0],
                        cap,
                        l.length_km(),
                        Tag::Link(j),
                    );
                }
            }
            self.dkey.clear();
            self.dkey.extend(gd.arcs.iter().map(|a| a.2));
        }
        let (dflows, (served, latency)) = match &self.last {
            Some((k, r)) if data_same || (!cfg.every_day && *k == self.dkey) => (None, *r),
            _ => {
                // The busy hour gives what the links can carry, C; the mean hour gives how
                // traffic is routed on an ordinary hour.
                let peak_fl = gd.solve(v.s, v.t);
                let peak_served = exported(gd, &peak_fl);
                let fl = if peak > 1.0 {
                    let busy: Vec<f64> = gd.arcs.iter().map(|a| a.2).collect();
                    scale_supply(gd, 1.0 / peak);
                    let fl = gd.solve(v.s, v.t);
                    for (a, c) in gd.arcs.iter_mut().zip(busy) {
                        a.2 = c;
                    }
                    fl
                } else {
                    peak_fl
                };
                self.solves += 1;
                let mut served = exported(gd, &fl);
                let mut km_weighted = 0.0;
                let paths = if cfg.totals_only {
                    Vec::new()
                } else {
                    served = 0.0;
                    gd.paths(&fl, v.s, v.t)
                };
                for (path, x) in paths {
                    if matches!(path.last().map(|k| gd.arcs[*k].4), Some(Tag::Export)) {
                        let km: f64 = path
                            .iter()
                            .filter_map(|k| match gd.arcs[*k].4 {
                                Tag::Link(j) => Some(net.links[j].length_km()),
                                _ => None,
                            })
                            .sum();
                        served += x;
                        km_weighted += x * km;
                    }
                }
                let lat = if served > 0.0 {
                    km_weighted / served * RTT_MS_PER_KM
                } else {
                    0.0
                };
                let mean = hours_served(profile, demand, peak_served, allowed);
                let k = if served > 0.0 { mean / served } else { 0.0 };
                self.last = Some((self.dkey.clone(), (mean, lat)));
                let fl: Vec<f64> = fl.iter().map(|x| x * k).collect();
                (Some(fl), (mean, lat))
            }
        };
        match dflows {
            Some(fl) => {
                for (a, x) in gd.arcs.iter().zip(&fl) {
                    if let Tag::Link(j) = a.4 {
                        link_flow[j] += x;
                    }
                }
            }
            None => {
                // Reused: the same arcs carry the same flows as on the last solved day.
                if let Some(prev) = previous {
                    for (j, l) in net.links.iter().enumerate() {
                        if l.layer() == Layer::Data {
                            link_flow[j] = prev.link_flow[j];
                        }
                    }
                }
            }
        }
        (served, latency)
    }
}

/// The day's mean served traffic, Gbps, when the busy hour carries `peak_served` Gbps of the
/// traffic that `allowed` lets through of `demand` (per node) and the day follows `profile`.
fn hours_served(profile: &[f64; 24], demand: &[f64], peak_served: f64, allowed: &[f64]) -> f64 {
    let s: f64 = demand.iter().zip(allowed).map(|(d, a)| d * a).sum();
    if peak_served >= s * peak_of(profile) * (1.0 - 1e-12) {
        return s;
    }
    profile
        .iter()
        .map(|k| (k * s).min(peak_served))
        .sum::<f64>()
        / 24.0
}

/// Multiplies the capacity of every supply arc of `g` (the traffic entering at each node) by `k`.
fn scale_supply(g: &mut Graph, k: f64) {
    for a in &mut g.arcs {
        if matches!(a.4, Tag::Supply(_)) {
            a.2 *= k;
        }
    }
}

/// The flow of `fl` that reaches the sinks of `g`.
fn exported(g: &Graph, fl: &[f64]) -> f64 {
    g.arcs
        .iter()
        .zip(fl)
        .filter(|(a, _)| matches!(a.4, Tag::Export))
        .map(|(_, x)| x)
        .sum()
}

/// The largest multiple of `profile` (at least 1).
fn peak_of(profile: &[f64; 24]) -> f64 {
    profile.iter().copied().fold(1.0, f64::max)
}
