//! `corridor list`: the ids a scenario file can name (assets, routes), and the scenarios and
//! variants there are to run, with what identifies them.

use std::fmt::Write as _;
use std::path::Path;

use super::inputs::load_network;
use super::{AppError, Sink};
use crate::io::Source;
use crate::io::variant::list_variants_in;

/// What `corridor list` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// Every node and link of the network: id, element, kind, layer, capacity, status.
    Assets,
    /// Every export route: id, layer, capacity on its own, via Russia, status.
    Routes,
    /// The scenario files: id, Monte Carlo or deterministic, name.
    Scenarios,
    /// The option files in the scenarios' variants/ directory: id, name.
    Variants,
}

/// A table whose columns are as wide as their widest cell.
fn columns(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut w: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            w[i] = w[i].max(c.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: Vec<&str>| {
        let last = cells.len() - 1;
        for (i, c) in cells.into_iter().enumerate() {
            if i == last {
                let _ = writeln!(out, "{c}");
            } else {
                let _ = write!(out, "{c:<width$}  ", width = w[i]);
            }
        }
    };
    line(&mut out, header.to_vec());
    for r in rows {
        line(&mut out, r.iter().map(String::as_str).collect());
    }
    out
}

/// The `name = "…"` of a TOML file, if it has one.
fn name_of(text: &str) -> String {
    text.parse::<toml::Table>()
        .ok()
        .and_then(|t| t.get("name").and_then(|n| n.as_str()).map(str::to_string))
        .unwrap_or_default()
}

/// Prints the list of `kind`: assets and routes of the network in `routes` (default: the
/// embedded one), scenarios and variants in `dir` of `source`.
///
/// # Errors
/// The network's load errors.
pub fn list(
    kind: ListKind,
    routes: Option<&Path>,
    source: &dyn Source,
    dir: &Path,
    sink: &mut dyn Sink,
) -> Result<(), AppError> {
    let text = match kind {
        ListKind::Assets | ListKind::Routes => {
            let net = load_network(routes, false)?.network;
            let rep = super::network::report(&net, false)?;
            if kind == ListKind::Assets {
                let mut assets = rep.nodes.clone();
                assets.extend(rep.links.iter().cloned());
                let rows: Vec<Vec<String>> = crate::report::network::asset_rows(&assets)
                    .into_iter()
                    .map(|a| {
                        vec![
                            a.id,
                            a.element,
                            a.kind,
                            a.layer,
                            a.capacity
                                .map_or("–".into(), |c| format!("{} {}", c.0, a.unit)),
                            a.status,
                        ]
                    })
                    .collect();
                columns(
                    &["id", "element", "kind", "layer", "capacity", "status"],
                    &rows,
                )
            } else {
                let rows: Vec<Vec<String>> = crate::report::network::route_rows(&rep)
                    .into_iter()
                    .map(|r| {
                        vec![
                            r.route,
                            r.layer,
                            format!("{} {}", r.standalone_capacity.0, r.unit),
                            if r.via_russia { "yes" } else { "no" }.into(),
                            r.status,
                        ]
                    })
                    .collect();
                columns(
                    &[
                        "route",
                        "layer",
                        "capacity on its own",
                        "via Russia",
                        "status",
                    ],
                    &rows,
                )
            }
        }
        ListKind::Scenarios => {
            let mut rows = Vec::new();
            for sub in ["", "history"] {
                for p in source.toml_files(&dir.join(sub)).unwrap_or_default() {
                    let text = source.read(&p).unwrap_or_default();
                    let mc = text
                        .parse::<toml::Table>()
                        .is_ok_and(|t| t.contains_key("monte_carlo"));
                    rows.push(vec![
                        p.strip_prefix(dir).unwrap_or(&p).display().to_string(),
                        if mc { "Monte Carlo" } else { "deterministic" }.into(),
                        name_of(&text),
                    ]);
                }
            }
            columns(&["file", "kind", "name"], &rows)
        }
        ListKind::Variants => {
            let vdir = dir.join("variants");
            let rows: Vec<Vec<String>> = list_variants_in(source, &vdir)
                .into_iter()
                .map(|id| {
                    let text = source
                        .read(&vdir.join(format!("{id}.toml")))
                        .unwrap_or_default();
                    vec![id, name_of(&text)]
                })
                .collect();
            columns(&["id", "name"], &rows)
        }
    };
    sink.print(&text);
    Ok(())
}
