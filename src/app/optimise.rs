//! `corridor optimise`: the best portfolio of options under a budget, from every combination of
//! the catalogue simulated on the same failures (see [`crate::engine::portfolio`]).

use std::path::{Path, PathBuf};

use super::compare::{default_variants_dir, load_options};
use super::sink::{write_chart, write_table, write_text};
use super::{AppError, Sink};
use crate::engine::compare::{
    Estimate, Outcome, RATE_FACTORS, reference, run_all, run_all_sampled_on,
};
use crate::engine::portfolio::robust::reported;
use crate::engine::portfolio::robust::{Case, Regret, regret};
use crate::engine::portfolio::search::{Explored, Goal, SearchStats, search};
use crate::engine::portfolio::staging::{Calendar, MAX_STAGED, Pathway, Project, stage};
use crate::engine::portfolio::{
    Choice, MAX_EXHAUSTIVE, Objective, Portfolio, Rules, Valuation, all_portfolios, choose, losses,
    point, ranking,
};
use crate::io::variant::list_variants_in;
use crate::io::{Disk, Limits, LoadedScenario, Source};
use crate::model::Variant;
use crate::report::fmt::usd as usd_m;
use crate::report::rows::{
    ChoiceRow, MarginalRow, OptimiseTables, PathwayRow, PortfolioRow, RegretRow, RobustnessRow,
    SizeRow, StagingRow, Usd,
};
use crate::report::stats_charts::{FrontierChart, FrontierPoint};

/// How the portfolios are searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Search {
    /// Every portfolio when the catalogue has at most [`MAX_EXHAUSTIVE`] options, the local
    /// search otherwise.
    Auto,
    /// Every portfolio the rules allow.
    Exhaustive,
    /// The local search of [`crate::engine::portfolio::search`].
    Local,
}

impl Search {
    /// Whether a catalogue of `options` options is searched exhaustively.
    pub fn exhaustive(self, options: usize) -> bool {
        match self {
            Search::Exhaustive => true,
            Search::Local => false,
            Search::Auto => options <= MAX_EXHAUSTIVE,
        }
    }
}

/// Most options the local search takes.
pub const MAX_OPTIONS: usize = 64;

/// Most portfolios the local search simulates by default (fewer when the work limit allows
/// fewer).
pub const DEFAULT_MAX_PORTFOLIOS: u64 = 512;

/// Settings of an optimisation.
#[derive(Debug, Clone)]
pub struct OptimiseConfig {
    /// Replicate-years (default: the scenario's; one run of its own events without Monte
    /// Carlo).
    pub runs: Option<u64>,
    /// The budgets, US$ per year: the best portfolio is chosen within each.
    pub budgets_usd: Vec<f64>,
    /// What the best portfolio is best at.
    pub objective: Objective,
    /// The catalogue: option ids in the variants directory (default: every file there).
    pub options: Option<Vec<String>>,
    /// How the portfolios are searched.
    pub search: Search,
    /// The most portfolios the local search simulates (default: [`DEFAULT_MAX_PORTFOLIOS`]
    /// or what the work limit allows).
    pub max_portfolios: Option<u64>,
    /// Score the candidates under the assumption cases of [`assumptions`] and choose by
    /// minimax regret beside expected value.
    pub robust: bool,
    /// Most candidates per budget the robustness analysis scores, best as estimated first
    /// (default [`DEFAULT_CANDIDATES`]).
    pub candidates: usize,
    /// Stage the top portfolios within each budget over time, when given.
    pub stage: Option<StageConfig>,
    /// Show a progress bar (replicate-years done) on a terminal.
    pub progress: bool,
    /// The most work the command may do and files it may read.
    pub limits: Limits,
}

/// How the top portfolios are staged ([`crate::engine::portfolio::staging`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StageConfig {
    /// Discount rate, a fraction a year.
    pub discount_rate: f64,
    /// Last year of the pathway (it starts in the scenario's start year).
    pub last_year: i32,
    /// Years between two investment decisions.
    pub stagger_years: u32,
}

/// Most portfolios per budget staged: the best and the runners-up the evidence does not
/// separate from it, best first.
pub const MAX_STAGED_PORTFOLIOS: usize = 5;

/// The staging of one portfolio within one budget.
#[derive(Debug, Clone)]
pub struct Staged {
    /// Index of the portfolio.
    pub portfolio: usize,
    /// Every order, best NPV first.
    pub pathways: Vec<Pathway>,
}

/// The robustness analysis within one budget.
#[derive(Debug, Clone)]
pub struct Robustness {
    /// The candidates: indices into the portfolios, in the order of the choice as estimated.
    pub candidates: Vec<usize>,
    /// Every candidate's score in every case.
    pub cases: Vec<Case>,
    /// The regret table and the choices.
    pub regret: Regret,
}

/// Most candidates per budget the robustness analysis scores by default: the best as
/// estimated first.
pub const DEFAULT_CANDIDATES: usize = 64;

/// Multiples of the option costs the robustness analysis takes.
pub const COST_FACTORS: [f64; 2] = [0.5, 2.0];

/// Multiples of the oil price the robustness analysis takes.
pub const PRICE_FACTORS: [f64; 2] = [0.75, 1.25];

/// Multiples of the rate of the Russian cut-off (the common causes chosen by
/// `country = "RU"`) the robustness analysis takes: none, and four times as often.
pub const CUTOFF_FACTORS: [f64; 2] = [0.0, 4.0];

/// One assumption case of the robustness analysis.
#[derive(Debug, Clone)]
pub struct Assumption {
    /// What is changed, e.g. `failure rates x2`.
    pub name: String,
    /// The Monte Carlo model to simulate again with; `None`: the outcomes as estimated.
    pub monte_carlo: Option<crate::model::MonteCarlo>,
    /// Multiple of every option's annual cost.
    pub cost_factor: f64,
    /// Multiple of the oil price.
    pub price_factor: f64,
}

/// The assumption cases for scenario `l`: as estimated; every failure rate ×0.5 and ×2
/// ([`RATE_FACTORS`]); the Russian cut-off never and ×4 ([`CUTOFF_FACTORS`], when the scenario
/// has one); the option costs ×0.5 and ×2; the oil price ×0.75 and ×1.25. Cases that change
/// the failures need a Monte Carlo part; the notes say which cases were left out and why.
pub fn assumptions(l: &LoadedScenario) -> (Vec<Assumption>, Vec<String>) {
    let case = |name: String, mc, cost_factor, price_factor| Assumption {
        name,
        monte_carlo: mc,
        cost_factor,
        price_factor,
    };
    let mut cases = vec![case("as estimated".into(), None, 1.0, 1.0)];
    let mut notes = Vec::new();
    match &l.scenario.monte_carlo {
        Some(mc) => {
            for k in RATE_FACTORS {
                cases.push(case(
                    format!("failure rates x{k}"),
                    Some(mc.with_rates_scaled(k)),
                    1.0,
                    1.0,
                ));
            }
            for k in CUTOFF_FACTORS {
                match mc.with_cutoff_scaled("RU", k) {
                    Some(m) => cases.push(case(
                        format!("Russian cut-off rate x{k}"),
                        Some(m),
                        1.0,
                        1.0,
                    )),
                    None => {
                        notes.push("no Russian cut-off (a [[common_cause]] with country = \"RU\") in the scenario: its cases are left out".to_string());
                        break;
                    }
                }
            }
        }
        None => notes
            .push("no [monte_carlo] part: the cases that change failure rates are left out".into()),
    }
    for k in COST_FACTORS {
        cases.push(case(format!("option costs x{k}"), None, k, 1.0));
    }
    let price = l.scenario.economics.oil_price_usd_per_bbl;
    for k in PRICE_FACTORS {
        cases.push(case(
            format!("oil price x{k} (${:.2}/bbl)", price * k),
            None,
            1.0,
            k,
        ));
    }
    (cases, notes)
}

