//! Scenario files (`scenarios/*.toml`): parsed in two steps like the network files, every
//! problem reported at once as `file:line: field: problem (hint)`. Documented in
//! `docs/scenario-format.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;
use toml::de::DeValue;

use super::diag::{Diagnostic, Severity, SourceText, deserialize_value, did_you_mean};
use super::raw::{RawDependency, RawFigure};
use super::routes::{LoadError, Resolver, load_dir_in, load_embedded};
use super::source::{Disk, Source};
use crate::engine::hazard::{AssetIndex, Shape, fraction_at};
use crate::model::units::Dimension;
use crate::model::{
    AssetClass, AssetRef, CommonCause, CostRates, Date, Dependency, Economics, Effect, Event,
    FailureProcess, Layer, MonteCarlo, Network, NodeIx, NodeKind, Repair, Scenario, Status, Supply,
    WeatherWindow, Window,
};

/// The scenario-file format version this build reads.
pub const SCENARIO_FORMAT: i64 = 1;
/// Waves above this stop SPM loading (hoses can be lifted and moored only in waves ≤ 2.5 m;
/// CPC, facts sheet §1.2, S5, S67, S68), m.
pub const SPM_WAVE_LIMIT_M: f64 = 2.5;

/// The keys a scenario file may hold at the top level.
pub const SCENARIO_KEYS: &[&str] = &[
    "format",
    "name",
    "description",
    "network",
    "start",
    "horizon_days",
    "variant",
    "economics",
    "production",
    "demand",
    "event",
    "depends_on",
    "monte_carlo",
    "failure",
    "common_cause",
    "weather_window",
    "repair_crews",
];

