//! Typed rows: one struct per table the project writes. A table's column names are its
//! struct's field names, derived once by serde; the CSV writer serialises the rows, the charts
//! and the HTML report take them in memory, and `corridor chart` deserialises the same rows
//! from a file.
//!
//! Numbers are held as the table states them ([`F4`], [`Raw4`], [`Usd`], [`Plain`]): the value
//! its text reads back as, so a chart drawn from rows in memory is the chart rebuilt from the
//! file, byte for byte.
//!
//! `daily.csv` has columns that depend on the network (one per route, tank farm, link and data
//! route), so it is [`Daily`]: a fixed part ([`DailyRow`], derived like the other tables) and
//! named groups whose column names [`DailyColumns`] spells.

use serde::de::{self, DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::f4;
use crate::model::Layer;

/// Why a table could not be read.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("{file}: {problem}")]
pub struct ChartDataError {
    pub file: String,
    pub problem: String,
}

macro_rules! number {
    ($(#[$m:meta])* $name:ident, $fmt:expr) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Default)]
        pub struct $name(pub f64);

        impl $name {
            /// `x` as the table states it: the number its text reads back as.
            pub fn new(x: f64) -> Self {
                let t = Self(x).text();
                Self(t.parse().unwrap_or(x))
            }
            /// The text of the value in a table.
            pub fn text(self) -> String {
                let f: fn(f64) -> String = $fmt;
                f(self.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.text())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                f64::deserialize(d).map($name)
            }
        }
    };
}

number!(
    /// Four decimals, never a negative zero: the precision of every CSV quantity.
    F4,
    f4
);
number!(
    /// Four decimals as `{:.4}` prints them (a negative zero stays `-0.0000`), for
    /// `compare/replicates.csv`.
    Raw4,
    |x| format!("{x:.4}")
);
number!(
    /// Whole US dollars.
    Usd,
    |x| format!("{x:.0}")
);
number!(
    /// The shortest text that reads back as the value (network inventory tables).
    Plain,
    |x| x.to_string()
);

impl Usd {
    /// Whole dollars of `x`, an exact negative zero written as `0`.
    pub fn dollars(x: f64) -> Self {
        Self::new(x + 0.0)
    }
}

/// Days until performance recovered, `not recovered` when it did not within the horizon.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Recovery(pub Option<u32>);

const NOT_RECOVERED: &str = "not recovered";

impl Serialize for Recovery {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(d) => s.serialize_u32(d),
            None => s.serialize_str(NOT_RECOVERED),
        }
    }
}

impl<'de> Deserialize<'de> for Recovery {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let t = String::deserialize(d)?;
        if t == NOT_RECOVERED {
            return Ok(Recovery(None));
        }
        t.parse().map(|v| Recovery(Some(v))).map_err(|_| {
            de::Error::custom(format!(
                "`{t}` is neither a number of days nor `{NOT_RECOVERED}`"
            ))
        })
    }
}

/// A table the project writes: rows of `Self`, one column per field.
pub trait Table: Serialize + DeserializeOwned + Default {
    /// How data fields are quoted (the header never is).
    const QUOTE: csv::QuoteStyle = csv::QuoteStyle::Necessary;
}

