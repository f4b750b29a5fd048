//! `corridor hindcast`: runs the history scenarios (one per past event, each on the network of
//! its date) and sets each `[[reported]]` figure against the model: `hindcast.csv`, a chart, and
//! the table on stdout.

use std::path::Path;

use rayon::prelude::*;

use super::inputs::{load_scenarios, note_warnings, unique_ids, warnings};
use super::sink::{write_chart, write_table};
use super::{AppError, Sink};
use crate::engine::hindcast::check;
use crate::engine::metrics::outage_hours;
use crate::engine::sim::{SimConfig, SimResult, simulate};
use crate::io::{LoadedScenario, Source};
use crate::report::hindcast::{HindcastChart, table};
use crate::report::rows::{F4, HindcastRow};

/// The rows of the hindcast for `scenarios` (in their order, each scenario's figures in file
/// order), then, for a scenario with events, a `model` row: its lost exports over the run, the
/// model's figure for the event whether or not an outcome was found to set against it. A
/// scenario with neither gives no row.
///
/// # Errors
/// [`AppError::Solve`] for the first scenario (in order) whose run cannot be solved.
pub fn rows(scenarios: &[&LoadedScenario]) -> Result<Vec<HindcastRow>, AppError> {
    let per: Vec<Result<Vec<HindcastRow>, AppError>> = scenarios
        .par_iter()
        .map(|l| {
            if l.scenario.reported.is_empty() && l.scenario.events.is_empty() {
                return Ok(Vec::new());
            }
            let sim = |with_events| SimConfig {
                with_events,
                every_day: false,
                totals_only: false,
            };
            let solve = |e| AppError::solve(&l.id, e);
            let base = simulate(&l.network, &l.scenario, sim(false)).map_err(solve)?;
            let run = simulate(&l.network, &l.scenario, sim(true)).map_err(solve)?;
            let start = l.scenario.start;
            Ok(l.scenario
                .reported
                .iter()
                .map(|rep| {
                    let c = check(rep, &run, &base, l.scenario.economics.data_value.as_ref());
                    HindcastRow {
                        case: l.id.clone(),
                        name: rep.name.clone(),
                        quantity: rep.quantity.as_str().into(),
                        routes: rep.routes.join(" "),
                        from: start.plus(rep.from).to_string(),
                        to: start.plus(rep.to).to_string(),
                        unit: rep.quantity.unit().into(),
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
                .chain(model_rows(l, &run, &base))
                .collect())
        })
        .collect();
    let per: Vec<Vec<HindcastRow>> = per.into_iter().collect::<Result<_, _>>()?;
    Ok(per.into_iter().flatten().collect())
}

/// The model's own figures for a case with events, whether or not an outcome was found to set
/// against them: its lost exports over the run (unless the events cost no oil but data), and
/// its data outage in hours of full national outage when it has one.
fn model_rows(l: &LoadedScenario, run: &SimResult, base: &SimResult) -> Vec<HindcastRow> {
    if l.scenario.events.is_empty() {
        return Vec::new();
    }
    let start = l.scenario.start;
    let row = |name: &str, quantity: &str, unit: &str, model: f64| HindcastRow {
        case: l.id.clone(),
        name: name.into(),
        quantity: quantity.into(),
        routes: String::new(),
        from: start.to_string(),
        to: start
            .plus(i64::from(l.scenario.horizon_days) - 1)
            .to_string(),
        unit: unit.into(),
        model: F4::new(model),
        reported: None,
        ratio: None,
        tolerance: None,
        result: "model".into(),
        source: "the model's figure; set it against reported outcomes where found".into(),
    };
    let total = |r: &SimResult| r.days.iter().map(|d| d.exports_kt).sum::<f64>();
    let lost = (total(base) - total(run)) / 1000.0;
    let data_hours = outage_hours(run, |d| d.data_shutdown_gbps + d.data_unserved_gbps());
    let mut rows = Vec::new();
    if lost.abs() > 5e-5 || data_hours <= 0.0 {
        rows.push(row("Lost exports over the run", "lost_exports", "Mt", lost));
    }
    if data_hours > 0.0 {
        rows.push(row(
            "Data outage over the run (shutdowns and losses)",
            "data_outage_hours",
            "h",
            data_hours,
        ));
    }
    rows
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
    let all = load_scenarios(source, &paths, strict, &[])?;
    note_warnings(sink, &warnings(&all));
    let refs: Vec<&LoadedScenario> = all.iter().collect();
    unique_ids(&refs, sink)?;
    let rows = rows(&refs)?;
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
