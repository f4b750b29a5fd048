//! Monte Carlo over replicate-years: each replicate samples failures, runs the scenario with
//! them (deterministic events still apply), and is scored against the one baseline run.
//!
//! Statistics stream into [`Aggregates`], whose every field is an integer count or an integer
//! fixed-point sum, so merging is exact and order-free: any thread count, any block order and
//! any split into shards give identical bytes. Memory does not grow with the number of
//! replicates (histograms and sums have fixed size, and failure patterns are tabulated by asset
//! class, at most 2⁸ of them).
//!
//! - Annual lost exports are binned on a fixed grid of 0.01% of baseline annual exports, so
//!   P5/P50/P95 and CVaR95 are exact to within one bin (the bin midpoint is reported); the mean
//!   and its standard error come from exact sums.
//! - Daily performance is binned at 0.001 over 0…2 per day for the P5/P50/P95 bands; the daily
//!   mean comes from exact sums. Histograms are dense and of fixed size (about 6 MB for a year).

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::dist::{Dist, cvar95_of, quantile_value};
use super::metrics::{data_usd, outage_hours, performance};
use super::sample::sample_replicate;
use super::sim::{Day, SimConfig, SimResult, simulate};
use crate::model::{AssetClass, AssetRef, LinkIx, MonteCarlo, Network, NodeIx, Scenario};

/// Bins of annual loss, as fractions of baseline annual exports: bin `k` holds
/// `[k, k + 1) × LOSS_BIN`; losses below 0 fall in bin 0, above 1 in the last.
pub const LOSS_BIN: f64 = 1e-4;
/// Number of loss bins (the last holds losses of 100% and more).
pub const LOSS_BINS: usize = 10_001;
/// Bins of daily performance: bin `k` holds `[k, k + 1) × PERF_BIN`, capped at 2.
pub const PERF_BIN: f64 = 1e-3;
/// Number of performance bins.
pub const PERF_BINS: usize = 2_001;
/// Decimals the data outage is held at, hours (those of `mc_replicates.csv`).
pub const OUTAGE_DECIMALS: u32 = 4;
/// Decimals valued data losses are held at, US$ (cents).
pub const DATA_USD_DECIMALS: u32 = 2;
/// Fixed-point scales for exact sums.
const KG_PER_KT: f64 = 1e6;
const MICRO: f64 = 1e6;
const NANO: f64 = 1e9;

/// One replicate's outcome: a row of `mc_replicates.csv`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replicate {
    /// Replicate index; it draws from ChaCha8 stream `index`.
    pub index: u64,
    /// Annual lost exports against the baseline, Mt.
    pub lost_exports_mt: f64,
    /// Resilience loss of the year, days.
    pub resilience_loss_days: f64,
    /// Day index of the lowest performance, and that performance.
    pub worst_day: i64,
    /// That day's performance (fraction of baseline exports).
    ///
    /// # Units
    /// Fraction of baseline exports.
    pub worst_performance: f64,
    /// Data traffic not served, Tb.
    pub data_unserved_tb: f64,
    /// The data losses as hours of full national outage, h.
    pub data_outage_hours: f64,
    /// The data losses valued at the scenario's data value, US$; `None` when unset.
    pub data_loss_usd: Option<f64>,
    /// Assets that were down at some point, space-separated.
    pub failures: String,
    /// The classes of those assets (see [`class_pattern`]).
    pub pattern: String,
}

/// The classes of the assets that failed in a replicate, as `class+class+…` in class order
/// (`none` if nothing failed). At most 2⁸ distinct values, so the table of patterns stays
/// bounded however many replicates run.
pub fn class_pattern(net: &Network, assets: &[usize]) -> String {
    let n = net.nodes.len();
    let mut classes: Vec<AssetClass> = assets
        .iter()
        .filter_map(|&i| {
            let a = if i < n {
                AssetRef::Node(NodeIx(i))
            } else {
                AssetRef::Link(LinkIx(i - n))
            };
            AssetClass::of(net, a)
        })
        .collect();
    classes.sort();
    classes.dedup();
    if classes.is_empty() {
        "none".into()
    } else {
        classes
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join("+")
    }
}

