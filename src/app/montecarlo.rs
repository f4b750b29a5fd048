//! Monte Carlo runs: replicates in waves of bounded size with rows streamed to
//! `mc_replicates.csv` (so memory stays flat in the number of replicates), shards written as
//! partial files, and the merge of partials into the outputs of a single run.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::sink::{write_chart, write_compact_json, write_json, write_table};
use super::{AppError, Sink};
use crate::engine::dist::Dist;
use crate::engine::montecarlo::{Aggregates, run_range};
use crate::engine::sim::{SimConfig, simulate};
use crate::io::{Limits, LoadedScenario};
use crate::report::mc::{
    self, Manifest, McMeta, McState, McSummary, Partial, PartialHead, ReplicateRows,
};
use crate::report::rows::{BandRow, body};
use crate::report::stats_charts::{LossChart, LossMeasure, LossSeries};
use sha2::{Digest, Sha256};

/// Replicates simulated per wave: rows of one wave are held in memory at most.
const WAVE: u64 = 512;

/// Settings of a Monte Carlo run.
#[derive(Debug, Clone, Default)]
pub struct McConfig {
    /// Replicate-years, overriding the scenario's `runs`.
    pub runs: Option<u64>,
    /// Run only shard `(k, n)` (1-based) and write a partial file.
    pub shard: Option<(u64, u64)>,
    /// Show a progress bar on a terminal once the run has taken more than a second.
    pub progress: bool,
    /// The most work the command may do (`--allow-large` lifts it).
    pub limits: Limits,
    /// Which replicates `mc_replicates.csv` lists (the statistics count every one).
    pub replicates: ReplicateRows,
    /// Also write `<id>/mc_state.json`, so that a later run can extend this one.
    pub keep_state: bool,
    /// Extend the run whose outputs (with their state, `--keep-state`) are in `<this>/<id>/`:
    /// simulate only the replicates past its runs, and write the outputs (and the state) of
    /// the whole, byte for byte those of one run of them all.
    pub extend: Option<PathBuf>,
}

/// What a Monte Carlo run of `l` under `cfg` simulates, as [`Limits::check_work`] takes it:
/// its replicate-years (a shard's own) over its horizon; `None` for a deterministic scenario.
pub fn work(l: &LoadedScenario, cfg: &McConfig) -> Option<(String, u64, u32, u64)> {
    let spec = l.scenario.monte_carlo.as_ref()?;
    let runs = cfg.runs.unwrap_or(spec.runs);
    let n = match cfg.shard {
        Some((k, n)) => {
            let r = mc::shard_range(k, n, runs);
            r.end - r.start
        }
        None => runs,
    };
    Some((l.id.clone(), n, l.scenario.horizon_days, 1))
}

/// The result of a whole (unsharded) run: what the study's report and overlays need (the
/// streaming aggregates, with their per-day histograms, are written out and dropped).
#[derive(Debug, Clone)]
pub struct McResult {
    pub meta: McMeta,
    /// `mc_summary.json`.
    pub summary: McSummary,
    /// `mc_daily_bands.csv`.
    pub bands: Vec<BandRow>,
    /// The distribution of annual lost exports (Mt, as `mc_replicates.csv` states them).
    pub losses: LossSeries,
}

/// Runs the Monte Carlo scenario `l` (or one shard of it) and writes its outputs under
/// `<id>/`: `mc_replicates.csv`, `mc_summary.json`, `mc_daily_bands.csv`, `manifest.json` and
/// the `losses` chart; for a shard, `partial-K-of-N.json` only. `None` for a shard or a
/// scenario without `[monte_carlo]`.
///
/// # Errors
/// Output errors.
pub fn run(
    l: &LoadedScenario,
    cfg: McConfig,
    sink: &mut dyn Sink,
) -> Result<Option<McResult>, AppError> {
    run_ticking(l, cfg, &|| {}, sink)
}

