//! Charts of Monte Carlo and comparison results, rebuilt from `mc_replicates.csv` and
//! `compare.csv`.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart::{Chart, Corner, Key, PALETTE, axis_number, bar_label, draw_legend, frame};
use super::timeseries::ChartDataError;

const FONT: &str = "sans-serif";

use super::rows::{CompareReplicateRow, CompareRow, ReplicateRow, from_csv};
use crate::engine::dist::Dist;

/// Decimals of the loss columns (`F4`, `Raw4`): the precision loss curves are held at.
pub const LOSS_DECIMALS: u32 = 4;

/// Annual lost exports of one Monte Carlo run.
#[derive(Debug, Clone, PartialEq)]
pub struct LossSeries {
    pub name: String,
    /// Each year's loss at the tables' four decimals, Mt (or h): a bounded distribution, so a
    /// run of any number of years draws its curve in the same memory.
    pub dist: Dist,
    /// Colour: a [`PALETTE`] slot, or `None` for the status quo (dark grey). Options take the
    /// slot of their id among all options sorted ([`option_slots`]), so an option has the same
    /// colour in the losses overlay and the options chart.
    pub slot: Option<usize>,
}

/// The colour slot of each id: its place among the ids other than `status-quo`, sorted;
/// `None` for the status quo.
pub fn option_slots<'a>(ids: impl IntoIterator<Item = &'a str>) -> impl Fn(&str) -> Option<usize> {
    let mut sorted: Vec<String> = ids
        .into_iter()
        .filter(|id| *id != "status-quo")
        .map(str::to_string)
        .collect();
    sorted.sort();
    sorted.dedup();
    move |id: &str| sorted.iter().position(|s| s == id)
}

