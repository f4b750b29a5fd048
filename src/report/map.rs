//! The route map: Natural Earth countries (vendored in `routes/basemap/`, compiled in), oil
//! routes coloured by kind with line width proportional to capacity, data links dashed, planned
//! assets dotted, the assets a scenario hits in red with the hazard footprints, labels for the
//! main nodes placed so that none overlap, a legend and a scale bar. Projection: equirectangular
//! with x scaled by cos(central latitude), so distances are true along that parallel.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart::{Chart, FONT, RUSSIA, frame};
use crate::model::{AssetRef, Layer, LinkKind, Network, NodeKind, Status};

/// The vendored basemap: Natural Earth 1:10m countries, clipped to lon 25–90° E, lat 30–63° N.
pub const BASEMAP: &str =
    include_str!("../../routes/basemap/natural-earth-countries-region.geojson");

const WATER: RGBColor = RGBColor(214, 230, 242);
const LAND: RGBColor = RGBColor(244, 241, 234);
const BORDER: RGBColor = RGBColor(170, 165, 160);
const PIPELINE: RGBColor = RGBColor(38, 110, 166);
const TANKER: RGBColor = RGBColor(0, 150, 136);
const RAIL: RGBColor = RGBColor(140, 86, 75);
const DATA: RGBColor = RGBColor(118, 68, 138);
const INK: RGBColor = RGBColor(40, 40, 40);
/// Kilometres per degree of latitude (mean Earth radius 6,371 km).
const KM_PER_DEG: f64 = 111.195;

/// One link as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct MapLink {
    pub id: String,
    pub kind: LinkKind,
    pub planned: bool,
    /// Nameplate capacity in the layer's report unit (Mt/yr or Gbps).
    pub capacity: f64,
    pub hit: bool,
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
    /// Country rings (lon, lat): exterior rings only; the Caspian is where no country lies.
    pub land: Vec<Vec<(f64, f64)>>,
    pub links: Vec<MapLink>,
    pub nodes: Vec<MapNode>,
    /// Hazard footprints: name and closed (lon, lat) ring.
    pub footprints: Vec<(String, Vec<(f64, f64)>)>,
    /// Window shown: lon min, lon max, lat min, lat max (widened to keep the projection's
    /// aspect).
    pub window: (f64, f64, f64, f64),
}

