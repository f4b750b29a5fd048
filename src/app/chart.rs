//! `corridor chart`: a chart rebuilt from the CSV files a run wrote.

use std::path::{Path, PathBuf};

use super::sink::write_chart;
use super::{AppError, Sink};
use crate::io::Source;
use crate::report::rows::{Daily, header_of};
use crate::report::run::ScenarioSummary;
use crate::report::stats_charts::{LossChart, LossMeasure, LossSeries, OptionsChart, TornadoChart};
use crate::report::timeseries::{ResilienceChart, ResilienceSeries, ThroughputChart, windows_of};

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
    /// Data-loss distributions (hours of full national outage), from `mc_replicates.csv` files.
    DataLosses,
    /// Avoided loss and benefit/cost per option, from one `compare.csv`.
    Options,
    /// The option ranked first's net benefit under each assumption halved and doubled, from
    /// one `sensitivity.csv`.
    Tornado,
}

fn read_text(source: &dyn Source, p: &Path) -> Result<String, AppError> {
    source
        .read(p)
        .map_err(|e| AppError::Input(format!("cannot read {}: {e}", p.display())))
}

/// The scenario directory's name, which labels a file's series.
fn label(p: &Path) -> String {
    p.parent().and_then(|d| d.file_name()).map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// For a Monte Carlo run's `mc_replicates.csv`: the scenario's name from the `mc_summary.json`
/// beside it (`None` without one), after checking with the `manifest.json` beside it that the
/// CSV lists every replicate (a loss curve from `--replicates failures` would be wrong).
fn mc_run_beside(source: &dyn Source, csv: &Path) -> Result<Option<String>, AppError> {
    #[derive(serde::Deserialize)]
    struct Named {
        name: String,
    }
    #[derive(serde::Deserialize)]
    struct Listed {
        #[serde(default)]
        replicates: crate::report::mc::ReplicateRows,
    }
    let read = |name: &str| -> Result<Option<String>, AppError> {
        let p = csv.with_file_name(name);
        match source.read(&p) {
            Ok(t) => Ok(Some(t)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(AppError::Input(format!("cannot read {}: {e}", p.display()))),
        }
    };
    if let Some(text) = read("manifest.json")? {
        let m: Listed = serde_json::from_str(&text).map_err(|e| {
            AppError::Input(format!(
                "{}: not a corridor manifest.json ({e})",
                csv.with_file_name("manifest.json").display()
            ))
        })?;
        if m.replicates != crate::report::mc::ReplicateRows::All {
            return Err(AppError::Input(format!(
                "{}: lists only some replicates (--replicates {}), so its loss curve would be wrong (hint: the run's own losses chart counts every replicate; rerun with --replicates all to draw from the CSV)",
                csv.display(),
                serde_json::to_string(&m.replicates)
                    .unwrap_or_default()
                    .trim_matches('"')
            )));
        }
    }
    match read("mc_summary.json")? {
        Some(text) => Ok(serde_json::from_str::<Named>(&text).ok().map(|n| n.name)),
        None => Ok(None),
    }
}

fn one<'a>(kind: ChartKind, files: &'a [PathBuf], what: &str) -> Result<&'a PathBuf, AppError> {
    match files {
        [file] => Ok(file),
        _ => Err(AppError::Input(format!("{kind:?} takes one {what}"))),
    }
}

