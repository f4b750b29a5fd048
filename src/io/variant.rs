//! Variant files (`scenarios/variants/*.toml`): a named set of changes to the network (planned
//! assets switched on, capacities, allocations and tariffs set or scaled) with its annual cost.
//! Variants compose: `a+b` applies `a`, then `b`, and adds their costs.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;
use toml::de::DeValue;

use super::diag::{SourceText, deserialize_value, did_you_mean};
use super::error::LoadError;
use super::raw::RawFigure;
use super::resolve::Resolver;
use super::scenario::Cx;
use super::source::{Disk, Source};
use crate::model::{AssetRef, Date, Network, Status};

/// Keys a variant file may hold.
pub const VARIANT_KEYS: &[&str] = &[
    "format",
    "name",
    "description",
    "switch_on",
    "set",
    "excludes",
    "requires",
    "lead_time",
    "size",
    "cost",
];

/// The annual cost of an option: a capex annuity plus opex, or a direct annual figure.
/// A scenario's `[variant]` table: expansions switched on and capacities set.
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
pub struct RawCost {
    /// Investment, `$m`.
    pub capex: Option<Spanned<RawFigure>>,
    /// Economic life, `years`.
    pub life: Option<Spanned<RawFigure>>,
    /// Discount rate, `fraction` or `%`.
    pub discount_rate: Option<Spanned<RawFigure>>,
    /// Operating cost, `$m/yr`.
    pub opex: Option<Spanned<RawFigure>>,
    /// A cost already annual (e.g. extra tariff paid), `$m/yr`.
    pub annual: Option<Spanned<RawFigure>>,
}

/// A sizing knob (`[size]`): how big the option is, one of `levels`, with the cost of each
/// unit of size it adds beside the fixed `[cost]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSize {
    /// The asset the knob sizes.
    pub asset: Spanned<String>,
    /// What it sets: `vessels` (a tanker leg's fleet), `capacity` or `allocation`.
    pub field: Spanned<String>,
    /// The sizes to choose among, in `unit`, ascending, each above 0.
    pub levels: Spanned<Vec<f64>>,
    /// Unit of the levels (`count` for vessels; a flow unit otherwise).
    pub unit: Spanned<String>,
    /// The level the option takes when it is named without one.
    pub default: Spanned<f64>,
    /// Citation of the levels.
    pub source: Option<String>,
    /// Present when the levels are an estimate: why.
    pub estimate: Option<String>,
    /// Investment per unit of size added over the network without the option, `$m`.
    pub capex: Option<Spanned<RawFigure>>,
    /// Operating cost per unit of size added, `$m/yr`.
    pub opex: Option<Spanned<RawFigure>>,
    /// A cost already annual per unit of size added, `$m/yr`.
    pub annual: Option<Spanned<RawFigure>>,
}

/// The knob of a sized option as applied: its levels, the one applied and the units of size
/// it adds.
#[derive(Debug, Clone, PartialEq)]
struct Sizing {
    levels: Vec<f64>,
    level: f64,
    /// Units added over the network without the option (the level less what the asset had
    /// in service), in the levels' unit; never below 0.
    added: f64,
    /// The level as a name suffix, e.g. "15 vessels".
    label: String,
}

pub use crate::model::Variant;

/// Annual cost of an investment: `capex × r / (1 − (1 + r)^−life) + opex` ($ per year).
pub fn annuity(capex: f64, life_years: f64, rate: f64) -> f64 {
    if life_years <= 0.0 {
        return capex;
    }
    if rate.abs() < 1e-12 {
        capex / life_years
    } else {
        capex * rate / (1.0 - (1.0 + rate).powf(-life_years))
    }
}

/// Applies the variant `spec` (`status-quo`, an id, or ids joined by `+`) found in `dir` to
/// `base`.
///
/// # Errors
/// [`LoadError`] with every problem of every file involved.
pub fn load_variant(spec: &str, dir: &Path, base: &Network) -> Result<Variant, LoadError> {
    load_variant_in(&Disk::default(), spec, dir, base)
}

