//! A bounded, mergeable distribution of per-replicate values: what the Monte Carlo keeps of a
//! quantity (data outage hours, valued data losses, the loss curves of the charts) so that its
//! memory does not grow with the number of replicates.
//!
//! Values are held as whole quanta of the precision they are written at (`10^-decimals`), so
//! sums are exact integers and merging is exact and commutative. Quanta are grouped into bins
//! that are exact below `2^SUB_BITS` quanta (one bin per value) and log-linear above it, each
//! `1/2^(SUB_BITS-1)` (about 0.1%) of its value wide, as in HdrHistogram: at most about 2,000
//! bins per binary order of magnitude, whatever the number of replicates. Each bin keeps its
//! count, least and greatest value and exact sum, so a quantile is exact wherever a bin holds
//! one value (always at zero and below 0.2048 in the units at four decimals) and within 0.1%
//! elsewhere, and never outside what was observed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Quanta below `2^SUB_BITS` have a bin each.
const SUB_BITS: u32 = 11;
/// Bins per binary order of magnitude above that.
const HALF: i64 = 1 << (SUB_BITS - 1);

/// One bin: how many values fell in it, the least and greatest, and their sum (quanta).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bin {
    /// Values in the bin.
    pub count: u64,
    /// The least value, quanta.
    pub min: i64,
    /// The greatest value, quanta.
    pub max: i64,
    /// Σ values, quanta.
    pub sum: i128,
}

/// A distribution of values at `decimals` decimals (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dist {
    /// The precision values are held at: quanta of `10^-decimals`.
    pub decimals: u32,
    /// Values added.
    pub n: u64,
    /// Bins by key (ascending keys are ascending values).
    pub bins: BTreeMap<i64, Bin>,
}

/// The bin of `q` quanta: `q` itself below `2^SUB_BITS` in magnitude; above, the top
/// `SUB_BITS` bits of `q` with its binary exponent, so keys grow with values.
fn key(q: i64) -> i64 {
    let m = q.unsigned_abs();
    let k = if m < (1 << SUB_BITS) {
        m as i64
    } else {
        let shift = (64 - m.leading_zeros()) - SUB_BITS;
        // m >> shift is in [HALF, 2·HALF): shift s gives keys [(s+1)·HALF, (s+2)·HALF).
        i64::from(shift) * HALF + (m >> shift) as i64
    };
    if q < 0 { -k } else { k }
}

impl Dist {
    /// An empty distribution of values at `decimals` decimals (at most 12).
    pub fn new(decimals: u32) -> Self {
        Dist {
            decimals: decimals.min(12),
            n: 0,
            bins: BTreeMap::new(),
        }
    }

    fn scale(&self) -> f64 {
        10f64.powi(self.decimals as i32)
    }

    /// `x` in quanta: rounded to the precision, saturating at the ends of `i64`, NaN as 0.
    fn quanta(&self, x: f64) -> i64 {
        (x * self.scale()).round() as i64
    }

    /// Adds one value.
    pub fn add(&mut self, x: f64) {
        let q = self.quanta(x);
        self.n += 1;
        self.bins
            .entry(key(q))
            .and_modify(|b| {
                b.count += 1;
                b.min = b.min.min(q);
                b.max = b.max.max(q);
                b.sum += i128::from(q);
            })
            .or_insert(Bin {
                count: 1,
                min: q,
                max: q,
                sum: i128::from(q),
            });
    }

    /// Adds every value of `other` (exact and commutative). Distributions of different
    /// precisions do not merge: `other` is left out and `false` returned.
    pub fn merge(&mut self, other: &Dist) -> bool {
        if other.decimals != self.decimals {
            return false;
        }
        self.n += other.n;
        for (k, o) in &other.bins {
            self.bins
                .entry(*k)
                .and_modify(|b| {
                    b.count += o.count;
                    b.min = b.min.min(o.min);
                    b.max = b.max.max(o.max);
                    b.sum += o.sum;
                })
                .or_insert(*o);
        }
        true
    }

