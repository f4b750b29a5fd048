//! The network model: nodes, links, stores, routes and planned expansions.

use std::collections::BTreeMap;
use std::fmt;

use super::units::{CrudeProperties, Dimension};

/// The two carriers `corridor` models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    /// Crude oil, flows in kt/day.
    Oil,
    /// International data traffic, flows in Gbps.
    Data,
}

impl Layer {
    /// The spelling used in files and outputs: `oil` or `data`.
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Oil => "oil",
            Layer::Data => "data",
        }
    }
    /// Canonical flow unit of the layer.
    pub fn flow_unit(self) -> &'static str {
        match self {
            Layer::Oil => "kt/day",
            Layer::Data => "Gbps",
        }
    }
    /// Unit used when reporting capacities of this layer to people.
    pub fn report_unit(self) -> &'static str {
        match self {
            Layer::Oil => "Mt/yr",
            Layer::Data => "Gbps",
        }
    }
    /// Converts a canonical flow (kt/day or Gbps) into the report unit (Mt/yr or Gbps).
    pub fn to_report_unit(self, canonical: f64) -> f64 {
        match self {
            Layer::Oil => super::units::kt_per_day_to_mt_per_yr(canonical),
            Layer::Data => canonical,
        }
    }
    /// The dimension of this layer's capacities.
    pub fn flow_dimension(self) -> Dimension {
        match self {
            Layer::Oil => Dimension::OilFlow,
            Layer::Data => Dimension::DataRate,
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vm])* $variant),+ }
        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The spelling used in files and outputs.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            /// Parses the file spelling.
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
            /// Every accepted spelling, for error hints.
            pub fn spellings() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.as_str()).collect()
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

string_enum!(
    /// What a node is. The first six are oil nodes, the last four data nodes.
    NodeKind {
        /// An oil field (or field group) producing crude.
        Field => "field",
        /// A pumping station on a pipeline.
        PumpStation => "pump_station",
        /// Where pipelines or railways meet; no throughput limit of its own unless given.
        Junction => "junction",
        /// An oil terminal (tank farm and loading facilities).
        Terminal => "terminal",
        /// A port loading or discharging tankers at berths.
        Port => "port",
        /// A single-point mooring loading tankers offshore.
        Spm => "spm",
        /// An export destination.
        Market => "market",
        /// A cable landing station.
        Landing => "landing",
        /// A city whose users originate international traffic.
        City => "city",
        /// Where a terrestrial fibre crosses a border.
        BorderCrossing => "border_crossing",
        /// An internet exchange point abroad, where traffic leaves the modelled network.
        Ixp => "ixp",
    }
);

impl Status {
    /// Whether an asset with this status carries flow today (planned ones too when
    /// `include_planned`).
    pub fn in_service(self, include_planned: bool) -> bool {
        match self {
            Status::Operating => true,
            Status::Planned => include_planned,
            Status::Suspended | Status::Retired => false,
        }
    }
}

/// How a suspended asset returns to service once shippers decide to use it again.
#[derive(Debug, Clone, PartialEq)]
pub struct Reactivation {
    /// Days from the decision to the first flow (inspection, line fill, contracts).
    pub lead_days: Figure,
    /// Days over which the capacity then ramps linearly to full.
    pub ramp_days: Figure,
}

impl NodeKind {
    /// The layer a node of this kind belongs to.
    pub fn layer(self) -> Layer {
        match self {
            NodeKind::Landing | NodeKind::City | NodeKind::BorderCrossing | NodeKind::Ixp => {
                Layer::Data
            }
            _ => Layer::Oil,
        }
    }
}

string_enum!(
    /// What a link is.
    LinkKind {
        /// A crude pipeline.
        Pipeline => "pipeline",
        /// A tanker crossing between two ports, with its fleet.
        TankerLeg => "tanker_leg",
        /// Crude by rail.
        Rail => "rail",
        /// A fibre route over land.
        TerrestrialFibre => "terrestrial_fibre",
        /// A submarine fibre cable.
        SubseaFibre => "subsea_fibre",
    }
);

impl LinkKind {
    /// The layer a link of this kind carries.
    pub fn layer(self) -> Layer {
        match self {
            LinkKind::TerrestrialFibre | LinkKind::SubseaFibre => Layer::Data,
            _ => Layer::Oil,
        }
    }
}

string_enum!(
    /// Whether an asset exists today.
    Status {
        /// In service.
        Operating => "operating",
        /// Not yet built: counts only with `--include-planned` or when a variant switches it on.
        Planned => "planned",
        /// Physically there but carrying no Kazakh crude (e.g. Baku–Supsa since 2022): no
        /// capacity until a scenario's `reactivate` event (after its lead time and ramp) or a
        /// variant's `switch_on` puts it back in service.
        Suspended => "suspended",
        /// Out of service for good: never carries flow.
        Retired => "retired",
    }
);

/// How far a figure can be trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confidence {
    /// Taken from the cited source.
    Sourced,
    /// Chosen by the data author; the reason says why this value.
    Estimate {
        /// Why this value was chosen.
        reason: String,
    },
}

impl Confidence {
    /// `sourced` or `estimate`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Confidence::Sourced => "sourced",
            Confidence::Estimate { .. } => "estimate",
        }
    }
}