/// What an optimisation found: the catalogue, the portfolios' ids (in the order of
/// each choice's `scored`) and the choice within each budget.
#[derive(Debug, Clone)]
pub struct OptimiseResult {
    /// Option ids, the catalogue's order.
    pub options: Vec<String>,
    /// Portfolio ids (`a+b`, `status-quo`), in the order scored.
    pub ids: Vec<String>,
    /// Each budget (US$/yr, as given) with the scores, the best portfolio within it, its
    /// runners-up and its members' marginal values.
    pub choices: Vec<(f64, Choice)>,
    /// Whether every portfolio the rules allow was simulated.
    pub exhaustive: bool,
    /// How the local searches went (zero when exhaustive).
    pub stats: SearchStats,
    /// The assumption cases' names, when asked for.
    pub cases: Vec<String>,
    /// Per budget, the robustness analysis, when asked for.
    pub robustness: Vec<Robustness>,
    /// Per budget, the staging of its top portfolios, when asked for.
    pub staging: Vec<Vec<Staged>>,
    /// Per budget, each sized member of the best at every level of its knob.
    pub sizes: Vec<Vec<Size>>,
}

/// The best portfolio with one of its sized members at another level of the knob, or
/// without it.
#[derive(Debug, Clone, PartialEq)]
pub struct Size {
    /// The sized member of the best (an option index).
    pub member: usize,
    /// The level in its place (an option index of the same knob), `None`: left out (with
    /// whatever needs it).
    pub level: Option<usize>,
    /// The portfolio so changed (an index into the portfolios simulated).
    pub portfolio: usize,
    /// How much worse it is than the best under the objective, with the paired 95% interval,
    /// US$/yr (0 for the best itself; below 0 only beyond the budget).
    pub gap_usd: Estimate,
}

/// `corridor optimise`: loads scenario `path` (strict, with `overrides`), the catalogue of
/// options in `dir` (default: `variants/` beside the scenario), simulates the portfolios on
/// the same replicates and writes `<id>/optimise/portfolios.csv`, `choice.csv`,
/// `marginal.csv`, `summary.txt` and the `frontier` chart (PNG and SVG).
///
/// # Errors
/// Input errors (an unknown option, a catalogue too large to enumerate, a negative budget,
/// too much work); output errors.
pub fn job(
    path: &Path,
    dir: Option<&Path>,
    overrides: &[(String, String)],
    cfg: &OptimiseConfig,
    sink: &mut dyn Sink,
) -> Result<OptimiseResult, AppError> {
    let disk = Disk::new(cfg.limits);
    let l = crate::io::load_scenario_with(&disk, path, true, overrides)?;
    let dir = dir.map_or_else(|| default_variants_dir(path), Path::to_path_buf);
    run(&disk, &dir, &l, cfg, sink)
}

/// The most portfolios the local search simulates: `--max-portfolios`, or as many as the work
/// limit allows up to the default.
fn local_cap(
    l: &LoadedScenario,
    cfg: &OptimiseConfig,
    runs: u64,
    options: usize,
    cases: &[Assumption],
) -> u64 {
    cfg.max_portfolios.unwrap_or_else(|| {
        let per = runs.max(1) * u64::from(l.scenario.horizon_days.max(1));
        // What [`work_of`] adds beyond the cap, at most.
        let again = cases.iter().filter(|c| c.monte_carlo.is_some()).count() as u64;
        let extra =
            1 + options as u64 + again * (1 + cfg.candidates as u64 * cfg.budgets_usd.len() as u64);
        (cfg.limits.replicate_days / per)
            .saturating_sub(extra)
            .clamp(1, DEFAULT_MAX_PORTFOLIOS)
    })
}

/// The work of an optimisation of `options` options simulating at most `portfolios`, as
/// [`Limits::check_work`] takes it: the status quo runs beside every batch and the best's
/// subsets may go beyond the cap; each robustness case that changes the failures simulates the
/// candidates again. (Staging's extra sets are subsets of portfolios counted here.)
fn work_of(
    l: &LoadedScenario,
    cfg: &OptimiseConfig,
    runs: u64,
    portfolios: u64,
    options: usize,
    cases: &[Assumption],
) -> (String, u64, u32, u64) {
    let again = cases.iter().filter(|c| c.monte_carlo.is_some()).count() as u64;
    let portfolios = portfolios + 1 + options as u64;
    let candidates = portfolios.min(1 + cfg.candidates as u64 * cfg.budgets_usd.len() as u64);
    (
        format!("{} optimisation", l.id),
        runs,
        l.scenario.horizon_days,
        portfolios + again * candidates,
    )
}

/// The most work optimising a catalogue of `options` options on `l` can take (the rules may
/// allow fewer portfolios), for a caller that checks all its work before anything runs.
pub fn work(l: &LoadedScenario, cfg: &OptimiseConfig, options: usize) -> (String, u64, u32, u64) {
    let runs = super::compare::runs_or_scenario(l, cfg.runs);
    let exhaustive = cfg.search.exhaustive(options);
    let cases = if cfg.robust {
        assumptions(l).0
    } else {
        Vec::new()
    };
    let portfolios = if exhaustive {
        1u64 << options.min(MAX_EXHAUSTIVE)
    } else {
        local_cap(l, cfg, runs, options, &cases)
    };
    work_of(l, cfg, runs, portfolios, options, &cases)
}

/// The catalogue's options and their rules, checked.
struct Catalogue {
    options: Vec<String>,
    costs: Vec<f64>,
    /// Each option's lead time, years, when its file gives one.
    leads: Vec<Option<f64>>,
    rules: Rules,
}

