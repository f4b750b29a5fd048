//! Report-grade charts rendered with plotters to PNG and SVG, with an embedded font (Noto Sans,
//! from the `ttf-noto-sans` crate), so no system font library is needed.
//!
//! Charts read rows only (the same rows written as CSV).

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

use super::write::{OutputError, write_atomic};

/// Chart size in pixels (PNG) and user units (SVG).
pub const SIZE: (u32, u32) = (1000, 620);

pub const FONT: &str = "sans-serif";
/// The font family the SVGs name: the embedded face first, then common fallbacks.
pub const SVG_FONT_FAMILY: &str = "'Noto Sans', 'DejaVu Sans', Arial, Helvetica, sans-serif";
/// Colour for capacity that transits Russia.
pub const RUSSIA: RGBColor = RGBColor(196, 58, 49);
/// Colour for capacity that bypasses Russia.
pub const BYPASS: RGBColor = RGBColor(38, 110, 166);
const GREY: RGBColor = RGBColor(90, 90, 90);

static FONT_INIT: Once = Once::new();

/// Registers the embedded font once per process. Must run before any text is drawn.
pub fn init_fonts() {
    FONT_INIT.call_once(|| {
        // The font bytes are compiled in; registration fails only if they are corrupt.
        let _ = register_font(FONT, FontStyle::Normal, ttf_noto_sans::REGULAR);
    });
}

/// A chart failed to render or be written.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("cannot draw {chart}: {message}")]
    Draw { chart: String, message: String },
    #[error(transparent)]
    Write(#[from] OutputError),
    #[error("cannot encode {chart} as PNG: {message}")]
    Png { chart: String, message: String },
}

/// One bar: a label, a value and whether it transits Russia.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub via_russia: bool,
}

/// A horizontal bar chart of export capacity by route, Russia-transit bars highlighted. Bars
/// are drawn bottom-up in the given order.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacityChart {
    pub title: String,
    pub subtitle: String,
    /// Axis label with unit, e.g. `Export capacity (Mt/yr)`.
    pub x_label: String,
    pub unit: String,
    pub bars: Vec<Bar>,
    pub source_line: String,
}

/// Height of the title block above the plotting area, px.
pub const HEADER_PX: u32 = 70;
/// Height of the source line below the plotting area, px.
pub const FOOTER_PX: u32 = 34;

/// Size of the plotting area [`frame`] leaves, px.
pub const fn plot_size() -> (u32, u32) {
    (SIZE.0, SIZE.1 - HEADER_PX - FOOTER_PX)
}

/// Paints the background, title, subtitle and source line; returns the plotting area.
pub fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
    source: &str,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let (_, h) = root.dim_in_pixel();
    let (top, body) = root.split_vertically(HEADER_PX);
    top.draw(&Text::new(
        title.to_string(),
        (20, 12),
        (FONT, 26).into_font().color(&BLACK),
    ))?;
    top.draw(&Text::new(
        subtitle.to_string(),
        (20, 44),
        (FONT, 16).into_font().color(&GREY),
    ))?;
    let (plot, foot) = body.split_vertically(h - HEADER_PX - FOOTER_PX);
    foot.draw(&Text::new(
        source.to_string(),
        (20, 10),
        (FONT, 13).into_font().color(&GREY),
    ))?;
    Ok(plot)
}

/// A value label of horizontal bar `i` (a segmented y axis), starting at `x`, vertically
/// centred on the bar, in `size` px.
pub fn bar_label(
    text: String,
    x: f64,
    i: usize,
    size: u32,
) -> Text<'static, (f64, SegmentValue<usize>), String> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    Text::new(
        text,
        (x, SegmentValue::CenterOf(i)),
        (FONT, size)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Center)),
    )
}

/// Colours for series, in order: the Okabe–Ito colour-blind-safe set (its yellow darkened to
/// olive gold, 3.3:1 on white; the original was 1.3:1), then Paul Tol's indigo, wine, teal and
/// olive, then greys. A daily chart gives each route the slot of its place among all the
/// routes of its CSV, so a route keeps its colour whatever else carries flow.
pub const PALETTE: &[RGBColor] = &[
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(153, 136, 0),
    RGBColor(51, 34, 136),
    RGBColor(136, 34, 85),
    RGBColor(68, 170, 153),
    RGBColor(153, 153, 51),
    RGBColor(120, 120, 120),
    RGBColor(170, 170, 170),
    RGBColor(60, 60, 60),
];

