//! `corridor optimise`: the best portfolio of options under a budget, from every combination of
//! the catalogue simulated on the same failures (see [`crate::engine::portfolio`]).

use std::path::{Path, PathBuf};

use super::compare::{default_variants_dir, load_variants};
use super::sink::{write_chart, write_table, write_text};
use super::{AppError, Sink};
use crate::engine::compare::{Estimate, reference, run_all};
use crate::engine::portfolio::{
    Choice, MAX_EXHAUSTIVE, Objective, Portfolio, Valuation, all_portfolios, choose,
};
use crate::io::variant::list_variants_in;
use crate::io::{Disk, Limits, LoadedScenario, Source};
use crate::model::Variant;
use crate::report::fmt::usd as usd_m;
use crate::report::rows::{ChoiceRow, MarginalRow, PortfolioRow, Usd};
use crate::report::stats_charts::{FrontierChart, FrontierPoint};

/// Settings of an optimisation.
#[derive(Debug, Clone)]
pub struct OptimiseConfig {
    /// Replicate-years (default: the scenario's; one run of its own events without Monte
    /// Carlo).
    pub runs: Option<u64>,
    /// The most the portfolio may cost, US$ per year.
    pub budget_usd: f64,
    /// What the best portfolio is best at.
    pub objective: Objective,
    /// The catalogue: option ids in the variants directory (default: every file there).
    pub options: Option<Vec<String>>,
    /// Show a progress bar (replicate-years done) on a terminal.
    pub progress: bool,
    /// The most work the command may do and files it may read.
    pub limits: Limits,
}

/// What an optimisation found: the catalogue, the portfolios' ids (in the order of
/// `choice.scored`) and the choice.
#[derive(Debug, Clone)]
pub struct OptimiseResult {
    /// Option ids, the catalogue's order.
    pub options: Vec<String>,
    /// Portfolio ids (`a+b`, `status-quo`), in the order scored.
    pub ids: Vec<String>,
    /// The scores, the best portfolio, its runners-up and its members' marginal values.
    pub choice: Choice,
}

/// `corridor optimise`: loads scenario `path` (strict, with `overrides`), the catalogue of
/// options in `dir` (default: `variants/` beside the scenario), simulates every portfolio on
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
    if !(cfg.budget_usd >= 0.0 && cfg.budget_usd.is_finite()) {
        return Err(AppError::Input(format!(
            "--budget {}: a budget is a finite amount of US$ per year, 0 or more\n  hint: --budget 150e6 allows $150m a year",
            cfg.budget_usd
        )));
    }
    let known = list_variants_in(source, dir);
    let options = cfg.options.clone().unwrap_or_else(|| known.clone());
    if options.is_empty() {
        return Err(AppError::Input(format!(
            "{}: no options to combine\n  hint: put variant files (docs: README, `corridor compare`) in that directory, or name it with --variants-dir",
            dir.display()
        )));
    }
    if options.len() > MAX_EXHAUSTIVE {
        return Err(AppError::Input(format!(
            "{} options make {} portfolios; the exhaustive search takes at most {MAX_EXHAUSTIVE} options\n  hint: name the options to combine with --options a,b,c",
            options.len(),
            1u64 << options.len().min(63)
        )));
    }
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
    if let Some(c) = options.iter().find(|o| o.contains('+')) {
        return Err(AppError::Input(format!(
            "--options: `{c}` is a combination\n  hint: name the single options; the optimiser combines them"
        )));
    }
    // Each option alone (its cost, and every file's problems at once), then every portfolio.
    let single = load_variants(source, dir, &options, l)?;
    let costs: Vec<f64> = single[1..].iter().map(|v| v.annual_cost_usd).collect();
    // Pairs that exclude each other (either file may say so); an exclusion of an option
    // outside the catalogue binds nothing here.
    let excluded: Vec<(usize, usize)> = single[1..]
        .iter()
        .enumerate()
        .flat_map(|(a, v)| {
            let options = &options;
            v.excludes
                .iter()
                .filter_map(move |x| options.iter().position(|o| o == x).map(|b| (a, b)))
        })
        .collect();
    for (v, o) in single[1..].iter().zip(&options) {
        for x in v.excludes.iter().filter(|x| !known.contains(x)) {
            sink.note(&format!(
                "warning: option `{o}` excludes `{x}`, which is not in {} (a typo?)",
                dir.display()
            ));
        }
    }
    let portfolios = all_portfolios(&costs, &excluded);
    let ids: Vec<String> = portfolios.iter().map(|p| id(&options, p)).collect();
    let variants: Vec<Variant> = load_variants(source, dir, &ids[1..], l)?;
    let runs = super::compare::runs_or_scenario(l, cfg.runs);
    super::inputs::check_work(
        &cfg.limits,
        &[(
            format!("{} optimisation", l.id),
            runs,
            l.scenario.horizon_days,
            variants.len() as u64,
        )],
    )?;
    let mc = l.scenario.monte_carlo.as_ref();
    let bar = super::montecarlo::replicate_bar(cfg.progress, runs, &l.id);
    let tick = || bar.inc(1);
    let solve = |e| AppError::solve(&l.id, e);
    let reference = reference(&l.scenario, &variants).map_err(solve)?;
    let outcomes =
        run_all(&l.scenario, mc, &variants, 0..runs, &reference, &tick).map_err(solve)?;
    bar.finish_and_clear();
    let value = Valuation {
        reference_kt: reference.days.iter().map(|d| d.exports_kt).sum(),
        usd_per_mt: l.scenario.economics.usd_per_mt(),
    };
    let seed = mc.map_or(0, |m| m.seed);
    let choice = choose(
        &portfolios,
        &outcomes,
        value,
        cfg.budget_usd,
        cfg.objective,
        seed,
    );
    let result = OptimiseResult {
        options,
        ids,
        choice,
    };
    write(l, cfg, runs, &result, sink)?;
    Ok(result)
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