/// The column names of `T`, in order: its serde field names.
pub fn columns<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Fields(Option<&'static [&'static str]>);
    impl<'de> Deserializer<'de> for &mut Fields {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0 = Some(fields);
            Err(de::Error::custom("fields read"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    let mut f = Fields(None);
    let _ = T::deserialize(&mut f);
    f.0.unwrap_or(&[])
}

/// One line of CSV (with its newline) of `fields`, quoted only where needed.
fn line<I: IntoIterator<Item = S>, S: AsRef<[u8]>>(fields: I) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(fields);
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The header line of `T`.
pub fn header<T: Table>() -> String {
    line(columns::<T>())
}

/// The data lines of `rows`, without a header (for files written in waves).
///
/// # Errors
/// The serialiser's message (not expected for the tables here: their fields are all scalar).
pub fn body<T: Table>(rows: &[T]) -> Result<String, String> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .quote_style(T::QUOTE)
        .from_writer(Vec::new());
    for r in rows {
        w.serialize(r).map_err(|e| e.to_string())?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// The CSV of `rows`: header, then one line per row.
///
/// # Errors
/// As [`body`].
pub fn to_csv<T: Table>(rows: &[T]) -> Result<String, String> {
    Ok(header::<T>() + &body(rows)?)
}

/// The cells of `row` as the CSV writes them (for the HTML report's tables).
pub fn cells<T: Serialize>(row: &T) -> Vec<String> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    if w.serialize(row).is_err() {
        return Vec::new();
    }
    let text = String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    r.records()
        .next()
        .and_then(Result::ok)
        .map(|rec| rec.iter().map(str::to_string).collect())
        .unwrap_or_default()
}

fn problem(file: &str, problem: String) -> ChartDataError {
    ChartDataError {
        file: file.into(),
        problem,
    }
}

/// A CSV error as a reader should see it: the line, the column and what is wrong.
fn read_problem(file: &str, header: &[String], e: &csv::Error) -> ChartDataError {
    let line = e.position().map(|p| p.line());
    let at = line.map(|l| format!("line {l}: ")).unwrap_or_default();
    let text = match e.kind() {
        csv::ErrorKind::Deserialize { err, .. } => {
            let column = err
                .field()
                .and_then(|k| header.get(k as usize))
                .map(|c| format!("column `{c}`: "))
                .unwrap_or_default();
            let what = match err.kind() {
                csv::DeserializeErrorKind::ParseFloat(_)
                | csv::DeserializeErrorKind::ParseInt(_) => "not a number".to_string(),
                k => k.to_string(),
            };
            format!("{column}{what}")
        }
        _ => e.to_string(),
    };
    problem(file, format!("{at}{text}"))
}

/// Checks that `header` has every column in `needs` (which must be columns of `T`).
fn require<T: DeserializeOwned>(
    file: &str,
    header: &[String],
    needs: &[&str],
) -> Result<(), ChartDataError> {
    for n in needs {
        if !columns::<T>().contains(n) {
            return Err(problem(
                file,
                format!("internal: `{n}` is not a column of this table"),
            ));
        }
        if !header.iter().any(|h| h == n) {
            return Err(problem(
                file,
                format!("no column `{n}` (is this the right CSV?)"),
            ));
        }
    }
    Ok(())
}

/// Reads rows of `T` from CSV `text`, requiring the columns in `needs`; a column the caller does
/// not need may be absent (it reads as its default), so a trimmed CSV still draws.
///
/// # Errors
/// [`ChartDataError`] naming `file`, and the line and column of a bad value.
pub fn from_csv<T: Table>(
    file: &str,
    text: &str,
    needs: &[&str],
) -> Result<Vec<T>, ChartDataError> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| problem(file, e.to_string()))?
        .iter()
        .map(str::to_string)
        .collect();
    require::<T>(file, &header, needs)?;
    rdr.deserialize()
        .map(|r| r.map_err(|e| read_problem(file, &header, &e)))
        .collect()
}

/// The first line of a CSV text, split into column names.
pub fn header_of(text: &str) -> Vec<String> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    rdr.headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default()
}

/// `summary.csv`: one row per deterministic scenario. Oil in Mt, money in US$, performance a
/// fraction of baseline exports, resilience loss in days, data in Tb and ms.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SummaryRow {
    pub scenario: String,
    pub exported_mt: F4,
    pub baseline_exported_mt: F4,
    pub lost_exports_mt: F4,
    pub lost_revenue_usd: Usd,
    pub curtailed_mt: F4,
    /// Crude delivered off specification at a discount, Mt, and the discount, US$.
    pub off_spec_mt: F4,
    pub off_spec_discount_usd: Usd,
    /// State-budget revenue lost with the lost exports, US$; empty without a state take.
    pub state_budget_loss_usd: Option<Usd>,
    pub inventory_change_mt: F4,
    pub min_performance: F4,
    pub days_below_90pct: u32,
    pub days_to_recover: Recovery,
    pub resilience_loss: F4,
    pub russia_transit_share: F4,
    pub hhi_flows: F4,
    pub data_unserved_tb: F4,
    /// Data traffic held back by government-ordered shutdowns, Tb.
    pub data_shutdown_tb: F4,
    /// Physical data losses and shutdowns as hours of full national outage, h.
    pub data_outage_hours: F4,
    pub data_shutdown_hours: F4,
    /// Lowest day's data served over demand, fraction.
    pub data_min_performance: F4,
    /// Σ over days of (1 − data performance), days.
    pub data_resilience_loss: F4,
    /// Both valued at the scenario's data value, US$; empty when unset.
    pub data_value_usd: Option<Usd>,
    pub data_peak_latency_ms: F4,
    pub oil_solves: usize,
    pub days: usize,
    /// `route=share` pairs of routes that carried anything, `;`-separated.
    pub route_shares: String,
    /// Asset ids, space-separated.
    pub assets_hit: String,
}
impl Table for SummaryRow {}

