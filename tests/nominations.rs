//! Nominated dispatch, worked by hand: crude follows the nominated shares; a disrupted route
//! opens the others' headroom after their lead time and ramp; a shared bottleneck cuts the
//! shippers pro rata, not by transport cost; `least_cost` is what the infrastructure could do.

mod common;

use common::fixtures::{self, run};
use corridor::engine::sim::SimResult;
use corridor::io::{LoadError, LoadedScenario};

fn load(net: &str, tail: &str) -> Result<LoadedScenario, LoadError> {
    load_with(net, "", tail)
}

/// `head` goes in at the top level, before the economics tables.
fn load_with(net: &str, head: &str, tail: &str) -> Result<LoadedScenario, LoadError> {
    fixtures::parse_micro(net, 8, head, tail)
}

fn round(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

fn exports(r: &SimResult) -> Vec<f64> {
    r.days.iter().map(|d| round(d.exports_kt)).collect()
}

fn flows(r: &SimResult, j: usize) -> Vec<f64> {
    r.days.iter().map(|d| round(d.link_flow[j])).collect()
}

fn node(id: &str, kind: &str, lon: f64, extra: &str) -> String {
    format!(
        "[[node]]\nid = \"{id}\"\nkind = \"{kind}\"\nlon = {lon}\nlat = 45.0\ncountry = \"KZ\"\n{extra}"
    )
}

fn pipe(id: &str, from: &str, to: &str, cap: f64, extra: &str) -> String {
    format!(
        "[[link]]\nid = \"{id}\"\nkind = \"pipeline\"\nfrom = \"{from}\"\nto = \"{to}\"\ncountries = [\"KZ\"]\ncapacity = {{ value = {cap}, unit = \"kt/day\", source = \"test\" }}\n{extra}"
    )
}

const LEAD_RAMP: &str = "headroom = { lead = { value = 2, unit = \"days\", source = \"test\" }, ramp = { value = 2, unit = \"days\", source = \"test\" } }\n";

/// Field F (10 kt/day) ships 8 kt/day on route A (pipeline a, 10 kt/day, to market MA) and
/// 2 kt/day on route B (pipeline b, 6 kt/day, to market MB). B has 2 days' lead and 2 days'
/// ramp of headroom.
fn two_routes() -> String {
    [
        node(
            "F",
            "field",
            50.0,
            "production = { value = 10, unit = \"kt/day\", source = \"test\" }\n",
        ),
        node("MA", "market", 51.0, ""),
        node("MB", "market", 52.0, ""),
        pipe("a", "F", "MA", 10.0, ""),
        pipe("b", "F", "MB", 6.0, ""),
        "[[route]]\nid = \"A\"\nstages = [\"a\"]\n".into(),
        format!("[[route]]\nid = \"B\"\nstages = [\"b\"]\n{LEAD_RAMP}"),
        "[[nomination]]\nfield = \"F\"\nroute = \"A\"\nvolume = { value = 8, unit = \"kt/day\", source = \"test\" }\n".into(),
        "[[nomination]]\nfield = \"F\"\nroute = \"B\"\nvolume = { value = 2, unit = \"kt/day\", source = \"test\" }\n".into(),
    ]
    .concat()
}

const A_OUT: &str = "[[event]]\nkind = \"outage\"\nstart = \"2026-01-03\"\nduration_days = 4\nassets = [\"a\"]\nsource = \"test\"\n";

#[test]
fn a_disrupted_route_opens_the_others_headroom_after_the_lead_time() {
    // Normally a carries 8 and b 2, although b could carry 6 and a 10.
    // a is out on days 2–5, so A is disrupted from day 2. B's headroom (6 − 2 = 4 kt/day) is
    // shut for the 2 days of lead (days 2, 3), half open on day 4 (b = 2 + 2), fully on day 5
    // (b = 6). Day 6: a is back, no route is disrupted, shippers return to 8 + 2.
    // The 8 kt/day nominated on A have no tank farm: shut in (8, 8, 6, 4 on days 2–5).
    let l = load(&two_routes(), A_OUT).unwrap_or_else(|e| panic!("{e}"));
    for every_day in [false, true] {
        let r = run(&l, every_day);
        assert_eq!(
            exports(&r),
            vec![10.0, 10.0, 2.0, 2.0, 4.0, 6.0, 10.0, 10.0]
        );
        assert_eq!(flows(&r, 0), vec![8.0, 8.0, 0.0, 0.0, 0.0, 0.0, 8.0, 8.0]);
        assert_eq!(flows(&r, 1), vec![2.0, 2.0, 2.0, 2.0, 4.0, 6.0, 2.0, 2.0]);
        let cut: Vec<f64> = r.days.iter().map(|d| round(d.curtailed_kt)).collect();
        assert_eq!(cut, vec![0.0, 0.0, 8.0, 8.0, 6.0, 4.0, 0.0, 0.0]);
    }
    // Least cost sends everything the cheapest way that is open, at once: b takes 6 on day 2.
    let l = load_with(&two_routes(), "dispatch = \"least_cost\"\n", A_OUT)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        exports(&run(&l, false)),
        vec![10.0, 10.0, 6.0, 6.0, 6.0, 6.0, 10.0, 10.0]
    );
}

