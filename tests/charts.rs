//! The network-overview charts: their data rows, and that rendering gives a valid, non-blank
//! PNG of the stated size and a well-formed SVG with the expected text.

use corridor::engine::network_indicators;
use corridor::io::load_embedded;
use corridor::model::Layer;
use corridor::report::chart::{PNG_SCALE, SIZE, render_capacity};
use corridor::report::network;

#[test]
fn chart_rows_are_the_route_capacities() {
    let net = load_embedded(true).unwrap().network;
    let rep = network::build(&net, &network_indicators(&net, false).unwrap());
    let c = network::capacity_chart(&rep, Layer::Oil);
    let rows: Vec<(&str, f64, bool)> = c
        .bars
        .iter()
        .map(|b| (b.label.as_str(), b.value, b.via_russia))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("trans-caspian-btc", 1.5, false),
            ("aktau-makhachkala", 2.1003, true),
            ("kazakhstan-china", 2.39, false),
            ("rail-russia-batumi", 2.4, true),
            ("atyrau-samara", 15.0, true),
            ("cpc", 72.5, true),
        ]
    );
    assert!(
        c.subtitle
            .contains("95.9 Mt/yr, of which 96% cannot bypass Russia"),
        "{}",
        c.subtitle
    );
    let d = network::capacity_chart(&rep, Layer::Data);
    assert_eq!(d.bars.len(), 5);
    assert_eq!(d.bars.last().unwrap().label, "ru-north");
}

