//! The route map: Natural Earth countries (vendored in `routes/basemap/`, compiled in) on a
//! Lambert conformal conic projection fitted to the region, oil routes coloured by kind with
//! line width proportional to capacity, data links dashed, planned assets dotted, and names for
//! countries, seas, nodes and routes placed so that no name overlaps another or sits on a line.
//!
//! A scenario's map zooms to what the scenario touches (the assets it hits and its hazard
//! footprints), with an inset locating the zoomed window on the whole network; a link hit by a
//! hazard is red only where it crosses the footprint. The legend, in a column beside the map,
//! lists only what the map draws, with a key for line width.
//!
//! Every placement is computed by [`RouteMap::layout`] before anything is drawn, so tests can
//! check the label boxes against each other and against the lines.

use std::f64::consts::{FRAC_PI_2, FRAC_PI_4};
use std::fmt::Write as _;

use geo::Polygon as GeoPolygon;
use geo::{BooleanOps, Contains, Coord, Intersects, LineString, MultiLineString, Rect};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use rstar::primitives::{GeomWithData, Rectangle as RBox};
use rstar::{AABB, RTree};

use super::chart::{Chart, FONT, RUSSIA, frame, hex, line_height, plot_size, splice, text_box};
use crate::model::{AssetRef, Layer, LinkKind, Network, NodeKind, Status};

/// The vendored basemap: Natural Earth 1:10m countries, clipped to [`BASEMAP_EXTENT`].
pub const BASEMAP: &str =
    include_str!("../../routes/basemap/natural-earth-countries-region.geojson");
/// What the basemap covers: lon min, lon max, lat min, lat max (degrees). Maps never show a
/// window beyond it, so every pixel that is not a country is sea.
pub const BASEMAP_EXTENT: (f64, f64, f64, f64) = (5.0, 110.0, 20.0, 72.0);

const WATER: RGBColor = RGBColor(214, 230, 242);
const LAND: RGBColor = RGBColor(244, 241, 234);
const BORDER: RGBColor = RGBColor(170, 165, 160);
const PIPELINE: RGBColor = RGBColor(38, 110, 166);
const TANKER: RGBColor = RGBColor(0, 150, 136);
const RAIL: RGBColor = RGBColor(140, 86, 75);
const DATA: RGBColor = RGBColor(118, 68, 138);
const INK: RGBColor = RGBColor(40, 40, 40);
const COUNTRY_INK: RGBColor = RGBColor(125, 118, 110);
const SEA_INK: RGBColor = RGBColor(60, 110, 160);
/// Mean Earth radius, km.
const R_KM: f64 = 6371.0;
/// Width of the legend column right of the map, px.
pub const LEGEND_W: u32 = 232;
/// Margins of the map inside the plotting area: top, bottom, left, right, px.
const MARGINS: (u32, u32, u32, u32) = (2, 2, 10, 10);

/// The largest map a chart has room for, px: the plotting area less its margins and the
/// legend column.
pub fn map_size() -> (f64, f64) {
    let (w, h) = plot_size();
    (
        (w - MARGINS.2 - MARGINS.3 - LEGEND_W) as f64,
        (h - MARGINS.0 - MARGINS.1) as f64,
    )
}

/// Smallest window a scenario map zooms to, km across and km high.
const MIN_ZOOM_KM: (f64, f64) = (700.0, 480.0);

/// Seas named on the map, with points in open water (lon, lat) in order of preference; the
/// label goes to free water near the first point that has some.
const SEAS: [(&str, &[(f64, f64)]); 4] = [
    (
        "Caspian Sea",
        &[(50.8, 42.0), (51.0, 38.8), (49.6, 45.2), (52.0, 40.5)],
    ),
    ("Black Sea", &[(34.0, 43.3), (35.0, 42.5), (31.5, 43.0)]),
    ("Mediterranean Sea", &[(33.0, 34.0), (30.0, 33.5)]),
    ("Baltic Sea", &[(19.5, 57.0), (20.5, 59.5)]),
];

/// Lambert conformal conic projection on a sphere of radius 6,371 km, in km.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lcc {
    lon0: f64,
    n: f64,
    f: f64,
    rho0: f64,
    /// Standard parallels, degrees: the scale is true along them.
    pub parallels: (f64, f64),
}

impl Lcc {
    /// The projection with standard parallels `lat1` and `lat2`, origin at (`lon0`, `lat0`).
    pub fn new(lat1: f64, lat2: f64, lat0: f64, lon0: f64) -> Self {
        let t = |lat: f64| (FRAC_PI_4 + lat.to_radians() / 2.0).tan();
        let (c1, c2) = (lat1.to_radians().cos(), lat2.to_radians().cos());
        let n = if (lat1 - lat2).abs() < 1e-9 {
            lat1.to_radians().sin()
        } else {
            (c1 / c2).ln() / (t(lat2) / t(lat1)).ln()
        };
        let f = c1 * t(lat1).powf(n) / n;
        let rho0 = R_KM * f / t(lat0).powf(n);
        Lcc {
            lon0,
            n,
            f,
            rho0,
            parallels: (lat1, lat2),
        }
    }

    /// The projection of every map: standard parallels 41° and 56° N (a sixth of the way in
    /// from Ceyhan's and Primorsk's latitudes), centred on 58° E, 48° N.
    pub fn region() -> Self {
        Lcc::new(41.0, 56.0, 48.0, 58.0)
    }

    fn rho(&self, lat: f64) -> f64 {
        R_KM * self.f / (FRAC_PI_4 + lat.to_radians() / 2.0).tan().powf(self.n)
    }

    /// (lon, lat) in degrees to (x, y) in km, y to the north.
    pub fn forward(&self, lon: f64, lat: f64) -> (f64, f64) {
        let rho = self.rho(lat);
        let th = self.n * (lon - self.lon0).to_radians();
        (rho * th.sin(), self.rho0 - rho * th.cos())
    }

    /// (x, y) in km back to (lon, lat) in degrees.
    pub fn inverse(&self, x: f64, y: f64) -> (f64, f64) {
        let dy = self.rho0 - y;
        let s = self.n.signum();
        let rho = s * x.hypot(dy);
        let th = (s * x).atan2(s * dy);
        let lat = 2.0 * (R_KM * self.f / rho).powf(1.0 / self.n).atan() - FRAC_PI_2;
        (self.lon0 + (th / self.n).to_degrees(), lat.to_degrees())
    }

    /// Projected km per km on the ground at `lat` (the same in every direction: conformal).
    pub fn scale_factor(&self, lat: f64) -> f64 {
        self.n * self.rho(lat) / (R_KM * lat.to_radians().cos())
    }
}

/// A window in projected km.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
}

