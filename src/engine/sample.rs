//! Sampling one replicate-year of random failures.
//!
//! Replicate `i` draws from `ChaCha8Rng::seed_from_u64(seed)` on stream `i`, and from nothing
//! else, so a replicate's failures depend only on `(seed, i)` and the scenario.
//!
//! The failure clock starts a year before the horizon (a burn-in) so assets begin the horizon in
//! their long-run state. Everything is processed in time order in one discrete-event loop:
//!
//! - each (process, asset) pair is an alternating renewal process: up for an exponential time at
//!   its rate, then down until repaired;
//! - each common cause is a Poisson process (thinned to its season); an occurrence takes down
//!   every member that is up;
//! - every failed asset needs a repair from its class's crews; with all crews busy it queues
//!   (first come, first served; ties in asset order), so a second repair waits;
//! - each weather window happens in a year with its probability.
//!
//! Outages are continuous in time; on the daily grid, a day partly affected runs at the
//! capacity averaged over the day, except on data assets, which are down for the whole of each
//! day whose midpoint the outage covers (links with headroom would otherwise hide the hours
//! they are down).
//!
//! Same-time events are processed in a fixed order: by time, then kind (process before common
//! cause), then declaration order, then asset order.

use std::collections::BTreeMap;

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Exp, LogNormal};

use crate::model::{
    AssetClass, AssetRef, Effect, Event, Layer, MonteCarlo, Network, Repair, Window,
};

/// Days of failure history simulated before the horizon starts.
pub const BURN_IN_DAYS: f64 = 365.0;

/// The rng of replicate `i`.
pub fn replicate_rng(seed: u64, i: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(i);
    rng
}

fn draw_repair(r: &Repair, rng: &mut ChaCha8Rng) -> f64 {
    match r {
        Repair::Fixed(d) => *d,
        Repair::Exponential { mean } => {
            Exp::new(1.0 / mean.max(1e-9)).map_or(*mean, |e| e.sample(rng))
        }
        Repair::Lognormal { mean, sd } => {
            let s2 = (1.0 + (sd / mean).powi(2)).ln();
            LogNormal::new(mean.ln() - s2 / 2.0, s2.sqrt()).map_or(*mean, |d| d.sample(rng))
        }
        Repair::Empirical(v) => v[rng.random_range(0..v.len())],
    }
}

fn exp_time(rate: f64, rng: &mut ChaCha8Rng) -> f64 {
    if rate <= 0.0 {
        return f64::INFINITY;
    }
    Exp::new(rate).map_or(f64::INFINITY, |e| e.sample(rng))
}

fn in_season(t: f64, season: (u32, u32)) -> bool {
    let doy = (t.rem_euclid(365.0)).floor() as u32 + 1;
    let (a, b) = season;
    if a <= b {
        (a..=b).contains(&doy)
    } else {
        doy >= a || doy <= b
    }
}

