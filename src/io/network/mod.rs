//! Step two of loading: resolve raw structs into the [`Network`], checking names, units,
//! ranges and geometry, and reporting every problem at once.
//!
//! [`load_dir`] reads every `*.toml` file of a directory in name order; [`parse_files`] does the
//! work on in-memory texts, so tests and the embedded dataset never touch the disk.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;
use toml::de::DeValue;

mod links;
pub mod raw;
mod routes;
mod traffic;

use super::diag::{Diagnostic, SourceText, deserialize_value, did_you_mean};
pub use super::error::LoadError;
use super::resolve::Resolver;
use crate::model::units::{CrudeProperties, Dimension};
use crate::model::{Layer, Network, Node, NodeIx, NodeKind, Provenance};
use raw::*;

/// A loaded network with the warnings raised on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub network: Network,
    pub warnings: Vec<Diagnostic>,
    /// The files read, as (name, text), in load order.
    pub files: Vec<(String, String)>,
}

/// Reads every `*.toml` file in `dir` (sorted by name) and resolves them into one network.
///
/// # Errors
/// [`LoadError::Io`] if a file cannot be read, [`LoadError::Invalid`] with every problem if the
/// data is invalid (or has warnings while `strict`).
pub fn load_dir(dir: &Path, strict: bool) -> Result<Loaded, LoadError> {
    load_dir_in(&super::source::Disk::default(), dir, strict)
}

/// [`load_dir`] on any [`Source`](super::source::Source).
///
/// # Errors
/// As [`load_dir`].
pub fn load_dir_in(
    source: &dyn super::source::Source,
    dir: &Path,
    strict: bool,
) -> Result<Loaded, LoadError> {
    let paths = source.toml_files(dir).map_err(|error| LoadError::Io {
        path: dir.to_path_buf(),
        error,
    })?;
    if paths.is_empty() {
        return Err(LoadError::Empty {
            dir: dir.to_path_buf(),
        });
    }
    let mut files = Vec::new();
    for p in paths {
        let text = source.read(&p).map_err(|error| LoadError::Io {
            path: p.clone(),
            error,
        })?;
        files.push((p.display().to_string(), text));
    }
    parse_files(files, strict)
}

/// The dataset embedded in the binary at build time from `routes/`.
pub fn embedded_files() -> Vec<(String, String)> {
    crate::io::embedded::ROUTE_FILES
        .iter()
        .map(|(n, t)| (format!("routes/{n}"), t.to_string()))
        .collect()
}

/// Loads the embedded dataset: parsed once per process and strictness, then copied (every
/// scenario of a study names it, and the text never changes).
///
/// # Errors
/// As [`parse_files`]; the shipped data is tested to load under `strict`.
pub fn load_embedded(strict: bool) -> Result<Loaded, LoadError> {
    static LOADED: [std::sync::OnceLock<Loaded>; 2] =
        [std::sync::OnceLock::new(), std::sync::OnceLock::new()];
    let cell = &LOADED[usize::from(strict)];
    if let Some(l) = cell.get() {
        return Ok(l.clone());
    }
    let l = parse_files(embedded_files(), strict)?;
    Ok(cell.get_or_init(|| l).clone())
}

/// Parses and resolves in-memory files `(name, text)`.
///
/// # Errors
/// [`LoadError::Invalid`] with every error, and every warning too when `strict`.
pub fn parse_files(files: Vec<(String, String)>, strict: bool) -> Result<Loaded, LoadError> {
    let (network, diags) = {
        let sources: Vec<SourceText<'_>> =
            files.iter().map(|(n, t)| SourceText::new(n, t)).collect();
        let mut r = Resolver::new(&sources);
        let raw = r.read_raw();
        let network = r.resolve(raw);
        (network, r.diags)
    };
    let fail = diags.has_errors() || (strict && diags.warnings().next().is_some());
    match network {
        Some(network) if !fail => Ok(Loaded {
            network,
            warnings: diags.warnings().cloned().collect(),
            files,
        }),
        _ => {
            let mut items = diags.items;
            items.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            Err(LoadError::Invalid(items))
        }
    }
}

