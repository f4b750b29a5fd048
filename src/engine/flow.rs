//! Min-cost maximum flow on a small directed graph with `f64` capacities and costs.
//!
//! Successive shortest paths with Bellman–Ford (queue-based) on the residual graph. The
//! networks here have tens to hundreds of arcs, so each solve takes microseconds.
//! `ac-library-rs` offers the same algorithm for integers only, and petgraph has none; the
//! simulator needs fractional kt/day flows with exact mass balance, hence this module.
//!
//! Determinism: arcs are scanned in insertion order and a label is only replaced by a strictly
//! shorter one (beyond [`EPS`]), so the same graph always gives the same flows.
//!
//! Warm starts: a solve records its augmenting paths ([`Trace`]);
//! [`FlowGraph::min_cost_max_flow_from`] solves the same arcs with other capacities by pushing
//! those paths again, without a search, for as long as a cold solve would take them, so its
//! flows are the cold solve's to the bit.
//!
//! # Complexity
//! O(F · V · E) where F is the number of augmentations (at most the number of arcs in practice
//! for these graphs).

/// Flows and capacities below this are treated as zero.
pub const EPS: f64 = 1e-9;
/// A capacity larger than any real one, used for "unbounded" virtual arcs.
pub const UNBOUNDED: f64 = 1e9;
/// Augmentations allowed per arc (plus [`AUGMENTATIONS_BASE`]) before a solve is abandoned
/// (see [`FlowError`]). Each augmentation saturates at least one residual arc; on the shipped
/// data the most any solve needed was 101 augmentations on 202 arcs (0.5 per arc, every
/// shipped scenario and the study measured), so the bound is 16 times that.
pub const AUGMENTATIONS_PER_ARC: usize = 8;
/// Augmentations allowed whatever the arc count.
pub const AUGMENTATIONS_BASE: usize = 100;

/// Why a solve was abandoned: the iteration guard that turns a would-be endless loop into an
/// error. Inputs within the documented ranges never reach it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    /// A cycle of negative total cost in the residual graph: shortest paths do not exist.
    #[error("a cycle of negative cost through graph vertex {vertex} (negative transport costs?)")]
    NegativeCycle {
        /// A vertex on (or reached through) the cycle.
        vertex: usize,
    },
    /// More augmenting paths than the guard allows: capacities or costs whose magnitudes
    /// differ so much that each path moves (almost) nothing.
    #[error("no convergence after {augmentations} augmenting paths on {arcs} arcs")]
    NoConvergence {
        /// Augmenting paths found before giving up.
        augmentations: usize,
        /// Arcs in the graph.
        arcs: usize,
    },
    /// A shortest-path search examined vertices more than vertices² times (Bellman–Ford
    /// settles in fewer): costs whose rounding keeps improving labels.
    #[error("shortest paths did not settle after {examined} vertex scans on {vertices} vertices")]
    Unsettled {
        /// Vertex scans made.
        examined: usize,
        /// Vertices in the graph.
        vertices: usize,
    },
}

#[derive(Debug, Clone)]
struct Edge {
    to: usize,
    /// Residual capacity.
    cap: f64,
    cost: f64,
}

/// A residual graph. Arc `2k` is the k-th added arc, `2k + 1` its reverse.
///
/// Adjacency is kept as an edge list plus, once solving starts, a compact CSR index (one
/// allocation instead of one per vertex); each vertex's edges keep their insertion order.
#[derive(Debug, Clone, Default)]
pub struct FlowGraph {
    edges: Vec<Edge>,
    /// Tail vertex of every edge.
    tail: Vec<usize>,
    vertices: usize,
    /// CSR: edges of vertex `v` are `order[start[v]..start[v + 1]]`.
    start: Vec<usize>,
    order: Vec<usize>,
    scratch: Scratch,
    /// The augmenting paths of the last solve.
    trace: Trace,
}

/// The augmenting paths of a solve, in order: what [`FlowGraph::min_cost_max_flow_from`]
/// replays on a graph that differs from the solved one only in capacities.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Trace {
    /// Every path's edges (from the sink back to the source), path after path.
    edges: Vec<u32>,
    /// Path `j` is `edges[ends[j]..ends[j + 1]]`.
    ends: Vec<u32>,
    /// Per path: the flow pushed and the path's cost per unit.
    push: Vec<f64>,
    cost: Vec<f64>,
}

