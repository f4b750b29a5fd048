//! Nominated dispatch: each field's crude follows its shippers' nominated routes; a shared
//! bottleneck cuts the shippers pro rata; a disrupted route opens the others' emergency
//! headroom after their lead time and ramp.
//!
//! # The rule
//!
//! - **Nominations.** A field's output is split over its nominated routes in proportion to the
//!   nominated volumes (`[[nomination]]`): `d(f, r) = output(f) × volume(f, r) / Σ volume(f, ·)`.
//! - **Intakes.** Every link out of a nominated field is an *intake*. Normally an intake takes at
//!   most the nominations that enter their routes through it. When a day's solve leaves some
//!   intake short (a bottleneck downstream binds), the day is solved again with every intake
//!   cut into [`STEPS`] equal slices whose cost rises slice by slice, so the flow fills the
//!   first slice of every intake before the second of any: every shipper behind the bottleneck
//!   is cut by the same fraction of its nomination (pro rata, to within one slice, 1/`STEPS`
//!   of the nomination), not by transport cost. Days without a cut need no slices.
//! - **Gates.** A route's *gate* is its first single-link stage that no other route in service
//!   uses, at or after the stage where every nominating field enters it. Normally it passes the
//!   route's nominations and no more (nothing on a route no field nominates). A route without a
//!   gate is held by its fields' intakes alone.
//! - **Headroom.** A route is *disrupted* on a day when its own capacity that day (a maximum flow
//!   over its links and nodes, duty groups applied) is below its nominated volume and below its
//!   normal capacity that day (the same flow without the scenario's events): a route nominated
//!   above what it can carry is short every day, which is not a disruption. From the first
//!   day of a disruption until the first day no route is disrupted, every route with `headroom`
//!   data opens the capacity above its nominations: none for its lead time, then a linear ramp
//!   (`k / ramp` of it on the `k`-th day after the lead time) to its full capacity. The intakes
//!   that lead to such a route open alike. When no route is disrupted the headroom closes at once
//!   and shippers return to their nominations. A gate's open headroom costs [`STEP_COST`] per kt
//!   more than its nominations, so crude from an intake shared by several routes fills every
//!   route's nominations before any headroom: an undisrupted route keeps its shippers.
//! - **Stock.** Crude stored above a tank farm's working level drains (phase 2) through any
//!   intake, through the gates of routes that carry nominations up to their full capacity, and
//!   through other gates up to their day's cap.

use super::layout::Vertices;
use super::{Graph, Tag};
use crate::engine::flow::UNBOUNDED;
use crate::model::{AssetRef, Dispatch, Layer, LinkIx, LinkKind, Network, NodeIx, Route, Status};

/// Slices per intake (pro-rata resolution: 1/`STEPS` of a nomination).
pub(super) const STEPS: usize = 10;
/// Cost step between slices, per kt. Above any difference in transport cost between two
/// routes, and far below the storage tier.
pub(super) const STEP_COST: f64 = 500.0;

/// One field's nomination on one route.
struct Nom {
    field: usize,
    /// Index into the oil routes.
    route: usize,
    share: f64,
    /// Index into [`Plan::intakes`].
    intake: usize,
    /// The first tank farm on its way: at the field, else where the field enters the route (the
    /// start of that stage), else at the end of the earliest stage from there. It bridges the
    /// field's shortfall.
    store: Option<usize>,
}

/// A link out of a nominated field.
pub(super) struct Intake {
    pub(super) link: usize,
    /// The vertex between the slices and the link.
    pub(super) vertex: usize,
    /// Oil routes entered through it.
    routes: Vec<usize>,
}

/// A route's gate link.
struct Gate {
    link: usize,
    route: usize,
}

/// What nominated dispatch knows once, and its state from day to day.
pub(super) struct Plan {
    /// Whether the run uses nominated dispatch (and the network nominates anything).
    pub(super) on: bool,
    noms: Vec<Nom>,
    pub(super) intakes: Vec<Intake>,
    /// Per link: its index in `intakes`.
    pub(super) intake_of: Vec<Option<usize>>,
    gates: Vec<Gate>,
    /// Per link: its index in `gates`.
    gate_of: Vec<Option<usize>>,
    /// Per oil route: lead and ramp days of its headroom.
    headroom: Vec<Option<(i64, i64)>>,
    /// Per oil route: its links and the nodes they end at.
    route_assets: Vec<(Vec<usize>, Vec<usize>)>,
    /// Per oil route: which routes share a link or an end node with it (itself included).
    neighbours: Vec<Vec<bool>>,
    /// First day of the current disruption.
    episode: Option<i64>,
    /// Each route's own capacity under the day's factors, and under its normal factors (the
    /// day's factors without events).
    route_cap: RouteCaps,
    norm_cap: RouteCaps,
    // ---- The day's caps.
    /// Per oil route: nominated volume, kt/day, and headroom fraction open.
    pub(super) nominated: Vec<f64>,
    pub(super) open: Vec<f64>,
    /// Per intake: nominated volume through it and the headroom above it, kt/day.
    pub(super) intake_cap: Vec<(f64, f64)>,
    /// Per gate: phase-1 cap (nominations and open headroom), kt/day.
    gate_cap: Vec<f64>,
}

