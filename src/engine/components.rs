//! Min-cost maximum flow solved component by component, with a bounded memo of component
//! solutions.
//!
//! A daily graph joins its parts only through the source and the sink: K regions side by side
//! (or the Kazakh oil layer and an isolated spur) are independent problems. [`Solver::solve`]
//! splits the arcs that can carry flow into the connected components of the graph without the
//! source and the sink, solves each on its own (vertices renumbered, arcs in their original
//! order) with [`FlowGraph`], and looks each component up first in a memo keyed by its exact
//! inputs (every arc's ends, capacity and cost, to the bit). A component that repeats one solved
//! before gets that solution: the same inputs give the same flows, so results are bit-identical
//! to solving, whatever the memo holds, and so whatever thread or order the solves ran in.
//!
//! A component is remembered the second time it is solved (the hashes of those solved once are
//! kept, at most [`SEEN`]). The memo holds at most [`MEMO_ARCS`] arcs of keys (32 bytes an arc
//! with the flows), or [`MEMO_GRAPHS`] times the largest graph solved so far if that is more,
//! so it holds a few days' worth of any network and its size depends on the network, never on
//! how many replicates run; when full it forgets its oldest entries first.
//!
//! A component not in the memo is solved warm when the solver holds the last solve of the same
//! arcs and costs (its shape: renumbered ends and costs, capacities aside; an arc of zero
//! capacity stays in its component, so an asset out keeps the shape):
//! [`FlowGraph::min_cost_max_flow_from`] replays that solve's augmenting paths on today's
//! capacities for as long as a cold solve would take them, so the flows are a cold solve's, to
//! the bit. The last solve of each shape is kept, within four words per arc of the memo's
//! budget, oldest shape forgotten first.
//!
//! Solving a component alone gives the flows the joint solve gives it: successive shortest
//! paths never route one component's flow through another (they meet only at the source and
//! the sink), so each component sees the same sequence of augmenting paths. Zero-capacity arcs
//! carry nothing and join nothing: one goes with the component its ends lie in, if they lie in
//! one, and is otherwise left out.

use std::collections::{HashMap, HashSet, VecDeque};

use super::flow::{EPS, FlowError, FlowGraph, FlowTotals, Trace};

/// Most arcs of keys the memo holds (per solver, so per thread) on small networks: about
/// 0.5 MB.
pub const MEMO_ARCS: usize = 1 << 14;
/// On larger networks the memo holds this many times the arcs of the largest graph solved.
pub const MEMO_GRAPHS: usize = 4;
/// Words a warm start's store may hold per arc the memo may hold (a shape, its capacities and
/// its augmenting paths take about 3 words an arc and a few per path).
pub const WARM_WORDS: usize = 4;
/// Most hashes of components seen once that the solver keeps: a component is remembered when
/// it is solved a second time.
pub const SEEN: usize = 1 << 14;

/// How many components were solved and how many came from the memo.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SolveStats {
    /// Calls to [`Solver::solve`].
    pub graphs: u64,
    /// Components met (each graph has one or more).
    pub components: u64,
    /// Components whose solution came from the memo.
    pub memo_hits: u64,
    /// Arcs in all the components met.
    pub arcs: u64,
    /// Arcs in the components that came from the memo.
    pub hit_arcs: u64,
    /// Components solved warm, from the last solve of the same arcs and costs.
    pub warm: u64,
    /// Augmenting paths those warm solves replayed without a search.
    pub replayed: u64,
    /// Shortest-path searches made in all the components solved (cold or warm).
    pub searches: u64,
}

impl std::ops::Sub for SolveStats {
    type Output = SolveStats;
    /// The counts between two readings.
    fn sub(self, o: SolveStats) -> SolveStats {
        SolveStats {
            graphs: self.graphs - o.graphs,
            components: self.components - o.components,
            memo_hits: self.memo_hits - o.memo_hits,
            arcs: self.arcs - o.arcs,
            hit_arcs: self.hit_arcs - o.hit_arcs,
            warm: self.warm - o.warm,
            replayed: self.replayed - o.replayed,
            searches: self.searches - o.searches,
        }
    }
}

/// An arc as the solver reads it: tail, head, capacity and cost per unit.
pub trait ArcData {
    /// (tail, head, capacity, cost).
    fn arc(&self) -> (usize, usize, f64, f64);
}

