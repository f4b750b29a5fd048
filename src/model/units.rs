//! Units of measure and conversion to the internal canonical units.
//!
//! Canonical units inside `corridor`:
//!
//! | quantity            | canonical unit | accepted input units                         |
//! |---------------------|----------------|----------------------------------------------|
//! | oil flow capacity   | kt/day         | `Mt/yr`, `Mt/month`, `kb/d`, `t/day`, `kt/day` |
//! | data capacity       | Gbps           | `Gbps`, `Tbps`, `Mbps`                        |
//! | length, distance    | km             | `km`, `mi`, `nmi`                             |
//! | stock, tank volume  | kt             | `kt`, `Mt`, `t`, `kbbl`, `m3`                 |
//! | tariff              | $/t            | `$/t`, `$/bbl`                                |
//! | time                | days           | `days`, `hours`                               |
//! | speed               | knots          | `kn`                                          |
//! | share, fraction     | 1              | `fraction`, `%`                               |
//! | count               | 1              | `count`                                       |
//! | vessel deadweight   | kt             | `dwt` (tonnes), `kdwt`                        |
//!
//! Conversions that involve barrels use the crude density factor `bbl_per_t` stated in the data
//! (barrels per tonne), never a hidden global constant. Volumes in m³ use a density stated the
//! same way (`t_per_m3`).

use std::fmt;

/// Days in a year used for every per-year conversion (a 365-day year; leap days are ignored).
pub const DAYS_PER_YEAR: f64 = 365.0;
/// Days in a month used for `Mt/month` (365 / 12).
pub const DAYS_PER_MONTH: f64 = DAYS_PER_YEAR / 12.0;
/// Kilometres per nautical mile.
pub const KM_PER_NMI: f64 = 1.852;
/// Kilometres per statute mile.
pub const KM_PER_MI: f64 = 1.609_344;

/// What a figure measures; decides which units are accepted and the canonical unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    /// Oil flow: canonical kt/day.
    OilFlow,
    /// Data rate: canonical Gbps.
    DataRate,
    /// Length: canonical km.
    Length,
    /// Stock: canonical kt.
    Stock,
    /// Tariff: canonical US$/t.
    Tariff,
    /// Duration: canonical days.
    Duration,
    /// Speed: canonical knots.
    Speed,
    /// A share: canonical fraction (0–1).
    Fraction,
    /// A count.
    Count,
    /// Deadweight: canonical kt.
    Deadweight,
}

impl Dimension {
    /// The canonical unit symbol of this dimension.
    pub fn canonical(self) -> &'static str {
        match self {
            Dimension::OilFlow => "kt/day",
            Dimension::DataRate => "Gbps",
            Dimension::Length => "km",
            Dimension::Stock => "kt",
            Dimension::Tariff => "$/t",
            Dimension::Duration => "days",
            Dimension::Speed => "kn",
            Dimension::Fraction => "fraction",
            Dimension::Count => "count",
            Dimension::Deadweight => "kt",
        }
    }

    /// The units accepted on input for this dimension, for error hints.
    pub fn accepted(self) -> &'static [&'static str] {
        match self {
            Dimension::OilFlow => &["Mt/yr", "Mt/month", "kb/d", "t/day", "kt/day"],
            Dimension::DataRate => &["Gbps", "Tbps", "Mbps"],
            Dimension::Length => &["km", "mi", "nmi"],
            Dimension::Stock => &["kt", "Mt", "t", "kbbl", "m3"],
            Dimension::Tariff => &["$/t", "$/bbl"],
            Dimension::Duration => &["days", "hours"],
            Dimension::Speed => &["kn"],
            Dimension::Fraction => &["fraction", "%"],
            Dimension::Count => &["count"],
            Dimension::Deadweight => &["dwt", "kdwt"],
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Dimension::OilFlow => "oil flow",
            Dimension::DataRate => "data rate",
            Dimension::Length => "length",
            Dimension::Stock => "stock",
            Dimension::Tariff => "tariff",
            Dimension::Duration => "duration",
            Dimension::Speed => "speed",
            Dimension::Fraction => "fraction",
            Dimension::Count => "count",
            Dimension::Deadweight => "deadweight",
        };
        f.write_str(s)
    }
}

/// Physical constants of the crude that unit conversions need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CrudeProperties {
    /// Barrels per tonne (e.g. 7.92 for CPC Blend, 7.5 for Kazakh crude in general).
    pub bbl_per_t: f64,
    /// Tonnes per cubic metre (density), for tank volumes given in m³.
    pub t_per_m3: f64,
}

/// Why a unit could not be converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitError {
    /// The unit as written.
    pub unit: String,
    /// The quantity it was given for.
    pub dimension: Dimension,
}

impl fmt::Display for UnitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown unit `{}` for {} (use one of: {})",
            self.unit,
            self.dimension,
            self.dimension.accepted().join(", ")
        )
    }
}

impl std::error::Error for UnitError {}