#[test]
fn a_route_without_headroom_data_takes_no_more_than_its_nominations() {
    let net = two_routes().replace(LEAD_RAMP, "");
    let l = load(&net, A_OUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        exports(&run(&l, false)),
        vec![10.0, 10.0, 2.0, 2.0, 2.0, 2.0, 10.0, 10.0]
    );
}

#[test]
fn a_route_nominated_above_its_capacity_is_short_but_not_disrupted() {
    // A is nominated 8 kt/day but a carries 7: 1 kt/day is shut in every day (no tank farm).
    // That is the nomination's fault, not a disruption, so B's headroom never opens and b
    // keeps its 2 kt/day (it would take 3 from day 2, after its lead, if A counted as
    // disrupted).
    let net = two_routes().replace(
        "capacity = { value = 10, unit = \"kt/day\", source = \"test\" }\n[[link]]\nid = \"b\"",
        "capacity = { value = 7, unit = \"kt/day\", source = \"test\" }\n[[link]]\nid = \"b\"",
    );
    assert!(net.contains("value = 7,"), "the fixture changed");
    let l = load(&net, "").unwrap_or_else(|e| panic!("{e}"));
    for every_day in [false, true] {
        let r = run(&l, every_day);
        assert_eq!(flows(&r, 0), vec![7.0; 8]);
        assert_eq!(flows(&r, 1), vec![2.0; 8]);
        let cut: Vec<f64> = r.days.iter().map(|d| round(d.curtailed_kt)).collect();
        assert_eq!(cut, vec![1.0; 8]);
    }
    // An outage of a on days 2–5 is a disruption (7 → 0, below its normal 7): B opens as in
    // the two-route case.
    let l = load(&net, A_OUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        flows(&run(&l, false), 1),
        vec![2.0, 2.0, 2.0, 2.0, 4.0, 6.0, 2.0, 2.0]
    );
}

/// Field F (10 kt/day) feeds junction J through one intake i (10 kt/day); from J, route A
/// (pipeline a, 10 kt/day, tariff $50/t), route B (pipeline b, 10 kt/day, no tariff, headroom
/// with no lead or ramp) and route C (pipeline c, 10 kt/day). F nominates 3 on A, 3 on B, 4 on C.
fn shared_intake() -> String {
    let now = "headroom = { lead = { value = 0, unit = \"days\", source = \"test\" }, ramp = { value = 0, unit = \"days\", source = \"test\" } }\n";
    let nom = |r: &str, v: f64| {
        format!(
            "[[nomination]]\nfield = \"F\"\nroute = \"{r}\"\nvolume = {{ value = {v}, unit = \"kt/day\", source = \"test\" }}\n"
        )
    };
    [
        node(
            "F",
            "field",
            50.0,
            "production = { value = 10, unit = \"kt/day\", source = \"test\" }\n",
        ),
        node("J", "junction", 50.5, ""),
        node("MA", "market", 51.0, ""),
        node("MB", "market", 52.0, ""),
        node("MC", "market", 53.0, ""),
        pipe("i", "F", "J", 10.0, ""),
        pipe(
            "a",
            "J",
            "MA",
            10.0,
            "tariff = { value = 50, unit = \"$/t\", source = \"test\" }\n",
        ),
        pipe("b", "J", "MB", 10.0, ""),
        pipe("c", "J", "MC", 10.0, ""),
        "[[route]]\nid = \"A\"\nstages = [\"i\", \"a\"]\n".into(),
        format!("[[route]]\nid = \"B\"\nstages = [\"i\", \"b\"]\n{now}"),
        "[[route]]\nid = \"C\"\nstages = [\"i\", \"c\"]\n".into(),
        nom("A", 3.0),
        nom("B", 3.0),
        nom("C", 4.0),
    ]
    .concat()
}