/// The colour of a slot: [`PALETTE`], or dark grey for the status quo.
pub fn slot_colour(slot: Option<usize>) -> RGBColor {
    slot.map_or(RGBColor(60, 60, 60), |k| PALETTE[k % PALETTE.len()])
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
                Some(s) => s.dist.add(x),
                None => out.push(LossSeries::of_values(&r.variant, [x], None)),
            }
        }
        let slot = option_slots(rows.iter().map(|r| r.variant.as_str()));
        for s in &mut out {
            s.slot = slot(&s.name);
        }
        out
    }

    /// The series of `values` (at most four decimals count).
    pub fn of_values(
        name: &str,
        values: impl IntoIterator<Item = f64>,
        slot: Option<usize>,
    ) -> Self {
        let mut dist = Dist::new(LOSS_DECIMALS);
        for x in values {
            dist.add(x);
        }
        LossSeries {
            name: name.into(),
            dist,
            slot,
        }
    }

    /// The column of `mc_replicates.csv` the data-loss chart needs.
    pub const NEEDS_DATA: &[&str] = &["data_outage_hours"];

    /// The series of `mc_replicates.csv` rows: lost exports, or data outage hours.
    pub fn of_replicates(rows: &[ReplicateRow], name: &str, measure: LossMeasure) -> Self {
        let values = rows.iter().map(|r| match measure {
            LossMeasure::OilMt => r.lost_exports_mt.0,
            LossMeasure::DataHours => r.data_outage_hours.0,
        });
        Self::of_values(name, values, Some(0))
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
    /// The mean loss (exact at four decimals).
    pub fn mean(&self) -> f64 {
        self.dist.mean()
    }
    /// Mean of the worst 5%.
    pub fn cvar95(&self) -> f64 {
        self.dist.cvar95()
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

/// Loss exceedance curves, one per run: the chance that a year loses at least x, on a log
/// axis with return periods ("1 in 20 years"), so the rare years that drive the tail are as
/// legible as the common ones; each run's mean (dashed) and CVaR95 (dotted) marked.
#[derive(Debug, Clone, PartialEq)]
pub struct LossChart {
    pub title: String,
    pub series: Vec<LossSeries>,
    pub measure: LossMeasure,
}

impl LossSeries {
    /// The exceedance curve as steps: (loss, share of years losing at least that much), exact
    /// at every step drawn ([`Dist::exceedance`]).
    pub fn exceedance(&self) -> Vec<(f64, f64)> {
        self.dist.exceedance()
    }
}

/// Return periods marked on exceedance charts, years.
pub const RETURN_PERIODS: [f64; 10] = [
    2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 10000.0,
];

impl Chart for LossChart {
    fn draw<DB: DrawingBackend>(
        &self,
        root: DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let n = self
            .series
            .iter()
            .map(|s| s.dist.len())
            .max()
            .unwrap_or(1)
            .max(2);
        let max = self.series.iter().map(|s| s.dist.max()).fold(0.1, f64::max) * 1.05;
        let u = self.measure.unit();
        let marks: Vec<String> = self
            .series
            .iter()
            .map(|s| {
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
                "Chance that a year loses at least this much, over {} simulated years (log scale); dashed: mean; dotted: CVaR95 (mean of the worst 5%).",
                axis_number(&(n as f64))
            ),
            "Source: corridor run (mc_replicates.csv) or corridor compare (compare/replicates.csv).",
        )?;
        // Probabilities on a log10 axis, down to one year in n.
        let lo = (1.0 / n as f64).log10();
        let mut chart = ChartBuilder::on(&plot)
            .margin_right(110)
            .margin_top(10)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d(0f64..max, lo..0f64)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(TRANSPARENT)
            .y_labels(0)
            .x_desc(self.measure.axis())
            .x_label_formatter(&axis_number)
            .y_desc("Share of years with at least this loss (%)")
            .axis_desc_style((FONT, 16))
            .label_style((FONT, 13))
            .draw()?;
        // Return-period grid: a light line per period, its chance on the left and "1 in T
        // years" on the right.
        use plotters::style::text_anchor::{HPos, Pos, VPos};
        let grid = RGBColor(215, 215, 215);
        for t in RETURN_PERIODS.into_iter().chain([1.0]) {
            let y = (1.0 / t).log10();
            if y < lo - 1e-9 {
                continue;
            }
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(0.0, y), (max, y)],
                grid.stroke_width(1),
            )))?;
            let (px, py) = chart.backend_coord(&(0.0, y));
            let (qx, _) = chart.backend_coord(&(max, y));
            let pct = 100.0 / t;
            let left = if pct >= 1.0 {
                format!("{pct:.0}%")
            } else {
                format!("{}%", axis_number(&pct))
            };
            root.draw(&Text::new(
                left,
                (px - 8, py),
                (FONT, 13)
                    .into_font()
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
            if t > 1.0 {
                root.draw(&Text::new(
                    format!("1 in {} years", axis_number(&t)),
                    (qx + 8, py),
                    (FONT, 13)
                        .into_font()
                        .color(&RGBColor(90, 90, 90))
                        .pos(Pos::new(HPos::Left, VPos::Center)),
                ))?;
            }
        }
        for s in &self.series {
            let colour = slot_colour(s.slot);
            let pts: Vec<(f64, f64)> = s
                .exceedance()
                .into_iter()
                .map(|(x, p)| (x, p.log10()))
                .collect();
            chart.draw_series(LineSeries::new(pts, colour.stroke_width(2)))?;
            chart.draw_series(DashedLineSeries::new(
                vec![(s.mean(), lo), (s.mean(), 0.0)],
                6,
                4,
                colour.stroke_width(1),
            ))?;
            chart.draw_series(DashedLineSeries::new(
                vec![(s.cvar95(), lo), (s.cvar95(), 0.0)],
                2,
                3,
                colour.stroke_width(2),
            ))?;
        }
        let keys: Vec<(String, Key)> = self
            .series
            .iter()
            .zip(marks)
            .map(|(s, m)| (m, Key::Line(slot_colour(s.slot), 2)))
            .collect();
        draw_legend(
            &chart.plotting_area().strip_coord_spec(),
            &keys,
            Corner::UpperRight,
        )?;
        root.present()
    }
}