impl Trace {
    /// Augmenting paths recorded.
    pub fn paths(&self) -> usize {
        self.push.len()
    }

    /// Words held (edges, ends, pushes and costs), to bound a cache of traces.
    pub fn words(&self) -> usize {
        (self.edges.len() + self.ends.len()).div_ceil(2) + 2 * self.push.len()
    }

    fn clear(&mut self) {
        self.edges.clear();
        self.ends.clear();
        self.ends.push(0);
        self.push.clear();
        self.cost.clear();
    }

    fn path(&self, j: usize) -> &[u32] {
        &self.edges[self.ends[j] as usize..self.ends[j + 1] as usize]
    }

    fn record(&mut self, path: impl Iterator<Item = usize>, push: f64, cost: f64) {
        if self.ends.is_empty() {
            self.ends.push(0);
        }
        self.edges.extend(path.map(|e| e as u32));
        self.ends.push(self.edges.len() as u32);
        self.push.push(push);
        self.cost.push(cost);
    }
}

/// How a warm-started solve went: paths replayed from the old trace, and paths searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Replayed {
    /// Augmenting paths taken from the old trace without a search.
    pub replayed: usize,
    /// Shortest-path searches made (the last finds no path).
    pub searches: usize,
}

/// A solve's shortest-path labels and queue, kept between solves.
#[derive(Debug, Clone, Default)]
struct Scratch {
    dist: Vec<f64>,
    prev_edge: Vec<usize>,
    hops: Vec<usize>,
    in_queue: Vec<bool>,
    queue: std::collections::VecDeque<usize>,
    /// Per arc: its place in `old_res` when its capacity changed since the traced solve.
    changed_at: Vec<usize>,
    /// Per arc whose residuals differ from the traced solve's: (arc, the traced solve's
    /// forward and reverse residual capacities at this point).
    old_res: Vec<(usize, f64, f64)>,
}

/// Total flow and total cost of a solve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlowTotals {
    /// Flow sent from source to sink, in the arcs' capacity unit.
    ///
    /// # Units
    /// The arcs' capacity unit (kt/day or Gbps).
    pub flow: f64,
    /// Total cost of that flow, in the arcs' cost unit × flow.
    ///
    /// # Units
    /// The arcs' cost unit times the flow.
    pub cost: f64,
}

impl FlowTotals {
    /// No flow, no cost.
    pub const ZERO: FlowTotals = FlowTotals {
        flow: 0.0,
        cost: 0.0,
    };
}

impl FlowGraph {
    /// A graph with `n` vertices and no arcs.
    pub fn new(n: usize) -> Self {
        FlowGraph {
            edges: Vec::new(),
            tail: Vec::new(),
            vertices: n,
            start: Vec::new(),
            order: Vec::new(),
            scratch: Scratch::default(),
            trace: Trace::default(),
        }
    }

    /// Empties the graph for reuse with `n` vertices, keeping its allocations.
    pub fn reset(&mut self, n: usize) {
        self.edges.clear();
        self.tail.clear();
        self.vertices = n;
    }

    /// Builds the CSR index (a counting sort of the edges by tail, stable).
    fn index(&mut self) {
        let n = self.vertices;
        self.start.clear();
        self.start.resize(n + 1, 0);
        for &u in &self.tail {
            self.start[u + 1] += 1;
        }
        for v in 0..n {
            self.start[v + 1] += self.start[v];
        }
        // `order` doubles as the fill cursor: place each edge, then shift the starts back.
        self.order.clear();
        self.order.resize(self.tail.len(), 0);
        let mut fill = std::mem::take(&mut self.start);
        let starts = fill.clone();
        for (e, &u) in self.tail.iter().enumerate() {
            self.order[fill[u]] = e;
            fill[u] += 1;
        }
        self.start = starts;
    }