impl View {
    /// The smallest window holding every point; `None` for no points.
    pub fn around(points: impl IntoIterator<Item = (f64, f64)>) -> Option<View> {
        let mut v: Option<View> = None;
        for (x, y) in points {
            let w = v.get_or_insert(View {
                x0: x,
                x1: x,
                y0: y,
                y1: y,
            });
            w.x0 = w.x0.min(x);
            w.x1 = w.x1.max(x);
            w.y0 = w.y0.min(y);
            w.y1 = w.y1.max(y);
        }
        v
    }
    pub fn width(&self) -> f64 {
        self.x1 - self.x0
    }
    pub fn height(&self) -> f64 {
        self.y1 - self.y0
    }
    pub fn area(&self) -> f64 {
        self.width() * self.height()
    }
    fn centre(&self) -> (f64, f64) {
        ((self.x0 + self.x1) / 2.0, (self.y0 + self.y1) / 2.0)
    }
    /// Whether (x, y) lies inside, edges included.
    pub fn contains(&self, (x, y): (f64, f64)) -> bool {
        (self.x0..=self.x1).contains(&x) && (self.y0..=self.y1).contains(&y)
    }
    /// Grown by `dx` left and right and `dy` below and above.
    fn padded(&self, dx: f64, dy: f64) -> View {
        View {
            x0: self.x0 - dx,
            x1: self.x1 + dx,
            y0: self.y0 - dy,
            y1: self.y1 + dy,
        }
    }
    /// Scaled by `s` about its centre.
    fn scaled(&self, s: f64) -> View {
        let (cx, cy) = self.centre();
        View {
            x0: cx - self.width() * s / 2.0,
            x1: cx + self.width() * s / 2.0,
            y0: cy - self.height() * s / 2.0,
            y1: cy + self.height() * s / 2.0,
        }
    }
    /// Grown along its shorter side to width/height = `aspect`; the growth goes a share `t`
    /// (0–1) to the left or below and the rest to the right or above.
    fn grown_to_aspect(&self, aspect: f64, t: f64) -> View {
        let (w, h) = (self.width(), self.height());
        if w / h < aspect {
            let e = h * aspect - w;
            View {
                x0: self.x0 - e * t,
                x1: self.x1 + e * (1.0 - t),
                ..*self
            }
        } else {
            let e = w / aspect - h;
            View {
                y0: self.y0 - e * t,
                y1: self.y1 + e * (1.0 - t),
                ..*self
            }
        }
    }
}

/// Whether the basemap covers the whole of `v`: its outline, sampled every 1/64 of a side and
/// where the central meridian crosses it, maps inside [`BASEMAP_EXTENT`]. (Meridians are
/// straight and parallels are arcs about a point north of the map, so a window's extreme
/// latitudes and longitudes lie on its outline, at corners or on the central meridian.)
pub fn basemap_covers(proj: &Lcc, v: &View) -> bool {
    let (lon0, lon1, lat0, lat1) = BASEMAP_EXTENT;
    let mut pts = Vec::new();
    for i in 0..=64 {
        let s = i as f64 / 64.0;
        let x = v.x0 + s * v.width();
        let y = v.y0 + s * v.height();
        pts.extend([(x, v.y0), (x, v.y1), (v.x0, y), (v.x1, y)]);
    }
    if (v.x0..=v.x1).contains(&0.0) {
        pts.extend([(0.0, v.y0), (0.0, v.y1)]);
    }
    pts.into_iter().all(|(x, y)| {
        let (lon, lat) = proj.inverse(x, y);
        (lon0 - 1e-9..=lon1 + 1e-9).contains(&lon) && (lat0 - 1e-9..=lat1 + 1e-9).contains(&lat)
    })
}

/// The window that shows `target` at width/height `aspect` within the basemap: `target`
/// grown along its short side (shifted sideways if that keeps it on the basemap); else grown
/// as far as the basemap allows (the map is then narrower than its frame); `target` itself
/// shrunk about its centre if even it runs off the basemap.
pub fn fit_view(proj: &Lcc, target: &View, aspect: f64) -> View {
    let largest = |lo: f64, hi: f64, ok: &dyn Fn(f64) -> bool| {
        let (mut lo, mut hi) = (lo, hi);
        for _ in 0..40 {
            let mid = (lo + hi) / 2.0;
            if ok(mid) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    };
    let mut t = *target;
    if !basemap_covers(proj, &t) {
        let s = largest(0.0, 1.0, &|s| basemap_covers(proj, &target.scaled(s)));
        t = target.scaled(s);
    }
    for share in [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9, 0.0, 1.0] {
        let v = t.grown_to_aspect(aspect, share);
        if basemap_covers(proj, &v) {
            return v;
        }
    }
    // Part of the way towards the frame's aspect.
    let cur = t.width() / t.height();
    let a = largest(0.0, 1.0, &|k| {
        basemap_covers(proj, &t.grown_to_aspect(cur + (aspect - cur) * k, 0.5))
    });
    t.grown_to_aspect(cur + (aspect - cur) * a, 0.5)
}

/// A polyline or ring, (lon, lat) degrees or pixels.
pub type Path2 = Vec<(f64, f64)>;
/// A named ring: a country's polygon or a hazard's footprint.
pub type NamedRing = (String, Path2);

/// One link as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct MapLink {
    pub id: String,
    /// Name drawn beside the line (the link's `map_label`).
    pub label: Option<String>,
    pub kind: LinkKind,
    pub planned: bool,
    /// Nameplate capacity in the layer's report unit (Mt/yr or Gbps).
    pub capacity: f64,
    /// The parts the scenario hits, (lon, lat): the whole line when an event names the link,
    /// only the part inside a hazard's footprint when the hazard hits it; empty if not hit.
    pub hit_parts: Vec<Vec<(f64, f64)>>,
    pub geometry: Vec<(f64, f64)>,
}

/// One node as drawn; `label` is empty for nodes drawn without a label.
#[derive(Debug, Clone, PartialEq)]
pub struct MapNode {
    pub label: String,
    /// Lower draws its label first when labels compete for space.
    pub priority: u8,
    pub lon: f64,
    pub lat: f64,
    pub planned: bool,
    pub hit: bool,
}

/// Everything the route map draws.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteMap {
    pub title: String,
    pub subtitle: String,
    /// Country rings (lon, lat) with the country's name: exterior rings only; the Caspian is
    /// where no country lies.
    pub land: Vec<(String, Vec<(f64, f64)>)>,
    pub links: Vec<MapLink>,
    pub nodes: Vec<MapNode>,
    /// Hazard footprints: name and closed (lon, lat) ring.
    pub footprints: Vec<(String, Vec<(f64, f64)>)>,
    /// The projection.
    pub proj: Lcc,
    /// What the map must show, projected km: the network's nodes, or what the scenario
    /// touches. The drawn window is this grown to the frame's shape ([`RouteMap::layout`]).
    pub target: View,
    /// The whole network's target when the map is zoomed to a scenario: drawn as an inset.
    pub overview: Option<View>,
}

