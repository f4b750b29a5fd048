//! Diagnostics: every problem found in an input file, as `file:line: field: problem (hint)`.

use std::fmt;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// A named consistency check: reported, the offending element is left out, and the load
    /// fails only under `--strict`.
    Warning,
    /// The input cannot be read as intended; the load fails.
    Error,
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Name of the consistency check (`duplicate_id`, `unknown_node`, …); `None` for parse
    /// errors.
    pub check: Option<&'static str>,
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// Field path, e.g. `link[cpc-trunk].capacity.unit`.
    pub field: String,
    pub problem: String,
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.file, self.line, self.field, self.problem
        )?;
        if let Some(h) = &self.hint {
            write!(f, " ({h})")?;
        }
        if let (Severity::Warning, Some(c)) = (self.severity, self.check) {
            write!(f, " [{c}]")?;
        }
        Ok(())
    }
}

/// A file's text with a byte-offset → line lookup.
#[derive(Debug, Clone)]
pub struct SourceText<'a> {
    pub name: &'a str,
    pub text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> SourceText<'a> {
    pub fn new(name: &'a str, text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceText {
            name,
            text,
            line_starts,
        }
    }
    /// 1-based line of byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

/// Collects diagnostics while a load runs.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Parses a TOML file, or records its syntax error at the line it names and returns `None`.
    pub fn parse_toml<'a>(&mut self, src: &SourceText<'a>) -> Option<Spanned<DeTable<'a>>> {
        match DeTable::parse(src.text) {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(
                    src,
                    e.span().map_or(0, |s| s.start),
                    "(syntax)",
                    e.message().trim().to_string(),
                    Some("the file is not valid TOML".into()),
                );
                None
            }
        }
    }
    /// Records the unknown key `key` at `offset` as `problem`, hinting the closest of `keys`, or
    /// listing them all after `listed` (e.g. "top-level keys").
    pub fn unknown_key(
        &mut self,
        src: &SourceText<'_>,
        offset: usize,
        key: &str,
        keys: &[&str],
        problem: &str,
        listed: &str,
    ) {
        let hint = did_you_mean(key, keys.iter().copied())
            .or_else(|| Some(format!("{listed}: {}", keys.join(", "))));
        self.error(src, offset, key, problem, hint);
    }
    /// Records a hard error.
    pub fn error(
        &mut self,
        src: &SourceText<'_>,
        offset: usize,
        field: impl Into<String>,
        problem: impl Into<String>,
        hint: Option<String>,
    ) {
        self.items.push(Diagnostic {
            severity: Severity::Error,
            check: None,
            file: src.name.to_string(),
            line: src.line(offset),
            field: field.into(),
            problem: problem.into(),
            hint,
        });
    }
    /// Records a named consistency-check warning.
    pub fn warn(
        &mut self,
        check: &'static str,
        src: &SourceText<'_>,
        offset: usize,
        field: impl Into<String>,
        problem: impl Into<String>,
        hint: Option<String>,
    ) {
        self.items.push(Diagnostic {
            severity: Severity::Warning,
            check: Some(check),
            file: src.name.to_string(),
            line: src.line(offset),
            field: field.into(),
            problem: problem.into(),
            hint,
        });
    }
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
    }
}

/// "did you mean `x`?" for the closest of `candidates` to `name`, if any is close.
pub fn did_you_mean<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    // A close edit, or a name that is the start of a longer one (`horizon` → `horizon_days`).
    candidates
        .map(|c| {
            let d = strsim::damerau_levenshtein(name, c);
            let prefix = name.len() >= 3 && c.starts_with(name);
            (if prefix { d.min(1) } else { d }, c)
        })
        .filter(|(d, c)| *d <= 3.max(c.len() / 4) && *d < c.len().max(name.len()))
        .min()
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