/// `hindcast.csv`: one row per reported figure of a history scenario, model against reported.
/// `unit` is `Mt`, `fraction`, `h` (hours of full national data outage) or `$m`; `ratio` is
/// model / reported (empty when reported is 0); `tolerance` is a relative band, or share points
/// for fractions (empty: not tested); `result` is `pass`, `fail`, `shown` (no tolerance) or
/// `model` (the model's own figure for the case).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct HindcastRow {
    pub case: String,
    pub name: String,
    pub quantity: String,
    /// Route ids, space-separated (empty: all exports).
    pub routes: String,
    pub from: String,
    pub to: String,
    pub unit: String,
    pub model: F4,
    /// Empty on a `model` row: the model's figure where no outcome was found to set it against.
    pub reported: Option<F4>,
    pub ratio: Option<F4>,
    pub tolerance: Option<F4>,
    pub result: String,
    pub source: String,
}
impl Table for HindcastRow {}

/// `mc_replicates.csv`: one row per replicate-year. `rng_stream` is the ChaCha8 stream the
/// replicate drew from, with the master seed; `worst_day` a date; `failures` the asset ids
/// that failed, space-separated.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ReplicateRow {
    pub replicate: u64,
    pub rng_stream: u64,
    pub lost_exports_mt: F4,
    pub lost_revenue_usd: Usd,
    pub resilience_loss_days: F4,
    pub worst_day: String,
    pub worst_performance: F4,
    pub data_unserved_tb: F4,
    /// Data losses as hours of full national outage, h, and valued, US$ (empty when unset).
    pub data_outage_hours: F4,
    pub data_loss_usd: Option<Usd>,
    pub failures: String,
}
impl Table for ReplicateRow {}

/// `mc_daily_bands.csv`: per day, P5/P50/P95 and mean performance (fraction of baseline)
/// over the replicates.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BandRow {
    pub date: String,
    pub day: usize,
    pub p5: F4,
    pub p50: F4,
    pub p95: F4,
    pub mean: F4,
}
impl Table for BandRow {}

/// `compare.csv`: one row per option in ranked order. Money in US$ per year, volumes in Mt per
/// year, `_lo`/`_hi` the 95% CI; benefit/cost and the break-even multiple are empty for an
/// option that costs nothing.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CompareRow {
    pub variant: String,
    pub name: String,
    pub annual_cost_usd: Usd,
    pub runs: usize,
    pub avoided_mt: F4,
    pub avoided_mt_lo: F4,
    pub avoided_mt_hi: F4,
    pub avoided_usd: Usd,
    pub avoided_usd_lo: Usd,
    pub avoided_usd_hi: Usd,
    /// Data losses avoided: hours of full national outage per year and US$ per year.
    pub data_avoided_hours: F4,
    pub data_avoided_hours_lo: F4,
    pub data_avoided_hours_hi: F4,
    pub data_avoided_usd: Usd,
    pub data_avoided_usd_lo: Usd,
    pub data_avoided_usd_hi: Usd,
    /// Oil and data together: the benefit that net benefit and B/C use, US$ per year.
    pub total_avoided_usd: Usd,
    pub total_avoided_usd_lo: Usd,
    pub total_avoided_usd_hi: Usd,
    pub net_benefit_usd: Usd,
    pub benefit_cost: Option<F4>,
    pub benefit_cost_lo: Option<F4>,
    pub benefit_cost_hi: Option<F4>,
    pub breakeven_frequency_multiple: Option<F4>,
    pub cvar95_change_mt: F4,
    pub cvar95_change_mt_lo: F4,
    pub cvar95_change_mt_hi: F4,
    pub p_loss_over_10pct_change: F4,
    pub p_loss_over_10pct_change_lo: F4,
    pub p_loss_over_10pct_change_hi: F4,
    pub days_below_80pct_change: F4,
    pub days_below_80pct_change_lo: F4,
    pub days_below_80pct_change_hi: F4,
    pub russia_share_flows: F4,
    pub hhi_flows: F4,
    pub n_minus_1_mt: F4,
    pub data_unserved_change_tb: F4,
    pub data_worst_latency_ms: F4,
}
impl Table for CompareRow {}