/// Streaming, mergeable statistics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aggregates {
    /// Replicates aggregated.
    pub n: u64,
    /// Σ lost exports, kg, and Σ of its square.
    pub sum_lost_kg: i128,
    /// Σ of the square of lost exports, kg².
    pub sumsq_lost_kg: i128,
    /// Σ resilience loss, micro-days.
    pub sum_resilience_micro: i128,
    /// Σ unserved data, micro-Tb.
    pub sum_unserved_micro_tb: i128,
    /// The data outage of each replicate, hours of full national outage (a bounded
    /// distribution: its memory does not grow with the replicates).
    pub outage_h: Dist,
    /// The valued data losses of each replicate, US$ (replicates of a scenario with a data
    /// value only).
    pub data_usd: Dist,
    /// Replicates losing more than 5%, 10% and 25% of baseline annual exports.
    pub exceed: [u64; 3],
    /// Histogram of annual loss fraction, `LOSS_BINS` bins.
    pub loss_hist: Vec<u64>,
    /// Per day, a histogram of performance: day `t` uses `day_hist[t * PERF_BINS..][..PERF_BINS]`.
    pub day_hist: Vec<u64>,
    /// Per day, Σ performance in nano-units.
    pub day_sum_nano: Vec<i128>,
    /// Failure patterns by asset class ([`class_pattern`]) and how many replicates had each.
    pub patterns: BTreeMap<String, u64>,
    /// The observed extremes of lost exports, so that quantiles are exact where the data are
    /// (a replicate that lost nothing reads 0, not a bin midpoint) and never beyond what was
    /// observed: replicates that lost no exports, and the largest loss, kg.
    pub zero_lost: u64,
    /// See `zero_lost`.
    pub max_lost_kg: i128,
    /// Per day, the least and the greatest performance (nano-units).
    #[serde(default)]
    pub day_min_nano: Vec<i128>,
    /// See `day_min_nano`.
    #[serde(default)]
    pub day_max_nano: Vec<i128>,
}

impl Aggregates {
    /// Empty aggregates for runs of `days` days.
    pub fn new(days: usize) -> Self {
        Aggregates {
            n: 0,
            sum_lost_kg: 0,
            sumsq_lost_kg: 0,
            sum_resilience_micro: 0,
            sum_unserved_micro_tb: 0,
            outage_h: Dist::new(OUTAGE_DECIMALS),
            data_usd: Dist::new(DATA_USD_DECIMALS),
            exceed: [0; 3],
            loss_hist: vec![0; LOSS_BINS],
            day_hist: vec![0; days * PERF_BINS],
            day_sum_nano: vec![0; days],
            patterns: BTreeMap::new(),
            zero_lost: 0,
            max_lost_kg: 0,
            day_min_nano: vec![i128::MAX; days],
            day_max_nano: vec![i128::MIN; days],
        }
    }

    /// Adds `other` (exact and commutative).
    pub fn merge(&mut self, other: &Aggregates) {
        self.n += other.n;
        self.sum_lost_kg += other.sum_lost_kg;
        self.sumsq_lost_kg += other.sumsq_lost_kg;
        self.sum_resilience_micro += other.sum_resilience_micro;
        self.sum_unserved_micro_tb += other.sum_unserved_micro_tb;
        // Same constants on both sides: the precisions always match.
        self.outage_h.merge(&other.outage_h);
        self.data_usd.merge(&other.data_usd);
        for k in 0..3 {
            self.exceed[k] += other.exceed[k];
        }
        for (a, b) in self.loss_hist.iter_mut().zip(&other.loss_hist) {
            *a += b;
        }
        for (a, b) in self.day_hist.iter_mut().zip(&other.day_hist) {
            *a += b;
        }
        for (a, b) in self.day_sum_nano.iter_mut().zip(&other.day_sum_nano) {
            *a += b;
        }
        for (p, c) in &other.patterns {
            *self.patterns.entry(p.clone()).or_default() += c;
        }
        self.zero_lost += other.zero_lost;
        self.max_lost_kg = self.max_lost_kg.max(other.max_lost_kg);
        for (a, b) in self.day_min_nano.iter_mut().zip(&other.day_min_nano) {
            *a = (*a).min(*b);
        }
        for (a, b) in self.day_max_nano.iter_mut().zip(&other.day_max_nano) {
            *a = (*a).max(*b);
        }
    }
}

