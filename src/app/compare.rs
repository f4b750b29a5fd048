//! `corridor compare`: every option on the same sampled failures as the status quo, with paired
//! statistics, cost–benefit, the ranking and (optionally) its sensitivity.

use std::path::{Path, PathBuf};

use super::sink::{write_chart, write_compact_json, write_table, write_text};
use super::{AppError, Sink};
use crate::engine::compare::{
    Outcome, RateOutcomes, SensitivityCase, VariantStats, compare, rate_outcomes, reference,
    run_all, sensitivity,
};
use crate::engine::sim::SimResult;
use crate::io::variant::load_variant_in;
use crate::io::{Disk, Limits, LoadedScenario, Source};
use crate::model::Variant;
use crate::report;
use crate::report::compare_shards::{self as shards, CompareCommand, ComparePartial};
use crate::report::mc::{self, Manifest, MergeError, ReplicateRows, ShardHead};
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
    /// Run only shard `(k, n)` (1-based) of the replicates and write a partial file.
    pub shard: Option<(u64, u64)>,
}

/// What comparing `options` options (the status quo included) on `l` simulates, as
/// [`Limits::check_work`] takes it: each option on every replicate-year, three times with
/// the sensitivity's halved and doubled failure rates.
pub fn work(l: &LoadedScenario, options: usize, cfg: &CompareConfig) -> (String, u64, u32, u64) {
    let r = replicates(l, cfg);
    let n = r.end - r.start;
    let copies = options as u64 * if cfg.sensitivity { 3 } else { 1 };
    (
        format!("{} comparison", l.id),
        n,
        l.scenario.horizon_days,
        copies,
    )
}

/// Replicate-years of the comparison of `l` under `cfg`: `--runs`, else the scenario's (one
/// run of its own events without a Monte Carlo part).
fn runs(l: &LoadedScenario, cfg: &CompareConfig) -> u64 {
    runs_or_scenario(l, cfg.runs)
}

/// `runs` (a `--runs`), else the scenario's Monte Carlo runs, else 1 (its own events once).
pub(super) fn runs_or_scenario(l: &LoadedScenario, runs: Option<u64>) -> u64 {
    runs.or(l.scenario.monte_carlo.as_ref().map(|m| m.runs))
        .unwrap_or(1)
}

/// The replicates the comparison simulates here: its shard's, or all of them.
fn replicates(l: &LoadedScenario, cfg: &CompareConfig) -> std::ops::Range<u64> {
    let runs = runs(l, cfg);
    cfg.shard
        .map_or(0..runs, |(k, n)| mc::shard_range(k, n, runs))
}

/// What [`simulate_range`] returns: the status quo's reference run, every option's outcomes
/// `[replicate][option]` and, with sensitivity, the scaled failure rates' outcomes.
type Simulated = (SimResult, Vec<Vec<Outcome>>, Vec<RateOutcomes>);

