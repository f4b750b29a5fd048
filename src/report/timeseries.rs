//! Time-series charts rebuilt from the run's own CSVs: throughput by route (stacked area, with
//! the baseline dashed and the event windows shaded) and resilience curves (performance over
//! time, one line per run, or the median with a P5–P95 band for Monte Carlo).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart::{
    Chart, DayAxis, Key, PALETTE, axis_number, date_axis, draw_end_labels_or_legend, frame,
    legend_width,
};

const FONT: &str = "sans-serif";
const SHADE: RGBColor = RGBColor(230, 230, 230);
/// Width of the y-axis label area of the daily charts, px.
const Y_LABELS_PX: u32 = 70;
/// Margin right of the daily charts' plots, px.
const MARGIN_RIGHT_PX: u32 = 20;

pub use super::rows::ChartDataError;
use super::rows::{BandRow, Daily, from_csv, header_of};
use super::run::EventRow;

/// Daily exports by route, from `daily.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct ThroughputChart {
    pub title: String,
    pub dates: Vec<String>,
    /// (route, kt/day or Gbps, colour slot), routes with any flow, in CSV order; the slot is
    /// the route's place among all the routes of the CSV ([`PALETTE`]), so that a route keeps
    /// its colour whatever else carries flow.
    pub routes: Vec<(String, Vec<f64>, usize)>,
    pub baseline: Vec<f64>,
    /// Event windows: (first day index, last day index, label).
    pub windows: Vec<(usize, usize, String)>,
    /// `None` for crude exports (kt/day against the baseline); for international data, the
    /// served traffic's round-trip time to its destinations per day (ms, weighted by what each
    /// path carries), drawn in a lower panel, with the routes' served
    /// bandwidth (Gbps) stacked against demand.
    pub latency_ms: Option<Vec<f64>>,
}

/// The groups of `daily` that carry anything: (name, values per day), in column order.
fn carrying(
    names: &[String],
    daily: &Daily,
    pick: impl Fn(&super::rows::DailyRow) -> &[super::rows::F4],
) -> Vec<(String, Vec<f64>, usize)> {
    names
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let v: Vec<f64> = daily
                .rows
                .iter()
                .map(|r| pick(r).get(k).map_or(0.0, |x| x.0))
                .collect();
            (name.clone(), v, k)
        })
        .filter(|(_, v, _)| v.iter().any(|x| *x > 0.0))
        .collect()
}

impl ThroughputChart {
    /// The columns of `daily.csv` the crude chart needs (besides the `exports_<route>_kt` group).
    pub const NEEDS: &[&str] = &["date", "baseline_exports_kt"];
    /// The columns of `daily.csv` the data chart needs (besides the `served_<route>_gbps` group).
    pub const NEEDS_DATA: &[&str] = &["date", "data_demand_gbps", "data_latency_ms"];

    /// Crude exports by route against the baseline, from the rows of a run.
    pub fn of_daily(daily: &Daily, title: &str, windows: Vec<(usize, usize, String)>) -> Self {
        ThroughputChart {
            title: title.into(),
            dates: daily.dates(),
            routes: carrying(&daily.columns.routes, daily, |r| &r.route_exports_kt),
            baseline: daily.rows.iter().map(|r| r.baseline_exports_kt.0).collect(),
            windows,
            latency_ms: None,
        }
    }

    /// International data served by route against demand, with the served round-trip time,
    /// from the rows of a run.
    pub fn of_daily_data(daily: &Daily, title: &str, windows: Vec<(usize, usize, String)>) -> Self {
        ThroughputChart {
            title: title.into(),
            dates: daily.dates(),
            routes: carrying(&daily.columns.data_routes, daily, |r| &r.served_gbps),
            baseline: daily.rows.iter().map(|r| r.data_demand_gbps.0).collect(),
            windows,
            latency_ms: Some(daily.rows.iter().map(|r| r.data_latency_ms.0).collect()),
        }
    }

    /// Reads the data columns of `daily.csv`: `served_<route>_gbps`, `data_demand_gbps` and
    /// `data_latency_ms`.
    pub fn from_daily_data(
        file: &str,
        text: &str,
        title: &str,
        windows: Vec<(usize, usize, String)>,
    ) -> Result<Self, ChartDataError> {
        let daily = Daily::from_csv(file, text, Self::NEEDS_DATA)?;
        Ok(Self::of_daily_data(&daily, title, windows))
    }