/// Exterior rings of every country polygon in a GeoJSON FeatureCollection.
pub fn land_rings(geojson_text: &str) -> Result<Vec<Vec<(f64, f64)>>, String> {
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
        match f.geometry.as_ref().map(|g| &g.value) {
            Some(GeometryValue::MultiPolygon { coordinates }) => out.extend(
                coordinates
                    .iter()
                    .filter_map(|p| p.first())
                    .map(|r| ring(r)),
            ),
            Some(GeometryValue::Polygon { coordinates }) => {
                out.extend(coordinates.first().map(|r| ring(r)))
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
        // Labelled only when the scenario hits them.
        _ => None,
    }
}

impl RouteMap {
    /// The map of `net`; `hit` lists the assets a scenario takes below full capacity.
    pub fn new(
        net: &Network,
        title: &str,
        subtitle: &str,
        hit: &[AssetRef],
        footprints: Vec<(String, Vec<(f64, f64)>)>,
    ) -> Self {
        // Parsed once per process: a study draws ten maps.
        static LAND: std::sync::OnceLock<Vec<Vec<(f64, f64)>>> = std::sync::OnceLock::new();
        let land = LAND
            .get_or_init(|| land_rings(BASEMAP).unwrap_or_default())
            .clone();
        let links = net
            .links
            .iter()
            .enumerate()
            .map(|(i, l)| MapLink {
                id: l.id.clone(),
                kind: l.kind,
                planned: l.status != Status::Operating,
                capacity: l.layer().to_report_unit(l.capacity.nominal.value),
                hit: hit.contains(&AssetRef::Link(crate::model::LinkIx(i))),
                geometry: l.geometry.clone(),
            })
            .collect();
        let nodes: Vec<MapNode> = net
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind != NodeKind::Market)
            .map(|(i, n)| {
                let is_hit = hit.contains(&AssetRef::Node(crate::model::NodeIx(i)));
                let p = label_priority(n.kind).or(is_hit.then_some(3));
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
        // The basemap window, trimmed to the nodes with a margin.
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for n in &nodes {
            x0 = x0.min(n.lon);
            x1 = x1.max(n.lon);
            y0 = y0.min(n.lat);
            y1 = y1.max(n.lat);
        }
        let window = (
            (x0 - 2.0).max(25.0),
            (x1 + 2.0).min(90.0),
            (y0 - 1.5).max(30.0),
            (y1 + 1.5).min(63.0),
        );
        RouteMap {
            title: title.into(),
            subtitle: subtitle.into(),
            land,
            links,
            nodes,
            footprints,
            window,
        }
    }
}

/// Pixel box of a label: left, top, right, bottom.
type PxBox = (i32, i32, i32, i32);

fn overlaps(a: PxBox, b: PxBox) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

impl Chart for RouteMap {
    fn draw<DB: DrawingBackend>(
        &self,
        root: DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let plot = frame(
            &root,
            &self.title,
            &self.subtitle,
            "Made with Natural Earth. Routes and capacities: corridor routes/ (sources in routes/README.md).",
        )?;
        let plot = plot.margin(4, 4, 10, 10);
        let (w, h) = plot.dim_in_pixel();
        let (lon0, lon1, lat0, lat1) = self.window;
        let k = ((lat0 + lat1) / 2.0).to_radians().cos();
        // Widen the shorter side so one x unit (k·degree of longitude) and one degree of latitude
        // take the same number of pixels.
        let (mut xa, mut xb, mut ya, mut yb) = (lon0 * k, lon1 * k, lat0, lat1);
        let scale = ((xb - xa) / w as f64).max((yb - ya) / h as f64);
        let (cx, cy) = ((xa + xb) / 2.0, (ya + yb) / 2.0);
        xa = cx - scale * w as f64 / 2.0;
        xb = cx + scale * w as f64 / 2.0;
        ya = cy - scale * h as f64 / 2.0;
        yb = cy + scale * h as f64 / 2.0;
        let mut chart = ChartBuilder::on(&plot).build_cartesian_2d(xa..xb, ya..yb)?;
        let p = |(lon, lat): (f64, f64)| (lon * k, lat);
        // Outside the basemap's extent there is no data: grey, so it is not read as sea.
        chart.plotting_area().fill(&RGBColor(225, 225, 225))?;
        chart.draw_series(std::iter::once(Rectangle::new(
            [p((25.0, 30.0)), p((90.0, 63.0))],
            WATER.filled(),
        )))?;
        for ring in &self.land {
            let pts: Vec<(f64, f64)> = ring.iter().map(|&q| p(q)).collect();
            chart.draw_series(std::iter::once(Polygon::new(pts.clone(), LAND.filled())))?;
            chart.draw_series(std::iter::once(PathElement::new(
                pts,
                BORDER.stroke_width(1),
            )))?;
        }
        for (_, ring) in &self.footprints {
            let pts: Vec<(f64, f64)> = ring.iter().map(|&q| p(q)).collect();
            chart.draw_series(std::iter::once(Polygon::new(
                pts.clone(),
                RUSSIA.mix(0.18).filled(),
            )))?;
            chart.draw_series(std::iter::once(PathElement::new(
                pts,
                RUSSIA.stroke_width(2),
            )))?;
        }
        let max_oil = self
            .links
            .iter()
            .filter(|l| l.kind.layer() == Layer::Oil)
            .map(|l| l.capacity)
            .fold(1e-9, f64::max);
        let max_data = self
            .links
            .iter()
            .filter(|l| l.kind.layer() == Layer::Data)
            .map(|l| l.capacity)
            .fold(1e-9, f64::max);
        // Data first, so the oil routes draw over shared corridors.
        let mut order: Vec<&MapLink> = self.links.iter().collect();
        order.sort_by_key(|l| (l.kind.layer() == Layer::Oil, l.hit));
        for l in order {
            let (colour, width) = match l.kind {
                LinkKind::Pipeline => (PIPELINE, 1.5 + 6.5 * l.capacity / max_oil),
                LinkKind::TankerLeg => (TANKER, 1.5 + 6.5 * l.capacity / max_oil),
                LinkKind::Rail => (RAIL, 1.5 + 6.5 * l.capacity / max_oil),
                LinkKind::TerrestrialFibre | LinkKind::SubseaFibre => {
                    (DATA, 1.0 + 2.0 * l.capacity / max_data)
                }
            };
            let colour = if l.hit { RUSSIA } else { colour };
            let style = colour.stroke_width(width.round() as u32);
            let pts: Vec<(f64, f64)> = l.geometry.iter().map(|&q| p(q)).collect();
            if l.planned {
                chart.draw_series(DashedLineSeries::new(pts, 2, 5, style))?;
            } else if l.kind.layer() == Layer::Data {
                chart.draw_series(DashedLineSeries::new(pts, 8, 5, style))?;
            } else {
                chart.draw_series(std::iter::once(PathElement::new(pts, style)))?;
            }
        }
        for n in &self.nodes {
            let colour = if n.hit { RUSSIA } else { INK };
            let r = if n.hit { 5 } else { 3 };
            let style = if n.planned {
                colour.stroke_width(1)
            } else {
                colour.filled()
            };
            chart.draw_series(std::iter::once(Circle::new(p((n.lon, n.lat)), r, style)))?;
        }
        // Labels: by priority, each at the first of four spots that overlaps nothing placed.
        let area = chart.plotting_area();
        let mut placed: Vec<PxBox> = Vec::new();
        let mut order: Vec<&MapNode> = self.nodes.iter().filter(|n| !n.label.is_empty()).collect();
        order.sort_by(|a, b| (b.hit, a.priority, &a.label).cmp(&(a.hit, b.priority, &b.label)));
        // The legend and scale bar own these corners.
        placed.push((w as i32 - 220, 0, w as i32, 194));
        placed.push((w as i32 - 190, h as i32 - 50, w as i32, h as i32));
        let font = (FONT, 13).into_font();
        let (ox, oy) = plot.get_base_pixel();
        for n in order {
            let (ax, ay) = area.map_coordinate(&p((n.lon, n.lat)));
            let (px, py) = (ax - ox, ay - oy);
            let (tw, th) = font
                .box_size(&n.label)
                .unwrap_or((8 * n.label.len() as u32, 14));
            // Never trust the measured box below ~6.6 px a character: labels must not touch.
            let chars = n.label.chars().count() as f64;
            let (tw, th) = (
                (tw as i32).max((6.6 * chars) as i32 + 4),
                (th as i32).max(15),
            );
            let spots = [
                (px + 7, py - th / 2),
                (px - 7 - tw, py - th / 2),
                (px - tw / 2, py - 8 - th),
                (px - tw / 2, py + 7),
            ];
            if let Some(&(x, y)) = spots.iter().find(|&&(x, y)| {
                let b = (x - 2, y - 1, x + tw + 2, y + th + 1);
                b.0 >= 0
                    && b.1 >= 0
                    && b.2 <= w as i32
                    && b.3 <= h as i32
                    && !placed.iter().any(|&q| overlaps(q, b))
            }) {
                placed.push((x - 2, y - 1, x + tw + 2, y + th + 1));
                let colour = if n.hit { RUSSIA } else { INK };
                plot.draw(&Text::new(
                    n.label.clone(),
                    (x, y),
                    font.clone().color(&colour),
                ))?;
            }
        }
        // Scale bar: 500 km along the central parallel.
        let km = 500.0;
        let (sx, sy) = (w as i32 - 170, h as i32 - 25);
        let len = (km / KM_PER_DEG / scale).round() as i32;
        plot.draw(&Rectangle::new(
            [(sx, sy), (sx + len, sy + 6)],
            INK.filled(),
        ))?;
        plot.draw(&Rectangle::new(
            [(sx + len / 2, sy + 1), (sx + len, sy + 5)],
            WHITE.filled(),
        ))?;
        plot.draw(&Text::new("0", (sx - 3, sy - 17), font.clone().color(&INK)))?;
        plot.draw(&Text::new(
            format!("{km:.0} km"),
            (sx + len - 20, sy - 17),
            font.clone().color(&INK),
        ))?;
        // Legend.
        let (lx, ly) = (w as i32 - 213, 6);
        plot.draw(&Rectangle::new(
            [(lx, ly), (lx + 205, ly + 184)],
            WHITE.mix(0.9).filled(),
        ))?;
        plot.draw(&Rectangle::new([(lx, ly), (lx + 205, ly + 184)], BORDER))?;
        let entries: [(&str, RGBColor, u8); 7] = [
            ("Oil pipeline", PIPELINE, 0),
            ("Tanker route", TANKER, 0),
            ("Rail", RAIL, 0),
            ("Data link (dashed)", DATA, 1),
            ("Not in service (dotted)", INK, 2),
            ("Hit by the scenario", RUSSIA, 0),
            ("Hazard footprint", RUSSIA, 3),
        ];
        for (i, (text, colour, style)) in entries.iter().enumerate() {
            let y = ly + 14 + 22 * i as i32;
            let seg = vec![(lx + 10, y), (lx + 44, y)];
            match style {
                0 => plot.draw(&PathElement::new(seg, colour.stroke_width(4)))?,
                1 => {
                    for x in [10, 24, 38] {
                        plot.draw(&PathElement::new(
                            vec![(lx + x, y), (lx + x + 7, y)],
                            colour.stroke_width(2),
                        ))?
                    }
                }
                2 => {
                    for x in (10..44).step_by(7) {
                        plot.draw(&PathElement::new(
                            vec![(lx + x, y), (lx + x + 2, y)],
                            colour.stroke_width(3),
                        ))?
                    }
                }
                _ => {
                    plot.draw(&Rectangle::new(
                        [(lx + 10, y - 7), (lx + 44, y + 7)],
                        colour.mix(0.18).filled(),
                    ))?;
                    plot.draw(&Rectangle::new(
                        [(lx + 10, y - 7), (lx + 44, y + 7)],
                        *colour,
                    ))?;
                }
            }
            plot.draw(&Text::new(
                *text,
                (lx + 54, y - 8),
                font.clone().color(&INK),
            ))?;
        }
        plot.draw(&Text::new(
            "Line width: capacity",
            (lx + 10, ly + 14 + 22 * 7 - 8),
            font.clone().color(&INK),
        ))?;
        root.present()
    }
}
