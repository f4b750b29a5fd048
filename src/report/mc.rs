//! Monte Carlo outputs: `mc_replicates.csv` (streamed), `mc_summary.json`,
//! `mc_daily_bands.csv` and `manifest.json`.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::r4;
use super::rows::{BandRow, F4, ReplicateRow, Usd};
use sha2::{Digest, Sha256};

use super::write::OutputError;
use crate::engine::dist::Dist;
use crate::engine::montecarlo::{
    Aggregates, DATA_USD_DECIMALS, LOSS_BINS, OUTAGE_DECIMALS, PERF_BINS, Replicate,
};
use crate::model::{Build, MonteCarlo, Scenario};

/// A file written progressively to a temporary name and renamed into place by [`commit`].
///
/// [`commit`]: StreamFile::commit
pub struct StreamFile {
    tmp: PathBuf,
    path: PathBuf,
    out: std::io::BufWriter<std::fs::File>,
}

impl StreamFile {
    pub fn create(path: &Path) -> Result<Self, OutputError> {
        let err = |source| OutputError {
            path: path.to_path_buf(),
            error: source,
        };
        let tmp = super::write::temp_beside(path)?;
        let f = std::fs::File::create(&tmp).map_err(err)?;
        Ok(StreamFile {
            tmp,
            path: path.to_path_buf(),
            out: std::io::BufWriter::new(f),
        })
    }
    pub fn write(&mut self, s: &str) -> Result<(), OutputError> {
        self.out
            .write_all(s.as_bytes())
            .map_err(|source| OutputError {
                path: self.path.clone(),
                error: source,
            })
    }
    pub fn commit(mut self) -> Result<(), OutputError> {
        let err = |source| OutputError {
            path: self.path.clone(),
            error: source,
        };
        self.out.flush().map_err(err)?;
        std::fs::rename(&self.tmp, &self.path).map_err(err)
    }
}

impl Drop for StreamFile {
    fn drop(&mut self) {
        // Never leave a temporary file behind; after a commit it no longer exists.
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// What the Monte Carlo outputs need to know about their scenario (kept in partial files so a
/// merge can write the outputs without the scenario).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct McMeta {
    pub scenario: String,
    pub name: String,
    pub start: String,
    pub start_days: i64,
    pub horizon_days: u32,
    pub seed: u64,
    pub runs: u64,
    pub bbl_per_t: f64,
    pub oil_price_usd_per_bbl: f64,
    pub baseline_exported_mt: f64,
}

impl McMeta {
    pub fn new(id: &str, sc: &Scenario, mc: &MonteCarlo, runs: u64, baseline_mt: f64) -> Self {
        McMeta {
            scenario: id.into(),
            name: sc.name.clone(),
            start: sc.start.to_string(),
            start_days: sc.start.days,
            horizon_days: sc.horizon_days,
            seed: mc.seed,
            runs,
            bbl_per_t: sc.economics.bbl_per_t,
            oil_price_usd_per_bbl: sc.economics.oil_price_usd_per_bbl,
            baseline_exported_mt: baseline_mt,
        }
    }
    fn date(&self, t: i64) -> String {
        crate::model::Date {
            days: self.start_days + t,
        }
        .to_string()
    }
    fn usd_per_mt(&self) -> f64 {
        self.bbl_per_t * self.oil_price_usd_per_bbl * 1e6
    }
}

/// Header of `mc_replicates.csv`.
pub fn replicates_header() -> String {
    super::rows::header::<ReplicateRow>()
}

/// Rows of `mc_replicates.csv` for `reps` (in index order). `rng_stream` is the ChaCha8
/// stream the replicate drew from, with the master seed.
pub fn replicate_rows(reps: &[Replicate], meta: &McMeta) -> Vec<ReplicateRow> {
    reps.iter()
        .map(|r| ReplicateRow {
            replicate: r.index,
            rng_stream: r.index,
            lost_exports_mt: F4::new(r.lost_exports_mt),
            lost_revenue_usd: Usd::dollars(r.lost_exports_mt * meta.usd_per_mt()),
            resilience_loss_days: F4::new(r.resilience_loss_days),
            worst_day: meta.date(r.worst_day),
            worst_performance: F4::new(r.worst_performance),
            data_unserved_tb: F4::new(r.data_unserved_tb),
            data_outage_hours: F4::new(r.data_outage_hours),
            data_loss_usd: r.data_loss_usd.map(Usd::dollars),
            failures: r.failures.clone(),
        })
        .collect()
}

/// A loss statistic over the replicate-years, in Mt or US$.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Money {
    pub mean: f64,
    pub se: f64,
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
    pub cvar95: f64,
}

