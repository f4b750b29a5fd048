//! Invariants of the flow solver on random networks: flow within capacity, mass balance at
//! every vertex, the same maximum as petgraph's Dinic (an independent implementation), and no
//! negative-cost cycle left in the residual graph (so the cost is minimal).

use corridor::engine::flow::FlowGraph;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

struct Arc {
    u: usize,
    v: usize,
    cap: f64,
    cost: f64,
}

fn random_network(seed: u64) -> (usize, Vec<Arc>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = rng.random_range(4..14usize);
    let m = rng.random_range(n..4 * n);
    let mut arcs = Vec::new();
    for _ in 0..m {
        let u = rng.random_range(0..n);
        let v = rng.random_range(0..n);
        if u == v {
            continue;
        }
        // Fractional capacities, some zero; integer-ish costs, some zero.
        let cap = if rng.random_range(0..10) == 0 {
            0.0
        } else {
            rng.random_range(0.0..100.0)
        };
        let cost = rng.random_range(0..20) as f64;
        arcs.push(Arc { u, v, cap, cost });
    }
    (n, arcs)
}

#[test]
fn random_networks_respect_capacity_balance_and_match_petgraph() {
    let mut checked_positive = 0;
    for seed in 0..300u64 {
        let (n, arcs) = random_network(seed);
        let (s, t) = (0, n - 1);
        let mut g = FlowGraph::new(n);
        for a in &arcs {
            g.add_arc(a.u, a.v, a.cap, a.cost);
        }
        let total = g.min_cost_max_flow(s, t).unwrap();
        let tol = 1e-7;

        // Flow within [0, capacity] on every arc.
        let flows: Vec<f64> = (0..arcs.len()).map(|k| g.flow(k)).collect();
        for (a, f) in arcs.iter().zip(&flows) {
            assert!(
                *f >= -tol && *f <= a.cap + tol,
                "seed {seed}: flow {f} cap {}",
                a.cap
            );
        }
        // Mass balance: net outflow is +F at s, −F at t and 0 elsewhere.
        let mut net = vec![0.0; n];
        for (a, f) in arcs.iter().zip(&flows) {
            net[a.u] += f;
            net[a.v] -= f;
        }
        for (i, x) in net.iter().enumerate() {
            let want = if i == s {
                total.flow
            } else if i == t {
                -total.flow
            } else {
                0.0
            };
            assert!(
                (x - want).abs() < tol,
                "seed {seed}: vertex {i} balance {x} want {want}"
            );
        }
        // Cost equals Σ flow × cost.
        let cost: f64 = arcs.iter().zip(&flows).map(|(a, f)| a.cost * f).sum();
        assert!(
            (cost - total.cost).abs() < 1e-6 * (1.0 + cost.abs()),
            "seed {seed}"
        );

        // Same maximum as petgraph's Dinic.
        let mut pg = petgraph::Graph::<(), f64>::new();
        let ix: Vec<_> = (0..n).map(|_| pg.add_node(())).collect();
        for a in &arcs {
            pg.add_edge(ix[a.u], ix[a.v], a.cap);
        }
        let (pg_flow, _) = petgraph::algo::dinics(&pg, ix[s], ix[t]);
        assert!(
            (pg_flow - total.flow).abs() < 1e-6,
            "seed {seed}: ours {} petgraph {pg_flow}",
            total.flow
        );

        // Optimal cost: Bellman–Ford on the residual graph finds no negative cycle.
        let mut res: Vec<(usize, usize, f64)> = Vec::new();
        for (a, f) in arcs.iter().zip(&flows) {
            if a.cap - f > tol {
                res.push((a.u, a.v, a.cost));
            }
            if *f > tol {
                res.push((a.v, a.u, -a.cost));
            }
        }
        let mut d = vec![0.0f64; n];
        for _ in 0..n {
            for &(u, v, c) in &res {
                if d[u] + c < d[v] - 1e-9 {
                    d[v] = d[u] + c;
                }
            }
        }
        for &(u, v, c) in &res {
            assert!(
                d[u] + c >= d[v] - 1e-9,
                "seed {seed}: negative residual cycle"
            );
        }
        if total.flow > 0.0 {
            checked_positive += 1;
        }
    }
    // The generator must produce real work, or this test proves nothing.
    assert!(checked_positive > 100, "{checked_positive}");
}