/// Converts `value` entered in `unit` into the canonical unit of `dim`.
///
/// # Errors
/// [`UnitError`] when `unit` is not accepted for `dim`.
pub fn to_canonical(
    value: f64,
    unit: &str,
    dim: Dimension,
    crude: CrudeProperties,
) -> Result<f64, UnitError> {
    let err = || UnitError {
        unit: unit.to_string(),
        dimension: dim,
    };
    let v = match (dim, unit) {
        (Dimension::OilFlow, "kt/day") => value,
        (Dimension::OilFlow, "t/day") => value / 1000.0,
        (Dimension::OilFlow, "Mt/yr") => mt_per_yr_to_kt_per_day(value),
        (Dimension::OilFlow, "Mt/month") => value * 1000.0 / DAYS_PER_MONTH,
        (Dimension::OilFlow, "kb/d") => kb_per_day_to_kt_per_day(value, crude.bbl_per_t),
        (Dimension::DataRate, "Gbps") => value,
        (Dimension::DataRate, "Tbps") => value * 1000.0,
        (Dimension::DataRate, "Mbps") => value / 1000.0,
        (Dimension::Length, "km") => value,
        (Dimension::Length, "mi") => value * KM_PER_MI,
        (Dimension::Length, "nmi") => value * KM_PER_NMI,
        (Dimension::Stock, "kt") => value,
        (Dimension::Stock, "Mt") => value * 1000.0,
        (Dimension::Stock, "t") => value / 1000.0,
        (Dimension::Stock, "kbbl") => value / crude.bbl_per_t,
        (Dimension::Stock, "m3") => value * crude.t_per_m3 / 1000.0,
        (Dimension::Tariff, "$/t") => value,
        (Dimension::Tariff, "$/bbl") => value * crude.bbl_per_t,
        (Dimension::Duration, "days") => value,
        (Dimension::Duration, "hours") => value / 24.0,
        (Dimension::Speed, "kn") => value,
        (Dimension::Fraction, "fraction") => value,
        (Dimension::Fraction, "%") => value / 100.0,
        (Dimension::Count, "count") => value,
        (Dimension::Deadweight, "dwt") => value / 1000.0,
        (Dimension::Deadweight, "kdwt") => value,
        _ => return Err(err()),
    };
    Ok(v)
}

/// Mt/yr → kt/day over a 365-day year.
pub fn mt_per_yr_to_kt_per_day(mt_per_yr: f64) -> f64 {
    mt_per_yr * 1000.0 / DAYS_PER_YEAR
}

/// kt/day → Mt/yr over a 365-day year.
pub fn kt_per_day_to_mt_per_yr(kt_per_day: f64) -> f64 {
    kt_per_day * DAYS_PER_YEAR / 1000.0
}

/// kb/d (thousand barrels per day) → kt/day, with `bbl_per_t` barrels per tonne.
pub fn kb_per_day_to_kt_per_day(kb_per_day: f64, bbl_per_t: f64) -> f64 {
    kb_per_day / bbl_per_t
}

/// kt/day → kb/d, with `bbl_per_t` barrels per tonne.
pub fn kt_per_day_to_kb_per_day(kt_per_day: f64, bbl_per_t: f64) -> f64 {
    kt_per_day * bbl_per_t
}

/// A run of decimal digits with a comma between thousands: `1234567` → `1,234,567`. The one
/// place messages, docs and reports group digits.
pub fn group_thousands(digits: &str) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;

    const CPC: CrudeProperties = CrudeProperties {
        bbl_per_t: 7.92,
        t_per_m3: 0.79,
    };

    #[test]
    fn mt_per_year_round_trips_through_kt_per_day() {
        // 73 Mt/yr = 73,000 kt / 365 d = 200 kt/day exactly.
        assert_eq!(mt_per_yr_to_kt_per_day(73.0), 200.0);
        assert_eq!(kt_per_day_to_mt_per_yr(200.0), 73.0);
    }

    #[test]
    fn kb_per_day_uses_the_stated_barrels_per_tonne() {
        // 1 Mt/yr = 2.739726 kt/day; at 7.92 bbl/t that is 21.698 kb/d (facts sheet: ≈21.7).
        let kbd = kt_per_day_to_kb_per_day(mt_per_yr_to_kt_per_day(1.0), 7.92);
        assert!((kbd - 21.698_630).abs() < 1e-6, "{kbd}");
        // At Reuters' 7.5 bbl/t, 1 Mt/yr = 20.548 kb/d (facts sheet: ≈20.5).
        let kbd = kt_per_day_to_kb_per_day(mt_per_yr_to_kt_per_day(1.0), 7.5);
        assert!((kbd - 20.547_945).abs() < 1e-6, "{kbd}");
        // 792 kb/d of CPC Blend is exactly 100 kt/day.
        assert_eq!(
            to_canonical(792.0, "kb/d", Dimension::OilFlow, CPC),
            Ok(100.0)
        );
    }

    #[test]
    fn every_accepted_unit_converts_and_others_fail() {
        for dim in [
            Dimension::OilFlow,
            Dimension::DataRate,
            Dimension::Length,
            Dimension::Stock,
            Dimension::Tariff,
            Dimension::Duration,
            Dimension::Speed,
            Dimension::Fraction,
            Dimension::Count,
            Dimension::Deadweight,
        ] {
            for unit in dim.accepted() {
                assert!(to_canonical(1.0, unit, dim, CPC).is_ok(), "{dim} {unit}");
            }
            let e = to_canonical(1.0, "furlongs", dim, CPC).unwrap_err();
            assert!(e.to_string().starts_with("unknown unit `furlongs`"));
        }
    }

    #[test]
    fn other_conversions_are_exact() {
        let c = |v, u, d| to_canonical(v, u, d, CPC).unwrap();
        assert_eq!(
            c(3.65, "Mt/month", Dimension::OilFlow),
            3650.0 / DAYS_PER_MONTH
        );
        assert_eq!(c(2.5, "Tbps", Dimension::DataRate), 2500.0);
        assert!((c(100.0, "nmi", Dimension::Length) - 185.2).abs() < 1e-12);
        assert_eq!(c(1.0, "$/bbl", Dimension::Tariff), 7.92);
        assert_eq!(c(12_000.0, "dwt", Dimension::Deadweight), 12.0);
        assert_eq!(c(100_000.0, "m3", Dimension::Stock), 79.0);
        assert_eq!(c(25.0, "%", Dimension::Fraction), 0.25);
    }
}