/// Mean, P95 and CVaR95 of a per-replicate quantity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Tail {
    pub mean: f64,
    pub p95: f64,
    pub cvar95: f64,
}

impl From<crate::engine::montecarlo::TailStats> for Tail {
    fn from(t: crate::engine::montecarlo::TailStats) -> Self {
        Tail {
            mean: r4(t.mean),
            p95: r4(t.p95),
            cvar95: r4(t.cvar95),
        }
    }
}

/// `mc_summary.json` (numbers rounded to 4 decimals).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct McSummary {
    pub scenario: String,
    pub name: String,
    pub runs: u64,
    pub seed: u64,
    pub horizon_days: u32,
    pub baseline_exported_mt: f64,
    pub lost_exports_mt: Money,
    pub lost_revenue_usd: Money,
    pub p_loss_over_5pct: f64,
    pub p_loss_over_10pct: f64,
    pub p_loss_over_25pct: f64,
    pub resilience_loss_mean_days: f64,
    pub data_unserved_mean_tb: f64,
    /// Data losses as hours of full national outage per replicate-year, h.
    pub data_outage_hours: Tail,
    /// Data losses valued, US$ per replicate-year; `null` when the data value is unset.
    pub data_loss_usd: Option<Tail>,
    pub failure_patterns: Vec<(String, u64)>,
    pub distinct_failure_patterns: usize,
    pub notes: String,
}

/// `mc_summary.json`.
pub fn summary(meta: &McMeta, agg: &Aggregates) -> McSummary {
    let st = agg.stats(meta.baseline_exported_mt);
    let usd = meta.usd_per_mt();
    let m = |k: f64| Money {
        mean: r4(st.lost_mean_mt * k),
        se: r4(st.lost_se_mt * k),
        p5: r4(st.lost_p5_mt * k),
        p50: r4(st.lost_p50_mt * k),
        p95: r4(st.lost_p95_mt * k),
        cvar95: r4(st.lost_cvar95_mt * k),
    };
    let mut patterns: Vec<(String, u64)> =
        agg.patterns.iter().map(|(p, c)| (p.clone(), *c)).collect();
    patterns.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let distinct = patterns.len();
    patterns.truncate(50);
    McSummary {
        scenario: meta.scenario.clone(),
        name: meta.name.clone(),
        runs: st.runs,
        seed: meta.seed,
        horizon_days: meta.horizon_days,
        baseline_exported_mt: r4(st.baseline_exported_mt),
        lost_exports_mt: m(1.0),
        lost_revenue_usd: m(usd),
        p_loss_over_5pct: r4(st.p_loss_over_5pct),
        p_loss_over_10pct: r4(st.p_loss_over_10pct),
        p_loss_over_25pct: r4(st.p_loss_over_25pct),
        resilience_loss_mean_days: r4(st.resilience_loss_mean_days),
        data_unserved_mean_tb: r4(st.data_unserved_mean_tb),
        data_outage_hours: st.data_outage_hours.into(),
        data_loss_usd: st.data_loss_usd.map(Tail::from),
        failure_patterns: patterns,
        distinct_failure_patterns: distinct,
        notes: "losses are annual (per replicate-year) against the baseline run; mean and se from exact sums; p5/p50/p95/cvar95 from a histogram with bins of 0.01% of baseline annual exports (bin midpoints); data_outage_hours are the data losses as hours of full national outage (p95/cvar95 from bins of 0.01 h), data_loss_usd the same valued at the scenario's data value (bins of US$1,000); failure_patterns counts replicates by the asset classes that failed in them (mc_replicates.csv lists each replicate's assets)".into(),
    }
}