fn draw_capacity<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    c: &CapacityChart,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, _) = root.dim_in_pixel();
    let plot = frame(&root, &c.title, &c.subtitle, &c.source_line)?;
    let n = c.bars.len().max(1);
    // A segmented range 0..k has k + 1 segments.
    let max = c.bars.iter().map(|b| b.value).fold(0.0, f64::max).max(1e-9);
    let labels: Vec<String> = c.bars.iter().map(|b| b.label.clone()).collect();
    let label_width = 12 + 9 * labels.iter().map(|l| l.chars().count()).max().unwrap_or(8) as u32;
    let mut chart = ChartBuilder::on(&plot)
        .margin_right(30)
        .margin_top(10)
        .x_label_area_size(50)
        .y_label_area_size(label_width.min(w / 2))
        .build_cartesian_2d(0.0..max * 1.18, (0..n - 1).into_segmented())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .x_desc(c.x_label.clone())
        .x_label_formatter(&axis_number)
        .axis_desc_style((FONT, 16))
        .label_style((FONT, 14))
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .y_labels(n)
        .draw()?;
    for (i, b) in c.bars.iter().enumerate() {
        let colour = if b.via_russia { RUSSIA } else { BYPASS };
        chart.draw_series(std::iter::once(Rectangle::new(
            [
                (0.0, SegmentValue::Exact(i)),
                (b.value, SegmentValue::Exact(i + 1)),
            ],
            colour.filled(),
        )))?;
        chart.draw_series(std::iter::once(Rectangle::new(
            [
                (0.0, SegmentValue::Exact(i)),
                (b.value, SegmentValue::Exact(i + 1)),
            ],
            WHITE.stroke_width(3),
        )))?;
        chart.draw_series(std::iter::once(bar_label(
            format!("{:.1} {}", b.value, c.unit),
            b.value + max * 0.01,
            i,
            14,
        )))?;
    }
    draw_legend(
        &chart.plotting_area().strip_coord_spec(),
        &[
            ("transits Russia".into(), Key::Block(RUSSIA)),
            ("bypasses Russia".into(), Key::Block(BYPASS)),
        ],
        Corner::LowerRight,
    )?;
    root.present()?;
    Ok(())
}

/// How a legend entry shows its series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Key {
    /// A solid line of this width, px.
    Line(RGBColor, u32),
    /// A dashed line of this width, px.
    Dashed(RGBColor, u32),
    /// A filled block (stacked areas, bars).
    Block(RGBColor),
    /// A translucent band with its line (a percentile band around a median).
    Band(RGBColor),
    /// A dot (points).
    Dot(RGBColor),
}

/// Where a legend sits in its plotting area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corner {
    UpperRight,
    LowerRight,
    /// At the right edge of the area given, 10 px down: pass the area a chart was built on,
    /// with [`legend_width`] + 14 px of right margin kept free, and the legend sits beside the
    /// plot, never over the data.
    OutsideRight,
}

/// Width of the legend box [`draw_legend`] draws for `entries`, px.
pub fn legend_width(entries: &[(String, Key)]) -> u32 {
    let text_w = entries
        .iter()
        .map(|(t, _)| text_box(t, 13).0)
        .fold(0.0, f64::max)
        .ceil() as u32;
    10 + 22 + 8 + text_w + 8
}

/// The mark of a legend `key` from x `a` to `b` on row `y`, `half` px high each side.
fn draw_key<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    key: Key,
    (a, b): (i32, i32),
    y: i32,
    half: i32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let line = vec![(a, y), (b, y)];
    match key {
        Key::Line(c, width) => area.draw(&PathElement::new(line, c.stroke_width(width))),
        Key::Dashed(c, width) => area.draw(&plotters::element::DashedPathElement::new(
            line,
            half,
            half / 2 + 1,
            c.stroke_width(width),
        )),
        Key::Block(c) => area.draw(&Rectangle::new(
            [(a, y - half), (b, y + half)],
            c.mix(0.85).filled(),
        )),
        Key::Band(c) => {
            area.draw(&Rectangle::new(
                [(a, y - half), (b, y + half)],
                c.mix(0.25).filled(),
            ))?;
            area.draw(&PathElement::new(line, c.stroke_width(2)))
        }
        Key::Dot(c) => area.draw(&Circle::new(((a + b) / 2, y), half, c.filled())),
    }
}

