//! Where a Monte Carlo replicate-year's time goes, by count (issue 16): on one thread, for the
//! first `RUNS` replicates (default 300) of `scenarios/mc-random-failures.toml`, the failure
//! events sampled, the days the oil and data layers were solved, the time to sample and the
//! time to simulate. Solves per event is what an incremental solver would work against: the
//! floor of the event-driven loop is events × the cost of one (re-)solve.
//! Run with `cargo bench --bench solves` (`RUNS=1000 cargo bench --bench solves`;
//! `SCENARIO=FILE` for another Monte Carlo scenario);
//! `bench/profile.sh` runs it with a `perf` profile.
//!
//! With `TRACE=FILE` it also writes every min-cost maximum-flow problem those replicates
//! solved, one JSON object a line (`replicate`, `vertices`, `source`, `sink`, `arcs` as
//! `[tail, head, capacity, cost]`, and corridor's answer `flow` and `cost`), for the solver
//! peers of `bench/peers.sh` to solve the very same problems.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use corridor::engine::components::SolveStats;
use corridor::engine::montecarlo::run_replicate;
use corridor::engine::sample::sample_replicate;
use corridor::engine::sim::{SimConfig, TracedSolve, simulate, solve_stats, trace_solves};
use corridor::io::load_scenario;

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken.
    let runs: u64 = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(300);
    // `SCENARIO=FILE`: another Monte Carlo scenario (bench/scaling.sh's synthetic networks).
    let path = match std::env::var("SCENARIO") {
        Ok(p) => Path::new(&p).to_path_buf(),
        Err(_) => Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/mc-random-failures.toml"),
    };
    let l = load_scenario(&path, true).expect("shipped scenario");
    let (net, sc) = (&l.network, &l.scenario);
    let mc = sc.monte_carlo.as_ref().expect("a Monte Carlo scenario");
    let base = simulate(net, sc, SimConfig::BASELINE_TOTALS).expect("baseline");
    let doy0 = sc.start.day_of_year0();

    let t = Instant::now();
    let mut events = 0usize;
    for i in 0..runs {
        events += black_box(sample_replicate(net, mc, sc.horizon_days, doy0, i))
            .events
            .len();
    }
    let sampling = t.elapsed().as_secs_f64();

    let before = solve_stats();
    let t = Instant::now();
    let (mut oil, mut data, mut days) = (0usize, 0usize, 0usize);
    for i in 0..runs {
        let (_, run) = run_replicate(net, sc, mc, &base, i).expect("replicate");
        oil += run.oil_solves;
        data += run.data_solves;
        days += run.days.len();
    }
    let total = t.elapsed().as_secs_f64();
    let after = solve_stats();
    let stats: SolveStats = after - before;

    if let Ok(file) = std::env::var("TRACE") {
        write_trace(Path::new(&file), net, sc, mc, &base, runs);
    }

    let n = runs as f64;
    println!(
        "{runs} replicate-years of {}, one thread",
        path.file_stem().unwrap_or_default().to_string_lossy()
    );
    println!(
        "  failure events sampled: {:.1} a replicate-year",
        events as f64 / n
    );
    println!(
        "  days solved: oil {:.1}, data {:.1} a replicate-year (of {:.0} days)",
        oil as f64 / n,
        data as f64 / n,
        days as f64 / n
    );
    println!(
        "  oil solves per failure event: {:.2}",
        oil as f64 / events.max(1) as f64
    );
    println!(
        "  time a replicate-year: {:.3} ms in all (sampling {:.3} ms, {:.1}%)",
        total / n * 1e3,
        sampling / n * 1e3,
        sampling / total * 100.0
    );
    println!(
        "  time a solved day (all the replicate's time over its oil solves): {:.1} µs",
        total / oil.max(1) as f64 * 1e6
    );
    println!(
        "  min-cost-flow graphs: {:.1} a replicate-year, {:.2} components each; memo hits {:.1}% of components ({:.1}% of their arcs)",
        stats.graphs as f64 / n,
        stats.components as f64 / stats.graphs.max(1) as f64,
        stats.memo_hits as f64 / stats.components.max(1) as f64 * 100.0,
        stats.hit_arcs as f64 / stats.arcs.max(1) as f64 * 100.0
    );
    let solved = stats.components - stats.memo_hits;
    let paths = stats.replayed + stats.searches - (solved - stats.warm).min(stats.searches);
    println!(
        "  components solved: {:.1} a replicate-year, {:.1}% warm; augmenting paths {:.1} a solve, {:.1}% replayed without a search; searches {:.2} a solve",
        solved as f64 / n,
        stats.warm as f64 / solved.max(1) as f64 * 100.0,
        paths as f64 / solved.max(1) as f64,
        stats.replayed as f64 / paths.max(1) as f64 * 100.0,
        stats.searches as f64 / solved.max(1) as f64,
    );
}

/// Writes the min-cost-flow problems of the first `runs` replicates to `file`, one JSON line
/// each (see the module notes).
fn write_trace(
    file: &Path,
    net: &corridor::model::Network,
    sc: &corridor::model::Scenario,
    mc: &corridor::model::MonteCarlo,
    base: &corridor::engine::sim::SimResult,
    runs: u64,
) {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(file).expect("trace file"));
    let mut solves = 0usize;
    for i in 0..runs {
        let (r, log) = trace_solves(|| run_replicate(net, sc, mc, base, i));
        r.expect("replicate");
        solves += log.len();
        for TracedSolve {
            vertices,
            source,
            sink,
            arcs,
            totals,
        } in log
        {
            let arcs: Vec<[serde_json::Value; 4]> = arcs
                .iter()
                .map(|&(u, v, cap, cost)| [u.into(), v.into(), cap.into(), cost.into()])
                .collect();
            let line = serde_json::json!({
                "replicate": i, "vertices": vertices, "source": source, "sink": sink,
                "arcs": arcs, "flow": totals.flow, "cost": totals.cost,
            });
            writeln!(out, "{line}").expect("trace file");
        }
    }
    out.flush().expect("trace file");
    println!(
        "  traced {solves} min-cost-flow problems of {runs} replicate-years to {}",
        file.display()
    );
}