/// `mc_daily_bands.csv`: per day, P5/P50/P95 and mean performance over the replicates.
pub fn daily_bands(meta: &McMeta, agg: &Aggregates) -> Vec<BandRow> {
    agg.daily_bands()
        .into_iter()
        .enumerate()
        .map(|(t, (p5, p50, p95, mean))| BandRow {
            date: meta.date(t as i64),
            day: t,
            p5: F4::new(p5),
            p50: F4::new(p50),
            p95: F4::new(p95),
            mean: F4::new(mean),
        })
        .collect()
}

/// SHA-256 of `bytes`, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Bytes as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Serialize, serde::Deserialize, PartialEq, Debug, Clone)]
pub struct Manifest {
    /// The build that ran it: version, git revision, local changes, embedded-data hash.
    pub build: Build,
    pub scenario: String,
    pub seed: u64,
    pub runs: u64,
    /// `--set KEY=VALUE` overrides applied to the scenario (and `--seed` as
    /// `monte_carlo.seed`), in the order given.
    pub overrides: Vec<(String, String)>,
    /// Which replicates `mc_replicates.csv` lists (`--replicates`).
    pub replicates: ReplicateRows,
    /// (file name, SHA-256) of every input: the scenario, its CSVs and the network files,
    /// sorted. Named by file name, not by the path typed, so the same file given by an
    /// absolute or a relative path (or from another working directory) is the same input.
    pub inputs: Vec<(String, String)>,
}

/// Which replicates `mc_replicates.csv` lists. The statistics, bands and charts count every
/// replicate whatever this says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReplicateRows {
    /// `mc_replicates.csv` holds its header only (so no earlier run's rows stay beside it).
    None,
    /// Only replicates with a sampled failure or any loss (oil or data).
    Failures,
    /// One row per replicate.
    #[default]
    All,
}

impl ReplicateRows {
    /// Whether `row` is listed.
    pub fn keeps(self, row: &ReplicateRow) -> bool {
        match self {
            Self::None => false,
            Self::Failures => {
                !row.failures.is_empty()
                    || row.lost_exports_mt.0 != 0.0
                    || row.data_unserved_tb.0 != 0.0
                    || row.data_outage_hours.0 != 0.0
            }
            Self::All => true,
        }
    }
}

/// The manifest of a Monte Carlo run of `files` (name as read, text) with `overrides`, listing
/// `replicates`.
pub fn manifest(
    id: &str,
    mc: &MonteCarlo,
    runs: u64,
    files: &[(String, String)],
    overrides: &[(String, String)],
    replicates: ReplicateRows,
) -> Manifest {
    let mut inputs: Vec<(String, String)> = files
        .iter()
        .map(|(n, t)| {
            let name = std::path::Path::new(n)
                .file_name()
                .map_or_else(|| n.clone(), |f| f.to_string_lossy().into_owned());
            (name, sha256_hex(t.as_bytes()))
        })
        .collect();
    inputs.sort();
    Manifest {
        build: Build::this(),
        scenario: id.into(),
        seed: mc.seed,
        runs,
        overrides: overrides.to_vec(),
        replicates,
        inputs,
    }
}

/// A shard's partial result: everything a merge needs to write the final outputs.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Partial {
    /// Partial-file format version.
    pub format: u32,
    pub manifest: Manifest,
    pub meta: McMeta,
    /// 1-based shard number and shard count.
    pub shard: u64,
    pub shards: u64,
    /// Replicates `first..end` (0-based).
    pub first: u64,
    pub end: u64,
    pub aggregates: Aggregates,
    /// Annual lost exports (Mt) and data losses (hours of full national outage) of every
    /// replicate, at the CSV's four decimals: the loss charts' data.
    pub loss_dist: Dist,
    pub data_hours_dist: Dist,
    /// `mc_replicates.csv` rows of this shard that `--replicates` lists, without the header.
    pub rows: String,
}