#[test]
fn renders_valid_png_and_svg() {
    let net = load_embedded(true).unwrap().network;
    let rep = network::build(&net, &network_indicators(&net, false).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let stem = dir.path().join("oil");
    render_capacity(&network::capacity_chart(&rep, Layer::Oil), &stem).unwrap();

    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(stem.with_extension("png")).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), png_size());
    let px = &buf[..info.buffer_size()];
    let distinct: std::collections::BTreeSet<&[u8]> = px.chunks(4).collect();
    assert!(
        distinct.len() > 20,
        "image looks blank: {} colours",
        distinct.len()
    );
    // Both bar colours are present.
    let has = |rgb: [u8; 3]| px.chunks(3).any(|p| p == rgb);
    assert!(has([196, 58, 49]) && has([38, 110, 166]));

    let svg = std::fs::read_to_string(stem.with_extension("svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect();
    for want in [
        "Kazakhstan crude-oil export capacity by route (Mt/yr)",
        "cpc",
        "72.5 Mt/yr",
        "transits Russia",
        "bypasses Russia",
        "Stand-alone capacity (Mt/yr)",
    ] {
        assert!(
            texts.iter().any(|t| t == want),
            "missing text {want:?} in {texts:?}"
        );
    }
}

use corridor::report::chart::render;
use corridor::report::timeseries::{
    ResilienceChart, ResilienceSeries, ThroughputChart, event_windows,
};

const DAILY: &str = "date,day,production_kt,exports_kt,baseline_exports_kt,performance,exports_a_kt,exports_b_kt,exports_other_kt\n\
2026-01-01,0,100,100,100,1.0,80,20,0\n\
2026-01-02,1,100,50,100,0.5,0,50,0\n\
2026-01-03,2,100,130,100,1.3,80,50,0\n";

/// The PNG size of a chart: its SVG size × [`PNG_SCALE`].
fn png_size() -> (u32, u32) {
    let k = PNG_SCALE as u32;
    (SIZE.0 * k, SIZE.1 * k)
}

fn check_png_svg(stem: &std::path::Path, texts: &[&str]) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(stem.with_extension("png")).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    // The PNG is the SVG rasterised: its size at PNG_SCALE, RGBA.
    assert_eq!((info.width, info.height), png_size());
    assert_eq!(info.color_type, png::ColorType::Rgba);
    let colours: std::collections::BTreeSet<&[u8]> = buf[..info.buffer_size()].chunks(4).collect();
    assert!(colours.len() > 20, "blank image");
    let svg = std::fs::read_to_string(stem.with_extension("svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    // The root names the embedded face first, with fallbacks, and no text overrides it.
    assert_eq!(
        doc.root_element().attribute("font-family"),
        Some("'Noto Sans', 'DejaVu Sans', Arial, Helvetica, sans-serif")
    );
    for n in doc.descendants().filter(|n| n.has_tag_name("text")) {
        assert_eq!(n.attribute("font-family"), None);
    }
    let all: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect();
    for t in texts {
        assert!(
            all.iter().any(|x| x.contains(t)),
            "missing {t:?} in {all:?}"
        );
    }
}

#[test]
fn throughput_chart_reads_daily_csv_and_renders() {
    let summary = r#"{"events":[{"name":"A out","start":"2026-01-02","end":"2026-01-02"}]}"#;
    let dates: Vec<String> = ["2026-01-01", "2026-01-02", "2026-01-03"]
        .map(String::from)
        .to_vec();
    let windows = event_windows("summary.json", summary, &dates).unwrap();
    assert_eq!(windows, vec![(1, 1, "A out".to_string())]);
    assert!(event_windows("summary.json", "{}", &dates).is_err());
    let c = ThroughputChart::from_daily("daily.csv", DAILY, "Test run", windows).unwrap();
    // Routes with flow, in CSV order, with their colour slot (their place in the CSV);
    // "other" carried nothing and is left out.
    assert_eq!(
        c.routes,
        vec![
            ("a".to_string(), vec![80.0, 0.0, 80.0], 0),
            ("b".to_string(), vec![20.0, 50.0, 50.0], 1)
        ]
    );
    assert_eq!(c.baseline, vec![100.0; 3]);
    let dir = tempfile::tempdir().unwrap();
    render(&c, &dir.path().join("tp")).unwrap();
    check_png_svg(
        &dir.path().join("tp"),
        &[
            "Test run",
            "Exports (kt/day)",
            "A out",
            "baseline",
            "0.05 Mt",
        ],
    );
    let bad =
        ThroughputChart::from_daily("x.csv", "date,foo\n2026-01-01,1\n", "t", vec![]).unwrap_err();
    assert_eq!(
        bad.to_string(),
        "x.csv: no column `baseline_exports_kt` (is this the right CSV?)"
    );
}

#[test]
fn resilience_chart_reads_runs_and_bands() {
    let (s, dates) = ResilienceSeries::from_csv("daily.csv", DAILY, "run").unwrap();
    assert_eq!(s.line, vec![1.0, 0.5, 1.3]);
    // Loss: the 0.5 day counts 0.5; the day above 100% does not offset it.
    assert!((s.loss_days() - 0.5).abs() < 1e-12);
    let bands = "date,day,p5,p50,p95,mean\n2026-01-01,0,0.9,1.0,1.0,0.98\n2026-01-02,1,0.4,1.0,1.1,0.9\n2026-01-03,2,1.0,1.0,1.0,1.0\n";
    let (m, _) = ResilienceSeries::from_csv("mc_daily_bands.csv", bands, "mc").unwrap();
    assert_eq!(m.band, Some((vec![0.9, 0.4, 1.0], vec![1.0, 1.1, 1.0])));
    assert!((m.loss_days() - 0.12).abs() < 1e-12);
    let c = ResilienceChart {
        title: "Curves".into(),
        dates,
        series: vec![s, m],
    };
    let dir = tempfile::tempdir().unwrap();
    render(&c, &dir.path().join("res")).unwrap();
    check_png_svg(
        &dir.path().join("res"),
        &[
            "Curves",
            "Performance (% of baseline exports)",
            "run 0.5 d",
            "mc 0.1 d",
        ],
    );
}

use corridor::report::stats_charts::{LossChart, LossMeasure, LossSeries, OptionsChart};

#[test]
fn loss_chart_sorts_losses_and_computes_mean_and_cvar() {
    // 20 replicates with losses 0..19 Mt, shuffled; mean 9.5, CVaR95 = worst 1 (5% of 20) = 19.
    let mut text = String::from("replicate,rng_stream,lost_exports_mt,failures\n");
    for i in 0..20 {
        text.push_str(&format!("{i},{i},{},x\n", (i * 7) % 20));
    }
    let s = LossSeries::from_replicates("mc_replicates.csv", &text, "base", LossMeasure::OilMt)
        .unwrap();
    assert_eq!(
        s.dist,
        LossSeries::of_values("", (0..20).map(f64::from), None).dist
    );
    assert_eq!((s.dist.len(), s.dist.min(), s.dist.max()), (20, 0.0, 19.0));
    assert_eq!(s.mean(), 9.5);
    assert_eq!(s.cvar95(), 19.0);
    // 40 replicates: worst 2 → (39 + 38) / 2.
    let text40: String = std::iter::once("lost_exports_mt\n".to_string())
        .chain((0..40).map(|i| format!("{i}\n")))
        .collect();
    let s40 = LossSeries::from_replicates("r.csv", &text40, "b", LossMeasure::OilMt).unwrap();
    assert_eq!(s40.cvar95(), 38.5);
    let c = LossChart {
        title: "Losses".into(),
        series: vec![s, s40],
        measure: LossMeasure::OilMt,
    };
    let dir = tempfile::tempdir().unwrap();
    render(&c, &dir.path().join("loss")).unwrap();
    check_png_svg(
        &dir.path().join("loss"),
        &[
            "Losses",
            "Annual lost exports (Mt)",
            "base: mean 9.50 Mt, CVaR95 19.00 Mt",
        ],
    );
    let bad = LossSeries::from_replicates(
        "r.csv",
        "lost_exports_mt\n1\nabc\n",
        "b",
        LossMeasure::OilMt,
    )
    .unwrap_err();
    assert!(bad.to_string().contains("r.csv"), "{bad}");
    assert!(bad.to_string().contains("line 3"), "{bad}");
}

#[test]
fn options_chart_reads_compare_csv_in_rank_order() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/compare.csv"),
    )
    .unwrap();
    let c = OptionsChart::from_compare("compare.csv", &text, "Options").unwrap();
    assert_eq!(c.rows[0].id, "middle-corridor");
    assert_eq!(c.rows[0].avoided, (87.733736, 49.192709, 126.274762));
    assert_eq!(c.rows[0].bc, (1.3050, 0.7317, 1.8782));
    assert!(c.rows.iter().all(|r| r.id != "status-quo"));
    let dir = tempfile::tempdir().unwrap();
    render(&c, &dir.path().join("opt")).unwrap();
    check_png_svg(
        &dir.path().join("opt"),
        &[
            "Options",
            "Expected loss avoided, oil and data ($m/yr)",
            "Benefit / cost",
            "middle-corridor ($67.2m/yr)",
            "cable ($6.76m/yr)",
            // aktau-expansion avoids 0 with a 0–0 interval: named in the note, not drawn.
            "No effect on these simulated years (not drawn): aktau-expansion.",
        ],
    );
    let svg = std::fs::read_to_string(dir.path().join("opt.svg")).unwrap();
    assert!(
        !svg.contains("aktau-expansion ($"),
        "a zero-effect option drew a bar"
    );
    assert!(
        c.rows
            .iter()
            .find(|r| r.id == "aktau-expansion")
            .unwrap()
            .no_effect()
    );
    assert!(
        !c.rows
            .iter()
            .find(|r| r.id == "tankers")
            .unwrap()
            .no_effect()
    );
}

