//! `corridor optimise`: a hand-solved micro-network with two complementary options and a
//! substitute, ties between identical options, exclusions, determinism, and the command line.

mod common;

use std::path::Path;

use common::fixtures::{self, DATA_UNSET, economics};
use corridor::app::MemorySink;
use corridor::app::optimise::{OptimiseConfig, Search, StageConfig, run};
use corridor::engine::portfolio::Objective;
use corridor::io::{LoadedScenario, Memory};

/// Field F (100 kt/day) exports on `main` (100 kt/day) to market M. Planned: berths `berth`
/// F → X and tankers `ship` X → M2 (30 kt/day each: neither carries anything without the
/// other), and a bypass F → M3 (20 kt/day).
const NET: &str = r#"
[[node]]
id = "F"
kind = "field"
lon = 50.0
lat = 45.0
country = "KZ"
production = { value = 100, unit = "kt/day", source = "t" }
[[node]]
id = "M"
kind = "market"
lon = 51.0
lat = 45.0
country = "TR"
[[node]]
id = "X"
kind = "junction"
lon = 50.5
lat = 44.0
country = "KZ"
[[node]]
id = "M2"
kind = "market"
lon = 51.0
lat = 44.0
country = "TR"
[[node]]
id = "M3"
kind = "market"
lon = 50.0
lat = 46.0
country = "TR"
[[link]]
id = "main"
kind = "pipeline"
from = "F"
to = "M"
countries = ["KZ"]
capacity = { value = 100, unit = "kt/day", source = "t" }
[[link]]
id = "berth"
kind = "pipeline"
from = "F"
to = "X"
countries = ["KZ"]
status = "planned"
capacity = { value = 30, unit = "kt/day", source = "t" }
[[link]]
id = "ship"
kind = "pipeline"
from = "X"
to = "M2"
countries = ["KZ"]
status = "planned"
capacity = { value = 30, unit = "kt/day", source = "t" }
[[link]]
id = "bypass"
kind = "pipeline"
from = "F"
to = "M3"
countries = ["KZ"]
status = "planned"
capacity = { value = 20, unit = "kt/day", source = "t" }
"#;

/// A variant file switching on `asset` for `cost` $m a year, with `extra` lines.
fn option(asset: &str, cost: f64, extra: &str) -> String {
    format!(
        "format = 1\nname = \"{asset}\"\ndescription = \"t\"\nswitch_on = [\"{asset}\"]\n{extra}\n[cost]\nannual = {{ value = {cost}, unit = \"$m/yr\", source = \"t\" }}\n"
    )
}

/// `main` out for 10 days: the status quo loses 1,000 kt, $600m at $80/bbl and 7.5 bbl/t.
const OUTAGE: &str = "[[event]]\nkind = \"outage\"\nstart = \"2026-01-05\"\nduration_days = 10\nassets = [\"main\"]\nsource = \"t\"\n";

fn setup(files: &[(&str, String)], tail: &str) -> (Memory, LoadedScenario) {
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let tree = fixtures::tree(NET, &files);
    let text = fixtures::scenario_text("o", 30, &economics(DATA_UNSET), tail);
    let l = fixtures::load_in(&tree, "o", &text);
    (tree, l)
}

/// Options a (the berths, $30m), b (the tankers, $30m) and c (the bypass, $20m), each file
/// with its line of `extra`.
fn catalogue_with(extra: [&str; 3]) -> Vec<(&'static str, String)> {
    vec![
        ("variants/a.toml", option("berth", 30.0, extra[0])),
        ("variants/b.toml", option("ship", 30.0, extra[1])),
        ("variants/c.toml", option("bypass", 20.0, extra[2])),
    ]
}

fn catalogue() -> Vec<(&'static str, String)> {
    catalogue_with(["", "", ""])
}

fn config(budget_usd: f64, objective: Objective) -> OptimiseConfig {
    OptimiseConfig {
        runs: None,
        budgets_usd: vec![budget_usd],
        objective,
        options: None,
        search: Search::Auto,
        max_portfolios: None,
        robust: false,
        candidates: 64,
        stage: None,
        progress: false,
        limits: Default::default(),
    }
}

