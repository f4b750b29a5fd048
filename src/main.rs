//! `corridor` command-line interface: thin glue over the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use corridor::engine::metrics::summarize;
use corridor::engine::sim::{SimConfig, simulate};
use corridor::io::{self, LoadError, Loaded};
use corridor::model::{Layer, Status};
use corridor::report::{self, OutputError, chart, network};
use rayon::prelude::*;

/// Exit codes (also listed in README.md and `corridor --help`).
mod exit {
    /// Success (warnings may have been printed).
    pub const OK: u8 = 0;
    /// An unexpected internal error.
    pub const INTERNAL: u8 = 1;
    /// Bad command line (clap's own code).
    #[allow(dead_code)]
    pub const USAGE: u8 = 2;
    /// Input data invalid or unreadable (every problem is listed on stderr).
    pub const INPUT: u8 = 3;
    /// An output file could not be written.
    pub const OUTPUT: u8 = 4;
}

const AFTER_HELP: &str = "\
Units: oil capacities are reported in Mt/yr (kt/day internally), data capacities in Gbps,
lengths in km, tariffs in $/t.

Exit codes:
  0  success (warnings may have been printed on stderr)
  1  internal error
  2  bad command line
  3  input data invalid or unreadable: every problem is listed as file:line: field: problem (hint)
  4  an output file could not be written";