/// Reads and checks the catalogue: `cfg.options` or every variant file in `dir`.
fn catalogue(
    source: &dyn Source,
    dir: &Path,
    l: &LoadedScenario,
    cfg: &OptimiseConfig,
    sink: &mut dyn Sink,
) -> Result<Catalogue, AppError> {
    let known = list_variants_in(source, dir);
    let options = cfg.options.clone().unwrap_or_else(|| known.clone());
    if options.is_empty() {
        return Err(AppError::Input(format!(
            "{}: no options to combine\n  hint: put variant files (docs: README, `corridor compare`) in that directory, or name it with --variants-dir",
            dir.display()
        )));
    }
    let most = match cfg.search {
        Search::Exhaustive => MAX_EXHAUSTIVE,
        Search::Auto | Search::Local => MAX_OPTIONS,
    };
    if options.len() > most {
        return Err(AppError::Input(format!(
            "{} options: {} takes at most {most}\n  hint: name the options to combine with --options a,b,c{}",
            options.len(),
            if most == MAX_EXHAUSTIVE {
                "the exhaustive search"
            } else {
                "the search"
            },
            if most == MAX_EXHAUSTIVE {
                ", or search locally with --search local"
            } else {
                ""
            }
        )));
    }
    if let Some(c) = options.iter().find(|o| o.contains('+')) {
        return Err(AppError::Input(format!(
            "--options: `{c}` is a combination\n  hint: name the single options; the optimiser combines them"
        )));
    }
    // Each option alone: its cost and rules, and every file's problems at once.
    let mut single = load_options(source, dir, &options, l)?;
    // A sized option named without a level stands for each of its levels.
    let expanded = sized_levels(&options, &single[1..]);
    let options = if expanded.len() == options.len() {
        options
    } else {
        if expanded.len() > most {
            return Err(AppError::Input(format!(
                "{} options with each level of the sized ones: the search takes at most {most}\n  hint: name fewer options or levels with --options, e.g. tankers@10",
                expanded.len()
            )));
        }
        single = load_options(source, dir, &expanded, l)?;
        expanded
    };
    if let Some(dup) = options
        .iter()
        .enumerate()
        .find(|(i, o)| options[..*i].contains(o))
    {
        return Err(AppError::Input(format!(
            "--options: `{}` is named twice\n  hint: each option is either in a portfolio or not",
            dup.1
        )));
    }
    let costs: Vec<f64> = single[1..].iter().map(|v| v.annual_cost_usd).collect();
    let stem = |o: &str| o.split('@').next().unwrap_or_default().to_string();
    let stems: Vec<String> = options.iter().map(|o| stem(o)).collect();
    // Where option `x` (a file's id) is in the catalogue: every level of a sized one.
    let positions =
        |x: &String| -> Vec<usize> { (0..options.len()).filter(|&k| stems[k] == *x).collect() };
    let mut rules = Rules::default();
    // Two levels of one knob are alternatives.
    for b in 0..options.len() {
        rules
            .excluded
            .extend((0..b).filter(|&a| stems[a] == stems[b]).map(|a| (a, b)));
    }
    for (a, (v, o)) in single[1..].iter().zip(&options).enumerate() {
        // An exclusion of an option outside the catalogue binds nothing here.
        rules
            .excluded
            .extend(v.excludes.iter().flat_map(positions).map(|b| (a, b)));
        for x in v.excludes.iter().filter(|x| !known.contains(x)) {
            sink.note(&format!(
                "warning: option `{o}` excludes `{x}`, which is not in {} (a typo?)",
                dir.display()
            ));
        }
        for x in &v.requires {
            let file = dir.join(format!("{}.toml", stems[a]));
            match positions(x)[..] {
                [b] => rules.requires.push((a, b)),
                [] => {
                    return Err(AppError::Input(format!(
                        "option `{o}` needs `{x}` (the `requires` of {}), which is not in the catalogue\n  hint: add `{x}` to --options, or leave `{o}` out",
                        file.display()
                    )));
                }
                ref levels => {
                    return Err(AppError::Input(format!(
                        "option `{o}` needs `{x}` (the `requires` of {}), which is sized: {} of its levels are in the catalogue, and a prerequisite must be one option\n  hint: name one level of it with --options, e.g. {}",
                        file.display(),
                        levels.len(),
                        options[levels[levels.len() - 1]]
                    )));
                }
            }
        }
    }
    Ok(Catalogue {
        leads: single[1..].iter().map(|v| v.lead_years).collect(),
        options,
        costs,
        rules,
    })
}

/// `options` with each sized one (its `single` load has levels) named without a level
/// replaced by one option per level, `id@level`.
fn sized_levels(options: &[String], single: &[Variant]) -> Vec<String> {
    options
        .iter()
        .zip(single)
        .flat_map(|(o, v)| {
            if v.levels.is_empty() || o.contains('@') {
                vec![o.clone()]
            } else {
                v.levels.iter().map(|x| format!("{o}@{x}")).collect()
            }
        })
        .collect()
}

/// The options a catalogue of the variants `single` (each alone, the status quo first) holds,
/// each level of a sized one counted.
pub fn catalogue_size(single: &[Variant]) -> usize {
    single[1..].iter().map(|v| v.levels.len().max(1)).sum()
}

