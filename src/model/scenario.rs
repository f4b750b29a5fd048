//! A resolved scenario: the time frame, supplies, economics and the dated events, with every
//! name already resolved against the network.

use super::date::Date;
use super::network::{AssetRef, Dependency, LinkKind, Network, NodeIx, NodeKind};

/// How an event's effect is scheduled.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    /// First day affected, as a day index from the scenario start (may be negative).
    pub start: i64,
    /// Last day affected (inclusive).
    pub end: i64,
    /// Days of linear recovery after `end`: on day `end + k` the fraction is
    /// `f + (1 − f) × k / recovery_days`, full again on day `end + recovery_days`.
    pub recovery_days: u32,
}

impl Window {
    /// The multiplier on day `t` for an event fraction `f`: `f` inside the window, ramping to 1
    /// over the recovery, 1 outside.
    pub fn fraction_on(&self, t: i64, f: f64) -> f64 {
        if t < self.start {
            1.0
        } else if t <= self.end {
            f
        } else {
            let k = t - self.end;
            if k >= self.recovery_days as i64 {
                1.0
            } else {
                f + (1.0 - f) * k as f64 / self.recovery_days as f64
            }
        }
    }
}

impl Window {
    /// The share of a suspended asset's capacity in service on day `t` after a reactivation
    /// decided on day `start`: 0 through `end` (the decision day plus the lead time, less one),
    /// then `k / recovery_days` on day `end + k`, full from day `end + recovery_days`.
    pub fn reactivated(&self, t: i64) -> f64 {
        if t < self.start {
            0.0
        } else {
            self.fraction_on(t, 0.0)
        }
    }
}

/// What an event does.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Each asset's capacity is multiplied by its fraction during the window.
    Capacity(Vec<(AssetRef, f64)>),
    /// Suspended assets return to service: none of their capacity until the window's end,
    /// then a linear ramp over its recovery days to full (see [`Window::reactivated`]).
    Reactivate(Vec<AssetRef>),
    /// Crude on the assets is off specification during the window but still flows: what the
    /// routes through them export is delivered at a discount (an `off_spec` event handled as
    /// `discount`; one handled as `stop` is a [`Effect::Capacity`] of 0).
    OffSpec {
        /// The contaminated assets.
        assets: Vec<AssetRef>,
        /// Price discount on the off-spec crude, $/t.
        ///
        /// # Units
        /// US$ per tonne.
        discount_usd_per_t: f64,
    },
    /// A government-ordered shutdown or throttling: the international traffic the named data
    /// sources (all of them when empty) may send is multiplied by the fraction during the
    /// window, whatever the links could carry.
    Shutdown {
        /// The data sources (cities) it covers; empty: the whole country.
        sources: Vec<NodeIx>,
        /// Share of their traffic still allowed, 0–1.
        fraction: f64,
        /// The destination group it covers (index into the network's), or all of them.
        destination: Option<usize>,
        /// Whether it covers mobile networks only (the network's `mobile_share` of traffic).
        mobile: bool,
    },
    /// A field's output is multiplied by the fraction during the window.
    Production {
        /// The field node.
        field: NodeIx,
        /// Multiplier on its output (above 1 for a ramp-up).
        fraction: f64,
    },
}

/// One dated event, already resolved to assets.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// `outage`, `derate`, `uprate`, `hazard`, `transit_cut`, `weather`, `replay`,
    /// `production`, `reactivate`, `off_spec` or `shutdown`.
    pub kind: &'static str,
    /// The event's name (its `name`, or kind and number).
    pub name: String,
    /// When it applies, as day indexes from the scenario start.
    pub window: Window,
    /// What it does.
    pub effect: Effect,
    /// Where the event assumptions come from.
    pub source: String,
}