#[test]
fn an_option_has_one_colour_in_the_options_chart_and_the_losses_overlay() {
    use corridor::report::rows::CompareReplicateRow;
    use corridor::report::stats_charts::slot_colour;
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/compare.csv"),
    )
    .unwrap();
    let opts = OptionsChart::from_compare("compare.csv", &text, "Options").unwrap();
    // The overlay's rows come in another order (the variant list's) and include the status quo.
    let mut long = Vec::new();
    for v in [
        "status-quo",
        "tankers",
        "middle-corridor",
        "aktau-expansion",
        "cable",
    ] {
        long.push(CompareReplicateRow {
            replicate: 0,
            variant: v.into(),
            ..Default::default()
        });
    }
    let series = LossSeries::of_long(&long);
    for r in &opts.rows {
        let s = series.iter().find(|s| s.name == r.id).unwrap();
        assert_eq!(slot_colour(s.slot), slot_colour(r.slot), "{}", r.id);
    }
    // Four options, four different colours; the status quo is grey, unlike every option.
    let mut colours: Vec<_> = opts.rows.iter().map(|r| slot_colour(r.slot)).collect();
    colours.dedup();
    assert_eq!(colours.len(), 4);
    let sq = series.iter().find(|s| s.name == "status-quo").unwrap();
    assert_eq!(sq.slot, None);
    assert!(!colours.contains(&slot_colour(None)));
}

