//! `corridor network`: the inventory, its structural indicators, and their tables and charts.

use std::path::{Path, PathBuf};

use super::inputs::{load_network, note_warnings};
use super::sink::{write_chart, write_table, write_text};
use super::{AppError, DirSink, Sink};
use crate::engine::network_indicators;
use crate::model::{Layer, Network};
use crate::report::gis;
use crate::report::map::RouteMap;
use crate::report::network::{self, NetworkReport};
use crate::report::rows::{AssetCsvRow, IndicatorRow, RouteRow};

/// Builds the inventory and indicators of `net`.
///
/// # Errors
/// [`AppError::Solve`] when an indicator's solve trips the solver's guard.
pub fn report(net: &Network, include_planned: bool) -> Result<NetworkReport, AppError> {
    let ind =
        network_indicators(net, include_planned).map_err(|e| AppError::solve("network", e))?;
    Ok(network::build(net, &ind))
}

/// The rows of the network's tables.
#[derive(Debug, Clone, Default)]
pub struct NetworkTables {
    pub routes: Vec<RouteRow>,
    pub assets: Vec<AssetCsvRow>,
    pub indicators: Vec<IndicatorRow>,
    pub rtt: Vec<network::RttPathRow>,
}

/// Writes `network_routes.csv`, `network_assets.csv`, `network_indicators.csv`,
/// `network_rtt.csv`, `network.json`, `network.geojson` (nodes and links together) and the two
/// GIS layers `network_nodes.geojson` and `network_links.geojson`; returns the rows of the CSV
/// tables.
///
/// # Errors
/// As [`Sink::put`].
pub fn write_tables(
    sink: &mut dyn Sink,
    net: &Network,
    rep: &NetworkReport,
) -> Result<NetworkTables, AppError> {
    let mut assets = rep.nodes.clone();
    assets.extend(rep.links.iter().cloned());
    let t = NetworkTables {
        routes: network::route_rows(rep),
        assets: network::asset_rows(&assets),
        indicators: network::indicator_rows(rep),
        rtt: rep.rtt.clone(),
    };
    write_table(sink, Path::new("network_routes.csv"), &t.routes)?;
    write_table(sink, Path::new("network_assets.csv"), &t.assets)?;
    write_table(sink, Path::new("network_indicators.csv"), &t.indicators)?;
    write_table(sink, Path::new("network_rtt.csv"), &t.rtt)?;
    write_text(sink, Path::new("network.json"), &network::to_json(rep))?;
    write_text(
        sink,
        Path::new("network.geojson"),
        &network::to_geojson(net, rep),
    )?;
    write_text(
        sink,
        Path::new("network_nodes.geojson"),
        &gis::collection(gis::node_features(net, rep)),
    )?;
    write_text(
        sink,
        Path::new("network_links.geojson"),
        &gis::collection(gis::link_features(net, rep)),
    )?;
    Ok(t)
}

/// Writes the capacity charts (`network_oil_capacity`, `network_data_capacity`) and the route
/// map (`network_map`), each as PNG and SVG.
///
/// # Errors
/// As [`write_chart`].
pub fn write_charts(
    sink: &mut dyn Sink,
    net: &Network,
    rep: &NetworkReport,
) -> Result<(), AppError> {
    for (layer, stem) in [
        (Layer::Oil, "network_oil_capacity"),
        (Layer::Data, "network_data_capacity"),
    ] {
        write_chart(sink, Path::new(stem), &network::capacity_chart(rep, layer))?;
    }
    let map = RouteMap::new(
        net,
        "Kazakhstan's export routes: crude oil and international data",
        "Operating and planned assets; line width proportional to nameplate capacity (oil Mt/yr, data Gbps).",
        &[],
        &[],
        vec![],
    );
    write_chart(sink, Path::new("network_map"), &map)
}

/// What `corridor network` prints on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Print {
    /// The readable tables.
    Table,
    /// The route inventory as CSV.
    Csv,
    /// The whole report as JSON.
    Json,
}

/// Settings of `corridor network`.
#[derive(Debug, Clone, Default)]
pub struct NetworkConfig {
    /// Count planned assets and expansions.
    pub include_planned: bool,
    /// Refuse consistency-check warnings.
    pub strict: bool,
    /// Write the tables here.
    pub tables: Option<PathBuf>,
    /// Write the charts here.
    pub charts: Option<PathBuf>,
    /// Write the GeoJSON to this file.
    pub geojson: Option<PathBuf>,
    /// PNG pixels per SVG unit for the charts.
    pub png_scale: f32,
    /// Start the CSV tables with a UTF-8 byte order mark.
    pub csv_bom: bool,
}

/// `corridor network`: loads the network in `routes` (or the embedded one), writes what `cfg`
/// asks for, and prints it as `print` says.
///
/// # Errors
/// Input errors; output errors.
pub fn job(routes: Option<&Path>, cfg: &NetworkConfig, print: Print) -> Result<(), AppError> {
    let loaded = load_network(routes, cfg.strict)?;
    let mut stdout = DirSink::new("");
    let warned: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    note_warnings(&mut stdout, &warned);
    let net = &loaded.network;
    let rep = report(net, cfg.include_planned)?;
    if let Some(dir) = &cfg.tables {
        let mut sink = DirSink::new(dir).csv_bom(cfg.csv_bom);
        write_tables(&mut sink, net, &rep)?;
        sink.publish()?;
    }
    if let Some(dir) = &cfg.charts {
        let mut sink = DirSink::new(dir).with_png_scale(cfg.png_scale);
        write_charts(&mut sink, net, &rep)?;
        sink.publish()?;
    }
    if let Some(path) = &cfg.geojson {
        let (mut sink, name) = DirSink::for_file(path);
        write_text(&mut sink, &name, &network::to_geojson(net, &rep))?;
        sink.publish()?;
    }
    stdout.print(&match print {
        Print::Table => network::to_table(&rep),
        Print::Csv => network::routes_csv(&rep),
        Print::Json => network::to_json(&rep),
    });
    Ok(())
}
