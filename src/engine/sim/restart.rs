//! Field restart: output shut in because nothing could take it comes back after the field's
//! restart lag and ramp (`restart` on a field node), not the day the route reopens.
//!
//! # The rule
//!
//! Let `c(s)` be what the allocation shuts in of a field's output on day `s` when the field
//! offers its full output. Each kt/day of it comes back `lag` days after the last day it was
//! shut in, then ramps: on day `t` the field is held back by
//! `H(t) = max over earlier days s of c(s) × w(t − s)`, with `w(d) = 1` for `d ≤ lag` and
//! `w(lag + k) = 1 − k / ramp` (0 from `k = ramp`). A day with some `H(t) > 0` is first solved
//! at full output, which gives `c(t)`: where `c(t) ≥ H(t)` the cause is still there and the
//! hold changes nothing; elsewhere the field is held to its output less `H(t)` and the day is
//! solved again. So each layer of output returns `lag` days after the last day its cause was
//! there, however long that lasted, and more capacity never holds a field back longer. Output
//! held back is shut in: it counts in the day's curtailment, and production and mass balance
//! are unchanged. A field without restart data comes back at once.

use crate::model::Network;

/// Per field: its restart data and its recent shut-ins.
pub(super) struct Restart {
    /// Per node: lag and ramp days, for a field with restart data.
    params: Vec<Option<(i64, i64)>>,
    /// Per node: recent days with output shut in at full output, `(s, c(s))`, oldest first.
    shut_ins: Vec<Vec<(i64, f64)>>,
    /// The last day whose shut-ins are recorded.
    recorded: Option<i64>,
}

impl Restart {
    pub(super) fn new(net: &Network) -> Self {
        let params: Vec<Option<(i64, i64)>> = net
            .nodes
            .iter()
            .map(|n| {
                n.restart.as_ref().map(|r| {
                    (
                        r.lead_days.value.round().max(0.0) as i64,
                        r.ramp_days.value.round().max(0.0) as i64,
                    )
                })
            })
            .collect();
        Restart {
            shut_ins: vec![Vec::new(); params.len()],
            recorded: None,
            params,
        }
    }

    /// `H(t)` of field `i`, kt/day.
    fn due(&self, i: usize, t: i64) -> f64 {
        let Some((lag, ramp)) = self.params[i] else {
            return 0.0;
        };
        self.shut_ins[i]
            .iter()
            .filter(|(s, _)| *s < t)
            .map(|&(s, c)| {
                let k = t - s - lag;
                let w = if k <= 0 {
                    1.0
                } else if ramp <= 0 {
                    0.0
                } else {
                    (1.0 - k as f64 / ramp as f64).max(0.0)
                };
                c * w
            })
            .fold(0.0, f64::max)
    }

    /// Whether some field is held back on day `t`.
    pub(super) fn pending(&self, t: i64) -> bool {
        (0..self.params.len()).any(|i| self.due(i, t) > 0.0)
    }

    /// Day `t` solved at full output shut in `shut` (kt per node): records it as `c(t)`, and
    /// holds back, by taking it off `prod`, each field's `H(t)` where it exceeds `c(t)`.
    /// Returns the total held back, kt.
    pub(super) fn hold(&mut self, t: i64, shut: &[f64], prod: &mut [f64]) -> f64 {
        let mut total = 0.0;
        for i in 0..self.params.len() {
            let due = self.due(i, t);
            if shut[i] + 1e-9 < due {
                let h = due.min(prod[i]);
                prod[i] -= h;
                total += h;
            }
        }
        self.record(t, shut);
        total
    }

    /// After day `t`'s allocation at full output: records what it shut in (`shut`, kt per
    /// node) as `c(t)`, once a day, and forgets shut-ins whose ramp has run.
    pub(super) fn record(&mut self, t: i64, shut: &[f64]) {
        if self.recorded == Some(t) {
            return;
        }
        self.recorded = Some(t);
        for (i, p) in self.params.iter().enumerate() {
            let Some((lag, ramp)) = p else {
                continue;
            };
            let list = &mut self.shut_ins[i];
            list.retain(|(s, _)| t + 1 - s - lag < (*ramp).max(1));
            if shut[i] > 1e-9 {
                list.push((t, shut[i]));
            }
        }
    }
}
