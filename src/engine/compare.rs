//! Options compared on the same failures (common random numbers).
//!
//! Replicate `i`'s failures are sampled once, on the status-quo network, and applied unchanged
//! to every variant: variants change capacities, never the draws. Each variant's loss in a
//! replicate is measured against one reference, the status quo's exports with no event, so
//! `avoided_i = loss_status_quo_i − loss_variant_i = exports_variant_i − exports_status_quo_i`.
//! Differences are paired by replicate; confidence intervals are mean ± 1.96 standard errors of
//! the paired differences (CVaR: a seeded bootstrap of the pairs).

use rand::RngExt;
use rand::rngs::ChaCha8Rng;
use rayon::prelude::*;

use super::indicators::{IndicatorError, layer_indicators};
use super::metrics::{data_usd, outage_hours, summarize};
use super::sample::{replicate_rng, sample_replicate};
use super::sim::{Day, SimConfig, SimError, SimResult, simulate};
use crate::model::{Layer, MonteCarlo, Network, Scenario, Variant};

/// Performance below this counts as a bad day.
pub const BAD_DAY: f64 = 0.8;
const Z95: f64 = 1.96;
const BOOTSTRAP: usize = 400;

/// One variant's outcome in one replicate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// Crude exported over the year, kt.
    pub exports_kt: f64,
    /// Days with exports below 80% of the reference.
    pub days_below_80pct: u32,
    /// Data traffic not served over the year, Tb.
    pub data_unserved_tb: f64,
    /// The data losses as hours of full national outage, h.
    pub data_outage_hours: f64,
    /// The data losses valued at the scenario's data value, US$ (0 when it is unset).
    pub data_loss_usd: f64,
}

/// An option of a comparison could not be simulated: the solver's guard tripped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompareError {
    /// A day of one replicate (or of the scenario's own events) of an option.
    #[error("option `{variant}`{}: {error}", replicate.map(|r| format!(", replicate {r}")).unwrap_or_default())]
    Run {
        /// The option's id.
        variant: String,
        /// The replicate, for a Monte Carlo comparison.
        replicate: Option<u64>,
        /// The day and what the solver found.
        error: SimError,
    },
    /// The network indicators of an option.
    #[error("option `{variant}`: {error}")]
    Indicators {
        /// The option's id.
        variant: String,
        /// The layer and what the solver found.
        error: IndicatorError,
    },
}