#[test]
fn open_headroom_takes_only_what_a_disrupted_route_cannot_carry() {
    // c is out on days 2–5: C is disrupted and B's headroom opens at once. The 4 kt/day
    // nominated on C go to B (b = 3 + 4 = 7); A keeps its 3 kt/day although b is cheaper and
    // has 3 kt/day to spare, because headroom is a tier dearer than any nomination.
    let out = A_OUT.replace("[\"a\"]", "[\"c\"]");
    let l = load(&shared_intake(), &out).unwrap_or_else(|e| panic!("{e}"));
    for every_day in [false, true] {
        let r = run(&l, every_day);
        assert_eq!(flows(&r, 1), vec![3.0; 8], "a");
        assert_eq!(
            flows(&r, 2),
            vec![3.0, 3.0, 7.0, 7.0, 7.0, 7.0, 3.0, 3.0],
            "b"
        );
        assert_eq!(
            flows(&r, 3),
            vec![4.0, 4.0, 0.0, 0.0, 0.0, 0.0, 4.0, 4.0],
            "c"
        );
        assert_eq!(exports(&r), vec![10.0; 8]);
    }
}

/// Fields F1 (6 kt/day, feeder tariff $1/t) and F2 (4 kt/day, feeder tariff $100/t) both ship
/// everything on route R: their feeders (10 kt/day each) meet at J, and the trunk J → M carries
/// 10 kt/day.
fn two_shippers() -> String {
    two_shippers_as("")
}

/// [`two_shippers`] with every id suffixed by `x` (a second copy beside the first).
fn two_shippers_as(x: &str) -> String {
    let lon = if x.is_empty() { 50.0 } else { 60.0 };
    [
        node(
            &format!("F1{x}"),
            "field",
            lon,
            "production = { value = 6, unit = \"kt/day\", source = \"test\" }\n",
        ),
        node(
            &format!("F2{x}"),
            "field",
            lon + 0.5,
            "production = { value = 4, unit = \"kt/day\", source = \"test\" }\n",
        ),
        node(&format!("J{x}"), "junction", lon + 1.0, ""),
        node(&format!("M{x}"), "market", lon + 2.0, ""),
        pipe(
            &format!("f1{x}"),
            &format!("F1{x}"),
            &format!("J{x}"),
            10.0,
            "tariff = { value = 1, unit = \"$/t\", source = \"test\" }\n",
        ),
        pipe(
            &format!("f2{x}"),
            &format!("F2{x}"),
            &format!("J{x}"),
            10.0,
            "tariff = { value = 100, unit = \"$/t\", source = \"test\" }\n",
        ),
        pipe(&format!("trunk{x}"), &format!("J{x}"), &format!("M{x}"), 10.0, ""),
        format!("[[route]]\nid = \"R{x}\"\nstages = [\"trunk{x}\"]\n"),
        format!("[[nomination]]\nfield = \"F1{x}\"\nroute = \"R{x}\"\nvolume = {{ value = 6, unit = \"kt/day\", source = \"test\" }}\n"),
        format!("[[nomination]]\nfield = \"F2{x}\"\nroute = \"R{x}\"\nvolume = {{ value = 4, unit = \"kt/day\", source = \"test\" }}\n"),
    ]
    .concat()
}

fn trunk_derate(fraction: f64) -> String {
    format!(
        "[[event]]\nkind = \"derate\"\nstart = \"2026-01-03\"\nduration_days = 2\nassets = [\"trunk\"]\nfraction = {fraction}\nsource = \"test\"\n"
    )
}