/// Label positions for `want` (pixel rows, any order) at least `gap` apart within `lo..=hi`,
/// each as near its wish as the others allow; `None` when they do not fit or one would sit
/// more than three gaps from its line (then a legend box serves better).
pub fn spread_labels(want: &[f64], gap: f64, lo: f64, hi: f64) -> Option<Vec<f64>> {
    let n = want.len();
    if n == 0 {
        return Some(vec![]);
    }
    if gap * (n - 1) as f64 > hi - lo {
        return None;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| want[a].total_cmp(&want[b]).then(a.cmp(&b)));
    let mut y: Vec<f64> = order.iter().map(|&i| want[i].clamp(lo, hi)).collect();
    for k in 1..n {
        y[k] = y[k].max(y[k - 1] + gap);
    }
    y[n - 1] = y[n - 1].min(hi);
    for k in (0..n - 1).rev() {
        y[k] = y[k].min(y[k + 1] - gap);
    }
    let mut out = vec![0.0; n];
    for (k, &i) in order.iter().enumerate() {
        if (y[k] - want[i]).abs() > 3.0 * gap || y[k] < lo - 1e-9 {
            return None;
        }
        out[i] = y[k];
    }
    Some(out)
}

/// The series named at the right ends of their lines (14 px right of `x_end`, between 8 px
/// inside the plot's `top` and `bottom`); where they do not fit, `legend` in a box beside the
/// plot.
///
/// # Errors
/// The backend's.
pub fn draw_end_labels_or_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plot: &DrawingArea<DB, Shift>,
    (x_end, top, bottom): (i32, i32, i32),
    entries: &[(String, Key, f64)],
    legend: &[(String, Key)],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let span = (f64::from(top) + 8.0, f64::from(bottom) - 8.0);
    if !draw_direct_labels(root, x_end + 14, entries, span)? {
        draw_legend(plot, legend, Corner::OutsideRight)?;
    }
    Ok(())
}

/// Direct labels right of a plot: each entry's key and name at `x` (absolute px), on the row
/// [`spread_labels`] gives it near `want` (absolute px), with a thin leader when moved. Returns
/// false, drawing nothing, when they do not fit between `lo` and `hi`.
pub fn draw_direct_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    x: i32,
    entries: &[(String, Key, f64)],
    (lo, hi): (f64, f64),
) -> Result<bool, DrawingAreaErrorKind<DB::ErrorType>> {
    let want: Vec<f64> = entries.iter().map(|e| e.2).collect();
    let Some(rows) = spread_labels(&want, 17.0, lo, hi) else {
        return Ok(false);
    };
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    for ((text, key, w), y) in entries.iter().zip(rows) {
        let yi = y.round() as i32;
        if (y - w).abs() > 2.0 {
            root.draw(&PathElement::new(
                vec![(x - 10, w.round() as i32), (x - 2, yi)],
                GREY.stroke_width(1),
            ))?;
        }
        let (a, b) = (x, x + 16);
        draw_key(root, *key, (a, b), yi, 5)?;
        root.draw(&Text::new(
            text.clone(),
            (b + 6, yi),
            (FONT, 13)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(true)
}

/// Width and height of `text` at `size` px as boxes around text reserve them: the embedded
/// font's measure widened by 12% plus 4 px, so a wider substitute (DejaVu Sans, Arial, which
/// Word or Inkscape may use for the SVG) still fits. Text may run over several lines (`\n`).
pub fn text_box(text: &str, size: u32) -> (f64, f64) {
    init_fonts();
    let font = (FONT, size).into_font();
    let mut w: f64 = 0.0;
    let mut h = 0.0;
    for line in text.lines() {
        let (lw, _) = font
            .box_size(line)
            .unwrap_or((size * line.chars().count() as u32 * 6 / 10, size));
        w = w.max(lw as f64);
        h += line_height(size);
    }
    ((w * 1.12).ceil() + 4.0, h)
}

/// Height of one line of text at `size` px, px.
pub fn line_height(size: u32) -> f64 {
    (size as f64 * 1.25).ceil()
}

/// A legend box in a corner of `area` (a chart's plotting area), sized by [`text_box`] so
/// its text fits in any likely font. Returns the box (left, top, right, bottom, px in `area`).
pub fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(String, Key)],
    corner: Corner,
) -> Result<(i32, i32, i32, i32), DrawingAreaErrorKind<DB::ErrorType>> {
    const SIZE_PX: u32 = 13;
    const ROW: i32 = 20;
    let (w, h) = area.dim_in_pixel();
    if entries.is_empty() {
        return Ok((w as i32, 0, w as i32, 0));
    }
    let bw = legend_width(entries) as i32;
    let bh = 8 + ROW * entries.len() as i32 + 4;
    let (x0, y0) = match corner {
        Corner::UpperRight => (w as i32 - bw - 10, 10),
        Corner::LowerRight => (w as i32 - bw - 10, h as i32 - bh - 10),
        Corner::OutsideRight => (w as i32 - bw - 2, 10),
    };
    area.draw(&Rectangle::new(
        [(x0, y0), (x0 + bw, y0 + bh)],
        WHITE.mix(0.92).filled(),
    ))?;
    area.draw(&Rectangle::new([(x0, y0), (x0 + bw, y0 + bh)], GREY))?;
    for (i, (text, key)) in entries.iter().enumerate() {
        let yc = y0 + 8 + ROW * i as i32 + ROW / 2 - 2;
        let (a, b) = (x0 + 10, x0 + 32);
        draw_key(area, *key, (a, b), yc, 6)?;
        area.draw(&Text::new(
            text.clone(),
            (b + 8, yc),
            (FONT, SIZE_PX)
                .into_font()
                .color(&BLACK)
                .pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Left,
                    plotters::style::text_anchor::VPos::Center,
                )),
        ))?;
    }
    Ok((x0, y0, x0 + bw, y0 + bh))
}

