//! The physical range of every number an input file gives: a figure's range follows from what
//! it measures (its [`Dimension`], checked on the value converted to the canonical unit), and
//! a plain value's from its unit (`$/bbl`, `$/t/100km`, …). A value outside its range is an
//! error at load time, naming the file, line and field, so that no accepted input can drive
//! the solver into magnitudes it cannot handle. The ranges are ceilings well above anything
//! real, not estimates of the assets: each says why it is where it is. `docs/network-format.md`
//! and `docs/scenario-format.md` list them ([`markdown`]; `tests/docs.rs` checks the tables).

use crate::model::units::Dimension;

/// The accepted range of one kind of value, in its canonical unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// What it applies to, as the docs name it.
    pub what: &'static str,
    /// The unit the range is given in.
    pub unit: &'static str,
    /// The least value accepted.
    pub min: f64,
    /// Whether `min` itself is refused (a length or speed must be above zero).
    pub min_open: bool,
    /// The greatest value accepted.
    pub max: f64,
    /// Why the ceiling is where it is.
    pub why: &'static str,
}

const fn b(
    what: &'static str,
    unit: &'static str,
    min: f64,
    min_open: bool,
    max: f64,
    why: &'static str,
) -> Bound {
    Bound {
        what,
        unit,
        min,
        min_open,
        max,
        why,
    }
}

impl Bound {
    /// Whether `v` is a finite number within the range.
    pub fn contains(&self, v: f64) -> bool {
        v.is_finite() && (v > self.min || (!self.min_open && v == self.min)) && v <= self.max
    }

    /// The range as the docs and messages write it, e.g. `0 ≤ x ≤ 15,000 kt/day`.
    pub fn range(&self) -> String {
        format!(
            "{} {} x ≤ {} {}",
            number(self.min),
            if self.min_open { "<" } else { "≤" },
            number(self.max),
            self.unit
        )
    }

    /// The problem with `v`, if it is outside the range: `value` and `unit` as entered.
    pub fn problem(&self, v: f64, entered: f64, entered_unit: &str) -> Option<String> {
        if self.contains(v) {
            return None;
        }
        let shown = if entered_unit == self.unit || !entered.is_finite() {
            format!("{} {entered_unit}", number(entered))
        } else {
            format!(
                "{} {entered_unit} ({} {})",
                number(entered),
                number(v),
                self.unit
            )
        };
        Some(if v.is_finite() {
            format!(
                "{shown} is outside the physical range of {}: {} ({})",
                self.what,
                self.range(),
                self.why
            )
        } else {
            format!("{shown} is not a finite number")
        })
    }
}

