//! The hindcast: the table printed by `corridor hindcast` and its chart, drawn from
//! [`HindcastRow`]s only.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::chart::{BYPASS, Chart, FONT, Key, RUSSIA, frame};
use super::rows::HindcastRow;

/// (passed, tested): the toleranced figures within their tolerance, and all toleranced figures.
fn tally(rows: &[HindcastRow]) -> (usize, usize) {
    let tested = rows
        .iter()
        .filter(|r| r.result == "pass" || r.result == "fail")
        .count();
    let passed = rows.iter().filter(|r| r.result == "pass").count();
    (passed, tested)
}

/// Text table of the rows, one line per case.
pub fn table(rows: &[HindcastRow]) -> String {
    let mut out = format!(
        "{:<24} {:<46} {:>10} {:>10} {:>7} {:>9}  {}\n",
        "case", "reported figure", "model", "reported", "ratio", "tolerance", "result"
    );
    for r in rows {
        let show = |x: f64| match r.unit.as_str() {
            "fraction" => format!("{:.1}%", x * 100.0),
            "h" => format!("{x:.1} h"),
            "$m" => format!("${x:.1}m"),
            unit => format!("{x:.3} {unit}"),
        };
        let (m, v) = (
            show(r.model.0),
            r.reported.map_or("–".into(), |x| show(x.0)),
        );
        let ratio = r.ratio.map_or("–".into(), |x| format!("{:.2}", x.0));
        let tol = match (r.tolerance, r.unit.as_str()) {
            (None, _) => "–".to_string(),
            (Some(t), "fraction") => format!("±{:.1} pt", t.0 * 100.0),
            (Some(t), _) => format!("±{:.0}%", t.0 * 100.0),
        };
        let name: String = r.name.chars().take(46).collect();
        let case: String = r.case.chars().take(24).collect();
        out += &format!(
            "{case:<24} {name:<46} {m:>10} {v:>10} {ratio:>7} {tol:>9}  {}\n",
            r.result
        );
    }
    let (passed, tested) = tally(rows);
    out += &format!("{passed} of {tested} toleranced figures within tolerance\n");
    out
}

/// Model / reported for each reported figure, with its tolerance band: a dot per case (blue
/// within tolerance, red outside, grey when shown without a tolerance) on a ratio axis with a
/// line at 1.
#[derive(Debug, Clone)]
pub struct HindcastChart {
    pub title: String,
    pub subtitle: String,
    pub source_line: String,
    pub rows: Vec<HindcastRow>,
}

impl HindcastChart {
    /// The chart of `rows` (those with a ratio).
    pub fn new(rows: &[HindcastRow]) -> Self {
        let (passed, tested) = tally(rows);
        HindcastChart {
            title: "Does the model reproduce history?".into(),
            subtitle: format!(
                "Model ÷ reported for each reported figure; bars: tolerance; {passed} of {tested} toleranced figures within it"
            ),
            source_line: "Reported figures and their sources: scenarios/history/*.toml, [[reported]]. Shares: tolerance in share points, shown as a ratio band.".into(),
            rows: rows.iter().filter(|r| r.ratio.is_some()).cloned().collect(),
        }
    }
}

/// The tolerance band of a row as ratios (low, high).
fn band(r: &HindcastRow) -> Option<(f64, f64)> {
    let t = r.tolerance?.0;
    let v = r.reported?.0;
    if v <= 0.0 {
        return None;
    }
    Some(if r.unit == "fraction" {
        ((v - t) / v, (v + t) / v)
    } else {
        (1.0 - t, 1.0 + t)
    })
}

impl Chart for HindcastChart {
    fn draw<DB: DrawingBackend>(
        &self,
        root: DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let (w, _) = root.dim_in_pixel();
        let plot = frame(&root, &self.title, &self.subtitle, &self.source_line)?;
        let n = self.rows.len().max(1);
        let labels: Vec<String> = self
            .rows
            .iter()
            .map(|r| format!("{}: {}", r.case, r.name))
            .collect();
        let hi = self
            .rows
            .iter()
            .flat_map(|r| [r.ratio.map_or(1.0, |x| x.0), band(r).map_or(1.0, |b| b.1)])
            .fold(2.0f64, f64::max)
            .min(10.0);
        let label_width =
            12 + 8 * labels.iter().map(|l| l.chars().count()).max().unwrap_or(8) as u32;
        let mut chart = ChartBuilder::on(&plot)
            .margin_right(60)
            .margin_top(10)
            .x_label_area_size(50)
            .y_label_area_size(label_width.min(w * 3 / 5))
            .build_cartesian_2d(0.0..hi * 1.05, (0..n - 1).into_segmented())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(TRANSPARENT)
            .x_desc("Model ÷ reported (1 = the reported figure)")
            .axis_desc_style((FONT, 16))
            .label_style((FONT, 13))
            .x_label_formatter(&|x| format!("{x:.1}"))
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_labels(n)
            .draw()?;
        let grey = RGBColor(150, 150, 150);
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(1.0, SegmentValue::Exact(0)), (1.0, SegmentValue::Exact(n))],
            BLACK.stroke_width(1),
        )))?;
        for (i, r) in self.rows.iter().enumerate() {
            if let Some((lo, up)) = band(r) {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [
                        (lo.max(0.0), SegmentValue::CenterOf(i)),
                        (up.min(hi * 1.05), SegmentValue::CenterOf(i)),
                    ],
                    RGBColor(200, 200, 200).stroke_width(10),
                )))?;
            }
            let ratio = r.ratio.map_or(0.0, |x| x.0);
            let colour = match r.result.as_str() {
                "pass" => BYPASS,
                "fail" => RUSSIA,
                _ => grey,
            };
            let x = ratio.min(hi * 1.05);
            chart.draw_series(std::iter::once(Circle::new(
                (x, SegmentValue::CenterOf(i)),
                7,
                colour.filled(),
            )))?;
            chart.draw_series(std::iter::once(Text::new(
                format!("{ratio:.2}"),
                (x + hi * 0.02, SegmentValue::CenterOf(i)),
                (FONT, 13)
                    .into_font()
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            )))?;
        }
        // Upper right: the lowest rows' tolerance bands reach the lower right.
        super::chart::draw_legend(
            &chart.plotting_area().strip_coord_spec(),
            &[
                ("within tolerance".into(), Key::Dot(BYPASS)),
                ("outside tolerance".into(), Key::Dot(RUSSIA)),
                ("no tolerance (shown)".into(), Key::Dot(grey)),
            ],
            super::chart::Corner::UpperRight,
        )?;
        root.present()?;
        Ok(())
    }
}
