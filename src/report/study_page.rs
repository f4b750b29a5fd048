//! The study report's content: the findings an analyst would lead with, then the network,
//! the scenarios, the Monte Carlo, the options, the hindcast and how the page was made, as a
//! [`Page`] for the template. Every number comes from the rows the jobs wrote, formatted by
//! [`super::fmt`].

use std::path::Path;

use super::fmt::{number, percent, points, sig3, usd};
use super::html::{
    Block, Cell, FigureView, FileLink, Finding, Page, STYLE, Section, TableView, esc, inline_svg,
    sources,
};
use super::mc::McSummary;
use super::network::{RTT_LEGEND, RttPathRow, rtt_grid};
use super::rows::{
    AssetCsvRow, ChoiceRow, CompareRow, HindcastRow, IndicatorRow, OptimiseTables, RouteRow,
};
use super::run::ScenarioSummary;

/// The report's title unless `--title` gives another.
pub const DEFAULT_TITLE: &str = "Kazakhstan's export routes: what breaks, and what it costs";

/// What the report states about how it was made.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    pub version: String,
    /// Git revision of the build, when it was built from a git checkout.
    pub git_revision: Option<String>,
    /// (scenario, seed, runs) of each Monte Carlo run and comparison.
    pub seeds: Vec<(String, u64, u64)>,
    /// (input file, SHA-256) for every input read.
    pub inputs: Vec<(String, String)>,
    /// Consistency-check warnings raised while loading the inputs, each once.
    pub warnings: Vec<String>,
}

/// The charts of a study (SVG text), by path relative to its output directory.
pub type Charts<'a> = &'a dyn Fn(&Path) -> Result<String, String>;

/// The comparison: its directory, the status quo it ran on, and its `compare.csv` rows.
#[derive(Debug, Clone, Copy)]
pub struct Compared<'a> {
    pub dir: &'a Path,
    pub status_quo: &'a str,
    pub rows: &'a [CompareRow],
}

/// The optimisation of the catalogue: its directory, the status quo it ran on, the replicate
/// years, the number of options and its tables.
#[derive(Debug, Clone, Copy)]
pub struct Optimised<'a> {
    pub dir: &'a Path,
    pub status_quo: &'a str,
    pub runs: u64,
    pub options: usize,
    /// The staging's calendar and rate, in words (e.g. "from 2026 to 2035, one decision a
    /// year, at 8%/yr").
    pub staging: &'a str,
    pub tables: &'a OptimiseTables,
}

/// What the report shows, as the jobs produced it.
#[derive(Debug, Clone, Copy)]
pub struct StudyData<'a> {
    pub indicators: &'a [IndicatorRow],
    pub routes: &'a [RouteRow],
    pub assets: &'a [AssetCsvRow],
    /// `network_rtt.csv`.
    pub rtt: &'a [RttPathRow],
    /// Each deterministic scenario's `summary.json`, in the order shown.
    pub scenarios: &'a [ScenarioSummary],
    /// Each Monte Carlo scenario's `mc_summary.json`, in the order shown.
    pub monte_carlo: &'a [McSummary],
    pub compare: Option<Compared<'a>>,
    pub portfolio: Option<Optimised<'a>>,
    /// `hindcast.csv` (empty: no history scenarios).
    pub hindcast: &'a [HindcastRow],
}

/// Builds figures in page order, numbering them.
struct Figures<'a> {
    svg: Charts<'a>,
    next: usize,
}

impl Figures<'_> {
    /// Figure `stem` (a chart path without extension, relative to the page) with its caption
    /// and data files; the title is the chart's own (its first text).
    fn make(&mut self, stem: &str, caption: &str, data: &[&str]) -> Result<Block, String> {
        let svg = (self.svg)(Path::new(&format!("{stem}.svg")))?;
        self.next += 1;
        let id = format!("fig-{}", self.next);
        let title = chart_title(&svg);
        let mut files = vec![
            FileLink {
                label: "PNG".into(),
                href: format!("{stem}.png"),
            },
            FileLink {
                label: "SVG".into(),
                href: format!("{stem}.svg"),
            },
        ];
        for d in data {
            let label = Path::new(d)
                .extension()
                .map_or("data".into(), |e| e.to_string_lossy().to_uppercase());
            files.push(FileLink {
                label: format!("{label} ({})", file_name(d)),
                href: (*d).to_string(),
            });
        }
        Ok(Block::Figure {
            figure: FigureView {
                svg: inline_svg(&svg, &id, &title),
                id,
                number: self.next,
                title,
                caption: caption.to_string(),
                files,
            },
        })
    }
}

fn file_name(p: &str) -> String {
    Path::new(p)
        .file_name()
        .map_or_else(|| p.to_string(), |n| n.to_string_lossy().into_owned())
}

/// The first text of a chart (its title), entities decoded.
fn chart_title(svg: &str) -> String {
    svg.split_once("<text")
        .and_then(|(_, r)| r.split_once('>'))
        .and_then(|(_, r)| r.split_once("</text>"))
        .map(|(t, _)| super::chart::unescape_xml(t.trim()))
        .unwrap_or_default()
}

fn text(html: impl Into<String>) -> Block {
    Block::Text { html: html.into() }
}

fn table(caption: &str, headers: &[&str], rows: Vec<Vec<Cell>>, note: &str, source: &str) -> Block {
    Block::Table {
        table: TableView {
            caption: caption.into(),
            headers: headers.iter().map(|h| (*h).to_string()).collect(),
            rows,
            note: note.into(),
            source: source.into(),
        },
    }
}

/// A value of `network_indicators.csv` as a number (0 when absent).
fn indicator(rows: &[IndicatorRow], layer: &str, name: &str) -> f64 {
    indicator_text(rows, layer, name).parse().unwrap_or(0.0)
}

fn indicator_text<'a>(rows: &'a [IndicatorRow], layer: &str, name: &str) -> &'a str {
    rows.iter()
        .find(|r| r.layer == layer && r.indicator == name)
        .map_or("", |r| r.value.as_str())
}

/// A quantity with its 95% interval: `0.870 (0.817 to 0.923)`.
fn with_ci(x: f64, lo: f64, hi: f64, f: impl Fn(f64) -> String) -> String {
    format!("{} ({} to {})", f(x), f(lo), f(hi))
}

/// Days to recover as the table shows them.
fn recovery(d: Option<u32>, below: u32) -> String {
    match d {
        Some(_) if below == 0 => "–".into(),
        Some(d) => number(f64::from(d), 0),
        None => "not within the run".into(),
    }
}

