//! `corridor study`, the main job: the network inventory, every deterministic scenario, every
//! Monte Carlo scenario (with overlays when there are several), the comparison of every variant
//! on the status quo's failures, the hindcast of the history scenarios in `history/` beside
//! them, and one self-contained `index.html`.
//!
//! The inputs are loaded once, with one strictness, before anything runs; every other job runs
//! on them, in memory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::compare::{CompareConfig, load_variants};
use super::inputs::{load_network, load_scenarios, note_warnings, warnings};
use super::montecarlo::{McConfig, McResult};
use super::run::RunConfig;
use super::sink::{Recorder, write_chart, write_text};
use super::{AppError, Sink};
use crate::io::variant::list_variants_in;
use crate::io::{Limits, LoadedScenario, Source};
use crate::model::Status;
use crate::report::html;
use crate::report::mc::sha256_hex;
use crate::report::stats_charts::{LossChart, LossMeasure, LossSeries};
use crate::report::study_page::{self, Compared, Manifest};
use crate::report::timeseries::{ResilienceChart, ResilienceSeries};

/// Settings of a study.
#[derive(Debug, Clone, Copy)]
pub struct StudyConfig {
    /// Replicate-years for every Monte Carlo scenario and the comparison.
    pub runs: u64,
    /// Refuse any consistency-check warning (before anything runs).
    pub strict: bool,
    /// Show a progress bar on a terminal.
    pub progress: bool,
    /// The most work the study may do (`--allow-large` lifts it).
    pub limits: Limits,
}

/// How the study's report looks: its title and, optionally, a template that replaces the
/// built-in one.
#[derive(Debug, Clone, Default)]
pub struct ReportStyle {
    pub title: Option<String>,
    /// The template's text and the file it came from (for errors).
    pub template: Option<(String, String)>,
}

/// The budgets the study's investment portfolio section chooses within, US$/yr (illustrative:
/// nothing, a small, a middling and a large programme; `corridor optimise --budget` takes any).
pub const STUDY_BUDGETS_USD: [f64; 4] = [0.0, 50e6, 150e6, 400e6];

/// Most replicate-years the study's portfolio section simulates (each portfolio, and each
/// candidate again under four robustness cases): it keeps the main job to minutes;
/// `corridor optimise --runs` takes more.
pub const STUDY_PORTFOLIO_RUNS: u64 = 500;

/// Candidates per budget the study's robustness analysis scores.
pub const STUDY_CANDIDATES: usize = 8;

/// The study's staging: to 2035, one decision a year, at the 8% a year the shipped variant
/// files' annuities use.
pub const STUDY_STAGING: super::optimise::StageConfig = super::optimise::StageConfig {
    discount_rate: 0.08,
    last_year: 2035,
    stagger_years: 1,
};

/// [`STUDY_STAGING`] in words.
const STUDY_STAGING_WORDS: &str =
    "one decision a year from the scenario's start year to 2035, discounted at 8%/yr";

/// The status quo of the comparison: the Monte Carlo scenario with the fewest assets in
/// operation (no planned option switched on); on a tie, the one with the fullest failure model
/// (most failure processes, common causes and weather windows), then the first in name order.
fn status_quo<'a>(mc: &[&'a LoadedScenario]) -> Option<&'a LoadedScenario> {
    let operating = |l: &LoadedScenario| {
        let n = &l.network;
        n.links
            .iter()
            .filter(|k| k.status == Status::Operating)
            .count()
            + n.nodes
                .iter()
                .filter(|k| k.status == Status::Operating)
                .count()
    };
    let processes = |l: &LoadedScenario| {
        l.scenario.monte_carlo.as_ref().map_or(0, |m| {
            m.processes.len() + m.common_causes.len() + m.windows.len()
        })
    };
    mc.iter()
        .copied()
        .min_by_key(|l| (operating(l), std::cmp::Reverse(processes(l))))
}