/// The title of a Monte Carlo run's `losses` chart, for the scenario named `name`.
pub fn losses_title(name: &str) -> String {
    format!("{name}: annual lost exports")
}

/// The title of a Monte Carlo run's `data_losses` chart.
pub fn data_losses_title(name: &str) -> String {
    format!("{name}: annual data losses, hours of full national outage")
}

/// One option of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionRow {
    pub id: String,
    /// Annual cost, $m per year.
    pub cost: f64,
    /// Colour slot ([`option_slots`]), shared with the losses overlay.
    pub slot: Option<usize>,
    /// Avoided loss, oil and data, $m per year: mean, low, high.
    pub avoided: (f64, f64, f64),
    /// Benefit/cost ratio with CI; NaN when the option costs nothing.
    pub bc: (f64, f64, f64),
}

/// Avoided loss and benefit/cost per option, with 95% CI whiskers, in ranked order, each
/// option in its own colour and labelled with its cost. Options that change nothing on the
/// simulated years (avoided loss 0 with a 0–0 interval) are not drawn as bars: they are
/// named in a note under the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionsChart {
    pub title: String,
    pub rows: Vec<OptionRow>,
}

impl OptionRow {
    /// The option's axis label: its id and annual cost to three significant figures, e.g.
    /// `kcts ($272m/yr)`, `cable ($6.76m/yr)`.
    pub fn label(&self) -> String {
        let c = self.cost;
        let decimals = if c.abs() >= 100.0 || c == 0.0 {
            0
        } else if c.abs() >= 10.0 {
            1
        } else {
            2
        };
        format!("{} (${c:.decimals$}m/yr)", self.id)
    }

    /// Whether the option changed nothing on the simulated years.
    pub fn no_effect(&self) -> bool {
        self.avoided.0.abs() < 5e-7 && self.avoided.1.abs() < 5e-7 && self.avoided.2.abs() < 5e-7
    }
}

