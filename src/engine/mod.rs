#![warn(missing_docs)]
//! Pure computation on the model: flow allocation and structural indicators.
//!
//! No file access and no printing; results are plain structs that `report` turns into rows.

pub mod compare;
pub mod components;
pub mod dist;
pub mod flow;
pub mod hindcast;
pub mod indicators;
pub mod latency;
pub mod metrics;
pub mod montecarlo;
pub mod portfolio;
pub mod problem;
pub mod sample;
pub mod sim;

pub use indicators::{
    LayerIndicators, NMinus1, NetworkIndicators, RouteShare, layer_indicators, network_indicators,
};
pub use problem::{FlowOptions, FlowProblem, FlowResult};
