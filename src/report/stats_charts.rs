//! Charts of Monte Carlo and comparison results, rebuilt from `mc_replicates.csv` and
//! `compare.csv`.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart::{Chart, PALETTE, axis_number, bar_label, frame, legend};
use super::timeseries::ChartDataError;

const FONT: &str = "sans-serif";

use super::rows::{CompareReplicateRow, CompareRow, ReplicateRow, from_csv};

/// Annual lost exports of one Monte Carlo run.
#[derive(Debug, Clone, PartialEq)]
pub struct LossSeries {
    pub name: String,
    /// Sorted ascending, Mt.
    pub losses: Vec<f64>,
}

impl LossSeries {
    /// The columns of `compare/replicates.csv` the chart needs.
    pub const NEEDS_LONG: &[&str] = &["variant", "lost_exports_mt"];
    /// The column of `mc_replicates.csv` the chart needs.
    pub const NEEDS: &[&str] = &["lost_exports_mt"];

    /// One series per variant of `compare/replicates.csv` rows, in order of first appearance.
    pub fn of_long(rows: &[CompareReplicateRow]) -> Vec<Self> {
        let mut out: Vec<LossSeries> = Vec::new();
        for r in rows {
            let x = r.lost_exports_mt.0;
            match out.iter_mut().find(|s| s.name == r.variant) {
                Some(s) => s.losses.push(x),
                None => out.push(LossSeries {
                    name: r.variant.clone(),
                    losses: vec![x],
                }),
            }
        }
        for s in &mut out {
            s.losses.sort_by(f64::total_cmp);
        }
        out
    }

    /// The column of `mc_replicates.csv` the data-loss chart needs.
    pub const NEEDS_DATA: &[&str] = &["data_outage_hours"];

    /// The series of `mc_replicates.csv` rows: lost exports, or data outage hours.
    pub fn of_replicates(rows: &[ReplicateRow], name: &str, measure: LossMeasure) -> Self {
        let mut losses: Vec<f64> = rows
            .iter()
            .map(|r| match measure {
                LossMeasure::OilMt => r.lost_exports_mt.0,
                LossMeasure::DataHours => r.data_outage_hours.0,
            })
            .collect();
        losses.sort_by(f64::total_cmp);
        LossSeries {
            name: name.into(),
            losses,
        }
    }

    /// Reads a long table with `variant` and `lost_exports_mt` columns (`compare/replicates.csv`):
    /// one series per variant, in order of first appearance.
    pub fn from_long(file: &str, text: &str) -> Result<Vec<Self>, ChartDataError> {
        Ok(Self::of_long(&from_csv(file, text, Self::NEEDS_LONG)?))
    }

    /// Reads `mc_replicates.csv`.
    pub fn from_replicates(
        file: &str,
        text: &str,
        name: &str,
        measure: LossMeasure,
    ) -> Result<Self, ChartDataError> {
        let needs = match measure {
            LossMeasure::OilMt => Self::NEEDS,
            LossMeasure::DataHours => Self::NEEDS_DATA,
        };
        Ok(Self::of_replicates(
            &from_csv(file, text, needs)?,
            name,
            measure,
        ))
    }
    pub fn mean(&self) -> f64 {
        self.losses.iter().sum::<f64>() / self.losses.len().max(1) as f64
    }
    /// Mean of the worst 5%.
    pub fn cvar95(&self) -> f64 {
        let k =
            ((0.05 * self.losses.len() as f64).ceil() as usize).clamp(1, self.losses.len().max(1));
        self.losses.iter().rev().take(k).sum::<f64>() / k as f64
    }
}

/// What a loss distribution measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LossMeasure {
    /// Annual lost exports, Mt (`lost_exports_mt`).
    #[default]
    OilMt,
    /// Annual data losses as hours of full national outage, h (`data_outage_hours`).
    DataHours,
}

impl LossMeasure {
    /// The unit in marks, e.g. `Mt`.
    pub fn unit(self) -> &'static str {
        match self {
            LossMeasure::OilMt => "Mt",
            LossMeasure::DataHours => "h",
        }
    }
    /// The x-axis description.
    pub fn axis(self) -> &'static str {
        match self {
            LossMeasure::OilMt => "Annual lost exports (Mt)",
            LossMeasure::DataHours => "Annual data losses, hours of full national outage (h)",
        }
    }
}