/// A replicate whose simulation failed (the solver's guard tripped on one of its days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("replicate {replicate}: {error}")]
pub struct ReplicateError {
    /// The replicate's index (its failure history is `corridor histories --from` this index).
    pub replicate: u64,
    /// The day and what the solver found.
    pub error: crate::engine::sim::SimError,
}

/// Simulates replicate `i` and scores it against `base`.
///
/// # Errors
/// [`ReplicateError`] when a day of the replicate cannot be solved.
pub fn run_replicate(
    net: &Network,
    sc: &Scenario,
    mc: &MonteCarlo,
    base: &SimResult,
    i: u64,
) -> Result<(Replicate, SimResult), ReplicateError> {
    let doy0 = sc.start.day_of_year0();
    let sampled = sample_replicate(net, mc, sc.horizon_days, doy0, i);
    let mut with_failures = sc.clone();
    with_failures.events.extend(sampled.events);
    let run = simulate(
        net,
        &with_failures,
        SimConfig {
            with_events: true,
            every_day: false,
            totals_only: true,
        },
    )
    .map_err(|error| ReplicateError {
        replicate: i,
        error,
    })?;
    let perf = performance(&run, base);
    let exported: f64 = run.days.iter().map(|d| d.exports_kt).sum();
    let baseline: f64 = base.days.iter().map(|d| d.exports_kt).sum();
    let (worst_day, worst_performance) = perf.iter().enumerate().fold(
        (0usize, f64::INFINITY),
        |b, (k, p)| if *p < b.1 { (k, *p) } else { b },
    );
    let rep = Replicate {
        index: i,
        lost_exports_mt: (baseline - exported) / 1000.0,
        resilience_loss_days: perf.iter().map(|p| (1.0 - p).max(0.0)).sum(),
        worst_day: worst_day as i64,
        worst_performance: if worst_performance.is_finite() {
            worst_performance
        } else {
            1.0
        },
        data_unserved_tb: run
            .days
            .iter()
            .map(|d| d.data_unserved_gbps() * 86_400.0 / 1000.0)
            .sum(),
        data_outage_hours: outage_hours(&run, Day::data_unserved_gbps),
        data_loss_usd: sc
            .economics
            .data_value
            .map(|v| data_usd(&v, &run, Day::data_unserved_gbps)),
        failures: sampled.pattern.join(" "),
        pattern: class_pattern(net, &sampled.assets),
    };
    Ok((rep, run))
}

fn add(agg: &mut Aggregates, rep: &Replicate, perf: &[f64], baseline_kt: f64) {
    agg.n += 1;
    let kg = (rep.lost_exports_mt * 1000.0 * KG_PER_KT).round() as i128;
    if kg <= 0 {
        agg.zero_lost += 1;
    }
    agg.max_lost_kg = agg.max_lost_kg.max(kg);
    agg.sum_lost_kg += kg;
    agg.sumsq_lost_kg += kg * kg;
    agg.sum_resilience_micro += (rep.resilience_loss_days * MICRO).round() as i128;
    agg.sum_unserved_micro_tb += (rep.data_unserved_tb * MICRO).round() as i128;
    agg.outage_h.add(rep.data_outage_hours);
    if let Some(usd) = rep.data_loss_usd {
        agg.data_usd.add(usd);
    }
    let frac = if baseline_kt > 0.0 {
        rep.lost_exports_mt * 1000.0 / baseline_kt
    } else {
        0.0
    };
    for (k, th) in [0.05, 0.10, 0.25].iter().enumerate() {
        if frac > *th {
            agg.exceed[k] += 1;
        }
    }
    let bin = ((frac / LOSS_BIN).floor().max(0.0) as usize).min(LOSS_BINS - 1);
    agg.loss_hist[bin] += 1;
    for (t, p) in perf.iter().enumerate() {
        let b = ((p / PERF_BIN).floor().max(0.0) as usize).min(PERF_BINS - 1);
        agg.day_hist[t * PERF_BINS + b] += 1;
        let nano = (p * NANO).round() as i128;
        agg.day_sum_nano[t] += nano;
        agg.day_min_nano[t] = agg.day_min_nano[t].min(nano);
        agg.day_max_nano[t] = agg.day_max_nano[t].max(nano);
    }
    *agg.patterns.entry(rep.pattern.clone()).or_default() += 1;
}

