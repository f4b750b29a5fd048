//! A search for the best portfolio of a catalogue too large to enumerate.
//!
//! A local search on the paired estimates, which simulates portfolios only as it needs them.
//! Its neighbourhood of a portfolio: each option added (with what it needs), each member
//! dropped (with what needs it), and each member swapped for a non-member; the ones that keep
//! the rules and fit the budget are simulated in one batch on the same replicates as every
//! other portfolio.
//!
//! It does not stop on a difference the Monte Carlo cannot support: it expands the best
//! portfolio found so far *and every portfolio the paired 95% interval does not separate from
//! it* (the statistical beam), best first. When no such portfolio is left unexpanded, it adds
//! every pair of options to the best once, so that two complements that avoid nothing alone
//! are found together; it stops when that brings no new portfolio into the beam. Last, it
//! simulates the best's subsets that its marginal values need.
//!
//! The answer is exact on the portfolios simulated: [`super::choose`] on them gives the same
//! best as on every portfolio when the search reaches it. The test
//! `the_search_finds_the_exhaustive_best_on_the_shipped_catalogue` (tests/optimise.rs) checks
//! that on the shipped catalogue.

use std::collections::{BTreeMap, BTreeSet};

use super::{Objective, Portfolio, Rules, Valuation, gap, losses, point, portfolio, ranking};
use crate::engine::compare::Outcome;
use crate::engine::sample::replicate_rng;

/// The portfolios simulated so far and their outcomes, shared by searches at several budgets.
#[derive(Debug, Clone, Default)]
pub struct Explored {
    /// The portfolios in the order simulated (the status quo first once any is).
    pub portfolios: Vec<Portfolio>,
    /// Their outcomes, `[replicate][portfolio]`.
    pub outcomes: Vec<Vec<Outcome>>,
    index: BTreeMap<Vec<usize>, usize>,
}

impl Explored {
    /// Index of the portfolio of `members` (ascending), if simulated.
    pub fn position(&self, members: &[usize]) -> Option<usize> {
        self.index.get(members).copied()
    }

    /// Simulates the portfolios of `wanted` not simulated yet, in one call of `eval` (which
    /// returns `[replicate][portfolio]` for the portfolios it is given); returns how many
    /// were new.
    ///
    /// # Errors
    /// What `eval` returns.
    pub fn ensure<E>(&mut self, wanted: &[Portfolio], eval: &mut Eval<'_, E>) -> Result<usize, E> {
        let mut fresh: Vec<Portfolio> = Vec::new();
        for p in wanted {
            if self.position(&p.members).is_none() && !fresh.iter().any(|f| f.members == p.members)
            {
                fresh.push(p.clone());
            }
        }
        if fresh.is_empty() {
            return Ok(0);
        }
        let rows = eval(&fresh)?;
        if self.outcomes.is_empty() {
            self.outcomes = vec![Vec::new(); rows.len()];
        }
        assert_eq!(rows.len(), self.outcomes.len(), "the same replicates");
        for (all, row) in self.outcomes.iter_mut().zip(rows) {
            all.extend(row);
        }
        for p in &fresh {
            self.index.insert(p.members.clone(), self.portfolios.len());
            self.portfolios.push(p.clone());
        }
        Ok(fresh.len())
    }
}

/// Simulates a batch of portfolios: `[replicate][portfolio]`.
pub type Eval<'a, E> = dyn FnMut(&[Portfolio]) -> Result<Vec<Vec<Outcome>>, E> + 'a;

/// What a search is for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Goal {
    /// How losses are valued.
    pub value: Valuation,
    /// The most a portfolio may cost, US$/yr.
    pub budget_usd: f64,
    /// What the best portfolio is best at.
    pub objective: Objective,
    /// Seeds the CVaR95 bootstrap.
    pub seed: u64,
    /// The most portfolios to simulate in all (the best's subsets are simulated beyond it).
    pub max_portfolios: usize,
}

/// How a search went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SearchStats {
    /// Portfolios whose neighbourhood was simulated.
    pub expanded: usize,
    /// Portfolios this search simulated (others may have been simulated before it).
    pub simulated: usize,
    /// Calls of the simulator.
    pub batches: usize,
    /// Whether it stopped at [`Goal::max_portfolios`] with portfolios left to expand.
    pub capped: bool,
}