    /// Reads `daily.csv` text; `windows` come from the run's summary (see [`event_windows`]).
    pub fn from_daily(
        file: &str,
        text: &str,
        title: &str,
        windows: Vec<(usize, usize, String)>,
    ) -> Result<Self, ChartDataError> {
        let daily = Daily::from_csv(file, text, Self::NEEDS)?;
        Ok(Self::of_daily(&daily, title, windows))
    }
}

/// Event windows of a run's events, as day indexes of a run starting on `dates[0]`.
pub fn windows_of(events: &[EventRow], dates: &[String]) -> Vec<(usize, usize, String)> {
    // The run's dates are consecutive days, so sorted: a binary search per event.
    let index = |d: &str| dates.binary_search_by(|x| x.as_str().cmp(d)).ok();
    events
        .iter()
        .filter_map(|e| {
            let s = index(&e.start)
                .or_else(|| (e.start.as_str() < dates.first()?.as_str()).then_some(0))?;
            let end = index(&e.end).unwrap_or(dates.len().saturating_sub(1));
            Some((s, end, e.name.clone()))
        })
        .collect()
}

/// The most event windows a daily chart draws and labels one by one; more are grouped
/// ([`group_windows`]).
pub const MAX_WINDOWS: usize = 24;

/// `windows` as a daily chart draws them: unchanged up to [`MAX_WINDOWS`]; beyond that,
/// grouped into exactly [`MAX_WINDOWS`] spans (a replay of a million outages draws as fast as
/// one of ten). Windows that overlap or touch join first; then the spans separated by the
/// shortest gaps (the earlier one when tied) join until few enough remain. A span of one
/// window keeps its name; a larger one is labelled with its count, `"1,234 events"`. Sorting
/// makes it O(n log n).
pub fn group_windows(windows: &[(usize, usize, String)]) -> Vec<(usize, usize, String)> {
    if windows.len() <= MAX_WINDOWS {
        return windows.to_vec();
    }
    let mut order: Vec<&(usize, usize, String)> = windows.iter().collect();
    order.sort_by_key(|w| (w.0, w.1));
    // (first day, last day, windows, name of the first)
    let mut spans: Vec<(usize, usize, usize, &str)> = Vec::new();
    for w in order {
        match spans.last_mut() {
            Some(s) if w.0 <= s.1 + 1 => {
                s.1 = s.1.max(w.1);
                s.2 += 1;
            }
            _ => spans.push((w.0, w.1, 1, &w.2)),
        }
    }
    if spans.len() > MAX_WINDOWS {
        // Join across the len − MAX shortest gaps.
        let mut gaps: Vec<(usize, usize)> = (1..spans.len())
            .map(|k| (spans[k].0 - spans[k - 1].1, k))
            .collect();
        gaps.sort_unstable();
        let mut join = vec![false; spans.len()];
        for &(_, k) in &gaps[..spans.len() - MAX_WINDOWS] {
            join[k] = true;
        }
        let mut kept: Vec<(usize, usize, usize, &str)> = Vec::with_capacity(MAX_WINDOWS);
        for (k, s) in spans.into_iter().enumerate() {
            match kept.last_mut() {
                Some(p) if join[k] => {
                    p.1 = p.1.max(s.1);
                    p.2 += s.2;
                }
                _ => kept.push(s),
            }
        }
        spans = kept;
    }
    spans
        .into_iter()
        .map(|(a, b, n, name)| {
            let label = if n == 1 {
                name.to_string()
            } else {
                format!(
                    "{} events",
                    crate::model::units::group_thousands(&n.to_string())
                )
            };
            (a, b, label)
        })
        .collect()
}