/// [`load_variant`] reading the variant files from `source`.
///
/// # Errors
/// As [`load_variant`].
pub fn load_variant_in(
    source: &dyn Source,
    spec: &str,
    dir: &Path,
    base: &Network,
) -> Result<Variant, LoadError> {
    let mut net = base.clone();
    let mut cost = 0.0;
    let mut names = Vec::new();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    // (option, an option it excludes), in the order read.
    let mut excludes: Vec<(String, String)> = Vec::new();
    // Options some part needs, in the order read.
    let mut requires: Vec<String> = Vec::new();
    // The longest lead time of the parts, years (`None` when a part gives none).
    let mut lead = Some(0.0);
    // The last part's levels, when it is sized.
    let mut levels: Option<Vec<f64>> = None;
    for part in spec
        .split('+')
        .map(str::trim)
        .filter(|p| !p.is_empty() && *p != "status-quo")
    {
        let (part, level) = match crate::model::split_option(part) {
            Ok(x) => x,
            Err(e) => {
                return Err(LoadError::Variant {
                    spec: spec.to_string(),
                    problem: format!(
                        "{} (hint: variants are named by their file names in the variants directory, a sized one with a level as in tankers@15)",
                        e.replace("is not an id", "is not a variant id")
                    ),
                });
            }
        };
        if seen.contains(&part) {
            return Err(LoadError::Variant {
                spec: spec.to_string(),
                problem: format!(
                    "`{part}` is named twice (hint: a combination names each option once, and \
                     one size of a sized option; applying it twice would count its cost twice)"
                ),
            });
        }
        seen.push(part);
        let path = dir.join(format!("{part}.toml"));
        let text = match source.read(&path) {
            Ok(t) => t,
            Err(source_error) => {
                let known = list_variants_in(source, dir);
                let hint =
                    did_you_mean(part, known.iter().map(String::as_str)).unwrap_or_else(|| {
                        format!("variants in {}: {}", dir.display(), known.join(", "))
                    });
                return Err(LoadError::Io {
                    path: PathBuf::from(format!("{} ({hint})", path.display())),
                    error: source_error,
                });
            }
        };
        match apply_file(&path.display().to_string(), &text, &mut net, level) {
            Ok(meta) => {
                if let Some(problem) = meta.level_problem {
                    return Err(LoadError::Variant {
                        spec: spec.to_string(),
                        problem: format!("`{part}`: {problem}"),
                    });
                }
                levels = meta.sizing.as_ref().map(|z| z.levels.clone());
                names.push(match &meta.sizing {
                    Some(z) => format!("{}, {}", meta.name, z.label),
                    None => meta.name,
                });
                cost += meta.cost;
                for x in meta.excludes {
                    if !excludes.iter().any(|(_, e)| *e == x) {
                        excludes.push((part.to_string(), x));
                    }
                }
                lead = match (lead, meta.lead_years) {
                    (Some(a), Some(b)) => Some(f64::max(a, b)),
                    _ => None,
                };
                for x in meta.requires {
                    if !requires.contains(&x) {
                        requires.push(x);
                    }
                }
            }
            Err(LoadError::Invalid(d)) => errors.extend(d),
            Err(e) => return Err(e),
        }
        files.push((path.display().to_string(), text));
    }
    if !errors.is_empty() {
        return Err(LoadError::Invalid(errors));
    }
    if let Some((a, x)) = excludes.iter().find(|(_, x)| seen.contains(&x.as_str())) {
        return Err(LoadError::Variant {
            spec: spec.to_string(),
            problem: format!(
                "`{a}` excludes `{x}` (the `excludes` of {}) (hint: they are alternatives to each \
                 other, such as two sizes of one allocation; combine only one of them)",
                dir.join(format!("{a}.toml")).display()
            ),
        });
    }
    Ok(Variant {
        id: if spec.trim().is_empty() {
            "status-quo".into()
        } else {
            spec.trim().to_string()
        },
        name: if names.is_empty() {
            "Status quo".into()
        } else {
            names.join(" + ")
        },
        annual_cost_usd: cost,
        network: net,
        files,
        excludes: excludes.into_iter().map(|(_, x)| x).collect(),
        requires: requires
            .into_iter()
            .filter(|x| !seen.contains(&x.as_str()))
            .collect(),
        lead_years: if seen.is_empty() { Some(0.0) } else { lead },
        levels: match (seen.len(), levels) {
            (1, Some(l)) => l,
            _ => Vec::new(),
        },
    })
}