impl Plan {
    pub(super) fn new(
        net: &Network,
        dispatch: Dispatch,
        oil_routes: &[&Route],
        v: &mut Vertices,
    ) -> Self {
        let links = net.links.len();
        let mut totals = vec![0.0; net.nodes.len()];
        for n in &net.nominations {
            totals[n.field.0] += n.volume.value;
        }
        let on = dispatch == Dispatch::Nominated && totals.iter().any(|t| *t > 0.0);
        let nominated_field = |i: usize| on && totals[i] > 0.0;
        // Intakes: every oil link (not a tanker leg) out of a nominated field.
        let mut intakes: Vec<Intake> = Vec::new();
        let mut intake_of = vec![None; links];
        for (j, l) in net.links.iter().enumerate() {
            if nominated_field(l.from.0) && l.layer() == Layer::Oil && l.kind != LinkKind::TankerLeg
            {
                intake_of[j] = Some(intakes.len());
                intakes.push(Intake {
                    link: j,
                    vertex: v.count,
                    routes: Vec::new(),
                });
                v.count += 1;
            }
        }
        // Which routes each intake leads to, and where each field enters each route.
        let out_links = net.oil_out_links();
        // A field enters no route whose links all lie in another part of the oil layer: those
        // pairs need no search (fields × routes grows with the square of the network).
        let part = net.oil_parts();
        let route_parts: Vec<Vec<usize>> = oil_routes
            .iter()
            .map(|r| {
                let mut p: Vec<usize> = r
                    .stages
                    .iter()
                    .flatten()
                    .map(|l| part[net.link(*l).from.0])
                    .collect();
                p.sort_unstable();
                p.dedup();
                p
            })
            .collect();
        let mut entry = vec![0usize; oil_routes.len()];
        let mut noms = Vec::new();
        for (i, _) in net
            .nodes
            .iter()
            .enumerate()
            .filter(|(i, _)| nominated_field(*i))
        {
            for (r, route) in oil_routes.iter().enumerate() {
                if route_parts[r].binary_search(&part[i]).is_err() {
                    continue;
                }
                let Some((first, stage)) = net.intake_with(NodeIx(i), route, &out_links) else {
                    continue;
                };
                let Some(k) = intake_of[first.0] else {
                    continue;
                };
                intakes[k].routes.push(r);
                if let Some(n) = net
                    .nominations
                    .iter()
                    .find(|n| n.field.0 == i && n.route == route.id)
                {
                    entry[r] = entry[r].max(stage);
                    let store_at = |node: NodeIx| net.stores.iter().position(|s| s.node == node);
                    let store = store_at(NodeIx(i))
                        .or_else(|| {
                            route.stages[stage]
                                .iter()
                                .find_map(|l| store_at(net.link(*l).from))
                        })
                        .or_else(|| {
                            route.stages[stage..]
                                .iter()
                                .find_map(|st| st.iter().find_map(|l| store_at(net.link(*l).to)))
                        });
                    noms.push(Nom {
                        field: i,
                        route: r,
                        share: n.volume.value / totals[i],
                        intake: k,
                        store,
                    });
                }
            }
        }
        // Gates: among the routes in service, the first single-link stage used by no other.
        // A route is in service when every stage has a link in service.
        let in_service = |r: &Route| {
            r.stages.iter().all(|st| {
                st.iter()
                    .any(|l| !matches!(net.link(*l).status, Status::Planned | Status::Retired))
            })
        };
        let mut gates = Vec::new();
        let mut gate_of = vec![None; links];
        for (r, route) in oil_routes.iter().enumerate() {
            if !on || !in_service(route) {
                continue;
            }
            let shared = |l: LinkIx| {
                oil_routes
                    .iter()
                    .enumerate()
                    .any(|(o, other)| o != r && in_service(other) && other.links().any(|x| x == l))
            };
            let gate = route
                .stages
                .iter()
                .enumerate()
                .skip(entry[r])
                .find(|(_, st)| st.len() == 1 && !shared(st[0]))
                .map(|(_, st)| st[0].0);
            if let Some(j) = gate
                && gate_of[j].is_none()
            {
                gate_of[j] = Some(gates.len());
                gates.push(Gate { link: j, route: r });
            }
        }
        let headroom = oil_routes
            .iter()
            .map(|r| {
                r.headroom.as_ref().map(|h| {
                    (
                        h.lead_days.value.round() as i64,
                        h.ramp_days.value.round() as i64,
                    )
                })
            })
            .collect();
        let route_assets: Vec<(Vec<usize>, Vec<usize>)> = oil_routes
            .iter()
            .map(|r| {
                let links: Vec<usize> = r.links().map(|l| l.0).collect();
                let mut nodes: Vec<usize> = links.iter().map(|&j| net.links[j].to.0).collect();
                nodes.sort_unstable();
                nodes.dedup();
                (links, nodes)
            })
            .collect();
        let neighbours = route_assets
            .iter()
            .map(|(la, na): &(Vec<usize>, Vec<usize>)| {
                route_assets
                    .iter()
                    .map(|(lb, nb)| {
                        la.iter().any(|x| lb.contains(x)) || na.iter().any(|x| nb.contains(x))
                    })
                    .collect()
            })
            .collect();
        Plan {
            on,
            neighbours,
            noms,
            intake_cap: vec![(0.0, 0.0); intakes.len()],
            intakes,
            intake_of,
            gate_cap: vec![0.0; gates.len()],
            gates,
            gate_of,
            headroom,
            route_assets,
            episode: None,
            route_cap: RouteCaps::new(oil_routes.len()),
            norm_cap: RouteCaps::new(oil_routes.len()),
            nominated: vec![0.0; oil_routes.len()],
            open: vec![0.0; oil_routes.len()],
        }
    }

