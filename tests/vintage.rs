//! Network vintage: `[[vintage]]` entries date an asset's earlier states, and a scenario runs on
//! the network as of its start. Worked by hand on one field and two pipelines.

mod common;

use std::path::Path;

use common::fixtures;
use corridor::engine::sim::{SimConfig, simulate};
use corridor::io::{LoadError, parse_scenario_in};
use corridor::model::Date;

/// Field F (14 kt/day) ships to market M by pipeline `a` (10 kt/day today) and pipeline `b`
/// (3 kt/day today). `a` was 2 kt/day through 2025, 6 through 30 Jun 2026 and 8 through 2027;
/// `b` was built after 2026-01-05 (planned through that day).
const LINKS: &str = r#"
[[link]]
id = "a"
kind = "pipeline"
from = "F"
to = "M"
countries = ["KZ"]
capacity = { value = 10, unit = "kt/day", source = "test" }
[[link]]
id = "b"
kind = "pipeline"
from = "F"
to = "M"
countries = ["KZ"]
capacity = { value = 3, unit = "kt/day", source = "test" }
[[vintage]]
asset = "a"
until = "2027-12-31"
capacity = { value = 8, unit = "kt/day", source = "test" }
source = "test"
[[vintage]]
asset = "a"
until = "2025-12-31"
capacity = { value = 2, unit = "kt/day", source = "test" }
source = "test"
[[vintage]]
asset = "a"
until = "2026-06-30"
capacity = { value = 6, unit = "kt/day", source = "test" }
source = "test"
[[vintage]]
asset = "b"
until = "2026-01-05"
status = "planned"
source = "test"
"#;

/// The field and market with the links above.
fn net() -> String {
    format!("{}{LINKS}", fixtures::FIELD_AND_MARKET)
}

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn the_network_as_of_a_date_takes_the_earliest_entry_on_or_after_it() {
    let net = fixtures::network(&net());
    let a = net.link_ix("a").unwrap();
    let b = net.link_ix("b").unwrap();
    let cap = |d: &str| net.as_of(date(d)).link(a).capacity.available();
    // Through 2025: 2; from 2026 through June: 6; then 8 through 2027; then today's 10.
    assert_eq!(cap("2025-06-01"), 2.0);
    assert_eq!(cap("2025-12-31"), 2.0);
    assert_eq!(cap("2026-01-01"), 6.0);
    assert_eq!(cap("2026-06-30"), 6.0);
    assert_eq!(cap("2026-07-01"), 8.0);
    assert_eq!(cap("2027-12-31"), 8.0);
    assert_eq!(cap("2028-01-01"), 10.0);
    let status = |d: &str| net.as_of(date(d)).link(b).status.as_str();
    assert_eq!(status("2026-01-05"), "planned");
    assert_eq!(status("2026-01-06"), "operating");
    // Taking the network as of today changes no asset.
    let today = net.as_of(date("2030-01-01"));
    assert_eq!((&today.nodes, &today.links), (&net.nodes, &net.links));
    // A network taken as of one date moves to another: as of 2025 moved to 2026-07-01 is the
    // network as of 2026-07-01, moved to 2030 today's; an asset changed since (here `a` set to
    // 3) keeps its change while its entry holds.
    let then = net.as_of(date("2025-06-01"));
    assert_eq!(then.link(a).capacity.available(), 2.0);
    let moved = |d: &str| then.moved(date("2025-06-01"), date(d));
    assert_eq!(moved("2026-07-01"), net.as_of(date("2026-07-01")));
    let back = moved("2030-01-01");
    assert_eq!((&back.nodes, &back.links), (&net.nodes, &net.links));
    assert_eq!(moved("2025-12-31"), then);
    let mut changed = then.clone();
    changed.links[a.0].capacity.nominal.value = 3.0;
    let kept = changed.moved(date("2025-06-01"), date("2025-12-31"));
    assert_eq!(kept.link(a).capacity.nominal.value, 3.0);
    let gone = changed.moved(date("2025-06-01"), date("2026-01-01"));
    assert_eq!(gone.link(a).capacity.available(), 6.0);
}