/// Raw elements with the index of the file they came from.
#[derive(Default)]
pub(crate) struct RawSet {
    crude: Vec<(usize, usize, RawCrude)>,
    traffic: Vec<(usize, usize, RawTraffic)>,
    nodes: Vec<(usize, RawNode)>,
    links: Vec<(usize, RawLink)>,
    stores: Vec<(usize, RawStore)>,
    duties: Vec<(usize, RawDuty)>,
    routes: Vec<(usize, RawRoute)>,
    nominations: Vec<(usize, RawNomination)>,
    expansions: Vec<(usize, RawExpansion)>,
    vintages: Vec<(usize, RawVintage)>,
    dependencies: Vec<(usize, RawDependency)>,
}

/// How to write a waypoint, for errors about one.
pub(crate) const WAYPOINT_HINT: &str =
    "write waypoints as [lon, lat] with lon in −180…180 and lat in −90…90";

/// `[lon, lat]` as a point, if it is one: two numbers, lon in −180…180, lat in −90…90.
pub(crate) fn lon_lat(v: &[f64]) -> Option<(f64, f64)> {
    match v {
        [lon, lat] if (-180.0..=180.0).contains(lon) && (-90.0..=90.0).contains(lat) => {
            Some((*lon, *lat))
        }
        _ => None,
    }
}

/// Resolved node names, and what became of the ones that were left out.
pub(crate) struct NodeNames {
    ix: BTreeMap<String, NodeIx>,
    /// Every resolved name, sorted, for "did you mean" hints.
    all: Vec<String>,
    /// Nodes defined but left out (bad coordinates, unknown units, failed step one).
    left_out: BTreeSet<String>,
    /// First definition of each id: (file, byte offset).
    seen: BTreeMap<String, (usize, usize)>,
    /// Definition of each resolved node, by index: (file, byte offset).
    pos: Vec<(usize, usize)>,
}

impl NodeNames {
    /// Resolves a node reference, warning `unknown_node` (or saying it was left out) if it
    /// does not resolve.
    fn lookup(
        &self,
        r: &mut Resolver<'_>,
        file: usize,
        name: &Spanned<String>,
        field: String,
    ) -> Option<NodeIx> {
        let s = name.get_ref();
        if let Some(ix) = self.ix.get(s) {
            return Some(*ix);
        }
        let (problem, hint) = if self.left_out.contains(s) {
            (
                format!(
                    "node `{s}` was left out (see its own diagnostic); this element is left out too"
                ),
                None,
            )
        } else {
            (
                format!("unknown node `{s}`; this element is left out"),
                did_you_mean(s, self.all.iter().map(String::as_str)),
            )
        };
        r.diags.warn(
            "unknown_node",
            &r.srcs[file],
            name.span().start,
            field,
            problem,
            hint,
        );
        None
    }
}