    /// Sets the day's caps from the capacity factors `f` (duty applied) and production `prod`.
    /// `cap` gives an asset's capacity under factors, kt/day; `normal` the day's factors
    /// without the scenario's events (duty applied), asked for only when a route is short.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn day(
        &mut self,
        net: &Network,
        v: &Vertices,
        f: &[f64],
        prod: &[f64],
        t: i64,
        cap: &dyn Fn(&[f64], AssetRef) -> Option<f64>,
        normal: &dyn Fn() -> Vec<f64>,
    ) {
        if !self.on {
            return;
        }
        self.nominated.iter_mut().for_each(|x| *x = 0.0);
        let mut through = vec![0.0; self.intakes.len()];
        for n in &self.noms {
            let d = n.share * prod[n.field];
            self.nominated[n.route] += d;
            through[n.intake] += d;
        }
        self.route_cap
            .refresh(net, v, &self.route_assets, &self.nominated, f, cap);
        let short = |r: usize| {
            let n = self.nominated[r];
            n > 0.0 && below(self.route_cap.caps[r], n)
        };
        let disrupted = (0..self.nominated.len()).any(short) && {
            let nf = normal();
            self.norm_cap
                .refresh(net, v, &self.route_assets, &self.nominated, &nf, cap);
            (0..self.nominated.len())
                .any(|r| short(r) && below(self.route_cap.caps[r], self.norm_cap.caps[r]))
        };
        self.episode = match (disrupted, self.episode) {
            (false, _) => None,
            (true, None) => Some(t),
            (true, s) => s,
        };
        for (r, open) in self.open.iter_mut().enumerate() {
            *open = match (self.episode, self.headroom[r]) {
                (Some(s), Some((lead, ramp))) => {
                    let k = t - s - lead;
                    if k < 0 {
                        0.0
                    } else if ramp <= 0 {
                        1.0
                    } else {
                        ((k + 1) as f64 / ramp as f64).min(1.0)
                    }
                }
                _ => 0.0,
            };
        }
        for (k, it) in self.intakes.iter().enumerate() {
            let phys = cap(f, AssetRef::Link(LinkIx(it.link))).unwrap_or(0.0);
            let h = it.routes.iter().map(|&r| self.open[r]).fold(0.0, f64::max);
            self.intake_cap[k] = (through[k], h * (phys - through[k]).max(0.0));
        }
        for (g, gate) in self.gates.iter().enumerate() {
            let phys = cap(f, AssetRef::Link(LinkIx(gate.link))).unwrap_or(0.0);
            let n = self.nominated[gate.route];
            self.gate_cap[g] = (n + self.open[gate.route] * (phys - n).max(0.0)).min(phys);
        }
    }

    /// Per tank farm: the day's shortfall of nominated crude it bridges, kt — each field's
    /// output below normal (`normal`: without events or restart holds), by its nominated
    /// shares, at the first tank farm on each nominated route's way. Nothing without
    /// nominated dispatch.
    pub(super) fn shortfall(&self, stores: usize, prod: &[f64], normal: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; stores];
        if !self.on {
            return out;
        }
        for n in &self.noms {
            if let Some(k) = n.store {
                out[k] += n.share * (normal[n.field] - prod[n.field]).max(0.0);
            }
        }
        out
    }

    /// The day's headroom fractions, for the re-solve key.
    pub(super) fn key(&self) -> &[f64] {
        &self.open
    }

    /// Link `j`'s phase-1 cap: `phys` (its capacity that day, for a tanker leg less the cargo
    /// waiting), cut to the gate's cap when it is a gate.
    pub(super) fn link_cap(&self, j: usize, phys: f64) -> f64 {
        match self.gate_of[j] {
            Some(g) if self.on => self.gate_cap[g].min(phys),
            _ => phys,
        }
    }

    /// Adds link `j`'s arc from `u` to `w` at `cost`, `phys` its capacity that day (for a
    /// tanker leg less the cargo waiting). A gate gets two arcs: its nominations at `cost` and
    /// its open headroom at `cost` + [`STEP_COST`]. Their phase-2 caps go to `cap2` as (arc
    /// position, cap); together they are the link's full capacity while the route carries
    /// nominations (stock drains through it), else its phase-1 cap.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn link_arcs(
        &self,
        g: &mut Graph,
        cap2: &mut Vec<(usize, f64)>,
        j: usize,
        (u, w): (usize, usize),
        phys: f64,
        cost: f64,
        tag: Tag,
    ) {
        let Some(k) = self.gate_of[j].filter(|_| self.on) else {
            g.arc(u, w, phys, cost, tag);
            return;
        };
        let n = self.nominated[self.gates[k].route];
        let c1 = self.gate_cap[k].min(phys);
        let normal = n.min(c1);
        let head = c1 - normal;
        let total2 = if n > 0.0 { phys } else { c1 };
        cap2.push((g.arcs.len(), total2 - head));
        g.arc(u, w, normal, cost, tag);
        cap2.push((g.arcs.len(), head));
        g.arc(u, w, head, cost + STEP_COST, tag);
    }

    /// Adds intake `k`'s arcs from `from` to its vertex: its nominations (one arc, sliced by
    /// [`slice`] when rationing binds) and its open headroom above them.
    pub(super) fn intake_arcs(&self, g: &mut Graph, k: usize, from: usize) {
        let it = &self.intakes[k];
        let (normal, extra) = self.intake_cap[k];
        g.arc(from, it.vertex, normal, 0.0, Tag::Intake(it.link, 0));
        if extra > 0.0 {
            g.arc(
                from,
                it.vertex,
                extra,
                STEPS as f64 * STEP_COST,
                Tag::Intake(it.link, STEPS),
            );
        }
    }
}

