//! `corridor compare`: a hand-solved micro-network, exact zeros for identical options, common
//! random numbers, paired intervals, variant errors, and a golden compare.csv.

mod common;

use std::path::Path;

use common::fixtures::{self, DATA_UNSET, economics};
use corridor::engine::sample::sample_replicate;
use corridor::io::variant::{annuity, load_variant_in};
use corridor::io::{LoadError, LoadedScenario, Memory, load_scenario};
use corridor::model::{Network, Variant};

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
id = "M2"
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
id = "bypass"
kind = "pipeline"
from = "F"
to = "M2"
countries = ["KZ"]
status = "planned"
capacity = { value = 30, unit = "kt/day", source = "t" }
"#;

const BYPASS: &str = "format = 1\nname = \"bypass\"\ndescription = \"t\"\nswitch_on = [\"bypass\"]\n[cost]\nannual = { value = 90, unit = \"$m/yr\", source = \"t\" }\n";
const NOTHING: &str = "format = 1\nname = \"nothing\"\ndescription = \"t\"\n[cost]\nannual = { value = 5, unit = \"$m/yr\", source = \"t\" }\n";

/// The micro-network with the `bypass` and `nothing` variants (and `extra` files), and scenario
/// `c` with `scenario_tail`, all in memory.
fn setup_with(scenario_tail: &str, extra: &[(&str, &str)]) -> (Memory, LoadedScenario) {
    let mut files = vec![
        ("variants/bypass.toml", BYPASS),
        ("variants/nothing.toml", NOTHING),
    ];
    files.extend_from_slice(extra);
    let tree = fixtures::tree(NET, &files);
    let text = fixtures::scenario_text("c", 30, &economics(DATA_UNSET), scenario_tail);
    let l = fixtures::load_in(&tree, "c", &text);
    (tree, l)
}

fn setup(scenario_tail: &str) -> (Memory, LoadedScenario) {
    setup_with(scenario_tail, &[])
}

fn variant(tree: &Memory, spec: &str, base: &Network) -> Result<Variant, LoadError> {
    load_variant_in(tree, spec, Path::new("variants"), base)
}

use common::compare_options as run;

#[test]
fn a_bypass_avoids_exactly_what_it_can_carry() {
    // Demand 100 kt/day on a 100 kt/day main route; the main route is out for 10 days. The
    // status quo loses 10 × 100 = 1,000 kt; with the 30 kt/day bypass it loses 700 kt, so the
    // bypass avoids 300 kt = 0.3 Mt, worth 0.3e6 t × 7.5 bbl/t × 80 $/bbl = $180m. At $90m a
    // year the benefit/cost ratio is exactly 2, and the net benefit $90m.
    let (dir, l) = setup(
        "[[event]]\nkind = \"outage\"\nstart = \"2026-01-05\"\nduration_days = 10\nassets = [\"main\"]\nsource = \"t\"\n",
    );
    let st = run(&dir, "variants", &l, &["status-quo", "bypass"], 1);
    let b = &st[1];
    assert_eq!(b.id, "bypass");
    assert!(
        (b.avoided_mt.mean - 0.3).abs() < 1e-12,
        "{}",
        b.avoided_mt.mean
    );
    assert!((b.avoided_usd.mean - 180e6).abs() < 1e-3);
    assert!((b.benefit_cost.unwrap().mean - 2.0).abs() < 1e-12);
    assert!((b.net_benefit_usd - 90e6).abs() < 1e-3);
    assert!((b.breakeven_frequency_multiple.unwrap() - 0.5).abs() < 1e-12);
    // 10 days below 80% for the status quo; the bypass keeps 30% → still below 80%.
    assert_eq!(b.days_below_80pct_change.mean, 0.0);
    assert_eq!(st[0].avoided_mt.mean, 0.0);
}

#[test]
fn annuity_formula() {
    // $100m over 10 years at 8%: 100 × 0.08 / (1 − 1.08^−10) = 14.9029…
    assert!((annuity(100.0, 10.0, 0.08) - 14.902_948_869).abs() < 1e-6);
    assert!((annuity(100.0, 10.0, 0.0) - 10.0).abs() < 1e-12);
}

const MC: &str = r#"
[monte_carlo]
runs = 60
seed = 9
[[failure]]
assets = ["main"]
rate = { value = 20, unit = "per_yr", source = "t" }
repair = { dist = "exponential", mean_days = 2, source = "t" }
source = "t"
"#;

