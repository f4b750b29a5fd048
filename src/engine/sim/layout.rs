//! What the daily loop needs to know once: transport costs, transit days, tank-farm distances,
//! the vertex numbering of the daily graphs; and each day's inputs: capacity factors and
//! production.

use super::nominate::Plan;
use crate::model::{AssetRef, Capacity, Effect, Layer, LinkKind, Network, Route, Scenario, Status};

/// Static facts about the network the daily loop needs.
pub(super) struct Layout<'n> {
    pub(super) net: &'n Network,
    pub(super) n: usize,
    /// Transport cost per link, $/t.
    pub(super) cost: Vec<f64>,
    /// Whole days in transit per tanker leg (0 for other links).
    pub(super) transit: Vec<usize>,
    /// km from the nearest field to each store's node.
    pub(super) store_km: Vec<f64>,
    pub(super) oil_routes: Vec<&'n Route>,
    /// Each store's working level: its initial stock, kt. Stock above it is drained first.
    pub(super) working: Vec<f64>,
    /// Where each node, field and tanker arrival sits in the daily graphs.
    pub(super) v: Vertices,
    /// Capacity factor of every asset (nodes first, then links) before any event: 0 for a
    /// suspended asset, 1 for the others.
    pub(super) base: Vec<f64>,
    /// The destinations of tanker legs, in node order.
    pub(super) destinations: Vec<Destination>,
}

pub(super) fn asset_index(net: &Network, a: AssetRef) -> usize {
    match a {
        AssetRef::Node(n) => n.0,
        AssetRef::Link(l) => net.nodes.len() + l.0,
    }
}

impl<'n> Layout<'n> {
    /// The layout, and the nominated-dispatch plan whose intake vertices it numbers.
    pub(super) fn new(net: &'n Network, sc: &Scenario) -> (Self, Plan) {
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
        let mut v = Vertices::new(net, sc);
        let oil_routes: Vec<&Route> = net
            .routes
            .iter()
            .filter(|r| r.layer == Layer::Oil)
            .collect();
        let plan = Plan::new(net, sc.dispatch, &oil_routes, &mut v);
        let lay = Layout {
            net,
            n: net.nodes.len(),
            cost,
            transit,
            store_km,
            oil_routes,
            working: net.stores.iter().map(|s| s.initial_kt.value).collect(),
            destinations: destinations(net, &v),
            v,
            base: net
                .nodes
                .iter()
                .map(|n| n.status)
                .chain(net.links.iter().map(|l| l.status))
                .map(|s| if s == Status::Suspended { 0.0 } else { 1.0 })
                .collect(),
        };
        (lay, plan)
    }

    /// The capacity of `a` under capacity factors `f` (a planned asset has none), or `None`
    /// when it has no capacity figure.
    /// A factor above 1 (an uprate) is bounded by the asset's [`Capacity::bound`].
    pub(super) fn capacity_on(&self, f: &[f64], a: AssetRef) -> Option<f64> {
        let x = f[asset_index(self.net, a)];
        self.capacity(a).map(|c| {
            if x > 1.0 {
                (c * x).min(self.bound(a))
            } else {
                c * x
            }
        })
    }

    /// The most an uprate can make of `a`'s capacity, kt/day (0 when planned or retired).
    fn bound(&self, a: AssetRef) -> f64 {
        if matches!(self.net.asset_status(a), Status::Planned | Status::Retired) {
            return 0.0;
        }
        match a {
            AssetRef::Node(n) => self
                .net
                .node(n)
                .capacity
                .as_ref()
                .map_or(0.0, Capacity::bound),
            AssetRef::Link(l) => self.net.link(l).capacity.bound(),
        }
    }

