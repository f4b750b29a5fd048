//! `corridor sweep` and `corridor collect`: many variations of scenarios as one job. A sweep
//! file expands into tasks, each addressable by its index, so any array engine (Slurm, a
//! Kubernetes Indexed Job, GNU parallel) runs them; `collect` merges the Monte Carlo shards and
//! builds one table across the cases.
//!
//! Layout under `OUT/<sweep>/`: `plan.json` (written by every task, identical), and
//! `cases/<case>/<run>/` the outputs of `corridor run` for each case and run (a scenario, or a
//! scenario with an option, `<scenario>+<variant>`); `collect` adds `sweep.csv` (and
//! `sweep.xlsx`) and the charts `sweep_losses` and `sweep_data_losses`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::montecarlo::McConfig;
use super::run::{OptionSpec, RunConfig};
use super::sink::Stream;
use super::{AppError, Sink};
use crate::io::sweep::{SweepCase, SweepSpec};
use crate::io::{Limits, Source};
use crate::model::Build;
use crate::report::mc::{McSummary, ReplicateRows, sha256_hex};
use crate::report::run::ScenarioSummary;
use crate::report::sweep_chart::{MAX_BARS, Point, SweepChart};

/// Plan-file format this build writes and reads.
pub const PLAN_FORMAT: u32 = 1;

/// One scenario run of every case: a scenario, with an option or without.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedRun {
    /// The output id: the scenario's, `+<variant>` with an option.
    pub id: String,
    /// The scenario file's name.
    pub scenario: String,
    /// The option, if any.
    pub variant: Option<String>,
    /// Whether the scenario is a Monte Carlo one (split into the sweep's shards).
    pub monte_carlo: bool,
}

/// What a sweep runs: written to `plan.json` by every task, and read by `collect`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub format: u32,
    pub sweep: String,
    pub description: String,
    pub build: Build,
    /// SHA-256 of the sweep file.
    pub sweep_sha256: String,
    /// The override keys the cases vary.
    pub parameters: Vec<String>,
    pub cases: Vec<SweepCase>,
    pub runs: Vec<PlannedRun>,
    /// Replicate-years of the Monte Carlo runs, if the sweep sets them.
    pub replicates: Option<u64>,
    /// Shards of each Monte Carlo run.
    pub shards: u64,
    /// Tasks in all.
    pub tasks: u64,
}

/// One task: a run of one case, or one shard of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Task {
    /// 1-based.
    pub index: u64,
    pub case: usize,
    pub run: usize,
    /// `(k, n)` for a shard of a Monte Carlo run.
    pub shard: Option<(u64, u64)>,
}

impl Plan {
    /// Tasks of one case and run: the sweep's shards for a Monte Carlo run, else one.
    fn per_run(&self, run: usize) -> u64 {
        if self.runs[run].monte_carlo {
            self.shards
        } else {
            1
        }
    }

    /// Tasks of one case.
    fn per_case(&self) -> u64 {
        (0..self.runs.len()).map(|r| self.per_run(r)).sum()
    }

    /// Task `index` (1-based), or `None` past the last.
    pub fn task(&self, index: u64) -> Option<Task> {
        if index == 0 || index > self.tasks {
            return None;
        }
        let per_case = self.per_case();
        let i = index - 1;
        let case = (i / per_case) as usize;
        let mut rest = i % per_case;
        for run in 0..self.runs.len() {
            let n = self.per_run(run);
            if rest < n {
                let shard = (self.runs[run].monte_carlo && self.shards > 1)
                    .then_some((rest + 1, self.shards));
                return Some(Task {
                    index,
                    case,
                    run,
                    shard,
                });
            }
            rest -= n;
        }
        None
    }
}