impl OptionsChart {
    /// The columns of `compare.csv` the chart needs.
    pub const NEEDS: &[&str] = &[
        "variant",
        "annual_cost_usd",
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
        let slot = option_slots(rows.iter().map(|r| r.variant.as_str()));
        OptionsChart {
            title: title.into(),
            rows: rows
                .iter()
                .filter(|r| r.variant != "status-quo")
                .map(|r| OptionRow {
                    id: r.variant.clone(),
                    cost: r.annual_cost_usd.0 / 1e6,
                    slot: slot(&r.variant),
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

/// Axes of a horizontal bar panel: `desc` under the x axis, `labels` (bottom bar first) beside
/// the bars.
pub(super) fn bar_mesh<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<
        'a,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, RangedSlice>,
    >,
    desc: &str,
    labels: &[String],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .x_desc(desc)
        .x_label_formatter(&axis_number)
        .axis_desc_style((FONT, 15))
        .label_style((FONT, 13))
        .y_labels(labels.len().max(1))
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .draw()
}

/// The y coordinate of a bar panel: one segment per bar.
type RangedSlice =
    plotters::coord::ranged1d::SegmentedCoord<plotters::coord::types::RangedCoordusize>;

/// One panel of horizontal bars: `pick` gives each row's (value, low, high); `value` formats
/// the label beside each bar; `none` is written where a row has no value (NaN).
fn bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[OptionRow],
    pick: impl Fn(&OptionRow) -> (f64, f64, f64),
    desc: &str,
    label_width: u32,
    (reference, value, none): (Option<f64>, &dyn Fn(f64) -> String, &str),
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
    let labels: Vec<String> = rows.iter().rev().map(|r| r.label()).collect();
    let mut chart = ChartBuilder::on(area)
        .margin_right(25)
        .margin_top(10)
        .x_label_area_size(45)
        .y_label_area_size(label_width)
        .build_cartesian_2d(min..max, (0..n - 1).into_segmented())?;
    bar_mesh(&mut chart, desc, &labels)?;
    // Data units per pixel, to keep value labels clear of the reference line.
    let per_px = (max - min) / f64::from(chart.plotting_area().dim_in_pixel().0.max(1));
    for (i, (v, row)) in vals.iter().zip(rows).rev().enumerate() {
        if !v.0.is_finite() {
            chart.draw_series(std::iter::once(bar_label(
                none.to_string(),
                (max - min) * 0.01,
                i,
                12,
            )))?;
            continue;
        }
        if v.0 == 0.0 && v.1 == 0.0 && v.2 == 0.0 {
            // Nothing to draw: a zero-width bar would still leave a hairline.
            continue;
        }
        let colour = slot_colour(row.slot);
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
        let text = value(v.0);
        let mut x = end + (max - min) * 0.01;
        // Past the reference line rather than across it.
        if let Some(r) = reference {
            let w = super::chart::text_box(&text, 12).0 * per_px;
            if x <= r + 3.0 * per_px && x + w >= r - 3.0 * per_px {
                x = r + 4.0 * per_px;
            }
        }
        chart.draw_series(std::iter::once(bar_label(text, x, i, 12)))?;
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
        let (shown, idle): (Vec<OptionRow>, Vec<OptionRow>) =
            self.rows.iter().cloned().partition(|r| !r.no_effect());
        let mut source = String::from(
            "Source: corridor compare (compare.csv). Labels: option (annual cost). Options without a cost have no benefit/cost ratio.",
        );
        if !idle.is_empty() {
            let ids: Vec<&str> = idle.iter().map(|r| r.id.as_str()).collect();
            source.push_str(&format!(
                " No effect on these simulated years (not drawn): {}.",
                ids.join(", ")
            ));
        }
        let plot = frame(
            &root,
            &self.title,
            "Against the status quo on the same simulated years; whiskers: 95% confidence intervals from the paired replicates.",
            &source,
        )?;
        let (w, _) = plot.dim_in_pixel();
        let label_width = 12
            + shown
                .iter()
                .map(|r| super::chart::text_box(&r.label(), 13).0 as u32)
                .max()
                .unwrap_or(60);
        let (left, right) = plot.split_horizontally(w / 2);
        bars(
            &left,
            &shown,
            |r| r.avoided,
            "Expected loss avoided, oil and data ($m/yr)",
            label_width,
            (None, &|v| format!("${v:.1}m"), ""),
        )?;
        bars(
            &right,
            &shown,
            |r| r.bc,
            "Benefit / cost (dashed: 1, break-even)",
            label_width,
            (Some(1.0), &|v| format!("{v:.2}"), "no cost"),
        )?;
        root.present()
    }
}

/// One assumption of a tornado chart: the reference option's net benefit with the assumption
/// at its low and high values, $m/yr.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoBar {
    /// What varies, e.g. `cost of kcts` or `all failure rates`.
    pub assumption: String,
    /// (label, net benefit $m/yr) at the low value, e.g. (`x0.5`, 305.3).
    pub low: (String, f64),
    /// (label, net benefit $m/yr) at the high value.
    pub high: (String, f64),
}

impl TornadoBar {
    /// How far the net benefit moves between the two values, $m/yr.
    pub fn swing(&self) -> f64 {
        (self.high.1 - self.low.1).abs()
    }
}

/// A tornado chart of `compare --sensitivity`: how the net benefit of the option ranked first
/// moves when each assumption is halved and doubled, widest swing on top. Assumptions that do
/// not move it are named in a note instead of drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoChart {
    pub title: String,
    /// The option ranked first as estimated.
    pub option: String,
    /// Its net benefit as estimated, $m/yr.
    pub base: f64,
    /// Widest swing first.
    pub bars: Vec<TornadoBar>,
    /// Assumptions that leave its net benefit unchanged.
    pub idle: Vec<String>,
}

impl TornadoChart {
    /// The columns of `sensitivity.csv` the chart needs.
    pub const NEEDS: &[&str] = &["case", "reference_option", "reference_net_benefit_usd"];