/// Transport-cost rates used where a link has no tariff, $/t per 100 km.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CostRates {
    /// By pipeline, $/t per 100 km.
    ///
    /// # Units
    /// US$ per tonne per 100 km.
    pub pipeline: f64,
    /// By rail, $/t per 100 km.
    ///
    /// # Units
    /// US$ per tonne per 100 km.
    pub rail: f64,
    /// By tanker, $/t per 100 km.
    ///
    /// # Units
    /// US$ per tonne per 100 km.
    pub tanker: f64,
}

/// Economics for valuing losses.
#[derive(Debug, Clone, PartialEq)]
pub struct Economics {
    /// Oil price, US$ per barrel.
    pub oil_price_usd_per_bbl: f64,
    /// Barrels per tonne, for valuing lost tonnes.
    pub bbl_per_t: f64,
    /// How lost data traffic is valued; `None` when unset.
    pub data_value: Option<DataValue>,
    /// Transport-cost rates where a link has no tariff.
    pub rates: CostRates,
    /// The state's take on exported crude, for the budget impact of lost exports; `None` when
    /// the scenario gives none.
    pub state_take: Option<StateTake>,
}

impl Economics {
    /// The value of a megatonne of crude, US$ per Mt: barrels per tonne × the oil price × 10⁶.
    pub fn usd_per_mt(&self) -> f64 {
        self.bbl_per_t * self.oil_price_usd_per_bbl * 1e6
    }
}

/// How lost international data traffic is valued.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DataValue {
    /// A flat value per terabit not carried, US$/Tb.
    PerTb(f64),
    /// The Brookings method (West, 2016), as used by the NetBlocks/ISOC Cost of Shutdown Tool:
    /// an hour of full national outage costs the digital economy's share of an hour of GDP;
    /// a partial loss costs that in proportion to the share of traffic lost.
    GdpShare {
        /// Gross domestic product, US$ per year.
        ///
        /// # Units
        /// US$ per year.
        gdp_usd_per_yr: f64,
        /// Share of GDP that depends on the internet, 0–1.
        ///
        /// # Units
        /// Fraction, 0–1.
        digital_share: f64,
    },
}

/// Hours in a (365-day) year.
pub const HOURS_PER_YEAR: f64 = crate::model::units::DAYS_PER_YEAR * 24.0;

impl DataValue {
    /// The value of one hour of full national outage, US$ (`None` for a per-Tb value, which
    /// depends on the traffic).
    pub fn usd_per_outage_hour(&self) -> Option<f64> {
        match self {
            DataValue::PerTb(_) => None,
            DataValue::GdpShare {
                gdp_usd_per_yr,
                digital_share,
            } => Some(gdp_usd_per_yr * digital_share / HOURS_PER_YEAR),
        }
    }

    /// The value of a day on which `lost_gbps` of `demand_gbps` was not carried, US$.
    pub fn day_usd(&self, lost_gbps: f64, demand_gbps: f64) -> f64 {
        match self {
            DataValue::PerTb(v) => v * lost_gbps * 86.4,
            DataValue::GdpShare { .. } => {
                if demand_gbps > 0.0 {
                    self.usd_per_outage_hour().unwrap_or(0.0) * 24.0 * lost_gbps / demand_gbps
                } else {
                    0.0
                }
            }
        }
    }
}

/// The state's take on a tonne of crude exported: export customs duty and mineral-extraction
/// tax, from fields outside `exempt`.
#[derive(Debug, Clone, PartialEq)]
pub struct StateTake {
    /// Export customs duty, US$ per tonne.
    ///
    /// # Units
    /// US$ per tonne.
    pub export_duty_usd_per_t: f64,
    /// Mineral-extraction tax as a share of the crude's value at the scenario's price.
    ///
    /// # Units
    /// Fraction, 0–1.
    pub extraction_tax: f64,
    /// Fields whose take is set by their own agreements (production-sharing agreements): no
    /// duty or tax counted.
    pub exempt: Vec<NodeIx>,
}