impl Partial {
    /// Everything but the statistics and the rows.
    pub fn head(&self) -> PartialHead {
        PartialHead {
            format: self.format,
            manifest: self.manifest.clone(),
            meta: self.meta.clone(),
            shard: self.shard,
            shards: self.shards,
            first: self.first,
            end: self.end,
        }
    }
}

/// A partial file without its statistics and rows: what a merge checks across the shards
/// before it reads any partial whole (so it holds one partial in memory at a time).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct PartialHead {
    pub format: u32,
    pub manifest: Manifest,
    pub meta: McMeta,
    pub shard: u64,
    pub shards: u64,
    pub first: u64,
    pub end: u64,
}

/// What a whole run keeps for a later `corridor run --extend` (`--keep-state`): the exact
/// statistics of its replicates `0..runs` and the SHA-256 of the `mc_replicates.csv` it wrote
/// beside them, whose rows an extension copies (after checking that hash) before its own.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct McState {
    /// Partial-file format version.
    pub format: u32,
    /// Always [`STATE_KIND`].
    pub kind: String,
    pub manifest: Manifest,
    pub meta: McMeta,
    pub aggregates: Aggregates,
    /// Annual lost exports (Mt) and data losses (hours) of every replicate, as in a partial.
    pub loss_dist: Dist,
    pub data_hours_dist: Dist,
    /// SHA-256 of `mc_replicates.csv` as written (without a byte order mark), hex.
    pub replicates_sha256: String,
}

/// The `kind` of a run's state file.
pub const STATE_KIND: &str = "state";

/// A run's state file, in its output folder.
pub const STATE_FILE: &str = "mc_state.json";

/// The structural problem of state `s`, if any: an id usable as a path, runs in range and
/// statistics of exactly its runs ([`stats_problem`]).
pub fn state_problem(s: &McState) -> Option<String> {
    if s.kind != STATE_KIND {
        return Some(format!("kind `{}` is not `{STATE_KIND}`", s.kind));
    }
    run_problem(&s.manifest, &s.meta)
        .or_else(|| range_problem(s.meta.runs, (1, 1), 0..s.meta.runs))
        .or_else(|| stats_problem(&s.aggregates, &s.loss_dist, &s.data_hours_dist, s.meta.runs))
}

/// Partial-file format this build writes and reads.
pub const PARTIAL_FORMAT: u32 = 3;

/// Replicates of shard `k` of `n` (1-based) out of `runs`: `[(k−1)·runs/n, k·runs/n)`.
pub fn shard_range(k: u64, n: u64, runs: u64) -> std::ops::Range<u64> {
    ((k - 1) * runs / n)..(k * runs / n)
}

/// Why partials cannot be merged.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum MergeError {
    #[error("no partial files given")]
    Empty,
    #[error(
        "{file}: written by {found}, but {other} was written by {expected}; every shard must come from one build (hint: re-run the shards of the other build with the same binary)"
    )]
    Build {
        file: String,
        found: Box<Build>,
        other: String,
        expected: Box<Build>,
    },
    #[error(
        "{file}: written by {found}, but this merge is {this}; the merge must run the build that ran the shards (hint: merge with that binary, or re-run the shards with this one)"
    )]
    Merger {
        file: String,
        found: Box<Build>,
        this: Box<Build>,
    },
    #[error("{file}: partial format {found}, this corridor reads {PARTIAL_FORMAT}")]
    Format { file: String, found: u32 },
    #[error(
        "{file}: inputs differ from {first} (scenario, seed, runs or a file's SHA-256 do not match); every shard must run the same inputs"
    )]
    Inputs { file: String, first: String },
    #[error("{file}: split into {found} shards, {first} into {expected}")]
    ShardCount {
        file: String,
        first: String,
        found: u64,
        expected: u64,
    },
    #[error("shard {shard} of {shards} is given twice ({a} and {b})")]
    Duplicate {
        shard: u64,
        shards: u64,
        a: String,
        b: String,
    },
    #[error("missing shard(s) {missing:?} of {shards}")]
    Missing { missing: Vec<u64>, shards: u64 },
    #[error("{file}: not a partial this corridor wrote: {problem}")]
    Invalid { file: String, problem: String },
    #[error("{file} changed while the merge read it (hint: merge once every shard has finished)")]
    Changed { file: String },
}