/// The study's page: findings, then the sections.
///
/// # Errors
/// The message of the first chart `svg` cannot give.
pub fn page(
    svg: Charts<'_>,
    data: &StudyData<'_>,
    manifest: &Manifest,
    title: &str,
) -> Result<Page, String> {
    let mut figs = Figures { svg, next: 0 };
    let mut sections = vec![network_section(&mut figs, data)?];
    if !data.scenarios.is_empty() {
        sections.push(scenarios_section(&mut figs, data.scenarios)?);
    }
    if !data.monte_carlo.is_empty() {
        sections.push(monte_carlo_section(&mut figs, data)?);
    }
    if let Some(c) = data.compare {
        sections.push(options_section(&mut figs, &c)?);
    }
    if let Some(o) = data.portfolio {
        sections.push(portfolio_section(&mut figs, &o)?);
    }
    if !data.hindcast.is_empty() {
        sections.push(history_section(&mut figs, data.hindcast)?);
    }
    sections.extend(about_sections(data, manifest));
    Ok(Page {
        title: title.to_string(),
        lede: lede(data),
        version: manifest.version.clone(),
        revision: manifest.git_revision.clone().unwrap_or_default(),
        findings: findings(data),
        sections,
        style: STYLE.to_string(),
    })
}

/// What ran, in one paragraph.
fn lede(data: &StudyData<'_>) -> String {
    let mut parts = vec![format!(
        "{} deterministic scenario{}",
        data.scenarios.len(),
        if data.scenarios.len() == 1 { "" } else { "s" }
    )];
    if let Some(m) = data.monte_carlo.first() {
        let same = data.monte_carlo.iter().all(|x| x.runs == m.runs);
        parts.push(format!(
            "{} Monte Carlo scenario{} ({} simulated years each{})",
            data.monte_carlo.len(),
            if data.monte_carlo.len() == 1 { "" } else { "s" },
            if same {
                number(m.runs as f64, 0)
            } else {
                "several".into()
            },
            if same { "" } else { ", as stated" }
        ));
    }
    if let Some(c) = data.compare {
        let options = c.rows.iter().filter(|r| r.variant != "status-quo").count();
        parts.push(format!(
            "{options} investment options on the same sampled failures as the status quo"
        ));
    }
    if !data.hindcast.is_empty() {
        let cases: std::collections::BTreeSet<&str> =
            data.hindcast.iter().map(|h| h.case.as_str()).collect();
        parts.push(format!(
            "{} past events replayed against what was reported",
            cases.len()
        ));
    }
    format!(
        "This study ran {}. Oil in million tonnes (Mt) a year or thousand tonnes (kt) a day, data in Gbps, money in US dollars. Every table is also in <a href=\"{WORKBOOK}\">{WORKBOOK}</a>, one sheet per CSV file with its units.",
        join_and(&parts)
    )
}

fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [a] => a.clone(),
        [init @ .., last] => format!("{}, and {last}", init.join(", ")),
    }
}

/// The study's Excel workbook, beside the report.
pub const WORKBOOK: &str = "study.xlsx";

/// The handful of findings an analyst would lead with, each a sentence with its number.
fn findings(data: &StudyData<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let ind = data.indicators;
    let oil_max = indicator(ind, "oil", "max_capacity");
    if oil_max > 0.0 {
        let share = indicator(ind, "oil", "russia_share");
        let without = indicator(ind, "oil", "capacity_without_russia");
        let supply = indicator(ind, "oil", "supply");
        out.push(Finding {
            html: format!(
                "<b>{} of crude export capacity runs through Russia.</b> Of {} Mt/yr that can leave Kazakhstan, only {} Mt/yr can avoid Russia: {} of the {} Mt/yr produced for export.",
                percent(share, 0),
                sig3(oil_max),
                sig3(without),
                percent(if supply > 0.0 { without / supply } else { 0.0 }, 0),
                sig3(supply)
            ),
            href: "network".into(),
            link: "Network".into(),
        });
    }
    let data_max = indicator(ind, "data", "max_capacity");
    if data_max > 0.0 {
        let share = indicator(ind, "data", "russia_share");
        let without = indicator(ind, "data", "capacity_without_russia");
        let demand = indicator(ind, "data", "supply");
        out.push(Finding {
            html: format!(
                "<b>{} of international bandwidth crosses Russia.</b> Without Russia, {} Gbps of {} Gbps remains: {} of the {} Gbps of demand.",
                percent(share, 0),
                number(without, 0),
                number(data_max, 0),
                percent(if demand > 0.0 { without / demand } else { 0.0 }, 0),
                number(demand, 0)
            ),
            href: "network".into(),
            link: "Network".into(),
        });
    }
    let n1 = indicator_text(ind, "oil", "n_minus_1_asset");
    if !n1.is_empty() {
        out.push(Finding {
            html: format!(
                "<b>One asset carries {} Mt/yr.</b> Losing <code>{}</code> alone leaves {} Mt/yr of export capacity (N−1).",
                sig3(indicator(ind, "oil", "n_minus_1_lost_capacity")),
                esc(n1),
                sig3(indicator(ind, "oil", "n_minus_1_remaining_capacity")),
            ),
            href: "network".into(),
            link: "Network".into(),
        });
    }
    if let Some(w) = data
        .scenarios
        .iter()
        .filter(|s| s.lost_exports_mt > 0.0)
        .max_by(|a, b| a.lost_revenue_usd.total_cmp(&b.lost_revenue_usd))
    {
        out.push(Finding {
            html: format!(
                "<b>The costliest scenario, {}, loses {} Mt of exports ({}).</b> {}{}",
                esc(&w.name),
                sig3(w.lost_exports_mt),
                usd(w.lost_revenue_usd),
                w.state_budget_loss_usd.map_or(String::new(), |b| format!(
                    "The state budget loses {} of export duty and extraction tax. ",
                    usd(b)
                )),
                match w.days_to_recover {
                    Some(d) => format!(
                        "Exports are back to 90% of baseline after {} days.",
                        number(f64::from(d), 0)
                    ),
                    None => "Exports have not recovered by the end of the run.".into(),
                }
            ),
            href: format!("s-{}", w.scenario),
            link: "Scenario".into(),
        });
    }
    if let Some(w) = data
        .scenarios
        .iter()
        .filter(|s| s.data_outage_hours > 0.0)
        .max_by(|a, b| a.data_outage_hours.total_cmp(&b.data_outage_hours))
    {
        out.push(Finding {
            html: format!(
                "<b>The worst data scenario, {}, costs the equivalent of {} hours of full national internet outage</b> (lowest day: {} of demand served){}.",
                esc(&w.name),
                sig3(w.data_outage_hours),
                percent(w.data_min_performance, 0),
                w.data_unserved_value_usd
                    .filter(|v| *v > 0.0)
                    .map_or(String::new(), |v| format!(", valued at {}", usd(v)))
            ),
            href: format!("s-{}", w.scenario),
            link: "Scenario".into(),
        });
    }
    let quo = data
        .compare
        .map(|c| c.status_quo)
        .and_then(|q| data.monte_carlo.iter().find(|m| m.scenario == q))
        .or_else(|| data.monte_carlo.first());
    if let Some(m) = quo {
        let l = &m.lost_exports_mt;
        out.push(Finding {
            html: format!(
                "<b>Random failures cost {} Mt of exports in an average year ({}).</b> One year in 20 loses more than {} Mt; the worst 5% of years lose {} Mt on average (CVaR95). Scenario: {}, {} simulated years.",
                sig3(l.mean),
                usd(m.lost_revenue_usd.mean),
                sig3(l.p95),
                sig3(l.cvar95),
                esc(&m.name),
                number(m.runs as f64, 0)
            ),
            href: format!("mc-{}", m.scenario),
            link: "Monte Carlo".into(),
        });
    }
    if let Some(c) = data.compare {
        let options: Vec<&CompareRow> = c
            .rows
            .iter()
            .filter(|r| r.variant != "status-quo")
            .collect();
        if let Some(best) = options
            .iter()
            .max_by(|a, b| a.net_benefit_usd.0.total_cmp(&b.net_benefit_usd.0))
        {
            let nothing: Vec<String> = options
                .iter()
                .filter(|r| r.total_avoided_usd_hi.0 <= 0.0 && r.avoided_mt_hi.0 <= 0.0)
                .map(|r| esc(&r.name))
                .collect();
            out.push(Finding {
                html: format!(
                    "<b>Of {} options, {} pays best: it avoids {} Mt a year ({}) for {} a year, a net benefit of {}{}.</b>{}",
                    options.len(),
                    esc(&best.name),
                    sig3(best.avoided_mt.0),
                    usd(best.total_avoided_usd.0),
                    usd(best.annual_cost_usd.0),
                    usd(best.net_benefit_usd.0),
                    best.benefit_cost.map_or(String::new(), |b| format!(
                        " (benefit/cost {})",
                        number(b.0, 2)
                    )),
                    if nothing.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " Avoiding nothing on these failures: {}.",
                            join_and(&nothing)
                        )
                    }
                ),
                href: "options".into(),
                link: "Options".into(),
            });
        }
    }
    if let Some(o) = data.portfolio {
        out.extend(portfolio_finding(&o));
    }
    let tested: Vec<&HindcastRow> = data
        .hindcast
        .iter()
        .filter(|h| h.result == "pass" || h.result == "fail")
        .collect();
    if !tested.is_empty() {
        let pass = tested.iter().filter(|h| h.result == "pass").count();
        out.push(Finding {
            html: format!(
                "<b>The model reproduces {pass} of {} reported outcomes of past events within tolerance</b>, each replayed from its public timeline alone.",
                tested.len()
            ),
            href: "history".into(),
            link: "History".into(),
        });
    }
    out
}