/// Builds the plan of `spec` (each scenario loaded once, as written, to learn its id and
/// whether it is a Monte Carlo one).
///
/// # Errors
/// Input errors of the scenarios or options.
pub fn plan(source: &dyn Source, spec: &SweepSpec) -> Result<Plan, AppError> {
    let loaded = super::inputs::load_scenarios(source, &spec.scenarios, false, &[])?;
    let mut runs = Vec::new();
    for (l, path) in loaded.iter().zip(&spec.scenarios) {
        for v in &spec.variants {
            let id = match v {
                Some(v) => format!("{}+{v}", l.id),
                None => l.id.clone(),
            };
            runs.push(PlannedRun {
                id,
                scenario: path
                    .file_name()
                    .map_or_else(String::new, |f| f.to_string_lossy().into_owned()),
                variant: v.clone(),
                monte_carlo: l.scenario.monte_carlo.is_some(),
            });
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    if let Some(r) = runs.iter().find(|r| !seen.insert(r.id.clone())) {
        return Err(AppError::Input(format!(
            "the sweep runs `{}` twice (hint: list each scenario and option once)",
            r.id
        )));
    }
    let mut plan = Plan {
        format: PLAN_FORMAT,
        sweep: spec.name.clone(),
        description: spec.description.clone(),
        build: Build::this(),
        sweep_sha256: sha256_hex(spec.text.as_bytes()),
        parameters: spec.parameters.clone(),
        cases: spec.cases.clone(),
        runs,
        replicates: spec.runs,
        shards: spec.shards,
        tasks: 0,
    };
    plan.tasks = (plan.cases.len() as u64).saturating_mul(plan.per_case());
    Ok(plan)
}

/// Prints the plan's tasks, one line each: task, case, run, shard, overrides.
pub fn list(plan: &Plan, sink: &mut dyn Sink) {
    let mut text = String::from("task\tcase\trun\tshard\toverrides\n");
    for k in 1..=plan.tasks {
        let Some(t) = plan.task(k) else { break };
        let case = &plan.cases[t.case];
        let shard = t
            .shard
            .map_or_else(|| "-".into(), |(k, n)| format!("{k}/{n}"));
        let set: Vec<String> = case.set.iter().map(|(k, v)| format!("{k}={v}")).collect();
        text.push_str(&format!(
            "{k}\t{}\t{}\t{shard}\t{}\n",
            case.id,
            plan.runs[t.run].id,
            set.join(" ")
        ));
    }
    sink.print(&text);
}

/// A sink that writes under `prefix` of another, leaving out the file `skip` if there is one.
struct Under<'a> {
    inner: &'a mut dyn Sink,
    prefix: PathBuf,
    skip: Option<PathBuf>,
}

struct Discard;

impl Stream for Discard {
    fn write(&mut self, _: &str) -> Result<(), AppError> {
        Ok(())
    }
    fn commit(self: Box<Self>) -> Result<(), AppError> {
        Ok(())
    }
}

impl Sink for Under<'_> {
    fn put(&mut self, rel: &Path, bytes: &[u8]) -> Result<(), AppError> {
        if self.skip.as_deref() == Some(rel) {
            return Ok(());
        }
        self.inner.put(&self.prefix.join(rel), bytes)
    }
    fn stream(&mut self, rel: &Path) -> Result<Box<dyn Stream>, AppError> {
        if self.skip.as_deref() == Some(rel) {
            return Ok(Box::new(Discard));
        }
        self.inner.stream(&self.prefix.join(rel))
    }
    fn print(&mut self, text: &str) {
        self.inner.print(text);
    }
    fn note(&mut self, text: &str) {
        self.inner.note(text);
    }
    fn display(&self, rel: &Path) -> String {
        self.inner.display(&self.prefix.join(rel))
    }
    fn png_scale(&self) -> f32 {
        self.inner.png_scale()
    }
}

/// Settings of `corridor sweep`.
#[derive(Debug, Clone, Copy)]
pub struct SweepConfig {
    pub limits: Limits,
    pub progress: bool,
    /// Which replicates each Monte Carlo run's `mc_replicates.csv` lists.
    pub replicates: ReplicateRows,
}

