//! The daily simulation: capacities under events, production, storage, tanker transit and the
//! data layer, allocated each day by min-cost flow.
//!
//! # The daily allocation (oil)
//!
//! Phase 1 places the day's production and tanker arrivals. Every unit must go somewhere, and
//! arc costs put the choices in strict tiers:
//!
//! 1. export (reward `R`; tanker loading counts as export-bound),
//! 2. among exports, the lowest transport cost (tariff, or length × a per-mode rate),
//! 3. storage, nearest to the market first (a tank farm further from the fields is cheaper),
//! 4. tanker cargo waiting at sea to discharge,
//! 5. curtailment (production shut in; lost, not deferred).
//!
//! Phase 2 (the dispatch rule) drains stored crude above each tank farm's working level into the
//! capacity left spare after phase 1, at the lowest transport cost. Fresh production therefore
//! always goes first.
//!
//! Tanker legs load on day `t` and deliver on day `t + transit` (transit = sailing days rounded,
//! at least 1). Cargo at sea is stock. While cargo waits to discharge, the leg's loading capacity
//! is reduced by the waiting volume (the ships are busy).
//!
//! # Event-driven solving
//!
//! Each day's inputs (arc capacities, supplies, arrivals, and the storage bounds clipped to what
//! can bind that day) form a key. If the key is bit-identical to the last solved day's, the last
//! allocation is reused; otherwise the day is solved. Identical inputs give identical outputs,
//! so the results equal re-solving every day ([`SimConfig::every_day`] does that, for tests).

use std::collections::VecDeque;

use super::flow::{FlowGraph, UNBOUNDED, decompose};
use super::indicators::attribute;
use crate::model::{
    AssetRef, Effect, Layer, LinkIx, LinkKind, Network, NodeIx, Route, Scenario, Status,
};

/// Export reward per kt (a negative cost).
const REWARD: f64 = 1e6;
/// Cost per kt of storing, before the distance bonus.
const STORE_BASE: f64 = 1e4;
/// Bonus per km between the fields and a tank farm: downstream tanks fill first.
const STORE_KM_BONUS: f64 = 1.0;
/// Cost per kt of tanker cargo waiting at sea.
const WAIT: f64 = 2e4;
/// How far (kt) a storage bound must exceed the flow through it to count as not binding.
const SLACK_MARGIN: f64 = 1e-6;
/// Cost per kt of curtailed production (or unserved data traffic).
const CURTAIL: f64 = 1e5;
/// Round-trip latency per km of fibre path, ms (light in fibre ≈ 200 km/ms, there and back).
pub const RTT_MS_PER_KM: f64 = 2.0 / 200.0;

/// How to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SimConfig {
    /// Apply the scenario's events (false gives the baseline).
    pub with_events: bool,
    /// Solve every day instead of only when the inputs change.
    pub every_day: bool,
    /// Skip splitting each day's exports by route and through Russia (they stay zero), and
    /// the latency of the served data: Monte Carlo replicates only need the totals.
    pub totals_only: bool,
}

/// One simulated day.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    /// Day index from the scenario start.
    pub t: i64,
    /// Oil produced (after production events), kt.
    pub production_kt: f64,
    /// Production shut in because nothing could take it, kt.
    pub curtailed_kt: f64,
    /// Crude delivered to markets, kt.
    pub exports_kt: f64,
    /// Exports by oil route (in the order of [`SimResult::routes`]), kt; the last entry is
    /// exports on paths no route covers.
    pub route_exports_kt: Vec<f64>,
    /// Exports whose path touches Russia, kt.
    pub russia_exports_kt: f64,
    /// Flow on every link (tanker legs: cargo loaded), kt/day or Gbps, by [`LinkIx`].
    pub link_flow: Vec<f64>,
    /// Level of every store at the end of the day, kt.
    pub store_kt: Vec<f64>,
    /// Crude at sea at the end of the day (in transit and waiting), kt.
    pub at_sea_kt: f64,
    pub data_demand_gbps: f64,
    pub data_served_gbps: f64,
    /// Flow-weighted round-trip latency of the served traffic, ms (0 when none is served).
    pub data_latency_ms: f64,
    /// Whether the oil allocation was solved (true) or reused (false) this day.
    pub solved: bool,
}

