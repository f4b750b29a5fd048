//! The random-failure model of a Monte Carlo scenario.

use std::collections::BTreeMap;
use std::fmt;

use super::network::{AssetRef, LinkKind, Network, NodeKind};

/// Asset classes that failure processes and repair crews refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AssetClass {
    /// Pipelines (rates per 1,000 km·yr).
    Pipeline,
    /// Pumping stations.
    PumpStation,
    /// Single-point moorings.
    Spm,
    /// Port berths and terminals.
    PortBerth,
    /// Tanker legs (rates per 1,000 km·yr of sailing distance).
    TankerLeg,
    /// Railways (per 1,000 km·yr).
    Rail,
    /// Terrestrial fibre (per 1,000 km·yr).
    TerrestrialFibre,
    /// Submarine cables (per 1,000 km·yr).
    SubseaFibre,
}

impl AssetClass {
    /// Every class, in declaration order.
    pub const ALL: &'static [AssetClass] = &[
        AssetClass::Pipeline,
        AssetClass::PumpStation,
        AssetClass::Spm,
        AssetClass::PortBerth,
        AssetClass::TankerLeg,
        AssetClass::Rail,
        AssetClass::TerrestrialFibre,
        AssetClass::SubseaFibre,
    ];
    /// The spelling used in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            AssetClass::Pipeline => "pipeline",
            AssetClass::PumpStation => "pump_station",
            AssetClass::Spm => "spm",
            AssetClass::PortBerth => "port_berth",
            AssetClass::TankerLeg => "tanker_leg",
            AssetClass::Rail => "rail",
            AssetClass::TerrestrialFibre => "terrestrial_fibre",
            AssetClass::SubseaFibre => "subsea_fibre",
        }
    }
    /// Parses the file spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.as_str() == s)
    }
    /// Whether rates for this class are per 1,000 km·yr (linear assets) rather than per year.
    pub fn is_linear(self) -> bool {
        matches!(
            self,
            AssetClass::Pipeline
                | AssetClass::Rail
                | AssetClass::TerrestrialFibre
                | AssetClass::SubseaFibre
        )
    }
    /// The class of an asset, if it has one (markets, fields and plain junctions have none).
    pub fn of(net: &Network, a: AssetRef) -> Option<AssetClass> {
        match a {
            AssetRef::Link(l) => Some(match net.link(l).kind {
                LinkKind::Pipeline => AssetClass::Pipeline,
                LinkKind::TankerLeg => AssetClass::TankerLeg,
                LinkKind::Rail => AssetClass::Rail,
                LinkKind::TerrestrialFibre => AssetClass::TerrestrialFibre,
                LinkKind::SubseaFibre => AssetClass::SubseaFibre,
            }),
            AssetRef::Node(n) => match net.node(n).kind {
                NodeKind::PumpStation => Some(AssetClass::PumpStation),
                NodeKind::Spm => Some(AssetClass::Spm),
                NodeKind::Port | NodeKind::Terminal => Some(AssetClass::PortBerth),
                _ => None,
            },
        }
    }
}

impl fmt::Display for AssetClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Repair-time distribution, days.
#[derive(Debug, Clone, PartialEq)]
pub enum Repair {
    /// Always this many days.
    Fixed(f64),
    /// Exponential with this mean.
    Exponential {
        /// Mean, days.
        mean: f64,
    },
    /// Lognormal with this mean and standard deviation.
    Lognormal {
        /// Mean, days.
        mean: f64,
        /// Standard deviation, days.
        sd: f64,
    },
    /// Equally likely observed durations.
    Empirical(Vec<f64>),
}

impl Repair {
    /// Mean repair time, days.
    pub fn mean(&self) -> f64 {
        match self {
            Repair::Fixed(d) => *d,
            Repair::Exponential { mean } | Repair::Lognormal { mean, .. } => *mean,
            Repair::Empirical(v) => v.iter().sum::<f64>() / v.len().max(1) as f64,
        }
    }
}