/// The best portfolio within each budget, and the outputs.
fn optimise_all(
    tree: &Memory,
    l: &LoadedScenario,
    cfg: &OptimiseConfig,
) -> (Vec<String>, MemorySink) {
    let mut sink = MemorySink::new();
    let r = run(tree, Path::new("variants"), l, cfg, &mut sink).unwrap_or_else(|e| panic!("{e}"));
    let best = r
        .choices
        .iter()
        .map(|(_, c)| r.ids[c.best].clone())
        .collect();
    (best, sink)
}

/// The message of the error the optimisation ends with.
fn refusal(tree: &Memory, l: &LoadedScenario, cfg: &OptimiseConfig) -> String {
    run(tree, Path::new("variants"), l, cfg, &mut MemorySink::new())
        .map(|_| ())
        .unwrap_err()
        .to_string()
}

fn optimise(tree: &Memory, l: &LoadedScenario, cfg: &OptimiseConfig) -> (String, MemorySink) {
    let (best, sink) = optimise_all(tree, l, cfg);
    (best[0].clone(), sink)
}

#[test]
fn the_complements_win_where_the_budget_allows_both_and_the_substitute_below() {
    // By hand: a or b alone avoids nothing; a+b carries 30 kt/day for 10 days, 0.3 Mt = $180m;
    // c 0.2 Mt = $120m, with or without one of a, b; all three $300m. Net of cost: a+b $120m,
    // c $100m, a+b+c $220m.
    let (tree, l) = setup(&catalogue(), OUTAGE);
    for (budget, best) in [
        (60e6, "a+b"),
        (59e6, "c"),
        (80e6, "a+b+c"),
        (0.0, "status-quo"),
    ] {
        let (id, _) = optimise(&tree, &l, &config(budget, Objective::Net));
        assert_eq!(id, best, "budget {budget}");
    }
    let (_, out) = optimise(&tree, &l, &config(60e6, Objective::Net));
    let dir = Path::new("o").join("optimise");
    let portfolios = out.text(dir.join("portfolios.csv")).unwrap();
    let row = |id: &str| {
        portfolios
            .lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .unwrap_or_else(|| panic!("{id} in {portfolios}"))
            .to_string()
    };
    // portfolio, options, cost, loss (mean, lo, hi), CVaR95, avoided (mean, lo, hi), net,
    // lost exports Mt, on the two frontiers.
    assert_eq!(
        row("a+b"),
        "a+b,2,60000000,420000000,420000000,420000000,420000000,180000000,180000000,180000000,120000000,0.7000,true,true"
    );
    assert_eq!(
        row("a"),
        "a,1,30000000,600000000,600000000,600000000,600000000,0,0,0,-30000000,1.0000,false,false"
    );
    assert_eq!(portfolios.lines().count(), 1 + 8);
    // What each of the pair adds given the other: all of the pair's $180m, for $30m.
    assert_eq!(
        out.text(dir.join("marginal.csv")).unwrap(),
        "budget_usd,portfolio,option,with_dependents,avoided_usd,avoided_usd_lo,avoided_usd_hi,annual_cost_usd,net_usd,cvar95_change_usd\n\
         60000000,a+b,a,,180000000,180000000,180000000,30000000,150000000,-180000000\n\
         60000000,a+b,b,,180000000,180000000,180000000,30000000,150000000,-180000000\n"
    );
    assert_eq!(
        out.text(dir.join("choice.csv")).unwrap(),
        "budget_usd,role,portfolio,objective,value_usd,annual_cost_usd,gap_usd,gap_usd_lo,gap_usd_hi,tied\n\
         60000000,best,a+b,net,120000000,60000000,0,0,0,false\n"
    );
}