    /// Puts the spares of every duty group on standby: of a group's units, the `in_service`
    /// with the most capacity under `f` run (ties to the earlier-listed unit) and the others
    /// get factor 0 for the day. A unit that is out is therefore replaced by a spare where one
    /// is free, and the group never loads faster than its in-service units.
    pub(super) fn duty(&self, f: &mut [f64]) {
        for d in &self.net.duties {
            let mut units: Vec<(f64, usize)> = d
                .units
                .iter()
                .map(|u| {
                    let a = AssetRef::Node(*u);
                    (
                        self.capacity_on(f, a).unwrap_or(0.0),
                        asset_index(self.net, a),
                    )
                })
                .collect();
            // Most capacity first; a stable sort keeps the listed order among equals.
            units.sort_by(|a, b| b.0.total_cmp(&a.0));
            for &(_, i) in &units[d.in_service.min(units.len())..] {
                f[i] = 0.0;
            }
        }
    }

    fn capacity(&self, a: AssetRef) -> Option<f64> {
        // A suspended asset keeps its capacity: its factor (see `base`) holds it at zero until
        // it is reactivated.
        if matches!(self.net.asset_status(a), Status::Planned | Status::Retired) {
            return Some(0.0);
        }
        match a {
            AssetRef::Node(n) => self.net.node(n).capacity.as_ref().map(|c| c.available()),
            AssetRef::Link(l) => Some(self.net.link(l).capacity.available()),
        }
    }
}

/// A node that tanker legs sail to.
pub(super) struct Destination {
    /// The node.
    pub(super) node: usize,
    /// Its vertex in the daily graphs (see [`Vertices::dest`]).
    pub(super) vertex: usize,
    /// The tanker legs into it.
    pub(super) legs: Vec<usize>,
    /// The assets (by [`asset_index`]) on oil paths from it to a market, not through tanker
    /// legs: what its onward capacity depends on. Nodes reachable over pipelines and rail, the
    /// links between them, and the nodes whose `reached_from` names one of them.
    pub(super) downstream: Vec<usize>,
}

/// The tanker destinations of `net`, numbered as in `v`.
fn destinations(net: &Network, v: &Vertices) -> Vec<Destination> {
    let n = net.nodes.len();
    v.dest
        .iter()
        .enumerate()
        .filter_map(|(d, vertex)| vertex.map(|x| (d, x)))
        .map(|(d, vertex)| {
            let mut seen = vec![false; n];
            seen[d] = true;
            let mut stack = vec![d];
            let mut assets = Vec::new();
            while let Some(u) = stack.pop() {
                assets.push(u);
                let mut next: Vec<usize> = Vec::new();
                for (j, l) in net.links.iter().enumerate() {
                    if l.from.0 == u && l.layer() == Layer::Oil && l.kind != LinkKind::TankerLeg {
                        assets.push(n + j);
                        next.push(l.to.0);
                    }
                }
                for (i, node) in net.nodes.iter().enumerate() {
                    if node.reached_from.iter().any(|r| r.0 == u) {
                        next.push(i);
                    }
                }
                for w in next {
                    if !seen[w] {
                        seen[w] = true;
                        stack.push(w);
                    }
                }
            }
            assets.sort_unstable();
            assets.dedup();
            Destination {
                node: d,
                vertex,
                legs: (0..net.links.len())
                    .filter(|&j| net.links[j].kind == LinkKind::TankerLeg && net.links[j].to.0 == d)
                    .collect(),
                downstream: assets,
            }
        })
        .collect()
}

/// Vertex numbering of the daily graphs. A node gets separate in and out vertices, joined by an
/// arc, only if its throughput can be limited: it has a capacity, is planned, or an event or
/// dependency can hit it. Other nodes are a single vertex, which keeps the daily graphs small.
pub(super) struct Vertices {
    /// Per node: whether it has in and out vertices.
    pub(super) split: Vec<bool>,
    /// Per node: its in and out vertex (the same when not split).
    pub(super) iv: Vec<usize>,
    pub(super) ov: Vec<usize>,
    /// Source and sink.
    pub(super) s: usize,
    pub(super) t: usize,
    nodes: usize,
    /// Per node: the vertex through which tanker legs into it load (a destination of some
    /// tanker leg), so loading sees the destination's onward capacity.
    pub(super) dest: Vec<Option<usize>>,
    /// Every vertex.
    pub(super) count: usize,
}

