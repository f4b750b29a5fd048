//! Errors of the application, each of one [`ErrorKind`] that the binary maps to an exit code.

use crate::io::LoadError;
use crate::report::OutputError;
use crate::report::chart::ChartError;
use crate::report::mc::MergeError;
use crate::report::timeseries::ChartDataError;

/// What went wrong, for the exit code: bad input (3), an output not written (4), or a bug (1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Input data invalid or unreadable; every problem is in the message.
    Input,
    /// An output file could not be written.
    Output,
    /// A bug.
    Internal,
    /// `corridor hindcast --check`: a reported figure outside its tolerance (exit 5).
    Check,
}

/// An error of a job. Every payload names the file, asset or scenario at fault.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A network, scenario or variant file does not load.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// Several inputs do not load: every message, one per line.
    #[error("{}", .0.join("\n"))]
    Inputs(Vec<String>),
    /// Any other problem with the input (wrong kind of scenario, a name clash, …).
    #[error("{0}")]
    Input(String),
    /// A chart's CSV cannot be read.
    #[error(transparent)]
    ChartData(#[from] ChartDataError),
    /// Shard partials that do not belong together.
    #[error(transparent)]
    Merge(#[from] MergeError),
    /// An output file could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// A chart could not be drawn or written.
    #[error(transparent)]
    Chart(#[from] ChartError),
    /// Reported figures the model does not reproduce within their tolerance (`hindcast --check`).
    #[error("{} reported figure(s) outside their tolerance: {}", .0.len(), .0.join("; "))]
    Hindcast(Vec<String>),
    /// A bug: a result that cannot be serialised, an invariant broken.
    #[error("internal error: {0}")]
    Internal(String),
    /// The flow solver's iteration guard tripped on a scenario (its message names the day,
    /// and the replicate or option): a bug, or an input the range checks should have refused.
    #[error("{scenario}: {error}")]
    Solve {
        /// The scenario's name.
        scenario: String,
        /// The engine's message.
        error: String,
    },
}

impl AppError {
    /// A failed solve of `scenario` (see [`AppError::Solve`]).
    pub fn solve(scenario: &str, error: impl std::fmt::Display) -> Self {
        AppError::Solve {
            scenario: scenario.to_string(),
            error: format!("{error} (please report it with the input files)"),
        }
    }
}

impl AppError {
    /// The kind of failure, for the exit code.
    pub fn kind(&self) -> ErrorKind {
        match self {
            AppError::Load(_)
            | AppError::Inputs(_)
            | AppError::Input(_)
            | AppError::ChartData(_)
            | AppError::Merge(_) => ErrorKind::Input,
            AppError::Output(_) | AppError::Chart(_) => ErrorKind::Output,
            AppError::Internal(_) | AppError::Solve { .. } => ErrorKind::Internal,
            AppError::Hindcast(_) => ErrorKind::Check,
        }
    }
}
