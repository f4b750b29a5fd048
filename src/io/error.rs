//! The error of loading any input file.

use std::path::PathBuf;

use super::diag::Diagnostic;

/// Why a network could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The reason is in the message, not in the error chain, so that it shows once.
    #[error("cannot read {path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "{dir}: no *.toml network files found (hint: point --routes at a directory like routes/)"
    )]
    Empty { dir: PathBuf },
    /// A file whose name cannot be an id (the id names its output folder).
    #[error(
        "{path}: {problem} (hint: rename the file; its name without `.toml` names the output folder)"
    )]
    Id { path: String, problem: String },
    /// A combination of options that cannot be applied as written.
    #[error("variant `{spec}`: {problem}")]
    Variant { spec: String, problem: String },
    /// A `--set KEY=VALUE` that cannot apply to the scenario file.
    #[error("{path}: --set {spec}: {problem}")]
    Override {
        path: String,
        spec: String,
        problem: String,
    },
    /// The input has errors (or warnings under `--strict`); every diagnostic is listed.
    #[error("{} problem(s) in the input:\n{}", .0.len(), .0.iter().map(|d| format!("  {d}")).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Diagnostic>),
}