/// Event windows from a `summary.json` text (only its events' `name`, `start` and `end` are
/// read), as day indexes of a run starting on `dates[0]`.
///
/// # Errors
/// [`ChartDataError`] naming `file` if the text is not JSON with an `events` list.
pub fn event_windows(
    file: &str,
    summary_json: &str,
    dates: &[String],
) -> Result<Vec<(usize, usize, String)>, ChartDataError> {
    #[derive(serde::Deserialize)]
    struct Window {
        name: String,
        start: String,
        end: String,
    }
    #[derive(serde::Deserialize)]
    struct Events {
        events: Vec<Window>,
    }
    let doc: Events = serde_json::from_str(summary_json).map_err(|e| ChartDataError {
        file: file.into(),
        problem: format!("not a summary with events ({e})"),
    })?;
    let events: Vec<EventRow> = doc
        .events
        .into_iter()
        .map(|w| EventRow {
            name: w.name,
            kind: String::new(),
            start: w.start,
            end: w.end,
            recovery_days: 0,
            assets: Vec::new(),
            source: String::new(),
            displaced_kt: 0.0,
        })
        .collect();
    Ok(windows_of(&events, dates))
}

impl Chart for ThroughputChart {
    fn draw<DB: DrawingBackend>(
        &self,
        root: DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let n = self.dates.len().max(2);
        let (keys, fmt) = date_axis(&self.dates);
        let total: Vec<f64> = (0..self.dates.len())
            .map(|t| self.routes.iter().map(|r| r.1[t]).sum())
            .collect();
        let max = total
            .iter()
            .chain(&self.baseline)
            .copied()
            .fold(1.0, f64::max)
            * 1.12;
        let lost: f64 = self
            .baseline
            .iter()
            .zip(&total)
            .map(|(b, x)| (b - x).max(0.0))
            .sum::<f64>()
            / 1000.0;
        // Net of the days above baseline (stored crude shipped once capacity returns): the
        // scenario's lost exports.
        let net: f64 = (self.baseline.iter().sum::<f64>() - total.iter().sum::<f64>()) / 1000.0;
        let (subtitle, y_desc, base_label) = match &self.latency_ms {
            None => (
                if lost - net.max(0.0) >= 0.005 {
                    format!(
                        "Daily crude exports by route (kt/day); dashed: baseline. Shortfall on days below baseline {lost:.2} Mt, {:.2} Mt of it shipped later from storage: lost exports {:.2} Mt.",
                        lost - net.max(0.0),
                        net.max(0.0)
                    )
                } else {
                    format!(
                        "Daily crude exports by route (kt/day); dashed: baseline. Lost exports (shortfall below baseline): {lost:.2} Mt."
                    )
                },
                "Exports (kt/day)",
                "baseline",
            ),
            Some(_) => (
                format!(
                    "International bandwidth served by route (Gbps); dashed: demand. Unserved over the run: {} Tb.",
                    // Σ (demand − served) Gbps·day × 86,400 s/day ÷ 1,000 Gb/Tb; `lost` is that sum ÷ 1,000.
                    axis_number(&(lost * 86_400.0).round())
                ),
                "Served (Gbps)",
                "demand",
            ),
        };
        let plot = frame(
            &root,
            &self.title,
            &subtitle,
            "Source: corridor run (daily.csv); routes in routes/, events as listed in summary.json.",
        )?;
        // The legend, beside the plot (never over the data): the routes top layer first, as
        // stacked, then the baseline.
        let mut legend: Vec<(String, Key)> = self
            .routes
            .iter()
            .rev()
            .map(|(name, _, slot)| (name.clone(), Key::Block(PALETTE[slot % PALETTE.len()])))
            .collect();
        legend.push((base_label.to_string(), Key::Dashed(BLACK, 2)));
        let margin_right = MARGIN_RIGHT_PX + legend_width(&legend) + 14;
        // Event labels in lanes; those that do not fit are numbered, with a key below.
        let (area_w, area_h) = plot.dim_in_pixel();
        let plot_w = f64::from(area_w - Y_LABELS_PX - margin_right);
        let windows = group_windows(&self.windows);
        let (marks, key) = place_event_labels(&windows, n, plot_w);
        let plot = if key.is_empty() {
            plot
        } else {
            let rows = key.len().div_ceil(2);
            let (top, key_area) = plot.split_vertically(area_h as i32 - 8 - 16 * rows as i32);
            let col_w = area_w as f64 / 2.0;
            let chars = ((col_w - 30.0) / 6.6) as usize;
            for (k, (number, name)) in key.iter().enumerate() {
                let mut text = format!("{number}  {name}");
                if text.chars().count() > chars {
                    text = text
                        .chars()
                        .take(chars.saturating_sub(1))
                        .collect::<String>()
                        + "…";
                }
                key_area.draw(&Text::new(
                    text,
                    (
                        (f64::from(Y_LABELS_PX) + (k % 2) as f64 * col_w) as i32,
                        (6 + 16 * (k / 2)) as i32,
                    ),
                    (FONT, 12).into_font().color(&BLACK),
                ))?;
            }
            top
        };
        let (plot, lower) = match &self.latency_ms {
            None => (plot.clone(), None),
            Some(lat) => {
                let (_, h) = plot.dim_in_pixel();
                let (a, b) = plot.split_vertically(h * 64 / 100);
                (a, Some((b, lat)))
            }
        };
        if let Some((area, lat)) = lower {
            let top = lat.iter().copied().fold(1.0, f64::max) * 1.15;
            let mut c = ChartBuilder::on(&area)
                .margin_right(margin_right)
                .margin_top(6)
                .x_label_area_size(40)
                .y_label_area_size(Y_LABELS_PX)
                .build_cartesian_2d(DayAxis::new(n, &keys), 0f64..top)?;
            c.configure_mesh()
                .light_line_style(TRANSPARENT)
                .x_labels(keys.len().max(2))
                .x_label_formatter(&fmt)
                .y_label_formatter(&axis_number)
                .y_labels(4)
                .y_desc("Round-trip time (ms)")
                .axis_desc_style((FONT, 15))
                .label_style((FONT, 13))
                .draw()?;
            c.draw_series(LineSeries::new(
                lat.iter().enumerate().map(|(t, y)| (t as f64, *y)),
                PALETTE[5].stroke_width(2),
            ))?;
        }
        // Headroom above the data for the label lanes, so no curve runs through a label.
        let lanes = marks.iter().map(|m| m.lane + 1).max().unwrap_or(0);
        let data_max = max;
        let max = max / (1.0 - LANE_SHARE * lanes as f64);
        // No tick labels in the lanes: the axis reads only where the data are.
        let y_ticks = |v: &f64| {
            if *v <= data_max {
                axis_number(v)
            } else {
                String::new()
            }
        };
        let mut chart = ChartBuilder::on(&plot)
            .margin_right(margin_right)
            .margin_top(10)
            .x_label_area_size(45)
            .y_label_area_size(Y_LABELS_PX)
            .build_cartesian_2d(DayAxis::new(n, &keys), 0f64..max)?;
        // Windows shorter than half the run are shaded; every window is also drawn as a bar
        // under its label (or number), so a long one shows its extent without greying the
        // whole chart.
        for (s, e, _) in &windows {
            if 2 * (e + 1 - s) <= n {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(*s as f64, 0.0), (*e as f64 + 1.0, max)],
                    SHADE.filled(),
                )))?;
            }
        }
        for m in &marks {
            let y = max * (0.985 - LANE_SHARE * m.lane as f64);
            let day = m.x / plot_w * (n - 1) as f64;
            chart.draw_series(std::iter::once(Text::new(
                m.text.clone(),
                (day, y),
                (FONT, 13).into_font().color(&BLACK),
            )))?;
            if let Some((s, e, _)) = windows.get(m.event) {
                let yb = y - max * LANE_SHARE * 0.78;
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(*s as f64, yb), (*e as f64 + 1.0, yb)],
                    RGBColor(120, 120, 120).stroke_width(2),
                )))?;
            }
        }
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .x_labels(keys.len().max(2))
            .x_label_formatter(&fmt)
            .y_label_formatter(&y_ticks)
            .x_desc(if self.latency_ms.is_some() {
                ""
            } else {
                "Date"
            })
            .y_desc(y_desc)
            .axis_desc_style((FONT, 16))
            .label_style((FONT, 13))
            .draw()?;
        // Stacked areas, top layer first so each lower layer paints over it.
        let mut cum = vec![vec![0.0; self.dates.len()]; self.routes.len() + 1];
        for (k, (_, v, _)) in self.routes.iter().enumerate() {
            for t in 0..self.dates.len() {
                cum[k + 1][t] = cum[k][t] + v[t];
            }
        }
        for k in (0..self.routes.len()).rev() {
            let colour = PALETTE[self.routes[k].2 % PALETTE.len()];
            let pts: Vec<(f64, f64)> = cum[k + 1]
                .iter()
                .enumerate()
                .map(|(t, y)| (t as f64, *y))
                .collect();
            chart.draw_series(AreaSeries::new(pts, 0.0, colour.mix(0.85)).border_style(colour))?;
        }
        let base: Vec<(f64, f64)> = self
            .baseline
            .iter()
            .enumerate()
            .map(|(t, y)| (t as f64, *y))
            .collect();
        chart.draw_series(DashedLineSeries::new(base, 6, 4, BLACK.stroke_width(2)))?;
        // Direct labels beside the stacks' ends where they fit; the legend box otherwise.
        let last = self.dates.len().saturating_sub(1);
        let at = |y: f64| chart.backend_coord(&(last as f64, y));
        let mut wants: Vec<f64> = (0..self.routes.len())
            .rev()
            .map(|k| {
                let v = self.routes[k].1.get(last).copied().unwrap_or(0.0);
                f64::from(at(cum[k][last] + v / 2.0).1)
            })
            .collect();
        wants.push(f64::from(
            at(self.baseline.get(last).copied().unwrap_or(0.0)).1,
        ));
        let entries: Vec<(String, Key, f64)> = legend
            .iter()
            .zip(wants)
            .map(|((t, k), w)| (t.clone(), *k, w))
            .collect();
        let (x_end, top) = chart.backend_coord(&(last as f64, max));
        let (_, bottom) = chart.backend_coord(&(last as f64, 0.0));
        draw_end_labels_or_legend(&root, &plot, (x_end, top, bottom), &entries, &legend)?;
        root.present()
    }
}