    /// Adds an arc `u → v` and returns its index (0, 1, 2 … in insertion order).
    /// Negative capacities are treated as zero.
    pub fn add_arc(&mut self, u: usize, v: usize, cap: f64, cost: f64) -> usize {
        let cap = cap.max(0.0);
        let k = self.edges.len() / 2;
        self.tail.push(u);
        self.edges.push(Edge { to: v, cap, cost });
        self.tail.push(v);
        self.edges.push(Edge {
            to: u,
            cap: 0.0,
            cost: -cost,
        });
        k
    }

    /// Flow on arc `k` after a solve: the residual capacity of its reverse arc, which starts at
    /// zero and accumulates exactly the flow pushed (no cancellation against a large capacity).
    pub fn flow(&self, k: usize) -> f64 {
        let f = self.edges[2 * k + 1].cap;
        if f.abs() < EPS { 0.0 } else { f }
    }

    /// Number of arcs added.
    pub fn arc_count(&self) -> usize {
        self.edges.len() / 2
    }

    /// Pushes as much flow as possible from `s` to `t`, and among maximum flows the cheapest.
    ///
    /// # Errors
    /// [`FlowError`] when the iteration guard trips: a negative-cost cycle (a label path longer
    /// than the vertex count), a shortest-path search that does not settle, or more
    /// augmentations than [`AUGMENTATIONS_BASE`] + [`AUGMENTATIONS_PER_ARC`] per arc.
    pub fn min_cost_max_flow(&mut self, s: usize, t: usize) -> Result<FlowTotals, FlowError> {
        let limit = AUGMENTATIONS_BASE + AUGMENTATIONS_PER_ARC * self.arc_count();
        self.solve_bounded(s, t, limit)
    }

    /// [`Self::min_cost_max_flow`] with at most `limit` augmenting paths.
    fn solve_bounded(&mut self, s: usize, t: usize, limit: usize) -> Result<FlowTotals, FlowError> {
        // Scratch kept between solves (one allocation per graph size, not per solve).
        let mut scratch = std::mem::take(&mut self.scratch);
        self.trace.clear();
        let r = self.solve_with(s, t, limit, &mut scratch, (0, FlowTotals::ZERO));
        self.scratch = scratch;
        r.map(|(totals, _)| totals)
    }