/// A whole run.
#[derive(Debug, Clone, PartialEq)]
pub struct SimResult {
    pub days: Vec<Day>,
    /// Ids of the oil routes, the order of [`Day::route_exports_kt`].
    pub routes: Vec<String>,
    /// Min-cost-flow solves for oil (two phases count as one) and for data.
    pub oil_solves: usize,
    pub data_solves: usize,
    /// Assets whose capacity factor fell below 1 on some day, in asset order.
    pub assets_hit: Vec<AssetRef>,
    /// Crude at sea and in stores at the start, kt.
    pub initial_at_sea_kt: f64,
    pub initial_store_kt: Vec<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tag {
    Node(usize),
    Link(usize),
    Sea(usize),
    Export,
    Reach,
    Supply(usize),
    Field(usize),
    Curtail,
    Arrival(usize),
    Discharge(usize),
    Wait(usize),
    Store(usize),
    Drain(usize),
}

struct Graph {
    vertices: usize,
    arcs: Vec<(usize, usize, f64, f64, Tag)>,
}

impl Graph {
    fn arc(&mut self, u: usize, v: usize, cap: f64, cost: f64, tag: Tag) {
        self.arcs.push((u, v, cap, cost, tag));
    }
    fn solve(&self, s: usize, t: usize) -> Vec<f64> {
        // One solver per thread, reused so each solve allocates nothing but its result.
        thread_local! {
            static SOLVER: std::cell::RefCell<FlowGraph> = std::cell::RefCell::new(FlowGraph::new(0));
        }
        SOLVER.with(|cell| {
            let mut g = cell.borrow_mut();
            g.reset(self.vertices);
            for (u, v, cap, cost, _) in &self.arcs {
                g.add_arc(*u, *v, *cap, *cost);
            }
            g.min_cost_max_flow(s, t);
            (0..self.arcs.len()).map(|k| g.flow(k)).collect()
        })
    }
    fn paths(&self, flows: &[f64], s: usize, t: usize) -> Vec<(Vec<usize>, f64)> {
        let ends: Vec<(usize, usize)> = self.arcs.iter().map(|a| (a.0, a.1)).collect();
        decompose(self.vertices, &ends, flows, s, t)
    }
}

/// Static facts about the network the daily loop needs.
struct Layout<'n> {
    net: &'n Network,
    n: usize,
    /// Transport cost per link, $/t.
    cost: Vec<f64>,
    /// Whole days in transit per tanker leg (0 for other links).
    transit: Vec<usize>,
    /// km from the nearest field to each store's node.
    store_km: Vec<f64>,
    oil_routes: Vec<&'n Route>,
}

fn asset_index(net: &Network, a: AssetRef) -> usize {
    match a {
        AssetRef::Node(n) => n.0,
        AssetRef::Link(l) => net.nodes.len() + l.0,
    }
}

impl<'n> Layout<'n> {
    fn new(net: &'n Network, sc: &Scenario) -> Self {
        let rates = sc.economics.rates;
        let cost = net
            .links
            .iter()
            .map(|l| match &l.tariff {
                Some(t) => t.value,
                None => {
                    let per100 = match l.kind {
                        LinkKind::Pipeline => rates.pipeline,
                        LinkKind::Rail => rates.rail,
                        LinkKind::TankerLeg => rates.tanker,
                        // Data: cost is path length, the latency proxy.
                        _ => 100.0,
                    };
                    per100 * l.length_km() / 100.0
                }
            })
            .collect();
        let transit = net
            .links
            .iter()
            .map(|l| l.transit_days().map_or(0, |d| (d.round() as usize).max(1)))
            .collect();
        // Shortest km from any field, over operating oil links (Bellman–Ford; tiny graph).
        let mut km = vec![f64::INFINITY; net.nodes.len()];
        for (i, n) in net.nodes.iter().enumerate() {
            if n.production.is_some() {
                km[i] = 0.0;
            }
        }
        for _ in 0..net.nodes.len() {
            for l in &net.links {
                if l.layer() == Layer::Oil && km[l.from.0] + l.length_km() < km[l.to.0] {
                    km[l.to.0] = km[l.from.0] + l.length_km();
                }
            }
        }
        let store_km = net
            .stores
            .iter()
            .map(|s| {
                if km[s.node.0].is_finite() {
                    km[s.node.0]
                } else {
                    0.0
                }
            })
            .collect();
        Layout {
            net,
            n: net.nodes.len(),
            cost,
            transit,
            store_km,
            oil_routes: net
                .routes
                .iter()
                .filter(|r| r.layer == Layer::Oil)
                .collect(),
        }
    }

