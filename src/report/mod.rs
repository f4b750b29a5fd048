//! Turns results into rows, and rows into tables, CSV, JSON and GeoJSON.
//!
//! Works on rows only; never on engine internals.

pub mod chart;
pub mod compare;
pub mod compare_shards;
pub mod fmt;
pub mod gis;
pub mod hindcast;
pub mod html;
pub mod map;
pub mod mc;
pub mod network;
pub mod rows;
pub mod run;
pub mod stats_charts;
pub mod study_page;
pub mod sweep_chart;
pub mod timeseries;
pub mod units;
pub mod write;
pub mod xlsx;

pub use write::{OutputError, write_atomic};

/// Four decimals, without a negative zero: the fixed precision of every CSV number.
pub(crate) fn f4(x: f64) -> String {
    let s = format!("{x:.4}");
    if s == "-0.0000" { "0.0000".into() } else { s }
}

/// Rounds to four decimals (and drops a negative zero), for stable JSON numbers.
pub(crate) fn r4(x: f64) -> f64 {
    let v = (x * 10_000.0).round() / 10_000.0;
    if v == 0.0 { 0.0 } else { v }
}