fn network_section(figs: &mut Figures<'_>, data: &StudyData<'_>) -> Result<Section, String> {
    let ind = data.indicators;
    let both = |name: &str, f: &dyn Fn(f64) -> String| -> Vec<Cell> {
        ["oil", "data"]
            .iter()
            .map(|l| Cell::num(f(indicator(ind, l, name))))
            .collect()
    };
    let row = |label: &str, cells: Vec<Cell>| -> Vec<Cell> {
        let mut r = vec![Cell::text(label)];
        r.extend(cells);
        r
    };
    let rows = vec![
        row(
            "Export capacity (Mt/yr; Gbps)",
            both("max_capacity", &|x| sig3(x)),
        ),
        row(
            "Demand to export (Mt/yr; Gbps)",
            both("supply", &|x| sig3(x)),
        ),
        row("Share via Russia", both("russia_share", &|x| percent(x, 1))),
        row(
            "Capacity avoiding Russia (Mt/yr; Gbps)",
            both("capacity_without_russia", &|x| sig3(x)),
        ),
        row(
            "Largest single asset (N−1)",
            ["oil", "data"]
                .iter()
                .map(|l| Cell::text(indicator_text(ind, l, "n_minus_1_asset")))
                .collect(),
        ),
        row(
            "Capacity left without it (Mt/yr; Gbps)",
            both("n_minus_1_remaining_capacity", &|x| sig3(x)),
        ),
        row(
            "Concentration of capacity, HHI (0–10,000)",
            both("hhi", &|x| number(x, 0)),
        ),
    ];
    let mut blocks = vec![
        text(
            "The export network as built today: every route from the Kazakh fields and data centres to the border and beyond, with nameplate capacities and their sources. Capacity here is what the network can carry, before any failure; the scenarios below take parts of it away.",
        ),
        table(
            "Key indicators",
            &["Indicator", "Oil", "Data"],
            rows,
            "HHI: Herfindahl–Hirschman index of route capacity shares (10,000 = one route). N−1: the single asset whose loss removes the most capacity.",
            "network_indicators.csv",
        ),
        figs.make(
            "network_map",
            "The routes on a Lambert conformal conic map; line width proportional to capacity, planned links dotted.",
            &["network.geojson"],
        )?,
        figs.make(
            "network_oil_capacity",
            "Crude export capacity by route, split by whether the route crosses Russia. A route's capacity is its bottleneck on its own, so shared links count in each route that uses them.",
            &["network_routes.csv"],
        )?,
        figs.make(
            "network_data_capacity",
            "International bandwidth by route, split by whether it crosses Russia.",
            &["network_routes.csv"],
        )?,
    ];
    let route_rows = data
        .routes
        .iter()
        .map(|r| {
            vec![
                Cell::text(&r.route),
                Cell::text(&r.layer),
                Cell::num(
                    if r.status == "operating" || r.standalone_capacity.0 > 0.0 {
                        format!("{} {}", sig3(r.standalone_capacity.0), r.unit)
                    } else {
                        "– (not in service)".into()
                    },
                ),
                Cell::text(if r.via_russia { "yes" } else { "no" }),
                Cell::text(&r.status),
            ]
        })
        .collect();
    blocks.push(table(
        "Routes",
        &[
            "Route",
            "Layer",
            "Capacity on its own",
            "Via Russia",
            "Status",
        ],
        route_rows,
        "Status: operating, suspended or planned, as sourced in routes/.",
        "network_routes.csv",
    ));
    if !data.rtt.is_empty() {
        let (sinks, lines) = rtt_grid(data.rtt);
        let mut headers = vec!["From → to".to_string()];
        headers.extend(sinks.iter().map(|s| format!("via {s} (ms)")));
        let h: Vec<&str> = headers.iter().map(String::as_str).collect();
        let rows = lines
            .into_iter()
            .map(|(pair, cells)| {
                let mut r = vec![Cell::text(pair)];
                r.extend(cells.into_iter().map(Cell::num));
                r
            })
            .collect();
        blocks.push(table(
            "Round-trip times",
            &h,
            rows,
            &format!("{RTT_LEGEND}."),
            "network_rtt.csv",
        ));
    }
    Ok(Section {
        id: "network".into(),
        title: "Network".into(),
        blocks,
        subsections: vec![],
    })
}

