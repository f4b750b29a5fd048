//! Sweep files: many variations of one or more scenarios run as one job. A sweep names its
//! scenarios (and options), and a grid of `--set` overrides (every combination) or a list of
//! cases; `corridor sweep` expands it into tasks that any array engine can run by index.
//! Documented in `docs/sweep-format.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::source::Source;

/// The sweep-file format version this build reads.
pub const SWEEP_FORMAT: i64 = 1;
/// The most cases (grid combinations or listed cases) a sweep may have.
pub const MAX_CASES: u64 = 100_000;
/// The most tasks a sweep may expand into.
pub const MAX_TASKS: u64 = 1_000_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSweep {
    format: i64,
    name: String,
    #[serde(default)]
    description: String,
    scenarios: Vec<String>,
    #[serde(default)]
    variants: Vec<String>,
    runs: Option<i64>,
    shards: Option<i64>,
    #[serde(default)]
    grid: BTreeMap<String, Vec<toml::Value>>,
    #[serde(default)]
    case: Vec<RawCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    name: String,
    #[serde(default)]
    set: BTreeMap<String, toml::Value>,
}

/// One variation: the `--set` overrides it applies to every scenario of the sweep.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct SweepCase {
    /// `c0001`, `c0002` … in order: the case's output folder.
    pub id: String,
    /// The case's name: its own (listed cases) or `key=value, …` (grid).
    pub name: String,
    /// `(key, value)` overrides, keys sorted.
    pub set: Vec<(String, String)>,
}

/// A sweep file, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSpec {
    /// The sweep's id (its output folder).
    pub name: String,
    pub description: String,
    /// Scenario files, relative paths resolved against the sweep file's folder.
    pub scenarios: Vec<PathBuf>,
    /// Options to run each scenario with: `None` for the scenario as it is.
    pub variants: Vec<Option<String>>,
    /// Replicate-years of every Monte Carlo scenario (`--runs`), if set.
    pub runs: Option<u64>,
    /// Tasks each Monte Carlo run is split into (shards), ≥ 1.
    pub shards: u64,
    /// The parameters the cases vary (override keys), sorted.
    pub parameters: Vec<String>,
    pub cases: Vec<SweepCase>,
    /// The sweep file's text, for the manifest's hash.
    pub text: String,
}

/// Why a sweep file is refused: `file:line: field: problem (hint)` lines.
#[derive(Debug, thiserror::Error)]
#[error("{} problem(s) in the sweep file:\n{}", .0.len(), .0.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
pub struct SweepError(pub Vec<String>);

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The line of `key` (the first `key =` or `"key" =` or `[key]` on a line), for messages.
fn key_line(text: &str, key: &str) -> usize {
    let quoted = format!("\"{key}\"");
    text.lines()
        .position(|l| {
            let t = l.trim_start();
            [key, quoted.as_str()].iter().any(|k| {
                t.strip_prefix(k)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            }) || t == format!("[{key}]")
                || t == format!("[[{key}]]")
        })
        .map_or(1, |i| i + 1)
}

/// A TOML scalar as `--set` takes it (strings quoted, so they stay strings).
fn scalar(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(_)
        | toml::Value::Integer(_)
        | toml::Value::Float(_)
        | toml::Value::Boolean(_)
        | toml::Value::Datetime(_) => Some(v.to_string()),
        toml::Value::Array(_) | toml::Value::Table(_) => None,
    }
}

/// Reads and checks the sweep file `path` from `source`.
///
/// # Errors
/// [`SweepError`] with every problem, each `file:line: field: problem (hint)`.
pub fn load_sweep(source: &dyn Source, path: &Path) -> Result<SweepSpec, SweepError> {
    let name = path.display().to_string();
    let text = source
        .read(path)
        .map_err(|e| SweepError(vec![format!("cannot read {name}: {e}")]))?;
    parse_sweep(&name, &text, path.parent().unwrap_or(Path::new("")))
}