/// One line of a resilience chart: performance (fraction of baseline) per day, with an optional
/// P5–P95 band.
#[derive(Debug, Clone, PartialEq)]
pub struct ResilienceSeries {
    pub name: String,
    pub line: Vec<f64>,
    pub band: Option<(Vec<f64>, Vec<f64>)>,
    /// Mean performance per day (Monte Carlo), used for the resilience loss.
    pub mean: Option<Vec<f64>>,
}

impl ResilienceSeries {
    /// Resilience loss: Σ max(0, 1 − performance) in days, of the mean curve when there is one
    /// (for Monte Carlo: the expected loss; the median is often 100%).
    pub fn loss_days(&self) -> f64 {
        self.mean
            .as_ref()
            .unwrap_or(&self.line)
            .iter()
            .map(|p| (1.0 - p).max(0.0))
            .sum()
    }
    /// The columns of `mc_daily_bands.csv` a band needs.
    pub const NEEDS_BANDS: &[&str] = &["date", "p5", "p50", "p95", "mean"];
    /// The column of `daily.csv` a run's curve needs.
    pub const NEEDS_DAILY: &[&str] = &["date", "performance"];

    /// A run's curve: its performance per day.
    pub fn of_daily(daily: &Daily, name: &str) -> Self {
        ResilienceSeries {
            name: name.into(),
            line: daily.rows.iter().map(|r| r.performance.0).collect(),
            band: None,
            mean: None,
        }
    }

