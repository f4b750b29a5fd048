//! `corridor` models how Kazakhstan's crude oil and international data traffic leave the
//! country, and what happens when something breaks.
//!
//! The pipeline is load → validate → compute → report:
//!
//! ```
//! use corridor::{engine, io, model::Layer};
//!
//! // The built-in Kazakhstan network, embedded from `routes/` at build time.
//! let loaded = io::load_embedded(true).expect("the shipped data loads under --strict");
//! let oil = engine::layer_indicators(&loaded.network, Layer::Oil, false).expect("the solver converges");
//! assert!(oil.russia_share > 0.5, "most export capacity transits Russia");
//! ```
//!
//! Layers: [`model`] (plain data) ← [`engine`] (flows and indicators) ← [`io`] (files into the
//! model) and [`report`] (rows into tables, JSON, GeoJSON) ← the `corridor` binary.

pub mod app;
pub mod engine;
pub mod io;
pub mod model;
pub mod report;