/// The structural problem of a partial's head, if any: ids usable as paths, shard numbers and
/// replicate ranges consistent with the run.
fn head_problem(p: &PartialHead) -> Option<String> {
    run_problem(&p.manifest, &p.meta)
        .or_else(|| range_problem(p.manifest.runs, (p.shard, p.shards), p.first..p.end))
}

/// What is wrong, if anything, with the run a partial or a state names: its id must be a run
/// id (a scenario id, `+` and the option's ids for a run with an option, `corridor run
/// --variant`; each part an id, so a plain folder name), and its manifest and statistics must
/// name the same scenario and runs.
fn run_problem(m: &Manifest, meta: &McMeta) -> Option<String> {
    if let Err(e) = meta
        .scenario
        .split('+')
        .try_for_each(|id| crate::model::split_option(id).map(|_| ()))
    {
        return Some(format!("scenario {e}"));
    }
    if m.scenario != meta.scenario {
        return Some("the manifest and the statistics name different scenarios".into());
    }
    if meta.runs != m.runs {
        return Some("the manifest and the statistics count different runs".into());
    }
    None
}

/// What is wrong, if anything, with shard `k` of `n` of `runs` replicates holding replicates
/// `range`: runs outside 1…100,000,000, a shard number outside 1…n, or a range other than
/// [`shard_range`]'s.
pub fn range_problem(runs: u64, (k, n): (u64, u64), range: std::ops::Range<u64>) -> Option<String> {
    if !(1..=100_000_000).contains(&runs) {
        return Some(format!("{runs} runs is outside 1…100,000,000"));
    }
    if !(1..=runs).contains(&n) || !(1..=n).contains(&k) {
        return Some(format!("shard {k} of {n} is not a shard of {runs} runs"));
    }
    let expected = shard_range(k, n, runs);
    if range != expected {
        return Some(format!(
            "replicates {}..{} are not shard {k} of {n}'s {}..{}",
            range.start, range.end, expected.start, expected.end
        ));
    }
    None
}

/// The structural problem of partial `p`, if any: its head's ([`head_problem`]), then
/// aggregates of the right shape whose counts add up to its replicates, sums within what real
/// replicates can reach (so a merge cannot overflow), and the rows `--replicates` asks for. A
/// merge uses nothing of a partial before this passes.
pub fn structural_problem(p: &Partial) -> Option<String> {
    if let Some(e) = head_problem(&p.head()) {
        return Some(e);
    }
    let n = p.end - p.first;
    if let Some(e) = stats_problem(&p.aggregates, &p.loss_dist, &p.data_hours_dist, n) {
        return Some(e);
    }
    let rows = p.rows.lines().count() as u64;
    let expected = match p.manifest.replicates {
        ReplicateRows::All => rows == n,
        ReplicateRows::Failures => rows <= n,
        ReplicateRows::None => rows == 0,
    };
    if !expected || (!p.rows.is_empty() && !p.rows.ends_with('\n')) {
        return Some(format!(
            "{rows} replicate rows for {n} replicates listing {:?}",
            p.manifest.replicates
        ));
    }
    None
}

