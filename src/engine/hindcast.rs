//! The hindcast: a run's figures set against the figures reported for the same days.
//!
//! Each `[[reported]]` entry of a scenario names a [`Quantity`] over a window of days. The model
//! value is computed from the run (and its baseline, for lost exports):
//!
//! - `exports`: Σ over the window of the run's exports on the named routes (all exports when
//!   none is named), Mt;
//! - `lost_exports`: the same sum in the baseline less in the run, Mt;
//! - `share`: the named routes' exports over all exports in the window, fraction;
//! - `russia_share`: exports whose path touches Russia over all exports, fraction;
//! - `data_shutdown_hours`: Σ over the window of the share of data demand shutdowns held back
//!   × 24, h;
//! - `data_loss_value`: the traffic held back or not carried in the window valued at the
//!   scenario's data value, US$ million (0 when it is unset).
//!
//! A case passes when the model lies within its tolerance of the reported value: a relative band
//! (|model − reported| ≤ tolerance × reported) for Mt, hours and money, absolute share points
//! (|model − reported| ≤ tolerance) for shares.

use crate::model::{DataValue, Quantity, Reported};

use super::sim::{Day, SimResult};

/// One reported figure checked against the model.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// The model's value, in the quantity's unit (Mt, fraction, h or $m).
    pub model: f64,
    /// model / reported (`None` when the reported value is 0).
    pub ratio: Option<f64>,
    /// `Some(true)` within tolerance, `Some(false)` outside, `None` without a tolerance.
    pub pass: Option<bool>,
}

/// Σ over days `from..=to` of `f(day)`.
fn window_sum(run: &SimResult, from: i64, to: i64, f: impl Fn(&Day) -> f64) -> f64 {
    run.days
        .iter()
        .filter(|d| (from..=to).contains(&d.t))
        .map(f)
        .sum()
}

/// Σ over days `from..=to` of the exports on `routes` (all when empty), kt.
fn window_exports(run: &SimResult, routes: &[String], from: i64, to: i64) -> f64 {
    if routes.is_empty() {
        return window_sum(run, from, to, |d| d.exports_kt);
    }
    let ix: Vec<usize> = routes
        .iter()
        .filter_map(|r| run.routes.iter().position(|x| x == r))
        .collect();
    window_sum(run, from, to, |d| {
        ix.iter().map(|&i| d.route_exports_kt[i]).sum()
    })
}

/// The model's value of `rep` from a run and its baseline (both with route splits, i.e. not
/// `totals_only`), data losses valued at `value`.
pub fn model_value(
    rep: &Reported,
    run: &SimResult,
    base: &SimResult,
    value: Option<&DataValue>,
) -> f64 {
    let (f, t) = (rep.from, rep.to);
    let share = |num: f64, den: f64| if den > 0.0 { num / den } else { 0.0 };
    match rep.quantity {
        Quantity::Exports => window_exports(run, &rep.routes, f, t) / 1000.0,
        Quantity::LostExports => {
            (window_exports(base, &rep.routes, f, t) - window_exports(run, &rep.routes, f, t))
                / 1000.0
        }
        Quantity::Share => share(
            window_exports(run, &rep.routes, f, t),
            window_exports(run, &[], f, t),
        ),
        Quantity::RussiaShare => share(
            window_sum(run, f, t, |d| d.russia_exports_kt),
            window_exports(run, &[], f, t),
        ),
        Quantity::DataShutdownHours => window_sum(run, f, t, |d| {
            share(d.data_shutdown_gbps, d.data_demand_gbps) * 24.0
        }),
        Quantity::DataLossValue => {
            window_sum(run, f, t, |d| {
                value.map_or(0.0, |v| {
                    v.day_usd(
                        d.data_shutdown_gbps + d.data_unserved_gbps(),
                        d.data_demand_gbps,
                    )
                })
            }) / 1e6
        }
    }
}

/// Checks `rep` against a run and its baseline, data losses valued at `value`.
pub fn check(
    rep: &Reported,
    run: &SimResult,
    base: &SimResult,
    value: Option<&DataValue>,
) -> Check {
    let model = model_value(rep, run, base, value);
    let ratio = (rep.value != 0.0).then(|| model / rep.value);
    let pass = rep.tolerance.map(|tol| {
        let band = if rep.quantity.is_share() {
            tol
        } else {
            tol * rep.value
        };
        // A hair of slack for round-off in sums of daily flows.
        (model - rep.value).abs() <= band + 1e-9
    });
    Check { model, ratio, pass }
}