/// Where a figure comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// Citation, e.g. `"S18 KMG Annual Report 2024"`; empty only for pure estimates.
    pub source: String,
    /// Whether the figure is taken from the source or estimated.
    pub confidence: Confidence,
}

impl Provenance {
    /// `source` for sourced figures; `estimate: reason (source)` for estimates.
    pub fn describe(&self) -> String {
        match &self.confidence {
            Confidence::Sourced => self.source.clone(),
            Confidence::Estimate { reason } if self.source.is_empty() => {
                format!("estimate: {reason}")
            }
            Confidence::Estimate { reason } => format!("estimate: {reason} ({})", self.source),
        }
    }
}

/// A number with its unit as entered, its canonical value and its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Value in the canonical unit of `dimension`.
    ///
    /// # Units
    /// The canonical unit of `dimension` ([`Dimension::canonical`]).
    pub value: f64,
    /// The quantity measured, which fixes the canonical unit.
    pub dimension: Dimension,
    /// Value as entered in the file.
    ///
    /// # Units
    /// `entered_unit`.
    pub entered_value: f64,
    /// Unit as entered in the file.
    pub entered_unit: String,
    /// Where the figure comes from.
    pub provenance: Provenance,
}

impl Figure {
    /// A sourced figure already in canonical units (for building networks in code and tests).
    pub fn sourced(value: f64, dimension: Dimension, source: &str) -> Self {
        Figure {
            value,
            dimension,
            entered_value: value,
            entered_unit: dimension.canonical().to_string(),
            provenance: Provenance {
                source: source.to_string(),
                confidence: Confidence::Sourced,
            },
        }
    }
    /// Whether the figure is an estimate rather than sourced.
    pub fn is_estimate(&self) -> bool {
        matches!(self.provenance.confidence, Confidence::Estimate { .. })
    }
}

/// A share of an asset's capacity held by other shippers (e.g. Russian crude on CPC).
#[derive(Debug, Clone, PartialEq)]
pub struct Reserved {
    /// Fraction of nominal capacity in [0, 1).
    ///
    /// # Units
    /// Fraction, in [0, 1).
    pub share: Figure,
    /// Who holds it, e.g. `"Russian shippers"`.
    pub holder: String,
}

/// Throughput limit of an asset as seen by Kazakh exports.
#[derive(Debug, Clone, PartialEq)]
pub struct Capacity {
    /// Physical (nameplate) capacity, kt/day for oil or Gbps for data.
    ///
    /// # Units
    /// Canonical: kt/day (oil) or Gbps (data).
    pub nominal: Figure,
    /// Part held by other shippers.
    pub reserved: Option<Reserved>,
    /// A contractual or intergovernmental volume for Kazakh use (e.g. the BTC allocation),
    /// in the same canonical unit. Caps what Kazakh flows may use.
    ///
    /// # Units
    /// Canonical: kt/day (oil) or Gbps (data).
    pub allocation: Option<Figure>,
    /// The stated physical maximum an emergency uprate may reach (≥ nominal), same unit.
    ///
    /// # Units
    /// Canonical: kt/day (oil) or Gbps (data).
    pub maximum: Option<Figure>,
}

impl Capacity {
    /// The most an uprate can make available to Kazakh flows: the physical maximum (or, without
    /// one, the nominal capacity) less the reserved share. An allocation can so be raised up to
    /// the nominal capacity, and a nominal capacity only up to a stated maximum.
    pub fn bound(&self) -> f64 {
        let mut c = self.maximum.as_ref().unwrap_or(&self.nominal).value;
        if let Some(r) = &self.reserved {
            c *= 1.0 - r.share.value;
        }
        c.max(self.available())
    }

    /// Capacity available to Kazakh exports: `min(nominal × (1 − reserved), allocation)`,
    /// in kt/day (oil) or Gbps (data).
    pub fn available(&self) -> f64 {
        let mut c = self.nominal.value;
        if let Some(r) = &self.reserved {
            c *= 1.0 - r.share.value;
        }
        if let Some(a) = &self.allocation {
            c = c.min(a.value);
        }
        c
    }
}

/// A tanker fleet assigned to one tanker leg.
///
/// Capacity, kt/day = vessels × deadweight × availability / round-trip days, where the round
/// trip is loading + sailing out + discharge + sailing back, and sailing takes
/// `length_km / (speed × 1.852 km/nmi × 24 h)` days each way.
#[derive(Debug, Clone, PartialEq)]
pub struct Fleet {
    /// Number of vessels in the fleet.
    ///
    /// # Units
    /// Count.
    pub vessels: Figure,
    /// Deadweight per vessel, kt.
    pub deadweight_kt: Figure,
    /// Service speed, knots.
    pub speed_kn: Figure,
    /// Days alongside to load, including waiting for the berth.
    pub loading_days: Figure,
    /// Days alongside to discharge, including waiting.
    pub discharge_days: Figure,
    /// Fraction of the year the fleet is available (dry-docking, weather, ice).
    ///
    /// # Units
    /// Fraction of the year, 0–1.
    pub availability: Figure,
}

impl Fleet {
    /// One-way sailing time in days over `length_km`.
    pub fn sailing_days(&self, length_km: f64) -> f64 {
        length_km / (self.speed_kn.value * super::units::KM_PER_NMI * 24.0)
    }
    /// Round trip in days, loading and discharge included.
    pub fn round_trip_days(&self, length_km: f64) -> f64 {
        self.loading_days.value + self.discharge_days.value + 2.0 * self.sailing_days(length_km)
    }
    /// Delivered capacity in kt/day.
    pub fn capacity_kt_per_day(&self, length_km: f64) -> f64 {
        self.vessels.value * self.deadweight_kt.value * self.availability.value
            / self.round_trip_days(length_km)
    }