#[derive(Parser, Debug)]
#[command(name = "corridor", version, about = "Kazakhstan crude-oil and data export routes: capacity, dependence on Russia and what breaks", after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
enum Format {
    /// Human-readable tables.
    Table,
    /// The route inventory as CSV (one row per route).
    Csv,
    /// Everything as stable JSON: `nodes`, `links`, `routes`, `oil`, `data`.
    Json,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
enum ChartKind {
    /// Daily exports by route, stacked, with the baseline and the event windows.
    Throughput,
    /// International bandwidth served by data route (Gbps) against demand, and latency (ms).
    Data,
    /// Performance (% of baseline exports) over time.
    Resilience,
    /// Distribution (CDF) of annual lost exports, from mc_replicates.csv files or a compare's
    /// replicates.csv (one line per option).
    Losses,
    /// Avoided loss and benefit/cost per option with 95% CIs, from a compare.csv.
    Options,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Inventory of the network and its structural indicators: maximum export capacity,
    /// N-1, the share through Russia, HHI and Shannon by route, for oil (Mt/yr) and data (Gbps).
    Network {
        /// Directory of network TOML files [default: the dataset embedded from routes/].
        #[arg(long, value_name = "DIR")]
        routes: Option<PathBuf>,
        /// Output format on stdout.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Also write a GeoJSON FeatureCollection (LineStrings for links, Points for nodes).
        #[arg(long, value_name = "FILE")]
        geojson: Option<PathBuf>,
        /// Also write every table and chart to DIR: network_routes.csv, network_assets.csv,
        /// network_indicators.csv, network.json, network.geojson, and
        /// network_{oil,data}_capacity.{png,svg} and the route map network_map.{png,svg}.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Write only the charts (capacity by route for oil and data, with the share through
        /// Russia highlighted, and the route map) to --out DIR [default: output].
        #[arg(long)]
        chart: bool,
        /// Count planned assets and expansions (trans-Caspian cable, KCTS, Aktau berths …).
        #[arg(long)]
        include_planned: bool,
        /// Fail (exit 3) on any consistency-check warning.
        #[arg(long)]
        strict: bool,
    },
    /// Run scenario files (in parallel) and write DIR/<scenario>/daily.csv and summary.json,
    /// plus DIR/summary.csv across them. Oil in kt/day and Mt, data in Gbps and Tb.
    Run {
        /// Scenario files (scenarios/*.toml).
        #[arg(required = true, value_name = "SCENARIO")]
        scenarios: Vec<PathBuf>,
        /// Output directory.
        #[arg(long, value_name = "DIR", default_value = "output")]
        out: PathBuf,
        /// Fail (exit 3) on any consistency-check warning.
        #[arg(long)]
        strict: bool,
        /// Solve every day instead of only on days whose inputs change (same results; slower).
        #[arg(long)]
        every_day: bool,
        /// Monte Carlo scenarios: override the number of replicate-years.
        #[arg(long, value_name = "N")]
        runs: Option<u64>,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
        /// Monte Carlo: run only shard K of N (replicates (K−1)·runs/N up to K·runs/N) and write
        /// DIR/<scenario>/partial-K-of-N.json for `corridor merge`.
        #[arg(long, value_name = "K/N", value_parser = parse_shard)]
        shard: Option<(u64, u64)>,
    },
    /// Compare options on the same failures (common random numbers): paired differences against
    /// the status quo with 95% CIs, and cost–benefit. Writes DIR/<scenario>/compare/compare.csv
    /// and compare.json; prints a table ranked by net benefit (US$/yr).
    Compare {
        #[arg(value_name = "SCENARIO")]
        scenario: PathBuf,
        /// Variant ids (files in the variants directory), comma-separated; `a+b` composes.
        /// The status quo is always included.
        #[arg(long, value_delimiter = ',', required = true)]
        variants: Vec<String>,
        /// Directory of variant files [default: variants/ beside the scenario].
        #[arg(long, value_name = "DIR")]
        variants_dir: Option<PathBuf>,
        /// Monte Carlo replicate-years (default: the scenario's).
        #[arg(long, value_name = "N")]
        runs: Option<u64>,
        #[arg(long, value_name = "DIR", default_value = "output")]
        out: PathBuf,
        /// Also rank the options with each option's cost halved and doubled, and with every
        /// failure rate halved and doubled (two more runs on the same seeds); writes
        /// sensitivity.csv.
        #[arg(long)]
        sensitivity: bool,
    },
    /// Combine Monte Carlo shard partials into the outputs of a single run (byte-identical).
    Merge {
        /// Partial files written by `corridor run --shard K/N`, one per shard.
        #[arg(required = true, value_name = "PARTIAL")]
        partials: Vec<PathBuf>,
        /// Output directory; the outputs go to DIR/<scenario>/.
        #[arg(long, value_name = "DIR", default_value = "output")]
        out: PathBuf,
    },
    /// Check scenario files (and the networks they name) without running them.
    Validate {
        #[arg(required = true, value_name = "SCENARIO")]
        scenarios: Vec<PathBuf>,
        /// Fail (exit 3) on any consistency-check warning.
        #[arg(long)]
        strict: bool,
    },
    /// Monte Carlo: write the sampled failure histories of the first N replicates as JSON (for
    /// checking other implementations against corridor; see bench/peers/).
    Histories {
        #[arg(value_name = "SCENARIO")]
        scenario: PathBuf,
        /// Replicates to export.
        #[arg(long, value_name = "N", default_value_t = 20)]
        runs: u64,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Rebuild a chart (PNG and SVG) from the CSV a run wrote: `throughput` from a daily.csv
    /// (events from the summary.json beside it), `resilience` from one or more daily.csv or
    /// mc_daily_bands.csv (one line or median-and-band per file), `losses` from one or more mc_replicates.csv, `options` from a compare.csv.
    Chart {
        #[arg(value_enum)]
        kind: ChartKind,
        #[arg(required = true, value_name = "CSV")]
        csv: Vec<PathBuf>,
        /// Output path without extension: writes STEM.png and STEM.svg.
        #[arg(long, value_name = "STEM")]
        out: PathBuf,
    },
    /// The main job: the network inventory, every shipped scenario, the Monte Carlo runs, the
    /// comparison of every shipped variant on the same failures, all charts, and one
    /// self-contained report, DIR/index.html. Runs on the data embedded in the binary.
    Study {
        /// Output directory.
        #[arg(long, value_name = "DIR", default_value = "output")]
        out: PathBuf,
        /// Monte Carlo replicate-years, for every Monte Carlo scenario and the comparison.
        #[arg(long, value_name = "N", default_value_t = 2000)]
        runs: u64,
        /// Scenario directory (its *.toml files, variants/ beside them) [default: the scenarios
        /// embedded in the binary].
        #[arg(long, value_name = "DIR")]
        scenarios: Option<PathBuf>,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
    },
    /// List the named consistency checks that warn by default and fail under --strict.
    Checks,
}

enum Failure {
    Input(anyhow::Error),
    Output(anyhow::Error),
}

impl From<LoadError> for Failure {
    fn from(e: LoadError) -> Self {
        Failure::Input(e.into())
    }
}
impl From<OutputError> for Failure {
    fn from(e: OutputError) -> Self {
        Failure::Output(e.into())
    }
}

fn load(routes: &Option<PathBuf>, strict: bool) -> Result<Loaded, Failure> {
    let loaded = match routes {
        Some(dir) => io::load_dir(dir, strict)?,
        None => io::load_embedded(strict)?,
    };
    for w in &loaded.warnings {
        eprintln!("corridor: warning: {w}");
    }
    Ok(loaded)
}

fn write(path: &Path, text: &str) -> Result<(), Failure> {
    report::write_atomic(path, text.as_bytes())?;
    eprintln!("corridor: wrote {}", path.display());
    Ok(())
}

/// Loads every scenario, reporting the problems of all of them before failing.
fn load_scenarios(paths: &[PathBuf], strict: bool) -> Result<Vec<io::LoadedScenario>, Failure> {
    let results: Vec<Result<io::LoadedScenario, LoadError>> = paths
        .par_iter()
        .map(|p| io::load_scenario(p, strict))
        .collect();
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(l) => {
                for w in &l.warnings {
                    eprintln!("corridor: warning: {w}");
                }
                ok.push(l);
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    if errors.is_empty() {
        Ok(ok)
    } else {
        Err(Failure::Input(anyhow::anyhow!(errors.join("\n"))))
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Validate { scenarios, strict } => {
            for l in load_scenarios(&scenarios, strict)? {
                println!(
                    "{}: ok ({} events, {} days from {})",
                    l.id,
                    l.scenario.events.len(),
                    l.scenario.horizon_days,
                    l.scenario.start
                );
            }
            Ok(())
        }
        Command::Run {
            scenarios,
            out,
            strict,
            every_day,
            runs,
            quiet,
            shard,
        } => {
            let all = load_scenarios(&scenarios, strict)?;
            let (monte_carlo, loaded): (Vec<_>, Vec<_>) = all
                .into_iter()
                .partition(|l| l.scenario.monte_carlo.is_some());
            for l in &monte_carlo {
                run_monte_carlo(l, &out, runs, shard, quiet)?;
            }
            run_deterministic(&loaded.iter().collect::<Vec<_>>(), &out, every_day)
        }
        Command::Merge { partials, out } => merge(&partials, &out),
        Command::Chart { kind, csv, out } => chart_from_csv(kind, &csv, &out),
        Command::Study {
            out,
            runs,
            scenarios,
            quiet,
        } => study(&out, runs, scenarios.as_deref(), quiet),
        Command::Compare {
            scenario,
            variants,
            variants_dir,
            runs,
            out,
            sensitivity,
        } => compare(
            &scenario,
            &variants,
            variants_dir.as_deref(),
            runs,
            &out,
            sensitivity,
        ),
        Command::Histories {
            scenario,
            runs,
            out,
        } => histories(&scenario, runs, &out),
        Command::Checks => {
            for (name, what) in io::CHECKS {
                println!("{name:<26} {what}");
            }
            Ok(())
        }
        Command::Network {
            routes,
            format,
            geojson,
            out,
            chart,
            include_planned,
            strict,
        } => {
            let loaded = load(&routes, strict)?;
            let net = &loaded.network;
            let rep = network::build(net, include_planned);
            let chart_dir = out
                .clone()
                .or_else(|| chart.then(|| PathBuf::from("output")));
            if let Some(dir) = out.as_ref().filter(|_| !chart) {
                write(&dir.join("network_routes.csv"), &network::routes_csv(&rep))?;
                let mut assets = rep.nodes.clone();
                assets.extend(rep.links.iter().cloned());
                write(
                    &dir.join("network_assets.csv"),
                    &network::assets_csv(&assets),
                )?;
                write(
                    &dir.join("network_indicators.csv"),
                    &network::indicators_csv(&rep),
                )?;
                write(&dir.join("network.json"), &network::to_json(&rep))?;
                write(
                    &dir.join("network.geojson"),
                    &network::to_geojson(net, &rep),
                )?;
            }
            if let Some(dir) = &chart_dir {
                for (layer, stem) in [
                    (Layer::Oil, "network_oil_capacity"),
                    (Layer::Data, "network_data_capacity"),
                ] {
                    let stem = dir.join(stem);
                    chart::render_capacity(&network::capacity_chart(&rep, layer), &stem)
                        .map_err(|e| Failure::Output(e.into()))?;
                    eprintln!("corridor: wrote {}.png and .svg", stem.display());
                }
                let map = report::map::RouteMap::new(
                    net,
                    "Kazakhstan's export routes: crude oil and international data",
                    "Operating and planned assets; line width proportional to nameplate capacity (oil Mt/yr, data Gbps).",
                    &[],
                    vec![],
                );
                let stem = dir.join("network_map");
                chart::render(&map, &stem).map_err(|e| Failure::Output(e.into()))?;
                eprintln!("corridor: wrote {}.png and .svg", stem.display());
            }
            if let Some(path) = &geojson {
                write(path, &network::to_geojson(net, &rep))?;
            }
            let text = match format {
                Format::Table => network::to_table(&rep),
                Format::Csv => network::routes_csv(&rep),
                Format::Json => network::to_json(&rep),
            };
            print!("{text}");
            Ok(())
        }
    }
}

/// `K/N`: shard K (1-based) of N.
fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let (k, n) = s
        .split_once('/')
        .ok_or("write the shard as K/N, e.g. 2/8")?;
    let k: u64 = k
        .trim()
        .parse()
        .map_err(|_| format!("`{k}` is not a shard number"))?;
    let n: u64 = n
        .trim()
        .parse()
        .map_err(|_| format!("`{n}` is not a shard count"))?;
    if n == 0 || k == 0 || k > n {
        return Err(format!("shard {k}/{n}: K must be in 1..=N"));
    }
    Ok((k, n))
}

/// Writes the final Monte Carlo outputs from merged aggregates.
fn write_mc_outputs(
    dir: &Path,
    meta: &corridor::report::mc::McMeta,
    manifest: &corridor::report::mc::Manifest,
    total: &corridor::engine::montecarlo::Aggregates,
) -> Result<(), Failure> {
    use corridor::report::mc;
    write(&dir.join("mc_summary.json"), &mc::summary_json(meta, total))?;
    write(
        &dir.join("mc_daily_bands.csv"),
        &mc::daily_bands_csv(meta, total),
    )?;
    write(
        &dir.join("manifest.json"),
        &(serde_json::to_string_pretty(manifest).unwrap_or_default() + "\n"),
    )?;
    let st = total.stats(meta.baseline_exported_mt);
    println!(
        "{}: {} replicate-years; annual lost exports mean {:.3} Mt (se {:.3}), P95 {:.3} Mt, CVaR95 {:.3} Mt; P(loss > 10%) = {:.4}",
        meta.scenario,
        st.runs,
        st.lost_mean_mt,
        st.lost_se_mt,
        st.lost_p95_mt,
        st.lost_cvar95_mt,
        st.p_loss_over_10pct
    );
    Ok(())
}

/// Runs a Monte Carlo scenario (or one shard of it) in waves of replicates, streaming rows to
/// disk, so memory stays flat in the number of replicates.
fn run_monte_carlo(
    l: &io::LoadedScenario,
    out: &Path,
    runs_override: Option<u64>,
    shard: Option<(u64, u64)>,
    quiet: bool,
) -> Result<(), Failure> {
    use corridor::engine::montecarlo::{Aggregates, run_range};
    use corridor::report::mc;
    use std::io::IsTerminal;
    let Some(spec) = l.scenario.monte_carlo.as_ref() else {
        return Ok(());
    };
    let runs = runs_override.unwrap_or(spec.runs);
    // The baseline is the scenario without any event; each replicate adds its sampled failures
    // to the scenario's deterministic events.
    let base = simulate(
        &l.network,
        &l.scenario,
        SimConfig {
            with_events: false,
            every_day: false,
            totals_only: true,
        },
    );
    let baseline_mt: f64 = base.days.iter().map(|d| d.exports_kt).sum::<f64>() / 1000.0;
    let meta = mc::McMeta::new(&l.id, &l.scenario, spec, runs, baseline_mt);
    let manifest = mc::manifest(&l.id, spec, runs, &l.files);
    let range = match shard {
        Some((k, n)) => mc::shard_range(k, n, runs),
        None => 0..runs,
    };
    let dir = out.join(&l.id);
    // The bar starts hidden and is drawn only once the run has taken more than a second, and
    // never under --quiet or when stderr is not a terminal.
    let show_bar = !quiet && std::io::stderr().is_terminal();
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(range.end - range.start),
        indicatif::ProgressDrawTarget::hidden(),
    );
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{prefix} [{bar:30}] {pos}/{len} replicate-years, {per_sec}, ETA {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_prefix(l.id.clone());
    let started = std::time::Instant::now();
    let shown = std::sync::atomic::AtomicBool::new(false);
    let tick = || {
        bar.inc(1);
        if show_bar
            && started.elapsed().as_secs_f64() > 1.0
            && !shown.swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    };
    // Rows go to the final CSV for a whole run, or into the partial for a shard.
    let mut rows_file = match shard {
        None => {
            let mut f = mc::StreamFile::create(&dir.join("mc_replicates.csv"))?;
            f.write(mc::REPLICATES_HEADER)?;
            Some(f)
        }
        Some(_) => None,
    };
    let mut shard_rows = String::new();
    let mut total = Aggregates::new(base.days.len());
    const WAVE: u64 = 512;
    let mut start = range.start;
    while start < range.end {
        let end = (start + WAVE).min(range.end);
        let (reps, agg) = run_range(&l.network, &l.scenario, spec, &base, start..end, &tick);
        let rows = mc::replicate_rows(&reps, &meta);
        match rows_file.as_mut() {
            Some(f) => f.write(&rows)?,
            None => shard_rows.push_str(&rows),
        }
        total.merge(&agg);
        start = end;
    }
    bar.finish_and_clear();
    match (shard, rows_file) {
        (Some((k, n)), _) => {
            let partial = mc::Partial {
                format: mc::PARTIAL_FORMAT,
                manifest,
                meta,
                shard: k,
                shards: n,
                first: range.start,
                end: range.end,
                aggregates: total,
                rows: shard_rows,
            };
            write(
                &dir.join(format!("partial-{k}-of-{n}.json")),
                &serde_json::to_string(&partial).unwrap_or_default(),
            )?;
            println!(
                "{}: shard {k}/{n}, replicates {}..{} of {runs}; merge the partials with `corridor merge`",
                l.id, range.start, range.end
            );
            Ok(())
        }
        (None, Some(f)) => {
            f.commit()?;
            write_mc_outputs(&dir, &meta, &manifest, &total)?;
            let file = dir.join("mc_replicates.csv");
            let series = corridor::report::stats_charts::LossSeries::from_replicates(
                &file.display().to_string(),
                &read_text(&file)?,
                &l.id,
            )
            .map_err(|e| Failure::Input(e.into()))?;
            let c = corridor::report::stats_charts::LossChart {
                title: format!("{}: annual lost exports", l.scenario.name),
                series: vec![series],
            };
            chart::render(&c, &dir.join("losses")).map_err(|e| Failure::Output(e.into()))?;
            eprintln!(
                "corridor: wrote {}.png and .svg",
                dir.join("losses").display()
            );
            Ok(())
        }
        (None, None) => Ok(()),
    }
}

/// `corridor histories`: the sampled events of replicates 0..runs, with corridor's exports.
fn histories(path: &Path, runs: u64, out: &Path) -> Result<(), Failure> {
    use corridor::engine::montecarlo::run_replicate;
    use corridor::engine::sample::sample_replicate;
    use corridor::model::{Effect, Supply};
    let l = io::load_scenario(path, true)?;
    let Some(spec) = l.scenario.monte_carlo.as_ref() else {
        return Err(Failure::Input(anyhow::anyhow!(
            "{}: not a Monte Carlo scenario (no [monte_carlo])",
            path.display()
        )));
    };
    let net = &l.network;
    let sc = &l.scenario;
    let base = simulate(
        net,
        sc,
        SimConfig {
            with_events: false,
            every_day: false,
            totals_only: true,
        },
    );
    let (y, _, _) = sc.start.ymd();
    let jan1 = corridor::model::Date::from_ymd(y, 1, 1).map_or(0, |d| d.days);
    let doy0 = (sc.start.days - jan1).clamp(0, 364) as u32;
    let mut production = serde_json::Map::new();
    for (i, n) in net.nodes.iter().enumerate() {
        let v = sc
            .production
            .iter()
            .find(|(ix, _)| ix.0 == i)
            .map(|(_, s)| match s {
                Supply::Constant(v) => *v,
                Supply::Series(_) => f64::NAN,
            })
            .or(n.production.as_ref().map(|p| p.value));
        if let Some(v) = v {
            production.insert(n.id.clone(), serde_json::json!(v));
        }
    }
    let replicates: Vec<serde_json::Value> = (0..runs)
        .into_par_iter()
        .map(|i| {
            let s = sample_replicate(net, spec, sc.horizon_days, doy0, i);
            let events: Vec<serde_json::Value> = s
                .events
                .iter()
                .flat_map(|e| match &e.effect {
                    Effect::Capacity(v) => v
                        .iter()
                        .map(|(a, f)| {
                            serde_json::json!([net.asset_id(*a), e.window.start, e.window.end, f])
                        })
                        .collect::<Vec<_>>(),
                    Effect::Production { .. } => Vec::new(),
                })
                .collect();
            let (_, run) = run_replicate(net, sc, spec, &base, i);
            let exports: f64 = run.days.iter().map(|d| d.exports_kt).sum();
            serde_json::json!({ "index": i, "events": events, "corridor_exports_kt": exports })
        })
        .collect();
    let doc = serde_json::json!({
        "scenario": l.id,
        "start": sc.start.to_string(),
        "horizon_days": sc.horizon_days,
        "production_kt_per_day": production,
        "transport_cost_usd_per_t_per_100km": {
            "pipeline": sc.economics.rates.pipeline,
            "rail": sc.economics.rates.rail,
            "tanker": sc.economics.rates.tanker,
        },
        "replicates": replicates,
    });
    write(
        out,
        &(serde_json::to_string(&doc).unwrap_or_default() + "\n"),
    )
}

/// `corridor compare`.
fn compare(
    path: &Path,
    specs: &[String],
    dir: Option<&Path>,
    runs: Option<u64>,
    out: &Path,
    sensitivity: bool,
) -> Result<(), Failure> {
    use corridor::engine::compare::{compare as stats, run_all};
    use corridor::io::variant::load_variant;
    let l = io::load_scenario(path, true)?;
    let vdir = dir
        .map(Path::to_path_buf)
        .unwrap_or_else(|| path.parent().unwrap_or(Path::new(".")).join("variants"));
    let mut all = vec!["status-quo".to_string()];
    all.extend(specs.iter().filter(|s| s.as_str() != "status-quo").cloned());
    let mut variants = Vec::new();
    let mut errors = Vec::new();
    for spec in &all {
        match load_variant(spec, &vdir, &l.network) {
            Ok(v) => variants.push(v),
            Err(e) => errors.push(e.to_string()),
        }
    }
    if !errors.is_empty() {
        return Err(Failure::Input(anyhow::anyhow!(errors.join("\n"))));
    }
    let mc = l.scenario.monte_carlo.as_ref();
    let n = runs.or(mc.map(|m| m.runs)).unwrap_or(1);
    let reference = simulate(
        &variants[0].network,
        &l.scenario,
        SimConfig {
            with_events: false,
            every_day: false,
            totals_only: true,
        },
    );
    let nets: Vec<&corridor::model::Network> = variants.iter().map(|v| &v.network).collect();
    let outcomes = run_all(&l.scenario, mc, &nets, n, &reference);
    let list: Vec<(String, String, f64, &corridor::model::Network)> = variants
        .iter()
        .map(|v| (v.id.clone(), v.name.clone(), v.annual_cost_usd, &v.network))
        .collect();
    let seed = mc.map_or(0, |m| m.seed);
    let st = stats(&l.scenario, &list, &outcomes, &reference, seed);
    let dir = out.join(&l.id).join("compare");
    let compare_csv = report::compare::csv(&st);
    write(&dir.join("compare.csv"), &compare_csv)?;
    write(
        &dir.join("compare.json"),
        &report::compare::json(&l.id, &st),
    )?;
    print!("{}", report::compare::table(&st));
    let options = corridor::report::stats_charts::OptionsChart::from_compare(
        "compare.csv",
        &compare_csv,
        &format!("{}: diversification options", l.scenario.name),
    )
    .map_err(|e| Failure::Input(e.into()))?;
    chart::render(&options, &dir.join("options")).map_err(|e| Failure::Output(e.into()))?;
    // Each option's annual lost exports in every replicate, and their distributions: the
    // status quo and the three best options by net benefit, so the chart stays legible.
    let e_ref: f64 = reference.days.iter().map(|d| d.exports_kt).sum();
    let mut long = String::from("replicate,variant,lost_exports_mt\n");
    for (i, o) in outcomes.iter().enumerate() {
        for (v, x) in variants.iter().zip(o) {
            long.push_str(&format!(
                "{i},{},{:.4}\n",
                v.id,
                (e_ref - x.exports_kt) / 1000.0
            ));
        }
    }
    write(&dir.join("replicates.csv"), &long)?;
    let mut shown: Vec<String> = vec!["status-quo".into()];
    shown.extend(
        report::compare::ranked(&st)
            .iter()
            .filter(|s| s.id != "status-quo")
            .take(3)
            .map(|s| s.id.clone()),
    );
    let series = corridor::report::stats_charts::LossSeries::from_long("replicates.csv", &long)
        .map_err(|e| Failure::Input(e.into()))?;
    let losses = corridor::report::stats_charts::LossChart {
        title: format!("{}: annual lost exports by option", l.scenario.name),
        series: shown
            .iter()
            .filter_map(|id| series.iter().find(|s| &s.name == id).cloned())
            .collect(),
    };
    chart::render(&losses, &dir.join("losses")).map_err(|e| Failure::Output(e.into()))?;
    if sensitivity {
        // (case, options ranked by net benefit, top option's net benefit in $/yr)
        let order = |st: &[corridor::engine::compare::VariantStats]| -> (String, f64) {
            let r = report::compare::ranked(st);
            let ids: Vec<&str> = r.iter().map(|s| s.id.as_str()).collect();
            (
                ids.join(" > "),
                r.first().map_or(0.0, |s| s.net_benefit_usd),
            )
        };
        let mut cases = vec![("as estimated".to_string(), order(&st))];
        for (i, v) in st.iter().enumerate().skip(1) {
            if v.annual_cost_usd <= 0.0 {
                continue;
            }
            for k in [0.5, 2.0] {
                let mut alt = st.clone();
                alt[i].annual_cost_usd *= k;
                alt[i].net_benefit_usd = alt[i].avoided_usd.mean - alt[i].annual_cost_usd;
                cases.push((format!("cost of {} x{k}", v.id), order(&alt)));
            }
        }
        if let Some(m) = mc {
            for k in [0.5, 2.0] {
                let scaled = m.with_rates_scaled(k);
                let outcomes = run_all(&l.scenario, Some(&scaled), &nets, n, &reference);
                let alt = stats(&l.scenario, &list, &outcomes, &reference, seed);
                cases.push((format!("all failure rates x{k}"), order(&alt)));
            }
        }
        let mut csv = String::from("case,ranking_by_net_benefit,top_net_benefit_usd\n");
        println!("\nSensitivity of the ranking (net benefit, US$/yr):");
        for (case, (ranking, top)) in &cases {
            csv.push_str(&format!("\"{case}\",\"{ranking}\",{top:.0}\n"));
            println!("  {case:<36} {ranking}   (top: {:.1} $m/yr)", top / 1e6);
        }
        write(&dir.join("sensitivity.csv"), &csv)?;
    }
    Ok(())
}

fn read_text(p: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(p)
        .map_err(|e| Failure::Input(anyhow::anyhow!("cannot read {}: {e}", p.display())))
}

/// Draws a scenario's throughput and resilience charts from its daily.csv text.
fn run_charts(dir: &Path, name: &str, daily: &str, summary: &str) -> Result<(), Failure> {
    use corridor::report::timeseries::{
        ResilienceChart, ResilienceSeries, ThroughputChart, event_windows,
    };
    let file = dir.join("daily.csv").display().to_string();
    let data = |e: corridor::report::timeseries::ChartDataError| Failure::Input(e.into());
    let dates: Vec<String> = daily
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next().map(str::to_string))
        .collect();
    let windows = event_windows(summary, &dates);
    let tp = ThroughputChart::from_daily(&file, daily, name, windows.clone()).map_err(data)?;
    let dl = ThroughputChart::from_daily_data(
        &file,
        daily,
        &format!("{name}: international data"),
        windows,
    )
    .map_err(data)?;
    let (series, dates) = ResilienceSeries::from_csv(&file, daily, name).map_err(data)?;
    let res = ResilienceChart {
        title: format!("{name}: resilience curve"),
        dates,
        series: vec![series],
    };
    for (stem, result) in [
        ("throughput", chart::render(&tp, &dir.join("throughput"))),
        ("resilience", chart::render(&res, &dir.join("resilience"))),
        ("data", chart::render(&dl, &dir.join("data"))),
    ] {
        result.map_err(|e| Failure::Output(e.into()))?;
        eprintln!("corridor: wrote {}.png and .svg", dir.join(stem).display());
    }
    Ok(())
}

/// `corridor chart`.
fn chart_from_csv(kind: ChartKind, files: &[PathBuf], out: &Path) -> Result<(), Failure> {
    use corridor::report::timeseries::{
        ResilienceChart, ResilienceSeries, ThroughputChart, event_windows,
    };
    let data = |e: corridor::report::timeseries::ChartDataError| Failure::Input(e.into());
    let label = |p: &Path| {
        p.parent().and_then(|d| d.file_name()).map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    match kind {
        ChartKind::Throughput | ChartKind::Data => {
            let [file] = files else {
                return Err(Failure::Input(anyhow::anyhow!(
                    "{kind:?} takes one daily.csv"
                )));
            };
            let text = read_text(file)?;
            let dates: Vec<String> = text
                .lines()
                .skip(1)
                .filter_map(|l| l.split(',').next().map(str::to_string))
                .collect();
            let summary =
                std::fs::read_to_string(file.with_file_name("summary.json")).unwrap_or_default();
            let title = serde_json::from_str::<serde_json::Value>(&summary)
                .ok()
                .and_then(|v| v["name"].as_str().map(str::to_string))
                .unwrap_or_else(|| label(file));
            let build = if matches!(kind, ChartKind::Data) {
                ThroughputChart::from_daily_data
            } else {
                ThroughputChart::from_daily
            };
            let c = build(
                &file.display().to_string(),
                &text,
                &title,
                event_windows(&summary, &dates),
            )
            .map_err(data)?;
            chart::render(&c, out).map_err(|e| Failure::Output(e.into()))?;
        }
        ChartKind::Resilience => {
            let mut series = Vec::new();
            let mut dates = Vec::new();
            for f in files {
                let (s, d) =
                    ResilienceSeries::from_csv(&f.display().to_string(), &read_text(f)?, &label(f))
                        .map_err(data)?;
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
            chart::render(&c, out).map_err(|e| Failure::Output(e.into()))?;
        }
        ChartKind::Losses => {
            use corridor::report::stats_charts::{LossChart, LossSeries};
            let mut series = Vec::new();
            for f in files {
                let (name, text) = (f.display().to_string(), read_text(f)?);
                // compare/replicates.csv holds every option: one series each.
                if text
                    .lines()
                    .next()
                    .is_some_and(|h| h.split(',').any(|c| c == "variant"))
                {
                    series.extend(LossSeries::from_long(&name, &text).map_err(data)?);
                } else {
                    series
                        .push(LossSeries::from_replicates(&name, &text, &label(f)).map_err(data)?);
                }
            }
            let c = LossChart {
                title: "Annual lost exports over the simulated years".into(),
                series,
            };
            chart::render(&c, out).map_err(|e| Failure::Output(e.into()))?;
        }
        ChartKind::Options => {
            use corridor::report::stats_charts::OptionsChart;
            let [file] = files else {
                return Err(Failure::Input(anyhow::anyhow!(
                    "options takes one compare.csv"
                )));
            };
            let c = OptionsChart::from_compare(
                &file.display().to_string(),
                &read_text(file)?,
                "Diversification options",
            )
            .map_err(data)?;
            chart::render(&c, out).map_err(|e| Failure::Output(e.into()))?;
        }
    }
    eprintln!("corridor: wrote {}.png and .svg", out.display());
    Ok(())
}

/// `corridor merge`: combines shard partials into the outputs of a single run.
fn merge(partials: &[PathBuf], out: &Path) -> Result<(), Failure> {
    use corridor::engine::montecarlo::Aggregates;
    use corridor::report::mc;
    let mut read = Vec::new();
    for p in partials {
        let text = std::fs::read_to_string(p)
            .map_err(|e| Failure::Input(anyhow::anyhow!("cannot read {}: {e}", p.display())))?;
        let partial: mc::Partial = serde_json::from_str(&text).map_err(|e| {
            Failure::Input(anyhow::anyhow!(
                "{}: not a corridor partial file ({e}); partials are written by `corridor run --shard K/N`",
                p.display()
            ))
        })?;
        read.push((p.display().to_string(), partial));
    }
    let ordered = mc::check_partials(read).map_err(|e| Failure::Input(e.into()))?;
    let first = &ordered[0].1;
    let dir = out.join(&first.meta.scenario);
    let mut total = Aggregates::new(first.aggregates.day_sum_nano.len());
    let mut rows = mc::StreamFile::create(&dir.join("mc_replicates.csv"))?;
    rows.write(mc::REPLICATES_HEADER)?;
    for (_, p) in &ordered {
        total.merge(&p.aggregates);
        rows.write(&p.rows)?;
    }
    rows.commit()?;
    write_mc_outputs(&dir, &first.meta, &first.manifest, &total)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A panic is a bug: report it with exit code 1 rather than Rust's default 101.
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(Ok(())) => ExitCode::from(exit::OK),
        Ok(Err(f)) => {
            let (code, err) = match f {
                Failure::Input(e) => (exit::INPUT, e),
                Failure::Output(e) => (exit::OUTPUT, e),
            };
            eprintln!("corridor: {err:#}");
            ExitCode::from(code)
        }
        Err(_) => {
            eprintln!("corridor: internal error (a bug; please report it with the command line)");
            ExitCode::from(exit::INTERNAL)
        }
    }
}

/// The route map of a deterministic scenario: the assets its events take below full capacity in
/// red, with the hazard footprints.
fn scenario_map(dir: &Path, l: &corridor::io::LoadedScenario) -> Result<(), Failure> {
    use corridor::model::Effect;
    let mut hit = Vec::new();
    for e in &l.scenario.events {
        if let Effect::Capacity(v) = &e.effect {
            hit.extend(v.iter().filter(|(_, f)| *f < 1.0).map(|(a, _)| *a));
        }
    }
    hit.sort();
    hit.dedup();
    let map = report::map::RouteMap::new(
        &l.network,
        &format!("{}: assets hit", l.scenario.name),
        &format!(
            "{} asset(s) taken below full capacity by the scenario's events (red); line width proportional to nameplate capacity.",
            hit.len()
        ),
        &hit,
        l.scenario.footprints.clone(),
    );
    chart::render(&map, &dir.join("map")).map_err(|e| Failure::Output(e.into()))
}

/// Writes the embedded scenario files into a fresh directory under the system temp dir.
fn extract_embedded_scenarios() -> Result<PathBuf, Failure> {
    let dir = std::env::temp_dir().join(format!("corridor-study-{}", std::process::id()));
    for (rel, text) in corridor::io::embedded::SCENARIO_FILES {
        let p = dir.join(rel);
        let made = p
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| std::fs::write(&p, text));
        made.map_err(|e| Failure::Output(anyhow::anyhow!("{}: {e}", p.display())))?;
    }
    Ok(dir)
}

/// `corridor study`.
fn study(out: &Path, runs: u64, scenarios: Option<&Path>, quiet: bool) -> Result<(), Failure> {
    let extracted = match scenarios {
        Some(_) => None,
        None => Some(extract_embedded_scenarios()?),
    };
    let dir = scenarios.map_or_else(|| extracted.clone().unwrap_or_default(), Path::to_path_buf);
    let result = study_in(out, runs, &dir, quiet);
    if let Some(d) = extracted {
        let _ = std::fs::remove_dir_all(d);
    }
    result
}

fn study_in(out: &Path, runs: u64, dir: &Path, quiet: bool) -> Result<(), Failure> {
    use std::io::IsTerminal;
    let toml_in = |d: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(d)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        v.sort();
        v
    };
    let paths = toml_in(dir);
    if paths.is_empty() {
        return Err(Failure::Input(anyhow::anyhow!(
            "{}: no scenario files (*.toml)",
            dir.display()
        )));
    }
    let mut all = load_scenarios(&paths, false)?;
    // Name inputs relative to the scenario directory, so the manifests do not depend on where
    // the embedded scenarios were unpacked.
    for l in &mut all {
        for (name, _) in &mut l.files {
            if let Ok(rel) = Path::new(name.as_str()).strip_prefix(dir) {
                *name = format!("scenarios/{}", rel.display());
            }
        }
    }
    let variants: Vec<String> = toml_in(&dir.join("variants"))
        .iter()
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    let (mc, det_runs): (Vec<&io::LoadedScenario>, Vec<&io::LoadedScenario>) =
        all.iter().partition(|l| l.scenario.monte_carlo.is_some());
    // The comparison runs on the status quo: the Monte Carlo scenario with the fewest assets in
    // operation (no planned option switched on), the first in name order on a tie.
    let operating = |l: &io::LoadedScenario| {
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
    let base = mc.iter().copied().min_by_key(|l| operating(l));
    let steps = 2 + mc.len() as u64 + u64::from(base.is_some() && !variants.is_empty()) + 1;
    let bar = if quiet || !std::io::stderr().is_terminal() {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(steps)
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    bar.set_message("network");
    run(Cli {
        command: Command::Network {
            routes: None,
            format: Format::Table,
            geojson: None,
            out: Some(out.to_path_buf()),
            chart: false,
            include_planned: false,
            strict: false,
        },
    })?;
    bar.inc(1);
    bar.set_message("deterministic scenarios");
    run_deterministic(&det_runs, out, false)?;
    bar.inc(1);
    for l in &mc {
        bar.set_message(format!("Monte Carlo: {} ({runs} years)", l.id));
        run_monte_carlo(l, out, Some(runs), None, true)?;
        bar.inc(1);
    }
    if mc.len() > 1 {
        study_mc_overlays(out, &mc)?;
    }
    let mut compare_dir = None;
    if let Some(b) = base.filter(|_| !variants.is_empty()) {
        bar.set_message(format!("comparison: {} options", variants.len()));
        compare(
            &dir.join(format!("{}.toml", b.id)),
            &variants,
            Some(&dir.join("variants")),
            Some(runs),
            out,
            false,
        )?;
        compare_dir = Some(out.join(&b.id).join("compare"));
        bar.inc(1);
    }
    bar.set_message("report");
    let mut inputs: std::collections::BTreeMap<String, String> = Default::default();
    for l in &all {
        for (name, text) in &l.files {
            inputs.insert(name.clone(), report::mc::sha256_hex(text.as_bytes()));
        }
    }
    for v in &variants {
        let p = dir.join("variants").join(format!("{v}.toml"));
        let text = read_text(&p)?;
        inputs.insert(
            format!("scenarios/variants/{v}.toml"),
            report::mc::sha256_hex(text.as_bytes()),
        );
    }
    let manifest = report::html::Manifest {
        version: env!("CARGO_PKG_VERSION").to_string(),
        git_revision: option_env!("CORRIDOR_GIT_REVISION").map(str::to_string),
        seeds: mc
            .iter()
            .filter_map(|l| {
                l.scenario
                    .monte_carlo
                    .as_ref()
                    .map(|m| (l.id.clone(), m.seed, runs))
            })
            .collect(),
        inputs: inputs.into_iter().collect(),
    };
    let ids = |v: &[&io::LoadedScenario]| v.iter().map(|l| l.id.clone()).collect::<Vec<_>>();
    let html = report::html::study_report(
        out,
        &ids(&det_runs),
        &ids(&mc),
        compare_dir.as_deref(),
        &manifest,
    );
    let index = out.join("index.html");
    write(&index, &html)?;
    bar.inc(1);
    bar.finish_and_clear();
    eprintln!(
        "corridor: study done in {:.1} s; report: {}",
        started.elapsed().as_secs_f64(),
        index.display()
    );
    println!("{}", index.display());
    Ok(())
}

/// The Monte Carlo scenarios side by side: loss distributions on one chart and resilience
/// curves (median with P5–P95 band) on another, as `mc_losses` and `mc_resilience`.
fn study_mc_overlays(out: &Path, mc: &[&io::LoadedScenario]) -> Result<(), Failure> {
    use corridor::report::stats_charts::{LossChart, LossSeries};
    use corridor::report::timeseries::{ResilienceChart, ResilienceSeries};
    let input = |e: corridor::report::timeseries::ChartDataError| Failure::Input(e.into());
    let mut losses = Vec::new();
    let mut curves = Vec::new();
    let mut dates = Vec::new();
    for l in mc {
        let f = out.join(&l.id).join("mc_replicates.csv");
        losses.push(
            LossSeries::from_replicates(&f.display().to_string(), &read_text(&f)?, &l.id)
                .map_err(input)?,
        );
        let f = out.join(&l.id).join("mc_daily_bands.csv");
        let (s, d) = ResilienceSeries::from_csv(&f.display().to_string(), &read_text(&f)?, &l.id)
            .map_err(input)?;
        curves.push(s);
        dates = d;
    }
    let lc = LossChart {
        title: "Annual lost exports: Monte Carlo scenarios compared".into(),
        series: losses,
    };
    let rc = ResilienceChart {
        title: "Resilience: Monte Carlo scenarios compared (median, P5–P95)".into(),
        dates,
        series: curves,
    };
    for (stem, r) in [
        ("mc_losses", chart::render(&lc, &out.join("mc_losses"))),
        (
            "mc_resilience",
            chart::render(&rc, &out.join("mc_resilience")),
        ),
    ] {
        r.map_err(|e| Failure::Output(e.into()))?;
        eprintln!("corridor: wrote {}.png and .svg", out.join(stem).display());
    }
    Ok(())
}

/// Runs deterministic scenarios in parallel and writes each one's daily.csv, summary.json and
/// charts, then summary.csv across them; prints the run table.
fn run_deterministic(
    loaded: &[&io::LoadedScenario],
    out: &Path,
    every_day: bool,
) -> Result<(), Failure> {
    if loaded.is_empty() {
        return Ok(());
    }
    let mut seen = std::collections::BTreeSet::new();
    for l in loaded {
        if !seen.insert(l.id.clone()) {
            return Err(Failure::Input(anyhow::anyhow!(
                "two scenarios share the name `{}`; their outputs would collide in {}",
                l.id,
                out.join(&l.id).display()
            )));
        }
    }
    let results: Vec<_> = loaded
        .par_iter()
        .map(|l| {
            let cfg = |with_events| SimConfig {
                with_events,
                every_day,
                totals_only: false,
            };
            let base = simulate(&l.network, &l.scenario, cfg(false));
            let run = simulate(&l.network, &l.scenario, cfg(true));
            let summary = summarize(&l.network, &l.scenario, &run, &base);
            let daily = report::run::daily_csv(&l.network, &l.scenario, &run, &base);
            let json = report::run::summary_json(&l.id, &l.network, &l.scenario, &summary);
            (l.id.clone(), summary, daily, json)
        })
        .collect();
    let mut rows = Vec::new();
    for ((id, summary, daily, json), l) in results.into_iter().zip(loaded) {
        let dir = out.join(&id);
        write(&dir.join("daily.csv"), &daily)?;
        write(&dir.join("summary.json"), &json)?;
        run_charts(&dir, &l.scenario.name, &daily, &json)?;
        scenario_map(&dir, l)?;
        rows.push((id, summary));
    }
    write(&out.join("summary.csv"), &report::run::summary_csv(&rows))?;
    print!("{}", report::run::run_table(&rows));
    Ok(())
}
