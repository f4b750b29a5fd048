//! Partial files of a sharded `corridor compare`: each shard's per-replicate outcomes of every
//! option (and, with `--sensitivity`, under the scaled failure rates), which a merge puts
//! together into the outcomes of the whole comparison. Floats are written in JSON's shortest
//! round-trip form and read back to the bit, so the merged statistics (the bootstrap
//! included) are those of one process.

use serde::{Deserialize, Serialize};

use super::mc::{Manifest, PARTIAL_FORMAT, ShardHead, range_problem};
use crate::engine::compare::{Outcome, RATE_FACTORS, RateOutcomes};
use crate::model::Build;

/// The `kind` of a comparison's partial file (a run's partial has none).
pub const KIND: &str = "compare";

/// What the shards ran, so that a merge can load the same inputs again (and check, by their
/// SHA-256 in the manifest, that they are the same).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompareCommand {
    /// The scenario file, as an absolute path.
    pub scenario: String,
    /// The variants directory, as an absolute path.
    pub variants_dir: String,
    /// The options as given to `--variants` (`a+b` composes).
    pub variants: Vec<String>,
    /// Whether the sensitivity analysis (`--sensitivity`) was asked for.
    pub sensitivity: bool,
}

/// A comparison partial without its outcomes: what a merge checks across the shards first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareHead {
    /// Partial-file format version.
    pub format: u32,
    /// Always [`KIND`].
    pub kind: String,
    pub manifest: Manifest,
    pub command: CompareCommand,
    /// The options' ids, the status quo first, in the order of the outcomes.
    pub options: Vec<String>,
    /// 1-based shard number and shard count.
    pub shard: u64,
    pub shards: u64,
    /// Replicates `first..end` (0-based).
    pub first: u64,
    pub end: u64,
}

impl ShardHead for CompareHead {
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
        if self.kind != KIND {
            return Some(format!("kind `{}` is not `{KIND}`", self.kind));
        }
        if let Err(e) = crate::model::check_id(&self.manifest.scenario) {
            return Some(format!("scenario {e}"));
        }
        if self.options.first().map(String::as_str) != Some("status-quo") {
            return Some("its options do not start with the status quo".into());
        }
        range_problem(
            self.manifest.runs,
            (self.shard, self.shards),
            self.first..self.end,
        )
    }
    fn same_run(&self, other: &Self) -> bool {
        self.manifest == other.manifest
            && self.command == other.command
            && self.options == other.options
    }
}

/// One option's outcomes over a shard's replicates, a column per quantity.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Column {
    /// The option's id.
    pub option: String,
    /// Crude exported over the year, kt.
    pub exports_kt: Vec<f64>,
    /// Days with exports below 80% of the reference.
    pub days_below_80pct: Vec<u32>,
    /// Data traffic not served over the year, Tb.
    pub data_unserved_tb: Vec<f64>,
    /// The data losses as hours of full national outage, h.
    pub data_outage_hours: Vec<f64>,
    /// The data losses valued at the scenario's data value, US$.
    pub data_loss_usd: Vec<f64>,
}

/// The outcomes of a shard under every failure rate multiplied by `factor`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateColumns {
    /// The multiple of every failure rate.
    pub factor: f64,
    pub outcomes: Vec<Column>,
}

/// A comparison shard's partial file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparePartial {
    pub head: CompareHead,
    /// Every option's outcomes, in the order of `head.options`.
    pub outcomes: Vec<Column>,
    /// With `--sensitivity`: the outcomes under each of [`RATE_FACTORS`]; otherwise empty.
    pub rates: Vec<RateColumns>,
}

/// The head alone, read from a whole partial file (the outcomes are skipped, not kept).
#[derive(Debug, Clone, Deserialize)]
pub struct HeadOnly {
    pub head: CompareHead,
}

/// `[replicate][option]` outcomes as one column per option named by `options`.
pub fn columns(options: &[String], outcomes: &[Vec<Outcome>]) -> Vec<Column> {
    options
        .iter()
        .enumerate()
        .map(|(v, id)| {
            let of = |f: fn(&Outcome) -> f64| outcomes.iter().map(|o| f(&o[v])).collect();
            Column {
                option: id.clone(),
                exports_kt: of(|o| o.exports_kt),
                days_below_80pct: outcomes.iter().map(|o| o[v].days_below_80pct).collect(),
                data_unserved_tb: of(|o| o.data_unserved_tb),
                data_outage_hours: of(|o| o.data_outage_hours),
                data_loss_usd: of(|o| o.data_loss_usd),
            }
        })
        .collect()
}

/// Appends the replicates of `cols` (columns of the same length, checked by
/// [`problem`]) to `into`, `[replicate][option]`.
pub fn append_rows(cols: &[Column], into: &mut Vec<Vec<Outcome>>) {
    let n = cols.first().map_or(0, |c| c.exports_kt.len());
    into.extend((0..n).map(|i| {
        cols.iter()
            .map(|c| Outcome {
                exports_kt: c.exports_kt[i],
                days_below_80pct: c.days_below_80pct[i],
                data_unserved_tb: c.data_unserved_tb[i],
                data_outage_hours: c.data_outage_hours[i],
                data_loss_usd: c.data_loss_usd[i],
            })
            .collect()
    }));
}

