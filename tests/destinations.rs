//! Where traffic is bound: destination groups, their round-trip times over each path, the
//! route factor's calibration, and shutdowns of one group or of mobile networks only. Worked
//! by hand on one city, two exchanges and two groups, then checked on the shipped network.

mod common;

use std::path::Path;

use common::fixtures;
use corridor::engine::latency::rtt_paths;
use corridor::engine::metrics::summarize;
use corridor::engine::sim::{SimConfig, SimResult, simulate};
use corridor::io::{LoadedScenario, load_embedded, load_scenario};
use corridor::model::Network;

/// `[traffic]` with flat traffic, a route factor of 1.5 and a mobile share of 40%, then two
/// groups: `east` (60%, point 70° E) and `west` (`west_share`%, point 50° E), each reached
/// from both exchanges (`exits_west`: the west group's exits).
fn traffic(west_share: u32, exits_west: &str) -> String {
    format!(
        "[traffic]
peak_to_mean = {{ value = 1.0, unit = \"ratio\", source = \"t\" }}
route_factor = {{ value = 1.5, unit = \"ratio\", source = \"t\" }}
mobile_share = {{ value = 40, unit = \"%\", source = \"t\" }}
[[traffic.destination]]
id = \"east\"
lon = 70.0
lat = 45.0
share = {{ value = 60, unit = \"%\", source = \"t\" }}
exits = [{{ sink = \"X\" }}, {{ sink = \"Y\" }}]
[[traffic.destination]]
id = \"west\"
lon = 50.0
lat = 45.0
share = {{ value = {west_share}, unit = \"%\", source = \"t\" }}
exits = [{exits_west}]
"
    )
}

/// City A (100 Gbps, 60° E) reaches exchange X (62° E) by fibre `a` of `cap_a` Gbps and
/// exchange Y (58° E) by fibre `b` of 1,000 Gbps, all at 45° N.
fn net(cap_a: u32, traffic: &str) -> String {
    let node = |id: &str, kind: &str, lon: f64, extra: &str| {
        format!(
            "[[node]]\nid = \"{id}\"\nkind = \"{kind}\"\nlon = {lon}\nlat = 45.0\ncountry = \"KZ\"\n{extra}"
        )
    };
    let fibre = |id: &str, to: &str, cap: u32| {
        format!(
            "[[link]]\nid = \"{id}\"\nkind = \"terrestrial_fibre\"\nfrom = \"A\"\nto = \"{to}\"\ncountries = [\"KZ\"]\ncapacity = {{ value = {cap}, unit = \"Gbps\", source = \"t\" }}\n"
        )
    };
    [
        traffic.to_string(),
        node(
            "A",
            "city",
            60.0,
            "demand = { value = 100, unit = \"Gbps\", source = \"t\" }\n",
        ),
        node("X", "ixp", 62.0, "sink = true\n"),
        node("Y", "ixp", 58.0, "sink = true\n"),
        fibre("a", "X", cap_a),
        fibre("b", "Y", 1000),
    ]
    .concat()
}

const BOTH_EXITS: &str = "{ sink = \"X\" }, { sink = \"Y\" }";

fn load(cap_a: u32, tail: &str) -> LoadedScenario {
    fixtures::parse_micro(&net(cap_a, &traffic(40, BOTH_EXITS)), 4, "", tail)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Drawn km of link `j` and of the exit of group `g` from sink `s`.
fn km(n: &Network, j: usize) -> f64 {
    n.links[j].length_km()
}
fn onward(n: &Network, g: usize, s: &str) -> f64 {
    n.destinations[g].exit(n.node_ix(s).unwrap()).unwrap().km
}

#[test]
fn each_group_leaves_by_the_exit_nearest_its_point_and_its_rtt_is_length_times_the_factor() {
    let l = load(1000, "");
    let n = &l.network;
    // East (70° E) is nearer X (62° E), west (50° E) nearer Y (58° E); 2° of longitude each
    // way from A, so the cheaper exit is the one on the group's side.
    let east = km(n, 0) + onward(n, 0, "X");
    let west = km(n, 1) + onward(n, 1, "Y");
    assert!(east < km(n, 1) + onward(n, 0, "Y"));
    assert!(west < km(n, 0) + onward(n, 1, "X"));
    let rtt = |k: f64| k * 1.5 * 2.0 / 200.0;
    for r in fixtures::both_ways(&l) {
        for d in &r.days {
            assert!(
                (d.data_rtt_ms[0] - rtt(east)).abs() < 1e-9,
                "{:?}",
                d.data_rtt_ms
            );
            assert!(
                (d.data_rtt_ms[1] - rtt(west)).abs() < 1e-9,
                "{:?}",
                d.data_rtt_ms
            );
            // One city: its shortest paths are the same; the national figure weighs 60:40.
            assert_eq!(d.data_best_rtt_ms.len(), 2);
            assert!((d.data_best_rtt_ms[0] - rtt(east)).abs() < 1e-9);
            assert!((d.data_best_rtt_ms[1] - rtt(west)).abs() < 1e-9);
            let all = 0.6 * rtt(east) + 0.4 * rtt(west);
            assert!((d.data_latency_ms - all).abs() < 1e-9);
            assert!((d.data_served_gbps - 100.0).abs() < 1e-9);
        }
    }
}

#[test]
fn a_full_path_shares_out_by_saving_and_every_group_keeps_its_share_of_what_is_served() {
    // Fibre a to X carries 50 Gbps. West (40) leaves by Y, its own side; east (60) has 50 by X
    // and 10 by Y. Everything is served, so each group gets its whole share.
    let l = load(50, "");
    let n = &l.network;
    let rtt = |k: f64| k * 1.5 * 2.0 / 200.0;
    let east = (50.0 * rtt(km(n, 0) + onward(n, 0, "X"))
        + 10.0 * rtt(km(n, 1) + onward(n, 0, "Y")))
        / 60.0;
    let west = rtt(km(n, 1) + onward(n, 1, "Y"));
    for r in fixtures::both_ways(&l) {
        let d = &r.days[0];
        assert!((d.data_served_gbps - 100.0).abs() < 1e-9);
        assert!(
            (d.data_rtt_ms[0] - east).abs() < 1e-9,
            "{} vs {east}",
            d.data_rtt_ms[0]
        );
        assert!((d.data_rtt_ms[1] - west).abs() < 1e-9);
        assert!((d.link_flow[0] - 50.0).abs() < 1e-9 && (d.link_flow[1] - 50.0).abs() < 1e-9);
    }
}

#[test]
fn cutting_the_nearer_path_moves_the_group_to_the_other_exit() {
    // Fibre a out on days 2–3: east has only Y left, its shortest path is b then Y's exit.
    let cut = "[[event]]\nkind = \"outage\"\nstart = \"2026-01-03\"\nduration_days = 2\nassets = [\"a\"]\nsource = \"t\"\n";
    let l = load(1000, cut);
    let n = &l.network;
    let rtt = |k: f64| k * 1.5 * 2.0 / 200.0;
    let (near, far) = (
        rtt(km(n, 0) + onward(n, 0, "X")),
        rtt(km(n, 1) + onward(n, 0, "Y")),
    );
    for r in fixtures::both_ways(&l) {
        let east: Vec<f64> = r.days.iter().map(|d| d.data_rtt_ms[0]).collect();
        let best: Vec<f64> = r.days.iter().map(|d| d.data_best_rtt_ms[0]).collect();
        for (t, (e, b)) in east.iter().zip(&best).enumerate() {
            let want = if t == 2 || t == 3 { far } else { near };
            assert!(
                (e - want).abs() < 1e-9 && (b - want).abs() < 1e-9,
                "day {t}: {e} {b}"
            );
        }
    }
    // The run's table: mean over the 4 days, worst the far path on day 2, never unreachable.
    let base = simulate(n, &l.scenario, SimConfig::default()).unwrap();
    let run = fixtures::run(&l, false);
    let s = summarize(n, &l.scenario, &run, &base);
    let east = &s.data_rtt[0];
    assert_eq!(
        (east.destination.as_str(), east.origin.as_str()),
        ("east", "served")
    );
    assert!((east.baseline_ms - near).abs() < 1e-9);
    assert!((east.mean_ms - (near + far) / 2.0).abs() < 1e-9);
    assert!((east.peak_ms - far).abs() < 1e-9);
    assert_eq!((east.peak_day, east.days_without), (Some(2), 0));
    assert_eq!(s.data_rtt[1].origin, "A");
}

fn served(r: &SimResult) -> Vec<(f64, f64)> {
    r.days
        .iter()
        .map(|d| (d.data_served_gbps, d.data_shutdown_gbps))
        .collect()
}

#[test]
fn a_shutdown_of_one_group_holds_back_exactly_that_groups_share() {
    // Traffic to `east` (60%) blocked on days 2–3: 40 Gbps served, 60 held back.
    let tail = "[[event]]\nkind = \"shutdown\"\nstart = \"2026-01-03\"\nduration_days = 2\ndestination = \"east\"\nfraction = 0\nsource = \"t\"\n";
    for r in fixtures::both_ways(&load(1000, tail)) {
        let s = served(&r);
        for (t, (sv, sh)) in s.iter().enumerate() {
            let (want_sv, want_sh) = if t == 2 || t == 3 {
                (40.0, 60.0)
            } else {
                (100.0, 0.0)
            };
            assert!(
                (sv - want_sv).abs() < 1e-9 && (sh - want_sh).abs() < 1e-9,
                "{t}: {s:?}"
            );
        }
        // The group still reached keeps its round-trip time; the blocked one has none.
        assert_eq!(r.days[2].data_rtt_ms[0], 0.0);
        assert!(r.days[2].data_rtt_ms[1] > 0.0);
    }
}

#[test]
fn a_mobile_only_shutdown_cuts_only_the_mobile_share() {
    // Mobile share 40%: mobile to 25% lets 1 − 0.4 × 0.75 = 70% through.
    let tail = "[[event]]\nkind = \"shutdown\"\nstart = \"2026-01-03\"\nduration_days = 2\nnetworks = \"mobile\"\nfraction = 0.25\nsource = \"t\"\n";
    let l = load(1000, tail);
    for r in fixtures::both_ways(&l) {
        let (sv, sh) = served(&r)[2];
        assert!(
            (sv - 70.0).abs() < 1e-9 && (sh - 30.0).abs() < 1e-9,
            "{sv} {sh}"
        );
    }
    // Data performance on par with oil's: 70% on days 2–3, so 2 days below 90% and a
    // resilience loss of 2 × 0.3 = 0.6 days, which × 24 is the 14.4 shutdown hours.
    let base = simulate(&l.network, &l.scenario, SimConfig::default()).unwrap();
    let s = summarize(&l.network, &l.scenario, &fixtures::run(&l, false), &base);
    assert!((s.data_min_performance - 0.7).abs() < 1e-12);
    assert_eq!(s.data_days_below_90pct, 2);
    assert!((s.data_resilience_loss - 0.6).abs() < 1e-12);
    assert!((s.data_shutdown_hours - 14.4).abs() < 1e-9);
    assert!(
        (s.data_resilience_loss * 24.0 - s.data_shutdown_hours - s.data_outage_hours).abs() < 1e-9
    );
}

fn refused(net: &str, tail: &str) -> String {
    match fixtures::parse_micro(net, 4, "", tail) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("accepted"),
    }
}

#[test]
fn destination_groups_must_cover_all_traffic_and_every_sink() {
    let e = refused(&net(1000, &traffic(30, BOTH_EXITS)), "");
    assert!(
        e.contains("traffic.destination") && e.contains("sum to 90.0000%, not 100%"),
        "{e}"
    );
    let e = refused(&net(1000, &traffic(40, "{ sink = \"X\" }")), "");
    assert!(
        e.contains("traffic.destination[west].exits")
            && e.contains("no onward path from data sink(s) Y"),
        "{e}"
    );
    let e = refused(
        &net(1000, &traffic(40, "{ sink = \"A\" }, { sink = \"Y\" }")),
        "",
    );
    assert!(e.contains("`A` is not a data sink"), "{e}");
}

#[test]
fn a_shutdown_names_a_known_group_and_mobile_needs_the_mobile_share() {
    let ev = |extra: &str| {
        format!(
            "[[event]]\nkind = \"shutdown\"\nstart = \"2026-01-03\"\nduration_days = 2\n{extra}fraction = 0\nsource = \"t\"\n"
        )
    };
    let e = refused(
        &net(1000, &traffic(40, BOTH_EXITS)),
        &ev("destination = \"europe\"\n"),
    );
    assert!(
        e.contains("unknown destination group `europe`") && e.contains("one of: east, west"),
        "{e}"
    );
    let no_mobile = traffic(40, BOTH_EXITS).replace(
        "mobile_share = { value = 40, unit = \"%\", source = \"t\" }\n",
        "",
    );
    let e = refused(&net(1000, &no_mobile), &ev("networks = \"mobile\"\n"));
    assert!(e.contains("needs the mobile share of traffic"), "{e}");
    let e = refused(
        &net(1000, &traffic(40, BOTH_EXITS)),
        &ev("networks = \"fixed\"\n"),
    );
    assert!(e.contains("unknown networks `fixed`"), "{e}");
    let outage = "[[event]]\nkind = \"outage\"\nstart = \"2026-01-03\"\nduration_days = 2\nassets = [\"a\"]\ndestination = \"east\"\nsource = \"t\"\n";
    let e = refused(&net(1000, &traffic(40, BOTH_EXITS)), outage);
    assert!(
        e.contains("event[outage #1].destination")
            && e.contains("`destination` applies only to `shutdown` events, not `outage`"),
        "{e}"
    );
}

#[test]
fn the_route_factor_reproduces_china_telecoms_hong_kong_to_europe_round_trip() {
    // S150: ≈180 ms Hong Kong–Europe across Kazakhstan. The same path in the shipped data:
    // Hong Kong → Urumqi (the rest-of-Asia exit from Urumqi, reversed), Urumqi → Khorgos →
    // Almaty, the east Russian crossings to Moscow, then Europe's exit from Moscow.
    let n = load_embedded(true).unwrap().network;
    let group = |id: &str| n.destinations.iter().position(|d| d.id == id).unwrap();
    let exit = |g: &str, s: &str| {
        n.destinations[group(g)]
            .exit(n.node_ix(s).unwrap())
            .unwrap()
            .km
    };
    let link = |id: &str| n.link(n.link_ix(id).unwrap()).length_km();
    let path = exit("asia", "urumqi")
        + link("khorgos-urumqi")
        + link("almaty-khorgos")
        + link("ru-east")
        + exit("europe", "moscow-ix");
    assert!((path - 11_004.2).abs() < 0.1, "{path}");
    assert_eq!(n.data_route_factor, 1.6);
    let rtt = n.rtt_ms(path);
    assert!((rtt - 176.07).abs() < 0.01, "{rtt}");
    assert!((rtt / 180.0 - 1.0).abs() < 0.05);
}

#[test]
fn a_russian_cut_sends_europe_bound_traffic_round_by_china() {
    // With the Russian crossings cut, the 110 Gbps served leave Almaty by the two China links,
    // 55 Gbps each: Europe's served round trip is their mean length then Europe's exit from
    // Urumqi.
    let l = load_scenario(Path::new("scenarios/russia-transit-cutoff.toml"), true).unwrap();
    let n = &l.network;
    let base = simulate(n, &l.scenario, SimConfig::default()).unwrap();
    let run = fixtures::run(&l, false);
    let s = summarize(n, &l.scenario, &run, &base);
    let europe = s
        .data_rtt
        .iter()
        .find(|r| r.destination == "europe" && r.origin == "served")
        .unwrap();
    let link = |id: &str| n.link(n.link_ix(id).unwrap()).length_km();
    let china = (link("almaty-khorgos")
        + link("khorgos-urumqi")
        + link("almaty-dostyk")
        + link("dostyk-urumqi"))
        / 2.0;
    let onward = n.destinations[0]
        .exit(n.node_ix("urumqi").unwrap())
        .unwrap()
        .km;
    let want = n.rtt_ms(china + onward);
    assert!((europe.peak_ms - want).abs() < 1e-6, "{europe:?} vs {want}");
    assert!(europe.peak_ms > 3.0 * europe.baseline_ms, "{europe:?}");
    // Astana's best path to Frankfurt today is by Moscow; the planned cable is the next best.
    let astana = n.node_ix("astana").unwrap();
    let best = |planned: bool, sink: &str| {
        rtt_paths(n, planned)
            .into_iter()
            .find(|p| {
                p.origin == astana && p.destination == 0 && p.sink == n.node_ix(sink).unwrap()
            })
            .map(|p| p.rtt_ms)
    };
    let (moscow, cable) = (
        best(false, "moscow-ix").unwrap(),
        best(true, "istanbul-ix").unwrap(),
    );
    assert!(best(false, "istanbul-ix").is_none());
    assert!(moscow < cable && cable < best(false, "urumqi").unwrap());
}

#[test]
fn each_city_sends_its_own_mix_of_destinations() {
    // Cities A (60° E) and B (58° E), 100 Gbps each, joined by a backbone both ways; A reaches
    // exchange X (62° E), B exchange Y (56° E). Half of each city's traffic goes east (point
    // 70° E), half west (48° E). A's west-bound half is shorter by the backbone and Y than by
    // X, and B's east-bound half by the backbone and X, so east-bound traffic is A's by X and
    // B's by A and X: its round trip is the mean of the two. Pairing A with east and B with
    // west, which the cities' mixes forbid, would give A's alone.
    let node = |id: &str, kind: &str, lon: f64, extra: &str| {
        format!(
            "[[node]]\nid = \"{id}\"\nkind = \"{kind}\"\nlon = {lon}\nlat = 45.0\ncountry = \"KZ\"\n{extra}"
        )
    };
    let fibre = |id: &str, from: &str, to: &str| {
        format!(
            "[[link]]\nid = \"{id}\"\nkind = \"terrestrial_fibre\"\nfrom = \"{from}\"\nto = \"{to}\"\ncountries = [\"KZ\"]\ncapacity = {{ value = 1000, unit = \"Gbps\", source = \"t\" }}\n"
        )
    };
    let demand = "demand = { value = 100, unit = \"Gbps\", source = \"t\" }\n";
    let net = [
        traffic(40, BOTH_EXITS)
            .replace("value = 60, unit", "value = 50, unit")
            .replace(
                "value = 40, unit = \"%\", source = \"t\" }\nexits",
                "value = 50, unit = \"%\", source = \"t\" }\nexits",
            )
            .replace("lon = 50.0", "lon = 48.0"),
        node("A", "city", 60.0, demand),
        node("B", "city", 58.0, demand),
        node("X", "ixp", 62.0, "sink = true\n"),
        node("Y", "ixp", 56.0, "sink = true\n"),
        fibre("ax", "A", "X"),
        fibre("by", "B", "Y"),
        fibre("ab", "A", "B"),
        fibre("ba", "B", "A"),
    ]
    .concat();
    let l = fixtures::parse_micro(&net, 2, "", "").unwrap_or_else(|e| panic!("{e}"));
    let n = &l.network;
    assert_eq!(n.destinations[0].share.value, 0.5);
    let east_a = km(n, 0) + onward(n, 0, "X");
    let east_b = km(n, 3) + east_a;
    assert!(
        east_b < km(n, 1) + onward(n, 0, "Y"),
        "B's east-bound half goes by A"
    );
    let rtt = |k: f64| k * 1.5 * 2.0 / 200.0;
    for r in fixtures::both_ways(&l) {
        let d = &r.days[0];
        assert!((d.data_served_gbps - 200.0).abs() < 1e-9);
        let want = rtt((east_a + east_b) / 2.0);
        assert!(
            (d.data_rtt_ms[0] - want).abs() < 1e-9,
            "{} vs {want}",
            d.data_rtt_ms[0]
        );
        // The backbone carries 50 Gbps each way.
        assert!((d.link_flow[2] - 50.0).abs() < 1e-9 && (d.link_flow[3] - 50.0).abs() < 1e-9);
    }
}