impl Resolver<'_> {
    pub(crate) fn element<T: for<'de> Deserialize<'de>>(
        &mut self,
        file: usize,
        section: &str,
        index: usize,
        value: &Spanned<DeValue<'_>>,
    ) -> Option<T> {
        let key = |name: &str| match value.get_ref() {
            DeValue::Table(t) => t
                .iter()
                .find(|(k, _)| k.get_ref() == name)
                .and_then(|(_, v)| v.get_ref().as_str().map(str::to_string)),
            _ => None,
        };
        let id = key("id");
        let path = match &id {
            Some(id) => format!("{section}[{id}]"),
            None => format!("{section}[#{}]", index + 1),
        };
        let parsed = deserialize_value(&mut self.diags, &self.srcs[file], &path, value);
        if let (None, Some(id)) = (&parsed, id) {
            let refs = ["from", "to"].iter().filter_map(|k| key(k)).collect();
            self.failed.push((section.to_string(), id, refs));
        }
        parsed
    }

    fn read_raw(&mut self) -> RawSet {
        let mut raw = RawSet::default();
        for file in 0..self.srcs.len() {
            let src = &self.srcs[file];
            let Some(doc) = self.diags.parse_toml(src) else {
                self.unreadable_file = true;
                continue;
            };
            for (key, value) in doc.get_ref().iter() {
                let k = key.get_ref().as_ref();
                let arr = || match value.get_ref() {
                    DeValue::Array(a) => Some(a.iter().cloned().collect::<Vec<_>>()),
                    _ => None,
                };
                match k {
                    "format" => {
                        let v = value.get_ref().as_integer().map(|i| i.as_str().to_string());
                        if v.as_deref() != Some(&FORMAT_VERSION.to_string()) {
                            self.diags.error(
                                src,
                                value.span().start,
                                "format",
                                format!("unsupported network format {:?}", v.unwrap_or_default()),
                                Some(format!("this corridor reads format = {FORMAT_VERSION}")),
                            );
                        }
                    }
                    "crude" => {
                        if let Some(c) = self.element::<RawCrude>(file, "crude", 0, value) {
                            raw.crude.push((file, key.span().start, c));
                        }
                    }
                    "traffic" => {
                        if let Some(c) = self.element::<RawTraffic>(file, "traffic", 0, value) {
                            raw.traffic.push((file, key.span().start, c));
                        }
                    }
                    "node" | "link" | "store" | "duty" | "route" | "nomination" | "expansion"
                    | "vintage" | "depends_on" => {
                        let Some(items) = arr() else {
                            self.diags.error(
                                src,
                                key.span().start,
                                k,
                                "must be an array of tables",
                                Some(format!("write each entry as [[{k}]]")),
                            );
                            continue;
                        };
                        for (i, item) in items.iter().enumerate() {
                            match k {
                                "node" => {
                                    if let Some(v) = self.element(file, k, i, item) {
                                        raw.nodes.push((file, v));
                                    }
                                }
                                "link" => {
                                    if let Some(v) = self.element(file, k, i, item) {
                                        raw.links.push((file, v));
                                    }
                                }
                                "store" => {
                                    if let Some(v) = self.element(file, k, i, item) {
                                        raw.stores.push((file, v));
                                    }
                                }
                                "duty" => {
                                    if let Some(v) = self.element(file, k, i, item) {
                                        raw.duties.push((file, v));
                                    }
                                }
                                "route" => {
                                    if let Some(v) = self.element(file, k, i, item) {
                                        raw.routes.push((file, v));
                                    }
                                }
                                "nomination" => {
                                    if let Some(v) = self.element(file, k, i, item) {
                                        raw.nominations.push((file, v));
                                    }
                                }
                                "depends_on" => {
                                    if let Some(v) = self.element(file, k, i, item) {
                                        raw.dependencies.push((file, v));
                                    }
                                }
                                "vintage" => {
                                    if let Some(v) = self.element(file, k, i, item) {
                                        raw.vintages.push((file, v));
                                    }
                                }
                                _ => {
                                    if let Some(v) = self.element(file, k, i, item) {
                                        raw.expansions.push((file, v));
                                    }
                                }
                            }
                        }
                    }
                    other => self.diags.unknown_key(
                        src,
                        key.span().start,
                        other,
                        TOP_LEVEL_KEYS,
                        "unknown top-level key",
                        "top-level keys",
                    ),
                }
            }
        }
        raw
    }

    fn resolve(&mut self, raw: RawSet) -> Option<Network> {
        let bbl_src = self.resolve_crude(&raw.crude)?;
        let (nodes, names) = self.resolve_nodes(&raw.nodes);
        let links = self.resolve_links(&raw.links, &nodes, &names);
        let mut net = Network::new(self.crude, bbl_src, nodes, links);
        self.resolve_traffic(&raw.traffic, &mut net, &names)?;
        self.resolve_stores(&raw.stores, &mut net, &names);
        self.resolve_duties(&raw.duties, &mut net, &names);
        let failed = std::mem::take(&mut self.failed);
        self.resolve_routes(&raw.routes, &raw.links, &failed, &mut net);
        self.resolve_nominations(&raw.nominations, &mut net, &|r, file, name, field| {
            names.lookup(r, file, name, field)
        });
        self.resolve_expansions(&raw.expansions, &mut net);
        self.resolve_vintages(&raw.vintages, &mut net);
        net.dependencies = raw
            .dependencies
            .iter()
            .enumerate()
            .filter_map(|(i, (file, d))| self.dependency(&net, *file, i, d))
            .collect();
        self.check_disconnected(&raw, &failed, &net, &names);
        Some(net)
    }

    /// Reports each of `again`, further copies of the once-only table `key` whose first copy is
    /// in file `first`.
    fn defined_again<T>(&mut self, key: &str, first: usize, again: &[(usize, usize, T)]) {
        for (file, pos, _) in again {
            self.diags.error(
                &self.srcs[*file],
                *pos,
                key,
                format!("[{key}] defined more than once"),
                Some(format!("keep the one in {}", self.srcs[first].name)),
            );
        }
    }

    /// `[crude]`: exactly one, with positive factors in the stated units. Sets `self.crude`.
    pub(crate) fn resolve_crude(&mut self, raw: &[(usize, usize, RawCrude)]) -> Option<Provenance> {
        let (crude, bbl_src) = match raw {
            [] => {
                if let (Some(src), false) = (self.srcs.first(), self.unreadable_file) {
                    self.diags.error(
                        src,
                        0,
                        "crude",
                        "no [crude] table in any network file",
                        Some("add [crude] with bbl_per_t and t_per_m3 to one file".into()),
                    );
                }
                return None;
            }
            [(file, _, c), rest @ ..] => {
                self.defined_again("crude", *file, rest);
                let b = c.bbl_per_t.get_ref();
                let t = c.t_per_m3.get_ref();
                let bad = |u: &Spanned<String>, want: &str| u.get_ref() != want;
                if bad(&b.unit, "bbl/t")
                    || bad(&t.unit, "t/m3")
                    || *b.value.get_ref() <= 0.0
                    || *t.value.get_ref() <= 0.0
                {
                    self.diags.error(
                        &self.srcs[*file],
                        c.bbl_per_t.span().start,
                        "crude",
                        "bbl_per_t must be a positive value in `bbl/t` and t_per_m3 in `t/m3`",
                        Some(
                            "e.g. bbl_per_t = { value = 7.5, unit = \"bbl/t\", source = \"…\" }"
                                .into(),
                        ),
                    );
                    return None;
                }
                let p = self.provenance(
                    *file,
                    c.bbl_per_t.span().start,
                    "crude.bbl_per_t",
                    &b.source,
                    &b.estimate,
                );
                (
                    CrudeProperties {
                        bbl_per_t: *b.value.get_ref(),
                        t_per_m3: *t.value.get_ref(),
                    },
                    p,
                )
            }
        };
        self.crude = crude;
        Some(bbl_src)
    }

    /// `[[node]]`s, then their `reached_from` references.
    pub(crate) fn resolve_nodes(&mut self, raw: &[(usize, RawNode)]) -> (Vec<Node>, NodeNames) {
        let mut nodes: Vec<Node> = Vec::new();
        let mut node_pos: Vec<(usize, usize)> = Vec::new();
        let mut seen: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        let mut left_out: BTreeSet<String> = self
            .failed
            .iter()
            .filter(|(sec, _, _)| sec == "node")
            .map(|(_, id, _)| id.clone())
            .collect();
        let mut pending_reach: Vec<(usize, Vec<Spanned<String>>)> = Vec::new();
        for (file, n) in raw {
            let file = *file;
            let id = n.id.get_ref().clone();
            let field = format!("node[{id}]");
            if self.duplicate(file, &n.id, &field, seen.get(&id)) {
                continue;
            }
            seen.insert(id.clone(), (file, n.id.span().start));
            let Some(kind) = NodeKind::parse(n.kind.get_ref()) else {
                self.diags.error(
                    &self.srcs[file],
                    n.kind.span().start,
                    format!("{field}.kind"),
                    format!("unknown node kind `{}`", n.kind.get_ref()),
                    Some(format!("use one of: {}", NodeKind::spellings().join(", "))),
                );
                continue;
            };
            let (lon, lat) = (*n.lon.get_ref(), *n.lat.get_ref());
            let mut ok = true;
            if !(-180.0..=180.0).contains(&lon) {
                self.diags.warn(
                    "coordinates_out_of_range",
                    &self.srcs[file],
                    n.lon.span().start,
                    format!("{field}.lon"),
                    format!("longitude {lon} is outside −180…180; the node is left out"),
                    Some(
                        "longitude is east-positive degrees; check lon and lat are not swapped"
                            .into(),
                    ),
                );
                ok = false;
            }
            if !(-90.0..=90.0).contains(&lat) {
                self.diags.warn(
                    "coordinates_out_of_range",
                    &self.srcs[file],
                    n.lat.span().start,
                    format!("{field}.lat"),
                    format!("latitude {lat} is outside −90…90; the node is left out"),
                    Some(
                        "latitude is north-positive degrees; check lon and lat are not swapped"
                            .into(),
                    ),
                );
                ok = false;
            }
            self.country(file, &n.country, &format!("{field}.country"));
            let status = self.status(file, &n.status, &field);
            let reactivation =
                self.reactivation(file, &n.reactivation, status, n.id.span().start, &field);
            if reactivation.is_err() {
                ok = false;
            }
            let reactivation = reactivation.ok().flatten();
            let flow_dim = kind.layer().flow_dimension();
            let capacity = match &n.capacity {
                Some(c) => match self.capacity(file, c, flow_dim, &format!("{field}.capacity")) {
                    Some(c) => Some(c),
                    None => {
                        ok = false;
                        None
                    }
                },
                None => None,
            };
            let mut opt_fig =
                |this: &mut Self, f: &Option<Spanned<RawFigure>>, name: &str, dim| match f {
                    Some(f) => {
                        let r = this.figure(file, f, dim, &format!("{field}.{name}"));
                        if r.is_none() {
                            ok = false;
                        }
                        r
                    }
                    None => None,
                };
            let production = opt_fig(self, &n.production, "production", Dimension::OilFlow);
            let demand = opt_fig(self, &n.demand, "demand", Dimension::DataRate);
            if production.is_some() && kind != NodeKind::Field {
                self.diags.error(
                    &self.srcs[file],
                    n.production.as_ref().map_or(0, |p| p.span().start),
                    format!("{field}.production"),
                    "only nodes of kind `field` have production",
                    Some("set kind = \"field\" or move the production to the field node".into()),
                );
                ok = false;
            }
            if demand.is_some() && kind.layer() != Layer::Data {
                self.diags.error(
                    &self.srcs[file],
                    n.demand.as_ref().map_or(0, |p| p.span().start),
                    format!("{field}.demand"),
                    "only data nodes have traffic demand",
                    Some("use production on oil fields".into()),
                );
                ok = false;
            }
            let restart = match &n.restart {
                Some(r) if kind == NodeKind::Field => {
                    match self.lead_ramp(file, r.get_ref(), &format!("{field}.restart")) {
                        Ok(r) => Some(r),
                        Err(()) => {
                            ok = false;
                            None
                        }
                    }
                }
                Some(r) => {
                    self.diags.error(
                        &self.srcs[file],
                        r.span().start,
                        format!("{field}.restart"),
                        "only nodes of kind `field` restart after a shut-in",
                        Some("remove restart, or set kind = \"field\"".into()),
                    );
                    ok = false;
                    None
                }
                None => None,
            };
            let (Some(status), true) = (status, ok) else {
                left_out.insert(id);
                continue;
            };
            if let Some(r) = &n.reached_from {
                pending_reach.push((nodes.len(), r.clone()));
            }
            node_pos.push((file, n.id.span().start));
            nodes.push(Node {
                id,
                name: n.name.clone().unwrap_or_else(|| n.id.get_ref().clone()),
                kind,
                lon,
                lat,
                country: n.country.get_ref().clone(),
                operator: n.operator.clone().unwrap_or_default(),
                status,
                reactivation,
                capacity,
                production,
                restart,
                demand,
                sink: n.sink.unwrap_or(kind == NodeKind::Market),
                reached_from: Vec::new(),
                note: n.note.clone().unwrap_or_default(),
                location_source: n.location_source.clone().unwrap_or_default(),
            });
        }
        let ix: BTreeMap<String, NodeIx> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), NodeIx(i)))
            .collect();
        let names = NodeNames {
            all: ix.keys().cloned().collect(),
            ix,
            left_out,
            seen,
            pos: node_pos,
        };
        for (i, reach) in pending_reach {
            let file = names.pos[i].0;
            let mut v = Vec::new();
            for r in &reach {
                let field = format!("node[{}].reached_from", nodes[i].id);
                if let Some(ix) = names.lookup(self, file, r, field) {
                    v.push(ix);
                }
            }
            nodes[i].reached_from = v;
        }
        (nodes, names)
    }
}