/// Independent failures of each listed asset: an alternating renewal process (up time
/// exponential at `rate_per_day[i]`, down time drawn from `repair`).
#[derive(Debug, Clone, PartialEq)]
pub struct FailureProcess {
    /// The `[[failure]]` entry's name.
    pub name: String,
    /// The assets that fail, each independently.
    pub assets: Vec<AssetRef>,
    /// Failure rate of each asset, per day (per-km rates already multiplied by length).
    pub rate_per_day: Vec<f64>,
    /// Repair-time distribution.
    pub repair: Repair,
    /// Capacity left while failed, 0–1.
    ///
    /// # Units
    /// Fraction of capacity, 0–1.
    pub fraction: f64,
    /// Where the rates come from.
    pub source: String,
}

/// One draw hits every member together (a storm, a political event).
#[derive(Debug, Clone, PartialEq)]
pub struct CommonCause {
    /// The `[[common_cause]]` entry's name.
    pub name: String,
    /// The transit country it acts for (ISO code), when its assets were chosen by `country`:
    /// a cut-off by that country.
    pub country: Option<String>,
    /// The assets it hits together.
    pub assets: Vec<AssetRef>,
    /// Expected occurrences per day, over the whole year.
    pub rate_per_day: f64,
    /// Day-of-year window (1-based, inclusive; may wrap the new year) the events fall in.
    pub season: Option<(u32, u32)>,
    /// How long each member stays down, days (members queue for crews like any repair).
    pub repair: Repair,
    /// Capacity left to each member while down, 0–1.
    ///
    /// # Units
    /// Fraction of capacity, 0–1.
    pub fraction: f64,
    /// Where the rate comes from.
    pub source: String,
}

/// A seasonal weather window that happens in a given year with some probability.
#[derive(Debug, Clone, PartialEq)]
pub struct WeatherWindow {
    /// The `[[weather_window]]` entry's name.
    pub name: String,
    /// The assets it stops.
    pub assets: Vec<AssetRef>,
    /// Probability that the window happens in a given year, 0–1.
    ///
    /// # Units
    /// Probability per year, 0–1.
    pub probability: f64,
    /// Day-of-year window (1-based, inclusive; may wrap the new year).
    pub season: (u32, u32),
    /// Capacity left while it lasts, 0–1.
    ///
    /// # Units
    /// Fraction of capacity, 0–1.
    pub fraction: f64,
    /// Where the probability comes from.
    pub source: String,
}

/// The Monte Carlo part of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct MonteCarlo {
    /// Replicate-years to simulate.
    pub runs: u64,
    /// Master seed; replicate i draws from ChaCha8 stream i.
    pub seed: u64,
    /// Independent failure processes.
    pub processes: Vec<FailureProcess>,
    /// Common-cause events.
    pub common_causes: Vec<CommonCause>,
    /// Seasonal weather windows.
    pub windows: Vec<WeatherWindow>,
    /// Repair crews (or ships) per class; classes not listed repair without waiting.
    pub crews: BTreeMap<AssetClass, u32>,
}

impl MonteCarlo {
    /// The same model with every failure and common-cause rate multiplied by `k` (repair times,
    /// windows and crews unchanged), for sensitivity runs.
    pub fn with_rates_scaled(&self, k: f64) -> MonteCarlo {
        let mut m = self.clone();
        for p in &mut m.processes {
            for r in &mut p.rate_per_day {
                *r *= k;
            }
        }
        for c in &mut m.common_causes {
            c.rate_per_day *= k;
        }
        m
    }

    /// The same model with the rate of every cut-off by `country` (ISO code; the common causes
    /// chosen by `country`) multiplied by `k`; `None` when there is no such cause.
    pub fn with_cutoff_scaled(&self, country: &str, k: f64) -> Option<MonteCarlo> {
        let mut m = self.clone();
        let mut any = false;
        for c in &mut m.common_causes {
            if c.country.as_deref() == Some(country) {
                c.rate_per_day *= k;
                any = true;
            }
        }
        any.then_some(m)
    }
}