#[test]
fn several_budgets_choose_on_the_same_simulations_and_the_local_search_agrees() {
    let (tree, l) = setup(&catalogue(), OUTAGE);
    let mut cfg = config(0.0, Objective::Net);
    cfg.budgets_usd = vec![0.0, 59e6, 60e6, 80e6];
    let (best, out) = optimise_all(&tree, &l, &cfg);
    assert_eq!(best, ["status-quo", "c", "a+b", "a+b+c"]);
    let choice = out
        .text(Path::new("o").join("optimise").join("choice.csv"))
        .unwrap();
    let bests: Vec<&str> = choice.lines().filter(|l| l.contains(",best,")).collect();
    assert_eq!(
        bests,
        [
            "0,best,status-quo,net,0,0,0,0,0,false",
            "59000000,best,c,net,100000000,20000000,0,0,0,false",
            "60000000,best,a+b,net,120000000,60000000,0,0,0,false",
            "80000000,best,a+b+c,net,220000000,80000000,0,0,0,false",
        ]
    );
    // The local search finds the same, the pair through its pair move (a or b alone avoids
    // nothing).
    cfg.search = Search::Local;
    let (local, out) = optimise_all(&tree, &l, &cfg);
    assert_eq!(local, best);
    let summary = out
        .text(Path::new("o").join("optimise").join("summary.txt"))
        .unwrap();
    assert!(summary.contains("by a local search ("), "{summary}");
}

#[test]
fn an_option_that_needs_another_comes_only_with_it() {
    // The tankers (b) need the berths (a): a+b, never b alone. 6 portfolios, not 8.
    let (tree, l) = setup(&catalogue_with(["", "requires = [\"a\"]", ""]), OUTAGE);
    let (best, out) = optimise(&tree, &l, &config(60e6, Objective::Net));
    assert_eq!(best, "a+b");
    let dir = Path::new("o").join("optimise");
    let portfolios = out.text(dir.join("portfolios.csv")).unwrap();
    let ids: Vec<&str> = portfolios
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap_or(""))
        .collect();
    assert_eq!(ids, ["status-quo", "a", "c", "a+b", "a+c", "a+b+c"]);
    // Without the berths the tankers go too: a's marginal value is the pair's.
    assert_eq!(
        out.text(dir.join("marginal.csv")).unwrap(),
        "budget_usd,portfolio,option,with_dependents,avoided_usd,avoided_usd_lo,avoided_usd_hi,annual_cost_usd,net_usd,cvar95_change_usd\n\
         60000000,a+b,a,b,180000000,180000000,180000000,60000000,120000000,-180000000\n\
         60000000,a+b,b,,180000000,180000000,180000000,30000000,150000000,-180000000\n"
    );
    // `corridor compare` and `run --option` refuse b alone.
    let v = corridor::app::compare::load_variants(&tree, Path::new("variants"), &["b".into()], &l)
        .unwrap_err()
        .to_string();
    assert!(v.contains("variant `b`: it needs `a`"), "{v}");
    assert!(v.contains("hint: combine them, e.g. b+a"), "{v}");
    // A requirement outside the catalogue is refused, naming it.
    let mut cfg = config(60e6, Objective::Net);
    cfg.options = Some(vec!["b".into(), "c".into()]);
    let e = refusal(&tree, &l, &cfg);
    assert!(e.contains("option `b` needs `a`"), "{e}");
}

