//! The charts of `corridor collect`: one figure across a sweep's cases, drawn from the rows of
//! `sweep.csv`. A sweep of one numeric parameter is a line per run against the parameter; any
//! other sweep is grouped bars, a group per case and a bar per run. Monte Carlo runs carry a
//! 95% interval of their mean (±1.96 standard errors).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart::{
    Chart, Corner, FONT, Key, PALETTE, axis_number, bar_label, draw_legend, frame, legend_width,
    text_box,
};

/// Bars a grouped chart draws at most: past that they are too thin to read, and the chart is
/// not drawn (`sweep.csv` has every row).
pub const MAX_BARS: usize = 60;

/// One figure of one run in one case: the value and, for a Monte Carlo run, the half-width of
/// its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// The figure.
    ///
    /// # Units
    /// The chart's [`SweepChart::unit`] (Mt, or hours of full national outage).
    pub value: f64,
    /// Half the width of the 95% interval of a Monte Carlo mean (1.96 standard errors).
    ///
    /// # Units
    /// As `value`.
    pub half_ci: Option<f64>,
}

/// How the cases are laid out.
#[derive(Debug, Clone, PartialEq)]
pub enum Layout {
    /// A group of bars per case (labelled), a bar per run.
    Bars { cases: Vec<String> },
    /// The cases' values of the one parameter the sweep varies, on the x axis.
    Lines { parameter: String, x: Vec<f64> },
}

/// A sweep's figure across its cases: `values[case][run]`.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepChart {
    pub title: String,
    /// The figure and its unit, e.g. `Lost exports, Mt`.
    pub measure: String,
    /// What the values are, for the subtitle, e.g. `over each run`.
    pub over: String,
    /// The unit written after each value label, e.g. `Mt`.
    pub unit: &'static str,
    pub runs: Vec<String>,
    pub layout: Layout,
    pub values: Vec<Vec<Option<Point>>>,
}

impl SweepChart {
    /// The layout for cases named `names` whose one parameter, if the sweep varies one only,
    /// has the values `single`: lines when every value is a number, each case's differs from
    /// the others' and there are at least three; bars otherwise. `None` when there are more
    /// bars than [`MAX_BARS`].
    pub fn layout(
        names: &[String],
        runs: usize,
        single: Option<(&str, Vec<String>)>,
    ) -> Option<Layout> {
        if let Some((parameter, values)) = single {
            let x: Option<Vec<f64>> = values
                .iter()
                .map(|v| v.trim().parse::<f64>().ok().filter(|x| x.is_finite()))
                .collect();
            if let Some(x) = x {
                let mut distinct = x.clone();
                distinct.sort_by(f64::total_cmp);
                distinct.dedup();
                if distinct.len() >= 3 && distinct.len() == x.len() {
                    return Some(Layout::Lines {
                        parameter: parameter.to_string(),
                        x,
                    });
                }
            }
        }
        (names.len() * runs <= MAX_BARS).then(|| Layout::Bars {
            cases: names.to_vec(),
        })
    }

    fn colour(&self, run: usize) -> RGBColor {
        PALETTE[run % PALETTE.len()]
    }

    fn legend(&self) -> Vec<(String, Key)> {
        self.runs
            .iter()
            .enumerate()
            .map(|(r, name)| match self.layout {
                Layout::Bars { .. } => (name.clone(), Key::Block(self.colour(r))),
                Layout::Lines { .. } => {
                    let name = match self.hidden_under(r) {
                        Some(s) => format!("{name} (hidden: same as {})", self.runs[s]),
                        None => name.clone(),
                    };
                    (name, Key::Line(self.colour(r), 3))
                }
            })
            .collect()
    }

    /// The last run drawn after run `r` with exactly its values, which hides `r`'s line.
    fn hidden_under(&self, r: usize) -> Option<usize> {
        let column = |k: usize| -> Vec<Option<Point>> {
            self.values
                .iter()
                .map(|case| case.get(k).copied().flatten())
                .collect()
        };
        let mine = column(r);
        (r + 1..self.runs.len()).rev().find(|&s| column(s) == mine)
    }