/// [`job`] on a loaded scenario, the variant files read from `source`.
///
/// # Errors
/// As [`job`].
pub fn run(
    source: &dyn Source,
    dir: &Path,
    l: &LoadedScenario,
    cfg: &OptimiseConfig,
    sink: &mut dyn Sink,
) -> Result<OptimiseResult, AppError> {
    if cfg.budgets_usd.is_empty() {
        return Err(AppError::Input(
            "no --budget\n  hint: --budget 150e6 allows $150m a year; --budget 0,50e6,150e6 chooses within each"
                .into(),
        ));
    }
    if let Some(b) = cfg
        .budgets_usd
        .iter()
        .find(|b| !(**b >= 0.0 && b.is_finite()))
    {
        return Err(AppError::Input(format!(
            "--budget {b}: a budget is a finite amount of US$ per year, 0 or more\n  hint: --budget 150e6 allows $150m a year"
        )));
    }
    let cat = catalogue(source, dir, l, cfg, sink)?;
    let runs = super::compare::runs_or_scenario(l, cfg.runs);
    let exhaustive = cfg.search.exhaustive(cat.options.len());
    let all = exhaustive.then(|| all_portfolios(&cat.costs, &cat.rules));
    let (cases, notes) = if cfg.robust {
        assumptions(l)
    } else {
        (Vec::new(), Vec::new())
    };
    let max_portfolios = match &all {
        Some(all) => all.len() as u64,
        None => local_cap(l, cfg, runs, cat.options.len(), &cases),
    };
    super::inputs::check_work(
        &cfg.limits,
        &[work_of(
            l,
            cfg,
            runs,
            max_portfolios,
            cat.options.len(),
            &cases,
        )],
    )?;
    for n in &notes {
        sink.note(&format!("note: {n}"));
    }
    let mc = l.scenario.monte_carlo.as_ref();
    let solve = |e| AppError::solve(&l.id, e);
    let status_quo = load_options(source, dir, &[], l)?;
    let reference = reference(&l.scenario, &status_quo).map_err(solve)?;
    let value = Valuation {
        reference_kt: reference.days.iter().map(|d| d.exports_kt).sum(),
        usd_per_mt: l.scenario.economics.usd_per_mt(),
    };
    let seed = mc.map_or(0, |m| m.seed);
    let mut batches = 0u64;
    // Simulates a batch of portfolios on `on`'s network against `reference`.
    let simulate = |on: &LoadedScenario,
                    reference: &crate::engine::sim::SimResult,
                    batch: &[Portfolio],
                    label: &str|
     -> Result<Vec<Vec<Outcome>>, AppError> {
        let ids: Vec<String> = batch.iter().map(|p| id(&cat.options, p)).collect();
        let variants: Vec<Variant> = load_options(source, dir, &ids, on)?;
        let bar = super::montecarlo::replicate_bar(cfg.progress, runs, label);
        let tick = || bar.inc(1);
        // The failures are sampled on the status quo's network (first of `variants`), which
        // is simulated only when the batch asks for it.
        let skip = usize::from(!batch.first().is_some_and(|p| p.members.is_empty()));
        let rows = run_all_sampled_on(
            &variants[0].network,
            &on.scenario,
            mc,
            &variants[skip..],
            0..runs,
            reference,
            &tick,
        )
        .map_err(|e| AppError::solve(&on.id, e))?;
        bar.finish_and_clear();
        Ok(rows)
    };
    let mut eval = |batch: &[Portfolio]| -> Result<Vec<Vec<Outcome>>, AppError> {
        batches += 1;
        let label = if exhaustive {
            l.id.clone()
        } else {
            format!("{} batch {batches} ({} portfolios)", l.id, batch.len())
        };
        simulate(l, &reference, batch, &label)
    };
    let mut explored = Explored::default();
    let mut stats = SearchStats::default();
    match &all {
        Some(all) => {
            explored.ensure(all, &mut eval)?;
        }
        None => {
            // Search within each budget, then again until a pass over the budgets simulates
            // nothing new: each choice is then the best of every portfolio simulated.
            loop {
                let before = explored.portfolios.len();
                for &budget_usd in &cfg.budgets_usd {
                    let goal = Goal {
                        value,
                        budget_usd,
                        objective: cfg.objective,
                        seed,
                        max_portfolios: usize::try_from(max_portfolios).unwrap_or(usize::MAX),
                    };
                    let s = search(&cat.costs, &cat.rules, &goal, &mut explored, &mut eval)?;
                    stats.expanded += s.expanded;
                    stats.simulated += s.simulated;
                    stats.batches += s.batches;
                    stats.capped |= s.capped;
                }
                if explored.portfolios.len() == before {
                    break;
                }
            }
        }
    }
    let choices: Vec<(f64, Choice)> = cfg
        .budgets_usd
        .iter()
        .map(|&b| {
            let c = choose(
                &explored.portfolios,
                &explored.outcomes,
                value,
                b,
                cfg.objective,
                &cat.rules,
                seed,
            );
            (b, c)
        })
        .collect();
    let sizes = choices
        .iter()
        .map(|(_, c)| sizes(&cat, &explored, c, value, cfg.objective, seed))
        .collect();
    let staging = match &cfg.stage {
        Some(st) => staging(
            l,
            &cat,
            &whole_leads(dir, &cat)?,
            st,
            &explored,
            &choices,
            value,
            &mut eval,
            &mut |on: &LoadedScenario, batch: &[Portfolio]| {
                let status_quo = load_options(source, dir, &[], on)?;
                let reference = crate::engine::compare::reference(&on.scenario, &status_quo)
                    .map_err(|e| AppError::solve(&on.id, e))?;
                let value = Valuation {
                    reference_kt: reference.days.iter().map(|d| d.exports_kt).sum(),
                    ..value
                };
                let label = format!("{} on a later network", l.id);
                Ok((value, simulate(on, &reference, batch, &label)?))
            },
        )?,
        None => Vec::new(),
    };
    let robustness = if cfg.robust {
        robustness(
            cfg,
            &explored,
            &choices[0]
                .1
                .scored
                .iter()
                .map(|s| s.frontier_mean)
                .collect::<Vec<_>>(),
            value,
            &cases,
            &mut |candidates: &[Portfolio], mc: &crate::model::MonteCarlo, name: &str| {
                let ids: Vec<String> = candidates.iter().map(|p| id(&cat.options, p)).collect();
                let variants = load_options(source, dir, &ids, l)?;
                let bar = super::montecarlo::replicate_bar(
                    cfg.progress,
                    runs,
                    &format!("{} {name}", l.id),
                );
                let tick = || bar.inc(1);
                let rows = run_all(&l.scenario, Some(mc), &variants, 0..runs, &reference, &tick)
                    .map_err(solve)?;
                bar.finish_and_clear();
                Ok(rows)
            },
        )?
    } else {
        Vec::new()
    };
    let result = OptimiseResult {
        sizes,
        staging,
        cases: cases.iter().map(|c| c.name.clone()).collect(),
        robustness,
        ids: explored
            .portfolios
            .iter()
            .map(|p| id(&cat.options, p))
            .collect(),
        options: cat.options,
        choices,
        exhaustive,
        stats,
    };
    write(l, cfg, runs, &result, sink)?;
    Ok(result)
}

/// Each sized member of the best portfolio of `c` (an option `id@level`) left out, then at
/// every level of its knob (its own included, ascending), the other members kept: the
/// portfolios the rules allow and the search simulated.
fn sizes(
    cat: &Catalogue,
    explored: &Explored,
    c: &Choice,
    value: Valuation,
    objective: Objective,
    seed: u64,
) -> Vec<Size> {
    let stem = |k: usize| cat.options[k].split('@').next().unwrap_or_default();
    let best = &explored.portfolios[c.best].members;
    let loss = |p: usize| losses(&explored.outcomes, p, value);
    let cost = |p: usize| explored.portfolios[p].annual_cost_usd;
    let best_loss = loss(c.best);
    let mut rng = crate::engine::sample::replicate_rng(seed ^ 0x005a_17e5, 0);
    let mut out = Vec::new();
    for &k in best.iter().filter(|&&k| cat.options[k].contains('@')) {
        let without = cat.rules.without(best, k);
        let levels = (0..cat.options.len()).filter(|&q| stem(q) == stem(k));
        let changed = std::iter::once((None, without.clone())).chain(
            levels
                .map(|q| {
                    let m = if q == k {
                        best.clone()
                    } else {
                        cat.rules.with(&without, q)
                    };
                    (Some(q), m)
                })
                .filter(|(_, m)| cat.rules.allows(m)),
        );
        for (level, members) in changed {
            if let Some(p) = explored.position(&members) {
                out.push(Size {
                    member: k,
                    level,
                    portfolio: p,
                    gap_usd: crate::engine::portfolio::gap(
                        objective,
                        (&loss(p), cost(p)),
                        (&best_loss, cost(c.best)),
                        &mut rng,
                    ),
                });
            }
        }
    }
    out
}

/// Each option's lead time in whole years (rounded up), from its file in `dir`.
///
/// # Errors
/// An option without `lead_time`.
fn whole_leads(dir: &Path, cat: &Catalogue) -> Result<Vec<u32>, AppError> {
    cat.leads
        .iter()
        .zip(&cat.options)
        .map(|(lead, o)| {
            lead.map(|y| y.ceil() as u32).ok_or_else(|| {
                AppError::Input(format!(
                    "--stage: option `{o}` has no lead_time ({})\n  hint: add lead_time = {{ value = 2, unit = \"years\", estimate = \"…\" }} to its file",
                    dir.join(format!("{o}.toml")).display()
                ))
            })
        })
        .collect()
}