impl StateTake {
    /// The take on a tonne from a field that is not exempt, US$, at `usd_per_t`.
    pub fn per_tonne(&self, usd_per_t: f64) -> f64 {
        self.export_duty_usd_per_t + self.extraction_tax * usd_per_t
    }
}

/// A field's daily output, kt/day: a constant or a dated series (step function).
#[derive(Debug, Clone, PartialEq)]
pub enum Supply {
    /// The same every day, kt/day.
    Constant(f64),
    /// (day index, kt/day) sorted by day; the value holds until the next entry.
    Series(Vec<(i64, f64)>),
}

impl Supply {
    /// The output on day `t` (day index from the start), kt/day.
    pub fn on(&self, t: i64) -> f64 {
        match self {
            Supply::Constant(v) => *v,
            Supply::Series(s) => match s.partition_point(|(d, _)| *d <= t) {
                0 => s.first().map_or(0.0, |x| x.1),
                i => s[i - 1].1,
            },
        }
    }
}

/// Everything the engine needs besides the network.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Title used in reports.
    pub name: String,
    /// What the scenario asks, and where its assumptions come from.
    pub description: String,
    /// First simulated day.
    pub start: Date,
    /// Days simulated.
    pub horizon_days: u32,
    /// Output per field node, kt/day. Fields not listed produce their network `production`.
    pub production: Vec<(NodeIx, Supply)>,
    /// Data demand per node, Gbps. Nodes not listed use their network `demand`.
    pub demand: Vec<(NodeIx, f64)>,
    /// Prices and transport-cost rates.
    pub economics: Economics,
    /// Dated events, resolved to assets.
    pub events: Vec<Event>,
    /// Interdependencies the scenario adds to the network's.
    pub dependencies: Vec<Dependency>,
    /// Assets hit by hazards, with the fraction each was given, for the run's report.
    pub hazard_hits: Vec<(String, AssetRef, f64)>,
    /// Each hazard's footprint as a closed (lon, lat) ring, for maps: a circle becomes a
    /// 72-point geodesic ring.
    pub footprints: Vec<(String, Vec<(f64, f64)>)>,
    /// Random failures, for Monte Carlo scenarios.
    pub monte_carlo: Option<super::failure::MonteCarlo>,
    /// How crude is allocated to routes.
    pub dispatch: Dispatch,
    /// Dated network changes inside the run that reduce an asset (network vintage): from day
    /// `.1` on, the asset's capacity factor is at most `.2` (0 for a suspension or retirement,
    /// the ratio of the new to the old available capacity for a fall). They hold in the
    /// baseline too: they are the network, not events.
    pub vintage_steps: Vec<(AssetRef, i64, f64)>,
    /// Reported figures to check the run against (`corridor hindcast`).
    pub reported: Vec<Reported>,
    /// Starting level of tank farms the scenario sets (store index, kt); the others start at
    /// their network `initial`. Working levels stay the network's.
    pub stock: Vec<(usize, f64)>,
}

/// What a `[[reported]]` figure measures, computed from a run and its baseline over a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// Crude delivered to markets over the window (on the named routes, or all), Mt.
    Exports,
    /// Baseline exports less the run's over the window (on the named routes, or all), Mt.
    LostExports,
    /// The named routes' share of all exports over the window, fraction.
    Share,
    /// The share of exports over the window whose path touches Russia, fraction.
    RussiaShare,
    /// Shutdowns over the window as hours of full national outage, h.
    DataShutdownHours,
    /// Lost data traffic over the window (shutdowns and physical losses) valued at the
    /// scenario's data value, US$ million.
    DataLossValue,
}

