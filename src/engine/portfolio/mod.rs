//! Choosing a portfolio of options: which combination of investments is best under a budget.
//!
//! Options interact (expanded berths make more tankers worth having; two bypasses of the same
//! bottleneck substitute for each other), so one-at-a-time rankings mislead. Every portfolio
//! (a set of options, the status quo being the empty set) is simulated on the same sampled
//! failures ([`super::compare::run_all`]), and this module scores them all from those
//! outcomes: its value under the objective, whether it is within the budget, whether it is on
//! the efficient frontier of cost against loss, and, for the best one, which others the paired
//! evidence does not separate from it and what each of its members adds given the others.
//!
//! # Measures
//!
//! A portfolio's annual loss in replicate `i`, US$: the crude not exported against the status
//! quo's event-free run, valued at the scenario's oil price, plus the data losses valued at its
//! data value. Avoided loss: the status quo's loss less the portfolio's, paired by replicate.
//!
//! # Objectives
//!
//! - `net`: mean avoided loss less the annual cost, US$/yr (higher is better);
//! - `mean`: mean annual loss, US$/yr (lower is better; the cost only has to fit the budget);
//! - `cvar95`: CVaR95 of the annual loss (the mean of the worst 5% of years), US$/yr (lower is
//!   better).
//!
//! # Statistics
//!
//! The best portfolio within the budget is the one with the best point estimate. A runner-up
//! is *not statistically worse* when the 95% interval of its paired difference from the best
//! reaches zero: mean ± 1.96 standard errors of the per-replicate differences for `net` and
//! `mean`, a seeded bootstrap of the replicate pairs for `cvar95`. Portfolios whose
//! per-replicate values equal the best's exactly are *tied*: the choice among them is the
//! cheapest, then the one with fewest options, then the first in enumeration order, and the
//! result says so rather than name a spurious winner.

pub mod robust;
pub mod search;
pub mod staging;

use super::compare::{Estimate, Outcome, cvar95, cvar95_change, estimate};
use super::sample::replicate_rng;
/// Most options the exhaustive search takes (2^12 = 4,096 portfolios).
pub const MAX_EXHAUSTIVE: usize = 12;

/// What the optimiser maximises or minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objective {
    /// Mean avoided loss less annual cost, US$/yr (maximised).
    Net,
    /// Mean annual loss, US$/yr (minimised).
    Mean,
    /// CVaR95 of the annual loss, US$/yr (minimised).
    Cvar95,
}

impl Objective {
    /// The name used on the command line and in tables.
    pub fn name(self) -> &'static str {
        match self {
            Objective::Net => "net",
            Objective::Mean => "mean",
            Objective::Cvar95 => "cvar95",
        }
    }

    /// A portfolio's value under the objective as reported, US$/yr: its net benefit, mean
    /// annual loss or CVaR95 of the annual loss.
    pub fn value(self, s: &Scored) -> f64 {
        match self {
            Objective::Net => s.net_usd,
            Objective::Mean => s.loss_usd.mean,
            Objective::Cvar95 => s.cvar95_usd,
        }
    }

    /// [`Self::value`] signed so that higher is better (losses negated).
    pub fn score(self, s: &Scored) -> f64 {
        match self {
            Objective::Net => self.value(s),
            Objective::Mean | Objective::Cvar95 => -self.value(s),
        }
    }
}

/// One candidate set of options.
#[derive(Debug, Clone, PartialEq)]
pub struct Portfolio {
    /// Indices of its options in the catalogue, ascending (empty: the status quo).
    pub members: Vec<usize>,
    /// Annual cost, the sum of its options' costs.
    ///
    /// # Units
    /// US$ per year.
    pub annual_cost_usd: f64,
}

/// Which options go together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rules {
    /// Pairs of options (indices) that no portfolio holds both of: alternatives.
    pub excluded: Vec<(usize, usize)>,
    /// Pairs `(a, b)`: a portfolio that holds `a` holds `b` too (a prerequisite).
    pub requires: Vec<(usize, usize)>,
}