/// [`run`], calling `on_replicate` once per replicate-year simulated (from any thread), for a
/// caller's own progress bar.
///
/// # Errors
/// Output errors.
pub fn run_ticking(
    l: &LoadedScenario,
    cfg: McConfig,
    on_replicate: &(dyn Fn() + Sync),
    sink: &mut dyn Sink,
) -> Result<Option<McResult>, AppError> {
    let Some(spec) = l.scenario.monte_carlo.as_ref() else {
        return Ok(None);
    };
    let runs = cfg.runs.unwrap_or(spec.runs);
    if let Some(w) = work(l, &cfg) {
        super::inputs::check_work(&cfg.limits, &[w])?;
    }
    // The baseline is the scenario without any event; each replicate adds its sampled failures
    // to the scenario's deterministic events.
    let base = simulate(&l.network, &l.scenario, SimConfig::BASELINE_TOTALS)
        .map_err(|e| AppError::solve(&l.id, e))?;
    if let Some(w) = super::run::baseline_shut_in(l, &base) {
        sink.note(&format!("warning: {w}"));
    }
    let baseline_mt: f64 = base.days.iter().map(|d| d.exports_kt).sum::<f64>() / 1000.0;
    let meta = McMeta::new(&l.id, &l.scenario, spec, runs, baseline_mt);
    let manifest = mc::manifest(&l.id, spec, runs, &l.files, &l.overrides, cfg.replicates);
    let dir = Path::new(&l.id);
    let prior = match &cfg.extend {
        Some(from) => Some(load_state(&from.join(dir), &manifest, &meta)?),
        None => None,
    };
    let range = match cfg.shard {
        Some((k, n)) => mc::shard_range(k, n, runs),
        None => prior.as_ref().map_or(0, |(s, _)| s.meta.runs)..runs,
    };
    let bar = progress_bar(&l.id, range.end - range.start);
    let started = std::time::Instant::now();
    let shown = AtomicBool::new(false);
    let show_bar = cfg.progress && std::io::stderr().is_terminal();
    let tick = || {
        on_replicate();
        bar.inc(1);
        if show_bar && started.elapsed().as_secs_f64() > 1.0 && !shown.swap(true, Ordering::Relaxed)
        {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    };
    // Rows go to the final CSV for a whole run (after those of the run it extends), or into
    // the partial for a shard; only those `--replicates` lists. The CSV is hashed as it is
    // written, for the state an extension checks.
    let mut hash = Sha256::new();
    let mut rows_file = match cfg.shard {
        None => {
            let mut f = sink.stream(&dir.join("mc_replicates.csv"))?;
            let header = mc::replicates_header();
            f.write(&header)?;
            hash.update(header.as_bytes());
            if let Some((state, csv)) = &prior {
                copy_rows(csv, &state.replicates_sha256, &mut *f, &mut hash)?;
            }
            Some(f)
        }
        Some(_) => None,
    };
    let mut shard_rows = String::new();
    // The loss charts' data: every replicate's loss at the CSV's precision, in bounded
    // distributions (memory flat in the number of replicates); an extension's start from the
    // run it extends.
    let mut losses = LossSeries::of_values(&l.id, [], Some(0));
    let mut data_hours = LossSeries::of_values(&l.id, [], Some(0));
    let mut total = Aggregates::new(base.days.len());
    if let Some((s, _)) = prior {
        total = s.aggregates;
        losses.dist = s.loss_dist;
        data_hours.dist = s.data_hours_dist;
    }
    let mut start = range.start;
    while start < range.end {
        let end = (start + WAVE).min(range.end);
        let (reps, agg) = run_range(&l.network, &l.scenario, spec, &base, start..end, &tick)
            .map_err(|e| AppError::solve(&l.id, e))?;
        let mut rows = mc::replicate_rows(&reps, &meta);
        for r in &rows {
            losses.dist.add(r.lost_exports_mt.0);
            data_hours.dist.add(r.data_outage_hours.0);
        }
        rows.retain(|r| cfg.replicates.keeps(r));
        let text = body(&rows).map_err(AppError::Internal)?;
        match rows_file.as_mut() {
            Some(f) => {
                f.write(&text)?;
                hash.update(text.as_bytes());
            }
            None => shard_rows.push_str(&text),
        }
        total.merge(&agg);
        start = end;
    }
    bar.finish_and_clear();
    if let Some((k, n)) = cfg.shard {
        let partial = Partial {
            format: mc::PARTIAL_FORMAT,
            manifest,
            meta,
            shard: k,
            shards: n,
            first: range.start,
            end: range.end,
            aggregates: total,
            loss_dist: losses.dist,
            data_hours_dist: data_hours.dist,
            rows: shard_rows,
        };
        write_compact_json(
            sink,
            &dir.join(format!("partial-{k}-of-{n}.json")),
            &partial,
        )?;
        sink.print(&format!(
            "{}: shard {k}/{n}, replicates {}..{} of {runs}; merge the partials with `corridor merge`\n",
            l.id, range.start, range.end
        ));
        return Ok(None);
    }
    if let Some(f) = rows_file {
        f.commit()?;
        let shown = sink.display(&dir.join("mc_replicates.csv"));
        sink.note(&format!("wrote {shown}"));
    }
    let (summary, bands) = write_outputs(sink, dir, &meta, &manifest, &total)?;
    write_loss_charts(sink, dir, &meta, &losses.dist, &data_hours.dist)?;
    if cfg.keep_state || cfg.extend.is_some() {
        let state = McState {
            format: mc::PARTIAL_FORMAT,
            kind: mc::STATE_KIND.into(),
            manifest,
            meta: meta.clone(),
            aggregates: total,
            loss_dist: losses.dist.clone(),
            data_hours_dist: data_hours.dist.clone(),
            replicates_sha256: mc::hex(&hash.finalize()),
        };
        write_compact_json(sink, &dir.join(mc::STATE_FILE), &state)?;
    }
    Ok(Some(McResult {
        meta,
        summary,
        bands,
        losses,
    }))
}

/// The state of the run in `dir` (`mc_state.json`, written with `--keep-state`) that this run
/// (`manifest`, `meta`) extends, and the path of its `mc_replicates.csv`, once both are checked:
/// the state is structurally sound, from this build, of the same scenario, inputs, seed,
/// overrides and `--replicates` with fewer or as many runs.
///
/// # Errors
/// [`AppError::Input`] naming the file and what differs, with a hint.
fn load_state(
    dir: &Path,
    manifest: &Manifest,
    meta: &McMeta,
) -> Result<(McState, PathBuf), AppError> {
    let path = dir.join(mc::STATE_FILE);
    let name = path.display();
    let text = crate::io::source::read_limited(&path, crate::io::source::MAX_PARTIAL_BYTES)
        .map_err(|e| {
            AppError::Input(format!(
                "cannot read {name}: {e}\n  hint: --extend continues a run made with --keep-state (or an earlier --extend) into the same --out"
            ))
        })?;
    let state: McState = serde_json::from_str(&text)
        .map_err(|e| AppError::Input(format!("{name}: not a corridor run state ({e})")))?;
    let refuse = |why: String| AppError::Input(format!("{name}: {why}"));
    if state.format != mc::PARTIAL_FORMAT {
        return Err(refuse(format!(
            "state format {}, this corridor reads {}",
            state.format,
            mc::PARTIAL_FORMAT
        )));
    }
    if let Some(problem) = mc::state_problem(&state) {
        return Err(refuse(format!(
            "not a state this corridor wrote: {problem}"
        )));
    }
    let this = crate::model::Build::this();
    if state.manifest.build != this {
        return Err(refuse(format!(
            "written by {}, but this run is {this}; an extension must run the build that ran the replicates it extends (hint: extend with that binary, or run the whole again)",
            state.manifest.build
        )));
    }
    let kept = state.meta.runs;
    let same_manifest = Manifest {
        runs: kept,
        ..manifest.clone()
    } == state.manifest;
    let same_meta = McMeta {
        runs: kept,
        ..meta.clone()
    } == state.meta;
    if !same_manifest || !same_meta {
        return Err(refuse(
            "the run it holds differs from this one (scenario, seed, --set overrides, --replicates or an input file's SHA-256): only more replicates of the same run extend it; its manifest.json says what it ran"
                .into(),
        ));
    }
    if meta.runs < kept {
        return Err(refuse(format!(
            "it holds {kept} replicate-years, more than --runs {}: an extension adds replicates (hint: --runs N with N ≥ {kept})",
            meta.runs
        )));
    }
    Ok((state, dir.join("mc_replicates.csv")))
}

/// Copies the rows of the `mc_replicates.csv` at `csv` (after its header; a byte order mark
/// is skipped) to `to`, hashing them into `hash`, and checks that the file as read hashes to
/// `expected`, the SHA-256 its state recorded when it was written.
///
/// # Errors
/// [`AppError::Input`] when the file cannot be read or is not the one the state recorded;
/// output errors.
fn copy_rows(
    csv: &Path,
    expected: &str,
    to: &mut dyn super::sink::Stream,
    hash: &mut Sha256,
) -> Result<(), AppError> {
    use std::io::BufRead;
    let name = csv.display();
    let unreadable = |e: std::io::Error| {
        AppError::Input(format!(
            "cannot read {name}: {e}\n  hint: --extend needs the run's mc_replicates.csv beside its mc_state.json, as the run wrote it"
        ))
    };
    let file = std::fs::File::open(csv).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    if size > crate::io::source::MAX_PARTIAL_BYTES {
        return Err(AppError::Input(format!(
            "{name}: {size} bytes, more than a run writes"
        )));
    }
    let mut reader = std::io::BufReader::new(file);
    let mut old = Sha256::new();
    let mut line = String::new();
    let mut header = true;
    loop {
        line.clear();
        if reader.read_line(&mut line).map_err(unreadable)? == 0 {
            break;
        }
        let text = if header {
            line.strip_prefix('\u{feff}').unwrap_or(&line)
        } else {
            &line
        };
        old.update(text.as_bytes());
        if !header {
            to.write(text)?;
            hash.update(text.as_bytes());
        }
        header = false;
    }
    if mc::hex(&old.finalize()) != expected {
        return Err(AppError::Input(format!(
            "{name}: not the mc_replicates.csv its mc_state.json recorded (SHA-256 differs): it was changed or replaced since (hint: run the whole again, with --keep-state)"
        )));
    }
    Ok(())
}

/// The loss exceedance charts of a Monte Carlo run: annual lost exports (`losses`), and data
/// losses in hours of full national outage (`data_losses`) when the scenario loses any data.
/// A single run and a merge of its shards draw them from the same distributions.
fn write_loss_charts(
    sink: &mut dyn Sink,
    dir: &Path,
    meta: &McMeta,
    losses: &Dist,
    data_hours: &Dist,
) -> Result<(), AppError> {
    let series = |dist: &Dist| LossSeries {
        name: meta.scenario.clone(),
        dist: dist.clone(),
        slot: Some(0),
    };
    let chart = LossChart {
        title: crate::report::stats_charts::losses_title(&meta.name),
        series: vec![series(losses)],
        measure: LossMeasure::OilMt,
    };
    write_chart(sink, &dir.join("losses"), &chart)?;
    if data_hours.max() > 0.0 {
        let chart = LossChart {
            title: crate::report::stats_charts::data_losses_title(&meta.name),
            series: vec![series(data_hours)],
            measure: LossMeasure::DataHours,
        };
        write_chart(sink, &dir.join("data_losses"), &chart)?;
    }
    Ok(())
}

/// A bar of `len` replicate-years, drawn on stderr when `show` and stderr is a terminal.
pub fn replicate_bar(show: bool, len: u64, prefix: &str) -> indicatif::ProgressBar {
    let bar = progress_bar(prefix, len);
    if show && std::io::stderr().is_terminal() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    }
    bar
}