impl ArcData for (usize, usize, f64, f64) {
    fn arc(&self) -> (usize, usize, f64, f64) {
        *self
    }
}

/// The last solve of a component's arcs and costs: its capacities and augmenting paths.
struct Warm {
    /// The arcs' renumbered ends and costs, as `Solver::key` without the capacities.
    shape: Vec<u64>,
    caps: Vec<f64>,
    trace: Trace,
}

/// One remembered component: its key and the flows of its arcs, in order.
struct Entry {
    key: Vec<u64>,
    flows: Vec<f64>,
}

/// What a value costs a [`Store`]'s budget.
trait Held {
    fn held(&self) -> usize;
}

impl Held for Entry {
    /// Arcs.
    fn held(&self) -> usize {
        self.flows.len()
    }
}

impl Held for Warm {
    /// Words.
    fn held(&self) -> usize {
        self.shape.len() + self.caps.len() + self.trace.words()
    }
}

/// Values found by a 64-bit hash, at most `budget` of [`Held`] in all: when full, the oldest
/// are forgotten first (so what it holds depends only on the sequence of insertions).
struct Store<T> {
    by_hash: HashMap<u64, Vec<usize>>,
    slots: Vec<Option<(u64, T)>>,
    /// Slots in use, oldest first; slots forgotten, to reuse.
    order: VecDeque<usize>,
    free: Vec<usize>,
    held: usize,
    budget: usize,
}

impl<T: Held> Store<T> {
    fn new(budget: usize) -> Self {
        Store {
            by_hash: HashMap::new(),
            slots: Vec::new(),
            order: VecDeque::new(),
            free: Vec::new(),
            held: 0,
            budget,
        }
    }

    /// The slot of a value with hash `hash` that `is` accepts.
    fn find(&self, hash: u64, is: impl Fn(&T) -> bool) -> Option<usize> {
        self.by_hash
            .get(&hash)?
            .iter()
            .copied()
            .find(|&i| self.slots[i].as_ref().is_some_and(|(_, v)| is(v)))
    }

    fn get(&self, slot: usize) -> &T {
        &self.slots[slot].as_ref().expect("a live slot").1
    }

    /// Changes the value in `slot` in place (its cost to the budget re-counted).
    fn update(&mut self, slot: usize, f: impl FnOnce(&mut T)) {
        let v = &mut self.slots[slot].as_mut().expect("a live slot").1;
        self.held -= v.held();
        f(v);
        self.held += v.held();
    }

    /// Adds `v` (nothing when it alone exceeds the budget), forgetting the oldest while it
    /// would hold too much.
    fn insert(&mut self, hash: u64, v: T) {
        let size = v.held();
        if size > self.budget {
            return;
        }
        while self.held + size > self.budget {
            let Some(old) = self.order.pop_front() else {
                break;
            };
            if let Some((h, e)) = self.slots[old].take() {
                self.free.push(old);
                self.held -= e.held();
                if let Some(list) = self.by_hash.get_mut(&h) {
                    list.retain(|&i| i != old);
                    if list.is_empty() {
                        self.by_hash.remove(&h);
                    }
                }
            }
        }
        // Reuse a forgotten slot, else grow.
        let slot = self.free.pop().unwrap_or_else(|| {
            self.slots.push(None);
            self.slots.len() - 1
        });
        self.slots[slot] = Some((hash, v));
        self.held += size;
        self.order.push_back(slot);
        self.by_hash.entry(hash).or_default().push(slot);
    }
}

/// A reusable solver: scratch space, the memo and its counts.
pub struct Solver {
    graph: FlowGraph,
    parent: Vec<usize>,
    /// Per vertex: its number in the component being solved (`usize::MAX`: none yet).
    local: Vec<usize>,
    /// Solutions by key (at most `memo_arcs` arcs).
    memo: Store<Entry>,
    /// The last solve of each shape (at most 4 × `memo_arcs` words).
    warm: Store<Warm>,
    /// Hashes of keys solved once and not remembered (at most [`SEEN`], oldest first out).
    seen: HashSet<u64>,
    seen_order: VecDeque<u64>,
    /// Per root (vertex, or `vertices` + arc for an arc from s to t): its group in the graph
    /// being solved, `usize::MAX` for none.
    group_of: Vec<usize>,
    /// Per arc: its group (`usize::MAX`: it carries nothing).
    arc_group: Vec<usize>,
    /// The arcs of group `g` are `members[offsets[g]..offsets[g + 1]]`.
    members: Vec<usize>,
    offsets: Vec<usize>,
    /// The key of the group being solved, and its arcs' renumbered ends.
    key: Vec<u64>,
    ends: Vec<(usize, usize)>,
    memo_arcs: usize,
    /// The shape of the group being solved.
    shape: Vec<u64>,
    /// Whether the memo grows to [`MEMO_GRAPHS`] times the largest graph.
    grows: bool,
    stats: SolveStats,
}

