//! Staging a portfolio over time: which investment first.
//!
//! A portfolio's options cannot all start at once: the planner takes one investment decision
//! every `stagger` years from the first year of the pathway, in some order, and each option
//! comes into service `lead` whole years after its decision (an option that `requires` others
//! comes into service no earlier than they do). In each year of the pathway the options in
//! service avoid what that set avoids in that year (the mean avoided loss of the portfolio of
//! them, US$/yr, on the network of that year)
//! and cost their annual cost (capex annuity plus opex, paid from commissioning, so that an
//! option's cost and benefit start together). The net present value of an order is
//!
//! `NPV = Σ_y (avoided(S_y) − cost(S_y)) / (1 + r)^(y − first year)`
//!
//! over the pathway's years `y`, `S_y` the options in service in `y` and `r` the discount
//! rate. Every order that puts each prerequisite before what needs it is evaluated.

use super::Rules;

/// One option of a portfolio to stage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Project {
    /// Index of the option in the catalogue.
    pub option: usize,
    /// Whole years from the decision to service.
    pub lead_years: u32,
    /// Annual cost once in service, US$/yr.
    pub annual_cost_usd: f64,
}

/// The pathway's calendar and money.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Calendar {
    /// First year (the first decision is taken at its start).
    pub first_year: i32,
    /// Last year counted (inclusive).
    pub last_year: i32,
    /// Years between two decisions.
    pub stagger_years: u32,
    /// Discount rate, a fraction a year.
    pub discount_rate: f64,
}

/// One year of a pathway.
#[derive(Debug, Clone, PartialEq)]
pub struct Year {
    /// The calendar year.
    pub year: i32,
    /// Options in service, ascending.
    pub in_service: Vec<usize>,
    /// Mean loss they avoid, US$/yr.
    pub avoided_usd: f64,
    /// Their annual cost, US$/yr.
    pub cost_usd: f64,
    /// `(avoided − cost) / (1 + r)^(year − first year)`, US$.
    pub discounted_usd: f64,
}

/// One order of a portfolio's options and what it is worth.
#[derive(Debug, Clone, PartialEq)]
pub struct Pathway {
    /// Options in the order decided.
    pub order: Vec<usize>,
    /// Per option of `order`, the first year in service (may fall after the pathway).
    pub in_service_from: Vec<i32>,
    /// Every year of the pathway.
    pub years: Vec<Year>,
    /// Net present value, US$ (as of the start of the first year).
    pub npv_usd: f64,
}

/// Most options a portfolio may have to be staged (8! = 40,320 orders).
pub const MAX_STAGED: usize = 8;

/// Every order of `projects` that puts each option's prerequisites (under `rules`) before it,
/// staged on `calendar` and valued with `avoided` (the mean avoided loss in a year of a set of
/// options in service, ascending, US$/yr), best NPV first (ties: the first order in lexicographic order of
/// options).
///
/// # Panics
/// With more than [`MAX_STAGED`] projects.
pub fn stage(
    projects: &[Project],
    rules: &Rules,
    calendar: &Calendar,
    avoided: &mut dyn FnMut(i32, &[usize]) -> f64,
) -> Vec<Pathway> {
    assert!(projects.len() <= MAX_STAGED, "at most {MAX_STAGED} options");
    let mut ids: Vec<usize> = projects.iter().map(|p| p.option).collect();
    ids.sort_unstable();
    let mut out = Vec::new();
    permutations(&ids, &mut Vec::new(), &mut |order| {
        let keeps = order.iter().enumerate().all(|(i, &a)| {
            rules
                .requires
                .iter()
                .filter(|r| r.0 == a && ids.contains(&r.1))
                .all(|r| order[..i].contains(&r.1))
        });
        if keeps {
            out.push(pathway(order, projects, rules, calendar, avoided));
        }
    });
    out.sort_by(|a, b| b.npv_usd.total_cmp(&a.npv_usd).then(a.order.cmp(&b.order)));
    out
}

/// Calls `f` with every permutation of `rest` after `prefix`, in lexicographic order.
fn permutations(rest: &[usize], prefix: &mut Vec<usize>, f: &mut dyn FnMut(&[usize])) {
    if rest.is_empty() {
        f(prefix);
        return;
    }
    for i in 0..rest.len() {
        let mut left = rest.to_vec();
        let x = left.remove(i);
        prefix.push(x);
        permutations(&left, prefix, f);
        prefix.pop();
    }
}

