//! `corridor run` of deterministic scenarios: each one's `daily.csv`, `summary.json`, charts
//! and map, then `summary.csv` across them.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::inputs::{load_scenarios, note_warnings, unique_ids, warnings};
use super::montecarlo::McConfig;
use super::sink::{write_chart, write_json, write_table, write_text};
use super::{AppError, Sink};
use crate::engine::metrics::{Summary, performance, summarize};
use crate::engine::sim::{SimConfig, simulate};
use crate::io::{LoadedScenario, Source};
use crate::model::AssetRef;
use crate::model::Effect;
use crate::report::gis;
use crate::report::map::RouteMap;
use crate::report::rows::{Daily, SummaryRow};
use crate::report::run::ScenarioSummary;
use crate::report::timeseries::{ResilienceChart, ResilienceSeries, ThroughputChart, windows_of};
use crate::report::{self};

/// Settings of a deterministic run.
#[derive(Debug, Clone, Default)]
pub struct RunConfig {
    /// Solve every day rather than only on days whose inputs change (same results; slower).
    pub every_day: bool,
    /// `--set KEY=VALUE` overrides applied to every scenario file (`--seed` as
    /// `monte_carlo.seed`).
    pub overrides: Vec<(String, String)>,
}

/// One scenario's result.
#[derive(Debug, Clone)]
pub struct ScenarioResult {
    pub id: String,
    pub summary: Summary,
    /// Its `summary.json`.
    pub document: ScenarioSummary,
}

/// What a run produced: each scenario's result and the rows of `summary.csv`.
#[derive(Debug, Clone, Default)]
pub struct RunOutput {
    pub scenarios: Vec<ScenarioResult>,
    pub summary: Vec<SummaryRow>,
}

/// `corridor run`: loads the scenario files `paths` from `source` (all of them, every problem
/// reported before anything runs), notes their warnings, runs the Monte Carlo ones with `mc`
/// and the deterministic ones with `cfg`.
///
/// # Errors
/// Input errors before anything runs; output errors.
pub fn run_files(
    source: &dyn Source,
    paths: &[PathBuf],
    strict: bool,
    cfg: RunConfig,
    mc: McConfig,
    option: Option<&OptionSpec>,
    sink: &mut dyn Sink,
) -> Result<RunOutput, AppError> {
    let mut all = load_scenarios(source, paths, strict, &cfg.overrides)?;
    if let Some(o) = option {
        for (l, path) in all.iter_mut().zip(paths) {
            with_option(source, l, path, o)?;
        }
    }
    run_loaded(&all, cfg, mc, sink)
}

/// Runs scenarios already loaded: notes their warnings, runs the Monte Carlo ones, then the
/// others in parallel (as [`run_scenarios`]).
///
/// # Errors
/// As [`run_scenarios`].
pub fn run_loaded(
    all: &[LoadedScenario],
    cfg: RunConfig,
    mc: McConfig,
    sink: &mut dyn Sink,
) -> Result<RunOutput, AppError> {
    note_warnings(sink, &warnings(all));
    // Refused before any of them runs.
    let parts: Vec<_> = all
        .iter()
        .filter_map(|l| super::montecarlo::work(l, &mc))
        .collect();
    super::inputs::check_work(&mc.limits, &parts)?;
    let (monte_carlo, deterministic): (Vec<_>, Vec<_>) =
        all.iter().partition(|l| l.scenario.monte_carlo.is_some());
    // A shard is a range of Monte Carlo replicates: a deterministic scenario has none, and
    // running it whole in every task would repeat it N times.
    if let (Some((k, n)), Some(l)) = (mc.shard, deterministic.first()) {
        return Err(AppError::Input(format!(
            "{}: --shard {k}/{n} splits the replicate-years of a Monte Carlo scenario, and this scenario has no [monte_carlo] section (hint: run it once, without --shard)",
            l.id
        )));
    }
    for l in monte_carlo {
        super::montecarlo::run(l, mc.clone(), sink)?;
    }
    run_scenarios(&deterministic, cfg, sink)
}

/// An option to switch on in every scenario run (`corridor run --variant`).
#[derive(Debug, Clone)]
pub struct OptionSpec {
    /// Variant ids, `a+b` composing several.
    pub spec: String,
    /// Where the variant files are [default: `variants/` beside each scenario].
    pub dir: Option<PathBuf>,
}