#[test]
fn the_robustness_cases_score_every_candidate_and_name_the_regret() {
    // No Monte Carlo: the cases are the option costs x0.5 and x2 and the oil price x0.75
    // and x1.25 ($60 and $100/bbl). Net by hand ($m/yr), avoided less cost:
    //               as est.  costs x0.5  costs x2  price x0.75  price x1.25
    //   c (20)        100       110         80         70          130
    //   a+b (60)      120       150         60         75          165
    //   a+b+c (80)    220       260        140        145          295
    // a+b+c is best in every case, so it has no regret; c's largest regret is 295 − 130 =
    // $165m under the dearer oil; its mean over the cases is $98m.
    let (tree, l) = setup(&catalogue(), OUTAGE);
    let mut cfg = config(80e6, Objective::Net);
    cfg.robust = true;
    let (best, out) = optimise(&tree, &l, &cfg);
    assert_eq!(best, "a+b+c");
    let dir = Path::new("o").join("optimise");
    let regret = out.text(dir.join("regret.csv")).unwrap();
    let row = |id: &str| {
        regret
            .lines()
            .find(|l| l.starts_with(&format!("80000000,{id},")))
            .unwrap_or_else(|| panic!("{id} in {regret}"))
            .to_string()
    };
    assert_eq!(
        regret.lines().next().unwrap(),
        "budget_usd,portfolio,annual_cost_usd,value_usd,mean_value_usd,max_regret_usd,worst_case,role"
    );
    assert_eq!(
        row("a+b+c"),
        "80000000,a+b+c,80000000,220000000,212000000,0,as estimated,best as estimated; expected value; minimax regret"
    );
    assert_eq!(
        row("c"),
        "80000000,c,20000000,100000000,98000000,165000000,oil price x1.25 ($100.00/bbl),"
    );
    // Every candidate (the 8 portfolios within $80m) in every case (5).
    let cases = out.text(dir.join("robustness.csv")).unwrap();
    assert_eq!(cases.lines().count(), 1 + 8 * 5);
    assert!(
        cases.contains("\n80000000,option costs x2,a+b,60000000,60000000,80000000\n"),
        "{cases}"
    );
    assert!(
        out.notes
            .iter()
            .any(|n| n.contains("no [monte_carlo] part"))
    );
    // Two candidates within $80m beside a $20m budget: the best and the best within $20m (c),
    // not a+b, which ranks second: a larger budget is weighed against the cheaper choice.
    cfg.budgets_usd = vec![20e6, 80e6];
    cfg.candidates = 2;
    let (_, out) = optimise_all(&tree, &l, &cfg);
    let regret = out.text(dir.join("regret.csv")).unwrap();
    let at_80: Vec<&str> = regret
        .lines()
        .filter(|l| l.starts_with("80000000,"))
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(at_80, ["a+b+c", "c"]);
}

/// The catalogue with lead times: a 1 year, b 2 years, c 3 years.
fn staged_catalogue() -> Vec<(&'static str, String)> {
    let lead = |y: u32| format!("lead_time = {{ value = {y}, unit = \"years\", source = \"t\" }}");
    catalogue_with([&lead(1), &lead(2), &lead(3)])
}

#[test]
fn staging_values_every_order_year_by_year_by_hand() {
    // a+b+c within $80m, one decision a year from 2026, to 2030, undiscounted. Net a year
    // ($m) of the set in service: a or b alone −30, c 100, a+b 120, a+c or b+c 70, all 220.
    // c > b > a: c decided 2026 in service 2029, b 2027 → 2029, a 2028 → 2029: 220 in 2029
    // and 2030, $440m. b > a > c: b and a in 2028, c 2031: 3 × 120 = $360m. b > c > a:
    // b 2028, a 2029, c 2030: −30 + 120 + 220 = $310m. c > a > b: a 2028, c 2029, b 2030:
    // −30 + 70 + 220 = $260m. a > b > c: a 2027, b 2029: −30 − 30 + 120 + 120 = $180m.
    // a > c > b: a 2027, c and b 2030: −30 × 3 + 220 = $130m.
    let (tree, l) = setup(&staged_catalogue(), OUTAGE);
    let mut cfg = config(80e6, Objective::Net);
    cfg.stage = Some(StageConfig {
        discount_rate: 0.0,
        last_year: 2030,
        stagger_years: 1,
    });
    let (best, out) = optimise(&tree, &l, &cfg);
    assert_eq!(best, "a+b+c");
    let dir = Path::new("o").join("optimise");
    let staging = out.text(dir.join("staging.csv")).unwrap();
    let rows: Vec<(String, String)> = staging
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[3].to_string(), f[5].to_string())
        })
        .collect();
    let want = [
        ("c > b > a", "440000000"),
        ("b > a > c", "360000000"),
        ("b > c > a", "310000000"),
        ("c > a > b", "260000000"),
        ("a > b > c", "180000000"),
        ("a > c > b", "130000000"),
    ];
    assert_eq!(
        rows,
        want.map(|(o, n)| (o.to_string(), n.to_string())).to_vec()
    );
    assert!(staging.contains(",1,c > b > a,c 2029; b 2029; a 2029,440000000\n"));
    let pathway = out.text(dir.join("pathway.csv")).unwrap();
    assert_eq!(
        pathway,
        "budget_usd,portfolio,order,year,in_service,avoided_usd,annual_cost_usd,net_usd,discounted_net_usd\n\
         80000000,a+b+c,c > b > a,2026,,0,0,0,0\n\
         80000000,a+b+c,c > b > a,2027,,0,0,0,0\n\
         80000000,a+b+c,c > b > a,2028,,0,0,0,0\n\
         80000000,a+b+c,c > b > a,2029,a+b+c,300000000,80000000,220000000,220000000\n\
         80000000,a+b+c,c > b > a,2030,a+b+c,300000000,80000000,220000000,220000000\n"
    );
    // Discounted at 10%: c > b > a is 220/1.1^3 + 220/1.1^4 = $315.53m.
    cfg.stage = Some(StageConfig {
        discount_rate: 0.10,
        last_year: 2030,
        stagger_years: 1,
    });
    let (_, out) = optimise(&tree, &l, &cfg);
    let staging = out.text(dir.join("staging.csv")).unwrap();
    assert!(
        staging.contains(",1,c > b > a,c 2029; b 2029; a 2029,315552216\n"),
        "{staging}"
    );
    // An option without a lead time cannot be staged.
    let (tree, l) = setup(&catalogue(), OUTAGE);
    let e = refusal(&tree, &l, &cfg);
    assert!(e.contains("--stage: option `a` has no lead_time"), "{e}");
}