/// The structural problem, if any, of the statistics of `n` replicates: aggregates of the
/// right shape whose counts add up to `n`, sums within what real replicates can reach (so a
/// merge cannot overflow), and loss-chart distributions of `n` values.
pub fn stats_problem(a: &Aggregates, loss: &Dist, hours: &Dist, n: u64) -> Option<String> {
    let days = a.day_sum_nano.len();
    if a.n != n {
        return Some(format!(
            "{} replicates aggregated for {n} in its range",
            a.n
        ));
    }
    if days == 0 || days > 36_500 || a.day_hist.len() != days * PERF_BINS {
        return Some("daily histograms of the wrong shape".into());
    }
    if a.loss_hist.len() != LOSS_BINS {
        return Some("a loss histogram of the wrong shape".into());
    }
    let counts_n = |name: &str, total: Option<u64>| match total {
        Some(t) if t == n => None,
        _ => Some(format!("its {name} do not count its {n} replicates")),
    };
    fn sum<'a>(mut it: impl Iterator<Item = &'a u64>) -> Option<u64> {
        it.try_fold(0u64, |s, v| s.checked_add(*v))
    }
    if let Some(e) = counts_n("loss bins", sum(a.loss_hist.iter()))
        .or_else(|| counts_n("outage bins", Some(a.outage_h.n)))
        .or_else(|| counts_n("failure patterns", sum(a.patterns.values())))
    {
        return Some(e);
    }
    if a.data_usd.n > n || a.zero_lost > n || a.exceed.iter().any(|e| *e > n) {
        return Some("counts above its replicates".into());
    }
    if let Some(e) = a
        .outage_h
        .problem(OUTAGE_DECIMALS)
        .or_else(|| a.data_usd.problem(DATA_USD_DECIMALS))
    {
        return Some(format!("its data-loss distribution has {e}"));
    }
    for (what, d) in [("loss", loss), ("data-hours", hours)] {
        if d.n != n {
            return Some(format!(
                "its {what} chart data do not count its {n} replicates"
            ));
        }
        if let Some(e) = d.problem(crate::report::stats_charts::LOSS_DECIMALS) {
            return Some(format!("its {what} chart data have {e}"));
        }
    }
    for t in 0..days {
        if sum(a.day_hist[t * PERF_BINS..][..PERF_BINS].iter()) != Some(n) {
            return Some(format!(
                "its performance bins of day {t} do not count its {n} replicates"
            ));
        }
    }
    // Per replicate: at most 10^12 kg (1,000 Mt) lost, 10^18 of any micro-sum or cents,
    // 10^15 nano-units of performance a day.
    let n = i128::from(n);
    let within = |x: i128, per: i128| x.unsigned_abs() <= (n * per) as u128;
    if !(within(a.sum_lost_kg, 1_000_000_000_000)
        && within(a.sumsq_lost_kg, 1_000_000_000_000_000_000_000_000)
        && [a.sum_resilience_micro, a.sum_unserved_micro_tb]
            .iter()
            .all(|x| within(*x, 1_000_000_000_000_000_000))
        && a.day_sum_nano
            .iter()
            .all(|x| within(*x, 1_000_000_000_000_000))
        && a.max_lost_kg.unsigned_abs() <= 1_000_000_000_000
        && a.day_min_nano
            .iter()
            .chain(&a.day_max_nano)
            .all(|x| x.unsigned_abs() <= 1_000_000_000_000_000))
    {
        return Some("sums larger than its replicates can reach".into());
    }
    None
}

/// What [`HeadCheck`] needs of a partial's head, whichever command wrote it (`run --shard` or
/// `compare --shard`).
pub trait ShardHead: Clone {
    /// The partial-file format.
    fn format(&self) -> u32;
    /// The build that wrote it.
    fn build(&self) -> &Build;
    /// 1-based shard number and shard count.
    fn shard(&self) -> (u64, u64);
    /// Its structural problem, if any: ids usable as paths, shard numbers and replicate
    /// ranges consistent with the run.
    fn problem(&self) -> Option<String>;
    /// Whether `other` is a shard of the same run: same manifest and settings.
    fn same_run(&self, other: &Self) -> bool;
}

