//! `corridor compare`: every option on the same sampled failures as the status quo, with paired
//! statistics, cost–benefit, the ranking and (optionally) its sensitivity.

use std::path::{Path, PathBuf};

use super::sink::{write_chart, write_table, write_text};
use super::{AppError, Sink};
use crate::engine::compare::{SensitivityCase, VariantStats, evaluate, ranked, sensitivity};
use crate::io::variant::load_variant_in;
use crate::io::{LoadedScenario, Source};
use crate::model::Variant;
use crate::report;
use crate::report::rows::{CompareReplicateRow, CompareRow, Raw4};
use crate::report::stats_charts::{LossChart, LossMeasure, LossSeries, OptionsChart};

/// Settings of a comparison.
#[derive(Debug, Clone, Copy, Default)]
pub struct CompareConfig {
    /// Replicate-years (default: the scenario's; one run of its own events without Monte Carlo).
    pub runs: Option<u64>,
    /// Also re-rank with each cost and all failure rates halved and doubled.
    pub sensitivity: bool,
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

/// `corridor compare`: loads scenario `path` (strict) and the variants `specs` from `dir`
/// (default: `variants/` beside the scenario), then compares them.
///
/// # Errors
/// Input errors; output errors.
pub fn job(
    path: &Path,
    specs: &[String],
    dir: Option<&Path>,
    cfg: CompareConfig,
    sink: &mut dyn Sink,
) -> Result<CompareResult, AppError> {
    let l = crate::io::load_scenario(path, true)?;
    let dir = dir.map_or_else(|| default_variants_dir(path), Path::to_path_buf);
    let variants = load_variants(&crate::io::Disk, &dir, specs, &l)?;
    run(&l, &variants, cfg, sink)
}

/// The variants directory of a scenario file: `variants/` beside it.
pub fn default_variants_dir(scenario: &Path) -> PathBuf {
    scenario.parent().unwrap_or(Path::new(".")).join("variants")
}

/// Compares `variants` (the status quo first) on scenario `l` and writes
/// `<id>/compare/compare.csv`, `compare.json`, `replicates.csv`, the `options` and `losses`
/// charts and, with sensitivity, `sensitivity.csv`; prints the ranked table.
///
/// # Errors
/// Output errors.
pub fn run(
    l: &LoadedScenario,
    variants: &[Variant],
    cfg: CompareConfig,
    sink: &mut dyn Sink,
) -> Result<CompareResult, AppError> {
    let mc = l.scenario.monte_carlo.as_ref();
    let n = cfg.runs.or(mc.map(|m| m.runs)).unwrap_or(1);
    let (reference, outcomes, st) = evaluate(&l.scenario, variants, n);
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
    // status quo and the three best options by net benefit, so the chart stays legible.
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
    let mut shown: Vec<String> = vec!["status-quo".into()];
    shown.extend(
        ranked(&st)
            .iter()
            .filter(|s| s.id != "status-quo")
            .take(3)
            .map(|s| s.id.clone()),
    );
    let series = LossSeries::of_long(&long);
    let losses = LossChart {
        title: format!("{}: annual lost exports by option", l.scenario.name),
        series: shown
            .iter()
            .filter_map(|id| series.iter().find(|s| &s.name == id).cloned())
            .collect(),
        measure: LossMeasure::OilMt,
    };
    write_chart(sink, &dir.join("losses"), &losses)?;
    let cases = if cfg.sensitivity {
        let cases = sensitivity(&l.scenario, mc, variants, n, &reference, &st);
        sink.print(&report::compare::sensitivity_table(&cases));
        write_table(
            sink,
            &dir.join("sensitivity.csv"),
            &report::compare::sensitivity_rows(&cases),
        )?;
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
