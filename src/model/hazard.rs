//! Which assets a hazard footprint hits, through an `rstar` index with exact great-circle
//! checks.
//!
//! - Nodes are indexed as 3-D points on the sphere (ECEF); for a circle, chord distance is
//!   monotone in arc distance, so a within-distance query on the chord is exact.
//! - Links are indexed segment by segment (each segment densified to at most 25 km along the
//!   great circle, so a planar lon/lat box bounds it), queried with a box around the circle that
//!   is widened for the worst-case latitude, then checked exactly with the haversine distance
//!   from the centre to the segment's closest point.
//! - Polygons use planar lon/lat containment and intersection, which is what a polygon drawn
//!   in lon/lat means.

use geo::{
    Closest, Contains, Densify, Distance, Haversine, HaversineClosestPoint, Intersects, Line,
    LineString, Point, Polygon,
};
use rstar::primitives::GeomWithData;
use rstar::{AABB, RTree};

use super::{AssetRef, LinkIx, Network, NodeIx};

/// Earth's mean radius used by `geo`'s haversine, m.
const R: f64 = 6_371_008.8;
/// Longest indexed segment, m.
const DENSIFY_M: f64 = 25_000.0;

/// A hazard footprint.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A circle on the sphere.
    Circle {
        /// Centre longitude, degrees east.
        lon: f64,
        /// Centre latitude, degrees north.
        lat: f64,
        /// Radius, km.
        radius_km: f64,
    },
    /// Exterior ring as (lon, lat) points.
    Polygon(Vec<(f64, f64)>),
}

/// A spatial index over every node and link segment of a network.
pub struct AssetIndex {
    nodes: RTree<GeomWithData<[f64; 3], usize>>,
    segments: RTree<GeomWithData<Line<f64>, usize>>,
    node_points: Vec<Point<f64>>,
}

fn ecef(p: Point<f64>) -> [f64; 3] {
    let (lo, la) = (p.x().to_radians(), p.y().to_radians());
    [
        R * la.cos() * lo.cos(),
        R * la.cos() * lo.sin(),
        R * la.sin(),
    ]
}

fn bbox_around(c: Point<f64>, r_m: f64) -> AABB<Point<f64>> {
    let dlat = (r_m / R).to_degrees();
    let lat_max = (c.y().abs() + dlat).min(89.999_999);
    let dlon = (dlat / lat_max.to_radians().cos()).min(180.0);
    AABB::from_corners(
        Point::new(c.x() - dlon, (c.y() - dlat).max(-90.0)),
        Point::new(c.x() + dlon, (c.y() + dlat).min(90.0)),
    )
}

/// Great-circle distance from `p` to the segment `seg`, m.
pub fn distance_to_segment_m(seg: &Line<f64>, p: Point<f64>) -> f64 {
    match seg.haversine_closest_point(&p) {
        Closest::SinglePoint(q) | Closest::Intersection(q) => Haversine.distance(q, p),
        Closest::Indeterminate => Haversine.distance(Point::from(seg.start), p),
    }
}

impl AssetIndex {
    /// Indexes every node and link segment of `net`.
    pub fn new(net: &Network) -> Self {
        let node_points: Vec<Point<f64>> =
            net.nodes.iter().map(|n| Point::new(n.lon, n.lat)).collect();
        let nodes = RTree::bulk_load(
            node_points
                .iter()
                .enumerate()
                .map(|(i, p)| GeomWithData::new(ecef(*p), i))
                .collect(),
        );
        let mut segs = Vec::new();
        for (j, l) in net.links.iter().enumerate() {
            let ls: LineString<f64> = l.geometry.clone().into();
            let dense = Haversine.densify(&ls, DENSIFY_M);
            for seg in dense.lines() {
                segs.push(GeomWithData::new(seg, j));
            }
        }
        AssetIndex {
            nodes,
            segments: RTree::bulk_load(segs),
            node_points,
        }
    }