    /// Why this cannot be a distribution of values at `decimals` decimals built by
    /// [`Dist::add`] (a file's data, checked before use); `None` when it can.
    pub fn problem(&self, decimals: u32) -> Option<String> {
        if self.decimals != decimals {
            return Some(format!(
                "values at {} decimals where this corridor keeps {decimals}",
                self.decimals
            ));
        }
        let mut total: u64 = 0;
        for (k, b) in &self.bins {
            let consistent = b.count > 0
                && b.min <= b.max
                && key(b.min) == *k
                && key(b.max) == *k
                && b.sum >= i128::from(b.min) * i128::from(b.count)
                && b.sum <= i128::from(b.max) * i128::from(b.count);
            if !consistent {
                return Some(format!("an inconsistent bin {k}"));
            }
            let Some(t) = total.checked_add(b.count) else {
                return Some("bin counts beyond any run".into());
            };
            total = t;
        }
        (total != self.n).then(|| format!("bins counting {total} values for {}", self.n))
    }

    fn value(&self, q: f64) -> f64 {
        q / self.scale()
    }

    /// The mean (exact), 0 when empty.
    pub fn mean(&self) -> f64 {
        let sum: i128 = self.bins.values().map(|b| b.sum).sum();
        self.value(sum as f64) / self.n.max(1) as f64
    }

    /// The least value added (0 when empty).
    pub fn min(&self) -> f64 {
        self.bins
            .values()
            .next()
            .map_or(0.0, |b| self.value(b.min as f64))
    }

    /// The greatest value added (0 when empty).
    pub fn max(&self) -> f64 {
        self.bins
            .values()
            .next_back()
            .map_or(0.0, |b| self.value(b.max as f64))
    }

    /// How many values were added.
    pub fn len(&self) -> u64 {
        self.n
    }

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The value a bin stands for: its value when it holds one, else the mean of its values
    /// (within the bin, so within 0.1% of any of them).
    fn representative(&self, b: &Bin) -> f64 {
        if b.min == b.max {
            self.value(b.min as f64)
        } else {
            self.value(b.sum as f64 / b.count as f64)
        }
    }

    /// (representative value, count) of each bin, lowest first.
    fn pairs(&self) -> impl DoubleEndedIterator<Item = (f64, u64)> + '_ {
        self.bins
            .values()
            .map(|b| (self.representative(b), b.count))
    }

    /// The `p` quantile: the value of rank `ceil(p·n)` (at least the first), 0 when empty.
    pub fn quantile(&self, p: f64) -> f64 {
        quantile_value(self.pairs(), self.n, p)
    }

    /// The mean of the worst `ceil(5%·n)` values (at least one), 0 when empty: exact (to
    /// rounding) except in the one bin the tail cuts, which counts at its mean.
    pub fn cvar95(&self) -> f64 {
        cvar95_of(self.pairs().rev(), self.n)
    }

    /// The exceedance curve as steps: (x, share of values at least x) at the least value of
    /// each bin, where it is exact; ties share the chance of the first of them.
    pub fn exceedance(&self) -> Vec<(f64, f64)> {
        let n = self.n as f64;
        let mut pts = Vec::with_capacity(2 * self.bins.len());
        let mut above = self.n;
        for b in self.bins.values() {
            let x = self.value(b.min as f64);
            let p = above as f64 / n;
            if let Some(&(_, prev)) = pts.last() {
                pts.push((x, prev));
            }
            pts.push((x, p));
            above -= b.count;
        }
        pts
    }
}

/// The `q` quantile of (value, count) pairs lowest first, over `n` replicates (0 for none).
pub fn quantile_value(bins: impl IntoIterator<Item = (f64, u64)>, n: u64, q: f64) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let target = ((q * n as f64).ceil() as u64).max(1);
    let (mut cum, mut last) = (0, 0.0);
    for (x, c) in bins {
        cum += c;
        if cum >= target {
            return x;
        }
        last = x;
    }
    last
}