/// Runs the study of the scenarios in `dir` of `source` (variants in `dir/variants`) and writes
/// everything to `sink`; returns the report's path relative to the sink.
///
/// # Errors
/// [`AppError::Input`]/[`AppError::Inputs`]/[`AppError::Load`] before anything runs if an input
/// does not load (or warns, under `strict`); output errors.
pub fn study(
    source: &dyn Source,
    dir: &Path,
    cfg: StudyConfig,
    style: &ReportStyle,
    sink: &mut dyn Sink,
) -> Result<PathBuf, AppError> {
    if let Some((text, file)) = &style.template {
        html::check_template(text).map_err(|e| AppError::Input(format!("{file}: {e}")))?;
    }
    // Every input first, with one strictness: nothing runs unless everything loads.
    let paths = source.toml_files(dir).unwrap_or_default();
    if paths.is_empty() {
        return Err(AppError::Input(format!(
            "{}: no scenario files (*.toml)",
            dir.display()
        )));
    }
    let network = load_network(None, cfg.strict)?;
    let mut all = load_scenarios(source, &paths, cfg.strict, &[])?;
    let history_paths = source.toml_files(&dir.join("history")).unwrap_or_default();
    let mut history = if history_paths.is_empty() {
        Vec::new()
    } else {
        load_scenarios(source, &history_paths, cfg.strict, &[])?
    };
    // Name inputs relative to the scenario directory, so the manifests do not depend on where
    // the scenarios lie.
    for l in all.iter_mut().chain(&mut history) {
        for (name, _) in &mut l.files {
            if let Ok(rel) = Path::new(name.as_str()).strip_prefix(dir) {
                *name = format!("scenarios/{}", rel.display());
            }
        }
    }
    let (mc, det): (Vec<&LoadedScenario>, Vec<&LoadedScenario>) =
        all.iter().partition(|l| l.scenario.monte_carlo.is_some());
    let base = status_quo(&mc);
    let variant_dir = dir.join("variants");
    let variant_ids = list_variants_in(source, &variant_dir);
    let variants = match base.filter(|_| !variant_ids.is_empty()) {
        Some(b) => Some((b, load_variants(source, &variant_dir, &variant_ids, b)?)),
        None => None,
    };
    let mut warned: Vec<String> = network.warnings.iter().map(ToString::to_string).collect();
    for w in warnings(&all).into_iter().chain(warnings(&history)) {
        if !warned.contains(&w) {
            warned.push(w);
        }
    }
    note_warnings(sink, &warned);

    // Every Monte Carlo run and the comparison together, refused before anything runs.
    let mc_cfg = McConfig {
        runs: Some(cfg.runs),
        shard: None,
        progress: false,
        limits: cfg.limits,
        replicates: crate::report::mc::ReplicateRows::All,
        ..Default::default()
    };
    let cmp = CompareConfig {
        runs: Some(cfg.runs),
        sensitivity: false,
        progress: false,
        xlsx: false,
        limits: cfg.limits,
        shard: None,
    };
    let optimise = super::optimise::OptimiseConfig {
        runs: Some(cfg.runs.min(STUDY_PORTFOLIO_RUNS)),
        budgets_usd: STUDY_BUDGETS_USD.to_vec(),
        objective: crate::engine::portfolio::Objective::Net,
        options: None,
        search: super::optimise::Search::Auto,
        max_portfolios: None,
        robust: true,
        candidates: STUDY_CANDIDATES,
        stage: Some(STUDY_STAGING),
        progress: false,
        limits: cfg.limits,
    };
    let mut parts: Vec<_> = mc
        .iter()
        .filter_map(|l| super::montecarlo::work(l, &mc_cfg))
        .collect();
    if let Some((b, v)) = &variants {
        parts.push(super::compare::work(b, v.len(), &cmp));
        parts.push(super::optimise::work(
            b,
            &optimise,
            super::optimise::catalogue_size(v),
        ));
    }
    super::inputs::check_work(&cfg.limits, &parts)?;

    // The Monte Carlo runs and the comparison move the bar once per replicate-year.
    let steps = 2
        + mc.len() as u64 * cfg.runs
        + if variants.is_some() { cfg.runs + 1 } else { 0 }
        + u64::from(!history.is_empty())
        + 1;
    let bar = progress_bar(cfg.progress, steps);
    let started = std::time::Instant::now();
    let mut out = Recorder::new(sink).with_tables();
    // Quiet: stdout gets only the report's path.
    out.mute = !cfg.progress;

    bar.set_message("network");
    let rep = super::network::report(&network.network, false)?;
    let tables = super::network::write_tables(&mut out, &network.network, &rep)?;
    super::network::write_charts(&mut out, &network.network, &rep)?;
    out.print(&crate::report::network::to_table(&rep));
    bar.inc(1);

    bar.set_message("deterministic scenarios");
    let runs = super::run::run_scenarios(&det, RunConfig::default(), &mut out)?;
    // The runs' own warnings (an event that displaces nothing, a short baseline) join the
    // load warnings in the report.
    for w in runs.scenarios.iter().flat_map(|r| &r.document.warnings) {
        if !warned.contains(w) {
            warned.push(w.clone());
        }
    }
    bar.inc(1);

    let mut mc_results = Vec::new();
    for l in &mc {
        bar.set_message(format!("Monte Carlo: {} ({} years)", l.id, cfg.runs));
        if let Some(r) =
            super::montecarlo::run_ticking(l, mc_cfg.clone(), &|| bar.inc(1), &mut out)?
        {
            mc_results.push(r);
        }
    }
    if mc_results.len() > 1 {
        overlays(&mut out, &mc_results)?;
    }

    let mut compared = None;
    let mut optimised = None;
    if let Some((b, variants)) = &variants {
        bar.set_message(format!("comparison: {} options", variant_ids.len()));
        let r = super::compare::run(b, variants, cmp, &|| bar.inc(1), &mut out)?;
        compared = Some((PathBuf::from(&b.id).join("compare"), b.id.clone(), r.rows));
        bar.set_message(format!("portfolios of {} options", variant_ids.len()));
        match super::optimise::run(source, &variant_dir, b, &optimise, &mut out) {
            Ok(r) => {
                optimised = Some((
                    PathBuf::from(&b.id).join("optimise"),
                    b.id.clone(),
                    r.options.len(),
                    super::optimise::tables(&optimise, &r),
                ));
            }
            // A catalogue the optimiser cannot take (too many options, a pathway over a
            // changing network) leaves the section out, not the study.
            Err(AppError::Input(e)) => out.note(&format!(
                "warning: the investment portfolio section is left out: {e}"
            )),
            Err(e) => return Err(e),
        }
        bar.inc(1);
    }

    let mut hindcast = Vec::new();
    if !history.is_empty() {
        bar.set_message(format!("hindcast: {} history cases", history.len()));
        let refs: Vec<&LoadedScenario> = history.iter().collect();
        hindcast = super::hindcast::rows(&refs)?;
        super::hindcast::write(&hindcast, &mut out)?;
        bar.inc(1);
    }

    bar.set_message("report");
    let mut inputs: BTreeMap<String, String> = BTreeMap::new();
    for l in all.iter().chain(&history) {
        for (name, text) in &l.files {
            inputs.insert(name.clone(), sha256_hex(text.as_bytes()));
        }
    }
    for v in variants.iter().flat_map(|(_, v)| v) {
        for (name, text) in &v.files {
            let rel = Path::new(name)
                .strip_prefix(dir)
                .map_or_else(|_| name.clone(), |r| format!("scenarios/{}", r.display()));
            inputs.insert(rel, sha256_hex(text.as_bytes()));
        }
    }
    let manifest = Manifest {
        version: env!("CARGO_PKG_VERSION").to_string(),
        git_revision: option_env!("CORRIDOR_GIT_REVISION").map(str::to_string),
        seeds: mc
            .iter()
            .filter_map(|l| {
                l.scenario
                    .monte_carlo
                    .as_ref()
                    .map(|m| (l.id.clone(), m.seed, cfg.runs))
            })
            .collect(),
        inputs: inputs.into_iter().collect(),
        warnings: warned,
    };
    let svg = |p: &Path| out.text(p).map_err(|e| e.to_string());
    let documents: Vec<_> = runs.scenarios.iter().map(|r| r.document.clone()).collect();
    let mc_summaries: Vec<_> = mc_results.iter().map(|r| r.summary.clone()).collect();
    let data = study_page::StudyData {
        indicators: &tables.indicators,
        routes: &tables.routes,
        assets: &tables.assets,
        rtt: &tables.rtt,
        scenarios: &documents,
        monte_carlo: &mc_summaries,
        compare: compared.as_ref().map(|(d, quo, rows)| Compared {
            dir: d.as_path(),
            status_quo: quo,
            rows: rows.as_slice(),
        }),
        hindcast: &hindcast,
        portfolio: optimised
            .as_ref()
            .map(|(d, quo, options, tables)| study_page::Optimised {
                dir: d.as_path(),
                status_quo: quo,
                runs: optimise.runs.unwrap_or(cfg.runs),
                options: *options,
                staging: STUDY_STAGING_WORDS,
                tables,
            }),
    };
    let title = style.title.as_deref().unwrap_or(study_page::DEFAULT_TITLE);
    let page = study_page::page(&svg, &data, &manifest, title).map_err(AppError::Internal)?;
    let report =
        html::render(&page, style.template.as_ref().map(|(t, _)| t.as_str())).map_err(|e| {
            match &style.template {
                Some((_, file)) => AppError::Input(format!("{file}: {e}")),
                None => AppError::Internal(e),
            }
        })?;
    let title_book = format!("{title}: tables");
    out.write_workbook(Path::new(study_page::WORKBOOK), &title_book)?;
    let index = PathBuf::from("index.html");
    write_text(&mut out, &index, &report)?;
    bar.inc(1);
    bar.finish_and_clear();
    let shown = out.display(&index);
    out.note(&format!(
        "study done in {:.1} s; report: {shown}",
        started.elapsed().as_secs_f64()
    ));
    out.mute = false;
    out.print(&format!("{shown}\n"));
    Ok(index)
}

fn progress_bar(show: bool, steps: u64) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    let bar = if show && std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(steps)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// The Monte Carlo scenarios side by side: loss distributions on one chart and resilience
/// curves (median with P5–P95 band) on another, as `mc_losses` and `mc_resilience`.
fn overlays(out: &mut dyn Sink, mc: &[McResult]) -> Result<(), AppError> {
    let lc = LossChart {
        title: "Annual lost exports: Monte Carlo scenarios compared".into(),
        series: mc
            .iter()
            .enumerate()
            .map(|(i, r)| LossSeries {
                slot: Some(i),
                ..r.losses.clone()
            })
            .collect(),
        measure: LossMeasure::OilMt,
    };
    let rc = ResilienceChart {
        title: "Resilience: Monte Carlo scenarios compared (median, P5–P95)".into(),
        dates: mc
            .last()
            .map(|r| r.bands.iter().map(|b| b.date.clone()).collect())
            .unwrap_or_default(),
        series: mc
            .iter()
            .map(|r| ResilienceSeries::of_bands(&r.bands, &r.meta.scenario))
            .collect(),
    };
    write_chart(out, Path::new("mc_losses"), &lc)?;
    write_chart(out, Path::new("mc_resilience"), &rc)
}
