//! The hindcast: a run's figures set against the figures reported for the same days.
//!
//! Each `[[reported]]` entry of a scenario names a [`Quantity`] over a window of days. The model
//! value is computed from the run (and its baseline, for lost exports):
//!
//! - `exports`: Σ over the window of the run's exports on the named routes (all exports when
//!   none is named), Mt;
//! - `lost_exports`: the same sum in the baseline less in the run, Mt;
//! - `share`: the named routes' exports over all exports in the window, fraction;
//! - `russia_share`: exports whose path touches Russia over all exports, fraction.
//!
//! A case passes when the model lies within its tolerance of the reported value: a relative band
//! (|model − reported| ≤ tolerance × reported) for Mt quantities, absolute share points
//! (|model − reported| ≤ tolerance) for shares.

use crate::model::{Quantity, Reported};

use super::sim::{Day, SimResult};

/// One reported figure checked against the model.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// The model's value, in the quantity's unit (Mt or fraction).
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
/// `totals_only`).
pub fn model_value(rep: &Reported, run: &SimResult, base: &SimResult) -> f64 {
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
    }
}

/// Checks `rep` against a run and its baseline.
pub fn check(rep: &Reported, run: &SimResult, base: &SimResult) -> Check {
    let model = model_value(rep, run, base);
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