/// `compare/replicates.csv`: each option's annual lost exports (Mt) in every replicate.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CompareReplicateRow {
    pub replicate: u64,
    pub variant: String,
    pub lost_exports_mt: Raw4,
}
impl Table for CompareReplicateRow {}

/// `sensitivity.csv`: one row per case, the ranking joined by ` > `, the top option's net
/// benefit in US$/yr, and the option ranked first as estimated with its net benefit in the
/// case (US$/yr). Text fields are quoted.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SensitivityRow {
    pub case: String,
    pub ranking_by_net_benefit: String,
    pub top_net_benefit_usd: Usd,
    /// The option ranked first as estimated.
    pub reference_option: String,
    /// Its net benefit in this case, US$/yr.
    pub reference_net_benefit_usd: Usd,
}
impl Table for SensitivityRow {
    const QUOTE: csv::QuoteStyle = csv::QuoteStyle::NonNumeric;
}

/// `network_routes.csv`: one row per route. Capacities in the layer's unit (`unit`), shares
/// fractions, lengths km; `countries` and `links` space-separated, `sources` ` | `-separated.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RouteRow {
    pub route: String,
    pub layer: String,
    pub standalone_capacity: Plain,
    pub attributed_capacity: Plain,
    pub share: Plain,
    pub unit: String,
    pub length_computed_km: Plain,
    pub length_sourced_km: Option<Plain>,
    pub countries: String,
    pub via_russia: bool,
    pub status: String,
    pub links: String,
    pub sources: String,
}
impl Table for RouteRow {}

/// `network_assets.csv`: one row per node, then per link. Capacities in `unit`, shares
/// fractions, lengths km, tariffs US$/t; `countries` space-separated.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AssetCsvRow {
    pub id: String,
    pub element: String,
    pub kind: String,
    pub layer: String,
    pub from: String,
    pub to: String,
    pub capacity: Option<Plain>,
    pub available_capacity: Option<Plain>,
    pub unit: String,
    pub capacity_entered: String,
    /// Stated design capacity an uprate may reach, in `unit` (empty: none given).
    pub maximum: Option<Plain>,
    pub reserved_share: Option<Plain>,
    pub allocation: Option<Plain>,
    pub length_computed_km: Option<Plain>,
    pub length_sourced_km: Option<Plain>,
    pub countries: String,
    pub status: String,
    pub tariff_usd_per_t: Option<Plain>,
    pub confidence: String,
    pub source: String,
    pub estimate_reason: String,
}
impl Table for AssetCsvRow {}

/// `rtt.csv` of a run, and `data_rtt` of its `summary.json`: round-trip times to one
/// destination group, ms. `origin` is `served` (the served traffic, weighted by what each path
/// carries, nationally) or a data source's id (its shortest path that has capacity, whatever
/// the load). Means are over the days with a value; `days_without` counts the others (nothing
/// served to the group, or no path left); `peak_date` is the first worst day (empty: none).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RttRow {
    pub destination: String,
    pub origin: String,
    pub baseline_rtt_ms: F4,
    pub mean_rtt_ms: F4,
    pub peak_rtt_ms: F4,
    pub peak_date: String,
    pub days_without: u32,
}
impl Table for RttRow {}

/// `network_indicators.csv`: `layer,indicator,value,unit`; `value` is a number in `unit`, or
/// an asset id for `n_minus_1_asset`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct IndicatorRow {
    pub layer: String,
    pub indicator: String,
    pub value: String,
    pub unit: String,
}
impl Table for IndicatorRow {}