/// What the scenario tables' quantities mean, once.
const SCENARIO_TERMS: &str = "<b>Lost exports</b>: crude not exported over the run against the baseline year, net of stored crude shipped later; the charts also show the gross <em>shortfall</em> on the days below baseline, which is larger when storage catches up. <b>Lost revenue</b> values lost exports at the scenario's oil price; the <b>state budget</b> loses the export duty and extraction tax on them. <b>Performance</b> is a day's exports over the baseline day's; <b>resilience loss</b> adds up the shortfall in performance, in days of total loss. Data losses are stated as <b>hours of full national outage</b>: unserved traffic over a day's demand.";

fn scenarios_section(
    figs: &mut Figures<'_>,
    scenarios: &[ScenarioSummary],
) -> Result<Section, String> {
    let link = |s: &ScenarioSummary| {
        Cell::link(&s.name, format!("#s-{}", s.scenario)).with_id(&s.scenario)
    };
    let oil_rows = scenarios
        .iter()
        .map(|s| {
            vec![
                link(s),
                Cell::num(number(s.lost_exports_mt, 2)),
                Cell::num(usd(s.lost_revenue_usd)),
                Cell::num(s.state_budget_loss_usd.map_or("–".into(), usd)),
                Cell::num(percent(s.min_performance, 0)),
                Cell::num(number(f64::from(s.days_below_90pct), 0)),
                Cell::num(recovery(s.days_to_recover, s.days_below_90pct)),
                Cell::num(number(s.resilience_loss, 1)),
                Cell::num(percent(s.russia_transit_share, 1)),
            ]
        })
        .collect();
    let data_rows = scenarios
        .iter()
        .map(|s| {
            vec![
                link(s),
                Cell::num(number(s.data_unserved_tb, 0)),
                Cell::num(number(s.data_outage_hours, 1)),
                Cell::num(number(s.data_shutdown_hours, 1)),
                Cell::num(percent(s.data_min_performance, 0)),
                Cell::num(s.data_unserved_value_usd.map_or("–".into(), usd)),
                Cell::num(number(s.data_peak_latency_ms, 0)),
            ]
        })
        .collect();
    let blocks = vec![
        text(
            "Each scenario is a year (or its stated horizon) of daily flows on the network of its date, with the events its file lists. Crude is routed day by day at least cost within the capacities left; the baseline year is the same run without events.",
        ),
        text(SCENARIO_TERMS),
        table(
            "Oil: what each scenario costs",
            &[
                "Scenario",
                "Lost exports (Mt)",
                "Lost revenue",
                "State budget loss",
                "Lowest day (% of baseline)",
                "Days below 90%",
                "Days to recover",
                "Resilience loss (days)",
                "Exports via Russia",
            ],
            oil_rows,
            "Days to recover: from the first day below 90% of baseline until exports are back above it.",
            "summary.csv",
        ),
        table(
            "Data: what each scenario costs",
            &[
                "Scenario",
                "Unserved traffic (Tb)",
                "Outage (h equivalent)",
                "Shutdown (h)",
                "Lowest day (% served)",
                "Value lost",
                "Worst round trip (ms)",
            ],
            data_rows,
            "Shutdown: hours of deliberate blocking the scenario states; value lost by the scenario's method (Brookings: GDP × internet share per hour).",
            "summary.csv",
        ),
    ];
    let mut subsections = Vec::new();
    for s in scenarios {
        subsections.push(scenario_subsection(figs, s)?);
    }
    Ok(Section {
        id: "scenarios".into(),
        title: "Scenarios".into(),
        blocks,
        subsections,
    })
}

fn scenario_subsection(figs: &mut Figures<'_>, s: &ScenarioSummary) -> Result<Section, String> {
    let id = &s.scenario;
    let mut blocks = vec![text(esc(&s.description))];
    let mut facts = vec![format!(
        "Lost exports {} Mt ({})",
        number(s.lost_exports_mt, 2),
        usd(s.lost_revenue_usd)
    )];
    if s.days_below_90pct > 0 {
        facts.push(format!(
            "lowest day {} of baseline, {} days below 90%",
            percent(s.min_performance, 0),
            s.days_below_90pct
        ));
    }
    if s.data_outage_hours > 0.0 {
        facts.push(format!(
            "data: {} hours of full outage equivalent",
            number(s.data_outage_hours, 1)
        ));
    }
    blocks.push(text(format!(
        "{}. Run of {} days from {}; files in <a href=\"{id}/\"><code>{id}/</code></a>.",
        esc(&join_and(&facts)),
        s.horizon_days,
        esc(&s.start)
    )));
    if !s.events.is_empty() {
        let rows = s
            .events
            .iter()
            .map(|e| {
                vec![
                    Cell::text(&e.name),
                    Cell::text(&e.kind),
                    Cell::num(&e.start),
                    Cell::num(&e.end),
                    Cell::num(number(e.displaced_kt, 0)),
                    Cell::text(&e.source),
                ]
            })
            .collect();
        blocks.push(table(
            "Events",
            &[
                "Event",
                "Kind",
                "Start",
                "End",
                "Flow displaced (kt)",
                "Source",
            ],
            rows,
            "Flow displaced: what the event's assets carried in the baseline over its window and recovery, and lost; 0 when the asset carried nothing that day.",
            &format!("{id}/summary.json"),
        ));
    }
    let served: Vec<_> = s.data_rtt.iter().filter(|r| r.origin == "served").collect();
    if !served
        .iter()
        .all(|r| (r.peak_rtt_ms - r.baseline_rtt_ms).abs() < 0.05 && r.days_without == 0)
    {
        let rows = served
            .iter()
            .map(|r| {
                vec![
                    Cell::text(&r.destination),
                    Cell::num(number(r.baseline_rtt_ms, 1)),
                    Cell::num(number(r.mean_rtt_ms, 1)),
                    Cell::num(number(r.peak_rtt_ms, 1)),
                    Cell::num(&r.peak_date),
                    Cell::num(number(f64::from(r.days_without), 0)),
                ]
            })
            .collect();
        blocks.push(table(
            "Round-trip times of the traffic served",
            &[
                "Traffic to",
                "Baseline (ms)",
                "Mean (ms)",
                "Worst (ms)",
                "Worst on",
                "Days with none served",
            ],
            rows,
            "",
            &format!("{id}/rtt.csv"),
        ));
    }
    let daily = format!("{id}/daily.csv");
    blocks.push(figs.make(
        &format!("{id}/throughput"),
        "Daily crude exports by route, stacked, against the baseline (dashed). Shaded bands mark the events.",
        &[&daily],
    )?);
    blocks.push(figs.make(
        &format!("{id}/resilience"),
        "Performance (exports over the baseline day's) through the run; the area above the curve is the resilience loss.",
        &[&daily],
    )?);
    blocks.push(figs.make(
        &format!("{id}/data"),
        "International bandwidth served by route against demand (dashed).",
        &[&daily],
    )?);
    blocks.push(figs.make(
        &format!("{id}/map"),
        "Where the events strike: assets taken below full capacity in red.",
        &[&format!("{id}/summary.json")],
    )?);
    Ok(Section {
        id: format!("s-{id}"),
        title: s.name.clone(),
        blocks,
        subsections: vec![],
    })
}

