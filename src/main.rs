//! `corridor` command-line interface: thin glue over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use corridor::app::compare::CompareConfig;
use corridor::app::montecarlo::McConfig;
use corridor::app::network::{NetworkConfig, Print};
use corridor::app::run::RunConfig;
use corridor::app::study::StudyConfig;
use corridor::app::{self, AppError, DirSink, ErrorKind};
use corridor::io::{self, Disk, Limits, Memory, Source};

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
    /// `hindcast --check`: a reported figure outside its tolerance.
    pub const CHECK: u8 = 5;
}

const AFTER_HELP: &str = "\
Units: oil capacities are reported in Mt/yr (kt/day internally), data capacities in Gbps,
lengths in km, tariffs in $/t.

Exit codes:
  0  success (warnings may have been printed on stderr)
  1  internal error
  2  bad command line
  3  input data invalid or unreadable: every problem is listed as file:line: field: problem (hint)
  4  an output file could not be written
  5  hindcast --check: a reported figure the model does not reproduce within its tolerance";

#[derive(Parser, Debug)]
#[command(name = "corridor", version, about = "Kazakhstan crude-oil and data export routes: capacity, dependence on Russia and what breaks", after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// PNG resolution for print, dots per inch when a chart is printed --print-width wide
    /// (default: 2 px per SVG unit, 2000×1240 px; 300 dpi at 16.5 cm is 1949×1208 px).
    /// 30–2400, at most 8,000 px wide.
    #[arg(long, global = true, value_name = "DPI", value_parser = parse_dpi)]
    dpi: Option<f64>,
    /// Printed width of a chart for --dpi, cm (16.5: an A4 page's text width).
    #[arg(long, global = true, value_name = "CM", default_value_t = 16.5, value_parser = parse_print_width)]
    print_width: f64,
    /// Lift the limits that protect a shared machine, for a deliberate large job: input files
    /// up to 1 GiB (default 64 MiB), CSVs up to 40 million rows (default 2 million), and up to
    /// 36.5 billion replicate-days simulated by one command (default 365 million: 1 million
    /// replicate-years of 365 days; a comparison counts each option).
    #[arg(long, global = true)]
    allow_large: bool,
}

/// `--seed` and `--set`: what a scenario file says, overridden from the command line.
#[derive(clap::Args, Debug, Clone, Default)]
struct Overrides {
    /// Monte Carlo seed (0–9,223,372,036,854,775,807), in place of the scenario's
    /// `monte_carlo.seed`; recorded in manifest.json.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    seed: Option<u64>,
    /// Override one value of the scenario file, as if the file said so: `--set
    /// monte_carlo.runs=2000`, `--set economics.oil_price.value=60`, `--set
    /// event[#2].duration_days=30` (the second [[event]]). Repeatable, applied in order,
    /// checked like the file's own values, recorded in manifest.json; the file is not changed.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = io::parse_override)]
    set: Vec<(String, String)>,
}

impl Overrides {
    /// The overrides in the order they apply: every `--set`, then `--seed`.
    fn list(self) -> Vec<(String, String)> {
        let mut all = self.set;
        if let Some(seed) = self.seed {
            all.push(("monte_carlo.seed".into(), seed.to_string()));
        }
        all
    }
}

/// Replicate-years, 1–100,000,000 (the range a scenario's `monte_carlo.runs` accepts).
fn parse_runs(s: &str) -> Result<u64, String> {
    match s.parse::<u64>() {
        Ok(n) if (1..=100_000_000).contains(&n) => Ok(n),
        _ => Err(format!(
            "`{s}` is not a number of replicate-years in 1…100,000,000"
        )),
    }
}

/// `s` as a number in `range`, or an error saying it is not `what`.
fn number_in(s: &str, range: std::ops::RangeInclusive<f64>, what: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if range.contains(&x) => Ok(x),
        _ => Err(format!("`{s}` is not {what}")),
    }
}

/// Dots per inch, 30–2400.
fn parse_dpi(s: &str) -> Result<f64, String> {
    number_in(s, 30.0..=2400.0, "a resolution of 30–2400 dpi")
}

/// Printed width, 2–100 cm.
fn parse_print_width(s: &str) -> Result<f64, String> {
    number_in(s, 2.0..=100.0, "a width of 2–100 cm")
}

/// PNG pixels per SVG unit for `--dpi` at `--print-width`, refused above 8 (8,000 px wide).
fn png_scale(dpi: Option<f64>, width_cm: f64) -> Result<f32, AppError> {
    let Some(dpi) = dpi else {
        return Ok(corridor::report::chart::PNG_SCALE);
    };
    let px = dpi * width_cm / 2.54;
    let scale = px / f64::from(corridor::report::chart::SIZE.0);
    if !(0.25..=8.0).contains(&scale) {
        return Err(AppError::Input(format!(
            "--dpi {dpi} at --print-width {width_cm} cm makes charts {px:.0} px wide; the limit is 250–8,000 px (hint: lower --dpi or --print-width)"
        )));
    }
    Ok(scale as f32)
}

