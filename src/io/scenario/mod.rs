//! Scenario files (`scenarios/*.toml`): parsed in two steps like the network files, every
//! problem reported at once as `file:line: field: problem (hint)`. Documented in
//! `docs/scenario-format.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;
use toml::de::DeValue;

mod events;
mod montecarlo;
mod overrides;
mod raw;
mod supply;

use events::Hazards;
pub use overrides::parse_override;
pub use raw::*;

use super::diag::{Diagnostic, Severity, SourceText, deserialize_value, did_you_mean};
use super::error::LoadError;
use super::network::{load_dir_in, load_embedded};
use super::raw::{RawDependency, RawFigure};
use super::resolve::Resolver;
use super::source::{Disk, Source};
pub use super::variant::{RawSetCapacity, RawVariant};
use crate::model::hazard::{AssetIndex, Shape};
use crate::model::{
    AssetRef, Date, Dependency, Dispatch, InRunChange, Layer, Network, NodeIx, NodeKind, Quantity,
    Reported, Scenario,
};

/// The scenario-file format version this build reads.
pub const SCENARIO_FORMAT: i64 = 1;
pub use crate::model::SPM_WAVE_LIMIT_M;

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
    "stock",
    "event",
    "depends_on",
    "monte_carlo",
    "dispatch",
    "failure",
    "common_cause",
    "weather_window",
    "repair_crews",
    "nomination",
    "reported",
];

/// Event kinds.
pub const EVENT_KINDS: &[&str] = &[
    "outage",
    "derate",
    "uprate",
    "hazard",
    "transit_cut",
    "weather",
    "replay",
    "production",
    "reactivate",
    "off_spec",
    "shutdown",
];

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
    /// The `--set KEY=VALUE` overrides applied to the scenario file, in order.
    pub overrides: Vec<(String, String)>,
}

/// Loads and resolves a scenario file.
///
/// # Errors
/// [`LoadError::Io`] if a file cannot be read, [`LoadError::Invalid`] with every problem.
pub fn load_scenario(path: &Path, strict: bool) -> Result<LoadedScenario, LoadError> {
    load_scenario_in(&Disk::default(), path, strict)
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
    load_scenario_with(source, path, strict, &[])
}