    /// From `sensitivity.csv` rows: the `as estimated` case gives the base; cases named
    /// `<assumption> x<k>` pair up by assumption, the smaller k as the low value.
    pub fn of_rows(rows: &[super::rows::SensitivityRow], title: &str) -> Self {
        let m = |r: &super::rows::SensitivityRow| r.reference_net_benefit_usd.0 / 1e6;
        let base_row = rows.iter().find(|r| r.case == "as estimated");
        let base = base_row.map_or(0.0, m);
        let option = base_row.map_or_else(String::new, |r| r.reference_option.clone());
        // (assumption, [(factor, label, net benefit $m/yr)])
        type Group = (String, Vec<(f64, String, f64)>);
        let mut groups: Vec<Group> = Vec::new();
        for r in rows.iter().filter(|r| r.case != "as estimated") {
            let (what, k) = match r.case.rsplit_once(" x") {
                Some((w, k)) => (w.to_string(), k.parse::<f64>().unwrap_or(f64::NAN)),
                None => (r.case.clone(), f64::NAN),
            };
            let entry = (k, format!("x{}", axis_number(&k)), m(r));
            match groups.iter_mut().find(|g| g.0 == what) {
                Some(g) => g.1.push(entry),
                None => groups.push((what, vec![entry])),
            }
        }
        let mut bars = Vec::new();
        let mut idle = Vec::new();
        for (what, mut v) in groups {
            v.sort_by(|a, b| a.0.total_cmp(&b.0));
            let (lo, hi) = (v[0].clone(), v[v.len() - 1].clone());
            let bar = TornadoBar {
                assumption: what.clone(),
                low: (lo.1, lo.2),
                high: (hi.1, hi.2),
            };
            if (bar.low.1 - base).abs() < 0.05 && (bar.high.1 - base).abs() < 0.05 {
                idle.push(what);
            } else {
                bars.push(bar);
            }
        }
        bars.sort_by(|a, b| {
            b.swing()
                .total_cmp(&a.swing())
                .then_with(|| a.assumption.cmp(&b.assumption))
        });
        TornadoChart {
            title: title.into(),
            option,
            base,
            bars,
            idle,
        }
    }