/// Exterior rings of every country polygon in a GeoJSON FeatureCollection, with the
/// feature's `name`.
pub fn land_rings(geojson_text: &str) -> Result<Vec<NamedRing>, String> {
    use geojson::{GeoJson, GeometryValue};
    let gj: GeoJson = geojson_text.parse().map_err(|e| format!("basemap: {e}"))?;
    let GeoJson::FeatureCollection(fc) = gj else {
        return Err("basemap: not a FeatureCollection".into());
    };
    let ring = |r: &[geojson::Position]| -> Vec<(f64, f64)> {
        r.iter()
            .map(|p| (p.as_slice()[0], p.as_slice()[1]))
            .collect()
    };
    let mut out = Vec::new();
    for f in &fc.features {
        let name = f
            .property("name")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        match f.geometry.as_ref().map(|g| &g.value) {
            Some(GeometryValue::MultiPolygon { coordinates }) => out.extend(
                coordinates
                    .iter()
                    .filter_map(|p| p.first())
                    .map(|r| (name.clone(), ring(r))),
            ),
            Some(GeometryValue::Polygon { coordinates }) => {
                out.extend(coordinates.first().map(|r| (name.clone(), ring(r))))
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Short label of a node: its name up to the first bracket.
fn short(name: &str) -> String {
    name.split(" (").next().unwrap_or(name).trim().to_string()
}

fn label_priority(kind: NodeKind) -> Option<u8> {
    match kind {
        NodeKind::Field => Some(0),
        NodeKind::Terminal | NodeKind::Port => Some(1),
        NodeKind::Ixp | NodeKind::City => Some(2),
        // Labelled only on a zoomed map, or when the scenario hits them.
        _ => None,
    }
}

fn ls(points: &[(f64, f64)]) -> LineString<f64> {
    LineString::from(points.to_vec())
}

/// The parts of `line` inside any of `rings`.
fn clip_to_rings(line: &[(f64, f64)], rings: &[&Vec<(f64, f64)>]) -> Vec<Vec<(f64, f64)>> {
    let mls = MultiLineString::new(vec![ls(line)]);
    let mut out = Vec::new();
    for r in rings {
        let poly = GeoPolygon::new(ls(r), vec![]);
        for part in poly.clip(&mls, false) {
            let pts: Vec<(f64, f64)> = part.coords().map(|c| (c.x, c.y)).collect();
            if pts.len() >= 2 {
                out.push(pts);
            }
        }
    }
    out
}

impl RouteMap {
    /// The map of `net`. `hit` lists the assets a scenario takes below full capacity; of
    /// those, `hazard_hit` are hit by a hazard, whose links turn red only inside the
    /// `footprints`. With anything hit, the map zooms to it.
    pub fn new(
        net: &Network,
        title: &str,
        subtitle: &str,
        hit: &[AssetRef],
        hazard_hit: &[AssetRef],
        footprints: Vec<(String, Vec<(f64, f64)>)>,
    ) -> Self {
        // Parsed once per process: a study draws ten maps.
        static LAND: std::sync::OnceLock<Vec<NamedRing>> = std::sync::OnceLock::new();
        let land = LAND
            .get_or_init(|| land_rings(BASEMAP).unwrap_or_default())
            .clone();
        let rings: Vec<&Vec<(f64, f64)>> = footprints.iter().map(|(_, r)| r).collect();
        let links: Vec<MapLink> = net
            .links
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let a = AssetRef::Link(crate::model::LinkIx(i));
                let hit_parts = if !hit.contains(&a) {
                    vec![]
                } else if hazard_hit.contains(&a) {
                    let parts = clip_to_rings(&l.geometry, &rings);
                    if parts.is_empty() {
                        vec![l.geometry.clone()]
                    } else {
                        parts
                    }
                } else {
                    vec![l.geometry.clone()]
                };
                MapLink {
                    id: l.id.clone(),
                    label: l.map_label.clone(),
                    kind: l.kind,
                    planned: l.status != Status::Operating,
                    capacity: l.layer().to_report_unit(l.capacity.nominal.value),
                    hit_parts,
                    geometry: l.geometry.clone(),
                }
            })
            .collect();
        let proj = Lcc::region();
        let all = View::around(
            net.nodes
                .iter()
                .filter(|n| n.kind != NodeKind::Market)
                .map(|n| proj.forward(n.lon, n.lat)),
        )
        .unwrap_or(View {
            x0: -1500.0,
            x1: 1500.0,
            y0: -1000.0,
            y1: 1000.0,
        });
        let whole = all.padded(
            (all.width() * 0.04).max(100.0),
            (all.height() * 0.05).max(100.0),
        );
        let touched = View::around(
            links
                .iter()
                .flat_map(|l| l.hit_parts.iter().flatten())
                .chain(rings.iter().copied().flatten())
                .copied()
                .chain(hit.iter().filter_map(|a| match a {
                    AssetRef::Node(n) => Some((net.nodes[n.0].lon, net.nodes[n.0].lat)),
                    _ => None,
                }))
                .map(|(lon, lat)| proj.forward(lon, lat)),
        );
        let (target, overview) = match touched {
            Some(t) => {
                let t = t.padded(
                    (t.width() * 0.25).max(100.0),
                    (t.height() * 0.25).max(100.0),
                );
                let t = t.padded(
                    ((MIN_ZOOM_KM.0 - t.width()) / 2.0).max(0.0),
                    ((MIN_ZOOM_KM.1 - t.height()) / 2.0).max(0.0),
                );
                // Zoom only when it shows the hit assets much larger.
                if t.area() < 0.5 * whole.area() {
                    (t, Some(whole))
                } else {
                    (whole, None)
                }
            }
            None => (whole, None),
        };
        let zoomed = overview.is_some();
        let nodes: Vec<MapNode> = net
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind != NodeKind::Market)
            .map(|(i, n)| {
                let is_hit = hit.contains(&AssetRef::Node(crate::model::NodeIx(i)));
                let p = label_priority(n.kind)
                    .or(is_hit.then_some(3))
                    .or(zoomed.then_some(4));
                MapNode {
                    label: p.map(|_| short(&n.name)).unwrap_or_default(),
                    priority: p.unwrap_or(9),
                    lon: n.lon,
                    lat: n.lat,
                    planned: n.status != Status::Operating,
                    hit: is_hit,
                }
            })
            .collect();
        RouteMap {
            title: title.into(),
            subtitle: subtitle.into(),
            land,
            links,
            nodes,
            footprints,
            proj,
            target,
            overview,
        }
    }

    /// Line width of a link, px: proportional to capacity against the network's largest of
    /// its layer (so a zoomed map draws the same widths as the whole one).
    fn width_of(&self, kind: LinkKind, capacity: f64) -> f64 {
        let max = self
            .links
            .iter()
            .filter(|l| l.kind.layer() == kind.layer())
            .map(|l| l.capacity)
            .fold(1e-9, f64::max);
        match kind.layer() {
            Layer::Oil => 1.5 + 6.5 * capacity / max,
            Layer::Data => 1.0 + 2.0 * capacity / max,
        }
    }
}

/// How a line is stroked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dash {
    Solid,
    /// Data links.
    Dashed,
    /// Not in service.
    Dotted,
}

/// One drawn line, in map pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Stroke {
    pub px: Vec<(f64, f64)>,
    pub colour: RGBColor,
    pub width: f64,
    pub dash: Dash,
}

/// What a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelKind {
    Node,
    Route,
    Country,
    Sea,
}

/// A placed label: its box in map pixels (text plus padding) and style.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub text: String,
    pub kind: LabelKind,
    /// Left, top, right, bottom, px.
    pub rect: (f64, f64, f64, f64),
    pub size: u32,
    pub colour: RGBColor,
    /// A thin line from the node's dot to a label placed away from it.
    pub leader: Option<Leader>,
}

/// A node's dot, in map pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Dot {
    pub at: (f64, f64),
    pub radius: f64,
    pub colour: RGBColor,
    pub hollow: bool,
}

/// Everything placed on a map of a given pixel size.
#[derive(Debug, Clone, PartialEq)]
pub struct MapLayout {
    /// The window shown, projected km.
    pub view: View,
    /// The map's size in pixels (at most the size asked for).
    pub size: (f64, f64),
    /// km per pixel.
    pub km_per_px: f64,
    /// Country polygons clipped to the window, px, with the country's name.
    pub land: Vec<(String, Vec<(f64, f64)>)>,
    /// Borders clipped to the window, px.
    pub borders: Vec<Vec<(f64, f64)>>,
    pub footprints: Vec<Vec<(f64, f64)>>,
    /// Lines in drawing order (hit parts last).
    pub strokes: Vec<Stroke>,
    pub dots: Vec<Dot>,
    pub labels: Vec<Label>,
    /// The scale bar: left end (px), length (px) and the ground distance it stands for (km).
    pub scale_bar: ((f64, f64), f64, f64),
}

impl MapLayout {
    /// Map pixels of projected (x, y).
    fn px(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (
            (x - self.view.x0) / self.km_per_px,
            (self.view.y1 - y) / self.km_per_px,
        )
    }
}

