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
