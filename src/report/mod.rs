//! Turns results into rows, and rows into tables, CSV, JSON and GeoJSON.
//!
//! Works on rows only; never on engine internals.

pub mod chart;
pub mod mc;
pub mod network;
pub mod run;
pub mod write;

pub use write::{OutputError, write_atomic};