/// Runs replicates `range` in parallel and returns their rows (in index order) and their
/// aggregates. Callers stream over ranges of bounded size to keep memory flat.
///
/// # Errors
/// The failure of the lowest-indexed replicate that failed (the same whatever the threads).
pub fn run_range(
    net: &Network,
    sc: &Scenario,
    mc: &MonteCarlo,
    base: &SimResult,
    range: std::ops::Range<u64>,
    on_done: &(dyn Fn() + Sync),
) -> Result<(Vec<Replicate>, Aggregates), ReplicateError> {
    let baseline_kt: f64 = base.days.iter().map(|d| d.exports_kt).sum();
    let days = base.days.len();
    let results: Vec<Result<(Replicate, Vec<f64>), ReplicateError>> = range
        .into_par_iter()
        .map(|i| {
            let (rep, run) = run_replicate(net, sc, mc, base, i)?;
            on_done();
            let perf = performance(&run, base);
            Ok((rep, perf))
        })
        .collect();
    let results: Vec<(Replicate, Vec<f64>)> = results.into_iter().collect::<Result<_, _>>()?;
    // Accumulation is exact integer arithmetic, so the order does not matter; index order it is.
    let mut total = Aggregates::new(days);
    let mut rows = Vec::with_capacity(results.len());
    for (rep, perf) in results {
        add(&mut total, &rep, &perf, baseline_kt);
        rows.push(rep);
    }
    Ok((rows, total))
}

/// Summary statistics from aggregates. Loss figures in Mt; `baseline_mt` is the baseline's
/// annual exports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct McStats {
    /// Replicate-years.
    pub runs: u64,
    /// Baseline annual exports, Mt.
    pub baseline_exported_mt: f64,
    /// Mean annual lost exports, Mt.
    pub lost_mean_mt: f64,
    /// Its standard error, Mt.
    pub lost_se_mt: f64,
    /// 5th percentile of annual lost exports, Mt.
    pub lost_p5_mt: f64,
    /// Median, Mt.
    pub lost_p50_mt: f64,
    /// 95th percentile, Mt.
    pub lost_p95_mt: f64,
    /// Mean of the worst 5% of years, Mt.
    pub lost_cvar95_mt: f64,
    /// Probability of losing more than 5% of baseline exports in a year.
    ///
    /// # Units
    /// Probability, 0–1.
    pub p_loss_over_5pct: f64,
    /// The same above 10%.
    ///
    /// # Units
    /// Probability, 0–1.
    pub p_loss_over_10pct: f64,
    /// The same above 25%.
    ///
    /// # Units
    /// Probability, 0–1.
    pub p_loss_over_25pct: f64,
    /// Mean resilience loss, days per year.
    pub resilience_loss_mean_days: f64,
    /// Mean unserved data, Tb per year.
    pub data_unserved_mean_tb: f64,
    /// Data losses as hours of full national outage per year: mean, P95 and CVaR95, h.
    pub data_outage_hours: TailStats,
    /// Data losses valued, US$ per year (`None` when the data value is unset).
    pub data_loss_usd: Option<TailStats>,
}

/// Mean, 95th percentile and CVaR95 of a per-replicate quantity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TailStats {
    /// Mean over the replicates (exact sums).
    pub mean: f64,
    /// 95th percentile (exact, or within 0.1% where replicates differ by less: [`Dist`]).
    pub p95: f64,
    /// Mean of the worst 5% of replicates (the same precision).
    pub cvar95: f64,
}

impl TailStats {
    /// The tail statistics of a distribution.
    pub fn of(d: &Dist) -> Self {
        TailStats {
            mean: d.mean(),
            p95: d.quantile(0.95),
            cvar95: d.cvar95(),
        }
    }
}