/// Per budget: the best portfolio and the runners-up not separated from it (at most
/// [`MAX_STAGED_PORTFOLIOS`], none of more than [`MAX_STAGED`] options), each staged in every
/// order on the calendar from the scenario's start year to `st.last_year`, each year valued on
/// the network of that year. The sets of options in service that were not simulated are
/// simulated first (beside the search's portfolios, which they do not join), and again with
/// the status quo on each later network that differs from the first year's (`on_network`).
///
/// # Errors
/// A last year before the first; simulation errors.
#[allow(clippy::too_many_arguments)]
fn staging(
    l: &LoadedScenario,
    cat: &Catalogue,
    leads: &[u32],
    st: &StageConfig,
    explored: &Explored,
    choices: &[(f64, Choice)],
    value: Valuation,
    eval: &mut crate::engine::portfolio::search::Eval<'_, AppError>,
    on_network: &mut OnNetwork<'_>,
) -> Result<Vec<Vec<Staged>>, AppError> {
    let start = l.scenario.start;
    let first_year = i32::try_from(start.ymd().0).unwrap_or(i32::MAX);
    if st.last_year < first_year {
        return Err(AppError::Input(format!(
            "--until-year {}: the pathway starts in {first_year}, the scenario's start year\n  hint: end it in {first_year} or later, e.g. --until-year 2035",
            st.last_year
        )));
    }
    let calendar = Calendar {
        first_year,
        last_year: st.last_year,
        stagger_years: st.stagger_years,
        discount_rate: st.discount_rate,
    };
    // Per budget, the portfolios to stage.
    let tops: Vec<Vec<usize>> = choices
        .iter()
        .map(|(_, c)| {
            std::iter::once(c.best)
                .chain(c.runners_up.iter().map(|r| r.index))
                .filter(|&p| {
                    let n = explored.portfolios[p].members.len();
                    n > 0 && n <= MAX_STAGED
                })
                .take(MAX_STAGED_PORTFOLIOS)
                .collect()
        })
        .collect();
    let projects = |p: usize| -> Vec<Project> {
        explored.portfolios[p]
            .members
            .iter()
            .map(|&k| Project {
                option: k,
                lead_years: leads[k],
                annual_cost_usd: cat.costs[k],
            })
            .collect()
    };
    // The sets in service on some pathway, then simulated where they were not.
    let mut wanted: Vec<Vec<usize>> = Vec::new();
    for &p in tops.iter().flatten() {
        stage(
            &projects(p),
            &cat.rules,
            &calendar,
            &mut |_, set: &[usize]| {
                if !wanted.iter().any(|w| w == set) {
                    wanted.push(set.to_vec());
                }
                0.0
            },
        );
    }
    let fresh: Vec<Portfolio> = wanted
        .into_iter()
        .map(|m| crate::engine::portfolio::portfolio(m, &cat.costs))
        .collect();
    // The network of each year: the scenario's in its first year, then moved to 1 January (the
    // network's dated vintage). Years on one network share its simulations: the first
    // network's are the search's.
    let mut networks: Vec<crate::model::Network> = vec![l.network.clone()];
    let epoch: Vec<usize> = (first_year..=st.last_year)
        .map(|y| {
            let jan1 = crate::model::Date::from_ymd(i64::from(y), 1, 1).unwrap_or(start);
            let net = if y == first_year {
                l.network.clone()
            } else {
                l.network.moved(start, jan1)
            };
            networks.iter().position(|n| *n == net).unwrap_or_else(|| {
                networks.push(net);
                networks.len() - 1
            })
        })
        .collect();
    let mut known = vec![explored.clone()];
    let mut values = vec![value];
    known[0].ensure(&fresh, eval)?;
    for net in &networks[1..] {
        let on = LoadedScenario {
            network: net.clone(),
            ..l.clone()
        };
        // The status quo on that network, then every set in service.
        let mut sets = vec![crate::engine::portfolio::portfolio(Vec::new(), &cat.costs)];
        sets.extend(fresh.iter().cloned());
        let mut v = value;
        let mut e = Explored::default();
        e.ensure::<AppError>(&sets, &mut |batch: &[Portfolio]| {
            let (there, rows) = on_network(&on, batch)?;
            v = there;
            Ok(rows)
        })?;
        known.push(e);
        values.push(v);
    }
    let bases: Vec<Vec<f64>> = known
        .iter()
        .zip(&values)
        .map(|(k, v)| losses(&k.outcomes, 0, *v))
        .collect();
    let mut avoided = |year: i32, set: &[usize]| -> f64 {
        let e = usize::try_from(year - first_year).map_or(0, |i| epoch[i]);
        let p = known[e].position(set).unwrap_or(0);
        point(
            Objective::Net,
            &bases[e],
            &losses(&known[e].outcomes, p, values[e]),
            0.0,
        )
    };
    Ok(tops
        .iter()
        .map(|ps| {
            ps.iter()
                .map(|&p| Staged {
                    portfolio: p,
                    pathways: stage(&projects(p), &cat.rules, &calendar, &mut avoided),
                })
                .collect()
        })
        .collect())
}

/// Simulates portfolios (the status quo first) on another network of the scenario (a later
/// year's vintage): their valuation there and `[replicate][portfolio]`.
type OnNetwork<'a> = dyn FnMut(&LoadedScenario, &[Portfolio]) -> Result<(Valuation, Vec<Vec<Outcome>>), AppError>
    + 'a;

/// Simulates the candidates (the status quo first) with a Monte Carlo model: `[replicate][candidate]`.
type Resimulate<'a> = dyn FnMut(&[Portfolio], &crate::model::MonteCarlo, &str) -> Result<Vec<Vec<Outcome>>, AppError>
    + 'a;

/// Per budget: the candidates (the portfolios within it, at most `cfg.candidates`: the best as
/// estimated and the bests within the smaller budgets, then those on the frontier of cost
/// against mean loss, where the best lies whatever the costs or the oil price, then the rest
/// by rank; listed best as estimated first)
/// scored under every case, and the regret table.
fn robustness(
    cfg: &OptimiseConfig,
    explored: &Explored,
    on_frontier: &[bool],
    value: Valuation,
    cases: &[Assumption],
    resimulate: &mut Resimulate<'_>,
) -> Result<Vec<Robustness>, AppError> {
    let cost = |p: usize| explored.portfolios[p].annual_cost_usd;
    let scores = |outcomes: &[Vec<Outcome>],
                  index: &dyn Fn(usize) -> usize,
                  value: Valuation,
                  k: f64,
                  ps: &[usize]| {
        let base = losses(outcomes, index(0), value);
        ps.iter()
            .map(|&p| {
                point(
                    cfg.objective,
                    &base,
                    &losses(outcomes, index(p), value),
                    cost(p) * k,
                )
            })
            .collect::<Vec<f64>>()
    };
    let all: Vec<usize> = (0..explored.portfolios.len()).collect();
    let central = scores(&explored.outcomes, &|p| p, value, 1.0, &all);
    // The best within each budget: within a larger budget, the cheaper choices to weigh.
    let bests: Vec<usize> = cfg
        .budgets_usd
        .iter()
        .map(|&b| ranking(&explored.portfolios, &central, b)[0])
        .collect();
    let per_budget: Vec<Vec<usize>> = cfg
        .budgets_usd
        .iter()
        .map(|&b| {
            let ranked = ranking(&explored.portfolios, &central, b);
            // The best and the bests within the smaller budgets, then the frontier of cost
            // against mean loss (where the best lies whatever the costs or the oil price),
            // then the rest, each by rank; shown by rank.
            let (first, rest): (Vec<usize>, Vec<usize>) =
                (0..ranked.len()).partition(|&i| i == 0 || bests.contains(&ranked[i]));
            let (second, rest): (Vec<usize>, Vec<usize>) =
                rest.into_iter().partition(|&i| on_frontier[ranked[i]]);
            let mut keep: Vec<usize> = first
                .into_iter()
                .chain(second)
                .chain(rest)
                .take(cfg.candidates)
                .collect();
            keep.sort_unstable();
            keep.into_iter().map(|i| ranked[i]).collect()
        })
        .collect();
    // Every budget's candidates, the status quo first: simulated again once per case.
    let mut union: Vec<usize> = vec![0];
    for p in per_budget.iter().flatten() {
        if !union.contains(p) {
            union.push(*p);
        }
    }
    let members: Vec<Portfolio> = union
        .iter()
        .map(|&p| explored.portfolios[p].clone())
        .collect();
    let mut again: Vec<Option<Vec<Vec<Outcome>>>> = Vec::new();
    for c in cases {
        again.push(match &c.monte_carlo {
            Some(mc) => Some(resimulate(&members, mc, &c.name)?),
            None => None,
        });
    }
    let at = |p: usize| union.iter().position(|&u| u == p).unwrap_or(0);
    // Per case, the score of every candidate of any budget (in the order of `union`).
    let union_scores: Vec<Vec<f64>> = cases
        .iter()
        .zip(&again)
        .map(|(c, o)| {
            let v = Valuation {
                usd_per_mt: value.usd_per_mt * c.price_factor,
                ..value
            };
            match o {
                Some(o) => scores(o, &at, v, c.cost_factor, &union),
                None => scores(&explored.outcomes, &|p| p, v, c.cost_factor, &union),
            }
        })
        .collect();
    Ok(per_budget
        .into_iter()
        .map(|candidates| {
            let cases: Vec<Case> = cases
                .iter()
                .zip(&union_scores)
                .map(|(c, all)| Case {
                    name: c.name.clone(),
                    scores: candidates.iter().map(|&p| all[at(p)]).collect(),
                })
                .collect();
            let regret = regret(&cases);
            Robustness {
                candidates,
                cases,
                regret,
            }
        })
        .collect())
}