    /// A Monte Carlo curve: the median per day, the P5–P95 band and the mean.
    pub fn of_bands(rows: &[BandRow], name: &str) -> Self {
        let col = |f: fn(&BandRow) -> f64| rows.iter().map(f).collect::<Vec<_>>();
        ResilienceSeries {
            name: name.into(),
            line: col(|r| r.p50.0),
            band: Some((col(|r| r.p5.0), col(|r| r.p95.0))),
            mean: Some(col(|r| r.mean.0)),
        }
    }

    /// From `daily.csv` (its `performance` column) or `mc_daily_bands.csv` (median line, P5–P95),
    /// with the dates.
    pub fn from_csv(
        file: &str,
        text: &str,
        name: &str,
    ) -> Result<(Self, Vec<String>), ChartDataError> {
        if header_of(text).iter().any(|h| h == "p50") {
            let rows: Vec<BandRow> = from_csv(file, text, Self::NEEDS_BANDS)?;
            let dates = rows.iter().map(|r| r.date.clone()).collect();
            Ok((Self::of_bands(&rows, name), dates))
        } else {
            let daily = Daily::from_csv(file, text, Self::NEEDS_DAILY)?;
            Ok((Self::of_daily(&daily, name), daily.dates()))
        }
    }
}

/// Performance over time for several runs or variants.
#[derive(Debug, Clone, PartialEq)]
pub struct ResilienceChart {
    pub title: String,
    pub dates: Vec<String>,
    pub series: Vec<ResilienceSeries>,
}

