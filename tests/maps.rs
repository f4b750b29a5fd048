//! Route maps: the projection's window stays on the basemap, labels keep clear of each other
//! and of every drawn line, and a scenario map zooms to what the scenario hits.

use std::path::Path;

use corridor::app::run::scenario_hits as hits;
use corridor::io::{load_embedded, load_scenario};
use corridor::model::AssetRef;
use corridor::report::chart::{PNG_SCALE, SIZE, render};
use corridor::report::map::{
    BASEMAP, BASEMAP_EXTENT, LabelKind, MapLayout, RouteMap, basemap_covers, land_rings, map_size,
};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Distance from segment a–b to the box (left, top, right, bottom); 0 if they meet.
fn seg_box_distance(a: (f64, f64), b: (f64, f64), r: (f64, f64, f64, f64)) -> f64 {
    let inside = |p: (f64, f64)| p.0 >= r.0 && p.0 <= r.2 && p.1 >= r.1 && p.1 <= r.3;
    let pt_seg = |p: (f64, f64), a: (f64, f64), b: (f64, f64)| {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let l2 = dx * dx + dy * dy;
        let t = if l2 == 0.0 {
            0.0
        } else {
            (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / l2).clamp(0.0, 1.0)
        };
        (p.0 - a.0 - t * dx).hypot(p.1 - a.1 - t * dy)
    };
    let pt_box = |p: (f64, f64)| {
        let dx = (r.0 - p.0).max(0.0).max(p.0 - r.2);
        let dy = (r.1 - p.1).max(0.0).max(p.1 - r.3);
        dx.hypot(dy)
    };
    // Crossing: sample the segment finely (boxes are ≥ 10 px, segments are checked every
    // 0.25 px), then the exact distances between ends and corners.
    let n = (((b.0 - a.0).hypot(b.1 - a.1)) / 0.25).ceil().max(1.0) as usize;
    if (0..=n).any(|i| {
        let t = i as f64 / n as f64;
        inside((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)))
    }) {
        return 0.0;
    }
    let corners = [(r.0, r.1), (r.2, r.1), (r.0, r.3), (r.2, r.3)];
    corners
        .iter()
        .map(|&c| pt_seg(c, a, b))
        .chain([pt_box(a), pt_box(b)])
        .fold(f64::MAX, f64::min)
}

/// No two labels overlap; no label is within a line's half-width of any drawn line (less
/// 0.5 px of rounding); every label is inside the map.
fn assert_labels_clear(lay: &MapLayout, what: &str) {
    let (w, h) = lay.size;
    for (i, a) in lay.labels.iter().enumerate() {
        let r = a.rect;
        assert!(
            r.0 >= 0.0 && r.1 >= 0.0 && r.2 <= w && r.3 <= h,
            "{what}: {:?} leaves the map",
            a.text
        );
        for b in &lay.labels[i + 1..] {
            let q = b.rect;
            let apart = r.2 <= q.0 || q.2 <= r.0 || r.3 <= q.1 || q.3 <= r.1;
            assert!(
                apart,
                "{what}: labels {:?} and {:?} overlap",
                a.text, b.text
            );
        }
        for s in &lay.strokes {
            for seg in s.px.windows(2) {
                let d = seg_box_distance(seg[0], seg[1], r);
                assert!(
                    d >= s.width / 2.0 - 0.5,
                    "{what}: label {:?} is {d:.2} px from a line {:.1} px wide",
                    a.text,
                    s.width
                );
            }
        }
    }
}

fn texts(lay: &MapLayout, kind: LabelKind) -> Vec<String> {
    lay.labels
        .iter()
        .filter(|l| l.kind == kind)
        .map(|l| l.text.replace('\n', " "))
        .collect()
}

#[test]
fn basemap_is_named_country_rings_inside_its_extent() {
    let land = land_rings(BASEMAP).unwrap();
    let (x0, x1, y0, y1) = BASEMAP_EXTENT;
    assert!(land.len() >= 87, "{} rings", land.len());
    assert!(land.iter().all(|(_, r)| {
        r.iter()
            .all(|(x, y)| (x0..=x1).contains(x) && (y0..=y1).contains(y))
    }));
    for name in [
        "Russia",
        "Kazakhstan",
        "Azerbaijan",
        "Georgia",
        "Turkey",
        "China",
    ] {
        assert!(land.iter().any(|(n, _)| n == name), "{name} missing");
    }
}

