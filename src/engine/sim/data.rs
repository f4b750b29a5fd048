//! The data layer of a day: demand routed over the data links by min-cost flow (cost: path
//! length, the latency proxy), the bandwidth served and its round-trip times.
//!
//! With destination groups (`[[traffic.destination]]`), the mean hour's served traffic is
//! routed a second time with each sink joined to each group by its onward path: the cost is
//! then the whole path's length to the group's reference point, and each group is served its
//! share of what the links carry (congestion drops traffic whatever its destination). Every
//! sink reaches every group, so the groups change where traffic leaves, not how much is served.

use super::layout::Layout;
use super::{Day, Graph, REWARD, SimConfig, Tag};
use crate::engine::flow::UNBOUNDED;
use crate::model::{AssetRef, Layer, LinkIx, Network, NodeIx, Scenario, hourly_profile};

/// A capacity below this, Gbps, carries nothing for the shortest-path round-trip time.
const CAPACITY_EPS: f64 = 1e-9;

/// What the data layer of one day gives: traffic served and its round-trip times.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct DataDay {
    /// Mean traffic served over the day, Gbps.
    pub(super) served: f64,
    /// Served-weighted round-trip time over all destinations, ms (0 when none is served).
    pub(super) latency: f64,
    /// Per destination group: served-weighted round-trip time, ms (0 when none is served).
    pub(super) rtt: Vec<f64>,
    /// Per data source × destination group (source-major, sources in node order): the
    /// round-trip time of the shortest path with capacity, ms (infinite when none is left).
    pub(super) best: Vec<f64>,
}

/// The data allocation carried from day to day.
pub(super) struct Data {
    gd: Graph,
    dkey: Vec<f64>,
    /// The key of the last solve and its result.
    last: Option<(Vec<f64>, DataDay)>,
    /// Demand at each node (it does not change from day to day), Gbps.
    demand: Vec<f64>,
    /// Destination groups' shares of traffic (`[1.0]` without groups).
    shares: Vec<f64>,
    /// The shares of demand shutdowns allowed on the last day built (node × group).
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
            shares: net.destination_shares(),
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

    /// Traffic that shutdowns hold back under `allowed` (per node × group, the share let
    /// through), Gbps.
    pub(super) fn shut_gbps(&self, allowed: &[f64]) -> f64 {
        self.demand_gbps() - self.offered(allowed).iter().sum::<f64>()
    }

    /// Per node: the traffic that `allowed` (node × group) lets through, Gbps.
    fn offered(&self, allowed: &[f64]) -> Vec<f64> {
        let g = self.shares.len();
        self.demand
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let a = &allowed[i * g..(i + 1) * g];
                d * self.shares.iter().zip(a).map(|(s, a)| s * a).sum::<f64>()
            })
            .collect()
    }

    /// Per destination group: the traffic that `allowed` lets through, Gbps.
    fn offered_by_group(&self, allowed: &[f64]) -> Vec<f64> {
        let g = self.shares.len();
        (0..g)
            .map(|k| {
                self.demand
                    .iter()
                    .enumerate()
                    .map(|(i, d)| d * self.shares[k] * allowed[i * g + k])
                    .sum()
            })
            .collect()
    }

    /// Routes the day's demand, as far as shutdowns allow it (`allowed`, per node × group),
    /// under capacity factors `f` (`factors_same`: they equal the previous day's) and adds the
    /// data links' mean flows to `link_flow`.
    ///
    /// The network is solved for the busy hour (every city's traffic × the peak-to-mean ratio).
    /// If the busy hour is carried whole, so is every hour. If not, what it carries, C, is the
    /// most the links deliver at that mix of cities, and hour h serves min(k_h·S, C) of its
    /// k_h·S (S: the day's mean traffic, k_h: [`hourly_profile`]). Link flows and round-trip
    /// times are those of a second solve at the mean hour (with destination groups, a third
    /// that routes each group to its reference point), scaled to the day's mean served traffic.
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
    ) -> DataDay {
        let net = lay.net;
        let v = &lay.v;
        let cap_of = |a: AssetRef| lay.capacity_on(f, a);
        let data_same = factors_same && self.last.is_some() && self.allowed == allowed;
        self.allowed.clear();
        self.allowed.extend_from_slice(allowed);
        let peak = self.peak();
        let offered = self.offered(allowed);
        let by_group = self.offered_by_group(allowed);
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
                if offered[i] > 0.0 {
                    gd.supply(v, i, offered[i] * peak);
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
        let reused = match &self.last {
            Some((k, r)) if data_same || (!cfg.every_day && *k == self.dkey) => Some(r.clone()),
            _ => None,
        };
        if let Some(r) = reused {
            // The same arcs carry the same flows as on the last solved day.
            if let Some(prev) = previous {
                for (j, l) in net.links.iter().enumerate() {
                    if l.layer() == Layer::Data {
                        link_flow[j] = prev.link_flow[j];
                    }
                }
            }
            return r;
        }
        // The busy hour gives what the links can carry, C; the mean hour gives how traffic is
        // routed on an ordinary hour.
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
        let mean = hours_served(&self.profile, &offered, peak_served);
        let mut out = DataDay {
            served: mean,
            ..DataDay::default()
        };
        let fl = if cfg.totals_only {
            let served = exported(gd, &fl);
            let k = if served > 0.0 { mean / served } else { 0.0 };
            fl.iter().map(|x| x * k).collect()
        } else {
            let (fl, rtt, latency) = route_by_group(net, lay, gd, &fl, peak, &by_group, mean);
            out.rtt = rtt;
            out.latency = latency;
            out.best = best_rtt(net, lay, gd);
            fl
        };
        for (a, x) in self.gd.arcs.iter().zip(&fl) {
            if let Tag::Link(j) = a.4 {
                link_flow[j] += x;
            }
        }
        self.last = Some((self.dkey.clone(), out.clone()));
        out
    }
}