/// A chart that can draw itself on any plotters backend.
pub trait Chart {
    fn draw<DB: DrawingBackend>(
        &self,
        root: DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>;
}

impl Chart for CapacityChart {
    fn draw<DB: DrawingBackend>(
        &self,
        root: DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        draw_capacity(root, self)
    }
}

/// Renders the capacity chart to `<stem>.png` and `<stem>.svg`.
///
/// # Errors
/// [`ChartError`] naming the chart or the file.
pub fn render_capacity(c: &CapacityChart, stem: &Path) -> Result<(), ChartError> {
    render(c, stem)
}

/// Renders any chart to `<stem>.png` and `<stem>.svg`.
///
/// # Errors
/// [`ChartError`] naming the chart or the file.
pub fn render<C: Chart>(c: &C, stem: &Path) -> Result<(), ChartError> {
    let (png, svg) = render_bytes(c, &stem.display().to_string())?;
    write_atomic(&stem.with_extension("svg"), svg.as_bytes())?;
    write_atomic(&stem.with_extension("png"), &png)?;
    Ok(())
}

/// Renders any chart to PNG bytes and SVG text; `name` names the chart in errors.
///
/// # Errors
/// [`ChartError::Draw`] or [`ChartError::Png`] naming the chart.
pub fn render_bytes<C: Chart>(c: &C, name: &str) -> Result<(Vec<u8>, String), ChartError> {
    render_bytes_at(c, name, PNG_SCALE)
}

/// As [`render_bytes`], the PNG at `scale` pixels per SVG unit (a 1000-unit chart at scale
/// 3 is 3000 px wide: 300 dpi across 25.4 cm).
///
/// # Errors
/// [`ChartError::Draw`] or [`ChartError::Png`] naming the chart.
pub fn render_bytes_at<C: Chart>(
    c: &C,
    name: &str,
    scale: f32,
) -> Result<(Vec<u8>, String), ChartError> {
    init_fonts();
    let draw_err = |e: String| ChartError::Draw {
        chart: name.to_string(),
        message: e,
    };
    let mut svg = String::new();
    SPLICES.with(|s| s.borrow_mut().clear());
    let drawn = c.draw(SVGBackend::with_string(&mut svg, SIZE).into_drawing_area());
    let splices = SPLICES.with(|s| std::mem::take(&mut *s.borrow_mut()));
    drawn.map_err(|e| draw_err(e.to_string()))?;
    let svg = apply_splices(svg, &splices);
    // The PNG is drawn in the embedded Noto Sans; the SVG names it, with the nearest common
    // fallbacks, so Word and Inkscape do not pick an arbitrary face.
    let svg = tidy_svg(&svg);
    let png = rasterise(&svg, scale).map_err(|e| ChartError::Png {
        chart: name.to_string(),
        message: e,
    })?;
    Ok((png, svg))
}

thread_local! {
    /// SVG fragments a chart hands over while drawing, by marker index.
    static SPLICES: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `#RRGGBB`, as the SVG backend writes a colour.
pub fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// The fill of splice marker `n`: a colour no chart uses.
fn splice_colour(n: usize) -> RGBColor {
    RGBColor(11, 165, n as u8)
}

/// Draws raw SVG that plotters cannot express (a shared path, a clipped group, a dash
/// pattern) at `at` in `area`: `svg` is in pixels from that point. While drawing, a 1 × 1
/// marker stands in its place, so the fragment keeps its order among the other elements; the
/// SVG renderer then puts it there. At most 256 per chart.
///
/// # Errors
/// The backend's, drawing the marker.
pub fn splice<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    svg: String,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let n = SPLICES.with(|s| {
        let mut s = s.borrow_mut();
        s.push(svg);
        s.len() - 1
    });
    area.draw(&Rectangle::new(
        [at, (at.0 + 1, at.1 + 1)],
        splice_colour(n).filled(),
    ))
}

/// Replaces each splice marker in `svg` by its fragment, translated to the marker's place.
fn apply_splices(mut svg: String, splices: &[String]) -> String {
    for (n, fragment) in splices.iter().enumerate() {
        let c = splice_colour(n);
        let fill = format!("fill=\"{}\"", hex(c));
        let Some(at) = svg.find(&fill) else { continue };
        let (Some(start), Some(len)) = (svg[..at].rfind("<rect"), svg[at..].find("/>")) else {
            continue;
        };
        let tag = &svg[start..at];
        let attr = |name: &str| -> String {
            tag.split_once(&format!(" {name}=\""))
                .and_then(|(_, r)| r.split('"').next())
                .unwrap_or("0")
                .to_string()
        };
        let group = format!(
            "<g transform=\"translate({} {})\">{fragment}</g>",
            attr("x"),
            attr("y")
        );
        svg.replace_range(start..at + len + 2, &group);
    }
    svg
}

/// The SVG that plotters writes, made lighter without changing what it draws: the font named
/// once on the root (with the nearest common fallbacks for Word and Inkscape) instead of on
/// every text, the defaults (`opacity="1"`, `text-anchor="start"`, `stroke="none"`, a
/// black fill) dropped, `dy="0.76em"` folded into `y`, font sizes to 0.01 px, and every polyline and polygon
/// simplified to within 0.25 px (Ramer–Douglas–Peucker: a step curve of 2,000 points keeps
/// only its corners).
pub fn tidy_svg(svg: &str) -> String {
    let svg = svg
        .replacen(
            "<svg ",
            &format!("<svg font-family=\"{SVG_FONT_FAMILY}\" "),
            1,
        )
        .replace(&format!(" font-family=\"{FONT}\""), "")
        .replace(" opacity=\"1\"", "")
        .replace(" text-anchor=\"start\"", "")
        .replace(" stroke=\"none\" stroke-width=\"1\"", "")
        .replace(" stroke=\"none\"", "")
        .replace(" fill=\"#000000\"", "");
    fit_texts(&merge_polylines(&simplify_all(&svg)))
}

/// Every `<text>` given the width it has in the embedded Noto Sans (`textLength`, to the
/// pixel; the letter spacing adjusts), so a browser or an editor that lays it out in another
/// face keeps it inside the box drawn for it.
fn fit_texts(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len() + svg.len() / 8);
    let mut rest = svg;
    while let Some(i) = rest.find("<text ") {
        let Some(close) = rest[i..].find('>').map(|c| i + c) else {
            break;
        };
        let Some(end) = rest[close..].find("</text>").map(|e| close + e) else {
            break;
        };
        let tag = &rest[i..close];
        let content = unescape_xml(rest[close + 1..end].trim());
        let size = tag
            .split_once(" font-size=\"")
            .and_then(|(_, r)| r.split('"').next())
            .and_then(|v| v.parse::<f32>().ok());
        out.push_str(&rest[..i]);
        out.push_str(&baseline_to_y(tag, size));
        if let Some(size) = size.filter(|_| !content.is_empty() && !tag.contains("textLength")) {
            let _ = write!(out, " textLength=\"{:.0}\"", advance_width(&content, size));
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// A text tag whose `dy="0.76em"` (plotters' top alignment) is folded into its `y`, to the
/// 0.01 px.
fn baseline_to_y(tag: &str, size: Option<f32>) -> String {
    let y = tag
        .split_once(" y=\"")
        .and_then(|(_, r)| r.split('"').next())
        .and_then(|v| v.parse::<f64>().ok().map(|y| (v, y)));
    match (y, size) {
        (Some((text, y)), Some(size)) if tag.contains(" dy=\"0.76em\"") => {
            let moved = ((y + 0.76 * f64::from(size)) * 100.0).round() / 100.0;
            tag.replacen(" dy=\"0.76em\"", "", 1).replacen(
                &format!(" y=\"{text}\""),
                &format!(" y=\"{moved}\""),
                1,
            )
        }
        _ => tag.to_string(),
    }
}

/// XML text with the five predefined entities decoded.
pub fn unescape_xml(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The advance width of `text` set in the embedded Noto Sans at `size` (em, px), with
/// kerning.
pub fn advance_width(text: &str, size: f32) -> f32 {
    use ab_glyph::{Font, FontRef, ScaleFont};
    static NOTO: std::sync::OnceLock<Option<FontRef<'static>>> = std::sync::OnceLock::new();
    let Some(font) = NOTO.get_or_init(|| FontRef::try_from_slice(ttf_noto_sans::REGULAR).ok())
    else {
        return size * 0.55 * text.chars().count() as f32;
    };
    // ab_glyph scales by the font's height (ascent − descent); `size` is the em.
    let em = font.units_per_em().unwrap_or(1000.0);
    let scale = ab_glyph::PxScale::from(size * font.height_unscaled() / em);
    let scaled = font.as_scaled(scale);
    let mut w = 0.0;
    let mut prev = None;
    for c in text.chars() {
        let g = scaled.glyph_id(c);
        if let Some(p) = prev {
            w += scaled.kern(p, g);
        }
        w += scaled.h_advance(g);
        prev = Some(g);
    }
    w
}

/// Every `points` list simplified and every font size rounded.
fn simplify_all(svg: &str) -> String {
    const KEYS: [&str; 2] = [" points=\"", " font-size=\""];
    let mut out = String::with_capacity(svg.len());
    // Where each key next occurs at or after `at` (absolute), found again only once passed:
    // searching for both from every hit was quadratic in a chart with thousands of labels.
    let find = |k: usize, from: usize| svg[from..].find(KEYS[k]).map(|i| from + i);
    let mut next = [find(0, 0), find(1, 0)];
    let mut at = 0;
    loop {
        for (k, n) in next.iter_mut().enumerate() {
            if n.is_some_and(|i| i < at) {
                *n = find(k, at);
            }
        }
        let Some((i, k)) = next
            .iter()
            .enumerate()
            .filter_map(|(k, n)| n.map(|i| (i, k)))
            .min()
        else {
            out.push_str(&svg[at..]);
            return out;
        };
        let key = KEYS[k];
        let body = i + key.len();
        let Some(len) = svg[body..].find('"') else {
            out.push_str(&svg[at..]);
            return out;
        };
        out.push_str(&svg[at..body]);
        let value = &svg[body..body + len];
        at = body + len;
        if k == 0 {
            out.push_str(&simplify_points(value));
        } else {
            match value.parse::<f64>() {
                Ok(v) => out.push_str(&format!("{}", (v * 100.0).round() / 100.0)),
                Err(_) => out.push_str(value),
            }
        }
    }
}

/// Runs of opaque polylines with the same stroke (axis ticks, dashes), and runs of mesh
/// lines, as one `<path>` each, in relative coordinates: the same pixels, a third of the
/// bytes. (A translucent polyline stays on its own, since merging would change where its
/// overlaps darken.)
fn merge_polylines(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut run: Option<(String, String)> = None;
    let flush = |out: &mut String, run: &mut Option<(String, String)>| {
        if let Some((attrs, d)) = run.take() {
            let _ = writeln!(out, "<path {attrs} d=\"{}\"/>", d.trim_end());
        }
    };
    for line in svg.lines() {
        if let Some((attrs, d)) = grid_line(line) {
            if run.as_ref().is_some_and(|(a, _)| *a != attrs) {
                flush(&mut out, &mut run);
            }
            run.get_or_insert_with(|| (attrs, String::new()))
                .1
                .push_str(&d);
            continue;
        }
        let parsed = line
            .strip_prefix("<polyline ")
            .and_then(|l| l.strip_suffix("/>"))
            .filter(|l| !l.contains("opacity="))
            .and_then(|l| {
                let (attrs, rest) = l.split_once(" points=\"")?;
                let (points, tail) = rest.split_once('"')?;
                tail.trim().is_empty().then_some((attrs, points))
            });
        let Some((attrs, points)) = parsed else {
            flush(&mut out, &mut run);
            out.push_str(line);
            out.push('\n');
            continue;
        };
        if run.as_ref().is_some_and(|(a, _)| a != attrs) {
            flush(&mut out, &mut run);
        }
        let d = &mut run
            .get_or_insert_with(|| (attrs.to_string(), String::new()))
            .1;
        let mut last: Option<(i64, i64)> = None;
        for p in points.split_whitespace() {
            let xy = p
                .split_once(',')
                .and_then(|(x, y)| Some((x.parse::<i64>().ok()?, y.parse::<i64>().ok()?)));
            let Some((x, y)) = xy else {
                // Not integer pixels: keep the point as written.
                let _ = write!(
                    d,
                    "{}{} ",
                    if last.is_none() { "M" } else { "L" },
                    p.replace(',', " ")
                );
                last = Some((i64::MIN, i64::MIN));
                continue;
            };
            match last {
                Some((lx, ly)) if lx != i64::MIN => {
                    let _ = write!(d, "l{} {} ", x - lx, y - ly);
                }
                Some(_) => {
                    let _ = write!(d, "L{x} {y} ");
                }
                None => {
                    let _ = write!(d, "M{x} {y} ");
                }
            }
            last = Some((x, y));
        }
    }
    flush(&mut out, &mut run);
    out
}

/// A `<line>` (plotters draws the mesh with them) as its attributes and a path segment
/// (`M x1 y1 l dx dy `), to merge with the lines beside it. A run of translucent grid lines
/// then draws its crossings once: a shade lighter there, and nowhere else.
fn grid_line(line: &str) -> Option<(String, String)> {
    let body = line.strip_prefix("<line ")?.strip_suffix("/>")?;
    let mut attrs = Vec::new();
    let mut xy = [None; 4];
    for part in body.split_whitespace() {
        let (k, v) = part.split_once('=')?;
        let v = v.trim_matches('"');
        match ["x1", "y1", "x2", "y2"].iter().position(|n| *n == k) {
            Some(i) => xy[i] = Some(v.parse::<i64>().ok()?),
            None => attrs.push(part),
        }
    }
    let [Some(x1), Some(y1), Some(x2), Some(y2)] = xy else {
        return None;
    };
    Some((
        attrs.join(" "),
        format!("M{x1} {y1} l{} {} ", x2 - x1, y2 - y1),
    ))
}

/// `x,y x,y …` simplified to within 0.25 units, repeated points dropped; unchanged if it does
/// not parse.
fn simplify_points(points: &str) -> String {
    use geo::Simplify;
    let parsed: Option<Vec<(f64, f64)>> = points
        .split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',')?;
            Some((x.parse().ok()?, y.parse().ok()?))
        })
        .collect();
    let Some(mut pts) = parsed else {
        return points.to_string();
    };
    pts.dedup();
    let line: geo::LineString<f64> = pts.into();
    let simple = if line.0.len() > 2 {
        line.simplify(0.25)
    } else {
        line
    };
    let mut out = String::new();
    for c in simple.coords() {
        let _ = write!(out, "{},{} ", c.x, c.y);
    }
    out
}

/// Pixels per SVG unit in the PNGs: 2, so a 1000 × 620 chart is 2000 × 1240 px, sharp on
/// high-density screens and at about 200 dpi across a 25 cm page.
pub const PNG_SCALE: f32 = 2.0;

/// The fonts the rasteriser may use: the embedded Noto Sans only (no system fonts), which
/// also stands in for the generic `sans-serif`.
fn font_db() -> std::sync::Arc<resvg::usvg::fontdb::Database> {
    static DB: std::sync::OnceLock<std::sync::Arc<resvg::usvg::fontdb::Database>> =
        std::sync::OnceLock::new();
    DB.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(ttf_noto_sans::REGULAR.to_vec());
        db.set_sans_serif_family("Noto Sans");
        std::sync::Arc::new(db)
    })
    .clone()
}

