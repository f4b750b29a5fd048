//! `corridor diff A B`: two runs side by side. A and B are a scenario's output directories
//! (`summary.json` and `daily.csv`, or a Monte Carlo run's `mc_summary.json`,
//! `mc_replicates.csv` and `mc_daily_bands.csv`), or two scenario files, which are run first.
//! Every number of the two summaries is set against the other (`diff.csv`); the headline
//! figures are printed; the resilience curves (and, for Monte Carlo runs, the loss
//! distributions) are overlaid on one chart each.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::sink::{Recorder, write_chart, write_table};
use super::{AppError, Sink};
use crate::io::Source;
use crate::report::fmt;
use crate::report::rows::{F4, Table};
use crate::report::stats_charts::{LossChart, LossMeasure, LossSeries};
use crate::report::timeseries::{ResilienceChart, ResilienceSeries};
use crate::report::units::column_unit;

/// One run as the diff reads it.
#[derive(Debug, Clone)]
pub struct RunFiles {
    /// How the run is named in the table and on the charts.
    pub label: String,
    /// Its summary (`summary.json` or `mc_summary.json`), parsed.
    pub summary: serde_json::Value,
    /// Whether it is a Monte Carlo run.
    pub monte_carlo: bool,
    /// `daily.csv`, or `mc_daily_bands.csv` for a Monte Carlo run.
    pub daily: Option<String>,
    /// `mc_replicates.csv` (Monte Carlo runs).
    pub replicates: Option<String>,
}

/// A figure of both runs.
#[derive(Debug, Clone, PartialEq, Default, Serialize, serde::Deserialize)]
pub struct DiffRow {
    /// The summary's key, dotted for nested ones (`lost_exports_mt.p95`).
    pub figure: String,
    pub unit: String,
    pub a: Option<F4>,
    pub b: Option<F4>,
    /// `b − a`.
    pub difference: Option<F4>,
    /// `(b − a) / |a|` in %, empty when `a` is 0.
    pub change_pct: Option<F4>,
}

impl Table for DiffRow {}

/// The headline figures printed, in order (deterministic, then Monte Carlo).
const HEADLINE: &[&str] = &[
    "exported_mt",
    "lost_exports_mt",
    "lost_revenue_usd",
    "state_budget_loss_usd",
    "curtailed_mt",
    "min_performance",
    "days_below_90pct",
    "days_to_recover",
    "resilience_loss",
    "russia_transit_share",
    "hhi_flows",
    "data_unserved_tb",
    "data_outage_hours",
    "data_shutdown_hours",
    "data_min_performance",
    "data_peak_latency_ms",
    "lost_exports_mt.mean",
    "lost_exports_mt.p95",
    "lost_exports_mt.cvar95",
    "lost_revenue_usd.mean",
    "p_loss_over_10pct",
    "resilience_loss_mean_days",
    "data_outage_hours.mean",
    "data_outage_hours.p95",
    "data_loss_usd.mean",
];

/// Bookkeeping of the solver and of the run's identity, not results.
const NOT_RESULTS: &[&str] = &["oil_solves", "data_solves", "seed"];

/// Every number of `v` that is a result, with its dotted key (lists are left out: route shares,
/// events and assets hit are compared by their totals).
fn numbers(v: &serde_json::Value, prefix: &str, out: &mut Vec<(String, f64)>) {
    if let serde_json::Value::Object(m) = v {
        for (k, x) in m {
            let key = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match x {
                serde_json::Value::Number(n) if !NOT_RESULTS.contains(&key.as_str()) => {
                    if let Some(f) = n.as_f64() {
                        out.push((key, f));
                    }
                }
                serde_json::Value::Object(_) => numbers(x, &key, out),
                _ => {}
            }
        }
    }
}

/// The unit of a summary figure: its key's, read as a column name.
fn unit_of(figure: &str) -> String {
    let head = figure.split('.').next().unwrap_or(figure);
    match head {
        "p_loss_over_5pct" | "p_loss_over_10pct" | "p_loss_over_25pct" => "fraction".into(),
        "data_days_below_90pct" | "days" | "horizon_days" => "days".into(),
        "runs" => "replicate-years".into(),
        h => column_unit(h).to_string(),
    }
}

/// The rows of `diff.csv`: every number in either summary, sorted by key.
pub fn rows(a: &serde_json::Value, b: &serde_json::Value) -> Vec<DiffRow> {
    let (mut na, mut nb) = (Vec::new(), Vec::new());
    numbers(a, "", &mut na);
    numbers(b, "", &mut nb);
    let mut keys: Vec<&String> = na.iter().chain(&nb).map(|(k, _)| k).collect();
    keys.sort();
    keys.dedup();
    let get = |v: &[(String, f64)], k: &str| v.iter().find(|(x, _)| x == k).map(|(_, f)| *f);
    keys.into_iter()
        .map(|k| {
            let (x, y) = (get(&na, k), get(&nb, k));
            let d = x.zip(y).map(|(x, y)| y - x);
            DiffRow {
                figure: k.clone(),
                unit: unit_of(k),
                a: x.map(F4::new),
                b: y.map(F4::new),
                difference: d.map(F4::new),
                change_pct: x
                    .zip(d)
                    .filter(|(x, _)| *x != 0.0)
                    .map(|(x, d)| F4::new(100.0 * d / x.abs())),
            }
        })
        .collect()
}