/// Pieces of `line` (px) inside the `w` × `h` frame.
fn clip_to_frame(line: &[(f64, f64)], w: f64, h: f64) -> Vec<Vec<(f64, f64)>> {
    let frame = Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: w, y: h }).to_polygon();
    if line
        .iter()
        .all(|&(x, y)| (0.0..=w).contains(&x) && (0.0..=h).contains(&y))
    {
        return vec![line.to_vec()];
    }
    frame
        .clip(&MultiLineString::new(vec![ls(line)]), false)
        .into_iter()
        .map(|p| p.coords().map(|c| (c.x, c.y)).collect::<Vec<_>>())
        .filter(|p: &Vec<(f64, f64)>| p.len() >= 2)
        .collect()
}

type Segment = GeomWithData<RBox<[f64; 2]>, ((f64, f64), (f64, f64), f64)>;

/// What labels must keep clear of: lines, dots, placed labels and reserved boxes.
struct Obstacles {
    segments: RTree<Segment>,
    boxes: Vec<(f64, f64, f64, f64)>,
    frame: (f64, f64),
}

impl Obstacles {
    fn new(strokes: &[Stroke], dots: &[Dot], frame: (f64, f64)) -> Self {
        let mut segs = Vec::new();
        for s in strokes {
            for w in s.px.windows(2) {
                let (a, b) = (w[0], w[1]);
                let r = s.width / 2.0;
                segs.push(GeomWithData::new(
                    RBox::from_corners(
                        [a.0.min(b.0) - r, a.1.min(b.1) - r],
                        [a.0.max(b.0) + r, a.1.max(b.1) + r],
                    ),
                    (a, b, r),
                ));
            }
        }
        let boxes = dots
            .iter()
            .map(|d| {
                let r = d.radius + 1.0;
                (d.at.0 - r, d.at.1 - r, d.at.0 + r, d.at.1 + r)
            })
            .collect();
        Obstacles {
            segments: RTree::bulk_load(segs),
            boxes,
            frame,
        }
    }

    fn add_segment(&mut self, (a, b): Leader, r: f64) {
        self.segments.insert(GeomWithData::new(
            RBox::from_corners(
                [a.0.min(b.0) - r, a.1.min(b.1) - r],
                [a.0.max(b.0) + r, a.1.max(b.1) + r],
            ),
            (a, b, r),
        ));
    }

    /// Whether a leader to box `own` crosses no other label (it may cross lines).
    fn leader_free(&self, (a, b): Leader, own: (f64, f64, f64, f64)) -> bool {
        let line = geo::Line::new(Coord { x: a.0, y: a.1 }, Coord { x: b.0, y: b.1 });
        self.boxes.iter().filter(|&&q| q != own).all(|q| {
            // Dots touch their own leader's start: only boxes it passes through count.
            let inner = Rect::new(
                Coord {
                    x: q.0 + 1.0,
                    y: q.1 + 1.0,
                },
                Coord {
                    x: q.2 - 1.0,
                    y: q.3 - 1.0,
                },
            );
            !inner.intersects(&line)
        })
    }

    /// Whether a leader crosses a line beyond its first 6 px (where it leaves its dot).
    fn leader_crosses_lines(&self, (a, b): Leader) -> bool {
        let len = (b.0 - a.0).hypot(b.1 - a.1);
        if len <= 6.0 {
            return false;
        }
        let t = 6.0 / len;
        let a = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
        let line = geo::Line::new(Coord { x: a.0, y: a.1 }, Coord { x: b.0, y: b.1 });
        let env = AABB::from_corners([a.0.min(b.0), a.1.min(b.1)], [a.0.max(b.0), a.1.max(b.1)]);
        self.segments
            .locate_in_envelope_intersecting(&env)
            .any(|s| {
                let (p, q, _) = s.data;
                line.intersects(&geo::Line::new(
                    Coord { x: p.0, y: p.1 },
                    Coord { x: q.0, y: q.1 },
                ))
            })
    }

    /// Whether `b` (left, top, right, bottom) is inside the frame and clear of everything.
    fn free(&self, b: (f64, f64, f64, f64)) -> bool {
        if b.0 < 2.0 || b.1 < 2.0 || b.2 > self.frame.0 - 2.0 || b.3 > self.frame.1 - 2.0 {
            return false;
        }
        if self
            .boxes
            .iter()
            .any(|q| b.0 < q.2 && q.0 < b.2 && b.1 < q.3 && q.1 < b.3)
        {
            return false;
        }
        let env = AABB::from_corners([b.0, b.1], [b.2, b.3]);
        !self
            .segments
            .locate_in_envelope_intersecting(&env)
            .any(|s| {
                let (a, c, r) = s.data;
                let grown = Rect::new(
                    Coord {
                        x: b.0 - r,
                        y: b.1 - r,
                    },
                    Coord {
                        x: b.2 + r,
                        y: b.3 + r,
                    },
                );
                grown.intersects(&geo::Line::new(
                    Coord { x: a.0, y: a.1 },
                    Coord { x: c.0, y: c.1 },
                ))
            })
    }
}

fn darker(c: RGBColor) -> RGBColor {
    RGBColor(
        (c.0 as f64 * 0.8) as u8,
        (c.1 as f64 * 0.8) as u8,
        (c.2 as f64 * 0.8) as u8,
    )
}

fn stroke_style(l: &MapLink) -> (RGBColor, Dash) {
    let colour = match l.kind {
        LinkKind::Pipeline => PIPELINE,
        LinkKind::TankerLeg => TANKER,
        LinkKind::Rail => RAIL,
        LinkKind::TerrestrialFibre | LinkKind::SubseaFibre => DATA,
    };
    let dash = if l.planned {
        Dash::Dotted
    } else if l.kind.layer() == Layer::Data {
        Dash::Dashed
    } else {
        Dash::Solid
    };
    (colour, dash)
}