/// `x` with thousands separators and at most 6 significant decimals, for messages and docs.
fn number(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    if x != 0.0 && (x.abs() >= 1e9 || x.abs() < 1e-3) {
        return format!("{x:e}");
    }
    // Four decimals at most, trailing zeros dropped: -13.698630… kt/day reads -13.6986.
    let s = format!("{x:.4}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    let s = if s == "-0" { "0" } else { s };
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let grouped = crate::model::units::group_thousands(digits);
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// Oil flow: a single asset cannot carry more than the world produces.
pub const OIL_FLOW: Bound = b(
    "an oil flow or capacity",
    "kt/day",
    0.0,
    false,
    15_000.0,
    "above world oil output, about 100 million bbl/day ≈ 13,600 kt/day",
);
/// Data rate.
pub const DATA_RATE: Bound = b(
    "a data rate or capacity",
    "Gbps",
    0.0,
    false,
    1_000_000.0,
    "1 Pbps, above the design capacity of the largest submarine cables, a few hundred Tbps",
);
/// Length.
pub const LENGTH: Bound = b(
    "a length",
    "km",
    0.0,
    true,
    20_040.0,
    "half the Earth's circumference: no link between two points is longer",
);
/// Stock.
pub const STOCK: Bound = b(
    "a stock or tank volume",
    "kt",
    0.0,
    false,
    100_000.0,
    "100 Mt, above the largest storage in the world, the US SPR: about 714 million bbl ≈ 97 Mt",
);
/// Tariff.
pub const TARIFF: Bound = b(
    "a tariff or duty",
    "$/t",
    0.0,
    false,
    1_000.0,
    "twice the value of the crude itself, ≈ $490/t at $65/bbl",
);
/// Duration.
pub const DURATION: Bound = b(
    "a duration",
    "days",
    0.0,
    false,
    36_500.0,
    "100 years, the longest horizon a scenario may have",
);
/// Speed.
pub const SPEED: Bound = b(
    "a vessel speed",
    "kn",
    1.0,
    false,
    40.0,
    "merchant tankers sail at 12–16 kn; below 1 kn a Caspian crossing would take months",
);
/// Fraction.
pub const FRACTION: Bound = b("a share", "fraction", 0.0, false, 1.0, "a share of a whole");
/// Count.
pub const COUNT: Bound = b(
    "a count of vessels",
    "count",
    0.0,
    false,
    10_000.0,
    "more than the world's tanker fleet on one route",
);
/// Deadweight.
pub const DEADWEIGHT: Bound = b(
    "a vessel deadweight",
    "kt",
    0.0,
    true,
    600.0,
    "the largest tanker ever built was 565 kdwt",
);

/// The range of a figure measuring `dim` (on its canonical value).
pub fn for_dimension(dim: Dimension) -> Bound {
    match dim {
        Dimension::OilFlow => OIL_FLOW,
        Dimension::DataRate => DATA_RATE,
        Dimension::Length => LENGTH,
        Dimension::Stock => STOCK,
        Dimension::Tariff => TARIFF,
        Dimension::Duration => DURATION,
        Dimension::Speed => SPEED,
        Dimension::Fraction => FRACTION,
        Dimension::Count => COUNT,
        Dimension::Deadweight => DEADWEIGHT,
    }
}

/// Plain values, by the unit they are given in (scenario economics, variant costs).
pub const BY_UNIT: &[Bound] = &[
    b(
        "an oil price",
        "$/bbl",
        0.0,
        false,
        1_000.0,
        "seven times the highest Brent price ever, $147/bbl in 2008",
    ),
    b(
        "a transport cost rate",
        "$/t/100km",
        0.0,
        false,
        100.0,
        "road haulage costs a few $/t/100km; 100 is above any surface mode",
    ),
    b(
        "a crude density factor",
        "bbl/t",
        5.0,
        false,
        10.0,
        "crude oils and condensates lie between about 6 (heavy) and 9 (light) bbl/t",
    ),
    b(
        "a value of data",
        "$/Tb",
        0.0,
        false,
        1e9,
        "far above any estimate of the value of a terabit",
    ),
    b(
        "a GDP",
        "$bn/yr",
        0.0,
        true,
        150_000.0,
        "above world GDP, about $110 trillion",
    ),
    b(
        "a GDP",
        "$/yr",
        0.0,
        true,
        1.5e14,
        "above world GDP, about $110 trillion",
    ),
    b("a percentage", "%", 0.0, false, 100.0, "a share of a whole"),
    b("a share", "fraction", 0.0, false, 1.0, "a share of a whole"),
    b(
        "an investment",
        "$m",
        0.0,
        false,
        1_000_000.0,
        "$1 trillion, above any single infrastructure project",
    ),
    b(
        "an annual cost",
        "$m/yr",
        0.0,
        false,
        1_000_000.0,
        "$1 trillion a year, above any single infrastructure project",
    ),
    b(
        "an economic life",
        "years",
        0.0,
        true,
        200.0,
        "longer than any infrastructure is depreciated over",
    ),
];

/// The range of a plain value given in `unit`, if it has one.
pub fn for_unit(unit: &str) -> Option<Bound> {
    BY_UNIT.iter().copied().find(|b| b.unit == unit)
}

/// A failure or common-cause rate: at most one event a day on average.
pub const FAILURE_RATE: Bound = b(
    "a failure rate",
    "per_yr",
    0.0,
    false,
    365.0,
    "one failure a day on average; a higher rate would keep the asset down for good",
);
/// A hazard's radius.
pub const RADIUS: Bound = b(
    "a hazard radius",
    "km",
    0.0,
    true,
    20_040.0,
    "half the Earth's circumference",
);
/// A significant wave height.
pub const WAVE_HEIGHT: Bound = b(
    "a wave height",
    "m",
    0.0,
    false,
    30.0,
    "above the highest significant wave height recorded, about 19 m",
);
/// A variant's capacity multiplier.
pub const SCALE: Bound = b(
    "a capacity multiplier",
    "×",
    0.0,
    true,
    100.0,
    "a hundredfold expansion of an asset; give a capacity for anything beyond",
);
/// Repair and restoration times.
pub const REPAIR: Bound = b(
    "a repair time",
    "days",
    0.0,
    true,
    3_650.0,
    "ten years; an asset not repaired within that is retired, not repaired",
);

/// Every range, for the docs: the figure ranges by dimension, then the plain values.
pub fn all() -> Vec<Bound> {
    let mut v = vec![
        OIL_FLOW, DATA_RATE, LENGTH, STOCK, TARIFF, DURATION, SPEED, FRACTION, COUNT, DEADWEIGHT,
    ];
    v.extend(BY_UNIT.iter().copied());
    v.extend([FAILURE_RATE, RADIUS, WAVE_HEIGHT, SCALE, REPAIR]);
    v
}

/// The Markdown table of every range.
pub fn markdown() -> String {
    let mut s = String::from("| value | accepted range | why the ceiling |\n|---|---|---|\n");
    for b in all() {
        s.push_str(&format!("| {} | {} | {} |\n", b.what, b.range(), b.why));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_include_their_ends_as_documented() {
        assert!(OIL_FLOW.contains(0.0) && OIL_FLOW.contains(15_000.0));
        assert!(!OIL_FLOW.contains(-1e-9) && !OIL_FLOW.contains(15_000.1));
        assert!(!LENGTH.contains(0.0) && LENGTH.contains(0.001));
        assert!(!OIL_FLOW.contains(f64::NAN) && !OIL_FLOW.contains(f64::INFINITY));
        assert_eq!(OIL_FLOW.range(), "0 ≤ x ≤ 15,000 kt/day");
        assert_eq!(LENGTH.range(), "0 < x ≤ 20,040 km");
        assert_eq!(number(-1234567.5), "-1,234,567.5");
        assert_eq!(number(1e308), "1e308");
        assert_eq!(number(-13.698630136986301), "-13.6986");
        assert_eq!(number(2.0), "2");
        assert_eq!(number(100.0), "100");
    }

    #[test]
    fn a_problem_shows_the_entered_and_the_canonical_value() {
        assert_eq!(
            OIL_FLOW.problem(20_000.0, 7_300.0, "Mt/yr").unwrap(),
            "7,300 Mt/yr (20,000 kt/day) is outside the physical range of an oil flow or \
             capacity: 0 ≤ x ≤ 15,000 kt/day (above world oil output, about 100 million \
             bbl/day ≈ 13,600 kt/day)"
        );
        assert_eq!(
            SPEED.problem(1e-9, 1e-9, "kn").unwrap().split(" is").next(),
            Some("1e-9 kn")
        );
        assert!(TARIFF.problem(30.0, 30.0, "$/t").is_none());
    }

    #[test]
    fn every_unit_has_one_range() {
        for b in BY_UNIT {
            assert_eq!(for_unit(b.unit), Some(*b));
        }
    }
}
