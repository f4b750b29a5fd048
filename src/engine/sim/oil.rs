//! The oil layer of a day: the phase-1 graph (production and arrivals placed, in cost tiers),
//! phase 2 (stock above working levels drained into spare capacity), the re-solve key, and the
//! readout of the allocation.

use super::layout::Layout;
use super::nominate::Plan;
use super::{Graph, REWARD, SLACK_MARGIN, STORE_BASE, STORE_KM_BONUS, SimConfig, State, Tag, WAIT};
use crate::engine::flow::UNBOUNDED;
use crate::engine::indicators::attribute;
use crate::model::{AssetRef, Layer, LinkIx, LinkKind, Network, NodeIx};

/// The oil allocation carried from day to day: the graph and key of the last solve, and its
/// readout.
pub(super) struct Oil {
    g1: Graph,
    key: Vec<f64>,
    drainable: Vec<f64>,
    /// Per tank farm: the part of `drainable` below its working level (bridging a shortfall).
    bridge: Vec<f64>,
    /// Per phase-1 arc: its capacity in phase 2 before the phase-1 flow is taken off (a gate of
    /// a nominated route opens to its full capacity for stock; other arcs keep their cap).
    cap2: Vec<f64>,
    last_key: Option<Vec<f64>>,
    last_readout: Option<Readout>,
    last_slack: Option<Vec<(usize, f64)>>,
    /// The capacity factors the onward capacities were computed for, and per node the onward
    /// capacity of a tanker destination (kt/day; 0 for other nodes).
    onward_f: Vec<f64>,
    onward: Vec<f64>,
    /// Per link: the gate cap the onward capacities were computed for (∞ for a link that is
    /// not a gate).
    onward_gates: Vec<f64>,
    /// Days solved (two phases count as one), warm-up excluded.
    pub(super) solves: usize,
}

impl Oil {
    pub(super) fn new(lay: &Layout<'_>) -> Self {
        let size = lay.n + lay.net.links.len();
        Oil {
            g1: Graph {
                vertices: lay.v.count,
                arcs: Vec::with_capacity(4 * size),
            },
            key: Vec::with_capacity(8 * size),
            drainable: Vec::with_capacity(lay.net.stores.len()),
            bridge: Vec::with_capacity(lay.net.stores.len()),
            cap2: Vec::new(),
            last_key: None,
            last_readout: None,
            last_slack: None,
            onward_f: Vec::new(),
            onward: vec![0.0; lay.n],
            onward_gates: Vec::new(),
            solves: 0,
        }
    }

    /// Whether a day has been solved since the last [`Oil::forget`].
    pub(super) fn has_solved(&self) -> bool {
        self.last_key.is_some()
    }

    /// Forgets the last solve's key (after the warm-up), so the next day is solved.
    pub(super) fn forget(&mut self) {
        self.last_key = None;
        self.last_slack = None;
    }

    /// The allocation of the last day.
    pub(super) fn readout(&self) -> &Readout {
        match self.last_readout.as_ref() {
            Some(r) => r,
            None => unreachable!("a day is solved before it is read"),
        }
    }