/// Whether a row's two values differ (or one run lacks the figure).
fn differs(r: &DiffRow) -> bool {
    match (r.a, r.b) {
        (Some(a), Some(b)) => a != b,
        _ => true,
    }
}

fn show(x: Option<F4>, unit: &str) -> String {
    match x {
        None => "–".into(),
        Some(F4(v)) if unit.starts_with("US$") => fmt::usd(v),
        Some(F4(v)) => fmt::number(v, if v.fract() == 0.0 { 0 } else { 3 }),
    }
}

/// The printed table: the headline figures, then how many of all figures differ.
pub fn table(a: &str, b: &str, rows: &[DiffRow]) -> String {
    let mut out = format!(
        "{:<28} {:<9} {:>14} {:>14} {:>14} {:>9}\n",
        "figure", "unit", "A", "B", "B − A", "change"
    );
    for key in HEADLINE {
        if let Some(r) = rows.iter().find(|r| r.figure == *key) {
            let change = r
                .change_pct
                .map_or_else(|| "–".into(), |F4(p)| format!("{}%", fmt::number(p, 1)));
            out.push_str(&format!(
                "{:<28} {:<9} {:>14} {:>14} {:>14} {:>9}\n",
                r.figure,
                r.unit,
                show(r.a, &r.unit),
                show(r.b, &r.unit),
                show(r.difference, &r.unit),
                change
            ));
        }
    }
    let n = rows.iter().filter(|r| differs(r)).count();
    if n == 0 {
        out.push_str(&format!(
            "A = {a}, B = {b}: no differences in the {} figures compared\n",
            rows.len()
        ));
    } else {
        out.push_str(&format!(
            "A = {a}, B = {b}: {n} of {} figures differ (all of them in diff.csv)\n",
            rows.len()
        ));
    }
    out
}

fn read(source: &dyn Source, dir: &Path, name: &str) -> Result<Option<String>, AppError> {
    let p = dir.join(name);
    match source.read(&p) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(AppError::Input(format!("cannot read {}: {e}", p.display()))),
    }
}

fn parse_summary(file: &str, text: &str) -> Result<serde_json::Value, AppError> {
    serde_json::from_str(text)
        .map_err(|e| AppError::Input(format!("{file}: not a corridor summary ({e})")))
}

/// The files a run writes that the diff reads: its summary, its daily curve, and (Monte Carlo)
/// its replicates.
fn files_of(monte_carlo: bool) -> (&'static str, &'static str, Option<&'static str>) {
    if monte_carlo {
        (
            "mc_summary.json",
            "mc_daily_bands.csv",
            Some("mc_replicates.csv"),
        )
    } else {
        ("summary.json", "daily.csv", None)
    }
}