/// Writes the tables and the summary of `r`, and prints the summary.
fn write(
    l: &LoadedScenario,
    cfg: &OptimiseConfig,
    runs: u64,
    r: &OptimiseResult,
    sink: &mut dyn Sink,
) -> Result<(), AppError> {
    let dir = PathBuf::from(&l.id).join("optimise");
    let c = &r.choice;
    let rows: Vec<PortfolioRow> = c
        .scored
        .iter()
        .zip(&r.ids)
        .map(|(s, id)| {
            let [loss_usd, loss_usd_lo, loss_usd_hi] = usd(s.loss_usd);
            let [avoided_usd, avoided_usd_lo, avoided_usd_hi] = usd(s.avoided_usd);
            PortfolioRow {
                portfolio: id.clone(),
                options: s.portfolio.members.len(),
                annual_cost_usd: Usd::dollars(s.portfolio.annual_cost_usd),
                within_budget: s.within_budget,
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
    write_table(sink, &dir.join("portfolios.csv"), &rows)?;
    let frontier = FrontierChart {
        title: format!("{}: portfolios of options", l.scenario.name),
        points: c
            .scored
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
        budget: cfg.budget_usd / 1e6,
        best: c.best,
    };
    write_chart(sink, &dir.join("frontier"), &frontier)?;
    let value = |p: usize| cfg.objective.value(&c.scored[p]);
    let mut choice = vec![ChoiceRow {
        role: "best".into(),
        portfolio: r.ids[c.best].clone(),
        objective: cfg.objective.name().into(),
        value_usd: Usd::dollars(value(c.best)),
        annual_cost_usd: Usd::dollars(c.scored[c.best].portfolio.annual_cost_usd),
        ..ChoiceRow::default()
    }];
    for ru in &c.runners_up {
        let [gap_usd, gap_usd_lo, gap_usd_hi] = usd(ru.gap_usd);
        choice.push(ChoiceRow {
            role: if ru.tied {
                "tied"
            } else {
                "not statistically worse"
            }
            .into(),
            portfolio: r.ids[ru.index].clone(),
            objective: cfg.objective.name().into(),
            value_usd: Usd::dollars(value(ru.index)),
            annual_cost_usd: Usd::dollars(c.scored[ru.index].portfolio.annual_cost_usd),
            gap_usd,
            gap_usd_lo,
            gap_usd_hi,
            tied: ru.tied,
        });
    }
    write_table(sink, &dir.join("choice.csv"), &choice)?;
    let marginal: Vec<MarginalRow> = c
        .marginals
        .iter()
        .map(|m| {
            let [avoided_usd, avoided_usd_lo, avoided_usd_hi] = usd(m.avoided_usd);
            MarginalRow {
                option: r.options[m.option].clone(),
                avoided_usd,
                avoided_usd_lo,
                avoided_usd_hi,
                annual_cost_usd: Usd::dollars(m.cost_usd),
                net_usd: Usd::dollars(m.net_usd),
                cvar95_change_usd: Usd::dollars(m.cvar95_change_usd),
            }
        })
        .collect();
    write_table(sink, &dir.join("marginal.csv"), &marginal)?;
    let text = summary(l, cfg, runs, r);
    write_text(sink, &dir.join("summary.txt"), &text)?;
    sink.print(&text);
    Ok(())
}

/// The plain-text summary: the best portfolio, what the evidence cannot separate from it, and
/// its members' marginal values.
fn summary(l: &LoadedScenario, cfg: &OptimiseConfig, runs: u64, r: &OptimiseResult) -> String {
    let c = &r.choice;
    let best = &c.scored[c.best];
    let within = c.scored.iter().filter(|s| s.within_budget).count();
    let what = match cfg.objective {
        Objective::Net => "highest net benefit (avoided loss less annual cost)",
        Objective::Mean => "lowest mean annual loss",
        Objective::Cvar95 => "lowest CVaR95 of the annual loss",
    };
    let replicates = if l.scenario.monte_carlo.is_some() {
        format!("{runs} replicate-years, the same failures for every portfolio")
    } else {
        "the scenario's own events".to_string()
    };
    let mut out = format!(
        "{}: {} portfolios of {} options on {replicates}; {within} within the budget of {}/yr.\nBest by {what}: {} (cost {}/yr; avoided {}/yr, 95% CI {} to {}; net {}/yr; mean loss {}/yr; CVaR95 {}/yr).\n",
        l.id,
        c.scored.len(),
        r.options.len(),
        usd_m(cfg.budget_usd),
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
            out += &format!(
                "  {}: {} ({} to {}); {}; {}\n",
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