fn monte_carlo_section(figs: &mut Figures<'_>, data: &StudyData<'_>) -> Result<Section, String> {
    let mc = data.monte_carlo;
    let rows = mc
        .iter()
        .map(|m| {
            let l = &m.lost_exports_mt;
            vec![
                Cell::link(&m.name, format!("#mc-{}", m.scenario)).with_id(&m.scenario),
                Cell::num(number(m.runs as f64, 0)),
                Cell::num(number(l.mean, 2)),
                Cell::num(number(l.p50, 2)),
                Cell::num(number(l.p95, 2)),
                Cell::num(number(l.cvar95, 2)),
                Cell::num(usd(m.lost_revenue_usd.mean)),
                Cell::num(percent(m.p_loss_over_10pct, 1)),
                Cell::num(number(m.data_outage_hours.mean, 1)),
            ]
        })
        .collect();
    let mut blocks = vec![
        text(
            "Each simulated year draws failures of every asset from its failure and repair process (and the common causes and weather windows the scenario lists), then runs the year. The statistics are over those years: the mean, the median (P50), the level one year in 20 exceeds (P95), and the mean of the worst 5% of years (CVaR95).",
        ),
        table(
            "Annual losses",
            &[
                "Scenario",
                "Simulated years",
                "Mean lost exports (Mt)",
                "Median (Mt)",
                "P95 (Mt)",
                "CVaR95 (Mt)",
                "Mean lost revenue",
                "P(loss > 10% of exports)",
                "Mean data outage (h equivalent)",
            ],
            rows,
            "Each scenario draws its own failures (its own seed and assets), so the differences between these rows mix the networks with the luck of the draw; the Options section compares options on the same failures.",
            "",
        ),
    ];
    if mc.len() > 1 {
        let reps: Vec<String> = mc
            .iter()
            .map(|m| format!("{}/mc_replicates.csv", m.scenario))
            .collect();
        let bands: Vec<String> = mc
            .iter()
            .map(|m| format!("{}/mc_daily_bands.csv", m.scenario))
            .collect();
        blocks.push(figs.make(
            "mc_losses",
            "The chance that a year loses at least a given volume, for each Monte Carlo scenario (log scale; read across for a return period).",
            &reps.iter().map(String::as_str).collect::<Vec<_>>(),
        )?);
        blocks.push(figs.make(
            "mc_resilience",
            "Daily performance through the year: median with the band from P5 to P95 of the simulated years.",
            &bands.iter().map(String::as_str).collect::<Vec<_>>(),
        )?);
    }
    let mut subsections = Vec::new();
    for m in mc {
        let l = &m.lost_exports_mt;
        let d = &m.data_outage_hours;
        let mut b = vec![text(format!(
            "{} simulated years, seed {}. Annual lost exports: mean {} Mt (standard error {}), median {}, P95 {}, CVaR95 {} Mt; a year loses more than 10% of baseline exports with probability {}. Data: mean {} hours of full outage equivalent, P95 {} h{}.",
            number(m.runs as f64, 0),
            m.seed,
            number(l.mean, 2),
            number(l.se, 3),
            number(l.p50, 2),
            number(l.p95, 2),
            number(l.cvar95, 2),
            percent(m.p_loss_over_10pct, 1),
            number(d.mean, 1),
            number(d.p95, 1),
            m.data_loss_usd.as_ref().map_or(String::new(), |u| format!(
                " (mean {} a year, P95 {})",
                usd(u.mean),
                usd(u.p95)
            )),
        ))];
        let reps = format!("{}/mc_replicates.csv", m.scenario);
        b.push(figs.make(
            &format!("{}/losses", m.scenario),
            "The chance that a year loses at least a given volume of exports (log scale), with the mean (dashed) and CVaR95 (dotted).",
            &[&reps],
        )?);
        if d.mean > 0.0 {
            b.push(figs.make(
                &format!("{}/data_losses", m.scenario),
                "The chance that a year loses at least a given number of hours of international connectivity (full-outage equivalent).",
                &[&reps],
            )?);
        }
        subsections.push(Section {
            id: format!("mc-{}", m.scenario),
            title: m.name.clone(),
            blocks: b,
            subsections: vec![],
        });
    }
    Ok(Section {
        id: "montecarlo".into(),
        title: "Random failures (Monte Carlo)".into(),
        blocks,
        subsections,
    })
}