#[test]
fn identical_options_differ_by_exactly_zero_and_paired_intervals_are_narrower() {
    let (dir, l) = setup(MC);
    let st = run(
        &dir,
        "variants",
        &l,
        &["status-quo", "nothing", "bypass"],
        60,
    );
    let same = &st[1];
    for e in [
        &same.avoided_mt,
        &same.avoided_usd,
        &same.cvar95_change_mt,
        &same.p_loss_over_10pct_change,
        &same.days_below_80pct_change,
        &same.data_unserved_change_tb,
        &same.data_avoided_hours,
        &same.data_avoided_usd,
        &same.total_avoided_usd,
    ] {
        assert_eq!((e.mean, e.lo, e.hi), (0.0, 0.0, 0.0));
    }
    assert_eq!(same.net_benefit_usd, -5e6);
    let b = &st[2];
    assert!(b.avoided_mt.mean > 0.0);
    // Failures hit both options alike, so the paired difference varies far less than two
    // independent samples would.
    assert!(
        b.avoided_mt.se < 0.5 * b.unpaired_se_mt,
        "paired {} unpaired {}",
        b.avoided_mt.se,
        b.unpaired_se_mt
    );
}

#[test]
fn every_option_sees_the_same_failure_histories() {
    let (dir, l) = setup(MC);
    let mc = l.scenario.monte_carlo.as_ref().unwrap();
    let with_bypass = variant(&dir, "bypass", &l.network).unwrap().network;
    for i in 0..20 {
        let a = sample_replicate(&l.network, mc, 30, 0, i);
        let b = sample_replicate(&with_bypass, mc, 30, 0, i);
        assert_eq!(a, b, "replicate {i}");
    }
}

#[test]
fn variant_errors_name_the_file_and_line() {
    let bad = "format = 1\nname = \"bad\"\nswitch_on = [\"bypas\"]\nset = [{ asset = \"nowhere\", scale = 2.0 }]\n[cost]\nannual = { value = 1, unit = \"$m\", source = \"t\" }\n";
    let (tree, l) = setup_with("", &[("variants/bad.toml", bad)]);
    let e = match variant(&tree, "bad", &l.network) {
        Err(LoadError::Invalid(d)) => d.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        other => panic!("{:?}", other.map(|v| v.id)),
    };
    let file = Path::new("variants").join("bad.toml").display().to_string();
    assert_eq!(
        e,
        vec![
            format!("{file}:3: variant.switch_on: unknown asset `bypas` (did you mean `bypass`?)"),
            format!(
                "{file}:4: variant.set.asset: unknown asset `nowhere` (see `corridor network --format csv` for the names)"
            ),
            format!("{file}:6: cost.annual.unit: unit `$m` is not accepted here (use `$m/yr`)"),
        ]
    );
    // An unknown variant id suggests the closest file.
    match variant(&tree, "bypas", &l.network) {
        Err(LoadError::Io { path, .. }) => assert!(
            path.display()
                .to_string()
                .contains("did you mean `bypass`?"),
            "{}",
            path.display()
        ),
        _ => panic!("expected an error"),
    }
    // Composition applies both and adds the costs.
    let both = variant(&tree, "bypass+nothing", &l.network).unwrap();
    assert!((both.annual_cost_usd - 95e6).abs() < 1e-6);
    assert_eq!(both.name, "bypass + nothing");
}

#[test]
fn shipped_comparison_matches_golden() {
    let l = load_scenario(Path::new("scenarios/mc-random-failures.toml"), true).unwrap();
    let st = run(
        &Memory::embedded_scenarios(),
        "scenarios/variants",
        &l,
        &[
            "status-quo",
            "aktau-expansion",
            "tankers",
            "cable",
            "middle-corridor",
        ],
        24,
    );
    let aktau = st.iter().find(|s| s.id == "aktau-expansion").unwrap();
    assert!(aktau.avoided_mt.se < aktau.unpaired_se_mt);
    common::check_golden(
        "tests/golden/compare.csv",
        &corridor::report::compare::csv(&st),
    );
}

/// A variant file `name` sizing `asset`'s capacity at `levels` kt/day (default `default`), $5m
/// a year fixed and $2m a year per kt/day added, switching on `switch_on`.
fn knob(name: &str, switch_on: &str, asset: &str, levels: &str, default: u32) -> String {
    format!(
        "format = 1\nname = \"{name}\"\ndescription = \"t\"\nswitch_on = [{switch_on}]\n[size]\nasset = \"{asset}\"\nfield = \"capacity\"\nlevels = {levels}\nunit = \"kt/day\"\ndefault = {default}\nsource = \"t\"\nannual = {{ value = 2, unit = \"$m/yr\", source = \"t\" }}\n[cost]\nannual = {{ value = 5, unit = \"$m/yr\", source = \"t\" }}\n"
    )
}