impl Plan {
    /// After a solve of `g`: `None` when every intake took its nominations, else which intakes
    /// to slice — those leading to a route that shares a link or node with a route of a cut
    /// intake (the shippers that can compete for the binding capacity).
    pub(super) fn to_slice(&self, g: &Graph, flows: &[f64]) -> Option<Vec<bool>> {
        let mut hot = vec![false; self.route_assets.len()];
        let mut cut_alone = vec![false; self.intakes.len()];
        let mut any = false;
        for (a, x) in g.arcs.iter().zip(flows) {
            if let Tag::Intake(j, 0) = a.4
                && *x < a.2 - 1e-9
                && let Some(k) = self.intake_of[j]
            {
                any = true;
                cut_alone[k] = true;
                for &r in &self.intakes[k].routes {
                    for (o, near) in self.neighbours[r].iter().enumerate() {
                        hot[o] |= *near;
                    }
                }
            }
        }
        any.then(|| {
            self.intakes
                .iter()
                .zip(&cut_alone)
                .map(|(it, cut)| *cut || it.routes.iter().any(|&r| hot[r]))
                .collect()
        })
    }

    /// `g` with the nomination arc of each intake in `mask` cut into [`STEPS`] equal slices of
    /// rising cost, so that a binding bottleneck cuts every shipper behind it by the same
    /// fraction; with `cap2` (each arc's phase-2 capacity) carried along.
    pub(super) fn slice(&self, g: &Graph, cap2: &[f64], mask: &[bool]) -> (Graph, Vec<f64>) {
        let mut out = Graph {
            vertices: g.vertices,
            arcs: Vec::with_capacity(g.arcs.len() + 4 * STEPS),
        };
        let mut c2 = Vec::with_capacity(out.arcs.capacity());
        for (a, c) in g.arcs.iter().zip(cap2) {
            match (a.4, a.4.intake().and_then(|j| self.intake_of[j])) {
                (Tag::Intake(j, 0), Some(k)) if mask[k] => {
                    for m in 0..STEPS {
                        out.arc(
                            a.0,
                            a.1,
                            a.2 / STEPS as f64,
                            m as f64 * STEP_COST,
                            Tag::Intake(j, m),
                        );
                        c2.push(*c);
                    }
                }
                _ => {
                    out.arcs.push(*a);
                    c2.push(*c);
                }
            }
        }
        (out, c2)
    }
}