impl Rules {
    /// Whether a portfolio of `members` keeps every rule.
    pub fn allows(&self, members: &[usize]) -> bool {
        let has = |k: usize| members.contains(&k);
        !self.excluded.iter().any(|&(a, b)| has(a) && has(b))
            && self.requires.iter().all(|&(a, b)| !has(a) || has(b))
    }

    /// `members` with option `k` and everything it needs, directly or not, ascending.
    pub fn with(&self, members: &[usize], k: usize) -> Vec<usize> {
        let mut out = members.to_vec();
        let mut todo = vec![k];
        while let Some(x) = todo.pop() {
            if !out.contains(&x) {
                out.push(x);
                todo.extend(self.requires.iter().filter(|r| r.0 == x).map(|r| r.1));
            }
        }
        out.sort_unstable();
        out
    }

    /// `members` without option `k` and whatever needs it, directly or not, ascending.
    pub fn without(&self, members: &[usize], k: usize) -> Vec<usize> {
        let mut gone = vec![k];
        let mut todo = vec![k];
        while let Some(x) = todo.pop() {
            for &(a, _) in self.requires.iter().filter(|r| r.1 == x) {
                if !gone.contains(&a) {
                    gone.push(a);
                    todo.push(a);
                }
            }
        }
        members
            .iter()
            .copied()
            .filter(|m| !gone.contains(m))
            .collect()
    }
}

/// A portfolio of `members` (ascending) of options costing `costs` (US$/yr each).
pub fn portfolio(members: Vec<usize>, costs: &[f64]) -> Portfolio {
    Portfolio {
        annual_cost_usd: members.iter().map(|&k| costs[k]).sum(),
        members,
    }
}

/// Every subset of the `costs.len()` options (US$/yr each) that `rules` allow, the status quo
/// first, then by size, and within a size in lexicographic order of the members: 2^n
/// portfolios without rules.
///
/// # Panics
/// When there are more than [`MAX_EXHAUSTIVE`] options (the caller refuses such a catalogue
/// first).
pub fn all_portfolios(costs: &[f64], rules: &Rules) -> Vec<Portfolio> {
    let n = costs.len();
    assert!(n <= MAX_EXHAUSTIVE, "at most {MAX_EXHAUSTIVE} options");
    let mut sets: Vec<Vec<usize>> = (0u32..1 << n)
        .map(|mask| (0..n).filter(|&k| mask & (1 << k) != 0).collect::<Vec<_>>())
        .filter(|m| rules.allows(m))
        .collect();
    sets.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    sets.into_iter().map(|m| portfolio(m, costs)).collect()
}

/// How the losses are valued: the status quo's event-free exports over the horizon, kt, and
/// US$ per Mt of crude.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Valuation {
    /// The reference exports (the status quo without events), kt.
    pub reference_kt: f64,
    /// Value of a megatonne of crude, US$ per Mt.
    pub usd_per_mt: f64,
}

impl Valuation {
    /// The annual loss of an outcome, US$: crude not exported plus the data losses.
    fn loss_usd(&self, o: &Outcome) -> f64 {
        (self.reference_kt - o.exports_kt) / 1000.0 * self.usd_per_mt + o.data_loss_usd
    }
}

/// One portfolio's scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// The portfolio.
    pub portfolio: Portfolio,
    /// Annual loss, mean and 95% interval, US$/yr.
    pub loss_usd: Estimate,
    /// CVaR95 of the annual loss, US$/yr.
    pub cvar95_usd: f64,
    /// Loss avoided against the status quo, paired, US$/yr.
    pub avoided_usd: Estimate,
    /// Annual lost exports, mean, Mt/yr.
    pub loss_mt: f64,
    /// Avoided loss less annual cost, US$/yr.
    pub net_usd: f64,
    /// Whether its annual cost is within the budget.
    pub within_budget: bool,
    /// Whether no other portfolio costs no more and loses no more on average (one of the two
    /// strictly): on the frontier of cost against mean loss.
    pub frontier_mean: bool,
    /// The same against CVaR95.
    pub frontier_cvar95: bool,
}