impl RouteMap {
    /// Places everything on a map at most `w` × `h` px.
    pub fn layout(&self, w: f64, h: f64) -> MapLayout {
        let view = fit_view(&self.proj, &self.target, w / h);
        let km_per_px = (view.width() / w).max(view.height() / h);
        let size = (view.width() / km_per_px, view.height() / km_per_px);
        let mut out = MapLayout {
            view,
            size,
            km_per_px,
            land: vec![],
            borders: vec![],
            footprints: vec![],
            strokes: vec![],
            dots: vec![],
            labels: vec![],
            scale_bar: ((0.0, 0.0), 0.0, 0.0),
        };
        let proj = self.proj;
        let to_px = |out: &MapLayout, r: &[(f64, f64)]| -> Vec<(f64, f64)> {
            r.iter()
                .map(|&(lon, lat)| out.px(proj.forward(lon, lat)))
                .collect()
        };
        let frame = Rect::new(
            Coord { x: 0.0, y: 0.0 },
            Coord {
                x: size.0,
                y: size.1,
            },
        )
        .to_polygon();
        let near = view.padded(view.width() * 0.2, view.height() * 0.2);
        for (name, ring) in &self.land {
            if !ring
                .iter()
                .any(|&(lon, lat)| near.contains(proj.forward(lon, lat)))
                && View::around(ring.iter().map(|&(lon, lat)| proj.forward(lon, lat))).is_none_or(
                    |b| b.x1 < view.x0 || b.x0 > view.x1 || b.y1 < view.y0 || b.y0 > view.y1,
                )
            {
                continue;
            }
            let px = to_px(&out, ring);
            let poly = GeoPolygon::new(ls(&px), vec![]);
            for p in poly.intersection(&frame) {
                let pts: Vec<(f64, f64)> = p.exterior().coords().map(|c| (c.x, c.y)).collect();
                out.land.push((name.clone(), pts));
            }
            out.borders.extend(clip_to_frame(&px, size.0, size.1));
        }
        for (_, ring) in &self.footprints {
            let px = to_px(&out, ring);
            for p in GeoPolygon::new(ls(&px), vec![]).intersection(&frame) {
                out.footprints
                    .push(p.exterior().coords().map(|c| (c.x, c.y)).collect());
            }
        }
        // Data first, so the oil routes draw over shared corridors; hit parts last.
        let mut order: Vec<&MapLink> = self.links.iter().collect();
        order.sort_by_key(|l| l.kind.layer() == Layer::Oil);
        for l in &order {
            let (colour, dash) = stroke_style(l);
            let width = self.width_of(l.kind, l.capacity);
            for px in clip_to_frame(&to_px(&out, &l.geometry), size.0, size.1) {
                out.strokes.push(Stroke {
                    px,
                    colour,
                    width,
                    dash,
                });
            }
        }
        for l in &order {
            let width = self.width_of(l.kind, l.capacity) + 1.0;
            for part in &l.hit_parts {
                for px in clip_to_frame(&to_px(&out, part), size.0, size.1) {
                    out.strokes.push(Stroke {
                        px,
                        colour: RUSSIA,
                        width,
                        dash: Dash::Solid,
                    });
                }
            }
        }
        for n in &self.nodes {
            let at = out.px(proj.forward(n.lon, n.lat));
            if !(0.0..=size.0).contains(&at.0) || !(0.0..=size.1).contains(&at.1) {
                continue;
            }
            out.dots.push(Dot {
                at,
                radius: if n.hit { 5.0 } else { 3.0 },
                colour: if n.hit { RUSSIA } else { INK },
                hollow: n.planned,
            });
        }
        // The scale bar, bottom left: a round distance near a seventh of the width, measured at
        // the window's central latitude.
        let (_, lat_c) = proj.inverse(view.centre().0, view.centre().1);
        let k = proj.scale_factor(lat_c);
        let target_km = size.0 * km_per_px / k / 7.0;
        let km = [50.0, 100.0, 200.0, 250.0, 500.0, 1000.0]
            .into_iter()
            .rfind(|&d| d <= target_km)
            .unwrap_or(50.0);
        let len = km * k / km_per_px;
        out.scale_bar = ((14.0, size.1 - 16.0), len, km);
        let mut obstacles = Obstacles::new(&out.strokes, &out.dots, size);
        obstacles
            .boxes
            .push((4.0, size.1 - 40.0, 14.0 + len + 46.0, size.1));
        self.place_labels(&mut out, &mut obstacles);
        out
    }

    fn place_labels(&self, out: &mut MapLayout, obs: &mut Obstacles) {
        let proj = self.proj;
        type Spot = ((f64, f64, f64, f64), Option<Leader>);
        let place = |out: &mut MapLayout,
                     obs: &mut Obstacles,
                     text: &str,
                     kind: LabelKind,
                     size: u32,
                     colour: RGBColor,
                     spots: &mut dyn Iterator<Item = Spot>,
                     clear_leaders: bool|
         -> bool {
            for (b, leader) in spots {
                if obs.free(b)
                    && leader.is_none_or(|l| {
                        obs.leader_free(l, b) && !(clear_leaders && obs.leader_crosses_lines(l))
                    })
                {
                    obs.boxes.push(b);
                    if let Some(l) = leader {
                        obs.add_segment(l, 0.5);
                    }
                    out.labels.push(Label {
                        text: text.to_string(),
                        kind,
                        rect: b,
                        size,
                        colour,
                        leader,
                    });
                    return true;
                }
            }
            false
        };
        let land: Vec<GeoPolygon<f64>> = out
            .land
            .iter()
            .map(|(_, p)| GeoPolygon::new(ls(p), vec![]))
            .collect();
        // Seas first: the water they need is what node labels would otherwise take.
        for (name, points) in SEAS {
            let anchors: Vec<(f64, f64)> = points
                .iter()
                .map(|&(lon, lat)| out.px(proj.forward(lon, lat)))
                .filter(|&(x, y)| {
                    (0.0..=out.size.0).contains(&x) && (0.0..=out.size.1).contains(&y)
                })
                .collect();
            // On one line, or on two where the water is narrow.
            let two = name.replacen(' ', "\n", 1);
            for (text, size) in [(name.to_string(), 13), (two.clone(), 13), (two, 11)] {
                let (tw, th) = text_box(&text, size);
                let wet = |b: (f64, f64, f64, f64)| {
                    // The padding may touch the shore; the letters may not.
                    let mut pts = vec![];
                    for i in 0..=4 {
                        let fx = b.0 + 2.0 + (b.2 - b.0 - 4.0) * i as f64 / 4.0;
                        pts.extend([(fx, b.1 + 2.0), (fx, b.3 - 2.0), (fx, (b.1 + b.3) / 2.0)]);
                    }
                    pts.iter()
                        .all(|&(x, y)| !land.iter().any(|p| p.contains(&Coord { x, y })))
                };
                let mut spots = anchors
                    .iter()
                    .flat_map(|&c| spiral(c, tw, th, 10))
                    .filter(|&b| wet(b))
                    .map(|b| (b, None));
                if place(
                    out,
                    obs,
                    &text,
                    LabelKind::Sea,
                    size,
                    SEA_INK,
                    &mut spots,
                    true,
                ) {
                    break;
                }
            }
        }
        // Nodes: hit first, then by priority; each at the first free spot of eight around its
        // dot, ever further out; from 20 px out a thin leader joins label and dot.
        let mut nodes: Vec<&MapNode> = self.nodes.iter().filter(|n| !n.label.is_empty()).collect();
        nodes.sort_by(|a, b| (b.hit, a.priority, &a.label).cmp(&(a.hit, b.priority, &b.label)));
        for n in nodes {
            let (x, y) = out.px(proj.forward(n.lon, n.lat));
            let (tw, th) = text_box(&n.label, 13);
            let colour = if n.hit { RUSSIA } else { INK };
            let r0 = if n.hit { 7.0 } else { 5.0 };
            let spots: Vec<Spot> = [r0, 12.0, 20.0, 30.0, 42.0, 56.0]
                .into_iter()
                .flat_map(|d| {
                    (0..16).map(move |i| {
                        let b = box_towards((x, y), d, i, tw, th);
                        (b, (d >= 20.0).then(|| leader_to((x, y), r0 - 1.0, b)))
                    })
                })
                .collect();
            // A leader that crosses no line if one can; else one that does.
            for clear in [true, false] {
                if place(
                    out,
                    obs,
                    &n.label,
                    LabelKind::Node,
                    13,
                    colour,
                    &mut spots.iter().copied(),
                    clear,
                ) {
                    break;
                }
            }
        }
        // Routes: beside the line, on either side, at the middle or further along.
        let mut routes: Vec<(&str, Path2, f64, RGBColor)> = Vec::new();
        for l in &self.links {
            let Some(text) = &l.label else { continue };
            let (colour, _) = stroke_style(l);
            let px: Vec<(f64, f64)> = l
                .geometry
                .iter()
                .map(|&(lon, lat)| out.px(proj.forward(lon, lat)))
                .collect();
            for piece in clip_to_frame(&px, out.size.0, out.size.1) {
                routes.push((text, piece, self.width_of(l.kind, l.capacity), colour));
            }
        }
        let mut named: Vec<&str> = Vec::new();
        for (text, piece, width, colour) in &routes {
            if named.contains(text) {
                continue;
            }
            let (tw, th) = text_box(text, 12);
            let total: f64 = piece
                .windows(2)
                .map(|s| (s[1].0 - s[0].0).hypot(s[1].1 - s[0].1))
                .sum();
            if total < tw * 0.8 {
                continue;
            }
            let fractions = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9];
            let mut spots = [3.0, 10.0].into_iter().flat_map(|gap| {
                fractions.into_iter().flat_map(move |f| {
                    let (p, d) = point_along(piece, total * f);
                    let nrm = (-d.1, d.0);
                    [1.0, -1.0].into_iter().map(move |side| {
                        let reach = nrm.0.abs() * tw / 2.0 + nrm.1.abs() * th / 2.0;
                        let off = width / 2.0 + gap + reach;
                        let (cx, cy) = (p.0 + side * nrm.0 * off, p.1 + side * nrm.1 * off);
                        (
                            (cx - tw / 2.0, cy - th / 2.0, cx + tw / 2.0, cy + th / 2.0),
                            None,
                        )
                    })
                })
            });
            if place(
                out,
                obs,
                text,
                LabelKind::Route,
                12,
                darker(*colour),
                &mut spots,
                true,
            ) {
                named.push(text);
            }
        }
        // Countries: inside the country's largest piece in the window, near its middle.
        let mut countries: Vec<(String, Path2, f64)> = Vec::new();
        for (name, p) in &out.land {
            let a = polygon_area(p);
            match countries.iter_mut().find(|c| &c.0 == name) {
                Some(c) if c.2 < a => *c = (name.clone(), p.clone(), a),
                Some(_) => {}
                None => countries.push((name.clone(), p.clone(), a)),
            }
        }
        countries.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        for (name, ring, area) in countries {
            let text = name.to_uppercase();
            let poly = GeoPolygon::new(ls(&ring), vec![]);
            let Some(c) = geo::InteriorPoint::interior_point(&poly) else {
                continue;
            };
            let inside = |b: (f64, f64, f64, f64)| {
                [
                    (b.0, b.1),
                    (b.2, b.1),
                    (b.0, b.3),
                    (b.2, b.3),
                    ((b.0 + b.2) / 2.0, (b.1 + b.3) / 2.0),
                ]
                .iter()
                .all(|&(x, y)| poly.contains(&Coord { x, y }))
            };
            // Small countries (Georgia, Azerbaijan, Armenia) in a smaller size.
            for size in [12, 10] {
                let (tw, th) = text_box(&text, size);
                if area < tw * th * 1.5 {
                    continue;
                }
                let mut spots = spiral((c.x(), c.y()), tw, th, 40)
                    .filter(|&b| inside(b))
                    .map(|b| (b, None));
                if place(
                    out,
                    obs,
                    &text,
                    LabelKind::Country,
                    size,
                    COUNTRY_INK,
                    &mut spots,
                    true,
                ) {
                    break;
                }
            }
        }
    }
}