/// Event kinds.
pub const EVENT_KINDS: &[&str] = &[
    "outage",
    "derate",
    "hazard",
    "transit_cut",
    "weather",
    "replay",
    "production",
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVariant {
    /// Planned assets or expansions to switch on.
    pub switch_on: Option<Vec<Spanned<String>>>,
    pub set: Option<Vec<Spanned<RawSetCapacity>>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSetCapacity {
    pub asset: Spanned<String>,
    /// New nominal capacity.
    pub capacity: Option<Spanned<RawFigure>>,
    /// New Kazakh allocation.
    pub allocation: Option<Spanned<RawFigure>>,
    /// Multiplier on nominal capacity.
    pub scale: Option<Spanned<f64>>,
    /// New tariff for Kazakh crude (links only).
    pub tariff: Option<Spanned<RawFigure>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRates {
    pub pipeline: Spanned<RawFigure>,
    pub rail: Spanned<RawFigure>,
    pub tanker: Spanned<RawFigure>,
}

/// A figure without spans, for use inside an untagged enum (spans do not survive serde's
/// buffering there).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlainFigure {
    pub value: f64,
    pub unit: String,
    pub source: Option<String>,
    pub estimate: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawDataValue {
    Unset(String),
    Figure(RawPlainFigure),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEconomics {
    pub oil_price: Spanned<RawFigure>,
    pub bbl_per_t: Option<Spanned<RawFigure>>,
    pub data_value: Spanned<RawDataValue>,
    pub transport_cost: Spanned<RawRates>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSupply {
    pub value: Option<Spanned<f64>>,
    /// CSV file `date,value` (relative to the scenario file), values in `unit`.
    pub series: Option<Spanned<String>>,
    pub unit: Spanned<String>,
    pub source: Option<String>,
    pub estimate: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCircle {
    pub lon: f64,
    pub lat: f64,
    pub radius_km: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    pub kind: Spanned<String>,
    pub name: Option<String>,
    pub start: Option<Spanned<String>>,
    pub end: Option<Spanned<String>>,
    pub duration_days: Option<Spanned<i64>>,
    pub recovery_days: Option<Spanned<i64>>,
    pub assets: Option<Vec<Spanned<String>>>,
    pub routes: Option<Vec<Spanned<String>>>,
    pub fraction: Option<Spanned<f64>>,
    pub circle: Option<Spanned<RawCircle>>,
    pub polygon: Option<Spanned<Vec<Vec<f64>>>>,
    pub edge_fraction: Option<Spanned<f64>>,
    pub country: Option<Spanned<String>>,
    pub layer: Option<Spanned<String>>,
    pub wave_height_m: Option<Spanned<f64>>,
    pub file: Option<Spanned<String>>,
    pub field: Option<Spanned<String>>,
    pub source: Option<String>,
    pub estimate: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMonteCarlo {
    pub runs: Spanned<i64>,
    pub seed: Spanned<i64>,
}

/// A repair-time distribution: `dist` is `fixed` (`days`), `exponential` (`mean_days`),
/// `lognormal` (`mean_days`, `sd_days`) or `empirical` (`values`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRepair {
    pub dist: Spanned<String>,
    pub days: Option<f64>,
    pub mean_days: Option<f64>,
    pub sd_days: Option<f64>,
    pub values: Option<Vec<f64>>,
    pub source: Option<String>,
    pub estimate: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSeason {
    /// `MM-DD`
    pub from: Spanned<String>,
    /// `MM-DD`, inclusive
    pub to: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFailure {
    pub name: Option<String>,
    pub class: Option<Spanned<String>>,
    pub assets: Option<Vec<Spanned<String>>>,
    pub rate: Spanned<RawFigure>,
    pub repair: Spanned<RawRepair>,
    pub fraction: Option<Spanned<f64>>,
    pub source: Option<String>,
    pub estimate: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCommonCause {
    pub name: Option<String>,
    pub class: Option<Spanned<String>>,
    pub assets: Option<Vec<Spanned<String>>>,
    pub country: Option<Spanned<String>>,
    pub rate: Spanned<RawFigure>,
    pub season: Option<Spanned<RawSeason>>,
    pub duration: Spanned<RawRepair>,
    pub fraction: Option<Spanned<f64>>,
    pub source: Option<String>,
    pub estimate: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWeatherWindow {
    pub name: Option<String>,
    pub class: Option<Spanned<String>>,
    pub assets: Option<Vec<Spanned<String>>>,
    pub probability: Spanned<f64>,
    pub season: Spanned<RawSeason>,
    pub fraction: Option<Spanned<f64>>,
    pub source: Option<String>,
    pub estimate: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCrews {
    pub class: Spanned<String>,
    pub crews: Spanned<i64>,
    pub source: Option<String>,
    pub estimate: Option<String>,
}

/// A scenario ready to run, with the network it runs on (variant applied).
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    /// File stem, used for the output directory.
    pub id: String,
    pub scenario: Scenario,
    pub network: Network,
    pub warnings: Vec<Diagnostic>,
    /// Every input file read, as (name, text): scenario, CSVs, network files.
    pub files: Vec<(String, String)>,
}

/// Loads and resolves a scenario file.
///
/// # Errors
/// [`LoadError::Io`] if a file cannot be read, [`LoadError::Invalid`] with every problem.
pub fn load_scenario(path: &Path, strict: bool) -> Result<LoadedScenario, LoadError> {
    load_scenario_in(&Disk, path, strict)
}

/// [`load_scenario`] on any [`Source`]: the scenario, its CSVs and a network directory it names
/// are all read from `source`.
///
/// # Errors
/// As [`load_scenario`].
pub fn load_scenario_in(
    source: &dyn Source,
    path: &Path,
    strict: bool,
) -> Result<LoadedScenario, LoadError> {
    let text = source.read(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".into());
    parse_scenario_in(
        source,
        &id,
        &path.display().to_string(),
        &text,
        &base,
        strict,
    )
}

/// Parses scenario `text` (named `name` in messages); relative paths resolve against `base`.
///
/// # Errors
/// As [`load_scenario`].
pub fn parse_scenario(
    id: &str,
    name: &str,
    text: &str,
    base: &Path,
    strict: bool,
) -> Result<LoadedScenario, LoadError> {
    parse_scenario_in(&Disk, id, name, text, base, strict)
}

/// [`parse_scenario`] reading the files the scenario names from `source`.
///
/// # Errors
/// As [`load_scenario`].
pub fn parse_scenario_in(
    source: &dyn Source,
    id: &str,
    name: &str,
    text: &str,
    base: &Path,
    strict: bool,
) -> Result<LoadedScenario, LoadError> {
    let srcs = [SourceText::new(name, text)];
    let mut r = Resolver::new(&srcs);
    let src = &srcs[0];
    let Some(doc) = r.diags.parse_toml(src) else {
        return Err(LoadError::Invalid(r.diags.items));
    };
    let top = doc.get_ref();
    let get = |k: &str| {
        top.iter()
            .find(|(key, _)| key.get_ref() == k)
            .map(|(_, v)| v)
    };
    for (key, _) in top.iter() {
        let k = key.get_ref().as_ref();
        if !SCENARIO_KEYS.contains(&k) {
            let hint = did_you_mean(k, SCENARIO_KEYS.iter().copied())
                .or_else(|| Some(format!("top-level keys: {}", SCENARIO_KEYS.join(", "))));
            r.diags
                .error(src, key.span().start, k, "unknown top-level key", hint);
        }
    }
    fn req<T: for<'de> Deserialize<'de>>(
        r: &mut Resolver<'_>,
        src: &SourceText<'_>,
        v: Option<&Spanned<DeValue<'_>>>,
        key: &str,
        hint: &str,
    ) -> Option<T> {
        match v {
            Some(v) => deserialize_value(&mut r.diags, src, key, v),
            None => {
                r.diags
                    .error(src, 0, key, "missing required field", Some(hint.into()));
                None
            }
        }
    }
    fn opt<T: for<'de> Deserialize<'de>>(
        r: &mut Resolver<'_>,
        src: &SourceText<'_>,
        v: Option<&Spanned<DeValue<'_>>>,
        key: &str,
    ) -> Option<T> {
        v.and_then(|v| deserialize_value(&mut r.diags, src, key, v))
    }
    let format: Option<Spanned<i64>> = req(&mut r, src, get("format"), "format", "add format = 1");
    if let Some(f) = &format
        && *f.get_ref() != SCENARIO_FORMAT
    {
        r.diags.error(
            src,
            f.span().start,
            "format",
            format!("unsupported scenario format {}", f.get_ref()),
            Some(format!("this corridor reads format = {SCENARIO_FORMAT}")),
        );
    }
    let sname: Option<String> = req(&mut r, src, get("name"), "name", "add name = \"…\"");
    let description: Option<String> = req(
        &mut r,
        src,
        get("description"),
        "description",
        "say what the scenario asks, and where its assumptions come from",
    );
    let network_key: Option<Spanned<String>> = opt(&mut r, src, get("network"), "network");
    let start: Option<Spanned<String>> = req(
        &mut r,
        src,
        get("start"),
        "start",
        "add start = \"YYYY-MM-DD\"",
    );
    let horizon: Option<Spanned<i64>> = req(
        &mut r,
        src,
        get("horizon_days"),
        "horizon_days",
        "add horizon_days = 365",
    );
    let variant: Option<RawVariant> = opt(&mut r, src, get("variant"), "variant");
    let economics: Option<RawEconomics> = req(
        &mut r,
        src,
        get("economics"),
        "economics",
        "add [economics] with oil_price, data_value and transport_cost",
    );
    let production: Option<BTreeMap<String, Spanned<RawSupply>>> =
        opt(&mut r, src, get("production"), "production");
    let demand: Option<BTreeMap<String, Spanned<RawFigure>>> =
        opt(&mut r, src, get("demand"), "demand");
    let monte_carlo: Option<RawMonteCarlo> = opt(&mut r, src, get("monte_carlo"), "monte_carlo");
    let mut events: Vec<RawEvent> = Vec::new();
    let mut deps: Vec<RawDependency> = Vec::new();
    let mut failures: Vec<RawFailure> = Vec::new();
    let mut causes: Vec<RawCommonCause> = Vec::new();
    let mut windows: Vec<RawWeatherWindow> = Vec::new();
    let mut crews: Vec<RawCrews> = Vec::new();
    fn array<T: for<'de> Deserialize<'de>>(
        r: &mut Resolver<'_>,
        src: &SourceText<'_>,
        key: &str,
        v: Option<&Spanned<DeValue<'_>>>,
        out: &mut Vec<T>,
    ) {
        let Some(v) = v else { return };
        let DeValue::Array(items) = v.get_ref() else {
            r.diags.error(
                src,
                v.span().start,
                key,
                "must be an array of tables",
                Some(format!("write each entry as [[{key}]]")),
            );
            return;
        };
        for (i, item) in items.iter().enumerate() {
            if let Some(x) =
                deserialize_value(&mut r.diags, src, &format!("{key}[#{}]", i + 1), item)
            {
                out.push(x);
            }
        }
    }
    array(&mut r, src, "failure", get("failure"), &mut failures);
    array(
        &mut r,
        src,
        "common_cause",
        get("common_cause"),
        &mut causes,
    );
    array(
        &mut r,
        src,
        "weather_window",
        get("weather_window"),
        &mut windows,
    );
    array(&mut r, src, "repair_crews", get("repair_crews"), &mut crews);
    for (key, out_events) in [("event", true), ("depends_on", false)] {
        let Some(v) = get(key) else { continue };
        let DeValue::Array(items) = v.get_ref() else {
            r.diags.error(
                src,
                v.span().start,
                key,
                "must be an array of tables",
                Some(format!("write each entry as [[{key}]]")),
            );
            continue;
        };
        for (i, item) in items.iter().enumerate() {
            let path = format!("{key}[#{}]", i + 1);
            if out_events {
                if let Some(e) = deserialize_value(&mut r.diags, src, &path, item) {
                    events.push(e);
                }
            } else if let Some(d) = deserialize_value(&mut r.diags, src, &path, item) {
                deps.push(d);
            }
        }
    }

    if monte_carlo.is_none() && !(failures.is_empty() && causes.is_empty() && windows.is_empty()) {
        r.diags.error(
            src,
            0,
            "monte_carlo",
            "failure processes need a [monte_carlo] table",
            Some("add [monte_carlo] with runs and seed".into()),
        );
    }

    // Step two needs the network.
    let mut files = vec![(name.to_string(), text.to_string())];
    let loaded_net = match network_key.as_ref().map(|n| n.get_ref().as_str()) {
        None | Some("embedded") => load_embedded(strict),
        Some(dir) => load_dir_in(source, &base.join(dir), strict),
    };
    let mut net = match loaded_net {
        Ok(l) => {
            files.extend(l.files);
            l.network
        }
        Err(e) => {
            let (pos, field) = network_key
                .as_ref()
                .map_or((0, "network"), |n| (n.span().start, "network"));
            r.diags.error(
                src,
                pos,
                field,
                format!("the network does not load: {e}"),
                Some("network = \"embedded\" or a routes directory relative to this file".into()),
            );
            return Err(LoadError::Invalid(r.diags.items));
        }
    };
    let start_date = start.as_ref().and_then(|s| {
        let d = Date::parse(s.get_ref());
        if d.is_none() {
            r.diags.error(
                src,
                s.span().start,
                "start",
                format!("`{}` is not a date", s.get_ref()),
                Some("write YYYY-MM-DD".into()),
            );
        }
        d
    });
    if let Some(h) = &horizon
        && !(1..=36_500).contains(h.get_ref())
    {
        r.diags.error(
            src,
            h.span().start,
            "horizon_days",
            format!("{} days is outside 1…36,500", h.get_ref()),
            None,
        );
    }

    let mut cx = Cx {
        r,
        source,
        base: base.to_path_buf(),
        files: Vec::new(),
        start: start_date.unwrap_or(Date { days: 0 }),
    };
    if let Some(v) = &variant {
        cx.apply_variant(&mut net, v);
    }
    let economics = economics.and_then(|e| cx.economics(&e, net.crude.bbl_per_t));
    let production = cx.production(&net, production.unwrap_or_default());
    let demand = cx.demand(&net, demand.unwrap_or_default());
    let index = AssetIndex::new(&net);
    let mut resolved = Vec::new();
    let mut hazards = Hazards::default();
    for (i, e) in events.iter().enumerate() {
        cx.event(&net, &index, i, e, &mut resolved, &mut hazards);
    }
    let monte_carlo =
        monte_carlo.map(|m| cx.monte_carlo(&net, &m, &failures, &causes, &windows, &crews));
    let dependencies: Vec<Dependency> = deps
        .iter()
        .enumerate()
        .filter_map(|(i, d)| cx.dependency(&net, i, d))
        .collect();
    files.extend(std::mem::take(&mut cx.files));
    let diags = cx.r.diags;
    let fail = diags.has_errors() || (strict && diags.warnings().next().is_some());
    match (sname, description, start_date, horizon, economics, fail) {
        (Some(sname), Some(description), Some(start), Some(h), Some(economics), false) => {
            Ok(LoadedScenario {
                id: id.to_string(),
                scenario: Scenario {
                    name: sname,
                    description,
                    start,
                    horizon_days: *h.get_ref() as u32,
                    production,
                    demand,
                    economics,
                    events: resolved,
                    dependencies,
                    hazard_hits: hazards.hits,
                    footprints: hazards.footprints,
                    monte_carlo: monte_carlo.flatten(),
                },
                network: net,
                warnings: diags.warnings().cloned().collect(),
                files,
            })
        }
        _ => {
            let mut items = diags.items;
            items.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            if items.is_empty() {
                items.push(Diagnostic {
                    severity: Severity::Error,
                    check: None,
                    file: name.into(),
                    line: 1,
                    field: "(scenario)".into(),
                    problem: "incomplete scenario".into(),
                    hint: None,
                });
            }
            Err(LoadError::Invalid(items))
        }
    }
}

/// Resolution context for one scenario file.
pub(crate) struct Cx<'s> {
    pub(crate) r: Resolver<'s>,
    /// Where the files the scenario names are read from.
    pub(crate) source: &'s dyn Source,
    pub(crate) base: PathBuf,
    pub(crate) files: Vec<(String, String)>,
    pub(crate) start: Date,
}

impl Cx<'_> {
    pub(crate) fn err(
        &mut self,
        pos: usize,
        field: impl Into<String>,
        problem: impl Into<String>,
        hint: Option<String>,
    ) {
        let src = self.r.srcs[0].clone();
        self.r.diags.error(&src, pos, field, problem, hint);
    }

    /// Resolves an asset name, with "did you mean" on failure.
    fn asset(&mut self, net: &Network, name: &Spanned<String>, field: &str) -> Option<AssetRef> {
        if let Some(a) = net.asset(name.get_ref()) {
            return Some(a);
        }
        let names: Vec<&str> = net.all_names().collect();
        let hint = did_you_mean(name.get_ref(), names.into_iter());
        self.err(
            name.span().start,
            field,
            format!("unknown asset `{}`", name.get_ref()),
            hint.or(Some(
                "see `corridor network --format csv` for the names".into(),
            )),
        );
        None
    }

    pub(crate) fn unit_value(
        &mut self,
        f: &Spanned<RawFigure>,
        unit: &str,
        field: &str,
    ) -> Option<f64> {
        let raw = f.get_ref();
        if raw.unit.get_ref() != unit {
            self.err(
                raw.unit.span().start,
                format!("{field}.unit"),
                format!("unit `{}` is not accepted here", raw.unit.get_ref()),
                Some(format!("use `{unit}`")),
            );
            return None;
        }
        self.r
            .provenance(0, f.span().start, field, &raw.source, &raw.estimate);
        Some(*raw.value.get_ref())
    }

    fn economics(&mut self, e: &RawEconomics, network_bbl: f64) -> Option<Economics> {
        let price = self.unit_value(&e.oil_price, "$/bbl", "economics.oil_price");
        let bbl = match &e.bbl_per_t {
            Some(b) => self.unit_value(b, "bbl/t", "economics.bbl_per_t"),
            None => Some(network_bbl),
        };
        let data_value = match e.data_value.get_ref() {
            RawDataValue::Unset(s) if s == "unset" => Some(None),
            RawDataValue::Unset(s) => {
                self.err(
                    e.data_value.span().start,
                    "economics.data_value",
                    format!("`{s}` is neither a figure nor \"unset\""),
                    Some("data_value = \"unset\" or { value, unit = \"$/Tb\", source }".into()),
                );
                None
            }
            RawDataValue::Figure(f) => {
                let span = e.data_value.span();
                let fig = RawFigure {
                    value: Spanned::new(span.clone(), f.value),
                    unit: Spanned::new(span.clone(), f.unit.clone()),
                    source: f.source.clone(),
                    estimate: f.estimate.clone(),
                };
                self.unit_value(&Spanned::new(span, fig), "$/Tb", "economics.data_value")
                    .map(Some)
            }
        };
        let rates = e.transport_cost.get_ref();
        let rate = |cx: &mut Self, f: &Spanned<RawFigure>, k: &str| {
            cx.unit_value(f, "$/t/100km", &format!("economics.transport_cost.{k}"))
        };
        let (p, ra, t) = (
            rate(self, &rates.pipeline, "pipeline"),
            rate(self, &rates.rail, "rail"),
            rate(self, &rates.tanker, "tanker"),
        );
        Some(Economics {
            oil_price_usd_per_bbl: price?,
            bbl_per_t: bbl?,
            data_value_usd_per_tb: data_value?,
            rates: CostRates {
                pipeline: p?,
                rail: ra?,
                tanker: t?,
            },
        })
    }

    pub(crate) fn apply_variant(&mut self, net: &mut Network, v: &RawVariant) {
        for name in v.switch_on.iter().flatten() {
            if let Some(e) = net
                .expansions
                .iter()
                .find(|e| &e.id == name.get_ref())
                .cloned()
            {
                match e.target {
                    AssetRef::Node(n) => {
                        if let Some(c) = net.nodes[n.0].capacity.as_mut() {
                            c.nominal = e.capacity.clone();
                        }
                    }
                    AssetRef::Link(l) => net.links[l.0].capacity.nominal = e.capacity.clone(),
                }
                continue;
            }
            match self.asset(net, name, "variant.switch_on") {
                Some(AssetRef::Node(n)) => net.nodes[n.0].status = Status::Operating,
                Some(AssetRef::Link(l)) => net.links[l.0].status = Status::Operating,
                None => {}
            }
        }
        for set in v.set.iter().flatten() {
            let s = set.get_ref();
            let Some(a) = self.asset(net, &s.asset, "variant.set.asset") else {
                continue;
            };
            let layer = net.asset_layer(a);
            let cap = match a {
                AssetRef::Node(n) => net.nodes[n.0].capacity.as_mut(),
                AssetRef::Link(l) => Some(&mut net.links[l.0].capacity),
            };
            let Some(cap) = cap else {
                self.err(
                    s.asset.span().start,
                    "variant.set.asset",
                    format!("`{}` has no capacity to change", s.asset.get_ref()),
                    None,
                );
                continue;
            };
            let mut cap = cap.clone();
            if let Some(f) = &s.capacity
                && let Some(fig) =
                    self.r
                        .figure(0, f, layer.flow_dimension(), "variant.set.capacity")
            {
                cap.nominal = fig;
            }
            if let Some(f) = &s.allocation
                && let Some(fig) =
                    self.r
                        .figure(0, f, layer.flow_dimension(), "variant.set.allocation")
            {
                cap.allocation = Some(fig);
            }
            if let Some(k) = &s.scale {
                cap.nominal.value *= k.get_ref();
            }
            if let Some(t) = &s.tariff {
                match a {
                    AssetRef::Link(l) => {
                        net.links[l.0].tariff = self.r.figure(
                            0,
                            t,
                            crate::model::units::Dimension::Tariff,
                            "set.tariff",
                        );
                    }
                    AssetRef::Node(_) => self.err(
                        t.span().start,
                        "set.tariff",
                        "only links have tariffs",
                        None,
                    ),
                }
            }
            match a {
                AssetRef::Node(n) => net.nodes[n.0].capacity = Some(cap),
                AssetRef::Link(l) => net.links[l.0].capacity = cap,
            }
        }
    }

    fn field(
        &mut self,
        net: &Network,
        name: &Spanned<String>,
        field: &str,
        kind_ok: impl Fn(NodeKind) -> bool,
        what: &str,
    ) -> Option<NodeIx> {
        match self.asset(net, name, field)? {
            AssetRef::Node(n) if kind_ok(net.node(n).kind) => Some(n),
            _ => {
                self.err(
                    name.span().start,
                    field,
                    format!("`{}` is not {what}", name.get_ref()),
                    None,
                );
                None
            }
        }
    }

    fn read_csv(&mut self, file: &Spanned<String>, field: &str) -> Option<(String, String)> {
        let path = self.base.join(file.get_ref());
        match self.source.read(&path) {
            Ok(t) => {
                let name = path.display().to_string();
                self.files.push((name.clone(), t.clone()));
                Some((name, t))
            }
            Err(e) => {
                self.err(
                    file.span().start,
                    field,
                    format!("cannot read {}: {e}", path.display()),
                    Some("paths are relative to the scenario file".into()),
                );
                None
            }
        }
    }

    fn csv_error(
        &mut self,
        file: &str,
        line: u64,
        column: &str,
        problem: String,
        hint: Option<String>,
    ) {
        self.r.diags.items.push(Diagnostic {
            severity: Severity::Error,
            check: None,
            file: file.into(),
            line: line as usize,
            field: column.into(),
            problem,
            hint,
        });
    }

    fn production(
        &mut self,
        net: &Network,
        raw: BTreeMap<String, Spanned<RawSupply>>,
    ) -> Vec<(NodeIx, Supply)> {
        let mut out = Vec::new();
        for (name, s) in raw {
            let field = format!("production.{name}");
            let spanned_name = Spanned::new(s.span(), name.clone());
            let Some(ix) = self.field(
                net,
                &spanned_name,
                &field,
                |k| k == NodeKind::Field,
                "an oil field",
            ) else {
                continue;
            };
            let sp = s.get_ref();
            let fig = |v: f64| RawFigure {
                value: Spanned::new(s.span(), v),
                unit: sp.unit.clone(),
                source: sp.source.clone(),
                estimate: sp.estimate.clone(),
            };
            match (&sp.value, &sp.series) {
                (Some(v), None) => {
                    if let Some(f) = self.r.figure(
                        0,
                        &Spanned::new(s.span(), fig(*v.get_ref())),
                        Dimension::OilFlow,
                        &field,
                    ) {
                        out.push((ix, Supply::Constant(f.value)));
                    }
                }
                (None, Some(file)) => {
                    let Some((fname, text)) = self.read_csv(file, &format!("{field}.series"))
                    else {
                        continue;
                    };
                    let Some(factor) = self.r.figure(
                        0,
                        &Spanned::new(s.span(), fig(1.0)),
                        Dimension::OilFlow,
                        &field,
                    ) else {
                        continue;
                    };
                    let mut series = Vec::new();
                    let mut rdr = csv::Reader::from_reader(text.as_bytes());
                    for rec in rdr.records() {
                        match rec {
                            Ok(rec) => {
                                let line = rec.position().map_or(0, |p| p.line());
                                let date = rec.get(0).and_then(Date::parse);
                                let value = rec.get(1).and_then(|v| v.trim().parse::<f64>().ok());
                                match (date, value) {
                                    (Some(d), Some(v)) if v >= 0.0 => {
                                        series.push((d.days - self.start.days, v * factor.value))
                                    }
                                    (None, _) => self.csv_error(
                                        &fname,
                                        line,
                                        "date",
                                        format!("`{}` is not a date", rec.get(0).unwrap_or("")),
                                        Some("columns: date (YYYY-MM-DD), value".into()),
                                    ),
                                    _ => self.csv_error(
                                        &fname,
                                        line,
                                        "value",
                                        format!(
                                            "`{}` is not a non-negative number",
                                            rec.get(1).unwrap_or("")
                                        ),
                                        Some(format!("values are in {}", sp.unit.get_ref())),
                                    ),
                                }
                            }
                            Err(e) => {
                                let line = e.position().map_or(0, |p| p.line());
                                self.csv_error(&fname, line, "(csv)", e.to_string(), None);
                            }
                        }
                    }
                    series.sort_by_key(|x| x.0);
                    out.push((ix, Supply::Series(series)));
                }
                _ => self.err(
                    s.span().start,
                    field,
                    "give either `value` or `series`",
                    Some("e.g. { value = 36.6, unit = \"Mt/yr\", source = \"…\" }".into()),
                ),
            }
        }
        out
    }

    fn demand(
        &mut self,
        net: &Network,
        raw: BTreeMap<String, Spanned<RawFigure>>,
    ) -> Vec<(NodeIx, f64)> {
        let mut out = Vec::new();
        for (name, f) in raw {
            let field = format!("demand.{name}");
            let n = Spanned::new(f.span(), name.clone());
            let Some(ix) = self.field(net, &n, &field, |k| k.layer() == Layer::Data, "a data node")
            else {
                continue;
            };
            if let Some(fig) = self.r.figure(0, &f, Dimension::DataRate, &field) {
                out.push((ix, fig.value));
            }
        }
        out
    }

    fn date(&mut self, s: &Spanned<String>, field: &str) -> Option<i64> {
        match Date::parse(s.get_ref()) {
            Some(d) => Some(d.days - self.start.days),
            None => {
                self.err(
                    s.span().start,
                    field,
                    format!("`{}` is not a date", s.get_ref()),
                    Some("write YYYY-MM-DD".into()),
                );
                None
            }
        }
    }

    fn window(&mut self, e: &RawEvent, path: &str, pos: usize) -> Option<Window> {
        let Some(start) = &e.start else {
            self.err(
                pos,
                format!("{path}.start"),
                "missing required field",
                Some("start = \"YYYY-MM-DD\"".into()),
            );
            return None;
        };
        let s = self.date(start, &format!("{path}.start"))?;
        let end = match (&e.end, &e.duration_days) {
            (Some(end), None) => self.date(end, &format!("{path}.end"))?,
            (None, Some(d)) if *d.get_ref() >= 1 => s + d.get_ref() - 1,
            (None, Some(d)) => {
                self.err(
                    d.span().start,
                    format!("{path}.duration_days"),
                    "must be at least 1",
                    None,
                );
                return None;
            }
            _ => {
                self.err(
                    start.span().start,
                    format!("{path}.end"),
                    "give exactly one of `end` (last day affected) and `duration_days`",
                    None,
                );
                return None;
            }
        };
        if end < s {
            self.err(
                start.span().start,
                format!("{path}.end"),
                "ends before it starts",
                None,
            );
            return None;
        }
        let recovery = e.recovery_days.as_ref().map_or(0, |r| *r.get_ref());
        if recovery < 0 {
            self.err(
                pos,
                format!("{path}.recovery_days"),
                "must not be negative",
                None,
            );
            return None;
        }
        Some(Window {
            start: s,
            end,
            recovery_days: recovery as u32,
        })
    }

    fn fraction(
        &mut self,
        f: &Option<Spanned<f64>>,
        default: Option<f64>,
        path: &str,
        pos: usize,
        max: f64,
    ) -> Option<f64> {
        match (f, default) {
            (Some(f), _) if (0.0..=max).contains(f.get_ref()) => Some(*f.get_ref()),
            (Some(f), _) => {
                self.err(
                    f.span().start,
                    format!("{path}.fraction"),
                    format!("{} is outside 0…{max}", f.get_ref()),
                    Some("a fraction of normal capacity: 0 = out, 1 = intact".into()),
                );
                None
            }
            (None, Some(d)) => Some(d),
            (None, None) => {
                self.err(
                    pos,
                    format!("{path}.fraction"),
                    "missing required field",
                    Some("fraction of normal capacity, e.g. 0.5".into()),
                );
                None
            }
        }
    }

    fn targets(&mut self, net: &Network, e: &RawEvent, path: &str) -> Vec<AssetRef> {
        let mut out = Vec::new();
        for a in e.assets.iter().flatten() {
            out.extend(self.asset(net, a, &format!("{path}.assets")));
        }
        for r in e.routes.iter().flatten() {
            match net.route(r.get_ref()) {
                Some(route) => out.extend(route.links().map(AssetRef::Link)),
                None => {
                    let ids: Vec<&str> = net.routes.iter().map(|r| r.id.as_str()).collect();
                    let hint = did_you_mean(r.get_ref(), ids.into_iter());
                    self.err(
                        r.span().start,
                        format!("{path}.routes"),
                        format!("unknown route `{}`", r.get_ref()),
                        hint,
                    );
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    fn event(
        &mut self,
        net: &Network,
        index: &AssetIndex,
        i: usize,
        e: &RawEvent,
        out: &mut Vec<Event>,
        hazards: &mut Hazards,
    ) {
        let pos = e.kind.span().start;
        let label = e
            .name
            .clone()
            .unwrap_or_else(|| format!("{} #{}", e.kind.get_ref(), i + 1));
        let path = format!("event[{label}]");
        let kind = match EVENT_KINDS.iter().find(|k| **k == e.kind.get_ref()) {
            Some(k) => *k,
            None => {
                self.err(
                    pos,
                    format!("{path}.kind"),
                    format!("unknown event kind `{}`", e.kind.get_ref()),
                    did_you_mean(e.kind.get_ref(), EVENT_KINDS.iter().copied())
                        .or(Some(format!("kinds: {}", EVENT_KINDS.join(", ")))),
                );
                return;
            }
        };
        let prov = self.r.provenance(0, pos, &path, &e.source, &e.estimate);
        let source = prov.describe();
        let push = |out: &mut Vec<Event>, window: Window, effect: Effect| {
            out.push(Event {
                kind,
                name: label.clone(),
                window,
                effect,
                source: source.clone(),
            })
        };
        match kind {
            "outage" | "derate" => {
                let w = self.window(e, &path, pos);
                let f = if kind == "outage" {
                    if e.fraction.is_some() {
                        self.err(
                            pos,
                            format!("{path}.fraction"),
                            "an outage takes capacity to 0",
                            Some("use kind = \"derate\" for a partial loss".into()),
                        );
                        None
                    } else {
                        Some(0.0)
                    }
                } else {
                    self.fraction(&e.fraction, None, &path, pos, 1.0)
                };
                let t = self.targets(net, e, &path);
                let named = e.assets.iter().flatten().count() + e.routes.iter().flatten().count();
                if named == 0 {
                    self.err(
                        pos,
                        format!("{path}.assets"),
                        "names no asset",
                        Some("give assets = [\"…\"] and/or routes = [\"…\"]".into()),
                    );
                }
                let (Some(w), Some(f), false) = (w, f, t.is_empty()) else {
                    return;
                };
                push(
                    out,
                    w,
                    Effect::Capacity(t.into_iter().map(|a| (a, f)).collect()),
                );
            }
            "hazard" => {
                let Some(w) = self.window(e, &path, pos) else {
                    return;
                };
                let Some(f) = self.fraction(&e.fraction, Some(0.0), &path, pos, 1.0) else {
                    return;
                };
                let edge = e.edge_fraction.as_ref().map_or(f, |x| *x.get_ref());
                let (shape, radius) = match (&e.circle, &e.polygon) {
                    (Some(c), None) => {
                        let c = c.get_ref();
                        if c.radius_km <= 0.0
                            || !(-180.0..=180.0).contains(&c.lon)
                            || !(-90.0..=90.0).contains(&c.lat)
                        {
                            self.err(
                                pos,
                                format!("{path}.circle"),
                                "needs lon in −180…180, lat in −90…90 and radius_km > 0",
                                None,
                            );
                            return;
                        }
                        (
                            Shape::Circle {
                                lon: c.lon,
                                lat: c.lat,
                                radius_km: c.radius_km,
                            },
                            c.radius_km,
                        )
                    }
                    (None, Some(p)) => {
                        let ring: Option<Vec<(f64, f64)>> = p
                            .get_ref()
                            .iter()
                            .map(|xy| match xy.as_slice() {
                                [x, y] => Some((*x, *y)),
                                _ => None,
                            })
                            .collect();
                        match ring {
                            Some(r) if r.len() >= 3 => (Shape::Polygon(r), 0.0),
                            _ => {
                                self.err(
                                    p.span().start,
                                    format!("{path}.polygon"),
                                    "needs at least 3 [lon, lat] points",
                                    None,
                                );
                                return;
                            }
                        }
                    }
                    _ => {
                        self.err(
                            pos,
                            format!("{path}.circle"),
                            "give exactly one of `circle` and `polygon`",
                            Some("circle = { lon = 37.7, lat = 44.7, radius_km = 50 }".into()),
                        );
                        return;
                    }
                };
                let assets: Vec<(AssetRef, f64)> = index
                    .hits(&shape)
                    .into_iter()
                    .map(|(a, d)| (a, fraction_at(d, radius, f, edge)))
                    .collect();
                for (a, fr) in &assets {
                    hazards.hits.push((label.clone(), *a, *fr));
                }
                hazards.footprints.push((label.clone(), ring_of(&shape)));
                push(out, w, Effect::Capacity(assets));
            }
            "transit_cut" => {
                let Some(w) = self.window(e, &path, pos) else {
                    return;
                };
                let Some(f) = self.fraction(&e.fraction, Some(0.0), &path, pos, 1.0) else {
                    return;
                };
                let Some(country) = &e.country else {
                    self.err(
                        pos,
                        format!("{path}.country"),
                        "missing required field",
                        Some("e.g. country = \"RU\"".into()),
                    );
                    return;
                };
                let layer = match e.layer.as_ref().map(|l| l.get_ref().as_str()) {
                    None => None,
                    Some("oil") => Some(Layer::Oil),
                    Some("data") => Some(Layer::Data),
                    Some(other) => {
                        let p = e.layer.as_ref().map_or(pos, |l| l.span().start);
                        self.err(
                            p,
                            format!("{path}.layer"),
                            format!("unknown layer `{other}`"),
                            Some("oil or data".into()),
                        );
                        return;
                    }
                };
                let assets: Vec<(AssetRef, f64)> = net
                    .links
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| {
                        l.countries.iter().any(|c| c == country.get_ref())
                            && layer.is_none_or(|x| l.layer() == x)
                    })
                    .map(|(j, _)| (AssetRef::Link(crate::model::LinkIx(j)), f))
                    .collect();
                if assets.is_empty() {
                    self.err(
                        country.span().start,
                        format!("{path}.country"),
                        format!("no link crosses `{}`", country.get_ref()),
                        Some("use an ISO code that appears in a link's countries".into()),
                    );
                    return;
                }
                push(out, w, Effect::Capacity(assets));
            }
            "weather" => {
                let Some(w) = self.window(e, &path, pos) else {
                    return;
                };
                let Some(f) = self.fraction(&e.fraction, Some(0.0), &path, pos, 1.0) else {
                    return;
                };
                let wave = e.wave_height_m.as_ref().map(|w| *w.get_ref());
                let mut assets = Vec::new();
                for a in self.targets(net, e, &path) {
                    let ok = match a {
                        AssetRef::Node(n) => matches!(
                            net.node(n).kind,
                            NodeKind::Port | NodeKind::Terminal | NodeKind::Spm
                        ),
                        AssetRef::Link(l) => net.link(l).kind == crate::model::LinkKind::TankerLeg,
                    };
                    if !ok {
                        let at = e
                            .assets
                            .iter()
                            .flatten()
                            .find(|n| n.get_ref() == net.asset_id(a))
                            .map_or(pos, |n| n.span().start);
                        self.err(at, format!("{path}.assets"), format!("weather stops loading at ports, terminals and SPMs, or sailings on tanker legs; `{}` is none", net.asset_id(a)), None);
                        continue;
                    }
                    let is_spm =
                        matches!(a, AssetRef::Node(n) if net.node(n).kind == NodeKind::Spm);
                    if is_spm && wave.is_some_and(|h| h <= SPM_WAVE_LIMIT_M) {
                        continue;
                    }
                    assets.push((a, f));
                }
                push(out, w, Effect::Capacity(assets));
            }
            "production" => {
                let Some(w) = self.window(e, &path, pos) else {
                    return;
                };
                let Some(f) = self.fraction(&e.fraction, None, &path, pos, 10.0) else {
                    return;
                };
                let Some(name) = &e.field else {
                    self.err(
                        pos,
                        format!("{path}.field"),
                        "missing required field",
                        Some("field = \"tengiz\"".into()),
                    );
                    return;
                };
                let Some(ix) = self.field(
                    net,
                    name,
                    &format!("{path}.field"),
                    |k| k == NodeKind::Field,
                    "an oil field",
                ) else {
                    return;
                };
                push(
                    out,
                    w,
                    Effect::Production {
                        field: ix,
                        fraction: f,
                    },
                );
            }
            _ => {
                // replay
                let Some(file) = &e.file else {
                    self.err(
                        pos,
                        format!("{path}.file"),
                        "missing required field",
                        Some("file = \"replay.csv\" with columns asset,start,end,fraction".into()),
                    );
                    return;
                };
                let Some((fname, text)) = self.read_csv(file, &format!("{path}.file")) else {
                    return;
                };
                let names: Vec<String> = net.all_names().map(str::to_string).collect();
                let mut rdr = csv::Reader::from_reader(text.as_bytes());
                for rec in rdr.records() {
                    let rec = match rec {
                        Ok(r) => r,
                        Err(err) => {
                            self.csv_error(
                                &fname,
                                err.position().map_or(0, |p| p.line()),
                                "(csv)",
                                err.to_string(),
                                None,
                            );
                            continue;
                        }
                    };
                    let line = rec.position().map_or(0, |p| p.line());
                    let col = |k: usize| rec.get(k).unwrap_or("").trim().to_string();
                    let asset = net.asset(&col(0));
                    let (s, en) = (Date::parse(&col(1)), Date::parse(&col(2)));
                    let frac = col(3)
                        .parse::<f64>()
                        .ok()
                        .filter(|f| (0.0..=1.0).contains(f));
                    match (asset, s, en, frac) {
                        (Some(a), Some(s), Some(en), Some(f)) if en >= s => out.push(Event {
                            kind,
                            name: format!(
                                "{label}: {} {}",
                                col(0),
                                rec.get(4).unwrap_or("").trim()
                            )
                            .trim()
                            .to_string(),
                            window: Window {
                                start: s.days - self.start.days,
                                end: en.days - self.start.days,
                                recovery_days: 0,
                            },
                            effect: Effect::Capacity(vec![(a, f)]),
                            source: source.clone(),
                        }),
                        (None, ..) => {
                            let hint = did_you_mean(&col(0), names.iter().map(String::as_str));
                            self.csv_error(
                                &fname,
                                line,
                                "asset",
                                format!("unknown asset `{}`", col(0)),
                                hint,
                            );
                        }
                        (_, None, ..) | (_, _, None, _) => self.csv_error(
                            &fname,
                            line,
                            "start",
                            format!("`{}` / `{}` are not dates", col(1), col(2)),
                            Some("write YYYY-MM-DD".into()),
                        ),
                        (_, _, _, None) => self.csv_error(
                            &fname,
                            line,
                            "fraction",
                            format!("`{}` is not a fraction in 0…1", col(3)),
                            None,
                        ),
                        _ => self.csv_error(
                            &fname,
                            line,
                            "end",
                            "ends before it starts".into(),
                            None,
                        ),
                    }
                }
            }
        }
    }

    fn repair(&mut self, r: &Spanned<RawRepair>, field: &str) -> Option<Repair> {
        let raw = r.get_ref();
        self.r
            .provenance(0, r.span().start, field, &raw.source, &raw.estimate);
        let pos = raw.dist.span().start;
        let positive = |x: Option<f64>| x.filter(|v| *v > 0.0 && v.is_finite());
        let rep = match raw.dist.get_ref().as_str() {
            "fixed" => positive(raw.days).map(Repair::Fixed),
            "exponential" => positive(raw.mean_days).map(|mean| Repair::Exponential { mean }),
            "lognormal" => positive(raw.mean_days)
                .zip(positive(raw.sd_days))
                .map(|(mean, sd)| Repair::Lognormal { mean, sd }),
            "empirical" => raw
                .values
                .clone()
                .filter(|v| !v.is_empty() && v.iter().all(|x| *x > 0.0))
                .map(Repair::Empirical),
            other => {
                let kinds = ["fixed", "exponential", "lognormal", "empirical"];
                let hint = did_you_mean(other, kinds.into_iter())
                    .or(Some(format!("one of: {}", kinds.join(", "))));
                self.err(
                    pos,
                    format!("{field}.dist"),
                    format!("unknown distribution `{other}`"),
                    hint,
                );
                return None;
            }
        };
        if rep.is_none() {
            self.err(pos, field, format!("`{}` needs positive parameters", raw.dist.get_ref()), Some("fixed: days; exponential: mean_days; lognormal: mean_days and sd_days; empirical: values".into()));
        }
        rep
    }

    fn season(&mut self, s: &Spanned<RawSeason>, field: &str) -> Option<(u32, u32)> {
        let doy = |cx: &mut Self, v: &Spanned<String>, which: &str| -> Option<u32> {
            let d = Date::parse(&format!("2025-{}", v.get_ref()));
            match d {
                Some(d) => {
                    Some((d.days - Date::from_ymd(2025, 1, 1).map_or(0, |j| j.days)) as u32 + 1)
                }
                None => {
                    cx.err(
                        v.span().start,
                        format!("{field}.{which}"),
                        format!("`{}` is not a month-day", v.get_ref()),
                        Some("write MM-DD, e.g. \"11-01\"".into()),
                    );
                    None
                }
            }
        };
        let a = doy(self, &s.get_ref().from, "from");
        let b = doy(self, &s.get_ref().to, "to");
        Some((a?, b?))
    }

    fn class(&mut self, c: &Spanned<String>, field: &str) -> Option<AssetClass> {
        AssetClass::parse(c.get_ref()).or_else(|| {
            let names: Vec<&str> = AssetClass::ALL.iter().map(|c| c.as_str()).collect();
            let hint = did_you_mean(c.get_ref(), names.iter().copied())
                .or(Some(format!("classes: {}", names.join(", "))));
            self.err(
                c.span().start,
                field,
                format!("unknown asset class `{}`", c.get_ref()),
                hint,
            );
            None
        })
    }

    /// Assets chosen by a class, a list, and/or a country (links crossing it, nodes in it).
    fn select(
        &mut self,
        net: &Network,
        class: &Option<Spanned<String>>,
        assets: &Option<Vec<Spanned<String>>>,
        country: Option<&Spanned<String>>,
        field: &str,
        pos: usize,
    ) -> Vec<AssetRef> {
        let mut out = Vec::new();
        let cls = class
            .as_ref()
            .and_then(|c| self.class(c, &format!("{field}.class")));
        // Planned assets are included (they carry nothing while off), so a variant that switches
        // them on sees the same failure draws for every other asset: common random numbers.
        if let Some(c) = cls {
            out.extend(
                net.capacitated_assets()
                    .into_iter()
                    .chain((0..net.nodes.len()).map(|i| AssetRef::Node(NodeIx(i))))
                    .filter(|a| AssetClass::of(net, *a) == Some(c)),
            );
        }
        for a in assets.iter().flatten() {
            out.extend(self.asset(net, a, &format!("{field}.assets")));
        }
        if let Some(c) = country {
            out.extend(
                net.capacitated_assets()
                    .into_iter()
                    .filter(|a| net.asset_in_country(*a, c.get_ref())),
            );
        }
        out.sort();
        out.dedup();
        if out.is_empty() && class.is_none() && assets.is_none() && country.is_none() {
            self.err(
                pos,
                format!("{field}.assets"),
                "selects no asset",
                Some("give class = \"…\", assets = [\"…\"] or country = \"…\"".into()),
            );
        }
        out
    }

    fn rate_per_day(
        &mut self,
        f: &Spanned<RawFigure>,
        field: &str,
        linear_km: Option<f64>,
    ) -> Option<f64> {
        let raw = f.get_ref();
        self.r
            .provenance(0, f.span().start, field, &raw.source, &raw.estimate);
        let v = *raw.value.get_ref();
        if !(v >= 0.0 && v.is_finite()) {
            self.err(
                raw.value.span().start,
                format!("{field}.value"),
                format!("rate {v} is not a non-negative number"),
                None,
            );
            return None;
        }
        match (raw.unit.get_ref().as_str(), linear_km) {
            ("per_yr", _) => Some(v / 365.0),
            ("per_1000km_yr", Some(km)) => Some(v * km / 1000.0 / 365.0),
            ("per_1000km_yr", None) => {
                self.err(
                    raw.unit.span().start,
                    format!("{field}.unit"),
                    "per_1000km_yr applies to linear assets (pipelines, rail, fibre) only",
                    Some("use per_yr".into()),
                );
                None
            }
            (other, _) => {
                self.err(
                    raw.unit.span().start,
                    format!("{field}.unit"),
                    format!("unit `{other}` is not a failure rate"),
                    Some("per_yr, or per_1000km_yr for linear assets".into()),
                );
                None
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn monte_carlo(
        &mut self,
        net: &Network,
        m: &RawMonteCarlo,
        failures: &[RawFailure],
        causes: &[RawCommonCause],
        windows: &[RawWeatherWindow],
        crews: &[RawCrews],
    ) -> Option<MonteCarlo> {
        let runs = *m.runs.get_ref();
        if !(1..=100_000_000).contains(&runs) {
            self.err(
                m.runs.span().start,
                "monte_carlo.runs",
                format!("{runs} is outside 1…100,000,000"),
                None,
            );
        }
        let seed = *m.seed.get_ref();
        if seed < 0 {
            self.err(
                m.seed.span().start,
                "monte_carlo.seed",
                "must not be negative",
                None,
            );
        }
        let mut ok = (1..=100_000_000).contains(&runs) && seed >= 0;
        let mut processes = Vec::new();
        for (i, f) in failures.iter().enumerate() {
            let name = f
                .name
                .clone()
                .unwrap_or_else(|| format!("failure #{}", i + 1));
            let field = format!("failure[{name}]");
            let pos = f.rate.span().start;
            let prov = self.r.provenance(0, pos, &field, &f.source, &f.estimate);
            let assets = self.select(net, &f.class, &f.assets, None, &field, pos);
            let repair = self.repair(&f.repair, &format!("{field}.repair"));
            let fraction = self.fraction(&f.fraction, Some(0.0), &field, pos, 1.0);
            let mut rates = Vec::new();
            for a in &assets {
                let km = match (AssetClass::of(net, *a), a) {
                    (Some(c), AssetRef::Link(l)) if c.is_linear() => Some(net.link(*l).length_km()),
                    _ => None,
                };
                rates.push(self.rate_per_day(&f.rate, &format!("{field}.rate"), km));
            }
            match (repair, fraction, rates.iter().all(Option::is_some)) {
                (Some(repair), Some(fraction), true) => processes.push(FailureProcess {
                    name,
                    assets,
                    rate_per_day: rates.into_iter().flatten().collect(),
                    repair,
                    fraction,
                    source: prov.describe(),
                }),
                _ => ok = false,
            }
        }
        let mut common_causes = Vec::new();
        for (i, c) in causes.iter().enumerate() {
            let name = c
                .name
                .clone()
                .unwrap_or_else(|| format!("common cause #{}", i + 1));
            let field = format!("common_cause[{name}]");
            let pos = c.rate.span().start;
            let prov = self.r.provenance(0, pos, &field, &c.source, &c.estimate);
            let assets = self.select(net, &c.class, &c.assets, c.country.as_ref(), &field, pos);
            let rate = self.rate_per_day(&c.rate, &format!("{field}.rate"), None);
            let season = match &c.season {
                Some(s) => self.season(s, &format!("{field}.season")).map(Some),
                None => Some(None),
            };
            let repair = self.repair(&c.duration, &format!("{field}.duration"));
            let fraction = self.fraction(&c.fraction, Some(0.0), &field, pos, 1.0);
            match (rate, season, repair, fraction) {
                (Some(rate_per_day), Some(season), Some(repair), Some(fraction)) => common_causes
                    .push(CommonCause {
                        name,
                        assets,
                        rate_per_day,
                        season,
                        repair,
                        fraction,
                        source: prov.describe(),
                    }),
                _ => ok = false,
            }
        }
        let mut ws = Vec::new();
        for (i, w) in windows.iter().enumerate() {
            let name = w
                .name
                .clone()
                .unwrap_or_else(|| format!("weather window #{}", i + 1));
            let field = format!("weather_window[{name}]");
            let pos = w.probability.span().start;
            let prov = self.r.provenance(0, pos, &field, &w.source, &w.estimate);
            let assets = self.select(net, &w.class, &w.assets, None, &field, pos);
            let p = *w.probability.get_ref();
            if !(0.0..=1.0).contains(&p) {
                self.err(
                    pos,
                    format!("{field}.probability"),
                    format!("{p} is outside 0…1"),
                    None,
                );
                ok = false;
            }
            let season = self.season(&w.season, &format!("{field}.season"));
            let fraction = self.fraction(&w.fraction, Some(0.0), &field, pos, 1.0);
            match (season, fraction) {
                (Some(season), Some(fraction)) => ws.push(WeatherWindow {
                    name,
                    assets,
                    probability: p,
                    season,
                    fraction,
                    source: prov.describe(),
                }),
                _ => ok = false,
            }
        }
        let mut crew_map = BTreeMap::new();
        for c in crews {
            self.r.provenance(
                0,
                c.class.span().start,
                "repair_crews",
                &c.source,
                &c.estimate,
            );
            let class = self.class(&c.class, "repair_crews.class");
            let n = *c.crews.get_ref();
            if n < 1 {
                self.err(
                    c.crews.span().start,
                    "repair_crews.crews",
                    "needs at least 1 crew",
                    Some("leave the class out for unlimited crews".into()),
                );
                ok = false;
            }
            match class {
                Some(cl) if n >= 1 => {
                    crew_map.insert(cl, n as u32);
                }
                _ => ok = false,
            }
        }
        ok.then_some(MonteCarlo {
            runs: runs as u64,
            seed: seed as u64,
            processes,
            common_causes,
            windows: ws,
            crews: crew_map,
        })
    }

    fn dependency(&mut self, net: &Network, i: usize, d: &RawDependency) -> Option<Dependency> {
        self.r.dependency(net, 0, i, d)
    }
}

/// What the hazard events of a scenario hit, and where.
#[derive(Default)]
struct Hazards {
    hits: Vec<(String, AssetRef, f64)>,
    footprints: Vec<(String, Vec<(f64, f64)>)>,
}

/// A hazard footprint as a closed (lon, lat) ring; a circle becomes 72 geodesic points.
fn ring_of(shape: &Shape) -> Vec<(f64, f64)> {
    use geo::{Destination, Haversine, Point};
    match shape {
        Shape::Circle {
            lon,
            lat,
            radius_km,
        } => (0..=72)
            .map(|k| {
                let p = Haversine.destination(
                    Point::new(*lon, *lat),
                    f64::from(k) * 5.0,
                    radius_km * 1000.0,
                );
                (p.x(), p.y())
            })
            .collect(),
        Shape::Polygon(r) => {
            let mut r = r.clone();
            if r.first() != r.last() {
                r.push(r[0]);
            }
            r
        }
    }
}