    /// The augmenting paths of the last solve.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// [`Self::min_cost_max_flow`] warm-started from an earlier solve of the same arcs (same
    /// ends and costs, in the same order) with capacities `old_caps` and augmenting paths
    /// `old`: the flows are bit-identical to a cold solve of this graph.
    ///
    /// A search reads only which residual arcs are usable (above [`EPS`]) and their costs. So
    /// while every arc is usable in both solves or in neither, successive shortest paths on
    /// this graph finds the old solve's next path at the old cost, and pushes its own
    /// bottleneck along it. Those paths are pushed again without a search, tracking the old
    /// solve's residuals on the arcs where they differ (a changed capacity, or a path that
    /// pushed a different amount) and comparing usability there at every step; from the first
    /// step where it differs (a change that binds) the solve goes on with searches, as a cold
    /// solve would from there. A change that never binds costs no search at all.
    ///
    /// # Errors
    /// As [`Self::min_cost_max_flow`].
    ///
    /// # Panics
    /// When `old_caps` does not have one capacity per arc.
    pub fn min_cost_max_flow_from(
        &mut self,
        s: usize,
        t: usize,
        old_caps: &[f64],
        old: &Trace,
    ) -> Result<(FlowTotals, Replayed), FlowError> {
        assert_eq!(old_caps.len(), self.arc_count(), "one old capacity per arc");
        let limit = AUGMENTATIONS_BASE + AUGMENTATIONS_PER_ARC * self.arc_count();
        let mut scratch = std::mem::take(&mut self.scratch);
        // The arcs whose residuals differ from the old solve's at this point, with the old
        // solve's residuals (forward, reverse): at first those whose capacity changed.
        scratch.changed_at.clear();
        scratch.changed_at.resize(old_caps.len(), usize::MAX);
        scratch.old_res.clear();
        for (k, c) in old_caps.iter().enumerate() {
            let c = c.max(0.0);
            if c.to_bits() != self.edges[2 * k].cap.to_bits() {
                scratch.changed_at[k] = scratch.old_res.len();
                scratch.old_res.push((k, c, 0.0));
            }
        }
        self.trace.clear();
        let mut total = FlowTotals::ZERO;
        let mut j = 0;
        let same = |edges: &[Edge], old_res: &[(usize, f64, f64)]| {
            old_res.iter().all(|&(k, fwd, rev)| {
                (edges[2 * k].cap > EPS) == (fwd > EPS)
                    && (edges[2 * k + 1].cap > EPS) == (rev > EPS)
            })
        };
        while j < old.paths() && j < limit && same(&self.edges, &scratch.old_res) {
            // The same usable arcs: the search would find the old path at the old cost; the
            // push is this graph's bottleneck on it.
            let path = old.path(j);
            let push = path
                .iter()
                .map(|&e| self.edges[e as usize].cap)
                .fold(f64::INFINITY, f64::min);
            let old_push = old.push[j];
            for &e in path {
                let e = e as usize;
                let (k, fwd) = (e / 2, e.is_multiple_of(2));
                let mut at = scratch.changed_at[k];
                if at == usize::MAX && push.to_bits() != old_push.to_bits() {
                    // Equal until now; from here its residuals differ.
                    at = scratch.old_res.len();
                    scratch.changed_at[k] = at;
                    scratch
                        .old_res
                        .push((k, self.edges[2 * k].cap, self.edges[2 * k + 1].cap));
                }
                self.edges[e].cap -= push;
                self.edges[e ^ 1].cap += push;
                if at != usize::MAX {
                    // The old solve's residuals, updated as they were then.
                    let r = &mut scratch.old_res[at];
                    if fwd {
                        r.1 -= old_push;
                        r.2 += old_push;
                    } else {
                        r.2 -= old_push;
                        r.1 += old_push;
                    }
                }
            }
            total.flow += push;
            total.cost += push * old.cost[j];
            self.trace
                .record(path.iter().map(|&e| e as usize), push, old.cost[j]);
            j += 1;
        }
        let r = if j == old.paths() && same(&self.edges, &scratch.old_res) {
            // The old solve's last search found no path; so would this one.
            Ok((total, 0))
        } else {
            self.solve_with(s, t, limit, &mut scratch, (j, total))
        };
        self.scratch = scratch;
        r.map(|(totals, searches)| {
            (
                totals,
                Replayed {
                    replayed: j,
                    searches,
                },
            )
        })
    }