/// The `tw` × `th` box beside `c` towards direction `i` of 16 (0 = east, then
/// anticlockwise on screen), its nearest side `d` px away.
fn box_towards(c: (f64, f64), d: f64, i: usize, tw: f64, th: f64) -> (f64, f64, f64, f64) {
    // East and west first, then the diagonals, then north and south.
    const ORDER: [usize; 16] = [0, 8, 2, 6, 10, 14, 1, 7, 9, 15, 3, 5, 11, 13, 4, 12];
    let a = std::f64::consts::TAU * ORDER[i] as f64 / 16.0;
    let (dx, dy) = (a.cos() * d, -a.sin() * d);
    let left = if dx > 0.5 {
        c.0 + dx
    } else if dx < -0.5 {
        c.0 + dx - tw
    } else {
        c.0 - tw / 2.0
    };
    let top = if dy > 0.5 {
        c.1 + dy
    } else if dy < -0.5 {
        c.1 + dy - th
    } else {
        c.1 - th / 2.0
    };
    (left, top, left + tw, top + th)
}

/// A leader line from a dot's edge to its label's box, px.
pub type Leader = ((f64, f64), (f64, f64));

/// The leader from the dot at `c` (radius `r`) to the nearest point of box `b`.
fn leader_to(c: (f64, f64), r: f64, b: (f64, f64, f64, f64)) -> Leader {
    let q = (c.0.clamp(b.0, b.2), c.1.clamp(b.1, b.3));
    let d = (q.0 - c.0).hypot(q.1 - c.1).max(1e-9);
    ((c.0 + (q.0 - c.0) * r / d, c.1 + (q.1 - c.1) * r / d), q)
}

/// Boxes of `w` × `h` centred ever further from `c`: `rings` rings 8 px apart (flattened to
/// 60% vertically), 12 directions each.
fn spiral(
    c: (f64, f64),
    w: f64,
    h: f64,
    rings: usize,
) -> impl Iterator<Item = (f64, f64, f64, f64)> {
    (0..rings).flat_map(move |ring| {
        let r = ring as f64 * 8.0;
        let n = if ring == 0 { 1 } else { 12 };
        (0..n).map(move |i| {
            let a = std::f64::consts::TAU * i as f64 / n as f64;
            let (x, y) = (c.0 + r * a.cos(), c.1 + r * a.sin() * 0.6);
            (x - w / 2.0, y - h / 2.0, x + w / 2.0, y + h / 2.0)
        })
    })
}

/// The point `dist` px along `line` and the unit direction there.
fn point_along(line: &[(f64, f64)], dist: f64) -> ((f64, f64), (f64, f64)) {
    let mut left = dist;
    for s in line.windows(2) {
        let (a, b) = (s[0], s[1]);
        let len = (b.0 - a.0).hypot(b.1 - a.1);
        if len > 0.0 && (left <= len || std::ptr::eq(s, line.windows(2).last().unwrap_or(s))) {
            let t = (left / len).min(1.0);
            let d = ((b.0 - a.0) / len, (b.1 - a.1) / len);
            return ((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)), d);
        }
        left -= len;
    }
    (line[0], (1.0, 0.0))
}

fn polygon_area(p: &[(f64, f64)]) -> f64 {
    use geo::Area;
    GeoPolygon::new(ls(p), vec![]).unsigned_area()
}

/// Capacities for the line-width key: round figures near a fifth and a half of `max`, then
/// `max` itself (rounded to two significant figures), the widest line drawn.
fn key_values(max: f64) -> Vec<f64> {
    let nice = |v: f64| {
        let p = 10f64.powf(v.log10().floor());
        let m = v / p;
        let m = [1.0, 2.0, 2.5, 5.0, 10.0]
            .into_iter()
            .min_by(|a, b| (a - m).abs().total_cmp(&(b - m).abs()))
            .unwrap_or(1.0);
        m * p
    };
    let mut v: Vec<f64> = [0.2, 0.5]
        .iter()
        .map(|f| nice(max * f))
        .filter(|&v| v < max * 0.8)
        .collect();
    let p = 10f64.powf(max.log10().floor() - 1.0);
    v.push((max / p).round() * p);
    v.dedup();
    v
}

