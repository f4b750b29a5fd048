//! Robustness of the choice: the candidate portfolios scored under several assumption cases
//! (failure rates, costs, a transit cut-off, the oil price), the minimax-regret choice beside
//! the expected-value one.
//!
//! A candidate's *regret* in a case is how much worse it does there than the best candidate
//! in that case, under the objective (US$/yr, 0 for the case's best). The *minimax-regret*
//! choice has the smallest largest regret over the cases: the one a planner regrets least,
//! whichever case comes true. The *expected-value* choice has the best value averaged over the
//! cases, weighted equally. Both are point estimates on the common replicates; the
//! candidates are fixed by the budget at the costs as estimated, since the cases are about
//! what the world turns out to be after the choice.

use super::Objective;

/// One assumption case: every candidate's value under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// What was changed, e.g. `failure rates x2`.
    pub name: String,
    /// Per candidate, the objective's point estimate, higher is better (losses negated), US$/yr.
    pub scores: Vec<f64>,
}

/// The regret table and the two choices.
#[derive(Debug, Clone, PartialEq)]
pub struct Regret {
    /// `[candidate][case]`: the case's best score less the candidate's, US$/yr (≥ 0).
    pub regret: Vec<Vec<f64>>,
    /// Per candidate, its largest regret, US$/yr.
    pub max_regret: Vec<f64>,
    /// Per candidate, the index of the case of its largest regret (the first such).
    pub worst_case: Vec<usize>,
    /// Per candidate, its mean score over the cases, higher is better, US$/yr.
    pub mean_score: Vec<f64>,
    /// The candidate with the smallest largest regret; ties go to the better mean score, then
    /// to the first (candidates come in the order of the choice as estimated).
    pub minimax: usize,
    /// The candidate with the best mean score; ties go to the smaller largest regret, then to
    /// the first.
    pub expected: usize,
}

/// The regret table of `cases` (each scoring the same candidates in the same order).
///
/// # Panics
/// When there is no case or no candidate, or the cases score different numbers of
/// candidates.
pub fn regret(cases: &[Case]) -> Regret {
    let n = cases[0].scores.len();
    assert!(n > 0 && cases.iter().all(|c| c.scores.len() == n));
    let top: Vec<f64> = cases
        .iter()
        .map(|c| c.scores.iter().copied().fold(f64::NEG_INFINITY, f64::max))
        .collect();
    let regret: Vec<Vec<f64>> = (0..n)
        .map(|p| {
            cases
                .iter()
                .zip(&top)
                .map(|(c, t)| t - c.scores[p])
                .collect()
        })
        .collect();
    let worst_case: Vec<usize> = regret
        .iter()
        .map(|r| {
            (0..r.len())
                .reduce(|a, b| if r[b] > r[a] { b } else { a })
                .unwrap_or(0)
        })
        .collect();
    let max_regret: Vec<f64> = regret.iter().zip(&worst_case).map(|(r, &w)| r[w]).collect();
    let mean_score: Vec<f64> = (0..n)
        .map(|p| cases.iter().map(|c| c.scores[p]).sum::<f64>() / cases.len() as f64)
        .collect();
    let minimax = (0..n)
        .min_by(|&a, &b| {
            max_regret[a]
                .total_cmp(&max_regret[b])
                .then(mean_score[b].total_cmp(&mean_score[a]))
                .then(a.cmp(&b))
        })
        .unwrap_or(0);
    let expected = (0..n)
        .min_by(|&a, &b| {
            mean_score[b]
                .total_cmp(&mean_score[a])
                .then(max_regret[a].total_cmp(&max_regret[b]))
                .then(a.cmp(&b))
        })
        .unwrap_or(0);
    Regret {
        regret,
        max_regret,
        worst_case,
        mean_score,
        minimax,
        expected,
    }
}

/// A score (higher is better) as the objective reports it: the net benefit, or the loss.
pub fn reported(objective: Objective, score: f64) -> f64 {
    match objective {
        Objective::Net => score,
        Objective::Mean | Objective::Cvar95 => -score,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(name: &str, scores: &[f64]) -> Case {
        Case {
            name: name.into(),
            scores: scores.to_vec(),
        }
    }

    #[test]
    fn the_minimax_regret_choice_can_differ_from_the_expected_value_choice() {
        // Net benefit, $m/yr, of three portfolios in three cases. A bets on the central case,
        // C hedges.
        //            central  rates x2  costs x2
        //   A          100       20       90
        //   B           60       80       40
        //   C           80       70       75
        // Case bests 100, 80, 90. Regrets: A 0, 60, 0 (max 60); B 40, 0, 50 (max 50);
        // C 20, 10, 15 (max 20). Means: A 70, B 60, C 75.
        let r = regret(&[
            case("central", &[100.0, 60.0, 80.0]),
            case("rates x2", &[20.0, 80.0, 70.0]),
            case("costs x2", &[90.0, 40.0, 75.0]),
        ]);
        assert_eq!(r.regret[0], vec![0.0, 60.0, 0.0]);
        assert_eq!(r.regret[1], vec![40.0, 0.0, 50.0]);
        assert_eq!(r.regret[2], vec![20.0, 10.0, 15.0]);
        assert_eq!(r.max_regret, vec![60.0, 50.0, 20.0]);
        assert_eq!(r.worst_case, vec![1, 2, 0]);
        assert_eq!(r.mean_score, vec![70.0, 60.0, 75.0]);
        assert_eq!((r.minimax, r.expected), (2, 2));
        // Make A's central case better still: the expected value now picks A (mean 80), the
        // minimax regret still C (A's regret in `rates x2` stays 60).
        let r = regret(&[
            case("central", &[130.0, 60.0, 80.0]),
            case("rates x2", &[20.0, 80.0, 70.0]),
            case("costs x2", &[90.0, 40.0, 75.0]),
        ]);
        assert_eq!(r.mean_score[0], 80.0);
        assert_eq!(r.max_regret, vec![60.0, 70.0, 50.0]);
        assert_eq!((r.minimax, r.expected), (2, 0));
    }

    #[test]
    fn equal_candidates_go_to_the_first() {
        let r = regret(&[case("a", &[5.0, 5.0]), case("b", &[1.0, 1.0])]);
        assert_eq!((r.minimax, r.expected), (0, 0));
        assert_eq!(r.max_regret, vec![0.0, 0.0]);
        assert_eq!(reported(Objective::Mean, -3.0), 3.0);
        assert_eq!(reported(Objective::Net, -3.0), -3.0);
    }
}