    /// The smallest and largest value or interval end, with 0 always in range.
    fn span(&self) -> (f64, f64) {
        let ends = self.values.iter().flatten().flatten().flat_map(|p| {
            let h = p.half_ci.unwrap_or(0.0);
            [p.value - h, p.value + h]
        });
        let (lo, hi) = ends
            .filter(|x| x.is_finite())
            .fold((0.0_f64, 0.0_f64), |(a, b), x| (a.min(x), b.max(x)));
        (lo * 1.12, hi.max(1e-9) * 1.12)
    }

    fn source(&self) -> String {
        let mc = self
            .values
            .iter()
            .flatten()
            .flatten()
            .any(|p| p.half_ci.is_some());
        let mut s = String::from("Source: corridor collect (sweep.csv).");
        if mc {
            s.push_str(" Whiskers: 95% interval of the Monte Carlo mean (±1.96 standard errors).");
        }
        s
    }

    fn draw_bars<DB: DrawingBackend>(
        &self,
        plot: &DrawingArea<DB, Shift>,
        cases: &[String],
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let runs = self.runs.len().max(1);
        // Cases top to bottom in sweep order, their runs in order within; a blank row between
        // cases. Segment 0 is at the bottom.
        let per = runs + 1;
        let n = (cases.len() * per).saturating_sub(1).max(1);
        let row = |c: usize, r: usize| n - 1 - (c * per + r);
        let mut labels = vec![String::new(); n];
        for (c, name) in cases.iter().enumerate() {
            labels[row(c, (runs - 1) / 2)] = name.clone();
        }
        let (lo, hi) = self.span();
        let legend = self.legend();
        let label_width = 12
            + cases
                .iter()
                .map(|c| text_box(c, 13).0 as u32)
                .max()
                .unwrap_or(60);
        let mut chart = ChartBuilder::on(plot)
            .margin_right(legend_width(&legend) + 14)
            .margin_top(10)
            .x_label_area_size(45)
            .y_label_area_size(label_width.min(plot.dim_in_pixel().0 / 3))
            .build_cartesian_2d(lo..hi, (0..n - 1).into_segmented())?;
        super::stats_charts::bar_mesh(&mut chart, &self.measure, &labels)?;
        for (c, case) in self.values.iter().enumerate() {
            for (r, p) in case.iter().enumerate() {
                let (Some(p), i) = (p, row(c, r)) else {
                    continue;
                };
                if p.value != 0.0 {
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [
                            (0.0, SegmentValue::Exact(i)),
                            (p.value, SegmentValue::Exact(i + 1)),
                        ],
                        self.colour(r).mix(0.85).filled(),
                    )))?;
                }
                let mut end = p.value.max(0.0);
                if let Some(h) = p.half_ci {
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![
                            (p.value - h, SegmentValue::CenterOf(i)),
                            (p.value + h, SegmentValue::CenterOf(i)),
                        ],
                        BLACK.stroke_width(2),
                    )))?;
                    end = end.max(p.value + h);
                }
                chart.draw_series(std::iter::once(bar_label(
                    format!("{:.3} {}", p.value, self.unit),
                    end + (hi - lo) * 0.01,
                    i,
                    12,
                )))?;
            }
        }
        draw_legend(plot, &legend, Corner::OutsideRight)?;
        Ok(())
    }

    fn draw_lines<DB: DrawingBackend>(
        &self,
        plot: &DrawingArea<DB, Shift>,
        parameter: &str,
        x: &[f64],
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let (lo, hi) = self.span();
        let (x0, x1) = x
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(*v), b.max(*v))
            });
        let pad = (x1 - x0).max(1e-9) * 0.04;
        let legend = self.legend();
        let mut chart = ChartBuilder::on(plot)
            .margin_right(legend_width(&legend) + 14)
            .margin_top(10)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d((x0 - pad)..(x1 + pad), lo..hi)?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(225, 225, 225))
            .x_desc(parameter.to_string())
            .y_desc(self.measure.clone())
            .x_label_formatter(&axis_number)
            .y_label_formatter(&axis_number)
            .axis_desc_style((FONT, 15))
            .label_style((FONT, 13))
            .draw()?;
        let mut order: Vec<usize> = (0..x.len()).collect();
        order.sort_by(|a, b| x[*a].total_cmp(&x[*b]));
        for r in 0..self.runs.len() {
            let colour = self.colour(r);
            let points: Vec<(f64, Point)> = order
                .iter()
                .filter_map(|&c| self.values[c].get(r).copied().flatten().map(|p| (x[c], p)))
                .collect();
            chart.draw_series(LineSeries::new(
                points.iter().map(|(x, p)| (*x, p.value)),
                colour.stroke_width(3),
            ))?;
            chart.draw_series(
                points
                    .iter()
                    .map(|(x, p)| Circle::new((*x, p.value), 4, colour.filled())),
            )?;
            for (x, p) in &points {
                if let Some(h) = p.half_ci {
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(*x, p.value - h), (*x, p.value + h)],
                        colour.stroke_width(2),
                    )))?;
                }
            }
        }
        draw_legend(plot, &legend, Corner::OutsideRight)?;
        Ok(())
    }
}