#[test]
fn network_map_shows_every_node_on_the_basemap_with_clear_labels() {
    let net = load_embedded(true).unwrap().network;
    let map = RouteMap::new(&net, "Routes", "sub", &[], &[], vec![]);
    let (w, h) = map_size();
    let lay = map.layout(w, h);
    // The window is on the basemap everywhere, so no pixel is "no data".
    assert!(basemap_covers(&map.proj, &lay.view));
    assert!(map.overview.is_none());
    for n in net.nodes.iter().filter(|n| n.kind.as_str() != "market") {
        assert!(
            lay.view.contains(map.proj.forward(n.lon, n.lat)),
            "{} outside the window",
            n.id
        );
    }
    // The map fills its frame's height and most of its width.
    assert!(
        (lay.size.1 - h).abs() < 1e-6 && lay.size.0 > 0.9 * w,
        "{:?}",
        lay.size
    );
    assert_labels_clear(&lay, "network map");
    let nodes = texts(&lay, LabelKind::Node);
    for n in [
        "Tengiz",
        "Kashagan",
        "Karachaganak",
        "Aktau port",
        "CPC Marine Terminal",
        "Ceyhan",
        "Primorsk",
        "Ust-Luga",
        "Moscow",
        "Almaty",
        "Urumqi",
    ] {
        assert!(nodes.iter().any(|t| t == n), "{n} not labelled: {nodes:?}");
    }
    let countries = texts(&lay, LabelKind::Country);
    for c in ["RUSSIA", "KAZAKHSTAN", "CHINA", "TURKEY"] {
        assert!(countries.iter().any(|t| t == c), "{c}: {countries:?}");
    }
    let seas = texts(&lay, LabelKind::Sea);
    for s in ["Caspian Sea", "Black Sea"] {
        assert!(seas.iter().any(|t| t == s), "{s}: {seas:?}");
    }
    let routes = texts(&lay, LabelKind::Route);
    for r in ["CPC", "BTC", "Atyrau–Samara", "Kazakhstan–China"] {
        assert!(routes.iter().any(|t| t == r), "{r}: {routes:?}");
    }
    // A map with no scenario lists no scenario in its legend.
    let dir = tempfile::tempdir().unwrap();
    render(&map, &dir.path().join("map")).unwrap();
    let svg = std::fs::read_to_string(dir.path().join("map.svg")).unwrap();
    assert!(!svg.contains("Hit by the scenario") && !svg.contains("Hazard footprint"));
    for t in [
        "Oil pipeline",
        "Line width: capacity",
        "Mt/yr",
        "Gbps",
        "KAZAKHSTAN",
    ] {
        assert!(svg.contains(t), "{t} not in the SVG");
    }
    let png = std::fs::read(dir.path().join("map.png")).unwrap();
    let d = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .unwrap();
    let scale = PNG_SCALE as u32;
    assert_eq!(
        (d.info().width, d.info().height),
        (SIZE.0 * scale, SIZE.1 * scale)
    );
}

#[test]
fn hazard_map_zooms_to_the_footprint_and_reddens_only_the_part_inside_it() {
    let l = load_scenario(&root().join("scenarios/novorossiysk-hazard.toml"), true).unwrap();
    let (hit, hazard) = hits(&l);
    assert_eq!(hit.len(), 12);
    let map = RouteMap::new(
        &l.network,
        "Hazard",
        "sub",
        &hit,
        &hazard,
        l.scenario.footprints.clone(),
    );
    let whole = RouteMap::new(&l.network, "Routes", "sub", &[], &[], vec![]);
    let (w, h) = map_size();
    let lay = map.layout(w, h);
    let all = whole.layout(w, h);
    assert!(basemap_covers(&map.proj, &lay.view));
    // Zoomed: a twentieth of the network's window or less, with the inset.
    assert!(
        lay.view.area() < all.view.area() / 20.0,
        "{} vs {}",
        lay.view.area(),
        all.view.area()
    );
    assert!(map.overview.is_some());
    // Every hit node and every hit part lies inside the window.
    for a in &hit {
        if let AssetRef::Node(n) = a {
            let n = &l.network.nodes[n.0];
            assert!(
                lay.view.contains(map.proj.forward(n.lon, n.lat)),
                "{}",
                n.id
            );
        }
    }
    for ml in &map.links {
        for p in ml.hit_parts.iter().flatten() {
            assert!(lay.view.contains(map.proj.forward(p.0, p.1)), "{}", ml.id);
        }
    }
    // The pipeline from Samara (1,000 km and more) is red only within the 40 km circle.
    let pipe = map
        .links
        .iter()
        .find(|m| m.id == "transneft-samara-novorossiysk")
        .unwrap();
    assert!(!pipe.hit_parts.is_empty());
    use geo::{Distance, Haversine, Point};
    let centre = Point::new(37.70, 44.68);
    for p in pipe.hit_parts.iter().flatten() {
        let d = Haversine.distance(centre, Point::new(p.0, p.1));
        assert!(d <= 40_001.0, "hit part {d:.0} m from the centre");
    }
    // The 80 km footprint is drawn at least 60 px across.
    let f = &lay.footprints[0];
    let (x0, x1) = f
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    assert!(x1 - x0 >= 60.0, "{:.1} px", x1 - x0);
    assert_labels_clear(&lay, "hazard map");
    let dir = tempfile::tempdir().unwrap();
    render(&map, &dir.path().join("map")).unwrap();
    let svg = std::fs::read_to_string(dir.path().join("map.svg")).unwrap();
    for t in [
        "Hit by the scenario",
        "Hazard footprint",
        "Novorossiysk-Sheskharis",
        "Black Sea",
    ] {
        assert!(svg.contains(t), "{t} not in the SVG");
    }
}

#[test]
fn russian_cut_off_map_keeps_the_whole_network_when_the_hits_span_it() {
    let l = load_scenario(&root().join("scenarios/russia-transit-cutoff.toml"), true).unwrap();
    let (hit, hazard) = hits(&l);
    let map = RouteMap::new(&l.network, "Cut", "sub", &hit, &hazard, vec![]);
    assert!(map.overview.is_none());
    // Links named by an event are red end to end.
    let cpc = map
        .links
        .iter()
        .find(|m| m.id == "cpc-kropotkinskaya-terminal")
        .unwrap();
    assert_eq!(cpc.hit_parts, vec![cpc.geometry.clone()]);
    let (w, h) = map_size();
    assert_labels_clear(&map.layout(w, h), "cut-off map");
}