/// Searches the portfolios of options costing `costs` (US$/yr each) under `rules` for the best
/// under `goal`, simulating with `eval` what `explored` does not hold yet. Afterwards
/// `explored` holds the status quo first, the best and the subsets its marginal values need:
/// [`super::choose`] on it gives the answer.
///
/// # Errors
/// What `eval` returns.
pub fn search<E>(
    costs: &[f64],
    rules: &Rules,
    goal: &Goal,
    explored: &mut Explored,
    eval: &mut Eval<'_, E>,
) -> Result<SearchStats, E> {
    let mut stats = SearchStats::default();
    if explored.position(&[]).is_none() {
        let n = explored.ensure(&[portfolio(Vec::new(), costs)], eval)?;
        stats.simulated += n;
        stats.batches += 1;
    }
    let mut run = |explored: &mut Explored, wanted: Vec<Portfolio>, stats: &mut SearchStats| {
        let room = goal
            .max_portfolios
            .saturating_sub(explored.portfolios.len());
        let fresh: Vec<Portfolio> = wanted
            .into_iter()
            .filter(|p| explored.position(&p.members).is_none())
            .collect();
        if fresh.len() > room {
            stats.capped = true;
        }
        let n = explored.ensure(&fresh[..fresh.len().min(room)], eval)?;
        stats.simulated += n;
        stats.batches += usize::from(n > 0);
        Ok::<usize, E>(n)
    };
    let mut scores = Scores::default();
    let mut expanded: BTreeSet<Vec<usize>> = BTreeSet::new();
    let mut paired_from: BTreeSet<Vec<usize>> = BTreeSet::new();
    // Whether portfolio q is not separated from the best b: (q, b) → verdict.
    let mut close: BTreeMap<(usize, usize), bool> = BTreeMap::new();
    loop {
        scores.update(explored, goal);
        let ranked = ranking(&explored.portfolios, &scores.points, goal.budget_usd);
        let best = ranked[0];
        let next = ranked
            .iter()
            .copied()
            .filter(|&q| !expanded.contains(&explored.portfolios[q].members))
            .find(|&q| {
                q == best
                    || *close
                        .entry((q, best))
                        .or_insert_with(|| scores.close(explored, goal, q, best))
            });
        if let Some(q) = next {
            let members = explored.portfolios[q].members.clone();
            expanded.insert(members.clone());
            stats.expanded += 1;
            let around = neighbours(&members, costs, rules, goal.budget_usd);
            run(explored, around, &mut stats)?;
            if stats.capped {
                break;
            }
            continue;
        }
        let members = explored.portfolios[best].members.clone();
        if paired_from.insert(members.clone()) {
            let pairs = pairs_added(&members, costs, rules, goal.budget_usd);
            run(explored, pairs, &mut stats)?;
            if stats.capped {
                break;
            }
            continue;
        }
        break;
    }
    // The best's subsets without each member (and what needs it), for its marginal values;
    // simulating them may find a better best, whose subsets are then needed in turn.
    loop {
        scores.update(explored, goal);
        let best = ranking(&explored.portfolios, &scores.points, goal.budget_usd)[0];
        let members = explored.portfolios[best].members.clone();
        let subsets: Vec<Portfolio> = members
            .iter()
            .map(|&k| portfolio(rules.without(&members, k), costs))
            .collect();
        let n = explored.ensure(&subsets, eval)?;
        stats.simulated += n;
        stats.batches += usize::from(n > 0);
        if n == 0 {
            break;
        }
    }
    Ok(stats)
}

/// Per explored portfolio: its losses per replicate (US$) and its objective's point estimate,
/// computed as [`super::choose`] computes them.
#[derive(Default)]
struct Scores {
    losses: Vec<Vec<f64>>,
    points: Vec<f64>,
}

impl Scores {
    /// Scores the portfolios explored since the last call.
    fn update(&mut self, explored: &Explored, goal: &Goal) {
        for p in self.losses.len()..explored.portfolios.len() {
            let loss = losses(&explored.outcomes, p, goal.value);
            let base = self.losses.first().unwrap_or(&loss);
            let point = point(
                goal.objective,
                base,
                &loss,
                explored.portfolios[p].annual_cost_usd,
            );
            self.losses.push(loss);
            self.points.push(point);
        }
    }