impl Default for Solver {
    /// A solver whose memo holds [`MEMO_ARCS`] arcs, or [`MEMO_GRAPHS`] times the largest
    /// graph solved if that is more.
    fn default() -> Self {
        Solver {
            grows: true,
            ..Solver::with_memo(MEMO_ARCS)
        }
    }
}

impl Solver {
    /// A solver whose memo holds at most `memo_arcs` arcs, whatever the graphs (0: no memo).
    pub fn with_memo(memo_arcs: usize) -> Self {
        Solver {
            graph: FlowGraph::new(0),
            parent: Vec::new(),
            local: Vec::new(),
            memo: Store::new(memo_arcs),
            warm: Store::new(WARM_WORDS * memo_arcs),
            seen: HashSet::new(),
            seen_order: VecDeque::new(),
            group_of: Vec::new(),
            arc_group: Vec::new(),
            members: Vec::new(),
            offsets: Vec::new(),
            key: Vec::new(),
            ends: Vec::new(),
            memo_arcs,
            shape: Vec::new(),
            grows: false,
            stats: SolveStats::default(),
        }
    }

    /// The counts since the solver was made.
    pub fn stats(&self) -> SolveStats {
        self.stats
    }

    /// The maximum flow from `s` to `t` of least cost over `arcs` (tail, head, capacity, cost;
    /// a capacity below zero counts as zero) on `vertices` vertices: the flow on every arc, in
    /// order, and the totals (the net flow into `t` and the cost of all arcs' flows, computed
    /// from those flows).
    ///
    /// # Errors
    /// The first component whose solve trips [`FlowGraph`]'s iteration guard.
    pub fn solve<A: ArcData>(
        &mut self,
        vertices: usize,
        arcs: &[A],
        s: usize,
        t: usize,
    ) -> Result<(Vec<f64>, FlowTotals), FlowError> {
        self.stats.graphs += 1;
        if self.grows {
            self.memo_arcs = self.memo_arcs.max(MEMO_GRAPHS * arcs.len());
            self.memo.budget = self.memo_arcs;
            self.warm.budget = WARM_WORDS * self.memo_arcs;
        }
        let mut flows = vec![0.0; arcs.len()];
        if s != t {
            self.split(vertices, arcs, s, t);
            let (members, offsets) = (
                std::mem::take(&mut self.members),
                std::mem::take(&mut self.offsets),
            );
            let r = offsets.windows(2).try_for_each(|g| {
                self.solve_group(vertices, arcs, &members[g[0]..g[1]], s, t, &mut flows)
            });
            (self.members, self.offsets) = (members, offsets);
            r?;
        }
        // The totals from the flows, whether solved or remembered: net flow into t, and the
        // cost of every arc's flow.
        let mut totals = FlowTotals {
            flow: 0.0,
            cost: 0.0,
        };
        for (a, f) in arcs.iter().zip(&flows) {
            let (u, v, _, cost) = a.arc();
            if v == t && u != t {
                totals.flow += f;
            } else if u == t && v != t {
                totals.flow -= f;
            }
            totals.cost += cost * f;
        }
        Ok((flows, totals))
    }