/// Names of the consistency checks, with what each catches and how to fix it. These warn by
/// default and fail under `--strict`.
pub const CHECKS: &[(&str, &str)] = &[
    (
        "duplicate_id",
        "two assets share a name; the later one is left out — rename one",
    ),
    (
        "unknown_node",
        "a link, store or market names a node that does not exist; the element is left out — fix the spelling or add the node",
    ),
    (
        "unknown_asset",
        "a route or expansion names a link or node that does not exist; it is left out — fix the spelling",
    ),
    (
        "disconnected_node",
        "a node touches no link and reaches no market — connect it or delete it",
    ),
    (
        "non_positive_capacity",
        "a capacity is zero or negative; the asset carries nothing — give the real capacity",
    ),
    (
        "coordinates_out_of_range",
        "longitude outside −180…180 or latitude outside −90…90; the node is left out — check the order (lon, lat)",
    ),
    (
        "unknown_unit",
        "a unit not accepted for that quantity in a network file; the figure is left out — use a listed unit (in a scenario or variant file it is an error)",
    ),
    (
        "route_not_chain",
        "a route stage does not start where the previous stage ends — reorder the stages or add the missing link",
    ),
    (
        "missing_provenance",
        "a figure has neither `source` nor `estimate` — cite the source or mark it an estimate with a reason",
    ),
    (
        "share_out_of_range",
        "a reserved share outside 0…1 — give a fraction",
    ),
    (
        "bad_country",
        "a country code that is not two capital letters (ISO 3166-1 alpha-2)",
    ),
    (
        "length_mismatch",
        "the computed length differs from the sourced one by more than 25% — add waypoints along the real corridor",
    ),
    (
        "vintage_change_in_run",
        "a dated network change ([[vintage]]) that opens or enlarges an asset falls inside a scenario's horizon; the run keeps the asset as of its start (closures and falls do apply on their day) — split the run at the change, or start after it",
    ),
    (
        "event_outside_horizon",
        "an event's dates (or a replay file's rows) fall wholly before the start or after the end of the run, so it has no effect — move it into the run or lengthen horizon_days",
    ),
    (
        "layer_mismatch",
        "a link joins nodes of another layer (e.g. a pipeline into a data node)",
    ),
];

/// The dotted key path inside `table` that holds byte offset `pos`; whether one does. A table
/// written under its own `[a.b]` header spans only the header, so the keys under it are
/// searched too.
pub(crate) fn path_at(table: &DeTable<'_>, pos: usize, out: &mut Vec<String>) -> bool {
    for (k, v) in table.iter() {
        if k.span().contains(&pos) || v.span().contains(&pos) {
            out.push(k.get_ref().to_string());
            if let DeValue::Table(t) = v.get_ref() {
                path_at(t, pos, out);
            }
            return true;
        }
    }
    for (k, v) in table.iter() {
        if let DeValue::Table(t) = v.get_ref() {
            let mut inner = Vec::new();
            if path_at(t, pos, &mut inner) {
                out.push(k.get_ref().to_string());
                out.extend(inner);
                return true;
            }
        }
    }
    false
}

/// What serde's `expected …` means to a user, never a Rust type name, and an example of the
/// form when it has one (`found` is what the file held, e.g. ``integer `70` ``, whose number
/// the example reuses).
fn expected_form(expected: &str, found: &str, field: &str) -> (String, Option<String>) {
    let number = found
        .split(['`', '"'])
        .nth(1)
        .filter(|n| n.parse::<f64>().is_ok())
        .unwrap_or("70");
    match expected {
        "struct RawFigure" | "struct RawReserved" | "struct RawPlainFigure" => (
            "a figure with its unit and its source".into(),
            Some(format!(
                "{{ value = {number}, unit = \"{}\", source = \"…\" }} (`estimate = \"why\"` in place of `source` for an estimate)",
                if field == "oil_price" { "$/bbl" } else { "…" }
            )),
        ),
        "f64" | "f32" => ("a number".into(), Some(number.to_string())),
        "u8" | "u16" | "u32" | "u64" | "usize" | "i32" | "i64" => (
            "a whole number".into(),
            Some(number.trim_end_matches(".0").to_string()),
        ),
        "a boolean" | "bool" => ("true or false".into(), None),
        "a string" | "string" => ("text in quotes".into(), Some("\"…\"".into())),
        e if e.starts_with("a sequence") || e.starts_with("sequence") => {
            ("a list".into(), Some("[ … ]".into()))
        }
        e if e.starts_with("struct ") || e.starts_with("a map") || e.starts_with("map") => (
            "a table of fields".into(),
            Some("{ field = value, … }".into()),
        ),
        e if e.starts_with("enum ") || e.starts_with("variant") => {
            ("one of the named values".into(), None)
        }
        e => (e.to_string(), None),
    }
}