/// Runs task `t` of `plan` (the sweep `spec`), writing under `<sweep>/` of `sink`: the run's
/// outputs in `cases/<case>/`, and `plan.json`.
///
/// # Errors
/// Input errors (an override that does not apply to a scenario), output errors.
pub fn run_task(
    source: &dyn Source,
    spec: &SweepSpec,
    plan: &Plan,
    t: Task,
    cfg: SweepConfig,
    sink: &mut dyn Sink,
) -> Result<(), AppError> {
    let root = PathBuf::from(&plan.sweep);
    super::sink::write_json(sink, &root.join("plan.json"), plan)?;
    let case = &plan.cases[t.case];
    let run = &plan.runs[t.run];
    let scenario = spec.scenarios[t.run / spec.variants.len()].clone();
    let option = run.variant.as_ref().map(|v| OptionSpec {
        spec: v.clone(),
        dir: None,
    });
    let mut under = Under {
        inner: sink,
        prefix: root.join("cases").join(&case.id),
        skip: Some(PathBuf::from("summary.csv")),
    };
    let run_cfg = RunConfig {
        every_day: false,
        overrides: case.set.clone(),
    };
    let mc = McConfig {
        runs: plan.replicates,
        shard: t.shard,
        progress: cfg.progress,
        limits: cfg.limits,
        replicates: cfg.replicates,
        ..Default::default()
    };
    super::run::run_files(
        source,
        &[scenario],
        false,
        run_cfg,
        mc,
        option.as_ref(),
        &mut under,
    )
    .map_err(|e| match e {
        AppError::Inputs(list) => AppError::Inputs(
            list.into_iter()
                .map(|m| format!("sweep case {} ({}): {m}", case.id, case.name))
                .collect(),
        ),
        other => other,
    })?;
    Ok(())
}

