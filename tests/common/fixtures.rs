//! Micro-network fixtures shared by the engine, simulation, Monte Carlo and comparison tests:
//! the crude and economics headers every hand-worked network uses, and loaders that read
//! networks, scenarios and variants from memory (no temporary directories).

use std::path::Path;

use corridor::engine::metrics::{Summary, summarize};
use corridor::engine::sim::{Day, SimConfig, SimResult, simulate};
use corridor::io::{LoadError, LoadedScenario, Memory, parse_files, parse_scenario_in};
use corridor::model::Network;

/// `l` run with its events and route splits, event-driven or solving `every_day`.
pub fn run(l: &LoadedScenario, every_day: bool) -> SimResult {
    simulate(
        &l.network,
        &l.scenario,
        SimConfig {
            with_events: true,
            every_day,
            totals_only: false,
        },
    )
    .unwrap()
}

/// `l` run with its events, event-driven and then solving every day (the two must agree).
pub fn both_ways(l: &LoadedScenario) -> Vec<SimResult> {
    [false, true].map(|every_day| run(l, every_day)).into()
}

/// One figure per day of `r`, rounded to 1e-9 (kt) so that hand-worked values compare exactly.
pub fn column(r: &SimResult, f: impl Fn(&Day) -> f64) -> Vec<f64> {
    r.days.iter().map(|d| (f(d) * 1e9).round() / 1e9).collect()
}

/// The summary of `l` against its baseline, and the run's daily exports, kt.
pub fn summary_and_exports(l: &LoadedScenario) -> (Summary, Vec<f64>) {
    let cfg = |with_events| SimConfig {
        with_events,
        every_day: false,
        totals_only: false,
    };
    let run = simulate(&l.network, &l.scenario, cfg(true)).unwrap();
    let base = simulate(&l.network, &l.scenario, cfg(false)).unwrap();
    let exports = run.days.iter().map(|d| d.exports_kt).collect();
    (summarize(&l.network, &l.scenario, &run, &base), exports)
}

/// The `format` line and `[crude]` table of a micro-network: 7.5 bbl/t, 0.8 t/m³.
pub const CRUDE: &str = r#"
format = 1
[crude]
bbl_per_t = { value = 7.5, unit = "bbl/t", source = "test" }
t_per_m3 = { value = 0.8, unit = "t/m3", source = "test" }
"#;

/// `[economics]` at US$80/bbl, transport 1/3/2 US$ per t per 100 km by pipeline, rail and
/// tanker, and data valued at `data_value` (a figure, or `"unset"`).
pub fn economics(data_value: &str) -> String {
    format!(
        r#"
[economics]
oil_price = {{ value = 80, unit = "$/bbl", source = "test" }}
data_value = {data_value}
[economics.transport_cost]
pipeline = {{ value = 1, unit = "$/t/100km", source = "test" }}
rail = {{ value = 3, unit = "$/t/100km", source = "test" }}
tanker = {{ value = 2, unit = "$/t/100km", source = "test" }}
"#
    )
}

/// Data valued at US$10/Tb.
pub const DATA_AT_10_USD_PER_TB: &str = r#"{ value = 10, unit = "$/Tb", source = "test" }"#;

/// The value of data left unset.
pub const DATA_UNSET: &str = r#""unset""#;

/// Field `F` (14 kt/day, KZ) and market `M` (TR), 2° apart: the nodes of the one-field
/// micro-networks; tests add the links between them.
pub const FIELD_AND_MARKET: &str = r#"
[[node]]
id = "F"
kind = "field"
lon = 50.0
lat = 45.0
country = "KZ"
production = { value = 14, unit = "kt/day", source = "test" }
[[node]]
id = "M"
kind = "market"
lon = 52.0
lat = 45.0
country = "TR"
"#;

/// The network of [`CRUDE`] followed by `body`, loaded strict.
pub fn network(body: &str) -> Network {
    match parse_files(vec![("micro.toml".into(), format!("{CRUDE}{body}"))], true) {
        Ok(l) => l.network,
        Err(e) => panic!("{e}"),
    }
}

/// The text of a scenario named `name` on the network in `routes/`, starting 2026-01-01 for
/// `horizon` days, with `economics` and then `tail`.
pub fn scenario_text(name: &str, horizon: u32, economics: &str, tail: &str) -> String {
    format!(
        "format = 1\nname = \"{name}\"\ndescription = \"test\"\nnetwork = \"routes\"\nstart = \"2026-01-01\"\nhorizon_days = {horizon}\n{economics}\n{tail}"
    )
}

/// The in-memory tree of a micro-network (`routes/net.toml`, [`CRUDE`] then `network`) and
/// any further `(path, text)` files.
pub fn tree(network: &str, files: &[(&str, &str)]) -> Memory {
    let mut all = vec![("routes/net.toml".to_string(), format!("{CRUDE}{network}"))];
    all.extend(files.iter().map(|(p, t)| (p.to_string(), t.to_string())));
    Memory::new(all)
}

/// Scenario `text` (file `<id>.toml`) loaded strict from `tree`.
pub fn load_in(tree: &Memory, id: &str, text: &str) -> LoadedScenario {
    parse_scenario_in(tree, id, &format!("{id}.toml"), text, Path::new(""), true)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Scenario `s` over `horizon` days on micro-network `net`, loaded strict: `head` goes in at the
/// top level before the economics tables (e.g. `dispatch = …`), `tail` after them (events).
/// Data unvalued.
pub fn parse_micro(
    net: &str,
    horizon: u32,
    head: &str,
    tail: &str,
) -> Result<LoadedScenario, LoadError> {
    let text = scenario_text(
        "s",
        horizon,
        &format!("{head}{}", economics(DATA_UNSET)),
        tail,
    );
    parse_scenario_in(&tree(net, &[]), "s", "s.toml", &text, Path::new(""), true)
}

/// The diagnostics of a micro-network scenario that must not load (see [`parse_micro`]).
pub fn micro_errors(net: &str, horizon: u32, head: &str, tail: &str) -> Vec<String> {
    match parse_micro(net, horizon, head, tail) {
        Err(LoadError::Invalid(d)) => d.iter().map(|d| d.to_string()).collect(),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("expected errors"),
    }
}
