//! `corridor compare`: every option on the same sampled failures as the status quo, with paired
//! statistics, cost–benefit, the ranking and (optionally) its sensitivity.

use std::path::{Path, PathBuf};

use super::sink::{write_chart, write_table, write_text};
use super::{AppError, Sink};
use crate::engine::compare::{SensitivityCase, VariantStats, evaluate, sensitivity};
use crate::io::variant::load_variant_in;
use crate::io::{Disk, Limits, LoadedScenario, Source};
use crate::model::Variant;
use crate::report;
use crate::report::rows::{CompareReplicateRow, CompareRow, Raw4};
use crate::report::stats_charts::{LossChart, LossMeasure, LossSeries, OptionsChart, TornadoChart};

/// Settings of a comparison.
#[derive(Debug, Clone, Copy, Default)]
pub struct CompareConfig {
    /// Replicate-years (default: the scenario's; one run of its own events without Monte Carlo).
    pub runs: Option<u64>,
    /// Also re-rank with each cost and all failure rates halved and doubled.
    pub sensitivity: bool,
    /// Show a progress bar (replicate-years done) on a terminal.
    pub progress: bool,
    /// Also write the tables as one Excel workbook, `compare/compare.xlsx`.
    pub xlsx: bool,
    /// The most work the command may do and files it may read (`--allow-large` lifts them).
    pub limits: Limits,
}

/// What comparing `options` options (the status quo included) on `l` simulates, as
/// [`Limits::check_work`] takes it: each option on every replicate-year, three times with
/// the sensitivity's halved and doubled failure rates.
pub fn work(l: &LoadedScenario, options: usize, cfg: &CompareConfig) -> (String, u64, u32, u64) {
    let n = cfg
        .runs
        .or(l.scenario.monte_carlo.as_ref().map(|m| m.runs))
        .unwrap_or(1);
    let copies = options as u64 * if cfg.sensitivity { 3 } else { 1 };
    (
        format!("{} comparison", l.id),
        n,
        l.scenario.horizon_days,
        copies,
    )
}

/// What a comparison found.
#[derive(Debug, Clone)]
pub struct CompareResult {
    /// The rows of `compare.csv`, ranked.
    pub rows: Vec<CompareRow>,
    /// Every option's statistics, the status quo first.
    pub stats: Vec<VariantStats>,
    /// The sensitivity cases, when asked for.
    pub sensitivity: Vec<SensitivityCase>,
}

/// Loads the status quo and every variant of `specs` (ids in `dir`, `a+b` composes) on `l`'s
/// network, reporting the problems of all of them. The status quo comes first, once.
///
/// # Errors
/// [`AppError::Inputs`] with every variant's problems.
pub fn load_variants(
    source: &dyn Source,
    dir: &Path,
    specs: &[String],
    l: &LoadedScenario,
) -> Result<Vec<Variant>, AppError> {
    let mut all = vec!["status-quo".to_string()];
    all.extend(specs.iter().filter(|s| s.as_str() != "status-quo").cloned());
    let mut variants = Vec::new();
    let mut errors = Vec::new();
    for spec in &all {
        match load_variant_in(source, spec, dir, &l.network) {
            Ok(v) => variants.push(v),
            Err(e) => errors.push(e.to_string()),
        }
    }
    if errors.is_empty() {
        Ok(variants)
    } else {
        Err(AppError::Inputs(errors))
    }
}

/// `corridor compare`: loads scenario `path` (strict, with `overrides` applied) and the variants `specs` from `dir`
/// (default: `variants/` beside the scenario), then compares them.
///
/// # Errors
/// Input errors; output errors.
pub fn job(
    path: &Path,
    specs: &[String],
    dir: Option<&Path>,
    overrides: &[(String, String)],
    cfg: CompareConfig,
    sink: &mut dyn Sink,
) -> Result<CompareResult, AppError> {
    let disk = Disk::new(cfg.limits);
    let l = crate::io::load_scenario_with(&disk, path, true, overrides)?;
    if l.scenario.monte_carlo.is_none() {
        return Err(AppError::Input(format!(
            "{}: no [monte_carlo] section: `compare` sets options against each other on sampled failure years, and this scenario samples none\n  hint: add a [monte_carlo] section (docs/scenario-format.md), or compare on scenarios/mc-random-failures.toml; to see one option on this scenario's own events, use `corridor run`",
            path.display()
        )));
    }
    let dir = dir.map_or_else(|| default_variants_dir(path), Path::to_path_buf);
    let variants = load_variants(&disk, &dir, specs, &l)?;
    let n = cfg
        .runs
        .or(l.scenario.monte_carlo.as_ref().map(|m| m.runs))
        .unwrap_or(1);
    let bar = super::montecarlo::replicate_bar(cfg.progress, n, &l.id);
    let book = PathBuf::from(&l.id).join("compare").join("compare.xlsx");
    let title = format!("corridor compare: {}", l.id);
    let r = super::sink::with_workbook(
        sink,
        cfg.xlsx.then_some((book.as_path(), title.as_str())),
        |s| run(&l, &variants, cfg, &|| bar.inc(1), s),
    );
    bar.finish_and_clear();
    r
}

/// The variants directory of a scenario file: `variants/` beside it.
pub fn default_variants_dir(scenario: &Path) -> PathBuf {
    scenario.parent().unwrap_or(Path::new(".")).join("variants")
}