/// Every option's outcomes in replicates `range` and, with sensitivity, under the scaled
/// failure rates, after checking the work against the limits: the status quo's reference run,
/// the outcomes `[replicate][option]` and the rates' outcomes.
///
/// # Errors
/// [`AppError::Input`] past the limits; a day that cannot be solved.
fn simulate_range(
    l: &LoadedScenario,
    variants: &[Variant],
    cfg: &CompareConfig,
    range: std::ops::Range<u64>,
    tick: &(dyn Fn() + Sync),
) -> Result<Simulated, AppError> {
    super::inputs::check_work(&cfg.limits, &[work(l, variants.len(), cfg)])?;
    let mc = l.scenario.monte_carlo.as_ref();
    let solve = |e| AppError::solve(&l.id, e);
    let reference = reference(&l.scenario, variants).map_err(solve)?;
    let outcomes =
        run_all(&l.scenario, mc, variants, range.clone(), &reference, tick).map_err(solve)?;
    let rates = if cfg.sensitivity {
        rate_outcomes(&l.scenario, mc, variants, range, &reference).map_err(solve)?
    } else {
        Vec::new()
    };
    Ok((reference, outcomes, rates))
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
/// network, reporting the problems of all of them. The status quo comes first, once. A
/// variant that needs an option it does not hold (its files' `requires`) is refused.
///
/// # Errors
/// [`AppError::Inputs`] with every variant's problems.
pub fn load_variants(
    source: &dyn Source,
    dir: &Path,
    specs: &[String],
    l: &LoadedScenario,
) -> Result<Vec<Variant>, AppError> {
    let variants = load_options(source, dir, specs, l)?;
    let unmet: Vec<String> = variants
        .iter()
        .filter_map(|v| unmet_requirement(v, dir))
        .collect();
    if unmet.is_empty() {
        Ok(variants)
    } else {
        Err(AppError::Inputs(unmet))
    }
}

/// The refusal of a variant that needs options it does not hold, if it does.
pub fn unmet_requirement(v: &Variant, dir: &Path) -> Option<String> {
    (!v.requires.is_empty()).then(|| {
        format!(
            "variant `{}`: it needs {} (the `requires` of its files in {})\n  hint: combine them, e.g. {}+{}",
            v.id,
            v.requires
                .iter()
                .map(|x| format!("`{x}`"))
                .collect::<Vec<_>>()
                .join(" and "),
            dir.display(),
            v.id,
            v.requires.join("+")
        )
    })
}

/// [`load_variants`] without refusing unmet `requires`: the options of a catalogue, each
/// loaded alone to read its cost and rules.
///
/// # Errors
/// As [`load_variants`].
pub fn load_options(
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

/// `corridor compare`: loads scenario `path` (strict, with `overrides` applied) and the
/// variants `specs` from `dir` (default: `variants/` beside the scenario), then compares them;
/// with `cfg.shard`, simulates that shard's replicates only and writes its partial file
/// (`None`).
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
) -> Result<Option<CompareResult>, AppError> {
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
    let range = replicates(&l, &cfg);
    let bar = super::montecarlo::replicate_bar(cfg.progress, range.end - range.start, &l.id);
    let tick = || bar.inc(1);
    let r = if let Some(shard) = cfg.shard {
        let command = CompareCommand {
            scenario: absolute(path),
            variants_dir: absolute(&dir),
            variants: specs.to_vec(),
            sensitivity: cfg.sensitivity,
        };
        write_shard(&l, &variants, cfg, command, (shard, range), &tick, sink).map(|()| None)
    } else {
        let book = PathBuf::from(&l.id).join("compare").join("compare.xlsx");
        let title = format!("corridor compare: {}", l.id);
        super::sink::with_workbook(
            sink,
            cfg.xlsx.then_some((book.as_path(), title.as_str())),
            |s| run(&l, &variants, cfg, &tick, s),
        )
        .map(Some)
    };
    bar.finish_and_clear();
    r
}

/// `path` as an absolute path (canonical when it exists), for a merge that may run elsewhere.
fn absolute(path: &Path) -> String {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// The manifest of a comparison of `variants` on `l` over `runs` replicate-years: the
/// scenario's inputs and every option's files.
fn manifest(l: &LoadedScenario, variants: &[Variant], runs: u64) -> Option<Manifest> {
    let spec = l.scenario.monte_carlo.as_ref()?;
    // A variant file of both `a` and `a+b` is one input.
    let mut files = l.files.clone();
    files.extend(variants.iter().flat_map(|v| v.files.iter().cloned()));
    files.sort();
    files.dedup();
    Some(mc::manifest(
        &l.id,
        spec,
        runs,
        &files,
        &l.overrides,
        ReplicateRows::All,
    ))
}

/// Simulates replicates `range` of shard `shard` of the comparison (and, with sensitivity,
/// under the scaled failure rates) and writes `<id>/compare/partial-K-of-N.json`.
fn write_shard(
    l: &LoadedScenario,
    variants: &[Variant],
    cfg: CompareConfig,
    command: CompareCommand,
    (shard, range): ((u64, u64), std::ops::Range<u64>),
    tick: &(dyn Fn() + Sync),
    sink: &mut dyn Sink,
) -> Result<(), AppError> {
    let (_, outcomes, rates) = simulate_range(l, variants, &cfg, range.clone(), tick)?;
    let Some(manifest) = manifest(l, variants, runs(l, &cfg)) else {
        return Ok(());
    };
    let options = variants.iter().map(|v| v.id.clone()).collect();
    let head = shards::head(manifest, command, options, shard, range);
    let partial = shards::partial(head, &outcomes, &rates);
    let (k, n) = shard;
    let file = PathBuf::from(&l.id)
        .join("compare")
        .join(format!("partial-{k}-of-{n}.json"));
    write_compact_json(sink, &file, &partial)?;
    sink.print(&format!(
        "{}: comparison shard {k}/{n}, replicates {}..{} of {}; merge the partials with `corridor merge`\n",
        l.id, partial.head.first, partial.head.end, partial.head.manifest.runs
    ));
    Ok(())
}

/// Whether `path` is a comparison's partial file (`corridor compare --shard`) rather than a
/// run's; `false` when it cannot be read as either.
pub fn is_partial(path: &Path) -> bool {
    #[derive(serde::Deserialize)]
    struct Probe {
        head: Option<Kind>,
    }
    #[derive(serde::Deserialize)]
    struct Kind {
        kind: String,
    }
    crate::io::source::read_limited(path, crate::io::source::MAX_PARTIAL_BYTES)
        .ok()
        .and_then(|t| serde_json::from_str::<Probe>(&t).ok())
        .and_then(|p| p.head)
        .is_some_and(|h| h.kind == shards::KIND)
}

/// Combines the partials of a sharded comparison at `paths` into the outputs of the whole
/// comparison, byte for byte (the statistics, bootstrap, charts and sensitivity included). It
/// reads every head first (every shard once, one build, one run), loads the scenario and
/// options again from the absolute paths the shards recorded and checks their SHA-256 against
/// the shards' manifest, then reads each partial whole in shard order.
///
/// # Errors
/// Input errors (a moved or changed input, a file that is not a partial) and
/// [`AppError::Merge`] when the partials are not every shard of one comparison exactly once.
pub fn merge(
    paths: &[PathBuf],
    limits: Limits,
    sink: &mut dyn Sink,
) -> Result<CompareResult, AppError> {
    let name = |i: usize| paths[i].display().to_string();
    let (first, order) = super::montecarlo::check_heads(paths, |h: shards::HeadOnly| h.head)?;
    let cmd = &first.command;
    let disk = Disk::new(limits);
    let changed = |problem: String| -> AppError {
        MergeError::Invalid {
            file: name(order[0]),
            problem: format!(
                "{problem}; the shards read {} and options {:?} from {} (hint: merge before changing them, or run the shards again)",
                cmd.scenario, cmd.variants, cmd.variants_dir
            ),
        }
        .into()
    };
    let l = crate::io::load_scenario_with(
        &disk,
        Path::new(&cmd.scenario),
        true,
        &first.manifest.overrides,
    )
    .map_err(|e| changed(format!("its inputs cannot be loaded again: {e}")))?;
    let variants = load_variants(&disk, Path::new(&cmd.variants_dir), &cmd.variants, &l)
        .map_err(|e| changed(format!("its options cannot be loaded again: {e}")))?;
    let runs = first.manifest.runs;
    if manifest(&l, &variants, runs).as_ref() != Some(&first.manifest)
        || variants.iter().map(|v| &v.id).ne(&first.options)
    {
        return Err(changed(
            "its inputs have changed since (scenario, seed or a file's SHA-256)".into(),
        ));
    }
    let mut outcomes: Vec<Vec<Outcome>> = Vec::new();
    let mut rates: Vec<RateOutcomes> = Vec::new();
    for (k, &i) in (1..).zip(&order) {
        let p: ComparePartial = super::montecarlo::read_partial(&paths[i])?;
        if p.head.format != first.format || p.head.shard != k || !p.head.same_run(&first) {
            return Err(MergeError::Changed { file: name(i) }.into());
        }
        if let Some(problem) = shards::problem(&p) {
            return Err(MergeError::Invalid {
                file: name(i),
                problem,
            }
            .into());
        }
        shards::append_rows(&p.outcomes, &mut outcomes);
        if rates.is_empty() {
            rates = p.rates.iter().map(|r| (r.factor, Vec::new())).collect();
        }
        for (into, r) in rates.iter_mut().zip(&p.rates) {
            shards::append_rows(&r.outcomes, &mut into.1);
        }
    }
    let cfg = CompareConfig {
        runs: Some(runs),
        sensitivity: cmd.sensitivity,
        limits,
        ..CompareConfig::default()
    };
    let reference = reference(&l.scenario, &variants).map_err(|e| AppError::solve(&l.id, e))?;
    write(&l, &variants, cfg, &reference, &outcomes, &rates, sink)
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
    let (reference, outcomes, rates) = simulate_range(l, variants, &cfg, 0..runs(l, &cfg), tick)?;
    write(l, variants, cfg, &reference, &outcomes, &rates, sink)
}

/// Writes the outputs of a comparison (see [`run`]) from every option's `outcomes`
/// (`[replicate][option]`) and, with sensitivity, the outcomes under the scaled failure rates.
fn write(
    l: &LoadedScenario,
    variants: &[Variant],
    cfg: CompareConfig,
    reference: &SimResult,
    outcomes: &[Vec<Outcome>],
    rates: &[RateOutcomes],
    sink: &mut dyn Sink,
) -> Result<CompareResult, AppError> {
    let seed = l.scenario.monte_carlo.as_ref().map_or(0, |m| m.seed);
    let st = compare(&l.scenario, variants, outcomes, reference, seed)
        .map_err(|e| AppError::solve(&l.id, e))?;
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
        let cases = sensitivity(&l.scenario, seed, variants, reference, &st, rates)
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