#[test]
fn staging_values_each_year_on_the_network_of_that_year() {
    // `main` had 50 kt/day through mid-2029 (100 today): the pathway's years 2026-2029 run on
    // 50, 2030 on 100. On 50 kt/day the 100 kt/day field has 50 to spare every day, so an
    // option exports its capacity on all 30 days. By hand, against the status quo's 500 kt lost
    // (main's 50 kt/day for the 10 days out): a+b 30 x 30 = 900 kt more ($540m), c 600 kt
    // ($360m), a+b+c 1,500 kt ($900m); on 100 kt/day $180m, $120m and $300m as before.
    let mut files = staged_catalogue();
    files.push((
        "routes/vintage.toml",
        "[[vintage]]\nasset = \"main\"\nuntil = \"2029-06-30\"\ncapacity = { value = 50, unit = \"kt/day\", source = \"t\" }\nsource = \"t\"\n".to_string(),
    ));
    let (tree, l) = setup(&files, OUTAGE);
    let mut cfg = config(80e6, Objective::Net);
    cfg.stage = Some(StageConfig {
        discount_rate: 0.0,
        last_year: 2030,
        stagger_years: 1,
    });
    let (best, out) = optimise(&tree, &l, &cfg);
    assert_eq!(best, "a+b+c");
    let dir = Path::new("o").join("optimise");
    let staging = out.text(dir.join("staging.csv")).unwrap();
    // b > a > c: a+b in service 2028-2030, $480m net in 2028 and 2029 on 50 kt/day, $120m in
    // 2030: $1,080m. c > b > a: all three from 2029, $820m then $220m: $1,040m. On today's
    // network alone the order was the other way round ($360m against $440m).
    assert!(
        staging.contains(",1,b > a > c,b 2028; a 2028; c 2031,1080000000\n"),
        "{staging}"
    );
    assert!(
        staging.contains(",2,c > b > a,c 2029; b 2029; a 2029,1040000000\n"),
        "{staging}"
    );
    let pathway = out.text(dir.join("pathway.csv")).unwrap();
    assert!(
        pathway.contains(
            "\n80000000,a+b+c,b > a > c,2029,a+b,540000000,60000000,480000000,480000000\n"
        ),
        "{pathway}"
    );
    assert!(
        pathway.ends_with(
            "\n80000000,a+b+c,b > a > c,2030,a+b,180000000,60000000,120000000,120000000\n"
        ),
        "{pathway}"
    );
}