/// Cumulative distribution of annual losses, one line per run.
#[derive(Debug, Clone, PartialEq)]
pub struct LossChart {
    pub title: String,
    pub series: Vec<LossSeries>,
    pub measure: LossMeasure,
}

impl Chart for LossChart {
    fn draw<DB: DrawingBackend>(
        &self,
        root: DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let max = self
            .series
            .iter()
            .flat_map(|s| s.losses.last())
            .copied()
            .fold(0.1, f64::max)
            * 1.05;
        let marks: Vec<String> = self
            .series
            .iter()
            .map(|s| {
                let u = self.measure.unit();
                format!(
                    "{}: mean {:.2} {u}, CVaR95 {:.2} {u}",
                    s.name,
                    s.mean(),
                    s.cvar95()
                )
            })
            .collect();
        let plot = frame(
            &root,
            &self.title,
            &format!(
                "Cumulative distribution over {} simulated years; dashed: mean; dotted: CVaR95 (mean of the worst 5% of years).",
                self.series.first().map_or(0, |s| s.losses.len())
            ),
            "Source: corridor run (mc_replicates.csv) or corridor compare (compare/replicates.csv).",
        )?;
        let mut chart = ChartBuilder::on(&plot)
            .margin_right(25)
            .margin_top(10)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(0f64..max, 0f64..100f64)?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .x_desc(self.measure.axis())
            .x_label_formatter(&axis_number)
            .y_label_formatter(&axis_number)
            .y_desc("Share of simulated years with a smaller loss (%)")
            .axis_desc_style((FONT, 16))
            .label_style((FONT, 13))
            .draw()?;
        for (k, s) in self.series.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let n = s.losses.len().max(1) as f64;
            let pts: Vec<(f64, f64)> = s
                .losses
                .iter()
                .enumerate()
                .map(|(i, x)| (*x, 100.0 * (i + 1) as f64 / n))
                .collect();
            chart
                .draw_series(LineSeries::new(pts, colour.stroke_width(2)))?
                .label(marks[k].clone())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 14, y)], colour.stroke_width(2))
                });
            chart.draw_series(DashedLineSeries::new(
                vec![(s.mean(), 0.0), (s.mean(), 100.0)],
                6,
                4,
                colour.stroke_width(1),
            ))?;
            chart.draw_series(DashedLineSeries::new(
                vec![(s.cvar95(), 0.0), (s.cvar95(), 100.0)],
                2,
                3,
                colour.stroke_width(2),
            ))?;
        }
        legend(&mut chart)?;
        root.present()
    }
}

/// One option of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionRow {
    pub id: String,
    /// Avoided loss, oil and data, $m per year: mean, low, high.
    pub avoided: (f64, f64, f64),
    /// Benefit/cost ratio with CI; NaN when the option costs nothing.
    pub bc: (f64, f64, f64),
}

/// Avoided loss and benefit/cost per option, with 95% CI whiskers, in ranked order.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionsChart {
    pub title: String,
    pub rows: Vec<OptionRow>,
}

impl OptionsChart {
    /// The columns of `compare.csv` the chart needs.
    pub const NEEDS: &[&str] = &[
        "variant",
        "total_avoided_usd",
        "total_avoided_usd_lo",
        "total_avoided_usd_hi",
        "benefit_cost",
        "benefit_cost_lo",
        "benefit_cost_hi",
    ];

    /// From `compare.csv` rows (already ranked by net benefit); the status quo is left out.
    pub fn of_rows(rows: &[CompareRow], title: &str) -> Self {
        let nan = |x: Option<super::rows::F4>| x.map_or(f64::NAN, |v| v.0);
        OptionsChart {
            title: title.into(),
            rows: rows
                .iter()
                .filter(|r| r.variant != "status-quo")
                .map(|r| OptionRow {
                    id: r.variant.clone(),
                    avoided: (
                        r.total_avoided_usd.0 / 1e6,
                        r.total_avoided_usd_lo.0 / 1e6,
                        r.total_avoided_usd_hi.0 / 1e6,
                    ),
                    bc: (
                        nan(r.benefit_cost),
                        nan(r.benefit_cost_lo),
                        nan(r.benefit_cost_hi),
                    ),
                })
                .collect(),
        }
    }

    /// Reads `compare.csv` (already ranked by net benefit); the status quo is left out.
    pub fn from_compare(file: &str, text: &str, title: &str) -> Result<Self, ChartDataError> {
        Ok(Self::of_rows(&from_csv(file, text, Self::NEEDS)?, title))
    }
}

