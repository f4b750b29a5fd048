//! Criterion benchmarks of the scenario engine: one simulated year of the shipped scenarios,
//! event-driven and solving every day. Simulated days per second = 365 / time per iteration.
//! Run with `cargo bench --bench scenario`; `bench/run.sh` records the figures.

use std::hint::black_box;
use std::path::Path;

use corridor::engine::sim::{SimConfig, simulate};
use corridor::io::load_scenario;
use criterion::{Criterion, criterion_group, criterion_main};

fn benches(c: &mut Criterion) {
    for name in ["baseline", "replay-2022", "russia-transit-cutoff"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.toml"));
        let l = load_scenario(&path, true).expect("shipped scenario");
        for (mode, every_day) in [("event_driven", false), ("every_day", true)] {
            let cfg = SimConfig {
                with_events: true,
                every_day,
                totals_only: false,
            };
            c.bench_function(&format!("year_{name}_{mode}"), |b| {
                b.iter(|| black_box(simulate(&l.network, &l.scenario, cfg).unwrap().days.len()))
            });
        }
    }
}

criterion_group!(group, benches);
criterion_main!(group);