/// What `corridor list` lists.
#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
enum ListWhat {
    /// Every node and link: id, element, kind, layer, capacity (with unit), status.
    Assets,
    /// Every export route: id, layer, capacity on its own, via Russia, status.
    Routes,
    /// The scenario files (history/ too): file, Monte Carlo or deterministic, name.
    Scenarios,
    /// The option files in the scenarios' variants/: id, name.
    Variants,
}

/// What `corridor optimise` makes best.
#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
enum ObjectiveArg {
    /// Highest net benefit: mean avoided loss less annual cost, US$/yr.
    Net,
    /// Lowest mean annual loss (oil valued at the scenario's price, plus data), US$/yr.
    Mean,
    /// Lowest CVaR95 of the annual loss (mean of the worst 5% of years), US$/yr.
    Cvar95,
}

/// How `corridor optimise` searches the portfolios.
#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
enum SearchArg {
    /// Every portfolio up to 12 options, the local search beyond.
    Auto,
    /// Every portfolio the rules allow (at most 12 options, 4,096 portfolios).
    Exhaustive,
    /// Add, drop and swap moves from the best and from every portfolio the paired 95%
    /// interval does not separate from it, then pairs added to the best (up to 64 options).
    Local,
}

/// A discount rate, a fraction a year from 0 to 1.
fn parse_rate(s: &str) -> Result<f64, String> {
    number_in(
        s,
        0.0..=1.0,
        "a discount rate of 0 to 1 a year (e.g. 0.08 for 8%)",
    )
}

/// A budget in US$ per year, 0 to 1e13.
fn parse_budget(s: &str) -> Result<f64, String> {
    number_in(
        s,
        0.0..=1e13,
        "a budget of 0 to 1e13 US$ per year (e.g. 150e6 for $150m a year)",
    )
}

/// What `corridor new` writes.
#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
enum NewWhat {
    /// A scenario file with every section, commented: it runs as it stands.
    Scenario,
}

/// Which replicates `mc_replicates.csv` lists.
#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
enum Replicates {
    /// mc_replicates.csv with its header only.
    None,
    /// Only replicates with a sampled failure or any loss of oil or data.
    Failures,
    /// One row per replicate.
    All,
}