    /// Reads `sensitivity.csv`.
    pub fn from_csv(file: &str, text: &str, title: &str) -> Result<Self, ChartDataError> {
        Ok(Self::of_rows(&from_csv(file, text, Self::NEEDS)?, title))
    }
}

impl Chart for TornadoChart {
    fn draw<DB: DrawingBackend>(
        &self,
        root: DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let mut source = String::from("Source: corridor compare --sensitivity (sensitivity.csv).");
        if !self.idle.is_empty() {
            source.push_str(&format!(
                " Not moving it (not drawn): {}.",
                self.idle.join(", ")
            ));
        }
        let plot = frame(
            &root,
            &self.title,
            &format!(
                "Net benefit of {}, the option ranked first, when one assumption is halved (x0.5) or doubled (x2); line: as estimated, ${:.1}m/yr.",
                self.option, self.base
            ),
            &source,
        )?;
        let n = self.bars.len().max(1);
        let vals = self
            .bars
            .iter()
            .flat_map(|b| [b.low.1, b.high.1])
            .chain([self.base, 0.0]);
        let (lo, hi) = vals.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
        let pad = (hi - lo).max(1.0) * 0.12;
        let label_width = 16
            + self
                .bars
                .iter()
                .map(|b| super::chart::text_box(&b.assumption, 13).0 as u32)
                .max()
                .unwrap_or(60);
        let labels: Vec<String> = self
            .bars
            .iter()
            .rev()
            .map(|b| b.assumption.clone())
            .collect();
        let mut chart = ChartBuilder::on(&plot)
            .margin_right(30)
            .margin_top(10)
            .x_label_area_size(45)
            .y_label_area_size(label_width)
            .build_cartesian_2d((lo - pad)..(hi + pad), (0..n - 1).into_segmented())?;
        bar_mesh(
            &mut chart,
            "Net benefit of the option ranked first ($m/yr)",
            &labels,
        )?;
        let (low_c, high_c) = (PALETTE[0], PALETTE[5]);
        for (i, b) in self.bars.iter().rev().enumerate() {
            for ((label, v), c) in [(&b.low, low_c), (&b.high, high_c)] {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [
                        (self.base, SegmentValue::Exact(i)),
                        (*v, SegmentValue::Exact(i + 1)),
                    ],
                    c.mix(0.85).filled(),
                )))?;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [
                        (self.base, SegmentValue::Exact(i)),
                        (*v, SegmentValue::Exact(i + 1)),
                    ],
                    WHITE.stroke_width(4),
                )))?;
                // The value beyond the bar's outer end.
                use plotters::style::text_anchor::{HPos, Pos, VPos};
                let right = *v >= self.base;
                let off = (hi - lo).max(1.0) * 0.01;
                chart.draw_series(std::iter::once(Text::new(
                    format!("{label}: {v:.1}"),
                    (
                        if right { v + off } else { v - off },
                        SegmentValue::CenterOf(i),
                    ),
                    (FONT, 12).into_font().color(&BLACK).pos(Pos::new(
                        if right { HPos::Left } else { HPos::Right },
                        VPos::Center,
                    )),
                )))?;
            }
        }
        chart.draw_series(std::iter::once(PathElement::new(
            vec![
                (self.base, SegmentValue::Exact(0)),
                (self.base, SegmentValue::Exact(n)),
            ],
            BLACK.stroke_width(2),
        )))?;
        if lo < 0.0 {
            chart.draw_series(DashedLineSeries::new(
                vec![(0.0, SegmentValue::Exact(0)), (0.0, SegmentValue::Exact(n))],
                5,
                4,
                RGBColor(90, 90, 90).stroke_width(1),
            ))?;
        }
        draw_legend(
            &chart.plotting_area().strip_coord_spec(),
            &[
                ("assumption halved (x0.5)".into(), Key::Block(low_c)),
                ("assumption doubled (x2)".into(), Key::Block(high_c)),
            ],
            Corner::LowerRight,
        )?;
        root.present()
    }
}

/// One portfolio on the frontier chart: annual cost, mean annual loss and CVaR95 of the annual
/// loss, $m/yr, and whether it is on each frontier.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontierPoint {
    pub id: String,
    pub cost: f64,
    pub mean: f64,
    pub cvar95: f64,
    pub on_mean: bool,
    pub on_cvar95: bool,
}

/// `corridor optimise`'s efficient frontier: every portfolio as a point of annual cost against
/// mean loss (left) and against CVaR95 (right), the frontier as a line, each budget dashed and
/// the portfolio chosen within it marked.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontierChart {
    pub title: String,
    pub points: Vec<FrontierPoint>,
    /// Each budget ($m/yr) with the index in `points` of the portfolio chosen within it.
    pub choices: Vec<(f64, usize)>,
}