/// The (value, count) pairs of a histogram of `n` replicates, lowest first: `zeros`
/// replicates at exactly 0, then each bin at its midpoint, bounded by the largest value seen
/// (`max`), so that a quantile is exact at zero and never beyond what was observed.
fn valued_bins(
    bins: impl Iterator<Item = (u64, u64)>,
    zeros: u64,
    max: f64,
    width: f64,
) -> Vec<(f64, u64)> {
    let mut out = vec![(0.0, zeros)];
    let mut left = zeros;
    for (b, c) in bins {
        // Bin 0 holds the zeros too.
        let c = if b == 0 {
            let z = left.min(c);
            left -= z;
            c - z
        } else {
            c
        };
        if c > 0 {
            out.push((((b as f64 + 0.5) * width).min(max.max(0.0)), c));
        }
    }
    out
}

/// The smallest bin whose cumulative count reaches ceil(q·n) (at least 1).
fn quantile(hist: &[u64], n: u64, q: f64) -> Option<u32> {
    quantile_bin(hist.iter().enumerate().map(|(b, c)| (b as u64, *c)), n, q).map(|b| b as u32)
}

/// The same over (bin, count) pairs in bin order (a dense or a sparse histogram).
fn quantile_bin(bins: impl Iterator<Item = (u64, u64)>, n: u64, q: f64) -> Option<u64> {
    if n == 0 {
        return None;
    }
    let target = ((q * n as f64).ceil() as u64).max(1);
    let mut cum = 0;
    for (b, c) in bins {
        cum += c;
        if cum >= target {
            return Some(b);
        }
    }
    None
}

impl Aggregates {
    /// Summary statistics against baseline annual exports `baseline_mt` (Mt).
    pub fn stats(&self, baseline_mt: f64) -> McStats {
        let n = self.n.max(1) as f64;
        let mean_kg = self.sum_lost_kg as f64 / n;
        let var_kg =
            ((self.sumsq_lost_kg as f64 / n) - mean_kg * mean_kg).max(0.0) * n / (n - 1.0).max(1.0);
        let to_mt = |kg: f64| kg / 1e9;
        let losses = valued_bins(
            self.loss_hist
                .iter()
                .enumerate()
                .map(|(b, c)| (b as u64, *c)),
            self.zero_lost,
            to_mt(self.max_lost_kg as f64),
            LOSS_BIN * baseline_mt,
        );
        let q = |p: f64| quantile_value(losses.iter().copied(), self.n, p);
        McStats {
            runs: self.n,
            baseline_exported_mt: baseline_mt,
            lost_mean_mt: to_mt(mean_kg),
            lost_se_mt: to_mt((var_kg / n).sqrt()),
            lost_p5_mt: q(0.05),
            lost_p50_mt: q(0.50),
            lost_p95_mt: q(0.95),
            lost_cvar95_mt: cvar95_of(losses.iter().rev().copied(), self.n),
            p_loss_over_5pct: self.exceed[0] as f64 / n,
            p_loss_over_10pct: self.exceed[1] as f64 / n,
            p_loss_over_25pct: self.exceed[2] as f64 / n,
            resilience_loss_mean_days: self.sum_resilience_micro as f64 / MICRO / n,
            data_unserved_mean_tb: self.sum_unserved_micro_tb as f64 / MICRO / n,
            data_outage_hours: TailStats::of(&self.outage_h),
            // Only when every replicate was valued (a scenario with a data value).
            data_loss_usd: (!self.data_usd.is_empty() && self.data_usd.len() == self.n)
                .then(|| TailStats::of(&self.data_usd)),
        }
    }