    fn solve_with(
        &mut self,
        s: usize,
        t: usize,
        limit: usize,
        scratch: &mut Scratch,
        (mut augmentations, mut total): (usize, FlowTotals),
    ) -> Result<(FlowTotals, usize), FlowError> {
        let n = self.vertices;
        self.index();
        if s == t {
            return Ok((total, 0));
        }
        let Scratch {
            dist,
            prev_edge,
            hops,
            in_queue,
            queue,
            ..
        } = scratch;
        dist.clear();
        dist.resize(n, f64::INFINITY);
        prev_edge.clear();
        prev_edge.resize(n, usize::MAX);
        // Arcs on each vertex's current label path: a path of n arcs repeats a vertex, so a
        // label improved through it lies on a negative cycle (the queue would never empty).
        hops.clear();
        hops.resize(n, 0);
        in_queue.clear();
        in_queue.resize(n, false);
        queue.clear();
        let arcs = self.arc_count();
        let mut searches = 0;
        loop {
            searches += 1;
            dist.fill(f64::INFINITY);
            prev_edge.fill(usize::MAX);
            dist[s] = 0.0;
            hops[s] = 0;
            queue.push_back(s);
            in_queue[s] = true;
            let mut examined = 0usize;
            while let Some(u) = queue.pop_front() {
                in_queue[u] = false;
                examined += 1;
                if examined > n * n {
                    queue.clear();
                    in_queue.fill(false);
                    return Err(FlowError::Unsettled {
                        examined: examined - 1,
                        vertices: n,
                    });
                }
                for &e in &self.order[self.start[u]..self.start[u + 1]] {
                    let edge = &self.edges[e];
                    if edge.cap > EPS {
                        let nd = dist[u] + edge.cost;
                        // Relative tolerance: costs reach 1e6 (export rewards), where f64
                        // rounding alone exceeds an absolute 1e-9.
                        let d = dist[edge.to];
                        if nd < d - EPS * (1.0 + d.abs().min(1e12)) {
                            dist[edge.to] = nd;
                            prev_edge[edge.to] = e;
                            hops[edge.to] = hops[u] + 1;
                            if hops[edge.to] >= n {
                                queue.clear();
                                in_queue.fill(false);
                                return Err(FlowError::NegativeCycle { vertex: edge.to });
                            }
                            if !in_queue[edge.to] {
                                in_queue[edge.to] = true;
                                // Small Label First: a vertex whose label beats the queue's
                                // head is examined next.
                                match queue.front() {
                                    Some(&h) if nd < dist[h] => queue.push_front(edge.to),
                                    _ => queue.push_back(edge.to),
                                }
                            }
                        }
                    }
                }
            }
            if !dist[t].is_finite() {
                break;
            }
            // The path back from t: a predecessor chain longer than n arcs is a cycle (labels
            // corrupted by a negative cycle the hop count missed).
            let mut push = f64::INFINITY;
            let mut v = t;
            let mut steps = 0;
            while v != s {
                let e = prev_edge[v];
                steps += 1;
                if e == usize::MAX || steps > n {
                    return Err(FlowError::NegativeCycle { vertex: v });
                }
                push = push.min(self.edges[e].cap);
                v = self.edges[e ^ 1].to;
            }
            if push <= EPS {
                break;
            }
            augmentations += 1;
            if augmentations > limit {
                return Err(FlowError::NoConvergence {
                    augmentations: augmentations - 1,
                    arcs,
                });
            }
            let mut v = t;
            while v != s {
                let e = prev_edge[v];
                self.edges[e].cap -= push;
                self.edges[e ^ 1].cap += push;
                v = self.edges[e ^ 1].to;
            }
            let edges = &self.edges;
            let path = std::iter::successors(Some(prev_edge[t]), |&e| {
                let u = edges[e ^ 1].to;
                (u != s).then(|| prev_edge[u])
            });
            self.trace.record(path, push, dist[t]);
            total.flow += push;
            total.cost += push * dist[t];
        }
        Ok((total, searches))
    }
}