/// The fixed columns of a `daily.csv` row. Oil in kt per day, performance a fraction of the
/// baseline, data in Gbps, latency in ms; `solved` is 1 on a day whose flows were re-solved.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DailyRow {
    pub date: String,
    pub day: i64,
    pub production_kt: F4,
    pub exports_kt: F4,
    pub baseline_exports_kt: F4,
    pub performance: F4,
    pub curtailed_kt: F4,
    pub stored_kt: F4,
    pub at_sea_kt: F4,
    pub russia_exports_kt: F4,
    // The route, store and link groups are written here.
    pub data_demand_gbps: F4,
    /// Demand held back by government-ordered shutdowns.
    pub data_shutdown_gbps: F4,
    pub data_served_gbps: F4,
    // The served-by-route group is written here.
    pub data_latency_ms: F4,
    pub solved: u8,
    /// Exports by route (kt/day), in [`DailyColumns::routes`] order.
    #[serde(skip)]
    pub route_exports_kt: Vec<F4>,
    /// Stock per tank farm (kt).
    #[serde(skip)]
    pub store_kt: Vec<F4>,
    /// Flow per link: kt/day on oil links, Gbps on data links.
    #[serde(skip)]
    pub link_flow: Vec<F4>,
    /// Bandwidth served by each data route (the flow over its last stage), Gbps.
    #[serde(skip)]
    pub served_gbps: Vec<F4>,
}

/// The network-dependent column groups of `daily.csv`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DailyColumns {
    /// Oil routes, `other` last: `exports_<route>_kt`.
    pub routes: Vec<String>,
    /// Tank farms: `store_<id>_kt`.
    pub stores: Vec<String>,
    /// Links and their layer: `flow_<id>_kt` or `flow_<id>_gbps`.
    pub links: Vec<(String, Layer)>,
    /// Data routes: `served_<route>_gbps`.
    pub data_routes: Vec<String>,
}

/// Where each group sits among the fixed columns of [`DailyRow`]: after its 10th, 12th field.
const DAILY_SPLITS: (usize, usize) = (10, 13);

fn link_column(id: &str, layer: Layer) -> String {
    match layer {
        Layer::Oil => format!("flow_{id}_kt"),
        Layer::Data => format!("flow_{id}_gbps"),
    }
}

/// `daily.csv` of one run: the column groups and one row per day.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Daily {
    pub columns: DailyColumns,
    pub rows: Vec<DailyRow>,
}

impl Daily {
    /// Every column name, in file order.
    pub fn header(&self) -> Vec<String> {
        let fixed = columns::<DailyRow>();
        let (a, b) = DAILY_SPLITS;
        let c = &self.columns;
        let mut h: Vec<String> = fixed[..a].iter().map(|s| s.to_string()).collect();
        h.extend(c.routes.iter().map(|r| format!("exports_{r}_kt")));
        h.extend(c.stores.iter().map(|s| format!("store_{s}_kt")));
        h.extend(c.links.iter().map(|(id, l)| link_column(id, *l)));
        h.extend(fixed[a..b].iter().map(|s| s.to_string()));
        h.extend(c.data_routes.iter().map(|r| format!("served_{r}_gbps")));
        h.extend(fixed[b..].iter().map(|s| s.to_string()));
        h
    }

    /// The CSV text.
    pub fn to_csv(&self) -> String {
        let (a, b) = DAILY_SPLITS;
        let mut out = line(self.header());
        for r in &self.rows {
            let fixed = cells(r);
            let text = |v: &[F4]| v.iter().map(|x| x.text()).collect::<Vec<_>>();
            let mut row: Vec<String> = fixed[..a].to_vec();
            row.extend(text(&r.route_exports_kt));
            row.extend(text(&r.store_kt));
            row.extend(text(&r.link_flow));
            row.extend(fixed[a..b].iter().cloned());
            row.extend(text(&r.served_gbps));
            row.extend(fixed[b..].iter().cloned());
            out.push_str(&line(row));
        }
        out
    }