    /// Every asset the shape hits, with its distance from the circle's centre in km (0 for
    /// polygons and for a link whose path passes through the centre). Sorted by asset.
    pub fn hits(&self, shape: &Shape) -> Vec<(AssetRef, f64)> {
        let mut out: Vec<(AssetRef, f64)> = Vec::new();
        match shape {
            Shape::Circle {
                lon,
                lat,
                radius_km,
            } => {
                let c = Point::new(*lon, *lat);
                let r = radius_km * 1000.0;
                let chord = 2.0 * R * (r / (2.0 * R)).min(std::f64::consts::FRAC_PI_2).sin();
                for n in self.nodes.locate_within_distance(ecef(c), chord * chord) {
                    let d = Haversine.distance(self.node_points[n.data], c);
                    if d <= r {
                        out.push((AssetRef::Node(NodeIx(n.data)), d / 1000.0));
                    }
                }
                let mut best: std::collections::BTreeMap<usize, f64> = Default::default();
                for s in self
                    .segments
                    .locate_in_envelope_intersecting(&bbox_around(c, r))
                {
                    let d = distance_to_segment_m(s.geom(), c);
                    if d <= r {
                        let e = best.entry(s.data).or_insert(f64::INFINITY);
                        *e = e.min(d);
                    }
                }
                out.extend(
                    best.into_iter()
                        .map(|(j, d)| (AssetRef::Link(LinkIx(j)), d / 1000.0)),
                );
            }
            Shape::Polygon(ring) => {
                let poly = Polygon::new(LineString::from(ring.clone()), vec![]);
                for (i, p) in self.node_points.iter().enumerate() {
                    if poly.contains(p) || poly.exterior().intersects(p) {
                        out.push((AssetRef::Node(NodeIx(i)), 0.0));
                    }
                }
                let (mut lo, mut hi) = (
                    (f64::INFINITY, f64::INFINITY),
                    (f64::NEG_INFINITY, f64::NEG_INFINITY),
                );
                for (x, y) in ring {
                    lo = (lo.0.min(*x), lo.1.min(*y));
                    hi = (hi.0.max(*x), hi.1.max(*y));
                }
                let env = AABB::from_corners(Point::new(lo.0, lo.1), Point::new(hi.0, hi.1));
                let mut hit: std::collections::BTreeSet<usize> = Default::default();
                for s in self.segments.locate_in_envelope_intersecting(&env) {
                    if s.geom().intersects(&poly) {
                        hit.insert(s.data);
                    }
                }
                out.extend(hit.into_iter().map(|j| (AssetRef::Link(LinkIx(j)), 0.0)));
            }
        }
        out.sort_by_key(|a| a.0);
        out
    }
}

impl Shape {
    /// The footprint as a closed (lon, lat) ring; a circle becomes 72 geodesic points.
    pub fn ring(&self) -> Vec<(f64, f64)> {
        use geo::Destination;
        match self {
            Shape::Circle {
                lon,
                lat,
                radius_km,
            } => (0..=72)
                .map(|k| {
                    let p = Haversine.destination(
                        Point::new(*lon, *lat),
                        f64::from(k) * 5.0,
                        radius_km * 1000.0,
                    );
                    (p.x(), p.y())
                })
                .collect(),
            Shape::Polygon(r) => {
                let mut r = r.clone();
                if r.first() != r.last() {
                    r.push(r[0]);
                }
                r
            }
        }
    }

    /// Radius of a circle, km; 0 for a polygon (which hits everything in it alike).
    pub fn radius_km(&self) -> f64 {
        match self {
            Shape::Circle { radius_km, .. } => *radius_km,
            Shape::Polygon(_) => 0.0,
        }
    }
}

/// What a hazard leaves of each asset it hits: the capacity fraction `centre` at the centre of a
/// circle, changing linearly with distance to `edge` at its rim (a polygon leaves `centre`
/// everywhere in it), in asset order.
pub fn capacity_left(
    index: &AssetIndex,
    shape: &Shape,
    centre: f64,
    edge: f64,
) -> Vec<(AssetRef, f64)> {
    let r = shape.radius_km();
    index
        .hits(shape)
        .into_iter()
        .map(|(a, d)| (a, fraction_at(d, r, centre, edge)))
        .collect()
}

/// The capacity fraction at distance `d_km` in a circle of radius `r_km`: `centre` at the
/// centre, changing linearly to `edge` at the rim.
pub fn fraction_at(d_km: f64, r_km: f64, centre: f64, edge: f64) -> f64 {
    if r_km <= 0.0 {
        return centre;
    }
    centre + (edge - centre) * (d_km / r_km).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fraction_changes_linearly_from_centre_to_rim() {
        assert_eq!(fraction_at(0.0, 50.0, 0.0, 1.0), 0.0);
        assert_eq!(fraction_at(25.0, 50.0, 0.0, 1.0), 0.5);
        assert_eq!(fraction_at(50.0, 50.0, 0.2, 0.6), 0.6);
        // Beyond the rim (a link's closest point counted from outside) it stays the edge's.
        assert_eq!(fraction_at(80.0, 50.0, 0.2, 0.6), 0.6);
        // A polygon has no radius: everything in it is left at the centre's fraction.
        assert_eq!(fraction_at(10.0, 0.0, 0.3, 0.9), 0.3);
    }

    #[test]
    fn rings_close() {
        let c = Shape::Circle {
            lon: 37.7,
            lat: 44.7,
            radius_km: 50.0,
        };
        let r = c.ring();
        assert_eq!(r.len(), 73);
        assert!((r[0].0 - r[72].0).abs() < 1e-9 && (r[0].1 - r[72].1).abs() < 1e-9);
        // Due north by 50 km: 0.4497° of latitude on the 6,371 km sphere.
        assert!((r[0].1 - 44.7 - 50.0 / 6371.0088 * 180.0 / std::f64::consts::PI).abs() < 1e-9);
        let p = Shape::Polygon(vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]);
        assert_eq!(p.ring().len(), 4);
        assert_eq!(p.radius_km(), 0.0);
    }
}