    /// The fleet's capacity over `length_km` as a figure whose source shows the derivation;
    /// it is an estimate if any fleet figure is.
    pub fn capacity_figure(&self, length_km: f64) -> Figure {
        let cap = self.capacity_kt_per_day(length_km);
        let estimate = [
            &self.vessels,
            &self.deadweight_kt,
            &self.speed_kn,
            &self.loading_days,
            &self.discharge_days,
            &self.availability,
        ]
        .iter()
        .any(|f| f.is_estimate());
        Figure {
            value: cap,
            dimension: Dimension::OilFlow,
            entered_value: cap,
            entered_unit: "kt/day".into(),
            provenance: Provenance {
                source: format!(
                    "derived from the fleet: {} × {} kt × {} availability / {:.2}-day round trip",
                    self.vessels.value,
                    self.deadweight_kt.value,
                    self.availability.value,
                    self.round_trip_days(length_km)
                ),
                confidence: if estimate {
                    Confidence::Estimate {
                        reason: "some fleet figures are estimates".into(),
                    }
                } else {
                    Confidence::Sourced
                },
            },
        }
    }
}

/// Index of a node in [`Network::nodes`]. Display it through [`Network::node`]'s `id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeIx(pub usize);
/// Index of a link in [`Network::links`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LinkIx(pub usize);

/// A node or a link: anything that can fail or be derated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AssetRef {
    /// A node.
    Node(NodeIx),
    /// A link.
    Link(LinkIx),
}

/// A named place: field, pump station, port, SPM, market, landing station, IXP…
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Stable name used in files, e.g. `cpc-spm-1`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What the node is.
    pub kind: NodeKind,
    /// Longitude, degrees east.
    ///
    /// # Units
    /// Degrees east.
    pub lon: f64,
    /// Latitude, degrees north.
    ///
    /// # Units
    /// Degrees north.
    pub lat: f64,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// Operator or owners.
    pub operator: String,
    /// Whether it exists today.
    pub status: Status,
    /// How it returns to service, for a suspended asset.
    pub reactivation: Option<Reactivation>,
    /// Throughput limit (pump station, berth, SPM, terminal), if any.
    pub capacity: Option<Capacity>,
    /// Field output, kt/day (oil fields only).
    ///
    /// # Units
    /// kt/day.
    pub production: Option<Figure>,
    /// How a field comes back once output shut in because nothing could take it can flow
    /// again: `lead_days` of restart lag, then a linear ramp (oil fields only; none: at once).
    pub restart: Option<Reactivation>,
    /// International traffic originating here, Gbps (data sources only).
    ///
    /// # Units
    /// Gbps.
    pub demand: Option<Figure>,
    /// True for export destinations (oil markets, international exchange points).
    pub sink: bool,
    /// Nodes from which this sink is reached without a modelled asset (e.g. a market reached
    /// by ocean tankers from SPMs, whose capacity is not a constraint).
    pub reached_from: Vec<NodeIx>,
    /// Free-text note from the data file.
    pub note: String,
    /// Where the coordinates come from.
    pub location_source: String,
}

impl Node {
    /// The layer of the node, from its kind.
    pub fn layer(&self) -> Layer {
        self.kind.layer()
    }
}

/// A pipeline, tanker leg, rail route or fibre link between two nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Stable name used in files and outputs.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What the link is.
    pub kind: LinkKind,
    /// Start node: flow runs from here.
    pub from: NodeIx,
    /// End node.
    pub to: NodeIx,
    /// Lon/lat waypoints from `from` to `to`, endpoints included.
    ///
    /// # Units
    /// Degrees (longitude east, latitude north).
    pub geometry: Vec<(f64, f64)>,
    /// Great-circle (haversine) length of `geometry`, km.
    pub length_computed_km: f64,
    /// Length quoted by a source, km.
    ///
    /// # Units
    /// km.
    pub length_sourced: Option<Figure>,
    /// ISO codes of the countries crossed, in order.
    pub countries: Vec<String>,
    /// Throughput limit; for tanker legs it is derived from `fleet`.
    pub capacity: Capacity,
    /// The tanker fleet of a tanker leg, which sets its capacity.
    pub fleet: Option<Fleet>,
    /// Tariff for Kazakh crude, $/t.
    ///
    /// # Units
    /// US$/t.
    pub tariff: Option<Figure>,
    /// Whether it exists today.
    pub status: Status,
    /// How it returns to service, for a suspended asset.
    pub reactivation: Option<Reactivation>,
    /// Operator or owners.
    pub operator: String,
    /// Short name drawn beside the link on maps (e.g. "CPC", "BTC"); `None`: not named there.
    pub map_label: Option<String>,
    /// Free text from the data file.
    pub note: String,
}

impl Link {
    /// The layer the link carries, from its kind.
    pub fn layer(&self) -> Layer {
        self.kind.layer()
    }
    /// The sourced length if given, otherwise the computed one, km.
    pub fn length_km(&self) -> f64 {
        self.length_sourced
            .as_ref()
            .map_or(self.length_computed_km, |f| f.value)
    }
    /// Days a cargo spends at sea (tanker legs only).
    pub fn transit_days(&self) -> Option<f64> {
        self.fleet
            .as_ref()
            .map(|f| f.sailing_days(self.length_km()))
    }
}