    /// Reads a `daily.csv` text, requiring the fixed columns in `needs`; groups are recognised
    /// by their column names.
    ///
    /// # Errors
    /// [`ChartDataError`] naming `file`, a missing needed column, or the line and column of a
    /// value that is not a number.
    pub fn from_csv(file: &str, text: &str, needs: &[&str]) -> Result<Self, ChartDataError> {
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = rdr
            .headers()
            .map_err(|e| problem(file, e.to_string()))?
            .iter()
            .map(str::to_string)
            .collect();
        require::<DailyRow>(file, &header, needs)?;
        let fixed = columns::<DailyRow>();
        let group = |prefix: &str, suffix: &str| -> Vec<(usize, String)> {
            header
                .iter()
                .enumerate()
                .filter(|(_, h)| !fixed.contains(&h.as_str()))
                .filter_map(|(k, h)| {
                    let id = h.strip_prefix(prefix)?.strip_suffix(suffix)?;
                    Some((k, id.to_string()))
                })
                .collect()
        };
        let routes = group("exports_", "_kt");
        let stores = group("store_", "_kt");
        let mut links: Vec<(usize, String, Layer)> = group("flow_", "_kt")
            .into_iter()
            .map(|(k, id)| (k, id, Layer::Oil))
            .chain(
                group("flow_", "_gbps")
                    .into_iter()
                    .map(|(k, id)| (k, id, Layer::Data)),
            )
            .collect();
        links.sort_by_key(|l| l.0);
        let served = group("served_", "_gbps");
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| read_problem(file, &header, &e))?;
            let mut row: DailyRow = rec
                .deserialize(Some(&csv::StringRecord::from(header.clone())))
                .map_err(|e| read_problem(file, &header, &e))?;
            let line = rec.position().map_or(0, |p| p.line());
            let values = |cols: &[usize]| -> Result<Vec<F4>, ChartDataError> {
                cols.iter()
                    .map(|&k| {
                        let v = rec.get(k).unwrap_or("");
                        v.parse().map(F4).map_err(|_| {
                            problem(
                                file,
                                format!("line {line}: column `{}`: not a number", header[k]),
                            )
                        })
                    })
                    .collect()
            };
            let ks = |g: &[(usize, String)]| g.iter().map(|x| x.0).collect::<Vec<_>>();
            row.route_exports_kt = values(&ks(&routes))?;
            row.store_kt = values(&ks(&stores))?;
            row.link_flow = values(&links.iter().map(|l| l.0).collect::<Vec<_>>())?;
            row.served_gbps = values(&ks(&served))?;
            rows.push(row);
        }
        let names = |g: Vec<(usize, String)>| g.into_iter().map(|x| x.1).collect();
        Ok(Daily {
            columns: DailyColumns {
                routes: names(routes),
                stores: names(stores),
                links: links.into_iter().map(|(_, id, l)| (id, l)).collect(),
                data_routes: names(served),
            },
            rows,
        })
    }

    /// The dates, one per row.
    pub fn dates(&self) -> Vec<String> {
        self.rows.iter().map(|r| r.date.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_the_field_names_in_order() {
        assert_eq!(
            columns::<BandRow>(),
            &["date", "day", "p5", "p50", "p95", "mean"]
        );
        assert_eq!(header::<BandRow>(), "date,day,p5,p50,p95,mean\n");
        // Grouped fields of daily.csv are not columns of the fixed part.
        assert_eq!(columns::<DailyRow>().len(), 15);
        assert_eq!(columns::<DailyRow>()[DAILY_SPLITS.0], "data_demand_gbps");
        assert_eq!(columns::<DailyRow>()[DAILY_SPLITS.1], "data_latency_ms");
    }

    #[test]
    fn numbers_hold_what_their_text_reads_back_as() {
        assert_eq!(F4::new(0.123456).0, 0.1235);
        assert_eq!(F4::new(-1e-9).text(), "0.0000");
        assert_eq!(Raw4::new(-1e-9).text(), "-0.0000");
        assert_eq!(Usd::dollars(-0.0).text(), "0");
        assert_eq!(Usd::new(-0.2).text(), "-0");
        assert_eq!(Usd::new(1234.5678).0, 1235.0);
        assert_eq!(Plain::new(72.5).text(), "72.5");
        assert_eq!(Plain::new(1.0).text(), "1");
    }

    #[test]
    fn rows_round_trip_through_their_csv() {
        let rows = vec![
            SensitivityRow {
                case: "oil price US$50/bbl".into(),
                ranking_by_net_benefit: "a > b".into(),
                top_net_benefit_usd: Usd::new(12.4),
                reference_option: "a".into(),
                reference_net_benefit_usd: Usd::new(12.4),
            },
            SensitivityRow::default(),
        ];
        let text = to_csv(&rows).unwrap();
        assert_eq!(
            text,
            "case,ranking_by_net_benefit,top_net_benefit_usd,reference_option,reference_net_benefit_usd\n\"oil price US$50/bbl\",\"a > b\",12,\"a\",12\n\"\",\"\",0,\"\",0\n"
        );
        assert_eq!(
            from_csv::<SensitivityRow>("s.csv", &text, &[]).unwrap(),
            rows
        );
        let s = SummaryRow {
            scenario: "x".into(),
            days_to_recover: Recovery(None),
            ..Default::default()
        };
        let text = to_csv(std::slice::from_ref(&s)).unwrap();
        assert!(text.contains(",not recovered,"), "{text}");
        assert_eq!(
            from_csv::<SummaryRow>("s.csv", &text, &[]).unwrap(),
            vec![s]
        );
    }

    #[test]
    fn a_reader_names_the_file_line_and_column() {
        let e = from_csv::<BandRow>("b.csv", "date,p50\n2026-01-01,abc\n", &["p50"]).unwrap_err();
        assert_eq!(e.to_string(), "b.csv: line 2: column `p50`: not a number");
        let e = from_csv::<BandRow>("b.csv", "date,p5\n", &["p50"]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "b.csv: no column `p50` (is this the right CSV?)"
        );
        let e = from_csv::<BandRow>("b.csv", "date\n", &["p51"]).unwrap_err();
        assert!(e.to_string().contains("internal"), "{e}");
    }

    #[test]
    fn daily_groups_round_trip() {
        let d = Daily {
            columns: DailyColumns {
                routes: vec!["cpc".into(), "other".into()],
                stores: vec!["t".into()],
                links: vec![("p".into(), Layer::Oil), ("c".into(), Layer::Data)],
                data_routes: vec!["ru".into()],
            },
            rows: vec![DailyRow {
                date: "2026-01-01".into(),
                performance: F4::new(0.5),
                route_exports_kt: vec![F4::new(1.0), F4::new(0.0)],
                store_kt: vec![F4::new(2.0)],
                link_flow: vec![F4::new(3.0), F4::new(4.0)],
                served_gbps: vec![F4::new(5.0)],
                ..Default::default()
            }],
        };
        let text = d.to_csv();
        assert!(text.starts_with("date,day,production_kt,exports_kt,baseline_exports_kt,performance,curtailed_kt,stored_kt,at_sea_kt,russia_exports_kt,exports_cpc_kt,exports_other_kt,store_t_kt,flow_p_kt,flow_c_gbps,data_demand_gbps,data_shutdown_gbps,data_served_gbps,served_ru_gbps,data_latency_ms,solved\n"), "{text}");
        assert_eq!(
            Daily::from_csv("d.csv", &text, &["performance"]).unwrap(),
            d
        );
    }
}

/// `optimise/portfolios.csv`: every portfolio of options scored on the same replicates. Money
/// in US$ per year; `options` joined by `+` (`status-quo` for none).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PortfolioRow {
    pub portfolio: String,
    pub options: usize,
    pub annual_cost_usd: Usd,
    /// Mean annual loss (oil valued at the scenario's price, plus data valued), with its 95%
    /// interval.
    pub loss_usd: Usd,
    pub loss_usd_lo: Usd,
    pub loss_usd_hi: Usd,
    /// CVaR95 of the annual loss: the mean of the worst 5% of replicate-years.
    pub cvar95_loss_usd: Usd,
    /// Loss avoided against the status quo, paired by replicate.
    pub avoided_usd: Usd,
    pub avoided_usd_lo: Usd,
    pub avoided_usd_hi: Usd,
    /// Avoided loss less annual cost.
    pub net_usd: Usd,
    /// Mean annual lost exports, Mt.
    pub lost_exports_mt: F4,
    /// On the frontier of annual cost against mean loss, and against CVaR95.
    pub frontier_mean: bool,
    pub frontier_cvar95: bool,
}
impl Table for PortfolioRow {}

