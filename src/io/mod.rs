//! Parsing and validation of input files into the model.

pub mod diag;
pub mod embedded;
pub mod raw;
pub mod routes;
pub mod scenario;
pub mod source;
pub mod variant;

pub use diag::{CHECKS, Diagnostic, Severity};
pub use routes::{LoadError, Loaded, load_dir, load_dir_in, load_embedded, parse_files};
pub use scenario::{
    LoadedScenario, load_scenario, load_scenario_in, parse_scenario, parse_scenario_in,
};
pub use source::{Disk, Memory, Source};