impl ShardHead for PartialHead {
    fn format(&self) -> u32 {
        self.format
    }
    fn build(&self) -> &Build {
        &self.manifest.build
    }
    fn shard(&self) -> (u64, u64) {
        (self.shard, self.shards)
    }
    fn problem(&self) -> Option<String> {
        head_problem(self)
    }
    fn same_run(&self, other: &Self) -> bool {
        self.manifest == other.manifest && self.meta == other.meta
    }
}

/// Checks partial heads one at a time, keeping the first head and each one's shard number
/// only (so checking N partials holds N pairs of numbers, not N heads): that they are every
/// shard of one run exactly once, from one build (this one) and one set of inputs.
#[derive(Debug)]
pub struct HeadCheck<H = PartialHead> {
    first: Option<(String, H)>,
    /// (shard, index of the partial as given).
    shards: Vec<(u64, usize)>,
}

impl<H> Default for HeadCheck<H> {
    fn default() -> Self {
        Self {
            first: None,
            shards: Vec::new(),
        }
    }
}

impl<H: ShardHead> HeadCheck<H> {
    /// Checks head `p` of the partial `name`, the `index`th given, against the first.
    ///
    /// # Errors
    /// The first thing wrong with it.
    pub fn add(&mut self, index: usize, name: &str, p: H) -> Result<(), MergeError> {
        if p.format() != PARTIAL_FORMAT {
            return Err(MergeError::Format {
                file: name.into(),
                found: p.format(),
            });
        }
        if let Some(problem) = p.problem() {
            return Err(MergeError::Invalid {
                file: name.into(),
                problem,
            });
        }
        let (first_name, first) = self.first.get_or_insert_with(|| (name.into(), p.clone()));
        if p.build() != first.build() {
            return Err(MergeError::Build {
                file: name.into(),
                found: Box::new(p.build().clone()),
                other: first_name.clone(),
                expected: Box::new(first.build().clone()),
            });
        }
        let this = Build::this();
        if *p.build() != this {
            return Err(MergeError::Merger {
                file: name.into(),
                found: Box::new(p.build().clone()),
                this: Box::new(this),
            });
        }
        if !p.same_run(first) {
            return Err(MergeError::Inputs {
                file: name.into(),
                first: first_name.clone(),
            });
        }
        let ((shard, shards), (_, expected)) = (p.shard(), first.shard());
        if shards != expected {
            return Err(MergeError::ShardCount {
                file: name.into(),
                first: first_name.clone(),
                found: shards,
                expected,
            });
        }
        self.shards.push((shard, index));
        Ok(())
    }

    /// The first head and the partials' indices in shard order, once every shard is there
    /// exactly once; `name` names the `i`th partial given, for messages.
    ///
    /// # Errors
    /// [`MergeError::Empty`], [`MergeError::Duplicate`] or [`MergeError::Missing`].
    pub fn finish(mut self, name: impl Fn(usize) -> String) -> Result<(H, Vec<usize>), MergeError> {
        let Some((_, first)) = self.first else {
            return Err(MergeError::Empty);
        };
        let (_, shards) = first.shard();
        self.shards.sort_unstable();
        for w in self.shards.windows(2) {
            if w[0].0 == w[1].0 {
                return Err(MergeError::Duplicate {
                    shard: w[0].0,
                    shards,
                    a: name(w[0].1),
                    b: name(w[1].1),
                });
            }
        }
        // Sorted and distinct, so the shards present are 1..=N exactly when there are N.
        if self.shards.len() as u64 != shards {
            let mut present = self.shards.iter().map(|s| s.0).peekable();
            let missing: Vec<u64> = (1..=shards)
                .filter(|k| {
                    if present.peek() == Some(k) {
                        present.next();
                        false
                    } else {
                        true
                    }
                })
                .collect();
            return Err(MergeError::Missing { missing, shards });
        }
        Ok((first, self.shards.into_iter().map(|s| s.1).collect()))
    }
}