/// The partial of shard `head` holding `outcomes` and, with sensitivity, `rates`.
pub fn partial(
    head: CompareHead,
    outcomes: &[Vec<Outcome>],
    rates: &[RateOutcomes],
) -> ComparePartial {
    let outcomes_cols = columns(&head.options, outcomes);
    let rates = rates
        .iter()
        .map(|(factor, o)| RateColumns {
            factor: *factor,
            outcomes: columns(&head.options, o),
        })
        .collect();
    ComparePartial {
        outcomes: outcomes_cols,
        rates,
        head,
    }
}

/// A new head of partial format [`PARTIAL_FORMAT`].
pub fn head(
    manifest: Manifest,
    command: CompareCommand,
    options: Vec<String>,
    (shard, shards): (u64, u64),
    range: std::ops::Range<u64>,
) -> CompareHead {
    CompareHead {
        format: PARTIAL_FORMAT,
        kind: KIND.into(),
        manifest,
        command,
        options,
        shard,
        shards,
        first: range.start,
        end: range.end,
    }
}

/// The structural problem of partial `p`, if any: its head's, then a column per option, each
/// of its replicates' length, with finite values; and the sensitivity's rates exactly when it
/// was asked for. A merge uses nothing of a partial before this passes.
pub fn problem(p: &ComparePartial) -> Option<String> {
    if let Some(e) = p.head.problem() {
        return Some(e);
    }
    let n = (p.head.end - p.head.first) as usize;
    // `at`: "" for the outcomes as estimated, " at failure rates xK" for the sensitivity's.
    let check = |at: &str, cols: &[Column]| -> Option<String> {
        let ids: Vec<&str> = cols.iter().map(|c| c.option.as_str()).collect();
        if ids
            != p.head
                .options
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
        {
            return Some(format!(
                "its outcomes{at} are of options {ids:?}, its head names {:?}",
                p.head.options
            ));
        }
        for c in cols {
            let lens = [
                c.exports_kt.len(),
                c.days_below_80pct.len(),
                c.data_unserved_tb.len(),
                c.data_outage_hours.len(),
                c.data_loss_usd.len(),
            ];
            if lens.iter().any(|l| *l != n) {
                return Some(format!(
                    "option `{}` has outcomes{at} of lengths {lens:?} for {n} replicates",
                    c.option
                ));
            }
            if [
                &c.exports_kt,
                &c.data_unserved_tb,
                &c.data_outage_hours,
                &c.data_loss_usd,
            ]
            .iter()
            .any(|v| v.iter().any(|x| !x.is_finite()))
            {
                return Some(format!(
                    "option `{}` has an outcome{at} that is not a finite number",
                    c.option
                ));
            }
        }
        None
    };
    if let Some(e) = check("", &p.outcomes) {
        return Some(e);
    }
    let factors: Vec<f64> = p.rates.iter().map(|r| r.factor).collect();
    let expected: &[f64] = if p.head.command.sensitivity {
        &RATE_FACTORS
    } else {
        &[]
    };
    if factors != expected {
        return Some(format!(
            "its failure-rate factors are {factors:?}, the comparison needs {expected:?}"
        ));
    }
    p.rates
        .iter()
        .find_map(|r| check(&format!(" at failure rates x{}", r.factor), &r.outcomes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(x: f64) -> Outcome {
        Outcome {
            exports_kt: x,
            days_below_80pct: x as u32,
            data_unserved_tb: x / 3.0,
            data_outage_hours: x / 7.0,
            data_loss_usd: x * 1e6 / 9.0,
        }
    }

    #[test]
    fn outcomes_survive_columns_and_json_to_the_bit() {
        let ids = vec!["status-quo".to_string(), "kcts".to_string()];
        let rows = vec![
            vec![o(0.1), o(-0.0)],
            vec![o(1e-300), o(71_234.567_890_123)],
        ];
        let cols = columns(&ids, &rows);
        let text = serde_json::to_string(&cols).unwrap_or_default();
        let back: Vec<Column> = serde_json::from_str(&text).unwrap_or_default();
        let mut again = Vec::new();
        append_rows(&back, &mut again);
        let bits = |r: &[Vec<Outcome>]| -> Vec<u64> {
            r.iter()
                .flatten()
                .flat_map(|o| {
                    [
                        o.exports_kt.to_bits(),
                        o.data_unserved_tb.to_bits(),
                        o.data_outage_hours.to_bits(),
                        o.data_loss_usd.to_bits(),
                        u64::from(o.days_below_80pct),
                    ]
                })
                .collect()
        };
        assert_eq!(bits(&again), bits(&rows));
        assert_eq!(again.len(), 2);
    }
}