/// Simulates every variant on the same failures of replicates `range`: `[replicate][variant]`,
/// the replicates in order. Without a Monte Carlo part, there is one "replicate" whatever
/// `range` says: the scenario's own events. A replicate's outcomes depend on its index alone,
/// so the outcomes of a split range, put together, are those of the whole. `tick` is called
/// once per replicate done (from any thread), for a progress bar.
///
/// # Errors
/// The failure of the lowest-indexed replicate (then the first option) that failed.
pub fn run_all(
    sc: &Scenario,
    mc: Option<&MonteCarlo>,
    variants: &[Variant],
    range: std::ops::Range<u64>,
    reference: &SimResult,
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<Vec<Outcome>>, CompareError> {
    match variants.first() {
        Some(v) => run_all_sampled_on(&v.network, sc, mc, variants, range, reference, tick),
        None => Ok(Vec::new()),
    }
}

/// [`run_all`] with the failures sampled on `sampled` (the status quo's network) instead of
/// the first variant's: the same outcomes for each variant as [`run_all`] with the status quo
/// first, without simulating the status quo.
///
/// # Errors
/// As [`run_all`].
pub fn run_all_sampled_on(
    sampled: &Network,
    sc: &Scenario,
    mc: Option<&MonteCarlo>,
    variants: &[Variant],
    range: std::ops::Range<u64>,
    reference: &SimResult,
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<Vec<Outcome>>, CompareError> {
    let nets: Vec<&Network> = variants.iter().map(|v| &v.network).collect();
    let doy0 = sc.start.day_of_year0();
    let range = if mc.is_some() { range } else { 0..1 };
    let rows: Vec<Result<Vec<Outcome>, CompareError>> = range
        .into_par_iter()
        .map(|i| {
            let mut with = sc.clone();
            if let Some(mc) = mc {
                with.events
                    .extend(sample_replicate(sampled, mc, sc.horizon_days, doy0, i).events);
            }
            let outcomes: Vec<Outcome> = nets
                .iter()
                .zip(variants)
                .map(|(net, variant)| {
                    let run = simulate(
                        net,
                        &with,
                        SimConfig {
                            with_events: true,
                            every_day: false,
                            totals_only: true,
                        },
                    )
                    .map_err(|error| CompareError::Run {
                        variant: variant.id.clone(),
                        replicate: mc.map(|_| i),
                        error,
                    })?;
                    let bad = run
                        .days
                        .iter()
                        .zip(&reference.days)
                        .filter(|(d, r)| {
                            r.exports_kt > 0.0 && d.exports_kt / r.exports_kt < BAD_DAY
                        })
                        .count() as u32;
                    Ok(Outcome {
                        exports_kt: run.days.iter().map(|d| d.exports_kt).sum(),
                        days_below_80pct: bad,
                        data_unserved_tb: run
                            .days
                            .iter()
                            .map(|d| d.data_unserved_gbps() * 86.4)
                            .sum(),
                        data_outage_hours: outage_hours(&run, Day::data_unserved_gbps),
                        data_loss_usd: sc
                            .economics
                            .data_value
                            .map_or(0.0, |v| data_usd(&v, &run, Day::data_unserved_gbps)),
                    })
                })
                .collect::<Result<_, _>>()?;
            tick();
            Ok(outcomes)
        })
        .collect();
    rows.into_iter().collect()
}

/// What [`evaluate`] returns: the status quo's event-free reference run, every outcome
/// `[replicate][variant]`, and every variant's statistics.
pub type Evaluation = (SimResult, Vec<Vec<Outcome>>, Vec<VariantStats>);

/// The status quo's (`variants[0]`'s) event-free run on `sc`: the reference every option's
/// losses are measured against.
///
/// # Errors
/// [`CompareError`] when one of its days cannot be solved.
pub fn reference(sc: &Scenario, variants: &[Variant]) -> Result<SimResult, CompareError> {
    simulate(&variants[0].network, sc, SimConfig::BASELINE_TOTALS).map_err(|error| {
        CompareError::Run {
            variant: variants[0].id.clone(),
            replicate: None,
            error,
        }
    })
}

/// The whole comparison of `variants` (the status quo first) on `sc` over `runs` replicates
/// (the scenario's own events when it has no Monte Carlo part): the status quo's event-free
/// reference run, every outcome `[replicate][variant]`, and every variant's statistics.
/// `tick` is called once per replicate done.
///
/// # Errors
/// [`CompareError`] when a day of some option cannot be solved.
pub fn evaluate(
    sc: &Scenario,
    variants: &[Variant],
    runs: u64,
    tick: &(dyn Fn() + Sync),
) -> Result<Evaluation, CompareError> {
    let mc = sc.monte_carlo.as_ref();
    let reference = reference(sc, variants)?;
    let outcomes = run_all(sc, mc, variants, 0..runs, &reference, tick)?;
    let stats = compare(
        sc,
        variants,
        &outcomes,
        &reference,
        mc.map_or(0, |m| m.seed),
    )?;
    Ok((reference, outcomes, stats))
}

/// A mean with its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Estimate {
    /// Mean, in the unit of the quantity.
    ///
    /// # Units
    /// The unit of the estimated quantity (Mt/yr, US$/yr, a probability, days/yr or Tb/yr).
    pub mean: f64,
    /// Lower bound of the 95% interval.
    ///
    /// # Units
    /// As `mean`.
    pub lo: f64,
    /// Upper bound of the 95% interval.
    ///
    /// # Units
    /// As `mean`.
    pub hi: f64,
    /// Standard error of the mean.
    ///
    /// # Units
    /// As `mean`.
    pub se: f64,
}

/// Mean ± 1.96 standard errors of `x`.
pub fn estimate(x: &[f64]) -> Estimate {
    let n = x.len().max(1) as f64;
    let mean = x.iter().sum::<f64>() / n;
    let var = if x.len() > 1 {
        x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    let se = (var / n).sqrt();
    Estimate {
        mean: mean + 0.0,
        lo: mean - Z95 * se + 0.0,
        hi: mean + Z95 * se + 0.0,
        se,
    }
}

fn scale(e: Estimate, k: f64) -> Estimate {
    Estimate {
        mean: e.mean * k,
        lo: e.lo * k,
        hi: e.hi * k,
        se: e.se * k,
    }
}

/// CVaR95 (mean of the worst 5%) of `x`.
pub fn cvar95(x: &[f64]) -> f64 {
    let mut v = x.to_vec();
    v.sort_by(|a, b| b.total_cmp(a));
    let k = ((0.05 * v.len() as f64).ceil() as usize)
        .max(1)
        .min(v.len().max(1));
    v.iter().take(k).sum::<f64>() / k as f64
}

/// CVaR95 of `a` less CVaR95 of `b`, paired samples of one quantity, with a 95% interval from
/// [`BOOTSTRAP`] resamples of the pairs drawn from `rng` (the point alone for fewer than two
/// pairs; `se` is not estimated and stays 0).
pub fn cvar95_change(a: &[f64], b: &[f64], rng: &mut ChaCha8Rng) -> Estimate {
    let n = a.len();
    let mut boots = Vec::with_capacity(BOOTSTRAP);
    if n > 1 {
        for _ in 0..BOOTSTRAP {
            let idx: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
            let x: Vec<f64> = idx.iter().map(|&k| a[k]).collect();
            let y: Vec<f64> = idx.iter().map(|&k| b[k]).collect();
            boots.push(cvar95(&x) - cvar95(&y));
        }
        boots.sort_by(f64::total_cmp);
    }
    let point = cvar95(a) - cvar95(b);
    if boots.is_empty() {
        return Estimate {
            mean: point,
            lo: point,
            hi: point,
            se: 0.0,
        };
    }
    let q = |p: f64| boots[((p * (boots.len() - 1) as f64).round() as usize).min(boots.len() - 1)];
    Estimate {
        mean: point,
        lo: q(0.025),
        hi: q(0.975),
        se: 0.0,
    }
}

/// Paired comparison of one variant against the status quo.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct VariantStats {
    /// Variant id (file stem, or `a+b` for a composition).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Annualised cost, US$/yr.
    pub annual_cost_usd: f64,
    /// Replicate-years compared.
    pub runs: usize,
    /// Expected annual lost exports avoided, Mt and US$ (paired).
    pub avoided_mt: Estimate,
    /// The same in US$/yr.
    pub avoided_usd: Estimate,
    /// Standard error of the same difference if the samples were not paired.
    pub unpaired_se_mt: f64,
    /// Avoided loss minus annual cost, US$/yr.
    pub net_benefit_usd: f64,
    /// Avoided loss per year / annual cost, with its CI (None when the option costs nothing).
    ///
    /// # Units
    /// Ratio (US$/yr avoided per US$/yr spent).
    pub benefit_cost: Option<Estimate>,
    /// How many times more frequent disruptions must be for the option to pay for itself.
    ///
    /// # Units
    /// Multiple of the modelled disruption frequency (dimensionless).
    pub breakeven_frequency_multiple: Option<f64>,
    /// Change in CVaR95 of annual lost exports, Mt (bootstrap interval).
    pub cvar95_change_mt: Estimate,
    /// Change in the probability of losing more than 10% of baseline exports in a year.
    ///
    /// # Units
    /// Probability, −1…1.
    pub p_loss_over_10pct_change: Estimate,
    /// Change in days per year below 80% of reference exports.
    ///
    /// # Units
    /// Days per year.
    pub days_below_80pct_change: Estimate,
    /// Change in unserved data, Tb per year.
    pub data_unserved_change_tb: Estimate,
    /// Data losses avoided, hours of full national outage per year.
    pub data_avoided_hours: Estimate,
    /// Data losses avoided, valued at the scenario's data value, US$ per year (zero when the
    /// value is unset).
    pub data_avoided_usd: Estimate,
    /// Oil and data losses avoided together, US$ per year: the benefit that the net benefit
    /// and B/C use.
    pub total_avoided_usd: Estimate,
    /// Structural and flow indicators of the variant's network: export capacity left after
    /// its worst single-asset loss, Mt/yr.
    pub n_minus_1_mt: f64,
    /// Share of the variant's baseline exports that transit Russia, 0–1.
    ///
    /// # Units
    /// Fraction, 0–1.
    pub russia_share_flows: f64,
    /// Herfindahl–Hirschman index of the baseline export flows by route, 0–10,000.
    ///
    /// # Units
    /// Index, 0–10,000.
    pub hhi_flows: f64,
    /// Worst day's flow-weighted round-trip latency of the served data, ms.
    pub data_worst_latency_ms: f64,
    /// Probability that this option's net benefit beats each other option's, by id.
    ///
    /// # Units
    /// Probability, 0–1.
    pub p_beats: Vec<(String, f64)>,
}

/// Computes every variant's statistics from `outcomes` (`[replicate][variant]`); `variants[0]`
/// must be the status quo.
///
/// # Errors
/// [`CompareError`] when an option's event-free run or its indicators cannot be solved.
pub fn compare(
    sc: &Scenario,
    variants: &[Variant],
    outcomes: &[Vec<Outcome>],
    reference: &SimResult,
    seed: u64,
) -> Result<Vec<VariantStats>, CompareError> {
    let e_ref: f64 = reference.days.iter().map(|d| d.exports_kt).sum();
    let usd_per_mt = sc.economics.usd_per_mt();
    let loss = |v: usize| -> Vec<f64> {
        outcomes
            .iter()
            .map(|o| (e_ref - o[v].exports_kt) / 1000.0)
            .collect()
    };
    let loss_sq = loss(0);
    let n = outcomes.len();
    // Per replicate, what variant `v` avoids against the status quo: the other option's minus
    // its own value of `f`.
    let avoided = |v: usize, f: fn(&Outcome) -> f64| -> Vec<f64> {
        outcomes.iter().map(|o| f(&o[0]) - f(&o[v])).collect()
    };
    // Oil and data losses avoided together, US$, per replicate: the benefit of net benefit and
    // B/C.
    let total_avoided = |v: usize| -> Vec<f64> {
        loss_sq
            .iter()
            .zip(loss(v))
            .zip(avoided(v, |o| o.data_loss_usd))
            .map(|((a, b), d)| (a - b) * usd_per_mt + d)
            .collect()
    };
    let totals: Vec<Vec<f64>> = (0..variants.len()).map(total_avoided).collect();
    let nets: Vec<Vec<f64>> = totals
        .iter()
        .zip(variants)
        .map(|(t, var)| t.iter().map(|x| x - var.annual_cost_usd).collect())
        .collect();
    variants
        .iter()
        .enumerate()
        .map(|(v, variant)| {
            let (id, name, cost, net) = (
                &variant.id,
                &variant.name,
                &variant.annual_cost_usd,
                &variant.network,
            );
            let lv = loss(v);
            let diff: Vec<f64> = loss_sq.iter().zip(&lv).map(|(a, b)| a - b).collect();
            let avoided_mt = estimate(&diff);
            let avoided_usd = scale(avoided_mt, usd_per_mt);
            let var = |x: &[f64]| estimate(x).se.powi(2);
            let unpaired_se_mt = (var(&loss_sq) + var(&lv)).sqrt();
            // Bootstrap of the pairs for the change in CVaR95, seeded so it is reproducible.
            let mut rng = replicate_rng(seed ^ 0x00C0_FFEE, v as u64);
            let cvar95_change_mt = cvar95_change(&lv, &loss_sq, &mut rng);
            let over = |x: &[f64]| -> Vec<f64> {
                x.iter()
                    .map(|l| if *l * 1000.0 > 0.10 * e_ref { 1.0 } else { 0.0 })
                    .collect()
            };
            let (ov, osq) = (over(&lv), over(&loss_sq));
            let p10: Vec<f64> = ov.iter().zip(&osq).map(|(a, b)| a - b).collect();
            // Changes (the variant's value less the status quo's) are avoided amounts negated.
            let change = |f: fn(&Outcome) -> f64| -> Vec<f64> {
                outcomes.iter().map(|o| f(&o[v]) - f(&o[0])).collect()
            };
            let days = change(|o| o.days_below_80pct as f64);
            let data = change(|o| o.data_unserved_tb);
            let data_hours = avoided(v, |o| o.data_outage_hours);
            let data_usd = avoided(v, |o| o.data_loss_usd);
            let total_avoided_usd = estimate(&totals[v]);
            let benefit_cost = (*cost > 0.0).then(|| scale(total_avoided_usd, 1.0 / cost));
            let breakeven = (total_avoided_usd.mean > 0.0 && *cost > 0.0)
                .then(|| cost / total_avoided_usd.mean);
            // Structural and flow indicators of the variant, on its event-free run.
            let base = simulate(
                net,
                sc,
                SimConfig {
                    with_events: false,
                    every_day: false,
                    totals_only: false,
                },
            )
            .map_err(|error| CompareError::Run {
                variant: id.clone(),
                replicate: None,
                error,
            })?;
            let s = summarize(net, sc, &base, &base);
            let oil = layer_indicators(net, Layer::Oil, false).map_err(|error| {
                CompareError::Indicators {
                    variant: id.clone(),
                    error,
                }
            })?;
            let p_beats = variants
                .iter()
                .enumerate()
                .filter(|(w, _)| *w != v)
                .map(|(w, other)| {
                    let other = &other.id;
                    let wins = nets[v].iter().zip(&nets[w]).filter(|(a, b)| a > b).count();
                    (other.clone(), wins as f64 / n.max(1) as f64)
                })
                .collect();
            Ok(VariantStats {
                id: id.clone(),
                name: name.clone(),
                annual_cost_usd: *cost,
                runs: n,
                avoided_mt,
                avoided_usd,
                unpaired_se_mt,
                net_benefit_usd: total_avoided_usd.mean - cost,
                benefit_cost,
                breakeven_frequency_multiple: breakeven,
                cvar95_change_mt,
                p_loss_over_10pct_change: estimate(&p10),
                days_below_80pct_change: estimate(&days),
                data_unserved_change_tb: estimate(&data),
                data_avoided_hours: estimate(&data_hours),
                data_avoided_usd: estimate(&data_usd),
                total_avoided_usd,
                n_minus_1_mt: oil
                    .n_minus_1
                    .map_or(oil.max_capacity, |x| x.remaining_capacity),
                russia_share_flows: s.russia_transit_share,
                hhi_flows: s.hhi_flows,
                data_worst_latency_ms: s.data_peak_latency_ms,
                p_beats,
            })
        })
        .collect()
}

/// Variants ranked by net benefit (the status quo stays where its zero falls), ties by id.
pub fn ranked(stats: &[VariantStats]) -> Vec<&VariantStats> {
    let mut v: Vec<&VariantStats> = stats.iter().collect();
    v.sort_by(|a, b| {
        b.net_benefit_usd
            .total_cmp(&a.net_benefit_usd)
            .then_with(|| a.id.cmp(&b.id))
    });
    v
}

/// One case of the sensitivity analysis: the ranking with one assumption changed.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityCase {
    /// What was changed, e.g. `cost of kcts x0.5` or `all failure rates x2`.
    pub case: String,
    /// Variant ids ranked by net benefit.
    pub ranking: Vec<String>,
    /// Net benefit of the top-ranked option.
    ///
    /// # Units
    /// US$ per year.
    pub top_net_benefit_usd: f64,
    /// The option ranked first as estimated, whose net benefit every case also reports.
    pub reference: String,
    /// Net benefit of [`SensitivityCase::reference`] in this case.
    ///
    /// # Units
    /// US$ per year.
    pub reference_net_benefit_usd: f64,
}