impl FrontierChart {
    fn panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        y: fn(&FrontierPoint) -> f64,
        on: fn(&FrontierPoint) -> bool,
        y_desc: &str,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let x_max = self
            .points
            .iter()
            .map(|p| p.cost)
            .chain(self.choices.iter().map(|c| c.0.min(1e6)))
            .fold(0.0, f64::max)
            .max(1.0)
            * 1.08;
        // A scatter, not bars: the loss axis spans the points (with a margin), not from zero,
        // so the frontier's shape shows.
        let hi = self.points.iter().map(y).fold(f64::MIN, f64::max);
        let lo = self.points.iter().map(y).fold(f64::MAX, f64::min);
        let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.01).max(1.0);
        let (y_min, y_max) = ((lo - pad).max(0.0), hi + pad);
        let mut chart = ChartBuilder::on(area)
            .margin(14)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d(0f64..x_max, y_min..y_max)?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .x_desc("Annual cost ($m/yr)")
            .y_desc(y_desc)
            .x_label_formatter(&axis_number)
            .y_label_formatter(&axis_number)
            .axis_desc_style((FONT, 16))
            .label_style((FONT, 13))
            .draw()?;
        let grey = RGBColor(170, 170, 170);
        chart.draw_series(
            self.points
                .iter()
                .map(|p| Circle::new((p.cost, y(p)), 4, grey.filled())),
        )?;
        let mut line: Vec<(f64, f64)> = self
            .points
            .iter()
            .filter(|p| on(p))
            .map(|p| (p.cost, y(p)))
            .collect();
        line.sort_by(|a, b| a.0.total_cmp(&b.0));
        let blue = PALETTE[0];
        chart.draw_series(std::iter::once(PathElement::new(
            line.clone(),
            blue.stroke_width(2),
        )))?;
        chart.draw_series(line.iter().map(|&p| Circle::new(p, 5, blue.filled())))?;
        let red = RGBColor(200, 40, 40);
        for &(budget, _) in &self.choices {
            if budget <= x_max {
                chart.draw_series(DashedLineSeries::new(
                    vec![(budget, y_min), (budget, y_max)],
                    6,
                    4,
                    BLACK.stroke_width(1),
                ))?;
            }
        }
        let mut chosen: Vec<usize> = self.choices.iter().map(|c| c.1).collect();
        chosen.sort_unstable();
        chosen.dedup();
        for best in chosen.iter().map(|&b| &self.points[b]) {
            chart.draw_series(std::iter::once(Circle::new(
                (best.cost, y(best)),
                8,
                red.stroke_width(3),
            )))?;
            // The choice's label beside it, on the side with room.
            let (px, _) = chart.backend_coord(&(best.cost, y(best)));
            let right_edge = area.get_pixel_range().0.end;
            let text = super::chart::text_box(&best.id, 14).0 as i32;
            let dx = if px + 14 + text > right_edge - 10 {
                -14 - text
            } else {
                14
            };
            chart.draw_series(std::iter::once(
                EmptyElement::at((best.cost, y(best)))
                    + Text::new(
                        best.id.clone(),
                        (dx, -24),
                        (FONT, 14).into_font().color(&red),
                    ),
            ))?;
        }
        Ok(())
    }
}

impl Chart for FrontierChart {
    fn draw<DB: DrawingBackend>(
        &self,
        root: DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let plot = frame(
            &root,
            &self.title,
            &format!(
                "Grey: every portfolio, same years. Blue: the frontier, which nothing beats on cost and loss. Dashed: budget{} (${}m/yr). Red: the choice{}.",
                if self.choices.len() > 1 { "s" } else { "" },
                self.choices
                    .iter()
                    .map(|c| axis_number(&c.0))
                    .collect::<Vec<_>>()
                    .join(", "),
                if self.choices.len() > 1 { "s" } else { "" }
            ),
            "Source: corridor optimise (portfolios.csv, which names every point). Loss: crude not exported at the scenario's oil price, plus data losses valued.",
        )?;
        let (w, _) = plot.dim_in_pixel();
        let (left, right) = plot.split_horizontally(w / 2);
        self.panel(&left, |p| p.mean, |p| p.on_mean, "Mean annual loss ($m/yr)")?;
        self.panel(
            &right,
            |p| p.cvar95,
            |p| p.on_cvar95,
            "CVaR95 of the annual loss ($m/yr)",
        )?;
        root.present()
    }
}
