//! Keeps docs/network-format.md and the parser from drifting apart: every field the parser
//! accepts is documented under its section, and every documented field is accepted.

use std::collections::BTreeSet;

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

#[test]
fn every_section_matches_the_parser() {
    let doc = std::fs::read_to_string("docs/network-format.md").unwrap();
    let cases: Vec<(&str, BTreeSet<String>)> = vec![
        ("figure", accepted::<RawFigure>()),
        ("capacity", accepted::<RawCapacity>()),
        ("reserved", accepted::<RawReserved>()),
        ("[crude]", accepted::<RawCrude>()),
        ("[[node]]", accepted::<RawNode>()),
        ("[[link]]", accepted::<RawLink>()),
        ("fleet", accepted::<RawFleet>()),
        ("[[store]]", accepted::<RawStore>()),
        ("[[route]]", accepted::<RawRoute>()),
        ("[[expansion]]", accepted::<RawExpansion>()),
        ("[[depends_on]]", accepted::<RawDependency>()),
    ];
    for (section, fields) in cases {
        assert!(fields.len() >= 2, "{section}: {fields:?}");
        assert_eq!(
            documented_any(&doc, section),
            fields,
            "section {section} of docs/network-format.md"
        );
    }
    let top: BTreeSet<String> = TOP_LEVEL_KEYS.iter().map(|s| s.to_string()).collect();
    assert_eq!(documented_any(&doc, "Top level"), top);
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
fn scenario_format_matches_the_parser() {
    use corridor::io::scenario::*;
    let doc = std::fs::read_to_string("docs/scenario-format.md").unwrap();
    let cases: Vec<(&str, BTreeSet<String>)> = vec![
        ("[variant]", accepted::<RawVariant>()),
        ("set", accepted::<RawSetCapacity>()),
        ("[economics]", accepted::<RawEconomics>()),
        ("transport_cost", accepted::<RawRates>()),
        ("production", accepted::<RawSupply>()),
        ("[[event]]", accepted::<RawEvent>()),
        ("[[depends_on]]", accepted::<RawDependency>()),
        ("[monte_carlo]", accepted::<RawMonteCarlo>()),
        ("[[failure]]", accepted::<RawFailure>()),
        ("repair", accepted::<RawRepair>()),
        ("season", accepted::<RawSeason>()),
        ("[[common_cause]]", accepted::<RawCommonCause>()),
        ("[[weather_window]]", accepted::<RawWeatherWindow>()),
        ("[[repair_crews]]", accepted::<RawCrews>()),
    ];
    for (section, fields) in cases {
        assert_eq!(
            documented_any(&doc, section),
            fields,
            "section {section} of docs/scenario-format.md"
        );
    }
    let top: BTreeSet<String> = SCENARIO_KEYS.iter().map(|s| s.to_string()).collect();
    assert_eq!(documented_any(&doc, "Top level"), top);
    for kind in EVENT_KINDS {
        assert!(
            doc.contains(&format!("`{kind}`")),
            "event kind {kind} undocumented"
        );
    }
}

/// Backticked first-column names of the table under a `##` or `###` heading.
fn documented_any(doc: &str, section: &str) -> BTreeSet<String> {
    let start = doc
        .find(&format!("## {section}\n"))
        .unwrap_or_else(|| panic!("section {section} missing"));
    let body = &doc[start..];
    let body = &body[body.find('\n').unwrap() + 1..];
    body.lines()
        .take_while(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with("| `"))
        .filter_map(|l| l.split('`').nth(1).map(str::to_string))
        .collect()
}

#[test]
fn variant_format_matches_the_parser() {
    use corridor::io::variant::*;
    let doc = std::fs::read_to_string("docs/scenario-format.md").unwrap();
    let keys: BTreeSet<String> = VARIANT_KEYS.iter().map(|s| s.to_string()).collect();
    assert_eq!(documented_any(&doc, "variant file"), keys);
    assert_eq!(documented_any(&doc, "cost"), accepted::<RawCost>());
}