/// `l` with the option `o` applied to its network: it runs as `<id>+<option>` (its own output
/// folder), named "… with <option's name>", and records the option's files as inputs.
///
/// # Errors
/// The variant's load errors (an unknown id with a suggestion).
pub fn with_option(
    source: &dyn Source,
    l: &mut LoadedScenario,
    path: &Path,
    o: &OptionSpec,
) -> Result<(), AppError> {
    let dir = o
        .dir
        .clone()
        .unwrap_or_else(|| super::compare::default_variants_dir(path));
    let v = crate::io::variant::load_variant_in(source, &o.spec, &dir, &l.network)?;
    if let Some(refusal) = super::compare::unmet_requirement(&v, &dir) {
        return Err(AppError::Input(refusal));
    }
    l.network = v.network;
    l.id = format!("{}+{}", l.id, v.id);
    l.scenario.name = format!("{} with {}", l.scenario.name, v.name);
    l.files.extend(v.files);
    Ok(())
}

/// `corridor validate`: loads the scenario files `paths` (and the networks they name) without
/// running them, notes their warnings and prints one line per scenario.
///
/// # Errors
/// Input errors, every file's problems together.
pub fn validate(
    source: &dyn Source,
    paths: &[PathBuf],
    strict: bool,
    overrides: &[(String, String)],
    sink: &mut dyn Sink,
) -> Result<(), AppError> {
    let all = load_scenarios(source, paths, strict, overrides)?;
    note_warnings(sink, &warnings(&all));
    for l in &all {
        let mc = l
            .scenario
            .monte_carlo
            .as_ref()
            .map_or_else(String::new, |m| {
                format!("; Monte Carlo: {} replicate-years, seed {}", m.runs, m.seed)
            });
        sink.print(&format!(
            "{}: ok ({} events, {} days from {}{mc})\n",
            l.id,
            l.scenario.events.len(),
            l.scenario.horizon_days,
            l.scenario.start
        ));
    }
    Ok(())
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
) -> Result<RunOutput, AppError> {
    if scenarios.is_empty() {
        return Ok(RunOutput::default());
    }
    unique_ids(scenarios, sink)?;
    let results: Vec<Result<_, AppError>> = scenarios
        .par_iter()
        .map(|l| {
            let sim = |with_events| SimConfig {
                with_events,
                every_day: cfg.every_day,
                totals_only: false,
            };
            let solve = |e| AppError::solve(&l.id, e);
            let base = simulate(&l.network, &l.scenario, sim(false)).map_err(solve)?;
            let run = simulate(&l.network, &l.scenario, sim(true)).map_err(solve)?;
            let summary = summarize(&l.network, &l.scenario, &run, &base);
            let perf = performance(&run, &base);
            let daily = report::run::daily(&l.network, &l.scenario, &run, &base, &perf);
            let doc = report::run::scenario_summary(&l.id, &l.network, &l.scenario, &summary);
            let layers = (
                gis::scenario_links(&l.network, &run, &base),
                gis::scenario_nodes(&l.network, &run),
            );
            let shut_in = baseline_shut_in(l, &base);
            Ok((summary, daily, doc, layers, shut_in))
        })
        .collect();
    let results: Vec<_> = results.into_iter().collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for ((summary, daily, mut doc, (links, nodes), shut_in), l) in
        results.into_iter().zip(scenarios)
    {
        // The load warnings were noted before the run; the run's own are noted here. Both go
        // into summary.json.
        doc.warnings = l.warnings.iter().map(ToString::to_string).collect();
        let mut found: Vec<String> = shut_in.into_iter().collect();
        let idle: Vec<&str> = l
            .scenario
            .events
            .iter()
            .zip(&summary.event_hits_flow)
            .filter(|(_, hits)| !**hits)
            .map(|(e, _)| e.name.as_str())
            .collect();
        // One line per event up to a few; a replay of thousands gets one line for the rest.
        for name in idle.iter().take(IDLE_EVENTS_LISTED) {
            found.push(format!(
                "{}: event `{name}` hits assets that carry no flow in the baseline over its window; it displaces nothing",
                l.id
            ));
        }
        if idle.len() > IDLE_EVENTS_LISTED {
            found.push(format!(
                "{}: {} more events hit assets that carry no flow in the baseline over their windows; they displace nothing (summary.json lists every event with the flow it displaced)",
                l.id,
                crate::model::units::group_thousands(&(idle.len() - IDLE_EVENTS_LISTED).to_string())
            ));
        }
        for w in found {
            sink.note(&format!("warning: {w}"));
            doc.warnings.push(w);
        }
        let dir = Path::new(&l.id);
        write_text(sink, &dir.join("daily.csv"), &daily.to_csv())?;
        write_json(sink, &dir.join("summary.json"), &doc)?;
        write_text(sink, &dir.join("links.geojson"), &links)?;
        write_text(sink, &dir.join("nodes.geojson"), &nodes)?;
        if !doc.data_rtt.is_empty() {
            let rows: Vec<_> = doc.data_rtt.iter().map(|r| r.row()).collect();
            write_table(sink, &dir.join("rtt.csv"), &rows)?;
        }
        scenario_charts(sink, dir, &l.scenario.name, &daily, &doc)?;
        scenario_map(sink, dir, l)?;
        out.push(ScenarioResult {
            id: l.id.clone(),
            summary,
            document: doc,
        });
    }
    let rows: Vec<SummaryRow> = out
        .iter()
        .map(|r| report::run::summary_row(&r.id, &r.summary))
        .collect();
    write_table(sink, Path::new("summary.csv"), &rows)?;
    let table: Vec<(String, Summary)> = out
        .iter()
        .map(|r| (r.id.clone(), r.summary.clone()))
        .collect();
    sink.print(&report::run::run_table(&table));
    Ok(RunOutput {
        scenarios: out,
        summary: rows,
    })
}