/// Draws `svg` as a PNG at `scale` pixels per unit, on white, with the embedded font.
///
/// # Errors
/// The message of a parse, size or encoding failure.
pub fn rasterise(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    use resvg::{tiny_skia, usvg};
    let opt = usvg::Options {
        fontdb: font_db(),
        font_family: "Noto Sans".into(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| e.to_string())?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or("the chart has no size")?;
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("the chart has no size")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| e.to_string())
}

/// Encodes an RGB8 buffer as PNG.
pub fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header()?;
        writer.write_image_data(rgb)?;
    }
    Ok(out)
}

/// Month names for date labels.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The ticks of a date axis over `dates` (`YYYY-MM-DD`, one per day): (day index, label) at
/// calendar starts chosen by the span: Mondays up to 62 days (`5 Jan`, the year added on the
/// first tick and on a new year), month starts up to 550 days (`Jan 2026`), quarter starts up
/// to 1,500 days (`Apr 2026`), year starts beyond (`2027`). Dates that do not parse give no
/// ticks.
pub fn date_ticks(dates: &[String]) -> Vec<(usize, String)> {
    let Some(first) = dates.first().and_then(|d| crate::model::Date::parse(d)) else {
        return Vec::new();
    };
    let n = dates.len();
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut last_year = None;
    for t in 0..n {
        let d = first.plus(t as i64);
        let (y, m, day) = d.ymd();
        let month = MONTHS[(m - 1) as usize];
        let label = if n <= 62 {
            // 1970-01-01 was a Thursday: Monday is (days + 3) mod 7 = 0.
            if (d.days + 3).rem_euclid(7) != 0 {
                continue;
            }
            if last_year == Some(y) {
                format!("{day} {month}")
            } else {
                format!("{day} {month} {y}")
            }
        } else if n <= 550 {
            if day != 1 {
                continue;
            }
            format!("{month} {y}")
        } else if n <= 1500 {
            if day != 1 || (m - 1) % 3 != 0 {
                continue;
            }
            format!("{month} {y}")
        } else {
            if day != 1 || m != 1 {
                continue;
            }
            y.to_string()
        };
        last_year = Some(y);
        out.push((t, label));
    }
    out
}

