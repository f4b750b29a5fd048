//! `corridor run` of deterministic scenarios: each one's `daily.csv`, `summary.json`, charts
//! and map, then `summary.csv` across them.

use std::path::Path;

use rayon::prelude::*;

use super::inputs::unique_ids;
use super::sink::{write_chart, write_text};
use super::{AppError, Sink};
use crate::engine::metrics::{Summary, summarize};
use crate::engine::sim::{SimConfig, simulate};
use crate::io::LoadedScenario;
use crate::model::Effect;
use crate::report::map::RouteMap;
use crate::report::timeseries::{
    ResilienceChart, ResilienceSeries, ThroughputChart, event_windows,
};
use crate::report::{self};

/// Settings of a deterministic run.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunConfig {
    /// Solve every day rather than only on days whose inputs change (same results; slower).
    pub every_day: bool,
}

/// One scenario's result.
#[derive(Debug, Clone)]
pub struct ScenarioResult {
    pub id: String,
    pub summary: Summary,
}

/// Runs `scenarios` in parallel, writes each one's outputs under `<id>/` and `summary.csv`,
/// and prints the run table. Nothing is written for an empty list.
///
/// # Errors
/// [`AppError::Input`] if two scenarios share a name; output errors.
pub fn run_scenarios(
    scenarios: &[&LoadedScenario],
    cfg: RunConfig,
    sink: &mut dyn Sink,
) -> Result<Vec<ScenarioResult>, AppError> {
    if scenarios.is_empty() {
        return Ok(Vec::new());
    }
    unique_ids(scenarios, sink)?;
    let results: Vec<_> = scenarios
        .par_iter()
        .map(|l| {
            let sim = |with_events| SimConfig {
                with_events,
                every_day: cfg.every_day,
                totals_only: false,
            };
            let base = simulate(&l.network, &l.scenario, sim(false));
            let run = simulate(&l.network, &l.scenario, sim(true));
            let summary = summarize(&l.network, &l.scenario, &run, &base);
            let daily = report::run::daily_csv(&l.network, &l.scenario, &run, &base);
            let json = report::run::summary_json(&l.id, &l.network, &l.scenario, &summary);
            (summary, daily, json)
        })
        .collect();
    let mut rows = Vec::new();
    for ((summary, daily, json), l) in results.into_iter().zip(scenarios) {
        let dir = Path::new(&l.id);
        write_text(sink, &dir.join("daily.csv"), &daily)?;
        write_text(sink, &dir.join("summary.json"), &json)?;
        scenario_charts(sink, dir, &l.scenario.name, &daily, &json)?;
        scenario_map(sink, dir, l)?;
        rows.push((l.id.clone(), summary));
    }
    write_text(
        sink,
        Path::new("summary.csv"),
        &report::run::summary_csv(&rows),
    )?;
    sink.print(&report::run::run_table(&rows));
    Ok(rows
        .into_iter()
        .map(|(id, summary)| ScenarioResult { id, summary })
        .collect())
}

/// A scenario's throughput, resilience and data charts.
fn scenario_charts(
    sink: &mut dyn Sink,
    dir: &Path,
    name: &str,
    daily: &str,
    summary: &str,
) -> Result<(), AppError> {
    let file = sink.display(&dir.join("daily.csv"));
    let dates: Vec<String> = daily
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next().map(str::to_string))
        .collect();
    let windows = event_windows(summary, &dates);
    let tp = ThroughputChart::from_daily(&file, daily, name, windows.clone())?;
    let dl = ThroughputChart::from_daily_data(
        &file,
        daily,
        &format!("{name}: international data"),
        windows,
    )?;
    let (series, dates) = ResilienceSeries::from_csv(&file, daily, name)?;
    let res = ResilienceChart {
        title: format!("{name}: resilience curve"),
        dates,
        series: vec![series],
    };
    write_chart(sink, &dir.join("throughput"), &tp)?;
    write_chart(sink, &dir.join("resilience"), &res)?;
    write_chart(sink, &dir.join("data"), &dl)
}

/// The route map of a scenario: the assets its events take below full capacity in red, with
/// the hazard footprints.
fn scenario_map(sink: &mut dyn Sink, dir: &Path, l: &LoadedScenario) -> Result<(), AppError> {
    let mut hit = Vec::new();
    for e in &l.scenario.events {
        if let Effect::Capacity(v) = &e.effect {
            hit.extend(v.iter().filter(|(_, f)| *f < 1.0).map(|(a, _)| *a));
        }
    }
    hit.sort();
    hit.dedup();
    let map = RouteMap::new(
        &l.network,
        &format!("{}: assets hit", l.scenario.name),
        &format!(
            "{} asset(s) taken below full capacity by the scenario's events (red); line width proportional to nameplate capacity.",
            hit.len()
        ),
        &hit,
        l.scenario.footprints.clone(),
    );
    write_chart(sink, &dir.join("map"), &map)
}
