//! The network-overview charts: their data rows, and that rendering gives a valid, non-blank
//! PNG of the stated size and a well-formed SVG with the expected text.

use corridor::io::load_embedded;
use corridor::model::Layer;
use corridor::report::chart::{SIZE, render_capacity};
use corridor::report::network;

#[test]
fn chart_rows_are_the_route_capacities() {
    let net = load_embedded(true).unwrap().network;
    let rep = network::build(&net, false);
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
            ("trans-caspian-rail-georgia", 2.0614, false),
            ("rail-russia-batumi", 2.4, true),
            ("aktau-makhachkala", 2.9721, true),
            ("trans-caspian-supsa", 4.0978, false),
            ("trans-caspian-baku-novorossiysk", 4.0978, true),
            ("kazakhstan-china", 6.0, false),
            ("atyrau-samara", 15.0, true),
            ("cpc", 72.5, true),
        ]
    );
    assert!(
        c.subtitle
            .contains("103.4 Mt/yr, of which 88% cannot bypass Russia"),
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
    let rep = network::build(&net, false);
    let dir = tempfile::tempdir().unwrap();
    let stem = dir.path().join("oil");
    render_capacity(&network::capacity_chart(&rep, Layer::Oil), &stem).unwrap();

    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(stem.with_extension("png")).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), SIZE);
    let px = &buf[..info.buffer_size()];
    let distinct: std::collections::BTreeSet<&[u8]> = px.chunks(3).collect();
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