#[test]
fn exceedance_curve_steps_down_by_one_year_in_n_with_ties_together() {
    // Losses 0, 0, 1, 3 Mt over 4 years: P(L ≥ 0) = 1, P(L ≥ 1) = 2/4, P(L ≥ 3) = 1/4.
    let s = LossSeries::of_values("x", [3.0, 0.0, 1.0, 0.0], Some(0));
    assert_eq!(
        s.exceedance(),
        vec![(0.0, 1.0), (1.0, 1.0), (1.0, 0.5), (3.0, 0.5), (3.0, 0.25)]
    );
    let c = LossChart {
        title: "Exceedance".into(),
        series: vec![LossSeries::of_values(
            "x",
            (0..1000).map(f64::from),
            Some(0),
        )],
        measure: LossMeasure::OilMt,
    };
    let dir = tempfile::tempdir().unwrap();
    render(&c, &dir.path().join("ex")).unwrap();
    // 1,000 years: return periods up to 1 in 1,000 years are marked, 1 in 10,000 is not.
    check_png_svg(
        &dir.path().join("ex"),
        &[
            "1 in 20 years",
            "1 in 100 years",
            "1 in 1,000 years",
            "0.1%",
            "50%",
        ],
    );
    let svg = std::fs::read_to_string(dir.path().join("ex.svg")).unwrap();
    assert!(!svg.contains("1 in 10,000 years"));
}

#[test]
fn tornado_pairs_each_assumption_and_puts_the_widest_swing_first() {
    use corridor::report::stats_charts::TornadoChart;
    let csv =
        "case,ranking_by_net_benefit,top_net_benefit_usd,reference_option,reference_net_benefit_usd
\"as estimated\",\"a > b\",100000000,\"a\",100000000
\"cost of a x0.5\",\"a > b\",150000000,\"a\",150000000
\"cost of a x2\",\"b > a\",60000000,\"a\",0
\"cost of b x0.5\",\"a > b\",100000000,\"a\",100000000
\"cost of b x2\",\"a > b\",100000000,\"a\",100000000
\"all failure rates x0.5\",\"b > a\",20000000,\"a\",-30000000
\"all failure rates x2\",\"a > b\",400000000,\"a\",400000000
";
    let t = TornadoChart::from_csv("sensitivity.csv", csv, "Sensitivity").unwrap();
    assert_eq!(t.option, "a");
    assert_eq!(t.base, 100.0);
    // Failure rates swing 430 ($m/yr), a's cost 150: failure rates on top.
    assert_eq!(t.bars.len(), 2);
    assert_eq!(t.bars[0].assumption, "all failure rates");
    assert_eq!(t.bars[0].low, ("x0.5".into(), -30.0));
    assert_eq!(t.bars[0].high, ("x2".into(), 400.0));
    assert_eq!(t.bars[1].assumption, "cost of a");
    assert_eq!(t.bars[1].swing(), 150.0);
    // b's cost does not move a's net benefit: a note, not a bar.
    assert_eq!(t.idle, vec!["cost of b".to_string()]);
    let dir = tempfile::tempdir().unwrap();
    render(&t, &dir.path().join("t")).unwrap();
    check_png_svg(
        &dir.path().join("t"),
        &[
            "Sensitivity",
            "all failure rates",
            "x2: 400.0",
            "x0.5: -30.0",
            "Not moving it (not drawn): cost of b.",
        ],
    );
}

