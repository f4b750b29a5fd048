//! Bad scenarios get every error with `file:line: field: problem (hint)`, including unknown
//! asset names with a "did you mean" suggestion.

use std::path::Path;

use corridor::io::{LoadError, parse_scenario};

fn good() -> String {
    std::fs::read_to_string("tests/fixtures/scenarios/good.toml").unwrap()
}

fn errors(text: &str) -> Vec<String> {
    match parse_scenario(
        "s",
        "s.toml",
        text,
        Path::new("tests/fixtures/scenarios"),
        true,
    ) {
        Err(LoadError::Invalid(d)) => d.iter().map(|d| d.to_string()).collect(),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("expected errors"),
    }
}

fn with(old: &str, new: &str) -> String {
    let g = good();
    assert!(g.contains(old), "{old}");
    g.replacen(old, new, 1)
}

#[test]
fn the_good_fixture_loads() {
    let l = parse_scenario("s", "s.toml", &good(), Path::new("."), true).unwrap();
    assert_eq!(l.scenario.events.len(), 2);
    assert_eq!(l.scenario.events[0].window.start, 9);
    assert_eq!(l.scenario.events[0].window.end, 13);
    assert_eq!(l.scenario.events[1].window.end, 24);
}

#[test]
fn unknown_asset_suggests_the_closest_name() {
    assert_eq!(
        errors(&with("assets = [\"cpc-spm-1\"]", "assets = [\"cpc-spm1\"]")),
        vec![
            "s.toml:22: event[spm out].assets: unknown asset `cpc-spm1` (did you mean `cpc-spm-1`?)"
        ]
    );
}

#[test]
fn unknown_route_suggests_the_closest_name() {
    assert_eq!(
        errors(&with("routes = [\"cpc\"]", "routes = [\"cpcc\"]")),
        vec!["s.toml:30: event[route derate].routes: unknown route `cpcc` (did you mean `cpc`?)"]
    );
}

#[test]
fn unknown_event_kind_and_field() {
    assert_eq!(
        errors(&with("kind = \"outage\"", "kind = \"outtage\"")),
        vec![
            "s.toml:18: event[spm out].kind: unknown event kind `outtage` (did you mean `outage`?)"
        ]
    );
    assert_eq!(
        errors(&with("duration_days = 5", "duraton_days = 5")),
        vec![
            "s.toml:21: event[#1].duraton_days: unknown field `duraton_days` (did you mean `duration_days`? expected one of `kind`, `name`, `start`, `end`, `duration_days`, `recovery_days`, `assets`, `routes`, `fraction`, `circle`, `polygon`, `edge_fraction`, `country`, `layer`, `wave_height_m`, `file`, `field`, `handling`, `destination`, `networks`, `discount`, `source`, `estimate`)"
        ]
    );
}

#[test]
fn bad_dates_fractions_and_units_are_all_reported() {
    let text = with("start = \"2026-01-10\"", "start = \"2026-02-30\"")
        .replacen("fraction = 0.5", "fraction = 1.5", 1)
        .replacen("unit = \"$/bbl\"", "unit = \"$/t\"", 1);
    assert_eq!(
        errors(&text),
        vec![
            "s.toml:9: economics.oil_price.unit: unit `$/t` is not accepted here (use `$/bbl`)",
            "s.toml:20: event[spm out].start: `2026-02-30` is not a date (write YYYY-MM-DD)",
            "s.toml:31: event[route derate].fraction: 1.5 is outside 0…1 (a fraction of normal capacity: 0 = out, 1 = intact)",
        ]
    );
}

#[test]
fn outage_with_a_fraction_and_both_end_forms() {
    let text = with(
        "duration_days = 5",
        "duration_days = 5\nend = \"2026-01-14\"\nfraction = 0.3",
    );
    assert_eq!(
        errors(&text),
        vec![
            "s.toml:18: event[spm out].fraction: an outage takes capacity to 0 (use kind = \"derate\" for a partial loss)",
            "s.toml:20: event[spm out].end: give exactly one of `end` (last day affected) and `duration_days`",
        ]
    );
    let text = with(
        "duration_days = 5",
        "duration_days = 5\nend = \"2026-01-14\"",
    );
    assert_eq!(
        errors(&text),
        vec![
            "s.toml:20: event[spm out].end: give exactly one of `end` (last day affected) and `duration_days`"
        ]
    );
}

#[test]
fn missing_sections_and_unknown_top_level_keys() {
    let text = good().replacen("horizon_days = 60\n", "horizon = 60\n", 1);
    assert_eq!(
        errors(&text),
        vec![
            "s.toml:1: horizon_days: missing required field (add horizon_days = 365)",
            "s.toml:6: horizon: unknown top-level key (did you mean `horizon_days`?)",
        ]
    );
}