    /// Allocates the day's oil under capacity factors `f` and production `prod`, re-solving
    /// only when its inputs changed (`inputs_same`: the raw inputs equal the previous day's).
    /// Returns whether the last allocation was reused.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn day(
        &mut self,
        lay: &Layout<'_>,
        plan: &Plan,
        st: &State,
        (f, prod, short): (&[f64], &[f64], &[f64]),
        inputs_same: bool,
        cfg: SimConfig,
        warm_up: bool,
    ) -> bool {
        if !inputs_same {
            self.build(lay, plan, st, (f, prod, short));
        }
        let reuse = inputs_same || (!cfg.every_day && self.last_key.as_ref() == Some(&self.key));
        if !reuse {
            self.solve(lay, plan, cfg);
            if !warm_up {
                self.solves += 1;
            }
        }
        reuse
    }

    /// Builds the phase-1 graph, the phase-2 inputs and the key of the day.
    fn build(
        &mut self,
        lay: &Layout<'_>,
        plan: &Plan,
        st: &State,
        (f, prod, short): (&[f64], &[f64], &[f64]),
    ) {
        let net = lay.net;
        let v = &lay.v;
        let links = net.links.len();
        let cap_of = |a: AssetRef| lay.capacity_on(f, a);
        let g1 = &mut self.g1;
        g1.arcs.clear();
        self.key.clear();
        let mut gate2 = Vec::new();
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
            if v.split[i] {
                g1.arc(v.iv[i], v.ov[i], cap, 0.0, Tag::Node(i));
            }
            if node.sink {
                g1.arc(v.ov[i], v.t, UNBOUNDED, -REWARD, Tag::Export);
                for r in &node.reached_from {
                    g1.arc(v.ov[r.0], v.iv[i], UNBOUNDED, 0.0, Tag::Reach);
                }
            }
            if prod[i] > 0.0 {
                g1.supply(v, i, prod[i]);
            }
        }
        for (j, l) in net.links.iter().enumerate() {
            if l.layer() != Layer::Oil {
                continue;
            }
            let cap = cap_of(AssetRef::Link(LinkIx(j))).unwrap_or(0.0);
            if l.kind == LinkKind::TankerLeg {
                // Loaded for the destination: what its onward lines can take (below).
                let to = v.dest[l.to.0].unwrap_or(v.t);
                plan.link_arcs(
                    g1,
                    &mut gate2,
                    j,
                    (v.ov[l.from.0], to),
                    (cap - st.backlog[j]).max(0.0),
                    lay.cost[j] - REWARD,
                    Tag::Sea(j),
                );
                let incoming = st.sea[j].front().copied().unwrap_or(0.0) + st.backlog[j];
                if incoming > 0.0 {
                    g1.arc(v.s, v.arrival(j), incoming, 0.0, Tag::Arrival(j));
                    g1.arc(
                        v.arrival(j),
                        v.iv[l.to.0],
                        UNBOUNDED,
                        0.0,
                        Tag::Discharge(j),
                    );
                    g1.arc(v.arrival(j), v.t, UNBOUNDED, WAIT, Tag::Wait(j));
                }
            } else {
                // Nominated dispatch: a gate passes the day's nominations (and open headroom);
                // an intake's slices ration its field's shippers pro rata.
                let from = match plan.intake_of[j] {
                    Some(k) => {
                        plan.intake_arcs(g1, k, v.ov[l.from.0]);
                        plan.intakes[k].vertex
                    }
                    None => v.ov[l.from.0],
                };
                let ends = (from, v.iv[l.to.0]);
                plan.link_arcs(g1, &mut gate2, j, ends, cap, lay.cost[j], Tag::Link(j));
            }
        }
        // Path-aware loading: the cargo loaded today for a destination is bounded by what the
        // destination can pass on (its onward capacity today, the shippers' view of the
        // delivery day), less the cargo already waiting there to discharge.
        // Recomputed only when a factor of an asset downstream of the destination changed.
        // Under nominated dispatch the onward lines are seen through their gates, so a cargo
        // is loaded only for what the route may take today.
        let n = lay.n;
        let gate = |k: usize| {
            if k >= n {
                plan.link_cap(k - n, f64::INFINITY)
            } else {
                f64::INFINITY
            }
        };
        for d in &lay.destinations {
            let changed = self.onward_f.is_empty()
                || d.downstream.iter().any(|&k| {
                    self.onward_f[k] != f[k] || (k >= n && self.onward_gates[k - n] != gate(k))
                });
            if changed {
                self.onward[d.node] = onward_capacity(lay, plan, f, d.node);
            }
        }
        self.onward_f.clear();
        self.onward_f.extend_from_slice(f);
        self.onward_gates.clear();
        self.onward_gates.extend((0..links).map(|j| gate(n + j)));
        for d in &lay.destinations {
            let waiting: f64 = d.legs.iter().map(|&j| st.backlog[j]).sum();
            let cap = (self.onward[d.node] - waiting).max(0.0);
            self.g1.arc(d.vertex, v.t, cap, 0.0, Tag::Onward(d.node));
        }
        let g1 = &mut self.g1;
        for (k, s) in net.stores.iter().enumerate() {
            // Refill: a tank farm below its working level with no shortfall to bridge today
            // takes the crude that reaches it, before any is exported, up to that level.
            let gap = if short[k] > 0.0 {
                0.0
            } else {
                (lay.working[k] - st.store[k]).max(0.0).min(total_supply)
            };
            if gap > 0.0 {
                g1.arc(
                    v.iv[s.node.0],
                    v.t,
                    gap,
                    -REWARD - STORE_BASE,
                    Tag::Refill(k),
                );
            }
            let free = (s.capacity_kt.value - st.store[k] - gap)
                .max(0.0)
                .min(total_supply);
            g1.arc(
                v.iv[s.node.0],
                v.t,
                free,
                STORE_BASE - STORE_KM_BONUS * lay.store_km[k],
                Tag::Store(k),
            );
        }
        self.key.extend(g1.arcs.iter().map(|a| a.2));
        // Phase-2 caps: an arc's own, but a gate's as `link_arcs` set them.
        self.cap2.clear();
        self.cap2.extend(g1.arcs.iter().map(|a| a.2));
        for (pos, c) in gate2 {
            self.cap2[pos] = c;
        }
        // Phase-2 inputs: drainable stock — all above the working level, and below it down to
        // the minimum as much as the day's shortfall that the stock above does not cover —
        // clipped to what the node could pass on in a day.
        self.drainable.clear();
        self.bridge.clear();
        for (k, s) in net.stores.iter().enumerate() {
            let level = st.store[k];
            let above = (level - lay.working[k]).max(0.0);
            let below = (level.min(lay.working[k]) - s.minimum()).max(0.0);
            let bridge = below.min((short[k] - above).max(0.0));
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
            let total = (above + bridge).min(out);
            self.drainable.push(total);
            self.bridge.push(total - above.min(out));
        }
        self.key.extend(&self.drainable);
        self.key.extend(&self.bridge);
        // A tank farm's bound that did not bind at the last solve, and still exceeds the flow
        // that solve put through it, cannot change the allocation: arcs from the source or into
        // the sink are never cancelled by later augmentations, and a non-bottleneck arc does
        // not change any push. Such a bound keeps its old key entry, so a filling or draining
        // tank farm does not force a re-solve every day (and results stay bit-identical).
        if let (Some(prev), Some(slack)) = (self.last_key.as_ref(), self.last_slack.as_ref())
            && prev.len() == self.key.len()
        {
            for &(pos, flow) in slack {
                if self.key[pos] >= flow + SLACK_MARGIN {
                    self.key[pos] = prev[pos];
                }
            }
        }
    }

    /// Solves phase 1, then phase 2 on the capacity left spare, and reads the allocation.
    fn solve(&mut self, lay: &Layout<'_>, plan: &Plan, cfg: SimConfig) {
        let net = lay.net;
        let v = &lay.v;
        let flows1 = self.g1.solve(v.s, v.t);
        // A shipper was cut: solve again with the intakes sliced, for pro-rata rationing.
        let sliced = if let Some(mask) = plan.to_slice(&self.g1, &flows1) {
            let (g, c2) = plan.slice(&self.g1, &self.cap2, &mask);
            let fl = g.solve(v.s, v.t);
            Some((g, c2, fl))
        } else {
            None
        };
        let (g1, flows1, cap2) = match &sliced {
            Some((g, c2, fl)) => (g, fl, c2),
            None => (&self.g1, &flows1, &self.cap2),
        };
        // Phase 2 on the capacity left spare; nothing to do when no tank farm holds crude
        // above its working level.
        let mut g2 = Graph {
            vertices: v.count,
            arcs: Vec::new(),
        };
        if self.drainable.iter().any(|d| *d > 0.0) {
            for (((u, w, _, cost, tag), fl), cap) in g1.arcs.iter().zip(flows1).zip(cap2) {
                match tag {
                    Tag::Link(_) | Tag::Node(_) | Tag::Sea(_) | Tag::Onward(_) => {
                        g2.arc(*u, *w, (cap - fl).max(0.0), *cost, *tag)
                    }
                    // Stock drains through any intake (the link behind it still binds).
                    Tag::Intake(_, 0) => g2.arc(*u, *w, UNBOUNDED, 0.0, *tag),
                    Tag::Export | Tag::Reach => g2.arc(*u, *w, *cap, *cost, *tag),
                    _ => {}
                }
            }
            for (k, s) in net.stores.iter().enumerate() {
                // Stock above working levels anywhere goes before any bridging below one.
                let bridge = self.bridge[k];
                if self.drainable[k] > bridge {
                    let above = self.drainable[k] - bridge;
                    g2.arc(v.s, v.iv[s.node.0], above, 0.0, Tag::Drain(k));
                }
                if bridge > 0.0 {
                    g2.arc(v.s, v.iv[s.node.0], bridge, STORE_BASE, Tag::Drain(k));
                }
            }
        }
        let flows2 = if g2.arcs.is_empty() {
            Vec::new()
        } else {
            g2.solve(v.s, v.t)
        };
        let ro = read_allocation(
            net,
            lay,
            cfg.totals_only,
            [(g1, flows1), (&g2, &flows2)],
            v.s,
            v.t,
        );
        match self.last_key.as_mut() {
            Some(k) => k.clone_from(&self.key),
            None => self.last_key = Some(self.key.clone()),
        }
        // Storage bounds that did not bind: (key position, flow through it). The key is the
        // unsliced graph's.
        let mut slack = Vec::new();
        for (pos, a) in self.g1.arcs.iter().enumerate() {
            if let Tag::Store(k) = a.4
                && ro.inject[k] + SLACK_MARGIN < a.2
            {
                slack.push((pos, ro.inject[k]));
            }
        }
        for (k, d) in self.drainable.iter().enumerate() {
            if ro.drain[k] + SLACK_MARGIN < *d {
                slack.push((self.g1.arcs.len() + k, ro.drain[k]));
            }
        }
        self.last_slack = Some(slack);
        self.last_readout = Some(ro);
    }
}

