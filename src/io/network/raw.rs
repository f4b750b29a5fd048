//! Step one of loading: raw structs that mirror the TOML files, unknown fields rejected.
//! See `docs/network-format.md` for every field, its unit and meaning.

use serde::Deserialize;
use toml::Spanned;

/// A number with its unit and provenance: `{ value, unit, source, estimate }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFigure {
    pub value: Spanned<f64>,
    pub unit: Spanned<String>,
    /// Citation of the figure.
    pub source: Option<String>,
    /// Present when the figure is an estimate: the reason for the value chosen.
    pub estimate: Option<String>,
}

/// A reserved share of capacity held by other shippers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReserved {
    pub value: Spanned<f64>,
    pub unit: Spanned<String>,
    pub holder: String,
    pub source: Option<String>,
    pub estimate: Option<String>,
}

/// A capacity: a figure plus an optional reserved share and Kazakh allocation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCapacity {
    pub value: Spanned<f64>,
    pub unit: Spanned<String>,
    pub source: Option<String>,
    pub estimate: Option<String>,
    pub reserved: Option<Spanned<RawReserved>>,
    pub allocation: Option<Spanned<RawFigure>>,
    /// Stated physical maximum an emergency uprate may reach.
    pub maximum: Option<Spanned<RawFigure>>,
}

impl RawCapacity {
    pub fn figure(&self) -> RawFigure {
        RawFigure {
            value: self.value.clone(),
            unit: self.unit.clone(),
            source: self.source.clone(),
            estimate: self.estimate.clone(),
        }
    }
}

/// A tanker fleet.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFleet {
    pub vessels: Spanned<RawFigure>,
    pub deadweight: Spanned<RawFigure>,
    pub speed: Spanned<RawFigure>,
    pub loading: Spanned<RawFigure>,
    pub discharge: Spanned<RawFigure>,
    pub availability: Spanned<RawFigure>,
    /// Shares the fleet's capacity with other traffic (same meaning as on a capacity).
    pub reserved: Option<Spanned<RawReserved>>,
    pub allocation: Option<Spanned<RawFigure>>,
}

/// `[traffic]`: the shape of international data traffic over a day.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTraffic {
    pub peak_to_mean: Spanned<RawFigure>,
    /// Real fibre route over the drawn path, for round-trip times.
    pub route_factor: Option<Spanned<RawFigure>>,
    /// Share of international traffic on mobile networks (mobile-only shutdowns).
    pub mobile_share: Option<Spanned<RawFigure>>,
    /// `[[traffic.destination]]`: where the traffic is bound.
    pub destination: Option<Vec<Spanned<RawDestination>>>,
}

/// `[[traffic.destination]]`: a destination group and its onward path from each data sink.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDestination {
    pub id: Spanned<String>,
    pub name: Option<String>,
    pub lon: Spanned<f64>,
    pub lat: Spanned<f64>,
    pub location_source: Option<String>,
    pub share: Spanned<RawFigure>,
    pub exits: Spanned<Vec<Spanned<RawExit>>>,
    pub note: Option<String>,
}

/// One onward path: from data sink `sink` through `via` to the destination's point.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExit {
    pub sink: Spanned<String>,
    pub via: Option<Vec<Spanned<Vec<f64>>>>,
}

/// `[crude]`: the crude's conversion factors.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCrude {
    pub bbl_per_t: Spanned<RawFigure>,
    pub t_per_m3: Spanned<RawFigure>,
}