#[test]
fn identical_options_tie_and_exclusions_are_kept() {
    // d and e both switch on the bypass for $20m/yr: {d} and {e} are equal on every replicate.
    let (tree, l) = setup(
        &[
            ("variants/d.toml", option("bypass", 20.0, "")),
            ("variants/e.toml", option("bypass", 20.0, "")),
        ],
        OUTAGE,
    );
    let (id, out) = optimise(&tree, &l, &config(100e6, Objective::Net));
    assert_eq!(id, "d");
    let choice = out
        .text(Path::new("o").join("optimise").join("choice.csv"))
        .unwrap();
    assert!(
        choice.contains("\n100000000,tied,e,net,100000000,20000000,0,0,0,true\n"),
        "{choice}"
    );
    let summary = out
        .text(Path::new("o").join("optimise").join("summary.txt"))
        .unwrap();
    assert!(
        summary.contains("Tied with it (equal on every replicate): e;"),
        "{summary}"
    );
    // With e excluding d, no portfolio holds both: 3 portfolios, not 4.
    let (tree, l) = setup(
        &[
            ("variants/d.toml", option("bypass", 20.0, "")),
            (
                "variants/e.toml",
                option("bypass", 20.0, "excludes = [\"d\"]"),
            ),
        ],
        OUTAGE,
    );
    let (_, out) = optimise(&tree, &l, &config(100e6, Objective::Net));
    let portfolios = out
        .text(Path::new("o").join("optimise").join("portfolios.csv"))
        .unwrap();
    let ids: Vec<&str> = portfolios
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap_or(""))
        .collect();
    assert_eq!(ids, vec!["status-quo", "d", "e"]);
}

#[test]
fn bad_catalogues_are_refused_with_a_hint() {
    let (tree, l) = setup(&catalogue(), OUTAGE);
    let err = |cfg: &OptimiseConfig| refusal(&tree, &l, cfg);
    let mut cfg = config(1e6, Objective::Net);
    cfg.options = Some(vec!["a".into(), "a".into()]);
    assert!(err(&cfg).contains("`a` is named twice"), "{}", err(&cfg));
    cfg.options = Some(vec!["a+b".into()]);
    assert!(err(&cfg).contains("is a combination"), "{}", err(&cfg));
    cfg.options = Some((0..13).map(|k| format!("o{k}")).collect());
    cfg.search = Search::Exhaustive;
    assert!(
        err(&cfg).contains("13 options: the exhaustive search takes at most 12"),
        "{}",
        err(&cfg)
    );
    cfg.search = Search::Auto;
    cfg.options = Some((0..65).map(|k| format!("o{k}")).collect());
    assert!(
        err(&cfg).contains("65 options: the search takes at most 64"),
        "{}",
        err(&cfg)
    );
    cfg.options = Some(vec!["x".into()]);
    assert!(err(&cfg).contains("did you mean") || err(&cfg).contains("variants in"));
    let mut cfg = config(f64::NAN, Objective::Net);
    cfg.options = None;
    assert!(err(&cfg).contains("hint: --budget 150e6"), "{}", err(&cfg));
    // An option that both needs and excludes another, named with its file, line and field.
    let (tree, l) = setup(
        &catalogue_with(["", "requires = [\"a\"]\nexcludes = [\"a\"]", ""]),
        OUTAGE,
    );
    let e = refusal(&tree, &l, &config(1e6, Objective::Net));
    assert!(e.contains("variants/b.toml:5"), "{e}");
    assert!(e.contains("requires"), "{e}");
    assert!(e.contains("`a` is both required and excluded"), "{e}");
    assert!(
        e.contains("an option either needs another or cannot be combined with it"),
        "{e}"
    );
}

const MC: &str = r#"
[monte_carlo]
runs = 40
seed = 5
[[failure]]
assets = ["main"]
rate = { value = 12, unit = "per_yr", source = "t" }
repair = { dist = "exponential", mean_days = 3, source = "t" }
source = "t"
"#;

#[test]
fn the_same_seed_gives_the_same_bytes_on_any_thread_count() {
    // With the tankers a knob, so that sizes.csv has rows.
    let mut files = catalogue();
    files[1].1 = SIZED_SHIP.to_string();
    let (tree, l) = setup(&files, MC);
    let outputs = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let mut cfg = config(60e6, Objective::Cvar95);
            cfg.robust = true;
            let (_, out) = optimise(&tree, &l, &cfg);
            out.paths()
                .into_iter()
                .map(|p| (p.clone(), out.get(&p)))
                .collect::<Vec<_>>()
        })
    };
    let one = outputs(1);
    // Seven tables and the frontier chart's PNG and SVG.
    assert_eq!(one.len(), 9);
    let sizes = one
        .iter()
        .find(|(p, _)| p.ends_with("sizes.csv"))
        .and_then(|(_, b)| b.clone())
        .unwrap();
    assert!(String::from_utf8_lossy(&sizes).lines().count() > 1);
    assert_eq!(one, outputs(2));
    assert_eq!(one, outputs(3));
}