/// What one day's allocation says, read from the two phases' flows.
#[derive(Debug, Clone)]
pub(super) struct Readout {
    pub(super) link_flow: Vec<f64>,
    pub(super) loaded: Vec<f64>,
    pub(super) discharged: Vec<f64>,
    pub(super) waiting: Vec<f64>,
    pub(super) inject: Vec<f64>,
    pub(super) drain: Vec<f64>,
    pub(super) curtailed: f64,
    /// Per node: production shut in, kt.
    pub(super) shut: Vec<f64>,
    pub(super) exports: f64,
    pub(super) route_exports: Vec<f64>,
    pub(super) russia: f64,
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
    let mut shut = vec![0.0; net.nodes.len()];
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
                Tag::Store(k) | Tag::Refill(k) => inject[k] += x,
                Tag::Drain(k) => drain[k] += x,
                Tag::Curtail(i) => {
                    curtailed += x;
                    shut[i] += x;
                }
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
        shut,
        exports,
        route_exports,
        russia,
    }
}

/// The most crude node `d` can pass on to the markets in a day under capacity factors `f`,
/// kt/day: a maximum flow from `d` over the oil nodes, pipelines and rail (not tanker legs).
fn onward_capacity(lay: &Layout<'_>, plan: &Plan, f: &[f64], d: usize) -> f64 {
    let net = lay.net;
    let v = &lay.v;
    let cap_of = |a: AssetRef| lay.capacity_on(f, a);
    let mut g = Graph {
        vertices: v.count,
        arcs: Vec::new(),
    };
    g.arc(v.s, v.iv[d], UNBOUNDED, 0.0, Tag::Supply(d));
    for (i, node) in net.nodes.iter().enumerate() {
        if node.layer() != Layer::Oil {
            continue;
        }
        let cap = cap_of(AssetRef::Node(NodeIx(i))).unwrap_or(UNBOUNDED * f[i]);
        if v.split[i] {
            g.arc(v.iv[i], v.ov[i], cap, 0.0, Tag::Node(i));
        }
        if node.sink {
            g.arc(v.ov[i], v.t, UNBOUNDED, 0.0, Tag::Export);
            for r in &node.reached_from {
                g.arc(v.ov[r.0], v.iv[i], UNBOUNDED, 0.0, Tag::Reach);
            }
        }
    }
    for (j, l) in net.links.iter().enumerate() {
        if l.layer() == Layer::Oil && l.kind != LinkKind::TankerLeg {
            let cap = plan.link_cap(j, cap_of(AssetRef::Link(LinkIx(j))).unwrap_or(0.0));
            g.arc(v.ov[l.from.0], v.iv[l.to.0], cap, 0.0, Tag::Link(j));
        }
    }
    g.solve(v.s, v.t)[0]
}