#[test]
fn data_chart_routes_add_up_to_served_bandwidth() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/scenarios");
    for sc in [
        "baseline",
        "russia-transit-cutoff",
        "trans-caspian-cable-cut",
    ] {
        let text = std::fs::read_to_string(root.join(sc).join("daily.csv")).unwrap();
        let c = ThroughputChart::from_daily_data("daily.csv", &text, sc, vec![]).unwrap();
        let served = ResilienceSeries::from_csv("daily.csv", &text, sc)
            .unwrap()
            .1
            .len();
        assert_eq!(c.dates.len(), served);
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let h = rdr.headers().unwrap().clone();
        let k = h.iter().position(|x| x == "data_served_gbps").unwrap();
        for (t, rec) in rdr.records().enumerate() {
            let total: f64 = c.routes.iter().map(|r| r.1[t]).sum();
            let want: f64 = rec.unwrap()[k].parse().unwrap();
            assert!(
                (total - want).abs() < 1e-3,
                "{sc} day {t}: {total} vs {want}"
            );
        }
        assert_eq!(c.latency_ms.as_ref().unwrap().len(), c.dates.len());
    }
    // Baseline day 0: 1,086 Gbps demanded, all served; 976 of it through Russia.
    let text = std::fs::read_to_string(root.join("baseline/daily.csv")).unwrap();
    let c = ThroughputChart::from_daily_data("daily.csv", &text, "Data", vec![]).unwrap();
    assert_eq!(c.baseline[0], 1086.0);
    let via_ru: f64 = c
        .routes
        .iter()
        .filter(|r| r.0.starts_with("ru-"))
        .map(|r| r.1[0])
        .sum();
    assert_eq!(via_ru, 976.0);
    let dir = tempfile::tempdir().unwrap();
    render(&c, &dir.path().join("data")).unwrap();
    check_png_svg(
        &dir.path().join("data"),
        &[
            "Data",
            "Served (Gbps)",
            "Round-trip time (ms)",
            "demand",
            "ru-north",
        ],
    );
}

#[test]
fn loss_series_from_a_compare_replicates_table() {
    let text =
        "replicate,variant,lost_exports_mt\n0,status-quo,3\n0,cable,1\n1,status-quo,1\n1,cable,0\n";
    let s = LossSeries::from_long("replicates.csv", text).unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(
        (s[0].name.as_str(), &s[0].dist),
        (
            "status-quo",
            &LossSeries::of_values("", [1.0, 3.0], None).dist
        )
    );
    assert_eq!(
        (s[1].name.as_str(), &s[1].dist),
        ("cable", &LossSeries::of_values("", [0.0, 1.0], None).dist)
    );
    assert_eq!(s[0].mean(), 2.0);
    assert_eq!(s[0].cvar95(), 3.0);
    let bad = LossSeries::from_long("r.csv", "replicate,lost_exports_mt\n0,1\n").unwrap_err();
    assert!(bad.to_string().contains("variant"), "{bad}");
}

mod axes_and_colours {
    use corridor::report::chart::{PALETTE, axis_number, date_ticks};
    use corridor::report::rows::Daily;
    use corridor::report::timeseries::ThroughputChart;

    fn days(first: &str, n: usize) -> Vec<String> {
        let d = corridor::model::Date::parse(first).unwrap();
        (0..n).map(|t| d.plus(t as i64).to_string()).collect()
    }