/// Parses sweep `text` (named `file` in messages); scenario paths resolve against `base`.
///
/// # Errors
/// As [`load_sweep`].
pub fn parse_sweep(file: &str, text: &str, base: &Path) -> Result<SweepSpec, SweepError> {
    let raw: RawSweep = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(text, s.start));
        SweepError(vec![format!(
            "{file}:{line}: {} (hint: docs/sweep-format.md lists the fields)",
            e.message().trim()
        )])
    })?;
    let mut problems = Vec::new();
    let mut problem = |key: &str, field: &str, msg: String| {
        problems.push(format!("{file}:{}: {field}: {msg}", key_line(text, key)));
    };
    if raw.format != SWEEP_FORMAT {
        problem(
            "format",
            "format",
            format!(
                "unsupported sweep format {} (this corridor reads format = {SWEEP_FORMAT})",
                raw.format
            ),
        );
    }
    if let Err(e) = crate::model::check_id(&raw.name) {
        problem(
            "name",
            "name",
            format!("{e} (hint: the name is the output folder)"),
        );
    }
    if raw.scenarios.is_empty() || raw.scenarios.len() > 1000 {
        problem(
            "scenarios",
            "scenarios",
            "list 1–1,000 scenario files (relative to this file)".into(),
        );
    }
    let variants: Vec<Option<String>> = if raw.variants.is_empty() {
        vec![None]
    } else {
        raw.variants
            .iter()
            .map(|v| (!v.is_empty()).then(|| v.clone()))
            .collect()
    };
    for v in variants.iter().flatten() {
        if v.split('+')
            .any(|id| crate::model::split_option(id).is_err())
        {
            problem(
                "variants",
                "variants",
                format!(
                    "`{v}` is not a variant id or ids joined by `+` (\"\" runs a scenario as it is)"
                ),
            );
        }
    }
    let runs = match raw.runs {
        None => None,
        Some(r) if (1..=100_000_000).contains(&r) => Some(r as u64),
        Some(r) => {
            problem(
                "runs",
                "runs",
                format!("{r} replicate-years is outside 1…100,000,000"),
            );
            None
        }
    };
    let shards = match raw.shards {
        None => 1,
        Some(s) if (1..=100_000).contains(&s) => s as u64,
        Some(s) => {
            problem(
                "shards",
                "shards",
                format!("{s} shards is outside 1…100,000"),
            );
            1
        }
    };
    if let Some(r) = runs
        && shards > r
    {
        problem(
            "shards",
            "shards",
            format!("{shards} shards of {r} replicate-years leaves some empty"),
        );
    }
    let mut cases = Vec::new();
    let mut parameters: Vec<String> = Vec::new();
    match (raw.grid.is_empty(), raw.case.is_empty()) {
        (false, false) => problem(
            "grid",
            "grid",
            "a sweep has a [grid] or [[case]] entries, not both (hint: write the grid's combinations as cases)".into(),
        ),
        (true, true) => cases.push(SweepCase {
            id: String::new(),
            name: "as written".into(),
            set: Vec::new(),
        }),
        (false, true) => {
            let mut axes: Vec<(String, Vec<String>)> = Vec::new();
            let mut count: u64 = 1;
            for (key, values) in &raw.grid {
                let strs: Option<Vec<String>> = values.iter().map(scalar).collect();
                match strs {
                    Some(s) if !s.is_empty() => {
                        count = count.saturating_mul(s.len() as u64);
                        axes.push((key.clone(), s));
                    }
                    Some(_) => problem(key, &format!("grid.{key}"), "give at least one value".into()),
                    None => problem(
                        key,
                        &format!("grid.{key}"),
                        "values must be numbers, strings, booleans or dates, not arrays or tables".into(),
                    ),
                }
            }
            if count > MAX_CASES {
                problem(
                    "grid",
                    "grid",
                    format!("{count} combinations; the most a sweep may have is {MAX_CASES}"),
                );
            } else if axes.len() == raw.grid.len() {
                parameters = axes.iter().map(|(k, _)| k.clone()).collect();
                for i in 0..count {
                    // Mixed radix, the last key fastest.
                    let mut rest = i;
                    let mut set = vec![(String::new(), String::new()); axes.len()];
                    for (j, (key, vals)) in axes.iter().enumerate().rev() {
                        let n = vals.len() as u64;
                        set[j] = (key.clone(), vals[(rest % n) as usize].clone());
                        rest /= n;
                    }
                    let name = set
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    cases.push(SweepCase {
                        id: String::new(),
                        name,
                        set,
                    });
                }
            }
        }
        (true, false) => {
            if raw.case.len() as u64 > MAX_CASES {
                problem(
                    "case",
                    "case",
                    format!("{} cases; the most is {MAX_CASES}", raw.case.len()),
                );
            }
            let mut keys = std::collections::BTreeSet::new();
            for (i, c) in raw.case.iter().enumerate() {
                let mut set = Vec::new();
                for (k, v) in &c.set {
                    match scalar(v) {
                        Some(s) => {
                            keys.insert(k.clone());
                            set.push((k.clone(), s));
                        }
                        None => problem(
                            k,
                            &format!("case[#{}].set.{k}", i + 1),
                            "a value must be a number, string, boolean or date".into(),
                        ),
                    }
                }
                cases.push(SweepCase {
                    id: String::new(),
                    name: c.name.clone(),
                    set,
                });
            }
            parameters = keys.into_iter().collect();
        }
    }
    let width = cases.len().to_string().len().max(4);
    for (i, c) in cases.iter_mut().enumerate() {
        c.id = format!("c{:0width$}", i + 1);
    }
    let runs_per_case = (raw.scenarios.len() as u64).saturating_mul(variants.len() as u64);
    let tasks = (cases.len() as u64)
        .saturating_mul(runs_per_case)
        .saturating_mul(shards);
    if tasks > MAX_TASKS {
        problem(
            "scenarios",
            "scenarios",
            format!(
                "{} cases × {runs_per_case} scenario runs × {shards} shards is {tasks} tasks; the most is {MAX_TASKS}",
                cases.len()
            ),
        );
    }
    if !problems.is_empty() {
        return Err(SweepError(problems));
    }
    Ok(SweepSpec {
        name: raw.name,
        description: raw.description,
        scenarios: raw.scenarios.iter().map(|s| base.join(s)).collect(),
        variants,
        runs,
        shards,
        parameters,
        cases,
        text: text.to_string(),
    })
}