    /// Groups the arcs that can carry flow by component: group `g` is
    /// `members[offsets[g]..offsets[g + 1]]`, arcs in order, groups in the order of their
    /// first arcs.
    fn split<A: ArcData>(&mut self, vertices: usize, arcs: &[A], s: usize, t: usize) {
        // Union-find over the vertices other than s and t, on arcs that can carry flow.
        self.parent.clear();
        self.parent.extend(0..vertices);
        for a in arcs {
            let (u, v, cap, _) = a.arc();
            if cap > EPS && u != s && u != t && v != s && v != t {
                let (ra, rb) = (find(&mut self.parent, u), find(&mut self.parent, v));
                if ra != rb {
                    // The smaller root wins: the same arcs always give the same roots.
                    let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
                    self.parent[hi] = lo;
                }
            }
        }
        // Each arc's group: that of the root of its end other than s and t (an arc from s
        // straight to t is a group of its own).
        self.group_of.clear();
        self.group_of.resize(vertices + arcs.len(), usize::MAX);
        self.arc_group.clear();
        self.offsets.clear();
        for (k, a) in arcs.iter().enumerate() {
            let (u, v, cap, _) = a.arc();
            if cap <= EPS {
                self.arc_group.push(usize::MAX);
                continue;
            }
            let root = if u != s && u != t {
                find(&mut self.parent, u)
            } else if v != s && v != t {
                find(&mut self.parent, v)
            } else {
                vertices + k
            };
            if self.group_of[root] == usize::MAX {
                self.group_of[root] = self.offsets.len();
                self.offsets.push(0);
            }
            let g = self.group_of[root];
            self.offsets[g] += 1;
            self.arc_group.push(g);
        }
        // An arc that carries nothing joins the group its ends lie in, if they lie in one
        // (it is never searched, so the flows are unchanged): an asset out keeps its
        // component's arcs, and so its warm start.
        for (k, a) in arcs.iter().enumerate() {
            let (u, v, cap, _) = a.arc();
            if cap > EPS {
                continue;
            }
            let inner = |x: usize| x != s && x != t;
            let root = match (inner(u), inner(v)) {
                (true, true) => {
                    let r = find(&mut self.parent, u);
                    if find(&mut self.parent, v) != r {
                        continue;
                    }
                    r
                }
                (true, false) => find(&mut self.parent, u),
                (false, true) => find(&mut self.parent, v),
                (false, false) => continue,
            };
            let g = self.group_of[root];
            if g != usize::MAX {
                self.offsets[g] += 1;
                self.arc_group[k] = g;
            }
        }
        // Counts to starts (a counting sort, stable: arcs keep their order in a group).
        let mut start = 0;
        for c in self.offsets.iter_mut() {
            let n = *c;
            *c = start;
            start += n;
        }
        self.offsets.push(start);
        self.members.clear();
        self.members.resize(start, 0);
        let mut fill = self.offsets.clone();
        for (k, &g) in self.arc_group.iter().enumerate() {
            if g != usize::MAX {
                self.members[fill[g]] = k;
                fill[g] += 1;
            }
        }
    }