/// A portfolio's id: its options joined by `+`, or `status-quo`.
fn id(options: &[String], p: &Portfolio) -> String {
    if p.members.is_empty() {
        "status-quo".into()
    } else {
        p.members
            .iter()
            .map(|&k| options[k].as_str())
            .collect::<Vec<_>>()
            .join("+")
    }
}

fn usd(e: Estimate) -> [Usd; 3] {
    [e.mean, e.lo, e.hi].map(Usd::dollars)
}

/// The tables of `r`: `portfolios.csv`, `choice.csv`, `marginal.csv`, and with `--stage` and
/// `--robust` their tables (empty otherwise).
pub fn tables(cfg: &OptimiseConfig, r: &OptimiseResult) -> OptimiseTables {
    // The scores and frontier flags do not depend on the budget.
    let scored = &r.choices[0].1.scored;
    let portfolios: Vec<PortfolioRow> = scored
        .iter()
        .zip(&r.ids)
        .map(|(s, id)| {
            let [loss_usd, loss_usd_lo, loss_usd_hi] = usd(s.loss_usd);
            let [avoided_usd, avoided_usd_lo, avoided_usd_hi] = usd(s.avoided_usd);
            PortfolioRow {
                portfolio: id.clone(),
                options: s.portfolio.members.len(),
                annual_cost_usd: Usd::dollars(s.portfolio.annual_cost_usd),
                loss_usd,
                loss_usd_lo,
                loss_usd_hi,
                cvar95_loss_usd: Usd::dollars(s.cvar95_usd),
                avoided_usd,
                avoided_usd_lo,
                avoided_usd_hi,
                net_usd: Usd::dollars(s.net_usd),
                lost_exports_mt: crate::report::rows::F4::new(s.loss_mt),
                frontier_mean: s.frontier_mean,
                frontier_cvar95: s.frontier_cvar95,
            }
        })
        .collect();
    let mut choice = Vec::new();
    let mut marginal = Vec::new();
    for (budget, c) in &r.choices {
        let value = |p: usize| cfg.objective.value(&c.scored[p]);
        let row = |role: &str, p: usize| ChoiceRow {
            budget_usd: Usd::dollars(*budget),
            role: role.into(),
            portfolio: r.ids[p].clone(),
            objective: cfg.objective.name().into(),
            value_usd: Usd::dollars(value(p)),
            annual_cost_usd: Usd::dollars(c.scored[p].portfolio.annual_cost_usd),
            ..ChoiceRow::default()
        };
        choice.push(row("best", c.best));
        for ru in &c.runners_up {
            let [gap_usd, gap_usd_lo, gap_usd_hi] = usd(ru.gap_usd);
            let role = if ru.tied {
                "tied"
            } else {
                "not statistically worse"
            };
            choice.push(ChoiceRow {
                gap_usd,
                gap_usd_lo,
                gap_usd_hi,
                tied: ru.tied,
                ..row(role, ru.index)
            });
        }
        for m in &c.marginals {
            let [avoided_usd, avoided_usd_lo, avoided_usd_hi] = usd(m.avoided_usd);
            marginal.push(MarginalRow {
                budget_usd: Usd::dollars(*budget),
                portfolio: r.ids[c.best].clone(),
                option: r.options[m.option].clone(),
                with_dependents: m
                    .dependents
                    .iter()
                    .map(|&d| r.options[d].as_str())
                    .collect::<Vec<_>>()
                    .join("+"),
                avoided_usd,
                avoided_usd_lo,
                avoided_usd_hi,
                annual_cost_usd: Usd::dollars(m.cost_usd),
                net_usd: Usd::dollars(m.net_usd),
                cvar95_change_usd: Usd::dollars(m.cvar95_change_usd),
            });
        }
    }
    let (staging, pathway) = staging_rows(r);
    let (robustness, regret) = robustness_rows(cfg, r);
    let mut sizes = Vec::new();
    for ((budget, c), ss) in r.choices.iter().zip(&r.sizes) {
        for z in ss {
            let s = &c.scored[z.portfolio];
            let [avoided_usd, avoided_usd_lo, avoided_usd_hi] = usd(s.avoided_usd);
            let [gap_usd, gap_usd_lo, gap_usd_hi] = usd(z.gap_usd);
            sizes.push(SizeRow {
                budget_usd: Usd::dollars(*budget),
                portfolio: r.ids[c.best].clone(),
                knob: r.options[z.member]
                    .split('@')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                level: z
                    .level
                    .map_or_else(|| "none".into(), |q| r.options[q].clone()),
                chosen: z.portfolio == c.best,
                resized: r.ids[z.portfolio].clone(),
                annual_cost_usd: Usd::dollars(s.portfolio.annual_cost_usd),
                avoided_usd,
                avoided_usd_lo,
                avoided_usd_hi,
                net_usd: Usd::dollars(s.net_usd),
                gap_usd,
                gap_usd_lo,
                gap_usd_hi,
                within_budget: s.portfolio.annual_cost_usd <= *budget,
            });
        }
    }
    OptimiseTables {
        sizes,
        portfolios,
        choice,
        marginal,
        robustness,
        regret,
        staging,
        pathway,
    }
}