#[test]
fn a_sized_option_sets_its_level_and_pays_for_what_it_adds() {
    // The bypass is planned (none in service): each level adds all of it. `main` has 100
    // kt/day in service: 120 adds 20.
    let by = knob("by", "\"bypass\"", "bypass", "[10, 20, 30]", 20);
    let up = knob("up", "", "main", "[120, 150]", 150);
    let bad = knob("bad", "", "main", "[150, 120]", 150).replace("\"capacity\"", "\"pressure\"");
    let (tree, l) = setup_with(
        "",
        &[
            ("variants/by.toml", &by),
            ("variants/up.toml", &up),
            ("variants/bad.toml", &bad),
        ],
    );
    let capacity = |v: &Variant, id: &str| {
        let link = v.network.links.iter().find(|k| k.id == id).unwrap();
        (link.capacity.nominal.value, link.status)
    };
    let v = variant(&tree, "by", &l.network).unwrap();
    assert_eq!(v.name, "by, 20 kt/day");
    assert_eq!(v.levels, [10.0, 20.0, 30.0]);
    assert_eq!(
        capacity(&v, "bypass"),
        (20.0, corridor::model::Status::Operating)
    );
    assert_eq!(v.annual_cost_usd, 45e6);
    let v = variant(&tree, "by@30", &l.network).unwrap();
    assert_eq!(capacity(&v, "bypass").0, 30.0);
    assert_eq!(v.annual_cost_usd, 65e6);
    let v = variant(&tree, "up@120", &l.network).unwrap();
    assert_eq!(capacity(&v, "main").0, 120.0);
    assert_eq!(v.annual_cost_usd, 45e6);
    let v = variant(&tree, "by@10+up@150", &l.network).unwrap();
    assert_eq!(v.annual_cost_usd, 130e6);
    assert!(v.levels.is_empty());
    // A level the file does not list, a level of a file without [size], two levels at once.
    let problem = |spec: &str| match variant(&tree, spec, &l.network) {
        Err(e) => e.to_string(),
        Ok(v) => panic!("{spec} loaded as {}", v.id),
    };
    assert!(
        problem("by@15")
            .contains("`by`: 15 is not one of its levels (hint: one of 10, 20, 30 kt/day)"),
        "{}",
        problem("by@15")
    );
    assert!(problem("nothing@2").contains("the file has no [size]"));
    assert!(problem("by@10+by@20").contains("`by` is named twice"));
    assert!(problem("by@x").contains("`x` after `@` is not a level"));
    // A file's knob problems name its file, line and field.
    let file = Path::new("variants").join("bad.toml").display().to_string();
    let e = problem("bad");
    assert!(
        e.contains(&format!("{file}:7: size.field: `pressure` is not a size a knob may set (one of: vessels, capacity, allocation)")),
        "{e}"
    );
}

#[test]
fn the_shipped_tanker_knob_sizes_the_fleet_and_its_default_is_the_ten_tankers() {
    let l = load_scenario(Path::new("scenarios/baseline.toml"), true).unwrap();
    let dir = Path::new("scenarios/variants");
    let load = |spec: &str| corridor::io::variant::load_variant(spec, dir, &l.network).unwrap();
    let leg = |v: &Variant| {
        let link = v
            .network
            .links
            .iter()
            .find(|k| k.id == "tankers-aktau-sangachal-new")
            .unwrap();
        (
            link.fleet.as_ref().unwrap().vessels.value,
            link.capacity.nominal.value,
        )
    };
    let ten = load("tankers");
    let twenty = load("tankers@20");
    assert_eq!(leg(&ten).0, 10.0);
    assert_eq!(leg(&twenty).0, 20.0);
    assert!((leg(&twenty).1 - 2.0 * leg(&ten).1).abs() < 1e-9);
    // $25m capex and $2m/yr opex a vessel: ten cost what the ten-tanker option cost.
    assert_eq!(
        ten.annual_cost_usd,
        (annuity(250.0, 25.0, 0.08) + 20.0) * 1e6
    );
    assert_eq!(
        twenty.annual_cost_usd,
        (annuity(500.0, 25.0, 0.08) + 40.0) * 1e6
    );
    assert_eq!(ten.levels, [5.0, 10.0, 15.0, 20.0]);
}
