//! The data layer of a day: demand routed over the data links by min-cost flow (cost: path
//! length, the latency proxy), the bandwidth served and its flow-weighted latency.

use super::layout::Layout;
use super::{Day, Graph, REWARD, RTT_MS_PER_KM, SimConfig, Tag};
use crate::engine::flow::UNBOUNDED;
use crate::model::{AssetRef, Layer, LinkIx, Network, NodeIx, Scenario};

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
            solves: 0,
        }
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
    /// links' flows to `link_flow`; returns (served Gbps, latency ms).
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
                    gd.supply(v, i, self.demand[i] * allowed[i]);
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
                let fl = gd.solve(v.s, v.t);
                self.solves += 1;
                let mut served: f64 = gd
                    .arcs
                    .iter()
                    .zip(&fl)
                    .filter(|(a, _)| matches!(a.4, Tag::Export))
                    .map(|(_, x)| x)
                    .sum();
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
                self.last = Some((self.dkey.clone(), (served, lat)));
                (Some(fl), (served, lat))
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