    fn capacity(&self, a: AssetRef) -> Option<f64> {
        if self.net.asset_status(a) == Status::Planned {
            return Some(0.0);
        }
        match a {
            AssetRef::Node(n) => self.net.node(n).capacity.as_ref().map(|c| c.available()),
            AssetRef::Link(l) => Some(self.net.link(l).capacity.available()),
        }
    }
}

/// The state carried from day to day.
struct State {
    store: Vec<f64>,
    /// Per link: cargo loaded on past days, oldest first (tanker legs only).
    sea: Vec<VecDeque<f64>>,
    /// Per link: cargo waiting to discharge.
    backlog: Vec<f64>,
    /// Per dependency: consecutive days its `on` asset has been down.
    down_run: Vec<u32>,
}

/// Capacity factor of every asset (nodes first, then links) on day `t`.
fn factors(
    net: &Network,
    sc: &Scenario,
    t: i64,
    with_events: bool,
    down_run: &mut [u32],
) -> Vec<f64> {
    let mut f = vec![1.0; net.nodes.len() + net.links.len()];
    if !with_events {
        return f;
    }
    for e in &sc.events {
        if let Effect::Capacity(assets) = &e.effect {
            for (a, frac) in assets {
                let i = asset_index(net, *a);
                f[i] = f[i].min(e.window.fraction_on(t, *frac));
            }
        }
    }
    // Dependencies in declaration order (network files first, then the scenario), so a chain
    // declared in order propagates the same day.
    for (d, run) in net
        .dependencies
        .iter()
        .chain(&sc.dependencies)
        .zip(down_run.iter_mut())
    {
        if f[asset_index(net, d.on)] < d.down_below {
            *run += 1;
        } else {
            *run = 0;
        }
        if *run > d.grace_days {
            let i = asset_index(net, d.dependent);
            f[i] = f[i].min(d.fraction);
        }
    }
    f
}

fn production(net: &Network, sc: &Scenario, t: i64, with_events: bool) -> Vec<f64> {
    let mut p: Vec<f64> = net
        .nodes
        .iter()
        .map(|n| {
            if n.status == Status::Planned {
                0.0
            } else {
                n.production.as_ref().map_or(0.0, |f| f.value)
            }
        })
        .collect();
    for (ix, s) in &sc.production {
        p[ix.0] = s.on(t);
    }
    if with_events {
        // Production events multiply (a shut-in and a later ramp-up above 1 can overlap).
        let mut factor = vec![1.0f64; p.len()];
        for e in &sc.events {
            if let Effect::Production { field, fraction } = &e.effect {
                factor[field.0] *= e.window.fraction_on(t, *fraction);
            }
        }
        for (x, f) in p.iter_mut().zip(factor) {
            *x *= f;
        }
    }
    p
}

/// What one day's allocation says, read from the two phases' flows.
#[derive(Debug, Clone)]
struct Readout {
    link_flow: Vec<f64>,
    loaded: Vec<f64>,
    discharged: Vec<f64>,
    waiting: Vec<f64>,
    inject: Vec<f64>,
    drain: Vec<f64>,
    curtailed: f64,
    exports: f64,
    route_exports: Vec<f64>,
    russia: f64,
}