impl Chart for RouteMap {
    fn draw<DB: DrawingBackend>(
        &self,
        root: DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let (p1, p2) = self.proj.parallels;
        let plot = frame(
            &root,
            &self.title,
            &self.subtitle,
            &format!(
                "Made with Natural Earth. Lambert conformal conic, standard parallels {p1:.0}° and {p2:.0}° N. Routes and capacities: corridor routes/ (sources in routes/README.md)."
            ),
        )?;
        let plot = plot.margin(MARGINS.0, MARGINS.1, MARGINS.2, MARGINS.3);
        let (w, h) = map_size();
        let lay = self.layout(w, h);
        let (mw, mh) = (lay.size.0.round() as i32, lay.size.1.round() as i32);
        let map = plot.clone().shrink((0, 0), (mw as u32, mh as u32));
        let font = |size: u32, c: &RGBColor| (FONT, size).into_font().color(c);
        let ipt = |v: &[(f64, f64)]| -> Vec<(i32, i32)> {
            v.iter()
                .map(|&(x, y)| (x.round() as i32, y.round() as i32))
                .collect()
        };
        map.draw(&Rectangle::new([(0, 0), (mw, mh)], WATER.filled()))?;
        splice(
            &map,
            (0, 0),
            self.basemap_svg(&lay.view, lay.km_per_px, (mw, mh), 1.0, false),
        )?;
        for f in &lay.footprints {
            map.draw(&Polygon::new(ipt(f), RUSSIA.mix(0.18).filled()))?;
            map.draw(&PathElement::new(ipt(f), RUSSIA.stroke_width(2)))?;
        }
        for s in &lay.strokes {
            let style = s.colour.stroke_width(s.width.round().max(1.0) as u32);
            let pts = ipt(&s.px);
            match s.dash {
                Dash::Solid => map.draw(&PathElement::new(pts, style))?,
                Dash::Dashed => map.draw(&DashedPathElement::new(pts, 8, 5, style))?,
                Dash::Dotted => map.draw(&DashedPathElement::new(pts, 2, 5, style))?,
            }
        }
        for d in &lay.dots {
            let at = (d.at.0.round() as i32, d.at.1.round() as i32);
            let r = d.radius.round() as i32;
            if d.hollow {
                map.draw(&Circle::new(at, r, WHITE.filled()))?;
                map.draw(&Circle::new(at, r, d.colour.stroke_width(1)))?;
            } else {
                map.draw(&Circle::new(at, r, d.colour.filled()))?;
            }
        }
        for l in &lay.labels {
            if let Some((a, b)) = l.leader {
                map.draw(&PathElement::new(
                    ipt(&[a, b]),
                    l.colour.mix(0.8).stroke_width(1),
                ))?;
            }
            for (i, line) in l.text.lines().enumerate() {
                let (x, y) = (
                    l.rect.0 + 2.0,
                    l.rect.1 + 1.0 + i as f64 * line_height(l.size),
                );
                map.draw(&Text::new(
                    line.to_string(),
                    (x.round() as i32, y.round() as i32),
                    font(l.size, &l.colour),
                ))?;
            }
        }
        // Scale bar.
        let ((sx, sy), len, km) = lay.scale_bar;
        let (sx, sy, len) = (sx.round() as i32, sy.round() as i32, len.round() as i32);
        map.draw(&Rectangle::new(
            [(sx - 8, sy - 22), (sx + len + 44, sy + 12)],
            WHITE.mix(0.85).filled(),
        ))?;
        map.draw(&Rectangle::new(
            [(sx, sy), (sx + len, sy + 6)],
            INK.filled(),
        ))?;
        map.draw(&Rectangle::new(
            [(sx + len / 2, sy + 1), (sx + len, sy + 5)],
            WHITE.filled(),
        ))?;
        map.draw(&Text::new("0", (sx - 3, sy - 19), font(12, &INK)))?;
        map.draw(&Text::new(
            format!("{km:.0} km"),
            (sx + len - 12, sy - 19),
            font(12, &INK),
        ))?;
        map.draw(&Rectangle::new([(0, 0), (mw, mh)], BORDER))?;
        self.draw_legend(&plot, &lay, mw + 14)?;
        root.present()
    }
}

impl RouteMap {
    /// The basemap as one SVG path in projected km (y up, 0.1 km, simplified to 0.5 km:
    /// about half a pixel at the closest zoom, 0.9 km/px), the same text on every map, so a report that
    /// inlines several maps can hold it once ([`BASEMAP_PATH_PREFIX`]).
    pub fn basemap_path(&self) -> String {
        use geo::Simplify;
        let mut d = String::from(BASEMAP_PATH_PREFIX);
        for (_, ring) in &self.land {
            let proj: LineString<f64> = ring
                .iter()
                .map(|&(lon, lat)| {
                    let (x, y) = self.proj.forward(lon, lat);
                    ((x * 10.0).round(), (y * 10.0).round())
                })
                .collect::<Vec<_>>()
                .into();
            let simple = proj.simplify(5.0);
            let mut last = (0.0, 0.0);
            for (i, c) in simple.coords().enumerate() {
                let (x, y) = (c.x, c.y);
                if i == 0 {
                    let _ = write!(d, "M{} {}", x / 10.0, y / 10.0);
                } else if (x, y) != last {
                    let _ = write!(d, "l{} {}", (x - last.0) / 10.0, (y - last.1) / 10.0);
                }
                last = (x, y);
            }
            d.push('z');
        }
        d.push_str("\"/>");
        d
    }

    /// The basemap in a `w` × `h` px frame showing `view` at `k` km/px: a nested `<svg>`
    /// (which clips to the frame) holding the projected path, scaled and flipped, with
    /// borders `border` px wide; `reuse` refers to the path drawn earlier in the same SVG.
    fn basemap_svg(
        &self,
        view: &View,
        k: f64,
        (w, h): (i32, i32),
        border: f64,
        reuse: bool,
    ) -> String {
        let s = 1.0 / k;
        format!(
            "<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\"><g transform=\"matrix({s:.6} 0 0 {:.6} {:.3} {:.3})\" fill=\"{}\" stroke=\"{}\" stroke-width=\"{:.4}\" stroke-linejoin=\"round\">{}</g></svg>",
            -s,
            -view.x0 * s,
            view.y1 * s,
            hex(LAND),
            hex(BORDER),
            k * border,
            if reuse {
                BASEMAP_USE.to_string()
            } else {
                self.basemap_path()
            }
        )
    }
}

/// How the basemap path begins in a map's SVG; a report that inlines several maps keeps one
/// (with this id) and replaces the others by `<use>`.
pub const BASEMAP_PATH_PREFIX: &str = "<path id=\"corridor-basemap\" d=\"";

/// A `<use>` of the basemap path, for the inset and for a report's later maps.
pub const BASEMAP_USE: &str = "<use href=\"#corridor-basemap\"/>";

