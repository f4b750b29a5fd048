//! Options: a named set of changes to the network with its annual cost.

use super::Network;

/// A resolved option (variant): the network with its changes applied, and what it costs.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The id used on the command line (file stem; `a+b` when composed; `status-quo`).
    pub id: String,
    /// Readable name (`a + b` when composed).
    pub name: String,
    /// Annual cost.
    ///
    /// # Units
    /// US$ per year.
    pub annual_cost_usd: f64,
    /// The network with the variant's changes applied.
    pub network: Network,
    /// Input files read, as (name, text).
    pub files: Vec<(String, String)>,
    /// Options this one cannot be combined with (its files' `excludes`, by id): the optimiser
    /// never puts them in one portfolio.
    pub excludes: Vec<String>,
    /// Options some part of it needs that it does not hold (its files' `requires`, by id): the
    /// optimiser puts it only in portfolios that hold them, and `corridor compare` refuses it.
    pub requires: Vec<String>,
    /// Years from the decision to service (its files' `lead_time`; the longest of a
    /// combination's parts; 0 for the status quo; `None` when a part gives none).
    ///
    /// # Units
    /// Years.
    pub lead_years: Option<f64>,
    /// The levels of its sizing knob (`[size]`), in the file's unit, when it is one sized
    /// option (empty otherwise): `corridor optimise` chooses among them.
    pub levels: Vec<f64>,
}
