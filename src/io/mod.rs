//! Parsing and validation of input files into the model.
//!
//! - [`network`]: the network files (`routes/*.toml`), their raw tables and their resolution;
//! - [`scenario`]: scenario files, their events, supply and Monte Carlo tables;
//! - [`variant`]: diversification options applied to a network;
//! - [`resolve`]: the resolver every file kind shares (figures, units, provenance);
//! - [`dictionary`]: every field of every file kind, with its type, unit and default;
//! - [`diag`] and [`error`]: diagnostics as `file:line: field: problem (hint)`, and the load error;
//! - [`limits`]: what one command may read and simulate (`--allow-large` lifts it);
//! - [`source`]: where files are read from (the disk, or memory for the embedded data and tests).

pub mod bounds;
pub mod diag;
pub mod dictionary;
pub mod embedded;
pub mod error;
pub mod limits;
pub mod network;
pub mod resolve;
pub mod scenario;
pub mod source;
pub mod sweep;
pub mod variant;

pub use crate::model::check_id;
pub use diag::{CHECKS, Diagnostic, Severity};
pub use error::LoadError;
pub use limits::Limits;
pub use network::raw;
pub use network::{Loaded, load_dir, load_dir_in, load_embedded, parse_files};
pub use scenario::{
    LoadedScenario, load_scenario, load_scenario_in, load_scenario_with, parse_override,
    parse_scenario, parse_scenario_in, parse_scenario_with,
};
pub use source::{Disk, Memory, Source};