/// Another portfolio against the best, paired by replicate.
#[derive(Debug, Clone, PartialEq)]
pub struct Runner {
    /// Index into the scored portfolios.
    pub index: usize,
    /// How much better the best is under the objective, with its 95% interval (bootstrap for
    /// CVaR95), US$/yr. An interval reaching zero: not statistically worse.
    pub gap_usd: Estimate,
    /// Whether its per-replicate values equal the best's exactly.
    pub tied: bool,
}

/// What one member adds to the best portfolio given the others: the best against the best
/// without it.
#[derive(Debug, Clone, PartialEq)]
pub struct Marginal {
    /// Index of the option in the catalogue.
    pub option: usize,
    /// Members of the best that need it (`requires`), left out with it, ascending.
    pub dependents: Vec<usize>,
    /// Extra loss avoided, paired, US$/yr.
    pub avoided_usd: Estimate,
    /// Extra annual cost, US$/yr.
    pub cost_usd: f64,
    /// Extra avoided loss less extra cost, US$/yr.
    pub net_usd: f64,
    /// Change in CVaR95 of the annual loss (negative: the tail shrinks), US$/yr.
    pub cvar95_change_usd: f64,
}

/// The optimiser's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// Every portfolio scored, in the order given.
    pub scored: Vec<Scored>,
    /// Index of the best portfolio within the budget.
    pub best: usize,
    /// The other portfolios within the budget that the evidence does not separate from the
    /// best (ties first), ranked by their point estimate.
    pub runners_up: Vec<Runner>,
    /// What each member of the best adds given the others.
    pub marginals: Vec<Marginal>,
}

/// Scores every portfolio from `outcomes` (`[replicate][portfolio]`, the status quo at index
/// 0 of `portfolios`) and picks the best within `budget_usd` (US$/yr) under `objective`.
/// `seed` seeds the CVaR95 bootstrap. The marginal value of a member is the best against the
/// best without it and without whatever needs it under `rules`.
///
/// # Panics
/// When `portfolios` is empty or does not start with the status quo, or does not hold those
/// subsets of the best.
pub fn choose(
    portfolios: &[Portfolio],
    outcomes: &[Vec<Outcome>],
    value: Valuation,
    budget_usd: f64,
    objective: Objective,
    rules: &Rules,
    seed: u64,
) -> Choice {
    assert!(
        portfolios.first().is_some_and(|p| p.members.is_empty()),
        "the status quo comes first"
    );
    let losses: Vec<Vec<f64>> = (0..portfolios.len())
        .map(|p| losses(outcomes, p, value))
        .collect();
    let paired =
        |a: &[f64], b: &[f64]| -> Vec<f64> { a.iter().zip(b).map(|(x, y)| x - y).collect() };
    let mut scored: Vec<Scored> = portfolios
        .iter()
        .zip(&losses)
        .enumerate()
        .map(|(p, (pf, loss))| {
            let avoided = estimate(&paired(&losses[0], loss));
            Scored {
                portfolio: pf.clone(),
                loss_usd: estimate(loss),
                cvar95_usd: cvar95(loss),
                avoided_usd: avoided,
                loss_mt: outcomes
                    .iter()
                    .map(|o| (value.reference_kt - o[p].exports_kt) / 1000.0)
                    .sum::<f64>()
                    / outcomes.len().max(1) as f64,
                net_usd: avoided.mean - pf.annual_cost_usd,
                within_budget: pf.annual_cost_usd <= budget_usd,
                frontier_mean: false,
                frontier_cvar95: false,
            }
        })
        .collect();
    let on_mean = frontier(&scored, |s| s.loss_usd.mean);
    let on_cvar = frontier(&scored, |s| s.cvar95_usd);
    for ((s, m), c) in scored.iter_mut().zip(on_mean).zip(on_cvar) {
        s.frontier_mean = m;
        s.frontier_cvar95 = c;
    }
    let points: Vec<f64> = scored.iter().map(|s| objective.score(s)).collect();
    let ranked = ranking(portfolios, &points, budget_usd);
    // Exactly equal on every replicate (and in cost, for `net`): a tie.
    let same = |a: usize, b: usize| {
        losses[a] == losses[b]
            && (objective != Objective::Net
                || scored[a].portfolio.annual_cost_usd == scored[b].portfolio.annual_cost_usd)
    };
    let best = ranked[0];
    let mut rng = replicate_rng(seed ^ 0x0090_4f01, 0);
    let runners_up = ranked[1..]
        .iter()
        .map(|&q| {
            let gap = gap(
                objective,
                (&losses[q], scored[q].portfolio.annual_cost_usd),
                (&losses[best], scored[best].portfolio.annual_cost_usd),
                &mut rng,
            );
            Runner {
                index: q,
                gap_usd: gap,
                tied: same(q, best),
            }
        })
        .filter(|r| r.tied || r.gap_usd.lo <= 0.0)
        .collect();
    let marginals = scored[best]
        .portfolio
        .members
        .iter()
        .map(|&k| {
            let without = rules.without(&scored[best].portfolio.members, k);
            let q = portfolios
                .iter()
                .position(|p| p.members == without)
                .expect("every subset of the best is enumerated");
            let avoided = estimate(&paired(&losses[q], &losses[best]));
            let cost = scored[best].portfolio.annual_cost_usd - scored[q].portfolio.annual_cost_usd;
            Marginal {
                option: k,
                dependents: scored[best]
                    .portfolio
                    .members
                    .iter()
                    .copied()
                    .filter(|m| *m != k && !without.contains(m))
                    .collect(),
                avoided_usd: avoided,
                cost_usd: cost,
                net_usd: avoided.mean - cost,
                cvar95_change_usd: scored[best].cvar95_usd - scored[q].cvar95_usd,
            }
        })
        .collect();
    Choice {
        scored,
        best,
        runners_up,
        marginals,
    }
}