/// Writes the tables, the frontier chart and the summary of `r`, and prints the summary.
fn write(
    l: &LoadedScenario,
    cfg: &OptimiseConfig,
    runs: u64,
    r: &OptimiseResult,
    sink: &mut dyn Sink,
) -> Result<(), AppError> {
    let dir = PathBuf::from(&l.id).join("optimise");
    let t = tables(cfg, r);
    write_table(sink, &dir.join("portfolios.csv"), &t.portfolios)?;
    let scored = &r.choices[0].1.scored;
    let frontier = FrontierChart {
        title: format!("{}: portfolios of options", l.scenario.name),
        points: scored
            .iter()
            .zip(&r.ids)
            .map(|(s, id)| FrontierPoint {
                id: id.clone(),
                cost: s.portfolio.annual_cost_usd / 1e6,
                mean: s.loss_usd.mean / 1e6,
                cvar95: s.cvar95_usd / 1e6,
                on_mean: s.frontier_mean,
                on_cvar95: s.frontier_cvar95,
            })
            .collect(),
        choices: r.choices.iter().map(|(b, c)| (b / 1e6, c.best)).collect(),
    };
    write_chart(sink, &dir.join("frontier"), &frontier)?;
    write_table(sink, &dir.join("choice.csv"), &t.choice)?;
    write_table(sink, &dir.join("marginal.csv"), &t.marginal)?;
    write_table(sink, &dir.join("sizes.csv"), &t.sizes)?;
    if cfg.stage.is_some() {
        write_table(sink, &dir.join("staging.csv"), &t.staging)?;
        write_table(sink, &dir.join("pathway.csv"), &t.pathway)?;
    }
    if cfg.robust {
        write_table(sink, &dir.join("robustness.csv"), &t.robustness)?;
        write_table(sink, &dir.join("regret.csv"), &t.regret)?;
    }
    let text = summary(l, cfg, runs, r);
    write_text(sink, &dir.join("summary.txt"), &text)?;
    sink.print(&text);
    Ok(())
}

/// An order of options, ` > `-joined.
fn order_text(r: &OptimiseResult, order: &[usize]) -> String {
    order
        .iter()
        .map(|&k| r.options[k].as_str())
        .collect::<Vec<_>>()
        .join(" > ")
}

/// The rows of `staging.csv` and `pathway.csv`.
fn staging_rows(r: &OptimiseResult) -> (Vec<StagingRow>, Vec<PathwayRow>) {
    let mut orders = Vec::new();
    let mut years = Vec::new();
    for ((budget, _), staged) in r.choices.iter().zip(&r.staging) {
        for s in staged {
            for (rank, p) in s.pathways.iter().enumerate() {
                orders.push(StagingRow {
                    budget_usd: Usd::dollars(*budget),
                    portfolio: r.ids[s.portfolio].clone(),
                    rank: rank + 1,
                    order: order_text(r, &p.order),
                    in_service_from: p
                        .order
                        .iter()
                        .zip(&p.in_service_from)
                        .map(|(&k, y)| format!("{} {y}", r.options[k]))
                        .collect::<Vec<_>>()
                        .join("; "),
                    npv_usd: Usd::dollars(p.npv_usd),
                });
            }
            if let Some(best) = s.pathways.first() {
                for y in &best.years {
                    years.push(PathwayRow {
                        budget_usd: Usd::dollars(*budget),
                        portfolio: r.ids[s.portfolio].clone(),
                        order: order_text(r, &best.order),
                        year: y.year,
                        in_service: y
                            .in_service
                            .iter()
                            .map(|&k| r.options[k].as_str())
                            .collect::<Vec<_>>()
                            .join("+"),
                        avoided_usd: Usd::dollars(y.avoided_usd),
                        annual_cost_usd: Usd::dollars(y.cost_usd),
                        net_usd: Usd::dollars(y.avoided_usd - y.cost_usd),
                        discounted_net_usd: Usd::dollars(y.discounted_usd),
                    });
                }
            }
        }
    }
    (orders, years)
}

/// The summary of the staging within one budget: each staged portfolio's best and worst
/// order.
fn staging_summary(cfg: &OptimiseConfig, staged: &[Staged], r: &OptimiseResult) -> String {
    let Some(st) = &cfg.stage else {
        return String::new();
    };
    let mut out = format!(
        "Staging to {}, one decision every {} year(s), discounted at {:.1}%/yr (NPV at the start of the first year):\n",
        st.last_year,
        st.stagger_years,
        st.discount_rate * 100.0
    );
    if staged.is_empty() {
        out += "  nothing to stage (the status quo, or portfolios of more than 8 options)\n";
    }
    for s in staged {
        let (Some(best), Some(worst)) = (s.pathways.first(), s.pathways.last()) else {
            continue;
        };
        out += &format!(
            "  {}: best order {} (in service {}; NPV {}); of {} order(s), the worst {} (NPV {})\n",
            r.ids[s.portfolio],
            order_text(r, &best.order),
            best.in_service_from
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            usd_m(best.npv_usd),
            s.pathways.len(),
            order_text(r, &worst.order),
            usd_m(worst.npv_usd),
        );
    }
    out
}

/// The rows of `robustness.csv` and `regret.csv`.
fn robustness_rows(
    cfg: &OptimiseConfig,
    r: &OptimiseResult,
) -> (Vec<RobustnessRow>, Vec<RegretRow>) {
    let mut cases = Vec::new();
    let mut regrets = Vec::new();
    for ((budget, c), rb) in r.choices.iter().zip(&r.robustness) {
        let cost = |p: usize| Usd::dollars(c.scored[p].portfolio.annual_cost_usd);
        for (k, case) in rb.cases.iter().enumerate() {
            for (i, &p) in rb.candidates.iter().enumerate() {
                cases.push(RobustnessRow {
                    budget_usd: Usd::dollars(*budget),
                    case: case.name.clone(),
                    portfolio: r.ids[p].clone(),
                    annual_cost_usd: cost(p),
                    value_usd: Usd::dollars(reported(cfg.objective, case.scores[i])),
                    regret_usd: Usd::dollars(rb.regret.regret[i][k]),
                });
            }
        }
        for (i, &p) in rb.candidates.iter().enumerate() {
            regrets.push(RegretRow {
                budget_usd: Usd::dollars(*budget),
                portfolio: r.ids[p].clone(),
                annual_cost_usd: cost(p),
                value_usd: Usd::dollars(reported(cfg.objective, rb.cases[0].scores[i])),
                mean_value_usd: Usd::dollars(reported(cfg.objective, rb.regret.mean_score[i])),
                max_regret_usd: Usd::dollars(rb.regret.max_regret[i]),
                worst_case: rb.cases[rb.regret.worst_case[i]].name.clone(),
                role: roles(rb, i).join("; "),
            });
        }
    }
    (cases, regrets)
}

/// The roles of candidate `i`: best as estimated (the first candidate), expected value,
/// minimax regret.
fn roles(rb: &Robustness, i: usize) -> Vec<&'static str> {
    [
        (i == 0, "best as estimated"),
        (i == rb.regret.expected, "expected value"),
        (i == rb.regret.minimax, "minimax regret"),
    ]
    .into_iter()
    .filter_map(|(is, role)| is.then_some(role))
    .collect()
}

