//! A hazard circle hits exactly the assets a brute-force check finds: every node by its
//! haversine distance, every link by points every 1 km along its great-circle geometry.

use corridor::io::load_embedded;
use corridor::model::hazard::{AssetIndex, Shape};
use corridor::model::{AssetRef, LinkIx, NodeIx};
use geo::{Densify, Distance, Haversine, LineString, Point};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

#[test]
fn circles_hit_what_brute_force_finds() {
    let net = load_embedded(true).unwrap().network;
    let index = AssetIndex::new(&net);
    let dense: Vec<Vec<Point<f64>>> = net
        .links
        .iter()
        .map(|l| {
            Haversine
                .densify(&LineString::from(l.geometry.clone()), 1000.0)
                .points()
                .collect()
        })
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let (mut compared, mut nonempty) = (0, 0);
    for _ in 0..300 {
        let c = Point::new(rng.random_range(30.0..85.0), rng.random_range(36.0..58.0));
        let r_km: f64 = rng.random_range(5.0..400.0);
        let hits = index.hits(&Shape::Circle {
            lon: c.x(),
            lat: c.y(),
            radius_km: r_km,
        });
        let r = r_km * 1000.0;
        // Brute force, skipping assets within 2 km of the rim (sampling tolerance).
        let near_rim = |d: f64| (d - r).abs() < 2000.0;
        let mut expect = Vec::new();
        let mut skip = Vec::new();
        for (i, n) in net.nodes.iter().enumerate() {
            let d = Haversine.distance(Point::new(n.lon, n.lat), c);
            let a = AssetRef::Node(NodeIx(i));
            if near_rim(d) {
                skip.push(a);
            } else if d <= r {
                expect.push(a);
            }
        }
        for (j, pts) in dense.iter().enumerate() {
            let d = pts
                .iter()
                .map(|p| Haversine.distance(*p, c))
                .fold(f64::INFINITY, f64::min);
            let a = AssetRef::Link(LinkIx(j));
            if near_rim(d) {
                skip.push(a);
            } else if d <= r {
                expect.push(a);
            }
        }
        let got: Vec<AssetRef> = hits
            .iter()
            .map(|h| h.0)
            .filter(|a| !skip.contains(a))
            .collect();
        assert_eq!(got, expect, "circle at {c:?} r {r_km} km");
        // Distances reported are within the circle.
        assert!(hits.iter().all(|h| h.1 <= r_km + 1e-9));
        compared += 1;
        nonempty += (!expect.is_empty()) as usize;
    }
    assert_eq!(compared, 300);
    assert!(nonempty > 50, "{nonempty}");
}

#[test]
fn novorossiysk_circle_hits_the_cpc_terminal_area() {
    let net = load_embedded(true).unwrap().network;
    let hits = AssetIndex::new(&net).hits(&Shape::Circle {
        lon: 37.70,
        lat: 44.68,
        radius_km: 40.0,
    });
    let ids: Vec<&str> = hits.iter().map(|h| net.asset_id(h.0)).collect();
    for want in [
        "cpc-terminal",
        "cpc-spm-1",
        "cpc-spm-2",
        "cpc-spm-3",
        "novorossiysk-sheskharis",
        "cpc-kropotkinskaya-terminal",
        "baku-novorossiysk",
    ] {
        assert!(ids.contains(&want), "{want} not in {ids:?}");
    }
    assert!(!ids.contains(&"cpc-kropotkinskaya-ps"));
}

#[test]
fn polygons_hit_nodes_inside_and_links_crossing() {
    let net = load_embedded(true).unwrap().network;
    // A box around Aktau: the port, the landing, and every link touching them.
    let ring = vec![
        (50.9, 43.3),
        (51.5, 43.3),
        (51.5, 43.9),
        (50.9, 43.9),
        (50.9, 43.3),
    ];
    let hits = AssetIndex::new(&net).hits(&Shape::Polygon(ring));
    let ids: Vec<&str> = hits.iter().map(|h| net.asset_id(h.0)).collect();
    for want in [
        "aktau-port",
        "aktau-landing",
        "tankers-aktau-sangachal",
        "kto-uzen-aktau",
        "rail-tengiz-aktau",
        "tcfo-aktau-sumgayit",
    ] {
        assert!(ids.contains(&want), "{want} not in {ids:?}");
    }
    assert!(!ids.contains(&"kuryk-port"));
}

#[test]
fn a_polygon_hits_the_same_assets_whichever_way_round_it_is_drawn() {
    // The square around the CPC terminal's moorings, counter-clockwise and clockwise.
    let loaded = corridor::io::load_embedded(true).unwrap();
    let index = corridor::model::hazard::AssetIndex::new(&loaded.network);
    let ccw = vec![(37.5, 44.5), (37.8, 44.5), (37.8, 44.8), (37.5, 44.8)];
    let cw: Vec<(f64, f64)> = ccw.iter().rev().copied().collect();
    let hits = |r: Vec<(f64, f64)>| index.hits(&corridor::model::hazard::Shape::Polygon(r));
    let a = hits(ccw);
    assert!(a.len() >= 4, "{a:?}");
    assert_eq!(a, hits(cw));
}