/// The pathway of one order.
fn pathway(
    order: &[usize],
    projects: &[Project],
    rules: &Rules,
    calendar: &Calendar,
    avoided: &mut dyn FnMut(i32, &[usize]) -> f64,
) -> Pathway {
    let project = |k: usize| projects.iter().find(|p| p.option == k).copied();
    let mut ready: Vec<i32> = order
        .iter()
        .enumerate()
        .map(|(i, &k)| {
            let lead = project(k).map_or(0, |p| p.lead_years);
            calendar.first_year
                + i32::try_from(i as u64 * u64::from(calendar.stagger_years)).unwrap_or(i32::MAX)
                + i32::try_from(lead).unwrap_or(i32::MAX)
        })
        .collect();
    // An option in service no earlier than what it needs (prerequisites come first in the
    // order, so one pass in order settles it).
    for i in 0..order.len() {
        for r in rules.requires.iter().filter(|r| r.0 == order[i]) {
            if let Some(j) = order.iter().position(|&k| k == r.1) {
                ready[i] = ready[i].max(ready[j]);
            }
        }
    }
    let mut years = Vec::new();
    let mut npv = 0.0;
    for year in calendar.first_year..=calendar.last_year {
        let mut in_service: Vec<usize> = order
            .iter()
            .zip(&ready)
            .filter(|(_, r)| **r <= year)
            .map(|(k, _)| *k)
            .collect();
        in_service.sort_unstable();
        let cost: f64 = in_service
            .iter()
            .filter_map(|&k| project(k))
            .map(|p| p.annual_cost_usd)
            .sum();
        let gain = if in_service.is_empty() {
            0.0
        } else {
            avoided(year, &in_service)
        };
        let discounted =
            (gain - cost) / (1.0 + calendar.discount_rate).powi(year - calendar.first_year);
        npv += discounted;
        years.push(Year {
            year,
            in_service,
            avoided_usd: gain,
            cost_usd: cost,
            discounted_usd: discounted,
        });
    }
    Pathway {
        order: order.to_vec(),
        in_service_from: ready,
        years,
        npv_usd: npv,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A (option 0): lead 1 year, $10m/yr, avoids $50m alone. B (1): lead 3, $20m/yr, $40m
    /// alone; together $90m.
    fn two() -> Vec<Project> {
        vec![
            Project {
                option: 0,
                lead_years: 1,
                annual_cost_usd: 10e6,
            },
            Project {
                option: 1,
                lead_years: 3,
                annual_cost_usd: 20e6,
            },
        ]
    }

    fn avoided(_year: i32, set: &[usize]) -> f64 {
        match set {
            [0] => 50e6,
            [1] => 40e6,
            [0, 1] => 90e6,
            _ => 0.0,
        }
    }

    fn calendar(rate: f64) -> Calendar {
        Calendar {
            first_year: 2026,
            last_year: 2029,
            stagger_years: 1,
            discount_rate: rate,
        }
    }

    #[test]
    fn each_year_is_valued_as_that_year_avoids() {
        // From 2029 the network is tighter: B alone and A+B avoid $100m. B then A: 2028 A
        // alone $50m − $10m = $40m, 2029 A+B $100m − $30m = $70m: $110m (it was $100m). A then
        // B never has B in service by 2029: still $120m.
        let mut later = |year: i32, set: &[usize]| match (year >= 2029, set) {
            (true, [1] | [0, 1]) => 100e6,
            _ => avoided(year, set),
        };
        let p = stage(&two(), &Rules::default(), &calendar(0.0), &mut later);
        let orders: Vec<(Vec<usize>, f64)> =
            p.iter().map(|p| (p.order.clone(), p.npv_usd)).collect();
        assert_eq!(orders, vec![(vec![0, 1], 120e6), (vec![1, 0], 110e6)]);
        assert_eq!(p[1].years[3].avoided_usd, 100e6);
        assert_eq!(p[1].years[2].avoided_usd, 50e6);
    }

    #[test]
    fn the_quick_option_first_is_worth_more_by_hand() {
        // A then B: A in service 2027, B decided 2027 and in service 2030 (after the
        // pathway): 2027–2029 net $40m a year, $120m undiscounted. B then A: B in 2029, A
        // (decided 2027) in 2028: 2028 $40m, 2029 $90m − $30m = $60m: $100m.
        let p = stage(&two(), &Rules::default(), &calendar(0.0), &mut avoided);
        let orders: Vec<(Vec<usize>, f64)> =
            p.iter().map(|p| (p.order.clone(), p.npv_usd)).collect();
        assert_eq!(orders, vec![(vec![0, 1], 120e6), (vec![1, 0], 100e6)]);
        assert_eq!(p[0].in_service_from, vec![2027, 2030]);
        assert_eq!(p[1].in_service_from, vec![2029, 2028]);
        let y2029 = &p[1].years[3];
        assert_eq!(
            (
                y2029.year,
                y2029.in_service.clone(),
                y2029.avoided_usd,
                y2029.cost_usd
            ),
            (2029, vec![0, 1], 90e6, 30e6)
        );
        // At 10% a year: A then B 40/1.1 + 40/1.21 + 40/1.331 = $99.47m; B then A
        // 40/1.21 + 60/1.331 = $78.14m.
        let p = stage(&two(), &Rules::default(), &calendar(0.10), &mut avoided);
        assert!(
            (p[0].npv_usd - 99.474_079e6).abs() < 1.0,
            "{}",
            p[0].npv_usd
        );
        assert!(
            (p[1].npv_usd - 78.136_739e6).abs() < 1.0,
            "{}",
            p[1].npv_usd
        );
    }

    #[test]
    fn a_prerequisite_comes_first_and_its_dependent_waits_for_it() {
        // A needs B: only B then A. B in service 2029; A, decided 2027 with a year's lead,
        // waits for B until 2029: 2029 $60m.
        let rules = Rules {
            excluded: vec![],
            requires: vec![(0, 1)],
        };
        let p = stage(&two(), &rules, &calendar(0.0), &mut avoided);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].order, vec![1, 0]);
        assert_eq!(p[0].in_service_from, vec![2029, 2029]);
        assert_eq!(p[0].npv_usd, 60e6);
    }
}
