//! Diagnostics: every problem found in an input file, as `file:line: field: problem (hint)`.

use std::fmt;

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
    candidates
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
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
        "a unit not accepted for that quantity; the figure is left out — use a listed unit",
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
        "layer_mismatch",
        "a link joins nodes of another layer (e.g. a pipeline into a data node)",
    ),
];