/// CVaR95, the mean of the worst 5% of `n` replicates (at least one), from histogram bins
/// given worst first as (value, count); 0 without replicates.
pub fn cvar95_of(worst_first: impl Iterator<Item = (f64, u64)>, n: u64) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let tail = ((0.05 * n as f64).ceil() as u64).max(1);
    let (mut left, mut acc) = (tail, 0.0);
    for (x, c) in worst_first {
        let take = c.min(left);
        acc += take as f64 * x;
        left -= take;
        if left == 0 {
            break;
        }
    }
    acc / (tail - left) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_grow_with_values_and_bins_are_a_thousandth_wide() {
        let qs = [
            i64::MIN + 1,
            -5_000_000,
            -2048,
            -2047,
            -1,
            0,
            1,
            2047,
            2048,
            2049,
            2050,
            4095,
            4096,
            1 << 40,
            i64::MAX,
        ];
        for w in qs.windows(2) {
            assert!(key(w[0]) <= key(w[1]), "{} {}", w[0], w[1]);
        }
        // Exact below 2048; 2048 and 2049 share a bin of width 2; 4096.. bins of width 4.
        assert_eq!(key(2047), 2047);
        assert_eq!(key(2048), key(2049));
        assert_ne!(key(2049), key(2050));
        assert_eq!(key(4096), key(4099));
        assert_ne!(key(4099), key(4100));
        // Distinct keys of all i64 magnitudes: bounded by 64 octaves × 1,024.
        assert!(key(i64::MAX) < 64 * HALF + 2 * HALF);
    }

    #[test]
    fn statistics_of_a_hand_sample() {
        // 20 values: 0 (×10), 1.5, 2.5 … 10.5 at four decimals. Mean = Σ/20 = 60/20 = 3.
        let mut d = Dist::new(4);
        for _ in 0..10 {
            d.add(0.0);
        }
        for k in 0..10 {
            d.add(1.5 + k as f64);
        }
        assert_eq!(d.len(), 20);
        assert_eq!(d.mean(), 3.0);
        assert_eq!(d.quantile(0.5), 0.0);
        // Rank ceil(0.55 × 20) = 11: the first non-zero value.
        assert_eq!(d.quantile(0.55), 1.5);
        // Rank 19 of 20 is 9.5; the worst ceil(1) = 1 value is 10.5.
        assert_eq!(d.quantile(0.95), 9.5);
        assert_eq!(d.cvar95(), 10.5);
        assert_eq!((d.min(), d.max()), (0.0, 10.5));
        let e = d.exceedance();
        assert_eq!(e[0], (0.0, 1.0));
        assert_eq!(e[1], (1.5, 1.0));
        assert_eq!(e[2], (1.5, 0.5));
        assert_eq!(*e.last().unwrap(), (10.5, 0.05));
    }

    #[test]
    fn a_shared_bin_reads_its_mean_within_a_thousandth() {
        // 1.0000 and 1.0003 h (10,000 and 10,003 quanta) share a bin 8 quanta wide.
        let mut d = Dist::new(4);
        d.add(1.0);
        d.add(1.0003);
        assert_eq!(d.bins.len(), 1);
        assert_eq!(d.quantile(0.5), 1.00015);
        assert_eq!(d.cvar95(), 1.00015);
        assert_eq!(d.mean(), 1.00015);
    }

    #[test]
    fn merging_equals_one_pass_and_memory_is_bounded() {
        let mut one = Dist::new(4);
        let (mut a, mut b) = (Dist::new(4), Dist::new(4));
        for k in 0..200_000u64 {
            // Values spread over 0–8,760 h: a million distinct values at four decimals.
            let x = (k * 7_919 % 87_600_000) as f64 / 1e4;
            one.add(x);
            if k % 3 == 0 { &mut a } else { &mut b }.add(x);
        }
        assert!(a.merge(&b));
        assert_eq!(a, one);
        // At most 2,048 exact bins and 1,024 per octave above: 26 bits → 17 octaves.
        assert!(one.bins.len() <= 2048 + 17 * 1024, "{}", one.bins.len());
        assert!(!one.merge(&Dist::new(2)));
    }

    #[test]
    fn empty_and_hostile_values() {
        let mut d = Dist::new(4);
        assert_eq!(
            [d.mean(), d.quantile(0.95), d.cvar95(), d.min(), d.max()],
            [0.0; 5]
        );
        assert!(d.exceedance().is_empty());
        d.add(f64::NAN);
        d.add(f64::INFINITY);
        d.add(-1e300);
        assert_eq!(d.len(), 3);
        assert_eq!(d.quantile(0.5), 0.0);
        assert!(d.max() > 9e14 && d.min() < -9e14);
    }
}
