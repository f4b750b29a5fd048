//! Field restart: output shut in because nothing could take it comes back after the field's
//! restart lag and ramp, counted from the first day the cause has gone. Worked by hand on one
//! field and one pipeline.

mod common;

use common::fixtures;
use corridor::io::LoadedScenario;

const LAG2_RAMP2: &str = "restart = { lead = { value = 2, unit = \"days\", source = \"test\" }, ramp = { value = 2, unit = \"days\", source = \"test\" } }\n";

/// Field F (14 kt/day, `restart` as given) ships to market M by pipeline `a` (14 kt/day), with
/// no tank farm.
fn net(restart: &str) -> String {
    let field = fixtures::FIELD_AND_MARKET.replace(
        "production = { value = 14, unit = \"kt/day\", source = \"test\" }\n",
        &format!("production = {{ value = 14, unit = \"kt/day\", source = \"test\" }}\n{restart}"),
    );
    assert!(
        restart.is_empty() || field.contains("restart"),
        "the fixture changed"
    );
    format!(
        "{field}[[link]]\nid = \"a\"\nkind = \"pipeline\"\nfrom = \"F\"\nto = \"M\"\ncountries = [\"KZ\"]\ncapacity = {{ value = 14, unit = \"kt/day\", source = \"test\" }}\n"
    )
}

/// An outage of `a` (no `fraction`) or a derate to `fraction`.
fn event(kind: &str, start: &str, days: u32, fraction: Option<f64>) -> String {
    let fraction = fraction.map_or(String::new(), |x| format!("fraction = {x}\n"));
    format!(
        "[[event]]\nkind = \"{kind}\"\nstart = \"{start}\"\nduration_days = {days}\nassets = [\"a\"]\n{fraction}source = \"test\"\n"
    )
}

fn load(net: &str, horizon: u32, tail: &str) -> LoadedScenario {
    fixtures::parse_micro(net, horizon, "", tail).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_field_shut_in_by_an_outage_restarts_after_its_lag_and_ramp() {
    // a is out on days 2–4: F is shut in (14 kt/day) and the clock starts on day 4, the last
    // day the flow shut it in. Days 5 and 6 are the 2 days of lag (held back 14: nothing
    // flows although a is back); day 7 is the first of the 2 ramp days (held back
    // 14 × (1 − 1/2) = 7); from day 8 F is back to 14.
    let l = load(
        &net(LAG2_RAMP2),
        10,
        &event("outage", "2026-01-03", 3, None),
    );
    for r in fixtures::both_ways(&l) {
        assert_eq!(
            fixtures::column(&r, |d| d.exports_kt),
            vec![14.0, 14.0, 0.0, 0.0, 0.0, 0.0, 0.0, 7.0, 14.0, 14.0]
        );
        // Held-back output is shut in; production is what F could produce.
        assert_eq!(
            fixtures::column(&r, |d| d.curtailed_kt),
            vec![0.0, 0.0, 14.0, 14.0, 14.0, 14.0, 14.0, 7.0, 0.0, 0.0]
        );
        assert_eq!(fixtures::column(&r, |d| d.production_kt), vec![14.0; 10]);
    }
}

#[test]
fn the_lag_counts_from_the_first_day_the_cause_has_gone() {
    // a at 50% (7 kt/day) on days 2–6: F is shut in by 7 every day. On days 3–6 the hold (7)
    // would keep F at what a carries anyway, but solved at full output the flow still shuts in
    // 7, so the cause is there and the clock starts again each day. From day 7 a is back: days
    // 7 and 8 are the lag (F held at 7), day 9 the first ramp day (held back 3.5), day 10 full.
    let l = load(
        &net(LAG2_RAMP2),
        12,
        &event("derate", "2026-01-03", 5, Some(0.5)),
    );
    for r in fixtures::both_ways(&l) {
        assert_eq!(
            fixtures::column(&r, |d| d.exports_kt),
            vec![
                14.0, 14.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 10.5, 14.0, 14.0
            ]
        );
    }
}

#[test]
fn a_field_without_restart_data_comes_back_at_once() {
    let l = load(&net(""), 8, &event("outage", "2026-01-03", 3, None));
    for r in fixtures::both_ways(&l) {
        assert_eq!(
            fixtures::column(&r, |d| d.exports_kt),
            vec![14.0, 14.0, 0.0, 0.0, 0.0, 14.0, 14.0, 14.0]
        );
    }
}

#[test]
fn restart_data_on_a_node_that_is_not_a_field_is_refused() {
    let net = net("").replace(
        "kind = \"market\"\n",
        &format!("kind = \"market\"\n{LAG2_RAMP2}"),
    );
    let errs = fixtures::micro_errors(&net, 4, "", "");
    assert!(
        errs.iter()
            .any(|e| e.contains("node[M].restart") && e.contains("only nodes of kind `field`")),
        "{errs:?}"
    );
}