/// A tank farm at a node.
#[derive(Debug, Clone, PartialEq)]
pub struct Store {
    /// Stable name.
    pub id: String,
    /// The node it stores at.
    pub node: NodeIx,
    /// Working capacity, kt.
    pub capacity_kt: Figure,
    /// Level at the start of a run, kt: the working level.
    pub initial_kt: Figure,
    /// Tank bottoms, kt: stock is never drawn below it (none: 0).
    pub minimum_kt: Option<Figure>,
}

impl Store {
    /// The level stock is never drawn below, kt.
    pub fn minimum(&self) -> f64 {
        self.minimum_kt.as_ref().map_or(0.0, |f| f.value)
    }
}

/// Interchangeable units of which at most `in_service` run at once; the others stand by as
/// spares and replace a unit that is out (the CPC terminal's moorings: two in use, one spare).
#[derive(Debug, Clone, PartialEq)]
pub struct Duty {
    /// Stable name.
    pub id: String,
    /// The units, in order of preference: the first `in_service` available ones run.
    pub units: Vec<NodeIx>,
    /// How many run at once.
    pub in_service: usize,
    /// Provenance of `in_service`.
    pub provenance: Provenance,
}

/// A field's shippers' normal use of a route: the volume they ship on it in normal operation.
/// Each field's volumes set the shares of its output that follow each route
/// (share = volume / the field's total nominated volume).
#[derive(Debug, Clone, PartialEq)]
pub struct Nomination {
    /// The field.
    pub field: NodeIx,
    /// The route's id (an oil route).
    pub route: String,
    /// The volume shipped in normal operation, kt/day.
    ///
    /// # Units
    /// kt/day.
    pub volume: Figure,
}

/// One step of a route: one link, or several links in parallel (e.g. the three SPM lines).
pub type Stage = Vec<LinkIx>;

/// A named chain of links, used in every report (`cpc`, `atyrau-samara`, …).
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// Stable name.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The layer it carries.
    pub layer: Layer,
    /// Its stages in order from source to market; a stage holds parallel links.
    pub stages: Vec<Stage>,
    /// Length of the whole route quoted by a source, km.
    ///
    /// # Units
    /// km.
    pub length_sourced: Option<Figure>,
    /// How fast shippers can move crude beyond their nominations onto this route when another
    /// route is disrupted: days of lead time, then days of ramp to its full capacity. `None`:
    /// the route offers no emergency headroom.
    pub headroom: Option<Reactivation>,
    /// Free text from the data file.
    pub note: String,
}

impl Route {
    /// All links of the route, in stage order.
    pub fn links(&self) -> impl Iterator<Item = LinkIx> + '_ {
        self.stages.iter().flatten().copied()
    }
    /// Whether link `l` is on the route.
    pub fn contains(&self, l: LinkIx) -> bool {
        self.links().any(|x| x == l)
    }
    /// Length computed from the geometry along the route, km: the sum over stages of the
    /// longest link in each stage.
    pub fn length_computed_km(&self, net: &Network) -> f64 {
        self.stages
            .iter()
            .map(|s| {
                s.iter()
                    .map(|l| net.link(*l).length_computed_km)
                    .fold(0.0, f64::max)
            })
            .sum()
    }
}

/// A planned capacity change to an existing asset (e.g. Aktau berths 9 and 10), off until a
/// variant or `--include-planned` switches it on.
#[derive(Debug, Clone, PartialEq)]
pub struct Expansion {
    /// Stable name.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The node or link whose capacity it changes.
    pub target: AssetRef,
    /// New nominal capacity of the target when switched on.
    ///
    /// # Units
    /// Canonical: kt/day (oil) or Gbps (data).
    pub capacity: Figure,
    /// Free text from the data file.
    pub note: String,
}

/// An asset's state before a dated change: through `until` (inclusive) the asset had this
/// capacity, allocation and status instead of the ones its own table gives (which hold today).
/// A scenario runs on the network as of its start date ([`Network::as_of`]): for each asset the
/// entry with the earliest `until` on or after that date applies, so a history reads as a list of
/// "until D it was X" entries.
#[derive(Debug, Clone, PartialEq)]
pub struct Vintage {
    /// The node or link.
    pub target: AssetRef,
    /// Last day on which this state held.
    pub until: super::date::Date,
    /// Nominal capacity then (the reserved share stays the asset's own).
    ///
    /// # Units
    /// Canonical: kt/day (oil) or Gbps (data).
    pub capacity: Option<Figure>,
    /// Kazakh allocation then.
    ///
    /// # Units
    /// Canonical: kt/day (oil) or Gbps (data).
    pub allocation: Option<Figure>,
    /// Status then (e.g. `planned` before commissioning, `operating` before a suspension).
    pub status: Option<Status>,
    /// Where the dated change comes from, and what it was.
    pub note: String,
}