/// The shipped catalogue (81 portfolios) on 60 replicate-years of the shipped random
/// failures: the local search names the exhaustive search's best within every budget, under
/// each objective.
#[test]
fn the_search_finds_the_exhaustive_best_on_the_shipped_catalogue() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("scenarios/mc-random-failures.toml");
    for objective in [Objective::Net, Objective::Cvar95] {
        let mut cfg = config(0.0, objective);
        cfg.runs = Some(60);
        cfg.budgets_usd = vec![0.0, 50e6, 150e6, 400e6];
        let best = |search: Search| {
            let mut cfg = cfg.clone();
            cfg.search = search;
            let r = corridor::app::optimise::job(&path, None, &[], &cfg, &mut MemorySink::new())
                .unwrap_or_else(|e| panic!("{e}"));
            let best: Vec<String> = r
                .choices
                .iter()
                .map(|(_, c)| r.ids[c.best].clone())
                .collect();
            (best, r.ids.len())
        };
        // 33 portfolios of the 7 files, the tankers at none or one of 4 levels.
        let (whole, all) = best(Search::Exhaustive);
        assert_eq!(all, 81);
        let (local, simulated) = best(Search::Local);
        assert_eq!(local, whole, "{objective:?}");
        assert!(simulated <= all);
    }
}

