//! Writes a synthetic network K times the size of the Kazakh one, in the routes format, with a
//! Monte Carlo scenario on it: the input of `bench/scaling.sh` (issue 16).
//!
//! `cargo run --release --example synthetic -- K OUT_DIR`
//!
//! OUT_DIR/routes/ holds K copies of every file of `routes/`: copy 1 keeps the ids, copy r ≥ 2
//! appends `-r<r>` to every node, link, store, duty, route and expansion id and to every
//! reference to one. Every copy has its own fields, corridors, tank farms and markets; the
//! data destinations' exits list every copy's data sinks. The copies share no asset, so they
//! are K regions side by side that the daily allocation solves together. Coordinates are the
//! originals (the copies overlap on a map). Every figure is marked as an estimate naming the
//! copy and the original figure's source, so nothing synthetic passes for sourced. The crude
//! table (`00-crude.toml`) is kept once.
//!
//! OUT_DIR/mc.toml is `scenarios/mc-random-failures.toml` on that network: its failure models
//! are by asset class, so every copy's assets fail at the shipped rates; its `[production]`
//! figures are repeated for every copy's fields.
//! OUT_DIR/baseline.toml is the same scenario without its Monte Carlo and failures.
//!
//! The network is loaded back (strict) before the example exits, and its size printed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use corridor::io::raw::TOP_LEVEL_KEYS;
use corridor::report::write::write_atomic;
use toml::{Table, Value};