#[test]
fn a_shared_bottleneck_cuts_both_shippers_pro_rata() {
    // Trunk at 50% (5 kt/day) on days 2–3: each shipper gets half its nomination, F1 3 and
    // F2 2, although F1's crude is cheaper to move. At 70% (7 kt/day): F1 4.2, F2 2.8.
    for (fraction, f1, f2) in [(0.5, 3.0, 2.0), (0.7, 4.2, 2.8)] {
        let l = load(&two_shippers(), &trunk_derate(fraction)).unwrap_or_else(|e| panic!("{e}"));
        for every_day in [false, true] {
            let r = run(&l, every_day);
            assert_eq!(flows(&r, 0), vec![6.0, 6.0, f1, f1, 6.0, 6.0, 6.0, 6.0]);
            assert_eq!(flows(&r, 1), vec![4.0, 4.0, f2, f2, 4.0, 4.0, 4.0, 4.0]);
        }
    }
    // Least cost cuts the dear shipper first: F1 keeps 5, F2 gets nothing.
    let l = load_with(
        &two_shippers(),
        "dispatch = \"least_cost\"\n",
        &trunk_derate(0.5),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let r = run(&l, false);
    assert_eq!(round(r.days[2].link_flow[0]), 5.0);
    assert_eq!(round(r.days[2].link_flow[1]), 0.0);
}

#[test]
fn two_networks_side_by_side_ration_apart() {
    // Two copies that share no node: each field's intake leads only to its own copy's route
    // (the other copy is never searched). Trunk at 50% in the first copy and 70% in the
    // second on days 2–3: 3 / 2 and 4.2 / 2.8, as each copy alone.
    let net = [two_shippers(), two_shippers_as("b")].concat();
    let events = [
        trunk_derate(0.5),
        trunk_derate(0.7).replace("[\"trunk\"]", "[\"trunkb\"]"),
    ]
    .concat();
    let l = load(&net, &events).unwrap_or_else(|e| panic!("{e}"));
    let r = run(&l, false);
    for (j, cut) in [(0, 3.0), (1, 2.0), (3, 4.2), (4, 2.8)] {
        let normal = if j % 3 == 0 { 6.0 } else { 4.0 };
        assert_eq!(
            flows(&r, j),
            vec![normal, normal, cut, cut, normal, normal, normal, normal],
            "link {j}"
        );
    }
}

fn errors(net: &str, head: &str) -> Vec<String> {
    fixtures::micro_errors(net, 8, head, "")
}

#[test]
fn bad_nominations_are_refused_with_their_field() {
    let base = two_routes();
    let nom = |field: &str, route: &str, v: &str| {
        format!(
            "[[nomination]]\nfield = \"{field}\"\nroute = \"{route}\"\nvolume = {{ value = {v}, unit = \"kt/day\", source = \"test\" }}\n"
        )
    };
    for (extra, expect) in [
        (
            nom("MA", "A", "1"),
            "nomination[MA → A].field: `MA` is not a field with production",
        ),
        (
            nom("F", "C", "1"),
            "nomination[F → C].route: unknown oil route `C`",
        ),
        (
            nom("F", "A", "1"),
            "nomination[F → A]: a second nomination of the same field on the same route",
        ),
    ] {
        let e = errors(&format!("{base}{extra}"), "");
        assert!(e.iter().any(|d| d.contains(expect)), "{expect}: {e:?}");
    }
    let negative = base.replace(
        "value = 2, unit = \"kt/day\"",
        "value = -2, unit = \"kt/day\"",
    );
    let e = errors(&negative, "");
    assert!(
        e.iter().any(|d| d.contains(
            "nomination[F → B].volume.value: -2 kt/day is outside the physical range of an oil flow"
        )),
        "{e:?}"
    );
    // A route the field cannot reach: a second field G with no links to route B.
    let lonely = format!(
        "{base}{}{}{}",
        node(
            "G",
            "field",
            49.0,
            "production = { value = 1, unit = \"kt/day\", source = \"test\" }\n"
        ),
        pipe("g", "G", "MA", 1.0, ""),
        nom("G", "B", "1")
    );
    let e = errors(&lonely, "");
    assert!(
        e.iter().any(|d| d.contains(
            "nomination[G → B].route: route `B` cannot be reached from `G` over oil links"
        )),
        "{e:?}"
    );
    let e = errors(&base, "dispatch = \"cheapest\"\n");
    assert!(
        e.iter()
            .any(|d| d.contains("dispatch: unknown dispatch mode `cheapest`")),
        "{e:?}"
    );
}

#[test]
fn a_nomination_that_starts_at_sea_is_refused() {
    // Field F's only way to route S is a tanker leg straight from the field.
    let net = [
        node(
            "F",
            "field",
            50.0,
            "production = { value = 10, unit = \"kt/day\", source = \"test\" }\n",
        ),
        node("M", "market", 52.0, ""),
        r#"[[link]]
id = "sea"
kind = "tanker_leg"
from = "F"
to = "M"
countries = ["KZ"]
[link.fleet]
vessels = { value = 2, unit = "count", source = "test" }
deadweight = { value = 10, unit = "kdwt", source = "test" }
speed = { value = 10, unit = "kn", source = "test" }
loading = { value = 1, unit = "days", source = "test" }
discharge = { value = 1, unit = "days", source = "test" }
availability = { value = 1, unit = "fraction", source = "test" }
[[route]]
id = "S"
stages = ["sea"]
[[nomination]]
field = "F"
route = "S"
volume = { value = 1, unit = "kt/day", source = "test" }
"#
        .into(),
    ]
    .concat();
    let e = errors(&net, "");
    assert!(
        e.iter().any(|d| d.contains(
            "nomination[F → S].route: `F` reaches route `S` first by the tanker leg `sea`"
        )),
        "{e:?}"
    );
}