/// Reads a scenario's output directory.
///
/// # Errors
/// [`AppError::Input`] when it holds neither a `summary.json` nor an `mc_summary.json`.
pub fn read_dir(source: &dyn Source, dir: &Path) -> Result<RunFiles, AppError> {
    let label = dir.file_name().map_or_else(
        || dir.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    for monte_carlo in [true, false] {
        let (summary, daily, replicates) = files_of(monte_carlo);
        if let Some(text) = read(source, dir, summary)? {
            let file = dir.join(summary).display().to_string();
            return Ok(RunFiles {
                label,
                summary: parse_summary(&file, &text)?,
                monte_carlo,
                daily: read(source, dir, daily)?,
                replicates: match replicates {
                    Some(r) => read(source, dir, r)?,
                    None => None,
                },
            });
        }
    }
    Err(AppError::Input(format!(
        "{}: no summary.json or mc_summary.json: not a scenario's output directory (hint: give the folder `corridor run` wrote for one scenario, e.g. output/cpc-terminal-storm, or two scenario files)",
        dir.display()
    )))
}

/// Runs the scenario files `a` and `b` into `sink` (each under its own folder, as `corridor
/// run` does) and returns what the diff reads of each, from memory.
///
/// # Errors
/// Input errors of either file (both loaded before anything runs); two files of one name;
/// output errors.
pub fn run_files(
    source: &dyn Source,
    a: &Path,
    b: &Path,
    runs: Option<u64>,
    sink: &mut dyn Sink,
) -> Result<(RunFiles, RunFiles), AppError> {
    let paths = [a.to_path_buf(), b.to_path_buf()];
    let loaded = super::inputs::load_scenarios(source, &paths, false, &[])?;
    if loaded[0].id == loaded[1].id {
        return Err(AppError::Input(format!(
            "{} and {} are both named `{}`: their outputs would share a folder (hint: rename one file, or run them into two --out folders and diff those)",
            a.display(),
            b.display(),
            loaded[0].id
        )));
    }
    let mut rec = Recorder::new(sink).with_tables();
    rec.mute = true;
    let mc = super::montecarlo::McConfig {
        runs,
        shard: None,
        progress: false,
        limits: source.limits(),
        replicates: crate::report::mc::ReplicateRows::All,
        ..Default::default()
    };
    super::run::run_loaded(&loaded, super::run::RunConfig::default(), mc, &mut rec)?;
    let mut out = Vec::new();
    for l in &loaded {
        let dir = PathBuf::from(&l.id);
        let monte_carlo = l.scenario.monte_carlo.is_some();
        let (summary, daily, replicates) = files_of(monte_carlo);
        let text = rec.text(dir.join(summary))?;
        out.push(RunFiles {
            label: l.id.clone(),
            summary: parse_summary(summary, &text)?,
            monte_carlo,
            daily: rec.text(dir.join(daily)).ok(),
            replicates: replicates.and_then(|r| rec.text(dir.join(r)).ok()),
        });
    }
    let b = out
        .pop()
        .ok_or_else(|| AppError::Internal("no run".into()))?;
    let a = out
        .pop()
        .ok_or_else(|| AppError::Internal("no run".into()))?;
    Ok((a, b))
}

/// Sets `b` against `a`: writes `diff.csv` and the overlaid charts to `sink`, prints the
/// headline table, and returns the rows.
///
/// # Errors
/// [`AppError::Input`] when one run is a Monte Carlo run and the other is not, or a CSV lacks a
/// chart's columns; output errors.
pub fn diff(a: &RunFiles, b: &RunFiles, sink: &mut dyn Sink) -> Result<Vec<DiffRow>, AppError> {
    if a.monte_carlo != b.monte_carlo {
        let kind = |r: &RunFiles| {
            if r.monte_carlo {
                "a Monte Carlo run"
            } else {
                "a run of dated events"
            }
        };
        return Err(AppError::Input(format!(
            "{} is {} and {} is {}: their figures are not the same quantities (hint: diff two runs of one kind)",
            a.label,
            kind(a),
            b.label,
            kind(b)
        )));
    }
    let (la, lb) = if a.label == b.label {
        (format!("A: {}", a.label), format!("B: {}", b.label))
    } else {
        (a.label.clone(), b.label.clone())
    };
    let rows = rows(&a.summary, &b.summary);
    write_table(sink, Path::new("diff.csv"), &rows)?;
    if let (Some(da), Some(db)) = (&a.daily, &b.daily) {
        let (sa, dates) = ResilienceSeries::from_csv(&la, da, &la)?;
        let (sb, _) = ResilienceSeries::from_csv(&lb, db, &lb)?;
        let c = ResilienceChart {
            title: format!("Resilience: {la} and {lb}"),
            dates,
            series: vec![sa, sb],
        };
        write_chart(sink, Path::new("resilience"), &c)?;
    }
    if let (Some(ra), Some(rb)) = (&a.replicates, &b.replicates) {
        let series = [(ra, &la), (rb, &lb)]
            .iter()
            .enumerate()
            .map(|(i, (text, name))| {
                LossSeries::from_replicates(name, text, name, LossMeasure::OilMt)
                    .map(|s| LossSeries { slot: Some(i), ..s })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let c = LossChart {
            title: format!("Annual lost exports: {la} and {lb}"),
            series,
            measure: LossMeasure::OilMt,
        };
        write_chart(sink, Path::new("losses"), &c)?;
    }
    sink.print(&table(&a.label, &b.label, &rows));
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_number_is_set_against_the_other_with_its_unit() {
        let a = serde_json::json!({"lost_exports_mt": 2.0, "oil_solves": 5, "name": "x",
            "lost_revenue_usd": {"mean": 100.0}, "route_shares": [1, 2], "days_to_recover": 0});
        let b = serde_json::json!({"lost_exports_mt": 1.5, "oil_solves": 9, "name": "y",
            "lost_revenue_usd": {"mean": 100.0}, "days_to_recover": 3, "curtailed_mt": 1.0});
        let r = rows(&a, &b);
        let keys: Vec<&str> = r.iter().map(|r| r.figure.as_str()).collect();
        assert_eq!(
            keys,
            [
                "curtailed_mt",
                "days_to_recover",
                "lost_exports_mt",
                "lost_revenue_usd.mean"
            ]
        );
        let lost = &r[2];
        assert_eq!(
            (lost.unit.as_str(), lost.difference),
            ("Mt", Some(F4(-0.5)))
        );
        assert_eq!(lost.change_pct, Some(F4(-25.0)));
        assert_eq!(r[1].change_pct, None, "no change in % from zero");
        assert_eq!(r[0].a, None);
        assert_eq!(r[3].unit, "US$");
        assert_eq!(r.iter().filter(|r| differs(r)).count(), 3);
        assert!(
            table("a", "b", &r)
                .ends_with("A = a, B = b: 3 of 4 figures differ (all of them in diff.csv)\n")
        );
        assert!(
            table("a", "a", &rows(&a, &a)).ends_with("no differences in the 3 figures compared\n")
        );
    }
}