/// Compares `variants` (the status quo first) on scenario `l` and writes
/// `<id>/compare/compare.csv`, `compare.json`, `replicates.csv`, the `options` and `losses`
/// charts and, with sensitivity, `sensitivity.csv`; prints the ranked table. `tick` is
/// called once per replicate-year compared.
///
/// # Errors
/// Output errors.
pub fn run(
    l: &LoadedScenario,
    variants: &[Variant],
    cfg: CompareConfig,
    tick: &(dyn Fn() + Sync),
    sink: &mut dyn Sink,
) -> Result<CompareResult, AppError> {
    let mc = l.scenario.monte_carlo.as_ref();
    let n = cfg.runs.or(mc.map(|m| m.runs)).unwrap_or(1);
    super::inputs::check_work(&cfg.limits, &[work(l, variants.len(), &cfg)])?;
    let (reference, outcomes, st) =
        evaluate(&l.scenario, variants, n, tick).map_err(|e| AppError::solve(&l.id, e))?;
    let dir = PathBuf::from(&l.id).join("compare");
    let rows = report::compare::rows(&st);
    write_table(sink, &dir.join("compare.csv"), &rows)?;
    write_text(
        sink,
        &dir.join("compare.json"),
        &report::compare::json(&l.id, &st),
    )?;
    sink.print(&report::compare::table(&st));
    let options = OptionsChart::of_rows(
        &rows,
        &format!("{}: diversification options", l.scenario.name),
    );
    write_chart(sink, &dir.join("options"), &options)?;
    // Each option's annual lost exports in every replicate, and their distributions: the
    // status quo and the options that avoid most ([`overlay_series`]).
    let e_ref: f64 = reference.days.iter().map(|d| d.exports_kt).sum();
    let mut long = Vec::new();
    for (i, o) in outcomes.iter().enumerate() {
        for (v, x) in variants.iter().zip(o) {
            long.push(CompareReplicateRow {
                replicate: i as u64,
                variant: v.id.clone(),
                lost_exports_mt: Raw4::new((e_ref - x.exports_kt) / 1000.0),
            });
        }
    }
    write_table(sink, &dir.join("replicates.csv"), &long)?;
    let series = LossSeries::of_long(&long);
    let avoided: Vec<(&str, f64)> = st
        .iter()
        .map(|s| (s.id.as_str(), s.avoided_mt.mean))
        .collect();
    let shown = overlay_series(&series, &avoided);
    let losses = LossChart {
        title: format!("{}: annual lost exports by option", l.scenario.name),
        series: shown,
        measure: LossMeasure::OilMt,
    };
    write_chart(sink, &dir.join("losses"), &losses)?;
    let cases = if cfg.sensitivity {
        let cases = sensitivity(&l.scenario, mc, variants, n, &reference, &st)
            .map_err(|e| AppError::solve(&l.id, e))?;
        sink.print(&report::compare::sensitivity_table(&cases));
        let srows = report::compare::sensitivity_rows(&cases);
        write_table(sink, &dir.join("sensitivity.csv"), &srows)?;
        let tornado = TornadoChart::of_rows(
            &srows,
            &format!(
                "{}: sensitivity of the option ranked first",
                l.scenario.name
            ),
        );
        write_chart(sink, &dir.join("sensitivity"), &tornado)?;
        cases
    } else {
        Vec::new()
    };
    Ok(CompareResult {
        rows,
        stats: st,
        sensitivity: cases,
    })
}

/// The loss distributions the options overlay draws: the status quo, then up to three options
/// that avoid most lost exports on average (`avoided`: option id and mean avoided, Mt/yr),
/// leaving out any whose distribution is identical to one already drawn (it would hide it).
fn overlay_series(series: &[LossSeries], avoided: &[(&str, f64)]) -> Vec<LossSeries> {
    let mut by_avoided: Vec<&(&str, f64)> = avoided
        .iter()
        .filter(|(id, _)| *id != "status-quo")
        .collect();
    by_avoided.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let mut shown: Vec<LossSeries> = Vec::new();
    for id in std::iter::once("status-quo").chain(by_avoided.iter().map(|(id, _)| *id)) {
        if shown.len() == 4 {
            break;
        }
        if let Some(s) = series.iter().find(|s| s.name == id)
            && shown.iter().all(|o| o.dist != s.dist)
        {
            shown.push(s.clone());
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overlay_shows_the_options_that_avoid_most_and_no_curve_twice() {
        let s = |name: &str, losses: &[f64]| LossSeries::of_values(name, losses.to_vec(), None);
        let series = [
            s("status-quo", &[1.0, 2.0]),
            s("same", &[1.0, 2.0]),
            s("small", &[0.9, 2.0]),
            s("big", &[0.0, 0.5]),
            s("mid", &[0.5, 1.0]),
            s("tiny", &[1.0, 1.9]),
        ];
        // "same" nets most (it costs nothing) but draws the status quo's curve again.
        let avoided = [
            ("status-quo", 0.0),
            ("same", 0.0),
            ("small", 0.05),
            ("big", 1.25),
            ("mid", 0.75),
            ("tiny", 0.05),
        ];
        let names: Vec<String> = overlay_series(&series, &avoided)
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names, ["status-quo", "big", "mid", "small"]);
    }
}