impl RouteMap {
    /// The legend column at `x0`: the kinds of line drawn, the width key and, on a zoomed
    /// map, the inset.
    fn draw_legend<DB: DrawingBackend>(
        &self,
        plot: &DrawingArea<DB, Shift>,
        lay: &MapLayout,
        x0: i32,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let font = |c: &RGBColor| (FONT, 13).into_font().color(c);
        let drawn = |kind: LinkKind| {
            self.links.iter().any(|l| {
                l.kind == kind
                    && l.geometry
                        .iter()
                        .any(|&(lon, lat)| lay.view.contains(self.proj.forward(lon, lat)))
            })
        };
        let mut entries: Vec<(&str, RGBColor, u8)> = Vec::new();
        if drawn(LinkKind::Pipeline) {
            entries.push(("Oil pipeline", PIPELINE, 0));
        }
        if drawn(LinkKind::TankerLeg) {
            entries.push(("Tanker route", TANKER, 0));
        }
        if drawn(LinkKind::Rail) {
            entries.push(("Rail", RAIL, 0));
        }
        if drawn(LinkKind::TerrestrialFibre) || drawn(LinkKind::SubseaFibre) {
            entries.push(("Data link (dashed)", DATA, 1));
        }
        if lay.strokes.iter().any(|s| s.dash == Dash::Dotted) {
            entries.push(("Not in service (dotted)", INK, 2));
        }
        if lay.strokes.iter().any(|s| s.colour == RUSSIA)
            || lay.dots.iter().any(|d| d.colour == RUSSIA)
        {
            entries.push(("Hit by the scenario", RUSSIA, 0));
        }
        if !lay.footprints.is_empty() {
            entries.push(("Hazard footprint", RUSSIA, 3));
        }
        let mut y = 8;
        for (text, colour, style) in &entries {
            let yc = y + 8;
            let (a, b) = (x0, x0 + 34);
            match style {
                0 => plot.draw(&PathElement::new(
                    vec![(a, yc), (b, yc)],
                    colour.stroke_width(4),
                ))?,
                1 => plot.draw(&DashedPathElement::new(
                    vec![(a, yc), (b, yc)],
                    8,
                    5,
                    colour.stroke_width(2),
                ))?,
                2 => plot.draw(&DashedPathElement::new(
                    vec![(a, yc), (b, yc)],
                    2,
                    5,
                    colour.stroke_width(3),
                ))?,
                _ => {
                    plot.draw(&Rectangle::new(
                        [(a, yc - 7), (b, yc + 7)],
                        colour.mix(0.18).filled(),
                    ))?;
                    plot.draw(&Rectangle::new([(a, yc - 7), (b, yc + 7)], *colour))?;
                }
            }
            plot.draw(&Text::new(*text, (x0 + 44, yc - 9), font(&INK)))?;
            y += 22;
        }
        // Line width key, per layer drawn.
        y += 6;
        plot.draw(&Text::new("Line width: capacity", (x0, y), font(&INK)))?;
        y += 22;
        for (layer, unit, colour, kinds) in [
            (
                Layer::Oil,
                "Mt/yr",
                PIPELINE,
                [LinkKind::Pipeline, LinkKind::TankerLeg, LinkKind::Rail],
            ),
            (
                Layer::Data,
                "Gbps",
                DATA,
                [
                    LinkKind::TerrestrialFibre,
                    LinkKind::SubseaFibre,
                    LinkKind::SubseaFibre,
                ],
            ),
        ] {
            if !kinds.iter().any(|&k| drawn(k)) {
                continue;
            }
            let max = self
                .links
                .iter()
                .filter(|l| l.kind.layer() == layer)
                .map(|l| l.capacity)
                .fold(0.0, f64::max);
            for v in key_values(max) {
                let width = self.width_of(kinds[0], v).round().max(1.0) as u32;
                plot.draw(&PathElement::new(
                    vec![(x0, y + 8), (x0 + 34, y + 8)],
                    colour.stroke_width(width),
                ))?;
                plot.draw(&Text::new(
                    format!("{} {unit}", super::chart::axis_number(&v)),
                    (x0 + 44, y - 1),
                    font(&INK),
                ))?;
                y += 20;
            }
            y += 4;
        }
        if let Some(whole) = &self.overview {
            self.draw_inset(plot, lay, whole, (x0, y + 10))?;
        }
        Ok(())
    }

    /// The inset: the whole network small, with the zoomed window outlined in red.
    fn draw_inset<DB: DrawingBackend>(
        &self,
        plot: &DrawingArea<DB, Shift>,
        lay: &MapLayout,
        whole: &View,
        (x0, y0): (i32, i32),
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let (_, ph) = plot.dim_in_pixel();
        let room_h = (ph as i32 - y0 - 4).max(60) as f64;
        let w_max = (LEGEND_W - 24) as f64;
        let inset = RouteMap {
            target: *whole,
            overview: None,
            footprints: vec![],
            ..self.clone()
        };
        let v = fit_view(&self.proj, whole, w_max / room_h.min(w_max * 0.75));
        let k = (v.width() / w_max).max(v.height() / room_h.min(w_max * 0.75));
        let size = (v.width() / k, v.height() / k);
        let px = |(x, y): (f64, f64)| {
            (
                x0 + ((x - v.x0) / k).round() as i32,
                y0 + ((v.y1 - y) / k).round() as i32,
            )
        };
        let proj = self.proj;
        let frame = Rect::new(Coord { x: v.x0, y: v.y0 }, Coord { x: v.x1, y: v.y1 }).to_polygon();
        plot.draw(&Rectangle::new(
            [px((v.x0, v.y1)), px((v.x1, v.y0))],
            WATER.filled(),
        ))?;
        let (iw, ih) = (size.0.round() as i32, size.1.round() as i32);
        // Borders at 1 px would blacken a map this small: half a pixel.
        splice(plot, (x0, y0), self.basemap_svg(&v, k, (iw, ih), 0.5, true))?;
        for l in inset.links.iter().filter(|l| l.kind.layer() == Layer::Oil) {
            let pts: Vec<(f64, f64)> = l
                .geometry
                .iter()
                .map(|&(lon, lat)| proj.forward(lon, lat))
                .collect();
            for part in frame.clip(&MultiLineString::new(vec![ls(&pts)]), false) {
                let q: Vec<(i32, i32)> = part.coords().map(|c| px((c.x, c.y))).collect();
                plot.draw(&PathElement::new(q, PIPELINE.mix(0.6).stroke_width(1)))?;
            }
        }
        let z = lay.view;
        plot.draw(&Rectangle::new(
            [px((z.x0, z.y1)), px((z.x1, z.y0))],
            RUSSIA.stroke_width(2),
        ))?;
        plot.draw(&Rectangle::new(
            [
                (x0, y0),
                (x0 + size.0.round() as i32, y0 + size.1.round() as i32),
            ],
            BORDER,
        ))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lambert_conic_round_trips_and_is_true_to_scale_on_its_parallels() {
        let p = Lcc::region();
        for (lon, lat) in [(58.0, 48.0), (28.4, 59.7), (35.8, 36.9), (87.6, 43.8)] {
            let (x, y) = p.forward(lon, lat);
            let (a, b) = p.inverse(x, y);
            assert!((a - lon).abs() < 1e-9 && (b - lat).abs() < 1e-9, "{a} {b}");
        }
        // The origin maps to (0, 0).
        let (x, y) = p.forward(58.0, 48.0);
        assert!(x.abs() < 1e-9 && y.abs() < 1e-9);
        // Scale 1 on the standard parallels, below 1 between them.
        assert!((p.scale_factor(41.0) - 1.0).abs() < 1e-12);
        assert!((p.scale_factor(56.0) - 1.0).abs() < 1e-12);
        // Between them the scale is 0.9915 at 48° N; outside, 1.0113 at Ceyhan (36.9° N) and
        // 1.0146 at Primorsk (60.4° N): distances are true to 1.5% over the whole network.
        assert!((p.scale_factor(48.0) - 0.99149).abs() < 1e-5);
        assert!((p.scale_factor(36.9) - 1.01133).abs() < 1e-5);
        assert!((p.scale_factor(60.4) - 1.01455).abs() < 1e-5);
        // One degree of latitude along the central meridian at 41° N: 111.19 km on the sphere.
        let (_, y0) = p.forward(58.0, 40.5);
        let (_, y1) = p.forward(58.0, 41.5);
        assert!(((y1 - y0) - 111.195).abs() < 0.01, "{}", y1 - y0);
    }

    #[test]
    fn key_values_are_round_and_within_the_largest() {
        assert_eq!(key_values(72.5), vec![10.0, 25.0, 73.0]);
        assert_eq!(key_values(100.0), vec![20.0, 50.0, 100.0]);
        assert_eq!(key_values(1200.0), vec![250.0, 500.0, 1200.0]);
    }

    #[test]
    fn a_view_near_the_basemap_edge_is_grown_sideways_not_off_it() {
        let p = Lcc::region();
        let (x, y) = p.forward(27.0, 45.0);
        let t = View {
            x0: x,
            x1: x + 300.0,
            y0: y,
            y1: y + 600.0,
        };
        let v = fit_view(&p, &t, 1.5);
        assert!(basemap_covers(&p, &v));
        assert!(v.x0 <= t.x0 + 1e-6 && v.x1 >= t.x1 - 1e-6);
        assert!(((v.width() / v.height()) - 1.5).abs() < 1e-6 || v.width() < 900.0);
    }
}