fn options_section(figs: &mut Figures<'_>, c: &Compared<'_>) -> Result<Section, String> {
    let dir = c.dir.display().to_string();
    let runs = c.rows.first().map_or(0, |r| r.runs);
    let mt = |x: f64| number(x, 3);
    let benefit_rows = c
        .rows
        .iter()
        .map(|r| {
            vec![
                Cell::text(&r.name).with_id(&r.variant),
                Cell::num(usd(r.annual_cost_usd.0)),
                Cell::num(with_ci(
                    r.avoided_mt.0,
                    r.avoided_mt_lo.0,
                    r.avoided_mt_hi.0,
                    mt,
                )),
                Cell::num(usd(r.avoided_usd.0)),
                Cell::num(usd(r.data_avoided_usd.0)),
                Cell::num(usd(r.net_benefit_usd.0)),
                Cell::num(
                    match (r.benefit_cost, r.benefit_cost_lo, r.benefit_cost_hi) {
                        (Some(b), Some(lo), Some(hi)) => with_ci(b.0, lo.0, hi.0, |x| number(x, 2)),
                        _ => "–".into(),
                    },
                ),
            ]
        })
        .collect();
    let risk_rows = c
        .rows
        .iter()
        .map(|r| {
            vec![
                Cell::text(&r.name).with_id(&r.variant),
                Cell::num(with_ci(
                    r.cvar95_change_mt.0,
                    r.cvar95_change_mt_lo.0,
                    r.cvar95_change_mt_hi.0,
                    |x| number(x, 2),
                )),
                Cell::num(points(r.p_loss_over_10pct_change.0, 1)),
                Cell::num(number(r.days_below_80pct_change.0, 1)),
                Cell::num(percent(r.russia_share_flows.0, 1)),
                Cell::num(sig3(r.n_minus_1_mt.0)),
                Cell::num(number(r.data_unserved_change_tb.0, 0)),
            ]
        })
        .collect();
    let blocks = vec![
        text(format!(
            "Every option is switched on in the status quo ({}) and run on the same {} sampled failure years, so the differences are the option's doing, not the luck of the draw (common random numbers). <b>Avoided</b>: mean annual lost exports of the status quo minus the option's, with its 95% interval from the paired differences. <b>Net benefit</b>: avoided losses (oil and data, valued) minus the option's annual cost; rows are ranked by it.",
            esc(c.status_quo),
            number(runs as f64, 0)
        )),
        table(
            "What each option avoids and what it costs",
            &[
                "Option",
                "Annual cost",
                "Avoided (Mt/yr, 95% interval)",
                "Avoided oil value",
                "Avoided data value",
                "Net benefit (per yr)",
                "Benefit/cost (95% interval)",
            ],
            benefit_rows,
            "An option whose interval for avoided losses is 0 to 0 changes nothing on these failures: its capacity is not where the failures bind.",
            &format!("{dir}/compare.csv"),
        ),
        table(
            "How each option changes the tail and the structure",
            &[
                "Option",
                "CVaR95 change (Mt, 95% interval)",
                "P(loss > 10%) change",
                "Days below 80% change",
                "Flows via Russia",
                "N−1 capacity (Mt/yr)",
                "Unserved data change (Tb)",
            ],
            risk_rows,
            "Changes are option minus status quo: negative is better. Flows via Russia and N−1 describe the network with the option in service.",
            &format!("{dir}/compare.csv"),
        ),
        figs.make(
            &format!("{dir}/options"),
            "Net benefit of each option per year with its 95% interval, against its annual cost.",
            &[&format!("{dir}/compare.csv")],
        )?,
        figs.make(
            &format!("{dir}/losses"),
            "The chance that a year loses at least a given volume of exports, for the status quo and each option, on the same failures.",
            &[&format!("{dir}/replicates.csv")],
        )?,
    ];
    Ok(Section {
        id: "options".into(),
        title: "Investment options".into(),
        blocks,
        subsections: vec![],
    })
}

/// The finding of the portfolio section: the best portfolio within the middle budget (the
/// second of three or more), what it avoids, and the minimax-regret choice there.
fn portfolio_finding(o: &Optimised<'_>) -> Option<Finding> {
    let t = o.tables;
    let bests: Vec<&ChoiceRow> = t.choice.iter().filter(|c| c.role == "best").collect();
    let c = bests.get(bests.len() / 2)?;
    let p = t.portfolios.iter().find(|p| p.portfolio == c.portfolio)?;
    let minimax = t.regret.iter().find(|r| {
        r.budget_usd == c.budget_usd && r.role.split("; ").any(|x| x == "minimax regret")
    });
    Some(Finding {
        html: format!(
            "<b>Within {}, the best portfolio is {}: it avoids {} a year (95% interval {} to {}) for {}, a net benefit of {}.</b>{}",
            per_year(c.budget_usd.0),
            esc(&c.portfolio),
            usd(p.avoided_usd.0),
            usd(p.avoided_usd_lo.0),
            usd(p.avoided_usd_hi.0),
            usd(p.annual_cost_usd.0),
            usd(p.net_usd.0),
            minimax.map_or(String::new(), |m| if m.portfolio == c.portfolio {
                " It is also the choice regretted least if the failure rates, costs, Russian cut-off or oil price are wrong.".to_string()
            } else {
                format!(
                    " If the failure rates, costs, Russian cut-off or oil price are wrong, {} is the choice regretted least.",
                    esc(&m.portfolio)
                )
            })
        ),
        href: "portfolio".into(),
        link: "Portfolio".into(),
    })
}

/// The budget as a heading cell: `$150 m/yr`, or `$0/yr`.
fn per_year(x: f64) -> String {
    format!("{}/yr", usd(x))
}