fn progress_bar(prefix: &str, len: u64) -> indicatif::ProgressBar {
    // Hidden at first: drawn only once the run has taken more than a second, and never when
    // progress is off or stderr is not a terminal.
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(len),
        indicatif::ProgressDrawTarget::hidden(),
    );
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{prefix} [{bar:30}] {pos}/{len} replicate-years, {per_sec}, ETA {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_prefix(prefix.to_string());
    bar
}

/// Writes the final Monte Carlo outputs from merged aggregates and prints the one-line result;
/// returns the summary and the daily bands.
fn write_outputs(
    sink: &mut dyn Sink,
    dir: &Path,
    meta: &McMeta,
    manifest: &Manifest,
    total: &Aggregates,
) -> Result<(McSummary, Vec<BandRow>), AppError> {
    let summary = mc::summary(meta, total);
    write_json(sink, &dir.join("mc_summary.json"), &summary)?;
    let bands = mc::daily_bands(meta, total);
    write_table(sink, &dir.join("mc_daily_bands.csv"), &bands)?;
    write_json(sink, &dir.join("manifest.json"), manifest)?;
    let st = total.stats(meta.baseline_exported_mt);
    sink.print(&format!(
        "{}: {} replicate-years; annual lost exports mean {:.3} Mt (se {:.3}), P95 {:.3} Mt, CVaR95 {:.3} Mt; P(loss > 10%) = {:.4}\n",
        meta.scenario,
        st.runs,
        st.lost_mean_mt,
        st.lost_se_mt,
        st.lost_p95_mt,
        st.lost_cvar95_mt,
        st.p_loss_over_10pct
    ));
    Ok((summary, bands))
}