    /// Per-day (p5, p50, p95, mean) of performance.
    ///
    /// Each band is a bin midpoint bounded by the day's least and greatest performance, so a
    /// day every replicate served in full reads exactly 1, never 1.0005.
    pub fn daily_bands(&self) -> Vec<(f64, f64, f64, f64)> {
        self.day_hist
            .chunks(PERF_BINS)
            .zip(&self.day_sum_nano)
            .enumerate()
            .map(|(t, (h, s))| {
                let lo = self
                    .day_min_nano
                    .get(t)
                    .map_or(f64::MIN, |x| *x as f64 / NANO);
                let hi = self
                    .day_max_nano
                    .get(t)
                    .map_or(f64::MAX, |x| *x as f64 / NANO);
                let mid = |b: Option<u32>| {
                    b.map_or(1.0, |b| ((b as f64 + 0.5) * PERF_BIN).clamp(lo.min(hi), hi))
                };
                (
                    mid(quantile(h, self.n, 0.05)),
                    mid(quantile(h, self.n, 0.50)),
                    mid(quantile(h, self.n, 0.95)),
                    *s as f64 / NANO / self.n.max(1) as f64,
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replicate(lost_mt: f64, hours: f64) -> Replicate {
        Replicate {
            index: 0,
            lost_exports_mt: lost_mt,
            resilience_loss_days: 0.0,
            worst_day: 0,
            worst_performance: 1.0,
            data_unserved_tb: 0.0,
            data_outage_hours: hours,
            data_loss_usd: Some(hours * 1e6),
            failures: String::new(),
            pattern: String::new(),
        }
    }

    #[test]
    fn without_failures_every_statistic_is_exactly_zero_and_bands_exactly_one() {
        // 1,000 replicates that lost nothing on a 2-day horizon, baseline 78.7 Mt: before the
        // zero counts, P95 and CVaR95 read the midpoint of the first bin (0.5 × 0.01% × 78.7 =
        // 0.0039 Mt) and the bands 1.0005.
        let mut agg = Aggregates::new(2);
        for _ in 0..1000 {
            add(&mut agg, &replicate(0.0, 0.0), &[1.0, 1.0], 78_700.0);
        }
        let s = agg.stats(78.7);
        let data = s.data_loss_usd.unwrap();
        assert_eq!(
            [
                s.lost_mean_mt,
                s.lost_p5_mt,
                s.lost_p50_mt,
                s.lost_p95_mt,
                s.lost_cvar95_mt
            ],
            [0.0; 5]
        );
        assert_eq!(
            [s.data_outage_hours.p95, s.data_outage_hours.cvar95],
            [0.0; 2]
        );
        assert_eq!([data.p95, data.cvar95], [0.0; 2]);
        assert_eq!(agg.daily_bands(), vec![(1.0, 1.0, 1.0, 1.0); 2]);
    }

    #[test]
    fn quantiles_stay_within_the_observed_extremes() {
        // 960 replicates lose nothing and 40 lose 0.001 Mt each (inside the first 0.0079 Mt
        // bin): P95 is 0 (the 950th replicate lost nothing); CVaR95 is the mean of the worst 50
        // = (40 × 0.001 + 10 × 0) / 50 = 0.0008 Mt, not a bin midpoint of 0.0039 Mt.
        let mut agg = Aggregates::new(1);
        for k in 0..1000 {
            let lost = if k < 40 { 0.001 } else { 0.0 };
            add(&mut agg, &replicate(lost, 0.0), &[0.9995], 78_700.0);
        }
        let s = agg.stats(78.7);
        assert_eq!(s.lost_p95_mt, 0.0);
        assert!(
            (s.lost_cvar95_mt - 0.0008).abs() < 1e-12,
            "{}",
            s.lost_cvar95_mt
        );
        // Every day at 0.9995: the band reads the observation, not the bin midpoint 0.9995 …
        // and in any case never above it.
        assert!(agg.daily_bands()[0].1 <= 0.9995);
    }

    #[test]
    fn merged_extremes_equal_those_of_one_pass() {
        let mut one = Aggregates::new(1);
        let (mut a, mut b) = (Aggregates::new(1), Aggregates::new(1));
        for k in 0..10 {
            let r = replicate(k as f64 * 0.3, k as f64);
            let p = [1.0 - k as f64 * 0.01];
            add(&mut one, &r, &p, 78_700.0);
            add(if k < 4 { &mut a } else { &mut b }, &r, &p, 78_700.0);
        }
        a.merge(&b);
        assert_eq!(a, one);
    }
}