impl Chart for ResilienceChart {
    fn draw<DB: DrawingBackend>(
        &self,
        root: DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let n = self.dates.len().max(2);
        let (keys, fmt) = date_axis(&self.dates);
        let losses: Vec<String> = self
            .series
            .iter()
            .map(|s| format!("{} {:.1} d", s.name, s.loss_days()))
            .collect();
        let min = self
            .series
            .iter()
            .flat_map(|s| s.line.iter().chain(s.band.iter().flat_map(|b| b.0.iter())))
            .copied()
            .fold(1.0, f64::min);
        let ymin = ((min * 100.0 - 5.0) / 10.0).floor().max(0.0) * 10.0;
        // The axis fits the data: a catch-up above the baseline (170% after an outage) is drawn
        // as it is, not clamped.
        let max = self
            .series
            .iter()
            .flat_map(|s| s.line.iter().chain(s.band.iter().flat_map(|b| b.1.iter())))
            .copied()
            .filter(|v| v.is_finite())
            .fold(1.0, f64::max);
        let ymax = (((max * 100.0 + 5.0) / 10.0).ceil() * 10.0).max(110.0);
        let plot = frame(
            &root,
            &self.title,
            &format!(
                "Exports as % of baseline. Resilience loss (area above the curve; Monte Carlo: of the mean): {}",
                losses.join(", ")
            ),
            "Source: corridor run (daily.csv or mc_daily_bands.csv). Bands: P5–P95 over the Monte Carlo replicates.",
        )?;
        // One line without a band needs no key: the title names it.
        let single = self.series.len() == 1 && self.series[0].band.is_none();
        let legend: Vec<(String, Key)> = self
            .series
            .iter()
            .filter(|_| !single)
            .enumerate()
            .map(|(k, s)| {
                let colour = PALETTE[k % PALETTE.len()];
                match s.band {
                    Some(_) => (
                        format!("{} (median; band P5–P95)", s.name),
                        Key::Band(colour),
                    ),
                    None => (s.name.clone(), Key::Line(colour, 2)),
                }
            })
            .collect();
        let mut chart = ChartBuilder::on(&plot)
            .margin_right(
                MARGIN_RIGHT_PX
                    + if legend.is_empty() {
                        0
                    } else {
                        legend_width(&legend) + 14
                    },
            )
            .margin_top(10)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(DayAxis::new(n, &keys), ymin..ymax)?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .x_labels(keys.len().max(2))
            .x_label_formatter(&fmt)
            .y_label_formatter(&axis_number)
            .x_desc("Date")
            .y_desc("Performance (% of baseline exports)")
            .axis_desc_style((FONT, 16))
            .label_style((FONT, 13))
            .draw()?;
        for (k, s) in self.series.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let clamp = |y: f64| (y * 100.0).clamp(ymin, ymax);
            if let Some((lo, hi)) = &s.band {
                let mut poly: Vec<(f64, f64)> = hi
                    .iter()
                    .enumerate()
                    .map(|(t, y)| (t as f64, clamp(*y)))
                    .collect();
                poly.extend(
                    lo.iter()
                        .enumerate()
                        .rev()
                        .map(|(t, y)| (t as f64, clamp(*y))),
                );
                chart.draw_series(std::iter::once(Polygon::new(poly, colour.mix(0.25))))?;
            }
            let pts: Vec<(f64, f64)> = s
                .line
                .iter()
                .enumerate()
                .map(|(t, y)| (t as f64, clamp(*y)))
                .collect();
            chart.draw_series(LineSeries::new(pts, colour.stroke_width(2)))?;
        }
        // Direct labels at the lines' ends where they fit; the legend box otherwise.
        let series: Vec<&ResilienceSeries> = self.series.iter().filter(|_| !single).collect();
        let entries: Vec<(String, Key, f64)> = legend
            .iter()
            .zip(series)
            .map(|((t, k), s)| {
                let last = s.line.len().saturating_sub(1);
                let y = (s.line.get(last).copied().unwrap_or(1.0) * 100.0).clamp(ymin, ymax);
                (
                    t.clone(),
                    *k,
                    f64::from(chart.backend_coord(&(last as f64, y)).1),
                )
            })
            .collect();
        let last = self.dates.len().saturating_sub(1) as f64;
        let (x_end, top) = chart.backend_coord(&(last, ymax));
        let (_, bottom) = chart.backend_coord(&(last, ymin));
        draw_end_labels_or_legend(&root, &plot, (x_end, top, bottom), &entries, &legend)?;
        root.present()
    }
}