impl Vertices {
    fn new(net: &Network, sc: &Scenario) -> Self {
        let n = net.nodes.len();
        let links = net.links.len();
        let mut split = vec![false; n];
        for (i, node) in net.nodes.iter().enumerate() {
            split[i] = node.capacity.is_some() || node.status != Status::Operating;
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
        let mut dest = vec![None; n];
        let mut count = next + 2 + n + links;
        for l in &net.links {
            if l.kind == LinkKind::TankerLeg && dest[l.to.0].is_none() {
                dest[l.to.0] = Some(count);
                count += 1;
            }
        }
        Vertices {
            split,
            iv,
            ov,
            s: next,
            t: next + 1,
            nodes: n,
            dest,
            count,
        }
    }

    /// The supply vertex of node `i` (a field, or a data demand).
    pub(super) fn field(&self, i: usize) -> usize {
        self.t + 1 + i
    }

    /// The arrival vertex of tanker leg `j`.
    pub(super) fn arrival(&self, j: usize) -> usize {
        self.t + 1 + self.nodes + j
    }
}

/// Capacity factor of every asset (nodes first, then links) on day `t`.
pub(super) fn factors(
    net: &Network,
    sc: &Scenario,
    base: &[f64],
    t: i64,
    with_events: bool,
    down_run: &mut [u32],
) -> Vec<f64> {
    let mut f = base.to_vec();
    for (a, day, x) in &sc.vintage_steps {
        if t >= *day {
            let i = asset_index(net, *a);
            f[i] = f[i].min(*x);
        }
    }
    if !with_events {
        return f;
    }
    // Reactivations first (they lift a suspended asset from zero), then the disruptions.
    for e in &sc.events {
        if let Effect::Reactivate(assets) = &e.effect {
            for a in assets {
                let i = asset_index(net, *a);
                f[i] = f[i].max(e.window.reactivated(t));
            }
        }
    }
    // Derates (fraction ≤ 1) take the lowest; uprates (> 1) the highest, and multiply.
    let mut up = vec![1.0f64; f.len()];
    for e in &sc.events {
        if let Effect::Capacity(assets) = &e.effect {
            for (a, frac) in assets {
                let i = asset_index(net, *a);
                let x = e.window.fraction_on(t, *frac);
                if *frac > 1.0 {
                    up[i] = up[i].max(x);
                } else {
                    f[i] = f[i].min(x);
                }
            }
        }
    }
    for (x, u) in f.iter_mut().zip(&up) {
        *x *= u;
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

/// Per node × destination group (node-major; one group without `[[traffic.destination]]`)
/// on day `t`: the share of its international traffic that government-ordered shutdowns
/// allow (1 without one; overlapping shutdowns take the lowest). A mobile-only shutdown to
/// fraction x allows 1 − m·(1 − x), m the network's mobile share of traffic.
pub(super) fn allowed(net: &Network, sc: &Scenario, t: i64, with_events: bool) -> Vec<f64> {
    let groups = net.destinations.len().max(1);
    let mut a = vec![1.0f64; net.nodes.len() * groups];
    if !with_events {
        return a;
    }
    for e in &sc.events {
        if let Effect::Shutdown {
            sources,
            fraction,
            destination,
            mobile,
        } = &e.effect
        {
            let mut x = e.window.fraction_on(t, *fraction);
            if *mobile {
                // Fixed networks carry on: only the mobile share is cut.
                let m = net.data_mobile_share.unwrap_or(0.0);
                x = 1.0 - m * (1.0 - x);
            }
            let nodes: Vec<usize> = if sources.is_empty() {
                (0..net.nodes.len()).collect()
            } else {
                sources.iter().map(|n| n.0).collect()
            };
            for i in nodes {
                for g in 0..groups {
                    if destination.is_none_or(|d| d == g) {
                        let v = &mut a[i * groups + g];
                        *v = v.min(x);
                    }
                }
            }
        }
    }
    a
}

/// Oil produced at each node on day `t` (production events applied when `with_events`), kt.
pub(super) fn production(net: &Network, sc: &Scenario, t: i64, with_events: bool) -> Vec<f64> {
    let mut p: Vec<f64> = net
        .nodes
        .iter()
        .map(|n| {
            if n.status != Status::Operating {
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
