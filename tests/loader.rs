//! Loader errors: each malformed fixture's exact messages and line numbers, strict versus
//! lenient behaviour, and that every problem is reported at once.

use corridor::io::{LoadError, Severity, parse_files};

fn fixture(name: &str) -> (String, String) {
    let path = format!("tests/fixtures/bad/{name}.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    (format!("{name}.toml"), text)
}

/// Every diagnostic of a fixture loaded under `--strict`, rendered.
fn strict_diags(name: &str) -> Vec<String> {
    match parse_files(vec![fixture(name)], true) {
        Err(LoadError::Invalid(d)) => d.iter().map(|d| d.to_string()).collect(),
        other => panic!("{name}: expected invalid, got {:?}", other.map(|_| ())),
    }
}

fn check(name: &str, expected: &[&str]) {
    let got = strict_diags(name);
    assert_eq!(got, expected, "\n{name}: got\n{}", got.join("\n"));
}

const LEFT_OUT_ROUTE: &str = "route[main].stages: link `pipe` was left out (see its own diagnostic); the route is left out too [unknown_asset]";

#[test]
fn unknown_field_names_the_field_and_suggests_the_right_one() {
    check(
        "unknown_field",
        &[
            "unknown_field.toml:37: link[pipe].capcity: unknown field `capcity` (did you mean `capacity`? expected one of `id`, `name`, `kind`, `from`, `to`, `via`, `countries`, `length`, `capacity`, `fleet`, `tariff`, `status`, `reactivation`, `operator`, `map_label`, `note`)",
            &format!("unknown_field.toml:41: {LEFT_OUT_ROUTE}"),
        ],
    );
}

#[test]
fn bad_unit_lists_accepted_units() {
    check(
        "bad_unit",
        &[
            "bad_unit.toml:37: link[pipe].capacity.unit: unknown unit `Mt/year` for oil flow (did you mean `Mt/yr`? accepted: Mt/yr, Mt/month, kb/d, t/day, kt/day) [unknown_unit]",
            &format!("bad_unit.toml:41: {LEFT_OUT_ROUTE}"),
        ],
    );
}

#[test]
fn unknown_node_suggests_the_closest_name() {
    check(
        "unknown_node",
        &[
            "unknown_node.toml:35: link[pipe].to: unknown node `prot`; this element is left out (did you mean `port`?) [unknown_node]",
            &format!("unknown_node.toml:41: {LEFT_OUT_ROUTE}"),
        ],
    );
}

#[test]
fn negative_capacity_is_refused_with_its_range() {
    check(
        "negative_capacity",
        &[
            "negative_capacity.toml:37: link[pipe].capacity.value: -5 Mt/yr (-13.6986 kt/day) is outside the physical range of an oil flow or capacity: 0 ≤ x ≤ 15,000 kt/day (above world oil output, about 100 million bbl/day ≈ 13,600 kt/day) (the ranges are listed under \"Physical ranges\" in docs/scenario-format.md)",
            &format!("negative_capacity.toml:41: {LEFT_OUT_ROUTE}"),
        ],
    );
}

#[test]
fn latitude_95_leaves_the_node_out_and_says_what_follows() {
    check(
        "latitude_95",
        &[
            "latitude_95.toml:20: node[port].lat: latitude 95 is outside −90…90; the node is left out (latitude is north-positive degrees; check lon and lat are not swapped) [coordinates_out_of_range]",
            "latitude_95.toml:29: node[market].reached_from: node `port` was left out (see its own diagnostic); this element is left out too [unknown_node]",
            "latitude_95.toml:35: link[pipe].to: node `port` was left out (see its own diagnostic); this element is left out too [unknown_node]",
            &format!("latitude_95.toml:41: {LEFT_OUT_ROUTE}"),
        ],
    );
}

#[test]
fn duplicate_id_points_at_the_first_definition() {
    check(
        "duplicate_id",
        &[
            "duplicate_id.toml:24: node[port].id: duplicate id `port`; this definition is left out (first defined at duplicate_id.toml:17) [duplicate_id]",
        ],
    );
}

#[test]
fn broken_route_chain_names_both_ends() {
    check(
        "broken_chain",
        &[
            "broken_chain.toml:49: route[main].stages: stage 2 link `pipe2` starts at `field`, but stage 1 ends at `port` (list the links in order from origin to market) [route_not_chain]",
        ],
    );
}

#[test]
fn syntax_error_is_reported_alone() {
    check(
        "syntax_error",
        &[
            "syntax_error.toml:32: (syntax): invalid basic string, expected `\"` (the file is not valid TOML)",
        ],
    );
}

#[test]
fn missing_required_field() {
    check(
        "missing_field",
        &[
            "missing_field.toml:16: node[port].kind: missing required field (add it; see docs/network-format.md)",
            "missing_field.toml:28: node[market].reached_from: node `port` was left out (see its own diagnostic); this element is left out too [unknown_node]",
            "missing_field.toml:34: link[pipe].to: node `port` was left out (see its own diagnostic); this element is left out too [unknown_node]",
            &format!("missing_field.toml:40: {LEFT_OUT_ROUTE}"),
        ],
    );
}

#[test]
fn wrong_type() {
    check(
        "wrong_type",
        &[
            "wrong_type.toml:27: node[market].lat: found string \"45\", expected a number (write it as 45; see docs/scenario-format.md and docs/network-format.md)",
        ],
    );
}

#[test]
fn unknown_kind_lists_the_kinds() {
    check(
        "unknown_kind",
        &[
            "unknown_kind.toml:33: link[pipe].kind: unknown link kind `pipe_line` (use one of: pipeline, tanker_leg, rail, terrestrial_fibre, subsea_fibre)",
            &format!("unknown_kind.toml:41: {LEFT_OUT_ROUTE}"),
        ],
    );
}

#[test]
fn disconnected_node() {
    check(
        "disconnected_node",
        &[
            "disconnected_node.toml:32: node[orphan]: touches no link and is reached from no node (connect it with a link, or delete it) [disconnected_node]",
        ],
    );
}

#[test]
fn missing_provenance() {
    check(
        "missing_provenance",
        &[
            "missing_provenance.toml:37: link[pipe].capacity: no `source` and no `estimate` (add source = \"…\" or estimate = \"why this value\") [missing_provenance]",
        ],
    );
}

#[test]
fn unknown_top_level_key() {
    check(
        "unknown_top_level",
        &["unknown_top_level.toml:39: routes: unknown top-level key (did you mean `route`?)"],
    );
}

#[test]
fn tanker_leg_needs_a_fleet() {
    check(
        "tanker_with_capacity",
        &[
            "tanker_with_capacity.toml:33: link[pipe].fleet: a tanker leg needs a `fleet` and no `capacity` (its capacity is derived: vessels × deadweight × availability / round-trip days)",
            &format!("tanker_with_capacity.toml:41: {LEFT_OUT_ROUTE}"),
        ],
    );
}

#[test]
fn bad_country_code() {
    check(
        "bad_country",
        &[
            "bad_country.toml:36: link[pipe].countries: `Kazakhstan` is not an ISO 3166-1 alpha-2 code (use two capital letters, e.g. KZ, RU, AZ) [bad_country]",
        ],
    );
}

#[test]
fn several_problems_are_all_reported_in_line_order() {
    check(
        "several",
        &[
            "several.toml:20: node[port].lat: latitude 95 is outside −90…90; the node is left out (latitude is north-positive degrees; check lon and lat are not swapped) [coordinates_out_of_range]",
            "several.toml:25: node[market].kind: unknown node kind `markt` (use one of: field, pump_station, junction, terminal, port, spm, market, landing, city, border_crossing, ixp)",
            "several.toml:35: link[pipe].to: unknown node `prot`; this element is left out [unknown_node]",
            &format!("several.toml:41: {LEFT_OUT_ROUTE}"),
        ],
    );
}

#[test]
fn consistency_checks_warn_without_strict_and_the_rest_loads() {
    // An orphan node: a warning, and the network still loads with its link.
    let loaded = parse_files(vec![fixture("disconnected_node")], false).expect("loads leniently");
    assert_eq!(loaded.warnings.len(), 1);
    assert_eq!(loaded.warnings[0].check, Some("disconnected_node"));
    assert_eq!(loaded.warnings[0].severity, Severity::Warning);
    assert!(loaded.network.node_ix("orphan").is_some());
    assert!(loaded.network.link_ix("pipe").is_some());
    // A bad unit: the link is left out, with a warning.
    let loaded = parse_files(vec![fixture("bad_unit")], false).expect("loads leniently");
    assert!(loaded.network.link_ix("pipe").is_none());
    assert_eq!(loaded.warnings.len(), 2);
}

#[test]
fn hard_errors_fail_even_without_strict() {
    for name in [
        "unknown_field",
        "syntax_error",
        "missing_field",
        "wrong_type",
        "unknown_kind",
        "unknown_top_level",
        "tanker_with_capacity",
    ] {
        match parse_files(vec![fixture(name)], false) {
            Err(LoadError::Invalid(d)) => {
                assert!(d.iter().any(|d| d.severity == Severity::Error), "{name}")
            }
            _ => panic!("{name} must fail without --strict"),
        }
    }
}

#[test]
fn the_minimal_good_fixture_loads_strict() {
    let text = std::fs::read_to_string("tests/fixtures/good/minimal.toml").unwrap();
    let loaded = parse_files(vec![("minimal.toml".into(), text)], true).expect("valid");
    assert!(loaded.warnings.is_empty());
    assert_eq!(loaded.network.nodes.len(), 3);
    assert_eq!(loaded.network.links.len(), 1);
    assert_eq!(loaded.network.routes.len(), 1);
}

#[test]
fn an_empty_set_of_files_is_an_error_not_a_panic() {
    assert!(matches!(
        parse_files(vec![], false),
        Err(LoadError::Invalid(_))
    ));
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        corridor::io::load_dir(dir.path(), false),
        Err(LoadError::Empty { .. })
    ));
}