/// Where an event's label goes on a daily chart.
#[derive(Debug, Clone, PartialEq)]
pub struct EventMark {
    /// Left edge of the label box, px from the plot's left edge.
    pub x: f64,
    /// Width of the label box, px.
    pub width: f64,
    /// Lane from the top (0: the highest).
    pub lane: usize,
    /// The label drawn: the event's name, or its number when the name does not fit.
    pub text: String,
    /// Index of the event in the windows placed.
    pub event: usize,
}

/// Lanes for event labels at the top of a daily chart.
pub const EVENT_LANES: usize = 4;
/// Estimated width of one character of the 13 px label font (Noto Sans averages ≈ 0.55 em), px.
const LABEL_CHAR_PX: f64 = 7.2;
/// Share of the y axis each label lane takes, at the top of the throughput chart.
const LANE_SHARE: f64 = 0.055;

/// Space kept between two labels in one lane, px.
const LABEL_GAP_PX: f64 = 8.0;

/// Places the labels of `windows` (first day, last day, name) over a plot `width` px wide
/// showing `days` days: each label starts at its window (moved left if it would run off the
/// right edge) in the first of [`EVENT_LANES`] lanes where it overlaps no earlier label. A name
/// that fits in no lane is replaced by the event's number (1-based, in `windows` order; one
/// more lane below is kept for numbers), and returned in the key with that number. No two marks overlap in a lane and none leaves the
/// plot; an event whose number fits nowhere either is left to the key alone.
pub fn place_event_labels(
    windows: &[(usize, usize, String)],
    days: usize,
    width: f64,
) -> (Vec<EventMark>, Vec<(usize, String)>) {
    let px = |day: usize| day as f64 / (days.max(2) - 1) as f64 * width;
    // Names use the first EVENT_LANES lanes; numbers may also use one more, below them.
    let mut lanes: Vec<Vec<(f64, f64)>> = vec![Vec::new(); EVENT_LANES + 1];
    let mut marks = Vec::new();
    let mut key = Vec::new();
    let mut order: Vec<usize> = (0..windows.len()).collect();
    order.sort_by_key(|&k| (windows[k].0, k));
    for k in order {
        let (start, _, name) = &windows[k];
        let place = |text: &str, lanes: &mut Vec<Vec<(f64, f64)>>, usable: usize| {
            let w = text.chars().count() as f64 * LABEL_CHAR_PX;
            if w > width {
                return None;
            }
            let x = px(*start).min(width - w).max(0.0);
            let lane = lanes[..usable].iter().position(|l| {
                l.iter()
                    .all(|(a, b)| x + w + LABEL_GAP_PX <= *a || x >= *b + LABEL_GAP_PX)
            })?;
            lanes[lane].push((x, x + w));
            Some((x, w, lane))
        };
        let number = (k + 1).to_string();
        if let Some((x, w, lane)) = place(name, &mut lanes, EVENT_LANES) {
            marks.push(EventMark {
                x,
                width: w,
                lane,
                text: name.clone(),
                event: k,
            });
        } else {
            key.push((k + 1, name.clone()));
            if let Some((x, w, lane)) = place(&number, &mut lanes, EVENT_LANES + 1) {
                marks.push(EventMark {
                    x,
                    width: w,
                    lane,
                    text: number,
                    event: k,
                });
            }
        }
    }
    key.sort();
    (marks, key)
}