fn case(name: String, reference: &str, stats: &[VariantStats]) -> SensitivityCase {
    let r = ranked(stats);
    SensitivityCase {
        case: name,
        ranking: r.iter().map(|s| s.id.clone()).collect(),
        top_net_benefit_usd: r.first().map_or(0.0, |s| s.net_benefit_usd),
        reference: reference.to_string(),
        reference_net_benefit_usd: stats
            .iter()
            .find(|s| s.id == reference)
            .map_or(0.0, |s| s.net_benefit_usd),
    }
}

/// The multiples of every failure rate that the sensitivity analysis re-runs a Monte Carlo
/// comparison with.
pub const RATE_FACTORS: [f64; 2] = [0.5, 2.0];

/// A multiple of every failure rate and the outcomes under it, `[replicate][variant]`.
pub type RateOutcomes = (f64, Vec<Vec<Outcome>>);

/// Re-ranks the options of a comparison: as estimated; with each costed option's cost halved
/// and doubled (from `stats`, no re-run); and, for each `(k, outcomes)` of `rates`, with every
/// failure rate multiplied by `k`: the outcomes of [`run_all`] on the same seeds and replicates
/// with [`MonteCarlo::with_rates_scaled`]`(k)` ([`rate_outcomes`]).
///
/// # Errors
/// [`CompareError`] when an option's event-free run or its indicators cannot be solved.
pub fn sensitivity(
    sc: &Scenario,
    seed: u64,
    variants: &[Variant],
    reference: &SimResult,
    stats: &[VariantStats],
    rates: &[RateOutcomes],
) -> Result<Vec<SensitivityCase>, CompareError> {
    let first = ranked(stats)
        .first()
        .map(|s| s.id.clone())
        .unwrap_or_default();
    let mut cases = vec![case("as estimated".into(), &first, stats)];
    for (i, v) in stats.iter().enumerate().skip(1) {
        if v.annual_cost_usd <= 0.0 {
            continue;
        }
        for k in [0.5, 2.0] {
            let mut alt = stats.to_vec();
            alt[i].annual_cost_usd *= k;
            alt[i].net_benefit_usd = alt[i].total_avoided_usd.mean - alt[i].annual_cost_usd;
            cases.push(case(format!("cost of {} x{k}", v.id), &first, &alt));
        }
    }
    for (k, outcomes) in rates {
        let alt = compare(sc, variants, outcomes, reference, seed)?;
        cases.push(case(format!("all failure rates x{k}"), &first, &alt));
    }
    Ok(cases)
}

/// The outcomes of replicates `range` with every failure rate of `mc` multiplied by each of
/// [`RATE_FACTORS`], as [`sensitivity`] takes them; none without a Monte Carlo part.
///
/// # Errors
/// [`CompareError`] when a day of some option cannot be solved.
pub fn rate_outcomes(
    sc: &Scenario,
    mc: Option<&MonteCarlo>,
    variants: &[Variant],
    range: std::ops::Range<u64>,
    reference: &SimResult,
) -> Result<Vec<RateOutcomes>, CompareError> {
    let Some(m) = mc else {
        return Ok(Vec::new());
    };
    RATE_FACTORS
        .iter()
        .map(|&k| {
            let scaled = m.with_rates_scaled(k);
            let outcomes = run_all(
                sc,
                Some(&scaled),
                variants,
                range.clone(),
                reference,
                &|| {},
            )?;
            Ok((k, outcomes))
        })
        .collect()
}
