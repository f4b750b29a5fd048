//! `corridor hindcast`: runs the history scenarios (one per past event, each on the network of
//! its date) and sets each `[[reported]]` figure against the model: `hindcast.csv`, a chart, and
//! the table on stdout.

use std::path::Path;

use rayon::prelude::*;

use super::inputs::{load_scenarios, note_warnings, unique_ids, warnings};
use super::sink::{write_chart, write_table};
use super::{AppError, Sink};
use crate::engine::hindcast::check;
use crate::engine::sim::{SimConfig, simulate};
use crate::io::{LoadedScenario, Source};
use crate::report::hindcast::{HindcastChart, table};
use crate::report::rows::{F4, HindcastRow};

/// The rows of the hindcast for `scenarios` (in their order, each scenario's figures in file
/// order), then, for a scenario with events, a `model` row: its lost exports over the run, the
/// model's figure for the event whether or not an outcome was found to set against it. A
/// scenario with neither gives no row.
pub fn rows(scenarios: &[&LoadedScenario]) -> Vec<HindcastRow> {
    let per: Vec<Vec<HindcastRow>> = scenarios
        .par_iter()
        .map(|l| {
            if l.scenario.reported.is_empty() && l.scenario.events.is_empty() {
                return Vec::new();
            }
            let sim = |with_events| SimConfig {
                with_events,
                every_day: false,
                totals_only: false,
            };
            let base = simulate(&l.network, &l.scenario, sim(false));
            let run = simulate(&l.network, &l.scenario, sim(true));
            let start = l.scenario.start;
            l.scenario
                .reported
                .iter()
                .map(|rep| {
                    let c = check(rep, &run, &base);
                    HindcastRow {
                        case: l.id.clone(),
                        name: rep.name.clone(),
                        quantity: rep.quantity.as_str().into(),
                        routes: rep.routes.join(" "),
                        from: start.plus(rep.from).to_string(),
                        to: start.plus(rep.to).to_string(),
                        unit: if rep.quantity.is_share() {
                            "fraction"
                        } else {
                            "Mt"
                        }
                        .into(),
                        model: F4::new(c.model),
                        reported: Some(F4::new(rep.value)),
                        ratio: c.ratio.map(F4::new),
                        tolerance: rep.tolerance.map(F4::new),
                        result: match c.pass {
                            Some(true) => "pass",
                            Some(false) => "fail",
                            None => "shown",
                        }
                        .into(),
                        source: rep.source.clone(),
                    }
                })
                .chain((!l.scenario.events.is_empty()).then(|| {
                    let total = |r: &crate::engine::sim::SimResult| {
                        r.days.iter().map(|d| d.exports_kt).sum::<f64>()
                    };
                    HindcastRow {
                        case: l.id.clone(),
                        name: "Lost exports over the run".into(),
                        quantity: "lost_exports".into(),
                        routes: String::new(),
                        from: start.to_string(),
                        to: start
                            .plus(i64::from(l.scenario.horizon_days) - 1)
                            .to_string(),
                        unit: "Mt".into(),
                        model: F4::new((total(&base) - total(&run)) / 1000.0),
                        reported: None,
                        ratio: None,
                        tolerance: None,
                        result: "model".into(),
                        source: "the model's figure; set it against reported outcomes where found"
                            .into(),
                    }
                }))
                .collect()
        })
        .collect();
    per.into_iter().flatten().collect()
}

/// Writes `hindcast.csv` and `hindcast.png`/`.svg` for `rows` and prints the table.
///
/// # Errors
/// Output errors.
pub fn write(rows: &[HindcastRow], sink: &mut dyn Sink) -> Result<(), AppError> {
    write_table(sink, Path::new("hindcast.csv"), rows)?;
    write_chart(sink, Path::new("hindcast"), &HindcastChart::new(rows))?;
    sink.print(&table(rows));
    Ok(())
}

/// `corridor hindcast [DIR]`: loads every scenario in `dir` from `source` (every problem before
/// anything runs), runs them and writes the hindcast. With `check`, a toleranced figure outside
/// its tolerance is an error ([`AppError::Hindcast`], exit 5) after everything is written.
///
/// # Errors
/// Input and output errors; [`AppError::Hindcast`] under `check`.
pub fn job(
    source: &dyn Source,
    dir: &Path,
    strict: bool,
    check: bool,
    sink: &mut dyn Sink,
) -> Result<Vec<HindcastRow>, AppError> {
    let paths = source.toml_files(dir).unwrap_or_default();
    if paths.is_empty() {
        return Err(AppError::Input(format!(
            "{}: no history scenarios (*.toml)",
            dir.display()
        )));
    }
    let all = load_scenarios(source, &paths, strict)?;
    note_warnings(sink, &warnings(&all));
    let refs: Vec<&LoadedScenario> = all.iter().collect();
    unique_ids(&refs, sink)?;
    let rows = rows(&refs);
    write(&rows, sink)?;
    let failed: Vec<String> = rows
        .iter()
        .filter(|r| r.result == "fail")
        .map(|r| format!("{}: {}", r.case, r.name))
        .collect();
    if check && !failed.is_empty() {
        return Err(AppError::Hindcast(failed));
    }
    Ok(rows)
}
