//! Government-ordered shutdowns: the traffic a shutdown holds back is independent of the links
//! and reported apart from physical losses. Worked by hand on two cities and one exchange.

mod common;

use common::fixtures;

/// Cities A (100 Gbps) and B (50 Gbps) reach exchange X by fibre `a` and `b`, of `cap_a` and
/// 1,000 Gbps.
fn net(cap_a: u32) -> String {
    let city = |id: &str, lon: f64, gbps: u32| {
        format!(
            "[[node]]\nid = \"{id}\"\nkind = \"city\"\nlon = {lon}\nlat = 45.0\ncountry = \"KZ\"\ndemand = {{ value = {gbps}, unit = \"Gbps\", source = \"test\" }}\n"
        )
    };
    let fibre = |id: &str, from: &str, cap: u32| {
        format!(
            "[[link]]\nid = \"{id}\"\nkind = \"terrestrial_fibre\"\nfrom = \"{from}\"\nto = \"X\"\ncountries = [\"KZ\"]\ncapacity = {{ value = {cap}, unit = \"Gbps\", source = \"test\" }}\n"
        )
    };
    [
        city("A", 60.0, 100),
        city("B", 61.0, 50),
        "[[node]]\nid = \"X\"\nkind = \"ixp\"\nlon = 62.0\nlat = 46.0\ncountry = \"RU\"\nsink = true\n"
            .into(),
        fibre("a", "A", cap_a),
        fibre("b", "B", 1000),
    ]
    .concat()
}

/// A shutdown to `fraction` on days 2–3 (`assets`: the cities it covers; empty: national).
fn shutdown(fraction: f64, assets: &str) -> String {
    format!(
        "[[event]]\nkind = \"shutdown\"\nstart = \"2026-01-03\"\nduration_days = 2\n{assets}fraction = {fraction}\nsource = \"test\"\n"
    )
}