#[test]
fn replay_csv_errors_name_the_csv_line() {
    let text =
        good() + "\n[[event]]\nkind = \"replay\"\nfile = \"replay-bad.csv\"\nsource = \"test\"\n";
    assert_eq!(
        errors(&text),
        vec![
            "tests/fixtures/scenarios/replay-bad.csv:3: asset: unknown asset `cpc-spm-4` (did you mean `cpc-spm-1`?)",
            "tests/fixtures/scenarios/replay-bad.csv:4: fraction: `2` is not a fraction in 0…1",
        ]
    );
}

#[test]
fn weather_only_on_loading_and_sailings() {
    let text = good()
        + "\n[[event]]\nkind = \"weather\"\nname = \"w\"\nstart = \"2026-01-01\"\nduration_days = 2\nassets = [\"btc\"]\nsource = \"test\"\n";
    assert_eq!(
        errors(&text),
        vec![
            "s.toml:39: event[w].assets: weather stops loading at ports, terminals and SPMs, or sailings on tanker legs; `btc` is none"
        ]
    );
}

#[test]
fn waves_below_the_mooring_limit_do_not_stop_spms() {
    let event = |h: f64| {
        format!(
            "\n[[event]]\nkind = \"weather\"\nname = \"w\"\nstart = \"2026-01-01\"\nduration_days = 2\nassets = [\"cpc-spm-1\", \"aktau-port\"]\nwave_height_m = {h}\nsource = \"test\"\n"
        )
    };
    for (h, n) in [(2.0, 1), (3.0, 2)] {
        let l = parse_scenario("s", "s.toml", &(good() + &event(h)), Path::new("."), true).unwrap();
        match &l.scenario.events[2].effect {
            corridor::model::Effect::Capacity(v) => assert_eq!(v.len(), n, "waves {h} m"),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn variants_switch_planned_assets_on() {
    let text = good().replacen("[economics]", "[variant]\nswitch_on = [\"tcfo-aktau-sumgayit\", \"aktau-berths-9-10\"]\nset = [{ asset = \"btc\", allocation = { value = 6, unit = \"Mt/yr\", source = \"test\" } }]\n\n[economics]", 1);
    let l = parse_scenario("s", "s.toml", &text, Path::new("."), true).unwrap();
    let net = &l.network;
    let cable = net.link(net.link_ix("tcfo-aktau-sumgayit").unwrap());
    assert_eq!(cable.status, corridor::model::Status::Operating);
    let aktau = net.node(net.node_ix("aktau-port").unwrap());
    assert!((aktau.capacity.as_ref().unwrap().nominal.entered_value - 12.5).abs() < 1e-12);
    let btc = net.link(net.link_ix("btc").unwrap());
    assert!(
        (corridor::model::Layer::Oil.to_report_unit(btc.capacity.available()) - 6.0).abs() < 1e-9
    );
    let bad = good().replacen(
        "[economics]",
        "[variant]\nswitch_on = [\"tcfo-aktau-sumgait\"]\n\n[economics]",
        1,
    );
    assert_eq!(
        errors(&bad),
        vec![
            "s.toml:9: variant.switch_on: unknown asset `tcfo-aktau-sumgait` (did you mean `tcfo-aktau-sumgayit`?)"
        ]
    );
}

#[test]
fn production_series_steps_on_its_dates() {
    let text = good().replacen(
        "[[event]]",
        "[production]\ntengiz = { series = \"tengiz-series.csv\", unit = \"Mt/yr\", source = \"test\" }\n\n[[event]]",
        1,
    );
    let l = parse_scenario(
        "s",
        "s.toml",
        &text,
        Path::new("tests/fixtures/scenarios"),
        true,
    )
    .unwrap();
    let (ix, supply) = &l.scenario.production[0];
    assert_eq!(l.network.node(*ix).id, "tengiz");
    // 40 Mt/yr = 40,000 / 365 kt/day from day 0, 20 from day 4, 39 from day 7.
    let kt = |mt: f64| mt * 1000.0 / 365.0;
    for (t, mt) in [
        (0, 40.0),
        (3, 40.0),
        (4, 20.0),
        (6, 20.0),
        (7, 39.0),
        (300, 39.0),
    ] {
        assert!((supply.on(t) - kt(mt)).abs() < 1e-12, "day {t}");
    }
    let bad = text.replace("tengiz-series.csv", "missing.csv");
    let e = match parse_scenario(
        "s",
        "s.toml",
        &bad,
        Path::new("tests/fixtures/scenarios"),
        true,
    ) {
        Err(LoadError::Invalid(d)) => d[0].to_string(),
        _ => panic!("expected an error"),
    };
    assert!(
        e.starts_with(
            "s.toml:18: production.tengiz.series: cannot read tests/fixtures/scenarios/missing.csv"
        ),
        "{e}"
    );
}

#[test]
fn a_csv_past_the_row_limit_is_refused_at_the_first_row_over() {
    // replay-bad.csv has three data rows; a limit of two refuses the third (line 4), and no
    // row after it is read (its bad fraction is not reported).
    let text =
        good() + "\n[[event]]\nkind = \"replay\"\nfile = \"replay-bad.csv\"\nsource = \"test\"\n";
    let tight = corridor::io::Disk::new(corridor::io::Limits {
        csv_rows: 2,
        ..corridor::io::Limits::DEFAULT
    });
    let dir = Path::new("tests/fixtures/scenarios");
    let got: Vec<String> =
        match corridor::io::parse_scenario_in(&tight, "s", "s.toml", &text, dir, true) {
            Err(LoadError::Invalid(d)) => d.iter().map(|d| d.to_string()).collect(),
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("expected errors"),
        };
    assert_eq!(
        got,
        vec![
            "tests/fixtures/scenarios/replay-bad.csv:3: asset: unknown asset `cpc-spm-4` (did you mean `cpc-spm-1`?)",
            "tests/fixtures/scenarios/replay-bad.csv:4: (rows): more than 2 data rows, the most a CSV input may have (pass --allow-large to lift it for a deliberate large job)",
        ]
    );
}

/// `--set` overrides: loads the good fixture with `overrides`.
fn overridden(overrides: &[(&str, &str)]) -> Result<corridor::io::LoadedScenario, LoadError> {
    let o: Vec<(String, String)> = overrides
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    corridor::io::parse_scenario_with(
        &corridor::io::Disk::default(),
        "s",
        "s.toml",
        &good(),
        Path::new("."),
        true,
        &o,
    )
}

fn parsed(text: &str) -> corridor::io::LoadedScenario {
    parse_scenario("s", "s.toml", text, Path::new("."), true).unwrap()
}

#[test]
fn set_overrides_equal_editing_the_file() {
    // Replacing a value, in a nested table and in the second [[event]].
    let l = overridden(&[
        ("economics.oil_price.value", "60"),
        ("event[#2].fraction", "0.25"),
        ("horizon_days", "90"),
    ])
    .unwrap();
    let edited = with("value = 65.0", "value = 60")
        .replacen("fraction = 0.5", "fraction = 0.25", 1)
        .replacen("horizon_days = 60", "horizon_days = 90", 1);
    assert_eq!(
        format!("{:?}", l.scenario),
        format!("{:?}", parsed(&edited).scenario)
    );
    assert_eq!(l.scenario.horizon_days, 90);
    // Adding a field the file leaves out (a bare word where a string goes).
    let l = overridden(&[("dispatch", "least_cost")]).unwrap();
    let edited = with(
        "horizon_days = 60\n",
        "horizon_days = 60\ndispatch = \"least_cost\"\n",
    );
    assert_eq!(
        format!("{:?}", l.scenario),
        format!("{:?}", parsed(&edited).scenario)
    );
    // A bare word where the file has a string is that string; later overrides win.
    let l = overridden(&[("name", "first"), ("name", "My run")]).unwrap();
    assert_eq!(l.scenario.name, "My run");
    // The file's text (hashed into manifests) is unchanged; the overrides are recorded.
    assert_eq!(l.files[0].1, good());
    assert_eq!(
        l.overrides,
        vec![
            ("name".to_string(), "first".to_string()),
            ("name".to_string(), "My run".to_string())
        ]
    );
}

#[test]
fn set_overrides_are_checked_like_the_file() {
    // A value out of range is reported at the field's line in the file, like the file's own.
    let e = match overridden(&[("horizon_days", "0")]) {
        Err(LoadError::Invalid(d)) => d.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    assert!(
        e.iter()
            .any(|d| d.starts_with("s.toml:6: horizon_days: 0 days is outside")),
        "{e:?}"
    );
    // An unknown field is caught by the file's own key check, with a suggestion.
    let e = match overridden(&[("event[#1].duration_dayz", "3")]) {
        Err(LoadError::Invalid(d)) => d.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    assert!(e.iter().any(|d| d.contains("duration_dayz")), "{e:?}");
    // What cannot apply at all names the override.
    for (key, value, want) in [
        (
            "monte_carlo.seed",
            "3",
            "--set monte_carlo.seed=3: the scenario has no table `monte_carlo`",
        ),
        (
            "event[#3].days",
            "3",
            "--set event[#3].days=3: `event` has 2 entries, not 3",
        ),
        (
            "economics.oil_price",
            "60",
            "`economics.oil_price` is a table; --set changes single values only",
        ),
        (
            "horizon_days",
            "ninety",
            "`ninety` is not a TOML value; the file has an integer here",
        ),
        (
            "economics[#1].x",
            "1",
            "`economics` is a table, not an array of tables",
        ),
        ("horizon_days", "[1, 2]", "VALUE must be a single value"),
    ] {
        let e = overridden(&[(key, value)]).unwrap_err().to_string();
        assert!(e.starts_with("s.toml: --set "), "{e}");
        assert!(e.contains(want), "{key}={value}: {e}");
    }
    assert!(corridor::io::parse_override("no-equals").is_err());
    assert_eq!(
        corridor::io::parse_override(" a.b = 3 "),
        Ok(("a.b".to_string(), "3".to_string()))
    );
}