impl Vintage {
    /// Sets `cap`'s nominal capacity and allocation and `status` to this entry's, where it
    /// gives them (a capacity only on an asset that has one).
    fn apply(&self, cap: Option<&mut Capacity>, status: &mut Status) {
        if let Some(s) = self.status {
            *status = s;
        }
        if let Some(cap) = cap {
            if let Some(c) = &self.capacity {
                cap.nominal = c.clone();
            }
            if let Some(a) = &self.allocation {
                cap.allocation = Some(a.clone());
            }
        }
    }
}

/// A dated network change inside a run ([`Network::changes_in_run`]).
#[derive(Debug, Clone, PartialEq)]
pub enum InRunChange<'a> {
    /// From day `day` (index from the start) on, `asset`'s capacity factor is at most `factor`
    /// (0 for a closure, new ÷ start available capacity for a fall).
    Falls {
        /// The asset.
        asset: AssetRef,
        /// Day index from the run's start.
        day: i64,
        /// Capacity factor, 0–1.
        ///
        /// # Units
        /// Fraction of the start's available capacity.
        factor: f64,
    },
    /// An opening or enlargement, not applied by a run taken as of its start.
    Rises(&'a Vintage),
}

/// An interdependency: while `on` is down (capacity factor below `down_below`) for more than
/// `grace_days` consecutive days, `dependent` is limited to `fraction` of its capacity.
#[derive(Debug, Clone, PartialEq)]
pub struct Dependency {
    /// The asset limited while `on` is down.
    pub dependent: AssetRef,
    /// The asset it depends on.
    pub on: AssetRef,
    /// Days `on` may be down before `dependent` is limited.
    pub grace_days: u32,
    /// Fraction of its capacity `dependent` keeps after the grace period, 0–1.
    ///
    /// # Units
    /// Fraction of capacity, 0–1.
    pub fraction: f64,
    /// `on` counts as down while its capacity factor is below this, 0–1.
    ///
    /// # Units
    /// Capacity factor, 0–1.
    pub down_below: f64,
}

/// The whole network.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    /// Barrels per tonne and density, for unit conversions.
    pub crude: CrudeProperties,
    /// Provenance of `crude.bbl_per_t`.
    pub bbl_per_t_source: Provenance,
    /// Nodes, in file order; indexed by [`NodeIx`].
    pub nodes: Vec<Node>,
    /// Links, in file order; indexed by [`LinkIx`].
    pub links: Vec<Link>,
    /// Tank farms.
    pub stores: Vec<Store>,
    /// Units on duty and standby.
    pub duties: Vec<Duty>,
    /// The fields' nominated routes, in file order.
    pub nominations: Vec<Nomination>,
    /// Named chains of links.
    pub routes: Vec<Route>,
    /// Planned capacity changes.
    pub expansions: Vec<Expansion>,
    /// Interdependencies declared in the network files.
    pub dependencies: Vec<Dependency>,
    /// Dated earlier states of assets (network vintage), in file order.
    pub vintages: Vec<Vintage>,
    /// Today's capacity and status of each dated asset, kept by [`Network::as_of`] so that a
    /// network taken as of one date can be taken as of another (empty until then).
    pub today_states: Vec<(AssetRef, Option<Capacity>, Status)>,
    /// International data traffic in the busiest hour over the average hour (1: flat). The day
    /// follows [`hourly_profile`]: what the links cannot carry in the busy hours is lost.
    ///
    /// # Units
    /// Ratio (dimensionless, ≥ 1).
    pub data_peak_to_mean: f64,
    /// Real fibre route over the drawn path (`via` waypoints), for round-trip times: a
    /// path of L km has an RTT of L × this × [`RTT_MS_PER_KM`] (1 without a `[traffic]`
    /// `route_factor`).
    ///
    /// # Units
    /// Ratio (dimensionless, ≥ 1).
    pub data_route_factor: f64,
    /// Share of international traffic carried by mobile networks, for mobile-only shutdowns
    /// (`None`: not given, and a mobile-only shutdown is refused).
    ///
    /// # Units
    /// Fraction, 0–1.
    pub data_mobile_share: Option<f64>,
    /// Where international traffic is bound (`[[traffic.destination]]`), in file order; empty:
    /// one undifferentiated destination.
    pub destinations: Vec<Destination>,
    node_index: BTreeMap<String, NodeIx>,
    link_index: BTreeMap<String, LinkIx>,
}