fn portfolio_section(figs: &mut Figures<'_>, o: &Optimised<'_>) -> Result<Section, String> {
    let dir = o.dir.display().to_string();
    let t = o.tables;
    let src = |f: &str| format!("{dir}/{f}");
    let row_of = |id: &str| t.portfolios.iter().find(|p| p.portfolio == id);
    let mut budgets: Vec<f64> = t.choice.iter().map(|c| c.budget_usd.0).collect();
    budgets.dedup();
    let best_rows: Vec<Vec<Cell>> = t
        .choice
        .iter()
        .filter(|c| c.role == "best")
        .map(|c| {
            let close: Vec<&str> = t
                .choice
                .iter()
                .filter(|x| x.budget_usd == c.budget_usd && x.role != "best")
                .map(|x| x.portfolio.as_str())
                .collect();
            let p = row_of(&c.portfolio);
            vec![
                Cell::num(per_year(c.budget_usd.0)),
                Cell::text(&c.portfolio),
                Cell::num(usd(c.annual_cost_usd.0)),
                Cell::num(p.map_or("–".into(), |p| {
                    with_ci(p.avoided_usd.0, p.avoided_usd_lo.0, p.avoided_usd_hi.0, usd)
                })),
                Cell::num(p.map_or("–".into(), |p| usd(p.net_usd.0))),
                Cell::text(if close.is_empty() {
                    "none".to_string()
                } else {
                    close.join(", ")
                }),
            ]
        })
        .collect();
    let marginal_rows: Vec<Vec<Cell>> = t
        .marginal
        .iter()
        .map(|m| {
            vec![
                Cell::num(per_year(m.budget_usd.0)),
                Cell::text(&m.portfolio),
                Cell::text(if m.with_dependents.is_empty() {
                    m.option.clone()
                } else {
                    format!("{} (with {})", m.option, m.with_dependents)
                }),
                Cell::num(with_ci(
                    m.avoided_usd.0,
                    m.avoided_usd_lo.0,
                    m.avoided_usd_hi.0,
                    usd,
                )),
                Cell::num(usd(m.annual_cost_usd.0)),
                Cell::num(usd(m.net_usd.0)),
                Cell::num(usd(m.cvar95_change_usd.0)),
            ]
        })
        .collect();
    let mut blocks = vec![
        text(format!(
            "Options interact: two bypasses of one bottleneck substitute for each other, and capacity behind a bottleneck is worth nothing until the bottleneck goes. So every combination of the {} options that the rules allow (alternatives exclude each other) is simulated in the status quo ({}) on the same {} sampled failure years, and the one with the highest <b>net benefit</b> (mean avoided loss less annual cost) is chosen within each budget. The budgets are illustrative: <code>corridor optimise --budget</code> takes yours. A portfolio <b>not statistically worse</b> is one the paired 95% interval of the difference does not separate from the best.",
            o.options,
            esc(o.status_quo),
            number(o.runs as f64, 0)
        )),
        figs.make(
            &src("frontier"),
            "Every portfolio as annual cost against mean annual loss (left) and CVaR95 of the annual loss (right); the blue line joins the portfolios nothing beats on both cost and loss. What is below the line to the right is what more money buys.",
            &[&src("portfolios.csv")],
        )?,
        table(
            "The best portfolio within each budget",
            &[
                "Budget",
                "Best portfolio",
                "Annual cost",
                "Avoided loss (per yr, 95% interval)",
                "Net benefit (per yr)",
                "Not statistically worse",
            ],
            best_rows,
            "Avoided loss: crude not exported valued at the scenario's oil price, plus data losses valued, against the status quo on the same years.",
            &src("choice.csv"),
        ),
        table(
            "What each option adds to the best portfolio",
            &[
                "Budget",
                "Portfolio",
                "Option",
                "Avoided loss it adds (per yr, 95% interval)",
                "Its annual cost",
                "Net (per yr)",
                "CVaR95 change (per yr)",
            ],
            marginal_rows,
            "The best portfolio against the best without the option (and without the options that need it): what the option is worth given the others.",
            &src("marginal.csv"),
        ),
    ];
    if !t.sizes.is_empty() {
        let rows: Vec<Vec<Cell>> = t
            .sizes
            .iter()
            .map(|z| {
                vec![
                    Cell::num(per_year(z.budget_usd.0)),
                    Cell::text(&z.portfolio),
                    Cell::text(if z.chosen {
                        format!("{} (chosen)", z.level)
                    } else {
                        z.level.clone()
                    }),
                    Cell::num(usd(z.annual_cost_usd.0)),
                    Cell::num(with_ci(
                        z.avoided_usd.0,
                        z.avoided_usd_lo.0,
                        z.avoided_usd_hi.0,
                        usd,
                    )),
                    Cell::num(usd(z.net_usd.0)),
                    Cell::num(if z.chosen {
                        "–".to_string()
                    } else {
                        with_ci(z.gap_usd.0, z.gap_usd_lo.0, z.gap_usd_hi.0, usd)
                    }),
                ]
            })
            .collect();
        blocks.push(table(
            "How big: each sized option of the best portfolio at every size",
            &[
                "Budget",
                "Best portfolio",
                "Size in its place",
                "Annual cost",
                "Avoided loss (per yr, 95% interval)",
                "Net benefit (per yr)",
                "Worse than the chosen by (per yr, 95% interval)",
            ],
            rows,
            "The best portfolio with the sized option left out (none) or at each level of its knob, the other options kept, on the same years: where the next size stops paying for itself.",
            &src("sizes.csv"),
        ));
    }
    if !t.regret.is_empty() {
        blocks.push(robustness_table(t, &budgets, &src("regret.csv")));
        if let Some(&last) = budgets.last() {
            blocks.push(regret_by_case_table(t, last, &src("robustness.csv")));
        }
    }
    if !t.staging.is_empty() {
        blocks.extend(staging_tables(
            t,
            o.staging,
            &src("staging.csv"),
            &src("pathway.csv"),
        ));
    }
    Ok(Section {
        id: "portfolio".into(),
        title: "Investment portfolio".into(),
        blocks,
        subsections: vec![],
    })
}

/// Per budget, the best as estimated, the expected-value and the minimax-regret choices.
fn robustness_table(t: &OptimiseTables, budgets: &[f64], source: &str) -> Block {
    let rows = budgets
        .iter()
        .map(|&b| {
            let has = |role: &str| {
                t.regret
                    .iter()
                    .find(|r| r.budget_usd.0 == b && r.role.split("; ").any(|x| x == role))
            };
            let cell = |role: &str| {
                has(role).map_or("–".to_string(), |r| {
                    format!(
                        "{} (largest regret {}, under {})",
                        r.portfolio,
                        usd(r.max_regret_usd.0),
                        r.worst_case
                    )
                })
            };
            vec![
                Cell::num(per_year(b)),
                Cell::text(cell("best as estimated")),
                Cell::text(cell("expected value")),
                Cell::text(cell("minimax regret")),
            ]
        })
        .collect();
    table(
        "Robustness: the choice when the assumptions are wrong",
        &[
            "Budget",
            "Best as estimated",
            "Expected value over the cases",
            "Minimax regret",
        ],
        rows,
        "The candidates within each budget (the best and the bests within the smaller budgets, then the frontier of cost against mean loss, where the best lies whatever the costs or the oil price, then the next best; 8 at most) scored under nine cases: as estimated; failure rates ×0.5 and ×2; the Russian cut-off never and ×4 (these four simulated again on the same seeds); option costs ×0.5 and ×2; the oil price ×0.75 and ×1.25. Regret: the case's best net benefit less the portfolio's. Minimax regret: the smallest largest regret.",
        source,
    )
}

/// Regret in every case of the three choices within budget `b`, $m/yr.
fn regret_by_case_table(t: &OptimiseTables, b: f64, source: &str) -> Block {
    let mut shown: Vec<&str> = Vec::new();
    for r in t
        .regret
        .iter()
        .filter(|r| r.budget_usd.0 == b && !r.role.is_empty())
    {
        if !shown.contains(&r.portfolio.as_str()) {
            shown.push(&r.portfolio);
        }
    }
    let mut cases: Vec<&str> = Vec::new();
    for r in t.robustness.iter().filter(|r| r.budget_usd.0 == b) {
        if !cases.contains(&r.case.as_str()) {
            cases.push(&r.case);
        }
    }
    let rows = cases
        .iter()
        .map(|case| {
            let mut row = vec![Cell::text(*case)];
            row.push(Cell::text(
                t.robustness
                    .iter()
                    .find(|r| r.budget_usd.0 == b && r.case == *case && r.regret_usd.0 == 0.0)
                    .map_or("–".into(), |r| r.portfolio.clone()),
            ));
            row.extend(shown.iter().map(|p| {
                Cell::num(
                    t.robustness
                        .iter()
                        .find(|r| r.budget_usd.0 == b && r.case == *case && r.portfolio == *p)
                        .map_or("–".into(), |r| usd(r.regret_usd.0)),
                )
            }));
            row
        })
        .collect();
    let mut headers = vec!["Case (regret per yr)", "Best in the case"];
    headers.extend(shown.iter().copied());
    table(
        &format!("Regret by case within {}", per_year(b)),
        &headers,
        rows,
        "0: the best candidate in that case.",
        source,
    )
}

