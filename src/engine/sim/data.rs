//! The data layer of a day: demand routed over the data links by min-cost flow (cost: path
//! length, the latency proxy), the bandwidth served and its round-trip times.
//!
//! With destination groups (`[[traffic.destination]]`), the mean hour's served traffic is
//! routed a second time with each sink joined to each group by its onward path: the cost is
//! then the whole path's length to the group's reference point. Each city sends what the first
//! routing serves from it, split among the groups as its offered traffic is (congestion drops
//! traffic whatever its destination): one commodity per city, a linear programme
//! ([`route_by_city`]). Every sink reaches every group, so the groups change where traffic
//! leaves, not how much is served.

use super::layout::Layout;
use super::{Day, Graph, REWARD, SimConfig, Tag};
use crate::engine::flow::{UNBOUNDED, decompose};
use crate::engine::latency::shortest_paths;
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
    /// Per node: the traffic `allowed` lets through, Gbps.
    offered: Vec<f64>,
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
            offered: Vec::new(),
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

    /// Traffic that shutdowns held back on the last day routed ([`Data::day`]), Gbps.
    pub(super) fn shut_gbps(&self) -> f64 {
        self.demand_gbps() - self.offered.iter().sum::<f64>()
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

    /// Per node × destination group (node-major): the traffic that `allowed` lets through,
    /// Gbps.
    fn offered_by_node_group(&self, allowed: &[f64]) -> Vec<f64> {
        let g = self.shares.len();
        (0..self.demand.len() * g)
            .map(|k| self.demand[k / g] * self.shares[k % g] * allowed[k])
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
        let allowed_same = self.allowed == allowed;
        let data_same = factors_same && self.last.is_some() && allowed_same;
        if !allowed_same {
            self.allowed.clear();
            self.allowed.extend_from_slice(allowed);
            self.offered = self.offered(allowed);
        }
        let peak = self.peak();
        let offered = &self.offered;
        // Where the traffic goes matters only for round-trip times, which replicates skip.
        let (by_node_group, by_group) = if cfg.totals_only {
            (Vec::new(), Vec::new())
        } else {
            let by_node_group = self.offered_by_node_group(allowed);
            // Per destination group: what all nodes offer, Gbps.
            let groups = self.shares.len();
            let by_group: Vec<f64> = (0..groups)
                .map(|k| by_node_group.iter().skip(k).step_by(groups).sum())
                .collect();
            (by_node_group, by_group)
        };
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
            // The same totals with another mix of destinations route differently.
            self.dkey.extend(&by_node_group);
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
        let mean = hours_served(&self.profile, offered, peak_served);
        let mut out = DataDay {
            served: mean,
            ..DataDay::default()
        };
        let fl = if cfg.totals_only {
            let served = exported(gd, &fl);
            let k = if served > 0.0 { mean / served } else { 0.0 };
            fl.iter().map(|x| x * k).collect()
        } else {
            let (fl, rtt, latency) = if by_group.len() > 1 {
                route_by_city(net, lay, gd, &fl, &by_node_group, mean)
            } else {
                None
            }
            .unwrap_or_else(|| route_by_group(net, lay, gd, &fl, peak, &by_group, mean));
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
/// are the busy hour's: × `peak`) to the destination groups together, by min-cost flow: each
/// sink joined to each group by its onward path, each group served its share (`by_group`, Gbps
/// offered) of what `fl` carries. Exact with one group (no `[[traffic.destination]]`); with
/// several it lets cities swap destinations, so it serves only if [`route_by_city`] finds no
/// solution. Returns the flow on `gd`'s arcs scaled to the day's mean served traffic `mean`,
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
    for NodeIx(i) in net.data_sinks() {
        for k in 0..groups {
            let km = net.onward_km(k, NodeIx(i));
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
    let (rtt, latency) = group_rtts(net, &km_by_group);
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

/// Routes the mean hour's served traffic (`fl`, the mean-hour solve of `gd`) to the destination
/// groups with each city's own mix of destinations (`offered`, Gbps per node × group): a
/// multi-commodity flow, one commodity per city, solved as a linear programme that minimises
/// the total path length (links and onward paths) under the links' capacities. Each city sends
/// what `fl` takes from it, split among the groups as its offered traffic is. Returns what
/// [`route_by_group`] does; `None` if the programme has no solution (then the caller routes
/// the groups together).
fn route_by_city(
    net: &Network,
    lay: &Layout<'_>,
    gd: &Graph,
    fl: &[f64],
    offered: &[f64],
    mean: f64,
) -> Option<(Vec<f64>, Vec<f64>, f64)> {
    use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOutcome, Variable};
    let v = &lay.v;
    let groups = net.destinations.len();
    let cities: Vec<(usize, f64)> = gd
        .arcs
        .iter()
        .zip(fl)
        .filter_map(|(a, x)| match a.4 {
            Tag::Field(i) if *x > CAPACITY_EPS => Some((i, *x)),
            _ => None,
        })
        .collect();
    let links: Vec<usize> = (0..gd.arcs.len())
        .filter(|k| matches!(gd.arcs[*k].4, Tag::Link(_) | Tag::Node(_)))
        .collect();
    let sinks: Vec<usize> = net.data_sinks().into_iter().map(|s| s.0).collect();
    let onward = |s: usize, g: usize| net.onward_km(g, NodeIx(s));
    let mut lp = Problem::new(OptimizationDirection::Minimize);
    let f: Vec<Vec<Variable>> = cities
        .iter()
        .map(|_| {
            links
                .iter()
                .map(|&k| lp.add_var(gd.arcs[k].3, (0.0, f64::INFINITY)))
                .collect()
        })
        .collect();
    let y: Vec<Vec<Vec<Variable>>> = cities
        .iter()
        .map(|_| {
            sinks
                .iter()
                .map(|&s| {
                    (0..groups)
                        .map(|g| lp.add_var(onward(s, g), (0.0, f64::INFINITY)))
                        .collect()
                })
                .collect()
        })
        .collect();
    for (j, &k) in links.iter().enumerate() {
        lp.add_constraint(
            f.iter().map(|fc| (fc[j], 1.0)).collect::<Vec<_>>(),
            ComparisonOp::Le,
            gd.arcs[k].2,
        );
    }
    for (c, &(i, x)) in cities.iter().enumerate() {
        // Conservation at every vertex: what enters less what leaves is the city's traffic
        // (entering at its own vertex) less what leaves by the sinks.
        let mut rows: Vec<Vec<(Variable, f64)>> = vec![Vec::new(); v.count];
        for (j, &k) in links.iter().enumerate() {
            rows[gd.arcs[k].0].push((f[c][j], -1.0));
            rows[gd.arcs[k].1].push((f[c][j], 1.0));
        }
        for (ys, &s) in y[c].iter().zip(&sinks) {
            rows[v.ov[s]].extend(ys.iter().map(|&var| (var, -1.0)));
        }
        for (vx, row) in rows.into_iter().enumerate() {
            if !row.is_empty() {
                let rhs = if vx == v.iv[i] { -x } else { 0.0 };
                lp.add_constraint(row, ComparisonOp::Eq, rhs);
            }
        }
        let mix = &offered[i * groups..(i + 1) * groups];
        let total: f64 = mix.iter().sum();
        for (g, o) in mix.iter().enumerate() {
            let row: Vec<(Variable, f64)> = (0..sinks.len()).map(|si| (y[c][si][g], 1.0)).collect();
            lp.add_constraint(row, ComparisonOp::Eq, x * o / total);
        }
    }
    let sol = match lp.solve() {
        Ok(SolveOutcome::Solution(s)) => s,
        _ => return None,
    };
    let val = |var: Variable| sol.var_value(var).max(0.0);
    let carried: f64 = cities.iter().map(|c| c.1).sum();
    let scale = if carried > 0.0 { mean / carried } else { 0.0 };
    let mut out = vec![0.0; gd.arcs.len()];
    for (j, &k) in links.iter().enumerate() {
        out[k] = f.iter().map(|fc| val(fc[j])).sum::<f64>() * scale;
    }
    // Each city's path length to each sink, from its own flow's paths; each group then adds
    // its onward path from the sinks it leaves by.
    let (src, dst) = (v.count, v.count + 1);
    let mut km_by_group = vec![(0.0, 0.0); groups];
    for (c, &(i, x)) in cities.iter().enumerate() {
        let mut ends: Vec<(usize, usize)> = links
            .iter()
            .map(|&k| (gd.arcs[k].0, gd.arcs[k].1))
            .collect();
        let mut flows: Vec<f64> = f[c].iter().map(|&var| val(var)).collect();
        for (si, &s) in sinks.iter().enumerate() {
            ends.push((v.ov[s], dst));
            flows.push(y[c][si].iter().map(|&var| val(var)).sum());
        }
        ends.push((src, v.iv[i]));
        flows.push(x);
        let mut to_sink = vec![(0.0, 0.0); sinks.len()];
        for (path, amount) in decompose(v.count + 2, &ends, &flows, src, dst) {
            let km: f64 = path
                .iter()
                .filter(|k| **k < links.len())
                .map(|k| gd.arcs[links[*k]].3)
                .sum();
            if let Some(si) = path.last().and_then(|k| k.checked_sub(links.len()))
                && si < sinks.len()
            {
                to_sink[si].0 += amount * km;
                to_sink[si].1 += amount;
            }
        }
        for (si, &s) in sinks.iter().enumerate() {
            let (kx, n) = to_sink[si];
            let km = if n > 0.0 { kx / n } else { 0.0 };
            for (g, acc) in km_by_group.iter_mut().enumerate() {
                let amount = val(y[c][si][g]);
                acc.0 += amount * (km + onward(s, g));
                acc.1 += amount;
            }
        }
    }
    let (rtt, latency) = group_rtts(net, &km_by_group);
    Some((out, rtt, latency))
}

/// Per group, and over all groups, the round-trip time of the traffic whose (Σ km × Gbps,
/// Σ Gbps) `km_by_group` holds, ms (0 for a group with none).
fn group_rtts(net: &Network, km_by_group: &[(f64, f64)]) -> (Vec<f64>, f64) {
    let rtt = |(kx, x): (f64, f64)| if x > 0.0 { net.rtt_ms(kx / x) } else { 0.0 };
    let all = km_by_group
        .iter()
        .fold((0.0, 0.0), |(a, b), (c, d)| (a + c, b + d));
    (km_by_group.iter().map(|p| rtt(*p)).collect(), rtt(all))
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
    let sinks = net.data_sinks();
    let mut out = Vec::new();
    for i in net.data_sources().into_iter().map(|i| i.0) {
        let (dist, _) = shortest_paths(v.count, &arcs, v.iv[i]);
        for k in 0..groups {
            let km = sinks
                .iter()
                .map(|&s| dist[v.ov[s.0]] + net.onward_km(k, s))
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