/// Levels for a message: `5, 10, 15, 20`.
fn list(levels: &[f64]) -> String {
    levels
        .iter()
        .map(f64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Ids of the variant files in `dir`, sorted.
pub fn list_variants(dir: &Path) -> Vec<String> {
    list_variants_in(&Disk::default(), dir)
}

/// Ids of the variant files in `dir` of `source`, sorted (none when `dir` cannot be listed).
pub fn list_variants_in(source: &dyn Source, dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = source
        .toml_files(dir)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    v.sort();
    v
}

/// What a variant file says besides its changes to the network.
struct FileMeta {
    /// Its `name`.
    name: String,
    /// Its annual cost, US$/yr.
    cost: f64,
    /// Options it excludes (ids of other variant files; one that does not exist binds nothing).
    excludes: Vec<String>,
    /// Options it needs (ids of other variant files).
    requires: Vec<String>,
    /// Years from the decision to service, when given.
    lead_years: Option<f64>,
    /// Its sizing knob as applied, when it has one.
    sizing: Option<Sizing>,
    /// Why the level asked for cannot be applied (none given for a file without `[size]`,
    /// or one that is not among its levels).
    level_problem: Option<String>,
}

/// Parses one variant file and applies it to `net`, a sized one at `level` (its default when
/// `None`).
fn apply_file(
    name: &str,
    text: &str,
    net: &mut Network,
    level: Option<f64>,
) -> Result<FileMeta, LoadError> {
    let srcs = [SourceText::new(name, text)];
    let mut r = Resolver::new(&srcs);
    r.unknown_unit_fails = true;
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
        if !VARIANT_KEYS.contains(&k) {
            r.diags.unknown_key(
                src,
                key.span().start,
                k,
                VARIANT_KEYS,
                "unknown key",
                "keys",
            );
        }
    }
    let value = |r: &mut Resolver<'_>, k: &str| -> Option<Spanned<DeValue<'_>>> {
        let _ = r;
        get(k).cloned()
    };
    let vname: Option<String> =
        value(&mut r, "name").and_then(|v| deserialize_value(&mut r.diags, src, "name", &v));
    if vname.is_none() && get("name").is_none() {
        r.diags.error(
            src,
            0,
            "name",
            "missing required field",
            Some("add name = \"…\"".into()),
        );
    }
    let switch_on: Option<Vec<Spanned<String>>> = value(&mut r, "switch_on")
        .and_then(|v| deserialize_value(&mut r.diags, src, "switch_on", &v));
    let own = Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ids = |r: &mut Resolver<'_>, key: &str, what: &str| -> Vec<Spanned<String>> {
        let list: Vec<Spanned<String>> = value(r, key)
            .and_then(|v| deserialize_value(&mut r.diags, src, key, &v))
            .unwrap_or_default();
        for x in &list {
            let id = x.get_ref();
            if id == &own {
                r.diags.error(
                    src,
                    x.span().start,
                    key,
                    format!("`{id}` is this option itself"),
                    Some(format!("list the other options {what}")),
                );
            } else if super::check_id(id).is_err() {
                r.diags.error(
                    src,
                    x.span().start,
                    key,
                    format!("`{id}` is not an option id"),
                    Some("name other variant files by their stem, e.g. \"btc-6\"".into()),
                );
            }
        }
        list
    };
    let excludes = ids(&mut r, "excludes", "it cannot be combined with");
    let requires = ids(&mut r, "requires", "it needs in the same portfolio");
    if let Some(x) = requires.iter().find(|x| excludes.contains(x)) {
        r.diags.error(
            src,
            x.span().start,
            "requires",
            format!("`{}` is both required and excluded", x.get_ref()),
            Some("an option either needs another or cannot be combined with it".into()),
        );
    }
    let mut set: Vec<Spanned<RawSetCapacity>> = Vec::new();
    if let Some(v) = get("set") {
        match v.get_ref() {
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let Some(x) = deserialize_value::<RawSetCapacity>(
                        &mut r.diags,
                        src,
                        &format!("set[#{}]", i + 1),
                        item,
                    ) {
                        set.push(Spanned::new(item.span(), x));
                    }
                }
            }
            _ => r.diags.error(
                src,
                v.span().start,
                "set",
                "must be an array of tables",
                Some("write each change as [[set]]".into()),
            ),
        }
    }
    let raw_size: Option<RawSize> =
        value(&mut r, "size").and_then(|v| deserialize_value(&mut r.diags, src, "size", &v));
    let raw_lead: Option<Spanned<RawFigure>> = value(&mut r, "lead_time")
        .and_then(|v| deserialize_value(&mut r.diags, src, "lead_time", &v));
    let raw_cost: Option<RawCost> =
        value(&mut r, "cost").and_then(|v| deserialize_value(&mut r.diags, src, "cost", &v));
    if get("cost").is_none() {
        r.diags.error(
            src,
            0,
            "cost",
            "missing required field",
            Some("add [cost] with capex, life, discount_rate and opex, or annual".into()),
        );
    }
    let mut cx = Cx {
        r,
        source: &Disk::default(),
        base: PathBuf::new(),
        files: Vec::new(),
        start: Date { days: 0 },
        horizon: 0,
    };
    let before = raw_size.as_ref().map(|_| net.clone());
    cx.apply_variant(
        net,
        &RawVariant {
            switch_on,
            set: if set.is_empty() { None } else { Some(set) },
        },
    );
    let mut level_problem = None;
    let sizing = match (&raw_size, &before) {
        (Some(z), Some(before)) => match cx.apply_size(before, net, z, level) {
            Ok(s) => s,
            Err(problem) => {
                level_problem = Some(problem);
                None
            }
        },
        _ => {
            if let Some(x) = level {
                level_problem = Some(format!(
                    "the file has no [size], so `@{x}` names no level (hint: name it without `@`)"
                ));
            }
            None
        }
    };
    let added = sizing.as_ref().map_or(0.0, |z| z.added);
    let cost = raw_cost.and_then(|c| {
        let m = |cx: &mut Cx<'_>, f: &Option<Spanned<RawFigure>>, unit: &str, field: &str| {
            f.as_ref().and_then(|f| cx.unit_value(f, unit, field))
        };
        let capex = m(&mut cx, &c.capex, "$m", "cost.capex");
        let life = m(&mut cx, &c.life, "years", "cost.life");
        let rate =
            c.discount_rate
                .as_ref()
                .and_then(|f| match f.get_ref().unit.get_ref().as_str() {
                    "%" => cx
                        .unit_value(f, "%", "cost.discount_rate")
                        .map(|x| x / 100.0),
                    _ => cx.unit_value(f, "fraction", "cost.discount_rate"),
                });
        let opex = m(&mut cx, &c.opex, "$m/yr", "cost.opex");
        let annual = m(&mut cx, &c.annual, "$m/yr", "cost.annual");
        // A sized option adds its per-unit costs for the units it adds.
        let per_unit = |cx: &mut Cx<'_>,
                        pick: fn(&RawSize) -> &Option<Spanned<RawFigure>>,
                        unit: &str,
                        field: &str| {
            raw_size.as_ref().and_then(|z| m(cx, pick(z), unit, field))
        };
        let unit_capex = per_unit(&mut cx, |z| &z.capex, "$m", "size.capex");
        let unit_opex = per_unit(&mut cx, |z| &z.opex, "$m/yr", "size.opex");
        let unit_annual = per_unit(&mut cx, |z| &z.annual, "$m/yr", "size.annual");
        let capex = match (capex, unit_capex) {
            (None, None) => None,
            (k, u) => Some(k.unwrap_or(0.0) + u.unwrap_or(0.0) * added),
        };
        let invest = match (capex, life, rate) {
            (Some(k), Some(l), Some(r)) => Some(annuity(k, l, r)),
            (None, None, None) => Some(0.0),
            _ => {
                cx.err(
                    0,
                    "cost",
                    "capex (or size.capex), life and discount_rate go together",
                    Some("give all three, or use annual".into()),
                );
                None
            }
        };
        let opex = opex.unwrap_or(0.0) + unit_opex.map_or(0.0, |u| u * added);
        let annual = annual.unwrap_or(0.0) + unit_annual.map_or(0.0, |u| u * added);
        Some((invest? + opex + annual) * 1e6)
    });
    let lead_years = raw_lead.as_ref().and_then(|f| {
        let years = cx.unit_value(f, "years", "lead_time")?;
        if (0.0..=50.0).contains(&years) {
            Some(years)
        } else {
            cx.err(
                f.span().start,
                "lead_time",
                format!("{years} years is outside 0…50"),
                Some("the years from the decision to service, e.g. { value = 3, unit = \"years\", estimate = \"…\" }".into()),
            );
            None
        }
    });
    let diags = cx.r.diags;
    match (
        vname,
        cost,
        diags.has_errors() || diags.warnings().next().is_some(),
    ) {
        (Some(name), Some(cost), false) => Ok(FileMeta {
            name,
            cost,
            excludes: excludes.into_iter().map(Spanned::into_inner).collect(),
            requires: requires.into_iter().map(Spanned::into_inner).collect(),
            lead_years,
            sizing,
            level_problem,
        }),
        _ => {
            let mut items = diags.items;
            items.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            Err(LoadError::Invalid(items))
        }
    }
}