impl Network {
    /// Builds a network and its name indexes. Ids must be unique (the loader checks this).
    pub fn new(
        crude: CrudeProperties,
        bbl_per_t_source: Provenance,
        nodes: Vec<Node>,
        links: Vec<Link>,
    ) -> Self {
        let node_index = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), NodeIx(i)))
            .collect();
        let link_index = links
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.clone(), LinkIx(i)))
            .collect();
        Network {
            crude,
            bbl_per_t_source,
            nodes,
            links,
            stores: Vec::new(),
            duties: Vec::new(),
            nominations: Vec::new(),
            routes: Vec::new(),
            expansions: Vec::new(),
            dependencies: Vec::new(),
            vintages: Vec::new(),
            today_states: Vec::new(),
            data_peak_to_mean: 1.0,
            data_route_factor: 1.0,
            data_mobile_share: None,
            destinations: Vec::new(),
            node_index,
            link_index,
        }
    }

    /// Round-trip time over `km` of drawn fibre path, ms (× [`Network::data_route_factor`]).
    pub fn rtt_ms(&self, km: f64) -> f64 {
        km * self.data_route_factor * RTT_MS_PER_KM
    }

    /// Whether node `i` originates international data traffic (a data node with a demand).
    pub fn is_data_source(&self, i: NodeIx) -> bool {
        let n = self.node(i);
        n.layer() == Layer::Data && n.demand.is_some()
    }

    /// The data sources, in node order: the rows of per-source round-trip times.
    pub fn data_sources(&self) -> Vec<NodeIx> {
        (0..self.nodes.len())
            .map(NodeIx)
            .filter(|i| self.is_data_source(*i))
            .collect()
    }

    /// The data sinks (exchanges abroad where traffic leaves the modelled network), in node
    /// order.
    pub fn data_sinks(&self) -> Vec<NodeIx> {
        (0..self.nodes.len())
            .map(NodeIx)
            .filter(|i| self.node(*i).layer() == Layer::Data && self.node(*i).sink)
            .collect()
    }

    /// Drawn length of destination group `group`'s onward path from data sink `sink`, km (0
    /// without `[[traffic.destination]]` groups).
    pub fn onward_km(&self, group: usize, sink: NodeIx) -> f64 {
        self.destinations
            .get(group)
            .and_then(|d| d.exit(sink))
            .map_or(0.0, |e| e.km)
    }

    /// The destination groups' shares of international traffic, in file order; `[1.0]` when
    /// the network defines none (one undifferentiated destination).
    pub fn destination_shares(&self) -> Vec<f64> {
        if self.destinations.is_empty() {
            vec![1.0]
        } else {
            self.destinations.iter().map(|d| d.share.value).collect()
        }
    }

    /// The vintage entry that holds for `a` on `date`: the one with the earliest `until` on or
    /// after `date` (the first in file order on a tie), or `None` when `a` is as it is today.
    fn vintage_on(&self, a: AssetRef, date: super::date::Date) -> Option<&Vintage> {
        self.vintages
            .iter()
            .filter(|v| v.target == a && v.until >= date)
            .min_by_key(|v| v.until)
    }

    /// The network as it was on `date`: for each asset with [`Vintage`] entries whose `until`
    /// is on or after `date`, the one with the earliest `until` sets its capacity, allocation
    /// and status. Entries and today's states are kept, so the result can be moved to another
    /// date ([`Network::moved`]); call this on the network of today.
    ///
    /// # Complexity
    /// O(a × v) for a dated assets and v vintage entries.
    pub fn as_of(&self, date: super::date::Date) -> Network {
        let mut net = self.clone();
        let mut dated: Vec<AssetRef> = self.vintages.iter().map(|v| v.target).collect();
        dated.sort();
        dated.dedup();
        net.today_states = dated
            .iter()
            .map(|&a| {
                let (cap, status) = net.capacity_and_status_mut(a);
                (a, cap.cloned(), *status)
            })
            .collect();
        for a in dated {
            if let Some(v) = self.vintage_on(a, date) {
                let (cap, status) = net.capacity_and_status_mut(a);
                v.apply(cap, status);
            }
        }
        net
    }

    /// This network, taken as of `from` by [`Network::as_of`] (and changed since, e.g. by a
    /// scenario's `[variant]`), moved to `to`: each dated asset whose vintage entry on `to`
    /// differs from its entry on `from` takes that entry's state, or today's when none holds;
    /// every other asset is left as it is.
    pub fn moved(&self, from: super::date::Date, to: super::date::Date) -> Network {
        let mut net = self.clone();
        for (a, today_cap, today_status) in &self.today_states {
            let now = self.vintage_on(*a, to);
            if self.vintage_on(*a, from) == now {
                continue;
            }
            let (cap, status) = net.capacity_and_status_mut(*a);
            if let (Some(cap), Some(t)) = (cap, today_cap) {
                *cap = t.clone();
            }
            *status = *today_status;
            if let Some(v) = now {
                let (cap, status) = net.capacity_and_status_mut(*a);
                v.apply(cap, status);
            }
        }
        net
    }

    /// `a`'s capacity (if it has one) and status, to change.
    fn capacity_and_status_mut(&mut self, a: AssetRef) -> (Option<&mut Capacity>, &mut Status) {
        match a {
            AssetRef::Node(n) => {
                let node = &mut self.nodes[n.0];
                (node.capacity.as_mut(), &mut node.status)
            }
            AssetRef::Link(l) => {
                let link = &mut self.links[l.0];
                (Some(&mut link.capacity), &mut link.status)
            }
        }
    }

    /// `a`'s status and capacity available to Kazakh crude on `date` (vintage applied), without
    /// building the whole network as of that date.
    fn state_on(&self, a: AssetRef, date: super::date::Date) -> (Status, Option<f64>) {
        let (mut cap, mut status) = match a {
            AssetRef::Node(n) => (self.node(n).capacity.clone(), self.node(n).status),
            AssetRef::Link(l) => (Some(self.link(l).capacity.clone()), self.link(l).status),
        };
        if let Some(v) = self.vintage_on(a, date) {
            v.apply(cap.as_mut(), &mut status);
        }
        (status, cap.map(|c| c.available()))
    }

    /// The dated changes that fall inside a run from `start` to `end` (inclusive), in date
    /// order: those that close an asset (operating → not) or lower its available capacity
    /// relative to `start`, as steps the run applies from their day, and those that open or
    /// enlarge one, which a run taken as of `start` does not apply.
    pub fn changes_in_run(
        &self,
        start: super::date::Date,
        end: super::date::Date,
    ) -> Vec<InRunChange<'_>> {
        let mut within: Vec<&Vintage> = self
            .vintages
            .iter()
            .filter(|v| v.until >= start && v.until < end)
            .collect();
        within.sort_by_key(|v| v.until);
        let mut out = Vec::new();
        for v in within {
            let changed = v.until.plus(1);
            let (s0, c0) = self.state_on(v.target, start);
            let (s1, c1) = self.state_on(v.target, changed);
            let closes = s0 == Status::Operating && s1 != Status::Operating;
            let opens = s0 != Status::Operating && s1 == Status::Operating;
            let ratio = match (c0, c1) {
                (Some(a), Some(b)) if a > 0.0 => b / a,
                _ => 1.0,
            };
            let day = changed.days - start.days;
            if closes {
                out.push(InRunChange::Falls {
                    asset: v.target,
                    day,
                    factor: 0.0,
                });
            } else if !opens && ratio < 1.0 {
                out.push(InRunChange::Falls {
                    asset: v.target,
                    day,
                    factor: ratio,
                });
            } else if opens || ratio > 1.0 {
                out.push(InRunChange::Rises(v));
            }
        }
        out
    }

    /// The ids of the routes of `layer`, in file order (for "did you mean" hints).
    pub fn route_ids(&self, layer: Layer) -> Vec<&str> {
        self.routes
            .iter()
            .filter(|r| r.layer == layer)
            .map(|r| r.id.as_str())
            .collect()
    }

    /// The node at `ix`.
    pub fn node(&self, ix: NodeIx) -> &Node {
        &self.nodes[ix.0]
    }
    /// The link at `ix`.
    pub fn link(&self, ix: LinkIx) -> &Link {
        &self.links[ix.0]
    }
    /// The index of the node named `id`.
    pub fn node_ix(&self, id: &str) -> Option<NodeIx> {
        self.node_index.get(id).copied()
    }
    /// The index of the link named `id`.
    pub fn link_ix(&self, id: &str) -> Option<LinkIx> {
        self.link_index.get(id).copied()
    }
    /// Resolves an asset name, links first, then nodes.
    pub fn asset(&self, id: &str) -> Option<AssetRef> {
        self.link_ix(id)
            .map(AssetRef::Link)
            .or_else(|| self.node_ix(id).map(AssetRef::Node))
    }
    /// The stable name of an asset.
    pub fn asset_id(&self, a: AssetRef) -> &str {
        match a {
            AssetRef::Node(n) => &self.node(n).id,
            AssetRef::Link(l) => &self.link(l).id,
        }
    }
    /// Whether asset `a` exists today.
    pub fn asset_status(&self, a: AssetRef) -> Status {
        match a {
            AssetRef::Node(n) => self.node(n).status,
            AssetRef::Link(l) => self.link(l).status,
        }
    }
    /// The layer asset `a` belongs to.
    pub fn asset_layer(&self, a: AssetRef) -> Layer {
        match a {
            AssetRef::Node(n) => self.node(n).layer(),
            AssetRef::Link(l) => self.link(l).layer(),
        }
    }
    /// Whether the asset lies in or crosses `country` (ISO code).
    pub fn asset_in_country(&self, a: AssetRef, country: &str) -> bool {
        match a {
            AssetRef::Node(n) => self.node(n).country == country,
            AssetRef::Link(l) => self.link(l).countries.iter().any(|c| c == country),
        }
    }
    /// All assets with a capacity: every link, and nodes that carry a capacity.
    pub fn capacitated_assets(&self) -> Vec<AssetRef> {
        let nodes = (0..self.nodes.len())
            .filter(|&i| self.nodes[i].capacity.is_some())
            .map(|i| AssetRef::Node(NodeIx(i)));
        let links = (0..self.links.len()).map(|i| AssetRef::Link(LinkIx(i)));
        nodes.chain(links).collect()
    }
    /// The links that cross `country` (an ISO code in their `countries`), of `layer` when given,
    /// in link order: what a transit country can cut.
    pub fn links_crossing(&self, country: &str, layer: Option<Layer>) -> Vec<LinkIx> {
        self.links
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                l.countries.iter().any(|c| c == country) && layer.is_none_or(|x| l.layer() == x)
            })
            .map(|(j, _)| LinkIx(j))
            .collect()
    }

    /// Every name in use (nodes, links, stores, routes, expansions), for "did you mean" hints.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        self.nodes
            .iter()
            .map(|n| n.id.as_str())
            .chain(self.links.iter().map(|l| l.id.as_str()))
            .chain(self.routes.iter().map(|r| r.id.as_str()))
    }
    /// The route named `id`.
    pub fn route(&self, id: &str) -> Option<&Route> {
        self.routes.iter().find(|r| r.id == id)
    }

    /// Where crude from `field` enters `route`: the first link of the shortest oil path (in
    /// links) from the field to the start of a link of the route, and the stage that link is
    /// in. A route link that starts at the field is its own intake. `None` when the route
    /// cannot be reached from the field. Ties go to the lower stage, then the lower link index.
    /// Callers asking for many fields and routes build [`Self::oil_out_links`] once and call
    /// [`Self::intake_with`].
    pub fn intake(&self, field: NodeIx, route: &Route) -> Option<(LinkIx, usize)> {
        self.intake_with(field, route, &self.oil_out_links())
    }

    /// Per node, the oil links that start there, in link order (the adjacency
    /// [`Self::intake_with`] searches).
    pub fn oil_out_links(&self) -> Vec<Vec<LinkIx>> {
        let mut out = vec![Vec::new(); self.nodes.len()];
        for (j, l) in self.links.iter().enumerate() {
            if l.layer() == Layer::Oil {
                out[l.from.0].push(LinkIx(j));
            }
        }
        out
    }

    /// Per node: the weakly connected part of the oil layer it lies in (the smallest node index
    /// in it), links taken both ways. A node reaches no node of another part.
    pub fn oil_parts(&self) -> Vec<usize> {
        let mut parent: Vec<usize> = (0..self.nodes.len()).collect();
        fn root(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for l in self.links.iter().filter(|l| l.layer() == Layer::Oil) {
            let (a, b) = (root(&mut parent, l.from.0), root(&mut parent, l.to.0));
            if a != b {
                parent[a.max(b)] = a.min(b);
            }
        }
        (0..self.nodes.len())
            .map(|i| root(&mut parent, i))
            .collect()
    }

    /// [`Self::intake`] with the oil adjacency given: a breadth-first search over the nodes the
    /// field reaches only, so its cost is the size of that part of the network.
    pub fn intake_with(
        &self,
        field: NodeIx,
        route: &Route,
        out: &[Vec<LinkIx>],
    ) -> Option<(LinkIx, usize)> {
        // The stage at which each node starts a link of the route.
        let mut entry: BTreeMap<NodeIx, usize> = BTreeMap::new();
        for (k, stage) in route.stages.iter().enumerate() {
            for l in stage {
                entry.entry(self.link(*l).from).or_insert(k);
            }
        }
        if let Some(&k) = entry.get(&field) {
            let first = route.stages[k]
                .iter()
                .copied()
                .filter(|l| self.link(*l).from == field)
                .min()?;
            return Some((first, k));
        }
        // Breadth-first from the field; each node reached remembers the first link of its
        // path (the field itself has none).
        let mut first: BTreeMap<NodeIx, Option<LinkIx>> = BTreeMap::new();
        first.insert(field, None);
        let mut frontier = vec![field];
        while !frontier.is_empty() {
            let mut next = Vec::new();
            let mut hits: Vec<(usize, LinkIx)> = Vec::new();
            for u in &frontier {
                for &j in &out[u.0] {
                    let to = self.link(j).to;
                    if first.contains_key(&to) {
                        continue;
                    }
                    let via = first.get(u).copied().flatten().unwrap_or(j);
                    first.insert(to, Some(via));
                    if let Some(&k) = entry.get(&to) {
                        hits.push((k, via));
                    }
                    next.push(to);
                }
            }
            if let Some(&(k, via)) = hits.iter().min() {
                return Some((via, k));
            }
            frontier = next;
        }
        None
    }
}