fn season_fraction(season: (u32, u32)) -> f64 {
    let (a, b) = season;
    let days = if a <= b { b - a + 1 } else { 365 - a + 1 + b };
    days as f64 / 365.0
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Pending {
    Failure { process: usize, asset: usize },
    Common { cause: usize },
}

/// One sampled replicate.
#[derive(Debug, Clone, PartialEq)]
pub struct Sampled {
    /// Failure events within the horizon (day indexes from the scenario start).
    pub events: Vec<Event>,
    /// Ids of the assets that were down at some point in the horizon, sorted.
    pub pattern: Vec<String>,
    /// The same assets as indexes (nodes first, then links), sorted.
    pub assets: Vec<usize>,
}

/// Samples replicate `i` over `horizon_days`. `day_of_year0` is the day of the year (0-based)
/// of the scenario's first day, so seasons line up with the calendar.
pub fn sample_replicate(
    net: &Network,
    mc: &MonteCarlo,
    horizon_days: u32,
    day_of_year0: u32,
    i: u64,
) -> Sampled {
    let mut rng = replicate_rng(mc.seed, i);
    let horizon = horizon_days as f64;
    let t0 = -BURN_IN_DAYS;
    // Next event time of each pending clock, in a BTreeMap keyed for deterministic order.
    let mut clocks: Vec<(f64, Pending)> = Vec::new();
    for (p, proc_) in mc.processes.iter().enumerate() {
        for (k, _) in proc_.assets.iter().enumerate() {
            let t = t0 + exp_time(proc_.rate_per_day[k], &mut rng);
            clocks.push((
                t,
                Pending::Failure {
                    process: p,
                    asset: k,
                },
            ));
        }
    }
    for (c, cc) in mc.common_causes.iter().enumerate() {
        let intensity = cc.rate_per_day / cc.season.map_or(1.0, season_fraction);
        clocks.push((
            t0 + exp_time(intensity, &mut rng),
            Pending::Common { cause: c },
        ));
    }
    // Crew availability per class: the time each crew is next free.
    let mut crews: BTreeMap<AssetClass, Vec<f64>> = mc
        .crews
        .iter()
        .map(|(c, n)| (*c, vec![f64::NEG_INFINITY; *n as usize]))
        .collect();
    // When each asset is next up.
    let mut up_at: BTreeMap<AssetRef, f64> = BTreeMap::new();
    let mut outages: Vec<(String, AssetRef, f64, f64, f64)> = Vec::new();
    let doy = |t: f64| t + day_of_year0 as f64;

    let repair =
        |a: AssetRef, t: f64, dur: f64, crews: &mut BTreeMap<AssetClass, Vec<f64>>| -> f64 {
            match AssetClass::of(net, a).and_then(|c| crews.get_mut(&c)) {
                Some(pool) if !pool.is_empty() => {
                    // The crew free soonest; ties go to the lowest index.
                    let (k, free) =
                        pool.iter()
                            .enumerate()
                            .fold(
                                (0, f64::INFINITY),
                                |best, (k, f)| if *f < best.1 { (k, *f) } else { best },
                            );
                    let start = t.max(free);
                    pool[k] = start + dur;
                    start + dur
                }
                _ => t + dur,
            }
        };

    // The earliest clock each time; ties by position (processes first, in declaration order).
    while let Some((idx, &(t, what))) = clocks
        .iter()
        .enumerate()
        .filter(|(_, c)| c.0 < horizon)
        .min_by(|a, b| a.1.0.total_cmp(&b.1.0).then(a.0.cmp(&b.0)))
    {
        match what {
            Pending::Failure { process, asset } => {
                let p = &mc.processes[process];
                let a = p.assets[asset];
                let end = if up_at.get(&a).is_some_and(|u| *u > t) {
                    // Already down for another reason: this clock restarts when it is back.
                    up_at[&a]
                } else {
                    let dur = draw_repair(&p.repair, &mut rng);
                    let end = repair(a, t, dur, &mut crews);
                    up_at.insert(a, end);
                    outages.push((p.name.clone(), a, t, end, p.fraction));
                    end
                };
                clocks[idx].0 = end + exp_time(p.rate_per_day[asset], &mut rng);
            }
            Pending::Common { cause } => {
                let cc = &mc.common_causes[cause];
                if cc.season.is_none_or(|s| in_season(doy(t), s)) {
                    for a in &cc.assets {
                        if up_at.get(a).is_some_and(|u| *u > t) {
                            continue;
                        }
                        let dur = draw_repair(&cc.repair, &mut rng);
                        let end = repair(*a, t, dur, &mut crews);
                        up_at.insert(*a, end);
                        outages.push((cc.name.clone(), *a, t, end, cc.fraction));
                    }
                }
                let intensity = cc.rate_per_day / cc.season.map_or(1.0, season_fraction);
                clocks[idx].0 = t + exp_time(intensity, &mut rng);
            }
        }
    }

    let mut events = Vec::new();
    let mut hit: Vec<String> = Vec::new();
    for (name, a, start, end, fraction) in outages {
        let (s, e) = (start.max(0.0), end.min(horizon));
        if e <= s {
            continue;
        }
        let mut push = |from: i64, to: i64, f: f64| {
            events.push(Event {
                kind: "failure",
                name: format!("{name}: {}", net.asset_id(a)),
                window: Window {
                    start: from,
                    end: to,
                    recovery_days: 0,
                },
                effect: Effect::Capacity(vec![(a, f)]),
                source: String::new(),
            })
        };
        if asset_layer(net, a) == Layer::Data {
            // Data links have no storage and usually headroom, so a day's averaged capacity
            // would hide the hours they are down: a data asset is down for the whole of each
            // day whose midpoint the outage covers (unbiased in expectation over where in the
            // day the outage falls).
            let first = (s - 0.5).ceil() as i64;
            let last = (e - 0.5).ceil() as i64 - 1;
            if first > last {
                continue;
            }
            push(first, last, fraction);
        } else {
            // Whole days at `fraction`; a partly affected first or last day runs at the
            // capacity averaged over the day, so expected downtime is not rounded up.
            let first = s.floor() as i64;
            let last = e.ceil() as i64 - 1;
            let part = |portion: f64| 1.0 - (1.0 - fraction) * portion;
            if first == last {
                push(first, first, part(e - s));
            } else {
                push(first, first, part((first + 1) as f64 - s));
                if last > first + 1 {
                    push(first + 1, last - 1, fraction);
                }
                push(last, last, part(e - last as f64));
            }
        }
        hit.push(net.asset_id(a).to_string());
    }
    // Weather windows: one draw per window per calendar year the horizon touches.
    let years = ((day_of_year0 as f64 + horizon) / 365.0).ceil() as i64;
    for w in &mc.windows {
        for y in 0..years {
            if rng.random::<f64>() >= w.probability {
                continue;
            }
            let (a, b) = w.season;
            let start = y * 365 + a as i64 - 1 - day_of_year0 as i64;
            let len = if a <= b {
                (b - a + 1) as i64
            } else {
                (365 - a + 1 + b) as i64
            };
            let (s, e) = (start.max(0), (start + len - 1).min(horizon_days as i64 - 1));
            if s > e {
                continue;
            }
            events.push(Event {
                kind: "weather_window",
                name: w.name.clone(),
                window: Window {
                    start: s,
                    end: e,
                    recovery_days: 0,
                },
                effect: Effect::Capacity(w.assets.iter().map(|a| (*a, w.fraction)).collect()),
                source: String::new(),
            });
            hit.extend(w.assets.iter().map(|a| net.asset_id(*a).to_string()));
        }
    }
    hit.sort();
    hit.dedup();
    let mut assets: Vec<usize> = hit
        .iter()
        .filter_map(|id| net.asset(id))
        .map(|a| match a {
            AssetRef::Node(n) => n.0,
            AssetRef::Link(l) => net.nodes.len() + l.0,
        })
        .collect();
    assets.sort_unstable();
    Sampled {
        events,
        pattern: hit,
        assets,
    }
}

/// The layer an asset belongs to.
fn asset_layer(net: &Network, a: AssetRef) -> Layer {
    match a {
        AssetRef::Node(n) => net.node(n).layer(),
        AssetRef::Link(l) => net.link(l).layer(),
    }
}