fn read_allocation(
    net: &Network,
    lay: &Layout<'_>,
    totals_only: bool,
    phases: [(&Graph, &[f64]); 2],
    s_v: usize,
    t_v: usize,
) -> Readout {
    let links = net.links.len();
    // ---- Read the allocation.
    let mut link_flow = vec![0.0; links];
    let mut loaded = vec![0.0; links];
    let mut discharged = vec![0.0; links];
    let mut waiting = vec![0.0; links];
    let mut inject = vec![0.0; net.stores.len()];
    let mut drain = vec![0.0; net.stores.len()];
    let (mut curtailed, mut exports) = (0.0, 0.0);
    for (g, fl) in phases {
        for (a, x) in g.arcs.iter().zip(fl.iter()) {
            match a.4 {
                Tag::Link(j) => link_flow[j] += x,
                Tag::Sea(j) => {
                    link_flow[j] += x;
                    loaded[j] += x;
                }
                Tag::Discharge(j) => discharged[j] += x,
                Tag::Wait(j) => waiting[j] += x,
                Tag::Store(k) => inject[k] += x,
                Tag::Drain(k) => drain[k] += x,
                Tag::Curtail => curtailed += x,
                Tag::Export => exports += x,
                _ => {}
            }
        }
    }
    // Exports by route and through Russia.
    let split: &[(&Graph, &[f64])] = if totals_only { &[] } else { &phases };
    let mut route_exports = vec![0.0; lay.oil_routes.len() + 1];
    let mut russia = 0.0;
    for &(g, fl) in split {
        for (path, x) in g.paths(fl, s_v, t_v) {
            if !matches!(path.last().map(|k| g.arcs[*k].4), Some(Tag::Export)) {
                continue;
            }
            let mut plinks = Vec::new();
            let mut via_ru = false;
            for &k in &path {
                match g.arcs[k].4 {
                    Tag::Link(j) | Tag::Arrival(j) => plinks.push(LinkIx(j)),
                    // Markets are destinations, not transit.
                    Tag::Node(i) => via_ru |= !net.nodes[i].sink && net.nodes[i].country == "RU",
                    _ => {}
                }
            }
            via_ru |= plinks
                .iter()
                .any(|l| net.asset_in_country(AssetRef::Link(*l), "RU"));
            match attribute(&lay.oil_routes, &plinks) {
                Some(r) => route_exports[r] += x,
                None => *route_exports.last_mut().unwrap_or(&mut 0.0) += x,
            }
            if via_ru {
                russia += x;
            }
        }
    }

    Readout {
        link_flow,
        loaded,
        discharged,
        waiting,
        inject,
        drain,
        curtailed,
        exports,
        route_exports,
        russia,
    }
}