/// Tables kept once (the rest of a routes file's top-level keys are arrays of assets or of
/// tables that refer to them, which every copy repeats).
const ONCE: [&str; 3] = ["format", "crude", "traffic"];
/// Arrays whose entries have an `id` that copies rename.
const WITH_IDS: [&str; 6] = ["node", "link", "store", "duty", "route", "expansion"];
/// Keys whose strings are text, never a reference to an asset.
const TEXT: [&str; 10] = [
    "name",
    "note",
    "source",
    "estimate",
    "location_source",
    "unit",
    "kind",
    "country",
    "countries",
    "status",
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(k), Some(out)) = (args.first().and_then(|a| a.parse().ok()), args.get(1)) else {
        eprintln!("usage: synthetic K OUT_DIR   (K ≥ 1 copies of the Kazakh network)");
        return ExitCode::from(2);
    };
    match run(k, Path::new(out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synthetic: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(k: usize, out: &Path) -> Result<(), String> {
    if k == 0 {
        return Err("K must be at least 1".into());
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<(String, Table)> = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(root.join("routes"))
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    names.sort();
    for p in &names {
        let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
        let table: Table = text.parse().map_err(|e| format!("{}: {e}", p.display()))?;
        let name = p
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        files.push((name, table));
    }
    let ids: BTreeSet<String> = files
        .iter()
        .flat_map(|(_, t)| WITH_IDS.iter().filter_map(|a| t.get(*a)))
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|e| e.get("id").and_then(Value::as_str).map(str::to_owned))
        .collect();
    let dir = out.join("routes");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (name, table) in &files {
        let mut merged = Table::new();
        for (key, value) in table {
            if ONCE.contains(&key.as_str()) {
                // format, crude, traffic: once. The destinations exit by every copy's sinks.
                let mut v = value.clone();
                if key == "traffic" {
                    extend_exits(&mut v, k, &ids);
                }
                merged.insert(key.clone(), v);
            }
        }
        for &key in TOP_LEVEL_KEYS.iter().filter(|k| !ONCE.contains(k)) {
            let Some(entries) = table.get(key).and_then(Value::as_array) else {
                continue;
            };
            let mut all = Vec::with_capacity(entries.len() * k);
            for r in 1..=k {
                for e in entries {
                    let mut e = e.clone();
                    rename(&mut e, r, &ids, "");
                    mark(&mut e, r);
                    all.push(e);
                }
            }
            merged.insert(key.to_owned(), Value::Array(all));
        }
        let text = toml::to_string(&merged).map_err(|e| format!("{name}: {e}"))?;
        let head = format!(
            "# Synthetic: {k} copies of routes/{name} (examples/synthetic.rs). Not real data.\n"
        );
        write(&dir.join(name), &(head + &text))?;
    }
    let shipped = std::fs::read_to_string(root.join("scenarios/mc-random-failures.toml"))
        .map_err(|e| e.to_string())?;
    let mc = shipped
        .replace("network = \"embedded\"", "network = \"routes\"")
        .replace(
            "name = \"Random failures on the operating network\"",
            &format!("name = \"Random failures on {k} copies of the network (synthetic)\""),
        );
    if mc == shipped {
        return Err(
            "scenarios/mc-random-failures.toml no longer says network = \"embedded\"".into(),
        );
    }
    let mc = copy_production(&mc, k, &ids);
    write(&out.join("mc.toml"), &mc)?;
    let cut = mc
        .find("[monte_carlo]")
        .ok_or("the shipped scenario has no [monte_carlo]")?;
    let baseline = mc[..cut].replace("Random failures on", "Baseline year (no failures) on");
    write(&out.join("baseline.toml"), &baseline)?;
    let loaded = corridor::io::load_dir(&dir, true).map_err(|e| e.to_string())?;
    let net = &loaded.network;
    println!(
        "{k}× network in {}: {} nodes, {} links, {} tank farms",
        dir.display(),
        net.nodes.len(),
        net.links.len(),
        net.stores.len()
    );
    Ok(())
}

/// Renames, in copy `r` ≥ 2, every string that is an asset id, except under text keys.
fn rename(v: &mut Value, r: usize, ids: &BTreeSet<String>, key: &str) {
    if r == 1 || TEXT.contains(&key) {
        return;
    }
    match v {
        Value::String(s) if ids.contains(s.as_str()) => *s = format!("{s}-r{r}"),
        Value::Array(a) => a.iter_mut().for_each(|x| rename(x, r, ids, key)),
        Value::Table(t) => t.iter_mut().for_each(|(k, x)| rename(x, r, ids, k)),
        _ => {}
    }
}

/// Marks every figure (a table with a `value` and a `source` or an `estimate`) as an estimate
/// of the synthetic copy `r`, keeping what the original said.
fn mark(v: &mut Value, r: usize) {
    match v {
        Value::Table(t) => {
            if t.contains_key("value") && (t.contains_key("source") || t.contains_key("estimate")) {
                let was = ["source", "estimate"]
                    .iter()
                    .filter_map(|k| {
                        t.get(*k)
                            .and_then(Value::as_str)
                            .map(|s| format!("{k}: {s}"))
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                t.remove("source");
                t.insert(
                    "estimate".into(),
                    Value::String(format!(
                        "synthetic copy {r} of the Kazakh network for the scaling bench, the original figure ({was})"
                    )),
                );
            }
            t.iter_mut().for_each(|(_, x)| mark(x, r));
        }
        Value::Array(a) => a.iter_mut().for_each(|x| mark(x, r)),
        _ => {}
    }
}

/// Adds to every `[[traffic.destination]]` an exit from each copy's data sink, on the path of
/// the original sink's exit.
fn extend_exits(traffic: &mut Value, k: usize, ids: &BTreeSet<String>) {
    let Some(dests) = traffic.get_mut("destination").and_then(Value::as_array_mut) else {
        return;
    };
    for d in dests {
        let Some(exits) = d.get_mut("exits").and_then(Value::as_array_mut) else {
            continue;
        };
        let originals = exits.clone();
        for r in 2..=k {
            for e in &originals {
                let mut e = e.clone();
                if let Some(Value::String(s)) = e.get_mut("sink")
                    && ids.contains(s.as_str())
                {
                    *s = format!("{s}-r{r}");
                    exits.push(e);
                }
            }
        }
    }
}

/// `scenario` with each `[production]` line repeated for the fields of copies 2…`k`.
fn copy_production(scenario: &str, k: usize, ids: &BTreeSet<String>) -> String {
    let mut out = String::with_capacity(scenario.len());
    let mut in_production = false;
    for line in scenario.lines() {
        out.push_str(line);
        out.push('\n');
        if line.starts_with('[') {
            in_production = line.trim() == "[production]";
            continue;
        }
        let Some((key, rest)) = line.split_once(" = ") else {
            continue;
        };
        if in_production && ids.contains(key.trim()) {
            for r in 2..=k {
                out.push_str(&format!("{}-r{r} = {rest}\n", key.trim()));
            }
        }
    }
    out
}

/// Writes `text` to `path` atomically, so a failed run leaves no partial file.
fn write(path: &Path, text: &str) -> Result<(), String> {
    write_atomic(path, text.as_bytes()).map_err(|e| e.to_string())
}