impl Quantity {
    /// The name used in scenario files and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Quantity::Exports => "exports",
            Quantity::LostExports => "lost_exports",
            Quantity::Share => "share",
            Quantity::RussiaShare => "russia_share",
            Quantity::DataShutdownHours => "data_shutdown_hours",
            Quantity::DataLossValue => "data_loss_value",
        }
    }
    /// The unit of the model and reported values: `Mt`, `fraction`, `h` or `$m`.
    pub fn unit(self) -> &'static str {
        match self {
            Quantity::Exports | Quantity::LostExports => "Mt",
            Quantity::Share | Quantity::RussiaShare => "fraction",
            Quantity::DataShutdownHours => "h",
            Quantity::DataLossValue => "$m",
        }
    }
    /// Every quantity, in documentation order.
    pub const ALL: [Quantity; 6] = [
        Quantity::Exports,
        Quantity::LostExports,
        Quantity::Share,
        Quantity::RussiaShare,
        Quantity::DataShutdownHours,
        Quantity::DataLossValue,
    ];
    /// Whether the value is a share (fraction) rather than a mass (Mt).
    pub fn is_share(self) -> bool {
        matches!(self, Quantity::Share | Quantity::RussiaShare)
    }
}

/// A reported figure the model must reproduce (hindcast): what was measured, over which days,
/// the reported value, its source, and how close the model must come.
#[derive(Debug, Clone, PartialEq)]
pub struct Reported {
    /// Label, e.g. "CPC loadings, September 2022".
    pub name: String,
    /// What is measured.
    pub quantity: Quantity,
    /// The routes it is measured on (empty: all exports).
    pub routes: Vec<String>,
    /// First day of the window (day index from the start).
    pub from: i64,
    /// Last day of the window (inclusive).
    pub to: i64,
    /// The reported value.
    ///
    /// # Units
    /// Mt for exports and lost exports; fraction for shares.
    pub value: f64,
    /// How far the model may be from the value and pass: a relative band (±fraction of the
    /// value) for Mt quantities, absolute share points for shares. `None`: shown, not tested.
    pub tolerance: Option<f64>,
    /// Where the reported value comes from (and the arithmetic, for a computed one).
    pub source: String,
}

/// How the daily allocation chooses routes for crude.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dispatch {
    /// Each field's crude follows its shippers' nominated routes; a shared bottleneck cuts
    /// shippers pro rata to their nominations; when a route is disrupted, the others open their
    /// emergency headroom after their lead time and ramp (see `engine::sim`).
    #[default]
    Nominated,
    /// Least cost over all capacity at once: what the infrastructure could do.
    LeastCost,
}

/// Waves above this stop SPM loading (hoses can be lifted and moored only in waves ≤ 2.5 m;
/// CPC, facts sheet §1.2, S5, S67, S68), m.
pub const SPM_WAVE_LIMIT_M: f64 = 2.5;

/// What a weather event does to an asset it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeatherExposure {
    /// Loading or sailing stops for the event.
    Stopped,
    /// An SPM in waves at or below [`SPM_WAVE_LIMIT_M`]: it keeps loading.
    Spared,
    /// Weather does not stop this kind of asset (a pipeline, a pumping station, a field…).
    NotExposed,
}

/// What weather with waves of `wave_height_m` (m; `None` when the event does not say) does to
/// asset `a`: it stops loading at ports, terminals and SPMs and sailings on tanker legs, except
/// that an SPM keeps loading in waves up to [`SPM_WAVE_LIMIT_M`].
pub fn weather_exposure(net: &Network, a: AssetRef, wave_height_m: Option<f64>) -> WeatherExposure {
    let exposed = match a {
        AssetRef::Node(n) => matches!(
            net.node(n).kind,
            NodeKind::Port | NodeKind::Terminal | NodeKind::Spm
        ),
        AssetRef::Link(l) => net.link(l).kind == LinkKind::TankerLeg,
    };
    let spm = matches!(a, AssetRef::Node(n) if net.node(n).kind == NodeKind::Spm);
    if !exposed {
        WeatherExposure::NotExposed
    } else if spm && wave_height_m.is_some_and(|h| h <= SPM_WAVE_LIMIT_M) {
        WeatherExposure::Spared
    } else {
        WeatherExposure::Stopped
    }
}