fn days(cap_a: u32, tail: &str) -> Vec<(f64, f64, f64)> {
    let l = fixtures::parse_micro(&net(cap_a), 5, "", tail).unwrap_or_else(|e| panic!("{e}"));
    fixtures::both_ways(&l)
        .iter()
        .flat_map(|r| {
            r.days
                .iter()
                .map(|d| {
                    let round = |x: f64| (x * 1e9).round() / 1e9;
                    (
                        round(d.data_served_gbps),
                        round(d.data_shutdown_gbps),
                        round(d.data_unserved_gbps()),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn a_national_shutdown_at_2_percent_serves_exactly_2_percent_whatever_the_capacity() {
    // 150 Gbps of demand; at 2% on days 2–3, 3 Gbps served and 147 held back, with links of
    // 1,000 or 120 Gbps alike. Nothing is a physical loss.
    for cap in [1000, 120] {
        let got = days(cap, &shutdown(0.02, ""));
        let normal = (150.0, 0.0, 0.0);
        let shut = (3.0, 147.0, 0.0);
        assert_eq!(got[..5], [normal, normal, shut, shut, normal], "cap {cap}");
        assert_eq!(got[..5], got[5..], "event-driven and every-day differ");
    }
    // With `a` at 60 Gbps A loses 40 Gbps physically on normal days; during the shutdown A may
    // send only 2 (B 1), which the link carries: the loss is all the order's.
    let got = days(60, &shutdown(0.02, ""));
    assert_eq!(got[0], (110.0, 0.0, 40.0));
    assert_eq!(got[2], (3.0, 147.0, 0.0));
}

#[test]
fn a_regional_shutdown_covers_only_its_cities() {
    // B alone at 10%: B sends 5 Gbps, A its 100.
    let got = days(1000, &shutdown(0.1, "assets = [\"B\"]\n"));
    assert_eq!(got[2], (105.0, 45.0, 0.0));
    assert_eq!(got[4], (150.0, 0.0, 0.0));
}

#[test]
fn a_shutdown_must_name_places_that_send_traffic() {
    let errs = fixtures::micro_errors(&net(1000), 5, "", &shutdown(0.1, "assets = [\"X\"]\n"));
    assert!(
        errs.iter().any(|e| e.contains("event[shutdown #1].assets")
            && e.contains("sends no international traffic")),
        "{errs:?}"
    );
    let errs = fixtures::micro_errors(&net(1000), 5, "", &shutdown(0.1, "routes = [\"r\"]\n"));
    assert!(
        errs.iter().any(|e| e.contains("event[shutdown #1].routes")),
        "{errs:?}"
    );
}

/// City A (100 Gbps) reaches exchange X through gateway G (fibre `g1` 1,000 Gbps, then `g2`
/// 1,000 Gbps) or directly by fibre `d` (30 Gbps, longer, so normally unused).
fn gateway_net() -> String {
    let fibre = |id: &str, from: &str, to: &str, cap: u32| {
        format!(
            "[[link]]\nid = \"{id}\"\nkind = \"terrestrial_fibre\"\nfrom = \"{from}\"\nto = \"{to}\"\ncountries = [\"KZ\"]\ncapacity = {{ value = {cap}, unit = \"Gbps\", source = \"test\" }}\n"
        )
    };
    [
        "[[node]]\nid = \"A\"\nkind = \"city\"\nlon = 60.0\nlat = 45.0\ncountry = \"KZ\"\ndemand = { value = 100, unit = \"Gbps\", source = \"test\" }\n".to_string(),
        "[[node]]\nid = \"G\"\nkind = \"ixp\"\nlon = 61.0\nlat = 45.0\ncountry = \"KZ\"\n".into(),
        "[[node]]\nid = \"X\"\nkind = \"ixp\"\nlon = 62.0\nlat = 45.0\ncountry = \"RU\"\nsink = true\n".into(),
        fibre("g1", "A", "G", 1000),
        fibre("g2", "G", "X", 1000),
        "[[link]]\nid = \"d\"\nkind = \"terrestrial_fibre\"\nfrom = \"A\"\nto = \"X\"\nvia = [[61.0, 47.0]]\ncountries = [\"KZ\"]\ncapacity = { value = 30, unit = \"Gbps\", source = \"test\" }\n".into(),
    ]
    .concat()
}

#[test]
fn a_gateway_outage_routes_around_it_and_loses_exactly_the_rest() {
    // G out on days 2–3: the direct fibre carries its 30 Gbps, 70 are lost (a physical loss,
    // not a shutdown); G back on day 4.
    let tail = "[[event]]\nkind = \"outage\"\nstart = \"2026-01-03\"\nduration_days = 2\nassets = [\"G\"]\nsource = \"test\"\n";
    let l = fixtures::parse_micro(&gateway_net(), 5, "", tail).unwrap_or_else(|e| panic!("{e}"));
    for r in fixtures::both_ways(&l) {
        let served = fixtures::column(&r, |d| d.data_served_gbps);
        let lost = fixtures::column(&r, |d| d.data_unserved_gbps());
        assert_eq!(served, vec![100.0, 100.0, 30.0, 30.0, 100.0]);
        assert_eq!(lost, vec![0.0, 0.0, 70.0, 70.0, 0.0]);
        assert_eq!(
            fixtures::column(&r, |d| d.link_flow[2]),
            vec![0.0, 0.0, 30.0, 30.0, 0.0]
        );
    }
    // A derate of G, which has no capacity, would change nothing: refused, naming it.
    let derate = "[[event]]\nkind = \"derate\"\nstart = \"2026-01-03\"\nduration_days = 2\nassets = [\"G\"]\nfraction = 0.5\nsource = \"test\"\n";
    let errs = fixtures::micro_errors(&gateway_net(), 5, "", derate);
    assert!(
        errs.iter()
            .any(|e| e.contains("`G` has no capacity") && e.contains("give it a capacity")),
        "{errs:?}"
    );
}