/// Events that displace nothing warned about one by one; the rest get one line.
const IDLE_EVENTS_LISTED: usize = 10;

/// Share of production the baseline may shut in before it is worth a warning (rounding in
/// tank-farm drains leaves a few tonnes).
const SHUT_IN_TOLERANCE: f64 = 1e-3;

/// A warning when the run without events already shuts production in: the scenario's
/// production (or, without `[production]`, the network's) is more than the routes take, so
/// every loss is measured against a baseline that is itself short. The sentence starts with the
/// scenario id (no `warning:` prefix).
pub fn baseline_shut_in(
    l: &LoadedScenario,
    base: &crate::engine::sim::SimResult,
) -> Option<String> {
    let days = base.days.len().max(1) as f64;
    let produced: f64 = base.days.iter().map(|d| d.production_kt).sum();
    let shut: f64 = base.days.iter().map(|d| d.curtailed_kt).sum();
    if produced <= 0.0 || shut <= SHUT_IN_TOLERANCE * produced {
        return None;
    }
    let per_yr = |kt: f64| kt / days * 365.0 / 1000.0;
    let whose = if l.scenario.production.is_empty() {
        "the network's production: the scenario has no [production]"
    } else {
        "the scenario's [production]"
    };
    let dispatch = match l.scenario.dispatch {
        crate::model::Dispatch::Nominated => "nominated",
        crate::model::Dispatch::LeastCost => "least-cost",
    };
    Some(format!(
        "{}: the baseline itself shuts in {:.1} kt/day ({:.2} Mt/yr, {:.1}% of production): the fields produce {:.1} Mt/yr ({whose}) and the routes take {:.1} Mt/yr under {dispatch} dispatch; every loss is counted against this short baseline (hint: give [production] the exportable volumes, as scenarios/baseline.toml does with 2025 exports)",
        l.id,
        shut / days,
        per_yr(shut),
        100.0 * shut / produced,
        per_yr(produced),
        per_yr(produced - shut),
    ))
}

/// A scenario's throughput, resilience and data charts.
fn scenario_charts(
    sink: &mut dyn Sink,
    dir: &Path,
    name: &str,
    daily: &Daily,
    doc: &ScenarioSummary,
) -> Result<(), AppError> {
    let windows = windows_of(&doc.events, &daily.dates());
    let tp = ThroughputChart::of_daily(daily, name, windows.clone());
    let dl = ThroughputChart::of_daily_data(daily, &format!("{name}: international data"), windows);
    let res = ResilienceChart {
        title: format!("{name}: resilience curve"),
        dates: daily.dates(),
        series: vec![ResilienceSeries::of_daily(daily, name)],
    };
    write_chart(sink, &dir.join("throughput"), &tp)?;
    write_chart(sink, &dir.join("resilience"), &res)?;
    write_chart(sink, &dir.join("data"), &dl)
}

/// The assets a scenario's events take below full capacity (sorted, once each), and those of
/// them a hazard hits (whose links a map reddens only inside the footprint).
pub fn scenario_hits(l: &LoadedScenario) -> (Vec<AssetRef>, Vec<AssetRef>) {
    let mut hit = Vec::new();
    for e in &l.scenario.events {
        if let Effect::Capacity(v) = &e.effect {
            hit.extend(v.iter().filter(|(_, f)| *f < 1.0).map(|(a, _)| *a));
        }
    }
    hit.sort();
    hit.dedup();
    let hazard = l.scenario.hazard_hits.iter().map(|h| h.1).collect();
    (hit, hazard)
}

/// The route map of a scenario: the assets its events take below full capacity in red, with
/// the hazard footprints.
fn scenario_map(sink: &mut dyn Sink, dir: &Path, l: &LoadedScenario) -> Result<(), AppError> {
    let (hit, hazard_hit) = scenario_hits(l);
    let map = RouteMap::new(
        &l.network,
        &format!("{}: assets hit", l.scenario.name),
        &format!(
            "{} asset(s) taken below full capacity by the scenario's events (red); line width proportional to nameplate capacity.",
            hit.len()
        ),
        &hit,
        &hazard_hit,
        l.scenario.footprints.clone(),
    );
    write_chart(sink, &dir.join("map"), &map)
}
