//! `index.html`: one self-contained report of a study. Every chart is inlined as SVG, every
//! table is built from the rows the jobs wrote to their CSV files, and nothing is loaded from elsewhere (no
//! scripts, stylesheets, fonts or images by URL), so the file opens offline.

use std::fmt::Write as _;
use std::path::Path;

use super::mc::McSummary;
use super::rows::{
    AssetCsvRow, CompareRow, HindcastRow, IndicatorRow, RouteRow, SummaryRow, Table, cells, columns,
};
use super::run::ScenarioSummary;

/// The source list of `routes/README.md` (`- S12 text: url`), compiled in.
const ROUTES_README: &str = include_str!("../../routes/README.md");

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

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Rows as an HTML table; `keep` picks and orders columns (all when empty).
///
/// # Errors
/// A `keep` name that is not a column of `T` (the report and the table disagree).
pub fn table_of<T: Table>(rows: &[T], keep: &[&str]) -> Result<String, String> {
    let header = columns::<T>();
    let cols: Vec<usize> = if keep.is_empty() {
        (0..header.len()).collect()
    } else {
        keep.iter()
            .map(|k| {
                header.iter().position(|h| h == k).ok_or_else(|| {
                    format!("internal: the report shows `{k}`, which is not a column of its table")
                })
            })
            .collect::<Result<_, _>>()?
    };
    let mut out = String::from("<table>\n<thead><tr>");
    for &c in &cols {
        let _ = write!(out, "<th>{}</th>", esc(header[c]));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        let rec = cells(row);
        out.push_str("<tr>");
        for &c in &cols {
            let v = rec.get(c).map_or("", String::as_str);
            let class = if v.parse::<f64>().is_ok() {
                " class=\"n\""
            } else {
                ""
            };
            let _ = write!(out, "<td{class}>{}</td>", esc(v));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
    Ok(out)
}

/// An SVG chart's markup for inlining: the XML prologue and namespace declarations dropped
/// (HTML does not need them), sized to the page width.
pub fn inline_svg(svg: &str) -> String {
    let start = svg.find("<svg").unwrap_or(0);
    let svg = svg[start..]
        .replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
        .replacen("<svg ", "<svg class=\"chart\" role=\"img\" ", 1);
    format!("<figure>{svg}</figure>\n")
}

/// The page with the basemap path that every inlined map carries held once, in a hidden
/// `<svg>` at the top of the body, and each map's copy replaced by a `<use>` of it.
pub fn share_basemap(page: &str) -> String {
    use super::map::{BASEMAP_PATH_PREFIX, BASEMAP_USE};
    let Some(first) = page.find(BASEMAP_PATH_PREFIX) else {
        return page.to_string();
    };
    let Some(len) = page[first..].find("/>") else {
        return page.to_string();
    };
    let path = &page[first..first + len + 2];
    let shared = page.replace(path, BASEMAP_USE);
    let defs = format!(
        "<svg width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\"><defs>{path}</defs></svg>\n"
    );
    match shared.find("<body>\n") {
        Some(i) => {
            let at = i + "<body>\n".len();
            format!("{}{defs}{}", &shared[..at], &shared[at..])
        }
        None => shared,
    }
}

/// `S12` → its citation line in `routes/README.md`, scheme stripped so the report links to
/// nothing.
fn citation(tag: &str) -> Option<String> {
    ROUTES_README.lines().find_map(|l| {
        let rest = l.strip_prefix("- ")?.strip_prefix(tag)?;
        rest.starts_with(' ')
            .then(|| rest.trim().replace("https://", "").replace("http://", ""))
    })
}

/// Every source tag (`S12`) cited in the `source` column of `network_assets.csv`, with its
/// citation, in tag order.
pub fn sources(assets: &[AssetCsvRow]) -> Vec<(String, String)> {
    let mut tags = std::collections::BTreeSet::new();
    for a in assets {
        for w in a.source.split(|c: char| !c.is_ascii_alphanumeric()) {
            if let Some(n) = w.strip_prefix('S').and_then(|n| n.parse::<u32>().ok()) {
                tags.insert(n);
            }
        }
    }
    tags.into_iter()
        .map(|n| {
            let tag = format!("S{n}");
            let text = citation(&tag).unwrap_or_else(|| "(not in routes/README.md)".into());
            (tag, text)
        })
        .collect()
}

/// The columns of `network_routes.csv` the report shows.
pub const REPORT_ROUTE_COLUMNS: &[&str] = &[
    "route",
    "layer",
    "standalone_capacity",
    "unit",
    "via_russia",
    "status",
];

/// The columns of `summary.csv` the report shows.
pub const REPORT_SUMMARY_COLUMNS: &[&str] = &[
    "scenario",
    "exported_mt",
    "lost_exports_mt",
    "lost_revenue_usd",
    "state_budget_loss_usd",
    "min_performance",
    "days_below_90pct",
    "days_to_recover",
    "resilience_loss",
    "russia_transit_share",
    "data_unserved_tb",
    "data_outage_hours",
    "data_shutdown_hours",
    "data_min_performance",
    "data_value_usd",
    "data_peak_latency_ms",
];

/// The columns of `hindcast.csv` the report shows.
pub const REPORT_HINDCAST_COLUMNS: &[&str] = &[
    "case",
    "name",
    "model",
    "reported",
    "unit",
    "ratio",
    "tolerance",
    "result",
];

/// The columns of `compare.csv` the report shows.
pub const REPORT_COMPARE_COLUMNS: &[&str] = &[
    "variant",
    "name",
    "annual_cost_usd",
    "runs",
    "avoided_mt",
    "avoided_usd",
    "avoided_usd_lo",
    "avoided_usd_hi",
    "data_avoided_hours",
    "data_avoided_usd",
    "total_avoided_usd",
    "net_benefit_usd",
    "benefit_cost",
    "benefit_cost_lo",
    "benefit_cost_hi",
    "cvar95_change_mt",
    "russia_share_flows",
    "n_minus_1_mt",
];

const STYLE: &str = "body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.8em}h2{border-bottom:2px solid #266ea6;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;font-size:.82em;margin:1em 0;display:block;overflow-x:auto}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;white-space:nowrap}th{background:#eef3f8}
td.n{text-align:right;font-variant-numeric:tabular-nums}figure{margin:1em 0}svg.chart{max-width:100%;height:auto}
.muted{color:#666;font-size:.9em}code{background:#f4f4f4;padding:0 .2em}";

/// The charts of a study (SVG text), by path relative to its output directory.
pub type Charts<'a> = &'a dyn Fn(&Path) -> Result<String, String>;

/// What the report shows, as the jobs produced it.
#[derive(Debug, Clone, Copy)]
pub struct StudyData<'a> {
    pub indicators: &'a [IndicatorRow],
    pub routes: &'a [RouteRow],
    pub assets: &'a [AssetCsvRow],
    /// `network_rtt.csv`.
    pub rtt: &'a [super::network::RttPathRow],
    /// `summary.csv`, and each deterministic scenario's `summary.json`, in the order shown.
    pub summary: &'a [SummaryRow],
    pub scenarios: &'a [ScenarioSummary],
    /// Each Monte Carlo scenario's `mc_summary.json`, in the order shown.
    pub monte_carlo: &'a [McSummary],
    /// The directory of the comparison and its `compare.csv` rows.
    pub compare: Option<(&'a Path, &'a [CompareRow])>,
    /// `hindcast.csv` (empty: no history scenarios).
    pub hindcast: &'a [HindcastRow],
}

/// The network's round-trip times as a table: data source → destination group by sink.
fn rtt_grid_html(rows: &[super::network::RttPathRow]) -> String {
    let (sinks, lines) = super::network::rtt_grid(rows);
    let mut h = format!(
        "<p>{}.</p>\n<table><thead><tr><th>from → to</th>",
        esc(super::network::RTT_LEGEND)
    );
    for s in &sinks {
        let _ = write!(h, "<th>by {}</th>", esc(s));
    }
    h.push_str("</tr></thead><tbody>\n");
    for (pair, cells) in lines {
        let _ = write!(h, "<tr><td>{}</td>", esc(&pair));
        for c in cells {
            let _ = write!(h, "<td class=\"n\">{}</td>", esc(&c));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n");
    h
}

/// A scenario's served round-trip time per destination group, when it changes from the
/// baseline (empty otherwise).
fn served_rtt_html(rows: &[super::run::RttJson]) -> String {
    let served: Vec<_> = rows.iter().filter(|r| r.origin == "served").collect();
    if served
        .iter()
        .all(|r| (r.peak_rtt_ms - r.baseline_rtt_ms).abs() < 0.05 && r.days_without == 0)
    {
        return String::new();
    }
    let mut h = String::from(
        "<table><thead><tr><th>traffic to</th><th>RTT baseline (ms)</th><th>mean (ms)</th><th>worst (ms)</th><th>worst on</th><th>days with none served</th></tr></thead><tbody>\n",
    );
    for r in served {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"n\">{:.1}</td><td class=\"n\">{:.1}</td><td class=\"n\">{:.1}</td><td>{}</td><td class=\"n\">{}</td></tr>",
            esc(&r.destination),
            r.baseline_rtt_ms,
            r.mean_rtt_ms,
            r.peak_rtt_ms,
            esc(&r.peak_date),
            r.days_without
        );
    }
    h.push_str("</tbody></table>\n");
    h
}

/// A JSON number as `summary.json` prints it.
fn js(x: f64) -> String {
    serde_json::Value::from(x).to_string()
}

/// The report of a study: `data` as the jobs produced it, `svg` giving each chart.
///
/// # Errors
/// The message of the first chart `svg` cannot give, or of a column the report names that its
/// table does not have.
pub fn study_report(
    svg: Charts<'_>,
    data: &StudyData<'_>,
    manifest: &Manifest,
) -> Result<String, String> {
    let dir = Path::new("");
    let inline_svg = |p: &Path| svg(p).map(|s| inline_svg(&s));
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>corridor study</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n<h1>Kazakhstan's export routes: what breaks, and what it costs</h1>\n<p class=\"muted\">corridor {} — every figure below comes from the CSV and JSON files beside this report. Oil in Mt (kt/day in daily series), data in Gbps, money in US$.</p>\n<nav><a href=\"#network\">Network</a> · <a href=\"#scenarios\">Scenarios</a> · <a href=\"#montecarlo\">Monte Carlo</a> · <a href=\"#options\">Options</a> · <a href=\"#history\">History</a> · <a href=\"#manifest\">Manifest</a> · <a href=\"#sources\">Sources</a></nav>\n",
        esc(&manifest.version)
    );
    h.push_str("<h2 id=\"network\">Network</h2>\n");
    h.push_str(&table_of(data.indicators, &[])?);
    for stem in [
        "network_map",
        "network_oil_capacity",
        "network_data_capacity",
    ] {
        h.push_str(&inline_svg(&dir.join(format!("{stem}.svg")))?);
    }
    h.push_str(&table_of(data.routes, REPORT_ROUTE_COLUMNS)?);
    if !data.rtt.is_empty() {
        h.push_str(&rtt_grid_html(data.rtt));
    }
    h.push_str("<h2 id=\"scenarios\">Scenarios</h2>\n<p>One row per scenario: lost exports (Mt, US$ gross and the state budget's loss of export duty and extraction tax), minimum performance, days below 90%, resilience loss (days), Russia-transit share and unserved data (Tb).</p>\n");
    h.push_str(&table_of(data.summary, REPORT_SUMMARY_COLUMNS)?);
    for v in data.scenarios {
        let id = &v.scenario;
        let sd = dir.join(id);
        let _ = write!(
            h,
            "<h3 id=\"s-{0}\">{1}</h3>\n<p>{2}</p>\n<p class=\"muted\">{0}: lost exports {3} Mt, resilience loss {4} days.</p>\n<table><thead><tr><th>event</th><th>kind</th><th>start</th><th>end</th><th>displaced (kt)</th><th>source</th></tr></thead><tbody>\n",
            esc(id),
            esc(&v.name),
            esc(&v.description),
            js(v.lost_exports_mt),
            js(v.resilience_loss),
        );
        for e in &v.events {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                esc(&e.name),
                esc(&e.kind),
                esc(&e.start),
                esc(&e.end),
                js(e.displaced_kt),
                esc(&e.source)
            );
        }
        h.push_str("</tbody></table>\n");
        h.push_str(&served_rtt_html(&v.data_rtt));
        for stem in ["throughput", "resilience", "data", "map"] {
            h.push_str(&inline_svg(&sd.join(format!("{stem}.svg")))?);
        }
    }
    h.push_str("<h2 id=\"montecarlo\">Monte Carlo</h2>\n");
    // The overlays exist when there are several Monte Carlo scenarios to compare.
    for stem in ["mc_losses", "mc_resilience"]
        .iter()
        .filter(|_| data.monte_carlo.len() > 1)
    {
        h.push_str(&inline_svg(&dir.join(format!("{stem}.svg")))?);
    }
    for v in data.monte_carlo {
        let sd = dir.join(&v.scenario);
        let l = &v.lost_exports_mt;
        let _ = writeln!(
            h,
            "<h3>{}</h3>\n<p>{} replicate-years, seed {}. Annual lost exports: mean {} Mt (standard error {}), P50 {}, P95 {}, CVaR95 {} Mt. P(loss &gt; 10% of baseline exports) = {}.</p>",
            esc(&v.name),
            v.runs,
            v.seed,
            js(l.mean),
            js(l.se),
            js(l.p50),
            js(l.p95),
            js(l.cvar95),
            js(v.p_loss_over_10pct),
        );
        let d = &v.data_outage_hours;
        let _ = writeln!(
            h,
            "<p>Data losses, as hours of full national outage a year: mean {:.1} h, P95 {:.1} h, CVaR95 {:.1} h{}.</p>",
            d.mean,
            d.p95,
            d.cvar95,
            v.data_loss_usd.as_ref().map_or(String::new(), |u| format!(
                "; valued: mean US${:.1}m, P95 US${:.1}m, CVaR95 US${:.1}m",
                u.mean / 1e6,
                u.p95 / 1e6,
                u.cvar95 / 1e6
            )),
        );
        h.push_str(&inline_svg(&sd.join("losses.svg"))?);
        if d.mean > 0.0 {
            h.push_str(&inline_svg(&sd.join("data_losses.svg"))?);
        }
    }
    h.push_str("<h2 id=\"options\">Options</h2>\n");
    if let Some((c, rows)) = data.compare {
        h.push_str("<p>Every option runs on the same sampled failure years as the status quo; ranked by net benefit (US$/yr). Intervals are 95%.</p>\n");
        h.push_str(&table_of(rows, REPORT_COMPARE_COLUMNS)?);
        h.push_str(&inline_svg(&c.join("options.svg"))?);
        h.push_str(&inline_svg(&c.join("losses.svg"))?);
    }
    if !data.hindcast.is_empty() {
        h.push_str("<h2 id=\"history\">Does the model reproduce history?</h2>\n<p>Each past event from its public timeline alone, on the network of its date with that year's volumes, set against what was reported: model ÷ reported, and pass or fail within the tolerance (±15% for Mt, ±3 share points for shares, ±30% for the hours of the 2022 internet shutdown). <em>shown</em>: a forecast, a plan or a figure the sources disagree on, not tested; <em>model</em>: the case's lost exports (or data outage hours) over its run, where no outcome was found to set it against. Sources: <code>scenarios/history/*.toml</code>.</p>\n");
        h.push_str(&table_of(data.hindcast, REPORT_HINDCAST_COLUMNS)?);
        h.push_str(&inline_svg(&dir.join("hindcast.svg"))?);
    }
    if !manifest.warnings.is_empty() {
        let _ = writeln!(
            h,
            "<h2 id=\"warnings\">Warnings</h2>\n<p>{} consistency-check warning(s) were raised while loading the inputs (<code>--strict</code> refuses them):</p>\n<ul>",
            manifest.warnings.len()
        );
        for w in &manifest.warnings {
            let _ = writeln!(h, "<li><code>{}</code></li>", esc(w));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("<h2 id=\"manifest\">Reproducibility manifest</h2>\n<ul>\n");
    let _ = writeln!(h, "<li>corridor version: {}</li>", esc(&manifest.version));
    let _ = writeln!(
        h,
        "<li>git revision: {}</li>",
        esc(manifest.git_revision.as_deref().unwrap_or("unknown"))
    );
    for (s, seed, runs) in &manifest.seeds {
        let _ = writeln!(h, "<li>{}: seed {seed}, {runs} runs</li>", esc(s));
    }
    h.push_str("</ul>\n<table><thead><tr><th>input</th><th>SHA-256</th></tr></thead><tbody>\n");
    for (f, sha) in &manifest.inputs {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td><code>{}</code></td></tr>",
            esc(f),
            esc(sha)
        );
    }
    h.push_str("</tbody></table>\n<h2 id=\"sources\">Sources</h2>\n<p>Cited by the assets of the network (tags as in <code>routes/README.md</code>). Basemap: Made with Natural Earth.</p>\n<ul>\n");
    for (tag, text) in sources(data.assets) {
        let _ = writeln!(h, "<li><b>{tag}</b> {}</li>", esc(&text));
    }
    h.push_str("</ul>\n</body>\n</html>\n");
    Ok(share_basemap(&h))
}