    /// Solves one group of arcs (or takes it from the memo) and writes its flows.
    fn solve_group<A: ArcData>(
        &mut self,
        vertices: usize,
        arcs: &[A],
        members: &[usize],
        s: usize,
        t: usize,
        flows: &mut [f64],
    ) -> Result<(), FlowError> {
        self.stats.components += 1;
        self.stats.arcs += members.len() as u64;
        self.key.clear();
        self.key.push(((s as u64) << 32) ^ t as u64);
        for &k in members {
            let (u, v, cap, cost) = arcs[k].arc();
            self.key
                .extend([((u as u64) << 32) ^ v as u64, cap.to_bits(), cost.to_bits()]);
        }
        let hash = hash_words(&self.key);
        let key = &self.key;
        if let Some(found) = self.memo.find(hash, |e| e.key == *key) {
            self.stats.memo_hits += 1;
            self.stats.hit_arcs += members.len() as u64;
            for (&k, &f) in members.iter().zip(&self.memo.get(found).flows) {
                flows[k] = f;
            }
            return Ok(());
        }
        // Renumber: s is 0, t is 1, the others in order of appearance.
        // `local` is all `usize::MAX` between components (each resets what it set), so a
        // component costs its own size, not the graph's.
        if self.local.len() < vertices {
            self.local.resize(vertices, usize::MAX);
        }
        self.local[s] = 0;
        self.local[t] = 1;
        let mut n = 2;
        let mut number = |x: usize, local: &mut Vec<usize>| {
            if local[x] == usize::MAX {
                local[x] = n;
                n += 1;
            }
            local[x]
        };
        self.ends.clear();
        for &k in members {
            let (u, v, _, _) = arcs[k].arc();
            let lu = number(u, &mut self.local);
            let lv = number(v, &mut self.local);
            self.ends.push((lu, lv));
        }
        for &k in members {
            let (u, v, _, _) = arcs[k].arc();
            self.local[u] = usize::MAX;
            self.local[v] = usize::MAX;
        }
        self.local[s] = usize::MAX;
        self.local[t] = usize::MAX;
        self.graph.reset(n);
        for (&k, &(u, v)) in members.iter().zip(&self.ends) {
            let (_, _, cap, cost) = arcs[k].arc();
            self.graph.add_arc(u, v, cap, cost);
        }
        // Warm from the last solve of the same arcs and costs, if one is held.
        self.shape.clear();
        self.shape.push(self.key[0]);
        for (c, &(u, v)) in self.key[1..].chunks_exact(3).zip(&self.ends) {
            self.shape.extend([((u as u64) << 32) ^ v as u64, c[2]]);
        }
        let shape_hash = hash_words(&self.shape);
        let shape = &self.shape;
        let warm = self.warm.find(shape_hash, |w| w.shape == *shape);
        match warm.map(|i| self.warm.get(i)) {
            Some(w) => {
                let (_, r) = self.graph.min_cost_max_flow_from(0, 1, &w.caps, &w.trace)?;
                self.stats.warm += 1;
                self.stats.replayed += r.replayed as u64;
                self.stats.searches += r.searches as u64;
            }
            None => {
                self.graph.min_cost_max_flow(0, 1)?;
                self.stats.searches += self.graph.trace().paths() as u64 + 1;
            }
        }
        let caps = members.iter().map(|&k| arcs[k].arc().2);
        let trace = self.graph.trace();
        match warm {
            Some(i) => self.warm.update(i, |w| {
                w.caps.clear();
                w.caps.extend(caps);
                w.trace.clone_from(trace);
            }),
            None => {
                let w = Warm {
                    shape: self.shape.clone(),
                    caps: caps.collect(),
                    trace: trace.clone(),
                };
                self.warm.insert(shape_hash, w);
            }
        }
        let part: Vec<f64> = (0..members.len()).map(|i| self.graph.flow(i)).collect();
        for (&k, &f) in members.iter().zip(&part) {
            flows[k] = f;
        }
        // Remembered on its second sighting: most large components never repeat, and keeping
        // them would cost more than it saves.
        if self.seen.contains(&hash) {
            let key = self.key.clone();
            self.memo.insert(hash, Entry { key, flows: part });
        } else {
            if self.seen_order.len() >= SEEN
                && let Some(old) = self.seen_order.pop_front()
            {
                self.seen.remove(&old);
            }
            self.seen.insert(hash);
            self.seen_order.push_back(hash);
        }
        Ok(())
    }
}