/// How a suspended asset returns to service: `lead` and `ramp`, each a figure in days.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReactivation {
    pub lead: Spanned<RawFigure>,
    pub ramp: Spanned<RawFigure>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNode {
    pub id: Spanned<String>,
    pub name: Option<String>,
    pub kind: Spanned<String>,
    pub lon: Spanned<f64>,
    pub lat: Spanned<f64>,
    /// Citation for the coordinates.
    pub location_source: Option<String>,
    pub country: Spanned<String>,
    pub operator: Option<String>,
    pub status: Option<Spanned<String>>,
    pub reactivation: Option<Spanned<RawReactivation>>,
    pub capacity: Option<Spanned<RawCapacity>>,
    pub production: Option<Spanned<RawFigure>>,
    /// A field's restart after a shut-in: `lead` (the lag) and `ramp`, as for a reactivation.
    pub restart: Option<Spanned<RawReactivation>>,
    pub demand: Option<Spanned<RawFigure>>,
    pub sink: Option<bool>,
    pub reached_from: Option<Vec<Spanned<String>>>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLink {
    pub id: Spanned<String>,
    pub name: Option<String>,
    pub kind: Spanned<String>,
    pub from: Spanned<String>,
    pub to: Spanned<String>,
    /// Intermediate waypoints as `[lon, lat]` pairs, in order from `from` to `to`.
    pub via: Option<Vec<Spanned<Vec<f64>>>>,
    pub countries: Spanned<Vec<Spanned<String>>>,
    pub length: Option<Spanned<RawFigure>>,
    pub capacity: Option<Spanned<RawCapacity>>,
    pub fleet: Option<Spanned<RawFleet>>,
    pub tariff: Option<Spanned<RawFigure>>,
    pub status: Option<Spanned<String>>,
    pub reactivation: Option<Spanned<RawReactivation>>,
    pub operator: Option<String>,
    /// Short name drawn beside the link on maps.
    pub map_label: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStore {
    pub id: Spanned<String>,
    pub node: Spanned<String>,
    pub capacity: Spanned<RawFigure>,
    pub initial: Spanned<RawFigure>,
    /// Tank bottoms: the level stock is never drawn below.
    pub minimum: Option<Spanned<RawFigure>>,
    pub note: Option<String>,
}

/// `[[duty]]`: interchangeable units of which only `in_service` run at once (the others are
/// spares), e.g. the CPC terminal's three moorings, two in use and one spare.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDuty {
    pub id: Spanned<String>,
    pub units: Spanned<Vec<Spanned<String>>>,
    pub in_service: Spanned<RawFigure>,
    pub note: Option<String>,
}

/// A route stage: one link id, or a list of parallel link ids.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawStage {
    One(String),
    Parallel(Vec<String>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRoute {
    pub id: Spanned<String>,
    pub name: Option<String>,
    pub stages: Spanned<Vec<Spanned<RawStage>>>,
    /// Length of the whole route quoted by a source.
    pub length: Option<Spanned<RawFigure>>,
    /// Emergency headroom: `lead` and `ramp`, as for a reactivation.
    pub headroom: Option<Spanned<RawReactivation>>,
    pub note: Option<String>,
}

/// `[[nomination]]`: the volume a field's shippers ship on a route in normal operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNomination {
    pub field: Spanned<String>,
    pub route: Spanned<String>,
    pub volume: Spanned<RawFigure>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExpansion {
    pub id: Spanned<String>,
    pub name: Option<String>,
    pub target: Spanned<String>,
    pub capacity: Spanned<RawFigure>,
    pub note: Option<String>,
}

/// `[[vintage]]`: an asset's state through a date, before a dated change (network vintage).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVintage {
    pub asset: Spanned<String>,
    pub until: Spanned<String>,
    pub capacity: Option<Spanned<RawFigure>>,
    pub allocation: Option<Spanned<RawFigure>>,
    pub status: Option<Spanned<String>>,
    pub source: Option<String>,
    pub estimate: Option<String>,
    pub note: Option<String>,
}

/// `[[depends_on]]`: an asset that needs another to run (network or scenario files).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDependency {
    pub dependent: Spanned<String>,
    pub on: Spanned<String>,
    pub grace_days: Spanned<i64>,
    pub fraction: Spanned<f64>,
    pub down_below: Option<Spanned<f64>>,
    pub source: Option<String>,
    pub estimate: Option<String>,
}

/// The top-level keys a routes file may hold.
pub const TOP_LEVEL_KEYS: &[&str] = &[
    "format",
    "crude",
    "traffic",
    "node",
    "link",
    "store",
    "duty",
    "route",
    "nomination",
    "expansion",
    "vintage",
    "depends_on",
];

/// The network-file format version this build reads.
pub const FORMAT_VERSION: i64 = 1;