/// Routes the mean hour's served traffic (`fl`, the mean-hour solve of `gd`, whose supplies
/// are the busy hour's: × `peak`) to the destination groups: each sink joined to each group by
/// its onward path, each group served its share (`by_group`, Gbps offered) of what `fl`
/// carries. Returns the flow on `gd`'s arcs scaled to the day's mean served traffic `mean`,
/// each group's served-weighted round-trip time and the one over all groups, ms.
fn route_by_group(
    net: &Network,
    lay: &Layout<'_>,
    gd: &Graph,
    fl: &[f64],
    peak: f64,
    by_group: &[f64],
    mean: f64,
) -> (Vec<f64>, Vec<f64>, f64) {
    let v = &lay.v;
    let carried = exported(gd, fl);
    let offered: f64 = by_group.iter().sum();
    let groups = by_group.len();
    // The group vertices follow the layout's.
    let mut g = Graph {
        vertices: v.count + groups,
        arcs: Vec::with_capacity(gd.arcs.len() + groups * 4),
    };
    for a in &gd.arcs {
        match a.4 {
            Tag::Export => {}
            Tag::Supply(_) => g.arc(a.0, a.1, a.2 / peak, a.3, a.4),
            _ => g.arc(a.0, a.1, a.2, a.3, a.4),
        }
    }
    let n_real = g.arcs.len();
    for (i, node) in net.nodes.iter().enumerate() {
        if node.layer() != Layer::Data || !node.sink {
            continue;
        }
        for k in 0..groups {
            let km = net
                .destinations
                .get(k)
                .and_then(|d| d.exit(NodeIx(i)))
                .map_or(0.0, |e| e.km);
            g.arc(v.ov[i], v.count + k, UNBOUNDED, km, Tag::Exit(i, k));
        }
    }
    for (k, o) in by_group.iter().enumerate() {
        let cap = if offered > 0.0 {
            carried * o / offered
        } else {
            0.0
        };
        g.arc(v.count + k, v.t, cap, -REWARD, Tag::Export);
    }
    let gfl = g.solve(v.s, v.t);
    let served2 = exported(&g, &gfl);
    let scale = if served2 > 0.0 { mean / served2 } else { 0.0 };
    let mut km_by_group = vec![(0.0, 0.0); groups];
    for (path, x) in g.paths(&gfl, v.s, v.t) {
        let mut km = 0.0;
        let mut group = None;
        for k in &path {
            match g.arcs[*k].4 {
                Tag::Link(j) => km += net.links[j].length_km(),
                Tag::Exit(_, gk) => {
                    km += g.arcs[*k].3;
                    group = Some(gk);
                }
                _ => {}
            }
        }
        if let Some(gk) = group {
            km_by_group[gk].0 += x * km;
            km_by_group[gk].1 += x;
        }
    }
    let rtt = km_by_group
        .iter()
        .map(|(kx, x)| if *x > 0.0 { net.rtt_ms(kx / x) } else { 0.0 })
        .collect();
    let (kx, x) = km_by_group
        .iter()
        .fold((0.0, 0.0), |(a, b), (c, d)| (a + c, b + d));
    let latency = if x > 0.0 { net.rtt_ms(kx / x) } else { 0.0 };
    // The first arcs of `g` are `gd`'s without its exports, in order.
    let mut out = vec![0.0; gd.arcs.len()];
    let mut k = 0;
    for (a, o) in gd.arcs.iter().zip(out.iter_mut()) {
        if matches!(a.4, Tag::Export) {
            continue;
        }
        *o = gfl[k] * scale;
        k += 1;
    }
    debug_assert_eq!(k, n_real);
    (out, rtt, latency)
}

/// Per data source × destination group (source-major): the round-trip time over the shortest
/// path of `gd` whose arcs all have capacity, onward path included, ms; infinite when no sink
/// can be reached.
fn best_rtt(net: &Network, lay: &Layout<'_>, gd: &Graph) -> Vec<f64> {
    let v = &lay.v;
    let groups = net.destinations.len().max(1);
    let arcs: Vec<(usize, usize, f64)> = gd
        .arcs
        .iter()
        .filter(|a| a.2 > CAPACITY_EPS && matches!(a.4, Tag::Link(_) | Tag::Node(_)))
        .map(|a| (a.0, a.1, a.3))
        .collect();
    let mut out = Vec::new();
    for i in net.data_sources().into_iter().map(|i| i.0) {
        // Bellman–Ford: a few dozen vertices and arcs.
        let mut dist = vec![f64::INFINITY; v.count];
        dist[v.iv[i]] = 0.0;
        for _ in 0..v.count {
            let mut changed = false;
            for (a, b, km) in &arcs {
                if dist[*a] + km < dist[*b] {
                    dist[*b] = dist[*a] + km;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        for k in 0..groups {
            let km = net
                .nodes
                .iter()
                .enumerate()
                .filter(|(_, s)| s.layer() == Layer::Data && s.sink)
                .map(|(s, _)| {
                    let onward = net
                        .destinations
                        .get(k)
                        .and_then(|d| d.exit(NodeIx(s)))
                        .map_or(0.0, |e| e.km);
                    dist[v.ov[s]] + onward
                })
                .fold(f64::INFINITY, f64::min);
            out.push(net.rtt_ms(km));
        }
    }
    out
}

/// The day's mean served traffic, Gbps, when the busy hour carries `peak_served` Gbps of the
/// traffic `offered` (per node, Gbps) and the day follows `profile`.
fn hours_served(profile: &[f64; 24], offered: &[f64], peak_served: f64) -> f64 {
    let s: f64 = offered.iter().sum();
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
