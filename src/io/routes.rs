//! Step two of loading: resolve raw structs into the [`Network`], checking names, units,
//! ranges and geometry, and reporting every problem at once.
//!
//! [`load_dir`] reads every `*.toml` file of a directory in name order; [`parse_files`] does the
//! work on in-memory texts, so tests and the embedded dataset never touch the disk.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use geo::{Haversine, Length, LineString};
use serde::Deserialize;
use toml::Spanned;
use toml::de::DeValue;

use super::diag::{Diagnostic, Diagnostics, SourceText, deserialize_value, did_you_mean};
use super::raw::*;
use crate::model::units::{CrudeProperties, Dimension, to_canonical};
use crate::model::{
    AssetRef, Capacity, Confidence, Expansion, Figure, Fleet, Layer, Link, LinkIx, LinkKind,
    Network, Node, NodeIx, NodeKind, Provenance, Reserved, Route, Status, Store,
};

/// Why a network could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{dir}: no *.toml network files found (hint: point --routes at a directory like routes/)"
    )]
    Empty { dir: PathBuf },
    /// The input has errors (or warnings under `--strict`); every diagnostic is listed.
    #[error("{} problem(s) in the input:\n{}", .0.len(), .0.iter().map(|d| format!("  {d}")).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Diagnostic>),
}

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
    load_dir_in(&super::source::Disk, dir, strict)
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
    let paths = source.toml_files(dir).map_err(|source| LoadError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    if paths.is_empty() {
        return Err(LoadError::Empty {
            dir: dir.to_path_buf(),
        });
    }
    let mut files = Vec::new();
    for p in paths {
        let text = source.read(&p).map_err(|source| LoadError::Io {
            path: p.clone(),
            source,
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

/// Loads the embedded dataset.
///
/// # Errors
/// As [`parse_files`]; the shipped data is tested to load under `strict`.
pub fn load_embedded(strict: bool) -> Result<Loaded, LoadError> {
    parse_files(embedded_files(), strict)
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
struct RawSet {
    crude: Vec<(usize, usize, RawCrude)>,
    nodes: Vec<(usize, RawNode)>,
    links: Vec<(usize, RawLink)>,
    stores: Vec<(usize, RawStore)>,
    routes: Vec<(usize, RawRoute)>,
    expansions: Vec<(usize, RawExpansion)>,
    dependencies: Vec<(usize, RawDependency)>,
}

/// Resolved node names, and what became of the ones that were left out.
struct NodeNames {
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

pub(crate) struct Resolver<'s> {
    pub(crate) srcs: &'s [SourceText<'s>],
    pub(crate) diags: Diagnostics,
    pub(crate) crude: CrudeProperties,
    /// Some file could not be parsed at all (its contents are unknown).
    unreadable_file: bool,
    /// Elements that failed step one: (section, id, node names under `from`/`to`). Later
    /// references to them are reported as consequences, not as unknown names.
    failed: Vec<(String, String, Vec<String>)>,
}

impl<'s> Resolver<'s> {
    pub(crate) fn new(srcs: &'s [SourceText<'s>]) -> Self {
        Resolver {
            srcs,
            diags: Diagnostics::default(),
            crude: CrudeProperties {
                bbl_per_t: 7.5,
                t_per_m3: 0.8,
            },
            unreadable_file: false,
            failed: Vec::new(),
        }
    }

    fn element<T: for<'de> Deserialize<'de>>(
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
                    "node" | "link" | "store" | "route" | "expansion" | "depends_on" => {
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
                                "route" => {
                                    if let Some(v) = self.element(file, k, i, item) {
                                        raw.routes.push((file, v));
                                    }
                                }
                                "depends_on" => {
                                    if let Some(v) = self.element(file, k, i, item) {
                                        raw.dependencies.push((file, v));
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
                    other => {
                        let hint =
                            did_you_mean(other, TOP_LEVEL_KEYS.iter().copied()).or_else(|| {
                                Some(format!("top-level keys: {}", TOP_LEVEL_KEYS.join(", ")))
                            });
                        self.diags.error(
                            src,
                            key.span().start,
                            other,
                            "unknown top-level key",
                            hint,
                        );
                    }
                }
            }
        }
        raw
    }

    pub(crate) fn provenance(
        &mut self,
        file: usize,
        pos: usize,
        field: &str,
        source: &Option<String>,
        estimate: &Option<String>,
    ) -> Provenance {
        let source_text = source.clone().unwrap_or_default();
        match estimate {
            Some(reason) if !reason.trim().is_empty() => Provenance {
                source: source_text,
                confidence: Confidence::Estimate {
                    reason: reason.clone(),
                },
            },
            _ if !source_text.trim().is_empty() => Provenance {
                source: source_text,
                confidence: Confidence::Sourced,
            },
            _ => {
                self.diags.warn(
                    "missing_provenance",
                    &self.srcs[file],
                    pos,
                    field,
                    "no `source` and no `estimate`",
                    Some("add source = \"…\" or estimate = \"why this value\"".into()),
                );
                Provenance {
                    source: String::new(),
                    confidence: Confidence::Estimate {
                        reason: "no source given".into(),
                    },
                }
            }
        }
    }

    fn convert(
        &mut self,
        file: usize,
        value: &Spanned<f64>,
        unit: &Spanned<String>,
        dim: Dimension,
        field: &str,
    ) -> Option<f64> {
        match to_canonical(*value.get_ref(), unit.get_ref(), dim, self.crude) {
            Ok(v) => Some(v),
            Err(e) => {
                let hint = did_you_mean(unit.get_ref(), dim.accepted().iter().copied())
                    .map(|d| format!("{d} accepted: {}", dim.accepted().join(", ")))
                    .unwrap_or_else(|| format!("accepted: {}", dim.accepted().join(", ")));
                self.diags.warn(
                    "unknown_unit",
                    &self.srcs[file],
                    unit.span().start,
                    format!("{field}.unit"),
                    format!("unknown unit `{}` for {}", e.unit, e.dimension),
                    Some(hint),
                );
                None
            }
        }
    }

    pub(crate) fn figure(
        &mut self,
        file: usize,
        raw: &Spanned<RawFigure>,
        dim: Dimension,
        field: &str,
    ) -> Option<Figure> {
        let r = raw.get_ref();
        let value = self.convert(file, &r.value, &r.unit, dim, field)?;
        let provenance = self.provenance(file, raw.span().start, field, &r.source, &r.estimate);
        if !value.is_finite() {
            self.diags.error(
                &self.srcs[file],
                r.value.span().start,
                format!("{field}.value"),
                "not a finite number",
                None,
            );
            return None;
        }
        Some(Figure {
            value,
            dimension: dim,
            entered_value: *r.value.get_ref(),
            entered_unit: r.unit.get_ref().clone(),
            provenance,
        })
    }

    fn positive(&mut self, file: usize, raw_value: &Spanned<f64>, fig: &mut Figure, field: &str) {
        if fig.value <= 0.0 {
            self.diags.warn(
                "non_positive_capacity",
                &self.srcs[file],
                raw_value.span().start,
                format!("{field}.value"),
                format!(
                    "capacity {} {} is not positive",
                    fig.entered_value, fig.entered_unit
                ),
                Some(
                    "the asset will carry nothing; give the real capacity or delete the asset"
                        .into(),
                ),
            );
            fig.value = fig.value.max(0.0);
        }
    }

    fn reserved(
        &mut self,
        file: usize,
        raw: &Option<Spanned<RawReserved>>,
        field: &str,
    ) -> Result<Option<Reserved>, ()> {
        let Some(rr) = raw else { return Ok(None) };
        let r = rr.get_ref();
        let f = format!("{field}.reserved");
        let fig = RawFigure {
            value: r.value.clone(),
            unit: r.unit.clone(),
            source: r.source.clone(),
            estimate: r.estimate.clone(),
        };
        let share = self
            .figure(file, &Spanned::new(rr.span(), fig), Dimension::Fraction, &f)
            .ok_or(())?;
        if !(0.0..1.0).contains(&share.value) {
            self.diags.warn(
                "share_out_of_range",
                &self.srcs[file],
                r.value.span().start,
                format!("{f}.value"),
                format!("reserved share {} is outside 0…1", share.value),
                Some("give the share held by other shippers as a fraction, e.g. 0.11".into()),
            );
            return Err(());
        }
        Ok(Some(Reserved {
            share,
            holder: r.holder.clone(),
        }))
    }

    fn capacity(
        &mut self,
        file: usize,
        raw: &Spanned<RawCapacity>,
        dim: Dimension,
        field: &str,
    ) -> Option<Capacity> {
        let r = raw.get_ref();
        let mut nominal = self.figure(file, &Spanned::new(raw.span(), r.figure()), dim, field)?;
        self.positive(file, &r.value, &mut nominal, field);
        let reserved = self.reserved(file, &r.reserved, field).ok()?;
        let allocation = match &r.allocation {
            Some(a) => {
                let f = format!("{field}.allocation");
                let mut fig = self.figure(file, a, dim, &f)?;
                self.positive(file, &a.get_ref().value, &mut fig, &f);
                Some(fig)
            }
            None => None,
        };
        Some(Capacity {
            nominal,
            reserved,
            allocation,
        })
    }

    fn status(
        &mut self,
        file: usize,
        raw: &Option<Spanned<String>>,
        field: &str,
    ) -> Option<Status> {
        match raw {
            None => Some(Status::Operating),
            Some(s) => Status::parse(s.get_ref()).or_else(|| {
                self.diags.error(
                    &self.srcs[file],
                    s.span().start,
                    format!("{field}.status"),
                    format!("unknown status `{}`", s.get_ref()),
                    Some(format!("use one of: {}", Status::spellings().join(", "))),
                );
                None
            }),
        }
    }

    fn country(&mut self, file: usize, c: &Spanned<String>, field: &str) {
        let s = c.get_ref();
        if s.len() != 2 || !s.chars().all(|ch| ch.is_ascii_uppercase()) {
            self.diags.warn(
                "bad_country",
                &self.srcs[file],
                c.span().start,
                field,
                format!("`{s}` is not an ISO 3166-1 alpha-2 code"),
                Some("use two capital letters, e.g. KZ, RU, AZ".into()),
            );
        }
    }

    fn resolve(&mut self, raw: RawSet) -> Option<Network> {
        let bbl_src = self.resolve_crude(&raw.crude)?;
        let (nodes, names) = self.resolve_nodes(&raw.nodes);
        let links = self.resolve_links(&raw.links, &nodes, &names);
        let mut net = Network::new(self.crude, bbl_src, nodes, links);
        self.resolve_stores(&raw.stores, &mut net, &names);
        let failed = std::mem::take(&mut self.failed);
        self.resolve_routes(&raw.routes, &raw.links, &failed, &mut net);
        self.resolve_expansions(&raw.expansions, &mut net);
        net.dependencies = raw
            .dependencies
            .iter()
            .enumerate()
            .filter_map(|(i, (file, d))| self.dependency(&net, *file, i, d))
            .collect();
        self.check_disconnected(&raw, &failed, &net, &names);
        Some(net)
    }

    /// `[crude]`: exactly one, with positive factors in the stated units. Sets `self.crude`.
    fn resolve_crude(&mut self, raw: &[(usize, usize, RawCrude)]) -> Option<Provenance> {
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
                for (f2, pos, _) in rest {
                    self.diags.error(
                        &self.srcs[*f2],
                        *pos,
                        "crude",
                        "[crude] defined more than once",
                        Some(format!("keep the one in {}", self.srcs[*file].name)),
                    );
                }
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
    fn resolve_nodes(&mut self, raw: &[(usize, RawNode)]) -> (Vec<Node>, NodeNames) {
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
            if let Some(&(f0, p0)) = seen.get(&id) {
                self.diags.warn(
                    "duplicate_id",
                    &self.srcs[file],
                    n.id.span().start,
                    format!("{field}.id"),
                    format!("duplicate id `{id}`; this definition is left out"),
                    Some(format!(
                        "first defined at {}:{}",
                        self.srcs[f0].name,
                        self.srcs[f0].line(p0)
                    )),
                );
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
                capacity,
                production,
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

    /// `[[link]]`s: endpoints, geometry and lengths, capacity or fleet, tariff.
    fn resolve_links(
        &mut self,
        raw: &[(usize, RawLink)],
        nodes: &[Node],
        names: &NodeNames,
    ) -> Vec<Link> {
        let mut links: Vec<Link> = Vec::new();
        let mut link_seen: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for (file, l) in raw {
            let file = *file;
            let id = l.id.get_ref().clone();
            let field = format!("link[{id}]");
            if let Some(&(f0, p0)) = link_seen.get(&id).or_else(|| names.seen.get(&id)) {
                self.diags.warn(
                    "duplicate_id",
                    &self.srcs[file],
                    l.id.span().start,
                    format!("{field}.id"),
                    format!("duplicate id `{id}`; this definition is left out"),
                    Some(format!(
                        "first defined at {}:{}",
                        self.srcs[f0].name,
                        self.srcs[f0].line(p0)
                    )),
                );
                continue;
            }
            link_seen.insert(id.clone(), (file, l.id.span().start));
            let Some(kind) = LinkKind::parse(l.kind.get_ref()) else {
                self.diags.error(
                    &self.srcs[file],
                    l.kind.span().start,
                    format!("{field}.kind"),
                    format!("unknown link kind `{}`", l.kind.get_ref()),
                    Some(format!("use one of: {}", LinkKind::spellings().join(", "))),
                );
                continue;
            };
            let from = names.lookup(self, file, &l.from, format!("{field}.from"));
            let to = names.lookup(self, file, &l.to, format!("{field}.to"));
            let status = self.status(file, &l.status, &field);
            let mut ok = true;
            let mut geometry = Vec::new();
            if let (Some(f), Some(t)) = (from, to) {
                geometry.push((nodes[f.0].lon, nodes[f.0].lat));
                for w in l.via.iter().flatten() {
                    match w.get_ref().as_slice() {
                        [lon, lat]
                            if (-180.0..=180.0).contains(lon) && (-90.0..=90.0).contains(lat) =>
                        {
                            geometry.push((*lon, *lat))
                        }
                        _ => {
                            self.diags.warn(
                                "coordinates_out_of_range",
                                &self.srcs[file],
                                w.span().start,
                                format!("{field}.via"),
                                format!("waypoint {:?} is not a valid [lon, lat] pair; the link is left out", w.get_ref()),
                                Some("write waypoints as [lon, lat] with lon in −180…180 and lat in −90…90".into()),
                            );
                            ok = false;
                        }
                    }
                }
                geometry.push((nodes[t.0].lon, nodes[t.0].lat));
                for (end, ix) in [("from", f), ("to", t)] {
                    if nodes[ix.0].layer() != kind.layer() {
                        self.diags.warn(
                            "layer_mismatch",
                            &self.srcs[file],
                            l.kind.span().start,
                            format!("{field}.{end}"),
                            format!(
                                "a {} link cannot attach to {} node `{}`; the link is left out",
                                kind, nodes[ix.0].kind, nodes[ix.0].id
                            ),
                            Some("oil links join oil nodes, fibre links join data nodes".into()),
                        );
                        ok = false;
                    }
                }
            } else {
                ok = false;
            }
            for c in l.countries.get_ref() {
                self.country(file, c, &format!("{field}.countries"));
            }
            if l.countries.get_ref().is_empty() {
                self.diags.error(
                    &self.srcs[file],
                    l.countries.span().start,
                    format!("{field}.countries"),
                    "empty list",
                    Some("list the ISO codes of the countries the link crosses, in order".into()),
                );
                ok = false;
            }
            let length_computed_km = Haversine.length(&LineString::from(geometry.clone())) / 1000.0;
            let length_sourced = match &l.length {
                Some(f) => {
                    let r = self.figure(file, f, Dimension::Length, &format!("{field}.length"));
                    if r.is_none() {
                        ok = false;
                    }
                    r
                }
                None => None,
            };
            if let Some(src_len) = &length_sourced {
                let ratio = length_computed_km / src_len.value;
                if ok && !(0.75..=1.25).contains(&ratio) {
                    self.diags.warn(
                        "length_mismatch",
                        &self.srcs[file],
                        l.length.as_ref().map_or(0, |s| s.span().start),
                        format!("{field}.length"),
                        format!(
                            "computed {:.0} km from the geometry but the source gives {:.0} km",
                            length_computed_km, src_len.value
                        ),
                        Some("add `via` waypoints along the real corridor".into()),
                    );
                }
            }
            let layer_dim = kind.layer().flow_dimension();
            let (capacity, fleet) = match (kind, &l.capacity, &l.fleet) {
                (LinkKind::TankerLeg, None, Some(fl)) => {
                    match self.fleet(file, fl, &format!("{field}.fleet")) {
                        Some((fleet, reserved, allocation)) => {
                            let len = length_sourced
                                .as_ref()
                                .map_or(length_computed_km, |f| f.value);
                            let nominal = fleet.capacity_figure(len);
                            (
                                Some(Capacity {
                                    nominal,
                                    reserved,
                                    allocation,
                                }),
                                Some(fleet),
                            )
                        }
                        None => (None, None),
                    }
                }
                (LinkKind::TankerLeg, _, _) => {
                    self.diags.error(
                        &self.srcs[file],
                        l.kind.span().start,
                        format!("{field}.fleet"),
                        "a tanker leg needs a `fleet` and no `capacity`",
                        Some("its capacity is derived: vessels × deadweight × availability / round-trip days".into()),
                    );
                    (None, None)
                }
                (_, Some(c), None) => (
                    self.capacity(file, c, layer_dim, &format!("{field}.capacity")),
                    None,
                ),
                (_, _, Some(fl)) => {
                    self.diags.error(
                        &self.srcs[file],
                        fl.span().start,
                        format!("{field}.fleet"),
                        format!("only tanker legs have a fleet, not a {kind}"),
                        Some("set kind = \"tanker_leg\" or give a capacity".into()),
                    );
                    (None, None)
                }
                (_, None, None) => {
                    self.diags.error(
                        &self.srcs[file],
                        l.id.span().start,
                        format!("{field}.capacity"),
                        "missing required field",
                        Some("give capacity = { value, unit, source }".into()),
                    );
                    (None, None)
                }
            };
            let tariff = match &l.tariff {
                Some(t) => {
                    let r = self.figure(file, t, Dimension::Tariff, &format!("{field}.tariff"));
                    if r.is_none() {
                        ok = false;
                    }
                    r
                }
                None => None,
            };
            let (Some(from), Some(to), Some(capacity), Some(status), true) =
                (from, to, capacity, status, ok)
            else {
                continue;
            };
            links.push(Link {
                id,
                name: l.name.clone().unwrap_or_else(|| l.id.get_ref().clone()),
                kind,
                from,
                to,
                geometry,
                length_computed_km,
                length_sourced,
                countries: l
                    .countries
                    .get_ref()
                    .iter()
                    .map(|c| c.get_ref().clone())
                    .collect(),
                capacity,
                fleet,
                tariff,
                status,
                operator: l.operator.clone().unwrap_or_default(),
                note: l.note.clone().unwrap_or_default(),
            });
        }

        links
    }

    /// `[[store]]`s.
    fn resolve_stores(&mut self, raw: &[(usize, RawStore)], net: &mut Network, names: &NodeNames) {
        for (file, s) in raw {
            let file = *file;
            let field = format!("store[{}]", s.id.get_ref());
            let node = names.lookup(self, file, &s.node, format!("{field}.node"));
            let cap = self.figure(
                file,
                &s.capacity,
                Dimension::Stock,
                &format!("{field}.capacity"),
            );
            let init = self.figure(
                file,
                &s.initial,
                Dimension::Stock,
                &format!("{field}.initial"),
            );
            if let (Some(c), Some(i)) = (&cap, &init)
                && (i.value > c.value || i.value < 0.0)
            {
                self.diags.warn(
                    "store_level_out_of_range",
                    &self.srcs[file],
                    s.initial.span().start,
                    format!("{field}.initial"),
                    format!("initial level {} kt is outside 0…{} kt", i.value, c.value),
                    Some("the initial level must fit in the tanks".into()),
                );
                continue;
            }
            if let (Some(node), Some(capacity_kt), Some(initial_kt)) = (node, cap, init) {
                net.stores.push(Store {
                    id: s.id.get_ref().clone(),
                    node,
                    capacity_kt,
                    initial_kt,
                });
            }
        }
    }

    /// `[[route]]`s: every stage resolved and chained to the previous one.
    fn resolve_routes(
        &mut self,
        raw: &[(usize, RawRoute)],
        raw_links: &[(usize, RawLink)],
        failed: &[(String, String, Vec<String>)],
        net: &mut Network,
    ) {
        let link_names: Vec<String> = net.links.iter().map(|l| l.id.clone()).collect();
        let links_left_out: BTreeSet<&str> = raw_links
            .iter()
            .map(|(_, l)| l.id.get_ref().as_str())
            .filter(|id| net.link_ix(id).is_none())
            .chain(
                failed
                    .iter()
                    .filter(|(sec, _, _)| sec == "link")
                    .map(|(_, id, _)| id.as_str()),
            )
            .collect();
        for (file, r) in raw {
            let file = *file;
            let id = r.id.get_ref().clone();
            let field = format!("route[{id}]");
            let mut stages: Vec<Vec<LinkIx>> = Vec::new();
            let mut ok = true;
            for st in r.stages.get_ref() {
                let names = match st.get_ref() {
                    RawStage::One(s) => vec![s.clone()],
                    RawStage::Parallel(v) => v.clone(),
                };
                let mut stage = Vec::new();
                for n in names {
                    if let Some(ix) = net.link_ix(&n) {
                        stage.push(ix);
                        continue;
                    }
                    let (problem, hint) = if links_left_out.contains(n.as_str()) {
                        (
                            format!(
                                "link `{n}` was left out (see its own diagnostic); the route is left out too"
                            ),
                            None,
                        )
                    } else {
                        (
                            format!("unknown link `{n}`; the route is left out"),
                            did_you_mean(&n, link_names.iter().map(String::as_str)),
                        )
                    };
                    self.diags.warn(
                        "unknown_asset",
                        &self.srcs[file],
                        st.span().start,
                        format!("{field}.stages"),
                        problem,
                        hint,
                    );
                    ok = false;
                }
                if stage.is_empty() && ok {
                    self.diags.error(
                        &self.srcs[file],
                        st.span().start,
                        format!("{field}.stages"),
                        "empty stage",
                        None,
                    );
                    ok = false;
                }
                stages.push(stage);
            }
            if stages.is_empty() {
                self.diags.error(
                    &self.srcs[file],
                    r.stages.span().start,
                    format!("{field}.stages"),
                    "a route needs at least one link",
                    None,
                );
                continue;
            }
            if !ok {
                continue;
            }
            let layers: BTreeSet<Layer> = stages
                .iter()
                .flatten()
                .map(|l| net.link(*l).layer())
                .collect();
            if layers.len() > 1 {
                self.diags.warn(
                    "layer_mismatch",
                    &self.srcs[file],
                    r.stages.span().start,
                    format!("{field}.stages"),
                    "mixes oil and data links; the route is left out",
                    Some("make one route per layer".into()),
                );
                continue;
            }
            for (k, pair) in stages.windows(2).enumerate() {
                let ends: BTreeSet<NodeIx> = pair[0].iter().map(|l| net.link(*l).to).collect();
                for l in &pair[1] {
                    let link = net.link(*l);
                    if !ends.contains(&link.from) {
                        let pos = r.stages.get_ref()[k + 1].span().start;
                        let prev: Vec<&str> =
                            ends.iter().map(|n| net.node(*n).id.as_str()).collect();
                        self.diags.warn(
                            "route_not_chain",
                            &self.srcs[file],
                            pos,
                            format!("{field}.stages"),
                            format!(
                                "stage {} link `{}` starts at `{}`, but stage {} ends at {}",
                                k + 2,
                                link.id,
                                net.node(link.from).id,
                                k + 1,
                                prev.iter()
                                    .map(|p| format!("`{p}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                            Some("list the links in order from origin to market".into()),
                        );
                        ok = false;
                    }
                }
            }
            if !ok {
                continue;
            }
            let layer = *layers.iter().next().unwrap_or(&Layer::Oil);
            let length_sourced = match &r.length {
                Some(f) => {
                    match self.figure(file, f, Dimension::Length, &format!("{field}.length")) {
                        Some(x) => Some(x),
                        None => continue,
                    }
                }
                None => None,
            };
            net.routes.push(Route {
                id,
                name: r.name.clone().unwrap_or_else(|| r.id.get_ref().clone()),
                layer,
                stages,
                length_sourced,
                note: r.note.clone().unwrap_or_default(),
            });
        }
        net.routes.sort_by(|a, b| a.id.cmp(&b.id));
    }

    /// A `[[depends_on]]` entry (network or scenario file `file`).
    pub(crate) fn dependency(
        &mut self,
        net: &Network,
        file: usize,
        i: usize,
        d: &RawDependency,
    ) -> Option<crate::model::Dependency> {
        let path = format!("depends_on[#{}]", i + 1);
        let resolve = |this: &mut Self, name: &Spanned<String>, field: &str| {
            net.asset(name.get_ref()).or_else(|| {
                let names: Vec<&str> = net.all_names().collect();
                let hint = did_you_mean(name.get_ref(), names.into_iter());
                this.diags.error(
                    &this.srcs[file],
                    name.span().start,
                    format!("{path}.{field}"),
                    format!("unknown asset `{}`", name.get_ref()),
                    hint,
                );
                None
            })
        };
        let dependent = resolve(self, &d.dependent, "dependent");
        let on = resolve(self, &d.on, "on");
        self.provenance(
            file,
            d.dependent.span().start,
            &path,
            &d.source,
            &d.estimate,
        );
        let grace = *d.grace_days.get_ref();
        let fraction = *d.fraction.get_ref();
        let down_below = d.down_below.as_ref().map_or(0.5, |x| *x.get_ref());
        let mut ok = true;
        for (bad, span, field, what) in [
            (
                grace < 0,
                d.grace_days.span(),
                "grace_days",
                "must not be negative",
            ),
            (
                !(0.0..=1.0).contains(&fraction),
                d.fraction.span(),
                "fraction",
                "must be a fraction in 0…1",
            ),
            (
                !(0.0..=1.0).contains(&down_below),
                d.down_below
                    .as_ref()
                    .map_or(d.fraction.span(), |x| x.span()),
                "down_below",
                "must be a fraction in 0…1",
            ),
        ] {
            if bad {
                self.diags.error(
                    &self.srcs[file],
                    span.start,
                    format!("{path}.{field}"),
                    what,
                    None,
                );
                ok = false;
            }
        }
        match (dependent, on, ok) {
            (Some(dependent), Some(on), true) => Some(crate::model::Dependency {
                dependent,
                on,
                grace_days: grace as u32,
                fraction,
                down_below,
            }),
            _ => None,
        }
    }

    /// `[[expansion]]`s.
    fn resolve_expansions(&mut self, raw: &[(usize, RawExpansion)], net: &mut Network) {
        for (file, e) in raw {
            let file = *file;
            let field = format!("expansion[{}]", e.id.get_ref());
            let Some(target) = net.asset(e.target.get_ref()) else {
                let names: Vec<&str> = net.all_names().collect();
                let hint = did_you_mean(e.target.get_ref(), names.into_iter());
                self.diags.warn(
                    "unknown_asset",
                    &self.srcs[file],
                    e.target.span().start,
                    format!("{field}.target"),
                    format!(
                        "unknown asset `{}`; the expansion is left out",
                        e.target.get_ref()
                    ),
                    hint,
                );
                continue;
            };
            let (dim, has_cap) = match target {
                AssetRef::Node(n) => (
                    net.node(n).layer().flow_dimension(),
                    net.node(n).capacity.is_some(),
                ),
                AssetRef::Link(l) => (
                    net.link(l).layer().flow_dimension(),
                    net.link(l).fleet.is_none(),
                ),
            };
            if !has_cap {
                self.diags.error(
                    &self.srcs[file],
                    e.target.span().start,
                    format!("{field}.target"),
                    format!("`{}` has no capacity to expand", e.target.get_ref()),
                    Some("expand a capacitated node or a pipeline/rail/fibre link; add tankers as a new planned tanker leg".into()),
                );
                continue;
            }
            let Some(mut capacity) =
                self.figure(file, &e.capacity, dim, &format!("{field}.capacity"))
            else {
                continue;
            };
            self.positive(
                file,
                &e.capacity.get_ref().value,
                &mut capacity,
                &format!("{field}.capacity"),
            );
            net.expansions.push(Expansion {
                id: e.id.get_ref().clone(),
                name: e.name.clone().unwrap_or_else(|| e.id.get_ref().clone()),
                target,
                capacity,
                note: e.note.clone().unwrap_or_default(),
            });
        }
    }

    /// Nodes that no link (as written) touches and no market is reached from.
    fn check_disconnected(
        &mut self,
        raw: &RawSet,
        failed: &[(String, String, Vec<String>)],
        net: &Network,
        names: &NodeNames,
    ) {
        // Disconnected nodes: judged on the links as written, so a node is not reported again
        // because a link into it was left out for its own reason.
        let mut referenced: BTreeSet<&str> = failed
            .iter()
            .flat_map(|(_, _, refs)| refs.iter().map(String::as_str))
            .collect();
        for (_, l) in &raw.links {
            referenced.insert(l.from.get_ref());
            referenced.insert(l.to.get_ref());
        }
        for (_, n) in &raw.nodes {
            for r in n.reached_from.iter().flatten() {
                referenced.insert(r.get_ref());
                referenced.insert(n.id.get_ref());
            }
        }
        for (i, n) in net.nodes.iter().enumerate() {
            if !referenced.contains(n.id.as_str()) {
                let (file, pos) = names.pos[i];
                self.diags.warn(
                    "disconnected_node",
                    &self.srcs[file],
                    pos,
                    format!("node[{}]", n.id),
                    "touches no link and is reached from no node",
                    Some("connect it with a link, or delete it".into()),
                );
            }
        }
    }

    #[allow(clippy::type_complexity)]
    fn fleet(
        &mut self,
        file: usize,
        raw: &Spanned<RawFleet>,
        field: &str,
    ) -> Option<(Fleet, Option<Reserved>, Option<Figure>)> {
        let r = raw.get_ref();
        let f = |name: &str| format!("{field}.{name}");
        let vessels = self.figure(file, &r.vessels, Dimension::Count, &f("vessels"));
        let deadweight_kt =
            self.figure(file, &r.deadweight, Dimension::Deadweight, &f("deadweight"));
        let speed_kn = self.figure(file, &r.speed, Dimension::Speed, &f("speed"));
        let loading_days = self.figure(file, &r.loading, Dimension::Duration, &f("loading"));
        let discharge_days = self.figure(file, &r.discharge, Dimension::Duration, &f("discharge"));
        let availability = self.figure(
            file,
            &r.availability,
            Dimension::Fraction,
            &f("availability"),
        );
        let reserved = self.reserved(file, &r.reserved, field).ok()?;
        let allocation = match &r.allocation {
            Some(a) => Some(self.figure(file, a, Dimension::OilFlow, &f("allocation"))?),
            None => None,
        };
        let fleet = Fleet {
            vessels: vessels?,
            deadweight_kt: deadweight_kt?,
            speed_kn: speed_kn?,
            loading_days: loading_days?,
            discharge_days: discharge_days?,
            availability: availability?,
        };
        for (name, fig, raw_v) in [
            ("vessels", &fleet.vessels, &r.vessels),
            ("deadweight", &fleet.deadweight_kt, &r.deadweight),
            ("speed", &fleet.speed_kn, &r.speed),
            ("availability", &fleet.availability, &r.availability),
        ] {
            if fig.value <= 0.0 {
                self.diags.warn(
                    "non_positive_capacity",
                    &self.srcs[file],
                    raw_v.span().start,
                    f(name),
                    format!(
                        "{name} {} is not positive; the tanker leg is left out",
                        fig.entered_value
                    ),
                    Some("give the real fleet figure".into()),
                );
                return None;
            }
        }
        if fleet.availability.value > 1.0 {
            self.diags.warn(
                "share_out_of_range",
                &self.srcs[file],
                r.availability.span().start,
                f("availability"),
                format!("availability {} is above 1", fleet.availability.value),
                Some("give the fraction of the year the fleet sails, e.g. 0.85".into()),
            );
            return None;
        }
        Some((fleet, reserved, allocation))
    }
}