/// One row of `sweep.csv`: a case and run with its headline figures.
struct Row {
    case: String,
    name: String,
    run: String,
    values: Vec<String>,
    kind: &'static str,
    replicates: u64,
    /// Annual lost exports, Mt: the run's, or the Monte Carlo mean with its standard error,
    /// P95 and CVaR95.
    lost_mt: f64,
    lost_se_mt: Option<f64>,
    lost_p95_mt: Option<f64>,
    lost_cvar95_mt: Option<f64>,
    lost_revenue_usd: f64,
    p_loss_over_10pct: Option<f64>,
    data_outage_hours: f64,
    russia_transit_share: Option<f64>,
    min_performance: Option<f64>,
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    let text = crate::io::source::read_limited(path, crate::io::source::MAX_PARTIAL_BYTES)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `corridor collect DIR`: for the sweep whose `plan.json` is in `dir`, merges every Monte
/// Carlo run's shards (into its `cases/<case>/<run>/`), then writes `sweep.csv` (one row per
/// case and run: the parameters' values and the headline figures) and its charts; `sink` is
/// rooted at `dir`.
/// Refuses a sweep with tasks missing, naming them. Returns the number of rows.
///
/// # Errors
/// [`AppError::Input`] for a missing or unreadable output (with the tasks to rerun).
pub fn collect(dir: &Path, sink: &mut dyn Sink) -> Result<usize, AppError> {
    let plan: Plan = read_json(&dir.join("plan.json")).map_err(|e| {
        AppError::Input(format!(
            "{e} (hint: DIR is a sweep's output folder, OUT/<sweep>, holding plan.json)"
        ))
    })?;
    if plan.format != PLAN_FORMAT {
        return Err(AppError::Input(format!(
            "{}: plan format {}, this corridor reads {PLAN_FORMAT}",
            dir.join("plan.json").display(),
            plan.format
        )));
    }
    // Missing outputs first, all of them, with the tasks that write them.
    let mut missing: Vec<u64> = Vec::new();
    for k in 1..=plan.tasks {
        let Some(t) = plan.task(k) else { break };
        let run_dir = dir
            .join("cases")
            .join(&plan.cases[t.case].id)
            .join(&plan.runs[t.run].id);
        let file = match t.shard {
            Some((s, n)) => format!("partial-{s}-of-{n}.json"),
            None if plan.runs[t.run].monte_carlo => "mc_summary.json".into(),
            None => "summary.json".into(),
        };
        if !run_dir.join(&file).is_file() {
            missing.push(k);
        }
    }
    if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().take(40).map(u64::to_string).collect();
        return Err(AppError::Input(format!(
            "{}: {} of {} tasks have no output: {}{} (hint: rerun them with `corridor sweep SPEC --task K`)",
            dir.display(),
            missing.len(),
            plan.tasks,
            shown.join(", "),
            if missing.len() > 40 { " …" } else { "" }
        )));
    }
    let mut rows = Vec::new();
    for case in &plan.cases {
        for run in &plan.runs {
            let run_dir = dir.join("cases").join(&case.id).join(&run.id);
            let values = plan
                .parameters
                .iter()
                .map(|p| {
                    case.set
                        .iter()
                        .find(|(k, _)| k == p)
                        .map_or_else(String::new, |(_, v)| v.trim_matches('"').to_string())
                })
                .collect();
            let row = if run.monte_carlo {
                let s: McSummary = if plan.shards > 1 {
                    let parts: Vec<PathBuf> = (1..=plan.shards)
                        .map(|k| run_dir.join(format!("partial-{k}-of-{}.json", plan.shards)))
                        .collect();
                    let mut under = Under {
                        inner: sink,
                        prefix: PathBuf::from("cases").join(&case.id),
                        skip: None,
                    };
                    super::montecarlo::merge(&parts, &mut under)?
                } else {
                    read_json(&run_dir.join("mc_summary.json")).map_err(AppError::Input)?
                };
                Row {
                    case: case.id.clone(),
                    name: case.name.clone(),
                    run: run.id.clone(),
                    values,
                    kind: "monte_carlo",
                    replicates: s.runs,
                    lost_mt: s.lost_exports_mt.mean,
                    lost_se_mt: Some(s.lost_exports_mt.se),
                    lost_p95_mt: Some(s.lost_exports_mt.p95),
                    lost_cvar95_mt: Some(s.lost_exports_mt.cvar95),
                    lost_revenue_usd: s.lost_revenue_usd.mean,
                    p_loss_over_10pct: Some(s.p_loss_over_10pct),
                    data_outage_hours: s.data_outage_hours.mean,
                    russia_transit_share: None,
                    min_performance: None,
                }
            } else {
                let s: ScenarioSummary =
                    read_json(&run_dir.join("summary.json")).map_err(AppError::Input)?;
                Row {
                    case: case.id.clone(),
                    name: case.name.clone(),
                    run: run.id.clone(),
                    values,
                    kind: "deterministic",
                    replicates: 1,
                    lost_mt: s.lost_exports_mt,
                    lost_se_mt: None,
                    lost_p95_mt: None,
                    lost_cvar95_mt: None,
                    lost_revenue_usd: s.lost_revenue_usd,
                    p_loss_over_10pct: None,
                    data_outage_hours: s.data_outage_hours,
                    russia_transit_share: Some(s.russia_transit_share),
                    min_performance: Some(s.min_performance),
                }
            };
            rows.push(row);
        }
    }
    let text = table(&plan, &rows).map_err(AppError::Internal)?;
    super::sink::write_text(sink, Path::new("sweep.csv"), &text)?;
    charts(&plan, &rows, sink)?;
    sink.print(&format!(
        "{}: {} case(s) × {} run(s) collected into sweep.csv\n",
        plan.sweep,
        plan.cases.len(),
        plan.runs.len()
    ));
    Ok(rows.len())
}