/// Portfolio `p`'s loss in each replicate of `outcomes` (`[replicate][portfolio]`), US$.
pub fn losses(outcomes: &[Vec<Outcome>], p: usize, value: Valuation) -> Vec<f64> {
    outcomes.iter().map(|o| value.loss_usd(&o[p])).collect()
}

/// The objective's point estimate (higher is better, US$/yr) of a portfolio costing
/// `cost_usd` (US$/yr) whose losses per replicate are `loss`, the status quo's `base` (US$):
/// the same number as [`Objective::score`] of its [`Scored`].
pub fn point(objective: Objective, base: &[f64], loss: &[f64], cost_usd: f64) -> f64 {
    match objective {
        Objective::Net => {
            let avoided: Vec<f64> = base.iter().zip(loss).map(|(a, b)| a - b).collect();
            estimate(&avoided).mean - cost_usd
        }
        Objective::Mean => -estimate(loss).mean,
        Objective::Cvar95 => -cvar95(loss),
    }
}

/// The portfolios within `budget_usd` (US$/yr; the status quo, index 0, when none is), best
/// first: by `points` (the objective's point estimates, higher is better), then the cheapest,
/// then the fewest options, then the first.
pub fn ranking(portfolios: &[Portfolio], points: &[f64], budget_usd: f64) -> Vec<usize> {
    let mut ranked: Vec<usize> = (0..portfolios.len())
        .filter(|&p| portfolios[p].annual_cost_usd <= budget_usd)
        .collect();
    if ranked.is_empty() {
        ranked.push(0);
    }
    ranked.sort_by(|&a, &b| {
        points[b]
            .total_cmp(&points[a])
            .then_with(|| {
                portfolios[a]
                    .annual_cost_usd
                    .total_cmp(&portfolios[b].annual_cost_usd)
            })
            .then_with(|| {
                portfolios[a]
                    .members
                    .len()
                    .cmp(&portfolios[b].members.len())
            })
            .then_with(|| a.cmp(&b))
    });
    ranked
}