/// The staged portfolios' best and worst orders, and the best portfolio's pathway year by
/// year within the last budget.
fn staging_tables(t: &OptimiseTables, calendar: &str, staging: &str, pathway: &str) -> Vec<Block> {
    let mut rows = Vec::new();
    let mut seen: Vec<(f64, &str)> = Vec::new();
    for s in &t.staging {
        let key = (s.budget_usd.0, s.portfolio.as_str());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let orders: Vec<_> = t
            .staging
            .iter()
            .filter(|x| x.budget_usd.0 == key.0 && x.portfolio == key.1)
            .collect();
        let worst = orders[orders.len() - 1];
        rows.push(vec![
            Cell::num(per_year(s.budget_usd.0)),
            Cell::text(&s.portfolio),
            Cell::text(format!("{} ({})", s.order, s.in_service_from)),
            Cell::num(usd(s.npv_usd.0)),
            Cell::text(if orders.len() > 1 {
                format!("{} ({})", worst.order, usd(worst.npv_usd.0))
            } else {
                "–".into()
            }),
        ]);
    }
    let mut blocks = vec![table(
        "Staging: which investment first",
        &[
            "Budget",
            "Portfolio",
            "Best order (first year in service)",
            "NPV",
            "Worst order (NPV)",
        ],
        rows,
        &format!(
            "Every order of each portfolio, {calendar}, each option in service its lead time after its decision; each year the options in service avoid what that set avoids on the same simulated years and cost their annual cost. NPV at the start of the first year."
        ),
        staging,
    )];
    // The best staged portfolio of the last budget (the first staged there).
    let last_budget = t.pathway.last().map(|p| p.budget_usd);
    if let Some(last) = t.pathway.iter().find(|p| Some(p.budget_usd) == last_budget) {
        let years = t
            .pathway
            .iter()
            .filter(|p| p.budget_usd == last.budget_usd && p.portfolio == last.portfolio)
            .map(|p| {
                vec![
                    Cell::num(p.year.to_string()),
                    Cell::text(if p.in_service.is_empty() {
                        "none yet".into()
                    } else {
                        p.in_service.clone()
                    }),
                    Cell::num(usd(p.avoided_usd.0)),
                    Cell::num(usd(p.annual_cost_usd.0)),
                    Cell::num(usd(p.net_usd.0)),
                    Cell::num(usd(p.discounted_net_usd.0)),
                ]
            })
            .collect();
        blocks.push(table(
            &format!(
                "Pathway of {} within {}: {}",
                last.portfolio,
                per_year(last.budget_usd.0),
                last.order
            ),
            &[
                "Year",
                "In service",
                "Avoided loss",
                "Annual cost",
                "Net",
                "Discounted net",
            ],
            years,
            "The best order, year by year.",
            pathway,
        ));
    }
    blocks
}

fn history_section(figs: &mut Figures<'_>, rows: &[HindcastRow]) -> Result<Section, String> {
    let cells = rows
        .iter()
        .map(|h| {
            let dp = if h.unit == "share" { 3 } else { 2 };
            vec![
                Cell::text(&h.case),
                Cell::text(&h.name),
                Cell::num(format!("{} {}", number(h.model.0, dp), h.unit)),
                Cell::num(
                    h.reported
                        .map_or("–".into(), |r| format!("{} {}", number(r.0, dp), h.unit)),
                ),
                Cell::num(h.ratio.map_or("–".into(), |r| number(r.0, 2))),
                Cell::num(
                    h.tolerance
                        .map_or("–".into(), |t| format!("±{}", number(t.0, 2))),
                ),
                Cell::text(&h.result),
            ]
        })
        .collect();
    Ok(Section {
        id: "history".into(),
        title: "Does the model reproduce history?".into(),
        blocks: vec![
            text(
                "Each past event is encoded from its public timeline alone, run on the network of its date with that year's volumes, and set against what was reported: model ÷ reported, pass or fail within the tolerance (±15% for Mt, ±3 share points for shares, ±30% for the hours of the 2022 internet shutdown). <em>shown</em>: a forecast, a plan or a figure the sources disagree on, not tested; <em>model</em>: the case's own result, where no outcome was found to set it against. Sources: <code>scenarios/history/*.toml</code>.",
            ),
            table(
                "Model against reported",
                &[
                    "Case",
                    "Quantity",
                    "Model",
                    "Reported",
                    "Model ÷ reported",
                    "Tolerance",
                    "Result",
                ],
                cells,
                "",
                "hindcast.csv",
            ),
            figs.make(
                "hindcast",
                "Model against reported for every tested figure; the band is the tolerance.",
                &["hindcast.csv"],
            )?,
        ],
        subsections: vec![],
    })
}

fn about_sections(data: &StudyData<'_>, manifest: &Manifest) -> Vec<Section> {
    let mut out = Vec::new();
    if !manifest.warnings.is_empty() {
        out.push(Section {
            id: "warnings".into(),
            title: "Warnings".into(),
            blocks: vec![
                text(format!(
                    "{} consistency-check warning(s) were raised while loading the inputs (<code>--strict</code> refuses them):",
                    manifest.warnings.len()
                )),
                Block::List {
                    items: manifest
                        .warnings
                        .iter()
                        .map(|w| format!("<code>{}</code>", esc(w)))
                        .collect(),
                },
            ],
            subsections: vec![],
        });
    }
    let mut items = vec![
        format!("corridor version: {}", esc(&manifest.version)),
        format!(
            "git revision: {}",
            esc(manifest.git_revision.as_deref().unwrap_or("unknown"))
        ),
    ];
    for (s, seed, runs) in &manifest.seeds {
        items.push(format!(
            "{}: seed {seed}, {} simulated years",
            esc(s),
            number(*runs as f64, 0)
        ));
    }
    out.push(Section {
        id: "manifest".into(),
        title: "Reproducibility".into(),
        blocks: vec![
            Block::List { items },
            table(
                "Inputs read",
                &["Input", "SHA-256"],
                manifest
                    .inputs
                    .iter()
                    .map(|(f, sha)| vec![Cell::text(f), Cell::code(sha)])
                    .collect(),
                "",
                "",
            ),
        ],
        subsections: vec![],
    });
    out.push(Section {
        id: "sources".into(),
        title: "Sources".into(),
        blocks: vec![
            text(
                "Cited by the assets of the network (tags as in <code>routes/README.md</code>). Basemap: Made with Natural Earth.",
            ),
            Block::List {
                items: sources(data.assets)
                    .into_iter()
                    .map(|(tag, t)| format!("<b>{tag}</b> {}", esc(&t)))
                    .collect(),
            },
        ],
        subsections: vec![],
    });
    out
}