/// The x axis of a daily chart: day indexes 0…n − 1, with ticks at `keys` only (calendar
/// starts from [`date_ticks`]) instead of plotters' evenly spaced numbers.
pub struct DayAxis {
    inner: plotters::coord::types::RangedCoordf64,
    keys: Vec<f64>,
}

impl DayAxis {
    /// Days 0…n − 1 with ticks at `keys`.
    pub fn new(n: usize, keys: &[f64]) -> Self {
        DayAxis {
            inner: (0f64..(n.max(2) - 1) as f64).into(),
            keys: keys.to_vec(),
        }
    }
}

impl Ranged for DayAxis {
    type FormatOption = plotters::coord::ranged1d::DefaultFormatting;
    type ValueType = f64;
    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }
    fn key_points<H: plotters::coord::ranged1d::KeyPointHint>(&self, _hint: H) -> Vec<f64> {
        self.keys.clone()
    }
    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }
}

/// A date axis over `dates`: its tick positions (day indexes) and the label of a position.
pub fn date_axis(dates: &[String]) -> (Vec<f64>, impl Fn(&f64) -> String + '_ + use<'_>) {
    let ticks = date_ticks(dates);
    let keys = ticks.iter().map(|(t, _)| *t as f64).collect();
    let label = move |x: &f64| {
        ticks
            .iter()
            .find(|(t, _)| (*t as f64 - x).abs() < 0.5)
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    };
    (keys, label)
}

