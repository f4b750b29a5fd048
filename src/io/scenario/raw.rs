//! The raw form of a scenario file's tables, as serde reads them (spans kept for messages).

use serde::Deserialize;
use toml::Spanned;

use crate::io::raw::RawFigure;

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
    Method(RawDataMethod),
}

/// `data_value = { method = "gdp_share", gdp = {…}, digital_share = {…} }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDataMethod {
    pub method: String,
    pub gdp: RawPlainFigure,
    pub digital_share: RawPlainFigure,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEconomics {
    pub oil_price: Spanned<RawFigure>,
    pub bbl_per_t: Option<Spanned<RawFigure>>,
    pub data_value: Spanned<RawDataValue>,
    pub transport_cost: Spanned<RawRates>,
    pub state_take: Option<Spanned<RawStateTake>>,
}

/// `[economics.state_take]`: export duty, extraction tax and the fields exempt from both.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStateTake {
    pub export_duty: Spanned<RawFigure>,
    pub extraction_tax: Spanned<RawFigure>,
    pub exempt: Option<Vec<Spanned<String>>>,
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

/// `[[reported]]`: a reported figure the run must reproduce (hindcast).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReported {
    pub name: Spanned<String>,
    pub quantity: Spanned<String>,
    pub routes: Option<Vec<Spanned<String>>>,
    pub from: Option<Spanned<String>>,
    pub to: Option<Spanned<String>>,
    pub value: Spanned<RawFigure>,
    pub tolerance: Option<Spanned<f64>>,
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
    /// `off_spec`: `stop` or `discount`.
    pub handling: Option<Spanned<String>>,
    /// `shutdown`: the destination group it covers (all when absent).
    pub destination: Option<Spanned<String>>,
    /// `shutdown`: `all` (default) or `mobile`.
    pub networks: Option<Spanned<String>>,
    /// `off_spec` handled as `discount`: the price discount on the off-spec crude.
    pub discount: Option<Spanned<RawFigure>>,
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