/// Rebuilds a `kind` chart from `files` (read from `source`) and writes it to `stem` (`.png` and `.svg`).
///
/// # Errors
/// [`AppError::Input`] for a missing file, the wrong number of files, or a CSV without the
/// chart's columns; output errors.
pub fn chart_from_csv(
    source: &dyn Source,
    kind: ChartKind,
    files: &[PathBuf],
    stem: &Path,
    sink: &mut dyn Sink,
) -> Result<(), AppError> {
    match kind {
        ChartKind::Throughput | ChartKind::Data => {
            let file = one(kind, files, "daily.csv")?;
            let name = file.display().to_string();
            let needs = if kind == ChartKind::Data {
                ThroughputChart::NEEDS_DATA
            } else {
                ThroughputChart::NEEDS
            };
            let daily = Daily::from_csv(&name, &read_text(source, file)?, needs)?;
            // The summary beside the CSV is optional: it gives the title and the event windows.
            let beside = file.with_file_name("summary.json");
            let (title, windows) = match source.read(&beside) {
                Ok(text) => {
                    let doc: ScenarioSummary = serde_json::from_str(&text).map_err(|e| {
                        AppError::Input(format!(
                            "{}: not a corridor summary.json ({e}); move it away to draw without event windows",
                            beside.display()
                        ))
                    })?;
                    (doc.name.clone(), windows_of(&doc.events, &daily.dates()))
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => (label(file), Vec::new()),
                Err(e) => {
                    return Err(AppError::Input(format!(
                        "cannot read {}: {e}",
                        beside.display()
                    )));
                }
            };
            let c = if kind == ChartKind::Data {
                ThroughputChart::of_daily_data(&daily, &title, windows)
            } else {
                ThroughputChart::of_daily(&daily, &title, windows)
            };
            write_chart(sink, stem, &c)
        }
        ChartKind::Resilience => {
            let mut series = Vec::new();
            let mut dates = Vec::new();
            for f in files {
                let (s, d) = ResilienceSeries::from_csv(
                    &f.display().to_string(),
                    &read_text(source, f)?,
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
            let mut names = Vec::new();
            for f in files {
                let (name, text) = (f.display().to_string(), read_text(source, f)?);
                // compare/replicates.csv holds every option: one series each.
                if header_of(&text).iter().any(|c| c == "variant") {
                    series.extend(LossSeries::from_long(&name, &text)?);
                } else {
                    names.push(mc_run_beside(source, f)?);
                    let slot = Some(series.len());
                    series.push(LossSeries {
                        slot,
                        ..LossSeries::from_replicates(&name, &text, &label(f), LossMeasure::OilMt)?
                    });
                }
            }
            // One run's CSV with its summary beside it: the run's own chart, title and all.
            let c = LossChart {
                title: match names.as_slice() {
                    [Some(name)] if files.len() == 1 => {
                        crate::report::stats_charts::losses_title(name)
                    }
                    _ => "Annual lost exports over the simulated years".into(),
                },
                series,
                measure: LossMeasure::OilMt,
            };
            write_chart(sink, stem, &c)
        }
        ChartKind::DataLosses => {
            let mut series = Vec::new();
            let mut names = Vec::new();
            for f in files {
                let (name, text) = (f.display().to_string(), read_text(source, f)?);
                names.push(mc_run_beside(source, f)?);
                let slot = Some(series.len());
                series.push(LossSeries {
                    slot,
                    ..LossSeries::from_replicates(&name, &text, &label(f), LossMeasure::DataHours)?
                });
            }
            let c = LossChart {
                title: match names.as_slice() {
                    [Some(name)] => crate::report::stats_charts::data_losses_title(name),
                    _ => "Annual data losses over the simulated years".into(),
                },
                series,
                measure: LossMeasure::DataHours,
            };
            write_chart(sink, stem, &c)
        }
        ChartKind::Options => {
            let file = one(kind, files, "compare.csv")?;
            let c = OptionsChart::from_compare(
                &file.display().to_string(),
                &read_text(source, file)?,
                "Diversification options",
            )?;
            write_chart(sink, stem, &c)
        }
        ChartKind::Tornado => {
            let file = one(kind, files, "sensitivity.csv")?;
            let c = TornadoChart::from_csv(
                &file.display().to_string(),
                &read_text(source, file)?,
                "Sensitivity of the option ranked first",
            )?;
            write_chart(sink, stem, &c)
        }
    }
}