/// `optimise/choice.csv`: the best portfolio within the budget, then the others the paired
/// evidence does not separate from it. `gap_usd` is how much better the best is under the
/// objective (US$/yr, 95% interval; bootstrap for CVaR95); `tied` when equal on every
/// replicate.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ChoiceRow {
    /// The budget the choice is within, US$/yr.
    pub budget_usd: Usd,
    pub role: String,
    pub portfolio: String,
    pub objective: String,
    /// The objective's value: net benefit (higher is better) or loss (lower is better), US$/yr.
    pub value_usd: Usd,
    pub annual_cost_usd: Usd,
    pub gap_usd: Usd,
    pub gap_usd_lo: Usd,
    pub gap_usd_hi: Usd,
    pub tied: bool,
}
impl Table for ChoiceRow {}

/// `optimise/robustness.csv`: every candidate's value under every assumption case and its
/// regret there (the case's best value less its own, under the objective), US$/yr.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RobustnessRow {
    pub budget_usd: Usd,
    pub case: String,
    pub portfolio: String,
    /// Annual cost as estimated (the case may scale it), US$/yr.
    pub annual_cost_usd: Usd,
    /// The objective's value in the case: net benefit, or the loss.
    pub value_usd: Usd,
    pub regret_usd: Usd,
}
impl Table for RobustnessRow {}