/// Whether capacity `c` falls short of `x` (beyond rounding), kt/day.
fn below(c: f64, x: f64) -> bool {
    c < x * (1.0 - 1e-9) - 1e-9
}

/// Each route's own capacity under the factors last seen, kt/day, kept up to date lazily.
struct RouteCaps {
    /// The factors the capacities were computed for.
    seen: Vec<f64>,
    caps: Vec<f64>,
    /// Per route: whether `caps` is up to date with `seen`.
    ok: Vec<bool>,
}

impl RouteCaps {
    fn new(routes: usize) -> Self {
        RouteCaps {
            seen: Vec::new(),
            caps: vec![0.0; routes],
            ok: vec![false; routes],
        }
    }

    /// Brings each nominated route's capacity under factors `f` up to date. A route's capacity
    /// changes only with the factors of its links and the nodes they end at, and matters only
    /// while it carries nominations.
    fn refresh(
        &mut self,
        net: &Network,
        v: &Vertices,
        route_assets: &[(Vec<usize>, Vec<usize>)],
        nominated: &[f64],
        f: &[f64],
        cap: &dyn Fn(&[f64], AssetRef) -> Option<f64>,
    ) {
        let nl = net.nodes.len();
        let first = self.seen.is_empty();
        for (r, (links, nodes)) in route_assets.iter().enumerate() {
            let changed = first
                || links.iter().any(|&j| self.seen[nl + j] != f[nl + j])
                || nodes.iter().any(|&i| self.seen[i] != f[i]);
            if changed {
                self.ok[r] = false;
            }
            if nominated[r] > 0.0 && !self.ok[r] {
                self.caps[r] = route_capacity(net, v, links, nodes, &|a| cap(f, a));
                self.ok[r] = true;
            }
        }
        self.seen.clear();
        self.seen.extend_from_slice(f);
    }
}

/// A route's own capacity under the day's capacities: a maximum flow from the start of its
/// first stage over its links and the nodes they end at, kt/day.
fn route_capacity(
    net: &Network,
    v: &Vertices,
    links: &[usize],
    nodes: &[usize],
    cap: &dyn Fn(AssetRef) -> Option<f64>,
) -> f64 {
    let mut g = Graph {
        vertices: v.count,
        arcs: Vec::new(),
    };
    let starts: Vec<usize> = links.iter().map(|&j| net.links[j].from.0).collect();
    for &j in links {
        let l = &net.links[j];
        if !nodes.contains(&l.from.0) {
            g.arc(v.s, v.ov[l.from.0], UNBOUNDED, 0.0, Tag::Supply(l.from.0));
        }
        let c = cap(AssetRef::Link(LinkIx(j))).unwrap_or(0.0);
        g.arc(v.ov[l.from.0], v.iv[l.to.0], c, 0.0, Tag::Link(j));
    }
    for &i in nodes {
        if v.split[i] {
            let c = cap(AssetRef::Node(NodeIx(i))).unwrap_or(UNBOUNDED);
            g.arc(v.iv[i], v.ov[i], c, 0.0, Tag::Node(i));
        }
        if !starts.contains(&i) {
            g.arc(v.ov[i], v.t, UNBOUNDED, 0.0, Tag::Export);
        }
    }
    let flows = g.solve(v.s, v.t);
    g.arcs
        .iter()
        .zip(&flows)
        .filter(|(a, _)| a.4 == Tag::Export)
        .map(|(_, x)| x)
        .sum()
}
