//! The application: one job per command, each taking loaded data and a validated config and
//! writing typed results to an output [`Sink`] (a directory, or memory in tests).
//!
//! Jobs compose: [`study`] runs the network, scenario, Monte Carlo and comparison jobs on the
//! data it has loaded once, never through the command line and never by reading back a file it
//! has just written. The `corridor` binary only parses arguments into these configs, calls a
//! job, and maps an [`AppError`] to its exit code.

pub mod chart;
pub mod compare;
pub mod diff;
pub mod error;
pub mod hindcast;
pub mod histories;
pub mod inputs;
pub mod list;
pub mod montecarlo;
pub mod network;
pub mod new;
pub mod optimise;
pub mod run;
pub mod sink;
pub mod study;
pub mod sweep;

pub use error::{AppError, ErrorKind};
pub use sink::{DirSink, MemorySink, Sink};