    /// Whether the paired 95% interval does not separate portfolio `q` from the best `b` (or
    /// they are equal on every replicate), as [`super::choose`] decides a runner-up; the
    /// CVaR95 bootstrap is seeded by `q` alone, so the verdict does not depend on the order
    /// the search asks in.
    fn close(&self, explored: &Explored, goal: &Goal, q: usize, b: usize) -> bool {
        let cost = |p: usize| explored.portfolios[p].annual_cost_usd;
        // Tied, as `choose` counts ties (under `net`, at equal cost too).
        if self.losses[q] == self.losses[b]
            && (goal.objective != Objective::Net || cost(q) == cost(b))
        {
            return true;
        }
        let mut rng = replicate_rng(goal.seed ^ 0x5ea4_c400, q as u64);
        gap(
            goal.objective,
            (&self.losses[q], cost(q)),
            (&self.losses[b], cost(b)),
            &mut rng,
        )
        .lo <= 0.0
    }
}

/// The portfolios one move from `members`: an option added (with what it needs), a member
/// dropped (with what needs it), a member swapped for a non-member; those `rules` allow within
/// `budget_usd`, ascending by members.
fn neighbours(members: &[usize], costs: &[f64], rules: &Rules, budget_usd: f64) -> Vec<Portfolio> {
    let outside: Vec<usize> = (0..costs.len()).filter(|k| !members.contains(k)).collect();
    let mut sets: BTreeSet<Vec<usize>> = outside.iter().map(|&j| rules.with(members, j)).collect();
    for &k in members {
        let rest = rules.without(members, k);
        sets.extend(outside.iter().map(|&j| rules.with(&rest, j)));
        sets.insert(rest);
    }
    keep(sets, costs, rules, budget_usd)
}

/// The portfolios of `members` with two more options (and what they need), as
/// [`neighbours`] filters them.
fn pairs_added(members: &[usize], costs: &[f64], rules: &Rules, budget_usd: f64) -> Vec<Portfolio> {
    let outside: Vec<usize> = (0..costs.len()).filter(|k| !members.contains(k)).collect();
    let mut sets = BTreeSet::new();
    for (i, &a) in outside.iter().enumerate() {
        for &b in &outside[i + 1..] {
            sets.insert(rules.with(&rules.with(members, a), b));
        }
    }
    keep(sets, costs, rules, budget_usd)
}