/// An axis number as a report prints it: no needless decimals (`200`, not `200.0`), up to
/// three significant decimals otherwise (`0.25`), and thousands separated (`1,200`).
pub fn axis_number(v: &f64) -> String {
    let v = if v.abs() < 1e-9 { 0.0 } else { *v };
    let text = if (v - v.round()).abs() < 1e-9 {
        format!("{:.0}", v)
    } else {
        let t = format!("{v:.3}");
        t.trim_end_matches('0').to_string()
    };
    let (sign, digits) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |d| ("-", d));
    let (int, frac) = digits
        .split_once('.')
        .map_or((digits, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tidy_tests {
    use super::*;

    #[test]
    fn collinear_and_repeated_points_go_and_corners_stay() {
        assert_eq!(simplify_points("0,0 1,0 1,0 2,0 3,0 3,5 "), "0,0 3,0 3,5 ");
        // A bump of a whole pixel is kept.
        assert_eq!(simplify_points("0,0 1,1 2,0 "), "0,0 1,1 2,0 ");
        assert_eq!(simplify_points("not points"), "not points");
    }

    #[test]
    fn opaque_polylines_of_one_stroke_merge_into_one_relative_path() {
        let svg = "<svg>\n<polyline fill=\"none\" stroke=\"#000000\" stroke-width=\"1\" points=\"0,0 10,0 \"/>\n<polyline fill=\"none\" stroke=\"#000000\" stroke-width=\"1\" points=\"0,5 10,5 \"/>\n<polyline fill=\"none\" opacity=\"0.5\" stroke=\"#000000\" stroke-width=\"1\" points=\"0,9 10,9 \"/>\n</svg>\n";
        assert_eq!(
            merge_polylines(svg),
            "<svg>\n<path fill=\"none\" stroke=\"#000000\" stroke-width=\"1\" d=\"M0 0 l10 0 M0 5 l10 0\"/>\n<polyline fill=\"none\" opacity=\"0.5\" stroke=\"#000000\" stroke-width=\"1\" points=\"0,9 10,9 \"/>\n</svg>\n"
        );
    }

    #[test]
    fn a_splice_replaces_its_marker_in_drawing_order() {
        struct Two;
        impl Chart for Two {
            fn draw<DB: DrawingBackend>(
                &self,
                root: DrawingArea<DB, Shift>,
            ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
                root.fill(&WHITE)?;
                let inner = root.margin(10, 0, 20, 0);
                splice(&inner, (5, 6), "<circle r=\"3\"/>".into())?;
                root.draw(&Rectangle::new([(0, 0), (4, 4)], RED.filled()))
            }
        }
        let (_, svg) = render_bytes(&Two, "two").unwrap();
        let at = svg.find("<g transform=\"translate(25 16)\"><circle r=\"3\"/></g>");
        let red = svg.find("fill=\"#FF0000\"");
        assert!(at.is_some() && red.is_some() && at < red, "{svg}");
        assert!(!svg.contains("#0BA500"), "{svg}");
    }
}