/// Runs the scenario (or its baseline) over the horizon.
pub fn simulate(net: &Network, sc: &Scenario, cfg: SimConfig) -> SimResult {
    let lay = Layout::new(net, sc);
    let n = lay.n;
    let links = net.links.len();
    // A node gets separate in and out vertices, joined by an arc, only if its throughput can be
    // limited: it has a capacity, is planned, or an event or dependency can hit it. Other nodes
    // are a single vertex, which keeps the daily graphs small.
    let mut split = vec![false; n];
    for (i, node) in net.nodes.iter().enumerate() {
        split[i] = node.capacity.is_some() || node.status == Status::Planned;
    }
    for e in &sc.events {
        if let Effect::Capacity(assets) = &e.effect {
            for (a, _) in assets {
                if let AssetRef::Node(ix) = a {
                    split[ix.0] = true;
                }
            }
        }
    }
    for d in net.dependencies.iter().chain(&sc.dependencies) {
        if let AssetRef::Node(ix) = d.dependent {
            split[ix.0] = true;
        }
    }
    let (mut iv, mut ov) = (vec![0usize; n], vec![0usize; n]);
    let mut next = 0;
    for i in 0..n {
        iv[i] = next;
        ov[i] = if split[i] { next + 1 } else { next };
        next = ov[i] + 1;
    }
    let (s_v, t_v) = (next, next + 1);
    let field_v = |i: usize| next + 2 + i;
    let arrival_v = |j: usize| next + 2 + n + j;
    let vertices = next + 2 + n + links;

    let mut st = State {
        store: net.stores.iter().map(|s| s.initial_kt.value).collect(),
        sea: vec![VecDeque::new(); links],
        backlog: vec![0.0; links],
        down_run: vec![0; net.dependencies.len() + sc.dependencies.len()],
    };
    let working: Vec<f64> = st.store.clone();
    let mut hit = vec![false; n + links];
    let mut days = Vec::with_capacity(sc.horizon_days as usize);
    let mut last_key: Option<Vec<f64>> = None;
    let mut last_readout: Option<Readout> = None;
    let mut last_slack: Option<Vec<(usize, f64)>> = None;
    let mut last_data: Option<(Vec<f64>, (f64, f64))> = None;
    let (mut oil_solves, mut data_solves) = (0, 0);
    let mut initial_at_sea = 0.0;

    // Data demand does not change from day to day.
    let demand: Vec<f64> = net
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
    // Buffers reused from day to day.
    let mut g1 = Graph {
        vertices,
        arcs: Vec::with_capacity(4 * (n + links)),
    };
    let mut gd = Graph {
        vertices,
        arcs: Vec::with_capacity(4 * (n + links)),
    };
    let mut key: Vec<f64> = Vec::with_capacity(8 * (n + links));
    let mut dkey: Vec<f64> = Vec::with_capacity(4 * (n + links));
    let mut drainable: Vec<f64> = Vec::with_capacity(net.stores.len());
    // Raw inputs of the previous day and of today (see `inputs_same`).
    let mut fp: Vec<f64> = Vec::with_capacity(4 * (n + links));
    let mut prev_fp: Vec<f64> = Vec::new();
    for day in 0..=sc.horizon_days as i64 {
        // Day −1 (index 0 of the loop) is a warm-up on intact capacities that fills the tanker
        // pipelines at their steady loadings; it is not reported.
        let t = day - 1;
        let warm_up = t < 0;
        let f = factors(net, sc, t, cfg.with_events && !warm_up, &mut st.down_run);
        for (h, x) in hit.iter_mut().zip(&f) {
            *h |= *x < 1.0 && !warm_up;
        }
        let prod = production(net, sc, t.max(0), cfg.with_events && !warm_up);
        let cap_of = |a: AssetRef| lay.capacity(a).map(|c| c * f[asset_index(net, a)]);

        // Days whose raw inputs equal the previous day's (capacity factors, production, tank
        // levels, cargo arriving or waiting) have the same key, so the graphs need not be
        // rebuilt: the last allocation stands.
        fp.clear();
        fp.extend(&f);
        fp.extend(&prod);
        fp.extend(&st.store);
        for j in 0..links {
            fp.push(st.sea[j].front().copied().unwrap_or(0.0));
            fp.push(st.backlog[j]);
        }
        let inputs_same = !cfg.every_day && last_key.is_some() && fp == prev_fp;
        let factors_same =
            !cfg.every_day && f.len() <= prev_fp.len() && f[..] == prev_fp[..f.len()];
        std::mem::swap(&mut fp, &mut prev_fp);

        // ---- Oil: build the phase-1 graph.
        if !inputs_same {
            g1.arcs.clear();
            key.clear();
            let total_supply: f64 = prod.iter().sum::<f64>()
                + (0..links)
                    .map(|j| st.sea[j].front().copied().unwrap_or(0.0) + st.backlog[j])
                    .sum::<f64>();
            for (i, node) in net.nodes.iter().enumerate() {
                if node.layer() != Layer::Oil {
                    continue;
                }
                // A node with no capacity figure is unlimited unless an event takes it out.
                let cap = cap_of(AssetRef::Node(NodeIx(i))).unwrap_or(UNBOUNDED * f[i]);
                if split[i] {
                    g1.arc(iv[i], ov[i], cap, 0.0, Tag::Node(i));
                }
                if node.sink {
                    g1.arc(ov[i], t_v, UNBOUNDED, -REWARD, Tag::Export);
                    for r in &node.reached_from {
                        g1.arc(ov[r.0], iv[i], UNBOUNDED, 0.0, Tag::Reach);
                    }
                }
                if prod[i] > 0.0 {
                    g1.arc(s_v, field_v(i), prod[i], 0.0, Tag::Supply(i));
                    g1.arc(field_v(i), iv[i], UNBOUNDED, 0.0, Tag::Field(i));
                    g1.arc(field_v(i), t_v, UNBOUNDED, CURTAIL, Tag::Curtail);
                }
            }
            for (j, l) in net.links.iter().enumerate() {
                if l.layer() != Layer::Oil {
                    continue;
                }
                let cap = cap_of(AssetRef::Link(LinkIx(j))).unwrap_or(0.0);
                if l.kind == LinkKind::TankerLeg {
                    let load_cap = (cap - st.backlog[j]).max(0.0);
                    g1.arc(
                        ov[l.from.0],
                        t_v,
                        load_cap,
                        lay.cost[j] - REWARD,
                        Tag::Sea(j),
                    );
                    let incoming = st.sea[j].front().copied().unwrap_or(0.0) + st.backlog[j];
                    if incoming > 0.0 {
                        g1.arc(s_v, arrival_v(j), incoming, 0.0, Tag::Arrival(j));
                        g1.arc(arrival_v(j), iv[l.to.0], UNBOUNDED, 0.0, Tag::Discharge(j));
                        g1.arc(arrival_v(j), t_v, UNBOUNDED, WAIT, Tag::Wait(j));
                    }
                } else {
                    g1.arc(ov[l.from.0], iv[l.to.0], cap, lay.cost[j], Tag::Link(j));
                }
            }
            for (k, s) in net.stores.iter().enumerate() {
                let free = (s.capacity_kt.value - st.store[k])
                    .max(0.0)
                    .min(total_supply);
                g1.arc(
                    iv[s.node.0],
                    t_v,
                    free,
                    STORE_BASE - STORE_KM_BONUS * lay.store_km[k],
                    Tag::Store(k),
                );
            }
            key.extend(g1.arcs.iter().map(|a| a.2));
            // Phase-2 inputs: drainable stock, clipped to what the node could pass on in a day.
            drainable = net
                .stores
                .iter()
                .enumerate()
                .map(|(k, s)| {
                    let above = (st.store[k] - working[k]).max(0.0);
                    let out: f64 = match cap_of(AssetRef::Node(s.node)) {
                        Some(c) => c,
                        None => net
                            .links
                            .iter()
                            .enumerate()
                            .filter(|(_, l)| l.from == s.node)
                            .map(|(j, _)| cap_of(AssetRef::Link(LinkIx(j))).unwrap_or(0.0))
                            .sum(),
                    };
                    above.min(out)
                })
                .collect();
            key.extend(&drainable);
            // A tank farm's bound that did not bind at the last solve, and still exceeds the flow
            // that solve put through it, cannot change the allocation: arcs from the source or into
            // the sink are never cancelled by later augmentations, and a non-bottleneck arc does
            // not change any push. Such a bound keeps its old key entry, so a filling or draining
            // tank farm does not force a re-solve every day (and results stay bit-identical).
            if let (Some(prev), Some(slack)) = (last_key.as_ref(), last_slack.as_ref())
                && prev.len() == key.len()
            {
                for &(pos, flow) in slack {
                    if key[pos] >= flow + SLACK_MARGIN {
                        key[pos] = prev[pos];
                    }
                }
            }
        }
        let reuse = inputs_same || (!cfg.every_day && last_key.as_ref() == Some(&key));
        if !reuse {
            let flows1 = g1.solve(s_v, t_v);
            // Phase 2 on the capacity left spare; nothing to do when no tank farm holds crude
            // above its working level.
            let mut g2 = Graph {
                vertices,
                arcs: Vec::new(),
            };
            if drainable.iter().any(|d| *d > 0.0) {
                for ((u, v, cap, cost, tag), fl) in g1.arcs.iter().zip(&flows1) {
                    match tag {
                        Tag::Node(_) | Tag::Link(_) | Tag::Sea(_) => {
                            g2.arc(*u, *v, (cap - fl).max(0.0), *cost, *tag)
                        }
                        Tag::Export | Tag::Reach => g2.arc(*u, *v, *cap, *cost, *tag),
                        _ => {}
                    }
                }
                for (k, s) in net.stores.iter().enumerate() {
                    if drainable[k] > 0.0 {
                        g2.arc(s_v, iv[s.node.0], drainable[k], 0.0, Tag::Drain(k));
                    }
                }
            }
            let flows2 = if g2.arcs.is_empty() {
                Vec::new()
            } else {
                g2.solve(s_v, t_v)
            };
            last_readout = Some(read_allocation(
                net,
                &lay,
                cfg.totals_only,
                [(&g1, &flows1), (&g2, &flows2)],
                s_v,
                t_v,
            ));
            match last_key.as_mut() {
                Some(k) => k.clone_from(&key),
                None => last_key = Some(key.clone()),
            }
            // Storage bounds that did not bind: (key position, flow through it).
            let ro = last_readout.as_ref().expect("just solved");
            let mut slack = Vec::new();
            for (pos, a) in g1.arcs.iter().enumerate() {
                if let Tag::Store(k) = a.4
                    && ro.inject[k] + SLACK_MARGIN < a.2
                {
                    slack.push((pos, ro.inject[k]));
                }
            }
            for (k, d) in drainable.iter().enumerate() {
                if ro.drain[k] + SLACK_MARGIN < *d {
                    slack.push((g1.arcs.len() + k, ro.drain[k]));
                }
            }
            last_slack = Some(slack);
            if !warm_up {
                oil_solves += 1;
            }
        }
        let Some(ro) = last_readout.as_ref() else {
            unreachable!("solved above")
        };
        let mut link_flow = ro.link_flow.clone();

        // ---- Advance the state.
        for k in 0..net.stores.len() {
            st.store[k] += ro.inject[k] - ro.drain[k];
        }
        for j in 0..links {
            if lay.transit[j] == 0 {
                continue;
            }
            if warm_up {
                st.sea[j] = std::iter::repeat_n(ro.loaded[j], lay.transit[j]).collect();
                continue;
            }
            st.sea[j].pop_front();
            st.sea[j].push_back(ro.loaded[j]);
            st.backlog[j] = ro.waiting[j];
            debug_assert!(ro.discharged[j] >= 0.0);
        }
        let at_sea: f64 = st.sea.iter().map(|q| q.iter().sum::<f64>()).sum::<f64>()
            + st.backlog.iter().sum::<f64>();
        if warm_up {
            initial_at_sea = at_sea;
            // The warm-up leaves stores as they were.
            st.store.clone_from(&working);
            st.down_run.iter_mut().for_each(|r| *r = 0);
            last_key = None;
            last_slack = None;
            continue;
        }

        // ---- Data layer (its inputs are the capacity factors and the constant demand).
        let data_same = factors_same && last_data.is_some();
        if !data_same {
            gd.arcs.clear();

            for (i, node) in net.nodes.iter().enumerate() {
                if node.layer() != Layer::Data {
                    continue;
                }
                let cap = cap_of(AssetRef::Node(NodeIx(i))).unwrap_or(UNBOUNDED * f[i]);
                if split[i] {
                    gd.arc(iv[i], ov[i], cap, 0.0, Tag::Node(i));
                }
                if node.sink {
                    gd.arc(ov[i], t_v, UNBOUNDED, -REWARD, Tag::Export);
                }
                if demand[i] > 0.0 {
                    gd.arc(s_v, field_v(i), demand[i], 0.0, Tag::Supply(i));
                    gd.arc(field_v(i), iv[i], UNBOUNDED, 0.0, Tag::Field(i));
                    gd.arc(field_v(i), t_v, UNBOUNDED, CURTAIL, Tag::Curtail);
                }
            }
            for (j, l) in net.links.iter().enumerate() {
                if l.layer() == Layer::Data {
                    let cap = cap_of(AssetRef::Link(LinkIx(j))).unwrap_or(0.0);
                    gd.arc(ov[l.from.0], iv[l.to.0], cap, l.length_km(), Tag::Link(j));
                }
            }
            dkey.clear();
            dkey.extend(gd.arcs.iter().map(|a| a.2));
        }
        let (dflows, (served, latency)) = match &last_data {
            Some((k, r)) if data_same || (!cfg.every_day && *k == dkey) => (None, *r),
            _ => {
                let fl = gd.solve(s_v, t_v);
                data_solves += 1;
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
                    gd.paths(&fl, s_v, t_v)
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
                last_data = Some((dkey.clone(), (served, lat)));
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
                if let Some(prev) = days.last() {
                    let prev: &Day = prev;
                    for (j, l) in net.links.iter().enumerate() {
                        if l.layer() == Layer::Data {
                            link_flow[j] = prev.link_flow[j];
                        }
                    }
                }
            }
        }

        days.push(Day {
            t,
            production_kt: prod
                .iter()
                .enumerate()
                .filter(|(i, _)| net.nodes[*i].layer() == Layer::Oil)
                .map(|(_, p)| p)
                .sum(),
            curtailed_kt: ro.curtailed,
            exports_kt: ro.exports,
            route_exports_kt: ro.route_exports.clone(),
            russia_exports_kt: ro.russia,
            link_flow,
            store_kt: st.store.clone(),
            at_sea_kt: at_sea,
            data_demand_gbps: demand.iter().sum(),
            data_served_gbps: served,
            data_latency_ms: latency,
            solved: !reuse,
        });
    }
    SimResult {
        days,
        routes: lay.oil_routes.iter().map(|r| r.id.clone()).collect(),
        oil_solves,
        data_solves,
        assets_hit: (0..n + links)
            .filter(|&i| hit[i])
            .map(|i| {
                if i < n {
                    AssetRef::Node(NodeIx(i))
                } else {
                    AssetRef::Link(LinkIx(i - n))
                }
            })
            .collect(),
        initial_at_sea_kt: initial_at_sea,
        initial_store_kt: working,
    }
}