/// The first pass of a merge: reads the head of every partial at `paths` (as `T`, of which
/// `head` takes the [`mc::ShardHead`]), one at a time, and checks that they are every shard of
/// one run exactly once from this build; returns the first head and the partials' indices in
/// shard order.
///
/// # Errors
/// [`AppError::Input`] for a file that is not a partial; [`AppError::Merge`] otherwise.
pub(super) fn check_heads<T: serde::de::DeserializeOwned, H: mc::ShardHead>(
    paths: &[PathBuf],
    head: impl Fn(T) -> H,
) -> Result<(H, Vec<usize>), AppError> {
    let name = |i: usize| paths[i].display().to_string();
    let mut check = mc::HeadCheck::<H>::default();
    for (i, p) in paths.iter().enumerate() {
        check.add(i, &name(i), head(read_partial(p)?))?;
    }
    Ok(check.finish(name)?)
}

/// Reads the partial file `path` as `T` (a [`Partial`] or its [`PartialHead`], or a
/// comparison's partial or its head). A file that
/// does not parse is looked at again for its format alone, so that a partial of another format
/// is named as such; a file that parses is read once.
pub(super) fn read_partial<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, AppError> {
    #[derive(serde::Deserialize)]
    struct Format {
        format: u32,
    }
    let name = path.display().to_string();
    let text = crate::io::source::read_limited(path, crate::io::source::MAX_PARTIAL_BYTES)
        .map_err(|e| AppError::Input(format!("cannot read {name}: {e}")))?;
    serde_json::from_str(&text).map_err(|e| match serde_json::from_str::<Format>(&text) {
        Ok(f) if f.format != mc::PARTIAL_FORMAT => mc::MergeError::Format {
            file: name.clone(),
            found: f.format,
        }
        .into(),
        _ => AppError::Input(format!(
            "{name}: not a corridor partial file ({e}); partials are written by `corridor run --shard K/N` and `corridor compare --shard K/N`"
        )),
    })
}