/// The summary of the robustness analysis within one budget: the three choices and their
/// regret in every case.
fn robustness_summary(cfg: &OptimiseConfig, rb: &Robustness, r: &OptimiseResult) -> String {
    let g = &rb.regret;
    let name = |i: usize| r.ids[rb.candidates[i]].as_str();
    let what = match cfg.objective {
        Objective::Net => "net benefit",
        Objective::Mean => "mean loss",
        Objective::Cvar95 => "CVaR95",
    };
    let mut out = format!(
        "Robustness over {} cases, {} candidates: expected value (mean {what} over the cases) {} ({}/yr); minimax regret {} (largest regret {}/yr, under {}); best as estimated {} (largest regret {}/yr, under {}).\n",
        rb.cases.len(),
        rb.candidates.len(),
        name(g.expected),
        usd_m(reported(cfg.objective, g.mean_score[g.expected])),
        name(g.minimax),
        usd_m(g.max_regret[g.minimax]),
        rb.cases[g.worst_case[g.minimax]].name,
        name(0),
        usd_m(g.max_regret[0]),
        rb.cases[g.worst_case[0]].name,
    );
    let mut shown: Vec<usize> = vec![0, g.expected, g.minimax];
    shown.dedup();
    shown.sort_unstable();
    shown.dedup();
    out += "  Regret, $m/yr, by case (and the best candidate in the case):\n";
    for (k, c) in rb.cases.iter().enumerate() {
        let top = (0..rb.candidates.len())
            .find(|&i| g.regret[i][k] == 0.0)
            .unwrap_or(0);
        out += &format!(
            "    {:<36}{}   (best: {})\n",
            c.name,
            shown
                .iter()
                .map(|&i| format!("  {}: {:.1}", name(i), g.regret[i][k] / 1e6))
                .collect::<String>(),
            name(top)
        );
    }
    out
}

/// The plain-text summary: how the portfolios were searched, then per budget the best
/// portfolio, what the evidence cannot separate from it, and its members' marginal values.
fn summary(l: &LoadedScenario, cfg: &OptimiseConfig, runs: u64, r: &OptimiseResult) -> String {
    let replicates = if l.scenario.monte_carlo.is_some() {
        format!("{runs} replicate-years, the same failures for every portfolio")
    } else {
        "the scenario's own events".to_string()
    };
    let how = if r.exhaustive {
        "every portfolio the rules allow".to_string()
    } else {
        format!(
            "a local search ({} portfolios expanded in {} batches{})",
            r.stats.expanded,
            r.stats.batches,
            if r.stats.capped {
                "; stopped at --max-portfolios with portfolios left to expand: the best found, not necessarily the best"
            } else {
                ""
            }
        )
    };
    let mut out = format!(
        "{}: {} portfolios of {} options simulated on {replicates}, by {how}.\n",
        l.id,
        r.ids.len(),
        r.options.len(),
    );
    for (k, (budget, c)) in r.choices.iter().enumerate() {
        out += &choice_summary(cfg, *budget, c, r);
        out += &sizes_summary(cfg, c, &r.sizes[k], r);
        if let Some(rb) = r.robustness.get(k) {
            out += &robustness_summary(cfg, rb, r);
        }
        if let Some(staged) = r.staging.get(k) {
            out += &staging_summary(cfg, staged, r);
        }
    }
    out
}

/// How big: each sized member of the best at every level simulated, the others kept.
fn sizes_summary(cfg: &OptimiseConfig, c: &Choice, sizes: &[Size], r: &OptimiseResult) -> String {
    let mut out = String::new();
    let mut members: Vec<usize> = sizes.iter().map(|z| z.member).collect();
    members.dedup();
    for k in members {
        let rows: Vec<String> = sizes
            .iter()
            .filter(|z| z.member == k)
            .map(|z| {
                let name = z.level.map_or("none", |q| r.options[q].as_str());
                let value = usd_m(cfg.objective.value(&c.scored[z.portfolio]));
                if z.portfolio == c.best {
                    format!("{name} {value} (chosen)")
                } else {
                    format!(
                        "{name} {value} ({} to {})",
                        usd_m(z.gap_usd.lo),
                        usd_m(z.gap_usd.hi)
                    )
                }
            })
            .collect();
        out += &format!(
            "How big: {} left out and at each level, the other members kept (the {} value a year; in brackets the paired 95% CI of how much worse it is than the chosen): {}.\n",
            r.options[k].split('@').next().unwrap_or_default(),
            cfg.objective.name(),
            rows.join("; ")
        );
    }
    out
}

/// The summary of the choice within one budget.
fn choice_summary(cfg: &OptimiseConfig, budget: f64, c: &Choice, r: &OptimiseResult) -> String {
    let best = &c.scored[c.best];
    let within = c.scored.iter().filter(|s| s.within_budget).count();
    let what = match cfg.objective {
        Objective::Net => "highest net benefit (avoided loss less annual cost)",
        Objective::Mean => "lowest mean annual loss",
        Objective::Cvar95 => "lowest CVaR95 of the annual loss",
    };
    let mut out = format!(
        "\nBudget {}/yr ({within} portfolios within it). Best by {what}: {} (cost {}/yr; avoided {}/yr, 95% CI {} to {}; net {}/yr; mean loss {}/yr; CVaR95 {}/yr).\n",
        usd_m(budget),
        r.ids[c.best],
        usd_m(best.portfolio.annual_cost_usd),
        usd_m(best.avoided_usd.mean),
        usd_m(best.avoided_usd.lo),
        usd_m(best.avoided_usd.hi),
        usd_m(best.net_usd),
        usd_m(best.loss_usd.mean),
        usd_m(best.cvar95_usd),
    );
    let tied: Vec<&str> = c
        .runners_up
        .iter()
        .filter(|x| x.tied)
        .map(|x| r.ids[x.index].as_str())
        .collect();
    if !tied.is_empty() {
        out += &format!(
            "Tied with it (equal on every replicate): {}; the cheapest, then the smallest, is shown.\n",
            tied.join(", ")
        );
    }
    let close: Vec<String> = c
        .runners_up
        .iter()
        .filter(|x| !x.tied)
        .map(|x| {
            format!(
                "{} (worse by {}/yr, 95% CI {} to {})",
                r.ids[x.index],
                usd_m(x.gap_usd.mean),
                usd_m(x.gap_usd.lo),
                usd_m(x.gap_usd.hi)
            )
        })
        .collect();
    // The closest few; choice.csv lists them all.
    const SHOWN: usize = 5;
    if close.is_empty() {
        out += "No other portfolio within the budget is within the paired 95% interval of it.\n";
    } else {
        let more = close.len().saturating_sub(SHOWN);
        out += &format!(
            "Not statistically worse ({} of them; choice.csv lists all): {}{}.\n",
            close.len(),
            close[..close.len().min(SHOWN)].join("; "),
            if more > 0 {
                format!("; and {more} more")
            } else {
                String::new()
            }
        );
    }
    if !c.marginals.is_empty() {
        out += "What each option adds given the others (avoided loss, 95% CI; cost; net):\n";
        for m in &c.marginals {
            let with = if m.dependents.is_empty() {
                String::new()
            } else {
                let d: Vec<&str> = m
                    .dependents
                    .iter()
                    .map(|&d| r.options[d].as_str())
                    .collect();
                format!(" (with {}, which need it)", d.join(", "))
            };
            out += &format!(
                "  {}{with}: {} ({} to {}); {}; {}\n",
                r.options[m.option],
                usd_m(m.avoided_usd.mean),
                usd_m(m.avoided_usd.lo),
                usd_m(m.avoided_usd.hi),
                usd_m(m.cost_usd),
                usd_m(m.net_usd)
            );
        }
    }
    out
}
