//! Data links as they fail: the busy hour, the value of an outage, the long-run unavailability
//! of a cable, and what the shipped trans-Caspian cable avoids. Worked by hand where possible.

mod common;

use std::path::Path;

use common::fixtures::{self, economics};
use corridor::engine::montecarlo::run_range;
use corridor::engine::sim::{SimConfig, simulate};
use corridor::io::{Memory, load_scenario};
use corridor::model::hourly_profile;

/// The GDP-share value of the shipped scenarios: US$300.54 bn × 2.5%.
const GDP_SHARE: &str = r#"{ method = "gdp_share", gdp = { value = 300.54, unit = "$bn/yr", source = "t" }, digital_share = { value = 2.5, unit = "%", source = "t" } }"#;

/// City A (100 Gbps) reaches exchange X by fibre `a` of `cap` Gbps; `traffic` goes first.
fn net(cap: u32, traffic: &str) -> String {
    format!(
        "{traffic}
[[node]]
id = \"A\"
kind = \"city\"
lon = 60.0
lat = 45.0
country = \"KZ\"
demand = {{ value = 100, unit = \"Gbps\", source = \"test\" }}
[[node]]
id = \"X\"
kind = \"ixp\"
lon = 62.0
lat = 45.0
country = \"RU\"
sink = true
[[link]]
id = \"a\"
kind = \"terrestrial_fibre\"
from = \"A\"
to = \"X\"
countries = [\"KZ\"]
capacity = {{ value = {cap}, unit = \"Gbps\", source = \"test\" }}
"
    )
}

const BUSY_HOUR: &str =
    "[traffic]\npeak_to_mean = { value = 1.72, unit = \"ratio\", source = \"test\" }\n";

fn served(cap: u32, traffic: &str) -> Vec<f64> {
    let l = fixtures::parse_micro(&net(cap, traffic), 3, "", "").unwrap_or_else(|e| panic!("{e}"));
    fixtures::both_ways(&l)
        .iter()
        .flat_map(|r| r.days.iter().map(|d| d.data_served_gbps))
        .collect()
}

#[test]
fn the_hourly_profile_averages_one_and_peaks_at_the_ratio() {
    let p = hourly_profile(1.72);
    assert!((p.iter().sum::<f64>() / 24.0 - 1.0).abs() < 1e-12);
    assert!((p[21] - 1.72).abs() < 1e-12);
    assert!((p[9] - 0.28).abs() < 1e-12);
    assert_eq!(hourly_profile(1.0), [1.0; 24]);
}

#[test]
fn a_link_below_the_busy_hour_loses_only_the_busy_hours() {
    // Mean 100 Gbps, busy hour 172 (21:00). A 150-Gbps link carries every hour whose traffic
    // 100·k_h is at most 150: k_h = 1 + 0.72·cos(2π(h − 21)/24) exceeds 1.5 for h = 18…24, by
    // 0.72·cos(0) − 0.5 = 0.22 at 21, 0.72·cos(π/12) − 0.5 = 0.195467 at 20 and 22,
    // 0.72·cos(π/6) − 0.5 = 0.123538 at 19 and 23, 0.72·cos(π/4) − 0.5 = 0.009117 at 18 and 0.
    // Lost: 100 × (0.22 + 2 × (0.195467 + 0.123538 + 0.009117)) / 24 = 3.651 Gbps on average.
    let c = |x: f64| 0.72 * x - 0.5;
    let pi = std::f64::consts::PI;
    let lost = 100.0
        * (c(1.0) + 2.0 * (c((pi / 12.0).cos()) + c((pi / 6.0).cos()) + c((pi / 4.0).cos())))
        / 24.0;
    assert!((lost - 3.651).abs() < 1e-3, "{lost}");
    for s in served(150, BUSY_HOUR) {
        assert!((s - (100.0 - lost)).abs() < 1e-9, "{s}");
    }
    // Without the busy hour (flat traffic) the same link carries everything; at 172 Gbps and
    // more it carries every hour.
    assert!(served(150, "").iter().all(|s| (s - 100.0).abs() < 1e-9));
    assert!(
        served(172, BUSY_HOUR)
            .iter()
            .all(|s| (s - 100.0).abs() < 1e-9)
    );
    // Below the mean, hour h serves min(100·k_h, 60).
    let p = hourly_profile(1.72);
    let want = p.iter().map(|k| (100.0 * k).min(60.0)).sum::<f64>() / 24.0;
    for s in served(60, BUSY_HOUR) {
        assert!((s - want).abs() < 1e-9, "{s} vs {want}");
    }
}

#[test]
fn a_busy_hour_ratio_outside_one_to_two_is_refused() {
    let bad = "[traffic]\npeak_to_mean = { value = 2.5, unit = \"ratio\", source = \"t\" }\n";
    let err = match fixtures::parse_micro(&net(150, bad), 3, "", "") {
        Err(e) => e.to_string(),
        Ok(_) => panic!("accepted"),
    };
    assert!(err.contains("traffic.peak_to_mean"), "{err}");
    assert!(err.contains("within 1…2"), "{err}");
}

#[test]
fn a_24_hour_national_outage_costs_a_day_of_the_digital_economy() {
    // US$300.54 bn × 2.5% / 8,760 h = US$857,705.48 an hour; 24 hours: US$20,584,931.51.
    let text = fixtures::scenario_text(
        "v",
        3,
        &economics(GDP_SHARE),
        "[[event]]\nkind = \"shutdown\"\nstart = \"2026-01-02\"\nduration_days = 1\nfraction = 0\nsource = \"t\"\n",
    );
    let l = fixtures::load_in(&fixtures::tree(&net(1000, ""), &[]), "v", &text);
    let (s, _) = fixtures::summary_and_exports(&l);
    assert!((s.data_shutdown_hours - 24.0).abs() < 1e-9);
    let usd = s.data_shutdown_value_usd.unwrap();
    assert!((usd - 20_584_931.51).abs() < 0.01, "{usd}");
    assert_eq!(s.data_unserved_value_usd, Some(0.0));
    // A link cut of the same day is a physical loss valued the same way.
    let text = fixtures::scenario_text(
        "v",
        3,
        &economics(GDP_SHARE),
        "[[event]]\nkind = \"outage\"\nstart = \"2026-01-02\"\nduration_days = 1\nassets = [\"a\"]\nsource = \"t\"\n",
    );
    let l = fixtures::load_in(&fixtures::tree(&net(1000, ""), &[]), "v", &text);
    let (s, _) = fixtures::summary_and_exports(&l);
    assert!((s.data_outage_hours - 24.0).abs() < 1e-9);
    assert!((s.data_unserved_value_usd.unwrap() - 20_584_931.51).abs() < 0.01);
}

#[test]
fn a_data_value_method_must_be_known_and_its_share_a_share() {
    for (value, field) in [
        (
            r#"{ method = "gdp", gdp = { value = 1, unit = "$bn/yr", source = "t" }, digital_share = { value = 2, unit = "%", source = "t" } }"#,
            "economics.data_value.method",
        ),
        (
            r#"{ method = "gdp_share", gdp = { value = 1, unit = "$bn/yr", source = "t" }, digital_share = { value = 120, unit = "%", source = "t" } }"#,
            "economics.data_value.digital_share",
        ),
    ] {
        let text = fixtures::scenario_text("v", 3, &economics(value), "");
        let err = match corridor::io::parse_scenario_in(
            &fixtures::tree(&net(1000, ""), &[]),
            "v",
            "v.toml",
            &text,
            Path::new(""),
            true,
        ) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("accepted {value}"),
        };
        assert!(err.contains(field), "{err}");
    }
}

#[test]
fn a_cables_long_run_unavailability_is_the_renewal_formula() {
    // Cable `a` fails at λ = 3 per year and is repaired in exactly r = 10 days; it carries all
    // the traffic (flat), so a replicate's outage hours / 8,760 estimate the unavailability
    // λr / (1 + λr) = (3/365 × 10) / (1 + 3/365 × 10) = 0.075949… The link has ten times the
    // traffic's capacity: a data link is down for whole days (those whose midpoint an outage
    // covers), so headroom must not hide the hours it is down.
    let mc = "[monte_carlo]\nruns = 3000\nseed = 5\n[[failure]]\nassets = [\"a\"]\nrate = { value = 3, unit = \"per_yr\", source = \"t\" }\nrepair = { dist = \"fixed\", days = 10, source = \"t\" }\nsource = \"t\"\n";
    let text = fixtures::scenario_text("u", 365, &economics(GDP_SHARE), mc);
    let l = fixtures::load_in(&fixtures::tree(&net(1000, ""), &[]), "u", &text);
    let m = l.scenario.monte_carlo.clone().unwrap();
    let cfg = SimConfig {
        with_events: false,
        every_day: false,
        totals_only: true,
    };
    let base = simulate(&l.network, &l.scenario, cfg).unwrap();
    let (reps, agg) = run_range(&l.network, &l.scenario, &m, &base, 0..m.runs, &|| {}).unwrap();
    let u: Vec<f64> = reps.iter().map(|r| r.data_outage_hours / 8760.0).collect();
    let lr = 3.0 / 365.0 * 10.0;
    common::assert_mean_within_4_se(&u, lr / (1.0 + lr), 0.003);
    let mean = common::mean_and_se(&u).0;
    // The aggregates carry the same mean, and every replicate's value is its hours × the
    // hourly value.
    let st = agg.stats(0.0);
    assert!((st.data_outage_hours.mean - mean * 8760.0).abs() < 1e-3);
    for r in &reps {
        let usd = r.data_loss_usd.unwrap();
        assert!((usd - r.data_outage_hours * 300.54e9 * 0.025 / 8760.0).abs() < 1e-3);
    }
    let usd = st.data_loss_usd.unwrap();
    assert!(usd.cvar95 >= usd.p95 && usd.p95 >= 0.0);
}

#[test]
fn the_shipped_cable_avoids_data_losses_with_an_interval_above_zero() {
    let l = load_scenario(Path::new("scenarios/mc-data-links.toml"), true).unwrap();
    let st = common::compare_options(
        &Memory::embedded_scenarios(),
        "scenarios/variants",
        &l,
        &["status-quo", "cable"],
        120,
    );
    let cable = &st[1];
    assert!(
        cable.data_avoided_hours.lo > 0.0,
        "{:?}",
        cable.data_avoided_hours
    );
    assert!(
        cable.data_avoided_usd.lo > 0.0,
        "{:?}",
        cable.data_avoided_usd
    );
    // The benefit that B/C uses is oil and data together.
    assert!(
        (cable.total_avoided_usd.mean - cable.avoided_usd.mean - cable.data_avoided_usd.mean).abs()
            < 1e-3
    );
}

#[test]
fn the_shipped_aktobe_cut_reaches_the_oil_port_through_its_dependency() {
    let l = load_scenario(Path::new("scenarios/aktobe-fibre-corridor-cut.toml"), true).unwrap();
    // The network declares Aktau's dependency on the backbone to Aktau.
    assert!(l.network.dependencies.iter().any(|d| {
        l.network.asset_id(d.dependent) == "aktau-port"
            && l.network.asset_id(d.on) == "kz-backbone-astana-aktau"
    }));
    let (s, _) = fixtures::summary_and_exports(&l);
    // The 10-day cut outlasts the 3-day grace, so the port is hit; at its 2025 load (about 3.4
    // of 7.5 Mt/yr) 60% of its berths still carry all of it, so no crude is lost.
    assert!(
        s.assets_hit.contains(&"aktau-port".to_string()),
        "{:?}",
        s.assets_hit
    );
    assert!(s.lost_exports_mt.abs() < 1e-9);
    // The data cost: the west crossings' 750 Gbps are gone for 10 days, leaving 875 + 500 + 110
    // = 1,485 Gbps = 1.3674 × the 1,086 Gbps mean. Hour h loses k_h − 1.3674 of a mean hour
    // where k_h exceeds it: 0.3526 at 21:00, 0.3281 at 20 and 22, 0.2561 at 19 and 23, 0.1417 at
    // 18 and 0, i.e. 1.8044 hours of full outage a day, 18.044 h over the 10 days.
    let r = 1485.0 / 1086.0;
    let p = hourly_profile(1.72);
    let per_day: f64 = p.iter().map(|k| (k - r).max(0.0)).sum();
    assert!((per_day - 1.8044).abs() < 1e-3, "{per_day}");
    assert!(
        (s.data_outage_hours - 10.0 * per_day).abs() < 1e-6,
        "{}",
        s.data_outage_hours
    );
}

#[test]
fn the_round_trip_time_of_a_known_path() {
    // Light in fibre covers about 200 km per ms, there and back: a path of L km has a round
    // trip of 2L / 200 ms. A direct fibre (2° of longitude at 45° N, 157.25 km by haversine) and
    // a detour through 47° N: with the direct one carrying 60 of the 100 Gbps, the
    // flow-weighted round trip is (60 × RTT_direct + 40 × RTT_detour) / 100.
    let fibre = |id: &str, via: &str, cap: u32| {
        format!(
            "[[link]]\nid = \"{id}\"\nkind = \"terrestrial_fibre\"\nfrom = \"A\"\nto = \"X\"\n{via}countries = [\"KZ\"]\ncapacity = {{ value = {cap}, unit = \"Gbps\", source = \"t\" }}\n"
        )
    };
    let nodes = "[[node]]\nid = \"A\"\nkind = \"city\"\nlon = 60.0\nlat = 45.0\ncountry = \"KZ\"\ndemand = { value = 100, unit = \"Gbps\", source = \"t\" }\n[[node]]\nid = \"X\"\nkind = \"ixp\"\nlon = 62.0\nlat = 45.0\ncountry = \"RU\"\nsink = true\n";
    let run = |net: String| {
        let l = fixtures::parse_micro(&net, 2, "", "").unwrap_or_else(|e| panic!("{e}"));
        let km: Vec<f64> = l.network.links.iter().map(|k| k.length_km()).collect();
        (fixtures::both_ways(&l)[0].days[0].data_latency_ms, km)
    };
    let (one, km) = run(format!("{nodes}{}", fibre("direct", "", 1000)));
    assert!((km[0] - 157.25).abs() < 0.01, "{}", km[0]);
    assert!((one - 2.0 * km[0] / 200.0).abs() < 1e-9, "{one}");
    let (two, km) = run(format!(
        "{nodes}{}{}",
        fibre("direct", "", 60),
        fibre("detour", "via = [[61.0, 47.0]]\n", 1000)
    ));
    let want = (60.0 * 2.0 * km[0] / 200.0 + 40.0 * 2.0 * km[1] / 200.0) / 100.0;
    assert!(km[1] > 2.0 * km[0]);
    assert!((two - want).abs() < 1e-9, "{two} vs {want}");
}
