//! Parsing and validation of input files into the model.
//!
//! - [`network`]: the network files (`routes/*.toml`), their raw tables and their resolution;
//! - [`scenario`]: scenario files, their events, supply and Monte Carlo tables;
//! - [`variant`]: diversification options applied to a network;
//! - [`resolve`]: the resolver every file kind shares (figures, units, provenance);
//! - [`dictionary`]: every field of every file kind, with its type, unit and default;
//! - [`diag`] and [`error`]: diagnostics as `file:line: field: problem (hint)`, and the load error;
//! - [`source`]: where files are read from (the disk, or memory for the embedded data and tests).

pub mod bounds;
pub mod diag;
pub mod dictionary;
pub mod embedded;
pub mod error;
pub mod network;
pub mod resolve;
pub mod scenario;
pub mod source;
pub mod variant;

pub use diag::{CHECKS, Diagnostic, Severity};

/// Whether `id` may name a scenario, a variant or an output folder: 1–80 ASCII letters, digits,
/// `-` and `_` (so no path separator, no `..`, nothing hidden). Output paths are built only from
/// ids that pass, never from a name read from a file.
///
/// # Errors
/// What is wrong with `id`, for a message.
pub fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() || id.len() > 80 {
        return Err(format!("`{id}` is not an id: it must have 1–80 characters"));
    }
    match id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        Some(c) => Err(format!(
            "`{id}` is not an id: `{}` is not allowed (ids are ASCII letters, digits, `-` and `_`)",
            c.escape_default()
        )),
        None => Ok(()),
    }
}
pub use error::LoadError;
pub use network::raw;
pub use network::{Loaded, load_dir, load_dir_in, load_embedded, parse_files};
pub use scenario::{
    LoadedScenario, load_scenario, load_scenario_in, parse_scenario, parse_scenario_in,
};
pub use source::{Disk, Memory, Source};
