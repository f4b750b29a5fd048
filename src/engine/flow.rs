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
}

/// A solve's shortest-path labels and queue, kept between solves.
#[derive(Debug, Clone, Default)]
struct Scratch {
    dist: Vec<f64>,
    prev_edge: Vec<usize>,
    hops: Vec<usize>,
    in_queue: Vec<bool>,
    queue: std::collections::VecDeque<usize>,
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
        let r = self.solve_with(s, t, limit, &mut scratch);
        self.scratch = scratch;
        r
    }

    fn solve_with(
        &mut self,
        s: usize,
        t: usize,
        limit: usize,
        scratch: &mut Scratch,
    ) -> Result<FlowTotals, FlowError> {
        let n = self.vertices;
        self.index();
        let mut total = FlowTotals {
            flow: 0.0,
            cost: 0.0,
        };
        if s == t {
            return Ok(total);
        }
        let Scratch {
            dist,
            prev_edge,
            hops,
            in_queue,
            queue,
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
        let mut augmentations = 0usize;
        loop {
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
            total.flow += push;
            total.cost += push * dist[t];
        }
        Ok(total)
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