impl From<Replicates> for corridor::report::mc::ReplicateRows {
    fn from(r: Replicates) -> Self {
        match r {
            Replicates::None => Self::None,
            Replicates::Failures => Self::Failures,
            Replicates::All => Self::All,
        }
    }
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
    /// International bandwidth served by data route (Gbps) against demand, and the served round-trip time (ms).
    Data,
    /// Performance (% of baseline exports) over time.
    Resilience,
    /// Loss exceedance curve of annual lost exports (Mt; log probability axis with return
    /// periods), from mc_replicates.csv files or a compare's replicates.csv (one line per option).
    /// One run's CSV with its mc_summary.json beside it gives that run's own chart, byte for
    /// byte; a CSV written with --replicates failures or none is refused.
    Losses,
    /// Loss exceedance curve of annual data losses in hours of full national outage (h), from
    /// mc_replicates.csv files.
    DataLosses,
    /// Avoided loss and benefit/cost per option with 95% CIs, from a compare.csv.
    Options,
    /// Net benefit ($m/yr) of the option ranked first with each assumption halved and
    /// doubled, from a compare's sensitivity.csv.
    Tornado,
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
        /// Start every CSV file with a UTF-8 byte order mark, so that Excel opens names and
        /// sources with en dashes (Baku–Tbilisi–Ceyhan) as UTF-8; the CSVs are UTF-8 either way.
        #[arg(long)]
        csv_bom: bool,
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
        #[arg(long, value_name = "N", value_parser = parse_runs)]
        runs: Option<u64>,
        /// No progress bar and no notes of the files written (warnings still show).
        #[arg(long)]
        quiet: bool,
        /// Also write every table as one Excel workbook, DIR/run.xlsx (a sheet per CSV, units
        /// under the headings).
        #[arg(long)]
        xlsx: bool,
        /// Start every CSV file with a UTF-8 byte order mark, so that Excel opens names and
        /// sources with en dashes (Baku–Tbilisi–Ceyhan) as UTF-8; the CSVs are UTF-8 either way.
        #[arg(long)]
        csv_bom: bool,
        /// Switch an option on in every scenario run: a variant id (`corridor list variants`),
        /// `a+b` for several. Each runs as <scenario>+<variant>, into DIR/<scenario>+<variant>/.
        #[arg(long, value_name = "NAME")]
        variant: Option<String>,
        /// Directory of variant files [default: variants/ beside each scenario].
        #[arg(long, value_name = "DIR", requires = "variant")]
        variants_dir: Option<PathBuf>,
        /// Monte Carlo: run only shard K of N (replicates (K−1)·runs/N up to K·runs/N) and write
        /// DIR/<scenario>/partial-K-of-N.json for `corridor merge`.
        #[arg(long, value_name = "K/N", value_parser = parse_shard)]
        shard: Option<(u64, u64)>,
        /// Monte Carlo: which replicates mc_replicates.csv lists (about 526 bytes a row): `all`,
        /// `failures` (those with a sampled failure or any loss) or `none` (the header only).
        /// The statistics, bands and charts count every replicate either way.
        #[arg(long, value_enum, value_name = "WHICH", default_value_t = Replicates::All)]
        replicates: Replicates,
        /// Monte Carlo: also write DIR/<scenario>/mc_state.json (the run's exact statistics,
        /// about 2 MB, no rows), so that a later `--extend` can add replicates to this run.
        #[arg(long, conflicts_with = "shard")]
        keep_state: bool,
        /// Monte Carlo: extend the run in DIR/<scenario>/ (made with --keep-state, same
        /// scenario, seed, overrides and --replicates) to --runs N: simulate only the
        /// replicate-years past its own and write the outputs of all N, byte for byte those of
        /// one run of N, with its state again.
        #[arg(long, conflicts_with = "shard", requires = "runs")]
        extend: bool,
        #[command(flatten)]
        overrides: Overrides,
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
        #[arg(long, value_name = "N", value_parser = parse_runs)]
        runs: Option<u64>,
        #[arg(long, value_name = "DIR", default_value = "output")]
        out: PathBuf,
        /// Also rank the options with each option's cost halved and doubled, and with every
        /// failure rate halved and doubled (two more runs on the same seeds); writes
        /// sensitivity.csv.
        #[arg(long)]
        sensitivity: bool,
        #[command(flatten)]
        overrides: Overrides,
        /// No progress bar and no notes of the files written (warnings still show).
        #[arg(long)]
        quiet: bool,
        /// Also write the tables as one Excel workbook, DIR/<scenario>/compare/compare.xlsx.
        #[arg(long)]
        xlsx: bool,
        /// Start every CSV file with a UTF-8 byte order mark, so that Excel opens names and
        /// sources with en dashes (Baku–Tbilisi–Ceyhan) as UTF-8; the CSVs are UTF-8 either way.
        #[arg(long)]
        csv_bom: bool,
        /// Run only shard K of N of the replicate-years (every option, and with --sensitivity
        /// the scaled failure rates, on the same replicates) and write
        /// DIR/<scenario>/compare/partial-K-of-N.json for `corridor merge`, which writes the
        /// comparison byte for byte as one process would.
        #[arg(long, value_name = "K/N", value_parser = parse_shard, conflicts_with = "xlsx")]
        shard: Option<(u64, u64)>,
    },
    /// Choose the best portfolio of options under a budget: every combination of the catalogue
    /// simulated on the same failures (common random numbers), scored by net benefit, mean
    /// loss or CVaR95. Writes DIR/<scenario>/optimise/portfolios.csv (every portfolio: cost,
    /// loss, CVaR95, avoided, net, frontier flags), choice.csv (the best and the portfolios the
    /// paired 95% interval does not separate from it), marginal.csv (what each option of the
    /// best adds given the others), summary.txt and the frontier chart (frontier.png/.svg);
    /// prints the summary.
    Optimise {
        #[arg(value_name = "SCENARIO")]
        scenario: PathBuf,
        /// The most the portfolio may cost, US$ per year (capex annuity plus opex, as the
        /// variant files give them), e.g. 150e6; several, comma-separated (0,50e6,150e6),
        /// choose within each on the same simulations.
        #[arg(long, value_name = "USD_PER_YR", value_parser = parse_budget, value_delimiter = ',', required = true)]
        budget: Vec<f64>,
        /// What the best portfolio is best at.
        #[arg(long, value_enum, default_value = "net")]
        objective: ObjectiveArg,
        /// The catalogue: option ids (files in the variants directory), comma-separated, at
        /// most 12 for the exhaustive search and 64 for the local one [default: every file
        /// there].
        #[arg(long, value_delimiter = ',')]
        options: Option<Vec<String>>,
        /// How the portfolios are searched.
        #[arg(long, value_enum, default_value = "auto")]
        search: SearchArg,
        /// The most portfolios the local search simulates [default: 512, fewer when the work
        /// limit (replicate-years × days × portfolios) allows fewer].
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
        max_portfolios: Option<u64>,
        /// Also score the candidates within each budget (--candidates: the best and the bests
        /// within the smaller budgets, then the frontier of cost against mean loss, then the
        /// rest by rank) under assumption
        /// cases — failure rates x0.5 and x2, the Russian cut-off never and x4, option costs
        /// x0.5 and x2, the oil price x0.75 and x1.25 — and name the minimax-regret choice
        /// beside the expected-value one (robustness.csv, regret.csv).
        #[arg(long)]
        robust: bool,
        /// Most candidates per budget --robust scores, best as estimated first.
        #[arg(long, value_name = "N", default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..=4096))]
        candidates: u64,
        /// Also stage the best portfolio within each budget and its runners-up (up to 5, of
        /// at most 8 options): every order of their options, one decision every
        /// --stagger-years from the scenario's start year, each in service its `lead_time`
        /// later, valued year by year to --until-year and discounted (staging.csv,
        /// pathway.csv).
        #[arg(long)]
        stage: bool,
        /// Discount rate for --stage, a fraction a year (0.08 is 8%: the rate the shipped
        /// variant files' annuities use, an estimate).
        #[arg(long, value_name = "RATE", default_value_t = 0.08, value_parser = parse_rate)]
        discount_rate: f64,
        /// Last year of the --stage pathway (it starts in the scenario's start year).
        #[arg(long, value_name = "YEAR", default_value_t = 2035, value_parser = clap::value_parser!(i32).range(1900..=2200))]
        until_year: i32,
        /// Years between two investment decisions for --stage.
        #[arg(long, value_name = "YEARS", default_value_t = 1, value_parser = clap::value_parser!(u32).range(0..=20))]
        stagger_years: u32,
        /// Directory of variant files [default: variants/ beside the scenario].
        #[arg(long, value_name = "DIR")]
        variants_dir: Option<PathBuf>,
        /// Monte Carlo replicate-years (default: the scenario's; without a Monte Carlo part,
        /// the scenario's own events once).
        #[arg(long, value_name = "N", value_parser = parse_runs)]
        runs: Option<u64>,
        #[arg(long, value_name = "DIR", default_value = "output")]
        out: PathBuf,
        #[command(flatten)]
        overrides: Overrides,
        /// No progress bar and no notes of the files written (warnings still show).
        #[arg(long)]
        quiet: bool,
        /// Start every CSV file with a UTF-8 byte order mark (for Excel).
        #[arg(long)]
        csv_bom: bool,
    },
    /// List the ids a scenario can name and what there is to run: the network's assets or
    /// routes, or the scenarios and variants (the embedded ones unless --routes/--scenarios).
    List {
        #[arg(value_enum)]
        what: ListWhat,
        /// Directory of network TOML files [default: the dataset embedded from routes/].
        #[arg(long, value_name = "DIR")]
        routes: Option<PathBuf>,
        /// Scenario directory [default: the scenarios embedded in the binary].
        #[arg(long, value_name = "DIR")]
        scenarios: Option<PathBuf>,
    },
    /// Two runs side by side: A and B are scenario output directories (what `corridor run`
    /// wrote for one scenario, e.g. output/baseline) or two scenario files (run first, into
    /// --out). Prints the headline figures of both with the difference B − A; writes every
    /// figure to DIR/diff.csv and the overlaid charts (resilience; losses for Monte Carlo runs).
    Diff {
        #[arg(value_name = "A")]
        a: PathBuf,
        #[arg(value_name = "B")]
        b: PathBuf,
        /// Output directory for diff.csv and the charts (and the runs of scenario files).
        #[arg(long, value_name = "DIR", default_value = "output/diff")]
        out: PathBuf,
        /// Monte Carlo scenario files: replicate-years (default: the scenario's).
        #[arg(long, value_name = "N", value_parser = parse_runs)]
        runs: Option<u64>,
        /// No notes of the files written (warnings still show).
        #[arg(long)]
        quiet: bool,
    },
    /// Write a starting file: `corridor new scenario NAME` writes NAME.toml, a commented
    /// scenario with every section (two example events that run as they stand, every other
    /// section and event kind commented out, ready to copy).
    New {
        #[arg(value_enum)]
        what: NewWhat,
        /// The scenario's name: its file name (NAME.toml) and output folder.
        name: String,
        /// Directory to write it to.
        #[arg(long, value_name = "DIR", default_value = ".")]
        dir: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Combine shard partials into the outputs of a single run or comparison (byte-identical).
    Merge {
        /// Partial files written by `corridor run --shard K/N` (or `corridor compare --shard
        /// K/N`), one per shard. A comparison's merge loads the scenario and options again from
        /// where the shards read them, and refuses them if their contents changed.
        #[arg(required = true, value_name = "PARTIAL")]
        partials: Vec<PathBuf>,
        /// Output directory; the outputs go to DIR/<scenario>/.
        #[arg(long, value_name = "DIR", default_value = "output")]
        out: PathBuf,
    },
    /// Many variations of scenarios as one job: a sweep file (docs/sweep-format.md) names
    /// scenarios, options and a grid or list of `--set` overrides, and expands into tasks that
    /// any array engine runs by index (`--task K`). Without --task, runs every task here, then
    /// collects. Writes DIR/<sweep>/plan.json and DIR/<sweep>/cases/<case>/<run>/.
    Sweep {
        #[arg(value_name = "SPEC")]
        spec: PathBuf,
        /// Run only task K (1 to the count `--count` prints): one case of one scenario run, or
        /// one shard of it.
        #[arg(long, value_name = "K", conflicts_with_all = ["list", "count"])]
        task: Option<u64>,
        /// Print the tasks, one line each (task, case, run, shard, overrides); run nothing.
        #[arg(long, conflicts_with = "count")]
        list: bool,
        /// Print the number of tasks only (an array job's size); run nothing.
        #[arg(long)]
        count: bool,
        /// Run no task: collect what the tasks wrote into DIR/<sweep> (as `corridor collect
        /// DIR/<sweep>`), for an array engine's last step.
        #[arg(long, conflicts_with_all = ["task", "list", "count"])]
        collect: bool,
        /// With the collect (without --task): also write DIR/<sweep>/sweep.xlsx.
        #[arg(long, conflicts_with_all = ["task", "list", "count"])]
        xlsx: bool,
        /// Output directory.
        #[arg(long, value_name = "DIR", default_value = "output")]
        out: PathBuf,
        /// Monte Carlo runs: which replicates mc_replicates.csv lists (all, failures, none).
        #[arg(long, value_enum, value_name = "WHICH", default_value_t = Replicates::All)]
        replicates: Replicates,
        /// No progress bar and no notes of the files written (warnings still show).
        #[arg(long)]
        quiet: bool,
    },
    /// Collect a sweep: merge each Monte Carlo run's shards and write DIR/sweep.csv, one row
    /// per case and run with the parameters' values and the headline figures (lost exports in
    /// Mt, with the Monte Carlo standard error, P95 and CVaR95; revenue in US$; data outage in
    /// hours). DIR is OUT/<sweep>, as `corridor sweep` wrote it.
    Collect {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Also write the table as DIR/sweep.xlsx.
        #[arg(long)]
        xlsx: bool,
        /// No notes of the files written.
        #[arg(long)]
        quiet: bool,
    },
    /// Check scenario files (and the networks they name) without running them.
    Validate {
        #[arg(required = true, value_name = "SCENARIO")]
        scenarios: Vec<PathBuf>,
        /// Fail (exit 3) on any consistency-check warning.
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        overrides: Overrides,
    },
    /// Monte Carlo: write the sampled failure histories of the first N replicates as JSON, with
    /// corridor's exports under least-cost dispatch (for checking other implementations against
    /// corridor; see bench/peers/).
    Histories {
        #[arg(value_name = "SCENARIO")]
        scenario: PathBuf,
        /// Replicates to export.
        #[arg(long, value_name = "N", default_value_t = 20, value_parser = parse_runs)]
        runs: u64,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[command(flatten)]
        overrides: Overrides,
    },
    /// Rebuild a chart (PNG and SVG) from the CSV a run wrote: `throughput` or `data` from a
    /// daily.csv (title and event windows from the summary.json beside it, if there is one),
    /// `resilience` from one or more daily.csv or mc_daily_bands.csv (one line or
    /// median-and-band per file), `losses` from one or more mc_replicates.csv (or a compare's
    /// replicates.csv), `options` from a compare.csv.
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
        #[arg(long, value_name = "N", default_value_t = 2000, value_parser = parse_runs)]
        runs: u64,
        /// Scenario directory (its *.toml files, variants/ beside them) [default: the scenarios
        /// embedded in the binary].
        #[arg(long, value_name = "DIR")]
        scenarios: Option<PathBuf>,
        /// No progress bar and no notes of the files written (warnings still show).
        #[arg(long)]
        quiet: bool,
        /// Fail (exit 3) on any consistency-check warning, before anything runs.
        #[arg(long)]
        strict: bool,
        /// The report's title (index.html's heading and window title).
        #[arg(long, value_name = "TEXT")]
        title: Option<String>,
        /// A minijinja template for index.html in place of the built-in one (copy
        /// src/report/study.html.j2 to start; it documents what the template sees).
        #[arg(long, value_name = "FILE")]
        template: Option<PathBuf>,
        /// Start every CSV file with a UTF-8 byte order mark, so that Excel opens names and
        /// sources with en dashes (Baku–Tbilisi–Ceyhan) as UTF-8; the CSVs are UTF-8 either way.
        #[arg(long)]
        csv_bom: bool,
    },
    /// Does the model reproduce history? Runs every history scenario (one per past event, each
    /// on the network of its date) and sets each of its `[[reported]]` figures (Mt of exports or
    /// lost exports over a window, or a route's share) against the model: model, reported,
    /// ratio, tolerance and pass/fail, printed and written to DIR/hindcast.csv and
    /// DIR/hindcast.png/.svg.
    Hindcast {
        /// Directory of history scenarios [default: scenarios/history/ embedded in the binary].
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Output directory.
        #[arg(long, value_name = "DIR", default_value = "output")]
        out: PathBuf,
        /// Fail (exit 3) on any consistency-check warning.
        #[arg(long)]
        strict: bool,
        /// Exit 5 when a figure with a tolerance falls outside it (after writing everything).
        #[arg(long)]
        check: bool,
    },
    /// List the named consistency checks that warn by default and fail under --strict.
    Checks,
    /// Print a shell completion script: `corridor completions bash > ~/.local/share/bash-completion/completions/corridor`
    /// (zsh: a file `_corridor` on $fpath; fish: ~/.config/fish/completions/corridor.fish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `corridor man > corridor.1 && man ./corridor.1`.
    Man,
}

