//! Keeps the docs, the data dictionary and the parsers from drifting apart: every component of
//! the dictionary lists exactly the fields its parser accepts, and the field tables of
//! `docs/network-format.md` and `docs/scenario-format.md` are the dictionary rendered
//! (regenerate them with `UPDATE_GOLDEN=1 cargo test --test docs`).

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use corridor::io::dictionary::{Component, Field, NETWORK, SCENARIO, component, render};
use corridor::io::raw::*;
use serde::de::DeserializeOwned;

/// The fields a raw struct accepts, read from serde's own "unknown field" message.
fn accepted<T: DeserializeOwned>() -> BTreeSet<String> {
    let err = match toml::from_str::<T>("zzz_not_a_field = 1") {
        Err(e) => e.message().to_string(),
        Ok(_) => panic!("unknown field accepted"),
    };
    let list = err
        .split(", expected ")
        .nth(1)
        .unwrap_or_else(|| panic!("{err}"));
    list.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// Field names of a dictionary component.
fn listed(comps: &[Component], heading: &str) -> BTreeSet<String> {
    component(comps, heading)
        .unwrap_or_else(|| panic!("no component `{heading}` in the dictionary"))
        .names()
        .into_iter()
        .map(str::to_string)
        .collect()
}

fn keys(k: &[&str]) -> BTreeSet<String> {
    k.iter().map(|s| s.to_string()).collect()
}

/// Checks that `cases` cover every component of `comps` and that each lists exactly the fields
/// its parser accepts.
fn check_components(comps: &[Component], cases: Vec<(&str, BTreeSet<String>)>) {
    let mut headings: Vec<&str> = comps.iter().map(|c| c.heading).collect();
    let mut checked: Vec<&str> = cases.iter().map(|c| c.0).collect();
    headings.sort();
    checked.sort();
    assert_eq!(
        headings, checked,
        "every component is checked against its parser"
    );
    for (heading, fields) in cases {
        assert!(!fields.is_empty(), "{heading}: {fields:?}");
        assert_eq!(listed(comps, heading), fields, "component {heading}");
    }
}

#[test]
fn every_network_component_lists_what_the_parser_accepts() {
    check_components(
        NETWORK,
        vec![
            ("figure", accepted::<RawFigure>()),
            ("capacity", accepted::<RawCapacity>()),
            ("reserved", accepted::<RawReserved>()),
            ("Top level", keys(TOP_LEVEL_KEYS)),
            ("[crude]", accepted::<RawCrude>()),
            ("[traffic]", accepted::<RawTraffic>()),
            ("[[traffic.destination]]", accepted::<RawDestination>()),
            ("exit", accepted::<RawExit>()),
            ("[[node]]", accepted::<RawNode>()),
            ("[[link]]", accepted::<RawLink>()),
            ("fleet", accepted::<RawFleet>()),
            ("reactivation", accepted::<RawReactivation>()),
            ("[[store]]", accepted::<RawStore>()),
            ("[[duty]]", accepted::<RawDuty>()),
            ("[[route]]", accepted::<RawRoute>()),
            ("[[nomination]]", accepted::<RawNomination>()),
            ("[[expansion]]", accepted::<RawExpansion>()),
            ("[[vintage]]", accepted::<RawVintage>()),
            ("[[depends_on]]", accepted::<RawDependency>()),
        ],
    );
}

#[test]
fn the_docs_field_tables_are_rendered_from_the_dictionary() {
    for (path, comps) in [
        ("docs/network-format.md", NETWORK),
        ("docs/scenario-format.md", SCENARIO),
    ] {
        let doc = std::fs::read_to_string(path).unwrap();
        let rendered = render(&doc, comps).unwrap_or_else(|e| panic!("{path}: {e}"));
        common::check_golden(path, &rendered);
    }
}

#[test]
fn a_changed_default_changes_the_docs() {
    // The renderer writes what the dictionary says, column by column.
    let c = Component {
        heading: "[t]",
        fields: &[Field {
            name: "status",
            ty: "string",
            unit: "—",
            required: "no",
            default: "`operating`",
            meaning: "m",
        }],
    };
    let doc = "## [t]\n\n| field | type | required | meaning |\n|---|---|---|---|\n| `status` | string | no (`planned`) | m |\n\ntext\n";
    assert_eq!(
        render(doc, &[c]).unwrap(),
        "## [t]\n\n| field | type | unit | required | default | meaning |\n|---|---|---|---|---|---|\n| `status` | string | — | no | `operating` | m |\n\ntext\n"
    );
    assert!(render("## [u]\n\ntext\n", &[c]).is_err());
}

#[test]
fn every_unit_is_documented() {
    use corridor::model::units::Dimension::*;
    let doc = std::fs::read_to_string("docs/network-format.md").unwrap();
    for dim in [
        OilFlow, DataRate, Length, Stock, Tariff, Duration, Speed, Fraction, Count, Deadweight,
    ] {
        for unit in dim.accepted() {
            assert!(doc.contains(&format!("`{unit}`")), "{unit} not documented");
        }
    }
}

#[test]
fn every_scenario_component_lists_what_the_parser_accepts() {
    use corridor::io::scenario::*;
    use corridor::io::variant::{RawCost, RawSize, VARIANT_KEYS};
    check_components(
        SCENARIO,
        vec![
            ("Top level", keys(SCENARIO_KEYS)),
            ("[variant]", accepted::<RawVariant>()),
            ("set", accepted::<RawSetCapacity>()),
            ("[economics]", accepted::<RawEconomics>()),
            ("transport_cost", accepted::<RawRates>()),
            ("state_take", accepted::<RawStateTake>()),
            ("production", accepted::<RawSupply>()),
            ("[[event]]", accepted::<RawEvent>()),
            (
                "[[nomination]]",
                accepted::<corridor::io::raw::RawNomination>(),
            ),
            ("[[reported]]", accepted::<RawReported>()),
            ("[[depends_on]]", accepted::<RawDependency>()),
            ("[monte_carlo]", accepted::<RawMonteCarlo>()),
            ("[[failure]]", accepted::<RawFailure>()),
            ("repair", accepted::<RawRepair>()),
            ("season", accepted::<RawSeason>()),
            ("[[common_cause]]", accepted::<RawCommonCause>()),
            ("[[weather_window]]", accepted::<RawWeatherWindow>()),
            ("[[repair_crews]]", accepted::<RawCrews>()),
            ("variant file", keys(VARIANT_KEYS)),
            ("cost", accepted::<RawCost>()),
            ("size", accepted::<RawSize>()),
        ],
    );
    let doc = std::fs::read_to_string("docs/scenario-format.md").unwrap();
    for kind in EVENT_KINDS {
        assert!(
            doc.contains(&format!("`{kind}`")),
            "event kind {kind} undocumented"
        );
    }
}

#[test]
fn the_first_example_in_the_scenario_docs_runs() {
    let doc = std::fs::read_to_string("docs/scenario-format.md").unwrap();
    let start = doc.find("```toml\n").expect("a TOML example") + "```toml\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let l =
        corridor::io::parse_scenario("first", "first.toml", &doc[start..end], Path::new(""), true)
            .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(l.scenario.events.len(), 2);
    let mut mem = corridor::app::MemorySink::new();
    corridor::app::run::run_scenarios(&[&l], Default::default(), &mut mem).unwrap();
    let s: serde_json::Value =
        serde_json::from_str(&mem.text("first/summary.json").unwrap()).unwrap();
    assert!(s["lost_exports_mt"].as_f64().unwrap() > 0.0);
    assert!(
        mem.notes.iter().all(|n| !n.contains("warning")),
        "{:?}",
        mem.notes
    );
}