/// Splits arc flows into source-to-sink paths: each path is the list of arc indices it uses, in
/// order, with the flow it carries. Arcs are followed in index order and no vertex is visited
/// twice in a path, so the split is deterministic. Flow on cycles is left out.
pub fn decompose(
    vertices: usize,
    arcs: &[(usize, usize)],
    flows: &[f64],
    s: usize,
    t: usize,
) -> Vec<(Vec<usize>, f64)> {
    let mut remaining = flows.to_vec();
    let mut out_arcs: Vec<Vec<usize>> = vec![Vec::new(); vertices];
    for (k, (u, _)) in arcs.iter().enumerate() {
        out_arcs[*u].push(k);
    }
    let mut paths = Vec::new();
    let mut seen = vec![false; vertices];
    loop {
        seen.fill(false);
        let mut path = Vec::new();
        let mut v = s;
        seen[v] = true;
        while v != t {
            let next = out_arcs[v]
                .iter()
                .copied()
                .find(|&k| remaining[k] > EPS && !seen[arcs[k].1]);
            match next {
                Some(k) => {
                    path.push(k);
                    v = arcs[k].1;
                    seen[v] = true;
                }
                None => break,
            }
        }
        if v != t || path.is_empty() {
            // A dead end: drop the first arc's remaining flow from consideration (it can only
            // be flow on a cycle or rounding residue) and retry, until the source is dry.
            match path.first() {
                Some(&k) => remaining[k] = 0.0,
                None => break,
            }
            continue;
        }
        let f = path
            .iter()
            .map(|&k| remaining[k])
            .fold(f64::INFINITY, f64::min);
        for &k in &path {
            remaining[k] -= f;
        }
        paths.push((path, f));
    }
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The diamond solved by hand below: s=0, a=1, b=2, t=3, and its arcs s→a, s→b, a→t,
    /// a→b, b→t.
    fn diamond() -> (FlowGraph, [usize; 5]) {
        let mut g = FlowGraph::new(4);
        let arcs = [
            g.add_arc(0, 1, 10.0, 1.0),
            g.add_arc(0, 2, 5.0, 4.0),
            g.add_arc(1, 3, 4.0, 1.0),
            g.add_arc(1, 2, 8.0, 1.0),
            g.add_arc(2, 3, 10.0, 1.0),
        ];
        (g, arcs)
    }

    #[test]
    fn diamond_max_flow_and_cost_by_hand() {
        // s=0 → a=1 (cap 10, cost 1), s → b=2 (cap 5, cost 4), a → t=3 (cap 4, cost 1),
        // a → b (cap 8, cost 1), b → t (cap 10, cost 1).
        // Max flow: cut {s→a, s→b} = 15; cut {a→t, b→t} = 14 → max flow 14.
        // Cheapest 14: s→a→t 4 units (cost 2 each = 8); s→a→b→t 6 units (cost 3 each = 18);
        // s→b→t 4 units (cost 5 each = 20). Total 46.
        let (mut g, [sa, sb, at, ab, bt]) = diamond();
        let r = g.min_cost_max_flow(0, 3).unwrap();
        assert_eq!(r.flow, 14.0);
        assert_eq!(r.cost, 46.0);
        assert_eq!(
            [g.flow(sa), g.flow(sb), g.flow(at), g.flow(ab), g.flow(bt)],
            [10.0, 4.0, 4.0, 6.0, 10.0]
        );
    }

    #[test]
    fn disconnected_sink_gives_zero() {
        let mut g = FlowGraph::new(3);
        g.add_arc(0, 1, 5.0, 0.0);
        let r = g.min_cost_max_flow(0, 2).unwrap();
        assert_eq!(r.flow, 0.0);
    }

    #[test]
    fn fractional_capacities_are_kept_exactly() {
        // Two parallel arcs of 0.1 and 0.2 in series with 0.25: flow is 0.25.
        let mut g = FlowGraph::new(3);
        g.add_arc(0, 1, 0.1, 1.0);
        g.add_arc(0, 1, 0.2, 2.0);
        g.add_arc(1, 2, 0.25, 0.0);
        let r = g.min_cost_max_flow(0, 2).unwrap();
        assert!((r.flow - 0.25).abs() < 1e-12);
        // The cheap arc fills first: 0.1 × 1 + 0.15 × 2 = 0.4.
        assert!((r.cost - 0.4).abs() < 1e-12);
    }

    #[test]
    fn a_negative_cycle_is_an_error_not_a_hang() {
        // 0 → 1 → 2 → 1 with the 1 ⇄ 2 loop costing −3 in total: labels would fall for ever.
        let mut g = FlowGraph::new(4);
        g.add_arc(0, 1, 5.0, 1.0);
        g.add_arc(1, 2, 5.0, -2.0);
        g.add_arc(2, 1, 5.0, -1.0);
        g.add_arc(2, 3, 5.0, 1.0);
        assert!(matches!(
            g.min_cost_max_flow(0, 3),
            Err(FlowError::NegativeCycle { .. })
        ));
    }

    /// A graph on `n` vertices (source 0, sink n − 1) from a small linear congruential
    /// generator: capacities and costs from short lists, so ties between paths are common;
    /// negative costs only into the sink (no negative cycle).
    fn random_arcs(seed: u64, n: usize, m: usize) -> Vec<(usize, usize, f64, f64)> {
        let mut x = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let mut next = |k: usize| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((x >> 33) % k as u64) as usize
        };
        let caps = [0.0, 0.1, 0.25, 1.0, 2.5, 3.0, 7.0, 1e9];
        (0..m)
            .map(|_| {
                let u = next(n - 1);
                let v = 1 + next(n - 1);
                let cost = if v == n - 1 {
                    -100.0 + next(4) as f64
                } else {
                    next(5) as f64 * 0.5
                };
                (u, v, caps[next(caps.len())], cost)
            })
            .filter(|a| a.0 != a.1)
            .collect()
    }

    fn build(n: usize, arcs: &[(usize, usize, f64, f64)]) -> FlowGraph {
        let mut g = FlowGraph::new(n);
        for a in arcs {
            g.add_arc(a.0, a.1, a.2, a.3);
        }
        g
    }

    #[test]
    fn a_warm_start_gives_the_cold_flows_bit_for_bit() {
        // 400 random graphs, each solved, then changed in a few capacities (cut to zero,
        // lowered, raised, unchanged) and solved again cold and warm from the first solve.
        let (mut replayed, mut paths, mut warm_searches, mut cold_searches) = (0, 0, 0, 0);
        let mut whole = 0;
        for seed in 0..400u64 {
            let n = 6 + (seed % 7) as usize;
            let arcs = random_arcs(seed, n, 3 * n);
            let mut first = build(n, &arcs);
            first.min_cost_max_flow(0, n - 1).unwrap();
            let mut changed = arcs.clone();
            // One or two arcs change, as on a day when one asset fails or comes back.
            let factors = [0.0, 0.5, 1.0, 1.5, 4.0];
            let m = changed.len();
            changed[seed as usize % m].2 *= factors[seed as usize % 5];
            if seed % 3 == 0 {
                changed[(seed as usize / 3) % m].2 *= factors[(seed as usize / 5) % 5];
            }
            let mut cold = build(n, &changed);
            let cold_totals = cold.min_cost_max_flow(0, n - 1).unwrap();
            let mut warm = build(n, &changed);
            let old_caps: Vec<f64> = arcs.iter().map(|a| a.2).collect();
            let (warm_totals, r) = warm
                .min_cost_max_flow_from(0, n - 1, &old_caps, first.trace())
                .unwrap();
            for k in 0..arcs.len() {
                assert_eq!(
                    warm.flow(k).to_bits(),
                    cold.flow(k).to_bits(),
                    "seed {seed}, arc {k}"
                );
            }
            assert_eq!(warm_totals, cold_totals, "seed {seed}");
            // The warm solve leaves the trace a cold solve leaves.
            assert_eq!(warm.trace(), cold.trace(), "seed {seed}");
            assert_eq!(
                r.replayed + r.searches.saturating_sub(1),
                cold.trace().paths()
            );
            replayed += r.replayed;
            paths += cold.trace().paths();
            warm_searches += r.searches;
            cold_searches += cold.trace().paths() + 1;
            whole += usize::from(r.searches == 0);
        }
        // The replay did real work, and some changes cost no search at all.
        assert!(replayed * 4 > paths, "{replayed} of {paths} paths replayed");
        assert!(warm_searches < cold_searches);
        assert!(whole > 10, "{whole} graphs needed no search");
    }

    #[test]
    fn a_warm_start_on_unchanged_capacities_searches_nothing() {
        // The diamond's three paths are pushed again as they were: no search.
        let (mut g, _) = diamond();
        g.min_cost_max_flow(0, 3).unwrap();
        let trace = g.trace().clone();
        assert_eq!(trace.paths(), 3);
        let warm = |g: &mut FlowGraph| {
            let (t, r) = g
                .min_cost_max_flow_from(0, 3, &[10.0, 5.0, 4.0, 8.0, 10.0], &trace)
                .unwrap();
            (t.flow, t.cost, r.replayed, r.searches)
        };
        assert_eq!(warm(&mut diamond().0), (14.0, 46.0, 3, 0));
        // With a→t cut from 4 to 2: s→a→t pushes 2, not 4, and saturates a→t as before; s→a→b→t
        // pushes 8, not 6, and saturates s→a as before but now a→b too, which the old solve
        // left usable: two paths replayed, then the searches (one finds s→b→t). By hand: 2 on
        // s→a→t (4), 8 on s→a→b→t (24), 2 on s→b→t (10): 12, 38.
        let (mut cut, _) = diamond();
        cut.edges[4].cap = 2.0;
        assert_eq!(warm(&mut cut), (12.0, 38.0, 2, 2));
    }

    #[test]
    fn too_many_augmentations_trip_the_guard() {
        // The diamond above needs 3 augmenting paths (s→a→t, s→a→b→t, s→b→t): a bound of 2
        // stops it with an error rather than a partial answer.
        assert_eq!(
            diamond().0.solve_bounded(0, 3, 2),
            Err(FlowError::NoConvergence {
                augmentations: 2,
                arcs: 5
            })
        );
        assert_eq!(diamond().0.solve_bounded(0, 3, 3).unwrap().flow, 14.0);
    }
}
