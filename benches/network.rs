//! Criterion benchmarks of the network indicators on the shipped dataset.
//! Run with `cargo bench --bench network`; `bench/run.sh` records the figures.

use std::hint::black_box;

use corridor::engine::{FlowOptions, FlowProblem, layer_indicators};
use corridor::io::load_embedded;
use corridor::model::Layer;
use criterion::{Criterion, criterion_group, criterion_main};

fn benches(c: &mut Criterion) {
    let net = load_embedded(true).expect("shipped data").network;
    let oil = FlowProblem::new(&net, Layer::Oil, FlowOptions::default());
    c.bench_function("load_embedded_strict", |b| {
        b.iter(|| black_box(load_embedded(true).expect("loads")))
    });
    c.bench_function("oil_max_flow_single_solve", |b| {
        b.iter(|| black_box(oil.solve_intact().unwrap().value))
    });
    c.bench_function("oil_indicators_with_n_minus_1", |b| {
        b.iter(|| black_box(layer_indicators(&net, Layer::Oil, false).unwrap()))
    });
    c.bench_function("network_report_both_layers", |b| {
        b.iter(|| {
            let ind = corridor::engine::network_indicators(&net, true).unwrap();
            black_box(corridor::report::network::build(&net, &ind))
        })
    });
}

criterion_group!(group, benches);
criterion_main!(group);