/// What a sizing knob may set.
const SIZE_FIELDS: &[&str] = &["vessels", "capacity", "allocation"];

impl Cx<'_> {
    /// Applies the knob `z` at `level` (its default when `None`) to `net`, counting the units
    /// of size added over `before` (the network without the option; an asset not in service
    /// there had none).
    ///
    /// # Errors
    /// A `level` that is not among the knob's levels, for the caller to name with the
    /// option. `Ok(None)`: the file is wrong, and its diagnostics say why.
    fn apply_size(
        &mut self,
        before: &Network,
        net: &mut Network,
        z: &RawSize,
        level: Option<f64>,
    ) -> Result<Option<Sizing>, String> {
        let field = z.field.get_ref().as_str();
        if !SIZE_FIELDS.contains(&field) {
            self.err(
                z.field.span().start,
                "size.field",
                format!("`{field}` is not a size a knob may set"),
                Some(format!("one of: {}", SIZE_FIELDS.join(", "))),
            );
            return Ok(None);
        }
        let Some(a) = self.asset(net, &z.asset, "size.asset") else {
            return Ok(None);
        };
        let levels = z.levels.get_ref().clone();
        let pos = z.levels.span().start;
        if levels.is_empty()
            || levels.iter().any(|x| !(x.is_finite() && *x > 0.0))
            || levels.windows(2).any(|w| w[0] >= w[1])
        {
            self.err(
                pos,
                "size.levels",
                "the levels must be numbers above 0 in ascending order, at least one",
                Some("e.g. levels = [5, 10, 15, 20]; the status quo is the option left out".into()),
            );
            return Ok(None);
        }
        let default = *z.default.get_ref();
        if !levels.contains(&default) {
            self.err(
                z.default.span().start,
                "size.default",
                format!("{default} is not one of the levels"),
                Some(format!("one of: {}", list(&levels))),
            );
            return Ok(None);
        }
        let unit = match field {
            "vessels" => "vessels".to_string(),
            _ => z.unit.get_ref().clone(),
        };
        let level = match level {
            Some(x) if !levels.contains(&x) => {
                return Err(format!(
                    "{x} is not one of its levels (hint: one of {} {unit})",
                    list(&levels),
                ));
            }
            Some(x) => x,
            None => default,
        };
        let dim = match field {
            "vessels" => crate::model::units::Dimension::Count,
            _ => net.asset_layer(a).flow_dimension(),
        };
        let raw = |x: f64| {
            Spanned::new(
                z.levels.span(),
                RawFigure {
                    value: Spanned::new(z.levels.span(), x),
                    unit: z.unit.clone(),
                    source: z.source.clone(),
                    estimate: z.estimate.clone(),
                },
            )
        };
        let Some(fig) = self.r.figure(0, &raw(level), dim, "size.levels") else {
            return Ok(None);
        };
        // Units of the levels per canonical unit, to count the units added.
        let per_canonical = level / fig.value;
        let in_service = before.asset_status(a) == Status::Operating;
        let had = |cap: Option<&crate::model::Capacity>| match (in_service, cap) {
            (false, _) | (_, None) => 0.0,
            (true, Some(c)) => match field {
                "allocation" => c.allocation.as_ref().map_or(0.0, |f| f.value),
                _ => c.nominal.value,
            },
        };
        let had = match (a, field) {
            (AssetRef::Link(l), "vessels") => {
                let f = before.links[l.0].fleet.as_ref();
                if in_service {
                    f.map_or(0.0, |f| f.vessels.value)
                } else {
                    0.0
                }
            }
            (AssetRef::Link(l), _) => had(Some(&before.links[l.0].capacity)),
            (AssetRef::Node(n), _) => had(before.nodes[n.0].capacity.as_ref()),
        };
        match (a, field) {
            (AssetRef::Link(l), "vessels") => {
                let link = &mut net.links[l.0];
                let length = link.length_km();
                let Some(fleet) = link.fleet.as_mut() else {
                    self.err(
                        z.field.span().start,
                        "size.field",
                        format!("`{}` has no fleet to size", z.asset.get_ref()),
                        Some("vessels size a tanker leg; use capacity for other assets".into()),
                    );
                    return Ok(None);
                };
                fleet.vessels = fig.clone();
                link.capacity.nominal = fleet.capacity_figure(length);
            }
            (AssetRef::Node(_), "vessels") => {
                self.err(
                    z.field.span().start,
                    "size.field",
                    format!("`{}` is a node: it has no fleet", z.asset.get_ref()),
                    Some("vessels size a tanker leg; use capacity for a node".into()),
                );
                return Ok(None);
            }
            _ => {
                let cap = match a {
                    AssetRef::Node(n) => net.nodes[n.0].capacity.as_mut(),
                    AssetRef::Link(l) => Some(&mut net.links[l.0].capacity),
                };
                let Some(cap) = cap else {
                    self.err(
                        z.asset.span().start,
                        "size.asset",
                        format!("`{}` has no capacity to size", z.asset.get_ref()),
                        None,
                    );
                    return Ok(None);
                };
                if field == "allocation" {
                    cap.allocation = Some(fig.clone());
                } else {
                    cap.nominal = fig.clone();
                }
            }
        }
        Ok(Some(Sizing {
            label: format!("{level} {unit}"),
            // To a billionth of a unit: a level equal to what the asset had adds nothing,
            // whatever the unit conversions round.
            added: (((fig.value - had) * per_canonical * 1e9).round() / 1e9).max(0.0),
            levels,
            level,
        }))
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
            // A planned asset is built, a suspended one back in service (a variant is the
            // network as operated, so there is no lead time); a retired one cannot return.
            let Some(a) = self.asset(net, name, "variant.switch_on") else {
                continue;
            };
            if net.asset_status(a) == Status::Retired {
                self.err(
                    name.span().start,
                    "variant.switch_on",
                    format!("`{}` is retired and cannot be switched on", name.get_ref()),
                    None,
                );
                continue;
            }
            match a {
                AssetRef::Node(n) => net.nodes[n.0].status = Status::Operating,
                AssetRef::Link(l) => net.links[l.0].status = Status::Operating,
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
                let x = *k.get_ref();
                let scaled = cap.nominal.value * x;
                let dim = layer.flow_dimension();
                match crate::io::bounds::SCALE.problem(x, x, "×").or_else(|| {
                    crate::io::bounds::for_dimension(dim)
                        .problem(scaled, scaled, dim.canonical())
                        .map(|p| format!("the scaled capacity {p}"))
                }) {
                    Some(problem) => self.err(
                        k.span().start,
                        "set.scale",
                        problem,
                        Some(crate::io::resolve::BOUNDS_HINT.into()),
                    ),
                    None => cap.nominal.value = scaled,
                }
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
}