#[test]
fn a_run_uses_the_network_of_its_start_date() {
    // Start 2026-01-01, 6 days (through 2026-01-06, after `b` is built on the 6th — a change
    // inside the run, so load without --strict): `a` gives 6, `b` is still planned at the start
    // and stays so for the whole run. Exports 6 a day, 8 shut in.
    let text = fixtures::scenario_text("s", 6, &fixtures::economics(fixtures::DATA_UNSET), "");
    let tree = fixtures::tree(&net(), &[]);
    let l = parse_scenario_in(&tree, "s", "s.toml", &text, Path::new(""), false).unwrap();
    let cfg = SimConfig {
        with_events: true,
        every_day: true,
        totals_only: false,
    };
    let r = simulate(&l.network, &l.scenario, cfg).unwrap();
    let exports: Vec<f64> = r.days.iter().map(|d| d.exports_kt).collect();
    assert_eq!(exports, vec![6.0; 6]);
    let curtailed: Vec<f64> = r.days.iter().map(|d| d.curtailed_kt).collect();
    assert_eq!(curtailed, vec![8.0; 6]);
    // The change on day 6 is named in a warning.
    let w: Vec<String> = l.warnings.iter().map(|d| d.to_string()).collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("vintage_change_in_run"), "{w:?}");
    assert!(w[0].contains("`b` grows on 2026-01-06"), "{w:?}");
    // Under --strict the change inside the run is refused.
    match parse_scenario_in(&tree, "s", "s.toml", &text, Path::new(""), true) {
        Err(LoadError::Invalid(d)) => assert!(d[0].to_string().contains("vintage_change_in_run")),
        other => panic!("{other:?}"),
    }
    // A 5-day run (through the 5th) has no change inside it and loads strict.
    let text = fixtures::scenario_text("s", 5, &fixtures::economics(fixtures::DATA_UNSET), "");
    assert!(parse_scenario_in(&tree, "s", "s.toml", &text, Path::new(""), true).is_ok());
}

#[test]
fn bad_vintage_entries_are_refused_with_their_field() {
    let bad = |body: &str| -> String {
        match corridor::io::parse_files(
            vec![(
                "n.toml".into(),
                format!("{}{}{body}", fixtures::CRUDE, net()),
            )],
            false,
        ) {
            Err(LoadError::Invalid(d)) => d
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
            other => panic!("{other:?}"),
        }
    };
    let e = bad(
        "[[vintage]]\nasset = \"x\"\nuntil = \"2020-01-01\"\nstatus = \"planned\"\nsource = \"t\"\n",
    );
    assert!(e.contains("vintage[#5].asset: unknown asset `x`"), "{e}");
    let e = bad(
        "[[vintage]]\nasset = \"a\"\nuntil = \"2020-13-01\"\nstatus = \"planned\"\nsource = \"t\"\n",
    );
    assert!(
        e.contains("vintage[#5].until: `2020-13-01` is not a date"),
        "{e}"
    );
    let e = bad("[[vintage]]\nasset = \"a\"\nuntil = \"2020-01-01\"\nsource = \"t\"\n");
    assert!(
        e.contains("vintage[#5]: says nothing about the asset"),
        "{e}"
    );
    let e = bad(
        "[[vintage]]\nasset = \"a\"\nuntil = \"2020-01-01\"\nstatus = \"closed\"\nsource = \"t\"\n",
    );
    assert!(e.contains("vintage[#5].status"), "{e}");
}

#[test]
fn a_fall_or_a_suspension_inside_the_run_applies_from_its_day_in_the_baseline_too() {
    // Field F (14 kt/day) → M by `c` (4 kt/day today, 10 through 2026-01-03) and by `d`
    // (suspended today, operating 3 kt/day through 2026-01-04). A 6-day run from 2026-01-01:
    // days 0–2: 10 + 3 = 13; day 3 (01-04): 4 + 3 = 7; days 4–5: 4. Both runs alike, so the
    // network's own changes lose nothing; and nothing is warned (falls apply).
    let net = format!(
        "{}{}",
        fixtures::FIELD_AND_MARKET,
        r#"
[[link]]
id = "c"
kind = "pipeline"
from = "F"
to = "M"
countries = ["KZ"]
capacity = { value = 4, unit = "kt/day", source = "test" }
[[link]]
id = "d"
kind = "pipeline"
from = "F"
to = "M"
countries = ["KZ"]
capacity = { value = 3, unit = "kt/day", source = "test" }
status = "suspended"
reactivation = { lead = { value = 2, unit = "days", source = "test" }, ramp = { value = 1, unit = "days", source = "test" } }
[[vintage]]
asset = "c"
until = "2026-01-03"
capacity = { value = 10, unit = "kt/day", source = "test" }
source = "test"
[[vintage]]
asset = "d"
until = "2026-01-04"
status = "operating"
source = "test"
"#
    );
    let l = fixtures::parse_micro(&net, 6, "", "").unwrap();
    assert!(l.warnings.is_empty(), "{:?}", l.warnings);
    for with_events in [true, false] {
        let cfg = SimConfig {
            with_events,
            every_day: false,
            totals_only: false,
        };
        let r = simulate(&l.network, &l.scenario, cfg).unwrap();
        let exports: Vec<f64> = r.days.iter().map(|d| d.exports_kt).collect();
        assert_eq!(exports, vec![13.0, 13.0, 13.0, 7.0, 4.0, 4.0]);
    }
}
