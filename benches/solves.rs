//! Where a Monte Carlo replicate-year's time goes, by count (issue 16): on one thread, for the
//! first `RUNS` replicates (default 300) of `scenarios/mc-random-failures.toml`, the failure
//! events sampled, the days the oil and data layers were solved, the time to sample and the
//! time to simulate. Solves per event is what an incremental solver would work against: the
//! floor of the event-driven loop is events × the cost of one (re-)solve.
//! Run with `cargo bench --bench solves` (`RUNS=1000 cargo bench --bench solves`);
//! `bench/profile.sh` runs it with a `perf` profile.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use corridor::engine::montecarlo::run_replicate;
use corridor::engine::sample::sample_replicate;
use corridor::engine::sim::{SimConfig, simulate};
use corridor::io::load_scenario;

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken.
    let runs: u64 = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(300);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/mc-random-failures.toml");
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

    let t = Instant::now();
    let (mut oil, mut data, mut days) = (0usize, 0usize, 0usize);
    for i in 0..runs {
        let (_, run) = run_replicate(net, sc, mc, &base, i).expect("replicate");
        oil += run.oil_solves;
        data += run.data_solves;
        days += run.days.len();
    }
    let total = t.elapsed().as_secs_f64();

    let n = runs as f64;
    println!("{runs} replicate-years of mc-random-failures, one thread");
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
}