/// Combines the shard partials at `paths` into the outputs of a single run (byte-identical to
/// one, charts included), under `<scenario>/`, and returns its `mc_summary.json`. It reads
/// each partial twice, holding one at a time: first every head, to check that they are every
/// shard of one run exactly once from one build and one set of inputs; then each whole in
/// shard order, checked and merged into one running total. Memory is flat in the number of
/// shards.
///
/// # Errors
/// [`AppError::Input`] for a file that is not a partial, [`AppError::Merge`] if the partials
/// are not every shard of one run exactly once or one changed between the two reads.
pub fn merge(paths: &[PathBuf], sink: &mut dyn Sink) -> Result<McSummary, AppError> {
    let (first, order) = check_heads(paths, |h: PartialHead| h)?;
    let dir = PathBuf::from(&first.meta.scenario);
    let mut rows = sink.stream(&dir.join("mc_replicates.csv"))?;
    rows.write(&mc::replicates_header())?;
    let mut total: Option<(Aggregates, Dist, Dist)> = None;
    for (k, &i) in (1..).zip(&order) {
        let name = paths[i].display().to_string();
        let p: Partial = read_partial(&paths[i])?;
        if p.format != first.format
            || p.shard != k
            || p.shards != first.shards
            || p.manifest != first.manifest
            || p.meta != first.meta
        {
            return Err(mc::MergeError::Changed { file: name }.into());
        }
        if let Some(problem) = mc::structural_problem(&p) {
            return Err(mc::MergeError::Invalid {
                file: name,
                problem,
            }
            .into());
        }
        rows.write(&p.rows)?;
        match total.as_mut() {
            None => total = Some((p.aggregates, p.loss_dist, p.data_hours_dist)),
            Some((agg, losses, hours)) => {
                agg.merge(&p.aggregates);
                losses.merge(&p.loss_dist);
                hours.merge(&p.data_hours_dist);
            }
        }
    }
    let Some((total, losses, hours)) = total else {
        return Err(mc::MergeError::Empty.into());
    };
    rows.commit()?;
    let shown = sink.display(&dir.join("mc_replicates.csv"));
    sink.note(&format!("wrote {shown}"));
    let (summary, _) = write_outputs(sink, &dir, &first.meta, &first.manifest, &total)?;
    write_loss_charts(sink, &dir, &first.meta, &losses, &hours)?;
    Ok(summary)
}