/// Round-trip time per km of fibre path, ms: light in fibre covers about 200 km per ms
/// (refractive index ≈ 1.5), there and back.
pub const RTT_MS_PER_KM: f64 = 2.0 / 200.0;

/// A group of destinations of international data traffic (Europe, Russia, China, the rest of
/// Asia), represented by one reference point and reached from every data sink by an onward
/// path. Every sink reaches every group, so how much traffic is served does not depend on the
/// groups; where it leaves does, and with it the round-trip time.
#[derive(Debug, Clone, PartialEq)]
pub struct Destination {
    /// Identifier, e.g. `europe`.
    pub id: String,
    /// Display name, e.g. `Europe (Frankfurt)`.
    pub name: String,
    /// Share of international traffic bound here (the shares sum to 1).
    ///
    /// # Units
    /// Fraction, 0–1.
    pub share: Figure,
    /// The reference point whose round-trip time stands for the group.
    ///
    /// # Units
    /// Degrees (longitude east, latitude north).
    pub point: (f64, f64),
    /// One onward path per data sink, in node order.
    pub exits: Vec<Exit>,
}

/// The onward path from a data sink to a destination's reference point.
#[derive(Debug, Clone, PartialEq)]
pub struct Exit {
    /// The data sink the traffic leaves the modelled network by.
    pub sink: NodeIx,
    /// Lon/lat waypoints from the sink to the reference point, both included.
    ///
    /// # Units
    /// Degrees (longitude east, latitude north).
    pub geometry: Vec<(f64, f64)>,
    /// Great-circle (haversine) length of `geometry`, km.
    pub km: f64,
}

impl Destination {
    /// The onward path from `sink`, if the group lists one.
    pub fn exit(&self, sink: NodeIx) -> Option<&Exit> {
        self.exits.iter().find(|e| e.sink == sink)
    }
}

/// The day's international data traffic, hour by hour, as multiples of the day's mean: a
/// cosine with its maximum `peak_to_mean` (1…2) in the evening hour (21:00), mean exactly 1 over
/// the 24 hours. The shape is an assumption; only the busy-hour ratio is a sourced figure.
pub fn hourly_profile(peak_to_mean: f64) -> [f64; 24] {
    let a = (peak_to_mean - 1.0).clamp(0.0, 1.0);
    std::array::from_fn(|h| 1.0 + a * (2.0 * std::f64::consts::PI * (h as f64 - 21.0) / 24.0).cos())
}