fn keep(
    sets: BTreeSet<Vec<usize>>,
    costs: &[f64],
    rules: &Rules,
    budget_usd: f64,
) -> Vec<Portfolio> {
    sets.into_iter()
        .filter(|m| rules.allows(m))
        .map(|m| portfolio(m, costs))
        .filter(|p| p.annual_cost_usd <= budget_usd)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{VALUE, lost};
    use super::super::{Choice, all_portfolios, choose};
    use super::*;

    /// An evaluator from a table of every portfolio's outcomes, counting what it is asked.
    fn table<'a>(
        all: &'a [Portfolio],
        outcomes: &'a [Vec<Outcome>],
        asked: &'a mut usize,
    ) -> impl FnMut(&[Portfolio]) -> Result<Vec<Vec<Outcome>>, ()> + 'a {
        move |batch: &[Portfolio]| {
            *asked += batch.len();
            Ok(outcomes
                .iter()
                .map(|row| {
                    batch
                        .iter()
                        .map(|p| row[all.iter().position(|a| a.members == p.members).unwrap()])
                        .collect()
                })
                .collect())
        }
    }

    /// Searches the catalogue `costs` under `rules` within `budget_usd`, each portfolio's
    /// outcomes looked up in `outcomes` (of `all`, in its order), and chooses among those
    /// simulated: the choice, how the search went, and how many portfolios it asked for.
    fn search_table(
        costs: &[f64],
        rules: &Rules,
        budget_usd: f64,
        objective: Objective,
        all: &[Portfolio],
        outcomes: &[Vec<Outcome>],
    ) -> (Choice, SearchStats, usize) {
        let mut asked = 0;
        let mut explored = Explored::default();
        let goal = Goal {
            value: VALUE,
            budget_usd,
            objective,
            seed: 3,
            max_portfolios: 10_000,
        };
        let stats = search(
            costs,
            rules,
            &goal,
            &mut explored,
            &mut table(all, outcomes, &mut asked),
        )
        .unwrap();
        let c = choose(
            &explored.portfolios,
            &explored.outcomes,
            VALUE,
            budget_usd,
            objective,
            rules,
            1,
        );
        (c, stats, asked)
    }

    #[test]
    fn complements_that_avoid_nothing_alone_are_found_by_the_pair_move() {
        // Six options at $10m/yr: 0 and 1 avoid nothing alone and $200m together; 2 avoids
        // $50m; the others nothing. One replicate, so no noise. Net by hand: {0,1,2} $220m
        // for $30m/yr: net $220m. Greedy moves alone stop at {2} (net $40m).
        let costs = [10e6; 6];
        let all = all_portfolios(&costs, &Rules::default());
        let avoided = |m: &[usize]| {
            let pair = if m.contains(&0) && m.contains(&1) {
                200e6
            } else {
                0.0
            };
            pair + if m.contains(&2) { 50e6 } else { 0.0 }
        };
        let outcomes = vec![
            all.iter()
                .map(|p| lost(500e6 - avoided(&p.members)))
                .collect::<Vec<_>>(),
        ];
        let (c, stats, asked) = search_table(
            &costs,
            &Rules::default(),
            30e6,
            Objective::Net,
            &all,
            &outcomes,
        );
        assert_eq!(c.scored[c.best].portfolio.members, vec![0, 1, 2]);
        assert!((c.scored[c.best].net_usd - 220e6).abs() < 1.0);
        assert!(!stats.capped);
        assert_eq!(asked, stats.simulated);
        // It simulated fewer than the 42 portfolios of at most three options.
        assert!(stats.simulated < 42, "{stats:?}");
    }

    #[test]
    fn prerequisites_come_with_the_option_that_needs_them() {
        // Tankers (0, $20m) need berths (1, $15m): together they avoid $100m; the berths alone
        // nothing. The search adds the tankers with the berths in one move.
        let costs = [20e6, 15e6];
        let rules = Rules {
            excluded: vec![],
            requires: vec![(0, 1)],
        };
        let all = all_portfolios(&costs, &rules);
        assert_eq!(all.len(), 3);
        let outcomes = vec![
            all.iter()
                .map(|p| lost(if p.members.len() == 2 { 100e6 } else { 200e6 }))
                .collect::<Vec<_>>(),
        ];
        let (c, _, _) = search_table(&costs, &rules, 50e6, Objective::Net, &all, &outcomes);
        assert_eq!(c.scored[c.best].portfolio.members, vec![0, 1]);
        // The berths' marginal value takes the tankers with them: $100m for $35m.
        let m = c.marginals.iter().find(|m| m.option == 1).unwrap();
        assert_eq!(m.dependents, vec![0]);
        assert!((m.avoided_usd.mean - 100e6).abs() < 1.0 && m.cost_usd == 35e6);
        let m = c.marginals.iter().find(|m| m.option == 0).unwrap();
        assert!(m.dependents.is_empty());
        assert!((m.avoided_usd.mean - 100e6).abs() < 1.0 && m.cost_usd == 20e6);
    }

    #[test]
    fn on_random_catalogues_the_search_finds_the_exhaustive_best() {
        use rand::RngExt;
        let mut rng = replicate_rng(91, 0);
        for case in 0..20 {
            let n = 7;
            let costs: Vec<f64> = (0..n)
                .map(|_| rng.random_range(0..6) as f64 * 10e6)
                .collect();
            let rules = Rules {
                excluded: vec![(0, 1)],
                requires: vec![(2, 3)],
            };
            let all = all_portfolios(&costs, &rules);
            // Additive values with one interaction, over 30 noisy replicates.
            let worth: Vec<f64> = (0..n)
                .map(|_| rng.random_range(0..8) as f64 * 10e6)
                .collect();
            let outcomes: Vec<Vec<Outcome>> = (0..30)
                .map(|_| {
                    let year = rng.random_range(50..150) as f64 / 100.0;
                    all.iter()
                        .map(|p| {
                            let mut a: f64 = p.members.iter().map(|&k| worth[k]).sum();
                            if p.members.contains(&4) && p.members.contains(&5) {
                                a += 60e6;
                            }
                            lost((800e6 - a).max(0.0) * year)
                        })
                        .collect()
                })
                .collect();
            let budget = rng.random_range(0..8) as f64 * 15e6;
            for objective in [Objective::Net, Objective::Mean, Objective::Cvar95] {
                let whole = choose(&all, &outcomes, VALUE, budget, objective, &rules, 1);
                let (part, _, asked) =
                    search_table(&costs, &rules, budget, objective, &all, &outcomes);
                let (a, b) = (&whole.scored[whole.best], &part.scored[part.best]);
                assert_eq!(
                    objective.score(a),
                    objective.score(b),
                    "case {case} {objective:?}: {:?} against {:?}",
                    a.portfolio.members,
                    b.portfolio.members
                );
                assert!(asked <= all.len());
            }
        }
    }
}