/// Turns serde's message about `field` into (problem, hint, extra field).
pub(crate) fn split_serde_message(
    msg: &str,
    field: &str,
) -> (String, Option<String>, Option<String>) {
    let msg = msg.trim();
    let tick = |s: &str| s.split('`').nth(1).map(str::to_string);
    if let Some(rest) = msg.strip_prefix("missing field ") {
        return (
            "missing required field".into(),
            Some("add it; see docs/network-format.md".into()),
            tick(rest),
        );
    }
    if msg.starts_with("unknown field") {
        let (p, h) = msg.split_once(", expected ").unwrap_or((msg, ""));
        let expected: Vec<&str> = h.split('`').skip(1).step_by(2).collect();
        let hint = match (tick(p), h.is_empty()) {
            (_, true) => None,
            (Some(bad), false) => Some(match did_you_mean(&bad, expected.iter().copied()) {
                Some(d) => format!("{d} expected {h}"),
                None => format!("expected {h}"),
            }),
            (None, false) => Some(format!("expected {h}")),
        };
        return (p.to_string(), hint, None);
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let (form, example) = expected_form(expected, found, field);
        let hint = match example {
            Some(e) => format!("write it as {e}; see docs/scenario-format.md and docs/network-format.md"),
            None => "see docs/scenario-format.md and docs/network-format.md for each field's type; numbers take no quotes".into(),
        };
        return (format!("found {found}, expected {form}"), Some(hint), None);
    }
    if msg.starts_with("data did not match any variant of untagged enum RawStage") {
        return (
            "a stage must be a link id or a list of link ids".into(),
            Some(r#"e.g. stages = ["a", ["b1", "b2"], "c"]"#.into()),
            None,
        );
    }
    (msg.to_string(), None, None)
}

/// Removes the key at `path` (nested tables) from `t`; whether there was one.
fn remove_path(t: &mut DeTable<'_>, path: &[String]) -> bool {
    let Some((first, rest)) = path.split_first() else {
        return false;
    };
    if rest.is_empty() {
        let before = t.len();
        *t = std::mem::take(t)
            .into_iter()
            .filter(|(k, _)| k.get_ref().as_ref() != first.as_str())
            .collect();
        return t.len() < before;
    }
    for (k, v) in t.iter_mut() {
        if k.get_ref().as_ref() == first.as_str()
            && let DeValue::Table(inner) = v.get_mut()
        {
            return remove_path(inner, rest);
        }
    }
    false
}

/// Most problems reported in one value before giving up on it.
const MAX_PROBLEMS_PER_VALUE: usize = 64;

/// Deserializes one TOML value into `T`, reporting a failure as `file:line: path.field:
/// problem (hint)` where `path` names the element (e.g. `event[#3]`).
///
/// Every problem in the value is reported, not only the first: after each one the offending
/// key is set aside and the value read again, and a "missing field" for a key set aside is not
/// reported (the key's own problem was).
pub(crate) fn deserialize_value<T: for<'de> Deserialize<'de>>(
    diags: &mut Diagnostics,
    src: &SourceText<'_>,
    path: &str,
    value: &Spanned<DeValue<'_>>,
) -> Option<T> {
    let mut value = value.clone();
    let mut set_aside: Vec<Vec<String>> = Vec::new();
    let mut reported = false;
    for _ in 0..MAX_PROBLEMS_PER_VALUE {
        let e = match T::deserialize(ValueDeserializer::from(value.clone())) {
            Ok(v) if !reported => return Some(v),
            Ok(_) => return None,
            Err(e) => e,
        };
        let pos = e.span().map_or(value.span().start, |s| s.start);
        let mut sub = Vec::new();
        if let DeValue::Table(t) = value.get_ref() {
            path_at(t, pos, &mut sub);
        }
        let field = sub.last().map_or(path, String::as_str).to_string();
        let (problem, hint, extra) = split_serde_message(e.message(), &field);
        let mut full = sub.clone();
        full.extend(extra.clone());
        // A required key set aside for its own problem: not a new problem; set aside the
        // table that misses it instead, and go on with the rest.
        let consequence = extra.is_some() && set_aside.contains(&full);
        if !consequence {
            let parts: Vec<String> = std::iter::once(path.to_string()).chain(full).collect();
            diags.error(src, pos, parts.join("."), problem, hint);
            reported = true;
        }
        // The key that holds the problem (or the table missing a key) is set aside.
        let target = sub;
        let removed = match value.get_mut() {
            DeValue::Table(t) if !target.is_empty() => remove_path(t, &target),
            _ => false,
        };
        if !removed {
            return None;
        }
        set_aside.push(target);
    }
    None
}