/// Publishes what `sink` staged when `result` is a success, or a failed `hindcast --check`
/// (its tables are the evidence); after any other error nothing appears. Returns `result`.
fn published<T>(sink: DirSink, result: Result<T, AppError>) -> Result<(), AppError> {
    match result {
        Ok(_) => sink.publish(),
        Err(e) if e.kind() == ErrorKind::Check => {
            sink.publish()?;
            Err(e)
        }
        Err(e) => Err(e),
    }
}

/// `corridor collect DIR` (and the last step of `corridor sweep`).
fn collect_sweep(
    dir: &std::path::Path,
    xlsx: bool,
    quiet: bool,
    dir_sink: impl Fn(PathBuf) -> DirSink,
) -> Result<(), AppError> {
    let mut sink = dir_sink(dir.to_path_buf()).quiet(quiet);
    let book = xlsx.then_some((std::path::Path::new("sweep.xlsx"), "corridor sweep"));
    let result = app::sink::with_workbook(&mut sink, book, |s| app::sweep::collect(dir, s));
    published(sink, result)
}

fn run(cli: Cli) -> Result<(), AppError> {
    let scale = png_scale(cli.dpi, cli.print_width)?;
    let limits = Limits::new(cli.allow_large);
    let disk = Disk::new(limits);
    let dir_sink = |out: PathBuf| DirSink::new(out).with_png_scale(scale);
    let file_sink = |out: &std::path::Path| {
        let (sink, name) = DirSink::for_file(out);
        (sink.with_png_scale(scale), name)
    };
    match cli.command {
        Command::Validate {
            scenarios,
            strict,
            overrides,
        } => app::run::validate(
            &disk,
            &scenarios,
            strict,
            &overrides.list(),
            &mut DirSink::new(""),
        ),
        Command::Run {
            scenarios,
            out,
            strict,
            every_day,
            runs,
            quiet,
            xlsx,
            csv_bom,
            shard,
            variant,
            variants_dir,
            replicates,
            keep_state,
            extend,
            overrides,
        } => {
            let mc = McConfig {
                runs,
                shard,
                progress: !quiet,
                limits,
                replicates: replicates.into(),
                keep_state,
                extend: extend.then(|| out.clone()),
            };
            let cfg = RunConfig {
                every_day,
                overrides: overrides.list(),
            };
            let option = variant.map(|spec| app::run::OptionSpec {
                spec,
                dir: variants_dir,
            });
            // Shards of one run write into one folder at once (on a cluster, from many
            // machines): each partial is published by itself.
            let mut sink = dir_sink(out)
                .quiet(quiet)
                .csv_bom(csv_bom)
                .per_file(shard.is_some());
            let book = xlsx.then_some((std::path::Path::new("run.xlsx"), "corridor run: tables"));
            let result = app::sink::with_workbook(&mut sink, book, |s| {
                app::run::run_files(
                    &disk,
                    &scenarios,
                    strict,
                    cfg.clone(),
                    mc,
                    option.as_ref(),
                    s,
                )
            });
            published(sink, result)
        }
        Command::List {
            what,
            routes,
            scenarios,
        } => {
            use app::list::ListKind;
            let kind = match what {
                ListWhat::Assets => ListKind::Assets,
                ListWhat::Routes => ListKind::Routes,
                ListWhat::Scenarios => ListKind::Scenarios,
                ListWhat::Variants => ListKind::Variants,
            };
            let embedded = Memory::embedded_scenarios();
            let (source, dir): (&dyn Source, PathBuf) = match scenarios {
                Some(dir) => (&disk, dir),
                None => (&embedded, PathBuf::from("scenarios")),
            };
            app::list::list(kind, routes.as_deref(), source, &dir, &mut DirSink::new(""))
        }
        Command::New {
            what: NewWhat::Scenario,
            name,
            dir,
            force,
        } => {
            let shown = if dir == std::path::Path::new(".") {
                PathBuf::new()
            } else {
                dir.clone()
            };
            let mut sink = DirSink::new(dir).quiet(true);
            let result = app::new::new_scenario(&name, &shown, force, &mut sink);
            published(sink, result)
        }
        Command::Diff {
            a,
            b,
            out,
            runs,
            quiet,
        } => {
            let mut sink = dir_sink(out).quiet(quiet);
            let is_file = |p: &PathBuf| p.extension().is_some_and(|x| x == "toml");
            let (ra, rb) = match (is_file(&a), is_file(&b)) {
                (true, true) => app::diff::run_files(&disk, &a, &b, runs, &mut sink)?,
                (false, false) => (
                    app::diff::read_dir(&disk, &a)?,
                    app::diff::read_dir(&disk, &b)?,
                ),
                _ => {
                    return Err(AppError::Input(
                        "diff two output directories or two scenario files, not one of each (hint: run the scenario first, then diff its output directory)".into(),
                    ));
                }
            };
            let result = app::diff::diff(&ra, &rb, &mut sink);
            published(sink, result)
        }
        Command::Merge { partials, out } => {
            let mut sink = dir_sink(out);
            let result = if partials
                .first()
                .is_some_and(|p| app::compare::is_partial(p))
            {
                app::compare::merge(&partials, limits, &mut sink).map(drop)
            } else {
                app::montecarlo::merge(&partials, &mut sink).map(drop)
            };
            published(sink, result)
        }
        Command::Sweep {
            spec,
            task,
            list,
            count,
            collect,
            xlsx,
            out,
            replicates,
            quiet,
        } => {
            let sw =
                io::sweep::load_sweep(&disk, &spec).map_err(|e| AppError::Input(e.to_string()))?;
            let plan = app::sweep::plan(&disk, &sw)?;
            if count {
                println!("{}", plan.tasks);
                return Ok(());
            }
            if list {
                app::sweep::list(&plan, &mut DirSink::new(""));
                return Ok(());
            }
            let tasks: Vec<app::sweep::Task> = match task {
                Some(k) => vec![plan.task(k).ok_or_else(|| {
                    AppError::Input(format!(
                        "{}: there is no task {k}; the sweep has tasks 1–{} (hint: `corridor sweep {} --list`)",
                        spec.display(),
                        plan.tasks,
                        spec.display()
                    ))
                })?],
                None => (1..=plan.tasks).filter_map(|k| plan.task(k)).collect(),
            };
            let cfg = app::sweep::SweepConfig {
                limits,
                progress: !quiet,
                replicates: replicates.into(),
            };
            if !collect {
                // Tasks of one sweep write into one folder at once: each file by itself.
                let mut sink = dir_sink(out.clone()).quiet(quiet).per_file(true);
                let result = tasks
                    .iter()
                    .try_for_each(|t| app::sweep::run_task(&disk, &sw, &plan, *t, cfg, &mut sink));
                published(sink, result)?;
            }
            if task.is_some() {
                return Ok(());
            }
            collect_sweep(&out.join(&plan.sweep), xlsx, quiet, dir_sink)
        }
        Command::Collect { dir, xlsx, quiet } => collect_sweep(&dir, xlsx, quiet, dir_sink),
        Command::Chart { kind, csv, out } => {
            let (mut sink, stem) = file_sink(&out);
            let result = app::chart::chart_from_csv(&disk, kind.into(), &csv, &stem, &mut sink);
            published(sink, result)
        }
        Command::Study {
            out,
            runs,
            scenarios,
            quiet,
            strict,
            title,
            template,
            csv_bom,
        } => {
            let cfg = StudyConfig {
                runs,
                strict,
                progress: !quiet,
                limits,
            };
            let template = match template {
                Some(p) => {
                    let text = corridor::io::source::read_limited(&p, limits.input_bytes).map_err(
                        |e| {
                            AppError::Input(format!(
                                "{}: cannot read the template: {e}",
                                p.display()
                            ))
                        },
                    )?;
                    Some((text, p.display().to_string()))
                }
                None => None,
            };
            let style = app::study::ReportStyle { title, template };
            let mut sink = dir_sink(out).quiet(quiet).csv_bom(csv_bom);
            let embedded = Memory::embedded_scenarios();
            let (source, dir): (&dyn Source, PathBuf) = match scenarios {
                Some(dir) => (&disk, dir),
                None => (&embedded, PathBuf::from("scenarios")),
            };
            let result = app::study::study(source, &dir, cfg, &style, &mut sink);
            published(sink, result)
        }
        Command::Compare {
            scenario,
            variants,
            variants_dir,
            runs,
            out,
            sensitivity,
            quiet,
            xlsx,
            csv_bom,
            overrides,
            shard,
        } => {
            let cfg = CompareConfig {
                runs,
                sensitivity,
                progress: !quiet,
                xlsx,
                limits,
                shard,
            };
            // Shards write into one folder at once: each partial is published by itself.
            let mut sink = dir_sink(out)
                .quiet(quiet)
                .csv_bom(csv_bom)
                .per_file(shard.is_some());
            let result = app::compare::job(
                &scenario,
                &variants,
                variants_dir.as_deref(),
                &overrides.list(),
                cfg,
                &mut sink,
            );
            published(sink, result)
        }
        Command::Optimise {
            scenario,
            budget,
            objective,
            options,
            search,
            max_portfolios,
            robust,
            candidates,
            stage,
            discount_rate,
            until_year,
            stagger_years,
            variants_dir,
            runs,
            out,
            overrides,
            quiet,
            csv_bom,
        } => {
            let cfg = app::optimise::OptimiseConfig {
                runs,
                budgets_usd: budget,
                search: match search {
                    SearchArg::Auto => app::optimise::Search::Auto,
                    SearchArg::Exhaustive => app::optimise::Search::Exhaustive,
                    SearchArg::Local => app::optimise::Search::Local,
                },
                max_portfolios,
                robust,
                candidates: usize::try_from(candidates).unwrap_or(usize::MAX),
                stage: stage.then_some(app::optimise::StageConfig {
                    discount_rate,
                    last_year: until_year,
                    stagger_years,
                }),
                objective: match objective {
                    ObjectiveArg::Net => corridor::engine::portfolio::Objective::Net,
                    ObjectiveArg::Mean => corridor::engine::portfolio::Objective::Mean,
                    ObjectiveArg::Cvar95 => corridor::engine::portfolio::Objective::Cvar95,
                },
                options,
                progress: !quiet,
                limits,
            };
            let mut sink = dir_sink(out).quiet(quiet).csv_bom(csv_bom);
            let result = app::optimise::job(
                &scenario,
                variants_dir.as_deref(),
                &overrides.list(),
                &cfg,
                &mut sink,
            );
            published(sink, result)
        }
        Command::Histories {
            scenario,
            runs,
            out,
            overrides,
        } => {
            let l = io::load_scenario_with(&disk, &scenario, true, &overrides.list())?;
            let doc = app::histories::histories(&l, runs, &limits)?;
            let (mut sink, name) = file_sink(&out);
            let result = app::sink::write_text(&mut sink, &name, &doc);
            published(sink, result)
        }
        Command::Hindcast {
            dir,
            out,
            strict,
            check,
        } => {
            let mut sink = dir_sink(out);
            let embedded = Memory::embedded_scenarios();
            let (source, dir): (&dyn Source, PathBuf) = match dir {
                Some(dir) => (&disk, dir),
                None => (&embedded, PathBuf::from("scenarios/history")),
            };
            let result = app::hindcast::job(source, &dir, strict, check, &mut sink);
            published(sink, result)
        }
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "corridor", &mut std::io::stdout());
            Ok(())
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .map_err(|e| AppError::Internal(format!("man page: {e}")))?;
            use std::io::Write as _;
            std::io::stdout()
                .write_all(&out)
                .map_err(|e| AppError::Internal(format!("stdout: {e}")))
        }
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
            csv_bom,
        } => {
            let cfg = NetworkConfig {
                include_planned,
                strict,
                csv_bom,
                tables: out.clone().filter(|_| !chart),
                // --chart alone writes the charts to output/.
                charts: out.or_else(|| chart.then(|| PathBuf::from("output"))),
                geojson,
                png_scale: scale,
            };
            let print = match format {
                Format::Table => Print::Table,
                Format::Csv => Print::Csv,
                Format::Json => Print::Json,
            };
            app::network::job(routes.as_deref(), &cfg, print)
        }
    }
}

