//! Loading the inputs of a job: networks and scenarios, every problem of every file reported
//! together, and their warnings collected once.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{AppError, Sink};
use crate::io::{self, Limits, Loaded, LoadedScenario, Source};

/// Loads the network in `routes` (a directory), or the embedded dataset.
///
/// # Errors
/// [`AppError::Load`] with every problem.
pub fn load_network(routes: Option<&Path>, strict: bool) -> Result<Loaded, AppError> {
    Ok(match routes {
        Some(dir) => io::load_dir(dir, strict)?,
        None => io::load_embedded(strict)?,
    })
}

/// Loads every scenario of `paths` from `source` (in parallel) with `overrides` (`--set`)
/// applied to each, reporting the problems of all of them before failing. The result is in the
/// order of `paths`.
///
/// # Errors
/// [`AppError::Inputs`] with every file's problems.
pub fn load_scenarios(
    source: &dyn Source,
    paths: &[PathBuf],
    strict: bool,
    overrides: &[(String, String)],
) -> Result<Vec<LoadedScenario>, AppError> {
    let results: Vec<_> = paths
        .par_iter()
        .map(|p| io::load_scenario_with(source, p, strict, overrides))
        .collect();
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(l) => ok.push(l),
            Err(e) => errors.push(e.to_string()),
        }
    }
    if errors.is_empty() {
        Ok(ok)
    } else {
        Err(AppError::Inputs(errors))
    }
}

/// The warnings of `scenarios` (their own and their networks'), each once, in order.
pub fn warnings(scenarios: &[LoadedScenario]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    scenarios
        .iter()
        .flat_map(|l| &l.warnings)
        .map(ToString::to_string)
        .filter(|w| seen.insert(w.clone()))
        .collect()
}

/// Refuses a command whose Monte Carlo work (`parts`, as [`Limits::check_work`] takes them)
/// is above `limits`, before anything runs.
///
/// # Errors
/// [`AppError::Input`] naming the largest part, the total and the way round.
pub fn check_work(limits: &Limits, parts: &[(String, u64, u32, u64)]) -> Result<(), AppError> {
    limits.check_work(parts).map_err(AppError::Input)
}

/// Notes each warning on the sink.
pub fn note_warnings(sink: &mut dyn Sink, warnings: &[String]) {
    for w in warnings {
        sink.note(&format!("warning: {w}"));
    }
}

/// Refuses two scenarios whose outputs would go to the same directory.
///
/// # Errors
/// [`AppError::Input`] naming the scenario.
pub fn unique_ids(scenarios: &[&LoadedScenario], sink: &dyn Sink) -> Result<(), AppError> {
    let mut seen = BTreeSet::new();
    for l in scenarios {
        if !seen.insert(l.id.clone()) {
            return Err(AppError::Input(format!(
                "two scenarios share the name `{}`; their outputs would collide in {}",
                l.id,
                sink.display(Path::new(&l.id))
            )));
        }
    }
    Ok(())
}