/// Root of `x` with path halving.
fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// A 64-bit hash of words: four independent multiply–xorshift lanes (so the multiplications
/// overlap), then mixed; a collision only costs a comparison of keys.
fn hash_words(words: &[u64]) -> u64 {
    const M: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut lanes = [1u64, 2, 3, 4];
    let mut chunks = words.chunks_exact(4);
    for c in &mut chunks {
        for (l, w) in lanes.iter_mut().zip(c) {
            *l = (*l ^ w).wrapping_mul(M);
            *l ^= *l >> 32;
        }
    }
    for (l, w) in lanes.iter_mut().zip(chunks.remainder()) {
        *l = (*l ^ w).wrapping_mul(M);
    }
    let mut h = words.len() as u64;
    for l in lanes {
        h = (h ^ l).wrapping_mul(M);
        h ^= h >> 29;
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two regions joined only by s=0 and t=5: region A (1, 2) and region B (3, 4).
    fn two_regions(cap_b: f64) -> Vec<(usize, usize, f64, f64)> {
        vec![
            (0, 1, 10.0, 0.0),
            (0, 3, 10.0, 0.0),
            (1, 2, 6.0, 1.0),
            (3, 4, cap_b, 2.0),
            (2, 5, 100.0, 0.0),
            (4, 5, 100.0, 0.0),
            (1, 5, 100.0, 5.0),
            (3, 5, 100.0, 5.0),
        ]
    }

    #[test]
    fn regions_solve_apart_and_equal_the_joint_solve() {
        // By hand: region A sends 6 on 1→2→5 (cost 6) and 4 on 1→5 (cost 20); region B with
        // cap 7 sends 7 on 3→4→5 (14) and 3 on 3→5 (15). Flow 20, cost 55.
        let arcs = two_regions(7.0);
        let mut solver = Solver::default();
        let (flows, totals) = solver.solve(6, &arcs, 0, 5).unwrap();
        assert_eq!(flows, vec![10.0, 10.0, 6.0, 7.0, 6.0, 7.0, 4.0, 3.0]);
        assert_eq!(
            totals,
            FlowTotals {
                flow: 20.0,
                cost: 55.0
            }
        );
        assert_eq!(solver.stats().components, 2);
        let mut joint = FlowGraph::new(6);
        for a in &arcs {
            joint.add_arc(a.0, a.1, a.2, a.3);
        }
        joint.min_cost_max_flow(0, 5).unwrap();
        let joint_flows: Vec<f64> = (0..arcs.len()).map(|k| joint.flow(k)).collect();
        assert_eq!(flows, joint_flows);
    }

    #[test]
    fn an_unchanged_region_comes_from_the_memo_bit_for_bit() {
        let mut solver = Solver::default();
        let first = solver.solve(6, &two_regions(7.0), 0, 5).unwrap();
        let first_searches = solver.stats().searches;
        // Only region B changes. A is solved a second time, and remembered from now on; B is
        // solved: 3 on 3→4→5 (6) and 7 on 3→5 (35); A costs 26. Cost 67.
        let second = solver.solve(6, &two_regions(3.0), 0, 5).unwrap();
        assert_eq!(solver.stats().memo_hits, 0);
        // Both solved warm from the first solve of their arcs, with no search: A's paths are
        // pushed again as they were; B's first path, s→3→4→t, pushes 3, not 7, and saturates
        // 3→4 as before, and its second, s→3→t, pushes 7, not 3, and empties s→3 as before.
        let st = solver.stats();
        assert_eq!(
            (st.warm, st.searches - first_searches, st.replayed),
            (2, 0, 4)
        );
        assert_eq!(second.0, vec![10.0, 10.0, 6.0, 3.0, 6.0, 3.0, 4.0, 7.0]);
        assert_eq!(
            second.1,
            FlowTotals {
                flow: 20.0,
                cost: 67.0
            }
        );
        // Back to the first inputs: A from the memo, B(7) solved a second time: the very same
        // answer. Then both from the memo.
        assert_eq!(solver.solve(6, &two_regions(7.0), 0, 5).unwrap(), first);
        assert_eq!(solver.stats().memo_hits, 1);
        assert_eq!(solver.solve(6, &two_regions(7.0), 0, 5).unwrap(), first);
        assert_eq!(solver.stats().memo_hits, 3);
        // Without a memo: the same answers.
        let mut cold = Solver::with_memo(0);
        assert_eq!(cold.solve(6, &two_regions(3.0), 0, 5).unwrap(), second);
        assert_eq!(cold.solve(6, &two_regions(7.0), 0, 5).unwrap(), first);
        assert_eq!(cold.stats().memo_hits, 0);
    }

    #[test]
    fn the_memo_forgets_its_oldest_when_full() {
        // The same graph three times: both regions are remembered at the second solve and come
        // from the memo at the third. With room for one region (4 arcs) each evicts the other,
        // so nothing is ever found.
        let hits = |memo| {
            let mut solver = Solver::with_memo(memo);
            for _ in 0..3 {
                solver.solve(6, &two_regions(7.0), 0, 5).unwrap();
            }
            assert!(solver.memo.held <= memo);
            solver.stats().memo_hits
        };
        assert_eq!(hits(MEMO_ARCS), 2);
        // The default memo grows with the graphs: it holds MEMO_GRAPHS of the largest.
        let mut grown = Solver::default();
        let big: Vec<_> = (0..MEMO_ARCS).map(|k| (0, 5, 1.0, k as f64)).collect();
        grown.solve(6, &big, 0, 5).unwrap();
        assert_eq!(grown.memo_arcs, MEMO_GRAPHS * MEMO_ARCS);
        assert_eq!(hits(4), 0);
    }
}