    #[test]
    fn date_ticks_fall_on_calendar_starts_with_distinct_ordered_labels() {
        // (span in days, what every tick date must be, how many ticks from 2026-01-01).
        let monday = |s: &str| corridor::model::Date::parse(s).unwrap().days.rem_euclid(7) == 4;
        type Check = fn(&str) -> bool;
        let cases: [(usize, Check, usize); 4] = [
            (30, |_| true, 4),
            (120, |s| s.ends_with("-01"), 4),
            (365, |s| s.ends_with("-01"), 12),
            (3650, |s| s.ends_with("-01-01"), 10),
        ];
        for (n, check, count) in cases {
            let dates = days("2026-01-01", n);
            let ticks = date_ticks(&dates);
            assert_eq!(ticks.len(), count, "{n} days: {ticks:?}");
            for (t, _) in &ticks {
                let d = &dates[*t];
                assert!(check(d), "{n} days: tick on {d}");
                if n == 30 {
                    assert!(monday(d), "{d} is not a Monday");
                }
            }
            assert!(ticks.windows(2).all(|w| w[0].0 < w[1].0));
            let mut labels: Vec<&str> = ticks.iter().map(|(_, l)| l.as_str()).collect();
            labels.dedup();
            assert_eq!(
                labels.len(),
                ticks.len(),
                "{n} days: labels repeat: {labels:?}"
            );
        }
        // A year from 1 January: every month, labelled `Mon YYYY`, March included.
        let year = date_ticks(&days("2026-01-01", 365));
        assert_eq!(year[0], (0, "Jan 2026".to_string()));
        assert_eq!(year[2], (59, "Mar 2026".to_string()));
        // 30 days from Thursday 1 January 2026: Mondays 5, 12, 19 and 26 January.
        let month = date_ticks(&days("2026-01-01", 30));
        let labels: Vec<&str> = month.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["5 Jan 2026", "12 Jan", "19 Jan", "26 Jan"]);
        // Ten years: quarter starts between 550 and 1,500 days, year starts beyond.
        let q = date_ticks(&days("2026-01-01", 730));
        assert_eq!(q[1], (90, "Apr 2026".to_string()));
        assert_eq!(date_ticks(&days("2026-01-01", 3650))[9].1, "2035");
    }

    #[test]
    fn axis_numbers_have_no_needless_decimals_and_separate_thousands() {
        let f = |v: f64| axis_number(&v);
        assert_eq!(f(200.0), "200");
        assert_eq!(f(1200.0), "1,200");
        assert_eq!(f(1234567.0), "1,234,567");
        assert_eq!(f(0.25), "0.25");
        assert_eq!(f(-1500.5), "-1,500.5");
        assert_eq!(f(-0.0), "0");
    }

    #[test]
    fn a_route_keeps_its_colour_whatever_else_carries_flow() {
        // In the baseline BTC is the fifth route carrying crude; in the Russian cut-off the rail
        // route via Russia to Batumi carries too and BTC is the sixth. Its colour is the same.
        let chart = |id: &str| {
            let path = format!("tests/golden/scenarios/{id}/daily.csv");
            let text = std::fs::read_to_string(&path).unwrap();
            let daily = Daily::from_csv(&path, &text, ThroughputChart::NEEDS).unwrap();
            ThroughputChart::of_daily(&daily, id, Vec::new())
        };
        let (base, cut) = (chart("baseline"), chart("russia-transit-cutoff"));
        let find = |c: &ThroughputChart, r: &str| {
            let k = c.routes.iter().position(|x| x.0 == r).unwrap();
            (k, c.routes[k].2)
        };
        let (kb, slot_b) = find(&base, "trans-caspian-btc");
        let (kc, slot_c) = find(&cut, "trans-caspian-btc");
        assert_ne!(kb, kc, "the carrying sets differ");
        assert_eq!(slot_b, slot_c);
        assert_eq!(
            PALETTE[slot_b % PALETTE.len()],
            PALETTE[slot_c % PALETTE.len()]
        );
        // Every route of the network has its own colour.
        assert!(base.routes.iter().all(|r| r.2 < PALETTE.len()));
    }
}

mod event_labels {
    use corridor::report::rows::Daily;
    use corridor::report::timeseries::{
        EVENT_LANES, ThroughputChart, event_windows, place_event_labels,
    };

