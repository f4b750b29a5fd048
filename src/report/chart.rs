//! Report-grade charts rendered with plotters to PNG and SVG, with an embedded font (Noto Sans,
//! from the `ttf-noto-sans` crate), so no system font library is needed.
//!
//! Charts read rows only (the same rows written as CSV).

use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

use super::write::{OutputError, write_atomic};

/// Chart size in pixels (PNG) and user units (SVG).
pub const SIZE: (u32, u32) = (1000, 620);

pub const FONT: &str = "sans-serif";
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

/// Paints the background, title, subtitle and source line; returns the plotting area.
pub fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
    source: &str,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let (_, h) = root.dim_in_pixel();
    let (top, body) = root.split_vertically(70);
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
    let (plot, foot) = body.split_vertically(h as i32 - 70 - 34);
    foot.draw(&Text::new(
        source.to_string(),
        (20, 10),
        (FONT, 13).into_font().color(&GREY),
    ))?;
    Ok(plot)
}

/// Colours for series, in order (colour-blind-safe Okabe–Ito, then greys).
pub const PALETTE: &[RGBColor] = &[
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(240, 228, 66),
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
        chart.draw_series(std::iter::once(Text::new(
            format!("{:.1} {}", b.value, c.unit),
            (b.value + max * 0.01, SegmentValue::CenterOf(i)),
            (FONT, 14)
                .into_font()
                .color(&BLACK)
                .pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Left,
                    plotters::style::text_anchor::VPos::Center,
                )),
        )))?;
    }
    // Legend.
    for (name, colour) in [("transits Russia", RUSSIA), ("bypasses Russia", BYPASS)] {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(0.0, SegmentValue::Exact(0)), (0.0, SegmentValue::Exact(0))],
                colour.filled(),
            )))?
            .label(name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], colour.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.9))
        .border_style(GREY)
        .label_font((FONT, 14))
        .draw()?;
    root.present()?;
    Ok(())
}

/// Draws the series legend in the lower right, on a translucent white box.
pub fn legend<'a, DB: DrawingBackend + 'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    legend_at(chart, SeriesLabelPosition::LowerRight)
}

/// The legend box of [`legend`], at `position`.
pub fn legend_at<'a, DB: DrawingBackend + 'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.9))
        .border_style(GREY)
        .label_font((FONT, 13))
        .draw()
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
    init_fonts();
    let draw_err = |e: String| ChartError::Draw {
        chart: name.to_string(),
        message: e,
    };
    let (w, h) = SIZE;
    let mut svg = String::new();
    c.draw(SVGBackend::with_string(&mut svg, SIZE).into_drawing_area())
        .map_err(|e| draw_err(e.to_string()))?;
    let mut rgb = vec![0u8; (w * h * 3) as usize];
    c.draw(BitMapBackend::with_buffer(&mut rgb, SIZE).into_drawing_area())
        .map_err(|e| draw_err(e.to_string()))?;
    let png = encode_png(&rgb, w, h).map_err(|e| ChartError::Png {
        chart: name.to_string(),
        message: e.to_string(),
    })?;
    Ok((png, svg))
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