#[test]
fn the_command_line_writes_the_tables_and_refuses_a_bad_budget() {
    let dir = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args([
            "optimise",
            "scenarios/mc-random-failures.toml",
            "--budget",
            "60e6",
            "--options",
            "btc-6,tankers@10,cable",
            "--runs",
            "3",
            "--quiet",
            "--out",
        ])
        .arg(dir.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.starts_with(
            "mc-random-failures: 8 portfolios of 3 options simulated on 3 replicate-years"
        ),
        "{stdout}"
    );
    for f in [
        "portfolios.csv",
        "choice.csv",
        "marginal.csv",
        "summary.txt",
    ] {
        assert!(
            dir.path()
                .join("mc-random-failures/optimise")
                .join(f)
                .is_file(),
            "{f}"
        );
    }
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args([
            "optimise",
            "scenarios/mc-random-failures.toml",
            "--budget=-5",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("is not a budget of 0 to 1e13 US$ per year")
    );
}

/// b as a sizing knob: the tankers X → M2 at 10, 20, 30 or 40 kt/day, $1m a year per kt/day.
const SIZED_SHIP: &str = "format = 1\nname = \"ship\"\ndescription = \"t\"\nswitch_on = [\"ship\"]\n[size]\nasset = \"ship\"\nfield = \"capacity\"\nlevels = [10, 20, 30, 40]\nunit = \"kt/day\"\ndefault = 30\nsource = \"t\"\nannual = { value = 1, unit = \"$m/yr\", source = \"t\" }\n[cost]\n";

#[test]
fn a_sizing_knob_is_sized_where_what_it_needs_binds() {
    // By hand: a+b@x carries min(30, x) kt/day for 10 days, $6m per kt/day, and costs
    // $30m + $x m: net $20m, $70m, $120m and $110m at 10, 20, 30 and 40 (the berths bind
    // above 30). With c ($20m, avoids $120m): a+b@30+c nets $220m, a+b@40+c $210m.
    let mut files = catalogue();
    files[1].1 = SIZED_SHIP.to_string();
    let (tree, l) = setup(&files, OUTAGE);
    let mut cfg = config(0.0, Objective::Net);
    cfg.budgets_usd = vec![50e6, 60e6, 100e6];
    let (best, out) = optimise_all(&tree, &l, &cfg);
    assert_eq!(best, ["c", "a+b@30", "a+b@30+c"]);
    let dir = Path::new("o").join("optimise");
    let portfolios = out.text(dir.join("portfolios.csv")).unwrap();
    // a or not, b at none or one of four levels, c or not: 20 portfolios, never two levels.
    assert_eq!(portfolios.lines().count(), 1 + 20, "{portfolios}");
    assert!(!portfolios.contains("b@10+b@"), "{portfolios}");
    let net = |id: &str| {
        portfolios
            .lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .unwrap_or_else(|| panic!("{id} in {portfolios}"))
            .split(',')
            .nth(10)
            .unwrap()
            .to_string()
    };
    for (id, usd) in [
        ("a+b@10", "20000000"),
        ("a+b@20", "70000000"),
        ("a+b@30", "120000000"),
        ("a+b@40", "110000000"),
        ("a+b@40+c", "210000000"),
        ("b@40", "-40000000"),
    ] {
        assert_eq!(net(id), usd, "{id}");
    }
    // Given a and c, the 30 kt/day of tankers add $180m for $30m.
    let marginal = out.text(dir.join("marginal.csv")).unwrap();
    assert!(
        marginal
            .contains("100000000,a+b@30+c,b@30,,180000000,180000000,180000000,30000000,150000000,"),
        "{marginal}"
    );
    // How big, given a and c: left out, then each level (net $70m, $120m, $170m, $220m,
    // $210m), worse than the chosen 30 kt/day by $150m, $100m, $50m, 0 and $10m.
    let sizes = out.text(dir.join("sizes.csv")).unwrap();
    let rows: Vec<&str> = sizes
        .lines()
        .filter(|l| l.starts_with("100000000,"))
        .collect();
    assert_eq!(
        rows,
        [
            "100000000,a+b@30+c,b,none,false,a+c,50000000,120000000,120000000,120000000,70000000,150000000,150000000,150000000,true",
            "100000000,a+b@30+c,b,b@10,false,a+b@10+c,60000000,180000000,180000000,180000000,120000000,100000000,100000000,100000000,true",
            "100000000,a+b@30+c,b,b@20,false,a+b@20+c,70000000,240000000,240000000,240000000,170000000,50000000,50000000,50000000,true",
            "100000000,a+b@30+c,b,b@30,true,a+b@30+c,80000000,300000000,300000000,300000000,220000000,0,0,0,true",
            "100000000,a+b@30+c,b,b@40,false,a+b@40+c,90000000,300000000,300000000,300000000,210000000,10000000,10000000,10000000,true",
        ]
    );
    let summary = out.text(dir.join("summary.txt")).unwrap();
    assert!(
        summary.contains("How big: b left out and at each level, the other members kept (the net value a year; in brackets the paired 95% CI of how much worse it is than the chosen): none $70.0 m ($150 m to $150 m); b@10 $120 m ($100 m to $100 m); b@20 $170 m ($50.0 m to $50.0 m); b@30 $220 m (chosen); b@40 $210 m ($10.0 m to $10.0 m).\n"),
        "{summary}"
    );
    // --options takes one level; the default level is what `compare` takes.
    cfg.options = Some(vec!["a".into(), "b@20".into()]);
    cfg.budgets_usd = vec![100e6];
    let (best, _) = optimise_all(&tree, &l, &cfg);
    assert_eq!(best, ["a+b@20"]);
    let b = corridor::app::compare::load_variants(&tree, Path::new("variants"), &["b".into()], &l)
        .unwrap();
    assert_eq!(b[1].name, "ship, 30 kt/day");
    assert_eq!(b[1].annual_cost_usd, 30e6);
    // Two levels of one knob are refused together, and a prerequisite on a knob must be one
    // level.
    cfg.options = Some(vec!["b@20".into(), "b@20".into()]);
    assert!(refusal(&tree, &l, &cfg).contains("`b@20` is named twice"));
    files[0].1 = option("berth", 30.0, "requires = [\"b\"]");
    let (tree, l) = setup(&files, OUTAGE);
    cfg.options = None;
    let e = refusal(&tree, &l, &cfg);
    assert!(e.contains("option `a` needs `b`"), "{e}");
    assert!(e.contains("which is sized: 4 of its levels"), "{e}");
    assert!(e.contains("e.g. b@40"), "{e}");
}