    #[test]
    fn the_2022_replays_event_labels_do_not_overlap_and_the_rest_are_keyed() {
        let dir = "tests/golden/scenarios/replay-2022";
        let text = std::fs::read_to_string(format!("{dir}/daily.csv")).unwrap();
        let daily = Daily::from_csv("daily.csv", &text, ThroughputChart::NEEDS).unwrap();
        let summary = std::fs::read_to_string(format!("{dir}/summary.json")).unwrap();
        let windows = event_windows("summary.json", &summary, &daily.dates()).unwrap();
        assert!(windows.len() >= 7, "{}", windows.len());
        let width = 910.0;
        let (marks, key) = place_event_labels(&windows, daily.rows.len(), width);
        for (i, a) in marks.iter().enumerate() {
            assert!(
                a.x >= 0.0 && a.x + a.width <= width + 1e-9,
                "{a:?} leaves the plot"
            );
            assert!(a.lane <= EVENT_LANES);
            for b in &marks[i + 1..] {
                assert!(
                    a.lane != b.lane || a.x + a.width <= b.x || b.x + b.width <= a.x,
                    "{a:?} overlaps {b:?}"
                );
            }
        }
        // Every event is named on the chart or in the key, once.
        for (k, (_, _, name)) in windows.iter().enumerate() {
            let named = marks.iter().filter(|m| &m.text == name).count();
            let keyed = key.iter().filter(|(n, _)| *n == k + 1).count();
            assert_eq!(named + keyed, 1, "{name}");
        }
        assert!(
            !key.is_empty(),
            "seven long names cannot all fit in four lanes"
        );
    }
}

#[test]
fn rasterised_text_sits_on_one_baseline_with_even_ascenders() {
    use corridor::report::chart::{SVG_FONT_FAMILY, rasterise};
    // Letters with flat feet and full ascenders: every glyph's ink must end on the same pixel
    // row and start on the same one. plotters' own glyph drawing put some a pixel off.
    let text = "lhklhk hlklhl";
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="100" viewBox="0 0 600 100"><text x="13.37" y="70.6" font-family="{}" font-size="37">{text}</text></svg>"#,
        SVG_FONT_FAMILY.replace('\'', "&apos;")
    );
    let png = rasterise(&svg, 2.0).unwrap();
    let mut d = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .unwrap();
    let mut buf = vec![0; d.output_buffer_size().unwrap()];
    let info = d.next_frame(&mut buf).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let ch = info.color_type.samples();
    let ink = |x: usize, y: usize| buf[(y * w + x) * ch] < 128;
    // Glyphs: runs of columns with ink, split by blank columns.
    let mut glyphs: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for x in 0..w {
        let any = (0..h).any(|y| ink(x, y));
        match (any, start) {
            (true, None) => start = Some(x),
            (false, Some(s)) => {
                glyphs.push((s, x));
                start = None;
            }
            _ => {}
        }
    }
    assert_eq!(glyphs.len(), 12, "{glyphs:?}");
    let rows = |(a, b): (usize, usize)| {
        let ys: Vec<usize> = (0..h).filter(|&y| (a..b).any(|x| ink(x, y))).collect();
        (ys[0], ys[ys.len() - 1])
    };
    let extents: Vec<(usize, usize)> = glyphs.iter().map(|&g| rows(g)).collect();
    let (top, bottom) = extents[0];
    for (g, e) in glyphs.iter().zip(&extents) {
        assert_eq!(
            e.1, bottom,
            "glyph at x {} ends on row {} not {bottom}",
            g.0, e.1
        );
        assert!(
            e.0.abs_diff(top) <= 1,
            "glyph at x {} starts on row {} not {top}",
            g.0,
            e.0
        );
    }
    // 37 px type at 2x: ascender to baseline about 0.71 em = 53 px.
    assert!((50..=56).contains(&(bottom - top)), "{}", bottom - top);
}