/// How much better portfolio `b` is than `q` under `objective`, paired by replicate, each
/// given as (per-replicate losses, annual cost), with its 95% interval: mean ± 1.96 standard
/// errors for `net` and `mean`, a bootstrap drawn from `rng` for `cvar95`; US$/yr.
pub fn gap(
    objective: Objective,
    q: (&[f64], f64),
    b: (&[f64], f64),
    rng: &mut rand::rngs::ChaCha8Rng,
) -> Estimate {
    let paired =
        |x: &[f64], y: &[f64]| -> Vec<f64> { x.iter().zip(y).map(|(x, y)| x - y).collect() };
    match objective {
        Objective::Net => {
            let e = estimate(&paired(q.0, b.0));
            let dc = b.1 - q.1;
            Estimate {
                mean: e.mean - dc,
                lo: e.lo - dc,
                hi: e.hi - dc,
                se: e.se,
            }
        }
        Objective::Mean => estimate(&paired(q.0, b.0)),
        Objective::Cvar95 => cvar95_change(q.0, b.0, rng),
    }
}

/// Per portfolio: whether no other costs no more and has no more of `measure`, one of the two
/// strictly less (not dominated).
fn frontier(scored: &[Scored], measure: fn(&Scored) -> f64) -> Vec<bool> {
    scored
        .iter()
        .map(|p| {
            let (c, m) = (p.portfolio.annual_cost_usd, measure(p));
            !scored.iter().any(|q| {
                let (qc, qm) = (q.portfolio.annual_cost_usd, measure(q));
                qc <= c && qm <= m && (qc < c || qm < m)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    /// An outcome whose loss is `loss_usd` under [`VALUE`].
    pub(super) fn lost(loss_usd: f64) -> Outcome {
        Outcome {
            exports_kt: VALUE.reference_kt - loss_usd / VALUE.usd_per_mt * 1000.0,
            days_below_80pct: 0,
            data_unserved_tb: 0.0,
            data_outage_hours: 0.0,
            data_loss_usd: 0.0,
        }
    }

    /// 10,000 kt of reference exports at $600m a Mt ($80/bbl × 7.5 bbl/t).
    pub(super) const VALUE: Valuation = Valuation {
        reference_kt: 10_000.0,
        usd_per_mt: 600e6,
    };

    /// Berths A ($30m/yr) and tankers B ($30m/yr) are complements: each alone avoids nothing,
    /// together 0.3 Mt ($180m). Bypass C ($20m/yr) avoids 0.2 Mt ($120m) with or without one of
    /// them, and adds its 0.2 Mt to the pair's. The status quo loses 1 Mt ($600m).
    fn complements() -> (Vec<Portfolio>, Vec<Vec<Outcome>>) {
        let portfolios = all_portfolios(&[30e6, 30e6, 20e6], &Rules::default());
        let avoided = |p: &Portfolio| match p.members.as_slice() {
            [0, 1] => 180e6,
            [0, 1, 2] => 300e6,
            m if m.contains(&2) => 120e6,
            _ => 0.0,
        };
        let row = portfolios
            .iter()
            .map(|p| lost(600e6 - avoided(p)))
            .collect();
        (portfolios, vec![row])
    }

    fn members(c: &Choice, p: usize) -> Vec<usize> {
        c.scored[p].portfolio.members.clone()
    }

    #[test]
    fn portfolios_are_every_subset_smallest_first() {
        let p = all_portfolios(&[1.0, 2.0, 4.0], &Rules::default());
        let sets: Vec<Vec<usize>> = p.iter().map(|p| p.members.clone()).collect();
        assert_eq!(
            sets,
            vec![
                vec![],
                vec![0],
                vec![1],
                vec![2],
                vec![0, 1],
                vec![0, 2],
                vec![1, 2],
                vec![0, 1, 2]
            ]
        );
        let costs: Vec<f64> = p.iter().map(|p| p.annual_cost_usd).collect();
        assert_eq!(costs, vec![0.0, 1.0, 2.0, 4.0, 3.0, 5.0, 6.0, 7.0]);
        // Options 0 and 2 exclude each other: no portfolio holds both.
        let sets: Vec<Vec<usize>> = all_portfolios(
            &[1.0, 2.0, 4.0],
            &Rules {
                excluded: vec![(2, 0)],
                requires: vec![],
            },
        )
        .into_iter()
        .map(|p| p.members)
        .collect();
        assert_eq!(
            sets,
            vec![vec![], vec![0], vec![1], vec![2], vec![0, 1], vec![1, 2]]
        );
    }

    #[test]
    fn complements_win_where_the_budget_allows_the_pair_and_the_substitute_below() {
        // Net, by hand: A or B alone −$30m; C $100m; A+B $120m; A+C and B+C $70m; all three
        // $220m for $80m/yr.
        let (p, o) = complements();
        let pick = |budget: f64| {
            let c = choose(&p, &o, VALUE, budget, Objective::Net, &Rules::default(), 1);
            (members(&c, c.best), c.scored[c.best].net_usd)
        };
        assert_eq!(pick(60e6), (vec![0, 1], 120e6));
        assert_eq!(pick(59e6), (vec![2], 100e6));
        assert_eq!(pick(80e6), (vec![0, 1, 2], 220e6));
        assert_eq!(pick(0.0), (vec![], 0.0));
        // What each of the pair adds given the other: all of the pair's $180m, for $30m.
        let c = choose(&p, &o, VALUE, 60e6, Objective::Net, &Rules::default(), 1);
        let m: Vec<(usize, f64, f64, f64)> = c
            .marginals
            .iter()
            .map(|m| (m.option, m.avoided_usd.mean, m.cost_usd, m.net_usd))
            .collect();
        assert_eq!(m, vec![(0, 180e6, 30e6, 150e6), (1, 180e6, 30e6, 150e6)]);
        // One replicate, no noise: nothing else is within reach of the best.
        assert!(c.runners_up.is_empty());
        // Minimising the mean loss, every dollar of budget goes to avoiding loss: with $50m,
        // C (or A+C, B+C: the same loss; C is cheapest) beats the pair it cannot afford.
        let c = choose(&p, &o, VALUE, 50e6, Objective::Mean, &Rules::default(), 1);
        assert_eq!(members(&c, c.best), vec![2]);
        assert_eq!(c.scored[c.best].loss_usd.mean, 480e6);
        let tied: Vec<Vec<usize>> = c
            .runners_up
            .iter()
            .filter(|r| r.tied)
            .map(|r| members(&c, r.index))
            .collect();
        assert_eq!(tied, vec![vec![0, 2], vec![1, 2]]);
    }

    #[test]
    fn the_frontier_holds_the_portfolios_nothing_beats_on_both_cost_and_loss() {
        // Cost / loss, $m: SQ 0/600, A 30/600, B 30/600, C 20/480, A+B 60/420, A+C 50/480,
        // B+C 50/480, all 80/300: the frontier is SQ, C, A+B and all three.
        let (p, o) = complements();
        let c = choose(&p, &o, VALUE, 1e12, Objective::Net, &Rules::default(), 1);
        let on: Vec<Vec<usize>> = c
            .scored
            .iter()
            .filter(|s| s.frontier_mean)
            .map(|s| s.portfolio.members.clone())
            .collect();
        assert_eq!(on, vec![vec![], vec![2], vec![0, 1], vec![0, 1, 2]]);
        // No frontier point is dominated; every other point is.
        for s in &c.scored {
            let beaten = c.scored.iter().any(|q| {
                q.portfolio.annual_cost_usd <= s.portfolio.annual_cost_usd
                    && q.loss_usd.mean <= s.loss_usd.mean
                    && (q.portfolio.annual_cost_usd < s.portfolio.annual_cost_usd
                        || q.loss_usd.mean < s.loss_usd.mean)
            });
            assert_eq!(s.frontier_mean, !beaten);
        }
        // One replicate: CVaR95 is that year's loss, so the same frontier.
        assert!(
            c.scored
                .iter()
                .all(|s| s.frontier_cvar95 == s.frontier_mean)
        );
    }

    #[test]
    fn on_random_outcomes_the_frontier_is_exactly_the_non_dominated_and_the_best_is_the_max() {
        // 30 catalogues of 4 options with random costs and losses over 25 replicates.
        let mut rng = replicate_rng(77, 0);
        for case in 0..30 {
            let costs: Vec<f64> = (0..4)
                .map(|_| rng.random_range(0..5) as f64 * 10e6)
                .collect();
            let p = all_portfolios(&costs, &Rules::default());
            let o: Vec<Vec<Outcome>> = (0..25)
                .map(|_| {
                    p.iter()
                        .map(|_| lost(rng.random_range(0..8) as f64 * 50e6))
                        .collect()
                })
                .collect();
            let budget = rng.random_range(0..5) as f64 * 20e6;
            for objective in [Objective::Net, Objective::Mean, Objective::Cvar95] {
                let c = choose(&p, &o, VALUE, budget, objective, &Rules::default(), case);
                let top = c
                    .scored
                    .iter()
                    .filter(|s| s.within_budget)
                    .map(|s| objective.score(s))
                    .fold(f64::MIN, f64::max);
                assert_eq!(objective.score(&c.scored[c.best]), top, "case {case}");
                assert!(c.scored[c.best].within_budget);
                for s in &c.scored {
                    let beaten = |m: fn(&Scored) -> f64| {
                        c.scored.iter().any(|q| {
                            let (qc, sc) =
                                (q.portfolio.annual_cost_usd, s.portfolio.annual_cost_usd);
                            qc <= sc && m(q) <= m(s) && (qc < sc || m(q) < m(s))
                        })
                    };
                    assert_eq!(s.frontier_mean, !beaten(|x| x.loss_usd.mean));
                    assert_eq!(s.frontier_cvar95, !beaten(|x| x.cvar95_usd));
                }
            }
        }
    }

    #[test]
    fn identical_options_tie_rather_than_name_a_winner() {
        // D and E change the same thing for $10m/yr each and avoid $100m: {D} and {E} are
        // equal on every replicate; together they avoid no more.
        let p = all_portfolios(&[10e6, 10e6], &Rules::default());
        let o: Vec<Vec<Outcome>> = [600e6, 700e6, 500e6]
            .iter()
            .map(|sq| {
                p.iter()
                    .map(|p| {
                        lost(if p.members.is_empty() {
                            *sq
                        } else {
                            sq - 100e6
                        })
                    })
                    .collect()
            })
            .collect();
        let c = choose(&p, &o, VALUE, 100e6, Objective::Net, &Rules::default(), 1);
        assert_eq!(members(&c, c.best), vec![0]);
        assert_eq!(c.runners_up[0].index, 2);
        assert!(c.runners_up[0].tied);
        assert_eq!(c.runners_up[0].gap_usd.mean, 0.0);
        // Both together cost $10m more for nothing: $10m worse, exactly.
        assert!(c.runners_up.iter().all(|r| r.index != 3));
    }

    #[test]
    fn a_gap_the_paired_interval_does_not_support_keeps_the_runner_up() {
        // Losses ($) over four replicates: best P2 60 each year; P1 40, 100, 40, 100 (mean 70,
        // paired gap 10 ± 1.96 × 17.32: not separated); P3 90 each year (gap 30 ± 0).
        let losses = [
            [100.0, 40.0, 60.0, 90.0],
            [100.0, 100.0, 60.0, 90.0],
            [100.0, 40.0, 60.0, 90.0],
            [100.0, 100.0, 60.0, 90.0],
        ];
        let p = all_portfolios(&[1.0, 1.0], &Rules::default())
            .into_iter()
            .map(|mut p| {
                p.annual_cost_usd = 0.0;
                p
            })
            .collect::<Vec<_>>();
        // Portfolio order: SQ, {0}, {1}, {0, 1} (P1, P2, P3).
        let o: Vec<Vec<Outcome>> = losses
            .iter()
            .map(|row| row.iter().map(|l| lost(*l)).collect())
            .collect();
        let c = choose(&p, &o, VALUE, 0.0, Objective::Mean, &Rules::default(), 1);
        assert_eq!(c.best, 2);
        let r: Vec<(usize, f64)> = c
            .runners_up
            .iter()
            .map(|r| (r.index, r.gap_usd.mean))
            .collect();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].0, 1);
        assert!((r[0].1 - 10.0).abs() < 1e-6);
        let g = c.runners_up[0].gap_usd;
        assert!((g.se - 17.320_508).abs() < 1e-5 && g.lo < 0.0);
    }
}