impl From<ChartKind> for app::chart::ChartKind {
    fn from(k: ChartKind) -> Self {
        match k {
            ChartKind::Throughput => Self::Throughput,
            ChartKind::Data => Self::Data,
            ChartKind::Resilience => Self::Resilience,
            ChartKind::Losses => Self::Losses,
            ChartKind::DataLosses => Self::DataLosses,
            ChartKind::Options => Self::Options,
            ChartKind::Tornado => Self::Tornado,
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

fn main() -> ExitCode {
    bound_malloc_arenas();
    let cli = Cli::parse();
    // A panic is a bug: report it with exit code 1 rather than Rust's default 101.
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(Ok(())) => ExitCode::from(exit::OK),
        Ok(Err(e)) => {
            let code = match e.kind() {
                ErrorKind::Input => exit::INPUT,
                ErrorKind::Output => exit::OUTPUT,
                ErrorKind::Internal => exit::INTERNAL,
                ErrorKind::Check => exit::CHECK,
            };
            eprintln!("corridor: {:#}", anyhow::Error::from(e));
            ExitCode::from(code)
        }
        Err(_) => {
            eprintln!("corridor: internal error (a bug; please report it with the command line)");
            ExitCode::from(exit::INTERNAL)
        }
    }
}

/// Caps glibc's malloc arenas at one per worker thread (unless `MALLOC_ARENA_MAX` is set).
/// By default glibc may open up to 8 per core, and the Monte Carlo's main thread, which frees
/// the rows the workers built, then ends up with an arena of its own part-way through a run:
/// peak RSS 48.1 MB at 1,000 replicates but 54.6 MB at 10,000 and 55.2 MB at 30,000 on 2
/// cores, against 47.3 MB and 48.4 MB with two arenas (`/usr/bin/time` on
/// `scenarios/mc-random-failures.toml`; `bench/memory.sh` measures the cap). No value changes.
fn bound_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // The size rayon's global pool will take (asking rayon would start the pool first).
        let workers = std::env::var("RAYON_NUM_THREADS")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|&n| n > 0)
            .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
            .unwrap_or(1)
            .clamp(1, 1024) as libc::c_int;
        // SAFETY: mallopt is called before any other thread exists and only sets a limit.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, workers);
        }
    }
}