#[test]
fn direct_labels_keep_their_rows_when_apart_and_spread_when_close() {
    use corridor::report::chart::spread_labels;
    // Apart already: unchanged, in input order.
    assert_eq!(
        spread_labels(&[300.0, 100.0], 17.0, 0.0, 500.0),
        Some(vec![300.0, 100.0])
    );
    // Three wishes 5 px apart around 200: pushed down to 17 px apart from the first.
    assert_eq!(
        spread_labels(&[200.0, 205.0, 210.0], 17.0, 0.0, 500.0),
        Some(vec![200.0, 217.0, 234.0])
    );
    // Near the bottom edge: pushed back up inside it.
    assert_eq!(
        spread_labels(&[495.0, 498.0], 17.0, 0.0, 500.0),
        Some(vec![483.0, 500.0])
    );
    // Ten labels in 100 px cannot be 17 px apart: a legend box instead.
    assert_eq!(spread_labels(&[50.0; 10], 17.0, 0.0, 100.0), None);
    // Eight labels wanting one row end up to 4 gaps (68 px) from it: too far, a legend.
    assert_eq!(spread_labels(&[250.0; 8], 17.0, 0.0, 500.0), None);
}

mod grouped_windows {
    use corridor::report::timeseries::{MAX_WINDOWS, group_windows};

    fn count(label: &str) -> usize {
        label
            .strip_suffix(" events")
            .map_or(1, |n| n.replace(',', "").parse().unwrap())
    }

    #[test]
    fn up_to_the_maximum_windows_are_drawn_as_they_are() {
        let w: Vec<_> = (0..MAX_WINDOWS)
            .map(|k| (3 * k, 3 * k + 5, format!("e{k}")))
            .collect();
        assert_eq!(group_windows(&w), w);
    }

    #[test]
    fn thirty_evenly_spaced_windows_join_the_earliest_gaps_first() {
        // Windows of 2 days every 10 days: 30 spans, all 9-day gaps apart. 30 − 24 = 6 gaps
        // join, the earliest when tied: e0…e6 become one span of 7 events (days 0–61), and
        // e7…e29 stay as they are.
        let w: Vec<_> = (0..30)
            .map(|k| (10 * k, 10 * k + 1, format!("e{k}")))
            .collect();
        let g = group_windows(&w);
        assert_eq!(g.len(), MAX_WINDOWS);
        assert_eq!(g[0], (0, 61, "7 events".to_string()));
        assert_eq!(g[1], (70, 71, "e7".to_string()));
        assert_eq!(g[23], (290, 291, "e29".to_string()));
    }

    #[test]
    fn overlapping_windows_join_before_any_gap_does() {
        // 25 windows: e0 (0–9) and e1 (5–20) overlap and e2 (21–22) touches them: one span of
        // 3; the other 22 are far apart. 23 spans: nothing more joins.
        let mut w = vec![
            (0, 9, "e0".to_string()),
            (5, 20, "e1".to_string()),
            (21, 22, "e2".to_string()),
        ];
        w.extend((0..22).map(|k| (100 + 10 * k, 101 + 10 * k, format!("f{k}"))));
        let g = group_windows(&w);
        assert_eq!(g.len(), 23);
        assert_eq!(g[0], (0, 22, "3 events".to_string()));
        assert_eq!(g[1], (100, 101, "f0".to_string()));
    }

    #[test]
    fn a_million_windows_become_the_maximum_and_every_event_is_counted() {
        // A pseudo-random replay of 1,000,000 outages of 1–5 days over a year.
        let mut x: u64 = 7;
        let w: Vec<_> = (0..1_000_000)
            .map(|k| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let s = (x >> 33) as usize % 365;
                (s, (s + 1 + k % 5).min(364), format!("r{k}"))
            })
            .collect();
        let g = group_windows(&w);
        assert!(g.len() <= MAX_WINDOWS, "{}", g.len());
        assert_eq!(g.iter().map(|s| count(&s.2)).sum::<usize>(), 1_000_000);
        assert!(g.windows(2).all(|p| p[0].1 < p[1].0), "{g:?}");
    }
}