/// `optimise/regret.csv`: per budget and candidate, its value as estimated, its mean over the
/// cases, its largest regret and the case of it, and its role (best as estimated, expected
/// value, minimax regret), US$/yr.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RegretRow {
    pub budget_usd: Usd,
    pub portfolio: String,
    pub annual_cost_usd: Usd,
    pub value_usd: Usd,
    pub mean_value_usd: Usd,
    pub max_regret_usd: Usd,
    pub worst_case: String,
    /// `best as estimated`, `expected value`, `minimax regret`, `;`-joined; empty for others.
    pub role: String,
}
impl Table for RegretRow {}

/// The tables `corridor optimise` writes (those of `--robust` and `--stage` empty without them).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OptimiseTables {
    pub portfolios: Vec<PortfolioRow>,
    pub choice: Vec<ChoiceRow>,
    pub marginal: Vec<MarginalRow>,
    pub sizes: Vec<SizeRow>,
    pub robustness: Vec<RobustnessRow>,
    pub regret: Vec<RegretRow>,
    pub staging: Vec<StagingRow>,
    pub pathway: Vec<PathwayRow>,
}

/// `optimise/sizes.csv`: each sized member of the best portfolio within each budget left out
/// (`none`) and at every level of its knob, the other members kept, US$/yr.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SizeRow {
    /// The budget the best portfolio was chosen within, US$/yr.
    pub budget_usd: Usd,
    /// The best portfolio.
    pub portfolio: String,
    /// The knob (the variant file's id).
    pub knob: String,
    /// The level in the best's member's place (`id@level`), or `none`.
    pub level: String,
    /// Whether this is the best portfolio itself.
    pub chosen: bool,
    /// The portfolio with that level.
    pub resized: String,
    pub annual_cost_usd: Usd,
    pub avoided_usd: Usd,
    pub avoided_usd_lo: Usd,
    pub avoided_usd_hi: Usd,
    pub net_usd: Usd,
    /// How much worse it is than the best under the objective (below 0 only beyond the
    /// budget), with the paired 95% interval.
    pub gap_usd: Usd,
    pub gap_usd_lo: Usd,
    pub gap_usd_hi: Usd,
    /// Whether its annual cost is within the budget.
    pub within_budget: bool,
}
impl Table for SizeRow {}

/// `optimise/staging.csv`: every order of each staged portfolio, best NPV first.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StagingRow {
    pub budget_usd: Usd,
    pub portfolio: String,
    /// 1 for the best order of the portfolio.
    pub rank: usize,
    /// The options in the order decided, ` > `-joined.
    pub order: String,
    /// Each option's first year in service, `option year`, `; `-joined.
    pub in_service_from: String,
    /// Net present value over the pathway, US$ at the start of its first year.
    pub npv_usd: Usd,
}
impl Table for StagingRow {}

/// `optimise/pathway.csv`: the best order of each staged portfolio, year by year, US$/yr.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PathwayRow {
    pub budget_usd: Usd,
    pub portfolio: String,
    pub order: String,
    pub year: i32,
    /// Options in service that year, `+`-joined (empty: none yet).
    pub in_service: String,
    pub avoided_usd: Usd,
    pub annual_cost_usd: Usd,
    pub net_usd: Usd,
    /// The net discounted to the start of the first year, US$.
    pub discounted_net_usd: Usd,
}
impl Table for PathwayRow {}

/// `optimise/marginal.csv`: what each option of the best portfolio adds given the others (the
/// best against the best without it), US$/yr.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MarginalRow {
    /// The budget the best portfolio was chosen within, US$/yr.
    pub budget_usd: Usd,
    /// The best portfolio.
    pub portfolio: String,
    pub option: String,
    /// Members of the best that need the option (`requires`), left out with it, `+`-joined.
    pub with_dependents: String,
    pub avoided_usd: Usd,
    pub avoided_usd_lo: Usd,
    pub avoided_usd_hi: Usd,
    pub annual_cost_usd: Usd,
    pub net_usd: Usd,
    /// Change in CVaR95 of the annual loss (negative: the worst years lose less).
    pub cvar95_change_usd: Usd,
}
impl Table for MarginalRow {}