impl Chart for SweepChart {
    fn draw<DB: DrawingBackend>(
        &self,
        root: DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let subtitle = match &self.layout {
            Layout::Bars { .. } => format!(
                "Each case of the sweep, a bar per run (scenario, or scenario + option); {}.",
                self.over
            ),
            Layout::Lines { .. } => format!(
                "Against the parameter the sweep varies, a line per run (scenario, or scenario + option); {}.",
                self.over
            ),
        };
        let plot = frame(&root, &self.title, &subtitle, &self.source())?;
        match &self.layout {
            Layout::Bars { cases } => self.draw_bars(&plot, cases)?,
            Layout::Lines { parameter, x } => self.draw_lines(&plot, parameter, x)?,
        }
        root.present()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("case {i}")).collect()
    }

    fn values(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn one_numeric_parameter_with_three_values_is_a_line_chart_and_anything_else_bars() {
        let lines = SweepChart::layout(&names(3), 2, Some(("x", values(&["2", "0.5", "1e1"]))));
        assert_eq!(
            lines,
            Some(Layout::Lines {
                parameter: "x".into(),
                x: vec![2.0, 0.5, 10.0]
            })
        );
        // Two values, a value that is not a number, a repeated value, several parameters.
        for single in [
            Some(("x", values(&["1", "2"]))),
            Some(("x", values(&["1", "2", "\"2026-04-05\""]))),
            Some(("x", values(&["1", "2", "2"]))),
            None,
        ] {
            let n = single.as_ref().map_or(3, |s| s.1.len());
            assert_eq!(
                SweepChart::layout(&names(n), 2, single),
                Some(Layout::Bars { cases: names(n) })
            );
        }
        // Bars up to MAX_BARS; past it, no chart.
        assert!(SweepChart::layout(&names(30), 2, None).is_some());
        assert_eq!(SweepChart::layout(&names(31), 2, None), None);
        // A line chart has no such limit.
        let many: Vec<String> = (0..500).map(|i| i.to_string()).collect();
        assert!(matches!(
            SweepChart::layout(&names(500), 4, Some(("x", many))),
            Some(Layout::Lines { .. })
        ));
    }

    #[test]
    fn a_line_under_a_later_identical_one_is_named_in_the_legend() {
        let p = |v: f64| {
            Some(Point {
                value: v,
                half_ci: None,
            })
        };
        let chart = SweepChart {
            title: "t".into(),
            measure: "m".into(),
            over: "o".into(),
            unit: "Mt",
            runs: vec!["a".into(), "b".into(), "c".into(), "d".into()],
            layout: Layout::Lines {
                parameter: "x".into(),
                x: vec![1.0, 2.0],
            },
            // a = c = d; b differs from all.
            values: vec![
                vec![p(1.0), p(2.0), p(1.0), p(1.0)],
                vec![p(3.0), p(3.0), p(3.0), p(3.0)],
            ],
        };
        let names: Vec<String> = chart.legend().into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            ["a (hidden: same as d)", "b", "c (hidden: same as d)", "d"]
        );
    }
}
