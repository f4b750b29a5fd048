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
    ($(#[$m:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }
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
        Field => "field",
        PumpStation => "pump_station",
        Junction => "junction",
        Terminal => "terminal",
        Port => "port",
        Spm => "spm",
        Market => "market",
        Landing => "landing",
        City => "city",
        BorderCrossing => "border_crossing",
        Ixp => "ixp",
    }
);

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
        Pipeline => "pipeline",
        TankerLeg => "tanker_leg",
        Rail => "rail",
        TerrestrialFibre => "terrestrial_fibre",
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
        Operating => "operating",
        Planned => "planned",
    }
);

/// How far a figure can be trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confidence {
    /// Taken from the cited source.
    Sourced,
    /// Chosen by the data author; the reason says why this value.
    Estimate { reason: String },
}

impl Confidence {
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
    pub value: f64,
    pub dimension: Dimension,
    /// Value as entered in the file.
    pub entered_value: f64,
    /// Unit as entered in the file.
    pub entered_unit: String,
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
    pub fn is_estimate(&self) -> bool {
        matches!(self.provenance.confidence, Confidence::Estimate { .. })
    }
}

/// A share of an asset's capacity held by other shippers (e.g. Russian crude on CPC).
#[derive(Debug, Clone, PartialEq)]
pub struct Reserved {
    /// Fraction of nominal capacity in [0, 1).
    pub share: Figure,
    /// Who holds it, e.g. `"Russian shippers"`.
    pub holder: String,
}

/// Throughput limit of an asset as seen by Kazakh exports.
#[derive(Debug, Clone, PartialEq)]
pub struct Capacity {
    /// Physical (nameplate) capacity, kt/day for oil or Gbps for data.
    pub nominal: Figure,
    /// Part held by other shippers.
    pub reserved: Option<Reserved>,
    /// A contractual or intergovernmental volume for Kazakh use (e.g. the BTC allocation),
    /// in the same canonical unit. Caps what Kazakh flows may use.
    pub allocation: Option<Figure>,
}

impl Capacity {
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
    Node(NodeIx),
    Link(LinkIx),
}

/// A named place: field, pump station, port, SPM, market, landing station, IXP…
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Stable name used in files, e.g. `cpc-spm-1`.
    pub id: String,
    pub name: String,
    pub kind: NodeKind,
    pub lon: f64,
    pub lat: f64,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    pub operator: String,
    pub status: Status,
    /// Throughput limit (pump station, berth, SPM, terminal), if any.
    pub capacity: Option<Capacity>,
    /// Field output, kt/day (oil fields only).
    pub production: Option<Figure>,
    /// International traffic originating here, Gbps (data sources only).
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
    pub fn layer(&self) -> Layer {
        self.kind.layer()
    }
}

/// A pipeline, tanker leg, rail route or fibre link between two nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub id: String,
    pub name: String,
    pub kind: LinkKind,
    pub from: NodeIx,
    pub to: NodeIx,
    /// Lon/lat waypoints from `from` to `to`, endpoints included.
    pub geometry: Vec<(f64, f64)>,
    /// Great-circle (haversine) length of `geometry`, km.
    pub length_computed_km: f64,
    /// Length quoted by a source, km.
    pub length_sourced: Option<Figure>,
    /// ISO codes of the countries crossed, in order.
    pub countries: Vec<String>,
    /// Throughput limit; for tanker legs it is derived from `fleet`.
    pub capacity: Capacity,
    pub fleet: Option<Fleet>,
    /// Tariff for Kazakh crude, $/t.
    pub tariff: Option<Figure>,
    pub status: Status,
    pub operator: String,
    pub note: String,
}

impl Link {
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
    pub id: String,
    pub node: NodeIx,
    /// Working capacity, kt.
    pub capacity_kt: Figure,
    /// Level at the start of a run, kt.
    pub initial_kt: Figure,
}

/// One step of a route: one link, or several links in parallel (e.g. the three SPM lines).
pub type Stage = Vec<LinkIx>;

/// A named chain of links, used in every report (`cpc`, `atyrau-samara`, …).
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub id: String,
    pub name: String,
    pub layer: Layer,
    pub stages: Vec<Stage>,
    /// Length of the whole route quoted by a source, km.
    pub length_sourced: Option<Figure>,
    pub note: String,
}

impl Route {
    /// All links of the route, in stage order.
    pub fn links(&self) -> impl Iterator<Item = LinkIx> + '_ {
        self.stages.iter().flatten().copied()
    }
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
    pub id: String,
    pub name: String,
    pub target: AssetRef,
    /// New nominal capacity of the target when switched on.
    pub capacity: Figure,
    pub note: String,
}

/// An interdependency: while `on` is down (capacity factor below `down_below`) for more than
/// `grace_days` consecutive days, `dependent` is limited to `fraction` of its capacity.
#[derive(Debug, Clone, PartialEq)]
pub struct Dependency {
    pub dependent: AssetRef,
    pub on: AssetRef,
    pub grace_days: u32,
    pub fraction: f64,
    pub down_below: f64,
}

/// The whole network.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    pub crude: CrudeProperties,
    /// Provenance of `crude.bbl_per_t`.
    pub bbl_per_t_source: Provenance,
    pub nodes: Vec<Node>,
    pub links: Vec<Link>,
    pub stores: Vec<Store>,
    pub routes: Vec<Route>,
    pub expansions: Vec<Expansion>,
    /// Interdependencies declared in the network files.
    pub dependencies: Vec<Dependency>,
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
            routes: Vec::new(),
            expansions: Vec::new(),
            dependencies: Vec::new(),
            node_index,
            link_index,
        }
    }

    pub fn node(&self, ix: NodeIx) -> &Node {
        &self.nodes[ix.0]
    }
    pub fn link(&self, ix: LinkIx) -> &Link {
        &self.links[ix.0]
    }
    pub fn node_ix(&self, id: &str) -> Option<NodeIx> {
        self.node_index.get(id).copied()
    }
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
    pub fn asset_status(&self, a: AssetRef) -> Status {
        match a {
            AssetRef::Node(n) => self.node(n).status,
            AssetRef::Link(l) => self.link(l).status,
        }
    }
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
    pub fn route(&self, id: &str) -> Option<&Route> {
        self.routes.iter().find(|r| r.id == id)
    }
}