/// [`load_scenario_in`] with `--set KEY=VALUE` `overrides` applied to the scenario file's
/// fields before they are checked (see [`overrides::apply`]).
///
/// # Errors
/// As [`load_scenario`]; [`LoadError::Override`] for an override that does not apply.
pub fn load_scenario_with(
    source: &dyn Source,
    path: &Path,
    strict: bool,
    overrides: &[(String, String)],
) -> Result<LoadedScenario, LoadError> {
    let text = source.read(path).map_err(|error| LoadError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".into());
    parse_scenario_with(
        source,
        &id,
        &path.display().to_string(),
        &text,
        &base,
        strict,
        overrides,
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
    parse_scenario_in(&Disk::default(), id, name, text, base, strict)
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
    parse_scenario_with(source, id, name, text, base, strict, &[])
}

/// [`parse_scenario_in`] with `overrides` applied.
///
/// # Errors
/// As [`load_scenario_with`].
pub fn parse_scenario_with(
    source: &dyn Source,
    id: &str,
    name: &str,
    text: &str,
    base: &Path,
    strict: bool,
    overrides: &[(String, String)],
) -> Result<LoadedScenario, LoadError> {
    super::check_id(id).map_err(|problem| LoadError::Id {
        path: name.to_string(),
        problem,
    })?;
    let srcs = [SourceText::new(name, text)];
    let mut r = Resolver::new(&srcs);
    r.unknown_unit_fails = true;
    let src = &srcs[0];
    let Some(mut doc) = r.diags.parse_toml(src) else {
        return Err(LoadError::Invalid(r.diags.items));
    };
    overrides::apply(&mut doc, overrides).map_err(|(spec, problem)| LoadError::Override {
        path: name.to_string(),
        spec,
        problem,
    })?;
    let top = doc.get_ref();
    let get = |k: &str| {
        top.iter()
            .find(|(key, _)| key.get_ref() == k)
            .map(|(_, v)| v)
    };
    for (key, _) in top.iter() {
        let k = key.get_ref().as_ref();
        if !SCENARIO_KEYS.contains(&k) {
            let at = key.span().start;
            let (what, listed) = ("unknown top-level key", "top-level keys");
            r.diags.unknown_key(src, at, k, SCENARIO_KEYS, what, listed);
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
    let stock: Option<BTreeMap<String, Spanned<RawFigure>>> =
        opt(&mut r, src, get("stock"), "stock");
    let monte_carlo: Option<RawMonteCarlo> = opt(&mut r, src, get("monte_carlo"), "monte_carlo");
    let dispatch_raw: Option<Spanned<String>> = opt(&mut r, src, get("dispatch"), "dispatch");
    let dispatch = match dispatch_raw.as_ref().map(|d| d.get_ref().as_str()) {
        None | Some("nominated") => Some(Dispatch::Nominated),
        Some("least_cost") => Some(Dispatch::LeastCost),
        Some(other) => {
            let pos = dispatch_raw.as_ref().map_or(0, |d| d.span().start);
            r.diags.error(
                src,
                pos,
                "dispatch",
                format!("unknown dispatch mode `{other}`"),
                Some("use \"nominated\" (the default) or \"least_cost\"".into()),
            );
            None
        }
    };
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
    let mut nominations: Vec<crate::io::raw::RawNomination> = Vec::new();
    array(
        &mut r,
        src,
        "nomination",
        get("nomination"),
        &mut nominations,
    );
    let mut reported_raw: Vec<RawReported> = Vec::new();
    array(&mut r, src, "reported", get("reported"), &mut reported_raw);
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
    // The network's own warnings travel with the scenario: elements it left out are missing
    // from the run, so `validate` and `run` say so (and fail under --strict, above).
    let (mut net, network_warnings) = match loaded_net {
        Ok(l) => {
            files.extend(l.files);
            (l.network, l.warnings)
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

    // The network as it was on the start date (network vintage). A dated change inside the
    // horizon that closes or shrinks an asset applies from its day, in the baseline too; one
    // that opens or enlarges an asset is not applied, and says so.
    let mut vintage_steps = Vec::new();
    if let (Some(d), Some(h)) = (start_date, &horizon)
        && (1..=36_500).contains(h.get_ref())
    {
        for change in net.changes_in_run(d, d.plus(*h.get_ref() - 1)) {
            match change {
                InRunChange::Falls { asset, day, factor } => {
                    vintage_steps.push((asset, day, factor))
                }
                InRunChange::Rises(v) => {
                    let changed = v.until.plus(1);
                    r.diags.warn(
                        "vintage_change_in_run",
                        src,
                        h.span().start,
                        "horizon_days",
                        format!(
                            "`{}` grows on {changed} ({}), inside the run; the run keeps its state as of the start",
                            net.asset_id(v.target),
                            v.note
                        ),
                        Some(format!("end the run by {}, or start it on {changed}", v.until)),
                    );
                }
            }
        }
        net = net.as_of(d);
    }
    // The scenario's nominations replace the network's for each field they name.
    if !nominations.is_empty() {
        let raw: Vec<(usize, crate::io::raw::RawNomination)> =
            nominations.into_iter().map(|n| (0, n)).collect();
        let before = net.nominations.len();
        let lookup = |r: &mut Resolver<'_>, file: usize, name: &Spanned<String>, field: String| {
            let found = net.node_ix(name.get_ref());
            if found.is_none() {
                let hint = did_you_mean(name.get_ref(), net.all_names());
                r.diags.error(
                    &r.srcs[file],
                    name.span().start,
                    field,
                    format!("unknown field `{}`", name.get_ref()),
                    hint,
                );
            }
            found
        };
        let mut scenario_net = net.clone();
        r.resolve_nominations(&raw, &mut scenario_net, &lookup);
        let new = scenario_net.nominations.split_off(before);
        let fields: std::collections::BTreeSet<NodeIx> = new.iter().map(|n| n.field).collect();
        net.nominations.retain(|n| !fields.contains(&n.field));
        net.nominations.extend(new);
    }
    let h_days = horizon
        .as_ref()
        .map_or(0, |h| *h.get_ref())
        .clamp(0, 36_500);
    let mut cx = Cx {
        r,
        source,
        base: base.to_path_buf(),
        files: Vec::new(),
        start: start_date.unwrap_or(Date { days: 0 }),
        horizon: h_days,
    };
    if let Some(v) = &variant {
        cx.apply_variant(&mut net, v);
    }
    let economics = economics.and_then(|e| cx.economics(&net, &e, net.crude.bbl_per_t));
    let production = cx.production(&net, production.unwrap_or_default());
    let demand = cx.demand(&net, demand.unwrap_or_default());
    let stock = cx.stock(&net, stock.unwrap_or_default());
    let index = AssetIndex::new(&net);
    let mut resolved = Vec::new();
    let mut hazards = Hazards::default();
    for (i, e) in events.iter().enumerate() {
        cx.event(&net, &index, i, e, &mut resolved, &mut hazards);
    }
    let reported: Vec<Reported> = reported_raw
        .iter()
        .enumerate()
        .filter_map(|(i, x)| cx.reported(&net, i, x, h_days))
        .collect();
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
    match (
        sname,
        description,
        start_date,
        horizon,
        economics,
        dispatch,
        fail,
    ) {
        (
            Some(sname),
            Some(description),
            Some(start),
            Some(h),
            Some(economics),
            Some(dispatch),
            false,
        ) => Ok(LoadedScenario {
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
                dispatch,
                stock,
                vintage_steps,
                reported,
            },
            network: net,
            warnings: network_warnings
                .into_iter()
                .chain(diags.warnings().cloned())
                .collect(),
            files,
            overrides: overrides.to_vec(),
        }),
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
    /// Days in the run (0 when unknown: no horizon check).
    pub(crate) horizon: i64,
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
    pub(crate) fn asset(
        &mut self,
        net: &Network,
        name: &Spanned<String>,
        field: &str,
    ) -> Option<AssetRef> {
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
        let v = *raw.value.get_ref();
        let bound = crate::io::bounds::for_unit(unit);
        if let Some(problem) = bound
            .and_then(|b| b.problem(v, v, unit))
            .or_else(|| (!v.is_finite()).then(|| format!("{v} is not a finite number")))
        {
            self.err(
                raw.value.span().start,
                format!("{field}.value"),
                problem,
                Some(crate::io::resolve::BOUNDS_HINT.into()),
            );
            return None;
        }
        Some(v)
    }

    pub(crate) fn field(
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

    pub(crate) fn date(&mut self, s: &Spanned<String>, field: &str) -> Option<i64> {
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

    pub(crate) fn dependency(
        &mut self,
        net: &Network,
        i: usize,
        d: &RawDependency,
    ) -> Option<Dependency> {
        self.r.dependency(net, 0, i, d)
    }
}

impl Cx<'_> {
    /// A `[[reported]]` entry: a known quantity, oil routes that exist, a window inside the run
    /// (default: the whole run), a value in the quantity's unit with its source, and a tolerance
    /// of at least 0.
    pub(crate) fn reported(
        &mut self,
        net: &Network,
        i: usize,
        x: &RawReported,
        horizon: i64,
    ) -> Option<Reported> {
        let field = format!("reported[#{}]", i + 1);
        let mut ok = true;
        let q = x.quantity.get_ref();
        let quantity = Quantity::ALL.into_iter().find(|k| k.as_str() == q);
        if quantity.is_none() {
            let names: Vec<&str> = Quantity::ALL.iter().map(|k| k.as_str()).collect();
            self.err(
                x.quantity.span().start,
                format!("{field}.quantity"),
                format!("unknown quantity `{q}`"),
                Some(format!("one of: {}", names.join(", "))),
            );
            ok = false;
        }
        let routes: Vec<String> = x
            .routes
            .iter()
            .flatten()
            .filter_map(|r| {
                let found = net.route(r.get_ref()).filter(|rt| rt.layer == Layer::Oil);
                if found.is_none() {
                    let hint = did_you_mean(r.get_ref(), net.route_ids(Layer::Oil).into_iter());
                    self.err(
                        r.span().start,
                        format!("{field}.routes"),
                        format!("unknown oil route `{}`", r.get_ref()),
                        hint,
                    );
                }
                found.map(|rt| rt.id.clone())
            })
            .collect();
        if routes.len() != x.routes.as_ref().map_or(0, Vec::len) {
            ok = false;
        }
        if quantity == Some(Quantity::Share) && routes.is_empty() {
            self.err(
                x.quantity.span().start,
                format!("{field}.routes"),
                "a share needs the routes it is the share of",
                Some("add routes = [\"cpc\"]".into()),
            );
            ok = false;
        }
        if quantity == Some(Quantity::RussiaShare) && !routes.is_empty() {
            self.err(
                x.quantity.span().start,
                format!("{field}.routes"),
                "the share via Russia is of all exports; it takes no routes",
                None,
            );
            ok = false;
        }
        let day = |this: &mut Self, d: &Option<Spanned<String>>, key: &str, default: i64| match d {
            None => Some(default),
            Some(s) => {
                let t = this.date(s, &format!("{field}.{key}"))?;
                if !(0..horizon).contains(&t) {
                    this.err(
                        s.span().start,
                        format!("{field}.{key}"),
                        format!("{} is outside the run", s.get_ref()),
                        Some("give a day between the start and the last simulated day".into()),
                    );
                    return None;
                }
                Some(t)
            }
        };
        let from = day(self, &x.from, "from", 0);
        let to = day(self, &x.to, "to", horizon - 1);
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            let pos = x.to.as_ref().map_or(0, |s| s.span().start);
            self.err(pos, format!("{field}.to"), "ends before `from`", None);
            ok = false;
        }
        let raw = x.value.get_ref();
        let unit = raw.unit.get_ref().as_str();
        let v = *raw.value.get_ref();
        let value = match (quantity.map(Quantity::unit), unit) {
            (Some("Mt"), "Mt") => Some(v),
            (Some("Mt"), "kt") => Some(v / 1000.0),
            (Some("fraction"), "fraction") => Some(v),
            (Some("fraction"), "%") => Some(v / 100.0),
            (Some("h"), "hours") => Some(v),
            (Some("h"), "days") => Some(v * 24.0),
            (Some("$m"), "$m") => Some(v),
            (Some("$m"), "$bn") => Some(v * 1000.0),
            (None, _) => None,
            (Some(want), _) => {
                self.err(
                    raw.unit.span().start,
                    format!("{field}.value.unit"),
                    format!("unit `{unit}` is not accepted here"),
                    Some(
                        match want {
                            "fraction" => "use `fraction` or `%`",
                            "h" => "use `hours` or `days`",
                            "$m" => "use `$m` or `$bn`",
                            _ => "use `Mt` or `kt`",
                        }
                        .into(),
                    ),
                );
                None
            }
        };
        let prov = self.r.provenance(
            0,
            x.value.span().start,
            &format!("{field}.value"),
            &raw.source,
            &raw.estimate,
        );
        if value.is_some_and(|v| !v.is_finite() || v < 0.0) {
            self.err(
                raw.value.span().start,
                format!("{field}.value.value"),
                "a reported value must be a finite number ≥ 0",
                None,
            );
            ok = false;
        }
        let tolerance = x.tolerance.as_ref().map(|t| *t.get_ref());
        if let Some(t) = &x.tolerance
            && !(t.get_ref().is_finite() && *t.get_ref() >= 0.0)
        {
            self.err(
                t.span().start,
                format!("{field}.tolerance"),
                "a tolerance must be a finite number ≥ 0",
                Some("a relative band for Mt (0.15 = ±15%), share points for shares (0.03 = ±3 points)".into()),
            );
            ok = false;
        }
        match (ok, quantity, from, to, value) {
            (true, Some(quantity), Some(from), Some(to), Some(value)) => Some(Reported {
                name: x.name.get_ref().clone(),
                quantity,
                routes,
                from,
                to,
                value,
                tolerance,
                source: prov.describe(),
            }),
            _ => None,
        }
    }
}