fn bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[OptionRow],
    pick: impl Fn(&OptionRow) -> (f64, f64, f64),
    desc: &str,
    label_width: u32,
    (reference, value): (Option<f64>, &dyn Fn(f64) -> String),
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let n = rows.len().max(1);
    let vals: Vec<(f64, f64, f64)> = rows.iter().map(&pick).collect();
    let max = vals
        .iter()
        .flat_map(|v| [v.0, v.2])
        .chain(reference)
        .filter(|x| x.is_finite())
        .fold(1e-9, f64::max)
        * 1.15;
    let min = vals
        .iter()
        .flat_map(|v| [v.0, v.1])
        .filter(|x| x.is_finite())
        .fold(0.0, f64::min)
        * 1.15;
    let labels: Vec<String> = rows.iter().rev().map(|r| r.id.clone()).collect();
    let mut chart = ChartBuilder::on(area)
        .margin_right(25)
        .margin_top(10)
        .x_label_area_size(45)
        .y_label_area_size(label_width)
        .build_cartesian_2d(min..max, (0..n - 1).into_segmented())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .x_desc(desc)
        .x_label_formatter(&axis_number)
        .axis_desc_style((FONT, 15))
        .label_style((FONT, 13))
        .y_labels(n)
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .draw()?;
    for (i, v) in vals.iter().rev().enumerate() {
        if !v.0.is_finite() {
            continue;
        }
        if v.0 == 0.0 && v.1 == 0.0 && v.2 == 0.0 {
            // Nothing to draw: a zero-width bar would still leave a hairline.
            continue;
        }
        let colour = if v.0 >= 0.0 { PALETTE[0] } else { PALETTE[5] };
        chart.draw_series(std::iter::once(Rectangle::new(
            [
                (0.0, SegmentValue::Exact(i)),
                (v.0, SegmentValue::Exact(i + 1)),
            ],
            colour.mix(0.85).filled(),
        )))?;
        chart.draw_series(std::iter::once(Rectangle::new(
            [
                (0.0, SegmentValue::Exact(i)),
                (v.0, SegmentValue::Exact(i + 1)),
            ],
            WHITE.stroke_width(4),
        )))?;
        if v.1.is_finite() && v.2.is_finite() {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![
                    (v.1, SegmentValue::CenterOf(i)),
                    (v.2, SegmentValue::CenterOf(i)),
                ],
                BLACK.stroke_width(2),
            )))?;
        }
        // The value, just beyond the bar's end (and its whisker) on the side it grows.
        let end = if v.0 >= 0.0 {
            v.0.max(if v.2.is_finite() { v.2 } else { v.0 })
        } else {
            0.0
        };
        chart.draw_series(std::iter::once(bar_label(
            value(v.0),
            end + (max - min) * 0.01,
            i,
            12,
        )))?;
    }
    // The break-even reference (B/C = 1): left of it an option costs more than it avoids.
    if let Some(r) = reference {
        chart.draw_series(DashedLineSeries::new(
            vec![(r, SegmentValue::Exact(0)), (r, SegmentValue::Exact(n))],
            5,
            4,
            BLACK.stroke_width(1),
        ))?;
    }
    Ok(())
}

impl Chart for OptionsChart {
    fn draw<DB: DrawingBackend>(
        &self,
        root: DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let plot = frame(
            &root,
            &self.title,
            "Against the status quo on the same simulated years; whiskers: 95% confidence intervals from the paired replicates.",
            "Source: corridor compare (compare.csv). Options without a cost have no benefit/cost ratio.",
        )?;
        let (w, _) = plot.dim_in_pixel();
        let label_width = (12
            + 8 * self
                .rows
                .iter()
                .map(|r| r.id.chars().count())
                .max()
                .unwrap_or(8)) as u32;
        let (left, right) = plot.split_horizontally(w / 2);
        bars(
            &left,
            &self.rows,
            |r| r.avoided,
            "Expected loss avoided, oil and data ($m/yr)",
            label_width,
            (None, &|v| format!("${v:.1}m")),
        )?;
        bars(
            &right,
            &self.rows,
            |r| r.bc,
            "Benefit / cost (dashed: 1, break-even)",
            label_width,
            (Some(1.0), &|v| format!("{v:.2}")),
        )?;
        root.present()
    }
}
