//! `corridor chart`: a chart rebuilt from the CSV files a run wrote.

use std::path::{Path, PathBuf};

use super::sink::write_chart;
use super::{AppError, Sink};
use crate::report::stats_charts::{LossChart, LossSeries, OptionsChart};
use crate::report::timeseries::{
    ResilienceChart, ResilienceSeries, ThroughputChart, event_windows,
};

/// Which chart to rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Daily exports by route, from one `daily.csv` (events from the `summary.json` beside it).
    Throughput,
    /// Data served by route and latency, from one `daily.csv`.
    Data,
    /// Performance over time, from `daily.csv` or `mc_daily_bands.csv` files.
    Resilience,
    /// Loss distributions, from `mc_replicates.csv` files or a compare's `replicates.csv`.
    Losses,
    /// Avoided loss and benefit/cost per option, from one `compare.csv`.
    Options,
}

fn read_text(p: &Path) -> Result<String, AppError> {
    std::fs::read_to_string(p)
        .map_err(|e| AppError::Input(format!("cannot read {}: {e}", p.display())))
}

/// The scenario directory's name, which labels a file's series.
fn label(p: &Path) -> String {
    p.parent().and_then(|d| d.file_name()).map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn one<'a>(kind: ChartKind, files: &'a [PathBuf], what: &str) -> Result<&'a PathBuf, AppError> {
    match files {
        [file] => Ok(file),
        _ => Err(AppError::Input(format!("{kind:?} takes one {what}"))),
    }
}

/// Rebuilds a `kind` chart from `files` and writes it to `stem` (`.png` and `.svg`).
///
/// # Errors
/// [`AppError::Input`] for a missing file, the wrong number of files, or a CSV without the
/// chart's columns; output errors.
pub fn chart_from_csv(
    kind: ChartKind,
    files: &[PathBuf],
    stem: &Path,
    sink: &mut dyn Sink,
) -> Result<(), AppError> {
    match kind {
        ChartKind::Throughput | ChartKind::Data => {
            let file = one(kind, files, "daily.csv")?;
            let text = read_text(file)?;
            let dates: Vec<String> = text
                .lines()
                .skip(1)
                .filter_map(|l| l.split(',').next().map(str::to_string))
                .collect();
            // The summary beside the CSV is optional: it gives the title and the event windows.
            let summary =
                std::fs::read_to_string(file.with_file_name("summary.json")).unwrap_or_default();
            let title = serde_json::from_str::<serde_json::Value>(&summary)
                .ok()
                .and_then(|v| v["name"].as_str().map(str::to_string))
                .unwrap_or_else(|| label(file));
            let build = if kind == ChartKind::Data {
                ThroughputChart::from_daily_data
            } else {
                ThroughputChart::from_daily
            };
            let c = build(
                &file.display().to_string(),
                &text,
                &title,
                event_windows(&summary, &dates),
            )?;
            write_chart(sink, stem, &c)
        }
        ChartKind::Resilience => {
            let mut series = Vec::new();
            let mut dates = Vec::new();
            for f in files {
                let (s, d) = ResilienceSeries::from_csv(
                    &f.display().to_string(),
                    &read_text(f)?,
                    &label(f),
                )?;
                if dates.is_empty() {
                    dates = d;
                }
                series.push(s);
            }
            let c = ResilienceChart {
                title: "Resilience curves".into(),
                dates,
                series,
            };
            write_chart(sink, stem, &c)
        }
        ChartKind::Losses => {
            let mut series = Vec::new();
            for f in files {
                let (name, text) = (f.display().to_string(), read_text(f)?);
                // compare/replicates.csv holds every option: one series each.
                if text
                    .lines()
                    .next()
                    .is_some_and(|h| h.split(',').any(|c| c == "variant"))
                {
                    series.extend(LossSeries::from_long(&name, &text)?);
                } else {
                    series.push(LossSeries::from_replicates(&name, &text, &label(f))?);
                }
            }
            let c = LossChart {
                title: "Annual lost exports over the simulated years".into(),
                series,
            };
            write_chart(sink, stem, &c)
        }
        ChartKind::Options => {
            let file = one(kind, files, "compare.csv")?;
            let c = OptionsChart::from_compare(
                &file.display().to_string(),
                &read_text(file)?,
                "Diversification options",
            )?;
            write_chart(sink, stem, &c)
        }
    }
}