/// The sweep's charts beside `sweep.csv`: lost exports across the cases (`sweep_losses`) and,
/// when any run loses data, the data losses (`sweep_data_losses`); a note instead when there
/// are too many cases and runs to draw as bars.
fn charts(plan: &Plan, rows: &[Row], sink: &mut dyn Sink) -> Result<(), AppError> {
    let names: Vec<String> = plan.cases.iter().map(|c| c.name.clone()).collect();
    let runs: Vec<String> = plan.runs.iter().map(|r| r.id.clone()).collect();
    // The one parameter the sweep varies, with each case's value.
    let single = match plan.parameters.as_slice() {
        [p] => Some((
            p.as_str(),
            rows.iter()
                .step_by(runs.len().max(1))
                .map(|r| r.values.first().cloned().unwrap_or_default())
                .collect(),
        )),
        _ => None,
    };
    let Some(layout) = SweepChart::layout(&names, runs.len(), single) else {
        sink.note(&format!(
            "{} cases × {} runs are too many bars to chart (at most {MAX_BARS}); sweep.csv has every row",
            names.len(),
            runs.len()
        ));
        return Ok(());
    };
    let per_case = runs.len().max(1);
    let grid = |f: &dyn Fn(&Row) -> Point| -> Vec<Vec<Option<Point>>> {
        rows.chunks(per_case)
            .map(|case| case.iter().map(|r| Some(f(r))).collect())
            .collect()
    };
    // What the figures are: over each run for a scenario of its own events, the mean a year
    // for a Monte Carlo one.
    let (mc, det) = (
        rows.iter().any(|r| r.lost_se_mt.is_some()),
        rows.iter().any(|r| r.lost_se_mt.is_none()),
    );
    let over = match (mc, det) {
        (true, false) => "the Monte Carlo mean a year",
        (false, _) => "over each run",
        (true, true) => "over each run, the Monte Carlo runs' mean a year",
    };
    let losses = SweepChart {
        title: format!("{}: lost exports", plan.sweep),
        measure: "Lost exports, Mt".into(),
        over: over.into(),
        unit: "Mt",
        runs: runs.clone(),
        layout: layout.clone(),
        values: grid(&|r| Point {
            value: r.lost_mt,
            half_ci: r.lost_se_mt.map(|se| 1.96 * se),
        }),
    };
    super::sink::write_chart(sink, Path::new("sweep_losses"), &losses)?;
    if rows.iter().any(|r| r.data_outage_hours > 0.0) {
        let data = SweepChart {
            title: format!("{}: data losses", plan.sweep),
            measure: "Data losses, hours of full national outage".into(),
            over: over.into(),
            unit: "h",
            runs,
            layout,
            values: grid(&|r| Point {
                value: r.data_outage_hours,
                half_ci: None,
            }),
        };
        super::sink::write_chart(sink, Path::new("sweep_data_losses"), &data)?;
    }
    Ok(())
}

/// `sweep.csv`: units in the headers; empty where a figure does not apply.
fn table(plan: &Plan, rows: &[Row]) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = ["case", "case_name", "run"]
        .iter()
        .map(|s| (*s).to_string())
        .collect();
    header.extend(plan.parameters.iter().cloned());
    header.extend(
        [
            "kind",
            "replicate_years",
            "lost_exports_mt",
            "lost_exports_se_mt",
            "lost_exports_p95_mt",
            "lost_exports_cvar95_mt",
            "lost_revenue_usd",
            "p_loss_over_10pct",
            "data_outage_hours",
            "russia_transit_share",
            "min_performance",
        ]
        .iter()
        .map(|s| (*s).to_string()),
    );
    w.write_record(&header).map_err(|e| e.to_string())?;
    let f = |x: f64| format!("{x:.4}");
    let o = |x: Option<f64>| x.map_or_else(String::new, f);
    for r in rows {
        let mut rec = vec![r.case.clone(), r.name.clone(), r.run.clone()];
        rec.extend(r.values.iter().cloned());
        rec.extend([
            r.kind.to_string(),
            r.replicates.to_string(),
            f(r.lost_mt),
            o(r.lost_se_mt),
            o(r.lost_p95_mt),
            o(r.lost_cvar95_mt),
            format!("{:.0}", r.lost_revenue_usd),
            o(r.p_loss_over_10pct),
            f(r.data_outage_hours),
            o(r.russia_transit_share),
            o(r.min_performance),
        ]);
        w.write_record(&rec).map_err(|e| e.to_string())?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}
